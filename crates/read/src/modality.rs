//! Statements: is a clause an event the text reports as having happened, and how sure is it?
//!
//! One classifier for every stage that turns sentences into happenings (control changes now,
//! events next). Given a sentence and the byte range of its predicate (the verb that would make
//! it an event: "captured", "withdrew from"), [`classify`] says
//!
//! - the [`StatementKind`]: an `event`, or one of the kinds that are not events and never
//!   become one: `negated` ("have not yet entered", "failed to take"), `forecast` ("will likely
//!   attempt to", "could soon"), `intention` ("seeks to", "in an effort to"), `condition` ("if
//!   Ukraine took it", "would"), `question`, `background` (a past event told as context: a date
//!   more than [`BACKGROUND_DAYS`] before publication, a past month, "previously", "had
//!   captured"), or `non_sentence` (headings, datelines, author lines);
//! - the [`Certainty`] on the project's one scale, from the cues that govern the predicate:
//!   `confirmed` (geolocated footage, satellite imagery), `asserted` (the report's own voice),
//!   `claimed` (a named source: "X claimed", "according to X", "Russian milbloggers"),
//!   `reported` ("reportedly", "reports indicate"), `assessed` ("ISW assesses", "likely",
//!   "may have", "appears to"), `unconfirmed` ("ISW cannot independently verify this claim",
//!   in the sentence or the next one), `denied` ("denied", "falsely claimed", "this claim is
//!   false");
//! - the cues it used, each with its span, so a reader can show why.
//!
//! Scope: attribution and hedging frames ("X claimed that", "ISW assesses", "likely") govern
//! what follows them up to a semicolon; verification disclaimers and denials govern the whole
//! sentence (they comment on it: "..., though ISW cannot confirm this"); negation, modals,
//! infinitives and the pluperfect govern only the verb group right before the predicate. The
//! sentence is as sure as its least sure governing cue.

use std::{cell::OnceCell, ops::Range, sync::OnceLock};

use crate::pattern::Regex;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::dates::DateMention;

/// How sure a statement is, on the project's one scale (most to least sure).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    /// Visual or documentary evidence: geolocated footage, satellite imagery, photos.
    Confirmed,
    /// Stated as fact in the report's own voice, unattributed and unhedged.
    Asserted,
    /// Attributed to a named source or party: "X said", "according to X".
    Claimed,
    /// Passed on second-hand with no named source: "reportedly", "reports indicate".
    Reported,
    /// An analytic judgement or a hedge: "ISW assesses", "likely", "may have", "appears to".
    Assessed,
    /// Flagged as not verified: "ISW cannot independently verify", "unconfirmed".
    Unconfirmed,
    /// Denied by the claimant or by another party.
    Denied,
}

impl Certainty {
    /// Every value, most sure first.
    pub const ALL: [Certainty; 7] =
        [Certainty::Confirmed, Certainty::Asserted, Certainty::Claimed, Certainty::Reported, Certainty::Assessed, Certainty::Unconfirmed, Certainty::Denied];

    /// The snake-case name, as serialised ("confirmed").
    pub fn as_str(self) -> &'static str {
        match self {
            Certainty::Confirmed => "confirmed",
            Certainty::Asserted => "asserted",
            Certainty::Claimed => "claimed",
            Certainty::Reported => "reported",
            Certainty::Assessed => "assessed",
            Certainty::Unconfirmed => "unconfirmed",
            Certainty::Denied => "denied",
        }
    }

    /// The value for a snake-case name; `None` for any other string.
    pub fn parse(name: &str) -> Option<Certainty> {
        Certainty::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// What a clause says about its predicate: that it happened, or one of the kinds of statement
/// that are not events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementKind {
    /// Reported as having happened (asserted, claimed, assessed ... or denied).
    Event,
    /// Said not to have happened: "did not", "have not yet", "failed to".
    Negated,
    /// Expected: "will", "could soon", "is likely to".
    Forecast,
    /// Aimed at: "seeks to", "plans to", "in an effort to", "attempted to".
    Intention,
    /// Supposed: "if", "unless", "would".
    Condition,
    /// Asked.
    Question,
    /// A past event told as context, outside the report's window.
    Background,
    /// Not a sentence: a heading, dateline, author line or caption.
    NonSentence,
}

impl StatementKind {
    /// The snake-case name, as serialised ("negated").
    pub fn as_str(self) -> &'static str {
        match self {
            StatementKind::Event => "event",
            StatementKind::Negated => "negated",
            StatementKind::Forecast => "forecast",
            StatementKind::Intention => "intention",
            StatementKind::Condition => "condition",
            StatementKind::Question => "question",
            StatementKind::Background => "background",
            StatementKind::NonSentence => "non_sentence",
        }
    }
}

/// What a cue does to the statement it governs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "sets", content = "value")]
pub enum CueEffect {
    /// Sets (lowers) the certainty.
    Certainty(Certainty),
    /// Makes the statement one of the kinds that are not events.
    Kind(StatementKind),
}

/// A word or phrase that decided the classification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cue {
    /// As written.
    pub text: String,
    /// Start, in bytes from the start of the sentence (or of the next sentence, when `in_next`).
    pub start: usize,
    /// End (exclusive), in the same unit.
    pub end: usize,
    /// True when the cue is in the sentence after (a disclaimer: "ISW cannot verify this claim.").
    pub in_next: bool,
    /// What it does.
    pub effect: CueEffect,
}

impl Cue {
    /// The cue `text` found at `start` of its sentence, doing `effect`.
    pub fn at(text: &str, start: usize, effect: CueEffect) -> Cue {
        Cue { text: text.to_owned(), start, end: start + text.len(), in_next: false, effect }
    }
}

/// A classified statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statement {
    /// Event, or the kind of non-event.
    pub kind: StatementKind,
    /// How sure (meaningful for events; kept for the others as the text grades them).
    pub certainty: Certainty,
    /// The cues, in the order they were found.
    pub cues: Vec<Cue>,
}

impl Statement {
    /// True when the statement reports something as having happened (denied ones included:
    /// a denial is a statement about an event).
    pub fn is_event(&self) -> bool {
        self.kind == StatementKind::Event
    }
}

/// What the classifier may know beyond the sentence.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// The report's publication date (for background dates).
    pub published: Option<NaiveDate>,
    /// Resolved dates of the text (offsets as [`crate::dates::find`] gives them: bytes of the text).
    pub dates: &'a [DateMention],
    /// Byte offset of the sentence in the text the `dates` refer to.
    pub sentence_start: usize,
    /// The sentence after, where verification disclaimers and denials often stand.
    pub next: Option<&'a str>,
    /// What [`classify`] found in this sentence and the next for an earlier predicate: one
    /// memo per sentence, never shared between sentences; None to find it anew every time.
    pub memo: Option<&'a SentenceMemo>,
}

/// What [`classify`] finds in a sentence (and the sentence after it) whatever predicate it is
/// asked about, found once and kept for the sentence's other predicates (about six a
/// sentence on ISW's reports, each of which searched the whole sentence and the next again).
#[derive(Debug, Default)]
pub struct SentenceMemo {
    /// [`is_non_sentence`] of the sentence.
    non_sentence: OnceCell<bool>,
    /// [`comment_matches`] of the sentence and the next.
    comments: OnceCell<Vec<CommentMatch>>,
}

