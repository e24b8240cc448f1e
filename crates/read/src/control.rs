//! Control statements: which settlements a report says changed hands, are held, or are fought
//! over, by whom, when, and how sure it is.
//!
//! A sentence yields one [`ControlStatement`] per settlement its control verb governs:
//!
//! - **change**: a side takes a settlement ("captured", "seized", "took (control of)",
//!   "liberated", "recaptured", "retook", "cleared", "entered", "raised the flag in", "occupied")
//!   or gives it up ("withdrew from", "left", "abandoned", "regrouped from", "lost", "was pushed
//!   out of", "no longer holds X", "X is no longer under its control"; "pushed the enemy out
//!   of X" is a gain for the one who pushed); the passive ("X was
//!   captured by ...") and "X fell to ..." too; a taking announced as a noun ("confirmed the
//!   recapture of X"; the bare noun, "the capture of X", is analysis or aim and is not read);
//!   a gain told as recent in a participle ("the recently liberated X", "consolidated newly
//!   captured positions in X"), dated within the week before;
//! - **presence**: a side holds it ("troops in X", "forces active in X", "Russian-held X", "X
//!   remains under Ukrainian control", "maintain control of X", "repelled assaults on X" for the
//!   defender, "are fortifying / consolidated / established / maintained positions in X");
//! - **contested**: fighting for it without a change ("advanced to the outskirts of X", "into
//!   central X", "captured positions near X", "fighting in X", "assaults on X", "encircled X",
//!   "entered" a city of [`ENTERED_CITY_POPULATION`] or more).
//!
//! A list ("liberated A, B and C", "a line of positions running through A, B and C") gives one
//! statement per settlement; a reference place in an apposition ("A, 20 km north-west of B", "A (south of B)", "A, a village near B") is not
//! one; "the Kyiv suburb of A" is A, and so is "A City". The side comes from the subject of the verb (an actor right
//! before it: "Ukrainian forces recaptured or Russian forces withdrew from X"; else the first
//! actor after the nearest clause start: "claimed that", "which", a semicolon), from "by ..."
//! in the passive, or from the claimant when the subject is a pronoun ("The ministry said it
//! took X"). The statement's kind and certainty come from
//! [`crate::modality::classify`] on the verb; statements that are not events (negated,
//! forecast, intention, condition, question, background) are kept with their kind and never
//! count as control.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::pattern::Regex;
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use sitrep_gazetteer::{distance_km, Feature, Gazetteer, LatLon, Place};
use sitrep_geoparse::{Role, Toponym};

use crate::{
    claims::Claim,
    dates::{DateMention, DatePrecision},
    event_readings::typed_list,
    modality::{self, Certainty, Cue, CueEffect, StatementKind},
    sentences::Sentence,
    DateSource, EventDate, Side,
};

/// What a control statement says about a settlement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlKind {
    /// It changed hands: `to_side` took it from `from_side`.
    Change,
    /// `to_side` holds it.
    Presence,
    /// It is fought over; who holds it is not said.
    Contested,
}

impl ControlKind {
    /// The snake-case name ("change").
    pub fn as_str(self) -> &'static str {
        match self {
            ControlKind::Change => "change",
            ControlKind::Presence => "presence",
            ControlKind::Contested => "contested",
        }
    }

    /// The kind for a snake-case name.
    pub fn parse(name: &str) -> Option<ControlKind> {
        [ControlKind::Change, ControlKind::Presence, ControlKind::Contested].into_iter().find(|k| k.as_str() == name)
    }
}

/// The settlement a control statement is about.
#[derive(Debug, Clone, Serialize)]
pub struct ControlPlace {
    /// Gazetteer id ("geonames:706200").
    pub id: String,
    /// Name.
    pub name: String,
    /// The mention as written.
    pub mention: String,
    /// Start of the mention. Bytes as this module returns it; a [`crate::Reading`] turns it into a Unicode scalar offset.
    pub start: usize,
    /// End of the mention (exclusive), in the same unit.
    pub end: usize,
    /// Latitude.
    #[serde(serialize_with = "crate::coordinate")]
    pub lat: f64,
    /// Longitude.
    #[serde(serialize_with = "crate::coordinate")]
    pub lon: f64,
}

impl ControlPlace {
    /// The place `p` as the mention `t` names it.
    fn of(p: &Place<'_>, t: &Toponym<'_>) -> ControlPlace {
        ControlPlace {
            id: p.id(),
            name: p.display_name().to_owned(),
            mention: t.text.clone(),
            start: t.byte_start,
            end: t.byte_end,
            lat: p.point().lat,
            lon: p.point().lon,
        }
    }
}

/// One settlement's control as one sentence states it.
#[derive(Debug, Clone, Serialize)]
pub struct ControlStatement {
    /// Change, presence or contested.
    pub kind: ControlKind,
    /// The settlement.
    pub place: ControlPlace,
    /// The side that takes it (change) or holds it (presence); null when contested or unknown.
    pub to_side: Option<Side>,
    /// The side that loses it (change); null otherwise.
    pub from_side: Option<Side>,
    /// When: the sentence's own date, or the day before publication to publication.
    pub date: Option<EventDate>,
    /// Who says so; null for the report's own voice.
    pub claimant: Option<String>,
    /// Event, or the kind of statement that is not one (negated, forecast, ...): only events
    /// count as control.
    pub statement: StatementKind,
    /// How sure, on the one scale.
    pub certainty: Certainty,
    /// The words that set the kind and the certainty, as written.
    pub cues: Vec<String>,
    /// The control verb or phrase as written.
    pub trigger: String,
    /// Start of the evidence sentence, in the same unit as [`ControlPlace::start`].
    pub start: usize,
    /// End of the evidence sentence (exclusive).
    pub end: usize,
    /// True when the place is a whole area (an oblast or a raion: "Russian forces completely
    /// vacated Sumy Oblast") and the change is about every settlement in it that the losing
    /// side then holds, not about a settlement of its own.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub area: bool,
    /// The gazetteer ids of the areas the settlement lies in (its oblast, its raion), so that
    /// a change of a whole area reaches it; empty for an area.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub within: Vec<String>,
}

impl ControlStatement {
    /// True when the statement counts as control: an event with a side (or contested), not
    /// negated, forecast or any other kind of non-event. Denied ones count: as disputes. A
    /// background statement counts when its own sentence dates it to the day ("had previously
    /// reported that Ukrainian forces liberated X on June 8"): it is a late report of that
    /// day, never a change dated the report's own day.
    pub fn counts(&self) -> bool {
        let dated_to_the_day = self.date.as_ref().is_some_and(|d| d.from_text == DateSource::Sentence && d.precision == DatePrecision::Day);
        let told = match self.statement {
            StatementKind::Event => true,
            StatementKind::Background => dated_to_the_day,
            _ => false,
        };
        told && (self.to_side.is_some() || self.kind == ControlKind::Contested)
    }
}

/// How a trigger relates its subject to its settlements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pattern {
    /// The subject takes the objects after the verb.
    Gain,
    /// The subject gives up the objects after the verb.
    Loss,
    /// The subject drives someone (named between) out of the objects after.
    Expel,
    /// The objects before the verb were taken (passive; "fell to"): by the side after it.
    GainPassive,
    /// A taking announced as a noun ("confirmed the recapture of X", "celebrated the Russian
    /// seizure of X"): by the side the noun's adjective names, else the announcer's.
    Announced,
    /// A withdrawal announced as a noun ("confirmed the withdrawal of Russian troops from X",
    /// "announced the withdrawal from X"): by the side the "of" phrase names, else the
    /// announcer's; ordered or begun, it is under way (fought over).
    AnnouncedWithdrawal,
    /// The objects before the verb remain under the side named in the trigger.
    HeldUnder,
    /// The side named in the trigger holds the objects after it ("Russian-held X").
    HeldAdjective,
    /// The subject's troops are in the objects after ("Ukrainian troops in X").
    PresenceIn,
    /// The subject holds the objects after ("control X", "fortified positions in X").
    Holds,
    /// The subject repelled attacks on the objects after: it holds them.
    Repelled,
    /// Fighting for the objects after.
    Fighting,
    /// A gain told as recent, in a participle before the objects ("the recently liberated X",
    /// "consolidated newly captured positions in X"): the subject's (a liberation's, Ukraine's;
    /// an occupation's, Russia's), within the week before the statement's date.
    RecentGain,
}

fn ci(p: &str) -> Regex {
    crate::pattern::regex(&format!(r"(?i)(?-u:\b)(?:{p})(?-u:\b)")).expect("control patterns compile")
}

/// Words for a side, as adjectives or nouns.
const RU: &str = r"Russian|Russia['’]s|Russians|pro-Russian|Kremlin|DNR|LNR|DPR|LPR|Chechen|Kadyrov(?:ite)?s?|Wagner|Rosgvardia|occupation|occupying|occupiers|invaders|separatists?|proxy|proxies|enemy";
const UA: &str = r"Ukrainian|Ukraine['’]s|Ukrainians|AFU|ZSU|Territorial\ Defen[cs]e";

/// Surnames of officials who speak for one side, so that a claim such as "Sviatohirsk has been
/// liberated, Zelensky said" has the speaker's side: Russia's president, ministers, generals
/// and spokesmen, the heads of the occupation and proxy administrations, Wagner's owner.
const RU_OFFICIALS: &str =
    r"Putin|Shoigu|Gerasimov|Peskov|Lavrov|Konashenkov|Zakharova|Medvedev|Pushilin|Pasechnik|Prigozhin|Saldo|Balitsky|Miroshnik|Basurin|Stremousov";
/// The same for Ukraine: its president, ministers, commanders, spokesmen and governors.
const UA_OFFICIALS: &str = r"Zelensk(?:yy?|iy)|Zaluzhn(?:yi|y)|Syrskyi|Budanov|Reznikov|Kuleba|Yermak|Podolyak|Podoliak|Maliar|Arestovych|Haidai|Hayday|Syniehubov|Synegubov|Sinegubov|Kyrylenko|Zhyvytskyi|Humeniuk|Cherevaty|Andryushchenko|Andriushchenko|Boichenko|Boychenko|Starukh|Lahuta";

/// The triggers, each with its pattern, in order of precedence at one position.
fn triggers() -> &'static [(Pattern, Regex)] {
    static T: OnceLock<Vec<(Pattern, Regex)>> = OnceLock::new();
    T.get_or_init(|| {
        let side = format!(r"(?:{RU}|{UA})");
        vec![
            (
                Pattern::RecentGain,
                ci(r"(?:(?:consolidat(?:ed|es|e|ing)|fortif(?:ied|ies|y|ying)|entrench(?:ed|es|ing)|hold(?:s|ing)?|held)\ (?:(?:their|its|the)\ )?)?(?:newly|recently|just)[-\ ](?:captured|controlled|seized|taken|occupied|liberated|recaptured|retaken|regained|gained|won|cleared)(?:\ (?:positions|areas)\ (?:in|at)|\ (?:(?:the|a)\ )?(?:village|town|settlement|city)\ of)?"),
            ),
            (
                Pattern::HeldAdjective,
                ci(&format!(
                    r"{side}[-\ ](?:held|controlled|occupied)|{side}\ (?:military\ )?control\ (?:of|over)|{side}\ (?:national\ )?flags?\ (?:now\ |again\ |once\ again\ )?(?:flies|fly|flew|is\ flying|are\ flying|was\ flying|were\ flying|waves|waved|is\ waving|flutters)\ (?:again\ )?(?:over|above|in|on)"
                )),
            ),
            (
                Pattern::HeldUnder,
                ci(&format!(
                    r"(?:remains?|remained|is|are|was|were|be|been|firmly|still|now|fully|completely)\ (?:no\ longer\ (?:\w+\ )?|\w+\ )?(?:under\ (?:the\ )?(?:full\ )?(?:control\ of\ (?:the\ )?{side}\ (?:forces|troops)|{side}\ (?:military\ )?control)|in\ (?:the\ )?{side}\ hands)"
                )),
            ),
            (
                Pattern::GainPassive,
                ci(&format!(
                    r"(?:was|were|been|being|is|are)\ (?:\w+ly\ )?(?:captured|seized|taken|liberated|recaptured|retaken|reclaimed|freed|de-occupied|occupied|cleared|overrun)|fell\ (?:to|under|into\ {side}\ hands)"
                )),
            ),
            (
                Pattern::Announced,
                ci(&format!(
                    r"(?:announc(?:ed|es|ing)|confirm(?:ed|s|ing)|declar(?:ed|es|ing)|celebrat(?:ed|es|ing))\ the\ (?:(?:claimed|full|complete|successful|{side})\ )*(?:liberation|capture|recapture|seizure)\ of|{side}\ (?:national\ )?flags?\ (?:was|were|has\ been|have\ been|had\ been|is|are)\ (?:\w+ly\ )?(?:raised|hoisted|planted)\ (?:(?:over|above|on)\ (?:the\ |a\ )?(?:[\w-]+\ ){{0,3}}(?:building|buildings|hall|administration|council|office|offices|headquarters|square)\ (?:in|of)|in|over|above|on)"
                )),
            ),
            (
                Pattern::AnnouncedWithdrawal,
                ci(r"(?:announc(?:ed|es|ing)|confirm(?:ed|s|ing)|declar(?:ed|es|ing)|complet(?:ed|es|ing)|order(?:ed|s|ing)|beg(?:an|un|ins)|start(?:ed|s))\ (?:the\ |a\ |an\ |its\ |their\ )?(?:full\ |complete\ |partial\ |final\ )?(?:withdrawal|retreat|pullout|pull-out)\ (?:of\ (?:[\w’'-]+\ ){1,4}?)?from"),
            ),
            (
                Pattern::Expel,
                ci(r"(?:push|pushed|pushing|pushes|drove|drive|drives|driven|driving|forced|forcing|expelled|expel|expelling|ousted|oust|ousting|knocked|kicked|threw|drove\ back)\ (?:[\w’'-]+\ ){1,4}?(?:out\ of|from)"),
            ),
            (
                Pattern::Loss,
                ci(r"(?:withdr(?:ew|awn|aw|aws|awing)|retreat(?:ed|s|ing)?|fled|flee(?:ing)?|pull(?:ed|s|ing)?\ (?:back|out)|regroup(?:ed|s|ing)?|(?:were|was|been|being)\ (?:forced|pushed|driven|expelled|ousted|knocked|kicked|thrown|routed)(?:\ back)?(?:\ out)?)(?:\ (?:\w+ly|overnight|today|yesterday|again|already))?\ (?:from|of|out\ of)|(?:lost|lose|loses|losing)(?:\ (?:full\ )?control\ (?:of|over))?|completed\ (?:their|its|the)\ withdrawal\ from|left|leave|leaves|leaving|fled|abandon(?:ed|s|ing)?|surrender(?:ed|s|ing)?|ceded|vacated"),
            ),
            (
                Pattern::Gain,
                ci(r"(?:took|take|takes|taken|taking)\ (?:full\ |complete\ )?(?:control\ (?:of|over)|over)|claim(?:ed|s|ing)?\ (?:full\ |complete\ |total\ )?control\ (?:of|over)|re-?gain(?:ed|s|ing)?\ (?:full\ |complete\ )?control\ (?:of|over)|(?:gained|gain|gains|established|establish|assumed|secured|consolidated)\ (?:full\ |complete\ )?control\ (?:of|over)|completed\ the\ (?:capture|liberation|seizure|recapture)\ of|(?:raised|raising|hoisted|hoisting|planted|raise|hoist)\ (?:the|a|their|its)\ (?:[\w-]+\ ){0,2}flags?\ (?:(?:over|above|on)\ (?:the\ |a\ )?(?:[\w-]+\ ){0,3}(?:building|buildings|hall|administration|council|office|offices|headquarters|square)\ (?:in|of)|in|over|above|on)|(?:re)?captur(?:ed|es|e|ing)|seiz(?:ed|es|e|ing)|took|taken|liberat(?:ed|es|e|ing)|freed|frees|freeing|reclaim(?:ed|s|ing)?|de-occupied|retook|retake|retakes|retaken|retaking|cleared|clears|clearing|entered|enter|enters|entering|(?:swept|sweeping|marched|marching|rolled|rolling|stormed|storming|broke|broken|breaking|burst|bursting)\ into|occupied|occup(?:y|ies|ying)|overran|overrun|secured|re-?gain(?:ed|s|ing)?"),
            ),
            (Pattern::PresenceIn, ci(r"(?:forces|troops|units|soldiers|servicemen|personnel|garrison|defenders|elements|detachments|fighters|marines|paratroopers)\ (?:(?:are|were|remain|remained|is|was|still|currently|now|also|no|longer|reportedly|likely|active|present|operating|stationed|based|deployed|concentrated|entrenched|standing|posing|gathered|seen|filmed|photographed|back)\ ){0,3}(?:(?:in\ front\ of|outside|at|by|beside|near|on)\ (?:the|a|an)\ (?:[\w’'-]+\ ){0,4}?(?:building|buildings|hall|administration|council|office|offices|headquarters|square|monument|station|church)\ (?:in|of)|in|inside|within)")),
            (
                Pattern::Holds,
                ci(r"(?:maintain(?:s|ed|ing)?|retain(?:s|ed|ing)?|keep(?:s|ing)?|kept|ha(?:s|ve|d)|(?:is|are|was|were|remains?|remained)\ in)\ (?:full\ |complete\ |firm\ |effective\ )?control\ (?:of|over)|(?:control|controls|controlled|hold|holds|held|retain|retains|retained|occup(?:y|ies))(?:\ (?:all|most)\ of)?|(?:consolidat(?:ed|es|e|ing)|fortif(?:ied|ies|y|ying)|entrench(?:ed|es|ing)|establish(?:ed|es|ing)?|maintain(?:s|ed|ing)?|(?:took|take|takes|taking)\ up)\ (?:(?:their|its|the)\ )?(?:new\ |defensive\ )?positions\ (?:in|at)|(?:establish(?:ed|es|ing)?|set(?:ting|s)?\ up|buil(?:t|d|ds|ding))\ (?:[\w-]+\ ){0,3}?(?:camps?|bases?|depots?|headquarters|command\ posts?|field\ hospitals?|supply\ points?)\ (?:in|at)|(?:assembl(?:ed|es|e|ing)|stockpil(?:ed|es|e|ing)|amass(?:ed|es|ing)?)\ (?:[\w-]+\ ){0,2}?(?:supplies|equipment|ammunition|fuel|vehicles)\ in"),
            ),
            (
                Pattern::Repelled,
                ci(r"(?:repel(?:led|s|ling)?|repuls(?:ed|es|ing)|beat\ back|fought\ off|thwarted|defeated|halted|stopped)\ (?:[\w’'-]+\ ){0,5}?(?:assaults?|attacks?|attempts?|offensives?|advances?|efforts?|pushes)(?:\ to\ (?:capture|take|seize|enter|storm|break\ into))?(?:\ (?:on|against|in|at|into))?"),
            ),
            (
                Pattern::Fighting,
                ci(r"(?:fighting|fights|clashes|battles?|combat|street\ fighting|hostilities)\ (?:(?:is|are|was|were|continued|continues|ongoing|raged|rages|\w+ly)\ ){0,2}(?:in|for|within|inside)|(?:assaults?|attacks?|offensive\ operations|ground\ attacks|attempts\ to\ (?:capture|take|storm))\ (?:on|against)|advanc(?:ed|es|e|ing)\ (?:\w+\ ){0,3}?(?:to|toward|towards|into|on|near)(?:\ the\ outskirts\ of)?|(?:in\ and\ around|on\ the\ outskirts\ of)|reach(?:ed|es|ing)?\ the\ (?:outskirts|edge|approaches|eastern\ edge|western\ edge|northern\ edge|southern\ edge)\ of|(?:encircl(?:ed|es|e|ing)|surrounded|besieg(?:ed|es|e|ing)|blockad(?:ed|es|e|ing))|(?:encirclement|siege|blockade)\ of"),
            ),
        ]
    })
}

