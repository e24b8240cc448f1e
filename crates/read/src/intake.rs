//! Intake: every way a report comes in (a text file, an HTML page, a JSON line, the body of an
//! HTTP request, a message off the queue) made into one [`Report`] by one set of rules.
//!
//! - A [`Document`] is what came in: an id, the raw text, and the metadata given with it
//!   ([`Meta`]: from a JSON line's fields or a request's query parameters; a file has none).
//! - [`Intake::document`] makes the report: an HTML page (recognised by its start, or forced)
//!   gives its article text, and its headline, byline and date where the metadata has none;
//!   the publication date is the first of [`DATE_FIELDS`] that is given and readable, else the
//!   page's, else the intake's default (`--published`); NUL characters, which PostgreSQL cannot
//!   store, become U+FFFD in every field (so both databases hold the same text); a report with
//!   no text left is refused with a per-document error and never stored.
//! - The report's `text` is the text that is read, so every offset of its reading indexes it;
//!   that is also the text the store keeps.
//!
//! [`for_each`] reads documents from files, directories and standard input (whole files, or
//! JSON lines with a bounded line length), decoding invalid UTF-8 as U+FFFD. A `Report` is
//! also the queue's message: its serde form is a JSON-lines document.

use std::{
    fs::File,
    io::{self, BufRead, BufReader, Read},
    path::{Path, PathBuf},
};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// A report to read: its text and what is known about it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// An id (file name, JSON id).
    pub id: String,
    /// The headline, if known apart from the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The author or authors, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
    /// The publication date, if known (YYYY-MM-DD in JSON).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<NaiveDate>,
    /// The outlet that published it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Where it was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The text that is read (for an HTML page, its article text).
    pub text: String,
}

impl Report {
    /// A report that is only text.
    pub fn text(id: &str, text: &str) -> Report {
        Report { id: id.to_owned(), text: text.to_owned(), ..Report::default() }
    }

    /// The report's content key ([`content_key`] of its text and metadata).
    pub fn content_key(&self) -> String {
        content_key(&self.text, self.title.as_deref(), self.source.as_deref(), self.url.as_deref(), self.published)
    }
}

/// The content key of a report: 64-bit FNV-1a over its text, headline, outlet, address and
/// publication date (not its id: the same report under two ids is one report), with the text's
/// length appended. The store keys reports by it and the queue dedupes messages by it.
pub fn content_key(text: &str, title: Option<&str>, source: Option<&str>, url: Option<&str>, published: Option<NaiveDate>) -> String {
    let published = published.map(|d| d.to_string()).unwrap_or_default();
    let h = fnv1a([text, title.unwrap_or(""), source.unwrap_or(""), url.unwrap_or(""), &published]);
    format!("{h:016x}-{}", text.len())
}

/// 64-bit FNV-1a over `parts`, each followed by the byte 0xff (which UTF-8 never holds), so
/// that ("ab", "c") and ("a", "bc") differ. The one hash sitrep keys stored content by.
pub fn fnv1a<'a>(parts: impl IntoIterator<Item = &'a str>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The metadata fields that date a report, in order of precedence: the first one given with
/// a readable date wins.
pub const DATE_FIELDS: [&str; 4] = ["published", "date", "publish_date", "datetime"];

/// What a JSON-lines document or a request's query parameters may say about a report, besides
/// its text. Every field is optional.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Meta {
    /// The report's id (a JSON line's `id` may be a number; it is kept as written).
    #[serde(default, deserialize_with = "id_as_text")]
    pub id: Option<String>,
    /// Headline.
    pub title: Option<String>,
    /// Author or authors.
    pub byline: Option<String>,
    /// Outlet.
    pub source: Option<String>,
    /// Address.
    pub url: Option<String>,
    /// Publication date or time ([`DATE_FIELDS`]).
    pub published: Option<DateValue>,
    /// Publication date or time, under another name.
    pub date: Option<DateValue>,
    /// Publication date or time, under another name.
    pub publish_date: Option<DateValue>,
    /// Publication date or time, under another name.
    pub datetime: Option<DateValue>,
}

/// A date as given: text ("2022-09-10", "2022-09-10T14:00:00Z", "Sat, 10 Sep 2022 14:00:00
/// GMT") or a number of seconds since 1970 (a Unix time).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum DateValue {
    /// As written.
    Text(String),
    /// A Unix time in seconds.
    Seconds(i64),
}

impl DateValue {
    /// The day this value names, if it can be read.
    pub fn day(&self) -> Option<NaiveDate> {
        match self {
            DateValue::Text(s) => parse_day(s),
            DateValue::Seconds(s) => chrono::DateTime::from_timestamp(*s, 0).map(|t| t.date_naive()),
        }
    }
}

