//! sitrep's geoparser: every place named in a report, resolved to a gazetteer entry.
//!
//! ```no_run
//! use sitrep_gazetteer::Gazetteer;
//! use sitrep_geoparse::Geoparser;
//! let gaz = Gazetteer::open_default()?;
//! let parser = Geoparser::new(&gaz);
//! for t in parser.parse("Ukrainian troops entered Kupiansk, 73 km north of Izyum.").toponyms {
//!     println!("{} {}..{} -> {:?}", t.text, t.start, t.end, t.place.map(|p| p.id()));
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Offsets (`start`, `end`) count Unicode scalar values (Rust `char`s, Python `str` indices)
//! from the start of the text, end exclusive; `byte_start`/`byte_end` are UTF-8 byte offsets.
//!
//! The work is split in three: [`scan`] folds the text and finds its words, [`recognize`]
//! decides which stretches are place names, [`resolve`] picks the gazetteer entry for each.
//! A [`Geoparser`] holds no state between documents, so one can serve many threads; each
//! thread keeps its scan buffers and, per geoparser ([`ThreadMemo`]), a name's first
//! candidates from one document to the next, which change no answer.

mod coherence;
pub mod lexicon;
pub mod offsets;
pub mod recognize;
pub mod resolve;
pub mod scan;
pub mod theatre;

use serde::Serialize;
use sitrep_gazetteer::{Feature, Gazetteer, Place};

pub use lexicon::Lexicon;
pub use offsets::CharOffsets;
pub use theatre::{BatchTally, Theatre, TheatreChoice, UnknownCountry};

/// How a place name is used in the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The place itself ("fighting in Izyum").
    Literal,
    /// Part of a compound adjective ("Kyiv-based", "Syrian-Turkish border").
    Modifier,
    /// Part of an organisation's name ("Alexandria Police", "Washington Post").
    Embedded,
}

/// How precisely a resolved place locates what the text says, after UCDP's `where_prec`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(into = "u8")]
pub enum Precision {
    /// 1: at a town or a point feature.
    Exact = 1,
    /// 2: near a town ("near Izyum", "north of Kharkiv").
    Near = 2,
    /// 3: a second-level subdivision.
    Admin2 = 3,
    /// 4: a first-level subdivision or a named region (Donbas).
    Admin1 = 4,
    /// 5: a river, sea or lake: somewhere along or on it.
    Linear = 5,
    /// 6: a country.
    Country = 6,
}

impl From<Precision> for u8 {
    fn from(p: Precision) -> u8 {
        p as u8
    }
}

impl Precision {
    fn of(feature: Feature, near: bool) -> Precision {
        match feature {
            Feature::City | Feature::Facility | Feature::Island | Feature::Landform if near => Precision::Near,
            Feature::City | Feature::Facility | Feature::Island | Feature::Landform => Precision::Exact,
            // UCDP's scale has no third level: a hromada is placed as a raion would be.
            Feature::Admin2 | Feature::Hromada => Precision::Admin2,
            Feature::Admin1 | Feature::Region => Precision::Admin1,
            Feature::River | Feature::Sea | Feature::Lake => Precision::Linear,
            Feature::Country => Precision::Country,
        }
    }
}

/// A place name found in a text.
#[derive(Debug, Clone)]
pub struct Toponym<'g> {
    /// Start, in Unicode scalar values.
    pub start: usize,
    /// End (exclusive), in Unicode scalar values.
    pub end: usize,
    /// Start, in bytes.
    pub byte_start: usize,
    /// End (exclusive), in bytes.
    pub byte_end: usize,
    /// The text as written.
    pub text: String,
    /// How the name is used.
    pub role: Role,
    /// The chosen place, if any candidate exists.
    pub place: Option<Place<'g>>,
    /// 0..1: how clearly the chosen place beat the runner-up.
    pub confidence: f64,
    /// How precisely the place locates the mention.
    pub precision: Precision,
    /// The next best candidates, best first (at most four).
    pub alternatives: Vec<Place<'g>>,
    /// A street, road or natural feature the gazetteer lacks ("Darling Avenue"), recognised
    /// by its type word; `place` is then the town the report names nearest to it, if any.
    pub local: bool,
    /// Set when the name belongs to many settlements of one country and nothing in the text
    /// chose among them: `place` is then only the likeliest, and `precision` is the smallest
    /// unit that holds them all.
    pub ambiguous: Option<Ambiguity>,
}

