//! Numbers as reports state them: "advanced as much as 30 miles", "more than 1,000 square
//! kilometres (386 square miles)", "thousands of square miles", "up to 10,000 Russian troops".
//!
//! Each keeps its wording, its value as written, a normalised range in a common unit (km, km²,
//! or a count), the bound its qualifier sets ("up to" is at most, "more than" at least, "some"
//! about), and a conversion given in brackets after it.

use std::sync::OnceLock;

use crate::pattern::Regex;
use serde::Serialize;

/// Kilometres in a mile.
pub const KM_PER_MILE: f64 = 1.609_344;
/// Square kilometres in a square mile.
pub const KM2_PER_SQ_MILE: f64 = 2.589_988_110_336;

/// What a qualifier says about a stated number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// As stated.
    Exact,
    /// "up to", "as much as", "at most": an upper bound.
    AtMost,
    /// "more than", "over", "at least": a lower bound.
    AtLeast,
    /// "some", "about", "around", "nearly": approximate.
    About,
    /// "dozens", "thousands of": an order of magnitude.
    Vague,
}

/// The common unit a number is normalised to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Kilometres.
    Km,
    /// Square kilometres.
    Km2,
    /// People: troops, soldiers, civilians, residents.
    People,
    /// Military equipment: tanks, vehicles, aircraft, drones, missiles.
    Equipment,
    /// Settlements: towns, villages.
    Settlements,
}

/// A number stated in a text.
#[derive(Debug, Clone, Serialize)]
pub struct StatedNumber {
    /// Start of the range of the whole phrase (qualifier, number and unit) in the text. Bytes as this module returns it; a [`crate::Reading`] turns it into a Unicode scalar offset.
    pub start: usize,
    /// End of the range (exclusive), in the same unit.
    pub end: usize,
    /// The phrase as written.
    pub text: String,
    /// The number as written, as a value ("30", "1,000" → 1000; "thousands" → 1000).
    pub value: f64,
    /// The unit as written ("miles", "square kilometres", "troops").
    pub unit_as_written: String,
    /// The unit normalised to.
    pub unit: Unit,
    /// Normalised lower end of the range.
    pub low: f64,
    /// Normalised upper end of the range (equal to `low` for an exact number).
    pub high: f64,
    /// What the qualifier says.
    pub bound: Bound,
    /// The qualifier as written, if any.
    pub qualifier: Option<String>,
    /// A conversion written in brackets after the number ("(45 miles)").
    pub conversion: Option<String>,
}

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        crate::pattern::regex(
            r"(?xi)
            (?:(?-u:\b)(?P<qual>as\ much\ as|as\ many\ as|up\ to|more\ than|over|at\ least|at\ most|about|around|roughly|nearly|almost|some|approximately|fewer\ than|less\ than)\s+)?
            (?P<num>(?-u:\b)\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?-u:\b)\d+(?:\.\d+)?|(?-u:\b)(?:tens\ of\ thousands|hundreds\ of\ thousands|dozens|hundreds|thousands)(?-u:\b))
            (?:\s+of)?
            (?:\s+(?-i:[A-Z][a-z]+))?
            \s*
            (?P<unit>square\ kilometres|square\ kilometers|square\ km|sq\.?\ km|km2|km²|square\ miles|sq\.?\ mi(?:les)?|kilometres|kilometers|km|miles|mile
                |troops|soldiers|servicemen|service\ members|fighters|personnel|people|civilians|residents|children
                |tanks|armou?red\ vehicles|vehicles|aircraft|helicopters|drones|missiles|rockets|shells
                |towns|villages|settlements)(?-u:\b)",
        )
        .expect("the number pattern compiles")
    })
}

fn conversion_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| crate::pattern::regex(r"^[”“\x22’]?\s*\((?P<conv>[^()]{1,40})\)").expect("the conversion pattern compiles"))
}

