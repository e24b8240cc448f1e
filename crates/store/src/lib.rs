//! sitrep's embedded store: readings kept across reports in SQLite.
//!
//! A report is keyed by a hash of its text and metadata ([`content_hash`]), so ingesting the
//! same input twice adds nothing. A report is written whole or not at all (in its own
//! transaction, or in a savepoint of its batch's): its row, its places, its claims, and its
//! events, each either merged into an event already stored (same type, places within
//! [`MERGE_KM`], overlapping known dates, sides that agree) or added; every telling of an event
//! is kept as a source row, so merging never drops provenance. A process killed at any moment
//! leaves the store as it was after the last committed batch (SQLite's write-ahead log), and
//! running the ingest again finishes the job.
//!
//! Schema versions are applied in order by [`Store::open`] and recorded in `PRAGMA
//! user_version`.

use std::path::Path;

use chrono::NaiveDate;
use rusqlite::{params, Connection};
use serde::Serialize;
use sitrep_gazetteer::{distance_km, LatLon};
use sitrep_read::{EventReading, Reading};

/// Two events this close (km) with the same type, overlapping dates and agreeing sides are one.
pub const MERGE_KM: f64 = 25.0;

/// The schema, one migration per version, applied in order.
const MIGRATIONS: &[&str] = &[r"
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        content_hash TEXT NOT NULL UNIQUE,
        doc_id TEXT NOT NULL,
        title TEXT, byline TEXT, source TEXT, url TEXT, published TEXT,
        ingested_at TEXT NOT NULL,
        reading TEXT NOT NULL
    );
    CREATE TABLE places (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL, feature TEXT NOT NULL, admin1 TEXT, country TEXT,
        lat REAL NOT NULL, lon REAL NOT NULL
    );
    CREATE TABLE report_places (
        report_id INTEGER NOT NULL REFERENCES reports(id),
        place_id TEXT NOT NULL REFERENCES places(id),
        mentions INTEGER NOT NULL,
        PRIMARY KEY (report_id, place_id)
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        event_type TEXT NOT NULL, plover TEXT NOT NULL,
        actor TEXT, side TEXT, held_before TEXT, held_after TEXT,
        place_id TEXT REFERENCES places(id), place_name TEXT, precision INTEGER,
        lat REAL, lon REAL,
        date_from TEXT, date_to TEXT, date_precision TEXT
    );
    CREATE INDEX events_by_date ON events(date_from, date_to);
    CREATE INDEX events_by_point ON events(lat, lon);
    CREATE TABLE event_sources (
        event_id INTEGER NOT NULL REFERENCES events(id),
        report_id INTEGER NOT NULL REFERENCES reports(id),
        evidence TEXT NOT NULL, claimant TEXT, certainty TEXT NOT NULL,
        PRIMARY KEY (event_id, report_id, evidence)
    );
    CREATE TABLE claims (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES reports(id),
        claimant TEXT, claimant_kind TEXT, cue TEXT NOT NULL, certainty TEXT NOT NULL,
        affirmative INTEGER NOT NULL, evidence TEXT NOT NULL
    );
    CREATE INDEX claims_by_claimant ON claims(claimant);
", r"
    ALTER TABLE reports ADD COLUMN text TEXT NOT NULL DEFAULT '';
", r"
    -- From here on the reading is kept compressed (zstd) in reading_zst, and reading is ''.
    ALTER TABLE reports ADD COLUMN reading_zst BLOB;
    CREATE TABLE disagreements (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES reports(id),
        quantity TEXT NOT NULL, unit TEXT NOT NULL, conflicting INTEGER NOT NULL,
        numbers TEXT NOT NULL
    );
    CREATE INDEX disagreements_by_report ON disagreements(report_id);
"];

/// The migration after which readings are compressed and disagreements have a table.
const COMPRESSED_READINGS: usize = 3;

/// zstd level for stored readings: fast, and about a fifth of the JSON's size.
const ZSTD_LEVEL: i32 = 1;

/// What went wrong with the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused.
    #[error("the store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A reading could not be serialised.
    #[error("serialising a reading: {0}")]
    Json(#[from] serde_json::Error),
    /// Something stored cannot be read back.
    #[error("the store holds something unreadable: {0}")]
    Corrupt(String),
    /// The file was made by a newer sitrep.
    #[error("the store has schema version {found}; this sitrep knows up to {known}")]
    TooNew {
        /// The file's version.
        found: usize,
        /// The newest this build knows.
        known: usize,
    },
}

