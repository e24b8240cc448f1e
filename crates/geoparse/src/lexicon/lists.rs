//! The built-in word lists, as spelt. Compiled into the library (`lexicon.rs`) and into the
//! build script, which folds them, with the common-word and person-name files in `data/`, into
//! one table from folded word to the lists it is on ([`bit`]s).

/// Bits of the word table: which lists a folded word is on.
pub mod bit {
    /// [`super::NOT_PLACES`], [`super::NOT_PLACE_NAMES`].
    pub const NOT_PLACE: u32 = 1;
    /// [`super::TITLES`].
    pub const TITLE: u32 = 1 << 1;
    /// [`super::ORGANISATION_WORDS`].
    pub const ORGANISATION: u32 = 1 << 2;
    /// [`super::LOCATIVE_CUES`].
    pub const LOCATIVE: u32 = 1 << 3;
    /// [`super::NEAR_CUES`].
    pub const NEAR: u32 = 1 << 4;
    /// [`super::NAME_CONNECTORS`].
    pub const CONNECTOR: u32 = 1 << 5;
    /// [`super::AREA_PREFIXES`].
    pub const AREA_PREFIX: u32 = 1 << 6;
    /// [`super::PLACE_AFTER_CUES`].
    pub const PLACE_AFTER: u32 = 1 << 7;
    /// [`super::SPEECH_VERBS`].
    pub const SPEECH: u32 = 1 << 8;
    /// [`super::FIRST_NAMES`].
    pub const FIRST_NAME: u32 = 1 << 9;
    /// [`super::FEATURE_WORDS`].
    pub const FEATURE: u32 = 1 << 10;
    /// [`super::ROUTE_WORDS`].
    pub const ROUTE: u32 = 1 << 11;
    /// [`super::FEATURE_PREFIXES`].
    pub const FEATURE_PREFIX: u32 = 1 << 12;
    /// [`super::CALENDAR_WORDS`].
    pub const CALENDAR: u32 = 1 << 13;
    /// [`super::TOWN_CUES`].
    pub const TOWN_CUE: u32 = 1 << 14;
    /// `data/common-words.txt`: common English words.
    pub const COMMON: u32 = 1 << 15;
    /// `data/person-names.txt`: common first names and surnames.
    pub const PERSON: u32 = 1 << 16;
    /// A nationality word of [`super::DEMONYMS`] or `data/demonyms.tsv`, or its plural.
    pub const DEMONYM: u32 = 1 << 17;
    /// The first word of a nationality of two words or more ("sri" of "Sri Lankan").
    pub const DEMONYM_START: u32 = 1 << 18;
}

/// The hand lists and the bit each sets.
pub const KIND_LISTS: &[(&[&str], u32)] = &[
    (NOT_PLACES, bit::NOT_PLACE),
    (NOT_PLACE_NAMES, bit::NOT_PLACE),
    (TITLES, bit::TITLE),
    (ORGANISATION_WORDS, bit::ORGANISATION),
    (LOCATIVE_CUES, bit::LOCATIVE),
    (NEAR_CUES, bit::NEAR),
    (NAME_CONNECTORS, bit::CONNECTOR),
    (AREA_PREFIXES, bit::AREA_PREFIX),
    (PLACE_AFTER_CUES, bit::PLACE_AFTER),
    (SPEECH_VERBS, bit::SPEECH),
    (FIRST_NAMES, bit::FIRST_NAME),
    (FEATURE_WORDS, bit::FEATURE),
    (ROUTE_WORDS, bit::ROUTE),
    (FEATURE_PREFIXES, bit::FEATURE_PREFIX),
    (CALENDAR_WORDS, bit::CALENDAR),
    (TOWN_CUES, bit::TOWN_CUE),
];

