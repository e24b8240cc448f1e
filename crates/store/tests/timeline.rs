//! The control timeline in the store, on both databases: written by the one ingest path,
//! rebuilt for the settlements a batch touches, the same whatever the order and batching of
//! the reports, revised by late reports, disputes kept, and queried by day, window and area.

mod common;

use common::{gazetteer, TestStore};
use proptest::prelude::*;
use sitrep_gazetteer::LatLon;
use sitrep_read::{Reader, Report, Side};
use sitrep_store::{
    control::ControlState,
    timeline::{ControlQuery, ControlStateAt},
    Prepared, Store,
};

on_both_backends!(
    the_same_reports_in_any_order_and_batches_give_the_same_timeline,
    a_late_report_about_an_earlier_day_revises_history,
    a_denial_is_kept_as_a_dispute_with_its_source,
    states_and_changes_are_queried_by_day_window_and_area,
    two_writers_at_once_give_the_timeline_of_one,
    a_writer_reads_a_settlements_claims_again_after_another_writer_stored_some,
    a_timeline_kept_up_to_date_batch_by_batch_is_the_one_built_from_all_claims,
    leaving_a_whole_oblast_gives_back_only_the_settlements_the_leaving_side_held,
);

fn report(id: &str, source: &str, published: &str, text: &str) -> Report {
    Report { id: id.into(), source: Some(source.into()), published: Some(published.parse().unwrap()), text: text.into(), ..Report::default() }
}

/// Reports written for these tests: Izium taken in spring and retaken in autumn, Kupiansk
/// taken in autumn, Kreminna claimed and denied.
fn reports() -> Vec<Report> {
    vec![
        report("r1", "Outlet A", "2022-04-02", "Russian forces captured Izium on April 1."),
        report("r2", "Outlet B", "2022-04-05", "Russian forces held Izium and shelled villages to the south."),
        report("r3", "Outlet A", "2022-09-11", "Ukrainian forces liberated Izium on September 10, the General Staff said."),
        report("r4", "Outlet C", "2022-09-11", "Ukrainian forces recaptured Kupiansk on September 10."),
        report("r5", "Outlet B", "2022-09-12", "Ukrainian troops entered Izium on September 10, footage showed."),
        report("r6", "Outlet D", "2022-10-03", "Russia's defence ministry said its forces captured Kreminna on October 2."),
    ]
}

fn prepared(reports: &[Report]) -> Vec<Prepared> {
    let reader = Reader::new(gazetteer());
    reports.iter().map(|r| Prepared::new(r.text.clone(), reader.read(r)).unwrap()).collect()
}

fn ingest<P: std::borrow::Borrow<Prepared>>(store: &mut Store, batch: &[P]) {
    for outcome in store.ingest_batch(batch).unwrap() {
        outcome.unwrap();
    }
}

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

fn state_of<'a>(states: &'a [ControlStateAt], name: &str) -> Option<&'a ControlStateAt> {
    states.iter().find(|s| s.place.name == name)
}

fn the_same_reports_in_any_order_and_batches_give_the_same_timeline(backend: &str) {
    let all = prepared(&reports());
    let (forward, backward, mixed) = (TestStore::new(backend, "order_a"), TestStore::new(backend, "order_b"), TestStore::new(backend, "order_c"));
    let mut a = forward.open();
    for p in &all {
        ingest(&mut a, std::slice::from_ref(p));
    }
    let mut b = backward.open();
    let reversed: Vec<&Prepared> = all.iter().rev().collect();
    ingest(&mut b, &reversed);
    let mut c = mixed.open();
    let odd: Vec<&Prepared> = all.iter().skip(1).step_by(2).collect();
    let even: Vec<&Prepared> = all.iter().step_by(2).collect();
    ingest(&mut c, &odd);
    ingest(&mut c, &even);
    let everything = ControlQuery::default();
    let changes = a.control_changes(&everything).unwrap();
    assert!(changes.len() >= 3, "Izium twice and Kupiansk at least: {changes:#?}");
    assert_eq!(b.control_changes(&everything).unwrap(), changes);
    assert_eq!(c.control_changes(&everything).unwrap(), changes);
    for d in ["2022-03-01", "2022-05-01", "2022-09-30", "2022-12-31"] {
        let q = ControlQuery { as_of: Some(day(d)), ..ControlQuery::default() };
        let states = a.control_states(&q).unwrap();
        assert_eq!(b.control_states(&q).unwrap(), states, "as of {d}");
        assert_eq!(c.control_states(&q).unwrap(), states, "as of {d}");
    }
    let latest = a.control_states(&everything).unwrap();
    assert_eq!(state_of(&latest, "Izyum").map(|s| s.state), Some(ControlState::Ukraine));
    let izium = state_of(&latest, "Izyum").and_then(|s| s.last_change.as_ref()).expect("Izium's last change");
    assert_eq!((izium.from_side, izium.to_side), (Some(Side::Russia), Side::Ukraine));
    assert!(izium.date_earliest <= day("2022-09-10") && izium.date_latest >= day("2022-09-10"), "{izium:#?}");
    assert_eq!(izium.claimants, 2, "the General Staff and the footage's outlet: {izium:#?}");
    assert!(izium.sources.iter().all(|s| s.end > s.start && !s.evidence.is_empty()));
}

