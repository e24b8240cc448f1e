//! The control timeline: per settlement, who held it when, and on whose word.
//!
//! What goes in is [`ControlClaim`]s: the control statements of every report that count
//! ([`sitrep_read::control::ControlStatement::counts`]), each with its report, claimant,
//! certainty, dates and evidence. What comes out, per settlement, is a
//! [`SettlementTimeline`]: the sequence of [`StateSpan`]s (held by UA, by RU, contested, or
//! unknown) and the [`Change`]s between them, each backed by the claims that support it and
//! those that dispute it, with its first and last report dates, its number of independent
//! claimants, a status and a confidence.
//!
//! The model. Every change or presence claim says who holds the settlement on its day (the
//! last day of its date window); a denial of a change says the other side still does. The
//! holder over time is the sequence that agrees best with these observations, each weighed
//! by its certainty (one weight per claimant and day, so a claim repeated in one report counts
//! once), where every switch of holder costs [`SWITCH_COST`]: a lone unverified claim does not
//! overturn a state several sources attest, and a state nobody disputes follows the first
//! claim. Found by dynamic programming over the days in one pass. The observations the chosen
//! holder contradicts are kept as disputing claims: conflicting claims stand side by side, as
//! a disputed state, never averaged away. A contested claim ("fighting in X") makes the state
//! contested from its day until the next claim of a holder. A change of hands is a run of one
//! holder that a change claim supports; a switch of holder only presence claims show changes
//! the state, and is no change; nor is a first holder whose presence is claimed before any
//! claim that it took the settlement; nor is a switch that only hearsay from one voice tells
//! ("reportedly", "ISW cannot verify this claim"). A change is dated from the first claim that
//! tells it to the first day its claims vouch for it: hearsay on the 1st and a named source on
//! the 7th give the 1st to the 7th, though the state turns on the 1st; hedged claims alone
//! ("likely captured") up to that day and an outright one later give the first to the
//! outright one's day.
//!
//! The timeline is a pure function of the *set* of claims about a settlement (they are put in
//! one canonical order first), so reports ingested in any order give the same timeline, and a
//! late report about an earlier date revises history.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;
use sitrep_geoparse::CharOffsets;
use sitrep_read::{
    control::{side_word, ControlKind, ControlStatement},
    modality::Certainty,
    Reading, Side,
};

/// What a switch of holder costs, in units of claim weight: a little less than one claimed
/// statement, so one named source can move an undisputed state, and an unverified one cannot.
pub const SWITCH_COST: f64 = 0.75;

/// A settlement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settlement {
    /// Gazetteer id ("geonames:706200").
    pub id: String,
    /// Name.
    pub name: String,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

/// One report's claim about a settlement's control: a counted control statement, with its
/// provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlClaim {
    /// The settlement.
    pub place: Settlement,
    /// Change, presence or contested.
    pub kind: ControlKind,
    /// The side that takes it (change) or holds it (presence); `None` when contested.
    pub side: Option<Side>,
    /// First day of the claim's date window.
    pub earliest: NaiveDate,
    /// Last day of the claim's date window: the day it says the side holds it by.
    pub latest: NaiveDate,
    /// How sure.
    pub certainty: Certainty,
    /// Who says so; `None` for the report's own voice.
    pub claimant: Option<String>,
    /// The report's id.
    pub report: String,
    /// The report's publication date.
    pub published: Option<NaiveDate>,
    /// The report's outlet (the voice of an unattributed claim).
    pub outlet: Option<String>,
    /// Start of the evidence sentence in the report's text (Unicode scalar values).
    pub start: usize,
    /// End of the evidence sentence (exclusive).
    pub end: usize,
    /// The evidence sentence.
    pub evidence: String,
    /// True when `place` is a whole area (an oblast, a raion) and the claim is about every
    /// settlement in it the losing side then holds ([`SettlementTimeline::build`]).
    pub area: bool,
    /// The areas a settlement lies in (gazetteer ids), which area claims reach; empty for an
    /// area.
    pub within: Vec<String>,
}

impl ControlClaim {
    /// The claim a reading's control statement makes, when it counts and is dated; its
    /// evidence sentence cut from the report's text by `chars`.
    fn of_statement(reading: &Reading, statement: &ControlStatement, chars: &CharOffsets<'_>) -> Option<ControlClaim> {
        if !statement.counts() {
            return None;
        }
        let date = statement.date.as_ref()?;
        Some(ControlClaim {
            place: Settlement { id: statement.place.id.clone(), name: statement.place.name.clone(), lat: statement.place.lat, lon: statement.place.lon },
            kind: statement.kind,
            side: statement.to_side,
            earliest: date.from.min(date.to),
            latest: date.to.max(date.from),
            certainty: statement.certainty,
            claimant: statement.claimant.clone(),
            report: reading.id.clone(),
            published: reading.published,
            outlet: reading.source.clone(),
            start: statement.start,
            end: statement.end,
            evidence: chars.char_slice(statement.start, statement.end).to_owned(),
            area: statement.area,
            within: statement.within.clone(),
        })
    }

    /// Every claim a reading makes: one pass over the text for all their evidence sentences
    /// (cutting each from the text's start cost a pass per claim). `text` is the report's.
    pub fn from_reading(reading: &Reading, text: &str) -> Vec<ControlClaim> {
        let chars = CharOffsets::new(text);
        reading.control.iter().filter_map(|s| ControlClaim::of_statement(reading, s, &chars)).collect()
    }

    /// Who is speaking, for counting independent sources: the claimant, else the outlet.
    pub fn voice(&self) -> String {
        self.claimant.as_deref().or(self.outlet.as_deref()).unwrap_or("the report").trim().to_lowercase()
    }

    /// True when the claimant is a party of the side the claim says gains the settlement:
    /// its own word on its own success ("the Russian MoD claimed that DNR forces took X",
    /// "Ukrainian paratroopers said they recaptured X").
    pub fn self_claim(&self) -> bool {
        self.kind == ControlKind::Change && self.side.is_some() && self.claimant.as_deref().and_then(side_word) == self.side
    }

