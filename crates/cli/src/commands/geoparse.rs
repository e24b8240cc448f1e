//! `sitrep geoparse`: every place named in one or more reports.

use std::{io::Write, path::PathBuf, process::ExitCode};

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use sitrep_gazetteer::Gazetteer;
use sitrep_geoparse::{Geoparser, Parse, Precision, Role, Segment, Theatre};

use sitrep_read::intake::Document;

use crate::render::{round, where_label, PlaceJson};

/// Arguments of `sitrep geoparse`.
#[derive(clap::Args)]
pub struct Args {
    /// Report files (standard input when none; `-` also means standard input).
    files: Vec<PathBuf>,
    /// Inputs are JSON lines: one `{"id", "text"}` document per line.
    #[arg(long)]
    jsonl: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The country the reports are about (ISO code, "UA"): a name that is a place there and
    /// elsewhere is read as the place there unless the text names the other's country or
    /// region.
    #[arg(long)]
    theatre: Option<String>,
}

/// Output format of `geoparse`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable lines.
    Text,
    /// One JSON array of documents.
    Json,
    /// One JSON document per line.
    Jsonl,
}

/// A toponym as JSON. Offsets are Unicode scalar values.
#[derive(Serialize)]
struct ToponymJson<'g> {
    start: usize,
    end: usize,
    text: &'g str,
    role: Role,
    precision: Precision,
    confidence: f64,
    /// A street, road or natural feature the gazetteer lacks, placed at the nearest named town.
    local: bool,
    /// How many settlements of the name in its country, and how far apart, when the text did
    /// not choose among them.
    #[serde(skip_serializing_if = "Option::is_none")]
    ambiguous: Option<AmbiguityJson>,
    place: Option<PlaceJson<'g>>,
    alternatives: Vec<AlternativeJson<'g>>,
}

#[derive(Serialize)]
struct AmbiguityJson {
    candidates: usize,
    spread_km: f64,
}

#[derive(Serialize)]
struct AlternativeJson<'g> {
    id: String,
    name: &'g str,
    feature: sitrep_gazetteer::Feature,
    located_in: String,
    lat: f64,
    lon: f64,
}

#[derive(Serialize)]
struct DemonymJson<'g> {
    start: usize,
    end: usize,
    text: &'g str,
    country: Option<&'g str>,
    /// The subdivision whose people the word names ("Chechen"), as its id.
    #[serde(skip_serializing_if = "Option::is_none")]
    subdivision: Option<String>,
}

#[derive(Serialize)]
struct DocumentJson<'a> {
    id: &'a str,
    toponyms: Vec<ToponymJson<'a>>,
    demonyms: Vec<DemonymJson<'a>>,
}

fn to_json<'a>(id: &'a str, parse: &'a Parse<'a>) -> DocumentJson<'a> {
    DocumentJson {
        id,
        toponyms: parse
            .toponyms
            .iter()
            .map(|t| ToponymJson {
                start: t.start,
                end: t.end,
                text: &t.text,
                role: t.role,
                precision: t.precision,
                confidence: t.confidence,
                local: t.local,
                ambiguous: t.ambiguous.map(|a| AmbiguityJson { candidates: a.candidates, spread_km: round(a.spread_km, 1) }),
                place: t.place.as_ref().map(PlaceJson::new),
                alternatives: t
                    .alternatives
                    .iter()
                    .map(|p| AlternativeJson {
                        id: p.id(),
                        name: p.display_name(),
                        feature: p.feature(),
                        located_in: where_label(p),
                        lat: round(p.point().lat, 5),
                        lon: round(p.point().lon, 5),
                    })
                    .collect(),
            })
            .collect(),
        demonyms: parse
            .demonyms
            .iter()
            .map(|d| DemonymJson {
                start: d.start,
                end: d.end,
                text: &d.text,
                country: d.country.map(|c| c.code()),
                subdivision: d.subdivision.map(|p| p.id()),
            })
            .collect(),
    }
}

fn to_text(id: &str, parse: &Parse<'_>) -> String {
    format!("== {id}: {} places, {} demonyms\n{}", parse.toponyms.len(), parse.demonyms.len(), text_lines(parse))
}

/// The text rendering of a parse, without its header.
fn text_lines(parse: &Parse<'_>) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    for t in &parse.toponyms {
        let _ = match &t.place {
            Some(p) => writeln!(
                s,
                "  {:>6}..{:<6} {:<24} → {} — {}{}  ({:.4}, {:.4})  [{}]  precision {} · confidence {:.2}{}{}",
                t.start,
                t.end,
                t.text,
                p.display_name(),
                p.feature(),
                {
                    let l = where_label(p);
                    if l.is_empty() {
                        l
                    } else {
                        format!(", {l}")
                    }
                },
                p.point().lat,
                p.point().lon,
                p.id(),
                t.precision as u8,
                t.confidence,
                match (t.local, t.role) {
                    (true, _) => " · local feature, placed at the nearest named town".to_owned(),
                    (false, Role::Literal) => String::new(),
                    (false, role) => format!(" · {}", serde_json::to_value(role).map(|v| v.as_str().unwrap_or("").to_owned()).unwrap_or_default()),
                },
                match t.ambiguous {
                    Some(a) => format!(" · ambiguous: {} places of the name, {:.0} km apart", a.candidates, a.spread_km),
                    None => String::new(),
                }
            ),
            None => writeln!(s, "  {:>6}..{:<6} {:<24} → (no gazetteer entry)", t.start, t.end, t.text),
        };
    }
    if !parse.demonyms.is_empty() {
        let list: Vec<String> = parse.demonyms.iter().map(|d| format!("{} ({})", d.text, d.country.map_or("-", |c| c.code()))).collect();
        let _ = writeln!(s, "  demonyms: {}", list.join(", "));
    }
    s
}

