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
//! [`Reader::read`] runs a short list of stages over one report, each a module:
//!
//! 1. the geoparser finds the places, and [`sentences`] splits the text;
//! 2. [`dates`]: the publication date and every date, resolved;
//! 3. [`places`]: the places named, grouped by gazetteer entry, and the nationality words;
//! 4. [`claims`]: who says what, and how sure they sound;
//! 5. [`figures`]: the stated numbers ([`numbers`]), each with the quantity it measures and
//!    its sentence's claimant;
//! 6. [`geocheck`]: stated distances and directions against the gazetteer;
//! 7. [`event_readings`]: what happened in each sentence ([`events`]), placed, dated and
//!    attributed, with retellings of the same event folded in;
//! 8. [`disagreements`]: numbers about one quantity from different sources, side by side;
//! 9. [`control`]: control of settlements (changes of hands, who holds them, fighting), each
//!    statement classified by [`modality`] (event or not, and how sure);
//! 10. [`offsets`]: byte offsets turned into char offsets.
//!
//! Each stage is linear in the report: items in text order are matched by binary search or
//! by walking two sorted lists together, never by a scan per item.
//! Every offset in a reading counts Unicode scalar values (Python `str` indices) from the
//! start of the report text, end exclusive, as the geoparser's do.

pub mod claims;
pub mod control;
pub mod dates;
pub mod disagreements;
pub mod event_readings;
pub mod events;
pub mod figures;
pub mod geocheck;
pub mod html;
pub mod intake;
pub mod modality;
pub mod numbers;
pub mod offsets;
pub mod pattern;
pub mod places;
pub mod sentences;
mod side;

use chrono::NaiveDate;
use serde::Serialize;
use sitrep_gazetteer::Gazetteer;
use sitrep_geoparse::{Geoparser, Theatre};

use crate::{claims::Claim, dates::DateMention, geocheck::GeoCheck};
pub use crate::{
    dates::PublishedFrom,
    disagreements::Disagreement,
    event_readings::{DateSource, EventDate, EventPlace, EventReading, Evidence},
    figures::{NumberReading, Quantity},
    intake::Report,
    places::{DemonymReading, PlaceMention, PlaceReading},
    side::Side,
};

/// Writes a gazetteer coordinate (single precision, widened) in its shortest exact form:
/// 49.71003, never 49.710029602050781.
fn coordinate<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f32(*v as f32)
}

