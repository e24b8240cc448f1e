//! Word lists that tell place names from other capitalised words. Entries are written as
//! spelt; [`Lexicon::new`] folds them (see `sitrep_text::fold`) so they compare with folded
//! words.

use rustc_hash::FxHashMap as HashMap;

/// Capitalised words that name no place in news text although a gazetteer entry has the name:
/// days, months, holidays, directions used as adjectives, institutions, honorifics.
const NOT_PLACES: &[&str] = &[
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "christmas",
    "easter", "ramadan", "western", "eastern", "northern", "southern", "central", "north", "south", "east", "west",
    "god", "lord", "jesus", "christ", "allah", "president", "police", "government", "state", "city", "county",
    "republic", "kingdom", "union", "federal", "national", "international", "university", "college", "school",
    "church", "street", "news", "times", "post", "today", "internet", "twitter", "facebook", "google", "apple",
    "amazon", "microsoft", "nato", "kremlin", "pentagon", "congress", "parliament", "senate", "white", "black",
    "green", "red", "blue", "mr", "mrs", "ms", "dr", "sir", "madam", "hall", "victoria", "grad", "pro", "anti",
    "democrat", "democrats", "republican", "republicans", "islam", "bible", "ministry", "defence", "defense",
    "army", "navy", "forces", "command", "general", "center", "centre", "island", "lake", "river", "mount",
    "beach", "park", "valley", "bay", "harbor", "harbour", "port", "fort", "point", "hill", "hills", "media",
    "press", "reuters", "bloomberg", "getty", "images", "photo", "video", "credit", "source", "update", "live",
    "hamas", "hezbollah", "taliban", "breaking", "opinion", "analysis", "editorial", "home", "world", "business", "sport", "sports", "health",
    "duma", "knesset", "rada", "bundestag", "sejm", "majlis", "storting", "riksdag", "folketing",
    "science", "politics", "weather", "travel", "culture", "lifestyle", "entertainment", "market", "markets",
];

/// First names common in reporting on eastern Europe and the Middle East that the US census
/// lists lack, several of them also town names ("Vladimir Putin").
const FIRST_NAMES: &[&str] = &[
    "vladimir", "volodymyr", "dmitry", "dmitri", "dmytro", "sergei", "sergey", "serhiy", "oleksandr", "oleksiy",
    "alexei", "alexey", "igor", "ihor", "yuri", "yuriy", "yevgeny", "yevgeniy", "valery", "valeriy", "andriy",
    "andrei", "andrey", "mykola", "mykhailo", "mikhail", "viktor", "vitali", "vitaliy", "petro", "pyotr", "ramzan",
    "boris", "olena", "elena", "iryna", "irina", "tetiana", "tatiana", "oksana", "natalia", "yulia", "svetlana",
    "anatoly", "anatolii", "valerii", "kyrylo", "denys", "denis", "maxim", "maksym", "nikolai", "gennady",
    "bashar", "recep", "emmanuel", "olaf", "xi", "mohammed", "muhammad", "ahmed", "ahmad", "hassan", "hussein",
    "omar", "khalid", "abdul", "abdullah", "ali", "mahmoud", "yahya", "ismail", "ibrahim", "salman", "benjamin",
];

/// Words that put a person's name after them.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "president", "minister", "secretary", "senator",
    "sen", "rep", "representative", "gov", "governor", "mayor", "judge", "justice", "gen", "general", "col",
    "colonel", "lt", "lieutenant", "sgt", "sergeant", "capt", "captain", "maj", "major", "adm", "admiral", "prof",
    "professor", "rev", "reverend", "father", "pope", "king", "queen", "prince", "princess", "chancellor",
    "officer", "deputy", "sheriff", "coach", "spokesman", "spokeswoman", "spokesperson", "commander", "chief",
    "director", "ambassador", "envoy", "saint", "st", "brother", "sister", "uncle", "aunt", "mother", "son",
    "daughter", "wife", "husband", "actor", "actress", "singer", "author", "writer", "pastor", "bishop",
    "detective", "trooper", "attorney", "lawmaker", "candidate", "chairman", "ceo", "founder", "analyst",
    "correspondent", "reporter", "editor", "photographer",
];

