//! The embedded store on real readings: idempotent ingest, events merged across reports with
//! every source kept, queries, and schema versions.

use sitrep_gazetteer::{Gazetteer, LatLon};
use sitrep_read::{Reader, Report};
use sitrep_store::{EventQuery, Store};

fn gazetteer() -> &'static Gazetteer {
    static GAZ: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
    GAZ.get_or_init(|| Gazetteer::open_default().expect("the built-in gazetteer opens"))
}

fn temp_store(name: &str) -> (std::path::PathBuf, Store) {
    let dir = std::env::temp_dir().join(format!("sitrep-store-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("test.db");
    let store = Store::open_sqlite(&path).unwrap();
    (dir, store)
}

fn report(id: &str, source: &str, published: &str, text: &str) -> Report {
    Report {
        id: id.into(),
        source: Some(source.into()),
        published: Some(published.parse().unwrap()),
        text: text.into(),
        ..Report::default()
    }
}

#[test]
fn the_same_report_twice_adds_nothing() {
    let (dir, mut store) = temp_store("idempotent");
    let reader = Reader::new(gazetteer());
    let r = report("a", "Outlet A", "2023-01-17", "Russian artillery shelled Kupiansk on Tuesday, the governor said.");
    let reading = reader.read(&r);
    let first = store.ingest(&r.text, &reading).unwrap();
    assert!(first.new_report && first.events_new == 1);
    let again = store.ingest(&r.text, &reading).unwrap();
    assert!(!again.new_report && again.events_new == 0 && again.events_merged == 0);
    let counts = store.counts().unwrap();
    assert_eq!((counts.reports, counts.events, counts.sources), (1, 1, 1));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn one_event_from_two_outlets_is_one_event_with_both_sources() {
    let (dir, mut store) = temp_store("merge");
    let reader = Reader::new(gazetteer());
    let a = report("a", "Outlet A", "2023-01-17", "Russian artillery shelled Kupiansk on Tuesday, the regional governor said.");
    let b = report("b", "Outlet B", "2023-01-17", "Russia's defence ministry denied that its forces shelled Kupiansk on Tuesday.");
    let c = report("c", "Outlet C", "2023-01-17", "Russian forces shelled Kherson on Tuesday, officials said.");
    for r in [&a, &b, &c] {
        store.ingest(&r.text, &reader.read(r)).unwrap();
    }
    let kupiansk = store.events(&EventQuery { near: Some((LatLon::new(49.71, 37.616), 10.0)), ..EventQuery::default() }).unwrap();
    assert_eq!(kupiansk.len(), 1, "{kupiansk:?}");
    let sources: Vec<(&str, Option<&str>, &str)> =
        kupiansk[0].sources.iter().map(|s| (s.report.as_str(), s.claimant.as_deref(), s.certainty.as_str())).collect();
    assert_eq!(sources, [("a", Some("the regional governor"), "asserted"), ("b", Some("Russia's defence ministry"), "denied")]);
    assert_eq!(store.counts().unwrap().events, 2, "Kherson is another event");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn queries_filter_by_type_date_actor_claimant_and_box() {
    let (dir, mut store) = temp_store("query");
    let reader = Reader::new(gazetteer());
    let reports = [
        report("a", "A", "2023-01-10", "Ukrainian forces recaptured Kupiansk on Tuesday, the General Staff said."),
        report("b", "B", "2023-02-10", "Russian artillery shelled Kherson on Friday, the governor said."),
    ];
    for r in &reports {
        store.ingest(&r.text, &reader.read(r)).unwrap();
    }
    let all = store.events(&EventQuery::default()).unwrap();
    assert_eq!(all.len(), 2);
    let by_type = store.events(&EventQuery { event_type: Some("shelling".into()), ..EventQuery::default() }).unwrap();
    assert_eq!(by_type.len(), 1);
    assert_eq!(by_type[0].place_name.as_deref(), Some("Kherson"));
    let by_date = store.events(&EventQuery { from: "2023-02-01".parse().ok(), ..EventQuery::default() }).unwrap();
    assert_eq!(by_date.len(), 1);
    let by_actor = store.events(&EventQuery { actor: Some("ua".into()), ..EventQuery::default() }).unwrap();
    assert_eq!(by_actor.len(), 1);
    assert_eq!(by_actor[0].event_type, "territory_taken");
    let by_claimant = store.events(&EventQuery { claimant: Some("General Staff".into()), ..EventQuery::default() }).unwrap();
    assert_eq!(by_claimant.len(), 1);
    let in_box = store.events(&EventQuery { bbox: Some([46.0, 32.0, 47.0, 33.0]), ..EventQuery::default() }).unwrap();
    assert_eq!(in_box.len(), 1);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn reopening_keeps_the_schema_and_the_data() {
    let (dir, mut store) = temp_store("reopen");
    let reader = Reader::new(gazetteer());
    let r = report("a", "A", "2023-01-10", "Shelling hit Izyum on Monday, officials said.");
    store.ingest(&r.text, &reader.read(&r)).unwrap();
    drop(store);
    let mut store = Store::open_sqlite(&dir.join("test.db")).unwrap();
    assert_eq!(store.counts().unwrap().reports, 1);
    std::fs::remove_dir_all(dir).unwrap();
}
