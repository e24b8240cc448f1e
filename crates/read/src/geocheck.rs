//! The geography checks stage: a report's "Kupiansk, some 73 kilometres north of Izyum"
//! compared with the gazetteer.
//!
//! A distance that locates a place (a km figure right after a place name and a comma, and
//! followed by "north of" and the reference place) is checked: the place is the nearest
//! toponym before the number in its sentence, the reference the toponym right after the
//! direction.
//!
//! The same statements settle homonyms first ([`settle_homonyms`]): when the geoparser's
//! readings of the two names contradict the statement but another candidate of either name
//! agrees with it, that candidate is taken, for every mention of the name. Before them, a
//! settlement name several villages share is read as the one near the settlements named around
//! it ([`settle_by_neighbours`]); after them, "X, northeast of Y" with no distance takes the
//! reading of X that lies that way from Y ([`settle_by_direction`]).

use serde::Serialize;
use sitrep_gazetteer::{bearing_deg, compass_point, distance_km, LatLon, Place, EARTH_RADIUS_KM};
use sitrep_geoparse::Toponym;

use crate::{
    figures::{NumberReading, Quantity},
    numbers::{StatedNumber, Unit},
    sentences::{self, Sentence},
};

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
    /// True when the statement places the located place far from its reading
    /// ([`far_from_stated`]): the text names a settlement the gazetteer lacks, or has under
    /// another name, and the reading is not it.
    #[serde(skip)]
    pub disowns_reading: bool,
    /// Where the located place's mention starts, in bytes of the text (for finding the
    /// statements about it; not turned into a Unicode scalar offset).
    #[serde(skip)]
    pub place_start: usize,
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

/// The geography checks stage: every distance between places among `numbers` whose two
/// places the gazetteer locates as points, checked. `sentences` and `toponyms` are in text
/// order.
pub fn read(text: &str, sentences: &[Sentence], toponyms: &[Toponym<'_>], numbers: &[NumberReading]) -> Vec<GeoCheck> {
    numbers
        .iter()
        .filter(|n| n.quantity == Quantity::DistanceBetweenPlaces)
        .filter_map(|n| {
            let sentence = sentences[sentences::index_at(sentences, n.number.start, |s| (s.start, s.end))?];
            let (bearing, skip) = direction_after(text, n.number.end)?;
            check_statement(text, toponyms, &n.number, bearing, n.number.end + skip, sentence)
        })
        .collect()
}

/// True when a reading `km` from the reference is far from where a statement of `stated_km`
/// puts it: on the wrong side and more than [`FAR_KM`] off, or its distance off by more than
/// [`FAR_KM`] and more than the stated one. Closer misses are the text's rounding, a road
/// distance, a distance from a city's edge, or a compass point written loosely ("10 km
/// south-west" of a village to the south-east), and keep their reading.
fn far_from_stated(km: f64, stated_km: f64, verdict: Verdict) -> bool {
    let wrong_side = verdict == Verdict::DirectionWrong && km > FAR_KM;
    let wrong_distance = (km - stated_km).abs() > FAR_KM.max(stated_km);
    wrong_side || wrong_distance
}

/// How far off a reading must be before a stated distance disowns it, km ([`far_from_stated`]).
const FAR_KM: f64 = 15.0;

/// The homonyms stage, before places are listed: for every stated distance and direction
/// between two places, if the chosen readings contradict it (direction or distance wrong) and
/// a pair from the candidates of the two names agrees with it (consistent or plausible), the
/// pair that changes least and fits best is taken, and every mention of a changed name that
/// was read as the old place is read as the new one.
pub fn settle_homonyms<'g>(text: &str, sentences: &[Sentence], toponyms: &mut [Toponym<'g>], numbers: &[NumberReading]) {
    for n in numbers.iter().filter(|n| n.quantity == Quantity::DistanceBetweenPlaces) {
        let Some(sentence) = sentences::index_at(sentences, n.number.start, |s| (s.start, s.end)).map(|i| sentences[i]) else { continue };
        let Some((bearing, skip)) = direction_after(text, n.number.end) else { continue };
        let Some((place_at, reference_at)) = statement_mentions(text, toponyms, &n.number, n.number.end + skip, sentence) else { continue };
        let stated_km = (n.number.low + n.number.high) / 2.0;
        let (place, reference) = (&toponyms[place_at], &toponyms[reference_at]);
        let (Some(chosen_place), Some(chosen_reference)) = (place.place, reference.place) else { continue };
        if matches!(check(&chosen_place, &chosen_reference, stated_km, Some(bearing)).2, Verdict::Consistent | Verdict::Plausible) {
            continue;
        }
        let point_like = |p: &Place<'_>| !p.feature().is_area() && !p.feature().is_water();
        let options = |t: &Toponym<'g>| -> Vec<Place<'g>> { t.place.into_iter().chain(t.alternatives.iter().copied()).filter(point_like).collect() };
        // (places changed, how far the stated distance is off, the pair)
        let mut best: Option<(usize, f64, Place<'g>, Place<'g>)> = None;
        for p in options(place) {
            for r in options(reference) {
                let (km, _, verdict) = check(&p, &r, stated_km, Some(bearing));
                if !matches!(verdict, Verdict::Consistent | Verdict::Plausible) {
                    continue;
                }
                let changed = usize::from(p.index() != chosen_place.index()) + usize::from(r.index() != chosen_reference.index());
                let off = (stated_km / km.max(0.1)).ln().abs();
                if best.as_ref().is_none_or(|(c, o, _, _)| (changed, off) < (*c, *o)) {
                    best = Some((changed, off, p, r));
                }
            }
        }
        let Some((_, _, new_place, new_reference)) = best else { continue };
        let renames = [(place.text.clone(), chosen_place, new_place), (reference.text.clone(), chosen_reference, new_reference)];
        for (name, old, new) in renames {
            if old.index() == new.index() {
                continue;
            }
            for t in toponyms.iter_mut().filter(|t| t.text == name && t.place.is_some_and(|p| p.index() == old.index())) {
                t.alternatives.retain(|a| a.index() != new.index());
                t.alternatives.insert(0, old);
                t.place = Some(new);
                // The statement settled which of the homonyms is meant.
                t.ambiguous = None;
            }
        }
    }
}

