//! The web map's points answer (`/api/events/points`) in columns: one array per field, and
//! the texts that repeat from point to point (types, sides, places, claimants, certainties,
//! dates) written once each in a dictionary that the columns index. A store of 100,000 events gives
//! an answer a fraction of the size of one object per point, which the page parses in a
//! fraction of the time; the page turns the columns back into points.
//!
//! The answer is kept gzipped between store writes (as every kept answer is, in the server's
//! `AnswerCache`): the first view after a report is stored works it out, and the views after
//! it are sent the same bytes.

use std::io::Write as _;

use serde::Serialize;
use sitrep_store::{export::coordinate, EventPoint};

/// The distinct texts of one field, each given an index in order of first use.
#[derive(Default)]
struct Dictionary<'a> {
    texts: Vec<&'a str>,
    index: std::collections::HashMap<&'a str, usize>,
}

impl<'a> Dictionary<'a> {
    /// The index of `text`, added if new.
    fn code(&mut self, text: &'a str) -> usize {
        *self.index.entry(text).or_insert_with(|| {
            self.texts.push(text);
            self.texts.len() - 1
        })
    }

    /// The index of `text`, or None for no text.
    fn code_opt(&mut self, text: Option<&'a str>) -> Option<usize> {
        text.map(|t| self.code(t))
    }
}

/// The answer's shape, serialised as it stands: the dictionaries, then a column per field
/// (texts as indexes into their dictionary, `null` where a point has none).
#[derive(Serialize)]
struct Columns<'a> {
    count: usize,
    dictionary: Dictionaries<'a>,
    id: Vec<i64>,
    lat: Vec<f64>,
    lon: Vec<f64>,
    precision: Vec<Option<i64>>,
    date_from: Vec<Option<usize>>,
    date_to: Vec<Option<usize>>,
    sources: Vec<usize>,
    event_type: Vec<usize>,
    side: Vec<Option<usize>>,
    place_name: Vec<Option<usize>>,
    claimants: Vec<Vec<usize>>,
    certainties: Vec<Vec<usize>>,
}

/// The texts that the columns of the same names index.
#[derive(Serialize)]
struct Dictionaries<'a> {
    event_type: Vec<&'a str>,
    side: Vec<&'a str>,
    place_name: Vec<&'a str>,
    claimant: Vec<&'a str>,
    certainty: Vec<&'a str>,
    /// The dates of both date columns: a year of events has a few hundred, and an index is a
    /// third of the bytes of a date written out, which the page parses sooner.
    date: Vec<&'a str>,
}

/// `points` as the columns answer, serialised to JSON bytes.
pub fn columns_json(points: &[EventPoint]) -> serde_json::Result<Vec<u8>> {
    let (mut types, mut sides, mut places, mut claimants, mut certainties, mut dates) =
        (Dictionary::default(), Dictionary::default(), Dictionary::default(), Dictionary::default(), Dictionary::default(), Dictionary::default());
    let n = points.len();
    let mut c = Columns {
        count: n,
        dictionary: Dictionaries {
            event_type: Vec::new(),
            side: Vec::new(),
            place_name: Vec::new(),
            claimant: Vec::new(),
            certainty: Vec::new(),
            date: Vec::new(),
        },
        id: Vec::with_capacity(n),
        lat: Vec::with_capacity(n),
        lon: Vec::with_capacity(n),
        precision: Vec::with_capacity(n),
        date_from: Vec::with_capacity(n),
        date_to: Vec::with_capacity(n),
        sources: Vec::with_capacity(n),
        event_type: Vec::with_capacity(n),
        side: Vec::with_capacity(n),
        place_name: Vec::with_capacity(n),
        claimants: Vec::with_capacity(n),
        certainties: Vec::with_capacity(n),
    };
    for p in points {
        c.id.push(p.id);
        c.lat.push(coordinate(p.lat));
        c.lon.push(coordinate(p.lon));
        c.precision.push(p.precision);
        c.date_from.push(dates.code_opt(p.date_from.as_deref()));
        c.date_to.push(dates.code_opt(p.date_to.as_deref()));
        c.sources.push(p.sources);
        c.event_type.push(types.code(&p.event_type));
        c.side.push(sides.code_opt(p.side.as_deref()));
        c.place_name.push(places.code_opt(p.place_name.as_deref()));
        c.claimants.push(p.claimants.iter().map(|t| claimants.code(t)).collect());
        c.certainties.push(p.certainties.iter().map(|t| certainties.code(t)).collect());
    }
    c.dictionary = Dictionaries {
        event_type: types.texts,
        side: sides.texts,
        place_name: places.texts,
        claimant: claimants.texts,
        certainty: certainties.texts,
        date: dates.texts,
    };
    serde_json::to_vec(&c)
}

/// Places no better than this precision are areas (a first-level subdivision, a river or sea,
/// a country); the first view is fitted to the located events when there are any.
const AREA_PRECISION: i64 = 4;

