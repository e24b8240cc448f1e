//! What kind of thing a place is.

use serde::Serialize;

/// The feature class of a gazetteer entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[repr(u8)]
pub enum Feature {
    /// A sovereign state or dependent territory.
    Country = 1,
    /// A first-level subdivision (oblast, state, province).
    Admin1 = 2,
    /// A second-level subdivision (raion, county).
    Admin2 = 3,
    /// A populated place (city, town, village).
    City = 4,
    /// A named region that is not an administrative unit (Donbas, Crimea as a peninsula).
    Region = 5,
    /// A river, given as a representative point and a coarse line.
    River = 6,
    /// A sea, gulf or strait.
    Sea = 7,
    /// A lake or reservoir.
    Lake = 8,
    /// An island or spit.
    Island = 9,
    /// A facility: power plant, factory, airport, bridge.
    Facility = 10,
    /// A landform: mountain, hill, forest.
    Landform = 11,
    /// A third-level subdivision: a Ukrainian hromada (territorial community), from KATOTTG.
    Hromada = 12,
}

impl Feature {
    /// Every feature class, in code order.
    pub const ALL: [Feature; 12] = [
        Feature::Country,
        Feature::Admin1,
        Feature::Admin2,
        Feature::City,
        Feature::Region,
        Feature::River,
        Feature::Sea,
        Feature::Lake,
        Feature::Island,
        Feature::Facility,
        Feature::Landform,
        Feature::Hromada,
    ];

    /// Decodes the stored byte.
    #[inline]
    pub fn from_code(code: u8) -> Option<Feature> {
        Feature::ALL.get(usize::from(code).checked_sub(1)?).copied()
    }

    /// The short lower-case name used in files and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Feature::Country => "country",
            Feature::Admin1 => "admin1",
            Feature::Admin2 => "admin2",
            Feature::City => "city",
            Feature::Region => "region",
            Feature::River => "river",
            Feature::Sea => "sea",
            Feature::Lake => "lake",
            Feature::Island => "island",
            Feature::Facility => "facility",
            Feature::Landform => "landform",
            Feature::Hromada => "hromada",
        }
    }

    /// Parses [`Feature::as_str`] output.
    pub fn parse(s: &str) -> Option<Feature> {
        Feature::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// True for administrative areas and named regions (an area, not a point).
    #[inline]
    pub fn is_area(self) -> bool {
        matches!(self, Feature::Country | Feature::Admin1 | Feature::Admin2 | Feature::Hromada | Feature::Region)
    }

    /// True for rivers, seas and lakes.
    #[inline]
    pub fn is_water(self) -> bool {
        matches!(self, Feature::River | Feature::Sea | Feature::Lake)
    }
}

impl std::fmt::Display for Feature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for f in Feature::ALL {
            assert_eq!(Feature::from_code(f as u8), Some(f));
            assert_eq!(Feature::parse(f.as_str()), Some(f));
        }
        assert_eq!(Feature::from_code(0), None);
        assert_eq!(Feature::from_code(13), None);
    }
}
