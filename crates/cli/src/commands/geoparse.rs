//! `sitrep geoparse`: every place named in one or more reports.
//!
//! Documents go through the batch path of `commands::batch` (decoded, parsed and rendered on
//! all cores, written in order by one thread). JSON is written straight into the output
//! buffer, keys as literal bytes and values through serde_json (no intermediate `String` or
//! `Value` per toponym, no serialiser state per field), each place once per document in a
//! `places` table that toponyms point to; a worker keeps the rows it has written
//! ([`PlaceRows`]) and copies them when a place comes again. A document longer than one segment is parsed a
//! window of segments at a time and written as it goes.

use std::{collections::HashMap, io::Write, path::PathBuf, process::ExitCode};

use anyhow::{Context, Result};
use rayon::prelude::*;
use serde::Serialize;
use sitrep_gazetteer::{Gazetteer, Place};
use sitrep_geoparse::{scan::Scan, Demonym, Geoparser, Parse, Role, Segment, Theatre, Toponym};
use sitrep_read::intake::{Document, DocumentRef};

use super::batch::{self, Framing, Piece, Rendered};
use crate::render::{round, where_label};

/// Arguments of `sitrep geoparse`.
#[derive(clap::Args)]
pub struct Args {
    /// Report files or directories (read recursively; `.jsonl` files as JSON lines); standard
    /// input when none (`-` also means standard input).
    files: Vec<PathBuf>,
    /// Inputs are JSON lines: one `{"id", "text"}` document per line.
    #[arg(long)]
    jsonl: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// How much of each place JSON output carries: `lean` (what a map or a table needs) or
    /// `full` (also each toponym's runner-up places, and each place's other spellings and
    /// bounding box).
    #[arg(long, value_enum, default_value_t = Detail::Lean)]
    detail: Detail,
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
    /// One JSON array of documents, one document per line.
    Json,
    /// One JSON document per line.
    Jsonl,
}

/// How much JSON output says of each place.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Detail {
    /// Each place's id, name, feature, subdivisions, country, population and point.
    Lean,
    /// Also every toponym's runner-up places (`alternatives`), and each place's other
    /// spellings (`alternates`) and bounding box (`bbox`).
    Full,
}

/// Writes `v` as JSON: a string escaped, a number in serde_json's shortest exact form (a
/// gazetteer coordinate, single precision, as 49.71003, never 49.710029602050781), `None` as
/// `null`. Keys and punctuation around values are written as literal bytes, which is what
/// makes this path several times cheaper than serialising a derived struct.
fn value(out: &mut Vec<u8>, v: &(impl Serialize + ?Sized)) -> Result<()> {
    Ok(serde_json::to_writer(out, v)?)
}

/// Writes `key` (literal bytes: the key with its quotes, colon and any punctuation before it)
/// and then `v` as [`value`] does.
fn field(out: &mut Vec<u8>, key: &[u8], v: &(impl Serialize + ?Sized)) -> Result<()> {
    out.extend_from_slice(key);
    value(out, v)
}

/// Writes a place's id: "geonames:703656", or "sitrep:donbas" for a place of sitrep's own.
fn place_id(out: &mut Vec<u8>, p: Place<'_>) -> Result<()> {
    match p.geonameid() {
        Some(id) => {
            out.extend_from_slice(b"\"geonames:");
            value(out, &id)?;
            out.push(b'"');
            Ok(())
        }
        None => value(out, &format!("sitrep:{}", p.code())),
    }
}

/// Writes a row of a document's `places`: `{"id", "geonameid", "name", "feature", "admin1",
/// "admin2", "country", "country_code", "population", "lat", "lon"}`, and with
/// [`Detail::Full`] also `"bbox"` (when the place has one) and `"alternates"`.
fn place_json(out: &mut Vec<u8>, p: Place<'_>, detail: Detail) -> Result<()> {
    let point = p.point();
    out.extend_from_slice(b"{\"id\":");
    place_id(out, p)?;
    field(out, b",\"geonameid\":", &p.geonameid())?;
    field(out, b",\"name\":", p.display_name())?;
    field(out, b",\"feature\":", &p.feature())?;
    field(out, b",\"admin1\":", &p.admin1().map(|a| a.display_name()))?;
    field(out, b",\"admin2\":", &p.admin2().map(|a| a.display_name()))?;
    field(out, b",\"country\":", &p.country().map(|c| c.name()))?;
    field(out, b",\"country_code\":", p.country_code())?;
    field(out, b",\"population\":", &p.population())?;
    field(out, b",\"lat\":", &(point.lat as f32))?;
    field(out, b",\"lon\":", &(point.lon as f32))?;
    if detail == Detail::Full {
        if let Some(bbox) = p.bbox() {
            field(out, b",\"bbox\":", &bbox.map(|v| v as f32))?;
        }
        field(out, b",\"alternates\":", &p.alternates().collect::<Vec<_>>())?;
    }
    out.push(b'}');
    Ok(())
}

