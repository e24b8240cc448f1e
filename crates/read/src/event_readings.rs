//! The events stage: the event each sentence tells (found by [`crate::events`]) given its
//! place, date, source and certainty, with later sentences that tell the same event folded
//! into it as evidence; and each claim pointed to the event its sentence tells.
//!
//! A sentence tells an event only when [`crate::modality::classify`] calls its trigger an
//! event (not negated, forecast, intended, conditional, asked or background); headings,
//! datelines, captions and the "Key Takeaways" list tell none. Each trigger that is an event
//! gives one event per place it governs ("shelled A, B, and C": three; "shelled A and attacked
//! B": a shelling and a battle), not the reference town of "X, 20 km north of Y" nor where the
//! attackers came from; one place takes the most direct type. An event's date is the first
//! date written in its sentence that is not after publication, else the publication date; its
//! source that of its sentence's claim; its
//! certainty the classifier's, on the shared scale (`claimed` at most when a source is named).
//! A battle is the attacker's; an event without an actor takes the side of its claimant when
//! the claimant is one side's ("Russia's defence ministry said it is pulling back forces").

use std::{cell::OnceCell, collections::HashMap};

use chrono::NaiveDate;
use serde::Serialize;
use sitrep_geoparse::Toponym;

use crate::{
    claims::Claim,
    dates::{DateMention, DatePrecision},
    events::{self, Actor, EventMention, EventType},
    modality::{self, Certainty, Statement},
    sentences::Sentence,
    Side,
};

/// Where an event happened: the most precise place its sentence names.
#[derive(Debug, Clone, Serialize)]
pub struct EventPlace {
    /// Gazetteer id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The mention as written.
    pub mention: String,
    /// UCDP-style precision code: 1 town, 2 near a town, 3 second-level area, 4 first-level
    /// area or region, 5 river or sea, 6 country.
    pub precision: u8,
    /// Latitude.
    #[serde(serialize_with = "crate::coordinate")]
    pub lat: f64,
    /// Longitude.
    #[serde(serialize_with = "crate::coordinate")]
    pub lon: f64,
}

/// What dates an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// Its sentence names a date.
    Sentence,
    /// Only the report's publication date: the event happened by then.
    Publication,
}

/// When an event happened.
#[derive(Debug, Clone, Serialize)]
pub struct EventDate {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// How precise.
    pub precision: DatePrecision,
    /// What dates it: its sentence, or only the report's publication.
    pub from_text: DateSource,
}

/// An event with its place, date and source.
#[derive(Debug, Clone, Serialize)]
pub struct EventReading {
    /// The event as its sentence states it.
    #[serde(flatten)]
    pub event: EventMention,
    /// The evidence sentence.
    pub text: String,
    /// Where.
    pub place: Option<EventPlace>,
    /// When.
    pub date: Option<EventDate>,
    /// According to whom (the sentence's claimant); `None` for the report's own voice.
    pub claimant: Option<String>,
    /// How sure: the claim's certainty, or asserted by the report.
    pub certainty: Certainty,
    /// True when the violence hit civilians or civilian objects as its sentence tells it
    /// ("killing three civilians", "a residential area", "civilian infrastructure"): ACLED's
    /// `civilian_targeting`. Only fighting, shelling and strikes are flagged.
    pub civilian_targeting: bool,
    /// Later sentences that tell the same event (same type and place, sides that agree,
    /// dates that overlap), each with its own source: provenance is kept, not merged away.
    pub also: Vec<Evidence>,
}

/// Another sentence telling an event.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// Start of the sentence.
    pub start: usize,
    /// End of the sentence.
    pub end: usize,
    /// The sentence.
    pub text: String,
    /// According to whom.
    pub claimant: Option<String>,
    /// How sure.
    pub certainty: Certainty,
}

impl EventReading {
    /// True when `other` tells the same event: same type, same place, no two different sides,
    /// overlapping dates.
    fn same_as(&self, other: &EventReading) -> bool {
        let side = |e: &EventReading| e.event.actor.as_ref().and_then(|a| a.side);
        let sides_agree = match (side(self), side(other)) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        let dates_overlap = match (&self.date, &other.date) {
            (Some(a), Some(b)) => a.from <= b.to && b.from <= a.to || a.from_text == DateSource::Publication || b.from_text == DateSource::Publication,
            _ => true,
        };
        self.event.event_type == other.event.event_type
            && self.place.as_ref().zip(other.place.as_ref()).is_some_and(|(a, b)| a.id == b.id)
            && sides_agree
            && dates_overlap
    }

    /// Takes in `other`, a later telling of the same event.
    fn absorb(&mut self, other: EventReading) {
        self.civilian_targeting |= other.civilian_targeting;
        if self.event.actor.is_none() {
            self.event.actor = other.event.actor.clone();
            self.event.set_holders();
        }
        if self.date.as_ref().is_none_or(|d| d.from_text == DateSource::Publication) && other.date.as_ref().is_some_and(|d| d.from_text == DateSource::Sentence)
        {
            self.date = other.date.clone();
        }
        self.also.push(Evidence { start: other.event.start, end: other.event.end, text: other.text, claimant: other.claimant, certainty: other.certainty });
    }
}