    /// True when the claimant is no official of a party but a channel or commentator on its
    /// side: Telegram channels, milbloggers, social media users, war correspondents.
    pub fn unofficial(&self) -> bool {
        let Some(name) = self.claimant.as_deref() else { return false };
        let lower = name.to_lowercase();
        ["telegram", "milblog", "blogger", "channel", "social media", "war correspondent"].iter().any(|w| lower.contains(w))
    }

    /// The weight of the claim as evidence of who holds the settlement.
    fn weight(&self) -> f64 {
        match self.certainty {
            Certainty::Confirmed => 2.0,
            Certainty::Asserted => 1.5,
            Certainty::Assessed => 1.2,
            Certainty::Claimed => 1.0,
            Certainty::Reported => 0.8,
            Certainty::Unconfirmed => 0.5,
            // A denial comes mostly from the side that would have lost.
            Certainty::Denied => 0.6,
        }
    }

    /// How much one claim of this certainty makes a change likely, alone.
    fn belief(&self) -> f64 {
        match self.certainty {
            Certainty::Confirmed => 0.9,
            Certainty::Asserted => 0.7,
            Certainty::Assessed => 0.6,
            Certainty::Claimed => 0.5,
            Certainty::Reported => 0.4,
            Certainty::Unconfirmed => 0.25,
            Certainty::Denied => 0.0,
        }
    }

    /// The side the claim says holds the settlement on its day: a denied change says the
    /// other side still does.
    fn holder(&self) -> Option<Side> {
        match (self.kind, self.certainty) {
            (ControlKind::Contested, _) => None,
            (_, Certainty::Denied) => self.side.map(Side::opponent),
            _ => self.side,
        }
    }

    /// What the claim can change in a timeline built without it. A contested claim counts
    /// only by its day (it makes no holder, supports no change, and the spans it opens keep
    /// none of its details), and a denied one not at all; every other claim may change
    /// anything. So a contested claim on a day another already marks leaves the timeline as it
    /// was, which lets the store skip rebuilding it.
    pub fn effect(&self) -> Effect {
        match (self.kind, self.certainty) {
            (ControlKind::Contested, Certainty::Denied) => Effect::Nothing,
            (ControlKind::Contested, _) => Effect::FoughtOn(self.latest),
            _ => Effect::Anything,
        }
    }

    /// The canonical order of claims: by date, then by everything else, so that the order
    /// claims arrive in never matters.
    fn order_key(&self) -> impl Ord + '_ {
        (self.latest, self.earliest, self.kind, self.side, self.certainty, &self.report, self.start, self.end, &self.claimant, &self.place.id)
    }
}

/// What one claim can change in a timeline built without it ([`ControlClaim::effect`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Nothing: a denial that the settlement is fought over.
    Nothing,
    /// Only whether the settlement is fought over on this day.
    FoughtOn(NaiveDate),
    /// Anything: who holds it, its changes, their support.
    Anything,
}

/// A settlement's control at some time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub enum ControlState {
    /// Held by Ukraine.
    #[serde(rename = "UA")]
    Ukraine,
    /// Held by Russia.
    #[serde(rename = "RU")]
    Russia,
    /// Fought over.
    #[serde(rename = "contested")]
    Contested,
    /// No claim says.
    #[serde(rename = "unknown")]
    Unknown,
}

impl ControlState {
    /// The state of being held by `side`.
    pub fn held_by(side: Side) -> ControlState {
        match side {
            Side::Ukraine => ControlState::Ukraine,
            Side::Russia => ControlState::Russia,
        }
    }

    /// "UA", "RU", "contested" or "unknown".
    pub fn as_str(self) -> &'static str {
        match self {
            ControlState::Ukraine => "UA",
            ControlState::Russia => "RU",
            ControlState::Contested => "contested",
            ControlState::Unknown => "unknown",
        }
    }

    /// The state for its name.
    pub fn parse(name: &str) -> Option<ControlState> {
        [ControlState::Ukraine, ControlState::Russia, ControlState::Contested, ControlState::Unknown].into_iter().find(|s| s.as_str() == name)
    }
}

/// A stretch of time in one state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StateSpan {
    /// The state.
    pub state: ControlState,
    /// Who holds it (while contested: the last known holder).
    pub holder: Option<Side>,
    /// First day; `None`: since before any claim.
    pub from: Option<NaiveDate>,
    /// The day the next span starts; `None`: still so.
    pub until: Option<NaiveDate>,
    /// True when claims within the span contradict the state.
    pub disputed: bool,
    /// Indexes into [`SettlementTimeline::claims`] of the claims that attest the state.
    pub supporting: Vec<usize>,
    /// Indexes of the claims within the span that contradict it.
    pub disputing: Vec<usize>,
}

/// A change of hands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The side that held it before, when known.
    pub from_side: Option<Side>,
    /// The side that took it.
    pub to_side: Side,
    /// The first day it may have happened.
    pub date_earliest: NaiveDate,
    /// The day it had happened by.
    pub date_latest: NaiveDate,
    /// The first report date among its supporting claims.
    pub first_reported: Option<NaiveDate>,
    /// The last report date among them.
    pub last_reported: Option<NaiveDate>,
    /// How many independent voices support it.
    pub claimants: usize,
    /// The surest certainty among its supporting claims.
    pub status: Certainty,
    /// 0..1: how likely the change is, given its support and disputes.
    pub confidence: f64,
    /// True when claims dispute it.
    pub disputed: bool,
    /// Indexes into [`SettlementTimeline::claims`] of the claims that support it.
    pub supporting: Vec<usize>,
    /// Indexes of the claims that dispute it.
    pub disputing: Vec<usize>,
}

/// One settlement's control over time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SettlementTimeline {
    /// The settlement.
    pub place: Settlement,
    /// Its claims, in canonical order.
    pub claims: Vec<ControlClaim>,
    /// The states, in time order, covering all time.
    pub states: Vec<StateSpan>,
    /// The changes of hands, in time order.
    pub changes: Vec<Change>,
}

