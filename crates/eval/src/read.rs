//! `sitrep eval read`: the reader on the reference report, table by table, against the
//! project's own encoding of what an analyst reads out of it (`fixtures/reference-reading.json`).
//!
//! Each expected item is found, missed or wrong (found but read differently, with the
//! difference). An expected event is found when some event has its type, its place (when the
//! report names one) and its actor's side (when the report says).

use std::fmt::Write as _;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use serde::Deserialize;
use sitrep_gazetteer::Gazetteer;
use sitrep_read::{Reader, Report};

/// The expected reading of the reference report, embedded.
pub const REFERENCE: &str = include_str!("../fixtures/reference-reading.json");

#[derive(Deserialize)]
struct Expected {
    published: NaiveDate,
    places: Vec<ExpectedPlace>,
    not_places: Vec<String>,
    numbers: Vec<ExpectedNumber>,
    disagreements: Vec<ExpectedDisagreement>,
    geography_checks: Vec<ExpectedCheck>,
    sources: Vec<String>,
    dates: Vec<ExpectedDate>,
    events: Vec<ExpectedEvent>,
}

#[derive(Deserialize)]
struct ExpectedPlace {
    mention: String,
    place: String,
}

#[derive(Deserialize)]
struct ExpectedNumber {
    text: String,
    quantity: String,
    claimant: Option<String>,
    low: f64,
    bound: String,
}

#[derive(Deserialize)]
struct ExpectedDisagreement {
    quantity: String,
    claimants: Vec<String>,
}

#[derive(Deserialize)]
struct ExpectedCheck {
    place: String,
    reference: String,
    stated_km: f64,
    gazetteer_km: f64,
    gazetteer_bearing: f64,
    verdict: String,
}

#[derive(Deserialize)]
struct ExpectedDate {
    text: String,
    from: NaiveDate,
    to: NaiveDate,
}

#[derive(Deserialize)]
struct ExpectedEvent {
    id: String,
    what: String,
    /// Event type as serialised ("territory_taken").
    #[serde(rename = "type")]
    kind: String,
    /// A mention the event's place must match, if the report names one.
    place: Option<String>,
    /// The actor's side (ISO code), if the report says.
    side: Option<String>,
}

/// The outcome for one table.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Table name.
    pub name: &'static str,
    /// Items found as expected.
    pub found: usize,
    /// One line per missed item.
    pub missed: Vec<String>,
    /// One line per item found but read differently.
    pub wrong: Vec<String>,
    /// Items read that no expected item accounts for (events only): the table's false
    /// positives.
    pub extra: Vec<String>,
}

/// The outcome for the whole report.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// One per table, in the fixture's order.
    pub tables: Vec<Table>,
}

