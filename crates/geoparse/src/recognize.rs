//! Toponym recognition: which stretches of a report are place names.
//!
//! One pass over the words. From every capitalised word the gazetteer's exact-name table is
//! walked word by word, as an automaton whose states are the stretches of words that begin
//! some name: each step is one probe, which says whether the stretch is a name and whether any
//! longer name goes on from it, so a stretch grows only while a name can still end further
//! on and no step ever looks at a name that cannot match. Of the names that end there, the
//! longest that passes the filters below is kept, and the pass goes on after it. The filters
//! are rules about classes of word, never about single names:
//!
//! - the words of a match are capitalised (connectors such as "of" excepted); a short
//!   all-capitals match ("UK") must name a country;
//! - days, months, institutions and directions are not places ([`Kinds::not_place`](crate::lexicon::Kinds::not_place));
//! - a title before the match ("Mr", "Mayor") or a capitalised word right before or after a
//!   one-word match makes it part of a person's name ("Dana Henry", "Henry Ford"), unless the
//!   word after is an organisation word ("Alexandria Police": kept, as embedded) or a type
//!   word ("Kharkiv Oblast");
//! - a common English word is a place only when its capital means something (not at a
//!   sentence start, not in a title-case headline) and the gazetteer entry is notable or the
//!   context marks a location ("in Reading"), or the same name is a place elsewhere in the
//!   document;
//! - nationality words are demonyms, reported apart; "pro-Kremlin" and the like are adjectives.

use std::cell::Cell;

use rustc_hash::FxHashSet as HashSet;

use sitrep_gazetteer::{Feature, Gazetteer, NameSummary};
use sitrep_text::Qualifier;

use crate::{
    lexicon::{Kinds, Lexicon},
    scan::Scan,
    theatre::Theatre,
    Role,
};

/// Longest match considered, in words.
const MAX_WORDS: usize = 8;

/// A recognised place name, before resolution.
#[derive(Debug, Clone)]
pub struct Mention {
    /// First word.
    pub first: usize,
    /// Last word (inclusive), including a capitalised type word that follows the name.
    pub last: usize,
    /// Last word of the name proper (without the type word).
    pub name_last: usize,
    /// Postings value of the matched key; `None` for a local feature the gazetteer lacks,
    /// recognised by its type word ("Darling Avenue", "Neches River", "Route 30").
    pub value: Option<u64>,
    /// A type word after the name ("Oblast", "region", "River").
    pub qualifier: Option<Qualifier>,
    /// How the name is used.
    pub role: Role,
    /// The word before is a "near" cue ("near", "north of").
    pub near: bool,
    /// The word before is a locative cue ("in", "at").
    pub locative: bool,
    /// The word after is one that only a town takes ("a Palestine man", "the Lebanon council").
    pub town_cue: bool,
    /// For a local feature whose name begins with a place name the gazetteer knows ("Irpin
    /// Bridge", "Donetsk Bypass Road"): that name's last word and postings value.
    pub named_after: Option<(usize, u64)>,
}

/// A nationality word ("Ukrainian"), with its country.
#[derive(Debug, Clone)]
pub struct DemonymMention {
    /// First word.
    pub first: usize,
    /// Last word (inclusive): "Sri Lankan" is two.
    pub last: usize,
    /// ISO code, empty for a region's people ("European").
    pub country: &'static str,
    /// GeoNames id of the first-level subdivision whose people these are ("Chechen").
    pub subdivision: Option<u32>,
}

/// A scanned document and what the word lists say of each of its words, looked up at most
/// once per word: the rules below ask about the same neighbours again and again.
struct Doc<'a> {
    scan: &'a Scan,
    lex: &'a Lexicon,
    kinds: Vec<Cell<Option<Kinds>>>,
    gaz: &'a Gazetteer,
    theatre: Option<&'a Theatre>,
}

/// Least population of a town of the theatre whose name counts as notable: one a report about
/// the war means even where the name is also a first name ("Lyman").
const THEATRE_TOWN: u64 = 10_000;

impl<'a> Doc<'a> {
    fn new(scan: &'a Scan, lex: &'a Lexicon, gaz: &'a Gazetteer, theatre: Option<&'a Theatre>) -> Doc<'a> {
        Doc { scan, lex, kinds: vec![Cell::new(None); scan.words.len()], gaz, theatre }
    }

    /// Whether a town of the theatre of [`THEATRE_TOWN`] people or more has this name as its
    /// own (not only as an alternate spelling).
    fn theatre_town(&self, value: u64) -> bool {
        self.theatre.is_some_and(|t| {
            self.gaz.matches_for_value(value).any(|(i, flags)| {
                let p = self.gaz.place(i);
                !flags.is_alternate() && p.feature() == Feature::City && p.population() >= THEATRE_TOWN && t.weight(&p) >= 0.5
            })
        })
    }

    /// What the word lists say of word `k`.
    fn kinds(&self, k: usize) -> Kinds {
        let memo = &self.kinds[k];
        memo.get().unwrap_or_else(|| {
            let kinds = self.lex.kinds(self.scan.folded_word(k));
            memo.set(Some(kinds));
            kinds
        })
    }
}

