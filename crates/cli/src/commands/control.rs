//! `sitrep control`: who held each settlement on a day, and the changes of hands in a window,
//! from the control timeline the store keeps (see `sitrep_store::timeline`).

use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{json, Value};
use sitrep_gazetteer::Gazetteer;
use sitrep_read::Side;
use sitrep_store::timeline::{ControlChange, ControlFilter, ControlPlace, ControlStateAt};

use super::store::{open_existing, QueryFormat};

/// Arguments of `sitrep control`.
#[derive(clap::Args)]
pub struct Args {
    /// The store: an SQLite file or a `postgres://` URL.
    #[arg(long, default_value = "sitrep.db")]
    db: String,
    /// The state of every settlement on this day (YYYY-MM-DD); without it, the latest state.
    #[arg(long, conflicts_with = "changes")]
    as_of: Option<String>,
    /// List the changes of hands in a window (`--from`, `--to`) instead of the states.
    #[arg(long)]
    changes: bool,
    /// With `--changes`: changes that may have happened on or after this day (YYYY-MM-DD).
    #[arg(long, requires = "changes")]
    from: Option<String>,
    /// With `--changes`: changes that may have happened on or before this day (YYYY-MM-DD).
    #[arg(long, requires = "changes")]
    to: Option<String>,
    /// Settlements within `--radius-km` of this place.
    #[arg(long)]
    near: Option<String>,
    /// Radius for `--near`, km (default 25).
    #[arg(long)]
    radius_km: Option<String>,
    /// Settlements inside min_lat,min_lon,max_lat,max_lon.
    #[arg(long)]
    bbox: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = QueryFormat::Text)]
    format: QueryFormat,
}

/// Runs `sitrep control`.
pub fn run(gaz: &Gazetteer, args: &Args) -> Result<ExitCode> {
    let filter = ControlFilter {
        near: args.near.clone(),
        radius_km: args.radius_km.clone(),
        bbox: args.bbox.clone(),
        as_of: args.as_of.clone(),
        from: args.from.clone(),
        to: args.to.clone(),
    };
    let q = filter.resolve(gaz)?;
    let mut store = open_existing(&args.db)?;
    if args.changes {
        let changes = store.control_changes(&q)?;
        print_changes(&changes, args.format)?;
    } else {
        let states = store.control_states(&q)?;
        print_states(&states, q.as_of, args.format)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A GeoJSON FeatureCollection of points, one per item, with the item as its properties.
fn feature_collection<T: Serialize>(items: &[T], place: impl Fn(&T) -> &ControlPlace) -> Result<Value> {
    let features: Vec<Value> = items
        .iter()
        .map(|item| {
            let p = place(item);
            Ok(json!({ "type": "Feature", "geometry": { "type": "Point", "coordinates": [p.lon, p.lat] }, "properties": serde_json::to_value(item)? }))
        })
        .collect::<Result<_>>()?;
    Ok(json!({ "type": "FeatureCollection", "features": features }))
}

fn side(s: Option<Side>) -> &'static str {
    s.map_or("?", Side::code)
}

fn geonameid(p: &ControlPlace) -> String {
    p.geonameid.map(|g| g.to_string()).unwrap_or_default()
}

/// The reports behind a change, `;`-separated.
fn reports(c: &ControlChange) -> String {
    c.sources.iter().map(|s| s.report.as_str()).collect::<Vec<_>>().join(";")
}

fn print_changes(changes: &[ControlChange], format: QueryFormat) -> Result<()> {
    match format {
        QueryFormat::Json => println!("{}", serde_json::to_string_pretty(changes)?),
        QueryFormat::Geojson => println!("{}", feature_collection(changes, |c| &c.place)?),
        QueryFormat::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout().lock());
            w.write_record([
                "geonameid",
                "place_id",
                "name",
                "latitude",
                "longitude",
                "from_side",
                "to_side",
                "date_earliest",
                "date_latest",
                "status",
                "confidence",
                "claimants",
                "disputed",
                "reports",
                "evidence",
            ])?;
            for c in changes {
                w.write_record([
                    geonameid(&c.place),
                    c.place.id.clone(),
                    c.place.name.clone(),
                    format!("{:.5}", c.place.lat),
                    format!("{:.5}", c.place.lon),
                    c.from_side.map(Side::code).unwrap_or_default().to_owned(),
                    c.to_side.code().to_owned(),
                    c.date_earliest.to_string(),
                    c.date_latest.to_string(),
                    c.status.clone(),
                    format!("{:.3}", c.confidence),
                    c.claimants.to_string(),
                    c.disputed.to_string(),
                    reports(c),
                    c.sources.first().map(|s| s.evidence.replace('\n', " ")).unwrap_or_default(),
                ])?;
            }
            w.flush()?;
        }
        QueryFormat::Text => {
            for c in changes {
                let when = if c.date_earliest == c.date_latest { c.date_latest.to_string() } else { format!("{} – {}", c.date_earliest, c.date_latest) };
                println!(
                    "{when:<23} {:<24} {} → {}  {:<11} confidence {:.2}, {} claimant(s){}",
                    c.place.name,
                    side(c.from_side),
                    c.to_side.code(),
                    c.status,
                    c.confidence,
                    c.claimants,
                    if c.disputed { ", disputed" } else { "" }
                );
                for (label, s) in c.sources.iter().map(|s| ("", s)).chain(c.disputed_by.iter().map(|s| ("disputed by ", s))) {
                    let evidence: String = s.evidence.chars().take(100).collect();
                    println!(
                        "        {label}{} ({}), in {} [{}..{}]: {evidence}",
                        s.claimant.as_deref().unwrap_or("the report"),
                        s.certainty,
                        s.report,
                        s.start,
                        s.end
                    );
                }
            }
            println!("{} changes", changes.len());
        }
    }
    Ok(())
}

