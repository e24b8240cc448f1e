//! Whether the reports name a truth record's settlement: the place, not only a spelling of it.
//!
//! Ukraine has dozens of villages called Andriivka, Oleksandrivka or Troitske. A report that
//! names the Andriivka of Luhansk Oblast says nothing of the Andriivka of Kyiv Oblast 550 km
//! away, so "the reports name this settlement" must be decided per place. It is decided from the
//! report's own words and the gazetteer's list of places, never from sitrep's geoparser (that
//! would score the reader by its own choices). A sentence names the truth's settlement when it
//! contains one of its spellings (its name or an alternate name, folded with `sitrep_text`, so
//! transliterations match) and either
//!
//! 1. that spelling is **its own**: every other populated place of its country farther than
//!    [`HOMONYM_KM`] from it that is called so has less than a [`DOMINANT_FACTOR`]th of its
//!    people (for most names there is none; places nearer than that are read as the same
//!    place: a village and its station, two halves of one village); or
//! 2. the sentence's **paragraph** (its line of the text) also names, by spelling, something
//!    that places it: its oblast, its raion, or another populated place within
//!    [`CONTEXT_KM`] of it, or a city of [`CITY_POPULATION`] people within
//!    [`CITY_CONTEXT_KM`] ("Andriivka, Starobilsk and Novoaidar in Luhansk Oblast";
//!    "Oleksandrivka, 40 km west of Kherson"), by a spelling that is that place's own in the
//!    sense of 1 (a nearby Oleksandrivka places nothing: a report naming one most likely means
//!    another). Spellings of a nearby place shorter than [`MIN_CONTEXT_KEY`] letters, and
//!    those the settlement itself bears, do not count.
//!
//! The spelling-only test (1 or 2 not asked) is kept beside it so that the two figures can be
//! compared.

use std::collections::{HashMap, HashSet};

use sitrep_gazetteer::{distance_km, Feature, Gazetteer, LatLon, Place};
use sitrep_text::normalize::key_for_name;

/// Homonyms nearer than this (km) are the same place for naming.
pub const HOMONYM_KM: f64 = 30.0;
/// A populated place within this distance (km) of a settlement places it.
pub const CONTEXT_KM: f64 = 30.0;
/// Spellings of a nearby place shorter than this many letters are not counted.
pub const MIN_CONTEXT_KEY: usize = 4;
/// A city of this many people or more places the settlements within [`CITY_CONTEXT_KM`]:
/// reports place villages by the nearest city ("40 km west of Kherson").
pub const CITY_POPULATION: u64 = 100_000;
/// See [`CITY_POPULATION`].
pub const CITY_CONTEXT_KM: f64 = 80.0;
/// A place's spelling is its own when it has this many times the people of every far place
/// of that spelling.
pub const DOMINANT_FACTOR: u64 = 10;
/// Words in the longest name looked up in a paragraph.
const MAX_WORDS: usize = 4;

/// The gazetteer's populated places on a grid, for finding those near a point.
pub struct Towns<'g> {
    gaz: &'g Gazetteer,
    cells: HashMap<(i32, i32), Vec<u32>>,
    by_geonameid: HashMap<u32, u32>,
    /// The first-level areas (oblasts), by index.
    oblasts: Vec<u32>,
}

/// Grid cells are this many degrees on a side (a degree of latitude is 111 km).
const CELL_DEG: f64 = 0.5;

fn cell(p: LatLon) -> (i32, i32) {
    ((p.lat / CELL_DEG).floor() as i32, (p.lon / CELL_DEG).floor() as i32)
}