impl SettlementTimeline {
    /// The timeline of one settlement from its claims (in any order), the claims of the areas
    /// it lies in among them: an area claim ("Russian forces completely vacated Sumy Oblast")
    /// counts as a claim about the settlement when the timeline its own claims give has it held
    /// by the side that gives the area up on the area claim's day; a settlement that side did
    /// not hold then is not touched by it.
    pub fn build(place: Settlement, claims: Vec<ControlClaim>) -> SettlementTimeline {
        let (areas, mut own): (Vec<ControlClaim>, Vec<ControlClaim>) = claims.into_iter().partition(|c| c.area);
        if areas.is_empty() {
            return SettlementTimeline::of_own(place, own);
        }
        let alone = SettlementTimeline::of_own(place.clone(), own.clone());
        for a in areas {
            let loser = a.side.map(Side::opponent);
            if loser.is_some() && alone.state_on(a.latest).holder == loser {
                own.push(ControlClaim { place: place.clone(), area: false, within: Vec::new(), ..a });
            }
        }
        SettlementTimeline::of_own(place, own)
    }

    /// The timeline of one settlement from its own claims.
    fn of_own(place: Settlement, mut claims: Vec<ControlClaim>) -> SettlementTimeline {
        claims.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        claims.dedup();
        let holders = holders_by_day(&claims);
        let (states, changes) = spans_and_changes(&claims, &holders);
        SettlementTimeline { place, claims, states, changes }
    }

    /// The span in force on `date`.
    pub fn state_on(&self, date: NaiveDate) -> &StateSpan {
        self.states.iter().rev().find(|s| s.from.is_none_or(|f| f <= date)).or(self.states.first()).expect("a timeline always has a span")
    }

    /// The last change on or before `date`.
    pub fn last_change_by(&self, date: NaiveDate) -> Option<&Change> {
        self.changes.iter().rev().find(|c| c.date_latest <= date)
    }
}

/// The days on which claims say who holds the settlement, each with the holder the best
/// sequence gives it: (day, holder).
fn holders_by_day(claims: &[ControlClaim]) -> Vec<(NaiveDate, Side)> {
    // Per day, the cost of each holder: the weight of the voices that say otherwise (one
    // weight per voice, day and side: its surest claim).
    let mut days: BTreeMap<NaiveDate, BTreeMap<(String, Side), f64>> = BTreeMap::new();
    for c in claims {
        if let Some(side) = c.holder() {
            let w = days.entry(c.latest).or_default().entry((c.voice(), side)).or_insert(0.0);
            *w = w.max(c.weight());
        }
    }
    let cost = |voices: &BTreeMap<(String, Side), f64>, holder: Side| voices.iter().filter(|((_, s), _)| *s != holder).map(|(_, w)| w).sum::<f64>();
    let sides = [Side::Ukraine, Side::Russia];
    // Viterbi over two states; ties keep the current holder, then prefer the side listed first.
    let mut best = [0.0f64; 2];
    let mut back: Vec<[usize; 2]> = Vec::with_capacity(days.len());
    for (i, voices) in days.values().enumerate() {
        let mut next = [0.0; 2];
        let mut from = [0; 2];
        for (k, side) in sides.iter().enumerate() {
            let (stay, switch) = (best[k], best[1 - k] + SWITCH_COST);
            let (prev, value) = if i == 0 || stay <= switch { (k, stay) } else { (1 - k, switch) };
            next[k] = value + cost(voices, *side);
            from[k] = prev;
        }
        best = next;
        back.push(from);
    }
    let mut k = if best[0] <= best[1] { 0 } else { 1 };
    let mut path = vec![0; days.len()];
    for i in (0..days.len()).rev() {
        path[i] = k;
        k = back[i][k];
    }
    days.keys().zip(path).map(|(d, k)| (*d, sides[k])).collect()
}

/// The spans and changes the holders by day give, with their supporting and disputing claims.
fn spans_and_changes(claims: &[ControlClaim], holders: &[(NaiveDate, Side)]) -> (Vec<StateSpan>, Vec<Change>) {
    // Runs of one holder: (first day, last day, holder).
    let mut runs: Vec<(NaiveDate, NaiveDate, Side)> = Vec::new();
    for &(day, side) in holders {
        match runs.last_mut() {
            Some(run) if run.2 == side => run.1 = day,
            _ => runs.push((day, day, side)),
        }
    }
    let mut changes = Vec::new();
    let mut held: Vec<StateSpan> = Vec::new();
    let mut first_changed = false;
    for (k, &(first, _, side)) in runs.iter().enumerate() {
        let until = runs.get(k + 1).map(|r| r.0);
        // The claims are in date order: a run's are one stretch of them.
        let lo = claims.partition_point(|c| c.latest < first);
        let hi = until.map_or(claims.len(), |u| claims.partition_point(|c| c.latest < u));
        let within: Vec<(usize, &ControlClaim)> = claims[lo..hi.max(lo)].iter().enumerate().map(|(i, c)| (lo + i, c)).collect();
        let supporting: Vec<usize> = within.iter().filter(|(_, c)| c.holder() == Some(side)).map(|(i, _)| *i).collect();
        let disputing: Vec<usize> = within.iter().filter(|(_, c)| c.holder().is_some_and(|h| h != side)).map(|(i, _)| *i).collect();
        let previous = k.checked_sub(1).map(|p| runs[p]);
        // A change: a holder that a change claim says took it. A switch of holder that only
        // presence claims show ("Ukrainian defenders in X" after a claim that X fell) is a
        // state, not a change: it says an earlier claim was doubtful more often than that the
        // settlement changed hands again, and no source says it did.
        // The first holder, too, when a claim of its presence comes before any change claim: it
        // held the settlement before ("defenders in X" on day 1, "enemy units withdrew from X"
        // on day 8), so no claim says when it took it.
        let claimed_earliest =
            supporting.iter().map(|&i| &claims[i]).filter(|c| c.kind == ControlKind::Change && c.certainty != Certainty::Denied).map(|c| c.earliest).min();
        let held_before = previous.is_none()
            && supporting.iter().map(|&i| &claims[i]).any(|c| c.kind == ControlKind::Presence && claimed_earliest.is_some_and(|e| c.latest < e));
        // The change had happened by the first day its claims vouch for it ([`vouched_by`]).
        let vouched_on = vouched_by(supporting.iter().map(|&i| &claims[i]));
        if let (Some(claimed), false, Some(date_latest)) = (claimed_earliest, held_before, vouched_on) {
            let after_previous = previous.map(|p| p.1 + Duration::days(1));
            let date_earliest = after_previous.map_or(claimed, |a| a.max(claimed)).min(first);
            changes.push(change(claims, Some(previous.map_or(side.opponent(), |p| p.2)), side, date_earliest, date_latest, &supporting, &disputing));
            first_changed |= previous.is_none();
        }
        held.push(StateSpan {
            state: ControlState::held_by(side),
            holder: Some(side),
            from: Some(first),
            until,
            disputed: !disputing.is_empty(),
            supporting,
            disputing,
        });
    }
    // Before the first holder: the side a first change took it from, else unknown.
    let prior = changes.first().filter(|_| first_changed).and_then(|c| c.from_side);
    let mut states = vec![StateSpan {
        state: prior.map_or(ControlState::Unknown, ControlState::held_by),
        holder: prior,
        from: None,
        until: held.first().and_then(|h| h.from),
        disputed: false,
        supporting: Vec::new(),
        disputing: Vec::new(),
    }];
    if held.is_empty() {
        states[0].until = None;
    }
    states.extend(held);
    (with_contested(claims, states), changes)
}

