//! The disagreements stage: numbers about the same quantity stated by more than one source
//! (the report's own voice counts as one), and whether the ranges they state conflict.

use serde::Serialize;

use crate::{
    figures::{NumberReading, Quantity},
    numbers::{Bound, StatedNumber, Unit},
};

/// Numbers about one quantity from more than one source.
#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    /// The quantity.
    pub quantity: Quantity,
    /// The unit the ranges are in.
    pub unit: Unit,
    /// Indexes into [`crate::Reading::numbers`], in text order.
    pub numbers: Vec<usize>,
    /// True when the ranges stated do not all overlap.
    pub conflicting: bool,
}

/// The disagreements among `numbers`, in order of each quantity's first number. A distance
/// between two places is the map's, not a source's, and takes no part.
pub fn find(numbers: &[NumberReading]) -> Vec<Disagreement> {
    // A handful of quantities and units: a short list is the right map.
    let mut out: Vec<Disagreement> = Vec::new();
    for (i, n) in numbers.iter().enumerate() {
        if n.quantity == Quantity::DistanceBetweenPlaces {
            continue;
        }
        match out.iter_mut().find(|d| d.quantity == n.quantity && d.unit == n.number.unit) {
            Some(d) => d.numbers.push(i),
            None => out.push(Disagreement { quantity: n.quantity, unit: n.number.unit, numbers: vec![i], conflicting: false }),
        }
    }
    out.retain(|d| {
        let mut sources: Vec<Option<&str>> = d.numbers.iter().map(|&i| numbers[i].claimant.as_deref()).collect();
        sources.sort_unstable();
        sources.dedup();
        sources.len() > 1
    });
    for d in &mut out {
        let ranges = d.numbers.iter().map(|&i| range_of(&numbers[i].number));
        let (highest_low, lowest_high) = ranges.fold((f64::NEG_INFINITY, f64::INFINITY), |(low, high), r| (low.max(r.0), high.min(r.1)));
        d.conflicting = highest_low > lowest_high * 1.05;
    }
    out
}

/// The range a stated number allows: "up to 30" is 0..30, "more than 1,000" 1,000..∞.
fn range_of(n: &StatedNumber) -> (f64, f64) {
    match n.bound {
        Bound::AtMost => (0.0, n.high),
        Bound::AtLeast => (n.low, f64::INFINITY),
        Bound::About => (n.low * 0.9, n.high * 1.1),
        Bound::Exact | Bound::Vague => (n.low, n.high),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers;

    fn reading(text: &str, quantity: Quantity, claimant: Option<&str>) -> NumberReading {
        let number = numbers::find(text).remove(0);
        NumberReading { number, quantity, claimant: claimant.map(str::to_owned), certainty: None }
    }

    #[test]
    fn figures_from_two_sources_are_set_side_by_side() {
        let numbers = [
            reading("as much as 50 km", Quantity::DepthOfAdvance, Some("Kyiv")),
            reading("20 soldiers", Quantity::Casualties, Some("Kyiv")),
            reading("some 45 km", Quantity::DepthOfAdvance, None),
            reading("100 soldiers", Quantity::Casualties, Some("Kyiv")),
            reading("30 km", Quantity::DistanceBetweenPlaces, Some("Moscow")),
        ];
        let found = find(&numbers);
        assert_eq!(found.len(), 1, "one source for the casualties, and distances between places take no part");
        assert_eq!((found[0].quantity, found[0].numbers.as_slice(), found[0].conflicting), (Quantity::DepthOfAdvance, &[0, 2][..], false));
    }

    #[test]
    fn ranges_that_do_not_meet_conflict() {
        let numbers = [reading("more than 1,000 troops", Quantity::People, Some("A")), reading("up to 500 troops", Quantity::People, Some("B"))];
        assert!(find(&numbers)[0].conflicting);
        let numbers = [reading("about 100 troops", Quantity::People, Some("A")), reading("105 troops", Quantity::People, Some("B"))];
        assert!(!find(&numbers)[0].conflicting, "about 100 allows 105");
    }
}
