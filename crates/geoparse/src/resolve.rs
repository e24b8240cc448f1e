//! Toponym resolution: which gazetteer entry each recognised name refers to.
//!
//! Each mention's candidates start from the gazetteer's context-free [`prior`]. The document
//! then votes, in rounds over the current best guesses until they settle:
//!
//! - **explicit containment**: "Alexandria, Louisiana" — a town followed by a comma and an
//!   area that contains one of its candidates settles it;
//! - **focus**: candidates in the countries and first- and second-level subdivisions that the
//!   other names' mentions point to gain, in proportion to those mentions' share (neither a
//!   name nor a place votes for itself);
//! - **named subdivisions**: a candidate inside a subdivision that another name names
//!   ("Palestine" with "Anderson County" is the Texas town) gains a fixed bonus, in part when
//!   that subdivision is only one reading of the other name, so that a town and the county
//!   holding it find each other even when neither is the likelier reading alone;
//! - **coherence**: a town candidate loses with the distance to the nearest other mentioned
//!   place, so Balakliya beside Izyum and Kupiansk is the Kharkiv Oblast town;
//! - **home subdivision**: a name that is both a foreign country and a subdivision of the
//!   country the rest of the report is about is the subdivision ("Georgia" among Georgia towns).

use sitrep_gazetteer::{prior, Feature, Gazetteer, Place};

use rustc_hash::FxHashMap as HashMap;
use sitrep_text::Qualifier;

use crate::{
    coherence::Coherence,
    recognize::Mention,
    scan::Scan,
    theatre::{Theatre, THEATRE_BONUS},
};

/// Candidates kept per mention, best priors first.
const MAX_CANDIDATES: usize = 16;
/// Bonus for a town whose area is named right after it ("Alexandria, Louisiana").
const CONTAINMENT_BONUS: f64 = 8.0;
/// Bonus for the area that contains the town before it.
const CONTAINER_BONUS: f64 = 3.0;
/// Weight of the document's country focus.
const COUNTRY_FOCUS: f64 = 3.0;
/// Weight of the document's first-level subdivision focus.
const ADMIN1_FOCUS: f64 = 3.0;
/// Weight of the document's second-level subdivision focus ("Rapides Parish" for Alexandria).
const ADMIN2_FOCUS: f64 = 3.0;
/// Bonus for a candidate inside a first-level subdivision that another name in the report
/// names outright ("Texas" for Palestine, Texas).
const NAMED_ADMIN1: f64 = 4.0;
/// Bonus for a candidate inside a second-level subdivision that another name in the report
/// names outright ("Anderson County" for Palestine, Texas).
const NAMED_ADMIN2: f64 = 6.0;
/// Share of those bonuses earned when the subdivision is only a candidate of the other name.
const POTENTIAL: f64 = 0.5;
/// Malus for a country when the name is followed by a word only a town takes.
const TOWN_CUE_MALUS: f64 = 12.0;
/// Malus for a river, lake or sea named right after "in" or "at" without its article.
const BARE_WATER_MALUS: f64 = 12.0;
/// Least share of an area's population that a town of the same name must have for a bare
/// name to mean the town rather than the area.
const TOWN_SHARE: f64 = 0.1;
/// Lift for a first-level subdivision over its context-free prior.
const STATE_LIFT: f64 = 2.0;
/// Malus for an administrative area named without a type word.
const BARE_AREA_MALUS: f64 = 2.0;
/// Most distinct places a candidate's distance is measured to (the most mentioned ones), so
/// that a report naming thousands of places stays fast.
const MAX_CONTEXT: usize = 64;
/// How close every score must be to its value under the current guesses for voting to stop.
const SETTLED_GAP: f64 = 0.25;
/// How far below the best area reading of a name after "Town," another area reading may be
/// and still count as what holds the town.
const AREA_READINGS: f64 = 4.0;
/// Most rounds of voting; most reports settle in two or three.
const MAX_ROUNDS: usize = 10;
/// Least number of settlements of one country whose own name a name is, for it to be theirs
/// rather than another settlement's former or foreign spelling there ("Oleksandrivka", the
/// name of dozens of villages, is also an old name of Donetsk), when fewer settlements there
/// have it as another spelling (the Russian forms of the theatre's villages are alternates
/// of dozens of them: "Vladimirovka").
const SHARED_NAME: usize = 3;
/// Malus for a settlement of the theatre reached by an alternate spelling that
/// [`SHARED_NAME`] settlements of its country bear as their own: what the theatre is worth,
/// so that population alone does not give a village's name to a city. Only inside a theatre,
/// whose gazetteer lists every village; elsewhere the gazetteer holds towns of note, whose
/// other names are what a reader means more often.
const SHARED_NAME_MALUS: f64 = 8.0;

/// Least population of a city whose name, as another settlement's alternate spelling, is
/// taken to mean the city ([`BIG_CITY_NAME_MALUS`]).
const BIG_CITY: u64 = 100_000;
/// How many times the settlement's population the city's must be.
const BIG_CITY_RATIO: u64 = 10;
/// Malus for a settlement named after a city of [`BIG_CITY`] people or more, [`BIG_CITY_RATIO`]
/// times its size, in its country, and reached only by an alternate spelling that is the
/// city's own name: the alternate is the city's name given to the settlement, and a report
/// means the city ("Mykolaiv" is also an alternate spelling of a Mykolaivka in Donetsk Oblast,
/// which a report about Donbas names beside it would otherwise take). Only the settlements
/// named after the city ([`named_after`]): other alternates are other stories (a former name).
/// The same malus falls on a city of [`BIG_CITY`] people or more reached by another spelling
/// that is the own name of a city at least half its size in its country (GeoNames gives
/// Nikopol "Slovyansk"): between two such cities the name means the one it is the name of.
const BIG_CITY_NAME_MALUS: f64 = 12.0;

/// Least population of a town outside the theatre against whose name the batch level of the
/// theatre prior (front, focus) is not weighed: a town that size is what its bare name means
/// unless the text says otherwise, however much the batch fights near a namesake hamlet
/// ("arriving at Grozny Airport", "the airfield outside Valuyki").
const OUTSIDE_TOWN: u64 = 20_000;

/// Least number of letters a settlement's name shares at its start with a city's for the
/// settlement to count as named after the city.
const NAMED_AFTER_LETTERS: usize = 5;

/// True when `name` starts like `city`'s name, letter for letter, for [`NAMED_AFTER_LETTERS`]
/// letters or the whole of the shorter one ("Mykolaivka" and "Mykolayiv"), case aside.
fn named_after(name: &str, city: &str) -> bool {
    let common = name.chars().zip(city.chars()).take_while(|(a, b)| a.to_lowercase().eq(b.to_lowercase())).count();
    common >= NAMED_AFTER_LETTERS.min(name.chars().count()).min(city.chars().count())
}

