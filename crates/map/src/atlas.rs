//! The outlines built into the binary: countries at 1:50m and first-level subdivisions, from
//! Natural Earth (see NOTICE and `scripts/build-atlas.py`). The committed file is decompressed
//! and parsed once, on first use.

use std::{io::Read, sync::OnceLock};

use serde::{Deserialize, Serialize};

static ATLAS_ZST: &[u8] = include_bytes!("../data/atlas.json.zst");

/// One outline: a country or a subdivision, as rings of points.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Outline {
    /// Its name as Natural Earth spells it.
    pub name: String,
    /// For a subdivision, its country's ISO 3166-1 alpha-2 code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Rings in hundredths of a degree, delta-encoded: `[lon0, lat0, dlon1, dlat1, ...]`. A ring
    /// that crosses the antimeridian continues east of 180° rather than jumping to -180°.
    pub rings: Vec<Vec<i32>>,
    /// `[min_lat, min_lon, max_lat, max_lon]` in degrees, worked out on loading.
    #[serde(skip_deserializing)]
    pub bbox: [f64; 4],
}

impl Outline {
    /// The rings as `(lat, lon)` points in degrees.
    pub fn rings(&self) -> impl Iterator<Item = impl Iterator<Item = (f64, f64)> + '_> + '_ {
        self.rings.iter().map(|ring| {
            let (mut lon, mut lat) = (0i32, 0i32);
            ring.chunks_exact(2).map(move |d| {
                lon += d[0];
                lat += d[1];
                (f64::from(lat) / 100.0, f64::from(lon) / 100.0)
            })
        })
    }

    /// True when the outline's box meets `bbox` (`[min_lat, min_lon, max_lat, max_lon]`).
    pub fn meets(&self, bbox: [f64; 4]) -> bool {
        self.bbox[0] <= bbox[2] && self.bbox[2] >= bbox[0] && self.bbox[1] <= bbox[3] && self.bbox[3] >= bbox[1]
    }

    fn with_bbox(mut self) -> Outline {
        let mut b = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
        for ring in self.rings() {
            for (lat, lon) in ring {
                b = [b[0].min(lat), b[1].min(lon), b[2].max(lat), b[3].max(lon)];
            }
        }
        self.bbox = b;
        self
    }
}

/// Every outline sitrep can draw.
#[derive(Debug, Deserialize)]
pub struct Atlas {
    /// Where the outlines come from.
    pub provenance: String,
    /// Countries.
    pub countries: Vec<Outline>,
    /// First-level subdivisions (oblasts, states, provinces).
    pub admin1: Vec<Outline>,
}

impl Atlas {
    /// Countries whose box meets `bbox`.
    pub fn countries_in(&self, bbox: [f64; 4]) -> impl Iterator<Item = &Outline> {
        self.countries.iter().filter(move |o| o.meets(bbox))
    }

    /// Subdivisions whose box meets `bbox`.
    pub fn admin1_in(&self, bbox: [f64; 4]) -> impl Iterator<Item = &Outline> {
        self.admin1.iter().filter(move |o| o.meets(bbox))
    }
}

/// The atlas built into the binary, loaded on first use.
pub fn atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    ATLAS.get_or_init(|| {
        // The committed file is checked by this crate's tests: failing here is a build defect.
        let mut json = Vec::new();
        let mut decoder = ruzstd::decoding::StreamingDecoder::new(ATLAS_ZST).expect("the built-in atlas is a zstd frame");
        decoder.read_to_end(&mut json).expect("the built-in atlas decompresses");
        let mut atlas: Atlas = serde_json::from_slice(&json).expect("the built-in atlas parses");
        for list in [&mut atlas.countries, &mut atlas.admin1] {
            *list = std::mem::take(list).into_iter().map(Outline::with_bbox).collect();
        }
        atlas
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_atlas_holds_countries_and_ukrainian_oblasts() {
        let a = atlas();
        assert!(a.countries.len() > 200, "{} countries", a.countries.len());
        let ukraine = a.countries.iter().find(|c| c.name == "Ukraine").expect("Ukraine is drawn");
        // Kharkiv (50.0 N, 36.2 E) lies inside Ukraine's box; Lisbon does not.
        assert!(ukraine.meets([49.9, 36.1, 50.1, 36.3]));
        assert!(!ukraine.meets([38.6, -9.2, 38.8, -9.0]));
        let oblasts: Vec<&str> = a.admin1.iter().filter(|o| o.country.as_deref() == Some("UA")).map(|o| o.name.as_str()).collect();
        assert!(oblasts.len() >= 24, "{oblasts:?}");
        assert!(oblasts.contains(&"Kharkiv"), "{oblasts:?}");
    }

    #[test]
    fn rings_decode_to_closed_outlines_in_range() {
        for o in atlas().countries.iter().chain(&atlas().admin1) {
            for ring in o.rings() {
                let pts: Vec<(f64, f64)> = ring.collect();
                assert!(pts.len() >= 4, "{}: a ring of {} points", o.name, pts.len());
                for (lat, lon) in &pts {
                    assert!((-90.0..=90.0).contains(lat) && (-180.0..=360.0).contains(lon), "{}: ({lat}, {lon})", o.name);
                }
            }
        }
    }
}
