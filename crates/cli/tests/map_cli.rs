//! `sitrep map`: the situation map as an SVG file, from reports or from a store.

mod common;

use common::{sitrep, text};

#[test]
fn a_map_of_a_report_marks_its_events_and_names_their_places() {
    let dir = std::env::temp_dir().join(format!("sitrep-map-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let svg_path = dir.join("map.svg");
    let out =
        sitrep(&["map", "examples/illustrative-report.txt", "--published", "2023-01-17", "--title", "West of <Kreminna>", "-o", svg_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("class=\"event\""));
    assert!(svg.contains(">Kreminna</text>") && svg.contains(">Svatove</text>"), "places are labelled");
    assert!(svg.contains("<title>Ukraine</title>"), "outlines are drawn");
    assert!(svg.contains("West of &lt;Kreminna&gt;"), "the title is escaped");

    // From a store, with a filter; and a clear error when there is no store.
    let db = dir.join("s.db");
    let out = sitrep(&["ingest", "examples/", "--db", db.to_str().unwrap(), "--published", "2023-01-17"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = sitrep(&["map", "--db", db.to_str().unwrap(), "--type", "shelling", "-o", "-"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let svg = text(&out.stdout);
    assert!(svg.matches("class=\"event\"").count() >= 1 && !svg.contains("#d62728\"><title>battle"), "only shelling is drawn");
    let out = sitrep(&["map", "--db", dir.join("none.db").to_str().unwrap(), "-o", "-"]);
    assert!(!out.status.success() && text(&out.stderr).contains("run `sitrep ingest` first"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_control_layer_is_the_same_from_a_store_and_from_the_reports() {
    let dir = std::env::temp_dir().join(format!("sitrep-map-control-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let reports = dir.join("reports.jsonl");
    std::fs::write(
        &reports,
        [
            r#"{"id": "a", "date": "2022-04-02", "text": "Russian forces captured Izium on April 1."}"#,
            r#"{"id": "b", "date": "2022-09-11", "text": "Ukrainian forces liberated Izium on September 10."}"#,
            r#"{"id": "c", "date": "2022-09-12", "text": "Ukrainian troops recaptured Kupiansk on September 11."}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let db = dir.join("s.db");
    let db = db.to_str().unwrap();
    let out = sitrep(&["ingest", "--db", db, reports.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let map = |source: &[&str], extra: &[&str]| {
        let mut args = vec!["map", "--control", "-o", "-"];
        args.extend_from_slice(source);
        args.extend_from_slice(extra);
        let out = sitrep(&args);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    // A settlement's square, in a side's colour (the legend's squares have no title).
    let (blue, red) = ("fill=\"#1f6fd1\" stroke=\"#fff\"><title>", "fill=\"#d12f2f\" stroke=\"#fff\"><title>");
    for source in [&["--db", db][..], &[reports.to_str().unwrap()][..]] {
        // In May both were Russian (Kupiansk by the side it was later taken from), and nothing
        // had changed hands in the week before.
        let may = map(source, &["--as-of", "2022-05-01"]);
        assert_eq!(may.matches("class=\"settlement\"").count(), 2, "{may}");
        assert_eq!(may.matches(red).count(), 2, "{may}");
        assert!(may.contains("Izyum: RU</title>"), "{may}");
        assert_eq!(may.matches("class=\"change\"").count(), 0, "{source:?}");
        assert!(may.contains(">control on 2022-05-01; changes 2022-04-25 to 2022-05-01</text>"), "{may}");
        // The latest state, with September's changes ringed in Ukraine's colour.
        let september = map(source, &["--from", "2022-09-01", "--to", "2022-09-30"]);
        assert_eq!(september.matches("class=\"settlement\"").count(), 2, "{september}");
        assert_eq!(september.matches(blue).count(), 2, "both are Ukraine's now: {september}");
        assert_eq!(september.matches("class=\"change\" cx").count(), 2, "Izium and Kupiansk changed hands: {september}");
        assert_eq!(september.matches("r=\"9\" fill=\"none\" stroke=\"#1f6fd1\"").count(), 2, "ringed in the taker's colour: {september}");
        assert!(september.contains(">control, latest state; changes 2022-09-01 to 2022-09-30</text>"), "{september}");
    }
    let out = sitrep(&["map", "--db", db, "--as-of", "2022-05-01", "-o", "-"]);
    assert!(!out.status.success() && text(&out.stderr).contains("--control"), "--as-of is the control layer's");
    std::fs::remove_dir_all(dir).unwrap();
}