/// Finds place names and demonyms in a scanned document.
pub fn recognize(gaz: &Gazetteer, lex: &Lexicon, scan: &Scan, theatre: Option<&Theatre>) -> (Vec<Mention>, Vec<DemonymMention>) {
    let doc = &Doc::new(scan, lex, gaz, theatre);
    let words = &scan.words;
    let mut mentions = Vec::new();
    let mut demonyms = Vec::new();
    // Candidates held back for being common words; admitted when the same name is a place
    // elsewhere in the document.
    let mut deferred: Vec<Mention> = Vec::new();
    // Names seen as part of a person's name ("Barack Obama", "Mayor Moore"): alone later in the
    // document ("Obama said") they are that person.
    let mut people: HashSet<&str> = HashSet::default();
    // The names that start at the current word: (last word, value, what its places are).
    let mut ends: Vec<(usize, u64, NameSummary)> = Vec::with_capacity(MAX_WORDS);
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        if !(w.capitalised || w.all_caps) {
            mentions.extend(lower_case_city(doc, i));
            i += 1;
            continue;
        }
        let word = scan.folded_word(i);
        let kinds = doc.kinds(i);
        // A two-word nationality ("Sri Lankan", "South Korean") before a one-word one.
        let pair = words.get(i + 1).filter(|n| kinds.starts_demonym() && n.capitalised && !n.punct_before).and_then(|_| {
            let two = &scan.folded[w.fold_start as usize..words[i + 1].fold_end as usize];
            lex.demonym(two).map(|country| (i + 1, country))
        });
        let demonym = pair.or_else(|| kinds.demonym().then(|| lex.demonym(word)).flatten().map(|country| (i, country)));
        // The keys that start at this word and end at a word boundary. A name goes on into the
        // next word only if that word may belong to it: capitalised, or a short connector
        // ("of", "de la") between capitalised words.
        ends.clear();
        let name_word = |k: usize| words.get(k).is_some_and(|n| n.capitalised || n.all_caps);
        let continues = |k: usize| {
            let connector = words.get(k + 1).is_some_and(|n| n.fold_end - n.fold_start <= 5) && name_word(k + 2);
            k + 1 - i < MAX_WORDS && (name_word(k + 1) || connector)
        };
        let mut probe = gaz.key_probe(word);
        let mut last = i;
        loop {
            if let Some(value) = probe.value {
                ends.push((last, value, probe.summary));
            }
            if !probe.continued || !continues(last) {
                break;
            }
            last += 1;
            probe = gaz.key_probe(&scan.folded[w.fold_start as usize..words[last].fold_end as usize]);
        }
        // A name of several words that the lists say is no place ("Red Cross", "Wall Street")
        // is passed over whole: its later words start no name of their own ("Cross").
        if let Some(&(last, ..)) = ends.last().filter(|&&(last, ..)| last > i) {
            if lex.kinds(&scan.folded[w.fold_start as usize..words[last].fold_end as usize]).not_place() {
                i = last + 1;
                continue;
            }
        }
        let mut accepted = None;
        // A nationality word is a demonym unless it starts a longer name ("Indian Ocean").
        if let Some((last, country)) = demonym {
            if ends.last().is_none_or(|&(end, ..)| end <= last) {
                let subdivision = lex.subdivision_of(&scan.folded[w.fold_start as usize..words[last].fold_end as usize]);
                demonyms.push(DemonymMention { first: i, last, country, subdivision });
                i = last + 1;
                continue;
            }
        }
        for &(last, value, summary) in ends.iter().rev() {
            match judge(doc, i, last, value, summary) {
                Verdict::Place => {
                    accepted = Some((last, value));
                    break;
                }
                Verdict::IfElsewhere => {
                    deferred.push(mention(doc, i, last, value));
                    break;
                }
                Verdict::Person => {
                    people.insert(scan.folded_word(i));
                    break;
                }
                Verdict::No => {}
            }
        }
        let named = accepted.map(|(last, value)| mention(doc, i, last, value));
        // A street, road or natural feature that reaches past the gazetteer's match ("Dublin
        // Road", not Dublin) is a local feature.
        let local = local_feature(doc, i).filter(|&end| named.as_ref().is_none_or(|m| end > m.last));
        match (named, local) {
            (named, Some(last)) => {
                let near = mention(doc, i, last, 0).near;
                let role = if words[last].hyphen_after { Role::Modifier } else { Role::Literal };
                let named_after = named.and_then(|m| Some((m.name_last, m.value?)));
                mentions.push(Mention {
                    first: i,
                    last,
                    name_last: last,
                    value: None,
                    qualifier: None,
                    role,
                    near,
                    locative: false,
                    town_cue: false,
                    named_after,
                });
                i = last + 1;
            }
            (Some(m), None) => {
                i = m.last + 1;
                mentions.push(m);
            }
            (None, None) => i += 1,
        }
    }
    let places: HashSet<&str> = mentions.iter().map(|m| mention_key(scan, m)).collect();
    let listed = in_list_with_place(scan, &mentions, &deferred);
    mentions.extend(deferred.into_iter().zip(listed).filter(|(d, listed)| *listed || places.contains(mention_key(scan, d))).map(|(d, _)| d));
    // A name the report gives a person ("Abraham Lincoln") is that person when it stands alone,
    // unless the text marks a place ("in Lincoln") or it names a country or a state.
    mentions.retain(|m| {
        let single = m.first == m.name_last;
        let person = single && people.contains(mention_key(scan, m));
        let kept_as_place =
            || m.locative || m.town_cue || m.qualifier.is_some() || (m.value.is_some() && gaz.key_probe(mention_key(scan, m)).summary.names_area());
        !person || kept_as_place()
    });
    let slips = misspelt_in_units(doc, &mentions);
    mentions.extend(slips);
    mentions.sort_by_key(|m| m.first);
    (mentions, demonyms)
}

