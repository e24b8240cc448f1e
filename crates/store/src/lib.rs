//! sitrep's store: readings kept across reports, in SQLite (the embedded store, one file) or
//! PostgreSQL (the shared store, for a team and for many workers at once). Both run the same
//! SQL through [`db::Db`] and give the same answers; only the schema's types and the way
//! writers are kept apart differ.
//!
//! A report is keyed by a hash of its text and metadata ([`content_hash`]), so ingesting the
//! same input twice adds nothing, whichever writer gets there first. A report is written whole
//! or not at all (in its own transaction, or in a savepoint of its batch's): its row, its
//! places, its claims, and its events, each either merged into an event already stored (same
//! type, places within [`MERGE_KM`], overlapping known dates, sides that agree) or added; every
//! telling of an event is kept as a source row, so merging never drops provenance. Writers are
//! kept apart while they decide what is new (SQLite's write lock; an advisory lock in
//! PostgreSQL), so concurrent writers never add one event twice. A process killed at any
//! moment leaves the store as it was after the last committed batch, and running the ingest
//! again finishes the job.
//!
//! Schema versions are applied in order when a store is opened ([`schema`]).

pub mod control;
pub mod db;
pub mod schema;

use std::path::Path;

use chrono::NaiveDate;
use serde::Serialize;
use sitrep_gazetteer::{distance_km, LatLon};
use sitrep_read::{EventReading, Reading};

use db::{Db, Dialect, Param, PostgresDb, Row, SqliteDb};

/// Two events this close (km) with the same type, overlapping dates and agreeing sides are one.
pub const MERGE_KM: f64 = 25.0;

/// zstd level for stored readings: fast, and about a fifth of the JSON's size.
const ZSTD_LEVEL: i32 = 1;

/// What went wrong with the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused.
    #[error("the store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL refused, or could not be reached.
    #[error("the store: {0}")]
    Postgres(#[from] postgres::Error),
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

impl StoreError {
    /// True when the database could not be reached or went away (a PostgreSQL server that is
    /// down or restarting, a connection that broke): trying again later may succeed, and the
    /// reports being written are not at fault.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Postgres(e) => {
                e.is_closed()
                    || e.code().is_some_and(|c| {
                        let code = c.code();
                        code.starts_with("08") || code.starts_with("57P") || code == "53300"
                    })
                    || std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>())
            }
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => {
                matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            }
            _ => false,
        }
    }
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

/// A store on SQLite or PostgreSQL.
pub struct Store {
    db: Box<dyn Db>,
    /// Whether radius queries go through PostGIS (PostgreSQL with the extension).
    postgis: bool,
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

/// True when `location` names a PostgreSQL database rather than an SQLite file.
pub fn is_postgres_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

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

    /// Opens (creating if needed) the SQLite store at `path`, in WAL mode.
    pub fn open_sqlite(path: &Path) -> Result<Store, StoreError> {
        let conn = rusqlite::Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // A batch is one transaction with a savepoint per report: give it room in memory, so
        // that neither the page cache nor the savepoints' journal spill to disk mid-batch.
        conn.pragma_update(None, "cache_size", -65_536)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        // Multi-row inserts come in up to ROWS_PER_STATEMENT shapes per table.
        conn.set_prepared_statement_cache_capacity(512);
        Store::on(Box::new(SqliteDb(conn)))
    }

    /// Connects to the PostgreSQL store at `url`.
    pub fn open_postgres(url: &str) -> Result<Store, StoreError> {
        Store::on(Box::new(PostgresDb::connect(url)?))
    }

    fn on(mut db: Box<dyn Db>) -> Result<Store, StoreError> {
        schema::migrate(db.as_mut())?;
        let postgis = db.dialect() == Dialect::Postgres && schema::enable_postgis(db.as_mut())?;
        Ok(Store { db, postgis })
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
        if self.postgis {
            "PostGIS (a GiST index on each event's point; ST_DWithin for a radius)"
        } else {
            "a plain (lat, lon) index, with great-circle refinement for a radius"
        }
    }

