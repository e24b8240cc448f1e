//! Literal gates: for each pattern, words one of which every match must contain, looked for in
//! a document once, so that a search over a slice of the document without any of them is not
//! made.
//!
//! Most of the reader's searches find nothing: a control trigger's verbs, a claim cue's
//! reporting words, a frame's prepositions are absent from most sentences and from most slices
//! before or after a mention. Each such search still pays the engine's fixed cost (its cache,
//! the start state, the prefilter's set-up) and, for a pattern whose match does not start with
//! a literal, a run of the lazy DFA over the whole slice. A gate answers "no match" for those
//! from a table of where the pattern's words occur in the document's lower-cased copy, made by
//! one pass of one Aho-Corasick automaton over the words of every pattern compiled so far.
//!
//! A gate is only a necessary condition, never a sufficient one: when a word occurs, the
//! search is made as before, so the results are the same whatever the words.
//!
//! The words of a pattern come from its syntax tree as read over lower-cased text ([`atoms`]):
//! every match, lower-cased, contains one of them. They are ASCII-lowered, as is the copy they
//! are looked for in; a case-sensitive pattern gets a gate too, since text that holds "Oblast"
//! lower-cased holds "oblast".

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex_syntax::hir::{Class, Hir, HirKind};

/// The fewest bytes the shortest word of a gate may have: shorter words ("in", "of") occur in
/// almost every slice and would only cost the table its size.
const SHORTEST_ATOM: usize = 3;

/// The most strings a set of exact spellings may grow to (a product of alternatives) before it
/// is given up for the best of its parts.
const MOST_SPELLINGS: usize = 16;

/// The most words a gate may have.
const MOST_ATOMS: usize = 256;

/// The most distinct characters a class may have to count as a set of spellings ("[’']",
/// "[cs]"); a larger one ("\w", "[^,;]") says nothing.
const SMALL_CLASS: u32 = 4;

/// The characters outside ASCII that Unicode case folding makes equal to an ASCII letter: the
/// Kelvin sign (K) and the long s.
const FOLDED_INTO_ASCII: [char; 2] = ['\u{212A}', '\u{17F}'];

/// What a part of a pattern says about the text it matches, lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Lits {
    /// It matches exactly one of these strings.
    Exact(Vec<Vec<u8>>),
    /// Every match contains one of these strings (none empty).
    Required(Vec<Vec<u8>>),
    /// Nothing is known.
    Any,
}

impl Lits {
    /// The strings one of which every match contains, when known (none of them empty).
    fn required(self) -> Option<Vec<Vec<u8>>> {
        match self {
            Lits::Exact(set) | Lits::Required(set) if !set.is_empty() && set.iter().all(|s| !s.is_empty()) => Some(set),
            _ => None,
        }
    }
}

/// Which of two sets of required strings makes the better gate: the longer shortest string,
/// then the fewer strings.
fn better(a: &[Vec<u8>], b: &[Vec<u8>]) -> bool {
    let shortest = |set: &[Vec<u8>]| set.iter().map(Vec::len).min().unwrap_or(0);
    (shortest(a), std::cmp::Reverse(a.len())) > (shortest(b), std::cmp::Reverse(b.len()))
}

fn lower(bytes: &[u8]) -> Vec<u8> {
    bytes.to_ascii_lowercase()
}

fn dedup(mut set: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    set.sort_unstable();
    set.dedup();
    set
}

