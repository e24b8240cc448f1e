//! Claims: who says what in a report, and how sure they sound.
//!
//! A claim is a sentence with an attribution cue: a reporting verb ("said", "reported",
//! "claimed", "believed", "appeared to show", "has not acknowledged") or "according to". Its
//! claimant is the source the cue attributes it to: the subject before the verb ("Russia's
//! defence ministry said"), the phrase after an inverted verb or "according to" ("..., said the
//! ministry", "according to the Institute for the Study of War"), the subject of the sentence
//! for a participle ("The military was circumspect, claiming ..."), or, for "It", "He", "They"
//! and "the same report", the claimant of the claim before. A subject that is no source ("The
//! advance appears to be ...") leaves the claim unattributed: the report's own hedging.
//!
//! The claimant is kept apart from the outlet that publishes the report.

use std::{collections::HashMap, sync::OnceLock};

use crate::pattern::Regex;
use serde::Serialize;

/// How sure a claim sounds, from most to least sure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    /// Stated as fact by the claimant: "said", "announced", "claimed".
    Asserted,
    /// Passed on: "reported", "reportedly".
    Reported,
    /// An assessment or belief: "believed", "assessed", "described as".
    Assessed,
    /// Hedged: "appeared to", "may", "it is thought".
    Hedged,
    /// Flagged as not verified: "unconfirmed", "could not be verified".
    Unconfirmed,
    /// Denied or disputed: "denied", "has not acknowledged".
    Denied,
}

/// What kind of source a claimant is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimantKind {
    /// A named person ("Mr Konashenkov", "Andriy Zagorodnyuk").
    Person,
    /// A government, ministry, military or officials.
    OfficialBody,
    /// A newspaper, agency or broadcaster.
    Media,
    /// A think tank, analysts or commentators.
    ThinkTank,
    /// Social media: videos, images, posts.
    SocialMedia,
    /// No source named ("It is thought that ...").
    Unattributed,
}

/// The source of a claim.
#[derive(Debug, Clone, Serialize)]
pub struct Claimant {
    /// The source as the report names it ("Russia’s defence ministry").
    pub name: String,
    /// What kind of source it is.
    pub kind: ClaimantKind,
    /// Start of the range of the name in the text; for a pronoun, the range of the pronoun. Bytes as this module returns it; a [`crate::Reading`] turns it into a Unicode scalar offset.
    pub start: usize,
    /// End of the range (exclusive), in the same unit.
    pub end: usize,
    /// True when the name was carried over from an earlier claim ("It added").
    pub carried_over: bool,
}

/// A claim found in one sentence.
#[derive(Debug, Clone, Serialize)]
pub struct Claim {
    /// Start of the range of the sentence. Bytes as this module returns it; a [`crate::Reading`] turns it into a Unicode scalar offset.
    pub start: usize,
    /// End of the range (exclusive), in the same unit.
    pub end: usize,
    /// The sentence: the evidence.
    pub text: String,
    /// Who says so; `None` when unattributed.
    pub claimant: Option<Claimant>,
    /// The cue as written ("said", "according to", "appeared to show").
    pub cue: String,
    /// How sure it sounds.
    pub certainty: Certainty,
    /// False when the claimant denies or has not confirmed it.
    pub affirmative: bool,
    /// The index of the event this sentence tells, in [`crate::Reading::events`], if any.
    pub event: Option<usize>,
}

/// How a cue points to its claimant.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// The subject before the verb.
    Before,
    /// The phrase after ("according to X").
    After,
    /// The sentence's subject (a participle: "claiming", "saying").
    Subject,
    /// No claimant ("it is thought").
    Nobody,
}

