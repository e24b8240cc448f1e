//! sitrep's reader: the situation picture of one report, as an analyst writes it down.
//!
//! ```no_run
//! use sitrep_gazetteer::Gazetteer;
//! use sitrep_read::{Reader, Report};
//! let gaz = Gazetteer::open_default()?;
//! let reader = Reader::new(&gaz);
//! let reading = reader.read(&Report::text("r1", "The ministry said troops advanced 30 miles near Izyum."));
//! for n in &reading.numbers {
//!     println!("{} ({:?}) according to {:?}", n.number.text, n.quantity, n.claimant);
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The work: the geoparser finds the places; [`sentences`] splits the text; [`claims`] finds
//! who says what; [`numbers`] finds stated numbers, each tied to its sentence's claim and to
//! the quantity it measures, and numbers about the same quantity from different claimants are
//! set side by side as disagreements; [`geocheck`] compares stated distances and directions
//! with the gazetteer; [`dates`] resolves dates against the publication date.
//!
//! [`events`] finds what happened in each sentence; the reader gives each event the most
//! precise place and the date its sentence names, and the source and certainty of its claim,
//! and folds later sentences that tell the same event into it, each kept as evidence.
//! Every offset in a reading counts Unicode scalar values (Python `str` indices) from the
//! start of the report text, end exclusive, as the geoparser's do.

pub mod claims;
pub mod control;
pub mod dates;
pub mod events;
pub mod geocheck;
pub mod html;
pub mod modality;
pub mod numbers;
pub mod sentences;
mod side;

use chrono::NaiveDate;
use serde::Serialize;
use sitrep_gazetteer::{Feature, Gazetteer, Place};
use sitrep_geoparse::Geoparser;

pub use crate::side::Side;

use crate::{
    claims::{Certainty, Claim, Claimant},
    dates::{DateMention, DatePrecision},
    events::{Actor, EventMention},
    geocheck::GeoCheck,
    numbers::{StatedNumber, Unit},
};

/// The version of the reading's JSON schema; bumped when a field changes meaning or goes.
pub const SCHEMA: &str = "sitrep.reading/0.1";

/// A report to read.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// An id (file name, JSON id).
    pub id: String,
    /// The headline, if known apart from the text.
    pub title: Option<String>,
    /// The author or authors, if known.
    pub byline: Option<String>,
    /// The publication date, if known.
    pub published: Option<NaiveDate>,
    /// The outlet that published it.
    pub source: Option<String>,
    /// Where it was published.
    pub url: Option<String>,
    /// The text.
    pub text: String,
}

impl Report {
    /// A report that is only text.
    pub fn text(id: &str, text: &str) -> Report {
        Report { id: id.to_owned(), text: text.to_owned(), ..Report::default() }
    }
}

/// Where the publication date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PublishedFrom {
    /// Given with the report (metadata or `--published`).
    Input,
    /// The latest full date written in the text.
    Text,
    /// Unknown: relative dates are not resolved.
    Unknown,
}

/// One place the report names, with every mention of it.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceReading {
    /// Gazetteer id ("geonames:703656", "sitrep:donbas").
    pub id: String,
    /// Name.
    pub name: String,
    /// Feature class.
    pub feature: Feature,
    /// First-level subdivision, if any.
    pub admin1: Option<String>,
    /// Country, if any.
    pub country: Option<String>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// The mentions: text and character offsets.
    pub mentions: Vec<PlaceMention>,
}

/// One mention of a place.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceMention {
    /// As written.
    pub text: String,
    /// Start, in Unicode scalar values.
    pub start: usize,
    /// End, in Unicode scalar values.
    pub end: usize,
}

/// A stated number with what it measures and who states it.
#[derive(Debug, Clone, Serialize)]
pub struct NumberReading {
    /// The number.
    pub number: StatedNumber,
    /// What it measures ("depth of advance", "territory taken", "troops moved", ...).
    pub quantity: &'static str,
    /// Who states it (the claimant of its sentence); `None` for the report's own voice.
    pub claimant: Option<String>,
    /// How sure the sentence sounds, when it is a claim.
    pub certainty: Option<Certainty>,
}

