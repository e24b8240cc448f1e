//! The one export layout: an event as a row in the style of ACLED's data, whether it was read
//! from a report a moment ago (`sitrep read --format csv|geojson`) or kept in the store across
//! reports (`sitrep query --format csv|geojson`). One row per event, with every telling in it
//! (outlets, claimants, in order, and their count), coordinates without float noise. The CSV
//! header is the field names of [`ExportRow`] in order; GeoJSON features carry the same
//! fields as flat properties.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use sitrep_read::{dates::DatePrecision, EventReading, Reading};

use crate::{label, StoredEvent};

/// One event in the export layout. Empty fields are `None` (an empty CSV cell, a JSON null).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportRow {
    /// The event: its store row id, or `report#n` for the n-th event read from a report.
    pub event_id: String,
    /// The last day it may have happened (the day itself when known).
    pub event_date: Option<String>,
    /// First day of its date window.
    pub date_from: Option<String>,
    /// Last day of its date window.
    pub date_to: Option<String>,
    /// Year of `event_date`.
    pub year: Option<i32>,
    /// ACLED's time precision: 1 the day is known, 2 the week, 3 the month or longer.
    pub time_precision: Option<u8>,
    /// ACLED's event type ("Battles", "Explosions/Remote violence", "Strategic developments").
    pub event_type: &'static str,
    /// ACLED's sub-event type closest to sitrep's type ("Armed clash", "Shelling/artillery/missile attack").
    pub sub_event_type: &'static str,
    /// sitrep's own event type ("territory_taken"), as the reading and the store name it.
    pub sitrep_type: String,
    /// Who acted, as first named.
    pub actor1: Option<String>,
    /// Who it was done to, as first named.
    pub actor2: Option<String>,
    /// The side of `actor1` (`UA`, `RU`).
    pub side1: Option<String>,
    /// The side of `actor2`.
    pub side2: Option<String>,
    /// ACLED's `civilian_targeting`: "Civilian targeting" when the violence hit civilians,
    /// else empty.
    pub civilian_targeting: Option<String>,
    /// The country's ISO 3166 alpha-2 code.
    pub iso: Option<String>,
    /// The country, as the gazetteer codes it.
    pub country: Option<String>,
    /// First-level subdivision.
    pub admin1: Option<String>,
    /// Second-level subdivision, when the gazetteer has it.
    pub admin2: Option<String>,
    /// The place's name.
    pub location: Option<String>,
    /// The place's gazetteer id.
    pub location_id: Option<String>,
    /// Latitude, at most 5 decimals.
    pub latitude: Option<f64>,
    /// Longitude, at most 5 decimals.
    pub longitude: Option<f64>,
    /// How precisely the place is known: 1 the town … 6 only the country.
    pub geo_precision: Option<u8>,
    /// The outlets that told it, in order, without repeats ("; "-separated).
    pub source: String,
    /// How many tellings.
    pub source_count: usize,
    /// Who claims it in each telling, in order, without repeats; "the report" for a report's own voice.
    pub claimants: String,
    /// How sure the first telling sounds.
    pub certainty: String,
    /// The evidence: the first telling's sentence.
    pub notes: String,
    /// Fatalities, where stated for this event; empty otherwise.
    pub fatalities: Option<u32>,
    /// When the row was made, Unix seconds.
    pub timestamp: i64,
}

/// The CSV header: the field names of [`ExportRow`], in order.
pub const COLUMNS: [&str; 30] = [
    "event_id",
    "event_date",
    "date_from",
    "date_to",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "sitrep_type",
    "actor1",
    "actor2",
    "side1",
    "side2",
    "civilian_targeting",
    "iso",
    "country",
    "admin1",
    "admin2",
    "location",
    "location_id",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_count",
    "claimants",
    "certainty",
    "notes",
    "fatalities",
    "timestamp",
];

