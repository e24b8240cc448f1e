//! `sitrep read` as a user runs it: the example report in every format, and broken input.

mod common;

use common::{sitrep_stdin as sitrep, text};

const EXAMPLE: &str = "examples/illustrative-report.txt";

#[test]
fn the_example_reads_in_every_format() {
    let out = sitrep(&["read", EXAMPLE, "--published", "2023-01-17"], b"");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    for section in ["Places", "Events", "Claims by claimant", "Numbers", "Disagreements", "Geography checks", "Dates"] {
        assert!(summary.contains(section), "{section} missing:\n{summary}");
    }

    let out = sitrep(&["read", EXAMPLE, "--published", "2023-01-17", "--format", "jsonl"], b"");
    let reading: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reading["schema"], "sitrep.reading/0.2");
    assert_eq!(reading["published"], "2023-01-17");
    let check = &reading["geography_checks"][0];
    assert_eq!((check["place"].as_str(), check["reference"].as_str(), check["verdict"].as_str()), (Some("Kreminna"), Some("Lyman"), Some("consistent")));
    assert!(reading["claims"].as_array().unwrap().iter().any(|c| c["certainty"] == "denied" && c["affirmative"] == false));

    let out = sitrep(&["read", EXAMPLE, "--published", "2023-01-17", "--format", "geojson"], b"");
    let collection: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(collection["type"], "FeatureCollection");
    let features = collection["features"].as_array().unwrap();
    assert!(!features.is_empty());
    // Flat properties: the export row's fields, no nested objects.
    assert!(features.iter().all(|f| f["properties"].as_object().unwrap().values().all(|v| !v.is_object() && !v.is_array())));
    assert!(features.iter().any(|f| f["properties"]["location"] == "Kreminna" && f["properties"]["event_type"] == "Battles"));
    assert!(features.iter().all(|f| f["properties"]["layer"].is_null()), "places only on request");
    let out = sitrep(&["read", EXAMPLE, "--published", "2023-01-17", "--format", "geojson", "--places"], b"");
    let collection: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(collection["features"].as_array().unwrap().iter().any(|f| f["properties"]["layer"] == "place" && f["properties"]["name"] == "Svatove"));
    assert!(features.iter().all(|f| f["geometry"]["coordinates"][0].as_f64().is_some_and(|lon| (-180.0..=180.0).contains(&lon))));

    let out = sitrep(&["read", EXAMPLE, "--published", "2023-01-17", "--format", "csv"], b"");
    let mut rows = csv::Reader::from_reader(&out.stdout[..]);
    let headers = rows.headers().unwrap().clone();
    assert_eq!(headers.iter().collect::<Vec<_>>(), sitrep_store::export::COLUMNS);
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert!(records.len() >= 3);
    assert!(records.iter().all(|r| r.len() == headers.len()));
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    // Coordinates without float noise: at most five decimals.
    assert!(records.iter().all(|r| r[column("latitude")].split('.').nth(1).is_none_or(|d| d.len() <= 5)));
    assert!(records.iter().any(|r| &r[column("location")] == "Lyman" && r[column("claimants")].contains("General Staff")));
}

#[test]
fn broken_json_lines_and_dates_are_reported_and_skipped() {
    let input = concat!(
        "{\"id\": \"a\", \"text\": \"Russia's defence ministry said its troops shelled Kupiansk.\", \"published\": \"2022-09-10\"}\n",
        "{\"id\": \"b\", \"text\": \n",
        "{\"id\": \"c\", \"text\": \"Fighting near Izyum on Saturday.\", \"published\": \"last Tuesday\"}\n",
        "{\"id\": \"d\", \"text\": \"\"}\n",
    );
    let out = sitrep(&["read", "--jsonl", "--format", "jsonl"], input.as_bytes());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("line 2:"), "{stderr}");
    assert!(stderr.contains("c: the date in \"published\", \"last Tuesday\", is not a date"), "{stderr}");
    assert!(stderr.contains("d: the report has no text; skipped"), "an empty report is named and skipped: {stderr}");
    let readings: Vec<serde_json::Value> = text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let ids: Vec<&str> = readings.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a", "c"]);
    assert_eq!(readings[0]["events"][0]["event_type"], "shelling");
    assert_eq!(readings[1]["published_from"], "unknown", "a date that does not parse is not guessed");
}

