//! The web map in a real browser: headless Chromium (Debian's `chromium`) driven over
//! WebDriver (`chromedriver`, from Debian's `chromium-driver`) by fantoccini. The tests find
//! both programs, install them with apt-get when they are missing and that is possible, and
//! otherwise fail saying what to install: they never skip.

mod common;

use std::{
    net::{SocketAddr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use fantoccini::{
    actions::{InputSource, MouseActions, PointerAction, WheelAction, WheelActions, MOUSE_BUTTON_LEFT},
    Client, ClientBuilder, Locator,
};
use serde_json::{json, Value};
use sitrep_read::{Reader, Report};
use sitrep_store::Store;

/// The path of a program on PATH or in /usr/bin.
fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).chain([PathBuf::from("/usr/bin")]).map(|dir| dir.join(name)).find(|p| p.is_file())
}

/// Chromium and ChromeDriver, installed from Debian's packages if they are missing and this
/// process may install packages.
fn chromium_and_driver() -> (PathBuf, PathBuf) {
    let found = || Some((find_program("chromium")?, find_program("chromedriver")?));
    if let Some(both) = found() {
        return both;
    }
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    if root && find_program("apt-get").is_some() {
        eprintln!("chromium or chromedriver is missing; installing Debian's chromium and chromium-driver");
        let status = Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status();
        eprintln!("apt-get: {status:?}");
    }
    found().unwrap_or_else(|| {
        panic!(
            "the browser tests need Chromium and ChromeDriver: install Debian's packages with \
             `apt-get install chromium chromium-driver` (.ci/run does this)"
        )
    })
}

/// A headless Chromium session; the driver is stopped when dropped.
struct Browser {
    client: Client,
    driver: Child,
    _profile: TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!("sitrep-browser-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn launch(name: &str) -> Browser {
    let (chromium, chromedriver) = chromium_and_driver();
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let driver = Command::new(chromedriver).arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("chromedriver starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not listen on port {port} within 30 s");
        std::thread::sleep(Duration::from_millis(50));
    }
    let profile = TempDir::new(name);
    // As the machine notes advise: no sandbox as root, and no background connections to a
    // network this machine does not have.
    let args = [
        "--headless=new".to_owned(),
        "--no-sandbox".to_owned(),
        // WebGL for MapLibre through SwiftShader, the software renderer: no GPU needed.
        "--use-angle=swiftshader".to_owned(),
        "--enable-unsafe-swiftshader".to_owned(),
        "--disable-quic".to_owned(),
        "--no-first-run".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        "--window-size=1400,900".to_owned(),
        format!("--user-data-dir={}", profile.0.display()),
    ];
    let caps = json!({ "browserName": "chrome", "goog:chromeOptions": { "binary": chromium, "args": args } });
    let Value::Object(caps) = caps else { unreachable!() };
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session with headless Chromium");
    Browser { client, driver, _profile: profile }
}

/// A store holding the example reports of `examples/`.
fn example_store(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sitrep-browser-store-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("map.db");
    let mut store = Store::open_sqlite(&db).unwrap();
    let reader = Reader::new(common::gazetteer());
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut reports = vec![Report {
        id: "illustrative-report".into(),
        published: chrono::NaiveDate::from_ymd_opt(2023, 1, 17),
        text: std::fs::read_to_string(examples.join("illustrative-report.txt")).unwrap(),
        ..Report::default()
    }];
    for line in std::fs::read_to_string(examples.join("reports.jsonl")).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let text = |k: &str| v[k].as_str().map(str::to_owned);
        reports.push(Report {
            id: text("id").unwrap(),
            title: text("title"),
            source: text("source"),
            published: text("published").and_then(|d| d.parse().ok()),
            text: text("text").unwrap(),
            ..Report::default()
        });
    }
    for r in &reports {
        store.ingest(&r.text, &reader.read(r)).unwrap();
    }
    db
}

