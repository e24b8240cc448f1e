//! The places stage: the geoparser's toponyms grouped by gazetteer entry, in order of first
//! mention, and the nationality words the report uses.

use std::collections::{hash_map::Entry, HashMap, HashSet};

use serde::Serialize;
use sitrep_gazetteer::{Feature, Place};
use sitrep_geoparse::{Demonym, Toponym};

/// One place the report names, with every mention of it.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceReading {
    /// Gazetteer id ("geonames:703656", "sitrep:donbas").
    pub id: String,
    /// Name.
    pub name: String,
    /// Feature class.
    pub feature: Feature,
    /// First-level subdivision, if any.
    pub admin1: Option<String>,
    /// Country, if any.
    pub country: Option<String>,
    /// Latitude.
    #[serde(serialize_with = "crate::coordinate")]
    pub lat: f64,
    /// Longitude.
    #[serde(serialize_with = "crate::coordinate")]
    pub lon: f64,
    /// The mentions: text and character offsets.
    pub mentions: Vec<PlaceMention>,
}

/// One mention of a place.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceMention {
    /// As written.
    pub text: String,
    /// Start, in Unicode scalar values.
    pub start: usize,
    /// End, in Unicode scalar values.
    pub end: usize,
}

/// A nationality word as written, and the code of its country when it names one.
pub type DemonymReading = (String, Option<String>);

/// The places of `toponyms` (those resolved to a gazetteer entry), in order of first mention,
/// each with its mentions in text order.
pub fn read(toponyms: &[Toponym<'_>]) -> Vec<PlaceReading> {
    let mut places: Vec<PlaceReading> = Vec::new();
    // Gazetteer record → its place; the id is written once per record, not per mention.
    let mut by_record: HashMap<u32, usize> = HashMap::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for t in toponyms {
        let Some(p) = t.place else { continue };
        let mention = PlaceMention { text: t.text.clone(), start: t.start, end: t.end };
        let slot = *by_record.entry(p.index()).or_insert_with(|| match by_id.entry(p.id()) {
            Entry::Occupied(e) => *e.get(),
            Entry::Vacant(e) => {
                places.push(place_reading(&p, Vec::new()));
                *e.insert(places.len() - 1)
            }
        });
        places[slot].mentions.push(mention);
    }
    places
}

/// Adds to `places` each place an event names that no toponym chose: an event at a bare city
/// name that the geoparser read as the oblast (or as one of many villages) is at the city, one
/// of the name's other readings; an event at "X Oblast" read as the city X is at the city's
/// oblast. It comes with the mentions of the toponyms that offered it,
/// so that every place an event points to is in the table (the store keys events to it).
pub fn add_event_places(places: &mut Vec<PlaceReading>, events: &[crate::EventReading], toponyms: &[Toponym<'_>]) {
    for event in events {
        let Some(wanted) = &event.place else { continue };
        if places.iter().any(|p| p.id == wanted.id) {
            continue;
        }
        // A reading of the name, or the oblast of the city a name typed "Oblast" was read as.
        let offered = |t: &&Toponym<'_>| t.alternatives.iter().any(|a| has_id(a, &wanted.id)) || oblast_of(t, wanted).is_some();
        let Some(place) =
            toponyms.iter().find(offered).and_then(|t| t.alternatives.iter().find(|a| has_id(a, &wanted.id)).copied().or_else(|| oblast_of(t, wanted)))
        else {
            continue;
        };
        let mentions = toponyms.iter().filter(offered).map(|t| PlaceMention { text: t.text.clone(), start: t.start, end: t.end }).collect();
        places.push(place_reading(&place, mentions));
    }
}

/// The oblast of the city toponym `t` was read as, when it is the event place `wanted` and `t`
/// is its mention.
fn oblast_of<'g>(t: &Toponym<'g>, wanted: &crate::event_readings::EventPlace) -> Option<Place<'g>> {
    t.place.and_then(|p| p.admin1()).filter(|a| has_id(a, &wanted.id) && t.text == wanted.mention)
}

/// Whether `id` is [`Place::id`] of `p`, told without writing that id out: events are matched
/// to the readings of every toponym, and a fresh `String` per reading was a tenth of the
/// reader's work on places.
fn has_id(p: &Place<'_>, id: &str) -> bool {
    match p.geonameid() {
        Some(number) => id.strip_prefix("geonames:").is_some_and(|digits| is_decimal(digits, number)),
        None => id.strip_prefix("sitrep:").is_some_and(|code| code == p.code()),
    }
}