/// A map with room for `n` entries: the maps below are built for every report, and growing
/// one rehashes it.
fn sized<K, V>(n: usize) -> HashMap<K, V> {
    HashMap::with_capacity_and_hasher(n, Default::default())
}

/// One candidate place for a mention.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    /// Gazetteer place index.
    pub place: u32,
    /// Prior plus explicit containment: what the document's vote starts from.
    pub base: f64,
    /// Final score.
    pub score: f64,
    /// The number of the (place, name) pair among the report's, which the rounds of voting
    /// score once for all its mentions.
    pair: u32,
}

/// What [`initial`] is asked: a name, its type word, and whether it is a short code.
type InitialKey = (u64, Option<Qualifier>, bool);

/// A name's candidates before the report votes ([`initial`]), by (name, type word, short
/// code).
type Initial = HashMap<InitialKey, Vec<Candidate>>;

/// Most names whose first candidates a thread keeps between reports (some 500 bytes each).
const KEPT_NAMES: usize = 20_000;

thread_local! {
    /// The first candidates of the names that a thread's reports named, kept from one report
    /// to the next for one resolver at a time (a gazetteer and a theatre: the owner, a number
    /// that [`Geoparser`](crate::Geoparser) takes when it is made). Reports of one batch name
    /// the same places again and again, and what a name's candidates start from depends only
    /// on the name, the gazetteer and the theatre.
    static KEPT_INITIAL: std::cell::RefCell<crate::ThreadMemo<InitialKey, Vec<Candidate>, rustc_hash::FxBuildHasher>> =
        std::cell::RefCell::default();
}

/// Ranks every mention's candidates, best first, with the theatre prior of `theatre` (see
/// [`crate::theatre`]) when one is given.
pub fn resolve(gaz: &Gazetteer, scan: &Scan, mentions: &[Mention], theatre: Option<&Theatre>) -> Vec<Vec<Candidate>> {
    resolve_for(gaz, scan, mentions, theatre, None)
}

/// [`resolve`], keeping the names' first candidates between calls on this thread for `owner`
/// when one is given: a number that stands for `gaz` and `theatre` together and for nothing
/// else.
pub(crate) fn resolve_for(gaz: &Gazetteer, scan: &Scan, mentions: &[Mention], theatre: Option<&Theatre>, owner: Option<u64>) -> Vec<Vec<Candidate>> {
    // A report repeats its names: each (name, type word, short code) is looked up once, and
    // with an owner once per thread.
    let first = |looked_up: &mut Initial| -> Vec<Vec<Candidate>> {
        mentions
            .iter()
            .map(|m| {
                let Some(value) = m.value else { return Vec::new() };
                let short_code = m.first == m.name_last && scan.words[m.first].all_caps && scan.folded_word(m.first).len() <= 3;
                looked_up.entry((value, m.qualifier, short_code)).or_insert_with(|| initial(gaz, value, m.qualifier, short_code, theatre)).clone()
            })
            .collect()
    };
    let mut ranked = match owner {
        Some(owner) => crate::ThreadMemo::with(&KEPT_INITIAL, owner, KEPT_NAMES, first),
        None => first(&mut HashMap::default()),
    };
    bare_water_after_in(gaz, scan, mentions, &mut ranked);
    if let Some(theatre) = theatre {
        escape_theatre(gaz, theatre, &mut ranked);
    }
    unknown_before_area(gaz, scan, mentions, &mut ranked);
    // Each distinct name gets a small number, so that comparing names is comparing numbers.
    // A type word is part of the name: "DeKalb County" vouches for the town of DeKalb.
    let mut numbers: HashMap<&str, u32> = sized(mentions.len());
    let names: Vec<u32> = mentions
        .iter()
        .map(|m| {
            let next = numbers.len() as u32;
            *numbers.entry(full_name(scan, m)).or_insert(next)
        })
        .collect();
    containment(gaz, scan, mentions, &names, &mut ranked, theatre);
    let peers = list_peers(scan, mentions, &names, numbers.len());
    // One sense per report: a name that a town cue follows once ("a Palestine man") is not the
    // country anywhere in the report.
    let town_names: Vec<u32> = mentions.iter().zip(&names).filter(|(m, _)| m.town_cue).map(|(_, &n)| n).collect();
    if !town_names.is_empty() {
        for (k, cands) in ranked.iter_mut().enumerate() {
            if town_names.contains(&names[k]) {
                for c in cands.iter_mut().filter(|c| gaz.place(c.place).feature() == Feature::Country) {
                    c.base -= TOWN_CUE_MALUS;
                    c.score = c.base;
                }
                cands.sort_by(|a, b| b.base.total_cmp(&a.base));
            }
        }
    }
    let potential = Potential::of(gaz, &names, &ranked);
    // Each round scores every candidate against the previous round's best guesses, until the
    // guesses stop changing. From the third round on a candidate's score moves only halfway to
    // its new value, so that two names that keep swapping readings ("DeKalb" and "DeKalb
    // County": the Illinois town with the Georgia county, then the reverse) settle.
    // Coherence and focus depend only on the candidate, the mention's name and the guesses:
    // scored once per distinct (candidate, name) pair, so a report that repeats a name
    // thousands of times costs no more than one, and kept while the guesses stay as they were
    // (the damped rounds at the end). Each candidate carries its pair's number, so that a
    // round reads its vote from a list instead of hashing the pair again.
    let pairs = number_pairs(&names, &mut ranked);
    // What the vote asks of each pair's place (its areas, its kind, whether other names could
    // vouch for its subdivisions), read from the gazetteer once: a round then counts and looks
    // up by number, without opening a place or hashing a key.
    let facts = Facts::of(gaz, &pairs, &peers, &potential);
    let mut focus = Focus::new(&facts, numbers.len());
    // Coherence, the costly part (a distance to each context place), is kept from round to
    // round and measured again only against the context places that changed (see
    // [`Coherence`]): the later rounds of a long report change a few of them.
    let mut coherence = Coherence::new(gaz, &pairs);
    let mut votes: Vec<f64> = vec![0.0; pairs.len()];
    let mut voted_on: Vec<Option<u32>> = Vec::new();
    for round in 0..MAX_ROUNDS {
        // Each mention's best guess, as its pair (the mention's name is fixed, so the pair
        // changes exactly when the place does).
        let guesses: Vec<Option<u32>> = ranked.iter().map(|r| r.first().map(|c| c.pair)).collect();
        if guesses != voted_on {
            focus.count(&facts, &guesses);
            coherence.update(&focus.context(&facts));
            for (q, vote) in votes.iter_mut().enumerate() {
                *vote = coherence.value(facts.pairs[q].capital.map_or(q, |t| t as usize)) + focus.bonus(&facts, q, &peers[facts.pairs[q].name as usize]);
            }
        }
        // How far any score still is from what these guesses say it should be.
        let mut gap: f64 = 0.0;
        for cands in ranked.iter_mut() {
            for c in cands.iter_mut() {
                let target = c.base + votes[c.pair as usize];
                c.score = if round < 2 { target } else { 0.5 * (c.score + target) };
                gap = gap.max((target - c.score).abs());
            }
            cands.sort_by(|a, b| b.score.total_cmp(&a.score));
        }
        let settled = ranked.iter().zip(&guesses).all(|(r, g)| r.first().map(|c| c.pair) == *g);
        if settled && gap < SETTLED_GAP {
            break;
        }
        voted_on = guesses;
    }
    prefer_home_subdivision(gaz, &names, &mut ranked);
    ranked
}

