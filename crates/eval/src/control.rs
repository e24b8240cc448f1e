//! `sitrep eval control REPORTS.jsonl CONTROL.jsonl`: the control timeline against
//! settlement-level ground truth.
//!
//! The reports (JSON lines `{"id", "date", "text", ...}`, the date being the publication date)
//! are ingested in date order into a temporary store through the ingest pipeline
//! ([`sitrep_store::ingest`]), which keeps their control claims and rebuilds the timeline of the
//! settlements each batch touches ([`sitrep_store::timeline`]); the changes scored are the
//! store's, as `sitrep control --changes` gives them. Its changes are compared with the ground truth (JSON lines
//! `{"place", "lat", "lon", "date", "from_side", "to_side", "meta": {"date_earliest", ...}}`: the
//! change happened within `[date_earliest, date]`):
//!
//! - a truth record is **found** when sitrep has a change within [`MATCH_KM`] of it, to the
//!   same side, whose date window overlaps the truth's widened by [`SLACK_DAYS`] on each side;
//! - **recall**: found / all records; **recall on settlements named near the change** (the
//!   figure the target is set on): the same over records whose settlement a report dated from
//!   [`SLACK_DAYS`] before the truth's window to [`NEAR_DAYS_AFTER`] after it names: a report
//!   that names a village months before or after it changed hands says nothing of the change.
//!   A report names the settlement, not a homonym of it, when a sentence uses one of its
//!   spellings (its name or an alternate name, folded with `sitrep_text`, so transliterations
//!   match) and either no other populated place of the country farther than
//!   [`names::HOMONYM_KM`] bears that spelling, or the sentence's paragraph also names its
//!   oblast, its raion or a populated place within [`names::CONTEXT_KM`] of it (the rule, from
//!   the text and the gazetteer, never from sitrep's geoparser: [`names`]). The figure by
//!   spelling alone, the criterion before the rule, is printed beside it, and recall on
//!   settlements some report names at any time;
//! - **precision**: sitrep's changes that match a truth record / all its changes (strict
//!   scoring: a change that matches only records flagged as reverted within 21 days counts
//!   neither way, and those records are left out of recall). The truth holds only GeoNames
//!   places of 500 or more people: an unmatched change at a settlement it cannot hold (fewer
//!   people, or not a GeoNames place, and no truth record has its id) counts neither way
//!   either, and the number of such changes is printed;
//! - **date error**: for each found record, days from the date sitrep says the change had
//!   happened by to the truth's window (0 inside it); the median.
//!
//! Two readings are scored: the **baseline**, events of type territory taken or withdrawal
//! with the side that held the ground before and after (the reader as it was before control
//! statements), and the **control statements**. With errors, every missed and every
//! unsupported change is listed with its evidence sentences and sorted into classes.

use std::{
    collections::{BTreeMap, HashSet},
    fmt::Write as _,
    fs::File,
    io::{BufRead, BufReader},
    path::Path,
    time::Instant,
};

use anyhow::{Context as _, Result};
use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use sitrep_gazetteer::{distance_km, Gazetteer, LatLon};
use sitrep_geoparse::TheatreChoice;
use sitrep_read::intake::{Document, Intake, IntakeError};
use sitrep_read::{control::ControlKind, events::EventType, Reader, Reading, Report as ReadReport, Side};
use sitrep_store::{
    control::{ControlClaim, Settlement, SettlementTimeline, Timeline},
    ingest::{prepare_all, BATCH},
    timeline::{ControlChange, ControlQuery},
    Store,
};

use crate::corpus::records;

mod names;

use names::{NameIndex, PlaceKeys, Towns};

/// A change counts as the truth's when it is this close (km).
pub const MATCH_KM: f64 = 5.0;
/// The least population of the truth's settlements (GeoNames places of 500 or more people).
pub const TRUTH_LEAST_POPULATION: u64 = 500;
/// The truth's date window is widened by this many days on each side.
pub const SLACK_DAYS: i64 = 2;
/// A settlement is "named near the change" by reports dated up to this many days after it.
pub const NEAR_DAYS_AFTER: i64 = 7;

