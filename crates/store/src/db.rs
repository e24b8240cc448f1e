//! The two databases behind one small interface, so that the store's logic and its SQL are
//! written once: statements use `$1`-style placeholders, which SQLite reads as numbered
//! parameters too, and values cross as [`Param`]s and [`Cell`]s (or [`RowRef`]s, borrowed).
//! What differs (the schema's types, how a write transaction starts, how writers are kept
//! apart) lives in the two implementations.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, OnceLock, PoisonError},
};

use postgres::types::{to_sql_checked, IsNull, ToSql, Type};

use crate::StoreError;

/// A value bound to a statement.
#[derive(Debug, Clone, Copy)]
pub enum Param<'a> {
    /// SQL NULL.
    Null,
    /// An integer (BIGINT in PostgreSQL).
    Int(i64),
    /// A float (DOUBLE PRECISION).
    Real(f64),
    /// Text.
    Text(&'a str),
    /// Bytes (BYTEA).
    Blob(&'a [u8]),
    /// A truth value (BOOLEAN; 0 or 1 in SQLite).
    Bool(bool),
}

impl<'a> From<Option<&'a str>> for Param<'a> {
    fn from(v: Option<&'a str>) -> Self {
        v.map_or(Param::Null, Param::Text)
    }
}

impl From<Option<f64>> for Param<'_> {
    fn from(v: Option<f64>) -> Self {
        v.map_or(Param::Null, Param::Real)
    }
}

impl From<Option<i64>> for Param<'_> {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Param::Null, Param::Int)
    }
}

/// A value read from a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// SQL NULL.
    Null,
    /// An integer.
    Int(i64),
    /// A float.
    Real(f64),
    /// Text.
    Text(String),
    /// Bytes.
    Blob(Vec<u8>),
    /// A truth value.
    Bool(bool),
}

impl Cell {
    /// The integer, or 0.
    pub fn int(&self) -> i64 {
        self.opt_int().unwrap_or(0)
    }

    /// The integer, if the cell holds one.
    pub fn opt_int(&self) -> Option<i64> {
        match self {
            Cell::Int(v) => Some(*v),
            Cell::Bool(b) => Some(i64::from(*b)),
            _ => None,
        }
    }

    /// The float, if the cell holds a number.
    pub fn opt_real(&self) -> Option<f64> {
        match self {
            Cell::Real(v) => Some(*v),
            Cell::Int(v) => Some(*v as f64),
            _ => None,
        }
    }