impl<'g> Towns<'g> {
    /// The populated places of `gaz`.
    pub fn new(gaz: &'g Gazetteer) -> Towns<'g> {
        let mut cells: HashMap<(i32, i32), Vec<u32>> = HashMap::new();
        let mut by_geonameid = HashMap::new();
        let oblasts = gaz.places().filter(|p| p.feature() == Feature::Admin1).map(|p| p.index()).collect();
        for p in gaz.places().filter(|p| p.feature() == Feature::City && p.is_located()) {
            cells.entry(cell(p.point())).or_default().push(p.index());
            if let Some(id) = p.geonameid() {
                by_geonameid.insert(id, p.index());
            }
        }
        Towns { gaz, cells, by_geonameid, oblasts }
    }

    /// The populated places within `km` of `point`.
    fn near(&self, point: LatLon, km: f64) -> impl Iterator<Item = Place<'g>> + '_ {
        let (a, b) = cell(point);
        // Cells to look at on each side: a degree of latitude is 111 km, of longitude less.
        let span = |deg_km: f64| (km / (deg_km.max(1.0) * CELL_DEG)).ceil() as i32;
        let (da, db) = (span(111.0), span(111.0 * point.lat.to_radians().cos()));
        (a - da..=a + da)
            .flat_map(move |x| (b - db..=b + db).map(move |y| (x, y)))
            .filter_map(|k| self.cells.get(&k))
            .flatten()
            .map(|&i| self.gaz.place(i))
            .filter(move |p| distance_km(p.point(), point) <= km)
    }

    /// True when the spelling `key` singles out the place at `point` (in country `cc`, of
    /// `population` people): every populated place of that country farther than
    /// [`HOMONYM_KM`] from it that is called so has less than a [`DOMINANT_FACTOR`]th of its
    /// people (none at all, for most names; "Mariupol" is also a hamlet of a hundred people).
    fn own(&self, key: &str, point: LatLon, cc: Option<&str>, population: u64) -> bool {
        !self.gaz.lookup_key(key).map(|(i, _)| self.gaz.place(i)).any(|p| {
            p.feature() == Feature::City
                && cc.is_none_or(|cc| p.country_code() == cc)
                && distance_km(p.point(), point) > HOMONYM_KM
                && (p.population() == 0 || p.population().saturating_mul(DOMINANT_FACTOR) >= population)
        })
    }

    /// The populated place with GeoNames id `id`, else the nearest within 5 km of `point`.
    fn find(&self, id: Option<i64>, point: LatLon) -> Option<Place<'g>> {
        id.and_then(|id| u32::try_from(id).ok())
            .and_then(|id| self.by_geonameid.get(&id))
            .map(|&i| self.gaz.place(i))
            .or_else(|| self.near(point, 5.0).min_by(|a, b| distance_km(a.point(), point).total_cmp(&distance_km(b.point(), point))))
    }
}

/// A name's matching key.
pub fn key(name: &str) -> String {
    key_for_name(name).0
}

/// What singles out one settlement in a report's words.
#[derive(Debug, Clone, Default)]
pub struct PlaceKeys {
    /// The keys of its spellings, each with whether it is its own (no homonym farther than
    /// [`HOMONYM_KM`] in its country).
    pub spellings: Vec<(String, bool)>,
    /// The keys of what places it: its oblast's and raion's names, and those of the populated
    /// places within [`CONTEXT_KM`].
    pub context: HashSet<String>,
    /// The keys of the other oblasts of its country.
    pub elsewhere: HashSet<String>,
}