/// A report of the corpus.
#[derive(Deserialize)]
struct ReportRecord {
    id: String,
    date: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    url: Option<String>,
    text: String,
}

/// A ground-truth change.
#[derive(Deserialize, Clone)]
struct TruthRecord {
    id: String,
    place: String,
    lat: f64,
    lon: f64,
    date: String,
    from_side: String,
    to_side: String,
    #[serde(default)]
    meta: TruthMeta,
}

#[derive(Deserialize, Clone, Default)]
struct TruthMeta {
    date_earliest: Option<String>,
    #[serde(default)]
    alt_names: Vec<String>,
    #[serde(default)]
    geonameid: Option<i64>,
    #[serde(default)]
    reverted_within_21d: bool,
    #[serde(default)]
    reverts_previous_within_21d: bool,
}

/// A truth record, parsed.
struct Truth {
    record: TruthRecord,
    earliest: NaiveDate,
    latest: NaiveDate,
    to: Side,
    flagged: bool,
    /// What names the settlement in a report ([`names`]).
    keys: PlaceKeys,
    named: bool,
    named_near: bool,
    /// Named near the change by spelling alone (the figure before the place rule).
    named_near_spelling: bool,
}

/// The scores of one reading against the truth, strict or on all records.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    /// Truth records scored.
    pub truth: usize,
    /// Of those, found.
    pub found: usize,
    /// Truth records whose settlement the reports name.
    pub named: usize,
    /// Of those, found.
    pub named_found: usize,
    /// Truth records whose settlement a report dated near the change names (from
    /// [`SLACK_DAYS`] before its window to [`NEAR_DAYS_AFTER`] after).
    pub named_near: usize,
    /// Of those, found.
    pub named_near_found: usize,
    /// Truth records one of whose spellings a report dated near the change uses, whatever
    /// place it means (the criterion before the place rule of [`names`]).
    pub named_near_spelling: usize,
    /// Of those, found.
    pub named_near_spelling_found: usize,
    /// sitrep's changes scored (strict: those matching only flagged records left out).
    pub changes: usize,
    /// Of those, matching a truth record.
    pub supported: usize,
    /// Unmatched changes at settlements the truth cannot hold, scored neither way.
    pub outside: usize,
    /// Date errors of the found records, days.
    pub date_errors: Vec<i64>,
}

impl Scores {
    fn ratio(a: usize, b: usize) -> f64 {
        if b == 0 {
            0.0
        } else {
            a as f64 / b as f64
        }
    }

    /// Found / truth records.
    pub fn recall(&self) -> f64 {
        Scores::ratio(self.found, self.truth)
    }

    /// Found / truth records at settlements the reports name.
    pub fn recall_named(&self) -> f64 {
        Scores::ratio(self.named_found, self.named)
    }

    /// Found / truth records at settlements named near the change.
    pub fn recall_named_near(&self) -> f64 {
        Scores::ratio(self.named_near_found, self.named_near)
    }

    /// Found / truth records whose spelling a report dated near the change uses.
    pub fn recall_named_near_spelling(&self) -> f64 {
        Scores::ratio(self.named_near_spelling_found, self.named_near_spelling)
    }

    /// Supported / changes.
    pub fn precision(&self) -> f64 {
        Scores::ratio(self.supported, self.changes)
    }

    /// The median date error in days (the mean of the two middle values for an even count).
    pub fn median_date_error(&self) -> Option<f64> {
        let mut e = self.date_errors.clone();
        if e.is_empty() {
            return None;
        }
        e.sort_unstable();
        let n = e.len();
        Some(if n % 2 == 1 { e[n / 2] as f64 } else { (e[n / 2 - 1] + e[n / 2]) as f64 / 2.0 })
    }

