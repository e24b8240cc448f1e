//! The theatre prior: reports about a war share a theatre, and a name that is a village there
//! and a town elsewhere means the village unless the text says otherwise.
//!
//! Resolution weighs the theatre at three levels. The report's own places vote in
//! `resolve` (country and subdivision focus, coherence). A batch of reports, or a store, gives
//! a [`Theatre`] from the places its reports named ([`BatchTally`], each country and
//! first-level subdivision weighted by its share of the batch's places; the subdivisions it
//! names most also settle homonyms inside the theatre, [`Theatre::focus`]). An explicit theatre
//! ([`Theatre::country`], `--theatre UA`) weighs one country in full, for short texts that
//! name a single place. The batch level also knows where its war is, its front
//! ([`Theatre::front`]): a settlement near the places the batch names often outranks its
//! namesakes far from them, so that a report naming a single village of a common name is read
//! where its neighbours' fighting is. A candidate inside the theatre gains up to [`THEATRE_BONUS`] on its
//! prior; a candidate outside it wins only with evidence in the text: its country or its
//! first-level subdivision named there earns it the same bonus (see `resolve`).

use std::collections::HashMap;

use sitrep_gazetteer::{approx_angle_squared, Feature, Gazetteer, LatLon, Place, EARTH_RADIUS_KM};

use crate::Parse;

/// What a candidate inside the theatre gains, at full weight: about what a tenfold population
/// is worth (`prior` is log population), so that a village of the theatre outranks a town of
/// a few thousand elsewhere, while a city of a million elsewhere keeps its rank against a
/// hamlet.
pub const THEATRE_BONUS: f64 = 8.0;

/// What a candidate in the first-level subdivision the batch names most gains, on top of the
/// theatre's own bonus: a batch about the war in the east reads a name that villages all over
/// Ukraine share as the one in the east. Half the theatre's bonus, so that it settles
/// homonyms of like size inside the theatre and never a town against a hamlet.
pub const FOCUS_BONUS: f64 = THEATRE_BONUS / 2.0;

/// Radius of a settlement's neighbourhood on the front: the batch's mentions of places this
/// close count for it, km (about a raion's breadth, or a day's advance).
pub const FRONT_KM: f64 = 30.0;

/// What a settlement gains per unit of the natural logarithm of one plus the batch's mentions
/// within [`FRONT_KM`] of it. On the scale of `prior` (log population): a village among a
/// hundred mentions gains about what a hundredfold population is worth, against a namesake
/// far from the fighting.
pub const FRONT_WEIGHT: f64 = 1.0;

/// What a settlement of the theatre whose population the gazetteer lacks counts as on the
/// batch level, people. Most villages of the theatre's extract have no population figure, and
/// the prior (log population) reads none as nobody: a village of unknown size lost to any
/// namesake with a figure by more than the front can give, so the batch could not place it
/// where its fighting is. A hamlet of a hundred is what most such villages are.
pub const UNKNOWN_POPULATION: f64 = 100.0;

/// Weighted areas (countries, first-level subdivisions) that a batch of reports is about.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Theatre {
    /// Gazetteer index of an area → weight in 0..=1.
    weights: HashMap<u32, f64>,
    /// The batch level's first-level subdivisions → their share of the batch's places,
    /// relative to the most named one (1.0), every subdivision of the batch counted.
    focus: HashMap<u32, f64>,
    /// The batch level's front: each settlement or point feature the batch names (readings
    /// marked ambiguous left out, so that a common name read as the wrong namesake does not
    /// vouch for it), with its point and how many mentions it has, by latitude.
    front: Vec<(u32, LatLon, f64)>,
}

/// The places a batch names, counted a parse at a time, so that a batch too large to hold
/// gives its theatre ([`BatchTally::theatre`]) from a single pass.
#[derive(Debug, Clone, Default)]
pub struct BatchTally {
    /// Resolved places below country level per country and first-level subdivision.
    counts: HashMap<u32, f64>,
    /// Resolved places per first-level subdivision (its own or the one holding them).
    admin1: HashMap<u32, f64>,
    /// Mentions per settlement or point feature, with its point.
    front: HashMap<u32, (LatLon, f64)>,
    /// Resolved places below country level.
    total: f64,
}