/// Words for a force, after a side's adjective ("Ukrainian counterattacks", "DNR forces").
const FORCE: &str = r"forces|force|troops|commanders|command|army|armies|military|units?|soldiers|servicemen|counter-?attacks?|counter-?offensives?|defenders|marines|paratroopers|airborne|brigades?|battalions?|regiments?|divisions?|personnel|groups?|formations|elements|fighters|partisans|guard|corps|tanks?|infantry|assaults?|offensive|operations|militia|militants|detachments|grouping|contingent|garrison|sabotage|reconnaissance|special|mercenaries|servicemembers|battalion\ tactical\ groups|BTGs?";

/// A word that pushes a force away from a place rather than out of it ("back", "further
/// south").
fn away_word() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        crate::pattern::regex(r"(?i)(?-u:\b)(?:back|away|further|farther|south|north|east|west|southward|northward|eastward|westward)(?-u:\b)")
            .expect("the away pattern compiles")
    })
}

/// A side named as an actor: a side word and, for adjectives, a word for a force within three
/// words ("Ukrainian counterattacks", "DNR forces", "the Russians"), or the state by its name
/// or its capital ("Ukraine retook A"; groups `state_ru`, `state_ua`), which is far more often
/// a place ("eastern Ukraine") and so is an actor only where [`can_act`] allows.
/// Names are matched with their capitals; common words ("proxy", "enemy") also with the
/// capital a sentence gives them. Adjectives come first, so that "Russia's" is one; a party
/// named after a state ("United Russia") is caught whole and names no side.
fn actor_pattern() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        let force = FORCE;
        crate::pattern::regex(&format!(
            r"(?-u:\b)(?:(?P<adj_ru>Russian|Russia['’]s|Moscow['’]s|Kremlin['’]s|[Pp]ro-Russian|Chechen|[Oo]ccupation|[Ee]nemy|[Pp]roxy|[Ss]eparatist)|(?P<adj_ua>Ukrainian|Ukraine['’]s|Kyiv['’]s|Territorial\ Defen[cs]e)|(?P<party>United\ Russia)|(?P<noun_ru>Russians|[Tt]he\ enemy|[Oo]ccupiers|[Ii]nvaders|[Ss]eparatists|[Pp]roxies|Kadyrovites|Wagner|Rosgvardia|DNR|LNR|DPR|LPR|BTGs?|battalion\ tactical\ groups|(?:Donetsk|Luhansk)\ People['’]s\ Republic)|(?P<noun_ua>Ukrainians|AFU|ZSU)|(?P<state_ru>Russia|Moscow)|(?P<state_ua>Ukraine|Kyiv|Kiev))(?-u:\b)(?P<force>(?:\s+[\w’'-]+){{0,3}}?\s+(?i:{force})(?-u:\b))?"
        ))
        .expect("the actor pattern compiles")
    })
}

/// Words that restart the search for a verb's subject: a complement clause, a relative pronoun,
/// a contrast, a reporting verb.
fn clause_opener() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        ci(r"that|which|who|whom|while|whereas|but|although|though|after|claimed|claims|said|says|stated|states|reported|reports|announced|announces|assessed|assesses|indicated|indicates|suggested|suggests|showed|shows|confirmed|confirms|according\ to\ [^,]+,")
    })
}

/// Words before a settlement that make the statement about part of it or its surroundings:
/// contested, not a change.
fn partial_prefix() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        crate::pattern::regex(r"(?i)^\s*(?:central|downtown|(?:the\ )?outskirts\ of|(?:the\ )?(?:greater\ )?parts?\ of|most\ of|half\ of|much\ of|some\ of|\d+\s?(?:%|percent)\ of|(?:the\ )?(?:[\w-]+\ ){0,2}(?:part|parts|outskirts|districts?|half|section|sections|neighbou?rhoods?|suburbs?|approaches|edges?|center|centre|periphery|industrial\ zone|quarters?)\ (?:of|to)|(?:several\ |some\ |new\ |\w+\ )?positions\ (?:near|around|in|outside|on\ the\ outskirts\ of|north\ of|south\ of|east\ of|west\ of)|(?:areas?|territory|terrain|ground|villages|settlements|heights|high\ ground)\ (?:near|around|outside|north\ of|south\ of|east\ of|west\ of)|near|around|outside|toward|towards|close\ to|the\ vicinity\ of|(?:\w+\ )?(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|south-east|south-west)(?:ern)?\ of)\s+")
            .expect("the partial pattern compiles")
    })
}

/// Words before a settlement that keep it whole: "control of", "the village of".
fn whole_prefix() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        crate::pattern::regex(r"(?i)^\s*(?:(?:full\ |complete\ |total\ )?control\ (?:of|over)\s+|the\ remainder\ of\s+|the\ rest\ of\s+|all\ of\s+|the\ entirety\ of\s+|the\ whole\ of\s+|the\ entire\s+|(?:fully|completely|entirely|finally|also|reportedly|likely|successfully|quickly|swiftly|back)\s+|(?:the\ )?(?:(?:key|strategic|strategically\ important|important|small|major|frontline|front-line|nearby|neighbou?ring|occupied|remaining|large|two|three|four|five|six|seven|eight|nine|ten|several|\d+)\s+)*(?:villages?|towns?|city|cities|settlements?|hamlets?|urban-type\ settlements?|localit(?:y|ies))(?:\s+of)?\s+)*")
            .expect("the whole pattern compiles")
    })
}

/// "The Kyiv suburb of", "the southeastern suburb of", "the neighbourhood of" before a
/// settlement: a singular suburb or neighbourhood "of" a name is the place named, whole
/// ("the suburbs of A", "a suburb of A" are around A).
fn named_suburb() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| crate::pattern::regex(r"(?i)^\s*the\s+(?:[\w’'-]+\s+){0,2}?(?:suburb|neighbou?rhood)\s+of\s+").expect("the named suburb pattern compiles"))
}

/// How large a settlement is, coarsely: under 500 people or unknown (hamlets, parts of
/// towns), a village, a town, a city. Of homonyms near the places a report names with them,
/// a larger class may lie farther away and still be the one meant.
fn size_class(p: &Place<'_>) -> u8 {
    match p.population() {
        0..=499 => 0,
        500..=4_999 => 1,
        5_000..=49_999 => 2,
        _ => 3,
    }
}

/// An apposition after a settlement that places it relative to another: skipped, so that the
/// reference place is not read as a settlement that changed hands.
fn apposition() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        crate::pattern::regex(r"(?i)^(?:\s*\([^)]*\)|,?\s*(?:(?:about|approximately|roughly|some|around|nearly|just|only|over|under|less\ than|more\ than)\s+)?(?:[\d.,]+\s*(?:-\s*[\d.,]+\s*)?(?:km|kilometers?|kilometres?|miles?|mi)\s+)?(?:(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|south-east|south-west)(?:ern)?(?:\s+of)?|outside|near|in|on\ the\ outskirts\ of)\s+(?:the\s+)?(?-i:\p{Lu})[^,;.()]*|,\s*(?:a|an|the)\s+(?:[\w-]+\s+){0,3}(?:village|town|settlement|city|suburb|hamlet)(?-u:\b)[^,;.()]*|,\s*(?:in\s+)?[A-Z][\w’'-]+\s+(?:Oblast|region|Raion|district))")
            .expect("the apposition pattern compiles")
    })
}

/// A general object before a list of the settlements it includes: "large swathes of contested
/// terrain—including ", "several villages, including ", "a ring of positions north of Kyiv
/// running through ".
fn including() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        crate::pattern::regex(r"^(?:\d[,.]\d|[^,;.()—–]){0,80}?(?:(?:\s*[—–]\s*|,\s*|\s+)including|\s+(?:running|stretching|extending)\s+(?:through|along))\s+")
            .expect("the including pattern compiles")
    })
}

/// Words for parts of a town: a list of settlements they introduce names its districts.
fn city_parts() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| ci(r"neighbou?rhoods?|districts|micro-?districts?|quarters"))
}

/// A part of a settlement named by its possessive right after it ("A's eastern districts", "A's
/// outskirts", "A’s railway station"): the statement is about the part, contested.
fn possessive_part() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        crate::pattern::regex(r"(?i)^['’]s\s+(?:[\w-]+\s+){0,2}?(?:outskirts|districts?|micro-?districts?|suburbs?|cent(?:re|er)|downtown|parts?|half|neighbou?rhoods?|industrial\s+zone|quarters?|edges?|approaches|periphery|environs|streets|blocks|sections?|stations?|airport|airfield|bridges?|plant|factory|port|hospital|base)(?-u:\b)")
            .expect("the possessive part pattern compiles")
    })
}

/// A capitalised name of up to three words followed by a list connector: an item of a list of
/// settlements that the gazetteer does not know as one.
fn unknown_list_item() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| crate::pattern::regex(r"^\p{Lu}[\w’'-]*(?:\s+\p{Lu}[\w’'-]*){0,2}(?:,\s+and\s+|\s+and\s+|,\s+)").expect("the list item pattern compiles"))
}

/// How many bytes of `after` (the text right after a city's name) are the word "City" that
/// tells the city from the oblast of its name ("Kherson City", "Donetsk city"): none when
/// there is no such word, or when it starts a longer name ("the Kherson City Council").
fn city_word(after: &str) -> usize {
    let Some(rest) = after.strip_prefix(" City").or_else(|| after.strip_prefix(" city")) else { return 0 };
    let word_goes_on = rest.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '-');
    if word_goes_on || capitalised_word_next(rest) {
        0
    } else {
        after.len() - rest.len()
    }
}

/// True when `after` goes on with a space and a capitalised word: a name goes on there
/// ("Cherkasy Tyshky", "Kherson City Council").
fn capitalised_word_next(after: &str) -> bool {
    after.strip_prefix(' ').and_then(|a| a.chars().next()).is_some_and(char::is_uppercase)
}

/// A word after a settlement's name that makes the mention no settlement: "the Izyum axis".
fn not_a_settlement_after(rest: &str) -> bool {
    let word: String = rest.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '-').collect::<String>().to_lowercase();
    matches!(
        word.as_str(),
        "axis"
            | "direction"
            | "directions"
            | "area"
            | "areas"
            | "region"
            | "regions"
            | "oblast"
            | "oblasts"
            | "provinces"
            | "raions"
            | "districts"
            | "raion"
            | "district"
            | "hromada"
            | "hromadas"
            | "front"
            | "sector"
            | "highway"
            | "road"
            | "river"
            | "reservoir"
            | "salient"
            | "pocket"
            | "cauldron"
            | "grouping"
            | "group"
            | "offensive"
            | "operation"
            | "airport"
            | "airfield"
            | "plant"
            | "bridge"
            | "railway"
            | "line"
            | "border"
            | "city-oblast"
    )
}

/// What the control stage reads a report from: the earlier stages' results.
pub(crate) struct Inputs<'a, 'g> {
    /// The report's text.
    pub text: &'a str,
    /// Its sentences.
    pub sentences: &'a [Sentence],
    /// Its toponyms, in text order, homonyms settled where the text allowed.
    pub toponyms: &'a [Toponym<'g>],
    /// Byte starts (sorted) of the toponyms whose reading a stated direction confirmed or
    /// chose ("Hranitne, northeast of Mariupol"): those readings stand.
    pub settled: &'a [usize],
    /// Its claims.
    pub claims: &'a [Claim],
    /// Its dates, resolved.
    pub dates: &'a [DateMention],
    /// Its publication date.
    pub published: Option<NaiveDate>,
}

/// Reads the control statements of a report: sentence by sentence, one statement per settlement
/// a control verb governs. Offsets are bytes of the text.
pub(crate) fn read<'g>(gaz: &'g Gazetteer, inputs: Inputs<'_, 'g>) -> Vec<ControlStatement> {
    let Inputs { text, sentences, toponyms, settled, claims, dates, published } = inputs;
    let mut out = Vec::new();
    // What is out already, to keep one statement per start, place, kind and side.
    let mut seen: HashSet<(usize, String, ControlKind, Option<Side>)> = HashSet::new();
    // A sentence's claim: the first claim that starts where it does (looked up once, not
    // searched for every sentence).
    let mut claim_at: HashMap<usize, &Claim> = HashMap::with_capacity(claims.len());
    for c in claims {
        claim_at.entry(c.start).or_insert(c);
    }
    let mut first_toponym = 0;
    let theatre = theatre(toponyms, claims);
    for (i, s) in sentences.iter().enumerate() {
        let sentence = &text[s.start..s.end];
        // The sentence's toponyms: a window of the list, which is in text order.
        while first_toponym < toponyms.len() && toponyms[first_toponym].byte_start < s.start {
            first_toponym += 1;
        }
        let end = toponyms[first_toponym..].iter().position(|t| t.byte_start >= s.end).map_or(toponyms.len(), |k| first_toponym + k);
        let in_sentence = &toponyms[first_toponym..end];
        let refers_back = || REFERRING.iter().any(|w| sentence.contains(w));
        if !in_sentence.iter().any(|t| settlement(t, theatre).is_some() || area(t).is_some()) && !refers_back() {
            continue;
        }
        // Each trigger searched for on its own: its literal prefilter passes over a sentence
        // without its words at once.
        let mut matches: Vec<(Pattern, crate::pattern::Match<'_>)> =
            triggers().iter().flat_map(|(pattern, re)| re.find_iter(sentence).map(move |m| (*pattern, m))).collect();
        if matches.is_empty() {
            continue;
        }
        let claim = claim_at.get(&s.start).copied();
        let next = sentences.get(i + 1).map(|n| &text[n.start..n.end]);
        let memo = modality::SentenceMemo::default();
        let ctx = modality::Context { published, dates, sentence_start: s.start, next, memo: Some(&memo) };
        let context_start = toponyms.partition_point(|t| t.byte_start < sentences[i.saturating_sub(CONTEXT_SENTENCES)].start);
        let context = &toponyms[context_start..end];
        let previous_start = i.checked_sub(1).map(|p| sentences[p].start);
        let reading =
            SentenceReading { gaz, sentence, offset: s.start, toponyms: in_sentence, context, settled, previous_start, claim, ctx, published, theatre };
        let mut taken: Vec<(usize, usize)> = Vec::new();
        matches.sort_by_key(|(p, m)| (m.start(), std::cmp::Reverse(m.end()), *p as u8));
        for (pattern, m) in matches {
            // One trigger per stretch of text: the longest, then the first listed.
            if taken.iter().any(|&(a, b)| m.start() < b && a < m.end()) {
                continue;
            }
            let mut found = reading.statements(pattern, m.start()..m.end());
            if found.is_empty() && pattern == Pattern::Loss {
                found.extend(reading.area_withdrawal(m.start()..m.end()));
            }
            if !found.is_empty() {
                taken.push((m.start(), m.end()));
            }
            for st in found {
                if seen.insert((st.start, st.place.id.clone(), st.kind, st.to_side)) {
                    out.push(st);
                }
            }
        }
    }
    out
}

/// Makes the settlement each control statement names the reading of its mention, so that the
/// report's places, events and geography checks name the settlement its control statements
/// do. The statements choose among homonyms by the places their sentence names with them
/// ([`SentenceReading::settle`]) and take the town where the geoparser read a district of the
/// same name; without this the control layer and the event list could pin one mention to
/// two villages. Whole areas ("withdrew from Kherson Oblast") keep the geoparser's reading.
pub(crate) fn pin_mentions<'g>(gaz: &'g Gazetteer, statements: &[ControlStatement], toponyms: &mut [Toponym<'g>]) {
    let mut buf = String::new();
    for st in statements.iter().filter(|st| !st.area) {
        let k = toponyms.partition_point(|t| t.byte_start < st.place.start);
        let Some(t) = toponyms.get(k).filter(|t| t.byte_start == st.place.start) else { continue };
        let Some(chosen) = t.place.filter(|p| p.id() != st.place.id) else { continue };
        let new = t
            .alternatives
            .iter()
            .copied()
            .find(|a| a.id() == st.place.id)
            .or_else(|| gaz.lookup(&t.text, &mut buf).map(|(i, _)| gaz.place(i)).find(|p| p.id() == st.place.id));
        if let Some(new) = new {
            crate::geocheck::take_homonym(&mut toponyms[k], chosen, new);
        }
    }
}

/// The settlement a toponym names, used literally: its place when that is a town; when the
/// name is also a district's or, written without a type word, an oblast's (Izium and Izium
/// Raion, Kherson and Kherson Oblast), the town of that name among the candidates, since a
/// control verb takes a settlement. A town outside `theatre` (the country
/// most of the report's towns are in) gives way to a candidate of the same name inside it:
/// "Mikhaylovka" in a list of Donetsk villages is not the one in Russia; with none, it is no
/// settlement of the war the report tells ("units seen leaving Orenburg").
fn settlement<'g>(t: &Toponym<'g>, theatre: Option<&str>) -> Option<Place<'g>> {
    if t.role != Role::Literal || t.local {
        return None;
    }
    let town = match t.place?.feature() {
        Feature::City | Feature::Admin2 => named_town(t)?,
        // "captured Kherson" read as the oblast or the hromada: a control verb takes the city;
        // "Kherson Oblast", "the Kupiansk hromada", written with the type word, stay areas.
        Feature::Admin1 | Feature::Hromada if sitrep_text::normalize::key_for_name(&t.text).1.is_none() => named_town(t)?,
        _ => return None,
    };
    match theatre {
        Some(cc) if town.country_code() != cc => t.alternatives.iter().find(|a| a.feature() == Feature::City && a.country_code() == cc).copied(),
        _ => Some(town),
    }
}

/// The area a toponym names when it is an oblast or a raion written with its type word
/// ("Sumy Oblast", "Romny Raion", "the Kyiv region"): the whole of it, not its town.
fn area<'g>(t: &Toponym<'g>) -> Option<Place<'g>> {
    let place = t.place?;
    (t.role == Role::Literal
        && !t.local
        && matches!(place.feature(), Feature::Admin1 | Feature::Admin2)
        && sitrep_text::normalize::key_for_name(&t.text).1.is_some())
    .then_some(place)
}

/// The town a toponym names: its place, or when that is an oblast or a district of the same
/// name ("Zaporizhzhia", "Izium"), the town among its candidates; when it is a hromada
/// ("Staromlynivka" read as Staromlynivska hromada, which the gazetteer also calls by its
/// town's name), the town of the name as written, in the hromada's oblast.
fn named_town<'g>(t: &Toponym<'g>) -> Option<Place<'g>> {
    let place = t.place?;
    let town_called = |name: &str| t.alternatives.iter().find(|a| a.feature() == Feature::City && key(a.display_name()) == key(name)).copied();
    match place.feature() {
        Feature::City => Some(place),
        Feature::Admin1 | Feature::Admin2 => town_called(place.display_name()),
        Feature::Hromada => town_called(&t.text).filter(|town| town.admin1_index() == place.admin1_index()),
        _ => None,
    }
}

/// The country most of the report's towns are in; `None` when two countries have as many.
/// A town named as a voice ("Moscow says", "officials in Kyiv said": inside a claimant of
/// `claims`) is a government speaking, not a place of the war, and is not counted.
fn theatre<'g>(toponyms: &[Toponym<'g>], claims: &[Claim]) -> Option<&'g str> {
    // The claimants' spans by start, each with the furthest end of those up to it: a toponym
    // lies inside one when the furthest end of those starting at or before it reaches its end
    // (a search per toponym, not a pass over every claim).
    let mut spans: Vec<(usize, usize)> = claims.iter().filter_map(|c| c.claimant.as_ref()).map(|c| (c.start, c.end)).collect();
    spans.sort_unstable();
    let mut furthest = 0;
    for span in &mut spans {
        furthest = furthest.max(span.1);
        span.1 = furthest;
    }
    let voiced = |t: &Toponym<'_>| {
        let k = spans.partition_point(|&(start, _)| start <= t.byte_start);
        k > 0 && spans[k - 1].1 >= t.byte_end
    };
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for p in toponyms.iter().filter(|t| t.role == Role::Literal && !voiced(t)).filter_map(|t| t.place).filter(|p| p.feature() == Feature::City) {
        let cc = p.country_code();
        match counts.iter_mut().find(|(c, _)| *c == cc) {
            Some((_, n)) => *n += 1,
            None => counts.push((cc, 1)),
        }
    }
    counts.retain(|(c, _)| !c.is_empty());
    counts.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
    match counts.as_slice() {
        [(c, _)] => Some(c),
        [(c, n), (_, m), ..] if n > m => Some(c),
        _ => None,
    }
}

