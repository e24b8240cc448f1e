//! `sitrep ingest` and `sitrep query`: readings kept across reports in the embedded store.

use std::{io::Write, path::PathBuf, process::ExitCode, time::Instant};

use anyhow::{bail, Context, Result};
use sitrep_gazetteer::Gazetteer;
use sitrep_read::intake;
use sitrep_store::{
    export::{self, ExportRow},
    filter::EventFilter,
    ingest::{Ingest, Progress},
    timeline::{ControlFilter, ControlQuery},
    EventQuery, Store,
};

/// Arguments of `sitrep ingest`.
#[derive(clap::Args)]
pub struct IngestArgs {
    /// Report files, directories (read recursively; `.jsonl` files as JSON lines) or `-`. The
    /// summary says which field dated how many reports, and how many had no date.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The store: an SQLite file (created if needed) or a `postgres://` URL.
    #[arg(long, default_value = "sitrep.db")]
    db: String,
    #[command(flatten)]
    intake: super::IntakeArgs,
    #[command(flatten)]
    theatre: super::TheatreArgs,
}

/// Arguments of `sitrep query`.
#[derive(clap::Args)]
pub struct QueryArgs {
    /// The store: an SQLite file or a `postgres://` URL.
    #[arg(long, default_value = "sitrep.db")]
    db: String,
    #[command(flatten)]
    filters: EventFilters,
    /// Output format.
    #[arg(long, value_enum, default_value_t = QueryFormat::Text)]
    format: QueryFormat,
}

/// The event filters that `query` and `map` share; every one narrows, none is required. They
/// are checked by the one filter parser ([`sitrep_store::filter`]), as the API's are.
#[derive(clap::Args)]
pub struct EventFilters {
    /// Events within `--radius-km` of this place.
    #[arg(long)]
    near: Option<String>,
    /// Radius for `--near`, km (default 25).
    #[arg(long)]
    radius_km: Option<String>,
    /// Events inside min_lat,min_lon,max_lat,max_lon.
    #[arg(long)]
    bbox: Option<String>,
    /// Events ending on or after this day (YYYY-MM-DD).
    #[arg(long)]
    from: Option<String>,
    /// Events starting on or before this day (YYYY-MM-DD).
    #[arg(long)]
    to: Option<String>,
    /// Event type: battle, territory_taken, withdrawal, shelling, air_strike, strategic_development.
    #[arg(long = "type")]
    event_type: Option<String>,
    /// Actor: a side (UA, RU) or a word of its name.
    #[arg(long)]
    actor: Option<String>,
    /// A word of a claimant's name.
    #[arg(long)]
    claimant: Option<String>,
}

impl EventFilters {
    /// The store query these filters ask for (`--near` resolved in the gazetteer).
    pub fn to_query(&self, gaz: &Gazetteer) -> Result<EventQuery> {
        let filter = EventFilter {
            near: self.near.clone(),
            radius_km: self.radius_km.clone(),
            bbox: self.bbox.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            event_type: self.event_type.clone(),
            actor: self.actor.clone(),
            claimant: self.claimant.clone(),
        };
        Ok(filter.resolve(gaz)?)
    }

    /// The control query of the same area and window, with the states' day.
    pub fn control_query(&self, gaz: &Gazetteer, as_of: Option<String>) -> Result<ControlQuery> {
        let filter = ControlFilter {
            near: self.near.clone(),
            radius_km: self.radius_km.clone(),
            bbox: self.bbox.clone(),
            as_of,
            from: self.from.clone(),
            to: self.to.clone(),
        };
        Ok(filter.resolve(gaz)?)
    }
}

/// Opens an existing store, or says how to make one.
pub fn open_existing(db: &str) -> Result<Store> {
    if !sitrep_store::is_postgres_url(db) && !std::path::Path::new(db).exists() {
        bail!("no store at {db}; run `sitrep ingest` first");
    }
    open_store(db)
}

/// Opens (creating or migrating if needed) the store at `db`, and logs which it is.
pub fn open_store(db: &str) -> Result<Store> {
    let store = Store::open(db).with_context(|| format!("opening the store {}", redact(db)))?;
    log_store(&store, db);
    Ok(store)
}

/// Says on standard error which store is in use and how it answers spatial queries.
fn log_store(store: &Store, db: &str) {
    if store.backend() == "postgres" {
        eprintln!("store: PostgreSQL at {}; spatial queries use {}", redact(db), store.spatial_index());
    }
}

