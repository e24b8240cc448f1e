//! The embedded store on real readings: idempotent ingest, events merged across reports with
//! every source kept, queries, and schema versions.

mod common;

use common::{gazetteer, TestStore};
use sitrep_gazetteer::LatLon;
use sitrep_read::{Reader, Report};
use sitrep_store::testing::postgres_server;
use sitrep_store::{EventQuery, Page, Prepared, Store, FIRST_TELLINGS};

on_both_backends!(
    the_same_report_twice_adds_nothing,
    one_event_from_two_outlets_is_one_event_with_both_sources,
    queries_filter_by_type_date_actor_claimant_and_box,
    reopening_keeps_the_schema_and_the_data,
    reports_claims_and_disagreements_read_back,
    many_writers_at_once_never_store_a_report_or_an_event_twice,
    events_whose_windows_end_far_apart_are_not_merged,
    a_very_long_evidence_sentence_is_stored_and_told_once,
    civilian_targeting_is_kept_and_exported,
    the_version_moves_with_every_stored_report_and_only_then,
    a_batch_stores_what_its_reports_stored_one_by_one_would,
    a_report_the_database_refuses_fails_alone_and_its_batch_goes_in,
    events_are_not_indexed_by_point_alone,
    claims_are_not_indexed_by_claimant,
    places_listed_twice_are_one_mention_and_new_events_count_their_tellings,
    a_page_of_events_reads_its_tellings_from_the_events_rows,
);

fn report(id: &str, source: &str, published: &str, text: &str) -> Report {
    Report { id: id.into(), source: Some(source.into()), published: Some(published.parse().unwrap()), text: text.into(), ..Report::default() }
}

/// A report in which two claimants give the depth of one advance differently.
fn two_sources_on_one_advance() -> Report {
    report(
        "a",
        "Outlet A",
        "2023-01-18",
        "Ukraine's General Staff said its forces advanced 12 kilometres near Kupiansk on Monday. \
         Russia's defence ministry said the advance was no more than 3 kilometres.",
    )
}

fn the_same_report_twice_adds_nothing(backend: &str) {
    let t = TestStore::new(backend, "idempotent");
    let mut store = t.open();
    let reader = Reader::new(gazetteer());
    let r = report("a", "Outlet A", "2023-01-17", "Russian artillery shelled Kupiansk on Tuesday, the governor said.");
    let reading = reader.read(&r);
    let first = store.ingest(&r.text, &reading).unwrap();
    assert!(first.new_report && first.events_new == 1);
    let again = store.ingest(&r.text, &reading).unwrap();
    assert!(!again.new_report && again.events_new == 0 && again.events_merged == 0);
    let counts = store.counts().unwrap();
    assert_eq!((counts.reports, counts.events, counts.sources), (1, 1, 1));
}

fn one_event_from_two_outlets_is_one_event_with_both_sources(backend: &str) {
    let t = TestStore::new(backend, "merge");
    let mut store = t.open();
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
    assert_eq!(sources, [("a", Some("the regional governor"), "claimed"), ("b", Some("Russia's defence ministry"), "denied")]);
    assert_eq!(kupiansk[0].source_count, 2);
    assert_eq!((kupiansk[0].admin1.as_deref(), kupiansk[0].country.as_deref()), (Some("Kharkiv Oblast"), Some("Ukraine")), "the place's oblast and country");
    // A page of a listing carries the first tellings and the count of all.
    let page =
        store.events_page(&EventQuery { near: Some((LatLon::new(49.71, 37.616), 10.0)), ..EventQuery::default() }, Page { offset: 0, limit: 10 }, 1).unwrap();
    let paged = &page.events[0];
    assert_eq!((paged.source_count, paged.sources.len(), paged.sources[0].report.as_str()), (2, 1, "a"));
    let whole = store.event(paged.id).unwrap().unwrap();
    assert_eq!((whole.source_count, whole.sources.len()), (2, 2), "one event alone comes with every telling");
    assert_eq!(store.counts().unwrap().events, 2, "Kherson is another event");
}

