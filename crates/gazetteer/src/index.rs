//! Opening an index and reading places out of it.

use std::{fs::File, path::Path, sync::Arc};

use crate::{
    exact,
    format::{self, Header, MatchFlags, PlaceRecord, StrRef},
    Feature, LatLon,
};

/// Why an index could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The file could not be read or mapped.
    #[error("cannot read gazetteer index {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// This binary was built without an index.
    #[error("this build has no embedded gazetteer; run scripts/build-gazetteer.sh, or set SITREP_GAZETTEER to an index file")]
    NoEmbedded,
    /// The bytes are not a valid index.
    #[error("not a valid sitrep gazetteer index: {0}")]
    Corrupt(String),
}

/// The bytes behind an index: embedded in the executable, memory-mapped, or owned.
#[derive(Clone)]
enum Storage {
    Static(&'static [u8]),
    Mapped(Arc<memmap2::Mmap>),
    /// `u64` words keep owned bytes 8-byte aligned, as the records need.
    Owned(Arc<[u64]>),
}

/// A window into [`Storage`]; lets `fst::Map` own its section without copying.
#[derive(Clone)]
struct Bytes {
    storage: Storage,
    start: usize,
    end: usize,
}

impl AsRef<[u8]> for Bytes {
    #[inline]
    fn as_ref(&self) -> &[u8] {
        let all: &[u8] = match &self.storage {
            Storage::Static(b) => b,
            Storage::Mapped(m) => m,
            Storage::Owned(words) => bytemuck::cast_slice(words),
        };
        &all[self.start..self.end]
    }
}

/// An opened gazetteer index. Cheap to share by reference across threads.
pub struct Gazetteer {
    bytes: Bytes,
    header: Header,
    keys: fst::Map<Bytes>,
    /// The exact-name section's filter and table (both empty when the index has no usable
    /// table).
    exact_filter: format::Section,
    exact_table: format::Section,
}

#[repr(C, align(16))]
struct Aligned<B: ?Sized>(B);

/// How much of an index is checked when it is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// The header and the sections' bounds: for the embedded index, checked in full when built.
    Layout,
    /// Everything: the name keys' checksum and every place record (its strings in the pool and
    /// UTF-8, its references, its feature and its coordinates).
    All,
}

