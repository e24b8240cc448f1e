//! `sitrep eval events-gold` end to end on an invented two-sentence report: the reader's events
//! are matched against the fixture's gold.

use std::path::Path;

use sitrep_gazetteer::Gazetteer;

#[test]
fn the_reader_is_scored_on_the_invented_report() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/events-gold");
    let gaz = Gazetteer::open_default().unwrap();
    let outcome = sitrep_eval::events_gold::evaluate_files(&gaz, &fixtures.join("gold.jsonl"), &fixtures.join("reports.jsonl"), &Default::default()).unwrap();
    assert_eq!(outcome.reports, 1);
    assert_eq!(outcome.prf.tp + outcome.prf.fn_, 2, "every gold mention is a hit or a miss");
    // The shelling of the first sentence is read at one of its two towns, as a shelling.
    assert!(outcome.prf.tp >= 1, "{}", outcome.error_report());
    assert_eq!(outcome.fields.event_type.total, outcome.prf.tp);
    assert!(outcome.fields.event_type.agree >= 1, "{}", outcome.error_report());
    let summary = outcome.summary();
    assert!(summary.contains("precision") && summary.contains("certainty"), "{summary}");
}

#[test]
fn a_reports_file_without_the_gold_report_is_an_error() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/events-gold");
    let gaz = Gazetteer::open_default().unwrap();
    let gold = sitrep_eval::events_gold::Gold::read(std::fs::read(fixtures.join("gold.jsonl")).unwrap().as_slice()).unwrap();
    let other = r#"{"id": "someone-else", "date": "2022-05-04", "text": "Nothing happened."}"#;
    let err = sitrep_eval::events_gold::evaluate(&gaz, &gold, other.as_bytes(), &Default::default()).unwrap_err();
    assert!(err.to_string().contains("not in the reports file"), "{err}");
}