fn queries_filter_by_type_date_actor_claimant_and_box(backend: &str) {
    let t = TestStore::new(backend, "query");
    let mut store = t.open();
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
    // Pages: the same order as the whole list, a total on every page.
    let first = store.events_page(&EventQuery::default(), Page { offset: 0, limit: 1 }, 10).unwrap();
    let second = store.events_page(&EventQuery::default(), Page { offset: 1, limit: 1 }, 10).unwrap();
    assert_eq!((first.total, second.total), (2, 2));
    let paged: Vec<i64> = first.events.iter().chain(&second.events).map(|e| e.id).collect();
    assert_eq!(paged, all.iter().map(|e| e.id).collect::<Vec<_>>());
    assert_eq!(second.events[0].sources.len(), all[1].sources.len(), "a page's events carry their sources");
    assert!(store.events_page(&EventQuery::default(), Page { offset: 5, limit: 1 }, 10).unwrap().events.is_empty());
    let boxed = store.events_page(&EventQuery { bbox: Some([46.0, 32.0, 47.0, 33.0]), ..EventQuery::default() }, Page { offset: 0, limit: 10 }, 10).unwrap();
    assert_eq!((boxed.total, boxed.events[0].place_name.as_deref()), (1, Some("Kherson")));
    // Points: the same filters, sources summarised.
    let points = store.event_points(&EventQuery::default()).unwrap();
    assert_eq!(points.len(), 2);
    let kupiansk = points.iter().find(|p| p.event_type == "territory_taken").unwrap_or_else(|| panic!("{points:?}"));
    assert_eq!((kupiansk.sources, kupiansk.claimants.as_slice(), kupiansk.side.as_deref()), (1, ["the General Staff".to_owned()].as_slice(), Some("UA")));
    let shelling = store.event_points(&EventQuery { event_type: Some("shelling".into()), ..EventQuery::default() }).unwrap();
    assert_eq!(shelling.iter().map(|p| p.place_name.as_deref()).collect::<Vec<_>>(), [Some("Kherson")]);
}

fn reopening_keeps_the_schema_and_the_data(backend: &str) {
    let t = TestStore::new(backend, "reopen");
    let mut store = t.open();
    let reader = Reader::new(gazetteer());
    let r = report("a", "A", "2023-01-10", "Shelling hit Izyum on Monday, officials said.");
    store.ingest(&r.text, &reader.read(&r)).unwrap();
    drop(store);
    let mut store = t.open();
    assert_eq!(store.counts().unwrap().reports, 1);
}

fn reports_claims_and_disagreements_read_back(backend: &str) {
    let t = TestStore::new(backend, "views");
    let mut store = t.open();
    let reader = Reader::new(gazetteer());
    let r = two_sources_on_one_advance();
    store.ingest(&r.text, &reader.read(&r)).unwrap();
    let page = store.reports_page(Page { offset: 0, limit: 10 }).unwrap();
    assert_eq!((page.total, page.reports.len()), (1, 1));
    let listed = page.reports;
    assert!(store.reports_page(Page { offset: 1, limit: 10 }).unwrap().reports.is_empty(), "past the end, an empty page");
    assert_eq!((listed[0].doc_id.as_str(), listed[0].source.as_deref(), listed[0].published.as_deref()), ("a", Some("Outlet A"), Some("2023-01-18")));
    let whole = store.report(listed[0].id).unwrap().unwrap();
    assert_eq!(whole.text, r.text);
    assert_eq!(whole.reading["id"], "a");
    assert!(store.report(listed[0].id + 100).unwrap().is_none());
    let claims = store.claims(Some("DEFENCE")).unwrap();
    assert_eq!(claims.len(), 1, "claimant filter ignores case: {claims:?}");
    assert!(claims[0].affirmative);
    let d = store.disagreements().unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].unit.as_str(), d[0].numbers.len()), ("km", 2));
}

/// Four writers at once, each storing batches of its own reports about the same four events
/// and then every other writer's reports again: every report is stored once, every event
/// once, with one telling per report. Half the writers name a neighbouring town (within the
/// merge distance), so that their writes share no place row to wait on: only the store's own
/// exclusion keeps them from both adding an event.
fn many_writers_at_once_never_store_a_report_or_an_event_twice(backend: &str) {
    let t = TestStore::new(backend, "writers");
    drop(t.open()); // migrate once, before the race
    let reader = Reader::new(gazetteer());
    let towns = [["Kramatorsk", "Lysychansk", "Bakhmut", "Avdiivka"], ["Sloviansk", "Sievierodonetsk", "Soledar", "Yasynuvata"]];
    let writers: Vec<Vec<sitrep_store::Prepared>> = (0..4)
        .map(|w| {
            (0..30)
                .map(|i| {
                    let text = format!("Russian artillery shelled {} on Tuesday, officials told outlet {w} in report {i}.", towns[w % 2][i % 4]);
                    let r = report(&format!("w{w}r{i}"), &format!("Outlet {w}"), "2023-01-18", &text);
                    sitrep_store::Prepared::new(text, reader.read(&r)).unwrap()
                })
                .collect()
        })
        .collect();
    let start = std::sync::Barrier::new(writers.len());
    std::thread::scope(|scope| {
        for w in 0..writers.len() {
            let (writers, location, start) = (&writers, &t.location, &start);
            scope.spawn(move || {
                let mut store = Store::open(location).unwrap();
                start.wait();
                for round in 0..writers.len() {
                    for batch in writers[(w + round) % writers.len()].chunks(5) {
                        for outcome in store.ingest_batch(batch).unwrap() {
                            outcome.unwrap();
                        }
                    }
                }
            });
        }
    });
    let mut store = t.open();
    let counts = store.counts().unwrap();
    assert_eq!((counts.reports, counts.events, counts.sources), (120, 4, 120), "one event per pair of neighbouring towns, one telling per report");
    for e in store.events(&EventQuery::default()).unwrap() {
        assert_eq!(e.source_count, e.sources.len(), "the stored count of event {}'s tellings, written by many writers at once", e.id);
    }
}

