//! The figures stage: each stated number (from [`crate::numbers`]) with what it measures and
//! who states it.
//!
//! A number's claimant and certainty are those of its sentence's claim. What it measures
//! comes from its unit and the words of its sentence ("advanced 30 km": depth of advance); a
//! distance that locates a place named right before it ("Kreminna, some 30 kilometres east
//! of Lyman") describes the map, in the report's own voice.

use serde::Serialize;
use sitrep_geoparse::Toponym;

use crate::{
    claims::{Certainty, Claim},
    geocheck,
    numbers::{self, StatedNumber, Unit},
    sentences::{self, Sentence},
};

/// What a stated number measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Quantity {
    /// How far an advance went ("advanced 30 km", "pushed 6 kilometres").
    #[serde(rename = "depth of advance")]
    DepthOfAdvance,
    /// Any other distance.
    #[serde(rename = "distance")]
    Distance,
    /// How far apart two places are ("Kreminna, some 30 kilometres east of Lyman").
    #[serde(rename = "distance between places")]
    DistanceBetweenPlaces,
    /// Ground taken, retaken or lost.
    #[serde(rename = "territory taken")]
    TerritoryTaken,
    /// Any other area.
    #[serde(rename = "area")]
    Area,
    /// People killed or wounded.
    #[serde(rename = "casualties")]
    Casualties,
    /// Troops moved, sent or withdrawn.
    #[serde(rename = "troops moved")]
    TroopsMoved,
    /// Any other count of people.
    #[serde(rename = "people")]
    People,
    /// Equipment destroyed, captured or lost.
    #[serde(rename = "equipment lost")]
    EquipmentLost,
    /// Any other count of equipment.
    #[serde(rename = "equipment")]
    Equipment,
    /// Settlements taken or entered.
    #[serde(rename = "settlements taken")]
    SettlementsTaken,
    /// Any other count of settlements.
    #[serde(rename = "settlements")]
    Settlements,
}

impl Quantity {
    /// Every quantity.
    pub const ALL: [Quantity; 12] = [
        Quantity::DepthOfAdvance,
        Quantity::Distance,
        Quantity::DistanceBetweenPlaces,
        Quantity::TerritoryTaken,
        Quantity::Area,
        Quantity::Casualties,
        Quantity::TroopsMoved,
        Quantity::People,
        Quantity::EquipmentLost,
        Quantity::Equipment,
        Quantity::SettlementsTaken,
        Quantity::Settlements,
    ];

    /// Its name in a reading ("depth of advance").
    pub fn as_str(self) -> &'static str {
        match self {
            Quantity::DepthOfAdvance => "depth of advance",
            Quantity::Distance => "distance",
            Quantity::DistanceBetweenPlaces => "distance between places",
            Quantity::TerritoryTaken => "territory taken",
            Quantity::Area => "area",
            Quantity::Casualties => "casualties",
            Quantity::TroopsMoved => "troops moved",
            Quantity::People => "people",
            Quantity::EquipmentLost => "equipment lost",
            Quantity::Equipment => "equipment",
            Quantity::SettlementsTaken => "settlements taken",
            Quantity::Settlements => "settlements",
        }
    }

    /// The quantity named `name` ("depth of advance"), if any.
    pub fn from_name(name: &str) -> Option<Quantity> {
        Quantity::ALL.into_iter().find(|q| q.as_str() == name)
    }

    /// What a number in `unit` measures, from the words of its sentence.
    pub fn of(unit: Unit, sentence: &str) -> Quantity {
        let s = sentence.to_lowercase();
        let any = |words: &[&str]| words.iter().any(|w| s.contains(w));
        match unit {
            Unit::Km if any(&["advance", "taken", "penetrat", "pushed", "depth", "gained", "moved forward", "broke through"]) => Quantity::DepthOfAdvance,
            Unit::Km => Quantity::Distance,
            Unit::Km2 if any(&["taken", "retaken", "recaptur", "liberat", "captur", "seized", "regained", "lost", "territory"]) => Quantity::TerritoryTaken,
            Unit::Km2 => Quantity::Area,
            Unit::People if any(&["killed", "died", "dead", "wounded", "injured", "casualties", "losses", "lost"]) => Quantity::Casualties,
            Unit::People if any(&["moved", "redeployed", "sent", "transferred", "withdrew", "pulled"]) => Quantity::TroopsMoved,
            Unit::People => Quantity::People,
            Unit::Equipment if any(&["destroyed", "lost", "captured", "shot down", "downed"]) => Quantity::EquipmentLost,
            Unit::Equipment => Quantity::Equipment,
            Unit::Settlements if any(&["liberat", "captur", "retaken", "recaptur", "taken", "entered"]) => Quantity::SettlementsTaken,
            Unit::Settlements => Quantity::Settlements,
        }
    }
}

