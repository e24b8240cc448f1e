//! The server under abuse, over a real socket on loopback: hosts it does not answer for,
//! clients that send nothing or send slowly, bodies over the limits, and more texts to read
//! than it reads at once. Each test sets small limits so that it ends within seconds.

mod common;

use std::{
    io::{Read, Write},
    net::{SocketAddr, TcpStream},
    time::{Duration, Instant},
};

use common::{request, request_text, start_with};
use sitrep_serve::Limits;

/// Reads until the server closes the connection (or `within` passes); returns what came and
/// how long it took.
fn read_until_closed(stream: &mut TcpStream, within: Duration) -> (String, Duration) {
    let started = Instant::now();
    stream.set_read_timeout(Some(within)).unwrap();
    let mut got = Vec::new();
    let _ = stream.read_to_end(&mut got);
    (String::from_utf8_lossy(&got).into_owned(), started.elapsed())
}

fn raw(addr: SocketAddr, head: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    stream
}

#[test]
fn a_request_for_another_host_is_refused() {
    let addr = start_with(None, None, Limits { allowed_hosts: vec!["maps.example.org".into()], ..Limits::default() });
    for (host, status) in [
        (addr.to_string(), "200"),
        (format!("localhost:{}", addr.port()), "200"),
        ("maps.example.org".to_owned(), "200"),
        (format!("rebound.attacker.example:{}", addr.port()), "421"),
    ] {
        let mut stream = raw(addr, &format!("GET /api/health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        let (answer, _) = read_until_closed(&mut stream, Duration::from_secs(10));
        assert_eq!(answer.split_whitespace().nth(1), Some(status), "{host}: {answer}");
        if status == "421" {
            assert!(answer.contains("\"error\""), "the refusal is JSON: {answer}");
        }
    }
}

#[test]
fn every_answer_carries_the_security_headers() {
    let addr = start_with(None, None, Limits::default());
    for path in ["/api/health", "/api/where?name=Izyum", "/no/such/thing", "/"] {
        let (_, head, _) = request_text(addr, "GET", path, &[], b"");
        let head = head.to_ascii_lowercase();
        for header in ["x-content-type-options: nosniff", "x-frame-options: deny", "content-security-policy:", "referrer-policy: no-referrer"] {
            assert!(head.contains(header), "{path} lacks {header}: {head}");
        }
    }
}

#[test]
fn a_client_that_sends_nothing_is_cut_off_and_so_is_an_idle_kept_alive_one() {
    let addr = start_with(None, None, Limits { header_timeout: Duration::from_millis(500), ..Limits::default() });
    // Connects and never sends a request.
    let mut silent = TcpStream::connect(addr).unwrap();
    let (_, waited) = read_until_closed(&mut silent, Duration::from_secs(10));
    assert!(waited < Duration::from_secs(5), "closed after {waited:?}");
    // A head that never ends.
    let mut slow = raw(addr, "GET /api/health HTTP/1.1\r\nHost: ");
    let (_, waited) = read_until_closed(&mut slow, Duration::from_secs(10));
    assert!(waited < Duration::from_secs(5), "closed after {waited:?}");
    // One request answered, then nothing more on the kept-alive connection.
    let mut idle = raw(addr, &format!("GET /api/health HTTP/1.1\r\nHost: {addr}\r\n\r\n"));
    let (answer, waited) = read_until_closed(&mut idle, Duration::from_secs(10));
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(waited < Duration::from_secs(5), "the idle connection closed after {waited:?}");
}

#[test]
fn a_body_that_arrives_too_slowly_ends_the_request() {
    let addr = start_with(None, None, Limits { request_timeout: Duration::from_millis(800), ..Limits::default() });
    let mut stream = raw(addr, &format!("POST /api/read HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 1000\r\n\r\nShelling hit"));
    let (answer, waited) = read_until_closed(&mut stream, Duration::from_secs(10));
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("\"error\""), "{answer}");
    assert!(waited < Duration::from_secs(5), "answered after {waited:?}");
}

#[test]
fn bodies_are_bounded_by_what_the_endpoint_does() {
    let limits = Limits { max_body_bytes: 64 << 10, max_open_body_bytes: 8 << 10, ..Limits::default() };
    let addr = start_with(None, Some("t"), limits);
    let text = "Shelling hit Kherson on Monday. ".repeat(400); // about 12.5 KB
    for path in ["/api/read", "/api/geoparse"] {
        let (status, body) = request(addr, "POST", path, &[], text.as_bytes());
        assert_eq!(status, 413, "{path}: {body}");
        assert!(body["error"].as_str().unwrap().contains("8192 bytes"), "{body}");
        let (status, _) = request(addr, "POST", path, &[], &text.as_bytes()[..4000]);
        assert_eq!(status, 200, "{path} takes a body within its limit");
    }
    // Posting a report (with the token) may be larger; this server has no store, which is the
    // next thing it says.
    let (status, body) = request(addr, "POST", "/api/reports", &["Authorization: Bearer t"], text.as_bytes());
    assert_eq!(status, 404, "{body}");
}

#[test]
fn more_texts_than_the_server_reads_at_once_are_turned_away_at_once() {
    let addr = start_with(None, None, Limits { max_reads: 1, ..Limits::default() });
    // The one permit is held by a request whose body is still arriving.
    let mut holding = raw(addr, &format!("POST /api/geoparse HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 100\r\n\r\nFighting near"));
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let (status, head, body) = request_text(addr, "POST", "/api/read", &[], b"Shelling hit Kherson.");
    assert_eq!(status, 503, "{body}");
    assert!(head.to_ascii_lowercase().contains("retry-after: 1"), "{head}");
    assert!(started.elapsed() < Duration::from_secs(2), "turned away at once, not queued");
    // Reads of the store and the gazetteer are not held up.
    let (status, _) = request(addr, "GET", "/api/where?name=Izyum", &[], b"");
    assert_eq!(status, 200);
    // Once the first is done, the next gets through.
    holding.write_all(&[b' '; 87]).unwrap();
    let (answer, _) = read_until_closed(&mut holding, Duration::from_secs(10));
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let (status, _) = request(addr, "POST", "/api/read", &[], b"Shelling hit Kherson.");
    assert_eq!(status, 200);
}

#[test]
fn a_named_place_is_written_once_however_often_it_is_mentioned() {
    let addr = start_with(None, None, Limits::default());
    let text = "Fighting near Izyum. ".repeat(50);
    let (status, body) = request(addr, "POST", "/api/geoparse", &[], text.as_bytes());
    assert_eq!(status, 200);
    assert_eq!(body["toponyms"].as_array().unwrap().len(), 50);
    assert_eq!(body["places"].as_array().unwrap().len(), 1, "{body}");
    assert_eq!(body["places"][0]["id"], "geonames:707292");
    assert!(body["toponyms"].as_array().unwrap().iter().all(|t| t["place"] == 0));
}