/// A name's matching key, without its type word.
fn key(name: &str) -> String {
    sitrep_text::normalize::key_for_name(name).0
}

/// How many sentences before a control statement's own lend it places to settle homonyms by.
const CONTEXT_SENTENCES: usize = 2;

/// A homonym of a settlement is taken when it lies within this distance (km) of a place the
/// statement's context locates; reports place villages by towns a few tens of km away.
const ANCHOR_KM: f64 = 80.0;

/// A town at least this populous locates the places named with it even when other places
/// share its name (Izium, Kupiansk): reports mean the large one.
const ANCHOR_POPULATION: u64 = 10_000;

/// A settlement at least this populous, the largest of its name, is the one a report means
/// when nothing around its name says which.
const UNQUALIFIED_POPULATION: u64 = 5_000;

/// Entering a city of this many people or more is fighting in it, not taking it ("entered
/// the city of Kharkiv for the first time"): a city of districts is not held by the troops
/// inside one of them, as a village is.
const ENTERED_CITY_POPULATION: u64 = 100_000;

/// One sentence being read.
struct SentenceReading<'a, 'g> {
    gaz: &'g Gazetteer,
    sentence: &'a str,
    offset: usize,
    toponyms: &'a [Toponym<'g>],
    /// The toponyms of this sentence and the [`CONTEXT_SENTENCES`] before it.
    context: &'a [Toponym<'g>],
    /// Byte starts (sorted) of the report's toponyms whose reading a stated direction
    /// settled ([`Inputs::settled`]).
    settled: &'a [usize],
    /// Where the sentence before starts (bytes of the text), if there is one.
    previous_start: Option<usize>,
    claim: Option<&'a Claim>,
    ctx: modality::Context<'a>,
    published: Option<NaiveDate>,
    theatre: Option<&'a str>,
}

impl<'a, 'g> SentenceReading<'a, 'g> {
    /// The statements one trigger at `trigger` (bytes of the sentence) makes.
    fn statements(&self, pattern: Pattern, trigger: std::ops::Range<usize>) -> Vec<ControlStatement> {
        let s = self.sentence;
        let trigger_text = &s[trigger.clone()];
        let lower = trigger_text.to_lowercase();
        // "the captured city", "in occupied Kherson", "around liberated villages": a participle
        // used as an adjective, not a verb. "Occupied" and "liberated" still say who holds it.
        let previous = last_word(&s[..trigger.start]).to_lowercase();
        let adjective = matches!(pattern, Pattern::Gain | Pattern::Loss)
            && matches!(
                previous.as_str(),
                "the"
                    | "a"
                    | "an"
                    | "newly"
                    | "recently"
                    | "its"
                    | "their"
                    | "previously"
                    | "temporarily"
                    | "in"
                    | "into"
                    | "of"
                    | "from"
                    | "around"
                    | "near"
                    | "across"
                    | "throughout"
                    | "within"
                    | "toward"
                    | "towards"
                    | "on"
                    | "at"
                    | "for"
                    | "with"
                    | "through"
                    | "behind"
                    | "under"
                    | "outside"
                    | "other"
                    | "all"
            );
        let participle = matches!(lower.as_str(), "occupied" | "liberated");
        let adjective = adjective || participle && !can_precede_verb(&s[..trigger.start]);
        // "units withdrawn from X will be redeployed": a participle after its noun describes the
        // units; only after an auxiliary ("have withdrawn from") does it tell a withdrawal.
        if lower.starts_with("withdrawn")
            && !matches!(
                previous.as_str(),
                "has" | "have" | "had" | "been" | "being" | "was" | "were" | "is" | "are" | "be" | "fully" | "completely" | "reportedly" | "likely"
            )
        {
            return Vec::new();
        }
        let pattern = match (adjective, lower.as_str()) {
            (false, _) => pattern,
            (true, "occupied" | "liberated") => Pattern::HeldAdjective,
            (true, _) => return Vec::new(),
        };
        let (mut objects, partial) = match pattern {
            Pattern::GainPassive | Pattern::HeldUnder => (self.objects_before(trigger.start), false),
            _ => self.objects_after(trigger.end),
        };
        if objects.is_empty() {
            match pattern {
                Pattern::Gain | Pattern::Loss => objects.extend(self.relative_antecedent(trigger.start)),
                // "A, which was captured by Russian forces".
                Pattern::GainPassive => {
                    if let Some(head) = s[..trigger.start].trim_end().strip_suffix(", which") {
                        objects.extend(self.antecedent_ending_at(head.len()));
                    }
                }
                _ => {}
            }
        }
        if objects.is_empty() {
            return Vec::new();
        }
        // "took up positions in A" is a hold (read as one), not a taking.
        if pattern == Pattern::Gain && s[trigger.end..].starts_with(" up ") {
            return Vec::new();
        }
        // "were driven back from A", "pushed back from A": they were near it, not in it (but
        // "pulled back from A" is a withdrawal).
        if pattern == Pattern::Loss && lower.contains(" back from") && !lower.starts_with("pull") {
            return Vec::new();
        }
        let subject = || self.subject_side(trigger.start);
        let named_in_trigger = || side_word(trigger_text);
        // "are withdrawing from X", "began to withdraw from X": under way, not done.
        let partial = partial || matches!(pattern, Pattern::Gain | Pattern::Loss | Pattern::Expel) && under_way(s, trigger.clone());
        let (kind, to, from) = match pattern {
            Pattern::Gain if partial => (ControlKind::Contested, None, None),
            Pattern::Gain => {
                let to = subject();
                (ControlKind::Change, to, to.map(Side::opponent))
            }
            Pattern::Loss if partial => (ControlKind::Contested, None, None),
            // "elements of a brigade withdrew from A", "most Russian forces have left A": a
            // part of the force redeploys; those who stay still hold A.
            Pattern::Loss if self.part_of_force_leaves(trigger.start) => return Vec::new(),
            Pattern::Loss => {
                let loser = subject();
                (ControlKind::Change, loser.map(Side::opponent), loser)
            }
            Pattern::Expel if partial => (ControlKind::Contested, None, None),
            // "pushed Russian forces back from X", "away from X": they were near it, not in it.
            Pattern::Expel if away_word().is_match(trigger_text) => {
                return Vec::new();
            }
            // "continued to push on Lysychansk from X", "drove toward A from X": an attack on a
            // place from X, whose attacker holds X; no one is driven out of it.
            Pattern::Expel if attack_from(trigger_text) => return Vec::new(),
            Pattern::Expel => {
                let loser = side_word(trigger_text).map(|side| self.as_voiced(side, trigger_text));
                let to = loser.map(Side::opponent).or_else(subject);
                (ControlKind::Change, to, to.map(Side::opponent))
            }
            Pattern::GainPassive => {
                // "Hrakove has been liberated": with no side named, a liberation is Ukraine's (a
                // Russian one is told by a Russian voice, whose side the claimant gives).
                let liberation = || liberation_verb(trigger_text).then_some(Side::Ukraine);
                // "fell to Russian forces", "fell under Ukrainian control": the side right after.
                let fell_to = || lower.starts_with("fell ").then(|| self.actor_starting_at(trigger.end)).flatten();
                let by = named_in_trigger().or_else(fell_to).or_else(|| self.side_after(trigger.end)).or_else(|| self.claimant_side()).or_else(liberation);
                (ControlKind::Change, by, by.map(Side::opponent))
            }
            Pattern::AnnouncedWithdrawal if partial || announced_under_way(trigger_text) => (ControlKind::Contested, None, None),
            Pattern::AnnouncedWithdrawal => {
                let of = trigger_text.split_once(" of ").map(|(_, rest)| rest);
                let loser = of.and_then(side_word).or_else(|| self.claimant_side()).or_else(subject);
                (ControlKind::Change, loser.map(Side::opponent), loser)
            }
            Pattern::Announced if partial => (ControlKind::Contested, None, None),
            Pattern::Announced => {
                let by = side_word(trigger_text).or_else(|| self.side_after(trigger.end)).or_else(|| self.claimant_side()).or_else(subject);
                (ControlKind::Change, by, by.map(Side::opponent))
            }
            Pattern::HeldAdjective if trigger_text.eq_ignore_ascii_case("occupied") => (ControlKind::Presence, Some(Side::Russia), None),
            Pattern::HeldAdjective if trigger_text.eq_ignore_ascii_case("liberated") => (ControlKind::Presence, Some(Side::Ukraine), None),
            // "A is back under Ukrainian control", "A is under Russian control again": taken back.
            Pattern::HeldUnder | Pattern::HeldAdjective if back_under(trigger_text, &s[trigger.end..]) => {
                let to = named_in_trigger();
                (ControlKind::Change, to, to.map(Side::opponent))
            }
            Pattern::HeldUnder | Pattern::HeldAdjective => (ControlKind::Presence, named_in_trigger(), None),
            Pattern::PresenceIn | Pattern::Holds | Pattern::Repelled if partial => (ControlKind::Contested, None, None),
            Pattern::PresenceIn => match self.actor_ending_at(trigger.start) {
                // "Ukrainian troops are back in A": returned, so taken back.
                Some(side) if lower.split(' ').any(|w| w == "back") => (ControlKind::Change, Some(side), Some(side.opponent())),
                Some(side) => (ControlKind::Presence, Some(side), None),
                None => return Vec::new(),
            },
            Pattern::Holds | Pattern::Repelled => (ControlKind::Presence, subject(), None),
            Pattern::Fighting => (ControlKind::Contested, None, None),
            Pattern::RecentGain if partial => (ControlKind::Contested, None, None),
            Pattern::RecentGain => {
                let to = match liberation_or_occupation(&lower) {
                    Some(side) => Some(side),
                    // "Russian forces attacked the recently captured X": the attacker is not
                    // the side that took it, and the words do not say who did.
                    None if attack_before(&s[..trigger.start]) => return Vec::new(),
                    None => subject(),
                };
                (ControlKind::Change, to, to.map(Side::opponent))
            }
        };
        if kind != ControlKind::Contested && to.is_none() {
            return Vec::new();
        }
        let mut statement = modality::classify(s, trigger.clone(), &self.ctx);
        if statement.kind == StatementKind::Event {
            if let Some((kind, at, cue)) = governing_aim(s, trigger.clone()) {
                statement.kind = kind;
                statement.cues.push(Cue::at(cue, at, CueEffect::Kind(kind)));
            }
        }
        if let Some(m) = disputed_claim(&s[..trigger.start]) {
            statement.certainty = Certainty::Denied;
            statement.cues.push(Cue::at(m.as_str(), m.start(), CueEffect::Certainty(Certainty::Denied)));
        }
        // What the sentence goes on to contradict is a taking ("but have not yet taken full
        // control of it"): the other side's presence it mentions on the way ("the encirclement
        // of Ukrainian troops in A, but have not yet taken A") stands.
        if statement.certainty != Certainty::Denied && kind == ControlKind::Change {
            if let Some((at, cue)) = contradicted_after(s, trigger.end) {
                statement.certainty = Certainty::Denied;
                statement.cues.push(Cue::at(cue, at, CueEffect::Certainty(Certainty::Denied)));
            }
        }
        // "X is likely under Ukrainian control": a hedge inside the trigger hedges it too.
        if let Some((at, hedge, certainty)) = hedge_inside(trigger_text) {
            let at = trigger.start + at;
            statement.certainty = statement.certainty.max(certainty);
            statement.cues.push(Cue::at(hedge, at, CueEffect::Certainty(certainty)));
        }
        // "Russian forces no longer hold X", "X is no longer under Russian control": the holder
        // has lost it, unless only in part ("no longer fully under Russian control").
        let inside_trigger = lower.find(" no longer ").map(|i| trigger.start + i + 1);
        let (kind, to, from) = match no_longer(s, &statement).or(inside_trigger) {
            Some(at) if kind == ControlKind::Presence => {
                statement.kind = StatementKind::Event;
                if inside_trigger.is_some() {
                    statement.cues.push(Cue::at(&s[at..at + "no longer".len()], at, CueEffect::Kind(StatementKind::Negated)));
                }
                if in_part_after(&s[at..]) {
                    (ControlKind::Contested, None, None)
                } else {
                    (ControlKind::Change, to.map(Side::opponent), to)
                }
            }
            _ => (kind, to, from),
        };
        // Entering ("entered A", "swept into A") and newly taken positions in a place ("newly
        // captured positions in A"): in a city of districts, a fight.
        let gets_inside = pattern == Pattern::Gain && (lower.starts_with("enter") || lower.ends_with(" into"))
            || pattern == Pattern::RecentGain && (lower.ends_with(" in") || lower.ends_with(" at"));
        let date = self.date(trigger.start);
        // Told as recent: at some time in the week before the statement's date.
        let date = match date {
            Some(d) if pattern == Pattern::RecentGain => Some(EventDate { from: d.to - Duration::days(AS_OF_DAYS), precision: DatePrecision::Week, ..d }),
            d => d,
        };
        // A second claim in the sentence ("footage showed ..., and a channel claimed that X")
        // gives its own claimant to what it governs.
        let claimant =
            self.claim.and_then(|c| crate::claims::clause_claimant(s, &c.cue, trigger.start).or_else(|| c.claimant.as_ref().map(|c| c.name.clone())));
        let cues = statement
            .cues
            .iter()
            .filter(|c| !c.text.is_empty() && matches!(c.effect, CueEffect::Certainty(_) | CueEffect::Kind(_)))
            .map(|c| c.text.clone())
            .collect();
        objects
            .into_iter()
            .filter_map(|t| {
                let p = self.settle(t)?;
                // Troops that enter a city of districts, or take positions in it, fight in it;
                // they hold a village.
                let (kind, to, from) = if kind == ControlKind::Change && gets_inside && p.population() >= ENTERED_CITY_POPULATION {
                    (ControlKind::Contested, None, None)
                } else {
                    (kind, to, from)
                };
                Some(ControlStatement {
                    kind,
                    place: ControlPlace::of(&p, t),
                    to_side: to,
                    from_side: from,
                    date: date.clone(),
                    claimant: claimant.clone(),
                    statement: statement.kind,
                    certainty: statement.certainty,
                    cues: Vec::clone(&cues),
                    trigger: trigger_text.to_owned(),
                    start: self.offset,
                    end: self.offset + s.len(),
                    area: false,
                    within: [p.admin1(), p.admin2()].into_iter().flatten().map(|a| a.id()).collect(),
                })
            })
            .collect()
    }

    /// A whole area one side has left: "Russian forces completely vacated Sumy Oblast", "...
    /// have withdrawn from Kyiv Oblast", "completed their withdrawal from the Sumy Oblast". The
    /// area (an oblast or a raion, written with its type word) must follow the verb at once, the
    /// verb must tell a done withdrawal (not "are withdrawing", "continued to withdraw", "will
    /// withdraw"), and its subject must be a side's forces as a whole, only auxiliaries and
    /// "completely", "fully" between: "most forces", "elements of a brigade", "Russian forces
    /// east of Kyiv", "almost completely" and "parts of" the area give none.
    fn area_withdrawal(&self, trigger: std::ops::Range<usize>) -> Option<ControlStatement> {
        static SUBJECT: OnceLock<Regex> = OnceLock::new();
        let subject = SUBJECT.get_or_init(|| {
            crate::pattern::regex(
                r"(?i)(?:^|[,;:]\s*|(?-u:\b)(?:that|and)\s+)(?:all\s+)?(?:the\s+)?(?:(?P<ru>Russian|Russia['’]s)|(?P<ua>Ukrainian|Ukraine['’]s))\s+(?:forces|troops|military)\s+(?:(?:have|has|had|now|completely|fully|entirely|finally|reportedly)\s+){0,3}$",
            )
            .expect("the area subject pattern compiles")
        });
        let s = self.sentence;
        let trigger_text = &s[trigger.clone()];
        let lower = trigger_text.to_lowercase();
        if !["withdrew", "withdrawn", "vacated", "left", "retreated", "pulled out", "completed their withdrawal", "completed its withdrawal"]
            .iter()
            .any(|w| lower.starts_with(w))
        {
            return None;
        }
        let c = subject.captures(&s[..trigger.start])?;
        // "Russian forces withdrawn from the region will ...": a participle after its noun.
        if lower.starts_with("withdrawn")
            && !c.get(0).is_some_and(|m| m.as_str().split_whitespace().any(|w| matches!(w.to_lowercase().as_str(), "have" | "has" | "had")))
        {
            return None;
        }
        let loser = if c.name("ru").is_some() { Side::Russia } else { Side::Ukraine };
        let rest = &s[trigger.end..];
        let mut at = trigger.end + rest.len() - rest.trim_start().len();
        if s[at..].starts_with("the ") {
            at += 4;
        }
        let t = self.toponyms.iter().find(|t| t.byte_start == self.offset + at)?;
        let place = area(t)?;
        // "Chernihiv and Sumy Oblasts", "Sumy Oblast and parts of ...": one area alone.
        let after = &s[t.byte_end - self.offset..];
        if after.trim_start().starts_with("and ") || typed_list().is_match(after) {
            return None;
        }
        let mut statement = modality::classify(s, trigger.clone(), &self.ctx);
        if statement.kind == StatementKind::Event {
            if let Some((kind, ..)) = governing_aim(s, trigger.clone()) {
                statement.kind = kind;
            }
        }
        if statement.certainty != Certainty::Denied && (disputed_claim(&s[..trigger.start]).is_some() || contradicted_after(s, trigger.end).is_some()) {
            statement.certainty = Certainty::Denied;
        }
        let claimant =
            self.claim.and_then(|c| crate::claims::clause_claimant(s, &c.cue, trigger.start).or_else(|| c.claimant.as_ref().map(|c| c.name.clone())));
        Some(ControlStatement {
            kind: ControlKind::Change,
            place: ControlPlace::of(&place, t),
            to_side: Some(loser.opponent()),
            from_side: Some(loser),
            date: self.date(trigger.start),
            claimant,
            statement: statement.kind,
            certainty: statement.certainty,
            cues: statement
                .cues
                .iter()
                .filter(|c| !c.text.is_empty() && matches!(c.effect, CueEffect::Certainty(_) | CueEffect::Kind(_)))
                .map(|c| c.text.clone())
                .collect(),
            trigger: trigger_text.to_owned(),
            start: self.offset,
            end: self.offset + s.len(),
            area: true,
            within: Vec::new(),
        })
    }

    /// True when the subject of the verb at byte `at` is a part of a force: "elements of the
    /// 25th Brigade", "most Russian forces", "some units".
    fn part_of_force_leaves(&self, at: usize) -> bool {
        static R: OnceLock<Regex> = OnceLock::new();
        let re = R.get_or_init(|| {
            crate::pattern::regex(r"(?i)^\s*(?:(?:the|a)\s+)?(?:elements|most|some|parts?|portions?|remnants|several|many)(?-u:\b)")
                .expect("the part pattern compiles")
        });
        let head = &self.sentence[..at];
        let opener = clause_opener().find_iter(head).map(|m| m.end()).chain(head.rfind([';', ',']).map(|i| i + 1)).max().unwrap_or(0);
        re.is_match(&head[opener..])
    }

