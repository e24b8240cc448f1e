//! `sitrep`: turns war reporting into a situation picture.

mod allocator;
mod commands;
mod render;

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};

/// sitrep turns war reporting into a situation picture.
#[derive(Parser)]
#[command(version, about, propagate_version = true)]
struct Cli {
    /// Use this gazetteer index file instead of the one built into sitrep.
    #[arg(long, global = true, env = "SITREP_GAZETTEER", value_name = "PATH")]
    gazetteer: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Where is a place? Ranked gazetteer candidates for a name.
    Where(commands::where_::Args),
    /// Great-circle distance and bearing between two places.
    Distance(commands::distance::Args),
    /// Find and resolve every place named in reports (text files, stdin, or JSON lines).
    Geoparse(commands::geoparse::Args),
    /// Read reports: places, claims and their claimants, numbers, disagreements, geography
    /// checks and dates.
    Read(commands::read::Args),
    /// Read reports into the store (SQLite or PostgreSQL), merging events across reports.
    Ingest(commands::store::IngestArgs),
    /// Events in the store, by place, box, dates, type, actor or claimant.
    Query(commands::store::QueryArgs),
    /// Who held each settlement on a day, or the changes of hands in a window, each with its
    /// sources (the control timeline in the store).
    Control(commands::control::Args),
    /// Put reports on a NATS JetStream stream for workers.
    Publish(commands::queue::PublishArgs),
    /// Read reports from a NATS JetStream stream into the store, with any number of others.
    Worker(commands::queue::WorkerArgs),
    /// The situation map as a static SVG, from the store or from reports.
    Map(commands::map::Args),
    /// The HTTP API and the web map: places, stored events, reading posted reports.
    Serve(commands::serve::Args),
    /// Measure an extraction stage against an annotated corpus.
    #[command(subcommand)]
    Eval(commands::eval::Eval),
}

fn main() -> ExitCode {
    allocator::configure();
    restore_default_sigpipe();
    let cli = Cli::parse();
    let result = (|| {
        let gaz = commands::open_gazetteer(cli.gazetteer.as_deref())?;
        match cli.command {
            Command::Where(args) => commands::where_::run(&gaz, &args),
            Command::Distance(args) => commands::distance::run(&gaz, &args),
            Command::Geoparse(args) => commands::geoparse::run(&gaz, &args),
            Command::Read(args) => commands::read::run(&gaz, &args),
            Command::Ingest(args) => commands::store::ingest(&gaz, &args),
            Command::Query(args) => commands::store::query(&gaz, &args),
            Command::Control(args) => commands::control::run(&gaz, &args),
            Command::Publish(args) => commands::queue::publish(&args),
            Command::Worker(args) => commands::queue::worker(&gaz, &args),
            Command::Map(args) => commands::map::run(&gaz, &args),
            Command::Serve(args) => commands::serve::run(gaz, &args),
            Command::Eval(eval) => commands::eval::run(&gaz, eval),
        }
    })();
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Lets a closed pipe end sitrep quietly, as it does `grep` (`sitrep where X | head -1`).
/// Rust ignores SIGPIPE by default, which turns the closed pipe into a panic on `println!`.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
