//! The schema on each database, one migration per version, applied in order when a store is
//! opened. SQLite records its version in `PRAGMA user_version`; PostgreSQL in the table
//! `sitrep_schema`, under an advisory lock so that workers starting together migrate once.
//! PostgreSQL's first version is SQLite's third: the same tables, columns and keys, in
//! PostgreSQL's types.

use crate::{
    db::{Db, Dialect, Param},
    StoreError,
};

/// The SQLite schema, one migration per version.
pub const SQLITE: &[&str] = &[
    r"
    CREATE TABLE reports (
        id INTEGER PRIMARY KEY,
        content_hash TEXT NOT NULL UNIQUE,
        doc_id TEXT NOT NULL,
        title TEXT, byline TEXT, source TEXT, url TEXT, published TEXT,
        ingested_at TEXT NOT NULL,
        reading TEXT NOT NULL
    );
    CREATE TABLE places (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL, feature TEXT NOT NULL, admin1 TEXT, country TEXT,
        lat REAL NOT NULL, lon REAL NOT NULL
    );
    CREATE TABLE report_places (
        report_id INTEGER NOT NULL REFERENCES reports(id),
        place_id TEXT NOT NULL REFERENCES places(id),
        mentions INTEGER NOT NULL,
        PRIMARY KEY (report_id, place_id)
    );
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        event_type TEXT NOT NULL, plover TEXT NOT NULL,
        actor TEXT, side TEXT, held_before TEXT, held_after TEXT,
        place_id TEXT REFERENCES places(id), place_name TEXT, precision INTEGER,
        lat REAL, lon REAL,
        date_from TEXT, date_to TEXT, date_precision TEXT
    );
    CREATE INDEX events_by_date ON events(date_from, date_to);
    CREATE INDEX events_by_point ON events(lat, lon);
    CREATE TABLE event_sources (
        event_id INTEGER NOT NULL REFERENCES events(id),
        report_id INTEGER NOT NULL REFERENCES reports(id),
        evidence TEXT NOT NULL, claimant TEXT, certainty TEXT NOT NULL,
        PRIMARY KEY (event_id, report_id, evidence)
    );
    CREATE TABLE claims (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES reports(id),
        claimant TEXT, claimant_kind TEXT, cue TEXT NOT NULL, certainty TEXT NOT NULL,
        affirmative INTEGER NOT NULL, evidence TEXT NOT NULL
    );
    CREATE INDEX claims_by_claimant ON claims(claimant);
",
    r"
    ALTER TABLE reports ADD COLUMN text TEXT NOT NULL DEFAULT '';
",
    r"
    -- From here on the reading is kept compressed (zstd) in reading_zst, and reading is ''.
    ALTER TABLE reports ADD COLUMN reading_zst BLOB;
    CREATE TABLE disagreements (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES reports(id),
        quantity TEXT NOT NULL, unit TEXT NOT NULL, conflicting INTEGER NOT NULL,
        numbers TEXT NOT NULL
    );
    CREATE INDEX disagreements_by_report ON disagreements(report_id);
",
    r"
    -- Merge candidates are looked up by grid cell and date (crate::grid); filled in for stored
    -- events by crate::write::fill_cells.
    ALTER TABLE events ADD COLUMN cell INTEGER;
    CREATE INDEX events_by_cell ON events(cell, date_to);
    -- Who the event was done to, for the export's actor2 and side2.
    ALTER TABLE events ADD COLUMN target TEXT;
    ALTER TABLE events ADD COLUMN target_side TEXT;
    -- A report's tellings and claims, counted in its listing.
    CREATE INDEX event_sources_by_report ON event_sources(report_id);
    CREATE INDEX claims_by_report ON claims(report_id);
