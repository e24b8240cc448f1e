//! The theatre's settlements: every populated place of GeoNames' full extract for Ukraine
//! (`UA.txt`, 19 tab-separated columns, CC BY 4.0), with its Ukrainian and Russian spellings
//! romanised by the rules analysts meet (`sitrep_text::translit`), the renames table
//! (`renames.tsv`: a town's former names), and the join with Ukraine's official codifier
//! KATOTTG (hromada, raion and official Ukrainian name; see [`join_katottg`]).

use std::collections::HashMap;

use sitrep_gazetteer::{distance_km, LatLon};

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
        let derived: Vec<String> = cyrillic.iter().flat_map(|a| derived_spellings(a)).collect();
        all.extend(derived);
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

/// The adjectives of size and age that begin compound names of the theatre ("Мала Рогань",
/// "Нова Кахівка"), in their Ukrainian and Russian forms: Russian sources and the reports
/// that follow them write the Russian adjective before the Ukrainian noun ("Malaya Rohan",
/// "Novaya Kakhovka"). Only forms with no letter peculiar to Ukrainian: the others part from
/// their Russian forms in more than the ending.
const ADJECTIVES: &[(&str, &str)] = &[
    ("Мала", "Малая"),
    ("Велика", "Великая"),
    ("Нова", "Новая"),
    ("Стара", "Старая"),
    ("Верхня", "Верхняя"),
    ("Нижня", "Нижняя"),
    ("Красна", "Красная"),
    ("Мале", "Малое"),
    ("Велике", "Великое"),
    ("Нове", "Новое"),
    ("Старе", "Старое"),
    ("Малий", "Малый"),
    ("Новий", "Новый"),
    ("Старий", "Старый"),
];

/// The spellings a Cyrillic name gives beyond itself: its romanisations (see
/// [`romanisations`]) and, for a Ukrainian neuter adjective (Степне, Веселе, Тоненьке), the
/// Russian form that Russian sources use (Степное, "Stepnoye"), with its romanisations; for a
/// compound name that begins with one of the [`ADJECTIVES`], the name with the adjective's
/// Russian form (Малая Рогань, "Malaya Rohan"), with its romanisations. Only
/// names with no letter peculiar to Ukrainian get the Russian form: elsewhere the two
/// languages' spellings part in ways no rule of endings follows (Андріївка, Андреевка).
pub fn derived_spellings(cyrillic: &str) -> Vec<String> {
    let mut out = romanisations(cyrillic);
    let ukrainian_letter = cyrillic.chars().any(|c| matches!(c.to_lowercase().next(), Some('і' | 'ї' | 'є' | 'ґ')));
    let mut chars = cyrillic.chars().rev();
    let neuter = chars.next() == Some('е') && chars.next().is_some_and(|c| c.is_alphabetic() && !"аеиоуюяыэё".contains(c));
    if neuter && !ukrainian_letter {
        let russian = format!("{}ое", &cyrillic[..cyrillic.len() - 'е'.len_utf8()]);
        out.extend(romanisations(&russian));
        out.push(russian);
    }
    let adjective = cyrillic.split_once(' ').and_then(|(first, rest)| ADJECTIVES.iter().find(|(u, _)| *u == first).map(|(_, r)| (*r, rest)));
    if let Some((russian, rest)) = adjective.filter(|_| !ukrainian_letter) {
        let russian = format!("{russian} {rest}");
        out.extend(romanisations(&russian));
        out.push(russian);
    }
    out
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

/// A settlement or a hromada of the KATOTTG codifier (`katottg.tsv`, written from
/// `kodifikator.xlsx` by `scripts/katottg-tsv.py`).
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// The unit's own code ("UA14080030010012345").
    pub code: String,
    /// The category letter: H hromada; M city, T urban-type settlement, X settlement, C village.
    pub category: char,
    /// The official Ukrainian name.
    pub name: String,
    /// The raion as GeoNames' admin2 code writes it: the four digits after "UA" ("1408").
    pub raion: String,
    /// The code of the hromada holding a settlement (a hromada's own code for a hromada).
    pub hromada: String,
}

impl Unit {
    /// True for a hromada, false for a settlement.
    pub fn is_hromada(&self) -> bool {
        self.category == 'H'
    }
}

