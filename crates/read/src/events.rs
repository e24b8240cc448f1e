//! Events: what happened, who did it, where and when, sentence by sentence.
//!
//! A sentence holds an event when it has a trigger word of the taxonomy below (after ACLED's
//! event types, with neutral wording for a war between states, and a PLOVER crosswalk). Its
//! actor is the side the sentence's words name before the trigger ("Ukrainian forces",
//! "Russia's troops", a numbered unit); [`crate::event_readings`] gives it its places, date,
//! source and certainty.

use std::sync::OnceLock;

use crate::pattern::Regex;
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
    /// Where the trigger starts, in bytes of the text (for finding the places it governs).
    #[serde(skip)]
    pub trigger_start: usize,
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
        let re = |p: &str| crate::pattern::regex(&format!(r"(?i-u)\b(?:{p})\b")).expect("trigger patterns compile");
        vec![
            (EventType::Withdrawal, re(r"withdr[ae]w\w*|pull(?:ed|ing)?\ back|pulling\ back|retreat\w*|regroup\w*|fled|fleeing|abandon\w*")),
            (
                EventType::TerritoryTaken,
                re(r"recaptur\w*|retook|retaken|liberat\w*|captur\w*|seized|seizing|took\ (?:control|over)|taken\ control|established\ control|cleared|entered|entering|overran|overrun|occupied|hoisted|raised\ the\ flag|consolidat(?:ed|ing|e)\ (?:their\ |its\ )?control|secur(?:ed|ing)"),
            ),
            (EventType::AirStrike, re(r"air\ ?strikes?|airstrikes?|drone\ strikes?|drones?|bombed|bombing|air\ raids?|aviation|helicopters?|aircraft|shot\ down|downed")),
            (
                EventType::Shelling,
                re(r"shell(?:ed|ing|s)?|artillery(?:men)?|rockets?|missiles?|mortars?|MLRS|HIMARS|howitzers?|(?:prepare|ready|readies)\ to\ fire|fired|fire\ on|firing|bombard\w*|struck|strikes?|striking|targeted|targeting|explosions?"),
            ),
            (
                EventType::Battle,
                re(r"reconnaissance[-\ ]in[-\ ]force|fighting|fought|clash\w*|battles?|attack\w*|counterattack\w*|assault(?:s|ed|ing)?|offensives?|counter-offensive|counteroffensive|repell?\w*|repuls\w*|punched\ through|broke\ through|pushed|advanc\w*|gains|destroy\w*|eliminat\w*|defeat\w*|knocked\ out|killed|wounded|injured|dead|died|losses|lost\ (?:up\ to|more\ than|over|about)?\ ?\d|encircl\w*|surround\w*|besieg\w*|infiltrat\w*"),
            ),
            (
                EventType::StrategicDevelopment,
                re(r"moved|moving|redeploy\w*|reinforc\w*|deploy\w*|isolated|pressured|troop\ movements?|supply\ lines|concentrat(?:ed|ing)|fortif\w*|transferr\w*|redirect\w*|divert\w*|assembl\w*|rotat(?:ed|ing)|mass(?:ed|ing)|exercises?|reconnaissance|convoys?|columns?|training\ (?:cent(?:er|re)s?|camps?|grounds?)|(?:out\ of|from)\ (?:long-term\ )?storage|mining|minefields?"),
            ),
        ]
    })
}