/// Farthest a reading of a shared settlement name may lie from a settlement named around it
/// for that neighbour to choose it, km.
const NEIGHBOUR_KM: f64 = 60.0;

/// How many times farther than the neighbours' reading the geoparser's must lie from every
/// neighbour to be replaced.
const NEIGHBOUR_RATIO: f64 = 1.5;

/// Sentences before a mention whose settlements count as its neighbours.
const NEIGHBOUR_SENTENCES: usize = 2;

/// The homonyms stage's first step, before stated distances: a settlement's name that several
/// settlements of its country share is read as the one nearest the settlements named around
/// it (in its sentence and the [`NEIGHBOUR_SENTENCES`] before), when that one lies within
/// [`NEIGHBOUR_KM`] of one of them and the geoparser's reading lies [`NEIGHBOUR_RATIO`] times as
/// far or farther from all of them: "attacks on Hulyaipole, Orikhiv, and Kamianske" is the village of
/// that name beside Orikhiv, not the city on the Dnipro. A reading already beside one of them
/// that was marked ambiguous is settled when every other settlement of the name lies
/// [`NEIGHBOUR_RATIO`] times as far from that one and beyond half [`NEIGHBOUR_KM`] ("the villages
/// of Pryvillia and Borivske" near Lysychansk: one of fourteen Pryvillias, and the only one
/// there). Only settlements read without doubt (one reading of their name, or one the text
/// settled) count as neighbours.
pub fn settle_by_neighbours<'g>(gaz: &'g sitrep_gazetteer::Gazetteer, sentences: &[Sentence], toponyms: &mut [Toponym<'g>]) {
    let point_like = |p: &Place<'_>| !p.feature().is_area() && !p.feature().is_water();
    let mut buf = String::new();
    for i in 0..toponyms.len() {
        let Some(chosen) = toponyms[i].place.filter(point_like) else { continue };
        let Some(k) = sentences::index_at(sentences, toponyms[i].byte_start, |s| (s.start, s.end)) else { continue };
        let window = sentences[k.saturating_sub(NEIGHBOUR_SENTENCES)].start..sentences[k].end;
        let around = toponyms.partition_point(|n| n.byte_start < window.start)..toponyms.partition_point(|n| n.byte_start < window.end);
        let neighbours: Vec<Place<'g>> =
            toponyms[around].iter().filter(|n| n.text != toponyms[i].text && n.ambiguous.is_none()).filter_map(|n| n.place.filter(point_like)).collect();
        let nearest = |p: &Place<'_>| nearest_km(p.point(), neighbours.iter().map(Place::point));
        let from_chosen = nearest(&chosen);
        if neighbours.is_empty() {
            continue;
        }
        if from_chosen <= NEIGHBOUR_KM {
            // The reading is the one beside a settlement named around it, and every other
            // settlement of the name lies well away from that one: the text has settled the name.
            if toponyms[i].ambiguous.is_some() {
                let anchor = neighbours.iter().min_by(|a, b| distance_km(chosen.point(), a.point()).total_cmp(&distance_km(chosen.point(), b.point())));
                let reach = (NEIGHBOUR_RATIO * distance_km(chosen.point(), anchor.map_or(chosen.point(), |a| a.point()))).max(NEIGHBOUR_KM / 2.0);
                let settled = anchor.is_some_and(|anchor| {
                    gaz.lookup(&toponyms[i].text, &mut buf)
                        .map(|(index, _)| gaz.place(index))
                        .filter(|p| point_like(p) && p.index() != chosen.index() && p.country_index() == chosen.country_index())
                        .all(|p| farther_than(p.point(), anchor.point(), reach) || distance_km(p.point(), anchor.point()) > reach)
                });
                if settled {
                    toponyms[i].ambiguous = None;
                    toponyms[i].precision = sitrep_geoparse::Precision::Exact;
                }
            }
            continue;
        }
        // Only a reading within reach of a neighbour can be taken: the others, told by their
        // latitude alone, are not measured.
        let best = gaz
            .lookup(&toponyms[i].text, &mut buf)
            .map(|(index, _)| gaz.place(index))
            .filter(|p| point_like(p) && p.index() != chosen.index() && p.country_index() == chosen.country_index())
            .filter(|p| neighbours.iter().any(|n| !farther_than(p.point(), n.point(), NEIGHBOUR_KM)))
            .map(|p| (nearest(&p), p))
            .min_by(|a, b| a.0.total_cmp(&b.0));
        let Some((_, new)) = best.filter(|(km, _)| *km <= NEIGHBOUR_KM && from_chosen > NEIGHBOUR_RATIO * *km) else { continue };
        take_homonym(&mut toponyms[i], chosen, new);
    }
}

