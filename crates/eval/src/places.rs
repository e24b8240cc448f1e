//! `sitrep eval places`: do the places sitrep finds in a report include the place where a human
//! coder put the report's event?
//!
//! Corpus format (one record per line): `{"id", "text", "lat", "lon", "place", "meta":
//! {"where_prec"}}`, as in the UCDP candidate events of `evaldata/war/`: the text is the
//! headline of the source report, the point is the coder's, and `where_prec` says how precise
//! the coder was (1 the exact place, 2 near it, 3 a second-level area, 4 a first-level area,
//! 5 a linear feature, 6 the country).
//!
//! This measures recognition and resolution together on war reporting, without span
//! annotations: for every record, the resolved toponym nearest to the coder's point. Records
//! coded to the country (6) are left out: any mention of the country would match. Which of the
//! found places is the event's is the reader's question (`sitrep eval read`), not this one's.
//!
//! Many records' texts name no place at all ("Convoy moving west"), which no geoparser can
//! place. The records whose text names the coder's settlement ([`names_settlement`]: the
//! CIR incidents' `town_city`, or UCDP's "X town" / "X village") are therefore scored apart
//! as well: there the question is only whether sitrep read that name as the right place.

use std::{fmt::Write as _, io::BufRead};

use anyhow::{Context, Result};
use sitrep_gazetteer::{distance_km, Feature, Gazetteer, LatLon, Place};
use sitrep_geoparse::{Geoparser, Parse, Theatre, TheatreChoice, Toponym};

use crate::corpus::{records, WarRecord};

/// Distances below which a found place counts as the coder's, km.
pub const THRESHOLDS_KM: [f64; 4] = [10.0, 25.0, 50.0, 161.0];

/// Scores for one corpus.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Corpus name.
    pub corpus: String,
    /// Records scored (country-level records excluded).
    pub records: usize,
    /// Records coded to the country, left out.
    pub country_level: usize,
    /// Lines that were not valid records (line number, reason).
    pub skipped: Vec<(usize, String)>,
    /// Records in which sitrep resolved no place below country level.
    pub no_place: usize,
    /// For each of [`THRESHOLDS_KM`]: records with a found place that close to the coder's.
    pub within: [usize; 4],
    /// The same, for records the coder placed at or near a town (precision 1 or 2).
    pub within_town_level: [usize; 4],
    /// Records coded at or near a town.
    pub town_level: usize,
    /// Records whose text names the coder's settlement ([`names_settlement`]).
    pub named: usize,
    /// The same thresholds, for the records whose text names the coder's settlement.
    pub within_named: [usize; 4],
    /// One line per record with no place found below country level (`NONE`), whose nearest
    /// found place is over 50 km from the coder's (`FAR`), or over 10 km when the text names the
    /// coder's settlement (`NAMED`); a `NONE` or `FAR` line whose text names the settlement
    /// says so ([`NAMES_IT`]), so that the misses the headline figure counts can be listed.
    pub error_lines: Vec<String>,
    /// What each level of the theatre prior adds, up to the one asked for: each level's name
    /// and its records naming their settlement with a found place within 10 km.
    pub levels: Vec<(String, usize)>,
}

