//! The control timeline in the store: every report's control claims in `control_claims`, and
//! per settlement the states and changes its claims give ([`SettlementTimeline::build`]) in
//! `control_states` and `control_changes`.
//!
//! The ingest pipeline writes a report's claims with its other rows ([`insert_claims`]), and
//! at the end of each batch brings up to date the timeline of every settlement the batch
//! brought claims about ([`update`]): a settlement whose new claims can change nothing (only
//! fighting on days its stored claims already mark, [`ControlClaim::effect`], which
//! `control_fighting` lists) keeps its stored timeline, which such claims leave as it was; any
//! other is rebuilt from all of its claims: those the writer kept with the timeline it last
//! wrote of it and the batch's, when the store holds no others ([`Kept`]), else all those
//! stored; and only the rows that differ from the stored ones are written. A timeline is a
//! pure function of the set of its claims, so the same reports ingested in any order, in any
//! batches, by any writers, give the same stored timeline; a late report about an earlier date
//! revises it.
//!
//! Queries: the state of every settlement in an area on a day, each with its last change
//! ([`Store::control_states`]), and the changes in a window ([`Store::control_changes`]), each
//! change with its sources (report, claimant, certainty, evidence sentence and its offsets)
//! and the claims that dispute it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sitrep_gazetteer::{distance_km, Gazetteer, LatLon};
use sitrep_read::{control::ControlKind, modality::Certainty, Side};

use crate::{
    control::{ControlClaim, ControlState, Effect, Settlement, SettlementTimeline},
    db::{Cell, Db, Dialect, Param, Row},
    filter::{parse_day, EventFilter, FilterError},
    write::{copy_rows, fnv1a, insert_rows, insert_rows_sharing},
    Store, StoreError,
};

/// Filters for the control queries; every field narrows, none is required.
#[derive(Debug, Clone, Default)]
pub struct ControlQuery {
    /// `[min_lat, min_lon, max_lat, max_lon]`.
    pub bbox: Option<[f64; 4]>,
    /// A point and a radius in km.
    pub near: Option<(LatLon, f64)>,
    /// The day of the states ([`Store::control_states`]); none: the latest state.
    pub as_of: Option<NaiveDate>,
    /// Changes that may have happened on or after this day ([`Store::control_changes`]).
    pub from: Option<NaiveDate>,
    /// Changes that may have happened on or before this day.
    pub to: Option<NaiveDate>,
}

/// The control filters as written (command line or query string), every one optional; checked
/// by the one filter parser ([`crate::filter`]), so they take the same forms and give the same
/// errors as the event filters.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ControlFilter {
    /// A place name: settlements within `radius_km` of it.
    pub near: Option<String>,
    /// Radius for `near`, km (default [`crate::filter::DEFAULT_RADIUS_KM`]).
    pub radius_km: Option<String>,
    /// A box, `min_lat,min_lon,max_lat,max_lon`.
    pub bbox: Option<String>,
    /// The day of the states, `YYYY-MM-DD`.
    pub as_of: Option<String>,
    /// Changes that may have happened on or after this day.
    pub from: Option<String>,
    /// Changes that may have happened on or before this day.
    pub to: Option<String>,
}

impl ControlFilter {
    /// Checks every filter and resolves `near` in the gazetteer.
    pub fn resolve(&self, gaz: &Gazetteer) -> Result<ControlQuery, FilterError> {
        let area = EventFilter {
            near: self.near.clone(),
            radius_km: self.radius_km.clone(),
            bbox: self.bbox.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            ..EventFilter::default()
        }
        .resolve(gaz)?;
        let as_of = self.as_of.as_deref().map(|v| parse_day("as_of", v)).transpose()?;
        Ok(ControlQuery { bbox: area.bbox, near: area.near, as_of, from: area.from, to: area.to })
    }
}

/// A settlement as the control answers name it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlPlace {
    /// Gazetteer id ("geonames:706200", "sitrep:...").
    pub id: String,
    /// The GeoNames id, when the settlement is a GeoNames entry.
    pub geonameid: Option<i64>,
    /// Name.
    pub name: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

impl ControlPlace {
    fn new(id: String, name: String, lat: f64, lon: f64) -> ControlPlace {
        let geonameid = id.strip_prefix("geonames:").and_then(|n| n.parse().ok());
        ControlPlace { id, geonameid, name, lat: crate::export::coordinate(lat), lon: crate::export::coordinate(lon) }
    }

    /// The settlement of a timeline, as the answers name it.
    fn of(p: &Settlement) -> ControlPlace {
        ControlPlace::new(p.id.clone(), p.name.clone(), p.lat, p.lon)
    }
}

/// One claim behind (or against) a change: which report, who, how sure, and the sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlSource {
    /// The report's document id.
    pub report: String,
    /// The report's publication day.
    pub published: Option<NaiveDate>,
    /// Who says so; `None` for the report's own voice.
    pub claimant: Option<String>,
    /// How sure ("asserted", ..., "denied").
    pub certainty: String,
    /// "change", "presence" or "contested".
    pub kind: String,
    /// Start of the evidence sentence in the report's text (Unicode scalar values).
    pub start: usize,
    /// End of the evidence sentence (exclusive).
    pub end: usize,
    /// The evidence sentence.
    pub evidence: String,
}

impl ControlSource {
    fn of(c: &ControlClaim) -> ControlSource {
        ControlSource {
            report: c.report.clone(),
            published: c.published,
            claimant: c.claimant.clone(),
            certainty: c.certainty.as_str().to_owned(),
            kind: c.kind.as_str().to_owned(),
            start: c.start,
            end: c.end,
            evidence: c.evidence.clone(),
        }
    }
}

