//! Text primitives shared by every sitrep stage.
//!
//! The one rule that matters most lives here: [`fold`] turns a place name or a stretch of
//! report text into the *matching key* the gazetteer index is built on. Because the index and
//! the geoparser both fold through this module, a spelling that matches in `sitrep where` also
//! matches inside a report.

pub mod normalize;
pub mod table;
pub mod translit;

/// True for an abbreviation (folded, without its full stop) after which a full stop does not
/// end a sentence: titles ("Mr. Konashenkov"), "No. 3", months ("Sept. 10"), street words.
pub fn is_abbreviation(folded: &str) -> bool {
    matches!(
        folded,
        "mr" | "mrs"
            | "ms"
            | "dr"
            | "st"
            | "gen"
            | "lt"
            | "col"
            | "sgt"
            | "capt"
            | "gov"
            | "sen"
            | "rep"
            | "jr"
            | "sr"
            | "no"
            | "inc"
            | "corp"
            | "co"
            | "ltd"
            | "vs"
            | "etc"
            | "ave"
            | "rd"
            | "mt"
            | "ft"
            | "prof"
            | "rev"
            | "maj"
            | "adm"
            | "cpl"
            | "pvt"
            | "dept"
            | "univ"
            | "approx"
            | "est"
            | "fig"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
    )
}

pub use normalize::{fold, fold_char, is_quote_mark, key_for_name, Qualifier};

#[cfg(test)]
mod tests {
    #[test]
    fn abbreviations_are_known_by_their_folded_form() {
        assert!(["mr", "sept", "approx", "no"].iter().all(|w| super::is_abbreviation(w)));
        assert!(["said", "m", "mrs.", "Mr", ""].iter().all(|w| !super::is_abbreviation(w)));
    }
}
