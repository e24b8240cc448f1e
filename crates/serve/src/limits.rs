//! What a request may cost, and the guard every request passes: the Host check, the body and
//! time limits, panic catching, JSON errors and the security headers.

use std::{
    net::{IpAddr, SocketAddr},
    panic::AssertUnwindSafe,
    sync::Arc,
    time::{Duration, Instant},
};

use axum::{
    body::Body,
    extract::{Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    Json,
};
use futures::FutureExt;
use serde_json::json;

/// How much work a request may make, and how much may run at once. The defaults suit one
/// analyst's machine; `sitrep serve` can change each.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest body of a posted report, in bytes (`POST /api/reports`, which needs the token).
    pub max_body_bytes: usize,
    /// Largest body of any other request (`/api/read` and `/api/geoparse` read text for anyone).
    pub max_open_body_bytes: usize,
    /// Texts read at once (`/api/read`, `/api/geoparse`, posted reports); more are answered 503
    /// with `Retry-After` before their bodies are taken in, so memory stays bounded.
    pub max_reads: usize,
    /// Longest a request may take, from its head to its answer (the body's upload included).
    pub request_timeout: Duration,
    /// Longest wait for a request's head, also on an idle kept-alive connection.
    pub header_timeout: Duration,
    /// Open connections at most; more wait in the system's listen queue.
    pub max_connections: usize,
    /// Connections to the store for reading, at most (by default twice the machine's cores,
    /// from 4 to 8).
    pub max_store_readers: usize,
    /// Bytes of answers kept between store writes (event pages, the map's points, control
    /// states and changes), at most (0: none kept, every answer worked out from the store).
    pub answer_cache_bytes: usize,
    /// Host names the server answers to besides its bound address (and, when bound to
    /// loopback, `localhost`): a request naming any other host is refused, so a web page on a
    /// name that resolves to this machine (DNS rebinding) cannot reach the API.
    pub allowed_hosts: Vec<String>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body_bytes: 4 << 20,
            max_open_body_bytes: 1 << 20,
            max_reads: 4,
            request_timeout: Duration::from_secs(30),
            header_timeout: Duration::from_secs(10),
            max_connections: 1024,
            max_store_readers: default_store_readers(),
            answer_cache_bytes: 64 << 20,
            allowed_hosts: Vec::new(),
        }
    }
}

/// Store connections reading at once unless set: twice the machine's cores, from 4 to 8. A
/// read keeps its connection (and on PostgreSQL a database process) busy with processor work
/// nearly all the time it holds it, so readers beyond about twice the cores only take turns on
/// them, each switch costing more processor time: on two cores, shared with the database and
/// 64 clients, 4 readers took about a sixth less processor time per page of events in a box
/// than 8 (server and PostgreSQL together), with no fewer pages a second.
fn default_store_readers() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    (2 * cores).clamp(4, 8)
}

/// An error answered as JSON: `{"error": "..."}`.
pub(crate) fn json_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

/// The hosts a request may name, worked out from the bound address and [`Limits::allowed_hosts`].
#[derive(Clone, Debug)]
pub(crate) struct HostPolicy {
    names: Vec<String>,
    /// Bound to every address: any address literal is the server's own.
    any_address: bool,
}

impl HostPolicy {
    /// The policy for a server bound to `bound`.
    pub(crate) fn new(bound: SocketAddr, allowed: &[String]) -> HostPolicy {
        let mut names: Vec<String> = allowed.iter().map(|h| host_name(h).to_ascii_lowercase()).collect();
        let ip = bound.ip();
        if ip.is_loopback() || ip.is_unspecified() {
            names.extend(["localhost", "127.0.0.1", "::1"].map(str::to_owned));
        }
        if !ip.is_unspecified() {
            names.push(ip.to_string());
        }
        HostPolicy { names, any_address: ip.is_unspecified() }
    }