impl PlaceKeys {
    /// The keys of the settlement at `point` (GeoNames id `id`, when known) called `spellings`.
    pub fn new<'a>(towns: &Towns<'_>, id: Option<i64>, point: LatLon, spellings: impl IntoIterator<Item = &'a str>) -> PlaceKeys {
        let this = towns.find(id, point);
        let country = this.map(|p| p.country_code());
        let mut keys: Vec<String> = spellings.into_iter().map(key).filter(|k| !k.is_empty()).collect();
        keys.sort();
        keys.dedup();
        let own: HashSet<&str> = keys.iter().map(String::as_str).collect();
        let spellings = keys.iter().map(|k| (k.clone(), towns.own(k, point, country, this.map_or(0, |p| p.population())))).collect();
        let mut context = HashSet::new();
        let mut elsewhere = HashSet::new();
        let letters = |k: &str| k.chars().filter(|c| c.is_alphabetic()).count();
        let names = |p: Place<'_>| std::iter::once(p.name()).chain(p.alternates()).map(key).filter(|k| letters(k) >= 3).collect::<Vec<String>>();
        // An area's name may be short ("Kyiv" folds to three letters).
        if let Some(p) = this {
            for area in p.admin1().into_iter().chain(p.admin2()) {
                context.extend(names(area).into_iter().filter(|k| !own.contains(k.as_str())));
            }
            for &o in &towns.oblasts {
                let o = towns.gaz.place(o);
                if Some(o.index()) != p.admin1_index() && o.country_code() == p.country_code() {
                    elsewhere.extend(names(o).into_iter().filter(|k| !context.contains(k)));
                }
            }
        }
        // A nearby place's spelling places the settlement only when it singles that place
        // out: the Oleksandrivka 20 km away does not, since a report naming Oleksandrivka
        // most likely means another.
        for p in towns.near(point, CITY_CONTEXT_KM).filter(|p| this.is_none_or(|t| t.index() != p.index())) {
            if p.population() < CITY_POPULATION && distance_km(p.point(), point) > CONTEXT_KM {
                continue;
            }
            let cc = Some(p.country_code()).filter(|c| !c.is_empty());
            for k in std::iter::once(p.name()).chain(p.alternates()).map(key) {
                if letters(&k) >= MIN_CONTEXT_KEY && !own.contains(k.as_str()) && !context.contains(&k) && towns.own(&k, p.point(), cc, p.population()) {
                    context.insert(k);
                }
            }
        }
        PlaceKeys { spellings, context, elsewhere }
    }

    /// True when `sentence`, which contains the spelling `key`, names this settlement, its
    /// paragraph being `paragraph`: the spelling is its own, or the sentence names something
    /// that places it, or, when the sentence names no other oblast of its country ("Andriivka
    /// in Luhansk Oblast"), the paragraph does.
    pub fn names_in(&self, key: &str, sentence: &str, paragraph: &str) -> bool {
        match self.spellings.iter().find(|(k, _)| k == key) {
            Some((_, true)) => true,
            Some((_, false)) => self.placed_by(sentence) || (!self.elsewhere_in(sentence) && self.placed_by(paragraph)),
            None => false,
        }
    }

    /// True when `text` names another oblast with its type word ("Kherson Oblast", "the
    /// Luhansk region").
    pub fn elsewhere_in(&self, text: &str) -> bool {
        let folded = folded(text);
        let words: Vec<&str> = folded.split_whitespace().collect();
        let region = |w: &str| sitrep_text::normalize::Qualifier::from_folded_word(w) == Some(sitrep_text::normalize::Qualifier::Region);
        (1..words.len()).filter(|&i| region(words[i])).any(|i| (1..=MAX_WORDS.min(i)).any(|n| self.elsewhere.contains(&words[i - n..i].join(" "))))
    }

    /// True when `text` names, by spelling, something that places this settlement.
    pub fn placed_by(&self, text: &str) -> bool {
        let folded = folded(text);
        let words: Vec<&str> = folded.split_whitespace().collect();
        let mut gram = String::new();
        (0..words.len()).any(|i| {
            gram.clear();
            words[i..(i + MAX_WORDS).min(words.len())].iter().any(|w| {
                if !gram.is_empty() {
                    gram.push(' ');
                }
                gram.push_str(w);
                self.context.contains(&gram)
            })
        })
    }
}

/// `text` folded as names are (`sitrep_text::normalize::fold`).
fn folded(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    sitrep_text::normalize::fold(text, &mut folded);
    folded
}

/// A sentence's start and end, and its paragraph's (start, end).
type SentenceSpan = (usize, usize, (usize, usize));

/// Where the reports use the spellings asked for: per report, its paragraphs (the lines of the
/// text) and sentences, and for each spelling the sentences that contain it.
pub struct NameIndex {
    /// Per report: each sentence's start, end and paragraph (start, end).
    sentences: Vec<Vec<SentenceSpan>>,
    /// For each key asked for that some report uses: (report, sentence) of each use.
    uses: HashMap<String, Vec<(usize, usize)>>,
}