/// A name that many settlements of one country share, unsettled by its text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ambiguity {
    /// Settlements of that name in the country of the chosen one (in its oblast, when the text
    /// named the oblast).
    pub candidates: usize,
    /// Farthest of them from the chosen one, km.
    pub spread_km: f64,
}

/// Least number of settlements of one name in one country that makes an unsettled mention
/// ambiguous.
pub const AMBIGUOUS_MIN: usize = 3;
/// Score margin over the best other settlement of the name in that country below which
/// nothing in the text is taken to have chosen (about a fivefold population: a town of note
/// beside villages of its name is what the bare name means).
const AMBIGUITY_MARGIN: f64 = 1.6;

/// Whether the winner `cands[0]` of a mention is one of many settlements of its name in its
/// country (or in its oblast, when the text named the oblast), none preferred by the text;
/// then the ambiguity and the precision that holds them all.
fn ambiguity(gaz: &Gazetteer, value: u64, cands: &[resolve::Candidate]) -> Option<(Ambiguity, Precision)> {
    let best = cands.first()?;
    let chosen = gaz.place(best.place);
    if chosen.feature() != Feature::City {
        return None;
    }
    let country = chosen.country_index()?;
    // The settlements of the name in that country that came close.
    let close: Vec<Place<'_>> = cands[1..]
        .iter()
        .filter(|c| best.score - c.score < AMBIGUITY_MARGIN)
        .map(|c| gaz.place(c.place))
        .filter(|p| p.feature() == Feature::City && p.country_index() == Some(country))
        .collect();
    if close.is_empty() {
        return None;
    }
    // When the text narrowed the name to one oblast ("Andriivka, Kyiv oblast") or raion and
    // left several there, the ambiguity is within that unit.
    let within_admin1 = chosen.admin1_index().filter(|a1| close.iter().all(|p| p.admin1_index() == Some(*a1)));
    let within_admin2 = chosen.admin2_index().filter(|a2| close.iter().all(|p| p.admin2_index() == Some(*a2)));
    let mut candidates = 0;
    let (mut same_admin1, mut same_admin2, mut spread_km) = (true, true, 0.0f64);
    for (i, _) in gaz.matches_for_value(value) {
        let p = gaz.place(i);
        if p.feature() != Feature::City || p.country_index() != Some(country) || !p.is_located() {
            continue;
        }
        if within_admin1.is_some_and(|a1| p.admin1_index() != Some(a1)) || within_admin2.is_some_and(|a2| p.admin2_index() != Some(a2)) {
            continue;
        }
        candidates += 1;
        same_admin1 &= p.admin1_index() == chosen.admin1_index();
        same_admin2 &= p.admin2_index() == chosen.admin2_index();
        spread_km = spread_km.max(sitrep_gazetteer::distance_km(p.point(), chosen.point()));
    }
    if candidates < AMBIGUOUS_MIN {
        return None;
    }
    let precision = match (same_admin2 && chosen.admin2_index().is_some(), same_admin1 && chosen.admin1_index().is_some()) {
        (true, _) => Precision::Admin2,
        (false, true) => Precision::Admin1,
        _ => Precision::Country,
    };
    Some((Ambiguity { candidates, spread_km }, precision))
}

/// A nationality word ("Ukrainian", "Russian"), kept apart from toponyms.
#[derive(Debug, Clone)]
pub struct Demonym<'g> {
    /// Start, in Unicode scalar values.
    pub start: usize,
    /// End (exclusive), in Unicode scalar values.
    pub end: usize,
    /// The word as written.
    pub text: String,
    /// The country it refers to, when it names one.
    pub country: Option<Place<'g>>,
    /// The first-level subdivision whose people it names ("Chechen": Chechnya), if any.
    pub subdivision: Option<Place<'g>>,
}