/// The day by which `support`'s change claims (in date order) say a change of hands had
/// happened: the first day they vouch for it ([`vouched_at`]): hearsay first and a named
/// source days later ("reportedly took X" on the 1st, the ministry's claim on the 7th) date it
/// from the 1st to the 7th. But when every claim up to that day is hedged (an assessment, a
/// report, an unconfirmed claim) and one that says it outright comes later (ISW assessing on
/// May 6 that X was "likely captured", then asserting on June 26 "newly controlled positions
/// in X"), the first outright claim's day ends the window instead: the change came at some
/// time between the first claim and the first sure one, which the hedged ones do not settle.
fn vouched_by<'c>(support: impl Iterator<Item = &'c ControlClaim> + Clone) -> Option<NaiveDate> {
    let changes = support.filter(|c| c.kind == ControlKind::Change && c.certainty != Certainty::Denied);
    let first = changes.clone().nth(vouched_at(changes.clone())?)?.latest;
    let hedged = |c: &&ControlClaim| matches!(c.certainty, Certainty::Assessed | Certainty::Reported | Certainty::Unconfirmed);
    let outright = |c: &&ControlClaim| matches!(c.certainty, Certainty::Asserted | Certainty::Confirmed);
    if !changes.clone().filter(|c| c.latest <= first).all(|c| hedged(&c)) {
        return Some(first);
    }
    Some(changes.filter(outright).map(|c| c.latest).min().unwrap_or(first))
}

/// The first of `support` by which its change claims vouch for a change of hands, in one
/// pass: the change claims up to it vouch, those before it do not. They vouch with one that is not
/// hearsay (a named source, even one the report cannot verify, unless it is the side that
/// gains; the report's own voice; an assessment; visual evidence), or hearsay from two voices
/// or more. Hearsay is what no named source says ("reportedly", "unverified reports"), and
/// what the report cannot verify of a side's claim of its own gain ([`ControlClaim::self_claim`]:
/// "Russian Telegram channels claimed Russian troops took X, but ISW cannot verify this"), and
/// what a channel or commentator of the gaining side claims of its own side's gain, doubted or
/// not ([`ControlClaim::unofficial`]: "a Russian Telegram channel claimed that Russian forces
/// took X": no party's official stands behind it). Alone it moves the state (it is what the sources say) but makes no change: such reports of
/// villages taken are the claims the maps most often never followed. A side's own claim that
/// the report does not doubt vouches: dropping those too lost more changes the maps show than
/// it spared ones they do not (measured on ISW's 2022 assessments against the front-line maps).
fn vouched_at<'c>(support: impl Iterator<Item = &'c ControlClaim>) -> Option<usize> {
    let mut hearsay_voices: Vec<String> = Vec::new();
    for (n, c) in support.enumerate().filter(|(_, c)| c.kind == ControlKind::Change) {
        match c.certainty {
            Certainty::Denied => continue,
            Certainty::Reported => hearsay(c, &mut hearsay_voices),
            Certainty::Unconfirmed if c.claimant.is_none() || c.self_claim() => hearsay(c, &mut hearsay_voices),
            Certainty::Claimed if c.self_claim() && c.unofficial() => hearsay(c, &mut hearsay_voices),
            _ => return Some(n),
        }
        if hearsay_voices.len() >= 2 {
            return Some(n);
        }
    }
    None
}

/// Counts the voice of a hearsay claim once.
fn hearsay(c: &ControlClaim, voices: &mut Vec<String>) {
    let voice = c.voice();
    if !voices.contains(&voice) {
        voices.push(voice);
    }
}

/// Builds one change with its dates, support, disputes, status and confidence.
fn change(
    claims: &[ControlClaim],
    from_side: Option<Side>,
    to_side: Side,
    date_earliest: NaiveDate,
    date_latest: NaiveDate,
    supporting: &[usize],
    disputing: &[usize],
) -> Change {
    let support: Vec<&ControlClaim> = supporting.iter().map(|&i| &claims[i]).collect();
    let mut belief_by_voice: BTreeMap<String, f64> = BTreeMap::new();
    for c in &support {
        let b = belief_by_voice.entry(c.voice()).or_insert(0.0);
        *b = b.max(c.belief());
    }
    let mut doubt_by_voice: BTreeMap<String, f64> = BTreeMap::new();
    for &i in disputing {
        let c = &claims[i];
        let b = doubt_by_voice.entry(c.voice()).or_insert(0.0);
        *b = b.max(c.weight());
    }
    let belief = 1.0 - belief_by_voice.values().fold(1.0, |acc, b| acc * (1.0 - b));
    let support_weight: f64 = support.iter().map(|c| c.weight()).sum();
    let doubt: f64 = doubt_by_voice.values().sum();
    let confidence = belief * (1.0 - 0.5 * doubt / (doubt + support_weight).max(f64::MIN_POSITIVE));
    Change {
        from_side,
        to_side,
        date_earliest,
        date_latest,
        first_reported: support.iter().filter_map(|c| c.published).min(),
        last_reported: support.iter().filter_map(|c| c.published).max(),
        claimants: belief_by_voice.len(),
        status: support.iter().map(|c| c.certainty).min().unwrap_or(Certainty::Unconfirmed),
        confidence: (confidence * 1000.0).round() / 1000.0,
        disputed: !disputing.is_empty(),
        supporting: supporting.to_vec(),
        disputing: disputing.to_vec(),
    }
}