/// What ingesting one reading did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Ingested {
    /// False when the same report was already stored (nothing was written).
    pub new_report: bool,
    /// Events added.
    pub events_new: usize,
    /// Events merged into ones already stored.
    pub events_merged: usize,
    /// Claims stored.
    pub claims: usize,
}

/// An event as the store keeps it, with every source.
#[derive(Debug, Clone, Serialize)]
pub struct StoredEvent {
    /// Row id.
    pub id: i64,
    /// Event type ("territory_taken").
    pub event_type: String,
    /// PLOVER crosswalk.
    pub plover: String,
    /// Actor as first named.
    pub actor: Option<String>,
    /// Actor's side.
    pub side: Option<String>,
    /// Place id, name and precision code.
    pub place_id: Option<String>,
    /// Place name.
    pub place_name: Option<String>,
    /// Precision code (1 town … 6 country).
    pub precision: Option<i64>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// First day.
    pub date_from: Option<String>,
    /// Last day.
    pub date_to: Option<String>,
    /// Every telling: report, evidence, claimant, certainty.
    pub sources: Vec<Source>,
}

/// One telling of a stored event.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    /// The report's row id (for [`Store::report`]).
    pub report_id: i64,
    /// The report's document id.
    pub report: String,
    /// The outlet, if known.
    pub outlet: Option<String>,
    /// The sentence.
    pub evidence: String,
    /// Who says so.
    pub claimant: Option<String>,
    /// How sure.
    pub certainty: String,
}

/// Filters for [`Store::events`]; every field narrows, none is required.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    /// `[min_lat, min_lon, max_lat, max_lon]`.
    pub bbox: Option<[f64; 4]>,
    /// A point and a radius in km.
    pub near: Option<(LatLon, f64)>,
    /// Events ending on or after this day.
    pub from: Option<NaiveDate>,
    /// Events starting on or before this day.
    pub to: Option<NaiveDate>,
    /// Event type ("shelling").
    pub event_type: Option<String>,
    /// Actor's side ("UA") or a word of the actor's name.
    pub actor: Option<String>,
    /// A word of a claimant's name.
    pub claimant: Option<String>,
}

/// Counts of what a store holds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    /// Reports.
    pub reports: i64,
    /// Events.
    pub events: i64,
    /// Event sources (tellings).
    pub sources: i64,
    /// Claims.
    pub claims: i64,
}

/// A stored report, as listed.
#[derive(Debug, Clone, Serialize)]
pub struct ReportSummary {
    /// Row id (for [`Store::report`]).
    pub id: i64,
    /// The document id it came with.
    pub doc_id: String,
    /// Headline.
    pub title: Option<String>,
    /// Outlet.
    pub source: Option<String>,
    /// Publication day.
    pub published: Option<String>,
    /// Events it tells.
    pub events: i64,
    /// Claims it holds.
    pub claims: i64,
}

/// A stored report whole: its text and its reading (schema `sitrep.reading`), whose offsets
/// point into the text.
#[derive(Debug, Clone, Serialize)]
pub struct StoredReport {
    /// What the listing shows.
    #[serde(flatten)]
    pub summary: ReportSummary,
    /// The text that was read.
    pub text: String,
    /// The reading, as JSON.
    pub reading: serde_json::Value,
}

/// A stored claim with the report it was read from.
#[derive(Debug, Clone, Serialize)]
pub struct StoredClaim {
    /// The report's row id.
    pub report_id: i64,
    /// The report's document id.
    pub report: String,
    /// Who claims it.
    pub claimant: Option<String>,
    /// What kind of claimant ("official", "media", ...).
    pub claimant_kind: Option<String>,
    /// The reporting verb or phrase.
    pub cue: String,
    /// How sure the claim sounds.
    pub certainty: String,
    /// False for a denial.
    pub affirmative: bool,
    /// The sentence.
    pub evidence: String,
}

