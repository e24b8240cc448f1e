//! The built-in gazetteer answers the questions analysts ask of it.

use sitrep_gazetteer::{bearing_deg, compass_point, distance_km, Feature, Gazetteer, Place, Query};

fn gaz() -> Gazetteer {
    Gazetteer::embedded().expect("the built-in gazetteer opens")
}

fn best<'g>(gaz: &'g Gazetteer, name: &str) -> Place<'g> {
    let outcome = gaz.search(&Query { name, limit: 5, ..Query::default() }).unwrap();
    assert!(!outcome.fuzzy, "{name} should match exactly");
    outcome.hits.first().unwrap_or_else(|| panic!("{name} not found")).place
}

#[test]
fn reference_report_towns_resolve_to_their_geonames_entries() {
    let gaz = gaz();
    for (name, id) in
        [("Kupiansk", 703656), ("Izyum", 707292), ("Balakliya", 712926), ("Kharkiv", 706483), ("Kherson", 706448), ("Ukraine", 690791), ("Russia", 2017370)]
    {
        assert_eq!(best(&gaz, name).geonameid(), Some(id), "{name}");
    }
}

#[test]
fn transliterations_and_scripts_find_one_town() {
    let gaz = gaz();
    for name in ["Kupiansk", "Kupyansk", "Kup'yans'k", "Kup’yans’k", "Купянськ", "Куп'янськ", "Купянск", "KUPIANSK"] {
        assert_eq!(best(&gaz, name).geonameid(), Some(703656), "{name}");
    }
    for name in ["Izium", "Izyum", "Ізюм"] {
        assert_eq!(best(&gaz, name).geonameid(), Some(707292), "{name}");
    }
    for name in ["Kharkiv", "Kharkov", "Харків"] {
        assert_eq!(best(&gaz, name).geonameid(), Some(706483), "{name}");
    }
}

#[test]
fn kupiansk_is_the_kharkiv_oblast_town() {
    let gaz = gaz();
    let k = best(&gaz, "Kupiansk");
    assert_eq!(k.feature(), Feature::City);
    assert_eq!(k.admin1().unwrap().code(), "UA.07");
    assert_eq!(k.admin1().unwrap().display_name(), "Kharkiv Oblast");
    assert_eq!(k.country().unwrap().name(), "Ukraine");
}

#[test]
fn katottg_gives_settlements_their_hromada_and_official_name() {
    let gaz = gaz();
    let k = best(&gaz, "Kupiansk");
    let hromada = k.admin3().expect("Kupiansk's hromada");
    assert_eq!((hromada.name(), hromada.feature()), ("Kupianska hromada", Feature::Hromada));
    assert_eq!(hromada.admin2_index(), k.admin2_index(), "the hromada lies in the town's raion");
    assert!(hromada.bbox().is_some() && hromada.population() >= k.population());
    // The hromada by its official name and by its town's, with the type word.
    for name in ["Kupianska hromada", "Kupiansk hromada", "Куп’янська громада"] {
        assert_eq!(best(&gaz, name).index(), hromada.index(), "{name}");
    }
    // The official Ukrainian name, and its romanisation, find the town.
    for name in ["Куп’янськ", "Kupiansk"] {
        assert_eq!(best(&gaz, name).index(), k.index(), "{name}");
    }
}

#[test]
fn balakliya_near_izyum_is_the_kharkiv_town_not_the_poltava_village() {
    let gaz = gaz();
    let izyum = best(&gaz, "Izyum").point();
    let q = Query { name: "Balakliya", near: Some(izyum), limit: 5, ..Query::default() };
    let hits = gaz.search(&q).unwrap().hits;
    assert_eq!(hits[0].place.geonameid(), Some(712926));
    assert!(hits.iter().any(|h| h.place.geonameid() == Some(712925)), "the village is still listed");
}

#[test]
fn type_words_pick_the_area() {
    let gaz = gaz();
    let cases =
        [("Kharkiv region", "UA.07"), ("Kharkiv Oblast", "UA.07"), ("the Donetsk region", "UA.05"), ("the Kyiv region", "UA.13"), ("Kyiv Oblast", "UA.13")];
    for (name, code) in cases {
        let p = best(&gaz, name);
        assert_eq!((p.feature(), p.code()), (Feature::Admin1, code), "{name}");
    }
    assert_eq!(best(&gaz, "Donetsk").feature(), Feature::City);
}

#[test]
fn supplement_features_are_found() {
    let gaz = gaz();
    assert_eq!(best(&gaz, "Donbas").feature(), Feature::Region);
    assert_eq!(best(&gaz, "Donbass").code(), "donbas");
    assert_eq!(best(&gaz, "Oskil River").feature(), Feature::River);
    assert_eq!(best(&gaz, "Dnipro river").code(), "river-dnipro");
    assert_eq!(best(&gaz, "Dnipro").feature(), Feature::City, "a bare Dnipro is the city");
    assert_eq!(best(&gaz, "Black Sea").feature(), Feature::Sea);
    assert_eq!(best(&gaz, "Sea of Azov").feature(), Feature::Sea);
    assert_eq!(best(&gaz, "Zaporizhzhia NPP").feature(), Feature::Facility);
    assert_eq!(best(&gaz, "Crimea").code(), "crimea");
    assert_eq!(best(&gaz, "UK").code(), "GB");
    assert_eq!(best(&gaz, "USA").code(), "US");
}