/// Everything the geoparser found in one text.
#[derive(Debug, Clone, Default)]
pub struct Parse<'g> {
    /// Place names, in text order.
    pub toponyms: Vec<Toponym<'g>>,
    /// Nationality words, in text order.
    pub demonyms: Vec<Demonym<'g>>,
}

/// Finds and resolves place names using a gazetteer.
pub struct Geoparser<'g> {
    gaz: &'g Gazetteer,
    lexicon: Lexicon,
    /// ISO alpha-2 code → country place, for demonyms (the first country of a code, in
    /// gazetteer order). A map: a report names its peoples hundreds of times, and a walk over
    /// some 250 countries comparing codes for each was a seventh of a long report's geoparse.
    countries: rustc_hash::FxHashMap<&'g str, Place<'g>>,
    /// GeoNames id → subdivision, for the demonyms of subdivisions' peoples.
    subdivisions: Vec<(u32, Place<'g>)>,
    /// The theatre the texts are about, if known (see [`theatre`]).
    theatre: Option<Theatre>,
    /// A number no other geoparser, nor this one with another theatre, has: what resolution
    /// keeps between reports on a thread is kept for it (see `resolve::resolve_for`).
    id: u64,
}

/// What a thread keeps from one text to the next for one geoparser at a time (its
/// [`Geoparser::id`]): a map of `K` to `V`, dropped whole when another geoparser uses it or
/// when it holds as many entries as it may ([`ThreadMemo::with`]).
pub struct ThreadMemo<K, V, S = std::hash::RandomState> {
    owner: u64,
    entries: std::collections::HashMap<K, V, S>,
}

impl<K, V, S: Default> Default for ThreadMemo<K, V, S> {
    fn default() -> Self {
        ThreadMemo { owner: 0, entries: std::collections::HashMap::default() }
    }
}

impl<K, V, S> ThreadMemo<K, V, S> {
    /// The geoparser whose entries are kept (0 before any).
    pub fn owner(&self) -> u64 {
        self.owner
    }

    /// How many entries are kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when none is kept.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<K: Eq + std::hash::Hash, V, S: std::hash::BuildHasher + Default> ThreadMemo<K, V, S> {
    /// Runs `f` on the entries `memo` (a thread-local) keeps for the geoparser `owner`, at
    /// most `most` of them; on an empty map of its own when the memo is in use already (a
    /// call within a call) or the thread is ending.
    pub fn with<R>(
        memo: &'static std::thread::LocalKey<std::cell::RefCell<ThreadMemo<K, V, S>>>,
        owner: u64,
        most: usize,
        f: impl FnOnce(&mut std::collections::HashMap<K, V, S>) -> R,
    ) -> R {
        let mut f = Some(f);
        let kept = memo
            .try_with(|cell| {
                let mut kept = cell.try_borrow_mut().ok()?;
                if kept.owner != owner || kept.entries.len() >= most {
                    kept.entries.clear();
                    kept.owner = owner;
                }
                f.take().map(|f| f(&mut kept.entries))
            })
            .ok()
            .flatten();
        match (kept, f) {
            (Some(result), _) => result,
            (None, Some(f)) => f(&mut std::collections::HashMap::default()),
            (None, None) => unreachable!("f runs on the kept entries or, if not, here"),
        }
    }
}