/// Reads the hromadas and settlements of the codifier's TSV: seven columns (the codes of levels
/// one to four, the additional level, the category, the name). Oblasts, raions, the two cities
/// of special status and city districts are passed over.
pub fn parse_katottg(text: &str) -> Result<Vec<Unit>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let cols: Vec<&str> = line.split('\t').collect();
        let [_oblast, raion, hromada, settlement, _extra, category, name] = cols[..] else {
            bail!("katottg.tsv line {}: expected 7 columns, found {}", n + 1, cols.len());
        };
        let category = category.chars().next().unwrap_or(' ');
        let code = match category {
            'H' => hromada,
            'M' | 'T' | 'X' | 'C' => settlement,
            _ => continue,
        };
        let Some(raion) = raion.get(2..6).filter(|r| r.bytes().all(|b| b.is_ascii_digit())) else {
            bail!("katottg.tsv line {}: bad raion code {raion:?}", n + 1);
        };
        out.push(Unit { code: code.to_owned(), category, name: name.to_owned(), raion: raion.to_owned(), hromada: hromada.to_owned() });
    }
    Ok(out)
}

/// How far from the middle of its hromada's other joined settlements a settlement of a name its
/// raion has twice may lie and still be joined by place, km.
const HROMADA_RADIUS_KM: f64 = 15.0;

/// The join of the codifier's settlements with the extract's.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Join {
    /// (unit, settlement) pairs.
    pub pairs: Vec<(usize, usize)>,
    /// Pairs found by name inside the raion.
    pub by_name: usize,
    /// Pairs of a name the raion has more than once, told apart by the hromada's place.
    pub by_place: usize,
    /// Pairs found by name inside the oblast, for settlements GeoNames gives no raion.
    pub by_oblast: usize,
}

/// Joins the codifier's settlements to the extract's where the join is sure: the same name
/// (the official Ukrainian name, or its KMU 2010 or BGN/PCGN romanisation, against any
/// spelling of the extract, preferred spellings first) in the same raion, one settlement on
/// each side. A name the raion has more than once is joined by place: the settlement of the
/// name nearest the middle of the hromada's other joined settlements, within
/// [`HROMADA_RADIUS_KM`] and twice as near as any other. A settlement GeoNames gives no raion
/// is joined by name inside its oblast, one on each side.
pub fn join_katottg(units: &[Unit], settlements: &[Settlement]) -> Join {
    let key = |s: &str| sitrep_text::key_for_name(s).0;
    let unit_keys: Vec<Vec<String>> = units
        .iter()
        .map(|u| {
            let mut keys: Vec<String> = std::iter::once(u.name.clone()).chain(romanisations(&u.name)).map(|n| key(&n)).collect();
            keys.dedup();
            keys
        })
        .collect();
    // (place key, raion) -> settlements, by preferred name and by any spelling. A settlement
    // without a raion is filed under its oblast ("A" + admin1 code).
    let mut preferred: HashMap<(String, String), Vec<usize>> = HashMap::new();
    let mut any: HashMap<(String, String), Vec<usize>> = HashMap::new();
    let mut oblast_of_raion: HashMap<&str, &str> = HashMap::new();
    for (i, s) in settlements.iter().enumerate() {
        if s.admin2.len() == 4 {
            oblast_of_raion.insert(&s.admin2[..2], s.admin1.as_str());
        }
        let area = if s.admin2.is_empty() { format!("A{}", s.admin1) } else { s.admin2.clone() };
        push_unique(preferred.entry((key(&s.name), area.clone())).or_default(), i);
        for spelling in std::iter::once(&s.name).chain(&s.alternates).chain(&s.other_alternates) {
            push_unique(any.entry((key(spelling), area.clone())).or_default(), i);
        }
    }
    // The settlements a unit's name finds in an area: by preferred spellings if any, else by all.
    let found = |u: usize, area: &str| -> Vec<usize> {
        for map in [&preferred, &any] {
            let mut hits: Vec<usize> = Vec::new();
            for k in &unit_keys[u] {
                for &i in map.get(&(k.clone(), area.to_owned())).into_iter().flatten() {
                    push_unique(&mut hits, i);
                }
            }
            if !hits.is_empty() {
                return hits;
            }
        }
        Vec::new()
    };
    // How many of the raion's (or oblast's) units share each key.
    let mut unit_count: HashMap<(&str, &str), usize> = HashMap::new();
    for (u, unit) in units.iter().enumerate().filter(|(_, u)| !u.is_hromada()) {
        for k in &unit_keys[u] {
            *unit_count.entry((k.as_str(), unit.raion.as_str())).or_default() += 1;
            *unit_count.entry((k.as_str(), &unit.raion[..2])).or_default() += 1;
        }
    }
    let unique_unit = |u: usize, area: &str| unit_keys[u].iter().all(|k| unit_count.get(&(k.as_str(), area)).copied().unwrap_or(0) <= 1);
    let mut taken: HashMap<usize, usize> = HashMap::new();
    let mut twice: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut join = Join::default();
    // Settlement -> unit; usize::MAX where two units found one settlement (no sure join).
    for (u, unit) in units.iter().enumerate().filter(|(_, unit)| !unit.is_hromada()) {
        let hits = found(u, &unit.raion);
        match hits.as_slice() {
            [] => {}
            [one] if unique_unit(u, &unit.raion) => {
                if taken.insert(*one, u).is_some() {
                    taken.insert(*one, usize::MAX);
                }
            }
            _ => twice.push((u, hits)),
        }
    }
    // The middle of each hromada's joined settlements.
    let mut middles: HashMap<&str, (f64, f64, f64)> = HashMap::new();
    for (&s, &u) in taken.iter().filter(|(_, &u)| u != usize::MAX) {
        let m = middles.entry(units[u].hromada.as_str()).or_default();
        (m.0, m.1, m.2) = (m.0 + settlements[s].lat, m.1 + settlements[s].lon, m.2 + 1.0);
    }
    let mut by_place: Vec<(usize, usize)> = Vec::new();
    let mut placed: std::collections::HashSet<usize> = std::collections::HashSet::new();
    for (u, hits) in twice {
        let Some(&(lat, lon, n)) = middles.get(units[u].hromada.as_str()) else { continue };
        let middle = LatLon::new(lat / n, lon / n);
        let mut near: Vec<(f64, usize)> = hits.iter().map(|&i| (distance_km(middle, LatLon::new(settlements[i].lat, settlements[i].lon)), i)).collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0));
        let sure = near[0].0 <= HROMADA_RADIUS_KM && near.get(1).is_none_or(|second| second.0 >= 2.0 * near[0].0);
        if sure && !taken.contains_key(&near[0].1) {
            by_place.push((u, near[0].1));
        }
    }
    for (u, s) in by_place {
        placed.insert(u);
        if taken.insert(s, u).is_some() {
            taken.insert(s, usize::MAX);
        }
    }
    // Settlements GeoNames gives no raion: by name in the oblast.
    let joined: std::collections::HashSet<usize> = taken.values().copied().collect();
    let mut by_oblast: std::collections::HashSet<usize> = std::collections::HashSet::new();
    for (u, unit) in units.iter().enumerate().filter(|(u, unit)| !unit.is_hromada() && !joined.contains(u)) {
        let Some(admin1) = oblast_of_raion.get(&unit.raion[..2]) else { continue };
        if let [one] = found(u, &format!("A{admin1}"))[..] {
            if unique_unit(u, &unit.raion[..2]) && !taken.contains_key(&one) {
                taken.insert(one, u);
                by_oblast.insert(u);
            }
        }
    }
    join.pairs = taken.into_iter().filter(|(_, u)| *u != usize::MAX).map(|(s, u)| (u, s)).collect();
    join.pairs.sort_unstable();
    join.by_place = join.pairs.iter().filter(|(u, _)| placed.contains(u)).count();
    join.by_oblast = join.pairs.iter().filter(|(u, _)| by_oblast.contains(u)).count();
    join.by_name = join.pairs.len() - join.by_place - join.by_oblast;
    join
}

