//! How the reader compiles and runs its patterns: one place for the settings every pattern
//! shares, and for matching case-insensitive patterns over lower-cased text.
//!
//! The reader's patterns are long alternations of phrases matched case-insensitively, many
//! with Unicode classes and counted repetitions, tried on every sentence. The regex crate
//! searches with a lazy DFA whose states are built on first use and kept in a cache; at the
//! default capacity (2 MiB) some of these caches filled and were cleared on long reports, and
//! their states built again. A larger cache keeps them: on ISW's daily assessments it saved 4%
//! of the reader's instructions (`valgrind --tool=callgrind`, 4,630 million to 4,456) for 13 MB
//! more at peak. A cache grows only as states are made, so a pattern that needs few costs no
//! more memory. Most of the states are not rebuilt but new: counted repetitions
//! ("`[^,;.()]{0,80}`") make many distinct states, which a larger cache cannot save.
//!
//! A case-insensitive pattern is compiled as its case-sensitive lower-case twin and run over
//! the text with its ASCII capitals lowered, when that gives the same matches: when every
//! class of the pattern (after case folding) holds an ASCII letter in both cases or in neither,
//! and no case-sensitive literal holds an ASCII letter. Lowering ASCII letters keeps every byte
//! offset, so matches and groups are cut from the original text, and the results are the same
//! byte for byte. Case folding makes every letter of a phrase a class of two or three letters,
//! so that a literal prefilter is built from, and searches for, every mix of capitals in every
//! phrase; the lower-case twin has one spelling per phrase. On the reader's 100 or so patterns,
//! compiling takes about half the instructions and searching a sentence a fraction of them (see
//! the README's speed section). A pattern with a case-sensitive part ("`(?-i:\p{Lu})`",
//! "`[A-Z]`") is compiled and run as written.
//!
//! [`Regex`], [`RegexSet`], [`Match`] and [`Captures`] answer as the regex crate's types of
//! those names do, for the calls the reader makes.

use std::{
    cell::{OnceCell, RefCell},
    ops::Range,
    sync::Arc,
};

use regex_automata::{
    meta,
    nfa::thompson::WhichCaptures,
    util::{captures::Captures as Slots, iter::Searcher, prefilter::Prefilter, syntax},
    Anchored, Input, MatchKind, PatternSet, Span,
};
use regex_syntax::hir::{
    literal::{ExtractKind, Extractor},
    Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look, Repetition,
};

mod gate;

/// Capacity of each pattern's lazy-DFA cache, bytes (per thread that uses the pattern).
pub const DFA_CACHE_BYTES: usize = 32 << 20;

/// Most NFA bytes a pattern may take (the regex crate's default).
const NFA_BYTES: usize = 10 << 20;

/// Why a pattern did not compile.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Compiles a pattern with the reader's settings (as `Regex::new` would, but for the cache, and
/// over lower-cased text where that gives the same matches).
pub fn regex(pattern: &str) -> Result<Regex, Error> {
    let hir = syntax::parse(pattern)?;
    let (hir, lower) = match lowered(&hir) {
        Some(low) => (low, true),
        None => (hir, false),
    };
    // (Read from the lower-case twin where there is one: its phrases are literals, where the
    // pattern as written has a class for every letter.)
    let gate = gate::atoms(&hir).map(|atoms| gate::register(&atoms));
    // Where every match starts with one of a few words, a match is found by anchored searches
    // where they occur (see [`Regex::search`]).
    // (Not for a pattern anchored at the start, or at the end, which the regex crate searches
    // for backwards from the end at once; nor one that matches the empty string, or whose
    // first words are too common or too many to look for fast, or that is its words alone,
    // which the regex crate finds without an automaton.) The regex crate is handed the same
    // words for its own prefilter rather than extracting them again.
    let props = hir.properties();
    let anchored = props.look_set_prefix().contains(Look::Start) || props.look_set_suffix().contains(Look::End);
    let starts = if props.minimum_len().is_some_and(|n| n > 0) && !anchored {
        let mut prefixes = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
        prefixes.optimize_for_prefix_by_preference();
        let words = if prefixes.is_exact() { None } else { prefixes.literals() };
        words.and_then(|words| Prefilter::new(MatchKind::LeftmostFirst, words)).filter(Prefilter::is_fast)
    } else {
        None
    };
    let config = meta::Config::new()
        .match_kind(MatchKind::LeftmostFirst)
        .utf8_empty(true)
        .nfa_size_limit(Some(NFA_BYTES))
        .hybrid_cache_capacity(DFA_CACHE_BYTES)
        .prefilter(starts.clone());
    let meta = meta::Builder::new().configure(config).build_from_hir(&hir)?;
    Ok(Regex { meta, pattern: Arc::from(pattern), lower, gate, starts })
}