/// A comment found by [`comment_matches`]: its certainty, its byte range, and whether it
/// stands in the next sentence.
#[derive(Debug, Clone)]
struct CommentMatch {
    certainty: Certainty,
    range: Range<usize>,
    in_next: bool,
}

/// Every comment in `sentence`, and in `next` when it refers back, pattern by pattern in the
/// order of [`comments`], the sentence's before the next's.
fn comment_matches(sentence: &str, next: Option<&str>) -> Vec<CommentMatch> {
    let next = next.filter(|n| back_reference().is_match(n));
    let mut found = Vec::new();
    for (re, certainty) in comments() {
        found.extend(re.find_iter(sentence).map(|m| CommentMatch { certainty: *certainty, range: m.range(), in_next: false }));
        if let Some(next) = next {
            found.extend(re.find_iter(next).map(|m| CommentMatch { certainty: *certainty, range: m.range(), in_next: true }));
        }
    }
    found
}

/// A clause dated this many days or more before publication tells background, not news.
pub const BACKGROUND_DAYS: i64 = 7;

fn ci(p: &str) -> Regex {
    crate::pattern::regex(&format!(r"(?i)(?-u:\b)(?:{p})(?-u:\b)")).expect("modality patterns compile")
}

/// Frames that govern what follows them up to a semicolon: attribution, assessment, hedging,
/// evidence. Most specific first where two start at the same word.
fn frames() -> &'static [(Regex, Certainty)] {
    static F: OnceLock<Vec<(Regex, Certainty)>> = OnceLock::new();
    F.get_or_init(|| {
        vec![
            // Visual evidence.
            (
                ci(r"(?:geolocated|geo-located|combat|drone|social\ media|satellite|verified)\ (?:footage|video|videos|imagery|images|photos?|photographs?)(?:\ [^\s]+){0,8}?\ (?:shows?|showed|showing|confirms?|confirmed|depicts?|depicted|indicates?|indicated)|satellite\ imagery|geolocated\ (?:footage|video|videos|images|photos?)|(?:footage|video|videos|imagery|photos?|photographs?)(?:\ [^\s]+){0,8}?\ (?:shows?|showed|confirms?|confirmed|depicts?|depicted)"),
                Certainty::Confirmed,
            ),
            // Second-hand with no named source.
            (
                ci(r"reportedly|(?:unspecified\ )?reports\ (?:indicate|indicated|suggest|suggested|say|said|claim|claimed)|it\ is\ reported|it\ was\ reported|there\ are\ (?:unconfirmed\ )?reports|reports?\ that|allegedly|rumou?rs?"),
                Certainty::Reported,
            ),
            // An analyst's judgement, or a hedge.
            (
                ci(r"(?:ISW|we)\ (?:currently\ )?(?:assess|assesses|assessed|estimate|estimates|believe|believes)|(?:likely|probably|possibly|presumably|apparently|almost\ certainly|potentially)|(?:may|might|could|must)\ (?:also\ |likely\ |still\ )?have|appears?\ to|appeared\ to|seems?\ to|seemed\ to|it\ is\ (?:thought|believed|possible|likely|unclear)|(?:indicates?|indicated|indicating|suggests?|suggested|suggesting)\ that"),
                Certainty::Assessed,
            ),
            // A named source: a reporting verb after its subject, or "according to".
            (
                ci(r"according\ to|add(?:s|ed)\ that|(?:repeat|reiterat|echo)(?:s|es|ed|ing)?\ (?:[\w’'-]+\ ){0,3}?claims?\ that|claim(?:s|ed|ing)?|said|says|stat(?:es|ed|ing)|announc(?:es|ed|ing)|report(?:s|ed|ing)|declar(?:es|ed)|assert(?:s|ed)|insist(?:s|ed)|boast(?:s|ed)|told|wrote|alleg(?:es|ed)|purport(?:s|ed)|acknowledg(?:es|ed)|admit(?:s|ted)|confirm(?:s|ed)"),
                Certainty::Claimed,
            ),
        ]
    })
}

/// Cues that comment on the whole sentence wherever they stand.
fn comments() -> &'static [(Regex, Certainty)] {
    static C: OnceLock<Vec<(Regex, Certainty)>> = OnceLock::new();
    C.get_or_init(|| {
        vec![
            (
                ci(r"(?:cannot|can\ not|can't|could\ not|couldn't|was\ unable\ to|is\ unable\ to|has\ not\ been\ able\ to|have\ not\ been\ able\ to)\ (?:yet\ )?(?:independently\ )?(?:verify|confirm|corroborate)|unconfirmed|unverified|(?:has|have|had)\ not\ (?:yet\ )?been\ (?:independently\ )?(?:verified|confirmed|corroborated)|(?:did|does|do|has|have|had)\ not\ (?:yet\ )?(?:independently\ )?(?:verif(?:y|ied)|confirm(?:ed)?|corroborat(?:e|ed))|(?:(?:did|does|do|has|have|had)\ not|without)\ (?:yet\ )?(?:provid(?:e|ed|ing)|offer(?:ed|ing)?|present(?:ed|ing)?)\ (?:any\ )?evidence"),
                Certainty::Unconfirmed,
            ),
            (ci(r"according\ to"), Certainty::Claimed),
            (
                ci(r"denied|denies|deny|denying|refuted|refutes|rebutted|falsely|mistakenly|erroneously|incorrectly|correction|a\ previous\ version\ of\ this|false\ claims?|(?:is|are|was|were)\ (?:likely\ |almost\ certainly\ |probably\ )?(?:false|untrue|fabricated|inaccurate)|disinformation"),
                Certainty::Denied,
            ),
        ]
    })
}

/// A sentence that refers back to the one before ("this claim", "these reports").
fn back_reference() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| ci(r"(?:this|these|that|those|the|such)\ (?:claims?|reports?|statements?|assertions?|footage|reporting)|(?:confirm|verify|corroborate)\ (?:this|that|it)|this\ is\ (?:false|untrue)"))
}

/// Local cues: the verb group right before the predicate, and the comma clause it stands in.
struct Local {
    negation: Regex,
    prevention: Regex,
    modal: Regex,
    perfect: Regex,
    going_to: Regex,
    achieved: Regex,
    reporting: Regex,
    pluperfect: Regex,
    background: Regex,
    condition: Regex,
    asks: Regex,
    base_form: Regex,
    subject_noun: Regex,
}