    /// The text, if the cell holds text.
    pub fn opt_text(&self) -> Option<String> {
        match self {
            Cell::Text(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// The text, or "".
    pub fn text(&self) -> String {
        self.opt_text().unwrap_or_default()
    }

    /// The text, if the cell holds text, moved out of the cell (which is left NULL): for rows
    /// read once, where a copy of every string would double the allocations.
    pub fn take_opt_text(&mut self) -> Option<String> {
        match std::mem::replace(self, Cell::Null) {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The text, or "", moved out of the cell as [`Cell::take_opt_text`] does.
    pub fn take_text(&mut self) -> String {
        self.take_opt_text().unwrap_or_default()
    }

    /// The truth value (a non-zero integer is true).
    pub fn bool(&self) -> bool {
        self.opt_int().is_some_and(|v| v != 0)
    }

    /// The bytes, or none.
    pub fn blob(&self) -> Vec<u8> {
        match self {
            Cell::Blob(b) => b.clone(),
            Cell::Text(s) => s.clone().into_bytes(),
            _ => Vec::new(),
        }
    }
}

/// A row: its cells in column order.
pub type Row = Vec<Cell>;

/// A row as the database hands it over, its values borrowed from the database's own buffers:
/// for rows read once, which need no [`Cell`] (nor a copy of each text) before they are used.
pub enum RowRef<'r> {
    /// A row of an SQLite statement being stepped.
    Sqlite(&'r rusqlite::Row<'r>),
    /// A row PostgreSQL sent.
    Postgres(&'r postgres::Row),
}

impl RowRef<'_> {
    /// How many columns the row has.
    fn len(&self) -> usize {
        match self {
            RowRef::Sqlite(r) => r.as_ref().column_count(),
            RowRef::Postgres(r) => r.len(),
        }
    }

    /// The integer in column `i`, if it holds one (a truth value counts as 0 or 1).
    pub fn opt_int(&self, i: usize) -> Option<i64> {
        match self {
            RowRef::Sqlite(r) => match r.get_ref(i).ok()? {
                rusqlite::types::ValueRef::Integer(v) => Some(v),
                _ => None,
            },
            RowRef::Postgres(r) => match *r.columns().get(i)?.type_() {
                Type::INT8 => r.try_get::<_, Option<i64>>(i).ok()?,
                Type::INT4 => r.try_get::<_, Option<i32>>(i).ok()?.map(i64::from),
                Type::INT2 => r.try_get::<_, Option<i16>>(i).ok()?.map(i64::from),
                Type::BOOL => r.try_get::<_, Option<bool>>(i).ok()?.map(i64::from),
                _ => None,
            },
        }
    }

    /// The integer in column `i`, or 0.
    pub fn int(&self, i: usize) -> i64 {
        self.opt_int(i).unwrap_or(0)
    }

    /// The truth value in column `i` (a non-zero integer is true).
    pub fn bool(&self, i: usize) -> bool {
        self.opt_int(i).is_some_and(|v| v != 0)
    }

    /// The number in column `i`, if it holds one.
    pub fn opt_real(&self, i: usize) -> Option<f64> {
        match self {
            RowRef::Sqlite(r) => match r.get_ref(i).ok()? {
                rusqlite::types::ValueRef::Real(v) => Some(v),
                rusqlite::types::ValueRef::Integer(v) => Some(v as f64),
                _ => None,
            },
            RowRef::Postgres(r) => match *r.columns().get(i)?.type_() {
                Type::FLOAT8 => r.try_get::<_, Option<f64>>(i).ok()?,
                Type::FLOAT4 => r.try_get::<_, Option<f32>>(i).ok()?.map(f64::from),
                _ => self.opt_int(i).map(|v| v as f64),
            },
        }
    }

    /// The text in column `i`, if it holds text (SQLite text that is not UTF-8 counts as none).
    pub fn opt_text(&self, i: usize) -> Option<&str> {
        match self {
            RowRef::Sqlite(r) => match r.get_ref(i).ok()? {
                rusqlite::types::ValueRef::Text(t) => std::str::from_utf8(t).ok(),
                _ => None,
            },
            RowRef::Postgres(r) => match *r.columns().get(i)?.type_() {
                Type::INT8 | Type::INT4 | Type::INT2 | Type::FLOAT8 | Type::FLOAT4 | Type::BOOL | Type::BYTEA => None,
                _ => r.try_get::<_, Option<&str>>(i).ok()?,
            },
        }
    }

    /// The text in column `i` as its bytes, if it holds text, unchecked: for text the store
    /// wrote and hands on as bytes (UTF-8 as written; PostgreSQL sends the connection's
    /// encoding, UTF-8), which would otherwise be checked once more on the way.
    pub fn opt_text_bytes(&self, i: usize) -> Option<&[u8]> {
        match self {
            RowRef::Sqlite(r) => match r.get_ref(i).ok()? {
                rusqlite::types::ValueRef::Text(t) => Some(t),
                _ => None,
            },
            RowRef::Postgres(r) => r.try_get::<_, Option<TextBytes<'_>>>(i).ok()?.map(|t| t.0),
        }
    }

    /// The text in column `i`, or "".
    pub fn text(&self, i: usize) -> &str {
        self.opt_text(i).unwrap_or_default()
    }

    /// Column `i` as an owned [`Cell`].
    fn cell(&self, i: usize) -> Result<Cell, StoreError> {
        Ok(match self {
            RowRef::Sqlite(r) => sqlite_cell(r.get_ref(i)?),
            RowRef::Postgres(r) => postgres_cell(r, i)?,
        })
    }

    /// Every column as an owned [`Cell`].
    pub fn cells(&self) -> Result<Row, StoreError> {
        (0..self.len()).map(|i| self.cell(i)).collect()
    }
}

/// A PostgreSQL text value as the bytes sent ([`RowRef::opt_text_bytes`]).
struct TextBytes<'a>(&'a [u8]);

impl<'a> postgres::types::FromSql<'a> for TextBytes<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(TextBytes(raw))
    }

    fn accepts(ty: &Type) -> bool {
        matches!(*ty, Type::TEXT | Type::VARCHAR)
    }
}

/// Which database a store is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// The embedded store.
    Sqlite,
    /// The shared store.
    Postgres,
}

