//! The dates stage: the publication date relative dates count from (given, or the latest full
//! date the text writes), and every date expression, explicit ("September 10, 2022") or
//! relative to that date ("on Saturday", "today", "this week", "late August", "earlier this
//! year"), each resolved to a range of days with a precision.

use std::sync::OnceLock;

use crate::pattern::{Captures, Regex};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

/// How precise a resolved date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// One day.
    Day,
    /// A week.
    Week,
    /// Part of a month ("late August") or a month.
    Month,
    /// A longer range ("earlier this year").
    Range,
}

/// A date expression, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct DateMention {
    /// Start of the range in the text. Bytes as this module returns it; a [`crate::Reading`] turns it into a Unicode scalar offset.
    pub start: usize,
    /// End of the range (exclusive), in the same unit.
    pub end: usize,
    /// As written.
    pub text: String,
    /// First day.
    pub from: NaiveDate,
    /// Last day (inclusive).
    pub to: NaiveDate,
    /// How precise.
    pub precision: DatePrecision,
}

/// Where the publication date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PublishedFrom {
    /// Given with the report (metadata or `--published`).
    Input,
    /// The latest full date written in the text.
    Text,
    /// Unknown: relative dates are not resolved.
    Unknown,
}

/// What the dates stage finds in a report.
#[derive(Debug, Clone)]
pub struct Dating {
    /// The publication date relative dates were resolved against.
    pub published: Option<NaiveDate>,
    /// Where that date came from.
    pub published_from: PublishedFrom,
    /// The dates written in the text, resolved, in text order.
    pub dates: Vec<DateMention>,
    /// What could not be done, in words (no publication date; dates left out).
    pub notes: Vec<String>,
}

/// The dates stage: the publication date (`given`, else the latest full date in `text`) and
/// every date of `text` resolved against it.
pub fn read(text: &str, given: Option<NaiveDate>) -> Dating {
    let mut notes = Vec::new();
    // The written dates are matched once: the fallback publication date and the dates both
    // read them (a report without a date of its own would otherwise be searched twice).
    let written: Vec<Captures<'_>> = explicit().captures_iter(text).collect();
    let (published, published_from) = match given {
        Some(p) => (Some(p), PublishedFrom::Input),
        None => match latest_of(&written) {
            Some(d) => {
                notes.push(format!("no publication date given; using {d}, the latest full date in the text"));
                (Some(d), PublishedFrom::Text)
            }
            None => {
                notes.push("no publication date given or written; relative dates (\"on Saturday\") are not resolved".to_owned());
                (None, PublishedFrom::Unknown)
            }
        },
    };
    let (dates, unresolved) = find_in(text, &written, published);
    notes.extend(unresolved.into_iter().map(|d| format!("the date {d:?} could not be resolved (no such day, or no year and no publication date); left out")));
    Dating { published, published_from, dates, notes }
}

const MONTHS: &[&str] = &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

pub(crate) fn month_number(word: &str) -> Option<u32> {
    let w = word.to_lowercase();
    MONTHS.iter().position(|m| w.starts_with(m)).map(|i| i as u32 + 1)
}

fn explicit() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let month = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)";
        crate::pattern::regex(&format!(
            r"(?-u:\b)(?:(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})|(?P<m1>{month})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*(?:(?P<m1e>{month})\s+)?(?P<d1e>\d{{1,2}})(?:st|nd|rd|th)?)?(?:,?\s+(?P<y1>\d{{4}}))?|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*(?P<d2e>\d{{1,2}})(?:st|nd|rd|th)?)?\s+(?P<m2>{month})(?:,?\s+(?P<y2>\d{{4}}))?)(?-u:\b)"
        ))
        .expect("the date pattern compiles")
    })
}