/// A stored change of hands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlChange {
    /// The settlement.
    pub place: ControlPlace,
    /// The side that held it before, when known.
    pub from_side: Option<Side>,
    /// The side that took it.
    pub to_side: Side,
    /// The first day it may have happened.
    pub date_earliest: NaiveDate,
    /// The day it had happened by.
    pub date_latest: NaiveDate,
    /// The first report date among its sources.
    pub first_reported: Option<NaiveDate>,
    /// The last report date among them.
    pub last_reported: Option<NaiveDate>,
    /// How many independent voices support it.
    pub claimants: i64,
    /// The surest certainty among its sources.
    pub status: String,
    /// 0..1: how likely the change is, given its support and disputes.
    pub confidence: f64,
    /// True when claims dispute it.
    pub disputed: bool,
    /// The claims that support it.
    pub sources: Vec<ControlSource>,
    /// The claims that dispute it.
    pub disputed_by: Vec<ControlSource>,
}

impl ControlChange {
    /// The changes of a timeline, each with its sources: what the store keeps of them.
    pub fn of_timeline(t: &SettlementTimeline) -> Vec<ControlChange> {
        let sources = |indexes: &[usize]| -> Vec<ControlSource> { indexes.iter().filter_map(|&i| t.claims.get(i)).map(ControlSource::of).collect() };
        t.changes
            .iter()
            .map(|c| ControlChange {
                place: ControlPlace::of(&t.place),
                from_side: c.from_side,
                to_side: c.to_side,
                date_earliest: c.date_earliest,
                date_latest: c.date_latest,
                first_reported: c.first_reported,
                last_reported: c.last_reported,
                claimants: c.claimants as i64,
                status: c.status.as_str().to_owned(),
                confidence: c.confidence,
                disputed: c.disputed,
                sources: sources(&c.supporting),
                disputed_by: sources(&c.disputing),
            })
            .collect()
    }
}

/// The index of the last of `changes` (a timeline's, in order) by the first day of a span
/// starting on `from` (none: since before any claim).
fn last_change_by(changes: &[ControlChange], from: Option<NaiveDate>) -> Option<usize> {
    let from = from?;
    changes.iter().rposition(|c| c.date_earliest <= from)
}

/// A settlement's control on a day, with the last change by then.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlStateAt {
    /// The settlement.
    pub place: ControlPlace,
    /// UA, RU or contested.
    pub state: ControlState,
    /// Who holds it (while contested: the last known holder).
    pub holder: Option<Side>,
    /// The first day of the state; `None`: since before any claim.
    pub since: Option<NaiveDate>,
    /// The day the next state starts; `None`: still so.
    pub until: Option<NaiveDate>,
    /// True when claims within the state contradict it.
    pub disputed: bool,
    /// The last change on or before the day.
    pub last_change: Option<ControlChange>,
}

impl ControlStateAt {
    /// Every span of a timeline, each with the last change by its first day (`changes` are
    /// the timeline's own, [`ControlChange::of_timeline`]): the rows the store keeps in
    /// `control_states`, and what a timeline built in memory answers with.
    pub fn spans_of(t: &SettlementTimeline, changes: &[ControlChange]) -> Vec<ControlStateAt> {
        // Changes open only where held spans start (a change's window runs from a day up to its
        // span's first to the day its claims vouch for it), so the last change by any day of a
        // span is the last one opened by its first day.
        t.states
            .iter()
            .map(|s| ControlStateAt {
                place: ControlPlace::of(&t.place),
                state: s.state,
                holder: s.holder,
                since: s.from,
                until: s.until,
                disputed: s.disputed,
                last_change: last_change_by(changes, s.from).map(|k| changes[k].clone()),
            })
            .collect()
    }

    /// True when this is the settlement's known state on `as_of` (none: its latest state), as
    /// [`Store::control_states`] selects them.
    pub fn holds_on(&self, as_of: Option<NaiveDate>) -> bool {
        self.state != ControlState::Unknown
            && match as_of {
                Some(d) => self.since.is_none_or(|f| f <= d) && self.until.is_none_or(|u| u > d),
                None => self.until.is_none(),
            }
    }
}