/// Whether `digits` is `number` written in decimal, as `format!` writes it (no sign, no
/// leading zero).
fn is_decimal(digits: &str, number: u32) -> bool {
    let mut written = [0u8; 10];
    let (mut at, mut rest) = (written.len(), number);
    loop {
        at -= 1;
        written[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    digits.as_bytes() == &written[at..]
}

/// Most words whose names one edit away a thread keeps ([`one_edit_away`]).
const KEPT_WORDS: usize = 20_000;

thread_local! {
    /// The names one edit away from the words [`misspelt`] looked up on a thread, for one
    /// geoparser (its [`Geoparser::id`](sitrep_geoparse::Geoparser::id)) at a time.
    static ONE_EDIT: std::cell::RefCell<sitrep_geoparse::ThreadMemo<String, std::rc::Rc<[u64]>>> = std::cell::RefCell::default();
}

/// The values of the names one edit away from the folded `key`, in the order and with the
/// repeats [`for_each_one_edit_away`](sitrep_gazetteer::Gazetteer::for_each_one_edit_away)
/// gives them. Kept per thread for the geoparser's gazetteer: the unknown words of a batch come
/// back report after report, and each costs some fifty probes of the exact-name table per
/// character.
fn one_edit_away(geoparser: &sitrep_geoparse::Geoparser<'_>, key: &str) -> std::rc::Rc<[u64]> {
    let look_up = || {
        let mut values = Vec::new();
        geoparser.gazetteer().for_each_one_edit_away(key, |v| values.push(v));
        std::rc::Rc::<[u64]>::from(values)
    };
    sitrep_geoparse::ThreadMemo::with(&ONE_EDIT, geoparser.id(), KEPT_WORDS, |words| words.entry(key.to_owned()).or_insert_with(look_up).clone())
}

/// Farthest a misspelt settlement may lie from a settlement named around it, km.
const MISSPELT_KM: f64 = 100.0;

/// Sentences before a word whose settlements count as its neighbours for [`misspelt`].
const MISSPELT_SENTENCES: usize = 2;

/// Least population of a misspelt town read with no settlement named around it.
const MISSPELT_TOWN: u64 = 20_000;

/// Shortest word (in chars) read as a misspelt settlement.
const MISSPELT_MIN_CHARS: usize = 5;

/// Adds to `toponyms` the settlements a report names with one letter wrong, missing or extra, or
/// two letters swapped ("Kremmina", "Shaktarsk", "Guta-Mezhyhirska", "Popsana"), which the
/// gazetteer does not know: a capitalised name of one or two words (hyphens included) right after a
/// preposition of place, a list's "and" or a verb of taking or striking ("attacks on X", "around
/// X", "the towns of A, B, and X", "captured X"), not at a sentence's start, on no word list and no
/// name the gazetteer has, is the settlement one edit away from it that lies within [`MISSPELT_KM`]
/// of a settlement named in its sentence or the [`MISSPELT_SENTENCES`] before, the nearest such;
/// where none is named there, the most populous town of [`MISSPELT_TOWN`] people or more one edit
/// away, in the country most of the report's settlements are in ("HIMARS strikes on Shaktarsk").
/// Each word is read once: the edits are probes of the exact-name table, so the step costs little
/// beside the geoparser.
pub fn misspelt<'g>(geoparser: &sitrep_geoparse::Geoparser<'g>, text: &str, sentences: &[crate::sentences::Sentence], toponyms: &mut Vec<Toponym<'g>>) {
    let gaz = geoparser.gazetteer();
    let lexicon = geoparser.lexicon();
    let point_like = |p: &Place<'_>| !p.feature().is_area() && !p.feature().is_water();
    // The country most of the report's settlements are in.
    let mut countries: Vec<(u32, usize)> = Vec::new();
    for c in toponyms.iter().filter_map(|t| t.place.filter(point_like)).filter_map(|p| p.country_index()) {
        match countries.iter_mut().find(|(k, _)| *k == c) {
            Some((_, n)) => *n += 1,
            None => countries.push((c, 1)),
        }
    }
    let country = countries.iter().max_by_key(|(_, n)| *n).map(|(c, _)| *c);
    let mut found: Vec<Toponym<'g>> = Vec::new();
    let mut offsets: Option<sitrep_geoparse::CharOffsets<'_>> = None;
    let mut key = String::new();
    // Where the last name read ends: a cue inside it starts no other.
    let mut resume = 0;
    for (cue, at) in after_cues(text) {
        if cue < resume {
            continue;
        }
        let Some(name) = capitalised_name(&text[at..]) else { continue };
        let name = NameAt { start: at, end: at + name.len(), text: name };
        resume = name.end;
        // A third capitalised word makes a person's or an organisation's name.
        let after = &text[name.end..];
        if after.starts_with(' ') && after[1..].starts_with(char::is_uppercase) || name.text.chars().count() < MISSPELT_MIN_CHARS {
            continue;
        }
        let Some(k) = crate::sentences::index_at(sentences, name.start, |s| (s.start, s.end)) else { continue };
        let taken = |t: &Toponym<'_>| t.byte_start < name.end && name.start < t.byte_end;
        let at = toponyms.partition_point(|t| t.byte_end <= name.start);
        if toponyms.get(at).is_some_and(taken) {
            continue;
        }
        key.clear();
        sitrep_text::fold(name.text, &mut key);
        let listed = |w: &str| {
            let kinds = lexicon.kinds(w);
            kinds.common_word()
                || kinds.person_name()
                || kinds.organisation_word()
                || kinds.demonym()
                || kinds.calendar_word()
                || kinds.title()
                || kinds.not_place()
        };
        // A word of a list ("Western", "Colonel Sergey") is no misspelt name; the second word
        // of two is the one that names ("Nova Kakhova").
        if key.rsplit(' ').next().is_some_and(listed) || !key.contains(' ') && listed(&key) || gaz.key_value(&key).is_some() {
            continue;
        }
        let window = sentences[k.saturating_sub(MISSPELT_SENTENCES)].start..sentences[k].end;
        // The toponyms are in text order: the window's are one slice of them.
        let around = toponyms.partition_point(|t| t.byte_start < window.start)..toponyms.partition_point(|t| t.byte_start < window.end);
        let neighbours: Vec<Place<'g>> = toponyms[around].iter().filter(|t| t.ambiguous.is_none()).filter_map(|t| t.place.filter(point_like)).collect();
        let nearest = |p: &Place<'_>| crate::geocheck::nearest_km(p.point(), neighbours.iter().map(Place::point));
        // With no settlement named around it, a town of the report's country.
        let fits = |p: &Place<'_>, km: f64| {
            p.feature() == sitrep_gazetteer::Feature::City
                && if neighbours.is_empty() {
                    p.population() >= MISSPELT_TOWN && p.country_index().is_some() && p.country_index() == country
                } else {
                    km <= MISSPELT_KM
                }
        };
        let mut best: Option<(f64, Place<'g>)> = None;
        for &value in one_edit_away(geoparser, &key).iter() {
            for (index, _) in gaz.matches_for_value(value) {
                let p = gaz.place(index);
                // Without neighbours, the most populous town. With them, a town beyond reach of
                // every one by its latitude alone does not fit, and is not measured.
                let beyond = |p: &Place<'_>| {
                    p.feature() != sitrep_gazetteer::Feature::City
                        || neighbours.iter().all(|n| crate::geocheck::farther_than(p.point(), n.point(), MISSPELT_KM))
                };
                let km = if neighbours.is_empty() {
                    -(p.population() as f64)
                } else if beyond(&p) {
                    continue;
                } else {
                    nearest(&p)
                };
                if fits(&p, km) && best.as_ref().is_none_or(|(b, _)| km < *b) {
                    best = Some((km, p));
                }
            }
        }
        let Some((_, place)) = best else { continue };
        // The one converter, made once for the text and only when a name is found.
        let chars = offsets.get_or_insert_with(|| sitrep_geoparse::CharOffsets::new(text));
        found.push(Toponym {
            start: chars.char_at(name.start),
            end: chars.char_at(name.end),
            byte_start: name.start,
            byte_end: name.end,
            text: name.text.to_owned(),
            role: sitrep_geoparse::Role::Literal,
            place: Some(place),
            confidence: 0.5,
            precision: sitrep_geoparse::Precision::Exact,
            alternatives: Vec::new(),
            local: false,
            ambiguous: None,
        });
    }
    if !found.is_empty() {
        toponyms.extend(found);
        toponyms.sort_by_key(|t| t.byte_start);
    }
}

