//! The exact-name table: a `sitrep_text::table` from folded name to postings position.
//!
//! It is derived from the key map, so the committed index omits it and the build script (or
//! the index builder) appends it: this file is compiled both into the library and into
//! `build.rs`.

use crate::format::{Header, Section};
use sitrep_text::table;

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
    let table = table::build(entries.iter().map(|(k, v)| (k.as_slice(), *v)));
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