/// Words after a nationality that make it an actor ("Ukrainian forces").
fn actor_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        crate::pattern::regex(
            r"(?i)(?-u:\b)(?:(?P<nat>Ukrainian|Russian|Ukraine['’]s|Russia['’]s|pro-Russian|pro-Kremlin|RF)\s+(?:(?:and|light|heavy|ground|airborne|proxy|DNR|LNR|special|regular|naval|air|occupation|separatist|elite|mechani[sz]ed|motori[sz]ed|other|remaining|additional|unspecified|assault|reserve)\s+){0,3}(?P<what>forces|troops|army|military|soldiers|units|artillerymen|artillery|aviation|proxies|defen[cs]e\ forces|armed\ forces|forces['’])|Armed\ Forces\ of\ (?P<of>Ukraine|the\ Russian\ Federation)|(?:the\ )?(?P<people>Russians|Ukrainians|invaders|occupiers)|(?P<proxy>(?:DNR|LNR|Wagner|Belarusian|Belarussian|Chechen|Rosgvardia|separatist|proxy)\s+(?:[\w-]+\s+){0,2}?(?:forces|troops|units|fighters|militia|detachments|Group|Armed\ Forces)|Wagner\ Group|Kadyrovites)|(?P<unit>\d+(?:st|nd|rd|th)\s+(?:[A-Z][a-z]+\s+){0,3}(?:Brigade|Battalion|Regiment|Division|Army|Corps|brigade|battalion|regiment|division)))(?-u:\b)",
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

/// The events a sentence holds: every trigger that `judge` accepts (the caller's
/// [`crate::modality::classify`] on a byte range: "to retake", "could strike", "did not attack"
/// are no events), in text order, at one position the type listed first, each with what
/// `judge` said of it. A trigger used as a noun or an adjective ("Russian offensive
/// operations", "the capture of", "occupied areas", "heavy artillery") tells a happening only
/// through a verb of happening near it in its clause that `judge` accepts ("conducted ground
/// assaults", "fighting occurred"), and never when something is only prepared or aimed at
/// ("preparing for an offensive").
///
/// A headline (`headline`: a line with no closing stop, "Strike on Kupiansk: two dead") names
/// its happening with a noun: there a noun trigger needs no verb.
pub fn find_all<T>(
    sentence: &str,
    headline: bool,
    mut judge: impl FnMut(std::ops::Range<usize>) -> Option<T>,
) -> Vec<(EventType, crate::pattern::Match<'_>, T)> {
    // Every trigger, in text order: each type's pattern searched for on its own, so that its
    // literal prefilter passes over a sentence without its words at once.
    let mut found: Vec<(usize, EventType, crate::pattern::Match<'_>)> =
        triggers().iter().enumerate().flat_map(|(k, (event_type, re))| re.find_iter(sentence).map(move |m| (k, *event_type, m))).collect();
    found.sort_by_key(|(k, _, m)| (m.start(), *k));
    found.dedup_by_key(|(_, _, m)| m.start());
    // A verb of happening can serve several nouns of its clause: a range judged no event is
    // not judged again.
    let mut rejected: Vec<std::ops::Range<usize>> = Vec::new();
    let mut judge = |r: std::ops::Range<usize>| {
        if rejected.contains(&r) {
            return None;
        }
        let verdict = judge(r.clone());
        if verdict.is_none() {
            rejected.push(r);
        }
        verdict
    };
    // A verb joined to a rejected one by "and"/"or" alone shares its verb group: "may seek to
    // encircle and destroy them" is no more an event for "destroy".
    let mut rejected_verb_end: Option<usize> = None;
    let mut events = Vec::new();
    for (_, event_type, m) in found {
        if other_sense(sentence, &m) {
            continue;
        }
        let class = word_class(sentence, &m);
        if class == WordClass::Adjective {
            continue;
        }
        let verdict = if class == WordClass::Verb {
            let verdict = if rejected_verb_end.is_some_and(|end| coordinated(&sentence[end.min(m.start())..m.start()])) { None } else { judge(m.range()) };
            if verdict.is_none() {
                rejected_verb_end = Some(m.end());
            }
            verdict
        } else {
            let clause_start = sentence[..m.start()].rfind(';').map_or(0, |i| i + 1);
            let clause_end = sentence[m.end()..].find(';').map_or(sentence.len(), |i| m.end() + i);
            let aimed = aim().is_match(&sentence[verb_group_floor(sentence, m.start())..m.start()]);
            if aimed {
                None
            } else if headline {
                judge(m.range())
            } else {
                happening()
                    .find_iter(&sentence[clause_start..clause_end])
                    .map(|h| clause_start + h.start()..clause_start + h.end())
                    .filter(|h| serves(sentence, h, &m.range()))
                    .find_map(&mut judge)
            }
        };
        if let Some(v) = verdict {
            events.push((event_type, m, v));
        }
    }
    events
}

/// True when a trigger word is used in a sense outside the taxonomy: a camera or a satellite
/// that "captured" a convoy took its picture; forces that "abandoned efforts to encircle" a
/// city gave up an aim, not ground; forces that "secured supplies" took no ground; "the
/// surrounding villages" lie around something; forces that "are concentrated" or a city that
/// "has been fortified" are in a state.
fn other_sense(sentence: &str, m: &crate::pattern::Match<'_>) -> bool {
    static PICTURE: OnceLock<Regex> = OnceLock::new();
    static AIM: OnceLock<Regex> = OnceLock::new();
    let word = m.as_str().to_lowercase();
    // The words before, without a parenthesis that ends right there ("imagery (see below) captured").
    let mut before = sentence[..m.start()].trim_end();
    if before.ends_with(')') {
        before = before[..before.rfind('(').unwrap_or(before.len())].trim_end();
    }
    let previous = before.rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or("").to_lowercase();
    let after = &sentence[m.end()..];
    let picture = PICTURE.get_or_init(|| {
        crate::pattern::regex(r"^(?:imagery|images?|footage|videos?|photos?|photographs?|cameras?|satellites?)$").expect("the picture pattern compiles")
    });
    let aim = AIM.get_or_init(|| {
        crate::pattern::regex(r"(?i-u)^\s+(?:(?:its|their|the|any|all|most|some)\s+)?(?:\w+\s+)?(?:efforts?|attempts?|plans?|hopes?|goals?|aims?|objectives?|operations|attacks|assaults|offensives?|ideas?)\b").expect("the given-up pattern compiles")
    });
    // "are concentrated on the axis", "has been heavily fortified": a state, not a change.
    let be_before = sentence[..m.start()]
        .split(|c: char| !c.is_alphanumeric())
        .rev()
        .filter(|w| !w.is_empty())
        .find(|w| !w.ends_with("ly"))
        .is_some_and(|w| matches!(w.to_lowercase().as_str(), "is" | "are" | "was" | "were" | "been" | "be" | "remain" | "remains" | "remained"));
    let state = matches!(word.as_str(), "concentrated" | "fortified" | "isolated" | "stationed") && be_before;
    // "secured positions", "secured Kodema": ground; "secured supplies", "secured air
    // supremacy": something else.
    static GROUND: OnceLock<Regex> = OnceLock::new();
    let ground = GROUND.get_or_init(|| {
        crate::pattern::regex(r"^\s+(?:(?i:their|its|the|new|further|additional|several|some)\s+)?(?:(?i:positions|control|territory|ground|areas?|outskirts|bridgeheads?|heights|settlements?|villages?|towns?)\b|[A-Z][a-z])")
            .expect("the ground pattern compiles")
    });
    let not_ground = word.starts_with("secur") && !ground.is_match(after);
    state
        || not_ground
        || (word.starts_with("captur") && picture.is_match(&previous))
        || (word.starts_with("abandon") && aim.is_match(after))
        || (word == "surrounding" && matches!(previous.as_str(), "the" | "its" | "their" | "and"))
}

/// Most words between a verb of happening and the noun after it that it tells of ("conducted
/// unsuccessful ground assaults": two). A verb after its noun tells of its subject, however
/// long ("Fighting along the road from X toward Y continued").
const HAPPENING_REACH: usize = 8;

/// True when the verb of happening at `verb` can tell of the noun at `noun`: no "that" stands
/// between them (a verb of reporting introduces a clause; it does not make that clause's nouns
/// happen: "reported that Russia will deploy more reserves to the axis of advance"), and a verb
/// before its noun is at most [`HAPPENING_REACH`] words from it.
fn serves(sentence: &str, verb: &std::ops::Range<usize>, noun: &std::ops::Range<usize>) -> bool {
    let before = verb.end <= noun.start;
    let between = if before { &sentence[verb.end..noun.start] } else { &sentence[noun.end..verb.start.max(noun.end)] };
    let words: Vec<&str> = between.split_whitespace().collect();
    // "continue to face difficulties replacing losses", "resuming operations to advance": the
    // verb governs the infinitive after "to", or "to" ties the noun to another word; only a
    // bare "attempted to advance" tells of the word after it.
    // A verb of happening after "to" passes the happening on: "continued to conduct attacks".
    let passes_on = |w: &str| {
        matches!(
            w.to_lowercase().as_str(),
            "conduct" | "launch" | "carry" | "make" | "mount" | "stage" | "resist" | "repel" | "fight" | "use" | "resume" | "intensify"
        )
    };
    let governs_another =
        before && words.len() > 1 && words.iter().enumerate().any(|(i, w)| w.eq_ignore_ascii_case("to") && !words.get(i + 1).is_some_and(|n| passes_on(n)));
    // "as they continue assaults": the present tells of its noun only after its subject ("and
    // continue to face shortages" shares a subject named before).
    let subject_before = || {
        let previous = sentence[..verb.start].split_whitespace().next_back().unwrap_or("").to_lowercase();
        matches!(previous.as_str(), "they" | "forces" | "troops" | "units" | "we")
    };
    let bare_present = before && sentence[verb.clone()].eq_ignore_ascii_case("continue");
    // A verb after its noun is the noun's predicate, not one coordinated with an earlier verb
    // ("did not conduct operations toward X and continue to face shortages").
    let coordinated_after = !before && {
        let previous = sentence[..verb.start].split_whitespace().next_back().unwrap_or("").to_lowercase();
        matches!(previous.as_str(), "and" | "or" | "but" | "to") || words.iter().any(|w| w.eq_ignore_ascii_case("but"))
    };
    (!before || words.len() <= HAPPENING_REACH)
        && !governs_another
        && !coordinated_after
        && (!bare_present || subject_before())
        && !words.iter().any(|w| w.eq_ignore_ascii_case("that"))
}

/// True when `between`, the text between two verbs, only coordinates them: "and", "or", an
/// adverb ("encircle and then destroy", "shelled, and assaulted").
fn coordinated(between: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| crate::pattern::regex(r"(?i-u)^\s*,?\s*(?:and|or)\s+(?:(?:then|later|\w+ly)\s+)?$").expect("the coordination pattern compiles"))
        .is_match(between)
}

/// Verbs that say a named action happened: "conducted attacks", "fighting occurred".
fn happening() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        crate::pattern::regex(r"(?i-u)\b(?:conducted|conducting|launched|launching|carried\ out|resisted|resisting|continue|continued|continues|continuing|resumed|resuming|repelled|repulsed|occurred|took\ place|began|made|used|using|fought|attempted|renewed|intensified|undertook|reported|observed|spotted|recorded|suffered|sustained|mounted|staged|went\ on|lasted|hit|struck|targeted|killed|damaged|destroyed|halt|halted|stopped)(?-u:\b)")
            .expect("the happening pattern compiles")
    })
}

