//! `sitrep eval events`: the reader on coded war events (UCDP candidate events, Ukraine).
//!
//! Each record's text (the headline of the source report) is read with the record's date as
//! its publication date. Two questions, as the reader issue asks:
//!
//! - **event place**: is the place of the first event sitrep reads (or, when it reads none,
//!   the most precise place it finds) within 10 km of the coder's point? Country-level records
//!   are left out.
//! - **claimant**: does sitrep's claimant agree with the dataset's original source? They agree
//!   when both name the same side of the war (Russian or Ukrainian), or share a name
//!   ("Konashenkov", "Mediazona", "General Staff").
//!
//! Both are also printed on the records where the text gives the reader a chance: the
//! **named** records, whose coder's settlement (precision 1 or 2) is written in the headline
//! ([`names_settlement`]), and the records whose headline **names a source** ([`names_source`]).

use std::{fmt::Write as _, io::BufRead};

use anyhow::Result;
use chrono::NaiveDate;
use sitrep_gazetteer::{distance_km, Gazetteer, LatLon};
use sitrep_geoparse::TheatreChoice;
use sitrep_read::{Reader, Report as ReadReport};

use crate::corpus::{records, WarRecord};

/// Scores for one corpus.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Corpus name.
    pub corpus: String,
    /// The theatre levels the reader resolved with ([`TheatreChoice::level`]).
    pub theatre: String,
    /// Records read.
    pub records: usize,
    /// Lines that were not valid records.
    pub skipped: Vec<(usize, String)>,
    /// Records below country level.
    pub placed_records: usize,
    /// Of those, records whose event place sitrep put within 10 km of the coder's.
    pub place_within_10km: usize,
    /// Of those, within 50 km.
    pub place_within_50km: usize,
    /// Placed records whose coder's settlement is named in the text ([`names_settlement`]).
    pub named_records: usize,
    /// Of those, records whose event place sitrep put within 10 km of the coder's.
    pub named_within_10km: usize,
    /// Records with an original source in the dataset.
    pub sourced_records: usize,
    /// Of those, records where sitrep names a claimant.
    pub claimant_found: usize,
    /// Of those, records where sitrep's claimant agrees with the dataset's.
    pub claimant_agrees: usize,
    /// Sourced records whose headline names a source ([`names_source`]).
    pub source_named_records: usize,
    /// Of those, records where sitrep's claimant agrees with the dataset's.
    pub source_named_agrees: usize,
    /// Records sitrep read an event in.
    pub with_event: usize,
    /// One line per record whose event place is over 10 km off or whose claimant disagrees.
    pub error_lines: Vec<String>,
}

/// The side of the war a source's name belongs to.
fn side(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    let russian = lower.contains("russia") || lower.contains("lpr") || lower.contains("dpr") || lower.contains("konashenkov");
    let ukrainian = lower.contains("ukrain") || lower.contains("kyiv") || lower.contains("ova") || lower.contains("regional military administration");
    match (russian, ukrainian) {
        (true, false) => Some("RU"),
        (false, true) => Some("UA"),
        _ => None,
    }
}

/// True when two source names agree: same side, or a shared distinctive word.
fn agree(ours: &str, theirs: &str) -> bool {
    if let (Some(a), Some(b)) = (side(ours), side(theirs)) {
        return a == b;
    }
    // A shared word, or one spelled with another ending ("Mediazone", "Mediazona").
    let words = |s: &str| -> Vec<String> { s.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 5).map(str::to_lowercase).collect() };
    let stem = |w: &str| w.chars().take(w.chars().count().saturating_sub(1).max(5)).collect::<String>();
    let theirs: Vec<String> = words(theirs).iter().map(|w| stem(w)).collect();
    words(ours).iter().any(|w| theirs.contains(&stem(w)))
}

/// The coder's settlement without its type word ("Bakhmut town" → "Bakhmut").
fn settlement_name(place: &str) -> &str {
    let place = place.trim();
    ["town", "village", "city", "settlement", "urban-type settlement"].iter().find_map(|w| place.strip_suffix(w).map(str::trim_end)).unwrap_or(place)
}