/// The version of the reading's JSON schema; bumped when a field changes meaning or goes.
pub const SCHEMA: &str = "sitrep.reading/0.2";

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
    pub demonyms: Vec<DemonymReading>,
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
    /// Control of settlements: changes of hands, presence, fighting ([`control`]).
    pub control: Vec<control::ControlStatement>,
    /// What the reader could not do, in words ("no publication date: ...").
    pub notes: Vec<String>,
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

    /// The same reader, resolving place names with the theatre prior of `theatre` (see
    /// [`sitrep_geoparse::theatre`]): an explicit country, a batch's places, or both.
    pub fn with_theatre(self, theatre: Theatre) -> Reader<'g> {
        Reader { geoparser: self.geoparser.with_theatre(theatre) }
    }

    /// The geoparser the reader resolves places with.
    pub fn geoparser(&self) -> &Geoparser<'g> {
        &self.geoparser
    }

    /// Reads one report: the stages in order, with the text lower-cased once for every
    /// pattern's search ([`pattern::with_document`]).
    pub fn read(&self, report: &Report) -> Reading {
        pattern::with_document(&report.text, || self.read_stages(report))
    }

    fn read_stages(&self, report: &Report) -> Reading {
        let text = report.text.as_str();
        let mut parse = self.geoparser.parse(text);
        let sentences = sentences::split(text);
        let dating = dates::read(text, report.published);
        let mut claims = claims::find(text, &sentences);
        let numbers = figures::read(text, &sentences, &claims, &parse.toponyms);
        places::misspelt(&self.geoparser, text, &sentences, &mut parse.toponyms);
        geocheck::settle_by_neighbours(self.geoparser.gazetteer(), &sentences, &mut parse.toponyms);
        geocheck::settle_homonyms(text, &sentences, &mut parse.toponyms, &numbers);
        let settled = geocheck::settle_by_direction(self.geoparser.gazetteer(), text, &mut parse.toponyms);
        let mut control = control::read(
            self.geoparser.gazetteer(),
            control::Inputs {
                text,
                sentences: &sentences,
                toponyms: &parse.toponyms,
                settled: &settled,
                claims: &claims,
                dates: &dating.dates,
                published: dating.published,
            },
        );
        control::pin_mentions(self.geoparser.gazetteer(), &control, &mut parse.toponyms);
        let geography_checks = geocheck::read(text, &sentences, &parse.toponyms, &numbers);
        // A settlement its own sentence places far from the reading ("A, 6 km south-west of
        // B", read as an A hundreds of kilometres away) is one the gazetteer lacks: no control
        // statement is pinned to the wrong one.
        control.retain(|st| !geography_checks.iter().any(|c| c.disowns_reading && c.place_start == st.place.start));
        let places = places::read(&parse.toponyms);
        let demonyms = places::demonyms(&parse.demonyms);
        let events = event_readings::read(text, &sentences, &mut claims, &parse.toponyms, &dating.dates, dating.published);
        let mut places = places;
        places::add_event_places(&mut places, &events, &parse.toponyms);
        let disagreements = disagreements::find(&numbers);
        let mut notes = dating.notes;
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
            published: dating.published,
            published_from: dating.published_from,
            places,
            demonyms,
            events,
            claims,
            numbers,
            disagreements,
            geography_checks,
            dates: dating.dates,
            control,
            notes,
        };
        offsets::to_chars(&mut reading, text);
        reading
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::OnceLock;

    use sitrep_gazetteer::Gazetteer;
    use sitrep_geoparse::Geoparser;

    use crate::Reader;

    /// The built-in gazetteer, opened once for all tests.
    pub fn gazetteer() -> &'static Gazetteer {
        static GAZ: OnceLock<Gazetteer> = OnceLock::new();
        GAZ.get_or_init(|| Gazetteer::open_default().expect("the built-in gazetteer opens"))
    }

    /// A geoparser over [`gazetteer`], made once.
    pub fn geoparser() -> &'static Geoparser<'static> {
        static PARSER: OnceLock<Geoparser<'static>> = OnceLock::new();
        PARSER.get_or_init(|| Geoparser::new(gazetteer()))
    }

    /// A reader over [`gazetteer`].
    pub fn reader() -> Reader<'static> {
        Reader::new(gazetteer())
    }

    /// An event moved from the oblast the geoparser chose to the city of that name, or from the
    /// city to its oblast, still points to a place of the reading's table (the store refuses an event whose place it
    /// does not hold).
    #[test]
    fn every_place_an_event_names_is_in_the_places_table() {
        let report = crate::Report {
            id: "t".into(),
            text: "Fighting went on across Sumy Oblast and Chernihiv Oblast.\nRussian airstrikes and artillery attacks on Sumy continued on May 30, local officials said.\nRussian units near Chernihiv appear to be pulling back.\nRussian units massed in Belgorod Oblast on Sunday.".into(),
            published: chrono::NaiveDate::from_ymd_opt(2022, 6, 1),
            ..crate::Report::default()
        };
        let reading = reader().read(&report);
        let named: Vec<&str> = reading.events.iter().filter_map(|e| e.place.as_ref()).map(|p| p.id.as_str()).collect();
        assert!(!named.is_empty(), "{:?}", reading.events);
        for id in named {
            let place = reading.places.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("{id} is not in {:?}", reading.places));
            assert!(!place.mentions.is_empty(), "{id} comes with the mentions that offered it");
        }
    }
}
