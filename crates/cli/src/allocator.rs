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
//! Requests go to mimalloc's plain entry points (`mi_malloc`, `mi_realloc`), whose fast path
//! is some 20 instructions, and only a request for more alignment than those give to the
//! aligned ones (the `mimalloc` crate's allocator sends every request there, some 60
//! instructions each: 3% of `sitrep geoparse`'s instructions, half a million requests on 5 MB
//! of news).
//!
//! `sitrep-bench` compiles this same file (`#[path]`), so that its figures are the shipped
//! binary's.

use std::{
    alloc::{GlobalAlloc, Layout},
    ffi::c_void,
};

use libmimalloc_sys::{mi_free, mi_malloc, mi_malloc_aligned, mi_option_set, mi_option_t, mi_realloc, mi_realloc_aligned, mi_zalloc, mi_zalloc_aligned};

/// mimalloc, through its plain entry points where the alignment allows.
struct MiMalloc;

/// Largest alignment the plain entry points give (`MI_MAX_ALIGN_SIZE`, as the system's `malloc`
/// does): a request aligned to at most this and to no more than its size gets it from them.
const PLAIN_ALIGN: usize = 16;

/// True when a block from the plain entry points is aligned enough for `layout`.
fn plain(layout: &Layout) -> bool {
    layout.align() <= PLAIN_ALIGN && layout.align() <= layout.size()
}

// SAFETY: every block comes from mimalloc and goes back to it; `plain` sends a request to the
// aligned entry points whenever the plain ones do not promise its alignment.
unsafe impl GlobalAlloc for MiMalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: mimalloc's allocation functions accept any size.
        let block = unsafe {
            if plain(&layout) {
                mi_malloc(layout.size())
            } else {
                mi_malloc_aligned(layout.size(), layout.align())
            }
        };
        block.cast()
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        let block = unsafe {
            if plain(&layout) {
                mi_zalloc(layout.size())
            } else {
                mi_zalloc_aligned(layout.size(), layout.align())
            }
        };
        block.cast()
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator, so from mimalloc.
        unsafe { mi_free(ptr.cast::<c_void>()) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = Layout::from_size_align(new_size, layout.align()).unwrap_or(layout);
        // SAFETY: `ptr` came from this allocator; the new block keeps the alignment asked for.
        let block = unsafe {
            if plain(&new) {
                mi_realloc(ptr.cast::<c_void>(), new_size)
            } else {
                mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align())
            }
        };
        block.cast()
    }
}

#[global_allocator]
static ALLOCATOR: MiMalloc = MiMalloc;

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

    #[test]
    fn blocks_have_the_alignment_asked_for_through_growth() {
        for (size, align) in [(1, 1), (3, 2), (8, 8), (24, 8), (16, 16), (48, 16), (64, 32), (4096, 4096), (100, 64)] {
            let layout = Layout::from_size_align(size, align).unwrap();
            // SAFETY: a non-zero size; the block is freed with the layout it was made with.
            unsafe {
                let p = ALLOCATOR.alloc_zeroed(layout);
                assert!(!p.is_null() && (p as usize).is_multiple_of(align), "{size} bytes aligned to {align}");
                assert!(std::slice::from_raw_parts(p, size).iter().all(|&b| b == 0));
                p.write_bytes(7, size);
                let q = ALLOCATOR.realloc(p, layout, size * 3);
                assert!((q as usize).is_multiple_of(align), "grown: {size} bytes aligned to {align}");
                assert!(std::slice::from_raw_parts(q, size).iter().all(|&b| b == 7), "kept what it held");
                ALLOCATOR.dealloc(q, Layout::from_size_align(size * 3, align).unwrap());
            }
        }
    }
}
