//! Text primitives shared by every sitrep stage.
//!
//! The one rule that matters most lives here: [`fold`] turns a place name or a stretch of
//! report text into the *matching key* the gazetteer index is built on. Because the index and
//! the geoparser both fold through this module, a spelling that matches in `sitrep where` also
//! matches inside a report.

pub mod normalize;

pub use normalize::{fold, fold_char, key_for_name, Qualifier};