/// True when a record's coder's settlement (precision 1 or 2) is written in its text: the
/// name's stem (all but its last two letters, at least four), so that inflected and
/// transliterated endings count ("Kramatorsk", "Bakhmuta").
pub fn names_settlement(record: &WarRecord) -> bool {
    let name = settlement_name(&record.place).to_lowercase();
    let letters: Vec<char> = name.chars().collect();
    if record.precision() > 2 || letters.len() < 4 {
        return false;
    }
    let stem: String = letters[..letters.len().saturating_sub(2).max(4)].iter().collect();
    record.text.to_lowercase().contains(&stem)
}

/// True when a headline names a source: a reporting verb ("said", "reported", "according
/// to") or a source after a dash at the end of a headline ("... - Russian Defense Ministry").
pub fn names_source(text: &str) -> bool {
    let lower = format!(" {} ", text.to_lowercase());
    let verb = [" said", " says", " reported", " reports", " according to", " claimed", " stated", " announced", " summary"].iter().any(|v| lower.contains(v));
    // A tail that tells more of the news ("- one dead, nine wounded", "- a shell hit a house")
    // is no source.
    let news = |tail: &str| {
        tail.chars().any(|c| c.is_ascii_digit())
            || tail.split_whitespace().any(|w| {
                let w = w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
                w.ends_with("ed") || matches!(w.as_str(), "hit" | "lost" | "dead" | "died" | "killed" | "one" | "two" | "three")
            })
    };
    let dash = text.split(" | ").any(|h| {
        [" - ", " – ", " — "].iter().any(|d| h.rsplit_once(d).is_some_and(|(_, tail)| (1..=8).contains(&tail.split_whitespace().count()) && !news(tail)))
    });
    verb || dash
}

/// Evaluates the reader on coded events read from `reader`.
/// The reader resolves place names with the theatre `theatre` asks for; its batch level is
/// the corpus's records.
pub fn evaluate(gaz: &Gazetteer, corpus: &str, input: impl BufRead, theatre: &TheatreChoice) -> Result<Report> {
    let mut report = Report { corpus: corpus.to_owned(), theatre: theatre.level(), ..Report::default() };
    let all: Vec<WarRecord> = records::<WarRecord>(corpus, input, &mut report.skipped).collect::<Result<_>>()?;
    let reader = Reader::new(gaz).with_theatre(theatre.of_texts(gaz, all.iter().map(|r| &r.text))?);
    for record in all {
        report.records += 1;
        let published = record.date.as_deref().and_then(|d| NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok());
        let reading = reader.read(&ReadReport { id: record.id.clone(), published, text: record.text.clone(), ..ReadReport::default() });
        report.with_event += usize::from(!reading.events.is_empty());

        let precision = record.precision();
        if precision < 6 {
            report.placed_records += 1;
            let gold = LatLon::new(record.lat, record.lon);
            let event_place = reading.events.iter().find_map(|e| e.place.as_ref()).map(|p| (p.name.clone(), LatLon::new(p.lat, p.lon)));
            // Without an event, the most precise place the report names.
            let fallback = || reading.places.iter().min_by_key(|p| feature_rank(p.feature)).map(|p| (p.name.clone(), LatLon::new(p.lat, p.lon)));
            let named = names_settlement(&record);
            report.named_records += usize::from(named);
            match event_place.or_else(fallback) {
                Some((name, point)) => {
                    let km = distance_km(point, gold);
                    report.place_within_10km += usize::from(km <= 10.0);
                    report.named_within_10km += usize::from(named && km <= 10.0);
                    report.place_within_50km += usize::from(km <= 50.0);
                    if km > 10.0 {
                        report
                            .error_lines
                            .push(format!("PLACE  {} {km:>5.0} km  read {name}, coder {} (prec {precision}): {}", record.id, record.place, record.text));
                    }
                }
                None => report.error_lines.push(format!("PLACE  {}  none read, coder {} (prec {precision}): {}", record.id, record.place, record.text)),
            }
        }

        if let Some(original) = record.meta.source_original.as_deref().filter(|s| !s.trim().is_empty()) {
            report.sourced_records += 1;
            let named = names_source(&record.text);
            report.source_named_records += usize::from(named);
            let ours = reading.claims.iter().find_map(|c| c.claimant.as_ref()).map(|c| c.name.clone());
            match ours {
                Some(name) => {
                    report.claimant_found += 1;
                    if agree(&name, original) {
                        report.claimant_agrees += 1;
                        report.source_named_agrees += usize::from(named);
                    } else {
                        report.error_lines.push(format!("SOURCE {}  read {name:?}, dataset {original:?}", record.id));
                    }
                }
                None => report.error_lines.push(format!("SOURCE {}  none read, dataset {original:?}: {}", record.id, record.text)),
            }
        }
    }
    Ok(report)
}