/// The next [`Geoparser::id`].
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl<'g> Geoparser<'g> {
    /// A geoparser over `gaz` with the built-in word lists.
    pub fn new(gaz: &'g Gazetteer) -> Geoparser<'g> {
        let (mut countries, mut subdivisions) = (rustc_hash::FxHashMap::default(), Vec::new());
        let wanted: Vec<u32> = Lexicon::demonym_subdivisions().collect();
        for p in gaz.places() {
            match p.feature() {
                Feature::Country => {
                    countries.entry(p.code()).or_insert(p);
                }
                Feature::Admin1 => {
                    if let Some(id) = p.geonameid().filter(|id| wanted.contains(id)) {
                        subdivisions.push((id, p));
                    }
                }
                _ => {}
            }
        }
        Geoparser { gaz, lexicon: Lexicon::new(), countries, subdivisions, theatre: None, id: next_id() }
    }

    /// The same geoparser, resolving with the theatre prior of `theatre` (an empty theatre
    /// is none).
    pub fn with_theatre(mut self, theatre: Theatre) -> Geoparser<'g> {
        self.theatre = (!theatre.is_empty()).then_some(theatre);
        self.id = next_id();
        self
    }

    /// The gazetteer places are resolved against.
    pub fn gazetteer(&self) -> &'g Gazetteer {
        self.gaz
    }

    /// A number that no other geoparser has, nor this one once given a theatre: what a caller
    /// keeps between texts for this geoparser's gazetteer (per thread, say) can be kept under
    /// it, as resolution keeps a name's first candidates.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The word lists names are judged by.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Parses one text, with the calling thread's own [`scan::Scan`] kept from one call to
    /// the next: a reader parses report after report, and a fresh scan for each took fresh
    /// memory for its folded text and words every time (bounded by a segment's size, see
    /// [`Geoparser::parse_with`]).
    pub fn parse(&self, text: &str) -> Parse<'g> {
        thread_local! {
            static SCAN: std::cell::RefCell<scan::Scan> = std::cell::RefCell::default();
        }
        SCAN.with(|kept| match kept.try_borrow_mut() {
            Ok(mut scan) => self.parse_with(text, &mut scan),
            Err(_) => self.parse_with(text, &mut scan::Scan::default()),
        })
    }

    /// Parses one text, reusing `scan`'s buffers (for batches).
    ///
    /// A text longer than [`MAX_SEGMENT_BYTES`] is parsed in [`segments`], each resolved on
    /// its own context; offsets still count from the start of the text. To keep memory bounded
    /// by the segment rather than the text, call [`Geoparser::parse_segment`] on each segment
    /// and write its results out before the next.
    pub fn parse_with(&self, text: &str, scan: &mut scan::Scan) -> Parse<'g> {
        if text.len() <= MAX_SEGMENT_BYTES {
            return self.parse_text(text, scan);
        }
        let mut all = Parse::default();
        for segment in segments(text) {
            let mut part = self.parse_segment(&segment, scan);
            all.toponyms.append(&mut part.toponyms);
            all.demonyms.append(&mut part.demonyms);
        }
        all
    }

    /// Parses one segment of a longer text; offsets count from the start of that text.
    pub fn parse_segment(&self, segment: &Segment<'_>, scan: &mut scan::Scan) -> Parse<'g> {
        let mut part = self.parse_text(segment.text, scan);
        for t in &mut part.toponyms {
            (t.start, t.end) = (t.start + segment.char_offset, t.end + segment.char_offset);
            (t.byte_start, t.byte_end) = (t.byte_start + segment.byte_offset, t.byte_end + segment.byte_offset);
        }
        for d in &mut part.demonyms {
            (d.start, d.end) = (d.start + segment.char_offset, d.end + segment.char_offset);
        }
        part
    }

    fn parse_text(&self, text: &str, scan: &mut scan::Scan) -> Parse<'g> {
        scan.fill(text);
        let (mentions, demonym_mentions) = recognize::recognize(self.gaz, &self.lexicon, scan, self.theatre.as_ref());
        let ranked = resolve::resolve_for(self.gaz, scan, &mentions, self.theatre.as_ref(), Some(self.id));
        let winners: Vec<Option<Place<'g>>> = ranked.iter().map(|r| r.first().map(|c| self.gaz.place(c.place))).collect();
        let anchors = anchor_towns(&winners);
        let chars = CharOffsets::new(text);
        let mut toponyms = Vec::with_capacity(mentions.len());
        for (k, (m, cands)) in mentions.iter().zip(&ranked).enumerate() {
            // A river the gazetteer does not have ("the Zherebets river") is a local feature,
            // not whatever town shares its name.
            let river_unknown =
                m.qualifier == Some(sitrep_text::Qualifier::River) && !cands.iter().any(|c| self.gaz.place(c.place).feature() == Feature::River);
            let local = m.value.is_none() || river_unknown;
            if cands.is_empty() && !local {
                continue;
            }
            let place = if local { anchors[k].or_else(|| self.town_named_in(scan, m)) } else { winners[k] };
            let byte_start = scan.words[m.first].start as usize;
            // An abbreviation's full stop is part of the name ("U.S.", "W.Va.", "Main St."),
            // also where it ends the sentence.
            let byte_end = scan.words[m.last].end as usize + usize::from(abbreviated(text, scan, m, place.filter(|_| !local)));
            let cands: &[resolve::Candidate] = if local { &[] } else { cands };
            let confidence = match (cands.first(), cands.get(1)) {
                (Some(a), Some(b)) => 1.0 / (1.0 + (-(a.score - b.score) / 2.0).exp()),
                (Some(_), None) => 0.95,
                _ if local && place.is_some() => 0.5,
                _ => 0.0,
            };
            let feature = place.map_or(Feature::City, |p| p.feature());
            let mut precision = Precision::of(feature, m.near || local);
            let mut confidence = confidence;
            let ambiguous = match m.value.filter(|_| !local).and_then(|v| ambiguity(self.gaz, v, cands)) {
                Some((a, holds_all)) => {
                    precision = holds_all;
                    confidence = confidence.min(1.0 / a.candidates as f64);
                    Some(a)
                }
                None => None,
            };
            toponyms.push(Toponym {
                start: chars.char_at(byte_start),
                end: chars.char_at(byte_end),
                byte_start,
                byte_end,
                text: text[byte_start..byte_end].to_owned(),
                role: m.role,
                place,
                confidence: (confidence * 100.0).round() / 100.0,
                precision,
                local,
                ambiguous,
                alternatives: cands.iter().skip(1).take(4).map(|c| self.gaz.place(c.place)).collect(),
            });
        }
        let demonyms = demonym_mentions
            .iter()
            .map(|d| {
                let (start, end) = (scan.words[d.first].start as usize, scan.words[d.last].end as usize);
                let country = self.countries.get(d.country).copied();
                let subdivision = d.subdivision.and_then(|id| self.subdivisions.iter().find(|(i, _)| *i == id).map(|(_, p)| *p));
                Demonym { start: chars.char_at(start), end: chars.char_at(end), text: text[start..end].to_owned(), country, subdivision }
            })
            .collect();
        Parse { toponyms, demonyms }
    }

    /// The town a local feature is named after ("Irpin Bridge", "Kharkiv Forest Park"), read
    /// on its own: where the feature lies when the report names no other town. Only a town of
    /// [`NAMING_TOWN_MIN`] people or more: a village's name is as often a person's ("Gorky
    /// Park" is no park in a village called Gorky). And only a town that bears the name as its
    /// own today: a feature named after a person or a former name is not in the town that once
    /// had it ("Gorky Park" in Kharkiv is not in Nizhny Novgorod, Gorky in Soviet times). A
    /// name that is no town (a river's, an oblast's) places nothing.
    fn town_named_in(&self, scan: &scan::Scan, m: &recognize::Mention) -> Option<Place<'g>> {
        let (name_last, value) = m.named_after?;
        let town = recognize::Mention { last: name_last, name_last, value: Some(value), named_after: None, ..m.clone() };
        let ranked = resolve::resolve_for(self.gaz, scan, std::slice::from_ref(&town), self.theatre.as_ref(), Some(self.id));
        let own_name = |p: &Place<'_>| self.gaz.matches_for_value(value).any(|(i, flags)| i == p.index() && !flags.is_alternate());
        ranked.first()?.first().map(|c| self.gaz.place(c.place)).filter(|p| p.feature() == Feature::City && p.population() >= NAMING_TOWN_MIN && own_name(p))
    }
}