    fn line(&self) -> String {
        format!(
            "recall {:.3} ({}/{}), on settlements named near the change {:.3} ({}/{}; by spelling alone {:.3} ({}/{})), named at any time {:.3} ({}/{}), precision {:.3} ({}/{}; {} more outside the truth's settlements), median date error {}",
            self.recall(),
            self.found,
            self.truth,
            self.recall_named_near(),
            self.named_near_found,
            self.named_near,
            self.recall_named_near_spelling(),
            self.named_near_spelling_found,
            self.named_near_spelling,
            self.recall_named(),
            self.named_found,
            self.named,
            self.precision(),
            self.supported,
            self.changes,
            self.outside,
            self.median_date_error().map_or("-".to_owned(), |d| format!("{d:.1} days"))
        )
    }
}

/// One reading's outcome.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// "baseline (events)" or "control statements".
    pub name: String,
    /// Strict scores (flagged records left out).
    pub strict: Scores,
    /// Scores on all records.
    pub all: Scores,
    /// Settlements in the timeline.
    pub settlements: usize,
    /// Claims taken in.
    pub claims: usize,
    /// Error lines (strict).
    pub errors: Vec<String>,
    /// Error classes with counts (strict).
    pub classes: BTreeMap<String, usize>,
    /// Strict precision by the changes' status: (supported, scored).
    pub by_status: BTreeMap<String, (usize, usize)>,
}

/// The whole evaluation.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The reports' file name.
    pub corpus: String,
    /// The theatre levels the reader resolved with ([`TheatreChoice::level`]).
    pub theatre: String,
    /// Reports read.
    pub reports: usize,
    /// Reports without a usable date (read without a publication date).
    pub undated: usize,
    /// Lines that were not records.
    pub skipped: Vec<(usize, String)>,
    /// Truth records, and of those flagged as reverted within 21 days.
    pub truth: (usize, usize),
    /// Seconds to read the reports and build the control timeline.
    pub seconds: f64,
    /// The baseline, then the control statements.
    pub outcomes: Vec<Outcome>,
    /// The control statements' changes kept from a least confidence on, strict:
    /// (least confidence, scores). What an analyst who asks only for surer changes gets.
    pub by_confidence: Vec<(f64, Scores)>,
}

/// The least confidences [`Report::by_confidence`] scores at.
const CONFIDENCE_STEPS: [f64; 4] = [0.5, 0.6, 0.7, 0.8];

/// A directory of its own for the temporary store, removed when dropped.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new() -> Result<Scratch> {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or_default();
        let dir = std::env::temp_dir().join(format!("sitrep-eval-control-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot make {}", dir.display()))?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A report read: its id, date, text and reading.
struct ReadDoc {
    id: String,
    date: Option<NaiveDate>,
    text: String,
    reading: Reading,
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d").ok()
}

fn side_of(name: &str) -> Option<Side> {
    match name {
        "Ukraine" | "UA" => Some(Side::Ukraine),
        "Russia" | "RU" => Some(Side::Russia),
        _ => None,
    }
}