/// Compiles a set of patterns with the reader's settings; over lower-cased text when that gives
/// every pattern of the set the same matches.
pub fn regex_set<I: IntoIterator<Item = S>, S: AsRef<str>>(patterns: I) -> Result<RegexSet, Error> {
    let hirs = patterns.into_iter().map(|p| syntax::parse(p.as_ref()).map_err(Error::from)).collect::<Result<Vec<Hir>, _>>()?;
    let low = hirs.iter().map(lowered).collect::<Option<Vec<Hir>>>();
    let lower = low.is_some();
    let hirs = low.unwrap_or(hirs);
    // The set matches where one of its patterns does: where one of any pattern's words occurs.
    let gate = hirs.iter().map(gate::atoms).collect::<Option<Vec<_>>>().map(|sets| gate::register(&sets.concat()));
    let config = meta::Config::new()
        .match_kind(MatchKind::All)
        .utf8_empty(true)
        .which_captures(WhichCaptures::None)
        .nfa_size_limit(Some(NFA_BYTES))
        .hybrid_cache_capacity(DFA_CACHE_BYTES);
    let meta = meta::Builder::new().configure(config).build_many_from_hir(&hirs)?;
    Ok(RegexSet { meta, lower, gate })
}

/// `hir` as it reads text whose ASCII capitals are lowered, when it then matches exactly as
/// `hir` does on the text as written: every class holds each ASCII letter in both cases or in
/// neither (so lowering a letter never changes whether a class takes it), and no literal holds
/// an ASCII letter. The twin's classes lose their capitals, which the text no longer has.
fn lowered(hir: &Hir) -> Option<Hir> {
    Some(match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => hir.clone(),
        HirKind::Literal(literal) => {
            if literal.0.iter().any(u8::is_ascii_alphabetic) {
                return None;
            }
            hir.clone()
        }
        HirKind::Class(Class::Unicode(class)) => {
            let ascii = ascii_members(class.ranges().iter().map(|r| (u32::from(r.start()), u32::from(r.end()))));
            if !case_closed(ascii) {
                return None;
            }
            // A class of many ranges ("\w") is no literal to extract: capitals it keeps are never
            // met, and dropping them would copy it.
            if ascii & CAPITALS == 0 || class.ranges().len() > BIG_CLASS {
                return Some(hir.clone());
            }
            let mut no_capitals = ClassUnicode::new([ClassUnicodeRange::new('A', 'Z')]);
            no_capitals.negate();
            let mut class = class.clone();
            class.intersect(&no_capitals);
            Hir::class(Class::Unicode(class))
        }
        HirKind::Class(Class::Bytes(class)) => {
            let ascii = ascii_members(class.ranges().iter().map(|r| (u32::from(r.start()), u32::from(r.end()))));
            if !case_closed(ascii) {
                return None;
            }
            if ascii & CAPITALS == 0 || class.ranges().len() > BIG_CLASS {
                return Some(hir.clone());
            }
            let mut no_capitals = ClassBytes::new([ClassBytesRange::new(b'A', b'Z')]);
            no_capitals.negate();
            let mut class = class.clone();
            class.intersect(&no_capitals);
            Hir::class(Class::Bytes(class))
        }
        // Built anew around the lowered part: cloning the node would copy the part first.
        HirKind::Repetition(r) => Hir::repetition(Repetition { min: r.min, max: r.max, greedy: r.greedy, sub: Box::new(lowered(&r.sub)?) }),
        HirKind::Capture(c) => Hir::capture(Capture { index: c.index, name: c.name.clone(), sub: Box::new(lowered(&c.sub)?) }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(lowered).collect::<Option<Vec<_>>>()?),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(lowered).collect::<Option<Vec<_>>>()?),
    })
}