/// The cues, longest first within each alternative, with their certainty and direction.
fn cues() -> &'static [(Regex, Certainty, Direction, bool)] {
    static CUES: OnceLock<Vec<(Regex, Certainty, Direction, bool)>> = OnceLock::new();
    CUES.get_or_init(|| {
        let cue = |p: &str| crate::pattern::regex(&format!(r"(?i)(?-u:\b)(?:{p})(?-u:\b)")).expect("cue patterns compile");
        vec![
            (cue(r"it\ is\ (?:thought|believed|understood|said)|it\ was\ (?:thought|believed)"), Certainty::Hedged, Direction::Nobody, true),
            (cue(r"(?:has|have|had)\ not\ (?:yet\ )?(?:acknowledged|confirmed|commented)|denied|denies|deny|dismissed|rejected|disputed"), Certainty::Denied, Direction::Before, false),
            (
                cue(r"(?:(?:could|can|did|does)\ not|cannot|is\ unable\ to|was\ unable\ to|were\ unable\ to|(?:has|have)\ been\ unable\ to)\ (?:yet\ )?(?:be\ )?(?:independently\ |currently\ )?(?:verify|verified|confirm|confirmed|corroborate)|unconfirmed"),
                Certainty::Unconfirmed,
                Direction::Nobody,
                true,
            ),
            (cue(r"according\ to"), Certainty::Reported, Direction::After, true),
            (cue(r"appeared\ to\ show|appears\ to\ show|appeared\ to|appears\ to|seemed\ to|seems\ to"), Certainty::Hedged, Direction::Before, true),
            (cue(r"claiming|saying|reporting|announcing"), Certainty::Asserted, Direction::Subject, true),
            (cue(r"believed|believes|assessed|assesses|estimated|estimates|described|describes|suggested|suggests|suggest|thinks|thought"), Certainty::Assessed, Direction::Before, true),
            (cue(r"reportedly"), Certainty::Reported, Direction::Nobody, true),
            (cue(r"reported|reports"), Certainty::Reported, Direction::Before, true),
            (cue(r"said|says|stated|states|announced|announces|confirmed|confirms|told|added|adds|declared|claimed|claims|insisted|wrote|warned|show|shows|showed"), Certainty::Asserted, Direction::Before, true),
        ]
    })
}

/// All cue patterns as one set, for a single pass over a sentence.
fn cue_set() -> &'static crate::pattern::RegexSet {
    static SET: OnceLock<crate::pattern::RegexSet> = OnceLock::new();
    SET.get_or_init(|| crate::pattern::regex_set(cues().iter().map(|(re, ..)| re.as_str())).expect("the cue set compiles"))
}

/// Words before a cue that belong to the verb, not to the subject ("has said", "also said").
/// Adverbs in "-ly" belong to it too ([`belongs_to_verb`]).
const AUXILIARIES: &[&str] = &[
    "has",
    "have",
    "had",
    "was",
    "were",
    "is",
    "are",
    "also",
    "later",
    "earlier",
    "then",
    "would",
    "will",
    "previously",
    "already",
    "further",
    "again",
    "likewise",
    "now",
    "still",
    "even",
    "first",
];

/// Lower-case words in "-ly" that are nouns, not adverbs: they can end a source's name ("the
/// family said", "the daily reported").
const NOUNS_IN_LY: &[&str] = &["family", "assembly", "ally", "daily", "weekly", "monthly", "quarterly", "rally", "supply"];

/// Whether a word right before a cue belongs to the verb, not to its subject: an auxiliary
/// ("has said", "also said") or a lower-case adverb ("additionally reported", "falsely claimed",
/// "separately stated"), which would otherwise make one source two names.
fn belongs_to_verb(word: &str) -> bool {
    let lower = word.to_lowercase();
    AUXILIARIES.contains(&lower.as_str())
        || (word.len() > 3 && word.ends_with("ly") && word.chars().all(|c| c.is_ascii_lowercase()) && !NOUNS_IN_LY.contains(&word))
}

/// Words that make a phrase a source, by kind; checked in this order.
const KINDS: &[(ClaimantKind, &[&str])] = &[
    (
        ClaimantKind::SocialMedia,
        &[
            "social media",
            "video",
            "videos",
            "image",
            "images",
            "footage",
            "photo",
            "photos",
            "telegram",
            "twitter",
            "posts",
            "post on",
            "blogger",
            "bloggers",
            "milblogger",
            "milbloggers",
        ],
    ),
    (
        ClaimantKind::Media,
        &[
            "times",
            "post",
            "reuters",
            "afp",
            "associated press",
            "bbc",
            "cnn",
            "guardian",
            "journal",
            "tass",
            "ria",
            "interfax",
            "ukrinform",
            "newspaper",
            "agency",
            "broadcaster",
            "outlet",
            "nationalworld",
            "independent",
            "pravda",
            "kommersant",
            "bloomberg",
            "correspondent",
            "correspondents",
        ],
    ),
    (
        ClaimantKind::ThinkTank,
        &["institute", "isw", "think tank", "thinktank", "analysts", "analyst", "commentators", "experts", "centre for", "center for", "report"],
    ),
    (
        ClaimantKind::OfficialBody,
        &[
            "ministry",
            "mod",
            "military",
            "army",
            "forces",
            "officials",
            "official",
            "government",
            "general staff",
            "spokesman",
            "spokeswoman",
            "spokesperson",
            "command",
            "governor",
            "administration",
            "president",
            "minister",
            "kremlin",
            "council",
            "police",
            "authorities",
            "troops",
            "brigade",
            "units",
            "navy",
            "office",
            "prosecutor",
            "mayor",
            "intelligence",
            "defence",
            "defense",
            "un",
            "nato",
            "commander",
            "service",
            "separatists",
            "rebels",
            "militia",
        ],
    ),
];

