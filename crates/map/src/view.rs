//! The projection every sitrep map uses: equirectangular, with longitudes shrunk by the cosine
//! of the view's middle latitude so that shapes look right near it. Simple enough for the web
//! page to repeat exactly (`crates/serve/web/app.js`).

use serde::Serialize;

/// The least a map spans, in degrees of latitude and longitude: enough to show the towns and
/// borders around a single event.
pub const MIN_SPAN_DEG: f64 = 4.0;

/// A part of the world drawn on a canvas `width` × `height` pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct View {
    /// `[min_lat, min_lon, max_lat, max_lon]` in degrees.
    pub bbox: [f64; 4],
    /// Canvas width in pixels.
    pub width: f64,
    /// Canvas height in pixels.
    pub height: f64,
}

impl View {
    /// A view `width` pixels wide of the smallest box holding `points` (`(lat, lon)`), with a
    /// margin of a fifth of its size on every side (at least `min_span` degrees across), or of
    /// the whole world when there are no points.
    pub fn around(points: impl IntoIterator<Item = (f64, f64)>, width: f64, min_span: f64) -> View {
        let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for (lat, lon) in points {
            if lat.is_finite() && lon.is_finite() {
                b = [b[0].min(lat), b[1].min(lon), b[2].max(lat), b[3].max(lon)];
            }
        }
        if !b[0].is_finite() {
            return View::of([-60.0, -180.0, 80.0, 180.0], width);
        }
        let pad = |lo: f64, hi: f64| ((hi - lo) * 0.2).max((min_span - (hi - lo)) / 2.0).max(0.0);
        let (plat, plon) = (pad(b[0], b[2]), pad(b[1], b[3]));
        View::of([(b[0] - plat).max(-85.0), (b[1] - plon).max(-180.0), (b[2] + plat).min(85.0), (b[3] + plon).min(180.0)], width)
    }

    /// A view of `bbox`, `width` pixels wide.
    pub fn of(bbox: [f64; 4], width: f64) -> View {
        let (lat_span, lon_span) = ((bbox[2] - bbox[0]).max(1e-6), (bbox[3] - bbox[1]).max(1e-6));
        let height = width * lat_span / (lon_span * Self::shrink(bbox));
        View { bbox, width, height: height.clamp(1.0, width * 4.0) }
    }

    fn shrink(bbox: [f64; 4]) -> f64 {
        ((bbox[0] + bbox[2]) / 2.0).to_radians().cos().max(0.1)
    }

    /// Pixels per degree of latitude.
    fn scale(&self) -> f64 {
        self.height / (self.bbox[2] - self.bbox[0]).max(1e-6)
    }

    /// Where a point falls on the canvas, `(x, y)` in pixels.
    pub fn project(&self, lat: f64, lon: f64) -> (f64, f64) {
        let s = self.scale();
        ((lon - self.bbox[1]) * Self::shrink(self.bbox) * s, (self.bbox[2] - lat) * s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_box_corners_fall_on_the_canvas_corners() {
        let v = View::of([48.0, 35.0, 51.0, 39.0], 800.0);
        let (x0, y0) = v.project(51.0, 35.0);
        let (x1, y1) = v.project(48.0, 39.0);
        assert!(x0.abs() < 1e-9 && y0.abs() < 1e-9);
        assert!((x1 - v.width).abs() < 1e-6 && (y1 - v.height).abs() < 1e-6, "{x1} {y1} {v:?}");
        // At 49.5° a degree of longitude is about 0.65 of a degree of latitude.
        assert!((v.height / v.width - 3.0 / (4.0 * 49.5f64.to_radians().cos())).abs() < 1e-9);
    }

    #[test]
    fn a_view_around_points_holds_them_all_with_a_margin() {
        let pts = [(49.2, 37.3), (50.0, 36.2), (49.7, 37.6)];
        let v = View::around(pts, 1000.0, 1.0);
        for (lat, lon) in pts {
            let (x, y) = v.project(lat, lon);
            assert!(x > 0.0 && x < v.width && y > 0.0 && y < v.height, "({lat}, {lon}) at ({x}, {y}) in {v:?}");
        }
        assert!(v.bbox[2] - v.bbox[0] >= 1.0);
        assert_eq!(View::around([], 1000.0, 1.0).bbox, [-60.0, -180.0, 80.0, 180.0]);
    }
}