/// Capitalised words that name no place in news text although a gazetteer entry has the name:
/// days, months, holidays, directions used as adjectives, institutions, honorifics.
pub const NOT_PLACES: &[&str] = &[
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
pub const FIRST_NAMES: &[&str] = &[
    "vladimir", "volodymyr", "dmitry", "dmitri", "dmytro", "sergei", "sergey", "serhiy", "oleksandr", "oleksiy",
    "alexei", "alexey", "igor", "ihor", "yuri", "yuriy", "yevgeny", "yevgeniy", "valery", "valeriy", "andriy",
    "andrei", "andrey", "mykola", "mykhailo", "mikhail", "viktor", "vitali", "vitaliy", "petro", "pyotr", "ramzan",
    "boris", "olena", "elena", "iryna", "irina", "tetiana", "tatiana", "oksana", "natalia", "yulia", "svetlana",
    "anatoly", "anatolii", "valerii", "kyrylo", "denys", "denis", "maxim", "maksym", "nikolai", "gennady",
    "bashar", "recep", "emmanuel", "olaf", "xi", "mohammed", "muhammad", "ahmed", "ahmad", "hassan", "hussein",
    "omar", "khalid", "abdul", "abdullah", "ali", "mahmoud", "yahya", "ismail", "ibrahim", "salman", "benjamin",
];

/// Words that put a person's name after them.
pub const TITLES: &[&str] = &[
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
pub const ORGANISATION_WORDS: &[&str] = &[
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
pub const LOCATIVE_CUES: &[&str] = &[
    "in", "near", "at", "from", "to", "into", "outside", "across", "around", "toward", "towards", "through",
    "via", "between", "north", "south", "east", "west", "northeast", "northwest", "southeast",
    "southwest", "northern", "southern", "eastern", "western", "central", "entered", "captured", "liberated",
    "retook", "took", "shelled", "struck", "attacked", "visited", "based", "born", "downtown", "suburban", "rural",
];

/// Type words that end the name of a street, road or natural feature ("Darling Avenue",
/// "Neches River"). Such names are recognised even when the gazetteer lacks them.
pub const FEATURE_WORDS: &[&str] = &[
    "street", "st", "avenue", "ave", "road", "rd", "drive", "lane", "ln", "boulevard", "blvd", "parkway", "pkwy",
    "highway", "hwy", "expressway", "freeway", "turnpike", "trail", "square", "plaza", "park", "bridge", "creek",
    "river", "lake", "pond", "mountain", "mountains", "hill", "hills", "valley", "island", "islands", "bay",
    "beach", "canyon", "falls", "forest", "swamp", "peninsula", "gulf", "strait", "harbor", "harbour", "reservoir",
    "dam", "canal", "ridge", "heights", "crossing", "junction",
];

/// Road words that take a number after them ("Route 30", "Highway 101").
pub const ROUTE_WORDS: &[&str] = &["route", "rt", "highway", "hwy", "interstate", "road", "rd", "motorway"];

/// Words that put a natural feature's name after them ("Lake Erie", "Mount Hood").
pub const FEATURE_PREFIXES: &[&str] = &["lake", "mount", "mt"];

/// Days and months: never the first word of a street's name ("Sunday Street" is rare; "On
/// Sunday Street fairs" is not).
pub const CALENDAR_WORDS: &[&str] = &[
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// Lower-case words after a name that say it is a place ("a Winona man", "Roselle police",
/// "the Nokomis crash").
pub const PLACE_AFTER_CUES: &[&str] = &[
    "man", "men", "woman", "women", "resident", "residents", "native", "natives", "police", "area", "county",
    "city", "town", "township", "village", "officials", "official", "couple", "teen", "teenager", "boy", "girl",
    "family", "families", "home", "homes", "neighborhood", "neighborhoods", "neighbourhood", "school", "schools",
    "crash", "fire", "council", "mayor", "voters", "businesses", "streets", "downtown", "area's", "campus",
];

/// Words after a name that only a town takes: its people, its council, its schools ("a
/// Palestine man", "the Lebanon school board"). A country's people go by its demonym.
pub const TOWN_CUES: &[&str] = &[
    "man", "men", "woman", "women", "resident", "residents", "native", "natives", "couple", "teen", "teenager",
    "boy", "girl", "family", "families", "township", "village", "town", "mayor", "council", "neighborhood",
    "neighborhoods", "neighbourhood", "downtown", "school", "schools", "isd",
];

/// Verbs after a bare name that make it the person who speaks or acts ("Nelson said").
pub const SPEECH_VERBS: &[&str] = &[
    "said", "says", "told", "added", "explained", "stated", "testified", "wrote", "asked", "noted", "replied",
    "recalled", "admitted", "argued", "insisted", "acknowledged", "declined", "denied", "pleaded", "smiled",
    "laughed", "joked", "thinks", "thought", "believes", "believed", "knew", "knows", "wants", "wanted",
];

/// Words before a place that put an event beside it rather than in it ("near Izyum").
pub const NEAR_CUES: &[&str] = &[
    "near", "outside", "around", "close", "nearby", "outskirts", "north", "south", "east", "west", "northeast",
    "northwest", "southeast", "southwest", "km", "kilometres", "kilometers", "miles", "mile",
];

/// Words that may stand before a place name without making it part of a person's or an
/// organisation's name ("North Texas", "Greater London").
pub const AREA_PREFIXES: &[&str] = &[
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "northeast",
    "northwest", "southeast", "southwest", "northeastern", "northwestern", "southeastern", "southwestern",
    "upper", "lower", "greater", "downtown", "metro", "inner", "outer", "rural", "coastal", "occupied", "new",
];

/// Multi-word names that are not places in news text although the gazetteer knows them.
pub const NOT_PLACE_NAMES: &[&str] = &["White House", "Notre Dame", "El Nino", "La Nina", "Wall Street", "Downing Street"];

/// Short words that may sit inside a multi-word place name ("Sea of Azov", "Rostov-on-Don").
pub const NAME_CONNECTORS: &[&str] = &[
    "of", "the", "de", "la", "le", "les", "los", "las", "el", "al", "on", "upon", "and", "del", "della", "di", "du",
    "da", "dos", "das", "am", "an", "im", "sur", "en", "y", "i", "na", "nad", "pod", "s",
];

/// Nationality and people words, each with the ISO code of its country, for forms the
/// generated list (`data/demonyms.tsv`) lacks or gets ambiguous (plurals, "American",
/// regional peoples); this list wins. They are reported as demonyms, never as toponyms.
pub const DEMONYMS: &[(&str, &str)] = &[
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
pub const SUBDIVISION_DEMONYMS: &[(&str, u32)] = &[
    ("chechen", 569665), ("chechens", 569665), ("dagestani", 567293), ("dagestanis", 567293), ("abkhaz", 6643410),
    ("abkhazian", 6643410), ("abkhazians", 6643410), ("north ossetian", 519969), ("ingush", 556349),
];