/// For each held-back name, whether it is an item of a list after a place: "Sloviansk and
/// Lyman", "Siversk, Lyman": the list says what it is. (Only after one: "Lyman, Texas" is
/// the town and its state, "Still, Hawaii's ..." an adverb.)
fn in_list_with_place(scan: &Scan, mentions: &[Mention], deferred: &[Mention]) -> Vec<bool> {
    let words = &scan.words;
    let joiner = |k: usize| matches!(scan.folded_word(k), "and" | "or") && !words[k].capitalised;
    // The mentions come in text order, so their last words are sorted: a binary search each.
    let ends: Vec<usize> = mentions.iter().map(|m| m.last).collect();
    debug_assert!(ends.is_sorted());
    let place_ends_at = |k: usize| ends.binary_search(&k).is_ok();
    deferred
        .iter()
        .map(|d| {
            let first = d.first;
            (words[first].comma_before && first >= 1 && place_ends_at(first - 1))
                || (first >= 2 && joiner(first - 1) && !words[first - 1].punct_before && !words[first].punct_before && place_ends_at(first - 2))
        })
        .collect()
}

/// Shortest folded word read as a misspelt name by [`misspelt_in_units`].
const SLIP_MIN_BYTES: usize = 5;

/// Names written with one letter wrong, missing or extra where the text says what unit they
/// are: with a theatre, a capitalised word that the gazetteer does not know (and no word list
/// does) is read as
///
/// - the theatre's first- or second-level subdivision one edit away, right before a type word
///   for such an area ("Novoselivka, Donestk oblast");
/// - the settlement one edit away inside the unit that a comma or a bracket puts it in, when
///   the name after it can be such a unit ("Trostyanet, Sumy", "Dibrovne (Kharkiv Oblast)":
///   the Russian o for the Ukrainian i);
///
/// - the town of the theatre of [`THEATRE_TOWN`] people or more one edit away, right after a
///   locative cue and followed by no other capitalised word ("shelling in Bordyanka",
///   "Russian forces arriving in Popsana"): short notes name a town alone, with nothing around
///   it to narrow the slip, and a town that size is what such a word means in a report about
///   the war;
///
/// when exactly one name one edit away fits. The unit narrows a slip to a few places, where
/// elsewhere one edit reaches many names; resolution then settles the settlement by the unit
/// (see `resolve`'s containment).
fn misspelt_in_units(doc: &Doc<'_>, mentions: &[Mention]) -> Vec<Mention> {
    let Some(theatre) = doc.theatre else { return Vec::new() };
    let (scan, gaz) = (doc.scan, doc.gaz);
    let words = &scan.words;
    let unknown = |k: usize| {
        let word = scan.folded_word(k);
        let kinds = doc.kinds(k);
        words[k].capitalised
            && word.len() >= SLIP_MIN_BYTES
            && !word.contains(' ')
            && !mentions.iter().any(|m| m.first <= k && k <= m.last)
            && !(kinds.common_word() || kinds.person_name() || kinds.organisation_word() || kinds.demonym() || kinds.calendar_word() || kinds.not_place())
            && gaz.key_value(word).is_none()
    };
    // The one name one edit from word `k` that has a place `fits`, if exactly one has.
    let only_slip = |k: usize, fits: &dyn Fn(&sitrep_gazetteer::Place<'_>) -> bool| {
        let mut values: Vec<u64> = Vec::new();
        gaz.for_each_one_edit_away(scan.folded_word(k), |v| {
            if !values.contains(&v) && gaz.matches_for_value(v).any(|(i, _)| fits(&gaz.place(i))) {
                values.push(v);
            }
        });
        (values.len() == 1).then(|| values[0])
    };
    let theatre_area = |p: &sitrep_gazetteer::Place<'_>| matches!(p.feature(), Feature::Admin1 | Feature::Admin2) && theatre.weight(p) > 0.0;
    let mut found = Vec::new();
    for k in 0..words.len().saturating_sub(1) {
        let typed = matches!(Qualifier::from_folded_word(scan.folded_word(k + 1)), Some(Qualifier::Region | Qualifier::District));
        if typed && !words[k + 1].punct_before && unknown(k) {
            if let Some(value) = only_slip(k, &theatre_area) {
                found.push(mention(doc, k, k, value));
            }
        }
    }
    // The units named after a comma or an opening bracket: the found areas first, so that
    // "Dibrovne, Donestk oblast" reads both.
    let units = found.iter().chain(mentions).filter(|m| words[m.first].comma_before || words[m.first].paren_before);
    let mut settlements = Vec::new();
    for unit in units {
        let Some(value) = unit.value else { continue };
        let Some(k) = unit.first.checked_sub(1).filter(|&k| unknown(k)) else { continue };
        let areas: Vec<u32> = gaz.matches_for_value(value).filter(|(i, _)| theatre_area(&gaz.place(*i))).map(|(i, _)| i).collect();
        if areas.is_empty() {
            continue;
        }
        let inside = |p: &sitrep_gazetteer::Place<'_>| {
            p.feature() == Feature::City && [p.admin1_index(), p.admin2_index()].into_iter().flatten().any(|a| areas.contains(&a))
        };
        if let Some(value) = only_slip(k, &inside) {
            settlements.push(mention(doc, k, k, value));
        }
    }
    found.extend(settlements);
    // A town alone after a locative cue: the theatre's towns of some size only, the one name
    // one edit away that has one.
    let theatre_town = |p: &sitrep_gazetteer::Place<'_>| p.feature() == Feature::City && p.population() >= THEATRE_TOWN && theatre.weight(p) >= 0.5;
    for k in 1..words.len() {
        let cued = doc.kinds(k - 1).locative_cue() && !words[k].punct_before && !words[k].sentence_start;
        let alone = words.get(k + 1).is_none_or(|n| n.punct_before || !n.capitalised);
        if cued && alone && unknown(k) && !found.iter().any(|m| m.first <= k && k <= m.last) {
            if let Some(value) = only_slip(k, &theatre_town) {
                found.push(mention(doc, k, k, value));
            }
        }
    }
    found
}

