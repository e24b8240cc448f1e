//! The offsets stage: the stages find spans in bytes of the report text; a reading gives
//! every offset in Unicode scalar values (Python `str` indices). Place mentions already are.

use sitrep_geoparse::CharOffsets;

use crate::Reading;

/// Turns every byte offset of `reading` (events and their evidence, claims and claimants,
/// numbers, geography checks, dates, control statements and their places) into a char offset
/// of `text`.
pub fn to_chars(reading: &mut Reading, text: &str) {
    let chars = CharOffsets::new(text);
    let fix = |start: &mut usize, end: &mut usize| {
        *start = chars.char_at(*start);
        *end = chars.char_at(*end);
    };
    for e in &mut reading.events {
        fix(&mut e.event.start, &mut e.event.end);
        for a in &mut e.also {
            fix(&mut a.start, &mut a.end);
        }
    }
    for c in &mut reading.claims {
        fix(&mut c.start, &mut c.end);
        if let Some(who) = c.claimant.as_mut() {
            fix(&mut who.start, &mut who.end);
        }
    }
    for n in &mut reading.numbers {
        fix(&mut n.number.start, &mut n.number.end);
    }
    for g in &mut reading.geography_checks {
        fix(&mut g.start, &mut g.end);
    }
    for d in &mut reading.dates {
        fix(&mut d.start, &mut d.end);
    }
    for c in &mut reading.control {
        fix(&mut c.start, &mut c.end);
        fix(&mut c.place.start, &mut c.place.end);
    }
}

#[cfg(test)]
mod tests {
    use crate::{tests::reader, Report};

    #[test]
    fn every_span_counts_chars() {
        let text = "Über Nacht, the defence ministry said, troops advanced 12 km towards Kup’yans’k on 3 March 2023.";
        let reading = reader().read(&Report::text("t", text));
        let chars: Vec<char> = text.chars().collect();
        let span = |start: usize, end: usize| chars[start..end].iter().collect::<String>();
        let claim = &reading.claims[0];
        assert_eq!(span(claim.start, claim.end), claim.text);
        let who = claim.claimant.as_ref().unwrap();
        assert_eq!(span(who.start, who.end), "the defence ministry");
        assert_eq!(span(reading.numbers[0].number.start, reading.numbers[0].number.end), "12 km");
        assert_eq!(span(reading.dates[0].start, reading.dates[0].end), "3 March 2023");
        let e = &reading.events[0];
        assert_eq!(span(e.event.start, e.event.end), e.text);
    }
}
