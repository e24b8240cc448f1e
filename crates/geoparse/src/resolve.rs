//! Toponym resolution: which gazetteer entry each recognised name refers to.
//!
//! Each mention's candidates start from the gazetteer's context-free [`prior`]. The document
//! then votes, in two rounds over the current best guesses:
//!
//! - **explicit containment**: "Alexandria, Louisiana" — a town followed by a comma and an
//!   area that contains one of its candidates settles it;
//! - **focus**: candidates in the countries and first- and second-level subdivisions that the
//!   other names' mentions point to gain, in proportion to those mentions' share (a name never
//!   votes for its own candidates);
//! - **coherence**: a town candidate loses with the distance to the nearest other mentioned
//!   place, so Balakliya beside Izyum and Kupiansk is the Kharkiv Oblast town;
//! - **home subdivision**: a name that is both a foreign country and a subdivision of the
//!   country the rest of the report is about is the subdivision ("Georgia" among Georgia towns).

use sitrep_gazetteer::{approx_distance_km, distance_penalty, nearest_in_box, prior, Feature, Gazetteer, LatLon, Place};

use rustc_hash::FxHashMap as HashMap;

use crate::{
    recognize::{mention_key, Mention},
    scan::Scan,
};

/// Candidates kept per mention, best priors first.
const MAX_CANDIDATES: usize = 32;
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
/// Malus for an administrative area named without a type word.
const BARE_AREA_MALUS: f64 = 2.0;
/// Most distinct places a candidate's distance is measured to (the most mentioned ones), so
/// that a report naming thousands of places stays fast.
const MAX_CONTEXT: usize = 64;
/// Weight of the distance to the nearest other mentioned place.
const COHERENCE: f64 = 1.0;

/// One candidate place for a mention.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    /// Gazetteer place index.
    pub place: u32,
    /// Prior plus explicit containment: what the document's vote starts from.
    pub base: f64,
    /// Final score.
    pub score: f64,
}

/// Ranks every mention's candidates, best first.
pub fn resolve(gaz: &Gazetteer, scan: &Scan, mentions: &[Mention]) -> Vec<Vec<Candidate>> {
    let mut ranked: Vec<Vec<Candidate>> = mentions.iter().map(|m| initial(gaz, scan, m)).collect();
    containment(gaz, scan, mentions, &mut ranked);
    // Each distinct name gets a small number, so that comparing names is comparing numbers.
    let mut numbers: HashMap<&str, u32> = HashMap::default();
    let names: Vec<u32> = mentions
        .iter()
        .map(|m| {
            let next = numbers.len() as u32;
            *numbers.entry(mention_key(scan, m)).or_insert(next)
        })
        .collect();
    for _ in 0..2 {
        let winners: Vec<Option<Place<'_>>> = ranked.iter().map(|r| r.first().map(|c| gaz.place(c.place))).collect();
        let focus = Focus::of(&names, &winners);
        let context = context_places(&names, &winners);
        // Coherence and focus depend only on the candidate and the mention's name: computed once
        // per pair, so a report that repeats a name thousands of times costs no more than one.
        let mut vote_of: HashMap<(u32, u32), f64> = HashMap::with_capacity_and_hasher(ranked.len() * 4, Default::default());
        for (k, cands) in ranked.iter_mut().enumerate() {
            for c in cands.iter_mut() {
                let p = gaz.place(c.place);
                let vote = *vote_of.entry((c.place, names[k])).or_insert_with(|| coherence(&p, names[k], &context) + focus.bonus(&p, names[k]));
                c.score = c.base + vote;
            }
            cands.sort_by(|a, b| b.score.total_cmp(&a.score));
        }
    }
    prefer_home_subdivision(gaz, &names, &mut ranked);
    ranked
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
    for k in 0..ranked.len() {
        let Some(best) = ranked[k].first().copied() else { continue };
        if gaz.place(best.place).feature() != Feature::Country {
            continue;
        }
        let others: Vec<u32> = name_country.iter().filter(|(n, _)| **n != names[k]).filter_map(|(_, c)| *c).collect();
        if others.len() < HOME_NAMES || others.contains(&best.place) {
            continue;
        }
        let home = ranked[k].iter().position(|c| {
            let p = gaz.place(c.place);
            p.feature() == Feature::Admin1
                && p.country().is_some_and(|country| others.iter().filter(|&&o| o == country.index()).count() as f64 >= HOME_SHARE * others.len() as f64)
        });
        if let Some(i) = home {
            let mut c = ranked[k].remove(i);
            c.score = best.score + 1.0;
            ranked[k].insert(0, c);
        }
    }
}