",
    r"
    -- The control timeline (sitrep_store::control, sitrep_store::timeline): every report's
    -- control claims, and per settlement its states and changes, recomputed from its claims
    -- whenever a batch brings new ones.
    CREATE TABLE control_claims (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES reports(id),
        place_id TEXT NOT NULL, place_name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
        kind TEXT NOT NULL, side TEXT, date_earliest TEXT NOT NULL, date_latest TEXT NOT NULL,
        certainty TEXT NOT NULL, claimant TEXT,
        start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, evidence TEXT NOT NULL
    );
    CREATE INDEX control_claims_by_place ON control_claims(place_id);
    CREATE TABLE control_states (
        place_id TEXT NOT NULL, seq INTEGER NOT NULL,
        name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
        state TEXT NOT NULL, holder TEXT, date_from TEXT, date_until TEXT, disputed INTEGER NOT NULL,
        PRIMARY KEY (place_id, seq)
    );
    CREATE INDEX control_states_by_point ON control_states(lat, lon);
    CREATE TABLE control_changes (
        place_id TEXT NOT NULL, seq INTEGER NOT NULL,
        name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
        from_side TEXT, to_side TEXT NOT NULL, date_earliest TEXT NOT NULL, date_latest TEXT NOT NULL,
        first_reported TEXT, last_reported TEXT, claimants INTEGER NOT NULL, status TEXT NOT NULL,
        confidence REAL NOT NULL, disputed INTEGER NOT NULL, sources TEXT NOT NULL, disputed_by TEXT NOT NULL,
        PRIMARY KEY (place_id, seq)
    );
    CREATE INDEX control_changes_by_date ON control_changes(date_latest, date_earliest);
    CREATE INDEX control_changes_by_point ON control_changes(lat, lon);
",
    r"
    -- Each control state keeps the last change by its first day (JSON), so that the state of
    -- every settlement on a day is one scan; filled in for stored timelines on upgrade.
    ALTER TABLE control_states ADD COLUMN last_change TEXT;
",
    r"
    -- A telling is keyed by a hash of its evidence, not by the evidence itself: a long
    -- sentence is no key (PostgreSQL refuses index entries over about 8 KB). The rows are
    -- copied with their keys and the tables swapped by the step's hook.
    CREATE TABLE event_sources_keyed (
        event_id INTEGER NOT NULL REFERENCES events(id),
        report_id INTEGER NOT NULL REFERENCES reports(id),
        evidence TEXT NOT NULL, evidence_key INTEGER NOT NULL, claimant TEXT, certainty TEXT NOT NULL,
        PRIMARY KEY (event_id, report_id, evidence_key)
    );
",
    r"
    -- Whether an event's violence hit civilians (ACLED's civilian_targeting), from any telling.
    ALTER TABLE events ADD COLUMN civilian_targeting INTEGER NOT NULL DEFAULT 0;
",
    r"
    -- The report listing pages by publication date, newest first: from this index, not by
    -- sorting every report.
    CREATE INDEX reports_by_published ON reports(published DESC, id);
",
    r"
    -- Events by place and time at once: an R*Tree over latitude, longitude and Julian days
    -- (an unknown end left open), kept by triggers, so that a week near a town reads that
    -- week's events there and no others. Its boxes are a superset (single-precision bounds
    -- rounded outwards); queries keep their exact conditions on `events`.
    CREATE VIRTUAL TABLE events_where_when USING rtree(id, min_lat, max_lat, min_lon, max_lon, min_day, max_day);
    INSERT INTO events_where_when
        SELECT id, lat, lat, lon, lon, coalesce(julianday(date_from), -1e9), coalesce(julianday(date_to), 1e9)
        FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL;
    CREATE TRIGGER events_where_when_insert AFTER INSERT ON events
        WHEN new.lat IS NOT NULL AND new.lon IS NOT NULL
    BEGIN
        INSERT INTO events_where_when VALUES (new.id, new.lat, new.lat, new.lon, new.lon,
            coalesce(julianday(new.date_from), -1e9), coalesce(julianday(new.date_to), 1e9));
    END;
    CREATE TRIGGER events_where_when_update AFTER UPDATE OF lat, lon, date_from, date_to ON events
    BEGIN
        DELETE FROM events_where_when WHERE id = old.id;
        INSERT INTO events_where_when
            SELECT new.id, new.lat, new.lat, new.lon, new.lon,
                   coalesce(julianday(new.date_from), -1e9), coalesce(julianday(new.date_to), 1e9)
            WHERE new.lat IS NOT NULL AND new.lon IS NOT NULL;
    END;
    CREATE TRIGGER events_where_when_delete AFTER DELETE ON events
    BEGIN
        DELETE FROM events_where_when WHERE id = old.id;
    END;
