//! Stored events written as JSON straight into a buffer, byte for byte what `serde_json` makes
//! of them (their `Serialize`), for the server's pages of events: most of such a page is
//! evidence sentences, and checking a sentence for characters to escape a block of bytes at a
//! time, then copying it whole, costs a fraction of escaping it a byte at a time. A text that
//! does need escaping (a quote, a backslash, a control character) is written by `serde_json`.

use serde::Serialize;

use crate::{Source, StoredEvent};

/// Appends `events` to `out` as a JSON array, exactly as `serde_json::to_writer` would.
pub fn write_events(out: &mut Vec<u8>, events: &[StoredEvent]) {
    out.reserve(events.iter().map(size_hint).sum());
    out.push(b'[');
    for (i, e) in events.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_event(out, &EventView::of(e));
        write_sources(out, &e.sources);
        close_event(out);
    }
    out.push(b']');
}

/// Appends `sources` as the comma-separated objects of an event's `sources`.
pub(crate) fn write_sources(out: &mut Vec<u8>, sources: &[Source]) {
    for (i, s) in sources.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_source(out, s);
    }
}

/// A stored event's fields but its sources, borrowed: from a [`StoredEvent`], or from the row
/// it is read from, so that a page can be written without making one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EventView<'a> {
    pub id: i64,
    pub event_type: &'a str,
    pub plover: &'a str,
    pub actor: Option<&'a str>,
    pub side: Option<&'a str>,
    pub target: Option<&'a str>,
    pub target_side: Option<&'a str>,
    pub civilian_targeting: bool,
    pub place_id: Option<&'a str>,
    pub place_name: Option<&'a str>,
    pub precision: Option<i64>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub date_from: Option<&'a str>,
    pub date_to: Option<&'a str>,
    pub date_precision: Option<&'a str>,
    pub admin1: Option<&'a str>,
    pub country: Option<&'a str>,
    pub source_count: usize,
}

