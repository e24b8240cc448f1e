//! A long report is read as its parts are: resolution keeps per-name tables, whose size
//! follows the distinct names, so repeating a text changes neither what its names resolve to
//! nor (much) what each mention costs. Sentences written for these tests.

use sitrep_gazetteer::Gazetteer;
use sitrep_geoparse::Geoparser;

fn gaz() -> &'static Gazetteer {
    static GAZ: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
    GAZ.get_or_init(|| Gazetteer::open_default().expect("the built-in gazetteer opens"))
}

/// Each place name's text and the gazetteer id it resolved to, in text order.
fn resolved(parser: &Geoparser<'_>, text: &str) -> Vec<(String, Option<u32>)> {
    parser.parse(text).toponyms.iter().map(|t| (t.text.clone(), t.place.and_then(|p| p.geonameid()))).collect()
}

#[test]
fn a_text_repeated_many_times_resolves_as_it_does_once() {
    let parser = Geoparser::new(gaz());
    let once = "Shells landed on Kupiansk and Izium overnight, and the regional office in Kharkiv \
                said crews would reach Balakliia by Monday. A convoy later left Athens for \
                Gainesville, in Georgia, where the county offices stayed shut.";
    let single = resolved(&parser, once);
    assert!(single.len() >= 6, "{single:?}");
    assert!(single.iter().all(|(_, id)| id.is_some()), "{single:?}");
    let copies = 300;
    let long = vec![once; copies].join("\n\n");
    let many = resolved(&parser, &long);
    assert_eq!(many.len(), single.len() * copies);
    for (k, chunk) in many.chunks(single.len()).enumerate() {
        assert_eq!(chunk, single.as_slice(), "copy {k}");
    }
}