impl std::fmt::Display for Quantity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stated number with what it measures and who states it.
#[derive(Debug, Clone, Serialize)]
pub struct NumberReading {
    /// The number.
    pub number: StatedNumber,
    /// What it measures.
    pub quantity: Quantity,
    /// Who states it (the claimant of its sentence); `None` for the report's own voice.
    pub claimant: Option<String>,
    /// How sure the sentence sounds, when it is a claim.
    pub certainty: Option<Certainty>,
}

/// The figures stage: every number of `text` with its quantity and its sentence's claim.
/// `sentences` and `claims` are in text order; `toponyms` are the geoparser's, in text order.
pub fn read(text: &str, sentences: &[Sentence], claims: &[Claim], toponyms: &[Toponym<'_>]) -> Vec<NumberReading> {
    let place_ends = geocheck::sorted_ends(toponyms);
    numbers::find(text)
        .into_iter()
        .map(|n| {
            // A distance between two places describes the map: the report's own voice.
            let (quantity, claim) = if geocheck::locates_place(text, &place_ends, &n) {
                (Quantity::DistanceBetweenPlaces, None)
            } else {
                let sentence = sentences::index_at(sentences, n.start, |s| (s.start, s.end)).map_or("", |i| &text[sentences[i].start..sentences[i].end]);
                (Quantity::of(n.unit, sentence), sentences::index_at(claims, n.start, |c| (c.start, c.end)).map(|i| &claims[i]))
            };
            NumberReading {
                quantity,
                claimant: claim.and_then(|c| c.claimant.as_ref()).map(|c| c.name.clone()),
                certainty: claim.map(|c| c.certainty),
                number: n,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{claims, tests::geoparser};

    fn figures(text: &str) -> Vec<(String, Quantity, Option<String>)> {
        let sentences = sentences::split(text);
        let claims = claims::find(text, &sentences);
        let parse = geoparser().parse(text);
        read(text, &sentences, &claims, &parse.toponyms).into_iter().map(|n| (n.number.text, n.quantity, n.claimant)).collect()
    }

    #[test]
    fn quantities_come_from_the_unit_and_the_sentence() {
        assert_eq!(Quantity::of(Unit::Km, "Troops pushed 12 km into the defences."), Quantity::DepthOfAdvance);
        assert_eq!(Quantity::of(Unit::Km, "The depot lies 12 km from the front."), Quantity::Distance);
        assert_eq!(Quantity::of(Unit::Km2, "The army RECAPTURED 40 square km."), Quantity::TerritoryTaken);
        assert_eq!(Quantity::of(Unit::People, "Some 300 soldiers were redeployed."), Quantity::TroopsMoved);
        assert_eq!(Quantity::of(Unit::People, "About 300 people were wounded."), Quantity::Casualties);
        assert_eq!(Quantity::of(Unit::Equipment, "Two tanks were shot down."), Quantity::EquipmentLost);
        assert_eq!(Quantity::of(Unit::Settlements, "They entered 5 villages."), Quantity::SettlementsTaken);
        for q in Quantity::ALL {
            assert_eq!(Quantity::from_name(q.as_str()), Some(q));
            assert_eq!(serde_json::to_value(q).unwrap(), q.as_str());
        }
    }

    #[test]
    fn each_number_takes_its_own_sentences_claimant() {
        let got = figures(
            "The regional governor said 40 civilians were killed.\nThe defence ministry reported that troops advanced 15 km.\nIt was cold and 200 residents stayed.",
        );
        assert_eq!(
            got,
            [
                ("40 civilians".to_owned(), Quantity::Casualties, Some("The regional governor".to_owned())),
                ("15 km".to_owned(), Quantity::DepthOfAdvance, Some("The defence ministry".to_owned())),
                ("200 residents".to_owned(), Quantity::People, None),
            ]
        );
    }

    #[test]
    fn a_distance_placing_a_town_is_the_maps_not_the_claimants() {
        let got = figures("Officials said troops reached Balakliia, about 60 kilometres south-east of Kharkiv.");
        assert_eq!(got, [("about 60 kilometres".to_owned(), Quantity::DistanceBetweenPlaces, None)]);
        let got = figures("Officials said troops pushed 60 kilometres south-east of Kharkiv.");
        assert_eq!(got[0].1, Quantity::DepthOfAdvance, "an advance, not a distance between two named places");
    }
}