impl<'a> EventView<'a> {
    pub(crate) fn of(e: &'a StoredEvent) -> EventView<'a> {
        EventView {
            id: e.id,
            event_type: &e.event_type,
            plover: &e.plover,
            actor: e.actor.as_deref(),
            side: e.side.as_deref(),
            target: e.target.as_deref(),
            target_side: e.target_side.as_deref(),
            civilian_targeting: e.civilian_targeting,
            place_id: e.place_id.as_deref(),
            place_name: e.place_name.as_deref(),
            precision: e.precision,
            lat: e.lat,
            lon: e.lon,
            date_from: e.date_from.as_deref(),
            date_to: e.date_to.as_deref(),
            date_precision: e.date_precision.as_deref(),
            admin1: e.admin1.as_deref(),
            country: e.country.as_deref(),
            source_count: e.source_count,
        }
    }

    /// The event with these fields and no sources.
    pub(crate) fn to_event(self) -> StoredEvent {
        let own = |t: Option<&str>| t.map(str::to_owned);
        StoredEvent {
            id: self.id,
            event_type: self.event_type.to_owned(),
            plover: self.plover.to_owned(),
            actor: own(self.actor),
            side: own(self.side),
            target: own(self.target),
            target_side: own(self.target_side),
            civilian_targeting: self.civilian_targeting,
            place_id: own(self.place_id),
            place_name: own(self.place_name),
            precision: self.precision,
            lat: self.lat,
            lon: self.lon,
            date_from: own(self.date_from),
            date_to: own(self.date_to),
            date_precision: own(self.date_precision),
            admin1: own(self.admin1),
            country: own(self.country),
            source_count: self.source_count,
            sources: Vec::new(),
        }
    }
}

/// About how many bytes `e` takes as JSON (a little more, for most events).
fn size_hint(e: &StoredEvent) -> usize {
    let texts = [&e.actor, &e.side, &e.target, &e.target_side, &e.place_id, &e.place_name, &e.date_from, &e.date_to, &e.date_precision, &e.admin1, &e.country];
    let sources: usize = e
        .sources
        .iter()
        .map(|s| 120 + s.report.len() + s.evidence.len() + s.outlet.as_ref().map_or(0, String::len) + s.claimant.as_ref().map_or(0, String::len))
        .sum();
    400 + e.event_type.len() + e.plover.len() + texts.iter().map(|t| t.as_ref().map_or(0, String::len)).sum::<usize>() + sources
}

/// Writes `e` up to the opening bracket of its sources, which the objects of its sources
/// follow, then [`close_event`].
pub(crate) fn write_event(out: &mut Vec<u8>, e: &EventView<'_>) {
    key(out, "{\"id\":");
    value(out, &e.id);
    key(out, ",\"event_type\":");
    text(out, e.event_type);
    key(out, ",\"plover\":");
    text(out, e.plover);
    key(out, ",\"actor\":");
    opt_text(out, e.actor);
    key(out, ",\"side\":");
    opt_text(out, e.side);
    key(out, ",\"target\":");
    opt_text(out, e.target);
    key(out, ",\"target_side\":");
    opt_text(out, e.target_side);
    key(out, if e.civilian_targeting { ",\"civilian_targeting\":true" } else { ",\"civilian_targeting\":false" });
    key(out, ",\"place_id\":");
    opt_text(out, e.place_id);
    key(out, ",\"place_name\":");
    opt_text(out, e.place_name);
    key(out, ",\"precision\":");
    value(out, &e.precision);
    key(out, ",\"lat\":");
    value(out, &e.lat);
    key(out, ",\"lon\":");
    value(out, &e.lon);
    key(out, ",\"date_from\":");
    opt_text(out, e.date_from);
    key(out, ",\"date_to\":");
    opt_text(out, e.date_to);
    key(out, ",\"date_precision\":");
    opt_text(out, e.date_precision);
    key(out, ",\"admin1\":");
    opt_text(out, e.admin1);
    key(out, ",\"country\":");
    opt_text(out, e.country);
    key(out, ",\"source_count\":");
    value(out, &e.source_count);
    key(out, ",\"sources\":[");
}

/// Closes an event [`write_event`] began, after its sources.
pub(crate) fn close_event(out: &mut Vec<u8>) {
    key(out, "]}");
}

fn write_source(out: &mut Vec<u8>, s: &Source) {
    write_telling(out, s.report_id, &s.report, s.outlet.as_deref(), &s.evidence, s.claimant.as_deref(), &s.certainty);
}

/// A telling as the [`Source`] of these fields is written.
pub(crate) fn write_telling(out: &mut Vec<u8>, report_id: i64, report: &str, outlet: Option<&str>, evidence: &str, claimant: Option<&str>, certainty: &str) {
    key(out, "{\"report_id\":");
    value(out, &report_id);
    key(out, ",\"report\":");
    text(out, report);
    key(out, ",\"outlet\":");
    opt_text(out, outlet);
    key(out, ",\"evidence\":");
    text(out, evidence);
    key(out, ",\"claimant\":");
    opt_text(out, claimant);
    key(out, ",\"certainty\":");
    text(out, certainty);
    out.push(b'}');
}

/// Punctuation and keys, written as they are.
fn key(out: &mut Vec<u8>, raw: &str) {
    out.extend_from_slice(raw.as_bytes());
}

/// A number, `null` or `true`/`false`, as `serde_json` writes it.
fn value<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    // Writing a number into a vector cannot fail.
    let _ = serde_json::to_writer(&mut *out, v);
}

fn opt_text(out: &mut Vec<u8>, t: Option<&str>) {
    match t {
        Some(t) => text(out, t),
        None => out.extend_from_slice(b"null"),
    }
}

/// A string: copied between quotes when nothing in it needs escaping, else by `serde_json`.
fn text(out: &mut Vec<u8>, t: &str) {
    if needs_no_escape(t.as_bytes()) {
        out.reserve(t.len() + 2);
        out.push(b'"');
        out.extend_from_slice(t.as_bytes());
        out.push(b'"');
    } else {
        value(out, t);
    }
}

