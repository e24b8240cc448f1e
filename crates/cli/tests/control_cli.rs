//! `sitrep control` as a user runs it: states on a day and changes in a window, in an area,
//! as text, JSON, GeoJSON and CSV, and its errors.

mod common;

use common::{sitrep, text};

#[test]
fn states_and_changes_in_every_format() {
    let dir = std::env::temp_dir().join(format!("sitrep-control-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let reports = dir.join("reports.jsonl");
    std::fs::write(
        &reports,
        [
            r#"{"id": "r1", "date": "2022-04-02", "source": "Outlet A", "text": "Russian forces captured Izium on April 1."}"#,
            r#"{"id": "r2", "date": "2022-09-11", "source": "Outlet A", "text": "Ukrainian forces liberated Izium on September 10."}"#,
            r#"{"id": "r3", "date": "2022-09-11", "source": "Outlet B", "text": "Ukrainian forces recaptured Kupiansk on September 10."}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let db = dir.join("control.db");
    let db = db.to_str().unwrap();
    let out = sitrep(&["ingest", "--jsonl", "--db", db, reports.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));

    let out = sitrep(&["control", "--db", db, "--as-of", "2022-05-01", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let states: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let izyum = states.as_array().unwrap().iter().find(|s| s["place"]["name"] == "Izyum").expect("Izyum");
    assert_eq!((izyum["state"].as_str(), izyum["last_change"]["sources"][0]["report"].as_str()), (Some("RU"), Some("r1")));

    let out = sitrep(&[
        "control",
        "--db",
        db,
        "--changes",
        "--from",
        "2022-09-01",
        "--to",
        "2022-09-30",
        "--near",
        "Kupiansk",
        "--radius-km",
        "30",
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 2, "a header and Kupiansk only: {csv}");
    assert!(rows[0].starts_with("geonameid,place_id,name,latitude,longitude,from_side,to_side,date_earliest,date_latest,status"));
    assert!(rows[1].contains(",RU,UA,2022-09-10,2022-09-10,"), "{csv}");

    let out = sitrep(&["control", "--db", db, "--format", "geojson"]);
    let geo: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(geo["features"].as_array().map(Vec::len), Some(2), "Izyum and Kupiansk, now both UA");

    let out = sitrep(&["control", "--db", db, "--changes"]);
    assert!(text(&out.stdout).contains("3 changes"), "{}", text(&out.stdout));

    for bad in [&["--as-of", "2022-02-30"][..], &["--bbox", "50,30,40,31"][..], &["--radius-km", "5"][..]] {
        let out = sitrep(&[&["control", "--db", db][..], bad].concat());
        assert_eq!(out.status.code(), Some(2), "{bad:?} is refused: {}", text(&out.stdout));
        assert!(text(&out.stderr).contains("error"), "{bad:?}");
    }
    std::fs::remove_dir_all(dir).unwrap();
}
