//! sitrep's HTTP API (axum): where places are, stored events, claims, disagreements and
//! reports, reading posted reports, and the web map (`/`), whose page, script, style and
//! outlines are all built into the binary so that it works with no network at all.
//!
//! Read-only unless started with a token: posting reports into the store needs `Authorization:
//! Bearer TOKEN`. Every request is bounded in body size, time and concurrency ([`Limits`]),
//! answers only for the server's own host names, and every error is JSON: `{"error": "..."}`
//! with a fitting status. Reads take store connections of their own ([`pool`]), so they never
//! wait on a write or on each other. The API is described by an OpenAPI document at
//! `/openapi.json`.

mod answers;
mod limits;
mod listen;
mod points;
mod pool;

use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc,
};

use axum::{
    extract::{DefaultBodyLimit, Path, Query, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};
use sitrep_gazetteer::{Gazetteer, LatLon, Query as PlaceQuery};
use sitrep_read::{
    intake::{Document, Intake, Intaken, Meta},
    Reader,
};
use sitrep_store::{
    filter::{EventFilter, FilterError},
    ingest,
    timeline::ControlFilter,
    Page, Store,
};

pub use limits::Limits;
use pool::{PoolError, StorePool};

/// How long a read waits for a free store connection before the server answers 503.
const STORE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// What the handlers share.
pub struct AppState {
    gaz: &'static Gazetteer,
    reader: Reader<'static>,
    store: Option<StorePool>,
    token: Option<String>,
    limits: Arc<Limits>,
    answers: answers::AnswerCache,
}

impl AppState {
    /// State over a gazetteer, a store (if any) and a write token (if any), with the default
    /// [`Limits`]. `db` is an SQLite file or a `postgres://` URL.
    pub fn new(gaz: &'static Gazetteer, db: Option<&str>, token: Option<String>) -> Result<AppState, sitrep_store::StoreError> {
        AppState::with_limits(gaz, db, token, Limits::default())
    }

    /// State as [`AppState::new`], with the given limits.
    pub fn with_limits(gaz: &'static Gazetteer, db: Option<&str>, token: Option<String>, limits: Limits) -> Result<AppState, sitrep_store::StoreError> {
        let store = db.map(|db| StorePool::open(db, limits.max_store_readers)).transpose()?;
        let answers = answers::AnswerCache::new(limits.answer_cache_bytes);
        Ok(AppState { gaz, reader: Reader::new(gaz), store, token, limits: Arc::new(limits), answers })
    }
}

/// An error answered as JSON.
struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self.0 {
            StatusCode::SERVICE_UNAVAILABLE => limits::busy(self.1),
            status => limits::json_error(status, self.1),
        }
    }
}

type ApiResult = Result<Json<Value>, ApiError>;

fn bad_request(message: impl Into<String>) -> ApiError {
    ApiError(StatusCode::BAD_REQUEST, message.into())
}

/// Runs blocking work off the async threads (the request's time limit is kept by the guard).
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, ApiError> + Send + 'static) -> Result<T, ApiError> {
    cancellable(move |_| work()).await
}

/// Runs blocking work off the async threads, telling it when nobody waits for its answer any
/// more (the time limit ran out, or the client went away): long work checks the flag between
/// its steps and stops.
async fn cancellable<T: Send + 'static>(work: impl FnOnce(&AtomicBool) -> Result<T, ApiError> + Send + 'static) -> Result<T, ApiError> {
    /// Raises the flag when the request's future is dropped before the work is done.
    struct RaiseOnDrop(Arc<AtomicBool>);
    impl Drop for RaiseOnDrop {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }
    let cancelled = RaiseOnDrop(Arc::new(AtomicBool::new(false)));
    let flag = cancelled.0.clone();
    match tokio::task::spawn_blocking(move || work(&flag)).await {
        Ok(result) => result,
        // The work panicked: the panic was logged by the runtime; nothing it held is shared.
        Err(_) => Err(ApiError(StatusCode::INTERNAL_SERVER_ERROR, "the server failed on this request".into())),
    }
}

/// Threads for the server's blocking work (store queries, reading texts): the store pool's
/// connections, the read permits and a few more. Requests beyond them wait in line rather
/// than each holding a thread of its own, with its stack and its allocator's free memory.
pub const BLOCKING_THREADS: usize = 16;

/// The async runtime to [`serve`] on: the machine's cores for connections, and at most
/// [`BLOCKING_THREADS`] for blocking work.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().max_blocking_threads(BLOCKING_THREADS).enable_all().build()
}

