//! Reading reports: files, standard input, or JSON lines.
//!
//! Plain files are read whole, decoded as they are read so that the raw bytes are never held
//! beside the text; bytes that are not UTF-8 are replaced (U+FFFD) and a warning says how many. JSON lines (`{"id", "text", ...}`) are read one line at a time, so a file of
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

/// Reads `reader` to its end as UTF-8 text, a block at a time, replacing each invalid sequence
/// with U+FFFD exactly as `String::from_utf8_lossy` does; returns the text and how many
/// sequences were replaced. A sequence split between two blocks is carried into the next, so
/// memory holds the text and one block, never the raw bytes beside the text. `size_hint`
/// reserves the text's room up front (a file's length).
pub fn read_text(mut reader: impl Read, size_hint: usize) -> io::Result<(String, usize)> {
    const BLOCK: usize = 1 << 20;
    let mut text = String::with_capacity(size_hint);
    let mut block = vec![0u8; BLOCK];
    // `carried`: bytes at the start of `block` left from the last read (a cut sequence).
    let (mut carried, mut replaced) = (0, 0);
    loop {
        let n = match reader.read(&mut block[carried..]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let (at_end, end) = (n == 0, carried + n);
        let mut at = 0;
        carried = 0;
        while at < end {
            let error = match std::str::from_utf8(&block[at..end]) {
                Ok(valid) => {
                    text.push_str(valid);
                    break;
                }
                Err(e) => e,
            };
            let valid_end = at + error.valid_up_to();
            text.push_str(std::str::from_utf8(&block[at..valid_end]).expect("valid up to here"));
            match error.error_len() {
                Some(len) => at = valid_end + len,
                // A sequence cut by the end of the block: the next read finishes it.
                None if !at_end => {
                    block.copy_within(valid_end..end, 0);
                    carried = end - valid_end;
                    break;
                }
                // Cut by the end of the input: one replacement, as the lossy decoder makes.
                None => at = end,
            }
            text.push(char::REPLACEMENT_CHARACTER);
            replaced += 1;
        }
        if at_end {
            return Ok((text, replaced));
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
                let name = if path == Path::new("-") { "stdin".to_owned() } else { path.display().to_string() };
                // Room for the file and a quarter more: replacements take three bytes where the
                // invalid byte took one, and growing a text of hundreds of megabytes copies it.
                // Room never written costs no memory.
                let size_hint = if path == Path::new("-") { 0 } else { std::fs::metadata(path).map_or(0, |m| m.len() as usize) };
                let size_hint = size_hint.saturating_add(size_hint / 4);
                let (text, replaced) = read_text(open(path)?, size_hint).with_context(|| format!("reading {name}"))?;
                if replaced > 0 {
                    eprintln!("warning: {name} is not valid UTF-8; {replaced} invalid sequences replaced with U+FFFD");
                }
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
        assert_eq!(read_text(&b"Kharkiv \xff\xfe ok"[..], 0).unwrap(), ("Kharkiv \u{fffd}\u{fffd} ok".to_owned(), 2));
        assert_eq!(read_text(&b""[..], 0).unwrap(), (String::new(), 0));
        assert_eq!(read_text(&b"cut \xe2\x82"[..], 0).unwrap(), ("cut \u{fffd}".to_owned(), 1));
    }

    /// A reader that hands out at most `step` bytes per read, so that sequences are cut
    /// between reads anywhere.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    proptest::proptest! {
        #[test]
        fn reading_in_blocks_decodes_as_the_lossy_decoder_does(
            bytes in proptest::collection::vec(proptest::prop_oneof![proptest::num::u8::ANY, 0x80u8..0xc0, 0xe0u8..0xf0], 0..300),
            step in 1usize..9,
        ) {
            let expected = String::from_utf8_lossy(&bytes);
            let (text, replaced) = read_text(Trickle { bytes: &bytes, step }, 0).unwrap();
            proptest::prop_assert_eq!(&text, &expected);
            // Every replacement character in the text is one made, or one the input spelt out.
            let spelt = bytes.windows(3).filter(|w| *w == "\u{fffd}".as_bytes()).count();
            proptest::prop_assert_eq!(replaced, text.matches(char::REPLACEMENT_CHARACTER).count() - spelt);
        }
    }
}