/// Evaluates the reports (`reports`, named `corpus`) against the truth. The reader resolves
/// place names with the theatre `theatre` asks for; its batch level is all the reports, as
/// `sitrep ingest --batch-theatre` reads them.
pub fn evaluate(
    gaz: &Gazetteer,
    corpus: &str,
    reports: impl BufRead,
    truth_name: &str,
    truth: impl BufRead,
    with_errors: bool,
    theatre: &TheatreChoice,
) -> Result<Report> {
    let mut report = Report { corpus: corpus.to_owned(), theatre: theatre.level(), ..Report::default() };
    let mut docs: Vec<ReportRecord> = Vec::new();
    for r in records::<ReportRecord>(corpus, reports, &mut report.skipped) {
        docs.push(r?);
    }
    docs.sort_by(|a, b| (a.date.as_deref().and_then(parse_date), &a.id).cmp(&(b.date.as_deref().and_then(parse_date), &b.id)));
    report.reports = docs.len();

    let mut truth_skipped = Vec::new();
    let mut raw_truth: Vec<TruthRecord> = Vec::new();
    for r in records::<TruthRecord>(truth_name, truth, &mut truth_skipped) {
        raw_truth.push(r?);
    }
    report.skipped.extend(truth_skipped.into_iter().map(|(n, e)| (n, format!("{truth_name}: {e}"))));

    // Ingest in date order into a temporary store, through the ingest pipeline that `sitrep
    // ingest` runs (intake, the reader, the one writer that rebuilds the timeline per batch),
    // so that the figures measure the timeline users get.
    let started = Instant::now();
    let reader = Reader::new(gaz).with_theatre(theatre.of_texts(gaz, docs.iter().map(|d| &d.text))?);
    let scratch = Scratch::new()?;
    let mut store = Store::open_sqlite(&scratch.0.join("control.db"))?;
    let documents: Vec<Result<Document, IntakeError>> = docs
        .into_iter()
        .map(|d| {
            let published = d.date.as_deref().and_then(parse_date);
            Ok(Document::from(ReadReport { id: d.id, title: d.title, published, source: d.source, url: d.url, text: d.text, ..ReadReport::default() }))
        })
        .collect();
    let items = prepare_all(&reader, &Intake::default(), documents);
    let mut prepared = Vec::with_capacity(items.len());
    for item in items {
        match item.prepared {
            Ok((p, _)) => prepared.push(p),
            Err(e) => report.skipped.push((0, e)),
        }
    }
    let mut control_claims = 0;
    for batch in prepared.chunks(BATCH) {
        for outcome in store.ingest_batch(batch)? {
            control_claims += outcome?.control_claims;
        }
    }
    let control_changes = store.control_changes(&ControlQuery::default())?;
    let (control_settlements, _) = store.control_counts()?;
    report.seconds = started.elapsed().as_secs_f64();
    drop(store);
    let read: Vec<ReadDoc> =
        prepared.into_iter().map(|p| ReadDoc { id: p.reading.id.clone(), date: p.reading.published, text: p.text, reading: p.reading }).collect();
    report.undated = read.iter().filter(|d| d.date.is_none()).count();

    let mut baseline = Timeline::new();
    for d in &read {
        for c in baseline_claims(&d.reading) {
            baseline.add(c);
        }
    }
    let baseline_timelines: Vec<SettlementTimeline> = baseline.settlements().collect();
    let baseline_changes: Vec<ControlChange> = baseline_timelines.iter().flat_map(ControlChange::of_timeline).collect();

    let towns = Towns::new(gaz);
    let texts: Vec<&str> = read.iter().map(|d| d.text.as_str()).collect();
    let keyed: Vec<(TruthRecord, PlaceKeys)> = raw_truth
        .into_iter()
        .map(|r| {
            let keys = PlaceKeys::new(
                &towns,
                r.meta.geonameid,
                LatLon::new(r.lat, r.lon),
                std::iter::once(r.place.as_str()).chain(r.meta.alt_names.iter().map(String::as_str)),
            );
            (r, keys)
        })
        .collect();
    let wanted: HashSet<String> = keyed.iter().flat_map(|(_, k)| k.spellings.iter().map(|(s, _)| s.clone())).collect();
    let names = NameIndex::new(texts.iter().copied(), &wanted);
    let truth: Vec<Truth> = keyed
        .into_iter()
        .filter_map(|(r, keys)| {
            let latest = parse_date(&r.date)?;
            let earliest = r.meta.date_earliest.as_deref().and_then(parse_date).unwrap_or(latest).min(latest);
            let to = side_of(&r.to_side)?;
            let flagged = r.meta.reverted_within_21d || r.meta.reverts_previous_within_21d;
            let used = keys.spellings.iter().any(|(k, _)| names.uses(k));
            let near = (earliest - Duration::days(SLACK_DAYS), latest + Duration::days(NEAR_DAYS_AFTER));
            let in_window = |d: usize| read[d].date.is_some_and(|x| x >= near.0 && x <= near.1);
            let named = used && !names.mentions(&texts, &keys, |_| true, false).is_empty();
            let named_near = named && !names.mentions(&texts, &keys, in_window, false).is_empty();
            let named_near_spelling = used && !names.mentions(&texts, &keys, in_window, true).is_empty();
            Some(Truth { record: r, earliest, latest, to, flagged, keys, named, named_near, named_near_spelling })
        })
        .collect();
    report.truth = (truth.len(), truth.iter().filter(|t| t.flagged).count());

    let universe = TruthUniverse::new(gaz, &truth);
    let baseline_claims_count = baseline_timelines.iter().map(|t| t.claims.len()).sum();
    for (name, changes, settlements, claims, detailed) in [
        ("baseline (events)", &baseline_changes, baseline_timelines.len(), baseline_claims_count, false),
        ("control statements (through the store)", &control_changes, usize::try_from(control_settlements).unwrap_or_default(), control_claims, with_errors),
    ] {
        let mut outcome = score(name, changes, &truth, &universe, detailed.then_some((&read[..], &names)));
        outcome.settlements = settlements;
        outcome.claims = claims;
        report.outcomes.push(outcome);
    }
    for least in CONFIDENCE_STEPS {
        let surer: Vec<ControlChange> = control_changes.iter().filter(|c| c.confidence >= least).cloned().collect();
        report.by_confidence.push((least, score("surer", &surer, &truth, &universe, None).strict));
    }
    Ok(report)
}

