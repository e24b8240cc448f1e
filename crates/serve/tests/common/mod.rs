//! What the server's tests share: a server on a free loopback port, and plain HTTP requests.
#![allow(dead_code)] // each test file uses its own part

use std::{
    io::{Read, Write},
    net::{SocketAddr, TcpStream},
    sync::Arc,
};

use sitrep_gazetteer::Gazetteer;
use sitrep_serve::{AppState, Limits};

/// The built-in gazetteer, opened once per test binary.
pub fn gazetteer() -> &'static Gazetteer {
    static GAZ: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
    GAZ.get_or_init(|| Gazetteer::open_default().expect("the built-in gazetteer opens"))
}

/// Starts a server on a free loopback port in the background; returns its address.
pub fn start(db: Option<std::path::PathBuf>, token: Option<&str>) -> SocketAddr {
    start_with(db, token, Limits::default())
}

/// Starts a server as [`start`] does, within `limits`.
pub fn start_with(db: Option<std::path::PathBuf>, token: Option<&str>, limits: Limits) -> SocketAddr {
    start_on(db.as_deref().map(|p| p.to_str().expect("a UTF-8 path")), token, limits)
}

/// Starts a server as [`start_with`] does, on a store named by its location (an SQLite path
/// or a `postgres://` URL).
pub fn start_on(db: Option<&str>, token: Option<&str>, limits: Limits) -> SocketAddr {
    let state = Arc::new(AppState::with_limits(gazetteer(), db, token.map(str::to_owned), limits).unwrap());
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

/// One HTTP/1.1 request; returns the status, the response head and the body as text.
pub fn request_text(addr: SocketAddr, method: &str, path: &str, headers: &[&str], body: &[u8]) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
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
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (status, head.to_owned(), body.to_owned())
}

/// One HTTP/1.1 request; returns the status and the body parsed as JSON (null if it is not).
pub fn request(addr: SocketAddr, method: &str, path: &str, headers: &[&str], body: &[u8]) -> (u16, serde_json::Value) {
    let (status, _, body) = request_text(addr, method, path, headers, body);
    (status, serde_json::from_str(&body).unwrap_or(serde_json::Value::Null))
}

/// The points of a `/api/events/points` answer, one object each with the fields named as the
/// columns are and the texts taken from the dictionary: what the page makes of it.
pub fn points_of(columns: &serde_json::Value) -> Vec<serde_json::Value> {
    use serde_json::{json, Value};
    let dict = &columns["dictionary"];
    let text = |name: &str, i: &Value| i.as_u64().map_or(Value::Null, |i| dict[name][i as usize].clone());
    let texts = |name: &str, list: &Value| Value::Array(list.as_array().expect("a list of indexes").iter().map(|i| text(name, i)).collect());
    (0..columns["count"].as_u64().expect("a count") as usize)
        .map(|i| {
            let at = |field: &str| columns[field][i].clone();
            json!({
                "id": at("id"), "lat": at("lat"), "lon": at("lon"), "precision": at("precision"), "date_from": text("date", &at("date_from")),
                "date_to": text("date", &at("date_to")), "sources": at("sources"), "event_type": text("event_type", &at("event_type")),
                "side": text("side", &at("side")), "place_name": text("place_name", &at("place_name")),
                "claimants": texts("claimant", &at("claimants")), "certainties": texts("certainty", &at("certainties")),
            })
        })
        .collect()
}
