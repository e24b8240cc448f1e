//! Scale-out on NATS JetStream: a [`Publisher`] puts reports on a stream; any number of [`Worker`]s,
//! on any number of machines, pull them from one durable consumer, read them, write each batch
//! into the store in one transaction, and acknowledge a message only after that commit.
//!
//! Delivery is at least once and writes are idempotent (a report is keyed by its content), so
//! every report ends in the store exactly once: a worker killed mid-batch leaves its messages
//! unacknowledged, JetStream delivers them again after the ack wait, and whatever the dead
//! worker had committed is recognised and skipped. While the store is unreachable a worker
//! keeps its batch, tells JetStream it is still working on it, and retries with a growing pause;
//! nothing is acknowledged and nothing counts as a failed try. A report that fails on its own
//! (one that cannot be decoded, or that the store refuses) is tried again later, and after
//! [`WorkerConfig::max_tries`] deliveries it is parked on the stream's dead-letter subject with
//! its error, so it never blocks the rest.
//!
//! Subjects: `STREAM.reports` for reports, `STREAM.dead` for parked ones, both kept in the
//! stream `STREAM`.

use std::{
    sync::atomic::{AtomicBool, Ordering},
    time::{Duration, Instant},
};

use async_nats::{
    jetstream::{self, consumer::pull, message::AckKind, stream},
    HeaderMap,
};
use futures::StreamExt;
use rayon::prelude::*;
use sitrep_read::{intake::Intake, Reader, Report};
use sitrep_store::{ingest, Prepared, Store, StoreError};

/// What went wrong with the queue.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// NATS could not be reached or refused.
    #[error("NATS: {0}")]
    Nats(String),
    /// The store failed for the whole batch in a way that waiting will not mend.
    #[error("{0}")]
    Store(#[from] StoreError),
}

fn nats<E: std::fmt::Display>(e: E) -> QueueError {
    QueueError::Nats(e.to_string())
}

/// The subject reports are published on.
pub fn reports_subject(stream: &str) -> String {
    format!("{stream}.reports")
}

/// The subject parked reports go to.
pub fn dead_letter_subject(stream: &str) -> String {
    format!("{stream}.dead")
}

/// The stream, created if it does not exist (file storage; a re-published report is dropped
/// as a duplicate within two minutes of the first, by its message id).
pub async fn ensure_stream(js: &jetstream::Context, name: &str) -> Result<stream::Stream, QueueError> {
    js.get_or_create_stream(stream::Config {
        name: name.to_owned(),
        subjects: vec![reports_subject(name), dead_letter_subject(name)],
        storage: stream::StorageType::File,
        duplicate_window: Duration::from_secs(120),
        ..stream::Config::default()
    })
    .await
    .map_err(nats)
}

/// Connects to the NATS server at `url` and its JetStream.
pub async fn connect(url: &str) -> Result<jetstream::Context, QueueError> {
    let client = async_nats::ConnectOptions::new().name("sitrep").connect(url).await.map_err(|e| QueueError::Nats(format!("connecting to {url}: {e}")))?;
    Ok(jetstream::new(client))
}

/// Puts reports on a stream, each as its JSON form (a [`Report`] is the message) with its
/// content key as the message id, so that publishing the same report twice queues it once. Up
/// to 256 acknowledgements are awaited at a time.
pub struct Publisher {
    js: jetstream::Context,
    subject: String,
    pending: std::collections::VecDeque<jetstream::context::PublishAckFuture>,
    published: Published,
}

/// What the server made of the reports a [`Publisher`] sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Published {
    /// Reports stored on the stream.
    pub accepted: usize,
    /// Reports the stream already held (the same message id within its duplicate window),
    /// dropped by the server.
    pub duplicates: usize,
}

impl Publisher {
    /// A publisher to the stream `stream_name`, created if needed.
    pub async fn new(js: jetstream::Context, stream_name: &str) -> Result<Publisher, QueueError> {
        ensure_stream(&js, stream_name).await?;
        Ok(Publisher { js, subject: reports_subject(stream_name), pending: Default::default(), published: Published::default() })
    }