/// The baseline: the events the reader read before control statements, territory taken or
/// withdrawal at a town, with the side that held the ground before and after, as claims.
fn baseline_claims(reading: &Reading) -> Vec<ControlClaim> {
    reading
        .events
        .iter()
        .filter_map(|e| {
            let side = match e.event.event_type {
                EventType::TerritoryTaken => e.event.held_after,
                EventType::Withdrawal => e.event.held_before.map(Side::opponent),
                _ => None,
            }?;
            let place = e.place.as_ref().filter(|p| p.precision <= 2)?;
            let date = e.date.as_ref()?;
            Some(ControlClaim {
                place: Settlement { id: place.id.clone(), name: place.name.clone(), lat: place.lat, lon: place.lon },
                kind: ControlKind::Change,
                side: Some(side),
                earliest: date.from,
                latest: date.to,
                certainty: e.certainty,
                claimant: e.claimant.clone(),
                report: reading.id.clone(),
                published: reading.published,
                outlet: reading.source.clone(),
                start: e.event.start,
                end: e.event.end,
                evidence: e.text.clone(),
                area: false,
                within: Vec::new(),
            })
        })
        .collect()
}

/// A predicted change.
struct Predicted<'t> {
    change: &'t ControlChange,
    /// At a settlement the truth cannot hold.
    outside: bool,
}

impl Predicted<'_> {
    fn point(&self) -> LatLon {
        LatLon::new(self.change.place.lat, self.change.place.lon)
    }

    fn matches(&self, t: &Truth) -> bool {
        let (from, to) = (t.earliest - Duration::days(SLACK_DAYS), t.latest + Duration::days(SLACK_DAYS));
        self.change.to_side == t.to
            && self.change.date_earliest <= to
            && self.change.date_latest >= from
            && distance_km(self.point(), LatLon::new(t.record.lat, t.record.lon)) <= MATCH_KM
    }

    /// Days from the date the change had happened by to the truth's window.
    fn date_error(&self, t: &Truth) -> i64 {
        let d = self.change.date_latest;
        if d < t.earliest {
            (t.earliest - d).num_days()
        } else if d > t.latest {
            (d - t.latest).num_days()
        } else {
            0
        }
    }
}

/// The settlements the truth can hold: GeoNames places of [`TRUTH_LEAST_POPULATION`] or more
/// people, and any place a truth record names by its GeoNames id.
struct TruthUniverse {
    populous: HashSet<u32>,
    truth_ids: HashSet<i64>,
}

impl TruthUniverse {
    fn new(gaz: &Gazetteer, truth: &[Truth]) -> TruthUniverse {
        let populous = gaz.places().filter(|p| p.population() >= TRUTH_LEAST_POPULATION).filter_map(|p| p.geonameid()).collect();
        let truth_ids = truth.iter().filter_map(|t| t.record.meta.geonameid).collect();
        TruthUniverse { populous, truth_ids }
    }

    /// True when the truth could hold a change at the change's settlement.
    fn holds(&self, change: &ControlChange) -> bool {
        change.place.geonameid.is_some_and(|id| self.truth_ids.contains(&id) || u32::try_from(id).is_ok_and(|id| self.populous.contains(&id)))
    }
}

