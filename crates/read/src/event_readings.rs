//! The events stage: the event each sentence tells (found by [`crate::events`]) given its
//! place, date, source and certainty, with later sentences that tell the same event folded
//! into it as evidence; and each claim pointed to the event its sentence tells.
//!
//! An event's place is the most precise place its sentence names; its date the first date
//! written in its sentence, else the publication date; its source and certainty those of its
//! sentence's claim, else the report's own voice ("asserted"). An event without an actor
//! takes the side of its claimant when the claimant is one side's ("Russia's defence ministry
//! said it is pulling back forces").

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use sitrep_geoparse::Toponym;

use crate::{
    claims::{Certainty, Claim},
    dates::{DateMention, DatePrecision},
    events::{self, Actor, EventMention, EventType},
    sentences::Sentence,
    Side,
};

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

/// What dates an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// Its sentence names a date.
    Sentence,
    /// Only the report's publication date: the event happened by then.
    Publication,
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
    /// What dates it: its sentence, or only the report's publication.
    pub from_text: DateSource,
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
        let side = |e: &EventReading| e.event.actor.as_ref().and_then(|a| a.side);
        let sides_agree = match (side(self), side(other)) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        let dates_overlap = match (&self.date, &other.date) {
            (Some(a), Some(b)) => a.from <= b.to && b.from <= a.to || a.from_text == DateSource::Publication || b.from_text == DateSource::Publication,
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
        if self.date.as_ref().is_none_or(|d| d.from_text == DateSource::Publication) && other.date.as_ref().is_some_and(|d| d.from_text == DateSource::Sentence)
        {
            self.date = other.date.clone();
        }
        self.also.push(Evidence { start: other.event.start, end: other.event.end, text: other.text, claimant: other.claimant, certainty: other.certainty });
    }
}