/// Least population of a city of the theatre whose name is read even in lower case.
const LOWER_CASE_CITY: u64 = 100_000;

/// "smoke rising in mariupol": with a theatre, a one-word name written in lower case is a place
/// when it is the own name of a city of the theatre of [`LOWER_CASE_CITY`] people or more and
/// no word list knows it (not an English word, a first name, a month or an organisation word).
/// Short notes and captions drop capitals; a city that large is what such a word means there.
fn lower_case_city(doc: &Doc<'_>, k: usize) -> Option<Mention> {
    let theatre = doc.theatre?;
    let word = doc.scan.folded_word(k);
    let kinds = doc.kinds(k);
    if word.len() < 4
        || kinds.common_word()
        || kinds.person_name()
        || kinds.not_place()
        || kinds.organisation_word()
        || kinds.demonym()
        || kinds.calendar_word()
    {
        return None;
    }
    let probe = doc.gaz.key_probe(word);
    let value = probe.value.filter(|_| probe.summary.has_large_city())?;
    let city = doc.gaz.matches_for_value(value).any(|(i, flags)| {
        let p = doc.gaz.place(i);
        !flags.is_alternate() && p.feature() == Feature::City && p.population() >= LOWER_CASE_CITY && theatre.weight(&p) >= 0.5
    });
    city.then(|| mention(doc, k, k, value))
}

/// Word `k` is a number right after a comma: an age after a person's name ("Warren, 51,").
/// A number of a unit of distance is none: "Pytomnyk, 10 kilometers north of Kharkiv" places
/// a village.
fn is_age(scan: &Scan, k: usize) -> bool {
    const DISTANCE_UNITS: [&str; 14] =
        ["km", "kms", "kilometers", "kilometres", "kilometer", "kilometre", "mi", "miles", "mile", "m", "meters", "metres", "meter", "metre"];
    let unit_after = scan.words.get(k + 1).is_some_and(|w| !w.punct_before) && DISTANCE_UNITS.contains(&scan.folded_word(k + 1));
    scan.words.get(k).is_some_and(|w| w.comma_before) && scan.folded_word(k).bytes().all(|b| b.is_ascii_digit()) && !unit_after
}

