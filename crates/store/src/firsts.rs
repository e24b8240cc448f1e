//! An event's first tellings kept on its own row (`events.first_tellings`), so that a page of
//! events reads no telling rows: the first [`FIRST_TELLINGS`] of its tellings in the key's
//! order (report id, then the evidence's key), each already written as the JSON of a page
//! ([`crate::json`]), with its report's document id and outlet in it.
//!
//! The column is text: a head line of one `REPORT_ID KEY LENGTH` per telling (comma-separated),
//! then the tellings' JSON objects comma-separated, as a page's `sources` holds them, in the
//! order a page shows them (report id, then evidence). A page that shows all that are kept
//! copies the second part whole; one of `n` fewer takes the `n` first by the key and keeps
//! them in that order (the answer the telling rows give), finding each object by the lengths.
//! The write path keeps the column up to date as tellings are added ([`merge`]); NULL means
//! not kept (an event written by other means), and its tellings are read from their rows. A
//! change to how a telling is written as JSON needs a migration that writes the column again
//! ([`fill`]).

use std::cmp::Ordering;

use crate::{
    db::{Db, Dialect, Param},
    StoreError,
};

/// How many of an event's tellings its row keeps: a page of events shows this many unless it
/// asks for more (the server's default).
pub const FIRST_TELLINGS: usize = 10;

/// A kept telling: its report id, its evidence's key and its JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Kept<'a> {
    pub report_id: i64,
    pub key: i64,
    pub json: &'a [u8],
}

impl Kept<'_> {
    fn order(&self) -> (i64, i64) {
        (self.report_id, self.key)
    }
}

/// A column read: how many tellings it keeps, its head line and its JSON objects.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column<'a> {
    pub kept: usize,
    head: &'a [u8],
    body: &'a [u8],
}

impl<'a> Column<'a> {
    /// The column of these bytes; None without a head line.
    pub(crate) fn of(column: &'a [u8]) -> Option<Column<'a>> {
        let at = memchr::memchr(b'\n', column)?;
        let (head, body) = (&column[..at], &column[at + 1..]);
        let kept = if head.is_empty() { 0 } else { 1 + memchr::memchr_iter(b',', head).count() };
        Some(Column { kept, head, body })
    }

    /// The tellings, in the page's order; None if they do not read.
    pub(crate) fn tellings(&self) -> Option<Vec<Kept<'a>>> {
        let mut body = self.body;
        if self.head.is_empty() {
            return body.is_empty().then(Vec::new);
        }
        let mut kept = Vec::with_capacity(self.kept);
        for entry in std::str::from_utf8(self.head).ok()?.split(',') {
            let mut numbers = entry.splitn(3, ' ');
            let mut next = || numbers.next().and_then(|n| n.parse::<i64>().ok());
            let (report_id, key, length) = (next()?, next()?, usize::try_from(next()?).ok()?);
            if !kept.is_empty() {
                body = body.strip_prefix(b",")?;
            }
            let json = body.get(..length)?;
            body = &body[length..];
            kept.push(Kept { report_id, key, json });
        }
        body.is_empty().then_some(kept)
    }

    /// Writes the first `n` (in the key's order) of the tellings kept of an event told
    /// `source_count` times, as the comma-separated JSON objects of its page's `sources`, and
    /// returns true; returns false, writing nothing, when the column does not hold them (more
    /// are asked for than are kept of an event told more often) or does not read.
    pub(crate) fn write_first(&self, out: &mut Vec<u8>, n: usize, source_count: usize) -> bool {
        if !holds(self.kept, n, source_count) {
            return false;
        }
        if n >= self.kept {
            out.extend_from_slice(self.body);
            return true;
        }
        let Some(tellings) = self.tellings() else { return false };
        if n == 0 {
            return true;
        }
        // The `n`th smallest key: the tellings up to it are the page's.
        let mut orders: Vec<(i64, i64)> = tellings.iter().map(Kept::order).collect();
        let (_, &mut last, _) = orders.select_nth_unstable(n - 1);
        for (i, t) in tellings.iter().filter(|t| t.order() <= last).enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(t.json);
        }
        true
    }
}

/// Whether a column keeping `kept` tellings of an event told `source_count` times holds its
/// first `n`: all of them, or `n` at least.
fn holds(kept: usize, n: usize, source_count: usize) -> bool {
    kept >= n.min(source_count)
}

/// A telling the write path adds to an event, with what orders it among the event's others.
pub(crate) struct Added<'a> {
    pub report_id: i64,
    pub key: i64,
    pub evidence: &'a str,
    pub json: String,
}