/// What `hir` says about the lower-cased text of its matches.
fn lits(hir: &Hir) -> Lits {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Lits::Exact(vec![Vec::new()]),
        HirKind::Literal(literal) => Lits::Exact(vec![lower(&literal.0)]),
        HirKind::Class(Class::Unicode(class)) => {
            let size: u32 = class.ranges().iter().map(|r| u32::from(r.end()) - u32::from(r.start()) + 1).sum();
            if size > 2 * SMALL_CLASS {
                return Lits::Any;
            }
            // The two letters outside ASCII that case folding adds to an ASCII one ("k", "s")
            // are left out: a document that holds either has every gate open.
            let chars = class
                .ranges()
                .iter()
                .flat_map(|r| r.start()..=r.end())
                .filter(|c| !FOLDED_INTO_ASCII.contains(c))
                .map(|c| lower(c.encode_utf8(&mut [0; 4]).as_bytes()));
            let set = dedup(chars.collect());
            if set.len() as u32 > SMALL_CLASS {
                Lits::Any
            } else {
                Lits::Exact(set)
            }
        }
        HirKind::Class(Class::Bytes(class)) => {
            let size: u32 = class.ranges().iter().map(|r| u32::from(r.end()) - u32::from(r.start()) + 1).sum();
            if size > 2 * SMALL_CLASS {
                return Lits::Any;
            }
            let set = dedup(class.ranges().iter().flat_map(|r| r.start()..=r.end()).map(|b| vec![b.to_ascii_lowercase()]).collect());
            if set.len() as u32 > SMALL_CLASS {
                Lits::Any
            } else {
                Lits::Exact(set)
            }
        }
        HirKind::Capture(c) => lits(&c.sub),
        HirKind::Repetition(r) => {
            let sub = lits(&r.sub);
            match (r.min, r.max) {
                (1, Some(1)) => sub,
                (0, Some(1)) => match sub {
                    Lits::Exact(mut set) if set.len() < MOST_SPELLINGS => {
                        set.push(Vec::new());
                        Lits::Exact(dedup(set))
                    }
                    _ => Lits::Any,
                },
                (0, _) => Lits::Any,
                _ => sub.required().map_or(Lits::Any, Lits::Required),
            }
        }
        HirKind::Alternation(parts) => {
            let parts: Vec<Lits> = parts.iter().map(lits).collect();
            if parts.iter().all(|p| matches!(p, Lits::Exact(_))) {
                let all: Vec<Vec<u8>> = parts.iter().flat_map(|p| if let Lits::Exact(set) = p { set.clone() } else { Vec::new() }).collect();
                if all.len() <= MOST_SPELLINGS {
                    return Lits::Exact(dedup(all));
                }
            }
            let mut all = Vec::new();
            for part in parts {
                match part.required() {
                    Some(set) => all.extend(set),
                    None => return Lits::Any,
                }
            }
            Lits::Required(dedup(all))
        }
        HirKind::Concat(parts) => {
            let mut best: Option<Vec<Vec<u8>>> = None;
            let mut offer = |set: Option<Vec<Vec<u8>>>| {
                if let Some(set) = set {
                    if best.as_ref().is_none_or(|b| better(&set, b)) {
                        best = Some(set);
                    }
                }
            };
            // A run of parts of exact spellings, multiplied out.
            let mut run: Vec<Vec<u8>> = vec![Vec::new()];
            let mut all_exact = true;
            for part in parts.iter().map(lits) {
                match part {
                    Lits::Exact(set) if run.len() * set.len() <= MOST_SPELLINGS => {
                        run = run.iter().flat_map(|a| set.iter().map(move |b| [a.as_slice(), b.as_slice()].concat())).collect();
                        run = dedup(run);
                    }
                    Lits::Exact(set) => {
                        all_exact = false;
                        offer(Lits::Exact(std::mem::replace(&mut run, set)).required());
                    }
                    other => {
                        all_exact = false;
                        offer(Lits::Exact(std::mem::replace(&mut run, vec![Vec::new()])).required());
                        offer(other.required());
                    }
                }
            }
            if all_exact {
                return Lits::Exact(run);
            }
            offer(Lits::Exact(run).required());
            best.map_or(Lits::Any, Lits::Required)
        }
    }
}

/// Words one of which every match of `hir` contains, ASCII-lowered, when they make a useful
/// gate (each at least [`SHORTEST_ATOM`] bytes, at most [`MOST_ATOMS`] of them).
pub(super) fn atoms(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let set = lits(hir).required()?;
    // A word that holds another of the set adds nothing: where it occurs, so does the other.
    if set.len() > MOST_ATOMS {
        return None;
    }
    let set: Vec<Vec<u8>> = set.iter().filter(|a| !set.iter().any(|b| b != *a && contains(a, b))).cloned().collect();
    (set.len() <= MOST_ATOMS && set.iter().all(|s| s.len() >= SHORTEST_ATOM)).then_some(set)
}