/// The box the web map opens on when no link gives it one, as `[west, south, east, north]`:
/// the central 95% of the events' latitudes and longitudes (of the events located better than
/// an area, when there are any), so that a stray point never decides the first view; at least
/// 0.6 degrees across, so that a single place keeps its surroundings; the theatre without
/// events. Worked out with the points answer and sent in its head (`X-Sitrep-View`), so that
/// the page can ask for the basemap of that view before the points have arrived.
pub fn first_view(points: &[EventPoint]) -> [f64; 4] {
    let located: Vec<&EventPoint> = points.iter().filter(|p| p.precision.unwrap_or(1) < AREA_PRECISION).collect();
    let chosen: Vec<&EventPoint> = if located.is_empty() { points.iter().collect() } else { located };
    if chosen.is_empty() {
        return [22.0, 44.0, 40.5, 52.5];
    }
    // The page draws the coordinates the answer gives (five decimals).
    let mut lats: Vec<f64> = chosen.iter().map(|p| coordinate(p.lat)).collect();
    let mut lons: Vec<f64> = chosen.iter().map(|p| coordinate(p.lon)).collect();
    lats.sort_unstable_by(f64::total_cmp);
    lons.sort_unstable_by(f64::total_cmp);
    let at = |xs: &[f64], f: f64| xs[((f * (xs.len() - 1) as f64 + 0.5).floor() as usize).min(xs.len() - 1)];
    let (mut s, mut n, mut w, mut e) = (at(&lats, 0.025), at(&lats, 0.975), at(&lons, 0.025), at(&lons, 0.975));
    const PAD: f64 = 0.3;
    if n - s < PAD {
        s -= PAD;
        n += PAD;
    }
    if e - w < PAD {
        w -= PAD;
        e += PAD;
    }
    [w, s, e, n]
}

/// `json` gzipped at the default level: an answer made once per store version is worth
/// making small.
pub fn gzip(json: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(json.len() / 4), flate2::Compression::default());
    encoder.write_all(json)?;
    encoder.finish()
}

/// What is kept of a points answer between store writes: the first view's box (as the
/// `X-Sitrep-View` header gives it: west, south, east, north), a newline, and the columns
/// gzipped.
pub fn kept(points: &[EventPoint], json: &[u8]) -> std::io::Result<Vec<u8>> {
    // Five decimals, as the points' coordinates (no noise from the padding's sums).
    let [w, s, e, n] = first_view(points).map(coordinate);
    let mut kept = format!("{w},{s},{e},{n}\n").into_bytes();
    kept.extend_from_slice(&gzip(json)?);
    Ok(kept)
}

/// The first view's box and the gzipped columns of what [`kept`] made.
pub fn unkept(kept: &axum::body::Bytes) -> (axum::body::Bytes, axum::body::Bytes) {
    let line = kept.iter().position(|&b| b == b'\n').unwrap_or(0);
    (kept.slice(..line), kept.slice((line + 1).min(kept.len())..))
}

/// `gzip` inflated again, for a client that does not take gzip.
pub fn gunzip(gzip: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut json = Vec::with_capacity(gzip.len() * 4);
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(gzip), &mut json)?;
    Ok(json)
}