impl std::fmt::Display for DateValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DateValue::Text(s) => write!(f, "{s:?}"),
            DateValue::Seconds(s) => write!(f, "{s}"),
        }
    }
}

fn id_as_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Id::deserialize(d)?.0.map(Cow::into_owned))
}

/// The day a written date names: an ISO date or date-time (its first ten characters), or an
/// RFC 2822 date ("Sat, 10 Sep 2022 14:00:00 GMT").
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Some(day) = s.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) {
        return Some(day);
    }
    chrono::DateTime::parse_from_rfc2822(s).ok().map(|t| t.date_naive())
}

/// What came in, before intake: an id, the raw text (perhaps an HTML page) and its metadata.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The id given with it, or the file name, or "stdin", or "FILE:LINE".
    pub id: String,
    /// The text as it came.
    pub text: String,
    /// What was given with it.
    pub meta: Meta,
    /// What was wrong with it that did not stop it (invalid UTF-8 replaced).
    pub warnings: Vec<String>,
}

impl Document {
    /// A JSON-lines document: `{"id"?, "text", "title"?, "byline"?, "source"?, "url"?,
    /// "published"? | "date"? | "publish_date"? | "datetime"?}`; `fallback_id` names it when it
    /// has no id. [`DocumentRef::from_json`] decodes it; this copies what that borrows.
    pub fn from_json(line: &[u8], fallback_id: &str) -> Result<Document, IntakeError> {
        DocumentRef::from_json(line, || fallback_id.to_owned()).map(DocumentRef::into_owned)
    }

    /// The body of an HTTP request with the metadata of its query parameters (`id` defaults to
    /// "posted").
    pub fn from_http(body: String, meta: Meta) -> Document {
        Document { id: meta.id.clone().unwrap_or_else(|| "posted".to_owned()), text: body, meta, warnings: Vec::new() }
    }
}

/// A [`Document`] whose id and text may borrow the JSON line they were decoded from: a string
/// with no escapes in it is the line's own bytes, so that a batch job decodes a line without
/// copying its text (see [`RawItem::document_ref`]).
#[derive(Debug, Clone, Default)]
pub struct DocumentRef<'a> {
    /// As [`Document::id`].
    pub id: Cow<'a, str>,
    /// As [`Document::text`].
    pub text: Cow<'a, str>,
    /// As [`Document::meta`].
    pub meta: Meta,
    /// As [`Document::warnings`].
    pub warnings: Vec<String>,
}

impl<'a> DocumentRef<'a> {
    /// A JSON-lines document (the fields of [`Document::from_json`]; others are passed over),
    /// decoded in one pass over the line; `fallback_id` names it when it has no id (or a null
    /// one). The id is kept as written when it is not a string (17, 1500.0, true). The id
    /// goes to `id`, not to `meta`.
    pub fn from_json(line: &'a [u8], fallback_id: impl FnOnce() -> String) -> Result<DocumentRef<'a>, IntakeError> {
        let mut de = serde_json::Deserializer::from_slice(line);
        let decoded = serde::Deserializer::deserialize_map(&mut de, JsonLine).and_then(|doc| de.end().map(|()| doc));
        match decoded {
            Ok((id, text, meta)) => Ok(DocumentRef { id: id.unwrap_or_else(|| Cow::Owned(fallback_id())), text, meta, warnings: Vec::new() }),
            Err(e) => Err(IntakeError::NotADocument { at: fallback_id(), reason: e.to_string() }),
        }
    }

    /// The document, owning what it borrowed.
    pub fn into_owned(self) -> Document {
        Document { id: self.id.into_owned(), text: self.text.into_owned(), meta: self.meta, warnings: self.warnings }
    }
}

impl From<Document> for DocumentRef<'_> {
    fn from(d: Document) -> Self {
        DocumentRef { id: Cow::Owned(d.id), text: Cow::Owned(d.text), meta: d.meta, warnings: d.warnings }
    }
}

/// Decodes a JSON line's object, field by field: the id (kept as written when it is not a
/// string), the text and [`Meta`]'s fields; other fields are passed over unread. Messages are
/// those of a derived `struct JsonDocument` (a missing or repeated field, a wrong type).
struct JsonLine;

/// A JSON string, borrowed from the input when it holds no escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        d.deserialize_str(Visit)
    }
}

/// An id as written: a string, or any other value in its JSON form (17, 1500.0, true); `None`
/// for null. The one reading of an id, for JSON lines and for [`Meta`].
struct Id<'a>(Option<Cow<'a, str>>);

impl<'de> Deserialize<'de> for Id<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Id(match serde_json::Value::deserialize(d)? {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(Cow::Owned(s)),
            other => Some(Cow::Owned(other.to_string())),
        }))
    }
}

