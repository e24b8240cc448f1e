//! `sitrep serve`: the HTTP API.

use std::{net::SocketAddr, process::ExitCode, sync::Arc, time::Duration};

use anyhow::{Context, Result};
use sitrep_serve::{AppState, Limits};

/// Arguments of `sitrep serve`.
#[derive(clap::Args)]
pub struct Args {
    /// The store to serve events from, an SQLite file or a `postgres://` URL (none: places
    /// and reading only).
    #[arg(long)]
    db: Option<String>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Accept reports posted to /api/reports with `Authorization: Bearer TOKEN` (not empty,
    /// no white space: a header could never carry it).
    #[arg(long, env = "SITREP_TOKEN", hide_env_values = true, value_parser = parse_token)]
    token: Option<String>,
    /// A host name the server answers to besides its address (and `localhost` on loopback),
    /// as written in the browser's address bar; repeat for more. Requests naming any other
    /// host are refused (421), which keeps web pages on other names away from the API.
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_hosts: Vec<String>,
    /// Largest posted report, in MiB (`POST /api/reports`).
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=1024))]
    max_report_mib: u64,
    /// Largest body of any other request, in KiB (`/api/read` and `/api/geoparse` read text
    /// for anyone).
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u64).range(1..=1_048_576))]
    max_body_kib: u64,
    /// Texts read at once (`/api/read`, `/api/geoparse`, posted reports); more get 503.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u64).range(1..=1024))]
    max_reads: u64,
    /// Longest a request may take from its head to its answer, in seconds.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    request_timeout: u64,
    /// Longest wait for a request's head (also between requests on a kept-alive connection),
    /// in seconds.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    header_timeout: u64,
    /// Open connections at most; more wait in the listen queue.
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u64).range(1..=65_536))]
    max_connections: u64,
    /// Store connections reading at once (each request reading the store takes one; more
    /// wait their turn, first come, first served).
    #[arg(long, default_value_t = Limits::default().max_store_readers as u64, value_parser = clap::value_parser!(u64).range(1..=64))]
    store_readers: u64,
    /// Memory for answers kept until the store changes (event pages, the map's points, control
    /// states and changes), in MiB (0: keep none, work every answer out from the store).
    #[arg(long, default_value_t = (Limits::default().answer_cache_bytes >> 20) as u64, value_parser = clap::value_parser!(u64).range(0..=65_536))]
    answer_cache_mib: u64,
}

impl Args {
    fn limits(&self) -> Limits {
        Limits {
            max_body_bytes: (self.max_report_mib << 20) as usize,
            max_open_body_bytes: (self.max_body_kib << 10) as usize,
            max_reads: self.max_reads as usize,
            request_timeout: Duration::from_secs(self.request_timeout),
            header_timeout: Duration::from_secs(self.header_timeout),
            max_connections: self.max_connections as usize,
            max_store_readers: self.store_readers as usize,
            answer_cache_bytes: (self.answer_cache_mib << 20) as usize,
            allowed_hosts: self.allow_hosts.clone(),
        }
    }
}

fn parse_token(s: &str) -> Result<String, String> {
    if s.is_empty() || s.chars().any(char::is_whitespace) {
        return Err("a token is one or more characters without white space".into());
    }
    Ok(s.to_owned())
}

/// Runs `sitrep serve` until the process is stopped.
pub fn run(gaz: sitrep_gazetteer::Gazetteer, args: &Args) -> Result<ExitCode> {
    // The server lives as long as the process; so does its gazetteer.
    let gaz: &'static sitrep_gazetteer::Gazetteer = Box::leak(Box::new(gaz));
    let state = AppState::with_limits(gaz, args.db.as_deref(), args.token.clone(), args.limits()).context("opening the store")?;
    let runtime = sitrep_serve::runtime().context("starting the async runtime")?;
    eprintln!(
        "sitrep serving on http://{} ({}; {}); API description at /openapi.json",
        args.addr,
        args.db.as_deref().map_or("no store".to_owned(), |d| format!("store {}", super::store::redact(d))),
        if args.token.is_some() { "reports may be posted with the token" } else { "read-only" }
    );
    runtime
        .block_on(async {
            let listener = tokio::net::TcpListener::bind(args.addr).await?;
            sitrep_serve::serve(listener, Arc::new(state)).await
        })
        .with_context(|| format!("serving on {}", args.addr))?;
    Ok(ExitCode::SUCCESS)
}