/// Where an event happened: the most precise place its sentence names.
#[derive(Debug, Clone, Serialize)]
pub struct EventPlace {
    /// Gazetteer id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The mention as written.
    pub mention: String,
    /// UCDP-style precision code: 1 town, 2 near a town, 3 second-level area, 4 first-level
    /// area or region, 5 river or sea, 6 country.
    pub precision: u8,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
}

/// When an event happened.
#[derive(Debug, Clone, Serialize)]
pub struct EventDate {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// How precise.
    pub precision: DatePrecision,
    /// "sentence" when the sentence dates it; "publication" when only the report's date does.
    pub from_text: &'static str,
}

/// An event with its place, date and source.
#[derive(Debug, Clone, Serialize)]
pub struct EventReading {
    /// The event as its sentence states it.
    #[serde(flatten)]
    pub event: EventMention,
    /// The evidence sentence.
    pub text: String,
    /// Where.
    pub place: Option<EventPlace>,
    /// When.
    pub date: Option<EventDate>,
    /// According to whom (the sentence's claimant); `None` for the report's own voice.
    pub claimant: Option<String>,
    /// How sure: the claim's certainty, or asserted by the report.
    pub certainty: Certainty,
    /// Later sentences that tell the same event (same type and place, sides that agree,
    /// dates that overlap), each with its own source: provenance is kept, not merged away.
    pub also: Vec<Evidence>,
}

/// Another sentence telling an event.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// Start of the sentence.
    pub start: usize,
    /// End of the sentence.
    pub end: usize,
    /// The sentence.
    pub text: String,
    /// According to whom.
    pub claimant: Option<String>,
    /// How sure.
    pub certainty: Certainty,
}

impl EventReading {
    /// True when `other` tells the same event: same type, same place, no two different sides,
    /// overlapping dates.
    fn same_as(&self, other: &EventReading) -> bool {
        let side = |e: &EventReading| e.event.actor.as_ref().and_then(|a| a.side.clone());
        let sides_agree = match (side(self), side(other)) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        let dates_overlap = match (&self.date, &other.date) {
            (Some(a), Some(b)) => a.from <= b.to && b.from <= a.to || a.from_text == "publication" || b.from_text == "publication",
            _ => true,
        };
        self.event.event_type == other.event.event_type
            && self.place.as_ref().zip(other.place.as_ref()).is_some_and(|(a, b)| a.id == b.id)
            && sides_agree
            && dates_overlap
    }

    /// Takes in `other`, a later telling of the same event.
    fn absorb(&mut self, other: EventReading) {
        if self.event.actor.is_none() {
            self.event.actor = other.event.actor.clone();
            self.event.set_holders();
        }
        if self.date.as_ref().is_none_or(|d| d.from_text == "publication") && other.date.as_ref().is_some_and(|d| d.from_text == "sentence") {
            self.date = other.date.clone();
        }
        self.also.push(Evidence { start: other.event.start, end: other.event.end, text: other.text, claimant: other.claimant, certainty: other.certainty });
    }
}

/// Numbers about one quantity from more than one source.
#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    /// The quantity.
    pub quantity: &'static str,
    /// The unit the ranges are in.
    pub unit: Unit,
    /// Indexes into [`Reading::numbers`], in text order.
    pub numbers: Vec<usize>,
    /// True when the ranges stated do not all overlap.
    pub conflicting: bool,
}

