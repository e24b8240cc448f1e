//! A document prepared for matching: its folded form, and its words.
//!
//! The folded text is what the gazetteer keys are made of (see `sitrep_text::fold`): lower
//! case, no diacritics, one space between words. Each word knows where it starts and ends in
//! both the source and the folded text, so a match found in the folded text maps back to an
//! exact span of the report.

use sitrep_text::normalize::collapse;

/// One word of the source text.
#[derive(Debug, Clone, Copy, Default)]
pub struct Word {
    /// Byte range in the source.
    pub start: u32,
    /// End of the byte range in the source.
    pub end: u32,
    /// Byte range in the folded text.
    pub fold_start: u32,
    /// End of the byte range in the folded text.
    pub fold_end: u32,
    /// Starts with an upper-case letter.
    pub capitalised: bool,
    /// Has at least two letters and no lower-case letter ("UK", "KHARKIV").
    pub all_caps: bool,
    /// First word of a sentence (or of the text, a line, a quotation or a parenthesis).
    pub sentence_start: bool,
    /// In a sentence written in title case, where capitals say little ("Task Force Arrests").
    pub title_case: bool,
    /// In a sentence written all in capitals (words of one or two letters aside): a shouted
    /// headline, where a run of capitals is not a credit line.
    pub shouted: bool,
    /// Joined to the previous word by a hyphen ("pro-Kremlin": true for "Kremlin").
    pub hyphen_before: bool,
    /// Joined to the next word by a hyphen ("Kyiv-based": true for "Kyiv").
    pub hyphen_after: bool,
    /// The previous non-space character is a comma.
    pub comma_before: bool,
    /// An opening parenthesis, and nothing else, separates this word from the previous one
    /// ("Andriivka (Donetsk)").
    pub paren_before: bool,
    /// Something other than spaces separates this word from the previous one (punctuation or
    /// a line break).
    pub punct_before: bool,
    /// Exactly one full stop (and white space) separates it from the previous word ("Lt. Brent").
    pub period_before: bool,
    /// A full stop follows the word directly ("Vt." in "Bethel, Vt., said").
    pub period_after: bool,
    /// Has a letter y, which folding reads as i ("Way" folds like "Wai").
    pub has_y: bool,
}

/// A scanned document. Reuse one across documents to avoid reallocating.
#[derive(Debug, Default)]
pub struct Scan {
    /// The folded text.
    pub folded: String,
    /// The words, in order.
    pub words: Vec<Word>,
}

impl Scan {
    /// Scans `text`, replacing what the scan held.
    ///
    /// Each word is read whole and pushed once, finished. The commonest word (ASCII letters
    /// and digits ended within eight bytes by an ASCII separator) is read from one eight-byte
    /// load; longer runs of ASCII letters and digits are folded eight bytes at a time; every
    /// other character of a word goes through `sitrep_text::fold_char`. ASCII punctuation is
    /// handled without decoding a char. The folded text is built as bytes, whole characters at
    /// a time, and checked once at the end (an ASCII check, for most reports).
    pub fn fill(&mut self, text: &str) {
        let mut folded = std::mem::take(&mut self.folded).into_bytes();
        folded.clear();
        folded.reserve(text.len());
        self.words.clear();
        let mut reader = Reader { text, folded, words: &mut self.words, gap: Gap::TEXT_START };
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b' ' {
                i += 1;
            } else if b.is_ascii_alphanumeric() {
                i = match reader.short_ascii_word(i) {
                    Some(end) => end,
                    None => {
                        let word = reader.open(i, b.is_ascii_uppercase());
                        reader.word(word, i)
                    }
                };
            } else if b.is_ascii() && !is_ascii_mark(b) {
                reader.separator(char::from(b), i);
                i += 1;
            } else {
                // A character that folds to letters starts a word; one that folds to nothing (an
                // apostrophe, a combining mark) or only separates is punctuation here.
                let Some(c) = text[i..].chars().next() else { break };
                let next = i + c.len_utf8();
                let mut word = None;
                sitrep_text::fold_char(c, &mut |k| {
                    let w = word.get_or_insert_with(|| reader.open(i, c.is_uppercase()));
                    reader.push_folded(w, k);
                });
                match word {
                    Some(mut w) => {
                        w.count_letter(c);
                        i = reader.word(w, next);
                    }
                    None => {
                        reader.separator(c, i);
                        i = next;
                    }
                }
            }
        }
        // Only whole characters were pushed, so the bytes are UTF-8.
        let folded = reader.folded;
        self.folded = String::from_utf8(folded).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        self.mark_title_case();
    }

    /// Marks words in sentences where at least 70% of the words longer than three letters are
    /// capitalised (headlines and captions, where capitals do not single out names), and in
    /// sentences written all in capitals.
    fn mark_title_case(&mut self) {
        let mut start = 0;
        while start < self.words.len() {
            let mut end = start + 1;
            while end < self.words.len() && !self.words[end].sentence_start {
                end += 1;
            }
            let sentence = &self.words[start..end];
            let long = sentence.iter().filter(|w| w.fold_end - w.fold_start > 3);
            let (n, caps) = long.fold((0, 0), |(n, caps), w| (n + 1, caps + usize::from(w.capitalised)));
            let title_case = n >= 3 && caps * 10 >= n * 7;
            let shouted = sentence.iter().all(|w| w.all_caps || w.fold_end - w.fold_start <= 2);
            for w in &mut self.words[start..end] {
                w.title_case = title_case;
                w.shouted = shouted;
            }
            start = end;
        }
    }

    /// The folded form of word `i`.
    pub fn folded_word(&self, i: usize) -> &str {
        let w = &self.words[i];
        &self.folded[w.fold_start as usize..w.fold_end as usize]
    }
}