static EMBEDDED: &Aligned<[u8]> = &Aligned(*include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer.idx")));

impl Gazetteer {
    /// Opens the index compiled into this binary.
    pub fn embedded() -> Result<Gazetteer, OpenError> {
        if EMBEDDED.0.is_empty() {
            return Err(OpenError::NoEmbedded);
        }
        // Checked in full when it was built (the builder opens what it writes with
        // `from_bytes`) and by this crate's test `the_embedded_index_passes_every_check`: it is
        // the executable's own read-only data, so it is not checked again at every start
        // (checking every place record's strings was nearly all of a `sitrep where`).
        Gazetteer::from_storage(Storage::Static(&EMBEDDED.0), EMBEDDED.0.len(), Check::Layout)
    }

    /// Opens the index named by `SITREP_GAZETTEER` if set, else the embedded one.
    pub fn open_default() -> Result<Gazetteer, OpenError> {
        match std::env::var_os("SITREP_GAZETTEER") {
            Some(path) if !path.is_empty() => Gazetteer::open(Path::new(&path)),
            _ => Gazetteer::embedded(),
        }
    }

    /// Memory-maps an index file.
    pub fn open(path: &Path) -> Result<Gazetteer, OpenError> {
        let io = |source| OpenError::Io { path: path.display().to_string(), source };
        let file = File::open(path).map_err(io)?;
        // SAFETY: the map is read-only; an index file is replaced, never edited in place, by
        // the build script. Every section is validated before use.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
        let len = map.len();
        Gazetteer::from_storage(Storage::Mapped(Arc::new(map)), len, Check::All)
    }

    /// Opens an index held in memory (as written by [`crate::IndexWriter`]).
    pub fn from_bytes(bytes: &[u8]) -> Result<Gazetteer, OpenError> {
        let mut words = vec![0u64; bytes.len().div_ceil(8)];
        bytemuck::cast_slice_mut::<u64, u8>(&mut words)[..bytes.len()].copy_from_slice(bytes);
        Gazetteer::from_storage(Storage::Owned(words.into()), bytes.len(), Check::All)
    }

    /// Opens `len` bytes of `storage` as an index, checked as `check` says, so that a damaged
    /// file is refused instead of misread.
    fn from_storage(storage: Storage, len: usize, check: Check) -> Result<Gazetteer, OpenError> {
        let bytes = Bytes { storage, start: 0, end: len };
        let header = read_header(bytes.as_ref())?;
        let section = |s: format::Section| Bytes { start: s.offset as usize, end: (s.offset + s.len) as usize, ..bytes.clone() };
        let keys = fst::Map::new(section(header.keys)).map_err(|e| OpenError::Corrupt(format!("name keys: {e}")))?;
        if check == Check::All {
            keys.as_fst().verify().map_err(|e| OpenError::Corrupt(format!("name keys: {e}")))?;
        }
        let none = format::Section { offset: 0, len: 0 };
        let mut gaz = Gazetteer { bytes, header, keys, exact_filter: none, exact_table: none };
        if check == Check::All {
            gaz.validate_places()?;
        }
        // A section of another layout (an index written by an older build) is ignored: the key
        // map answers in its place.
        let section = gaz.section(gaz.header.exact);
        if let Some((filter, table)) = exact::split(section) {
            if sitrep_text::table::find(table, exact::VERSION_KEY) == Some(exact::TABLE_VERSION) {
                let offset = |part: &[u8]| gaz.header.exact.offset + (part.as_ptr() as usize - section.as_ptr() as usize) as u64;
                let (filter, table) =
                    (format::Section { offset: offset(filter), len: filter.len() as u64 }, format::Section { offset: offset(table), len: table.len() as u64 });
                (gaz.exact_filter, gaz.exact_table) = (filter, table);
            }
        }
        Ok(gaz)
    }

    #[inline]
    fn section(&self, s: format::Section) -> &[u8] {
        &self.bytes.as_ref()[s.offset as usize..(s.offset + s.len) as usize]
    }

    #[inline]
    fn records(&self) -> &[PlaceRecord] {
        bytemuck::cast_slice(self.section(self.header.places))
    }

    fn strings(&self) -> &[u8] {
        self.section(self.header.strings)
    }

    #[inline]
    fn postings(&self) -> &[u32] {
        bytemuck::cast_slice(self.section(self.header.postings))
    }

    fn points(&self) -> &[[f32; 2]] {
        bytemuck::cast_slice(self.section(self.header.points))
    }

    /// A record's string. Called for names on every mention and every place written out, so
    /// it does not check the UTF-8 again.
    fn str_at(&self, r: StrRef) -> &str {
        let s = &self.strings()[r.offset as usize..(r.offset + r.len) as usize];
        // SAFETY: `str_at` is only given the `StrRef`s of place records, and `validate_places`
        // checked at open that each of them lies in the pool and is UTF-8 (for the embedded
        // index, when it was built and in the test `the_embedded_index_passes_every_check`);
        // the bytes never change after (see `open`).
        unsafe { std::str::from_utf8_unchecked(s) }
    }

    fn validate_places(&self) -> Result<(), OpenError> {
        let count = self.len() as u32;
        let pool = self.strings().len() as u64;
        let points = self.points().len() as u64;
        // The pool is checked as UTF-8 once, and each string then needs only to start and end
        // on a character's boundary (a pool of another make is checked string by string).
        let whole = std::str::from_utf8(self.strings()).ok();
        let str_ok = |r: StrRef| {
            let (start, end) = (r.offset as usize, r.offset as usize + r.len as usize);
            u64::from(r.offset) + u64::from(r.len) <= pool
                && match whole {
                    Some(text) => text.is_char_boundary(start) && text.is_char_boundary(end),
                    None => std::str::from_utf8(&self.strings()[start..end]).is_ok(),
                }
        };
        let ref_ok = |i: u32| i == format::NONE || i < count;
        for (i, r) in self.records().iter().enumerate() {
            let ok = str_ok(r.name)
                && str_ok(r.alternates)
                && str_ok(r.code)
                && ref_ok(r.country)
                && ref_ok(r.admin1)
                && ref_ok(r.admin2)
                && ref_ok(r.admin3)
                && Feature::from_code(r.feature).is_some()
                && u64::from(r.line_start) + u64::from(r.line_len) <= points
                && r.lat.is_finite()
                && r.lon.is_finite();
            if !ok {
                return Err(OpenError::Corrupt(format!("place record {i} is malformed")));
            }
        }
        Ok(())
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.header.place_count as usize
    }

    /// True when the index holds no place.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The place at `index` (`0..len()`).
    ///
    /// # Panics
    /// When `index` is out of range.
    #[inline]
    pub fn place(&self, index: u32) -> Place<'_> {
        Place { gaz: self, index, rec: &self.records()[index as usize] }
    }

    /// Iterates over every place.
    pub fn places(&self) -> impl Iterator<Item = Place<'_>> + '_ {
        (0..self.len() as u32).map(|i| self.place(i))
    }

    /// Every place whose folded name is exactly `key` (see [`sitrep_text::fold`]).
    pub fn lookup_key(&self, key: &str) -> Matches<'_> {
        match self.key_value(key) {
            Some(pos) => self.matches_at(pos),
            None => Matches { entries: &[], count: 0 },
        }
    }

    /// The value [`Gazetteer::keys`] maps `key` to, found in one probe of the exact-name table
    /// (pass it to [`Gazetteer::matches_for_value`]).
    #[inline]
    pub fn key_value(&self, key: &str) -> Option<u64> {
        self.key_probe(key).value
    }

    /// [`Gazetteer::key_value`], whether some longer name starts with `key` and a space (where
    /// none does, a reader of running text need not read on into the next word), and
    /// the [`NameSummary`] of its places. All three come from one probe of the exact-name
    /// table; an index without one answers from the key map and the places.
    #[inline]
    pub fn key_probe(&self, key: &str) -> KeyProbe {
        if self.exact_table.len == 0 || key.is_empty() {
            let value = self.keys.get(key);
            return KeyProbe { value, continued: true, summary: value.map_or(NameSummary::default(), |v| self.summary_for_value(v)) };
        }
        match self.exact_entry(sitrep_text::table::key_hash(key.as_bytes())) {
            Some(v) => KeyProbe {
                value: (v & exact::NO_PLACES == 0).then_some(v & exact::POSITION),
                continued: v & exact::CONTINUED != 0,
                summary: NameSummary((v >> exact::SUMMARY_SHIFT) as u16 & NameSummary::MASK),
            },
            None => KeyProbe { value: None, continued: false, summary: NameSummary::default() },
        }
    }

    /// The exact-name table's entry for a key's hash. The filter answers for most stretches of
    /// text that name nothing.
    #[inline]
    fn exact_entry(&self, h: u64) -> Option<u64> {
        let admitted = sitrep_text::table::filter_admits(self.section(self.exact_filter), h);
        admitted.then(|| sitrep_text::table::find_hashed(self.section(self.exact_table), h)).flatten()
    }

    /// Calls `found` with the value (as [`Gazetteer::key_value`] gives it) of every name one
    /// edit away from the folded `key`: a character taken out, a letter a-z put in or put
    /// for another, or two neighbouring characters swapped ("Donestk" for Donetsk). The edits
    /// are hashed on from the hash of the key's prefix and never written out, so a word costs
    /// some fifty probes of the exact-name table per character and no allocation. An edit
    /// reached two ways is reported twice.
    pub fn for_each_one_edit_away(&self, key: &str, mut found: impl FnMut(u64)) {
        use sitrep_text::table::KeyHasher;
        if self.exact_table.len == 0 {
            one_edit_away_written(key, |v| {
                if let Some(value) = self.keys.get(v) {
                    found(value);
                }
            });
            return;
        }
        let bytes = key.as_bytes();
        let mut probe = |h: KeyHasher| {
            if let Some(v) = self.exact_entry(h.finish()).filter(|v| v & exact::NO_PLACES == 0) {
                found(v & exact::POSITION);
            }
        };
        let mut prefix = KeyHasher::default();
        let mut at = 0;
        loop {
            let next = key[at..].chars().next().map_or(at, |c| at + c.len_utf8());
            // Taking out the only character leaves the empty key, which names nothing (the
            // table keeps its version under it).
            if next > at && bytes.len() > next - at {
                probe(prefix.write(&bytes[next..]));
            }
            for letter in b'a'..=b'z' {
                let with = prefix.write(&[letter]);
                probe(with.write(&bytes[at..]));
                if next > at && !(next == at + 1 && bytes[at] == letter) {
                    probe(with.write(&bytes[next..]));
                }
            }
            if next == at {
                break;
            }
            // The character at `at` and the one after it swapped, when they differ.
            let after = key[next..].chars().next().map_or(next, |c| next + c.len_utf8());
            if after > next && bytes[at..next] != bytes[next..after] {
                probe(prefix.write(&bytes[next..after]).write(&bytes[at..next]).write(&bytes[after..]));
            }
            prefix = prefix.write(&bytes[at..next]);
            at = next;
        }
    }

    /// The [`NameSummary`] of the places behind a value taken from [`Gazetteer::keys`], read
    /// from the places themselves (what the exact-name table stores for every name).
    pub fn summary_for_value(&self, value: u64) -> NameSummary {
        let places = self.matches_for_value(value).map(|(i, flags)| {
            let record = &self.records()[i as usize];
            (record.feature, record.population, flags)
        });
        NameSummary(exact::summary_bits(places))
    }

    /// Every place with the name `name` (folded; `buf` is scratch space reused across calls,
    /// so a hot loop allocates nothing).
    pub fn lookup<'g>(&'g self, name: &str, buf: &mut String) -> Matches<'g> {
        buf.clear();
        sitrep_text::fold(name, buf);
        self.lookup_key(buf)
    }

    /// The postings run at `pos`, clamped to the postings section.
    #[inline]
    pub(crate) fn matches_at(&self, pos: u64) -> Matches<'_> {
        let postings = self.postings();
        let pos = pos as usize;
        let Some(&n) = postings.get(pos) else {
            return Matches { entries: &[], count: 0 };
        };
        let end = (pos + 1 + n as usize).min(postings.len());
        Matches { entries: &postings[pos + 1..end], count: self.header.place_count }
    }

    /// The name keys as an `fst` map from folded name to postings position, for automata
    /// (fuzzy search, text scanning). Pass a value to [`Gazetteer::matches_for_value`].
    pub fn keys(&self) -> &fst::Map<impl AsRef<[u8]>> {
        &self.keys
    }

    /// The places behind a value taken from [`Gazetteer::keys`].
    #[inline]
    pub fn matches_for_value(&self, value: u64) -> Matches<'_> {
        self.matches_at(value)
    }
}

