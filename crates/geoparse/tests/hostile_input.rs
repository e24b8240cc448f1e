//! The geoparser on input nobody should send it: it never panics, and every span it reports
//! is exactly the text it names, whatever the text (a property test over generated text that
//! mixes place names, capitals, punctuation, scripts and control characters).

use proptest::prelude::*;
use sitrep_gazetteer::Gazetteer;
use sitrep_geoparse::{Geoparser, MAX_SEGMENT_BYTES};

fn gazetteer() -> &'static Gazetteer {
    static GAZ: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
    GAZ.get_or_init(|| Gazetteer::open_default().expect("the built-in gazetteer opens"))
}

/// Checks the invariants of a parse of `text`.
fn check(text: &str) {
    let parse = Geoparser::new(gazetteer()).parse(text);
    let chars: Vec<char> = text.chars().collect();
    let mut previous_end = 0;
    for t in &parse.toponyms {
        assert!(t.start < t.end && t.end <= chars.len(), "span {}..{} in {} chars", t.start, t.end, chars.len());
        assert!(t.start >= previous_end, "toponyms overlap or are out of order");
        previous_end = t.end;
        let by_chars: String = chars[t.start..t.end].iter().collect();
        assert_eq!(by_chars, t.text);
        assert_eq!(&text[t.byte_start..t.byte_end], t.text);
        assert!((0.0..=1.0).contains(&t.confidence));
    }
    for d in &parse.demonyms {
        let by_chars: String = chars[d.start..d.end].iter().collect();
        assert_eq!(by_chars, d.text);
    }
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Kupiansk".to_owned()),
        Just("Izyum".to_owned()),
        Just("Kharkiv region".to_owned()),
        Just("Oskil River".to_owned()),
        Just("Sea of Azov".to_owned()),
        Just("Купянськ".to_owned()),
        Just("Kup’yans’k".to_owned()),
        Just("Mr".to_owned()),
        Just("U.S.".to_owned()),
        Just("Main Street".to_owned()),
        Just("Route 66".to_owned()),
        Just("Ukrainian".to_owned()),
        Just(" ".to_owned()),
        Just("\n".to_owned()),
        Just(", ".to_owned()),
        Just(". ".to_owned()),
        Just("-".to_owned()),
        Just("’s".to_owned()),
        "[A-Z][a-z]{0,8}",
        "[a-z]{1,8}",
        "\\PC{1,6}",
        "[\\x00-\\x1f\u{200b}\u{fffd}\u{0301}]{1,3}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn any_text_parses_with_exact_spans(pieces in prop::collection::vec(piece(), 0..40)) {
        check(&pieces.concat());
    }

    #[test]
    fn arbitrary_unicode_parses(text in "\\PC{0,200}") {
        check(&text);
    }
}

#[test]
fn empty_and_degenerate_texts() {
    for text in ["", " ", "\n\n\n", ".", "\u{0}", "\u{fffd}\u{fffd}", "ALL CAPS HEADLINE ABOUT KHARKIV", "’s’s’s"] {
        check(text);
    }
}

#[test]
fn a_text_longer_than_a_segment_keeps_exact_offsets() {
    let sentence = "Fighting went on near Kupiansk and Izyum. Ђ\n";
    let repeats = MAX_SEGMENT_BYTES / sentence.len() * 2 + 7;
    let text = sentence.repeat(repeats);
    assert!(text.len() > 2 * MAX_SEGMENT_BYTES);
    check(&text);
    let parse = Geoparser::new(gazetteer()).parse(&text);
    let kupiansk = parse.toponyms.iter().filter(|t| t.text == "Kupiansk").count();
    assert_eq!(kupiansk, repeats, "every repetition is found once, across segment cuts");
}

#[test]
fn one_endless_line_is_cut_at_white_space_or_anywhere() {
    // No line breaks at all, then no white space at all: segments must still be valid.
    let spaced = "Kupiansk ".repeat(MAX_SEGMENT_BYTES / 9 + 100);
    check(&spaced);
    let solid = "Ђ".repeat(MAX_SEGMENT_BYTES / 2 + 100);
    check(&solid);
}