/// Words before a noun trigger that make it an aim, a plan or a capability.
fn aim() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        crate::pattern::regex(r"(?i-u)\b(?:prepar\w*|plan\w*|intend\w*|seek\w*|aim\w*|ready|readiness|threat\w*|capabilit\w*|capacity|conditions|will|would|could|may|might|future|possible|potential|next)(?-u:\b)")
            .expect("the aim pattern compiles")
    })
}

/// The start of the five words before byte `at`, not before the last comma.
fn verb_group_floor(sentence: &str, at: usize) -> usize {
    let head = &sentence[..at];
    let floor = head.rfind([',', ';', ':', '(', '—']).map_or(0, |i| i + head[i..].chars().next().map_or(1, char::len_utf8));
    let mut start = at;
    for (taken, (i, _)) in head[floor..].char_indices().rev().filter(|(_, c)| c.is_whitespace()).enumerate() {
        if taken == 5 {
            break;
        }
        start = floor + i;
    }
    if head[floor..start].split_whitespace().count() <= 1 {
        floor
    } else {
        start
    }
}

/// How a trigger is used: as a noun (a word that is only a noun — a weapon, "fighting",
/// "offensive" — unless a subject stands right before it ("Russia strikes Kyiv") or a form of
/// "be" ("are fighting"); any trigger after an article, a possessive, a preposition or a
/// nationality ("the capture", "Russian advances"); a participle before a noun it describes
/// ("destroyed infrastructure")), as an adjective (the second half of a compound,
/// "Russian-occupied"; a participle describing a noun after a determiner or preposition, "in
/// occupied territories"), else as a verb.
fn word_class(sentence: &str, m: &crate::pattern::Match<'_>) -> WordClass {
    let word = m.as_str().to_lowercase();
    // An adverb does not change the word's part of speech: "are increasingly shelling".
    let previous = sentence[..m.start()]
        .trim_end()
        .rsplit(|c: char| !c.is_alphanumeric() && c != '-')
        .map(str::to_lowercase)
        .find(|w| !w.ends_with("ly"))
        .unwrap_or_default();
    let subject = matches!(
        previous.as_str(),
        "forces" | "troops" | "units" | "russia" | "ukraine" | "russians" | "ukrainians" | "army" | "enemy" | "they" | "military" | "occupiers" | "invaders"
    );
    let determiner = crate::modality::DETERMINERS.contains(&previous.as_str())
        || matches!(
            previous.as_str(),
            "of" | "in"
                | "on"
                | "into"
                | "for"
                | "with"
                | "from"
                | "at"
                | "along"
                | "toward"
                | "towards"
                | "near"
                | "around"
                | "across"
                | "behind"
                | "within"
                | "russian"
                | "ukrainian"
                | "new"
                | "major"
                | "large"
                | "larger"
                | "small"
                | "further"
                | "future"
                | "heavy"
                | "other"
                | "all"
                | "recent"
                | "renewed"
                | "successful"
                | "unsuccessful"
                | "limited"
                | "ongoing"
                | "repeated"
                | "daily"
                | "ground"
                | "offensive"
                | "several"
                | "multiple"
                | "some"
                | "more"
        );
    let pure_noun = matches!(
        word.as_str(),
        "artillery"
            | "artillerymen"
            | "rocket"
            | "rockets"
            | "missile"
            | "missiles"
            | "mortar"
            | "mortars"
            | "mlrs"
            | "himars"
            | "howitzer"
            | "howitzers"
            | "drone"
            | "drones"
            | "aviation"
            | "helicopter"
            | "helicopters"
            | "aircraft"
            | "fighting"
            | "clash"
            | "clashes"
            | "battle"
            | "battles"
            | "offensive"
            | "offensives"
            | "counteroffensive"
            | "counter-offensive"
            | "assault"
            | "assaults"
            | "attack"
            | "attacks"
            | "losses"
            | "gains"
            | "explosion"
            | "explosions"
            | "exercise"
            | "exercises"
            | "reconnaissance"
            | "reconnaissance-in-force"
            | "reconnaissance in force"
            | "troop movement"
            | "troop movements"
            | "supply lines"
            | "strike"
            | "strikes"
            | "air strike"
            | "air strikes"
            | "airstrike"
            | "airstrikes"
            | "drone strike"
            | "drone strikes"
            | "air raid"
            | "air raids"
            | "bombing"
            | "shelling"
            | "capture"
            | "encirclement"
            | "advance"
            | "advances"
            | "counterattack"
            | "counterattacks"
            | "dead"
            | "fire on"
    );
    // "reinforcements", "the deployment", "infiltration", "withdrawals": nouns by their ending.
    let derived_noun = ["ment", "ments", "tion", "tions", "wal", "wals"].iter().any(|end| word.ends_with(end));
    // "Russian-occupied", "Ukrainian-held": the second half of a compound adjective.
    let compound = sentence[..m.start()].ends_with('-');
    // "isolated or encircled positions": a participle coordinated with another before the noun.
    let mut after = sentence[m.end()..].split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase);
    let next = match (after.next(), after.next(), after.next()) {
        (Some(joint), Some(participle), Some(noun)) if (joint == "or" || joint == "and") && participle.ends_with("ed") => noun,
        (first, ..) => first.unwrap_or_default(),
    };
    // "have reportedly redirected forces": a perfect, a verb with its object.
    let perfect = perfect_before().is_match(&sentence[..m.start()]);
    // "Russian units secured positions": after its subject a participle is the verb.
    let described = word.ends_with("ed")
        && !perfect
        && !subject
        && matches!(
            next.as_str(),
            "areas"
                | "area"
                | "territory"
                | "territories"
                | "positions"
                | "infrastructure"
                | "city"
                | "cities"
                | "regions"
                | "settlements"
                | "buildings"
                | "equipment"
                | "bridges"
                | "vehicles"
                | "towns"
                | "villages"
                | "oblasts"
                | "parts"
                | "ukraine"
                | "forces"
                | "units"
                | "servicemen"
                | "frontlines"
                | "lines"
        );
    // "are fighting", "were shelling": the progressive of a verb; "claimed to capture": a
    // source's infinitive, which tells what it says was done.
    let verb_form = matches!(previous.as_str(), "is" | "are" | "was" | "were" | "been" | "be") || said_to().is_match(&sentence[..m.start()]);
    if compound || described && determiner {
        WordClass::Adjective
    } else if (pure_noun || derived_noun) && !subject && !verb_form || determiner || described {
        WordClass::Noun
    } else {
        WordClass::Verb
    }
}

