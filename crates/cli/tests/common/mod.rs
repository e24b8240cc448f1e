//! What the CLI tests share: running the built `sitrep` from the workspace root, with the
//! built-in gazetteer.

// Each test binary uses a part of this module.
#![allow(dead_code)]

use std::{
    io::Write,
    process::{Command, Output, Stdio},
};

/// Runs `sitrep args` with an empty standard input.
pub fn sitrep(args: &[&str]) -> Output {
    sitrep_stdin(args, b"")
}

/// Runs `sitrep args` with `input` on its standard input.
pub fn sitrep_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
        .env_remove("SITREP_GAZETTEER")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // The reader may stop early and close the pipe; a broken pipe here is expected.
    let _ = stdin.write_all(input);
    drop(stdin);
    child.wait_with_output().unwrap()
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