async fn open_page(b: &Browser, addr: SocketAddr) {
    b.client.goto(&format!("http://{addr}/")).await.unwrap();
    b.client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css("body[data-ready='true']")).await.expect("the page loads its events and map");
}

/// The text of the element `css` selects, waiting up to 10 s for it. The page redraws its
/// panels as data arrives, so an element found may be replaced before its text is read: then
/// it is looked up again.
async fn text_of(b: &Browser, css: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let element = b.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
        match element.text().await {
            Ok(text) => return text,
            Err(e) if Instant::now() < deadline && e.to_string().contains("stale element") => tokio::time::sleep(Duration::from_millis(50)).await,
            Err(e) => panic!("{css}: {e}"),
        }
    }
}

async fn run_js(b: &Browser, script: &str) -> Value {
    b.client.execute(script, vec![]).await.unwrap()
}

/// Waits until the map stands still with every source loaded (at most 10 s).
async fn settle(b: &Browser) {
    tokio::time::sleep(Duration::from_millis(150)).await;
    let script = "const done = arguments[arguments.length - 1]; const m = window.sitrepMap; const t0 = Date.now();
        (function check() { if ((m.loaded() && !m.isMoving()) || Date.now() - t0 > 10000) requestAnimationFrame(() => done(m.loaded())); else setTimeout(check, 50); })();";
    let loaded = b.client.execute_async(script, vec![]).await.unwrap();
    assert_eq!(loaded, json!(true), "the map settles within 10 s");
}

/// Where a point of the map is in the window, in CSS pixels.
async fn screen_point(b: &Browser, lon: f64, lat: f64) -> (f64, f64) {
    let p = run_js(
        b,
        &format!(
            "const r = document.getElementById('map').getBoundingClientRect(); const p = sitrepMap.project([{lon}, {lat}]); return [r.left + p.x, r.top + p.y]"
        ),
    )
    .await;
    (p[0].as_f64().unwrap(), p[1].as_f64().unwrap())
}

/// A real click of the mouse at a point of the window.
async fn click_at(b: &Browser, (x, y): (f64, f64)) {
    let mouse = MouseActions::new("mouse".into())
        .then(PointerAction::MoveTo { duration: None, x: x.round(), y: y.round() })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    b.client.perform_actions(mouse).await.unwrap();
    b.client.release_actions().await.unwrap();
}

/// The ids of the events that pass the page's filters and timeline, sorted.
async fn shown(b: &Browser) -> Vec<i64> {
    let ids = run_js(b, "return state.shown.map((p) => p.id).sort((a, b) => a - b)").await;
    ids.as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect()
}

/// The ids of the points that satisfy `keep`, sorted.
fn expected(points: &[Value], keep: impl Fn(&Value) -> bool) -> Vec<i64> {
    let mut ids: Vec<i64> = points.iter().filter(|p| keep(p)).map(|p| p["id"].as_i64().unwrap()).collect();
    ids.sort_unstable();
    ids
}

