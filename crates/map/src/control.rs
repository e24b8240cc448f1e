//! The control layer of the static map, as the web page's control layer draws it: every
//! settlement coloured by who held it on the map's day, a ring round those that changed hands
//! within the map's window (coloured by the side that took them), and disputed states marked.

use std::collections::BTreeMap;

use sitrep_read::Side;
use sitrep_store::{
    control::ControlState,
    timeline::{ControlChange, ControlStateAt},
};

/// One settlement on the control layer.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlMark {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// The settlement's name.
    pub name: String,
    /// Who held it on the map's day (unknown: a change in the window after that day).
    pub state: ControlState,
    /// True when claims contradict that state.
    pub disputed: bool,
    /// The side that took it within the window (the last such change), if it changed hands.
    pub changed_to: Option<Side>,
}

/// The colour of a control state on every map (the web page's control layer uses the same).
pub fn state_colour(state: ControlState) -> &'static str {
    match state {
        ControlState::Ukraine => "#1f6fd1",
        ControlState::Russia => "#d12f2f",
        ControlState::Contested => "#e0a020",
        ControlState::Unknown => "#7f7f7f",
    }
}

/// One mark per settlement: its state from `states` (one per settlement, on the map's day)
/// and its last change among `changes` (those within the window), by settlement id.
pub fn control_marks(states: &[ControlStateAt], changes: &[ControlChange]) -> Vec<ControlMark> {
    let mut marks: BTreeMap<&str, ControlMark> = states
        .iter()
        .map(|s| {
            let mark = ControlMark { lat: s.place.lat, lon: s.place.lon, name: s.place.name.clone(), state: s.state, disputed: s.disputed, changed_to: None };
            (s.place.id.as_str(), mark)
        })
        .collect();
    let mut by_date: Vec<&ControlChange> = changes.iter().collect();
    by_date.sort_by_key(|c| (c.date_latest, c.date_earliest));
    for c in by_date {
        let p = &c.place;
        let mark = marks.entry(p.id.as_str()).or_insert_with(|| ControlMark {
            lat: p.lat,
            lon: p.lon,
            name: p.name.clone(),
            state: ControlState::Unknown,
            disputed: false,
            changed_to: None,
        });
        mark.changed_to = Some(c.to_side);
        mark.disputed |= c.disputed;
    }
    marks.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use sitrep_store::timeline::ControlPlace;

    fn place(id: &str) -> ControlPlace {
        ControlPlace { id: id.into(), geonameid: None, name: id.to_uppercase(), lat: 49.0, lon: 37.0 }
    }

    fn state(id: &str, state: ControlState) -> ControlStateAt {
        ControlStateAt { place: place(id), state, holder: None, since: None, until: None, disputed: false, last_change: None }
    }

    fn change(id: &str, to_side: Side, day: u32, disputed: bool) -> ControlChange {
        let date = NaiveDate::from_ymd_opt(2022, 9, day).expect("a day");
        ControlChange {
            place: place(id),
            from_side: Some(to_side.opponent()),
            to_side,
            date_earliest: date,
            date_latest: date,
            first_reported: Some(date),
            last_reported: Some(date),
            claimants: 1,
            status: "asserted".into(),
            confidence: 0.7,
            disputed,
            sources: Vec::new(),
            disputed_by: Vec::new(),
        }
    }

    #[test]
    fn a_settlement_keeps_its_state_and_takes_the_last_change_of_the_window() {
        let states = [state("a", ControlState::Ukraine), state("b", ControlState::Russia)];
        let changes = [change("a", Side::Ukraine, 9, false), change("a", Side::Russia, 3, true)];
        let marks = control_marks(&states, &changes);
        assert_eq!(marks.len(), 2);
        let a = marks.iter().find(|m| m.name == "A").expect("a");
        assert_eq!(a.state, ControlState::Ukraine);
        assert_eq!(a.changed_to, Some(Side::Ukraine), "the later change wins whatever the input order");
        assert!(a.disputed, "a disputed change in the window marks the settlement");
        let b = marks.iter().find(|m| m.name == "B").expect("b");
        assert_eq!((b.changed_to, b.disputed), (None, false));
    }

    #[test]
    fn a_change_without_a_state_on_the_day_is_still_drawn() {
        let marks = control_marks(&[], &[change("c", Side::Russia, 5, false)]);
        assert_eq!(marks.len(), 1);
        assert_eq!(marks[0].state, ControlState::Unknown);
        assert_eq!(marks[0].changed_to, Some(Side::Russia));
    }
}
