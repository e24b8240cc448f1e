//! The theatre gazetteer and prior: villages, qualified names, the theatre and its escape,
//! ambiguity. Sentences written for these tests.

use sitrep_gazetteer::{Feature, Gazetteer};
use sitrep_geoparse::{Geoparser, Parse, Precision, Theatre, Toponym};

fn gaz() -> &'static Gazetteer {
    static GAZ: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
    GAZ.get_or_init(|| Gazetteer::open_default().expect("the built-in gazetteer opens"))
}

fn parse(text: &str, theatre: Option<&str>) -> Parse<'static> {
    let parser = Geoparser::new(gaz());
    let parser = match theatre {
        Some(code) => parser.with_theatre(Theatre::country(gaz(), code).expect("a country code")),
        None => parser,
    };
    parser.parse(text)
}

fn toponym<'a>(parse: &'a Parse<'static>, name: &str) -> &'a Toponym<'static> {
    parse
        .toponyms
        .iter()
        .find(|t| t.text == name)
        .unwrap_or_else(|| panic!("{name} not found in {:?}", parse.toponyms.iter().map(|t| &t.text).collect::<Vec<_>>()))
}

fn id(parse: &Parse<'static>, name: &str) -> Option<u32> {
    toponym(parse, name).place.and_then(|p| p.geonameid())
}

#[test]
fn a_village_missing_from_cities500_is_found_in_text() {
    // Pisky by Avdiivka has no population figure in GeoNames; cities500 lacks it.
    let p = parse("Assaults continued at Pisky, west of Avdiivka, through the night.", Some("UA"));
    assert_eq!(id(&p, "Pisky"), Some(9_113_066));
}

#[test]
fn the_theatre_prefers_its_own_homonym() {
    // Without a theatre a bare name goes to the largest place of the name.
    let text = "Shelling hit Volchansk overnight.";
    assert_eq!(id(&parse(text, Some("UA")), "Volchansk"), Some(689_304), "Vovchansk, Kharkiv oblast");
    assert_eq!(id(&parse("Drones struck Zelenodolsk.", Some("UA")), "Zelenodolsk"), Some(687_392));
    // Former names that are also Russian towns' names: in the theatre they are the renamed towns.
    assert_eq!(id(&parse("Artillery fire was heard in Dzerzhinsk.", Some("UA")), "Dzerzhinsk"), Some(709_354), "Toretsk");
    assert_eq!(id(&parse("Troops regrouped near Krasnoarmeysk.", Some("UA")), "Krasnoarmeysk"), Some(704_422), "Pokrovsk");
}

#[test]
fn a_named_foreign_region_or_country_escapes_the_theatre() {
    let p = parse("Volchansk in Sverdlovsk oblast held a festival.", Some("UA"));
    assert_eq!(id(&p, "Volchansk"), Some(1_486_984), "the Urals town");
    let p = parse("Pisky, Romania, hosted a fair.", Some("UA"));
    let pisky = toponym(&p, "Pisky").place.expect("resolved");
    assert_ne!(pisky.country_code(), "UA", "{}", pisky.display_name());
}

#[test]
fn qualified_names_pick_the_village_in_the_unit_or_the_unit_itself() {
    // One of many Andriivkas, chosen by its oblast.
    let p = parse("Andriivka, Sumy oblast, was shelled on Monday.", Some("UA"));
    let place = toponym(&p, "Andriivka").place.expect("resolved");
    assert_eq!(place.admin1().map(|a| a.code()), Some("UA.21"), "{}", place.display_name());
    assert!(toponym(&p, "Andriivka").ambiguous.is_none(), "the oblast settled it");
    // A village the gazetteer does not know: the oblast as an area, never its capital city.
    let p = parse("Shelling damaged houses in Zzyzvarivka, Sumy, on Monday.", Some("UA"));
    let sumy = toponym(&p, "Sumy");
    assert_eq!(sumy.place.map(|s| s.feature()), Some(Feature::Admin1));
    assert_eq!(sumy.precision, Precision::Admin1);
}

#[test]
fn a_name_many_villages_share_is_marked_ambiguous() {
    let p = parse("Shelling was reported in Andriivka.", Some("UA"));
    let t = toponym(&p, "Andriivka");
    let a = t.ambiguous.expect("ambiguous");
    assert!(a.candidates >= 50, "{a:?}");
    assert!(a.spread_km > 300.0, "{a:?}");
    assert_eq!(t.precision, Precision::Country, "the villages lie in many oblasts");
    assert!(t.confidence < 0.1);
    // A town of note beside villages of its name is what the bare name means.
    let p = parse("Shelling was reported in Kramatorsk.", Some("UA"));
    assert!(toponym(&p, "Kramatorsk").ambiguous.is_none());
    assert_eq!(toponym(&p, "Kramatorsk").precision, Precision::Exact);
}

#[test]
fn a_batch_gives_its_theatre() {
    let parser = Geoparser::new(gaz());
    let parses: Vec<_> =
        ["Fighting near Kupiansk and Izium.", "Strikes on Kharkiv.", "Shelling of Lyman in Donetsk oblast."].iter().map(|t| parser.parse(t)).collect();
    let theatre = Theatre::of_parses(&parses);
    let kharkiv = parses[1].toponyms[0].place.expect("resolved");
    assert!(theatre.weight(&kharkiv) > 0.9, "every place lies in Ukraine");
    let volchansk = parse("Shelling hit Volchansk overnight.", None);
    let russian = volchansk.toponyms[0].place.expect("resolved");
    if russian.country_code() != "UA" {
        assert_eq!(theatre.weight(&russian), 0.0);
    }
    assert_eq!(id(&Geoparser::new(gaz()).with_theatre(theatre).parse("Shelling hit Volchansk overnight."), "Volchansk"), Some(689_304));
}

#[test]
fn a_town_of_the_theatre_named_like_a_person_is_the_town_there() {
    let text = "Shelling of Lyman continued through the night.";
    assert!(parse(text, None).toponyms.is_empty(), "without a theatre a lone first name is not read as a place");
    assert_eq!(id(&parse(text, Some("UA")), "Lyman"), Some(704_204));
    // A first name before a surname is still a person's.
    assert!(parse("Lyman Abbott wrote a letter.", Some("UA")).toponyms.is_empty());
}
