//! Connections to the served store: reads never wait on writes or on each other.
//!
//! Each read takes a connection of its own (an idle one, or a new one up to a bound; on SQLite
//! one that refuses writes and keeps a small cache: [`Store::open_for_reading`]), so a long
//! listing does not hold up the requests behind it; writes go through one connection, since
//! both databases take one writer at a time anyway. SQLite in WAL mode lets the readers read
//! while the writer writes; PostgreSQL's MVCC does the same.
//!
//! When every connection is busy, requests wait for one in the order they came
//! ([`StorePool::turn`]), without holding a thread: the last to come is never served before
//! one that has waited longer, so the slowest answers under load stay near the typical.

use std::{
    sync::{Arc, Condvar, Mutex, PoisonError},
    time::Duration,
};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use sitrep_store::{Store, StoreError};

/// Why a connection could not be had.
#[derive(Debug)]
pub enum PoolError {
    /// Every connection stayed busy for the whole wait.
    Busy,
    /// Opening a new connection failed.
    Store(StoreError),
}

/// Connections to one store.
pub struct StorePool {
    location: String,
    max_readers: usize,
    readers: Mutex<Readers>,
    freed: Condvar,
    writer: Mutex<Option<Store>>,
    /// One permit per reading connection, handed out first come, first served.
    turns: Arc<Semaphore>,
}

/// A request's turn to read: while it is held, a reading connection is free for it.
pub struct Turn {
    _permit: OwnedSemaphorePermit,
}

/// The readers' books: connections not in use, and how many exist in all.
struct Readers {
    idle: Vec<Store>,
    open: usize,
}

impl StorePool {
    /// Opens the store at `location` (an SQLite file or a `postgres://` URL), migrating it,
    /// and keeps that first connection for reading; at most `max_readers` read at once.
    pub fn open(location: &str, max_readers: usize) -> Result<StorePool, StoreError> {
        let first = Store::open_for_reading(location)?;
        let max_readers = max_readers.max(1);
        Ok(StorePool {
            location: location.to_owned(),
            max_readers,
            readers: Mutex::new(Readers { idle: vec![first], open: 1 }),
            freed: Condvar::new(),
            writer: Mutex::new(None),
            turns: Arc::new(Semaphore::new(max_readers)),
        })
    }

    /// Waits (at most `wait`) for a turn to read, in the order of asking. Work that reads
    /// while holding the turn finds a connection free at once; taking the turn before the
    /// blocking work starts keeps waiting requests off the blocking threads.
    pub async fn turn(&self, wait: Duration) -> Result<Turn, PoolError> {
        match tokio::time::timeout(wait, self.turns.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(Turn { _permit: permit }),
            // The semaphore is never closed; a timeout is a busy pool.
            Ok(Err(_)) | Err(_) => Err(PoolError::Busy),
        }
    }

    /// Runs `work` on a reading connection, waiting at most `wait` for one to be free. A
    /// connection whose work failed or panicked is not given back (the next read opens a
    /// fresh one), so a broken connection never serves twice.
    pub fn read<T>(&self, wait: Duration, work: impl FnOnce(&mut Store) -> Result<T, StoreError>) -> Result<T, PoolError> {
        let mut lease = Lease { pool: self, store: Some(self.take_reader(wait)?) };
        let result = work(lease.store.as_mut().expect("taken above"));
        if result.is_ok() {
            let store = lease.store.take().expect("taken above");
            self.readers.lock().unwrap_or_else(PoisonError::into_inner).idle.push(store);
            self.freed.notify_one();
        }
        result.map_err(PoolError::Store)
    }

    /// Runs `work` on the one writing connection (opened on first use), waiting while another
    /// write runs. A failed write drops the connection; the next write opens a new one.
    pub fn write<T>(&self, work: impl FnOnce(&mut Store) -> Result<T, StoreError>) -> Result<T, PoolError> {
        // A panic mid-write unwinds through `work` with the guard held: the connection in the
        // slot may be mid-transaction, so a poisoned slot is emptied and reopened.
        let mut slot = self.writer.lock().unwrap_or_else(|poisoned| {
            let mut slot = poisoned.into_inner();
            *slot = None;
            slot
        });
        if slot.is_none() {
            *slot = Some(Store::open(&self.location).map_err(PoolError::Store)?);
        }
        let result = work(slot.as_mut().expect("opened above"));
        if result.is_err() {
            *slot = None;
        }
        result.map_err(PoolError::Store)
    }

