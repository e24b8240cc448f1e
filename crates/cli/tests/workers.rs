//! Workers on a real NATS JetStream stream writing into a real PostgreSQL store, on loopback:
//! a worker killed mid-batch loses nothing and doubles nothing, and a report that always fails
//! is parked on the dead-letter subject without holding up the rest.

mod scale;

use std::time::Duration;

use futures::StreamExt;
use scale::*;

#[test]
fn a_worker_killed_mid_batch_loses_nothing_and_doubles_nothing() {
    let (scratch, db, stream) = (Scratch::new("kill"), Database::new("kill"), TestStream::new("kill"));
    let stream = &stream.0;
    let reports = scratch.0.join("reports.jsonl");
    write_reports(&reports, 600);
    let reports = reports.to_str().unwrap();
    let said = run(&["publish", reports, "--nats", &nats_server(), "--stream", stream]);
    assert!(said.contains("published 600 of 600 reports") && said.contains("(0 already on the stream"), "{said}");
    // Published again at once: the stream drops every one as a duplicate, and says so.
    let said = run(&["publish", reports, "--nats", &nats_server(), "--stream", stream]);
    assert!(said.contains("published 0 of 600 reports") && said.contains("(600 already on the stream"), "{said}");

    let mut first = start_worker(stream, &db.url, &scratch.0.join("first.log"), &[]);
    wait_for("the first worker to store 100 reports", Duration::from_secs(120), || db.counts().is_some_and(|c| c[0] >= 100));
    first.kill().unwrap(); // SIGKILL, mid-batch
    first.wait().unwrap();
    let at_kill = db.counts().unwrap()[0];
    assert!(at_kill < 600, "the first worker was stopped before the end ({at_kill} stored)");

    let mut second = start_worker(stream, &db.url, &scratch.0.join("second.log"), &["--exit-when-done"]);
    assert!(wait_exit(&mut second, Duration::from_secs(180)), "{}", std::fs::read_to_string(scratch.0.join("second.log")).unwrap());

    // The same reports through a clean, single ingest into SQLite give the same counts.
    let clean = scratch.0.join("clean.db");
    run(&["ingest", reports, "--db", clean.to_str().unwrap()]);
    let mut sqlite = sitrep_store::Store::open_sqlite(&clean).unwrap();
    let c = sqlite.counts().unwrap();
    assert_eq!(db.counts().unwrap(), [c.reports, c.events, c.sources, c.claims], "reports, events, tellings, claims");
    assert_eq!(c.reports, 600);
}

#[test]
fn a_poison_report_is_parked_with_its_error_and_the_rest_go_through() {
    let (scratch, db, stream) = (Scratch::new("poison"), Database::new("poison"), TestStream::new("poison"));
    let stream = &stream.0;
    let reports = scratch.0.join("reports.jsonl");
    write_reports(&reports, 40);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let poison = b"{\"id\": \"broken\", \"text\": 42}".to_vec();
    runtime.block_on(async {
        let js = sitrep_queue::connect(&nats_server()).await.unwrap();
        sitrep_queue::ensure_stream(&js, stream).await.unwrap();
        js.publish(sitrep_queue::reports_subject(stream), poison.clone().into()).await.unwrap().await.unwrap();
    });
    run(&["publish", reports.to_str().unwrap(), "--nats", &nats_server(), "--stream", stream]);

    let mut worker = start_worker(stream, &db.url, &scratch.0.join("worker.log"), &["--exit-when-done", "--max-tries", "3"]);
    let log = || std::fs::read_to_string(scratch.0.join("worker.log")).unwrap();
    assert!(wait_exit(&mut worker, Duration::from_secs(120)), "{}", log());
    assert_eq!(db.counts().unwrap()[0], 40, "every good report is stored: {}", log());
    assert!(log().contains("1 parked"), "{}", log());

    let parked = runtime.block_on(async {
        let js = sitrep_queue::connect(&nats_server()).await.unwrap();
        let stream = js.get_stream(stream).await.unwrap();
        let consumer: async_nats::jetstream::consumer::PullConsumer = stream
            .create_consumer(async_nats::jetstream::consumer::pull::Config {
                filter_subject: sitrep_queue::dead_letter_subject(stream.cached_info().config.name.as_str()),
                ..Default::default()
            })
            .await
            .unwrap();
        let mut batch = consumer.fetch().max_messages(10).expires(Duration::from_secs(2)).messages().await.unwrap();
        let mut parked = Vec::new();
        while let Some(m) = batch.next().await {
            parked.push(m.unwrap());
        }
        parked
    });
    assert_eq!(parked.len(), 1, "one report parked");
    let headers = parked[0].headers.clone().expect("the parked report carries its error");
    assert_eq!(headers.get("Sitrep-Deliveries").map(|v| v.as_str()), Some("3"));
    assert!(headers.get("Sitrep-Error").unwrap().as_str().contains("not a report message"), "{headers:?}");
    assert_eq!(parked[0].payload.as_ref(), &poison[..], "the report is parked as it was sent");
}
