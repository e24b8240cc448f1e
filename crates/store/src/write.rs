//! Writing the store: a reading prepared on a reader thread ([`Prepared`]), then written by the
//! one writer in a savepoint of its batch's transaction, its events merged into stored ones
//! that tell the same event.

use sitrep_gazetteer::{distance_km, LatLon};
use sitrep_read::{EventReading, Reading};

use crate::{
    db::{Db, Dialect, Param},
    grid, label, Ingested, Store, StoreError, MERGE_KM, MERGE_WINDOW_DAYS, ZSTD_LEVEL,
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
fn fnv1a<'a>(fields: impl IntoIterator<Item = &'a [u8]>) -> u64 {
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

    /// Stores a batch of readings in one transaction, each report within a savepoint of its
    /// own: a report that fails is rolled back alone and its error returned in its place; the
    /// rest go in. A process killed mid-batch leaves none of the batch, and the next ingest
    /// stores it again. An error for the whole batch (the database went away) leaves nothing.
    pub fn ingest_batch<P: std::borrow::Borrow<Prepared>>(&mut self, items: &[P]) -> Result<Vec<Result<Ingested, StoreError>>, StoreError> {
        let db = self.db.as_mut();
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
            let mut outcomes = Vec::with_capacity(items.len());
            // The settlements the batch brings control claims about: their timelines are
            // rebuilt before the batch commits.
            let mut settlements = std::collections::BTreeSet::new();
            for item in items {
                db.batch("SAVEPOINT report")?;
                let outcome = write_one(db, item.borrow(), &mut settlements);
                match &outcome {
                    Ok(_) => db.batch("RELEASE report")?,
                    Err(e) if e.is_unavailable() => return Err(outcome.unwrap_err()),
                    Err(_) => db.batch("ROLLBACK TO report; RELEASE report")?,
                }
                outcomes.push(outcome);
            }
            crate::timeline::rebuild(db, &settlements)?;
            db.batch("COMMIT")?;
            Ok(outcomes)
        })();
        if run.is_err() {
            let _ = db.batch("ROLLBACK");
        }
        run
    }
}

/// A reading ready to store: its report text, and its compressed JSON, disagreements and key
/// worked out already, so that the work can be done on many threads before the one writer
/// stores it.
pub struct Prepared {
    /// The report's text.
    pub text: String,
    /// The reading.
    pub reading: Reading,
    reading_zst: Vec<u8>,
    disagreements: Vec<DisagreementRow>,
    hash: String,
}

/// A row of the disagreements table: quantity, unit, whether the figures conflict, and the
/// figures themselves as a JSON array.
struct DisagreementRow(String, String, bool, String);