    fn take_reader(&self, wait: Duration) -> Result<Store, PoolError> {
        let mut books = self.readers.lock().unwrap_or_else(PoisonError::into_inner);
        let deadline = std::time::Instant::now() + wait;
        loop {
            if let Some(store) = books.idle.pop() {
                return Ok(store);
            }
            if books.open < self.max_readers {
                books.open += 1;
                drop(books);
                return Store::open_for_reading(&self.location).map_err(|e| {
                    self.readers.lock().unwrap_or_else(PoisonError::into_inner).open -= 1;
                    PoolError::Store(e)
                });
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return Err(PoolError::Busy);
            }
            books = self.freed.wait_timeout(books, left).unwrap_or_else(PoisonError::into_inner).0;
        }
    }
}

/// A reading connection in use. Dropped still holding it (the work failed or panicked), it
/// closes the connection and frees its place for a new one.
struct Lease<'p> {
    pool: &'p StorePool,
    store: Option<Store>,
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        if self.store.take().is_some() {
            self.pool.readers.lock().unwrap_or_else(PoisonError::into_inner).open -= 1;
            self.pool.freed.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    fn temp_store(name: &str) -> (std::path::PathBuf, String) {
        let dir = std::env::temp_dir().join(format!("sitrep-pool-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let location = dir.join("pool.db").to_str().unwrap().to_owned();
        (dir, location)
    }

    /// A read runs to its end while a write is under way (holding the writer), and two reads
    /// run at once on two connections.
    #[test]
    fn reads_never_wait_on_a_write_or_on_each_other() {
        let (dir, location) = temp_store("concurrent");
        let pool = &StorePool::open(&location, 4).unwrap();
        let (writing, write_started) = mpsc::channel();
        let (finish_write, may_finish) = mpsc::channel::<()>();
        let (reading, read_started) = mpsc::channel();
        let (finish_read, read_may_finish) = mpsc::channel::<()>();
        std::thread::scope(|scope| {
            scope.spawn(move || {
                pool.write(|store| {
                    writing.send(()).unwrap();
                    may_finish.recv().unwrap();
                    store.counts()
                })
                .unwrap()
            });
            write_started.recv().unwrap();
            scope.spawn(move || {
                pool.read(Duration::from_secs(5), |store| {
                    reading.send(()).unwrap();
                    read_may_finish.recv().unwrap();
                    store.counts()
                })
                .unwrap()
            });
            read_started.recv().unwrap();
            // A second read while the first read and the write are both in progress.
            let counts = pool.read(Duration::from_millis(200), |store| store.counts()).expect("a read while another read and a write run");
            assert_eq!(counts.reports, 0);
            finish_read.send(()).unwrap();
            finish_write.send(()).unwrap();
        });
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// With every connection taken, requests get their turns in the order they asked for
    /// them, whatever order the waiters are woken in; one that waits too long hears busy.
    #[test]
    fn turns_are_given_first_come_first_served() {
        let (dir, location) = temp_store("turns");
        let pool = Arc::new(StorePool::open(&location, 1).unwrap());
        let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        let order = runtime.block_on(async {
            let first = pool.turn(Duration::ZERO).await.unwrap();
            assert!(matches!(pool.turn(Duration::from_millis(20)).await, Err(PoolError::Busy)), "the only turn is taken");
            let order = Arc::new(Mutex::new(Vec::new()));
            let mut waiters = Vec::new();
            for n in 0..5 {
                let (pool, order) = (pool.clone(), order.clone());
                waiters.push(tokio::spawn(async move {
                    let _turn = pool.turn(Duration::from_secs(5)).await.unwrap();
                    order.lock().unwrap().push(n);
                    // Held across a yield, so that the others are woken while it is taken.
                    tokio::task::yield_now().await;
                }));
                // The waiter asks before the next one is made.
                tokio::task::yield_now().await;
            }
            drop(first);
            for w in waiters {
                w.await.unwrap();
            }
            Arc::try_unwrap(order).unwrap().into_inner().unwrap()
        });
        assert_eq!(order, [0, 1, 2, 3, 4]);
        std::fs::remove_dir_all(dir).unwrap();
    }

    /// When every connection is busy a read waits a bounded time, then gives up; a panic in a
    /// read's work frees its place.
    #[test]
    fn a_full_pool_says_busy_and_a_panic_frees_its_connection() {
        let (dir, location) = temp_store("busy");
        let pool = StorePool::open(&location, 1).unwrap();
        let busy = pool.read(Duration::ZERO, |_| Ok(pool.read(Duration::from_millis(50), |store| store.counts())));
        assert!(matches!(busy, Ok(Err(PoolError::Busy))), "{busy:?}");
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| pool.read(Duration::ZERO, |_| -> Result<(), StoreError> { panic!("a bug") })));
        assert!(panicked.is_err());
        assert!(pool.read(Duration::from_millis(50), |store| store.counts()).is_ok(), "the panicked read's place is free again");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
