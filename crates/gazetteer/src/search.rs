//! Ranked name search: what `sitrep where` answers.
//!
//! A name is folded to its key; every place under that key is a candidate, scored by a prior
//! ([`prior`]: population, feature class, whether the spelling is the preferred one, whether a
//! type word such as "Oblast" agrees) and, when a context place is given, by distance to it.
//! When no key matches exactly, a Levenshtein automaton over the key set finds near spellings
//! and the result says it was fuzzy.

use fst::{automaton::Levenshtein, IntoStreamer, Streamer};
use serde::Serialize;
use sitrep_text::{key_for_name, Qualifier};

use crate::{distance_km, format::MatchFlags, Feature, Gazetteer, LatLon, Place};

/// Longest name a query may have, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// Longest key the fuzzy fallback searches near spellings of, in characters (few place names
/// are longer; building the automaton for a 200-character key took about a quarter of a
/// second).
pub const MAX_FUZZY_CHARS: usize = 40;

/// A name search.
#[derive(Debug, Clone, Default)]
pub struct Query<'a> {
    /// The name as typed.
    pub name: &'a str,
    /// Rank places near this point higher.
    pub near: Option<LatLon>,
    /// Keep only places in this country (ISO alpha-2, upper case).
    pub country: Option<&'a str>,
    /// Maximum number of hits.
    pub limit: usize,
    /// Only names whose folded key matches exactly: no fuzzy fallback, so the search costs a
    /// lookup and never a scan of the key set (a caller on a latency-bound thread tries this
    /// first and runs the full search elsewhere when it finds nothing).
    pub exact_only: bool,
}

/// Why a query could not be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// Nothing left after folding.
    #[error("the name is empty or has no letters or digits")]
    Empty,
    /// Holds control characters (terminal escapes, NUL), which no place name has.
    #[error("the name contains control characters")]
    ControlCharacters,
    /// Longer than [`MAX_NAME_CHARS`].
    #[error("the name is too long for a place name ({0} characters; the limit is {MAX_NAME_CHARS})")]
    TooLong(usize),
}

/// How a hit's name matched the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum MatchKind {
    /// The folded names are equal.
    Exact,
    /// The folded names differ by `edits` single-character edits.
    Fuzzy {
        /// Levenshtein distance between the folded names.
        edits: u32,
    },
}

/// One ranked candidate.
#[derive(Debug, Clone)]
pub struct Hit<'g> {
    /// The place.
    pub place: Place<'g>,
    /// Higher is better; only comparable within one search.
    pub score: f64,
    /// How the name matched.
    pub matched: MatchKind,
    /// Whether the spelling is an alternate and whether it carried a type word.
    pub flags: MatchFlags,
}

/// The ranked answer to a [`Query`].
#[derive(Debug, Clone)]
pub struct Outcome<'g> {
    /// Best first.
    pub hits: Vec<Hit<'g>>,
    /// True when no exact key matched and the hits come from the fuzzy fallback.
    pub fuzzy: bool,
    /// The type word stripped from the query, if any.
    pub qualifier: Option<Qualifier>,
}

/// The context-free score of a place found under some name.
///
/// Log population is the base. Countries get a bonus (a bare "Georgia" means the country more
/// often than the state); subdivisions a malus, since their population is summed over all their
/// towns and would otherwise outrank the city they are named after. A type word in the query
/// ("region", "raion", "river") strongly favours places of that class; a place reached only
/// through a spelling with a type word ("Donetsk Oblast") is disfavoured for a bare query, and
/// favoured for a query with a type word.
pub fn prior(place: &Place<'_>, flags: MatchFlags, qualifier: Option<Qualifier>) -> f64 {
    let feature = place.feature();
    let mut score = (1.0 + place.population() as f64).ln();
    match feature {
        Feature::Country => score += 4.0,
        Feature::Admin1 | Feature::Admin2 | Feature::Hromada => score -= 3.0,
        Feature::Region => score = score.max(12.0),
        // A sea or an ocean is known to every reader: "the Pacific" is not Pacific, Missouri.
        Feature::Sea => score = score.max(13.0),
        Feature::River | Feature::Lake => score = score.max(10.0),
        Feature::Island | Feature::Facility | Feature::Landform => score = score.max(8.0),
        Feature::City => {}
    }
    if flags.is_alternate() {
        score -= 1.0;
    }
    score += match (qualifier, feature) {
        (Some(Qualifier::Region), Feature::Admin1 | Feature::Region) => 12.0,
        (Some(Qualifier::Region), Feature::Admin2) => 4.0,
        (Some(Qualifier::District), Feature::Admin2) => 12.0,
        (Some(Qualifier::District), Feature::Admin1) => 3.0,
        (Some(Qualifier::River), Feature::River) => 12.0,
        (Some(Qualifier::Hromada), Feature::Hromada) => 12.0,
        (Some(_), _) => -6.0,
        (None, _) if !flags.has_bare() => -3.0,
        (None, _) => 0.0,
    };
    // "Kyiv region" names Kyiv Oblast, whose spellings include "Kyiv Oblast", rather than the
    // city of Kyiv, which is a first-level subdivision of its own.
    if qualifier.is_some() && flags.has_qualified() {
        score += 3.0;
    }
    score
}

/// Score penalty for being `km` away from the context place.
#[inline]
pub fn distance_penalty(km: f64) -> f64 {
    2.0 * (1.0 + km / 25.0).ln()
}

