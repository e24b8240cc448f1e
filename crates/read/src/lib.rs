//! sitrep's reader: the situation picture of one report.
pub mod claims;
pub mod numbers;
pub mod sentences;