/// A database URL without its password, for messages.
pub fn redact(db: &str) -> String {
    match (db.find("://"), db.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let auth = &db[scheme + 3..at];
            match auth.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &db[..scheme + 3], &db[at..]),
                None => db.to_owned(),
            }
        }
        _ => db.to_owned(),
    }
}

/// Output format of `query`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QueryFormat {
    /// A list for people.
    Text,
    /// A JSON array of events, each with its sources.
    Json,
    /// A GeoJSON FeatureCollection of located events, the CSV's fields as flat properties.
    Geojson,
    /// One row per event in the export layout (ACLED-like columns, every source in the row).
    Csv,
}

/// Runs `sitrep ingest`.
pub fn ingest(gaz: &Gazetteer, args: &IngestArgs) -> Result<ExitCode> {
    let sources = args.intake.sources(&args.paths)?;
    let intake = args.intake.intake();
    let reader = args.theatre.reader(gaz, &sources, &intake)?;
    let store = open_store(&args.db)?;
    let progress = indicatif::ProgressBar::new_spinner();
    progress.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} reports, {per_sec} — {msg}").unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    let started = Instant::now();
    let shown = progress.clone();
    let mut pipeline = Ingest::start(store, &reader, intake, move |p| match p {
        Progress::Warning(w) => shown.suspend(|| eprintln!("warning: {w}")),
        Progress::Failed(f) => shown.suspend(|| eprintln!("failed: {f}")),
        Progress::Batch(t) => {
            shown.set_position((t.reports + t.duplicates + t.failures.len()) as u64);
            shown.set_message(format!("{} events new, {} merged", t.events_new, t.events_merged));
        }
    });
    // Broken lines are failures of their own, named and counted with the rest.
    let fed = intake::for_each(&sources, |doc| pipeline.push(doc).map_err(anyhow::Error::from));
    let (_, tally) = pipeline.finish()?;
    fed?;
    progress.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "ingested {} reports into {} in {seconds:.1} s ({:.0} reports/s): {} events new, {} merged into stored ones, {} claims; {} already stored; {} failed",
        tally.reports,
        redact(&args.db),
        (tally.reports + tally.duplicates) as f64 / seconds.max(1e-9),
        tally.events_new,
        tally.events_merged,
        tally.claims,
        tally.duplicates,
        tally.failures.len()
    );
    println!("{}", tally.dates_line());
    Ok(if tally.failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Runs `sitrep query`.
pub fn query(gaz: &Gazetteer, args: &QueryArgs) -> Result<ExitCode> {
    let mut store = open_existing(&args.db)?;
    let q = args.filters.to_query(gaz)?;
    let events = store.events(&q)?;
    match args.format {
        QueryFormat::Json => println!("{}", serde_json::to_string_pretty(&events)?),
        QueryFormat::Geojson => {
            let now = chrono::Utc::now().timestamp();
            let features: Vec<serde_json::Value> = events.iter().filter_map(|e| ExportRow::from_stored(e, now).geojson_feature()).collect();
            println!("{}", serde_json::json!({"type": "FeatureCollection", "features": features}));
        }
        QueryFormat::Csv => {
            let now = chrono::Utc::now().timestamp();
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            out.write_all(export::csv_line(export::COLUMNS).as_bytes())?;
            for e in &events {
                out.write_all(ExportRow::from_stored(e, now).csv_line().as_bytes())?;
            }
            out.flush()?;
        }
        QueryFormat::Text => {
            for e in &events {
                println!(
                    "#{:<5} {:<23} {:<22} {:<24} {:<26} {} source(s)",
                    e.id,
                    match (&e.date_from, &e.date_to) {
                        (Some(a), Some(b)) if a != b => format!("{a} – {b}"),
                        (_, Some(b)) => b.clone(),
                        _ => "date unknown".into(),
                    },
                    e.event_type,
                    e.actor.as_deref().unwrap_or("unknown actor"),
                    e.place_name.as_deref().unwrap_or("place unknown"),
                    e.sources.len()
                );
                for s in &e.sources {
                    let evidence: String = s.evidence.chars().take(90).collect();
                    println!("        {} ({}), in {}: {evidence}", s.claimant.as_deref().unwrap_or("the report"), s.certainty, s.report);
                }
            }
            let counts = store.counts()?;
            println!(
                "{} events match; the store holds {} reports, {} events, {} tellings, {} claims",
                events.len(),
                counts.reports,
                counts.events,
                counts.sources,
                counts.claims
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
