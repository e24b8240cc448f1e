//! The HTTP API over a real socket on loopback: answers, errors as JSON, the write token, and
//! the body limit.

mod common;

use common::{request, start};

fn temp_db(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sitrep-serve-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("api.db")
}

#[test]
fn places_reading_and_errors() {
    let addr = start(None, None);
    let (status, body) = request(addr, "GET", "/api/where?name=Kupiansk&limit=2", &[], b"");
    assert_eq!(status, 200);
    assert_eq!(body["candidates"][0]["id"], "geonames:703656");
    let (status, body) = request(addr, "GET", "/api/where?name=Xqzzplorf", &[], b"");
    assert_eq!(status, 404);
    assert!(body["error"].as_str().unwrap().contains("no place"));
    // A slip is answered by the fuzzy search (off the connection's thread), in the name and
    // in the place it is near alike.
    let (status, body) = request(addr, "GET", "/api/where?name=Kupianskk&limit=1", &[], b"");
    assert_eq!((status, body["fuzzy"].as_bool()), (200, Some(true)));
    assert_eq!(body["candidates"][0]["id"], "geonames:703656");
    let (status, body) = request(addr, "GET", "/api/where?name=Izyum&near=Kharkivv&limit=1", &[], b"");
    assert_eq!((status, body["fuzzy"].as_bool()), (200, Some(false)));
    assert_eq!(body["candidates"][0]["id"], "geonames:707292");
    let (status, _) = request(addr, "GET", "/api/where?name=Izyum&near=Xqzzplorf", &[], b"");
    assert_eq!(status, 404, "a place near nowhere known");
    let (status, body) =
        request(addr, "POST", "/api/read?published=2022-09-10", &[], "Russia's defence ministry said its troops shelled Kupiansk on Saturday.".as_bytes());
    assert_eq!(status, 200);
    assert_eq!(body["schema"], "sitrep.reading/0.2");
    assert_eq!(body["events"][0]["event_type"], "shelling");
    let (status, body) = request(addr, "POST", "/api/geoparse", &[], "Fighting near Izyum.".as_bytes());
    assert_eq!(status, 200);
    assert_eq!(body["toponyms"][0]["place"], 0);
    assert_eq!(body["places"][0]["id"], "geonames:707292");
    let (status, _) = request(addr, "POST", "/api/read", &[], b"   ");
    assert_eq!(status, 400, "an empty report is a clear error");
    let (status, body) = request(addr, "GET", "/api/events", &[], b"");
    assert_eq!(status, 404, "no store");
    assert!(body["error"].as_str().is_some());
    let (status, body) = request(addr, "GET", "/openapi.json", &[], b"");
    assert_eq!(status, 200);
    for path in [
        "/api/events",
        "/api/events/points",
        "/api/events/{id}",
        "/api/basemap/countries",
        "/api/basemap/admin1",
        "/api/basemap/places",
        "/api/palette",
        "/api/control",
        "/api/control/changes",
        "/api/reports",
        "/api/reports/{id}",
        "/api/claims",
        "/api/disagreements",
        "/api/atlas",
        "/map.svg",
    ] {
        assert!(body["paths"][path].is_object(), "{path} is described");
    }
    let (status, body) = request(addr, "GET", "/no/such/thing", &[], b"");
    assert_eq!(status, 404);
    assert!(body["error"].as_str().unwrap().contains("openapi"));
}