/// What the store needs of a database.
pub trait Db: Send {
    /// Which database this is.
    fn dialect(&self) -> Dialect;
    /// Runs statements that take no parameters (DDL, transaction control).
    fn batch(&mut self, sql: &str) -> Result<(), StoreError>;
    /// Runs one statement; returns the number of rows it changed.
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError>;
    /// Runs one query, handing each row to `each` as it comes (stopping at the first error).
    fn query_each(&mut self, sql: &str, params: &[Param<'_>], each: &mut dyn FnMut(RowRef<'_>) -> Result<(), StoreError>) -> Result<(), StoreError>;
    /// Appends rows of `width` values each (`values`, row after row) to `table`'s `columns`
    /// (comma-separated), as an `INSERT` without a conflict clause would; returns how many.
    /// PostgreSQL streams them with one binary `COPY`, which parses and plans nothing per row;
    /// SQLite, whose inserts are calls in the same process, has no use for it
    /// ([`crate::write::copy_rows`] inserts there).
    fn copy_in(&mut self, table: &str, columns: &str, values: &[Param<'_>], width: usize) -> Result<u64, StoreError> {
        let _ = (values, width);
        Err(StoreError::Corrupt(format!("COPY into {table} ({columns}) is PostgreSQL's")))
    }
    /// Runs one query; returns every row.
    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, StoreError> {
        let mut rows = Vec::new();
        self.query_each(sql, params, &mut |r| {
            rows.push(r.cells()?);
            Ok(())
        })?;
        Ok(rows)
    }
    /// Starts the transaction a write runs in, kept apart from every other writer's that
    /// could decide about the same events (those sharing one of `merge_locks`,
    /// [`crate::grid::merge_locks`]), so that two writers can never both decide that an event
    /// is new.
    fn begin_write(&mut self, merge_locks: &[i64]) -> Result<(), StoreError>;
    /// Within the write's transaction, takes the locks `keys` (in ascending order, released at
    /// commit), waiting for any writer that holds one. SQLite's one writer needs none.
    fn lock(&mut self, keys: &[i64]) -> Result<(), StoreError>;
    /// The reports' document ids and outlets read by this process's connections to this
    /// database, if they keep them (PostgreSQL's do; SQLite reads them from its narrow index in
    /// the same process).
    fn report_outlets(&self) -> Option<SharedOutlets> {
        None
    }
}

/// Reports' document ids and outlets by report id, as connections read them. A report's row
/// is never changed or deleted once stored, so what was read stays true for as long as the
/// connections are to the same database (the keeper forgets it all whenever one of them
/// connects again: the database of the name may have been made again since).
#[derive(Default)]
pub struct ReportOutlets {
    known: HashMap<i64, (String, Option<String>)>,
}

impl ReportOutlets {
    /// Reports kept at most; past it the keeper starts again (a few MB a connection).
    const MAX: usize = 50_000;

    /// The document id and outlet of report `id`, if read before.
    pub fn get(&self, id: i64) -> Option<&(String, Option<String>)> {
        self.known.get(&id)
    }

    /// Keeps the document id and outlet of report `id`.
    pub fn insert(&mut self, id: i64, doc_id: String, outlet: Option<String>) {
        self.known.insert(id, (doc_id, outlet));
    }