fn local() -> &'static Local {
    static L: OnceLock<Local> = OnceLock::new();
    L.get_or_init(|| Local {
        negation: ci(r"not|n't|never|neither|nor|no\ longer|yet\ to|fail(?:s|ed|ing)?\ to|unable\ to|nowhere"),
        prevention: ci(r"prevent\w*|stop(?:s|ped|ping)?|halt\w*|thwart\w*|block\w*|preclud\w*|deter\w*|bar(?:s|red|ring)?|hinder\w*|imped\w*|keep\w*|kept"),
        modal: ci(r"will|would|could|can|may|might|shall|should|must|'ll"),
        perfect: crate::pattern::regex(r"(?i)(?-u:\b)have(?:\ \w+ly)?(?:\ been)?\s*$").expect("the perfect pattern compiles"),
        going_to: ci(r"(?:is|are|was|were|be|remain|remains)\ (?:\w+\ )?(?:likely|unlikely|expected|poised|set|about|going|preparing|positioned|planning)\ to|likely\ to|in\ the\ coming\ (?:days|weeks|months)"),
        achieved: ci(r"managed|continued|continue|continues|began|begun|started|start|starts|succeeded|proceeded|able|went|forced|compelled|obliged"),
        reporting: ci(r"claim\w*|said|says|report\w*|stat\w*|announc\w*|boast\w*|deni(?:ed|es)|deny|denying|confirm\w*|admit\w*|acknowledg\w*|insist\w*|assert\w*|alleg\w*|told|wrote|noted"),
        pluperfect: ci(r"had(?:\ \w+ly)?(?:\ been)?|previously|formerly"),
        background: ci(r"previously|formerly|earlier\ in\ the\ war|at\ the\ (?:start|beginning|outset)\ of\ the\ (?:war|invasion)|in\ the\ first\ (?:days|weeks|months)\ of\ the\ (?:war|invasion)|since\ the\ (?:start|beginning)\ of"),
        condition: ci(r"if|unless|in\ case|in\ the\ event|provided\ that|once"),
        asks: ci(r"unclear|clear|whether|confirm|verify|know|known|see|determine|assess|ask\w*|question"),
        base_form: crate::pattern::regex(r"^(?:capture|seize|take|retake|recapture|liberate|occupy|clear|enter|leave|abandon|withdraw|lose|regain|overrun|encircle|surround|cross|reach|hold|storm|secure|control|establish|gain|raise|push|drive|force|advance|attack)$").expect("the base-form pattern compiles"),
        subject_noun: ci(r"forces|troops|units|army|military|soldiers|servicemen|servicewomen|personnel|infantry|sappers|gunners|crews?|artillery|aviation|aircraft|drones|helicopters|russians|ukrainians|defenders|fighters|separatists|proxies|partisans|militia|mercenaries|commandos|they|we|militants|marines|paratroopers|brigades?|battalions?|regiments?|divisions?|groups?"),
    })
}

/// A month named in a clause ("in March"), for background.
fn month_phrase() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        crate::pattern::regex(r"(?-u:\b)(?:in|since|by|during|throughout)\s+(?:(?:early|mid|late)[\s-]+)?(January|February|March|April|May|June|July|August|September|October|November|December)(?:\s+(\d{4}))?(?-u:\b)")
            .expect("the month pattern compiles")
    })
}

/// True when `sentence` is not a sentence about anything: a heading, a dateline, an author
/// line, a caption ("Key Takeaways", "April 5, 4:30 pm ET", "Jane Roe, John Doe, and Ann Poe",
/// "Click here to expand the map below.").
pub fn is_non_sentence(sentence: &str) -> bool {
    let s = sentence.trim();
    // The tests below ask for at most 20 words: counting stops there.
    let words = count_words(s, 21);
    if words == 0 {
        return true;
    }
    if starts_with_lowered(s, "click here") || starts_with_lowered(s, "note:") || starts_with_lowered(s, "map ") && words <= 6 {
        return true;
    }
    let closed = s.ends_with(['.', '!', '?', '"', '”', '’', ')', ':']);
    if !closed && words <= 12 && !headline(s) {
        return true;
    }
    // "Supporting Effort 2—Kharkiv City", "Main Effort—Encirclement of ...": a heading.
    if !closed && s.contains('—') && words <= 20 {
        return true;
    }
    // A line of names only: every word capitalised or "and", commas between.
    let names_only =
        s.trim_end_matches('.').split([',', ' ']).filter(|w| !w.is_empty()).all(|w| w == "and" || w.chars().next().is_some_and(char::is_uppercase));
    names_only && s.contains(',') && words <= 16
}

/// How many words separated by white space `s` has, as `s.split_whitespace().count()`, but
/// counted up to `most` only, and reading ASCII bytes without decoding them (this runs on every
/// sentence).
fn count_words(s: &str, most: usize) -> usize {
    let bytes = s.as_bytes();
    let (mut words, mut in_word, mut i) = (0, false, 0);
    while i < bytes.len() && words < most {
        let b = bytes[i];
        // The ASCII characters `char::is_whitespace` takes: tab, line feed, vertical tab, form
        // feed, carriage return and space.
        let (space, len) = if b.is_ascii() {
            (matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' '), 1)
        } else {
            let c = s[i..].chars().next().expect("a character starts at a byte the loop reaches");
            (c.is_whitespace(), c.len_utf8())
        };
        if space {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
        }
        i += len;
    }
    words
}

/// True when `s` lower-cased starts with `prefix` (as `s.to_lowercase().starts_with(prefix)`,
/// but lower-casing only as many characters as the comparison reads: this runs on every
/// sentence, twice).
fn starts_with_lowered(s: &str, prefix: &str) -> bool {
    let mut want = prefix.chars();
    for c in s.chars().flat_map(char::to_lowercase) {
        match want.next() {
            None => return true,
            Some(w) if w != c => return false,
            Some(_) => {}
        }
    }
    want.next().is_none()
}

/// `word` lower-cased, borrowed when it is in lower-case ASCII already (most words of a
/// sentence), so that a word is compared without building a string.
fn lowered(word: &str) -> std::borrow::Cow<'_, str> {
    if word.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        std::borrow::Cow::Borrowed(word)
    } else {
        std::borrow::Cow::Owned(word.to_lowercase())
    }
}

/// True when an unclosed short line is a headline, which tells something, not a heading: it
/// has a verb in the past ("Drone shot down over Kyiv", "Russians shelled Kherson"), a verb of
/// war in a headline's present ("Ukraine retakes Kherson"), a noun of violence ("Strike on
/// Kupiansk", "The shelling of Izium") or a colon after its subject ("Kramatorsk: two dead").
fn headline(line: &str) -> bool {
    let colon = line.find(": ").is_some_and(|i| i > 0 && line[i + 2..].split_whitespace().count() >= 2);
    colon
        || line.split_whitespace().any(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            let past = w.len() > 4 && w.ends_with("ed") && w.chars().all(|c| c.is_ascii_lowercase());
            past || matches!(
                lowered(w).as_ref(),
                "shot"
                    | "hit"
                    | "struck"
                    | "lost"
                    | "took"
                    | "dead"
                    | "died"
                    | "killed"
                    | "wounded"
                    | "injured"
                    | "shelling"
                    | "strike"
                    | "strikes"
                    | "explosion"
                    | "explosions"
                    | "captures"
                    | "recaptures"
                    | "retakes"
                    | "seizes"
                    | "liberates"
                    | "frees"
                    | "takes"
                    | "enters"
                    | "occupies"
                    | "clears"
                    | "abandons"
                    | "withdraws"
                    | "retreats"
                    | "leaves"
                    | "loses"
                    | "regains"
                    | "reclaims"
                    | "storms"
                    | "falls"
                    | "attacks"
                    | "shells"
                    | "hits"
                    | "kills"
            )
        })
}

