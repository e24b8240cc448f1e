//! sitrep's store: readings kept across reports, in SQLite (the embedded store, one file) or
//! PostgreSQL (the shared store, for a team and for many workers at once). Both run the same
//! SQL through [`db::Db`] and give the same answers; only the schema's types and the way
//! writers are kept apart differ.
//!
//! A report is keyed by a hash of its text and metadata ([`content_hash`]), so ingesting the
//! same input twice adds nothing, whichever writer gets there first. A report is written whole
//! or not at all (in its batch's transaction, or a savepoint of its own when a failed batch is
//! written again report by report): its row, its
//! places, its claims, and its events, each either merged into an event already stored (same
//! type, places within [`MERGE_KM`], overlapping known dates ending within [`MERGE_WINDOW_DAYS`]
//! of each other, sides that agree) or added; every
//! telling of an event is kept as a source row, so merging never drops provenance. Writers are
//! kept apart while they decide what is new (SQLite's write lock; in PostgreSQL, advisory
//! locks on the grid cells and weeks the batch's events could merge in, [`grid`]), so concurrent writers never add one event twice. A process killed at any
//! moment leaves the store as it was after the last committed batch, and running the ingest
//! again finishes the job.
//!
//! Schema versions are applied in order when a store is opened ([`schema`]).

pub mod control;
pub mod db;
pub mod export;
pub mod filter;
mod firsts;
pub mod grid;
pub mod ingest;
pub mod json;
pub(crate) mod query;
pub mod schema;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod timeline;
mod types;
mod write;

use std::path::Path;

use serde::Serialize;

use db::{Db, Dialect, PostgresDb, SqliteDb};

pub use firsts::FIRST_TELLINGS;
pub use types::{
    Counts, EventPage, EventPageJson, EventPoint, EventQuery, Ingested, Page, ReportPage, ReportSummary, Source, StoreError, StoredClaim, StoredDisagreement,
    StoredEvent, StoredReport,
};
pub use write::{content_hash, Prepared};

/// Two events this close (km) with the same type, overlapping dates and agreeing sides are one.
pub const MERGE_KM: f64 = 25.0;

/// Two events whose date windows end more than this many days apart are never one event: a
/// stored event is a merge candidate only if its window ends within this of the new one's (and
/// the windows overlap), which also bounds the lookup in time however long the history is.
pub const MERGE_WINDOW_DAYS: i64 = 62;

/// zstd level for stored readings: fast, and about a fifth of the JSON's size.
const ZSTD_LEVEL: i32 = 1;

/// A store on SQLite or PostgreSQL.
pub struct Store {
    pub(crate) db: Box<dyn Db>,
    /// Which index answers an event query's place and time.
    pub(crate) index: EventIndex,
    /// The control timelines this store's writer last wrote, with their claims
    /// ([`timeline::Kept`]).
    pub(crate) kept: timeline::Kept,
    /// Where this connection writes a page of events before the page's answer is made
    /// ([`Store::events_page_json_framed`]), kept between pages.
    pub(crate) scratch: Vec<u8>,
}

/// Which index answers an event query's place and time on a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EventIndex {
    /// SQLite: the R*Tree `events_where_when` over latitude, longitude and days.
    WhereWhen,
    /// PostgreSQL with PostGIS: a GiST index on each event's point (`ST_DWithin`).
    Postgis,
    /// PostgreSQL without PostGIS: B-tree indexes on the point and on the dates.
    Plain,
}

pub(crate) fn label<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// True when `location` names a PostgreSQL database rather than an SQLite file.
pub fn is_postgres_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// The most of a SQLite store a reading connection maps into memory: SQLite's own ceiling
/// as built (2 GiB; a larger store's remainder is read with system calls). The map takes
/// address space, not memory: its pages are the operating system's file cache.
const READER_MAP_BYTES: u64 = 0x7fff_0000;

/// The dirty pages a SQLite connection keeps in memory before it writes some to the log in the
/// middle of a transaction, KiB (`PRAGMA cache_spill`; a larger page cache raises it).
const WRITER_SPILL_KIB: i64 = 256 << 10;

impl Store {
    /// Opens the store at `location`: a `postgres://` (or `postgresql://`) URL, or the path of
    /// an SQLite file (created if needed). Either is migrated to this build's schema.
    pub fn open(location: &str) -> Result<Store, StoreError> {
        if is_postgres_url(location) {
            Store::open_postgres(location)
        } else {
            Store::open_sqlite(Path::new(location))
        }
    }