    /// Whether `more` reports would take the keeper past its bound (then it should be
    /// cleared before they are read; one call may still need more than the bound).
    pub fn needs_room(&self, more: usize) -> bool {
        more > 0 && self.known.len() + more > Self::MAX
    }

    /// Forgets every report.
    pub fn clear(&mut self) {
        self.known.clear();
    }
}

/// One [`ReportOutlets`] shared by every connection of the process to one database: a
/// server's reading connections each learn from what the others read.
pub type SharedOutlets = Arc<Mutex<ReportOutlets>>;

/// The [`SharedOutlets`] of the connections to `url`, made on first asking.
fn shared_outlets(url: &str) -> SharedOutlets {
    static BY_URL: OnceLock<Mutex<HashMap<String, SharedOutlets>>> = OnceLock::new();
    let mut by_url = BY_URL.get_or_init(Mutex::default).lock().unwrap_or_else(PoisonError::into_inner);
    by_url.entry(url.to_owned()).or_default().clone()
}

// ---------------------------------------------------------------------------------------------
// SQLite

/// The embedded database.
pub struct SqliteDb(pub rusqlite::Connection);

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self {
            Param::Null => ValueRef::Null,
            Param::Int(v) => ValueRef::Integer(v),
            Param::Real(v) => ValueRef::Real(v),
            Param::Text(v) => ValueRef::Text(v.as_bytes()),
            Param::Blob(v) => ValueRef::Blob(v),
            Param::Bool(v) => ValueRef::Integer(i64::from(v)),
        }))
    }
}

fn sqlite_cell(v: rusqlite::types::ValueRef<'_>) -> Cell {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => Cell::Null,
        ValueRef::Integer(i) => Cell::Int(i),
        ValueRef::Real(f) => Cell::Real(f),
        ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Cell::Blob(b.to_vec()),
    }
}

impl Db for SqliteDb {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        Ok(self.0.execute_batch(sql)?)
    }

    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError> {
        Ok(self.0.prepare_cached(sql)?.execute(rusqlite::params_from_iter(params.iter()))? as u64)
    }

    fn query_each(&mut self, sql: &str, params: &[Param<'_>], each: &mut dyn FnMut(RowRef<'_>) -> Result<(), StoreError>) -> Result<(), StoreError> {
        let mut stmt = self.0.prepare_cached(sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
        while let Some(row) = rows.next()? {
            each(RowRef::Sqlite(row))?;
        }
        Ok(())
    }

    fn begin_write(&mut self, _merge_locks: &[i64]) -> Result<(), StoreError> {
        // One writer at a time: IMMEDIATE takes the write lock at once: a second process waits (busy timeout) rather
        // than reading, deciding, and failing to upgrade.
        self.batch("BEGIN IMMEDIATE")?;
        // A batch changes index pages all over the store: the writer's page cache grows with
        // the store, so that a large one's pages are not read again batch after batch.
        let bytes = self.0.query_row("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()", [], |r| r.get::<_, i64>(0))?;
        self.0.pragma_update(None, "cache_size", -writer_cache_kib(bytes))?;
        Ok(())
    }

    fn lock(&mut self, _keys: &[i64]) -> Result<(), StoreError> {
        Ok(())
    }
}