/// The events stage. `sentences`, `claims` (at most one a sentence), `toponyms` and `dates`
/// are in text order; `published` dates the events whose sentence names no date. Sets each
/// claim's [`Claim::event`].
pub fn read(
    text: &str,
    sentences: &[Sentence],
    claims: &mut [Claim],
    toponyms: &[Toponym<'_>],
    dates: &[DateMention],
    published: Option<NaiveDate>,
) -> Vec<EventReading> {
    let mut merged: Vec<EventReading> = Vec::new();
    // The events told so far at each (type, place): a later telling can only be one of them.
    let mut at_place: HashMap<(EventType, String), Vec<usize>> = HashMap::new();
    let mut next_claim = 0;
    let mut in_takeaways = false;
    for (i, s) in sentences.iter().enumerate() {
        let sentence = &text[s.start..s.end];
        // Headings, datelines, author lines and captions tell no event; a "Key Takeaways" list
        // restates the body without its attributions, and "Items to Watch" looks ahead, each up
        // to the next heading or caption.
        if summary_heading(sentence) {
            in_takeaways = true;
            continue;
        }
        if modality::is_non_sentence(sentence) {
            in_takeaways = false;
            continue;
        }
        if in_takeaways {
            continue;
        }
        let next = sentences.get(i + 1).map(|n| &text[n.start..n.end]);
        let memo = modality::SentenceMemo::default();
        let ctx = modality::Context { published, dates, sentence_start: s.start, next, memo: Some(&memo) };
        // A headline names its happening with a noun ("Strike on X"), and a noun has no tense.
        let headline = !sentence.trim_end().ends_with(['.', '!', '?', '"', '”', '’', ')', ':']);
        let found = events::read_sentence(sentence, s.start, headline, |r| {
            // "The shelling of X: two dead": a noun, not the aim the classifier reads in a gerund.
            let noun = headline && !sentence[r.clone()].ends_with("ed");
            let mut st = modality::classify(sentence, r, &ctx);
            if noun && st.kind == modality::StatementKind::Intention {
                st.kind = modality::StatementKind::Event;
            }
            (st.is_event() || recent_background(&st, s, dates, published)).then_some(st)
        });
        if found.is_empty() {
            continue;
        }
        while next_claim < claims.len() && claims[next_claim].start < s.start {
            next_claim += 1;
        }
        let claim = claims.get(next_claim).filter(|c| c.start == s.start);
        let limits: Vec<Option<usize>> = found.iter().skip(1).map(|(e, _)| Some(e.trigger_start)).chain([None]).collect();
        let mut readings: Vec<EventReading> = Vec::new();
        let facts = SentenceFacts::default();
        for (k, ((event, statement), limit)) in found.into_iter().zip(limits).enumerate() {
            let told = Telling { primary: k == 0, limit };
            for reading in locate(text, *s, event, &statement, claim, toponyms, dates, published, told, &facts) {
                one_per_place(&mut readings, reading);
            }
        }
        // A trigger with no place beside others with places tells one of theirs.
        if readings.iter().any(|r| r.place.is_some()) {
            readings.retain(|r| r.place.is_some());
        }
        for reading in readings {
            let Some(place) = &reading.place else {
                merged.push(reading);
                continue;
            };
            let told = at_place.entry((reading.event.event_type, place.id.clone())).or_default();
            match told.iter().find(|&&i| merged[i].same_as(&reading)) {
                Some(&i) => merged[i].absorb(reading),
                None => {
                    told.push(merged.len());
                    merged.push(reading);
                }
            }
        }
    }
    // Each claim points to the event its sentence tells.
    let event_of_sentence: HashMap<usize, usize> = merged
        .iter()
        .enumerate()
        .flat_map(|(i, e)| std::iter::once(e.event.start).chain(e.also.iter().map(|a| a.start)).map(move |start| (start, i)))
        .rev()
        .collect();
    for c in claims.iter_mut() {
        c.event = event_of_sentence.get(&c.start).copied();
    }
    merged
}

/// Which of a sentence's triggers an event comes from: the first, which may take a place
/// before it ("A was shelled") or none at all, or a later one, which tells an event only at the
/// places after it; and where the next trigger starts (its places are that trigger's).
#[derive(Debug, Clone, Copy)]
struct Telling {
    /// The sentence's first accepted trigger.
    primary: bool,
    /// The byte offset of the next accepted trigger, if any.
    limit: Option<usize>,
}

/// What a sentence says whatever the event asked about, each found at most once however many
/// events the sentence tells: each is a search over the whole sentence.
#[derive(Default)]
struct SentenceFacts {
    /// [`attack_side`].
    attack_side: OnceCell<Option<Side>>,
    /// [`defence`] is in the sentence.
    defended: OnceCell<bool>,
    /// [`civilian`] is in the sentence.
    civilian: OnceCell<bool>,
}

/// The rank of a type when several verbs of one sentence govern one place: the most direct
/// wins, as an analyst logs it ("shelled and then captured Popasna" is ground taken).
fn precedence(t: EventType) -> u8 {
    match t {
        EventType::TerritoryTaken => 5,
        EventType::Withdrawal => 4,
        EventType::Battle => 3,
        EventType::AirStrike => 2,
        EventType::Shelling => 1,
        EventType::StrategicDevelopment => 0,
    }
}

/// Adds `reading` to a sentence's events: one event per place (and side), of the type that
/// takes precedence; a second event with no place is dropped.
fn one_per_place(readings: &mut Vec<EventReading>, reading: EventReading) {
    let side = |e: &EventReading| e.event.actor.as_ref().and_then(|a| a.side);
    let same = readings.iter_mut().find(|r| match (&r.place, &reading.place) {
        (Some(a), Some(b)) => a.id == b.id && (side(r) == side(&reading) || side(r).is_none() || side(&reading).is_none()),
        (None, None) => true,
        _ => false,
    });
    match same {
        Some(r) => {
            if precedence(reading.event.event_type) > precedence(r.event.event_type) {
                *r = reading;
            }
        }
        None => readings.push(reading),
    }
}

/// Days before publication within which a dated happening is still news to a reader (an
/// article on "the offensive launched in late August" published in September), though the
/// classifier calls it background for a daily report.
const NEWS_DAYS: i64 = 31;

/// True when a statement is background only by its date, and that date lies within
/// [`NEWS_DAYS`] of publication: "In late August, Ukraine launched an offensive" in a report
/// of 10 September. The pluperfect and "previously" stay background.
fn recent_background(st: &Statement, s: &Sentence, dates: &[DateMention], published: Option<NaiveDate>) -> bool {
    let Some(published) = published else { return false };
    let by_date_only = st.kind == modality::StatementKind::Background
        && st.cues.iter().all(|c| match c.effect {
            modality::CueEffect::Kind(k) => {
                let cue = c.text.to_lowercase();
                k == modality::StatementKind::Background
                    && !["had", "previously", "formerly", "earlier", "at the", "in the first", "since"].iter().any(|w| cue.starts_with(w))
            }
            modality::CueEffect::Certainty(_) => true,
        });
    let in_sentence = &dates[dates.partition_point(|d| d.start < s.start)..];
    by_date_only && in_sentence.iter().take_while(|d| d.start < s.end).any(|d| d.to >= published - chrono::Duration::days(NEWS_DAYS) && d.to <= published)
}

/// True for the heading of a list that restates or looks ahead, not a sentence about events:
/// "Key Takeaways", "Immediate Items to Watch".
fn summary_heading(line: &str) -> bool {
    let line = line.trim().trim_end_matches(':');
    ["key takeaways", "immediate items to watch", "items to watch"].iter().any(|h| line.eq_ignore_ascii_case(h))
}

/// The events of sentence `s`: one per place its trigger governs ([`governed`]), or one with
/// no place, each with its date, source and certainty.
#[allow(clippy::too_many_arguments)]
fn locate(
    text: &str,
    s: Sentence,
    mut event: EventMention,
    statement: &Statement,
    claim: Option<&Claim>,
    toponyms: &[Toponym<'_>],
    dates: &[DateMention],
    published: Option<NaiveDate>,
    told: Telling,
    facts: &SentenceFacts,
) -> Vec<EventReading> {
    let claimant = claim.and_then(|c| c.claimant.as_ref());
    // A battle is the attacker's: "Ukrainian forces repelled Russian assaults on X" is a
    // Russian attack; "Russian airstrikes hit X" names its side without an actor.
    let sentence = &text[s.start..s.end];
    let violence = matches!(event.event_type, EventType::Battle | EventType::Shelling | EventType::AirStrike);
    let defended = event.event_type == EventType::Battle && *facts.defended.get_or_init(|| defence().is_match(sentence));
    // "Ukrainian forces repulsed attacks on X": the defender's opponent attacked.
    let attacker =
        facts.attack_side.get_or_init(|| attack_side(sentence)).or_else(|| event.actor.as_ref().and_then(|a| a.side).filter(|_| defended).map(Side::opponent));
    if let Some(attacker) = attacker.filter(|_| violence) {
        if defended || event.actor.as_ref().is_none_or(|a| a.side.is_none()) {
            let name = if attacker == Side::Russia { "Russian forces" } else { "Ukrainian forces" };
            event.actor = Some(Actor { name: name.to_owned(), side: Some(attacker) });
            event.set_holders();
        }
    }
    // "Russia's defence ministry said it is pulling back forces": the claimant's side, when it
    // speaks of itself or the sentence names no side but in the claimant ("The Ukrainian
    // General Staff reported Russian airstrikes" is no Ukrainian event).
    let other_side_named = claimant.is_some_and(|c| {
        let (from, to) = (c.start.saturating_sub(s.start).min(sentence.len()), c.end.saturating_sub(s.start).min(sentence.len()));
        let outside = format!("{} {}", &sentence[..from], &sentence[to.max(from)..]).to_lowercase();
        outside.contains("russia") || outside.contains("ukrain")
    });
    static ITSELF: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    let itself = ITSELF.get_or_init(|| {
        crate::pattern::regex(r"(?i-u)\b(?:said|says|stated|claimed|reported|announced)\s+(?:that\s+)?(?:it|its|we|our)\b")
            .expect("the self-report pattern compiles")
    });
    if event.actor.is_none() && (!other_side_named || itself.is_match(sentence)) {
        event.actor = claimant.and_then(|c| side_in(&c.name)).map(|(name, side)| Actor { name: name.to_owned(), side: Some(side) });
        event.set_holders();
    }
    let in_sentence = toponyms.partition_point(|t| t.byte_start < s.start)..toponyms.partition_point(|t| t.byte_start < s.end);
    let source = claimant.map(|c| c.start..c.end);
    let places: Vec<EventPlace> = governed(text, s, &event, &toponyms[in_sentence.clone()], told, source)
        .into_iter()
        .filter_map(|(t, city)| {
            let (p, precision) = match (city, oblast_of_typed_name(t)) {
                (Some(city), _) => (city, sitrep_geoparse::Precision::Exact),
                (None, Some(oblast)) => (oblast, sitrep_geoparse::Precision::Admin1),
                (None, None) => (t.place?, t.precision),
            };
            Some(EventPlace {
                id: p.id(),
                name: p.display_name().to_owned(),
                mention: t.text.clone(),
                precision: {
                    let head = list_head(text, &toponyms[in_sentence.clone()], t);
                    precision_of(text, (t.byte_start, t.byte_end), precision).max(precision_of(text, (head.byte_start, head.byte_end), precision))
                },
                lat: p.point().lat,
                lon: p.point().lon,
            })
        })
        .collect();
    // A date after publication is no date of a happening told as past ("the talks set for
    // May 30" in a report of May 20): the event keeps the publication date.
    let usable_dates: Vec<&DateMention> = dates[dates.partition_point(|d| d.start < s.start)..]
        .iter()
        .take_while(|d| d.start < s.end)
        .filter(|d| d.end <= s.end && published.is_none_or(|p| d.from <= p))
        .collect();
    // "The General Staff reported on March 15 that ... on March 14": the first date is the
    // claim's, and the event's own is the other.
    let date = usable_dates
        .iter()
        .find(|d| !claim_date().is_match(&text[s.start..d.start.max(s.start)]))
        .or(usable_dates.first())
        .map(|d| EventDate { from: d.from, to: d.to.min(published.unwrap_or(d.to)), precision: d.precision, from_text: DateSource::Sentence })
        .or_else(|| published.map(|p| EventDate { from: p, to: p, precision: DatePrecision::Day, from_text: DateSource::Publication }));
    // A named source makes the report's own voice a claim.
    let certainty = match (statement.certainty, claimant) {
        (Certainty::Asserted, Some(_)) => Certainty::Claimed,
        (c, _) => c,
    };
    let civilian_targeting = violence && *facts.civilian.get_or_init(|| civilian().is_match(sentence));
    let one = |place: Option<EventPlace>| EventReading {
        civilian_targeting,
        text: text[s.start..s.end].to_owned(),
        place,
        date: date.clone(),
        claimant: claimant.map(|c| c.name.clone()),
        certainty,
        event: event.clone(),
        also: Vec::new(),
    };
    if places.is_empty() {
        let referred = if told.primary { referred_place(text, s, &toponyms[..in_sentence.start]) } else { None };
        return if told.primary { vec![one(referred)] } else { Vec::new() };
    }
    let mut seen: Vec<String> = Vec::new();
    places
        .into_iter()
        .filter(|p| {
            let new = !seen.contains(&p.id);
            seen.push(p.id.clone());
            new
        })
        .map(|p| one(Some(p)))
        .collect()
}

/// A verb of saying and "on" right before a date: the date of the statement, not of what it
/// tells ("confirmed on July 15 that").
fn claim_date() -> &'static crate::pattern::Regex {
    static RE: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        crate::pattern::regex(r"(?i-u)\b(?:said|stated|reported|claimed|confirmed|announced|noted|added|declared|told\ \w+)\s+(?:on\s+)?$")
            .expect("the claim-date pattern compiles")
    })
}