    /// Stores one reading of a document whose text is `doc_text`, in one transaction.
    pub fn ingest(&mut self, doc_text: &str, reading: &Reading) -> Result<Ingested, StoreError> {
        let prepared = Prepared::new(doc_text.to_owned(), reading.clone())?;
        let mut outcomes = self.ingest_batch(std::slice::from_ref(&prepared))?;
        outcomes.pop().expect("one outcome per report")
    }

    /// Stores a batch of readings in one transaction, each report within a savepoint of its
    /// own: a report that fails is rolled back alone and its error returned in its place; the
    /// rest go in. A process killed mid-batch leaves none of the batch, and the next ingest
    /// stores it again. An error for the whole batch (the database went away) leaves nothing.
    pub fn ingest_batch<P: std::borrow::Borrow<Prepared>>(&mut self, items: &[P]) -> Result<Vec<Result<Ingested, StoreError>>, StoreError> {
        let db = self.db.as_mut();
        db.begin_write()?;
        let run = (|| {
            let mut outcomes = Vec::with_capacity(items.len());
            for item in items {
                db.batch("SAVEPOINT report")?;
                let outcome = write_one(db, item.borrow());
                match &outcome {
                    Ok(_) => db.batch("RELEASE report")?,
                    Err(e) if e.is_unavailable() => return Err(outcome.unwrap_err()),
                    Err(_) => db.batch("ROLLBACK TO report; RELEASE report")?,
                }
                outcomes.push(outcome);
            }
            db.batch("COMMIT")?;
            Ok(outcomes)
        })();
        if run.is_err() {
            let _ = db.batch("ROLLBACK");
        }
        run
    }