impl<'de> serde::de::Visitor<'de> for JsonLine {
    type Value = (Option<Cow<'de, str>>, Cow<'de, str>, Meta);

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("struct JsonDocument")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        use serde::de::Error;
        const FIELDS: [&str; 10] = ["text", "id", "title", "byline", "source", "url", "published", "date", "publish_date", "datetime"];
        let (mut seen, mut id, mut text, mut meta) = (0u16, None, None, Meta::default());
        while let Some(key) = map.next_key::<Text<'de>>()? {
            let Some(field) = FIELDS.iter().position(|f| *f == key.0) else {
                map.next_value::<serde::de::IgnoredAny>()?;
                continue;
            };
            if seen & (1 << field) != 0 {
                return Err(A::Error::duplicate_field(FIELDS[field]));
            }
            seen |= 1 << field;
            match field {
                0 => text = Some(map.next_value::<Text<'de>>()?.0),
                1 => id = map.next_value::<Id<'de>>()?.0,
                2 => meta.title = map.next_value()?,
                3 => meta.byline = map.next_value()?,
                4 => meta.source = map.next_value()?,
                5 => meta.url = map.next_value()?,
                6 => meta.published = map.next_value()?,
                7 => meta.date = map.next_value()?,
                8 => meta.publish_date = map.next_value()?,
                _ => meta.datetime = map.next_value()?,
            }
        }
        let text = text.ok_or_else(|| A::Error::missing_field("text"))?;
        Ok((id, text, meta))
    }
}

impl From<Report> for Document {
    /// A report made elsewhere (a queue message), to go through intake again.
    fn from(r: Report) -> Document {
        let meta = Meta {
            id: Some(r.id.clone()),
            title: r.title,
            byline: r.byline,
            source: r.source,
            url: r.url,
            published: r.published.map(|d| DateValue::Text(d.to_string())),
            ..Meta::default()
        };
        Document { id: r.id, text: r.text, meta, warnings: Vec::new() }
    }
}

/// Where a report's publication date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DatedBy {
    /// A metadata field (one of [`DATE_FIELDS`]).
    Field(&'static str),
    /// The HTML page's meta tags, JSON-LD or `<time>`.
    Page,
    /// The intake's default (`--published`).
    Default,
    /// Nothing: the reader will look for a date in the text.
    Nothing,
}

impl std::fmt::Display for DatedBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatedBy::Field(name) => write!(f, "field \"{name}\""),
            DatedBy::Page => f.write_str("the HTML page"),
            DatedBy::Default => f.write_str("--published"),
            DatedBy::Nothing => f.write_str("no date given"),
        }
    }
}

/// A report made by intake, with where its date came from and what was wrong that did not stop it.
#[derive(Debug, Clone)]
pub struct Intaken {
    /// The report.
    pub report: Report,
    /// Where its publication date came from.
    pub dated_by: DatedBy,
    /// Warnings about the document (invalid UTF-8, an unreadable date), each naming it.
    pub warnings: Vec<String>,
}

/// Why a document could not become a report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntakeError {
    /// Nothing but white space (or nothing at all).
    #[error("{id}: the report has no text")]
    Empty {
        /// The document.
        id: String,
    },
    /// An HTML page with no article text.
    #[error("{id}: the HTML page has no article text")]
    NoArticle {
        /// The document.
        id: String,
    },
    /// A JSON line that is not a document.
    #[error("{at}: not a JSON document with a \"text\" field ({reason})")]
    NotADocument {
        /// The file and line.
        at: String,
        /// What the JSON parser said.
        reason: String,
    },
    /// A JSON line longer than [`MAX_LINE_BYTES`].
    #[error("{at}: longer than {} MiB", MAX_LINE_BYTES >> 20)]
    TooLong {
        /// The file and line.
        at: String,
    },
}

/// How documents become reports: the date for reports that carry none, and whether every
/// document is an HTML page.
#[derive(Debug, Clone, Copy, Default)]
pub struct Intake {
    /// Publication date for reports that carry none (`--published`).
    pub published: Option<NaiveDate>,
    /// Read every document as HTML (otherwise a text that starts like an HTML page is one).
    pub force_html: bool,
}