/// The situation picture of one report.
#[derive(Debug, Clone, Serialize)]
pub struct Reading {
    /// [`SCHEMA`].
    pub schema: &'static str,
    /// The report's id.
    pub id: String,
    /// Its headline, when given.
    pub title: Option<String>,
    /// Its author or authors, when given.
    pub byline: Option<String>,
    /// Its outlet, when given.
    pub source: Option<String>,
    /// Its address, when given.
    pub url: Option<String>,
    /// The publication date used to resolve relative dates.
    pub published: Option<NaiveDate>,
    /// Where that date came from.
    pub published_from: PublishedFrom,
    /// The places, in order of first mention.
    pub places: Vec<PlaceReading>,
    /// Nationality words with their countries ("Ukrainian" → UA), as written, deduplicated.
    pub demonyms: Vec<(String, Option<String>)>,
    /// Events, in text order.
    pub events: Vec<EventReading>,
    /// Claims, in text order.
    pub claims: Vec<Claim>,
    /// Stated numbers, in text order.
    pub numbers: Vec<NumberReading>,
    /// Numbers about the same quantity from different sources.
    pub disagreements: Vec<Disagreement>,
    /// Stated distances and directions, checked against the gazetteer.
    pub geography_checks: Vec<GeoCheck>,
    /// Dates, resolved.
    pub dates: Vec<DateMention>,
    /// Control of settlements: changes, presence, fighting ([`control`]).
    pub control: Vec<control::ControlStatement>,
    /// What the reader could not do, in words ("no publication date: ...").
    pub notes: Vec<String>,
}

impl Reading {
    /// Turns the byte offsets the stages work with into Unicode scalar offsets, the unit of
    /// every offset in a reading (place mentions already are).
    fn offsets_to_chars(&mut self, text: &str) {
        let chars = CharIndex::new(text);
        let fix = |start: &mut usize, end: &mut usize| {
            *start = chars.at(text, *start);
            *end = chars.at(text, *end);
        };
        for e in &mut self.events {
            fix(&mut e.event.start, &mut e.event.end);
            for a in &mut e.also {
                fix(&mut a.start, &mut a.end);
            }
        }
        for c in &mut self.claims {
            fix(&mut c.start, &mut c.end);
            if let Some(who) = c.claimant.as_mut() {
                fix(&mut who.start, &mut who.end);
            }
        }
        for n in &mut self.numbers {
            fix(&mut n.number.start, &mut n.number.end);
        }
        for g in &mut self.geography_checks {
            fix(&mut g.start, &mut g.end);
        }
        for d in &mut self.dates {
            fix(&mut d.start, &mut d.end);
        }
        for c in &mut self.control {
            fix(&mut c.start, &mut c.end);
            fix(&mut c.place.start, &mut c.place.end);
        }
    }
}

/// Byte offset → char offset in near-constant time: the char count at every 64th byte, and a
/// count over at most 63 bytes from there.
struct CharIndex {
    checkpoints: Vec<usize>,
}

impl CharIndex {
    const STEP: usize = 64;

    fn new(text: &str) -> CharIndex {
        let bytes = text.as_bytes();
        let mut checkpoints = Vec::with_capacity(bytes.len() / Self::STEP + 1);
        let mut count = 0;
        for (i, b) in bytes.iter().enumerate() {
            if i % Self::STEP == 0 {
                checkpoints.push(count);
            }
            // A char starts at every byte that is not a UTF-8 continuation byte.
            count += usize::from(b & 0xC0 != 0x80);
        }
        CharIndex { checkpoints }
    }

    /// The char offset of byte offset `byte` (on a char boundary, at most the text's length).
    fn at(&self, text: &str, byte: usize) -> usize {
        let k = byte / Self::STEP;
        let Some(&base) = self.checkpoints.get(k) else { return text.chars().count() };
        base + text.as_bytes()[k * Self::STEP..byte].iter().filter(|&&b| b & 0xC0 != 0x80).count()
    }
}

/// Reads reports. Holds a geoparser and nothing per report.
pub struct Reader<'g> {
    geoparser: Geoparser<'g>,
}