#[test]
fn an_html_page_reads_as_its_article() {
    let page = r##"<!DOCTYPE html><html><head><title>News site | Shelling in Kherson</title>
        <meta property="article:published_time" content="2022-11-20T08:00:00+02:00">
        <meta name="author" content="A. Correspondent">
        <script>window.menu = ["Kupiansk", "Izyum"];</script></head>
        <body><nav><a href="/kyiv">Kyiv</a> <a href="/odesa">Odesa</a></nav>
        <article><h1>Shelling in Kherson</h1>
        <p>Russian artillery shelled Kherson on Saturday, the regional governor said.</p>
        <p><img src=x onerror="alert(1)">Broken <b>markup <i>never closed
        </article><footer>About us · Lviv office</footer></body></html>"##;
    let out = sitrep(&["read", "--format", "jsonl"], page.as_bytes());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let reading: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(reading["title"], "Shelling in Kherson");
    assert_eq!(reading["byline"], "A. Correspondent");
    assert_eq!(reading["published"], "2022-11-20");
    let places: Vec<&str> = reading["places"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(places, ["Kherson"], "navigation, scripts and footer are not the article");
    let events = reading["events"].as_array().unwrap();
    // The headline and the first sentence tell one event: one event, two pieces of evidence.
    assert_eq!(events.len(), 1, "{events:?}");
    let shelling = &events[0];
    assert_eq!(shelling["event_type"], "shelling");
    assert!(shelling["also"][0]["text"].as_str().unwrap().contains("Saturday"));
    assert_eq!(shelling["also"][0]["claimant"], "the regional governor");
    assert_eq!(shelling["date"]["from"], "2022-11-19", "the Saturday before a Sunday publication");
}

/// The admin1 of every place each reading of `sitrep read ARGS --format jsonl` names, by report.
fn admin1s_read(args: &[&str], input: &[u8]) -> Vec<(String, Vec<String>)> {
    let mut all = vec!["read", "--format", "jsonl"];
    all.extend_from_slice(args);
    let out = sitrep(&all, input);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .map(|line| {
            let r: serde_json::Value = serde_json::from_str(line).unwrap();
            let places = r["places"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| format!("{}, {}", p["admin1"].as_str().unwrap_or("-"), p["country"].as_str().unwrap_or("-")))
                .collect();
            (r["id"].as_str().unwrap().to_owned(), places)
        })
        .collect()
}

#[test]
fn an_explicit_theatre_keeps_a_lone_village_name_in_its_country() {
    let note = b"A shell landed on a farm in Pisky overnight.";
    let plain = admin1s_read(&["--published", "2022-07-01"], note);
    let in_theatre = admin1s_read(&["--published", "2022-07-01", "--theatre", "UA"], note);
    assert!(!plain[0].1.iter().any(|p| p.ends_with("Ukraine")), "without a theatre the larger namesake abroad wins: {plain:?}");
    assert_eq!(in_theatre[0].1.len(), 1, "{in_theatre:?}");
    assert!(in_theatre[0].1[0].ends_with("Ukraine"), "{in_theatre:?}");

    let out = sitrep(&["read", "--theatre", "XX"], note);
    assert!(!out.status.success() && text(&out.stderr).contains("no country with code"), "{}", text(&out.stderr));
}

#[test]
fn the_batch_theatre_reads_a_shared_village_name_where_the_batch_is_fighting() {
    let dir = std::env::temp_dir().join(format!("sitrep-read-batch-theatre-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let batch = dir.join("notes.jsonl");
    // Four notes about the front west of Donetsk, then one naming only a village that several
    // oblasts have (Pavlivka), the largest of them far from that front.
    std::fs::write(
        &batch,
        [
            r#"{"id":"1","text":"Guns fired on Marinka and Krasnohorivka from the east during the night."}"#,
            r#"{"id":"2","text":"Troops dug in around Vuhledar and Novomykhailivka in Donetsk Oblast."}"#,
            r#"{"id":"3","text":"Rockets fell on Kurakhove, Marinka and Vuhledar in the morning."}"#,
            r#"{"id":"4","text":"Power was cut in Krasnohorivka and Kurakhove after the strikes."}"#,
            r#"{"id":"5","text":"Russian artillery shelled Pavlivka on Tuesday."}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let path = batch.to_str().unwrap();
    let explicit = admin1s_read(&["--jsonl", "--theatre", "UA", path], b"");
    let with_batch = admin1s_read(&["--jsonl", "--theatre", "UA", "--batch-theatre", path], b"");
    assert_eq!(explicit.len(), 5);
    assert_eq!(explicit[..4], with_batch[..4], "the notes that name their oblast's towns read the same");
    assert!(!explicit[4].1.iter().any(|p| p.starts_with("Donetsk")), "{explicit:?}");
    assert_eq!(with_batch[4].1, ["Donetsk Oblast, Ukraine"], "{with_batch:?}");

    // Reading the input twice needs files.
    let out = sitrep(&["read", "--jsonl", "--batch-theatre", "-"], b"{\"text\":\"Pavlivka\"}\n");
    assert!(!out.status.success() && text(&out.stderr).contains("not standard input"), "{}", text(&out.stderr));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_directory_is_read_like_ingest_reads_it() {
    // `read` takes what `ingest` takes: a directory is walked in name order, its `.jsonl`
    // files read as JSON lines without `--jsonl`, other files whole.
    let dir = std::env::temp_dir().join(format!("sitrep-read-dir-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("later")).unwrap();
    std::fs::write(dir.join("a.jsonl"), "{\"id\":\"first\",\"text\":\"Shelling hit Kupiansk.\"}\n{\"id\":\"second\",\"text\":\"Troops left Lyman.\"}\n")
        .unwrap();
    std::fs::write(dir.join("later/b.txt"), "Izium was retaken by Ukrainian forces.").unwrap();
    let out = sitrep(&["read", dir.to_str().unwrap(), "--format", "jsonl"], b"");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let ids: Vec<String> =
        text(&out.stdout).lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!((ids[0].as_str(), ids[1].as_str()), ("first", "second"));
    assert!(ids[2].ends_with("b.txt"), "{ids:?}");
    let _ = std::fs::remove_dir_all(dir);
}
