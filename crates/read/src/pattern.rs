//! How the reader compiles its patterns: one place for the settings every pattern shares.
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

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

/// Capacity of each pattern's lazy-DFA cache, bytes (per thread that uses the pattern).
pub const DFA_CACHE_BYTES: usize = 32 << 20;

/// Compiles a pattern with the reader's settings (as `Regex::new` would, but for the cache).
pub fn regex(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern).dfa_size_limit(DFA_CACHE_BYTES).build()
}

/// Compiles a set of patterns with the reader's settings.
pub fn regex_set<I: IntoIterator<Item = S>, S: AsRef<str>>(patterns: I) -> Result<RegexSet, regex::Error> {
    RegexSetBuilder::new(patterns).dfa_size_limit(DFA_CACHE_BYTES).build()
}
