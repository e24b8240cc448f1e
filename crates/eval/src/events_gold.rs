//! `sitrep eval events-gold GOLD REPORTS.jsonl`: sitrep's events against the project's own gold
//! for long-form war reporting (`crates/eval/gold/isw-events.jsonl`, written by the rules of
//! `docs/event-annotation-guide.md`).
//!
//! Each report of the gold is read with sitrep's [`Reader`], dated by its record's `date`. Each
//! event sitrep reads is taken apart into **mentions**: its evidence sentence and every sentence
//! of its `also` list, each with the event's type, place, date and actor side and that
//! sentence's own claimant and certainty. The gold is a list of mentions too.
//!
//! **Matching.** A sitrep mention and a gold mention can pair when they are of the same report,
//! their sentence ranges overlap, and their places are compatible: the same gazetteer id, or
//! points at most 10 km apart, or — for a gold mention with no place (an axis, a road, nothing
//! named) — a sitrep mention with no place or a place of precision 4 or coarser. Pairing is
//! one-to-one: a maximum matching over those pairs, found by augmenting paths, each gold mention
//! trying first the candidates of the same type and id, then the nearest. Unpaired sitrep
//! mentions are false positives, unpaired gold mentions misses.
//!
//! A second, lenient matching pairs by sentence overlap alone (compatible places first); on its
//! pairs the share whose places are compatible says how often sitrep puts an event it found in
//! the right sentence at the right place.
//!
//! **Fields** on the pairs of the strict matching: type equal; precision code equal; date ranges
//! overlap; side equal (`unknown` equals no side); claimant agrees (both none, or the same
//! source: see [`claimant_agrees`]); certainty equal on the team's scale, sitrep's older value
//! `hedged` read as `assessed`.

use std::{
    collections::BTreeMap,
    fmt::Write as _,
    fs::File,
    io::{BufRead, BufReader},
    path::Path,
};

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use serde::Deserialize;
use sitrep_gazetteer::{distance_km, Gazetteer, LatLon};
use sitrep_geoparse::TheatreChoice;
use sitrep_read::{EventReading, Reader, Reading, Report as ReadReport};

use crate::{corpus::records, metrics::Prf};

/// The largest distance, km, at which two points are the same place.
pub const SAME_PLACE_KM: f64 = 10.0;

/// One line of the gold file.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GoldLine {
    /// The header of an annotated report.
    Report(GoldReport),
    /// One event mention.
    Event(Box<GoldEvent>),
}

/// An annotated report: its id, date and the stretches that are not sentences about events.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldReport {
    /// The report's id in the reports file.
    pub report: String,
    /// The report's date.
    pub date: NaiveDate,
    /// Headings, takeaways, captions and the like.
    #[serde(default)]
    pub regions: Vec<Region>,
}

/// A stretch of a report that holds no sentence about events.
#[derive(Debug, Clone, Deserialize)]
pub struct Region {
    /// What it is ("heading", "takeaways", "author_line", ...).
    pub kind: String,
    /// Start, in characters.
    pub start: usize,
    /// End (exclusive), in characters.
    pub end: usize,
}

/// An event mention of the gold.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldEvent {
    /// The report's id.
    pub report: String,
    /// The evidence sentence, characters, end exclusive.
    pub sentence: [usize; 2],
    /// The event type (sitrep's names).
    #[serde(rename = "type")]
    pub event_type: String,
    /// Where, if a gazetteer has the place.
    pub place: Option<GoldPlace>,
    /// A vague area with no gazetteer entry ("southern axis"), when the place is null.
    #[serde(default)]
    pub area: Option<String>,
    /// When.
    pub date: GoldDate,
    /// `UA`, `RU` or `unknown`.
    pub side: String,
    /// Who says so; `None` for the report's own voice.
    pub claimant: Option<GoldClaimant>,
    /// The certainty on the team's scale.
    pub certainty: String,
}

/// The place of a gold event.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldPlace {
    /// Gazetteer name.
    pub name: String,
    /// Gazetteer id (`geonames:N`, `sitrep:slug`); `None` when no gazetteer has the place.
    pub id: Option<String>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// The mention, characters.
    pub mention: [usize; 2],
    /// UCDP precision code, 1..6.
    pub precision: u8,
}

/// The date of a gold event.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldDate {
    /// First day.
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
}

/// The claimant of a gold event.
#[derive(Debug, Clone, Deserialize)]
pub struct GoldClaimant {
    /// The source in short canonical form ("Ukrainian General Staff").
    pub label: String,
    /// The words that identify the source, or alternatives of them.
    pub key: Key,
    /// The noun phrase naming it, characters.
    pub span: [usize; 2],
}

/// A claimant key: one phrase, or alternatives.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Key {
    /// Every word of it must occur in the other name.
    One(String),
    /// Any one of them.
    Any(Vec<String>),
}

impl Key {
    fn alternatives(&self) -> Vec<&str> {
        match self {
            Key::One(k) => vec![k.as_str()],
            Key::Any(ks) => ks.iter().map(String::as_str).collect(),
        }
    }
}