impl BatchTally {
    /// Counts the places one document of the batch names.
    pub fn add(&mut self, parse: &Parse<'_>) {
        for t in parse.toponyms.iter().filter(|t| t.place.is_some_and(|p| p.feature() != Feature::Country)) {
            let Some(p) = t.place else { continue };
            if t.ambiguous.is_none() && !p.feature().is_area() && !p.feature().is_water() {
                self.front.entry(p.index()).or_insert((p.point(), 0.0)).1 += 1.0;
            }
            self.total += 1.0;
            for area in [p.country_index(), p.admin1_index()].into_iter().flatten() {
                *self.counts.entry(area).or_default() += 1.0;
            }
            let own = if p.feature() == Feature::Admin1 { Some(p.index()) } else { p.admin1_index() };
            if let Some(a) = own {
                *self.admin1.entry(a).or_default() += 1.0;
            }
            if p.feature() == Feature::Admin1 {
                *self.counts.entry(p.index()).or_default() += 1.0;
            }
        }
    }

    /// The theatre of the batch: each country and first-level subdivision weighted by the share
    /// of the batch's resolved places (below country level) that lie in it; areas under a
    /// tenth of the places are left out, so that a batch about one war is not pulled towards
    /// every country its reports mention in passing. Each first-level subdivision also gets its
    /// [`Theatre::focus`], and the batch's settlements make its [`Theatre::front`]; both settle
    /// homonyms inside the theatre.
    pub fn theatre(self) -> Theatre {
        let total = self.total;
        let weights = self.counts.into_iter().map(|(a, n)| (a, n / total.max(1.0))).filter(|(_, w)| *w >= 0.1).collect();
        let most = self.admin1.values().copied().fold(0.0, f64::max);
        let focus = self.admin1.into_iter().map(|(a, n)| (a, n / most)).collect();
        let mut front: Vec<(u32, LatLon, f64)> = self.front.into_iter().map(|(i, (point, n))| (i, point, n)).collect();
        front.sort_by(|a, b| a.1.lat.total_cmp(&b.1.lat));
        Theatre { weights, focus, front }
    }
}

/// Which levels of the theatre prior a reader resolves with, as `--theatre CC` and
/// `--batch-theatre` ask for them: the one way that `sitrep read`, `sitrep ingest` and the
/// evaluations build a reader's theatre, so that an evaluation measures what a command gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TheatreChoice {
    /// The explicit level: a country's ISO code ("UA"), any case.
    pub country: Option<String>,
    /// The batch level: the places the batch's documents name, found by a first geoparse pass
    /// with the explicit level alone.
    pub batch: bool,
}

/// A `--theatre` code that names no country of the gazetteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCountry(pub String);

impl std::fmt::Display for UnknownCountry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "--theatre: no country with code {:?} in the gazetteer", self.0)
    }
}

impl std::error::Error for UnknownCountry {}

impl TheatreChoice {
    /// Which levels are used, for a report's header: "none (each report's own places)",
    /// "explicit UA", "explicit UA + batch" or "batch".
    pub fn level(&self) -> String {
        match (&self.country, self.batch) {
            (None, false) => "none (each report's own places)".to_owned(),
            (None, true) => "batch".to_owned(),
            (Some(code), false) => format!("explicit {}", code.to_ascii_uppercase()),
            (Some(code), true) => format!("explicit {} + batch", code.to_ascii_uppercase()),
        }
    }

    /// The theatre these levels give. With the batch level, `batch` is called once with a
    /// sink to hand each document's text to (a parse at a time, so a batch need not be held);
    /// without it, `batch` is not called at all. An error from `batch` is returned as is.
    pub fn build<E: From<UnknownCountry>>(&self, gaz: &Gazetteer, batch: impl FnOnce(&mut dyn FnMut(&str)) -> Result<(), E>) -> Result<Theatre, E> {
        let mut theatre = Theatre::default();
        if let Some(code) = &self.country {
            theatre = Theatre::country(gaz, code).ok_or_else(|| UnknownCountry(code.clone()))?;
        }
        if self.batch {
            let first = crate::Geoparser::new(gaz).with_theatre(theatre.clone());
            let mut scan = crate::scan::Scan::default();
            let mut tally = BatchTally::default();
            batch(&mut |text: &str| tally.add(&first.parse_with(text, &mut scan)))?;
            theatre = theatre.and(&tally.theatre());
        }
        Ok(theatre)
    }

    /// [`TheatreChoice::build`] over texts at hand.
    pub fn of_texts<S: AsRef<str>>(&self, gaz: &Gazetteer, texts: impl IntoIterator<Item = S>) -> Result<Theatre, UnknownCountry> {
        self.build(gaz, |add| {
            texts.into_iter().for_each(|t| add(t.as_ref()));
            Ok(())
        })
    }
}