/// Serves on `listener` until the process is stopped, within the state's [`Limits`].
pub async fn serve(listener: tokio::net::TcpListener, state: Arc<AppState>) -> std::io::Result<()> {
    // The basemap's outlines are decoded now, off the request path: the first page's outlines
    // would otherwise wait for it (0.4 s on this project's machine).
    std::thread::spawn(|| {
        sitrep_map::atlas();
    });
    let limits = state.limits.clone();
    let guard = limits::Guard {
        hosts: Arc::new(limits::HostPolicy::new(listener.local_addr()?, &limits.allowed_hosts)),
        reads: Arc::new(tokio::sync::Semaphore::new(limits.max_reads.max(1))),
        limits: limits.clone(),
    };
    // Compression outermost: the guard sees (and turns into JSON) uncompressed errors. The
    // fastest level: a page of events compresses to a tenth either way, and the default level
    // took a fifth of the time of answering one.
    let compression = tower_http::compression::CompressionLayer::new().gzip(true).quality(tower_http::CompressionLevel::Fastest);
    let app = router(state).layer(axum::middleware::from_fn_with_state(guard, limits::guard)).layer(compression);
    listen::accept_loop(listener, app, &limits).await
}

/// The routes and their handlers (without the guard, which [`serve`] adds).
fn router(state: Arc<AppState>) -> Router {
    let max_body = state.limits.max_body_bytes;
    Router::new()
        .route("/api/health", get(health))
        .route("/api/where", get(where_))
        .route("/api/events", get(events))
        .route("/api/events/points", get(event_points))
        .route("/api/events/{id}", get(event))
        .route("/api/palette", get(palette))
        .route("/control.js", get(|| async { page(CONTROL_JS, "text/javascript; charset=utf-8") }))
        .route("/api/read", post(read))
        .route("/api/geoparse", post(geoparse))
        .route("/api/reports", post(ingest).get(reports))
        .route("/api/reports/{id}", get(report))
        .route("/api/claims", get(claims))
        .route("/api/control", get(control))
        .route("/api/control/changes", get(control_changes))
        .route("/api/disagreements", get(disagreements))
        .route("/api/atlas", get(atlas))
        .route("/api/basemap/countries", get(basemap_countries))
        .route("/api/basemap/admin1", get(basemap_admin1))
        .route("/api/basemap/places", get(basemap_places))
        .route("/map.svg", get(map_svg))
        .route("/openapi.json", get(openapi))
        .route("/", get(|| async { page(INDEX_HTML, "text/html; charset=utf-8") }))
        .route("/app.js", get(|| async { page(APP_JS, "text/javascript; charset=utf-8") }))
        .route("/app.css", get(|| async { page(APP_CSS, "text/css; charset=utf-8") }))
        .route(&format!("{VENDOR}/{{file}}"), get(vendor))
        .fallback(|| async { ApiError(StatusCode::NOT_FOUND, "no such endpoint; see /openapi.json".into()) })
        // The guard has taken the body in within its own limits already.
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state)
}

static INDEX_HTML: &str = include_str!("../web/index.html");
static APP_JS: &str = include_str!("../web/app.js");
static APP_CSS: &str = include_str!("../web/app.css");
static CONTROL_JS: &str = include_str!("../web/control.js");

/// Where the vendored MapLibre GL JS is served; the version is in the path, so its files can
/// be cached for good.
pub const VENDOR: &str = "/vendor/maplibre-gl-5.24.1";

/// The vendored files (`scripts/vendor-maplibre.sh`): MapLibre's CSP build, its worker, its
/// style sheet and its licence.
static VENDORED: [(&str, &str, &str); 4] = [
    ("maplibre-gl-csp.js", "text/javascript; charset=utf-8", include_str!("../web/vendor/maplibre-gl-csp.js")),
    ("maplibre-gl-csp-worker.js", "text/javascript; charset=utf-8", include_str!("../web/vendor/maplibre-gl-csp-worker.js")),
    ("maplibre-gl.css", "text/css; charset=utf-8", include_str!("../web/vendor/maplibre-gl.css")),
    ("LICENSE.txt", "text/plain; charset=utf-8", include_str!("../web/vendor/LICENSE.txt")),
];

/// A vendored file, cached by the browser for a year (its path names its version).
async fn vendor(Path(file): Path<String>) -> Result<Response, ApiError> {
    let (_, content_type, body) =
        VENDORED.iter().find(|(name, _, _)| *name == file).ok_or_else(|| ApiError(StatusCode::NOT_FOUND, format!("no vendored file {file:?}")))?;
    let mut response = page(body, content_type);
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("public, max-age=31536000, immutable"));
    Ok(response)
}

/// A built-in file of the web page. The content security policy lets the page run only its
/// own script and load only from this server: markup that slipped into a report could not run.
fn page(body: &'static str, content_type: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        body,
    )
        .into_response()
}

async fn health(State(s): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({ "status": "ok", "places": s.gaz.len(), "store": s.store.is_some(), "writable": s.token.is_some() }))
}

#[derive(Deserialize)]
struct WhereParams {
    name: String,
    near: Option<String>,
    limit: Option<usize>,
}

async fn where_(State(s): State<Arc<AppState>>, Query(p): Query<WhereParams>) -> ApiResult {
    // A name the index knows exactly (nearly every request) is answered on the connection's
    // own thread: the lookup takes microseconds, less than handing the request to a blocking
    // thread and back. Near spellings scan the key set, which can take milliseconds: they go
    // to the blocking threads.
    if let Some(answer) = where_answer(s.gaz, &p, true)? {
        return Ok(answer);
    }
    blocking(move || where_answer(s.gaz, &p, false)?.ok_or_else(|| not_a_place(s.gaz, &p.name))).await
}