/// Capitalised words after a place name that make it part of an organisation's name
/// ("Alexandria Police", "Washington Post").
const ORGANISATION_WORDS: &[&str] = &[
    "police", "sheriff", "sheriffs", "fire", "university", "college", "institute", "school", "academy", "times",
    "post", "news", "herald", "tribune", "journal", "gazette", "daily", "independent", "chronicle", "observer",
    "telegraph", "guardian", "record", "inc", "corp", "corporation", "company", "group", "bank", "airlines",
    "airways", "airport", "fc", "club", "team", "partner", "partners", "councils", "council", "city", "board",
    "commission", "committee", "department", "ministry", "office", "hospital", "clinic", "church", "cathedral",
    "stadium", "station", "hotel", "museum", "library", "zoo", "mall", "centre", "center", "court", "district",
    "unified", "public", "state", "highway", "railway", "railroad", "power", "energy", "water", "gas", "oil",
    "association", "society", "foundation", "trust", "fund", "league", "union", "bridge", "observatory", "assembly",
    "regional", "international", "tech", "technology", "high", "middle", "elementary", "cup", "open", "marathon",
    "jazz", "festival", "fair", "show", "giants", "jets", "rangers", "kings", "united", "rovers", "athletic",
    "senate", "house", "supreme", "coalition", "service", "services", "agency", "authority", "administration",
    "corps", "guard", "legislature", "lottery", "chamber", "county", "bureau", "patrol", "sheriff's", "schools",
    "district", "regiment", "battalion", "brigade", "division", "fleet", "army", "navy", "command", "forces",
];

/// Words that, before a place, say the text speaks of a location ("in Kupiansk").
const LOCATIVE_CUES: &[&str] = &[
    "in", "near", "at", "from", "to", "into", "outside", "across", "around", "toward", "towards", "through",
    "via", "between", "north", "south", "east", "west", "northeast", "northwest", "southeast",
    "southwest", "northern", "southern", "eastern", "western", "central", "entered", "captured", "liberated",
    "retook", "took", "shelled", "struck", "attacked", "visited", "based", "born", "downtown", "suburban", "rural",
];

/// Type words that end the name of a street, road or natural feature ("Darling Avenue",
/// "Neches River"). Such names are recognised even when the gazetteer lacks them.
const FEATURE_WORDS: &[&str] = &[
    "street", "st", "avenue", "ave", "road", "rd", "drive", "lane", "ln", "boulevard", "blvd", "parkway", "pkwy",
    "highway", "hwy", "expressway", "freeway", "turnpike", "trail", "square", "plaza", "park", "bridge", "creek",
    "river", "lake", "pond", "mountain", "mountains", "hill", "hills", "valley", "island", "islands", "bay",
    "beach", "canyon", "falls", "forest", "swamp", "peninsula", "gulf", "strait", "harbor", "harbour", "reservoir",
    "dam", "canal", "ridge", "heights", "crossing", "junction",
];

/// Road words that take a number after them ("Route 30", "Highway 101").
const ROUTE_WORDS: &[&str] = &["route", "rt", "highway", "hwy", "interstate", "road", "rd", "motorway"];

/// Words that put a natural feature's name after them ("Lake Erie", "Mount Hood").
const FEATURE_PREFIXES: &[&str] = &["lake", "mount", "mt"];