    /// The settlement a control verb's toponym names (and [`pin_mentions`] keeps the report's
    /// other stages on it). A reading that a stated direction confirmed or chose stands.
    /// Otherwise its homonyms are settled by the places around it: among the settlements of
    /// the country that share the name (in the oblast the sentence names, when it names
    /// one), those within [`ANCHOR_KM`] of a place the sentence locates unambiguously
    /// ("A, 40 km south of B", "A and B", "near B"), else of one the sentences before it
    /// locate; of those, the nearest, each [`size_class`] up counting half the distance (a
    /// report names the town of thousands 50 km away rather than the hamlet of its name 30 km
    /// away). With none near, the geoparser's choice stands, unless the geoparser found the
    /// name shared by many settlements and nothing chose among them: then the statement cannot
    /// be placed and gives none, unless the choice is a town of [`UNQUALIFIED_POPULATION`]
    /// people or more, the largest of them, which reports name without saying where it is.
    fn settle(&self, t: &Toponym<'g>) -> Option<Place<'g>> {
        let chosen = settlement(t, self.theatre)?;
        if self.settled.binary_search(&t.byte_start).is_ok() {
            return Some(chosen);
        }
        let homonyms = self.same_named_towns(&t.text, chosen.country_code());
        if homonyms.len() < 2 {
            return Some(chosen);
        }
        let oblasts: Vec<u32> = self.toponyms.iter().filter_map(|o| o.place).filter(|p| p.feature() == Feature::Admin1).map(|p| p.index()).collect();
        let in_oblast: Vec<Place<'g>> = homonyms.iter().copied().filter(|h| h.admin1().is_some_and(|a| oblasts.contains(&a.index()))).collect();
        let oblast_named = !in_oblast.is_empty();
        let pool = if oblast_named { in_oblast } else { homonyms };
        let mut anchors = self.anchors(self.toponyms, t);
        if anchors.is_empty() {
            anchors = self.anchors(self.context, t);
        }
        // Distance to the nearest anchor, halved for each size class: a village of thousands
        // may lie twice as far from the places named with it as a hamlet of its name.
        let scaled = |h: &Place<'g>| anchors.iter().map(|a| distance_km(h.point(), *a)).fold(f64::INFINITY, f64::min) / f64::from(1u8 << size_class(h));
        let near = pool
            .iter()
            .filter(|h| anchors.iter().any(|a| distance_km(h.point(), *a) <= ANCHOR_KM))
            .min_by(|a, b| scaled(a).total_cmp(&scaled(b)).then(b.population().cmp(&a.population())))
            .copied();
        match near {
            Some(h) => Some(h),
            None if pool.iter().any(|h| h.index() == chosen.index()) => (t.ambiguous.is_none()
                || chosen.population() >= UNQUALIFIED_POPULATION && pool.iter().all(|h| h.population() <= chosen.population()))
            .then_some(chosen),
            None => pool.iter().max_by_key(|h| h.population()).copied(),
        }
    }

    /// The towns of country `cc` called `name`: by their own name or another spelling of it,
    /// not by another name that the gazetteer lists for them (a former or foreign name, or a
    /// mistaken one: GeoNames gives Nikopol "Slovyansk"), told by its first letter.
    fn same_named_towns(&self, name: &str, cc: &str) -> Vec<Place<'g>> {
        let mut buf = String::new();
        let initial = |s: &str| s.chars().next().map(|c| c.to_lowercase().next());
        self.gaz
            .lookup(name, &mut buf)
            .map(|(i, flags)| (self.gaz.place(i), flags))
            .filter(|(p, flags)| {
                p.feature() == Feature::City && p.country_code() == cc && (!flags.is_alternate() || initial(p.display_name()) == initial(name))
            })
            .map(|(p, _)| p)
            .collect()
    }

    /// The points of the towns among `toponyms`, other than `t`, that no homonym makes
    /// doubtful: the only town of their name in their country, or the largest of that name
    /// when it is a large one (whatever villages share its name, or however the geoparser
    /// read it). A road's destination in this sentence ("a foothold on the highway to B") is
    /// where the road leads, not where its villages lie: no anchor.
    fn anchors(&self, toponyms: &[Toponym<'g>], t: &Toponym<'g>) -> Vec<LatLon> {
        static ROAD_TO: OnceLock<Regex> = OnceLock::new();
        let road_to = ROAD_TO.get_or_init(|| {
            crate::pattern::regex(r"(?i)(?:highway|road|motorway|route|railway|rail\s+line)\s+(?:to|toward|towards)\s+(?:the\s+city\s+of\s+)?$")
                .expect("the road pattern compiles")
        });
        let destination = |o: &Toponym<'_>| {
            o.byte_start
                .checked_sub(self.offset)
                .filter(|&at| self.sentence.is_char_boundary(at))
                .is_some_and(|at| road_to.is_match(&self.sentence[crate::geocheck::boundary_at_or_before(self.sentence, at.saturating_sub(48))..at]))
        };
        toponyms
            .iter()
            .filter(|o| o.byte_start != t.byte_start && o.role == Role::Literal && key(&o.text) != key(&t.text) && !destination(o))
            .filter_map(|o| {
                let towns = self.same_named_towns(&o.text, named_town(o)?.country_code());
                let largest = towns.iter().max_by_key(|p| p.population())?;
                (largest.population() >= ANCHOR_POPULATION || towns.len() == 1).then(|| largest.point())
            })
            .collect()
    }

    /// The settlement toponym that starts at byte `at` of the sentence, if any.
    fn settlement_at(&self, at: usize) -> Option<&Toponym<'_>> {
        self.toponyms.iter().find(|t| t.byte_start == self.offset + at && self.names_settlement(t))
    }

    /// True when the toponym names a settlement here: not "the Izyum axis", "Luhansk Oblast",
    /// "Donetsk and Luhansk Oblasts".
    fn names_settlement(&self, t: &Toponym<'_>) -> bool {
        let after = &self.sentence[t.byte_end - self.offset..];
        let after = &after[city_word(after)..];
        // "Cherkasy Tyshky": a longer name the gazetteer lacks, not the town it starts with.
        let longer_name = capitalised_word_next(after);
        settlement(t, self.theatre).is_some() && !not_a_settlement_after(after) && !longer_name && !typed_list().is_match(after)
    }

    /// The settlements listed from byte `from` on: "A", "A and B", "A, B, and C", each perhaps
    /// with an apposition after it; and whether the list is of parts or surroundings
    /// ("the outskirts of A", "near A").
    fn objects_after(&self, from: usize) -> (Vec<&Toponym<'_>>, bool) {
        let s = self.sentence;
        // A verb in quotation marks ('had "liberated" A').
        let mut at = from + s[from..].len() - s[from..].trim_start_matches(['"', '”', '’', '\'']).len();
        let mut partial = false;
        // "the Kyiv suburb of A" names A itself, "the outskirts of A" part of it.
        if let Some(m) = named_suburb().find(&s[at..]) {
            at += m.end();
        }
        if let Some(m) = partial_prefix().find(&s[at..]) {
            partial = true;
            at += m.end();
        }
        // "swathes of contested terrain—including A, B, and C", "several villages, including A".
        if self.settlement_at(at + s[at..].len() - s[at..].trim_start().len()).is_none() {
            if let Some(m) = including().find(&s[at..]) {
                // "several neighbourhoods near A—including B, C": parts of a town, or its
                // surroundings, fought through, not villages taken whole.
                partial |= city_parts().is_match(m.as_str());
                at += m.end();
            }
        }
        // "took control of the settlement": the one named before, and no list goes on.
        if let Some(t) = self.anaphor(at) {
            return (vec![t], partial);
        }
        let mut out = Vec::new();
        loop {
            if let Some(m) = whole_prefix().find(&s[at..]) {
                at += m.end();
            }
            if !partial {
                if let Some(m) = partial_prefix().find(&s[at..]) {
                    partial = true;
                    at += m.end();
                }
            }
            let Some(t) = self.settlement_at(at) else {
                // A name the gazetteer lacks, or not a settlement, inside a list ("A, B, and
                // C" where B is unknown): passed over, and the list goes on.
                match unknown_list_item().find(&s[at..]) {
                    Some(m) => {
                        at += m.end();
                        continue;
                    }
                    None => break,
                }
            };
            let end = t.byte_end - self.offset;
            out.push(t);
            partial |= possessive_part().is_match(&s[end..]);
            at = end + city_word(&s[end..]);
            if let Some(m) = apposition().find(&s[at..]) {
                at += m.end();
            }
            // A connector, then another settlement.
            let rest = &s[at..];
            let connector = ["; ", ", and ", " and ", ", as well as ", " as well as ", ", ", " & ", " or ", ", or "].iter().find(|c| rest.starts_with(**c));
            match connector {
                Some(c) => at += c.len(),
                None => break,
            }
        }
        (out, partial)
    }

    /// The settlement that "the settlement", "the town", "the village" or "the city" at byte
    /// `at` refers back to: the one settlement named before it in the sentence, else, when the
    /// sentence names none before it, the one settlement the sentence before names. None when
    /// there are two or more to choose from, or the noun goes on ("the town of A", "the city
    /// council").
    fn anaphor(&self, at: usize) -> Option<&'a Toponym<'g>> {
        static R: OnceLock<Regex> = OnceLock::new();
        let re = R.get_or_init(|| {
            crate::pattern::regex(&format!(r"(?i)^\s*(?:{})(?-u:\b)", REFERRING.join("|").replace(' ', r"\s+"))).expect("the anaphor pattern compiles")
        });
        static END: OnceLock<Regex> = OnceLock::new();
        // The noun phrase ends there: punctuation, or a word that starts what comes after an
        // object ("on Monday", "and", "after", "itself"), not another noun ("the city council").
        let ends = END.get_or_init(|| {
            crate::pattern::regex(r"(?i)^(?:\s*(?:$|[,.;:)—–]|(?:on|in|at|after|before|and|but|by|from|since|last|this|early|late|earlier|yesterday|today|as|following|despite|while|with|without|until|to|for|during|over|itself|entirely|fully|completely|again|back)(?-u:\b)))")
                .expect("the anaphor end pattern compiles")
        });
        let m = re.find(&self.sentence[at..])?;
        if !ends.is_match(&self.sentence[at + m.end()..]) {
            return None;
        }
        let named = |t: &&'a Toponym<'g>| t.role == Role::Literal && !t.local && settlement(t, self.theatre).is_some();
        let before = self.offset + at;
        let in_sentence: Vec<&'a Toponym<'g>> = self.toponyms.iter().filter(|t| t.byte_end <= before).filter(named).collect();
        if !in_sentence.is_empty() {
            return self.the_one(&in_sentence);
        }
        let previous = self.previous_start?;
        let in_previous: Vec<&'a Toponym<'g>> = self.context.iter().filter(|t| t.byte_start >= previous && t.byte_start < self.offset).filter(named).collect();
        self.the_one(&in_previous)
    }

    /// The first of `toponyms` when they all name the same settlement.
    fn the_one(&self, toponyms: &[&'a Toponym<'g>]) -> Option<&'a Toponym<'g>> {
        let first = *toponyms.first()?;
        let place = settlement(first, self.theatre)?.index();
        toponyms.iter().all(|t| settlement(t, self.theatre).is_some_and(|p| p.index() == place)).then_some(first)
    }

    /// The settlement a relative clause's verb takes when the verb has no object after it: "A,
    /// 60 km west of B, which Ukrainian forces recaptured on March 2" is about A (not B, the
    /// reference place of A's apposition). The relative pronoun must follow the settlement (or
    /// its apposition) after a comma, and the verb's subject, an actor with only auxiliaries
    /// and adverbs after it, must follow the pronoun at once.
    fn relative_antecedent(&self, trigger: usize) -> Option<&Toponym<'_>> {
        let head = &self.sentence[..trigger];
        let which = head.rfind(", which ")?;
        let clause = &head[which + ", which ".len()..];
        let actor = actor_pattern().captures(clause)?.get(0)?;
        if !matches!(clause[..actor.start()].trim(), "" | "the") || actor_right_before(clause).is_none() {
            return None;
        }
        self.antecedent_ending_at(which)
    }

    /// The settlement whose mention, or whose mention and apposition ("A, 20 km north of B"),
    /// ends at byte `at` of the sentence.
    fn antecedent_ending_at(&self, at: usize) -> Option<&Toponym<'_>> {
        let s = self.sentence;
        let before: Vec<&Toponym<'_>> = self.toponyms.iter().filter(|t| t.byte_end <= self.offset + at).collect();
        // The nearest mention may be the reference place inside an earlier one's apposition.
        let with_apposition = before.iter().rev().take(3).find(|t| {
            let end = t.byte_end - self.offset;
            let end = end + city_word(&s[end..at]);
            apposition().find(&s[end..at]).is_some_and(|m| s[end + m.end()..at].trim().is_empty())
        });
        let nearest = before.last().filter(|t| {
            let end = t.byte_end - self.offset;
            s[end + city_word(&s[end..at])..at].trim().is_empty()
        });
        with_apposition.or(nearest).copied().filter(|t| self.names_settlement(t))
    }

    /// The settlements listed right before byte `before` (a passive verb: "A and B were
    /// captured"), skipping auxiliaries and adverbs.
    fn objects_before(&self, before: usize) -> Vec<&Toponym<'_>> {
        let mut out: Vec<&Toponym<'_>> = Vec::new();
        let mut end = self.offset + before;
        loop {
            let head = &self.sentence[..end - self.offset];
            let trimmed = head.trim_end();
            // Skip auxiliaries and adverbs ("has reportedly been").
            let last = last_word(trimmed);
            if !last.is_empty()
                && trimmed.ends_with(last)
                && (matches!(
                    last.to_lowercase().as_str(),
                    "has" | "have" | "had" | "been" | "reportedly" | "now" | "still" | "also" | "likely" | "fully" | "firmly"
                ) || last.ends_with("ly") && last.chars().next().is_some_and(char::is_lowercase))
            {
                end = self.offset + trimmed.len() - last.len();
                continue;
            }
            let stop = self.offset + trimmed.len();
            let Some(t) = self.toponyms.iter().rev().find(|t| {
                let name_end = t.byte_end + city_word(&self.sentence[t.byte_end - self.offset..]);
                name_end == stop || name_end + 1 == stop && head[..trimmed.len()].ends_with(')')
            }) else {
                break;
            };
            if !self.names_settlement(t) {
                break;
            }
            out.push(t);
            let before_name = &self.sentence[..t.byte_start - self.offset];
            let connector = [", and ", " and ", ", "].iter().find(|c| before_name.ends_with(**c));
            match connector {
                Some(c) if out.len() < 20 => end = t.byte_start - c.len(),
                _ => break,
            }
        }
        out.reverse();
        out
    }

    /// The side of the subject of the verb at byte `at`: the first actor after the nearest
    /// clause opener before it, else the first actor before it in the sentence, else the
    /// claimant's side when the subject is a pronoun or missing.
    fn subject_side(&self, at: usize) -> Option<Side> {
        let head = &self.sentence[..at];
        if let Some((side, actor)) = actor_right_before(head) {
            return Some(self.as_voiced(side, actor));
        }
        self.subject_side_in_clause(head)
    }
    /// "The enemy" is the other side of whoever speaks: Russia in a Ukrainian or neutral voice
    /// (as the side words have it), Ukraine when a Russian voice says it ("the Russian
    /// ministry said the enemy withdrew from A"). Gives `side` turned round in that case:
    /// when `actor`, the words that gave it, name "the enemy" and the claimant is Russian.
    fn as_voiced(&self, side: Side, actor: &str) -> Side {
        let enemy = actor.split(|c: char| !c.is_alphanumeric()).any(|w| w.eq_ignore_ascii_case("enemy"));
        match side {
            Side::Russia if enemy && self.claimant_side() == Some(Side::Russia) => Side::Ukraine,
            _ => side,
        }
    }

    /// The side of the subject of the verb at `head`'s end, past the actor right before it.
    fn subject_side_in_clause(&self, head: &str) -> Option<Side> {
        let opener = clause_opener().find_iter(head).map(|m| m.end()).chain(head.rfind(';').map(|i| i + 1)).max().unwrap_or(0);
        let first_actor = |from: usize| {
            actor_pattern()
                .captures_iter(&head[from..])
                .filter(|c| {
                    let start = from + c.get(0).map_or(0, |m| m.start());
                    // A state is the clause's subject only where the clause starts with it.
                    can_act(c, &head[..start]) && (!is_state(c) || head[from..start].trim().is_empty())
                })
                .filter(|c| {
                    !after_preposition(&head[..from + c.get(0).map_or(0, |m| m.start())]) || part_of_force(&head[..from + c.get(0).map_or(0, |m| m.start())])
                })
                .find_map(|c| side_of_capture(&c).map(|side| self.as_voiced(side, c.get(0).map_or("", |m| m.as_str()))))
        };
        if let Some(side) = first_actor(opener) {
            return Some(side);
        }
        // "The ministry said it took X", "... that its forces took X": the claimant's side,
        // else the actor before the clause. A subject that names no side gives none.
        if pronoun_subject(&head[opener..]) {
            return self.claimant_side().or_else(|| if opener > 0 { first_actor(0) } else { None });
        }
        // "The ministry said that units of the Southern group of forces liberated X", "our
        // troops have liberated X": a side's report of its own forces, named without the side.
        if sideless_force(&head[opener..]) {
            return self.claimant_side();
        }
        None
    }

    /// The side named in "by ..." right after a passive verb.
    fn side_after(&self, from: usize) -> Option<Side> {
        let rest = &self.sentence[from..];
        let by = rest.find(" by ")?;
        if by > 80 {
            return None;
        }
        let tail = &rest[by + 4..];
        let actor = actor_pattern().captures_iter(tail).next().filter(|c| c.get(0).is_some_and(|m| m.start() < 12))?;
        side_of_capture(&actor).map(|side| self.as_voiced(side, actor.get(0).map_or("", |m| m.as_str())))
    }

    /// The side of the actor that starts at byte `from` of the sentence, past spaces and an
    /// article ("fell to| the Russians").
    fn actor_starting_at(&self, from: usize) -> Option<Side> {
        let rest = &self.sentence[from..];
        let actor = actor_pattern().captures_iter(rest).next()?;
        let whole = actor.get(0)?;
        matches!(rest[..whole.start()].trim().to_lowercase().as_str(), "" | "the")
            .then(|| side_of_capture(&actor))
            .flatten()
            .map(|side| self.as_voiced(side, whole.as_str()))
    }

    /// The actor whose words end right before byte `at` ("Ukrainian troops| in").
    fn actor_ending_at(&self, at: usize) -> Option<Side> {
        let head = &self.sentence[..crate::geocheck::boundary_at_or_before(self.sentence, at + 40)];
        actor_pattern().captures_iter(head).filter(|c| c.get(0).is_some_and(|m| m.start() <= at && m.end() >= at)).find_map(|c| side_of_capture(&c))
    }

    /// The side of the sentence's claimant ("The Ukrainian General Staff said it ...").
    fn claimant_side(&self) -> Option<Side> {
        let name = self.claim?.claimant.as_ref()?.name.as_str();
        side_word(name)
    }

    /// The words of the sentence before byte `at` of the text (a date's start).
    fn text_before(&self, at: usize) -> &str {
        let end = at.saturating_sub(self.offset).min(self.sentence.len());
        &self.sentence[..crate::geocheck::boundary_at_or_before(self.sentence, end)]
    }

    /// The date of the statement at byte `at`: the nearest date written in its clause, else
    /// the day before publication to publication (reports tell the last day's events).
    fn date(&self, at: usize) -> Option<EventDate> {
        let s = self.sentence;
        let clause_start = s[..at].rfind(';').map_or(0, |i| i + 1);
        let clause_end = s[at..].find(';').map_or(s.len(), |i| at + i);
        let written = crate::dates::within(self.ctx.dates, self.offset + clause_start..self.offset + clause_end)
            .iter()
            .min_by_key(|d| d.start.abs_diff(self.offset + at));
        match (written, self.published) {
            // "captured A and B as of noon on March 13": the state on that day, the change at
            // some time in the week before it.
            (Some(d), published) if published.is_none_or(|p| d.from <= p) && as_of_before(self.text_before(d.start)) => {
                Some(EventDate { from: d.to - Duration::days(AS_OF_DAYS), to: d.to, precision: d.precision, from_text: DateSource::Sentence })
            }
            (Some(d), published) if published.is_none_or(|p| d.from <= p) => {
                Some(EventDate { from: d.from, to: d.to, precision: d.precision, from_text: DateSource::Sentence })
            }
            (_, Some(p)) => Some(EventDate { from: p - Duration::days(1), to: p, precision: DatePrecision::Day, from_text: DateSource::Publication }),
            (_, None) => None,
        }
    }
}