impl Intake {
    /// The report behind a document (see the module's description), or why there is none.
    pub fn document(&self, doc: Document) -> Result<Intaken, IntakeError> {
        let Document { id, text, meta, mut warnings } = doc;
        let page = (self.force_html || looks_like_html(&text)).then(|| crate::html::extract(&text));
        let mut dated = None;
        for (name, value) in DATE_FIELDS.iter().zip([&meta.published, &meta.date, &meta.publish_date, &meta.datetime]) {
            let Some(value) = value else { continue };
            match value.day() {
                Some(day) if dated.is_none() => dated = Some((day, DatedBy::Field(name))),
                Some(_) => {}
                None => warnings.push(format!("{id}: the date in \"{name}\", {value}, is not a date sitrep reads (YYYY-MM-DD, ISO 8601 or RFC 2822); ignored")),
            }
        }
        let dated = dated.or_else(|| Some((page.as_ref()?.published?, DatedBy::Page))).or_else(|| Some((self.published?, DatedBy::Default)));
        let is_page = page.is_some();
        let (page_title, page_byline, text) = match page {
            Some(p) => (p.title, p.byline, p.text),
            None => (None, None, text),
        };
        let report = Report {
            id: storable(id),
            title: meta.title.or(page_title).map(storable),
            byline: meta.byline.or(page_byline).map(storable),
            published: dated.map(|(day, _)| day),
            source: meta.source.map(storable),
            url: meta.url.map(storable),
            text: storable(text),
        };
        if report.text.trim().is_empty() {
            return Err(if is_page { IntakeError::NoArticle { id: report.id } } else { IntakeError::Empty { id: report.id } });
        }
        Ok(Intaken { report, dated_by: dated.map_or(DatedBy::Nothing, |(_, by)| by), warnings })
    }

    /// A report made elsewhere (a message off the queue) checked by the same rules.
    pub fn report(&self, report: Report) -> Result<Intaken, IntakeError> {
        self.document(Document::from(report))
    }
}

/// The text with every NUL made U+FFFD: PostgreSQL cannot hold NUL in text, and SQLite must
/// hold the same text.
fn storable(text: String) -> String {
    if text.contains('\0') {
        text.replace('\0', "\u{fffd}")
    } else {
        text
    }
}

/// True when a text starts like an HTML page or fragment.
pub fn looks_like_html(text: &str) -> bool {
    let head: String = text.trim_start().chars().take(256).collect::<String>().to_lowercase();
    head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || (head.starts_with('<') && (head.contains("<body") || head.contains("<p") || head.contains("<article")))
}

/// The fields a JSON-lines document may carry, for `--help` texts and documentation.
pub const JSON_FIELDS: &str =
    "{\"id\"?, \"text\", \"title\"?, \"byline\"?, \"source\"?, \"url\"?, and a date: \"published\" | \"date\" | \"publish_date\" | \"datetime\" (the first given wins)}";

// ---------------------------------------------------------------------------------------------
// Reading documents from files and standard input

/// Longest JSON line accepted (64 MiB); longer lines are reported and skipped.
pub const MAX_LINE_BYTES: usize = 64 << 20;

/// Where documents come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// One file (or `-` for standard input) holding one document.
    Whole(PathBuf),
    /// A JSON-lines file (or `-`), one document per line.
    Lines(PathBuf),
}

/// Every source under `paths`: files as they are, directories walked in name order; `.jsonl`
/// files (every file, with `jsonl`) as JSON lines.
pub fn sources(paths: &[PathBuf], jsonl: bool) -> io::Result<Vec<Source>> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = paths.iter().rev().cloned().collect();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> =
                std::fs::read_dir(&p).map_err(|e| io::Error::new(e.kind(), format!("reading {}: {e}", p.display())))?.flatten().map(|e| e.path()).collect();
            entries.sort();
            stack.extend(entries.into_iter().rev());
        } else if jsonl || p.extension().is_some_and(|e| e == "jsonl") {
            out.push(Source::Lines(p));
        } else {
            out.push(Source::Whole(p));
        }
    }
    Ok(out)
}