/// Classifies the statement a sentence makes about the predicate at `predicate` (byte range
/// within `sentence`).
pub fn classify(sentence: &str, predicate: Range<usize>, ctx: &Context<'_>) -> Statement {
    let start = crate::geocheck::boundary_at_or_before(sentence, predicate.start);
    let predicate = start..crate::geocheck::boundary_at_or_before(sentence, predicate.end).max(start);
    let mut cues = Vec::new();
    let mut kind = None;
    let mut set_kind = |k: StatementKind, text: &str, start: usize, cues: &mut Vec<Cue>| {
        cues.push(Cue::at(text, start, CueEffect::Kind(k)));
        kind.get_or_insert(k);
    };

    let non_sentence = ctx.memo.map_or_else(|| is_non_sentence(sentence), |memo| *memo.non_sentence.get_or_init(|| is_non_sentence(sentence)));
    if non_sentence {
        set_kind(StatementKind::NonSentence, "", 0, &mut cues);
    }
    let closed = sentence.trim_end().trim_end_matches(['"', '”', '’', ')']);
    if closed.ends_with('?') {
        set_kind(StatementKind::Question, "?", closed.len() - 1, &mut cues);
    }

    // The clause: from the last semicolon before the predicate to the next after it.
    let clause_start = sentence[..predicate.start].rfind(';').map_or(0, |i| i + 1);
    let clause_end = sentence[predicate.end..].find(';').map_or(sentence.len(), |i| predicate.end + i);
    // The comma clause: from the last comma (or the like) before the predicate.
    let comma_start = sentence[..predicate.start].rfind([',', ';', ':', '(', '—']).map_or(0, |i| i + sentence[i..].chars().next().map_or(1, char::len_utf8));
    let before = &sentence[comma_start..predicate.start];
    let l = local();
    for m in l.condition.find_iter(before) {
        // "unclear if", "cannot confirm if": a question of fact, not a condition.
        let asked = l.asks.is_match(last_word(&before[..m.start()]));
        // "once again", "once more", "at once": an adverb, not "once they capture".
        let adverb = m.as_str().eq_ignore_ascii_case("once")
            && (last_word(&before[..m.start()]).eq_ignore_ascii_case("at")
                || words_with_offsets(&before[m.end()..]).first().is_none_or(|(_, w)| matches!(w.to_lowercase().as_str(), "again" | "more" | "and")));
        if !asked && !adverb {
            set_kind(StatementKind::Condition, m.as_str(), comma_start + m.start(), &mut cues);
            break;
        }
    }

    // The verb group: up to five words right before the predicate, inside the comma clause.
    let group_start = verb_group_start(sentence, comma_start, predicate.start);
    let group = &sentence[group_start..predicate.start];
    let found = |re: &Regex| re.find(group).map(|m| (m.as_str().to_owned(), group_start + m.start()));
    if let Some((t, at)) = found(&l.negation) {
        set_kind(StatementKind::Negated, &t, at, &mut cues);
    }
    // "prevented the column from capturing": a prevention before, "from" right before.
    if gerund_governor(group).is_some_and(|(_, w)| w.eq_ignore_ascii_case("from")) {
        if let Some(m) = l.prevention.find(before) {
            set_kind(StatementKind::Negated, m.as_str(), comma_start + m.start(), &mut cues);
        }
    }
    if let Some((t, at)) = found(&l.modal) {
        if !l.perfect.is_match(group) && !month_may(sentence, at) {
            let k = if t.eq_ignore_ascii_case("would") { StatementKind::Condition } else { StatementKind::Forecast };
            set_kind(k, &t, at, &mut cues);
        }
    }
    if let Some((t, at, k)) = main_clause_frame(sentence, clause_start, predicate.start) {
        set_kind(k, &t, at, &mut cues);
    }
    if let Some((t, at)) = found(&l.going_to) {
        set_kind(StatementKind::Forecast, &t, at, &mut cues);
    }
    // An infinitive: "to capture" is aimed at, unless something says it was done ("managed
    // to", "continued to") or it hedges a done thing ("appears to have captured").
    let words = words_with_offsets(group);
    if let Some(i) = words.iter().rposition(|(_, w)| w.eq_ignore_ascii_case("to")) {
        let between = &words[i + 1..];
        let (governor_at, governor) = if i > 0 { words[i - 1] } else { (0, "") };
        let perfect_infinitive = between.first().is_some_and(|(_, w)| w.eq_ignore_ascii_case("have"));
        if perfect_infinitive {
            if !l.reporting.is_match(governor) {
                cues.push(cue_at(governor, group_start + governor_at, Certainty::Assessed));
            }
        } else if !l.achieved.is_match(governor) && !l.reporting.is_match(governor) && between.iter().all(|(_, w)| w.ends_with("ly")) {
            set_kind(StatementKind::Intention, "to", group_start + words[i].0, &mut cues);
        }
    }
    // A gerund names an aim after a preposition of aim or a linking verb ("focused on
    // capturing", "aimed at encircling", "rather than seizing", "the main effort remains
    // seizing"); after "from" or a determiner it is a cause or a noun ("damaged from fighting
    // around X", "the resuming offensive"), no happening either. Anywhere else it is one: a
    // participle clause (", capturing the village"), the progressive ("are capturing"), a
    // participle after its noun ("BTGs advancing north"), or a noun after its adjective
    // ("reported heavy fighting in X").
    let verb = sentence[predicate.clone()].split_whitespace().next().unwrap_or("").to_lowercase();
    // "Russian forces no longer control X": the negation, already read, is no part of the
    // verb's form.
    let head = &sentence[..predicate.start];
    let trimmed = head.trim_end();
    let head = match trimmed.len().checked_sub("no longer".len()) {
        Some(at) if trimmed.is_char_boundary(at) && trimmed[at..].eq_ignore_ascii_case("no longer") => &head[..at],
        _ => head,
    };
    let previous = words_from_end(head).map(|(_, w)| w.to_lowercase()).find(|w| !is_adverb(w)).unwrap_or_default();
    if verb.ends_with("ing") {
        if let Some((at, word)) = gerund_governor(&sentence[..predicate.start]) {
            let word_lower = word.to_lowercase();
            let aim = DETERMINERS.contains(&word_lower.as_str())
                || matches!(
                    word_lower.as_str(),
                    "at" | "on" | "toward" | "towards" | "for" | "of" | "than" | "before" | "remain" | "remains" | "remained" | "without" | "from"
                );
            if aim {
                set_kind(StatementKind::Intention, word, at, &mut cues);
            }
        }
    }
    // A bare verb ("capture", "take") is an infinitive or a plan ("to encircle Kyiv and
    // capture Kharkiv"), unless a subject stands right before it (a headline's present:
    // "Russian forces capture Kherson").
    if l.base_form.is_match(&verb)
        && !l.subject_noun.is_match(&previous)
        && !matches!(previous.as_str(), "did" | "do" | "does" | "to" | "the" | "a" | "an" | "its" | "their" | "his" | "her" | "this" | "that")
    {
        set_kind(StatementKind::Intention, &verb, predicate.start, &mut cues);
    }
    // The pluperfect tells what came before, except in reported speech, where it is the
    // backshift of a past tense ("the ministry said it had taken ...").
    if let Some((t, at)) = found(&l.pluperfect) {
        if !l.reporting.is_match(&sentence[clause_start..at]) {
            set_kind(StatementKind::Background, &t, at, &mut cues);
        }
    }
    if let Some(m) = l.background.find(before) {
        set_kind(StatementKind::Background, m.as_str(), comma_start + m.start(), &mut cues);
    }
    if let Some((text, at)) = background_date(sentence, clause_start..clause_end, comma_start, predicate.start, ctx) {
        set_kind(StatementKind::Background, &text, at, &mut cues);
    }

    // Frames before the predicate in its clause.
    for (re, certainty) in frames() {
        for m in re.find_iter(&sentence[clause_start..predicate.start]) {
            let at = clause_start + m.start();
            if *certainty == Certainty::Claimed && !attributes(sentence, at, m.as_str()) {
                continue;
            }
            cues.push(cue_at(m.as_str(), at, *certainty));
        }
    }
    // Comments anywhere in the sentence, and in the next one when it refers back.
    let own;
    let comments = match ctx.memo {
        Some(memo) => memo.comments.get_or_init(|| comment_matches(sentence, ctx.next)),
        None => {
            own = comment_matches(sentence, ctx.next);
            &own
        }
    };
    for c in comments {
        if c.in_next {
            let text = ctx.next.map_or("", |n| &n[c.range.clone()]);
            cues.push(Cue { text: text.to_owned(), start: c.range.start, end: c.range.end, in_next: true, effect: CueEffect::Certainty(c.certainty) });
        } else if c.range.end > clause_start {
            // A denial inside a frame that precedes another clause: "X denied that Y" governs;
            // so does "..., which Ukrainian officials denied". A comment that a semicolon
            // closes before the predicate's clause is about what came before it ("his claim
            // is likely untrue; ISW assessed that ..."): it does not reach across.
            cues.push(cue_at(&sentence[c.range.clone()], c.range.start, c.certainty));
        }
    }

    let certainty = cues
        .iter()
        .filter_map(|c| match c.effect {
            CueEffect::Certainty(c) => Some(c),
            CueEffect::Kind(_) => None,
        })
        .max()
        .unwrap_or(Certainty::Asserted);
    Statement { kind: kind.unwrap_or(StatementKind::Event), certainty, cues }
}