/// Least population of a town that a local feature named after it is placed at (see
/// `Geoparser::town_named_in`).
const NAMING_TOWN_MIN: u64 = 10_000;

/// Whether mention `m` ends in an abbreviation whose full stop follows it directly: dotted
/// initials ("U.S.", "D.C.", "W. Va."), a one- or two-letter name ("Pa."), a type word written
/// short ("Main St.", "Loudon Co."), or a word that shortens the name of the place it was
/// resolved to ("Calif." for California, "Fla." for Florida: the word's letters, in order,
/// from the name's first letter, at most five of them and at most half the name,
/// and no whole word of it, so "Gaza." for the Gaza Strip ends a sentence).
fn abbreviated(text: &str, scan: &scan::Scan, m: &recognize::Mention, place: Option<Place<'_>>) -> bool {
    let words = &scan.words;
    let last = words[m.last];
    if !last.period_after {
        return false;
    }
    let folded = scan.folded_word(m.last);
    let dotted = m.last > m.first && words[m.last - 1].period_after;
    if dotted || (m.first == m.last && folded.chars().count() <= 2) || sitrep_text::is_abbreviation(folded) {
        return true;
    }
    let written = &text[last.start as usize..last.end as usize];
    let Some(name) = place.map(|p| p.display_name()) else { return false };
    let (w, n) = (written.chars().count(), name.chars().count());
    if m.first != m.last || w > 5 || w * 2 > n || name.split(|c: char| !c.is_alphanumeric()).any(|part| part.eq_ignore_ascii_case(written)) {
        return false;
    }
    let mut rest = name.chars().flat_map(char::to_lowercase);
    let mut letters = written.chars().flat_map(char::to_lowercase);
    letters.next().is_some_and(|first| rest.next() == Some(first)) && letters.all(|c| rest.any(|r| r == c))
}