/// The answer to `/api/where`, or `None` when `exact_only` found nothing for the name or the
/// place it is near.
fn where_answer(gaz: &Gazetteer, p: &WhereParams, exact_only: bool) -> Result<Option<Json<Value>>, ApiError> {
    let near = match &p.near {
        Some(n) => match best(gaz, n, exact_only)? {
            Some(point) => Some(point),
            None if exact_only => return Ok(None),
            None => return Err(ApiError(StatusCode::NOT_FOUND, format!("no place called {n:?}"))),
        },
        None => None,
    };
    let outcome = gaz
        .search(&PlaceQuery { name: &p.name, near, limit: p.limit.unwrap_or(5).min(50), exact_only, ..PlaceQuery::default() })
        .map_err(|e| bad_request(e.to_string()))?;
    if outcome.hits.is_empty() {
        return if exact_only { Ok(None) } else { Err(not_a_place(gaz, &p.name)) };
    }
    let candidates: Vec<Value> = outcome.hits.iter().map(|h| place_json(&h.place)).collect();
    Ok(Some(Json(json!({ "query": p.name, "fuzzy": outcome.fuzzy, "candidates": candidates }))))
}

/// An answer of JSON bytes written by hand or by a store's writer (not through `Json`).
fn json_body(body: impl Into<axum::body::Body>) -> Response {
    let body: axum::body::Body = body.into();
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

/// The 404 for a name no place has, with the names it looks like.
fn not_a_place(gaz: &Gazetteer, name: &str) -> ApiError {
    ApiError(StatusCode::NOT_FOUND, format!("no place called {name:?}; did you mean: {}", gaz.suggestions(name, 5).join("; ")))
}

fn place_json(p: &sitrep_gazetteer::Place<'_>) -> Value {
    json!({
        "id": p.id(), "name": p.display_name(), "feature": p.feature(),
        "admin1": p.admin1().map(|a| a.display_name()), "country": p.country().map(|c| c.display_name()),
        "lat": p.point().lat, "lon": p.point().lon, "population": p.population(),
    })
}

/// Where the best place for a name lies (only an exact match when `exact_only`), if any.
fn best(gaz: &Gazetteer, name: &str, exact_only: bool) -> Result<Option<LatLon>, ApiError> {
    let outcome = gaz.search(&PlaceQuery { name, limit: 1, exact_only, ..PlaceQuery::default() }).map_err(|e| bad_request(e.to_string()))?;
    Ok(outcome.hits.first().map(|h| h.place.point()))
}

/// A filter the one filter parser rejected: 404 for a place the gazetteer lacks, 400 for the rest.
fn filter_error(e: FilterError) -> ApiError {
    ApiError(if e.is_not_found() { StatusCode::NOT_FOUND } else { StatusCode::BAD_REQUEST }, e.to_string())
}

/// The server's store, or a 404 when it has none.
fn store_of(s: &AppState) -> Result<&StorePool, ApiError> {
    s.store.as_ref().ok_or_else(|| ApiError(StatusCode::NOT_FOUND, "the server has no store; start it with --db".into()))
}

/// A store failure as an answer: 503 when the store is busy or unreachable, else 500.
fn store_error(e: PoolError) -> ApiError {
    match e {
        PoolError::Busy => ApiError(StatusCode::SERVICE_UNAVAILABLE, "every store connection is busy; try again shortly".into()),
        PoolError::Store(e) if e.is_unavailable() => ApiError(StatusCode::SERVICE_UNAVAILABLE, format!("the store is unavailable: {e}")),
        PoolError::Store(e) => ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}

/// Runs blocking work that reads the store ([`with_store`]) once it is this request's turn to
/// read ([`StorePool::turn`]: first come, first served, waiting without a thread), or answers
/// 404 when the server has no store.
async fn reading<T: Send + 'static>(s: Arc<AppState>, work: impl FnOnce(&AppState) -> Result<T, ApiError> + Send + 'static) -> Result<T, ApiError> {
    let turn = store_of(&s)?.turn(STORE_WAIT).await.map_err(store_error)?;
    blocking(move || {
        let _turn = turn;
        work(&s)
    })
    .await
}

/// Runs `work` on a reading connection to the store (its own: reads never wait on each other
/// or on writes), or answers 404 when the server has none.
fn with_store<T>(s: &AppState, work: impl FnOnce(&mut Store) -> Result<T, sitrep_store::StoreError>) -> Result<T, ApiError> {
    store_of(s)?.read(STORE_WAIT, work).map_err(store_error)
}

/// A list read from the store, answered as `{"count": n, key: [...]}`.
async fn listing<T: serde::Serialize + Send + 'static>(
    s: Arc<AppState>,
    key: &'static str,
    work: impl FnOnce(&mut Store) -> Result<Vec<T>, sitrep_store::StoreError> + Send + 'static,
) -> ApiResult {
    reading(s, move |s| {
        let found = with_store(s, work)?;
        Ok(Json(json!({ "count": found.len(), key: found })))
    })
    .await
}

