//! The process's allocator: mimalloc, told to commit memory as it is used and to give freed
//! memory back soon.
//!
//! The geoparser and the reader make many small, short-lived allocations per report
//! (candidate lists, maps, output strings); mimalloc serves them markedly faster than the
//! system allocator (`sitrep-bench geoparse`: 38 -> 43 MB/s on one core). With its defaults it
//! commits whole arenas up front and keeps freed memory for a second, so that one document of
//! 50 MB peaked at 183 MB against the system allocator's 126. [`configure`] commits lazily and
//! purges after 100 ms: 162 MB there, and on `sitrep-bench stress`'s 200 MB document 382 MB
//! and 13.8 s against the system allocator's 440 MB and 15.4 s. Purging at once (0 ms) saves
//! a little more memory but costs seconds of system calls on that document.
//!
//! `sitrep-bench` compiles this same file (`#[path]`), so that its figures are the shipped
//! binary's.

use libmimalloc_sys::{mi_option_set, mi_option_t};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_arena_eager_commit` in `mimalloc.h`. The enum keeps retired options as
/// placeholders so that the numbers never move; the bindings name only some of them.
const ARENA_EAGER_COMMIT: mi_option_t = 4;
/// `mi_option_purge_delay` in `mimalloc.h`.
const PURGE_DELAY: mi_option_t = 15;

/// Milliseconds mimalloc keeps freed memory before returning it to the system.
const PURGE_AFTER_MS: i64 = 100;

/// Makes mimalloc commit arena memory only as it is used and return freed memory after
/// [`PURGE_AFTER_MS`]. Called first thing in `main`, before any thread starts.
pub fn configure() {
    for (option, value) in [(ARENA_EAGER_COMMIT, 0), (PURGE_DELAY, PURGE_AFTER_MS)] {
        // SAFETY: stores a number in mimalloc's option table; any option id is accepted.
        unsafe { mi_option_set(option, value as _) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use libmimalloc_sys::mi_option_get;

    #[test]
    fn the_options_set_are_the_ones_meant() {
        // SAFETY: reads mimalloc's option table.
        let get = |option| unsafe { mi_option_get(option) };
        // The bindings' own numbering agrees with the header's order used above.
        assert_eq!(libmimalloc_sys::mi_option_large_os_pages, 6);
        // mimalloc's documented defaults: eager arena commit where memory is overcommitted
        // (2), purging after a second; both are what `configure` changes.
        assert_eq!((get(ARENA_EAGER_COMMIT), get(PURGE_DELAY)), (2, 1000));
        configure();
        assert_eq!((get(ARENA_EAGER_COMMIT), get(PURGE_DELAY)), (0, PURGE_AFTER_MS));
    }
}
