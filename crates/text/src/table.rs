//! A read-only hash table from folded key to a number, laid out as bytes so that it can be
//! embedded in an executable or memory-mapped and queried without being parsed.
//!
//! An `fst` answers every query a name index needs (prefixes, fuzzy automata) but walks one
//! node per key byte, a dependent memory access each; this table answers the commonest one,
//! "what does this exact key map to", in one or two cache misses. The gazetteer keeps one for
//! its names, the geoparser one for its word lists.
//!
//! Layout: `capacity` slots of two little-endian `u64`s, (hash, value); `capacity` is a power
//! of two, an empty slot has hash 0, and a key sits at the first free slot from
//! `hash & (capacity - 1)` on (linear probing). The full 64-bit hash is compared, so a miss
//! is never mistaken for a hit in practice ([`build`] refuses two keys with one hash). Slots
//! are read byte-wise, so the table needs no alignment.

const SLOT: usize = 16;

/// The 64-bit hash of a key (FNV-1a, then a final mix); never 0.
#[inline]
pub fn key_hash(key: &[u8]) -> u64 {
    KeyHasher::default().write(key).finish()
}

/// [`key_hash`] part way through a key: keys that share a prefix are hashed without hashing
/// the prefix again (`KeyHasher::default().write(key).finish() == key_hash(key)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyHasher(u64);

impl Default for KeyHasher {
    fn default() -> KeyHasher {
        KeyHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl KeyHasher {
    /// The state after `bytes` more of the key.
    #[inline]
    #[must_use]
    pub fn write(self, bytes: &[u8]) -> KeyHasher {
        let mut h = self.0;
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        KeyHasher(h)
    }

    /// The hash of the key written so far.
    #[inline]
    pub fn finish(self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h.max(1)
    }
}

/// Builds the table bytes from `(key, value)` pairs with distinct keys.
///
/// # Panics
/// When two keys share a 64-bit hash (it would need a new hash function).
pub fn build<'a>(entries: impl ExactSizeIterator<Item = (&'a [u8], u64)>) -> Vec<u8> {
    let capacity = (entries.len() * 5 / 4 + 1).next_power_of_two();
    let mut slots = vec![[0u64; 2]; capacity];
    let mask = capacity - 1;
    for (key, value) in entries {
        let h = key_hash(key);
        let mut slot = (h as usize) & mask;
        while slots[slot][0] != 0 {
            assert_ne!(slots[slot][0], h, "two keys share a 64-bit hash");
            slot = (slot + 1) & mask;
        }
        slots[slot] = [h, value];
    }
    slots.iter().flat_map(|[h, v]| h.to_le_bytes().into_iter().chain(v.to_le_bytes())).collect()
}

/// Looks `key` up in a table made by [`build`]; `None` when absent or when the table is empty
/// or malformed.
#[inline]
pub fn find(table: &[u8], key: &[u8]) -> Option<u64> {
    find_hashed(table, key_hash(key))
}

/// [`find`] for a key whose [`key_hash`] is `h`.
#[inline]
pub fn find_hashed(table: &[u8], h: u64) -> Option<u64> {
    let capacity = table.len() / SLOT;
    if !capacity.is_power_of_two() || !table.len().is_multiple_of(SLOT) {
        return None;
    }
    let word = |at: usize| u64::from_le_bytes(table[at..at + 8].try_into().expect("eight bytes"));
    let mask = capacity - 1;
    let mut slot = (h as usize) & mask;
    for _ in 0..capacity {
        match word(slot * SLOT) {
            0 => return None,
            x if x == h => return Some(word(slot * SLOT + 8)),
            _ => slot = (slot + 1) & mask,
        }
    }
    None
}

/// Bytes of a block of a filter made by [`build_filter`]: one cache line.
const FILTER_BLOCK: usize = 64;

/// The block and the two bits in it that stand for a key of hash `h` in a filter of `blocks`
/// blocks (a power of two). The block comes from the hash's high bits, which the table's slot
/// index (its low bits) does not use.
#[inline]
fn filter_bits(h: u64, blocks: usize) -> (usize, usize, usize) {
    let block = (h >> 32) as usize & (blocks - 1);
    (block, (h >> 14) as usize & 511, (h >> 23) as usize & 511)
}

/// A Bloom filter of the keys whose [`key_hash`]es are `hashes`, about ten bits per key, in
/// blocks of one cache line: a key sets two bits of one block. [`filter_admits`] then tells a
/// key that is certainly absent (the commoner case for the words of running text) from one
/// that may be present at the cost of one read that the filter's small size keeps in cache,
/// so only the latter need the table.
pub fn build_filter(hashes: impl ExactSizeIterator<Item = u64>) -> Vec<u8> {
    let blocks = (hashes.len() * 10 / (FILTER_BLOCK * 8) + 1).next_power_of_two();
    let mut filter = vec![0u8; blocks * FILTER_BLOCK];
    for h in hashes {
        let (block, a, b) = filter_bits(h, blocks);
        for bit in [a, b] {
            filter[block * FILTER_BLOCK + bit / 8] |= 1 << (bit % 8);
        }
    }
    filter
}

/// False when the key of hash `h` is certainly not in the filter's set; true when it may be
/// (about one absent key in thirty passes). A malformed filter admits everything.
#[inline]
pub fn filter_admits(filter: &[u8], h: u64) -> bool {
    let blocks = filter.len() / FILTER_BLOCK;
    if !blocks.is_power_of_two() || !filter.len().is_multiple_of(FILTER_BLOCK) {
        return true;
    }
    let (block, a, b) = filter_bits(h, blocks);
    let block = &filter[block * FILTER_BLOCK..(block + 1) * FILTER_BLOCK];
    [a, b].iter().all(|&bit| block[bit / 8] & (1 << (bit % 8)) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_admits_every_key_it_holds_and_few_others() {
        let held: Vec<u64> = (0..50_000).map(|i| key_hash(format!("name {i}").as_bytes())).collect();
        let filter = build_filter(held.iter().copied());
        assert!(held.iter().all(|&h| filter_admits(&filter, h)));
        let admitted = (0..100_000).filter(|i| filter_admits(&filter, key_hash(format!("other {i}").as_bytes()))).count();
        assert!(admitted < 6_000, "{admitted} of 100000 absent keys admitted");
        assert!(filter_admits(&filter[1..], 7), "a malformed filter admits everything");
    }

    #[test]
    fn finds_what_was_built_and_nothing_else() {
        let keys: Vec<String> = (0..1000).map(|i| format!("key {i}")).collect();
        let table = build(keys.iter().enumerate().map(|(i, k)| (k.as_bytes(), i as u64 * 7)));
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(find(&table, k.as_bytes()), Some(i as u64 * 7));
        }
        assert_eq!(find(&table, b"key 1000"), None);
        assert_eq!(find(&table, b""), None);
    }

    #[test]
    fn unaligned_empty_and_malformed_tables() {
        let table = build([(&b"kyiv"[..], 42)].into_iter());
        let mut shifted = vec![0u8];
        shifted.extend_from_slice(&table);
        assert_eq!(find(&shifted[1..], b"kyiv"), Some(42), "no alignment needed");
        assert_eq!(find(&[], b"kyiv"), None);
        assert_eq!(find(&table[..table.len() - 1], b"kyiv"), None);
        assert_eq!(find(&[0u8; 48], b"kyiv"), None, "three slots is not a power of two");
    }
}