/// The gold: annotated reports and their event mentions.
#[derive(Debug, Clone, Default)]
pub struct Gold {
    /// Annotated reports, in file order.
    pub reports: Vec<GoldReport>,
    /// Event mentions, in file order.
    pub events: Vec<GoldEvent>,
    /// Lines that were not gold lines: (line number, reason).
    pub skipped: Vec<(usize, String)>,
}

impl Gold {
    /// Reads a gold file; a line that is not a gold line is noted in `skipped`, an event of a
    /// report with no header is an error.
    pub fn read(input: impl BufRead) -> Result<Gold> {
        let mut gold = Gold::default();
        let mut skipped = Vec::new();
        for line in records::<GoldLine>("gold", input, &mut skipped) {
            match line? {
                GoldLine::Report(r) => gold.reports.push(r),
                GoldLine::Event(e) => gold.events.push(*e),
            }
        }
        gold.skipped = skipped;
        if let Some(e) = gold.events.iter().find(|e| !gold.reports.iter().any(|r| r.report == e.report)) {
            bail!("gold event of report {} but no header line for that report", e.report);
        }
        Ok(gold)
    }
}

/// A report of the reports file (ISW daily assessments: `{"id", "date", "text", ...}`).
#[derive(Debug, Clone, Deserialize)]
pub struct ReportRecord {
    /// Id.
    pub id: String,
    /// Publication date, YYYY-MM-DD.
    pub date: Option<String>,
    /// Headline.
    #[serde(default)]
    pub title: Option<String>,
    /// Outlet.
    #[serde(default)]
    pub source: Option<String>,
    /// Address.
    #[serde(default)]
    pub url: Option<String>,
    /// Text.
    pub text: String,
}

/// An event as it is scored: one sentence telling one event at one place.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// The evidence sentence, characters.
    pub sentence: (usize, usize),
    /// sitrep's type name (`battle`, `shelling`, ...).
    pub event_type: String,
    /// Where.
    pub place: Option<MentionPlace>,
    /// When: first and last day.
    pub date: Option<(NaiveDate, NaiveDate)>,
    /// `UA`, `RU`, or `None`.
    pub side: Option<String>,
    /// Who says so; `None` for the report's own voice.
    pub claimant: Option<String>,
    /// Certainty on the team's scale.
    pub certainty: String,
}