/// True when `haystack` holds `needle`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.len() <= haystack.len() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// The words of every gate so far, and the automaton over them.
#[derive(Default)]
struct Registry {
    /// Each word's number.
    atoms: HashMap<Vec<u8>, u32>,
    /// The words by number.
    words: Vec<Vec<u8>>,
    /// The gates each word opens, by the word's number.
    atom_gates: Vec<Vec<u32>>,
    /// How many gates there are.
    gates: u32,
    /// The automaton last made, for the gates registered then.
    built: Option<Arc<Automaton>>,
}

static REGISTRY: Mutex<Option<Registry>> = Mutex::new(None);

/// A new gate that opens where one of `atoms` occurs: its number.
pub(super) fn register(atoms: &[Vec<u8>]) -> u32 {
    let mut guard = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    let r = guard.get_or_insert_with(Registry::default);
    let gate = r.gates;
    r.gates += 1;
    for atom in atoms {
        let next = r.words.len() as u32;
        let id = *r.atoms.entry(atom.clone()).or_insert(next);
        if id == next {
            r.words.push(atom.clone());
            r.atom_gates.push(Vec::new());
        }
        let gates = &mut r.atom_gates[id as usize];
        if gates.last() != Some(&gate) {
            gates.push(gate);
        }
    }
    gate
}

/// The fewest new gates for which the automaton is made again (see [`automaton`]).
const FEW_GATES: u32 = 4;

/// One automaton over the words of the gates registered when it was made.
pub(super) struct Automaton {
    ac: Option<AhoCorasick>,
    /// The gates each word opens, by the word's number.
    atom_gates: Vec<Vec<u32>>,
    /// The gates it knows: those numbered below.
    gates: u32,
}

/// The automaton over the gates registered so far, or most of them.
fn automaton() -> Arc<Automaton> {
    let mut guard = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    let r = guard.get_or_insert_with(Registry::default);
    // Patterns compile lazily, a few at a time as a report first needs them: the automaton is
    // made again only when the gates it lacks are half as many as those it has (and at least
    // [`FEW_GATES`]), so that it is made a handful of times in all, not once per pattern. A
    // gate it lacks stays open.
    if let Some(built) = &r.built {
        if r.gates - built.gates < FEW_GATES.max(built.gates / 2) {
            return built.clone();
        }
    }
    let ac = AhoCorasick::builder().match_kind(MatchKind::Standard).kind(Some(AhoCorasickKind::ContiguousNFA)).build(&r.words).ok();
    let built = Arc::new(Automaton { ac, atom_gates: r.atom_gates.clone(), gates: r.gates });
    r.built = Some(built.clone());
    built
}

/// Where each gate's words occur in one document's lower-cased copy.
#[derive(Debug, Default)]
pub(super) struct Table {
    /// The gates it knows (numbered below); a later one is always open.
    gates: u32,
    /// Where each gate's occurrences start in `occurrences`, by gate (one more at the end).
    first: Vec<u32>,
    /// The byte ranges of the words' occurrences, by gate, then by start.
    occurrences: Vec<(u32, u32)>,
}

impl Table {
    /// The table of `lowered`, a document's lower-cased copy.
    pub(super) fn of(lowered: &str) -> Table {
        // Words were written without the letters that fold into ASCII ones ([`lits`]); offsets
        // are kept in 32 bits.
        // (Looked for as bytes, a fast search each, not a character at a time.)
        let folds_into_ascii = FOLDED_INTO_ASCII.iter().any(|c| memchr::memmem::find(lowered.as_bytes(), c.encode_utf8(&mut [0; 4]).as_bytes()).is_some());
        if folds_into_ascii || u32::try_from(lowered.len()).is_err() {
            return Table::default();
        }
        Table::with(&automaton(), lowered)
    }