/// Places' rows as [`place_json`] wrote them, kept by a worker from one document to the next
/// and copied when a place comes again: news names the same places over and over, and a row
/// costs more to write (the names of the place, its subdivisions and its country, escaped,
/// and its point) than to copy. The output is the same either way.
#[derive(Default)]
struct PlaceRows {
    /// Gazetteer record → where its row lies in `bytes`.
    at: HashMap<u32, (u32, u32)>,
    bytes: Vec<u8>,
}

/// Bytes of rows a worker keeps; past that, it starts afresh.
const PLACE_ROWS_BYTES: usize = 4 << 20;

impl PlaceRows {
    /// Writes the row of `p` to `out`, as [`place_json`] does.
    fn write(&mut self, out: &mut Vec<u8>, p: Place<'_>, detail: Detail) -> Result<()> {
        if let Some(&(start, end)) = self.at.get(&p.index()) {
            out.extend_from_slice(&self.bytes[start as usize..end as usize]);
            return Ok(());
        }
        if self.bytes.len() > PLACE_ROWS_BYTES {
            self.bytes.clear();
            self.at.clear();
        }
        let start = self.bytes.len();
        place_json(&mut self.bytes, p, detail)?;
        self.at.insert(p.index(), (start as u32, self.bytes.len() as u32));
        out.extend_from_slice(&self.bytes[start..]);
        Ok(())
    }
}

/// Writes a toponym: `{"start", "end", "text", "place", "role", "precision", "confidence"}`,
/// then `"local": true` for a street, road or natural feature the gazetteer lacks (placed at the
/// nearest named town), `"ambiguous": {"candidates", "spread_km"}` when the text did not choose
/// among the settlements of the name in its country, and with [`Detail::Full`] the runner-up
/// places as `"alternatives"`. Offsets are Unicode scalar values; `place` and `alternatives`
/// are rows of the document's `places`.
fn toponym_json(out: &mut Vec<u8>, t: &Toponym<'_>, place: Option<usize>, alternatives: Option<&[usize]>) -> Result<()> {
    field(out, b"{\"start\":", &t.start)?;
    field(out, b",\"end\":", &t.end)?;
    field(out, b",\"text\":", t.text.as_str())?;
    field(out, b",\"place\":", &place)?;
    field(out, b",\"role\":", &t.role)?;
    field(out, b",\"precision\":", &t.precision)?;
    field(out, b",\"confidence\":", &t.confidence)?;
    if t.local {
        out.extend_from_slice(b",\"local\":true");
    }
    if let Some(a) = t.ambiguous {
        field(out, b",\"ambiguous\":{\"candidates\":", &a.candidates)?;
        field(out, b",\"spread_km\":", &round(a.spread_km, 1))?;
        out.push(b'}');
    }
    if let Some(rows) = alternatives {
        field(out, b",\"alternatives\":", rows)?;
    }
    out.push(b'}');
    Ok(())
}

/// Writes a demonym: `{"start", "end", "text", "country"}` (its ISO code), and `"subdivision"`
/// (a place id) when the word names a subdivision's people ("Chechen").
fn demonym_json(out: &mut Vec<u8>, d: &Demonym<'_>) -> Result<()> {
    field(out, b"{\"start\":", &d.start)?;
    field(out, b",\"end\":", &d.end)?;
    field(out, b",\"text\":", d.text.as_str())?;
    field(out, b",\"country\":", &d.country.map(|c| c.code()))?;
    if let Some(sub) = d.subdivision {
        out.extend_from_slice(b",\"subdivision\":");
        place_id(out, sub)?;
    }
    out.push(b'}');
    Ok(())
}

/// One document's JSON, written straight into output buffers: `{"id", "toponyms", "demonyms",
/// "places"}`. Toponyms go out as they come (segment by segment for a long document); the
/// demonyms are kept aside, and the `places` table, each place once in order of first
/// reference, closes the document, so that it can be written after every toponym.
struct DocJson<'g> {
    detail: Detail,
    places: Vec<Place<'g>>,
    /// Gazetteer record → row of `places`.
    rows: HashMap<u32, usize>,
    toponyms: usize,
    demonyms: Vec<u8>,
}

impl<'g> DocJson<'g> {
    /// Writes the document's opening to `out`.
    fn open(id: &str, detail: Detail, out: &mut Vec<u8>) -> Result<DocJson<'g>> {
        out.extend_from_slice(b"{\"id\":");
        serde_json::to_writer(&mut *out, id)?;
        out.extend_from_slice(b",\"toponyms\":[");
        Ok(DocJson { detail, places: Vec::new(), rows: HashMap::new(), toponyms: 0, demonyms: Vec::new() })
    }

    /// The row of `place` in the table, added if new.
    fn row(&mut self, place: Place<'g>) -> usize {
        *self.rows.entry(place.index()).or_insert_with(|| {
            self.places.push(place);
            self.places.len() - 1
        })
    }

    /// Writes the toponyms of `parse` to `out` and keeps its demonyms.
    fn add(&mut self, parse: &Parse<'g>, out: &mut Vec<u8>) -> Result<()> {
        for t in &parse.toponyms {
            if self.toponyms > 0 {
                out.push(b',');
            }
            self.toponyms += 1;
            let place = t.place.map(|p| self.row(p));
            let alternatives: Option<Vec<usize>> = (self.detail == Detail::Full).then(|| t.alternatives.iter().map(|p| self.row(*p)).collect());
            toponym_json(out, t, place, alternatives.as_deref())?;
        }
        for d in &parse.demonyms {
            if !self.demonyms.is_empty() {
                self.demonyms.push(b',');
            }
            demonym_json(&mut self.demonyms, d)?;
        }
        Ok(())
    }

    /// Writes the demonyms, the places (through `rows`) and the document's end to `out`.
    fn close(self, out: &mut Vec<u8>, rows: &mut PlaceRows) -> Result<()> {
        out.extend_from_slice(b"],\"demonyms\":[");
        out.extend_from_slice(&self.demonyms);
        out.extend_from_slice(b"],\"places\":[");
        for (i, p) in self.places.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            rows.write(out, *p, self.detail)?;
        }
        out.extend_from_slice(b"]}\n");
        Ok(())
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

