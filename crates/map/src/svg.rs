//! Static SVG maps: outlines, the control layer when there is one (settlements coloured by who
//! held them, rings round those that changed hands), then one marker per event (coloured by
//! type, sized by its number of sources), labels and a legend. Every text from a report is
//! escaped.

use std::fmt::Write;

use sitrep_store::control::ControlState;

use crate::{atlas, colour, state_colour, ControlMark, View, MIN_SPAN_DEG, PALETTE};

/// One event to draw.
#[derive(Debug, Clone)]
pub struct Marker {
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Event type, as the reading names it ("shelling").
    pub event_type: String,
    /// How many tellings the event has.
    pub sources: usize,
    /// Place name shown beside the marker.
    pub label: String,
    /// How precisely the place is known: 1 the town itself … 6 only the country.
    pub precision: u8,
}

/// Precision code of an event placed only at its country's centre.
pub const COUNTRY_PRECISION: u8 = 6;

/// What goes around the markers.
#[derive(Debug, Clone, Default)]
pub struct MapStyle {
    /// A heading drawn at the top left.
    pub title: String,
    /// Canvas width in pixels (0: 1000).
    pub width: f64,
    /// What the control layer shows ("held on 2022-09-10"), the heading of its legend.
    pub control_caption: String,
}

/// The control states in legend order, with their legend text.
const CONTROL_LEGEND: [(ControlState, &str); 3] =
    [(ControlState::Ukraine, "held by Ukraine"), (ControlState::Russia, "held by Russia"), (ControlState::Contested, "contested")];

/// The radius of a marker for an event told `sources` times: its area grows with the count.
pub fn marker_radius(sources: usize) -> f64 {
    4.0 + 3.0 * (sources.max(1) as f64).sqrt()
}

/// Escapes text for SVG (XML) content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn path_of(view: &View, outline: &crate::Outline, out: &mut String) {
    for ring in outline.rings() {
        let mut first = true;
        for (lat, lon) in ring {
            let (x, y) = view.project(lat, lon);
            let _ = write!(out, "{}{:.1},{:.1}", if first { 'M' } else { 'L' }, x, y);
            first = false;
        }
        out.push('Z');
    }
}

