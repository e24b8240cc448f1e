//! Geography checks: a report's "73 kilometres north of Izyum" compared with the gazetteer.

use serde::Serialize;
use sitrep_gazetteer::{bearing_deg, compass_point, distance_km, Place};

/// How a stated distance and direction compare with the gazetteer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Distance within 15% and direction within one compass point of eight.
    Consistent,
    /// Direction right; the stated distance is 15–60% longer than the straight line, as a
    /// road distance would be.
    Plausible,
    /// The direction is more than 67.5° off.
    DirectionWrong,
    /// The stated distance is far from the straight line (under 85% or over 160% of it).
    DistanceWrong,
}

/// One stated relation between two places, checked.
#[derive(Debug, Clone, Serialize)]
pub struct GeoCheck {
    /// Start of the range of the statement ("some 73 kilometres (45 miles) north of Izyum"). Bytes as this module returns it; a [`crate::Reading`] turns it into a Unicode scalar offset.
    pub start: usize,
    /// End of the range (exclusive), in the same unit.
    pub end: usize,
    /// The place located ("Kupiansk").
    pub place: String,
    /// The reference place ("Izyum").
    pub reference: String,
    /// Stated distance, km (the middle of a stated range).
    pub stated_km: f64,
    /// Stated direction from the reference, as a compass point ("N"), if any.
    pub stated_direction: Option<&'static str>,
    /// Great-circle distance between the gazetteer's points, km.
    pub gazetteer_km: f64,
    /// Initial bearing from the reference to the place, degrees.
    pub gazetteer_bearing: f64,
    /// That bearing as a compass point ("NNE").
    pub gazetteer_direction: &'static str,
    /// The comparison.
    pub verdict: Verdict,
}

/// Compass words and their bearings, longest first so "north-east" wins over "north".
const DIRECTIONS: &[(&str, f64)] = &[
    ("north-northeast", 22.5),
    ("north-north-east", 22.5),
    ("east-northeast", 67.5),
    ("east-north-east", 67.5),
    ("east-southeast", 112.5),
    ("south-southeast", 157.5),
    ("south-southwest", 202.5),
    ("west-southwest", 247.5),
    ("west-northwest", 292.5),
    ("north-northwest", 337.5),
    ("north-east", 45.0),
    ("northeast", 45.0),
    ("south-east", 135.0),
    ("southeast", 135.0),
    ("south-west", 225.0),
    ("southwest", 225.0),
    ("north-west", 315.0),
    ("northwest", 315.0),
    ("north", 0.0),
    ("east", 90.0),
    ("south", 180.0),
    ("west", 270.0),
];

/// The bearing of a direction word ("north-east" → 45), if it is one.
pub fn direction_bearing(word: &str) -> Option<f64> {
    let w = word.to_lowercase();
    DIRECTIONS.iter().find(|(d, _)| *d == w).map(|(_, b)| *b)
}

/// Compares a stated distance (and direction from `reference`, if stated) with the gazetteer.
pub fn check(place: &Place<'_>, reference: &Place<'_>, stated_km: f64, stated_bearing: Option<f64>) -> (f64, f64, Verdict) {
    let km = distance_km(reference.point(), place.point());
    let bearing = bearing_deg(reference.point(), place.point());
    let direction_off = stated_bearing.map(|b| {
        let d = (bearing - b).rem_euclid(360.0);
        d.min(360.0 - d)
    });
    let ratio = if km > 0.0 { stated_km / km } else { f64::INFINITY };
    let verdict = if direction_off.is_some_and(|d| d > 67.5) {
        Verdict::DirectionWrong
    } else if (0.85..=1.15).contains(&ratio) {
        Verdict::Consistent
    } else if (1.15..=1.6).contains(&ratio) {
        Verdict::Plausible
    } else {
        Verdict::DistanceWrong
    };
    (km, bearing, verdict)
}

/// The compass point of a stated bearing.
pub fn stated_compass(bearing: f64) -> &'static str {
    compass_point(bearing)
}
