//! A document prepared for matching: its folded form, and its words.
//!
//! The folded text is what the gazetteer keys are made of (see `sitrep_text::fold`): lower
//! case, no diacritics, one space between words. Each word knows where it starts and ends in
//! both the source and the folded text, so a match found in the folded text maps back to an
//! exact span of the report.

use sitrep_text::normalize::push_collapsed;

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
    /// Runs of ASCII letters and digits, most of any English report, take a fast path that
    /// folds them byte by byte; every other character goes through `sitrep_text::fold_char`.
    pub fn fill(&mut self, text: &str) {
        self.folded.clear();
        self.words.clear();
        let bytes = text.as_bytes();
        let mut state = FillState { current: None, sentence_start: true, last_punct: ' ', punct_since_word: false, marks_since_word: 0, letters: 0, has_lower: false, has_y: false };
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i].is_ascii_alphanumeric() {
                if state.current.is_none() {
                    state.current = Some(state.new_word(&mut self.folded, i, bytes[i].is_ascii_uppercase()));
                }
                let fold_start = state.current.as_ref().map_or(0, |w| w.fold_start as usize);
                while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                    let b = bytes[i];
                    if b.is_ascii_alphabetic() {
                        state.letters += 1;
                        state.has_lower |= b.is_ascii_lowercase();
                        state.has_y |= b | 0x20 == b'y';
                    }
                    push_collapsed(&mut self.folded, fold_start, char::from(b.to_ascii_lowercase()));
                    i += 1;
                }
                state.extend_word(i, self.folded.len());
                continue;
            }
            if bytes[i] == b' ' {
                // The commonest separator, without decoding a char.
                state.finish_word(&mut self.words);
                i += 1;
                continue;
            }
            let Some(c) = text[i..].chars().next() else { break };
            let next = i + c.len_utf8();
            // A possessive "'s" ends the word: "Russia’s" is Russia.
            let possessive = state.current.is_some() && is_apostrophe(c) && {
                let mut ahead = text[next..].chars();
                matches!(ahead.next(), Some('s' | 'S')) && ahead.next().is_none_or(|n| !n.is_alphanumeric())
            };
            // ASCII punctuation other than the apostrophe-like marks separates words; only
            // other characters need folding.
            let separator = c.is_ascii() && !matches!(c, '\'' | '`' | '"');
            if !possessive && !separator {
                let mut produced = false;
                let folded = &mut self.folded;
                let st = &mut state;
                let word_char = sitrep_text::fold_char(c, &mut |k| {
                    if st.current.is_none() {
                        let w = st.new_word(folded, i, c.is_uppercase());
                        st.current = Some(w);
                    }
                    let fold_start = st.current.as_ref().map_or(0, |w| w.fold_start as usize);
                    push_collapsed(folded, fold_start, k);
                    produced = true;
                });
                if word_char && (produced || state.current.is_some()) {
                    if c.is_alphabetic() {
                        state.letters += 1;
                        state.has_lower |= c.is_lowercase();
                    }
                    state.extend_word(next, self.folded.len());
                    i = next;
                    continue;
                }
            }
            state.finish_word(&mut self.words);
            i = next;
            if c.is_whitespace() {
                if c == '\n' {
                    // A line break ends a headline or a caption as punctuation would.
                    state.sentence_start = true;
                    state.punct_since_word = true;
                }
                continue;
            }
            state.punct_since_word = true;
            state.marks_since_word += 1;
            match c {
                '.' => {
                    state.sentence_start = !self.ends_abbreviation(i - 1);
                    if let Some(prev) = self.words.last_mut() {
                        prev.period_after |= prev.end as usize == i - 1;
                    }
                }
                '!' | '?' | '“' | '"' | ':' | ';' | '•' | '(' | '[' | '|' => state.sentence_start = true,
                '-' | '‐' | '‑' => {
                    if let Some(prev) = self.words.last_mut() {
                        if prev.end as usize == i - c.len_utf8() {
                            prev.hyphen_after = true;
                        }
                    }
                }
                _ => {}
            }
            state.last_punct = if matches!(c, '‐' | '‑') { '-' } else { c };
        }
        state.finish_word(&mut self.words);
        self.mark_title_case();
    }

    /// True when the full stop at byte `i` follows an abbreviation or a single letter ("U.S.").
    fn ends_abbreviation(&self, i: usize) -> bool {
        let Some(last) = self.words.last() else { return false };
        if last.end as usize != i {
            return false;
        }
        let folded = &self.folded[last.fold_start as usize..last.fold_end as usize];
        folded.chars().count() == 1 || sitrep_text::ABBREVIATIONS.contains(&folded)
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

/// What [`Scan::fill`] knows between characters.
struct FillState {
    /// The word being read, if any.
    current: Option<Word>,
    sentence_start: bool,
    last_punct: char,
    punct_since_word: bool,
    marks_since_word: u32,
    /// Letters in the current word, and whether one was lower case (for `all_caps`).
    letters: u32,
    has_lower: bool,
    has_y: bool,
}

impl FillState {
    /// A word starting at byte `start`; opens it in the folded text.
    fn new_word(&self, folded: &mut String, start: usize, capitalised: bool) -> Word {
        if !folded.is_empty() {
            folded.push(' ');
        }
        Word {
            start: start as u32,
            fold_start: folded.len() as u32,
            capitalised,
            sentence_start: self.sentence_start,
            hyphen_before: self.last_punct == '-',
            comma_before: self.last_punct == ',',
            punct_before: self.punct_since_word,
            period_before: self.marks_since_word == 1 && self.last_punct == '.',
            ..Word::default()
        }
    }

    /// The current word now ends at byte `end` of the source and `fold_end` of the folded text.
    fn extend_word(&mut self, end: usize, fold_end: usize) {
        if let Some(w) = self.current.as_mut() {
            w.end = end as u32;
            w.fold_end = fold_end as u32;
        }
        self.sentence_start = false;
        self.last_punct = ' ';
        self.punct_since_word = false;
        self.marks_since_word = 0;
    }

    /// Closes the current word, if any.
    fn finish_word(&mut self, words: &mut Vec<Word>) {
        if let Some(mut word) = self.current.take() {
            word.all_caps = self.letters >= 2 && !self.has_lower;
            word.has_y = self.has_y;
            words.push(word);
        }
        self.letters = 0;
        self.has_lower = false;
        self.has_y = false;
    }
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
    fn empty_and_symbol_only_text() {
        assert!(scan("").words.is_empty());
        assert!(scan("  ... !!! ---").words.is_empty());
    }
}