    /// Events matching `q`, newest first, each with every source.
    pub fn events(&mut self, q: &EventQuery) -> Result<Vec<StoredEvent>, StoreError> {
        let mut sql =
            String::from("SELECT id, event_type, plover, actor, side, place_id, place_name, precision, lat, lon, date_from, date_to FROM events WHERE 1=1");
        let (from, to) = (q.from.map(|d| d.to_string()), q.to.map(|d| d.to_string()));
        let actor_side = q.actor.as_ref().map(|a| a.to_uppercase());
        let mut args: Vec<Param<'_>> = Vec::new();
        // Each clause's `?` becomes the number of the argument just pushed.
        let push = |sql: &mut String, clause: &str, args: &mut Vec<Param<'_>>| {
            sql.push_str(&clause.replace('?', &format!("${}", args.len())));
        };
        if let Some([a, b, c, d]) = q.bbox {
            for (clause, v) in [(" AND lat >= ?", a), (" AND lon >= ?", b), (" AND lat <= ?", c), (" AND lon <= ?", d)] {
                args.push(Param::Real(v));
                push(&mut sql, clause, &mut args);
            }
        }
        if let (Some((p, km)), true) = (q.near, self.postgis) {
            // The GiST index finds the circle (geodesic metres; a hair wider than the sphere's
            // kilometres), and the great-circle refinement below gives SQLite's answer exactly.
            for v in [p.lon, p.lat, km * 1000.0 * 1.01] {
                args.push(Param::Real(v));
            }
            let n = args.len();
            sql.push_str(&format!(" AND ST_DWithin(geog, CAST(ST_SetSRID(ST_MakePoint(${}, ${}), 4326) AS geography), ${n})", n - 2, n - 1));
        } else if let Some((p, km)) = q.near {
            // A box that holds the circle, refined below by great-circle distance.
            let dlat = km / 111.0;
            let dlon = km / (111.0 * p.lat.to_radians().cos().max(0.01));
            for (clause, v) in
                [(" AND lat >= ?", p.lat - dlat), (" AND lat <= ?", p.lat + dlat), (" AND lon >= ?", p.lon - dlon), (" AND lon <= ?", p.lon + dlon)]
            {
                args.push(Param::Real(v));
                push(&mut sql, clause, &mut args);
            }
        }
        if let Some(from) = &from {
            args.push(Param::Text(from));
            push(&mut sql, " AND date_to >= ?", &mut args);
        }
        if let Some(to) = &to {
            args.push(Param::Text(to));
            push(&mut sql, " AND date_from <= ?", &mut args);
        }
        if let Some(t) = &q.event_type {
            args.push(Param::Text(t));
            push(&mut sql, " AND event_type = ?", &mut args);
        }
        if let (Some(a), Some(side)) = (&q.actor, &actor_side) {
            args.push(Param::Text(side));
            push(&mut sql, " AND (side = ?", &mut args);
            args.push(Param::Text(a));
            push(&mut sql, " OR lower(actor) LIKE '%' || lower(CAST(? AS TEXT)) || '%')", &mut args);
        }
        if let Some(c) = &q.claimant {
            args.push(Param::Text(c));
            push(&mut sql, " AND id IN (SELECT event_id FROM event_sources WHERE lower(claimant) LIKE '%' || lower(CAST(? AS TEXT)) || '%')", &mut args);
        }
        sql.push_str(" ORDER BY date_to DESC, id");
        let rows = self.db.query(&sql, &args)?;
        let mut events = Vec::new();
        for r in rows {
            let e = StoredEvent {
                id: r[0].int(),
                event_type: r[1].text(),
                plover: r[2].text(),
                actor: r[3].opt_text(),
                side: r[4].opt_text(),
                place_id: r[5].opt_text(),
                place_name: r[6].opt_text(),
                precision: r[7].opt_int(),
                lat: r[8].opt_real(),
                lon: r[9].opt_real(),
                date_from: r[10].opt_text(),
                date_to: r[11].opt_text(),
                sources: Vec::new(),
            };
            if let (Some((p, km)), Some(lat), Some(lon)) = (q.near, e.lat, e.lon) {
                if distance_km(p, LatLon::new(lat, lon)) > km {
                    continue;
                }
            }
            events.push(e);
        }
        for e in &mut events {
            e.sources = self.sources(e.id)?;
        }
        Ok(events)
    }

    fn sources(&mut self, event_id: i64) -> Result<Vec<Source>, StoreError> {
        let rows = self.db.query(
            "SELECT r.id, r.doc_id, r.source, s.evidence, s.claimant, s.certainty FROM event_sources s JOIN reports r ON r.id = s.report_id
             WHERE s.event_id = $1 ORDER BY r.id, s.evidence",
            &[Param::Int(event_id)],
        )?;
        Ok(rows
            .iter()
            .map(|r| Source {
                report_id: r[0].int(),
                report: r[1].text(),
                outlet: r[2].opt_text(),
                evidence: r[3].text(),
                claimant: r[4].opt_text(),
                certainty: r[5].text(),
            })
            .collect())
    }

    /// The stored reports, newest publication first.
    pub fn reports(&mut self) -> Result<Vec<ReportSummary>, StoreError> {
        let rows = self.db.query(&format!("SELECT {REPORT_SUMMARY} FROM reports r ORDER BY r.published DESC, r.id"), &[])?;
        Ok(rows.iter().map(summary_of).collect())
    }

    /// One stored report with its text and reading, if there is one with this row id.
    pub fn report(&mut self, id: i64) -> Result<Option<StoredReport>, StoreError> {
        let rows = self.db.query(&format!("SELECT {REPORT_SUMMARY}, r.text, r.reading_zst FROM reports r WHERE r.id = $1"), &[Param::Int(id)])?;
        let Some(row) = rows.first() else { return Ok(None) };
        let reading = zstd::decode_all(&row[8].blob()[..]).map_err(|e| StoreError::Corrupt(format!("report {id}: its reading does not decompress: {e}")))?;
        Ok(Some(StoredReport { summary: summary_of(row), text: row[7].text(), reading: serde_json::from_slice(&reading)? }))
    }

    /// Stored claims, by report; only those whose claimant's name holds `claimant` when given.
    pub fn claims(&mut self, claimant: Option<&str>) -> Result<Vec<StoredClaim>, StoreError> {
        let rows = self.db.query(
            "SELECT c.report_id, r.doc_id, c.claimant, c.claimant_kind, c.cue, c.certainty, c.affirmative, c.evidence
             FROM claims c JOIN reports r ON r.id = c.report_id
             WHERE CAST($1 AS TEXT) IS NULL OR lower(c.claimant) LIKE '%' || lower(CAST($1 AS TEXT)) || '%' ORDER BY c.report_id, c.id",
            &[claimant.into()],
        )?;
        Ok(rows
            .iter()
            .map(|r| StoredClaim {
                report_id: r[0].int(),
                report: r[1].text(),
                claimant: r[2].opt_text(),
                claimant_kind: r[3].opt_text(),
                cue: r[4].text(),
                certainty: r[5].text(),
                affirmative: r[6].bool(),
                evidence: r[7].text(),
            })
            .collect())
    }

    /// Every disagreement read in the stored reports, each with its figures side by side.
    pub fn disagreements(&mut self) -> Result<Vec<StoredDisagreement>, StoreError> {
        let rows = self.db.query(
            "SELECT d.report_id, r.doc_id, d.quantity, d.unit, d.conflicting, d.numbers FROM disagreements d JOIN reports r ON r.id = d.report_id
             ORDER BY r.published DESC, r.id, d.id",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                Ok(StoredDisagreement {
                    report_id: r[0].int(),
                    report: r[1].text(),
                    quantity: r[2].text(),
                    unit: r[3].text(),
                    conflicting: r[4].bool(),
                    numbers: serde_json::from_str(&r[5].text())?,
                })
            })
            .collect()
    }

    /// How much the store holds.
    pub fn counts(&mut self) -> Result<Counts, StoreError> {
        let rows = self.db.query(
            "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM events), (SELECT count(*) FROM event_sources), (SELECT count(*) FROM claims)",
            &[],
        )?;
        let r = rows.first().ok_or_else(|| StoreError::Corrupt("counting gave no row".into()))?;
        Ok(Counts { reports: r[0].int(), events: r[1].int(), sources: r[2].int(), claims: r[3].int() })
    }
}