/// Draws `markers`, over the control layer's `control` marks (none: no layer), on a map of the
/// part of the world that holds them.
pub fn render_svg(markers: &[Marker], control: &[ControlMark], style: &MapStyle) -> String {
    let width = if style.width > 0.0 { style.width } else { 1000.0 };
    // Fit the map to the events placed more precisely than a country when there are any: a
    // country's centre far from the fighting would otherwise shrink everything else.
    let precise = markers.iter().any(|m| m.precision < COUNTRY_PRECISION);
    let points = markers.iter().filter(|m| !precise || m.precision < COUNTRY_PRECISION).map(|m| (m.lat, m.lon));
    let view = View::around(points.chain(control.iter().map(|c| (c.lat, c.lon))), width, MIN_SPAN_DEG);
    let atlas = atlas();
    let mut svg = String::with_capacity(256 * 1024);
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" height="{h:.0}" font-family="sans-serif">
<rect width="100%" height="100%" fill="#dce9f2"/>
"##,
        w = view.width,
        h = view.height
    );
    svg.push_str(r##"<g fill="#f4f1ea" stroke="#777" stroke-width="0.8">"##);
    for c in atlas.countries_in(view.bbox) {
        svg.push_str("<path d=\"");
        path_of(&view, c, &mut svg);
        let _ = write!(svg, "\"><title>{}</title></path>", escape(&c.name));
    }
    svg.push_str("</g>\n<g fill=\"none\" stroke=\"#aaa\" stroke-width=\"0.5\" stroke-dasharray=\"3 2\">");
    for a in atlas.admin1_in(view.bbox) {
        svg.push_str("<path d=\"");
        path_of(&view, a, &mut svg);
        svg.push_str("\"/>");
    }
    svg.push_str("</g>\n<g font-size=\"11\" fill=\"#9a9488\" text-anchor=\"middle\">");
    for a in atlas.admin1_in(view.bbox) {
        let (x, y) = view.project((a.bbox[0] + a.bbox[2]) / 2.0, (a.bbox[1] + a.bbox[3]) / 2.0);
        if x > 0.0 && x < view.width && y > 0.0 && y < view.height {
            let _ = write!(svg, "<text x=\"{x:.1}\" y=\"{y:.1}\">{}</text>", escape(&a.name));
        }
    }
    draw_control(&view, control, &mut svg);
    svg.push_str("</g>\n<g stroke=\"#222\" stroke-width=\"0.7\" fill-opacity=\"0.8\">");
    // Big markers first, so that small ones stay visible on top of them.
    let mut order: Vec<&Marker> = markers.iter().filter(|m| m.lat.is_finite() && m.lon.is_finite()).collect();
    order.sort_by_key(|m| std::cmp::Reverse(m.sources));
    for m in &order {
        let (x, y) = view.project(m.lat, m.lon);
        let _ = write!(
            svg,
            "<circle class=\"event\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" fill=\"{fill}\"><title>{t}: {l} ({n} sources)</title></circle>",
            r = marker_radius(m.sources),
            fill = colour(&m.event_type),
            t = escape(&m.event_type),
            l = escape(&m.label),
            n = m.sources
        );
    }
    svg.push_str("</g>\n<g font-size=\"12\" fill=\"#222\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">");
    let mut labelled: Vec<&str> = Vec::new();
    for m in &order {
        if labelled.len() >= 40 || labelled.contains(&m.label.as_str()) || m.label.is_empty() {
            continue;
        }
        labelled.push(&m.label);
        let (x, y) = view.project(m.lat, m.lon);
        let _ = write!(svg, "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>", x + marker_radius(m.sources) + 2.0, y + 4.0, escape(&m.label));
    }
    svg.push_str("</g>\n");
    let control_rows = if control.is_empty() { 0 } else { 2 + CONTROL_LEGEND.len() + 1 };
    let _ = write!(
        svg,
        "<g font-size=\"13\"><rect x=\"8\" y=\"8\" width=\"{}\" height=\"{}\" fill=\"#fff\" fill-opacity=\"0.85\" stroke=\"#999\"/>",
        if control.is_empty() { 230 } else { 340 },
        32 + 18 * (PALETTE.len() + control_rows)
    );
    let _ = write!(svg, "<text x=\"16\" y=\"28\" font-weight=\"bold\">{}</text>", escape(&style.title));
    for (i, (kind, fill)) in PALETTE.iter().enumerate() {
        let y = 46.0 + 18.0 * i as f64;
        let _ = write!(svg, "<circle cx=\"22\" cy=\"{:.0}\" r=\"6\" fill=\"{fill}\"/><text x=\"34\" y=\"{:.0}\">{}</text>", y - 4.0, y, kind.replace('_', " "));
    }
    if !control.is_empty() {
        let mut y = 46.0 + 18.0 * PALETTE.len() as f64 + 8.0;
        let _ = write!(svg, "<text x=\"16\" y=\"{y:.0}\" font-weight=\"bold\">{}</text>", escape(&style.control_caption));
        for (state, text) in CONTROL_LEGEND {
            y += 18.0;
            let _ = write!(
                svg,
                "<rect x=\"17\" y=\"{:.0}\" width=\"10\" height=\"10\" fill=\"{}\"/><text x=\"34\" y=\"{y:.0}\">{text}</text>",
                y - 9.0,
                state_colour(state)
            );
        }
        y += 18.0;
        let _ = write!(
            svg,
            "<circle cx=\"22\" cy=\"{:.0}\" r=\"6\" fill=\"none\" stroke=\"#444\" stroke-width=\"2\"/><text x=\"34\" y=\"{y:.0}\">changed hands (ring: who took it)</text>",
            y - 4.0
        );
        y += 18.0;
        let _ = write!(
            svg,
            "<rect x=\"17\" y=\"{:.0}\" width=\"10\" height=\"10\" fill=\"none\" stroke=\"#000\" stroke-dasharray=\"2 1.5\"/><text x=\"34\" y=\"{y:.0}\">disputed</text>",
            y - 9.0
        );
    }
    svg.push_str("</g>\n</svg>\n");
    svg
}

/// The control layer: a square per settlement in the colour of its state (dashed outline when
/// disputed), a ring in the taker's colour round those that changed hands in the window.
fn draw_control(view: &View, control: &[ControlMark], svg: &mut String) {
    if control.is_empty() {
        return;
    }
    svg.push_str("</g>\n<g class=\"control\" stroke-width=\"0.8\">");
    for c in control.iter().filter(|c| c.lat.is_finite() && c.lon.is_finite()) {
        let (x, y) = view.project(c.lat, c.lon);
        let outline = if c.disputed { "stroke=\"#000\" stroke-width=\"1.3\" stroke-dasharray=\"2 1.5\"" } else { "stroke=\"#fff\"" };
        let change = c.changed_to.map(|s| format!("; changed hands to {}", s.code())).unwrap_or_default();
        let disputed = if c.disputed { "; disputed" } else { "" };
        let _ = write!(
            svg,
            "<rect class=\"settlement\" x=\"{:.1}\" y=\"{:.1}\" width=\"7\" height=\"7\" fill=\"{}\" {outline}><title>{}: {}{change}{disputed}</title></rect>",
            x - 3.5,
            y - 3.5,
            state_colour(c.state),
            escape(&c.name),
            c.state.as_str()
        );
        if let Some(side) = c.changed_to {
            let _ = write!(
                svg,
                "<circle class=\"change\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"9\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"/>",
                state_colour(ControlState::held_by(side))
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(lat: f64, lon: f64, kind: &str, sources: usize, label: &str) -> Marker {
        Marker { lat, lon, event_type: kind.into(), sources, label: label.into(), precision: 1 }
    }

    #[test]
    fn a_map_of_kharkiv_oblast_draws_ukraine_its_oblasts_and_every_marker() {
        let markers = [marker(49.21, 37.25, "territory_taken", 3, "Izium"), marker(49.46, 36.86, "battle", 1, "Balakliia")];
        let svg = render_svg(&markers, &[], &MapStyle { title: "Kharkiv, September".into(), width: 800.0, ..MapStyle::default() });
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("<title>Ukraine</title>"), "the country outline is drawn");
        assert!(svg.contains("<title>Russia</title>"), "the neighbour is drawn");
        assert_eq!(svg.matches("class=\"event\"").count(), 2);
        assert!(svg.contains(colour("territory_taken")) && svg.contains(colour("battle")));
        assert!(svg.contains(">Izium</text>") && svg.contains(">Balakliia</text>"));
        assert!(svg.contains(">Kharkiv</text>"), "subdivisions in view are named");
        // Far-away countries are left out.
        assert!(!svg.contains("<title>Brazil</title>"));
    }

    #[test]
    fn an_event_placed_only_at_a_country_centre_does_not_widen_the_map() {
        let mut far = marker(61.5, 105.3, "air_strike", 1, "Russia");
        far.precision = COUNTRY_PRECISION;
        let svg = render_svg(&[marker(49.71, 37.61, "shelling", 2, "Kupiansk"), far], &[], &MapStyle::default());
        assert!(svg.contains(">Kupiansk</text>"));
        assert!(!svg.contains("<title>China</title>"), "the map stays around Kupiansk");
    }

    #[test]
    fn report_text_in_labels_cannot_become_markup() {
        let markers = [marker(50.0, 36.2, "shelling", 1, "<script>alert(1)</script>\"&")];
        let svg = render_svg(&markers, &[], &MapStyle { title: "<b onload=x>".into(), width: 0.0, ..MapStyle::default() });
        assert!(!svg.contains("<script") && !svg.contains("<b "));
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;"));
    }

    #[test]
    fn the_control_layer_colours_settlements_rings_changes_and_marks_disputes() {
        let mark = |lat: f64, lon: f64, name: &str, state: ControlState, changed_to: Option<sitrep_read::Side>, disputed: bool| ControlMark {
            lat,
            lon,
            name: name.into(),
            state,
            disputed,
            changed_to,
        };
        let control = [
            mark(49.21, 37.25, "Izium", ControlState::Ukraine, Some(sitrep_read::Side::Ukraine), false),
            mark(49.71, 37.61, "Kupiansk", ControlState::Contested, None, true),
            mark(49.46, 36.86, "<Balakliia>", ControlState::Russia, None, false),
        ];
        let style = MapStyle { title: "control".into(), width: 800.0, control_caption: "held on 2022-09-10".into() };
        let svg = render_svg(&[marker(49.5, 37.0, "battle", 1, "Shevchenkove")], &control, &style);
        assert_eq!(svg.matches("class=\"settlement\"").count(), 3);
        assert_eq!(svg.matches("class=\"change\"").count(), 1, "only Izium changed hands");
        assert!(svg.contains(&format!("r=\"9\" fill=\"none\" stroke=\"{}\"", state_colour(ControlState::Ukraine))), "the ring has the taker's colour");
        assert!(svg.contains(&format!("fill=\"{}\" stroke=\"#000\"", state_colour(ControlState::Contested))), "the disputed one is outlined");
        assert!(svg.contains("&lt;Balakliia&gt;: RU") && !svg.contains("<Balakliia>"));
        assert!(svg.contains(">held on 2022-09-10</text>") && svg.contains(">held by Russia</text>"));
        assert!(svg.find("class=\"settlement\"") < svg.find("class=\"event\""), "events are drawn over the layer");
        let without = render_svg(&[marker(49.5, 37.0, "battle", 1, "Shevchenkove")], &[], &style);
        assert!(!without.contains("class=\"settlement\"") && !without.contains("held on"), "no layer, no legend for it");
    }

    #[test]
    fn more_sources_draw_a_bigger_marker() {
        assert!(marker_radius(4) > marker_radius(1));
        assert_eq!(marker_radius(0), marker_radius(1));
    }
}
