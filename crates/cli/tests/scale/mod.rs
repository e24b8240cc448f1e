//! What the scale-out tests share: databases of their own on the local PostgreSQL, streams of
//! their own on the local NATS server, made-up reports, and workers run as processes.
#![allow(dead_code)] // each test binary uses a part of this module

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// The NATS server the tests use (`SITREP_TEST_NATS`; `.ci/run` starts one with JetStream).
pub fn nats_server() -> String {
    std::env::var("SITREP_TEST_NATS").unwrap_or_else(|_| "nats://127.0.0.1:4222".into())
}

/// A name unique to this test run.
pub fn unique(name: &str) -> String {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("sitrep_{name}_{}_{nanos}", std::process::id())
}

/// A PostgreSQL database of its own, dropped at the end.
pub struct Database {
    /// Where a store connects to it.
    pub url: String,
    _store: sitrep_store::testing::TestStore,
}

impl Database {
    pub fn new(name: &str) -> Database {
        let store = sitrep_store::testing::TestStore::new("postgres", &unique(name));
        Database { url: store.location.clone(), _store: store }
    }

    /// Reports, events, tellings and claims stored, or None while the server is down.
    pub fn counts(&self) -> Option<[i64; 4]> {
        let mut c = postgres::Client::connect(&self.url, postgres::NoTls).ok()?;
        let row = c
            .query_one(
                "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM events), (SELECT count(*) FROM event_sources), (SELECT count(*) FROM claims)",
                &[],
            )
            .ok()?;
        Some([row.get(0), row.get(1), row.get(2), row.get(3)])
    }
}

/// A directory of its own, removed at the end.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(unique(name));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `n` distinct made-up reports as JSON lines: shelling, advances and claims about towns of
/// eastern Ukraine, each naming its outlet.
pub fn write_reports(path: &Path, n: usize) {
    let towns = ["Kupiansk", "Izyum", "Bakhmut", "Kherson", "Lyman", "Svatove", "Kreminna", "Avdiivka"];
    let mut out = String::new();
    for i in 0..n {
        let (town, other) = (towns[i % towns.len()], towns[(i / 3 + 2) % towns.len()]);
        let text = format!(
            "Russian artillery shelled {town} on Tuesday, the regional governor said. \
             Ukrainian forces advanced {} kilometres east of {other}, the General Staff said in report {i}. \
             Russia's defence ministry denied any losses near {other}.",
            2 + i % 9
        );
        out.push_str(&serde_json::json!({ "id": format!("r{i}"), "text": text, "source": format!("Outlet {}", i % 7), "published": "2023-01-18" }).to_string());
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

/// Runs `sitrep args` to the end; panics with its output if it fails.
pub fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_sitrep")).args(args).env_remove("SITREP_GAZETTEER").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "sitrep {args:?} failed: {stderr}");
    stderr
}

/// Starts `sitrep worker` on `stream` into `db`, its standard error written to `log`.
pub fn start_worker(stream: &str, db: &str, log: &Path, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(["worker", "--nats", &nats_server(), "--stream", stream, "--db", db, "--ack-wait", "3", "--batch", "32"])
        .args(extra)
        .env_remove("SITREP_GAZETTEER")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).unwrap())
        .spawn()
        .unwrap()
}

/// Waits until `done` holds, or panics after `limit`.
pub fn wait_for(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "gave up waiting {} s for {what}", limit.as_secs());
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Waits for a worker to exit by itself; returns whether it succeeded.
pub fn wait_exit(child: &mut Child, limit: Duration) -> bool {
    let mut status = None;
    wait_for("the worker to finish", limit, || {
        status = child.try_wait().unwrap();
        status.is_some()
    });
    status.unwrap().success()
}

/// A JetStream stream name of its own; the stream is deleted at the end.
pub struct TestStream(pub String);

impl TestStream {
    pub fn new(name: &str) -> TestStream {
        TestStream(unique(name).to_uppercase())
    }
}

impl Drop for TestStream {
    fn drop(&mut self) {
        if let Ok(runtime) = tokio::runtime::Runtime::new() {
            runtime.block_on(async {
                if let Ok(js) = sitrep_queue::connect(&nats_server()).await {
                    let _ = js.delete_stream(&self.0).await;
                }
            });
        }
    }
}
