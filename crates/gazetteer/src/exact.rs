//! The exact-name table: a `sitrep_text::table` from folded name to postings position.
//!
//! It also answers whether a longer name starts with the name and a space ([`CONTINUED`]),
//! so that a reader of running text walks the key map into the next word only where some
//! name goes on; a name that is only such a beginning ("san" of "san jose", if "san" were
//! no name) has an entry of its own, marked [`NO_PLACES`].
//!
//! It is derived from the key map, so the committed index omits it and the build script (or
//! the index builder) appends it: this file is compiled both into the library and into
//! `build.rs`.

use std::collections::HashSet;

use crate::format::{Header, Section};
use sitrep_text::table;

/// Bit of a table value: some longer name starts with this one and a space.
pub const CONTINUED: u64 = 1 << 63;
/// Bit of a table value: no place has this name (it only begins longer ones).
pub const NO_PLACES: u64 = 1 << 62;
/// The postings position in a table value.
pub const POSITION: u64 = NO_PLACES - 1;

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
    // Every beginning of a name that ends before one of its spaces.
    let mut beginnings: HashSet<&[u8]> = HashSet::new();
    for (key, _) in &entries {
        beginnings.extend(key.iter().enumerate().filter(|&(_, &b)| b == b' ').map(|(i, _)| &key[..i]));
    }
    let names: HashSet<&[u8]> = entries.iter().map(|(k, _)| k.as_slice()).collect();
    let continued = |key: &[u8]| if beginnings.contains(key) { CONTINUED } else { 0 };
    let rows: Vec<(&[u8], u64)> = entries
        .iter()
        .map(|(k, v)| (k.as_slice(), v | continued(k)))
        .chain(beginnings.iter().filter(|b| !names.contains(*b)).map(|&b| (b, NO_PLACES | CONTINUED)))
        .collect();
    let table = table::build(rows.into_iter());
    image.truncate(header.exact.offset.max(keys.offset + keys.len) as usize);
    while image.len() % 8 != 0 {
        image.push(0);
    }
    header.exact = Section { offset: image.len() as u64, len: table.len() as u64 };
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
