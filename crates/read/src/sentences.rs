//! Sentence segmentation for reading claims: a full stop, question or exclamation mark ends a
//! sentence unless it closes an abbreviation ("Mr.", "U.S.", "No. 3"); a closing quotation mark
//! right after it belongs to the sentence; a line break always ends one, so headlines and photo
//! captions stand alone, and so does a bar between spaces (" | "), which joins headlines.

/// A sentence: a byte range of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// First byte.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
}

/// The sentences of `text`, in order, trimmed of surrounding white space; empty ones dropped.
///
/// Only the bytes that can end a sentence are looked at (a table says which: the marks, a line
/// break, a bar, and the first byte of "…"); the text between them is passed over without
/// decoding its characters.
pub fn split(text: &str) -> Vec<Sentence> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !MAY_END[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        // A byte of the table is ASCII or the first byte of a character: `i` is a character's.
        let b = bytes[i];
        // " | " joins headlines ("Strike on X | X: two dead"): each is its own sentence.
        if b == b'|' {
            if text[..i].ends_with(' ') && text[i + 1..].starts_with(' ') {
                push(text, start, i, &mut out);
                start = i + 1;
            }
            i += 1;
            continue;
        }
        let mark_len = match b {
            ELLIPSIS_LEAD if text[i..].starts_with('…') => '…'.len_utf8(),
            ELLIPSIS_LEAD => {
                i += 1;
                continue;
            }
            _ => 1,
        };
        let end = if b == b'\n' {
            i += 1;
            Some(i - 1)
        } else if b == b'.' && ends_abbreviation(&text[start..i]) {
            i += 1;
            None
        } else {
            // Closing quotes and brackets, and further marks ("?!", "..."), stay inside.
            let mut end = i + mark_len;
            while let Some(n) = text[end..].chars().next().filter(|&n| matches!(n, '"' | '”' | '’' | '\'' | ')' | ']' | '.' | '!' | '?')) {
                end += n.len_utf8();
            }
            i = end;
            // A sentence ends only before white space (or the end): "3.5", "U.S.-led".
            text[end..].chars().next().is_none_or(char::is_whitespace).then_some(end)
        };
        if let Some(end) = end {
            push(text, start, end, &mut out);
            start = end;
        }
    }
    push(text, start, text.len(), &mut out);
    out
}

/// The first byte of "…" (and of other characters, which [`split`] passes over).
const ELLIPSIS_LEAD: u8 = 0xE2;

/// The bytes at which [`split`] may end a sentence.
const MAY_END: [bool; 256] = {
    let mut table = [false; 256];
    let mut k = 0;
    let marks = [b'|', b'\n', b'.', b'!', b'?', ELLIPSIS_LEAD];
    while k < marks.len() {
        table[marks[k] as usize] = true;
        k += 1;
    }
    table
};

/// The index of the span of `spans` that holds byte `at`; `span` gives an item's byte range.
/// The spans are in text order and apart (sentences, or the claims made in them), so this is
/// a binary search.
pub fn index_at<T>(spans: &[T], at: usize, span: impl Fn(&T) -> (usize, usize)) -> Option<usize> {
    let i = spans.partition_point(|s| span(s).1 <= at);
    spans.get(i).is_some_and(|s| span(s).0 <= at).then_some(i)
}

fn push(text: &str, start: usize, end: usize, out: &mut Vec<Sentence>) {
    let piece = &text[start..end];
    let trimmed = piece.trim();
    if trimmed.is_empty() {
        return;
    }
    let lead = piece.len() - piece.trim_start().len();
    out.push(Sentence { start: start + lead, end: start + lead + trimmed.len() });
}