/// Every number with a unit in `text`, in order. A number in brackets right after another is
/// that one's conversion, not a number of its own.
pub fn find(text: &str) -> Vec<StatedNumber> {
    let mut out: Vec<StatedNumber> = Vec::new();
    for caps in pattern().captures_iter(text) {
        let whole = caps.get(0).expect("group 0 always matches");
        if out.last().is_some_and(|prev| prev.conversion.is_some() && whole.start() < prev.end) {
            continue;
        }
        let num = &caps["num"];
        let unit_as_written = caps["unit"].to_owned();
        let (unit, factor) = unit_of(&unit_as_written.to_lowercase());
        let qualifier = caps.name("qual").map(|q| q.as_str().to_lowercase());
        let (value, mut low, mut high, vague) = match magnitude(num) {
            Some((low, high)) => (low, low, high, true),
            None => {
                let v: f64 = num.replace(',', "").parse().unwrap_or(f64::NAN);
                (v, v, v, false)
            }
        };
        if !value.is_finite() {
            continue;
        }
        (low, high) = (low * factor, high * factor);
        let bound = if vague {
            Bound::Vague
        } else {
            match qualifier.as_deref() {
                Some("as much as" | "as many as" | "up to" | "at most" | "fewer than" | "less than") => Bound::AtMost,
                Some("more than" | "over" | "at least") => Bound::AtLeast,
                Some(_) => Bound::About,
                None => Bound::Exact,
            }
        };
        let mut end = whole.end();
        let conversion = conversion_pattern().captures(&text[end..]).and_then(|c| {
            let inner = c.name("conv")?.as_str();
            pattern().is_match(inner).then(|| {
                end += c.get(0).map_or(0, |m| m.end());
                inner.to_owned()
            })
        });
        out.push(StatedNumber {
            start: whole.start(),
            end,
            text: text[whole.start()..end].to_owned(),
            value,
            unit_as_written,
            unit,
            low,
            high,
            bound,
            qualifier,
            conversion,
        });
    }
    out
}

/// The normalised unit of a written unit, and the factor to it.
fn unit_of(unit: &str) -> (Unit, f64) {
    let unit = unit.replace('.', "");
    if unit.starts_with("square mile") || unit.starts_with("sq mi") {
        (Unit::Km2, KM2_PER_SQ_MILE)
    } else if unit.starts_with("square") || unit.starts_with("sq") || unit == "km2" || unit == "km²" {
        (Unit::Km2, 1.0)
    } else if unit.starts_with("mile") {
        (Unit::Km, KM_PER_MILE)
    } else if unit.starts_with("kilomet") || unit == "km" {
        (Unit::Km, 1.0)
    } else if ["towns", "villages", "settlements"].contains(&unit.as_str()) {
        (Unit::Settlements, 1.0)
    } else if ["tanks", "vehicles", "aircraft", "helicopters", "drones", "missiles", "rockets", "shells"].contains(&unit.as_str()) || unit.ends_with("vehicles")
    {
        (Unit::Equipment, 1.0)
    } else {
        (Unit::People, 1.0)
    }
}

/// The range a word of magnitude stands for: "thousands" is at least a thousand and less
/// than ten thousand.
fn magnitude(word: &str) -> Option<(f64, f64)> {
    Some(match word.to_lowercase().as_str() {
        "dozens" => (24.0, 99.0),
        "hundreds" => (100.0, 999.0),
        "thousands" => (1_000.0, 9_999.0),
        "tens of thousands" => (10_000.0, 99_999.0),
        "hundreds of thousands" => (100_000.0, 999_999.0),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_bounds_and_conversions() {
        let t = "Forces advanced as much as 30 miles, taking more than 1,000 square kilometres” (386 square miles) \
                 and thousands of square miles in all; up to 10,000 Russian troops left, some 73 kilometres (45 miles) away.";
        let n = find(t);
        let summary: Vec<_> = n.iter().map(|x| (x.text.as_str(), x.unit, x.bound)).collect();
        assert_eq!(
            summary,
            [
                ("as much as 30 miles", Unit::Km, Bound::AtMost),
                ("more than 1,000 square kilometres” (386 square miles)", Unit::Km2, Bound::AtLeast),
                ("thousands of square miles", Unit::Km2, Bound::Vague),
                ("up to 10,000 Russian troops", Unit::People, Bound::AtMost),
                ("some 73 kilometres (45 miles)", Unit::Km, Bound::About),
            ]
        );
        assert!((n[0].low - 48.28).abs() < 0.01);
        assert_eq!(n[1].low, 1000.0);
        assert_eq!(n[1].conversion.as_deref(), Some("386 square miles"));
        assert!((n[2].low - 2589.99).abs() < 0.01 && n[2].high > 25_000.0);
        assert_eq!(n[3].value, 10_000.0);
        assert_eq!(&t[n[4].start..n[4].end], n[4].text);
    }

    #[test]
    fn numbers_without_units_and_junk() {
        assert!(find("In 2022, 45 of them met on 10 September.").is_empty());
        assert!(find("").is_empty());
        assert_eq!(find("a depth of 50 kilometres")[0].low, 50.0);
    }

    proptest::proptest! {
        #[test]
        fn spans_are_exact_on_any_text(t in "\\PC{0,60}( 12 miles| thousands of troops)?\\PC{0,20}") {
            for n in find(&t) {
                proptest::prop_assert_eq!(&t[n.start..n.end], n.text.as_str());
                proptest::prop_assert!(n.low <= n.high);
            }
        }
    }
}