fn open(path: &Path) -> io::Result<Box<dyn Read>> {
    if path == Path::new("-") {
        return Ok(Box::new(io::stdin()));
    }
    Ok(Box::new(File::open(path).map_err(|e| io::Error::new(e.kind(), format!("cannot open {}: {e}", path.display())))?))
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

/// Calls `each` for every document of every source, in order: `Ok` with a document, or `Err`
/// with what was wrong with one line of a JSON-lines file (not a document, too long), which
/// the caller reports and skips. Stops at the first error `each` returns, or when a source
/// cannot be opened or read. Each line is handed over as soon as it is read, so that a
/// stream of reports on standard input is taken as it comes.
pub fn for_each<E: From<io::Error>>(sources: &[Source], mut each: impl FnMut(Result<Document, IntakeError>) -> Result<(), E>) -> Result<(), E> {
    let (mut reader, mut batch) = (RawReader::new(sources), RawBatch::default());
    loop {
        batch.clear();
        let more = reader.fill(&mut batch, usize::MAX, 1)?;
        let (bytes, items) = batch.parts_mut();
        for item in items {
            each(item.document(bytes))?;
        }
        if !more {
            return Ok(());
        }
    }
}

/// Items of the sources as read, before they are made [`Document`]s: JSON lines still
/// undecoded, all in one buffer, and whole files already decoded. Batch jobs fill a batch on
/// one thread ([`RawReader::fill`]) and decode its items on many ([`RawItem::document`]), then
/// fill the same batch again: reading allocates nothing per line, and the memory a batch takes
/// is reused rather than freed on one thread and taken afresh on another.
#[derive(Debug, Default)]
pub struct RawBatch {
    /// The JSON lines, one after the other.
    bytes: Vec<u8>,
    items: Vec<RawItem>,
    /// Bytes of the whole files among the items.
    whole_bytes: usize,
}

/// Room a batch keeps when it is cleared (a batch that held a long line gives the rest back).
const KEPT_BATCH_BYTES: usize = 16 << 20;

impl RawBatch {
    /// Items held.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when it holds no item.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Bytes held: the lines and the whole files' texts.
    pub fn byte_len(&self) -> usize {
        self.bytes.len() + self.whole_bytes
    }

    /// Empties it, keeping its room (up to 16 MiB of it) for the next fill.
    pub fn clear(&mut self) {
        self.bytes.clear();
        self.bytes.shrink_to(KEPT_BATCH_BYTES);
        self.items.clear();
        self.whole_bytes = 0;
    }

    /// The lines' buffer and the items, to call [`RawItem::document`] on (in parallel if need
    /// be: the buffer is shared, each item is taken apart on its own).
    pub fn parts_mut(&mut self) -> (&[u8], &mut [RawItem]) {
        (&self.bytes, &mut self.items)
    }
}

/// One item of a [`RawBatch`].
#[derive(Debug)]
pub enum RawItem {
    /// A whole file or standard input, decoded (taken by the first [`RawItem::document`]).
    Whole(Option<Box<Document>>),
    /// One line of a JSON-lines source.
    Line {
        /// The source's name ("stdin" or the path).
        source: std::sync::Arc<str>,
        /// The line's number, from 1.
        number: usize,
        /// Where the line lies in the batch's buffer, its line break included; longer than
        /// [`MAX_LINE_BYTES`] when it was cut there.
        range: std::ops::Range<usize>,
    },
}

impl RawItem {
    /// The document, or what is wrong with the line (named by source and line number);
    /// `bytes` is the buffer of the batch the item belongs to. A whole file is handed out
    /// once; asked again, it is an empty document.
    pub fn document(&mut self, bytes: &[u8]) -> Result<Document, IntakeError> {
        self.document_ref(bytes).map(DocumentRef::into_owned)
    }

    /// As [`RawItem::document`], with a line's id and text borrowed from `bytes` where they
    /// hold no escapes.
    pub fn document_ref<'b>(&mut self, bytes: &'b [u8]) -> Result<DocumentRef<'b>, IntakeError> {
        match self {
            RawItem::Whole(doc) => Ok(doc.take().map(|d| DocumentRef::from(*d)).unwrap_or_default()),
            RawItem::Line { source, number, range } => {
                let at = || format!("{source} line {number}");
                if range.len() > MAX_LINE_BYTES {
                    return Err(IntakeError::TooLong { at: at() });
                }
                let line = bytes.get(range.clone()).unwrap_or_default();
                DocumentRef::from_json(line, || format!("{source}:{number}")).map_err(|e| match e {
                    IntakeError::NotADocument { reason, .. } => IntakeError::NotADocument { at: at(), reason },
                    other => other,
                })
            }
        }
    }
}

/// Reads the items of a list of sources, in order, into batches ([`RawReader::fill`]): JSON
/// lines of nothing but white space are passed over.
pub struct RawReader<'a> {
    sources: std::slice::Iter<'a, Source>,
    /// The JSON-lines source being read, if any.
    lines: Option<LineSource>,
}

/// A JSON-lines source being read.
struct LineSource {
    name: std::sync::Arc<str>,
    reader: BufReader<Box<dyn Read>>,
    /// Lines read so far.
    number: usize,
}