#[test]
fn izyum_to_kupiansk_is_61_km_nne() {
    let gaz = gaz();
    let (a, b) = (best(&gaz, "Izyum").point(), best(&gaz, "Kupiansk").point());
    let d = distance_km(a, b);
    assert!((60.5..61.5).contains(&d), "{d}");
    let bearing = bearing_deg(a, b);
    assert!((23.0..25.5).contains(&bearing), "{bearing}");
    assert_eq!(compass_point(bearing), "NNE");
}

#[test]
fn misspellings_fall_back_to_fuzzy_and_say_so() {
    let gaz = gaz();
    for (name, id) in [("Kupyanskk", 703656), ("Kupiansc", 703656), ("Izyumm", 707292)] {
        let outcome = gaz.search(&Query { name, limit: 3, ..Query::default() }).unwrap();
        assert!(outcome.fuzzy, "{name}");
        assert_eq!(outcome.hits[0].place.geonameid(), Some(id), "{name}");
    }
}

#[test]
fn unknown_names_get_suggestions_not_matches() {
    let gaz = gaz();
    let outcome = gaz.search(&Query { name: "Kuppyanzkoe", limit: 3, ..Query::default() }).unwrap();
    assert!(outcome.hits.is_empty());
    let suggestions = gaz.suggestions("Kuppyanzkoe", 5);
    assert!(suggestions.iter().any(|s| s.starts_with("Kupyansk")), "{suggestions:?}");
}

#[test]
fn every_place_has_a_point_on_the_globe_and_areas_have_boxes() {
    let gaz = gaz();
    let mut areas_without_box = 0;
    for p in gaz.places() {
        let pt = p.point();
        assert!((-90.0..=90.0).contains(&pt.lat) && (-180.0..=180.0).contains(&pt.lon), "{p:?}");
        if matches!(p.feature(), Feature::Admin1 | Feature::Country) && p.bbox().is_none() {
            areas_without_box += 1;
        }
    }
    // A few territories and subdivisions have no town in cities500 to take a box from.
    assert!(areas_without_box < 250, "{areas_without_box} areas without a box");
}

#[test]
fn the_exact_table_summarises_every_name_as_its_places_do() {
    use fst::Streamer;
    let gaz = gaz();
    let mut keys = gaz.keys().stream();
    let mut checked = 0;
    while let Some((key, value)) = keys.next() {
        let probe = gaz.key_probe(std::str::from_utf8(key).unwrap());
        assert_eq!(probe.value, Some(value), "{key:?}");
        assert_eq!(probe.summary, gaz.summary_for_value(value), "{key:?}");
        checked += 1;
    }
    assert!(checked > 500_000, "{checked} names");
    let kharkiv = gaz.key_probe("kharkiv").summary;
    assert!(kharkiv.has(Feature::City) && kharkiv.has_large_city() && kharkiv.names_area());
}

#[test]
fn former_and_russian_names_find_todays_town() {
    let gaz = gaz();
    // Renames since 2016 (the renames table) and Russian-language spellings (romanised from the
    // Russian names GeoNames lists).
    for (name, id) in [
        ("Artemivsk", 713174),
        ("Artemovsk", 713174),
        ("Kirovograd", 705812),
        ("Kirovohrad", 705812),
        ("Dnepropetrovsk", 709930),
        ("Gorlovka", 707753),
        ("Krivoy Rog", 703845),
        ("Zaporozhye", 687700),
        ("Schastia", 694725),
    ] {
        assert_eq!(best(&gaz, name).geonameid(), Some(id), "{name}");
    }
}

#[test]
fn villages_beyond_cities500_are_indexed() {
    let gaz = gaz();
    // GeoNames' Ukraine extract: a village near Avdiivka with no population figure, which
    // cities500 leaves out, in its oblast and raion.
    let outcome = gaz.search(&Query { name: "Pisky", limit: 100, ..Query::default() }).unwrap();
    let pisky = outcome.hits.iter().find(|h| h.place.geonameid() == Some(9_113_066)).expect("the Donetsk oblast village");
    assert_eq!(pisky.place.admin1().map(|a| a.code()), Some("UA.05"));
    assert!(pisky.place.admin2().is_some(), "its raion");
    // Many villages share a name: all of them are there.
    let andriivka = gaz.search(&Query { name: "Andriivka", limit: 200, country: Some("UA"), ..Query::default() }).unwrap();
    assert!(andriivka.hits.len() >= 50, "{}", andriivka.hits.len());
}