fn a_late_report_about_an_earlier_day_revises_history(backend: &str) {
    let all = prepared(&reports());
    let t = TestStore::new(backend, "late");
    let mut store = t.open();
    ingest(&mut store, &all[2..3]); // the autumn report first
    let april = ControlQuery { as_of: Some(day("2022-05-01")), ..ControlQuery::default() };
    let before = store.control_states(&april).unwrap();
    assert_eq!(state_of(&before, "Izyum").map(|s| s.state), Some(ControlState::Russia), "retaken in autumn: Russian before");
    assert_eq!(state_of(&before, "Izyum").and_then(|s| s.last_change.as_ref()), None, "no change known by May yet");
    ingest(&mut store, &all[0..1]); // then the spring report
    let after = store.control_states(&april).unwrap();
    let spring = state_of(&after, "Izyum").and_then(|s| s.last_change.as_ref()).expect("the spring capture is now known");
    assert_eq!((spring.to_side, spring.date_latest), (Side::Russia, day("2022-04-01")));
    assert_eq!(store.control_changes(&ControlQuery::default()).unwrap().iter().filter(|c| c.place.name == "Izyum").count(), 2);
}

fn a_denial_is_kept_as_a_dispute_with_its_source(backend: &str) {
    let t = TestStore::new(backend, "dispute");
    let mut store = t.open();
    let mut rs = reports();
    rs.push(report("r7", "Outlet E", "2022-10-03", "Ukrainian officials denied that Russian forces captured Kreminna on October 2."));
    ingest(&mut store, &prepared(&rs));
    let kreminna: Vec<_> = store.control_changes(&ControlQuery::default()).unwrap().into_iter().filter(|c| c.place.name == "Kreminna").collect();
    assert_eq!(kreminna.len(), 1, "{kreminna:#?}");
    let c = &kreminna[0];
    assert!(c.disputed);
    assert_eq!(c.disputed_by.iter().map(|s| (s.report.as_str(), s.certainty.as_str())).collect::<Vec<_>>(), [("r7", "denied")]);
    assert_eq!(c.sources.iter().map(|s| s.report.as_str()).collect::<Vec<_>>(), ["r6"]);
}

fn states_and_changes_are_queried_by_day_window_and_area(backend: &str) {
    let t = TestStore::new(backend, "area");
    let mut store = t.open();
    ingest(&mut store, &prepared(&reports()));
    let september = ControlQuery { from: Some(day("2022-09-01")), to: Some(day("2022-09-30")), ..ControlQuery::default() };
    let mut names: Vec<String> = store.control_changes(&september).unwrap().into_iter().map(|c| c.place.name).collect();
    names.sort();
    assert_eq!(names, ["Izyum", "Kupyansk"]);
    // Izium is 61 km from Kupiansk: a 30 km circle around Kupiansk holds only Kupiansk.
    let near = ControlQuery { near: Some((LatLon::new(49.71, 37.616), 30.0)), ..september.clone() };
    let names: Vec<String> = store.control_changes(&near).unwrap().into_iter().map(|c| c.place.name).collect();
    assert_eq!(names, ["Kupyansk"]);
    let boxed = ControlQuery { bbox: Some([49.0, 36.9, 49.3, 37.5]), as_of: Some(day("2022-06-01")), ..ControlQuery::default() };
    let states = store.control_states(&boxed).unwrap();
    assert_eq!(states.iter().map(|s| (s.place.name.as_str(), s.state)).collect::<Vec<_>>(), [("Izyum", ControlState::Russia)]);
    assert!(states[0].place.geonameid.is_some());
    assert_eq!(store.control_counts().unwrap().0, 3);
}

