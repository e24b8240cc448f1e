//! The theatre's settlements: every populated place of GeoNames' full extract for Ukraine
//! (`UA.txt`, 19 tab-separated columns, CC BY 4.0), with its Ukrainian and Russian spellings
//! romanised by the rules analysts meet (`sitrep_text::translit`), and the renames table
//! (`renames.tsv`: a town's former names).

use std::collections::HashMap;

use anyhow::{bail, Result};
use sitrep_text::translit::{is_cyrillic, romanisations};

/// One populated place of the extract.
#[derive(Debug, Clone)]
pub struct Settlement {
    /// GeoNames id.
    pub geonameid: u32,
    /// GeoNames' preferred name.
    pub name: String,
    /// GeoNames' ASCII spelling and its Cyrillic ones, then their romanisations.
    pub alternates: Vec<String>,
    /// The other spellings GeoNames lists (Latin, mostly old German, Polish or Russian forms),
    /// given only to places cities500 already has: for a village of no population they add
    /// more false matches in English text ("Putin", "Rozen") than readings.
    pub other_alternates: Vec<String>,
    /// Point.
    pub lat: f64,
    /// Point.
    pub lon: f64,
    /// GeoNames admin1 code (the oblast: "05").
    pub admin1: String,
    /// GeoNames admin2 code (the raion: "1408"), may be empty.
    pub admin2: String,
    /// Population, 0 when unknown.
    pub population: u64,
}

/// GeoNames feature codes of class P that name no settlement of today: historical and
/// abandoned places.
const GONE: [&str; 2] = ["PPLH", "PPLQ"];

/// Reads the populated places of a GeoNames country extract. Lines of other classes are passed
/// over; a line of class P with too few columns or no valid point is an error.
pub fn parse_extract(text: &str) -> Result<Vec<Settlement>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.get(6) != Some(&"P") || cols.get(7).is_some_and(|c| GONE.contains(c)) {
            continue;
        }
        let [id, name, ascii, alternates, lat, lon, _class, _code, _cc, _cc2, admin1, admin2, _a3, _a4, population, ..] = cols[..] else {
            bail!("UA.txt line {} has too few columns", n + 1);
        };
        let (Ok(geonameid), Ok(lat), Ok(lon)) = (id.parse(), lat.parse(), lon.parse()) else {
            bail!("UA.txt line {}: bad id or point", n + 1);
        };
        let listed = alternates.split(',').filter(|a| !a.is_empty() && *a != name);
        let (cyrillic, other): (Vec<&str>, Vec<&str>) = listed.partition(|a| is_cyrillic(a));
        let mut all: Vec<String> = std::iter::once(ascii).filter(|a| *a != name).chain(cyrillic.iter().copied()).map(str::to_owned).collect();
        let romanised: Vec<String> = cyrillic.iter().flat_map(|a| romanisations(a)).collect();
        all.extend(romanised);
        out.push(Settlement {
            geonameid,
            name: name.to_owned(),
            alternates: all,
            other_alternates: other.into_iter().map(str::to_owned).collect(),
            lat,
            lon,
            admin1: admin1.to_owned(),
            admin2: admin2.to_owned(),
            population: population.parse().unwrap_or(0),
        });
    }
    Ok(out)
}

/// One row of the renames table: a town, found by one of its names inside its oblast, and the
/// names it had before.
#[derive(Debug, Clone, PartialEq)]
pub struct Rename {
    /// GeoNames admin1 code of the oblast ("05").
    pub admin1: String,
    /// Names the town is found by (today's, in any spelling the gazetteer has).
    pub names: Vec<String>,
    /// Former names, Ukrainian and Russian forms.
    pub former: Vec<String>,
}

