//! Folding of names into matching keys.
//!
//! A key is lower case, has no diacritics, no apostrophes (nor their look-alikes ’ ʼ ʹ ` ´),
//! single spaces where the name had hyphens, dots, slashes or runs of white space, and the
//! Latin transliteration variants of Slavic names collapsed: `y` is read as `i` and a doubled
//! `ii` as one `i`, so Kupiansk, Kupyansk and Kup'yans'k share the key `kupiansk`, Izium and
//! Izyum share `izium`, Balakliia and Balakliya share `balaklia`. Cyrillic stays Cyrillic,
//! without soft and hard signs, so Купянськ and Купянск share a key too.
//!
//! [`key_for_name`] also strips the trailing type word of an area or a river ("Kharkiv
//! Oblast", "the Donetsk region", "Oskil River") and reports it as a [`Qualifier`], which the
//! ranking uses to prefer an oblast over its capital city, or a river over a town.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// A type word that followed a name and was stripped from its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Qualifier {
    /// "oblast", "region", "province", "governorate", "krai", "okrug", "state".
    Region,
    /// "raion", "rayon", "district", "county", "parish".
    District,
    /// "river".
    River,
    /// "hromada": a Ukrainian territorial community.
    Hromada,
}

impl Qualifier {
    /// Recognises a folded type word.
    pub fn from_folded_word(word: &str) -> Option<Qualifier> {
        Some(match word {
            "oblast" | "oblasti" | "region" | "province" | "governorate" | "krai" | "okrug" => Qualifier::Region,
            "raion" | "district" | "county" | "parish" => Qualifier::District,
            "river" => Qualifier::River,
            "hromada" => Qualifier::Hromada,
            _ => return None,
        })
    }

    /// Recognises a folded plural type word, which follows a list of names ("Barrow, Jackson
    /// and Madison counties", "the Donetsk and Luhansk regions").
    pub fn from_folded_plural(word: &str) -> Option<Qualifier> {
        Some(match word {
            "oblasts" | "regions" | "provinces" | "governorates" => Qualifier::Region,
            "raions" | "districts" | "counties" | "parishes" => Qualifier::District,
            "rivers" => Qualifier::River,
            "hromadas" | "hromadi" => Qualifier::Hromada,
            _ => return None,
        })
    }
}

/// What one input character becomes in a key.
enum Folded {
    /// Dropped entirely (apostrophes, combining marks, soft signs).
    Drop,
    /// A word boundary.
    Space,
    /// One or more key characters.
    Chars,
}

/// Folds one character, pushing the key characters it yields to `out`.
///
/// Returns `false` when the character only separates words (the caller decides how to
/// collapse separators), `true` otherwise. Transliteration collapsing (`y`→`i`, `ii`→`i`)
/// is not done here because it depends on the previous key character; see [`fold`].
#[inline]
pub fn fold_char(c: char, out: &mut impl FnMut(char)) -> bool {
    match classify(c, out) {
        Folded::Space => false,
        Folded::Drop | Folded::Chars => true,
    }
}

#[inline]
fn classify(c: char, out: &mut impl FnMut(char)) -> Folded {
    if c.is_ascii() {
        return match c {
            'A'..='Z' => {
                out(c.to_ascii_lowercase());
                Folded::Chars
            }
            'a'..='z' | '0'..='9' => {
                out(c);
                Folded::Chars
            }
            '\'' | '`' | '"' => Folded::Drop,
            _ => Folded::Space,
        };
    }
    if is_apostrophe(c) || is_combining_mark(c) {
        return Folded::Drop;
    }
    if !c.is_alphanumeric() {
        return Folded::Space;
    }
    // Compatibility decomposition, then every piece is folded like a letter of its own
    // (ŉ → ʼn → n, 𐞢 → ø → o, ꚜ → ъ → nothing).
    let mut any = false;
    decompose_compatible(c, |d| {
        for l in d.to_lowercase() {
            if l.is_ascii_alphanumeric() {
                out(l);
                any = true;
            } else if let Some(key) = special_letter(l) {
                key.chars().for_each(&mut *out);
                any |= !key.is_empty();
            } else if l.is_alphanumeric() && !is_apostrophe(l) && !is_combining_mark(l) {
                out(l);
                any = true;
            }
        }
    });
    if any {
        Folded::Chars
    } else {
        Folded::Drop
    }
}

/// An apostrophe or a quotation mark, which folding drops (`'`, `` ` ``, `"` and their
/// typographic look-alikes such as ’ ʼ “ ”): inside a word it joins its letters
/// ("Kup'yans'k"), at its edge it quotes the word.
#[inline]
pub fn is_quote_mark(c: char) -> bool {
    matches!(c, '\'' | '`' | '"') || is_apostrophe(c)
}

/// Apostrophes, primes and quotation marks used as apostrophes in transliterations.
#[inline]
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\u{2018}'
            | '\u{2019}'
            | '\u{201B}'
            | '\u{02BC}'
            | '\u{02B9}'
            | '\u{02BB}'
            | '\u{00B4}'
            | '\u{2032}'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{2033}'
            | '\u{02EE}'
            | '\u{02BE}'
            | '\u{02BF}'
            | '\u{FF07}'
    )
}