/// Many more reports about one settlement, for writers to race on: Izium changing hands every
/// month, each time told by two outlets.
fn many_reports() -> Vec<Report> {
    (0..40u64)
        .map(|i| {
            let (side, verb) = if i / 2 % 2 == 0 { ("Russian", "captured") } else { ("Ukrainian", "liberated") };
            let on = day("2022-03-01") + chrono::Days::new(30 * (i / 2) + i % 2 * 5);
            let published = (on + chrono::Days::new(1)).to_string();
            let month = on.format("%B %-d");
            report(&format!("m{i}"), ["Outlet A", "Outlet B", "Outlet C"][i as usize % 3], &published, &format!("{side} forces {verb} Izium on {month}."))
        })
        .collect()
}

fn two_writers_at_once_give_the_timeline_of_one(backend: &str) {
    let all = prepared(&many_reports());
    let (one, two) = (TestStore::new(backend, "one_writer"), TestStore::new(backend, "two_writers"));
    let mut single = one.open();
    ingest(&mut single, &all);
    let changes = single.control_changes(&ControlQuery::default()).unwrap();
    assert!(changes.len() >= 10, "Izium changes hands again and again: {changes:#?}");
    // Two writers, each with reports about the same settlement in small batches, at once: each
    // batch rebuilds Izium's timeline while the other writer may be doing the same.
    drop(two.open()); // migrated once, before the race
    std::thread::scope(|s| {
        for half in [0, 1] {
            let (location, all) = (&two.location, &all);
            s.spawn(move || {
                let mut store = Store::open(location).unwrap();
                let mine: Vec<&Prepared> = all.iter().skip(half).step_by(2).collect();
                for batch in mine.chunks(2) {
                    ingest(&mut store, batch);
                }
            });
        }
    });
    let mut raced = two.open();
    assert_eq!(raced.control_changes(&ControlQuery::default()).unwrap(), changes);
    assert_eq!(raced.control_counts().unwrap(), single.control_counts().unwrap());
    for d in ["2022-04-01", "2022-08-01", "2023-01-01"] {
        let q = ControlQuery { as_of: Some(day(d)), ..ControlQuery::default() };
        assert_eq!(raced.control_states(&q).unwrap(), single.control_states(&q).unwrap(), "as of {d}");
    }
}

/// A writer keeps the timelines it wrote, with their claims, for its next batches; when
/// another writer (another process, another server) has stored claims about the settlement
/// meanwhile, it must read them rather than build on what it kept, and its next batches must
/// not rewrite the other writer's rows as if they were its own.
fn a_writer_reads_a_settlements_claims_again_after_another_writer_stored_some(backend: &str) {
    // Late reports first and early ones last, so that every batch revises the spans and
    // changes the batches before it wrote.
    let mut all = prepared(&many_reports());
    all.reverse();
    let (one, two) = (TestStore::new(backend, "kept_one"), TestStore::new(backend, "kept_two"));
    let mut single = one.open();
    ingest(&mut single, &all);
    let (mut first, mut second) = (two.open(), two.open());
    for (n, batch) in all.chunks(3).enumerate() {
        // Mostly the first writer, now and then the second, never the second twice running.
        let writer = if n % 4 == 2 { &mut second } else { &mut first };
        ingest(writer, batch);
    }
    for store in [&mut first, &mut second] {
        assert_eq!(store.control_changes(&ControlQuery::default()).unwrap(), single.control_changes(&ControlQuery::default()).unwrap());
        assert_eq!(store.control_counts().unwrap(), single.control_counts().unwrap());
        for d in ["2022-03-10", "2022-06-01", "2022-09-01", "2023-01-01"] {
            let q = ControlQuery { as_of: Some(day(d)), ..ControlQuery::default() };
            assert_eq!(store.control_states(&q).unwrap(), single.control_states(&q).unwrap(), "as of {d}");
        }
    }
}