/// A contradiction of a control claim later in its sentence, after a contrast: "claimed that
/// they seized A, but this claim is likely incorrect", "... but were likely unable to secure
/// the settlement", "... but have likely not entered it", "... indicating fighting likely
/// remains ongoing". Gives its offset in the sentence and its text.
fn contradicted_after(sentence: &str, from: usize) -> Option<(usize, &str)> {
    static TURN: OnceLock<Regex> = OnceLock::new();
    static CUE: OnceLock<Regex> = OnceLock::new();
    let turn = TURN.get_or_init(|| ci(r"but|though|although|however|yet"));
    let cue = CUE.get_or_init(|| {
        ci(r"(?:likely|probably|almost\ certainly|is|are|was|were)\ (?:incorrect|false|untrue|inaccurate|exaggerated|premature)|unable\ to\ (?:secure|capture|take|hold|clear|enter|seize)|(?:have|has|had)\ (?:likely\ |probably\ )?not\ (?:yet\ )?(?:fully\ )?(?:entered|captured|taken|secured|seized|cleared)|fighting\ (?:likely\ |probably\ )?(?:remains|is|was)\ (?:still\ )?ongoing|(?:remain|remains|remained)\ in\ control")
    });
    let rest = &sentence[from..];
    let rest = &rest[..rest.find(';').unwrap_or(rest.len())];
    let t = turn.find(rest)?;
    let m = cue.find(&rest[t.end()..])?;
    let at = from + t.end() + m.start();
    Some((at, &sentence[at..at + m.len()]))
}

/// The side a participle of recent gain names by itself: a liberation is Ukraine's, an
/// occupation Russia's.
fn liberation_or_occupation(trigger: &str) -> Option<Side> {
    if trigger.contains("liberated") {
        Some(Side::Ukraine)
    } else if trigger.contains("occupied") {
        Some(Side::Russia)
    } else {
        None
    }
}

/// True when the clause before a trigger tells an attack ("shelled", "attacked",
/// "counterattacks against"), whose subject is then not the side that holds what follows.
fn attack_before(head: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let clause = &head[head.rfind([';', ',']).map_or(0, |i| i + 1)..];
    R.get_or_init(|| {
        ci(r"attack\w*|counter-?attack\w*|assault\w*|shell\w*|struck|strikes?|striking|against|bombard\w*|targeted|targeting|recapture|retake|regain")
    })
    .is_match(clause)
}

/// How many days before an "as of" date a change it reports may have happened: a statement of
/// the state on a day says the change came at some time before it, within the report's week.
const AS_OF_DAYS: i64 = 7;

/// True when a date is written as the day a state held by ("as of March 13", "as of noon
/// local time on March 13", "as of 3pm on"): `head` is the sentence up to the date.
fn as_of_before(head: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| crate::pattern::regex(r"(?i)(?-u:\b)as\s+of(?:\s+[\w:.]+){0,4}?(?:\s+on)?\s*$").expect("the as-of pattern compiles")).is_match(head)
}

/// True when a holding ("is under Ukrainian control") is a return to it: "back under" in the
/// trigger, or "again" / "once more" right after it.
fn back_under(trigger: &str, after: &str) -> bool {
    let after = after.trim_start().to_lowercase();
    let trigger = trigger.to_lowercase();
    trigger.contains(" back under ")
        || trigger.contains(" again ")
        || after.starts_with("again")
        || after.starts_with("once more")
        || after.starts_with("once again")
}

/// A hedge that a trigger holds between its words ("is likely under Ukrainian control", "was
/// reportedly captured"), or a claim it starts with ("claimed control of"): its offset in the
/// trigger, the word, and the certainty it gives.
fn hedge_inside(trigger: &str) -> Option<(usize, &str, Certainty)> {
    let mut at = 0;
    for word in trigger.split(' ') {
        let certainty = match (at, word.to_lowercase().as_str()) {
            (1.., "likely" | "probably" | "possibly" | "apparently") => Some(Certainty::Assessed),
            (1.., "reportedly" | "allegedly") => Some(Certainty::Reported),
            // "claimed control of X": the trigger's own first word makes it a claim.
            (0, "claimed" | "claims" | "claim" | "claiming") => Some(Certainty::Claimed),
            _ => None,
        };
        if let Some(c) = certainty {
            return Some((at, word, c));
        }
        at += word.len() + 1;
    }
    None
}

/// True when a passive trigger tells a liberation ("was liberated", "has been freed",
/// "were de-occupied").
fn liberation_verb(trigger: &str) -> bool {
    trigger.split_whitespace().last().is_some_and(|w| matches!(w.to_lowercase().as_str(), "liberated" | "freed" | "de-occupied"))
}

/// Where "no longer" stands in `sentence` when it alone makes the statement a non-event ("will
/// no longer hold X" is a forecast as well, and stays one).
fn no_longer(sentence: &str, statement: &modality::Statement) -> Option<usize> {
    if statement.kind != StatementKind::Negated {
        return None;
    }
    let mut kinds = statement.cues.iter().filter(|c| matches!(c.effect, CueEffect::Kind(_)));
    let cue = kinds.next()?;
    let alone = kinds.next().is_none();
    (alone && !cue.in_next && cue.text.eq_ignore_ascii_case("no longer")).then_some(cue.start).filter(|&at| at < sentence.len())
}

/// True when the clause that starts `rest` says "only in part": "no longer fully under
/// Russian control", "no longer control it completely".
fn in_part_after(rest: &str) -> bool {
    let clause = rest.split([',', ';']).next().unwrap_or(rest);
    clause.split(|c: char| !c.is_alphanumeric()).any(|w| matches!(w.to_lowercase().as_str(), "fully" | "completely" | "entirely" | "totally" | "wholly"))
}

/// True when the words before a participle ("occupied", "liberated") can end its subject or
/// verb group, so that it is the verb: "Russian forces occupied X", "BTGs of the 71st Regiment
/// occupied X", "had occupied X", "quickly occupied X", "seized A and occupied X". After
/// anything else it is an adjective, which says who holds the settlement, not that it changed
/// hands: "integrate occupied X", "the DNR, LNR, and occupied X".
fn can_precede_verb(before: &str) -> bool {
    static SUBJECT: OnceLock<Regex> = OnceLock::new();
    let subject = SUBJECT.get_or_init(|| ci(&format!("{FORCE}|{RU}|{UA}|have|has|had|then|also|who|which|that|they|it|we")));
    let word = last_word(before);
    let lower = word.to_lowercase();
    if lower == "and" || lower == "or" {
        // Coordinated with another verb ("seized Kherson and occupied X"), unless it ends a
        // list ("A, B, and occupied X").
        let head = before.trim_end();
        return !head[..head.len().saturating_sub(word.len())].trim_end().ends_with(',');
    }
    lower.ends_with("ly") || word.chars().next().is_some_and(char::is_uppercase) || subject.find(word).is_some_and(|m| m.len() == word.len())
}

/// The noun phrases that refer back to a settlement named before ([`SentenceReading::anaphor`]).
const REFERRING: [&str; 4] = ["the settlement", "the town", "the village", "the city"];

/// Verbs of starting or going on: what follows them is under way, not done.
const BEGIN_OR_GO_ON: [&str; 12] =
    ["began", "begun", "begin", "begins", "beginning", "started", "start", "starts", "continued", "continue", "continues", "continuing"];

/// True when a withdrawal announced as a noun is only ordered or begun ("ordered the withdrawal
/// of troops from X", "began the withdrawal from X").
fn announced_under_way(trigger: &str) -> bool {
    let verb = trigger.split_whitespace().next().unwrap_or("").to_lowercase();
    verb.starts_with("order") || BEGIN_OR_GO_ON.contains(&verb.as_str())
}

/// True when the words between an expelling verb and its "from" begin with a preposition ("push
/// on A from", "drove toward A from"): an attack from somewhere, not a force driven out.
fn attack_from(trigger: &str) -> bool {
    let second = trigger.split_whitespace().nth(1).unwrap_or("").to_lowercase();
    matches!(second.as_str(), "on" | "toward" | "towards" | "to" | "into" | "through" | "across" | "along" | "past" | "at" | "against" | "deeper")
}

/// True when a taking or a withdrawal is told as begun or going on, not done: a gerund or an
/// infinitive after a verb of starting or going on ("began withdrawing from", "continued to
/// withdraw from", "started clearing"). The settlement is fought over or being left; its holder
/// has not changed yet. The plain progressive ("are clearing X", "are withdrawing from X") is
/// read as the change: in a daily report it tells troops already in the settlement, or leaving
/// it that day, and the front-line maps mark such settlements changed within days (measured on
/// ISW's 2022 assessments). A participle clause after a finite verb ("made gains, capturing X")
/// tells a done taking.
fn under_way(sentence: &str, trigger: std::ops::Range<usize>) -> bool {
    let verb = sentence[trigger.clone()].split_whitespace().next().unwrap_or("").to_lowercase();
    let mut before = sentence[..trigger.start].split_whitespace().rev().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase());
    let mut previous = || before.find(|w| !(w.ends_with("ly") || matches!(w.as_str(), "now" | "still" | "also" | "already" | "then")));
    let Some(w1) = previous() else { return false };
    let w1 = if !verb.ends_with("ing") && w1 == "to" {
        previous().unwrap_or_default()
    } else if verb.ends_with("ing") {
        w1
    } else {
        return false;
    };
    BEGIN_OR_GO_ON.contains(&w1.as_str())
}

/// A word of aim, failure or doubt further back in the clause that governs a control verb:
/// "are unlikely to be able to capture X", "intend to attempt to take the oblast by seizing X",
/// "it is unclear if they have seized X", "failed to achieve its objectives, including
/// capturing X".
/// The verb is governed when it is a base form, a gerund, or a participle after "have" or
/// "been", within [`AIM_WORDS`] words of the cue (any distance down a list of objectives) and
/// no comma, semicolon or contrast between (commas inside such a list apart);
/// a verb in the past ("attempted to encircle A and captured B") is a statement of its own.
/// Gives the kind the cue makes (intention, negated, question), its offset and its text.
fn governing_aim(sentence: &str, trigger: std::ops::Range<usize>) -> Option<(StatementKind, usize, &str)> {
    static AIM: OnceLock<Regex> = OnceLock::new();
    static BREAK: OnceLock<Regex> = OnceLock::new();
    let aim = AIM.get_or_init(|| {
        ci(r"(?P<failure>unlikely|unable|fail(?:ed|s|ing)?|failure)\ (?:to|in)|(?P<aim>intend(?:s|ed|ing)?|seek(?:s|ing)?|sought|aim(?:s|ed|ing)?|plan(?:s|ned|ning)?|hop(?:e|es|ed|ing)|tr(?:y|ies|ied|ying)|attempt(?:s|ed|ing)?|efforts?|bids?|goals?|objectives?|intent(?:ions?)?|ability|capacity)\ (?:to|of|at)|(?P<goal>objectives|goals)\ (?:[\w’'-]+,?\ ){0,4}?including|(?P<doubt>unclear|uncertain)\ (?:if|whether)")
    });
    let contrast = BREAK.get_or_init(|| ci(r"but|however|while|although|whereas|though|after|before"));
    let mut clause_start = sentence[..trigger.start].rfind([';', ',', ':', '(', '—']).map_or(0, |i| i + sentence[i..].chars().next().map_or(1, char::len_utf8));
    // A list of aims ("failed to achieve its objectives, including destroying A, capturing B"):
    // the clause runs back to the word before "including".
    if let Some(i) = sentence[..clause_start].rfind("including").filter(|&i| !sentence[i..trigger.start].contains(';')) {
        clause_start = sentence[..i].rfind([';', ':', '(']).map_or(0, |j| j + 1);
    }
    let head = &sentence[clause_start..trigger.start];
    let c = aim.captures_iter(head).last()?;
    let m = c.get(0)?;
    let between = &head[m.end()..];
    if between.split_whitespace().count() > AIM_WORDS && c.name("goal").is_none() || contrast.is_match(between) {
        return None;
    }
    let verb = sentence[trigger].split_whitespace().next().unwrap_or("").to_lowercase();
    let previous = between.split_whitespace().rev().map(str::to_lowercase).find(|w| !w.ends_with("ly")).unwrap_or_default();
    let past =
        verb.ends_with("ed") || matches!(verb.as_str(), "took" | "retook" | "overran" | "left" | "lost" | "withdrew" | "fled" | "drove" | "threw" | "held");
    if past && !matches!(previous.as_str(), "have" | "has" | "had" | "been" | "be" | "being") {
        return None;
    }
    // A failure anywhere before in the clause negates what it governs, aims included.
    let kind = if aim.captures_iter(head).any(|c| c.name("failure").is_some()) {
        StatementKind::Negated
    } else if c.name("doubt").is_some() {
        StatementKind::Question
    } else {
        StatementKind::Intention
    };
    Some((kind, clause_start + m.start(), m.as_str()))
}

/// A claim the report sets aside, governing what follows in its clause: "despite claims by a
/// member of parliament that Ukrainian forces had liberated X", "in spite of reports that",
/// "the shelling belies Moscow's claims that", "footage contradicts reports that". The
/// report's voice disputes it: the statement is denied.
fn disputed_claim(head: &str) -> Option<crate::pattern::Match<'_>> {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| ci(r"(?:despite|in\ spite\ of|contrary\ to|belie[sd]?|contradict(?:s|ed)?|refut(?:es|ed)|undercut(?:s)?|undermin(?:es|ed)|disprov(?:es|ed)|cast(?:s)?\ doubt\ on)\ (?:the\ |earlier\ |previous\ |recent\ |some\ )*(?:[\w’'-]+\ ){0,2}?(?:claims?|reports?|assertions?|statements?)(?:\ [^;]{0,120}?)?\ that"));
    re.find_iter(head).last().filter(|m| !head[m.end()..].contains(';'))
}

/// How many words a cue of aim reaches over to a control verb ("intend to attempt to take
/// full control of the oblast by seizing X" is eleven).
const AIM_WORDS: usize = 12;

/// True when an [`actor_pattern`] capture can be the subject of a verb: a side's noun or a
/// force anywhere (prepositions are the callers' to check), a state unless a word before it
/// makes it a place ("eastern Ukraine", "occupied Ukraine", "all of Ukraine").
fn can_act(c: &crate::pattern::Captures<'_>, before: &str) -> bool {
    if c.name("noun_ru").is_some() || c.name("noun_ua").is_some() || c.name("force").is_some() {
        return true;
    }
    is_state(c)
        && !matches!(
            last_word(before).to_lowercase().as_str(),
            "eastern"
                | "western"
                | "northern"
                | "southern"
                | "central"
                | "northeastern"
                | "northwestern"
                | "southeastern"
                | "southwestern"
                | "occupied"
                | "unoccupied"
                | "free"
                | "all"
                | "whole"
                | "independent"
                | "of"
        )
}

/// True when an [`actor_pattern`] capture is a state's name or capital.
fn is_state(c: &crate::pattern::Captures<'_>) -> bool {
    c.name("state_ru").is_some() || c.name("state_ua").is_some()
}

/// The side a captured actor names.
fn side_of_capture(c: &crate::pattern::Captures<'_>) -> Option<Side> {
    if c.name("noun_ru").is_some() || c.name("adj_ru").is_some() || c.name("state_ru").is_some() {
        Some(Side::Russia)
    } else if c.name("noun_ua").is_some() || c.name("adj_ua").is_some() || c.name("state_ua").is_some() {
        Some(Side::Ukraine)
    } else {
        None
    }
}

/// The side a phrase names ("the Russian Ministry of Defence", "Ukrainian-held", "President
/// Volodymyr Zelensky"), when it names exactly one.
pub fn side_word(phrase: &str) -> Option<Side> {
    static R: OnceLock<(Regex, Regex)> = OnceLock::new();
    let (ru, ua) =
        R.get_or_init(|| (ci(&format!("{RU}|Russia|Moscow|People['’]?s\\ Republics?|{RU_OFFICIALS}")), ci(&format!("{UA}|Ukraine|Kyiv|{UA_OFFICIALS}"))));
    match (ru.is_match(phrase), ua.is_match(phrase)) {
        (true, false) => Some(Side::Russia),
        (false, true) => Some(Side::Ukraine),
        _ => None,
    }
}

/// True when the text before an actor ends in a preposition: "attacks on Ukrainian
/// positions", "in Russian-occupied": the words are no subject.
fn after_preposition(before: &str) -> bool {
    matches!(
        last_word(before).to_lowercase().as_str(),
        "on" | "against"
            | "in"
            | "into"
            | "of"
            | "from"
            | "to"
            | "toward"
            | "towards"
            | "at"
            | "by"
            | "with"
            | "near"
            | "around"
            | "behind"
            | "through"
            | "past"
            | "under"
            | "for"
    )
}

/// The side of an actor that ends right before a verb, only auxiliaries and adverbs between
/// ("Russian forces have reportedly", "Ukrainian forces either recaptured or Russian forces|
/// withdrew", "forced Russian units to| withdraw"): the verb's own subject, nearer than the
/// clause's first actor. None when the words between are anything else or the actor follows
/// a preposition ("attacks on Ukrainian positions").
fn actor_right_before(head: &str) -> Option<(Side, &str)> {
    let actor = actor_pattern().captures_iter(head).filter(|c| can_act(c, &head[..c.get(0).map_or(0, |m| m.start())])).last()?;
    let whole = actor.get(0)?;
    let before = &head[..whole.start()];
    if after_preposition(before) && !part_of_force(before) {
        return None;
    }
    let between: Vec<String> = head[whole.end()..].split_whitespace().map(str::to_lowercase).collect();
    let linking = |i: usize, w: &str| {
        (w.ends_with("ly") && w.chars().all(char::is_alphabetic))
            || matches!(
                w,
                "have"
                    | "has"
                    | "had"
                    | "been"
                    | "being"
                    | "be"
                    | "was"
                    | "were"
                    | "is"
                    | "are"
                    | "also"
                    | "then"
                    | "later"
                    | "again"
                    | "either"
                    | "both"
                    | "now"
                    | "already"
                    | "still"
                    | "just"
                    | "subsequently"
                    | "further"
            )
            || w == "to" && i + 1 == between.len()
    };
    if between.len() > 4 || !between.iter().enumerate().all(|(i, w)| linking(i, w)) {
        return None;
    }
    Some((side_of_capture(&actor)?, whole.as_str()))
}

/// True when the clause's subject is a pronoun or missing ("it captured", "claimed to have",
/// "its troops took"), after any time phrase that opens the clause ("said on Saturday they had
/// entered", "said September 10, 2022 they had entered").
fn pronoun_subject(clause: &str) -> bool {
    let mut words = clause.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()).peekable();
    let mut skipped = 0;
    while let Some(w) = words.peek() {
        let time_word = w.bytes().all(|b| b.is_ascii_digit())
            || matches!(
                w.as_str(),
                "on" | "late" | "early" | "earlier" | "today" | "yesterday" | "tonight" | "this" | "last" | "morning" | "afternoon" | "evening" | "night"
            )
            || matches!(
                w.as_str(),
                "january" | "february" | "march" | "april" | "may" | "june" | "july" | "august" | "september" | "october" | "november" | "december"
            )
            || w.parse::<chrono::Weekday>().is_ok();
        // "it" and "they" stay pronouns; a phrase of time is a few words at most.
        if !time_word || w.is_empty() || skipped == 6 {
            break;
        }
        words.next();
        skipped += 1;
    }
    let first = words.next().unwrap_or_default();
    matches!(first.as_str(), "it" | "they" | "its" | "their" | "we" | "our" | "he" | "she" | "to" | "" | "had" | "have" | "has" | "also" | "then" | "later")
}

