//! The two sides of the war, as every stage names them.

use serde::{Deserialize, Serialize};

/// A side of the war between Russia and Ukraine, serialised as its ISO country code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Side {
    /// Ukraine and its forces ("UA").
    #[serde(rename = "UA")]
    Ukraine,
    /// Russia, its forces and the forces it commands ("RU").
    #[serde(rename = "RU")]
    Russia,
}

impl Side {
    /// The ISO code: "UA" or "RU".
    pub fn code(self) -> &'static str {
        match self {
            Side::Ukraine => "UA",
            Side::Russia => "RU",
        }
    }

    /// The side for an ISO code ("UA", "RU", any case); `None` for any other.
    pub fn from_code(code: &str) -> Option<Side> {
        if code.eq_ignore_ascii_case("UA") {
            Some(Side::Ukraine)
        } else if code.eq_ignore_ascii_case("RU") {
            Some(Side::Russia)
        } else {
            None
        }
    }

    /// The other side.
    pub fn opponent(self) -> Side {
        match self {
            Side::Ukraine => Side::Russia,
            Side::Russia => Side::Ukraine,
        }
    }
}

impl std::fmt::Display for Side {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_sides_oppose() {
        for side in [Side::Ukraine, Side::Russia] {
            assert_eq!(Side::from_code(side.code()), Some(side));
            assert_eq!(serde_json::to_string(&side).unwrap(), format!("\"{}\"", side.code()));
            assert_eq!(side.opponent().opponent(), side);
            assert_ne!(side.opponent(), side);
        }
        assert_eq!(Side::from_code("ua"), Some(Side::Ukraine));
        assert_eq!(Side::from_code("BY"), None);
    }
}
