//! Reading reports: files, standard input, or JSON lines.
//!
//! Plain files are read whole; bytes that are not UTF-8 are replaced (U+FFFD) and a warning
//! says how many. JSON lines (`{"id", "text", ...}`) are read one line at a time, so a file of
//! any length runs in bounded memory; a line that is not a valid document is reported with
//! its number and skipped.

use std::{
    fs::File,
    io::{self, BufRead, BufReader, Read},
    path::{Path, PathBuf},
};

use anyhow::{Context, Result};
use serde::Deserialize;

/// One report to process.
#[derive(Debug, Clone)]
pub struct Document {
    /// The id from the JSON line, or the file name, or "stdin".
    pub id: String,
    /// The text.
    pub text: String,
    /// Metadata a JSON line may carry: headline, publication date (as written), outlet, address.
    pub meta: Meta,
}

/// Optional fields of a JSON-lines document.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Meta {
    /// Headline.
    pub title: Option<String>,
    /// Publication date or time, as written ("2022-09-10", "2022-09-10T14:00:00Z").
    pub published: Option<String>,
    /// Outlet.
    pub source: Option<String>,
    /// Address.
    pub url: Option<String>,
}

#[derive(Deserialize)]
struct JsonDocument {
    id: Option<serde_json::Value>,
    text: String,
    #[serde(flatten)]
    meta: Meta,
}

/// Longest JSON line accepted (64 MiB); longer lines are reported and skipped.
pub const MAX_LINE_BYTES: usize = 64 << 20;

/// Where documents come from.
pub enum Source {
    /// One file (or `-` for standard input) holding one document.
    Whole(PathBuf),
    /// A JSON-lines file (or `-`), one document per line.
    Lines(PathBuf),
}

fn open(path: &Path) -> Result<Box<dyn Read>> {
    if path == Path::new("-") {
        return Ok(Box::new(io::stdin()));
    }
    Ok(Box::new(File::open(path).with_context(|| format!("cannot open {}", path.display()))?))
}

/// Decodes bytes as UTF-8, replacing invalid sequences and warning about them.
pub fn decode(bytes: Vec<u8>, what: &str) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let bytes = e.into_bytes();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let replaced = text.chars().filter(|&c| c == char::REPLACEMENT_CHARACTER).count();
            eprintln!("warning: {what} is not valid UTF-8; {replaced} invalid sequences replaced with U+FFFD");
            text
        }
    }
}

/// Calls `each` for every document of every source, in order. Bad lines are reported on
/// standard error with their line number and skipped; returns how many were skipped.
pub fn for_each(sources: &[Source], mut each: impl FnMut(Document) -> Result<()>) -> Result<usize> {
    let mut skipped = 0;
    for source in sources {
        match source {
            Source::Whole(path) => {
                let mut bytes = Vec::new();
                open(path)?.read_to_end(&mut bytes).with_context(|| format!("reading {}", path.display()))?;
                let name = if path == Path::new("-") { "stdin".to_owned() } else { path.display().to_string() };
                let text = decode(bytes, &name);
                each(Document { id: name, text, meta: Meta::default() })?;
            }
            Source::Lines(path) => {
                let name = if path == Path::new("-") { "stdin".to_owned() } else { path.display().to_string() };
                let mut reader = BufReader::with_capacity(1 << 20, open(path)?);
                let mut line = Vec::new();
                let mut number = 0usize;
                loop {
                    line.clear();
                    number += 1;
                    let n = read_line_bounded(&mut reader, &mut line).with_context(|| format!("reading {name}"))?;
                    if n == 0 {
                        break;
                    }
                    if line.len() > MAX_LINE_BYTES {
                        eprintln!("warning: {name} line {number}: longer than {} MiB, skipped", MAX_LINE_BYTES >> 20);
                        skipped += 1;
                        continue;
                    }
                    if line.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    match serde_json::from_slice::<JsonDocument>(&line) {
                        Ok(doc) => {
                            let id = match doc.id {
                                Some(serde_json::Value::String(s)) => s,
                                Some(other) => other.to_string(),
                                None => format!("{name}:{number}"),
                            };
                            each(Document { id, text: doc.text, meta: doc.meta })?;
                        }
                        Err(e) => {
                            eprintln!("warning: {name} line {number}: not a JSON document with a \"text\" field ({e}); skipped");
                            skipped += 1;
                        }
                    }
                }
            }
        }
    }
    Ok(skipped)
}

/// Reads one line into `line` without keeping more than [`MAX_LINE_BYTES`] + 1 bytes of it;
/// returns the bytes consumed (0 at the end of input).
fn read_line_bounded(reader: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<usize> {
    let mut consumed = 0;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(consumed);
        }
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..=i], true),
            None => (buf, false),
        };
        let room = (MAX_LINE_BYTES + 1).saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let n = chunk.len();
        reader.consume(n);
        consumed += n;
        if done {
            return Ok(consumed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_lines() {
        let data = b"one\ntwo\n\nthree";
        let mut r = BufReader::new(&data[..]);
        let mut line = Vec::new();
        let mut lines = Vec::new();
        while read_line_bounded(&mut r, &mut line).unwrap() > 0 {
            lines.push(String::from_utf8(line.clone()).unwrap());
            line.clear();
        }
        assert_eq!(lines, ["one\n", "two\n", "\n", "three"]);
    }

    #[test]
    fn lossy_decoding_keeps_the_rest() {
        assert_eq!(decode(b"Kharkiv \xff\xfe ok".to_vec(), "test"), "Kharkiv \u{fffd}\u{fffd} ok");
    }
}
