//! sitrep's reader: the situation picture of one report.
pub mod numbers;
pub mod sentences;
