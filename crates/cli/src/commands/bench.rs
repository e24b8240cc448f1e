//! `sitrep bench ...`: benchmarks that print the figures the issues set targets for.

use std::{
    path::Path,
    process::{Command, ExitCode},
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};
use sitrep_gazetteer::{Gazetteer, Query};

/// The benchmarks.
#[derive(clap::Subcommand)]
pub enum Bench {
    /// Gazetteer start-up, memory, exact lookup latency and `sitrep where` end to end.
    Gazetteer {
        /// Number of names to look up.
        #[arg(long, default_value_t = 200_000)]
        lookups: usize,
        /// Number of `sitrep where` processes to time.
        #[arg(long, default_value_t = 30)]
        runs: usize,
    },
}

/// Runs a benchmark.
pub fn run(gaz: &Gazetteer, gazetteer_path: Option<&Path>, bench: Bench) -> Result<ExitCode> {
    match bench {
        Bench::Gazetteer { lookups, runs } => gazetteer(gaz, gazetteer_path, lookups, runs),
    }
}

/// Percentile of sorted durations.
fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// `VmRSS` and `VmHWM` from /proc/self/status, in MB (Linux only; None elsewhere).
pub fn memory_mb() -> Option<(f64, f64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

fn gazetteer(gaz: &Gazetteer, gazetteer_path: Option<&Path>, lookups: usize, runs: usize) -> Result<ExitCode> {
    // Start-up: open a second instance the way a fresh process does, then one lookup.
    let started = Instant::now();
    let fresh = super::open_gazetteer(gazetteer_path)?;
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
    let keys: Vec<String> = names.iter().map(|n| { let mut k = String::new(); sitrep_text::fold(n, &mut k); k }).collect();
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
    let exe = std::env::current_exe().context("locating the sitrep executable")?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let mut cmd = Command::new(&exe);
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
