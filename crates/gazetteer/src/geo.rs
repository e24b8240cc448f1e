//! Great-circle geometry on a spherical Earth.

/// Mean Earth radius in km (IUGG).
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// A point in degrees.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LatLon {
    /// Latitude, degrees north.
    pub lat: f64,
    /// Longitude, degrees east.
    pub lon: f64,
}

impl LatLon {
    /// Builds a point.
    pub fn new(lat: f64, lon: f64) -> Self {
        LatLon { lat, lon }
    }
}

/// Great-circle distance in km (haversine).
pub fn distance_km(a: LatLon, b: LatLon) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Initial bearing from `a` to `b`, degrees clockwise from north in `[0, 360)`.
pub fn bearing_deg(a: LatLon, b: LatLon) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlon = (b.lon - a.lon).to_radians();
    let y = dlon.sin() * la2.cos();
    let x = la1.cos() * la2.sin() - la1.sin() * la2.cos() * dlon.cos();
    (y.atan2(x).to_degrees() + 360.0) % 360.0
}

/// The 16-point compass name of a bearing ("N", "NNE", ... "NNW").
pub fn compass_point(bearing: f64) -> &'static str {
    const POINTS: [&str; 16] =
        ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"];
    let b = bearing.rem_euclid(360.0);
    POINTS[((b / 22.5).round() as usize) % 16]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn izium_to_kupiansk() {
        let izium = LatLon::new(49.20697, 37.27679);
        let kupiansk = LatLon::new(49.71003, 37.61581);
        let d = distance_km(izium, kupiansk);
        assert!((60.0..62.0).contains(&d), "{d}");
        let b = bearing_deg(izium, kupiansk);
        assert!((23.0..26.0).contains(&b), "{b}");
        assert_eq!(compass_point(b), "NNE");
    }

    #[test]
    fn compass_wraps() {
        assert_eq!(compass_point(359.0), "N");
        assert_eq!(compass_point(-90.0), "W");
        assert_eq!(compass_point(180.0), "S");
    }

    #[test]
    fn antipodes_do_not_produce_nan() {
        let d = distance_km(LatLon::new(0.0, 0.0), LatLon::new(0.0, 180.0));
        assert!((d - std::f64::consts::PI * EARTH_RADIUS_KM).abs() < 1e-6);
    }
}