/// Pronouns and phrases that refer back to the previous claimant.
const BACK_REFERENCES: &[&str] = &["it", "he", "she", "they", "the same report", "the report", "the statement", "the ministry"];

/// Finds the claim in each sentence (at most one: the first cue).
pub fn find(text: &str, sentences: &[crate::sentences::Sentence]) -> Vec<Claim> {
    let mut claims: Vec<Claim> = Vec::new();
    // Acronyms a report defines ("Ministry of Defence (MoD)") name the same claimant later:
    // the acronym and the full name it was first defined as.
    let mut acronyms: HashMap<String, String> = HashMap::new();
    // The claim whose claimant "It", "He" or "the same report" refers back to.
    let mut last_attributed: Option<usize> = None;
    for s in sentences {
        let sentence = &text[s.start..s.end];
        // A question ("What has Russia said?") asks; it claims nothing.
        if sentence.trim_end_matches(['"', '”', '’']).ends_with('?') {
            continue;
        }
        // A headline that ends in its source ("... in a day - Russian Defense Ministry").
        if let Some(claim) = headline_source(sentence, s.start) {
            last_attributed = Some(claims.len());
            claims.push(claim);
            continue;
        }
        // One pass of the whole set says which cues occur; only those are searched for.
        let present = cue_set().matches(sentence);
        if !present.matched_any() {
            continue;
        }
        let mut found: Vec<_> = present
            .iter()
            .map(|k| &cues()[k])
            .flat_map(|(re, c, d, a)| re.find_iter(sentence).map(move |m| (m, *c, *d, *a)))
            .filter(|(m, ..)| !after_determiner(sentence, m.start()))
            .collect();
        if found.is_empty() {
            continue;
        }
        // Longest first at each position; a cue inside another ("thought" in "it is thought")
        // is part of it.
        found.sort_by_key(|(m, ..)| (m.start(), std::cmp::Reverse(m.end())));
        let mut covered = 0;
        found.retain(|(m, ..)| {
            let keep = m.start() >= covered;
            covered = covered.max(m.end());
            keep
        });
        // The sentence is as sure as its least sure cue ("said it believed" is a belief).
        let certainty = found.iter().map(|(_, c, ..)| *c).max().unwrap_or(Certainty::Asserted);
        let affirmative = found.iter().all(|(.., a)| *a);
        let previous = last_attributed.and_then(|i| claims[i].claimant.as_ref());
        // The first cue that names a source gives the claimant ("The city has been described
        // as a hub, according to the institute": the institute).
        let attributed = found.iter().find_map(|(m, _, direction, _)| {
            let span = match direction {
                Direction::Nobody => None,
                // A passive ("it was widely reported", "two soldiers were reported killed"):
                // its subject is what is told; only "by X" names who tells it.
                Direction::Before if passive(sentence, m.start()) => by_agent(sentence, m.end()),
                Direction::Before => {
                    let cue_ends = found.iter().map(|(other, ..)| other.end());
                    before(sentence, m.start()).and_then(|span| past_other_cues(sentence, span, cue_ends)).or_else(|| after(sentence, m.end()))
                }
                Direction::After => after(sentence, m.end()),
                Direction::Subject => subject(sentence),
            };
            span.and_then(|(a, b)| source(sentence, a, b, s.start, previous)).map(|c| (c, *m))
        });
        let (claimant, m) = match attributed {
            Some((c, m)) => (Some(c), m),
            None => (None, found[0].0),
        };
        let claimant = claimant.map(|mut c| {
            if let Some(full) = acronyms.get(strip_determiner(&c.name)) {
                c.name = full.clone();
            } else if let Some((full, short)) = c.name.strip_suffix(')').and_then(|n| n.rsplit_once(" (")) {
                let full = full.trim().to_owned();
                acronyms.entry(short.to_owned()).or_insert_with(|| full.clone());
                c.name = full;
            }
            c
        });
        if claimant.is_some() {
            last_attributed = Some(claims.len());
        }
        claims.push(Claim { start: s.start, end: s.end, text: sentence.to_owned(), claimant, cue: m.as_str().to_owned(), certainty, affirmative, event: None });
    }
    claims
}