/// Word `k` follows a first name directly (capitalised, nothing but a space between):
/// "Barros" in "George Barros". A name list's "In" or "To" ("Battle In Vuhledar") is the
/// preposition, however many people bear it as a name.
fn after_first_name(doc: &Doc<'_>, k: usize) -> bool {
    let words = &doc.scan.words;
    if k < 1 || !words[k - 1].capitalised || words[k].punct_before {
        return false;
    }
    let before = doc.kinds(k - 1);
    before.person_name() && !before.locative_cue() && !before.name_connector()
}

/// Word `k` follows a capitalised name and an initial with its full stop ("Kagan" in
/// "Frederick W. Kagan").
fn after_initial(doc: &Doc<'_>, k: usize) -> bool {
    let words = &doc.scan.words;
    if k < 2 {
        return false;
    }
    let (name, initial) = (words[k - 2], words[k - 1]);
    let one_letter = initial.end - initial.start == 1 && initial.capitalised;
    one_letter && initial.period_after && name.capitalised && !initial.punct_before && doc.kinds(k - 2).person_name()
}

/// The folded name of a mention, without its type word.
pub fn mention_key<'s>(scan: &'s Scan, m: &Mention) -> &'s str {
    &scan.folded[scan.words[m.first].fold_start as usize..scan.words[m.name_last].fold_end as usize]
}

/// A name any of whose places is a country, a first-level subdivision, a named region or a
/// city of 100,000 or more: known well enough to stand inside other names ("Texas Southern
/// University", "Ohio Supreme Court") without being a person's.
fn notable(summary: NameSummary) -> bool {
    summary.names_area() || summary.has_large_city()
}

/// True when word `k` is a contraction ("I’ve", "we’ll", "don't"), whose folded form ("ive")
/// may collide with a place name.
fn is_contraction(scan: &Scan, k: usize) -> bool {
    let w = &scan.words[k];
    let folded = scan.folded_word(k);
    let source_len = (w.end - w.start) as usize;
    source_len > folded.len() && ["ve", "ll", "re", "d", "m", "t"].iter().any(|end| folded.ends_with(end))
}

enum Verdict {
    Place,
    /// A place only if the same name is one elsewhere in the document.
    IfElsewhere,
    /// Part of a person's name.
    Person,
    No,
}