/// How a trigger word is used in its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WordClass {
    /// A verb: it tells a happening itself.
    Verb,
    /// A noun (or a participle before a noun): it tells a happening through a verb near it.
    Noun,
    /// An adjective of a place or thing ("Russian-occupied", "in occupied territories"): it
    /// tells no happening.
    Adjective,
}

/// A verb of saying and "to" right before a word: "claimed to capture", "reported to have".
fn said_to() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| crate::pattern::regex(r"(?i-u)\b(?:claim(?:s|ed)|report(?:s|ed)|said|stated|announced)\s+to\s+$").expect("the said-to pattern compiles"))
}

/// "have", "has" or "had" (and an adverb) right before a word: a perfect tense follows.
fn perfect_before() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| crate::pattern::regex(r"(?i-u)\b(?:have|has|had)\s+(?:\w+ly\s+)?$").expect("the perfect pattern compiles"))
}

/// The actors a sentence names, in order: (byte offset in the sentence, actor).
pub fn actors(sentence: &str) -> Vec<(usize, Actor)> {
    let mut found: Vec<(usize, Actor)> = actor_pattern()
        .captures_iter(sentence)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let nationality = c.name("nat").or_else(|| c.name("of")).or_else(|| c.name("people"));
            let (name, side) = match (c.name("unit"), nationality, c.name("proxy")) {
                (Some(u), ..) => (u.as_str().to_owned(), side_of_unit(sentence, u.start())),
                (None, Some(n), _) => (whole.as_str().to_owned(), side_of(n.as_str())),
                // The forces that fight for Russia: the DNR and LNR, Wagner, Belarus, Chechnya.
                (None, None, Some(p)) => (p.as_str().to_owned(), Some(Side::Russia)),
                (None, None, None) => return None,
            };
            Some((whole.start(), Actor { name, side }))
        })
        .collect();
    found.extend(state_subjects(sentence));
    found.sort_by_key(|(at, _)| *at);
    found
}