/// Splits the held spans where contested claims fall: contested from such a claim's day until
/// the next day a claim names a holder.
fn with_contested(claims: &[ControlClaim], held: Vec<StateSpan>) -> Vec<StateSpan> {
    let contested: Vec<(usize, NaiveDate)> =
        claims.iter().enumerate().filter(|(_, c)| c.kind == ControlKind::Contested && c.certainty != Certainty::Denied).map(|(i, c)| (i, c.latest)).collect();
    if contested.is_empty() {
        return held;
    }
    // Both in date order, as the claims are: a span's contested claims are one stretch, and
    // the days after one a holder is named start at one place.
    let holder_days: Vec<NaiveDate> = claims.iter().filter(|c| c.holder().is_some()).map(|c| c.latest).collect();
    let mut out: Vec<StateSpan> = Vec::new();
    for span in held {
        let lo = span.from.map_or(0, |f| contested.partition_point(|(_, d)| *d < f));
        let hi = span.until.map_or(contested.len(), |u| contested.partition_point(|(_, d)| *d < u));
        let mut rest = span;
        for &(i, day) in &contested[lo..hi.max(lo)] {
            // Holders claimed the same day win over fighting.
            if holder_days.binary_search(&day).is_ok() || rest.from.is_some_and(|f| day < f) {
                continue;
            }
            let resume = holder_days.get(holder_days.partition_point(|d| *d <= day)).copied().filter(|d| rest.until.is_none_or(|u| *d < u));
            match out.last_mut() {
                Some(last) if last.state == ControlState::Contested && last.until == Some(day) => continue,
                _ => {}
            }
            if rest.state == ControlState::Contested {
                rest.supporting.push(i);
                continue;
            }
            let before = StateSpan { until: Some(day), ..rest.clone() };
            let fighting = StateSpan {
                state: ControlState::Contested,
                holder: rest.holder,
                from: Some(day),
                until: resume.or(rest.until),
                disputed: false,
                supporting: vec![i],
                disputing: Vec::new(),
            };
            if before.from.is_none_or(|f| f < day) {
                out.push(before);
            }
            match resume {
                Some(r) => {
                    out.push(fighting);
                    rest = StateSpan { from: Some(r), ..rest };
                }
                None => {
                    rest = fighting;
                }
            }
        }
        out.push(rest);
    }
    out
}

/// Claims gathered from reports in any order, and the timelines they give. In memory; the
/// store keeps the same claims in its tables and builds the same timelines.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    claims: BTreeMap<String, Vec<ControlClaim>>,
}

impl Timeline {
    /// An empty timeline.
    pub fn new() -> Timeline {
        Timeline::default()
    }

    /// Takes in one claim.
    pub fn add(&mut self, claim: ControlClaim) {
        self.claims.entry(claim.place.id.clone()).or_default().push(claim);
    }

    /// Takes in every claim of a reading (`text` is the report's text).
    pub fn add_reading(&mut self, reading: &Reading, text: &str) {
        for c in ControlClaim::from_reading(reading, text) {
            self.add(c);
        }
    }

    /// How many settlements have claims.
    pub fn len(&self) -> usize {
        self.claims.len()
    }

    /// True when no claim came in.
    pub fn is_empty(&self) -> bool {
        self.claims.is_empty()
    }

    /// The timeline of every settlement, by id, with the claims of the areas it lies in; an
    /// area with no settlement of its own claims gives none.
    pub fn settlements(&self) -> impl Iterator<Item = SettlementTimeline> + '_ {
        self.claims.values().filter(|claims| claims.iter().any(|c| !c.area)).map(|claims| {
            let mut all = claims.clone();
            let areas: std::collections::BTreeSet<&String> = claims.iter().flat_map(|c| &c.within).collect();
            for area in areas {
                all.extend(self.claims.get(area).into_iter().flatten().filter(|c| c.area).cloned());
            }
            let place = claims.iter().find(|c| !c.area).map(|c| c.place.clone()).expect("a settlement's own claim");
            SettlementTimeline::build(place, all)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, 3, d).unwrap()
    }

    fn claim(kind: ControlKind, side: Option<Side>, d: u32, certainty: Certainty, claimant: Option<&str>, report: &str) -> ControlClaim {
        ControlClaim {
            place: Settlement { id: "geonames:1".into(), name: "Testville".into(), lat: 49.0, lon: 37.0 },
            kind,
            side,
            earliest: day(d) - Duration::days(1),
            latest: day(d),
            certainty,
            claimant: claimant.map(str::to_owned),
            report: report.into(),
            published: Some(day(d + 1)),
            outlet: Some("Daily Wire".into()),
            start: d as usize,
            end: d as usize + 10,
            evidence: format!("claim of {report}"),
            area: false,
            within: vec!["geonames:100".into()],
        }
    }

    fn timeline(claims: Vec<ControlClaim>) -> SettlementTimeline {
        SettlementTimeline::build(claims[0].place.clone(), claims)
    }

    use Certainty::*;
    use ControlKind::*;
    use Side::{Russia as RU, Ukraine as UA};

    /// An area claim: `side` takes the whole area on day `d`.
    fn area_claim(side: Side, d: u32) -> ControlClaim {
        ControlClaim {
            place: Settlement { id: "geonames:100".into(), name: "Test Oblast".into(), lat: 50.0, lon: 34.0 },
            area: true,
            within: Vec::new(),
            ..claim(Change, Some(side), d, Asserted, None, "area")
        }
    }