/// Numbers the distinct (candidate place, name) pairs of the mentions' candidates, in the
/// order they first come, and marks each candidate with its pair's number.
fn number_pairs(names: &[u32], ranked: &mut [Vec<Candidate>]) -> Vec<(u32, u32)> {
    let mut numbers: HashMap<(u32, u32), u32> = sized(ranked.iter().map(Vec::len).sum());
    let mut pairs = Vec::new();
    for (cands, &name) in ranked.iter_mut().zip(names) {
        for c in cands.iter_mut() {
            c.pair = *numbers.entry((c.place, name)).or_insert_with(|| {
                pairs.push((c.place, name));
                pairs.len() as u32 - 1
            });
        }
    }
    pairs
}

/// For each name, itself and the names it is listed with ("Nevada and California"). Listed
/// first-level subdivisions are places of one kind side by side: the one does not contain the
/// other, so it does not vouch for readings inside it (Nevada City, California, for
/// "Nevada"). A county still holds the town listed with it ("Paris and Henry County").
fn list_peers(scan: &Scan, mentions: &[Mention], names: &[u32], count: usize) -> Vec<Vec<u32>> {
    let mut peers: Vec<Vec<u32>> = (0..count as u32).map(|n| vec![n]).collect();
    for (k, pair) in mentions.windows(2).enumerate() {
        let between = pair[0].last + 1;
        if pair[1].first == between + 1 && matches!(scan.folded_word(between), "and" | "or") {
            let (a, b) = (names[k], names[k + 1]);
            if !peers[a as usize].contains(&b) {
                peers[a as usize].push(b);
                peers[b as usize].push(a);
            }
        }
    }
    peers
}

/// The folded text of a mention with its type word, if any, without a leading "city of" and
/// the like (folded, "city" reads "citi"): "City of Richmond" is the report's "Richmond" again.
fn full_name<'s>(scan: &'s Scan, m: &Mention) -> &'s str {
    let name = &scan.folded[scan.words[m.first].fold_start as usize..scan.words[m.last].fold_end as usize];
    ["citi of ", "town of ", "village of ", "township of "].iter().find_map(|p| name.strip_prefix(p)).unwrap_or(name)
}

/// Share of the other names' places that must lie in one country before a name that is both
/// a foreign country and one of that country's subdivisions is read as the subdivision.
const HOME_SHARE: f64 = 0.6;
/// Least number of other names behind that share.
const HOME_NAMES: usize = 3;

/// "Georgia" in a report about Athens, Gainesville and Barrow County is the US state, not the
/// country in the Caucasus: when a name's best guess is a country that no other name points
/// to, while most of the other names' places lie in one country that has a first-level
/// subdivision of that name, the subdivision is meant. Names vouch only for other names, never
/// for themselves, so repeating "Georgia" does not make the country likelier.
fn prefer_home_subdivision(gaz: &Gazetteer, names: &[u32], ranked: &mut [Vec<Candidate>]) {
    // Each name's country, by its current best guess (a country counts for itself).
    let mut name_country: HashMap<u32, Option<u32>> = HashMap::default();
    for (k, cands) in ranked.iter().enumerate() {
        name_country.entry(names[k]).or_insert_with(|| cands.first().and_then(|c| Focus::areas(&gaz.place(c.place))[0]));
    }
    // How many names each country has, and how many names have one at all: the other names'
    // figures are these less the name's own, counted once rather than for every mention.
    let mut per_country: HashMap<u32, usize> = HashMap::default();
    for country in name_country.values().flatten() {
        *per_country.entry(*country).or_default() += 1;
    }
    let with_country = name_country.values().flatten().count();
    for k in 0..ranked.len() {
        let Some(best) = ranked[k].first().copied() else { continue };
        if gaz.place(best.place).feature() != Feature::Country {
            continue;
        }
        let own = name_country[&names[k]];
        let others = with_country - usize::from(own.is_some());
        let others_in = |country: u32| per_country.get(&country).copied().unwrap_or(0) - usize::from(own == Some(country));
        if others < HOME_NAMES || others_in(best.place) > 0 {
            continue;
        }
        let home = ranked[k].iter().position(|c| {
            let p = gaz.place(c.place);
            p.feature() == Feature::Admin1 && p.country_index().is_some_and(|country| others_in(country) as f64 >= HOME_SHARE * others as f64)
        });
        if let Some(i) = home {
            let mut c = ranked[k].remove(i);
            c.score = best.score + 1.0;
            ranked[k].insert(0, c);
        }
    }
}

