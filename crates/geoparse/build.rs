//! Folds the word lists (the hand lists in `src/lexicon/lists.rs` and the common-word,
//! person-name and demonym files in `data/`) the way every key the geoparser compares is
//! folded ("Monday" becomes "mondai"), and writes them as one `sitrep_text::table` from folded
//! word to the lists it is on, which the library embeds: the lists cost nothing at start-up
//! and one probe answers them all.

use std::{collections::BTreeMap, env, fs, path::PathBuf};

#[allow(dead_code)]
#[path = "src/lexicon/lists.rs"]
mod lists;

use lists::bit;

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=src/lexicon/lists.rs");
    let mut words: BTreeMap<String, u32> = BTreeMap::new();
    let mut add = |word: &str, kind: u32| {
        let mut key = String::new();
        sitrep_text::fold(word.trim(), &mut key);
        if !key.is_empty() {
            *words.entry(key).or_default() |= kind;
        }
    };
    let data = |file: &str| {
        let src = manifest.join("data").join(file);
        println!("cargo:rerun-if-changed={}", src.display());
        fs::read_to_string(&src).unwrap_or_else(|e| panic!("data/{file}: {e}"))
    };
    for (list, kind) in [("common-words.txt", bit::COMMON), ("person-names.txt", bit::PERSON)] {
        data(list).lines().for_each(|w| add(w, kind));
    }
    for &(list, kind) in lists::KIND_LISTS {
        list.iter().for_each(|w| add(w, kind));
    }
    // A demonym and its plural ("Georgian", "Georgians"); the library maps them to countries.
    let generated = data("demonyms.tsv");
    let demonyms = generated.lines().filter_map(|l| l.split_once('\t')).chain(lists::DEMONYMS.iter().copied());
    for (demonym, _) in demonyms {
        add(demonym, bit::DEMONYM);
        add(&format!("{demonym}s"), bit::DEMONYM);
        if let Some((first, _)) = demonym.trim().split_once(' ') {
            add(first, bit::DEMONYM_START);
        }
    }
    let table = sitrep_text::table::build(words.iter().map(|(k, &v)| (k.as_bytes(), u64::from(v))));
    fs::write(out_dir.join("words.table"), table).expect("OUT_DIR is writable");
    // Most words of running text are on no list: a filter small enough to stay in cache says
    // so without a read of the table.
    let filter = sitrep_text::table::build_filter(words.keys().map(|k| sitrep_text::table::key_hash(k.as_bytes())));
    fs::write(out_dir.join("words.filter"), filter).expect("OUT_DIR is writable");
}
