//! `sitrep-bench map`: the web map at scale. A store of `--events` events (100,000 by default)
//! is written through the store's one write path from news-like reports: one report of four
//! sentences of different kinds is read, and its reading is copied with its events moved to
//! the gazetteer's settlements of eastern Ukraine and spread over a year (the reader cannot be
//! made to name tens of thousands of villages apart). Then, with the API on loopback:
//! `/api/events` for one week in one oblast (p99 and gzip bytes), and in headless Chromium
//! (SwiftShader WebGL) the first meaningful view and the frame times of a pan and a zoom, with
//! the processor time Chromium's renderer and GPU process spent on each view and frame.

use std::{
    collections::HashMap,
    net::{SocketAddr, TcpListener, TcpStream},
    path::Path,
    process::{Command, ExitCode, Stdio},
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use fantoccini::{ClientBuilder, Locator};
use serde_json::{json, Value};
use sitrep_gazetteer::{Feature, Gazetteer};
use sitrep_read::{Reader, Report};
use sitrep_store::{ingest::BATCH, Prepared, Store};

use crate::{get_body, percentile, start_server};

/// Events each made-up report carries.
const EVENTS_PER_REPORT: usize = 10;

/// The news-like report whose reading is copied: four sentences, four kinds of event.
const TEMPLATE: &str = "Russian artillery shelled Kupiansk on Monday, the regional governor said. \
    Ukrainian forces repelled an attack near Bakhmut on Monday, the General Staff said. \
    A Russian drone strike hit Kherson on Monday, officials said. \
    Russian troops withdrew from positions near Lyman on Monday, according to a military analyst.";

/// Donetsk oblast, roughly: the box of the one-oblast request.
const DONETSK: &str = "47.0,36.6,49.2,39.0";

/// Runs the benchmark on the store `db` (kept), or on one in a directory of its own, removed
/// afterwards.
pub fn map(gaz: &'static Gazetteer, events: usize, seconds: f64, db: Option<&Path>) -> Result<ExitCode> {
    if let Some(db) = db {
        return map_on(gaz, db, events, seconds);
    }
    let dir = std::env::temp_dir().join(format!("sitrep-bench-map-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let outcome = map_on(gaz, &dir.join("map.db"), events, seconds);
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}

fn map_on(gaz: &'static Gazetteer, db: &Path, events: usize, seconds: f64) -> Result<ExitCode> {
    let started = Instant::now();
    let stored = fill(gaz, db, events)?;
    println!("a store of {stored} events, made or found in {:.1} s", started.elapsed().as_secs_f64());
    let addr = start_server(gaz, db)?;

    // One week in one oblast, gzip, one request at a time on a keep-alive connection.
    let mut stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    let mut reader = std::io::BufReader::new(stream.try_clone()?);
    let week_of = |week: u64| -> Result<String> {
        let from = NaiveDate::from_ymd_opt(2023, 1, 2).context("a date")? + chrono::Days::new(7 * (week % 50));
        Ok(format!("/api/events?bbox={DONETSK}&from={from}&to={}&limit={}", from + chrono::Days::new(6), sitrep_serve::MAX_PAGE))
    };
    let (_, first_week) = get_body(&mut stream, &mut reader, &week_of(0)?, false)?;
    let found = serde_json::from_slice::<Value>(&first_week)?["total"].as_u64().unwrap_or(0);
    let (mut times, mut bytes) = (Vec::new(), Vec::new());
    let started = Instant::now();
    let mut week = 0u64;
    while started.elapsed().as_secs_f64() < seconds {
        let path = week_of(week)?;
        let t = Instant::now();
        let (status, body) = get_body(&mut stream, &mut reader, &path, true)?;
        if status != 200 {
            bail!("{path} answered {status}");
        }
        times.push(t.elapsed());
        bytes.push(body.len());
        week += 1;
    }
    times.sort_unstable();
    bytes.sort_unstable();
    println!(
        "GET /api/events, one week in Donetsk oblast ({found} events in the first week): {} requests, p50 {:.2} ms, p99 {:.2} ms   [target p99 < 30 ms]; gzip {:.1} KB median, {:.1} KB largest   [target < 200 KB]",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        bytes[bytes.len() / 2] as f64 / 1e3,
        bytes[bytes.len() - 1] as f64 / 1e3,
    );
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(browser(addr))?;
    Ok(ExitCode::SUCCESS)
}

/// Adds to the store until it holds at least `events` events: copies of the template's reading, `EVENTS_PER_REPORT` a
/// report, each at a settlement of eastern Ukraine on a day of 2023. Returns the events stored.
fn fill(gaz: &Gazetteer, db: &Path, events: usize) -> Result<i64> {
    let reader = Reader::new(gaz);
    let template = reader.read(&Report { id: "template".into(), published: NaiveDate::from_ymd_opt(2023, 1, 2), text: TEMPLATE.into(), ..Report::default() });
    if template.events.len() < 3 {
        bail!("the template report gave {} events, not 4", template.events.len());
    }
    let towns: Vec<sitrep_gazetteer::Place<'_>> =
        gaz.places().filter(|p| p.feature() == Feature::City && p.country_code() == "UA" && p.point().lon > 33.0).collect();
    if towns.is_empty() {
        bail!("the gazetteer has no settlements of eastern Ukraine");
    }
    let mut store = Store::open_sqlite(db)?;
    let first = NaiveDate::from_ymd_opt(2023, 1, 1).context("a date")?;
    // Events of one type, place and week merge as the store's rules say: reports are added a
    // batch at a time until the store holds the events asked for.
    let mut next = 0;
    while usize::try_from(store.counts()?.events).unwrap_or(0) < events {
        let chunk: Vec<usize> = (next..next + BATCH).collect();
        next += BATCH;
        let batch: Vec<Prepared> = chunk
            .iter()
            .map(|&n| {
                let mut reading = template.clone();
                reading.id = format!("map-{n}");
                reading.control.clear();
                // The report names each event's town (the store keeps every place it names).
                let named = reading.places.first().cloned().context("the template names places")?;
                reading.places.clear();
                reading.events = (0..EVENTS_PER_REPORT)
                    .map(|k| {
                        let i = n * EVENTS_PER_REPORT + k;
                        let mut e = template.events[i % template.events.len()].clone();
                        // A stride through the towns that is prime to their number spreads them.
                        let town = &towns[i.wrapping_mul(7919) % towns.len()];
                        let day = first + chrono::Days::new((i as u64 * 31) % 365);
                        if let Some(place) = e.place.as_mut() {
                            place.id = town.id();
                            place.name = town.name().to_owned();
                            place.lat = town.point().lat;
                            place.lon = town.point().lon;
                        }
                        if !reading.places.iter().any(|p| p.id == town.id()) {
                            reading.places.push(sitrep_read::PlaceReading {
                                id: town.id(),
                                name: town.name().to_owned(),
                                admin1: town.admin1().map(|a| a.display_name().to_owned()),
                                lat: town.point().lat,
                                lon: town.point().lon,
                                ..named.clone()
                            });
                        }
                        if let Some(date) = e.date.as_mut() {
                            date.from = day;
                            date.to = day;
                        }
                        e
                    })
                    .collect();
                Ok(Prepared::new(format!("{TEMPLATE} (report {n})"), reading)?)
            })
            .collect::<Result<_>>()?;
        for outcome in store.ingest_batch(&batch)? {
            outcome?;
        }
    }
    Ok(store.counts()?.events)
}

/// Processor seconds used so far by each of Chromium's renderer and GPU processes that are
/// descendants of `driver` (chromedriver), by process id (Linux only: empty elsewhere). On a
/// machine other work shares, these say what the page cost where its wall times say little.
fn chromium_cpu(driver: u32) -> HashMap<u32, (Kind, f64)> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return HashMap::new() };
    let parents: HashMap<u32, u32> = entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // After the command's name in parentheses: the state, then the parent's id.
            Some((pid, stat[stat.rfind(')')? + 1..].split_whitespace().nth(1)?.parse().ok()?))
        })
        .collect();
    let descends = |mut pid: u32| {
        while let Some(&parent) = parents.get(&pid) {
            if parent == driver {
                return true;
            }
            pid = parent;
        }
        false
    };
    parents
        .keys()
        .filter(|&&pid| descends(pid))
        .filter_map(|&pid| {
            let cmdline = std::fs::read_to_string(format!("/proc/{pid}/cmdline")).ok()?;
            let kind = if cmdline.contains("--type=renderer") {
                Kind::Renderer
            } else if cmdline.contains("--type=gpu-process") {
                Kind::Gpu
            } else {
                return None;
            };
            Some((pid, (kind, crate::process_cpu_seconds(pid)?)))
        })
        .collect()
}