/// True when the full stop at byte `i` of the source follows an abbreviation or a single
/// letter ("U.S."): the last of `words`, folded in `folded`, ends right there.
fn ends_abbreviation(words: &[Word], folded: &[u8], i: usize) -> bool {
    let Some(last) = words.last() else { return false };
    if last.end as usize != i {
        return false;
    }
    let Ok(folded) = std::str::from_utf8(&folded[last.fold_start as usize..last.fold_end as usize]) else { return false };
    folded.chars().count() == 1 || sitrep_text::is_abbreviation(folded)
}

/// The ASCII marks that fold to nothing and may sit inside a word (`'`, `` ` ``, `"`); every
/// other ASCII character that is not a letter or digit separates words.
fn is_ascii_mark(b: u8) -> bool {
    matches!(b, b'\'' | b'`' | b'"')
}

/// What the text says between the previous word and the next.
#[derive(Clone, Copy)]
struct Gap {
    /// The next word starts a sentence.
    sentence_start: bool,
    /// The last punctuation mark (a space when there was none).
    last_punct: char,
    /// Punctuation or a line break came since the previous word.
    punct: bool,
    /// Punctuation marks since the previous word.
    marks: u32,
}

impl Gap {
    /// Before the first word.
    const TEXT_START: Gap = Gap { sentence_start: true, last_punct: ' ', punct: false, marks: 0 };
    /// Right after a word.
    const AFTER_WORD: Gap = Gap { sentence_start: false, last_punct: ' ', punct: false, marks: 0 };
}

/// A word being read.
#[derive(Clone, Copy)]
struct OpenWord {
    /// Byte offset in the source.
    start: usize,
    /// Byte offset in the folded text.
    fold_start: usize,
    capitalised: bool,
    /// Letters so far, and whether one was lower case (for `all_caps`).
    letters: u32,
    has_lower: bool,
    has_y: bool,
}

impl OpenWord {
    /// Counts `c`, a character of the word outside an ASCII run.
    fn count_letter(&mut self, c: char) {
        if c.is_alphabetic() {
            self.letters += 1;
            self.has_lower |= c.is_lowercase();
        }
    }
}

/// What [`Scan::fill`] writes to, and what it knows between words.
struct Reader<'t, 'w> {
    text: &'t str,
    folded: Vec<u8>,
    words: &'w mut Vec<Word>,
    gap: Gap,
}

