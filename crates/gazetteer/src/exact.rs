//! The exact-name table: an open-addressing hash table from folded name to postings position.
//!
//! The `fst` key map answers every query (prefixes, fuzzy automata) but walks one node per
//! key byte, a dependent memory access each; this table answers the commonest one, "which
//! places have exactly this name", in one or two cache misses. It is derived from the key map,
//! so the committed index omits it and the build script (or the index builder) appends it:
//! this file is compiled both into the library and into `build.rs`.
//!
//! Layout of the section: `[[u64; 2]; capacity]` slots of (hash, postings position), so a hit
//! costs one cache miss; `capacity` is a power of two, an empty slot has hash 0, and a key
//! sits at the first free slot from `hash & (capacity - 1)` on (linear probing). The full 64-bit hash is compared,
//! so a miss is never mistaken for a hit in practice (the builder refuses duplicate hashes).

use crate::format::{Header, Section};

/// The 64-bit hash of a folded name (FNV-1a, then a final mix); never 0.
#[inline]
pub fn key_hash(key: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in key {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h.max(1)
}

/// Builds the section bytes from `(key, value)` pairs.
///
/// # Panics
/// When two keys share a 64-bit hash (it would need a new hash function).
pub fn build_table<'a>(entries: impl ExactSizeIterator<Item = (&'a [u8], u64)>) -> Vec<u8> {
    let capacity = (entries.len() * 5 / 4 + 1).next_power_of_two();
    let mut slots = vec![[0u64; 2]; capacity];
    let mask = capacity - 1;
    for (key, value) in entries {
        let h = key_hash(key);
        let mut slot = (h as usize) & mask;
        while slots[slot][0] != 0 {
            assert_ne!(slots[slot][0], h, "two gazetteer keys share a 64-bit hash");
            slot = (slot + 1) & mask;
        }
        slots[slot] = [h, value];
    }
    bytemuck::cast_slice(&slots).to_vec()
}

/// Looks `key` up in a section built by [`build_table`]; `None` when absent or when the
/// section is empty or malformed.
#[inline]
pub fn find(section: &[u8], key: &[u8]) -> Option<u64> {
    let slots: &[[u64; 2]] = bytemuck::try_cast_slice(section).ok()?;
    let capacity = slots.len();
    if !capacity.is_power_of_two() {
        return None;
    }
    let h = key_hash(key);
    let mask = capacity - 1;
    let mut slot = (h as usize) & mask;
    for _ in 0..capacity {
        match slots[slot] {
            [0, _] => return None,
            [x, value] if x == h => return Some(value),
            _ => slot = (slot + 1) & mask,
        }
    }
    None
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
    let table = build_table(entries.iter().map(|(k, v)| (k.as_slice(), *v)));
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