/// True for the words after which [`misspelt`] reads a name: prepositions of place, a list's
/// "and" and "or", verbs of taking and striking.
fn is_misspelt_cue(word: &str) -> bool {
    matches!(
        word,
        "in" | "on"
            | "of"
            | "at"
            | "near"
            | "around"
            | "toward"
            | "towards"
            | "outside"
            | "against"
            | "and"
            | "or"
            | "captured"
            | "seized"
            | "took"
            | "retook"
            | "recaptured"
            | "liberated"
            | "entered"
            | "shelled"
            | "struck"
            | "attacked"
    )
}

/// Each cue word ([`is_misspelt_cue`]) in `text` that white space follows (a whole word: a run
/// of ASCII letters, digits and underscores), as the byte offsets of the word and of what
/// follows the white space. A scan of the bytes: a pattern with a match at every "in" and
/// "of" cost some 3,000 instructions a match.
fn after_cues(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            if !is_word(bytes[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && is_word(bytes[i]) {
                i += 1;
            }
            if !is_misspelt_cue(&text[start..i]) {
                continue;
            }
            let rest = &text[i..];
            let at = rest.find(|c: char| !c.is_whitespace()).unwrap_or(rest.len());
            if at > 0 {
                return Some((start, i + at));
            }
        }
        None
    })
}