    #[test]
    fn an_area_claim_reaches_a_settlement_only_while_the_losing_side_holds_it() {
        // Held by RU since the 3rd: leaving the area on the 20th hands it to UA that day.
        let t = timeline(vec![claim(Change, Some(RU), 3, Asserted, None, "r3"), area_claim(UA, 20)]);
        assert_eq!(t.changes.iter().map(|c| (c.to_side, c.date_latest)).collect::<Vec<_>>(), [(RU, day(3)), (UA, day(20))]);
        assert_eq!(t.state_on(day(21)).holder, Some(UA));
        // Held by UA all along: nothing to give back, no change and no claim of it kept.
        let t = timeline(vec![claim(Presence, Some(UA), 3, Asserted, None, "r3"), area_claim(UA, 20)]);
        assert!(t.changes.is_empty());
        assert!(t.claims.iter().all(|c| c.report != "area"));
        // Retaken by UA before the area claim: the settlement's own claim dates the change.
        let t = timeline(vec![claim(Change, Some(RU), 3, Asserted, None, "r3"), claim(Change, Some(UA), 15, Asserted, None, "r15"), area_claim(UA, 20)]);
        assert_eq!(t.changes.last().map(|c| c.date_latest), Some(day(15)));
        assert!(t.claims.iter().all(|c| c.report != "area"));
    }