/// One CSV record of `fields` (quoted as needed), with its line ending.
pub fn csv_line<I: IntoIterator<Item = T>, T: AsRef<[u8]>>(fields: I) -> String {
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    // Writing to memory fails only if a field cannot be encoded, which a string cannot.
    let _ = w.write_record(fields);
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// ACLED's event type and sub-event type for sitrep's type and the acting side (a crosswalk:
/// `sitrep_type` keeps the exact meaning). Ground taken by Ukraine's forces is the government
/// regaining territory; by anyone else, in ACLED's scheme, another actor overtaking it.
fn acled_types(sitrep_type: &str, side: Option<&str>) -> (&'static str, &'static str) {
    match sitrep_type {
        "battle" => ("Battles", "Armed clash"),
        "territory_taken" if side == Some("UA") => ("Battles", "Government regains territory"),
        "territory_taken" => ("Battles", "Non-state actor overtakes territory"),
        "withdrawal" => ("Strategic developments", "Non-violent transfer of territory"),
        "shelling" => ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        "air_strike" => ("Explosions/Remote violence", "Air/drone strike"),
        _ => ("Strategic developments", "Other"),
    }
}

/// ACLED's time precision for a precision label ("day", "week", ...).
fn time_precision(precision: &str) -> u8 {
    match precision {
        "day" => 1,
        "week" => 2,
        _ => 3,
    }
}

/// ACLED's value of `civilian_targeting` for a flag: the label when set, else empty.
fn civilian_label(civilian: bool) -> Option<String> {
    civilian.then(|| "Civilian targeting".to_owned())
}

/// A coordinate rounded to 5 decimals (about a metre), so it prints without the noise of its
/// stored single-precision float: every answer that writes a stored point writes it so.
pub fn coordinate(v: f64) -> f64 {
    (v * 1e5).round() / 1e5
}

/// Each value once, in the order first seen, joined with "; ".
fn joined<'a>(values: impl Iterator<Item = &'a str>) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for v in values.filter(|v| !v.is_empty()) {
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    seen.join("; ")
}

/// The claimant as exported: the report's own voice is "the report".
fn claimant(c: Option<&str>) -> &str {
    c.unwrap_or("the report")
}

impl ExportRow {
    /// The row of the `index`-th event of `reading`, made at `timestamp` (Unix seconds).
    pub fn from_reading(reading: &Reading, index: usize, e: &EventReading, timestamp: i64) -> ExportRow {
        let sitrep_type = label(&e.event.event_type);
        let side1 = e.event.actor.as_ref().and_then(|a| a.side).map(|s| s.code().to_owned());
        let (event_type, sub_event_type) = acled_types(&sitrep_type, side1.as_deref());
        let place = e.place.as_ref();
        let gazetteer_place = place.and_then(|p| reading.places.iter().find(|r| r.id == p.id));
        let precision_label = |d: DatePrecision| label(&d);
        let tellings = 1 + e.also.len();
        ExportRow {
            event_id: format!("{}#{}", reading.id, index + 1),
            event_date: e.date.as_ref().map(|d| d.to.to_string()),
            date_from: e.date.as_ref().map(|d| d.from.to_string()),
            date_to: e.date.as_ref().map(|d| d.to.to_string()),
            year: e.date.as_ref().map(|d| d.to.year()),
            time_precision: e.date.as_ref().map(|d| time_precision(&precision_label(d.precision))),
            event_type,
            sub_event_type,
            sitrep_type,
            actor1: e.event.actor.as_ref().map(|a| a.name.clone()),
            actor2: e.event.target.as_ref().map(|a| a.name.clone()),
            side1,
            side2: e.event.target.as_ref().and_then(|a| a.side).map(|s| s.code().to_owned()),
            civilian_targeting: civilian_label(e.civilian_targeting),
            iso: gazetteer_place.and_then(|p| p.country.clone()),
            country: gazetteer_place.and_then(|p| p.country.clone()),
            admin1: gazetteer_place.and_then(|p| p.admin1.clone()),
            admin2: None,
            location: place.map(|p| p.name.clone()),
            location_id: place.map(|p| p.id.clone()),
            latitude: place.map(|p| coordinate(p.lat)),
            longitude: place.map(|p| coordinate(p.lon)),
            geo_precision: place.map(|p| p.precision),
            source: reading.source.clone().unwrap_or_default(),
            source_count: tellings,
            claimants: joined(std::iter::once(claimant(e.claimant.as_deref())).chain(e.also.iter().map(|a| claimant(a.claimant.as_deref())))),
            certainty: label(&e.certainty),
            notes: e.text.replace('\n', " "),
            fatalities: None,
            timestamp,
        }
    }