/// Ranges beyond which a class is left as it is in a lower-case twin (see [`lowered`]).
const BIG_CLASS: usize = 16;

/// The ASCII capitals as a set of [`ascii_members`].
const CAPITALS: u128 = ((1 << 26) - 1) << b'A';

/// The ASCII characters of a class, a bit each, from its sorted ranges (only the first few
/// ranges are read: a Unicode class such as `\w` has hundreds).
fn ascii_members(ranges: impl Iterator<Item = (u32, u32)>) -> u128 {
    let mut members = 0u128;
    for (start, end) in ranges.take_while(|&(start, _)| start < 0x80) {
        for c in start..=end.min(0x7F) {
            members |= 1 << c;
        }
    }
    members
}

/// True when a set of [`ascii_members`] holds each ASCII letter in both cases or in neither.
fn case_closed(members: u128) -> bool {
    let capitals = (members & CAPITALS) >> b'A';
    let small = (members >> b'a') & ((1 << 26) - 1);
    capitals == small
}

thread_local! {
    /// The lower-cased copy of the text being searched, kept between searches for its room.
    static LOWERED: RefCell<String> = const { RefCell::new(String::new()) };
    /// The document being read ([`with_document`]).
    static DOCUMENT: RefCell<Option<Document>> = const { RefCell::new(None) };
}

/// The document being read: where its text starts in memory, the text lower-cased once, and
/// where the patterns' gate words occur in it (made at the first gated search).
struct Document {
    base: usize,
    lowered: String,
    gates: OnceCell<gate::Table>,
}

/// Runs `read` with `text` lower-cased once for it: while it runs, a search over any slice of
/// `text` reads the same slice of that copy instead of lowering a copy of its own, so that
/// searching slices of a long document ("the text before this mention") costs no more than
/// the search; and a search over a slice that holds none of the words every match of its
/// pattern holds is not made ([`gate`]). Nested calls restore the outer document when they end.
pub fn with_document<T>(text: &str, read: impl FnOnce() -> T) -> T {
    let document = Document { base: text.as_ptr() as usize, lowered: text.to_ascii_lowercase(), gates: OnceCell::new() };
    let outer = DOCUMENT.with_borrow_mut(|d| d.replace(document));
    let result = read();
    DOCUMENT.with_borrow_mut(|d| *d = outer);
    result
}

/// `then` of the slice of the document's lower-cased copy ([`with_document`]) that is
/// `haystack`'s, when `haystack` is a slice of the document being read.
fn in_document<T>(haystack: &str, then: impl FnOnce(&str) -> T) -> Option<T> {
    DOCUMENT.with_borrow(|d| {
        let d = d.as_ref()?;
        d.lowered.get(d.range_of(haystack)?).map(then)
    })
}

impl Document {
    /// Where `haystack` lies in the document, in bytes, when it is a slice of it.
    fn range_of(&self, haystack: &str) -> Option<Range<usize>> {
        let start = (haystack.as_ptr() as usize).checked_sub(self.base)?;
        let end = start.checked_add(haystack.len())?;
        (end <= self.lowered.len()).then_some(start..end)
    }
}

/// False when `haystack` is a slice of the document being read and holds none of the words
/// of `gate` (a pattern's [`gate`]): the pattern cannot match there. True otherwise.
fn open(gate: Option<u32>, haystack: &str) -> bool {
    let Some(gate) = gate else { return true };
    DOCUMENT.with_borrow(|d| {
        let Some((d, range)) = d.as_ref().and_then(|d| Some((d, d.range_of(haystack)?))) else { return true };
        d.gates.get_or_init(|| gate::Table::of(&d.lowered)).open(gate, range.start, range.end)
    })
}

