//! The places stage: the geoparser's toponyms grouped by gazetteer entry, in order of first
//! mention, and the nationality words the report uses.

use std::collections::{hash_map::Entry, HashMap, HashSet};

use serde::Serialize;
use sitrep_gazetteer::{Feature, Place};
use sitrep_geoparse::{Demonym, Toponym};

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
    #[serde(serialize_with = "crate::coordinate")]
    pub lat: f64,
    /// Longitude.
    #[serde(serialize_with = "crate::coordinate")]
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

/// A nationality word as written, and the code of its country when it names one.
pub type DemonymReading = (String, Option<String>);

/// The places of `toponyms` (those resolved to a gazetteer entry), in order of first mention,
/// each with its mentions in text order.
pub fn read(toponyms: &[Toponym<'_>]) -> Vec<PlaceReading> {
    let mut places: Vec<PlaceReading> = Vec::new();
    // Gazetteer record → its place; the id is written once per record, not per mention.
    let mut by_record: HashMap<u32, usize> = HashMap::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for t in toponyms {
        let Some(p) = t.place else { continue };
        let mention = PlaceMention { text: t.text.clone(), start: t.start, end: t.end };
        let slot = *by_record.entry(p.index()).or_insert_with(|| match by_id.entry(p.id()) {
            Entry::Occupied(e) => *e.get(),
            Entry::Vacant(e) => {
                places.push(place_reading(&p, Vec::new()));
                *e.insert(places.len() - 1)
            }
        });
        places[slot].mentions.push(mention);
    }
    places
}

/// Adds to `places` each place an event names that no toponym chose: an event at a bare city
/// name that the geoparser read as the oblast (or as one of many villages) is at the city, one
/// of the name's other readings; an event at "X Oblast" read as the city X is at the city's
/// oblast. It comes with the mentions of the toponyms that offered it,
/// so that every place an event points to is in the table (the store keys events to it).
pub fn add_event_places(places: &mut Vec<PlaceReading>, events: &[crate::EventReading], toponyms: &[Toponym<'_>]) {
    for event in events {
        let Some(wanted) = &event.place else { continue };
        if places.iter().any(|p| p.id == wanted.id) {
            continue;
        }
        // A reading of the name, or the oblast of the city a name typed "Oblast" was read as.
        let offered = |t: &&Toponym<'_>| t.alternatives.iter().any(|a| a.id() == wanted.id) || oblast_of(t, wanted).is_some();
        let Some(place) =
            toponyms.iter().find(offered).and_then(|t| t.alternatives.iter().find(|a| a.id() == wanted.id).copied().or_else(|| oblast_of(t, wanted)))
        else {
            continue;
        };
        let mentions = toponyms.iter().filter(offered).map(|t| PlaceMention { text: t.text.clone(), start: t.start, end: t.end }).collect();
        places.push(place_reading(&place, mentions));
    }
}

/// The oblast of the city toponym `t` was read as, when it is the event place `wanted` and `t`
/// is its mention.
fn oblast_of<'g>(t: &Toponym<'g>, wanted: &crate::event_readings::EventPlace) -> Option<Place<'g>> {
    t.place.and_then(|p| p.admin1()).filter(|a| a.id() == wanted.id && t.text == wanted.mention)
}

/// The nationality words of `demonyms` with their countries, as written, each once, in order
/// of first use.
pub fn demonyms(demonyms: &[Demonym<'_>]) -> Vec<DemonymReading> {
    let mut seen: HashSet<DemonymReading> = HashSet::new();
    let mut out = Vec::new();
    for d in demonyms {
        let entry = (d.text.clone(), d.country.map(|c| c.code().to_owned()));
        if seen.insert(entry.clone()) {
            out.push(entry);
        }
    }
    out
}

fn place_reading(p: &Place<'_>, mentions: Vec<PlaceMention>) -> PlaceReading {
    PlaceReading {
        id: p.id(),
        name: p.display_name().to_owned(),
        feature: p.feature(),
        admin1: p.admin1().map(|a| a.display_name().to_owned()),
        country: p.country().map(|c| c.display_name().to_owned()),
        lat: p.point().lat,
        lon: p.point().lon,
        mentions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tests::geoparser;

    #[test]
    fn mentions_are_grouped_by_place_in_order_of_first_mention() {
        let text = "Shelling hit Bakhmut and Soledar overnight; in Bakhmut, power failed. Bakhmut's mayor spoke.";
        let parse = geoparser().parse(text);
        let places = read(&parse.toponyms);
        let names: Vec<(&str, usize)> = places.iter().map(|p| (p.name.as_str(), p.mentions.len())).collect();
        assert_eq!(names, [("Bakhmut", 3), ("Soledar", 1)]);
        let starts: Vec<usize> = places[0].mentions.iter().map(|m| m.start).collect();
        assert_eq!(starts, [13, 47, 70], "mentions in text order, in chars");
        assert!(places[0].id.starts_with("geonames:"));
    }

    #[test]
    fn nationality_words_are_listed_once() {
        let parse = geoparser().parse("Ukrainian troops met Russian units; Ukrainian officials and Russian sources disagreed.");
        let got = demonyms(&parse.demonyms);
        assert_eq!(got, [("Ukrainian".to_owned(), Some("UA".to_owned())), ("Russian".to_owned(), Some("RU".to_owned()))]);
    }
}