/// What the options ask of the output.
#[derive(Clone, Copy)]
struct Output {
    format: Format,
    detail: Detail,
}

impl Output {
    /// Renders a whole parse of document `id` into `out`.
    fn document(self, id: &str, parse: &Parse<'_>, out: &mut Vec<u8>, rows: &mut PlaceRows) -> Result<()> {
        if self.format == Format::Text {
            out.extend_from_slice(to_text(id, parse).as_bytes());
            return Ok(());
        }
        let mut doc = DocJson::open(id, self.detail, out)?;
        doc.add(parse, out)?;
        doc.close(out, rows)
    }
}

/// Segments of one long document parsed at a time, on all cores, before they are written.
const SEGMENT_WINDOW: usize = 8;

/// Writes a document longer than one segment while it is parsed, a window of segments at a
/// time, so that memory is bounded by the window (and by its places and demonyms, which JSON
/// writes last).
fn stream_long(parser: &Geoparser<'_>, doc: &Document, output: Output, send: &dyn Fn(Vec<Piece>) -> Result<()>) -> Result<()> {
    let all: Vec<Segment<'_>> = sitrep_geoparse::segments(&doc.text).collect();
    let mut head = Vec::new();
    let mut json = match output.format {
        Format::Text => {
            writeln!(head, "== {}: a long document, read in {} segments each resolved on its own", doc.id, all.len())?;
            None
        }
        Format::Json | Format::Jsonl => Some(DocJson::open(&doc.id, output.detail, &mut head)?),
    };
    send(vec![Piece { bytes: head, starts: vec![0] }])?;
    for window in all.chunks(SEGMENT_WINDOW) {
        let parts: Vec<Parse<'_>> = window.par_iter().map_init(Scan::default, |scan, seg| parser.parse_segment(seg, scan)).collect();
        let mut out = Vec::new();
        for part in &parts {
            match &mut json {
                None => out.extend_from_slice(text_lines(part).as_bytes()),
                Some(json) => json.add(part, &mut out)?,
            }
        }
        send(vec![Piece { bytes: out, starts: Vec::new() }])?;
    }
    if let Some(json) = json {
        let mut tail = Vec::new();
        json.close(&mut tail, &mut PlaceRows::default())?;
        send(vec![Piece { bytes: tail, starts: Vec::new() }])?;
    }
    Ok(())
}

/// Runs `sitrep geoparse`.
pub fn run(gaz: &Gazetteer, args: &Args) -> Result<ExitCode> {
    let sources = super::sources_of(&args.files, args.jsonl)?;
    let parser = match &args.theatre {
        Some(code) => Geoparser::new(gaz).with_theatre(Theatre::country(gaz, code).with_context(|| format!("no country with code {code} in the gazetteer"))?),
        None => Geoparser::new(gaz),
    };
    let output = Output { format: args.format, detail: args.detail };
    let framing = match args.format {
        Format::Json => Framing { head: b"[\n".to_vec(), separator: b",", tail: b"]\n" },
        Format::Text | Format::Jsonl => Framing::default(),
    };
    let render = |(scan, rows): &mut (Scan, PlaceRows), doc: DocumentRef<'_>, out: &mut Vec<u8>| {
        if doc.text.len() > sitrep_geoparse::MAX_SEGMENT_BYTES {
            return Rendered::Long(Box::new(doc.into_owned()));
        }
        let parse = parser.parse_with(&doc.text, scan);
        match output.document(&doc.id, &parse, out, rows) {
            Ok(()) => Rendered::Done(doc.warnings),
            Err(e) => Rendered::Refused(format!("{}: {e}", doc.id)),
        }
    };
    let long = |doc: Document, send: &dyn Fn(Vec<Piece>) -> Result<()>| {
        for w in &doc.warnings {
            eprintln!("warning: {w}");
        }
        stream_long(&parser, &doc, output, send)
    };
    let skipped = batch::run(&sources, framing, render, long)?;
    if skipped > 0 {
        eprintln!("{skipped} input lines skipped (see warnings above)");
    }
    Ok(ExitCode::SUCCESS)
}