/// The place of a scored mention.
#[derive(Debug, Clone, PartialEq)]
pub struct MentionPlace {
    /// Gazetteer id.
    pub id: String,
    /// Name.
    pub name: String,
    /// UCDP precision code.
    pub precision: u8,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

/// The name serde gives a unit enum value (`EventType::AirStrike` → `air_strike`).
fn serde_name<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// A certainty on the team's scale: sitrep's older `hedged` is `assessed`.
fn on_scale(certainty: String) -> String {
    if certainty == "hedged" {
        "assessed".to_owned()
    } else {
        certainty
    }
}

/// sitrep's mentions of one reading: each event's evidence sentence and its `also` sentences.
pub fn mentions(reading: &Reading) -> Vec<Mention> {
    let mut out = Vec::new();
    for e in &reading.events {
        let base = base_mention(e);
        out.push(Mention {
            sentence: (e.event.start, e.event.end),
            claimant: e.claimant.clone(),
            certainty: on_scale(serde_name(&e.certainty)),
            ..base.clone()
        });
        for a in &e.also {
            out.push(Mention { sentence: (a.start, a.end), claimant: a.claimant.clone(), certainty: on_scale(serde_name(&a.certainty)), ..base.clone() });
        }
    }
    out
}

fn base_mention(e: &EventReading) -> Mention {
    Mention {
        sentence: (e.event.start, e.event.end),
        event_type: serde_name(&e.event.event_type),
        place: e.place.as_ref().map(|p| MentionPlace { id: p.id.clone(), name: p.name.clone(), precision: p.precision, lat: p.lat, lon: p.lon }),
        date: e.date.as_ref().map(|d| (d.from, d.to)),
        side: e.event.actor.as_ref().and_then(|a| serde_json::to_value(a.side).ok()).and_then(|v| v.as_str().map(str::to_owned)),
        claimant: None,
        certainty: String::new(),
    }
}

/// Distance between a gold place and a mention's place, km.
fn km(g: &GoldPlace, p: &MentionPlace) -> f64 {
    distance_km(LatLon::new(g.lat, g.lon), LatLon::new(p.lat, p.lon))
}

/// True when the two places are the same place by the module's definition.
pub fn places_compatible(gold: Option<&GoldPlace>, ours: Option<&MentionPlace>) -> bool {
    match (gold, ours) {
        (Some(g), Some(p)) => g.id.as_deref() == Some(p.id.as_str()) || km(g, p) <= SAME_PLACE_KM,
        (None, None) => true,
        (None, Some(p)) => p.precision >= 4,
        (Some(_), None) => false,
    }
}

fn overlaps(a: (usize, usize), b: (usize, usize)) -> bool {
    a.0 < b.1 && b.0 < a.1
}

/// A one-to-one matching: `pairs[g] = Some(m)` pairs gold `g` with mention `m`. `candidates[g]`
/// lists the mentions gold `g` may pair with, most preferred first.
fn maximum_matching(candidates: &[Vec<usize>], mentions: usize) -> Vec<Option<usize>> {
    fn augment(g: usize, candidates: &[Vec<usize>], owner: &mut [Option<usize>], seen: &mut [bool]) -> bool {
        for &m in &candidates[g] {
            if seen[m] {
                continue;
            }
            seen[m] = true;
            if owner[m].is_none_or(|other| augment(other, candidates, owner, seen)) {
                owner[m] = Some(g);
                return true;
            }
        }
        false
    }
    let mut owner: Vec<Option<usize>> = vec![None; mentions];
    for g in 0..candidates.len() {
        let mut seen = vec![false; mentions];
        augment(g, candidates, &mut owner, &mut seen);
    }
    let mut pairs = vec![None; candidates.len()];
    for (m, g) in owner.iter().enumerate() {
        if let Some(g) = g {
            pairs[*g] = Some(m);
        }
    }
    pairs
}

/// The candidates of each gold event among `ours`: sentence overlap, and (when `strict`)
/// compatible places; preferred: compatible place, same type, same id, nearest.
fn candidates(gold: &[&GoldEvent], ours: &[Mention], strict: bool) -> Vec<Vec<usize>> {
    gold.iter()
        .map(|g| {
            let mut c: Vec<usize> = (0..ours.len())
                .filter(|&m| overlaps((g.sentence[0], g.sentence[1]), ours[m].sentence))
                .filter(|&m| !strict || places_compatible(g.place.as_ref(), ours[m].place.as_ref()))
                .collect();
            let rank = |m: &usize| {
                let o = &ours[*m];
                let compatible = places_compatible(g.place.as_ref(), o.place.as_ref());
                let same_id = g.place.as_ref().zip(o.place.as_ref()).is_some_and(|(gp, op)| gp.id.as_deref() == Some(op.id.as_str()));
                let dist = g.place.as_ref().zip(o.place.as_ref()).map_or(f64::INFINITY, |(gp, op)| km(gp, op));
                (!compatible, o.event_type != g.event_type, !same_id, dist)
            };
            c.sort_by(|a, b| rank(a).partial_cmp(&rank(b)).unwrap_or(std::cmp::Ordering::Equal));
            c
        })
        .collect()
}

/// Agreement on one field: pairs agreeing, pairs scored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Agreement {
    /// Pairs that agree.
    pub agree: usize,
    /// Pairs scored.
    pub total: usize,
}

impl Agreement {
    fn add(&mut self, agrees: bool) {
        self.total += 1;
        self.agree += usize::from(agrees);
    }

    /// agree / total (0 when nothing was scored).
    pub fn share(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.agree as f64 / self.total as f64
        }
    }
}

/// Per-field agreement on matched pairs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fields {
    /// Same event type.
    pub event_type: Agreement,
    /// Same UCDP precision code.
    pub precision: Agreement,
    /// Date ranges overlap.
    pub date: Agreement,
    /// Same side.
    pub side: Agreement,
    /// Same source, or both the report's own voice.
    pub claimant: Agreement,
    /// Of those, the pairs whose gold names a source.
    pub claimant_named: Agreement,
    /// Same certainty.
    pub certainty: Agreement,
}

/// The scores of sitrep against the gold.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The theatre levels the reader resolved with ([`TheatreChoice::level`]).
    pub theatre: String,
    /// Reports scored.
    pub reports: usize,
    /// Mentions, strict matching (place compatible).
    pub prf: Prf,
    /// Mentions, lenient matching (sentence only).
    pub lenient: Prf,
    /// Of the lenient pairs, those whose places are compatible.
    pub lenient_place: Agreement,
    /// Field agreement on the strict pairs.
    pub fields: Fields,
    /// Per report: id, gold mentions, sitrep mentions, matched.
    pub per_report: Vec<(String, usize, usize, usize)>,
    /// Errors by class: class name → lines.
    pub errors: BTreeMap<String, Vec<String>>,
    /// Gold lines that could not be used.
    pub skipped: Vec<(usize, String)>,
}

/// The words of a source's name, normalised for comparison: lower case, possessive "'s" and
/// apostrophes dropped, the defence ministry's names folded to `mod`, Russia/Ukraine folded to
/// their adjectives, articles and "of"/"and" dropped, plurals folded to the singular.
pub fn claimant_words(name: &str) -> Vec<String> {
    let mut s = name.to_lowercase().replace(['’', '‘'], "'").replace("'s ", " ");
    if s.ends_with("'s") {
        s.truncate(s.len() - 2);
    }
    for phrase in ["ministry of defense", "ministry of defence", "defense ministry", "defence ministry"] {
        s = s.replace(phrase, "mod");
    }
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !matches!(*w, "the" | "a" | "an" | "of" | "and"))
        .map(|w| match w {
            "russia" => "russian".to_owned(),
            "ukraine" => "ukrainian".to_owned(),
            w if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") => w[..w.len() - 1].to_owned(),
            w => w.to_owned(),
        })
        .collect()
}