/// A made-up claim for the property below: settlement (0 or 1), kind (change, presence,
/// contested), side (Ukraine or not), day (of a few, so that days repeat), certainty, claimant.
type ClaimSpec = (usize, usize, bool, u64, usize, usize);

/// Made-up reports, each with an outlet and its claims.
type ReportSpec = (usize, Vec<ClaimSpec>);

fn report_spec() -> impl Strategy<Value = ReportSpec> {
    let claim = (0..2usize, 0..3usize, any::<bool>(), 0..6u64, 0..7usize, 0..3usize);
    (0..2usize, prop::collection::vec(claim, 1..4))
}

/// The reading of a report with exactly the claims of `spec`, about two settlements of a
/// place of its own (`case`), so that the cases share a store without meeting.
fn claims_report(base: &sitrep_read::Reading, case: usize, n: usize, spec: &ReportSpec) -> Prepared {
    use sitrep_read::{
        control::{ControlKind, ControlPlace, ControlStatement},
        dates::DatePrecision,
        modality::{Certainty, StatementKind},
        DateSource, EventDate,
    };
    let certainties =
        [Certainty::Confirmed, Certainty::Asserted, Certainty::Assessed, Certainty::Claimed, Certainty::Reported, Certainty::Unconfirmed, Certainty::Denied];
    let first = day("2022-05-01");
    let text = format!("Report {n} of case {case}: the front moved.");
    let mut reading = base.clone();
    reading.id = format!("c{case}r{n}");
    reading.source = Some(["Outlet A", "Outlet B"][spec.0].into());
    reading.published = Some(first + chrono::Days::new(8));
    reading.control = spec
        .1
        .iter()
        .map(|&(settlement, kind, ukraine, on, certainty, claimant)| {
            let kind = [ControlKind::Change, ControlKind::Presence, ControlKind::Contested][kind];
            let side = if ukraine { Side::Ukraine } else { Side::Russia };
            let on = first + chrono::Days::new(on);
            ControlStatement {
                kind,
                place: ControlPlace {
                    id: format!("sitrep:case-{case}-{settlement}"),
                    name: format!("Testivka {settlement}"),
                    mention: "Testivka".into(),
                    start: 0,
                    end: 8,
                    lat: 10.0 + case as f64 * 0.1 + settlement as f64 * 0.01,
                    lon: 30.0,
                },
                to_side: (kind != ControlKind::Contested).then_some(side),
                from_side: None,
                date: Some(EventDate { from: on, to: on, precision: DatePrecision::Day, from_text: DateSource::Sentence }),
                claimant: [None, Some("the General Staff"), Some("the defence ministry")][claimant].map(str::to_owned),
                statement: StatementKind::Event,
                certainty: certainties[certainty],
                cues: Vec::new(),
                trigger: "moved".into(),
                start: 0,
                end: text.chars().count(),
                area: false,
                within: Vec::new(),
            }
        })
        .collect();
    Prepared::new(text, reading).unwrap()
}

/// What the store answers about the settlements of `case`: every change, and the states on
/// each day around the claims' and at the end.
fn answers(store: &mut Store, case: usize) -> (Vec<sitrep_store::timeline::ControlChange>, Vec<Vec<ControlStateAt>>) {
    let lat = 10.0 + case as f64 * 0.1;
    let area = ControlQuery { bbox: Some([lat - 0.001, 29.9, lat + 0.02, 30.1]), ..ControlQuery::default() };
    let mut states = vec![store.control_states(&area).unwrap()];
    for d in 0..9 {
        let q = ControlQuery { as_of: Some(day("2022-04-30") + chrono::Days::new(d)), ..area.clone() };
        states.push(store.control_states(&q).unwrap());
    }
    (store.control_changes(&area).unwrap(), states)
}

