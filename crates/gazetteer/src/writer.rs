//! Writing an index: used by the index builder and by tests that need a small gazetteer.

use sitrep_text::key_for_name;

use crate::{
    format::{self, Header, MatchFlags, PlaceRecord, Section, StrRef},
    Feature,
};

/// Everything the index stores about one place.
#[derive(Debug, Clone)]
pub struct PlaceSpec {
    /// GeoNames id, 0 for supplement entries.
    pub geonameid: u32,
    /// Representative point.
    pub lat: f64,
    /// Representative point.
    pub lon: f64,
    /// Population, 0 when unknown.
    pub population: u64,
    /// Preferred name.
    pub name: String,
    /// Other spellings (each also indexed).
    pub alternates: Vec<String>,
    /// ISO code, GeoNames admin code or supplement slug.
    pub code: String,
    /// Index of the country place.
    pub country: Option<u32>,
    /// Index of the first-level subdivision.
    pub admin1: Option<u32>,
    /// Index of the second-level subdivision.
    pub admin2: Option<u32>,
    /// Index of the third-level subdivision (hromada).
    pub admin3: Option<u32>,
    /// `[min_lat, min_lon, max_lat, max_lon]`.
    pub bbox: Option<[f64; 4]>,
    /// Vertices of a line feature.
    pub line: Vec<(f64, f64)>,
    /// Feature class.
    pub feature: Feature,
}

impl PlaceSpec {
    /// A place with a name, class and point, and nothing else yet.
    pub fn new(name: &str, feature: Feature, lat: f64, lon: f64) -> PlaceSpec {
        PlaceSpec {
            geonameid: 0,
            lat,
            lon,
            population: 0,
            name: name.to_owned(),
            alternates: Vec::new(),
            code: String::new(),
            country: None,
            admin1: None,
            admin2: None,
            admin3: None,
            bbox: None,
            line: Vec::new(),
            feature,
        }
    }
}

/// Collects places and writes them as an index file image.
#[derive(Default)]
pub struct IndexWriter {
    places: Vec<PlaceSpec>,
}

impl IndexWriter {
    /// An empty writer.
    pub fn new() -> IndexWriter {
        IndexWriter::default()
    }

    /// Adds a place; its preferred name and alternates are indexed. Returns its index.
    ///
    /// # Panics
    /// When more than [`format::MAX_PLACES`] places are added.
    pub fn add(&mut self, place: PlaceSpec) -> u32 {
        assert!(self.places.len() < format::MAX_PLACES, "too many places for the index format");
        self.places.push(place);
        (self.places.len() - 1) as u32
    }

    /// The place added as `index`, to fill in what was learnt later (bbox, population).
    pub fn get_mut(&mut self, index: u32) -> &mut PlaceSpec {
        &mut self.places[index as usize]
    }

    /// Number of places added so far.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// True when no place was added.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Writes the index image, exact-name table included.
    pub fn finish(self) -> Vec<u8> {
        let mut strings = Vec::new();
        let mut push_str = |s: &str| {
            let r = StrRef { offset: strings.len() as u32, len: s.len() as u32 };
            strings.extend_from_slice(s.as_bytes());
            r
        };
        let mut points: Vec<[f32; 2]> = Vec::new();
        let mut records = Vec::with_capacity(self.places.len());
        // (key, place, flags) for every spelling.
        let mut names: Vec<(String, u32, u8)> = Vec::new();
        for (i, p) in self.places.iter().enumerate() {
            let link = |l: Option<u32>| l.unwrap_or(format::NONE);
            let line_start = points.len() as u32;
            points.extend(p.line.iter().take(usize::from(u16::MAX)).map(|&(a, b)| [a as f32, b as f32]));
            records.push(PlaceRecord {
                geonameid: p.geonameid,
                lat: p.lat as f32,
                lon: p.lon as f32,
                population: p.population.min(u64::from(u32::MAX)) as u32,
                name: push_str(&p.name),
                alternates: push_str(&p.alternates.join("|")),
                code: push_str(&p.code),
                country: link(p.country),
                admin1: link(p.admin1),
                admin2: link(p.admin2),
                admin3: link(p.admin3),
                bbox: p.bbox.map(|b| b.map(|v| v as f32)).unwrap_or_default(),
                line_start,
                line_len: p.line.len().min(usize::from(u16::MAX)) as u16,
                feature: p.feature as u8,
                reserved: 0,
            });
            let spellings = std::iter::once((&p.name, false)).chain(p.alternates.iter().map(|a| (a, true)));
            for (spelling, alternate) in spellings {
                let (key, qualifier) = key_for_name(spelling);
                if key.is_empty() || key.len() > 200 {
                    continue;
                }
                let mut flags = if qualifier.is_some() { MatchFlags::QUALIFIED } else { MatchFlags::BARE };
                if alternate {
                    flags |= MatchFlags::ALTERNATE;
                }
                names.push((key, i as u32, flags));
            }
        }
        names.sort_unstable();
        let mut postings: Vec<u32> = Vec::new();
        let mut keys = fst::MapBuilder::memory();
        let mut i = 0;
        while i < names.len() {
            let key = &names[i].0;
            let mut j = i;
            let run_start = postings.len();
            postings.push(0);
            while j < names.len() && names[j].0 == *key {
                // One entry per place, its spellings' flags merged.
                let place = names[j].1;
                let mut flags = MatchFlags(names[j].2);
                while j < names.len() && names[j].0 == *key && names[j].1 == place {
                    flags = flags.merge(MatchFlags(names[j].2));
                    j += 1;
                }
                postings.push(format::pack_entry(place, flags));
            }
            postings[run_start] = (postings.len() - run_start - 1) as u32;
            keys.insert(key, run_start as u64).expect("keys are inserted sorted and unique");
            i = j;
        }
        let keys = keys.into_inner().expect("an in-memory fst cannot fail to finish");

        let mut out = vec![0u8; std::mem::size_of::<Header>()];
        let mut append = |bytes: &[u8]| {
            while !out.len().is_multiple_of(8) {
                out.push(0);
            }
            let section = Section { offset: out.len() as u64, len: bytes.len() as u64 };
            out.extend_from_slice(bytes);
            section
        };
        let header = Header {
            magic: format::MAGIC,
            version: format::VERSION,
            place_count: records.len() as u32,
            places: append(bytemuck::cast_slice(&records)),
            strings: append(&strings),
            postings: append(bytemuck::cast_slice(&postings)),
            points: append(bytemuck::cast_slice(&points)),
            keys: append(&keys),
            exact: Section::default(),
        };
        let end = out.len() as u64;
        let header = Header { exact: Section { offset: end, len: 0 }, ..header };
        out[..std::mem::size_of::<Header>()].copy_from_slice(bytemuck::bytes_of(&header));
        crate::exact::with_table(out)
    }
}
