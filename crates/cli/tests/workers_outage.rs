//! Workers wait out a PostgreSQL outage: the server is stopped while a worker is mid-stream
//! and started again; the worker backs off, holds its batch, resumes, and every report ends in
//! the store once. This stops the machine's PostgreSQL server for a few seconds, so it is the
//! only test in its binary (cargo runs test binaries one after another).

mod scale;

use std::{process::Command, time::Duration};

use scale::*;

/// Stops and starts the local PostgreSQL cluster (Debian's pg_ctlcluster); starts it again
/// when dropped, whatever happened.
struct Cluster(String);

impl Cluster {
    fn local() -> Cluster {
        let version = std::fs::read_dir("/etc/postgresql")
            .ok()
            .and_then(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).max())
            .expect("the outage test stops the local PostgreSQL with Debian's pg_ctlcluster; /etc/postgresql lists no cluster");
        Cluster(version)
    }

    fn ctl(&self, action: &str) {
        let status = Command::new("pg_ctlcluster")
            .args(["--skip-systemctl-redirect", &self.0, "main", action])
            .args(if action == "stop" { &["-m", "fast"][..] } else { &[] })
            .status()
            .unwrap();
        assert!(status.success(), "pg_ctlcluster {action} failed");
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("pg_ctlcluster").args(["--skip-systemctl-redirect", &self.0, "main", "start"]).status();
    }
}

#[test]
fn workers_back_off_while_postgres_is_down_and_lose_nothing() {
    let (scratch, db, stream) = (Scratch::new("outage"), Database::new("outage"), TestStream::new("outage"));
    let reports = scratch.0.join("reports.jsonl");
    write_reports(&reports, 3000);
    run(&["publish", reports.to_str().unwrap(), "--nats", &nats_server(), "--stream", &stream.0]);

    let cluster = Cluster::local();
    let log = scratch.0.join("worker.log");
    let mut worker = start_worker(&stream.0, &db.url, &log, &["--exit-when-done"]);
    wait_for("the worker to store 100 reports", Duration::from_secs(120), || db.counts().is_some_and(|c| c[0] >= 100));
    cluster.ctl("stop");
    std::thread::sleep(Duration::from_secs(6));
    assert!(worker.try_wait().unwrap().is_none(), "the worker keeps running while the store is down");
    cluster.ctl("start");
    wait_for("PostgreSQL to accept connections", Duration::from_secs(60), || db.counts().is_some());
    assert!(wait_exit(&mut worker, Duration::from_secs(300)), "{}", std::fs::read_to_string(&log).unwrap());

    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("the store is unavailable"), "the worker saw the outage: {text}");
    let counts = db.counts().unwrap();
    assert_eq!(counts[0], 3000, "every report stored once: {text}");
    let expected_claims = 3000 * 3; // each made-up report holds three attributed statements
    assert_eq!(counts[3], expected_claims, "no report's claims stored twice: {text}");
}
