//! `sitrep read`: the situation picture of one or more reports.

use std::{fmt::Write as _, io::Write, path::PathBuf, process::ExitCode};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use rayon::prelude::*;
use sitrep_gazetteer::Gazetteer;
use sitrep_read::{
    intake::{Document, Intake},
    Reader, Reading,
};
use sitrep_store::export::{self, ExportRow};

/// Arguments of `sitrep read`.
#[derive(clap::Args)]
pub struct Args {
    /// Report files (standard input when none; `-` also means standard input).
    files: Vec<PathBuf>,
    /// Inputs are JSON lines: `{"id"?, "text", "title"?, "byline"?, "source"?, "url"?}` with
    /// the publication date in `published`, `date`, `publish_date` or `datetime` (the first
    /// given wins; YYYY-MM-DD, ISO 8601, RFC 2822 or Unix seconds).
    #[arg(long)]
    jsonl: bool,
    /// Publication date (YYYY-MM-DD) for reports that carry none.
    #[arg(long, value_parser = super::parse_date)]
    published: Option<NaiveDate>,
    /// Treat every input as HTML (otherwise a text that starts like an HTML page is read as one).
    #[arg(long)]
    html: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// With `--format geojson`: the places too, as features whose `layer` is "place".
    #[arg(long)]
    places: bool,
}

/// Output format of `read`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A summary for people.
    Text,
    /// One JSON array of readings (schema `sitrep.reading/0.2`).
    Json,
    /// One JSON reading per report, per line.
    Jsonl,
    /// One GeoJSON FeatureCollection per report, per line: its events, with the CSV's
    /// fields as flat properties (and its places with `--places`).
    Geojson,
    /// One row per event in the export layout (ACLED-like columns; `sitrep_store::export`),
    /// every report in one table.
    Csv,
}

/// The GeoJSON FeatureCollection of a reading: a point per located event, its properties the
/// export row's fields; with `places`, a point per place too (property `layer`: "place").
fn geojson(r: &Reading, now: i64, places: bool) -> serde_json::Value {
    use serde_json::json;
    let mut features: Vec<serde_json::Value> =
        r.events.iter().enumerate().filter_map(|(i, e)| ExportRow::from_reading(r, i, e, now).geojson_feature()).collect();
    if places {
        features.extend(r.places.iter().map(|p| {
            json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": {"layer": "place", "report": r.id, "id": p.id, "name": p.name, "feature": p.feature, "admin1": p.admin1, "country": p.country, "mentions": p.mentions.len()}
            })
        }));
    }
    json!({"type": "FeatureCollection", "features": features})
}

/// Reports read on the thread pool at a time.
const BATCH: usize = 256;