/// True when a name is the report's own voice (the Institute for the Study of War).
fn own_voice(words: &[String]) -> bool {
    words.iter().any(|w| w == "isw") || ["institute", "study", "war"].iter().all(|k| words.iter().any(|w| w == k)) || words == ["we"]
}

fn nationalities(words: &[String]) -> Vec<&'static str> {
    ["russian", "ukrainian"].into_iter().filter(|n| words.iter().any(|w| w == n)).collect()
}

/// True when sitrep's claimant (`ours`) and the gold's name the same source: both the report's
/// own voice (none, or a name of the outlet itself), or every word of one of the gold key's
/// alternatives in sitrep's normalised name and no contradiction between the nationalities
/// (Russian, Ukrainian) the two names carry.
pub fn claimant_agrees(gold: Option<&GoldClaimant>, ours: Option<&str>) -> bool {
    let ours = ours.map(claimant_words).filter(|w| !own_voice(w));
    match (gold, ours) {
        (None, None) => true,
        (Some(g), Some(words)) => {
            let key_found = g.key.alternatives().iter().any(|k| claimant_words(k).iter().all(|kw| words.contains(kw)));
            let (theirs, mine) = (nationalities(&claimant_words(&g.label)), nationalities(&words));
            let contradict = !theirs.is_empty() && !mine.is_empty() && !theirs.iter().any(|n| mine.contains(n));
            key_found && !contradict
        }
        _ => false,
    }
}

/// The text of characters `start..end` of `text`.
fn chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end.saturating_sub(start)).collect()
}

fn place_label(p: Option<&MentionPlace>) -> String {
    p.map_or_else(|| "no place".to_owned(), |p| format!("{} ({}, prec {})", p.name, p.id, p.precision))
}

fn gold_place_label(g: &GoldEvent) -> String {
    match &g.place {
        Some(p) => format!("{} ({}, prec {})", p.name, p.id.as_deref().unwrap_or("no id"), p.precision),
        None => format!("no place{}", g.area.as_deref().map(|a| format!(" [{a}]")).unwrap_or_default()),
    }
}

