//! The reader on input nobody should send it: it never panics, and every offset it reports
//! lies on the text's character boundaries.

use proptest::prelude::*;
use sitrep_gazetteer::Gazetteer;
use sitrep_read::{Reader, Report};

fn gazetteer() -> &'static Gazetteer {
    static GAZ: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
    GAZ.get_or_init(|| Gazetteer::open_default().expect("the built-in gazetteer opens"))
}

fn check(text: &str) {
    let reading = Reader::new(gazetteer()).read(&Report::text("t", text));
    let chars: Vec<char> = text.chars().collect();
    let span = |start: usize, end: usize| -> String { chars[start..end].iter().collect() };
    for c in &reading.claims {
        assert_eq!(span(c.start, c.end), c.text);
        if let Some(who) = &c.claimant {
            assert!(who.start <= who.end && who.end <= chars.len());
        }
    }
    for n in &reading.numbers {
        assert_eq!(span(n.number.start, n.number.end), n.number.text);
    }
    for d in &reading.dates {
        assert_eq!(span(d.start, d.end), d.text);
        assert!(d.from <= d.to);
    }
    for e in &reading.events {
        assert_eq!(span(e.event.start, e.event.end), e.text);
    }
    for d in &reading.disagreements {
        assert!(d.numbers.iter().all(|&i| i < reading.numbers.len()));
    }
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("The ministry said ".to_owned()),
        Just("according to ".to_owned()),
        Just("It added that ".to_owned()),
        Just("as much as 30 miles".to_owned()),
        Just(" (45 miles)".to_owned()),
        Just("thousands of square miles".to_owned()),
        Just("Kupiansk, some 73 kilometres north of Izyum".to_owned()),
        Just("on Saturday".to_owned()),
        Just("late August".to_owned()),
        Just("February 30, 2022".to_owned()),
        Just("“".to_owned()),
        Just("”".to_owned()),
        Just(". ".to_owned()),
        Just(", ".to_owned()),
        Just("\n".to_owned()),
        "[A-Z][a-z]{0,8} ",
        "[0-9,.]{1,8} ",
        "\\PC{1,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_text_reads_with_exact_spans(pieces in prop::collection::vec(piece(), 0..30)) {
        check(&pieces.concat());
    }
}

#[test]
fn degenerate_reports() {
    for text in ["", "\n\n", "?", "It said.", "According to", "10,000,000,000,000,000,000,000 km", "said said said said"] {
        check(text);
    }
    let reading = Reader::new(gazetteer()).read(&Report::text("t", "No places here, only words."));
    assert!(reading.notes.iter().any(|n| n.contains("no places")), "{:?}", reading.notes);
    assert!(reading.notes.iter().any(|n| n.contains("publication date")), "{:?}", reading.notes);
}

#[test]
fn ten_thousand_places_read_in_bounded_time() {
    let text = "Shelling hit Kupiansk, Izyum and Balakliya, the ministry said. ".repeat(3_400);
    let reading = Reader::new(gazetteer()).read(&Report::text("t", &text));
    assert_eq!(reading.places.iter().map(|p| p.mentions.len()).sum::<usize>(), 3 * 3_400);
    assert_eq!(reading.claims.len(), 3_400);
}
