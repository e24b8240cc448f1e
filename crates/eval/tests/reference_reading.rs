//! The reader on the reference report (kept in the shared folder beside the checkout, or where
//! `SITREP_SHARED` points): every expected item of every table is read.

use std::path::PathBuf;

use sitrep_gazetteer::Gazetteer;

#[test]
fn the_reference_report_reads_as_expected() {
    let shared = std::env::var_os("SITREP_SHARED").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let path = shared.join("seeds/kharkiv-counteroffensive-2022-09-10.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("the reference report is needed at {} ({e}); set SITREP_SHARED", path.display()));
    let gaz = Gazetteer::open_default().unwrap();
    let outcome = sitrep_eval::read::evaluate(&gaz, &text).unwrap();
    for name in ["places", "not places", "numbers", "disagreements", "geography checks", "sources", "dates", "events"] {
        let table = outcome.table(name).unwrap();
        assert!(table.found > 0, "{name}: nothing found");
        assert!(table.missed.is_empty() && table.wrong.is_empty(), "{name}: {:?} {:?}", table.missed, table.wrong);
    }
}
