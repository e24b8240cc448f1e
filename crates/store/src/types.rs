//! The store's public types: what it answers and what went wrong.

use chrono::NaiveDate;
use serde::Serialize;
use sitrep_gazetteer::LatLon;

/// What went wrong with the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused.
    #[error("the store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL refused, or could not be reached.
    #[error("the store: {}", postgres_message(.0))]
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

/// What PostgreSQL said, not only the client's "db error": the server's message and detail,
/// or the cause of a failed connection.
fn postgres_message(e: &postgres::Error) -> String {
    match (e.as_db_error(), std::error::Error::source(e)) {
        (Some(db), _) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_owned(),
        },
        (None, Some(cause)) => format!("{e}: {cause}"),
        (None, None) => e.to_string(),
    }
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
    /// Control claims stored (for the control timeline).
    pub control_claims: usize,
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
    /// Who the event was done to, as first named.
    pub target: Option<String>,
    /// The target's side.
    pub target_side: Option<String>,
    /// True when a telling says the violence hit civilians (ACLED's `civilian_targeting`).
    pub civilian_targeting: bool,
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
    /// How precisely the date is known ("day", "week", "month", ...).
    pub date_precision: Option<String>,
    /// The place's first-level subdivision.
    pub admin1: Option<String>,
    /// The place's country code.
    pub country: Option<String>,
    /// How many tellings the event has in all.
    pub source_count: usize,
    /// Its tellings (report, evidence, claimant, certainty), in the order stored: all of
    /// them, or in a page of a listing ([`crate::Store::events_page`]) the first few.
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
    /// The report's publication date, when known.
    pub published: Option<String>,
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

/// Which slice of a list to answer: `limit` items from `offset` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Items skipped.
    pub offset: usize,
    /// Items answered at most.
    pub limit: usize,
}

/// One page of events and how many match in all.
#[derive(Debug, Clone, Serialize)]
pub struct EventPage {
    /// Events matching the query, on every page.
    pub total: usize,
    /// Events skipped before this page.
    pub offset: usize,
    /// The page's size asked for.
    pub limit: usize,
    /// This page's events, newest first.
    pub events: Vec<StoredEvent>,
}

/// One page of events written as JSON ([`crate::Store::events_page_json`]) and how many
/// match in all.
#[derive(Debug, Clone)]
pub struct EventPageJson {
    /// Events matching the query, on every page.
    pub total: usize,
    /// Events skipped before this page.
    pub offset: usize,
    /// The page's size asked for.
    pub limit: usize,
    /// Events on this page.
    pub count: usize,
    /// This page's events, newest first, as a JSON array (what [`crate::json::write_events`]
    /// writes of them).
    pub events: Vec<u8>,
}

/// One page of reports and how many are stored in all.
#[derive(Debug, Clone, Serialize)]
pub struct ReportPage {
    /// Reports stored.
    pub total: usize,
    /// Reports skipped before this page.
    pub offset: usize,
    /// The page's size asked for.
    pub limit: usize,
    /// This page's reports, newest publication first.
    pub reports: Vec<ReportSummary>,
}

/// An event as a map draws it: where, when, what, and a summary of its sources.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventPoint {
    /// Event id.
    pub id: i64,
    /// Event type as the reading names it (`shelling`).
    pub event_type: String,
    /// The actor's side (`UA`, `RU`), when known.
    pub side: Option<String>,
    /// UCDP-style precision of the place (1 a town ... 6 a country).
    pub precision: Option<i64>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// First day of the event's date window.
    pub date_from: Option<String>,
    /// Last day of the event's date window.
    pub date_to: Option<String>,
    /// The place's name.
    pub place_name: Option<String>,
    /// How many tellings it has.
    pub sources: usize,
    /// The claimants named by its tellings, each once, in order of telling.
    pub claimants: Vec<String>,
    /// The certainties of its tellings, each once.
    pub certainties: Vec<String>,
}