impl Reader<'_, '_> {
    /// Opens a word at byte `start` of the source.
    fn open(&mut self, start: usize, capitalised: bool) -> OpenWord {
        if !self.folded.is_empty() {
            self.folded.push(b' ');
        }
        OpenWord { start, fold_start: self.folded.len(), capitalised, letters: 0, has_lower: false, has_y: false }
    }

    /// Appends one folded character of `word`, with the transliteration collapse of
    /// `sitrep_text::normalize::collapse`.
    fn push_folded(&mut self, word: &OpenWord, k: char) {
        if let Some(k) = collapse(k, ends_in_i(&self.folded, word.fold_start)) {
            self.folded.extend_from_slice(k.encode_utf8(&mut [0; 4]).as_bytes());
        }
    }

    /// Reads the rest of `word` from byte `i` (ASCII runs, then any character that folds into
    /// a word), pushes it, and returns where it ends.
    fn word(&mut self, mut word: OpenWord, mut i: usize) -> usize {
        let bytes = self.text.as_bytes();
        loop {
            if bytes.get(i).is_some_and(u8::is_ascii_alphanumeric) {
                i += fold_ascii(&mut word, &mut self.folded, &bytes[i..]);
            }
            // Most words end at an ASCII space or mark; anything else is read a char at a time.
            match bytes.get(i) {
                Some(&b) if !b.is_ascii() || is_ascii_mark(b) => match self.word_char(&mut word, i) {
                    Some(next) => i = next,
                    None => break,
                },
                _ => break,
            }
        }
        self.push(&word, i);
        i
    }

    /// Pushes `word`, which ends at byte `end` of the source and at the end of the folded text,
    /// with what the gap before it said; the next gap starts empty.
    #[inline]
    fn push(&mut self, word: &OpenWord, end: usize) {
        let gap = std::mem::replace(&mut self.gap, Gap::AFTER_WORD);
        self.words.push(Word {
            start: word.start as u32,
            end: end as u32,
            fold_start: word.fold_start as u32,
            fold_end: self.folded.len() as u32,
            capitalised: word.capitalised,
            all_caps: word.letters >= 2 && !word.has_lower,
            sentence_start: gap.sentence_start,
            title_case: false,
            shouted: false,
            hyphen_before: gap.last_punct == '-',
            hyphen_after: false,
            comma_before: gap.last_punct == ',',
            paren_before: gap.last_punct == '(' && gap.marks == 1,
            punct_before: gap.punct,
            period_before: gap.marks == 1 && gap.last_punct == '.',
            period_after: false,
            has_y: word.has_y,
        });
    }

    /// The commonest word, read whole from one eight-byte load: ASCII letters and digits that
    /// end within the load at an ASCII separator, with no "ii" to collapse. Pushes it and
    /// returns where it ends; `None` (having written nothing) for any other word.
    #[inline(always)]
    fn short_ascii_word(&mut self, start: usize) -> Option<usize> {
        let chunk = self.text.as_bytes().get(start..start + 8)?;
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let Chunk { n, alpha, lower, key, ys } = Chunk::read(x);
        let is = equal_bytes(key, b'i') & byte_mask(n);
        let after = chunk.get(n).copied()?;
        if !after.is_ascii() || is_ascii_mark(after) || is & (is << 8) != 0 {
            return None;
        }
        let mut word = self.open(start, x as u8 & 0x20 == 0 && alpha & 0x80 != 0);
        let end = self.folded.len() + n;
        self.folded.extend_from_slice(&key.to_le_bytes());
        self.folded.truncate(end);
        word.letters = letter_count(alpha);
        word.has_lower = lower != 0;
        word.has_y = ys != 0;
        self.push(&word, start + n);
        Some(start + n)
    }

