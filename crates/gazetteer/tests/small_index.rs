//! The index format on a small hand-made gazetteer: round trip, ranking rules, and damaged
//! input that must be refused or read safely, never panic.

use fst::Streamer;
use proptest::prelude::*;
use sitrep_gazetteer::{Feature, Gazetteer, IndexWriter, MatchKind, PlaceSpec, Query};

/// A tiny world: a country, an oblast, a city named like the oblast, two towns that share a
/// name far apart, and a river.
fn tiny() -> Vec<u8> {
    let mut w = IndexWriter::new();
    let mut country = PlaceSpec::new("Testland", Feature::Country, 49.0, 32.0);
    country.code = "TL".into();
    country.population = 40_000_000;
    let country = w.add(country);
    let mut oblast = PlaceSpec::new("Northska oblast", Feature::Admin1, 50.0, 36.0);
    oblast.alternates = vec!["North".into(), "North Oblast".into()];
    oblast.country = Some(country);
    oblast.population = 2_500_000;
    oblast.code = "TL.01".into();
    let oblast = w.add(oblast);
    let mut city = PlaceSpec::new("North", Feature::City, 50.1, 36.2);
    (city.geonameid, city.population, city.country, city.admin1) = (11, 1_400_000, Some(country), Some(oblast));
    w.add(city);
    let mut big = PlaceSpec::new("Balakliya", Feature::City, 49.46, 36.84);
    (big.geonameid, big.population, big.alternates) = (12, 26_000, vec!["Balakliia".into()]);
    w.add(big);
    let mut small = PlaceSpec::new("Balakliia", Feature::City, 49.61, 33.75);
    (small.geonameid, small.population) = (13, 500);
    w.add(small);
    let mut anchor = PlaceSpec::new("Anchorville", Feature::City, 49.62, 33.80);
    anchor.geonameid = 14;
    w.add(anchor);
    let mut river = PlaceSpec::new("Oskil River", Feature::River, 49.7, 37.6);
    river.code = "river-oskil".into();
    river.line = vec![(51.3, 37.8), (49.7, 37.6)];
    w.add(river);
    w.finish()
}

fn top<'g>(gaz: &'g Gazetteer, q: Query<'_>) -> sitrep_gazetteer::Place<'g> {
    gaz.search(&q).unwrap().hits[0].place
}

#[test]
fn round_trip_keeps_every_field() {
    let gaz = Gazetteer::from_bytes(&tiny()).unwrap();
    assert_eq!(gaz.len(), 7);
    let north = gaz.place(2);
    assert_eq!(north.name(), "North");
    assert_eq!(north.geonameid(), Some(11));
    assert_eq!(north.population(), 1_400_000);
    assert_eq!(north.admin1().unwrap().display_name(), "North Oblast");
    assert_eq!(north.country_code(), "TL");
    let river = gaz.place(6);
    assert_eq!(river.id(), "sitrep:river-oskil");
    assert_eq!(river.line().count(), 2);
    assert!(river.country().is_none());
}

#[test]
fn bare_name_prefers_the_city_and_a_type_word_the_oblast() {
    let gaz = Gazetteer::from_bytes(&tiny()).unwrap();
    let q = |name| Query { name, limit: 5, ..Query::default() };
    assert_eq!(top(&gaz, q("North")).feature(), Feature::City);
    assert_eq!(top(&gaz, q("North Oblast")).feature(), Feature::Admin1);
    assert_eq!(top(&gaz, q("the North region")).feature(), Feature::Admin1);
    assert_eq!(top(&gaz, q("Oskil river")).feature(), Feature::River);
}

#[test]
fn population_breaks_ties_and_context_overrides_it() {
    let gaz = Gazetteer::from_bytes(&tiny()).unwrap();
    let q = Query { name: "Balakliya", limit: 5, ..Query::default() };
    let outcome = gaz.search(&q).unwrap();
    assert_eq!(outcome.hits.len(), 2, "both spellings fold to one key");
    assert_eq!(outcome.hits[0].place.geonameid(), Some(12));
    let anchor = gaz.place(5).point();
    let near = Query { near: Some(anchor), ..q };
    assert_eq!(top(&gaz, near).geonameid(), Some(13));
}