/// Runs `search` over `haystack` as a lower-case pattern reads it: as written when `lower` is
/// false; else over the same slice of the document's lower-cased copy when `haystack` is a
/// slice of the document being read ([`with_document`]); else as written when it has no ASCII
/// capital, or over a lower-cased copy of its own (same byte offsets in every case).
fn over<T>(lower: bool, haystack: &str, search: impl FnOnce(&str) -> T) -> T {
    if !lower {
        return search(haystack);
    }
    let mut search = Some(search);
    if let Some(found) = in_document(haystack, |slice| search.take().map(|s| s(slice))).flatten() {
        return found;
    }
    let search = search.expect("a search not made over the document is made here");
    if !haystack.bytes().any(|b| b.is_ascii_uppercase()) {
        return search(haystack);
    }
    LOWERED.with(|buffer| match buffer.try_borrow_mut() {
        Ok(mut buffer) => {
            buffer.clear();
            buffer.push_str(haystack);
            buffer.make_ascii_lowercase();
            search(&buffer)
        }
        // A search inside a search (not done today): a copy of its own.
        Err(_) => search(&haystack.to_ascii_lowercase()),
    })
}

/// A compiled pattern (see the module's description).
#[derive(Debug, Clone)]
pub struct Regex {
    meta: meta::Regex,
    pattern: Arc<str>,
    /// Compiled as the lower-case twin, to run over lower-cased text.
    lower: bool,
    /// The pattern's [`gate`], when its matches hold words to look for.
    gate: Option<u32>,
    /// The words every match starts with, when there are few enough to look for.
    starts: Option<Prefilter>,
}

impl Regex {
    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// True when the pattern matches somewhere in `haystack`.
    pub fn is_match(&self, haystack: &str) -> bool {
        open(self.gate, haystack) && over(self.lower, haystack, |h| self.meta.is_match(h))
    }

    /// The leftmost-first match in `haystack`.
    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        if !open(self.gate, haystack) {
            return None;
        }
        over(self.lower, haystack, |h| self.search(&Input::new(h))).map(|m| Match::new(haystack, m.range()))
    }

    /// Every successive non-overlapping match in `haystack`, each searched for when it is
    /// asked for: a caller that stops at the first it wants searches no further.
    pub fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> Matches<'r, 'h> {
        Matches(Iteration::new(self, haystack))
    }

    /// The groups of the leftmost-first match in `haystack`.
    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        if !open(self.gate, haystack) {
            return None;
        }
        let mut slots = self.meta.create_captures();
        over(self.lower, haystack, |h| self.search_captures(&Input::new(h), &mut slots));
        slots.is_match().then_some(Captures { haystack, slots })
    }

    /// The groups of every successive non-overlapping match in `haystack`, each searched for
    /// when it is asked for (as [`Regex::find_iter`]).
    pub fn captures_iter<'r, 'h>(&'r self, haystack: &'h str) -> CaptureMatches<'r, 'h> {
        CaptureMatches(Iteration::new(self, haystack))
    }

    /// The leftmost-first match of `input` (over the text as the compiled pattern reads it).
    ///
    /// The regex crate finds a match's end with a forward automaton and then its start with a
    /// reverse one, whose states it builds as it goes; for patterns with counted repetitions
    /// of Unicode classes those states are many and large. When every match starts with one
    /// of the pattern's [`Regex::starts`] words, the leftmost match starts at the first of
    /// their occurrences where an anchored search matches, and an anchored search needs no
    /// reverse automaton: the same match, found forward only.
    fn search(&self, input: &Input<'_>) -> Option<regex_automata::Match> {
        match &self.starts {
            Some(starts) if !input.get_anchored().is_anchored() => {
                let mut found = None;
                at_starts(starts, input, |anchored| {
                    found = self.meta.search(anchored);
                    found.is_some()
                });
                found
            }
            _ => self.meta.search(input),
        }
    }

    /// [`Regex::search`] with the groups, into `slots`.
    fn search_captures(&self, input: &Input<'_>, slots: &mut Slots) {
        match &self.starts {
            Some(starts) if !input.get_anchored().is_anchored() => {
                slots.set_pattern(None);
                at_starts(starts, input, |anchored| {
                    self.meta.search_captures(anchored, slots);
                    slots.is_match()
                });
            }
            _ => self.meta.search_captures(input, slots),
        }
    }
}