/// Events (or reports) answered when a request names no `limit`.
pub const DEFAULT_PAGE: usize = 100;
/// The most events (or reports) one request answers, whatever its `limit`.
pub const MAX_PAGE: usize = 1_000;

/// Tellings given with each event of a page of `/api/events` when the request names no
/// `sources`; `/api/events/{id}` gives them all. As many as an event's row keeps, so that a
/// page reads no telling rows.
pub const DEFAULT_SOURCES: usize = sitrep_store::FIRST_TELLINGS;
/// The most tellings given with each event of a page, whatever the request's `sources`.
pub const MAX_SOURCES: usize = 100;

/// Which page of a list a request asks for: `limit` (default [`DEFAULT_PAGE`], at most
/// [`MAX_PAGE`]) items after `offset`, and for events `sources` tellings each (default
/// [`DEFAULT_SOURCES`], at most [`MAX_SOURCES`]).
#[derive(Deserialize)]
struct PageParams {
    limit: Option<usize>,
    offset: Option<usize>,
    sources: Option<usize>,
}

impl PageParams {
    fn page(&self) -> Page {
        Page { offset: self.offset.unwrap_or(0), limit: self.limit.unwrap_or(DEFAULT_PAGE).min(MAX_PAGE) }
    }

    fn sources(&self) -> usize {
        self.sources.unwrap_or(DEFAULT_SOURCES).min(MAX_SOURCES)
    }
}

/// One page of the events matching the filters: `{"total", "offset", "limit", "count",
/// "events"}`, newest first, each with its `source_count` and first `sources` tellings. The
/// answer is kept until a report is stored ([`kept_answer`]).
async fn events(State(s): State<Arc<AppState>>, Query(p): Query<EventFilter>, Query(paging): Query<PageParams>) -> Result<Response, ApiError> {
    // Resolving `near` is gazetteer work: done before the store is taken.
    let q = p.resolve(s.gaz).map_err(filter_error)?;
    let (page, sources) = (paging.page(), paging.sources());
    reading(s, move |s| {
        let key = format!("events {q:?} {} {} {sources}", page.offset, page.limit);
        let body = kept_answer(
            s,
            &key,
            // Written by the store's own JSON writer (the bytes serde_json would make, faster),
            // each event's first tellings as its row keeps them, written already; the answer
            // whole in one buffer made at its size.
            |store| {
                store.events_page_json_framed(&q, page, sources, |found| {
                    let head =
                        format!("{{\"total\":{},\"offset\":{},\"limit\":{},\"count\":{},\"events\":", found.total, found.offset, found.limit, found.count);
                    (head, "}")
                })
            },
            Ok,
        )?;
        Ok(json_body(body))
    })
    .await
}

/// The answer kept under `key` (a query as parsed, so that spellings of one query share an
/// answer) at the store's generation, else the one `find` reads from the store and `write`
/// turns into bytes, kept for the requests after it until a report is stored
/// ([`answers::AnswerCache`]): an answer asked again costs the store one row read. The
/// generation is read first, so that a report stored while the answer is worked out leaves it
/// kept under the older generation, worked out again on the next request. The store is let go
/// before `write` runs.
fn kept_answer<T>(
    s: &AppState,
    key: &str,
    find: impl FnOnce(&mut Store) -> Result<T, sitrep_store::StoreError>,
    write: impl FnOnce(T) -> Result<Vec<u8>, ApiError>,
) -> Result<axum::body::Bytes, ApiError> {
    enum Answer<T> {
        Kept(axum::body::Bytes),
        Found(Option<i64>, T),
    }
    let answer = with_store(s, |store| {
        let generation = if s.answers.enabled() { Some(store.version()?) } else { None };
        if let Some(kept) = generation.and_then(|g| s.answers.get(key, g)) {
            return Ok(Answer::Kept(kept));
        }
        Ok(Answer::Found(generation, find(store)?))
    })?;
    match answer {
        Answer::Kept(kept) => Ok(kept),
        Answer::Found(generation, found) => {
            let body = axum::body::Bytes::from(write(found)?);
            if let Some(g) = generation {
                s.answers.put(key, g, body.clone());
            }
            Ok(body)
        }
    }
}

/// One event with every source.
async fn event(State(s): State<Arc<AppState>>, Path(id): Path<i64>) -> ApiResult {
    reading(s, move |s| match with_store(s, |store| store.event(id))? {
        Some(e) => Ok(Json(serde_json::to_value(e).map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?)),
        None => Err(ApiError(StatusCode::NOT_FOUND, format!("no event {id}"))),
    })
    .await
}

/// Every event type in legend order, with its words and its colour on every map.
async fn palette() -> Json<Value> {
    let types: Vec<Value> = sitrep_map::PALETTE.iter().map(|(t, c)| json!({ "type": t, "label": t.replace('_', " "), "colour": c })).collect();
    Json(json!({ "types": types }))
}

