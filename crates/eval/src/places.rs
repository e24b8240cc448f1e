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

use std::{fmt::Write as _, io::BufRead};

use anyhow::Result;
use sitrep_gazetteer::{distance_km, Feature, Gazetteer, LatLon};
use sitrep_geoparse::Geoparser;

use crate::corpus::{records, WarRecord};

/// Distances below which a found place counts as the coder's, km.
pub const THRESHOLDS_KM: [f64; 3] = [10.0, 50.0, 161.0];

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
    pub within: [usize; 3],
    /// The same, for records the coder placed at or near a town (precision 1 or 2).
    pub within_town_level: [usize; 3],
    /// Records coded at or near a town.
    pub town_level: usize,
    /// One line per record whose nearest found place is over 50 km from the coder's.
    pub error_lines: Vec<String>,
}

/// Evaluates the geoparser on a corpus of coded events read from `reader`.
pub fn evaluate(gaz: &Gazetteer, corpus: &str, reader: impl BufRead) -> Result<Report> {
    let parser = Geoparser::new(gaz);
    let mut report = Report { corpus: corpus.to_owned(), ..Report::default() };
    let mut scan = sitrep_geoparse::scan::Scan::default();
    for record in records::<WarRecord>(corpus, reader, &mut report.skipped) {
        let record = record?;
        let precision = record.precision();
        if precision >= 6 {
            report.country_level += 1;
            continue;
        }
        report.records += 1;
        let town_level = precision <= 2;
        report.town_level += usize::from(town_level);
        let gold = LatLon::new(record.lat, record.lon);
        let parse = parser.parse_with(&record.text, &mut scan);
        let nearest = parse
            .toponyms
            .iter()
            .filter_map(|t| t.place.filter(|p| p.feature() != Feature::Country).map(|p| (distance_km(p.point(), gold), t, p)))
            .min_by(|a, b| a.0.total_cmp(&b.0));
        let Some((km, t, p)) = nearest else {
            report.no_place += 1;
            report.error_lines.push(format!("NONE   {}  coder: {} (prec {precision})  text: {}", record.id, record.place, record.text));
            continue;
        };
        for (i, limit) in THRESHOLDS_KM.iter().enumerate() {
            if km <= *limit {
                report.within[i] += 1;
                report.within_town_level[i] += usize::from(town_level);
            }
        }
        if km > 50.0 {
            report.error_lines.push(format!(
                "FAR    {} {km:>6.0} km  coder: {} (prec {precision})  nearest found: {} → {} [{}, {}]  text: {}",
                record.id,
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
            let _ = writeln!(
                s,
                "  coder's place found within {limit:>3.0} km: all {:.3} ({}/{}), coded at or near a town {:.3} ({}/{})",
                share(self.within[i], self.records),
                self.within[i],
                self.records,
                share(self.within_town_level[i], self.town_level),
                self.within_town_level[i],
                self.town_level
            );
        }
        s
    }

    /// The error list.
    pub fn error_report(&self) -> String {
        crate::corpus::skipped_and_errors(&self.skipped, &self.error_lines)
    }
}