/// Writes control claims, each with the id of its report (already inserted): a settlement's
/// in `control_claims`, with the areas it lies in (`control_within`), an area's in
/// `control_area_claims`.
pub(crate) fn insert_claims(db: &mut dyn Db, claims: &[(i64, &ControlClaim)]) -> Result<(), StoreError> {
    let (areas, own): (Vec<_>, Vec<_>) = claims.iter().copied().partition(|(_, c)| c.area);
    insert_claim_rows(db, "control_claims", &own)?;
    insert_claim_rows(db, "control_area_claims", &areas)?;
    let within: BTreeSet<(&str, &str)> = own.iter().flat_map(|(_, c)| c.within.iter().map(|a| (c.place.id.as_str(), a.as_str()))).collect();
    let rows: Vec<[Param<'_>; 2]> = within.iter().map(|&(p, a)| [Param::Text(p), Param::Text(a)]).collect();
    insert_rows(db, "INSERT INTO control_within (place_id, area_id) VALUES", &rows, " ON CONFLICT DO NOTHING")?;
    Ok(())
}

fn insert_claim_rows(db: &mut dyn Db, table: &str, claims: &[(i64, &ControlClaim)]) -> Result<(), StoreError> {
    let texts: Vec<[String; 2]> = claims.iter().map(|(_, c)| [c.earliest.to_string(), c.latest.to_string()]).collect();
    let rows: Vec<[Param<'_>; 14]> = claims
        .iter()
        .zip(&texts)
        .map(|(&(report_id, c), [earliest, latest])| {
            [
                Param::Int(report_id),
                Param::Text(&c.place.id),
                Param::Text(&c.place.name),
                Param::Real(c.place.lat),
                Param::Real(c.place.lon),
                Param::Text(c.kind.as_str()),
                c.side.map(Side::code).into(),
                Param::Text(earliest),
                Param::Text(latest),
                Param::Text(c.certainty.as_str()),
                c.claimant.as_deref().into(),
                Param::Int(c.start as i64),
                Param::Int(c.end as i64),
                Param::Text(&c.evidence),
            ]
        })
        .collect();
    copy_rows(
        db,
        table,
        "report_id, place_id, place_name, lat, lon, kind, side, date_earliest, date_latest, certainty, claimant, start_offset, end_offset, evidence",
        &rows,
    )
}

/// Every stored claim about `place_id`, with its report's id, date and outlet; with `areas`,
/// the claims about the areas it lies in too (marked [`ControlClaim::area`]). A store migrated
/// from before area claims rebuilds its timelines without them (there are none yet).
fn stored_claims(db: &mut dyn Db, place_id: &str, areas: Areas) -> Result<Vec<ControlClaim>, StoreError> {
    const COLUMNS: &str = "c.place_id, c.place_name, c.lat, c.lon, c.kind, c.side, c.date_earliest, c.date_latest, c.certainty, c.claimant,
                r.doc_id, r.published, r.source, c.start_offset, c.end_offset, c.evidence";
    let rows =
        db.query(&format!("SELECT {COLUMNS} FROM control_claims c JOIN reports r ON r.id = c.report_id WHERE c.place_id = $1"), &[Param::Text(place_id)])?;
    let mut claims = rows.iter().map(claim_of).collect::<Result<Vec<_>, _>>()?;
    if areas == Areas::Included {
        let rows = db.query(
            &format!(
                "SELECT {COLUMNS} FROM control_area_claims c JOIN reports r ON r.id = c.report_id
                 WHERE c.place_id IN (SELECT area_id FROM control_within WHERE place_id = $1)"
            ),
            &[Param::Text(place_id)],
        )?;
        for r in &rows {
            claims.push(ControlClaim { area: true, ..claim_of(r)? });
        }
    }
    Ok(claims)
}

/// Whether a rebuild takes in the claims of the areas a settlement lies in: not while a store
/// is migrated from before they had tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Areas {
    Included,
    NotYetStored,
}

fn day(cell: &crate::db::Cell) -> Option<NaiveDate> {
    cell.opt_text().and_then(|t| t.parse().ok())
}

fn claim_of(r: &Row) -> Result<ControlClaim, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("a control claim about {} has {what}", r[0].text()));
    Ok(ControlClaim {
        place: Settlement { id: r[0].text(), name: r[1].text(), lat: r[2].opt_real().unwrap_or_default(), lon: r[3].opt_real().unwrap_or_default() },
        kind: ControlKind::parse(&r[4].text()).ok_or_else(|| corrupt("an unknown kind"))?,
        side: r[5].opt_text().as_deref().and_then(Side::from_code),
        earliest: day(&r[6]).ok_or_else(|| corrupt("no first day"))?,
        latest: day(&r[7]).ok_or_else(|| corrupt("no last day"))?,
        certainty: Certainty::parse(&r[8].text()).ok_or_else(|| corrupt("an unknown certainty"))?,
        claimant: r[9].opt_text(),
        report: r[10].text(),
        published: day(&r[11]),
        outlet: r[12].opt_text(),
        start: usize::try_from(r[13].int()).unwrap_or_default(),
        end: usize::try_from(r[14].int()).unwrap_or_default(),
        evidence: r[15].text(),
        area: false,
        within: Vec::new(),
    })
}

/// The lock a PostgreSQL writer takes on a settlement's timeline before rebuilding it, so that
/// two writers rebuild it one after the other, the second from the first's claims too ("tl" in
/// the high bits, apart from the merge locks, [`crate::grid::merge_locks`]).
fn timeline_lock(place_id: &str) -> i64 {
    (0x746c << 48) | (fnv1a([place_id.as_bytes()]) & 0xffff_ffff_ffff) as i64
}

/// Brings the stored timeline of every settlement `batch` brought claims about (the claims
/// of the reports stored, already inserted, by settlement id) up to date: kept when the
/// batch's claims about it change nothing ([`unchanged_by`]), else rebuilt from all of its
/// claims ([`rebuild_kept`]).
pub(crate) fn update(db: &mut dyn Db, kept: &mut Kept, batch: &BTreeMap<String, Vec<ControlClaim>>) -> Result<(), StoreError> {
    // An area's claims reach every settlement stored within it: those are rebuilt.
    let mut reached: BTreeSet<String> = BTreeSet::new();
    for (id, _) in batch.iter().filter(|(_, claims)| claims.iter().any(|c| c.area)) {
        reached.extend(db.query("SELECT place_id FROM control_within WHERE area_id = $1", &[Param::Text(id)])?.iter().map(|r| r[0].text()));
    }
    let own: BTreeMap<&String, Vec<ControlClaim>> =
        batch.iter().map(|(id, claims)| (id, claims.iter().filter(|c| !c.area).cloned().collect::<Vec<_>>())).filter(|(_, c)| !c.is_empty()).collect();
    // Taken after the batch's merge locks and in ascending order: writers cannot deadlock.
    let places: BTreeSet<&String> = own.keys().copied().chain(&reached).collect();
    db.lock(&places.iter().map(|p| timeline_lock(p)).collect::<Vec<_>>())?;
    for id in places {
        let new = own.get(id).map_or(&[][..], Vec::as_slice);
        let rebuilt = match own.get(id) {
            Some(claims) => {
                let new_days = record_fighting(db, id, claims)?;
                new_days || reached.contains(id) || !unchanged_by(db, id, claims)?
            }
            None => true,
        };
        if rebuilt {
            rebuild_kept(db, kept, id, new, reached.contains(id))?;
        } else {
            // The stored timeline stays as it is, which these claims leave as it was.
            kept.add(id, new);
        }
    }
    Ok(())
}

