//! Reading evaluation corpora: JSON lines, and the coded war events of `evaldata/war/`.

use std::{fmt::Write as _, io::BufRead};

use anyhow::{Context, Result};
use serde::{de::DeserializeOwned, Deserialize};

/// The records of a JSON-lines corpus, in order. Blank lines are passed over; a line that is
/// not a record is noted in `skipped` with its number and the reason, and passed over too.
pub fn records<'a, T: DeserializeOwned>(
    corpus: &'a str,
    input: impl BufRead + 'a,
    skipped: &'a mut Vec<(usize, String)>,
) -> impl Iterator<Item = Result<T>> + 'a {
    let mut lines = input.lines().enumerate();
    std::iter::from_fn(move || loop {
        let (n, line) = lines.next()?;
        let line = match line.with_context(|| format!("reading {corpus} line {}", n + 1)) {
            Ok(l) => l,
            Err(e) => return Some(Err(e)),
        };
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str(&line) {
            Ok(record) => return Some(Ok(record)),
            Err(e) => skipped.push((n + 1, e.to_string())),
        }
    })
}

/// A coded event of `evaldata/war/` (UCDP candidate events): the headline text, the coder's
/// point and place, and the coding details sitrep is scored against.
#[derive(Deserialize)]
pub struct WarRecord {
    /// Record id.
    pub id: String,
    /// The headline(s) of the source report.
    pub text: String,
    /// The event's date, YYYY-MM-DD.
    pub date: Option<String>,
    /// The coder's latitude.
    pub lat: f64,
    /// The coder's longitude.
    pub lon: f64,
    /// The coder's place, in words.
    #[serde(default)]
    pub place: String,
    /// Coding details.
    #[serde(default)]
    pub meta: WarMeta,
}

/// The coding details of a [`WarRecord`] that the evaluations use.
#[derive(Deserialize, Default)]
pub struct WarMeta {
    /// How precise the coder's place is (UCDP's `where_prec`, "1" … "6").
    pub where_prec: Option<String>,
    /// Who originally said so.
    pub source_original: Option<String>,
    /// The settlement, where the dataset names it in a field of its own (the CIR incidents'
    /// `town_city`).
    pub town_city: Option<String>,
}

impl WarRecord {
    /// The coder's precision: 1 the exact place … 6 the country (1 when not given).
    pub fn precision(&self) -> u8 {
        self.meta.where_prec.as_deref().and_then(|p| p.trim().parse().ok()).unwrap_or(1)
    }

    /// The settlement the coder placed the event in, when the record says: the `town_city`
    /// field, or a place coded at or near a town ("Bakhmut town", "Yeline village", UCDP's
    /// style) without its type word.
    pub fn settlement(&self) -> Option<&str> {
        if let Some(town) = self.meta.town_city.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            return Some(town);
        }
        if self.precision() > 2 {
            return None;
        }
        let (name, kind) = self.place.trim().rsplit_once(' ')?;
        matches!(kind, "town" | "village" | "city" | "settlement").then_some(name.trim()).filter(|n| !n.is_empty())
    }
}

/// The lines a corpus could not use (`SKIPPED line N: reason`), then the error lines, one per
/// line: the tail of every evaluation's error list.
pub fn skipped_and_errors(skipped: &[(usize, String)], error_lines: &[String]) -> String {
    let mut s = String::new();
    for (line, reason) in skipped {
        let _ = writeln!(s, "SKIPPED line {line}: {reason}");
    }
    for l in error_lines {
        s += l;
        s.push('\n');
    }
    s
}
