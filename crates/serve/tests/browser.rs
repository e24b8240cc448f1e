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

use fantoccini::{Client, ClientBuilder, Locator};
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
        "--disable-gpu".to_owned(),
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

async fn text_of(b: &Browser, css: &str) -> String {
    b.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}")).text().await.unwrap()
}

async fn run_js(b: &Browser, script: &str) -> Value {
    b.client.execute(script, vec![]).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_map_shows_events_and_a_click_opens_their_sources() {
    let addr = common::start(Some(example_store("map")), None);
    let (_, events) = common::request(addr, "GET", "/api/events", &[], b"");
    let events = events["events"].as_array().unwrap().clone();
    let b = launch("map").await;
    open_page(&b, addr).await;

    // One marker per located event, coloured by type and sized by sources.
    let located = events.iter().filter(|e| e["lat"].is_number()).count();
    let drawn = run_js(&b, "return document.querySelectorAll('#map circle.event').length").await;
    assert_eq!(drawn.as_u64(), Some(located as u64));
    let most = events.iter().max_by_key(|e| e["sources"].as_array().unwrap().len()).unwrap();
    let least = events.iter().filter(|e| e["lat"].is_number()).min_by_key(|e| e["sources"].as_array().unwrap().len()).unwrap();
    assert!(most["sources"].as_array().unwrap().len() >= 2, "the examples tell one event twice");
    let radius = |id: &Value| format!("return Number(document.querySelector('circle.event[data-id=\"{id}\"]').getAttribute('r'))");
    let (big, small) = (run_js(&b, &radius(&most["id"])).await, run_js(&b, &radius(&least["id"])).await);
    assert!(big.as_f64().unwrap() > small.as_f64().unwrap(), "a marker told by more sources is bigger");

    // Click the marker on top at the place of the most-told event, then go to that event
    // through the panel's list of other events at the same place.
    let on_top = run_js(
        &b,
        &format!(
            "const c = document.querySelector('circle.event[data-id=\"{}\"]'); const r = c.getBoundingClientRect();
             return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2).getAttribute('data-id')",
            most["id"]
        ),
    )
    .await;
    let on_top = on_top.as_str().expect("a marker lies at the centre").to_owned();
    b.client.find(Locator::Css(&format!("circle.event[data-id=\"{on_top}\"]"))).await.unwrap().click().await.unwrap();
    let panel = text_of(&b, "#event-title").await;
    assert!(!panel.is_empty());
    if most["id"].as_i64().map(|id| id.to_string()).as_deref() != Some(on_top.as_str()) {
        b.client
            .find(Locator::Css(&format!("#tab-event a[data-event=\"{}\"]", most["id"])))
            .await
            .expect("other events at the place are listed")
            .click()
            .await
            .unwrap();
    }
    let panel = text_of(&b, "#tab-event").await;
    for s in most["sources"].as_array().unwrap() {
        let evidence = s["evidence"].as_str().unwrap();
        assert!(panel.contains(evidence), "the panel shows every telling: {evidence:?} in {panel:?}");
        if let Some(claimant) = s["claimant"].as_str() {
            assert!(panel.contains(claimant), "and its claimant {claimant:?}");
        }
        assert!(panel.contains(s["certainty"].as_str().unwrap()));
    }
    assert!(panel.contains(most["place_name"].as_str().unwrap()));

    let png = b.client.screenshot().await.unwrap();
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sitrep-web-map.png");
    std::fs::write(&shot, &png).unwrap();
    assert!(png.starts_with(b"\x89PNG") && png.len() > 20_000, "a real screenshot ({} bytes)", png.len());
    eprintln!("screenshot of the web map: {}", shot.display());

    // The timeline narrows the map to the days chosen.
    let before = run_js(&b, "return document.querySelectorAll('#map circle.event').length").await.as_u64().unwrap();
    run_js(&b, "const f = document.getElementById('from'); f.value = f.max; f.dispatchEvent(new Event('input')); return 0").await;
    let after = run_js(&b, "return document.querySelectorAll('#map circle.event').length").await.as_u64().unwrap();
    assert!(after < before, "only the last day's events remain ({after} of {before})");

    // The claim comparison table, and a report with its places, numbers and claims marked.
    b.client.find(Locator::Css("button[data-tab='disagreements']")).await.unwrap().click().await.unwrap();
    let table = text_of(&b, "#tab-disagreements table").await;
    assert!(table.contains("depth of advance") && table.contains("Ukraine's General Staff"), "{table}");
    b.client.find(Locator::Css("button[data-tab='reports']")).await.unwrap().click().await.unwrap();
    b.client.wait().for_element(Locator::Css("#tab-reports a[data-report]")).await.unwrap().click().await.unwrap();
    b.client.wait().for_element(Locator::Css("#report-text mark.place")).await.expect("places are marked in the report");
    let marks =
        run_js(&b, "return [document.querySelectorAll('#report-text mark.place').length, document.querySelectorAll('#report-text .claim').length]").await;
    assert!(marks[0].as_u64().unwrap() >= 2 && marks[1].as_u64().unwrap() >= 1, "{marks}");
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
    b.client.find(Locator::Css("#map circle.event")).await.unwrap().click().await.unwrap();
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
