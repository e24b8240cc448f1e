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
/// outline's `name` and, for a subdivision, its `country`; each followed by a Point feature
/// (`name`, `label: true`) where its name is written, so that a map places one label per
/// outline rather than trying one on every island of it. Each ring is simplified to within
/// `tolerance` hundredths of a degree (0 keeps every point; see [`tolerance_for_zoom`]), and
/// a ring that simplifies to less than a triangle is left out.
pub fn outlines_geojson<'a>(outlines: impl IntoIterator<Item = &'a Outline>, tolerance: i32) -> String {
    let mut out = String::from(r#"{"type":"FeatureCollection","features":["#);
    let mut first = true;
    for o in outlines {
        let rings: Vec<Vec<(i32, i32)>> = decoded_rings(o).iter().map(|ring| simplify(ring, tolerance)).filter(|ring| ring.len() >= 4).collect();
        if rings.is_empty() {
            continue;
        }
        write_outline(&mut out, &mut first, o, "MultiPolygon", &rings, &rings);
    }
    out.push_str("]}");
    out
}

/// The rings of `o`, their points decoded from the atlas's deltas to hundredths of a degree.
fn decoded_rings(o: &Outline) -> Vec<Vec<(i32, i32)>> {
    o.rings
        .iter()
        .map(|ring| {
            let (mut lon, mut lat) = (0i32, 0i32);
            ring.chunks_exact(2)
                .map(|d| {
                    lon += d[0];
                    lat += d[1];
                    (lon, lat)
                })
                .collect()
        })
        .collect()
}

/// Like [`outlines_geojson`], but each outline's boundary as lines (a MultiLineString) in
/// which a stretch of boundary that two outlines share is written once, under the first of
/// them: neighbouring subdivisions share most of their boundaries, so a map drawing them as
/// lines draws some 40% fewer segments. Each line is a run of a ring's edges that no earlier
/// outline wrote, simplified on its own with its two ends kept, so the lines still meet where
/// the boundaries do. Each outline is followed by its label point, as in [`outlines_geojson`].
pub fn boundaries_geojson<'a>(outlines: impl IntoIterator<Item = &'a Outline>, tolerance: i32) -> String {
    let mut out = String::from(r#"{"type":"FeatureCollection","features":["#);
    let mut first = true;
    // Edges written so far, each as its two ends in order.
    let mut written: std::collections::HashSet<((i32, i32), (i32, i32))> = std::collections::HashSet::new();
    let edge = |a: (i32, i32), b: (i32, i32)| if a <= b { (a, b) } else { (b, a) };
    for o in outlines {
        let rings = decoded_rings(o);
        let mut lines: Vec<Vec<(i32, i32)>> = Vec::new();
        for ring in &rings {
            // The runs of edges not yet written, as point lists; a run that goes on past the
            // ring's end into its start is joined to its first run.
            let mut runs: Vec<Vec<(i32, i32)>> = Vec::new();
            let mut open = false;
            for w in ring.windows(2) {
                if w[0] == w[1] {
                    continue;
                }
                if written.insert(edge(w[0], w[1])) {
                    if !open {
                        runs.push(vec![w[0]]);
                        open = true;
                    }
                    runs.last_mut().expect("a run").push(w[1]);
                } else {
                    open = false;
                }
            }
            if runs.len() > 1 && ring.first() == ring.last() && runs[0].first() == runs.last().and_then(|r| r.last()) {
                let head = runs.remove(0);
                runs.last_mut().expect("a run").extend_from_slice(&head[1..]);
            }
            lines.extend(runs.iter().map(|run| simplify(run, tolerance)).filter(|line| line.len() >= 2 && line.iter().any(|&p| p != line[0])));
        }
        write_outline(&mut out, &mut first, o, "MultiLineString", &lines, &rings);
    }
    out.push_str("]}");
    out
}

/// Writes `o` as a feature of `geometry` ("MultiPolygon": each of `parts` a polygon of one
/// ring; "MultiLineString": each a line), then its name's place: one point where the largest
/// of `rings` has its centre. `first` says whether a feature was written before.
fn write_outline(out: &mut String, first: &mut bool, o: &Outline, geometry: &str, parts: &[Vec<(i32, i32)>], rings: &[Vec<(i32, i32)>]) {
    let (open, close) = if geometry == "MultiPolygon" { ("[[", "]]") } else { ("[", "]") };
    if !*first {
        out.push(',');
    }
    *first = false;
    let _ = write!(out, r#"{{"type":"Feature","properties":{{"name":{}"#, json_string(&o.name));
    if let Some(c) = &o.country {
        let _ = write!(out, r#","country":{}"#, json_string(c));
    }
    let _ = write!(out, r#"}},"geometry":{{"type":"{geometry}","coordinates":["#);
    for (j, part) in parts.iter().enumerate() {
        if j > 0 {
            out.push(',');
        }
        out.push_str(open);
        for (k, &(lon, lat)) in part.iter().enumerate() {
            let _ = write!(out, "{}[{},{}]", if k > 0 { "," } else { "" }, hundredths(lon), hundredths(lat));
        }
        out.push_str(close);
    }
    out.push_str("]}}");
    if let Some((lon, lat)) = rings.iter().max_by_key(|r| ring_area(r)).map(|r| centroid(r)) {
        let _ = write!(
            out,
            r#",{{"type":"Feature","properties":{{"name":{},"label":true}},"geometry":{{"type":"Point","coordinates":[{lon:.2},{lat:.2}]}}}}"#,
            json_string(&o.name)
        );
    }
}

/// Twice the area a closed ring encloses, in square hundredths of a degree.
fn ring_area(ring: &[(i32, i32)]) -> i64 {
    ring.windows(2).map(|w| i64::from(w[0].0) * i64::from(w[1].1) - i64::from(w[1].0) * i64::from(w[0].1)).sum::<i64>().abs()
}

/// The centre of a closed ring's area (of its points where it encloses none), in degrees.
fn centroid(ring: &[(i32, i32)]) -> (f64, f64) {
    let (mut a, mut x, mut y) = (0.0, 0.0, 0.0);
    for w in ring.windows(2) {
        let ((x0, y0), (x1, y1)) = ((f64::from(w[0].0), f64::from(w[0].1)), (f64::from(w[1].0), f64::from(w[1].1)));
        let cross = x0 * y1 - x1 * y0;
        a += cross;
        x += (x0 + x1) * cross;
        y += (y0 + y1) * cross;
    }
    if a.abs() < f64::EPSILON {
        let n = ring.len().max(1) as f64;
        return (ring.iter().map(|p| f64::from(p.0)).sum::<f64>() / n / 100.0, ring.iter().map(|p| f64::from(p.1)).sum::<f64>() / n / 100.0);
    }
    (x / (3.0 * a) / 100.0, y / (3.0 * a) / 100.0)
}

/// The simplification tolerance, in hundredths of a degree, for a map drawn at `zoom`: a
/// pixel of MapLibre's 512-pixel tiles, less than the width of the line drawn (0 from zoom 7
/// on, where the outlines' own resolution is no finer than a pixel).
pub fn tolerance_for_zoom(zoom: f64) -> i32 {
    let degrees_per_pixel = 360.0 / (512.0 * 2f64.powf(zoom.clamp(0.0, 24.0)));
    (degrees_per_pixel * 100.0).floor() as i32
}

/// `ring` simplified by Douglas and Peucker's method: the points that lie farther than
/// `tolerance` from the line between the points kept around them. The first and last points
/// are always kept (a closed ring stays closed).
fn simplify(ring: &[(i32, i32)], tolerance: i32) -> Vec<(i32, i32)> {
    if tolerance <= 0 || ring.len() < 3 {
        return ring.to_vec();
    }
    let mut keep = vec![false; ring.len()];
    keep[0] = true;
    keep[ring.len() - 1] = true;
    let limit = f64::from(tolerance);
    let mut spans = vec![(0, ring.len() - 1)];
    while let Some((a, b)) = spans.pop() {
        let (farthest, distance) = ((a + 1)..b).map(|i| (i, off_line(ring[i], ring[a], ring[b]))).fold((a, 0.0), |best, x| if x.1 > best.1 { x } else { best });
        if distance > limit {
            keep[farthest] = true;
            spans.push((a, farthest));
            spans.push((farthest, b));
        }
    }
    ring.iter().zip(keep).filter_map(|(&p, k)| k.then_some(p)).collect()
}

/// The distance of `p` from the segment `a`–`b` (from `a` where the two are one point).
fn off_line(p: (i32, i32), a: (i32, i32), b: (i32, i32)) -> f64 {
    let (px, py, ax, ay, bx, by) = (f64::from(p.0), f64::from(p.1), f64::from(a.0), f64::from(a.1), f64::from(b.0), f64::from(b.1));
    let (dx, dy) = (bx - ax, by - ay);
    let length = dx.hypot(dy);
    if length == 0.0 {
        return (px - ax).hypot(py - ay);
    }
    ((px - ax) * dy - (py - ay) * dx).abs() / length
}

/// A FeatureCollection of the gazetteer's places in `bbox` (`[min_lat, min_lon, max_lat,
/// max_lon]`) worth drawing on a basemap: towns of at least `min_population` people (never
/// fewer than [`MIN_TOWN_POPULATION`]; `kind` `town`, with `population`), rivers as lines
/// (`river`) and seas and lakes as points (`sea`), each with its `name`. A map zoomed out asks
/// for the larger towns only: their labels are all it can show.
pub fn places_geojson(gaz: &Gazetteer, bbox: [f64; 4], min_population: u64) -> String {
    let min_population = min_population.max(MIN_TOWN_POPULATION);
    let inside = |lat: f64, lon: f64| lat >= bbox[0] && lat <= bbox[2] && lon >= bbox[1] && lon <= bbox[3];
    let mut out = String::from(r#"{"type":"FeatureCollection","features":["#);
    let mut first = true;
    for p in gaz.places() {
        let feature = p.feature();
        let kind = match feature {
            Feature::City if p.population() >= min_population => "town",
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
        let v: serde_json::Value = serde_json::from_str(&outlines_geojson(ukraine, 0)).expect("valid JSON");
        let f = &v["features"][0];
        assert_eq!(f["properties"]["name"], "Ukraine");
        let first = &f["geometry"]["coordinates"][0][0][0];
        let (lon, lat) = (first[0].as_f64().unwrap(), first[1].as_f64().unwrap());
        assert!((22.0..41.0).contains(&lon) && (44.0..53.0).contains(&lat), "{first}");
    }

    #[test]
    fn shared_boundaries_are_written_once_and_every_subdivision_keeps_its_lines_and_label() {
        let near_ukraine = crate::atlas().admin1_in([44.0, 22.0, 52.5, 40.5]).collect::<Vec<_>>();
        let segments = |v: &serde_json::Value, kind: &str| -> Vec<((i64, i64), (i64, i64))> {
            let point = |p: &serde_json::Value| ((p[0].as_f64().unwrap() * 100.0).round() as i64, (p[1].as_f64().unwrap() * 100.0).round() as i64);
            let mut all = Vec::new();
            for f in v["features"].as_array().unwrap().iter().filter(|f| f["geometry"]["type"] == kind) {
                let lines: Vec<&serde_json::Value> = if kind == "MultiPolygon" {
                    f["geometry"]["coordinates"].as_array().unwrap().iter().map(|poly| &poly[0]).collect()
                } else {
                    f["geometry"]["coordinates"].as_array().unwrap().iter().collect()
                };
                for line in lines {
                    for w in line.as_array().unwrap().windows(2) {
                        let (a, b) = (point(&w[0]), point(&w[1]));
                        all.push(if a <= b { (a, b) } else { (b, a) });
                    }
                }
            }
            all
        };
        let polygons: serde_json::Value = serde_json::from_str(&outlines_geojson(near_ukraine.iter().copied(), 0)).unwrap();
        let lines: serde_json::Value = serde_json::from_str(&boundaries_geojson(near_ukraine.iter().copied(), 0)).unwrap();
        let (mut drawn, written) = (segments(&polygons, "MultiPolygon"), segments(&lines, "MultiLineString"));
        let before = drawn.len();
        drawn.sort_unstable();
        drawn.dedup();
        let mut once = written.clone();
        once.sort_unstable();
        once.dedup();
        assert_eq!(once.len(), written.len(), "no segment is written twice");
        assert_eq!(once, drawn, "every segment of the outlines is written");
        assert!(written.len() * 10 < before * 7, "{} segments of {before}", written.len());
        // Simplified, still one feature and one label per subdivision.
        let light: serde_json::Value = serde_json::from_str(&boundaries_geojson(near_ukraine.iter().copied(), tolerance_for_zoom(5.0))).unwrap();
        let features = light["features"].as_array().unwrap();
        assert_eq!(features.iter().filter(|f| f["properties"]["label"] == true).count(), near_ukraine.len());
        let kharkiv = features.iter().find(|f| f["properties"]["name"] == "Kharkiv" && f["geometry"]["type"] == "MultiLineString").expect("Kharkiv's lines");
        assert!(!kharkiv["geometry"]["coordinates"].as_array().unwrap().is_empty());
        assert!(segments(&light, "MultiLineString").len() * 3 < written.len(), "simplified lines are lighter");
    }

    #[test]
    fn hundredths_keep_their_sign() {
        assert_eq!(hundredths(-5), "-0.05");
        assert_eq!(hundredths(3625), "36.25");
        assert_eq!(hundredths(-12000), "-120.00");
    }

    #[test]
    fn simplifying_keeps_the_corners_and_drops_what_lies_within_the_tolerance() {
        // A square with a point on each side a hair off the straight line, and a spike.
        let ring = [(0, 0), (50, 1), (100, 0), (100, 100), (50, 130), (0, 100), (0, 0)];
        assert_eq!(simplify(&ring, 2), vec![(0, 0), (100, 0), (100, 100), (50, 130), (0, 100), (0, 0)]);
        assert_eq!(simplify(&ring, 0), ring.to_vec(), "no tolerance keeps every point");
        assert_eq!(simplify(&ring, 1000), vec![(0, 0), (0, 0)], "a ring smaller than the tolerance shrinks to nothing");
        assert_eq!((tolerance_for_zoom(3.0), tolerance_for_zoom(5.0), tolerance_for_zoom(7.0)), (8, 2, 0));
    }

    #[test]
    fn simplified_outlines_are_smaller_and_keep_every_large_subdivision() {
        let near_ukraine = crate::atlas().admin1_in([44.0, 22.0, 52.5, 40.5]).collect::<Vec<_>>();
        let full = outlines_geojson(near_ukraine.iter().copied(), 0);
        let light = outlines_geojson(near_ukraine.iter().copied(), tolerance_for_zoom(5.0));
        assert!(light.len() * 3 < full.len() * 2, "{} bytes of {}", light.len(), full.len());
        let names = |s: &str| {
            serde_json::from_str::<serde_json::Value>(s).unwrap()["features"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["properties"]["name"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&light), names(&full), "every subdivision of the box is still drawn");
        let v: serde_json::Value = serde_json::from_str(&light).unwrap();
        let kharkiv =
            v["features"].as_array().unwrap().iter().find(|f| f["properties"]["name"] == "Kharkiv" && f["properties"]["label"] == true).expect("a label point");
        let (lon, lat) = (kharkiv["geometry"]["coordinates"][0].as_f64().unwrap(), kharkiv["geometry"]["coordinates"][1].as_f64().unwrap());
        assert!((35.5..38.5).contains(&lon) && (48.5..50.5).contains(&lat), "Kharkiv oblast's label at {lon}, {lat}");
        assert!(names(&light).iter().any(|n| n == "Kharkiv"));
    }

    #[test]
    fn places_of_a_box_hold_its_towns_and_rivers() {
        let gaz = Gazetteer::embedded().expect("the built-in gazetteer opens");
        // Around Kharkiv and the Oskil.
        let v: serde_json::Value = serde_json::from_str(&places_geojson(&gaz, [49.0, 35.5, 50.5, 38.5], 0)).expect("valid JSON");
        let features = v["features"].as_array().unwrap();
        let named = |kind: &str, name: &str| features.iter().any(|f| f["properties"]["kind"] == kind && f["properties"]["name"] == name);
        assert!(named("town", "Kharkiv"), "Kharkiv is a town of the box");
        assert!(named("river", "Oskil River"), "the Oskil is a river of the box");
        assert!(named("sea", "Oskil Reservoir"), "and its reservoir a water of the box");
        assert!(!named("town", "Kyiv"), "Kyiv lies outside the box");
        assert!(features.iter().all(|f| f["properties"]["kind"] != "town" || f["properties"]["population"].as_u64().unwrap() >= MIN_TOWN_POPULATION));
        // Zoomed out: only the larger towns, the waters all the same.
        let large: serde_json::Value = serde_json::from_str(&places_geojson(&gaz, [49.0, 35.5, 50.5, 38.5], 100_000)).expect("valid JSON");
        let large = large["features"].as_array().unwrap();
        let towns = |fs: &[serde_json::Value]| fs.iter().filter(|f| f["properties"]["kind"] == "town").count();
        assert!(towns(large) >= 1 && towns(large) * 10 < towns(features), "{} large towns of {}", towns(large), towns(features));
        assert!(large.iter().all(|f| f["properties"]["kind"] != "town" || f["properties"]["population"].as_u64().unwrap() >= 100_000));
        assert!(large.iter().any(|f| f["properties"]["name"] == "Kharkiv") && large.iter().any(|f| f["properties"]["kind"] == "river"));
    }
}
