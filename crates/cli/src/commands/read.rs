//! `sitrep read`: the situation picture of one or more reports.

use std::{fmt::Write as _, io::Write, path::PathBuf, process::ExitCode};

use anyhow::{Context, Result};
use chrono::NaiveDate;
use rayon::prelude::*;
use sitrep_gazetteer::Gazetteer;
use sitrep_read::{Reader, Reading, Report};

use crate::input::{self, Document, Source};

/// Arguments of `sitrep read`.
#[derive(clap::Args)]
pub struct Args {
    /// Report files (standard input when none; `-` also means standard input).
    files: Vec<PathBuf>,
    /// Inputs are JSON lines: `{"id", "text", "title"?, "published"?, "source"?, "url"?}`.
    #[arg(long)]
    jsonl: bool,
    /// Publication date (YYYY-MM-DD) for reports that carry none.
    #[arg(long, value_parser = parse_date)]
    published: Option<NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Output format of `read`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A summary for people.
    Text,
    /// One JSON document per report, per line (schema `sitrep.reading/0.1`).
    Jsonl,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|e| format!("{s:?} is not a date as YYYY-MM-DD ({e})"))
}

/// Reports read on the thread pool at a time.
const BATCH: usize = 256;

/// Runs `sitrep read`.
pub fn run(gaz: &Gazetteer, args: &Args) -> Result<ExitCode> {
    let files = if args.files.is_empty() { vec![PathBuf::from("-")] } else { args.files.clone() };
    let sources: Vec<Source> =
        files.into_iter().map(|f| if args.jsonl { Source::Lines(f) } else { Source::Whole(f) }).collect();
    let reader = Reader::new(gaz);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut batch: Vec<Document> = Vec::with_capacity(BATCH);
    let flush = |batch: &mut Vec<Document>, out: &mut dyn Write| -> Result<()> {
        let rendered: Vec<String> = batch
            .par_iter()
            .map(|doc| {
                let reading = reader.read(&report(doc, args.published));
                match args.format {
                    Format::Text => to_text(&reading),
                    Format::Jsonl => serde_json::to_string(&reading).map(|s| s + "\n").unwrap_or_default(),
                }
            })
            .collect();
        for r in rendered {
            out.write_all(r.as_bytes())?;
        }
        batch.clear();
        Ok(())
    };
    let skipped = input::for_each(&sources, |doc| {
        batch.push(doc);
        if batch.len() == BATCH {
            flush(&mut batch, &mut out)?;
        }
        Ok(())
    })?;
    flush(&mut batch, &mut out)?;
    out.flush().context("writing the output")?;
    if skipped > 0 {
        eprintln!("{skipped} input lines skipped (see warnings above)");
    }
    Ok(ExitCode::SUCCESS)
}

/// The report behind a document: its metadata, with `--published` for a report without a date.
fn report(doc: &Document, published: Option<NaiveDate>) -> Report {
    let own = doc.meta.published.as_deref().and_then(|p| {
        let day = p.get(..10).unwrap_or(p);
        let parsed = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok();
        if parsed.is_none() {
            eprintln!("warning: {}: publication date {p:?} is not YYYY-MM-DD; ignored", doc.id);
        }
        parsed
    });
    Report {
        id: doc.id.clone(),
        title: doc.meta.title.clone(),
        published: own.or(published),
        source: doc.meta.source.clone(),
        url: doc.meta.url.clone(),
        text: doc.text.clone(),
    }
}

/// The summary for people.
fn to_text(r: &Reading) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "== {}{}", r.id, r.title.as_ref().map(|t| format!(": {t}")).unwrap_or_default());
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
            "  {:<28} {} {}, {:.3}, {:.3}  [{}]  ×{}",
            p.name,
            p.feature,
            if within.is_empty() { String::new() } else { format!("in {}", within.join(", ")) },
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
                if d.from_text == "publication" { format!("{range} (report date)") } else { range }
            });
            let actor = e.event.actor.as_ref().map_or("unknown actor".to_owned(), |a| a.name.clone());
            let place = e.place.as_ref().map_or("place unknown".to_owned(), |p| format!("{} (precision {})", p.name, p.precision));
            let _ = writeln!(
                s,
                "  {date:<26} {:<22} {actor:<28} {place:<34} {} ({:?})",
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