/// The candidates for a name, best priors first. A short all-capitals word ("US") can only
/// be a country's code.
fn initial(gaz: &Gazetteer, value: u64, qualifier: Option<Qualifier>, short_code: bool, theatre: Option<&Theatre>) -> Vec<Candidate> {
    // In running text a bare name is the town more often than the area named after it
    // ("fighting in Kherson"); a type word ("Kherson region") says otherwise. The town must be
    // of some size beside the area: a hamlet called Wales does not make "Wales" a town.
    let biggest_town = if qualifier.is_none() {
        gaz.matches_for_value(value).map(|(i, _)| gaz.place(i)).filter(|p| !p.feature().is_area()).map(|p| p.population()).max()
    } else {
        None
    };
    // Per country, the settlements that bear the name as their own and those that have it as
    // another spelling (see SHARED_NAME); only a theatre uses them.
    let mut spellings: Vec<(u32, usize, usize)> = Vec::new();
    for (i, flags) in theatre.map(|_| gaz.matches_for_value(value)).into_iter().flatten() {
        let p = gaz.place(i);
        let Some(country) = p.country_index().filter(|_| p.feature() == Feature::City) else { continue };
        let (own, alternate) = (usize::from(!flags.is_alternate()), usize::from(flags.is_alternate()));
        match spellings.iter_mut().find(|(c, ..)| *c == country) {
            Some((_, o, a)) => (*o, *a) = (*o + own, *a + alternate),
            None => spellings.push((country, own, alternate)),
        }
    }
    let shared_in = |p: &Place<'_>| p.country_index().is_some_and(|c| spellings.iter().any(|&(o, own, alt)| o == c && own >= SHARED_NAME && alt < own));
    // A town of some size outside the theatre keeps its rank against the batch level: the
    // batch's front and focus say where its war is, not that a report never names Grozny.
    let town_outside = theatre.filter(|t| t.has_batch_level()).is_some_and(|t| {
        gaz.matches_for_value(value).any(|(i, _)| {
            let p = gaz.place(i);
            p.feature() == Feature::City && p.population() >= OUTSIDE_TOWN && t.weight(&p) == 0.0
        })
    });
    // The cities of BIG_CITY people or more whose own name this is: (country, population, name).
    let big_cities: Vec<(u32, u64, &str)> = gaz
        .matches_for_value(value)
        .filter(|(_, flags)| !flags.is_alternate())
        .map(|(i, _)| gaz.place(i))
        .filter(|p| p.feature() == Feature::City && p.population() >= BIG_CITY)
        .filter_map(|p| Some((p.country_index()?, p.population(), p.name())))
        .collect();
    // A settlement named after such a city ("Mykolaivka" after Mykolaiv) in its country; or
    // a city of its size whose other spelling this is (GeoNames gives Nikopol "Slovyansk"):
    // between two cities of a country, the name means the one it is the own name of.
    let in_big_city_name = |p: &Place<'_>| {
        p.country_index().is_some_and(|c| {
            big_cities.iter().any(|&(o, people, name)| {
                o == c
                    && (people >= BIG_CITY_RATIO * p.population().max(1) && named_after(p.name(), name)
                        || p.population() >= BIG_CITY && people >= p.population() / 2)
            })
        })
    };
    let mut cands: Vec<Candidate> = gaz
        .matches_for_value(value)
        .filter_map(|(i, flags)| {
            let p = gaz.place(i);
            if (short_code && p.feature() != Feature::Country) || !p.is_located() {
                return None;
            }
            let mut base = prior(&p, flags, qualifier);
            if flags.is_alternate() && p.feature() == Feature::City && theatre.is_some_and(|t| t.weight(&p) > 0.0) && shared_in(&p) {
                base -= SHARED_NAME_MALUS;
            }
            let town_named = biggest_town.is_some_and(|town| town as f64 >= TOWN_SHARE * p.population() as f64);
            // Reports name states and provinces for themselves more often than a lookup of a
            // bare name (which ranks Kherson the city above its oblast) would say.
            if p.feature() == Feature::Admin1 {
                base += STATE_LIFT;
            }
            if town_named && matches!(p.feature(), Feature::Admin1 | Feature::Admin2 | Feature::Hromada) {
                base -= BARE_AREA_MALUS;
            }
            if let Some(t) = theatre.filter(|_| p.feature() != Feature::Country) {
                base += if town_outside { t.explicit_bonus(&p) } else { t.bonus(&p) };
            }
            Some(Candidate { place: i, base, score: base, pair: 0 })
        })
        .collect();
    cands.sort_by(|a, b| b.base.total_cmp(&a.base));
    cands.truncate(MAX_CANDIDATES);
    // After the cut, so that the malus moves no candidate in or out of the list.
    if !big_cities.is_empty() {
        for (i, flags) in gaz.matches_for_value(value) {
            let p = gaz.place(i);
            if !(flags.is_alternate() && p.feature() == Feature::City && in_big_city_name(&p)) {
                continue;
            }
            if let Some(c) = cands.iter_mut().find(|c| c.place == i) {
                c.base -= BIG_CITY_NAME_MALUS;
                c.score = c.base;
            }
        }
        cands.sort_by(|a, b| b.base.total_cmp(&a.base));
    }
    cands
}

/// The escape from the theatre: a first-level subdivision outside the theatre that the text
/// names (some mention's best reading) lifts its own places to the theatre's level, and a
/// named country lifts its places halfway (reports about a war name the other side's country
/// all the time; its towns still need a reason more), so that "Volchansk in Sverdlovsk
/// oblast" keeps its reading; "Pisky, Romania" is settled by containment as well.
fn escape_theatre(gaz: &Gazetteer, theatre: &Theatre, ranked: &mut [Vec<Candidate>]) {
    let named: Vec<(u32, f64)> = ranked
        .iter()
        .filter_map(|r| r.first())
        .map(|c| gaz.place(c.place))
        .filter(|p| theatre.weight(p) < 1.0)
        .filter_map(|p| match p.feature() {
            Feature::Country => Some((p.index(), 0.5)),
            Feature::Admin1 => Some((p.index(), 1.0)),
            _ => None,
        })
        .collect();
    if named.is_empty() {
        return;
    }
    for cands in ranked.iter_mut() {
        let mut changed = false;
        for c in cands.iter_mut() {
            let p = gaz.place(c.place);
            let lift = [p.country_index(), p.admin1_index()]
                .into_iter()
                .flatten()
                .filter_map(|a| named.iter().find(|(n, _)| *n == a).map(|(_, share)| *share))
                .fold(0.0, f64::max);
            if p.feature() != Feature::Country && lift > 0.0 {
                c.base += lift * THEATRE_BONUS * (1.0 - theatre.weight(&p));
                c.score = c.base;
                changed = true;
            }
        }
        if changed {
            cands.sort_by(|a, b| b.base.total_cmp(&a.base));
        }
    }
}

/// "in Oskil", "at Desna": English gives a river, a lake or a sea its article ("in the
/// Oskil"), so a name right after "in" or "at", with neither article nor type word, is a
/// settlement of that name when it has one, not the water.
fn bare_water_after_in(gaz: &Gazetteer, scan: &Scan, mentions: &[Mention], ranked: &mut [Vec<Candidate>]) {
    for (m, cands) in mentions.iter().zip(ranked.iter_mut()) {
        let after_in = m.first.checked_sub(1).is_some_and(|p| matches!(scan.folded_word(p), "in" | "at"));
        if !after_in || m.qualifier.is_some() || !cands.iter().any(|c| gaz.place(c.place).feature() == Feature::City) {
            continue;
        }
        let mut changed = false;
        for c in cands.iter_mut().filter(|c| gaz.place(c.place).feature().is_water()) {
            c.base -= BARE_WATER_MALUS;
            c.score = c.base;
            changed = true;
        }
        if changed {
            cands.sort_by(|a, b| b.base.total_cmp(&a.base));
        }
    }
}

