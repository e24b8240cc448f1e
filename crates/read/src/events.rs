//! Events: what happened, who did it, where and when, sentence by sentence.
//!
//! A sentence holds an event when it has a trigger word of the taxonomy below (after ACLED's
//! event types, with neutral wording for a war between states, and a PLOVER crosswalk). Its
//! actor is the side the sentence's words name before the trigger ("Ukrainian forces",
//! "Russia's troops", a numbered unit), its place the most precise place the sentence names,
//! its date the sentence's own date or the publication date, and its source and certainty
//! those of the sentence's claim, or the report's own voice.

use std::sync::OnceLock;

use regex::Regex;
use serde::Serialize;

use crate::Side;

/// What kind of event, after ACLED's taxonomy for an interstate war.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    /// Armed clash, offensive, assault.
    Battle,
    /// One side takes ground the other held.
    TerritoryTaken,
    /// One side withdraws, pulls back or regroups away from ground it held.
    Withdrawal,
    /// Shelling, artillery, rockets, missiles.
    Shelling,
    /// Air or drone strike.
    AirStrike,
    /// Troop movements, redeployments, and assessments of the situation.
    StrategicDevelopment,
}

impl EventType {
    /// Every type, in the order maps list them.
    pub const ALL: [EventType; 6] =
        [EventType::Battle, EventType::TerritoryTaken, EventType::Withdrawal, EventType::Shelling, EventType::AirStrike, EventType::StrategicDevelopment];

    /// The PLOVER category (and mode) this type maps to.
    pub fn plover(self) -> &'static str {
        match self {
            EventType::Battle => "FIGHT",
            EventType::TerritoryTaken => "FIGHT:occupy-territory",
            EventType::Withdrawal => "RETREAT",
            EventType::Shelling => "FIGHT:artillery",
            EventType::AirStrike => "FIGHT:aerial",
            EventType::StrategicDevelopment => "MOBILIZE",
        }
    }
}

/// A side of the war, or a named unit of one.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    /// As the report names it ("Ukrainian forces", "the 92nd Separate Mechanised Battalion").
    pub name: String,
    /// The side it is on, when known.
    pub side: Option<Side>,
}

/// An event read from one sentence.
#[derive(Debug, Clone, Serialize)]
pub struct EventMention {
    /// Start of the range of the sentence: the evidence. Bytes as this module returns it; a [`crate::Reading`] turns it into a Unicode scalar offset.
    pub start: usize,
    /// End of the range (exclusive), in the same unit.
    pub end: usize,
    /// What happened.
    pub event_type: EventType,
    /// PLOVER crosswalk.
    pub plover: &'static str,
    /// The trigger word as written.
    pub trigger: String,
    /// Who did it.
    pub actor: Option<Actor>,
    /// The other side, when the sentence names it.
    pub target: Option<Actor>,
    /// For territory taken or given up: the side that held the ground before.
    pub held_before: Option<Side>,
    /// For territory taken: the side that holds it after; for a withdrawal, unknown.
    pub held_after: Option<Side>,
}

/// Trigger patterns, in order of precedence where two start at the same word.
fn triggers() -> &'static [(EventType, Regex)] {
    static T: OnceLock<Vec<(EventType, Regex)>> = OnceLock::new();
    T.get_or_init(|| {
        let re = |p: &str| Regex::new(&format!(r"(?i)(?-u:\b)(?:{p})(?-u:\b)")).expect("trigger patterns compile");
        vec![
            (EventType::Withdrawal, re(r"withdr[ae]w\w*|pull(?:ed|ing)?\ back|pulling\ back|retreat\w*|regroup\w*|fled|fleeing|abandon\w*")),
            (
                EventType::TerritoryTaken,
                re(r"recaptur\w*|retook|retaken|liberat\w*|captur\w*|seized|took\ control|taken\ control|entered|entering|overran|overrun|occupied|surrounded|encircled|hoisted"),
            ),
            (EventType::AirStrike, re(r"air\ ?strikes?|airstrikes?|drone\ strikes?|drones?|bombed|bombing|air\ raids?")),
            (EventType::Shelling, re(r"shell(?:ed|ing|s)|artillery(?:men)?|rockets?|missiles?|mortars?|MLRS|HIMARS|howitzers?|(?:prepare|ready|readies)\ to\ fire")),
            (
                EventType::Battle,
                re(r"fighting|clash\w*|battles?|attack\w*|assaults?|offensives?|counter-offensive|counteroffensive|repell?\w*|punched\ through|broke\ through|pushed|advanc\w*|gains|destroy\w*|eliminat\w*|defeat\w*|knocked\ out|killed|wounded|lost\ (?:up\ to|more\ than|over|about)?\ ?\d"),
            ),
            (EventType::StrategicDevelopment, re(r"moved|redeploy\w*|reinforc\w*|deploy\w*|isolated|pressured|troop\ movements?|supply\ lines")),
        ]
    })
}

/// Words after a nationality that make it an actor ("Ukrainian forces").
fn actor_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)(?-u:\b)(?:(?P<nat>Ukrainian|Russian|Ukraine['’]s|Russia['’]s|pro-Russian|pro-Kremlin|RF)\s+(?P<what>forces|troops|army|military|soldiers|units|artillerymen|artillery|defen[cs]e\ forces|armed\ forces|forces['’])|Armed\ Forces\ of\ (?P<of>Ukraine|the\ Russian\ Federation)|(?:the\ )?(?P<people>Russians|Ukrainians|invaders|occupiers)|(?P<unit>\d+(?:st|nd|rd|th)\s+(?:[A-Z][a-z]+\s+){0,3}(?:Brigade|Battalion|Regiment|Division|Army|Corps|brigade|battalion|regiment|division)))(?-u:\b)",
        )
        .expect("the actor pattern compiles")
    })
}

