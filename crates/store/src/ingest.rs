//! The ingest pipeline, the one way reports go into a store: documents through intake and the
//! reader on the thread pool ([`prepare_all`]), written in order by one writer, with one
//! [`Tally`] of what came of them. `sitrep ingest` and the benchmark feed an [`Ingest`]; the
//! worker and `POST /api/reports` prepare their own batches with [`prepare_all`] and count
//! them with [`Tally::count`], because they answer for each report (an acknowledgement, a
//! response).

use std::{
    collections::BTreeMap,
    sync::mpsc::{sync_channel, SyncSender},
    thread::JoinHandle,
};

use rayon::prelude::*;
use sitrep_read::{
    intake::{DatedBy, Document, Intake, IntakeError, Intaken},
    PublishedFrom, Reader,
};

use crate::{Ingested, Prepared, Store, StoreError};

/// Documents read on the thread pool at a time, then written in one transaction.
pub const BATCH: usize = 256;

/// The most reports the ingest writer puts in one transaction when batches wait for it.
const GROUP: usize = 4 * BATCH;

/// A document through intake and the reader: ready for the writer, or why not (naming it).
pub struct Item {
    /// The prepared reading and where the report's date came from, or what went wrong.
    pub prepared: Result<(Prepared, DatedBy), String>,
    /// What was wrong with the document that did not stop it.
    pub warnings: Vec<String>,
}

/// One document through intake and the reader.
pub fn prepare_document(reader: &Reader<'_>, intake: &Intake, doc: Result<Document, IntakeError>) -> Item {
    match doc.and_then(|d| intake.document(d)) {
        Ok(intaken) => prepare(reader, intaken),
        Err(e) => Item { prepared: Err(e.to_string()), warnings: Vec::new() },
    }
}

/// A report made by intake through the reader. Should the reader panic on it (a bug), the
/// report fails alone with the panic's message, and the batch, the worker or the server goes on.
pub fn prepare(reader: &Reader<'_>, intaken: Intaken) -> Item {
    let id = intaken.report.id.clone();
    let reading = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| reader.read(&intaken.report))) {
        Ok(reading) => reading,
        Err(panic) => {
            let what = panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_default();
            return Item { prepared: Err(format!("{id}: the reader failed on this report (a bug: {what})")), warnings: intaken.warnings };
        }
    };
    let prepared = Prepared::new(intaken.report.text, reading).map(|p| (p, intaken.dated_by)).map_err(|e| format!("{id}: {e}"));
    Item { prepared, warnings: intaken.warnings }
}

/// Documents through intake and the reader on the thread pool, in order.
pub fn prepare_all(reader: &Reader<'_>, intake: &Intake, docs: Vec<Result<Document, IntakeError>>) -> Vec<Item> {
    docs.into_par_iter().map(|d| prepare_document(reader, intake, d)).collect()
}

/// What an ingest did.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    /// New reports stored.
    pub reports: usize,
    /// Reports already stored.
    pub duplicates: usize,
    /// Events added.
    pub events_new: usize,
    /// Events merged into stored ones.
    pub events_merged: usize,
    /// Claims stored.
    pub claims: usize,
    /// Documents that could not be stored, each with its name and the reason.
    pub failures: Vec<String>,
    /// How the reports were dated (stored or already stored): by which metadata field, by the
    /// HTML page, by the default date, or not at all.
    pub dated_by: BTreeMap<DatedBy, usize>,
    /// Of the reports given no date, those the reader dated from their text.
    pub dated_from_text: usize,
}

impl Tally {
    /// Counts what came of one report: its outcome in the store, where its date came from, and
    /// where the reading's date came from.
    pub fn count(&mut self, id: &str, outcome: &Result<Ingested, StoreError>, dated_by: DatedBy, published_from: PublishedFrom) {
        match outcome {
            Ok(done) if done.new_report => {
                self.reports += 1;
                self.events_new += done.events_new;
                self.events_merged += done.events_merged;
                self.claims += done.claims;
            }
            Ok(_) => self.duplicates += 1,
            Err(e) => {
                self.failures.push(format!("{id}: {e}"));
                return;
            }
        }
        *self.dated_by.entry(dated_by).or_default() += 1;
        if dated_by == DatedBy::Nothing && published_from == PublishedFrom::Text {
            self.dated_from_text += 1;
        }
    }

    /// One line on how the reports were dated: "dates: 120 from field "published", 80 from
    /// field "date", 3 with no date given (2 dated from their text)".
    pub fn dates_line(&self) -> String {
        let parts: Vec<String> = self
            .dated_by
            .iter()
            .map(|(by, n)| match by {
                DatedBy::Nothing => format!("{n} with no date given ({} dated from their text)", self.dated_from_text),
                other => format!("{n} from {other}"),
            })
            .collect();
        if parts.is_empty() {
            "dates: no reports".to_owned()
        } else {
            format!("dates: {}", parts.join(", "))
        }
    }
}

