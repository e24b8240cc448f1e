//! Byte offsets into char offsets and back: the one converter of the workspace.
//!
//! Stages find spans in UTF-8 bytes; what sitrep reports counts Unicode scalar values (Rust
//! `char`s, Python `str` indices). [`CharOffsets`] answers any byte offset in constant time
//! after one pass over the text, and any char offset (cutting a reported span out of the text)
//! by a search of its checkpoints.

/// The char offset of any byte offset of one text: the char count at every
/// [`CharOffsets::STEP`]th byte, and a count over at most `STEP - 1` bytes from there.
#[derive(Debug, Clone)]
pub struct CharOffsets<'t> {
    text: &'t [u8],
    /// `checkpoints[k]`: the chars that start before byte `k * STEP`.
    checkpoints: Vec<usize>,
    chars: usize,
}

impl<'t> CharOffsets<'t> {
    /// Bytes between checkpoints.
    pub const STEP: usize = 64;

    /// The converter for `text`: one pass, eight bytes at a time.
    pub fn new(text: &'t str) -> CharOffsets<'t> {
        let bytes = text.as_bytes();
        let mut checkpoints = Vec::with_capacity(bytes.len() / Self::STEP + 1);
        let mut count = 0;
        let mut blocks = bytes.chunks_exact(Self::STEP);
        for block in &mut blocks {
            checkpoints.push(count);
            count += char_starts(block);
        }
        checkpoints.push(count);
        count += char_starts(blocks.remainder());
        CharOffsets { text: bytes, checkpoints, chars: count }
    }

    /// The char offset of byte offset `byte`, which lies on a char boundary; the text's char
    /// length for any offset at or past its end.
    pub fn char_at(&self, byte: usize) -> usize {
        if byte >= self.text.len() {
            return self.chars;
        }
        let k = byte / Self::STEP;
        self.checkpoints[k] + char_starts(&self.text[k * Self::STEP..byte])
    }

    /// The byte offset at which char `char` starts; the text's length for any char offset at
    /// or past its end.
    pub fn byte_at(&self, char: usize) -> usize {
        if char >= self.chars {
            return self.text.len();
        }
        // The last checkpoint with no more chars before it than `char`: the char starts in
        // its block.
        let k = self.checkpoints.partition_point(|&n| n <= char) - 1;
        let mut to_go = char - self.checkpoints[k];
        for (i, &b) in self.text[k * Self::STEP..].iter().enumerate() {
            if b & 0xC0 != 0x80 {
                if to_go == 0 {
                    return k * Self::STEP + i;
                }
                to_go -= 1;
            }
        }
        self.text.len()
    }

    /// The chars `start..end` of the text (clamped to it; empty when `end <= start`).
    pub fn char_slice(&self, start: usize, end: usize) -> &'t str {
        let a = self.byte_at(start);
        let b = if end > start { self.byte_at(end) } else { a };
        // Both are char boundaries of the text this was made from.
        std::str::from_utf8(&self.text[a..b]).expect("char boundaries of a str")
    }

    /// The number of chars in the text.
    pub fn len(&self) -> usize {
        self.chars
    }

    /// True for an empty text.
    pub fn is_empty(&self) -> bool {
        self.chars == 0
    }
}

/// The chars that start in `bytes`: every byte that is not a UTF-8 continuation byte
/// (`0b10xx_xxxx`), counted eight bytes at a time.
fn char_starts(bytes: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut words = bytes.chunks_exact(8);
    let mut continuation = 0;
    for w in &mut words {
        let w = u64::from_le_bytes(w.try_into().expect("eight bytes"));
        // A continuation byte has its top bit set and the next one clear.
        continuation += (w & !(w << 1) & HIGH).count_ones() as usize;
    }
    continuation += words.remainder().iter().filter(|&&b| b & 0xC0 == 0x80).count();
    bytes.len() - continuation
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_boundary_maps_to_its_char_index() {
        let text = "Kup’yans’k — 73 km north of Izyum; Ізюм, 𝔘 and more text to pass the first checkpoint of sixty-four bytes.";
        let offsets = CharOffsets::new(text);
        for (chars, (byte, _)) in text.char_indices().enumerate() {
            assert_eq!(offsets.char_at(byte), chars, "byte {byte}");
        }
        assert_eq!(offsets.char_at(text.len()), text.chars().count());
        assert_eq!(offsets.len(), text.chars().count());
    }

    #[test]
    fn empty_and_exact_multiples_of_a_step() {
        assert_eq!(CharOffsets::new("").char_at(0), 0);
        assert!(CharOffsets::new("").is_empty());
        let text = "é".repeat(64); // 128 bytes: the end is a checkpoint
        let offsets = CharOffsets::new(&text);
        assert_eq!(offsets.char_at(128), 64);
        assert_eq!(offsets.char_at(64), 32);
        assert_eq!(offsets.char_at(2), 1);
        assert_eq!((offsets.byte_at(32), offsets.byte_at(64), offsets.byte_at(1)), (64, 128, 2));
        assert_eq!(CharOffsets::new("").byte_at(0), 0);
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_counting_chars(text in "\\PC{0,300}") {
            let offsets = CharOffsets::new(&text);
            for (byte, _) in text.char_indices() {
                proptest::prop_assert_eq!(offsets.char_at(byte), text[..byte].chars().count());
            }
        }

        #[test]
        fn char_offsets_go_back_to_their_bytes(text in "\\PC{0,300}", a in 0_usize..320, b in 0_usize..320) {
            let offsets = CharOffsets::new(&text);
            for (chars, (byte, _)) in text.char_indices().enumerate() {
                proptest::prop_assert_eq!(offsets.byte_at(chars), byte);
            }
            proptest::prop_assert_eq!(offsets.byte_at(text.chars().count()), text.len());
            let expected: String = text.chars().skip(a).take(b.saturating_sub(a)).collect();
            proptest::prop_assert_eq!(offsets.char_slice(a, b), expected.as_str());
        }
    }
}