",
    r"
    -- How many tellings each event has, kept by the write path: a page of events says how
    -- often each was told without counting the tellings of an event told thousands of times.
    ALTER TABLE events ADD COLUMN tellings INTEGER NOT NULL DEFAULT 0;
    UPDATE events SET tellings = (SELECT count(*) FROM event_sources s WHERE s.event_id = events.id);
",
    r"
    -- The days each settlement is said to be fought over (by a contested claim not denied),
    -- kept by the write path: whether a batch's claims of fighting mark a new day is one insert.
    CREATE TABLE control_fighting (
        place_id TEXT NOT NULL, day TEXT NOT NULL,
        PRIMARY KEY (place_id, day)
    ) WITHOUT ROWID;
    INSERT INTO control_fighting SELECT DISTINCT place_id, date_latest FROM control_claims WHERE kind = 'contested' AND certainty <> 'denied';
",
    r"
    -- Claims about a whole area (an oblast, a raion: 'Russian forces completely vacated Sumy
    -- Oblast'), kept apart from the settlements' own, and the areas each settlement with claims
    -- lies in: an area claim counts in the timeline of every settlement stored within its area
    -- that the losing side then holds (sitrep_store::control::SettlementTimeline::build).
    CREATE TABLE control_area_claims (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES reports(id),
        place_id TEXT NOT NULL, place_name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
        kind TEXT NOT NULL, side TEXT, date_earliest TEXT NOT NULL, date_latest TEXT NOT NULL,
        certainty TEXT NOT NULL, claimant TEXT,
        start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, evidence TEXT NOT NULL
    );
    CREATE INDEX control_area_claims_by_place ON control_area_claims(place_id);
    CREATE TABLE control_within (
        place_id TEXT NOT NULL, area_id TEXT NOT NULL,
        PRIMARY KEY (place_id, area_id)
    ) WITHOUT ROWID;
    CREATE INDEX control_within_by_area ON control_within(area_id);
",
    r"
    -- A page of events reads each event's first tellings and, for each, its report's document
    -- id and outlet. The tellings are clustered by event (a table without row ids, keyed as
    -- before), so that an event's tellings are one range of one B-tree rather than an index
    -- entry and a row looked up for each; the reports' ids, document ids and outlets are a
    -- narrow index read in place of each report's wide row (its text and reading).
    CREATE TABLE event_sources_clustered (
        event_id INTEGER NOT NULL REFERENCES events(id),
        report_id INTEGER NOT NULL REFERENCES reports(id),
        evidence TEXT NOT NULL, evidence_key INTEGER NOT NULL, claimant TEXT, certainty TEXT NOT NULL,
        PRIMARY KEY (event_id, report_id, evidence_key)
    ) WITHOUT ROWID;
    INSERT INTO event_sources_clustered (event_id, report_id, evidence, evidence_key, claimant, certainty)
        SELECT event_id, report_id, evidence, evidence_key, claimant, certainty FROM event_sources;
    DROP TABLE event_sources;
    ALTER TABLE event_sources_clustered RENAME TO event_sources;
    CREATE INDEX event_sources_by_report ON event_sources(report_id);
    CREATE INDEX reports_outlets ON reports(id, doc_id, source);
",
    r"
    -- Events by point alone are never looked up (a query with a place reads the R*Tree over
    -- place and days): the index only cost each new event an insert at a place of its own in
    -- a B-tree the size of the store.
    DROP INDEX IF EXISTS events_by_point;
",
    r"
    -- Claims are never looked up by claimant through a B-tree (the claimant filter matches a
    -- part of the name, lower-cased, which no index serves): the index only cost each new
    -- claim an insert at its claimant's place, pages all over it in every batch.
    DROP INDEX IF EXISTS claims_by_claimant;
",
    r"
    -- The store's generation: one number, raised in the transaction of every batch that stores
    -- a report (and by every later migration), so that a server can keep answers worked out
    -- from the store for as long as it stands, reading one row to know.
    CREATE TABLE store_generation (n INTEGER NOT NULL);
    INSERT INTO store_generation (n) VALUES (0);
",
    r"
    -- Each event's first tellings kept on its row, written as a page shows them
    -- (sitrep_store::firsts), so that a page of events reads no telling rows; kept by the write
    -- path, filled in for stored events by the step's hook.
    ALTER TABLE events ADD COLUMN first_tellings TEXT;
",
    r"
    -- A control state names its last change by seq (a row of control_changes, read by a join)
    -- instead of keeping a copy of its JSON: a busy settlement's change (hundreds of sources)
    -- was copied into each of its hundred states. Stored states take the last change opened
    -- by their first day, as the writer picks it (sitrep_store::timeline::write_timeline);
    -- the copies go.
    ALTER TABLE control_states ADD COLUMN last_change_seq INTEGER;
    ALTER TABLE control_states DROP COLUMN last_change;
    UPDATE control_states SET last_change_seq = (SELECT max(c.seq) FROM control_changes c
        WHERE c.place_id = control_states.place_id AND c.date_earliest <= control_states.date_from);
",
];