/// The events stage. `sentences`, `claims` (at most one a sentence), `toponyms` and `dates`
/// are in text order; `published` dates the events whose sentence names no date. Sets each
/// claim's [`Claim::event`].
pub fn read(
    text: &str,
    sentences: &[Sentence],
    claims: &mut [Claim],
    toponyms: &[Toponym<'_>],
    dates: &[DateMention],
    published: Option<NaiveDate>,
) -> Vec<EventReading> {
    let mut merged: Vec<EventReading> = Vec::new();
    // The events told so far at each (type, place): a later telling can only be one of them.
    let mut at_place: HashMap<(EventType, String), Vec<usize>> = HashMap::new();
    let mut next_claim = 0;
    for s in sentences {
        let sentence = &text[s.start..s.end];
        if sentence.trim_end_matches(['"', '”']).ends_with('?') {
            continue;
        }
        let Some(event) = events::read_sentence(sentence, s.start) else { continue };
        while next_claim < claims.len() && claims[next_claim].start < s.start {
            next_claim += 1;
        }
        let claim = claims.get(next_claim).filter(|c| c.start == s.start);
        let reading = locate(text, *s, event, claim, toponyms, dates, published);
        let Some(place) = &reading.place else {
            merged.push(reading);
            continue;
        };
        let told = at_place.entry((reading.event.event_type, place.id.clone())).or_default();
        match told.iter().find(|&&i| merged[i].same_as(&reading)) {
            Some(&i) => merged[i].absorb(reading),
            None => {
                told.push(merged.len());
                merged.push(reading);
            }
        }
    }
    // Each claim points to the event its sentence tells.
    let event_of_sentence: HashMap<usize, usize> = merged
        .iter()
        .enumerate()
        .flat_map(|(i, e)| std::iter::once(e.event.start).chain(e.also.iter().map(|a| a.start)).map(move |start| (start, i)))
        .collect();
    for c in claims.iter_mut() {
        c.event = event_of_sentence.get(&c.start).copied();
    }
    merged
}

/// The event of sentence `s` with its place, date, source and certainty.
fn locate(
    text: &str,
    s: Sentence,
    mut event: EventMention,
    claim: Option<&Claim>,
    toponyms: &[Toponym<'_>],
    dates: &[DateMention],
    published: Option<NaiveDate>,
) -> EventReading {
    let claimant = claim.and_then(|c| c.claimant.as_ref());
    // "Russia's defence ministry said it is pulling back forces": the claimant's side.
    if event.actor.is_none() {
        event.actor = claimant.and_then(|c| side_in(&c.name)).map(|(name, side)| Actor { name: name.to_owned(), side: Some(side) });
        event.set_holders();
    }
    let in_sentence = toponyms.partition_point(|t| t.byte_start < s.start)..toponyms.partition_point(|t| t.byte_start < s.end);
    let place =
        toponyms[in_sentence].iter().filter(|t| t.byte_end <= s.end).filter_map(|t| t.place.map(|p| (t, p))).min_by_key(|(t, _)| u8::from(t.precision)).map(
            |(t, p)| EventPlace {
                id: p.id(),
                name: p.display_name().to_owned(),
                mention: t.text.clone(),
                precision: u8::from(t.precision),
                lat: p.point().lat,
                lon: p.point().lon,
            },
        );
    let date = dates[dates.partition_point(|d| d.start < s.start)..]
        .iter()
        .take_while(|d| d.start < s.end)
        .find(|d| d.end <= s.end)
        .map(|d| EventDate { from: d.from, to: d.to, precision: d.precision, from_text: DateSource::Sentence })
        .or_else(|| published.map(|p| EventDate { from: p, to: p, precision: DatePrecision::Day, from_text: DateSource::Publication }));
    EventReading {
        text: text[s.start..s.end].to_owned(),
        place,
        date,
        claimant: claimant.map(|c| c.name.clone()),
        certainty: claim.map_or(Certainty::Asserted, |c| c.certainty),
        event,
        also: Vec::new(),
    }
}

/// The side a source's name belongs to ("Russia's defence ministry" → Russian forces).
fn side_in(name: &str) -> Option<(&'static str, Side)> {
    let lower = name.to_lowercase();
    if lower.contains("russia") {
        Some(("Russian forces", Side::Russia))
    } else if lower.contains("ukrain") {
        Some(("Ukrainian forces", Side::Ukraine))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{claims, dates, sentences, tests::geoparser};

    fn events(text: &str, published: Option<NaiveDate>) -> (Vec<EventReading>, Vec<Claim>) {
        let sentences = sentences::split(text);
        let mut claims = claims::find(text, &sentences);
        let parse = geoparser().parse(text);
        let dating = dates::read(text, published);
        let events = read(text, &sentences, &mut claims, &parse.toponyms, &dating.dates, dating.published);
        (events, claims)
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn an_event_takes_its_sentences_place_date_and_source() {
        let (events, _) = events("The General Staff said Russian artillery shelled Kherson on Tuesday.", Some(day(2023, 1, 12)));
        let e = &events[0];
        assert_eq!(e.event.event_type, EventType::Shelling);
        assert_eq!(e.event.actor.as_ref().and_then(|a| a.side), Some(Side::Russia));
        assert_eq!(e.place.as_ref().map(|p| (p.name.as_str(), p.precision)), Some(("Kherson", 1)));
        let date = e.date.as_ref().unwrap();
        assert_eq!((date.from, date.from_text), (day(2023, 1, 10), DateSource::Sentence));
        assert_eq!((e.claimant.as_deref(), e.certainty), (Some("The General Staff"), Certainty::Asserted));
    }

    #[test]
    fn undated_events_take_the_publication_date_and_a_claimants_side() {
        let (events, _) = events("Russia's defence ministry said it was regrouping forces near Lyman.", Some(day(2022, 10, 1)));
        let e = &events[0];
        assert_eq!(e.event.event_type, EventType::Withdrawal);
        assert_eq!(e.event.actor.as_ref().map(|a| (a.name.as_str(), a.side)), Some(("Russian forces", Some(Side::Russia))));
        assert_eq!(e.event.held_before, Some(Side::Russia));
        assert_eq!(e.date.as_ref().map(|d| (d.from, d.from_text)), Some((day(2022, 10, 1), DateSource::Publication)));
    }

    #[test]
    fn later_tellings_of_the_same_event_are_folded_in_and_claims_point_to_it() {
        let text = "Ukrainian forces shelled Donetsk overnight.\n\
                    Local officials said Russian forces shelled Kharkiv.\n\
                    The regional governor said the shelling of Donetsk went on for hours.\n\
                    Russian forces shelled Donetsk as well, the mayor said.";
        let (events, claims) = events(text, Some(day(2023, 2, 1)));
        let places: Vec<(&str, usize)> = events.iter().map(|e| (e.place.as_ref().unwrap().name.as_str(), e.also.len())).collect();
        assert_eq!(places, [("Donetsk", 1), ("Kharkiv", 0), ("Donetsk", 0)], "the Russian shelling of Donetsk is another event");
        assert_eq!(events[0].also[0].claimant.as_deref(), Some("The regional governor"));
        let pointed: Vec<Option<usize>> = claims.iter().map(|c| c.event).collect();
        assert_eq!(pointed, [Some(1), Some(0), Some(2)]);
    }

    #[test]
    fn questions_and_sentences_without_places_stay_apart() {
        let (events, _) = events("Did Russian forces shell the town?\nRussian forces shelled the town.\nRussian forces shelled the town.", None);
        assert_eq!(events.len(), 2, "no place: nothing tells two such events apart");
        assert!(events.iter().all(|e| e.date.is_none() && e.also.is_empty()));
    }
}