/// What an [`Ingest`] tells its caller as it goes, on the writer's thread.
pub enum Progress<'a> {
    /// Something wrong with a document that did not stop it.
    Warning(&'a str),
    /// A document that could not be stored, with its name and the reason.
    Failed(&'a str),
    /// A batch was written; the tally so far.
    Batch(&'a Tally),
}

/// Reports fed one by one, read on the thread pool a batch at a time while one writer thread
/// stores the previous batch.
pub struct Ingest<'r, 'g> {
    reader: &'r Reader<'g>,
    intake: Intake,
    batch: Vec<Result<Document, IntakeError>>,
    to_writer: Option<SyncSender<Vec<Item>>>,
    writer: Option<JoinHandle<(Store, Tally)>>,
}

impl<'r, 'g> Ingest<'r, 'g> {
    /// Starts the writer on `store`; `progress` hears of warnings, failures and batches.
    pub fn start(store: Store, reader: &'r Reader<'g>, intake: Intake, mut progress: impl FnMut(Progress<'_>) + Send + 'static) -> Ingest<'r, 'g> {
        let (tx, rx) = sync_channel::<Vec<Item>>(2);
        let writer = std::thread::spawn(move || {
            let mut store = store;
            let mut tally = Tally::default();
            for mut batch in rx.iter() {
                // Batches read while the writer was still busy go in together, in one
                // transaction: on a large store a transaction's cost is mostly the index pages
                // it changes all over the file (written to the log at commit and copied back
                // at checkpoints), which reports written together share. The writer only
                // groups when it lags behind the reading, so a small store's batches go in as
                // they come; the store is the same whatever the grouping (reports are written
                // in order, as one by one).
                while batch.len() < GROUP {
                    match rx.try_recv() {
                        Ok(more) => batch.extend(more),
                        Err(_) => break,
                    }
                }
                write_batch(&mut store, batch, &mut tally, &mut progress);
                progress(Progress::Batch(&tally));
            }
            (store, tally)
        });
        Ingest { reader, intake, batch: Vec::with_capacity(BATCH), to_writer: Some(tx), writer: Some(writer) }
    }

    /// Feeds one document (or what was wrong with it, to be counted as a failure).
    pub fn push(&mut self, doc: Result<Document, IntakeError>) -> Result<(), StoreError> {
        self.batch.push(doc);
        if self.batch.len() >= BATCH {
            self.send()?;
        }
        Ok(())
    }

    fn send(&mut self) -> Result<(), StoreError> {
        let docs = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        let items = prepare_all(self.reader, &self.intake, docs);
        let stopped = || StoreError::Corrupt("the store writer stopped".into());
        self.to_writer.as_ref().ok_or_else(stopped)?.send(items).map_err(|_| stopped())
    }

    /// Writes what is left and waits for the writer; returns the store and the tally.
    pub fn finish(mut self) -> Result<(Store, Tally), StoreError> {
        let sent = if self.batch.is_empty() { Ok(()) } else { self.send() };
        drop(self.to_writer.take());
        let joined = self.writer.take().expect("the writer runs until finish").join();
        let done = joined.map_err(|_| StoreError::Corrupt("the store writer panicked".into()))?;
        sent?;
        Ok(done)
    }
}

/// Writes one batch of prepared items in one transaction and counts what came of them.
fn write_batch(store: &mut Store, batch: Vec<Item>, tally: &mut Tally, progress: &mut impl FnMut(Progress<'_>)) {
    for w in batch.iter().flat_map(|i| &i.warnings) {
        progress(Progress::Warning(w));
    }
    let ready: Vec<&Prepared> = batch.iter().filter_map(|i| i.prepared.as_ref().ok().map(|(p, _)| p)).collect();
    let mut outcomes = match store.ingest_batch(&ready) {
        Ok(outcomes) => outcomes.into_iter(),
        Err(e) => {
            // The whole batch failed (the database went away): every report in it is named.
            for p in &ready {
                let failure = format!("{}: {e}", p.reading.id);
                progress(Progress::Failed(&failure));
                tally.failures.push(failure);
            }
            Vec::new().into_iter()
        }
    };
    for item in &batch {
        match &item.prepared {
            Ok((p, dated_by)) => {
                let Some(outcome) = outcomes.next() else { continue };
                let before = tally.failures.len();
                tally.count(&p.reading.id, &outcome, *dated_by, p.reading.published_from);
                if let Some(f) = tally.failures.get(before) {
                    progress(Progress::Failed(f));
                }
            }
            Err(failure) => {
                progress(Progress::Failed(failure));
                tally.failures.push(failure.clone());
            }
        }
    }
}