impl Gazetteer {
    /// Runs a ranked name search.
    pub fn search(&self, query: &Query<'_>) -> Result<Outcome<'_>, QueryError> {
        let chars = query.name.chars().count();
        if chars > MAX_NAME_CHARS {
            return Err(QueryError::TooLong(chars));
        }
        if query.name.chars().any(|c| c.is_control() && !c.is_whitespace()) {
            return Err(QueryError::ControlCharacters);
        }
        let (key, qualifier) = key_for_name(query.name);
        if key.is_empty() {
            return Err(QueryError::Empty);
        }
        let mut hits = self.score_matches(query, self.lookup_key(&key), qualifier, MatchKind::Exact);
        let fuzzy = hits.is_empty() && !query.exact_only;
        if fuzzy {
            for (edits, value) in self.fuzzy_keys(&key) {
                let found = self.score_matches(query, self.matches_for_value(value), qualifier, MatchKind::Fuzzy { edits });
                hits.extend(found);
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.place.index().cmp(&b.place.index())));
        hits.dedup_by_key(|h| h.place.index());
        hits.truncate(query.limit.max(1));
        Ok(Outcome { hits, fuzzy, qualifier })
    }

    fn score_matches<'g>(&'g self, query: &Query<'_>, matches: crate::Matches<'g>, qualifier: Option<Qualifier>, matched: MatchKind) -> Vec<Hit<'g>> {
        matches
            .filter_map(|(index, flags)| {
                let place = self.place(index);
                if query.country.is_some_and(|cc| !place.country_code().eq_ignore_ascii_case(cc)) {
                    return None;
                }
                let mut score = prior(&place, flags, qualifier);
                if let Some(near) = query.near {
                    score -= distance_penalty(distance_km(near, place.point()));
                }
                if let MatchKind::Fuzzy { edits } = matched {
                    score -= 2.5 * f64::from(edits);
                }
                Some(Hit { place, score, matched, flags })
            })
            .collect()
    }

    /// Keys within a small edit distance of `key` (1 for short keys, 2 from 8 bytes), with
    /// their distance and postings value. Keys longer than [`MAX_FUZZY_CHARS`] get none: the
    /// automaton's size grows with the key, and a long name with a slip is left to
    /// [`Gazetteer::suggestions`].
    fn fuzzy_keys(&self, key: &str) -> Vec<(u32, u64)> {
        let max = match key.chars().count() {
            0..=3 => return Vec::new(),
            4..=7 => 1,
            8..=MAX_FUZZY_CHARS => 2,
            _ => return Vec::new(),
        };
        let Ok(automaton) = Levenshtein::new(key, max) else {
            return Vec::new();
        };
        let mut stream = self.keys().search(automaton).into_stream();
        let mut out = Vec::new();
        while let Some((candidate, value)) = stream.next() {
            let candidate = String::from_utf8_lossy(candidate);
            out.push((strsim::levenshtein(key, &candidate) as u32, value));
            if out.len() >= 500 {
                break;
            }
        }
        out
    }

    /// Up to `n` known names that look like `name`, for a "did you mean" line: keys that share
    /// its first two characters (or, failing that, its first) and are at most about a third of
    /// its length away in edits.
    pub fn suggestions(&self, name: &str, n: usize) -> Vec<String> {
        let (key, _) = key_for_name(name);
        if key.is_empty() || key.chars().count() > MAX_NAME_CHARS {
            return Vec::new();
        }
        for prefix_chars in [2, 1] {
            let found = self.suggestions_with_prefix(&key, prefix_chars, n);
            if !found.is_empty() {
                return found;
            }
        }
        Vec::new()
    }

    fn suggestions_with_prefix(&self, key: &str, prefix_chars: usize, n: usize) -> Vec<String> {
        let prefix: String = key.chars().take(prefix_chars).collect();
        let key_chars = key.chars().count();
        let max_edits = 1 + key_chars / 3;
        let mut upper = prefix.clone().into_bytes();
        if let Some(last) = upper.last_mut() {
            *last = last.saturating_add(1);
        }
        let mut stream = self.keys().range().ge(&prefix).lt(&upper).into_stream();
        let mut scored: Vec<(usize, usize, std::cmp::Reverse<u64>, u32)> = Vec::new();
        while let Some((candidate, value)) = stream.next() {
            // Lengths that differ by more than the edits allowed rule a key out without the
            // quadratic distance (a long query against thousands of short keys).
            let candidate_chars = candidate.iter().filter(|&&b| b & 0xC0 != 0x80).count();
            if candidate_chars.abs_diff(key_chars) > max_edits {
                continue;
            }
            let d = strsim::levenshtein(key, &String::from_utf8_lossy(candidate));
            if d > max_edits {
                continue;
            }
            let best = self
                .matches_for_value(value)
                .map(|(i, flags)| (self.place(i), flags))
                .max_by(|(a, fa), (b, fb)| prior(a, *fa, None).total_cmp(&prior(b, *fb, None)))
                .map(|(p, _)| p);
            if let Some(best) = best {
                // Near spellings first; among equals, the ones that share the longest start
                // with the query, then the most populous.
                let shared = key.bytes().zip(candidate.iter()).take_while(|(a, b)| a == *b).count();
                scored.push((d, usize::MAX - shared, std::cmp::Reverse(best.population()), best.index()));
            }
        }
        scored.sort_unstable();
        let mut names: Vec<String> = Vec::new();
        for (_, _, _, index) in scored {
            let place = self.place(index);
            let label = format!("{} ({}, {})", place.name(), place.feature(), place.country_code());
            if !names.contains(&label) {
                names.push(label);
            }
            if names.len() == n {
                break;
            }
        }
        names
    }
}