/// Scores one report: `ours` are sitrep's mentions of it, `text` its text (for error lines).
pub fn score_report(outcome: &mut Outcome, report: &GoldReport, gold: &[&GoldEvent], ours: &[Mention], text: &str) {
    let strict = maximum_matching(&candidates(gold, ours, true), ours.len());
    let lenient = maximum_matching(&candidates(gold, ours, false), ours.len());
    let matched = strict.iter().flatten().count();
    outcome.reports += 1;
    outcome.prf.tp += matched;
    outcome.prf.fn_ += gold.len() - matched;
    outcome.prf.fp += ours.len() - matched;
    let lenient_matched = lenient.iter().flatten().count();
    outcome.lenient.tp += lenient_matched;
    outcome.lenient.fn_ += gold.len() - lenient_matched;
    outcome.lenient.fp += ours.len() - lenient_matched;
    for (g, m) in lenient.iter().enumerate() {
        if let Some(m) = m {
            outcome.lenient_place.add(places_compatible(gold[g].place.as_ref(), ours[*m].place.as_ref()));
        }
    }
    outcome.per_report.push((report.report.clone(), gold.len(), ours.len(), matched));

    let id = &report.report;
    let sentence_text = |s: (usize, usize)| chars(text, s.0, s.1).replace('\n', " ");
    let mut errors: Vec<(String, String)> = Vec::new();
    let mut taken = vec![false; ours.len()];
    for m in strict.iter().flatten() {
        taken[*m] = true;
    }
    for (g, m) in strict.iter().enumerate() {
        let ge = gold[g];
        let span = (ge.sentence[0], ge.sentence[1]);
        let at = format!("{id} {}-{}", span.0, span.1);
        let Some(m) = m else {
            let in_sentence: Vec<usize> = (0..ours.len()).filter(|&o| overlaps(span, ours[o].sentence)).collect();
            let class = if in_sentence.is_empty() {
                "MISS: no sitrep event in the sentence"
            } else if in_sentence.iter().all(|&o| taken[o]) {
                "MISS: fewer sitrep events than gold places in the sentence (its events went to other gold events)"
            } else {
                "MISS: sitrep's event in the sentence is at another place"
            };
            let read: Vec<String> = in_sentence.iter().map(|&o| place_label(ours[o].place.as_ref())).collect();
            let read = if read.is_empty() { String::new() } else { format!("; sitrep read {}", read.join(", ")) };
            errors.push((class.to_owned(), format!("{at}  gold {} at {}{read}: {}", ge.event_type, gold_place_label(ge), sentence_text(span))));
            continue;
        };
        let o = &ours[*m];
        let f = &mut outcome.fields;
        let mut field = |name: &str, agreement: &mut Agreement, agrees: bool, gold_value: &str, our_value: &str, detail: String| {
            agreement.add(agrees);
            if !agrees {
                errors.push((format!("FIELD {name}: gold {gold_value} / sitrep {our_value}"), format!("{at}  {detail}: {}", sentence_text(span))));
            }
        };
        let where_ = format!("at {}", gold_place_label(ge));
        field("type", &mut f.event_type, o.event_type == ge.event_type, &ge.event_type, &o.event_type, where_.clone());
        if let (Some(gp), Some(op)) = (&ge.place, &o.place) {
            field("precision", &mut f.precision, gp.precision == op.precision, &gp.precision.to_string(), &op.precision.to_string(), where_.clone());
        }
        let date_ok = o.date.is_some_and(|(from, to)| from <= ge.date.to && ge.date.from <= to);
        let our_date = o.date.map_or_else(|| "none".to_owned(), |(from, to)| format!("{from}..{to}"));
        field("date", &mut f.date, date_ok, "range", "not overlapping", format!("gold {}..{}, sitrep {our_date}", ge.date.from, ge.date.to));
        let our_side = o.side.as_deref().unwrap_or("unknown");
        field("side", &mut f.side, our_side == ge.side, &ge.side, our_side, where_.clone());
        let (gold_kind, our_kind) = match (&ge.claimant, &o.claimant) {
            (Some(_), None) => ("named", "none"),
            (None, Some(_)) => ("none", "named"),
            _ => ("named", "another source"),
        };
        let names = format!("gold {:?}, sitrep {:?}", ge.claimant.as_ref().map_or("none", |c| c.label.as_str()), o.claimant.as_deref().unwrap_or("none"));
        let claimant_ok = claimant_agrees(ge.claimant.as_ref(), o.claimant.as_deref());
        if ge.claimant.is_some() {
            f.claimant_named.add(claimant_ok);
        }
        field("claimant", &mut f.claimant, claimant_ok, gold_kind, our_kind, names);
        field("certainty", &mut f.certainty, o.certainty == ge.certainty, &ge.certainty, &o.certainty, where_);
    }
    for o in ours.iter().zip(&taken).filter(|(_, t)| !**t).map(|(o, _)| o) {
        let region = report.regions.iter().find(|r| overlaps((r.start, r.end), o.sentence));
        let gold_here: Vec<&&GoldEvent> = gold.iter().filter(|g| overlaps((g.sentence[0], g.sentence[1]), o.sentence)).collect();
        let class = match region {
            Some(r) => format!("FALSE POSITIVE: in a {} (not a sentence about events)", r.kind),
            None if gold_here.is_empty() => {
                "FALSE POSITIVE: sentence without an event (analysis, forecast, negation, state, background, outside the taxonomy)".to_owned()
            }
            None if gold_here.iter().any(|g| places_compatible(g.place.as_ref(), o.place.as_ref())) => {
                "FALSE POSITIVE: a second sitrep event for a gold event already matched".to_owned()
            }
            None => "FALSE POSITIVE: event sentence, wrong place".to_owned(),
        };
        errors.push((
            class,
            format!("{id} {}-{}  {} at {}: {}", o.sentence.0, o.sentence.1, o.event_type, place_label(o.place.as_ref()), sentence_text(o.sentence)),
        ));
    }
    for (class, line) in errors {
        outcome.errors.entry(class).or_default().push(line);
    }
}

/// Scores sitrep on the gold: `reports` is the JSON-lines file of the reports' texts. The
/// reader resolves place names with the theatre `theatre` asks for; its batch level is every
/// report of the file, annotated or not, as `sitrep ingest --batch-theatre` would read it.
pub fn evaluate(gaz: &Gazetteer, gold: &Gold, reports: impl BufRead, theatre: &TheatreChoice) -> Result<Outcome> {
    let mut outcome = Outcome { skipped: gold.skipped.clone(), theatre: theatre.level(), ..Outcome::default() };
    let mut skipped = Vec::new();
    let all: Vec<ReportRecord> = records::<ReportRecord>("reports", reports, &mut skipped).collect::<Result<_>>()?;
    let reader = Reader::new(gaz).with_theatre(theatre.of_texts(gaz, all.iter().map(|r| &r.text))?);
    let texts: BTreeMap<String, ReportRecord> =
        all.into_iter().filter(|record| gold.reports.iter().any(|r| r.report == record.id)).map(|record| (record.id.clone(), record)).collect();
    for report in &gold.reports {
        let Some(record) = texts.get(&report.report) else { bail!("report {} of the gold is not in the reports file", report.report) };
        let published = record.date.as_deref().and_then(|d| NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok()).or(Some(report.date));
        let length = record.text.chars().count();
        let events: Vec<&GoldEvent> = gold.events.iter().filter(|e| e.report == report.report).collect();
        if let Some(bad) = events.iter().find(|e| e.sentence[1] > length || e.sentence[0] >= e.sentence[1]) {
            bail!("gold event at {:?} of {} lies outside the report's {length} characters: wrong reports file?", bad.sentence, report.report);
        }
        let reading = reader.read(&ReadReport {
            id: record.id.clone(),
            title: record.title.clone(),
            published,
            source: record.source.clone(),
            url: record.url.clone(),
            text: record.text.clone(),
            ..ReadReport::default()
        });
        score_report(&mut outcome, report, &events, &mentions(&reading), &record.text);
    }
    Ok(outcome)
}