    /// The row of a stored event, made at `timestamp` (Unix seconds).
    pub fn from_stored(e: &StoredEvent, timestamp: i64) -> ExportRow {
        let (event_type, sub_event_type) = acled_types(&e.event_type, e.side.as_deref());
        let first = e.sources.first();
        ExportRow {
            event_id: e.id.to_string(),
            event_date: e.date_to.clone(),
            date_from: e.date_from.clone(),
            date_to: e.date_to.clone(),
            year: e.date_to.as_deref().and_then(|d| d.parse::<NaiveDate>().ok()).map(|d| d.year()),
            time_precision: e.date_precision.as_deref().map(time_precision),
            event_type,
            sub_event_type,
            sitrep_type: e.event_type.clone(),
            actor1: e.actor.clone(),
            actor2: e.target.clone(),
            side1: e.side.clone(),
            side2: e.target_side.clone(),
            civilian_targeting: civilian_label(e.civilian_targeting),
            iso: e.country.clone(),
            country: e.country.clone(),
            admin1: e.admin1.clone(),
            admin2: None,
            location: e.place_name.clone(),
            location_id: e.place_id.clone(),
            latitude: e.lat.map(coordinate),
            longitude: e.lon.map(coordinate),
            geo_precision: e.precision.map(|p| p.clamp(1, 6) as u8),
            source: joined(e.sources.iter().map(|s| s.outlet.as_deref().unwrap_or_default())),
            source_count: e.sources.len(),
            claimants: joined(e.sources.iter().map(|s| claimant(s.claimant.as_deref()))),
            certainty: first.map(|s| s.certainty.clone()).unwrap_or_default(),
            notes: first.map(|s| s.evidence.replace('\n', " ")).unwrap_or_default(),
            fatalities: None,
            timestamp,
        }
    }

    /// The row as one CSV record in the order of [`COLUMNS`], with its line ending.
    pub fn csv_line(&self) -> String {
        let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
        let _ = w.serialize(self);
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// The row as a GeoJSON feature with flat properties (the row's fields), if it has a point.
    pub fn geojson_feature(&self) -> Option<serde_json::Value> {
        let (lat, lon) = (self.latitude?, self.longitude?);
        Some(serde_json::json!({ "type": "Feature", "geometry": { "type": "Point", "coordinates": [lon, lat] }, "properties": self }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_have_no_float_noise() {
        assert_eq!(serde_json::to_string(&coordinate(49.710_000_000_001)).unwrap(), "49.71");
        assert_eq!(coordinate(-37.123_456_7), -37.12346);
    }

    #[test]
    fn the_header_names_the_fields_in_order() {
        let row = ExportRow {
            event_id: "r#1".into(),
            event_date: Some("2022-09-10".into()),
            date_from: None,
            date_to: None,
            year: Some(2022),
            time_precision: Some(1),
            event_type: "Battles",
            sub_event_type: "Armed clash",
            sitrep_type: "battle".into(),
            actor1: None,
            actor2: None,
            side1: None,
            side2: None,
            civilian_targeting: None,
            iso: None,
            country: None,
            admin1: None,
            admin2: None,
            location: Some("Izium, \"the town\"".into()),
            location_id: None,
            latitude: Some(49.2),
            longitude: Some(37.25),
            geo_precision: Some(1),
            source: String::new(),
            source_count: 1,
            claimants: "the report".into(),
            certainty: "asserted".into(),
            notes: String::new(),
            fatalities: None,
            timestamp: 0,
        };
        let mut w = csv::Writer::from_writer(Vec::new());
        w.serialize(&row).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next().unwrap(), COLUMNS.join(","));
        assert_eq!(format!("{}\n", lines.next().unwrap()), row.csv_line());
        assert!(row.csv_line().contains("\"Izium, \"\"the town\"\"\""), "quoted: {}", row.csv_line());
        let feature = row.geojson_feature().unwrap();
        assert_eq!(feature["geometry"]["coordinates"], serde_json::json!([37.25, 49.2]));
        assert_eq!(feature["properties"]["sub_event_type"], "Armed clash");
    }

    #[test]
    fn tellings_are_listed_once_in_order() {
        assert_eq!(joined(["Kyiv Independent", "", "TASS", "Kyiv Independent"].into_iter()), "Kyiv Independent; TASS");
    }

    #[test]
    fn every_type_has_an_acled_type() {
        for t in sitrep_read::events::EventType::ALL {
            let (kind, sub) = acled_types(&label(&t), None);
            assert!(!kind.is_empty() && !sub.is_empty());
        }
        assert_eq!(acled_types("shelling", None).0, "Explosions/Remote violence");
        assert_eq!(acled_types("territory_taken", Some("UA")).1, "Government regains territory");
        assert_eq!(acled_types("territory_taken", Some("RU")).1, "Non-state actor overtakes territory");
    }
}
