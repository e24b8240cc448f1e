//! The control timeline in the store, on both databases: written by the one ingest path,
//! rebuilt for the settlements a batch touches, the same whatever the order and batching of
//! the reports, revised by late reports, disputes kept, and queried by day, window and area.

mod common;

use common::{gazetteer, TestStore};
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
