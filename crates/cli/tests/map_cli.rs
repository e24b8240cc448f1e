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