#[test]
fn writes_need_the_token_and_bodies_are_bounded() {
    let read_only = start(Some(temp_db("ro")), None);
    let (status, _) = request(read_only, "POST", "/api/reports", &[], b"Shelling hit Kherson.");
    assert_eq!(status, 403);

    let addr = start(Some(temp_db("rw")), Some("s3cret"));
    let report = "Russian artillery shelled Kherson on Friday, the governor said.".as_bytes();
    let (status, _) = request(addr, "POST", "/api/reports?published=2023-01-20", &["Authorization: Bearer wrong"], report);
    assert_eq!(status, 401);
    let (status, body) = request(addr, "POST", "/api/reports?published=2023-01-20", &["Authorization: Bearer s3cret"], report);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ingested"]["new_report"], true);
    let (status, body) = request(addr, "POST", "/api/reports?published=2023-01-20", &["Authorization: Bearer s3cret"], report);
    assert_eq!((status, body["ingested"]["new_report"].clone()), (200, serde_json::Value::Bool(false)), "posting twice stores once");
    let (status, body) = request(addr, "GET", "/api/events?near=Kherson&radius_km=20&type=shelling", &[], b"");
    assert_eq!(status, 200);
    assert_eq!(body["count"], 1);
    assert_eq!(body["events"][0]["sources"][0]["claimant"], "the governor");
    let (status, body) = request(addr, "GET", "/api/events?bbox=1,2,3", &[], b"");
    assert_eq!(status, 400);
    assert!(body["error"].as_str().is_some());
    // The one filter parser: the same checks and words as `sitrep query`.
    for (query, status, words) in [
        ("bbox=50,35,47,38", 400, "each minimum at most its maximum"),
        ("near=Kherson&radius_km=NaN", 400, "radius_km \"NaN\""),
        ("radius_km=5", 400, "radius_km needs near"),
        ("from=2023-02-01&to=2023-01-01", 400, "from 2023-02-01 is after to 2023-01-01"),
        ("type=bombing", 400, "type \"bombing\""),
        ("near=Qqqzzxx", 404, "no place called \"Qqqzzxx\""),
    ] {
        let (got, body) = request(addr, "GET", &format!("/api/events?{query}"), &[], b"");
        assert_eq!(got, status, "{query}: {body}");
        assert!(body["error"].as_str().unwrap_or_default().contains(words), "{query}: {body}");
    }

    let huge = vec![b'a'; sitrep_serve::Limits::default().max_open_body_bytes + 1024];
    let (status, body) = request(addr, "POST", "/api/read", &[], &huge);
    assert_eq!(status, 413, "a body over the limit is refused");
    assert!(body["error"].as_str().is_some_and(|e| !e.is_empty()), "413 in JSON: {body}");
    // axum's own rejections are JSON too: a malformed query, a wrong method.
    let (status, body) = request(addr, "GET", "/api/events?from=2023-13-45&radius_km=", &[], b"");
    assert_eq!(status, 400, "{body}");
    assert!(body["error"].as_str().is_some(), "{body}");
    let (status, body) = request(addr, "DELETE", "/api/events", &[], b"");
    assert_eq!((status, body["error"].as_str()), (405, Some("method not allowed")), "{body}");
}