impl<'g> Reader<'g> {
    /// A reader over `gaz`.
    pub fn new(gaz: &'g Gazetteer) -> Reader<'g> {
        Reader { geoparser: Geoparser::new(gaz) }
    }

    /// Reads one report.
    pub fn read(&self, report: &Report) -> Reading {
        let text = &report.text;
        let mut notes = Vec::new();
        let parse = self.geoparser.parse(text);
        let sentences = sentences::split(text);
        let claims = claims::find(text, &sentences);

        let (published, published_from) = match (report.published, dates::latest_full_date(text)) {
            (Some(p), _) => (Some(p), PublishedFrom::Input),
            (None, Some(d)) => {
                notes.push(format!("no publication date given; using {d}, the latest full date in the text"));
                (Some(d), PublishedFrom::Text)
            }
            (None, None) => {
                notes.push("no publication date given or written; relative dates (\"on Saturday\") are not resolved".to_owned());
                (None, PublishedFrom::Unknown)
            }
        };
        let (dates, unresolved) = dates::find(text, published);
        notes.extend(
            unresolved.into_iter().map(|d| format!("the date {d:?} could not be resolved (no such day, or no year and no publication date); left out")),
        );

        // Places, grouped by gazetteer entry, in order of first mention.
        let mut places: Vec<PlaceReading> = Vec::new();
        for t in &parse.toponyms {
            let Some(p) = t.place else { continue };
            let mention = PlaceMention { text: t.text.clone(), start: t.start, end: t.end };
            match places.iter_mut().find(|r| r.id == p.id()) {
                Some(r) => r.mentions.push(mention),
                None => places.push(place_reading(&p, mention)),
            }
        }
        let mut demonyms: Vec<(String, Option<String>)> = Vec::new();
        for d in &parse.demonyms {
            let entry = (d.text.clone(), d.country.map(|c| c.code().to_owned()));
            if !demonyms.contains(&entry) {
                demonyms.push(entry);
            }
        }

        // Numbers, each with its sentence's claim and quantity.
        let mut numbers = Vec::new();
        let mut geography_checks = Vec::new();
        for n in numbers::find(text) {
            let sentence = sentences.iter().find(|s| s.start <= n.start && n.start < s.end).copied();
            let claim = claims.iter().find(|c| c.start <= n.start && n.start < c.end);
            let sentence_text = sentence.map_or("", |s| &text[s.start..s.end]);
            let after = &text[n.end..boundary_at_or_before(text, n.end + 80)];
            // "Kreminna, some 30 kilometres east of Lyman": a distance that locates a place named
            // right before it; "pushed 6 kilometres east of Lyman" is an advance.
            let appositive = parse.toponyms.iter().any(|t| t.byte_end <= n.start && text[t.byte_end..n.start].trim() == ",");
            let reference = if n.unit == Unit::Km && appositive { direction_of(after) } else { None };
            if let (Some((bearing, skip)), Some(s)) = (reference, sentence) {
                if let Some(check) = self.geo_check(text, &parse, &n, bearing, n.end + skip, s) {
                    geography_checks.push(check);
                }
            }
            // A distance between two places describes the map: the report's own voice.
            let (quantity, claim) = match reference {
                Some(_) => ("distance between places", None),
                None => (quantity(n.unit, sentence_text), claim),
            };
            numbers.push(NumberReading {
                quantity,
                claimant: claim.and_then(|c| c.claimant.as_ref()).map(|c: &Claimant| c.name.clone()),
                certainty: claim.map(|c| c.certainty),
                number: n,
            });
        }
        let events = sentences
            .iter()
            .filter_map(|s| {
                let sentence = &text[s.start..s.end];
                if sentence.trim_end_matches(['"', '”']).ends_with('?') {
                    return None;
                }
                let mut event = events::read_sentence(sentence, s.start)?;
                let claim = claims.iter().find(|c| c.start == s.start);
                let claimant = claim.and_then(|c| c.claimant.as_ref());
                // "Russia's defence ministry said it is pulling back forces": the claimant's side.
                if event.actor.is_none() {
                    event.actor = claimant.and_then(|c| side_in(&c.name)).map(|(name, side)| Actor { name: name.to_owned(), side: Some(side.to_owned()) });
                    event.set_holders();
                }
                let place = parse
                    .toponyms
                    .iter()
                    .filter(|t| t.byte_start >= s.start && t.byte_end <= s.end)
                    .filter_map(|t| t.place.map(|p| (t, p)))
                    .min_by_key(|(t, _)| u8::from(t.precision))
                    .map(|(t, p)| EventPlace {
                        id: p.id(),
                        name: p.display_name().to_owned(),
                        mention: t.text.clone(),
                        precision: u8::from(t.precision),
                        lat: p.point().lat,
                        lon: p.point().lon,
                    });
                let date = dates
                    .iter()
                    .find(|d| d.start >= s.start && d.end <= s.end)
                    .map(|d| EventDate { from: d.from, to: d.to, precision: d.precision, from_text: "sentence" })
                    .or_else(|| published.map(|p| EventDate { from: p, to: p, precision: DatePrecision::Day, from_text: "publication" }));
                Some(EventReading {
                    text: sentence.to_owned(),
                    place,
                    date,
                    claimant: claimant.map(|c| c.name.clone()),
                    certainty: claim.map_or(Certainty::Asserted, |c| c.certainty),
                    event,
                    also: Vec::new(),
                })
            })
            .fold(Vec::new(), |mut merged: Vec<EventReading>, e| {
                match merged.iter_mut().find(|m| m.same_as(&e)) {
                    Some(m) => m.absorb(e),
                    None => merged.push(e),
                }
                merged
            });
        // Each claim points to the event its sentence tells.
        let mut claims = claims;
        for c in &mut claims {
            c.event = events.iter().position(|e: &EventReading| e.event.start == c.start || e.also.iter().any(|a| a.start == c.start));
        }
        let disagreements = disagreements(&numbers);
        let control = control::find(text, &sentences, &parse.toponyms, &claims, &dates, published);
        if parse.toponyms.is_empty() {
            notes.push("no places found".to_owned());
        }
        let mut reading = Reading {
            schema: SCHEMA,
            id: report.id.clone(),
            title: report.title.clone(),
            byline: report.byline.clone(),
            source: report.source.clone(),
            url: report.url.clone(),
            published,
            published_from,
            places,
            demonyms,
            events,
            claims,
            numbers,
            disagreements,
            geography_checks,
            dates,
            control,
            notes,
        };
        reading.offsets_to_chars(text);
        reading
    }

    /// "Kupiansk, some 73 kilometres north of Izyum": the place is the nearest toponym before
    /// the number in its sentence, the reference the toponym right after the direction.
    fn geo_check(
        &self,
        text: &str,
        parse: &sitrep_geoparse::Parse<'_>,
        n: &StatedNumber,
        bearing: Option<f64>,
        reference_at: usize,
        sentence: sentences::Sentence,
    ) -> Option<GeoCheck> {
        let point_like = |p: &Place<'_>| !p.feature().is_area() && !p.feature().is_water();
        let reference = parse.toponyms.iter().find(|t| t.byte_start >= reference_at && t.byte_start <= reference_at + 4)?;
        let place = parse.toponyms.iter().rev().find(|t| t.byte_end <= n.start && t.byte_start >= sentence.start)?;
        let (rp, pp) = (reference.place?, place.place?);
        if !point_like(&rp) || !point_like(&pp) {
            return None;
        }
        let stated_km = (n.low + n.high) / 2.0;
        let (km, b, verdict) = geocheck::check(&pp, &rp, stated_km, bearing);
        Some(GeoCheck {
            start: n.start,
            end: reference.byte_end,
            place: place.text.clone(),
            reference: text[reference.byte_start..reference.byte_end].to_owned(),
            stated_km,
            stated_direction: bearing.map(geocheck::stated_compass),
            gazetteer_km: (km * 10.0).round() / 10.0,
            gazetteer_bearing: b.round(),
            gazetteer_direction: sitrep_gazetteer::compass_point(b),
            verdict,
        })
    }
}

fn place_reading(p: &Place<'_>, mention: PlaceMention) -> PlaceReading {
    PlaceReading {
        id: p.id(),
        name: p.display_name().to_owned(),
        feature: p.feature(),
        admin1: p.admin1().map(|a| a.display_name().to_owned()),
        country: p.country().map(|c| c.display_name().to_owned()),
        lat: p.point().lat,
        lon: p.point().lon,
        mentions: vec![mention],
    }
}

/// The side a source's name belongs to ("Russia's defence ministry" → Russian forces, RU).
fn side_in(name: &str) -> Option<(&'static str, &'static str)> {
    let lower = name.to_lowercase();
    if lower.contains("russia") {
        Some(("Russian forces", "RU"))
    } else if lower.contains("ukrain") {
        Some(("Ukrainian forces", "UA"))
    } else {
        None
    }
}

/// The largest char boundary of `text` at or before byte `i` (the text's end when past it).
fn boundary_at_or_before(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// "north of Izyum" right after a distance: the stated bearing (None for "from") and how many
/// bytes after the number the reference place starts.
fn direction_of(after: &str) -> Option<(Option<f64>, usize)> {
    let trimmed = after.trim_start();
    let lead = after.len() - trimmed.len();
    let mut words = trimmed.splitn(3, char::is_whitespace);
    let first = words.next()?;
    if first.eq_ignore_ascii_case("from") || first.eq_ignore_ascii_case("away") {
        return None;
    }
    let bearing = geocheck::direction_bearing(first)?;
    let of = words.next()?;
    if !of.eq_ignore_ascii_case("of") {
        return None;
    }
    let rest = words.next()?;
    let skip = lead + first.len() + 1 + of.len() + 1 + (rest.len() - rest.trim_start().len());
    Some((Some(bearing), skip))
}

/// What a number measures, from its unit and the words of its sentence.
fn quantity(unit: Unit, sentence: &str) -> &'static str {
    let s = sentence.to_lowercase();
    let any = |words: &[&str]| words.iter().any(|w| s.contains(w));
    match unit {
        Unit::Km if any(&["advance", "taken", "penetrat", "pushed", "depth", "gained", "moved forward", "broke through"]) => "depth of advance",
        Unit::Km => "distance",
        Unit::Km2 if any(&["taken", "retaken", "recaptur", "liberat", "captur", "seized", "regained", "lost", "territory"]) => "territory taken",
        Unit::Km2 => "area",
        Unit::People if any(&["killed", "died", "dead", "wounded", "injured", "casualties", "losses", "lost"]) => "casualties",
        Unit::People if any(&["moved", "redeployed", "sent", "transferred", "withdrew", "pulled"]) => "troops moved",
        Unit::People => "people",
        Unit::Equipment if any(&["destroyed", "lost", "captured", "shot down", "downed"]) => "equipment lost",
        Unit::Equipment => "equipment",
        Unit::Settlements if any(&["liberat", "captur", "retaken", "recaptur", "taken", "entered"]) => "settlements taken",
        Unit::Settlements => "settlements",
    }
}

/// Groups numbers about the same quantity stated by more than one source (the report's own
/// voice counts as one).
fn disagreements(numbers: &[NumberReading]) -> Vec<Disagreement> {
    let mut out: Vec<Disagreement> = Vec::new();
    for (i, n) in numbers.iter().enumerate() {
        if n.quantity == "distance between places" {
            continue;
        }
        match out.iter_mut().find(|d| d.quantity == n.quantity && d.unit == n.number.unit) {
            Some(d) => d.numbers.push(i),
            None => out.push(Disagreement { quantity: n.quantity, unit: n.number.unit, numbers: vec![i], conflicting: false }),
        }
    }
    out.retain(|d| {
        let mut sources: Vec<Option<&str>> = d.numbers.iter().map(|&i| numbers[i].claimant.as_deref()).collect();
        sources.sort_unstable();
        sources.dedup();
        sources.len() > 1
    });
    for d in &mut out {
        let ranges: Vec<(f64, f64)> = d.numbers.iter().map(|&i| range_of(&numbers[i].number)).collect();
        let lowest_high = ranges.iter().map(|r| r.1).fold(f64::INFINITY, f64::min);
        let highest_low = ranges.iter().map(|r| r.0).fold(f64::NEG_INFINITY, f64::max);
        d.conflicting = highest_low > lowest_high * 1.05;
    }
    out
}

/// The range a stated number allows: "up to 30" is 0..30, "more than 1,000" 1,000..∞.
fn range_of(n: &StatedNumber) -> (f64, f64) {
    use numbers::Bound::*;
    match n.bound {
        AtMost => (0.0, n.high),
        AtLeast => (n.low, f64::INFINITY),
        About => (n.low * 0.9, n.high * 1.1),
        Exact | Vague => (n.low, n.high),
    }
}