#[test]
fn fuzzy_fallback_says_so() {
    let gaz = Gazetteer::from_bytes(&tiny()).unwrap();
    let outcome = gaz.search(&Query { name: "Balakliyx", limit: 3, ..Query::default() }).unwrap();
    assert!(outcome.fuzzy);
    assert!(matches!(outcome.hits[0].matched, MatchKind::Fuzzy { edits: 1 }));
    let outcome = gaz.search(&Query { name: "Zzzzzzzz", limit: 3, ..Query::default() }).unwrap();
    assert!(outcome.hits.is_empty());
}

#[test]
fn exact_only_never_falls_back_and_long_names_get_no_fuzzy_search() {
    let gaz = Gazetteer::from_bytes(&tiny()).unwrap();
    let slip = Query { name: "Balakliyx", limit: 3, exact_only: true, ..Query::default() };
    let outcome = gaz.search(&slip).unwrap();
    assert!(outcome.hits.is_empty() && !outcome.fuzzy, "a slip is no exact match");
    let exact = gaz.search(&Query { name: "Balakliya", limit: 3, exact_only: true, ..Query::default() }).unwrap();
    assert!(!exact.hits.is_empty() && !exact.fuzzy, "an exact name is found as before");
    // One slip in a name longer than the fuzzy search takes finds nothing, though the same
    // slip in a short name does; the suggestions still offer the name.
    let long_name = format!("Balakliya {}", "x".repeat(sitrep_gazetteer::MAX_FUZZY_CHARS));
    let mut w = IndexWriter::new();
    w.add(PlaceSpec::new(&long_name, Feature::City, 49.0, 36.0));
    let long = Gazetteer::from_bytes(&w.finish()).unwrap();
    let slipped = format!("{}y", &long_name[..long_name.len() - 1]);
    assert!(long.search(&Query { name: &slipped, limit: 3, ..Query::default() }).unwrap().hits.is_empty());
    assert_eq!(long.suggestions(&slipped, 3).len(), 1);
}

#[test]
fn country_filter_is_strict() {
    let gaz = Gazetteer::from_bytes(&tiny()).unwrap();
    let q = Query { name: "North", country: Some("XX"), limit: 3, ..Query::default() };
    assert!(gaz.search(&q).unwrap().hits.is_empty());
}

#[test]
fn bad_queries_are_errors_not_panics() {
    let gaz = Gazetteer::from_bytes(&tiny()).unwrap();
    let q = |name| gaz.search(&Query { name, limit: 3, ..Query::default() });
    assert!(q("").is_err());
    assert!(q(" \u{0}\u{1b}--").is_err());
    assert!(q(&"x".repeat(10_000)).is_err());
}

#[test]
fn damaged_headers_are_refused() {
    let good = tiny();
    assert!(Gazetteer::from_bytes(&[]).is_err());
    assert!(Gazetteer::from_bytes(&good[..good.len() / 2]).is_err());
    let mut bad_magic = good.clone();
    bad_magic[0] ^= 0xff;
    assert!(Gazetteer::from_bytes(&bad_magic).is_err());
    let mut bad_version = good.clone();
    bad_version[8] = 99;
    assert!(Gazetteer::from_bytes(&bad_version).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Flipping any byte either gets the index refused or leaves it readable without panics.
    #[test]
    fn flipped_bytes_never_panic(pos in 0usize..4096, bit in 0u8..8, names in proptest::collection::vec("\\PC{0,12}", 1..4)) {
        let mut bytes = tiny();
        let pos = pos % bytes.len();
        bytes[pos] ^= 1 << bit;
        if let Ok(gaz) = Gazetteer::from_bytes(&bytes) {
            for p in gaz.places() {
                let _ = (p.name(), p.alternates().count(), p.line().count(), p.country(), p.admin1(), p.admin2());
            }
            for name in &names {
                let _ = gaz.search(&Query { name, limit: 3, ..Query::default() });
                let _ = gaz.suggestions(name, 3);
            }
        }
    }

    /// Arbitrary bytes are refused or read safely.
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Gazetteer::from_bytes(&bytes);
    }
}

#[test]
fn the_exact_table_can_be_stripped_and_rebuilt() {
    let full = tiny();
    let stripped = sitrep_gazetteer::strip_table(&full);
    assert!(stripped.len() < full.len());
    let rebuilt = sitrep_gazetteer::with_table(stripped.clone());
    assert_eq!(rebuilt, full, "rebuilding the table restores the image byte for byte");
    // Without the table, lookups fall back to the key map and agree with it.
    let (a, b) = (Gazetteer::from_bytes(&stripped).unwrap(), Gazetteer::from_bytes(&full).unwrap());
    for name in ["north", "balaklia", "oskil", "testland", "absent", ""] {
        let (x, y): (Vec<_>, Vec<_>) = (a.lookup_key(name).collect(), b.lookup_key(name).collect());
        assert_eq!(x, y, "{name}");
    }
}