fn relative() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        crate::pattern::regex(
            r"(?i)(?-u:\b)(?:(?P<part>early|mid|late)[\s-]+(?P<pm>January|February|March|April|May|June|July|August|September|October|November|December)|(?P<day>today|tonight|yesterday|this\ morning|this\ afternoon|this\ evening)|(?P<week>this\ week|last\ week|the\ past\ week|the\ last\ week|in\ the\ past\ week)|(?P<year>earlier\ this\ year|this\ year)|(?P<month>last\ month|this\ month)|(?:on\ |last\ |this\ )?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))(?-u:\b)",
        )
        .expect("the relative date pattern compiles")
    })
}

/// The latest full date written in the text (with day, month and year): a fallback for the
/// publication date of a report that does not state one.
pub fn latest_full_date(text: &str) -> Option<NaiveDate> {
    latest_of(&explicit().captures_iter(text).collect::<Vec<_>>())
}

/// [`latest_full_date`] over the matches of the written-date pattern.
fn latest_of(written: &[Captures<'_>]) -> Option<NaiveDate> {
    written
        .iter()
        .filter_map(|c| {
            if let Some(iso) = c.name("iso") {
                return NaiveDate::parse_from_str(iso.as_str(), "%Y-%m-%d").ok();
            }
            let (m, d, y) = match (c.name("m1"), c.name("m2")) {
                (Some(m), _) => (m, c.name("d1")?, c.name("y1")?),
                (None, Some(m)) => (m, c.name("d2")?, c.name("y2")?),
                _ => return None,
            };
            NaiveDate::from_ymd_opt(y.as_str().parse().ok()?, month_number(m.as_str())?, d.as_str().parse().ok()?)
        })
        .max()
}

/// Every date expression in `text`, resolved against `published` (relative ones are skipped
/// without it), and the written dates that could not be resolved: days the calendar lacks
/// ("February 30, 2022"), or a day without a year when there is no publication date.
pub fn find(text: &str, published: Option<NaiveDate>) -> (Vec<DateMention>, Vec<String>) {
    find_in(text, &explicit().captures_iter(text).collect::<Vec<_>>(), published)
}

/// [`find`] with the matches of the written-date pattern in `text` given.
fn find_in(text: &str, written: &[Captures<'_>], published: Option<NaiveDate>) -> (Vec<DateMention>, Vec<String>) {
    let mut out = Vec::new();
    let mut unresolved = Vec::new();
    for c in written {
        let whole = c.get(0).expect("group 0 always matches");
        let date = if let Some(iso) = c.name("iso") {
            NaiveDate::parse_from_str(iso.as_str(), "%Y-%m-%d").ok()
        } else {
            let (m, d, y) = match (c.name("m1"), c.name("m2")) {
                (Some(m), _) => (m, c.name("d1"), c.name("y1")),
                (None, Some(m)) => (m, c.name("d2"), c.name("y2")),
                _ => continue,
            };
            let (Some(month), Some(day)) = (month_number(m.as_str()), d.and_then(|d| d.as_str().parse::<u32>().ok())) else { continue };
            let year = match (y, published) {
                (Some(y), _) => y.as_str().parse().ok(),
                (None, Some(p)) => year_of_day(p, month, day),
                (None, None) => None,
            };
            year.and_then(|y| NaiveDate::from_ymd_opt(y, month, day))
        };
        match date {
            Some(date) => {
                let to = range_end(c, date).unwrap_or(date);
                let precision = match (to - date).num_days() {
                    0 => DatePrecision::Day,
                    1..=7 => DatePrecision::Week,
                    _ => DatePrecision::Month,
                };
                out.push(DateMention { start: whole.start(), end: whole.end(), text: whole.as_str().to_owned(), from: date, to, precision });
            }
            None => unresolved.push(whole.as_str().to_owned()),
        }
    }
    if let Some(p) = published {
        // Explicit dates are in text order and apart, and so are relative ones: one walk
        // finds the explicit date a relative one could overlap.
        let explicit_count = out.len();
        let mut next_explicit = 0;
        for c in relative().captures_iter(text) {
            let whole = c.get(0).expect("group 0 always matches");
            while next_explicit < explicit_count && out[next_explicit].end <= whole.start() {
                next_explicit += 1;
            }
            if next_explicit < explicit_count && out[next_explicit].start < whole.end() {
                continue;
            }
            let resolved = if let Some(day) = c.name("day") {
                let back = if day.as_str().eq_ignore_ascii_case("yesterday") { 1 } else { 0 };
                let d = p - Duration::days(back);
                Some((d, d, DatePrecision::Day))
            } else if let Some(week) = c.name("week") {
                let monday = p - Duration::days(i64::from(p.weekday().num_days_from_monday()));
                match week.as_str().to_lowercase().as_str() {
                    "this week" => Some((monday, p, DatePrecision::Week)),
                    "last week" => Some((monday - Duration::days(7), monday - Duration::days(1), DatePrecision::Week)),
                    _ => Some((p - Duration::days(7), p, DatePrecision::Week)),
                }
            } else if c.name("year").is_some() {
                NaiveDate::from_ymd_opt(p.year(), 1, 1).map(|jan1| (jan1, p, DatePrecision::Range))
            } else if let Some(month) = c.name("month") {
                let first = NaiveDate::from_ymd_opt(p.year(), p.month(), 1);
                if month.as_str().eq_ignore_ascii_case("this month") {
                    first.map(|f| (f, p, DatePrecision::Month))
                } else {
                    first.and_then(|f| {
                        let last = f - Duration::days(1);
                        NaiveDate::from_ymd_opt(last.year(), last.month(), 1).map(|s| (s, last, DatePrecision::Month))
                    })
                }
            } else if let (Some(part), Some(m)) = (c.name("part"), c.name("pm")) {
                month_part(p, month_number(m.as_str()).unwrap_or(1), &part.as_str().to_lowercase())
            } else if let Some(wd) = c.name("wd") {
                wd.as_str().parse::<Weekday>().ok().map(|w| {
                    // The latest such weekday on or before publication.
                    let back = (7 + p.weekday().num_days_from_monday() - w.num_days_from_monday()) % 7;
                    let d = p - Duration::days(i64::from(back));
                    (d, d, DatePrecision::Day)
                })
            } else {
                None
            };
            if let Some((from, to, precision)) = resolved {
                out.push(DateMention { start: whole.start(), end: whole.end(), text: whole.as_str().to_owned(), from, to, precision });
            }
        }
    }
    out.sort_by_key(|d| d.start);
    (out, unresolved)
}

/// The dates of `dates` (in text order, as [`find`] gives them) that lie wholly inside
/// `range` (bytes of the text): found by halving, so that a long report's sentences do not
/// each walk all its dates.
pub(crate) fn within(dates: &[DateMention], range: std::ops::Range<usize>) -> &[DateMention] {
    let from = dates.partition_point(|d| d.start < range.start);
    let to = from + dates[from..].partition_point(|d| d.start < range.end);
    // Dates do not overlap, so only the last one that starts inside can end outside.
    let to = if to > from && dates[to - 1].end > range.end { to - 1 } else { to };
    &dates[from..to]
}

/// How many days after publication a day written without a year may lie and still be read as
/// to come: reports name the days of plans, votes and deadlines a few weeks ahead; a day further
/// on is more likely one already past ("on March 2" in a report of January 1).
const AHEAD_DAYS: i64 = 31;

/// The year of a day written without one: the latest such day not after publication, unless the
/// day comes within [`AHEAD_DAYS`] after it, so "May 9" in a report of April 20 is this May, to
/// come, "January 4" in a report of December 28 is next January, and "December 30" in a report
/// of January 3 is last December. None when no such year has the day.
fn year_of_day(published: NaiveDate, month: u32, day: u32) -> Option<i32> {
    let days = |y: i32| NaiveDate::from_ymd_opt(y, month, day).map(|date| (date - published).num_days());
    let ahead = [published.year(), published.year() + 1].into_iter().find(|&y| days(y).is_some_and(|d| d > 0 && d <= AHEAD_DAYS));
    ahead.or_else(|| (published.year() - 4..=published.year()).rev().find(|&y| days(y).is_some_and(|d| d <= 0)))
}

/// The last day of a written range that starts on `from` ("February 25-26", "March 31-April
/// 1", "25-26 February"): within a month of `from`, else none.
fn range_end(c: &crate::pattern::Captures<'_>, from: NaiveDate) -> Option<NaiveDate> {
    let day: u32 = c.name("d1e").or_else(|| c.name("d2e"))?.as_str().parse().ok()?;
    let month = c.name("m1e").and_then(|m| month_number(m.as_str())).unwrap_or(from.month());
    let year = if month < from.month() { from.year() + 1 } else { from.year() };
    let to = NaiveDate::from_ymd_opt(year, month, day)?;
    (to > from && to - from <= Duration::days(31)).then_some(to)
}

/// "late August" before a publication date: days 21 to the month's end of the latest August
/// not after publication; "early" is 1–10, "mid" 11–20.
fn month_part(published: NaiveDate, month: u32, part: &str) -> Option<(NaiveDate, NaiveDate, DatePrecision)> {
    let year = if month > published.month() { published.year() - 1 } else { published.year() };
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1)? } else { NaiveDate::from_ymd_opt(year, month + 1, 1)? };
    let last = next - Duration::days(1);
    let (from, to) = match part {
        "early" => (first, first + Duration::days(9)),
        "mid" => (first + Duration::days(10), first + Duration::days(19)),
        _ => (first + Duration::days(20), last),
    };
    Some((from, to, DatePrecision::Month))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_gives_the_dates_wholly_inside_a_range() {
        let text = "On 3 March 2023 and on 5 March 2023, then on 9 March 2023.";
        let (dates, _) = find(text, None);
        assert_eq!(dates.len(), 3);
        let texts = |r: std::ops::Range<usize>| within(&dates, r).iter().map(|d| d.text.as_str()).collect::<Vec<_>>();
        // Every range agrees with filtering the whole list.
        for a in 0..=text.len() {
            for b in a..=text.len() {
                let filtered: Vec<&str> = dates.iter().filter(|d| d.start >= a && d.end <= b).map(|d| d.text.as_str()).collect();
                assert_eq!(texts(a..b), filtered, "{a}..{b}");
            }
        }
        assert_eq!(texts(0..text.len()), ["3 March 2023", "5 March 2023", "9 March 2023"]);
        assert!(texts(3..10).is_empty(), "a date cut by the range's end is left out");
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn explicit_and_relative_dates() {
        let published = d(2022, 9, 10); // a Saturday
        let t = "On Saturday the army said so. In late August troops moved; this week they struck, and on \
                 September 10, 2022 entered the town. Earlier this year, on Wednesday, and today.";
        let found: Vec<_> = find(t, Some(published)).0.into_iter().map(|m| (m.text, m.from, m.to, m.precision)).collect();
        assert_eq!(
            found,
            [
                ("On Saturday".into(), d(2022, 9, 10), d(2022, 9, 10), DatePrecision::Day),
                ("late August".into(), d(2022, 8, 21), d(2022, 8, 31), DatePrecision::Month),
                ("this week".into(), d(2022, 9, 5), d(2022, 9, 10), DatePrecision::Week),
                ("September 10, 2022".into(), d(2022, 9, 10), d(2022, 9, 10), DatePrecision::Day),
                ("Earlier this year".into(), d(2022, 1, 1), d(2022, 9, 10), DatePrecision::Range),
                ("on Wednesday".into(), d(2022, 9, 7), d(2022, 9, 7), DatePrecision::Day),
                ("today".into(), d(2022, 9, 10), d(2022, 9, 10), DatePrecision::Day),
            ]
        );
    }

    #[test]
    fn a_day_without_a_year_is_the_last_one_or_one_a_few_weeks_ahead() {
        let days = |t: &str, p: NaiveDate| find(t, Some(p)).0.into_iter().map(|m| m.from).collect::<Vec<_>>();
        // A day a few weeks on is to come, not last year's.
        assert_eq!(days("A parade is planned for May 9.", d(2022, 4, 20)), [d(2022, 5, 9)]);
        assert_eq!(days("The town fell on April 2.", d(2022, 4, 20)), [d(2022, 4, 2)]);
        // Across the turn of the year, both ways.
        assert_eq!(days("The town fell on December 30.", d(2023, 1, 3)), [d(2022, 12, 30)]);
        assert_eq!(days("Talks resume on January 4.", d(2022, 12, 28)), [d(2023, 1, 4)]);
        // Further ahead than a few weeks: last year's.
        assert_eq!(days("The town fell on March 2.", d(2023, 1, 1)), [d(2022, 3, 2)]);
        // A leap day is read in the year that has it.
        assert_eq!(days("The bridge fell on February 29.", d(2024, 3, 10)), [d(2024, 2, 29)]);
    }

    #[test]
    fn the_publication_date_is_given_or_the_latest_written() {
        let t = "On 3 March 2023 the bridge fell; by March 5, 2023 it was rebuilt, and on Saturday it was shelled.";
        let given = read(t, Some(d(2023, 3, 20)));
        assert_eq!((given.published, given.published_from), (Some(d(2023, 3, 20)), PublishedFrom::Input));
        assert!(given.notes.is_empty());
        assert_eq!(given.dates.last().map(|m| m.from), Some(d(2023, 3, 18)), "the Saturday before the 20th");
        let written = read(t, None);
        assert_eq!((written.published, written.published_from), (Some(d(2023, 3, 5)), PublishedFrom::Text));
        assert_eq!(written.dates.last().map(|m| m.from), Some(d(2023, 3, 4)), "the Saturday before the 5th");
        assert!(written.notes[0].contains("latest full date"));
        let none = read("On Saturday, on 31 April, it rained.", None);
        assert_eq!((none.published, none.published_from, none.dates.len()), (None, PublishedFrom::Unknown, 0));
        assert_eq!(none.notes.len(), 2, "no publication date, and a day with no year: {:?}", none.notes);
    }

    #[test]
    fn a_relative_date_inside_an_explicit_one_is_not_read_twice() {
        let found: Vec<String> =
            find("By mid-September 5 villages were retaken; on Monday, late August and today.", Some(d(2022, 9, 10))).0.into_iter().map(|m| m.text).collect();
        assert_eq!(found, ["September 5", "on Monday", "late August", "today"]);
    }

    #[test]
    fn written_ranges_run_to_their_last_day() {
        let found: Vec<_> = find(
            "Troops crossed on the night of June 3-4, fought from 30 June to 2 July, held the line 6–8 July and withdrew between July 30-August 2, 2022; on May 40-41 nothing.",
            Some(d(2022, 8, 5)),
        )
        .0
        .into_iter()
        .map(|m| (m.text, m.from, m.to, m.precision))
        .collect();
        assert_eq!(
            found,
            [
                ("June 3-4".into(), d(2022, 6, 3), d(2022, 6, 4), DatePrecision::Week),
                ("30 June".into(), d(2022, 6, 30), d(2022, 6, 30), DatePrecision::Day),
                ("2 July".into(), d(2022, 7, 2), d(2022, 7, 2), DatePrecision::Day),
                ("6–8 July".into(), d(2022, 7, 6), d(2022, 7, 8), DatePrecision::Week),
                ("July 30-August 2, 2022".into(), d(2022, 7, 30), d(2022, 8, 2), DatePrecision::Week),
            ]
        );
    }

    #[test]
    fn dates_that_do_not_exist_are_skipped() {
        let (found, unresolved) = find("On February 30, 2022 nothing happened.", None);
        assert!(found.is_empty());
        assert_eq!(unresolved, ["February 30, 2022"]);
        assert_eq!(latest_full_date("On 3 March 2022 and on 2022-04-01."), Some(d(2022, 4, 1)));
        assert!(find("On Saturday.", None).0.is_empty(), "relative dates need a publication date");
    }
}