/// Whether the name `first..=last` is a place; `summary` tells what its places are.
fn judge(doc: &Doc<'_>, first: usize, last: usize, value: u64, summary: NameSummary) -> Verdict {
    let scan = doc.scan;
    let is_notable = || notable(summary) || doc.theatre_town(value);
    let names_area = || summary.names_area();
    let words = &scan.words;
    let w = words[first];
    let single = first == last;
    let key = &scan.folded[w.fold_start as usize..words[last].fold_end as usize];
    // Every word capitalised, connectors excepted, and a capital at both ends.
    for (k, word) in words.iter().enumerate().take(last + 1).skip(first) {
        let ok = word.capitalised || word.all_caps || (k != first && k != last && doc.kinds(k).name_connector());
        if !ok {
            return Verdict::No;
        }
    }
    let key_kinds = if single { doc.kinds(first) } else { doc.lex.kinds(key) };
    if key_kinds.not_place() || (single && (key_kinds.calendar_word() || is_contraction(scan, first))) {
        return Verdict::No;
    }
    // A name that reaches its places only through alternate spellings, and is also a word or a
    // person's name ("Barry" for Barrie, "Sam" for Damascus), is the word or the person.
    // "Way" folds like "Wai", "Day" like "Dai": a common English word with a y is the word,
    // unless a notable place has the name.
    if single && w.has_y && key_kinds.common_word() && !is_notable() {
        return Verdict::No;
    }
    if single && summary.alternate_only() && (key_kinds.common_word() || key_kinds.person_name()) && !is_notable() && list_qualifier(doc, last).is_none() {
        return Verdict::No;
    }
    if single && w.all_caps && key.len() <= 3 {
        // "UK", "US": only countries go by such short codes.
        return if key.len() >= 2 && summary.has(Feature::Country) { Verdict::Place } else { Verdict::No };
    }
    if single && key.chars().count() < 3 {
        // "I", "D", "No": one- and two-letter words are not place names in running text, but a
        // state's abbreviation with its full stop is ("a Ky. jail", "Pa."), unless it is a
        // common abbreviation of something else ("No. 5", "St.").
        let abbreviation = w.period_after && names_area() && w.capitalised && !sitrep_text::is_abbreviation(key);
        if !abbreviation {
            return Verdict::No;
        }
    }
    let prev = first.checked_sub(1).map(|p| (words[p], scan.folded_word(p)));
    let next = words.get(last + 1).map(|n| (*n, scan.folded_word(last + 1)));
    // What the lists say of the words before and after (asked only where those exist).
    let (prev_kinds, next_kinds) = (|| doc.kinds(first - 1), || doc.kinds(last + 1));
    if let Some((_, pw)) = prev {
        if prev_kinds().title() && (!w.punct_before || w.period_before) {
            return Verdict::Person;
        }
        if w.hyphen_before && matches!(pw, "pro" | "anti" | "non" | "neo" | "post" | "pre") {
            return Verdict::No;
        }
    }
    // "the Church of Peter and Paul", "Cyril and Methodius": a first name joined by "and" to a
    // first name before it that names no place is a person's too, however notable a place of
    // its name (a Cabo Verde municipality is called Paul).
    if single && key_kinds.person_name() && prev.is_some_and(|(p, pw)| pw == "and" && !p.capitalised) {
        let partner = first - 2;
        let partner_is_person = first >= 2
            && words[partner].capitalised
            && !words[first - 1].punct_before
            && doc.kinds(partner).person_name()
            && doc.gaz.key_probe(scan.folded_word(partner)).value.is_none();
        if partner_is_person {
            return Verdict::Person;
        }
    }
    let qualified = next.is_some_and(|(_, nw)| Qualifier::from_folded_word(nw).is_some()) || list_qualifier(doc, last).is_some();
    // A run of all-capitals words in mixed-case text is a name or a credit ("Photo by ANA
    // DELGADO/AFP"), not a place, unless the match itself spans it.
    if single && w.all_caps && !qualified {
        let caps_run = prev.is_some_and(|(p, _)| p.all_caps && !w.punct_before) || next.is_some_and(|(n, _)| n.all_caps && !n.punct_before);
        if caps_run && !w.shouted {
            return Verdict::Person;
        }
    }
    let plain_word = || key_kinds.common_word() || key_kinds.person_name() || key_kinds.organisation_word();
    // Part of a hyphenated compound of names ("Wal-Mart", "Abdel-Hamid") that the gazetteer
    // does not know whole.
    let hyphen_compound =
        (w.hyphen_before && prev.is_some_and(|(p, _)| p.capitalised)) || (words[last].hyphen_after && next.is_some_and(|(n, _)| n.capitalised));
    if hyphen_compound && !is_notable() {
        return Verdict::No;
    }
    if single && (!is_notable() || key_kinds.person_name()) {
        // "Nelson said", "Warren, 51, of Pine Hollow": a person, not a place. Countries and
        // capitals speak through their governments ("Russia said", "Tbilisi says").
        let speaks = next.is_some_and(|(n, _)| !n.punct_before && next_kinds().speech_verb());
        let aged = is_age(scan, last + 1);
        let cued = prev.is_some() && prev_kinds().locative_cue();
        if (speaks || aged) && !cued {
            return Verdict::Person;
        }
    }
    let next_cap = next.is_some_and(|(n, _)| n.capitalised && !n.punct_before);
    if single && w.title_case && next_cap && key_kinds.person_name() && !names_area() && !organisation_run(doc, first, last) {
        // Even where every word is capitalised (lists of names), a first name before another
        // capitalised word is a person's ("Laura Whitcombe, Ned Farrow and ...").
        return Verdict::Person;
    }
    let surname = after_initial(doc, first) || (w.title_case && after_first_name(doc, first));
    if single && surname && !names_area() && !qualified && !organisation_run(doc, first, last) {
        // "Frederick W. Kagan": a word after a first name and an initial is a surname. In a
        // line of names where every word is capitalised ("George Barros, and Karolina Hird"),
        // a word right after a first name is one too (in running text the rule below says so).
        return Verdict::Person;
    }
    if single && !w.title_case && !qualified {
        // Inside a run of capitalised words that the gazetteer does not know as one name.
        // A sentence's first word is capitalised for its position alone ("In Kupiansk, ...").
        let prev_cap = prev.is_some_and(|(p, pw)| {
            let pk = prev_kinds();
            // "A" and "I" are not in the common-word list, which starts at two letters.
            let function_word = pw.len() == 1 || (pk.common_word() && !pk.person_name());
            let positional = p.sentence_start && (pk.locative_cue() || function_word);
            p.capitalised && !positional && !w.punct_before && !pk.name_connector() && !pk.area_prefix() && !pk.title()
        });
        if prev_cap || next_cap {
            // An organisation's name keeps the place inside it ("Texas Southern University",
            // "Alexandria Police"); otherwise the run is a person ("George Bush", "Dana
            // Henry"), unless the place is too notable to be taken for a name.
            // The organisation's own words ("City Council", "Shiloh High School") and
            // people's names inside it ("Lee Academy") are not places.
            if organisation_run(doc, first, last) {
                return if is_notable() || !plain_word() { Verdict::Place } else { Verdict::IfElsewhere };
            }
            // "Michael York", "David Williams": a first name before makes a surname, unless
            // the place is a country or a state.
            let after_first_name = prev_cap && prev_kinds().person_name();
            // "Vladimir Putin", "Paris Hilton": a first name before another capitalised word.
            let first_name = next_cap && key_kinds.person_name();
            let keep = if after_first_name { names_area() } else { is_notable() && !first_name };
            return if keep { Verdict::Place } else { Verdict::Person };
        }
    }
    if single && !is_notable() && (key_kinds.common_word() || key_kinds.person_name()) {
        // "Reading", "Moore": a place only where the text marks a location ("in Moore",
        // "Moore, Okla.") or the same name is a place elsewhere in the document.
        // "CHARLESTON, W.Va. --": a dateline names the place the report was filed from.
        let dateline = w.all_caps && w.sentence_start && next.is_some_and(|(n, _)| n.comma_before && n.capitalised);
        if dateline {
            return Verdict::Place;
        }
        let capital_means_nothing = w.sentence_start || w.title_case;
        // "east of Lyman", "the outskirts of Lyman": a direction or a nearness before "of".
        let direction_of = prev.is_some_and(|(_, pw)| pw == "of") && first.checked_sub(2).is_some_and(|k| doc.kinds(k).near_cue());
        // A compass adjective written with a capital makes a name of its own with the word
        // ("the Southern Axis", "the Western Front"), which the gazetteer does not know; in
        // lower case it is a cue ("southern Moore").
        if prev.is_some_and(|(p, pw)| p.capitalised && !w.punct_before && pw.ends_with("ern")) && prev_kinds().area_prefix() && !qualified {
            return Verdict::No;
        }
        let cue = (prev.is_some() && prev_kinds().locative_cue())
            || direction_of
            || qualified
            || next.is_some_and(|(n, _)| n.comma_before || (!n.capitalised && !n.punct_before && next_kinds().place_after_cue()));
        return if !capital_means_nothing && cue { Verdict::Place } else { Verdict::IfElsewhere };
    }
    // "Reading", "Mobile" opening a sentence are the words; "Russia", "Turkey" the countries.
    if single && key_kinds.common_word() && (w.sentence_start || w.title_case) && !names_area() {
        return Verdict::IfElsewhere;
    }
    Verdict::Place
}

