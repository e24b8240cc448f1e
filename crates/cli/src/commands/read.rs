//! `sitrep read`: the situation picture of one or more reports.

use std::{fmt::Write as _, io::Write, path::PathBuf, process::ExitCode};

use anyhow::Result;
use sitrep_gazetteer::Gazetteer;
use sitrep_read::{
    intake::{Document, DocumentRef},
    Reading,
};
use sitrep_store::export::{self, ExportRow};

use super::batch::{self, Framing, Rendered};

/// Arguments of `sitrep read`.
#[derive(clap::Args)]
pub struct Args {
    /// Report files or directories (read recursively; `.jsonl` files as JSON lines); standard
    /// input when none (`-` also means standard input).
    files: Vec<PathBuf>,
    #[command(flatten)]
    intake: super::IntakeArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// With `--format geojson`: the places too, as features whose `layer` is "place".
    #[arg(long)]
    places: bool,
    #[command(flatten)]
    theatre: super::TheatreArgs,
}

/// Output format of `read`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A summary for people.
    Text,
    /// One JSON array of readings (schema `sitrep.reading/0.2`), one reading per line.
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

/// Runs `sitrep read`.
pub fn run(gaz: &Gazetteer, args: &Args) -> Result<ExitCode> {
    let sources = args.intake.sources(&args.files)?;
    let intake = args.intake.intake();
    let reader = args.theatre.reader(gaz, &sources, &intake)?;
    let now = chrono::Utc::now().timestamp();
    let framing = match args.format {
        Format::Csv => Framing { head: export::csv_line(export::COLUMNS).into_bytes(), ..Framing::default() },
        Format::Json => Framing { head: b"[\n".to_vec(), separator: b",", tail: b"]\n" },
        Format::Text | Format::Jsonl | Format::Geojson => Framing::default(),
    };
    let render = |_: &mut (), doc: DocumentRef<'_>, out: &mut Vec<u8>| -> Rendered {
        let intaken = match intake.document(doc.into_owned()) {
            Ok(i) => i,
            Err(e) => return Rendered::Refused(e.to_string()),
        };
        let reading = reader.read(&intaken.report);
        let written = match args.format {
            Format::Text => out.write_all(to_text(&reading).as_bytes()).map_err(anyhow::Error::from),
            Format::Json | Format::Jsonl => serde_json::to_writer(&mut *out, &reading).map_err(anyhow::Error::from),
            Format::Geojson => serde_json::to_writer(&mut *out, &geojson(&reading, now, args.places)).map_err(anyhow::Error::from),
            Format::Csv => {
                for (i, e) in reading.events.iter().enumerate() {
                    out.extend_from_slice(ExportRow::from_reading(&reading, i, e, now).csv_line().as_bytes());
                }
                Ok(())
            }
        };
        if matches!(args.format, Format::Json | Format::Jsonl | Format::Geojson) {
            out.push(b'\n');
        }
        match written {
            Ok(()) => Rendered::Done(intaken.warnings),
            Err(e) => Rendered::Refused(format!("{}: {e}", reading.id)),
        }
    };
    // `render` reads every document whole and never hands one back.
    let long = |doc: Document, _: &dyn Fn(Vec<batch::Piece>) -> Result<()>| -> Result<()> { anyhow::bail!("{}: no document is written in pieces", doc.id) };
    let skipped = batch::run(&sources, framing, render, long)?;
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