fn side_of(nationality: &str) -> Option<Side> {
    let n = nationality.to_lowercase();
    if n.starts_with("ukrain") {
        Some(Side::Ukraine)
    } else if n.starts_with("russia") || n.starts_with("pro-") || n.starts_with("the russian") || n == "rf" {
        Some(Side::Russia)
    } else if n == "invaders" || n == "occupiers" {
        // Ukrainian reports' words for Russian forces.
        Some(Side::Russia)
    } else {
        None
    }
}

/// The event a sentence holds, if any.
pub fn find(sentence: &str) -> Option<(EventType, regex::Match<'_>)> {
    static SET: OnceLock<regex::RegexSet> = OnceLock::new();
    let set = SET.get_or_init(|| regex::RegexSet::new(triggers().iter().map(|(_, re)| re.as_str())).expect("the trigger set compiles"));
    // One pass says which types occur. The earliest trigger that states something that
    // happened (not "to retake", "could strike") wins: news puts the main clause first
    // ("troops were moved south, helping Ukrainian advances"); at the same place, the type
    // listed first.
    set.matches(sentence)
        .iter()
        .filter_map(|k| {
            let (t, re) = &triggers()[k];
            re.find_iter(sentence).find(|m| !hypothetical(sentence, m.start())).map(|m| (k, *t, m))
        })
        .min_by_key(|(k, _, m)| (m.start(), *k))
        .map(|(_, t, m)| (t, m))
}

/// True when the words before byte `at` make what follows a plan or a possibility: an
/// infinitive ("plans to retake") or a modal of possibility ("could strike", "may collapse").
fn hypothetical(sentence: &str, at: usize) -> bool {
    let before = sentence[..at].trim_end();
    let last = before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("").to_lowercase();
    matches!(last.as_str(), "to" | "could" | "may" | "might" | "can" | "cannot" | "would-be")
}

/// The actors a sentence names, in order: (byte offset in the sentence, actor).
pub fn actors(sentence: &str) -> Vec<(usize, Actor)> {
    actor_pattern()
        .captures_iter(sentence)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let nationality = c.name("nat").or_else(|| c.name("of")).or_else(|| c.name("people"));
            let (name, side) = match (c.name("unit"), nationality) {
                (Some(u), _) => (u.as_str().to_owned(), side_of_unit(sentence)),
                (None, Some(n)) => (whole.as_str().to_owned(), side_of(n.as_str())),
                (None, None) => return None,
            };
            Some((whole.start(), Actor { name, side }))
        })
        .collect()
}

/// A numbered unit's side, from a nationality or country named anywhere in its sentence.
fn side_of_unit(sentence: &str) -> Option<Side> {
    let lower = sentence.to_lowercase();
    match (lower.contains("ukrain"), lower.contains("russia")) {
        (true, false) => Some(Side::Ukraine),
        (false, true) => Some(Side::Russia),
        _ => None,
    }
}

/// Builds the event of a sentence at byte `offset` of the text, if it holds one.
pub fn read_sentence(sentence: &str, offset: usize) -> Option<EventMention> {
    let (event_type, trigger) = find(sentence)?;
    let actors = actors(sentence);
    // The actor is named before the trigger ("Ukrainian forces entered"); failing that, after
    // it ("an offensive by Russian troops").
    let actor = actors.iter().rev().find(|(at, _)| *at < trigger.start()).or_else(|| actors.first()).map(|(_, a)| a.clone());
    let target = actors.iter().map(|(_, a)| a).find(|a| a.side.is_some() && actor.as_ref().is_some_and(|x| x.side.is_some() && x.side != a.side)).cloned();
    let mut event = EventMention {
        start: offset,
        end: offset + sentence.len(),
        event_type,
        plover: event_type.plover(),
        trigger: trigger.as_str().to_owned(),
        actor,
        target,
        held_before: None,
        held_after: None,
    };
    event.set_holders();
    Some(event)
}

impl EventMention {
    /// Who held the ground before and after, from the actor's side: ground taken was the
    /// other side's; ground given up was the actor's.
    pub fn set_holders(&mut self) {
        let side = self.actor.as_ref().and_then(|a| a.side);
        (self.held_before, self.held_after) = match (self.event_type, side) {
            (EventType::TerritoryTaken, Some(s)) => (Some(s.opponent()), Some(s)),
            (EventType::Withdrawal, Some(s)) => (Some(s), None),
            _ => (None, None),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(s: &str) -> Option<(EventType, Option<Side>, Option<Side>)> {
        read_sentence(s, 0).map(|e| (e.event_type, e.actor.and_then(|a| a.side), e.target.and_then(|a| a.side)))
    }

    #[test]
    fn types_and_sides() {
        assert_eq!(
            event("Ukrainian troops entered the village after Russian forces left."),
            Some((EventType::TerritoryTaken, Some(Side::Ukraine), Some(Side::Russia)))
        );
        assert_eq!(event("Russian artillery shelled the town overnight."), Some((EventType::Shelling, Some(Side::Russia), None)));
        assert_eq!(event("A drone strike hit the depot."), Some((EventType::AirStrike, None, None)));
        assert_eq!(event("The 25th brigade of Ukraine's army repelled an assault."), Some((EventType::Battle, Some(Side::Ukraine), None)));
        assert_eq!(event("The weather was cold."), None);
        assert_eq!(event("Officials kept quiet about their plans to retake the city."), None, "a plan is not an event");
        assert_eq!(event("Russian forces could attack from the north."), None, "a possibility is not an event");
    }
}