    /// The table of `lowered` by the automaton `auto`.
    ///
    /// Each word's occurrences are copied to every gate it opens, so a common word makes many
    /// entries (some ten per occurrence on a long report). They are put in their gate's place by
    /// counting, not by sorting them all: the automaton reports occurrences by where they end,
    /// so each gate's entries come nearly in order of their start already (only words that end
    /// at or near the same place can be out of order), and an insertion sort within each gate
    /// puts them in order in about one pass. The table is the same as sorting every entry.
    fn with(auto: &Automaton, lowered: &str) -> Table {
        let Some(ac) = &auto.ac else { return Table::default() };
        let words: Vec<(u32, u32, u32)> = ac.find_overlapping_iter(lowered).map(|m| (m.pattern().as_u32(), m.start() as u32, m.end() as u32)).collect();
        // How many entries each gate gets, then where its entries start.
        let mut first = vec![0u32; auto.gates as usize + 1];
        for &(word, _, _) in &words {
            for &gate in &auto.atom_gates[word as usize] {
                first[gate as usize + 1] += 1;
            }
        }
        for gate in 0..auto.gates as usize {
            first[gate + 1] += first[gate];
        }
        let mut next: Vec<u32> = first[..auto.gates as usize].to_vec();
        let mut occurrences = vec![(0u32, 0u32); first[auto.gates as usize] as usize];
        for &(word, start, end) in &words {
            for &gate in &auto.atom_gates[word as usize] {
                occurrences[next[gate as usize] as usize] = (start, end);
                next[gate as usize] += 1;
            }
        }
        for gate in 0..auto.gates as usize {
            insertion_sort(&mut occurrences[first[gate] as usize..first[gate + 1] as usize]);
        }
        Table { gates: auto.gates, first, occurrences }
    }

    /// False when none of `gate`'s words lies within `start..end` of the document: no match of
    /// its pattern does.
    pub(super) fn open(&self, gate: u32, start: usize, end: usize) -> bool {
        if gate >= self.gates {
            return true;
        }
        let occurrences = &self.occurrences[self.first[gate as usize] as usize..self.first[gate as usize + 1] as usize];
        let from = occurrences.partition_point(|&(s, _)| (s as usize) < start);
        occurrences[from..].iter().take_while(|&&(s, _)| (s as usize) < end).any(|&(_, e)| e as usize <= end)
    }
}

