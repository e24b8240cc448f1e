//! What the store's tests share: the gazetteer, a store of each kind per test, and running a
//! test on both backends.

#![allow(dead_code)] // each test file uses its part

use sitrep_gazetteer::Gazetteer;
use sitrep_store::Store;

/// The built-in gazetteer, opened once.
pub fn gazetteer() -> &'static Gazetteer {
    static GAZ: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
    GAZ.get_or_init(|| Gazetteer::open_default().expect("the built-in gazetteer opens"))
}

/// Where the PostgreSQL test databases are made (`SITREP_TEST_POSTGRES`, by default the local
/// server with trust authentication that `.ci/run` starts).
pub fn postgres_server() -> String {
    std::env::var("SITREP_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A store for one test, removed when dropped: an SQLite file in a directory of its own, or a
/// PostgreSQL database of its own.
pub struct TestStore {
    /// An SQLite path or a PostgreSQL URL.
    pub location: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(std::path::PathBuf),
    Database(String),
}

impl TestStore {
    /// A fresh store on `backend` ("sqlite" or "postgres") for the test `name`.
    pub fn new(backend: &str, name: &str) -> TestStore {
        let unique = format!("sitrep_test_{}_{name}", std::process::id());
        match backend {
            "sqlite" => {
                let dir = std::env::temp_dir().join(&unique);
                let _ = std::fs::remove_dir_all(&dir);
                std::fs::create_dir_all(&dir).unwrap();
                TestStore { location: dir.join("test.db").to_str().unwrap().to_owned(), cleanup: Cleanup::Dir(dir) }
            }
            _ => {
                let mut admin = ::postgres::Client::connect(&format!("{}/postgres", postgres_server()), ::postgres::NoTls)
                    .unwrap_or_else(|e| panic!("the PostgreSQL tests need a server at {} ({e}); .ci/run starts one, see the README", postgres_server()));
                admin.batch_execute(&format!("DROP DATABASE IF EXISTS {unique} WITH (FORCE)")).unwrap();
                admin.batch_execute(&format!("CREATE DATABASE {unique}")).unwrap();
                TestStore { location: format!("{}/{unique}", postgres_server()), cleanup: Cleanup::Database(unique) }
            }
        }
    }

    /// Opens (migrating) the store.
    pub fn open(&self) -> Store {
        Store::open(&self.location).unwrap()
    }
}

impl Drop for TestStore {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Database(name) => {
                if let Ok(mut admin) = ::postgres::Client::connect(&format!("{}/postgres", postgres_server()), ::postgres::NoTls) {
                    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
                }
            }
        }
    }
}

/// Runs each named test on both backends: `sqlite::NAME` and `postgres::NAME`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $name() { super::$name("sqlite") })*
        }
        mod postgres {
            $(#[test] fn $name() { super::$name("postgres") })*
        }
    };
}
