//! The theatre prior: reports about a war share a theatre, and a name that is a village there
//! and a town elsewhere means the village unless the text says otherwise.
//!
//! Resolution weighs the theatre at three levels. The report's own places vote in
//! `resolve` (country and subdivision focus, coherence). A batch of reports, or a store, gives
//! a [`Theatre`] from the places its reports named ([`Theatre::of_parses`], each country and
//! first-level subdivision weighted by its share of the batch's places; the subdivisions it
//! names most also settle homonyms inside the theatre, [`Theatre::focus`]). An explicit theatre
//! ([`Theatre::country`], `--theatre UA`) weighs one country in full, for short texts that
//! name a single place. A candidate inside the theatre gains up to [`THEATRE_BONUS`] on its
//! prior; a candidate outside it wins only with evidence in the text: its country or its
//! first-level subdivision named there earns it the same bonus (see `resolve`).

use std::collections::HashMap;

use sitrep_gazetteer::{Feature, Gazetteer, Place};

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

/// Weighted areas (countries, first-level subdivisions) that a batch of reports is about.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Theatre {
    /// Gazetteer index of an area → weight in 0..=1.
    weights: HashMap<u32, f64>,
    /// The batch level's first-level subdivisions → their share of the batch's places,
    /// relative to the most named one (1.0), every subdivision of the batch counted.
    focus: HashMap<u32, f64>,
}

impl Theatre {
    /// One country in full (ISO alpha-2 code, any case); `None` for a code the gazetteer lacks.
    pub fn country(gaz: &Gazetteer, code: &str) -> Option<Theatre> {
        let place = gaz.places().find(|p| p.feature() == Feature::Country && p.code().eq_ignore_ascii_case(code))?;
        Some(Theatre { weights: HashMap::from([(place.index(), 1.0)]), focus: HashMap::new() })
    }

    /// The theatre of a batch: each country and first-level subdivision weighted by the share
    /// of the batch's resolved places (below country level) that lie in it; areas under a
    /// tenth of the places are left out, so that a batch about one war is not pulled towards
    /// every country its reports mention in passing. Each first-level subdivision also gets its
    /// [`Theatre::focus`], which settles homonyms inside the theatre.
    pub fn of_parses<'a, 'g: 'a>(parses: impl IntoIterator<Item = &'a Parse<'g>>) -> Theatre {
        let mut counts: HashMap<u32, f64> = HashMap::new();
        let mut admin1: HashMap<u32, f64> = HashMap::new();
        let mut total: f64 = 0.0;
        for parse in parses {
            for p in parse.toponyms.iter().filter_map(|t| t.place).filter(|p| p.feature() != Feature::Country) {
                total += 1.0;
                for area in [p.country_index(), p.admin1_index()].into_iter().flatten() {
                    *counts.entry(area).or_default() += 1.0;
                }
                let own = if p.feature() == Feature::Admin1 { Some(p.index()) } else { p.admin1_index() };
                if let Some(a) = own {
                    *admin1.entry(a).or_default() += 1.0;
                }
                if p.feature() == Feature::Admin1 {
                    *counts.entry(p.index()).or_default() += 1.0;
                }
            }
        }
        let weights = counts.into_iter().map(|(a, n)| (a, n / total.max(1.0))).filter(|(_, w)| *w >= 0.1).collect();
        let most = admin1.values().copied().fold(0.0, f64::max);
        let focus = admin1.into_iter().map(|(a, n)| (a, n / most)).collect();
        Theatre { weights, focus }
    }

    /// Joins another level: each area keeps the larger of its two weights, and of its two
    /// focuses.
    pub fn and(mut self, other: &Theatre) -> Theatre {
        for (mine, theirs) in [(&mut self.weights, &other.weights), (&mut self.focus, &other.focus)] {
            for (&area, &w) in theirs {
                let e = mine.entry(area).or_default();
                *e = e.max(w);
            }
        }
        self
    }

    /// True when no area has weight.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty() && self.focus.is_empty()
    }

    /// How much the batch's places lie in `p`'s first-level subdivision (an area counts for
    /// itself), relative to the subdivision the batch names most: 0..=1, 0 without a batch level.
    pub fn focus(&self, p: &Place<'_>) -> f64 {
        let own = if p.feature() == Feature::Admin1 { Some(p.index()) } else { p.admin1_index() };
        own.and_then(|a| self.focus.get(&a)).copied().unwrap_or(0.0)
    }

    /// What a candidate `p` (not a country) gains on its prior: [`THEATRE_BONUS`] times the
    /// theatre's weight at it, and for a settlement [`FOCUS_BONUS`] times the batch's focus.
    pub fn bonus(&self, p: &Place<'_>) -> f64 {
        let focus = if p.feature() == Feature::City { FOCUS_BONUS * self.focus(p) } else { 0.0 };
        THEATRE_BONUS * self.weight(p) + focus
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