/// Numbers on one quantity that a report's sources state differently, side by side.
#[derive(Debug, Clone, Serialize)]
pub struct StoredDisagreement {
    /// The report's row id.
    pub report_id: i64,
    /// The report's document id.
    pub report: String,
    /// What is counted or measured.
    pub quantity: String,
    /// The unit every figure was brought to.
    pub unit: String,
    /// True when the figures cannot all be right.
    pub conflicting: bool,
    /// Each figure as the reading gives it (stated text, value, claimant, certainty).
    pub numbers: Vec<serde_json::Value>,
}

/// The embedded store.
pub struct Store {
    conn: Connection,
}

/// The content key of a report: 64-bit FNV-1a over its text, headline, outlet, address and
/// publication date (not its id: the same report under two ids is one report), with the
/// text's length appended.
pub fn content_hash(doc_text: &str, reading: &Reading) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes.iter().chain(std::iter::once(&0xff)) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    feed(doc_text.as_bytes());
    for field in [&reading.title, &reading.source, &reading.url] {
        feed(field.as_deref().unwrap_or("").as_bytes());
    }
    feed(reading.published.map(|d| d.to_string()).unwrap_or_default().as_bytes());
    format!("{h:016x}-{}", doc_text.len())
}

fn label<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

impl Store {
    /// Opens (creating if needed) the store at `path`, in WAL mode, migrated to this build's
    /// schema.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // A batch is one transaction with a savepoint per report: give it room in memory, so
        // that neither the page cache nor the savepoints' journal spill to disk mid-batch.
        conn.pragma_update(None, "cache_size", -65_536)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        let mut store = Store { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<(), StoreError> {
        let version: usize = self.conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0))? as usize;
        if version > MIGRATIONS.len() {
            return Err(StoreError::TooNew { found: version, known: MIGRATIONS.len() });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            if i + 1 == COMPRESSED_READINGS {
                compress_stored_readings(&tx)?;
            }
            tx.pragma_update(None, "user_version", (i + 1) as i64)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Stores one reading of a document whose text is `doc_text`, in one transaction.
    pub fn ingest(&mut self, doc_text: &str, reading: &Reading) -> Result<Ingested, StoreError> {
        let prepared = Prepared::new(doc_text.to_owned(), reading.clone())?;
        let tx = self.conn.transaction()?;
        let outcome = write_one(&tx, &prepared)?;
        tx.commit()?;
        Ok(outcome)
    }

    /// Stores a batch of (report text, reading) in one transaction, each report within a
    /// savepoint of its own: a report that fails is rolled back alone and its error returned in
    /// its place; the rest go in. A process killed mid-batch leaves none of the batch, and the
    /// next ingest stores it again.
    pub fn ingest_batch(&mut self, items: &[Prepared]) -> Result<Vec<Result<Ingested, StoreError>>, StoreError> {
        let mut tx = self.conn.transaction()?;
        let mut outcomes = Vec::with_capacity(items.len());
        for item in items {
            let sp = tx.savepoint()?;
            let outcome = write_one(&sp, item);
            if outcome.is_ok() {
                sp.commit()?;
            }
            outcomes.push(outcome);
        }
        tx.commit()?;
        Ok(outcomes)
    }

    /// Events matching `q`, newest first, each with every source.
    pub fn events(&self, q: &EventQuery) -> Result<Vec<StoredEvent>, StoreError> {
        let mut sql = String::from(
            "SELECT id, event_type, plover, actor, side, place_id, place_name, precision, lat, lon, date_from, date_to FROM events WHERE 1=1",
        );
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        let mut arg = |sql: &mut String, clause: &str, v: rusqlite::types::Value| {
            args.push(v);
            sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
        };
        if let Some([a, b, c, d]) = q.bbox {
            arg(&mut sql, " AND lat >= ?", a.into());
            arg(&mut sql, " AND lon >= ?", b.into());
            arg(&mut sql, " AND lat <= ?", c.into());
            arg(&mut sql, " AND lon <= ?", d.into());
        }
        if let Some((p, km)) = q.near {
            // A box that holds the circle, refined below by great-circle distance.
            let dlat = km / 111.0;
            let dlon = km / (111.0 * p.lat.to_radians().cos().max(0.01));
            arg(&mut sql, " AND lat >= ?", (p.lat - dlat).into());
            arg(&mut sql, " AND lat <= ?", (p.lat + dlat).into());
            arg(&mut sql, " AND lon >= ?", (p.lon - dlon).into());
            arg(&mut sql, " AND lon <= ?", (p.lon + dlon).into());
        }
        if let Some(from) = q.from {
            arg(&mut sql, " AND date_to >= ?", from.to_string().into());
        }
        if let Some(to) = q.to {
            arg(&mut sql, " AND date_from <= ?", to.to_string().into());
        }
        if let Some(t) = &q.event_type {
            arg(&mut sql, " AND event_type = ?", t.clone().into());
        }
        if let Some(a) = &q.actor {
            arg(&mut sql, " AND (side = ? OR actor LIKE '%' || ", a.to_uppercase().into());
            arg(&mut sql, "? || '%')", a.clone().into());
        }
        if let Some(c) = &q.claimant {
            arg(&mut sql, " AND id IN (SELECT event_id FROM event_sources WHERE claimant LIKE '%' || ? || '%')", c.clone().into());
        }
        sql.push_str(" ORDER BY date_to DESC, id");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok(StoredEvent {
                id: r.get(0)?,
                event_type: r.get(1)?,
                plover: r.get(2)?,
                actor: r.get(3)?,
                side: r.get(4)?,
                place_id: r.get(5)?,
                place_name: r.get(6)?,
                precision: r.get(7)?,
                lat: r.get(8)?,
                lon: r.get(9)?,
                date_from: r.get(10)?,
                date_to: r.get(11)?,
                sources: Vec::new(),
            })
        })?;
        let mut events = Vec::new();
        for e in rows {
            let mut e = e?;
            if let (Some((p, km)), Some(lat), Some(lon)) = (q.near, e.lat, e.lon) {
                if distance_km(p, LatLon::new(lat, lon)) > km {
                    continue;
                }
            }
            e.sources = self.sources(e.id)?;
            events.push(e);
        }
        Ok(events)
    }

    fn sources(&self, event_id: i64) -> Result<Vec<Source>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, r.doc_id, r.source, s.evidence, s.claimant, s.certainty FROM event_sources s JOIN reports r ON r.id = s.report_id
             WHERE s.event_id = ?1 ORDER BY r.id",
        )?;
        let rows = stmt.query_map([event_id], |r| {
            Ok(Source { report_id: r.get(0)?, report: r.get(1)?, outlet: r.get(2)?, evidence: r.get(3)?, claimant: r.get(4)?, certainty: r.get(5)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The stored reports, newest publication first.
    pub fn reports(&self) -> Result<Vec<ReportSummary>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT r.id, r.doc_id, r.title, r.source, r.published,
                    (SELECT count(DISTINCT event_id) FROM event_sources s WHERE s.report_id = r.id),
                    (SELECT count(*) FROM claims c WHERE c.report_id = r.id)
             FROM reports r ORDER BY r.published DESC, r.id",
        )?;
        let rows = stmt.query_map([], summary_of)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One stored report with its text and reading, if there is one with this row id.
    pub fn report(&self, id: i64) -> Result<Option<StoredReport>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, r.doc_id, r.title, r.source, r.published,
                    (SELECT count(DISTINCT event_id) FROM event_sources s WHERE s.report_id = r.id),
                    (SELECT count(*) FROM claims c WHERE c.report_id = r.id),
                    r.text, r.reading_zst
             FROM reports r WHERE r.id = ?1",
        )?;
        let mut rows = stmt.query([id])?;
        let Some(row) = rows.next()? else { return Ok(None) };
        let blob: Vec<u8> = row.get(8)?;
        let reading = zstd::decode_all(&blob[..]).map_err(|e| StoreError::Corrupt(format!("report {id}: its reading does not decompress: {e}")))?;
        Ok(Some(StoredReport { summary: summary_of(row)?, text: row.get(7)?, reading: serde_json::from_slice(&reading)? }))
    }

    /// Stored claims, by report; only those whose claimant's name holds `claimant` when given.
    pub fn claims(&self, claimant: Option<&str>) -> Result<Vec<StoredClaim>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.report_id, r.doc_id, c.claimant, c.claimant_kind, c.cue, c.certainty, c.affirmative, c.evidence
             FROM claims c JOIN reports r ON r.id = c.report_id
             WHERE ?1 IS NULL OR c.claimant LIKE '%' || ?1 || '%' ORDER BY c.report_id, c.id",
        )?;
        let rows = stmt.query_map([claimant], |r| {
            Ok(StoredClaim {
                report_id: r.get(0)?,
                report: r.get(1)?,
                claimant: r.get(2)?,
                claimant_kind: r.get(3)?,
                cue: r.get(4)?,
                certainty: r.get(5)?,
                affirmative: r.get(6)?,
                evidence: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every disagreement read in the stored reports, each with its figures side by side.
    pub fn disagreements(&self) -> Result<Vec<StoredDisagreement>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.report_id, r.doc_id, d.quantity, d.unit, d.conflicting, d.numbers FROM disagreements d JOIN reports r ON r.id = d.report_id
             ORDER BY r.published DESC, r.id, d.id",
        )?;
        let mut out = Vec::new();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            out.push(StoredDisagreement {
                report_id: row.get(0)?,
                report: row.get(1)?,
                quantity: row.get(2)?,
                unit: row.get(3)?,
                conflicting: row.get(4)?,
                numbers: serde_json::from_str(&row.get::<_, String>(5)?)?,
            });
        }
        Ok(out)
    }

    /// How much the store holds.
    pub fn counts(&self) -> Result<Counts, StoreError> {
        let count = |table: &str| self.conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get::<_, i64>(0));
        Ok(Counts { reports: count("reports")?, events: count("events")?, sources: count("event_sources")?, claims: count("claims")? })
    }
}