/// Tries `input` anchored at each occurrence of one of `starts` within its span, in order,
/// until `try_at` says it matched there.
fn at_starts(starts: &Prefilter, input: &Input<'_>, mut try_at: impl FnMut(&Input<'_>) -> bool) {
    let (haystack, end) = (input.haystack(), input.end());
    let mut at = input.start();
    while at <= end {
        let Some(candidate) = starts.find(haystack, Span::from(at..end)) else { return };
        if try_at(&input.clone().span(candidate.start..end).anchored(Anchored::Yes)) {
            return;
        }
        at = candidate.start + 1;
    }
}

/// For the searches of an iteration over `haystack` by a pattern read over lower-cased text
/// (`lower`): a lower-cased copy made once, where the document being read gives none and
/// `haystack` has an ASCII capital (else [`over`] would lower a copy for every match).
fn own_lowered(lower: bool, haystack: &str) -> Option<String> {
    (lower && haystack.bytes().any(|b| b.is_ascii_uppercase()) && in_document(haystack, |_| ()).is_none()).then(|| haystack.to_ascii_lowercase())
}

/// One search of an iteration: over `own` (see [`own_lowered`]) when there is one, else as
/// [`over`] makes it.
fn search_in<T>(lower: bool, haystack: &str, own: Option<&str>, search: impl FnOnce(&str) -> T) -> T {
    match own {
        Some(own) => search(own),
        None => over(lower, haystack, search),
    }
}

/// `input`'s search (its span and anchoring) over `haystack`, the same text or its lower-cased
/// copy: the same byte offsets.
fn same_search<'h>(input: &Input<'_>, haystack: &'h str) -> Input<'h> {
    Input::new(haystack).span(input.get_span()).anchored(input.get_anchored())
}

/// An iteration of a pattern over a text, as the regex crate's (the next search starts where
/// the last match ended, past an empty match), one search per match asked for.
#[derive(Debug)]
struct Iteration<'r, 'h> {
    re: &'r Regex,
    haystack: &'h str,
    own: Option<String>,
    searcher: Searcher<'h>,
    /// No match is left (the pattern's gate is closed over the haystack).
    done: bool,
}

impl<'r, 'h> Iteration<'r, 'h> {
    fn new(re: &'r Regex, haystack: &'h str) -> Iteration<'r, 'h> {
        let done = !open(re.gate, haystack);
        let own = if done { None } else { own_lowered(re.lower, haystack) };
        Iteration { re, haystack, own, searcher: Searcher::new(Input::new(haystack)), done }
    }

    /// The next match, found by `search` (a search with the compiled pattern over the text the
    /// pattern reads, from where the iteration stands).
    fn next(&mut self, mut search: impl FnMut(&Regex, &Input<'_>) -> Option<regex_automata::Match>) -> Option<regex_automata::Match> {
        let Iteration { re, haystack, own, searcher, done } = self;
        if *done {
            return None;
        }
        searcher.advance(|input| Ok(search_in(re.lower, haystack, own.as_deref(), |h| search(re, &same_search(input, h)))))
    }
}

/// The matches of [`Regex::find_iter`].
#[derive(Debug)]
pub struct Matches<'r, 'h>(Iteration<'r, 'h>);

impl<'h> Iterator for Matches<'_, 'h> {
    type Item = Match<'h>;

    fn next(&mut self) -> Option<Match<'h>> {
        let found = self.0.next(|re, input| re.search(input))?;
        Some(Match::new(self.0.haystack, found.range()))
    }
}

/// The groups of [`Regex::captures_iter`], found as [`Matches`] are.
#[derive(Debug)]
pub struct CaptureMatches<'r, 'h>(Iteration<'r, 'h>);