/// The migrations (SQLite, PostgreSQL) after which a telling is keyed by its evidence's hash.
pub(crate) const EVIDENCE_KEYS: (usize, usize) = (7, 5);

/// The migrations (SQLite, PostgreSQL) after which control states keep their last change:
/// stored timelines are rebuilt to fill it in.
const CONTROL_LAST_CHANGE: (usize, usize) = (6, 4);

/// The migrations (SQLite, PostgreSQL) after which the store has a generation
/// ([`crate::Store::version`]); each migration from then on raises it, since a migration may
/// change what stored events say.
pub(crate) const GENERATION: (usize, usize) = (17, 15);

/// The migrations (SQLite, PostgreSQL) after which events keep their first tellings
/// ([`crate::firsts`]): the stored events' are written from their telling rows.
const FIRST_TELLINGS: (usize, usize) = (18, 17);

/// The migrations (SQLite, PostgreSQL) after which a control state names its last change by
/// seq (`last_change_seq`) rather than keeping a copy of it (`last_change`, dropped).
#[cfg(test)]
pub(crate) const LAST_CHANGE_SEQ: (usize, usize) = (19, 18);

/// Raises the store's generation, in the writer's transaction.
pub(crate) fn raise_generation(db: &mut dyn Db) -> Result<(), StoreError> {
    db.execute("UPDATE store_generation SET n = n + 1", &[]).map(|_| ())
}

/// The advisory lock held while PostgreSQL's schema changes, so that workers starting together
/// change it once ("schema" in ASCII).
const SCHEMA_LOCK: i64 = 0x7363_6865_6d61;

/// The SQLite migration after which readings are compressed and disagreements have a table.
pub const COMPRESSED_READINGS: usize = 3;

/// The migrations after which events carry their grid cell, on SQLite and on PostgreSQL.
const CELLED_EVENTS: (usize, usize) = (4, 2);