fn summary_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<ReportSummary> {
    Ok(ReportSummary { id: r.get(0)?, doc_id: r.get(1)?, title: r.get(2)?, source: r.get(3)?, published: r.get(4)?, events: r.get(5)?, claims: r.get(6)? })
}

/// A reading ready to store: its report text, and its compressed JSON, disagreements and key
/// worked out already, so that the work can be done on many threads before the one writer
/// stores it.
pub struct Prepared {
    /// The report's text.
    pub text: String,
    /// The reading.
    pub reading: Reading,
    reading_zst: Vec<u8>,
    disagreements: Vec<DisagreementRow>,
    hash: String,
}

/// A row of the disagreements table: quantity, unit, whether the figures conflict, and the
/// figures themselves as a JSON array.
struct DisagreementRow(String, String, bool, String);

impl Prepared {
    /// Serialises, compresses and keys `reading`.
    pub fn new(text: String, reading: Reading) -> Result<Prepared, StoreError> {
        let json = serde_json::to_vec(&reading)?;
        let reading_zst = zstd::encode_all(&json[..], ZSTD_LEVEL).map_err(|e| StoreError::Corrupt(format!("compressing a reading: {e}")))?;
        let disagreements = reading
            .disagreements
            .iter()
            .map(|d| {
                let figures: Vec<&sitrep_read::NumberReading> = d.numbers.iter().filter_map(|&i| reading.numbers.get(i)).collect();
                Ok(DisagreementRow(d.quantity.to_owned(), label(&d.unit), d.conflicting, serde_json::to_string(&figures)?))
            })
            .collect::<Result<_, StoreError>>()?;
        let hash = content_hash(&text, &reading);
        Ok(Prepared { text, reading, reading_zst, disagreements, hash })
    }
}