/// True when `a` and `b` are farther apart than `km` by their latitudes alone: a great circle
/// between them is no shorter than the arc of latitude between them, which is what is taken
/// here, less a millionth for rounding. Cheaper than [`distance_km`], which it never exceeds.
pub(crate) fn farther_than(a: LatLon, b: LatLon, km: f64) -> bool {
    (a.lat - b.lat).abs().to_radians() * EARTH_RADIUS_KM * (1.0 - 1e-6) > km
}

/// The distance from `p` to the nearest of `points`, km (infinite when there are none): the
/// smallest [`distance_km`], the same value, with the points that their latitude alone puts
/// farther than the nearest so far ([`farther_than`]) not measured.
pub(crate) fn nearest_km(p: LatLon, points: impl Iterator<Item = LatLon>) -> f64 {
    let mut nearest = f64::INFINITY;
    for n in points {
        if !farther_than(p, n, nearest) {
            nearest = nearest.min(distance_km(p, n));
        }
    }
    nearest
}

/// Makes `new` the reading of mention `t` in place of `chosen`, which becomes its first
/// alternative (four kept); a mention that was ambiguous is now placed exactly.
pub(crate) fn take_homonym<'g>(t: &mut Toponym<'g>, chosen: Place<'g>, new: Place<'g>) {
    t.alternatives.retain(|a| a.index() != new.index());
    t.alternatives.insert(0, chosen);
    t.alternatives.truncate(4);
    t.place = Some(new);
    if t.ambiguous.take().is_some() {
        t.precision = sitrep_geoparse::Precision::Exact;
    }
}