impl NameIndex {
    /// Indexes the uses of `keys` in `texts`.
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a str>, keys: &HashSet<String>) -> NameIndex {
        let longest = keys.iter().map(|k| k.split(' ').count()).max().unwrap_or(1);
        let mut sentences = Vec::new();
        let mut uses: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        let mut folded = String::new();
        for (d, text) in texts.into_iter().enumerate() {
            let mut spans: Vec<SentenceSpan> = Vec::new();
            for (si, s) in sitrep_read::sentences::split(text).into_iter().enumerate() {
                let line_start = text[..s.start].rfind('\n').map_or(0, |i| i + 1);
                let line_end = text[s.start..].find('\n').map_or(text.len(), |i| s.start + i);
                spans.push((s.start, s.end, (line_start, line_end)));
                folded.clear();
                sitrep_text::normalize::fold(&text[s.start..s.end], &mut folded);
                let words: Vec<&str> = folded.split_whitespace().collect();
                for i in 0..words.len() {
                    for n in 1..=longest.min(words.len() - i) {
                        let gram = words[i..i + n].join(" ");
                        if keys.contains(&gram) {
                            let at = uses.entry(gram).or_default();
                            if at.last() != Some(&(d, si)) {
                                at.push((d, si));
                            }
                        }
                    }
                }
            }
            sentences.push(spans);
        }
        NameIndex { sentences, uses }
    }

    /// True when some report uses the spelling whose key is `key`.
    pub fn uses(&self, key: &str) -> bool {
        self.uses.contains_key(key)
    }

    /// The sentences (report, start, end) of the reports `keep` accepts that name `place`:
    /// by the place rule, or with `by_spelling`, by any of its spellings.
    pub fn mentions(&self, texts: &[&str], place: &PlaceKeys, keep: impl Fn(usize) -> bool, by_spelling: bool) -> Vec<(usize, usize, usize)> {
        let mut out: Vec<(usize, usize, usize)> = Vec::new();
        for (k, _) in &place.spellings {
            for &(d, si) in self.uses.get(k).into_iter().flatten() {
                if !keep(d) {
                    continue;
                }
                let (start, end, (ps, pe)) = self.sentences[d][si];
                if (by_spelling || place.names_in(k, &texts[d][start..end], &texts[d][ps..pe])) && !out.contains(&(d, start, end)) {
                    out.push((d, start, end));
                }
            }
        }
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_gazetteer::{IndexWriter, PlaceSpec};

    /// Two oblasts of one country; a village name shared by a place in each, 400 km apart; a
    /// town 12 km from the eastern one; a village name only one place bears, 13 km from the western one; and a village
    /// called like the eastern one 10 km from it.
    fn world() -> Vec<u8> {
        let mut w = IndexWriter::new();
        let mut country = PlaceSpec::new("Testland", Feature::Country, 49.0, 32.0);
        country.code = "TL".into();
        let country = w.add(country);
        let mut oblast = |name: &str, alt: &str, lat: f64, lon: f64| {
            let mut o = PlaceSpec::new(name, Feature::Admin1, lat, lon);
            (o.alternates, o.country) = (vec![alt.into()], Some(country));
            w.add(o)
        };
        let east = oblast("Skhidna oblast", "Eastmark Oblast", 49.0, 38.0);
        let west = oblast("Zakhidna oblast", "Westmark Oblast", 49.0, 33.0);
        let mut town = |name: &str, id: u32, lat: f64, lon: f64, admin1: u32| {
            let mut t = PlaceSpec::new(name, Feature::City, lat, lon);
            (t.geonameid, t.country, t.admin1) = (id, Some(country), Some(admin1));
            w.add(t)
        };
        town("Andriivka", 1, 49.00, 38.00, east);
        town("Andriivka", 2, 49.00, 32.50, west);
        town("Kamianobrid", 3, 49.10, 38.10, east);
        town("Zorianivka", 4, 49.10, 32.60, west);
        town("Andriivka", 5, 49.05, 38.10, east);
        w.finish()
    }

    fn keys(towns: &Towns<'_>, id: i64, lat: f64, lon: f64, names: &[&str]) -> PlaceKeys {
        PlaceKeys::new(towns, Some(id), LatLon::new(lat, lon), names.iter().copied())
    }

    #[test]
    fn a_shared_name_names_the_place_only_with_something_that_places_it() {
        let gaz = Gazetteer::from_bytes(&world()).unwrap();
        let towns = Towns::new(&gaz);
        let eastern = keys(&towns, 1, 49.00, 38.00, &["Andriivka", "Andreevka"]);
        assert_eq!(eastern.spellings, vec![(key("Andreevka"), true), (key("Andriivka"), false)]);
        // The other oblast, or a town 400 km away, does not place it; its own oblast, a town
        // 12 km away, or its oblast's other spelling does.
        assert!(!eastern.names_in(
            &key("Andriivka"),
            "Russian forces captured Andriivka in Zakhidna Oblast.",
            "Russian forces captured Andriivka in Zakhidna Oblast."
        ));
        assert!(!eastern.names_in(&key("Andriivka"), "Fighting near Zorianivka and Andriivka continued.", "Fighting near Zorianivka and Andriivka continued."));
        assert!(eastern.names_in(
            &key("Andriivka"),
            "Fighting near Kamianobrid and Andriivka continued.",
            "Fighting near Kamianobrid and Andriivka continued."
        ));
        assert!(eastern.names_in(&key("Andriivka"), "Troops left Andriivka, in the Eastmark Oblast.", "Troops left Andriivka, in the Eastmark Oblast."));
        assert!(eastern.names_in(&key("Andriivka"), "Troops left Andriivka (Skhidna region).", "Troops left Andriivka (Skhidna region)."));
        // A spelling no far place bears names it alone; one it does not bear never does.
        assert!(eastern.names_in(&key("Andreevka"), "Troops left Andreevka.", "Troops left Andriyivka."));
        assert!(!eastern.names_in(&key("Zorianivka"), "Troops left Zorianivka in Skhidna Oblast.", "Troops left Zorianivka in Skhidna Oblast."));
        // A paragraph places it unless its own sentence puts the name in another oblast.
        let paragraph = "Forces advanced in Skhidna Oblast. Troops left Andriivka.";
        assert!(eastern.names_in(&key("Andriivka"), "Troops left Andriivka.", paragraph));
        assert!(!eastern.names_in(&key("Andriivka"), "Troops left Andriivka in Zakhidna Oblast.", paragraph));
        assert!(eastern.names_in(&key("Andriivka"), "Troops left Andriivka near Kamianobrid, not the one in Zakhidna Oblast.", paragraph));
        // The western one is placed by its own context, not the eastern one's.
        let western = keys(&towns, 2, 49.00, 32.50, &["Andriivka"]);
        assert!(western.names_in(&key("Andriivka"), "Fighting near Zorianivka and Andriivka continued.", "Fighting near Zorianivka and Andriivka continued."));
        assert!(!western.names_in(
            &key("Andriivka"),
            "Fighting near Kamianobrid and Andriivka continued.",
            "Fighting near Kamianobrid and Andriivka continued."
        ));
    }

    #[test]
    fn a_name_borne_by_one_place_or_by_places_close_together_names_it_alone() {
        let gaz = Gazetteer::from_bytes(&world()).unwrap();
        let towns = Towns::new(&gaz);
        let only = keys(&towns, 4, 49.10, 32.60, &["Zorianivka"]);
        assert_eq!(only.spellings, vec![(key("Zorianivka"), true)]);
        assert!(only.names_in(&key("Zorianivka"), "Nothing else here.", "Nothing else here."));
        // A homonym 10 km away is no other place; the one 400 km away still is.
        let mut w = IndexWriter::new();
        let mut a = PlaceSpec::new("Pisky", Feature::City, 48.0, 37.0);
        a.geonameid = 7;
        w.add(a);
        let mut b = PlaceSpec::new("Pisky", Feature::City, 48.05, 37.1);
        b.geonameid = 8;
        w.add(b);
        let gaz = Gazetteer::from_bytes(&w.finish()).unwrap();
        let towns = Towns::new(&gaz);
        assert!(keys(&towns, 7, 48.0, 37.0, &["Pisky"]).names_in(&key("Pisky"), "Pisky.", "Pisky."));
    }

    #[test]
    fn the_index_finds_the_sentences_that_name_the_place_in_their_paragraph() {
        let gaz = Gazetteer::from_bytes(&world()).unwrap();
        let towns = Towns::new(&gaz);
        let eastern = keys(&towns, 1, 49.00, 38.00, &["Andriivka"]);
        let texts = ["Forces left Andriivka. Fighting continued near Kamianobrid.\n\nAndriivka was shelled.", "Troops entered Andriivka near Zorianivka."];
        let wanted: HashSet<String> = eastern.spellings.iter().map(|(k, _)| k.clone()).collect();
        let index = NameIndex::new(texts, &wanted);
        assert!(index.uses(&key("Andriivka")));
        assert!(!index.uses(&key("Kamianobrid")), "only the keys asked for are indexed");
        // The first sentence shares its paragraph with Kamianobrid; the third does not.
        assert_eq!(index.mentions(&texts, &eastern, |_| true, false), vec![(0, 0, 22)]);
        assert_eq!(index.mentions(&texts, &eastern, |_| true, true).len(), 3);
        assert!(index.mentions(&texts, &eastern, |d| d == 1, true).len() == 1);
        assert!(index.mentions(&texts, &eastern, |d| d == 1, false).is_empty());
    }
}