/// Calls `probe` with every key one edit from `key`, as [`Gazetteer::for_each_one_edit_away`]
/// makes them, each written out (for an index without the exact-name table).
fn one_edit_away_written(key: &str, mut probe: impl FnMut(&str)) {
    let mut variant = String::with_capacity(key.len() + 1);
    let bounds: Vec<usize> = key.char_indices().map(|(b, _)| b).chain([key.len()]).collect();
    for (i, &at) in bounds.iter().enumerate() {
        let next = bounds.get(i + 1).copied();
        let mut edit = |middle: &str, rest: usize| {
            variant.clear();
            variant.push_str(&key[..at]);
            variant.push_str(middle);
            variant.push_str(&key[rest..]);
            probe(&variant);
        };
        if let Some(next) = next {
            edit("", next);
            if let Some(&after) = bounds.get(i + 2).filter(|_| key[at..next] != key[next..bounds[i + 2]]) {
                let swapped = format!("{}{}", &key[next..after], &key[at..next]);
                edit(&swapped, after);
            }
        }
        for letter in 'a'..='z' {
            let mut buf = [0u8; 4];
            let letter = letter.encode_utf8(&mut buf);
            edit(letter, at);
            if next.is_some_and(|n| &key[at..n] != letter) {
                edit(letter, next.unwrap_or(at));
            }
        }
    }
}

