//! Compiles `data/common-words.txt`, folded, into an `fst::Set` that the library embeds, so
//! the word list costs nothing at start-up.

use std::{env, fs, path::PathBuf};

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let src = manifest.join("data/common-words.txt");
    println!("cargo:rerun-if-changed={}", src.display());
    let text = fs::read_to_string(&src).expect("data/common-words.txt is readable");
    // Folded like every key the geoparser compares ("monday" becomes "mondai").
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
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("common-words.fst");
    fs::write(out, set.as_fst().as_bytes()).expect("OUT_DIR is writable");
}