/// Scores one set of timelines, strict and on all records; with `detail`, lists the errors.
fn score(name: &str, changes: &[ControlChange], truth: &[Truth], universe: &TruthUniverse, detail: Option<(&[ReadDoc], &NameIndex)>) -> Outcome {
    let predicted: Vec<Predicted<'_>> = changes.iter().map(|change| Predicted { change, outside: !universe.holds(change) }).collect();
    // Candidate pairs by a coarse grid, so that matching is not quadratic.
    let mut grid: BTreeMap<(i32, i32), Vec<usize>> = BTreeMap::new();
    let cell = |lat: f64, lon: f64| ((lat * 10.0).floor() as i32, (lon * 10.0).floor() as i32);
    for (i, p) in predicted.iter().enumerate() {
        grid.entry(cell(p.change.place.lat, p.change.place.lon)).or_default().push(i);
    }
    let near = |t: &Truth| -> Vec<usize> {
        let (a, b) = cell(t.record.lat, t.record.lon);
        (a - 1..=a + 1).flat_map(|x| (b - 1..=b + 1).map(move |y| (x, y))).filter_map(|k| grid.get(&k)).flatten().copied().collect()
    };
    let mut outcome = Outcome { name: name.to_owned(), ..Outcome::default() };
    let mut matched_by: Vec<Vec<usize>> = vec![Vec::new(); predicted.len()];
    for (ti, t) in truth.iter().enumerate() {
        let hits: Vec<usize> = near(t).into_iter().filter(|&i| predicted[i].matches(t)).collect();
        for &i in &hits {
            matched_by[i].push(ti);
        }
        let best_error = hits.iter().map(|&i| predicted[i].date_error(t)).min();
        for (scores, counted) in [(&mut outcome.strict, !t.flagged), (&mut outcome.all, true)] {
            if !counted {
                continue;
            }
            scores.truth += 1;
            scores.named += usize::from(t.named);
            scores.named_near += usize::from(t.named_near);
            scores.named_near_spelling += usize::from(t.named_near_spelling);
            if let Some(e) = best_error {
                scores.found += 1;
                scores.named_found += usize::from(t.named);
                scores.named_near_found += usize::from(t.named_near);
                scores.named_near_spelling_found += usize::from(t.named_near_spelling);
                scores.date_errors.push(e);
            }
        }
    }
    for (p, m) in predicted.iter().zip(&matched_by) {
        if m.is_empty() && p.outside {
            outcome.all.outside += 1;
            outcome.strict.outside += 1;
            continue;
        }
        outcome.all.changes += 1;
        outcome.all.supported += usize::from(!m.is_empty());
        let only_flagged = !m.is_empty() && m.iter().all(|&ti| truth[ti].flagged);
        if !only_flagged {
            outcome.strict.changes += 1;
            outcome.strict.supported += usize::from(!m.is_empty());
            let entry = outcome.by_status.entry(p.change.status.clone()).or_insert((0, 0));
            entry.0 += usize::from(!m.is_empty());
            entry.1 += 1;
        }
    }
    if let Some((docs, names)) = detail {
        list_errors(&mut outcome, &predicted, &matched_by, truth, docs, names, &near);
    }
    outcome
}