/// The claimant of a second claim in a sentence that governs byte `at`: the source of the
/// last attributing cue before `at` that stands after the sentence claim's own cue, in a
/// clause of its own ("Footage showed ..., and the channel claimed that X" gives the channel
/// to X). `None` when no such cue names a source, so that the sentence's claimant stands;
/// pronouns referring back are left to the sentence's claim.
pub(crate) fn clause_claimant(sentence: &str, claim_cue: &str, at: usize) -> Option<String> {
    let head = &sentence[..at];
    let first = head.find(claim_cue)?;
    let present = cue_set().matches(head);
    // The last such cue (of cues starting at one byte, the last found, as a stable sort's last).
    let m = present
        .iter()
        .map(|k| &cues()[k])
        .filter(|(_, _, d, _)| matches!(d, Direction::Before))
        .flat_map(|(re, ..)| re.find_iter(head))
        .filter(|m| m.start() > first + claim_cue.len() && !after_determiner(head, m.start()))
        .max_by_key(|m| m.start())?;
    // A clause of its own: a comma, semicolon or conjunction between the two cues.
    let between = &head[first + claim_cue.len()..m.start()];
    if !between.contains([',', ';']) && !between.contains(" and ") && !between.contains(" while ") {
        return None;
    }
    let (a, b) = before(head, m.start())?;
    let claimant = source(head, a, b, 0, None)?;
    (claimant.kind != ClaimantKind::Unattributed).then_some(claimant.name)
}

/// The subject right before a verb at byte `cue`: back to the last clause boundary, skipping an
/// aside between commas ("The MoD, in a briefing on Saturday, said").
fn before(sentence: &str, cue: usize) -> Option<(usize, usize)> {
    let head = &sentence[..cue];
    let mut end = head.trim_end().len();
    // Drop auxiliaries ("has", "also") right before the verb.
    loop {
        let words = &head[..end];
        let last = words.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
        if !last.is_empty() && belongs_to_verb(last) {
            end = words[..words.len() - last.len()].trim_end().len();
        } else {
            break;
        }
    }
    let mut clause = &head[..end];
    // An aside or a description between commas right before the verb ("The MoD, in a briefing,
    // said"; "The institute, a research group, said"): take what stands before it.
    if clause.ends_with(',') {
        let inner = &clause[..clause.len() - 1];
        clause = match inner.rfind(',') {
            Some(i) if is_aside(inner[i + 1..].trim()) => &inner[..i],
            _ => inner,
        };
    }
    let mut start = clause.rfind([',', ';', ':', '“', '"', '—']).map_or(0, |i| i + clause[i..].chars().next().map_or(1, char::len_utf8));
    // "... regions which Vladimir Putin has said": the subject follows the relative pronoun.
    // "X repulsed assaults but confirmed that ...": "but" starts a clause whose subject is X's.
    for pronoun in [" which ", " that ", " who ", " whom ", " but "] {
        if let Some(i) = clause[start..].rfind(pronoun) {
            start += i + pronoun.len();
        }
    }
    // "X repulsed assaults but confirmed", "X repelled attacks and reported": the verb shares
    // X's subject, no source of its own.
    if clause.ends_with(" but") || clause.ends_with(" and") {
        return None;
    }
    let (a, b) = trim(sentence, start, clause.len());
    (a < b).then_some((a, b))
}

/// The subject span `(a, b)` without the start of its sentence up to the last other cue that
/// ends inside it: a subject holds no cue of its own ("ISW cannot confirm Russian MoD claims"
/// gives "Russian MoD" to "claims"). A cue that ends the span is the subject's own noun
/// ("videos and reports suggest"). `None` when nothing is left.
fn past_other_cues(sentence: &str, (a, b): (usize, usize), cue_ends: impl Iterator<Item = usize>) -> Option<(usize, usize)> {
    let a = cue_ends.filter(|&e| e > a && e < b).max().map_or(a, |e| trim(sentence, e, b).0);
    (a < b).then_some((a, b))
}

/// Whether the cue at byte `cue` is a passive participle: a form of "be" right before it, past
/// any adverbs ("was reported", "were widely reported").
fn passive(sentence: &str, cue: usize) -> bool {
    let mut words = sentence[..cue].split_whitespace().rev().skip_while(|w| belongs_to_verb(w) && !is_be(w));
    words.next().is_some_and(is_be)
}

/// A form of "be" that makes a passive.
fn is_be(word: &str) -> bool {
    matches!(word.to_lowercase().as_str(), "was" | "were" | "is" | "are" | "been" | "be")
}

/// The agent of a passive cue ("reported by the ministry"): the phrase after "by", if the cue
/// is followed by one.
fn by_agent(sentence: &str, cue_end: usize) -> Option<(usize, usize)> {
    let tail = &sentence[cue_end..];
    let by = tail.len() - tail.trim_start().len();
    tail[by..].starts_with("by ").then(|| after(sentence, cue_end + by + 2)).flatten()
}

/// The phrase after a cue ("according to X", "..., said the ministry"), up to a clause boundary.
fn after(sentence: &str, cue_end: usize) -> Option<(usize, usize)> {
    let tail = &sentence[cue_end..];
    let stop = tail.find([',', ';', ':', '.', '“', '"', '(', '—']).unwrap_or(tail.len());
    let mut end = cue_end + stop;
    // "that ..." after a verb is the claim, not the claimant.
    if let Some(i) = tail[..stop].find(" that ") {
        end = end.min(cue_end + i);
    }
    let (a, b) = trim(sentence, cue_end, end);
    (a < b && b - a < 120).then_some((a, b))
}