/// Evaluates the geoparser on a corpus of coded events read from `reader`, resolving with the
/// highest theatre level `theatre` asks for and scoring every level up to it on the way.
pub fn evaluate(gaz: &Gazetteer, corpus: &str, reader: impl BufRead, theatre: &TheatreChoice) -> Result<Report> {
    let mut report = Report { corpus: corpus.to_owned(), ..Report::default() };
    let all: Vec<WarRecord> = records::<WarRecord>(corpus, reader, &mut report.skipped).collect::<Result<_>>()?;
    let mut scan = sitrep_geoparse::scan::Scan::default();
    let mut prior = Theatre::default();
    report.levels.push(("the report's own places".to_owned(), named_within_10km(&Geoparser::new(gaz), &all, &mut scan)));
    if let Some(code) = &theatre.country {
        prior = Theatre::country(gaz, code).with_context(|| format!("no country with code {code} in the gazetteer"))?;
        report.levels.push((format!("+ explicit {code}"), named_within_10km(&Geoparser::new(gaz).with_theatre(prior.clone()), &all, &mut scan)));
    }
    if theatre.batch {
        prior = theatre.of_texts(gaz, all.iter().map(|r| &r.text))?;
        report.levels.push(("+ batch".to_owned(), named_within_10km(&Geoparser::new(gaz).with_theatre(prior.clone()), &all, &mut scan)));
    }
    let parser = Geoparser::new(gaz).with_theatre(prior);
    for record in &all {
        let precision = record.precision();
        if precision >= 6 {
            report.country_level += 1;
            continue;
        }
        report.records += 1;
        let town_level = precision <= 2;
        report.town_level += usize::from(town_level);
        let named = names_its_settlement(record);
        report.named += usize::from(named);
        let parse = parser.parse_with(&record.text, &mut scan);
        let Some((km, t, p)) = nearest(&parse, record) else {
            report.no_place += 1;
            report.error_lines.push(format!("NONE   {}{}  coder: {} (prec {precision})  text: {}", record.id, names_it(named), record.place, record.text));
            continue;
        };
        for (i, limit) in THRESHOLDS_KM.iter().enumerate() {
            if km <= *limit {
                report.within[i] += 1;
                report.within_town_level[i] += usize::from(town_level);
                report.within_named[i] += usize::from(named);
            }
        }
        if km > 50.0 || (named && km > 10.0) {
            report.error_lines.push(format!(
                "{}    {}{} {km:>6.0} km  coder: {} (prec {precision})  nearest found: {} → {} [{}, {}]  text: {}",
                if km > 50.0 { "FAR" } else { "NAMED" },
                record.id,
                names_it(named && km > 50.0),
                record.place,
                t.text,
                p.display_name(),
                p.feature(),
                p.id(),
                record.text
            ));
        }
    }
    Ok(report)
}

/// Whether the record's text names the coder's settlement.
fn names_its_settlement(record: &WarRecord) -> bool {
    record.settlement().is_some_and(|s| names_settlement(&record.text, s))
}

/// The place found below country level nearest to the coder's, its distance in km and its
/// toponym.
fn nearest<'p, 'g>(parse: &'p Parse<'g>, record: &WarRecord) -> Option<(f64, &'p Toponym<'g>, Place<'g>)> {
    let gold = LatLon::new(record.lat, record.lon);
    parse
        .toponyms
        .iter()
        .filter_map(|t| t.place.filter(|p| p.feature() != Feature::Country).map(|p| (distance_km(p.point(), gold), t, p)))
        .min_by(|a, b| a.0.total_cmp(&b.0))
}

/// The records of `all` (country-level ones left out) whose text names the coder's settlement
/// and for which `parser` finds a place within 10 km of the coder's.
fn named_within_10km(parser: &Geoparser<'_>, all: &[WarRecord], scan: &mut sitrep_geoparse::scan::Scan) -> usize {
    all.iter()
        .filter(|r| r.precision() < 6 && names_its_settlement(r))
        .filter(|r| nearest(&parser.parse_with(&r.text, scan), r).is_some_and(|(km, ..)| km <= THRESHOLDS_KM[0]))
        .count()
}

/// The mark of an error line whose record's text names the coder's settlement (a `NAMED` line
/// says it by its kind).
pub const NAMES_IT: &str = " [text names the settlement]";

fn names_it(named: bool) -> &'static str {
    if named {
        NAMES_IT
    } else {
        ""
    }
}

impl Report {
    /// The summary, as printed by `sitrep eval places`.
    pub fn summary(&self) -> String {
        let share = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{}: {} records ({} coded to the country left out{})",
            self.corpus,
            self.records,
            self.country_level,
            if self.skipped.is_empty() { String::new() } else { format!(", {} lines skipped", self.skipped.len()) }
        );
        let _ = writeln!(s, "  records with no place found below country level: {} ({:.3})", self.no_place, share(self.no_place, self.records));
        for (i, limit) in THRESHOLDS_KM.iter().enumerate() {
            let _ = write!(
                s,
                "  coder's place found within {limit:>3.0} km: all {:.3} ({}/{}), coded at or near a town {:.3} ({}/{})",
                share(self.within[i], self.records),
                self.within[i],
                self.records,
                share(self.within_town_level[i], self.town_level),
                self.within_town_level[i],
                self.town_level
            );
            let _ = writeln!(s, ", text names the settlement {:.3} ({}/{})", share(self.within_named[i], self.named), self.within_named[i], self.named);
        }
        let levels: Vec<String> = self.levels.iter().map(|(level, n)| format!("{level} {:.3} ({n})", share(*n, self.named))).collect();
        let _ = writeln!(s, "  text names the settlement, within 10 km, by theatre level: {}", levels.join(", "));
        s
    }

    /// The share of records naming their settlement that have a found place within 10 km.
    pub fn named_within_10km(&self) -> f64 {
        if self.named == 0 {
            0.0
        } else {
            self.within_named[0] as f64 / self.named as f64
        }
    }

    /// The error list.
    pub fn error_report(&self) -> String {
        crate::corpus::skipped_and_errors(&self.skipped, &self.error_lines)
    }
}