/// True when the clause's subject is a force that names no side ("units of the Southern group
/// of forces", "assault units of the 93rd brigade", "our troops"): a word for a force, or
/// "our", among the first words after the clause's start or its last comma ("As a result of
/// the offensive, units of ... liberated").
fn sideless_force(clause: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let re = R.get_or_init(|| ci(&format!("{FORCE}|our")));
    let clause = clause.rsplit(',').next().unwrap_or(clause);
    clause.split_whitespace().take(4).any(|w| re.is_match(w))
}

/// True when the words before an actor make it part of a force: "elements of", "units of".
fn part_of_force(before: &str) -> bool {
    let words: Vec<&str> = before.split_whitespace().rev().take(2).collect();
    matches!(words.as_slice(), [of, whole] if of.eq_ignore_ascii_case("of") && matches!(whole.to_lowercase().as_str(), "elements" | "units" | "troops" | "forces" | "parts" | "remnants" | "soldiers" | "servicemen" | "detachments" | "personnel" | "part" | "subunits" | "formations"))
}

/// The last word of `text`.
fn last_word(text: &str) -> &str {
    let trimmed = text.trim_end_matches(|c: char| !c.is_alphanumeric());
    let start = trimmed
        .rfind(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'' || c == '’'))
        .map_or(0, |i| i + trimmed[i..].chars().next().map_or(1, char::len_utf8));
    &trimmed[start..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{tests::reader, Report};

    /// (settlement, kind, to side, statement kind, certainty) of each control statement.
    fn read(text: &str) -> Vec<(String, ControlKind, Option<Side>, StatementKind, Certainty)> {
        let report = Report { published: NaiveDate::from_ymd_opt(2022, 9, 12), ..Report::text("t", text) };
        reader().read(&report).control.into_iter().map(|c| (key(&c.place.name), c.kind, c.to_side, c.statement, c.certainty)).collect()
    }

    /// (settlement key, side taking it) of each change that counts.
    fn changes(text: &str) -> Vec<(String, Option<Side>)> {
        read(text).into_iter().filter(|c| c.1 == ControlKind::Change && c.3 == StatementKind::Event).map(|c| (key(&c.0), c.2)).collect()
    }

    fn names(list: &[(String, Option<Side>)]) -> Vec<String> {
        list.iter().map(|(n, _)| n.clone()).collect()
    }

    fn keys(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| key(n)).collect()
    }

    use Side::{Russia as RU, Ukraine as UA};

    #[test]
    fn gain_verbs() {
        for verb in [
            "captured",
            "seized",
            "took",
            "took control of",
            "liberated",
            "recaptured",
            "retook",
            "cleared",
            "entered",
            "raised their flag in",
            "regained control over",
        ] {
            let text = format!("Ukrainian troops {verb} Balakliia on Saturday.");
            assert_eq!(changes(&text), [(key("Balakliia"), Some(UA))], "{text}");
        }
        assert_eq!(changes("Russian units occupied Kupiansk after a short fight."), [(key("Kupiansk"), Some(RU))]);
    }

    #[test]
    fn loss_verbs() {
        for verb in ["withdrew from", "left", "abandoned", "regrouped from", "lost", "were pushed out of", "retreated from", "pulled out of"] {
            let text = format!("Russian troops {verb} Kreminna on Saturday.");
            assert_eq!(changes(&text), [(key("Kreminna"), Some(UA))], "{text}");
        }
        assert_eq!(changes("Ukrainian defenders pushed the Russian garrison out of Izium."), [(key("Izium"), Some(UA))]);
        // An attack on a place from another is no expulsion from either.
        assert!(changes("Russian forces pushed on Lysychansk from Hirske on Monday.").is_empty());
        assert_eq!(changes("Russian troops have withdrawn from Kreminna."), [(key("Kreminna"), Some(UA))]);
        assert!(changes("Russian units withdrawn from Kreminna will be sent to the south.").is_empty());
    }

    #[test]
    fn a_relative_clause_takes_the_settlement_it_follows() {
        assert_eq!(changes("Shelling went on near Lyman, which Russian forces fully captured on Monday."), [(key("Lyman"), Some(RU))]);
        // The reference place of an apposition is not the one taken.
        let text = "The front ran as far west as Makariv, about 50 km west of Kyiv, which Ukraine's 14th Brigade recaptured on Monday.";
        assert_eq!(changes(text), [(key("Makariv"), Some(UA))]);
        assert_eq!(changes("Guns were moved to Kreminna, which was captured by Russian forces on Monday."), [(key("Kreminna"), Some(RU))]);
        assert_eq!(changes("Fighting reached Izium, which Russian forces left on Monday."), [(key("Izium"), Some(UA))]);
        // A relative clause whose subject is no side's force takes nothing.
        assert!(changes("Ambulances drove to Lyman, which the reporters entered on Monday.").is_empty());
    }

    #[test]
    fn a_taking_or_withdrawal_under_way_is_fought_over_not_done() {
        for text in [
            "Russian forces began withdrawing from Kreminna on Monday.",
            "Russian forces continued to withdraw from Kreminna on Monday.",
            "A channel claimed that Russian troops have started clearing Kreminna.",
        ] {
            let got = read(text);
            assert!(!got.is_empty() && got.iter().all(|c| c.1 == ControlKind::Contested), "{text}: {got:?}");
        }
        // The plain progressive of a daily report tells troops in the settlement or leaving it.
        assert_eq!(changes("Russian forces are withdrawing from Kreminna."), [(key("Kreminna"), Some(UA))]);
        // A participle clause after a finite verb tells a done taking.
        assert_eq!(changes("Ukrainian forces advanced on Monday, recapturing Kreminna."), [(key("Kreminna"), Some(UA))]);
        assert_eq!(changes("Russian forces withdrew from Kreminna on Monday."), [(key("Kreminna"), Some(UA))]);
    }

    #[test]
    fn news_phrasings_of_takings() {
        // A verb in quotation marks.
        assert_eq!(changes("The Russian defence ministry said its forces had \"liberated\" Bilohorivka."), [(key("Bilohorivka"), Some(RU))]);
        // A passive without "by": the speaker's side, named by an official's surname.
        assert_eq!(changes("Sviatohirsk has been liberated, President Volodymyr Zelensky said on Monday."), [(key("Sviatohirsk"), Some(UA))]);
        assert_eq!(side_word("Defence Minister Sergei Shoigu"), Some(RU));
        // A flag raised in a town.
        assert_eq!(changes("The Ukrainian flag was raised over Izium on Saturday."), [(key("Izium"), Some(UA))]);
        // Other verbs and idioms of taking and holding.
        assert_eq!(changes("Ukraine's army said it had freed Vysokopillia."), [(key("Vysokopillia"), Some(UA))]);
        assert_eq!(changes("Ukrainian forces reclaimed the town of Kreminna on Saturday."), [(key("Kreminna"), Some(UA))]);
        assert_eq!(changes("Kherson was de-occupied, the Ukrainian General Staff said."), [(key("Kherson"), Some(UA))]);
        assert_eq!(changes("Soledar fell into Russian hands after weeks of fighting."), [(key("Soledar"), Some(RU))]);
        assert_eq!(changes("Lysychansk fell to Russian forces on Sunday."), [(key("Lysychansk"), Some(RU))]);
        // Claimed control: a change claimed by its subject.
        let got = read("Russian-backed separatists claimed control of Soledar.");
        assert_eq!(
            got.iter().map(|c| (c.0.as_str(), c.1, c.2, c.4)).collect::<Vec<_>>(),
            [(key("Soledar").as_str(), ControlKind::Change, Some(RU), Certainty::Claimed)]
        );
        // Regained with a settlement as its object; an adverb of time before "from".
        assert_eq!(changes("Ukrainian forces regained Kupiansk after eight months."), [(key("Kupiansk"), Some(UA))]);
        assert_eq!(changes("Russian troops withdrew overnight from Kherson."), [(key("Kherson"), Some(UA))]);
        // A headline's present, third person.
        assert_eq!(changes("Ukraine retakes Kherson in major blow to Moscow"), [(key("Kherson"), Some(UA))]);
        assert_eq!(changes("Kyiv frees Kupiansk"), [(key("Kupiansk"), Some(UA))]);
        assert_eq!(changes("Kupiansk fell to the Ukrainians within days."), [(key("Kupiansk"), Some(UA))]);
        assert_eq!(changes("Russian troops have been forced to leave Kherson."), [(key("Kherson"), Some(UA))]);
        let got = read("Kreminna remained in Ukrainian hands on Sunday.");
        assert_eq!(got.iter().map(|c| (c.1, c.2)).collect::<Vec<_>>(), [(ControlKind::Presence, Some(UA))], "{got:?}");
        // A denial with a pluperfect is reported speech, not background.
        let got = read("Ukraine denied that Russian troops had taken Soledar.");
        assert_eq!(got.iter().map(|c| (c.3, c.4)).collect::<Vec<_>>(), [(StatementKind::Event, Certainty::Denied)], "{got:?}");
    }

    #[test]
    fn a_state_or_its_capital_acts_only_as_a_subject() {
        // As the verb's subject, the clause's first word, or the agent of a passive.
        assert_eq!(changes("Ukraine retook Kupiansk on Thursday."), [(key("Kupiansk"), Some(UA))]);
        assert_eq!(changes("Officials said Russia had captured Bakhmut."), [(key("Bakhmut"), Some(RU))]);
        assert_eq!(changes("Kyiv recaptured Kreminna after a rapid advance."), [(key("Kreminna"), Some(UA))]);
        assert_eq!(changes("Melitopol was seized by Russia in the first week."), [(key("Melitopol"), Some(RU))]);
        assert_eq!(changes("Russia completed the withdrawal of its forces from Kherson."), [(key("Kherson"), Some(UA))]);
        // "Russia's" stays an adjective, which needs a word for a force to act.
        assert_eq!(changes("Russia's troops captured Bakhmut."), [(key("Bakhmut"), Some(RU))]);
        // A state as a place acts for nobody: after a preposition, after a word of geography,
        // or anywhere but the clause's start; nor does a party named after one.
        assert!(changes("Analysts said the push in eastern Ukraine followed the retreat from Kreminna.").is_empty());
        assert!(changes("Aid convoys from Ukraine entered Kupiansk.").is_empty());
        assert!(changes("Officials of United Russia have left Kherson.").is_empty());
    }

    #[test]
    fn a_capital_speaking_does_not_set_the_reports_country() {
        // Moscow and Soledar are one town each in two countries; Moscow is the voice.
        assert_eq!(changes("Moscow says its troops have captured Soledar."), [(key("Soledar"), Some(RU))]);
        assert_eq!(changes("Officials in Moscow said Russian troops had captured Soledar."), [(key("Soledar"), Some(RU))]);
        // As many towns in two countries: neither is the report's, and none is dropped.
        assert_eq!(changes("Russian troops moved from Belgorod and captured Vovchansk."), [(key("Vovchansk"), Some(RU))]);
    }

    #[test]
    fn a_withdrawal_announced_as_a_noun_gives_the_settlement_up() {
        assert_eq!(changes("The Ukrainian General Staff confirmed the withdrawal of Russian troops from Kreminna."), [(key("Kreminna"), Some(UA))]);
        assert_eq!(changes("Russia's defence ministry announced the withdrawal of its forces from Kherson city."), [(key("Kherson"), Some(UA))]);
        assert_eq!(changes("Ukrainian officials confirmed the withdrawal from Kreminna."), [(key("Kreminna"), Some(RU))]);
        // Ordered or begun: under way, fought over.
        let got = read("Officials ordered the withdrawal of Ukrainian troops from Kreminna.");
        assert!(!got.is_empty() && got.iter().all(|c| c.1 == ControlKind::Contested), "{got:?}");
    }

    #[test]
    fn the_settlement_named_before_is_the_one_the_town_refers_to() {
        assert_eq!(changes("Fighting went on near Kreminna. Russian forces took control of the town on Monday."), [(key("Kreminna"), Some(RU))]);
        assert_eq!(changes("Kreminna lies on the river, and Ukrainian forces liberated the town on Monday."), [(key("Kreminna"), Some(UA))]);
        // Two settlements before it: no telling which.
        assert!(changes("Shelling hit Kreminna and Svatove. Russian forces took control of the town.").is_empty());
        // "the town of A" names A; "the city council" is no settlement.
        assert_eq!(changes("Ukrainian forces liberated the town of Balakliia."), [(key("Balakliia"), Some(UA))]);
        assert!(changes("Shelling hit Kreminna. Russian forces seized the city council building.").is_empty());
        // A side's control of a settlement, named as a noun, is its hold.
        let got = read("Russian control of Kreminna cuts the road.");
        assert_eq!(got.iter().map(|c| (c.1, c.2)).collect::<Vec<_>>(), [(ControlKind::Presence, Some(RU))], "{got:?}");
    }

    #[test]
    fn a_sides_report_of_its_own_forces_named_without_the_side_is_of_that_side() {
        let text = "Russia's defence ministry said that units of the Southern group of forces liberated the village of Kurdiumivka.";
        assert_eq!(changes(text), [(key("Kurdiumivka"), Some(RU))]);
        let text = "The Ukrainian General Staff said that assault units of the 93rd brigade recaptured Klishchiivka.";
        assert_eq!(changes(text), [(key("Klishchiivka"), Some(UA))]);
        let text = "As a result of active operations, units of the Centre group of forces liberated Kurdiumivka, the Russian Ministry of Defence said.";
        assert_eq!(changes(text), [(key("Kurdiumivka"), Some(RU))]);
        // A speaker of no side gives none.
        assert!(changes("Analysts said that units of the brigade recaptured Klishchiivka.").is_empty());
    }

    #[test]
    fn a_contrast_that_denies_a_taking_leaves_the_defenders_presence_standing() {
        let got = read("Russian forces moved to encircle Ukrainian troops in Kreminna but have not yet taken full control of the town.");
        let presence: Vec<_> = got.iter().filter(|c| c.1 == ControlKind::Presence).map(|c| (c.2, c.4)).collect();
        assert_eq!(presence, [(Some(UA), Certainty::Asserted)], "{got:?}");
        assert!(got.iter().all(|c| c.1 != ControlKind::Change || c.3 == StatementKind::Negated), "{got:?}");
        // A taking the sentence goes on to doubt is still denied.
        let got = read("A channel claimed that Russian forces seized Kreminna, but this claim is likely false.");
        assert!(got.iter().any(|c| c.1 == ControlKind::Change && c.4 == Certainty::Denied), "{got:?}");
    }

    #[test]
    fn a_side_word_that_opens_a_sentence_keeps_its_side() {
        assert_eq!(changes("Proxy forces captured Hranitne on Monday."), [(key("Hranitne"), Some(RU))]);
        assert_eq!(changes("Enemy troops withdrew from Kreminna on Monday."), [(key("Kreminna"), Some(UA))]);
        assert_eq!(changes("Separatists seized Hranitne on Monday."), [(key("Hranitne"), Some(RU))]);
    }

    #[test]
    fn a_city_written_with_the_word_city_is_the_city() {
        assert_eq!(changes("Ukrainian troops liberated Kherson City on Friday."), [(key("Kherson"), Some(UA))]);
        assert_eq!(changes("Russian forces left Kherson city and Nova Kakhovka."), [(key("Kherson"), Some(UA)), (key("Nova Kakhovka"), Some(UA))]);
        assert_eq!(changes("Kherson City was liberated by Ukrainian forces on Friday."), [(key("Kherson"), Some(UA))]);
        // "City" starting a longer name is no city: the council is not taken.
        assert!(changes("Russian forces seized the Kherson City Council building.").is_empty());
    }

    #[test]
    fn a_taking_announced_as_a_noun_is_a_change_by_the_side_it_names() {
        assert_eq!(changes("Oblast authorities confirmed the recapture of Irpin by Ukrainian forces."), [(key("Irpin"), Some(UA))]);
        assert_eq!(changes("The Kremlin celebrated the Russian seizure of Lysychansk on Sunday."), [(key("Lysychansk"), Some(RU))]);
        assert_eq!(changes("The Ukrainian General Staff announced the liberation of Balakliia on Saturday."), [(key("Balakliia"), Some(UA))]);
        // The noun alone is mostly analysis or aim, never dated news.
        assert!(changes("Russian forces will likely complete the capture of Mariupol in the coming days.").is_empty());
        assert!(changes("The fall of Sievierodonetsk changed little on Saturday.").is_empty());
        let got = read("Russian forces consolidated their hold following the capture of Izium on Saturday.");
        assert!(got.iter().all(|c| c.1 != ControlKind::Change), "{got:?}");
    }

    #[test]
    fn a_flag_raised_over_a_building_in_a_town_takes_the_town() {
        let text = "Footage shows Ukrainian soldiers raising their flag over the town council building in Kupiansk on Saturday.";
        assert_eq!(changes(text), [(key("Kupiansk"), Some(UA))]);
    }

    #[test]
    fn a_side_keeping_control_or_setting_up_positions_holds_the_town() {
        for text in [
            "Russian forces maintain control of Kreminna.",
            "Russian forces still hold Kreminna.",
            "Russian forces are in full control of Kreminna.",
            "Russian troops established positions in Kreminna on Saturday.",
            "Russian troops maintained their positions in Kreminna on Saturday.",
        ] {
            let got = read(text);
            assert_eq!(got, [(key("Kreminna"), ControlKind::Presence, Some(RU), StatementKind::Event, got[0].4)], "{text}");
        }
    }

    #[test]
    fn an_encircled_town_is_fought_over() {
        let got = read("Russian forces encircled Bakhmut on Saturday.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.1)).collect::<Vec<_>>(), [(key("Bakhmut").as_str(), ControlKind::Contested)]);
        // Villages "surrounding" a town are around it; nobody is said to fight for it.
        assert!(read("Russian artillery shelled the villages surrounding Bakhmut on Saturday.").is_empty());
    }

    #[test]
    fn the_centre_of_a_town_is_part_of_it() {
        for text in ["Russian forces advanced into central Bakhmut on Saturday.", "Russian forces captured downtown Bakhmut on Saturday."] {
            let got = read(text);
            assert_eq!(got.iter().map(|c| (c.0.as_str(), c.1)).collect::<Vec<_>>(), [(key("Bakhmut").as_str(), ControlKind::Contested)], "{text}");
        }
    }

    #[test]
    fn troops_that_fled_a_town_gave_it_up() {
        assert_eq!(changes("Russian troops fled Kreminna on Saturday."), [(key("Kreminna"), Some(UA))]);
        assert_eq!(changes("Russian troops fled from Kreminna on Saturday."), [(key("Kreminna"), Some(UA))]);
    }

    #[test]
    fn part_of_a_force_leaving_gives_no_change() {
        // Some of the troops redeploy; the rest still hold the town.
        assert!(changes("The General Staff said that elements of a Russian tank division withdrew from Kreminna and moved back to the border.").is_empty());
        assert!(changes("Analysts judge that most Russian units have left Kupiansk for the south.").is_empty());
        assert!(changes("Some Russian battalions pulled out of Izium overnight.").is_empty());
        // The force as a whole leaving still hands the town over.
        assert_eq!(changes("The General Staff said that Russian units withdrew from Kreminna."), [(key("Kreminna"), Some(UA))]);
    }

    #[test]
    fn districts_of_a_town_taken_are_fought_over_not_taken() {
        let got = read("Separatist officials claimed their forces took control of several districts of Mariupol, including Sartana and Talakivka, on Tuesday.");
        assert!(!got.is_empty());
        assert!(got.iter().all(|c| c.1 == ControlKind::Contested), "{got:?}");
        let got =
            read("Separatist officials claimed their forces took control of several neighbourhoods near Mariupol—including Sartana and Talakivka—on Tuesday.");
        assert!(got.iter().any(|c| c.0 == key("Sartana")), "{got:?}");
        assert!(got.iter().all(|c| c.1 == ControlKind::Contested), "{got:?}");
        // Villages are taken whole.
        assert_eq!(
            names(&changes("Russian forces took control of several villages, including Sartana and Talakivka, on Tuesday.")),
            keys(&["Sartana", "Talakivka"])
        );
    }

    #[test]
    fn a_claim_the_sentence_goes_on_to_contradict_is_denied() {
        for text in [
            "Russian bloggers claimed that Russian troops took Bakhmut on Monday, but they were likely unable to secure the town.",
            "Russian sources said that Russian forces seized Bakhmut on Monday, but they have likely not entered the town.",
            "A separatist commander claimed that Russian forces captured Bakhmut, though officials in Kyiv said that fighting remains ongoing in its streets.",
            "Russian sources claimed the capture of Siversk and that Russian forces captured Bakhmut, but this claim is likely incorrect.",
            "Kadyrov said Chechen units took Bakhmut on Monday; Ukrainian forces remained in control of it, however.",
        ] {
            let got = read(text);
            let bakhmut: Vec<_> = got.iter().filter(|c| c.0 == key("Bakhmut") && c.1 == ControlKind::Change).collect();
            let contradicted = !text.contains(';');
            assert_eq!(bakhmut.len(), 1, "{text}: {got:?}");
            assert_eq!(bakhmut[0].4 == Certainty::Denied, contradicted, "{text}: {got:?}");
        }
        // A contrast that does not take the claim back leaves it as it was.
        let got = read("Russian forces captured Bakhmut on Monday, but they suffered heavy losses.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.1, c.4)).collect::<Vec<_>>(), [(key("Bakhmut").as_str(), ControlKind::Change, Certainty::Asserted)]);
    }

    #[test]
    fn a_change_stated_as_of_a_day_may_have_come_in_the_week_before() {
        let reader = reader();
        let report = Report {
            published: NaiveDate::from_ymd_opt(2022, 3, 14),
            ..Report::text(
                "t",
                "The General Staff said Russian forces captured Kreminna as of noon local time on March 13. Russian forces took Sviatohirsk on March 13.",
            )
        };
        let got = reader.read(&report).control;
        let dates: Vec<(String, NaiveDate, NaiveDate)> =
            got.iter().filter_map(|c| Some((key(&c.place.name), c.date.as_ref()?.from, c.date.as_ref()?.to))).collect();
        let day = |d| NaiveDate::from_ymd_opt(2022, 3, d).unwrap();
        assert_eq!(dates, [(key("Kreminna"), day(6), day(13)), (key("Sviatohirsk"), day(13), day(13))]);
        assert!(as_of_before("held the town as of "));
        assert!(as_of_before("took it as of 9am local time on "));
        assert!(!as_of_before("as of yesterday the troops had moved on and took it on "));
    }

    #[test]
    fn lists_give_one_change_each() {
        let got = changes("Kyiv's forces liberated Balakliia, Izium and Kupiansk in a week of fighting, the General Staff of Ukraine's armed forces said.");
        // No actor word: the claimant's side decides ("Kyiv's forces" names none of the side words).
        assert!(got.is_empty() || names(&got) == keys(&["Balakliia", "Izium", "Kupiansk"]), "{got:?}");
        let got = changes("Ukrainian units liberated Balakliia, Izium, and Kupiansk in a week of fighting.");
        assert_eq!(names(&got), keys(&["Balakliia", "Izium", "Kupiansk"]));
        let got = changes("Russian forces took control of Kreminna and Sviatohirsk.");
        assert_eq!(names(&got), keys(&["Kreminna", "Sviatohirsk"]));
    }

    #[test]
    fn a_general_object_including_settlements_names_each() {
        let got = changes("Russian forces withdrew from large swathes of contested terrain—including Bucha, Hostomel, and Ivankiv—on Friday.");
        assert_eq!(names(&got), keys(&["Bucha", "Hostomel", "Ivankiv"]));
        assert!(got.iter().all(|(_, side)| *side == Some(UA)), "{got:?}");
        assert_eq!(names(&changes("Ukrainian troops liberated several villages, including Husarivka, on Sunday.")), keys(&["Husarivka"]));
        // A figure's thousands separator is no end of the object.
        let got = changes("Ukraine has retaken more than 6,000 square kilometres, including Balakliia and Kupiansk.");
        assert_eq!(names(&got), keys(&["Balakliia", "Kupiansk"]));
    }

    #[test]
    fn a_reference_place_is_not_the_change() {
        let got = changes("Ukrainian troops recaptured Kupiansk, some 70 kilometres north of Izium, on Friday.");
        assert_eq!(names(&got), keys(&["Kupiansk"]));
        let got = changes("Russian forces seized Sviatohirsk (north of Sloviansk) and Kreminna.");
        assert_eq!(names(&got), keys(&["Sviatohirsk", "Kreminna"]));
        let got = changes("Russian forces captured Dolyna, a village near Sloviansk.");
        assert_eq!(names(&got), keys(&["Dolyna"]));
    }

    /// The gazetteer id of the settlement of each change that counts.
    fn change_ids(text: &str) -> Vec<String> {
        let report = Report { published: NaiveDate::from_ymd_opt(2022, 3, 13), ..Report::text("t", text) };
        reader()
            .read(&report)
            .control
            .into_iter()
            .filter(|c| c.kind == ControlKind::Change && c.statement == StatementKind::Event)
            .map(|c| c.place.id)
            .collect()
    }

    /// The built-in gazetteer's Ukrainian towns called `name`, with their points and
    /// populations.
    fn ukrainian_towns(name: &str) -> Vec<(String, LatLon, u64)> {
        let gaz = Gazetteer::open_default().expect("the built-in gazetteer opens");
        let mut buf = String::new();
        gaz.lookup(name, &mut buf)
            .map(|(i, _)| gaz.place(i))
            .filter(|p| p.feature() == Feature::City && p.country_code() == "UA")
            .map(|p| (p.id(), p.point(), p.population()))
            .collect()
    }

    #[test]
    fn a_homonymous_village_is_the_one_near_the_places_named_with_it() {
        // Villages of one name lie all over the country; the one meant is near the town the
        // sentence places it by, or the towns listed with it.
        let stepove = ukrainian_towns("Stepove");
        assert!(stepove.len() > 2, "the test needs a name many villages share: {stepove:?}");
        let nearest_to = |point: LatLon| -> String {
            stepove.iter().min_by(|a, b| distance_km(a.1, point).total_cmp(&distance_km(b.1, point))).map(|t| t.0.clone()).unwrap_or_default()
        };
        let (zaporizhzhia, tokmak) = (LatLon::new(47.82, 35.18), LatLon::new(47.25, 35.71));
        assert_eq!(change_ids("Russian forces captured Stepove, about 40 km south of Zaporizhzhia, on March 12."), vec![nearest_to(zaporizhzhia)]);
        let tokmak_id = change_ids("Russian forces captured Tokmak.");
        assert_eq!(tokmak_id.len(), 1);
        assert_eq!(change_ids("Russian forces captured Tokmak and Stepove on March 12."), vec![tokmak_id[0].clone(), nearest_to(tokmak)]);
        assert_ne!(nearest_to(zaporizhzhia), nearest_to(tokmak), "the two anchors choose different villages");
    }

    #[test]
    fn of_homonyms_near_the_places_named_with_them_the_village_is_meant_not_the_hamlet() {
        // Several villages and hamlets share the name; near the towns the sentence names lie
        // a town of thousands and a hamlet nearer by: a report naming it means the town.
        let ivankiv = ukrainian_towns("Ivankiv");
        let largest = ivankiv.iter().max_by_key(|t| t.2).map(|t| t.0.clone()).unwrap_or_default();
        assert!(ivankiv.iter().any(|t| t.2 < 500), "the test needs a hamlet of the name: {ivankiv:?}");
        let got = change_ids("Ukrainian forces recaptured Bucha, Hostomel, and Ivankiv on Friday.");
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[2], largest);
    }

    #[test]
    fn a_mention_names_one_settlement_in_every_part_of_the_reading() {
        // The control stage settles homonyms by the places named with them; the report's
        // place list and its events must then name the same settlement for that mention.
        let text = "Russian forces captured Stepove, about 40 km south of Zaporizhzhia, on March 12. \
                    Ukrainian forces recaptured Bucha, Hostomel, and Ivankiv on Friday. \
                    Proxy forces reportedly captured Hranitne, northeast of Mariupol.";
        let report = Report { published: NaiveDate::from_ymd_opt(2022, 3, 13), ..Report::text("t", text) };
        let reading = reader().read(&report);
        assert!(reading.control.len() >= 5, "{:?}", reading.control);
        for st in &reading.control {
            let listed = reading.places.iter().find(|p| p.id == st.place.id);
            let listed = listed.unwrap_or_else(|| panic!("{} ({}) is not among the places {:?}", st.place.name, st.place.id, reading.places));
            assert!(listed.mentions.iter().any(|m| m.start == st.place.start), "{} at {} is not one of its mentions", st.place.name, st.place.start);
            for e in reading.events.iter().filter(|e| e.place.as_ref().is_some_and(|p| p.mention == st.place.mention)) {
                assert_eq!(e.place.as_ref().map(|p| p.id.as_str()), Some(st.place.id.as_str()), "the event at {} names another settlement", st.place.mention);
            }
        }
    }

    #[test]
    fn a_roads_destination_does_not_locate_the_villages_along_it() {
        // "the highway to B" says where the road leads; the village taken lies by the town
        // the report was about, not by B.
        let klynove = ukrainian_towns("Klynove");
        let bakhmut = LatLon::new(48.59, 38.00);
        let nearest = klynove.iter().min_by(|a, b| distance_km(a.1, bakhmut).total_cmp(&distance_km(b.1, bakhmut))).map(|t| t.0.clone()).unwrap_or_default();
        assert!(klynove.len() >= 2, "the test needs a name several villages share: {klynove:?}");
        let got = change_ids("Heavy fighting went on northeast of Bakhmut. Russian forces captured Klynove in an attempt to cut the highway to Slovyansk.");
        assert_eq!(got, vec![nearest]);
    }

    #[test]
    fn letters_of_two_bytes_before_a_place_named_with_a_homonym_are_read_whole() {
        // Settling Stepove looks at the words before Tokmak for a road leading there; a window
        // that starts inside a letter of two bytes must not cut it, at either parity.
        for pad in ["", " "] {
            let text = format!("Russian forces captured Stepove and then,{pad} місцеві кажуть дуже швидко, Tokmak on March 12.");
            let report = Report { published: NaiveDate::from_ymd_opt(2022, 3, 13), ..Report::text("t", &text) };
            let reading = reader().read(&report);
            assert!(reading.control.iter().any(|c| c.place.mention == "Stepove" && c.kind == ControlKind::Change), "{:?}", reading.control);
        }
    }

    #[test]
    fn another_name_the_gazetteer_gives_a_city_does_not_make_it_a_homonym() {
        // GeoNames lists "Slovyansk" among the names of Nikopol, a city as large: a report that
        // names Slovyansk beside Zaporizhzhia still means Slovyansk, not the city near it.
        let slovyansk = ukrainian_towns("Slovyansk");
        // The Slovyansk of the report is the one beside Kramatorsk.
        let kramatorsk = LatLon::new(48.72, 37.56);
        let own =
            slovyansk.iter().min_by(|a, b| distance_km(a.1, kramatorsk).total_cmp(&distance_km(b.1, kramatorsk))).map(|t| t.0.clone()).unwrap_or_default();
        assert!(slovyansk.len() >= 2, "the test needs a city that bears the name as another name: {slovyansk:?}");
        let report = Report {
            published: NaiveDate::from_ymd_opt(2022, 5, 18),
            ..Report::text(
                "t",
                "Fighting continued near Izyum and Kramatorsk in Donetsk Oblast. Russian units again failed in their attempts to advance to Slovyansk and Zaporizhia City.",
            )
        };
        let reading = reader().read(&report);
        let at: Vec<&str> = reading.control.iter().filter(|c| c.place.mention == "Slovyansk").map(|c| c.place.id.as_str()).collect();
        assert_eq!(at, vec![own.as_str()], "{:?}", reading.control);
    }

    #[test]
    fn a_name_read_as_the_hromada_called_after_its_town_is_the_town() {
        // The gazetteer gives a hromada its town's name as an alternate name, so the geoparser
        // may read the bare name as the hromada; a control verb takes the town itself.
        let gaz = Gazetteer::open_default().expect("the built-in gazetteer opens");
        let mut buf = String::new();
        let readings: Vec<Feature> = gaz.lookup("Staromlynivka", &mut buf).map(|(i, _)| gaz.place(i).feature()).collect();
        assert!(readings.contains(&Feature::Hromada), "the test needs a name that is also a hromada's: {readings:?}");
        let town = ukrainian_towns("Staromlynivka");
        assert_eq!(town.len(), 1, "{town:?}");
        assert_eq!(change_ids("Russian forces captured Staromlynivka on March 12."), vec![town[0].0.clone()]);
        let got = read("Russian forces captured Staromlynivka on March 12.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.1, c.2)).collect::<Vec<_>>(), [(key("Staromlynivka").as_str(), ControlKind::Change, Some(RU))]);
        // Written with its type word, the hromada is the area, no settlement.
        assert!(change_ids("Russian forces captured Staromlynivka hromada on March 12.").is_empty());
    }

    #[test]
    fn forces_active_or_stationed_in_settlements_hold_them() {
        let got = read("Regional officials said that Russian forces are active in Kreminna, Sviatohirsk, and Borova.");
        assert_eq!(
            got.iter().map(|c| (c.0.as_str(), c.1, c.2)).collect::<Vec<_>>(),
            [
                (key("Kreminna").as_str(), ControlKind::Presence, Some(RU)),
                (key("Sviatohirsk").as_str(), ControlKind::Presence, Some(RU)),
                (key("Borova").as_str(), ControlKind::Presence, Some(RU))
            ]
        );
        let got = read("Ukrainian troops remain stationed in Husarivka.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.1, c.2)).collect::<Vec<_>>(), [(key("Husarivka").as_str(), ControlKind::Presence, Some(UA))]);
        // Troops sent toward a settlement are not in it.
        assert!(read("Russian forces are active toward Kreminna.").iter().all(|c| c.1 != ControlKind::Presence));
        // Soldiers before a building of the town are in the town; a photograph only seems to show it.
        let got = read("A photograph appeared to show Ukrainian soldiers in front of the main council building in Kupiansk.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.1, c.2)).collect::<Vec<_>>(), [(key("Kupiansk").as_str(), ControlKind::Presence, Some(UA))]);
        assert_ne!(got[0].4, Certainty::Asserted, "{got:?}");
    }

    #[test]
    fn a_line_of_positions_running_through_settlements_names_each() {
        let got = read("Russian forces hold a line of positions north of Lyman running through Kreminna and Sviatohirsk.");
        assert_eq!(
            got.iter().map(|c| (c.0.as_str(), c.1, c.2)).collect::<Vec<_>>(),
            [(key("Kreminna").as_str(), ControlKind::Presence, Some(RU)), (key("Sviatohirsk").as_str(), ControlKind::Presence, Some(RU))]
        );
        // The place the line is placed by is not on it.
        assert!(got.iter().all(|c| c.0 != key("Lyman")));
    }

    #[test]
    fn a_town_outside_the_war_is_no_settlement_of_it() {
        let got = changes("Russian forces captured Izium and Kupiansk. Observers saw a Russian battalion leaving Orenburg for the front.");
        assert_eq!(names(&got), keys(&["Izium"]).into_iter().chain(keys(&["Kupiansk"])).collect::<Vec<_>>());
    }

    #[test]
    fn each_verb_of_a_coordination_has_its_own_subject() {
        let got = changes("Local officials confirm that Ukrainian troops either retook or Russian troops abandoned Husarivka and Kreminna.");
        assert_eq!(got, [(key("Husarivka"), Some(UA)), (key("Kreminna"), Some(UA))]);
        assert_eq!(changes("Ukrainian counterattacks forced Russian units to withdraw from Kreminna."), [(key("Kreminna"), Some(UA))]);
        assert_eq!(changes("Russian forces repelled Ukrainian counterattacks and captured Kreminna."), [(key("Kreminna"), Some(RU))]);
    }

    #[test]
    fn a_suburb_named_of_its_own_name_is_the_settlement() {
        assert_eq!(changes("Ukrainian troops liberated the Kyiv suburb of Irpin on Monday."), [(key("Irpin"), Some(UA))]);
        assert_eq!(changes("Russian forces took the western suburb of Rubizhne."), [(key("Rubizhne"), Some(RU))]);
        assert!(changes("Russian forces took a suburb of Kharkiv.").is_empty());
        assert!(changes("Russian forces captured the suburbs of Kharkiv.").is_empty());
    }

    #[test]
    fn a_purpose_after_a_settlement_is_no_apposition() {
        let got = changes("Russian troops entered Torske in order to encircle Ukrainian positions in Lyman, Siversk, and Kreminna.");
        assert_eq!(got, [(key("Torske"), Some(RU))]);
        assert_eq!(changes("Ukrainian troops liberated Dolyna near Sviatohirsk."), [(key("Dolyna"), Some(UA))]);
    }

    #[test]
    fn troops_entering_a_city_fight_in_it() {
        let got = read("Russian forces entered Kharkiv for the first time on Sunday.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.1)).collect::<Vec<_>>(), [(key("Kharkiv").as_str(), ControlKind::Contested)]);
        assert_eq!(changes("Russian forces entered Borova on Sunday."), [(key("Borova"), Some(RU))]);
        // Moving into a town is entering it.
        assert_eq!(changes("Ukrainian troops swept into Borova on Sunday."), [(key("Borova"), Some(UA))]);
        assert_eq!(changes("Ukrainian soldiers marched into Kupiansk to cheering crowds."), [(key("Kupiansk"), Some(UA))]);
        let got = read("Russian forces broke into Kharkiv on Sunday.");
        assert!(!got.is_empty() && got.iter().all(|c| c.1 == ControlKind::Contested), "{got:?}");
        assert_eq!(changes("Russian forces captured Kharkiv on Sunday."), [(key("Kharkiv"), Some(RU))]);
    }

    #[test]
    fn outskirts_and_near_are_contested_not_changes() {
        let got = read("Russian forces advanced to the outskirts of Bakhmut.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.1)).collect::<Vec<_>>(), [(key("Bakhmut").as_str(), ControlKind::Contested)]);
        let got = read("Russian forces captured positions near Bakhmut.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.1)).collect::<Vec<_>>(), [(key("Bakhmut").as_str(), ControlKind::Contested)]);
        assert!(changes("Russian forces entered the outskirts of Kharkiv.").is_empty());
        // The same part named by the town's possessive.
        let got = read("Wagner fighters seized Bakhmut's eastern districts.");
        assert!(!got.is_empty() && got.iter().all(|c| c.1 == ControlKind::Contested), "{got:?}");
        assert!(changes("Russian forces reached Kupiansk’s outskirts.").is_empty());
    }

    #[test]
    fn a_gain_told_as_recent_is_a_change_in_the_week_before() {
        // The participle names the side: a liberation is Ukraine's, whoever the subject is.
        assert_eq!(changes("Russian forces shelled the recently liberated Balakliia."), [(key("Balakliia"), Some(UA))]);
        // Otherwise the subject took it, and positions newly taken in a village are the village.
        assert_eq!(changes("Ukrainian troops pushed east of the recently captured Kupiansk."), [(key("Kupiansk"), Some(UA))]);
        assert_eq!(
            changes("Russian troops consolidated newly-controlled positions in Syrotyne and Borivske."),
            [(key("Syrotyne"), Some(RU)), (key("Borivske"), Some(RU))]
        );
        assert_eq!(changes("Russian forces advanced toward Siversk from recently captured positions in Berestove."), [(key("Berestove"), Some(RU))]);
        // Dated within the week before the report.
        let report = Report {
            published: NaiveDate::from_ymd_opt(2022, 6, 26),
            ..Report::text("t", "Russian troops consolidated newly captured positions in Syrotyne.")
        };
        let got = reader().read(&report).control;
        let date = got.first().and_then(|c| c.date.as_ref()).expect("a dated statement");
        assert_eq!((date.from, date.to), (NaiveDate::from_ymd_opt(2022, 6, 19).unwrap(), NaiveDate::from_ymd_opt(2022, 6, 26).unwrap()));
        // An attack on what was recently captured does not say who captured it.
        assert!(changes("Russian forces shelled the recently captured Kupiansk.").is_empty());
        // Positions newly taken in a city are a part of it: fought over.
        let got = read("Russian troops consolidated newly captured positions in Kharkiv.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.1)).collect::<Vec<_>>(), [(key("Kharkiv").as_str(), ControlKind::Contested)]);
    }

    #[test]
    fn a_settlement_its_sentence_places_far_from_the_reading_gets_no_statement() {
        // The gazetteer's only Shepylove lies hundreds of kilometres west of Pryvillia: the
        // village the text means is not in it, and no change is pinned to the far one.
        assert!(read("Russian troops captured Shepylove, 6 km southwest of Pryvillia, on Friday.").iter().all(|c| c.0 != key("Shepylove")));
        // Where the stated distance fits, the statement stands.
        assert_eq!(changes("Russian troops captured Vrubivka, 20 km southwest of Lysychansk, on Friday."), [(key("Vrubivka"), Some(RU))]);
        // A distance from an area's edge is no distance from its middle.
        assert_eq!(changes("Russian troops captured Siversk, 10 km west of Luhansk Oblast, on Friday."), [(key("Siversk"), Some(RU))]);
    }

    #[test]
    fn presence() {
        let got = read("Footage posted on Sunday shows Ukrainian troops in Borova.");
        assert_eq!(got, [(key("Borova"), ControlKind::Presence, Some(UA), StatementKind::Event, Certainty::Confirmed)]);
        let got = read("Shelling continued in Russian-occupied Melitopol.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.1, c.2)).collect::<Vec<_>>(), [(key("Melitopol").as_str(), ControlKind::Presence, Some(RU))]);
        let got = read("Kreminna remains under Ukrainian control.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.1, c.2)).collect::<Vec<_>>(), [(key("Kreminna").as_str(), ControlKind::Presence, Some(UA))]);
        let got = read("Ukrainian forces repelled Russian assaults on Bakhmut.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.1, c.2)).collect::<Vec<_>>(), [(key("Bakhmut").as_str(), ControlKind::Presence, Some(UA))]);

        // Digging in where they stand: the side holds the places.
        let got = read("Russian troops were fortifying their positions in Kreminna and Svatove on Monday.");
        let got: Vec<_> = got.iter().map(|c| (c.0.as_str(), c.1, c.2)).collect();
        assert_eq!(got, [(key("Kreminna").as_str(), ControlKind::Presence, Some(RU)), (key("Svatove").as_str(), ControlKind::Presence, Some(RU))]);
        // Bases, camps and supplies of a side in a settlement: it holds the settlement.
        let got = read("Russian forces began establishing forward logistics camps in Borodianka on Sunday.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.1, c.2)).collect::<Vec<_>>(), [(key("Borodianka").as_str(), ControlKind::Presence, Some(RU))]);
        let got = read("Russian troops continued to assemble supplies in Melitopol.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.1, c.2)).collect::<Vec<_>>(), [(key("Melitopol").as_str(), ControlKind::Presence, Some(RU))]);
        // A base near a town is not the town.
        assert!(read("Russian forces are setting up a helicopter base near Ivankiv.").iter().all(|c| c.1 != ControlKind::Presence));
        // Back in a town: returned to it, a taking back.
        assert_eq!(changes("Ukrainian troops are back in Kherson after months of occupation."), [(key("Kherson"), Some(UA))]);
        let got = read("Ukrainian troops took up positions in Kyslivka.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.1, c.2)).collect::<Vec<_>>(), [(key("Kyslivka").as_str(), ControlKind::Presence, Some(UA))]);
        // Driven back from a town: they were outside it.
        assert!(read("Russian forces have been driven back from Pavlivka.").iter().all(|c| c.1 != ControlKind::Change));
        // Routed from a town: out of it.
        assert_eq!(changes("Russian forces were routed from Borova."), [(key("Borova"), Some(UA))]);
        assert_eq!(changes("Russian forces pulled back from Kherson."), [(key("Kherson"), Some(UA))]);
        // Positions around a town are not the town.
        assert!(read("Russian troops were fortifying positions around Lysychansk.").iter().all(|c| c.1 != ControlKind::Presence));
    }

    #[test]
    fn a_liberation_with_no_side_named_is_ukraines_unless_a_russian_voice_tells_it() {
        assert_eq!(changes("Hrakove has been liberated."), [(key("Hrakove"), Some(UA))]);
        assert_eq!(changes("Kupiansk was liberated on Saturday, the regional governor said."), [(key("Kupiansk"), Some(UA))]);
        assert_eq!(changes("The Russian defence ministry said that Kurdiumivka had been liberated."), [(key("Kurdiumivka"), Some(RU))]);
        // A taking with no side named stays unread: either side may have taken it.
        assert!(changes("Hrakove was captured on Saturday.").is_empty());
    }

    #[test]
    fn a_completed_liberation_a_reached_edge_and_a_hedge_inside_the_verb() {
        assert_eq!(changes("Ukrainian forces likely completed the liberation of Kupiansk on Saturday."), [(key("Kupiansk"), Some(UA))]);
        let got = read("Ukrainian forces broke through and reached the outskirts of Kupiansk.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.1)).collect::<Vec<_>>(), [(key("Kupiansk").as_str(), ControlKind::Contested)]);
        let got = read("Izium is likely under Ukrainian control.");
        assert_eq!(
            got.iter().map(|c| (c.0.as_str(), c.1, c.2, c.4)).collect::<Vec<_>>(),
            [(key("Izium").as_str(), ControlKind::Presence, Some(UA), Certainty::Assessed)]
        );
        let got = read("Kupiansk was reportedly captured by Russian forces.");
        assert_eq!(got.iter().map(|c| (c.1, c.2, c.4)).collect::<Vec<_>>(), [(ControlKind::Change, Some(RU), Certainty::Reported)]);
    }

    #[test]
    fn the_enemy_is_the_other_side_of_whoever_speaks() {
        assert_eq!(changes("The Russian defence ministry said the enemy withdrew from Kreminna."), [(key("Kreminna"), Some(RU))]);
        assert_eq!(changes("The Russian defence ministry said its units pushed the enemy out of Kreminna."), [(key("Kreminna"), Some(RU))]);
        assert_eq!(changes("Ukraine's General Staff said the enemy withdrew from Kreminna."), [(key("Kreminna"), Some(UA))]);
        assert_eq!(changes("The enemy withdrew from Kreminna."), [(key("Kreminna"), Some(UA))]);
        // Only the subject that is "the enemy" turns round, not one beside it.
        assert_eq!(changes("The Russian defence ministry said Russian forces drove back the enemy and took Kreminna."), [(key("Kreminna"), Some(RU))]);
    }

    #[test]
    fn a_place_back_under_a_sides_control_was_taken_back() {
        assert_eq!(changes("Savyntsi is back under Ukrainian control."), [(key("Savyntsi"), Some(UA))]);
        assert_eq!(changes("Savyntsi is under Ukrainian control again, officials said."), [(key("Savyntsi"), Some(UA))]);
        assert!(changes("Savyntsi remains under Ukrainian control.").is_empty());
        // A side's flag over a settlement: held, and taken back when it flies there again.
        let got = read("The Ukrainian flag now flies over Vovchansk.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.1, c.2)).collect::<Vec<_>>(), [(key("Vovchansk").as_str(), ControlKind::Presence, Some(UA))]);
        assert_eq!(changes("The Ukrainian flag flies again over Vovchansk."), [(key("Vovchansk"), Some(UA))]);
    }

    #[test]
    fn a_holder_that_no_longer_holds_has_lost_the_place() {
        assert_eq!(changes("Russian forces no longer control Borova."), [(key("Borova"), Some(UA))]);
        assert_eq!(changes("Kupiansk is no longer under Russian control, the governor said."), [(key("Kupiansk"), Some(UA))]);
        assert_eq!(changes("Ukrainian troops are no longer in Lysychansk."), [(key("Lysychansk"), Some(RU))]);
        // Only in part: fought over, not lost.
        let got = read("Kherson is no longer fully under Russian control.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.1, c.3)).collect::<Vec<_>>(), [(key("Kherson").as_str(), ControlKind::Contested, StatementKind::Event)]);
        // Any other negation still negates.
        assert!(changes("Russian forces do not control Borova.").is_empty());
        assert!(changes("Russian forces will no longer control Borova.").is_empty());
    }

    #[test]
    fn passive_and_pronoun_subjects() {
        assert_eq!(changes("Kupiansk was captured by Russian forces early on Sunday."), [(key("Kupiansk"), Some(RU))]);
        assert_eq!(changes("Ukraine's defence ministry said it had pushed Russian units out of Balakliia."), [(key("Balakliia"), Some(UA))]);
        assert_eq!(changes("The Russian defence ministry claimed that its troops took Kreminna."), [(key("Kreminna"), Some(RU))]);
        // A time phrase before the pronoun.
        assert_eq!(changes("Ukrainian forces said on Saturday they had entered the town of Kupiansk."), [(key("Kupiansk"), Some(UA))]);
        assert_eq!(changes("Ukrainian forces said September 10, 2022 they had entered the town of Kupiansk."), [(key("Kupiansk"), Some(UA))]);
        // A claimant named by its republic's full name is of its side.
        assert_eq!(side_word("Militia units of the Luhansk People's Republic"), Some(RU));
        assert_eq!(side_word("Troops of the Donetsk and Luhansk People’s Republics"), Some(RU));
        // The subject of the complement clause, not the claimant, takes the town.
        assert_eq!(changes("Ukrainian officials said that Russian forces entered Sviatohirsk."), [(key("Sviatohirsk"), Some(RU))]);
    }

    #[test]
    fn non_events_never_count() {
        let all = read(
            "Russian forces have not yet entered Izium.\n\
             Russian forces will likely attempt to capture Bakhmut.\n\
             Russian commanders seek to seize Sloviansk.\n\
             If Ukrainian forces retook Kherson, the bridge would matter less.\n\
             Did Ukrainian forces enter Kreminna?\n\
             Russian forces captured Izium in March.",
        );
        let kinds: Vec<StatementKind> = all.iter().filter(|c| c.1 == ControlKind::Change).map(|c| c.3).collect();
        assert_eq!(
            kinds,
            [
                StatementKind::Negated,
                StatementKind::Forecast,
                StatementKind::Intention,
                StatementKind::Condition,
                StatementKind::Question,
                StatementKind::Background
            ]
        );
    }

    #[test]
    fn background_counts_at_its_own_day_only() {
        let report = Report {
            published: NaiveDate::from_ymd_opt(2022, 9, 12),
            ..Report::text(
                "t",
                "A reporter had previously said that Ukrainian forces liberated Balakliia on August 30.\n\
                 Russian forces captured Izium in March.\n\
                 Russian forces previously captured Kupiansk.",
            )
        };
        let statements = reader().read(&report).control;
        let counted: Vec<(String, NaiveDate)> =
            statements.iter().filter(|c| c.counts()).map(|c| (key(&c.place.name), c.date.as_ref().expect("dated").to)).collect();
        assert_eq!(counted, [(key("Balakliia"), NaiveDate::from_ymd_opt(2022, 8, 30).unwrap())], "{statements:?}");
        assert!(statements.iter().all(|c| c.statement == StatementKind::Background), "{statements:?}");
    }

    #[test]
    fn aims_failures_and_open_questions_further_back_are_no_change() {
        let all = read(
            "However, Russian forces are unlikely to be able to capture Bakhmut in the coming weeks.\n\
             Russian forces intend to take full control of the oblast by seizing Sloviansk and Kramatorsk.\n\
             It is unclear if Russian forces have entirely seized Sviatohirsk.\n\
             Russia has failed to achieve its strategic objectives in Ukraine, including destroying the Ukrainian army, capturing Kyiv, and seizing Odesa.",
        );
        let kinds: Vec<(String, StatementKind)> = all.iter().filter(|c| c.1 == ControlKind::Change).map(|c| (c.0.clone(), c.3)).collect();
        assert_eq!(
            kinds,
            [
                (key("Bakhmut"), StatementKind::Negated),
                (key("Sloviansk"), StatementKind::Intention),
                (key("Kramatorsk"), StatementKind::Intention),
                (key("Sviatohirsk"), StatementKind::Question),
                (key("Kyiv"), StatementKind::Negated),
                (key("Odesa"), StatementKind::Negated)
            ]
        );
        // A dash before the verb ends the clause (and is three bytes long).
        assert_eq!(changes("Russian forces attempted to reach the towns—and captured Lyman."), [(key("Lyman"), Some(RU))]);
        // A verb in the past after the aim is a statement of its own.
        assert_eq!(changes("Russian forces attempted to encircle Sloviansk and captured Lyman on Friday."), [(key("Lyman"), Some(RU))]);
    }

    #[test]
    fn occupied_after_a_word_that_ends_no_subject_is_an_adjective() {
        for text in [
            "Russian officials began efforts to integrate occupied Melitopol into Russia.",
            "The Kremlin hopes to unite the DNR, LNR, and occupied Melitopol into one district.",
        ] {
            let got = read(text);
            assert_eq!(
                got.iter().map(|c| (c.0.as_str(), c.1, c.2)).collect::<Vec<_>>(),
                [(key("Melitopol").as_str(), ControlKind::Presence, Some(RU))],
                "{text}"
            );
        }
        assert_eq!(changes("Two BTGs of the 71st Motorized Rifle Regiment occupied Melitopol."), [(key("Melitopol"), Some(RU))]);
        assert_eq!(changes("Russian forces shelled Kherson and occupied Melitopol."), [(key("Melitopol"), Some(RU))]);
    }

    #[test]
    fn claims_denials_and_hedges() {
        let got = read("The Russian defence ministry claimed that its troops took Kreminna.");
        assert_eq!(got[0].4, Certainty::Claimed);
        let got = read("Ukrainian officials denied that Russian forces entered Kreminna.");
        assert_eq!((got[0].2, got[0].3, got[0].4), (Some(RU), StatementKind::Event, Certainty::Denied));
        let got = read("ISW assesses that Russian forces likely captured Kreminna.");
        assert_eq!(got[0].4, Certainty::Assessed);
        let got = read("Russian milbloggers claimed that Russian forces captured Kreminna. ISW cannot independently verify this claim.");
        assert_eq!(got[0].4, Certainty::Unconfirmed);
    }

    #[test]
    fn each_claim_of_a_sentence_keeps_its_own_claimant() {
        let report = Report {
            published: NaiveDate::from_ymd_opt(2022, 9, 12),
            ..Report::text("t", "Drone footage showed Russian troops near Kupiansk, and the pro-war channel Rybar claimed that Russian forces took Kreminna.")
        };
        let got = reader().read(&report).control;
        let kreminna = got.iter().find(|c| key(&c.place.name) == key("Kreminna")).expect("a statement about Kreminna");
        assert_eq!(kreminna.claimant.as_deref(), Some("the pro-war channel Rybar"));
        // One claim alone keeps the sentence's claimant.
        let report =
            Report { published: NaiveDate::from_ymd_opt(2022, 9, 12), ..Report::text("t", "The General Staff said that Russian forces took Kreminna.") };
        assert_eq!(reader().read(&report).control[0].claimant.as_deref(), Some("The General Staff"));
    }

    #[test]
    fn a_doubt_before_a_semicolon_does_not_deny_the_next_clause() {
        let got = read("The commander's boast is probably false; ISW has assessed that Ukrainian forces recaptured Kreminna in June.");
        let kreminna = got.iter().find(|c| c.0 == key("Kreminna")).expect("a statement about Kreminna");
        assert_ne!(kreminna.4, Certainty::Denied);
        assert_eq!(kreminna.2, Some(UA));
    }

    /// (area name, side taking it, statement kind) of each whole-area statement.
    fn areas(text: &str) -> Vec<(String, Option<Side>, StatementKind)> {
        let report = Report { published: NaiveDate::from_ymd_opt(2022, 4, 7), ..Report::text("t", text) };
        reader().read(&report).control.into_iter().filter(|c| c.area).map(|c| (c.place.name, c.to_side, c.statement)).collect()
    }

    #[test]
    fn a_side_leaving_a_whole_oblast_is_an_area_change() {
        let got = areas("On Wednesday, Russian forces completely vacated Chernihiv Oblast.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!((got[0].1, got[0].2), (Some(UA), StatementKind::Event));
        assert!(got[0].0.contains("Chernihiv"));
        assert_eq!(areas("Russian troops have withdrawn from Chernihiv Oblast.").len(), 1);
        assert_eq!(areas("The Russian forces completed their withdrawal from Chernihiv Oblast.").len(), 1);
        // Not done, not whole, not the whole force, not yet: no area change that counts.
        for text in [
            "Russian forces have almost completely withdrawn from Chernihiv Oblast.",
            "Russian forces continued to withdraw from Chernihiv Oblast.",
            "Russian forces are withdrawing from Chernihiv Oblast.",
            "Russian forces withdrew from parts of Chernihiv Oblast.",
            "Most Russian forces withdrew from Chernihiv Oblast.",
            "A battalion of Russian forces withdrew from Chernihiv Oblast.",
            "Russian forces north of Kyiv withdrew from Chernihiv Oblast.",
        ] {
            assert!(areas(text).is_empty(), "{text}: {:?}", areas(text));
        }
        let got = areas("Russian forces will likely withdraw from Chernihiv Oblast in the coming days.");
        assert!(got.iter().all(|a| a.2 != StatementKind::Event), "{got:?}");
        // A settlement's statement names the areas it lies in, which an area change reaches.
        let report = Report { published: NaiveDate::from_ymd_opt(2022, 4, 7), ..Report::text("t", "Russian forces captured Konotop.") };
        let konotop = reader().read(&report).control.into_iter().next().expect("a statement about Konotop");
        assert!(!konotop.area && !konotop.within.is_empty());
    }

    #[test]
    fn a_claim_the_report_sets_aside_is_denied() {
        let got = read("We assess these reports are accurate despite claims by a Ukrainian official on Monday that Ukrainian forces had liberated Kreminna.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.2, c.4)).collect::<Vec<_>>(), [(key("Kreminna").as_str(), Some(UA), Certainty::Denied)]);
        // A fact the report sets against the claim.
        let got = read("Continued shelling belies Moscow's claims that its forces have taken Bakhmut.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.2, c.4)).collect::<Vec<_>>(), [(key("Bakhmut").as_str(), Some(RU), Certainty::Denied)]);
        let got = read("Geolocated footage contradicts Ukrainian reports that Ukrainian troops recaptured Kreminna.");
        assert_eq!(got.iter().map(|c| (c.0.as_str(), c.2, c.4)).collect::<Vec<_>>(), [(key("Kreminna").as_str(), Some(UA), Certainty::Denied)]);
    }

    #[test]
    fn adjectives_and_non_settlements_are_no_change() {
        assert!(changes("The captured city of Kherson saw protests.").is_empty());
        assert!(changes("Russian forces captured 100 Ukrainian servicemen near Izium.").is_empty());
        assert!(changes("Russian forces seized a depot in Kherson.").is_empty());
        assert!(changes("Russian forces regrouped from the Izium axis.").is_empty());
    }

    #[test]
    fn dates_come_from_the_clause_or_the_report() {
        let reader = reader();
        let report = Report {
            published: NaiveDate::from_ymd_opt(2022, 9, 12),
            ..Report::text("t", "Ukrainian troops entered Kupiansk on September 10. Russian troops left Izium.")
        };
        let got = reader.read(&report).control;
        let d0 = got[0].date.as_ref().unwrap();
        assert_eq!(
            (d0.from, d0.to, d0.from_text),
            (NaiveDate::from_ymd_opt(2022, 9, 10).unwrap(), NaiveDate::from_ymd_opt(2022, 9, 10).unwrap(), DateSource::Sentence)
        );
        let d1 = got[1].date.as_ref().unwrap();
        assert_eq!(
            (d1.from, d1.to, d1.from_text),
            (NaiveDate::from_ymd_opt(2022, 9, 11).unwrap(), NaiveDate::from_ymd_opt(2022, 9, 12).unwrap(), DateSource::Publication)
        );
    }
}
