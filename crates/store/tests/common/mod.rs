//! What the store's tests share: the gazetteer, a store of each kind per test, and running a
//! test on both backends.

#![allow(dead_code)] // each test file uses its part

use sitrep_gazetteer::Gazetteer;

/// The built-in gazetteer, opened once.
pub fn gazetteer() -> &'static Gazetteer {
    static GAZ: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
    GAZ.get_or_init(|| Gazetteer::open_default().expect("the built-in gazetteer opens"))
}

pub use sitrep_store::testing::TestStore;

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