/// The columns of a report's listing (of `reports r`), its counts of events and claims last.
const REPORT_SUMMARY: &str = "r.id, r.doc_id, r.title, r.source, r.published,
        (SELECT count(DISTINCT event_id) FROM event_sources s WHERE s.report_id = r.id),
        (SELECT count(*) FROM claims c WHERE c.report_id = r.id)";

fn summary_of(r: &Row) -> ReportSummary {
    ReportSummary {
        id: r[0].int(),
        doc_id: r[1].text(),
        title: r[2].opt_text(),
        source: r[3].opt_text(),
        published: r[4].opt_text(),
        events: r[5].int(),
        claims: r[6].int(),
    }
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

    /// The report's content key ([`content_hash`]).
    pub fn key(&self) -> &str {
        &self.hash
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

fn insert_disagreements(db: &mut dyn Db, report_id: i64, rows: &[DisagreementRow]) -> Result<(), StoreError> {
    let values: Vec<[Param<'_>; 5]> = rows
        .iter()
        .map(|DisagreementRow(quantity, unit, conflicting, numbers)| {
            [Param::Int(report_id), Param::Text(quantity), Param::Text(unit), Param::Bool(*conflicting), Param::Text(numbers)]
        })
        .collect();
    insert_rows(db, "INSERT INTO disagreements (report_id, quantity, unit, conflicting, numbers) VALUES", &values, "")
}

/// Rows inserted with as few statements as possible: `head` (up to `VALUES`) followed by up
/// to [`ROWS_PER_STATEMENT`] rows of parameters each, then `tail` (a conflict clause).
fn insert_rows<const N: usize>(db: &mut dyn Db, head: &str, rows: &[[Param<'_>; N]], tail: &str) -> Result<(), StoreError> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut sql = String::with_capacity(head.len() + tail.len() + chunk.len() * N * 6);
        sql.push_str(head);
        for r in 0..chunk.len() {
            sql.push_str(if r == 0 { " (" } else { ", (" });
            for c in 0..N {
                if c > 0 {
                    sql.push_str(", ");
                }
                sql.push('$');
                sql.push_str(&(r * N + c + 1).to_string());
            }
            sql.push(')');
        }
        sql.push_str(tail);
        let params: Vec<Param<'_>> = chunk.iter().flatten().copied().collect();
        db.execute(&sql, &params)?;
    }
    Ok(())
}

/// Rows per multi-row INSERT: few round trips, and few distinct statements to cache.
const ROWS_PER_STATEMENT: usize = 64;

/// Brings SQLite reports stored before readings were compressed up to date: compresses each
/// reading and fills in its disagreements (a step of [`schema::migrate`]).
fn compress_stored_readings(db: &mut dyn Db) -> Result<(), StoreError> {
    let old = db.query("SELECT id, reading FROM reports WHERE reading_zst IS NULL", &[])?;
    for row in old {
        let (id, json) = (row[0].int(), row[1].text());
        let zst = zstd::encode_all(json.as_bytes(), ZSTD_LEVEL).map_err(|e| StoreError::Corrupt(format!("compressing report {id}: {e}")))?;
        insert_disagreements(db, id, &disagreement_rows(&serde_json::from_str(&json)?)?)?;
        db.execute("UPDATE reports SET reading_zst = $1, reading = '' WHERE id = $2", &[Param::Blob(&zst), Param::Int(id)])?;
    }
    Ok(())
}

/// Writes one reading (no commit): the report row, its places, claims and events, in a
/// handful of statements (rows of a kind go in together; the events that could be merged with
/// the report's are fetched in one query).
fn write_one(db: &mut dyn Db, item: &Prepared) -> Result<Ingested, StoreError> {
    let reading = &item.reading;
    let published = reading.published.map(|d| d.to_string());
    let now = chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string();
    let inserted = db.query(
        "INSERT INTO reports (content_hash, doc_id, title, byline, source, url, published, ingested_at, reading, reading_zst, text)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', $9, $10) ON CONFLICT (content_hash) DO NOTHING RETURNING id",
        &[
            Param::Text(&item.hash),
            Param::Text(&reading.id),
            reading.title.as_deref().into(),
            reading.byline.as_deref().into(),
            reading.source.as_deref().into(),
            reading.url.as_deref().into(),
            published.as_deref().into(),
            Param::Text(&now),
            Param::Blob(&item.reading_zst),
            Param::Text(&item.text),
        ],
    )?;
    let Some(report_id) = inserted.first().map(|r| r[0].int()) else {
        return Ok(Ingested::default());
    };
    let places: Vec<[Param<'_>; 7]> = reading
        .places
        .iter()
        .map(|p| {
            [
                Param::Text(&p.id),
                Param::Text(&p.name),
                Param::Text(p.feature.as_str()),
                p.admin1.as_deref().into(),
                p.country.as_deref().into(),
                Param::Real(p.lat),
                Param::Real(p.lon),
            ]
        })
        .collect();
    insert_rows(db, "INSERT INTO places (id, name, feature, admin1, country, lat, lon) VALUES", &places, " ON CONFLICT (id) DO NOTHING")?;
    let mentions: Vec<[Param<'_>; 3]> =
        reading.places.iter().map(|p| [Param::Int(report_id), Param::Text(&p.id), Param::Int(p.mentions.len() as i64)]).collect();
    insert_rows(db, "INSERT INTO report_places (report_id, place_id, mentions) VALUES", &mentions, " ON CONFLICT DO NOTHING")?;
    insert_disagreements(db, report_id, &item.disagreements)?;
    let labels: Vec<(Option<String>, String)> = reading.claims.iter().map(|c| (c.claimant.as_ref().map(|x| label(&x.kind)), label(&c.certainty))).collect();
    let claims: Vec<[Param<'_>; 7]> = reading
        .claims
        .iter()
        .zip(&labels)
        .map(|(c, (kind, certainty))| {
            [
                Param::Int(report_id),
                c.claimant.as_ref().map(|x| x.name.as_str()).into(),
                kind.as_deref().into(),
                Param::Text(&c.cue),
                Param::Text(certainty),
                Param::Bool(c.affirmative),
                Param::Text(&c.text),
            ]
        })
        .collect();
    insert_rows(db, "INSERT INTO claims (report_id, claimant, claimant_kind, cue, certainty, affirmative, evidence) VALUES", &claims, "")?;
    let mut outcome = Ingested { new_report: true, claims: claims.len(), ..Ingested::default() };
    let mut candidates = merge_candidates(db, &reading.events)?;
    let mut tellings: Vec<(i64, &str, Option<&str>, String)> = Vec::new();
    for e in &reading.events {
        let event_id = match merge_target(&candidates, e) {
            Some(id) => {
                outcome.events_merged += 1;
                id
            }
            None => {
                outcome.events_new += 1;
                let id = insert_event(db, e)?;
                // Later events of this report may tell this one again.
                candidates.extend(Candidate::of(id, e));
                id
            }
        };
        tellings.push((event_id, &e.text, e.claimant.as_deref(), label(&e.certainty)));
        tellings.extend(e.also.iter().map(|a| (event_id, a.text.as_str(), a.claimant.as_deref(), label(&a.certainty))));
    }
    let rows: Vec<[Param<'_>; 5]> = tellings
        .iter()
        .map(|(event, text, claimant, certainty)| [Param::Int(*event), Param::Int(report_id), Param::Text(text), (*claimant).into(), Param::Text(certainty)])
        .collect();
    insert_rows(db, "INSERT INTO event_sources (event_id, report_id, evidence, claimant, certainty) VALUES", &rows, " ON CONFLICT DO NOTHING")?;
    Ok(outcome)
}

/// A stored event that a new one might tell again.
struct Candidate {
    id: i64,
    event_type: String,
    side: Option<String>,
    lat: f64,
    lon: f64,
    date_from: String,
    date_to: String,
}

impl Candidate {
    /// The event just stored as `id`, if it has a place and a date.
    fn of(id: i64, e: &EventReading) -> Option<Candidate> {
        let (place, date) = (e.place.as_ref()?, e.date.as_ref()?);
        Some(Candidate {
            id,
            event_type: label(&e.event.event_type),
            side: e.event.actor.as_ref().and_then(|a| a.side.clone()),
            lat: place.lat,
            lon: place.lon,
            date_from: date.from.to_string(),
            date_to: date.to.to_string(),
        })
    }
}

/// Every stored event that could be merged with one of `events`: those inside the box of
/// their places (widened by [`MERGE_KM`]) whose dates meet theirs, in the order stored.
fn merge_candidates(db: &mut dyn Db, events: &[EventReading]) -> Result<Vec<Candidate>, StoreError> {
    let located: Vec<(&sitrep_read::EventPlace, &sitrep_read::EventDate)> = events.iter().filter_map(|e| Some((e.place.as_ref()?, e.date.as_ref()?))).collect();
    let Some(first) = located.first() else { return Ok(Vec::new()) };
    let mut b = [first.0.lat, first.0.lon, first.0.lat, first.0.lon];
    let (mut from, mut to) = (first.1.from, first.1.to);
    for (p, d) in &located {
        b = [b[0].min(p.lat), b[1].min(p.lon), b[2].max(p.lat), b[3].max(p.lon)];
        from = from.min(d.from);
        to = to.max(d.to);
    }
    let dlat = MERGE_KM / 111.0;
    let dlon = MERGE_KM / (111.0 * b[0].abs().max(b[2].abs()).to_radians().cos().max(0.01));
    let (from, to) = (from.to_string(), to.to_string());
    let rows = db.query(
        "SELECT id, event_type, side, lat, lon, date_from, date_to FROM events
         WHERE lat BETWEEN $1 AND $2 AND lon BETWEEN $3 AND $4 AND date_to >= $5 AND date_from <= $6
         ORDER BY id",
        &[Param::Real(b[0] - dlat), Param::Real(b[2] + dlat), Param::Real(b[1] - dlon), Param::Real(b[3] + dlon), Param::Text(&from), Param::Text(&to)],
    )?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(Candidate {
                id: r[0].int(),
                event_type: r[1].text(),
                side: r[2].opt_text(),
                lat: r[3].opt_real()?,
                lon: r[4].opt_real()?,
                date_from: r[5].text(),
                date_to: r[6].text(),
            })
        })
        .collect())
}

/// The first stored event that `e` tells again: same type, places within [`MERGE_KM`],
/// overlapping dates, sides that agree. Without a place or a date there is nothing to tell two
/// events apart, so such an event is never merged.
fn merge_target(candidates: &[Candidate], e: &EventReading) -> Option<i64> {
    let (place, date) = (e.place.as_ref()?, e.date.as_ref()?);
    let (kind, side) = (label(&e.event.event_type), e.event.actor.as_ref().and_then(|a| a.side.as_deref()));
    let (from, to) = (date.from.to_string(), date.to.to_string());
    candidates
        .iter()
        .find(|c| {
            c.event_type == kind
                && (side.is_none() || c.side.is_none() || c.side.as_deref() == side)
                && c.date_to >= from
                && c.date_from <= to
                && distance_km(LatLon::new(c.lat, c.lon), LatLon::new(place.lat, place.lon)) <= MERGE_KM
        })
        .map(|c| c.id)
}

fn insert_event(db: &mut dyn Db, e: &EventReading) -> Result<i64, StoreError> {
    let place = e.place.as_ref();
    let actor = e.event.actor.as_ref();
    let (kind, date_from, date_to, date_precision) = (
        label(&e.event.event_type),
        e.date.as_ref().map(|d| d.from.to_string()),
        e.date.as_ref().map(|d| d.to.to_string()),
        e.date.as_ref().map(|d| label(&d.precision)),
    );
    let rows = db.query(
        "INSERT INTO events (event_type, plover, actor, side, held_before, held_after, place_id, place_name, precision, lat, lon, date_from, date_to, date_precision)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        &[
            Param::Text(&kind),
            Param::Text(e.event.plover),
            actor.map(|a| a.name.as_str()).into(),
            actor.and_then(|a| a.side.as_deref()).into(),
            e.event.held_before.as_deref().into(),
            e.event.held_after.as_deref().into(),
            place.map(|p| p.id.as_str()).into(),
            place.map(|p| p.name.as_str()).into(),
            place.map(|p| i64::from(p.precision)).into(),
            place.map(|p| p.lat).into(),
            place.map(|p| p.lon).into(),
            date_from.as_deref().into(),
            date_to.as_deref().into(),
            date_precision.as_deref().into(),
        ],
    )?;
    rows.first().map(|r| r[0].int()).ok_or_else(|| StoreError::Corrupt("an inserted event has no id".into()))
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
        std::fs::remove_dir_all(dir).unwrap();
    }
}