/// Words that end the stretch a trigger governs: a new clause or an aim ("to focus on" is
/// matched whole so that it ends nothing).
fn clause_break() -> &'static crate::pattern::Regex {
    static RE: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        crate::pattern::regex(r"(?i-u);|\s(?:to(?:\ (?:focus|concentrate)\ on)?|in\ order\ to|in\ an\ (?:effort|attempt)\ to|in\ preparation\ for|in\ anticipation\ of|ahead\ of|which|while|but|as|after|before|because|since|likely|and\ (?:likely|will|may|are|is|have|has))\s")
            .expect("the clause-break pattern compiles")
    })
}

/// True when a "to" that [`clause_break`] found (`matched`, followed by `rest`) leads to a
/// place, not an infinitive: "moved two battalions to the north of X", "withdrew to Russia",
/// "deployed to Kreminna". The determiner or name after it says so. Only forces
/// moving or fighting go somewhere; fire does not ("shelled X, ... the highway to Y").
fn destination(matched: &str, rest: &str) -> bool {
    let next = rest.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    matched.trim().eq_ignore_ascii_case("to")
        && (next.starts_with(char::is_uppercase)
            || matches!(next, "the" | "a" | "an" | "its" | "their" | "this" | "these" | "those" | "positions" | "areas" | "settlements"))
}

/// Words that start a new clause with its own subject: "that", "which", "and" before a side's
/// forces.
fn new_clause() -> &'static crate::pattern::Regex {
    static RE: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        crate::pattern::regex(r"(?i-u)\b(?:that|which|while|but|and\s+(?:the\s+)?(?:(?:Russian|Ukrainian)\s+)?(?:forces|troops|units|they))\b")
            .expect("the new-clause pattern compiles")
    })
}

/// Bytes before a sentence within which "the city" finds the settlement it refers to.
const REFERENCE_REACH: usize = 600;

/// The place "the city", "the town" or "the capital" in sentence `s` refers to: the settlement
/// named last before it, within [`REFERENCE_REACH`] bytes ("... Mariupol. Russian forces have
/// encircled the city"), or for "the capital" the largest settlement named there. `before` are
/// the toponyms before the sentence.
fn referred_place(text: &str, s: Sentence, before: &[Toponym<'_>]) -> Option<EventPlace> {
    static RE: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| crate::pattern::regex(r"(?i-u)\bthe\s+(?:city|town|capital)\b").expect("the reference pattern compiles"));
    let m = re.find(&text[s.start..s.end])?;
    let candidates = before.iter().rev().take_while(|t| t.byte_start + REFERENCE_REACH >= s.start).filter(|t| {
        let line = Sentence { start: text[..t.byte_start].rfind('\n').map_or(0, |i| i + 1), end: t.byte_end };
        !named_part(text, line, t)
            && t.role == sitrep_geoparse::Role::Literal
            && matches!(t.precision, sitrep_geoparse::Precision::Exact | sitrep_geoparse::Precision::Near)
            && t.place.is_some_and(|p| p.feature() == sitrep_gazetteer::Feature::City)
    });
    // "The capital" is the largest of the cities named before; "the city" the last.
    let t = if m.as_str().to_lowercase().ends_with("capital") {
        candidates.max_by_key(|t| t.place.map_or(0, |p| p.population()))
    } else {
        candidates.into_iter().next()
    }?;
    let p = t.place?;
    Some(EventPlace {
        id: p.id(),
        name: p.display_name().to_owned(),
        mention: m.as_str().to_owned(),
        precision: precision_of(text, (s.start + m.start(), s.start + m.end()), sitrep_geoparse::Precision::Exact),
        lat: p.point().lat,
        lon: p.point().lon,
    })
}

/// Words that say violence hit civilians: the people, their homes and the objects that serve
/// them.
fn civilian() -> &'static crate::pattern::Regex {
    static RE: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        crate::pattern::regex(r"(?i-u)\b(?:civilians?|residents|residential|non-combatants|(?:apartment|residential|civilian)\ (?:blocks?|buildings?|areas?)|hospitals?|schools?|kindergartens?|shopping\ (?:malls?|cent(?:er|re)s?)|markets?|churches|homes)\b")
            .expect("the civilian pattern compiles")
    })
}

/// Where forces came from, right before a place: "from", "out of", "from the", "from the
/// direction of", "from near".
fn origin() -> &'static crate::pattern::Regex {
    static RE: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| crate::pattern::regex(r"(?i-u)\b(?:from|out\ of)(?:\ the(?:\ direction\ of)?|\ near)?\s+$").expect("the origin pattern compiles"))
}

/// A place named as a locator of the one before it: "X, 20 km north-west of Lyman", "X,
/// south of the city", "X and Y, both settlements far north of Z", "X, a settlement 80 km from
/// Z", "X, near Z"; or of the stretch between two: "between X and Y".
fn locator() -> &'static crate::pattern::Regex {
    static RE: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        crate::pattern::regex(r"(?i)(?:[,(—–]\s*[^,;()—–]{0,60}?(?:(?:north|south|east|west)[a-z-]*\s+of|(?:km|kilometers|kilometres|miles|mi)\s+(?:from|of))|[,(—–]\s*(?:just\s+)?(?:near|close\ to)|(?-u:\b)between|(?-u:\b)between\s+[^,;()]{1,40}\s+and)\s+(?:the\ )?(?:city\ of\ )?$")
            .expect("the locator pattern compiles")
    })
}

/// True when `before`, the sentence up to a place, makes the place a locator of the name
/// right before its comma or parenthesis ("Kreminna, 10 km west of Rubizhne") or of a stretch
/// ("between X and Y"). A direction after a common noun ("the highway, south of Izium") or
/// after another direction ("north of Lyman, south of Siversk, and east of Bakhmut": a list of
/// where) locates nothing: the place is one of the event's.
fn locates(before: &str) -> bool {
    static LISTED: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    static DISTANCE: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    // ", approximately 90 km southeast of X in the direction of Y": the whole segment locates.
    let distance = DISTANCE.get_or_init(|| {
        crate::pattern::regex(r"(?i)[,(—–]\s*(?:(?:approximately|about|roughly|some|around|nearly|over|just|less\ than|more\ than)\s+)?\d+(?:\.\d+)?\s*(?:km|kilometers|kilometres|miles|mi)(?-u:\b)[^,;()—–]*$")
            .expect("the distance-segment pattern compiles")
    });
    if distance.is_match(before) {
        return true;
    }
    let Some(m) = locator().find(before) else { return false };
    let located = before[..m.start()].trim_end().trim_end_matches(['"', '”', '’', ')']);
    if !before[m.start()..].starts_with([',', '(', '—', '–']) {
        return true;
    }
    // "X, situated just south of Y": a participle of position makes the segment a locator.
    static SITUATED: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    let situated = SITUATED.get_or_init(|| crate::pattern::regex(r"(?i-u)\b(?:situated|located|lying|positioned)\b").expect("the situated pattern compiles"));
    if situated.is_match(m.as_str()) {
        return true;
    }
    let listed = LISTED.get_or_init(|| {
        crate::pattern::regex(r"(?i)(?-u:\b)(?:north|south|east|west)[a-z-]*\s+of\s+(?:the\ city\ of\s+)?[^,;()—–]*$")
            .expect("the listed-direction pattern compiles")
    });
    let segment = &located[located.rfind([',', ';', '(', '—', '–']).map_or(0, |i| i + 1)..];
    let names = |t: &str| -> Vec<bool> {
        t.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'' && c != '’')
            .filter(|w| !w.is_empty())
            .map(|w| w.starts_with(char::is_uppercase))
            .collect()
    };
    // The name located stands right before the comma, or after it, before the direction:
    // "X, 20 km north of Y"; ", including one near X just north of Y".
    let named_before = names(located).last().copied().unwrap_or(false) && !listed.is_match(segment);
    named_before || names(m.as_str().trim_start_matches([',', '(', '—', '–'])).contains(&true)
}

/// True when a place is one end of a hyphenated route, border or front ("the Kharkiv-Belgorod
/// highway", "the Kherson-Mykolaiv Oblast border", "the Chernihiv-Kharkiv axis"): the event
/// lies along the line, at neither end.
fn route_end(text: &str, s: Sentence, t: &Toponym<'_>) -> bool {
    static AFTER: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    let after = AFTER.get_or_init(|| {
        crate::pattern::regex(r"^(?:-[\w'’]+(?:\ [A-Z][\w'’]*)?|\ and\ [A-Z][\w'’]*)*(?:\ (?:City|Oblast|Oblasts))?\ (?:highway|road|railway|border|borders|axis|axes|front|line)\b")
            .expect("the route pattern compiles")
    });
    let joined_before = text[s.start..t.byte_start].ends_with('-');
    let rest = &text[t.byte_end..s.end];
    (joined_before || rest.starts_with('-')) && after.is_match(rest)
}