#[test]
fn reports_claims_disagreements_atlas_and_the_page() {
    let addr = start(Some(temp_db("views")), Some("t"));
    let report = "Ukraine's General Staff said its forces advanced 12 kilometres near Kupiansk on Monday. \
                  Russia's defence ministry said the Ukrainian advance was no more than 3 kilometres."
        .as_bytes();
    let (status, body) =
        request(addr, "POST", "/api/reports?published=2023-01-18&title=Advance%20near%20Kupiansk&source=Example", &["Authorization: Bearer t"], report);
    assert_eq!(status, 200, "{body}");

    let (status, body) = request(addr, "GET", "/api/reports", &[], b"");
    assert_eq!((status, body["count"].as_u64()), (200, Some(1)));
    let listed = &body["reports"][0];
    assert_eq!(listed["title"], "Advance near Kupiansk");
    assert_eq!(listed["source"], "Example");
    let id = listed["id"].as_i64().unwrap();
    let (status, body) = request(addr, "GET", &format!("/api/reports/{id}"), &[], b"");
    assert_eq!(status, 200);
    assert_eq!(body["text"].as_str().unwrap().as_bytes(), report, "the text is kept whole for the report view");
    assert_eq!(body["reading"]["schema"], "sitrep.reading/0.2");
    let (status, _) = request(addr, "GET", "/api/reports/999", &[], b"");
    assert_eq!(status, 404);

    let (status, body) = request(addr, "GET", "/api/claims?claimant=defence", &[], b"");
    assert_eq!(status, 200);
    assert!(body["count"].as_u64().unwrap() >= 1, "{body}");
    assert!(body["claims"].as_array().unwrap().iter().all(|c| c["claimant"].as_str().unwrap().contains("defence")));

    let (status, body) = request(addr, "GET", "/api/disagreements", &[], b"");
    assert_eq!(status, 200);
    let d = &body["disagreements"][0];
    assert_eq!(d["unit"], "km", "{body}");
    let claimants: Vec<&str> = d["numbers"].as_array().unwrap().iter().filter_map(|n| n["claimant"].as_str()).collect();
    assert!(claimants.iter().any(|c| c.contains("General Staff")) && claimants.iter().any(|c| c.contains("defence ministry")), "{claimants:?}");

    let (status, body) = request(addr, "GET", "/api/atlas?bbox=49.5,37.5,49.8,37.8", &[], b"");
    assert_eq!(status, 200);
    assert!(body["countries"].as_array().unwrap().iter().any(|c| c["name"] == "Ukraine"));
    assert!(body["admin1"].as_array().unwrap().iter().any(|a| a["name"] == "Kharkiv"));
    assert_eq!(body["palette"].as_array().unwrap().len(), sitrep_map::PALETTE.len());
    let (status, _) = request(addr, "GET", "/api/atlas?bbox=a,b,c,d", &[], b"");
    assert_eq!(status, 400);

    let (status, head, svg) = common::request_text(addr, "GET", "/map.svg", &[], b"");
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-type: image/svg+xml"));
    assert!(svg.contains("class=\"event\"") && svg.contains("<title>Ukraine</title>"));

    let (status, head, html) = common::request_text(addr, "GET", "/", &[], b"");
    assert_eq!(status, 200);
    let head = head.to_ascii_lowercase();
    assert!(head.contains("content-security-policy: default-src 'self'"), "{head}");
    assert!(html.contains("<script src=\"/app.js\""));
    for asset in ["/app.js", "/app.css", "/control.js"] {
        let (status, _, body) = common::request_text(addr, "GET", asset, &[], b"");
        assert_eq!(status, 200);
        assert!(!body.is_empty());
    }
}