/// Every located event matching the filters as a map point with a summary of its sources
/// (no evidence), for the web map's clustered layer, in columns ([`points::columns_json`]),
/// gzipped. The answer is kept until a report is stored ([`kept_answer`]).
async fn event_points(State(s): State<Arc<AppState>>, Query(p): Query<EventFilter>, headers: HeaderMap) -> Result<Response, ApiError> {
    let q = p.resolve(s.gaz).map_err(filter_error)?;
    let gzip_ok = headers.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).is_some_and(points::takes_gzip);
    reading(s, move |s| {
        let internal = |e: std::io::Error| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
        let kept = kept_answer(
            s,
            &format!("points {q:?}"),
            |store| store.event_points(&q),
            |found| {
                let json = points::columns_json(&found).map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
                points::kept(&found, &json).map_err(internal)
            },
        )?;
        let (view, gzip) = points::unkept(&kept);
        // The box the page opens on, in the head: the page asks for its basemap before the
        // points have come.
        let view = header::HeaderValue::from_maybe_shared(view).map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        let head =
            [(header::CONTENT_TYPE, header::HeaderValue::from_static("application/json")), (header::VARY, header::HeaderValue::from_static("accept-encoding"))];
        Ok(if gzip_ok {
            (head, [(header::CONTENT_ENCODING, header::HeaderValue::from_static("gzip")), (VIEW_HEADER, view)], gzip).into_response()
        } else {
            (head, [(VIEW_HEADER, view)], points::gunzip(&gzip).map_err(internal)?).into_response()
        })
    })
    .await
}

/// The header of the points answer that gives the page's first view: west, south, east, north.
const VIEW_HEADER: header::HeaderName = header::HeaderName::from_static("x-sitrep-view");

/// A long list read from the store, answered as `{"count": n, list: [...]}` ([`json_list`])
/// and kept until a report is stored under `key`, the query as parsed ([`kept_answer`]).
async fn kept_listing<T: serde::Serialize + Send + 'static>(
    s: Arc<AppState>,
    key: String,
    list: &'static str,
    work: impl FnOnce(&mut Store) -> Result<Vec<T>, sitrep_store::StoreError> + Send + 'static,
) -> Result<Response, ApiError> {
    reading(s, move |s| {
        let body = kept_answer(s, &key, work, |found| json_list("", list, &found))?;
        Ok(json_body(body))
    })
    .await
}

/// A list as the bytes of `{<head>"count": n, list: [...]}`, serialised straight to bytes (not
/// through a `Value` tree, whose maps cost more than the store's query). `head` is empty or
/// fields that end with a comma.
fn json_list<T: serde::Serialize>(head: &str, list: &str, items: &[T]) -> Result<Vec<u8>, ApiError> {
    let mut body = format!("{{{head}\"count\":{},\"{list}\":", items.len()).into_bytes();
    serde_json::to_writer(&mut body, items).map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    body.push(b'}');
    Ok(body)
}

/// The state of every settlement in the area on `as_of` (else the latest), each with its last
/// change and that change's sources.
async fn control(State(s): State<Arc<AppState>>, Query(p): Query<ControlFilter>) -> Result<Response, ApiError> {
    let q = p.resolve(s.gaz).map_err(filter_error)?;
    kept_listing(s, format!("control {q:?}"), "settlements", move |store| store.control_states(&q)).await
}

/// The changes of hands in the area that may have happened between `from` and `to`.
async fn control_changes(State(s): State<Arc<AppState>>, Query(p): Query<ControlFilter>) -> Result<Response, ApiError> {
    let q = p.resolve(s.gaz).map_err(filter_error)?;
    kept_listing(s, format!("control changes {q:?}"), "changes", move |store| store.control_changes(&q)).await
}

/// One page of the stored reports, newest first, without texts or readings: `{"total",
/// "offset", "limit", "count", "reports"}`.
async fn reports(State(s): State<Arc<AppState>>, Query(paging): Query<PageParams>) -> Result<Response, ApiError> {
    let page = paging.page();
    reading(s, move |s| {
        let found = with_store(s, |store| store.reports_page(page))?;
        let head = format!("\"total\":{},\"offset\":{},\"limit\":{},", found.total, found.offset, found.limit);
        Ok(json_body(json_list(&head, "reports", &found.reports)?))
    })
    .await
}

async fn report(State(s): State<Arc<AppState>>, Path(id): Path<i64>) -> ApiResult {
    reading(s, move |s| match with_store(s, |store| store.report(id))? {
        Some(r) => Ok(Json(serde_json::to_value(r).map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?)),
        None => Err(ApiError(StatusCode::NOT_FOUND, format!("no report {id}"))),
    })
    .await
}

#[derive(Deserialize)]
struct ClaimParams {
    claimant: Option<String>,
}

async fn claims(State(s): State<Arc<AppState>>, Query(p): Query<ClaimParams>) -> ApiResult {
    listing(s, "claims", move |store| store.claims(p.claimant.as_deref())).await
}

async fn disagreements(State(s): State<Arc<AppState>>) -> ApiResult {
    listing(s, "disagreements", |store| store.disagreements()).await
}

#[derive(Deserialize)]
struct AtlasParams {
    bbox: Option<String>,
    width: Option<f64>,
}

