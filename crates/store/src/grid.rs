//! The grid that merge decisions are made on. Every stored event with a point carries the
//! number of its grid cell (cells of [`CELL_DEG`] degrees), indexed with its end date, so the
//! events that a new one might tell again are found by looking in the few cells around its
//! point and its date window: the cost of a lookup depends on how busy the neighbourhood is,
//! not on how large the store or the report is. The same cells, with the weeks of the event's
//! dates, are what a PostgreSQL writer locks before deciding ([`merge_locks`]): two writers
//! wait for each other only when they hold events that could be one.

use chrono::{Datelike, NaiveDate};

/// The side of a cell, degrees (about 28 km of latitude).
pub const CELL_DEG: f64 = 0.25;

const ROWS: i64 = (180.0 / CELL_DEG) as i64;
const COLUMNS: i64 = (360.0 / CELL_DEG) as i64;

/// The cell holding a point.
pub fn cell(lat: f64, lon: f64) -> i64 {
    cell_at(row(lat), column(lon))
}

fn row(lat: f64) -> i64 {
    (((lat.clamp(-90.0, 90.0) + 90.0) / CELL_DEG).floor() as i64).min(ROWS - 1)
}

fn column(lon: f64) -> i64 {
    (((lon + 180.0) / CELL_DEG).floor() as i64).rem_euclid(COLUMNS)
}

fn cell_at(row: i64, column: i64) -> i64 {
    row * COLUMNS + column.rem_euclid(COLUMNS)
}

/// Every cell that holds a point within `km` of (`lat`, `lon`), in ascending order; across
/// the antimeridian too. Near the poles, where a radius spans every longitude, whole rows.
pub fn neighbourhood(lat: f64, lon: f64, km: f64) -> Vec<i64> {
    let dlat = km / 111.0;
    // A circle around a pole holds every longitude; elsewhere its widest parallel bounds it.
    let dlon = if lat.abs() + dlat >= 89.9 { 180.0 } else { km / (111.0 * (lat.abs() + dlat).to_radians().cos()) };
    let rows = row(lat - dlat)..=row(lat + dlat);
    let mut cells: Vec<i64> = if dlon >= 180.0 {
        rows.flat_map(|r| (0..COLUMNS).map(move |c| cell_at(r, c))).collect()
    } else {
        let (first, last) = (((lon - dlon + 180.0) / CELL_DEG).floor() as i64, ((lon + dlon + 180.0) / CELL_DEG).floor() as i64);
        rows.flat_map(|r| (first..=last).map(move |c| cell_at(r, c))).collect()
    };
    cells.sort_unstable();
    cells.dedup();
    cells
}

/// The advisory-lock keys a writer takes before deciding whether an event at (`lat`, `lon`)
/// dated `from`..=`to` is new: one per cell of its neighbourhood and week of its dates.
/// Two events that could be merged share at least one key (the cell of either lies in the
/// other's neighbourhood, and overlapping dates share a week).
pub fn merge_locks(lat: f64, lon: f64, km: f64, from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = i64> {
    let weeks = week(from)..=week(to.max(from));
    neighbourhood(lat, lon, km).into_iter().flat_map(move |c| weeks.clone().map(move |w| LOCK_SPACE | (w << 21) | c))
}

/// Weeks since 1970, as a number of 20 bits.
fn week(day: NaiveDate) -> i64 {
    (i64::from(day.num_days_from_ce()) / 7) & 0xf_ffff
}

/// The high bits of every merge lock ("mg"), apart from the schema lock and other users'.
const LOCK_SPACE: i64 = 0x6d67 << 48;

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_gazetteer::{distance_km, LatLon};

    #[test]
    fn every_point_within_the_radius_is_in_a_neighbouring_cell() {
        // Points on a spiral around each centre, some just inside the radius: their cells must
        // all be in the centre's neighbourhood.
        for (lat, lon) in [(49.7, 37.6), (0.0, 179.95), (-33.9, 18.4), (78.2, 15.6), (89.9, 0.0), (-89.9, 10.0), (47.1, -179.9)] {
            let near = neighbourhood(lat, lon, 25.0);
            for i in 0..720 {
                let bearing = f64::from(i) * 7.3;
                let km = 24.9 * f64::from(i % 50 + 1) / 50.0;
                let (dlat, dlon) = (km / 111.0 * bearing.to_radians().cos(), km / (111.0 * lat.to_radians().cos().max(0.001)) * bearing.to_radians().sin());
                let (plat, plon) = ((lat + dlat).clamp(-90.0, 90.0), ((lon + dlon + 540.0) % 360.0) - 180.0);
                if distance_km(LatLon::new(lat, lon), LatLon::new(plat, plon)) <= 25.0 {
                    assert!(near.binary_search(&cell(plat, plon)).is_ok(), "({plat}, {plon}) near ({lat}, {lon}) is outside the neighbourhood");
                }
            }
        }
    }

    #[test]
    fn neighbourhoods_are_small_where_the_war_is() {
        assert!(neighbourhood(48.0, 37.8, 25.0).len() <= 12);
        assert_eq!(cell(90.0, 180.0), cell(90.0, -180.0));
    }

    #[test]
    fn events_that_could_merge_share_a_lock() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let a: Vec<i64> = merge_locks(49.70, 37.60, 25.0, d("2022-09-08"), d("2022-09-10")).collect();
        let b: Vec<i64> = merge_locks(49.80, 37.85, 25.0, d("2022-09-10"), d("2022-09-10")).collect();
        assert!(a.iter().any(|k| b.contains(k)));
        let later: Vec<i64> = merge_locks(49.70, 37.60, 25.0, d("2022-10-20"), d("2022-10-20")).collect();
        assert!(!a.iter().any(|k| later.contains(k)), "a month apart: no common lock");
        let far: Vec<i64> = merge_locks(46.6, 32.6, 25.0, d("2022-09-10"), d("2022-09-10")).collect();
        assert!(!a.iter().any(|k| far.contains(k)), "Kherson and Kupiansk: no common lock");
    }
}