impl<'a> RawReader<'a> {
    /// A reader of `sources`, none opened yet.
    pub fn new(sources: &'a [Source]) -> RawReader<'a> {
        RawReader { sources: sources.iter(), lines: None }
    }

    /// Adds items to `batch` until it holds at least `max_bytes` bytes or `max_items` items,
    /// or the sources end; returns false when they have ended. Fails when a source cannot be
    /// opened or read.
    pub fn fill(&mut self, batch: &mut RawBatch, max_bytes: usize, max_items: usize) -> io::Result<bool> {
        loop {
            if batch.len() >= max_items.max(1) || batch.byte_len() >= max_bytes {
                return Ok(true);
            }
            if let Some(lines) = &mut self.lines {
                let start = batch.bytes.len();
                let n = read_line_bounded(&mut lines.reader, &mut batch.bytes).map_err(|e| io::Error::new(e.kind(), format!("reading {}: {e}", lines.name)))?;
                if n == 0 {
                    self.lines = None;
                    continue;
                }
                lines.number += 1;
                if batch.bytes[start..].iter().all(u8::is_ascii_whitespace) {
                    batch.bytes.truncate(start);
                } else {
                    batch.items.push(RawItem::Line { source: lines.name.clone(), number: lines.number, range: start..batch.bytes.len() });
                }
                continue;
            }
            match self.sources.next() {
                None => return Ok(false),
                Some(Source::Lines(path)) => {
                    let name = if path == Path::new("-") { "stdin".into() } else { path.display().to_string().into() };
                    self.lines = Some(LineSource { name, reader: BufReader::with_capacity(LINE_BLOCK, open(path)?), number: 0 });
                }
                Some(Source::Whole(path)) => {
                    let doc = read_whole(path)?;
                    batch.whole_bytes += doc.text.len();
                    batch.items.push(RawItem::Whole(Some(Box::new(doc))));
                }
            }
        }
    }
}

/// A file (or standard input, `-`) read whole as one document named by its path.
fn read_whole(path: &Path) -> io::Result<Document> {
    let name = if path == Path::new("-") { "stdin".to_owned() } else { path.display().to_string() };
    // Room for the file and a quarter more: replacements take three bytes where the invalid
    // byte took one, and growing a text of hundreds of megabytes copies it. Room never written
    // costs no memory.
    let size_hint = if path == Path::new("-") { 0 } else { std::fs::metadata(path).map_or(0, |m| m.len() as usize) };
    let size_hint = size_hint.saturating_add(size_hint / 4);
    let (text, replaced) = read_text(open(path)?, size_hint).map_err(|e| io::Error::new(e.kind(), format!("reading {name}: {e}")))?;
    let mut warnings = Vec::new();
    if replaced > 0 {
        warnings.push(format!("{name} is not valid UTF-8; {replaced} invalid sequences replaced with U+FFFD"));
    }
    Ok(Document { id: name, text, meta: Meta::default(), warnings })
}

/// Bytes read from a JSON-lines source at a time (4 MiB: a few system calls per hundred
/// reports).
const LINE_BLOCK: usize = 4 << 20;

/// Reads one line onto the end of `buf` without adding more than [`MAX_LINE_BYTES`] + 1 bytes
/// of it; returns the bytes consumed (0 at the end of input).
fn read_line_bounded(reader: &mut impl BufRead, buf: &mut Vec<u8>) -> io::Result<usize> {
    let (start, mut consumed) = (buf.len(), 0);
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok(consumed);
        }
        let (chunk, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let room = (MAX_LINE_BYTES + 1).saturating_sub(buf.len() - start);
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
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

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn json_lines_are_dated_by_the_first_date_field_given() {
        let intake = Intake { published: Some(day("2020-01-01")), force_html: false };
        let cases: [(&str, Option<&str>, DatedBy); 6] = [
            (r#"{"text": "t", "published": "2022-09-10"}"#, Some("2022-09-10"), DatedBy::Field("published")),
            (r#"{"text": "t", "date": "2022-09-11T14:00:00Z", "datetime": "2022-01-01"}"#, Some("2022-09-11"), DatedBy::Field("date")),
            (r#"{"text": "t", "publish_date": "Sat, 10 Sep 2022 14:00:00 GMT"}"#, Some("2022-09-10"), DatedBy::Field("publish_date")),
            (r#"{"text": "t", "datetime": 1662818400}"#, Some("2022-09-10"), DatedBy::Field("datetime")),
            (r#"{"text": "t", "published": "last week", "date": "2022-09-12"}"#, Some("2022-09-12"), DatedBy::Field("date")),
            (r#"{"text": "t"}"#, Some("2020-01-01"), DatedBy::Default),
        ];
        for (line, expected, by) in cases {
            let doc = Document::from_json(line.as_bytes(), "f:1").unwrap();
            let got = intake.document(doc).unwrap();
            assert_eq!((got.report.published, got.dated_by), (expected.map(day), by), "{line}");
        }
        let got = Intake::default().document(Document::from_json(br#"{"text": "t", "published": "soon"}"#, "f:2").unwrap()).unwrap();
        assert_eq!(got.dated_by, DatedBy::Nothing);
        assert!(got.warnings[0].contains("\"published\""), "{:?}", got.warnings);
    }

    #[test]
    fn json_lines_keep_their_metadata_and_ids_of_any_kind() {
        let line = br#"{"id": 17, "text": "Shelling hit Izyum.", "title": "T", "byline": "B", "source": "S", "url": "u"}"#;
        let r = Intake::default().document(Document::from_json(line, "f:3").unwrap()).unwrap().report;
        assert_eq!(
            r,
            Report {
                id: "17".into(),
                title: Some("T".into()),
                byline: Some("B".into()),
                source: Some("S".into()),
                url: Some("u".into()),
                published: None,
                text: "Shelling hit Izyum.".into()
            }
        );
        assert_eq!(Document::from_json(br#"{"text": "x"}"#, "f:4").unwrap().id, "f:4");
        assert!(matches!(Document::from_json(br#"{"id": 7}"#, "f:5"), Err(IntakeError::NotADocument { .. })));
    }

    #[test]
    fn a_line_is_decoded_borrowing_what_holds_no_escapes() {
        let line = br#"{"id": "a", "notes": [1, {"text": null}], "text": "Izium and Kupiansk", "title": "T"}"#;
        let doc = DocumentRef::from_json(line, || unreachable!("the line has an id")).unwrap();
        assert!(matches!(doc.text, Cow::Borrowed("Izium and Kupiansk")), "{:?}", doc.text);
        assert_eq!((doc.id.as_ref(), doc.meta.title.as_deref(), doc.meta.id.as_deref()), ("a", Some("T"), None));
        let doc = DocumentRef::from_json(br#"{"text": "Izium\nLyman \u0041", "id": null}"#, || "f:9".into()).unwrap();
        assert_eq!((doc.id.as_ref(), doc.text.as_ref()), ("f:9", "Izium\nLyman A"));
        assert!(matches!(doc.text, Cow::Owned(_)));
        for bad in [&br#"["Kyiv"]"#[..], br#"{"text": "a", "text": "b"}"#, br#"{"text": "a"} x"#, br#"{"date": 1, "text": "a", "date": 2}"#, br#"{"text": 5}"#]
        {
            let e = DocumentRef::from_json(bad, || "f:1".into()).unwrap_err();
            assert!(matches!(e, IntakeError::NotADocument { .. }), "{e}");
        }
    }

    #[test]
    fn empty_documents_are_refused_with_their_name() {
        for text in ["", "  \n\t ", "\u{a0}\u{2003}"] {
            let e = Intake::default().document(Document { id: "blank.txt".into(), text: text.into(), ..Document::default() }).unwrap_err();
            assert_eq!(e.to_string(), "blank.txt: the report has no text");
        }
        let page = "<html><body><nav><a href='/'>Home</a></nav></body></html>";
        let e = Intake::default().document(Document { id: "p.html".into(), text: page.into(), ..Document::default() }).unwrap_err();
        assert_eq!(e, IntakeError::NoArticle { id: "p.html".into() });
    }

    #[test]
    fn nul_becomes_a_replacement_character_in_every_field() {
        let doc = Document::from_http("Kupiansk\0 was shelled.".into(), Meta { title: Some("a\0b".into()), id: Some("x\0".into()), ..Meta::default() });
        let r = Intake::default().document(doc).unwrap().report;
        assert_eq!((r.text.as_str(), r.title.as_deref(), r.id.as_str()), ("Kupiansk\u{fffd} was shelled.", Some("a\u{fffd}b"), "x\u{fffd}"));
        assert_eq!(r.text.chars().count(), "Kupiansk\0 was shelled.".chars().count(), "offsets do not move");
    }

    #[test]
    fn html_bodies_give_their_article_and_metadata_fills_gaps() {
        let page = r#"<!doctype html><html><head><meta property="og:title" content="Page headline">
            <meta name="author" content="A. Writer"><meta property="article:published_time" content="2022-09-10T08:00:00Z"></head>
            <body><nav>Menu</nav><article><p>Ukrainian forces entered Balakliia on Thursday.</p></article></body></html>"#;
        let got = Intake::default().document(Document::from_http(page.into(), Meta { title: Some("Given title".into()), ..Meta::default() })).unwrap();
        assert_eq!(got.report.text.trim(), "Ukrainian forces entered Balakliia on Thursday.");
        assert_eq!(got.report.title.as_deref(), Some("Given title"), "what is given beats the page");
        assert_eq!(got.report.byline.as_deref(), Some("A. Writer"));
        assert_eq!((got.report.published, got.dated_by), (Some(day("2022-09-10")), DatedBy::Page));
        let forced = Intake { force_html: true, ..Intake::default() }.document(Document {
            id: "f".into(),
            text: "A line, then <p>plain <b>bold</b> words</p>".into(),
            ..Document::default()
        });
        assert_eq!(forced.unwrap().report.text.trim(), "plain bold words", "forced: read as a page though it does not start like one");
    }

    #[test]
    fn the_report_is_its_own_queue_message() {
        let r = Report { id: "r1".into(), byline: Some("B".into()), published: Some(day("2023-01-17")), text: "t".into(), ..Report::default() };
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, r#"{"id":"r1","byline":"B","published":"2023-01-17","text":"t"}"#);
        assert_eq!(serde_json::from_str::<Report>(&json).unwrap(), r);
        assert_eq!(Intake::default().report(r.clone()).unwrap().report, r, "intake of an intaken report changes nothing");
    }

    #[test]
    fn the_content_key_ignores_the_id_and_sees_everything_else() {
        let a = Report { id: "a".into(), text: "same".into(), ..Report::default() };
        let b = Report { id: "b".into(), ..a.clone() };
        assert_eq!(a.content_key(), b.content_key());
        let c = Report { source: Some("Outlet".into()), ..a.clone() };
        assert_ne!(a.content_key(), c.content_key());
        assert_ne!(fnv1a(["ab", "c"]), fnv1a(["a", "bc"]));
        // The key's value is fixed: stores made before keep their keys.
        let dated = Report { source: Some("Outlet A".into()), published: Some(day("2023-01-17")), ..Report::text("x", "Kupiansk was shelled.") };
        assert_eq!(dated.content_key(), "775176a3361c9eba-21");
    }

    #[test]
    fn bounded_lines() {
        let data = b"one\ntwo\n\nthree";
        let mut r = BufReader::new(&data[..]);
        let mut buf = b"kept".to_vec();
        let mut lines = Vec::new();
        loop {
            let start = buf.len();
            if read_line_bounded(&mut r, &mut buf).unwrap() == 0 {
                break;
            }
            lines.push(String::from_utf8(buf[start..].to_vec()).unwrap());
        }
        assert_eq!(lines, ["one\n", "two\n", "\n", "three"]);
        assert!(buf.starts_with(b"kept"), "what the buffer held stays");
    }

    /// Writes `content` to a file of its own under the system's temporary directory.
    fn temporary_file(name: &str, content: &[u8]) -> PathBuf {
        let path = std::env::temp_dir().join(format!("sitrep-intake-{}-{name}", std::process::id()));
        std::fs::write(&path, content).unwrap();
        path
    }

    #[test]
    fn batches_hold_lines_in_order_and_are_reused_without_their_old_items() {
        let lines =
            temporary_file("lines.jsonl", b"{\"id\":\"a\",\"text\":\"Izium\"}\n  \n{\"text\":\"Lyman\"}\nnot json\n{\"id\":\"c\",\"text\":\"Kupiansk\"}");
        let whole = temporary_file("whole.txt", b"Balakliia was retaken.");
        let sources = [Source::Lines(lines.clone()), Source::Whole(whole.clone())];
        let mut reader = RawReader::new(&sources);
        let mut batch = RawBatch::default();
        let mut seen = Vec::new();
        // Two items a batch: the blank line is passed over, so the first batch ends after the
        // third line.
        loop {
            batch.clear();
            let more = reader.fill(&mut batch, usize::MAX, 2).unwrap();
            assert!(batch.len() <= 2);
            let (bytes, items) = batch.parts_mut();
            for item in items {
                seen.push(match item.document(bytes) {
                    Ok(doc) => format!("{}={}", doc.id, doc.text),
                    Err(e) => e.to_string(),
                });
            }
            if !more {
                break;
            }
        }
        let lines_name = lines.display().to_string();
        assert_eq!(seen[0], "a=Izium");
        assert_eq!(seen[1], format!("{lines_name}:3=Lyman"), "an id-less line is named by its line number, blank lines counted");
        assert!(seen[2].starts_with(&format!("{lines_name} line 4")), "{}", seen[2]);
        assert_eq!(seen[3], "c=Kupiansk");
        assert_eq!(seen[4], format!("{}=Balakliia was retaken.", whole.display()));
        assert_eq!(seen.len(), 5);
        // A byte bound stops a batch once it is reached: every line is its own batch here.
        let mut reader = RawReader::new(&sources);
        batch.clear();
        assert!(reader.fill(&mut batch, 1, usize::MAX).unwrap());
        assert_eq!(batch.len(), 1);
        let _ = std::fs::remove_file(lines);
        let _ = std::fs::remove_file(whole);
    }

    #[test]
    fn a_line_over_the_limit_is_refused_and_the_next_is_read() {
        let mut content = b"{\"text\":\"".to_vec();
        content.resize(MAX_LINE_BYTES + 10, b'a');
        content.extend_from_slice(b"\"}\n{\"id\":\"after\",\"text\":\"Lyman\"}\n");
        let path = temporary_file("long.jsonl", &content);
        drop(content);
        let mut outcomes = Vec::new();
        for_each(&[Source::Lines(path.clone())], |doc| -> io::Result<()> {
            outcomes.push(doc.map(|d| d.id).map_err(|e| matches!(e, IntakeError::TooLong { .. })));
            Ok(())
        })
        .unwrap();
        assert_eq!(outcomes, [Err(true), Ok("after".to_owned())]);
        let _ = std::fs::remove_file(path);
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