/// The PostgreSQL schema, one migration per version.
pub const POSTGRES: &[&str] = &[
    r"
    CREATE TABLE reports (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        content_hash TEXT NOT NULL UNIQUE,
        doc_id TEXT NOT NULL,
        title TEXT, byline TEXT, source TEXT, url TEXT, published TEXT,
        ingested_at TEXT NOT NULL,
        reading TEXT NOT NULL,
        text TEXT NOT NULL DEFAULT '',
        reading_zst BYTEA
    );
    CREATE TABLE places (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL, feature TEXT NOT NULL, admin1 TEXT, country TEXT,
        lat DOUBLE PRECISION NOT NULL, lon DOUBLE PRECISION NOT NULL
    );
    CREATE TABLE report_places (
        report_id BIGINT NOT NULL REFERENCES reports(id),
        place_id TEXT NOT NULL REFERENCES places(id),
        mentions BIGINT NOT NULL,
        PRIMARY KEY (report_id, place_id)
    );
    CREATE TABLE events (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_type TEXT NOT NULL, plover TEXT NOT NULL,
        actor TEXT, side TEXT, held_before TEXT, held_after TEXT,
        place_id TEXT REFERENCES places(id), place_name TEXT, precision BIGINT,
        lat DOUBLE PRECISION, lon DOUBLE PRECISION,
        date_from TEXT, date_to TEXT, date_precision TEXT
    );
    CREATE INDEX events_by_date ON events(date_from, date_to);
    CREATE INDEX events_by_point ON events(lat, lon);
    CREATE TABLE event_sources (
        event_id BIGINT NOT NULL REFERENCES events(id),
        report_id BIGINT NOT NULL REFERENCES reports(id),
        evidence TEXT NOT NULL, claimant TEXT, certainty TEXT NOT NULL,
        PRIMARY KEY (event_id, report_id, evidence)
    );
    CREATE TABLE claims (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        report_id BIGINT NOT NULL REFERENCES reports(id),
        claimant TEXT, claimant_kind TEXT, cue TEXT NOT NULL, certainty TEXT NOT NULL,
        affirmative BOOLEAN NOT NULL, evidence TEXT NOT NULL
    );
    CREATE INDEX claims_by_claimant ON claims(claimant);
    CREATE TABLE disagreements (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        report_id BIGINT NOT NULL REFERENCES reports(id),
        quantity TEXT NOT NULL, unit TEXT NOT NULL, conflicting BOOLEAN NOT NULL,
        numbers TEXT NOT NULL
    );
    CREATE INDEX disagreements_by_report ON disagreements(report_id);
",
    r"
    ALTER TABLE events ADD COLUMN cell BIGINT;
    CREATE INDEX events_by_cell ON events(cell, date_to);
    ALTER TABLE events ADD COLUMN target TEXT;
    ALTER TABLE events ADD COLUMN target_side TEXT;
    CREATE INDEX event_sources_by_report ON event_sources(report_id);
    CREATE INDEX claims_by_report ON claims(report_id);
",
    r"
    CREATE TABLE control_claims (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        report_id BIGINT NOT NULL REFERENCES reports(id),
        place_id TEXT NOT NULL, place_name TEXT NOT NULL, lat DOUBLE PRECISION NOT NULL, lon DOUBLE PRECISION NOT NULL,
        kind TEXT NOT NULL, side TEXT, date_earliest TEXT NOT NULL, date_latest TEXT NOT NULL,
        certainty TEXT NOT NULL, claimant TEXT,
        start_offset BIGINT NOT NULL, end_offset BIGINT NOT NULL, evidence TEXT NOT NULL
    );
    CREATE INDEX control_claims_by_place ON control_claims(place_id);
    CREATE TABLE control_states (
        place_id TEXT NOT NULL, seq BIGINT NOT NULL,
        name TEXT NOT NULL, lat DOUBLE PRECISION NOT NULL, lon DOUBLE PRECISION NOT NULL,
        state TEXT NOT NULL, holder TEXT, date_from TEXT, date_until TEXT, disputed BOOLEAN NOT NULL,
        PRIMARY KEY (place_id, seq)
    );
    CREATE INDEX control_states_by_point ON control_states(lat, lon);
    CREATE TABLE control_changes (
        place_id TEXT NOT NULL, seq BIGINT NOT NULL,
        name TEXT NOT NULL, lat DOUBLE PRECISION NOT NULL, lon DOUBLE PRECISION NOT NULL,
        from_side TEXT, to_side TEXT NOT NULL, date_earliest TEXT NOT NULL, date_latest TEXT NOT NULL,
        first_reported TEXT, last_reported TEXT, claimants BIGINT NOT NULL, status TEXT NOT NULL,
        confidence DOUBLE PRECISION NOT NULL, disputed BOOLEAN NOT NULL, sources TEXT NOT NULL, disputed_by TEXT NOT NULL,
        PRIMARY KEY (place_id, seq)
    );
    CREATE INDEX control_changes_by_date ON control_changes(date_latest, date_earliest);
    CREATE INDEX control_changes_by_point ON control_changes(lat, lon);
",
    r"
    -- Each control state keeps the last change by its first day (JSON), so that the state of
    -- every settlement on a day is one scan; filled in for stored timelines on upgrade.
    ALTER TABLE control_states ADD COLUMN last_change TEXT;
",
    r"
    -- A telling is keyed by a hash of its evidence, not by the evidence itself (an index entry
    -- over about 8 KB is refused); the keys of stored rows are filled in by the step's hook.
    ALTER TABLE event_sources ADD COLUMN evidence_key BIGINT;
",
    r"
    -- Whether an event's violence hit civilians (ACLED's civilian_targeting), from any telling.
    ALTER TABLE events ADD COLUMN civilian_targeting BOOLEAN NOT NULL DEFAULT FALSE;