/// A name [`misspelt`] reads: its byte offsets in the text, and the name.
struct NameAt<'t> {
    start: usize,
    end: usize,
    text: &'t str,
}

/// The capitalised name of one or two words that `text` starts with, as [`misspelt`] reads
/// names: a capital letter and one or more letters or apostrophes, then any parts of a hyphen
/// and letters ("Guta-Mezhyhirska"), then perhaps one more such word after one space ("Nova
/// Kakhovka"). None when `text` starts otherwise.
fn capitalised_name(text: &str) -> Option<&str> {
    let letters = |s: &str| s.find(|c: char| !(c.is_alphabetic() || c == '\'' || c == '’')).unwrap_or(s.len());
    // A capital and at least one letter: the length of such a word at the start of `s`.
    let word = |s: &str| {
        let capital = s.chars().next().filter(|c| c.is_uppercase())?.len_utf8();
        let n = letters(&s[capital..]);
        (n > 0).then_some(capital + n)
    };
    let mut end = word(text)?;
    while let Some(part) = text[end..].strip_prefix('-').map(letters).filter(|&n| n > 0) {
        end += 1 + part;
    }
    if let Some(space) = text[end..].chars().next().filter(|c| c.is_whitespace()) {
        if let Some(second) = word(&text[end + space.len_utf8()..]) {
            end += space.len_utf8() + second;
        }
    }
    Some(&text[..end])
}