/// Farthest a place located only by a direction ("X, northeast of Y") may lie from Y, km.
const DIRECTION_KM: f64 = 100.0;

/// Most degrees between a stated direction and the gazetteer's bearing for a reading to agree
/// with it (half a point of eight).
const DIRECTION_SLACK: f64 = 22.5;

/// The homonyms stage's step for directions without a distance: "Hranitne, northeast of
/// Mariupol". When the chosen reading of X lies farther than [`DIRECTION_KM`] from Y or off the
/// stated direction by more than [`DIRECTION_SLACK`], and another settlement of X's name and
/// country lies within reach in that direction, the nearest such is taken for that mention.
/// Returns the byte starts, in text order, of the mentions X whose reading the direction
/// confirmed or chose.
pub fn settle_by_direction<'g>(gaz: &'g sitrep_gazetteer::Gazetteer, text: &str, toponyms: &mut [Toponym<'g>]) -> Vec<usize> {
    let mut settled = Vec::new();
    static RE: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        crate::pattern::regex(r"^\s*,\s*(?:(?:just|far|directly|immediately)\s+)?([A-Za-z-]+)\s+of\s+(?:the\s+city\s+of\s+)?$")
            .expect("the direction pattern compiles")
    });
    let point_like = |p: &Place<'_>| !p.feature().is_area() && !p.feature().is_water();
    let mut buf = String::new();
    for i in 0..toponyms.len().saturating_sub(1) {
        let (x, y) = (&toponyms[i], &toponyms[i + 1]);
        let (Some(chosen), Some(reference)) = (x.place.filter(point_like), y.place.filter(point_like)) else { continue };
        let Some(bearing) = re.captures(&text[x.byte_end..y.byte_start.max(x.byte_end)]).and_then(|c| direction_bearing(c.get(1)?.as_str())) else { continue };
        let agrees = |p: &Place<'_>| {
            let off = (bearing_deg(reference.point(), p.point()) - bearing).rem_euclid(360.0);
            distance_km(reference.point(), p.point()) <= DIRECTION_KM && off.min(360.0 - off) <= DIRECTION_SLACK
        };
        if agrees(&chosen) {
            settled.push(x.byte_start);
            continue;
        }
        let better = gaz
            .lookup(&x.text, &mut buf)
            .map(|(index, _)| gaz.place(index))
            .filter(|p| point_like(p) && p.index() != chosen.index() && p.country_index() == chosen.country_index() && agrees(p))
            .min_by(|a, b| distance_km(reference.point(), a.point()).total_cmp(&distance_km(reference.point(), b.point())));
        let Some(new) = better else { continue };
        settled.push(x.byte_start);
        take_homonym(&mut toponyms[i], chosen, new);
    }
    settled
}