#[test]
fn a_probe_says_whether_a_name_goes_on_into_the_next_word() {
    let mut w = IndexWriter::new();
    w.add(PlaceSpec::new("New Testford", Feature::City, 40.0, -70.0));
    w.add(PlaceSpec::new("Testford", Feature::City, 41.0, -71.0));
    let image = w.finish();
    let gaz = Gazetteer::from_bytes(&image).unwrap();
    let probe = |k: &str| gaz.key_probe(k);
    // "new" names no place but begins one.
    assert_eq!((probe("new").value, probe("new").continued), (None, true));
    assert_eq!(gaz.key_value("new"), None);
    assert!(gaz.lookup_key("new").next().is_none());
    assert!(probe("testford").value.is_some() && !probe("testford").continued);
    let whole = probe("new testford");
    assert_eq!(whole.value, gaz.keys().get("new testford"));
    assert!(whole.value.is_some() && !whole.continued);
    assert_eq!((probe("nowhere").value, probe("nowhere").continued), (None, false));
    // Without the derived table the key map answers, and any name may go on.
    let bare = Gazetteer::from_bytes(&sitrep_gazetteer::strip_table(&image)).unwrap();
    assert_eq!(bare.key_probe("testford").value, probe("testford").value);
    assert!(bare.key_probe("testford").continued);
}

#[test]
fn a_probe_summarises_the_places_of_a_name() {
    let gaz = Gazetteer::from_bytes(&tiny()).unwrap();
    let summary = |k: &str| gaz.key_probe(k).summary;
    // "north": the oblast (by an alternate spelling) and a city of 1.4 million.
    let north = summary("north");
    assert!(north.has(Feature::Admin1) && north.has(Feature::City) && !north.has(Feature::Country));
    assert!(north.names_area() && north.has_large_city() && !north.alternate_only());
    // "balaklia": a town of 26,000 by an alternate spelling, a village of 500 by its own name.
    let balaklia = summary("balaklia");
    assert!(balaklia.has(Feature::City) && !balaklia.names_area() && !balaklia.has_large_city());
    assert!(!balaklia.alternate_only());
    assert!(summary("testland").has(Feature::Country) && summary("testland").names_area());
    assert!(summary("oskil").has(Feature::River) && !summary("oskil").names_area());
    assert_eq!(summary("absent"), Default::default());
    // What the table stores agrees with the places, for every name, and without the table the
    // same summaries are read from the places.
    let bare = Gazetteer::from_bytes(&sitrep_gazetteer::strip_table(&tiny())).unwrap();
    let mut keys = gaz.keys().stream();
    while let Some((key, value)) = keys.next() {
        let key = std::str::from_utf8(key).unwrap();
        assert_eq!(summary(key), gaz.summary_for_value(value), "{key}");
        assert_eq!(bare.key_probe(key).summary, summary(key), "{key}");
    }
}

#[test]
fn a_name_known_only_by_alternate_spellings_says_so() {
    let mut w = IndexWriter::new();
    let mut town = PlaceSpec::new("Kupiansk", Feature::City, 49.7, 37.6);
    town.alternates = vec!["Kupjansk".into()];
    w.add(town);
    w.add(PlaceSpec::new("Kupjansk", Feature::City, 10.0, 10.0));
    let gaz = Gazetteer::from_bytes(&w.finish()).unwrap();
    let mut w = IndexWriter::new();
    let mut town = PlaceSpec::new("Kupiansk", Feature::City, 49.7, 37.6);
    town.alternates = vec!["Kupjansk".into()];
    w.add(town);
    let alone = Gazetteer::from_bytes(&w.finish()).unwrap();
    assert!(!gaz.key_probe("kupiansk").summary.alternate_only());
    assert!(alone.key_probe("kupjansk").summary.alternate_only(), "only an alternate spelling");
    assert!(!gaz.key_probe("kupjansk").summary.alternate_only(), "another place's own name");
}

