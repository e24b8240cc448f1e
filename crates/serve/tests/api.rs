//! The HTTP API over a real socket on loopback: answers, errors as JSON, the write token, and
//! the body limit.

use std::{
    io::{Read, Write},
    net::{SocketAddr, TcpStream},
    sync::Arc,
};

use sitrep_gazetteer::Gazetteer;
use sitrep_serve::AppState;

/// Starts a server on a free loopback port in the background; returns its address.
fn start(db: Option<std::path::PathBuf>, token: Option<&str>) -> SocketAddr {
    static GAZ: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
    let gaz = GAZ.get_or_init(|| Gazetteer::open_default().expect("the built-in gazetteer opens"));
    let state = Arc::new(AppState::new(gaz, db, token.map(str::to_owned)).unwrap());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    listener.set_nonblocking(true).unwrap();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            sitrep_serve::serve(listener, state).await.unwrap();
        });
    });
    addr
}

/// One HTTP/1.1 request; returns the status and the body parsed as JSON.
fn request(addr: SocketAddr, method: &str, path: &str, headers: &[&str], body: &[u8]) -> (u16, serde_json::Value) {
    let mut stream = TcpStream::connect(addr).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for h in headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    let _ = stream.write_all(body);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let text = String::from_utf8_lossy(&response).into_owned();
    let status: u16 = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, serde_json::from_str(body).unwrap_or(serde_json::Value::Null))
}

fn temp_db(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sitrep-serve-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("api.db")
}

#[test]
fn places_reading_and_errors() {
    let addr = start(None, None);
    let (status, body) = request(addr, "GET", "/api/where?name=Kupiansk&limit=2", &[], b"");
    assert_eq!(status, 200);
    assert_eq!(body["candidates"][0]["id"], "geonames:703656");
    let (status, body) = request(addr, "GET", "/api/where?name=Xqzzplorf", &[], b"");
    assert_eq!(status, 404);
    assert!(body["error"].as_str().unwrap().contains("no place"));
    let (status, body) = request(addr, "POST", "/api/read?published=2022-09-10", &[], "Russia's defence ministry said its troops shelled Kupiansk on Saturday.".as_bytes());
    assert_eq!(status, 200);
    assert_eq!(body["schema"], "sitrep.reading/0.1");
    assert_eq!(body["events"][0]["event_type"], "shelling");
    let (status, body) = request(addr, "POST", "/api/geoparse", &[], "Fighting near Izyum.".as_bytes());
    assert_eq!(status, 200);
    assert_eq!(body["toponyms"][0]["place"]["id"], "geonames:707292");
    let (status, _) = request(addr, "POST", "/api/read", &[], b"   ");
    assert_eq!(status, 400, "an empty report is a clear error");
    let (status, body) = request(addr, "GET", "/api/events", &[], b"");
    assert_eq!(status, 404, "no store");
    assert!(body["error"].as_str().is_some());
    let (status, body) = request(addr, "GET", "/openapi.json", &[], b"");
    assert_eq!(status, 200);
    assert!(body["paths"]["/api/events"].is_object());
    let (status, body) = request(addr, "GET", "/no/such/thing", &[], b"");
    assert_eq!(status, 404);
    assert!(body["error"].as_str().unwrap().contains("openapi"));
}

#[test]
fn writes_need_the_token_and_bodies_are_bounded() {
    let read_only = start(Some(temp_db("ro")), None);
    let (status, _) = request(read_only, "POST", "/api/reports", &[], b"Shelling hit Kherson.");
    assert_eq!(status, 403);

    let addr = start(Some(temp_db("rw")), Some("s3cret"));
    let report = "Russian artillery shelled Kherson on Friday, the governor said.".as_bytes();
    let (status, _) = request(addr, "POST", "/api/reports?published=2023-01-20", &["Authorization: Bearer wrong"], report);
    assert_eq!(status, 401);
    let (status, body) = request(addr, "POST", "/api/reports?published=2023-01-20", &["Authorization: Bearer s3cret"], report);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["ingested"]["new_report"], true);
    let (status, body) = request(addr, "POST", "/api/reports?published=2023-01-20", &["Authorization: Bearer s3cret"], report);
    assert_eq!((status, body["ingested"]["new_report"].clone()), (200, serde_json::Value::Bool(false)), "posting twice stores once");
    let (status, body) = request(addr, "GET", "/api/events?near=Kherson&radius_km=20&type=shelling", &[], b"");
    assert_eq!(status, 200);
    assert_eq!(body["count"], 1);
    assert_eq!(body["events"][0]["sources"][0]["claimant"], "the governor");
    let (status, body) = request(addr, "GET", "/api/events?bbox=1,2,3", &[], b"");
    assert_eq!(status, 400);
    assert!(body["error"].as_str().is_some());

    let huge = vec![b'a'; sitrep_serve::MAX_BODY_BYTES + 1024];
    let (status, _) = request(addr, "POST", "/api/read", &[], &huge);
    assert_eq!(status, 413, "a body over the limit is refused");
}
