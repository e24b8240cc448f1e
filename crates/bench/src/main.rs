//! `sitrep-bench`: the benchmarks that print sitrep's performance figures (the README's
//! Performance section), kept out of the shipped binary. They use the crates' public APIs, and
//! run the built `sitrep` (found beside this executable, or given by `--sitrep`) where a figure
//! is about a separate process: `sitrep where` end to end, workers, hostile input.

#[path = "../../cli/src/allocator.rs"]
mod allocator;
mod map;

use std::{
    path::{Path, PathBuf},
    process::{Command, ExitCode},
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use rayon::prelude::*;
use sitrep_gazetteer::{Gazetteer, Query};
use sitrep_geoparse::{recognize, resolve, scan::Scan, Geoparser, Lexicon};
use sitrep_read::{
    intake::{self, DateValue, Document, Intake, Meta, Source},
    Reader,
};
use sitrep_store::{
    ingest::{prepare_all, Ingest, Tally, BATCH},
    Prepared, Store,
};

/// sitrep's benchmarks: each prints the figures the README quotes, with their targets.
#[derive(clap::Parser)]
#[command(version, about)]
struct Cli {
    /// Use this gazetteer index file instead of the one built into sitrep.
    #[arg(long, global = true, env = "SITREP_GAZETTEER", value_name = "PATH")]
    gazetteer: Option<PathBuf>,
    /// The `sitrep` executable to run where a benchmark times separate processes (default: the
    /// one beside this executable, as `cargo build --release -p sitrep-cli` leaves it).
    #[arg(long, global = true, value_name = "PATH")]
    sitrep: Option<PathBuf>,
    #[command(subcommand)]
    bench: Bench,
}

/// The benchmarks.
#[derive(clap::Subcommand)]
enum Bench {
    /// Gazetteer start-up, memory, exact lookup latency and `sitrep where` end to end.
    Gazetteer {
        /// Number of names to look up.
        #[arg(long, default_value_t = 200_000)]
        lookups: usize,
        /// Number of `sitrep where` processes to time.
        #[arg(long, default_value_t = 30)]
        runs: usize,
    },
    /// Geoparser throughput on a corpus (MB/s and documents/s, on one core and on all) and
    /// peak memory.
    Geoparse {
        /// Corpora as JSON lines with a "text" field (the dev corpora:
        /// ../shared/evaldata/geo/*.jsonl).
        #[arg(required = true)]
        corpora: Vec<PathBuf>,
        /// Run each measurement for at least this many seconds.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
    },
    /// The whole reader (places, claims, numbers, dates, checks) on a corpus: MB/s and
    /// documents/s on one core and on all.
    Read {
        /// Corpora as JSON lines with a "text" field (the dev corpora:
        /// ../shared/evaldata/geo/*.jsonl).
        #[arg(required = true)]
        corpora: Vec<PathBuf>,
        /// Run each measurement for at least this many seconds.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
        /// Instead, time documents of each of these sizes in KB (e.g. 10,1024,16384,65536) on
        /// one core: the corpus's articles joined into one text as long as the largest size,
        /// cut into documents of each size in turn; prints how far MB/s spreads (every stage
        /// of the reader should be linear in its input).
        #[arg(long, value_delimiter = ',')]
        sizes: Vec<usize>,
    },
    /// Ingest throughput: reports of about 5 KB each, read and written into a new SQLite
    /// store, in reports/s. Made up and dense with claims (a claim and an event in almost
    /// every sentence) unless `--corpus` gives real news to build them from.
    Ingest {
        /// Number of reports timed.
        #[arg(long, default_value_t = 20_000)]
        reports: usize,
        /// Least size of each report, KB: 5 for news length, 18 for long-form made-up reports
        /// (an ISW assessment); articles are joined whole, so ISW's (12.5 KB on average) with
        /// `--kb 12` make reports of about 18 KB.
        #[arg(long, default_value_t = 5)]
        kb: usize,
        /// Also time the same reports into a store already holding this many others (dated
        /// over two years), and print the rate against the empty store's: ingest speed should
        /// not depend on the store's size.
        #[arg(long, default_value_t = 0)]
        stored: usize,
        /// Days the reports' publication dates spread over (1: every report of one day, as
        /// before this option; 730: two years, as a feed gathers).
        #[arg(long, default_value_t = 730)]
        days: u64,
        /// How the reports are dated over `--days`: `cyclic` gives report n day n modulo
        /// `--days`, so that every batch is dated all over them; `in-order` dates them as a feed
        /// adds them, each day's reports after the days before (the stored reports take the
        /// first days, the timed ones the days after them, so that they merge into the stored
        /// reports of the days just before, as a feed's new reports do).
        #[arg(long, value_enum, default_value_t = Dating::Cyclic)]
        dating: Dating,
        /// News articles as JSON lines with a "text" field (the dev corpora:
        /// ../shared/evaldata/geo/*.jsonl), joined into reports of at least `--kb`; the corpus
        /// is repeated, each copy made distinct, until there are enough.
        #[arg(long)]
        corpus: Vec<PathBuf>,
        /// Keep the store of `--stored` reports here (an SQLite file) and reuse it when it
        /// exists (made by an earlier run with the same `--stored`, `--kb`, `--days`,
        /// `--dating` and `--corpus`), so that two builds compare back to back on the same stored store
        /// without filling it again; each run writes into a copy. A store made by an older
        /// build is migrated when the copy is opened, before the clock starts.
        #[arg(long)]
        store: Option<PathBuf>,
    },
    /// The HTTP API under load on loopback, over a store of `--reports` made-up reports spread
    /// over `--days`: `where` requests/s; `events` near a place and in a box for one week,
    /// latency at `--connections` clients; the first page of `reports`; the server's memory
    /// while 8 clients post the largest geoparse bodies at once; and the longest read while a
    /// client posts reports into the served store. Clients are threads with keep-alive
    /// connections (they share the cores with the server).
    Serve {
        /// Seconds per measurement.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
        /// Concurrent connections for the `events` measurements.
        #[arg(long, default_value_t = 64)]
        connections: usize,
        /// Reports in the store.
        #[arg(long, default_value_t = 100_000)]
        reports: usize,
        /// Days the reports' publication dates spread over.
        #[arg(long, default_value_t = 365)]
        days: u64,
        /// Keep the store here and reuse it when it holds reports already (made by an earlier
        /// run with the same `--reports` and `--days`), so that builds compare back to back
        /// without storing the reports again: an SQLite file (the server is given a copy), or
        /// a `postgres://` URL of a database (created when missing; served as it is, so the
        /// reports the last measurement posts stay in it). Without it an SQLite store is made
        /// in a temporary directory and removed.
        #[arg(long)]
        store: Option<String>,
    },
    /// The control timeline: the reports of `REPORTS` (the 156 ISW assessments,
    /// ../shared/evaldata/war/isw_2022_02_07.jsonl) ingested into a new SQLite store, timeline
    /// included, in seconds; then `GET /api/control?as_of=` for every settlement of a store
    /// with at least `--settlements` (made-up reports of captures, named after the gazetteer's
    /// towns of Ukraine and its neighbours), latency p50 and p99.
    Control {
        /// Reports as JSON lines, dated by `date`.
        reports: PathBuf,
        /// Settlements with a timeline in the store the API is timed on.
        #[arg(long, default_value_t = 5000)]
        settlements: usize,
        /// Seconds of requests.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
    },
    /// End to end through NATS JetStream into PostgreSQL: publishes made-up reports (or
    /// reports built from `--corpus`) to a new stream, runs 1 and then 2 `sitrep worker`
    /// processes into a new database, and prints reports/s for each.
    Workers {
        /// Number of reports.
        #[arg(long, default_value_t = 100_000)]
        reports: usize,
        /// Worker counts to measure.
        #[arg(long, value_delimiter = ',', default_value = "1,2")]
        workers: Vec<usize>,
        /// The NATS server (with JetStream).
        #[arg(long, default_value = "nats://127.0.0.1:4222")]
        nats: String,
        /// The PostgreSQL server; a database is made on it for each run and dropped after.
        #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432")]
        postgres: String,
        /// News articles as JSON lines to build reports from (as `bench ingest --corpus`).
        #[arg(long)]
        corpus: Vec<PathBuf>,
        /// Days the reports' publication dates spread over (as `bench ingest --days`).
        #[arg(long, default_value_t = 730)]
        days: u64,
    },
    /// The web map at scale: a store of `--events` events from news-like reports, then
    /// `/api/events` for one week in one oblast (p99, gzip bytes), and in headless Chromium
    /// (Debian's chromium and chromium-driver) the first meaningful view and the frame times
    /// of a pan and a zoom.
    Map {
        /// Events in the store.
        #[arg(long, default_value_t = 100_000)]
        events: usize,
        /// Seconds of API requests.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
        /// An SQLite store to use and keep (filled first if it holds fewer events than
        /// asked), so that runs after the first skip making it; a temporary one without.
        #[arg(long)]
        db: Option<PathBuf>,
    },
    /// `sitrep geoparse` on hostile input made up on the spot: a 200 MB document and a million
    /// JSON lines, some malformed. Prints time, throughput and the child's peak memory, and
    /// fails if it panics, errs or loses a line.
    Stress {
        /// Size of the one huge document, MB.
        #[arg(long, default_value_t = 200)]
        document_mb: usize,
        /// Number of JSON lines.
        #[arg(long, default_value_t = 1_000_000)]
        lines: usize,
    },
}

fn main() -> ExitCode {
    allocator::configure();
    let cli = <Cli as clap::Parser>::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Opens the gazetteer given by `--gazetteer`/`SITREP_GAZETTEER`, else the built-in one.
fn open_gazetteer(path: Option<&Path>) -> Result<Gazetteer> {
    Ok(match path {
        Some(p) => Gazetteer::open(p)?,
        None => Gazetteer::embedded()?,
    })
}

/// The `sitrep` executable: `--sitrep`, else the one beside this executable.
fn sitrep_exe(given: Option<&Path>) -> Result<PathBuf> {
    let exe = match given {
        Some(p) => p.to_owned(),
        None => std::env::current_exe().context("locating sitrep-bench")?.with_file_name(format!("sitrep{}", std::env::consts::EXE_SUFFIX)),
    };
    if !exe.is_file() {
        bail!("no sitrep executable at {}: build it first (cargo build --release -p sitrep-cli) or give --sitrep", exe.display());
    }
    Ok(exe)
}

/// Runs a benchmark.
fn run(cli: Cli) -> Result<ExitCode> {
    let gaz = open_gazetteer(cli.gazetteer.as_deref())?;
    let (gaz, gazetteer_path, sitrep) = (&gaz, cli.gazetteer.as_deref(), cli.sitrep.as_deref());
    match cli.bench {
        Bench::Gazetteer { lookups, runs } => gazetteer(gaz, gazetteer_path, &sitrep_exe(sitrep)?, lookups, runs),
        Bench::Geoparse { corpora, seconds } => geoparse(gaz, gazetteer_path, sitrep_exe(sitrep).ok().as_deref(), &corpora, seconds),
        Bench::Read { corpora, sizes, .. } if !sizes.is_empty() => read_sizes(gaz, &corpora, &sizes),
        Bench::Read { corpora, seconds, .. } => read(gaz, gazetteer_path, sitrep_exe(sitrep).ok().as_deref(), &corpora, seconds),
        Bench::Ingest { reports, kb, stored, days, dating, corpus, store } => {
            ingest(gaz, reports, kb.max(1), stored, Dates { days, dating, total: stored + reports }, &corpus, store.as_deref())
        }
        Bench::Serve { seconds, connections, reports, days, store } => {
            serve(&sitrep_exe(sitrep)?, gaz, gazetteer_path, seconds, connections, reports, days, store)
        }
        Bench::Workers { reports, workers, nats, postgres, corpus, days } => {
            scale_out(&sitrep_exe(sitrep)?, reports, days, &workers, &nats, &postgres, &corpus)
        }
        Bench::Control { reports, settlements, seconds } => control(gaz_for_server(gazetteer_path)?, &reports, settlements, seconds),
        Bench::Map { events, seconds, db } => map::map(gaz_for_server(gazetteer_path)?, events, seconds, db.as_deref()),
        Bench::Stress { document_mb, lines } => stress(&sitrep_exe(sitrep)?, gazetteer_path, document_mb, lines),
    }
}

/// Processor time the calling thread has used.
fn thread_cpu() -> Duration {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec through the pointer it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// Runs `sitrep SUBCOMMAND --jsonl CORPORA --format jsonl` as a child on one processor and
/// then free to use all, and prints its rates in MB of document text a second: of processor
/// time (what the host's other load does not change) and of wall time, against the library's
/// rate on one core (`library_cpu`, MB/s of processor time) and against itself on one core.
fn command_rates(exe: &Path, gazetteer: Option<&Path>, subcommand: &str, corpora: &[PathBuf], mb: f64, library_cpu: f64) -> Result<()> {
    let mut args: Vec<&str> = gazetteer.and_then(Path::to_str).map(|g| vec!["--gazetteer", g]).unwrap_or_default();
    args.extend([subcommand, "--jsonl", "--format", "jsonl"]);
    args.extend(corpora.iter().filter_map(|p| p.to_str()));
    let one = run_child(exe, &args, true)?;
    let all = run_child(exe, &args, false)?;
    let rate = |d: Duration| mb / d.as_secs_f64();
    println!("the command, `sitrep {subcommand} --jsonl CORPUS --format jsonl` (its output read and counted by this program):");
    println!(
        "  one core:   {:.1} MB/s of processor time, {:.1} MB/s wall; the library on one core {library_cpu:.1} MB/s of processor time: the command at {:.2}x, a gap of {:.0}%   [target >= 0.80x]",
        rate(one.cpu),
        rate(one.elapsed),
        rate(one.cpu) / library_cpu,
        (1.0 - rate(one.cpu) / library_cpu) * 100.0
    );
    println!(
        "  all cores:  {:.1} MB/s wall ({:.2}x the command on one core), peak memory {:.0} MB",
        rate(all.elapsed),
        one.elapsed.as_secs_f64() / all.elapsed.as_secs_f64(),
        all.peak_mb
    );
    Ok(())
}

/// Parses `docs` over and over on the current thread pool until `seconds` have passed;
/// returns (bytes, documents, toponyms, elapsed); on one thread, the elapsed time is that
/// thread's processor time.
fn parse_for(parser: &Geoparser<'_>, docs: &[String], seconds: f64, parallel: bool) -> (usize, usize, usize, Duration) {
    let (started, cpu) = (Instant::now(), thread_cpu());
    let (mut bytes, mut count, mut found) = (0, 0, 0);
    while started.elapsed().as_secs_f64() < seconds {
        found += if parallel {
            docs.par_iter().map_init(Scan::default, |scan, d| parser.parse_with(d, scan).toponyms.len()).sum::<usize>()
        } else {
            let mut scan = Scan::default();
            docs.iter().map(|d| parser.parse_with(d, &mut scan).toponyms.len()).sum()
        };
        bytes += docs.iter().map(String::len).sum::<usize>();
        count += docs.len();
    }
    (bytes, count, found, if parallel { started.elapsed() } else { thread_cpu() - cpu })
}

/// The texts of JSON-lines corpora, held in memory, with a line saying what they are.
fn load_corpus(corpora: &[PathBuf]) -> Result<Vec<String>> {
    let sources: Vec<Source> = corpora.iter().cloned().map(Source::Lines).collect();
    let (mut docs, mut skipped) = (Vec::new(), 0);
    intake::for_each(&sources, |doc| -> Result<()> {
        match doc {
            Ok(doc) => docs.push(doc.text),
            Err(_) => skipped += 1,
        }
        Ok(())
    })?;
    let total: usize = docs.iter().map(String::len).sum();
    if docs.is_empty() {
        bail!("the corpora hold no documents");
    }
    println!(
        "corpus: {} documents, {:.2} MB, {:.1} KB on average{}",
        docs.len(),
        total as f64 / 1e6,
        total as f64 / docs.len() as f64 / 1e3,
        if skipped > 0 { format!(" ({skipped} lines skipped)") } else { String::new() }
    );
    Ok(docs)
}

/// The whole reader on a corpus: MB/s and documents/s on one core and on all.
fn read(gaz: &Gazetteer, gazetteer_path: Option<&Path>, exe: Option<&Path>, corpora: &[PathBuf], seconds: f64) -> Result<ExitCode> {
    let docs = load_corpus(corpora)?;
    let reader = sitrep_read::Reader::new(gaz);
    let reports: Vec<sitrep_read::Report> = docs.iter().map(|d| sitrep_read::Report::text("bench", d)).collect();
    let bytes: usize = docs.iter().map(String::len).sum();
    // On one thread, time is that thread's processor time.
    let run = |parallel: bool| {
        let (started, cpu) = (Instant::now(), thread_cpu());
        let (mut total, mut count, mut claims) = (0usize, 0usize, 0usize);
        while started.elapsed().as_secs_f64() < seconds {
            claims += if parallel {
                reports.par_iter().map(|r| reader.read(r).claims.len()).sum::<usize>()
            } else {
                reports.iter().map(|r| reader.read(r).claims.len()).sum()
            };
            total += bytes;
            count += reports.len();
        }
        let t = if parallel { started.elapsed() } else { thread_cpu() - cpu }.as_secs_f64();
        (total as f64 / 1e6 / t, count as f64 / t, claims as f64 / t)
    };
    let cores = rayon::current_num_threads();
    let (mbps1, docs1, claims1) = run(false);
    println!("one core:   {mbps1:.1} MB/s of processor time, {docs1:.0} documents/s, {claims1:.0} claims/s   [target >= 10 MB/s per core]");
    let (mbpsn, docsn, _) = run(true);
    println!("{cores} cores:    {mbpsn:.1} MB/s, {docsn:.0} documents/s ({:.1} MB/s per core; {:.2}x one core)", mbpsn / cores as f64, mbpsn / mbps1);
    if let Some((rss, hwm)) = memory_mb() {
        println!("memory: resident {rss:.1} MB, peak resident {hwm:.1} MB (corpus held in memory)");
    }
    match exe {
        Some(exe) => command_rates(exe, gazetteer_path, "read", corpora, bytes as f64 / 1e6, mbps1)?,
        None => println!("the command: no sitrep executable found beside this one (build it, or give --sitrep)"),
    }
    Ok(ExitCode::SUCCESS)
}

/// The reader on documents of each size (KB), on one core: the corpus's articles are joined
/// into one text as long as the largest size, and every size reads that same text, cut at
/// paragraph breaks into documents of about that size. So the sizes differ only in how the
/// text is cut, not in what it says, and MB/s per size shows whether a stage of the reader
/// grows faster than its input. Each size is read once to warm up, then timed.
fn read_sizes(gaz: &Gazetteer, corpora: &[PathBuf], sizes_kb: &[usize]) -> Result<ExitCode> {
    let docs = load_corpus(corpora)?;
    if docs.iter().all(|d| d.trim().is_empty()) {
        bail!("the corpus holds no text");
    }
    let largest = sizes_kb.iter().copied().max().unwrap_or(0) * 1024;
    let mut text = String::with_capacity(largest + 64 * 1024);
    for d in docs.iter().filter(|d| !d.trim().is_empty()).cycle() {
        if text.len() >= largest {
            break;
        }
        text.push_str(d);
        text.push_str("\n\n");
    }
    println!("text: {:.1} MB joined from {} articles; every size reads all of it", text.len() as f64 / 1e6, docs.len());
    let reader = sitrep_read::Reader::new(gaz);
    let mut rates = Vec::new();
    for &kb in sizes_kb {
        let pieces = cut_at_paragraphs(&text, kb * 1024);
        let reports: Vec<_> = pieces.iter().map(|piece| sitrep_read::Report::text("bench", piece)).collect();
        std::hint::black_box(reader.read(&reports[0]));
        let started = Instant::now();
        let events: usize = reports.iter().map(|r| reader.read(r).events.len()).sum();
        let seconds = started.elapsed().as_secs_f64();
        let mbps = text.len() as f64 / 1e6 / seconds;
        println!("{kb:>8} KB: {:>6} documents in {seconds:>7.2} s, {mbps:>5.1} MB/s, {events} events", reports.len());
        rates.push(mbps);
    }
    let (slowest, fastest) = rates.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), &r| (lo.min(r), hi.max(r)));
    println!("spread: slowest {slowest:.1} MB/s is {:.0}% below the fastest {fastest:.1}   [target: within 30%]", (1.0 - slowest / fastest) * 100.0);
    Ok(ExitCode::SUCCESS)
}

/// `text` cut into pieces of at least `bytes` each (the last may be shorter), each ending
/// after a paragraph break ("\n\n") where there is one, else at a character boundary.
fn cut_at_paragraphs(text: &str, bytes: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = bytes.max(1).min(rest.len());
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let end = rest[end..].find("\n\n").map_or(rest.len(), |at| end + at + 2);
        let (piece, tail) = rest.split_at(end);
        pieces.push(piece);
        rest = tail;
    }
    pieces
}