    /// Publishes one report.
    pub async fn send(&mut self, report: &Report) -> Result<(), QueueError> {
        let payload = serde_json::to_vec(report).map_err(nats)?;
        let mut headers = HeaderMap::new();
        headers.insert("Nats-Msg-Id", report.content_key().as_str());
        self.pending.push_back(self.js.publish_with_headers(self.subject.clone(), headers, payload.into()).await.map_err(nats)?);
        if self.pending.len() >= 256 {
            if let Some(ack) = self.pending.pop_front() {
                self.count(ack.await.map_err(nats)?);
            }
        }
        Ok(())
    }

    fn count(&mut self, ack: jetstream::publish::PublishAck) {
        if ack.duplicate {
            self.published.duplicates += 1;
        } else {
            self.published.accepted += 1;
        }
    }

    /// Waits for every acknowledgement; returns how many reports the server stored and how
    /// many it dropped as already on the stream.
    pub async fn finish(mut self) -> Result<Published, QueueError> {
        while let Some(ack) = self.pending.pop_front() {
            let ack = ack.await.map_err(nats)?;
            self.count(ack);
        }
        Ok(self.published)
    }
}

/// How a worker runs.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// The stream.
    pub stream: String,
    /// The durable consumer that workers share.
    pub consumer: String,
    /// Messages fetched, read and written together.
    pub batch: usize,
    /// Deliveries after which a failing report is parked on the dead-letter subject.
    pub max_tries: i64,
    /// How long JetStream waits for an acknowledgement before delivering a message again.
    pub ack_wait: Duration,
    /// Stop once the consumer has nothing pending and nothing unacknowledged.
    pub exit_when_done: bool,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            stream: "sitrep".into(),
            consumer: "sitrep-workers".into(),
            batch: 64,
            max_tries: 5,
            ack_wait: Duration::from_secs(30),
            exit_when_done: false,
        }
    }
}

/// What a worker has done so far.
#[derive(Debug, Clone, Default)]
pub struct WorkerTally {
    /// What came of the reports written: stored, already stored, events, claims, dates (the
    /// ingest pipeline's tally; failed tries are counted below, not there).
    pub ingest: ingest::Tally,
    /// Failed tries that will be retried.
    pub retried: usize,
    /// Reports parked on the dead-letter subject.
    pub parked: usize,
    /// Times the store was unreachable and the batch was held.
    pub store_outages: usize,
}

/// How long a worker that runs on, with nothing in hand, waits for a message before it looks
/// again.
const IDLE_WAIT: Duration = Duration::from_secs(1);
/// How long a worker told to stop when done waits for a message with nothing in hand before it
/// asks again whether it is done (another worker may be finishing the last batch).
const DONE_WAIT: Duration = Duration::from_millis(100);
/// How long a worker waits for each further message of a batch, and for the first one while
/// it holds a batch to write: what is on its way, not what may come later.
const READY_WAIT: Duration = Duration::from_millis(5);

/// A worker: pulls batches from the durable consumer and writes them into one store.
pub struct Worker<'g> {
    config: WorkerConfig,
    /// Shared with the thread that reads the next batch while this one is written.
    reader: std::sync::Arc<Reader<'g>>,
    store: Store,
    js: jetstream::Context,
    consumer: pull::Stream,
    runtime: tokio::runtime::Runtime,
    tally: WorkerTally,
}

/// Reads a batch of messages on the thread pool.
fn read_batch(reader: &Reader<'_>, batch: Vec<jetstream::Message>) -> Vec<Item> {
    batch
        .into_par_iter()
        .map(|message| {
            // The same intake and reader as every other way in: a message from another
            // producer is checked (no text, NUL, an HTML page) like a file would be.
            let outcome = serde_json::from_slice::<Report>(&message.payload)
                .map_err(|e| format!("not a report message: {e}"))
                .and_then(|report| Intake::default().report(report).map_err(|e| e.to_string()))
                .and_then(|intaken| ingest::prepare(reader, intaken).prepared);
            Item { message, outcome }
        })
        .collect()
}

/// One message of a batch, with what came of it.
struct Item {
    message: jetstream::Message,
    outcome: Result<(Prepared, sitrep_read::intake::DatedBy), String>,
}