/// The nationality words of `demonyms` with their countries, as written, each once, in order
/// of first use.
pub fn demonyms(demonyms: &[Demonym<'_>]) -> Vec<DemonymReading> {
    // Borrowed keys: a report names its peoples hundreds of times, each copied twice before.
    let mut seen: HashSet<(&str, Option<&str>)> = HashSet::new();
    let mut out = Vec::new();
    for d in demonyms {
        let code = d.country.map(|c| c.code());
        if seen.insert((d.text.as_str(), code)) {
            out.push((d.text.clone(), code.map(str::to_owned)));
        }
    }
    out
}

fn place_reading(p: &Place<'_>, mentions: Vec<PlaceMention>) -> PlaceReading {
    PlaceReading {
        id: p.id(),
        name: p.display_name().to_owned(),
        feature: p.feature(),
        admin1: p.admin1().map(|a| a.display_name().to_owned()),
        country: p.country().map(|c| c.display_name().to_owned()),
        lat: p.point().lat,
        lon: p.point().lon,
        mentions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::geoparser;

    #[test]
    fn mentions_are_grouped_by_place_in_order_of_first_mention() {
        let text = "Shelling hit Bakhmut and Soledar overnight; in Bakhmut, power failed. Bakhmut's mayor spoke.";
        let parse = geoparser().parse(text);
        let places = read(&parse.toponyms);
        let names: Vec<(&str, usize)> = places.iter().map(|p| (p.name.as_str(), p.mentions.len())).collect();
        assert_eq!(names, [("Bakhmut", 3), ("Soledar", 1)]);
        let starts: Vec<usize> = places[0].mentions.iter().map(|m| m.start).collect();
        assert_eq!(starts, [13, 47, 70], "mentions in text order, in chars");
        assert!(places[0].id.starts_with("geonames:"));
    }

    #[test]
    fn cue_words_are_whole_words_followed_by_white_space() {
        let text = "Fighting in  Lyman, within Kreminna, towards Siversk and\u{a0}Bilohorivka; shelled, or";
        let got: Vec<(&str, &str)> = after_cues(text).map(|(cue, at)| (&text[cue..at], &text[at..])).collect();
        let cues: Vec<&str> = got.iter().map(|(c, _)| c.trim_end()).collect();
        assert_eq!(cues, ["in", "towards", "and"], "\"within\" holds no cue, and a cue needs white space after it");
        assert!(got[0].1.starts_with("Lyman") && got[2].1.starts_with("Bilohorivka"));
    }

    #[test]
    fn a_capitalised_name_is_read_to_its_last_letter() {
        assert_eq!(capitalised_name("Kremmina, where"), Some("Kremmina"));
        assert_eq!(capitalised_name("Guta-Mezhyhirska and"), Some("Guta-Mezhyhirska"));
        assert_eq!(capitalised_name("Nova Kakhovka was"), Some("Nova Kakhovka"));
        assert_eq!(capitalised_name("Kup’yansk’s outskirts"), Some("Kup’yansk’s"));
        assert_eq!(capitalised_name("Žytomyr-Pivnichne Oblast today"), Some("Žytomyr-Pivnichne Oblast"));
        // One more capitalised word at most, after exactly one space; a bare hyphen ends it.
        assert_eq!(capitalised_name("Velyka Novosilka Raion"), Some("Velyka Novosilka"));
        assert_eq!(capitalised_name("Izium  Kharkiv"), Some("Izium"));
        assert_eq!(capitalised_name("Lyman- and"), Some("Lyman"));
        // No capital, or a capital alone, is no name.
        assert_eq!(capitalised_name("the village"), None);
        assert_eq!(capitalised_name("A village"), None);
        assert_eq!(capitalised_name(""), None);
    }

    #[test]
    fn an_id_is_told_as_writing_it_out_tells_it() {
        let gaz = geoparser().gazetteer();
        // Places of every kind, GeoNames' and the supplement's, against their own ids, each
        // other's, and near misses (a leading zero, a sign, a digit more or less, the other
        // scheme).
        let places: Vec<Place<'_>> = gaz.places().step_by(997).chain(gaz.places().filter(|p| p.geonameid().is_none()).take(50)).collect();
        assert!(places.iter().any(|p| p.geonameid().is_none()) && places.len() > 300);
        for (k, p) in places.iter().enumerate() {
            let id = p.id();
            assert!(has_id(p, &id), "{id}");
            let other = places[(k + 1) % places.len()].id();
            assert_eq!(has_id(p, &other), other == id, "{id} against {other}");
            let (scheme, rest) = id.split_once(':').unwrap();
            for near in
                [format!("{scheme}:0{rest}"), format!("{scheme}:+{rest}"), format!("{id}0"), id[..id.len() - 1].to_owned(), format!("x{id}"), rest.to_owned()]
            {
                assert!(!has_id(p, &near), "{id} is not {near}");
            }
            let swapped = if scheme == "geonames" { format!("sitrep:{rest}") } else { format!("geonames:{rest}") };
            assert!(!has_id(p, &swapped) || swapped == id, "{id} is not {swapped}");
        }
        assert!(is_decimal("0", 0) && is_decimal("4294967295", u32::MAX) && !is_decimal("00", 0) && !is_decimal("", 0));
    }

    #[test]
    fn kept_names_one_edit_away_are_those_looked_up_and_kept_per_geoparser() {
        let parser = geoparser();
        let gaz = parser.gazetteer();
        let direct = |key: &str| {
            let mut values = Vec::new();
            gaz.for_each_one_edit_away(key, |v| values.push(v));
            values
        };
        let words = ["kremmina", "popsana", "shaktarsk", "donestk", "zzzzzq"];
        for round in 0..2 {
            for word in words {
                // Looked up the first time, kept the second: the same values, order and repeats.
                assert_eq!(one_edit_away(parser, word).to_vec(), direct(word), "{word}, round {round}");
            }
        }
        assert!(!direct("donestk").is_empty());
        // Another geoparser (here the same gazetteer with a theatre, a fresh id) starts afresh,
        // and what it keeps is what it looks up.
        let other = sitrep_geoparse::Geoparser::new(gaz).with_theatre(sitrep_geoparse::Theatre::country(gaz, "UA").unwrap());
        assert_ne!(other.id(), parser.id());
        assert_eq!(one_edit_away(&other, "donestk").to_vec(), direct("donestk"));
        ONE_EDIT.with_borrow(|kept| assert_eq!((kept.owner(), kept.len()), (other.id(), 1)));
    }

    #[test]
    fn nationality_words_are_listed_once() {
        let parse = geoparser().parse("Ukrainian troops met Russian units; Ukrainian officials and Russian sources disagreed.");
        let got = demonyms(&parse.demonyms);
        assert_eq!(got, [("Ukrainian".to_owned(), Some("UA".to_owned())), ("Russian".to_owned(), Some("RU".to_owned()))]);
    }
}