    #[test]
    fn an_area_with_no_settlement_claims_gives_no_timeline() {
        let mut all = Timeline::new();
        all.add(area_claim(UA, 20));
        assert_eq!(all.settlements().count(), 0);
        all.add(claim(Change, Some(RU), 3, Asserted, None, "r3"));
        let t: Vec<SettlementTimeline> = all.settlements().collect();
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].changes.len(), 2, "the settlement within the area is handed back");
    }

    #[test]
    fn a_capture_and_a_recapture() {
        let t = timeline(vec![
            claim(Change, Some(RU), 3, Asserted, None, "r3"),
            claim(Presence, Some(RU), 6, Asserted, None, "r6"),
            claim(Change, Some(UA), 20, Claimed, Some("General Staff"), "r20"),
            claim(Change, Some(UA), 21, Asserted, None, "r21"),
        ]);
        let got: Vec<(Option<Side>, Side, NaiveDate, NaiveDate, usize)> =
            t.changes.iter().map(|c| (c.from_side, c.to_side, c.date_earliest, c.date_latest, c.claimants)).collect();
        assert_eq!(got, [(Some(UA), RU, day(2), day(3), 1), (Some(RU), UA, day(19), day(20), 2)]);
        assert_eq!(t.state_on(day(1)).state, ControlState::Ukraine, "before the capture: the side it was taken from");
        assert_eq!(t.state_on(day(10)).state, ControlState::Russia);
        assert_eq!(t.state_on(day(25)).state, ControlState::Ukraine);
        assert_eq!(t.changes[1].status, Asserted);
        assert!(t.changes[1].confidence > t.changes[0].confidence, "two voices are surer than one");
    }

    #[test]
    fn the_same_claims_in_any_order_give_the_same_timeline() {
        let claims = vec![
            claim(Change, Some(RU), 3, Claimed, Some("MoD"), "a"),
            claim(Presence, Some(UA), 3, Claimed, Some("General Staff"), "b"),
            claim(Contested, None, 8, Asserted, None, "c"),
            claim(Change, Some(RU), 10, Asserted, None, "d"),
            claim(Change, Some(UA), 15, Unconfirmed, Some("Telegram"), "e"),
            claim(Presence, Some(RU), 16, Confirmed, None, "f"),
            claim(Change, Some(UA), 28, Assessed, None, "g"),
        ];
        let reference = timeline(claims.clone());
        // Every rotation and the reverse, as a small stand-in for every order.
        for k in 0..claims.len() {
            let mut shuffled = claims.clone();
            shuffled.rotate_left(k);
            assert_eq!(timeline(shuffled.clone()), reference, "rotation {k}");
            shuffled.reverse();
            assert_eq!(timeline(shuffled), reference, "reversed rotation {k}");
        }
    }

    #[test]
    fn conflicting_claims_are_kept_as_a_disputed_state() {
        // The MoD says taken; the General Staff says its troops hold it; nobody else speaks.
        let t = timeline(vec![
            claim(Change, Some(RU), 5, Claimed, Some("Russian MoD"), "a"),
            claim(Presence, Some(UA), 5, Claimed, Some("Ukrainian General Staff"), "b"),
        ]);
        let span = t.state_on(day(6));
        assert!(span.disputed);
        assert_eq!(span.supporting.len() + span.disputing.len(), 2, "both sources are kept");
        // A denial disputes the change it denies.
        let t = timeline(vec![
            claim(Presence, Some(UA), 2, Asserted, None, "a"),
            claim(Change, Some(RU), 5, Asserted, None, "b"),
            claim(Change, Some(RU), 5, Denied, Some("Ukrainian officials"), "c"),
        ]);
        assert_eq!(t.changes.len(), 1);
        assert!(t.changes[0].disputed);
        assert_eq!(t.claims[t.changes[0].disputing[0]].claimant.as_deref(), Some("Ukrainian officials"));
    }

    #[test]
    fn a_switch_only_presence_shows_is_a_state_not_a_change() {
        // Taken, then its defenders are reported in it again: the state turns, no change.
        let t = timeline(vec![
            claim(Change, Some(RU), 3, Asserted, None, "a"),
            claim(Presence, Some(UA), 8, Asserted, None, "b"),
            claim(Presence, Some(UA), 9, Confirmed, None, "c"),
        ]);
        assert_eq!(t.state_on(day(10)).state, ControlState::Ukraine);
        let got: Vec<(Option<Side>, Side)> = t.changes.iter().map(|c| (c.from_side, c.to_side)).collect();
        assert_eq!(got, [(Some(UA), RU)], "only the claimed capture is a change");
        // A recapture a source tells is one.
        let t = timeline(vec![
            claim(Change, Some(RU), 3, Asserted, None, "a"),
            claim(Presence, Some(UA), 8, Asserted, None, "b"),
            claim(Change, Some(UA), 9, Asserted, None, "c"),
        ]);
        assert_eq!(t.changes.iter().map(|c| c.to_side).collect::<Vec<_>>(), [RU, UA]);
        // Held, then the enemy is said to withdraw from it: it was never lost.
        let t = timeline(vec![claim(Presence, Some(UA), 2, Asserted, None, "a"), claim(Change, Some(UA), 8, Claimed, Some("General Staff"), "b")]);
        assert!(t.changes.is_empty(), "{:?}", t.changes);
        assert_eq!(t.state_on(day(9)).state, ControlState::Ukraine);
    }

    #[test]
    fn a_lone_unverified_claim_does_not_overturn_an_attested_state() {
        let t = timeline(vec![
            claim(Presence, Some(UA), 2, Asserted, None, "a"),
            claim(Change, Some(RU), 5, Unconfirmed, Some("milbloggers"), "b"),
            claim(Presence, Some(UA), 9, Asserted, None, "c"),
        ]);
        assert!(t.changes.is_empty(), "{:?}", t.changes);
        assert!(t.state_on(day(6)).disputed);
    }

    #[test]
    fn hearsay_from_one_voice_moves_the_state_but_makes_no_change() {
        let t = timeline(vec![claim(Change, Some(RU), 5, Reported, None, "a")]);
        assert!(t.changes.is_empty(), "{:?}", t.changes);
        assert_eq!(t.state_on(day(6)).state, ControlState::Russia);
        let t = timeline(vec![claim(Change, Some(RU), 5, Reported, None, "a"), claim(Change, Some(RU), 6, Unconfirmed, None, "b")]);
        assert!(t.changes.is_empty(), "one voice twice is still one voice: {:?}", t.changes);
        // A second voice, or a named source (even one the report cannot verify), makes it a change.
        let t = timeline(vec![claim(Change, Some(RU), 5, Reported, None, "a"), claim(Change, Some(RU), 6, Reported, Some("local residents"), "b")]);
        assert_eq!(t.changes.len(), 1);
        let t = timeline(vec![claim(Change, Some(RU), 5, Unconfirmed, Some("MoD"), "a")]);
        assert_eq!(t.changes.len(), 1);
        let t = timeline(vec![claim(Change, Some(RU), 5, Reported, None, "a"), claim(Change, Some(RU), 6, Claimed, Some("MoD"), "b")]);
        assert_eq!(t.changes.iter().map(|c| (c.to_side, c.claimants)).collect::<Vec<_>>(), [(RU, 2)]);
    }

    #[test]
    fn a_sides_unverified_claim_of_its_own_gain_is_hearsay() {
        let t = timeline(vec![claim(Change, Some(RU), 6, Unconfirmed, Some("pro-Russian bloggers"), "b")]);
        assert!(t.changes.is_empty(), "{:?}", t.changes);
        assert_eq!(t.state_on(day(7)).state, ControlState::Russia, "the claim still moves the state");
        assert_eq!(t.state_on(day(7)).supporting, [0], "and stays visible as the state's");
        // The losing side's unverified word on its own loss, and a side's own claim the report
        // does not doubt, vouch for a change.
        let t = timeline(vec![claim(Change, Some(RU), 6, Unconfirmed, Some("a Ukrainian regional governor"), "a")]);
        assert_eq!(t.changes.len(), 1);
        let t = timeline(vec![claim(Change, Some(RU), 6, Claimed, Some("the Russian defence ministry"), "a")]);
        assert_eq!(t.changes.len(), 1);
        // Two voices of the gaining side, unverified, are two.
        let t = timeline(vec![
            claim(Change, Some(UA), 6, Unconfirmed, Some("Ukrainian paratroopers"), "a"),
            claim(Change, Some(UA), 7, Unconfirmed, Some("Kyiv's army command"), "b"),
        ]);
        assert_eq!(t.changes.iter().map(|c| (c.to_side, c.claimants)).collect::<Vec<_>>(), [(UA, 2)]);
    }

    #[test]
    fn a_channel_of_the_gaining_side_is_hearsay_even_undoubted() {
        // A commentator's channel on its own side's gain, which the report passes on without
        // doubting it: the state moves, no change is made.
        let t = timeline(vec![claim(Change, Some(RU), 6, Claimed, Some("a pro-Kremlin Telegram channel"), "a")]);
        assert!(t.changes.is_empty(), "{:?}", t.changes);
        assert_eq!(t.state_on(day(7)).state, ControlState::Russia);
        let t = timeline(vec![claim(Change, Some(UA), 6, Claimed, Some("Ukrainian milbloggers"), "a")]);
        assert!(t.changes.is_empty(), "{:?}", t.changes);
        // The same channel on the other side's gain is an admission, and vouches; so does an
        // official of the gaining side, and a second voice alongside the channel.
        let t = timeline(vec![claim(Change, Some(UA), 6, Claimed, Some("a pro-Russian Telegram channel"), "a")]);
        assert_eq!(t.changes.len(), 1);
        let t = timeline(vec![claim(Change, Some(RU), 6, Claimed, Some("the Russian General Staff"), "a")]);
        assert_eq!(t.changes.len(), 1);
        let t = timeline(vec![claim(Change, Some(RU), 6, Claimed, Some("a Russian Telegram channel"), "a"), claim(Change, Some(RU), 7, Reported, None, "b")]);
        assert_eq!(t.changes.iter().map(|c| (c.to_side, c.date_latest)).collect::<Vec<_>>(), [(RU, day(7))]);
    }

    #[test]
    fn a_change_only_hedged_claims_tell_first_is_dated_up_to_the_first_outright_one() {
        let t = timeline(vec![
            claim(Presence, Some(UA), 2, Asserted, None, "a"),
            claim(Change, Some(RU), 5, Assessed, None, "b"),
            claim(Change, Some(RU), 9, Unconfirmed, Some("MoD"), "c"),
            claim(Change, Some(RU), 20, Asserted, None, "d"),
            claim(Change, Some(RU), 25, Confirmed, None, "e"),
        ]);
        let got: Vec<(Side, NaiveDate, NaiveDate)> = t.changes.iter().map(|c| (c.to_side, c.date_earliest, c.date_latest)).collect();
        assert_eq!(got, [(RU, day(4), day(20))], "from the assessment's first day to the first assertion's");
        // A named source's claim first: it vouches, and a surer claim later does not move the day.
        let t = timeline(vec![
            claim(Presence, Some(UA), 2, Asserted, None, "a"),
            claim(Change, Some(RU), 5, Claimed, Some("MoD"), "b"),
            claim(Change, Some(RU), 20, Confirmed, None, "c"),
        ]);
        assert_eq!(t.changes.iter().map(|c| (c.date_earliest, c.date_latest)).collect::<Vec<_>>(), [(day(4), day(5))]);
        // Hedged claims with no outright one keep the first day they vouch.
        let t = timeline(vec![claim(Presence, Some(UA), 2, Asserted, None, "a"), claim(Change, Some(RU), 5, Assessed, None, "b")]);
        assert_eq!(t.changes.iter().map(|c| (c.date_earliest, c.date_latest)).collect::<Vec<_>>(), [(day(4), day(5))]);
    }

    #[test]
    fn a_change_hearsay_tells_first_is_dated_up_to_the_day_a_source_vouches_for_it() {
        let t = timeline(vec![
            claim(Presence, Some(UA), 2, Asserted, None, "a"),
            claim(Change, Some(RU), 5, Reported, None, "b"),
            claim(Change, Some(RU), 11, Claimed, Some("MoD"), "c"),
        ]);
        let got: Vec<(Side, NaiveDate, NaiveDate)> = t.changes.iter().map(|c| (c.to_side, c.date_earliest, c.date_latest)).collect();
        assert_eq!(got, [(RU, day(4), day(11))], "from the hearsay's first day to the named source's");
        assert_eq!(t.state_on(day(6)).state, ControlState::Russia, "the hearsay still moves the state");
        // A change a source vouches for at once keeps its own window.
        let t = timeline(vec![claim(Presence, Some(UA), 2, Asserted, None, "a"), claim(Change, Some(RU), 5, Claimed, Some("MoD"), "b")]);
        assert_eq!(t.changes.iter().map(|c| (c.date_earliest, c.date_latest)).collect::<Vec<_>>(), [(day(4), day(5))]);
    }

    #[test]
    fn fighting_makes_a_contested_span_until_a_holder_is_named() {
        let t = timeline(vec![
            claim(Presence, Some(UA), 2, Asserted, None, "a"),
            claim(Contested, None, 6, Asserted, None, "b"),
            claim(Change, Some(RU), 12, Asserted, None, "c"),
        ]);
        let states: Vec<(ControlState, Option<NaiveDate>)> = t.states.iter().map(|s| (s.state, s.from)).collect();
        assert_eq!(
            states,
            [
                (ControlState::Unknown, None),
                (ControlState::Ukraine, Some(day(2))),
                (ControlState::Contested, Some(day(6))),
                (ControlState::Russia, Some(day(12)))
            ]
        );
        assert_eq!(t.state_on(day(8)).holder, Some(UA), "the holder while contested");
    }

    /// A state as the store keeps it: state, holder, first day, next state's day, disputed.
    type KeptState = (ControlState, Option<Side>, Option<NaiveDate>, Option<NaiveDate>, bool);

    /// What the store keeps of a timeline: each state's span and flags, and each change with
    /// its sources (not the indexes of its claims, which shift as claims come in).
    fn kept(t: &SettlementTimeline) -> (Vec<KeptState>, Vec<crate::timeline::ControlChange>) {
        (t.states.iter().map(|s| (s.state, s.holder, s.from, s.until, s.disputed)).collect(), crate::timeline::ControlChange::of_timeline(t))
    }

    #[test]
    fn fighting_on_a_day_already_fought_over_and_denied_fighting_change_nothing() {
        let base = vec![
            claim(Presence, Some(UA), 2, Asserted, None, "a"),
            claim(Contested, None, 6, Claimed, Some("General Staff"), "b"),
            claim(Change, Some(RU), 12, Asserted, None, "c"),
            claim(Contested, None, 15, Asserted, None, "d"),
            claim(Change, Some(UA), 20, Claimed, Some("General Staff"), "e"),
        ];
        let reference = kept(&timeline(base.clone()));
        let mut more = base.clone();
        more.push(claim(Contested, None, 6, Unconfirmed, Some("milbloggers"), "f"));
        more.push(claim(Contested, None, 15, Reported, None, "g"));
        more.push(claim(Contested, None, 9, Denied, Some("Russian MoD"), "h"));
        more.push(claim(Contested, None, 25, Denied, None, "i"));
        assert!(more[5..].iter().all(|c| c.effect() != Effect::Anything));
        assert_eq!(kept(&timeline(more)), reference);
        // A new day of fighting is a change of the timeline, and the effect says it may be.
        let mut later = base;
        later.push(claim(Contested, None, 25, Asserted, None, "j"));
        assert_eq!(later[5].effect(), Effect::FoughtOn(day(25)));
        assert_ne!(kept(&timeline(later)), reference);
    }

    #[test]
    fn evidence_is_cut_at_char_offsets_whatever_the_order_of_the_statements() {
        let text = "Kup’yans’k fell. Ізюм held — reportedly. Short.";
        let chars: Vec<char> = text.chars().collect();
        let cut = |a: usize, b: usize| chars[a.min(chars.len())..b.clamp(a.min(chars.len()), chars.len())].iter().collect::<String>();
        let spans = [(17, 40), (0, 16), (41, 47), (17, 40), (45, 200), (300, 310), (5, 5)];
        let chars = CharOffsets::new(text);
        for (a, b) in spans {
            assert_eq!(chars.char_slice(a, b), cut(a, b), "chars {a}..{b}");
        }
        assert_eq!(chars.char_slice(17, 40), "Ізюм held — reportedly.");
    }

    #[test]
    fn one_claim_repeated_counts_once() {
        let once = timeline(vec![claim(Change, Some(RU), 5, Claimed, Some("MoD"), "a")]);
        let twice = timeline(vec![claim(Change, Some(RU), 5, Claimed, Some("MoD"), "a"), claim(Change, Some(RU), 5, Claimed, Some("MoD"), "a")]);
        assert_eq!(once, twice);
        assert_eq!(once.changes[0].claimants, 1);
    }
}