",
    r"
    -- The report listing pages by publication date, newest first: from this index, not by
    -- sorting every report.
    CREATE INDEX reports_by_published ON reports(published DESC, id);
",
    r"
    -- Events by place and time at once, as SQLite's R*Tree: each event's days as a range, set
    -- by a trigger from its date columns (an unknown or unreadable end left open), and one
    -- GiST index over its point and that range.
    ALTER TABLE events ADD COLUMN days daterange;
    CREATE FUNCTION sitrep_event_days() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        from_day date := CASE WHEN NEW.date_from ~ '^\d{4}-\d{2}-\d{2}$' THEN CAST(NEW.date_from AS date) END;
        to_day date := CASE WHEN NEW.date_to ~ '^\d{4}-\d{2}-\d{2}$' THEN CAST(NEW.date_to AS date) END;
    BEGIN
        IF from_day > to_day THEN
            from_day := NULL;
            to_day := NULL;
        END IF;
        NEW.days := daterange(from_day, to_day, '[]');
        RETURN NEW;
    END $$;
    CREATE TRIGGER events_days BEFORE INSERT OR UPDATE OF date_from, date_to ON events
        FOR EACH ROW EXECUTE FUNCTION sitrep_event_days();
    UPDATE events SET date_from = date_from;
    CREATE INDEX events_where_when ON events USING GIST (point(lon, lat), days);
",
    r"
    -- How many tellings each event has, kept by the write path (as in SQLite).
    ALTER TABLE events ADD COLUMN tellings BIGINT NOT NULL DEFAULT 0;
    UPDATE events e SET tellings = c.n FROM (SELECT event_id, count(*) AS n FROM event_sources GROUP BY event_id) c WHERE c.event_id = e.id;
",
    r"
    -- The days each settlement is said to be fought over (by a contested claim not denied),
    -- kept by the write path: whether a batch's claims of fighting mark a new day is one insert.
    CREATE TABLE control_fighting (
        place_id TEXT NOT NULL, day TEXT NOT NULL,
        PRIMARY KEY (place_id, day)
    );
    INSERT INTO control_fighting SELECT DISTINCT place_id, date_latest FROM control_claims WHERE kind = 'contested' AND certainty <> 'denied';
