//! `sitrep map`: the situation map as a static SVG, from the store or from reports, with the
//! control layer on request.

use std::{path::PathBuf, process::ExitCode};

use anyhow::{bail, Context, Result};
use chrono::{Duration, NaiveDate};
use sitrep_gazetteer::Gazetteer;
use sitrep_map::{control_marks, render_svg, ControlMark, MapStyle, Marker};
use sitrep_read::{
    intake::{self, Intake},
    Reader,
};
use sitrep_store::{
    control::Timeline,
    timeline::{ControlChange, ControlQuery, ControlStateAt},
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
    /// Draw the control layer: every settlement coloured by who held it on `--as-of`, with a
    /// ring round those that changed hands between `--from` and `--to` (without them: the
    /// seven days up to `--as-of`, or up to the last change).
    #[arg(long)]
    control: bool,
    /// With `--control`: the day of the settlements' state (YYYY-MM-DD); without it, the
    /// latest state.
    #[arg(long, requires = "control")]
    as_of: Option<String>,
    #[command(flatten)]
    filters: EventFilters,
}

/// How many days up to the map's day the control layer's window spans by default.
const CONTROL_WINDOW_DAYS: i64 = 7;

/// Runs `sitrep map`.
pub fn run(gaz: &Gazetteer, args: &Args) -> Result<ExitCode> {
    if !(100.0..=20_000.0).contains(&args.width) {
        bail!("--width is between 100 and 20000 pixels");
    }
    let control = args.control.then(|| args.filters.control_query(gaz, args.as_of.clone())).transpose()?;
    let layers = if args.reports.is_empty() { from_store(gaz, args, control.as_ref())? } else { from_reports(gaz, args, control.as_ref())? };
    let caption = control.as_ref().map(|q| caption(q, &layers.window)).unwrap_or_default();
    let svg = render_svg(&layers.markers, &layers.control, &MapStyle { title: args.title.clone(), width: args.width, control_caption: caption });
    if args.output.as_os_str() == "-" {
        print!("{svg}");
    } else {
        std::fs::write(&args.output, svg).with_context(|| format!("writing {}", args.output.display()))?;
        eprintln!("{} events drawn to {}", layers.markers.len(), args.output.display());
        if args.control {
            eprintln!(
                "{} settlements on the control layer, {} of them changed hands in the window",
                layers.control.len(),
                layers.control.iter().filter(|c| c.changed_to.is_some()).count()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What a map draws.
struct Layers {
    markers: Vec<Marker>,
    control: Vec<ControlMark>,
    /// The control layer's window of changes, when it has one.
    window: Option<(NaiveDate, NaiveDate)>,
}

/// The control layer's legend heading.
fn caption(q: &ControlQuery, window: &Option<(NaiveDate, NaiveDate)>) -> String {
    let day = q.as_of.map_or_else(|| ", latest state".to_owned(), |d| format!(" on {d}"));
    match window {
        Some((from, to)) => format!("control{day}; changes {from} to {to}"),
        None => format!("control{day}"),
    }
}

/// The control layer from the states on the query's day and every change in its area: the
/// changes in the query's window, or in the [`CONTROL_WINDOW_DAYS`] up to its day (else up to
/// the last change).
fn control_layer(q: &ControlQuery, states: &[ControlStateAt], changes: Vec<ControlChange>) -> (Vec<ControlMark>, Option<(NaiveDate, NaiveDate)>) {
    let to = q.to.or(q.as_of).or_else(|| changes.iter().map(|c| c.date_latest).max());
    let from = q.from.or_else(|| to.map(|t| t - Duration::days(CONTROL_WINDOW_DAYS - 1)));
    let window = from.zip(to);
    let within: Vec<ControlChange> = changes.into_iter().filter(|c| window.is_some_and(|(f, t)| c.date_latest >= f && c.date_earliest <= t)).collect();
    (control_marks(states, &within), window)
}

fn from_store(gaz: &Gazetteer, args: &Args, control: Option<&ControlQuery>) -> Result<Layers> {
    let mut store = open_existing(&args.db)?;
    let markers = sitrep_map::markers_of_stored(&store.events(&args.filters.to_query(gaz)?)?);
    let Some(q) = control else { return Ok(Layers { markers, control: Vec::new(), window: None }) };
    let states = store.control_states(q)?;
    let changes = store.control_changes(&ControlQuery { from: None, to: None, ..q.clone() })?;
    let (control, window) = control_layer(q, &states, changes);
    Ok(Layers { markers, control, window })
}

/// Reads the reports; with `control`, builds their control timeline in memory, as the store
/// would (the area filters do not apply to reports).
fn from_reports(gaz: &Gazetteer, args: &Args, control: Option<&ControlQuery>) -> Result<Layers> {
    let reader = Reader::new(gaz);
    let sources = intake::sources(&args.reports, false)?;
    let intake = Intake { published: args.published, force_html: false };
    let mut markers = Vec::new();
    let mut timeline = Timeline::new();
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
        if control.is_some() {
            timeline.add_reading(&reading, &intaken.report.text);
        }
        Ok(())
    })?;
    let Some(q) = control else { return Ok(Layers { markers, control: Vec::new(), window: None }) };
    let (mut states, mut changes) = (Vec::new(), Vec::new());
    for t in timeline.settlements() {
        let own = ControlChange::of_timeline(&t);
        states.extend(ControlStateAt::spans_of(&t, &own).into_iter().filter(|s| s.holds_on(q.as_of)));
        changes.extend(own);
    }
    let (control, window) = control_layer(q, &states, changes);
    Ok(Layers { markers, control, window })
}