/// The page cache of an SQLite writer on a store of `bytes`, KiB: an eighth of the store,
/// no less than 64 MiB and no more than 512 MiB.
fn writer_cache_kib(bytes: i64) -> i64 {
    (bytes / 8).clamp(64 << 20, 512 << 20) >> 10
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/// The shared database: one connection, made again when the server has gone away.
pub struct PostgresDb {
    config: postgres::Config,
    client: Option<postgres::Client>,
    statements: HashMap<String, postgres::Statement>,
    outlets: SharedOutlets,
}

/// Merge locks taken per statement (keys are numbers the store computed, written inline).
const LOCKS_PER_STATEMENT: usize = 1000;

impl PostgresDb {
    /// Connects to `url` (`postgres://user@host:port/database`).
    pub fn connect(url: &str) -> Result<PostgresDb, StoreError> {
        let config: postgres::Config = url.parse()?;
        let mut db = PostgresDb { config, client: None, statements: HashMap::new(), outlets: shared_outlets(url) };
        db.client()?;
        Ok(db)
    }

    fn client(&mut self) -> Result<&mut postgres::Client, StoreError> {
        if self.client.as_ref().is_none_or(postgres::Client::is_closed) {
            self.statements.clear();
            // This connection may be to another database of the name (made again since).
            self.outlets.lock().unwrap_or_else(PoisonError::into_inner).clear();
            let mut client = self.config.connect(postgres::NoTls)?;
            // No just-in-time compilation: the store's statements are short, and where the
            // planner's estimates run high (tables not analysed yet) it compiled the report
            // listing for 200 ms to run it in 2.
            client.batch_execute("SET jit = off")?;
            self.client = Some(client);
        }
        Ok(self.client.as_mut().expect("connected just above"))
    }

    fn statement(&mut self, sql: &str) -> Result<postgres::Statement, StoreError> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client()?.prepare(sql)?;
        if self.statements.len() >= 1024 {
            // Statements are built from a bounded set of shapes; this only guards the memory.
            self.statements.clear();
        }
        self.statements.insert(sql.to_owned(), s.clone());
        Ok(s)
    }
}

impl ToSql for Param<'_> {
    fn to_sql(&self, ty: &Type, out: &mut postgres::types::private::BytesMut) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match *self {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(v) if *ty == Type::INT4 => i32::try_from(v)?.to_sql(ty, out),
            Param::Int(v) => v.to_sql(ty, out),
            Param::Real(v) => v.to_sql(ty, out),
            Param::Text(v) => v.to_sql(ty, out),
            Param::Blob(v) => v.to_sql(ty, out),
            Param::Bool(v) => v.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn postgres_cell(row: &postgres::Row, i: usize) -> Result<Cell, postgres::Error> {
    let ty = row.columns()[i].type_();
    Ok(match *ty {
        Type::INT8 => row.try_get::<_, Option<i64>>(i)?.map_or(Cell::Null, Cell::Int),
        Type::INT4 => row.try_get::<_, Option<i32>>(i)?.map_or(Cell::Null, |v| Cell::Int(v.into())),
        Type::INT2 => row.try_get::<_, Option<i16>>(i)?.map_or(Cell::Null, |v| Cell::Int(v.into())),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i)?.map_or(Cell::Null, Cell::Real),
        Type::FLOAT4 => row.try_get::<_, Option<f32>>(i)?.map_or(Cell::Null, |v| Cell::Real(v.into())),
        Type::BOOL => row.try_get::<_, Option<bool>>(i)?.map_or(Cell::Null, Cell::Bool),
        Type::BYTEA => row.try_get::<_, Option<Vec<u8>>>(i)?.map_or(Cell::Null, Cell::Blob),
        _ => row.try_get::<_, Option<String>>(i)?.map_or(Cell::Null, Cell::Text),
    })
}