/// Words that open a noun phrase: a gerund or participle after one is a noun or an adjective
/// ("the fighting", "no resuming offensive"), not a verb.
pub(crate) const DETERMINERS: [&str; 13] = ["the", "a", "an", "its", "their", "his", "her", "this", "these", "those", "such", "any", "no"];

/// The word that governs a gerund ending `before` (its offset and the word), past adverbs and
/// past gerunds it is joined to: "given up on encircling or seizing" gives "on" for
/// "seizing" as for "encircling", and so does "let alone".
fn gerund_governor(before: &str) -> Option<(usize, &str)> {
    let mut words = words_from_end(before).filter(|(_, w)| !is_adverb(w));
    let mut governor = words.next()?;
    loop {
        let joiner = governor.1.to_lowercase();
        match joiner.as_str() {
            "or" | "and" | "nor" => {}
            // "from encircling, let alone seizing".
            "alone" if words.next().is_some_and(|(_, w)| w.eq_ignore_ascii_case("let")) => {}
            _ => break,
        }
        match words.next() {
            Some((_, w)) if w.to_lowercase().ends_with("ing") => governor = words.next()?,
            _ => break,
        }
    }
    Some(governor)
}

/// True for a word that does not change the verb form it stands before: "are steadily
/// advancing", "forces now control X".
fn is_adverb(word: &str) -> bool {
    let lower = word.to_lowercase();
    lower.ends_with("ly") || matches!(lower.as_str(), "now" | "still" | "also" | "already" | "again" | "even" | "just")
}

/// Words from a clause's start within which its main verb stands (a subject of a few words).
const MAIN_VERB_WORDS: usize = 6;

/// The modal or verb of aim that is the main verb of the clause before `predicate` ("Russian
/// forces may seek to encircle X by advancing ...", "The capture of X will free up forces to
/// reinforce ...", "They likely intend to ..."): everything the clause goes on to tell is
/// forecast or aimed at, up to a "but" or an "and" that starts a new statement. "May have"
/// hedges a done thing instead. Gives the cue, its offset and the kind it makes.
fn main_clause_frame(sentence: &str, clause_start: usize, predicate: usize) -> Option<(String, usize, StatementKind)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    static TURN: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| ci(r"(?:may|might|will|could|would)(?:\ \w+ly)?(?:\ have)?|(?:seeks?|intends?|plans?|hopes?|aims?)\ to"));
    let turn = TURN.get_or_init(|| ci(r"but|while\ (?:other|the\ other)|and\ (?:the\ |Russian\ |Ukrainian\ )?(?:forces|troops|units)|however"));
    let head = &sentence[clause_start..predicate];
    let m = re.find_iter(head).find(|m| !month_may(sentence, clause_start + m.start()))?;
    let words_before = head[..m.start()].split_whitespace().count();
    if words_before == 0 || words_before > MAIN_VERB_WORDS || m.as_str().to_lowercase().ends_with(" have") || head[..m.start()].contains(',') {
        return None;
    }
    if turn.is_match(&head[m.end()..]) || head[m.end()..].contains(';') {
        return None;
    }
    let lower = m.as_str().to_lowercase();
    let kind = if lower.ends_with(" to") {
        StatementKind::Intention
    } else if lower.starts_with("would") {
        StatementKind::Condition
    } else {
        StatementKind::Forecast
    };
    Some((m.as_str().to_owned(), clause_start + m.start(), kind))
}

/// True when the word at byte `at` is the month "May" ("on May 17"), not the modal.
fn month_may(sentence: &str, at: usize) -> bool {
    let rest = &sentence[at..];
    rest.starts_with("May") && rest[3..].trim_start().starts_with(|c: char| c.is_ascii_digit())
}

fn cue_at(text: &str, start: usize, certainty: Certainty) -> Cue {
    Cue::at(text, start, CueEffect::Certainty(certainty))
}

/// True when a reporting verb at `at` attributes what follows to a source: something stands
/// before it that is not an article ("the claimed capture" is no attribution), or it is
/// "according to".
fn attributes(sentence: &str, at: usize, cue: &str) -> bool {
    if cue.to_lowercase().starts_with("according") {
        return true;
    }
    let before = last_word(&sentence[..at]).to_lowercase();
    !before.is_empty() && !matches!(before.as_str(), "the" | "a" | "an" | "its" | "their" | "these" | "those" | "this" | "to")
}

