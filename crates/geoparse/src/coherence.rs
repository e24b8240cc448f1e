//! Coherence, the costly part of resolution's vote: how far each candidate lies from the
//! nearest point-like place that another name of the report is read as.
//!
//! Resolution asks for it in every round whose best guesses moved, over the distinct
//! (candidate place, name) pairs of a report, against up to 64 context places. Between two
//! rounds the context changes by a few places, so [`Coherence`] keeps each pair's nearest
//! context place and its squared angle, and on a new context measures each pair only to the
//! places the context gained, starting over only for the pairs whose nearest place it lost.
//! A nearest distance is a minimum, which does not depend on the order the places are
//! measured in: the figures are exactly those of measuring every pair against the whole
//! context anew. A place whose latitude alone puts it no nearer than the nearest so far is
//! passed over without the rest of the measure, and so is a place that a cheap lower bound of
//! the whole measure (the longitude's share taken with the smallest cosine of latitude the
//! context allows) puts no nearer; measuring a town against the whole context, the places are
//! walked outwards from its latitude, and each way stops at the first place whose latitude
//! alone is that far.

use sitrep_gazetteer::{approx_angle_squared, distance_penalty, longitude_difference, nearest_in_box, Feature, Gazetteer, LatLon, Place, EARTH_RADIUS_KM};

/// Weight of the distance to the nearest other mentioned place.
pub(crate) const COHERENCE: f64 = 1.0;

/// What a candidate's distance is measured from.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// A country or water: it holds or touches everything nearby, so no distance counts.
    Exempt,
    /// A town's (or any place without a box's) point.
    Point(LatLon),
    /// An area's bounding box `[min_lat, min_lon, max_lat, max_lon]` (zero inside it).
    Area([f64; 4]),
}

impl Shape {
    fn of(p: &Place<'_>) -> Shape {
        let feature = p.feature();
        if feature == Feature::Country || feature.is_water() {
            return Shape::Exempt;
        }
        match (feature.is_area(), p.bbox()) {
            (true, Some(bbox)) => Shape::Area(bbox),
            _ => Shape::Point(p.point()),
        }
    }

    /// The squared angle (see [`approx_angle_squared`]) from `point` to the shape: what
    /// coherence ranks by nearness.
    #[inline(always)]
    fn angle_squared_to(self, point: LatLon) -> f64 {
        match self {
            Shape::Area(bbox) => approx_angle_squared(point, nearest_in_box(point, bbox)),
            Shape::Point(own) => approx_angle_squared(own, point),
            Shape::Exempt => f64::INFINITY,
        }
    }

    /// The latitude's share of [`Shape::angle_squared_to`] (its `dlat²`), computed as it
    /// computes it: never more than the whole, whose other term is a square, so a place
    /// whose share already reaches the nearest so far cannot be nearer.
    #[inline(always)]
    fn latitude_bound(self, point: LatLon) -> f64 {
        let dlat = match self {
            Shape::Area([min_lat, _, max_lat, _]) => (point.lat.clamp(min_lat.min(max_lat), max_lat.max(min_lat)) - point.lat).to_radians(),
            Shape::Point(own) => (point.lat - own.lat).to_radians(),
            Shape::Exempt => return f64::INFINITY,
        };
        dlat * dlat
    }
}

/// Less than [`approx_angle_squared`] from a town at `own` to `point` when `cosine` is at most
/// the cosine of every latitude halfway between the two (the function's longitude term is the
/// difference of longitudes, wrapped as it wraps it, times a polynomial that is never below
/// the cosine there): both terms with the smaller factor, less a billionth for rounding.
#[inline(always)]
fn town_bound(own: LatLon, point: LatLon, cosine: f64) -> f64 {
    let dlat = (point.lat - own.lat).to_radians();
    let x = longitude_difference(own.lon, point.lon).to_radians().abs() * cosine;
    (x * x + dlat * dlat) * (1.0 - 1e-9)
}

/// At most the cosine of every latitude halfway between `lat` and a latitude in
/// `[low, high]` (degrees): `1 - m²/2`, never above the cosine, at the largest such halfway
/// latitude `m`.
fn least_cosine(lat: f64, low: f64, high: f64) -> f64 {
    let m = ((lat + low).abs().max((lat + high).abs()) / 2.0).to_radians();
    (1.0 - m * m / 2.0).max(0.0)
}