/// Where benchmark reports come from: made up, or joined from real news articles; dated over
/// a number of days.
struct Maker {
    /// The articles of a corpus, or none for made-up reports dense with claims and events.
    news: Vec<String>,
    /// How the reports are dated.
    dates: Dates,
}

/// How the benchmark's reports are dated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Dating {
    /// Report n on day n modulo the days: every run of reports spread over all of them.
    Cyclic,
    /// In the order of their numbers, as a feed adds them: `total` reports over the days,
    /// the same number each day.
    InOrder,
}

/// The days of the benchmark's reports: how many, from 2022-01-01, and how reports are given
/// them; `total` is how many reports are made in all (for [`Dating::InOrder`]).
#[derive(Debug, Clone, Copy)]
struct Dates {
    days: u64,
    dating: Dating,
    total: usize,
}

impl Dates {
    /// `days` days, report n on day n modulo `days`.
    fn cyclic(days: u64) -> Dates {
        Dates { days, dating: Dating::Cyclic, total: 0 }
    }

    /// The day (from 0) of report `n`.
    fn day(&self, n: usize) -> u64 {
        let days = self.days.max(1);
        match self.dating {
            Dating::Cyclic => n as u64 % days,
            Dating::InOrder => (n as u64).saturating_mul(days) / (self.total.max(1) as u64),
        }
    }
}