/// The start of the verb group before `predicate`: at most five words back, not before
/// `floor` and not across a word that starts a new clause.
fn verb_group_start(sentence: &str, floor: usize, predicate: usize) -> usize {
    let head = &sentence[floor..predicate];
    let mut start = predicate;
    for (at, w) in words_from_end(head).take(5) {
        let lower = w.to_lowercase();
        if matches!(lower.as_str(), "and" | "but" | "which" | "that" | "who" | "while" | "after" | "before" | "as" | "when" | "where" | "because" | "since") {
            break;
        }
        start = floor + at;
    }
    start
}

/// True for a character of a word (letters, digits, apostrophes, hyphens).
fn in_word(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'
}

/// The words of `text` with their byte offsets (a word: letters, digits, apostrophes).
fn words_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (in_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// The words of `text` with their byte offsets from the last to the first: the words of
/// [`words_with_offsets`] in reverse order, read from the end, so that asking for the last
/// few words of a long text reads only as far back as they go.
fn words_from_end(text: &str) -> impl Iterator<Item = (usize, &str)> + '_ {
    let mut chars = text.char_indices().rev().peekable();
    std::iter::from_fn(move || {
        // The word's last character, past what follows the word; then back to its first.
        let (last, c) = loop {
            let (i, c) = chars.next()?;
            if in_word(c) {
                break (i, c);
            }
        };
        let mut start = last;
        while let Some(&(i, c)) = chars.peek() {
            if !in_word(c) {
                break;
            }
            start = i;
            chars.next();
        }
        Some((start, &text[start..last + c.len_utf8()]))
    })
}

/// The last word of `text`.
fn last_word(text: &str) -> &str {
    words_from_end(text).next().map_or("", |(_, w)| w)
}