/// The states a sentence names as the subject of a verb ("Russia deployed", "Ukraine has
/// struck"): the country's name followed by a word in lower case, with no preposition or
/// conjunction before it ("in Russia and", "to Ukraine").
fn state_subjects(sentence: &str) -> Vec<(usize, Actor)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| crate::pattern::regex(r"(?-u:\b)(Russia|Ukraine)\s+[a-z]").expect("the state-subject pattern compiles"));
    re.captures_iter(sentence)
        .filter_map(|c| {
            let name = c.get(1)?;
            let previous = sentence[..name.start()].rsplit(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty()).unwrap_or("").to_lowercase();
            let governed = matches!(
                previous.as_str(),
                "in" | "into"
                    | "to"
                    | "from"
                    | "of"
                    | "toward"
                    | "towards"
                    | "across"
                    | "against"
                    | "with"
                    | "on"
                    | "and"
                    | "or"
                    | "by"
                    | "for"
                    | "at"
                    | "within"
                    | "throughout"
                    | "inside"
                    | "western"
                    | "eastern"
                    | "northern"
                    | "southern"
            );
            let side = if name.as_str() == "Russia" { Side::Russia } else { Side::Ukraine };
            (!governed).then(|| (name.start(), Actor { name: name.as_str().to_owned(), side: Some(side) }))
        })
        .collect()
}