fn print_states(states: &[ControlStateAt], as_of: Option<NaiveDate>, format: QueryFormat) -> Result<()> {
    match format {
        QueryFormat::Json => println!("{}", serde_json::to_string_pretty(states)?),
        QueryFormat::Geojson => println!("{}", feature_collection(states, |s| &s.place)?),
        QueryFormat::Csv => {
            let mut w = csv::Writer::from_writer(std::io::stdout().lock());
            w.write_record([
                "geonameid",
                "place_id",
                "name",
                "latitude",
                "longitude",
                "state",
                "holder",
                "since",
                "until",
                "disputed",
                "last_change_to_side",
                "last_change_date_earliest",
                "last_change_date_latest",
                "last_change_status",
                "last_change_confidence",
                "last_change_reports",
            ])?;
            let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
            for s in states {
                let c = s.last_change.as_ref();
                w.write_record([
                    geonameid(&s.place),
                    s.place.id.clone(),
                    s.place.name.clone(),
                    format!("{:.5}", s.place.lat),
                    format!("{:.5}", s.place.lon),
                    s.state.as_str().to_owned(),
                    s.holder.map(Side::code).unwrap_or_default().to_owned(),
                    day(s.since),
                    day(s.until),
                    s.disputed.to_string(),
                    c.map(|c| c.to_side.code().to_owned()).unwrap_or_default(),
                    day(c.map(|c| c.date_earliest)),
                    day(c.map(|c| c.date_latest)),
                    c.map(|c| c.status.clone()).unwrap_or_default(),
                    c.map(|c| format!("{:.3}", c.confidence)).unwrap_or_default(),
                    c.map(reports).unwrap_or_default(),
                ])?;
            }
            w.flush()?;
        }
        QueryFormat::Text => {
            for s in states {
                let since = s.since.map_or("before any report".to_owned(), |d| format!("since {d}"));
                let last = s.last_change.as_ref().map_or(String::new(), |c| {
                    format!(
                        "; last change {} → {} by {} ({}, confidence {:.2}, {} source(s))",
                        side(c.from_side),
                        c.to_side.code(),
                        c.date_latest,
                        c.status,
                        c.confidence,
                        c.sources.len()
                    )
                });
                println!("{:<24} {:<9} {since}{}{last}", s.place.name, s.state.as_str(), if s.disputed { ", disputed" } else { "" });
            }
            println!("{} settlements{}", states.len(), as_of.map(|d| format!(" as of {d}")).unwrap_or_default());
        }
    }
    Ok(())
}