/// Letters that Unicode does not decompose but a key spells differently: Latin letters a
/// reader folds to plain ones, and Cyrillic soft and hard signs, which carry no letter of their
/// own in romanised names (lower case; [`classify`] lower-cases first).
#[inline]
fn special_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'ь' | 'ъ' => "",
        'ß' => "ss",
        'ł' => "l",
        'ø' => "o",
        'đ' => "d",
        'ı' => "i",
        'æ' => "ae",
        'œ' => "oe",
        _ => return None,
    })
}

/// Appends the matching key of `text` to `out`.
///
/// Leading and trailing separators are dropped and inner runs of separators become one space.
pub fn fold(text: &str, out: &mut String) {
    let start = out.len();
    let mut pending_space = false;
    for c in text.chars() {
        let mut push = |k: char| {
            if pending_space {
                if out.len() > start {
                    out.push(' ');
                }
                pending_space = false;
            }
            push_collapsed(out, start, k);
        };
        if !fold_char(c, &mut push) {
            pending_space = true;
        }
    }
}

/// Pushes one key character, applying the transliteration collapse (see [`collapse`]).
#[inline]
pub fn push_collapsed(out: &mut String, start: usize, k: char) {
    if let Some(k) = collapse(k, out.len() > start && out.ends_with('i')) {
        out.push(k);
    }
}

/// The transliteration collapse for one key character: `y` is read as `i`, and an `i` right
/// after an `i` of the same word (`after_i`) is dropped (`None`).
#[inline]
pub fn collapse(k: char, after_i: bool) -> Option<char> {
    let k = if k == 'y' { 'i' } else { k };
    (k != 'i' || !after_i).then_some(k)
}

/// Folds a place name into its key and strips a leading "the" and one trailing type word.
///
/// `"the Kharkiv Oblast"` gives `("kharkiv", Some(Region))`; a name that is only a type word
/// (`"Region"`) keeps it.
pub fn key_for_name(name: &str) -> (String, Option<Qualifier>) {
    let mut key = String::with_capacity(name.len());
    fold(name, &mut key);
    if let Some(rest) = key.strip_prefix("the ") {
        key = rest.to_owned();
    }
    let mut qualifier = None;
    if let Some((head, last)) = key.rsplit_once(' ') {
        if let Some(q) = Qualifier::from_folded_word(last) {
            qualifier = Some(q);
            key.truncate(head.len());
        }
    }
    (key, qualifier)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(s: &str) -> String {
        let mut out = String::new();
        fold(s, &mut out);
        out
    }

    #[test]
    fn transliterations_of_one_town_share_a_key() {
        for s in ["Kupiansk", "Kupyansk", "Kup'yans'k", "Kup’yans’k", "Kupʼyansʼk", "KUPIANSK"] {
            assert_eq!(k(s), "kupiansk", "{s}");
        }
        assert_eq!(k("Izium"), k("Izyum"));
        assert_eq!(k("Balakliia"), k("Balakliya"));
        assert_eq!(k("Купянськ"), k("Купянск"));
        assert_eq!(k("Куп’янськ"), k("Купянськ"));
    }

    #[test]
    fn diacritics_and_separators() {
        assert_eq!(k("Zürich"), "zurich");
        assert_eq!(k("Kraków"), "krakow");
        assert_eq!(k("Łódź"), "lodz");
        assert_eq!(k("São  Tomé-and–Príncipe"), "sao tome and principe");
        assert_eq!(k("  St. Louis "), "st louis");
        assert_eq!(k("Straße"), "strasse");
    }

    #[test]
    fn type_words_become_qualifiers() {
        assert_eq!(key_for_name("Kharkiv Oblast"), ("kharkiv".into(), Some(Qualifier::Region)));
        assert_eq!(key_for_name("the Donetsk region"), ("donetsk".into(), Some(Qualifier::Region)));
        assert_eq!(key_for_name("Oskil River"), ("oskil".into(), Some(Qualifier::River)));
        assert_eq!(key_for_name("Izium Raion"), ("izium".into(), Some(Qualifier::District)));
        assert_eq!(key_for_name("Region"), ("region".into(), None));
        assert_eq!(key_for_name("Kupiansk"), ("kupiansk".into(), None));
    }

    #[test]
    fn junk_folds_to_nothing_harmful() {
        assert_eq!(k(""), "");
        assert_eq!(k("\u{0}\u{7}\u{1b}[31m"), "31m");
        assert_eq!(k("!!!---???"), "");
    }

    proptest::proptest! {
        #[test]
        fn folding_is_idempotent(s in "\\PC{0,40}") {
            let once = k(&s);
            proptest::prop_assert_eq!(k(&once), once.clone());
            proptest::prop_assert!(!once.starts_with(' ') && !once.ends_with(' '));
            proptest::prop_assert!(!once.contains("  "));
        }
    }
}