/// Opens the gold and the reports file and scores sitrep.
pub fn evaluate_files(gaz: &Gazetteer, gold: &Path, reports: &Path, theatre: &TheatreChoice) -> Result<Outcome> {
    let open = |p: &Path| File::open(p).map(BufReader::new).with_context(|| format!("cannot open {}", p.display()));
    let gold = Gold::read(open(gold)?)?;
    evaluate(gaz, &gold, open(reports)?, theatre)
}

impl Outcome {
    /// The figures, as `sitrep eval events-gold` prints them.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let p = &self.prf;
        let _ =
            writeln!(s, "events-gold: {} reports, {} gold mentions, {} sitrep mentions; theatre: {}", self.reports, p.tp + p.fn_, p.tp + p.fp, self.theatre);
        if !self.skipped.is_empty() {
            let _ = writeln!(s, "  {} gold lines skipped", self.skipped.len());
        }
        let _ = writeln!(
            s,
            "  events (sentence and place): precision {:.3}  recall {:.3}  F1 {:.3}  (tp {}, fp {}, fn {})",
            p.precision(),
            p.recall(),
            p.f1(),
            p.tp,
            p.fp,
            p.fn_
        );
        let l = &self.lenient;
        let _ = writeln!(s, "  events (sentence only):      precision {:.3}  recall {:.3}  F1 {:.3}", l.precision(), l.recall(), l.f1());
        let _ = writeln!(
            s,
            "  place within {SAME_PLACE_KM} km (or same id) on sentence-matched pairs: {:.3} ({}/{})",
            self.lenient_place.share(),
            self.lenient_place.agree,
            self.lenient_place.total
        );
        let _ = writeln!(s, "  fields on matched pairs:");
        let f = &self.fields;
        for (name, a) in [
            ("type", f.event_type),
            ("place precision code", f.precision),
            ("date overlaps", f.date),
            ("side", f.side),
            ("claimant", f.claimant),
            ("  where gold names one", f.claimant_named),
            ("certainty", f.certainty),
        ] {
            let _ = writeln!(s, "    {name:<22} {:.3} ({}/{})", a.share(), a.agree, a.total);
        }
        let _ = writeln!(s, "  per report (gold / sitrep / matched):");
        for (id, g, o, m) in &self.per_report {
            let _ = writeln!(s, "    {id:<18} {g:>4} {o:>4} {m:>4}");
        }
        s
    }

    /// The errors, grouped by class, largest class first.
    pub fn error_report(&self) -> String {
        let mut s = String::new();
        for (line, reason) in &self.skipped {
            let _ = writeln!(s, "SKIPPED gold line {line}: {reason}");
        }
        let mut classes: Vec<(&String, &Vec<String>)> = self.errors.iter().collect();
        classes.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
        let _ = writeln!(s, "error classes:");
        for (class, lines) in &classes {
            let _ = writeln!(s, "  {:>5}  {class}", lines.len());
        }
        for (class, lines) in classes {
            let _ = writeln!(s, "\n== {class} ({})", lines.len());
            for l in lines {
                let _ = writeln!(s, "  {l}");
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOLD: &str = include_str!("../fixtures/events-gold/gold.jsonl");
    const REPORT_TEXT: &str = "Russian forces shelled Kharkiv and Zolochiv on May 3, the regional governor said. \
                               ISW assesses that Russian forces will likely attack Izyum in the coming days.";

    fn gold() -> Gold {
        Gold::read(GOLD.as_bytes()).unwrap()
    }

    fn day(d: &str) -> NaiveDate {
        NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
    }

    /// sitrep's mention that agrees with the gold event at `place` on every field.
    fn perfect(place: &str) -> Mention {
        let (id, lat, lon) = match place {
            "Kharkiv" => ("geonames:706483", 49.9818, 36.2548),
            _ => ("geonames:686895", 50.27331, 35.97755),
        };
        Mention {
            sentence: (0, 81),
            event_type: "shelling".to_owned(),
            place: Some(MentionPlace { id: id.to_owned(), name: place.to_owned(), precision: 1, lat, lon }),
            date: Some((day("2022-05-03"), day("2022-05-03"))),
            side: Some("RU".to_owned()),
            claimant: Some("the regional governor".to_owned()),
            certainty: "claimed".to_owned(),
        }
    }

    fn score(ours: &[Mention]) -> Outcome {
        let gold = gold();
        let events: Vec<&GoldEvent> = gold.events.iter().collect();
        let mut outcome = Outcome::default();
        score_report(&mut outcome, &gold.reports[0], &events, ours, REPORT_TEXT);
        outcome
    }

    fn all_agree(f: &Fields) -> Vec<(&'static str, Agreement)> {
        vec![("type", f.event_type), ("precision", f.precision), ("date", f.date), ("side", f.side), ("claimant", f.claimant), ("certainty", f.certainty)]
    }

    #[test]
    fn the_fixture_is_read_with_its_offsets() {
        let gold = gold();
        assert_eq!(gold.reports.len(), 1);
        assert_eq!(gold.events.len(), 2);
        let chars: Vec<char> = REPORT_TEXT.chars().collect();
        let mention = gold.events[1].place.as_ref().unwrap().mention;
        assert_eq!(chars[mention[0]..mention[1]].iter().collect::<String>(), "Zolochiv");
        let span = gold.events[0].claimant.as_ref().unwrap().span;
        assert_eq!(chars[span[0]..span[1]].iter().collect::<String>(), "the regional governor");
    }

    #[test]
    fn perfect_mentions_score_one_everywhere() {
        let outcome = score(&[perfect("Kharkiv"), perfect("Zolochiv")]);
        assert_eq!(outcome.prf, Prf { tp: 2, fp: 0, fn_: 0 });
        for (name, a) in all_agree(&outcome.fields) {
            assert_eq!(a, Agreement { agree: 2, total: 2 }, "{name}");
        }
        assert_eq!(outcome.fields.claimant_named, Agreement { agree: 2, total: 2 });
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    }

    #[test]
    fn one_event_for_a_sentence_of_two_places_misses_one() {
        let outcome = score(&[perfect("Zolochiv")]);
        assert_eq!(outcome.prf, Prf { tp: 1, fp: 0, fn_: 1 });
        assert!(outcome.errors.keys().any(|k| k.starts_with("MISS: fewer sitrep events than gold places")), "{:?}", outcome.errors.keys());
    }

    #[test]
    fn matching_needs_the_sentence_and_the_place() {
        // The second sentence: no gold event there.
        let elsewhere = Mention { sentence: (82, 159), ..perfect("Kharkiv") };
        // The right sentence, but a place 33 km from Kharkiv (Zolochiv is taken by its own event).
        let far = Mention {
            place: Some(MentionPlace { id: "geonames:1".to_owned(), name: "Elsewhere".to_owned(), precision: 1, lat: 50.28, lon: 36.25 }),
            ..perfect("Kharkiv")
        };
        let outcome = score(&[elsewhere, far, perfect("Zolochiv")]);
        assert_eq!(outcome.prf, Prf { tp: 1, fp: 2, fn_: 1 });
        assert!(outcome.errors.contains_key("FALSE POSITIVE: event sentence, wrong place"));
        assert!(outcome.errors.keys().any(|k| k.starts_with("FALSE POSITIVE: sentence without an event")));
        assert!(outcome.errors.contains_key("MISS: sitrep's event in the sentence is at another place"));
        // Sentence-only matching pairs the far mention with Kharkiv and counts its place wrong.
        assert_eq!(outcome.lenient.tp, 2);
        assert_eq!(outcome.lenient_place, Agreement { agree: 1, total: 2 });
    }

    #[test]
    fn matching_is_one_to_one() {
        let outcome = score(&[perfect("Kharkiv"), perfect("Kharkiv"), perfect("Zolochiv")]);
        assert_eq!(outcome.prf, Prf { tp: 2, fp: 1, fn_: 0 });
        assert!(outcome.errors.contains_key("FALSE POSITIVE: a second sitrep event for a gold event already matched"));
    }

    #[test]
    fn same_id_or_ten_km_makes_a_place() {
        let near = Mention {
            place: Some(MentionPlace { id: "geonames:2".to_owned(), name: "A suburb".to_owned(), precision: 2, lat: 50.03, lon: 36.30 }),
            ..perfect("Kharkiv")
        };
        let outcome = score(&[near, perfect("Zolochiv")]);
        assert_eq!(outcome.prf.tp, 2);
        // ... but its precision code (2) is not the gold's (1).
        assert_eq!(outcome.fields.precision, Agreement { agree: 1, total: 2 });
    }

    #[test]
    fn each_field_can_disagree() {
        let cases: Vec<(&str, Mention)> = vec![
            ("type", Mention { event_type: "air_strike".to_owned(), ..perfect("Kharkiv") }),
            ("precision", Mention { place: perfect("Kharkiv").place.map(|p| MentionPlace { precision: 3, ..p }), ..perfect("Kharkiv") }),
            ("date", Mention { date: Some((day("2022-05-04"), day("2022-05-04"))), ..perfect("Kharkiv") }),
            ("side", Mention { side: None, ..perfect("Kharkiv") }),
            ("claimant", Mention { claimant: Some("Russian milbloggers".to_owned()), ..perfect("Kharkiv") }),
            ("certainty", Mention { certainty: "asserted".to_owned(), ..perfect("Kharkiv") }),
        ];
        for (field, wrong) in cases {
            let outcome = score(&[wrong, perfect("Zolochiv")]);
            assert_eq!(outcome.prf.tp, 2, "{field}: still matched");
            for (name, a) in all_agree(&outcome.fields) {
                let expected = if name == field { 1 } else { 2 };
                assert_eq!(a.agree, expected, "{field} wrong, {name} agreement");
            }
            assert!(outcome.errors.keys().any(|k| k.starts_with(&format!("FIELD {field}:"))), "{field}: {:?}", outcome.errors.keys());
        }
    }

    #[test]
    fn a_missing_date_or_claimant_disagrees() {
        let outcome = score(&[Mention { date: None, claimant: None, ..perfect("Kharkiv") }, perfect("Zolochiv")]);
        assert_eq!(outcome.fields.date.agree, 1);
        assert_eq!(outcome.fields.claimant.agree, 1);
        assert_eq!(outcome.fields.claimant_named, Agreement { agree: 1, total: 2 });
        assert!(outcome.errors.contains_key("FIELD claimant: gold named / sitrep none"));
    }

    #[test]
    fn a_false_positive_in_a_region_is_classed_by_it() {
        let mut gold = gold();
        gold.reports[0].regions.push(Region { kind: "takeaways".to_owned(), start: 82, end: 159 });
        let events: Vec<&GoldEvent> = gold.events.iter().collect();
        let mut outcome = Outcome::default();
        let bullet = Mention { sentence: (82, 159), place: None, ..perfect("Kharkiv") };
        score_report(&mut outcome, &gold.reports[0], &events, &[bullet], REPORT_TEXT);
        assert_eq!(outcome.prf, Prf { tp: 0, fp: 1, fn_: 2 });
        assert!(outcome.errors.contains_key("FALSE POSITIVE: in a takeaways (not a sentence about events)"));
    }

    #[test]
    fn claimants_are_compared_by_key_and_nationality() {
        let key = |label: &str, key: &str| GoldClaimant { label: label.to_owned(), key: Key::One(key.to_owned()), span: [0, 1] };
        let mod_ = key("Russian MoD", "MoD");
        assert!(claimant_agrees(Some(&mod_), Some("Russia's Defence Ministry")));
        assert!(claimant_agrees(Some(&mod_), Some("The Russian Ministry of Defense")));
        assert!(!claimant_agrees(Some(&mod_), Some("The Ukrainian Ministry of Defense")));
        assert!(!claimant_agrees(Some(&mod_), Some("Russian forces")));
        let staff = key("Ukrainian General Staff", "General Staff");
        assert!(claimant_agrees(Some(&staff), Some("the General Staff of the Armed Forces of Ukraine")));
        assert!(claimant_agrees(Some(&staff), Some("The Ukrainian General staff")));
        assert!(!claimant_agrees(Some(&staff), Some("The Ukrainian")));
        let bloggers = key("Russian milbloggers", "milbloggers");
        assert!(claimant_agrees(Some(&bloggers), Some("a Russian milblogger")));
        let gur = GoldClaimant {
            label: "Ukrainian Main Military Intelligence Directorate (GUR)".to_owned(),
            key: Key::Any(vec!["Intelligence Directorate".to_owned(), "GUR".to_owned()]),
            span: [0, 1],
        };
        assert!(claimant_agrees(Some(&gur), Some("The GUR")));
        assert!(!claimant_agrees(Some(&gur), Some("Ukrainian intelligence")));
        // The report's own voice.
        assert!(claimant_agrees(None, None));
        assert!(claimant_agrees(None, Some("ISW")));
        assert!(claimant_agrees(None, Some("the Institute for the Study of War")));
        assert!(!claimant_agrees(None, Some("Russian milbloggers")));
        assert!(!claimant_agrees(Some(&bloggers), None));
    }

    #[test]
    fn hedged_is_assessed_on_the_scale() {
        assert_eq!(on_scale("hedged".to_owned()), "assessed");
        assert_eq!(on_scale("asserted".to_owned()), "asserted");
    }

    #[test]
    fn augmenting_paths_find_the_larger_matching() {
        // Gold 0 prefers mention 0 but can take 1; gold 1 can only take 0.
        assert_eq!(maximum_matching(&[vec![0, 1], vec![0]], 2), vec![Some(1), Some(0)]);
        assert_eq!(maximum_matching(&[vec![0], vec![0]], 1), vec![Some(0), None]);
    }

    #[test]
    fn bad_gold_is_reported() {
        let orphan = r#"{"kind": "event", "report": "x", "sentence": [0, 1], "type": "battle", "place": null, "date": {"from": "2022-01-01", "to": "2022-01-01"}, "side": "RU", "claimant": null, "certainty": "asserted"}"#;
        assert!(Gold::read(orphan.as_bytes()).is_err());
        let with_junk = format!("not json\n{GOLD}");
        let gold = Gold::read(with_junk.as_bytes()).unwrap();
        assert_eq!(gold.skipped.len(), 1);
        assert_eq!(gold.events.len(), 2);
    }
}
