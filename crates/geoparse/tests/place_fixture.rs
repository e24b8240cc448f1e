//! Place finding on a report written for these tests (`fixtures/frontline-digest.txt`: invented
//! sources and quotes, real places of the Kharkiv front): every place an analyst would read out
//! of it is found and resolved to the right gazetteer entry, and no name of a person,
//! organisation, outlet, weapon or day is reported as a place. The same checks on the real
//! reference report are an evaluation step of CI (`sitrep eval read --strict`).

use sitrep_gazetteer::{Feature, Gazetteer};
use sitrep_geoparse::{Geoparser, Toponym};

const TEXT: &str = include_str!("fixtures/frontline-digest.txt");

/// What a mention must resolve to.
enum Expect {
    /// A GeoNames id.
    GeoNames(u32),
    /// A feature class and, for subdivisions, the name it must contain.
    Feature(Feature, &'static str),
}

/// Every mention of `name` (matched on its text, or on the text plus the words after it).
fn mentions<'a, 'g>(toponyms: &'a [Toponym<'g>], text: &str, name: &str) -> Vec<&'a Toponym<'g>> {
    let chars: Vec<char> = text.chars().collect();
    toponyms
        .iter()
        .filter(|t| {
            let after: String = chars[t.start..(t.start + name.chars().count()).min(chars.len())].iter().collect();
            t.text == name || after == name
        })
        .collect()
}

#[test]
fn every_place_is_found_and_resolved() {
    let gaz = Gazetteer::open_default().unwrap();
    let parse = Geoparser::new(&gaz).parse(TEXT);
    let expectations: &[(&str, Expect)] = &[
        ("Kupiansk", Expect::GeoNames(703656)),
        ("Izyum", Expect::GeoNames(707292)),
        ("Balakliya", Expect::GeoNames(712926)),
        ("Kherson", Expect::GeoNames(706448)),
        ("Kharkiv region", Expect::Feature(Feature::Admin1, "Kharkiv")),
        ("Donetsk region", Expect::Feature(Feature::Admin1, "Donetsk")),
        ("Kyiv region", Expect::Feature(Feature::Admin1, "Kyiv")),
        ("Donbas", Expect::Feature(Feature::Region, "Donbas")),
        ("Oskil River", Expect::Feature(Feature::River, "Oskil")),
        ("UK", Expect::Feature(Feature::Country, "United Kingdom")),
        ("USA", Expect::Feature(Feature::Country, "United States")),
    ];
    for (name, expect) in expectations {
        let found = mentions(&parse.toponyms, TEXT, name);
        assert!(!found.is_empty(), "{name} was not found");
        for t in found {
            let place = t.place.unwrap_or_else(|| panic!("{name} at {} was not resolved", t.start));
            match expect {
                Expect::GeoNames(id) => assert_eq!(place.geonameid(), Some(*id), "{name} at {} → {}", t.start, place.id()),
                Expect::Feature(feature, label) => {
                    assert_eq!(place.feature(), *feature, "{name} at {} → {}", t.start, place.id());
                    assert!(place.name().contains(label), "{name} at {} → {}", t.start, place.name());
                }
            }
        }
    }
    // "south of Kharkiv" is the city; "Kharkiv region" the oblast.
    let kharkiv: Vec<_> = parse.toponyms.iter().filter(|t| t.text == "Kharkiv").collect();
    assert!(kharkiv.iter().any(|t| t.place.and_then(|p| p.geonameid()) == Some(706483)), "Kharkiv the city");
}

#[test]
fn nothing_else_is_a_place() {
    let gaz = Gazetteer::open_default().unwrap();
    let parse = Geoparser::new(&gaz).parse(TEXT);
    let not_places = ["Saturday", "The Weekly Ledger", "Institute for the Study of War", "Kremlin", "Getty Images", "BM-21 Grad", "Vladimir Putin"];
    let chars: Vec<char> = TEXT.chars().collect();
    for phrase in not_places {
        let n = phrase.chars().count();
        let mut seen = false;
        for start in 0..chars.len().saturating_sub(n) {
            if chars[start..start + n].iter().copied().eq(phrase.chars()) {
                seen = true;
                let hit = parse.toponyms.iter().find(|t| t.start < start + n && start < t.end);
                assert!(hit.is_none(), "{phrase:?} at {start} was reported as the place {:?}", hit.map(|t| &t.text));
            }
        }
        assert!(seen, "{phrase:?} should occur in the fixture");
    }
}

#[test]
fn demonyms_are_kept_apart() {
    let gaz = Gazetteer::open_default().unwrap();
    let parse = Geoparser::new(&gaz).parse(TEXT);
    assert!(parse.toponyms.iter().all(|t| t.text != "Ukrainian" && t.text != "Russian"));
    let ukrainian = parse.demonyms.iter().find(|d| d.text == "Ukrainian").expect("Ukrainian is a demonym");
    assert_eq!(ukrainian.country.map(|c| c.code()), Some("UA"));
}