/// Runs `sitrep read`.
pub fn run(gaz: &Gazetteer, args: &Args) -> Result<ExitCode> {
    let sources = super::file_sources(&args.files, args.jsonl);
    let intake = Intake { published: args.published, force_html: args.html };
    let reader = Reader::new(gaz);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut batch: Vec<Document> = Vec::with_capacity(BATCH);
    let now = chrono::Utc::now().timestamp();
    if args.format == Format::Csv {
        out.write_all(export::csv_line(export::COLUMNS).as_bytes())?;
    }
    if args.format == Format::Json {
        out.write_all(b"[\n")?;
    }
    // Whether a reading has been written yet (JSON arrays need commas between them).
    let written = std::cell::Cell::new(false);
    // Documents intake refused (no text): reported and skipped like broken lines.
    let refused = std::cell::Cell::new(0usize);
    let flush = |batch: &mut Vec<Document>, out: &mut dyn Write| -> Result<()> {
        let rendered: Vec<(Vec<String>, Result<String>)> = batch
            .par_drain(..)
            .map(|doc| {
                let intaken = match intake.document(doc) {
                    Ok(i) => i,
                    Err(e) => return (Vec::new(), Err(anyhow::Error::new(e))),
                };
                let reading = reader.read(&intaken.report);
                let rendered = (|| -> Result<String> {
                    Ok(match args.format {
                        Format::Text => to_text(&reading),
                        Format::Json => serde_json::to_string_pretty(&reading)?,
                        Format::Jsonl => serde_json::to_string(&reading)? + "\n",
                        Format::Geojson => serde_json::to_string(&geojson(&reading, now, args.places))? + "\n",
                        Format::Csv => reading.events.iter().enumerate().map(|(i, e)| ExportRow::from_reading(&reading, i, e, now).csv_line()).collect(),
                    })
                })();
                (intaken.warnings, rendered)
            })
            .collect();
        for (warnings, r) in rendered {
            for w in warnings {
                eprintln!("warning: {w}");
            }
            let r = match r {
                Ok(r) => r,
                Err(e) if e.is::<sitrep_read::intake::IntakeError>() => {
                    eprintln!("warning: {e}; skipped");
                    refused.set(refused.get() + 1);
                    continue;
                }
                Err(e) => return Err(e),
            };
            if args.format == Format::Json && written.replace(true) {
                out.write_all(b",\n")?;
            }
            out.write_all(r.as_bytes())?;
        }
        Ok(())
    };
    let skipped = super::for_each_document(&sources, |doc| {
        batch.push(doc);
        if batch.len() == BATCH {
            flush(&mut batch, &mut out)?;
        }
        Ok(())
    })?;
    flush(&mut batch, &mut out)?;
    if args.format == Format::Json {
        out.write_all(b"\n]\n")?;
    }
    out.flush().context("writing the output")?;
    let skipped = skipped + refused.get();
    if skipped > 0 {
        eprintln!("{skipped} documents skipped (see warnings above)");
    }
    Ok(ExitCode::SUCCESS)
}