/// Whether an `Accept-Encoding` header value takes gzip (named, or `*`, without `q=0`).
pub fn takes_gzip(accept_encoding: &str) -> bool {
    accept_encoding.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let name = parts.next().unwrap_or("");
        let refused = parts.any(|p| p.strip_prefix("q=").and_then(|q| q.trim().parse::<f64>().ok()) == Some(0.0));
        (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(id: i64, place: Option<&str>, claimants: &[&str]) -> EventPoint {
        EventPoint {
            id,
            event_type: "shelling".into(),
            side: (id % 2 == 0).then(|| "RU".into()),
            precision: Some(1),
            lat: 49.710_029_602_050_78,
            lon: 37.615_810_394_287_11,
            date_from: Some("2023-02-01".into()),
            date_to: None,
            place_name: place.map(Into::into),
            sources: 3,
            claimants: claimants.iter().map(|c| c.to_string()).collect(),
            certainties: vec!["claimed".into()],
        }
    }

    /// What a test reads back of a point: id, side, place, claimants, latitude.
    type Decoded = (i64, Option<String>, Option<String>, Vec<String>, f64);

    /// The columns read back into points, as the page does.
    fn decode(v: &serde_json::Value) -> Vec<Decoded> {
        let text = |dict: &str, i: &serde_json::Value| i.as_u64().map(|i| v["dictionary"][dict][i as usize].as_str().unwrap().to_owned());
        (0..v["count"].as_u64().unwrap() as usize)
            .map(|i| {
                (
                    v["id"][i].as_i64().unwrap(),
                    text("side", &v["side"][i]),
                    text("place_name", &v["place_name"][i]),
                    v["claimants"][i].as_array().unwrap().iter().map(|c| text("claimant", c).unwrap()).collect(),
                    v["lat"][i].as_f64().unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn columns_give_back_every_point_with_each_text_written_once() {
        let points = vec![point(1, Some("Kupiansk"), &["the governor", "officials"]), point(2, None, &[]), point(4, Some("Kupiansk"), &["officials"])];
        let bytes = columns_json(&points).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let back = decode(&v);
        assert_eq!(back.len(), 3);
        assert_eq!(back[0], (1, None, Some("Kupiansk".into()), vec!["the governor".into(), "officials".into()], 49.71003));
        assert_eq!((back[1].1.as_deref(), back[1].2.as_deref(), back[1].3.len()), (Some("RU"), None, 0));
        assert_eq!(back[2].3, vec!["officials".to_owned()]);
        assert_eq!(v["dictionary"]["place_name"].as_array().unwrap().len(), 1, "a place named twice is written once");
        assert_eq!(v["date_to"][0], serde_json::Value::Null);
        assert_eq!((&v["date_from"][0], &v["date_from"][2]), (&serde_json::json!(0), &serde_json::json!(0)), "dates are indexes");
        assert_eq!(v["dictionary"]["date"], serde_json::json!(["2023-02-01"]));
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text.matches("officials").count(), 1);
        assert_eq!(text.matches("2023-02-01").count(), 1, "a date told by three points is written once");
        assert!(!text.contains("49.71002"), "no float noise: {text}");
    }

    #[test]
    fn the_kept_answer_gives_back_the_view_and_the_columns() {
        let points = [at(1, 49.7, 37.6, false)];
        let json = columns_json(&points).unwrap();
        let kept = axum::body::Bytes::from(kept(&points, &json).unwrap());
        let (view, gzipped) = unkept(&kept);
        assert_eq!(&view[..], b"37.3,49.4,37.9,50");
        assert_eq!(gunzip(&gzipped).unwrap(), json);
    }

    #[test]
    fn gzip_gives_back_what_it_took() {
        let json = columns_json(&[point(1, Some("Kupiansk"), &["officials"])]).unwrap();
        let packed = gzip(&json).unwrap();
        assert_eq!(&packed[..2], &[0x1f, 0x8b], "a gzip stream");
        assert_eq!(gunzip(&packed).unwrap(), json);
    }

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(takes_gzip("gzip, deflate, br"));
        assert!(takes_gzip("br;q=1.0, GZIP;q=0.5"));
        assert!(takes_gzip("*"));
        assert!(!takes_gzip("gzip;q=0, br"));
        assert!(!takes_gzip("identity"));
        assert!(!takes_gzip(""));
    }

    /// A located point at `lat`, `lon` (precision 1), or an area's (precision 6).
    fn at(id: i64, lat: f64, lon: f64, area: bool) -> EventPoint {
        EventPoint { lat, lon, precision: Some(if area { 6 } else { 1 }), ..point(id, None, &[]) }
    }

    #[test]
    fn the_first_view_holds_the_bulk_of_the_located_events_not_the_strays_or_the_areas() {
        // 100 events along a line in eastern Ukraine, one stray in Lisbon, two at country level
        // far away: the view is the central 95% of the located ones.
        let mut points: Vec<EventPoint> = (0..100).map(|i| at(i, 47.0 + i as f64 * 0.03, 36.0 + i as f64 * 0.02, false)).collect();
        points.push(at(100, 38.7, -9.1, false));
        points.push(at(101, 55.7, 37.6, true));
        points.push(at(102, 60.0, 100.0, true));
        let [w, s, e, n] = first_view(&points);
        assert!(w > 35.9 && e < 38.1 && s > 46.9 && n < 50.1, "the stray and the areas stay out: {:?}", [w, s, e, n]);
        assert!(e - w > 1.5 && n - s > 2.5, "the bulk is in: {:?}", [w, s, e, n]);
        // Areas only: they are what there is to see.
        let [w, _, e, _] = first_view(&[at(1, 55.7, 37.6, true), at(2, 50.4, 30.5, true)]);
        assert!(w <= 30.5 && e >= 37.6);
    }

    #[test]
    fn one_place_keeps_its_surroundings_and_no_events_give_the_theatre() {
        let [w, s, e, n] = first_view(&[at(1, 49.7, 37.6, false), at(2, 49.7, 37.6, false)]);
        assert!((e - w - 0.6).abs() < 1e-9 && (n - s - 0.6).abs() < 1e-9 && (w - 37.3).abs() < 1e-9, "{:?}", [w, s, e, n]);
        assert_eq!(first_view(&[]), [22.0, 44.0, 40.5, 52.5]);
    }

    #[test]
    fn no_points_give_empty_columns() {
        let v: serde_json::Value = serde_json::from_slice(&columns_json(&[]).unwrap()).unwrap();
        assert_eq!((v["count"].as_u64(), v["id"].as_array().map(Vec::len)), (Some(0), Some(0)));
    }
}