",
    r"
    CREATE TABLE control_area_claims (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        report_id BIGINT NOT NULL REFERENCES reports(id),
        place_id TEXT NOT NULL, place_name TEXT NOT NULL, lat DOUBLE PRECISION NOT NULL, lon DOUBLE PRECISION NOT NULL,
        kind TEXT NOT NULL, side TEXT, date_earliest TEXT NOT NULL, date_latest TEXT NOT NULL,
        certainty TEXT NOT NULL, claimant TEXT,
        start_offset BIGINT NOT NULL, end_offset BIGINT NOT NULL, evidence TEXT NOT NULL
    );
    CREATE INDEX control_area_claims_by_place ON control_area_claims(place_id);
    CREATE TABLE control_within (
        place_id TEXT NOT NULL, area_id TEXT NOT NULL,
        PRIMARY KEY (place_id, area_id)
    );
    CREATE INDEX control_within_by_area ON control_within(area_id);
",
    r"
    -- Each report's document id and outlet, for the tellings of a page of events: read from
    -- this index alone (an index-only scan) rather than from the report's wide row, as on
    -- SQLite. The tellings themselves stay where they are: PostgreSQL keeps no table in key
    -- order, and an index that held the evidence would refuse long sentences.
    CREATE INDEX reports_outlets ON reports (id) INCLUDE (doc_id, source);
",
    r"
    -- Events by point alone are never looked up: a query with a place reads the GiST index
    -- over point and days (or PostGIS's); the B-tree only cost each new event an insert.
    DROP INDEX IF EXISTS events_by_point;
",
    r"
    -- Claims are never looked up by claimant through a B-tree (the filter matches a part of
    -- the name, lower-cased); the index only cost each new claim an insert.
    DROP INDEX IF EXISTS claims_by_claimant;
",
    r"
    -- The store's generation, as on SQLite: raised in the transaction of every batch that
    -- stores a report, so that a server can keep answers for as long as it stands.
    CREATE TABLE store_generation (n BIGINT NOT NULL);
    INSERT INTO store_generation (n) VALUES (0);
",
    r"
    -- A reading is zstd-compressed already: kept out of line as it is, not compressed again
    -- (pglz tried, and failed, on every one). A report's text is compressed with lz4 where
    -- the server has it (several times faster than pglz), else as before.
    ALTER TABLE reports ALTER COLUMN reading_zst SET STORAGE EXTERNAL;
    DO $$ BEGIN
        ALTER TABLE reports ALTER COLUMN text SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported THEN NULL;
    END $$;
",
    r"
    -- Each event's first tellings kept on its row, as on SQLite; compressed with lz4 where the
    -- server has it (a long one is compressed in place, and read back on every page).
    ALTER TABLE events ADD COLUMN first_tellings TEXT;
    DO $$ BEGIN
        ALTER TABLE events ALTER COLUMN first_tellings SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported THEN NULL;
    END $$;
",
    r"
    -- A control state names its last change by seq, as on SQLite. The copies' column is
    -- dropped before the states are updated, so that their new versions hold none of it and
    -- the old ones (and their out-of-line JSON) are reclaimed by vacuum.
    ALTER TABLE control_states ADD COLUMN last_change_seq BIGINT;
    ALTER TABLE control_states DROP COLUMN last_change;
    UPDATE control_states s SET last_change_seq = (SELECT max(c.seq) FROM control_changes c
        WHERE c.place_id = s.place_id AND c.date_earliest <= s.date_from);
",
];