/// The settlement a hromada is named after, among the settlements of the hromada: the one whose
/// name, less its last two letters, begins the hromada's name (Андріївка, Андріївська), a city
/// before the rest; `None` when no settlement, or more than one of a kind, fits.
pub fn hromada_centre<'u>(hromada: &Unit, members: impl IntoIterator<Item = &'u Unit>) -> Option<&'u Unit> {
    let lower = |s: &str| s.to_lowercase().replace(['’', 'ʼ', '\''], "");
    let name = lower(&hromada.name);
    let fits: Vec<&Unit> = members
        .into_iter()
        .filter(|m| {
            let stem: String = {
                let l = lower(&m.name);
                let n = l.chars().count();
                l.chars().take(n.saturating_sub(2)).collect()
            };
            stem.chars().count() >= 3 && name.starts_with(&stem)
        })
        .collect();
    let cities: Vec<&Unit> = fits.iter().copied().filter(|m| m.category == 'M').collect();
    match (cities.as_slice(), fits.as_slice()) {
        ([one], _) | ([], [one]) => Some(one),
        _ => None,
    }
}

fn push_unique(v: &mut Vec<usize>, i: usize) {
    if v.last() != Some(&i) && !v.contains(&i) {
        v.push(i);
    }
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
    fn ukrainian_neuter_names_get_their_russian_form() {
        let stepne = derived_spellings("Степне");
        assert!(stepne.iter().any(|s| s == "Stepnoye") && stepne.iter().any(|s| s == "Степное"), "{stepne:?}");
        assert!(derived_spellings("Тоненьке").iter().any(|s| s == "Tonenkoye"));
        assert!(!derived_spellings("Андріївка").iter().any(|s| s.ends_with("oye")), "not an adjective");
        assert!(!derived_spellings("Світле").iter().any(|s| s.ends_with("oye")), "a Ukrainian letter");
        assert!(!derived_spellings("Степное").iter().any(|s| s.ends_with("ooye")), "already Russian");
    }

    #[test]
    fn compound_names_get_the_russian_form_of_their_adjective() {
        let key = |s: &str| sitrep_text::key_for_name(s).0;
        let rohan = derived_spellings("Мала Рогань");
        assert!(rohan.iter().any(|s| key(s) == key("Malaya Rohan")), "{rohan:?}");
        assert!(rohan.iter().any(|s| s == "Малая Рогань"), "{rohan:?}");
        assert!(derived_spellings("Новий Буг").iter().any(|s| key(s) == key("Novyy Bug")));
        // A noun before a second word is left as it is; so is a name with a Ukrainian letter,
        // whose Russian form differs in more than the adjective.
        assert!(!derived_spellings("Кам'янка Дніпровська").iter().any(|s| s.starts_with("Кам'янкая")));
        assert!(!derived_spellings("Велика Новосілка").iter().any(|s| s.starts_with("Великая")));
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

    fn unit(code: &str, category: char, name: &str, raion: &str, hromada: &str) -> Unit {
        Unit { code: code.to_owned(), category, name: name.to_owned(), raion: raion.to_owned(), hromada: hromada.to_owned() }
    }

    #[test]
    fn the_codifier_is_read_as_hromadas_and_settlements() {
        let text = [
            "UA14000000000000001\t\t\t\t\tO\tДонецька",
            "UA14000000000000001\tUA14080000000000002\t\t\t\tP\tКраматорський",
            "UA14000000000000001\tUA14080000000000002\tUA14080010000000003\t\t\tH\tАндріївська",
            "UA14000000000000001\tUA14080000000000002\tUA14080010000000003\tUA14080010010000004\t\tC\tАндріївка",
        ]
        .join("\n");
        let units = parse_katottg(&text).unwrap();
        assert_eq!(units.len(), 2, "oblasts and raions are passed over");
        assert!(units[0].is_hromada() && units[0].raion == "1408");
        assert_eq!((units[1].category, units[1].hromada.as_str()), ('C', "UA14080010000000003"));
        assert!(parse_katottg("UA14\tC\tAndriivka").is_err());
    }

    #[test]
    fn the_codifier_joins_by_name_in_the_raion_and_by_the_hromadas_place() {
        let place = |id: u32, name: &str, cyrillic: &str, lat: f64, admin2: &str| {
            format!("{id}\t{name}\t{name}\t{cyrillic}\t{lat}\t37.9\tP\tPPL\tUA\t\t05\t{admin2}\t\t\t0\t\t100\tEurope/Kyiv\t2024-01-01")
        };
        let settlements = parse_extract(
            &[
                place(1, "Koroviy Yar", "Коровий Яр", 48.0, "1408"),
                place(2, "Andriyivka", "Андріївка", 48.01, "1408"),
                place(3, "Andriyivka", "Андріївка", 48.9, "1408"),
                place(4, "Ternove", "Тернове", 48.02, "1408"),
                place(5, "Ternove", "", 49.5, "1402"),
                place(6, "Lonely", "Самотнє", 48.5, ""),
            ]
            .join("\n"),
        )
        .unwrap();
        let h = "UA14080010000000003";
        let units = [
            unit(h, 'H', "Андріївська", "1408", h),
            unit("a", 'C', "Коровий Яр", "1408", h),
            unit("b", 'C', "Андріївка", "1408", h),
            unit("c", 'C', "Андріївка", "1408", "UA14080020000000009"),
            unit("d", 'C', "Тернове", "1408", h),
            unit("e", 'C', "Самотнє", "1408", h),
            unit("f", 'C', "Невідоме", "1408", h),
        ];
        let join = join_katottg(&units, &settlements);
        // Koroviy Yar and Ternove by name in their raion (Ternove of raion 1402 is another);
        // the Andriivka of the hromada by its place beside them (the other one has no joined
        // neighbour to place it); Lonely, which GeoNames gives no raion, by name in the oblast.
        assert_eq!(join.pairs, [(1, 0), (2, 1), (4, 3), (5, 5)]);
        assert_eq!((join.by_name, join.by_place, join.by_oblast), (2, 1, 1));
        let centre = hromada_centre(&units[0], units[1..].iter());
        assert_eq!(centre.map(|u| u.code.as_str()), None, "two Andriivkas: no sure centre");
        assert_eq!(hromada_centre(&units[0], [&units[1], &units[2]]).map(|u| u.code.as_str()), Some("b"));
    }
}
