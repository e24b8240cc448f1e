//! `sitrep where` and `sitrep distance` as a user runs them, including bad input.

mod common;

use std::process::Output;

use common::{sitrep, sitrep_stdin, text};

fn assert_no_panic(out: &Output) {
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn kupiansk_comes_first_in_kharkiv_oblast() {
    let out = sitrep(&["where", "Kupiansk"]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    let first = stdout.lines().next().unwrap();
    assert!(first.starts_with(" 1. Kupiansk"), "{first}");
    assert!(first.contains("Kharkiv Oblast, Ukraine"), "{first}");
    assert!(first.contains("geonames:703656"), "{first}");
}

#[test]
fn json_output_ranks_balakliya_near_izyum() {
    let out = sitrep(&["where", "Balakliya", "--near", "Izyum", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &v["candidates"][0];
    assert_eq!(first["geonameid"], 712926);
    assert_eq!(first["admin1"], "Kharkiv Oblast");
    assert_eq!(v["context"]["geonameid"], 707292);
    let d = first["distance_km"].as_f64().unwrap();
    assert!((30.0..50.0).contains(&d), "{d}");
    assert!(v["candidates"].as_array().unwrap().iter().any(|c| c["admin1"] == "Poltava Oblast"));
}

#[test]
fn ambiguous_names_show_distances_from_the_first_candidate() {
    let out = sitrep(&["where", "Balakliya"]);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("of #1 Balakliya"), "{stdout}");
}

#[test]
fn country_filter_accepts_codes_and_names() {
    for country in ["UA", "Ukraine"] {
        let out = sitrep(&["where", "Georgia", "--country", country]);
        // No Georgia in Ukraine: exit 1 and a message, not a wrong answer.
        assert_eq!(out.status.code(), Some(1), "{country}");
    }
    let out = sitrep(&["where", "Kharkiv", "--country", "Ukraine", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["candidates"].as_array().unwrap().iter().all(|c| c["country_code"] == "UA"));
}

#[test]
fn fuzzy_matches_are_labelled() {
    let out = sitrep(&["where", "Kupyanskk"]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    assert!(stdout.contains("fuzzy"), "{stdout}");
    assert!(stdout.contains("geonames:703656"), "{stdout}");
}

#[test]
fn distance_izyum_kupiansk() {
    let out = sitrep(&["distance", "Izyum", "Kupiansk"]);
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    assert!(stdout.contains("61.1 km"), "{stdout}");
    assert!(stdout.contains("(NNE)"), "{stdout}");
    let out = sitrep(&["distance", "Izyum", "Kupiansk", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["compass"], "NNE");
}

#[test]
fn unknown_name_exits_1_with_suggestions() {
    let out = sitrep(&["where", "Kuppyanzkoe"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("no place called"), "{err}");
    assert!(err.contains("did you mean") && err.contains("Kupyansk"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn empty_and_control_character_names_are_clear_errors() {
    for name in ["", "   ", "\u{1}\u{2}\u{1b}[0m", "!!!"] {
        let out = sitrep(&["where", name]);
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(2), "{name:?}");
        assert!(text(&out.stderr).contains("error:"), "{name:?}");
    }
}

#[test]
fn ten_megabytes_of_junk_on_stdin_is_refused() {
    let junk: Vec<u8> = (0..10_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let out = sitrep_stdin(&["where", "-"], &junk);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("longer than"), "{}", text(&out.stderr));
}

#[test]
fn long_and_invalid_utf8_names_are_refused() {
    let out = sitrep_stdin(&["where", "-"], &[0xff, 0xfe, b'K', b'y']);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("UTF-8"));
    let long = "Kupiansk ".repeat(100);
    let out = sitrep(&["where", &long]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("too long"));
}

#[test]
fn a_name_from_stdin_works() {
    let out = sitrep_stdin(&["where", "-"], "Купянськ\n".as_bytes());
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("geonames:703656"));
}

#[test]
fn a_damaged_gazetteer_file_is_a_clear_error() {
    let dir = std::env::temp_dir().join(format!("sitrep-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.idx");
    std::fs::write(&path, b"SITREPGZ but not really an index").unwrap();
    let out = sitrep(&["--gazetteer", path.to_str().unwrap(), "where", "Kupiansk"]);
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not a valid sitrep gazetteer index"), "{}", text(&out.stderr));
    let out = sitrep(&["--gazetteer", dir.join("missing.idx").to_str().unwrap(), "where", "Kupiansk"]);
    assert!(text(&out.stderr).contains("cannot read gazetteer index"));
    std::fs::remove_dir_all(&dir).unwrap();
}