/// A date that governs the predicate and lies well before publication: the date nearest the
/// predicate in its clause, or a past month named after the start of its comma clause ("in
/// March"). Gives the text and its offset.
fn background_date(sentence: &str, clause: Range<usize>, comma_start: usize, predicate: usize, ctx: &Context<'_>) -> Option<(String, usize)> {
    let published = ctx.published?;
    let limit = published - chrono::Duration::days(BACKGROUND_DAYS);
    let nearest = crate::dates::within(ctx.dates, ctx.sentence_start + clause.start..ctx.sentence_start + clause.end)
        .iter()
        .map(|d| (d, d.start - ctx.sentence_start))
        .min_by_key(|(_, s)| s.abs_diff(predicate));
    if let Some((d, s)) = nearest {
        return (d.to < limit).then(|| (d.text.clone(), s));
    }
    let recent = published - chrono::Duration::days(BACKGROUND_DAYS);
    for c in month_phrase().captures_iter(&sentence[comma_start..clause.end]) {
        let whole = c.get(0)?;
        let month = crate::dates::month_number(c.get(1)?.as_str())?;
        let year =
            c.get(2).and_then(|y| y.as_str().parse::<i32>().ok()).unwrap_or(if month > published.month() { published.year() - 1 } else { published.year() });
        let this_or_last_week = (year, month) == (published.year(), published.month()) || (year, month) == (recent.year(), recent.month());
        if !this_or_last_week && (year, month) < (published.year(), published.month()) {
            return Some((whole.as_str().to_owned(), comma_start + whole.start()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Classifies the predicate `verb` (its first occurrence) in `sentence`.
    fn of(sentence: &str, verb: &str) -> Statement {
        of_with(sentence, verb, &Context::default())
    }

    fn of_with(sentence: &str, verb: &str, ctx: &Context<'_>) -> Statement {
        let at = sentence.find(verb).unwrap_or_else(|| panic!("{verb:?} not in {sentence:?}"));
        classify(sentence, at..at + verb.len(), ctx)
    }

    fn kind(sentence: &str, verb: &str) -> StatementKind {
        of(sentence, verb).kind
    }

    fn certainty(sentence: &str, verb: &str) -> Certainty {
        let s = of(sentence, verb);
        assert_eq!(s.kind, StatementKind::Event, "{sentence:?}: {s:?}");
        s.certainty
    }

    #[test]
    fn a_sentence_memo_gives_every_predicate_what_it_would_get_without_one() {
        let sentence = "Officials denied that troops took Lowmoor; the brigade reportedly entered Eastbrook and may attack Millford, which we cannot confirm.";
        let next = "These claims could not be verified, and the ministry denied them.";
        let plain = Context { next: Some(next), ..Context::default() };
        let memo = SentenceMemo::default();
        let kept = Context { memo: Some(&memo), ..plain };
        for verb in ["took", "entered", "attack", "confirm", "took", "denied"] {
            assert_eq!(of_with(sentence, verb, &kept), of_with(sentence, verb, &plain), "{verb}");
        }
        assert!(of_with(sentence, "entered", &kept).cues.iter().any(|c| c.in_next), "the next sentence's comments are kept too");
        let heading = "Key Takeaways";
        let memo = SentenceMemo::default();
        let kept = Context { memo: Some(&memo), ..Context::default() };
        assert_eq!(of_with(heading, "Takeaways", &kept), of("Key Takeaways", "Takeaways"));
        assert_eq!(of_with(heading, "Key", &kept).kind, StatementKind::NonSentence);
    }

    proptest::proptest! {
        /// The words read from the end are the words read from the start, backwards.
        #[test]
        fn words_from_the_end_are_the_words_backwards(text in "(?:[a-zA-Z0-9 ,;.()’'-]|Київ|é|—|\\s){0,40}") {
            let mut forward = words_with_offsets(&text);
            forward.reverse();
            proptest::prop_assert_eq!(words_from_end(&text).collect::<Vec<_>>(), forward);
        }

        /// Words are counted as splitting at white space counts them, Unicode white space
        /// (no-break and ideographic spaces, next line, vertical tab) included, up to the most asked.
        #[test]
        fn words_counted_as_split_whitespace_counts_them(text in "(?:[a-z .—’]|Київ|\u{a0}|\u{3000}|\u{85}|\u{b}|\u{1f}|\\s){0,40}", most in 0usize..25) {
            proptest::prop_assert_eq!(count_words(&text, most), text.split_whitespace().take(most).count());
        }
    }

    #[test]
    fn words_are_counted_across_every_kind_of_white_space() {
        assert_eq!(count_words("a\u{a0}b\u{3000}c\u{85}d\u{b}e\u{c}f\tg\u{1f}h", 21), 7);
        assert_eq!(count_words("  one  two ", 21), 2);
        assert_eq!(count_words("a b c d", 2), 2);
    }

    #[test]
    fn plain_statements_are_asserted_events() {
        assert_eq!(certainty("Northern troops took the hamlet of Lowmoor overnight.", "took"), Certainty::Asserted);
        assert_eq!(certainty("The garrison withdrew from Eastbrook after a week of shelling.", "withdrew"), Certainty::Asserted);
        assert_eq!(certainty("Troops managed to enter the village on Tuesday.", "enter"), Certainty::Asserted);
    }

    #[test]
    fn negation_in_the_verb_group() {
        assert_eq!(kind("Enemy units have not yet entered Millford.", "entered"), StatementKind::Negated);
        assert_eq!(kind("The brigade did not capture any new ground on Monday.", "capture"), StatementKind::Negated);
        assert_eq!(kind("Attackers failed to take the bridge again.", "take"), StatementKind::Negated);
        assert_eq!(kind("Artillery fire prevented the column from capturing the crossing.", "capturing"), StatementKind::Negated);
        // A negation in another clause does not reach the predicate.
        assert_eq!(kind("The defenders did not hold out, and the northern group captured the town.", "captured"), StatementKind::Event);
    }

    #[test]
    fn forecasts_and_conditions() {
        assert_eq!(kind("The northern group will likely attempt to seize Ashford in the coming days.", "seize"), StatementKind::Forecast);
        assert_eq!(kind("Enemy forces could soon capture the ridge.", "capture"), StatementKind::Forecast);
        assert_eq!(kind("The column is likely to reach the river by Friday.", "reach"), StatementKind::Forecast);
        assert_eq!(kind("If the defenders abandoned the town, the road would be open.", "abandoned"), StatementKind::Condition);
        assert_eq!(kind("Taking the hill would give the attackers a view of the valley.", "give"), StatementKind::Condition);
        // The month is no modal.
        assert_eq!(kind("The ministry reported on May 30 that enemy units shelled the ridge.", "shelled"), StatementKind::Event);
        assert_eq!(kind("Enemy units on May 30 shelled the ridge.", "shelled"), StatementKind::Event);
        // "may have" hedges a done thing; it is no forecast.
        let s = of("Enemy troops may have entered the outskirts already.", "entered");
        assert_eq!((s.kind, s.certainty), (StatementKind::Event, Certainty::Assessed));
    }

    #[test]
    fn a_forecast_or_aim_as_main_verb_governs_the_whole_clause() {
        assert_eq!(kind("The northern group may seek to encircle Ashford by advancing along the river.", "advancing"), StatementKind::Forecast);
        assert_eq!(kind("The northern group likely seeks to encircle Ashford by advancing along the river.", "advancing"), StatementKind::Intention);
        assert_eq!(kind("The fall of Ashford will free up troops to reinforce the garrison at Eastbrook.", "reinforce"), StatementKind::Forecast);
        assert_eq!(kind("They may be waiting until they have massed enough guns.", "massed"), StatementKind::Forecast);
        // A done thing hedged, and a new statement after "but", are no forecasts.
        assert_eq!(of("The brigade may have entered Oakfield after shelling it.", "shelling").kind, StatementKind::Event);
        assert_eq!(kind("The brigade will likely stay put, but the northern group attacked Oakfield.", "attacked"), StatementKind::Event);
        assert_eq!(kind("Officials said that enemy units, which may regroup, attacked Oakfield.", "attacked"), StatementKind::Event);
    }

    #[test]
    fn once_as_a_conjunction_sets_a_condition_and_as_an_adverb_none() {
        assert_eq!(kind("Supplies can reach the front freely once the northern group captures Ashford.", "captures"), StatementKind::Condition);
        assert_eq!(kind("Once the garrison abandons Eastbrook, the road opens.", "abandons"), StatementKind::Condition);
        assert_eq!(kind("The brigade once again captured Ashford.", "captured"), StatementKind::Event);
        assert_eq!(kind("The defenders left Eastbrook at once.", "left"), StatementKind::Event);
    }

    #[test]
    fn an_adverb_between_subject_and_verb_keeps_the_present_a_statement() {
        assert_eq!(kind("Defending units now control Ashford.", "control"), StatementKind::Event);
        assert_eq!(kind("Enemy troops still hold the ridge above Oakfield.", "hold"), StatementKind::Event);
        // A caption's present: servicemen, sappers and the like are subjects as troops are.
        assert_eq!(kind("Servicemen raise their flag over Ashford.", "raise"), StatementKind::Event);
        assert_eq!(kind("Sappers clear the road into Eastbrook.", "clear"), StatementKind::Event);
        assert_eq!(kind("The brigade seeks to hold the ridge.", "hold"), StatementKind::Intention);
    }

    #[test]
    fn intentions() {
        assert_eq!(kind("The command seeks to capture the whole of the region.", "capture"), StatementKind::Intention);
        assert_eq!(kind("Assault groups attacked Greystone in an effort to encircle the garrison.", "encircle"), StatementKind::Intention);
        assert_eq!(kind("Units attempted to cross the river near Oakfield.", "cross"), StatementKind::Intention);
        assert_eq!(kind("Operations are aimed at capturing the rail junction.", "capturing"), StatementKind::Intention);
        let s = of("The garrison appears to have withdrawn from the plant.", "withdrawn");
        assert_eq!((s.kind, s.certainty), (StatementKind::Event, Certainty::Assessed));
    }

    #[test]
    fn a_gerund_is_an_aim_only_after_a_word_of_aim() {
        assert_eq!(kind("The offensive is focused on encircling Ashford.", "encircling"), StatementKind::Intention);
        assert_eq!(kind("The brigade shelled the bridge rather than seizing it.", "seizing"), StatementKind::Intention);
        // Gerunds joined by "or" / "and" share what governs the first.
        assert_eq!(kind("The enemy has given up on encircling or seizing Ashford.", "seizing"), StatementKind::Intention);
        assert_eq!(kind("Enemy units are shelling and storming Oakfield.", "storming"), StatementKind::Event);
        // A prevention governs gerunds joined to the one after its "from".
        assert_eq!(kind("The garrison cannot prevent the enemy from surrounding or storming Oakfield.", "storming"), StatementKind::Negated);
        assert_ne!(kind("The garrison kept the enemy from surrounding, let alone storming Oakfield.", "storming"), StatementKind::Event);
        // A cause after "from" is no happening of its own.
        assert_ne!(kind("Units still worn out from fighting around Ashford were moved south.", "fighting"), StatementKind::Event);
        // A noun after its adjective, and a participle after its noun, tell what happens.
        assert_eq!(kind("Local officials reported heavy fighting in Oakfield.", "fighting"), StatementKind::Event);
        assert_eq!(kind("Observers saw two battalions advancing north toward Eastbrook.", "advancing"), StatementKind::Event);
        assert_eq!(kind("Footage showed soldiers raising a flag over the town hall in Oakfield.", "raising"), StatementKind::Event);
    }

    #[test]
    fn questions_and_non_sentences() {
        assert_eq!(kind("Has the northern group captured Ashford?", "captured"), StatementKind::Question);
        assert!(is_non_sentence("Key Takeaways"));
        assert!(is_non_sentence("Activities in Russian-occupied areas"));
        assert!(is_non_sentence("Secondary Effort—Encirclement of the defenders between two rivers"));
        assert!(!is_non_sentence("Drone shot down over the Kyiv region"), "a headline tells something");
        assert!(!is_non_sentence("Army retakes Eastbrook in a blow to the invaders"), "in a headline's present too");
        assert!(!is_non_sentence("Russians shelled two villages overnight"));
        assert!(!is_non_sentence("Shelling of the city centre: three dead"));
        assert!(is_non_sentence("March 3, 5:00 pm ET"));
        assert!(is_non_sentence("Ann Roe, Bob Poe, and Cy Doe"));
        assert!(is_non_sentence("Click here to expand the map below."));
        assert!(!is_non_sentence("Troops took the town."));
    }

    #[test]
    fn background_is_told_apart_from_news() {
        let published = NaiveDate::from_ymd_opt(2024, 7, 20);
        let ctx = Context { published, ..Context::default() };
        assert_eq!(of_with("The northern group captured Ashford in March and has held it since.", "captured", &ctx).kind, StatementKind::Background);
        assert_eq!(of_with("The northern group had captured Ashford before the ceasefire.", "captured", &ctx).kind, StatementKind::Background);
        assert_eq!(of_with("The brigade previously seized the bridge.", "seized", &ctx).kind, StatementKind::Background);
        // This month's news is news.
        assert_eq!(of_with("The northern group captured Ashford in July.", "captured", &ctx).kind, StatementKind::Event);
        // A written date more than a week back.
        let text = "The garrison left Eastbrook on July 2.";
        let (dates, _) = crate::dates::find(text, published);
        let ctx = Context { published, dates: &dates, ..Context::default() };
        assert_eq!(of_with(text, "left", &ctx).kind, StatementKind::Background);
        let text = "The garrison left Eastbrook on July 18.";
        let (dates, _) = crate::dates::find(text, published);
        let ctx = Context { published, dates: &dates, ..Context::default() };
        assert_eq!(of_with(text, "left", &ctx).kind, StatementKind::Event);
    }

    #[test]
    fn the_certainty_scale() {
        assert_eq!(certainty("Geolocated footage posted on Sunday shows enemy troops raising a flag in Millford.", "raising"), Certainty::Confirmed);
        assert_eq!(certainty("Satellite imagery from Monday shows the column left the base.", "left"), Certainty::Confirmed);
        assert_eq!(certainty("The defence ministry claimed that its troops captured Ashford.", "captured"), Certainty::Claimed);
        assert_eq!(certainty("According to the regional governor, the garrison withdrew from Eastbrook.", "withdrew"), Certainty::Claimed);
        assert_eq!(certainty("Some field commentators said the brigade entered Oakfield.", "entered"), Certainty::Claimed);
        assert_eq!(certainty("The brigade reportedly entered Oakfield.", "entered"), Certainty::Reported);
        assert_eq!(certainty("Reports indicate the brigade entered Oakfield.", "entered"), Certainty::Reported);
        assert_eq!(certainty("ISW assesses that the northern group likely captured Ashford.", "captured"), Certainty::Assessed);
        assert_eq!(certainty("The northern group probably captured Ashford on Tuesday.", "captured"), Certainty::Assessed);
        assert_eq!(
            certainty("The ministry claimed the capture of Ashford, though ISW cannot independently verify this claim.", "capture"),
            Certainty::Unconfirmed
        );
        assert_eq!(certainty("Officials in the capital denied that the garrison left Eastbrook.", "left"), Certainty::Denied);
        assert_eq!(certainty("The ministry falsely claimed its troops seized Oakfield.", "seized"), Certainty::Denied);
        // "Added that" and "repeated claims that" attribute what follows as "said" does.
        assert_eq!(certainty("The town council added that the brigade entered Oakfield.", "entered"), Certainty::Claimed);
        assert_eq!(certainty("The militia repeated earlier claims that its troops seized Millford.", "seized"), Certainty::Claimed);
        assert_eq!(certainty("The brigade added two companies and entered Oakfield.", "entered"), Certainty::Asserted);
        // Another party that did not confirm it leaves it unverified.
        assert_eq!(
            certainty("The council said the brigade entered Oakfield, but the army command did not confirm the reports.", "entered"),
            Certainty::Unconfirmed
        );
        assert_eq!(certainty("The brigade entered Oakfield; the command has not yet confirmed it.", "entered"), Certainty::Unconfirmed);
        assert_eq!(certainty("The militia claimed it seized Millford but did not provide any evidence for the claim.", "seized"), Certainty::Unconfirmed);
        // The least sure governing cue wins: a claim of footage is still a claim.
        assert_eq!(certainty("Field commentators claimed that footage shows troops in Oakfield.", "troops"), Certainty::Claimed);
    }

    #[test]
    fn frames_govern_only_what_follows_them() {
        // "claimed" stands after the predicate, in another clause: the first clause is asserted.
        assert_eq!(certainty("The garrison withdrew from Eastbrook, and the ministry claimed that its troops took Millford.", "withdrew"), Certainty::Asserted);
        // A semicolon closes a frame.
        assert_eq!(certainty("The ministry claimed gains near Ashford; the brigade entered Oakfield.", "entered"), Certainty::Asserted);
        // An adjective is no attribution: "the claimed capture".
        assert_eq!(certainty("After the claimed advance, the brigade entered Oakfield.", "entered"), Certainty::Asserted);
    }

    #[test]
    fn a_comment_does_not_reach_across_a_semicolon_to_a_later_clause() {
        // The doubt is about an earlier claim; the report's own word after the semicolon stands.
        assert_eq!(
            certainty("That account is probably false; the brigade likely retook Oakfield.", "retook"),
            certainty("The brigade likely retook Oakfield.", "retook")
        );
        assert_eq!(certainty("The boast is untrue; the brigade entered Oakfield.", "entered"), Certainty::Asserted);
        // A comment after the semicolon still speaks of the clause before it.
        assert_eq!(certainty("The militia claimed it seized Millford; this claim is false.", "seized"), Certainty::Denied);
    }

    #[test]
    fn a_disclaimer_in_the_next_sentence_lowers_certainty() {
        let next = "ISW cannot independently verify this claim.";
        let ctx = Context { next: Some(next), ..Context::default() };
        let s = of_with("The ministry said its troops entered Oakfield.", "entered", &ctx);
        assert_eq!(s.certainty, Certainty::Unconfirmed);
        assert!(s.cues.iter().any(|c| c.in_next));
        // A next sentence about something else does not.
        let ctx = Context { next: Some("Heavy rain fell across the region."), ..Context::default() };
        assert_eq!(of_with("The brigade entered Oakfield.", "entered", &ctx).certainty, Certainty::Asserted);
    }

    #[test]
    fn names_round_trip() {
        for c in Certainty::ALL {
            assert_eq!(Certainty::parse(c.as_str()), Some(c));
            assert_eq!(serde_json::to_string(&c).unwrap(), format!("\"{}\"", c.as_str()));
        }
        assert_eq!(serde_json::to_string(&StatementKind::NonSentence).unwrap(), "\"non_sentence\"");
    }

    #[test]
    fn hostile_ranges_do_not_panic() {
        let s = "Troops took the town.";
        let _ = classify(s, 100..200, &Context::default());
        let _ = classify("Troops—fresh ones—took the town.", 7..9, &Context::default());
        let _ = classify("", 0..0, &Context::default());
        let _ = classify("?", 0..1, &Context::default());
    }
}