/// The column of an event whose tellings are `added` (none stored before it), in the page's
/// order: report id, then evidence.
pub(crate) fn column_of(added: &[Added<'_>]) -> String {
    merge(&[], added).unwrap_or_else(|| "\n".to_owned())
}

/// The column of an event that kept `kept` and is told `added` too (from reports stored after
/// the kept ones' reports, so that no added telling shares a report with a kept one): the
/// first [`FIRST_TELLINGS`] of both by key, in the page's order. None when that is `kept`
/// itself (every added telling comes after the last kept).
pub(crate) fn merge(kept: &[Kept<'_>], added: &[Added<'_>]) -> Option<String> {
    // Each telling as (report id, key, its place among the kept or its evidence).
    enum From<'a> {
        Kept(usize),
        Added(&'a str),
    }
    let mut all: Vec<(i64, i64, From<'_>, &[u8])> = kept
        .iter()
        .enumerate()
        .map(|(i, k)| (k.report_id, k.key, From::Kept(i), k.json))
        .chain(added.iter().map(|a| (a.report_id, a.key, From::Added(a.evidence), a.json.as_bytes())))
        .collect();
    all.sort_unstable_by_key(|t| (t.0, t.1));
    all.truncate(FIRST_TELLINGS);
    if all.iter().all(|t| matches!(t.2, From::Kept(_))) && all.len() == kept.len() {
        return None;
    }
    // The page's order: by report, then as kept (already in order) or by evidence (a
    // report's tellings are all kept or all added).
    all.sort_by(|a, b| {
        a.0.cmp(&b.0).then_with(|| match (&a.2, &b.2) {
            (From::Kept(i), From::Kept(j)) => i.cmp(j),
            (From::Added(x), From::Added(y)) => x.cmp(y),
            (From::Kept(_), From::Added(_)) => Ordering::Less,
            (From::Added(_), From::Kept(_)) => Ordering::Greater,
        })
    });
    let head: Vec<String> = all.iter().map(|(report_id, key, _, json)| format!("{report_id} {key} {}", json.len())).collect();
    let mut column = head.join(",").into_bytes();
    column.push(b'\n');
    for (i, (.., json)) in all.iter().enumerate() {
        if i > 0 {
            column.push(b',');
        }
        column.extend_from_slice(json);
    }
    // Made of texts and the JSON of texts.
    Some(String::from_utf8(column).expect("a column is UTF-8"))
}

/// The JSON of a telling as a page writes it.
pub(crate) fn telling_json(report_id: i64, report: &str, outlet: Option<&str>, evidence: &str, claimant: Option<&str>, certainty: &str) -> String {
    let mut out = Vec::with_capacity(96 + report.len() + evidence.len());
    crate::json::write_telling(&mut out, report_id, report, outlet, evidence, claimant, certainty);
    String::from_utf8(out).expect("JSON written from texts is UTF-8")
}

/// Events whose columns are written per statement by [`fill`] and [`write_columns`].
const EVENTS_PER_STATEMENT: usize = 500;

/// Writes `columns` (event id, column) and adds to each event's count of tellings its number
/// given: one statement per [`EVENTS_PER_STATEMENT`] events on PostgreSQL, a prepared one per
/// event on SQLite.
pub(crate) fn write_columns(db: &mut dyn Db, columns: &[(i64, i64, String)]) -> Result<(), StoreError> {
    match db.dialect() {
        Dialect::Sqlite => {
            for (id, added, column) in columns {
                db.execute(
                    "UPDATE events SET tellings = tellings + $1, first_tellings = $2 WHERE id = $3",
                    &[Param::Int(*added), Param::Text(column), Param::Int(*id)],
                )?;
            }
        }
        Dialect::Postgres => {
            for chunk in columns.chunks(EVENTS_PER_STATEMENT) {
                let rows: Vec<serde_json::Value> = chunk.iter().map(|(id, added, column)| serde_json::json!([id, added, column])).collect();
                let rows = serde_json::to_string(&rows)?;
                db.execute(
                    "UPDATE events e SET tellings = e.tellings + CAST(v.value ->> 1 AS BIGINT), first_tellings = v.value ->> 2
                     FROM json_array_elements(CAST($1 AS json)) v WHERE e.id = CAST(v.value ->> 0 AS BIGINT)",
                    &[Param::Text(&rows)],
                )?;
            }
        }
    }
    Ok(())
}

/// Writes every event's column from its telling rows (a step of [`crate::schema::migrate`]),
/// a range of event ids at a time.
pub(crate) fn fill(db: &mut dyn Db) -> Result<(), StoreError> {
    let last = db.query("SELECT COALESCE(MAX(id), 0) FROM events", &[])?.first().map_or(0, |r| r[0].int());
    let step = 2_000;
    let mut from = 0;
    while from < last {
        let to = from + step;
        // (event, report id, key, evidence, telling's JSON), in each event's key order.
        let mut told: Vec<(i64, i64, i64, String, String)> = Vec::new();
        db.query_each(
            "SELECT s.event_id, s.report_id, s.evidence_key, r.doc_id, r.source, s.evidence, s.claimant, s.certainty
             FROM event_sources s JOIN reports r ON r.id = s.report_id
             WHERE s.event_id > $1 AND s.event_id <= $2 ORDER BY s.event_id, s.report_id, s.evidence_key",
            &[Param::Int(from), Param::Int(to)],
            &mut |r| {
                let (event, report_id) = (r.int(0), r.int(1));
                if told.iter().rev().take_while(|t| t.0 == event).count() < FIRST_TELLINGS {
                    let json = telling_json(report_id, r.text(3), r.opt_text(4), r.text(5), r.opt_text(6), r.text(7));
                    told.push((event, report_id, r.int(2), r.text(5).to_owned(), json));
                }
                Ok(())
            },
        )?;
        let mut columns: Vec<(i64, i64, String)> = Vec::new();
        for one in told.chunk_by(|a, b| a.0 == b.0) {
            let added: Vec<Added<'_>> = one.iter().map(|t| Added { report_id: t.1, key: t.2, evidence: &t.3, json: t.4.clone() }).collect();
            columns.push((one[0].0, 0, column_of(&added)));
        }
        write_columns(db, &columns)?;
        from = to;
    }
    // An event without tellings keeps none: an empty head line.
    db.execute("UPDATE events SET first_tellings = $1 WHERE first_tellings IS NULL", &[Param::Text("\n")]).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn added(report_id: i64, key: i64, evidence: &str) -> Added<'_> {
        Added { report_id, key, evidence, json: format!("{{\"e\":\"{evidence}\"}}") }
    }

    fn shown(column: &str, n: usize, count: usize) -> Option<String> {
        let mut out = Vec::new();
        Column::of(column.as_bytes())?.write_first(&mut out, n, count).then(|| String::from_utf8(out).unwrap())
    }

    fn kept(column: &str) -> Option<Vec<Kept<'_>>> {
        Column::of(column.as_bytes())?.tellings()
    }

    /// The page's order is report, then evidence; a page of `n` shows the `n` first by key in
    /// that order; more than are kept of an event told more often cannot be shown from them.
    #[test]
    fn a_page_shows_the_first_tellings_by_key_in_evidence_order() {
        let column = column_of(&[added(3, 9, "a"), added(3, -5, "b"), added(2, 100, "z"), added(3, 1, "c")]);
        assert_eq!(column, "2 100 9,3 9 9,3 -5 9,3 1 9\n{\"e\":\"z\"},{\"e\":\"a\"},{\"e\":\"b\"},{\"e\":\"c\"}");
        assert_eq!(Column::of(column.as_bytes()).unwrap().kept, 4);
        assert_eq!(shown(&column, 10, 4).unwrap(), "{\"e\":\"z\"},{\"e\":\"a\"},{\"e\":\"b\"},{\"e\":\"c\"}");
        // By key: (2,100), (3,-5), (3,1), (3,9).
        assert_eq!(shown(&column, 2, 4).unwrap(), "{\"e\":\"z\"},{\"e\":\"b\"}");
        assert_eq!(shown(&column, 3, 4).unwrap(), "{\"e\":\"z\"},{\"e\":\"b\"},{\"e\":\"c\"}");
        assert_eq!(shown(&column, 0, 4).unwrap(), "");
        assert_eq!(shown(&column, 5, 40), None, "four kept of forty cannot show five");
        let none = column_of(&[]);
        assert_eq!((Column::of(none.as_bytes()).unwrap().kept, shown(&none, 10, 0).unwrap()), (0, String::new()));
        // A column that does not read shows nothing (its tellings are then read from the rows).
        assert_eq!(shown("2 100 50,3 1 2\n{}", 1, 4), None);
        assert_eq!(shown("no head line", 10, 1), None);
    }

    /// Added tellings take their places by key among the kept, the first
    /// [`FIRST_TELLINGS`] stay, and a column that would not change is not written again.
    #[test]
    fn added_tellings_are_merged_by_key_and_cut_at_the_bound() {
        let first: Vec<Added<'_>> = (0..FIRST_TELLINGS as i64).map(|i| added(10 + i, 0, "x")).collect();
        let column = column_of(&first);
        let kept = kept(&column).unwrap();
        assert_eq!(kept.len(), FIRST_TELLINGS);
        assert_eq!(merge(&kept, &[added(99, 0, "later")]), None, "a later report changes nothing kept");
        // A report stored later with a lower id (another writer's) goes in, the last drops out.
        let merged = merge(&kept, &[added(5, 7, "earlier"), added(5, 3, "also")]).unwrap();
        let merged = self::kept(&merged).unwrap();
        assert_eq!(merged.len(), FIRST_TELLINGS);
        assert_eq!((merged[0].report_id, merged[0].json), (5, &b"{\"e\":\"also\"}"[..]));
        assert_eq!((merged[1].report_id, merged[1].json), (5, &b"{\"e\":\"earlier\"}"[..]));
        assert_eq!(merged.last().unwrap().report_id, 10 + FIRST_TELLINGS as i64 - 3);
        // Fewer than the bound kept: anything added goes in.
        let two = column_of(&first[..2]);
        let three = merge(&self::kept(&two).unwrap(), &[added(99, 0, "later")]).unwrap();
        assert_eq!(Column::of(three.as_bytes()).unwrap().kept, 3);
    }
}