/// Whether JSON writes `bytes` as they are: no control character, quote or backslash (what
/// `serde_json` escapes; it leaves every other byte, DEL and all of UTF-8, alone). Looked at
/// sixteen bytes at a time without an early exit within a block, which the compiler turns
/// into vector compares.
fn needs_no_escape(bytes: &[u8]) -> bool {
    let escaped = |b: u8| (b < 0x20) | (b == b'"') | (b == b'\\');
    let mut blocks = bytes.chunks_exact(16);
    for block in &mut blocks {
        if block.iter().fold(false, |any, &b| any | escaped(b)) {
            return false;
        }
    }
    !blocks.remainder().iter().any(|&b| escaped(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn source(evidence: &str, outlet: Option<&str>, claimant: Option<&str>) -> Source {
        Source {
            report_id: 42,
            report: "r41".into(),
            outlet: outlet.map(str::to_owned),
            evidence: evidence.into(),
            claimant: claimant.map(str::to_owned),
            certainty: "claimed".into(),
        }
    }

    fn event(texts: [Option<&str>; 4], lat: Option<f64>, sources: Vec<Source>) -> StoredEvent {
        let [actor, place, date, admin1] = texts.map(|t| t.map(str::to_owned));
        StoredEvent {
            id: 7,
            event_type: "shelling".into(),
            plover: "FIGHT:artillery".into(),
            actor: actor.clone(),
            side: Some("RU".into()),
            target: actor,
            target_side: None,
            civilian_targeting: lat.is_some(),
            place_id: place.clone(),
            place_name: place,
            precision: lat.map(|_| 1),
            lat,
            lon: lat.map(|l| -l / 3.0),
            date_from: date.clone(),
            date_to: date,
            date_precision: Some("day".into()),
            admin1,
            country: None,
            source_count: sources.len() * 3,
            sources,
        }
    }

    fn same_as_serde(events: &[StoredEvent]) {
        let mut ours = b"{\"head\":".to_vec();
        write_events(&mut ours, events);
        let mut theirs = b"{\"head\":".to_vec();
        serde_json::to_writer(&mut theirs, events).unwrap();
        assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(theirs).unwrap());
    }

    /// Texts that need escaping (quotes, backslashes, control characters, at the start and
    /// end of a block and in its remainder), texts that do not (UTF-8, DEL), missing fields,
    /// odd numbers and no events at all are written as `serde_json` writes them.
    #[test]
    fn events_are_written_as_serde_json_writes_them() {
        same_as_serde(&[]);
        let tricky = [
            "Shelling hit Kupiansk overnight, officials said.",
            "\"Quoted\" from the start of a block",
            "a block of sixteen\\ then a backslash",
            "tab\there and a newline\n, a bell \u{7}, a DEL \u{7f} and an escape \u{1b}",
            "Купʼянськ — ущерб «значительный» 🚀",
            "",
            "sixteen bytes ok",
            "fifteen bytes \"",
        ];
        let sources: Vec<Source> =
            tricky.iter().enumerate().map(|(i, t)| source(t, (i % 2 == 0).then_some(*t), (i % 3 == 0).then_some("the \"mayor\""))).collect();
        same_as_serde(&[
            event([Some("Russian forces"), Some("Kup\"iansk"), Some("2022-09-10"), Some("Kharkiv\\Oblast")], Some(49.71234567890123), sources.clone()),
            event([None, None, None, None], None, Vec::new()),
            event([Some("\u{0}"), Some(""), None, Some("\r\n")], Some(f64::NAN), sources[..3].to_vec()),
            event([None, Some("x"), None, None], Some(-0.0), sources[3..].to_vec()),
        ]);
    }

    proptest! {
        /// Any text, escapes or none, is written as `serde_json` writes it.
        #[test]
        fn any_text_is_written_as_serde_json_writes_it(t in any::<String>(), ascii in "[ -~\\t\\n\\\\\"]{0,80}") {
            for t in [t.as_str(), ascii.as_str()] {
                let mut ours = Vec::new();
                text(&mut ours, t);
                prop_assert_eq!(ours, serde_json::to_vec(t).unwrap());
            }
        }
    }
}