    /// Whether a request naming `host` (a Host header: name or address, maybe with a port)
    /// is for this server.
    pub(crate) fn allows(&self, host: &str) -> bool {
        let name = host_name(host).to_ascii_lowercase();
        self.names.contains(&name) || (self.any_address && name.parse::<IpAddr>().is_ok())
    }
}

/// The name part of a Host header: without the port, an IPv6 address without its brackets.
fn host_name(host: &str) -> &str {
    let host = host.trim();
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// What the guard needs.
#[derive(Clone)]
pub(crate) struct Guard {
    pub(crate) limits: Arc<Limits>,
    pub(crate) hosts: Arc<HostPolicy>,
    /// One permit per text being read.
    pub(crate) reads: Arc<tokio::sync::Semaphore>,
}

/// Whether a request makes the server read a text (the costly work).
fn reads_text(request: &Request) -> bool {
    request.method() == axum::http::Method::POST && matches!(request.uri().path(), "/api/read" | "/api/geoparse" | "/api/reports")
}

/// Every request passes here: its Host is checked, its body is read within the size and time
/// limits, the handler runs within what is left of the time limit with panics caught (a 500,
/// logged; nothing shared is left locked), errors become JSON, and the security headers are
/// set on every answer.
pub(crate) async fn guard(State(g): State<Guard>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let host =
        request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).map(str::to_owned).or_else(|| request.uri().authority().map(|a| a.to_string()));
    let response = match host {
        None => json_error(StatusCode::BAD_REQUEST, "a request needs a Host header"),
        Some(h) if !g.hosts.allows(&h) => {
            json_error(StatusCode::MISDIRECTED_REQUEST, format!("this server does not answer for host {h:?}; start it with --allow-host to add a name"))
        }
        Some(_) if reads_text(&request) => match g.reads.clone().try_acquire_owned() {
            // Held until the answer is made.
            Ok(_permit) => handle(&g.limits, started, request, next).await,
            Err(_) => busy(format!("{} texts are being read already; try again shortly", g.limits.max_reads)),
        },
        Some(_) => handle(&g.limits, started, request, next).await,
    };
    finish(response).await
}

async fn handle(limits: &Limits, started: Instant, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let max = if parts.uri.path() == "/api/reports" { limits.max_body_bytes } else { limits.max_open_body_bytes };
    let bytes = match tokio::time::timeout(limits.request_timeout, axum::body::to_bytes(body, max)).await {
        Err(_) => {
            return json_error(StatusCode::REQUEST_TIMEOUT, format!("the request body took longer than {} s to arrive", limits.request_timeout.as_secs()))
        }
        Ok(Err(_)) => return json_error(StatusCode::PAYLOAD_TOO_LARGE, format!("this request's body may hold at most {max} bytes")),
        Ok(Ok(bytes)) => bytes,
    };
    let request = Request::from_parts(parts, Body::from(bytes));
    let left = limits.request_timeout.saturating_sub(started.elapsed());
    match tokio::time::timeout(left, AssertUnwindSafe(next.run(request)).catch_unwind()).await {
        Ok(Ok(response)) => response,
        Ok(Err(panic)) => {
            let what = panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_default();
            eprintln!("serve: a request failed with a panic: {what}");
            json_error(StatusCode::INTERNAL_SERVER_ERROR, "the server failed on this request")
        }
        Err(_) => busy(format!("the request took longer than {} s", limits.request_timeout.as_secs())),
    }
}

