//! `sitrep ingest` and `sitrep query` as a user runs them, including a kill -9 in the middle
//! of an ingest: running it again loses nothing and duplicates nothing.

mod common;

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use common::{sitrep, text};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sitrep-ingest-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The store's totals, from the last line of `sitrep query`.
fn totals(db: &Path) -> String {
    let out = sitrep(&["query", "--db", db.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    last.split_once("the store holds ").map(|(_, t)| t.to_owned()).unwrap_or_else(|| panic!("no totals in {stdout}"))
}

/// A JSON-lines file of `n` distinct reports about a handful of towns.
fn corpus(dir: &Path, n: usize) -> PathBuf {
    let towns = ["Kupiansk", "Izyum", "Bakhmut", "Kherson", "Lyman", "Svatove"];
    let lines: Vec<String> = (0..n)
        .map(|i| {
            let town = towns[i % towns.len()];
            let day = 1 + i % 28;
            format!(
                "{{\"id\": \"r{i}\", \"published\": \"2023-02-{day:02}\", \"source\": \"Outlet {}\", \"text\": \"Russian artillery shelled {town} overnight, report {i} said the governor. Ukrainian forces repelled an attack near {town}.\"}}",
                i % 7
            )
        })
        .collect();
    let path = dir.join("reports.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

#[test]
fn ingest_is_idempotent_and_queries_find_events() {
    let dir = temp_dir("idempotent");
    let db = dir.join("s.db");
    let reports = corpus(&dir, 200);
    let (db_s, reports_s) = (db.to_str().unwrap(), reports.to_str().unwrap());
    let first = sitrep(&["ingest", "--db", db_s, reports_s]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(text(&first.stdout).contains("ingested 200 reports"), "{}", text(&first.stdout));
    assert!(text(&first.stdout).contains("dates: 200 from field \"published\""), "{}", text(&first.stdout));
    let before = totals(&db);
    let again = sitrep(&["ingest", "--db", db_s, reports_s]);
    assert!(text(&again.stdout).contains("ingested 0 reports") && text(&again.stdout).contains("200 already stored"), "{}", text(&again.stdout));
    assert_eq!(totals(&db), before);

    let out = sitrep(&["query", "--db", db_s, "--near", "Kherson", "--radius-km", "20", "--type", "shelling", "--format", "json"]);
    let events: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let events = events.as_array().unwrap();
    assert!(!events.is_empty());
    assert!(events.iter().all(|e| e["place_name"] == "Kherson" && e["event_type"] == "shelling"));
    let out = sitrep(&["query", "--db", db_s, "--format", "geojson"]);
    let fc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    // One export layout for read and query: the same columns, one row per event with every
    // telling counted in it.
    let out = sitrep(&["query", "--db", db_s, "--format", "csv"]);
    let mut rows = csv::Reader::from_reader(&out.stdout[..]);
    assert_eq!(rows.headers().unwrap().iter().collect::<Vec<_>>(), sitrep_store::export::COLUMNS);
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), fc["features"].as_array().unwrap().len() + records.iter().filter(|r| r[20].is_empty()).count());
    assert!(records.iter().all(|r| r[24].parse::<usize>().is_ok_and(|n| n >= 1)), "source_count");
    // The one filter parser: the same checks and words as the API's.
    for (flags, words) in [
        (&["--bbox", "50,35,47,38"][..], "each minimum at most its maximum"),
        (&["--near", "Kherson", "--radius-km", "NaN"][..], "radius_km \"NaN\""),
        (&["--from", "2023-02-01", "--to", "2023-01-01"][..], "from 2023-02-01 is after to 2023-01-01"),
        (&["--type", "bombing"][..], "type \"bombing\""),
    ] {
        let out = sitrep(&[&["query", "--db", db_s][..], flags].concat());
        assert!(!out.status.success() && text(&out.stderr).contains(words), "{flags:?}: {}", text(&out.stderr));
    }
    let out = sitrep(&["query", "--db", dir.join("missing.db").to_str().unwrap()]);
    assert!(!out.status.success() && text(&out.stderr).contains("no store"), "{}", text(&out.stderr));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn ingest_says_which_field_dated_how_many_reports_and_names_what_it_refused() {
    let dir = temp_dir("fields");
    let lines = [
        r#"{"id": "p", "published": "2023-02-01", "text": "Russian artillery shelled Kupiansk overnight."}"#,
        r#"{"id": "d1", "date": "2023-02-02T06:00:00Z", "text": "Russian artillery shelled Izyum overnight."}"#,
        r#"{"id": "d2", "date": "2023-02-03", "published": "sometime", "text": "Russian artillery shelled Lyman overnight."}"#,
        r#"{"id": "n", "text": "Russian artillery shelled Svatove on 4 February 2023."}"#,
        r#"{"id": "blank", "text": "  \n "}"#,
        r#"{"id": "t", "datetime": "2023-02-05", "text": "A NUL \u0000 in Kherson."}"#,
    ];
    let file = dir.join("mixed.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let db = dir.join("s.db");
    let out = sitrep(&["ingest", "--db", db.to_str().unwrap(), file.to_str().unwrap()]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(!out.status.success(), "a refused document makes the exit code 1");
    assert!(stdout.contains("ingested 5 reports") && stdout.contains("1 failed"), "{stdout}");
    for part in ["2 from field \"date\"", "1 from field \"published\"", "1 from field \"datetime\"", "1 with no date given (1 dated from their text)"] {
        assert!(stdout.contains(part), "{part} missing: {stdout}");
    }
    assert!(stderr.contains("failed: blank: the report has no text"), "{stderr}");
    assert!(stderr.contains("d2: the date in \"published\", \"sometime\""), "{stderr}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn killing_ingest_midway_and_running_it_again_loses_and_doubles_nothing() {
    let dir = temp_dir("kill");
    let reports = corpus(&dir, 6000);
    // The reference: one clean run.
    let clean = dir.join("clean.db");
    let out = sitrep(&["ingest", "--db", clean.to_str().unwrap(), reports.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let expected = totals(&clean);

    // A run killed as soon as it has written something, then a second run.
    let killed = dir.join("killed.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["ingest", "--db", killed.to_str().unwrap(), reports.to_str().unwrap()])
        .env_remove("SITREP_GAZETTEER")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let wal = dir.join("killed.db-wal");
    let started = Instant::now();
    while std::fs::metadata(&wal).map_or(true, |m| m.len() < 64 * 1024) && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(!status.success(), "the ingest was killed before it finished; make the corpus larger if this fails");
    let out = sitrep(&["ingest", "--db", killed.to_str().unwrap(), reports.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(totals(&killed), expected, "a killed and resumed ingest ends where a clean one does");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn ingest_weighs_the_theatre_of_its_batch_when_asked() {
    let dir = temp_dir("batch-theatre");
    let notes = dir.join("notes.jsonl");
    // Three notes about the front west of Donetsk, then one naming only Pavlivka, a village
    // name that several oblasts share, the largest namesake far from that front.
    std::fs::write(
        &notes,
        [
            r#"{"id":"n1","text":"Guns fired on Marinka and Krasnohorivka from the east during the night."}"#,
            r#"{"id":"n2","text":"Troops dug in around Vuhledar and Novomykhailivka in Donetsk Oblast."}"#,
            r#"{"id":"n3","text":"Power was cut in Krasnohorivka and Kurakhove after the strikes."}"#,
            r#"{"id":"n4","text":"Russian artillery shelled Pavlivka on Tuesday."}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let oblasts = |extra: &[&str], db: &str| -> Vec<String> {
        let db = dir.join(db);
        let mut args = vec!["ingest", "--db", db.to_str().unwrap(), "--published", "2023-01-10", "--theatre", "UA", notes.to_str().unwrap()];
        args.extend_from_slice(extra);
        let out = sitrep(&args);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let out = sitrep(&["query", "--db", db.to_str().unwrap(), "--format", "json"]);
        let events: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        events.as_array().unwrap().iter().map(|e| e["admin1"].as_str().unwrap_or("-").to_owned()).collect()
    };
    assert!(oblasts(&[], "explicit.db").iter().any(|o| o == "Vinnytsia Oblast"), "the explicit theatre alone takes the largest Pavlivka");
    let batch = oblasts(&["--batch-theatre"], "batch.db");
    assert!(!batch.is_empty() && batch.iter().all(|o| o == "Donetsk Oblast"), "{batch:?}");

    let out = sitrep(&["ingest", "--db", dir.join("stdin.db").to_str().unwrap(), "--jsonl", "--batch-theatre", "-"]);
    assert!(!out.status.success() && text(&out.stderr).contains("not standard input"), "{}", text(&out.stderr));
    std::fs::remove_dir_all(&dir).unwrap();
}