/// Brings `db` to this build's schema.
pub fn migrate(db: &mut dyn Db) -> Result<(), StoreError> {
    match db.dialect() {
        Dialect::Sqlite => {
            let version = db.query("PRAGMA user_version", &[])?.first().and_then(|r| r[0].opt_int()).unwrap_or(0) as usize;
            check(version, SQLITE.len())?;
            for (i, sql) in SQLITE.iter().enumerate().skip(version) {
                db.batch("BEGIN IMMEDIATE")?;
                let step = (|| {
                    // Another process opening the same new store may have applied this step
                    // while this one waited for the write lock: read the version again under it.
                    let now = db.query("PRAGMA user_version", &[])?.first().and_then(|r| r[0].opt_int()).unwrap_or(0) as usize;
                    if now > i {
                        return db.batch("COMMIT");
                    }
                    db.batch(sql)?;
                    if i + 1 == COMPRESSED_READINGS {
                        crate::write::compress_stored_readings(db)?;
                    }
                    if i + 1 == CELLED_EVENTS.0 {
                        crate::write::fill_cells(db)?;
                    }
                    if i + 1 == CONTROL_LAST_CHANGE.0 {
                        crate::timeline::rebuild_all(db, crate::timeline::Areas::NotYetStored)?;
                    }
                    if i + 1 == EVIDENCE_KEYS.0 {
                        crate::write::key_evidence(db)?;
                    }
                    if i + 1 == FIRST_TELLINGS.0 {
                        crate::firsts::fill(db)?;
                    }
                    if i + 1 >= GENERATION.0 {
                        raise_generation(db)?;
                    }
                    db.batch(&format!("PRAGMA user_version = {}; COMMIT", i + 1))
                })();
                if step.is_err() {
                    let _ = db.batch("ROLLBACK");
                }
                step?;
            }
        }
        Dialect::Postgres => {
            db.batch(&format!("BEGIN; SELECT pg_advisory_xact_lock({SCHEMA_LOCK}); CREATE TABLE IF NOT EXISTS sitrep_schema (version BIGINT NOT NULL)"))?;
            let step = (|| {
                let version = db.query("SELECT max(version) FROM sitrep_schema", &[])?.first().and_then(|r| r[0].opt_int()).unwrap_or(0) as usize;
                check(version, POSTGRES.len())?;
                for (i, sql) in POSTGRES.iter().enumerate().skip(version) {
                    db.batch(sql)?;
                    if i + 1 == CELLED_EVENTS.1 {
                        crate::write::fill_cells(db)?;
                    }
                    if i + 1 == CONTROL_LAST_CHANGE.1 {
                        crate::timeline::rebuild_all(db, crate::timeline::Areas::NotYetStored)?;
                    }
                    if i + 1 == EVIDENCE_KEYS.1 {
                        crate::write::key_evidence(db)?;
                    }
                    if i + 1 == FIRST_TELLINGS.1 {
                        crate::firsts::fill(db)?;
                    }
                    if i + 1 >= GENERATION.1 {
                        raise_generation(db)?;
                    }
                    db.execute("INSERT INTO sitrep_schema (version) VALUES ($1)", &[Param::Int(i as i64 + 1)])?;
                }
                db.batch("COMMIT")
            })();
            if step.is_err() {
                let _ = db.batch("ROLLBACK");
            }
            step?;
        }
    }
    Ok(())
}

fn check(found: usize, known: usize) -> Result<(), StoreError> {
    if found > known {
        return Err(StoreError::TooNew { found, known });
    }
    Ok(())
}

/// Uses PostGIS when the server has it: creates the extension if it is available but not yet
/// created, then gives events a generated geography point with a GiST index. Returns whether
/// PostGIS is in use; without it (or without the right to create it) the plain index serves.
pub fn enable_postgis(db: &mut dyn Db) -> Result<bool, StoreError> {
    let available = db.query("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'", &[])?.first().is_some_and(|r| r[0].int() > 0);
    if !available {
        return Ok(false);
    }
    db.batch(&format!("BEGIN; SELECT pg_advisory_xact_lock({SCHEMA_LOCK})"))?;
    let step = db.batch(
        "CREATE EXTENSION IF NOT EXISTS postgis;
         ALTER TABLE events ADD COLUMN IF NOT EXISTS geog geography(Point, 4326)
             GENERATED ALWAYS AS (CASE WHEN lat IS NULL OR lon IS NULL THEN NULL
                                       ELSE CAST(ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geography) END) STORED;
         CREATE INDEX IF NOT EXISTS events_by_geog ON events USING GIST (geog);
         COMMIT",
    );
    if let Err(e) = step {
        let _ = db.batch("ROLLBACK");
        eprintln!("store: PostGIS is installed but could not be enabled ({e}); using the plain index");
        return Ok(false);
    }
    Ok(true)
}
