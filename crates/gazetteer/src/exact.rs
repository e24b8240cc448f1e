//! The exact-name table: a `sitrep_text::table` from folded name to postings position.
//!
//! Each value also carries what a reader of running text asks of a name before it opens any
//! place: whether a longer name starts with the name and a space ([`CONTINUED`]), so that it
//! reads on into the next word only where some name goes on (with the entries for beginnings
//! below, the table is an automaton over words); and a summary of the
//! name's places (their feature classes, a large city among them, alternate spellings only;
//! see [`summary_bits`]). A name that is only such a beginning ("san" of "san jose", if "san"
//! were no name) has an entry of its own, marked [`NO_PLACES`].
//!
//! The empty key, which no name folds to, holds the table's own layout version
//! ([`TABLE_VERSION`]): a table written by an older layout is ignored, not misread.
//!
//! The section holds a Bloom filter of the keys before the table (see [`split`]): half the
//! stretches of running text that a reader looks up name nothing, and the filter, a sixteenth
//! of the table's size, says so without a read of the table.
//!
//! It is derived from the key map, so the committed index omits it and the build script (or
//! the index builder) appends it: this file is compiled both into the library and into
//! `build.rs`.

use std::collections::HashSet;

use crate::format::{self, Header, MatchFlags, PlaceRecord, Section};
use sitrep_text::table;

/// Bit of a table value: some longer name starts with this one and a space.
pub const CONTINUED: u64 = 1 << 63;
/// Bit of a table value: no place has this name (it only begins longer ones).
pub const NO_PLACES: u64 = 1 << 62;
/// Where the summary bits of a table value start.
pub const SUMMARY_SHIFT: u32 = 40;
/// The postings position in a table value.
pub const POSITION: u64 = (1 << SUMMARY_SHIFT) - 1;
/// The key under which the table stores [`TABLE_VERSION`]; no name folds to it.
pub const VERSION_KEY: &[u8] = b"";
/// Bumped whenever the meaning of a table value or the section's layout changes.
pub const TABLE_VERSION: u64 = 4;
/// The first eight bytes of the section; the next eight give the filter's length.
const SECTION_MAGIC: u64 = u64::from_le_bytes(*b"SITXFLT1");

/// The filter and the table of an exact-name section: `None` when the section is not laid out
/// as this build writes it (an older build's, or damaged).
pub fn split(section: &[u8]) -> Option<(&[u8], &[u8])> {
    let word = |at: usize| section.get(at..at + 8).map(|b| u64::from_le_bytes(b.try_into().expect("eight bytes")));
    if word(0)? != SECTION_MAGIC {
        return None;
    }
    let filter_len = usize::try_from(word(8)?).ok()?;
    let filter = section.get(16..16usize.checked_add(filter_len)?)?;
    Some((filter, &section[16 + filter_len..]))
}

/// Summary bit: some place under the name is a city of at least [`LARGE_CITY`] people.
pub const SUMMARY_LARGE_CITY: u16 = 1 << 12;
/// Summary bit: every place under the name has it only as an alternate spelling (also set
/// when the name has no valid place).
pub const SUMMARY_ALTERNATE_ONLY: u16 = 1 << 13;
/// Least population of a large city (a city in GeoNames' `cities15000` sense is smaller; this
/// is a city known well beyond its country).
pub const LARGE_CITY: u32 = 100_000;

/// The summary of the places under one name, given as (feature code, population, flags), as
/// stored in the table: bit `code - 1` for every feature code among them, then
/// [`SUMMARY_LARGE_CITY`] and [`SUMMARY_ALTERNATE_ONLY`].
pub fn summary_bits(places: impl IntoIterator<Item = (u8, u32, MatchFlags)>) -> u16 {
    const CITY: u8 = 4;
    let mut bits = SUMMARY_ALTERNATE_ONLY;
    for (feature, population, flags) in places {
        if (1..=12).contains(&feature) {
            bits |= 1 << (feature - 1);
        }
        if feature == CITY && population >= LARGE_CITY {
            bits |= SUMMARY_LARGE_CITY;
        }
        if !flags.is_alternate() {
            bits &= !SUMMARY_ALTERNATE_ONLY;
        }
    }
    bits
}