/// PostgreSQL uses PostGIS for radius queries exactly when the server has the extension, and
/// says which; SQLite always uses its R*Tree over place and days.
#[test]
fn the_store_says_how_it_answers_spatial_queries() {
    let mut admin = ::postgres::Client::connect(&format!("{}/postgres", postgres_server()), ::postgres::NoTls).unwrap();
    let available: i64 = admin.query_one("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'", &[]).unwrap().get(0);
    let pg = TestStore::new("postgres", "spatial");
    let store = pg.open();
    assert_eq!(store.spatial_index().contains("PostGIS"), available > 0, "{}", store.spatial_index());
    let lite = TestStore::new("sqlite", "spatial");
    assert!(lite.open().spatial_index().starts_with("an R*Tree"));
}

/// Processes that create the same new SQLite store at once all open it: the schema is applied
/// once, whoever gets the write lock first, and the others find it done.
#[test]
fn stores_created_at_once_are_migrated_once() {
    for trial in 0..10 {
        let lite = TestStore::new("sqlite", &format!("race{trial}"));
        let location = lite.location.clone();
        let openers: Vec<_> = (0..4)
            .map(|_| {
                std::thread::spawn({
                    let location = location.clone();
                    move || Store::open(&location).map(|_| ())
                })
            })
            .collect();
        for opener in openers {
            opener.join().unwrap().unwrap_or_else(|e| panic!("trial {trial}: {e}"));
        }
        assert_eq!(lite.open().counts().unwrap().reports, 0);
    }
}

/// Overlapping dates are not enough: a telling whose date window ends more than
/// `MERGE_WINDOW_DAYS` after a stored event's is another event; one ending within it merges.
fn events_whose_windows_end_far_apart_are_not_merged(backend: &str) {
    let t = TestStore::new(backend, "window");
    let mut store = t.open();
    let reader = Reader::new(gazetteer());
    let first = report("a", "Outlet A", "2023-01-17", "Russian artillery shelled Kupiansk on Tuesday.");
    let reading = reader.read(&first);
    assert_eq!(reading.events.len(), 1);
    store.ingest(&first.text, &reading).unwrap();
    let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    // The same telling, dated by a window that holds the first event's day.
    let retold = |id: &str, from: &str, to: &str| {
        let mut r = reading.clone();
        r.id = id.into();
        let date = r.events[0].date.as_mut().unwrap();
        (date.from, date.to) = (day(from), day(to));
        (format!("{} ({id})", first.text), r)
    };
    let (text, far) = retold("far", "2023-01-01", "2023-01-17");
    let far_end = {
        let mut r = far;
        r.events[0].date.as_mut().unwrap().to = day("2023-01-17") + chrono::Duration::days(sitrep_store::MERGE_WINDOW_DAYS + 10);
        r
    };
    assert_eq!(store.ingest(&text, &far_end).unwrap().events_new, 1, "a window ending 72 days later is another event");
    let (text, near) = retold("near", "2023-01-10", "2023-02-20");
    let outcome = store.ingest(&text, &near).unwrap();
    assert_eq!((outcome.events_new, outcome.events_merged), (0, 1), "a window ending 34 days later merges");
}

