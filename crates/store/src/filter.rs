//! The one parser of event filters. What a user writes on the command line (`sitrep query`,
//! `sitrep map`) or in an API query string (`/api/events`, `/map.svg`) arrives here as text,
//! in an [`EventFilter`], and leaves as an [`EventQuery`] or a [`FilterError`] that says what
//! is wrong in the user's own terms; both front ends give the same answers and the same errors.

use chrono::NaiveDate;
use serde::Deserialize;
use sitrep_gazetteer::{Gazetteer, LatLon, Query as PlaceQuery};
use sitrep_read::events::EventType;

use crate::{label, EventQuery};

/// The radius of `near` when none is given, km.
pub const DEFAULT_RADIUS_KM: f64 = 25.0;

/// The widest radius accepted, km (half the Earth's circumference).
pub const MAX_RADIUS_KM: f64 = 20_000.0;

/// Event filters as written, every one optional; see [`EventFilter::resolve`].
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EventFilter {
    /// A place name: events within `radius_km` of it.
    pub near: Option<String>,
    /// Radius for `near`, km (default [`DEFAULT_RADIUS_KM`]).
    pub radius_km: Option<String>,
    /// A box, `min_lat,min_lon,max_lat,max_lon`.
    pub bbox: Option<String>,
    /// Events ending on or after this day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Events starting on or before this day, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// An event type as the reading names it (`shelling`).
    #[serde(rename = "type")]
    pub event_type: Option<String>,
    /// A side (`UA`, `RU`) or a word of the actor's name.
    pub actor: Option<String>,
    /// A word of a claimant's name.
    pub claimant: Option<String>,
}

/// Why a filter cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FilterError {
    /// `near` names no place in the gazetteer.
    #[error("no place called {0:?} in the gazetteer")]
    UnknownPlace(String),
    /// The box is not four numbers in range with its minimum below its maximum.
    #[error("bbox {0:?}: {1}")]
    Bbox(String, &'static str),
    /// The radius is not a number of kilometres in range.
    #[error("radius_km {0:?}: a number of km above 0 and at most 20000")]
    Radius(String),
    /// A radius without a place to measure it from.
    #[error("radius_km needs near (a place to measure from)")]
    RadiusWithoutPlace,
    /// A day that is not `YYYY-MM-DD`.
    #[error("{field} {value:?}: a day as YYYY-MM-DD")]
    Date {
        /// `from` or `to`.
        field: &'static str,
        /// What was given.
        value: String,
    },
    /// `from` after `to`.
    #[error("from {0} is after to {1}")]
    DateOrder(NaiveDate, NaiveDate),
    /// An event type the reader never gives.
    #[error("type {0:?}: one of {1}")]
    EventType(String, String),
    /// A text filter given empty.
    #[error("{0} is empty")]
    Empty(&'static str),
}

impl FilterError {
    /// True when the filter is well formed but names a place the gazetteer lacks (an API
    /// answers 404 for it, 400 for the rest).
    pub fn is_not_found(&self) -> bool {
        matches!(self, FilterError::UnknownPlace(_))
    }
}

impl EventFilter {
    /// Checks every filter and resolves `near` in the gazetteer (its best match).
    pub fn resolve(&self, gaz: &Gazetteer) -> Result<EventQuery, FilterError> {
        let radius = self.radius_km.as_deref().map(parse_radius).transpose()?;
        let near = match (&self.near, radius) {
            (Some(name), radius) => Some((locate(gaz, name)?, radius.unwrap_or(DEFAULT_RADIUS_KM))),
            (None, Some(_)) => return Err(FilterError::RadiusWithoutPlace),
            (None, None) => None,
        };
        let bbox = self.bbox.as_deref().map(parse_bbox).transpose()?;
        let from = self.from.as_deref().map(|v| parse_day("from", v)).transpose()?;
        let to = self.to.as_deref().map(|v| parse_day("to", v)).transpose()?;
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(FilterError::DateOrder(f, t));
            }
        }
        let event_type = self.event_type.as_deref().map(parse_event_type).transpose()?;
        Ok(EventQuery {
            bbox,
            near,
            from,
            to,
            event_type,
            actor: non_empty("actor", self.actor.as_deref())?,
            claimant: non_empty("claimant", self.claimant.as_deref())?,
        })
    }
}

/// The point of the best match for `name`.
fn locate(gaz: &Gazetteer, name: &str) -> Result<LatLon, FilterError> {
    let unknown = || FilterError::UnknownPlace(name.to_owned());
    if name.trim().is_empty() {
        return Err(unknown());
    }
    let outcome = gaz.search(&PlaceQuery { name, limit: 1, ..PlaceQuery::default() }).map_err(|_| unknown())?;
    outcome.hits.first().map(|h| h.place.point()).ok_or_else(unknown)
}

/// A box written `min_lat,min_lon,max_lat,max_lon`: four finite numbers, latitudes within
/// ±90, longitudes within ±180, each minimum at most its maximum.
pub fn parse_bbox(text: &str) -> Result<[f64; 4], FilterError> {
    let bad = |why| FilterError::Bbox(text.to_owned(), why);
    let values: Vec<f64> =
        text.split(',').map(|x| x.trim().parse::<f64>()).collect::<Result<_, _>>().map_err(|_| bad("four numbers, min_lat,min_lon,max_lat,max_lon"))?;
    let [s, w, n, e] = values[..] else { return Err(bad("four numbers, min_lat,min_lon,max_lat,max_lon")) };
    if !values.iter().all(|v| v.is_finite()) {
        return Err(bad("four finite numbers"));
    }
    if !((-90.0..=90.0).contains(&s) && (-90.0..=90.0).contains(&n) && (-180.0..=180.0).contains(&w) && (-180.0..=180.0).contains(&e)) {
        return Err(bad("latitudes within ±90, longitudes within ±180"));
    }
    if s > n || w > e {
        return Err(bad("each minimum at most its maximum"));
    }
    Ok([s, w, n, e])
}