/// The summary for people.
fn to_text(r: &Reading) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "== {}{}", r.id, r.title.as_ref().map(|t| format!(": {t}")).unwrap_or_default());
    if let Some(by) = &r.byline {
        let _ = writeln!(s, "by {by}");
    }
    match r.published {
        Some(p) => {
            let from = if r.published_from == sitrep_read::PublishedFrom::Text { " (from the text)" } else { "" };
            let _ = writeln!(s, "published {p}{from}");
        }
        None => {
            let _ = writeln!(s, "publication date unknown");
        }
    }
    let _ = writeln!(s, "\nPlaces ({})", r.places.len());
    for p in &r.places {
        let within: Vec<&str> = [p.admin1.as_deref(), p.country.as_deref()].into_iter().flatten().collect();
        let _ = writeln!(
            s,
            "  {:<28} {}{}, {:.3}, {:.3}  [{}]  ×{}",
            p.name,
            p.feature,
            if within.is_empty() { String::new() } else { format!(" in {}", within.join(", ")) },
            p.lat,
            p.lon,
            p.id,
            p.mentions.len()
        );
    }
    if !r.events.is_empty() {
        let _ = writeln!(s, "\nEvents");
        for e in &r.events {
            let date = e.date.as_ref().map_or("date unknown".to_owned(), |d| {
                let range = if d.from == d.to { d.from.to_string() } else { format!("{} – {}", d.from, d.to) };
                if d.from_text == sitrep_read::DateSource::Publication {
                    format!("{range} (report date)")
                } else {
                    range
                }
            });
            let actor = e.event.actor.as_ref().map_or("unknown actor".to_owned(), |a| a.name.clone());
            let place = e.place.as_ref().map_or("place unknown".to_owned(), |p| format!("{} (precision {})", p.name, p.precision));
            let more = if e.also.is_empty() { String::new() } else { format!(" +{} more", e.also.len()) };
            let _ = writeln!(
                s,
                "  {date:<26} {:<22} {actor:<28} {place:<34} {} ({:?}){more}",
                format!("{:?}", e.event.event_type),
                e.claimant.as_deref().unwrap_or("the report"),
                e.certainty
            );
        }
    }
    let _ = writeln!(s, "\nClaims by claimant");
    let mut claimants: Vec<(Option<&str>, Vec<&sitrep_read::claims::Claim>)> = Vec::new();
    for c in &r.claims {
        let key = c.claimant.as_ref().map(|x| x.name.as_str());
        match claimants.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(c),
            None => claimants.push((key, vec![c])),
        }
    }
    for (name, list) in &claimants {
        let kind = list[0].claimant.as_ref().map(|c| format!(" ({})", kind_label(c.kind))).unwrap_or_default();
        let _ = writeln!(s, "  {}{kind}", name.unwrap_or("unattributed"));
        for c in list {
            let sentence: String = c.text.replace('\n', " ").chars().take(100).collect();
            let more = if c.text.chars().count() > 100 { "…" } else { "" };
            let _ = writeln!(s, "    - {:?}{} ({}): {sentence}{more}", c.certainty, if c.affirmative { "" } else { ", negated" }, c.cue);
        }
    }
    if !r.numbers.is_empty() {
        let _ = writeln!(s, "\nNumbers");
        for n in &r.numbers {
            let _ = writeln!(
                s,
                "  {:<40} {:<26} {}  — {}",
                format!("\"{}\"", n.number.text.replace('\n', " ")),
                n.quantity,
                range_label(n),
                n.claimant.as_deref().unwrap_or("unattributed")
            );
        }
    }
    if !r.disagreements.is_empty() {
        let _ = writeln!(s, "\nDisagreements");
        for d in &r.disagreements {
            let _ = writeln!(s, "  {}{}:", d.quantity, if d.conflicting { " (the figures conflict)" } else { "" });
            for &i in &d.numbers {
                let n = &r.numbers[i];
                let _ = writeln!(s, "    {:<34} {}", n.claimant.as_deref().unwrap_or("unattributed"), range_label(n));
            }
        }
    }
    if !r.geography_checks.is_empty() {
        let _ = writeln!(s, "\nGeography checks");
        for g in &r.geography_checks {
            let _ = writeln!(
                s,
                "  {} is {:.0} km {} of {} says the report; the gazetteer has {:.0} km at {:.0}° ({}): {:?}",
                g.place,
                g.stated_km,
                g.stated_direction.unwrap_or("away"),
                g.reference,
                g.gazetteer_km,
                g.gazetteer_bearing,
                g.gazetteer_direction,
                g.verdict
            );
        }
    }
    if !r.dates.is_empty() {
        let _ = writeln!(s, "\nDates");
        for d in &r.dates {
            let range = if d.from == d.to { d.from.to_string() } else { format!("{} – {}", d.from, d.to) };
            let _ = writeln!(s, "  {:<24} {range} ({:?})", format!("\"{}\"", d.text), d.precision);
        }
    }
    for n in &r.notes {
        let _ = writeln!(s, "note: {n}");
    }
    s.push('\n');
    s
}

fn kind_label(kind: sitrep_read::claims::ClaimantKind) -> &'static str {
    use sitrep_read::claims::ClaimantKind::*;
    match kind {
        Person => "person",
        OfficialBody => "official body",
        Media => "media",
        ThinkTank => "think tank or analysts",
        SocialMedia => "social media",
        Unattributed => "unattributed",
    }
}

fn range_label(n: &sitrep_read::NumberReading) -> String {
    use sitrep_read::numbers::{Bound, Unit};
    let unit = match n.number.unit {
        Unit::Km => "km",
        Unit::Km2 => "km²",
        Unit::People => "people",
        Unit::Equipment => "items",
        Unit::Settlements => "settlements",
    };
    let v = |x: f64| if x >= 100.0 { format!("{x:.0}") } else { format!("{x:.1}") };
    match n.number.bound {
        Bound::Exact => format!("{} {unit}", v(n.number.low)),
        Bound::AtMost => format!("≤ {} {unit}", v(n.number.high)),
        Bound::AtLeast => format!("≥ {} {unit}", v(n.number.low)),
        Bound::About => format!("≈ {} {unit}", v(n.number.low)),
        Bound::Vague => format!("{}–{} {unit} (vague)", v(n.number.low), v(n.number.high)),
    }
}