/// An evidence sentence far longer than PostgreSQL takes in an index entry (about 8 KB) is
/// stored on both databases, and telling it twice still stores one telling.
fn a_very_long_evidence_sentence_is_stored_and_told_once(backend: &str) {
    let t = TestStore::new(backend, "long_evidence");
    let mut store = t.open();
    let reader = Reader::new(gazetteer());
    // Words that do not repeat, so that PostgreSQL cannot compress the key under its limit.
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    let padding: String = (0..4000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            format!("w{:x} ", x & 0xff_ffff_ffff)
        })
        .collect();
    let text = format!("Russian artillery shelled Kupiansk on Tuesday {padding}the regional governor said.");
    assert!(text.len() > 30_000);
    let r = report("long", "Outlet A", "2023-01-17", &text);
    let mut reading = reader.read(&r);
    assert!(!reading.events.is_empty(), "the sentence holds an event");
    // The same telling twice within one report (as when two mentions read alike).
    let again = reading.events[0].clone();
    reading.events.push(again);
    let done = store.ingest(&r.text, &reading).unwrap();
    assert!(done.new_report);
    let found = store.events(&EventQuery { near: Some((LatLon::new(49.71, 37.616), 10.0)), ..EventQuery::default() }).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].sources.len(), 1, "one telling, stored once");
    assert!(found[0].sources[0].evidence.len() > 30_000, "the evidence is kept whole");
}

/// A telling that says civilians were hit flags the stored event, also when it merges into one
/// stored without the flag, and the export says so in ACLED's words.
fn civilian_targeting_is_kept_and_exported(backend: &str) {
    let t = TestStore::new(backend, "civilian");
    let mut store = t.open();
    let reader = Reader::new(gazetteer());
    let plain = report("a", "Outlet A", "2023-01-17", "Russian artillery shelled Kupiansk on Tuesday.");
    let harm = report("b", "Outlet B", "2023-01-17", "Russian artillery shelled a school in Kupiansk on Tuesday, killing two civilians.");
    let other = report("c", "Outlet C", "2023-01-17", "Russian artillery shelled Ukrainian trenches near Kherson on Tuesday.");
    let reading = reader.read(&plain);
    assert!(!reading.events[0].civilian_targeting);
    store.ingest(&plain.text, &reading).unwrap();
    let reading = reader.read(&harm);
    assert!(reading.events[0].civilian_targeting);
    assert_eq!(store.ingest(&harm.text, &reading).unwrap().events_merged, 1);
    store.ingest(&other.text, &reader.read(&other)).unwrap();
    let mut flags: Vec<(Option<String>, Option<String>)> = store
        .events(&EventQuery::default())
        .unwrap()
        .iter()
        .map(|e| (e.place_name.clone(), sitrep_store::export::ExportRow::from_stored(e, 0).civilian_targeting))
        .collect();
    flags.sort();
    assert_eq!(flags, [(Some("Kherson".into()), None), (Some("Kupyansk".into()), Some("Civilian targeting".into()))]);
}

fn the_version_moves_with_every_stored_report_and_only_then(backend: &str) {
    let t = TestStore::new(backend, "version");
    let mut store = t.open();
    let reader = Reader::new(gazetteer());
    let empty = store.version().unwrap();
    let a = report("a", "Outlet A", "2023-01-17", "Russian artillery shelled Kupiansk on Tuesday, the regional governor said.");
    store.ingest(&a.text, &reader.read(&a)).unwrap();
    let one = store.version().unwrap();
    assert_ne!(one, empty);
    store.ingest(&a.text, &reader.read(&a)).unwrap();
    assert_eq!(store.version().unwrap(), one, "a report stored again changes nothing");
    // Another outlet's telling of the same shelling: no new event, but a new telling.
    let b = report("b", "Outlet B", "2023-01-17", "Russian forces shelled Kupiansk on Tuesday, officials said.");
    store.ingest(&b.text, &reader.read(&b)).unwrap();
    assert_eq!(store.counts().unwrap().events, 1, "the second telling merged");
    assert_ne!(store.version().unwrap(), one, "a telling added to an event moves the version");
}

/// The events of a store as (type, place, tellings by report), in a stable order.
fn event_summary(store: &mut Store) -> Vec<(String, Option<String>, Vec<String>)> {
    let mut events: Vec<(String, Option<String>, Vec<String>)> = store
        .events(&EventQuery::default())
        .unwrap()
        .into_iter()
        .map(|e| {
            let mut reports: Vec<String> = e.sources.iter().map(|s| s.report.clone()).collect();
            reports.sort();
            (e.event_type, e.place_name, reports)
        })
        .collect();
    events.sort();
    events
}