#[test]
fn the_control_timeline_by_day_window_and_area() {
    let addr = start(Some(temp_db("control")), Some("t"));
    for (published, text) in [
        ("2022-04-02", "Russian forces captured Izium on April 1."),
        ("2022-09-11", "Ukrainian forces liberated Izium on September 10, the General Staff said."),
        ("2022-09-11", "Ukrainian forces recaptured Kupiansk on September 10."),
    ] {
        let (status, body) =
            request(addr, "POST", &format!("/api/reports?published={published}&source=Example"), &["Authorization: Bearer t"], text.as_bytes());
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = request(addr, "GET", "/api/control?as_of=2022-05-01", &[], b"");
    assert_eq!(status, 200, "{body}");
    let izyum = body["settlements"].as_array().unwrap().iter().find(|s| s["place"]["name"] == "Izyum").expect("Izyum has a state");
    assert_eq!((izyum["state"].as_str(), izyum["last_change"]["to_side"].as_str()), (Some("RU"), Some("RU")));
    assert_eq!(izyum["place"]["geonameid"], 707292);
    let (status, body) = request(addr, "GET", "/api/control/changes?from=2022-09-01&to=2022-09-30&bbox=49.5,37.3,50.0,38.0", &[], b"");
    assert_eq!((status, body["count"].as_u64()), (200, Some(1)), "{body}");
    let change = &body["changes"][0];
    assert_eq!((change["place"]["name"].as_str(), change["from_side"].as_str(), change["to_side"].as_str()), (Some("Kupyansk"), Some("RU"), Some("UA")));
    assert_eq!((change["date_earliest"].as_str(), change["date_latest"].as_str()), (Some("2022-09-10"), Some("2022-09-10")));
    let source = &change["sources"][0];
    assert!(source["report"].is_string() && source["end"].as_u64() > source["start"].as_u64(), "{source}");
    for (query, status) in
        [("/api/control?as_of=2022-02-30", 400), ("/api/control/changes?from=2022-10-01&to=2022-09-01", 400), ("/api/control?near=Qqqzzxx", 404)]
    {
        let (got, body) = request(addr, "GET", query, &[], b"");
        assert_eq!(got, status, "{query}: {body}");
        assert!(body["error"].is_string());
    }
}

/// A report posted as an HTML page is stored as the text of its article, and the offsets of
/// its reading index that text (not the markup).
#[test]
fn a_posted_page_is_stored_as_the_text_its_offsets_index() {
    let addr = start(Some(temp_db("html")), Some("t"));
    let page = "<!doctype html><html><head><title>Night of shelling</title></head><body>\
                <nav><a href='/'>Home</a> <a href='/world'>World</a></nav>\
                <article><h1>Night of shelling</h1><p>Russian artillery shelled Kherson on Friday, the governor said.</p></article>\
                <footer>All rights reserved</footer></body></html>";
    let (status, body) = request(addr, "POST", "/api/reports?published=2023-01-20", &["Authorization: Bearer t", "Content-Type: text/html"], page.as_bytes());
    assert_eq!(status, 200, "{body}");
    let (_, listed) = request(addr, "GET", "/api/reports", &[], b"");
    let id = listed["reports"][0]["id"].as_i64().unwrap();
    let (status, report) = request(addr, "GET", &format!("/api/reports/{id}"), &[], b"");
    assert_eq!(status, 200);
    let text = report["text"].as_str().unwrap();
    assert!(!text.contains('<') && !text.contains("Home"), "the stored text is the article's: {text:?}");
    let events = report["reading"]["events"].as_array().unwrap();
    let event = events.iter().find(|e| e["text"].as_str().unwrap().contains("Kherson")).expect("the shelling of Kherson is read");
    let (start, end) = (event["start"].as_u64().unwrap() as usize, event["end"].as_u64().unwrap() as usize);
    let indexed: String = text.chars().skip(start).take(end - start).collect();
    assert_eq!(indexed, event["text"].as_str().unwrap(), "the offsets index the stored text");
    assert!(indexed.contains("shelled Kherson"), "{indexed}");
}

#[test]
fn pages_points_basemap_and_compression() {
    let addr = start(Some(temp_db("pages")), Some("t"));
    for (published, text) in [
        ("2023-01-10", "Russian artillery shelled Kherson on Tuesday, the governor said."),
        ("2023-01-11", "Ukrainian forces recaptured Kupiansk on Wednesday, the General Staff said."),
        ("2023-01-12", "Russian forces attacked near Bakhmut on Thursday, officials said."),
    ] {
        let (status, body) = request(addr, "POST", &format!("/api/reports?published={published}"), &["Authorization: Bearer t"], text.as_bytes());
        assert_eq!(status, 200, "{body}");
    }
    let (status, all) = request(addr, "GET", "/api/events", &[], b"");
    assert_eq!(status, 200);
    let total = all["total"].as_u64().unwrap();
    assert!(total >= 3, "{all}");
    assert_eq!((all["limit"].as_u64(), all["offset"].as_u64(), all["count"].as_u64()), (Some(sitrep_serve::DEFAULT_PAGE as u64), Some(0), Some(total)));
    // Page by page, the same events in the same order.
    let mut paged = Vec::new();
    for offset in 0..total {
        let (_, page) = request(addr, "GET", &format!("/api/events?limit=1&offset={offset}"), &[], b"");
        assert_eq!((page["total"].as_u64(), page["count"].as_u64()), (Some(total), Some(1)), "{page}");
        paged.push(page["events"][0]["id"].clone());
    }
    assert_eq!(paged, all["events"].as_array().unwrap().iter().map(|e| e["id"].clone()).collect::<Vec<_>>());
    let (_, clamped) = request(addr, "GET", "/api/events?limit=1000000", &[], b"");
    assert_eq!(clamped["limit"].as_u64(), Some(sitrep_serve::MAX_PAGE as u64), "the hard maximum");
    let (status, _) = request(addr, "GET", "/api/events?limit=-1", &[], b"");
    assert_eq!(status, 400);
    // A box through the one filter parser: Kherson only.
    let (_, boxed) = request(addr, "GET", "/api/events?bbox=46,32,47,33", &[], b"");
    assert_eq!((boxed["total"].as_u64(), boxed["events"][0]["place_name"].as_str()), (Some(1), Some("Kherson")), "{boxed}");
    // Tellings per event: the first `sources` of them (none here) and how many in all.
    let (_, bare) = request(addr, "GET", "/api/events?bbox=46,32,47,33&sources=0", &[], b"");
    assert_eq!((bare["events"][0]["source_count"].as_u64(), bare["events"][0]["sources"].as_array().map(Vec::len)), (Some(1), Some(0)), "{bare}");
    assert_eq!(boxed["events"][0]["sources"].as_array().map(Vec::len), Some(1), "by default a page's events carry their first tellings");
    let (status, body) = request(addr, "GET", "/api/events/points?bbox=46,32,47,33", &[], b"");
    assert_eq!((status, body["count"].as_u64()), (200, Some(1)), "{body}");
    let points = common::points_of(&body);
    let point = &points[0];
    assert_eq!((point["event_type"].as_str(), point["sources"].as_u64(), point["claimants"][0].as_str()), (Some("shelling"), Some(1), Some("the governor")));
    assert!(point.get("evidence").is_none() && point["lat"].is_number());
    let (status, event) = request(addr, "GET", &format!("/api/events/{}", point["id"]), &[], b"");
    assert_eq!((status, event["sources"][0]["claimant"].as_str()), (200, Some("the governor")), "{event}");
    assert_eq!(request(addr, "GET", "/api/events/999999", &[], b"").0, 404);

    let (status, reports) = request(addr, "GET", "/api/reports?limit=2", &[], b"");
    assert_eq!((status, reports["total"].as_u64(), reports["count"].as_u64()), (200, Some(3), Some(2)));
    assert_eq!(reports["reports"][0]["published"], "2023-01-12", "newest first");
    assert!(reports["reports"][0].get("text").is_none() && reports["reports"][0].get("reading").is_none(), "a listing carries no texts");
    let (_, rest) = request(addr, "GET", "/api/reports?limit=2&offset=2", &[], b"");
    assert_eq!((rest["count"].as_u64(), rest["reports"][0]["published"].as_str()), (Some(1), Some("2023-01-10")));

    let (status, countries) = request(addr, "GET", "/api/basemap/countries", &[], b"");
    assert_eq!((status, countries["type"].as_str()), (200, Some("FeatureCollection")));
    assert!(countries["features"].as_array().unwrap().iter().any(|f| f["properties"]["name"] == "Ukraine"));
    let (_, admin1) = request(addr, "GET", "/api/basemap/admin1?bbox=49.5,36,50.5,37", &[], b"");
    assert!(admin1["features"].as_array().unwrap().iter().any(|f| f["properties"]["name"] == "Kharkiv"), "Kharkiv oblast meets the box");
    let (_, places) = request(addr, "GET", "/api/basemap/places?bbox=49.5,36,50.5,37", &[], b"");
    assert!(places["features"].as_array().unwrap().iter().any(|f| f["properties"]["kind"] == "town" && f["properties"]["name"] == "Kharkiv"));
    assert_eq!(request(addr, "GET", "/api/basemap/places?bbox=1,2", &[], b"").0, 400);
    let (status, palette) = request(addr, "GET", "/api/palette", &[], b"");
    assert_eq!((status, palette["types"][1]["label"].as_str()), (200, Some("territory taken")));

    // Compressed when the client takes gzip; the vendored map library cached for good.
    let (status, head, _) = common::request_text(addr, "GET", "/api/basemap/countries", &["Accept-Encoding: gzip"], b"");
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-encoding: gzip"), "{head}");
    for file in ["maplibre-gl-csp.js", "maplibre-gl-csp-worker.js", "maplibre-gl.css", "LICENSE.txt"] {
        let (status, head, _) = common::request_text(addr, "GET", &format!("{}/{file}", sitrep_serve::VENDOR), &[], b"");
        assert_eq!(status, 200, "{file}");
        assert!(head.to_ascii_lowercase().contains("cache-control: public, max-age=31536000, immutable"), "{head}");
    }
    assert_eq!(common::request_text(addr, "GET", &format!("{}/other.js", sitrep_serve::VENDOR), &[], b"").0, 404);
    let (_, _, html) = common::request_text(addr, "GET", "/", &[], b"");
    assert!(html.contains(&format!("{}/maplibre-gl-csp.js", sitrep_serve::VENDOR)), "the page loads the vendored library it is served");
}

#[test]
fn the_points_answer_is_kept_until_a_report_is_stored() {
    let addr = start(Some(temp_db("points-kept")), Some("t"));
    let post = |published: &str, text: &str| {
        let (status, body) = request(addr, "POST", &format!("/api/reports?published={published}"), &["Authorization: Bearer t"], text.as_bytes());
        assert_eq!(status, 200, "{body}");
    };
    let points = || {
        let (status, body) = request(addr, "GET", "/api/events/points", &[], b"");
        assert_eq!(status, 200, "{body}");
        common::points_of(&body)
    };
    post("2023-01-10", "Russian artillery shelled Kherson on Tuesday, the governor said.");
    let first = points();
    assert_eq!(first.len(), 1);
    assert_eq!(points(), first, "asked again, the same answer");
    let (status, head, _) = common::request_text(addr, "GET", "/api/events/points", &["Accept-Encoding: gzip"], b"");
    assert_eq!(status, 200);
    assert!(head.to_ascii_lowercase().contains("content-encoding: gzip"), "{head}");
    // The head gives the box the page opens on (west, south, east, north): around Kherson.
    let view_of = |head: &str| -> Vec<f64> {
        let line =
            head.lines().find_map(|l| l.to_ascii_lowercase().strip_prefix("x-sitrep-view:").map(str::to_owned)).unwrap_or_else(|| panic!("no view in {head}"));
        line.trim().split(',').map(|v| v.parse().unwrap()).collect()
    };
    let view = view_of(&head);
    assert!(view.len() == 4 && view[0] < 32.62 && view[2] > 32.62 && view[1] < 46.64 && view[3] > 46.64 && view[2] - view[0] < 1.0, "{view:?}");
    assert_eq!(view_of(&common::request_text(addr, "GET", "/api/events/points", &[], b"").1), view, "the same without gzip");
    // A new event, then a new telling of the first one: each is in the next answer.
    post("2023-01-11", "Ukrainian forces recaptured Kupiansk on Wednesday, the General Staff said.");
    assert_eq!(points().len(), 2, "the event of the report stored since");
    post("2023-01-10", "Russian forces shelled Kherson on Tuesday, officials said.");
    let now = points();
    let kherson = now.iter().find(|p| p["place_name"] == "Kherson").expect("Kherson's point");
    assert_eq!((now.len(), kherson["sources"].as_u64()), (2, Some(2)), "the second telling merged into the first event: {kherson}");
}