/// Adds the days `claims` say `place_id` is fought over to `control_fighting` (every such day
/// of its stored claims); true when one was not there before.
fn record_fighting(db: &mut dyn Db, place_id: &str, claims: &[ControlClaim]) -> Result<bool, StoreError> {
    let days: BTreeSet<String> = claims
        .iter()
        .filter_map(|c| match c.effect() {
            Effect::FoughtOn(day) => Some(day.to_string()),
            Effect::Nothing | Effect::Anything => None,
        })
        .collect();
    let rows: Vec<[Param<'_>; 2]> = days.iter().map(|d| [Param::Text(place_id), Param::Text(d)]).collect();
    Ok(!insert_rows(db, "INSERT INTO control_fighting (place_id, day) VALUES", &rows, " ON CONFLICT DO NOTHING RETURNING day")?.is_empty())
}

/// True when `batch` (claims about `place_id` from the batch being written) can leave its
/// stored timeline as it is, given that they mark no new day of fighting ([`record_fighting`]):
/// it has a stored timeline, which names the settlement as these claims do, and each of them
/// changes nothing but the days fought over ([`ControlClaim::effect`]).
fn unchanged_by(db: &mut dyn Db, place_id: &str, batch: &[ControlClaim]) -> Result<bool, StoreError> {
    if batch.iter().any(|c| c.effect() == Effect::Anything) {
        return Ok(false);
    }
    let named = db.query("SELECT name, lat, lon FROM control_states WHERE place_id = $1 AND seq = 0", &[Param::Text(place_id)])?;
    let Some(named) = named.first() else { return Ok(false) };
    Ok(batch.iter().all(|c| c.place.name == named[0].text() && Some(c.place.lat) == named[1].opt_real() && Some(c.place.lon) == named[2].opt_real()))
}

/// Rebuilds the stored timeline of `place_id` from all of its stored claims.
fn rebuild(db: &mut dyn Db, id: &str, areas: Areas) -> Result<(), StoreError> {
    let claims = stored_claims(db, id, areas)?;
    let Some(t) = timeline_of(claims) else { return clear(db, id) };
    write_timeline(db, &t, &ControlChange::of_timeline(&t), None)
}

/// The timeline of a settlement's claims; none without a claim of its own.
fn timeline_of(claims: Vec<ControlClaim>) -> Option<SettlementTimeline> {
    // Every claim names the settlement alike (the gazetteer's entry); take the least, so
    // that the order claims were stored in never shows.
    let place = claims
        .iter()
        .filter(|c| !c.area)
        .map(|c| &c.place)
        .min_by(|a, b| a.name.cmp(&b.name).then(a.lat.total_cmp(&b.lat)).then(a.lon.total_cmp(&b.lon)))
        .cloned()?;
    Some(SettlementTimeline::build(place, claims))
}

/// Deletes the stored timeline of `place_id`.
fn clear(db: &mut dyn Db, id: &str) -> Result<(), StoreError> {
    db.execute("DELETE FROM control_states WHERE place_id = $1", &[Param::Text(id)])?;
    db.execute("DELETE FROM control_changes WHERE place_id = $1", &[Param::Text(id)])?;
    Ok(())
}

/// The most claims [`Kept`] holds; past it, it starts again empty.
const KEPT_CLAIMS: usize = 200_000;

/// The timelines a store's writer last wrote, each with the claims it was built from, so
/// that the next batch with claims about a settlement reads none of its stored claims again
/// and writes only the rows of its timeline that change: without it, every batch read all
/// the claims of every settlement it brought claims about and wrote all of its timeline
/// again, a cost that grew with the store (a busy settlement's hundreds of claims each batch).
/// A kept timeline is used only when the store holds just the claims it was built from and
/// the batch's own ones (counted: claims are never deleted), so a claim another writer
/// stored meanwhile, or an area claim reaching the settlement, has it read from the store
/// again. Emptied when a batch is rolled back.
#[derive(Debug, Default)]
pub(crate) struct Kept {
    places: HashMap<String, KeptTimeline>,
    claims: usize,
}

/// One settlement's timeline as stored, and the claims it was built from.
#[derive(Debug)]
struct KeptTimeline {
    /// The settlement's claims in the store, repeats counted.
    stored: i64,
    /// Its claims (repeats left out; no area's claims reach it).
    claims: Vec<ControlClaim>,
    /// The settlement, as its rows name it.
    place: Settlement,
    /// Its states as stored.
    states: Vec<KeptState>,
    /// Its changes as stored.
    changes: Vec<ControlChange>,
}

/// What `control_states` keeps of a state besides its last change: state, holder, first day,
/// the next state's first day, disputed.
type KeptState = (ControlState, Option<Side>, Option<NaiveDate>, Option<NaiveDate>, bool);

fn kept_state(s: &crate::control::StateSpan) -> KeptState {
    (s.state, s.holder, s.from, s.until, s.disputed)
}

/// A claim of a batch as it reads back from the store.
fn as_stored(c: &ControlClaim) -> ControlClaim {
    ControlClaim { within: Vec::new(), ..c.clone() }
}

impl Kept {
    /// Forgets every timeline.
    pub(crate) fn clear(&mut self) {
        self.places.clear();
        self.claims = 0;
    }

    /// Claims stored about `id` that leave its timeline as it is.
    fn add(&mut self, id: &str, claims: &[ControlClaim]) {
        if let Some(k) = self.places.get_mut(id) {
            k.stored += claims.len() as i64;
            k.claims.extend(claims.iter().map(as_stored));
            self.claims += claims.len();
        }
    }

    /// Keeps the timeline just written for `id`.
    fn keep(&mut self, id: &str, k: KeptTimeline) {
        if self.claims + k.claims.len() > KEPT_CLAIMS {
            self.clear();
        }
        self.claims += k.claims.len();
        self.places.insert(id.to_owned(), k);
    }
}

/// Rebuilds the stored timeline of `id`, whose claims `new` the batch has just stored (and
/// `reached`: claims about an area it lies in), from the timeline kept of it when the store
/// holds no other claims it does not know of, else from all of its stored claims.
fn rebuild_kept(db: &mut dyn Db, kept: &mut Kept, id: &str, new: &[ControlClaim], reached: bool) -> Result<(), StoreError> {
    let counts = db.query(
        "SELECT (SELECT count(*) FROM control_claims WHERE place_id = $1),
                (SELECT count(*) FROM control_area_claims WHERE place_id IN (SELECT area_id FROM control_within WHERE place_id = $1))",
        &[Param::Text(id)],
    )?;
    let (stored, areas) = counts.first().map_or((0, 0), |r| (r[0].int(), r[1].int()));
    let previous = kept.places.remove(id);
    kept.claims -= previous.as_ref().map_or(0, |k| k.claims.len());
    let previous = previous.filter(|k| !reached && areas == 0 && k.stored + new.len() as i64 == stored);
    let (claims, previous) = match previous {
        Some(mut k) => {
            k.claims.extend(new.iter().map(as_stored));
            (std::mem::take(&mut k.claims), Some(k))
        }
        None => (stored_claims(db, id, Areas::Included)?, None),
    };
    let Some(mut t) = timeline_of(claims) else { return clear(db, id) };
    let changes = ControlChange::of_timeline(&t);
    write_timeline(db, &t, &changes, previous.as_ref())?;
    if areas == 0 {
        let states = t.states.iter().map(kept_state).collect();
        kept.keep(id, KeptTimeline { stored, claims: std::mem::take(&mut t.claims), place: t.place, states, changes });
    }
    Ok(())
}

/// Rebuilds the stored timeline of every settlement with claims (a step of
/// [`crate::schema::migrate`]).
pub(crate) fn rebuild_all(db: &mut dyn Db, areas: Areas) -> Result<(), StoreError> {
    let places: BTreeSet<String> = db.query("SELECT DISTINCT place_id FROM control_claims", &[])?.iter().map(|r| r[0].text()).collect();
    db.lock(&places.iter().map(|p| timeline_lock(p)).collect::<Vec<_>>())?;
    for id in &places {
        rebuild(db, id, areas)?;
    }
    Ok(())
}

/// Writes the rows of timeline `t` (with its `changes`, [`ControlChange::of_timeline`]):
/// those that differ from `previous`, the timeline stored, when it is known, else all.
fn write_timeline(db: &mut dyn Db, t: &SettlementTimeline, changes: &[ControlChange], previous: Option<&KeptTimeline>) -> Result<(), StoreError> {
    let p = &t.place;
    let previous = previous.filter(|k| k.place == *p);
    // The rows that differ from those stored, by seq; rows past the new ones' end go.
    let change_rows: Vec<usize> = (0..changes.len()).filter(|&i| previous.is_none_or(|k| k.changes.get(i) != Some(&changes[i]))).collect();
    let state_rows: Vec<usize> = (0..t.states.len())
        .filter(|&i| {
            let s = &t.states[i];
            // A state names its last change by seq: it is written again when that seq moves,
            // not when the change's row does.
            previous.is_none_or(|k| k.states.get(i) != Some(&kept_state(s)) || last_change_by(&k.changes, s.from) != last_change_by(changes, s.from))
        })
        .collect();
    match previous {
        None => clear(db, &p.id)?,
        Some(k) => {
            for (table, rows, len, old_len) in
                [("control_states", &state_rows, t.states.len(), k.states.len()), ("control_changes", &change_rows, changes.len(), k.changes.len())]
            {
                for &i in rows.iter().filter(|&&i| i < old_len) {
                    db.execute(&format!("DELETE FROM {table} WHERE place_id = $1 AND seq = $2"), &[Param::Text(&p.id), Param::Int(i as i64)])?;
                }
                if old_len > len {
                    db.execute(&format!("DELETE FROM {table} WHERE place_id = $1 AND seq >= $2"), &[Param::Text(&p.id), Param::Int(len as i64)])?;
                }
            }
        }
    }
    let texts: Vec<[Option<String>; 2]> =
        state_rows.iter().map(|&i| &t.states[i]).map(|s| [s.from.map(|d| d.to_string()), s.until.map(|d| d.to_string())]).collect();
    // A state's own columns: seq, state, holder, first day, the next state's first day,
    // disputed, and the seq of its last change (the last opened by its first day).
    let own: Vec<[Param<'_>; 7]> = state_rows
        .iter()
        .zip(&texts)
        .map(|(&i, [from, until])| {
            let s = &t.states[i];
            [
                Param::Int(i as i64),
                Param::Text(s.state.as_str()),
                s.holder.map(Side::code).into(),
                from.as_deref().into(),
                until.as_deref().into(),
                Param::Bool(s.disputed),
                last_change_by(changes, s.from).map(|k| k as i64).into(),
            ]
        })
        .collect();
    match db.dialect() {
        Dialect::Postgres => {
            let states: Vec<[Param<'_>; 11]> = own
                .iter()
                .map(|&[seq, state, holder, from, until, disputed, last]| {
                    [Param::Text(&p.id), seq, Param::Text(&p.name), Param::Real(p.lat), Param::Real(p.lon), state, holder, from, until, disputed, last]
                })
                .collect();
            copy_rows(db, "control_states", "place_id, seq, name, lat, lon, state, holder, date_from, date_until, disputed, last_change_seq", &states)?;
        }
        Dialect::Sqlite => {
            // The settlement's columns are bound once for all its states.
            let shared = [Param::Text(&p.id), Param::Text(&p.name), Param::Real(p.lat), Param::Real(p.lon)];
            insert_rows_sharing(db, STATES_SHARING, &shared, &own, ")")?;
        }
    }
    let texts: Vec<[Option<String>; 6]> = change_rows
        .iter()
        .map(|&i| {
            let c = &changes[i];
            Ok([
                Some(c.date_earliest.to_string()),
                Some(c.date_latest.to_string()),
                c.first_reported.map(|d| d.to_string()),
                c.last_reported.map(|d| d.to_string()),
                Some(serde_json::to_string(&c.sources)?),
                Some(serde_json::to_string(&c.disputed_by)?),
            ])
        })
        .collect::<Result<_, StoreError>>()?;
    let rows: Vec<[Param<'_>; 17]> = change_rows
        .iter()
        .zip(&texts)
        .map(|(&i, [earliest, latest, first, last, supporting, disputing])| {
            let c = &changes[i];
            [
                Param::Text(&p.id),
                Param::Int(i as i64),
                Param::Text(&p.name),
                Param::Real(p.lat),
                Param::Real(p.lon),
                c.from_side.map(Side::code).into(),
                Param::Text(c.to_side.code()),
                earliest.as_deref().into(),
                latest.as_deref().into(),
                first.as_deref().into(),
                last.as_deref().into(),
                Param::Int(c.claimants),
                Param::Text(&c.status),
                Param::Real(c.confidence),
                Param::Bool(c.disputed),
                supporting.as_deref().into(),
                disputing.as_deref().into(),
            ]
        })
        .collect();
    copy_rows(
        db,
        "control_changes",
        "place_id, seq, name, lat, lon, from_side, to_side, date_earliest, date_latest, first_reported, last_reported, claimants, status, confidence, disputed, sources, disputed_by",
        &rows,
    )?;
    Ok(())
}

/// SQLite's insert of a settlement's states ([`write_timeline`]): the settlement is bound once
/// (`$1` to `$4`), each state's own columns follow as `VALUES` rows.
const STATES_SHARING: &str =
    "INSERT OR FAIL INTO control_states (place_id, seq, name, lat, lon, state, holder, date_from, date_until, disputed, last_change_seq)
     SELECT $1, column1, $2, $3, $4, column2, column3, column4, column5, column6, column7 FROM (VALUES";

/// The SQL conditions and arguments of an area (a box, a circle's box), on the columns `lat`
/// and `lon` of `table` (an alias, or "" for the one table read).
fn area_clauses<'a>(q: &ControlQuery, table: &str, sql: &mut String, args: &mut Vec<Param<'a>>) {
    let mut bounds: Vec<(&str, &str, f64)> = Vec::new();
    if let Some([a, b, c, d]) = q.bbox {
        bounds.extend([("lat", ">=", a), ("lon", ">=", b), ("lat", "<=", c), ("lon", "<=", d)]);
    }
    if let Some((p, km)) = q.near {
        let dlat = km / 111.0;
        let dlon = km / (111.0 * p.lat.to_radians().cos().max(0.01));
        bounds.extend([("lat", ">=", p.lat - dlat), ("lat", "<=", p.lat + dlat), ("lon", ">=", p.lon - dlon), ("lon", "<=", p.lon + dlon)]);
    }
    let prefix = if table.is_empty() { String::new() } else { format!("{table}.") };
    for (column, op, v) in bounds {
        args.push(Param::Real(v));
        sql.push_str(&format!(" AND {prefix}{column} {op} ${}", args.len()));
    }
}

/// True when a point in the box passes the circle's great-circle refinement.
fn within(q: &ControlQuery, lat: f64, lon: f64) -> bool {
    q.near.is_none_or(|(p, km)| distance_km(p, LatLon::new(lat, lon)) <= km)
}

const CHANGE_COLUMNS: &str = "place_id, name, lat, lon, from_side, to_side, date_earliest, date_latest, first_reported, last_reported, claimants, status, confidence, disputed, sources, disputed_by";

/// A change read from [`CHANGE_COLUMNS`], in that order, at the start of `r`.
fn change_of(r: &[Cell]) -> Result<ControlChange, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("a control change at {} has {what}", r[0].text()));
    Ok(ControlChange {
        place: ControlPlace::new(r[0].text(), r[1].text(), r[2].opt_real().unwrap_or_default(), r[3].opt_real().unwrap_or_default()),
        from_side: r[4].opt_text().as_deref().and_then(Side::from_code),
        to_side: Side::from_code(&r[5].text()).ok_or_else(|| corrupt("no side"))?,
        date_earliest: day(&r[6]).ok_or_else(|| corrupt("no first day"))?,
        date_latest: day(&r[7]).ok_or_else(|| corrupt("no last day"))?,
        first_reported: day(&r[8]),
        last_reported: day(&r[9]),
        claimants: r[10].int(),
        status: r[11].text(),
        confidence: r[12].opt_real().unwrap_or_default(),
        disputed: r[13].bool(),
        sources: serde_json::from_str(&r[14].text())?,
        disputed_by: serde_json::from_str(&r[15].text())?,
    })
}

impl Store {
    /// The state of every settlement in the area on `q.as_of` (else its latest state), with
    /// its last change by then; settlements no claim speaks for by then are left out. By
    /// settlement id.
    pub fn control_states(&mut self, q: &ControlQuery) -> Result<Vec<ControlStateAt>, StoreError> {
        let as_of = q.as_of.map(|d| d.to_string());
        let mut args: Vec<Param<'_>> = Vec::new();
        // Each state's last change is the row of control_changes it names by seq, if any.
        let change_columns = CHANGE_COLUMNS.split(", ").map(|c| format!("c.{c}")).collect::<Vec<_>>().join(", ");
        let mut sql = format!(
            "SELECT s.place_id, s.name, s.lat, s.lon, s.state, s.holder, s.date_from, s.date_until, s.disputed, s.last_change_seq, {change_columns}
             FROM control_states s LEFT JOIN control_changes c ON c.place_id = s.place_id AND c.seq = s.last_change_seq
             WHERE s.state <> 'unknown'"
        );
        match &as_of {
            Some(d) => {
                args.push(Param::Text(d));
                sql.push_str(" AND (s.date_from IS NULL OR s.date_from <= $1) AND (s.date_until IS NULL OR s.date_until > $1)");
            }
            None => sql.push_str(" AND s.date_until IS NULL"),
        }
        area_clauses(q, "s", &mut sql, &mut args);
        sql.push_str(" ORDER BY s.place_id");
        let rows = self.db.query(&sql, &args)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let (lat, lon) = (r[2].opt_real().unwrap_or_default(), r[3].opt_real().unwrap_or_default());
            if !within(q, lat, lon) {
                continue;
            }
            let id = r[0].text();
            let state = ControlState::parse(&r[4].text()).ok_or_else(|| StoreError::Corrupt(format!("a control state of {id} is unknown")))?;
            let last_change = match r[9].opt_int() {
                Some(seq) if r[10].opt_text().is_none() => {
                    return Err(StoreError::Corrupt(format!("a control state of {id} names change {seq}, which is not stored")))
                }
                Some(_) => Some(change_of(&r[10..])?),
                None => None,
            };
            out.push(ControlStateAt {
                last_change,
                place: ControlPlace::new(id, r[1].text(), lat, lon),
                state,
                holder: r[5].opt_text().as_deref().and_then(Side::from_code),
                since: day(&r[6]),
                until: day(&r[7]),
                disputed: r[8].bool(),
            });
        }
        Ok(out)
    }

    /// The changes in the area that may have happened within `q.from ..= q.to` (their date
    /// windows meet it), in date order, each with its sources.
    pub fn control_changes(&mut self, q: &ControlQuery) -> Result<Vec<ControlChange>, StoreError> {
        let (from, to) = (q.from.map(|d| d.to_string()), q.to.map(|d| d.to_string()));
        let mut args: Vec<Param<'_>> = Vec::new();
        let mut sql = format!("SELECT {CHANGE_COLUMNS} FROM control_changes WHERE 1=1");
        if let Some(from) = &from {
            args.push(Param::Text(from));
            sql.push_str(&format!(" AND date_latest >= ${}", args.len()));
        }
        if let Some(to) = &to {
            args.push(Param::Text(to));
            sql.push_str(&format!(" AND date_earliest <= ${}", args.len()));
        }
        area_clauses(q, "", &mut sql, &mut args);
        sql.push_str(" ORDER BY date_latest, date_earliest, place_id, seq");
        let mut out = Vec::new();
        for r in self.db.query(&sql, &args)? {
            let c = change_of(&r)?;
            if within(q, c.place.lat, c.place.lon) {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// How many settlements have a stored timeline, and how many changes they hold.
    pub fn control_counts(&mut self) -> Result<(i64, i64), StoreError> {
        let rows = self.db.query("SELECT (SELECT count(DISTINCT place_id) FROM control_states), (SELECT count(*) FROM control_changes)", &[])?;
        let r = rows.first().ok_or_else(|| StoreError::Corrupt("counting gave no row".into()))?;
        Ok((r[0].int(), r[1].int()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{schema, testing::TestStore, Prepared};
    use sitrep_read::{Reader, Report};

    /// Izium taken, retaken and taken again, a second voice for one of the changes, and
    /// Kupiansk taken once: states with no change yet, and states after one or several.
    fn ingested(store: &mut Store) {
        let gaz = Gazetteer::open_default().unwrap();
        let reader = Reader::new(&gaz);
        let texts = [
            ("u1", "2022-04-02", "Russian forces captured Izium on April 1."),
            ("u2", "2022-04-05", "Russian forces held Izium and shelled villages to the south."),
            ("u3", "2022-09-11", "Ukrainian forces liberated Izium on September 10, the General Staff said."),
            ("u4", "2022-09-12", "Ukrainian troops entered Izium on September 10, footage showed."),
            ("u5", "2022-09-11", "Ukrainian forces recaptured Kupiansk on September 10."),
            ("u6", "2022-11-03", "Russian forces captured Izium on November 2."),
        ];
        let prepared: Vec<Prepared> = texts
            .iter()
            .map(|&(id, published, text)| {
                let r = Report {
                    id: id.into(),
                    source: Some("Outlet".into()),
                    published: Some(published.parse().unwrap()),
                    text: text.into(),
                    ..Report::default()
                };
                Prepared::new(r.text.clone(), reader.read(&r)).unwrap()
            })
            .collect();
        for outcome in store.ingest_batch(&prepared).unwrap() {
            outcome.unwrap();
        }
    }

    /// The days the answers below are asked about: before any change, between them, after.
    const DAYS: [&str; 5] = ["2022-03-01", "2022-05-01", "2022-09-30", "2022-12-31", "2023-06-01"];

    /// Everything the store answers about control: the changes, and the states on each of
    /// [`DAYS`] and latest.
    fn answers(store: &mut Store) -> (Vec<ControlChange>, Vec<Vec<ControlStateAt>>) {
        let mut states = vec![store.control_states(&ControlQuery::default()).unwrap()];
        for d in DAYS {
            states.push(store.control_states(&ControlQuery { as_of: Some(d.parse().unwrap()), ..ControlQuery::default() }).unwrap());
        }
        (store.control_changes(&ControlQuery::default()).unwrap(), states)
    }

    /// Every state's last change, read through the seq it names, is its settlement's stored
    /// change row opened last by the state's first day, whole (sources and disputes too); a
    /// state since before any claim has none.
    #[test]
    fn each_states_last_change_is_the_change_row_it_names() {
        for backend in ["sqlite", "postgres"] {
            let t = TestStore::new(backend, "last_change_rows");
            let mut store = t.open();
            ingested(&mut store);
            let (changes, states) = answers(&mut store);
            assert!(changes.iter().filter(|c| c.place.name == "Izyum").count() >= 3, "{changes:#?}");
            let mut with_change = 0;
            for s in states.iter().flatten() {
                let expected = s.since.and_then(|from| changes.iter().rfind(|c| c.place.id == s.place.id && c.date_earliest <= from));
                assert_eq!(s.last_change.as_ref(), expected, "{backend}: {s:#?}");
                with_change += usize::from(expected.is_some());
            }
            assert!(with_change >= 4, "{backend}: states with a last change are compared: {states:#?}");
            let izium = states[0].iter().find(|s| s.place.name == "Izyum").and_then(|s| s.last_change.as_ref()).expect("Izium's last change");
            assert_eq!((izium.to_side, izium.date_latest), (Side::Russia, "2022-11-02".parse().unwrap()));
        }
    }

    /// Turns a store of this build back into one of the build before states named their last
    /// change by seq: each state keeps a copy of its last change's JSON, written as that build
    /// wrote it, and the schema's version is the one before.
    fn as_before_last_change_seq(store: &mut Store) {
        let db = &mut *store.db;
        db.batch("ALTER TABLE control_states ADD COLUMN last_change TEXT").unwrap();
        let states = db.query("SELECT place_id, seq, last_change_seq FROM control_states WHERE last_change_seq IS NOT NULL", &[]).unwrap();
        for s in &states {
            let (place, seq, last) = (s[0].text(), s[1].int(), s[2].int());
            let row = db
                .query(&format!("SELECT {CHANGE_COLUMNS} FROM control_changes WHERE place_id = $1 AND seq = $2"), &[Param::Text(&place), Param::Int(last)])
                .unwrap();
            let json = serde_json::to_string(&change_of(&row[0]).unwrap()).unwrap();
            db.execute(
                "UPDATE control_states SET last_change = $1 WHERE place_id = $2 AND seq = $3",
                &[Param::Text(&json), Param::Text(&place), Param::Int(seq)],
            )
            .unwrap();
        }
        db.batch("ALTER TABLE control_states DROP COLUMN last_change_seq").unwrap();
        match db.dialect() {
            Dialect::Sqlite => db.batch(&format!("PRAGMA user_version = {}", schema::LAST_CHANGE_SEQ.0 - 1)).unwrap(),
            Dialect::Postgres => {
                db.execute("DELETE FROM sitrep_schema WHERE version >= $1", &[Param::Int(schema::LAST_CHANGE_SEQ.1 as i64)]).map(drop).unwrap()
            }
        }
    }

    /// A store whose states kept copies of their last changes answers, once upgraded, exactly
    /// as before, and keeps no copy.
    #[test]
    fn states_that_kept_copies_of_their_last_changes_answer_the_same_after_the_upgrade() {
        for backend in ["sqlite", "postgres"] {
            let t = TestStore::new(backend, "last_change_upgrade");
            let mut store = t.open();
            ingested(&mut store);
            let before = answers(&mut store);
            as_before_last_change_seq(&mut store);
            let copies = store.db.query("SELECT count(*) FROM control_states WHERE last_change IS NOT NULL", &[]).unwrap()[0][0].int();
            assert!(copies >= 3, "{backend}: the old store keeps copies ({copies})");
            drop(store);
            let mut upgraded = t.open();
            assert_eq!(answers(&mut upgraded), before, "{backend}");
            let columns = upgraded.db.query("SELECT * FROM control_states LIMIT 1", &[]).unwrap()[0].len();
            assert_eq!(columns, 11, "{backend}: the copies' column is gone, the seq's is there");
            assert!(upgraded.db.query("SELECT last_change FROM control_states", &[]).is_err(), "{backend}: no column last_change");
            // The upgraded store takes more reports as a new one does.
            ingested(&mut upgraded);
            assert_eq!(answers(&mut upgraded), before, "{backend}: the same reports again change nothing");
        }
    }
}