/// The write path keeps a settlement's stored timeline when a batch's claims cannot change
/// it, and rebuilds it otherwise: after any sequence of batches, in any order, the stored
/// timelines are the ones a store given every claim at once builds from all of them.
fn a_timeline_kept_up_to_date_batch_by_batch_is_the_one_built_from_all_claims(backend: &str) {
    let (whole, batched) = (TestStore::new(backend, "all_at_once"), TestStore::new(backend, "batch_by_batch"));
    let (whole, batched) = (std::cell::RefCell::new(whole.open()), std::cell::RefCell::new(batched.open()));
    let base = Reader::new(gazetteer()).read(&report("base", "Outlet A", "2022-05-09", "Nothing was said."));
    let (case_number, with_timeline) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    let cases = (prop::collection::vec(report_spec(), 1..14).prop_shuffle(), prop::collection::vec(1..5usize, 1..8));
    proptest::test_runner::TestRunner::new(ProptestConfig { cases: 24, ..ProptestConfig::default() })
        .run(&cases, |(reports, sizes)| {
            let case = case_number.get();
            case_number.set(case + 1);
            let all: Vec<Prepared> = reports.iter().enumerate().map(|(n, r)| claims_report(&base, case, n, r)).collect();
            ingest(&mut whole.borrow_mut(), &all);
            // Batches of the given sizes in turn, the last one taking the rest.
            let mut rest: &[Prepared] = &all;
            for size in sizes.iter().cycle() {
                if rest.is_empty() {
                    break;
                }
                let (batch, more) = rest.split_at((*size).min(rest.len()));
                ingest(&mut batched.borrow_mut(), batch);
                rest = more;
            }
            let expected = answers(&mut whole.borrow_mut(), case);
            // A case whose every claim is denied fighting has no timeline at all; the count
            // below makes sure that most cases compare real timelines.
            if !expected.1[0].is_empty() {
                with_timeline.set(with_timeline.get() + 1);
            }
            prop_assert_eq!(answers(&mut batched.borrow_mut(), case), expected);
            Ok(())
        })
        .unwrap();
    assert!(with_timeline.get() * 2 >= case_number.get(), "{} of {} cases had a timeline", with_timeline.get(), case_number.get());
}

/// A side leaving a whole oblast: the settlements the store holds as that side's in the oblast
/// change hands on that day; one the other side held, one outside the oblast and any the store
/// has no claim about are untouched; the area claim counts whichever order the reports come in.
fn leaving_a_whole_oblast_gives_back_only_the_settlements_the_leaving_side_held(backend: &str) {
    let reports = [
        report("s1", "Outlet A", "2022-03-02", "Russian forces captured Konotop on March 1."),
        report("s2", "Outlet B", "2022-03-02", "Ukrainian forces repelled assaults on Okhtyrka on March 1."),
        report("s3", "Outlet C", "2022-04-02", "Russian forces captured Izium on April 1."),
        report("s4", "Outlet A", "2022-04-07", "On April 6, Russian forces completely vacated Sumy Oblast."),
    ];
    let mut answers = Vec::new();
    for (n, order) in [[0, 1, 2, 3], [3, 2, 1, 0]].into_iter().enumerate() {
        let t = TestStore::new(backend, &format!("area_{n}"));
        let store = &mut t.open();
        for i in order {
            ingest(store, &prepared(&reports[i..=i]));
        }
        // No settlement is made up: only the three the reports name have timelines.
        assert_eq!(store.control_counts().unwrap().0, 3);
        let changes = store.control_changes(&ControlQuery { from: Some(day("2022-04-01")), ..ControlQuery::default() }).unwrap();
        let mut got: Vec<(String, Option<Side>, Side, chrono::NaiveDate)> =
            changes.iter().map(|c| (c.place.name.clone(), c.from_side, c.to_side, c.date_latest)).collect();
        got.sort();
        answers.push(got);
    }
    let konotop: Vec<_> = answers[0].iter().filter(|c| c.0 == "Konotop").collect();
    assert_eq!(konotop.len(), 1, "{:?}", answers[0]);
    assert_eq!((konotop[0].2, konotop[0].3), (Side::Ukraine, day("2022-04-06")));
    assert!(answers[0].iter().all(|c| c.0 != "Okhtyrka" && !(c.0.starts_with("Izi") && c.2 == Side::Ukraine)), "{:?}", answers[0]);
    assert_eq!(answers[0], answers[1], "the order of the reports does not matter");
}