/// One place of the context: the pair (place, name that is read as it), the name, the point.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry {
    pair: u32,
    name: u32,
    point: LatLon,
}

impl Entry {
    fn key(&self) -> u32 {
        self.pair
    }
}

/// Each pair's coherence, kept up to date with a changing context.
#[derive(Debug, Clone, Default)]
pub(crate) struct Coherence {
    /// Per pair: its name, what its distance is measured from, and its place's point (where
    /// it is as a context place).
    names: Vec<u32>,
    shapes: Vec<Shape>,
    points: Vec<LatLon>,
    /// Per pair: the squared angle to the nearest context place of another name (infinite
    /// when there is none), which place that is, and the coherence it gives.
    nearest: Vec<f64>,
    from: Vec<Option<u32>>,
    values: Vec<f64>,
    /// The current context, by pair.
    context: Vec<Entry>,
    /// The same places by latitude.
    by_latitude: Vec<Entry>,
}

impl Coherence {
    /// The pairs `(place, name)` against an empty context (every coherence 0).
    pub(crate) fn new(gaz: &Gazetteer, pairs: &[(u32, u32)]) -> Coherence {
        Coherence {
            names: pairs.iter().map(|&(_, name)| name).collect(),
            shapes: pairs.iter().map(|&(place, _)| Shape::of(&gaz.place(place))).collect(),
            points: pairs.iter().map(|&(place, _)| gaz.place(place).point()).collect(),
            nearest: vec![f64::INFINITY; pairs.len()],
            from: vec![None; pairs.len()],
            values: vec![0.0; pairs.len()],
            context: Vec::new(),
            by_latitude: Vec::new(),
        }
    }

    /// Pair `i`'s coherence: a penalty for the distance from its place to the nearest place
    /// of the context that another name is read as (0 when there is none, and for countries
    /// and water).
    #[inline]
    pub(crate) fn value(&self, i: usize) -> f64 {
        self.values[i]
    }

    /// Measures every pair against `context`: the pairs (each once) whose places are the
    /// context places, each with the name that is read as it.
    pub(crate) fn update(&mut self, context: &[u32]) {
        let mut now: Vec<Entry> = context.iter().map(|&q| Entry { pair: q, name: self.names[q as usize], point: self.points[q as usize] }).collect();
        now.sort_unstable_by_key(Entry::key);
        let (mut gained, mut lost) = (Vec::new(), Vec::new());
        let (mut a, mut b) = (self.context.iter().peekable(), now.iter().peekable());
        loop {
            match (a.peek(), b.peek()) {
                (Some(old), Some(new)) if old.key() == new.key() => {
                    a.next();
                    b.next();
                }
                (Some(old), Some(new)) if old.key() < new.key() => {
                    lost.push(old.key());
                    a.next();
                }
                (Some(old), None) => {
                    lost.push(old.key());
                    a.next();
                }
                (_, Some(new)) => {
                    gained.push(**new);
                    b.next();
                }
                (None, None) => break,
            }
        }
        if gained.is_empty() && lost.is_empty() {
            return;
        }
        self.by_latitude.clear();
        self.by_latitude.extend_from_slice(&now);
        self.by_latitude.sort_unstable_by(|a, b| a.point.lat.total_cmp(&b.point.lat));
        let (low, high) = match (self.by_latitude.first(), self.by_latitude.last()) {
            (Some(a), Some(b)) => (a.point.lat, b.point.lat),
            _ => (0.0, 0.0),
        };
        for i in 0..self.shapes.len() {
            let shape = self.shapes[i];
            if shape == Shape::Exempt {
                continue;
            }
            let own = self.names[i];
            let cosine = match shape {
                Shape::Point(point) => least_cosine(point.lat, low, high),
                _ => 0.0,
            };
            let mut nearest = Nearest { shape, own, cosine, best: self.nearest[i], from: self.from[i] };
            let restart = self.from[i].is_some_and(|key| lost.binary_search(&key).is_ok());
            match shape {
                Shape::Point(point) if restart => {
                    nearest.best = f64::INFINITY;
                    nearest.from = None;
                    // Outwards from the town's latitude: each way, the latitude's share only
                    // grows.
                    let start = self.by_latitude.partition_point(|e| e.point.lat < point.lat);
                    nearest.walk(self.by_latitude[start..].iter());
                    nearest.walk(self.by_latitude[..start].iter().rev());
                }
                _ if restart => {
                    nearest.best = f64::INFINITY;
                    nearest.from = None;
                    nearest.scan(&now);
                }
                _ => nearest.scan(&gained),
            }
            let (best, from) = (nearest.best, nearest.from);
            self.from[i] = from;
            if best.to_bits() != self.nearest[i].to_bits() {
                self.nearest[i] = best;
                self.values[i] = if best.is_finite() { -COHERENCE * distance_penalty(EARTH_RADIUS_KM * best.sqrt()) } else { 0.0 };
            }
        }
        self.context = now;
    }
}