impl Maker {
    /// Made up, or from the articles of `corpus` when one is given.
    fn new(corpus: &[PathBuf], dates: Dates) -> Result<Maker> {
        let news = if corpus.is_empty() { Vec::new() } else { load_corpus(corpus)? };
        if !corpus.is_empty() && news.iter().all(|d| d.trim().is_empty()) {
            bail!("the corpus holds no text");
        }
        Ok(Maker { news, dates })
    }

    /// "made-up" or "news".
    fn kind(&self) -> &'static str {
        if self.news.is_empty() {
            "made-up"
        } else {
            "news"
        }
    }

    /// Report `n` (distinct for every `n`) of at least `bytes`, as a document dated by the
    /// maker's [`Dates`], so that a large store holds events over many dates.
    fn document(&self, n: usize, bytes: usize) -> Document {
        let text = if self.news.is_empty() { made_up_report(n, bytes) } else { news_report(&self.news, n, bytes) };
        let day = NaiveDate::from_ymd_opt(2022, 1, 1).expect("a date") + chrono::Days::new(self.dates.day(n));
        Document { id: format!("r{n}"), text, meta: Meta { published: Some(DateValue::Text(day.to_string())), ..Meta::default() }, warnings: Vec::new() }
    }
}

/// A made-up report of at least `bytes`: sentences of the kinds war reporting has, about towns,
/// sources and numbers that vary with `n`.
fn made_up_report(n: usize, bytes: usize) -> String {
    const TOWNS: [&str; 12] =
        ["Kupiansk", "Izyum", "Bakhmut", "Kherson", "Lyman", "Svatove", "Kreminna", "Avdiivka", "Vuhledar", "Orikhiv", "Balakliya", "Sloviansk"];
    const SOURCES: [&str; 5] = [
        "the General Staff said",
        "Russia's defence ministry said",
        "the regional governor reported",
        "according to the Institute for Conflict Mapping",
        "officials said",
    ];
    let mut text = String::with_capacity(bytes + 200);
    let mut k = n;
    while text.len() < bytes {
        let (town, other) = (TOWNS[k % TOWNS.len()], TOWNS[(k / 3 + 5) % TOWNS.len()]);
        let source = SOURCES[k % SOURCES.len()];
        let sentence = match k % 6 {
            0 => format!("Russian artillery shelled {town} overnight, {source}. "),
            1 => format!("Ukrainian forces advanced up to {} kilometres east of {other} this week, {source}. ", 2 + k % 9),
            2 => format!("More than {} civilians left villages near {town} on Monday, {source}.\n\n", 50 + k % 400),
            3 => format!("Fighting continued along the road between {town} and {other}, and the situation remained difficult, {source}. "),
            4 => format!("{town}, some {} kilometres north of {other}, was hit by two missile strikes, {source}. ", 20 + k % 60),
            _ => format!("Analysts said supply lines to {town} were under pressure as the front moved in late January.\n\n"),
        };
        text.push_str(&sentence);
        k = k.wrapping_mul(31).wrapping_add(7);
    }
    text
}

/// Report `n` of at least `bytes` of real news: articles of `docs` from a place that depends on
/// `n`, joined; repeats of the corpus stand for other outlets' copies (distinct reports telling
/// the same events).
fn news_report(docs: &[String], n: usize, bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 1000);
    let mut next = docs.iter().cycle().skip(n.wrapping_mul(7919) % docs.len());
    while text.len() < bytes {
        text.push_str(next.next().expect("a cycle of a non-empty list never ends"));
        text.push_str("\n\n");
    }
    text.push_str(&format!("(copy {n})"));
    text
}

/// Stores `docs` through the ingest pipeline `sitrep ingest` uses; returns the store, the
/// tally and the seconds taken.
fn ingest_timed(store: Store, reader: &Reader<'_>, docs: impl Iterator<Item = Document>) -> Result<(Store, Tally, f64)> {
    let started = Instant::now();
    let mut pipeline = Ingest::start(store, reader, Intake::default(), |_| ());
    for doc in docs {
        pipeline.push(Ok(doc))?;
    }
    let (store, tally) = pipeline.finish()?;
    if let Some(f) = tally.failures.first() {
        bail!("a report failed: {f}");
    }
    Ok((store, tally, started.elapsed().as_secs_f64()))
}

/// Writes `prepared` (read beforehand) in batches as the pipeline's writer does; returns the
/// seconds taken and the processor seconds of the writing thread: the writer's share of an
/// ingest, apart from the reading it overlaps.
fn write_timed(store: &mut Store, prepared: &[Prepared]) -> Result<(f64, f64)> {
    let (started, cpu) = (Instant::now(), thread_cpu());
    for batch in prepared.chunks(BATCH) {
        for outcome in store.ingest_batch(batch)? {
            outcome?;
        }
    }
    Ok((started.elapsed().as_secs_f64(), (thread_cpu() - cpu).as_secs_f64()))
}

