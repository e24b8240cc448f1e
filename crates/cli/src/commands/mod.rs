//! One module per subcommand.

pub mod batch;
pub mod control;
pub mod distance;
pub mod eval;
pub mod geoparse;
pub mod map;
pub mod queue;
pub mod read;
pub mod serve;
pub mod store;
pub mod where_;

use std::{io::Read, path::Path};

use anyhow::{bail, Context, Result};
use sitrep_gazetteer::{Gazetteer, Hit, Query};
use sitrep_read::intake::{self, Document, Source};

/// A date argument as YYYY-MM-DD (for clap's `value_parser`).
pub fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|e| format!("{s:?} is not a date as YYYY-MM-DD ({e})"))
}

/// Hands every document of `sources` to `each`, in order. A line that is not a document is
/// reported on standard error with its file and number, and skipped; returns how many were.
pub fn for_each_document(sources: &[Source], mut each: impl FnMut(Document) -> Result<()>) -> Result<usize> {
    let mut skipped = 0;
    intake::for_each(sources, |doc| -> Result<()> {
        match doc {
            Ok(doc) => each(doc),
            Err(e) => {
                eprintln!("warning: {e}; skipped");
                skipped += 1;
                Ok(())
            }
        }
    })?;
    Ok(skipped)
}

/// The sources named on a command line: standard input when none; directories walked, and
/// every file read as JSON lines with `jsonl` (else `.jsonl` files only; see
/// [`intake::sources`]).
pub fn sources_of(paths: &[std::path::PathBuf], jsonl: bool) -> Result<Vec<Source>> {
    let stdin = [std::path::PathBuf::from("-")];
    Ok(intake::sources(if paths.is_empty() { &stdin } else { paths }, jsonl)?)
}

/// How reports come in: the options that `read`, `ingest` and `publish` share, made into one
/// [`intake::Intake`].
#[derive(clap::Args)]
pub struct IntakeArgs {
    /// Read every file as JSON lines (files named `.jsonl` are read so anyway): `{"id"?,
    /// "text", "title"?, "byline"?, "source"?, "url"?}` with the publication date in
    /// `published`, `date`, `publish_date` or `datetime` (the first given wins; YYYY-MM-DD,
    /// ISO 8601, RFC 2822 or Unix seconds).
    #[arg(long)]
    jsonl: bool,
    /// Publication date (YYYY-MM-DD) for reports that carry none.
    #[arg(long, value_parser = parse_date)]
    published: Option<chrono::NaiveDate>,
    /// Treat every input as HTML (otherwise a text that starts like an HTML page is read as one).
    #[arg(long)]
    html: bool,
}

impl IntakeArgs {
    /// The sources of `paths` (standard input when none), as [`sources_of`] finds them.
    pub fn sources(&self, paths: &[std::path::PathBuf]) -> Result<Vec<Source>> {
        sources_of(paths, self.jsonl)
    }

    /// What turns each document into a report.
    pub fn intake(&self) -> intake::Intake {
        intake::Intake { published: self.published, force_html: self.html }
    }
}

/// Opens the gazetteer given by `--gazetteer`/`SITREP_GAZETTEER`, else the built-in one.
pub fn open_gazetteer(path: Option<&Path>) -> Result<Gazetteer> {
    Ok(match path {
        Some(p) => Gazetteer::open(p)?,
        None => Gazetteer::embedded()?,
    })
}

/// A place name from the command line; `-` reads it from standard input (at most 64 KiB,
/// which is far more than any place name, so junk is refused without reading it all).
pub fn name_argument(arg: &str) -> Result<String> {
    if arg != "-" {
        return Ok(arg.to_owned());
    }
    const LIMIT: u64 = 64 * 1024;
    let mut bytes = Vec::new();
    std::io::stdin().take(LIMIT + 1).read_to_end(&mut bytes).context("reading the name from standard input")?;
    if bytes.len() as u64 > LIMIT {
        bail!("the name on standard input is longer than {LIMIT} bytes; that is not a place name");
    }
    let text = String::from_utf8(bytes).context("the name on standard input is not valid UTF-8")?;
    Ok(text.trim().to_owned())
}

/// The best place for a name, or an error that says there is none and suggests spellings.
pub fn resolve_one<'g>(gaz: &'g Gazetteer, name: &str) -> Result<Hit<'g>> {
    let outcome = gaz.search(&Query { name, limit: 1, ..Query::default() })?;
    match outcome.hits.into_iter().next() {
        Some(hit) => Ok(hit),
        None => {
            let suggestions = gaz.suggestions(name, 5);
            if suggestions.is_empty() {
                bail!("no place called {name:?} in the gazetteer");
            }
            bail!("no place called {name:?} in the gazetteer; did you mean: {}", suggestions.join("; "))
        }
    }
}

/// How `read`, `ingest` and the evaluations of the reader weigh the theatre the reports are
/// about when they resolve place names (see `sitrep_geoparse::theatre`).
#[derive(clap::Args, Debug, Clone)]
pub struct TheatreArgs {
    /// The country the reports are about (ISO code, e.g. UA): a settlement there outranks a
    /// namesake elsewhere unless the text names the other's country or region.
    #[arg(long, value_name = "CC")]
    theatre: Option<String>,
    /// Also weigh the places the input itself names: every document is geoparsed once first,
    /// and the regions and settlements the batch names most settle a name that several
    /// villages share. Reads the input twice, so it needs files, not standard input.
    #[arg(long)]
    batch_theatre: bool,
}

impl TheatreArgs {
    /// The levels these options ask for.
    pub fn choice(&self) -> sitrep_geoparse::TheatreChoice {
        sitrep_geoparse::TheatreChoice { country: self.theatre.clone(), batch: self.batch_theatre }
    }

    /// A reader over `gaz` with the theatre these options ask for; with `--batch-theatre`,
    /// after a first pass over `sources` (each document made a report by `intake`).
    pub fn reader<'g>(&self, gaz: &'g Gazetteer, sources: &[Source], intake: &intake::Intake) -> Result<sitrep_read::Reader<'g>> {
        if self.batch_theatre && sources.iter().any(|s| matches!(s, Source::Whole(p) | Source::Lines(p) if p == Path::new("-"))) {
            bail!("--batch-theatre reads the input twice: give files, not standard input");
        }
        let theatre = self.choice().build(gaz, |add| -> Result<()> {
            // Documents the intake refuses are skipped here; the reading pass reports them.
            intake::for_each(sources, |doc| -> Result<()> {
                if let Ok(report) = doc.and_then(|d| intake.document(d)) {
                    add(&report.report.text);
                }
                Ok(())
            })
        })?;
        Ok(sitrep_read::Reader::new(gaz).with_theatre(theatre))
    }
}