    /// Folds the character at byte `i` into `word` if it continues the word, and returns
    /// where the next one starts; `None` where the word ends before it. Kept out of line: most
    /// words never get here.
    #[inline(never)]
    fn word_char(&mut self, word: &mut OpenWord, i: usize) -> Option<usize> {
        let c = self.text[i..].chars().next()?;
        let next = i + c.len_utf8();
        // An apostrophe or a quotation mark belongs to the word only between its letters
        // ("Kup'yans'k"); one at its end closes a quotation ("\"Izyum\" fell"), and a
        // possessive "'s" ends it ("Russia’s" is Russia). Either is punctuation.
        if sitrep_text::is_quote_mark(c) {
            let mut ahead = self.text[next..].chars();
            let after = ahead.next();
            // "Mykil's'ke": an "'s" that another apostrophe and letters follow is a soft
            // sign written out, inside the word.
            let possessive = is_apostrophe(c)
                && matches!(after, Some('s' | 'S'))
                && match ahead.next() {
                    None => true,
                    Some(n) if n.is_alphanumeric() => false,
                    Some(n) => !(is_apostrophe(n) && ahead.next().is_some_and(char::is_alphanumeric)),
                };
            if possessive || !after.is_some_and(char::is_alphanumeric) {
                return None;
            }
        }
        let open = *word;
        if !sitrep_text::fold_char(c, &mut |k| self.push_folded(&open, k)) {
            return None;
        }
        word.count_letter(c);
        Some(next)
    }

    /// Notes the character `c` at byte `at`, which separates words: white space, or a mark
    /// that ends a sentence, joins by a hyphen, or follows a word as its full stop.
    fn separator(&mut self, c: char, at: usize) {
        // A plural's possessive apostrophe is no part of the word, but it joins the word to the
        // next as a space would ("Governors’ Parkway", "Texas’ rivers").
        let plural_possessive = || is_apostrophe(c) && self.words.last().is_some_and(|w| w.end as usize == at) && self.folded.last() == Some(&b's');
        if c.is_whitespace() || plural_possessive() {
            if c == '\n' {
                // A line break ends a headline or a caption as punctuation would.
                self.gap.sentence_start = true;
                self.gap.punct = true;
            }
            return;
        }
        self.gap.punct = true;
        self.gap.marks += 1;
        match c {
            '.' => {
                self.gap.sentence_start = !ends_abbreviation(self.words, &self.folded, at);
                if let Some(prev) = word_ending_at(self.words, at) {
                    prev.period_after = true;
                }
            }
            '!' | '?' | '“' | ':' | ';' | '•' | '(' | '[' | '|' => self.gap.sentence_start = true,
            // A straight quotation mark opens a quotation unless it closes the word before it.
            '"' => self.gap.sentence_start |= word_ending_at(self.words, at).is_none(),
            '-' | '‐' | '‑' => {
                if let Some(prev) = word_ending_at(self.words, at) {
                    prev.hyphen_after = true;
                }
            }
            _ => {}
        }
        self.gap.last_punct = if matches!(c, '‐' | '‑') { '-' } else { c };
    }
}

/// The last of `words` if it ends right at byte `at`.
fn word_ending_at(words: &mut [Word], at: usize) -> Option<&mut Word> {
    words.last_mut().filter(|w| w.end as usize == at)
}

/// True when the word that starts at `fold_start` in `folded` so far ends in `i`, so that
/// another `i` folds into it.
fn ends_in_i(folded: &[u8], fold_start: usize) -> bool {
    folded.len() > fold_start && folded.last() == Some(&b'i')
}

const HIGH: u64 = 0x8080_8080_8080_8080;

/// `b` in every byte.
const fn every(b: u8) -> u64 {
    b as u64 * 0x0101_0101_0101_0101
}

/// The high bit of each byte of `x` that is at least `b` (for ASCII bytes).
#[inline(always)]
fn at_least(x: u64, b: u8) -> u64 {
    ((x | HIGH) - every(b)) & HIGH
}

/// The high bit of each byte of `x` that equals `b`.
#[inline(always)]
fn equal_bytes(x: u64, b: u8) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let z = x ^ every(b);
    !(((z & LOW7) + LOW7) | z) & HIGH
}

/// Every bit of the first `n` bytes (`n` ≤ 8).
#[inline(always)]
fn byte_mask(n: usize) -> u64 {
    if n == 8 {
        u64::MAX
    } else {
        (1u64 << (8 * n)) - 1
    }
}

/// The letters among high bits marking bytes, counted by a multiply into the top byte.
#[inline(always)]
fn letter_count(alpha: u64) -> u32 {
    ((alpha >> 7).wrapping_mul(0x0101_0101_0101_0101) >> 56) as u32
}