impl<'g> Worker<'g> {
    /// Connects to NATS at `nats_url` (creating the stream and the durable consumer if needed)
    /// and uses `store` for the results. The store is used from this thread only, outside any
    /// async runtime; NATS runs on a small runtime of the worker's own.
    pub fn new(nats_url: &str, store: Store, reader: Reader<'g>, config: WorkerConfig) -> Result<Worker<'g>, QueueError> {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().map_err(nats)?;
        let (js, consumer) = runtime.block_on(async {
            let js = connect(nats_url).await?;
            let stream = ensure_stream(&js, &config.stream).await?;
            let consumer: jetstream::consumer::PullConsumer = stream
                .get_or_create_consumer(
                    &config.consumer,
                    pull::Config {
                        durable_name: Some(config.consumer.clone()),
                        filter_subject: reports_subject(&config.stream),
                        ack_policy: jetstream::consumer::AckPolicy::Explicit,
                        ack_wait: config.ack_wait,
                        max_ack_pending: 4096,
                        ..pull::Config::default()
                    },
                )
                .await
                .map_err(nats)?;
            let messages = consumer
                .stream()
                .max_messages_per_batch(config.batch)
                .expires(Duration::from_secs(1))
                .heartbeat(Duration::from_millis(500))
                .messages()
                .await
                .map_err(nats)?;
            Ok::<_, QueueError>((js, messages))
        })?;
        Ok(Worker { config, reader: std::sync::Arc::new(reader), store, js, consumer, runtime, tally: WorkerTally::default() })
    }

    /// Runs until `stop` is set, or (with `exit_when_done`) until the work is done.
    pub fn run(&mut self, stop: &AtomicBool) -> Result<WorkerTally, QueueError> {
        // Batches are written one behind the reading: the next batch is read on the thread
        // pool while this thread writes the last one read, so that the processors read while
        // the database writes, rather than each waiting for the other.
        //
        // With nothing in hand, the worker waits up to a second for work (a tenth of one, first
        // asking whether it is done, when it should stop then). With a batch read and not yet
        // written, it takes only what is ready at once: the end of a burst is written now, not
        // when the wait for more runs out.
        let mut read: Vec<Item> = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            if read.is_empty() && self.config.exit_when_done && self.done()? {
                break;
            }
            let wait = match (read.is_empty(), self.config.exit_when_done) {
                (false, _) => READY_WAIT,
                (true, true) => DONE_WAIT,
                (true, false) => IDLE_WAIT,
            };
            let batch = self.next_batch(wait)?;
            if batch.is_empty() && read.is_empty() {
                continue;
            }
            let reader = std::sync::Arc::clone(&self.reader);
            let to_write = std::mem::take(&mut read);
            // The batch being read is in hand too: kept from other workers while the store is away.
            let reading_too = batch.clone();
            let (next, written) = std::thread::scope(|s| {
                let reading = s.spawn(|| read_batch(&reader, batch));
                let written = self.write_and_ack(to_write, &reading_too, stop);
                (reading.join(), written)
            });
            read = next.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            written?;
        }
        // Stopped: what was read is written before the worker goes (as it was before reading
        // ahead), so that none of it waits out the acknowledgement wait.
        self.write_and_ack(read, &[], stop)?;
        Ok(self.tally.clone())
    }

    /// Up to `batch` messages: waits up to `wait` for the first, then takes what is ready.
    fn next_batch(&mut self, wait: Duration) -> Result<Vec<jetstream::Message>, QueueError> {
        let (consumer, max) = (&mut self.consumer, self.config.batch);
        self.runtime.block_on(async {
            let mut batch = Vec::new();
            match tokio::time::timeout(wait, consumer.next()).await {
                Ok(Some(m)) => batch.push(m.map_err(nats)?),
                Ok(None) => return Err(QueueError::Nats("the consumer's message stream ended".into())),
                Err(_) => return Ok(batch),
            }
            while batch.len() < max {
                match tokio::time::timeout(READY_WAIT, consumer.next()).await {
                    Ok(Some(m)) => batch.push(m.map_err(nats)?),
                    _ => break,
                }
            }
            Ok(batch)
        })
    }

    /// True when the consumer holds nothing pending and nothing awaiting acknowledgement.
    fn done(&mut self) -> Result<bool, QueueError> {
        let (js, stream, consumer) = (&self.js, &self.config.stream, &self.config.consumer);
        self.runtime.block_on(async {
            let mut c: jetstream::consumer::PullConsumer = js.get_consumer_from_stream(consumer, stream).await.map_err(nats)?;
            let info = c.info().await.map_err(nats)?;
            Ok(info.num_pending == 0 && info.num_ack_pending == 0)
        })
    }

