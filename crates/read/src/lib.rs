//! sitrep's reader: the situation picture of one report.
pub mod claims;
pub mod dates;
pub mod geocheck;
pub mod numbers;
pub mod sentences;
