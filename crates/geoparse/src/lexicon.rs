//! Word lists that tell place names from other capitalised words. The lists ([`lists`]) are
//! written as spelt; the build script folds them (see `sitrep_text::fold`), with the
//! common-word and person-name files in `data/`, into one embedded table from folded word to
//! the lists it is on, so that one probe answers every list and nothing is parsed at start.

pub mod lists;

use rustc_hash::FxHashMap as HashMap;

use lists::bit::*;
use lists::{DEMONYMS, SUBDIVISION_DEMONYMS};

/// Every folded word of the lists, with its [`lists::bit`]s (see `build.rs`).
static WORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/words.table"));
/// A filter of the words in [`WORDS`], which answers for most words that are on no list.
static FILTER: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/words.filter"));
/// Nationality words generated from `countryinfo` by `scripts/build-lexicon.sh`.
static GENERATED_DEMONYMS: &str = include_str!("../data/demonyms.tsv");

/// The lists a word is on, from [`Lexicon::kinds`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Kinds(u32);

impl Kinds {
    /// A capitalised word or name that is not a place in news text ("saturday", "white house").
    pub fn not_place(self) -> bool {
        self.0 & NOT_PLACE != 0
    }

    /// A title that puts a person's name after it ("mr", "president").
    pub fn title(self) -> bool {
        self.0 & TITLE != 0
    }

    /// A word that makes the place before it part of an organisation's name.
    pub fn organisation_word(self) -> bool {
        self.0 & ORGANISATION != 0
    }

    /// A word before a place that marks a location.
    pub fn locative_cue(self) -> bool {
        self.0 & LOCATIVE != 0
    }

    /// A word before a place that puts an event near it rather than in it.
    pub fn near_cue(self) -> bool {
        self.0 & NEAR != 0
    }

    /// A lower-case word after a name that marks it as a place ("a Winona man").
    pub fn place_after_cue(self) -> bool {
        self.0 & PLACE_AFTER != 0
    }

    /// A word after a name that makes it a town rather than a country ("a Jordan man").
    pub fn town_cue(self) -> bool {
        self.0 & TOWN_CUE != 0
    }

    /// A verb after a bare name that makes it a person ("Nelson said").
    pub fn speech_verb(self) -> bool {
        self.0 & SPEECH != 0
    }

    /// A type word that ends a street's or a natural feature's name ("avenue", "creek").
    pub fn feature_word(self) -> bool {
        self.0 & FEATURE != 0
    }

    /// A road word that takes a number ("route", "highway").
    pub fn route_word(self) -> bool {
        self.0 & ROUTE != 0
    }

    /// A word that puts a natural feature's name after it ("lake", "mount").
    pub fn feature_prefix(self) -> bool {
        self.0 & FEATURE_PREFIX != 0
    }

    /// A day or a month.
    pub fn calendar_word(self) -> bool {
        self.0 & CALENDAR != 0
    }

    /// A word that may stand before a place name ("North Texas").
    pub fn area_prefix(self) -> bool {
        self.0 & AREA_PREFIX != 0
    }

    /// A connector that may sit inside a multi-word place name.
    pub fn name_connector(self) -> bool {
        self.0 & CONNECTOR != 0
    }

    /// A common English word ("reading", "mobile"), so a capital at a sentence start says
    /// nothing.
    pub fn common_word(self) -> bool {
        self.0 & COMMON != 0
    }

    /// A common first name or surname ("george", "moore", "vladimir").
    pub fn person_name(self) -> bool {
        self.0 & (PERSON | FIRST_NAME) != 0
    }

    /// A nationality word or its plural (see [`Lexicon::demonym`] for its country).
    pub fn demonym(self) -> bool {
        self.0 & DEMONYM != 0
    }

    /// The first word of a nationality of two words or more ("sri" of "Sri Lankan").
    pub fn starts_demonym(self) -> bool {
        self.0 & DEMONYM_START != 0
    }
}

/// The lists, folded and ready to query.
pub struct Lexicon {
    /// Folded word → its [`lists::bit`]s: a `sitrep_text::table` that the build script made.
    words: &'static [u8],
    demonyms: HashMap<String, &'static str>,
}

