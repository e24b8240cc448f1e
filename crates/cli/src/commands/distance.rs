//! `sitrep distance A B`: great-circle distance and bearing between two places.

use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;
use sitrep_gazetteer::{bearing_deg, compass_point, distance_km, Gazetteer};

use crate::render::{round, where_label, PlaceJson};

/// Arguments of `sitrep distance`.
#[derive(clap::Args)]
pub struct Args {
    /// From this place.
    from: String,
    /// To this place.
    to: String,
    /// Print JSON instead of a sentence.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Answer<'g> {
    from: PlaceJson<'g>,
    to: PlaceJson<'g>,
    distance_km: f64,
    bearing_deg: f64,
    compass: &'static str,
}

/// Runs `sitrep distance`.
pub fn run(gaz: &Gazetteer, args: &Args) -> Result<ExitCode> {
    let from = super::resolve_one(gaz, &super::name_argument(&args.from)?)?.place;
    // The second place is read near the first: "Balakliya" after "Izyum" is the nearby town.
    let to_name = super::name_argument(&args.to)?;
    let to = gaz
        .search(&sitrep_gazetteer::Query { name: &to_name, near: Some(from.point()), limit: 1, ..Default::default() })?
        .hits
        .into_iter()
        .next()
        .map(|h| h.place);
    let to = match to {
        Some(place) => place,
        None => super::resolve_one(gaz, &to_name)?.place,
    };
    let d = distance_km(from.point(), to.point());
    let b = bearing_deg(from.point(), to.point());
    if args.json {
        let answer =
            Answer { from: PlaceJson::new(&from), to: PlaceJson::new(&to), distance_km: round(d, 1), bearing_deg: round(b, 1), compass: compass_point(b) };
        println!("{}", serde_json::to_string_pretty(&answer)?);
    } else {
        println!("{} → {}: {d:.1} km, bearing {b:.0}° ({})", from.display_name(), to.display_name(), compass_point(b));
        for p in [from, to] {
            println!("  {} — {}, {}  [{}]", p.display_name(), p.feature(), where_label(&p), p.id());
        }
    }
    Ok(ExitCode::SUCCESS)
}
