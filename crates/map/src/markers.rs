//! The one conversion of events into map markers, used by the web page's SVG (`/map.svg`) and
//! by `sitrep map`, for events from the store and events read straight from reports.

use sitrep_read::EventReading;
use sitrep_store::StoredEvent;

use crate::{Marker, COUNTRY_PRECISION};

/// One marker per stored event that has a point (an event without a precision code counts as
/// placed at its country).
pub fn markers_of_stored(events: &[StoredEvent]) -> Vec<Marker> {
    events
        .iter()
        .filter_map(|e| {
            let precision = e.precision.map_or(COUNTRY_PRECISION, |p| p.clamp(1, i64::from(COUNTRY_PRECISION)) as u8);
            Some(marker(e.lat?, e.lon?, &e.event_type, e.sources.len(), e.place_name.as_deref().unwrap_or_default(), precision))
        })
        .collect()
}

/// The marker of an event read from a report, if it has a place: one source per telling.
pub fn marker_of_reading(e: &EventReading) -> Option<Marker> {
    let place = e.place.as_ref()?;
    let event_type = serde_json::to_value(e.event.event_type).ok()?.as_str()?.to_owned();
    Some(marker(place.lat, place.lon, &event_type, 1 + e.also.len(), &place.name, place.precision.clamp(1, COUNTRY_PRECISION)))
}

fn marker(lat: f64, lon: f64, event_type: &str, sources: usize, label: &str, precision: u8) -> Marker {
    Marker { lat, lon, event_type: event_type.to_owned(), sources, label: label.to_owned(), precision }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(lat: Option<f64>, precision: Option<i64>) -> StoredEvent {
        StoredEvent {
            id: 1,
            event_type: "shelling".into(),
            plover: "FIGHT:artillery".into(),
            actor: None,
            side: None,
            place_id: None,
            place_name: Some("Kupiansk".into()),
            precision,
            lat,
            lon: Some(37.6),
            date_from: None,
            date_to: None,
            target: None,
            target_side: None,
            civilian_targeting: false,
            date_precision: None,
            admin1: None,
            country: None,
            source_count: 0,
            sources: Vec::new(),
        }
    }

    #[test]
    fn stored_events_without_a_point_have_no_marker() {
        let markers = markers_of_stored(&[stored(Some(49.7), Some(1)), stored(None, Some(1)), stored(Some(49.0), None), stored(Some(49.0), Some(40))]);
        assert_eq!(markers.len(), 3);
        assert_eq!(markers[0].label, "Kupiansk");
        assert_eq!(markers[0].precision, 1);
        assert_eq!(markers[1].precision, COUNTRY_PRECISION, "no precision code: the country");
        assert_eq!(markers[2].precision, COUNTRY_PRECISION, "out of range: clamped");
    }
}
