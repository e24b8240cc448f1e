//! The on-disk layout of a gazetteer index.
//!
//! One file, little-endian, every section 8-byte aligned:
//!
//! ```text
//! Header | places: [PlaceRecord] | strings: UTF-8 | postings: [u32] | points: [[f32; 2]] | keys: fst::Map | exact
//! ```
//!
//! `exact` (see the `exact` module) is derived from `keys` and may be empty: the committed,
//! compressed index leaves it out and the build script appends it.
//!
//! `keys` maps every folded name (see `sitrep_text::fold`) to the position in `postings` of a
//! run `[n, entry_1 .. entry_n]`; each entry is a place index in its low 24 bits and
//! [`MatchFlags`] in its high 8 bits. Records are `#[repr(C)]` plain data, read in place with
//! `bytemuck`, so opening an index parses nothing.

use bytemuck::{Pod, Zeroable};

#[cfg(doc)]
use crate::Feature;

/// The first eight bytes of every index file.
pub const MAGIC: [u8; 8] = *b"SITREPGZ";
/// Bumped whenever the layout changes; readers refuse other versions.
pub const VERSION: u32 = 3;
/// Marks an absent place reference (`country`, `admin1`, `admin2`, `admin3`).
pub const NONE: u32 = u32::MAX;
/// Place indices must fit in the low 24 bits of a postings entry.
pub const MAX_PLACES: usize = 1 << 24;

/// A byte range inside the index file.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, Pod, Zeroable)]
pub struct Section {
    /// Offset from the start of the file.
    pub offset: u64,
    /// Length in bytes.
    pub len: u64,
}

/// The fixed-size header at offset 0.
#[repr(C)]
#[derive(Debug, Clone, Copy, Pod, Zeroable)]
pub struct Header {
    /// Always [`MAGIC`].
    pub magic: [u8; 8],
    /// Always [`VERSION`].
    pub version: u32,
    /// Number of [`PlaceRecord`]s.
    pub place_count: u32,
    /// `[PlaceRecord]`.
    pub places: Section,
    /// The string pool.
    pub strings: Section,
    /// `[u32]` postings runs.
    pub postings: Section,
    /// `[[f32; 2]]` (lat, lon) vertices of line features such as rivers.
    pub points: Section,
    /// The `fst::Map` from folded name to postings position.
    pub keys: Section,
    /// The exact-name hash table derived from `keys`; always last in the file; may be empty.
    pub exact: Section,
}

/// A string in the pool.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, Pod, Zeroable)]
pub struct StrRef {
    /// Byte offset into the string pool.
    pub offset: u32,
    /// Length in bytes.
    pub len: u32,
}

/// One place, as stored.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, Pod, Zeroable)]
pub struct PlaceRecord {
    /// GeoNames id, or 0 for supplement entries.
    pub geonameid: u32,
    /// Representative point, degrees.
    pub lat: f32,
    /// Representative point, degrees.
    pub lon: f32,
    /// Population (for areas: the summed population of their towns).
    pub population: u32,
    /// Preferred name.
    pub name: StrRef,
    /// Other spellings, separated by `|`.
    pub alternates: StrRef,
    /// ISO code (countries), GeoNames admin code (`UA.07`), or supplement slug.
    pub code: StrRef,
    /// Index of the country, or [`NONE`].
    pub country: u32,
    /// Index of the first-level subdivision, or [`NONE`].
    pub admin1: u32,
    /// Index of the second-level subdivision, or [`NONE`].
    pub admin2: u32,
    /// Index of the third-level subdivision (a Ukrainian hromada), or [`NONE`].
    pub admin3: u32,
    /// Bounding box `[min_lat, min_lon, max_lat, max_lon]`; all zero when unknown. A box whose
    /// `min_lon` exceeds its `max_lon` crosses the antimeridian.
    pub bbox: [f32; 4],
    /// First vertex in the points section of this feature's line.
    pub line_start: u32,
    /// Number of vertices (0: not a line feature).
    pub line_len: u16,
    /// A [`Feature`] as `u8`.
    pub feature: u8,
    /// Reserved, zero.
    pub reserved: u8,
}

/// How a name in the index relates to the place it points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MatchFlags(pub u8);

impl MatchFlags {
    /// Every spelling under this key is an alternate, none the preferred name.
    pub const ALTERNATE: u8 = 1;
    /// Some spelling under this key carried a type word ("Kharkiv Oblast") that folding stripped.
    pub const QUALIFIED: u8 = 2;
    /// Some spelling under this key had no type word.
    pub const BARE: u8 = 4;

    /// True when the key reaches the place only through alternate spellings.
    #[inline]
    pub fn is_alternate(self) -> bool {
        self.0 & Self::ALTERNATE != 0
    }
    /// True when the place has a spelling with a type word under this key.
    #[inline]
    pub fn has_qualified(self) -> bool {
        self.0 & Self::QUALIFIED != 0
    }
    /// True when the place has a spelling without a type word under this key.
    #[inline]
    pub fn has_bare(self) -> bool {
        self.0 & Self::BARE != 0
    }
    /// Merges the flags of two spellings of one place under one key.
    pub fn merge(self, other: MatchFlags) -> MatchFlags {
        let alternate = self.0 & other.0 & Self::ALTERNATE;
        MatchFlags(alternate | ((self.0 | other.0) & (Self::QUALIFIED | Self::BARE)))
    }
}

/// Packs a place index and its flags into a postings entry.
pub fn pack_entry(place: u32, flags: MatchFlags) -> u32 {
    debug_assert!((place as usize) < MAX_PLACES);
    place | (u32::from(flags.0) << 24)
}

/// Unpacks a postings entry.
#[inline]
pub fn unpack_entry(entry: u32) -> (u32, MatchFlags) {
    (entry & 0x00FF_FFFF, MatchFlags((entry >> 24) as u8))
}