/// The nearest context place of another name to one shape, as far as measured.
struct Nearest {
    shape: Shape,
    own: u32,
    /// For a town, at most the cosine of every latitude halfway to a context place.
    cosine: f64,
    best: f64,
    from: Option<u32>,
}

impl Nearest {
    #[inline(always)]
    fn measure(&mut self, e: &Entry) {
        if let Shape::Point(own) = self.shape {
            if town_bound(own, e.point, self.cosine) >= self.best {
                return;
            }
        }
        let d = self.shape.angle_squared_to(e.point);
        if d < self.best {
            (self.best, self.from) = (d, Some(e.key()));
        }
    }

    /// Measures `entries` in any order, passing over those whose latitude alone is too far.
    fn scan(&mut self, entries: &[Entry]) {
        let own = self.own;
        for e in entries.iter().filter(|e| e.name != own) {
            if self.shape.latitude_bound(e.point) < self.best {
                self.measure(e);
            }
        }
    }

    /// Measures `entries`, which lie ever farther in latitude from the shape, until one's
    /// latitude alone is too far: every one after it is farther still.
    fn walk<'e>(&mut self, entries: impl Iterator<Item = &'e Entry>) {
        let own = self.own;
        for e in entries.filter(|e| e.name != own) {
            if self.shape.latitude_bound(e.point) >= self.best {
                break;
            }
            self.measure(e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_gazetteer::{IndexWriter, PlaceSpec};

    /// A small gazetteer: towns scattered over a few degrees, an area with a box and a town
    /// inside it, a country and a river.
    fn gazetteer() -> Gazetteer {
        let mut w = IndexWriter::new();
        for i in 0..12 {
            let (lat, lon) = (48.0 + f64::from(i) * 0.37, 30.0 + f64::from(i * 7 % 12) * 0.61);
            w.add(PlaceSpec::new(&format!("Town{i}"), Feature::City, lat, lon));
        }
        let mut area = PlaceSpec::new("Area", Feature::Admin1, 49.0, 33.0);
        area.bbox = Some([48.5, 32.0, 49.5, 34.0]);
        w.add(area);
        w.add(PlaceSpec::new("Land", Feature::Country, 49.0, 31.0));
        w.add(PlaceSpec::new("Stream", Feature::River, 49.2, 31.5));
        w.add(PlaceSpec::new("Inner", Feature::City, 49.1, 33.3));
        Gazetteer::from_bytes(&w.finish()).unwrap()
    }

    /// What coherence was before it was kept between rounds: every pair measured against the
    /// whole context (pairs of `pairs`).
    fn anew(gaz: &Gazetteer, pairs: &[(u32, u32)], place: u32, name: u32, context: &[u32]) -> f64 {
        let p = gaz.place(place);
        if p.feature() == Feature::Country || p.feature().is_water() {
            return 0.0;
        }
        let shape = Shape::of(&p);
        let context: Vec<(u32, Place<'_>)> = context.iter().map(|&q| (pairs[q as usize].1, gaz.place(pairs[q as usize].0))).collect();
        let nearest = context.iter().filter(|(n, _)| *n != name).map(|(_, w)| shape.angle_squared_to(w.point())).fold(f64::INFINITY, f64::min);
        if nearest.is_finite() {
            -COHERENCE * distance_penalty(EARTH_RADIUS_KM * nearest.sqrt())
        } else {
            0.0
        }
    }

    #[test]
    fn kept_coherence_is_what_measuring_anew_gives_as_the_context_changes() {
        let gaz = gazetteer();
        let places: Vec<u32> = (0..gaz.len() as u32).collect();
        // Every place under four names, so that some pairs share their place's name with
        // context entries and some do not.
        let pairs: Vec<(u32, u32)> = places.iter().flat_map(|&p| (0..4).map(move |n| (p, n))).collect();
        let mut kept = Coherence::new(&gaz, &pairs);
        // A walk through contexts (of the towns' pairs) that gain and lose places, lose every
        // place, lose a pair's nearest place, come back, and stay the same.
        let mut state: u64 = 7;
        let mut contexts: Vec<Vec<u32>> = Vec::new();
        for step in 0..60 {
            let mut context = Vec::new();
            for (q, _) in pairs.iter().enumerate().filter(|(_, (p, _))| gaz.place(*p).name().starts_with("Town")) {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                if (state >> 33) % 5 < 2 {
                    context.push(q as u32);
                }
            }
            if step % 9 == 4 {
                context.clear();
            }
            if step % 7 == 3 {
                context = contexts.last().cloned().unwrap_or_default();
            }
            contexts.push(context);
        }
        for context in &contexts {
            kept.update(context);
            for (i, &(place, name)) in pairs.iter().enumerate() {
                assert_eq!(kept.value(i).to_bits(), anew(&gaz, &pairs, place, name, context).to_bits(), "pair {i} ({place}, {name})");
            }
        }
    }

    #[test]
    fn the_town_bound_never_exceeds_the_measure() {
        let mut state: u64 = 3;
        let mut next = |range: f64| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * range
        };
        for _ in 0..100_000 {
            let own = LatLon::new(next(180.0), next(360.0));
            // Context latitudes in a band, sometimes a narrow one, sometimes all of the Earth.
            let (a, b) = (next(180.0), next(180.0));
            let (low, high) = if next(1.0) > 0.0 { (a.min(b), a.max(b)) } else { (a, a + next(1.0).abs()) };
            let high = high.min(90.0);
            let cosine = least_cosine(own.lat, low, high);
            for _ in 0..4 {
                let lat = low + (high - low) * (next(1.0) + 0.5);
                // Near the town as well as anywhere, across the antimeridian too.
                let lon = if next(1.0) > 0.0 { own.lon + next(2.0) } else { next(360.0) };
                let point = LatLon::new(lat, lon);
                assert!(town_bound(own, point, cosine) <= approx_angle_squared(own, point), "{own:?} {point:?} [{low}, {high}]");
            }
        }
    }

    #[test]
    fn countries_water_and_lone_names_cost_nothing() {
        let gaz = gazetteer();
        let find = |name: &str| gaz.places().find(|p| p.name() == name).unwrap().index();
        let (town, land, stream) = (find("Town0"), find("Land"), find("Stream"));
        let pairs = [(town, 0), (land, 1), (stream, 2), (find("Town5"), 0), (find("Town5"), 1), (find("Town9"), 2)];
        let mut kept = Coherence::new(&gaz, &pairs);
        // The town's own name is the only context: nothing else to be near.
        kept.update(&[3]);
        assert_eq!(kept.value(0), 0.0);
        kept.update(&[4, 5]);
        assert!(kept.value(0) < 0.0);
        assert_eq!((kept.value(1), kept.value(2)), (0.0, 0.0));
    }

    #[test]
    fn inside_an_area_is_no_distance() {
        let gaz = gazetteer();
        let area = gaz.places().find(|p| p.name() == "Area").unwrap().index();
        let inside = gaz.places().find(|p| p.name() == "Inner").unwrap();
        let mut kept = Coherence::new(&gaz, &[(area, 0), (inside.index(), 1)]);
        kept.update(&[1]);
        assert_eq!(kept.value(0), -COHERENCE * distance_penalty(0.0));
    }
}