fn feature_rank(f: sitrep_gazetteer::Feature) -> u8 {
    use sitrep_gazetteer::Feature::*;
    match f {
        City | Facility | Island | Landform => 0,
        Admin2 | Hromada => 1,
        Admin1 | Region => 2,
        River | Sea | Lake => 3,
        Country => 4,
    }
}

impl Report {
    /// The summary, as printed by `sitrep eval events`.
    pub fn summary(&self) -> String {
        let share = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{}: {} records{}",
            self.corpus,
            self.records,
            if self.skipped.is_empty() { String::new() } else { format!(", {} lines skipped", self.skipped.len()) }
        );
        let _ = writeln!(s, "  theatre: {}", self.theatre);
        let _ = writeln!(s, "  records with an event read: {:.3} ({}/{})", share(self.with_event, self.records), self.with_event, self.records);
        let _ = writeln!(
            s,
            "  event place within 10 km of the coder's: {:.3} ({}/{}); within 50 km: {:.3}",
            share(self.place_within_10km, self.placed_records),
            self.place_within_10km,
            self.placed_records,
            share(self.place_within_50km, self.placed_records)
        );
        let _ = writeln!(
            s,
            "  where the coder's settlement is named in the text: event place within 10 km {:.3} ({}/{})",
            share(self.named_within_10km, self.named_records),
            self.named_within_10km,
            self.named_records
        );
        let _ = writeln!(
            s,
            "  where the headline names a source: claimant agrees {:.3} ({}/{})",
            share(self.source_named_agrees, self.source_named_records),
            self.source_named_agrees,
            self.source_named_records
        );
        let _ = writeln!(
            s,
            "  claimant agrees with the original source: {:.3} of all sourced records ({}/{}); a claimant read in {:.3}, agreeing in {:.3} of those",
            share(self.claimant_agrees, self.sourced_records),
            self.claimant_agrees,
            self.sourced_records,
            share(self.claimant_found, self.sourced_records),
            share(self.claimant_agrees, self.claimant_found)
        );
        s
    }

    /// The error list.
    pub fn error_report(&self) -> String {
        crate::corpus::skipped_and_errors(&self.skipped, &self.error_lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::WarMeta;

    fn record(place: &str, prec: &str, text: &str) -> WarRecord {
        WarRecord {
            id: "r".to_owned(),
            text: text.to_owned(),
            date: None,
            lat: 0.0,
            lon: 0.0,
            place: place.to_owned(),
            meta: WarMeta { where_prec: Some(prec.to_owned()), source_original: None, town_city: None },
        }
    }

    #[test]
    fn sources_agree_on_a_side_or_a_word_spelled_alike() {
        assert!(agree("Mediazone", "Mediazona"));
        assert!(agree("the Russian MoD", "Russian Defence Ministry spokesman"));
        assert!(!agree("Ukrainian General Staff", "Russian Defence Ministry"));
        assert!(!agree("Mediazone", "Ukrinform"));
    }

    #[test]
    fn a_settlement_is_named_when_its_stem_is_written() {
        assert!(names_settlement(&record("Kupiansk town", "1", "Two killed in a strike on Kupiansk")));
        assert!(names_settlement(&record("Bakhmut town", "2", "Heavy fighting on the outskirts of Bakhmuta")));
        assert!(!names_settlement(&record("Yasnohirka village", "1", "Shelling in the Donetsk region")));
        assert!(!names_settlement(&record("Kherson oblast", "4", "Shelling of Kherson oblast")), "an oblast is not a settlement");
    }

    #[test]
    fn a_headline_names_a_source_by_a_verb_or_a_closing_dash() {
        assert!(names_source("Enemy lost 40 soldiers near Vuhledar - General Staff"));
        assert!(names_source("The regional governor said two houses burned"));
        assert!(!names_source("Drone shot down over Kyiv region"));
        assert!(!names_source("The enemy shelled Kupiansk - two dead, three wounded"), "the tail is news, not a source");
        assert!(!names_source("Kupiansk - Kharkiv road shelled overnight by the enemy forces in the morning hours"));
    }
}
