//! Evaluation of sitrep's stages against human-annotated corpora; each stage's module prints
//! precision, recall and the errors it made.

pub mod control;
pub mod corpus;
pub mod events;
pub mod events_gold;
pub mod geoparse;
pub mod metrics;
pub mod places;
pub mod read;
