//! `sitrep map`: the situation map as a static SVG, from the store or from reports.

use std::{path::PathBuf, process::ExitCode};

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use sitrep_gazetteer::Gazetteer;
use sitrep_map::{render_svg, MapStyle, Marker};
use sitrep_read::{
    intake::{self, Intake},
    Reader,
};

use super::store::{open_existing, EventFilters};

/// Arguments of `sitrep map`.
#[derive(clap::Args)]
pub struct Args {
    /// Reports to read and map (text or HTML; `.jsonl` files as JSON lines); none: map the store.
    reports: Vec<PathBuf>,
    /// The store to map when no report is given: an SQLite file or a `postgres://` URL.
    #[arg(long, default_value = "sitrep.db")]
    db: String,
    /// Where to write the SVG (`-`: standard output).
    #[arg(short, long)]
    output: PathBuf,
    /// A heading for the map.
    #[arg(long, default_value = "sitrep situation map")]
    title: String,
    /// Width of the map in pixels.
    #[arg(long, default_value_t = 1000.0)]
    width: f64,
    /// Publication date (YYYY-MM-DD) for reports that carry none.
    #[arg(long, value_parser = super::parse_date)]
    published: Option<NaiveDate>,
    #[command(flatten)]
    filters: EventFilters,
}

/// Runs `sitrep map`.
pub fn run(gaz: &Gazetteer, args: &Args) -> Result<ExitCode> {
    let markers = if args.reports.is_empty() { from_store(gaz, args)? } else { from_reports(gaz, args)? };
    if !(100.0..=20_000.0).contains(&args.width) {
        bail!("--width is between 100 and 20000 pixels");
    }
    let svg = render_svg(&markers, &MapStyle { title: args.title.clone(), width: args.width });
    if args.output.as_os_str() == "-" {
        print!("{svg}");
    } else {
        std::fs::write(&args.output, svg).with_context(|| format!("writing {}", args.output.display()))?;
        eprintln!("{} events drawn to {}", markers.len(), args.output.display());
    }
    Ok(ExitCode::SUCCESS)
}

fn from_store(gaz: &Gazetteer, args: &Args) -> Result<Vec<Marker>> {
    let mut store = open_existing(&args.db)?;
    Ok(sitrep_map::markers_of_stored(&store.events(&args.filters.to_query(gaz)?)?))
}

fn from_reports(gaz: &Gazetteer, args: &Args) -> Result<Vec<Marker>> {
    let reader = Reader::new(gaz);
    let sources = intake::sources(&args.reports, false)?;
    let intake = Intake { published: args.published, force_html: false };
    let mut markers = Vec::new();
    super::for_each_document(&sources, |doc| {
        let intaken = match intake.document(doc) {
            Ok(i) => i,
            Err(e) => {
                eprintln!("warning: {e}; skipped");
                return Ok(());
            }
        };
        for w in &intaken.warnings {
            eprintln!("warning: {w}");
        }
        let reading = reader.read(&intaken.report);
        markers.extend(reading.events.iter().filter_map(sitrep_map::marker_of_reading));
        Ok(())
    })?;
    Ok(markers)
}
