//! `sitrep serve`: the HTTP API.

use std::{net::SocketAddr, process::ExitCode, sync::Arc};

use anyhow::{Context, Result};
use sitrep_serve::AppState;

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
    let state = AppState::new(gaz, args.db.as_deref(), args.token.clone()).context("opening the store")?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")?;
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