/// Reads `text` (the reference report) and compares it with the expected reading.
pub fn evaluate(gaz: &Gazetteer, text: &str) -> Result<Outcome> {
    let expected: Expected = serde_json::from_str(REFERENCE).context("the embedded reference reading")?;
    let reading = Reader::new(gaz).read(&Report { id: "reference".into(), published: Some(expected.published), text: text.to_owned(), ..Report::default() });
    let contains = |haystack: &str, needle: &str| haystack.to_lowercase().contains(&needle.to_lowercase());
    let mut tables = Vec::new();

    let mut t = Table { name: "places", ..Table::default() };
    for e in &expected.places {
        let first_word = e.mention.split_whitespace().next().unwrap_or("");
        let right = reading.places.iter().any(|p| p.id == e.place && p.mentions.iter().any(|m| e.mention.starts_with(&m.text)));
        let elsewhere: Vec<&str> =
            reading.places.iter().filter(|p| p.id != e.place && p.mentions.iter().any(|m| m.text == first_word)).map(|p| p.id.as_str()).collect();
        if right {
            t.found += 1;
        } else if !elsewhere.is_empty() {
            t.wrong.push(format!("{:?}: expected {}, read as {}", e.mention, e.place, elsewhere.join(", ")));
        } else {
            t.missed.push(format!("{:?} ({})", e.mention, e.place));
        }
    }
    tables.push(t);

    let mut t = Table { name: "not places", ..Table::default() };
    for phrase in &expected.not_places {
        let hits: Vec<&str> =
            reading.places.iter().flat_map(|p| &p.mentions).filter(|m| phrase.contains(m.text.as_str()) && m.text.len() > 2).map(|m| m.text.as_str()).collect();
        if hits.is_empty() {
            t.found += 1;
        } else {
            t.wrong.push(format!("{phrase:?} read as a place ({})", hits.join(", ")));
        }
    }
    tables.push(t);

    let mut t = Table { name: "numbers", ..Table::default() };
    for e in &expected.numbers {
        let Some(n) = reading.numbers.iter().find(|n| n.number.text.contains(&e.text)) else {
            t.missed.push(format!("{:?}", e.text));
            continue;
        };
        let bound = serde_json::to_value(n.number.bound).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        let mut problems = Vec::new();
        if n.quantity.as_str() != e.quantity {
            problems.push(format!("quantity {:?}, expected {:?}", n.quantity.as_str(), e.quantity));
        }
        match (&n.claimant, &e.claimant) {
            (Some(got), Some(want)) if !contains(got, want) => problems.push(format!("claimant {got:?}, expected {want:?}")),
            (None, Some(want)) => problems.push(format!("no claimant, expected {want:?}")),
            (Some(got), None) => problems.push(format!("claimant {got:?}, expected none")),
            _ => {}
        }
        if (n.number.low - e.low).abs() > e.low * 0.01 + 0.1 {
            problems.push(format!("value {:.1}, expected {:.1}", n.number.low, e.low));
        }
        if bound != e.bound {
            problems.push(format!("bound {bound}, expected {}", e.bound));
        }
        if problems.is_empty() {
            t.found += 1;
        } else {
            t.wrong.push(format!("{:?}: {}", e.text, problems.join("; ")));
        }
    }
    tables.push(t);

    let mut t = Table { name: "disagreements", ..Table::default() };
    for e in &expected.disagreements {
        match reading.disagreements.iter().find(|d| d.quantity.as_str() == e.quantity) {
            None => t.missed.push(format!("{:?}", e.quantity)),
            Some(d) => {
                let claimants: Vec<String> = d.numbers.iter().filter_map(|&i| reading.numbers[i].claimant.clone()).collect();
                let absent: Vec<&String> = e.claimants.iter().filter(|c| !claimants.iter().any(|g| contains(g, c))).collect();
                if absent.is_empty() {
                    t.found += 1;
                } else {
                    t.wrong.push(format!("{:?}: lacks {:?} (has {:?})", e.quantity, absent, claimants));
                }
            }
        }
    }
    tables.push(t);

    let mut t = Table { name: "geography checks", ..Table::default() };
    for e in &expected.geography_checks {
        match reading.geography_checks.iter().find(|g| g.place == e.place && g.reference == e.reference) {
            None => t.missed.push(format!("{} from {}", e.place, e.reference)),
            Some(g) => {
                let verdict = serde_json::to_value(g.verdict).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                let ok = (g.stated_km - e.stated_km).abs() < 0.5
                    && (g.gazetteer_km - e.gazetteer_km).abs() < 1.0
                    && (g.gazetteer_bearing - e.gazetteer_bearing).abs() < 2.0
                    && verdict == e.verdict;
                if ok {
                    t.found += 1;
                } else {
                    t.wrong.push(format!(
                        "{} from {}: {:.0} km stated, {:.1} km at {:.0}°, {verdict}",
                        e.place, e.reference, g.stated_km, g.gazetteer_km, g.gazetteer_bearing
                    ));
                }
            }
        }
    }
    tables.push(t);

    let mut t = Table { name: "sources", ..Table::default() };
    for source in &expected.sources {
        if reading.claims.iter().filter_map(|c| c.claimant.as_ref()).any(|c| contains(&c.name, source)) {
            t.found += 1;
        } else {
            t.missed.push(format!("{source:?}"));
        }
    }
    tables.push(t);

    let mut t = Table { name: "dates", ..Table::default() };
    for e in &expected.dates {
        match reading.dates.iter().find(|d| d.text.contains(&e.text)) {
            None => t.missed.push(format!("{:?}", e.text)),
            Some(d) if d.from == e.from && d.to == e.to => t.found += 1,
            Some(d) => t.wrong.push(format!("{:?}: {} – {}, expected {} – {}", e.text, d.from, d.to, e.from, e.to)),
        }
    }
    tables.push(t);

    let mut t = Table { name: "events", ..Table::default() };
    let mut matched = Vec::new();
    for e in &expected.events {
        let kind_of =
            |x: &sitrep_read::EventReading| serde_json::to_value(x.event.event_type).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        let same_place = |x: &sitrep_read::EventReading| {
            e.place.as_deref().is_none_or(|want| x.place.as_ref().is_some_and(|p| p.mention.starts_with(want) || contains(&p.name, want)))
        };
        let same_side =
            |x: &sitrep_read::EventReading| e.side.is_none() || x.event.actor.as_ref().and_then(|a| a.side).map(sitrep_read::Side::code) == e.side.as_deref();
        let of_kind: Vec<&sitrep_read::EventReading> = reading.events.iter().filter(|x| kind_of(x) == e.kind).collect();
        // Each event accounts for one expected event: unmatched ones first.
        let fits = |x: &&&sitrep_read::EventReading| same_place(x) && same_side(x);
        let fresh = of_kind.iter().filter(|x| !matched.contains(&x.event.start)).find(fits);
        if let Some(x) = fresh.or_else(|| of_kind.iter().find(fits)) {
            t.found += 1;
            matched.push(x.event.start);
        } else if let Some(x) = of_kind.iter().find(|x| same_place(x)) {
            let side = x.event.actor.as_ref().and_then(|a| a.side).map_or("no side", sitrep_read::Side::code);
            t.wrong.push(format!("{} {}: found at {:?} but with {side}", e.id, e.what, x.place.as_ref().map(|p| &p.name)));
        } else {
            t.missed.push(format!("{} {} ({}, {:?}, {:?})", e.id, e.what, e.kind, e.place, e.side));
        }
    }
    for x in reading.events.iter().filter(|x| !matched.contains(&x.event.start)) {
        let what: String = x.text.chars().take(80).collect();
        t.extra.push(format!("{:?} at {:?}: {what}", x.event.event_type, x.place.as_ref().map(|p| &p.name)));
    }
    tables.push(t);
    Ok(Outcome { tables })
}