/// The missed (named, strict) records and the unsupported changes, with evidence and classes.
fn list_errors(
    outcome: &mut Outcome,
    predicted: &[Predicted<'_>],
    matched_by: &[Vec<usize>],
    truth: &[Truth],
    docs: &[ReadDoc],
    names: &NameIndex,
    near: &dyn Fn(&Truth) -> Vec<usize>,
) {
    let found: HashSet<usize> = matched_by.iter().flatten().copied().collect();
    let class = |outcome: &mut Outcome, c: &str| *outcome.classes.entry(c.to_owned()).or_insert(0) += 1;
    for (ti, t) in truth.iter().enumerate() {
        if t.flagged || found.contains(&ti) || !t.named_near {
            continue;
        }
        let r = &t.record;
        let at_place: Vec<&Predicted<'_>> =
            near(t).into_iter().map(|i| &predicted[i]).filter(|p| distance_km(p.point(), LatLon::new(r.lat, r.lon)) <= MATCH_KM).collect();
        // What the reports say about the settlement around the truth's window.
        let window = (t.earliest - Duration::days(SLACK_DAYS + 1), t.latest + Duration::days(10));
        let statements: Vec<String> = docs
            .iter()
            .filter(|d| d.date.is_some_and(|x| x >= window.0 && x <= window.1))
            .flat_map(|d| d.reading.control.iter().map(move |s| (d, s)))
            .filter(|(_, s)| distance_km(LatLon::new(s.place.lat, s.place.lon), LatLon::new(r.lat, r.lon)) <= MATCH_KM)
            .map(|(d, s)| {
                format!(
                    "      {} {} {} {} ({}, {}{}): {}",
                    d.id,
                    s.kind.as_str(),
                    s.to_side.map_or("?", Side::code),
                    s.trigger,
                    s.statement.as_str(),
                    s.certainty.as_str(),
                    s.claimant.as_deref().map(|c| format!(", {c}")).unwrap_or_default(),
                    char_range(&d.text, s.start, s.end)
                )
            })
            .collect();
        let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
        let in_window = |d: usize| docs[d].date.is_some_and(|x| x >= window.0 && x <= window.1);
        let mentions: Vec<String> = names
            .mentions(&texts, &t.keys, in_window, false)
            .into_iter()
            .map(|(d, start, end)| format!("{}: {}", docs[d].id, &docs[d].text[start..end]))
            .collect();
        let same_side = at_place.iter().find(|p| p.change.to_side == t.to);
        let verdict = if let Some(p) = same_side {
            let when = if p.change.date_latest < t.earliest { "earlier" } else { "later" };
            format!("this change, dated {when}")
        } else if !at_place.is_empty() {
            "a change the other way".to_owned()
        } else if statements.iter().any(|s| s.contains(" change ") && s.contains("(event")) {
            "a change statement the timeline overruled".to_owned()
        } else if statements.iter().any(|s| s.contains(" change ")) {
            "a change statement that is not an event".to_owned()
        } else if !statements.is_empty() {
            "presence or fighting only".to_owned()
        } else if !mentions.is_empty() {
            "named in the window, no control statement".to_owned()
        } else {
            "not named in the window".to_owned()
        };
        class(outcome, &format!("missed: {verdict}"));
        let dated = same_side.map(|p| format!(" ({}..{})", p.change.date_earliest, p.change.date_latest)).unwrap_or_default();
        outcome.errors.push(format!("MISSED {} {} → {} in [{}, {}] ({}): {verdict}{dated}", r.place, r.from_side, r.to_side, t.earliest, t.latest, r.id));
        outcome.errors.extend(statements);
        outcome.errors.extend(mentions.into_iter().take(4).map(|m| format!("      mentioned: {m}")));
    }
    for (p, m) in predicted.iter().zip(matched_by) {
        if !m.is_empty() || p.outside {
            continue;
        }
        let place = &p.change.place;
        let here = LatLon::new(place.lat, place.lon);
        let truth_here: Vec<&Truth> = truth.iter().filter(|t| distance_km(here, LatLon::new(t.record.lat, t.record.lon)) <= MATCH_KM).collect();
        let c = p.change;
        let verdict = if truth_here.iter().any(|t| t.to == c.to_side) {
            "the truth has this change at another date"
        } else if !truth_here.is_empty() {
            "the truth has only changes the other way"
        } else if c.disputed {
            "no change here in the truth (disputed)"
        } else {
            "no change here in the truth"
        };
        let status = c.status.as_str();
        class(outcome, &format!("unsupported: {verdict}"));
        class(outcome, &format!("unsupported, by status: {status}"));
        outcome.errors.push(format!(
            "UNSUPPORTED {} ({}) {} → {} {}..{} {status}, confidence {:.2}, {} claimant(s): {verdict}{}",
            place.name,
            place.id,
            c.from_side.map_or("?", Side::code),
            c.to_side,
            c.date_earliest,
            c.date_latest,
            c.confidence,
            c.claimants,
            truth_here.iter().map(|t| format!("; truth {} → {} in [{}, {}]", t.record.from_side, t.record.to_side, t.earliest, t.latest)).collect::<String>()
        ));
        for source in c.sources.iter().take(4) {
            outcome.errors.push(format!(
                "      {} {} ({}{}): {}",
                source.report,
                source.kind,
                source.certainty,
                source.claimant.as_deref().map(|c| format!(", {c}")).unwrap_or_default(),
                source.evidence
            ));
        }
    }
}

/// The chars `start..end` of `text`.
fn char_range(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end.saturating_sub(start)).collect()
}