    /// Writes a batch that was read in one transaction (holding it while the store is away),
    /// then acknowledges what was stored and retries or parks what failed. `reading_too`: the
    /// messages of the batch being read meanwhile, held with these while the store is away.
    fn write_and_ack(&mut self, items: Vec<Item>, reading_too: &[jetstream::Message], stop: &AtomicBool) -> Result<(), QueueError> {
        if items.is_empty() {
            return Ok(());
        }
        let written = self.write_holding(&items, reading_too, stop)?;
        let Some(mut written) = written else { return Ok(()) };
        for item in items {
            let result = match &item.outcome {
                Ok((prepared, dated_by)) => match written.next().expect("one outcome per readable report") {
                    Ok(done) => {
                        self.tally.ingest.count(&prepared.reading.id, &Ok(done), *dated_by, prepared.reading.published_from);
                        Ok(())
                    }
                    Err(e) => Err(format!("{}: {e}", prepared.reading.id)),
                },
                Err(e) => Err(e.clone()),
            };
            match result {
                Ok(()) => self.runtime.block_on(item.message.ack()).map_err(nats)?,
                Err(error) => self.failed(&item.message, &error)?,
            }
        }
        Ok(())
    }

    /// Writes the reports of `items` that could be read; while the store is unreachable, tells JetStream the batch
    /// is still in hand and tries again after a growing pause. `None` when stopped meanwhile
    /// (nothing is acknowledged; the messages will be delivered again).
    fn write_holding(
        &mut self,
        items: &[Item],
        reading_too: &[jetstream::Message],
        stop: &AtomicBool,
    ) -> Result<Option<std::vec::IntoIter<Result<sitrep_store::Ingested, StoreError>>>, QueueError> {
        let readable: Vec<&Prepared> = items.iter().filter_map(|i| i.outcome.as_ref().ok().map(|(p, _)| p)).collect();
        let mut pause = Duration::from_millis(250);
        loop {
            match self.store.ingest_batch(&readable) {
                Ok(outcomes) => return Ok(Some(outcomes.into_iter())),
                Err(e) if e.is_unavailable() => {
                    self.tally.store_outages += 1;
                    eprintln!("worker: the store is unavailable ({e}); holding {} reports, trying again in {:.1} s", items.len(), pause.as_secs_f64());
                    let until = Instant::now() + pause;
                    while Instant::now() < until {
                        if stop.load(Ordering::Relaxed) {
                            return Ok(None);
                        }
                        for message in items.iter().map(|i| &i.message).chain(reading_too) {
                            // Still working on it: restarts the ack wait, so no other worker gets it.
                            let _ = self.runtime.block_on(message.ack_with(AckKind::Progress));
                        }
                        std::thread::sleep(pause.min(self.config.ack_wait / 3).min(until - Instant::now()));
                    }
                    pause = (pause * 2).min(Duration::from_secs(10));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// A report that failed on its own: delivered again later, or parked after `max_tries`.
    fn failed(&mut self, message: &jetstream::Message, error: &str) -> Result<(), QueueError> {
        let delivered = message.info().map_or(1, |i| i.delivered);
        if delivered < self.config.max_tries {
            self.tally.retried += 1;
            let delay = Duration::from_millis(200 * delivered.max(1) as u64);
            return self.runtime.block_on(message.ack_with(AckKind::Nak(Some(delay)))).map_err(nats);
        }
        let mut headers = HeaderMap::new();
        headers.insert("Sitrep-Error", error.replace(['\r', '\n'], " ").as_str());
        headers.insert("Sitrep-Deliveries", delivered.to_string().as_str());
        if let Ok(info) = message.info() {
            headers.insert("Sitrep-Stream-Sequence", info.stream_sequence.to_string().as_str());
        }
        eprintln!("worker: parking a report on {} after {delivered} tries: {error}", dead_letter_subject(&self.config.stream));
        let (js, subject, payload) = (&self.js, dead_letter_subject(&self.config.stream), message.payload.clone());
        self.runtime.block_on(async {
            js.publish_with_headers(subject, headers, payload).await.map_err(nats)?.await.map_err(nats)?;
            // Parked safely: the original is done with.
            message.ack_with(AckKind::Term).await.map_err(nats)
        })?;
        self.tally.parked += 1;
        Ok(())
    }
}
