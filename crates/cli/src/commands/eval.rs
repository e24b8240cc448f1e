//! `sitrep eval ...`: measured quality of each extraction stage on annotated corpora.

use std::{fs::File, io::BufReader, path::PathBuf, process::ExitCode};

use anyhow::{Context, Result};
use sitrep_gazetteer::Gazetteer;

/// The evaluations.
#[derive(clap::Subcommand)]
pub enum Eval {
    /// Toponym recognition and resolution: precision, recall, F1, accuracy@161km, AUC.
    Geoparse {
        /// Gold corpora as JSON lines (see ../shared/evaldata/README.md for the format).
        #[arg(required = true)]
        corpora: Vec<PathBuf>,
        /// Also print every miss, false positive and wrong pick.
        #[arg(long)]
        errors: bool,
    },
    /// The reader on the reference report: found, missed and wrong against the project's
    /// expected reading of it, table by table.
    Read {
        /// The reference report (../shared/seeds/kharkiv-counteroffensive-2022-09-10.txt).
        report: PathBuf,
        /// Also print every miss and wrong reading.
        #[arg(long)]
        errors: bool,
        /// Exit with failure when any expected item is missed or read wrong (CI's check).
        #[arg(long)]
        strict: bool,
    },
    /// The reader on coded war events: event place within 10 km of the coder's, and
    /// claimant agreement with the dataset's original source.
    Events {
        /// Coded events as JSON lines (../shared/evaldata/war/ucdp_ukraine_2023.jsonl).
        #[arg(required = true)]
        corpora: Vec<PathBuf>,
        /// Also print every record whose place is off or whose claimant disagrees.
        #[arg(long)]
        errors: bool,
        #[command(flatten)]
        theatre: super::TheatreArgs,
    },
    /// The reader's events against the project's own gold for long-form reports
    /// (docs/event-annotation-guide.md): precision, recall, per-field agreement.
    EventsGold {
        /// The gold (crates/eval/gold/isw-events.jsonl).
        gold: PathBuf,
        /// The reports it annotates (../shared/evaldata/war/isw_2022_02_07.jsonl).
        reports: PathBuf,
        /// Also print every false positive, miss and field disagreement, by class.
        #[arg(long)]
        errors: bool,
        #[command(flatten)]
        theatre: super::TheatreArgs,
    },
    /// The control timeline against settlement-level ground truth: recall (all, on settlements
    /// the reports name, on those named near the change), precision, median date error;
    /// strict and on all records; the baseline (events as changes) first.
    Control {
        /// Reports as JSON lines, dated by `date` (../shared/evaldata/war/isw_2022_02_07.jsonl).
        reports: PathBuf,
        /// Ground-truth changes as JSON lines (../shared/evaldata/war/control_2022_02_07.jsonl).
        truth: PathBuf,
        /// Also print the error classes and every missed and unsupported change with its evidence.
        #[arg(long)]
        errors: bool,
        #[command(flatten)]
        theatre: super::TheatreArgs,
    },
    /// Coded war events: is the coder's event place among the places found in the report's
    /// text (within 10, 50, 161 km)?
    Places {
        /// Coded events as JSON lines (../shared/evaldata/war/ucdp_ukraine_2023.jsonl).
        #[arg(required = true)]
        corpora: Vec<PathBuf>,
        /// Also print every record whose nearest found place is far from the coder's.
        #[arg(long)]
        errors: bool,
        /// The highest theatre level to score (each level below it is scored too).
        #[command(flatten)]
        theatre: super::TheatreArgs,
    },
}

/// Evaluates each corpus file in turn with `evaluate` and prints what it returns.
fn each_corpus(corpora: &[PathBuf], evaluate: impl Fn(&str, BufReader<File>) -> Result<String>) -> Result<ExitCode> {
    for path in corpora {
        let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        print!("{}", evaluate(&file_name(path), BufReader::new(file))?);
    }
    Ok(ExitCode::SUCCESS)
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Runs an evaluation.
pub fn run(gaz: &Gazetteer, eval: Eval) -> Result<ExitCode> {
    match eval {
        Eval::Read { report, errors, strict } => {
            let text = std::fs::read_to_string(&report).with_context(|| format!("cannot read {}", report.display()))?;
            let outcome = sitrep_eval::read::evaluate(gaz, &text)?;
            println!("{}:", file_name(&report));
            print!("{}", outcome.render(errors));
            if strict && !outcome.complete() {
                eprintln!("eval read: some expected items were missed or read wrong");
                return Ok(ExitCode::FAILURE);
            }
            Ok(ExitCode::SUCCESS)
        }
        Eval::Events { corpora, errors, theatre } => each_corpus(&corpora, |name, input| {
            let report = sitrep_eval::events::evaluate(gaz, name, input, &theatre.choice())?;
            Ok(report.summary() + &if errors { report.error_report() } else { String::new() })
        }),
        Eval::EventsGold { gold, reports, errors, theatre } => {
            let outcome = sitrep_eval::events_gold::evaluate_files(gaz, &gold, &reports, &theatre.choice())?;
            print!("{}{}", outcome.summary(), if errors { outcome.error_report() } else { String::new() });
            Ok(ExitCode::SUCCESS)
        }
        Eval::Control { reports, truth, errors, theatre } => {
            let outcome = sitrep_eval::control::evaluate_files(gaz, &reports, &truth, errors, &theatre.choice())?;
            print!("{}{}", outcome.summary(), if errors { outcome.error_report() } else { String::new() });
            Ok(ExitCode::SUCCESS)
        }
        Eval::Places { corpora, errors, theatre } => each_corpus(&corpora, |name, input| {
            let report = sitrep_eval::places::evaluate(gaz, name, input, &theatre.choice())?;
            Ok(report.summary() + &if errors { report.error_report() } else { String::new() })
        }),
        Eval::Geoparse { corpora, errors } => each_corpus(&corpora, |name, input| {
            let report = sitrep_eval::geoparse::evaluate(gaz, name, input)?;
            Ok(report.summary() + &if errors { report.error_report() } else { String::new() })
        }),
    }
}