/// A name of a separatist entity after a place's name: "Donetsk People's Republic", "the
/// Donetsk and Luhansk People's Republics" name no place of fighting.
fn republic() -> &'static crate::pattern::Regex {
    static RE: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| crate::pattern::regex(r"^(?:,?\s+(?:and\s+)?[A-Z][\w'’-]*)*\s+People['’]s\s+Republics?\b").expect("the republic pattern compiles"))
}

/// The toponyms of a sentence that the event's trigger governs: the places after the trigger
/// up to the next clause or the next trigger (`told`; "shelled A, B, and C": all three), else,
/// for the sentence's first trigger, the nearest before it ("A was shelled"); a place inside the
/// name of the sentence's source (`source`: "the Kharkiv Oblast Administration") is none; a place that only locates another ("X, 20 km north of Y": Y) or that the
/// actors came from ("attacked X from Y": Y, except for a withdrawal) is not one; when a
/// settlement is among them, the areas that hold it ("in Donetsk Oblast") are not either.
fn governed<'a, 'g>(
    text: &str,
    s: Sentence,
    event: &EventMention,
    in_sentence: &'a [Toponym<'g>],
    told: Telling,
    source: Option<std::ops::Range<usize>>,
) -> Vec<Governed<'a, 'g>> {
    let usable = |t: &&Toponym<'g>| {
        t.place.is_some()
            && source.as_ref().is_none_or(|c| t.byte_end <= c.start || t.byte_start >= c.end)
            && t.role == sitrep_geoparse::Role::Literal
            && t.byte_end <= s.end
            && !locates(&text[s.start..t.byte_start])
            && !republic().is_match(&text[t.byte_end..s.end])
            && !route_end(text, s, t)
            && (event.event_type == EventType::Withdrawal || !origin().is_match(&text[s.start..t.byte_start]))
            && !country_as_actor(text, s, t)
            && !named_part(text, s, t)
            && !locating_aside(&text[s.start..t.byte_start])
            && !direction_before_place(&text[s.start..t.byte_start], &text[t.byte_end..s.end])
    };
    let trigger = event.trigger_start.clamp(s.start, s.end);
    // "(continuing to focus on X, Y, and Z)": the places an action focuses on are its own.
    let stop = clause_break()
        .find_iter(&text[trigger..s.end])
        .find(|m| {
            let moves = !matches!(event.event_type, EventType::Shelling | EventType::AirStrike);
            let focus = m.as_str().trim_end().to_lowercase().ends_with(" on");
            !(focus || moves && destination(m.as_str(), &text[trigger + m.end()..s.end]))
        })
        .map_or(s.end, |m| trigger + m.start());
    let after =
        |stop: usize| -> Vec<&'a Toponym<'g>> { in_sentence.iter().filter(|t| t.byte_start >= trigger && t.byte_start < stop).filter(usable).collect() };
    // The next trigger's places are its own ("shelled A and attacked B"), unless this one has
    // none before it ("shelled and assaulted B", "artillery strikes on B": both govern B).
    let own_stop = told.limit.map_or(stop, |l| stop.min(l));
    // A new clause before the next trigger ("took X, and that Russian forces are fighting in
    // Y") keeps the next trigger's places its own.
    let shared = told.limit.is_some_and(|l| !new_clause().is_match(&text[trigger..l.max(trigger)])) && after(own_stop).is_empty();
    // Where the next trigger's places begin: the last resort below looks no further.
    let (stop, next_trigger) = if shared { (stop, s.end) } else { (own_stop, told.limit.unwrap_or(s.end)) };
    let after = after(stop);
    if !told.primary && after.is_empty() {
        return Vec::new();
    }
    let mut chosen = if after.is_empty() {
        let from = text[s.start..trigger].rfind(';').map_or(s.start, |i| s.start + i + 1);
        in_sentence.iter().filter(|t| t.byte_start >= from && t.byte_end <= trigger).rfind(usable).into_iter().collect()
    } else {
        after
    };
    if chosen.is_empty() {
        chosen = in_sentence.iter().filter(|t| t.byte_start < next_trigger).filter(usable).min_by_key(|t| u8::from(t.precision)).into_iter().collect();
    }
    // A bare city name read as its oblast counts as the city it stands for: found once per
    // place here, and handed on with it.
    let chosen: Vec<Governed<'a, 'g>> = chosen.into_iter().map(|t| (t, city_of_bare_name(text, t))).collect();
    let precision = |(t, city): &Governed<'_, '_>| if city.is_some() { 1 } else { u8::from(t.precision) };
    let finest = chosen.iter().map(precision).min().unwrap_or(6);
    if finest <= 2 {
        return chosen.into_iter().filter(|g| precision(g) <= 2).collect();
    }
    chosen
}

/// A toponym an event's trigger governs, with the city its bare name stands for
/// ([`city_of_bare_name`]), if any.
type Governed<'a, 'g> = (&'a Toponym<'g>, Option<sitrep_gazetteer::Place<'g>>);

/// True when a country is named as an actor or an owner, not a place: a possessive
/// ("Russia's"), or no preposition or verb of violence before it ("Russia deployed forces", "Ukraine's General Staff"). A part of the country named by a compass word
/// is a place when the preposition stands before that word ("in northeastern Ukraine").
fn country_as_actor(text: &str, s: Sentence, t: &Toponym<'_>) -> bool {
    if t.precision != sitrep_geoparse::Precision::Country {
        return false;
    }
    let possessive = text[t.byte_end..s.end].starts_with(['\'', '’']);
    let mut words = text[s.start..t.byte_start].rsplit(|c: char| !c.is_alphanumeric() && c != '-').filter(|w| !w.is_empty()).map(str::to_lowercase);
    let mut previous = words.next().unwrap_or_default();
    if compass_word(&previous) {
        previous = words.next().unwrap_or_default();
    }
    // "elements of Russia's 19th Division": a possessive names an owner, unless a preposition of
    // place stands before it ("in Ukraine's northeast").
    if possessive {
        return !matches!(previous.as_str(), "in" | "into" | "across" | "throughout" | "within" | "inside" | "to" | "from");
    }
    !matches!(
        previous.as_str(),
        "in" | "into"
            | "to"
            | "from"
            | "of"
            | "across"
            | "toward"
            | "towards"
            | "near"
            | "on"
            | "over"
            | "at"
            | "throughout"
            | "within"
            | "inside"
            | "around"
            | "through"
            | "against"
            // A verb that takes the place as its object: "targeting Ukraine", "invaded Ukraine".
            | "targeting"
            | "targeted"
            | "struck"
            | "striking"
            | "shelled"
            | "shelling"
            | "attacked"
            | "attacking"
            | "invaded"
            | "invading"
            | "bombed"
            | "bombing"
    )
}

/// Least population of a city that a report names by its bare name rather than one of the
/// many villages of that name.
const BARE_NAME_CITY: u64 = 100_000;

/// The city an event at a bare name happens in, when the geoparser read the name as an area or
/// as one of many settlements: fighting and strikes happen at points, and a report names an
/// oblast with its type word ("Kharkiv Oblast", "Kherson and Mykolaiv Oblasts"), so "shelled
/// Kharkiv" is the oblast's city of that name among the name's readings; an ambiguous name
/// is the large city of that name among them. A name with its type word keeps the area.
fn city_of_bare_name<'g>(text: &str, t: &Toponym<'g>) -> Option<sitrep_gazetteer::Place<'g>> {
    let place = t.place?;
    let area = matches!(place.feature(), sitrep_gazetteer::Feature::Admin1 | sitrep_gazetteer::Feature::Admin2);
    if !area && t.ambiguous.is_none() || typed_list().is_match(&text[t.byte_end..]) {
        return None;
    }
    let inside = |a: &sitrep_gazetteer::Place<'_>| a.admin1_index() == Some(place.index()) || a.admin2_index() == Some(place.index());
    // The first reading that is such a city and bears the name as written. Folding every
    // spelling of every reading (dozens each, many in Cyrillic) was most of the cost, so the
    // city's place and size are asked first, and the spellings are folded into one buffer.
    let (mut written, mut folded) = (None::<String>, String::new());
    let mut bears_name = |a: &sitrep_gazetteer::Place<'_>| {
        let written = written.get_or_insert_with(|| {
            let mut key = String::new();
            sitrep_text::fold(&t.text, &mut key);
            key
        });
        std::iter::once(a.name()).chain(a.alternates()).any(|n| {
            folded.clear();
            sitrep_text::fold(n, &mut folded);
            folded == *written
        })
    };
    t.alternatives
        .iter()
        .find(|a| a.feature() == sitrep_gazetteer::Feature::City && (if area { inside(a) } else { a.population() >= BARE_NAME_CITY }) && bears_name(a))
        .copied()
}

/// The oblast a name written with its type word stands for ("Belgorod Oblast") when the
/// geoparser read it as the oblast's city: the first-level area that holds that city.
fn oblast_of_typed_name<'g>(t: &Toponym<'g>) -> Option<sitrep_gazetteer::Place<'g>> {
    let place = t.place?;
    let typed = t.text.to_lowercase().ends_with(" oblast");
    if !typed || place.feature() != sitrep_gazetteer::Feature::City {
        return None;
    }
    place.admin1()
}

/// The rest of a list of names typed by a plural after it: ", Dnipropetrovsk, and Zaporizhia
/// Oblasts", " and Mykolaiv regions".
pub(crate) fn typed_list() -> &'static crate::pattern::Regex {
    static RE: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        crate::pattern::regex(r"^(?:,?\s+(?:and\s+|or\s+)?[A-Z][\w'’-]*)*\s+(?i:oblasts|regions|provinces|raions|districts)\b")
            .expect("the typed-list pattern compiles")
    })
}

