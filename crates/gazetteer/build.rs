//! Decompresses the committed gazetteer index into OUT_DIR so that the library can embed it
//! with `include_bytes!`: the data then sits in the executable's read-only pages, which the
//! operating system maps lazily, and nothing is parsed at start-up. It also derives the
//! exact-name hash table, which the committed copy leaves out to stay small.

use std::{env, fs, io::Read, path::PathBuf};

// The index layout and the exact-name table are shared with the library.
#[allow(dead_code)]
#[path = "src/exact.rs"]
mod exact;
#[allow(dead_code)]
#[path = "src/format.rs"]
mod format;

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let src = manifest.join("data/gazetteer.idx.zst");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("gazetteer.idx");
    println!("cargo:rerun-if-changed={}", src.display());
    let bytes = match fs::File::open(&src) {
        Ok(file) => {
            let mut decoder = ruzstd::decoding::StreamingDecoder::new(std::io::BufReader::new(file)).expect("the committed gazetteer index is a zstd frame");
            let mut bytes = Vec::new();
            decoder.read_to_end(&mut bytes).expect("the committed gazetteer index decompresses");
            bytes
        }
        // No committed index yet (bootstrapping): embed nothing; opening the embedded
        // gazetteer then fails with a message that says how to build one.
        Err(_) => Vec::new(),
    };
    // The committed copy leaves out the derived exact-name table; add it back.
    let bytes = if bytes.is_empty() { bytes } else { exact::with_table(bytes) };
    fs::write(&out, bytes).expect("OUT_DIR is writable");
}
