//! `sitrep where NAME`: ranked candidates for a place name.

use std::process::ExitCode;

use anyhow::{bail, Result};
use serde::Serialize;
use sitrep_gazetteer::{bearing_deg, compass_point, distance_km, Feature, Gazetteer, Hit, LatLon, MatchKind, Query};

use crate::render::{round, spelling_for_key, thousands, where_label, PlaceJson};

/// Arguments of `sitrep where`.
#[derive(clap::Args)]
pub struct Args {
    /// The place name (any spelling; `-` reads it from standard input).
    name: String,
    /// Prefer candidates near this place, and give distances from it.
    #[arg(long, value_name = "PLACE")]
    near: Option<String>,
    /// Keep only candidates in this country (ISO code such as UA, or a name).
    #[arg(long, value_name = "COUNTRY")]
    country: Option<String>,
    /// How many candidates to show.
    #[arg(long, default_value_t = 5)]
    limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Output format of `where`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    /// Readable lines.
    Text,
    /// One JSON document.
    Json,
}

#[derive(Serialize)]
struct Candidate<'g> {
    rank: usize,
    #[serde(flatten)]
    place: PlaceJson<'g>,
    matched_spelling: Option<&'g str>,
    /// "Kharkiv Oblast, Ukraine".
    located_in: String,
    #[serde(rename = "match")]
    matched: MatchKind,
    score: f64,
    distance_km: Option<f64>,
    bearing_deg: Option<f64>,
    compass: Option<&'static str>,
}

#[derive(Serialize)]
struct Answer<'g> {
    query: &'g str,
    fuzzy: bool,
    ambiguous: bool,
    context: Option<PlaceJson<'g>>,
    candidates: Vec<Candidate<'g>>,
}

/// Resolves `--country` to an ISO code.
fn country_code(gaz: &Gazetteer, country: &str) -> Result<String> {
    if country.len() == 2 && country.chars().all(|c| c.is_ascii_alphabetic()) {
        return Ok(country.to_ascii_uppercase());
    }
    let outcome = gaz.search(&Query { name: country, limit: 50, ..Query::default() })?;
    match outcome.hits.iter().find(|h| h.place.feature() == Feature::Country) {
        Some(hit) => Ok(hit.place.code().to_owned()),
        None => bail!("no country called {country:?}"),
    }
}

/// Runs `sitrep where`.
pub fn run(gaz: &Gazetteer, args: &Args) -> Result<ExitCode> {
    let name = super::name_argument(&args.name)?;
    let near = args.near.as_deref().map(|n| super::resolve_one(gaz, n)).transpose()?;
    let country = args.country.as_deref().map(|c| country_code(gaz, c)).transpose()?;
    let query = Query { name: &name, near: near.as_ref().map(|h| h.place.point()), country: country.as_deref(), limit: args.limit, exact_only: false };
    let outcome = gaz.search(&query)?;
    if outcome.hits.is_empty() {
        let suggestions = gaz.suggestions(&name, 5);
        let shown = if name.chars().count() > 60 { format!("{}…", name.chars().take(60).collect::<String>()) } else { name.clone() };
        eprintln!("no place called {shown:?} in the gazetteer{}", country.map(|c| format!(" (country {c})")).unwrap_or_default());
        if !suggestions.is_empty() {
            eprintln!("did you mean: {}", suggestions.join("; "));
        }
        return Ok(ExitCode::from(1));
    }
    let ambiguous = outcome.hits.len() > 1;
    // Distances are given from the --near place, or from the best candidate when the name is ambiguous.
    let context: Option<(LatLon, String)> = match &near {
        Some(h) => Some((h.place.point(), h.place.display_name().to_owned())),
        None if ambiguous => Some((outcome.hits[0].place.point(), format!("#1 {}", outcome.hits[0].place.display_name()))),
        None => None,
    };
    let (key, _) = sitrep_text::key_for_name(&name);
    let candidates: Vec<Candidate<'_>> =
        outcome.hits.iter().enumerate().map(|(i, hit)| candidate(i + 1, hit, &name, &key, context.as_ref().map(|c| c.0))).collect();
    match args.format {
        Format::Json => {
            let answer = Answer { query: &name, fuzzy: outcome.fuzzy, ambiguous, context: near.as_ref().map(|h| PlaceJson::new(&h.place)), candidates };
            println!("{}", serde_json::to_string_pretty(&answer)?);
        }
        Format::Text => print_text(&name, outcome.fuzzy, &candidates, context.as_ref().map(|c| c.1.as_str())),
    }
    Ok(ExitCode::SUCCESS)
}

fn candidate<'g>(rank: usize, hit: &Hit<'g>, typed: &'g str, key: &str, context: Option<LatLon>) -> Candidate<'g> {
    let point = hit.place.point();
    let (distance_km, bearing_deg, compass) = match context {
        Some(from) if rank > 1 || distance_km(from, point) > 0.5 => {
            let b = bearing_deg(from, point);
            (Some(round(distance_km(from, point), 1)), Some(round(b, 0)), Some(compass_point(b)))
        }
        _ => (None, None, None),
    };
    Candidate {
        rank,
        place: PlaceJson::new(&hit.place),
        // The typed spelling when it folds to the place's own key, else the data's spelling.
        matched_spelling: if hit.matched == MatchKind::Exact && sitrep_text::key_for_name(typed) == (key.to_owned(), None) {
            Some(typed.trim())
        } else {
            spelling_for_key(&hit.place, key)
        },
        located_in: where_label(&hit.place),
        matched: hit.matched,
        score: round(hit.score, 2),
        distance_km,
        bearing_deg,
        compass,
    }
}

fn print_text(name: &str, fuzzy: bool, candidates: &[Candidate<'_>], context: Option<&str>) {
    if fuzzy {
        println!("no exact match for {name:?}; closest spellings (fuzzy):");
    }
    for c in candidates {
        let p = &c.place;
        // A town found under another spelling shows it first, as analysts wrote it; areas show
        // their English name ("Kharkiv Oblast") whatever alias matched.
        let shown = match c.matched_spelling {
            Some(s) if s != p.name && !p.feature.is_area() => format!("{s} (GeoNames: {})", p.name),
            _ => p.name.to_owned(),
        };
        let area = if c.located_in.is_empty() { String::new() } else { format!(", {}", c.located_in) };
        println!("{:>2}. {shown} — {}{area}  [{}]", c.rank, p.feature, p.id);
        let mut facts = vec![format!("{:.4}, {:.4}", p.lat, p.lon)];
        if p.population > 0 {
            facts.push(format!("population {}", thousands(p.population)));
        }
        if let (Some(d), Some(b), Some(cp)) = (c.distance_km, c.bearing_deg, c.compass) {
            facts.push(format!("{d:.0} km {cp} ({b:.0}°) of {}", context.unwrap_or("the context place")));
        }
        if let MatchKind::Fuzzy { edits } = c.matched {
            facts.push(format!("fuzzy match, {edits} edit{}", if edits == 1 { "" } else { "s" }));
        }
        println!("    {}", facts.join(" · "));
        if !p.alternates.is_empty() {
            let shown: Vec<&str> = p.alternates.iter().take(8).copied().collect();
            let more = p.alternates.len().saturating_sub(shown.len());
            let more = if more > 0 { format!(" (+{more} more)") } else { String::new() };
            println!("    also: {}{more}", shown.join(", "));
        }
    }
}