/// The point-like places (towns, facilities; not areas, not water) that the current best
/// guesses name, each once with the number of the name that named it: the most often
/// mentioned [`MAX_CONTEXT`] of them.
fn context_places<'g>(names: &[u32], winners: &[Option<Place<'g>>]) -> Vec<(u32, Place<'g>)> {
    let mut counts: HashMap<(u32, u32), (usize, Place<'g>)> = HashMap::default();
    for (&name, w) in names.iter().zip(winners) {
        if let Some(w) = w.filter(|w| !w.feature().is_area() && !w.feature().is_water()) {
            counts.entry((w.index(), name)).or_insert((0, w)).0 += 1;
        }
    }
    let mut places: Vec<((u32, u32), (usize, Place<'g>))> = counts.into_iter().collect();
    places.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    places.into_iter().take(MAX_CONTEXT).map(|((_, name), (_, place))| (name, place)).collect()
}

fn initial(gaz: &Gazetteer, scan: &Scan, m: &Mention) -> Vec<Candidate> {
    let short_code = m.first == m.name_last && scan.words[m.first].all_caps && scan.folded_word(m.first).len() <= 3;
    let Some(value) = m.value else { return Vec::new() };
    // In running text a bare name is the town more often than the area named after it
    // ("fighting in Kherson"); a type word ("Kherson region") says otherwise. Where no town
    // bears the name (a state against a country: "Georgia") there is no such preference.
    let town_named = m.qualifier.is_none() && gaz.matches_for_value(value).any(|(i, _)| !gaz.place(i).feature().is_area());
    let mut cands: Vec<Candidate> = gaz
        .matches_for_value(value)
        .filter_map(|(i, flags)| {
            let p = gaz.place(i);
            if (short_code && p.feature() != Feature::Country) || !p.is_located() {
                return None;
            }
            let mut base = prior(&p, flags, m.qualifier);
            if town_named && matches!(p.feature(), Feature::Admin1 | Feature::Admin2) {
                base -= BARE_AREA_MALUS;
            }
            Some(Candidate { place: i, base, score: base })
        })
        .collect();
    cands.sort_by(|a, b| b.base.total_cmp(&a.base));
    cands.truncate(MAX_CANDIDATES);
    cands
}

/// "Town, Area": the area right after a comma settles which town is meant.
fn containment(gaz: &Gazetteer, scan: &Scan, mentions: &[Mention], ranked: &mut [Vec<Candidate>]) {
    for k in 0..mentions.len().saturating_sub(1) {
        let (town, area) = (&mentions[k], &mentions[k + 1]);
        if area.first != town.last + 1 || !scan.words[area.first].comma_before {
            continue;
        }
        let areas: Vec<u32> = ranked[k + 1]
            .iter()
            .filter(|c| gaz.place(c.place).feature().is_area())
            .map(|c| c.place)
            .collect();
        let mut used = Vec::new();
        for c in ranked[k].iter_mut() {
            let p = gaz.place(c.place);
            let inside = [p.country(), p.admin1(), p.admin2()].into_iter().flatten().find(|a| areas.contains(&a.index()));
            if let Some(a) = inside {
                c.base += CONTAINMENT_BONUS;
                used.push(a.index());
            }
        }
        for c in ranked[k + 1].iter_mut() {
            if used.contains(&c.place) {
                c.base += CONTAINER_BONUS;
            }
        }
        ranked[k].sort_by(|a, b| b.base.total_cmp(&a.base));
        ranked[k + 1].sort_by(|a, b| b.base.total_cmp(&a.base));
    }
}

/// Which countries and subdivisions the document's current best guesses lie in, counted per
/// name so that a name's own mentions never vote for its own candidates.
struct Focus {
    /// Votes per area (country, first- or second-level subdivision).
    votes: HashMap<u32, f64>,
    /// Votes per (name, area): what each name's mentions gave.
    by_name: HashMap<(u32, u32), f64>,
    /// Mentions per name.
    mentions: HashMap<u32, f64>,
    total: f64,
}

impl Focus {
    fn of(names: &[u32], winners: &[Option<Place<'_>>]) -> Focus {
        let mut f = Focus { votes: HashMap::default(), by_name: HashMap::default(), mentions: HashMap::default(), total: 0.0 };
        for (&name, p) in names.iter().zip(winners) {
            let Some(p) = p else { continue };
            for area in Focus::areas(p).into_iter().flatten() {
                *f.votes.entry(area).or_default() += 1.0;
                *f.by_name.entry((name, area)).or_default() += 1.0;
            }
            *f.mentions.entry(name).or_default() += 1.0;
            f.total += 1.0;
        }
        f
    }

    /// The country, first-level and second-level subdivision a place counts for (an area
    /// counts for itself).
    fn areas(p: &Place<'_>) -> [Option<u32>; 3] {
        let own = |f: Feature, link: Option<Place<'_>>| if p.feature() == f { Some(p.index()) } else { link.map(|a| a.index()) };
        [own(Feature::Country, p.country()), own(Feature::Admin1, p.admin1()), own(Feature::Admin2, p.admin2())]
    }

    /// Bonus for `p` as a candidate of a mention of `name`: the share of the other names'
    /// mentions that lie in each of its areas.
    fn bonus(&self, p: &Place<'_>, name: u32) -> f64 {
        let others = self.total - self.mentions.get(&name).copied().unwrap_or(0.0);
        if others <= 0.0 {
            return 0.0;
        }
        let share = |area: Option<u32>| -> f64 {
            let Some(a) = area else { return 0.0 };
            let n = self.votes.get(&a).copied().unwrap_or(0.0) - self.by_name.get(&(name, a)).copied().unwrap_or(0.0);
            n.max(0.0) / others
        };
        let [country, admin1, admin2] = Focus::areas(p);
        COUNTRY_FOCUS * share(country) + ADMIN1_FOCUS * share(admin1) + ADMIN2_FOCUS * share(admin2)
    }
}

/// Penalty for a candidate far from every other mentioned point-like place: measured from a
/// town's point, or from the edge of an area's bounding box (zero inside it). Countries and
/// water are exempt: they hold or touch everything nearby.
fn coherence(p: &Place<'_>, own_name: u32, context: &[(u32, Place<'_>)]) -> f64 {
    if p.feature() == Feature::Country || p.feature().is_water() {
        return 0.0;
    }
    let nearest = context
        .iter()
        .filter(|(name, _)| *name != own_name)
        .map(|(_, w)| distance_to(p, w.point()))
        .fold(f64::INFINITY, f64::min);
    if nearest.is_finite() {
        -COHERENCE * distance_penalty(nearest)
    } else {
        0.0
    }
}


/// Distance from `point` to a town, or to an area's bounding box (0 inside it), by the
/// equirectangular approximation: coherence ranks by nearness and scores its logarithm.
fn distance_to(p: &Place<'_>, point: LatLon) -> f64 {
    match (p.feature().is_area(), p.bbox()) {
        (true, Some(bbox)) => approx_distance_km(point, nearest_in_box(point, bbox)),
        _ => approx_distance_km(p.point(), point),
    }
}
