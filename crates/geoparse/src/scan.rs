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
    /// Something other than white space separates this word from the previous one.
    pub punct_before: bool,
    /// Exactly one full stop (and white space) separates it from the previous word ("Lt. Brent").
    pub period_before: bool,
}

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sgt", "capt", "gov", "sen", "rep", "jr", "sr", "no", "inc",
    "corp", "co", "ltd", "vs", "etc", "ave", "rd", "mt", "ft", "prof", "rev", "maj", "adm", "cpl", "pvt", "dept",
    "univ", "approx", "est", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

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
    pub fn fill(&mut self, text: &str) {
        self.folded.clear();
        self.words.clear();
        let mut current: Option<Word> = None;
        let mut sentence_start = true;
        let mut last_punct = ' ';
        let mut punct_since_word = false;
        let mut marks_since_word = 0u32;
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            // A possessive "'s" ends the word: "Russia’s" is Russia.
            let possessive = current.is_some()
                && is_apostrophe(c)
                && matches!(chars.peek(), Some((_, 's' | 'S')))
                && {
                    let mut ahead = chars.clone();
                    ahead.next();
                    ahead.peek().is_none_or(|(_, n)| !n.is_alphanumeric())
                };
            if !possessive {
                let mut produced = false;
                let folded = &mut self.folded;
                let words = &mut current;
                let word_char = sitrep_text::fold_char(c, &mut |k| {
                    if words.is_none() {
                        if !folded.is_empty() {
                            folded.push(' ');
                        }
                        *words = Some(Word {
                            start: i as u32,
                            fold_start: folded.len() as u32,
                            capitalised: c.is_uppercase(),
                            sentence_start,
                            hyphen_before: last_punct == '-',
                            comma_before: last_punct == ',',
                            punct_before: punct_since_word,
                            period_before: marks_since_word == 1 && last_punct == '.',
                            ..Word::default()
                        });
                    }
                    let fold_start = words.as_ref().map_or(0, |w| w.fold_start as usize);
                    push_collapsed(folded, fold_start, k);
                    produced = true;
                });
                if word_char && (produced || current.is_some()) {
                    if let Some(w) = current.as_mut() {
                        w.end = (i + c.len_utf8()) as u32;
                        w.fold_end = self.folded.len() as u32;
                    }
                    sentence_start = false;
                    last_punct = ' ';
                    punct_since_word = false;
                    marks_since_word = 0;
                    continue;
                }
            }
            if let Some(mut word) = current.take() {
                word.all_caps = is_all_caps(&text[word.start as usize..word.end as usize]);
                self.words.push(word);
            }
            if c.is_whitespace() {
                if c == '\n' {
                    sentence_start = true;
                }
                continue;
            }
            punct_since_word = true;
            marks_since_word += 1;
            match c {
                '.' => sentence_start = !self.ends_abbreviation(i),
                '!' | '?' | '“' | '"' | ':' | ';' | '•' | '(' | '[' | '|' => sentence_start = true,
                '-' | '‐' | '‑' => {
                    if let Some(prev) = self.words.last_mut() {
                        if prev.end as usize == i {
                            prev.hyphen_after = true;
                        }
                    }
                }
                _ => {}
            }
            last_punct = if matches!(c, '‐' | '‑') { '-' } else { c };
        }
        if let Some(mut word) = current.take() {
            word.all_caps = is_all_caps(&text[word.start as usize..word.end as usize]);
            self.words.push(word);
        }
        self.mark_title_case();
    }

    /// True when the full stop at byte `i` follows an abbreviation or a single letter ("U.S.").
    fn ends_abbreviation(&self, i: usize) -> bool {
        let Some(last) = self.words.last() else { return false };
        if last.end as usize != i {
            return false;
        }
        let folded = &self.folded[last.fold_start as usize..last.fold_end as usize];
        folded.chars().count() == 1 || ABBREVIATIONS.contains(&folded)
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

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘')
}

fn is_all_caps(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2 && !word.chars().any(char::is_lowercase)
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