/// The Chromium processes whose processor time is counted.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// The page's: its main thread, MapLibre's workers and V8's compilers.
    Renderer,
    /// The GPU process: WebGL and compositing, drawn by SwiftShader on the processor.
    Gpu,
}

/// Milliseconds of processor time the renderers and the GPU process used between two
/// readings of [`chromium_cpu`] (a process started since counts whole; one ended since is not
/// seen).
fn cpu_since(now: &HashMap<u32, (Kind, f64)>, before: &HashMap<u32, (Kind, f64)>) -> [f64; 2] {
    let mut ms = [0.0; 2];
    for (pid, &(kind, secs)) in now {
        ms[usize::from(kind == Kind::Gpu)] += (secs - before.get(pid).map_or(0.0, |b| b.1)) * 1e3;
    }
    ms
}

/// The page in headless Chromium: time to the first meaningful view, then frame times.
async fn browser(addr: SocketAddr) -> Result<()> {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut driver = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting chromedriver (Debian's chromium-driver)")?;
    let driver_pid = driver.id();
    let outcome = async {
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if Instant::now() > deadline {
                bail!("chromedriver did not listen within 30 s");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let args = ["--headless=new", "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--window-size=1400,900", "--disable-background-networking"];
        let Value::Object(caps) = json!({ "browserName": "chrome", "goog:chromeOptions": { "args": args } }) else { unreachable!() };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new()).capabilities(caps).connect(&format!("http://127.0.0.1:{port}")).await?;
        // Each view: when it was drawn and idle, and when each of its stages ended.
        let stages = "const at = {}; for (const r of performance.getEntriesByType('resource')) if (r.name.includes('/api/events/points')) at['points received'] = r.responseEnd;
            for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('sitrep:')) at[m.name.slice(7)] = m.startTime;
            at['drawn and idle'] = Number(document.body.dataset.readyMs); return at;";
        let mut views: Vec<(f64, serde_json::Map<String, Value>)> = Vec::new();
        let mut processor = Vec::new();
        for _ in 0..3 {
            client.goto("about:blank").await?;
            let before = chromium_cpu(driver_pid);
            client.goto(&format!("http://{addr}/")).await?;
            client.wait().at_most(Duration::from_secs(60)).for_element(Locator::Css("body[data-ready='true']")).await?;
            processor.push(cpu_since(&chromium_cpu(driver_pid), &before));
            let Value::Object(at) = client.execute(stages, vec![]).await? else { bail!("the page gave no stage times") };
            views.push((at.get("drawn and idle").and_then(Value::as_f64).unwrap_or(f64::NAN), at));
        }
        // The first view is the cold one: the server works the points answer out (it keeps it
        // until a report is stored) and the browser's cache is empty.
        let in_order: Vec<String> = views.iter().map(|v| format!("{:.0}", v.0)).collect();
        views.sort_by(|a, b| a.0.total_cmp(&b.0));
        println!(
            "first meaningful view (page, script, {} events, basemap, drawn and idle), headless Chromium, SwiftShader: {:.0} ms median of 3 ({:.0}-{:.0}; in order {}, the first cold)   [target < 1,500 ms]",
            client.execute("return state.points.length", vec![]).await?,
            views[1].0,
            views[0].0,
            views[2].0,
            in_order.join(", ")
        );
        println!(
            "  processor time of each view, in order (renderer: page, MapLibre's workers and V8's compilers; GPU process: SwiftShader): {}",
            processor.iter().map(|[r, g]| format!("{r:.0} + {g:.0} ms")).collect::<Vec<_>>().join(", ")
        );
        let mut stages: Vec<(&String, f64)> = views[1].1.iter().map(|(k, v)| (k, v.as_f64().unwrap_or(f64::NAN))).collect();
        stages.sort_by(|a, b| a.1.total_cmp(&b.1));
        println!("  the median view's stages, ms after navigation: {}", stages.iter().map(|(k, v)| format!("{k} {v:.0}")).collect::<Vec<_>>().join(", "));
        // The points answer the page loaded (the basemap is fetched by MapLibre's worker, whose
        // requests the page's timeline does not list).
        let sizes = client
            .execute(
                "return performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/events/points')).reduce((s, r) => [s[0] + r.decodedBodySize, s[1] + r.encodedBodySize], [0, 0])",
                vec![],
            )
            .await?;
        let mb = |v: &Value| v.as_f64().unwrap_or(f64::NAN) / 1e6;
        println!("  the points answer: {:.1} MB ({:.1} MB gzipped)", mb(&sizes[0]), mb(&sizes[1]));
        let script = "const done = arguments[arguments.length - 1]; const m = window.sitrepMap; const frames = []; let last = 0; let run = true;
            const tick = (t) => { if (last) frames.push(t - last); last = t; if (run) requestAnimationFrame(tick); };
            requestAnimationFrame(tick);
            m.panBy([300, 0], { duration: 1000 });
            setTimeout(() => m.zoomTo(m.getZoom() + 1.5, { duration: 1000 }), 1100);
            setTimeout(() => m.panBy([-300, 150], { duration: 1000 }), 2200);
            setTimeout(() => m.zoomTo(m.getZoom() - 1.5, { duration: 1000 }), 3300);
            setTimeout(() => { run = false; frames.sort((a, b) => a - b); done([frames[frames.length >> 1], frames[Math.floor(frames.length * 0.9)], frames.length]); }, 4400);";
        let before = chromium_cpu(driver_pid);
        let frames = client.execute_async(script, vec![]).await?;
        let [renderer, gpu] = cpu_since(&chromium_cpu(driver_pid), &before);
        println!(
            "pan and zoom, 4.4 s of animation: frame interval median {:.1} ms, p90 {:.1} ms over {} frames   [target median < 16 ms; an interval between animation frames is at least 16.7 ms at 60 Hz]",
            frames[0].as_f64().unwrap_or(f64::NAN),
            frames[1].as_f64().unwrap_or(f64::NAN),
            frames[2]
        );
        let count = frames[2].as_f64().unwrap_or(f64::NAN);
        println!(
            "  processor time over the animation: renderer {renderer:.0} ms, GPU process {gpu:.0} ms ({:.0} + {:.0} ms a frame)",
            renderer / count,
            gpu / count
        );
        client.close().await?;
        Ok(())
    }
    .await;
    let _ = driver.kill();
    let _ = driver.wait();
    outcome
}
