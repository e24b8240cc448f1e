//! Parsing the hand-written supplement (`crates/gazetteer/data/supplement.tsv`).

use anyhow::{anyhow, bail, Context, Result};
use sitrep_gazetteer::Feature;

/// One line of the supplement.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    /// A new feature.
    Add(NewFeature),
    /// More spellings for an existing country (ISO code) or subdivision (GeoNames admin code).
    Alias {
        /// `GB`, `UA.05`.
        code: String,
        /// The spellings.
        names: Vec<String>,
    },
    /// GeoNames's own representative point for a country or subdivision, where the packages
    /// give another one.
    Point {
        /// `US`, `UA.05`.
        code: String,
        /// Latitude.
        lat: f64,
        /// Longitude.
        lon: f64,
    },
}

/// A feature the supplement adds.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFeature {
    /// Stable slug; the place id is `sitrep:SLUG`.
    pub slug: String,
    /// Preferred name.
    pub name: String,
    /// Other spellings.
    pub alternates: Vec<String>,
    /// Feature class.
    pub feature: Feature,
    /// ISO alpha-2, possibly empty (seas).
    pub country: String,
    /// GeoNames admin1 code, possibly empty.
    pub admin1: String,
    /// Representative point.
    pub lat: f64,
    /// Representative point.
    pub lon: f64,
    /// Population or 0.
    pub population: u64,
    /// `[min_lat, min_lon, max_lat, max_lon]`.
    pub bbox: Option<[f64; 4]>,
    /// Line vertices, upstream first.
    pub line: Vec<(f64, f64)>,
}

/// Parses the supplement; errors name the line.
pub fn parse(text: &str) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        rows.push(parse_row(line).with_context(|| format!("supplement line {}", n + 1))?);
    }
    Ok(rows)
}

fn split_names(s: &str) -> Vec<String> {
    s.split('|').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

fn number(s: &str, what: &str) -> Result<f64> {
    let v: f64 = s.trim().parse().with_context(|| format!("{what} {s:?} is not a number"))?;
    if !v.is_finite() {
        bail!("{what} {s:?} is not finite");
    }
    Ok(v)
}

fn check_point(lat: f64, lon: f64) -> Result<()> {
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        bail!("point {lat},{lon} is off the globe");
    }
    Ok(())
}

fn parse_row(line: &str) -> Result<Row> {
    let cols: Vec<&str> = line.split('\t').collect();
    let col = |i: usize| cols.get(i).copied().unwrap_or("").trim();
    match col(0) {
        "alias" => {
            let names = split_names(col(3));
            if col(1).is_empty() || names.is_empty() {
                bail!("an alias row needs a code and at least one spelling");
            }
            Ok(Row::Alias { code: col(1).to_owned(), names })
        }
        "point" => {
            let (lat, lon) = (number(col(7), "lat")?, number(col(8), "lon")?);
            check_point(lat, lon)?;
            if col(1).is_empty() {
                bail!("a point row needs a code");
            }
            Ok(Row::Point { code: col(1).to_owned(), lat, lon })
        }
        "add" => {
            let feature = Feature::parse(col(4)).ok_or_else(|| anyhow!("unknown feature {:?}", col(4)))?;
            let (lat, lon) = (number(col(7), "lat")?, number(col(8), "lon")?);
            check_point(lat, lon)?;
            let population = if col(9).is_empty() { 0 } else { col(9).parse().context("population")? };
            let bbox = if col(10).is_empty() {
                None
            } else {
                let v: Vec<f64> = col(10).split(',').map(|s| number(s, "bbox")).collect::<Result<_>>()?;
                let [a, b, c, d] = v[..] else { bail!("a bbox has four numbers") };
                check_point(a, b)?;
                check_point(c, d)?;
                if a > c || b > d {
                    bail!("bbox corners are swapped");
                }
                Some([a, b, c, d])
            };
            let mut line = Vec::new();
            for vertex in col(11).split(';').filter(|s| !s.trim().is_empty()) {
                let mut it = vertex.split_whitespace();
                let (Some(a), Some(b), None) = (it.next(), it.next(), it.next()) else {
                    bail!("line vertex {vertex:?} is not \"lat lon\"");
                };
                let (a, b) = (number(a, "line lat")?, number(b, "line lon")?);
                check_point(a, b)?;
                line.push((a, b));
            }
            if col(1).is_empty() || col(2).is_empty() {
                bail!("an add row needs a slug and a name");
            }
            Ok(Row::Add(NewFeature {
                slug: col(1).to_owned(),
                name: col(2).to_owned(),
                alternates: split_names(col(3)),
                feature,
                country: col(5).to_owned(),
                admin1: col(6).to_owned(),
                lat,
                lon,
                population,
                bbox,
                line,
            }))
        }
        other => bail!("unknown row kind {other:?} (expected add or alias)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_supplement_parses() {
        let text = include_str!("../../gazetteer/data/supplement.tsv");
        let rows = parse(text).unwrap();
        assert!(rows.len() > 30);
        let donbas = rows.iter().find_map(|r| match r {
            Row::Add(f) if f.slug == "donbas" => Some(f),
            _ => None,
        });
        assert_eq!(donbas.unwrap().feature, Feature::Region);
    }

    #[test]
    fn bad_rows_name_their_line() {
        let err = parse("# c\nadd\tx\tX\t\triver\tUA\t\t91\t0\t0\t\t\n").unwrap_err();
        assert!(format!("{err:#}").contains("line 2"), "{err:#}");
        assert!(parse("add\tx\tX\t\tvolcano\tUA\t\t1\t1\t0\t\t").is_err());
        assert!(parse("add\tx\tX\t\triver\tUA\t\t1\t1\t0\t\t1 2;3").is_err());
        assert!(parse("alias\tGB\t\t").is_err());
        assert!(parse("frob\tGB").is_err());
    }
}