/// A numbered unit's side: the nationality right before it ("the Russian 1st Guards Tank
/// Army", "Ukraine's 24th Brigade"), else a nationality or country named anywhere in its
/// sentence when only one side is.
fn side_of_unit(sentence: &str, at: usize) -> Option<Side> {
    let previous = sentence[..at].rsplit(|c: char| c.is_whitespace()).find(|w| !w.is_empty()).unwrap_or("");
    if let Some(side) = side_of(previous.trim_end_matches(['’', '\'', 's']).trim_end_matches(['’', '\''])) {
        return Some(side);
    }
    let lower = sentence.to_lowercase();
    match (lower.contains("ukrain"), lower.contains("russia")) {
        (true, false) => Some(Side::Ukraine),
        (false, true) => Some(Side::Russia),
        _ => None,
    }
}

/// Builds the events of a sentence at byte `offset` of the text, one for each trigger that
/// `judge` accepts ([`find_all`]), each with what `judge` said of it.
pub fn read_sentence<T>(sentence: &str, offset: usize, headline: bool, judge: impl FnMut(std::ops::Range<usize>) -> Option<T>) -> Vec<(EventMention, T)> {
    let found = find_all(sentence, headline, judge);
    if found.is_empty() {
        return Vec::new();
    }
    let actors = actors(sentence);
    found
        .into_iter()
        .map(|(event_type, trigger, verdict)| {
            // The actor is named before the trigger ("Ukrainian forces entered"); failing that,
            // after it ("an offensive by Russian troops").
            let actor = actors.iter().rev().find(|(at, _)| *at < trigger.start()).or_else(|| actors.first()).map(|(_, a)| a.clone());
            let target =
                actors.iter().map(|(_, a)| a).find(|a| a.side.is_some() && actor.as_ref().is_some_and(|x| x.side.is_some() && x.side != a.side)).cloned();
            let mut event = EventMention {
                start: offset,
                end: offset + sentence.len(),
                event_type,
                plover: event_type.plover(),
                trigger: trigger.as_str().to_owned(),
                trigger_start: offset + trigger.start(),
                actor,
                target,
                held_before: None,
                held_after: None,
            };
            event.set_holders();
            (event, verdict)
        })
        .collect()
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
        let ctx = crate::modality::Context::default();
        read_sentence(s, 0, false, |r| crate::modality::classify(s, r, &ctx).is_event().then_some(()))
            .into_iter()
            .next()
            .map(|(e, ())| (e.event_type, e.actor.and_then(|a| a.side), e.target.and_then(|a| a.side)))
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

    #[test]
    fn movements_camps_stores_and_mines_are_strategic_developments() {
        let kind = |s: &str| event(s).map(|e| e.0);
        let strategic = Some(EventType::StrategicDevelopment);
        assert_eq!(kind("Russian logistics columns were spotted near the border on Monday."), strategic);
        assert_eq!(kind("A long Russian convoy was spotted outside the airfield."), strategic);
        assert_eq!(kind("Russian forces set up training camps in the region."), strategic);
        assert_eq!(kind("Russian troops are taking old tanks out of long-term storage."), strategic);
        assert_eq!(kind("Russian troops are mining the river bank."), strategic);
    }
}
