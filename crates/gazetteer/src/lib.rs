//! sitrep's gazetteer: every place a report may name, and how to find it by name.
//!
//! The index is built offline from GeoNames data (see `sitrep-gazetteer-build`) and a
//! hand-written supplement of regions, rivers and seas. It is embedded in the binary in its
//! final layout, or memory-mapped from a file, so opening it parses nothing: records are read
//! in place ([`format`](mod@format)) and names go through an `fst` map of folded keys.
//!
//! ```no_run
//! use sitrep_gazetteer::{Gazetteer, Query};
//! let gaz = Gazetteer::open_default()?;
//! let best = &gaz.search(&Query { name: "Kupyansk", limit: 1, ..Query::default() })?.hits[0];
//! println!("{} {:?}", best.place.name(), best.place.point());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod exact;
mod feature;
pub mod format;
mod geo;
mod index;
mod search;
mod writer;

pub use exact::{strip_table, with_table};
pub use feature::Feature;
pub use format::MatchFlags;
pub use geo::{
    approx_angle_squared, approx_distance_km, bearing_deg, compass_point, distance_km, distance_to_box_km, longitude_difference, nearest_in_box, LatLon,
    EARTH_RADIUS_KM,
};
pub use index::{Gazetteer, KeyProbe, Matches, NameSummary, OpenError, Place};
pub use search::{distance_penalty, prior, Hit, MatchKind, Outcome, Query, QueryError, MAX_FUZZY_CHARS, MAX_NAME_CHARS};
pub use writer::{IndexWriter, PlaceSpec};