/// Reports that tell the same events, one of them twice, written as one batch and one by one:
/// the same reports, events, tellings and outcomes (an event new earlier in the batch takes
/// the later tellings, as a stored one would).
fn a_batch_stores_what_its_reports_stored_one_by_one_would(backend: &str) {
    let reader = Reader::new(gazetteer());
    let texts = [
        ("a", "Russian artillery shelled Kupiansk on Tuesday, the regional governor said."),
        ("b", "Russian forces shelled Kupiansk on Tuesday and shelled Kherson as well, officials said."),
        ("c", "Ukraine's army said Russian troops shelled Kherson on Tuesday."),
        ("a", "Russian artillery shelled Kupiansk on Tuesday, the regional governor said."),
        ("d", "Russian forces captured Soledar on Tuesday, the defence ministry in Moscow claimed."),
    ];
    let prepared: Vec<sitrep_store::Prepared> = texts
        .iter()
        .map(|(id, text)| {
            let r = report(id, &format!("Outlet {id}"), "2023-01-17", text);
            sitrep_store::Prepared::new(r.text.clone(), reader.read(&r)).unwrap()
        })
        .collect();
    let batched = TestStore::new(backend, "batched");
    let mut batch_store = batched.open();
    let together: Vec<sitrep_store::Ingested> = batch_store.ingest_batch(&prepared).unwrap().into_iter().map(Result::unwrap).collect();
    let single = TestStore::new(backend, "single");
    let mut single_store = single.open();
    let alone: Vec<sitrep_store::Ingested> = prepared.iter().map(|p| single_store.ingest_batch(&[p]).unwrap().pop().unwrap().unwrap()).collect();
    assert_eq!(together, alone);
    assert!(!together[3].new_report, "the same report again in one batch is stored once");
    assert!(together[1].events_merged >= 1, "the second report's Kupiansk shelling merges into the first report's new event");
    let (a, b) = (batch_store.counts().unwrap(), single_store.counts().unwrap());
    assert_eq!((a.reports, a.events, a.sources, a.claims), (b.reports, b.events, b.sources, b.claims));
    assert_eq!(a.reports, 4);
    assert_eq!(event_summary(&mut batch_store), event_summary(&mut single_store));
}

/// A report that the database refuses (a trigger stands in for any failure of one report's
/// rows) is reported in its place; the others of its batch are stored, and an event told by
/// the first and the last is one event with both tellings.
fn a_report_the_database_refuses_fails_alone_and_its_batch_goes_in(backend: &str) {
    let t = TestStore::new(backend, "refused");
    let mut store = t.open();
    if backend == "sqlite" {
        let db = rusqlite::Connection::open(&t.location).unwrap();
        db.execute_batch("CREATE TRIGGER refuse BEFORE INSERT ON reports WHEN NEW.doc_id = 'refused' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;")
            .unwrap();
    } else {
        let mut db = ::postgres::Client::connect(&t.location, ::postgres::NoTls).unwrap();
        db.batch_execute(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
                 IF NEW.doc_id = 'refused' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;
             CREATE TRIGGER refuse BEFORE INSERT ON reports FOR EACH ROW EXECUTE FUNCTION refuse();",
        )
        .unwrap();
    }
    let reader = Reader::new(gazetteer());
    let prepared: Vec<sitrep_store::Prepared> = [
        ("first", "Russian artillery shelled Kupiansk on Tuesday, the regional governor said."),
        ("refused", "Russian artillery shelled Kherson on Tuesday, officials said."),
        ("last", "Russian forces shelled Kupiansk on Tuesday, the army said."),
    ]
    .iter()
    .map(|(id, text)| {
        let r = report(id, &format!("Outlet {id}"), "2023-01-17", text);
        sitrep_store::Prepared::new(r.text.clone(), reader.read(&r)).unwrap()
    })
    .collect();
    let outcomes = store.ingest_batch(&prepared).unwrap();
    assert!(outcomes[0].as_ref().is_ok_and(|o| o.new_report && o.events_new == 1), "{:?}", outcomes[0]);
    assert!(outcomes[1].as_ref().is_err_and(|e| e.to_string().contains("refused by the test")), "{:?}", outcomes[1]);
    assert!(outcomes[2].as_ref().is_ok_and(|o| o.new_report && o.events_merged == 1), "{:?}", outcomes[2]);
    let counts = store.counts().unwrap();
    assert_eq!((counts.reports, counts.events, counts.sources), (2, 1, 2), "nothing of the refused report, the other two told one event");
    let events = event_summary(&mut store);
    assert_eq!((events[0].1.as_deref(), events[0].2.as_slice()), (Some("Kupyansk"), ["first".to_owned(), "last".to_owned()].as_slice()));
}