/// Longest stretch of text parsed as one context (1 MiB: some hundred news reports).
pub const MAX_SEGMENT_BYTES: usize = 1 << 20;

/// A piece of a long text, parsed as one context.
#[derive(Debug, Clone, Copy)]
pub struct Segment<'t> {
    /// The piece.
    pub text: &'t str,
    /// Where it starts in the whole text, in bytes.
    pub byte_offset: usize,
    /// Where it starts in the whole text, in Unicode scalar values.
    pub char_offset: usize,
}

/// Splits `text` into consecutive segments of at most [`MAX_SEGMENT_BYTES`] (on char
/// boundaries), each ending after a line break where one lies in its second half, else after
/// white space, else wherever the limit falls. A short text is one segment.
pub fn segments(text: &str) -> impl Iterator<Item = Segment<'_>> {
    let (mut rest, mut byte_offset, mut char_offset) = (text, 0, 0);
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let cut = if rest.len() <= MAX_SEGMENT_BYTES { rest.len() } else { segment_end(rest) };
        let (head, tail) = rest.split_at(cut);
        let segment = Segment { text: head, byte_offset, char_offset };
        (rest, byte_offset, char_offset) = (tail, byte_offset + head.len(), char_offset + head.chars().count());
        Some(segment)
    })
}

/// Where the first segment of `rest` (longer than [`MAX_SEGMENT_BYTES`]) ends.
fn segment_end(rest: &str) -> usize {
    let boundary_below = |mut i: usize| {
        while !rest.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (half, limit) = (boundary_below(MAX_SEGMENT_BYTES / 2), boundary_below(MAX_SEGMENT_BYTES));
    let window = &rest[half..limit];
    window.rfind('\n').or_else(|| window.rfind(char::is_whitespace)).map_or(limit, |i| half + i + window[i..].chars().next().map_or(1, char::len_utf8))
}

/// For every mention, the town named nearest to it in the text (the earlier one at equal
/// distance): where a local feature lies when the report does not say more. Two linear passes.
fn anchor_towns<'g>(winners: &[Option<Place<'g>>]) -> Vec<Option<Place<'g>>> {
    let town = |w: &Option<Place<'g>>| w.filter(|p| p.feature() == Feature::City);
    let mut before: Vec<Option<(usize, Place<'g>)>> = Vec::with_capacity(winners.len());
    let mut last = None;
    for (k, w) in winners.iter().enumerate() {
        before.push(last);
        if let Some(p) = town(w) {
            last = Some((k, p));
        }
    }
    let mut anchors = vec![None; winners.len()];
    let mut next: Option<(usize, Place<'g>)> = None;
    for k in (0..winners.len()).rev() {
        anchors[k] = match (before[k], next) {
            (Some((b, p)), Some((a, _))) if k - b <= a - k => Some(p),
            (_, Some((_, p))) => Some(p),
            (Some((_, p)), None) => Some(p),
            (None, None) => None,
        };
        if let Some(p) = town(&winners[k]) {
            next = Some((k, p));
        }
    }
    anchors
}