/// "Koroviy Yar, Donetsk" with a village the gazetteer lacks: a name that can be an area and
/// its capital city, right after a comma (or an opening parenthesis) that follows a capitalised word which is no known
/// place, qualifies that word, so it is the area. Pinning the event on the capital would look
/// precise and be wrong.
fn unknown_before_area(gaz: &Gazetteer, scan: &Scan, mentions: &[Mention], ranked: &mut [Vec<Candidate>]) {
    for k in 0..mentions.len() {
        let m = &mentions[k];
        let Some(before) = m.first.checked_sub(1) else { continue };
        let known_before = k > 0 && mentions[k - 1].last == before;
        let qualifies = scan.words[m.first].comma_before || scan.words[m.first].paren_before;
        if !qualifies || known_before || !scan.words[before].capitalised {
            continue;
        }
        let mut changed = false;
        for c in ranked[k].iter_mut() {
            if matches!(gaz.place(c.place).feature(), Feature::Admin1 | Feature::Admin2) {
                c.base += CONTAINMENT_BONUS;
                c.score = c.base;
                changed = true;
            }
        }
        if changed {
            ranked[k].sort_by(|a, b| b.base.total_cmp(&a.base));
        }
    }
}

/// "Town, Area": the area right after a comma settles which town is meant, there and
/// wherever else the report names the town (one sense per report: "Springfield, Ohio" once
/// makes every "Springfield" the Ohio city).
fn containment(gaz: &Gazetteer, scan: &Scan, mentions: &[Mention], names: &[u32], ranked: &mut [Vec<Candidate>], theatre: Option<&Theatre>) {
    // (name, town candidate) pairs that an area settles.
    let mut settled: Vec<(u32, u32)> = Vec::new();
    for k in 0..mentions.len().saturating_sub(1) {
        let (town, area) = (&mentions[k], &mentions[k + 1]);
        if !contained_by(scan, town, area) {
            continue;
        }
        // The area's likelier readings only: "Kyiv Oblast" is the oblast, not a city district
        // of Kharkiv that an alternate spelling also calls Kyiv.
        let area_cands: Vec<&Candidate> = ranked[k + 1].iter().filter(|c| gaz.place(c.place).feature().is_area()).collect();
        let best_area = area_cands.iter().map(|c| c.base).fold(f64::NEG_INFINITY, f64::max);
        let areas: Vec<u32> = area_cands.iter().filter(|c| c.base >= best_area - AREA_READINGS).map(|c| c.place).collect();
        // The town may be one of many of its name (73 villages are called Andriivka), beyond
        // the candidates kept by prior: when the list was cut, those inside the area join it,
        // by their own name, and inside the theatre by any spelling, since the theatre's
        // romanised and Russian forms are alternates ("Stepnoye" for a Stepne of the raion;
        // elsewhere an alternate is often a former or foreign name: "Washington, New York" is
        // not Watervliet).
        if let Some(value) = town.value.filter(|_| ranked[k].len() >= MAX_CANDIDATES) {
            let inside =
                |p: &Place<'_>| [p.country_index(), p.admin1_index(), p.admin2_index(), p.admin3_index()].into_iter().flatten().any(|a| areas.contains(&a));
            let extra: Vec<Candidate> = gaz
                .matches_for_value(value)
                .filter(|(i, _)| !ranked[k].iter().any(|c| c.place == *i))
                .filter_map(|(i, flags)| {
                    let p = gaz.place(i);
                    let spelling_ok = !flags.is_alternate() || theatre.is_some_and(|t| t.weight(&p) > 0.0);
                    (spelling_ok && p.is_located() && p.feature() != Feature::Country && inside(&p)).then(|| {
                        let base = prior(&p, flags, town.qualifier) + theatre.map_or(0.0, |t| t.bonus(&p));
                        Candidate { place: i, base, score: base, pair: 0 }
                    })
                })
                .collect();
            ranked[k].extend(extra);
        }
        let mut used = Vec::new();
        for c in &ranked[k] {
            let p = gaz.place(c.place);
            let inside = [p.country_index(), p.admin1_index(), p.admin2_index(), p.admin3_index()].into_iter().flatten().find(|a| areas.contains(a));
            if let Some(a) = inside {
                if !settled.contains(&(names[k], c.place)) {
                    settled.push((names[k], c.place));
                }
                used.push(a);
            }
        }
        for c in ranked[k + 1].iter_mut() {
            if used.contains(&c.place) {
                c.base += CONTAINER_BONUS;
            }
        }
        ranked[k + 1].sort_by(|a, b| b.base.total_cmp(&a.base));
    }
    if settled.is_empty() {
        return;
    }
    // The places of a settled name outside the area the text put it in lose as much.
    for (k, cands) in ranked.iter_mut().enumerate() {
        let mut changed = false;
        for c in cands.iter_mut() {
            if settled.contains(&(names[k], c.place)) {
                c.base += CONTAINMENT_BONUS;
                changed = true;
            } else if settled.iter().any(|(n, _)| *n == names[k]) {
                c.base -= CONTAINMENT_BONUS;
                changed = true;
            }
        }
        if changed {
            cands.sort_by(|a, b| b.base.total_cmp(&a.base));
        }
    }
}

/// Whether the text puts `town` inside `area`: "Town, Area", "Town (Area)", or, when the area
/// carries its type word, "Town in (the) Area Oblast" and "Town village in Area region".
fn contained_by(scan: &Scan, town: &Mention, area: &Mention) -> bool {
    if area.first <= town.last {
        return false;
    }
    if area.first == town.last + 1 {
        return scan.words[area.first].comma_before || scan.words[area.first].paren_before;
    }
    // At most three words between, read without collecting them: this runs for every two
    // neighbouring mentions.
    let between = area.first - town.last - 1;
    if area.qualifier.is_none() || between > 3 || (town.last + 1..=area.first).any(|i| scan.words[i].punct_before) {
        return false;
    }
    let mut gap = [""; 3];
    for (word, i) in gap.iter_mut().zip(town.last + 1..area.first) {
        *word = scan.folded_word(i);
    }
    matches!(&gap[..between], ["in"] | ["in", "the"] | ["village" | "town" | "citi", "in"] | ["village" | "town" | "citi", "in", "the"])
}

/// What the vote asks of each (candidate place, name) pair of a report, read from the
/// gazetteer once: the rounds count and look up by the numbers given here.
struct Facts {
    pairs: Vec<PairFacts>,
    /// How many distinct places the pairs have, and how many distinct areas.
    places: usize,
    areas: usize,
}

/// Whether a name's last word is a type word ("Kharkiv Oblast", "Rapides Parish").
fn ends_in_type_word(name: &str) -> bool {
    name.rsplit(' ').next().is_some_and(|w| w.len() < name.len() && Qualifier::from_folded_word(&w.to_lowercase()).is_some())
}