#[test]
fn a_table_of_another_layout_is_ignored_not_misread() {
    // Overwrite the version the table stores under the empty key, as an older build's table
    // would read.
    let mut image = tiny();
    let size = std::mem::size_of::<sitrep_gazetteer::format::Header>();
    let header: sitrep_gazetteer::format::Header = bytemuck::pod_read_unaligned(&image[..size]);
    let table = header.exact.offset as usize..(header.exact.offset + header.exact.len) as usize;
    let hash = sitrep_text::table::key_hash(b"");
    let slot = image[table.clone()].chunks(16).position(|s| u64::from_le_bytes(s[..8].try_into().unwrap()) == hash).expect("the table stores its version");
    let at = table.start + slot * 16 + 8;
    image[at..at + 8].copy_from_slice(&1u64.to_le_bytes());
    // And a section without the filter's header, as an older build laid it out.
    let mut headless = tiny();
    headless[header.exact.offset as usize..header.exact.offset as usize + 8].fill(0);
    let new = Gazetteer::from_bytes(&tiny()).unwrap();
    for old in [Gazetteer::from_bytes(&image).unwrap(), Gazetteer::from_bytes(&headless).unwrap()] {
        for name in ["north", "balaklia", "oskil", "testland", "absent", ""] {
            let (a, b) = (old.key_probe(name), new.key_probe(name));
            assert_eq!((a.value, a.summary), (b.value, b.summary), "{name}");
            assert!(a.continued, "without a usable table any name may go on");
        }
    }
}

/// The values of the names one edit away from `key`, sorted, each once.
fn one_edit_values(gaz: &Gazetteer, key: &str) -> Vec<u64> {
    let mut values = Vec::new();
    gaz.for_each_one_edit_away(key, |v| values.push(v));
    values.sort_unstable();
    values.dedup();
    values
}

#[test]
fn names_one_edit_away_are_found_by_deletion_insertion_substitution_and_swap() {
    let gaz = Gazetteer::from_bytes(&tiny()).unwrap();
    let anchorville = gaz.key_value("anchorville").unwrap();
    // A letter too many, a letter missing, a wrong letter.
    assert_eq!(one_edit_values(&gaz, "anchorvillle"), vec![anchorville]);
    assert_eq!(one_edit_values(&gaz, "anchrville"), vec![anchorville]);
    assert_eq!(one_edit_values(&gaz, "anchorvilla"), vec![anchorville]);
    // Two neighbouring letters swapped, also at either end; two swaps are two edits.
    assert_eq!(one_edit_values(&gaz, "anchroville"), vec![anchorville]);
    assert_eq!(one_edit_values(&gaz, "nachorville"), vec![anchorville]);
    assert_eq!(one_edit_values(&gaz, "anchorvilel"), vec![anchorville]);
    assert!(one_edit_values(&gaz, "nachorvilel").is_empty());
    // Edits at either end, and a non-ASCII character taken out.
    assert_eq!(one_edit_values(&gaz, "nchorville"), vec![anchorville]);
    assert_eq!(one_edit_values(&gaz, "anchorvillex"), vec![anchorville]);
    assert_eq!(one_edit_values(&gaz, "anchorvillé"), vec![anchorville]);
    // The name itself is no edit of itself, two edits are too many, and taking out a
    // one-letter key's letter names nothing.
    assert!(!one_edit_values(&gaz, "anchorville").contains(&anchorville));
    assert!(one_edit_values(&gaz, "anchrvila").is_empty());
    assert!(one_edit_values(&gaz, "é").is_empty());
}

proptest! {
    /// Hashing the edits on from the key's prefix finds what writing each edit out and looking
    /// it up in the key map finds (the index without its exact-name table does the latter).
    #[test]
    fn hashed_edits_agree_with_written_edits(key in "[a-zé ]{0,12}", name in prop::sample::select(vec!["north", "anchorville", "testland", "oskil river"])) {
        let full = tiny();
        let stripped = sitrep_gazetteer::strip_table(&full);
        let (hashed, written) = (Gazetteer::from_bytes(&full).unwrap(), Gazetteer::from_bytes(&stripped).unwrap());
        // A key one edit from a known name, and an arbitrary one.
        let near = format!("{}{}", &name[..name.len() - 1], key.chars().next().unwrap_or('q'));
        for k in [key.as_str(), near.as_str()] {
            prop_assert_eq!(one_edit_values(&hashed, k), one_edit_values(&written, k), "{}", k);
        }
    }
}