fn pg_params<'a>(params: &'a [Param<'a>]) -> Vec<&'a (dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

impl Db for PostgresDb {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        Ok(self.client()?.batch_execute(sql)?)
    }

    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, StoreError> {
        let stmt = self.statement(sql)?;
        Ok(self.client()?.execute(&stmt, &pg_params(params))?)
    }

    fn query_each(&mut self, sql: &str, params: &[Param<'_>], each: &mut dyn FnMut(RowRef<'_>) -> Result<(), StoreError>) -> Result<(), StoreError> {
        let stmt = self.statement(sql)?;
        for row in &self.client()?.query(&stmt, &pg_params(params))? {
            each(RowRef::Postgres(row))?;
        }
        Ok(())
    }

    fn copy_in(&mut self, table: &str, columns: &str, values: &[Param<'_>], width: usize) -> Result<u64, StoreError> {
        if values.is_empty() || width == 0 {
            return Ok(0);
        }
        // Binary COPY needs each column's type: those of a query of the columns, prepared once.
        let types: Vec<Type> = self.statement(&format!("SELECT {columns} FROM {table} LIMIT 0"))?.columns().iter().map(|c| c.type_().clone()).collect();
        let writer = self.client()?.copy_in(&format!("COPY {table} ({columns}) FROM STDIN (FORMAT binary)"))?;
        let mut writer = postgres::binary_copy::BinaryCopyInWriter::new(writer, &types);
        for row in values.chunks(width) {
            writer.write(&pg_params(row))?;
        }
        Ok(writer.finish()?)
    }

    fn begin_write(&mut self, merge_locks: &[i64]) -> Result<(), StoreError> {
        // Writers run at once, but each takes the locks of the cells and weeks its events could
        // merge in before deciding whether an event is new, so two writers can never both add
        // the same event; writers in different places or weeks do not wait for each other.
        // Keys are taken in ascending order (no deadlock between writers) and released at commit.
        self.batch("BEGIN")?;
        self.lock(merge_locks)
    }

    fn lock(&mut self, keys: &[i64]) -> Result<(), StoreError> {
        let mut keys = keys.to_vec();
        keys.sort_unstable();
        keys.dedup();
        for chunk in keys.chunks(LOCKS_PER_STATEMENT) {
            let values: Vec<String> = chunk.iter().map(|k| format!("({k})")).collect();
            self.batch(&format!("SELECT pg_advisory_xact_lock(k) FROM (SELECT k FROM (VALUES {}) AS v(k) ORDER BY k) AS s", values.join(",")))?;
        }
        Ok(())
    }

    fn report_outlets(&self) -> Option<SharedOutlets> {
        Some(self.outlets.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer's page cache is 64 MiB on a small store, an eighth of a large one, and stops
    /// at 512 MiB.
    #[test]
    fn the_writers_page_cache_grows_with_the_store_up_to_a_bound() {
        assert_eq!(writer_cache_kib(0), 65_536);
        assert_eq!(writer_cache_kib(100 << 20), 65_536);
        assert_eq!(writer_cache_kib(2 << 30), 262_144);
        assert_eq!(writer_cache_kib(40 << 30), 524_288);
    }

    /// The writer sets that cache as it begins a batch, from the store's size.
    #[test]
    fn beginning_a_write_sets_the_cache_for_the_stores_size() {
        let mut db = SqliteDb(rusqlite::Connection::open_in_memory().unwrap());
        db.batch("PRAGMA cache_size = -100").unwrap();
        db.begin_write(&[]).unwrap();
        let cache: i64 = db.0.query_row("PRAGMA cache_size", [], |r| r.get(0)).unwrap();
        db.batch("COMMIT").unwrap();
        assert_eq!(cache, -65_536);
    }

    /// A row read borrowed gives the values its owned cells hold: integers, numbers (an
    /// integer read as one too), text, and NULL as none.
    #[test]
    fn a_borrowed_row_reads_as_its_owned_cells() {
        let mut db = SqliteDb(rusqlite::Connection::open_in_memory().unwrap());
        let sql = "SELECT 7, 2.5, 'Kupiansk', NULL, x'0102' UNION ALL SELECT 8, NULL, '', 'x', NULL";
        let owned = db.query(sql, &[]).unwrap();
        assert_eq!(owned[0], [Cell::Int(7), Cell::Real(2.5), Cell::Text("Kupiansk".into()), Cell::Null, Cell::Blob(vec![1, 2])]);
        let mut seen = Vec::new();
        db.query_each(sql, &[], &mut |r| {
            seen.push((r.int(0), r.opt_real(0), r.opt_real(1), r.opt_text(2).map(str::to_owned), r.opt_text(3).map(str::to_owned), r.opt_int(4)));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, [(7, Some(7.0), Some(2.5), Some("Kupiansk".into()), None, None), (8, Some(8.0), None, Some(String::new()), Some("x".into()), None)]);
    }
}