/// What the vote asks of one pair.
#[derive(Debug, Clone, Copy)]
struct PairFacts {
    /// The gazetteer place, and the name.
    place: u32,
    name: u32,
    /// The place's number among the report's candidate places.
    place_number: u32,
    /// Its country, first- and second-level subdivision ([`Focus::areas`]), numbered among
    /// the areas of the report's candidates.
    areas: [Option<u32>; 3],
    /// The place's own number among those areas, when it is a first- or second-level
    /// subdivision (which a name's best guess then names).
    own_area: Option<u32>,
    /// Whether another name's candidates include its first-level subdivision
    /// ([`Potential::admin1_named`]), and its second-level one ([`Potential::admin2_named`]).
    admin1_potential: bool,
    admin2_potential: bool,
    /// A point-like place (not an area, not water): a context place of coherence when it is a
    /// best guess.
    point_like: bool,
    /// For a subdivision whose own name carries a type word ("Kharkiv Oblast", "Los Angeles
    /// County"): the pair of the largest town of the same name inside it ("Kharkiv", the
    /// city), whose coherence the subdivision takes. An area lies at no distance from the
    /// towns inside it, so on its own coherence it would beat its capital in every report
    /// that names a village of it, and a bare "Kharkiv" in a long report would be the oblast;
    /// the prior decides instead (it weighs the town's share of the area's people, and a type
    /// word where the text writes one). A subdivision whose own name is the town's ("New
    /// York", the state) keeps its own coherence.
    capital: Option<u32>,
}

impl Facts {
    fn of(gaz: &Gazetteer, pairs: &[(u32, u32)], peers: &[Vec<u32>], potential: &Potential) -> Facts {
        let (mut places, mut areas): (HashMap<u32, u32>, HashMap<u32, u32>) = (sized(pairs.len()), sized(pairs.len()));
        let number = |map: &mut HashMap<u32, u32>, i: u32| {
            let next = map.len() as u32;
            *map.entry(i).or_insert(next)
        };
        let mut pairs: Vec<PairFacts> = pairs
            .iter()
            .map(|&(place, name)| {
                let p = gaz.place(place);
                let feature = p.feature();
                PairFacts {
                    place,
                    name,
                    place_number: number(&mut places, place),
                    areas: Focus::areas(&p).map(|a| a.map(|a| number(&mut areas, a))),
                    own_area: matches!(feature, Feature::Admin1 | Feature::Admin2).then(|| number(&mut areas, place)),
                    admin1_potential: potential.admin1_named(&p, &peers[name as usize]),
                    admin2_potential: potential.admin2_named(&p, name),
                    point_like: !feature.is_area() && !feature.is_water(),
                    capital: None,
                }
            })
            .collect();
        // Each subdivision pair's capital: the largest town among the same name's pairs that
        // lies in it.
        let mut by_name: HashMap<u32, Vec<u32>> = sized(pairs.len());
        for (q, f) in pairs.iter().enumerate() {
            by_name.entry(f.name).or_default().push(q as u32);
        }
        for q in 0..pairs.len() {
            let area = pairs[q].place;
            let p = gaz.place(area);
            if !matches!(p.feature(), Feature::Admin1 | Feature::Admin2) || !ends_in_type_word(p.display_name()) {
                continue;
            }
            pairs[q].capital = by_name[&pairs[q].name]
                .iter()
                .copied()
                .filter(|&t| {
                    let p = gaz.place(pairs[t as usize].place);
                    p.feature() == Feature::City && (p.admin1_index() == Some(area) || p.admin2_index() == Some(area))
                })
                .max_by_key(|&t| gaz.place(pairs[t as usize].place).population());
        }
        Facts { pairs, places: places.len(), areas: areas.len() }
    }
}

/// Which countries and subdivisions the document's current best guesses lie in, counted per
/// name so that a name's own mentions never vote for its own candidates. Counted by the
/// numbers of [`Facts`], in lists kept from round to round; a round clears only what the
/// round before counted.
struct Focus {
    /// Votes per area (country, first- or second-level subdivision).
    votes: Vec<f64>,
    /// Mentions per name.
    mentions: Vec<f64>,
    /// Mentions per best guess (by place number), and per (name, best guess): per pair.
    guesses: Vec<f64>,
    by_pair: Vec<f64>,
    /// Per name, the pairs its mentions' best guesses are: what each name's mentions gave
    /// an area is read from them.
    by_name: Vec<Vec<u32>>,
    /// Per area, the names whose best guess that subdivision is.
    named: Vec<Vec<u32>>,
    /// The pairs that are some mention's best guess, in the order first counted.
    guessed: Vec<u32>,
    total: f64,
}

impl Focus {
    /// Empty counts for the pairs of `facts` and `names` distinct names.
    fn new(facts: &Facts, names: usize) -> Focus {
        Focus {
            votes: vec![0.0; facts.areas],
            mentions: vec![0.0; names],
            guesses: vec![0.0; facts.places],
            by_pair: vec![0.0; facts.pairs.len()],
            by_name: vec![Vec::new(); names],
            named: vec![Vec::new(); facts.areas],
            guessed: Vec::new(),
            total: 0.0,
        }
    }

    /// Counts the best guesses `guesses` (a pair per mention, `None` for a mention without
    /// candidates), in place of the counts before.
    fn count(&mut self, facts: &Facts, guesses: &[Option<u32>]) {
        for &q in &self.guessed {
            let f = &facts.pairs[q as usize];
            self.by_pair[q as usize] = 0.0;
            self.guesses[f.place_number as usize] = 0.0;
            self.mentions[f.name as usize] = 0.0;
            self.by_name[f.name as usize].clear();
            for a in f.areas.into_iter().flatten() {
                self.votes[a as usize] = 0.0;
            }
            if let Some(a) = f.own_area {
                self.named[a as usize].clear();
            }
        }
        self.guessed.clear();
        self.total = 0.0;
        for &q in guesses.iter().flatten() {
            let f = &facts.pairs[q as usize];
            if self.by_pair[q as usize] == 0.0 {
                self.guessed.push(q);
                self.by_name[f.name as usize].push(q);
            }
            self.by_pair[q as usize] += 1.0;
            self.guesses[f.place_number as usize] += 1.0;
            if let Some(a) = f.own_area {
                let names = &mut self.named[a as usize];
                if !names.contains(&f.name) {
                    names.push(f.name);
                }
            }
            for a in f.areas.into_iter().flatten() {
                self.votes[a as usize] += 1.0;
            }
            self.mentions[f.name as usize] += 1.0;
            self.total += 1.0;
        }
    }

