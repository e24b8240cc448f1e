//! `sitrep serve` refuses a write token that no request could ever present, before it binds.

mod common;

use common::sitrep;

#[test]
fn an_empty_or_spaced_token_is_refused() {
    for token in ["", "two words"] {
        let out = sitrep(&["serve", "--addr", "127.0.0.1:0", "--token", token]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains("a token is one or more characters without white space"), "{token:?}: {err}");
    }
}
