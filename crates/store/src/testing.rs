//! Stores for tests (this crate's and those of the crates built on it, through the `testing`
//! feature): an SQLite file or a PostgreSQL database of the test's own, removed when the test
//! ends, passed or failed.

/// Where the PostgreSQL test databases are made (`SITREP_TEST_POSTGRES`, by default the local
/// server with trust authentication that `.ci/run` starts).
pub fn postgres_server() -> String {
    std::env::var("SITREP_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A connection to the test server's `postgres` database, to make and drop databases.
fn admin() -> postgres::Client {
    postgres::Client::connect(&format!("{}/postgres", postgres_server()), postgres::NoTls)
        .unwrap_or_else(|e| panic!("the PostgreSQL tests need a server at {} ({e}); .ci/run starts one, see the README", postgres_server()))
}

/// A store for one test, removed when dropped: an SQLite file in a directory of its own, or a
/// PostgreSQL database of its own.
pub struct TestStore {
    /// An SQLite path or a PostgreSQL URL.
    pub location: String,
    cleanup: Cleanup,
}

/// What dropping a [`TestStore`] removes.
enum Cleanup {
    Dir(std::path::PathBuf),
    Database(String),
}

impl TestStore {
    /// A fresh store on `backend` ("sqlite" or "postgres") for the test `name` (unique in the
    /// process).
    pub fn new(backend: &str, name: &str) -> TestStore {
        let unique = format!("sitrep_test_{}_{name}", std::process::id());
        match backend {
            "sqlite" => {
                let dir = std::env::temp_dir().join(&unique);
                let _ = std::fs::remove_dir_all(&dir);
                std::fs::create_dir_all(&dir).expect("a directory for the test's store");
                TestStore { location: dir.join("test.db").to_string_lossy().into_owned(), cleanup: Cleanup::Dir(dir) }
            }
            _ => {
                let mut admin = admin();
                admin.batch_execute(&format!("DROP DATABASE IF EXISTS {unique} WITH (FORCE)")).expect("an old test database dropped");
                admin.batch_execute(&format!("CREATE DATABASE {unique}")).expect("a test database made");
                TestStore { location: format!("{}/{unique}", postgres_server()), cleanup: Cleanup::Database(unique) }
            }
        }
    }

    /// Opens (migrating) the store.
    pub fn open(&self) -> crate::Store {
        crate::Store::open(&self.location).expect("the test store opens")
    }
}

impl Drop for TestStore {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Database(name) => {
                if let Ok(mut admin) = postgres::Client::connect(&format!("{}/postgres", postgres_server()), postgres::NoTls) {
                    let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
                }
            }
        }
    }
}