impl Prepared {
    /// Serialises, compresses and keys `reading`.
    pub fn new(text: String, reading: Reading) -> Result<Prepared, StoreError> {
        let json = serde_json::to_vec(&reading)?;
        let reading_zst = zstd::encode_all(&json[..], ZSTD_LEVEL).map_err(|e| StoreError::Corrupt(format!("compressing a reading: {e}")))?;
        let disagreements = reading
            .disagreements
            .iter()
            .map(|d| {
                let figures: Vec<&sitrep_read::NumberReading> = d.numbers.iter().filter_map(|&i| reading.numbers.get(i)).collect();
                Ok(DisagreementRow(d.quantity.as_str().to_owned(), label(&d.unit), d.conflicting, serde_json::to_string(&figures)?))
            })
            .collect::<Result<_, StoreError>>()?;
        let hash = content_hash(&text, &reading);
        Ok(Prepared { text, reading, reading_zst, disagreements, hash })
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

fn insert_disagreements(db: &mut dyn Db, report_id: i64, rows: &[DisagreementRow]) -> Result<(), StoreError> {
    let values: Vec<[Param<'_>; 5]> = rows
        .iter()
        .map(|DisagreementRow(quantity, unit, conflicting, numbers)| {
            [Param::Int(report_id), Param::Text(quantity), Param::Text(unit), Param::Bool(*conflicting), Param::Text(numbers)]
        })
        .collect();
    insert_rows(db, "INSERT INTO disagreements (report_id, quantity, unit, conflicting, numbers) VALUES", &values, "")
}

/// Rows inserted with as few statements as possible: `head` (up to `VALUES`) followed by up
/// to [`ROWS_PER_STATEMENT`] rows of parameters each, then `tail` (a conflict clause).
pub(crate) fn insert_rows<const N: usize>(db: &mut dyn Db, head: &str, rows: &[[Param<'_>; N]], tail: &str) -> Result<(), StoreError> {
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut sql = String::with_capacity(head.len() + tail.len() + chunk.len() * N * 6);
        sql.push_str(head);
        for r in 0..chunk.len() {
            sql.push_str(if r == 0 { " (" } else { ", (" });
            for c in 0..N {
                if c > 0 {
                    sql.push_str(", ");
                }
                sql.push('$');
                sql.push_str(&(r * N + c + 1).to_string());
            }
            sql.push(')');
        }
        sql.push_str(tail);
        let params: Vec<Param<'_>> = chunk.iter().flatten().copied().collect();
        db.execute(&sql, &params)?;
    }
    Ok(())
}

/// Grid cells one merge-candidate query looks in (a neighbourhood in Ukraine's latitudes has
/// at most 12).
const CELLS_PER_QUERY: usize = 16;

/// Rows per multi-row INSERT: few round trips, and few distinct statements to cache.
const ROWS_PER_STATEMENT: usize = 64;

/// Brings SQLite reports stored before readings were compressed up to date: compresses each
/// reading and fills in its disagreements (a step of [`schema::migrate`]).
pub(crate) fn compress_stored_readings(db: &mut dyn Db) -> Result<(), StoreError> {
    let old = db.query("SELECT id, reading FROM reports WHERE reading_zst IS NULL", &[])?;
    for row in old {
        let (id, json) = (row[0].int(), row[1].text());
        let zst = zstd::encode_all(json.as_bytes(), ZSTD_LEVEL).map_err(|e| StoreError::Corrupt(format!("compressing report {id}: {e}")))?;
        insert_disagreements(db, id, &disagreement_rows(&serde_json::from_str(&json)?)?)?;
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

/// Writes one reading (no commit): the report row, its places, claims, control claims and
/// events, in a handful of statements (rows of a kind go in together), each event merged into
/// the first stored event that tells it again, looked up in the grid cells around its place.
/// The settlements its control claims are about are added to `settlements`.
fn write_one(db: &mut dyn Db, item: &Prepared, settlements: &mut std::collections::BTreeSet<String>) -> Result<Ingested, StoreError> {
    let reading = &item.reading;
    let published = reading.published.map(|d| d.to_string());
    let now = chrono::Utc::now().format("%Y-%m-%d %H:%M:%S").to_string();
    let inserted = db.query(
        "INSERT INTO reports (content_hash, doc_id, title, byline, source, url, published, ingested_at, reading, reading_zst, text)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '', $9, $10) ON CONFLICT (content_hash) DO NOTHING RETURNING id",
        &[
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
        ],
    )?;
    let Some(report_id) = inserted.first().map(|r| r[0].int()) else {
        return Ok(Ingested::default());
    };
    let places: Vec<[Param<'_>; 7]> = reading
        .places
        .iter()
        .map(|p| {
            [
                Param::Text(&p.id),
                Param::Text(&p.name),
                Param::Text(p.feature.as_str()),
                p.admin1.as_deref().into(),
                p.country.as_deref().into(),
                Param::Real(p.lat),
                Param::Real(p.lon),
            ]
        })
        .collect();
    insert_rows(db, "INSERT INTO places (id, name, feature, admin1, country, lat, lon) VALUES", &places, " ON CONFLICT (id) DO NOTHING")?;
    let mentions: Vec<[Param<'_>; 3]> =
        reading.places.iter().map(|p| [Param::Int(report_id), Param::Text(&p.id), Param::Int(p.mentions.len() as i64)]).collect();
    insert_rows(db, "INSERT INTO report_places (report_id, place_id, mentions) VALUES", &mentions, " ON CONFLICT DO NOTHING")?;
    insert_disagreements(db, report_id, &item.disagreements)?;
    let labels: Vec<(Option<String>, String)> = reading.claims.iter().map(|c| (c.claimant.as_ref().map(|x| label(&x.kind)), label(&c.certainty))).collect();
    let claims: Vec<[Param<'_>; 7]> = reading
        .claims
        .iter()
        .zip(&labels)
        .map(|(c, (kind, certainty))| {
            [
                Param::Int(report_id),
                c.claimant.as_ref().map(|x| x.name.as_str()).into(),
                kind.as_deref().into(),
                Param::Text(&c.cue),
                Param::Text(certainty),
                Param::Bool(c.affirmative),
                Param::Text(&c.text),
            ]
        })
        .collect();
    insert_rows(db, "INSERT INTO claims (report_id, claimant, claimant_kind, cue, certainty, affirmative, evidence) VALUES", &claims, "")?;
    let control = crate::control::ControlClaim::from_reading(reading, &item.text);
    settlements.extend(crate::timeline::insert_claims(db, report_id, &control)?);
    let mut outcome = Ingested { new_report: true, claims: claims.len(), control_claims: control.len(), ..Ingested::default() };
    let mut tellings: Vec<(i64, &str, Option<&str>, String)> = Vec::new();
    for e in &reading.events {
        // Events stored earlier in this report are candidates too: they are in the table.
        let event_id = match merge_target(&merge_candidates(db, e)?, e) {
            Some(id) => {
                outcome.events_merged += 1;
                if e.civilian_targeting {
                    db.execute("UPDATE events SET civilian_targeting = $1 WHERE id = $2", &[Param::Bool(true), Param::Int(id)])?;
                }
                id
            }
            None => {
                outcome.events_new += 1;
                insert_event(db, e)?
            }
        };
        tellings.push((event_id, &e.text, e.claimant.as_deref(), label(&e.certainty)));
        tellings.extend(e.also.iter().map(|a| (event_id, a.text.as_str(), a.claimant.as_deref(), label(&a.certainty))));
    }
    let rows: Vec<[Param<'_>; 6]> = tellings
        .iter()
        .map(|(event, text, claimant, certainty)| {
            [Param::Int(*event), Param::Int(report_id), Param::Text(text), Param::Int(evidence_key(text)), (*claimant).into(), Param::Text(certainty)]
        })
        .collect();
    insert_rows(db, "INSERT INTO event_sources (event_id, report_id, evidence, evidence_key, claimant, certainty) VALUES", &rows, " ON CONFLICT DO NOTHING")?;
    Ok(outcome)
}

/// A stored event that a new one might tell again.
struct Candidate {
    id: i64,
    event_type: String,
    side: Option<String>,
    lat: f64,
    lon: f64,
    date_from: String,
    date_to: String,
}

/// The stored events that `e` might tell again: those in the grid cells within [`MERGE_KM`]
/// of its place whose dates meet its own, in the order stored. None for an event without a
/// place or a date (it is never merged).
fn merge_candidates(db: &mut dyn Db, e: &EventReading) -> Result<Vec<Candidate>, StoreError> {
    let (Some(place), Some(date)) = (e.place.as_ref(), e.date.as_ref()) else { return Ok(Vec::new()) };
    let cells = grid::neighbourhood(place.lat, place.lon, MERGE_KM);
    // The index is on (cell, end date): bounding the end date on both sides keeps the scan to
    // the window's neighbourhood in time however long the store's history is.
    let window = chrono::Duration::days(MERGE_WINDOW_DAYS);
    let (from, to) = ((date.from.max(date.to - window)).to_string(), (date.to + window).to_string());
    let last_start = date.to.to_string();
    // One statement shape for every neighbourhood of up to CELLS_PER_QUERY cells (the last
    // cell repeated to fill it), so that each database prepares it once; a larger one (near a
    // pole) gets a statement of its own size.
    let slots = cells.len().max(CELLS_PER_QUERY);
    // Placeholders appear in the order of their numbers (SQLite numbers `$n` by first use).
    let mut params: Vec<Param<'_>> = (0..slots).map(|i| Param::Int(cells.get(i).or(cells.last()).copied().unwrap_or_default())).collect();
    params.extend([Param::Text(&from), Param::Text(&to), Param::Text(&last_start)]);
    let placeholders: Vec<String> = (1..=slots).map(|i| format!("${i}")).collect();
    let rows = db.query(
        &format!(
            "SELECT id, event_type, side, lat, lon, date_from, date_to FROM events
             WHERE cell IN ({}) AND date_to BETWEEN ${} AND ${} AND date_from <= ${} ORDER BY id",
            placeholders.join(","),
            slots + 1,
            slots + 2,
            slots + 3
        ),
        &params,
    )?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some(Candidate {
                id: r[0].int(),
                event_type: r[1].text(),
                side: r[2].opt_text(),
                lat: r[3].opt_real()?,
                lon: r[4].opt_real()?,
                date_from: r[5].text(),
                date_to: r[6].text(),
            })
        })
        .collect())
}

/// The first stored event that `e` tells again: same type, places within [`MERGE_KM`],
/// overlapping dates, sides that agree. Without a place or a date there is nothing to tell two
/// events apart, so such an event is never merged.
fn merge_target(candidates: &[Candidate], e: &EventReading) -> Option<i64> {
    let (place, date) = (e.place.as_ref()?, e.date.as_ref()?);
    let (kind, side) = (label(&e.event.event_type), e.event.actor.as_ref().and_then(|a| a.side).map(sitrep_read::Side::code));
    let (from, to) = (date.from.to_string(), date.to.to_string());
    candidates
        .iter()
        .find(|c| {
            c.event_type == kind
                && (side.is_none() || c.side.is_none() || c.side.as_deref() == side)
                && c.date_to >= from
                && c.date_from <= to
                && distance_km(LatLon::new(c.lat, c.lon), LatLon::new(place.lat, place.lon)) <= MERGE_KM
        })
        .map(|c| c.id)
}

fn insert_event(db: &mut dyn Db, e: &EventReading) -> Result<i64, StoreError> {
    let place = e.place.as_ref();
    let actor = e.event.actor.as_ref();
    let (kind, date_from, date_to, date_precision) = (
        label(&e.event.event_type),
        e.date.as_ref().map(|d| d.from.to_string()),
        e.date.as_ref().map(|d| d.to.to_string()),
        e.date.as_ref().map(|d| label(&d.precision)),
    );
    let rows = db.query(
        "INSERT INTO events (event_type, plover, actor, side, held_before, held_after, place_id, place_name, precision, lat, lon, date_from, date_to, date_precision, cell, target, target_side, civilian_targeting)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING id",
        &[
            Param::Text(&kind),
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
            Param::Bool(e.civilian_targeting),
        ],
    )?;
    rows.first().map(|r| r[0].int()).ok_or_else(|| StoreError::Corrupt("an inserted event has no id".into()))
}