/// The sentence's subject: from its start to its first verb-like word.
fn subject(sentence: &str) -> Option<(usize, usize)> {
    static VERB: OnceLock<Regex> = OnceLock::new();
    let verb = VERB.get_or_init(|| crate::pattern::regex(r"(?-u:\b)(?:was|were|is|are|has|have|had)(?-u:\b)").expect("the verb pattern compiles"));
    let end = verb.find(sentence).map_or(0, |m| m.start());
    let (a, b) = trim(sentence, 0, end);
    (a < b).then_some((a, b))
}

/// Trims white space, quotes and a leading "the" off `sentence[start..end]`.
fn trim(sentence: &str, start: usize, end: usize) -> (usize, usize) {
    let piece = &sentence[start..end];
    let lead = piece.len() - piece.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '“' | '"' | '‘' | '\'')).len();
    let trail = piece.len() - piece.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '”' | '"' | '’' | ',')).len();
    (start + lead, (end - trail).max(start + lead))
}

/// The last dash between spaces in `sentence` (" - ", " – " or " — ") and its byte offset: one
/// backward walk over the spaces, as it runs on every sentence.
fn last_dash(sentence: &str) -> Option<(usize, &'static str)> {
    let bytes = sentence.as_bytes();
    (0..bytes.len())
        .rev()
        .filter(|&i| bytes[i] == b' ')
        .find_map(|i| [" - ", " – ", " — "].into_iter().find(|d| bytes[i..].starts_with(d.as_bytes())).map(|d| (i, d)))
}

/// A headline ending in a dash and its source: "Losses in the Kupiansk direction - Russian
/// Defense Ministry". The source is at most eight words and must read as one.
///
/// A line that only names its source's digest ("Mediazona summary") attributes the headline.
fn headline_source(sentence: &str, offset: usize) -> Option<Claim> {
    let line = sentence.trim().trim_end_matches('.');
    if let Some(name) = line.strip_suffix(" summary").filter(|n| (1..=3).contains(&n.split_whitespace().count())) {
        let a = sentence.find(name)?;
        let claimant = source(sentence, a, a + name.len(), offset, None)?;
        let cue = "summary".to_owned();
        return Some(Claim {
            start: offset,
            end: offset + sentence.len(),
            text: sentence.to_owned(),
            claimant: Some(claimant),
            cue,
            certainty: Certainty::Asserted,
            affirmative: true,
            event: None,
        });
    }
    let (i, dash) = last_dash(sentence)?;
    let (a, b) = trim(sentence, i + dash.len(), sentence.len());
    let name = sentence[a..b].trim_end_matches('.');
    if name.is_empty() || name.split_whitespace().count() > 8 || i == 0 {
        return None;
    }
    let claimant = source(sentence, a, a + name.len(), offset, None)?;
    Some(Claim {
        start: offset,
        end: offset + sentence.len(),
        text: sentence.to_owned(),
        claimant: Some(claimant),
        cue: dash.trim().to_owned(),
        certainty: Certainty::Asserted,
        affirmative: true,
        event: None,
    })
}

/// True when the words before byte `at` make the cue no reporting verb: a determiner ("the
/// reported gains", "any confirmed attacks"), "to" ("invented to show"), a conjunction of
/// condition ("if confirmed"), or a preposition a few words before a noun
/// ("despite Russian claims", "contrary to earlier reports", "amid claims by the ministry"):
/// someone's claim is mentioned, the sentence is not theirs.
fn after_determiner(sentence: &str, at: usize) -> bool {
    let before = sentence[..at].trim_end();
    let mut words = before.rsplit(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase);
    let last = words.next().unwrap_or_default();
    // A determiner makes the cue a participle before a noun ("any confirmed attacks", "his
    // claimed objective"); a conjunction of condition makes it one of a clause without a
    // subject ("If confirmed, ...").
    if matches!(
        last.as_str(),
        "the"
            | "a"
            | "an"
            | "these"
            | "those"
            | "its"
            | "their"
            | "his"
            | "her"
            | "our"
            | "your"
            | "my"
            | "any"
            | "no"
            | "every"
            | "each"
            | "some"
            | "to"
            | "if"
            | "unless"
            | "until"
            | "once"
    ) {
        return true;
    }
    let noun = sentence[at..].split(|c: char| !c.is_alphanumeric()).next().is_some_and(|w| matches!(w.to_lowercase().as_str(), "claims" | "reports"));
    noun && std::iter::once(last).chain(words.take(2)).any(|w| {
        matches!(w.as_str(), "despite" | "amid" | "contrary" | "against" | "unlike" | "refuting" | "rejecting" | "dismissing" | "countering" | "denying")
    })
}