fn parse_radius(text: &str) -> Result<f64, FilterError> {
    match text.trim().parse::<f64>() {
        Ok(km) if km.is_finite() && km > 0.0 && km <= MAX_RADIUS_KM => Ok(km),
        _ => Err(FilterError::Radius(text.to_owned())),
    }
}

/// A day written `YYYY-MM-DD`.
pub fn parse_day(field: &'static str, value: &str) -> Result<NaiveDate, FilterError> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| FilterError::Date { field, value: value.to_owned() })
}

fn parse_event_type(text: &str) -> Result<String, FilterError> {
    let wanted = text.trim().to_lowercase();
    let known: Vec<String> = EventType::ALL.iter().map(label).collect();
    if known.contains(&wanted) {
        Ok(wanted)
    } else {
        Err(FilterError::EventType(text.to_owned(), known.join(", ")))
    }
}

fn non_empty(field: &'static str, value: Option<&str>) -> Result<Option<String>, FilterError> {
    match value.map(str::trim) {
        Some("") => Err(FilterError::Empty(field)),
        v => Ok(v.map(str::to_owned)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filter(pairs: &[(&str, &str)]) -> EventFilter {
        let mut f = EventFilter::default();
        for (k, v) in pairs {
            let v = Some((*v).to_owned());
            match *k {
                "near" => f.near = v,
                "radius_km" => f.radius_km = v,
                "bbox" => f.bbox = v,
                "from" => f.from = v,
                "to" => f.to = v,
                "type" => f.event_type = v,
                "actor" => f.actor = v,
                "claimant" => f.claimant = v,
                _ => unreachable!("no filter {k}"),
            }
        }
        f
    }

    #[test]
    fn boxes_are_checked() {
        assert_eq!(parse_bbox("47, 35.5 ,50,38").unwrap(), [47.0, 35.5, 50.0, 38.0]);
        for bad in ["47,35,50", "47,35,50,38,1", "a,b,c,d", "NaN,35,50,38", "47,35,inf,38", "50,35,47,38", "47,38,50,35", "-91,0,0,0", "0,0,1,181", ""] {
            assert!(matches!(parse_bbox(bad), Err(FilterError::Bbox(..))), "{bad:?} was accepted");
        }
    }

    #[test]
    fn radius_and_days_are_checked() {
        assert_eq!(parse_radius("10").unwrap(), 10.0);
        for bad in ["0", "-5", "NaN", "inf", "20001", "ten"] {
            assert_eq!(parse_radius(bad), Err(FilterError::Radius(bad.into())));
        }
        assert!(parse_day("from", "2022-09-31").is_err());
        assert_eq!(parse_day("to", " 2022-09-10 ").unwrap(), NaiveDate::from_ymd_opt(2022, 9, 10).unwrap());
    }

    #[test]
    fn types_are_those_the_reader_gives() {
        assert_eq!(parse_event_type("Shelling").unwrap(), "shelling");
        assert_eq!(parse_event_type("territory_taken").unwrap(), "territory_taken");
        let err = parse_event_type("bombing").unwrap_err();
        assert!(err.to_string().contains("air_strike"), "{err}");
    }

    #[test]
    fn filters_that_need_no_gazetteer_resolve_or_fail_in_place() {
        let gaz = Gazetteer::open_default().unwrap();
        let q = filter(&[("bbox", "47,35,50,38"), ("from", "2022-09-01"), ("to", "2022-09-30"), ("type", "battle"), ("actor", "UA")]).resolve(&gaz).unwrap();
        assert_eq!(q.bbox, Some([47.0, 35.0, 50.0, 38.0]));
        assert_eq!(q.event_type.as_deref(), Some("battle"));
        assert_eq!(filter(&[("from", "2022-10-01"), ("to", "2022-09-30")]).resolve(&gaz).unwrap_err().to_string(), "from 2022-10-01 is after to 2022-09-30");
        assert_eq!(filter(&[("radius_km", "10")]).resolve(&gaz).unwrap_err(), FilterError::RadiusWithoutPlace);
        assert_eq!(filter(&[("claimant", "  ")]).resolve(&gaz).unwrap_err(), FilterError::Empty("claimant"));
    }

    #[test]
    fn near_resolves_in_the_gazetteer() {
        let gaz = Gazetteer::open_default().unwrap();
        let q = filter(&[("near", "Kupiansk"), ("radius_km", "12.5")]).resolve(&gaz).unwrap();
        let (point, km) = q.near.unwrap();
        assert!((point.lat - 49.7).abs() < 0.2 && (point.lon - 37.6).abs() < 0.2, "{point:?}");
        assert_eq!(km, 12.5);
        let err = filter(&[("near", "Qqqzzxx")]).resolve(&gaz).unwrap_err();
        assert!(err.is_not_found(), "{err}");
    }
}
