//! Maps for sitrep: the country and first-level subdivision outlines built into the binary
//! ([`atlas`]), the projection every map shares ([`View`]), the one conversion of events into
//! markers ([`markers_of_stored`], [`marker_of_reading`]), the control layer's marks
//! ([`control_marks`]), and static SVG maps of events and control ([`render_svg`]). The web page draws with the same outlines, the same projection and the same
//! colours, so a map saved with `sitrep map` looks like the page.

mod atlas;
mod basemap;
mod control;
mod markers;
mod svg;
mod view;

pub use atlas::{atlas, Atlas, Outline};
pub use basemap::{boundaries_geojson, outlines_geojson, places_geojson, tolerance_for_zoom, MIN_TOWN_POPULATION};
pub use control::{control_marks, state_colour, ControlMark};
pub use markers::{marker_of_reading, markers_of_stored};
pub use svg::{marker_radius, render_svg, MapStyle, Marker, COUNTRY_PRECISION};
pub use view::{View, MIN_SPAN_DEG};

/// The colour of an event type on every map (types as the reading names them); grey for a
/// type the palette lacks.
pub fn colour(event_type: &str) -> &'static str {
    PALETTE.iter().find(|(t, _)| *t == event_type).map_or("#7f7f7f", |(_, c)| c)
}

/// Every event type with its colour, in legend order.
pub const PALETTE: [(&str, &str); 6] = [
    ("battle", "#d62728"),
    ("territory_taken", "#1f77b4"),
    ("withdrawal", "#9467bd"),
    ("shelling", "#ff7f0e"),
    ("air_strike", "#8c564b"),
    ("strategic_development", "#2ca02c"),
];