async fn save_screenshot(b: &Browser, name: &str) {
    let png = b.client.screenshot().await.unwrap();
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&shot, &png).unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "a real screenshot ({} bytes)", png.len());
    eprintln!("screenshot: {}", shot.display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_map_clusters_selects_filters_and_keeps_the_view_in_its_link() {
    let addr = common::start(Some(example_store("map")), None);
    let (_, points) = common::request(addr, "GET", "/api/events/points", &[], b"");
    let points = common::points_of(&points);
    assert!(points.len() >= 6, "the examples give events to draw");
    let all = expected(&points, |_| true);
    let b = launch("map").await;
    open_page(&b, addr).await;
    settle(&b).await;
    assert_eq!(shown(&b).await, all, "every event is on the map at first");
    // Every shown event has a marker, and the events of one type at one point share theirs.
    let shared = run_js(
        &b,
        "const at = new Map(); let ok = state.shown.every((p) => state.markerOf.has(p.id));
        for (const p of state.shown) { const k = [p.lon, p.lat, p.event_type].join(); if (at.has(k) && at.get(k) !== state.markerOf.get(p.id)) ok = false; at.set(k, state.markerOf.get(p.id)); }
        return [ok, at.size, state.shown.length]",
    )
    .await;
    assert_eq!(shared[0], json!(true), "markers: {shared}");
    // The first view holds the events placed better than an area.
    let fits = run_js(&b, "const b = sitrepMap.getBounds(); return state.points.filter((p) => p.precision < 4).every((p) => b.contains([p.lon, p.lat]))").await;
    assert_eq!(fits, json!(true));
    save_screenshot(&b, "sitrep-web-map.png").await;

    // Clustering: zoomed out, nearby events join; a click on a cluster zooms in to split it.
    run_js(&b, "sitrepMap.jumpTo({ center: [37.9, 49.0], zoom: 5 }); return 0").await;
    settle(&b).await;
    let cluster = run_js(
        &b,
        "const c = sitrepMap.queryRenderedFeatures({ layers: ['clusters'] }).sort((a, b) => b.properties.events - a.properties.events)[0];
        return c ? [c.geometry.coordinates[0], c.geometry.coordinates[1], c.properties.events] : null",
    )
    .await;
    assert!(cluster[2].as_u64().unwrap() >= 2, "events cluster at zoom 5: {cluster}");
    let at = screen_point(&b, cluster[0].as_f64().unwrap(), cluster[1].as_f64().unwrap()).await;
    click_at(&b, at).await;
    settle(&b).await;
    let zoom = run_js(&b, "return sitrepMap.getZoom()").await.as_f64().unwrap();
    assert!(zoom > 5.5, "a click on a cluster zooms in to expand it (zoom {zoom})");

    // A click selects the marker under the cursor, each of two markers in turn (past zoom 11
    // nothing clusters).
    let precise: Vec<&Value> = points.iter().filter(|p| p["precision"].as_i64().unwrap_or(1) < 4).take(2).collect();
    for p in precise {
        let id = p["id"].as_i64().unwrap();
        run_js(&b, &format!("sitrepMap.jumpTo({{ center: [{}, {}], zoom: 12 }}); return 0", p["lon"], p["lat"])).await;
        settle(&b).await;
        click_at(&b, screen_point(&b, p["lon"].as_f64().unwrap(), p["lat"].as_f64().unwrap()).await).await;
        // Events told at the very same point lie on top of each other: the one drawn on top
        // is selected and the panel lists the others.
        let same_point = expected(&points, |q| q["lat"] == p["lat"] && q["lon"] == p["lon"]);
        let deadline = Instant::now() + Duration::from_secs(10);
        let selected = loop {
            let selected = run_js(&b, "return state.selected").await.as_i64();
            if selected.is_some_and(|s| same_point.contains(&s)) {
                break selected.unwrap();
            }
            assert!(Instant::now() < deadline, "the click selected the marker under it, one of {same_point:?}, not {selected:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        while !text_of(&b, "#event-title").await.contains(p["place_name"].as_str().unwrap()) {
            assert!(Instant::now() < deadline, "the panel shows event {selected}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if selected != id {
            b.client.find(Locator::Css(&format!("#tab-event a[data-event='{id}']"))).await.expect("the others at the point are listed");
        }
    }
    run_js(&b, "sitrepMap.jumpTo({ center: [37.95, 49.02], zoom: 8 }); return 0").await;
    settle(&b).await;

    // The wheel zooms about the cursor: the place under it stays under it.
    let (x, y) = screen_point(&b, 37.8, 48.9).await;
    let before = run_js(&b, "return sitrepMap.getZoom()").await.as_f64().unwrap();
    let wheel =
        WheelActions::new("wheel".into()).then(WheelAction::Scroll { duration: None, x: x.round() as i64, y: y.round() as i64, delta_x: 0, delta_y: -400 });
    b.client.perform_actions(wheel).await.unwrap();
    settle(&b).await;
    let after = run_js(&b, "return sitrepMap.getZoom()").await.as_f64().unwrap();
    assert!(after > before + 0.3, "the wheel zoomed in ({before} -> {after})");
    let (x2, y2) = screen_point(&b, 37.8, 48.9).await;
    assert!((x2 - x).abs() < 3.0 && (y2 - y).abs() < 3.0, "the point under the cursor stayed there: ({x}, {y}) -> ({x2}, {y2})");

    // Every filter narrows the map, the table and the timeline to what it says.
    run_js(&b, "sitrepMap.jumpTo({ center: [37.5, 49.0], zoom: 5 }); return 0").await;
    settle(&b).await;
    b.client.find(Locator::Css("#legend button[data-type='battle']")).await.unwrap().click().await.unwrap();
    assert_eq!(shown(&b).await, expected(&points, |p| p["event_type"] != "battle"), "the legend hides a type");
    b.client.find(Locator::Css("#legend button[data-type='battle']")).await.unwrap().click().await.unwrap();
    assert_eq!(shown(&b).await, all);
    let select = |id: &'static str, value: &'static str| {
        let b = &b;
        async move { b.client.find(Locator::Css(&format!("#{id}"))).await.unwrap().select_by_value(value).await.unwrap() }
    };
    select("f-side", "UA").await;
    let ua = expected(&points, |p| p["side"] == "UA");
    assert!(!ua.is_empty() && ua.len() < all.len());
    assert_eq!(shown(&b).await, ua, "side");
    select("f-side", "").await;
    select("f-certainty", "denied").await;
    assert_eq!(shown(&b).await, expected(&points, |p| p["certainties"].as_array().unwrap().iter().any(|c| c == "denied")), "certainty");
    select("f-certainty", "").await;
    select("f-precision", "2").await;
    assert_eq!(shown(&b).await, expected(&points, |p| p["precision"].as_i64().unwrap_or(1) <= 2), "precision");
    select("f-precision", "area").await;
    assert_eq!(shown(&b).await, expected(&points, |p| p["precision"].as_i64().unwrap_or(1) >= 4), "areas only");
    select("f-precision", "").await;
    let has_claimant = |p: &Value, words: &str| p["claimants"].as_array().unwrap().iter().any(|c| c.as_str().unwrap().to_lowercase().contains(words));
    b.client.find(Locator::Css("#f-claimant")).await.unwrap().send_keys("general staff").await.unwrap();
    let by_claimant = expected(&points, |p| has_claimant(p, "general staff"));
    assert!(!by_claimant.is_empty());
    assert_eq!(shown(&b).await, by_claimant, "claimant");
    b.client.find(Locator::Css("#f-claimant")).await.unwrap().clear().await.unwrap();
    run_js(&b, "document.getElementById('f-claimant').dispatchEvent(new Event('input')); return 0").await;
    b.client.find(Locator::Css("#f-text")).await.unwrap().send_keys("Lyman").await.unwrap();
    assert_eq!(
        shown(&b).await,
        expected(&points, |p| p["place_name"].as_str().unwrap_or_default().to_lowercase().contains("lyman") || has_claimant(p, "lyman")),
        "free text"
    );
    b.client.find(Locator::Css("#f-text")).await.unwrap().clear().await.unwrap();
    run_js(&b, "document.getElementById('f-text').dispatchEvent(new Event('input')); return 0").await;
    b.client.find(Locator::Css("#toggle-areas")).await.unwrap().click().await.unwrap();
    assert_eq!(shown(&b).await, expected(&points, |p| p["precision"].as_i64().unwrap_or(1) < 4), "areas hidden with one click");
    b.client.find(Locator::Css("#toggle-areas")).await.unwrap().click().await.unwrap();
    assert_eq!(shown(&b).await, all);

    // The timeline: a drag over the last day's bar keeps that day's events in the map, the
    // table and the disagreements.
    let days: Vec<String> = {
        let mut d: Vec<String> = points.iter().filter_map(|p| p["date_to"].as_str().map(str::to_owned)).collect();
        d.sort();
        d
    };
    let last = days.last().unwrap().clone();
    let bar = run_js(&b, &format!("const r = document.querySelector('#histogram rect.bar[data-day=\"{last}\"]').getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]")).await;
    let (bx, by) = (bar[0].as_f64().unwrap(), bar[1].as_f64().unwrap());
    let drag = MouseActions::new("mouse".into())
        .then(PointerAction::MoveTo { duration: None, x: bx.round(), y: by.round() })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::MoveTo { duration: Some(Duration::from_millis(100)), x: bx.round() + 2.0, y: by.round() })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    b.client.perform_actions(drag).await.unwrap();
    b.client.release_actions().await.unwrap();
    assert_eq!(run_js(&b, "return state.range").await, json!([last, last]), "the brush chose the last day");
    let on_last_day = expected(&points, |p| p["date_to"].as_str().is_none_or(|d| d == last.as_str()));
    assert!(on_last_day.len() < all.len());
    assert_eq!(shown(&b).await, on_last_day, "the timeline filters the map");
    b.client.find(Locator::Css("button[data-tab='table']")).await.unwrap().click().await.unwrap();
    let rows = run_js(&b, "return [...document.querySelectorAll('#events-table tbody tr')].map((tr) => Number(tr.dataset.event)).sort((a, b) => a - b)").await;
    let rows: Vec<i64> = rows.as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
    assert!(!rows.is_empty() && rows.iter().all(|id| on_last_day.contains(id)), "the table holds only the chosen days: {rows:?} of {on_last_day:?}");
    // Sorting by a column.
    b.client.find(Locator::Css("#events-table th[data-sort='place']")).await.unwrap().click().await.unwrap();
    let places = run_js(&b, "return [...document.querySelectorAll('#events-table tbody tr td:nth-child(3)')].map((td) => td.textContent)").await;
    let places: Vec<String> = places.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
    assert!(places.windows(2).all(|w| w[0] <= w[1]), "sorted by place: {places:?}");
    b.client.find(Locator::Css("button[data-tab='disagreements']")).await.unwrap().click().await.unwrap();
    let first_day_only = text_of(&b, "#tab-disagreements").await;
    assert!(!first_day_only.contains("depth of advance"), "a disagreement of an earlier report is filtered out: {first_day_only}");
    b.client.find(Locator::Css("#clear-range")).await.unwrap().click().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !text_of(&b, "#tab-disagreements").await.contains("depth of advance") {
        assert!(Instant::now() < deadline, "all dates bring the disagreement back");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(shown(&b).await, all);

    // A link reproduces the view: camera, filters, dates and the selected event.
    select("f-side", "UA").await;
    let ua_point = points.iter().find(|p| p["side"] == "UA").unwrap();
    let ua_id = ua_point["id"].as_i64().unwrap();
    run_js(&b, &format!("sitrepMap.jumpTo({{ center: [{}, {}], zoom: 7.5 }}); selectEvent({ua_id}); return 0", ua_point["lon"], ua_point["lat"])).await;
    settle(&b).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    save_screenshot(&b, "sitrep-web-map-filtered.png").await;
    let view = "const c = sitrepMap.getCenter(); return [Number(c.lng.toFixed(3)), Number(c.lat.toFixed(3)), Number(sitrepMap.getZoom().toFixed(2)), state.side, state.selected, document.getElementById('f-side').value]";
    let before = run_js(&b, view).await;
    let link = b.client.current_url().await.unwrap();
    assert!(link.fragment().is_some_and(|f| f.contains("side=UA") && f.contains(&format!("event={ua_id}"))), "{link}");
    b.client.goto("about:blank").await.unwrap();
    b.client.goto(link.as_str()).await.unwrap();
    b.client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css("body[data-ready='true']")).await.unwrap();
    settle(&b).await;
    assert_eq!(run_js(&b, view).await, before, "the link reproduced the view");
    assert_eq!(shown(&b).await, ua, "and its filters");
    assert!(text_of(&b, "#event-title").await.contains(ua_point["place_name"].as_str().unwrap()), "and its selected event");

    // Export: exactly the events shown in the view, as GeoJSON and as CSV.
    run_js(&b, "sitrepMap.jumpTo({ center: [37.5, 49.0], zoom: 4 }); return 0").await;
    settle(&b).await;
    let geojson: Value = serde_json::from_str(run_js(&b, "return sitrepExport('geojson')").await.as_str().unwrap()).unwrap();
    let mut exported: Vec<i64> = geojson["features"].as_array().unwrap().iter().map(|f| f["properties"]["id"].as_i64().unwrap()).collect();
    exported.sort_unstable();
    assert_eq!(exported, ua, "the GeoJSON export holds the filtered events in view");
    let csv = run_js(&b, "return sitrepExport('csv')").await.as_str().unwrap().to_owned();
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("id,event_type,side"));
    let mut ids: Vec<i64> = lines.map(|l| l.split(',').next().unwrap().parse().unwrap()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ua, "so does the CSV");
    b.client.find(Locator::Css("#export-csv")).await.unwrap().click().await.unwrap();

    // The phone layout: the map above the panel.
    b.client.set_window_size(390, 844).await.unwrap();
    b.client.refresh().await.unwrap();
    b.client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css("body[data-ready='true']")).await.unwrap();
    settle(&b).await;
    let stacked = run_js(&b, "const m = document.getElementById('map-pane').getBoundingClientRect(), p = document.getElementById('panel').getBoundingClientRect(); return p.top >= m.bottom - 1 && m.width > 300").await;
    assert_eq!(stacked, json!(true), "on a phone the panel sits under the map");
    save_screenshot(&b, "sitrep-web-map-phone.png").await;

    // The report view: places, numbers and claims marked.
    b.client.set_window_size(1400, 900).await.unwrap();
    b.client.find(Locator::Css("button[data-tab='reports']")).await.unwrap().click().await.unwrap();
    b.client.wait().for_element(Locator::Css("#tab-reports a[data-report]")).await.unwrap().click().await.unwrap();
    b.client.wait().for_element(Locator::Css("#report-text mark.place")).await.expect("places are marked in the report");
    let marks =
        run_js(&b, "return [document.querySelectorAll('#report-text mark.place').length, document.querySelectorAll('#report-text .claim').length]").await;
    assert!(marks[0].as_u64().unwrap() >= 2 && marks[1].as_u64().unwrap() >= 1, "{marks}");
    b.client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_control_layer_draws_what_the_control_api_answers() {
    // The examples hold states but no change of hands; one more report brings two.
    let db = example_store("control");
    let report = Report {
        id: "control-example".into(),
        published: chrono::NaiveDate::from_ymd_opt(2023, 1, 20),
        text: "Ukrainian units retook Dvorichna on January 19, the General Staff said.\n\n\
               Russia's defence ministry said its forces captured Soledar on January 16. Ukraine denied it."
            .into(),
        ..Report::default()
    };
    Store::open_sqlite(&db).unwrap().ingest(&report.text, &Reader::new(common::gazetteer()).read(&report)).unwrap();
    let addr = common::start(Some(db), None);
    let (status, states) = common::request(addr, "GET", "/api/control", &[], b"");
    assert_eq!(status, 200, "{states}");
    let (status, changes) = common::request(addr, "GET", "/api/control/changes", &[], b"");
    assert_eq!(status, 200, "{changes}");
    let settlements = states["settlements"].as_array().unwrap();
    assert!(!settlements.is_empty(), "the examples say who holds some settlements: {states}");
    // (name, state, disputed) of every settlement, as the API gives them.
    let mut want: Vec<(String, String, bool)> = settlements
        .iter()
        .map(|s| (s["place"]["name"].as_str().unwrap().to_owned(), s["state"].as_str().unwrap().to_owned(), s["disputed"].as_bool().unwrap()))
        .collect();
    want.sort();

    let b = launch("control").await;
    open_page(&b, addr).await;
    settle(&b).await;
    // Off, the layer is not even in the map: its sources are not loaded with the first view.
    let made = run_js(
        &b,
        "return [sitrepMap.getSource('control-states'), sitrepMap.getSource('control-changes'), sitrepMap.getLayer('control-states')].filter(Boolean).length",
    )
    .await;
    assert_eq!(made, json!(0), "the control layer's sources and layers are made only when it is turned on");
    let hidden = run_js(&b, "return sitrepMap.getLayer('control-states') ? sitrepMap.queryRenderedFeatures({ layers: ['control-states'] }).length : 0").await;
    assert_eq!(hidden, json!(0), "the layer is off until asked for");
    b.client.find(Locator::Css("#toggle-control")).await.unwrap().click().await.unwrap();
    b.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#toggle-control[data-states]")).await.expect("the layer loads");
    // Every settlement in view, drawn with the state and dispute the API gives it.
    let bounds: Vec<[f64; 2]> = settlements.iter().map(|s| [s["place"]["lon"].as_f64().unwrap(), s["place"]["lat"].as_f64().unwrap()]).collect();
    run_js(&b, &format!("const b = new maplibregl.LngLatBounds(); for (const p of {}) b.extend(p); sitrepMap.fitBounds(b, {{ padding: 80, maxZoom: 9, duration: 0 }}); return 0", json!(bounds))).await;
    settle(&b).await;
    let drawn = run_js(
        &b,
        "const seen = new Map(); for (const f of sitrepMap.queryRenderedFeatures({ layers: ['control-states'] })) seen.set(f.properties.name, [f.properties.name, f.properties.state, f.properties.disputed]);
         return [...seen.values()]",
    )
    .await;
    let mut got: Vec<(String, String, bool)> =
        drawn.as_array().unwrap().iter().map(|f| (f[0].as_str().unwrap().to_owned(), f[1].as_str().unwrap().to_owned(), f[2].as_bool().unwrap())).collect();
    got.sort();
    assert_eq!(got, want, "the layer draws each settlement in the state the API says");
    // Each settlement in its side's colour, and a disputed state outlined.
    let paint = run_js(
        &b,
        "const f = sitrepMap.queryRenderedFeatures({ layers: ['control-states'] }); const layer = sitrepMap.getLayer('control-states');
         return f.map((x) => [x.properties.state, layer.paint.get('circle-color').evaluate(x, {}).toString(), layer.paint.get('circle-stroke-width').evaluate(x, {})])",
    )
    .await;
    // The sides' colours, as `sitrep map --control` draws them (#1f6fd1, #d12f2f, #e0a020).
    for p in paint.as_array().unwrap() {
        let want = match p[0].as_str().unwrap() {
            "UA" => "rgba(31,111,209,1)",
            "RU" => "rgba(209,47,47,1)",
            _ => "rgba(224,160,32,1)",
        };
        assert_eq!(p[1].as_str().unwrap(), want, "{paint}");
    }
    let outlined: Vec<bool> = paint.as_array().unwrap().iter().map(|p| p[2].as_f64().unwrap() > 0.0).collect();
    let disputed: Vec<bool> = run_js(&b, "return sitrepMap.queryRenderedFeatures({ layers: ['control-states'] }).map((x) => x.properties.disputed)")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_bool().unwrap())
        .collect();
    assert_eq!(outlined, disputed, "exactly the disputed states are outlined");
    // The changes of hands, ringed: as many settlements as the API has changes at.
    let mut changed: Vec<&str> = changes["changes"].as_array().unwrap().iter().map(|c| c["place"]["name"].as_str().unwrap()).collect();
    changed.sort_unstable();
    changed.dedup();
    let rings = run_js(&b, "return [...new Set(sitrepMap.queryRenderedFeatures({ layers: ['control-changes'] }).map((f) => f.properties.name))].sort()").await;
    assert!(!changed.is_empty(), "{changes}");
    assert_eq!(rings, json!(changed), "each change of hands is ringed");
    // The layer alone in the screenshot: the legend hides every event type.
    let types = run_js(&b, "return [...document.querySelectorAll('#legend button[data-type]')].map((b) => b.dataset.type)").await;
    for t in types.as_array().unwrap() {
        b.client.find(Locator::Css(&format!("#legend button[data-type='{}']", t.as_str().unwrap()))).await.unwrap().click().await.unwrap();
    }
    settle(&b).await;
    assert_eq!(shown(&b).await, Vec::<i64>::new());
    save_screenshot(&b, "sitrep-web-map-control.png").await;
    // Off again: nothing drawn.
    b.client.find(Locator::Css("#toggle-control")).await.unwrap().click().await.unwrap();
    settle(&b).await;
    assert_eq!(run_js(&b, "return sitrepMap.queryRenderedFeatures({ layers: ['control-states', 'control-changes'] }).length").await, json!(0));
    b.client.clone().close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markup_in_a_posted_report_never_runs() {
    let dir = TempDir::new("xss-store");
    let addr = common::start(Some(dir.0.join("xss.db")), Some("secret"));
    let hostile = "Russian forces shelled Kupiansk on Monday, the governor said. <script>window.__xss = 'script'</script>\n\
                   The strike <img src=x onerror=\"window.__xss = 'onerror'\"> damaged <b onmouseover=\"window.__xss='b'\">a bridge</b>.";
    let title = "%3Cimg%20src%3Dx%20onerror%3D%22window.__xss%3D%27title%27%22%3E";
    let (status, body) =
        common::request(addr, "POST", &format!("/api/reports?published=2023-01-17&title={title}"), &["Authorization: Bearer secret"], hostile.as_bytes());
    assert_eq!(status, 200, "{body}");
    assert!(body["events"].as_u64().unwrap() >= 1, "the hostile report still gives an event to click: {body}");

    let b = launch("xss").await;
    open_page(&b, addr).await;
    settle(&b).await;
    let only = run_js(&b, "const p = state.points[0]; return [p.lon, p.lat]").await;
    run_js(&b, &format!("sitrepMap.jumpTo({{ center: [{}, {}], zoom: 9 }}); return 0", only[0], only[1])).await;
    settle(&b).await;
    click_at(&b, screen_point(&b, only[0].as_f64().unwrap(), only[1].as_f64().unwrap()).await).await;
    b.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#tab-event a[data-report]")).await.unwrap();
    let panel = text_of(&b, "#tab-event").await;
    assert!(panel.contains("shelled Kupiansk"), "{panel}");
    b.client.find(Locator::Css("#tab-event a[data-report]")).await.unwrap().click().await.unwrap();
    let report = text_of(&b, "#report-text").await;
    assert!(report.contains("<script>window.__xss = 'script'</script>"), "the markup is shown as text: {report}");
    assert!(report.contains("onerror="), "{report}");
    let title = text_of(&b, "#report-title").await;
    assert!(title.starts_with("<img"), "the headline is shown as text: {title}");
    b.client.find(Locator::Css("button[data-tab='reports']")).await.unwrap().click().await.unwrap();
    b.client.wait().for_element(Locator::Css("#tab-reports a[data-report]")).await.unwrap();
    // Let anything that could fire (an image's error handler) fire.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let verdict = run_js(&b, "return [typeof window.__xss, document.querySelectorAll('main img, main script, main b').length]").await;
    assert_eq!(verdict, json!(["undefined", 0]), "no markup from the report became an element, and none ran");
    b.client.clone().close().await.unwrap();
}