/// The disagreements of a reading stored as JSON, each with its figures copied out of
/// `numbers` (as [`Prepared::new`] does from the reading itself).
fn disagreement_rows(reading: &serde_json::Value) -> Result<Vec<DisagreementRow>, StoreError> {
    let numbers = reading["numbers"].as_array().map(Vec::as_slice).unwrap_or_default();
    let mut rows = Vec::new();
    for d in reading["disagreements"].as_array().into_iter().flatten() {
        let figures: Vec<&serde_json::Value> = d["numbers"].as_array().into_iter().flatten().filter_map(|i| numbers.get(i.as_u64()? as usize)).collect();
        let text = |k: &str| d[k].as_str().unwrap_or_default().to_owned();
        rows.push(DisagreementRow(text("quantity"), text("unit"), d["conflicting"].as_bool().unwrap_or(false), serde_json::to_string(&figures)?));
    }
    Ok(rows)
}

fn insert_disagreements(tx: &Connection, report_id: i64, rows: &[DisagreementRow]) -> Result<(), StoreError> {
    for DisagreementRow(quantity, unit, conflicting, numbers) in rows {
        tx.prepare_cached("INSERT INTO disagreements (report_id, quantity, unit, conflicting, numbers) VALUES (?1, ?2, ?3, ?4, ?5)")?
            .execute(params![report_id, quantity, unit, conflicting, numbers])?;
    }
    Ok(())
}

