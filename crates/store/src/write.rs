//! Writing the store: a reading prepared on a reader thread ([`Prepared`]), then written by the
//! one writer with the rest of its batch, rows of a kind for all the batch's reports together,
//! its events merged into stored ones (or the batch's) that tell the same event.

use std::collections::{BTreeMap, HashMap};

use sitrep_gazetteer::{distance_km, LatLon};
use sitrep_read::{EventReading, Reading};

use crate::{
    control::ControlClaim,
    db::{Db, Dialect, Param, Row},
    firsts, grid, label, Ingested, Store, StoreError, MERGE_KM, MERGE_WINDOW_DAYS, ZSTD_LEVEL,
};

/// The content key of a report: 64-bit FNV-1a over its text, headline, outlet, address and
/// publication date (not its id: the same report under two ids is one report), with the
/// text's length appended.
pub fn content_hash(doc_text: &str, reading: &Reading) -> String {
    let date = reading.published.map(|d| d.to_string()).unwrap_or_default();
    let fields = [Some(doc_text), reading.title.as_deref(), reading.source.as_deref(), reading.url.as_deref(), Some(date.as_str())];
    let h = fnv1a(fields.iter().map(|f| f.unwrap_or("").as_bytes()));
    format!("{h:016x}-{}", doc_text.len())
}