impl Theatre {
    /// One country in full (ISO alpha-2 code, any case); `None` for a code the gazetteer lacks.
    pub fn country(gaz: &Gazetteer, code: &str) -> Option<Theatre> {
        let place = gaz.places().find(|p| p.feature() == Feature::Country && p.code().eq_ignore_ascii_case(code))?;
        Some(Theatre { weights: HashMap::from([(place.index(), 1.0)]), ..Theatre::default() })
    }

    /// Joins another level: each area keeps the larger of its two weights, and of its two
    /// focuses; the fronts are put together.
    pub fn and(mut self, other: &Theatre) -> Theatre {
        for (mine, theirs) in [(&mut self.weights, &other.weights), (&mut self.focus, &other.focus)] {
            for (&area, &w) in theirs {
                let e = mine.entry(area).or_default();
                *e = e.max(w);
            }
        }
        self.front.extend_from_slice(&other.front);
        self.front.sort_by(|a, b| a.1.lat.total_cmp(&b.1.lat));
        self
    }

    /// True when the theatre has a batch level (a focus or a front), which an explicit
    /// theatre alone has not.
    pub fn has_batch_level(&self) -> bool {
        !self.focus.is_empty() || !self.front.is_empty()
    }

    /// True when no area has weight and there is no front.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty() && self.focus.is_empty() && self.front.is_empty()
    }

    /// How many of the batch's mentions name places within [`FRONT_KM`] of `p` (its own
    /// included: a city the batch names often is where its war is); 0 without a batch level.
    pub fn front(&self, p: &Place<'_>) -> f64 {
        if self.front.is_empty() {
            return 0.0;
        }
        let point = p.point();
        let reach = FRONT_KM / EARTH_RADIUS_KM;
        let reach_degrees = reach.to_degrees();
        let start = self.front.partition_point(|(_, q, _)| q.lat < point.lat - reach_degrees);
        self.front[start..]
            .iter()
            .take_while(|(_, q, _)| q.lat <= point.lat + reach_degrees)
            .filter(|(_, q, _)| approx_angle_squared(point, *q) <= reach * reach)
            .map(|(_, _, n)| n)
            .sum()
    }

    /// How much the batch's places lie in `p`'s first-level subdivision (an area counts for
    /// itself), relative to the subdivision the batch names most: 0..=1, 0 without a batch level.
    pub fn focus(&self, p: &Place<'_>) -> f64 {
        let own = if p.feature() == Feature::Admin1 { Some(p.index()) } else { p.admin1_index() };
        own.and_then(|a| self.focus.get(&a)).copied().unwrap_or(0.0)
    }

    /// What a candidate `p` (not a country) gains on its prior: [`THEATRE_BONUS`] times the
    /// theatre's weight at it, and for a settlement [`FOCUS_BONUS`] times the batch's focus and
    /// [`FRONT_WEIGHT`] times the logarithm of one plus its [`Theatre::front`]; with a batch
    /// level, a settlement of the theatre with no population figure also counts as one of
    /// [`UNKNOWN_POPULATION`] people.
    pub fn bonus(&self, p: &Place<'_>) -> f64 {
        if p.feature() != Feature::City || !self.has_batch_level() {
            return self.explicit_bonus(p);
        }
        let unknown = if p.population() == 0 && self.weight(p) > 0.0 { UNKNOWN_POPULATION.ln_1p() } else { 0.0 };
        self.explicit_bonus(p) + FOCUS_BONUS * self.focus(p) + FRONT_WEIGHT * self.front(p).ln_1p() + unknown
    }

    /// What a candidate `p` gains from the theatre's areas alone, without the batch level:
    /// [`THEATRE_BONUS`] times the theatre's weight at it.
    pub fn explicit_bonus(&self, p: &Place<'_>) -> f64 {
        THEATRE_BONUS * self.weight(p)
    }

    /// The weight of the theatre at `p`: the larger of its country's and its first-level
    /// subdivision's (an area counts for itself).
    pub fn weight(&self, p: &Place<'_>) -> f64 {
        let own = |f: Feature, link: Option<u32>| if p.feature() == f { Some(p.index()) } else { link };
        [own(Feature::Country, p.country_index()), own(Feature::Admin1, p.admin1_index())]
            .into_iter()
            .flatten()
            .filter_map(|a| self.weights.get(&a).copied())
            .fold(0.0, f64::max)
    }
}
