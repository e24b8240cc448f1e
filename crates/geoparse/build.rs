//! Compiles the word lists in `data/` (folded like every key the geoparser compares, so
//! "monday" becomes "mondai") into `fst::Set`s that the library embeds: the lists cost
//! nothing at start-up.

use std::{env, fs, path::PathBuf};

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    for list in ["common-words", "person-names"] {
        let src = manifest.join(format!("data/{list}.txt"));
        println!("cargo:rerun-if-changed={}", src.display());
        let text = fs::read_to_string(&src).unwrap_or_else(|e| panic!("data/{list}.txt: {e}"));
        let mut words: Vec<String> = text
            .lines()
            .map(|w| {
                let mut key = String::new();
                sitrep_text::fold(w.trim(), &mut key);
                key
            })
            .filter(|w| !w.is_empty())
            .collect();
        words.sort_unstable();
        words.dedup();
        let set = fst::Set::from_iter(words).expect("sorted unique words build a set");
        fs::write(out_dir.join(format!("{list}.fst")), set.as_fst().as_bytes()).expect("OUT_DIR is writable");
    }
}