/// The mentions a located-distance statement is about: the place (the nearest toponym before
/// the number in its sentence that a comma follows: "A, 20 km ...", "A, a village near the B
/// border about 20 km ...") and the reference (starting within four bytes of `reference_at`).
fn statement_mentions(text: &str, toponyms: &[Toponym<'_>], n: &StatedNumber, reference_at: usize, sentence: Sentence) -> Option<(usize, usize)> {
    let reference = toponyms.partition_point(|t| t.byte_start < reference_at);
    toponyms.get(reference).filter(|t| t.byte_start <= reference_at + 4)?;
    let (from, to) = (toponyms.partition_point(|t| t.byte_start < sentence.start), toponyms.partition_point(|t| t.byte_start < n.start));
    let place = (from..to).rev().find(|&i| toponyms[i].byte_end <= n.start && text[toponyms[i].byte_end..].trim_start().starts_with(','))?;
    Some((place, reference))
}

/// True when `n` is a distance that locates a place ("Kreminna, some 30 kilometres east of
/// Lyman"): kilometres, right after a place name and a comma, followed by a direction and
/// "of". `place_ends` are the toponyms' end offsets, sorted ([`sorted_ends`]).
pub fn locates_place(text: &str, place_ends: &[usize], n: &StatedNumber) -> bool {
    n.unit == Unit::Km && after_place_and_comma(text, place_ends, n.start) && direction_after(text, n.end).is_some()
}

/// The end offsets of `toponyms`, sorted, for [`locates_place`].
pub fn sorted_ends(toponyms: &[Toponym<'_>]) -> Vec<usize> {
    let mut ends: Vec<usize> = toponyms.iter().map(|t| t.byte_end).collect();
    ends.sort_unstable();
    ends
}

/// True when only white space and one comma stand between some place name and byte `at`.
fn after_place_and_comma(text: &str, place_ends: &[usize], at: usize) -> bool {
    static APPOSITION: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    // "A, a settlement along the T1302 highway about 15 km ...": a settlement described first.
    let apposition = APPOSITION.get_or_init(|| {
        crate::pattern::regex(r"(?i),\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}?(?:village|settlement|town|city|hamlet|suburb)(?:\s+[^\s,;.()]+){0,8}?\s*$")
            .expect("the apposition pattern compiles")
    });
    let head = text[..at].trim_end();
    // Searched for in the last 200 bytes only, so that a long text costs no more per number.
    let window = boundary_at_or_before(head, head.len().saturating_sub(200));
    let head = apposition.find(&head[window..]).map_or(head, |m| &head[..window + m.start() + 1]);
    let Some(before_comma) = head.strip_suffix(',') else { return false };
    // A place may end anywhere from the white space before the comma to the comma.
    let (earliest, latest) = (before_comma.trim_end().len(), before_comma.len());
    let i = place_ends.partition_point(|&e| e < earliest);
    place_ends.get(i).is_some_and(|&e| e <= latest)
}

/// "north of Izyum" right after byte `end` (within 80 bytes): the stated bearing and how many
/// bytes after `end` the reference place starts. "from" and "away" state no direction.
fn direction_after(text: &str, end: usize) -> Option<(f64, usize)> {
    let after = &text[end..boundary_at_or_before(text, end + 80)];
    let trimmed = after.trim_start();
    let lead = after.len() - trimmed.len();
    let mut words = trimmed.splitn(3, char::is_whitespace);
    let first = words.next()?;
    if first.eq_ignore_ascii_case("from") || first.eq_ignore_ascii_case("away") {
        return None;
    }
    let bearing = direction_bearing(first)?;
    let of = words.next()?;
    if !of.eq_ignore_ascii_case("of") {
        return None;
    }
    let rest = words.next()?;
    let skip = lead + first.len() + 1 + of.len() + 1 + (rest.len() - rest.trim_start().len());
    Some((bearing, skip))
}

/// The largest char boundary of `text` at or before byte `i` (the text's end when past it).
pub(crate) fn boundary_at_or_before(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// "Kupiansk, some 73 kilometres north of Izyum": the place is the nearest toponym before
/// the number in its sentence, the reference the toponym starting within four bytes of
/// `reference_at`; both must be points (not areas or water).
fn check_statement(text: &str, toponyms: &[Toponym<'_>], n: &StatedNumber, bearing: f64, reference_at: usize, sentence: Sentence) -> Option<GeoCheck> {
    let point_like = |p: &Place<'_>| !p.feature().is_area() && !p.feature().is_water();
    let (place_at, reference_at) = statement_mentions(text, toponyms, n, reference_at, sentence)?;
    let (place, reference) = (&toponyms[place_at], &toponyms[reference_at]);
    let (rp, pp) = (reference.place?, place.place?);
    if !point_like(&rp) || !point_like(&pp) {
        return None;
    }
    let stated_km = (n.low + n.high) / 2.0;
    let (km, b, verdict) = check(&pp, &rp, stated_km, Some(bearing));
    Some(GeoCheck {
        start: n.start,
        end: reference.byte_end,
        place: place.text.clone(),
        reference: text[reference.byte_start..reference.byte_end].to_owned(),
        stated_km,
        stated_direction: Some(stated_compass(bearing)),
        gazetteer_km: (km * 10.0).round() / 10.0,
        gazetteer_bearing: b.round(),
        gazetteer_direction: compass_point(b),
        verdict,
        disowns_reading: far_from_stated(km, stated_km, verdict),
        place_start: place.byte_start,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A seeded generator of numbers spread evenly over `[-range / 2, range / 2)` (a linear
    /// congruential one: the same sequence on every run).
    fn uniform(seed: u64) -> impl FnMut(f64) -> f64 {
        let mut state = seed;
        move |range| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * range
        }
    }

    #[test]
    fn latitude_alone_never_puts_two_points_farther_apart_than_they_are() {
        let mut next = uniform(13);
        let mut told = 0;
        for k in 0..200_000 {
            let a = LatLon::new(next(180.0), next(360.0));
            // Near (a few km to a few hundred, as the checks ask), across the antimeridian,
            // along one meridian, and anywhere.
            let b = match k % 4 {
                0 => LatLon::new((a.lat + next(4.0)).clamp(-90.0, 90.0), a.lon + next(4.0)),
                1 => LatLon::new((a.lat + next(1.0)).clamp(-90.0, 90.0), -a.lon),
                2 => LatLon::new((a.lat + next(2.0)).clamp(-90.0, 90.0), a.lon),
                _ => LatLon::new(next(180.0), next(360.0)),
            };
            let exact = distance_km(a, b);
            // Thresholds about the distance itself, where rounding could tell wrong.
            for km in [exact, exact * (1.0 - 1e-12), exact * 0.999, 60.0, 100.0] {
                if farther_than(a, b, km) {
                    told += 1;
                    assert!(exact > km, "{a:?} {b:?} {km}");
                }
            }
        }
        assert!(told > 100_000, "the bound tells most far pairs: {told}");
    }

    #[test]
    fn the_nearest_point_is_measured_as_measuring_every_point_would() {
        let mut next = uniform(7);
        let mut pruned = 0;
        for k in 0..20_000 {
            let p = LatLon::new(48.0 + next(6.0), 35.0 + next(10.0));
            // Neighbours near and far, some at the same latitude, some the same point.
            let points: Vec<LatLon> = (0..k % 9)
                .map(|j| match j % 3 {
                    0 => LatLon::new(p.lat + next(2.0), p.lon + next(2.0)),
                    1 => LatLon::new(p.lat, p.lon + next(20.0)),
                    _ => LatLon::new(p.lat + next(30.0), p.lon + next(30.0)),
                })
                .chain((k % 50 == 0).then_some(p))
                .collect();
            let every = points.iter().map(|&n| distance_km(p, n)).fold(f64::INFINITY, f64::min);
            assert_eq!(nearest_km(p, points.iter().copied()).to_bits(), every.to_bits(), "{p:?} {points:?}");
            let mut so_far = f64::INFINITY;
            for &n in &points {
                pruned += usize::from(farther_than(p, n, so_far));
                so_far = so_far.min(distance_km(p, n));
            }
        }
        assert!(pruned > 5_000, "some points go unmeasured: {pruned}");
        assert_eq!(nearest_km(LatLon::new(50.0, 36.0), std::iter::empty()), f64::INFINITY);
    }
    use crate::{claims, figures, tests::geoparser};

    fn checks(text: &str) -> Vec<GeoCheck> {
        let sentences = sentences::split(text);
        let parse = geoparser().parse(text);
        let numbers = figures::read(text, &sentences, &claims::find(text, &sentences), &parse.toponyms);
        read(text, &sentences, &parse.toponyms, &numbers)
    }

    #[test]
    fn settlements_named_around_a_shared_name_choose_its_reading() {
        let text = "Russian troops shelled Hulyaipole, Orikhiv and Kamianske overnight.";
        let sentences = sentences::split(text);
        let gaz = crate::tests::gazetteer();
        let mut buf = String::new();
        let reading = |id: &str, buf: &mut String| gaz.lookup("Kamianske", buf).map(|(i, _)| gaz.place(i)).find(|p| p.id() == id).unwrap();
        // Put the mention at the city on the Dnipro, 120 km from the towns named with it.
        let mut parse = geoparser().parse(text);
        let at = parse.toponyms.iter().position(|t| t.text == "Kamianske").unwrap();
        parse.toponyms[at].place = Some(reading("geonames:709932", &mut buf));
        settle_by_neighbours(gaz, &sentences, &mut parse.toponyms);
        let t = &parse.toponyms[at];
        assert_eq!(t.place.map(|p| p.id()).as_deref(), Some("geonames:706967"), "the village beside Orikhiv");
        assert!(t.ambiguous.is_none() && t.precision == sitrep_geoparse::Precision::Exact);
        assert_eq!(t.alternatives.first().map(|p| p.id()).as_deref(), Some("geonames:709932"));
        // A reading already near its neighbours stays.
        let mut parse = geoparser().parse(text);
        let before: Vec<Option<String>> = parse.toponyms.iter().map(|t| t.place.map(|p| p.id())).collect();
        parse.toponyms[at].place = Some(reading("geonames:706967", &mut buf));
        settle_by_neighbours(gaz, &sentences, &mut parse.toponyms);
        assert_eq!(parse.toponyms[at].place.map(|p| p.id()).as_deref(), Some("geonames:706967"));
        assert_eq!(parse.toponyms.iter().filter(|t| t.text != "Kamianske").map(|t| t.place.map(|p| p.id())).collect::<Vec<_>>(), before[..at].to_vec());
    }

    #[test]
    fn a_reading_beside_its_neighbours_is_no_longer_ambiguous() {
        let text = "Russian artillery shelled Borivske and Privillya overnight.";
        let sentences = sentences::split(text);
        let gaz = crate::tests::gazetteer();
        let mut parse = geoparser().parse(text);
        let at = parse.toponyms.iter().position(|t| t.text == "Privillya").unwrap();
        assert_eq!(parse.toponyms[at].place.map(|p| p.id()).as_deref(), Some("geonames:696218"));
        // As a report that names other places around may leave it: one of many of its name.
        parse.toponyms[at].ambiguous = Some(sitrep_geoparse::Ambiguity { candidates: 14, spread_km: 670.0 });
        parse.toponyms[at].precision = sitrep_geoparse::Precision::Country;
        settle_by_neighbours(gaz, &sentences, &mut parse.toponyms);
        let t = &parse.toponyms[at];
        assert!(t.ambiguous.is_none() && t.precision == sitrep_geoparse::Precision::Exact, "{:?}", t.ambiguous);
        // With no settlement named around it, it stays ambiguous.
        let text = "Russian artillery shelled Privillya overnight.";
        let mut parse = geoparser().parse(text);
        parse.toponyms[0].ambiguous = Some(sitrep_geoparse::Ambiguity { candidates: 14, spread_km: 670.0 });
        settle_by_neighbours(gaz, &sentences::split(text), &mut parse.toponyms);
        assert!(parse.toponyms[0].ambiguous.is_some());
    }

    #[test]
    fn a_stated_distance_settles_which_homonym_is_meant() {
        // The region named elsewhere holds a hamlet called Lyman; the statement fits only the
        // town of Lyman in the next oblast, 30 km from Kreminna.
        let text = "Shelling was reported across the Luhansk region and near Svatove overnight. \
                    Ukrainian units pressed on towards Kreminna, some 30 kilometres east of Lyman, the ministry said.";
        let reading = crate::tests::reader().read(&crate::Report::text("t", text));
        let lyman = reading.places.iter().find(|p| p.name == "Lyman").expect("Lyman is a place");
        assert_eq!(lyman.id, "geonames:704204", "the town of Lyman, Donetsk Oblast");
        assert_eq!(reading.geography_checks[0].verdict, Verdict::Consistent);
        // Where the chosen readings already agree, nothing changes.
        let plain = "Fighting went on around Kreminna, some 30 kilometres east of Lyman.";
        let reading = crate::tests::reader().read(&crate::Report::text("t", plain));
        assert_eq!(reading.places.iter().find(|p| p.name == "Lyman").map(|p| p.id.as_str()), Some("geonames:704204"));
    }

    #[test]
    fn a_stated_distance_and_direction_is_checked() {
        let got = checks("Ukrainian troops are said to be near Kupiansk, some 60 kilometres north of Izium.");
        assert_eq!(got.len(), 1, "{got:?}");
        let c = &got[0];
        assert_eq!((c.place.as_str(), c.reference.as_str(), c.stated_km, c.stated_direction), ("Kupiansk", "Izium", 60.0, Some("N")));
        assert!(c.gazetteer_km > 55.0 && c.gazetteer_km < 67.0, "{c:?}");
        assert_eq!(c.verdict, Verdict::Consistent);
        assert_eq!(checks("The convoy reached Kupiansk, some 80 kilometres north of Izium.")[0].verdict, Verdict::Plausible, "as by road");
        assert_eq!(checks("The convoy reached Balakliia, some 60 kilometres north-east of Kupiansk.")[0].verdict, Verdict::DirectionWrong);
        assert_eq!(checks("The convoy reached Balakliia, some 200 kilometres west of Kupiansk.")[0].verdict, Verdict::DistanceWrong);
        assert!(checks("Troops are near Kupiansk, some 70 kilometres north-east of Kharkiv Oblast.").is_empty(), "an oblast is no point to measure from");
        // A bare "Kharkiv" is the city, which is a point: Kupiansk lies about 110 km east of it.
        assert_eq!(checks("Troops are near Kupiansk, some 110 kilometres east of Kharkiv.")[0].verdict, Verdict::Consistent);
    }

    #[test]
    fn distances_without_a_place_before_or_a_direction_after_are_not_checked() {
        assert!(checks("Troops advanced 20 kilometres north of Izium.").is_empty());
        assert!(checks("Kupiansk, some 60 kilometres from Izium, was quiet.").is_empty());
        assert!(checks("Kupiansk, some 60 kilometres north").is_empty());
    }

    #[test]
    fn a_settlement_described_before_its_distance_is_checked() {
        // The place is the one before the comma, not a place inside the description.
        let got = checks("Ukrainian troops held Druzhkivka, a town on the road from Donetsk Oblast's north about 12 km south of Kramatorsk.");
        let got: Vec<_> = got.iter().map(|c| (c.place.as_str(), c.reference.as_str(), c.verdict)).collect();
        assert_eq!(got, [("Druzhkivka", "Kramatorsk", Verdict::Consistent)]);
        // A description with no settlement word is no apposition.
        assert!(checks("Ukrainian troops held Druzhkivka, moving north about 10 km south of Kramatorsk.").is_empty());
    }

    #[test]
    fn only_a_comma_may_stand_between_the_place_and_the_number() {
        let text = "Izium ,  12 km; Izium and 12 km";
        let ends = [5, 21];
        assert!(after_place_and_comma(text, &ends, 9));
        assert!(!after_place_and_comma(text, &ends, 26));
        assert!(!after_place_and_comma(text, &[], 9));
        assert_eq!(direction_after(" north of Izyum", 0), Some((0.0, 10)));
        assert_eq!(direction_after(" away from Izyum", 0), None);
    }
}