impl<'h> Iterator for CaptureMatches<'_, 'h> {
    type Item = Captures<'h>;

    fn next(&mut self) -> Option<Captures<'h>> {
        let mut slots = self.0.re.meta.create_captures();
        self.0.next(|re, input| {
            re.search_captures(input, &mut slots);
            slots.get_match()
        })?;
        Some(Captures { haystack: self.0.haystack, slots })
    }
}

/// Patterns searched for together (see the module's description).
#[derive(Debug, Clone)]
pub struct RegexSet {
    meta: meta::Regex,
    lower: bool,
    /// The [`gate`] of the set's patterns' words together.
    gate: Option<u32>,
}

impl RegexSet {
    /// Which of the patterns match somewhere in `haystack`.
    pub fn matches(&self, haystack: &str) -> SetMatches {
        let mut which = PatternSet::new(self.meta.pattern_len());
        if !open(self.gate, haystack) {
            return SetMatches(which);
        }
        over(self.lower, haystack, |h| self.meta.which_overlapping_matches(&Input::new(h), &mut which));
        SetMatches(which)
    }
}

/// The patterns of a [`RegexSet`] that matched.
#[derive(Debug, Clone)]
pub struct SetMatches(PatternSet);

impl SetMatches {
    /// True when any pattern matched.
    pub fn matched_any(&self) -> bool {
        !self.0.is_empty()
    }

    /// True when pattern `i` matched.
    pub fn matched(&self, i: usize) -> bool {
        self.0.contains(regex_automata::PatternID::must(i))
    }

    /// The patterns that matched, by index, in order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().map(|id| id.as_usize())
    }
}

/// A match: a byte range of the haystack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match<'h> {
    haystack: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    fn new(haystack: &'h str, range: Range<usize>) -> Match<'h> {
        Match { haystack, start: range.start, end: range.end }
    }

    /// Its first byte.
    pub fn start(&self) -> usize {
        self.start
    }

    /// Its end (exclusive).
    pub fn end(&self) -> usize {
        self.end
    }

    /// Its byte range.
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when it is empty.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The text matched, as written.
    pub fn as_str(&self) -> &'h str {
        &self.haystack[self.start..self.end]
    }
}

/// The groups of a match.
#[derive(Debug, Clone)]
pub struct Captures<'h> {
    haystack: &'h str,
    slots: Slots,
}

impl<'h> Captures<'h> {
    /// Group `i` (0: the whole match), when it took part.
    pub fn get(&self, i: usize) -> Option<Match<'h>> {
        self.slots.get_group(i).map(|span| Match::new(self.haystack, span.range()))
    }

    /// The group named `name`, when it took part.
    pub fn name(&self, name: &str) -> Option<Match<'h>> {
        self.slots.get_group_by_name(name).map(|span| Match::new(self.haystack, span.range()))
    }

    /// How many groups the pattern has, the whole match included.
    pub fn len(&self) -> usize {
        self.slots.group_len()
    }

    /// True when the pattern has no groups (never: the whole match is one).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl std::ops::Index<usize> for Captures<'_> {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        self.get(i).map(|m| m.as_str()).unwrap_or_else(|| panic!("no group {i}"))
    }
}