/// A name without a leading article ("The MoD" → "MoD").
fn strip_determiner(name: &str) -> &str {
    for article in ["The ", "the ", "A ", "a ", "An ", "an "] {
        if let Some(rest) = name.strip_prefix(article) {
            return rest;
        }
    }
    name
}

fn is_aside(phrase: &str) -> bool {
    let first = phrase.split_whitespace().next().unwrap_or("").to_lowercase();
    matches!(
        first.as_str(),
        "in" | "on"
            | "at"
            | "during"
            | "after"
            | "before"
            | "earlier"
            | "later"
            | "meanwhile"
            | "however"
            | "speaking"
            | "writing"
            | "who"
            | "which"
            | "a"
            | "an"
    )
}

/// Turns a subject phrase into a claimant, or `None` when it is no source.
fn source(sentence: &str, a: usize, b: usize, offset: usize, previous: Option<&Claimant>) -> Option<Claimant> {
    // "While other analysts", "But officials": a conjunction opens the clause, not the name.
    let mut a = a;
    for conjunction in ["While ", "while ", "But ", "but ", "And ", "and ", "As ", "Although ", "Though ", "Meanwhile "] {
        if sentence[a..b].starts_with(conjunction) {
            a += conjunction.len();
        }
    }
    let name = sentence[a..b].trim();
    let lower = name.to_lowercase();
    if BACK_REFERENCES.contains(&lower.as_str()) {
        return previous.map(|p| Claimant { start: offset + a, end: offset + b, carried_over: true, ..p.clone() });
    }
    if name.is_empty() || name.split_whitespace().count() > 12 {
        return None;
    }
    let determiner = |w: &str| ["the", "a", "an", "this", "that", "its", "their"].iter().any(|d| w.eq_ignore_ascii_case(d));
    let capitalised_words = name.split_whitespace().filter(|w| !determiner(w) && w.chars().next().is_some_and(char::is_uppercase)).count();
    let kind = kind_of(&lower);
    // A person's name: two or more capitalised words at the end, none of them a word that
    // makes a source of another kind ("Defence spokesman Oleh Marchenko", not "The General
    // Staff"), or a title before a name ("Mr Konashenkov").
    let named_person = |name: &str| {
        let words: Vec<&str> = name.split_whitespace().collect();
        let tail: Vec<&str> = words.iter().rev().take_while(|w| w.chars().next().is_some_and(char::is_uppercase)).copied().collect();
        let tail_text = tail.iter().rev().copied().collect::<Vec<_>>().join(" ").to_lowercase();
        let source_phrase = kind_of(&tail_text).is_some();
        let name_like = |w: &str| !determiner(w) && w.chars().skip(1).all(|c| c.is_lowercase() || c == '-' || c == '\'');
        (tail.len() >= 2 && !source_phrase && tail.iter().all(|w| name_like(w)))
            || words.first().is_some_and(|w| matches!(w.trim_end_matches('.'), "Mr" | "Mrs" | "Ms" | "Dr"))
    };
    let kind = match kind {
        Some(ClaimantKind::OfficialBody) if named_person(name) => ClaimantKind::Person,
        Some(k) => k,
        None if named_person(name) => ClaimantKind::Person,
        None if capitalised_words > 0 && name.split_whitespace().count() <= 6 && !names_an_area(&lower) => ClaimantKind::OfficialBody,
        None => return None,
    };
    Some(Claimant { name: name.to_owned(), kind, start: offset + a, end: offset + b, carried_over: false })
}

/// Whether a lower-case phrase ends in a word for an area or a front ("Chernihiv axis",
/// "the Kupiansk direction", "Donetsk Oblast"): a place, which says nothing.
fn names_an_area(lower: &str) -> bool {
    let last = lower.rsplit(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty()).unwrap_or("");
    matches!(last, "axis" | "direction" | "front" | "sector" | "oblast" | "region" | "district" | "raion" | "area" | "city")
}

/// The kind of source a lower-case phrase names, from the first list in [`KINDS`] one of whose
/// words or phrases it holds as whole words.
fn kind_of(lower: &str) -> Option<ClaimantKind> {
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let table = kind_table();
    // The first list that holds one of the phrase's words or word sequences: the least index.
    let mut first = words.iter().filter_map(|w| table.words.get(w).copied()).min().unwrap_or(usize::MAX);
    for (k, parts) in &table.phrases {
        if *k < first && words.windows(parts.len()).any(|w| w == parts.as_slice()) {
            first = *k;
        }
    }
    KINDS.get(first).map(|(k, _)| *k)
}