/// True when a place only gives the direction of the places named right after it ("to the
/// north of X around Y and Z", "east of X near Y"): `before` and `after` are the sentence
/// around it.
fn direction_before_place(before: &str, after: &str) -> bool {
    static BEFORE: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    static AFTER: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    let b = BEFORE.get_or_init(|| {
        crate::pattern::regex(r"(?i-u)\b(?:north|south|east|west)[a-z-]*\s+of\s+(?:the\s+city\s+of\s+)?$").expect("the direction pattern compiles")
    });
    let a = AFTER.get_or_init(|| crate::pattern::regex(r"^(?:\s+City)?\s+(?:around|near)\s+\p{Lu}").expect("the around pattern compiles"));
    b.is_match(before) && a.is_match(after)
}

/// True when `before`, the sentence up to a place, leaves the place inside a parenthesis that
/// says where something else is: "Rubizhne (in Kharkiv, not Luhansk Oblast)".
fn locating_aside(before: &str) -> bool {
    before.rfind('(').is_some_and(|open| !before[open..].contains(')') && before[open + 1..].trim_start().to_lowercase().starts_with("in "))
}

/// True when a settlement's name is the last word of a longer capitalised name led by a
/// compass word, a front's or region's name rather than the place: "the Southern Axis",
/// "Eastern Front".
fn named_part(text: &str, s: Sentence, t: &Toponym<'_>) -> bool {
    let previous = text[s.start..t.byte_start].trim_end_matches(' ').rsplit(|c: char| !c.is_alphanumeric() && c != '-').next().unwrap_or("");
    t.precision == sitrep_geoparse::Precision::Exact
        && text[s.start..t.byte_start].ends_with(' ')
        && previous.starts_with(char::is_uppercase)
        && previous.ends_with("ern")
        && compass_word(&previous.to_lowercase())
}

/// A word naming a part of a country or town by its direction: "northeastern", "south-west",
/// "central".
fn compass_word(word: &str) -> bool {
    let w = word.trim_end_matches("ern").replace('-', "");
    word == "central" || !w.is_empty() && ["north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"].contains(&w.as_str())
}

/// The first name of the list `t` stands in ("toward Hlukhiv and Baturyn", "around X, Y, and
/// Z"): what is said before the list says it of every name in it.
fn list_head<'a, 'g>(text: &str, in_sentence: &'a [Toponym<'g>], t: &'a Toponym<'g>) -> &'a Toponym<'g> {
    static SEPARATOR: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    let separator = SEPARATOR.get_or_init(|| crate::pattern::regex(r"^(?:\s*,)?\s*(?:(?:and|or)\s+)?$").expect("the list-separator pattern compiles"));
    let mut head = t;
    while let Some(before) = in_sentence.iter().rfind(|p| p.byte_end <= head.byte_start) {
        if !separator.is_match(&text[before.byte_end..head.byte_start]) {
            break;
        }
        head = before;
    }
    head
}

/// The precision of an event at the place written at `start..end` whose place has precision `base`: that, and near a
/// town when the text puts the event on its approaches ("toward X", "north of X", "the X
/// direction", "the X and Y areas", "the outskirts of X").
fn precision_of(text: &str, (start, end): (usize, usize), base: sitrep_geoparse::Precision) -> u8 {
    static BEFORE: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    static AFTER: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    let p = u8::from(base);
    if p != 1 {
        return p;
    }
    let before = BEFORE.get_or_init(|| {
        crate::pattern::regex(r"(?i-u)(?:near|toward|towards|outside|around|outskirts\ of|vicinity\ of|approaches\ to|direction\ of|areas?\ of|(?:north|south|east|west)[a-z-]*\ of(?:\ the\ city\ of)?)\s+(?:(?:north|south|east|west)[a-z-]*\s+)?$")
            .expect("the approach pattern compiles")
    });
    let after = AFTER.get_or_init(|| {
        crate::pattern::regex(r"(?i-u)^\s*(?:and\ [A-Z][\w-]+\s+)?(?:outskirts|areas?|directions?|axis|axes|front|sector)\b")
            .expect("the area pattern compiles")
    });
    let head = &text[crate::geocheck::boundary_at_or_before(text, start.saturating_sub(60))..start];
    if before.is_match(head) || after.is_match(&text[end..]) {
        2
    } else {
        1
    }
}

/// Verbs of defence: the battle they tell is the other side's attack.
fn defence() -> &'static crate::pattern::Regex {
    static RE: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        crate::pattern::regex(r"(?i-u)\b(?:repuls\w*|repell?\w*|resist\w*|defend\w*|held\ off|hold\ off|fended\ off|beat\ back|beaten\ back|thwart\w*|halt(?:ed)?\ (?:attacks|assaults|advances|an?\ (?:attack|assault|advance)))\b")
            .expect("the defence pattern compiles")
    })
}

/// The side of an attack the sentence names by its nationality: "Russian assaults", "a
/// Ukrainian counterattack", "Russian air and artillery strikes" (up to three words in lower
/// case between, none a past tense but "and": "Ukrainian troops repelled Russian assaults" is
/// Russian), "attacks by Russian forces".
fn attack_side(sentence: &str) -> Option<Side> {
    static RE: std::sync::OnceLock<crate::pattern::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        crate::pattern::regex(r"(?i-u)\b(?:(?:Russian|Ukrainian)\s+(?-i:(?:and|[a-z][\w-]*[a-ce-z])\s+){0,3}?(?:attacks?|assaults?|advances?|offensives?|efforts?|counterattacks?|counteroffensives?|counter-offensives?|airstrikes?|air\ strikes?|strikes?|shelling|offensive\ operations)|(?:attacks?|assaults?|advances?|offensives?|counterattacks?|strikes?|shelling)\ by\ (?:Russian|Ukrainian))\b")
            .expect("the attack pattern compiles")
    });
    // The side word starts the match ("Russian ... attacks") or ends it ("attacks by Russian"):
    // the match tells which, without a search for the groups.
    let found = re.find(sentence)?.as_str().to_ascii_lowercase();
    let first = found.starts_with("russian") || found.starts_with("ukrainian");
    let russian = if first { found.starts_with("russian") } else { found.ends_with("russian") };
    Some(if russian { Side::Russia } else { Side::Ukraine })
}