#[allow(clippy::too_many_arguments)] // the benchmark's options, passed through
fn ingest(gaz: &Gazetteer, reports: usize, kb: usize, stored: usize, dates: Dates, corpus: &[PathBuf], kept: Option<&Path>) -> Result<ExitCode> {
    let dir = std::env::temp_dir().join(format!("sitrep-bench-ingest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let result = (|| -> Result<()> {
        let reader = Reader::new(gaz);
        let maker = Maker::new(corpus, dates)?;
        // The timed reports, made before the clock starts; numbered after the stored ones.
        let timed: Vec<Document> = (stored..stored + reports).map(|n| maker.document(n, kb * 1000)).collect();
        let bytes: usize = timed.iter().map(|d| d.text.len()).sum();
        let (store, tally, seconds) = ingest_timed(Store::open_sqlite(&dir.join("empty.db"))?, &reader, timed.iter().cloned())?;
        if tally.reports != reports {
            bail!("only {} of {reports} reports were stored", tally.reports);
        }
        let empty_rate = reports as f64 / seconds;
        // Long-form (an ISW assessment, about 18 KB) by the size of the reports made, which
        // joined articles make larger than `--kb` (ISW's, with `--kb 12`, about 18 KB).
        let long_form = bytes as f64 / reports.max(1) as f64 >= 15_000.0;
        let target = if long_form { "   [target >= 400 reports/s]" } else { "   [target >= 2,000 reports/s]" };
        println!(
            "{reports} {} reports of {:.1} KB on average into an empty store: {seconds:.1} s, {empty_rate:.0} reports/s ({} cores reading, one writer){target}",
            maker.kind(),
            bytes as f64 / reports as f64 / 1e3,
            rayon::current_num_threads()
        );
        let mut store = store;
        let counts = store.counts()?;
        println!(
            "  store: {} reports, {} events ({} new, {} merged), {} tellings, {} claims",
            counts.reports, counts.events, tally.events_new, tally.events_merged, counts.sources, counts.claims
        );
        drop(store);
        // The writer alone, on the same reports read beforehand: what the store's size costs,
        // whatever the reading on a busy machine hides of it.
        let prepared: Vec<Prepared> = prepare_all(&reader, &Intake::default(), timed.iter().cloned().map(Ok).collect())
            .into_iter()
            .map(|item| item.prepared.map(|(p, _)| p).map_err(anyhow::Error::msg))
            .collect::<Result<_>>()?;
        let (empty_secs, empty_cpu) = write_timed(&mut Store::open_sqlite(&dir.join("empty-writes.db"))?, &prepared)?;
        let (empty_write, empty_write_cpu) = (reports as f64 / empty_secs, reports as f64 / empty_cpu);
        println!("  the writer alone (reports read beforehand): {empty_write:.0} reports/s into an empty store ({empty_write_cpu:.0} per processor second)");
        if stored > 0 {
            let full = dir.join("full.db");
            match kept {
                Some(path) if path.exists() => {
                    std::fs::copy(path, &full).with_context(|| format!("copying the kept store {}", path.display()))?;
                    println!("  the store of {stored} reports kept at {}", path.display());
                }
                _ => {
                    let started = Instant::now();
                    let (store, _, _) = ingest_timed(Store::open_sqlite(&full)?, &reader, (0..stored).map(|n| maker.document(n, kb * 1000)))?;
                    drop(store);
                    println!("  filled a second store with {stored} reports in {:.1} s", started.elapsed().as_secs_f64());
                    if let Some(path) = kept {
                        std::fs::copy(&full, path).with_context(|| format!("keeping the store at {}", path.display()))?;
                    }
                }
            }
            let mut store = Store::open_sqlite(&full)?;
            let before = store.counts()?;
            if usize::try_from(before.reports).unwrap_or_default() != stored {
                bail!("the store holds {} reports, not {stored}", before.reports);
            }
            println!("  {} events, {} tellings stored", before.events, before.sources);
            drop(store);
            std::fs::copy(&full, dir.join("full-writes.db"))?;
            let (_, _, seconds) = ingest_timed(Store::open_sqlite(&full)?, &reader, timed.into_iter())?;
            let full_rate = reports as f64 / seconds;
            println!(
                "the same {reports} reports with {stored} already stored: {seconds:.1} s, {full_rate:.0} reports/s: {:.2}x the empty-store rate   [target >= 0.80x]",
                full_rate / empty_rate
            );
            let (full_secs, full_cpu) = write_timed(&mut Store::open_sqlite(&dir.join("full-writes.db"))?, &prepared)?;
            let (full_write, full_write_cpu) = (reports as f64 / full_secs, reports as f64 / full_cpu);
            println!(
                "  the writer alone with {stored} already stored: {full_write:.0} reports/s: {:.2}x its empty-store rate ({full_write_cpu:.0} per processor second: {:.2}x)",
                full_write / empty_write,
                full_write_cpu / empty_write_cpu
            );
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&dir);
    result.map(|()| ExitCode::SUCCESS)
}

fn scale_out(sitrep: &Path, reports: usize, days: u64, worker_counts: &[usize], nats: &str, postgres: &str, corpus: &[PathBuf]) -> Result<ExitCode> {
    let maker = Maker::new(corpus, Dates::cyclic(days))?;
    let messages: Vec<sitrep_read::Report> = (0..reports).map(|n| Ok(Intake::default().document(maker.document(n, 5000))?.report)).collect::<Result<_>>()?;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build()?;
    let mut admin = ::postgres::Client::connect(&format!("{postgres}/postgres"), ::postgres::NoTls).with_context(|| format!("connecting to {postgres}"))?;
    for &n in worker_counts {
        let name = format!("sitrep_bench_{}_{n}", std::process::id());
        let stream = name.to_uppercase();
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
        admin.batch_execute(&format!("CREATE DATABASE {name}"))?;
        let db = format!("{postgres}/{name}");
        let result = (|| -> Result<()> {
            let started = Instant::now();
            runtime.block_on(async {
                let mut publisher = sitrep_queue::Publisher::new(sitrep_queue::connect(nats).await?, &stream).await?;
                for m in &messages {
                    publisher.send(m).await?;
                }
                publisher.finish().await
            })?;
            let published = started.elapsed().as_secs_f64();
            // Migrate once, so that the workers start on equal terms.
            drop(sitrep_store::Store::open(&db)?);
            let (started, children_before) = (Instant::now(), children_cpu_seconds());
            let mut children = (0..n)
                .map(|_| {
                    Command::new(sitrep)
                        .args(["worker", "--nats", nats, "--stream", &stream, "--db", &db, "--exit-when-done"])
                        .stderr(std::process::Stdio::null())
                        .spawn()
                })
                .collect::<std::io::Result<Vec<_>>>()?;
            // While they run, the processor time of the database's backends is read every
            // tenth of a second (a backend's last reading stands when its worker disconnects).
            let backends = Backends::of(&db)?;
            let mut database = BackendTimes(std::collections::HashMap::new());
            loop {
                database.0.extend(backends.cpu_seconds()?.0);
                let mut running = false;
                for c in &mut children {
                    match c.try_wait()? {
                        None => running = true,
                        Some(status) if !status.success() => bail!("a worker failed"),
                        Some(_) => {}
                    }
                }
                if !running {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let seconds = started.elapsed().as_secs_f64();
            let workers_cpu = children_cpu_seconds() - children_before;
            let counts = sitrep_store::Store::open(&db)?.counts()?;
            if counts.reports != reports as i64 {
                bail!("{} of {reports} reports stored", counts.reports);
            }
            println!(
                "{n} worker(s): {reports} reports ({:.1} KB on average) in {seconds:.1} s: {:.0} reports/s end to end (published in {published:.1} s); store: {} events, {} claims",
                messages.iter().map(|m| m.text.len()).sum::<usize>() as f64 / reports as f64 / 1e3,
                reports as f64 / seconds,
                counts.events,
                counts.claims
            );
            // What bounds the rate: processor time per report against the cores there are.
            let per_report = |cpu: f64| cpu * 1e3 / reports as f64;
            let database_cpu = database.total();
            let cores = std::thread::available_parallelism().map_or(1, usize::from);
            println!(
                "  processor time a report: the workers {:.2} ms, PostgreSQL's backends {:.2} ms; at these costs {cores} cores allow at most {:.0} reports/s",
                per_report(workers_cpu),
                per_report(database_cpu),
                cores as f64 * reports as f64 / (workers_cpu + database_cpu)
            );
            Ok(())
        })();
        runtime.block_on(async {
            if let Ok(js) = sitrep_queue::connect(nats).await {
                let _ = js.delete_stream(&stream).await;
            }
        });
        admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))?;
        result?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Creates the PostgreSQL database that `url` names (`postgres://HOST/NAME`) unless it exists.
fn create_database(url: &str) -> Result<()> {
    let (server, name) = url.rsplit_once('/').with_context(|| format!("{url} names no database"))?;
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        bail!("{url}: the database's name should be letters, digits and underscores");
    }
    let mut admin = ::postgres::Client::connect(&format!("{server}/postgres"), ::postgres::NoTls).with_context(|| format!("connecting to {server}"))?;
    if admin.query("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])?.is_empty() {
        admin.batch_execute(&format!("CREATE DATABASE {name}"))?;
    }
    Ok(())
}

/// A gazetteer that lives as long as the process, for a server thread.
fn gaz_for_server(path: Option<&Path>) -> Result<&'static Gazetteer> {
    Ok(Box::leak(Box::new(open_gazetteer(path)?)))
}

/// Sends `GET path` on a keep-alive connection and reads the whole response; returns the
/// status.
fn get(stream: &mut std::net::TcpStream, reader: &mut std::io::BufReader<std::net::TcpStream>, path: &str) -> Result<u16> {
    Ok(get_body(stream, reader, path, false)?.0)
}

/// A GET on a keep-alive connection, asking for gzip when `gzip`: the status and the body as
/// sent (compressed or not), chunked or not.
pub(crate) fn get_body(
    stream: &mut std::net::TcpStream,
    reader: &mut std::io::BufReader<std::net::TcpStream>,
    path: &str,
    gzip: bool,
) -> Result<(u16, Vec<u8>)> {
    use std::io::{BufRead as _, Read as _, Write as _};
    let accept = if gzip { "Accept-Encoding: gzip\r\n" } else { "" };
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {}\r\n{accept}\r\n", stream.peer_addr()?)?;
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status: u16 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).context("a status line")?;
    let (mut length, mut chunked) = (0usize, false);
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            } else if name.eq_ignore_ascii_case("transfer-encoding") && value.trim().eq_ignore_ascii_case("chunked") {
                chunked = true;
            }
        }
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line)?;
            let size = usize::from_str_radix(line.trim(), 16).context("a chunk size")?;
            let mut chunk = vec![0u8; size + 2];
            reader.read_exact(&mut chunk)?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    } else {
        body.resize(length, 0);
        reader.read_exact(&mut body)?;
    }
    Ok((status, body))
}

/// The API over the store at `db`, served on a loopback port by a thread of its own for the
/// rest of the process; returns its address. Reports may be posted with the token "bench".
fn start_server(gaz: &'static Gazetteer, db: &Path) -> Result<std::net::SocketAddr> {
    let state = std::sync::Arc::new(sitrep_serve::AppState::new(gaz, db.to_str(), Some("bench".into()))?);
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    listener.set_nonblocking(true)?;
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("the listener");
            let _ = sitrep_serve::serve(listener, state).await;
        });
    });
    Ok(addr)
}