/// [`KINDS`] indexed for [`kind_of`], which runs on every subject phrase: each single word with
/// the first list that holds it, and the phrases of several words split into them.
struct KindTable {
    words: HashMap<&'static str, usize>,
    phrases: Vec<(usize, Vec<&'static str>)>,
}

fn kind_table() -> &'static KindTable {
    static TABLE: OnceLock<KindTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = KindTable { words: HashMap::new(), phrases: Vec::new() };
        for (i, (_, list)) in KINDS.iter().enumerate() {
            for entry in *list {
                if entry.contains(' ') {
                    table.phrases.push((i, entry.split(' ').collect()));
                } else {
                    table.words.entry(entry).or_insert(i);
                }
            }
        }
        table
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentences;

    fn claims(text: &str) -> Vec<(Option<String>, Option<ClaimantKind>, Certainty, bool)> {
        find(text, &sentences::split(text))
            .into_iter()
            .map(|c| (c.claimant.as_ref().map(|x| x.name.clone()), c.claimant.map(|x| x.kind), c.certainty, c.affirmative))
            .collect()
    }

    #[test]
    fn bloggers_post_and_correspondents_report() {
        // Military bloggers write on Telegram channels: their claims are social media, not an
        // official body's, whatever their nationality; war correspondents are the press.
        let got = claims(
            "Russian milbloggers claimed that the village fell.\n\
             A prominent pro-war blogger said the attack failed.\n\
             Russian war correspondents reported heavy losses.",
        );
        assert_eq!(got[0].1, Some(ClaimantKind::SocialMedia), "{got:?}");
        assert_eq!(got[1].1, Some(ClaimantKind::SocialMedia), "{got:?}");
        assert_eq!(got[2].1, Some(ClaimantKind::Media), "{got:?}");
    }

    #[test]
    fn subjects_asides_and_back_references() {
        let got = claims(
            "The General Staff, in its morning update, said two attacks were repelled.\n\
             It added that the town held.\n\
             On Sunday, the Kyiv Post reported heavy losses.\n\
             Defence spokesman Oleh Marchenko said troops withdrew.",
        );
        assert_eq!(got[0], (Some("The General Staff".into()), Some(ClaimantKind::OfficialBody), Certainty::Asserted, true));
        assert_eq!(got[1].0.as_deref(), Some("The General Staff"), "It → the General Staff");
        assert_eq!(got[2], (Some("the Kyiv Post".into()), Some(ClaimantKind::Media), Certainty::Reported, true));
        assert_eq!(got[3].1, Some(ClaimantKind::Person));
    }

    #[test]
    fn a_digest_line_names_its_source() {
        let got = claims("Shelling of the suburbs overnight\nKyivWatch summary");
        assert_eq!(got[0].0.as_deref(), Some("KyivWatch"));
        assert!(claims("A long and detailed weekly summary").is_empty(), "no source named");
    }

    #[test]
    fn according_to_hedges_and_denials() {
        let got = claims(
            "The bridge is down, according to the Centre for Defence Studies.\n\
             It is thought that 500 troops moved.\n\
             A video shared on Telegram appeared to show the flag.\n\
             The army has not yet acknowledged the loss.",
        );
        assert_eq!(got[0], (Some("the Centre for Defence Studies".into()), Some(ClaimantKind::ThinkTank), Certainty::Reported, true));
        assert_eq!(got[1], (None, None, Certainty::Hedged, true));
        assert_eq!(got[2].1, Some(ClaimantKind::SocialMedia));
        assert_eq!(got[2].2, Certainty::Hedged);
        assert_eq!(got[3], (Some("The army".into()), Some(ClaimantKind::OfficialBody), Certainty::Denied, false));
    }

    #[test]
    fn back_references_skip_unattributed_claims_and_acronyms_name_their_body() {
        let got = claims(
            "The Ministry of Defence (MoD) said the bridge was hit.\n\
             It is thought that 500 troops moved.\n\
             It added that the town held.\n\
             Kyiv Post reported shelling.\n\
             The MoD later said the bridge stood.",
        );
        let names: Vec<Option<&str>> = got.iter().map(|c| c.0.as_deref()).collect();
        assert_eq!(names, [Some("The Ministry of Defence"), None, Some("The Ministry of Defence"), Some("Kyiv Post"), Some("The Ministry of Defence")]);
    }

    #[test]
    fn a_subject_that_is_no_source_leaves_the_claim_unattributed() {
        let got = claims("The advance appears to be slowing.");
        assert_eq!(got, [(None, None, Certainty::Hedged, true)]);
    }

