//! Answers kept between store writes: pages of `/api/events`, the map's points
//! (`/api/events/points`, kept gzipped) and the control states and changes (`/api/control`,
//! `/api/control/changes`), each under its endpoint and query.
//!
//! An answer is kept under its query, normalised (the filters as parsed and resolved, the page
//! and the tellings per event), and the store's generation it was worked out at
//! ([`sitrep_store::Store::version`], raised in the transaction of every batch that stores a
//! report). A request reads the generation first (one row), and is given a kept answer only
//! if it was made at that generation: a report stored is seen by the next request, whichever
//! process stored it. The first answer at a newer generation drops every older one. Memory is
//! bounded: at most [`AnswerCache::new`]'s bytes of answers, the oldest kept dropped first,
//! and none kept at all when the bound is 0.

use std::{
    collections::{HashMap, VecDeque},
    sync::Mutex,
};

use axum::body::Bytes;

/// Kept answers; see the module's description.
pub struct AnswerCache {
    max_bytes: usize,
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    generation: i64,
    answers: HashMap<String, Bytes>,
    /// The keys of `answers`, oldest first.
    order: VecDeque<String>,
    bytes: usize,
}

impl Kept {
    fn clear(&mut self, generation: i64) {
        self.generation = generation;
        self.answers.clear();
        self.order.clear();
        self.bytes = 0;
    }
}

impl AnswerCache {
    /// A cache holding at most `max_bytes` of answers (0: none, every answer worked out).
    pub fn new(max_bytes: usize) -> AnswerCache {
        AnswerCache { max_bytes, kept: Mutex::new(Kept::default()) }
    }

    /// Whether answers are kept at all.
    pub fn enabled(&self) -> bool {
        self.max_bytes > 0
    }

    /// The answer to `key` worked out at the store's `generation`, if it is kept.
    pub fn get(&self, key: &str, generation: i64) -> Option<Bytes> {
        let kept = self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if kept.generation != generation {
            return None;
        }
        kept.answers.get(key).cloned()
    }

    /// Keeps `answer` to `key`, worked out at the store's `generation` (read before the answer
    /// was). An answer of an older generation than those kept is not kept; one of a newer
    /// generation replaces them all. An answer over an eighth of the bound is not kept.
    pub fn put(&self, key: &str, generation: i64, answer: Bytes) {
        if !self.enabled() || answer.len() > self.max_bytes / 8 {
            return;
        }
        let mut kept = self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if generation < kept.generation {
            return;
        }
        if generation > kept.generation {
            kept.clear(generation);
        }
        let size = key.len() + answer.len();
        if let Some(old) = kept.answers.insert(key.to_owned(), answer) {
            kept.bytes -= key.len() + old.len();
            kept.order.retain(|k| k != key);
        }
        kept.order.push_back(key.to_owned());
        kept.bytes += size;
        while kept.bytes > self.max_bytes {
            let Some(oldest) = kept.order.pop_front() else { break };
            if let Some(gone) = kept.answers.remove(&oldest) {
                kept.bytes -= oldest.len() + gone.len();
            }
        }
    }

    /// Bytes of answers kept now.
    #[cfg(test)]
    fn bytes(&self) -> usize {
        self.kept.lock().unwrap_or_else(std::sync::PoisonError::into_inner).bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_is_given_for_its_key_and_generation_only() {
        let cache = AnswerCache::new(1 << 20);
        cache.put("a", 3, Bytes::from_static(b"three"));
        assert_eq!(cache.get("a", 3).as_deref(), Some(&b"three"[..]));
        assert_eq!(cache.get("b", 3), None, "another query");
        assert_eq!(cache.get("a", 4), None, "a report stored since");
        cache.put("b", 4, Bytes::from_static(b"four"));
        assert_eq!(cache.get("a", 3), None, "a newer generation drops the older answers");
        cache.put("a", 3, Bytes::from_static(b"late"));
        assert_eq!(cache.get("a", 3), None, "an answer of an older generation is not kept");
        assert_eq!(cache.get("a", 4), None);
        assert_eq!(cache.get("b", 4).as_deref(), Some(&b"four"[..]));
    }

    #[test]
    fn memory_stays_within_the_bound_dropping_the_oldest_first() {
        let cache = AnswerCache::new(1000);
        for n in 0..100 {
            cache.put(&format!("q{n:02}"), 1, Bytes::from(vec![b'x'; 97]));
            assert!(cache.bytes() <= 1000, "{} bytes kept", cache.bytes());
        }
        assert_eq!(cache.bytes(), 1000, "ten answers of 100 bytes with their keys");
        assert_eq!(cache.get("q89", 1), None, "the oldest went first");
        assert!(cache.get("q90", 1).is_some() && cache.get("q99", 1).is_some());
        cache.put("q99", 1, Bytes::from(vec![b'y'; 50]));
        assert_eq!(cache.bytes(), 953, "an answer kept again is counted once");
        cache.put("big", 1, Bytes::from(vec![b'z'; 126]));
        assert_eq!(cache.get("big", 1), None, "an answer over an eighth of the bound is not kept");
    }

    #[test]
    fn a_bound_of_zero_keeps_nothing() {
        let cache = AnswerCache::new(0);
        assert!(!cache.enabled());
        cache.put("a", 1, Bytes::new());
        assert_eq!(cache.get("a", 1), None);
    }
}