/// One request on a new connection (`Connection: close`); returns the status.
fn request_once(addr: std::net::SocketAddr, method: &str, path: &str, headers: &str, body: &[u8]) -> Result<u16> {
    use std::io::{Read as _, Write as _};
    let mut stream = std::net::TcpStream::connect(addr)?;
    write!(stream, "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n{headers}\r\n", body.len())?;
    // A server that refuses early may close before the whole body is sent.
    let _ = stream.write_all(body);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let status = String::from_utf8_lossy(&answer[..answer.len().min(32)]).split_whitespace().nth(1).and_then(|s| s.parse().ok());
    status.context("a status line")
}

/// `GET`s of `make(i)` from `connections` keep-alive clients for `seconds`; returns every
/// request's latency, sorted, and the seconds taken. Any answer but 200 is an error.
fn load(addr: std::net::SocketAddr, label: &str, connections: usize, seconds: f64, make: &(dyn Fn(usize) -> String + Sync)) -> Result<(Vec<Duration>, f64)> {
    let started = Instant::now();
    let results: Vec<Result<Vec<Duration>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..connections)
            .map(|c| {
                scope.spawn(move || -> Result<Vec<Duration>> {
                    let mut stream = std::net::TcpStream::connect(addr)?;
                    stream.set_nodelay(true)?;
                    let mut reader = std::io::BufReader::new(stream.try_clone()?);
                    let mut times = Vec::new();
                    let mut i = c;
                    while started.elapsed().as_secs_f64() < seconds {
                        let t = Instant::now();
                        let status = get(&mut stream, &mut reader, &make(i))?;
                        if status != 200 {
                            bail!("{label} answered {status}");
                        }
                        times.push(t.elapsed());
                        i += connections;
                    }
                    Ok(times)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a client panicked")))).collect()
    });
    let mut times: Vec<Duration> = Vec::new();
    for r in results {
        times.extend(r?);
    }
    times.sort_unstable();
    Ok((times, started.elapsed().as_secs_f64()))
}

/// `sitrep serve` running as a child process; stopped when dropped.
struct ServerProcess {
    child: std::process::Child,
    addr: std::net::SocketAddr,
}

impl ServerProcess {
    /// Starts `exe serve` on a free loopback port over `db`, posting allowed with the token
    /// "bench", and waits until it answers.
    fn start(exe: &Path, gazetteer_path: Option<&Path>, db: &str, extra: &[&str]) -> Result<ServerProcess> {
        let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
        let mut command = Command::new(exe);
        if let Some(g) = gazetteer_path {
            command.arg("--gazetteer").arg(g);
        }
        command.args(["serve", "--token", "bench", "--addr", &addr.to_string(), "--db"]).arg(db).args(extra).stdout(std::process::Stdio::null());
        let mut server = ServerProcess { child: command.spawn().context("starting sitrep serve")?, addr };
        let started = Instant::now();
        while request_once(addr, "GET", "/api/health", "", b"").ok() != Some(200) {
            if started.elapsed() > Duration::from_secs(30) || server.child.try_wait()?.is_some() {
                bail!("sitrep serve did not come up on {addr}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(server)
    }

    /// The server's resident memory now and at its peak, in MB (`VmRSS`, `VmHWM`).
    fn memory_mb(&self) -> Option<(f64, f64)> {
        proc_memory_mb(&format!("/proc/{}/status", self.child.id()))
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[allow(clippy::too_many_arguments)] // the benchmark's options, passed through
fn serve(
    exe: &Path,
    gaz: &Gazetteer,
    gazetteer_path: Option<&Path>,
    seconds: f64,
    connections: usize,
    reports: usize,
    days: u64,
    kept: Option<String>,
) -> Result<ExitCode> {
    let dir = std::env::temp_dir().join(format!("sitrep-bench-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let outcome = serve_in(exe, gaz, gazetteer_path, &dir, seconds, connections, reports, days, kept.as_deref());
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}

#[allow(clippy::too_many_arguments)] // the benchmark's options, passed through
fn serve_in(
    exe: &Path,
    gaz: &Gazetteer,
    gazetteer_path: Option<&Path>,
    dir: &Path,
    seconds: f64,
    connections: usize,
    reports: usize,
    days: u64,
    kept: Option<&str>,
) -> Result<ExitCode> {
    let maker = Maker::new(&[], Dates::cyclic(days))?;
    let store_reports = |location: &str| -> Result<()> {
        let (store, tally, secs) = ingest_timed(Store::open(location)?, &Reader::new(gaz), (0..reports).map(|n| maker.document(n, 2000)))?;
        drop(store);
        println!("store: {} made-up reports over {days} days, stored in {secs:.0} s", tally.reports);
        Ok(())
    };
    let copy = dir.join("bench.db");
    let served = match kept {
        Some(url) if sitrep_store::is_postgres_url(url) => {
            create_database(url)?;
            if Store::open(url)?.counts()?.reports == 0 {
                store_reports(url)?;
                // What autovacuum does in time (and not at all where it is off, as on the
                // project's machine): statistics for the planner, visibility for counts.
                ::postgres::Client::connect(url, ::postgres::NoTls)?.batch_execute("VACUUM ANALYZE")?;
            }
            url.to_owned()
        }
        Some(path) if Path::new(path).exists() => {
            // The server is given a copy: the last measurement posts reports into its store.
            std::fs::copy(path, &copy).with_context(|| format!("copying the kept store {path}"))?;
            copy.display().to_string()
        }
        Some(path) => {
            store_reports(path)?;
            std::fs::copy(path, &copy)?;
            copy.display().to_string()
        }
        None => {
            store_reports(&copy.display().to_string())?;
            copy.display().to_string()
        }
    };
    let counts = Store::open(&served)?.counts()?;
    println!(
        "store: {} reports, {} events, {} tellings ({})",
        counts.reports,
        counts.events,
        counts.sources,
        if sitrep_store::is_postgres_url(&served) { "PostgreSQL" } else { "SQLite" }
    );
    // Every figure but the two marked "answers kept" is taken cold: the server keeps no
    // answers between store writes (`--answer-cache-mib 0`), so each request reads the store.
    let server = ServerProcess::start(exe, gazetteer_path, &served, &["--answer-cache-mib", "0"])?;
    println!("figures are cold (the server keeps no answers) except those marked \"answers kept\"");
    let addr = server.addr;
    println!("the server's memory when started: {:.0} MB", server.memory_mb().map_or(0.0, |m| m.0));
    let names = ["Kupiansk", "Izyum", "Kharkiv", "Bakhmut", "Kherson", "Springfield", "Balakliya", "Lyman", "Odesa", "Kreminna"];
    let week = |i: usize| {
        let from = NaiveDate::from_ymd_opt(2022, 1, 1).expect("a date") + chrono::Days::new((i as u64 * 7) % days.max(7));
        (from, from + chrono::Days::new(6))
    };
    let report_line = |label: &str, times: &[Duration], elapsed: f64, clients: usize, target: &str| {
        println!(
            "{label:<22} {:>7.0} requests/s over {clients:>2} connections; latency p50 {:>6.2} ms, p99 {:>6.2} ms{target}",
            times.len() as f64 / elapsed,
            percentile(times, 0.5).as_secs_f64() * 1e3,
            percentile(times, 0.99).as_secs_f64() * 1e3
        );
    };
    // A load and the server's processor time per request over it (user and system), which
    // the clients' share of the cores and other load on the host change much less than rates.
    // On PostgreSQL, the database's own processes serving this store too (its backends, found
    // by database name; on this host only, where their `/proc` entries can be read).
    let backends = sitrep_store::is_postgres_url(&served).then(|| Backends::of(&served)).transpose()?;
    let timed_load_on = |server: &ServerProcess, label: &str, clients: usize, make: &(dyn Fn(usize) -> String + Sync)| -> Result<(Vec<Duration>, f64)> {
        let before = process_cpu_seconds(server.child.id());
        let database_before = backends.as_ref().map(Backends::cpu_seconds).transpose()?;
        let (times, elapsed) = load(server.addr, label, clients, seconds, make)?;
        let per_request = |seconds: f64| seconds * 1e3 / times.len().max(1) as f64;
        if let (Some(a), Some(b)) = (before, process_cpu_seconds(server.child.id())) {
            println!("  the server's processor time: {:.3} ms per request ({label})", per_request(b - a));
        }
        if let (Some(backends), Some(a)) = (&backends, &database_before) {
            println!("  PostgreSQL's processor time: {:.3} ms per request ({label})", per_request(backends.cpu_seconds()?.since(a)));
        }
        Ok((times, elapsed))
    };
    let timed_load = |label: &str, clients: usize, make: &(dyn Fn(usize) -> String + Sync)| timed_load_on(&server, label, clients, make);

    let (times, elapsed) = timed_load("where", 8, &|i| format!("/api/where?name={}&limit=5", names[i % names.len()]))?;
    report_line("where", &times, elapsed, 8, "   [target >= 20,000 requests/s]");
    let near = |i: usize| {
        let (from, to) = week(i);
        format!("/api/events?near={}&radius_km=30&from={from}&to={to}", names[i % names.len()])
    };
    let (times, elapsed) = timed_load("events near, a week", connections, &near)?;
    report_line("events near, one week", &times, elapsed, connections, "   [target p99 < 50 ms]");
    let in_box = |i: usize| {
        let (from, to) = week(i);
        format!("/api/events?bbox=48.5,36.5,50.0,38.5&from={from}&to={to}")
    };
    let (times, elapsed) = timed_load("events in a box", connections, &in_box)?;
    report_line("events in box, one week", &times, elapsed, connections, "   [target p99 < 50 ms]");
    {
        // The same two loads on a server that keeps answers until the store changes (its
        // default): a page asked again costs the store one row read. The first request of
        // each distinct page is worked out; the weeks repeat within the load.
        let kept = ServerProcess::start(exe, gazetteer_path, &served, &[])?;
        let (times, elapsed) = timed_load_on(&kept, "events near, answers kept", connections, &near)?;
        report_line("near, answers kept", &times, elapsed, connections, "   [target p99 < 50 ms]");
        let (times, elapsed) = timed_load_on(&kept, "events in a box, answers kept", connections, &in_box)?;
        report_line("box, answers kept", &times, elapsed, connections, "   [target p99 < 50 ms]");
    }
    println!(
        "the server's memory now: {:.0} MB resident (its own {:.0} MB, the rest the store's mapped pages), peak {:.0} MB",
        server.memory_mb().map_or(0.0, |m| m.0),
        proc_status_mb(&format!("/proc/{}/status", server.child.id()), "RssAnon:").unwrap_or(f64::NAN),
        server.memory_mb().map_or(0.0, |m| m.1)
    );
    let (times, elapsed) = timed_load("reports", 1, &|_| "/api/reports?limit=50".to_owned())?;
    report_line("reports, first page", &times, elapsed, 1, "   [target < 50 ms]");

    // Memory while 8 clients post the largest geoparse bodies at once, over and over.
    let limits = sitrep_serve::Limits::default();
    let body = "Shelling hit Kupiansk and Izyum overnight, officials said. ".repeat(limits.max_open_body_bytes / 60);
    // The server's own memory is its anonymous pages: the store's file, which reading
    // connections map, adds resident pages that are the operating system's file cache (shared,
    // dropped first under pressure), so the peak of `VmHWM` would count the store as well.
    let own_mb = || proc_status_mb(&format!("/proc/{}/status", server.child.id()), "RssAnon:").unwrap_or(f64::NAN);
    let before = own_mb();
    let started = Instant::now();
    let own_peak = std::sync::Mutex::new(before);
    let statuses: Vec<Result<Vec<u16>>> = std::thread::scope(|scope| {
        scope.spawn(|| {
            while started.elapsed().as_secs_f64() < seconds {
                let now = own_mb();
                if let Ok(mut peak) = own_peak.lock() {
                    *peak = peak.max(now);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        let clients: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| -> Result<Vec<u16>> {
                    let mut got = Vec::new();
                    while started.elapsed().as_secs_f64() < seconds {
                        got.push(request_once(addr, "POST", "/api/geoparse", "", body.as_bytes())?);
                    }
                    Ok(got)
                })
            })
            .collect();
        clients.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a client panicked")))).collect()
    });
    let statuses: Vec<u16> = statuses.into_iter().collect::<Result<Vec<_>>>()?.concat();
    let (ok, busy) = (statuses.iter().filter(|s| **s == 200).count(), statuses.iter().filter(|s| **s == 503).count());
    let peak = own_peak.into_inner().unwrap_or(f64::NAN);
    let mapped = proc_status_mb(&format!("/proc/{}/status", server.child.id()), "RssFile:").unwrap_or(f64::NAN);
    println!(
        "geoparse, 8 clients posting {:.1} MB bodies: {ok} answered, {busy} told to retry (503), {} other; the server's own memory {before:.0} MB before, peak {peak:.0} MB   [target < 500 MB]; the store's mapped pages resident besides: {mapped:.0} MB",
        body.len() as f64 / 1e6,
        statuses.len() - ok - busy
    );

    // Reads while a client posts reports into the served store.
    let posted = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::atomic::AtomicBool::new(false);
    let (times, elapsed) = std::thread::scope(|scope| -> Result<(Vec<Duration>, f64)> {
        let writer = scope.spawn(|| -> Result<()> {
            let mut n = reports;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                let doc = maker.document(n, 2000);
                let published = match &doc.meta.published {
                    Some(DateValue::Text(day)) => day.clone(),
                    _ => String::new(),
                };
                // Ids of this run's own, so that a kept store takes them as new reports.
                let path = format!("/api/reports?id=posted-{}-{n}&published={published}", std::process::id());
                let status = request_once(addr, "POST", &path, "Authorization: Bearer bench\r\n", doc.text.as_bytes())?;
                if status != 200 {
                    bail!("posting a report answered {status}");
                }
                posted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                n += 1;
            }
            Ok(())
        });
        let read = load(addr, "events while ingesting", 8, seconds, &near);
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        writer.join().unwrap_or_else(|_| Err(anyhow::anyhow!("the writer panicked")))?;
        read
    })?;
    report_line("events while ingesting", &times, elapsed, 8, "");
    let posted = posted.into_inner();
    println!(
        "  {posted} reports posted meanwhile ({:.0}/s); the longest read took {:.1} ms   [target < 100 ms]",
        posted as f64 / elapsed,
        times.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );
    Ok(ExitCode::SUCCESS)
}

fn control(gaz: &'static Gazetteer, reports: &Path, settlements: usize, seconds: f64) -> Result<ExitCode> {
    let dir = std::env::temp_dir().join(format!("sitrep-bench-control-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let outcome = control_in(gaz, &dir, reports, settlements, seconds);
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}

fn control_in(gaz: &'static Gazetteer, dir: &Path, reports: &Path, settlements: usize, seconds: f64) -> Result<ExitCode> {
    // 1. The real reports, read and stored with their timeline, as `sitrep ingest` does it.
    let mut docs = Vec::new();
    intake::for_each(&intake::sources(&[reports.to_owned()], true)?, |d| -> Result<()> {
        docs.push(d?);
        Ok(())
    })?;
    let count = docs.len();
    let reader = Reader::new(gaz);
    let (mut store, _, secs) = ingest_timed(Store::open_sqlite(&dir.join("reports.db"))?, &reader, docs.into_iter())?;
    let (places, changes) = store.control_counts()?;
    println!("control timeline for {count} reports (read, stored, timeline rebuilt per batch): {secs:.2} s; {places} settlements, {changes} changes   [target < 10 s]");
    drop(store);

    // 2. A store with many settlements, written by the same path: the reading of one capture
    // report, its settlement swapped for each of the gazetteer's towns of Ukraine and its
    // neighbours in turn (the reader cannot be made to name thousands of villages apart).
    let template = reader.read(&sitrep_read::Report {
        id: "template".into(),
        published: NaiveDate::from_ymd_opt(2022, 3, 4),
        text: "Russian forces captured Izium on March 3.".into(),
        ..sitrep_read::Report::default()
    });
    if template.control.len() != 1 {
        bail!("the template report gave {} control statements, not 1", template.control.len());
    }
    let towns: Vec<sitrep_gazetteer::Place<'_>> = gaz
        .places()
        .filter(|p| p.feature() == sitrep_gazetteer::Feature::City && ["UA", "RU", "BY", "PL", "MD", "RO"].contains(&p.country_code()))
        .take(settlements)
        .collect();
    let db = dir.join("settlements.db");
    let mut store = Store::open_sqlite(&db)?;
    let started = Instant::now();
    for (n, chunk) in towns.chunks(sitrep_store::ingest::BATCH).enumerate() {
        let batch: Vec<sitrep_store::Prepared> = chunk
            .iter()
            .enumerate()
            .map(|(k, town)| {
                let mut reading = template.clone();
                // Towns of one name are told apart by the report's number (its content key).
                let text = format!("Russian forces captured {} on March 3. Report {n}-{k}.", town.name());
                reading.id = format!("made-up-{n}-{k}");
                let statement = &mut reading.control[0];
                statement.place.id = town.id();
                statement.place.name = town.name().to_owned();
                statement.place.lat = town.point().lat;
                statement.place.lon = town.point().lon;
                statement.end = text.chars().count() - format!(" Report {n}-{k}.").len();
                Ok(sitrep_store::Prepared::new(text, reading)?)
            })
            .collect::<Result<_>>()?;
        for outcome in store.ingest_batch(&batch)? {
            outcome?;
        }
    }
    let stored = usize::try_from(store.control_counts()?.0).unwrap_or_default();
    println!("made a store with {stored} settlements in {:.1} s", started.elapsed().as_secs_f64());
    if stored < settlements {
        bail!("only {stored} settlements could be made (wanted {settlements})");
    }
    // The store's part of the answer, alone.
    let q = sitrep_store::timeline::ControlQuery { as_of: NaiveDate::from_ymd_opt(2022, 3, 5), ..Default::default() };
    let mut store_times = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let found = store.control_states(&q)?;
        let query = t.elapsed();
        let json = serde_json::to_vec(&found)?;
        store_times.push((query, t.elapsed() - query, json.len()));
    }
    store_times.sort_unstable();
    let (query, json, bytes) = store_times[store_times.len() / 2];
    println!("the store's query: {:.2} ms, its JSON ({bytes} bytes): {:.2} ms (medians)", query.as_secs_f64() * 1e3, json.as_secs_f64() * 1e3);
    drop(store);

    // 3. The API on it: the state of all of Ukraine on a day, one request at a time.
    let addr = start_server(gaz, &db)?;
    let mut stream = std::net::TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    let mut reader = std::io::BufReader::new(stream.try_clone()?);
    let mut times = Vec::new();
    let started = Instant::now();
    let mut i = 0;
    while started.elapsed().as_secs_f64() < seconds {
        let path = format!("/api/control?as_of=2022-03-{:02}", 1 + i % 30);
        let t = Instant::now();
        let status = get(&mut stream, &mut reader, &path)?;
        if status != 200 {
            bail!("{path} answered {status}");
        }
        times.push(t.elapsed());
        i += 1;
    }
    times.sort_unstable();
    println!(
        "GET /api/control?as_of= (every settlement in the store, {stored}): {} requests, latency p50 {:.2} ms, p99 {:.2} ms   [target p99 < 50 ms]",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3
    );
    Ok(ExitCode::SUCCESS)
}

fn geoparse(gaz: &Gazetteer, gazetteer_path: Option<&Path>, exe: Option<&Path>, corpora: &[PathBuf], seconds: f64) -> Result<ExitCode> {
    let docs = load_corpus(corpora)?;
    let started = Instant::now();
    let parser = Geoparser::new(gaz);
    println!("geoparser ready in {:.1} ms", started.elapsed().as_secs_f64() * 1e3);
    let cores = rayon::current_num_threads();
    let (b1, d1, found, t1) = parse_for(&parser, &docs, seconds, false);
    let mbps1 = b1 as f64 / 1e6 / t1.as_secs_f64();
    println!(
        "one core:   {mbps1:.1} MB/s of processor time, {:.0} documents/s, {:.0} toponyms/s   [target >= 50 MB/s per core]",
        d1 as f64 / t1.as_secs_f64(),
        found as f64 / t1.as_secs_f64()
    );
    // Where the time goes: the three stages run one after the other on each document, timed
    // apart (the clock is read four times per document, a few hundred nanoseconds in some
    // sixty microseconds).
    let lexicon = Lexicon::new();
    let (mut scan, mut stages, mut passes, started) = (Scan::default(), [Duration::ZERO; 3], 0usize, Instant::now());
    while started.elapsed().as_secs_f64() < seconds / 2.0 {
        for d in &docs {
            let t0 = Instant::now();
            scan.fill(d);
            let t1 = Instant::now();
            let (mentions, _) = recognize::recognize(gaz, &lexicon, &scan, None);
            let t2 = Instant::now();
            std::hint::black_box(resolve::resolve(gaz, &scan, &mentions, None));
            let t3 = Instant::now();
            for (stage, (from, to)) in stages.iter_mut().zip([(t0, t1), (t1, t2), (t2, t3)]) {
                *stage += to - from;
            }
        }
        passes += 1;
    }
    let [scanning, recognition, resolution] = stages.map(|d| d.as_secs_f64() * 1e3 / passes as f64);
    let corpus_mb = docs.iter().map(String::len).sum::<usize>() as f64 / 1e6;
    println!(
        "  per pass over the corpus: scanning {scanning:.1} ms ({:.0} MB/s), recognition {recognition:.1} ms, resolution {resolution:.1} ms",
        corpus_mb / scanning * 1e3
    );
    let (bn, dn, _, tn) = parse_for(&parser, &docs, seconds, true);
    let mbpsn = bn as f64 / 1e6 / tn.as_secs_f64();
    println!(
        "{cores} cores:    {mbpsn:.1} MB/s, {:.0} documents/s ({:.1} MB/s per core; {:.2}x one core)",
        dn as f64 / tn.as_secs_f64(),
        mbpsn / cores as f64,
        mbpsn / mbps1
    );
    if let Some((rss, hwm)) = memory_mb() {
        println!("memory: resident {rss:.1} MB, peak resident {hwm:.1} MB (corpus held in memory)");
    }
    match exe {
        Some(exe) => command_rates(exe, gazetteer_path, "geoparse", corpora, corpus_mb, mbps1)?,
        None => println!("the command: no sitrep executable found beside this one (build it, or give --sitrep)"),
    }
    Ok(ExitCode::SUCCESS)
}

/// What a child `sitrep` printed, counted as it streamed by, and what it cost.
struct ChildRun {
    elapsed: Duration,
    /// Processor time the child used, user and system, on all its threads.
    cpu: Duration,
    /// Lines on standard output.
    lines: usize,
    /// Toponyms in its JSON output (occurrences of `"start"` outside demonym lists are not
    /// told apart; both count spans).
    spans: usize,
    stderr: String,
    /// Peak resident memory of the child alone, MB.
    peak_mb: f64,
}

/// Runs `exe args` (on one processor with `one_core`), reading its output as it comes (the
/// parent keeps none of it, so the child's memory is its own), and waits for it with `wait4`
/// to read its peak memory and processor time.
fn run_child(exe: &Path, args: &[&str], one_core: bool) -> Result<ChildRun> {
    use std::{io::Read as _, os::unix::process::CommandExt as _};
    let started = Instant::now();
    let mut command = Command::new(exe);
    command.args(args).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    if one_core {
        // SAFETY: between fork and exec the closure only makes two system calls on a local
        // CPU set: it keeps the first processor this process may run on, and no other.
        unsafe {
            command.pre_exec(|| {
                let mut set: libc::cpu_set_t = std::mem::zeroed();
                let size = std::mem::size_of::<libc::cpu_set_t>();
                if libc::sched_getaffinity(0, size, &mut set) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                let first = (0..libc::CPU_SETSIZE as usize).find(|&c| libc::CPU_ISSET(c, &set)).unwrap_or(0);
                libc::CPU_ZERO(&mut set);
                libc::CPU_SET(first, &mut set);
                if libc::sched_setaffinity(0, size, &set) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
    }
    let mut child = command.spawn().context("starting sitrep")?;
    let mut stderr = child.stderr.take().context("child stderr")?;
    let errors = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    // Count in fixed-size chunks, carrying the last bytes of each into the next so that a
    // pattern split between chunks is still seen; one line may be gigabytes long.
    const PATTERN: &[u8] = b"\"start\"";
    let (mut lines, mut spans) = (0, 0);
    let mut stdout = child.stdout.take().context("child stdout")?;
    let mut buf = vec![0u8; 1 << 20];
    let mut carry = 0;
    loop {
        let n = stdout.read(&mut buf[carry..])?;
        if n == 0 {
            break;
        }
        let filled = carry + n;
        lines += buf[carry..filled].iter().filter(|&&b| b == b'\n').count();
        spans += buf[..filled].windows(PATTERN.len()).filter(|w| *w == PATTERN).count();
        carry = (PATTERN.len() - 1).min(filled);
        buf.copy_within(filled - carry..filled, 0);
    }
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: wait4 writes the exit status and a complete rusage into the pointers it is given.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, usage.as_mut_ptr()) };
    if pid <= 0 {
        bail!("waiting for sitrep failed");
    }
    // SAFETY: initialised by the successful wait4 above (and zeroed before it).
    let usage = unsafe { usage.assume_init() };
    let peak_mb = usage.ru_maxrss as f64 / 1024.0;
    let seconds = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    let cpu = seconds(usage.ru_utime) + seconds(usage.ru_stime);
    let stderr = errors.join().unwrap_or_default();
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        bail!("sitrep {} failed: {stderr}", args.join(" "));
    }
    Ok(ChildRun { elapsed: started.elapsed(), cpu, lines, spans, stderr, peak_mb })
}

fn stress(exe: &Path, gazetteer_path: Option<&Path>, document_mb: usize, lines: usize) -> Result<ExitCode> {
    let dir = std::env::temp_dir().join(format!("sitrep-stress-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let result = stress_in(exe, &dir, gazetteer_path, document_mb, lines);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn stress_in(exe: &Path, dir: &Path, gazetteer_path: Option<&Path>, document_mb: usize, lines: usize) -> Result<ExitCode> {
    use std::io::Write as _;
    let gazetteer = gazetteer_path.map(|p| p.to_string_lossy().into_owned());
    let run = |args: &[&str]| -> Result<ChildRun> {
        let mut all: Vec<&str> = gazetteer.as_deref().map(|g| vec!["--gazetteer", g]).unwrap_or_default();
        all.extend_from_slice(args);
        run_child(exe, &all, false)
    };

    // One huge document: news-like sentences, with some invalid UTF-8 and control bytes.
    let huge = dir.join("huge.txt");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&huge)?);
        let sentences: [&[u8]; 4] = [
            b"Russian forces shelled Kupiansk and villages near Izyum on Saturday, officials said. ",
            b"The Kharkiv region governor reported fighting along the Oskil River.\n",
            b"Broken bytes \xff\xfe and a control \x07 character in the middle of a line. ",
            b"Mr Konashenkov said troops were regrouped to the Donetsk region.\n",
        ];
        let mut written = 0;
        let mut k = 0;
        while written < document_mb << 20 {
            f.write_all(sentences[k % 4])?;
            written += sentences[k % 4].len();
            k += 1;
        }
        f.flush()?;
    }
    let r = run(&["geoparse", "--format", "jsonl", huge.to_str().unwrap_or_default()])?;
    println!(
        "{document_mb} MB document: {:.1} s ({:.1} MB/s end to end), {} toponyms and demonyms, child peak memory {:.0} MB; warned: {}",
        r.elapsed.as_secs_f64(),
        document_mb as f64 * 1.048576 / r.elapsed.as_secs_f64(),
        r.spans,
        r.peak_mb,
        r.stderr.lines().next().unwrap_or("(nothing)")
    );

    // A million JSON lines, every 1000th malformed in a different way.
    let jsonl = dir.join("many.jsonl");
    let mut malformed = 0;
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&jsonl)?);
        for n in 0..lines {
            match n % 1000 {
                999 => {
                    malformed += 1;
                    match (n / 1000) % 3 {
                        0 => f.write_all(b"{\"id\": \"truncated\", \"text\": \"Kupi")?,
                        1 => f.write_all(b"\xff\xfe not json at all")?,
                        _ => f.write_all(b"{\"id\": 7}")?,
                    }
                    f.write_all(b"\n")?;
                }
                _ => writeln!(f, "{{\"id\":\"r{n}\",\"text\":\"Shelling hit Kupiansk and Izyum overnight, report {n} said.\"}}")?,
            }
        }
        f.flush()?;
    }
    let r = run(&["geoparse", "--jsonl", "--format", "jsonl", jsonl.to_str().unwrap_or_default()])?;
    let (documents, warnings) = (r.lines, r.stderr.lines().filter(|l| l.starts_with("warning:")).count());
    println!(
        "{lines} JSON lines: {:.1} s ({:.0} documents/s end to end), {documents} documents out, {warnings} malformed lines reported (of {malformed}), child peak memory {:.0} MB",
        r.elapsed.as_secs_f64(),
        documents as f64 / r.elapsed.as_secs_f64(),
        r.peak_mb
    );
    if documents != lines - malformed || warnings != malformed {
        bail!("lost lines: {documents} documents and {warnings} warnings for {lines} lines, {malformed} malformed");
    }
    Ok(ExitCode::SUCCESS)
}

/// Percentile of sorted durations.
fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// `VmRSS` and `VmHWM` of this process, in MB (Linux only; None elsewhere).
fn memory_mb() -> Option<(f64, f64)> {
    proc_memory_mb("/proc/self/status")
}

/// `VmRSS` and `VmHWM` from a /proc status file, in MB.
fn proc_memory_mb(status_file: &str) -> Option<(f64, f64)> {
    Some((proc_status_mb(status_file, "VmRSS:")?, proc_status_mb(status_file, "VmHWM:")?))
}

/// Processor time (user and system) a process has used so far, in seconds, from
/// `/proc/PID/stat`.
fn process_cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command's name (which may hold spaces) in parentheses; utime and
    // stime are the 14th and 15th of the line, the 12th and 13th after the name.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace().skip(11);
    let ticks: f64 = fields.next()?.parse::<f64>().ok()? + fields.next()?.parse::<f64>().ok()?;
    // SAFETY: sysconf only reads a configuration value.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    (per_second > 0).then(|| ticks / per_second as f64)
}

/// Processor time (user and system) of the child processes this process has waited for, in
/// seconds.
fn children_cpu_seconds() -> f64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a complete rusage into the pointer it is given (zeroed before).
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr());
        usage.assume_init()
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// The PostgreSQL backends serving one database, for their processor time.
struct Backends {
    admin: std::cell::RefCell<::postgres::Client>,
    database: String,
}

/// Processor seconds by backend process.
struct BackendTimes(std::collections::HashMap<u32, f64>);

impl BackendTimes {
    /// Processor seconds spent since `earlier` by the backends alive now (one that started
    /// since counts whole; one that ended since is not seen).
    fn since(&self, earlier: &BackendTimes) -> f64 {
        self.0.iter().map(|(pid, t)| t - earlier.0.get(pid).copied().unwrap_or(0.0)).sum()
    }

    /// Processor seconds of every backend read, over its whole life.
    fn total(&self) -> f64 {
        self.0.values().sum()
    }
}

impl Backends {
    fn of(url: &str) -> Result<Backends> {
        let (server, database) = url.rsplit_once('/').with_context(|| format!("{url} names no database"))?;
        let admin = ::postgres::Client::connect(&format!("{server}/postgres"), ::postgres::NoTls).with_context(|| format!("connecting to {server}"))?;
        Ok(Backends { admin: std::cell::RefCell::new(admin), database: database.to_owned() })
    }

    fn cpu_seconds(&self) -> Result<BackendTimes> {
        let rows = self.admin.borrow_mut().query("SELECT pid FROM pg_stat_activity WHERE datname = $1", &[&self.database])?;
        Ok(BackendTimes(rows.iter().filter_map(|r| u32::try_from(r.get::<_, i32>(0)).ok()).filter_map(|pid| Some((pid, process_cpu_seconds(pid)?))).collect()))
    }
}

/// One memory field (`VmRSS:`, `RssAnon:`, ...) of a `/proc/PID/status` file, in MB.
fn proc_status_mb(status_file: &str, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(status_file).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn gazetteer(gaz: &Gazetteer, gazetteer_path: Option<&Path>, exe: &Path, lookups: usize, runs: usize) -> Result<ExitCode> {
    // Start-up: open a second instance the way a fresh process does, then one lookup.
    let started = Instant::now();
    let fresh = open_gazetteer(gazetteer_path)?;
    let mut buf = String::new();
    let found = fresh.lookup("Kupiansk", &mut buf).count();
    let ready = started.elapsed();
    if found == 0 {
        bail!("the gazetteer does not know Kupiansk; is it the full index?");
    }
    println!("gazetteer: {} places, source {}", gaz.len(), gazetteer_path.map_or("built-in".into(), |p| p.display().to_string()));
    println!("ready (open + first lookup): {:.2} ms   [target < 100 ms]", ready.as_secs_f64() * 1e3);

    // Exact lookups of real names: every k-th place's preferred name, folded per call. The
    // first pass touches index pages for the first time (page faults); the second is steady state.
    let step = (gaz.len() / lookups.max(1)).max(1);
    let names: Vec<&str> = gaz.places().step_by(step).map(|p| p.name()).take(lookups).collect();
    for pass in ["cold", "warm"] {
        let mut times = Vec::with_capacity(names.len());
        let mut total_hits = 0usize;
        for name in &names {
            let t = Instant::now();
            total_hits += gaz.lookup(name, &mut buf).count();
            times.push(t.elapsed());
        }
        times.sort_unstable();
        println!(
            "exact lookup, {pass} ({} names, {:.1} hits each): p50 {} ns, p99 {} ns, max {} µs   [target p99 < 1000 ns]",
            names.len(),
            total_hits as f64 / names.len().max(1) as f64,
            percentile(&times, 0.5).as_nanos(),
            percentile(&times, 0.99).as_nanos(),
            times.last().copied().unwrap_or_default().as_micros()
        );
    }

    // Where the time goes: folding alone, and the key map alone on pre-folded keys.
    let keys: Vec<String> = names
        .iter()
        .map(|n| {
            let mut k = String::new();
            sitrep_text::fold(n, &mut k);
            k
        })
        .collect();
    let mut fold_times = Vec::with_capacity(names.len());
    let mut key_times = Vec::with_capacity(names.len());
    let mut sink = 0usize;
    for (name, key) in names.iter().zip(&keys) {
        let t = Instant::now();
        buf.clear();
        sitrep_text::fold(name, &mut buf);
        fold_times.push(t.elapsed());
        sink += buf.len();
        let t = Instant::now();
        sink += gaz.lookup_key(key).count();
        key_times.push(t.elapsed());
    }
    fold_times.sort_unstable();
    key_times.sort_unstable();
    println!(
        "  of which folding: p50 {} ns, p99 {} ns; key map: p50 {} ns, p99 {} ns ({sink})",
        percentile(&fold_times, 0.5).as_nanos(),
        percentile(&fold_times, 0.99).as_nanos(),
        percentile(&key_times, 0.5).as_nanos(),
        percentile(&key_times, 0.99).as_nanos()
    );

    // Ranked search, in process.
    let queries = ["Kupiansk", "Izyum", "Balakliya", "Kharkiv region", "Donbas", "Springfield", "Kupjansk"];
    let mut times = Vec::new();
    for _ in 0..200 {
        for q in queries {
            let t = Instant::now();
            let _ = gaz.search(&Query { name: q, limit: 5, ..Query::default() })?;
            times.push(t.elapsed());
        }
    }
    times.sort_unstable();
    println!(
        "ranked search ({} queries incl. fuzzy): p50 {:.1} µs, p99 {:.1} µs",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e6,
        percentile(&times, 0.99).as_secs_f64() * 1e6
    );

    if let Some((rss, hwm)) = memory_mb() {
        println!("memory: resident {rss:.1} MB, peak resident {hwm:.1} MB   [target < 300 MB]");
    }

    // End to end: separate processes.
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let mut cmd = Command::new(exe);
        if let Some(p) = gazetteer_path {
            cmd.arg("--gazetteer").arg(p);
        }
        let t = Instant::now();
        let out = cmd.args(["where", "Kupiansk"]).output().context("running sitrep where")?;
        times.push(t.elapsed());
        if !out.status.success() {
            bail!("sitrep where Kupiansk failed: {}", String::from_utf8_lossy(&out.stderr));
        }
    }
    times.sort_unstable();
    println!(
        "`sitrep where Kupiansk` end to end ({runs} runs): p50 {:.1} ms, p99 {:.1} ms   [target < 50 ms]",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::{cut_at_paragraphs, Dates, Dating};

    #[test]
    fn reports_in_order_fill_the_days_evenly_and_cyclic_ones_wrap() {
        let in_order = Dates { days: 730, dating: Dating::InOrder, total: 120_000 };
        let days: Vec<u64> = (0..120_000).map(|n| in_order.day(n)).collect();
        assert!(days.windows(2).all(|w| w[0] <= w[1]), "never an earlier day after a later one");
        assert_eq!((days[0], days[119_999]), (0, 729));
        let per_day = days.iter().filter(|&&d| d == 365).count();
        assert!((164..=165).contains(&per_day), "{per_day} reports on one day");
        // The stored reports (the first 100,000) end before the timed ones begin.
        assert!(days[99_999] <= days[100_000] && days[100_000] >= 608);
        let cyclic = Dates::cyclic(730);
        assert_eq!((cyclic.day(729), cyclic.day(730), cyclic.day(731)), (729, 0, 1));
    }

    #[test]
    fn cutting_at_paragraphs_keeps_every_byte_and_each_piece_long_enough() {
        let text = "First para here.\n\nSecond one, a bit longer.\n\nThird.\n\nÉtape quatre sans fin";
        for bytes in [1, 5, 17, 18, 40, 1000] {
            let pieces = cut_at_paragraphs(text, bytes);
            assert_eq!(pieces.concat(), text, "cut at {bytes}");
            let (last, whole) = pieces.split_last().unwrap();
            for piece in whole {
                assert!(piece.len() >= bytes && piece.ends_with("\n\n"), "{piece:?} at {bytes}");
            }
            assert!(!last.is_empty());
        }
        assert_eq!(cut_at_paragraphs(text, 1000), [text]);
        assert!(cut_at_paragraphs("", 10).is_empty());
    }
}