/// The names of the indexes on `table` in the test store.
fn index_names(t: &TestStore, backend: &str, table: &str) -> Vec<String> {
    if backend == "sqlite" {
        let db = rusqlite::Connection::open(&t.location).unwrap();
        let mut stmt = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1").unwrap();
        stmt.query_map([table], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    } else {
        let mut db = ::postgres::Client::connect(&t.location, ::postgres::NoTls).unwrap();
        db.query("SELECT indexname::text FROM pg_indexes WHERE tablename = $1", &[&table]).unwrap().iter().map(|r| r.get(0)).collect()
    }
}

/// Events are found by place through the index over place and days (SQLite's R*Tree,
/// PostgreSQL's GiST): the B-tree over their points alone, which every new event paid an
/// insert into, is gone from a new store, and the event queries by place still find them.
fn events_are_not_indexed_by_point_alone(backend: &str) {
    let t = TestStore::new(backend, "no_point_index");
    let mut store = t.open();
    let indexes = index_names(&t, backend, "events");
    assert!(!indexes.iter().any(|i| i == "events_by_point"), "{indexes:?}");
    assert!(indexes.iter().any(|i| i == "events_by_cell"), "merge candidates keep their index: {indexes:?}");
    let reader = Reader::new(gazetteer());
    let r = report("a", "Outlet A", "2023-01-17", "Russian artillery shelled Kupiansk on Tuesday, the governor said.");
    store.ingest(&r.text, &reader.read(&r)).unwrap();
    let near = store.events(&EventQuery { near: Some((LatLon::new(49.71, 37.616), 10.0)), ..EventQuery::default() }).unwrap();
    let far = store.events(&EventQuery { bbox: Some([46.0, 32.0, 47.0, 33.0]), ..EventQuery::default() }).unwrap();
    assert_eq!((near.len(), far.len()), (1, 0));
}

/// A page of events in a box for a week, as the API writes it, is the same on PostgreSQL as on
/// SQLite: the same events in the same order, each with the same first tellings (report,
/// outlet, evidence, claimant, certainty) and count. PostgreSQL reads the tellings' reports
/// apart and keeps what it read, so the pages are asked for in an order that finds some of
/// the reports kept and some not, and a single event with all its tellings last.
#[test]
fn a_page_of_events_in_a_box_is_the_same_on_both_databases() {
    let reader = Reader::new(gazetteer());
    let reports = [
        report("a", "Outlet A", "2023-01-17", "Russian artillery shelled Kupiansk on Tuesday, the regional governor said."),
        report("b", "Outlet B", "2023-01-17", "Russia's defence ministry denied that its forces shelled Kupiansk on Tuesday."),
        report("c", "Outlet C", "2023-01-18", "Russian forces shelled Izium on Wednesday, officials said. Kupiansk was shelled on Tuesday, the mayor said."),
        Report { source: None, ..report("d", "", "2023-01-19", "Ukrainian forces recaptured Kupiansk on Thursday, the General Staff said.") },
        report("e", "Outlet E", "2023-01-17", "Russian artillery shelled Kherson on Tuesday, the governor said."),
        report("f", "Outlet F", "2023-03-01", "Russian artillery shelled Kupiansk on Wednesday, the governor said."),
    ];
    let q = EventQuery { bbox: Some([49.0, 36.5, 50.0, 38.5]), from: "2023-01-16".parse().ok(), to: "2023-01-22".parse().ok(), ..EventQuery::default() };
    let page = Page { offset: 0, limit: 10 };
    let answers = |backend: &str| {
        let t = TestStore::new(backend, "same_page");
        let mut store = t.open();
        for r in &reports {
            store.ingest(&r.text, &reader.read(r)).unwrap();
        }
        let mut json = Vec::new();
        for sources in [1, 10] {
            let found = store.events_page(&q, page, sources).unwrap();
            let mut written = Vec::new();
            sitrep_store::json::write_events(&mut written, &found.events);
            assert_eq!(String::from_utf8(written.clone()).unwrap(), serde_json::to_string(&found.events).unwrap());
            json.push((found.total, String::from_utf8(written).unwrap()));
        }
        let told_most = store.events_page(&q, page, 10).unwrap().events.into_iter().max_by_key(|e| e.source_count).unwrap();
        json.push((told_most.source_count, serde_json::to_string(&store.event(told_most.id).unwrap().unwrap()).unwrap()));
        json
    };
    let (sqlite, postgres) = (answers("sqlite"), answers("postgres"));
    let (total, first) = &sqlite[1];
    assert!(*total >= 2 && first.contains("\"outlet\":null") && first.contains("Outlet B"), "the page should hold several events, outlets and none: {first}");
    assert!(sqlite[2].0 >= 3, "one event should be told at least three times: {}", sqlite[2].1);
    assert_eq!(sqlite, postgres);
}

/// Claims are not indexed by claimant (no query reads that index: the claimant filter matches a
/// part of the name in any case), and the filter still finds a claim by a part of its
/// claimant's name and leaves out the others.
fn claims_are_not_indexed_by_claimant(backend: &str) {
    let t = TestStore::new(backend, "no_claimant_index");
    let mut store = t.open();
    let indexes = index_names(&t, backend, "claims");
    assert!(!indexes.iter().any(|i| i == "claims_by_claimant"), "{indexes:?}");
    assert!(indexes.iter().any(|i| i == "claims_by_report"), "a report's claims keep their index: {indexes:?}");
    let reader = Reader::new(gazetteer());
    let r = two_sources_on_one_advance();
    store.ingest(&r.text, &reader.read(&r)).unwrap();
    let staff = store.claims(Some("general staff")).unwrap();
    assert_eq!(staff.len(), 1, "{staff:?}");
    assert!(staff[0].claimant.as_deref().is_some_and(|c| c.to_lowercase().contains("general staff")), "{staff:?}");
    assert!(store.claims(Some("nobody of that name")).unwrap().is_empty());
}

/// A reading that lists a place twice stores one mention of it (the first), and every event,
/// new or merged into, counts exactly the tellings stored for it.
fn places_listed_twice_are_one_mention_and_new_events_count_their_tellings(backend: &str) {
    let t = TestStore::new(backend, "mentions_tellings");
    let mut store = t.open();
    let reader = Reader::new(gazetteer());
    let first = report("a", "Outlet A", "2023-01-17", "Russian artillery shelled Kupiansk on Tuesday, the governor said.");
    let mut reading = reader.read(&first);
    assert!(!reading.places.is_empty() && !reading.events.is_empty(), "the report names a place and an event");
    let mut twice = reading.places[0].clone();
    let mentions = twice.mentions.len();
    twice.mentions.clear();
    reading.places.push(twice);
    store.ingest(&first.text, &reading).unwrap();
    let second = report("b", "Outlet B", "2023-01-17", "Russian forces shelled Kupiansk on Tuesday, the army said.");
    store.ingest(&second.text, &reader.read(&second)).unwrap();
    let sql = [
        "SELECT CAST(count(*) AS BIGINT), CAST(sum(mentions) AS BIGINT) FROM report_places WHERE report_id = (SELECT id FROM reports WHERE doc_id = 'a')",
        "SELECT CAST(count(*) AS BIGINT) FROM events e WHERE e.tellings <> (SELECT count(*) FROM event_sources s WHERE s.event_id = e.id)",
        "SELECT CAST(count(*) AS BIGINT), CAST(sum(tellings) AS BIGINT) FROM events",
    ];
    let got: Vec<[i64; 2]> = if backend == "sqlite" {
        let db = rusqlite::Connection::open(&t.location).unwrap();
        sql.iter().map(|q| db.query_row(q, [], |r| Ok([r.get(0)?, r.get::<_, Option<i64>>(1).ok().flatten().unwrap_or(-1)])).unwrap()).collect()
    } else {
        let mut db = ::postgres::Client::connect(&t.location, ::postgres::NoTls).unwrap();
        sql.iter()
            .map(|q| {
                let r = db.query_one(*q, &[]).unwrap();
                [r.get(0), if r.len() > 1 { r.get::<_, Option<i64>>(1).unwrap_or(-1) } else { -1 }]
            })
            .collect()
    };
    let listed = &reading.places[..reading.places.len() - 1];
    let all_mentions: usize = listed.iter().map(|p| p.mentions.len()).sum();
    assert!(mentions > 0);
    assert_eq!(got[0], [listed.len() as i64, all_mentions as i64], "one row per place, the first listing's");
    assert_eq!(got[1][0], 0, "every event counts its stored tellings");
    assert_eq!(got[2], [1, 2], "one event told by both reports");
}

/// A page of events as the server writes it ([`Store::events_page_json`]) is byte for byte the
/// page of the telling rows ([`Store::events_page`] written by `json::write_events`), whatever
/// the number of tellings asked for, with events told once, a few times and more often than
/// their rows keep, written one report at a time and in a batch. And it reads neither a
/// telling row nor a report: with both tables renamed away, a fresh connection answers every
/// page that asks for no more tellings than are kept the same, and fails only on one asking
/// for more of an event told more often.
fn a_page_of_events_reads_its_tellings_from_the_events_rows(backend: &str) {
    let t = TestStore::new(backend, "first_tellings");
    let mut store = t.open();
    let reader = Reader::new(gazetteer());
    let towns = ["Kupiansk", "Izium", "Kherson"];
    let sayers = ["the governor said", "officials said", "the mayor said", "the General Staff said"];
    let reports: Vec<Report> = (0..30)
        .map(|i| {
            let text = format!(
                "Russian artillery shelled {} on Tuesday, {}. Russian forces shelled {} again on Tuesday, {}.",
                towns[i % 3],
                sayers[i % 4],
                towns[(i + 1) % 3],
                sayers[(i / 4) % 4]
            );
            let r = report(&format!("r{i}"), &format!("Outlet {}", i % 5), "2023-01-17", &text);
            if i % 5 == 4 {
                Report { source: None, ..r }
            } else {
                r
            }
        })
        .collect();
    for r in &reports[..8] {
        store.ingest(&r.text, &reader.read(r)).unwrap();
    }
    let batch: Vec<Prepared> = reports[8..].iter().map(|r| Prepared::new(r.text.clone(), reader.read(r)).unwrap()).collect();
    for outcome in store.ingest_batch(&batch).unwrap() {
        assert!(outcome.unwrap().new_report);
    }
    let queries = [
        EventQuery::default(),
        EventQuery { bbox: Some([49.0, 36.5, 50.0, 38.5]), from: "2023-01-16".parse().ok(), to: "2023-01-22".parse().ok(), ..EventQuery::default() },
        EventQuery { near: Some((LatLon::new(46.64, 32.61), 30.0)), ..EventQuery::default() },
    ];
    let pages = [Page { offset: 0, limit: 10 }, Page { offset: 1, limit: 1 }, Page { offset: 50, limit: 10 }];
    let mut answers = Vec::new();
    for q in &queries {
        for page in pages {
            for sources in [0, 1, 2, 3, FIRST_TELLINGS, FIRST_TELLINGS + 1, 100] {
                let rows = store.events_page(q, page, sources).unwrap();
                let mut expected = Vec::new();
                sitrep_store::json::write_events(&mut expected, &rows.events);
                let kept = store.events_page_json(q, page, sources).unwrap();
                assert_eq!((kept.total, kept.count), (rows.total, rows.events.len()));
                assert_eq!(String::from_utf8(kept.events.clone()).unwrap(), String::from_utf8(expected).unwrap(), "{q:?} {page:?} {sources}");
                // Framed, the same array between what the frame makes of the page's counts.
                let framed = store
                    .events_page_json_framed(q, page, sources, |found| (format!("{} {} {} {}:", found.total, found.offset, found.limit, found.count), ";"))
                    .unwrap();
                let head = format!("{} {} {} {}:", rows.total, page.offset, page.limit, rows.events.len());
                assert_eq!(framed, [head.as_bytes(), &kept.events, b";"].concat(), "{q:?} {page:?} {sources}");
                answers.push((q.clone(), page, sources, kept.events));
            }
        }
    }
    let told_most = store.events_page(&EventQuery::default(), Page { offset: 0, limit: 100 }, 0).unwrap().events.into_iter().map(|e| e.source_count).max();
    assert!(told_most.is_some_and(|n| n > FIRST_TELLINGS + 1), "an event should be told more often than its row keeps: {told_most:?}");
    drop(store);
    let away = "ALTER TABLE event_sources RENAME TO event_sources_away; ALTER TABLE reports RENAME TO reports_away;";
    if backend == "sqlite" {
        rusqlite::Connection::open(&t.location).unwrap().execute_batch(away).unwrap();
    } else {
        ::postgres::Client::connect(&t.location, ::postgres::NoTls).unwrap().batch_execute(away).unwrap();
    }
    let mut fresh = t.open();
    for (q, page, sources, answer) in &answers {
        let again = fresh.events_page_json(q, *page, *sources);
        if *sources <= FIRST_TELLINGS {
            assert_eq!(&again.unwrap().events, answer, "{q:?} {page:?} {sources}");
        }
    }
    assert!(
        fresh.events_page_json(&EventQuery::default(), Page { offset: 0, limit: 100 }, FIRST_TELLINGS + 1).is_err(),
        "more than are kept are read from the rows"
    );
}