    #[test]
    fn a_claim_mentioned_after_despite_is_not_the_sentences_source() {
        for text in [
            "Defenders still hold Kodema, despite enemy claims to the contrary.",
            "Defenders still hold Kodema despite claims by the defence ministry that it fell.",
            "Contrary to earlier reports, defenders still hold Kodema.",
        ] {
            assert!(claims(text).is_empty(), "{text}: {:?}", claims(text));
        }
        assert_eq!(claims("The defence ministry claims that defenders still hold Kodema.")[0].0.as_deref(), Some("The defence ministry"));
    }

    #[test]
    fn a_subject_shared_across_but_is_no_claimant() {
        let found = claims("Ukrainian units repelled assaults on Kodema but confirmed that Russian units advanced near Vershyna.");
        assert!(found.iter().all(|(name, ..)| name.as_deref().is_none_or(|n| !n.contains("repelled"))), "{found:?}");
    }

    #[test]
    fn an_armed_group_named_after_the_sentence_is_its_source() {
        for (text, name) in [
            ("Assault units took Kodema on Monday, the separatists said.", "the separatists"),
            ("Assault units took Kodema, the rebels claimed.", "the rebels"),
        ] {
            assert_eq!(claims(text)[0].0.as_deref(), Some(name), "{text}");
        }
    }

    #[test]
    fn an_adverb_before_the_verb_is_not_part_of_the_source() {
        for (text, name) in [
            ("The regional governor additionally reported shelling near Vershyna.", "The regional governor"),
            ("The defence ministry falsely claimed to have taken Kodema.", "The defence ministry"),
            ("Border guards separately stated that the crossing was closed.", "Border guards"),
            ("The General Staff notably said that two bridges were hit.", "The General Staff"),
            ("Local officials similarly reported strikes on Kodema.", "Local officials"),
        ] {
            assert_eq!(claims(text)[0].0.as_deref(), Some(name), "{text}");
        }
        // A noun in "-ly" is part of the name.
        assert_eq!(claims("The Kyiv daily reported strikes on Kodema.")[0].0.as_deref(), Some("The Kyiv daily"));
    }

    #[test]
    fn a_cue_word_used_as_an_adjective_or_a_condition_makes_no_claim() {
        for text in [
            "If confirmed, this would be the first crossing of the river.",
            "Assault units did not make any confirmed gains near Kodema on Tuesday.",
            "His claimed aim of a quick victory is out of reach.",
            "Unless verified, the figure should be treated with care.",
        ] {
            assert!(claims(text).is_empty(), "{text}: {:?}", claims(text));
        }
    }

    #[test]
    fn a_subject_shared_across_and_is_no_claimant() {
        let found = claims("Ukrainian units repelled assaults near Kodema and reported destroying two tanks.");
        assert!(found.iter().all(|(name, ..)| name.as_deref().is_none_or(|n| !n.contains("repelled"))), "{found:?}");
        assert_eq!(claims("Russia and Belarus said the drills had ended.")[0].0.as_deref(), Some("Russia and Belarus"));
    }

    #[test]
    fn a_front_named_after_a_dash_is_no_source() {
        assert!(claims("Supporting effort — Kodema axis").is_empty());
        assert_eq!(claims("Losses near Kodema - Defence Ministry")[0].0.as_deref(), Some("Defence Ministry"));
    }

    #[test]
    fn what_cannot_be_confirmed_is_unconfirmed_and_its_source_is_the_claimant() {
        let got = claims("Analysts cannot independently confirm Border Service claims that Kodema fell.");
        assert_eq!((got[0].0.as_deref(), got[0].2), (Some("Border Service"), Certainty::Unconfirmed));
        let got = claims("Border guards claimed to have retaken Kodema, which the institute was unable to verify.");
        assert_eq!((got[0].0.as_deref(), got[0].2), (Some("Border guards"), Certainty::Unconfirmed));
        let got = claims("Local officials did not confirm the strike, but several videos and reports suggest that Kodema was hit.");
        assert_eq!((got[0].0.as_deref(), got[0].2), (Some("several videos and reports"), Certainty::Unconfirmed));
        // Without a negation, confirming is no doubt.
        for text in ["The border service did confirm that Kodema was hit.", "Analysts could confirm that Kodema was hit."] {
            assert_ne!(claims(text).first().map(|c| c.2), Some(Certainty::Unconfirmed), "{text}");
        }
    }

    #[test]
    fn a_passive_reporting_verb_has_no_claimant_before_it() {
        let found = claims("The border service said the crossing was closed. It was widely reported that Kodema fell.");
        assert_eq!(found[0].0.as_deref(), Some("The border service"));
        assert_eq!(found[1].0, None, "an impersonal passive is no back reference: {found:?}");
        assert_eq!(claims("Two soldiers were reported wounded near Kodema.")[0].0, None);
        assert_eq!(claims("The strike on Kodema was reported by the border service.")[0].0.as_deref(), Some("the border service"));
    }
}