    /// The votes that the mentions of `name` gave area `a`.
    fn by_name(&self, facts: &Facts, name: u32, a: u32) -> f64 {
        self.by_name[name as usize]
            .iter()
            .map(|&q| self.by_pair[q as usize] * facts.pairs[q as usize].areas.iter().filter(|&&area| area == Some(a)).count() as f64)
            .sum()
    }

    /// True when a name outside `peers` (a name and its list siblings) has `area` as its best
    /// guess.
    fn named_by_other(&self, area: Option<u32>, peers: &[u32]) -> bool {
        area.is_some_and(|a| self.named[a as usize].iter().any(|n| !peers.contains(n)))
    }

    /// The context places of coherence: the point-like places (towns, facilities; not areas,
    /// not water) that the best guesses name, each once with the number of the name that
    /// named it (as its pair), the most often guessed [`MAX_CONTEXT`] of them.
    fn context(&self, facts: &Facts) -> Vec<u32> {
        let mut context: Vec<u32> = self.guessed.iter().copied().filter(|&q| facts.pairs[q as usize].point_like).collect();
        let key = |q: u32| (facts.pairs[q as usize].place, facts.pairs[q as usize].name);
        context.sort_by(|&a, &b| self.by_pair[b as usize].total_cmp(&self.by_pair[a as usize]).then(key(a).cmp(&key(b))));
        context.truncate(MAX_CONTEXT);
        context
    }

    /// The country, first-level and second-level subdivision a place counts for (an area
    /// counts for itself).
    fn areas(p: &Place<'_>) -> [Option<u32>; 3] {
        let feature = p.feature();
        let own = |f: Feature, link: Option<u32>| if feature == f { Some(p.index()) } else { link };
        [own(Feature::Country, p.country_index()), own(Feature::Admin1, p.admin1_index()), own(Feature::Admin2, p.admin2_index())]
    }

    /// Bonus for pair `q`'s place as a candidate of a mention of its name: the share of the
    /// other names' mentions that lie in each of its areas, and more for its subdivisions that
    /// other names name (in full when their best guess is that subdivision, in part when it
    /// is only one of their candidates). Neither a name nor a place vouches for itself:
    /// mentions of the same name, and other names already read as the place itself, do not
    /// count. `peers` are the name and the names listed with it.
    fn bonus(&self, facts: &Facts, q: usize, peers: &[u32]) -> f64 {
        let f = &facts.pairs[q];
        let name = f.name;
        let [country, admin1, admin2] = f.areas;
        let named = |area: Option<u32>, peers: &[u32], could_be: bool, weight: f64| {
            if self.named_by_other(area, peers) {
                weight
            } else if could_be {
                POTENTIAL * weight
            } else {
                0.0
            }
        };
        let named = named(admin1, peers, f.admin1_potential, NAMED_ADMIN1) + named(admin2, &[name], f.admin2_potential, NAMED_ADMIN2);
        // Other names' mentions already read as the place.
        let as_itself = self.guesses[f.place_number as usize] - self.by_pair[q];
        let others = self.total - self.mentions[name as usize] - as_itself;
        if others <= 0.0 {
            return named;
        }
        let share = |area: Option<u32>| -> f64 {
            let Some(a) = area else { return 0.0 };
            let n = self.votes[a as usize] - self.by_name(facts, name, a) - as_itself;
            n.max(0.0) / others
        };
        COUNTRY_FOCUS * share(country) + ADMIN1_FOCUS * share(admin1) + ADMIN2_FOCUS * share(admin2) + named
    }
}

/// Which names point at each area.
#[derive(Default)]
struct Namers(HashMap<u32, Vec<u32>>);

impl Namers {
    fn add(&mut self, area: u32, name: u32) {
        let names = self.0.entry(area).or_default();
        if !names.contains(&name) {
            names.push(name);
        }
    }

    /// True when a name outside `peers` (a name and its list siblings) points at `area`.
    fn by_other(&self, area: Option<u32>, peers: &[u32]) -> bool {
        area.and_then(|a| self.0.get(&a)).is_some_and(|names| names.iter().any(|n| !peers.contains(n)))
    }
}

/// What the names could mean, whichever candidates win: the subdivisions that are candidates
/// of some name ("Anderson County" may be the one in Texas), and the second-level
/// subdivisions that hold a candidate town of some name ("Palestine" may be the Texas town in
/// Anderson County). Two names that can be read as a town and the county holding it vouch for
/// each other's such reading, which the best guesses alone may never reach.
#[derive(Default)]
struct Potential {
    areas: Namers,
    holders: Namers,
}

impl Potential {
    fn of(gaz: &Gazetteer, names: &[u32], ranked: &[Vec<Candidate>]) -> Potential {
        let mut potential = Potential::default();
        let mut seen: rustc_hash::FxHashSet<u32> = Default::default();
        for (&name, cands) in names.iter().zip(ranked) {
            if !seen.insert(name) {
                continue;
            }
            for c in cands {
                let p = gaz.place(c.place);
                match p.feature() {
                    Feature::Admin1 | Feature::Admin2 => potential.areas.add(c.place, name),
                    f if !f.is_area() => {
                        if let Some(a) = p.admin2_index() {
                            potential.holders.add(a, name);
                        }
                    }
                    _ => {}
                }
            }
        }
        potential
    }

    /// Whether another name's candidates include `p`'s first-level subdivision.
    fn admin1_named(&self, p: &Place<'_>, peers: &[u32]) -> bool {
        self.areas.by_other(Focus::areas(p)[1], peers)
    }

