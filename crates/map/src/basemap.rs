//! The web map's basemap as GeoJSON: outlines from the [`atlas`](crate::atlas) and the
//! gazetteer's towns, rivers and seas, for MapLibre's GeoJSON sources. Coordinates are
//! written with the precision the data has (hundredths of a degree for outlines, four
//! decimals for places), so the layers stay small.

use std::fmt::Write;

use sitrep_gazetteer::{Feature, Gazetteer};

use crate::Outline;

/// Towns below this population are left off the basemap.
pub const MIN_TOWN_POPULATION: u64 = 1_000;

/// A FeatureCollection of outlines, one MultiPolygon feature each (every ring a polygon of
/// its own: holes are drawn as areas, which outlines and light fills do not mind), with the
/// outline's `name` and, for a subdivision, its `country`.
pub fn outlines_geojson<'a>(outlines: impl IntoIterator<Item = &'a Outline>) -> String {
    let mut out = String::from(r#"{"type":"FeatureCollection","features":["#);
    for (i, o) in outlines.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, r#"{{"type":"Feature","properties":{{"name":{}"#, json_string(&o.name));
        if let Some(c) = &o.country {
            let _ = write!(out, r#","country":{}"#, json_string(c));
        }
        out.push_str(r#"},"geometry":{"type":"MultiPolygon","coordinates":["#);
        for (j, ring) in o.rings.iter().enumerate() {
            out.push_str(if j > 0 { ",[[" } else { "[[" });
            let (mut lon, mut lat) = (0i32, 0i32);
            for (k, d) in ring.chunks_exact(2).enumerate() {
                lon += d[0];
                lat += d[1];
                let _ = write!(out, "{}[{},{}]", if k > 0 { "," } else { "" }, hundredths(lon), hundredths(lat));
            }
            out.push_str("]]");
        }
        out.push_str("]}}");
    }
    out.push_str("]}");
    out
}

/// A FeatureCollection of the gazetteer's places in `bbox` (`[min_lat, min_lon, max_lat,
/// max_lon]`) worth drawing on a basemap: towns of at least [`MIN_TOWN_POPULATION`] people
/// (`kind` `town`, with `population`), rivers as lines (`river`) and seas and lakes as points
/// (`sea`), each with its `name`.
pub fn places_geojson(gaz: &Gazetteer, bbox: [f64; 4]) -> String {
    let inside = |lat: f64, lon: f64| lat >= bbox[0] && lat <= bbox[2] && lon >= bbox[1] && lon <= bbox[3];
    let mut out = String::from(r#"{"type":"FeatureCollection","features":["#);
    let mut first = true;
    for p in gaz.places() {
        let feature = p.feature();
        let kind = match feature {
            Feature::City if p.population() >= MIN_TOWN_POPULATION => "town",
            Feature::River => "river",
            Feature::Sea | Feature::Lake => "sea",
            _ => continue,
        };
        let geometry = if feature == Feature::River {
            let line: Vec<_> = p.line().collect();
            if line.len() < 2 || !line.iter().any(|q| inside(q.lat, q.lon)) {
                continue;
            }
            let coords: Vec<String> = line.iter().map(|q| format!("[{:.4},{:.4}]", q.lon, q.lat)).collect();
            format!(r#"{{"type":"LineString","coordinates":[{}]}}"#, coords.join(","))
        } else {
            let q = p.point();
            if !inside(q.lat, q.lon) {
                continue;
            }
            format!(r#"{{"type":"Point","coordinates":[{:.4},{:.4}]}}"#, q.lon, q.lat)
        };
        if !first {
            out.push(',');
        }
        first = false;
        let _ = write!(
            out,
            r#"{{"type":"Feature","properties":{{"kind":"{kind}","name":{},"population":{}}},"geometry":{geometry}}}"#,
            json_string(p.display_name()),
            p.population()
        );
    }
    out.push_str("]}");
    out
}

/// Hundredths of a degree as a decimal number.
fn hundredths(v: i32) -> String {
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outlines_are_valid_geojson_with_their_names() {
        let ukraine: Vec<&Outline> = crate::atlas().countries.iter().filter(|c| c.name == "Ukraine").collect();
        let v: serde_json::Value = serde_json::from_str(&outlines_geojson(ukraine)).expect("valid JSON");
        let f = &v["features"][0];
        assert_eq!(f["properties"]["name"], "Ukraine");
        let first = &f["geometry"]["coordinates"][0][0][0];
        let (lon, lat) = (first[0].as_f64().unwrap(), first[1].as_f64().unwrap());
        assert!((22.0..41.0).contains(&lon) && (44.0..53.0).contains(&lat), "{first}");
    }

    #[test]
    fn hundredths_keep_their_sign() {
        assert_eq!(hundredths(-5), "-0.05");
        assert_eq!(hundredths(3625), "36.25");
        assert_eq!(hundredths(-12000), "-120.00");
    }

    #[test]
    fn places_of_a_box_hold_its_towns_and_rivers() {
        let gaz = Gazetteer::embedded().expect("the built-in gazetteer opens");
        // Around Kharkiv and the Oskil.
        let v: serde_json::Value = serde_json::from_str(&places_geojson(&gaz, [49.0, 35.5, 50.5, 38.5])).expect("valid JSON");
        let features = v["features"].as_array().unwrap();
        let named = |kind: &str, name: &str| features.iter().any(|f| f["properties"]["kind"] == kind && f["properties"]["name"] == name);
        assert!(named("town", "Kharkiv"), "Kharkiv is a town of the box");
        assert!(named("river", "Oskil River"), "the Oskil is a river of the box");
        assert!(named("sea", "Oskil Reservoir"), "and its reservoir a water of the box");
        assert!(!named("town", "Kyiv"), "Kyiv lies outside the box");
        assert!(features.iter().all(|f| f["properties"]["kind"] != "town" || f["properties"]["population"].as_u64().unwrap() >= MIN_TOWN_POPULATION));
    }
}