/// Parses `renames.tsv`: `#` comments, then rows of `admin1 <TAB> names|.. <TAB> former|..`.
pub fn parse_renames(text: &str) -> Result<Vec<Rename>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let [admin1, names, former] = cols[..] else {
            bail!("renames.tsv line {}: expected 3 columns, found {}", n + 1, cols.len());
        };
        let split = |s: &str| s.split('|').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect::<Vec<_>>();
        let rename = Rename { admin1: admin1.trim().to_owned(), names: split(names), former: split(former) };
        if rename.names.is_empty() || rename.former.is_empty() {
            bail!("renames.tsv line {}: a row needs a name and a former name", n + 1);
        }
        out.push(rename);
    }
    Ok(out)
}

/// For each rename, the settlement it is about: the most populous of the oblast's settlements
/// that has one of its names (by matching key). Returns (rename index, settlement index) pairs
/// and the renames that found no settlement.
pub fn match_renames(renames: &[Rename], settlements: &[Settlement]) -> (Vec<(usize, usize)>, Vec<usize>) {
    let key = |s: &str| sitrep_text::key_for_name(s).0;
    let mut by_key: HashMap<(String, &str), Vec<usize>> = HashMap::new();
    for (i, s) in settlements.iter().enumerate() {
        for spelling in std::iter::once(&s.name).chain(&s.alternates).chain(&s.other_alternates) {
            let entry = by_key.entry((key(spelling), s.admin1.as_str())).or_default();
            if entry.last() != Some(&i) {
                entry.push(i);
            }
        }
    }
    let (mut found, mut missing) = (Vec::new(), Vec::new());
    for (r, rename) in renames.iter().enumerate() {
        let best = rename
            .names
            .iter()
            .filter_map(|n| by_key.get(&(key(n), rename.admin1.as_str())))
            .flatten()
            .max_by_key(|&&i| (settlements[i].population, std::cmp::Reverse(settlements[i].geonameid)));
        match best {
            Some(&i) => found.push((r, i)),
            None => missing.push(r),
        }
    }
    (found, missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: u32, name: &str, alternates: &str, code: &str, admin1: &str, population: u64) -> String {
        format!("{id}\t{name}\t{name}\t{alternates}\t48.5\t37.9\tP\t{code}\tUA\t\t{admin1}\t1408\t\t\t{population}\t\t100\tEurope/Kyiv\t2024-01-01")
    }

    #[test]
    fn villages_come_with_their_cyrillic_names_romanised() {
        let text = [
            row(1, "Koroviy Yar", "Korovii Iar,Коровий Яр,Коровій Яр", "PPL", "05", 0),
            row(2, "Old Fort", "", "PPLH", "05", 0),
            "3\tSome river\tSome river\t\t48\t37\tH\tSTM\tUA\t\t05\t\t\t\t0\t\t\t\t".to_owned(),
        ]
        .join("\n");
        let places = parse_extract(&text).unwrap();
        assert_eq!(places.len(), 1, "historical places and other classes are left out");
        let v = &places[0];
        assert_eq!((v.geonameid, v.admin1.as_str(), v.admin2.as_str()), (1, "05", "1408"));
        assert!(v.alternates.iter().any(|a| a == "Korovyi Yar"), "{:?}", v.alternates);
        assert_eq!(v.other_alternates, ["Korovii Iar"], "Latin spellings apart");
        assert!(parse_extract("9\tX\tX\t\tnorth\t37\tP\tPPL\tUA\t\t05\t\t\t\t0\t\t\t\t").is_err());
    }

    #[test]
    fn renames_find_the_largest_town_of_the_name_in_the_oblast() {
        let places = parse_extract(
            &[row(10, "Bakhmut", "Бахмут", "PPLA2", "05", 70000), row(11, "Bakhmut", "", "PPL", "05", 40), row(12, "Bakhmut", "", "PPL", "14", 90000)]
                .join("\n"),
        )
        .unwrap();
        let renames = parse_renames("# comment\n05\tBakhmut\tArtemivsk|Artemovsk|Артемовск\n04\tNowhere\tElsewhere\n").unwrap();
        assert_eq!(renames[0].former.len(), 3);
        let (found, missing) = match_renames(&renames, &places);
        assert_eq!(found, [(0, 0)]);
        assert_eq!(missing, [1]);
        assert!(parse_renames("05\tBakhmut\n").is_err());
    }
}
