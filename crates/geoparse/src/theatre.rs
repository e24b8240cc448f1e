//! The theatre prior: reports about a war share a theatre, and a name that is a village there
//! and a town elsewhere means the village unless the text says otherwise.
//!
//! Resolution weighs the theatre at three levels. The report's own places vote in
//! `resolve` (country and subdivision focus, coherence). A batch of reports, or a store, gives
//! a [`Theatre`] from the places its reports named ([`Theatre::of_parses`], each country and
//! first-level subdivision weighted by its share of the batch's places). An explicit theatre
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

/// Weighted areas (countries, first-level subdivisions) that a batch of reports is about.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Theatre {
    /// Gazetteer index of an area → weight in 0..=1.
    weights: HashMap<u32, f64>,
}

impl Theatre {
    /// One country in full (ISO alpha-2 code, any case); `None` for a code the gazetteer lacks.
    pub fn country(gaz: &Gazetteer, code: &str) -> Option<Theatre> {
        let place = gaz.places().find(|p| p.feature() == Feature::Country && p.code().eq_ignore_ascii_case(code))?;
        Some(Theatre { weights: HashMap::from([(place.index(), 1.0)]) })
    }

    /// The theatre of a batch: each country and first-level subdivision weighted by the share
    /// of the batch's resolved places (below country level) that lie in it; areas under a
    /// tenth of the places are left out, so that a batch about one war is not pulled towards
    /// every country its reports mention in passing.
    pub fn of_parses<'a, 'g: 'a>(parses: impl IntoIterator<Item = &'a Parse<'g>>) -> Theatre {
        let mut counts: HashMap<u32, f64> = HashMap::new();
        let mut total: f64 = 0.0;
        for parse in parses {
            for p in parse.toponyms.iter().filter_map(|t| t.place).filter(|p| p.feature() != Feature::Country) {
                total += 1.0;
                for area in [p.country_index(), p.admin1_index()].into_iter().flatten() {
                    *counts.entry(area).or_default() += 1.0;
                }
                if p.feature() == Feature::Admin1 {
                    *counts.entry(p.index()).or_default() += 1.0;
                }
            }
        }
        let weights = counts.into_iter().map(|(a, n)| (a, n / total.max(1.0))).filter(|(_, w)| *w >= 0.1).collect();
        Theatre { weights }
    }

    /// Joins another level: each area keeps the larger of its two weights.
    pub fn and(mut self, other: &Theatre) -> Theatre {
        for (&area, &w) in &other.weights {
            let e = self.weights.entry(area).or_default();
            *e = e.max(w);
        }
        self
    }

    /// True when no area has weight.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
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
