//! `sitrep geoparse` as a user runs it: plain text, JSON lines, and input that is broken.

mod common;

use std::process::Output;

use common::{sitrep_stdin, text};

fn json_lines(out: &Output) -> Vec<serde_json::Value> {
    text(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("every output line is JSON")).collect()
}

/// The row of the document's `places` table that toponym `t` points to.
fn place<'a>(doc: &'a serde_json::Value, t: &serde_json::Value) -> &'a serde_json::Value {
    &doc["places"][t["place"].as_u64().expect("a row of the places table") as usize]
}

#[test]
fn offsets_count_characters_not_bytes() {
    let input = "Після обстрілу «Купянськ» — Russian troops left Kup’yans’k near the Oskil River.";
    let out = sitrep_stdin(&["geoparse", "--format", "jsonl"], input.as_bytes());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let docs = json_lines(&out);
    assert_eq!(docs.len(), 1);
    let chars: Vec<char> = input.chars().collect();
    let toponyms = docs[0]["toponyms"].as_array().unwrap();
    assert!(toponyms.len() >= 2, "{toponyms:?}");
    for t in toponyms {
        let (start, end) = (t["start"].as_u64().unwrap() as usize, t["end"].as_u64().unwrap() as usize);
        let span: String = chars[start..end].iter().collect();
        assert_eq!(span, t["text"].as_str().unwrap());
    }
    let kupiansk = toponyms.iter().find(|t| t["text"] == "Kup’yans’k").expect("the transliteration is found");
    assert_eq!(place(&docs[0], kupiansk)["geonameid"], 703656);
    assert!(docs[0]["demonyms"].as_array().unwrap().iter().any(|d| d["text"] == "Russian" && d["country"] == "RU"));
}