/// Days and months: never the first word of a street's name ("Sunday Street" is rare; "On
/// Sunday Street fairs" is not).
const CALENDAR_WORDS: &[&str] = &[
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Lower-case words after a name that say it is a place ("a Winona man", "Roselle police",
/// "the Nokomis crash").
const PLACE_AFTER_CUES: &[&str] = &[
    "man", "men", "woman", "women", "resident", "residents", "native", "natives", "police", "area", "county",
    "city", "town", "township", "village", "officials", "official", "couple", "teen", "teenager", "boy", "girl",
    "family", "families", "home", "homes", "neighborhood", "neighborhoods", "neighbourhood", "school", "schools",
    "crash", "fire", "council", "mayor", "voters", "businesses", "streets", "downtown", "area's", "campus",
];

/// Words after a name that only a town takes: its people, its council, its schools ("a
/// Palestine man", "the Lebanon school board"). A country's people go by its demonym.
const TOWN_CUES: &[&str] = &[
    "man", "men", "woman", "women", "resident", "residents", "native", "natives", "couple", "teen", "teenager",
    "boy", "girl", "family", "families", "township", "village", "town", "mayor", "council", "neighborhood",
    "neighborhoods", "neighbourhood", "downtown", "school", "schools", "isd",
];

/// Verbs after a bare name that make it the person who speaks or acts ("Nelson said").
const SPEECH_VERBS: &[&str] = &[
    "said", "says", "told", "added", "explained", "stated", "testified", "wrote", "asked", "noted", "replied",
    "recalled", "admitted", "argued", "insisted", "acknowledged", "declined", "denied", "pleaded", "smiled",
    "laughed", "joked", "thinks", "thought", "believes", "believed", "knew", "knows", "wants", "wanted",
];

/// Words before a place that put an event beside it rather than in it ("near Izyum").
const NEAR_CUES: &[&str] = &[
    "near", "outside", "around", "close", "nearby", "outskirts", "north", "south", "east", "west", "northeast",
    "northwest", "southeast", "southwest", "km", "kilometres", "kilometers", "miles", "mile",
];

/// Words that may stand before a place name without making it part of a person's or an
/// organisation's name ("North Texas", "Greater London").
const AREA_PREFIXES: &[&str] = &[
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "northeast",
    "northwest", "southeast", "southwest", "northeastern", "northwestern", "southeastern", "southwestern",
    "upper", "lower", "greater", "downtown", "metro", "inner", "outer", "rural", "coastal", "occupied", "new",
];

/// Multi-word names that are not places in news text although the gazetteer knows them.
const NOT_PLACE_NAMES: &[&str] = &["White House", "Notre Dame", "El Nino", "La Nina", "Wall Street", "Downing Street"];

/// Short words that may sit inside a multi-word place name ("Sea of Azov", "Rostov-on-Don").
const NAME_CONNECTORS: &[&str] = &[
    "of", "the", "de", "la", "le", "les", "los", "las", "el", "al", "on", "upon", "and", "del", "della", "di", "du",
    "da", "dos", "das", "am", "an", "im", "sur", "en", "y", "i", "na", "nad", "pod", "s",
];

/// Nationality and people words, each with the ISO code of its country, for forms the
/// generated list (`data/demonyms.tsv`) lacks or gets ambiguous (plurals, "American",
/// regional peoples); this list wins. They are reported as demonyms, never as toponyms.
const DEMONYMS: &[(&str, &str)] = &[
    ("afghan", "AF"), ("albanian", "AL"), ("algerian", "DZ"), ("american", "US"), ("americans", "US"),
    ("argentine", "AR"), ("argentinian", "AR"), ("armenian", "AM"), ("armenians", "AM"), ("australian", "AU"),
    ("austrian", "AT"), ("azerbaijani", "AZ"), ("belarusian", "BY"), ("belarusians", "BY"), ("belgian", "BE"),
    ("bosnian", "BA"), ("brazilian", "BR"), ("british", "GB"), ("briton", "GB"), ("britons", "GB"),
    ("bulgarian", "BG"), ("canadian", "CA"), ("chechen", "RU"), ("chilean", "CL"), ("chinese", "CN"),
    ("colombian", "CO"), ("croatian", "HR"), ("cuban", "CU"), ("czech", "CZ"), ("danish", "DK"), ("dutch", "NL"),
    ("egyptian", "EG"), ("emirati", "AE"), ("english", "GB"), ("estonian", "EE"), ("ethiopian", "ET"),
    ("filipino", "PH"), ("filipinos", "PH"), ("finnish", "FI"), ("french", "FR"), ("georgian", "GE"),
    ("georgians", "GE"), ("german", "DE"), ("germans", "DE"), ("greek", "GR"), ("hungarian", "HU"), ("indian", "IN"),
    ("indonesian", "ID"), ("iranian", "IR"), ("iranians", "IR"), ("iraqi", "IQ"), ("iraqis", "IQ"), ("irish", "IE"),
    ("israeli", "IL"), ("israelis", "IL"), ("italian", "IT"), ("japanese", "JP"), ("jordanian", "JO"),
    ("kazakh", "KZ"), ("kenyan", "KE"), ("korean", "KR"), ("kurdish", "IQ"), ("latvian", "LV"), ("lebanese", "LB"),
    ("libyan", "LY"), ("lithuanian", "LT"), ("mexican", "MX"), ("moldovan", "MD"), ("mongolian", "MN"),
    ("moroccan", "MA"), ("nigerian", "NG"), ("norwegian", "NO"), ("pakistani", "PK"), ("palestinian", "PS"),
    ("palestinians", "PS"), ("persian", "IR"), ("peruvian", "PE"), ("polish", "PL"), ("portuguese", "PT"),
    ("romanian", "RO"), ("russian", "RU"), ("russians", "RU"), ("saudi", "SA"), ("scottish", "GB"),
    ("serbian", "RS"), ("slovak", "SK"), ("slovenian", "SI"), ("somali", "SO"), ("spanish", "ES"),
    ("sudanese", "SD"), ("swedish", "SE"), ("swiss", "CH"), ("syrian", "SY"), ("syrians", "SY"),
    ("taiwanese", "TW"), ("turkish", "TR"), ("ukrainian", "UA"), ("ukrainians", "UA"), ("venezuelan", "VE"),
    ("vietnamese", "VN"), ("welsh", "GB"), ("yemeni", "YE"), ("european", ""), ("europeans", ""),
    ("african", ""), ("africans", ""), ("asian", ""), ("arab", ""), ("arabs", ""), ("soviet", ""),
    ("crimean", "UA"), ("sri lankan", "LK"), ("sinhalese", "LK"), ("south korean", "KR"),
    ("north korean", "KP"), ("south african", "ZA"), ("new zealander", "NZ"), ("saudi arabian", "SA"),
    ("south ossetian", "GE"), ("north ossetian", "RU"), ("ossetian", "GE"), ("abkhaz", "GE"), ("abkhazian", "GE"),
    ("kosovar", "XK"), ("kosovan", "XK"), ("uzbek", "UZ"), ("tajik", "TJ"), ("kyrgyz", "KG"), ("turkmen", "TM"),
    ("pashtun", "AF"), ("uyghur", "CN"), ("tibetan", "CN"), ("tatar", "RU"), ("dagestani", "RU"), ("ingush", "RU"), ("kurd", "IQ"),
    ("latin american", ""), ("central american", ""), ("north american", ""), ("south american", ""),
    ("middle eastern", ""), ("east european", ""), ("west african", ""), ("east african", ""),
];

/// Peoples of a first-level subdivision, with its GeoNames id: "Chechen fighters" point at
/// Chechnya, not at the whole of Russia.
const SUBDIVISION_DEMONYMS: &[(&str, u32)] = &[
    ("chechen", 569665), ("chechens", 569665), ("dagestani", 567293), ("dagestanis", 567293), ("abkhaz", 6643410),
    ("abkhazian", 6643410), ("abkhazians", 6643410), ("north ossetian", 519969), ("ingush", 556349),
];

static COMMON_WORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/common-words.fst"));
static PERSON_NAMES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/person-names.fst"));
/// Nationality words generated from `countryinfo` by `scripts/build-lexicon.sh`.
static GENERATED_DEMONYMS: &str = include_str!("../data/demonyms.tsv");

/// What a folded word is, as bit flags.
const NOT_PLACE: u16 = 1;
const TITLE: u16 = 2;
const ORGANISATION: u16 = 4;
const LOCATIVE: u16 = 8;
const NEAR: u16 = 16;
const CONNECTOR: u16 = 32;
const AREA_PREFIX: u16 = 64;
const PLACE_AFTER: u16 = 128;
const SPEECH: u16 = 256;
const FIRST_NAME: u16 = 512;
const FEATURE: u16 = 1024;
const ROUTE: u16 = 2048;
const FEATURE_PREFIX: u16 = 4096;
const CALENDAR: u16 = 8192;
const TOWN_CUE: u16 = 16384;

/// The lists a word is on, from [`Lexicon::kinds`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Kinds(u16);

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

    /// A first name from the built-in list (the census lists are in the person-name set).
    pub fn first_name(self) -> bool {
        self.0 & FIRST_NAME != 0
    }
}

/// The lists, folded and ready to query.
pub struct Lexicon {
    common: fst::Set<&'static [u8]>,
    people: fst::Set<&'static [u8]>,
    kinds: HashMap<String, u16>,
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
    /// Folds the built-in lists (a few hundred words); the common-word set is an embedded fst.
    pub fn new() -> Lexicon {
        let mut kinds: HashMap<String, u16> = HashMap::default();
        let lists = [
            (NOT_PLACES, NOT_PLACE),
            (TITLES, TITLE),
            (ORGANISATION_WORDS, ORGANISATION),
            (LOCATIVE_CUES, LOCATIVE),
            (NEAR_CUES, NEAR),
            (NAME_CONNECTORS, CONNECTOR),
            (AREA_PREFIXES, AREA_PREFIX),
            (NOT_PLACE_NAMES, NOT_PLACE),
            (PLACE_AFTER_CUES, PLACE_AFTER),
            (SPEECH_VERBS, SPEECH),
            (FIRST_NAMES, FIRST_NAME),
            (FEATURE_WORDS, FEATURE),
            (ROUTE_WORDS, ROUTE),
            (FEATURE_PREFIXES, FEATURE_PREFIX),
            (CALENDAR_WORDS, CALENDAR),
            (TOWN_CUES, TOWN_CUE),
        ];
        for (list, kind) in lists {
            for w in list {
                *kinds.entry(folded(w)).or_default() |= kind;
            }
        }
        let generated = GENERATED_DEMONYMS.lines().filter_map(|l| l.split_once('\t'));
        let demonyms = generated.chain(DEMONYMS.iter().copied()).map(|(d, cc)| (folded(d), cc)).collect();
        Lexicon {
            common: fst::Set::new(COMMON_WORDS).expect("the build script writes a valid set"),
            people: fst::Set::new(PERSON_NAMES).expect("the build script writes a valid set"),
            kinds,
            demonyms,
        }
    }

    /// What the built-in lists say of a folded word or name: one lookup answers every list.
    pub fn kinds(&self, folded: &str) -> Kinds {
        Kinds(self.kinds.get(folded).copied().unwrap_or(0))
    }

    /// A common English word ("reading", "mobile"), so a capital at a sentence start says nothing.
    pub fn is_common_word(&self, folded: &str) -> bool {
        self.common.contains(folded)
    }

    /// A common first name or surname ("george", "moore", "vladimir").
    pub fn is_person_name(&self, folded: &str) -> bool {
        self.people.contains(folded) || self.kinds(folded).first_name()
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
        assert!(lex.is_common_word("reading"));
        assert!(lex.is_common_word(&folded("Army")), "the word set is folded too");
        assert!(!lex.is_common_word("kupiansk"));
        assert!(lex.kinds(&folded("Saturday")).not_place());
        assert_eq!(lex.demonym(&folded("Ukrainian")), Some("UA"));
        assert!(lex.kinds(&folded("Mayor")).title());
        assert!(lex.is_person_name(&folded("George")) && lex.is_person_name(&folded("Moore")));
        assert_eq!(lex.demonym(&folded("Nigerien")), Some("NE"), "generated list");
        assert_eq!(lex.demonym(&folded("Americans")), Some("US"), "hand list");
        assert_eq!(lex.demonym(&folded("Egyptians")), Some("EG"), "plural");
        assert!(lex.kinds("said").speech_verb() && lex.kinds("residents").place_after_cue());
    }
}