/// Sorts `items`, which are nearly in order, in place: each is moved back past the few greater
/// ones before it (linear when every item is at most a few places from its own).
fn insertion_sort<T: Ord + Copy>(items: &mut [T]) {
    for i in 1..items.len() {
        let item = items[i];
        let mut at = i;
        while at > 0 && items[at - 1] > item {
            items[at] = items[at - 1];
            at -= 1;
        }
        items[at] = item;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::util::syntax;

    fn words(pattern: &str) -> Option<Vec<String>> {
        atoms(&syntax::parse(pattern).unwrap()).map(|set| set.into_iter().map(|w| String::from_utf8(w).unwrap()).collect())
    }

    #[test]
    fn the_words_every_match_contains() {
        // Spellings multiplied out; one that holds another is left out ("retook ", "took
        // control of ").
        assert_eq!(
            words(r"(?i)(?-u:\b)(?:took|retook|re-?captured?)\ (?:control\ of\ )?(?-u:\b)").unwrap(),
            ["re-capture ", "re-captured ", "recapture ", "recaptured ", "took "]
        );
        // A longer part wins over a shorter one; case-insensitive letters are lowered.
        assert_eq!(words(r"(?i)(?:Ukrainian|Russian)\s+(?:forces|troops)").unwrap(), ["russian", "ukrainian"]);
        assert_eq!(words(r"Territorial\ Defen[cs]e").unwrap(), ["territorial defence", "territorial defense"]);
        assert_eq!(words(r"(?i)(?:[\w-]+\ ){1,4}?(?:out\ of|from)\s").unwrap(), ["from", "out of"]);
        assert_eq!(words(r"\p{Lu}\w+\s+Oblast").unwrap(), ["oblast"]);
    }

    #[test]
    fn no_gate_where_a_match_may_lack_every_word() {
        assert_eq!(words(r"(?i)took|\d+"), None, "a branch without words");
        assert_eq!(words(r"(?i)(?:took)?\s+"), None, "optional words");
        assert_eq!(words(r"(?i)\b(?:in|at)\b"), None, "words too short to tell");
        assert_eq!(words(r"^\s*"), None);
    }

    /// The table as first written: every entry sorted by gate, start and end.
    fn sorted_table(auto: &Automaton, lowered: &str) -> (Vec<u32>, Vec<(u32, u32)>) {
        let ac = auto.ac.as_ref().unwrap();
        let mut found: Vec<(u32, u32, u32)> = Vec::new();
        for m in ac.find_overlapping_iter(lowered) {
            for &gate in &auto.atom_gates[m.pattern().as_usize()] {
                found.push((gate, m.start() as u32, m.end() as u32));
            }
        }
        found.sort_unstable();
        let first = (0..=auto.gates).map(|g| found.partition_point(|&(x, _, _)| x < g) as u32).collect();
        (first, found.into_iter().map(|(_, s, e)| (s, e)).collect())
    }

    #[test]
    fn each_gate_lists_its_words_in_order_of_start_as_sorting_every_entry_would() {
        // Words that end together ("retook", "took", "ook") are reported by the automaton in
        // some order at one end; words that hold others start before them.
        let words = ["retook", "took", "ook", "re-", "russian forces", "forces", "an f", "ian"];
        let ac = AhoCorasick::builder().match_kind(MatchKind::Standard).kind(Some(AhoCorasickKind::ContiguousNFA)).build(words).ok();
        let atom_gates = vec![vec![0, 2], vec![0, 1], vec![2], vec![1, 2], vec![0, 1, 2], vec![2], vec![0], vec![1]];
        let auto = Automaton { ac, atom_gates, gates: 4 };
        let text = "russian forces retook it; they re-took, retook and took. ukrainian forces took ook-ook.";
        let table = Table::with(&auto, text);
        let (first, occurrences) = sorted_table(&auto, text);
        assert_eq!(table.first, first);
        assert_eq!(table.occurrences, occurrences);
        assert!(occurrences.len() > 20 && first[3] == first[4], "gate 3 has no words");
        assert!(!table.open(3, 0, text.len()));
    }

    #[test]
    fn a_document_with_a_letter_that_folds_into_ascii_has_every_gate_open() {
        assert!(Table::of("the kelvin sign \u{212A} here").gates == 0 && Table::of("a long \u{17F} there").gates == 0);
        assert!(Table::of("\u{212A}").open(0, 0, 1), "a table that knows no gate has it open");
    }

    #[test]
    fn insertion_sort_sorts() {
        let mut items = [(5, 9), (3, 9), (4, 9), (1, 2), (9, 9), (0, 1), (9, 8)];
        let mut expected = items;
        expected.sort_unstable();
        insertion_sort(&mut items);
        assert_eq!(items, expected);
        insertion_sort::<(u32, u32)>(&mut []);
    }

    #[test]
    fn a_table_opens_a_gate_only_where_one_of_its_words_lies_within() {
        let words = ["retook", "liberat", "withdr"];
        let ac = AhoCorasick::builder().match_kind(MatchKind::Standard).build(words).ok();
        // Gate 0 opens on the first two words, gate 1 on the last.
        let auto = Automaton { ac, atom_gates: vec![vec![0], vec![0], vec![1]], gates: 2 };
        let gate = 0;
        let text = "russian forces withdrew. ukrainian forces retook the town.";
        let table = Table::with(&auto, text);
        assert!(table.open(1, 0, 24) && !table.open(1, 24, text.len()));
        let at = text.find("retook").unwrap();
        assert!(table.open(gate, 0, text.len()));
        assert!(table.open(gate, at, at + 6));
        assert!(!table.open(gate, at + 1, text.len()), "the word cut at its start");
        assert!(!table.open(gate, 0, at + 5), "the word cut at its end");
        assert!(table.open(gate + 1000, 0, 1), "a gate the table does not know is open");
    }
}
