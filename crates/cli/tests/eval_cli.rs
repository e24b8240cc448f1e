//! `sitrep eval` as a user runs it: the theatre options the evaluations of the reader share
//! with `read` and `ingest`.

mod common;

use common::{sitrep, text};

/// A directory of its own for one test, removed when dropped.
struct Dir(std::path::PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir = std::env::temp_dir().join(format!("sitrep-eval-cli-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    fn write(&self, name: &str, lines: &[&str]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        path.to_str().unwrap().to_owned()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn eval_control_reads_with_the_theatre_it_is_given_and_says_which() {
    let dir = Dir::new("control");
    // Three days of notes about the fighting west of Donetsk; the truth has one change there.
    let reports = dir.write(
        "reports.jsonl",
        &[
            r#"{"id":"a","date":"2022-07-01","text":"Russian troops shelled Avdiivka and Marinka through the night."}"#,
            r#"{"id":"b","date":"2022-07-02","text":"Ukrainian units held their positions in Krasnohorivka and Vuhledar."}"#,
            r#"{"id":"c","date":"2022-07-03","text":"Russian forces captured Marinka on July 3."}"#,
        ],
    );
    let truth =
        dir.write("truth.jsonl", &[r#"{"id":"t","place":"Marinka","lat":47.945,"lon":37.505,"date":"2022-07-03","from_side":"Ukraine","to_side":"Russia"}"#]);
    let run = |flags: &[&str]| {
        let mut args = vec!["eval", "control"];
        args.extend_from_slice(flags);
        args.extend_from_slice(&[reports.as_str(), truth.as_str()]);
        sitrep(&args)
    };
    for (flags, level) in [
        (&[][..], "theatre: none (each report's own places)"),
        (&["--theatre", "UA"][..], "theatre: explicit UA"),
        (&["--theatre", "ua", "--batch-theatre"][..], "theatre: explicit UA + batch"),
        (&["--batch-theatre"][..], "theatre: batch\n"),
    ] {
        let out = run(flags);
        assert!(out.status.success(), "{flags:?}: {}", text(&out.stderr));
        let summary = text(&out.stdout);
        assert!(summary.contains(level), "{flags:?} should report {level:?}:\n{summary}");
        // The one change is read whatever the theatre: the report names the town plainly.
        assert!(summary.contains("strict: recall 1.000 (1/1)"), "{flags:?}:\n{summary}");
    }
    let out = run(&["--theatre", "XX"]);
    assert!(!out.status.success(), "a code of no country is refused");
    assert!(text(&out.stderr).contains("no country with code \"XX\""), "{}", text(&out.stderr));
}

#[test]
fn eval_events_and_events_gold_take_the_same_options() {
    let out = sitrep(&["eval", "events", "--help"]);
    let help = text(&out.stdout);
    assert!(help.contains("--theatre <CC>") && help.contains("--batch-theatre"), "{help}");
    let out = sitrep(&["eval", "events-gold", "--help"]);
    let help = text(&out.stdout);
    assert!(help.contains("--theatre <CC>") && help.contains("--batch-theatre"), "{help}");
}