/// 64-bit FNV-1a over `fields`, each followed by a 0xff byte (which UTF-8 never holds), so
/// that moving text from one field to the next changes the hash.
pub(crate) fn fnv1a<'a>(fields: impl IntoIterator<Item = &'a [u8]>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for field in fields {
        for b in field.iter().chain(std::iter::once(&0xff)) {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The key of a telling's evidence in `event_sources`: its hash (the evidence itself may be
/// too long for an index), as a signed 64-bit integer, which both databases store.
fn evidence_key(evidence: &str) -> i64 {
    fnv1a([evidence.as_bytes()]) as i64
}

/// Keys the tellings stored before they were keyed by their evidence's hash (a step of
/// [`schema::migrate`]): SQLite copies them into the keyed table and swaps it in; PostgreSQL
/// fills the new column and makes it the key.
pub(crate) fn key_evidence(db: &mut dyn Db) -> Result<(), StoreError> {
    let sqlite = db.dialect() == Dialect::Sqlite;
    let select = if sqlite { "SELECT rowid, evidence FROM event_sources" } else { "SELECT ctid::text, evidence FROM event_sources" };
    for row in db.query(select, &[])? {
        let key = Param::Int(evidence_key(&row[1].text()));
        if sqlite {
            db.execute(
                "INSERT OR IGNORE INTO event_sources_keyed (event_id, report_id, evidence, evidence_key, claimant, certainty)
                 SELECT event_id, report_id, evidence, $1, claimant, certainty FROM event_sources WHERE rowid = $2",
                &[key, Param::Int(row[0].int())],
            )?;
        } else {
            db.execute("UPDATE event_sources SET evidence_key = $1 WHERE ctid = CAST($2 AS tid)", &[key, Param::Text(&row[0].text())])?;
        }
    }
    if sqlite {
        db.batch(
            "DROP TABLE event_sources; ALTER TABLE event_sources_keyed RENAME TO event_sources;
             CREATE INDEX event_sources_by_report ON event_sources(report_id);",
        )
    } else {
        db.batch(
            "ALTER TABLE event_sources ALTER COLUMN evidence_key SET NOT NULL, DROP CONSTRAINT event_sources_pkey,
                 ADD PRIMARY KEY (event_id, report_id, evidence_key);",
        )
    }
}

impl Store {
    /// Stores one reading of a document whose text is `doc_text`, in one transaction.
    pub fn ingest(&mut self, doc_text: &str, reading: &Reading) -> Result<Ingested, StoreError> {
        let prepared = Prepared::new(doc_text.to_owned(), reading.clone())?;
        let mut outcomes = self.ingest_batch(std::slice::from_ref(&prepared))?;
        outcomes.pop().expect("one outcome per report")
    }

    /// Stores a batch of readings in one transaction: a report that fails is rolled back alone
    /// and its error returned in its place; the rest go in. A process killed mid-batch leaves
    /// none of the batch, and the next ingest stores it again. An error for the whole batch (the
    /// database went away) leaves nothing.
    pub fn ingest_batch<P: std::borrow::Borrow<Prepared>>(&mut self, items: &[P]) -> Result<Vec<Result<Ingested, StoreError>>, StoreError> {
        let (db, kept) = (self.db.as_mut(), &mut self.kept);
        // SQLite has one writer at a time and takes no merge locks: work them out only for
        // PostgreSQL.
        let locks: Vec<i64> = match db.dialect() {
            Dialect::Sqlite => Vec::new(),
            Dialect::Postgres => items
                .iter()
                .flat_map(|item| &item.borrow().reading.events)
                .filter_map(|e| Some((e.place.as_ref()?, e.date.as_ref()?)))
                .flat_map(|(p, d)| grid::merge_locks(p.lat, p.lon, MERGE_KM, d.from, d.to))
                .collect(),
        };
        db.begin_write(&locks)?;
        let run = (|| {
            // The whole batch is written kind by kind, a few statements for all its reports,
            // in the transaction itself: a savepoint around it would have SQLite copy every
            // page the batch changes into its statement journal first, a cost that grows with
            // the store (a large store's batch changes index pages all over it). A report that
            // fails spoils that attempt: the transaction is rolled back and begun again, and
            // the reports are written one by one, each in a savepoint of its own, so that it
            // fails alone.
            let written: Vec<Result<Written, StoreError>> = match write_reports(db, items) {
                Ok(written) => written.into_iter().map(Ok).collect(),
                Err(e) if e.is_unavailable() => return Err(e),
                Err(_) => {
                    db.batch("ROLLBACK")?;
                    db.begin_write(&locks)?;
                    let mut written = Vec::with_capacity(items.len());
                    for item in items {
                        db.batch("SAVEPOINT report")?;
                        match write_reports(db, std::slice::from_ref(item)) {
                            Ok(mut one) => {
                                db.batch("RELEASE report")?;
                                written.push(Ok(one.pop().expect("one outcome per report")));
                            }
                            Err(e) if e.is_unavailable() => return Err(e),
                            Err(e) => {
                                db.batch("ROLLBACK TO report; RELEASE report")?;
                                written.push(Err(e));
                            }
                        }
                    }
                    written
                }
            };
            // The control claims the batch brings, by settlement: their timelines are brought
            // up to date before the batch commits.
            let mut settlements = BTreeMap::new();
            let outcomes: Vec<Result<Ingested, StoreError>> = written
                .into_iter()
                .map(|w| {
                    w.map(|(ingested, control)| {
                        for c in control {
                            settlements.entry(c.place.id.clone()).or_insert_with(Vec::new).push(c);
                        }
                        ingested
                    })
                })
                .collect();
            crate::timeline::update(db, kept, &settlements)?;
            // Last before the commit (on PostgreSQL the row stays locked until then): a batch
            // that stored a report raises the store's generation, so that answers kept from
            // before it are worked out again.
            if outcomes.iter().any(|o| o.as_ref().is_ok_and(|i| i.new_report)) {
                crate::schema::raise_generation(db)?;
            }
            db.batch("COMMIT")?;
            Ok(outcomes)
        })();
        if run.is_err() {
            let _ = db.batch("ROLLBACK");
            // The timelines kept may be the rolled-back batch's.
            kept.clear();
        }
        run
    }
}

/// A reading ready to store: its report text, and its compressed JSON, disagreements, control
/// claims and key worked out already, so that the work can be done on many threads before the one
/// writer stores it.
pub struct Prepared {
    /// The report's text.
    pub text: String,
    /// The reading.
    pub reading: Reading,
    reading_zst: Vec<u8>,
    disagreements: Vec<DisagreementRow>,
    /// The reading's control claims, their evidence cut from the text.
    control: Vec<ControlClaim>,
    hash: String,
}

/// `bytes` as one zstd frame at [`ZSTD_LEVEL`], by a compressor kept per thread: a new one
/// for every reading allocated and zeroed its tables each time (ingest is 8% faster without).
fn compress(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    thread_local! {
        static COMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> = const { std::cell::RefCell::new(None) };
    }
    COMPRESSOR.with_borrow_mut(|kept| {
        let compressor = match kept {
            Some(c) => c,
            None => kept.insert(zstd::bulk::Compressor::new(ZSTD_LEVEL)?),
        };
        compressor.compress(bytes)
    })
}

/// A row of the disagreements table: quantity, unit, whether the figures conflict, and the
/// figures themselves as a JSON array.
struct DisagreementRow(String, String, bool, String);

impl Prepared {
    /// Serialises, compresses and keys `reading`.
    pub fn new(text: String, reading: Reading) -> Result<Prepared, StoreError> {
        let json = serde_json::to_vec(&reading)?;
        let reading_zst = compress(&json).map_err(|e| StoreError::Corrupt(format!("compressing a reading: {e}")))?;
        let disagreements = reading
            .disagreements
            .iter()
            .map(|d| {
                let figures: Vec<&sitrep_read::NumberReading> = d.numbers.iter().filter_map(|&i| reading.numbers.get(i)).collect();
                Ok(DisagreementRow(d.quantity.as_str().to_owned(), label(&d.unit), d.conflicting, serde_json::to_string(&figures)?))
            })
            .collect::<Result<_, StoreError>>()?;
        let hash = content_hash(&text, &reading);
        let control = ControlClaim::from_reading(&reading, &text);
        Ok(Prepared { text, reading, reading_zst, disagreements, control, hash })
    }

    /// The report's content key ([`content_hash`]).
    pub fn key(&self) -> &str {
        &self.hash
    }
}

/// The disagreements of a reading stored as JSON, each with its figures copied out of
/// `numbers` (as [`Prepared::new`] does from the reading itself).
fn disagreement_rows(reading: &serde_json::Value) -> Result<Vec<DisagreementRow>, StoreError> {
    let numbers = reading["numbers"].as_array().map(Vec::as_slice).unwrap_or_default();
    let mut rows = Vec::new();
    for d in reading["disagreements"].as_array().into_iter().flatten() {
        let figures: Vec<&serde_json::Value> = d["numbers"].as_array().into_iter().flatten().filter_map(|i| numbers.get(i.as_u64()? as usize)).collect();
        let text = |k: &str| d[k].as_str().unwrap_or_default().to_owned();
        rows.push(DisagreementRow(text("quantity"), text("unit"), d["conflicting"].as_bool().unwrap_or(false), serde_json::to_string(&figures)?));
    }
    Ok(rows)
}

/// Writes disagreements, each with the id of its report.
fn insert_disagreements(db: &mut dyn Db, rows: &[(i64, &DisagreementRow)]) -> Result<(), StoreError> {
    let values: Vec<[Param<'_>; 5]> = rows
        .iter()
        .map(|&(report_id, DisagreementRow(quantity, unit, conflicting, numbers))| {
            [Param::Int(report_id), Param::Text(quantity), Param::Text(unit), Param::Bool(*conflicting), Param::Text(numbers)]
        })
        .collect();
    copy_rows(db, "disagreements", "report_id, quantity, unit, conflicting, numbers", &values)
}

/// Rows inserted with as few statements as possible: `head` (up to `VALUES`) followed by up
/// to [`ROWS_PER_STATEMENT`] rows of parameters each, then `tail` (a conflict clause, and a
/// `RETURNING` clause whose rows are returned).
pub(crate) fn insert_rows<const N: usize>(db: &mut dyn Db, head: &str, rows: &[[Param<'_>; N]], tail: &str) -> Result<Vec<Row>, StoreError> {
    insert_rows_sharing(db, head, &[], rows, tail)
}

/// Rows inserted as [`insert_rows`] does, after `shared`: parameters every statement binds
/// first (`$1` up to `$n`, which `head` names), once, however many rows name them; the rows'
/// own parameters are numbered after them.
pub(crate) fn insert_rows_sharing<const N: usize>(
    db: &mut dyn Db,
    head: &str,
    shared: &[Param<'_>],
    rows: &[[Param<'_>; N]],
    tail: &str,
) -> Result<Vec<Row>, StoreError> {
    use std::fmt::Write as _;
    let mut returned = Vec::new();
    let mut params: Vec<Param<'_>> = Vec::with_capacity(shared.len() + N * rows.len().min(ROWS_PER_STATEMENT));
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut sql = String::with_capacity(head.len() + tail.len() + chunk.len() * N * 6);
        sql.push_str(head);
        for r in 0..chunk.len() {
            sql.push_str(if r == 0 { " (" } else { ", (" });
            for c in 0..N {
                if c > 0 {
                    sql.push_str(", ");
                }
                let _ = write!(sql, "${}", shared.len() + r * N + c + 1);
            }
            sql.push(')');
        }
        sql.push_str(tail);
        params.clear();
        params.extend_from_slice(shared);
        params.extend(chunk.iter().flatten().copied());
        returned.extend(db.query(&sql, &params)?);
    }
    Ok(returned)
}

/// Rows appended to `table`'s `columns` (comma-separated) that can conflict with no stored
/// row: PostgreSQL takes them with one binary `COPY` ([`Db::copy_in`]), which parses and plans
/// nothing per row; SQLite inserts them as [`insert_rows`] does.
///
/// SQLite's statements say `OR FAIL`: an insert of several rows that could stop halfway
/// (`ABORT`, the default) has SQLite copy every page it changes that the file held before the
/// statement into a statement journal first, to undo the rows already in; a large share of
/// the writer's time where the rows fill pages freed just before (a settlement's timeline
/// rows, deleted and written again). Nothing here needs that undoing: a statement that fails
/// fails its batch, which is rolled back to the savepoint of its report or whole (so is a
/// migration). Tables with foreign keys still journal (SQLite checks those at the
/// statement's end).
pub(crate) fn copy_rows<const N: usize>(db: &mut dyn Db, table: &str, columns: &str, rows: &[[Param<'_>; N]]) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    match db.dialect() {
        Dialect::Postgres => db.copy_in(table, columns, rows.as_flattened(), N).map(drop),
        Dialect::Sqlite => insert_rows(db, &format!("INSERT OR FAIL INTO {table} ({columns}) VALUES"), rows, "").map(drop),
    }
}

/// Rows per multi-row INSERT: few round trips, and few distinct statements to cache.
const ROWS_PER_STATEMENT: usize = 64;

/// Brings SQLite reports stored before readings were compressed up to date: compresses each
/// reading and fills in its disagreements (a step of [`schema::migrate`]).
pub(crate) fn compress_stored_readings(db: &mut dyn Db) -> Result<(), StoreError> {
    let old = db.query("SELECT id, reading FROM reports WHERE reading_zst IS NULL", &[])?;
    for row in old {
        let (id, json) = (row[0].int(), row[1].text());
        let zst = compress(json.as_bytes()).map_err(|e| StoreError::Corrupt(format!("compressing report {id}: {e}")))?;
        let rows = disagreement_rows(&serde_json::from_str(&json)?)?;
        insert_disagreements(db, &rows.iter().map(|r| (id, r)).collect::<Vec<_>>())?;
        db.execute("UPDATE reports SET reading_zst = $1, reading = '' WHERE id = $2", &[Param::Blob(&zst), Param::Int(id)])?;
    }
    Ok(())
}

/// Gives every stored event with a point its grid cell (a step of [`schema::migrate`]).
pub(crate) fn fill_cells(db: &mut dyn Db) -> Result<(), StoreError> {
    let located = db.query("SELECT id, lat, lon FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL AND cell IS NULL", &[])?;
    for row in located {
        let (Some(lat), Some(lon)) = (row[1].opt_real(), row[2].opt_real()) else { continue };
        db.execute("UPDATE events SET cell = $1 WHERE id = $2", &[Param::Int(grid::cell(lat, lon)), Param::Int(row[0].int())])?;
    }
    Ok(())
}

/// What writing a report came to: the outcome, and the control claims it brought (for the
/// timelines, once the batch is in).
type Written = (Ingested, Vec<ControlClaim>);

/// Writes readings (no commit): the reports' rows, their places, claims, control claims and
/// events, kind by kind, rows of a kind for all the reports together in a few statements.
/// Each event is merged into the first event that tells it again: stored, or new earlier in
/// the batch (the order one report after the other would give), looked up in the grid cells
/// around its place. A report already stored writes nothing.
fn write_reports<P: std::borrow::Borrow<Prepared>>(db: &mut dyn Db, items: &[P]) -> Result<Vec<Written>, StoreError> {
    let items: Vec<&Prepared> = items.iter().map(std::borrow::Borrow::borrow).collect();
    let now = chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string();
    let published: Vec<Option<String>> = items.iter().map(|item| item.reading.published.map(|d| d.to_string())).collect();
    // The readings are kept compressed; the plain `reading` column stays empty.
    let reports: Vec<[Param<'_>; 11]> = items
        .iter()
        .zip(&published)
        .map(|(item, published)| {
            let reading = &item.reading;
            [
                Param::Text(&item.hash),
                Param::Text(&reading.id),
                reading.title.as_deref().into(),
                reading.byline.as_deref().into(),
                reading.source.as_deref().into(),
                reading.url.as_deref().into(),
                published.as_deref().into(),
                Param::Text(&now),
                Param::Blob(&item.reading_zst),
                Param::Text(&item.text),
                Param::Text(""),
            ]
        })
        .collect();
    let inserted = insert_rows(
        db,
        "INSERT INTO reports (content_hash, doc_id, title, byline, source, url, published, ingested_at, reading_zst, text, reading) VALUES",
        &reports,
        " ON CONFLICT (content_hash) DO NOTHING RETURNING id, content_hash",
    )?;
    // A report the store held already gets no id; of two alike in the batch, the first takes it.
    let mut ids: HashMap<String, i64> = inserted.iter().map(|r| (r[1].text(), r[0].int())).collect();
    let report_ids: Vec<Option<i64>> = items.iter().map(|item| ids.remove(&item.hash)).collect();
    let new: Vec<(i64, &Prepared)> = items.iter().zip(&report_ids).filter_map(|(item, id)| Some(((*id)?, *item))).collect();

    let mut places: Vec<[Param<'_>; 7]> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for p in new.iter().flat_map(|(_, item)| &item.reading.places).filter(|p| seen.insert(p.id.as_str())) {
        places.push([
            Param::Text(&p.id),
            Param::Text(&p.name),
            Param::Text(p.feature.as_str()),
            p.admin1.as_deref().into(),
            p.country.as_deref().into(),
            Param::Real(p.lat),
            Param::Real(p.lon),
        ]);
    }
    insert_rows(db, "INSERT INTO places (id, name, feature, admin1, country, lat, lon) VALUES", &places, " ON CONFLICT (id) DO NOTHING")?;
    // A report's places are new rows (its id is new): of a place listed twice, the first row
    // goes in, as an insert that skips conflicts would leave it.
    let mut listed = std::collections::HashSet::new();
    let mentions: Vec<[Param<'_>; 3]> = new
        .iter()
        .flat_map(|&(id, item)| item.reading.places.iter().map(move |p| (id, p)))
        .filter(|&(id, p)| listed.insert((id, p.id.as_str())))
        .map(|(id, p)| [Param::Int(id), Param::Text(&p.id), Param::Int(p.mentions.len() as i64)])
        .collect();
    copy_rows(db, "report_places", "report_id, place_id, mentions", &mentions)?;
    insert_disagreements(db, &new.iter().flat_map(|&(id, item)| item.disagreements.iter().map(move |d| (id, d))).collect::<Vec<_>>())?;
    let labels: Vec<(Option<String>, String)> =
        new.iter().flat_map(|(_, item)| &item.reading.claims).map(|c| (c.claimant.as_ref().map(|x| label(&x.kind)), label(&c.certainty))).collect();
    let claims: Vec<[Param<'_>; 7]> = new
        .iter()
        .flat_map(|&(id, item)| item.reading.claims.iter().map(move |c| (id, c)))
        .zip(&labels)
        .map(|((id, c), (kind, certainty))| {
            [
                Param::Int(id),
                c.claimant.as_ref().map(|x| x.name.as_str()).into(),
                kind.as_deref().into(),
                Param::Text(&c.cue),
                Param::Text(certainty),
                Param::Bool(c.affirmative),
                Param::Text(&c.text),
            ]
        })
        .collect();
    copy_rows(db, "claims", "report_id, claimant, claimant_kind, cue, certainty, affirmative, evidence", &claims)?;
    let control: Vec<Vec<ControlClaim>> = new.iter().map(|(_, item)| item.control.clone()).collect();
    crate::timeline::insert_claims(db, &new.iter().zip(&control).flat_map(|(&(id, _), claims)| claims.iter().map(move |c| (id, c))).collect::<Vec<_>>())?;

    let mut outcomes: Vec<Ingested> = new
        .iter()
        .zip(&control)
        .map(|((_, item), control)| Ingested { new_report: true, claims: item.reading.claims.len(), control_claims: control.len(), ..Ingested::default() })
        .collect();
    let (targets, fresh) = merge_events(db, &new.iter().map(|(_, item)| item.reading.events.as_slice()).collect::<Vec<_>>(), &mut outcomes)?;
    // The tellings are new rows (their reports are new): of two with one key, the first goes
    // in, as an insert that skips conflicts would leave it.
    let mut tellings: Vec<Telling<'_>> = Vec::new();
    let mut keyed = std::collections::HashSet::new();
    for (&(report_id, item), report_targets) in new.iter().zip(&targets) {
        for (e, &target) in item.reading.events.iter().zip(report_targets) {
            let told = std::iter::once((e.text.as_str(), e.claimant.as_deref(), &e.certainty))
                .chain(e.also.iter().map(|a| (a.text.as_str(), a.claimant.as_deref(), &a.certainty)));
            for (text, claimant, certainty) in told {
                let key = evidence_key(text);
                if keyed.insert((target, report_id, key)) {
                    tellings.push(Telling { target, report_id, item, evidence: text, key, claimant, certainty: label(certainty) });
                }
            }
        }
    }
    // Each event's tellings, as its row keeps its first ones (crate::firsts).
    let mut added: HashMap<Target, Vec<firsts::Added<'_>>> = HashMap::new();
    for t in &tellings {
        let json = firsts::telling_json(t.report_id, &t.item.reading.id, t.item.reading.source.as_deref(), t.evidence, t.claimant, &t.certainty);
        added.entry(t.target).or_default().push(firsts::Added { report_id: t.report_id, key: t.key, evidence: t.evidence, json });
    }
    // A new event goes in with its count of tellings and its first ones; a stored one has
    // them brought up to date below.
    let (counts, columns): (Vec<i64>, Vec<String>) = (0..fresh.len())
        .map(|n| {
            let told = added.get(&Target::New(n)).map(Vec::as_slice).unwrap_or_default();
            (told.len() as i64, firsts::column_of(told))
        })
        .unzip();
    let ids = insert_events(db, &fresh, &counts, &columns)?;
    let id_of = |target: Target| match target {
        Target::Stored(id) => id,
        Target::New(n) => ids[n],
    };
    let rows: Vec<[Param<'_>; 6]> = tellings
        .iter()
        .map(|t| {
            [Param::Int(id_of(t.target)), Param::Int(t.report_id), Param::Text(t.evidence), Param::Int(t.key), t.claimant.into(), Param::Text(&t.certainty)]
        })
        .collect();
    copy_rows(db, "event_sources", "event_id, report_id, evidence, evidence_key, claimant, certainty", &rows)?;
    let stored: Vec<(i64, &[firsts::Added<'_>])> = added
        .iter()
        .filter_map(|(target, told)| match target {
            Target::Stored(id) => Some((*id, told.as_slice())),
            Target::New(_) => None,
        })
        .collect();
    add_to_stored(db, stored)?;

    // Every item in its place: the new ones with what they brought, the others as stored before.
    let mut written = outcomes.into_iter().zip(control);
    Ok(report_ids
        .iter()
        .map(|id| match id {
            Some(_) => written.next().expect("one outcome per new report"),
            None => (Ingested::default(), Vec::new()),
        })
        .collect())
}

/// Adds tellings just stored to stored events (each event's id and its tellings): to their
/// counts, and to the first tellings they keep. The columns are read (on PostgreSQL locked
/// until the commit, so that no other writer changes one in between) and those that change
/// written again with the counts; the other events' counts are raised by one statement for
/// all the events given the same number of new tellings. An event that keeps none (NULL) is
/// left so, and one whose column does not read keeps none from then on.
fn add_to_stored(db: &mut dyn Db, mut told: Vec<(i64, &[firsts::Added<'_>])>) -> Result<(), StoreError> {
    if told.is_empty() {
        return Ok(());
    }
    told.sort_unstable_by_key(|t| t.0);
    let ids: Vec<i64> = told.iter().map(|t| t.0).collect();
    let lock = if db.dialect() == Dialect::Postgres { " FOR UPDATE" } else { "" };
    let mut kept: HashMap<i64, Option<String>> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(crate::query::IDS_PER_QUERY) {
        let sql = format!("SELECT id, first_tellings FROM events WHERE id IN (SELECT e.value FROM {}) ORDER BY id{lock}", crate::query::id_rows(db.dialect()));
        db.query_each(&sql, &[Param::Text(&crate::query::id_set(db.dialect(), chunk))], &mut |r| {
            kept.insert(r.int(0), r.opt_text(1).map(str::to_owned));
            Ok(())
        })?;
    }
    let mut columns: Vec<(i64, i64, String)> = Vec::new();
    let mut by_count: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    let mut unreadable = Vec::new();
    for (id, added) in told {
        let n = added.len() as i64;
        let Some(column) = kept.get(&id).and_then(|c| c.as_deref()) else {
            by_count.entry(n).or_default().push(id);
            continue;
        };
        match firsts::Column::of(column.as_bytes()).and_then(|c| c.tellings()) {
            Some(tellings) => match firsts::merge(&tellings, added) {
                Some(column) => columns.push((id, n, column)),
                None => by_count.entry(n).or_default().push(id),
            },
            // Kept no more: its tellings are read from their rows.
            None => {
                unreadable.push(id);
                by_count.entry(n).or_default().push(id);
            }
        }
    }
    firsts::write_columns(db, &columns)?;
    for id in unreadable {
        db.execute("UPDATE events SET first_tellings = NULL WHERE id = $1", &[Param::Int(id)])?;
    }
    for (n, events) in by_count {
        // Ids and counts are the store's own integers, written inline.
        let list = events.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        db.execute(&format!("UPDATE events SET tellings = tellings + {n} WHERE id IN ({list})"), &[])?;
    }
    Ok(())
}

/// A telling to store: where its event goes, its report (id and what was read), its evidence
/// and the evidence's key, its claimant and its certainty.
struct Telling<'a> {
    target: Target,
    report_id: i64,
    item: &'a Prepared,
    evidence: &'a str,
    key: i64,
    claimant: Option<&'a str>,
    certainty: String,
}

/// The new events of a batch, each with whether any of its tellings hit civilians.
type Fresh<'e> = Vec<(&'e EventReading, bool)>;

/// Where an event of the batch being written goes: into a stored event, or the batch's `n`th
/// new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Target {
    Stored(i64),
    New(usize),
}

/// An event that a new one might tell again: stored, or new in the batch being written.
struct Candidate {
    target: Target,
    cell: i64,
    event_type: String,
    side: Option<String>,
    lat: f64,
    lon: f64,
    date_from: String,
    date_to: String,
}

/// Where an event with a place and a date looks for merge candidates: the grid cells within
/// [`MERGE_KM`] of its place, stored events whose end date is within [`MERGE_WINDOW_DAYS`] of
/// its own (and no earlier than its start), and whose start is no later than its end.
#[derive(Debug, Clone, PartialEq)]
struct Window {
    cells: Vec<i64>,
    ends_from: String,
    ends_to: String,
    last_start: String,
}

impl Window {
    /// `None` for an event without a place or a date (it is never merged).
    fn of(e: &EventReading) -> Option<Window> {
        let (place, date) = (e.place.as_ref()?, e.date.as_ref()?);
        let window = chrono::Duration::days(MERGE_WINDOW_DAYS);
        Some(Window {
            cells: grid::neighbourhood(place.lat, place.lon, MERGE_KM),
            ends_from: date.from.max(date.to - window).to_string(),
            ends_to: (date.to + window).to_string(),
            last_start: date.to.to_string(),
        })
    }

    fn holds(&self, c: &Candidate) -> bool {
        self.cells.binary_search(&c.cell).is_ok() && c.date_to >= self.ends_from && c.date_to <= self.ends_to && c.date_from <= self.last_start
    }
}

/// The candidates of each grid cell and event type, by their place in the batch's list of
/// candidates, ascending: an event looks only at those of its own type in its window's cells,
/// and in each cell only until the first that tells it again (a busy town's cell holds
/// thousands of candidates of every type and date).
#[derive(Default)]
struct CandidateIndex {
    /// Event types, numbered as first met.
    types: HashMap<String, usize>,
    lists: HashMap<(i64, usize), Vec<usize>>,
}

impl CandidateIndex {
    /// Files candidate `i` (every candidate after those already filed).
    fn file(&mut self, i: usize, c: &Candidate) {
        let next = self.types.len();
        let kind = *self.types.entry(c.event_type.clone()).or_insert(next);
        self.lists.entry((c.cell, kind)).or_default().push(i);
    }

    /// The first of `candidates` (in their order) that the event of `probe`, in window `w`, tells again: in
    /// each of the window's cells the first its type's list holds that the window holds and
    /// [`Probe::tells_again`] accepts, the earliest of those. The same as looking through every
    /// candidate in order, since each lies in one cell.
    fn first_match(&self, candidates: &[Candidate], w: &Window, probe: &Probe) -> Option<Target> {
        let kind = *self.types.get(&probe.kind)?;
        let mut best = usize::MAX;
        for &cell in &w.cells {
            let Some(list) = self.lists.get(&(cell, kind)) else { continue };
            if let Some(&i) = list.iter().take_while(|&&i| i < best).find(|&&i| w.holds(&candidates[i]) && probe.tells_again(&candidates[i])) {
                best = i;
            }
        }
        candidates.get(best).map(|c| c.target)
    }
}

/// Decides, report after report and in order, where each event goes: into the first event
/// (stored, or new earlier in the batch) that tells it again, else a new event; then adds the
/// marks stored ones that a telling says hit civilians. Stored candidates are looked up once
/// for the whole batch. Returns where each report's events go and the new events (each with
/// whether it hit civilians), for [`insert_events`], and counts them in `outcomes`.
fn merge_events<'e>(db: &mut dyn Db, reports: &[&'e [EventReading]], outcomes: &mut [Ingested]) -> Result<(Vec<Vec<Target>>, Fresh<'e>), StoreError> {
    let windows: Vec<Vec<Option<Window>>> = reports.iter().map(|events| events.iter().map(Window::of).collect()).collect();
    let mut candidates = stored_candidates(db, windows.iter().flatten().flatten())?;
    let mut index = CandidateIndex::default();
    for (i, c) in candidates.iter().enumerate() {
        index.file(i, c);
    }
    let mut targets: Vec<Vec<Target>> = Vec::with_capacity(reports.len());
    // The new events, each with whether any of its tellings hit civilians.
    let mut fresh: Fresh<'_> = Vec::new();
    let mut civilian: Vec<i64> = Vec::new();
    for ((events, windows), outcome) in reports.iter().zip(&windows).zip(outcomes.iter_mut()) {
        let mut report_targets = Vec::with_capacity(events.len());
        for (e, window) in events.iter().zip(windows) {
            let target = window.as_ref().zip(Probe::of(e)).and_then(|(w, probe)| index.first_match(&candidates, w, &probe));
            let target = match target {
                Some(target) => {
                    outcome.events_merged += 1;
                    match target {
                        Target::Stored(id) if e.civilian_targeting && !civilian.contains(&id) => civilian.push(id),
                        Target::New(n) => fresh[n].1 |= e.civilian_targeting,
                        Target::Stored(_) => {}
                    }
                    target
                }
                None => {
                    outcome.events_new += 1;
                    let target = Target::New(fresh.len());
                    fresh.push((e, e.civilian_targeting));
                    if let Some(c) = candidate_of(target, e) {
                        index.file(candidates.len(), &c);
                        candidates.push(c);
                    }
                    target
                }
            };
            report_targets.push(target);
        }
        targets.push(report_targets);
    }
    for id in civilian {
        db.execute("UPDATE events SET civilian_targeting = $1 WHERE id = $2", &[Param::Bool(true), Param::Int(id)])?;
    }
    Ok((targets, fresh))
}

/// Ranges of stored events looked up per statement: one statement shape for up to this many
/// (the last repeated to fill it), so that each database prepares it once.
const RANGES_PER_QUERY: usize = 16;

/// The stored events that any of `windows` might hold, in the order stored (by id), with no
/// repeats. The windows are gathered by cell first: a cell's windows' ranges of end dates,
/// joined where they overlap, are each looked up once, so that the events of a busy cell are
/// read once for the batch rather than once per window that covers them. What this reads
/// beyond a window's own events, each event's window leaves out when it looks
/// ([`Window::holds`]).
fn stored_candidates<'w>(db: &mut dyn Db, windows: impl Iterator<Item = &'w Window>) -> Result<Vec<Candidate>, StoreError> {
    let mut by_cell: HashMap<i64, Vec<(&str, &str, &str)>> = HashMap::new();
    for w in windows {
        for &cell in &w.cells {
            by_cell.entry(cell).or_default().push((&w.ends_from, &w.ends_to, &w.last_start));
        }
    }
    // Per cell, end dates from..=to with starts no later than `last`, the ranges disjoint.
    let mut ranges: Vec<(i64, &str, &str, &str)> = Vec::new();
    for (cell, mut spans) in by_cell {
        spans.sort_unstable();
        let mut spans = spans.into_iter();
        let Some((mut from, mut to, mut last)) = spans.next() else { continue };
        for (f, t, l) in spans {
            if f <= to {
                to = to.max(t);
                last = last.max(l);
            } else {
                ranges.push((cell, from, to, last));
                (from, to, last) = (f, t, l);
            }
        }
        ranges.push((cell, from, to, last));
    }
    ranges.sort_unstable();
    let mut out: Vec<(i64, Candidate)> = Vec::new();
    for group in ranges.chunks(RANGES_PER_QUERY) {
        let mut params: Vec<Param<'_>> = Vec::with_capacity(4 * RANGES_PER_QUERY);
        let mut parts: Vec<String> = Vec::with_capacity(RANGES_PER_QUERY);
        for i in 0..RANGES_PER_QUERY {
            let &(cell, from, to, last) = group.get(i).or(group.last()).expect("a chunk is never empty");
            // Placeholders appear in the order of their numbers (SQLite numbers `$n` by first use).
            let first = params.len() + 1;
            params.extend([Param::Int(cell), Param::Text(from), Param::Text(to), Param::Text(last)]);
            // The index is on (cell, end date): bounding the end date on both sides keeps the
            // scan to the window's neighbourhood in time however long the store's history is.
            parts.push(format!(
                "SELECT id, cell, event_type, side, lat, lon, date_from, date_to FROM events
                 WHERE cell = ${first} AND date_to BETWEEN ${} AND ${} AND date_from <= ${}",
                first + 1,
                first + 2,
                first + 3
            ));
        }
        for r in db.query(&parts.join(" UNION ALL "), &params)? {
            let (Some(lat), Some(lon)) = (r[4].opt_real(), r[5].opt_real()) else { continue };
            let id = r[0].int();
            out.push((
                id,
                Candidate {
                    target: Target::Stored(id),
                    cell: r[1].int(),
                    event_type: r[2].text(),
                    side: r[3].opt_text(),
                    lat,
                    lon,
                    date_from: r[6].text(),
                    date_to: r[7].text(),
                },
            ));
        }
    }
    out.sort_unstable_by_key(|(id, _)| *id);
    out.dedup_by_key(|(id, _)| *id);
    Ok(out.into_iter().map(|(_, c)| c).collect())
}

/// A new event as a candidate for the batch's later events; none without a place or a date.
fn candidate_of(target: Target, e: &EventReading) -> Option<Candidate> {
    let (place, date) = (e.place.as_ref()?, e.date.as_ref()?);
    Some(Candidate {
        target,
        cell: grid::cell(place.lat, place.lon),
        event_type: label(&e.event.event_type),
        side: e.event.actor.as_ref().and_then(|a| a.side).map(|s| s.code().to_owned()),
        lat: place.lat,
        lon: place.lon,
        date_from: date.from.to_string(),
        date_to: date.to.to_string(),
    })
}

/// What an event with a place and a date is compared by: type, side, days and point.
struct Probe {
    kind: String,
    side: Option<&'static str>,
    from: String,
    to: String,
    point: LatLon,
}

impl Probe {
    /// `None` for an event without a place or a date: there is nothing to tell two such events
    /// apart, so it is never merged.
    fn of(e: &EventReading) -> Option<Probe> {
        let (place, date) = (e.place.as_ref()?, e.date.as_ref()?);
        Some(Probe {
            kind: label(&e.event.event_type),
            side: e.event.actor.as_ref().and_then(|a| a.side).map(sitrep_read::Side::code),
            from: date.from.to_string(),
            to: date.to.to_string(),
            point: LatLon::new(place.lat, place.lon),
        })
    }

    /// True when the event tells candidate `c` again: same type, places within [`MERGE_KM`],
    /// overlapping dates, sides that agree.
    fn tells_again(&self, c: &Candidate) -> bool {
        c.event_type == self.kind
            && (self.side.is_none() || c.side.is_none() || c.side.as_deref() == self.side)
            && c.date_to >= self.from
            && c.date_from <= self.to
            && distance_km(LatLon::new(c.lat, c.lon), self.point) <= MERGE_KM
    }
}

/// Ids for `n` new events, ascending: the ones the database would give them (SQLite: after the
/// largest; PostgreSQL: the next of the identity's sequence).
fn new_event_ids(db: &mut dyn Db, n: usize) -> Result<Vec<i64>, StoreError> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let count = i64::try_from(n).map_err(|_| StoreError::Corrupt("too many events".into()))?;
    let mut ids: Vec<i64> = match db.dialect() {
        Dialect::Sqlite => {
            // The writer holds SQLite's write lock: no one else takes these.
            let last = db.query("SELECT COALESCE(MAX(id), 0) FROM events", &[])?.first().map_or(0, |r| r[0].int());
            (last + 1..=last + count).collect()
        }
        Dialect::Postgres => db
            .query("SELECT nextval(pg_get_serial_sequence('events', 'id')) FROM generate_series(1, $1)", &[Param::Int(count)])?
            .iter()
            .map(|r| r[0].int())
            .collect(),
    };
    ids.sort_unstable();
    Ok(ids)
}

/// Adds the batch's new events (each with whether it hit civilians), each with its count of
/// tellings and its first ones ([`crate::firsts`]); returns their ids.
fn insert_events(db: &mut dyn Db, fresh: &[(&EventReading, bool)], tellings: &[i64], first_tellings: &[String]) -> Result<Vec<i64>, StoreError> {
    let ids = new_event_ids(db, fresh.len())?;
    // Texts the rows borrow: type, first and last day, date precision.
    let texts: Vec<[Option<String>; 4]> = fresh
        .iter()
        .map(|(e, _)| {
            let date = e.date.as_ref();
            [Some(label(&e.event.event_type)), date.map(|d| d.from.to_string()), date.map(|d| d.to.to_string()), date.map(|d| label(&d.precision))]
        })
        .collect();
    let rows: Vec<[Param<'_>; 21]> = fresh
        .iter()
        .zip(&texts)
        .zip(ids.iter().zip(tellings).zip(first_tellings))
        .map(|(((e, civilian), [kind, date_from, date_to, date_precision]), ((&id, &told), first))| {
            let place = e.place.as_ref();
            let actor = e.event.actor.as_ref();
            [
                Param::Int(id),
                kind.as_deref().into(),
                Param::Text(e.event.plover),
                actor.map(|a| a.name.as_str()).into(),
                actor.and_then(|a| a.side).map(sitrep_read::Side::code).into(),
                e.event.held_before.map(sitrep_read::Side::code).into(),
                e.event.held_after.map(sitrep_read::Side::code).into(),
                place.map(|p| p.id.as_str()).into(),
                place.map(|p| p.name.as_str()).into(),
                place.map(|p| i64::from(p.precision)).into(),
                place.map(|p| p.lat).into(),
                place.map(|p| p.lon).into(),
                date_from.as_deref().into(),
                date_to.as_deref().into(),
                date_precision.as_deref().into(),
                place.map(|p| grid::cell(p.lat, p.lon)).into(),
                e.event.target.as_ref().map(|t| t.name.as_str()).into(),
                e.event.target.as_ref().and_then(|t| t.side).map(sitrep_read::Side::code).into(),
                Param::Bool(*civilian),
                Param::Int(told),
                Param::Text(first),
            ]
        })
        .collect();
    // COPY writes the ids given into PostgreSQL's identity column, as an insert overriding it would.
    copy_rows(
        db,
        "events",
        "id, event_type, plover, actor, side, held_before, held_after, place_id, place_name, precision, lat, lon, date_from, date_to, date_precision, cell, target, target_side, civilian_targeting, tellings, first_tellings",
        &rows,
    )?;
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small generator of numbers (64-bit LCG), so that the test needs no dependency.
    struct Numbers(u64);

    impl Numbers {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }
    }

    fn day(n: u64) -> String {
        (chrono::NaiveDate::from_ymd_opt(2022, 3, 1).unwrap() + chrono::Days::new(n)).to_string()
    }

    #[test]
    fn the_index_finds_the_first_candidate_a_walk_over_all_of_them_finds() {
        let mut rng = Numbers(7);
        let kinds = ["battle", "shelling", "airstrike"];
        let sides = [None, Some("UA"), Some("RU")];
        // Candidates crowded around two towns, of every type, side and a few months of dates.
        let towns = [(49.70, 37.60), (48.59, 38.00)];
        let candidates: Vec<Candidate> = (0..3000)
            .map(|n| {
                let (lat, lon) = towns[rng.below(2) as usize];
                let (lat, lon) = (lat + (rng.below(600) as f64 - 300.0) / 1000.0, lon + (rng.below(600) as f64 - 300.0) / 1000.0);
                let from = rng.below(120);
                Candidate {
                    target: if n % 3 == 0 { Target::New(n) } else { Target::Stored(n as i64) },
                    cell: grid::cell(lat, lon),
                    event_type: kinds[rng.below(3) as usize].to_owned(),
                    side: sides[rng.below(3) as usize].map(str::to_owned),
                    lat,
                    lon,
                    date_from: day(from),
                    date_to: day(from + rng.below(4)),
                }
            })
            .collect();
        let mut index = CandidateIndex::default();
        for (i, c) in candidates.iter().enumerate() {
            index.file(i, c);
        }
        let (mut found, mut none) = (0, 0);
        for _ in 0..2000 {
            let (lat, lon) = towns[rng.below(2) as usize];
            let (lat, lon) = (lat + (rng.below(800) as f64 - 400.0) / 1000.0, lon + (rng.below(800) as f64 - 400.0) / 1000.0);
            let (from, to) = {
                let from = rng.below(130);
                (from, from + rng.below(3))
            };
            let window = chrono::Duration::days(MERGE_WINDOW_DAYS);
            let (first, last) = (
                chrono::NaiveDate::from_ymd_opt(2022, 3, 1).unwrap() + chrono::Days::new(from),
                chrono::NaiveDate::from_ymd_opt(2022, 3, 1).unwrap() + chrono::Days::new(to),
            );
            let w = Window {
                cells: grid::neighbourhood(lat, lon, MERGE_KM),
                ends_from: first.max(last - window).to_string(),
                ends_to: (last + window).to_string(),
                last_start: last.to_string(),
            };
            let probe = Probe {
                kind: kinds[rng.below(4).min(2) as usize].to_owned(),
                side: sides[rng.below(3) as usize],
                from: first.to_string(),
                to: last.to_string(),
                point: LatLon::new(lat, lon),
            };
            let walked = candidates.iter().find(|c| w.holds(c) && probe.tells_again(c)).map(|c| c.target);
            assert_eq!(index.first_match(&candidates, &w, &probe), walked);
            if walked.is_some() {
                found += 1;
            } else {
                none += 1;
            }
        }
        // Both outcomes are exercised, not just one.
        assert!(found > 200 && none > 200, "{found} found, {none} not");
    }
}