/// Removes the table from an index image (for the compressed, committed copy).
pub fn strip_table(image: &[u8]) -> Vec<u8> {
    let mut header: Header = bytemuck::pod_read_unaligned(&image[..std::mem::size_of::<Header>()]);
    let end = header.exact.offset as usize;
    header.exact = Section { offset: end as u64, len: 0 };
    let mut out = image[..end].to_vec();
    out[..std::mem::size_of::<Header>()].copy_from_slice(bytemuck::bytes_of(&header));
    out
}

/// Appends the table to an index image that lacks one (the image is returned unchanged when
/// it already has one, or when its key map does not parse; opening it reports that).
pub fn with_table(mut image: Vec<u8>) -> Vec<u8> {
    let size = std::mem::size_of::<Header>();
    if image.len() < size {
        return image;
    }
    let mut header: Header = bytemuck::pod_read_unaligned(&image[..size]);
    let keys = header.keys;
    if header.exact.len != 0 || (keys.offset + keys.len) as usize > image.len() {
        return image;
    }
    let Ok(map) = fst::Map::new(&image[keys.offset as usize..(keys.offset + keys.len) as usize]) else {
        return image;
    };
    let entries = fst_entries(&map);
    // The image may sit at any address, so records and postings are read unaligned.
    let section = |s: Section| image.get(s.offset as usize..(s.offset + s.len) as usize).unwrap_or_default();
    let (records, postings) = (section(header.places), section(header.postings));
    let record_size = std::mem::size_of::<PlaceRecord>();
    let posting = |i: usize| postings.get(4 * i..4 * i + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    let summary = |position: u64| {
        let position = position as usize;
        let n = posting(position).unwrap_or(0) as usize;
        let places = (1..=n).map_while(|k| posting(position + k)).filter_map(|entry| {
            let (place, flags) = format::unpack_entry(entry);
            let bytes = records.get(place as usize * record_size..)?.get(..record_size)?;
            let record: PlaceRecord = bytemuck::pod_read_unaligned(bytes);
            Some((record.feature, record.population, flags))
        });
        u64::from(summary_bits(places)) << SUMMARY_SHIFT
    };
    // Every beginning of a name that ends before one of its spaces.
    let mut beginnings: HashSet<&[u8]> = HashSet::new();
    for (key, _) in &entries {
        beginnings.extend(key.iter().enumerate().filter(|&(_, &b)| b == b' ').map(|(i, _)| &key[..i]));
    }
    let names: HashSet<&[u8]> = entries.iter().map(|(k, _)| k.as_slice()).collect();
    let continued = |key: &[u8]| if beginnings.contains(key) { CONTINUED } else { 0 };
    let rows: Vec<(&[u8], u64)> = entries
        .iter()
        // The empty key is the version's; a position too large for its bits (a postings section
        // of a terabyte) would be misread, so such a name is left to the key map.
        .filter(|(k, v)| !k.is_empty() && *v <= POSITION)
        .map(|(k, v)| (k.as_slice(), v | summary(*v) | continued(k)))
        .chain(beginnings.iter().filter(|b| !b.is_empty() && !names.contains(*b)).map(|&b| (b, NO_PLACES | CONTINUED)))
        .chain(std::iter::once((VERSION_KEY, TABLE_VERSION)))
        .collect();
    let filter = table::build_filter(rows.iter().map(|(k, _)| table::key_hash(k)));
    let table = table::build(rows.into_iter());
    image.truncate(header.exact.offset.max(keys.offset + keys.len) as usize);
    while !image.len().is_multiple_of(8) {
        image.push(0);
    }
    header.exact = Section { offset: image.len() as u64, len: (16 + filter.len() + table.len()) as u64 };
    image.extend_from_slice(&SECTION_MAGIC.to_le_bytes());
    image.extend_from_slice(&(filter.len() as u64).to_le_bytes());
    image.extend_from_slice(&filter);
    image.extend_from_slice(&table);
    image[..size].copy_from_slice(bytemuck::bytes_of(&header));
    image
}

fn fst_entries(map: &fst::Map<&[u8]>) -> Vec<(Vec<u8>, u64)> {
    use fst::Streamer;
    let mut stream = map.stream();
    let mut out = Vec::with_capacity(map.len());
    while let Some((k, v)) = stream.next() {
        out.push((k.to_vec(), v));
    }
    out
}