#[test]
fn malformed_json_lines_are_reported_by_number_and_skipped() {
    let input = concat!(
        "{\"id\": \"a\", \"text\": \"Shelling hit Izyum.\"}\n",
        "{\"id\": \"b\", \"text\": \"Kupi\n",
        "not json at all\n",
        "\n",
        "{\"id\": 4}\n",
        "{\"id\": \"e\", \"text\": \"Fighting near Balakliya and Izyum.\"}\n",
    );
    let out = sitrep_stdin(&["geoparse", "--jsonl", "--format", "jsonl"], input.as_bytes());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    for line in [2, 3, 5] {
        assert!(stderr.contains(&format!("line {line}:")), "line {line} is reported: {stderr}");
    }
    assert!(!stderr.contains("line 4:"), "a blank line is not an error: {stderr}");
    let ids: Vec<String> = json_lines(&out).iter().map(|d| d["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(ids, ["a", "e"]);
}

#[test]
fn invalid_utf8_is_replaced_with_a_warning() {
    let out = sitrep_stdin(&["geoparse", "--format", "jsonl"], b"Troops entered \xff\xfe Kupiansk on \xc3 Saturday.");
    assert!(out.status.success());
    assert!(text(&out.stderr).contains("not valid UTF-8"), "{}", text(&out.stderr));
    let docs = json_lines(&out);
    assert!(docs[0]["toponyms"].as_array().unwrap().iter().any(|t| t["text"] == "Kupiansk"));
}

#[test]
fn empty_and_binary_input_give_empty_results() {
    let out = sitrep_stdin(&["geoparse", "--format", "jsonl"], b"");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(json_lines(&out)[0]["toponyms"].as_array().unwrap().len(), 0);

    let binary: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let out = sitrep_stdin(&["geoparse", "--format", "json"], &binary);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("panicked"));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON array");
    assert_eq!(v.as_array().unwrap().len(), 1);
}

#[test]
fn local_features_are_marked_and_placed_at_a_named_town() {
    let input = "A car was found on Darling Avenue in Alexandria, Louisiana, police said.";
    let out = sitrep_stdin(&["geoparse", "--format", "jsonl"], input.as_bytes());
    let docs = json_lines(&out);
    let toponyms = docs[0]["toponyms"].as_array().unwrap();
    let avenue = toponyms.iter().find(|t| t["text"] == "Darling Avenue").expect("the street is found");
    assert_eq!(avenue["local"], true);
    assert_eq!(place(&docs[0], avenue)["name"], "Alexandria");
    assert_eq!(place(&docs[0], avenue)["admin1"], "Louisiana");
}

#[test]
fn each_place_is_written_once_and_detail_full_adds_the_rest() {
    let input = "Izyum was shelled. Later Izyum and Kupiansk were shelled again; Izyum lost power.";
    let lean = json_lines(&sitrep_stdin(&["geoparse", "--format", "jsonl"], input.as_bytes()));
    let doc = &lean[0];
    let toponyms = doc["toponyms"].as_array().unwrap();
    let names: Vec<&str> = toponyms.iter().map(|t| place(doc, t)["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Izyum", "Izyum", "Kupyansk", "Izyum"]);
    assert_eq!(doc["places"].as_array().unwrap().len(), 2, "one row per place: {doc}");
    assert!(toponyms.iter().all(|t| t.get("alternatives").is_none()));
    assert!(doc["places"].as_array().unwrap().iter().all(|p| p.get("alternates").is_none() && p.get("bbox").is_none()));
    // Coordinates carry no float noise.
    for p in doc["places"].as_array().unwrap() {
        let lat = p["lat"].to_string();
        assert!(lat.split('.').nth(1).is_none_or(|d| d.len() <= 7), "{lat}");
    }

    let full = json_lines(&sitrep_stdin(&["geoparse", "--format", "jsonl", "--detail", "full"], input.as_bytes()));
    let doc = &full[0];
    let izyum = &doc["toponyms"][0];
    let alternatives = izyum["alternatives"].as_array().expect("alternatives with --detail full");
    assert!(!alternatives.is_empty());
    for a in alternatives {
        assert!(doc["places"][a.as_u64().unwrap() as usize]["id"].as_str().is_some(), "alternatives are rows of the table");
    }
    assert!(place(doc, izyum)["alternates"].as_array().is_some_and(|a| !a.is_empty()));
}

#[test]
fn documents_keep_their_input_order_across_batches() {
    let mut input = String::new();
    for n in 0..20_000 {
        input += &format!("{{\"id\":\"d{n}\",\"text\":\"Report {n}: shelling near Izyum.\"}}\n");
    }
    let out = sitrep_stdin(&["geoparse", "--jsonl", "--format", "json"], input.as_bytes());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON array");
    let ids: Vec<&str> = v.as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 20_000);
    assert!(ids.iter().enumerate().all(|(n, id)| *id == format!("d{n}")), "input order");
}

#[test]
fn a_long_document_is_streamed_as_valid_json() {
    let sentence = "Shelling hit Kupiansk; Ukrainian units held Izyum.\n";
    let repeats = 60_000; // about 3 MB: three segments
    let input = sentence.repeat(repeats);
    for format in ["json", "jsonl"] {
        let out = sitrep_stdin(&["geoparse", "--format", format], input.as_bytes());
        assert!(out.status.success(), "{}", text(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
        let doc = if format == "json" { v[0].clone() } else { v };
        let toponyms = doc["toponyms"].as_array().unwrap();
        assert_eq!(toponyms.len(), 2 * repeats, "{format}");
        let last = toponyms.last().unwrap();
        let per = sentence.chars().count() as u64;
        assert_eq!(last["start"].as_u64().unwrap(), per * (repeats as u64 - 1) + 44, "{format}: offsets run on across segments");
        assert_eq!(doc["demonyms"].as_array().unwrap().len(), repeats);
    }
    let out = sitrep_stdin(&["geoparse"], input.as_bytes());
    assert!(text(&out.stdout).lines().filter(|l| l.contains("Kupiansk")).count() == repeats);
}