/// Brings reports stored before readings were compressed up to date: compresses each reading
/// and fills in its disagreements.
fn compress_stored_readings(tx: &Connection) -> Result<(), StoreError> {
    let old: Vec<(i64, String)> = tx.prepare("SELECT id, reading FROM reports WHERE reading_zst IS NULL")?.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    for (id, json) in old {
        let zst = zstd::encode_all(json.as_bytes(), ZSTD_LEVEL).map_err(|e| StoreError::Corrupt(format!("compressing report {id}: {e}")))?;
        insert_disagreements(tx, id, &disagreement_rows(&serde_json::from_str(&json)?)?)?;
        tx.execute("UPDATE reports SET reading_zst = ?1, reading = '' WHERE id = ?2", params![zst, id])?;
    }
    Ok(())
}

/// Writes one reading (no commit): the report row, its places, claims and events.
fn write_one(tx: &Connection, item: &Prepared) -> Result<Ingested, StoreError> {
    let (hash, reading) = (&item.hash, &item.reading);
    let inserted = tx.prepare_cached("INSERT INTO reports (content_hash, doc_id, title, byline, source, url, published, ingested_at, reading, reading_zst, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, datetime('now'), '', ?8, ?9) ON CONFLICT(content_hash) DO NOTHING")?.execute(
        params![
            hash,
            reading.id,
            reading.title,
            reading.byline,
            reading.source,
            reading.url,
            reading.published.map(|d| d.to_string()),
            item.reading_zst,
            item.text
        ],
    )?;
    if inserted == 0 {
        return Ok(Ingested::default());
    }
    let report_id = tx.last_insert_rowid();
    for p in &reading.places {
        tx.prepare_cached("INSERT INTO places (id, name, feature, admin1, country, lat, lon) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT(id) DO NOTHING")?.execute(
            params![p.id, p.name, p.feature.as_str(), p.admin1, p.country, p.lat, p.lon],
        )?;
        tx.prepare_cached("INSERT INTO report_places (report_id, place_id, mentions) VALUES (?1, ?2, ?3)")?.execute( params![report_id, p.id, p.mentions.len() as i64])?;
    }
    insert_disagreements(tx, report_id, &item.disagreements)?;
    let mut outcome = Ingested { new_report: true, ..Ingested::default() };
    for c in &reading.claims {
        tx.prepare_cached("INSERT INTO claims (report_id, claimant, claimant_kind, cue, certainty, affirmative, evidence) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?.execute(
            params![
                report_id,
                c.claimant.as_ref().map(|x| x.name.clone()),
                c.claimant.as_ref().map(|x| label(&x.kind)),
                c.cue,
                label(&c.certainty),
                c.affirmative,
                c.text
            ],
        )?;
        outcome.claims += 1;
    }
    for e in &reading.events {
        let event_id = match merge_target(&tx, e)? {
            Some(id) => {
                outcome.events_merged += 1;
                id
            }
            None => {
                outcome.events_new += 1;
                insert_event(&tx, e)?
            }
        };
        let tellings = std::iter::once((e.text.as_str(), &e.claimant, e.certainty))
            .chain(e.also.iter().map(|a| (a.text.as_str(), &a.claimant, a.certainty)));
        for (text, claimant, certainty) in tellings {
            tx.prepare_cached("INSERT INTO event_sources (event_id, report_id, evidence, claimant, certainty) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT DO NOTHING")?.execute(
                params![event_id, report_id, text, claimant, label(&certainty)],
            )?;
        }
    }
    Ok(outcome)
}