impl Report {
    /// The summary, as `sitrep eval control` prints it.
    pub fn summary(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{}: {} reports ({} without a date){}; truth: {} changes, {} of them flagged as reverted within 21 days",
            self.corpus,
            self.reports,
            self.undated,
            if self.skipped.is_empty() { String::new() } else { format!(", {} lines skipped", self.skipped.len()) },
            self.truth.0,
            self.truth.1
        );
        let _ = writeln!(s, "  theatre: {}", self.theatre);
        let _ = writeln!(s, "  reports read and control timeline built in {:.2} s", self.seconds);
        for o in &self.outcomes {
            let _ = writeln!(s, "  {} ({} claims, {} settlements):", o.name, o.claims, o.settlements);
            let _ = writeln!(s, "    strict: {}", o.strict.line());
            let _ = writeln!(s, "    all:    {}", o.all.line());
            let by_status: Vec<String> = o.by_status.iter().map(|(k, (a, b))| format!("{k} {a}/{b}")).collect();
            let _ = writeln!(s, "    strict precision by status: {}", by_status.join(", "));
        }
        let steps: Vec<String> = self
            .by_confidence
            .iter()
            .map(|(least, o)| {
                format!(
                    "≥ {least:.1}: recall named near {:.3} ({}/{}), precision {:.3} ({}/{})",
                    o.recall_named_near(),
                    o.named_near_found,
                    o.named_near,
                    o.precision(),
                    o.supported,
                    o.changes
                )
            })
            .collect();
        if !steps.is_empty() {
            let _ = writeln!(s, "  control statements, strict, changes of a least confidence: {}", steps.join("; "));
        }
        s
    }

    /// The error classes with counts, then the error list (of the control statements).
    pub fn error_report(&self) -> String {
        let mut s = String::new();
        if let Some(o) = self.outcomes.last() {
            let _ = writeln!(s, "error classes ({}, strict; missed: settlements named near the change only):", o.name);
            for (c, n) in &o.classes {
                let _ = writeln!(s, "  {n:>5}  {c}");
            }
            s += &crate::corpus::skipped_and_errors(&self.skipped, &o.errors);
        }
        s
    }
}

/// [`evaluate`] on two files.
pub fn evaluate_files(gaz: &Gazetteer, reports: &Path, truth: &Path, with_errors: bool, theatre: &TheatreChoice) -> Result<Report> {
    let open = |path: &Path| -> Result<BufReader<File>> { Ok(BufReader::new(File::open(path).with_context(|| format!("cannot open {}", path.display()))?)) };
    let name = |path: &Path| path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    evaluate(gaz, &name(reports), open(reports)?, &name(truth), open(truth)?, with_errors, theatre)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_ratios() {
        let s = Scores {
            truth: 4,
            found: 3,
            named: 2,
            named_found: 1,
            named_near: 2,
            named_near_found: 1,
            named_near_spelling: 3,
            named_near_spelling_found: 1,
            changes: 0,
            supported: 0,
            outside: 0,
            date_errors: vec![3, 0, 1, 5],
        };
        assert_eq!(s.median_date_error(), Some(2.0));
        assert_eq!(s.precision(), 0.0, "no changes: no division by zero");
        assert_eq!(s.recall(), 0.75);
        assert_eq!(Scores::default().median_date_error(), None);
    }
}
