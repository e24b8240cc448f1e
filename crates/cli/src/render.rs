//! Shared rendering of places for terminal and JSON output.

use serde::Serialize;
use sitrep_gazetteer::{Feature, Place};

/// "Kharkiv Oblast, Ukraine" for a town; "Ukraine" for an oblast; "" for a country.
pub fn where_label(place: &Place<'_>) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if place.feature() != Feature::Admin1 {
        if let Some(a1) = place.admin1() {
            parts.push(a1.display_name());
        }
    }
    if let Some(c) = place.country() {
        parts.push(c.name());
    }
    parts.join(", ")
}

/// Digits grouped by thousands: 1,421,125.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The spelling of `place` whose key is `key` (the one the user typed, in the data's form).
pub fn spelling_for_key<'g>(place: &Place<'g>, key: &str) -> Option<&'g str> {
    std::iter::once(place.name()).chain(place.alternates()).find(|s| sitrep_text::key_for_name(s).0 == key)
}

/// A place as JSON.
#[derive(Serialize)]
pub struct PlaceJson<'g> {
    /// `geonames:ID` or `sitrep:SLUG`.
    pub id: String,
    /// GeoNames id when there is one.
    pub geonameid: Option<u32>,
    /// Preferred name.
    pub name: &'g str,
    /// Feature class.
    pub feature: Feature,
    /// First-level subdivision.
    pub admin1: Option<&'g str>,
    /// Second-level subdivision.
    pub admin2: Option<&'g str>,
    /// Country name.
    pub country: Option<&'g str>,
    /// ISO alpha-2.
    pub country_code: &'g str,
    /// Population (summed over towns for areas).
    pub population: u64,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// `[min_lat, min_lon, max_lat, max_lon]`.
    pub bbox: Option<[f64; 4]>,
    /// Other spellings.
    pub alternates: Vec<&'g str>,
}

impl<'g> PlaceJson<'g> {
    /// Collects the JSON view of a place.
    pub fn new(place: &Place<'g>) -> PlaceJson<'g> {
        let point = place.point();
        PlaceJson {
            id: place.id(),
            geonameid: place.geonameid(),
            name: place.display_name(),
            feature: place.feature(),
            admin1: place.admin1().map(|p| p.display_name()),
            admin2: place.admin2().map(|p| p.display_name()),
            country: place.country().map(|p| p.name()),
            country_code: place.country_code(),
            population: place.population(),
            lat: round(point.lat, 5),
            lon: round(point.lon, 5),
            bbox: place.bbox().map(|b| b.map(|v| round(v, 4))),
            alternates: place.alternates().collect(),
        }
    }
}

/// Rounds to `digits` decimals (f32-stored coordinates print as 49.71003 rather than 49.710030555).
pub fn round(v: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (v * f).round() / f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1421125), "1,421,125");
    }
}
