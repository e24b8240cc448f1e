//! Answers kept between store writes (event pages, the map's points, control states and
//! changes): the same bytes as worked out afresh, and a report stored (by the server or by any
//! other writer of the store) seen by the next read, on SQLite and on PostgreSQL.

mod common;

use common::{gazetteer, request_text, start_on};
use sitrep_read::{Reader, Report};
use sitrep_serve::Limits;
use sitrep_store::{testing::TestStore, Store};

fn store_report(store: &mut Store, id: &str, published: &str, text: &str) {
    let report = Report { id: id.into(), published: published.parse().ok(), text: text.into(), ..Report::default() };
    let reading = Reader::new(gazetteer()).read(&report);
    store.ingest(text, &reading).unwrap();
}

fn answers_are_kept_until_any_writer_stores_a_report(backend: &str) {
    let place = TestStore::new(backend, "kept");
    let mut writer = Store::open(&place.location).unwrap();
    store_report(&mut writer, "a", "2023-01-10", "Russian artillery shelled Kherson on Tuesday, the governor said.");
    let kept = start_on(Some(&place.location), Some("t"), Limits::default());
    let cold = start_on(Some(&place.location), None, Limits { answer_cache_bytes: 0, ..Limits::default() });
    let get = |addr, path: &str| {
        let (status, _, body) = request_text(addr, "GET", path, &[], b"");
        assert_eq!(status, 200, "{path}: {body}");
        body
    };
    let paths = ["/api/events?bbox=46,32,51,38", "/api/events?near=Kherson&radius_km=30", "/api/events?bbox=46,32,51,38&limit=1&sources=0"];
    let first: Vec<String> = paths.iter().map(|p| get(kept, p)).collect();
    for (path, body) in paths.iter().zip(&first) {
        assert!(body.contains("Kherson"), "{body}");
        assert_eq!(&get(kept, path), body, "asked again, the kept answer: the same bytes");
        assert_eq!(&get(cold, path), body, "worked out afresh: the same bytes");
    }
    assert_eq!(get(kept, "/api/events?near=kherson&radius_km=30.0"), first[1], "another spelling of one query");
    // The map's points and the control timeline are kept the same way.
    let others = ["/api/events/points?bbox=46,32,51,38", "/api/control?bbox=46,32,51,38", "/api/control/changes?from=2023-01-01&to=2023-02-01"];
    let before: Vec<String> = others.iter().map(|p| get(kept, p)).collect();
    for (path, body) in others.iter().zip(&before) {
        assert_eq!(&get(kept, path), body, "{path} asked again");
        assert_eq!(&get(cold, path), body, "{path} worked out afresh");
    }
    assert!(!before[2].contains("Kupiansk") && !before[2].contains("Kupyansk"), "{}", before[2]);

    // Another writer of the store (not the server): a new event and a new telling of the first.
    store_report(&mut writer, "b", "2023-01-11", "Ukrainian forces recaptured Kupiansk on Wednesday, the General Staff said.");
    let now = get(kept, paths[0]);
    assert_ne!(now, first[0], "the report stored since is in the next answer");
    assert!(now.contains("Kupiansk") || now.contains("Kupyansk"), "{now}");
    assert_eq!(now, get(cold, paths[0]));
    for (path, was) in others.iter().zip(&before) {
        let now = get(kept, path);
        assert_ne!(&now, was, "{path}: the recapture stored since is in the next answer");
        assert!(now.contains("Kupiansk") || now.contains("Kupyansk"), "{path}: {now}");
        assert_eq!(now, get(cold, path), "{path}");
    }
    store_report(&mut writer, "c", "2023-01-10", "Russian forces shelled Kherson on Tuesday, officials said.");
    let near = get(kept, paths[1]);
    assert!(near.contains("\"source_count\":2"), "the second telling of the shelling: {near}");
    assert_eq!(near, get(cold, paths[1]));

    // Through the server's own writer, too.
    let text = "Russian forces attacked near Bakhmut on Thursday, officials said.";
    let (status, _, body) = request_text(kept, "POST", "/api/reports?published=2023-01-12", &["Authorization: Bearer t"], text.as_bytes());
    assert_eq!(status, 200, "{body}");
    let after = get(kept, paths[0]);
    assert!(after.contains("Bakhmut"), "{after}");
    assert_eq!(after, get(cold, paths[0]));
    // A report stored again changes nothing, and the kept answer stands.
    store_report(&mut writer, "c", "2023-01-10", "Russian forces shelled Kherson on Tuesday, officials said.");
    assert_eq!(get(kept, paths[0]), after);
}

mod sqlite {
    #[test]
    fn answers_are_kept_until_any_writer_stores_a_report() {
        super::answers_are_kept_until_any_writer_stores_a_report("sqlite")
    }
}

mod postgres_store {
    #[test]
    fn answers_are_kept_until_any_writer_stores_a_report() {
        super::answers_are_kept_until_any_writer_stores_a_report("postgres")
    }
}