    /// Opens (creating if needed) the SQLite store at `path`, in WAL mode. Processes that
    /// create the same new store at once can find it busy in ways SQLite does not wait out
    /// (switching to WAL, a schema step another has just committed): the opening is tried
    /// again for up to 30 s; each schema step re-reads the version, so a retry never applies
    /// one twice.
    pub fn open_sqlite(path: &Path) -> Result<Store, StoreError> {
        let started = std::time::Instant::now();
        loop {
            match Store::try_open_sqlite(path) {
                Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)))
                    if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                        && started.elapsed() < std::time::Duration::from_secs(30) =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                opened => return opened,
            }
        }
    }

    fn try_open_sqlite(path: &Path) -> Result<Store, StoreError> {
        let conn = rusqlite::Connection::open(path)?;
        // First, so that every step below waits for another process opening the same file
        // (switching to WAL takes a lock) instead of failing at once.
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Checkpoint the log every 64 MiB (16,384 pages) rather than every 4: a batch dirties
        // index pages all over a large store, and pages written by several batches in a row
        // are then copied back once (the writer's commits with 20,000 reports stored took
        // 2.7x as long as into an empty store, nearly all of it checkpoints).
        conn.pragma_update(None, "wal_autocheckpoint", 16_384)?;
        // A batch is one transaction (with savepoints when it is written again report by
        // report): give it room in memory, so that neither the page cache nor the savepoints'
        // journal spill to disk mid-batch; a writer grows its cache with the store
        // (`SqliteDb::begin_write`).
        conn.pragma_update(None, "cache_size", -65_536)?;
        // Dirty pages stay in memory up to 256 MiB whatever the cache's size (clean ones are
        // let go first): a batch of long reports rewrites busy settlements' timelines, tens of
        // MiB more than the cache, and pages spilled to the log mid-batch were written again at
        // the commit, the log's checksums after them read back and written again (a tenth
        // of the writer's time on ISW's assessments).
        conn.pragma_update(None, "cache_spill", -WRITER_SPILL_KIB)?;
        // Pages only read (most of a large store's index pages on the way to a leaf) come
        // straight from the operating system's cache through the map, as for readers.
        conn.pragma_update(None, "mmap_size", READER_MAP_BYTES as i64)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Multi-row inserts come in up to ROWS_PER_STATEMENT shapes per table.
        conn.set_prepared_statement_cache_capacity(512);
        Store::on(Box::new(SqliteDb(conn)))
    }

    /// Opens the store at `location` as [`Store::open`] does, for reading only: on SQLite the
    /// connection refuses writes (`query_only`), reads the file through a memory map (pages
    /// come straight from the operating system's cache, shared by every reader, without a
    /// system call and a copy each) and keeps a small page cache of its own (2 MiB, where a
    /// writer keeps 64), so that a server's many readers stay small.
    pub fn open_for_reading(location: &str) -> Result<Store, StoreError> {
        let mut store = Store::open(location)?;
        if store.db.dialect() == Dialect::Sqlite {
            store.db.batch(&format!("PRAGMA mmap_size = {READER_MAP_BYTES}; PRAGMA cache_size = -2048; PRAGMA query_only = ON"))?;
        }
        Ok(store)
    }

    /// Connects to the PostgreSQL store at `url`.
    pub fn open_postgres(url: &str) -> Result<Store, StoreError> {
        Store::on(Box::new(PostgresDb::connect(url)?))
    }

    fn on(mut db: Box<dyn Db>) -> Result<Store, StoreError> {
        schema::migrate(db.as_mut())?;
        let index = match db.dialect() {
            Dialect::Sqlite => EventIndex::WhereWhen,
            Dialect::Postgres if schema::enable_postgis(db.as_mut())? => EventIndex::Postgis,
            Dialect::Postgres => EventIndex::Plain,
        };
        Ok(Store { db, index, kept: timeline::Kept::default(), scratch: Vec::new() })
    }

    /// "sqlite" or "postgres".
    pub fn backend(&self) -> &'static str {
        match self.db.dialect() {
            Dialect::Sqlite => "sqlite",
            Dialect::Postgres => "postgres",
        }
    }

    /// How spatial queries (box, radius) are answered on this store.
    pub fn spatial_index(&self) -> &'static str {
        match self.index {
            EventIndex::WhereWhen => "an R*Tree over each event's point and days, with great-circle refinement for a radius",
            EventIndex::Postgis => "PostGIS (a GiST index on each event's point; ST_DWithin for a radius)",
            EventIndex::Plain => "a GiST index over each event's point and days, with great-circle refinement for a radius",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer keeps the pages a transaction changes in memory past its page cache's size (up
    /// to [`WRITER_SPILL_KIB`]): none reach the log before the commit, which writes them once.
    #[test]
    fn a_transaction_larger_than_the_page_cache_reaches_the_log_only_at_its_commit() {
        let scratch = testing::TestStore::new("sqlite", "spill");
        let wal = format!("{}-wal", scratch.location);
        let log = || std::fs::metadata(&wal).map_or(0, |m| m.len());
        let mut store = scratch.open();
        // A cache of 1 MiB, and 8 MiB changed in one transaction.
        store.db.batch("PRAGMA cache_size = -1024; CREATE TABLE big (t TEXT NOT NULL)").unwrap();
        let before = log();
        store.db.batch("BEGIN IMMEDIATE").unwrap();
        let text = "x".repeat(512 << 10);
        for _ in 0..16 {
            store.db.execute("INSERT INTO big (t) VALUES ($1)", &[db::Param::Text(&text)]).unwrap();
        }
        let during = log();
        store.db.batch("COMMIT").unwrap();
        assert_eq!(during, before, "nothing was written to the log before the commit");
        assert!(log() > before + (8 << 20), "the commit wrote the 8 MiB");
    }

    /// A store made by a build before readings were compressed is brought up to date on
    /// opening: its reading reads back, and its disagreements are listed.
    #[test]
    fn readings_stored_uncompressed_are_compressed_on_upgrade() {
        let scratch = testing::TestStore::new("sqlite", "upgrade");
        let path = std::path::PathBuf::from(&scratch.location);
        let reading = serde_json::json!({
            "schema": "sitrep.reading/0.1", "id": "old",
            "numbers": [{ "number": { "text": "12 km", "value": 12.0 }, "claimant": "A" }, { "number": { "text": "3 km", "value": 3.0 }, "claimant": "B" }],
            "disagreements": [{ "quantity": "depth of advance", "unit": "km", "numbers": [0, 1], "conflicting": true }]
        });
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            for sql in &schema::SQLITE[..schema::COMPRESSED_READINGS - 1] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", (schema::COMPRESSED_READINGS - 1) as i64).unwrap();
            conn.execute(
                "INSERT INTO reports (content_hash, doc_id, ingested_at, reading, text) VALUES ('h', 'old', '2023-01-01', ?1, 'twelve or three')",
                [reading.to_string()],
            )
            .unwrap();
        }
        let mut store = Store::open_sqlite(&path).unwrap();
        let stored = store.report(1).unwrap().expect("the old report is still there");
        assert_eq!(stored.reading, reading);
        assert_eq!(stored.text, "twelve or three");
        let d = store.disagreements().unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].quantity.as_str(), d[0].unit.as_str(), d[0].conflicting), ("depth of advance", "km", true));
        assert_eq!(d[0].numbers.iter().map(|n| n["claimant"].as_str().unwrap()).collect::<Vec<_>>(), ["A", "B"]);
        let left = store.db.query("SELECT reading FROM reports WHERE id = 1", &[]).unwrap()[0][0].text();
        assert!(left.is_empty(), "the uncompressed copy is dropped");
    }

    /// Tellings stored before they were keyed by their evidence's hash keep their rows on
    /// upgrade, their events are given their count, and a telling of the same evidence again
    /// is still stored once.
    #[test]
    fn tellings_are_keyed_by_their_evidence_and_counted_on_upgrade() {
        let scratch = testing::TestStore::new("sqlite", "evidence_keys");
        let path = std::path::PathBuf::from(&scratch.location);
        let before = schema::EVIDENCE_KEYS.0 - 1;
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            for sql in &schema::SQLITE[..before] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", before as i64).unwrap();
            conn.execute_batch(
                "INSERT INTO reports (content_hash, doc_id, ingested_at, reading, text) VALUES ('h', 'old', '2023-01-01', '', 'x');
                 INSERT INTO events (event_type, plover) VALUES ('shelling', 'ATTACK');
                 INSERT INTO event_sources (event_id, report_id, evidence, claimant, certainty) VALUES (1, 1, 'Shelling hit the town.', 'the mayor', 'claimed');
                 INSERT INTO event_sources (event_id, report_id, evidence, claimant, certainty) VALUES (1, 1, 'The town was shelled again.', NULL, 'asserted');",
            )
            .unwrap();
        }
        let mut store = Store::open_sqlite(&path).unwrap();
        let rows = store.db.query("SELECT evidence, evidence_key FROM event_sources ORDER BY evidence", &[]).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0][0].text(), "Shelling hit the town.");
        assert_ne!(rows[0][1].int(), rows[1][1].int(), "different evidence, different keys");
        assert_eq!(store.db.query("SELECT tellings FROM events", &[]).unwrap()[0][0].int(), 2, "the event's count of tellings is filled in");
        let again = store.db.execute(
            "INSERT INTO event_sources (event_id, report_id, evidence, evidence_key, claimant, certainty) VALUES (1, 1, 'Shelling hit the town.', $1, NULL, 'asserted') ON CONFLICT DO NOTHING",
            &[db::Param::Int(rows[0][1].int())],
        );
        assert!(again.is_ok());
        assert_eq!(store.db.query("SELECT count(*) FROM event_sources", &[]).unwrap()[0][0].int(), 2, "the same evidence again is not stored twice");
    }
}