impl Outcome {
    /// The summary and, with `errors`, every miss and wrong reading.
    pub fn render(&self, errors: bool) -> String {
        let mut s = String::new();
        let (mut found, mut missed, mut wrong) = (0, 0, 0);
        for t in &self.tables {
            let extra = if t.extra.is_empty() { String::new() } else { format!("   not expected {:>2}", t.extra.len()) };
            let _ = writeln!(s, "  {:<18} found {:>2}   missed {:>2}   wrong {:>2}{extra}", t.name, t.found, t.missed.len(), t.wrong.len());
            found += t.found;
            missed += t.missed.len();
            wrong += t.wrong.len();
            if errors {
                for m in &t.missed {
                    let _ = writeln!(s, "      MISSED {m}");
                }
                for w in &t.wrong {
                    let _ = writeln!(s, "      WRONG  {w}");
                }
                for x in &t.extra {
                    let _ = writeln!(s, "      EXTRA  {x}");
                }
            }
        }
        let _ = writeln!(s, "  {:<18} found {found:>2}   missed {missed:>2}   wrong {wrong:>2}", "all");
        s
    }

    /// True when every expected item of every table was found and read as expected.
    pub fn complete(&self) -> bool {
        self.tables.iter().all(|t| t.missed.is_empty() && t.wrong.is_empty())
    }
}