fn read_header(bytes: &[u8]) -> Result<Header, OpenError> {
    let size = std::mem::size_of::<Header>();
    let corrupt = |m: &str| Err(OpenError::Corrupt(m.to_owned()));
    if bytes.len() < size {
        return corrupt("file is shorter than the header");
    }
    let header: Header = bytemuck::pod_read_unaligned(&bytes[..size]);
    if header.magic != format::MAGIC {
        return corrupt("bad magic number");
    }
    if header.version != format::VERSION {
        return Err(OpenError::Corrupt(format!("format version {} (this build reads {})", header.version, format::VERSION)));
    }
    let sections = [(header.places, 1usize), (header.strings, 1), (header.postings, 4), (header.points, 8), (header.keys, 1), (header.exact, 16)];
    for (s, unit) in sections {
        let end = s.offset.checked_add(s.len);
        if (s.len > 0 && s.offset % 8 != 0) || end.is_none_or(|e| e > bytes.len() as u64) || !(s.len as usize).is_multiple_of(unit) {
            return corrupt("a section lies outside the file or is misaligned");
        }
    }
    let record = std::mem::size_of::<PlaceRecord>() as u64;
    if header.places.len != u64::from(header.place_count) * record {
        return corrupt("place count does not match the places section");
    }
    Ok(header)
}

