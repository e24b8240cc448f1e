//! The ingest pipeline: batches of readings prepared on the thread pool, written in order by
//! one writer, and one tally of what came of them.

use std::sync::mpsc::Receiver;

use crate::{Prepared, Store};

/// What an ingest did.
#[derive(Debug, Default)]
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
    /// Reports that could not be stored, with the reason.
    pub failures: Vec<String>,
}

/// Writes batches of prepared readings into `store` as they arrive, while the sender reads
/// the next batch: reading runs on the thread pool, writing on this thread, at once.
/// `progress` is told the tally and the number of reports done after each batch.
pub fn write_batches(store: &mut Store, batches: Receiver<Vec<Prepared>>, mut progress: impl FnMut(&Tally, usize)) -> Tally {
    let mut t = Tally::default();
    for batch in batches {
        let outcomes = match store.ingest_batch(&batch) {
            Ok(outcomes) => outcomes,
            Err(e) => {
                t.failures.extend(batch.iter().map(|p| format!("{}: {e}", p.reading.id)));
                continue;
            }
        };
        for (item, outcome) in batch.iter().zip(outcomes) {
            match outcome {
                Ok(done) if done.new_report => {
                    t.reports += 1;
                    t.events_new += done.events_new;
                    t.events_merged += done.events_merged;
                    t.claims += done.claims;
                }
                Ok(_) => t.duplicates += 1,
                Err(e) => t.failures.push(format!("{}: {e}", item.reading.id)),
            }
        }
        progress(&t, batch.len());
    }
    t
}