/// An event already stored that `e` tells again, if any.
fn merge_target(tx: &Connection, e: &EventReading) -> Result<Option<i64>, StoreError> {
    // Without a place or a date there is nothing to tell two events apart: never merged.
    let (Some(place), Some(date)) = (e.place.as_ref(), e.date.as_ref()) else { return Ok(None) };
    let side = e.event.actor.as_ref().and_then(|a| a.side.clone());
    let (from, to) = (date.from.to_string(), date.to.to_string());
    let dlat = MERGE_KM / 111.0;
    let dlon = MERGE_KM / (111.0 * place.lat.to_radians().cos().max(0.01));
    let mut stmt = tx.prepare_cached(
        "SELECT id, lat, lon FROM events
         WHERE event_type = ?1 AND lat BETWEEN ?2 AND ?3 AND lon BETWEEN ?4 AND ?5
           AND (?6 IS NULL OR side IS NULL OR side = ?6)
           AND date_to >= ?7 AND date_from <= ?8
         ORDER BY id",
    )?;
    let candidates = stmt.query_map(
        params![label(&e.event.event_type), place.lat - dlat, place.lat + dlat, place.lon - dlon, place.lon + dlon, side, from, to],
        |r| Ok((r.get::<_, i64>(0)?, r.get::<_, f64>(1)?, r.get::<_, f64>(2)?)),
    )?;
    for c in candidates {
        let (id, lat, lon) = c?;
        if distance_km(LatLon::new(lat, lon), LatLon::new(place.lat, place.lon)) <= MERGE_KM {
            return Ok(Some(id));
        }
    }
    Ok(None)
}

fn insert_event(tx: &Connection, e: &EventReading) -> Result<i64, StoreError> {
    let place = e.place.as_ref();
    let actor = e.event.actor.as_ref();
    tx.prepare_cached("INSERT INTO events (event_type, plover, actor, side, held_before, held_after, place_id, place_name, precision, lat, lon, date_from, date_to, date_precision)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)")?.execute(
        params![
            label(&e.event.event_type),
            e.event.plover,
            actor.map(|a| a.name.clone()),
            actor.and_then(|a| a.side.clone()),
            e.event.held_before,
            e.event.held_after,
            place.map(|p| p.id.clone()),
            place.map(|p| p.name.clone()),
            place.map(|p| i64::from(p.precision)),
            place.map(|p| p.lat),
            place.map(|p| p.lon),
            e.date.as_ref().map(|d| d.from.to_string()),
            e.date.as_ref().map(|d| d.to.to_string()),
            e.date.as_ref().map(|d| label(&d.precision)),
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store made by a build before readings were compressed is brought up to date on
    /// opening: its reading reads back, and its disagreements are listed.
    #[test]
    fn readings_stored_uncompressed_are_compressed_on_upgrade() {
        let dir = std::env::temp_dir().join(format!("sitrep-store-upgrade-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("old.db");
        let reading = serde_json::json!({
            "schema": "sitrep.reading/0.1", "id": "old",
            "numbers": [{ "number": { "text": "12 km", "value": 12.0 }, "claimant": "A" }, { "number": { "text": "3 km", "value": 3.0 }, "claimant": "B" }],
            "disagreements": [{ "quantity": "depth of advance", "unit": "km", "numbers": [0, 1], "conflicting": true }]
        });
        {
            let conn = Connection::open(&path).unwrap();
            for sql in &MIGRATIONS[..COMPRESSED_READINGS - 1] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", (COMPRESSED_READINGS - 1) as i64).unwrap();
            conn.execute(
                "INSERT INTO reports (content_hash, doc_id, ingested_at, reading, text) VALUES ('h', 'old', '2023-01-01', ?1, 'twelve or three')",
                [reading.to_string()],
            )
            .unwrap();
        }
        let store = Store::open(&path).unwrap();
        let stored = store.report(1).unwrap().expect("the old report is still there");
        assert_eq!(stored.reading, reading);
        assert_eq!(stored.text, "twelve or three");
        let d = store.disagreements().unwrap();
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].quantity.as_str(), d[0].unit.as_str(), d[0].conflicting), ("depth of advance", "km", true));
        assert_eq!(d[0].numbers.iter().map(|n| n["claimant"].as_str().unwrap()).collect::<Vec<_>>(), ["A", "B"]);
        let left: String = store.conn.query_row("SELECT reading FROM reports WHERE id = 1", [], |r| r.get(0)).unwrap();
        assert!(left.is_empty(), "the uncompressed copy is dropped");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