/// The outlines for a map of `bbox` (the box of what is to be shown; the view adds a margin),
/// the view itself, and the colours of event types.
async fn atlas(Query(p): Query<AtlasParams>) -> ApiResult {
    blocking(move || {
        let width = p.width.filter(|w| w.is_finite()).unwrap_or(1000.0).clamp(100.0, 10_000.0);
        let view = match &p.bbox {
            Some(b) => {
                let [a, b, c, d] = sitrep_store::filter::parse_bbox(b).map_err(filter_error)?;
                sitrep_map::View::around([(a, b), (c, d)], width, sitrep_map::MIN_SPAN_DEG)
            }
            None => sitrep_map::View::around([], width, sitrep_map::MIN_SPAN_DEG),
        };
        let atlas = sitrep_map::atlas();
        let countries: Vec<_> = atlas.countries_in(view.bbox).collect();
        let admin1: Vec<_> = atlas.admin1_in(view.bbox).collect();
        let palette: Vec<Value> = sitrep_map::PALETTE.iter().map(|(t, c)| json!({ "type": t, "colour": c })).collect();
        Ok(Json(json!({ "view": view, "countries": countries, "admin1": admin1, "palette": palette, "provenance": atlas.provenance })))
    })
    .await
}

#[derive(Deserialize)]
struct BoxParams {
    bbox: Option<String>,
}

impl BoxParams {
    /// The box asked for, through the one box parser; the whole world without one.
    fn bbox(&self) -> Result<[f64; 4], ApiError> {
        self.bbox.as_deref().map_or(Ok([-90.0, -180.0, 90.0, 180.0]), |b| sitrep_store::filter::parse_bbox(b).map_err(filter_error))
    }
}

/// A basemap layer as GeoJSON, cached by the browser for a day (it changes only with the binary).
fn geojson(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/geo+json"), (header::CACHE_CONTROL, "public, max-age=86400")], body).into_response()
}

/// The zoom an outline layer is drawn at, which sets how far its outlines are simplified
/// (every point without one).
#[derive(Deserialize)]
struct DetailParams {
    zoom: Option<f64>,
}

impl DetailParams {
    /// The simplification tolerance for the zoom asked for.
    fn tolerance(&self) -> i32 {
        self.zoom.map_or(0, sitrep_map::tolerance_for_zoom)
    }
}

/// The outlines of the countries that meet `bbox` (every country without one), as GeoJSON.
async fn basemap_countries(Query(p): Query<BoxParams>, Query(detail): Query<DetailParams>) -> Result<Response, ApiError> {
    let bbox = p.bbox()?;
    blocking(move || Ok(geojson(sitrep_map::outlines_geojson(sitrep_map::atlas().countries_in(bbox), detail.tolerance())))).await
}

/// The boundaries of the first-level subdivisions that meet `bbox`, as GeoJSON lines (each
/// stretch two subdivisions share written once: the page draws them as lines, never fills).
async fn basemap_admin1(Query(p): Query<BoxParams>, Query(detail): Query<DetailParams>) -> Result<Response, ApiError> {
    let bbox = p.bbox()?;
    blocking(move || Ok(geojson(sitrep_map::boundaries_geojson(sitrep_map::atlas().admin1_in(bbox), detail.tolerance())))).await
}

/// The smallest town `/api/basemap/places` gives a label (a map zoomed out asks for fewer).
#[derive(Deserialize)]
struct TownParams {
    min_population: Option<u64>,
}

/// The towns (of at least `min_population` people), rivers and seas in `bbox`, as GeoJSON.
async fn basemap_places(State(s): State<Arc<AppState>>, Query(area): Query<BoxParams>, Query(towns): Query<TownParams>) -> Result<Response, ApiError> {
    let bbox = area.bbox()?;
    blocking(move || Ok(geojson(sitrep_map::places_geojson(s.gaz, bbox, towns.min_population.unwrap_or(0))))).await
}

async fn map_svg(State(s): State<Arc<AppState>>, Query(p): Query<EventFilter>) -> Result<Response, ApiError> {
    let q = p.resolve(s.gaz).map_err(filter_error)?;
    reading(s, move |s| {
        let found = with_store(s, |store| store.events(&q))?;
        let svg = sitrep_map::render_svg(
            &sitrep_map::markers_of_stored(&found),
            &[],
            &sitrep_map::MapStyle { title: "sitrep situation map".into(), width: 1000.0, ..Default::default() },
        );
        Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
    })
    .await
}

/// A posted report through intake (an HTML body gives its article): its text and the query's
/// metadata (`id`, `title`, `byline`, `source`, `url`, and a date in `published`, `date`,
/// `publish_date` or `datetime`). A report without text, or with a date that cannot be read,
/// is a 400.
fn intake_of(meta: Meta, body: String) -> Result<Intaken, ApiError> {
    let intaken = Intake::default().document(Document::from_http(body, meta)).map_err(|e| bad_request(e.to_string()))?;
    match intaken.warnings.first() {
        Some(w) => Err(bad_request(w.clone())),
        None => Ok(intaken),
    }
}