/// Eight bytes of source read as the start of a run of ASCII letters and digits.
struct Chunk {
    /// Bytes of the run: those before the first that is not an ASCII letter or digit.
    n: usize,
    /// High bits of the run's letters, and of its lower-case letters.
    alpha: u64,
    lower: u64,
    /// The run folded (lower case, `y` read as `i`), garbage past `n`.
    key: u64,
    /// High bits of the run's `y`s.
    ys: u64,
}

impl Chunk {
    #[inline(always)]
    fn read(x: u64) -> Chunk {
        let ascii = !x & HIGH;
        let upper = at_least(x, b'A') & !at_least(x, b'Z' + 1) & ascii;
        let lower = at_least(x, b'a') & !at_least(x, b'z' + 1) & ascii;
        let digit = at_least(x, b'0') & !at_least(x, b'9' + 1) & ascii;
        let n = (!(upper | lower | digit) & HIGH).trailing_zeros() as usize / 8;
        let within = byte_mask(n) & HIGH;
        let (upper, lower) = (upper & within, lower & within);
        let lowered = x | (upper >> 2);
        let ys = equal_bytes(lowered, b'y') & within;
        Chunk { n, alpha: upper | lower, lower, key: lowered ^ (ys >> 3), ys }
    }
}

/// Folds the run of ASCII letters and digits that starts `bytes` onto the end of `word` in
/// `folded`: lower case, with the transliteration collapse of
/// `sitrep_text::normalize::collapse`. Returns the run's length.
///
/// Eight bytes at a time as one `u64` while eight are left and no two `i`s meet (they fold
/// to one); byte by byte after that.
fn fold_ascii(word: &mut OpenWord, folded: &mut Vec<u8>, bytes: &[u8]) -> usize {
    let mut after_i = ends_in_i(folded, word.fold_start);
    let mut done = 0;
    while let Some(chunk) = bytes.get(done..done + 8) {
        let Chunk { n, alpha, lower, key, ys } = Chunk::read(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        let is = equal_bytes(key, b'i') & byte_mask(n);
        if n == 0 || is & (is << 8) != 0 || (after_i && is & 0x80 != 0) {
            break;
        }
        // All eight bytes go in, and all but the run's come out again.
        let end = folded.len() + n;
        folded.extend_from_slice(&key.to_le_bytes());
        folded.truncate(end);
        word.letters += letter_count(alpha);
        word.has_lower |= lower != 0;
        word.has_y |= ys != 0;
        after_i = is & (0x80 << (8 * (n - 1))) != 0;
        done += n;
        if n < 8 {
            return done;
        }
    }
    for &b in &bytes[done..] {
        if !b.is_ascii_alphanumeric() {
            break;
        }
        done += 1;
        if b.is_ascii_alphabetic() {
            word.letters += 1;
            word.has_lower |= b.is_ascii_lowercase();
            word.has_y |= b | 0x20 == b'y';
        }
        if let Some(k) = collapse(char::from(b.to_ascii_lowercase()), after_i) {
            after_i = k == 'i';
            folded.push(k as u8);
        }
    }
    done
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> Scan {
        let mut s = Scan::default();
        s.fill(text);
        s
    }

    #[test]
    fn words_fold_and_keep_their_spans() {
        let text = "Russia’s army left Kup'yans'k, near the Oskil.";
        let s = scan(text);
        assert_eq!(s.folded, "russia s armi left kupiansk near the oskil");
        let w = s.words[4];
        assert_eq!(&text[w.start as usize..w.end as usize], "Kup'yans'k");
        assert_eq!(s.folded_word(4), "kupiansk");
        assert!(s.words[0].capitalised && s.words[0].sentence_start);
        assert!(!s.words[4].sentence_start && s.words[4].capitalised);
        assert!(s.words[5].comma_before);
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let s = scan("Mr. Konashenkov said the U.S. Army left. Then Kherson fell.");
        let idx = |f: &str| (0..s.words.len()).find(|&i| s.folded_word(i) == f).unwrap();
        assert!(!s.words[idx("konashenkov")].sentence_start);
        assert!(!s.words[idx("armi")].sentence_start);
        assert!(s.words[idx("then")].sentence_start);
    }

    #[test]
    fn hyphens_caps_and_title_case() {
        let s = scan("Kyiv-based pro-Kremlin UK\nAvoyelles Task Force Arrests Fourteen People");
        assert!(s.words[0].hyphen_after);
        assert!(s.words[3].hyphen_before, "Kremlin");
        assert!(s.words[4].all_caps && !s.words[0].all_caps);
        assert!(s.words[5].sentence_start);
        assert!(s.words[6].title_case && !s.words[0].title_case);
    }

    #[test]
    fn quotation_marks_at_a_word_edge_are_punctuation() {
        let text = "They said \"Izyum\" fell, 'Lyman' too; Kup'yans'k and Russia’s O’Brien.";
        let s = scan(text);
        let source: Vec<&str> = s.words.iter().map(|w| &text[w.start as usize..w.end as usize]).collect();
        assert_eq!(source, ["They", "said", "Izyum", "fell", "Lyman", "too", "Kup'yans'k", "and", "Russia", "s", "O’Brien"]);
        // An opening quotation mark starts a sentence; a closing one does not, but it is
        // punctuation before the next word.
        assert!(s.words[2].sentence_start && !s.words[3].sentence_start && s.words[3].punct_before);
        assert!(s.words[5].punct_before && !s.words[5].sentence_start);
        // A plural's possessive apostrophe joins the words it stands between.
        let s = scan("Governors’ Parkway, the Flores' case");
        assert_eq!(s.words[0].end, "Governors".len() as u32);
        assert!(!s.words[1].punct_before && !s.words[4].punct_before);
    }

    #[test]
    fn a_soft_sign_written_as_an_apostrophe_after_s_is_no_possessive() {
        let text = "Shells fell on Dubov's'ke and Kyiv's edge.";
        let s = scan(text);
        let source: Vec<&str> = s.words.iter().map(|w| &text[w.start as usize..w.end as usize]).collect();
        assert_eq!(source, ["Shells", "fell", "on", "Dubov's'ke", "and", "Kyiv", "s", "edge"]);
        assert_eq!(s.folded_word(3), "dubovske");
    }

    #[test]
    fn long_runs_fold_like_short_ones() {
        // Runs of eight bytes and more take the word-at-a-time path; "ii" meeting across or
        // inside a chunk still folds to one "i".
        let s = scan("HAWAIIAN Hawaiiiiiiiiian Yyyyyyyyyy Kyivskyi 2022-09-10 abcdefghYi");
        let folded: Vec<&str> = (0..s.words.len()).map(|k| s.folded_word(k)).collect();
        assert_eq!(folded, ["hawaian", "hawaian", "i", "kivski", "2022", "09", "10", "abcdefghi"]);
        assert!(s.words[0].all_caps && !s.words[1].all_caps && s.words[2].has_y && !s.words[0].has_y);
    }

    proptest::proptest! {
        #[test]
        fn every_word_folds_as_its_source_does(text in "([A-Za-z0-9]{0,20}|[iIyY]{1,4}|[ .,'’-]|é|ß|Ї|\n){0,30}") {
            let s = scan(&text);
            for (k, w) in s.words.iter().enumerate() {
                let source = &text[w.start as usize..w.end as usize];
                let mut expected = String::new();
                sitrep_text::fold(source, &mut expected);
                proptest::prop_assert_eq!(s.folded_word(k), expected.as_str(), "word {} of {:?}", k, text);
                let letters: Vec<char> = source.chars().filter(|c| c.is_alphabetic()).collect();
                let all_caps = letters.len() >= 2 && !letters.iter().any(|c| c.is_lowercase());
                proptest::prop_assert_eq!(w.all_caps, all_caps);
                proptest::prop_assert_eq!(w.has_y, source.bytes().any(|b| b | 0x20 == b'y'));
            }
        }
    }

    #[test]
    fn empty_and_symbol_only_text() {
        assert!(scan("").words.is_empty());
        assert!(scan("  ... !!! ---").words.is_empty());
    }
}