/// Segments of one long document parsed at a time, on all cores, before they are written.
const SEGMENT_WINDOW: usize = 8;

/// Writes a document longer than one segment while it is parsed, a window of segments at a
/// time, so that memory is bounded by the window (its demonyms, written last in JSON, are kept
/// as rendered JSON).
fn stream_long(parser: &Geoparser<'_>, doc: &Document, format: Format, first: bool, out: &mut dyn Write) -> Result<()> {
    let all: Vec<Segment<'_>> = sitrep_geoparse::segments(&doc.text).collect();
    let id = serde_json::to_string(&doc.id)?;
    match format {
        Format::Text => writeln!(out, "== {}: a long document, read in {} segments each resolved on its own", doc.id, all.len())?,
        Format::Json | Format::Jsonl => {
            if format == Format::Json && !first {
                out.write_all(b",\n")?;
            }
            write!(out, "{{\"id\":{id},\"toponyms\":[")?;
        }
    }
    let mut demonyms = String::new();
    let mut any_toponym = false;
    for window in all.chunks(SEGMENT_WINDOW) {
        let parts: Vec<Parse<'_>> = window.par_iter().map_init(sitrep_geoparse::scan::Scan::default, |scan, seg| parser.parse_segment(seg, scan)).collect();
        for part in &parts {
            if format == Format::Text {
                out.write_all(text_lines(part).as_bytes())?;
                continue;
            }
            let json = to_json(&doc.id, part);
            for t in &json.toponyms {
                if any_toponym {
                    out.write_all(b",")?;
                }
                serde_json::to_writer(&mut *out, t)?;
                any_toponym = true;
            }
            for d in &json.demonyms {
                if !demonyms.is_empty() {
                    demonyms.push(',');
                }
                demonyms += &serde_json::to_string(d)?;
            }
        }
    }
    if format != Format::Text {
        write!(out, "],\"demonyms\":[{demonyms}]}}")?;
        if format == Format::Jsonl {
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

/// Documents handed to the thread pool at a time: enough to keep cores busy, few enough to
/// keep memory bounded on endless inputs.
const BATCH: usize = 512;

/// Runs `sitrep geoparse`.
pub fn run(gaz: &Gazetteer, args: &Args) -> Result<ExitCode> {
    let sources = super::file_sources(&args.files, args.jsonl);
    let parser = match &args.theatre {
        Some(code) => Geoparser::new(gaz).with_theatre(Theatre::country(gaz, code).with_context(|| format!("no country with code {code} in the gazetteer"))?),
        None => Geoparser::new(gaz),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // Whether a document has been written yet (JSON arrays need commas between them).
    let written = std::cell::Cell::new(false);
    if args.format == Format::Json {
        out.write_all(b"[\n")?;
    }
    let mut batch: Vec<Document> = Vec::with_capacity(BATCH);
    let flush = |batch: &mut Vec<Document>, out: &mut dyn Write| -> Result<()> {
        let rendered: Vec<String> = batch
            .par_iter()
            .map_init(sitrep_geoparse::scan::Scan::default, |scan, doc| {
                let parse = parser.parse_with(&doc.text, scan);
                match args.format {
                    Format::Text => to_text(&doc.id, &parse),
                    Format::Json => serde_json::to_string_pretty(&to_json(&doc.id, &parse)).unwrap_or_default(),
                    Format::Jsonl => serde_json::to_string(&to_json(&doc.id, &parse)).unwrap_or_default(),
                }
            })
            .collect();
        for r in rendered {
            if args.format == Format::Json && written.get() {
                out.write_all(b",\n")?;
            }
            out.write_all(r.as_bytes())?;
            if args.format == Format::Jsonl {
                out.write_all(b"\n")?;
            }
            written.set(true);
        }
        batch.clear();
        Ok(())
    };
    let skipped = super::for_each_document(&sources, |doc| {
        for w in &doc.warnings {
            eprintln!("warning: {w}");
        }
        if doc.text.len() > sitrep_geoparse::MAX_SEGMENT_BYTES {
            flush(&mut batch, &mut out)?;
            stream_long(&parser, &doc, args.format, !written.get(), &mut out)?;
            written.set(true);
            return Ok(());
        }
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
    out.flush()?;
    if skipped > 0 {
        eprintln!("{skipped} input lines skipped (see warnings above)");
    }
    Ok(ExitCode::SUCCESS)
}