    /// Whether another name's candidates include `p`'s second-level subdivision, or, when `p`
    /// is one, a town inside it.
    fn admin2_named(&self, p: &Place<'_>, name: u32) -> bool {
        self.areas.by_other(Focus::areas(p)[2], &[name]) || (p.feature() == Feature::Admin2 && self.holders.by_other(Some(p.index()), &[name]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_gazetteer::{IndexWriter, PlaceSpec};

    /// A country with two first-level subdivisions of two second-level ones each, a town in
    /// each of those, a second country with a town, and a river.
    fn gazetteer() -> Gazetteer {
        let mut w = IndexWriter::new();
        let mut land = PlaceSpec::new("Land", Feature::Country, 49.0, 31.0);
        land.code = "LA".to_owned();
        let land = w.add(land);
        for a in 0..2u32 {
            let mut admin1 = PlaceSpec::new(&format!("Region{a}"), Feature::Admin1, 49.0 + f64::from(a), 31.0);
            admin1.country = Some(land);
            let admin1 = w.add(admin1);
            for b in 0..2u32 {
                let mut admin2 = PlaceSpec::new(&format!("District{a}{b}"), Feature::Admin2, 49.0 + f64::from(a), 31.0 + f64::from(b));
                (admin2.country, admin2.admin1) = (Some(land), Some(admin1));
                let admin2 = w.add(admin2);
                let mut town = PlaceSpec::new(&format!("Town{a}{b}"), Feature::City, 49.1 + f64::from(a), 31.1 + f64::from(b));
                (town.country, town.admin1, town.admin2) = (Some(land), Some(admin1), Some(admin2));
                w.add(town);
            }
        }
        let mut other = PlaceSpec::new("Other", Feature::Country, 40.0, 20.0);
        other.code = "OT".to_owned();
        let other = w.add(other);
        let mut far = PlaceSpec::new("Far", Feature::City, 40.1, 20.1);
        far.country = Some(other);
        w.add(far);
        w.add(PlaceSpec::new("Stream", Feature::River, 49.5, 31.5));
        Gazetteer::from_bytes(&w.finish()).unwrap()
    }

    /// The focus as it was counted before [`Facts`]: maps keyed by gazetteer index, filled from
    /// the best guesses' places, and its bonus for a place as a candidate of a name.
    fn reference_bonus(names: &[u32], winners: &[Option<Place<'_>>], p: &Place<'_>, name: u32, peers: &[u32], potential: &Potential) -> f64 {
        let mut votes: HashMap<u32, f64> = HashMap::default();
        let mut by_name: HashMap<(u32, u32), f64> = HashMap::default();
        let mut mentions: HashMap<u32, f64> = HashMap::default();
        let mut guesses: HashMap<u32, f64> = HashMap::default();
        let mut guesses_by_name: HashMap<(u32, u32), f64> = HashMap::default();
        let mut named_areas = Namers::default();
        let mut total = 0.0;
        for (&n, w) in names.iter().zip(winners) {
            let Some(w) = w else { continue };
            *guesses.entry(w.index()).or_default() += 1.0;
            *guesses_by_name.entry((n, w.index())).or_default() += 1.0;
            if matches!(w.feature(), Feature::Admin1 | Feature::Admin2) {
                named_areas.add(w.index(), n);
            }
            for area in Focus::areas(w).into_iter().flatten() {
                *votes.entry(area).or_default() += 1.0;
                *by_name.entry((n, area)).or_default() += 1.0;
            }
            *mentions.entry(n).or_default() += 1.0;
            total += 1.0;
        }
        let [country, admin1, admin2] = Focus::areas(p);
        let named = |area: Option<u32>, peers: &[u32], could_be: bool, weight: f64| {
            if named_areas.by_other(area, peers) {
                weight
            } else if could_be {
                POTENTIAL * weight
            } else {
                0.0
            }
        };
        let named =
            named(admin1, peers, potential.admin1_named(p, peers), NAMED_ADMIN1) + named(admin2, &[name], potential.admin2_named(p, name), NAMED_ADMIN2);
        let as_itself = guesses.get(&p.index()).copied().unwrap_or(0.0) - guesses_by_name.get(&(name, p.index())).copied().unwrap_or(0.0);
        let others = total - mentions.get(&name).copied().unwrap_or(0.0) - as_itself;
        if others <= 0.0 {
            return named;
        }
        let share = |area: Option<u32>| -> f64 {
            let Some(a) = area else { return 0.0 };
            let n = votes.get(&a).copied().unwrap_or(0.0) - by_name.get(&(name, a)).copied().unwrap_or(0.0) - as_itself;
            n.max(0.0) / others
        };
        COUNTRY_FOCUS * share(country) + ADMIN1_FOCUS * share(admin1) + ADMIN2_FOCUS * share(admin2) + named
    }

    #[test]
    fn counted_focus_gives_the_bonus_the_maps_gave() {
        let gaz = gazetteer();
        let every: Vec<u32> = (0..gaz.len() as u32).collect();
        let name_count = 5u32;
        // Every place a candidate of every name, in a scrambled order.
        let mut state: u64 = 11;
        let mut next = |n: u64| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        let mut pairs: Vec<(u32, u32)> = every.iter().flat_map(|&p| (0..name_count).map(move |n| (p, n))).collect();
        for i in (1..pairs.len()).rev() {
            pairs.swap(i, next(i as u64 + 1) as usize);
        }
        // Names 1 and 2 are listed together ("Region0 and Region1").
        let peers: Vec<Vec<u32>> = (0..name_count).map(|n| if n == 1 || n == 2 { vec![n, 3 - n] } else { vec![n] }).collect();
        let mut potential = Potential::default();
        for &(place, name) in pairs.iter().filter(|_| next(3) == 0) {
            let p = gaz.place(place);
            match p.feature() {
                Feature::Admin1 | Feature::Admin2 => potential.areas.add(place, name),
                f if !f.is_area() => {
                    if let Some(a) = p.admin2_index() {
                        potential.holders.add(a, name);
                    }
                }
                _ => {}
            }
        }
        let facts = Facts::of(&gaz, &pairs, &peers, &potential);
        let mut focus = Focus::new(&facts, name_count as usize);
        // Rounds of guesses over 30 mentions: each mention's name fixed, its best guess one of
        // its name's pairs or none; some rounds with no guesses at all.
        let mention_names: Vec<u32> = (0..30).map(|_| next(u64::from(name_count)) as u32).collect();
        for round in 0..40 {
            let guesses: Vec<Option<u32>> = mention_names
                .iter()
                .map(|&n| {
                    let of_name: Vec<u32> = (0..pairs.len() as u32).filter(|&q| pairs[q as usize].1 == n).collect();
                    // Few distinct guesses per name, as in a report, and sometimes none.
                    (round % 6 != 5 && next(8) != 0).then(|| of_name[next(3) as usize])
                })
                .collect();
            focus.count(&facts, &guesses);
            let winners: Vec<Option<Place<'_>>> = guesses.iter().map(|g| g.map(|q| gaz.place(pairs[q as usize].0))).collect();
            for (q, &(place, name)) in pairs.iter().enumerate() {
                let expected = reference_bonus(&mention_names, &winners, &gaz.place(place), name, &peers[name as usize], &potential);
                assert_eq!(focus.bonus(&facts, q, &peers[name as usize]).to_bits(), expected.to_bits(), "round {round}, pair {q}");
            }
            // The context: the point-like best guesses, most guessed first.
            let context = focus.context(&facts);
            let mut expected: Vec<(u32, u32)> =
                guesses.iter().flatten().map(|&q| pairs[q as usize]).filter(|&(p, _)| gaz.place(p).feature() == Feature::City).collect();
            expected.sort_unstable();
            expected.dedup();
            let mut got: Vec<(u32, u32)> = context.iter().map(|&q| pairs[q as usize]).collect();
            got.sort_unstable();
            assert_eq!(got, expected, "round {round}");
        }
    }
}