impl std::ops::Index<&str> for Captures<'_> {
    type Output = str;

    fn index(&self, name: &str) -> &str {
        self.name(name).map(|m| m.as_str()).unwrap_or_else(|| panic!("no group {name:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_over_slices_of_the_document_read_its_lowered_copy_with_the_same_results() {
        let text = "Shelling hit the OUTSKIRTS of Kharkiv. Later, Ukrainian Forces Retook Balakliya, officials said.";
        let patterns: Vec<Regex> = PATTERNS.iter().map(|p| regex(p).unwrap()).collect();
        let slices = [text, &text[..38], &text[39..], &text[17..60]];
        let outside: Vec<Vec<Option<Range<usize>>>> = slices.iter().map(|h| patterns.iter().map(|r| r.find(h).map(|m| m.range())).collect()).collect();
        let inside =
            with_document(text, || slices.iter().map(|h| patterns.iter().map(|r| r.find(h).map(|m| m.range())).collect::<Vec<_>>()).collect::<Vec<_>>());
        assert_eq!(inside, outside);
        assert!(outside.iter().flatten().any(Option::is_some), "some pattern matches the sample");
        // A haystack that is not a slice of the document is searched on its own.
        let other = String::from("ukrainian troops RETOOK the village");
        let alone = patterns[0].find(&other).map(|m| m.range());
        assert_eq!(with_document(text, || patterns[0].find(&other).map(|m| m.range())), alone);
        assert!(alone.is_some());
        // Nested documents restore the outer one.
        with_document(text, || {
            with_document(&other, || ());
            assert_eq!(patterns[1].find(&text[39..]).map(|m| m.as_str()), Some("Ukrainian Forces"));
        });
    }

    /// Patterns of the kinds the reader writes: case-insensitive phrases with ASCII word
    /// boundaries, Unicode classes, counted repetitions and groups; case-sensitive parts.
    const PATTERNS: &[&str] = &[
        r"(?i)(?-u:\b)(?:took|retook|re-?captured?|liberat\w*)\ (?:control\ of\ )?(?-u:\b)",
        r"(?i)(?-u:\b)(?:(?P<nat>Ukrainian|Russian)\s+(?:forces|troops))(?-u:\b)",
        r"(?i)^\s*(?:the\ )?(?:[\w’'-]+\ ){0,2}(?:outskirts|districts?)\ of\s+",
        r"(?i)[,(—–]\s*[^,;()—–]{0,20}?(?:north|south)[a-z-]*\s+of\s+$",
        r"(?i-u)\b(?:said|says|stated)\s+(?:that\s+)?(?:it|we)\b",
        r"(?i)(?:near|outside)\s+(?:the\s+)?(?-i:\p{Lu})[^,;.()]*",
        r"^\p{Lu}[\w’'-]*(?:\s+\p{Lu}[\w’'-]*){0,2}(?:,\s+and\s+|,\s+)",
        r"(?-u:\b)(?:March|May)\s+(?P<d>\d{1,2})(?-u:\b)",
        // Words a match starts with that start inside each other ("troops", "oops"): searched
        // for anchored where each occurs, leftmost first.
        r"(?i)(?:troops|roops|oops)\s+(?P<w>\w+)",
    ];

    fn twin(p: &str) -> bool {
        lowered(&syntax::parse(p).unwrap()).is_some()
    }

    #[test]
    fn only_patterns_without_case_sensitive_letters_get_a_lower_case_twin() {
        assert!(twin(PATTERNS[0]) && twin(PATTERNS[1]) && twin(PATTERNS[2]) && twin(PATTERNS[3]) && twin(PATTERNS[4]));
        assert!(!twin(PATTERNS[5]), "a capital asked for in a case-insensitive pattern");
        assert!(!twin(PATTERNS[6]) && !twin(PATTERNS[7]), "case-sensitive patterns");
        assert!(twin(r"\d+\s*(?:%|,)"), "nothing to lower");
        assert!(!twin(r"(?i)[a-z]x(?-i:y)"));
    }

    #[test]
    fn matches_are_found_forward_from_their_first_words_where_the_pattern_starts_with_few() {
        assert!(regex(PATTERNS[0]).unwrap().starts.is_some() && regex(PATTERNS[8]).unwrap().starts.is_some());
        assert!(regex(PATTERNS[2]).unwrap().starts.is_none(), "anchored at the start");
        assert!(regex(PATTERNS[3]).unwrap().starts.is_none(), "anchored at the end");
        let re = regex(PATTERNS[8]).unwrap();
        let text = "Oops no. The troops  held; TROOPS ran";
        let found: Vec<(usize, &str)> = re.captures_iter(text).map(|c| (c.get(0).unwrap().start(), c.name("w").unwrap().as_str())).collect();
        assert_eq!(found, [(0, "no"), (13, "held"), (27, "ran")]);
    }

    #[test]
    fn a_twin_matches_where_the_pattern_does_and_cuts_the_text_as_written() {
        let re = regex(PATTERNS[1]).unwrap();
        let text = "Yesterday UKRAINIAN Forces and russian TROOPS moved.";
        let found: Vec<(usize, &str)> = re.find_iter(text).map(|m| (m.start(), m.as_str())).collect();
        assert_eq!(found, [(10, "UKRAINIAN Forces"), (31, "russian TROOPS")]);
        let groups: Vec<&str> = re.captures_iter(text).map(|c| c.name("nat").unwrap().as_str()).collect();
        assert_eq!(groups, ["UKRAINIAN", "russian"]);
        assert_eq!(&re.captures(text).unwrap()["nat"], "UKRAINIAN");
        assert!(!re.is_match("Ukrainianforces"));
    }

    #[test]
    fn a_set_of_twins_says_which_match_in_mixed_case() {
        let set = regex_set(&PATTERNS[..2]).unwrap();
        let m = set.matches("RUSSIAN TROOPS TOOK CONTROL OF the town");
        assert_eq!(m.iter().collect::<Vec<_>>(), [0, 1]);
        assert!(m.matched(0) && m.matched_any());
        assert!(!set.matches("nothing here").matched_any());
        let mixed = regex_set(&PATTERNS[5..7]).unwrap();
        assert_eq!(mixed.matches("Troops near Izium").iter().collect::<Vec<_>>(), [0]);
        assert!(!mixed.matches("troops near izium").matched_any(), "the capital is still asked for");
    }

    proptest::proptest! {
        /// The same matches and groups as the regex crate gives the pattern as written, on
        /// text mixing capitals, Cyrillic, curly quotes and dashes.
        #[test]
        fn the_same_matches_as_the_regex_crate(text in "(?:[A-Za-z ,;.()’'-]|Ukrainian|RUSSIAN|Forces|troops|TOOK|control of|said that|we|March 5|North of|Київ|—){0,24}") {
            let other = regex(PATTERNS[0]).unwrap();
            for p in PATTERNS {
                let ours = regex(p).unwrap();
                let theirs = regex::Regex::new(p).unwrap();
                let a: Vec<Vec<Option<(usize, usize)>>> = ours.captures_iter(&text).map(|c| (0..c.len()).map(|i| c.get(i).map(|m| (m.start(), m.end()))).collect()).collect();
                let b: Vec<Vec<Option<(usize, usize)>>> = theirs.captures_iter(&text).map(|c| c.iter().map(|m| m.map(|m| (m.start(), m.end()))).collect()).collect();
                proptest::prop_assert_eq!(&a, &b, "{}", p);
                let found: Vec<(usize, usize)> = ours.find_iter(&text).map(|m| (m.start(), m.end())).collect();
                let expected: Vec<(usize, usize)> = theirs.find_iter(&text).map(|m| (m.start(), m.end())).collect();
                proptest::prop_assert_eq!(&found, &expected, "{}", p);
                // The same over the document's lowered copy, asked for one match at a time
                // between searches of other patterns.
                let (a_doc, found_doc) = with_document(&text, || {
                    let mut all = Vec::new();
                    for c in ours.captures_iter(&text) {
                        let _ = other.find(&text);
                        all.push((0..c.len()).map(|i| c.get(i).map(|m| (m.start(), m.end()))).collect::<Vec<_>>());
                    }
                    (all, ours.find_iter(&text).map(|m| (m.start(), m.end())).collect::<Vec<_>>())
                });
                proptest::prop_assert_eq!(a_doc, b, "{}", p);
                proptest::prop_assert_eq!(found_doc, expected, "{}", p);
                proptest::prop_assert_eq!(ours.find(&text).map(|m| m.range()), theirs.find(&text).map(|m| m.range()));
                proptest::prop_assert_eq!(ours.is_match(&text), theirs.is_match(&text));
            }
            let ours = regex_set(PATTERNS).unwrap().matches(&text).iter().collect::<Vec<_>>();
            let theirs = regex::RegexSet::new(PATTERNS).unwrap().matches(&text).iter().collect::<Vec<_>>();
            proptest::prop_assert_eq!(ours, theirs);
        }
    }
}