impl Default for Lexicon {
    fn default() -> Self {
        Lexicon::new()
    }
}

fn folded(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    sitrep_text::fold(word, &mut out);
    out
}

impl Lexicon {
    /// The embedded word table, and the demonyms (a few hundred) folded into a map.
    pub fn new() -> Lexicon {
        let generated = GENERATED_DEMONYMS.lines().filter_map(|l| l.split_once('\t'));
        let demonyms = generated.chain(DEMONYMS.iter().copied()).map(|(d, cc)| (folded(d), cc)).collect();
        Lexicon { words: WORDS, demonyms }
    }

    /// What the built-in lists say of a folded word or name: one probe answers every list (the
    /// filter, for a word on none, none).
    #[inline]
    pub fn kinds(&self, folded: &str) -> Kinds {
        let h = sitrep_text::table::key_hash(folded.as_bytes());
        let found = sitrep_text::table::filter_admits(FILTER, h).then(|| sitrep_text::table::find_hashed(self.words, h)).flatten();
        Kinds(found.map_or(0, |bits| bits as u32))
    }

    /// The GeoNames id of the first-level subdivision whose people a folded demonym names.
    pub fn subdivision_of(&self, folded: &str) -> Option<u32> {
        SUBDIVISION_DEMONYMS.iter().find(|(d, _)| *d == folded).map(|&(_, id)| id)
    }

    /// The ids of every subdivision a demonym can name.
    pub fn demonym_subdivisions() -> impl Iterator<Item = u32> {
        SUBDIVISION_DEMONYMS.iter().map(|&(_, id)| id)
    }

    /// The country code of a demonym ("ukrainian" → "UA"; "" for a region's people).
    /// Plurals of listed words count too ("georgians").
    pub fn demonym(&self, folded: &str) -> Option<&'static str> {
        if !self.kinds(folded).demonym() {
            return None;
        }
        self.demonyms.get(folded).copied().or_else(|| {
            let singular = folded.strip_suffix('s').filter(|w| w.len() >= 4)?;
            self.demonyms.get(singular).copied()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        let lex = Lexicon::new();
        assert!(lex.kinds("reading").common_word());
        assert!(lex.kinds(&folded("Army")).common_word(), "the word set is folded too");
        assert!(!lex.kinds("kupiansk").common_word());
        assert!(lex.kinds(&folded("Saturday")).not_place());
        assert_eq!(lex.demonym(&folded("Ukrainian")), Some("UA"));
        assert!(lex.kinds(&folded("Mayor")).title());
        assert!(lex.kinds(&folded("George")).person_name() && lex.kinds(&folded("Moore")).person_name());
        assert!(lex.kinds(&folded("Volodymyr")).person_name(), "hand list of first names");
        assert!(lex.kinds(&folded("White House")).not_place(), "names of several words");
        assert_eq!(lex.demonym(&folded("Reading")), None);
        assert_eq!(lex.demonym(&folded("Nigerien")), Some("NE"), "generated list");
        assert_eq!(lex.demonym(&folded("Americans")), Some("US"), "hand list");
        assert_eq!(lex.demonym(&folded("Egyptians")), Some("EG"), "plural");
        assert!(lex.kinds("said").speech_verb() && lex.kinds("residents").place_after_cue());
        assert!(lex.kinds("sri").starts_demonym() && lex.kinds(&folded("South")).starts_demonym());
        assert!(!lex.kinds("lankan").starts_demonym() && lex.kinds(&folded("Ukrainian")).demonym());
    }

    #[test]
    fn the_table_holds_every_listed_word_with_its_bit() {
        let lex = Lexicon::new();
        for &(list, kind) in lists::KIND_LISTS {
            for word in list {
                assert!(lex.kinds(&folded(word)).0 & kind == kind, "{word}");
            }
        }
        for (demonym, _) in DEMONYMS {
            assert!(lex.demonym(&folded(demonym)).is_some(), "{demonym}");
        }
    }
}