/// What one probe of the exact-name table says of a folded name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyProbe {
    /// The name's value (see [`Gazetteer::key_value`]), if places have the name.
    pub value: Option<u64>,
    /// Some longer name starts with this one and a space.
    pub continued: bool,
    /// What the places with the name are (all false when no place has it).
    pub summary: NameSummary,
}

/// What the places that share a name are, known without opening them: their feature
/// classes, whether one is a large city, whether the name is only ever an alternate spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NameSummary(u16);

impl NameSummary {
    const MASK: u16 = (1 << 14) - 1;

    /// Some place with the name is of feature class `feature`.
    #[inline]
    pub fn has(self, feature: Feature) -> bool {
        self.0 & (1 << (feature as u8 - 1)) != 0
    }

    /// Some place with the name is a country, a first-level subdivision or a named region.
    #[inline]
    pub fn names_area(self) -> bool {
        self.has(Feature::Country) || self.has(Feature::Admin1) || self.has(Feature::Region)
    }

    /// Some place with the name is a city of 100,000 people or more.
    #[inline]
    pub fn has_large_city(self) -> bool {
        self.0 & exact::SUMMARY_LARGE_CITY != 0
    }

    /// No place has the name as its preferred spelling, only as an alternate.
    #[inline]
    pub fn alternate_only(self) -> bool {
        self.0 & exact::SUMMARY_ALTERNATE_ONLY != 0
    }
}

/// The places that share one name key, with how the name relates to each.
#[derive(Clone)]
pub struct Matches<'g> {
    entries: &'g [u32],
    count: u32,
}

impl Iterator for Matches<'_> {
    type Item = (u32, MatchFlags);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (&first, rest) = self.entries.split_first()?;
            self.entries = rest;
            let (place, flags) = format::unpack_entry(first);
            if place < self.count {
                return Some((place, flags));
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.entries.len()))
    }
}

/// A view of one place in a [`Gazetteer`].
#[derive(Clone, Copy)]
pub struct Place<'g> {
    gaz: &'g Gazetteer,
    index: u32,
    rec: &'g PlaceRecord,
}