async fn read(State(s): State<Arc<AppState>>, Query(meta): Query<Meta>, body: String) -> ApiResult {
    blocking(move || {
        let intaken = intake_of(meta, body)?;
        Ok(Json(serde_json::to_value(s.reader.read(&intaken.report)).map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?))
    })
    .await
}

/// The places of a posted text: each place once (`places`), and every mention pointing to its
/// place by index (`toponyms[].place`), so that a name said a thousand times costs a thousand
/// small records and one place record.
async fn geoparse(State(s): State<Arc<AppState>>, body: String) -> Result<Response, ApiError> {
    cancellable(move |cancelled| {
        let parse = sitrep_geoparse::Geoparser::new(s.gaz).parse(&body);
        if cancelled.load(Ordering::Relaxed) {
            return Err(ApiError(StatusCode::SERVICE_UNAVAILABLE, "nobody waits for this answer any more".into()));
        }
        let mut places: Vec<Value> = Vec::new();
        let mut index_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut toponyms: Vec<Value> = Vec::with_capacity(parse.toponyms.len());
        for (n, t) in parse.toponyms.iter().enumerate() {
            if n % 4096 == 4095 && cancelled.load(Ordering::Relaxed) {
                return Err(ApiError(StatusCode::SERVICE_UNAVAILABLE, "nobody waits for this answer any more".into()));
            }
            let place = t.place.as_ref().map(|p| {
                *index_of.entry(p.id()).or_insert_with(|| {
                    places.push(place_json(p));
                    places.len() - 1
                })
            });
            toponyms.push(json!({ "start": t.start, "end": t.end, "text": t.text, "precision": t.precision, "local": t.local, "place": place }));
        }
        let mut answer = Vec::with_capacity(64 * toponyms.len() + 256 * places.len() + 32);
        serde_json::to_writer(&mut answer, &json!({ "places": places, "toponyms": toponyms }))
            .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        Ok(json_body(answer))
    })
    .await
}

async fn ingest(State(s): State<Arc<AppState>>, headers: HeaderMap, Query(meta): Query<Meta>, body: String) -> ApiResult {
    let Some(token) = s.token.as_deref() else {
        return Err(ApiError(StatusCode::FORBIDDEN, "the server is read-only; start it with --token to accept reports".into()));
    };
    let given = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if given != Some(token) {
        return Err(ApiError(StatusCode::UNAUTHORIZED, "a valid `Authorization: Bearer TOKEN` header is needed to post reports".into()));
    }
    blocking(move || {
        if s.store.is_none() {
            return Err(ApiError(StatusCode::NOT_FOUND, "the server has no store; start it with --db".into()));
        }
        // The ingest pipeline's steps for one report: intake, reading, one write.
        let intaken = intake_of(meta, body)?;
        let item = ingest::prepare(&s.reader, intaken);
        let (prepared, _) = item.prepared.map_err(bad_request)?;
        let outcome = store_of(&s)?.write(|store| store.ingest_batch(&[&prepared])).map_err(store_error)?.pop().expect("one outcome per report");
        let done = outcome.map_err(|e| ApiError(StatusCode::UNPROCESSABLE_ENTITY, format!("{}: {e}", prepared.reading.id)))?;
        Ok(Json(json!({ "ingested": done, "events": prepared.reading.events.len(), "claims": prepared.reading.claims.len() })))
    })
    .await
}