/// Whether `text` names `settlement`: its folded words (see `sitrep_text::fold`, which reads
/// Kupiansk and Kupyansk alike) occur in the folded text as whole words, at least once not
/// followed by a type word ("Kherson region", "the Bakhmut district", "Dnipro river" name an
/// area or a river after the town, not the town). Judged from the text alone, never from the
/// gazetteer, so that it does not depend on what sitrep knows.
pub fn names_settlement(text: &str, settlement: &str) -> bool {
    let (mut t, mut s) = (String::with_capacity(text.len() + 2), String::with_capacity(settlement.len() + 2));
    t.push(' ');
    sitrep_text::fold(text, &mut t);
    t.push(' ');
    s.push(' ');
    sitrep_text::fold(settlement, &mut s);
    s.push(' ');
    s.len() > 2
        && t.match_indices(&s).any(|(at, _)| {
            let next = t[at + s.len()..].split(' ').next().unwrap_or("");
            sitrep_text::Qualifier::from_folded_word(next).is_none()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_settlement_is_named_by_its_whole_words_in_any_transliteration() {
        assert!(names_settlement("Shelling reported in Kupyansk overnight", "Kupiansk"));
        assert!(names_settlement("Strike on a depot near Nova Kakhovka.", "Nova Kakhovka"));
        assert!(!names_settlement("Strike on a depot near Nova Kakhovka.", "Kakhovka Dam"));
        assert!(!names_settlement("Convoy moving west", "Izium"));
        assert!(!names_settlement("Shelling of Bilohorivka", "Bilo"), "part of a word is not the name");
        assert!(!names_settlement("Anything", " "));
        // A type word after the name makes it an area's or a river's name.
        assert!(!names_settlement("Checkpoints went up across the Sumy region", "Sumy"));
        assert!(!names_settlement("Boats crossed the Dnipro River at night", "Dnipro"));
        assert!(names_settlement("Sumy oblast, and Sumy itself, came under fire", "Sumy"), "once as the town is enough");
    }

    #[test]
    fn named_records_are_scored_apart() {
        let gaz = sitrep_gazetteer::Gazetteer::embedded().expect("the embedded gazetteer opens");
        let corpus = concat!(
            r#"{"id":"a","text":"Shelling in Kharkiv","lat":49.99,"lon":36.23,"place":"Kharkiv city","meta":{"where_prec":"1"}}"#,
            "\n",
            r#"{"id":"b","text":"Convoy moving west","lat":50.45,"lon":30.52,"place":"","meta":{"town_city":"Kyiv"}}"#,
            "\n"
        );
        let report = evaluate(&gaz, "test", corpus.as_bytes(), &TheatreChoice::default()).unwrap();
        assert_eq!((report.records, report.named, report.within_named[0]), (2, 1, 1));
        assert_eq!(report.no_place, 1);
        assert!((report.named_within_10km() - 1.0).abs() < 1e-9);
        // A miss whose text names the settlement is marked so; the other is not.
        let named_miss = r#"{"id":"c","text":"Shelling of Kharkiv","lat":46.48,"lon":30.72,"place":"Kharkiv city","meta":{"where_prec":"1"}}"#;
        let report = evaluate(&gaz, "test", format!("{corpus}{named_miss}\n").as_bytes(), &TheatreChoice::default()).unwrap();
        let marked: Vec<bool> = report.error_lines.iter().map(|l| l.contains(NAMES_IT)).collect();
        assert_eq!(marked, [false, true], "{:?}", report.error_lines);
        // Each level asked for is measured, the last being the figure itself.
        let both = TheatreChoice { country: Some("UA".to_owned()), batch: true };
        let report = evaluate(&gaz, "test", corpus.as_bytes(), &both).unwrap();
        let levels: Vec<&str> = report.levels.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(levels, ["the report's own places", "+ explicit UA", "+ batch"]);
        assert_eq!(report.levels.last().map(|l| l.1), Some(report.within_named[0]));
        assert!(report.summary().contains("+ explicit UA 1.000 (1)"), "{}", report.summary());
    }
}