/// True when `before` (the text before a full stop) ends in an abbreviation or an initial.
fn ends_abbreviation(before: &str) -> bool {
    // The last word: the letters and digits at the end, taken in place (this runs at every
    // full stop of the text).
    let start = before.char_indices().rev().take_while(|(_, c)| c.is_alphanumeric()).last().map_or(before.len(), |(i, _)| i);
    let word = &before[start..];
    if word.is_empty() {
        return false;
    }
    if word.chars().count() == 1 && word.chars().all(char::is_alphabetic) {
        return true; // "U.S.", "J. Smith"
    }
    if word.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        sitrep_text::is_abbreviation(word)
    } else {
        sitrep_text::is_abbreviation(&word.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(t: &str) -> Vec<&str> {
        split(t).into_iter().map(|s| &t[s.start..s.end]).collect()
    }

    #[test]
    fn abbreviations_quotes_and_lines() {
        let t = "Mr. Konashenkov said the U.S. aid helped. “It is over.” He left.\nPhoto by A. Person/AFP\n\nNo. 3 unit moved 3.5 km.";
        assert_eq!(texts(t), ["Mr. Konashenkov said the U.S. aid helped.", "“It is over.”", "He left.", "Photo by A. Person/AFP", "No. 3 unit moved 3.5 km."]);
    }

    #[test]
    fn the_sentence_holding_an_offset() {
        let t = "One. Two words.  Three";
        let spans = split(t);
        let at = |i| index_at(&spans, i, |s| (s.start, s.end));
        assert_eq!(
            [at(0), at(3), at(4), at(5), at(14), at(16), at(17), at(21), at(22)],
            [Some(0), Some(0), None, Some(1), Some(1), None, Some(2), Some(2), None]
        );
    }

    #[test]
    fn a_bar_between_spaces_joins_headlines() {
        assert_eq!(texts("Strike on a depot | Two dead after the strike | a|b"), ["Strike on a depot", "Two dead after the strike", "a|b"]);
    }

    #[test]
    fn degenerate_input() {
        assert!(split("").is_empty());
        assert!(split(" \n\n ").is_empty());
        assert_eq!(texts("..."), ["..."]);
        assert_eq!(texts("no full stop"), ["no full stop"]);
    }

    /// The splitter as first written, a character at a time: the reference for [`split`].
    fn split_by_chars(text: &str) -> Vec<Sentence> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            // " | " joins headlines ("Strike on X | X: two dead"): each is its own sentence.
            if c == '|' && text[..i].ends_with(' ') && text[i + 1..].starts_with(' ') {
                push(text, start, i, &mut out);
                start = i + 1;
                continue;
            }
            let end = match c {
                '\n' => Some(i),
                '.' | '!' | '?' | '…' => {
                    if c == '.' && ends_abbreviation(&text[start..i]) {
                        None
                    } else {
                        // Closing quotes and brackets, and further marks ("?!", "...") stay inside.
                        let mut end = i + c.len_utf8();
                        while let Some(&(j, n)) = chars.peek() {
                            if matches!(n, '"' | '”' | '’' | '\'' | ')' | ']' | '.' | '!' | '?') {
                                end = j + n.len_utf8();
                                chars.next();
                            } else {
                                break;
                            }
                        }
                        // A sentence ends only before white space (or the end): "3.5", "U.S.-led".
                        match chars.peek() {
                            None => Some(end),
                            Some(&(_, n)) if n.is_whitespace() => Some(end),
                            _ => None,
                        }
                    }
                }
                _ => None,
            };
            if let Some(end) = end {
                push(text, start, end, &mut out);
                start = end;
            }
        }
        push(text, start, text.len(), &mut out);
        out
    }

    #[test]
    fn marks_closing_quotes_and_ellipses_end_sentences_as_before() {
        let t = "Wait… what?! He said “no.”) Then… U.S.-led forces. A|B | C\nD.E. F... G. 3.5 km…\u{2014}x…";
        assert_eq!(split(t), split_by_chars(t));
        assert_eq!(texts("It ended… Then “quiet.” Done!?\" Next"), ["It ended…", "Then “quiet.”", "Done!?\"", "Next"]);
    }

    proptest::proptest! {
        #[test]
        fn sentences_are_ordered_disjoint_and_on_boundaries(t in "\\PC{0,80}") {
            let mut last = 0;
            for s in split(&t) {
                proptest::prop_assert!(s.start >= last && s.start < s.end && s.end <= t.len());
                proptest::prop_assert!(t.is_char_boundary(s.start) && t.is_char_boundary(s.end));
                last = s.end;
            }
        }

        /// The same sentences as the splitter read a character at a time, on text thick with
        /// marks, quotes, bars, line breaks, abbreviations and characters of several bytes.
        #[test]
        fn the_same_sentences_as_reading_a_character_at_a_time(t in "(?:[a-zA-Z0-9 .!?|\n\"')\\]’”“…—–é]|U\\.S\\.|Mr\\.|No\\. | \\| |\\.\\.\\.|… |\\?” |\\.’ ){0,60}") {
            proptest::prop_assert_eq!(split(&t), split_by_chars(&t));
        }
    }
}