/// The type of a list of names that word `last` ends an item of: "Barrow, Jackson and Madison
/// counties" makes each of the three a county. The list runs over capitalised words, commas
/// and one "and" or "or", and ends in a plural type word.
fn list_qualifier(doc: &Doc<'_>, last: usize) -> Option<Qualifier> {
    const REACH: usize = 16;
    let scan = doc.scan;
    let words = &scan.words;
    for k in last + 1..words.len().min(last + REACH) {
        let word = scan.folded_word(k);
        if let Some(q) = Qualifier::from_folded_plural(word) {
            return (!words[k].punct_before && words[k - 1].capitalised).then_some(q);
        }
        let joins = words[k].capitalised || matches!(word, "and" | "or") || doc.kinds(k).name_connector();
        let clean = !words[k].punct_before || words[k].comma_before;
        if !joins || !clean {
            return None;
        }
    }
    None
}

/// Longest local-feature name starting at word `first`: up to four capitalised name words and
/// a type word ("North Verity Parkway", "Neches River", "Main St"), a type word and a number
/// ("Route 30", "Highway 101", "County Road 15"), or a prefix and a name ("Lake Erie", "Mount
/// Hood"). Returns the index of its last word.
fn local_feature(doc: &Doc<'_>, first: usize) -> Option<usize> {
    const MAX_NAME_WORDS: usize = 4;
    let scan = doc.scan;
    let words = &scan.words;
    let word = |k: usize| scan.folded_word(k);
    let joined = |k: usize| k < words.len() && !words[k].punct_before;
    let number_after = |k: usize| joined(k + 1) && word(k + 1).bytes().all(|b| b.is_ascii_digit());
    let f = doc.kinds(first);
    if f.route_word() && number_after(first) {
        return Some(first + 1);
    }
    if f.feature_prefix() && joined(first + 1) && words[first + 1].capitalised && !doc.kinds(first + 1).feature_word() {
        return Some(first + 1);
    }
    if f.name_connector() || f.locative_cue() || f.title() || f.calendar_word() || f.feature_word() {
        return None;
    }
    let capitalised = |k: usize| joined(k) && (words[k].capitalised || words[k].all_caps);
    let mut k = first + 1;
    while capitalised(k) && k - first <= MAX_NAME_WORDS {
        let kinds = doc.kinds(k);
        if kinds.feature_word() {
            // "Mill Creek Road": type words may follow one another.
            let mut last_kinds = kinds;
            while capitalised(k + 1) {
                let next_kinds = doc.kinds(k + 1);
                if !next_kinds.feature_word() {
                    break;
                }
                k += 1;
                last_kinds = next_kinds;
            }
            let end = if last_kinds.route_word() && number_after(k) { k + 1 } else { k };
            let aged = is_age(scan, end + 1);
            let name = &scan.folded[words[first].fold_start as usize..words[end].fold_end as usize];
            // "Federal Highway Administration", "Quarry Road Elementary School" are
            // organisations; "Marta Hill, 24," is a person.
            if doc.lex.kinds(name).not_place() || aged || organisation_run(doc, first, end) {
                return None;
            }
            return Some(end);
        }
        if words[k].sentence_start {
            return None;
        }
        k += 1;
    }
    None
}