/// 503 with `Retry-After`: the server is busy or the work ran out of time.
pub(crate) fn busy(message: impl Into<String>) -> Response {
    let mut response = json_error(StatusCode::SERVICE_UNAVAILABLE, message);
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// Errors as JSON (`{"error": "..."}`), including the plain-text or empty ones that axum's
/// extractors and router give (a malformed query, a wrong method), and the security headers.
async fn finish(response: Response) -> Response {
    let status = response.status();
    let is_json = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let mut response = if (status.is_client_error() || status.is_server_error()) && !is_json {
        let (parts, body) = response.into_parts();
        let text = axum::body::to_bytes(body, 64 * 1024).await.map(|b| String::from_utf8_lossy(&b).trim().to_owned()).unwrap_or_default();
        let message = if text.is_empty() { status.canonical_reason().unwrap_or("error").to_lowercase() } else { text };
        let mut json = json_error(status, message);
        // Keep what the error says beyond its body (Allow on a 405, for one).
        for (name, value) in &parts.headers {
            if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
                json.headers_mut().insert(name.clone(), value.clone());
            }
        }
        json
    } else {
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    // The page's own files set a policy that lets them run; everything else (JSON, SVG) may
    // run nothing and load nothing.
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; sandbox"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    /// Unless set, a server reads the store on twice as many connections as the machine has
    /// cores, never fewer than 4 nor more than 8.
    #[test]
    fn the_readers_by_default_are_twice_the_cores_from_4_to_8() {
        let cores = std::thread::available_parallelism().unwrap().get();
        let readers = Limits::default().max_store_readers;
        assert!((4..=8).contains(&readers), "{readers} readers");
        if (2..=4).contains(&cores) {
            assert_eq!(readers, 2 * cores);
        }
    }

    /// A handler that panics is answered 500 in JSON, and the server goes on answering.
    #[test]
    fn a_panic_in_a_handler_is_a_500_and_the_server_goes_on() {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
        let addr = listener.local_addr().unwrap();
        let limits = Limits::default();
        let guard = Guard { hosts: Arc::new(HostPolicy::new(addr, &[])), reads: Arc::new(tokio::sync::Semaphore::new(1)), limits: Arc::new(limits.clone()) };
        let app = axum::Router::new()
            .route("/boom", axum::routing::get(|| async { panic!("a bug in a handler") as &'static str }))
            .route("/fine", axum::routing::get(|| async { "fine" }))
            .layer(axum::middleware::from_fn_with_state(guard, super::guard));
        runtime.spawn(async move { crate::listen::accept_loop(listener, app, &limits).await });
        let get = |path: &str| {
            let mut stream = std::net::TcpStream::connect(addr).unwrap();
            write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
            let mut answer = String::new();
            stream.read_to_string(&mut answer).unwrap();
            answer
        };
        let answer = get("/boom");
        assert!(answer.starts_with("HTTP/1.1 500"), "{answer}");
        assert!(answer.contains("{\"error\":\"the server failed on this request\"}"), "{answer}");
        assert!(get("/fine").ends_with("fine"));
    }

    #[test]
    fn host_names_lose_their_port_and_brackets() {
        assert_eq!(host_name("localhost:8080"), "localhost");
        assert_eq!(host_name("[::1]:8080"), "::1");
        assert_eq!(host_name("example.org"), "example.org");
        assert_eq!(host_name("10.0.0.5"), "10.0.0.5");
    }

    #[test]
    fn a_loopback_server_answers_only_for_loopback_names_and_the_allowed() {
        let policy = HostPolicy::new("127.0.0.1:8080".parse().unwrap(), &["Maps.Example.org".into()]);
        for ok in ["127.0.0.1:8080", "localhost:8080", "LOCALHOST", "[::1]:8080", "maps.example.org:443"] {
            assert!(policy.allows(ok), "{ok}");
        }
        for refused in ["attacker.example:8080", "127.0.0.2:8080", "10.0.0.5", ""] {
            assert!(!policy.allows(refused), "{refused}");
        }
    }

    #[test]
    fn a_server_on_every_address_answers_for_any_address_but_not_for_other_names() {
        let policy = HostPolicy::new("0.0.0.0:80".parse().unwrap(), &[]);
        assert!(policy.allows("192.168.1.20"));
        assert!(policy.allows("localhost"));
        assert!(!policy.allows("rebind.attacker.example"));
    }
}
