//! `sitrep publish` and `sitrep worker`: reports through a NATS JetStream stream into the
//! shared store.

use std::{
    path::PathBuf,
    process::ExitCode,
    sync::atomic::{AtomicBool, Ordering},
    time::{Duration, Instant},
};

use anyhow::{Context, Result};
use sitrep_gazetteer::Gazetteer;
use sitrep_queue::{Publisher, Worker, WorkerConfig};
use sitrep_read::Reader;

/// Arguments of `sitrep publish`.
#[derive(clap::Args)]
pub struct PublishArgs {
    /// Report files, directories (read recursively; `.jsonl` files as JSON lines) or `-`.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The NATS server.
    #[arg(long, default_value = "nats://127.0.0.1:4222", env = "SITREP_NATS")]
    nats: String,
    /// The JetStream stream (created if needed).
    #[arg(long, default_value = "sitrep")]
    stream: String,
    #[command(flatten)]
    intake: super::IntakeArgs,
}

/// Arguments of `sitrep worker`.
#[derive(clap::Args)]
pub struct WorkerArgs {
    /// The NATS server.
    #[arg(long, default_value = "nats://127.0.0.1:4222", env = "SITREP_NATS")]
    nats: String,
    /// The store: a `postgres://` URL (shared by every worker) or an SQLite file.
    #[arg(long, env = "SITREP_DB")]
    db: String,
    /// The JetStream stream.
    #[arg(long, default_value = "sitrep")]
    stream: String,
    /// The durable consumer that workers share.
    #[arg(long, default_value = "sitrep-workers")]
    consumer: String,
    /// Reports fetched, read and written together.
    #[arg(long, default_value_t = 64)]
    batch: usize,
    /// Deliveries after which a failing report is parked on STREAM.dead.
    #[arg(long, default_value_t = 5)]
    max_tries: i64,
    /// Seconds JetStream waits for an acknowledgement before delivering a report again (set
    /// when the consumer is first made).
    #[arg(long, default_value_t = 30.0)]
    ack_wait: f64,
    /// Stop once nothing is pending and nothing awaits acknowledgement.
    #[arg(long)]
    exit_when_done: bool,
}

/// Runs `sitrep publish`.
pub fn publish(args: &PublishArgs) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build()?;
    let mut publisher = runtime.block_on(async { Publisher::new(sitrep_queue::connect(&args.nats).await?, &args.stream).await })?;
    let sources = args.intake.sources(&args.paths)?;
    let intake = args.intake.intake();
    let started = Instant::now();
    let (mut sent, mut refused) = (0usize, 0usize);
    let skipped = super::for_each_document(&sources, |doc| {
        match intake.document(doc) {
            Ok(intaken) => {
                for w in &intaken.warnings {
                    eprintln!("warning: {w}");
                }
                runtime.block_on(publisher.send(&intaken.report))?;
                sent += 1;
            }
            Err(e) => {
                eprintln!("warning: {e}; skipped");
                refused += 1;
            }
        }
        Ok(())
    })?;
    let skipped = skipped + refused;
    let published = runtime.block_on(publisher.finish())?;
    eprintln!(
        "published {} of {sent} reports on {} in {:.1} s ({} already on the stream, dropped as duplicates); {skipped} documents skipped",
        published.accepted,
        sitrep_queue::reports_subject(&args.stream),
        started.elapsed().as_secs_f64(),
        published.duplicates
    );
    Ok(ExitCode::SUCCESS)
}

/// Set by SIGINT or SIGTERM: the worker finishes its batch and stops.
static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn request_stop(_: libc::c_int) {
    STOP.store(true, Ordering::Relaxed);
}

/// Runs `sitrep worker` until stopped (or done, with `--exit-when-done`).
pub fn worker(gaz: &Gazetteer, args: &WorkerArgs) -> Result<ExitCode> {
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGINT, request_stop as *const () as libc::sighandler_t);
        libc::signal(libc::SIGTERM, request_stop as *const () as libc::sighandler_t);
    }
    let store = super::store::open_store(&args.db)?;
    let config = WorkerConfig {
        stream: args.stream.clone(),
        consumer: args.consumer.clone(),
        batch: args.batch.clamp(1, 4096),
        max_tries: args.max_tries.max(1),
        ack_wait: Duration::from_secs_f64(args.ack_wait.clamp(1.0, 3600.0)),
        exit_when_done: args.exit_when_done,
    };
    let mut worker = Worker::new(&args.nats, store, Reader::new(gaz), config).context("starting the worker")?;
    eprintln!("worker: pulling {} as {} into {}", sitrep_queue::reports_subject(&args.stream), args.consumer, super::store::redact(&args.db));
    let started = Instant::now();
    let tally = worker.run(&STOP)?;
    eprintln!(
        "worker: {} reports stored ({} events new, {} merged, {} claims), {} already stored, {} tries to repeat, {} parked on {}, {} store outages waited out, in {:.1} s; {}",
        tally.ingest.reports,
        tally.ingest.events_new,
        tally.ingest.events_merged,
        tally.ingest.claims,
        tally.ingest.duplicates,
        tally.retried,
        tally.parked,
        sitrep_queue::dead_letter_subject(&args.stream),
        tally.store_outages,
        started.elapsed().as_secs_f64(),
        tally.ingest.dates_line()
    );
    Ok(ExitCode::SUCCESS)
}