impl<'g> Place<'g> {
    /// Position in the index (stable only within one index file).
    #[inline]
    pub fn index(&self) -> u32 {
        self.index
    }
    /// GeoNames id, `None` for supplement entries.
    pub fn geonameid(&self) -> Option<u32> {
        (self.rec.geonameid != 0).then_some(self.rec.geonameid)
    }
    /// A stable identifier: `geonames:ID` or `sitrep:SLUG` for supplement entries.
    pub fn id(&self) -> String {
        match self.geonameid() {
            Some(id) => format!("geonames:{id}"),
            None => format!("sitrep:{}", self.code()),
        }
    }
    /// Preferred name.
    pub fn name(&self) -> &'g str {
        self.gaz.str_at(self.rec.name)
    }
    /// Other spellings.
    pub fn alternates(&self) -> impl Iterator<Item = &'g str> + 'g {
        self.gaz.str_at(self.rec.alternates).split('|').filter(|s| !s.is_empty())
    }
    /// ISO code, GeoNames admin code or supplement slug.
    pub fn code(&self) -> &'g str {
        self.gaz.str_at(self.rec.code)
    }
    /// Feature class.
    #[inline]
    pub fn feature(&self) -> Feature {
        Feature::from_code(self.rec.feature).unwrap_or(Feature::City)
    }
    /// Representative point.
    #[inline]
    pub fn point(&self) -> LatLon {
        LatLon::new(f64::from(self.rec.lat), f64::from(self.rec.lon))
    }
    /// Population; for areas the summed population of their towns; 0 when unknown.
    #[inline]
    pub fn population(&self) -> u64 {
        u64::from(self.rec.population)
    }
    /// Bounding box `[min_lat, min_lon, max_lat, max_lon]` when known.
    #[inline]
    pub fn bbox(&self) -> Option<[f64; 4]> {
        let b = self.rec.bbox;
        (b != [0.0; 4]).then(|| b.map(f64::from))
    }
    /// False for an entry the gazetteer knows no location of (a subdivision listed without
    /// coordinates and without a town inside it, such as the United States' entry for Guam):
    /// its point is (0, 0) and it has no bounding box.
    #[inline]
    pub fn is_located(&self) -> bool {
        let p = self.point();
        self.bbox().is_some() || p.lat != 0.0 || p.lon != 0.0
    }
    /// Vertices of a line feature (rivers), empty otherwise.
    pub fn line(&self) -> impl Iterator<Item = LatLon> + 'g {
        let start = self.rec.line_start as usize;
        self.gaz.points()[start..start + usize::from(self.rec.line_len)].iter().map(|p| LatLon::new(f64::from(p[0]), f64::from(p[1])))
    }
    /// A stored link as an index, `None` for the absent link.
    #[inline]
    fn link_index(i: u32) -> Option<u32> {
        (i != format::NONE).then_some(i)
    }
    #[inline]
    fn link(&self, i: u32) -> Option<Place<'g>> {
        Self::link_index(i).map(|i| self.gaz.place(i))
    }
    /// The country this place lies in (a country is not its own country).
    #[inline]
    pub fn country(&self) -> Option<Place<'g>> {
        self.link(self.rec.country)
    }
    /// The first-level subdivision.
    #[inline]
    pub fn admin1(&self) -> Option<Place<'g>> {
        self.link(self.rec.admin1)
    }
    /// The second-level subdivision.
    #[inline]
    pub fn admin2(&self) -> Option<Place<'g>> {
        self.link(self.rec.admin2)
    }
    /// The third-level subdivision (a Ukrainian hromada, from the KATOTTG codifier).
    #[inline]
    pub fn admin3(&self) -> Option<Place<'g>> {
        self.link(self.rec.admin3)
    }
    /// The index of [`Place::country`], without reading that place.
    #[inline]
    pub fn country_index(&self) -> Option<u32> {
        Self::link_index(self.rec.country)
    }
    /// The index of [`Place::admin1`], without reading that place.
    #[inline]
    pub fn admin1_index(&self) -> Option<u32> {
        Self::link_index(self.rec.admin1)
    }
    /// The index of [`Place::admin2`], without reading that place.
    #[inline]
    pub fn admin2_index(&self) -> Option<u32> {
        Self::link_index(self.rec.admin2)
    }
    /// The index of [`Place::admin3`], without reading that place.
    #[inline]
    pub fn admin3_index(&self) -> Option<u32> {
        Self::link_index(self.rec.admin3)
    }
    /// ISO 3166 alpha-2 code of the country ("UA"), or of itself for a country.
    pub fn country_code(&self) -> &'g str {
        if self.feature() == Feature::Country {
            return self.code();
        }
        self.country().map(|c| c.code()).unwrap_or("")
    }
    /// A readable name: for an oblast stored as "Kharkivska oblast", its English form
    /// "Kharkiv Oblast" when the data has one.
    pub fn display_name(&self) -> &'g str {
        let name = self.name();
        if matches!(self.feature(), Feature::Admin1 | Feature::Admin2) && name.ends_with(" oblast") {
            if let Some(english) = self.alternates().find(|a| a.is_ascii() && a.ends_with(" Oblast")) {
                return english;
            }
        }
        name
    }
}

impl std::fmt::Debug for Place<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}, {})", self.name(), self.feature(), self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Feature, IndexWriter, PlaceSpec};

    #[test]
    fn the_embedded_index_passes_every_check() {
        assert!(!EMBEDDED.0.is_empty(), "a gazetteer index is committed (crates/gazetteer/data)");
        let gaz = Gazetteer::from_storage(Storage::Static(&EMBEDDED.0), EMBEDDED.0.len(), Check::All).expect("the embedded index is sound");
        assert!(gaz.len() > 100_000, "{} places", gaz.len());
    }

    #[test]
    fn a_name_that_starts_inside_a_character_is_refused() {
        let mut w = IndexWriter::new();
        w.add(PlaceSpec::new("Žytomyr", Feature::City, 50.25, 28.66));
        let mut bytes = w.finish();
        assert!(Gazetteer::from_bytes(&bytes).is_ok());
        // The one record's name moved one byte on, into its first character.
        let header = read_header(&bytes).unwrap();
        let (at, size) = (header.places.offset as usize, std::mem::size_of::<PlaceRecord>());
        let mut record: PlaceRecord = bytemuck::pod_read_unaligned(&bytes[at..at + size]);
        (record.name.offset, record.name.len) = (record.name.offset + 1, record.name.len - 1);
        bytes[at..at + size].copy_from_slice(bytemuck::bytes_of(&record));
        assert!(matches!(Gazetteer::from_bytes(&bytes), Err(OpenError::Corrupt(_))));
    }
}