async fn openapi() -> Json<Value> {
    let text_body = json!({ "required": true, "content": { "text/plain": { "schema": { "type": "string" } } } });
    let json_ok = |what: &str| json!({ "200": { "description": what, "content": { "application/json": {} } }, "4XX": { "description": "an error: {\"error\": \"...\"}" } });
    let q = |name: &str, kind: &str, required: bool| json!({ "name": name, "in": "query", "required": required, "schema": { "type": kind } });
    Json(json!({
        "openapi": "3.0.3",
        "info": { "title": "sitrep", "version": env!("CARGO_PKG_VERSION"), "description": "Places, events, claims and readings of war reporting." },
        "paths": {
            "/api/health": { "get": { "summary": "Server status", "responses": json_ok("status") } },
            "/api/where": { "get": { "summary": "Ranked places for a name", "parameters": [q("name", "string", true), q("near", "string", false), q("limit", "integer", false)], "responses": json_ok("candidates") } },
            "/api/events": { "get": { "summary": "One page of the stored events, newest first, each with its first tellings and their count, and how many match",
                "parameters": [q("near", "string", false), q("radius_km", "number", false), q("bbox", "string", false), q("from", "string", false), q("to", "string", false), q("type", "string", false), q("actor", "string", false), q("claimant", "string", false), q("limit", "integer", false), q("offset", "integer", false), q("sources", "integer", false)],
                "responses": json_ok("total, offset, limit (default 100, at most 1000), count, events; each event with source_count and its first `sources` tellings (default 10, at most 100; /api/events/{id} gives all)") } },
            "/api/events/points": { "get": { "summary": "Every located event matching the filters as a map point, in columns: count; dictionary (event_type, side, place_name, claimant, certainty, date: each text once); then one array per field, a point's value at its index: id, lat, lon (5 decimals), precision, sources (a count), date_from, date_to (indexes into the dictionary's dates), event_type, side, place_name (indexes into the dictionary, null for none), claimants, certainties (lists of indexes); the header X-Sitrep-View gives the box the web map opens on (west,south,east,north: the central 95% of the events located better than an area)",
                "parameters": [q("near", "string", false), q("radius_km", "number", false), q("bbox", "string", false), q("from", "string", false), q("to", "string", false), q("type", "string", false), q("actor", "string", false), q("claimant", "string", false)],
                "responses": json_ok("count, dictionary and the columns") } },
            "/api/events/{id}": { "get": { "summary": "One stored event with every source",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }], "responses": json_ok("the event") } },
            "/api/read": { "post": { "summary": "Read a posted report (schema sitrep.reading/0.2)", "parameters": [q("id", "string", false), q("published", "string", false)], "requestBody": text_body, "responses": json_ok("the reading") } },
            "/api/geoparse": { "post": { "summary": "Places in a posted text: each place once, and every mention with the index of its place",
                "requestBody": text_body, "responses": json_ok("places: [{id, name, feature, admin1, country, lat, lon, population}], toponyms: [{start, end, text, precision, local, place}]") } },
            "/api/reports": {
                "get": { "summary": "One page of the stored reports, newest first, without texts or readings", "parameters": [q("limit", "integer", false), q("offset", "integer", false)],
                    "responses": json_ok("total, offset, limit (default 100, at most 1000), count, reports") },
                "post": { "summary": "Read a posted report into the store (needs the token)", "security": [{ "bearer": [] }],
                    "parameters": [q("id", "string", false), q("published", "string", false), q("title", "string", false), q("source", "string", false), q("url", "string", false)],
                    "requestBody": text_body, "responses": json_ok("what was stored") } },
            "/api/reports/{id}": { "get": { "summary": "One stored report with its text and reading",
                "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }], "responses": json_ok("the report") } },
            "/api/control": { "get": { "summary": "Who held each settlement on a day (as_of, default the latest), in an area, each with its last change and its sources",
                "parameters": [q("as_of", "string", false), q("bbox", "string", false), q("near", "string", false), q("radius_km", "number", false)],
                "responses": json_ok("settlements: place {id, geonameid, name, lat, lon}, state (UA, RU, contested), holder, since, until, disputed, last_change") } },
            "/api/control/changes": { "get": { "summary": "Changes of hands that may have happened between from and to, in an area, each with its sources and disputes",
                "parameters": [q("from", "string", false), q("to", "string", false), q("bbox", "string", false), q("near", "string", false), q("radius_km", "number", false)],
                "responses": json_ok("changes: place, from_side, to_side, date_earliest, date_latest, status, confidence, claimants, disputed, sources [{report, claimant, certainty, start, end, evidence}], disputed_by") } },
            "/api/claims": { "get": { "summary": "Stored claims", "parameters": [q("claimant", "string", false)], "responses": json_ok("claims") } },
            "/api/disagreements": { "get": { "summary": "Figures that a report's sources state differently, side by side", "responses": json_ok("disagreements") } },
            "/api/atlas": { "get": { "summary": "Outlines, view and palette for a map of a box", "parameters": [q("bbox", "string", false), q("width", "number", false)], "responses": json_ok("outlines") } },
            "/api/basemap/countries": { "get": { "summary": "The outlines of the countries meeting a box, every country without one, simplified for the zoom given (every point without one), and a point (label: true) for each name (GeoJSON)", "parameters": [q("bbox", "string", false), q("zoom", "number", false)], "responses": { "200": { "description": "a FeatureCollection", "content": { "application/geo+json": {} } } } } },
            "/api/basemap/admin1": { "get": { "summary": "The boundaries of the first-level subdivisions meeting a box as lines (a stretch two subdivisions share is written once, under the first), simplified for the zoom given, and a point (label: true) for each name (GeoJSON)", "parameters": [q("bbox", "string", false), q("zoom", "number", false)],
                "responses": { "200": { "description": "a FeatureCollection", "content": { "application/geo+json": {} } } } } },
            "/api/basemap/places": { "get": { "summary": "Towns of min_population people or more (at least and by default 1,000; kind town, population), rivers (river) and seas and lakes (sea) in a box (GeoJSON)", "parameters": [q("bbox", "string", false), q("min_population", "integer", false)],
                "responses": { "200": { "description": "a FeatureCollection", "content": { "application/geo+json": {} } } } } },
            "/api/palette": { "get": { "summary": "Event types in legend order with their words and colours", "responses": json_ok("types") } },
            "/map.svg": { "get": { "summary": "The situation map as SVG (the event filters apply)",
                "parameters": [q("near", "string", false), q("radius_km", "number", false), q("bbox", "string", false), q("from", "string", false), q("to", "string", false), q("type", "string", false), q("actor", "string", false), q("claimant", "string", false)],
                "responses": { "200": { "description": "an SVG map", "content": { "image/svg+xml": {} } } } } },
            "/openapi.json": { "get": { "summary": "This document", "responses": json_ok("OpenAPI 3") } }
        },
        "components": { "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } } }
    }))
}