/// True when the run of capitalised words around `first..=last` holds an organisation word
/// ("Ohio Supreme Court", "United Bank Charleston Market"). Connectors ("of", "for") may sit
/// inside the run; punctuation ends it.
fn organisation_run(doc: &Doc<'_>, first: usize, last: usize) -> bool {
    const REACH: usize = 6;
    let words = &doc.scan.words;
    // Connectors count inside a run ("Bank of America") but do not lead into one ("Center on
    // Jones Bend Road" is two names).
    let between_capitals = |k: usize| k > 0 && words[k - 1].capitalised && words.get(k + 1).is_some_and(|n| n.capitalised);
    let in_run = |k: usize| words[k].capitalised || (doc.kinds(k).name_connector() && between_capitals(k));
    let mut k = last + 1;
    // A title right after a place is its office holder's ("Mansfield Mayor Curtis McCoy").
    if k < words.len() && words[k].capitalised && !words[k].punct_before && doc.kinds(k).title() {
        return true;
    }
    while k < words.len() && k <= last + REACH && !words[k].punct_before && in_run(k) {
        if words[k].capitalised && doc.kinds(k).organisation_word() {
            return true;
        }
        k += 1;
    }
    let mut k = first;
    while k > 0 && first - k < REACH && !words[k].punct_before && in_run(k - 1) {
        k -= 1;
        if words[k].capitalised && doc.kinds(k).organisation_word() {
            return true;
        }
    }
    false
}

fn mention(doc: &Doc<'_>, first: usize, name_last: usize, value: u64) -> Mention {
    let scan = doc.scan;
    let words = &scan.words;
    let mut last = name_last;
    let mut qualifier = list_qualifier(doc, name_last);
    if let Some(n) = words.get(name_last + 1) {
        if let Some(q) = Qualifier::from_folded_word(scan.folded_word(name_last + 1)) {
            qualifier = Some(q);
            if n.capitalised {
                last = name_last + 1;
            }
        }
    }
    let next = words.get(last + 1).map(|n| (n, scan.folded_word(last + 1)));
    // "Kharkiv City" names the city itself (a report's way of telling it from its oblast);
    // "Kharkiv City Council" is an organisation.
    // ("citi": "City" folded, y to i.)
    let own_city = next.is_some_and(|(_, w)| w == "citi")
        && words.get(last + 2).is_none_or(|n| n.punct_before || !n.capitalised || !doc.kinds(last + 2).organisation_word());
    let role = if words[name_last].hyphen_after && !words[name_last].title_case {
        Role::Modifier
    } else if !own_city && next.is_some_and(|(n, _)| n.capitalised && !n.sentence_start && doc.kinds(last + 1).organisation_word()) {
        Role::Embedded
    } else {
        Role::Literal
    };
    let prev = first.checked_sub(1).map(|p| scan.folded_word(p));
    let prev_kinds = first.checked_sub(1).map(|p| doc.kinds(p)).unwrap_or_default();
    // "north of Izyum": the cue is two words back.
    let near = prev_kinds.near_cue() || (prev == Some("of") && first.checked_sub(2).is_some_and(|p| doc.kinds(p).near_cue()));
    let locative = prev_kinds.locative_cue();
    // "Jane Doe, 36, of Palestine" and "Jane Doe, 36, Palestine": where a person lives.
    let age = |k: Option<usize>| k.is_some_and(|k| is_age(scan, k));
    let residence =
        (prev == Some("of") && age(first.checked_sub(2)) && words[first - 1].comma_before) || (age(first.checked_sub(1)) && words[first].comma_before);
    // "Nora Beale of Lebanon": a person (first name, surname) of a place is from a town;
    // "King Abdullah of Jordan" has a title, not a first name.
    let person_of = prev == Some("of") && first >= 3 && {
        let (given, surname) = (first - 3, first - 2);
        let given_kinds = doc.kinds(given);
        words[given].capitalised && words[surname].capitalised && !words[surname].punct_before && given_kinds.person_name() && !given_kinds.title()
    };
    // "214 Orchard Lane, Lebanon": a street address ends in its town.
    let address = words[first].comma_before && first.checked_sub(1).is_some_and(|k| doc.kinds(k).feature_word());
    let town_cue = residence || person_of || address || next.is_some_and(|(n, _)| !n.punct_before && doc.kinds(last + 1).town_cue());
    Mention { first, last, name_last, value: Some(value), qualifier, role, near, locative, town_cue, named_after: None }
}