/// The side a source's name belongs to ("Russia's defence ministry" → Russian forces).
fn side_in(name: &str) -> Option<(&'static str, Side)> {
    let lower = name.to_lowercase();
    if lower.contains("russia") {
        Some(("Russian forces", Side::Russia))
    } else if lower.contains("ukrain") {
        Some(("Ukrainian forces", Side::Ukraine))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_side_of_an_attack_is_the_word_before_it_or_after_by() {
        assert_eq!(attack_side("Northern troops repelled Russian assaults near the bridge."), Some(Side::Russia));
        assert_eq!(attack_side("UKRAINIAN counterattacks went on."), Some(Side::Ukraine));
        assert_eq!(attack_side("Russian heavy artillery strikes hit the town."), Some(Side::Russia));
        assert_eq!(attack_side("The town saw Ukrainian drone and rocket strikes overnight."), Some(Side::Ukraine), "modifiers joined by 'and'");
        assert_eq!(attack_side("Heavy attacks by Ukrainian brigades, then attacks by Russian units."), Some(Side::Ukraine));
        assert_eq!(attack_side("Strikes by russian aviation continued."), Some(Side::Russia));
        assert_eq!(attack_side("Russian forces repelled attacks."), None, "a past tense between is no attack's adjective");
        assert_eq!(attack_side("Nothing happened."), None);
    }
    use crate::{claims, dates, sentences, tests::geoparser};

    fn events(text: &str, published: Option<NaiveDate>) -> (Vec<EventReading>, Vec<Claim>) {
        let sentences = sentences::split(text);
        let mut claims = claims::find(text, &sentences);
        let parse = geoparser().parse(text);
        let dating = dates::read(text, published);
        let events = read(text, &sentences, &mut claims, &parse.toponyms, &dating.dates, dating.published);
        (events, claims)
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn an_event_takes_its_sentences_place_date_and_source() {
        let (events, _) = events("The General Staff said Russian artillery shelled Kherson on Tuesday.", Some(day(2023, 1, 12)));
        let e = &events[0];
        assert_eq!(e.event.event_type, EventType::Shelling);
        assert_eq!(e.event.actor.as_ref().and_then(|a| a.side), Some(Side::Russia));
        assert_eq!(e.place.as_ref().map(|p| (p.name.as_str(), p.precision)), Some(("Kherson", 1)));
        let date = e.date.as_ref().unwrap();
        assert_eq!((date.from, date.from_text), (day(2023, 1, 10), DateSource::Sentence));
        assert_eq!((e.claimant.as_deref(), e.certainty), (Some("The General Staff"), Certainty::Claimed));
    }

    #[test]
    fn undated_events_take_the_publication_date_and_a_claimants_side() {
        let (events, _) = events("Russia's defence ministry said it was regrouping forces near Lyman.", Some(day(2022, 10, 1)));
        let e = &events[0];
        assert_eq!(e.event.event_type, EventType::Withdrawal);
        assert_eq!(e.event.actor.as_ref().map(|a| (a.name.as_str(), a.side)), Some(("Russian forces", Some(Side::Russia))));
        assert_eq!(e.event.held_before, Some(Side::Russia));
        assert_eq!(e.date.as_ref().map(|d| (d.from, d.from_text)), Some((day(2022, 10, 1), DateSource::Publication)));
    }

    #[test]
    fn later_tellings_of_the_same_event_are_folded_in_and_claims_point_to_it() {
        let text = "Ukrainian forces shelled Donetsk overnight.\n\
                    Local officials said Russian forces shelled Kharkiv.\n\
                    The regional governor said the shelling of Donetsk went on for hours.\n\
                    Russian forces shelled Donetsk as well, the mayor said.";
        let (events, claims) = events(text, Some(day(2023, 2, 1)));
        let places: Vec<(&str, usize)> = events.iter().map(|e| (e.place.as_ref().unwrap().name.as_str(), e.also.len())).collect();
        assert_eq!(places, [("Donetsk", 1), ("Kharkiv", 0), ("Donetsk", 0)], "the Russian shelling of Donetsk is another event");
        assert_eq!(events[0].also[0].claimant.as_deref(), Some("The regional governor"));
        let pointed: Vec<Option<usize>> = claims.iter().map(|c| c.event).collect();
        assert_eq!(pointed, [Some(1), Some(0), Some(2)]);
    }

    #[test]
    fn questions_and_sentences_without_places_stay_apart() {
        let (events, _) = events("Did Russian forces shell the town?\nRussian forces shelled the town.\nRussian forces shelled the town.", None);
        assert_eq!(events.len(), 2, "no place: nothing tells two such events apart");
        assert!(events.iter().all(|e| e.date.is_none() && e.also.is_empty()));
    }

    fn mentions(events: &[EventReading]) -> Vec<&str> {
        events.iter().map(|e| e.place.as_ref().map_or("-", |p| p.mention.as_str())).collect()
    }

    #[test]
    fn negated_forecast_and_intended_happenings_are_no_events() {
        for sentence in [
            "Russian troops did not launch any assaults near Vuhledar on Monday.",
            "Russian forces will likely try to storm Siversk in the coming days.",
            "The Kremlin seeks to capture all of Zaporizhzhia Oblast.",
            "If Ukrainian forces cross the river, Russian positions near Kherson will collapse.",
        ] {
            let (found, _) = events(sentence, Some(day(2022, 6, 1)));
            assert!(found.is_empty(), "{sentence}: {found:?}");
        }
        let (found, _) = events("Russian forces did not attack Avdiivka but shelled Marinka.", Some(day(2022, 6, 1)));
        assert_eq!(mentions(&found), ["Marinka"], "the shelling happened, the attack did not");
    }

    #[test]
    fn headings_datelines_and_takeaways_tell_no_events() {
        let text = "Jane Roe, Ann Poe, and John Doe\n\nMay 3, 6:00 pm ET\n\nKey Takeaways:\n\n\
                    Russian forces shelled Kupiansk.\n\nClick here to expand the map below.\n\n\
                    Kharkiv Axis\n\nThe Ukrainian General Staff said Russian forces shelled Kupiansk.";
        let (found, _) = events(text, Some(day(2022, 5, 3)));
        assert_eq!(mentions(&found), ["Kupiansk"]);
        assert!(found[0].also.is_empty(), "the takeaway bullet is no telling: {:?}", found[0].also);
        assert_eq!(found[0].claimant.as_deref(), Some("The Ukrainian General Staff"));
    }

    #[test]
    fn one_event_per_governed_settlement() {
        let (found, _) = events("Russian artillery shelled Kupiansk, Balakliia, and Chuhuiv overnight.", Some(day(2022, 6, 1)));
        assert_eq!(mentions(&found), ["Kupiansk", "Balakliia", "Chuhuiv"]);
        let (found, _) = events("Russian troops captured Popasna, 20 km west of Luhansk.", Some(day(2022, 5, 9)));
        assert_eq!(mentions(&found), ["Popasna"], "the reference town only locates");
        let (found, _) = events("Russian forces attacked Kupiansk from Vovchansk.", Some(day(2022, 6, 1)));
        assert_eq!(mentions(&found), ["Kupiansk"], "where the attackers came from is no event place");
        let (found, _) = events("Russian troops withdrew from Kherson.", Some(day(2022, 11, 11)));
        assert_eq!(mentions(&found), ["Kherson"], "a withdrawal is from its place");
        let (found, _) = events("Russian forces conducted assaults toward Siversk.", Some(day(2022, 6, 1)));
        assert_eq!(found[0].place.as_ref().map(|p| p.precision), Some(2), "toward a town is near it");
    }

    #[test]
    fn a_battle_is_the_attackers_and_a_country_subject_is_no_place() {
        let (found, _) = events("Ukrainian troops repelled Russian assaults on Kupiansk overnight.", Some(day(2022, 6, 1)));
        assert_eq!(found[0].event.actor.as_ref().and_then(|a| a.side), Some(Side::Russia));
        let (found, _) = events("The regional governor said Russian airstrikes hit Chuhuiv.", Some(day(2022, 6, 1)));
        assert_eq!(found[0].event.actor.as_ref().and_then(|a| a.side), Some(Side::Russia), "not the governor's side");
        let (found, _) = events("Russia deployed additional battalions to Kupiansk.", Some(day(2022, 6, 1)));
        assert_eq!(mentions(&found), ["Kupiansk"]);
        for sentence in ["Russian forces conducted assaults north of Siversk.", "Russian troops attacked in the Siversk direction."] {
            let (found, _) = events(sentence, Some(day(2022, 6, 1)));
            assert_eq!(found[0].place.as_ref().map(|p| p.precision), Some(2), "{sentence}");
        }
    }

    #[test]
    fn headlines_name_their_happenings_with_nouns() {
        let text = "Strike on Kupiansk: two dead | The shelling of Chuhuiv overnight | Drone shot down over Balakliia";
        let (found, _) = events(text, Some(day(2023, 1, 20)));
        assert_eq!(mentions(&found), ["Kupiansk", "Chuhuiv", "Balakliia"]);
        let types: Vec<EventType> = found.iter().map(|e| e.event.event_type).collect();
        assert_eq!(types, [EventType::Shelling, EventType::Shelling, EventType::AirStrike]);
        let (found, _) = events("Russian plans for a new offensive", Some(day(2023, 1, 20)));
        assert!(found.is_empty(), "a plan is no happening, headline or not: {found:?}");
    }

    #[test]
    fn a_recent_dated_happening_is_news_an_old_or_pluperfect_one_background() {
        let published = Some(day(2022, 9, 10));
        let (found, _) = events("In late August, Ukrainian forces launched an offensive near Kherson.", published);
        assert_eq!(mentions(&found), ["Kherson"]);
        let (found, _) = events("Russian forces captured Kreminna in April.", published);
        assert!(found.is_empty(), "months before: background {found:?}");
        let (found, _) = events("Russian forces had captured Kreminna in early September.", published);
        assert!(found.is_empty(), "the pluperfect tells what came before {found:?}");
    }

    #[test]
    fn a_bare_city_name_is_the_city_and_a_typed_list_keeps_its_oblasts() {
        let published = Some(day(2022, 6, 1));
        let (found, _) = events("Ukrainian troops defended Kharkiv Oblast for weeks.\nRussian artillery shelled central Kharkiv overnight.", published);
        let shelled: Vec<(&str, u8)> = found.iter().filter_map(|e| e.place.as_ref()).map(|p| (p.name.as_str(), p.precision)).collect();
        assert!(shelled.contains(&("Kharkiv", 1)), "{shelled:?}");
        let (found, _) = events("Russian forces fired rockets at Odesa and Mykolaiv Oblasts on Sunday.", published);
        let precisions: Vec<u8> = found.iter().filter_map(|e| e.place.as_ref()).map(|p| p.precision).collect();
        assert_eq!(precisions, [4, 4], "a list typed by a plural names oblasts");
        let (found, _) = events("Shells fell on Sumy City and on Okhtyrka overnight, Ukrainian officials said.", published);
        assert_eq!(mentions(&found), ["Sumy", "Okhtyrka"], "\"Sumy City\" is the city");
    }

    #[test]
    fn a_compass_part_of_a_country_is_a_place_and_a_front_name_is_not() {
        let published = Some(day(2022, 6, 1));
        let (found, _) = events("Russian aviation struck fuel depots in western Ukraine.", published);
        assert_eq!(found[0].place.as_ref().map(|p| (p.name.as_str(), p.precision)), Some(("Ukraine", 6)));
        let (found, _) = events("Russian forces shelled Ukrainian trenches along the Southern Axis.", published);
        assert_eq!(mentions(&found), ["-"], "a front's name is no settlement");
    }

    #[test]
    fn locators_and_asides_are_no_event_places() {
        let published = Some(day(2022, 6, 1));
        for (sentence, want) in [
            ("Ukrainian forces repelled an assault on Dolyna, a village about 15 km from Sviatohirsk.", vec!["Dolyna"]),
            ("Russian troops attacked Bohorodychne and Krasnopillia, both villages north of Sloviansk.", vec!["Bohorodychne", "Krasnopillia"]),
            ("Russian forces resumed ground attacks in eastern Ukraine, between Izium and Lyman.", vec!["Ukraine"]),
            ("Russian troops attacked Hrakove (in Kharkiv Oblast, not Donetsk Oblast) overnight.", vec!["Hrakove"]),
            ("Russian units moved reinforcements from the Belgorod area to Vovchansk.", vec!["Vovchansk"]),
        ] {
            let (found, _) = events(sentence, published);
            assert_eq!(mentions(&found), want, "{sentence}");
        }
    }

    #[test]
    fn a_source_that_says_it_did_something_tells_an_event() {
        let published = Some(day(2022, 6, 1));
        for (sentence, want) in [
            ("Separatist units claimed to capture Kodema and Vershyna on Tuesday.", vec!["Kodema", "Vershyna"]),
            ("The brigade's command reported destroying two tanks near Kupiansk.", vec!["Kupiansk"]),
            ("Ukrainian defenders claimed to halt attacks toward Chuhuiv.", vec!["Chuhuiv"]),
        ] {
            let (found, _) = events(sentence, published);
            assert_eq!(mentions(&found), want, "{sentence}");
            assert!(found.iter().all(|e| e.certainty == Certainty::Claimed), "{sentence}: {found:?}");
        }
        let (found, _) = events("The command plans to capture Kodema.", published);
        assert!(found.is_empty(), "a plan stays a plan: {found:?}");
    }

    #[test]
    fn reconnaissance_securing_and_adverbs_before_a_verb() {
        let published = Some(day(2022, 6, 1));
        for (sentence, want) in [
            ("Russian units conducted failed reconnaissance-in-force operations near Kodema and Vershyna.", EventType::Battle),
            ("Russian forces conducted aerial reconnaissance over Kupiansk.", EventType::StrategicDevelopment),
            ("Separatist units continued to consolidate their control of Kodema.", EventType::TerritoryTaken),
            ("Russian forces are increasingly shelling Kupiansk.", EventType::Shelling),
            ("Drone footage shows Ukrainian artillery striking a Russian tank in Kodema.", EventType::Shelling),
        ] {
            let (found, _) = events(sentence, published);
            assert_eq!(found.first().map(|e| e.event.event_type), Some(want), "{sentence}: {found:?}");
        }
        let (found, _) = events("Russian forces did not consolidate their control of Kodema.", published);
        assert!(found.is_empty(), "{found:?}");
        let (found, _) = events("Russian air assets are increasingly targeting Ukraine from Belarus.", published);
        assert_eq!(mentions(&found), ["Ukraine"], "a country a verb aims at is its place");
    }

    #[test]
    fn a_list_of_directions_names_each_place_and_a_locator_follows_a_name() {
        let published = Some(day(2022, 6, 1));
        let (found, _) = events("Russian troops assaulted Ukrainian lines north of Lyman, south of Siversk, and east of Bakhmut.", published);
        assert_eq!(mentions(&found), ["Lyman", "Siversk", "Bakhmut"], "each direction is a place of the attack");
        let (found, _) = events("Russian troops shelled the highway, south of Izium.", published);
        assert_eq!(mentions(&found), ["Izium"], "a common noun is no place to locate");
        let (found, _) = events("Russian troops shelled Kodema, south of Bakhmut.", published);
        assert_eq!(mentions(&found), ["Kodema"], "a name before the comma is located");
    }

    #[test]
    fn the_ends_of_a_route_and_where_forces_came_from_are_no_event_places() {
        let published = Some(day(2022, 6, 1));
        for (sentence, want) in [
            ("Russian troops attacked Kodema along the Bakhmut-Horlivka highway.", vec!["Kodema"]),
            ("Russian aviation struck Chuhuiv, near the Kharkiv-Kupiansk road.", vec!["Chuhuiv"]),
            ("Russian artillery shelled Ukrainian trenches along the Kherson-Mykolaiv Oblast border.", vec!["-"]),
            ("Russian aviation struck Kodema and the area along the Kherson-Mykolaiv and Kherson-Dnipro borders.", vec!["Kodema"]),
            ("Russian troops attacked Kodema from the direction of Horlivka.", vec!["Kodema"]),
            ("Fighting from near Bakhmut toward Kodema went on overnight.", vec!["Kodema"]),
        ] {
            let (found, _) = events(sentence, published);
            assert_eq!(mentions(&found), want, "{sentence}");
        }
    }

    #[test]
    fn a_separatist_republic_is_no_place() {
        let published = Some(day(2022, 6, 1));
        let (found, _) = events("Heavy fighting continued, with Donetsk People's Republic officials claiming gains.", published);
        assert_eq!(mentions(&found), ["-"]);
        let (found, _) = events("Russian artillery shelled Kupiansk, the Luhansk People's Republic militia said.", published);
        assert_eq!(mentions(&found), ["Kupiansk"]);
    }

    #[test]
    fn each_verb_tells_its_own_places_and_one_place_takes_the_most_direct_type() {
        let published = Some(day(2022, 6, 1));
        let (found, _) = events("Russian forces shelled Kupiansk and launched an airstrike on Balakliia.", published);
        let got: Vec<(&str, EventType)> = found.iter().map(|e| (e.place.as_ref().unwrap().mention.as_str(), e.event.event_type)).collect();
        assert_eq!(got, [("Kupiansk", EventType::Shelling), ("Balakliia", EventType::AirStrike)]);
        let (found, _) = events("Russian forces shelled and then captured Pisky.", published);
        let got: Vec<(&str, EventType)> = found.iter().map(|e| (e.place.as_ref().unwrap().mention.as_str(), e.event.event_type)).collect();
        assert_eq!(got, [("Pisky", EventType::TerritoryTaken)]);
    }

    #[test]
    fn analysis_that_names_a_happening_is_no_event() {
        let published = Some(day(2022, 6, 1));
        for sentence in [
            // A verb of reporting introduces a clause; it does not make its nouns happen.
            "The General Staff reported that Moscow will probably send more reserves toward the Izium axis of advance.",
            // A verb of happening far before the noun describes something else.
            "The continued ability of the battered defenders of the city to mount small local counterattacks suggests the enemy cannot bypass Kharkiv.",
            // A verb coordinated with an intention is an intention too.
            "They might alternatively try to encircle and destroy the garrison at Lysychansk.",
            // A compound adjective and a derived noun are no verbs.
            "Officials planned the reopening of schools in the Russian-occupied parts of Kherson Oblast.",
            "Moscow's efforts to generate reinforcements for Donetsk Oblast produced few troops.",
            // A participle coordinated with another before its noun describes it.
            "Russian units stayed in isolated or encircled positions near Bashtanka.",
        ] {
            let (found, _) = events(sentence, published);
            assert!(found.is_empty(), "{sentence}: {found:?}");
        }
        // A perfect with its object is a verb, not a participle describing a noun.
        let (found, _) = events("Russian commanders have reportedly redeployed forces to Izium.", published);
        assert_eq!(found.first().map(|e| e.event.event_type), Some(EventType::StrategicDevelopment));
    }

    #[test]
    fn violence_against_civilians_is_flagged() {
        let published = Some(day(2022, 6, 1));
        for (sentence, want) in [
            ("Russian rockets struck a residential area of Chuhuiv, killing two civilians.", true),
            ("Russian artillery shelled a hospital in Kupiansk overnight.", true),
            ("Russian artillery shelled Ukrainian positions near Kupiansk.", false),
            ("Civilians watched as Russian units moved north toward Kupiansk.", false),
        ] {
            let (found, _) = events(sentence, published);
            assert_eq!(found.first().map(|e| e.civilian_targeting), Some(want), "{sentence}");
        }
    }

    #[test]
    fn no_event_is_dated_after_publication() {
        let published = Some(day(2022, 5, 20));
        let (found, _) = events("Russian artillery shelled Kupiansk ahead of the ceasefire talks planned for June 3, 2022.", published);
        let date = found[0].date.as_ref().unwrap();
        assert_eq!((date.from, date.to, date.from_text), (day(2022, 5, 20), day(2022, 5, 20), DateSource::Publication));
        let (found, _) = events("Russian artillery shelled Kupiansk on May 18.", published);
        let date = found[0].date.as_ref().unwrap();
        assert_eq!((date.from, date.from_text), (day(2022, 5, 18), DateSource::Sentence), "a day without a year is the one before publication");
    }

    #[test]
    fn certainty_follows_the_cues_on_the_shared_scale() {
        let cases = [
            ("Russian forces shelled Kherson.", Certainty::Asserted),
            ("Russian forces reportedly shelled Kherson.", Certainty::Reported),
            ("Russian forces likely captured Lyman.", Certainty::Assessed),
            ("Geolocated footage shows Russian forces shelling Kherson.", Certainty::Confirmed),
            ("Local officials stated that Russian forces shelled Kherson.", Certainty::Claimed),
            ("The Russian MoD claimed that its troops captured Lyman, though ISW cannot independently verify this claim.", Certainty::Unconfirmed),
            ("The Russian MoD falsely claimed that its troops captured Lyman.", Certainty::Denied),
        ];
        for (sentence, want) in cases {
            let (found, _) = events(sentence, Some(day(2022, 6, 1)));
            assert_eq!(found.first().map(|e| e.certainty), Some(want), "{sentence}");
        }
    }

    #[test]
    fn words_of_other_senses_aims_and_adjectives_tell_no_event() {
        let published = Some(day(2022, 6, 1));
        for sentence in [
            "A commercial satellite (see the annex) captured a column of trucks near Kodema.",
            "Occupation officials keep issuing new passports in occupied districts of Kherson Oblast.",
            "Russian commanders continue to struggle with replacing heavy losses.",
            "Russian units did not attack Kodema and continue to face fuel shortages.",
            "Kodema has been heavily fortified since the spring.",
            "Several Russian battalions are concentrated near Kodema.",
            "Russian losses near Kodema were heavy but are continuing to mount.",
        ] {
            let (found, _) = events(sentence, published);
            assert!(found.is_empty(), "{sentence}: {found:?}");
        }
        let (found, _) = events("Russian units abandoned their attempts to storm Kodema on Monday.", published);
        assert!(found.iter().all(|e| e.event.event_type != EventType::Withdrawal), "an aim given up is no ground given up: {found:?}");
    }

    #[test]
    fn aspect_verbs_and_verbs_of_happening_after_to_tell_their_events() {
        let published = Some(day(2022, 6, 1));
        for (sentence, want, place) in [
            ("Russian units kept assembling near Vershyna on Monday.", EventType::StrategicDevelopment, "Vershyna"),
            ("Russian units continued to conduct assaults on Kodema.", EventType::Battle, "Kodema"),
            ("Russian units pressed on as they continue assaults on Kodema.", EventType::Battle, "Kodema"),
        ] {
            let (found, _) = events(sentence, published);
            let got: Vec<(EventType, &str)> = found.iter().map(|e| (e.event.event_type, e.place.as_ref().map_or("-", |p| p.mention.as_str()))).collect();
            assert_eq!(got, [(want, place)], "{sentence}");
        }
    }

    #[test]
    fn the_city_and_the_capital_refer_to_settlements_named_before() {
        let published = Some(day(2022, 6, 1));
        let (found, _) = events("Russian artillery shelled Kupiansk on Monday. Russian units then attacked the city from the east.", published);
        let second: Vec<&str> =
            found.iter().filter(|e| e.event.event_type == EventType::Battle).filter_map(|e| e.place.as_ref()).map(|p| p.name.as_str()).collect();
        assert_eq!(second.len(), 1);
        assert!(second[0].starts_with("Kup"), "{second:?}");
        let (found, _) = events("Fighting went on near Kyiv and Irpin. Russian rockets struck positions north of the capital.", published);
        let shelled: Vec<(&str, u8)> = found
            .iter()
            .filter(|e| e.event.event_type == EventType::Shelling)
            .filter_map(|e| e.place.as_ref())
            .map(|p| (p.name.as_str(), p.precision))
            .collect();
        assert_eq!(shelled, [("Kyiv", 2)], "the largest city named before, near it");
    }

    #[test]
    fn a_list_shares_what_is_said_before_it_and_a_distance_segment_only_locates() {
        let published = Some(day(2022, 6, 1));
        let (found, _) = events("Russian units attacked toward Kodema and Vershyna.", published);
        let precisions: Vec<u8> = found.iter().filter_map(|e| e.place.as_ref()).map(|p| p.precision).collect();
        assert_eq!(precisions, [2, 2]);
        for (sentence, want) in [
            ("Ukrainian units repelled assaults on Kodema, some 15 km east of Bakhmut in the direction of Horlivka.", vec!["Kodema"]),
            ("Russian units shelled Kodema in preparation for an assault on Bakhmut.", vec!["Kodema"]),
            ("Russian units continued attacks in eastern Ukraine (continuing to focus on Kodema and Vershyna).", vec!["Kodema", "Vershyna"]),
            ("Ukrainian units liberated an unnamed hamlet, and that Russian units are fighting in Vershyna.", vec!["Vershyna"]),
        ] {
            let (found, _) = events(sentence, published);
            assert_eq!(mentions(&found), want, "{sentence}");
        }
        let (found, _) = events("Ukrainian units liberated an unnamed hamlet, and that Russian units are fighting in Vershyna.", published);
        assert_eq!(found.iter().map(|e| e.event.event_type).collect::<Vec<_>>(), [EventType::Battle], "the capture has no place of its own");
    }

    #[test]
    fn owners_sources_and_typed_oblasts_are_read_as_such() {
        let published = Some(day(2022, 6, 1));
        let (found, _) = events("Elements of Russia's 5th Army moved to Kupiansk on Sunday.", published);
        assert_eq!(mentions(&found), ["Kupiansk"], "a possessive names an owner");
        let (found, _) = events("Russian units massed in Ukraine's east on Sunday.", published);
        assert_eq!(mentions(&found), ["Ukraine"], "after a preposition the possessive is a place");
        let (found, _) = events("The Kharkiv Oblast Administration reported that Russian units shelled an unnamed village.", published);
        assert_eq!(mentions(&found), ["-"], "a place inside the source's name is none of the event's");
        let (found, _) = events("Russian units massed in Belgorod Oblast on Sunday.", published);
        assert_eq!(found[0].place.as_ref().map(|p| p.precision), Some(4), "a name with its type word is the oblast");
    }

    #[test]
    fn forces_moved_to_a_place_go_there_and_fire_goes_nowhere() {
        let published = Some(day(2022, 6, 1));
        let (found, _) = events("Russian commanders moved two battalions to the area around Kreminna and Rubizhne.", published);
        assert_eq!(mentions(&found), ["Kreminna", "Rubizhne"], "a destination is no aim");
        let (found, _) = events("Russian artillery shelled Kupiansk, cutting the road to Kharkiv.", published);
        assert_eq!(mentions(&found), ["Kupiansk"], "a road's end is no place of the shelling");
        let (found, _) = events("Russian units massed to the north of Izium around Balakliia and Savyntsi.", published);
        assert_eq!(mentions(&found), ["Balakliia", "Savyntsi"], "a direction's town only points to the places around");
        let (found, _) = events("A Belarusian brigade deployed to Kobryn, near Brest, on Sunday.", published);
        assert_eq!(mentions(&found), ["Kobryn"], "a town near which another lies locates it");
        let (found, _) = events("On Monday, Ukrainian units attacked in the south of the country near Kherson.", published);
        assert_eq!(mentions(&found), ["Kherson"], "near after a long clause is where it happened");
    }

    #[test]
    fn ground_secured_is_taken_and_supplies_secured_are_not() {
        let published = Some(day(2022, 6, 1));
        let (found, _) = events("Russian units secured positions on the outskirts of Kodema on Monday.", published);
        assert_eq!(found.first().map(|e| e.event.event_type), Some(EventType::TerritoryTaken), "{found:?}");
        for sentence in ["Ukrainian defenders in Kodema secured enough fuel for a month.", "The ministry claimed to have secured air superiority over Kodema."]
        {
            let (found, _) = events(sentence, published);
            assert!(found.iter().all(|e| e.event.event_type != EventType::TerritoryTaken), "{sentence}: {found:?}");
        }
    }

    #[test]
    fn a_statement_date_dates_the_claim_and_the_event_keeps_its_own() {
        let published = Some(day(2022, 6, 1));
        let (found, _) = events("The General Staff reported on May 31 that Russian artillery shelled Kupiansk on May 29.", published);
        assert_eq!(found[0].date.as_ref().map(|d| d.from), Some(day(2022, 5, 29)));
        let (found, _) = events("The General Staff reported on May 31 that Russian artillery is shelling Kupiansk.", published);
        assert_eq!(found[0].date.as_ref().map(|d| d.from), Some(day(2022, 5, 31)), "the only date the sentence gives");
    }

    #[test]
    fn misspelt_settlements_and_directions_settle_places() {
        let reader = crate::tests::reader();
        let read = |text: &str| {
            let reading = reader.read(&crate::Report::text("t", text));
            reading.events.iter().filter_map(|e| e.place.as_ref().map(|p| p.id.clone())).collect::<Vec<_>>()
        };
        // One letter too many, beside a town named in the sentence.
        assert_eq!(read("Russian troops shelled Lysychansk and attacked Kreminnaa on Monday."), ["geonames:702972", "geonames:704138"]);
        // No settlement around it: a town of the report's country one edit away.
        let far = read("Fighting went on in Kharkiv. Rain fell. Roads flooded. Later, rocket strikes hit a base in Melitopoll.");
        assert_eq!(far.last().map(String::as_str), Some("geonames:701404"));
        // A word of the lists is never read as a misspelt town.
        assert_eq!(read("Russian troops shelled Lysychansk and attacked Western positions."), ["geonames:702972"]);
        // "X, north-east of Y": the one of X's homonyms that lies that way from Y.
        assert_eq!(read("Separatist units shelled Hranitne, north-east of Mariupol, overnight."), ["geonames:708195"]);
    }

    #[test]
    fn sides_of_proxies_states_and_defended_attacks() {
        let published = Some(day(2022, 6, 1));
        for (sentence, want) in [
            ("DNR units claimed to capture Kodema on Monday.", Side::Russia),
            ("Russia deployed additional units to Kupiansk.", Side::Russia),
            ("Ukrainian units repulsed attacks on Kodema.", Side::Russia),
            ("The Ukrainian General Staff reported that Belarusian units moved toward Mozyr.", Side::Russia),
            ("Russian air and artillery strikes hit Kodema overnight.", Side::Russia),
            ("Ukraine's 93rd Brigade reported destroying a Russian tank near Kodema.", Side::Ukraine),
        ] {
            let (found, _) = events(sentence, published);
            assert_eq!(found.first().and_then(|e| e.event.actor.as_ref()).and_then(|a| a.side), Some(want), "{sentence}: {found:?}");
        }
    }
}
