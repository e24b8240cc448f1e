//! Reading the store: events by place, box, dates, type, actor and claimant, each with every
//! source; reports, claims, disagreements and counts.

use std::{collections::HashMap, sync::PoisonError};

use sitrep_gazetteer::{distance_km, LatLon};

use crate::{
    db::{Dialect, Param, Row, RowRef},
    firsts,
    json::EventView,
    Counts, EventIndex, EventPage, EventPageJson, EventPoint, EventQuery, Page, ReportPage, ReportSummary, Source, Store, StoreError, StoredClaim,
    StoredDisagreement, StoredEvent, StoredReport,
};

impl Store {
    /// Events matching `q`, newest first, each with every source.
    pub fn events(&mut self, q: &EventQuery) -> Result<Vec<StoredEvent>, StoreError> {
        self.in_one_read(|store| {
            let ids = store.matching_ids(q)?;
            let mut events = store.events_by_id(&ids, false, &mut stored_event, |e| e.id)?;
            store.attach_sources(&mut events, None)?;
            Ok(events)
        })
    }

    /// One page of the events matching `q` (newest first) and how many match in all. Only the
    /// page's events are loaded, each with its first `sources` tellings (an event told a
    /// thousand times stays a short answer; `source_count` says how many there are, and
    /// [`Store::event`] gives them all), read from the telling rows.
    pub fn events_page(&mut self, q: &EventQuery, page: Page, sources: usize) -> Result<EventPage, StoreError> {
        self.in_one_read(|store| {
            let (total, mut events) = store.page_rows(q, page, false, &mut stored_event, |e| e.id)?;
            store.attach_sources(&mut events, Some(sources))?;
            Ok(EventPage { total, offset: page.offset, limit: page.limit, events })
        })
    }

    /// The page [`Store::events_page`] gives, its events written as JSON
    /// ([`crate::json::write_events`] of its events, byte for byte) straight from their rows,
    /// each event's tellings from those its row keeps ([`crate::firsts`]): no telling row is
    /// read, nor any report, unless a page asks for more tellings than are kept
    /// ([`crate::FIRST_TELLINGS`]) of an event told more often, or an event keeps none; those
    /// events' tellings are read as [`Store::events_page`] reads them.
    pub fn events_page_json(&mut self, q: &EventQuery, page: Page, sources: usize) -> Result<EventPageJson, StoreError> {
        let mut counts = None;
        let events = self.events_page_json_framed(q, page, sources, |found| {
            counts = Some((found.total, found.count));
            (String::new(), "")
        })?;
        let (total, count) = counts.unwrap_or_default();
        Ok(EventPageJson { total, offset: page.offset, limit: page.limit, count, events })
    }

    /// The JSON array of [`Store::events_page_json`] with what `frame` makes of the page's
    /// counts (given with its `events` empty) before and after it: an answer in one buffer
    /// made at its final size, the bytes a server sends. The events are first written into a
    /// buffer the connection keeps for them (in the order their rows come, which on SQLite is
    /// not the page's), so that a page allocates nothing as large as itself but the answer.
    pub fn events_page_json_framed(
        &mut self,
        q: &EventQuery,
        page: Page,
        sources: usize,
        frame: impl FnOnce(&EventPageJson) -> (String, &'static str),
    ) -> Result<Vec<u8>, StoreError> {
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let written = self.in_one_read(|store| {
            let (total, mut events) = store.page_rows(q, page, true, &mut |r, first| EventJson::of(r, first, sources, &mut scratch), |e| e.id)?;
            // The events whose rows do not show the tellings asked for: read from their rows,
            // and written where they go.
            let mut unkept: Vec<StoredEvent> = events.iter_mut().filter_map(|e| e.unkept.take()).collect();
            store.attach_sources(&mut unkept, Some(sources))?;
            let mut told = unkept.iter().map(|e| {
                let mut written = Vec::new();
                crate::json::write_sources(&mut written, &e.sources);
                written
            });
            for e in &mut events {
                if e.sources_at.is_some() {
                    e.told = told.next();
                }
            }
            Ok((total, events))
        });
        let answer = written.map(|(total, events)| {
            let (head, tail) = frame(&EventPageJson { total, offset: page.offset, limit: page.limit, count: events.len(), events: Vec::new() });
            let size = head.len() + 2 + tail.len() + events.iter().map(|e| e.range.len() + e.told.as_ref().map_or(0, Vec::len) + 1).sum::<usize>();
            let mut out = Vec::with_capacity(size);
            out.extend_from_slice(head.as_bytes());
            out.push(b'[');
            for (i, e) in events.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                match (e.sources_at, &e.told) {
                    (Some(at), Some(told)) => {
                        out.extend_from_slice(&scratch[e.range.start..at]);
                        out.extend_from_slice(told);
                        out.extend_from_slice(&scratch[at..e.range.end]);
                    }
                    _ => out.extend_from_slice(&scratch[e.range.clone()]),
                }
            }
            out.push(b']');
            out.extend_from_slice(tail.as_bytes());
            out
        });
        // Kept for the next page, unless a page of many long events made it large.
        if scratch.capacity() <= MAX_KEPT_SCRATCH {
            self.scratch = scratch;
        }
        answer
    }

    /// A page of the events matching `q` and how many match in all, each event made by `make`
    /// from its row (the event's columns from the given one on: [`EVENT_COLUMNS`], its place's,
    /// then its kept first tellings when `firsts`, else NULL), `id` its id.
    fn page_rows<T>(
        &mut self,
        q: &EventQuery,
        page: Page,
        firsts: bool,
        make: &mut dyn FnMut(&RowRef<'_>, usize) -> T,
        id: fn(&T) -> i64,
    ) -> Result<(usize, Vec<T>), StoreError> {
        if self.db.dialect() == Dialect::Postgres && q.near.is_none() {
            self.page_in_one_statement(q, page, firsts, make)
        } else {
            let ids = self.matching_ids(q)?;
            let total = ids.len();
            let slice = &ids[page.offset.min(total)..page.offset.saturating_add(page.limit).min(total)];
            Ok((total, self.events_by_id(slice, firsts, make, id)?))
        }
    }

    /// PostgreSQL's page of the events matching `q` (which has no `near`: nothing to refine
    /// by great-circle distance) and how many match in all, made as [`Store::page_rows`] makes
    /// them, from one
    /// statement: the database counts the matches, pages them and joins the page's places,
    /// where two statements (the ids of every match, then the page's rows) cost a round trip
    /// and a second lookup of each row. Only a page past the last match reads the count apart.
    fn page_in_one_statement<T>(
        &mut self,
        q: &EventQuery,
        page: Page,
        firsts: bool,
        make: &mut dyn FnMut(&RowRef<'_>, usize) -> T,
    ) -> Result<(usize, Vec<T>), StoreError> {
        let owned = Owned::of(q);
        let (clauses, mut args) = filter_sql(q, &owned, self.index);
        args.push(Param::Int(i64::try_from(page.limit).unwrap_or(i64::MAX)));
        args.push(Param::Int(i64::try_from(page.offset).unwrap_or(i64::MAX)));
        let n = args.len();
        let mut total = 0;
        let mut events = Vec::new();
        self.db.query_each(&postgres_page(&clauses, n, firsts), &args, &mut |r| {
            total = usize::try_from(r.int(0)).unwrap_or(0);
            events.push(make(&r, 1));
            Ok(())
        })?;
        if events.is_empty() && page.offset > 0 {
            args.truncate(n - 2);
            let counted = self.db.query(&format!("SELECT count(*) FROM events WHERE 1=1{clauses}"), &args)?;
            total = counted.first().map_or(0, |r| usize::try_from(r[0].int()).unwrap_or(0));
        }
        Ok((total, events))
    }

    /// Every event matching `q` as a map point: where, when, what, and a summary of its
    /// sources (how many, the claimants, the certainties), in the order of their ids. Events
    /// without a place are left out.
    pub fn event_points(&mut self, q: &EventQuery) -> Result<Vec<EventPoint>, StoreError> {
        let owned = Owned::of(q);
        let (clauses, args) = filter_sql(q, &owned, self.index);
        // One pass over the events and their sources: a row per telling.
        let sql = format!(
            "SELECT e.id, e.event_type, e.side, e.precision, e.lat, e.lon, e.date_from, e.date_to, e.place_name, s.claimant, s.certainty
             FROM (SELECT id, event_type, side, precision, lat, lon, date_from, date_to, place_name FROM events WHERE lat IS NOT NULL AND lon IS NOT NULL{clauses}) e
             JOIN event_sources s ON s.event_id = e.id ORDER BY e.id"
        );
        let rows = self.db.query(&sql, &args)?;
        let mut points: Vec<EventPoint> = Vec::new();
        for mut r in rows {
            let id = r[0].int();
            if points.last().map(|p| p.id) != Some(id) {
                let (lat, lon) = (r[4].opt_real().unwrap_or_default(), r[5].opt_real().unwrap_or_default());
                if q.near.is_some_and(|(p, km)| distance_km(p, LatLon::new(lat, lon)) > km) {
                    continue;
                }
                points.push(EventPoint {
                    id,
                    event_type: r[1].take_text(),
                    side: r[2].take_opt_text(),
                    precision: r[3].opt_int(),
                    lat,
                    lon,
                    date_from: r[6].take_opt_text(),
                    date_to: r[7].take_opt_text(),
                    place_name: r[8].take_opt_text(),
                    sources: 0,
                    claimants: Vec::new(),
                    certainties: Vec::new(),
                });
            }
            let p = points.last_mut().expect("a point was pushed for this id");
            p.sources += 1;
            if let Some(c) = r[9].take_opt_text() {
                if !p.claimants.contains(&c) {
                    p.claimants.push(c);
                }
            }
            let certainty = r[10].take_text();
            if !p.certainties.contains(&certainty) {
                p.certainties.push(certainty);
            }
        }
        Ok(points)
    }

    /// The event with this id, with every source, if there is one.
    pub fn event(&mut self, id: i64) -> Result<Option<StoredEvent>, StoreError> {
        self.in_one_read(|store| {
            let mut events = store.events_by_id(&[id], false, &mut stored_event, |e| e.id)?;
            store.attach_sources(&mut events, None)?;
            Ok(events.pop())
        })
    }

    /// Runs `read`, several statements, in one read transaction on SQLite (a savepoint, which
    /// also nests in a transaction already open): they see one state of the store, even while
    /// a writer commits between them, and each statement runs without taking and letting go
    /// of the database's read lock on its own, which costs more than reading one event.
    /// PostgreSQL's statements each see the store as it was when they began.
    fn in_one_read<T>(&mut self, read: impl FnOnce(&mut Store) -> Result<T, StoreError>) -> Result<T, StoreError> {
        if self.db.dialect() != Dialect::Sqlite {
            return read(self);
        }
        self.db.batch("SAVEPOINT one_read")?;
        let result = read(self);
        // Nothing was written: ending the savepoint either way only lets go of the snapshot.
        let ended = self.db.batch(if result.is_ok() { "RELEASE one_read" } else { "ROLLBACK TO one_read; RELEASE one_read" });
        let value = result?;
        ended?;
        Ok(value)
    }

    /// The ids of the events matching `q`, newest first (the great-circle refinement of
    /// `near` applied).
    fn matching_ids(&mut self, q: &EventQuery) -> Result<Vec<i64>, StoreError> {
        let owned = Owned::of(q);
        let (clauses, args) = filter_sql(q, &owned, self.index);
        let mut ids = Vec::new();
        self.db.query_each(&format!("SELECT id, lat, lon FROM events WHERE 1=1{clauses} ORDER BY date_to DESC, id"), &args, &mut |r| {
            let within = match (q.near, r.opt_real(1), r.opt_real(2)) {
                (Some((p, km)), Some(lat), Some(lon)) => distance_km(p, LatLon::new(lat, lon)) <= km,
                _ => true,
            };
            if within {
                ids.push(r.int(0));
            }
            Ok(())
        })?;
        Ok(ids)
    }

    /// The events with these ids, in this order, each made by `make` from its row (as
    /// [`Store::page_rows`] makes them), `id` its id.
    fn events_by_id<T>(&mut self, ids: &[i64], firsts: bool, make: &mut dyn FnMut(&RowRef<'_>, usize) -> T, id: fn(&T) -> i64) -> Result<Vec<T>, StoreError> {
        let mut events = Vec::with_capacity(ids.len());
        let ids_given = id_rows(self.db.dialect());
        let sql = format!(
            "SELECT {EVENT_COLUMNS}, p.admin1, p.country, {} FROM events v LEFT JOIN places p ON p.id = v.place_id WHERE v.id IN (SELECT e.value FROM {ids_given})",
            if firsts { "v.first_tellings" } else { "NULL" }
        );
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let mut found: HashMap<i64, T> = HashMap::with_capacity(chunk.len());
            self.db.query_each(&sql, &[Param::Text(&id_set(self.db.dialect(), chunk))], &mut |r| {
                let e = make(&r, 0);
                found.insert(id(&e), e);
                Ok(())
            })?;
            events.extend(chunk.iter().filter_map(|id| found.remove(id)));
        }
        Ok(events)
    }

    /// Fills in every event's sources (all of them, or the first `at_most`; the count comes
    /// with the event). Each event's first tellings are read in the key's own order, so that
    /// an event told a thousand times costs no more than one told `n` times. The bound is
    /// written into the statement, not bound: SQLite prepares a statement again whenever a
    /// bound LIMIT of a subquery changes, and few bounds are in use (a page asks for at most a
    /// hundred).
    fn attach_sources(&mut self, events: &mut [StoredEvent], at_most: Option<usize>) -> Result<(), StoreError> {
        let limit = at_most.map_or_else(String::new, |n| format!(" LIMIT {n}"));
        let source = |r: &RowRef<'_>| Source {
            report_id: r.int(1),
            report: r.text(2).to_owned(),
            outlet: r.opt_text(3).map(str::to_owned),
            evidence: r.text(4).to_owned(),
            claimant: r.opt_text(5).map(str::to_owned),
            certainty: r.text(6).to_owned(),
        };
        match self.db.dialect() {
            // SQLite runs in this process: a prepared statement per event walks the event's
            // tellings in the key's order and stops at the bound, with nothing to build first
            // (a set of ids to parse, a list of tellings to collect and look up again).
            Dialect::Sqlite => {
                let sql = sqlite_tellings(&limit);
                for e in events.iter_mut() {
                    self.db.query_each(&sql, &[Param::Int(e.id)], &mut |r| {
                        e.sources.push(source(&r));
                        Ok(())
                    })?;
                }
            }
            // PostgreSQL is a round trip away: one statement for many events, the id set one
            // parameter so that the statement is prepared once. The tellings' reports are
            // looked up apart, and only those no connection has read before: joined in,
            // they cost the database about 40% of the statement (a probe of the reports' index
            // for each telling), and a report's document id and outlet never change.
            Dialect::Postgres => {
                let sql = postgres_tellings(at_most);
                let position: HashMap<i64, usize> = events.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
                let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
                // (event's position, report id, evidence, claimant, certainty)
                let mut told: Vec<(usize, i64, String, Option<String>, String)> = Vec::new();
                for chunk in ids.chunks(IDS_PER_QUERY) {
                    self.db.query_each(&sql, &[Param::Text(&id_set(Dialect::Postgres, chunk))], &mut |r| {
                        if let Some(&i) = position.get(&r.int(0)) {
                            told.push((i, r.int(1), r.text(2).to_owned(), r.opt_text(3).map(str::to_owned), r.text(4).to_owned()));
                        }
                        Ok(())
                    })?;
                }
                let mut reports: Vec<i64> = told.iter().map(|t| t.1).collect();
                reports.sort_unstable();
                reports.dedup();
                let known = self.report_outlets_of(&reports)?;
                for (i, report_id, evidence, claimant, certainty) in told {
                    // A telling without its report (none, by the foreign key) is left out, as
                    // a join would.
                    if let Some((report, outlet)) = known.get(&report_id) {
                        events[i].sources.push(Source { report_id, report: report.clone(), outlet: outlet.clone(), evidence, claimant, certainty });
                    }
                }
            }
        }
        for e in events.iter_mut() {
            e.sources.sort_unstable_by(|a, b| (a.report_id, &a.evidence).cmp(&(b.report_id, &b.evidence)));
        }
        Ok(())
    }

    /// The document id and outlet of every report of `reports` (sorted, each once) that
    /// exists: those the connections keep ([`Db::report_outlets`]) copied out, the rest read in
    /// one statement and kept for the next call. The answer is this call's own, so another
    /// thread making room in what is kept meanwhile takes nothing from it.
    fn report_outlets_of(&mut self, reports: &[i64]) -> Result<HashMap<i64, (String, Option<String>)>, StoreError> {
        let kept = self.db.report_outlets();
        let mut known = HashMap::with_capacity(reports.len());
        let mut missing = Vec::new();
        match &kept {
            Some(kept) => {
                let kept = kept.lock().unwrap_or_else(PoisonError::into_inner);
                for &id in reports {
                    match kept.get(id) {
                        Some(found) => {
                            known.insert(id, found.clone());
                        }
                        None => missing.push(id),
                    }
                }
            }
            None => missing.extend_from_slice(reports),
        }
        let sql = postgres_report_outlets();
        for chunk in missing.chunks(IDS_PER_QUERY) {
            self.db.query_each(&sql, &[Param::Text(&id_set(Dialect::Postgres, chunk))], &mut |r| {
                known.insert(r.int(0), (r.text(1).to_owned(), r.opt_text(2).map(str::to_owned)));
                Ok(())
            })?;
        }
        if let Some(kept) = kept {
            let mut kept = kept.lock().unwrap_or_else(PoisonError::into_inner);
            if kept.needs_room(missing.len()) {
                kept.clear();
            }
            for id in missing {
                if let Some((doc_id, outlet)) = known.get(&id) {
                    kept.insert(id, doc_id.clone(), outlet.clone());
                }
            }
        }
        Ok(known)
    }

    /// One page of the stored reports, newest publication first, and how many there are in
    /// all. Neither texts nor readings are loaded, and only the page's counts are made.
    pub fn reports_page(&mut self, page: Page) -> Result<ReportPage, StoreError> {
        let total = self.db.query("SELECT count(*) FROM reports", &[])?.first().map_or(0, |r| r[0].int());
        let (limit, offset) = (i64::try_from(page.limit).unwrap_or(i64::MAX), i64::try_from(page.offset).unwrap_or(i64::MAX));
        let rows = self.db.query(
            &format!("SELECT {REPORT_SUMMARY} FROM reports r ORDER BY r.published DESC, r.id LIMIT $1 OFFSET $2"),
            &[Param::Int(limit), Param::Int(offset)],
        )?;
        Ok(ReportPage { total: usize::try_from(total).unwrap_or(0), offset: page.offset, limit: page.limit, reports: rows.iter().map(summary_of).collect() })
    }

    /// One stored report with its text and reading, if there is one with this row id.
    pub fn report(&mut self, id: i64) -> Result<Option<StoredReport>, StoreError> {
        let rows = self.db.query(&format!("SELECT {REPORT_SUMMARY}, r.text, r.reading_zst FROM reports r WHERE r.id = $1"), &[Param::Int(id)])?;
        let Some(row) = rows.first() else { return Ok(None) };
        let reading = zstd::decode_all(&row[8].blob()[..]).map_err(|e| StoreError::Corrupt(format!("report {id}: its reading does not decompress: {e}")))?;
        Ok(Some(StoredReport { summary: summary_of(row), text: row[7].text(), reading: serde_json::from_slice(&reading)? }))
    }

    /// Stored claims, by report; only those whose claimant's name holds `claimant` when given.
    pub fn claims(&mut self, claimant: Option<&str>) -> Result<Vec<StoredClaim>, StoreError> {
        let rows = self.db.query(
            "SELECT c.report_id, r.doc_id, c.claimant, c.claimant_kind, c.cue, c.certainty, c.affirmative, c.evidence
             FROM claims c JOIN reports r ON r.id = c.report_id
             WHERE CAST($1 AS TEXT) IS NULL OR lower(c.claimant) LIKE '%' || lower(CAST($1 AS TEXT)) || '%' ORDER BY c.report_id, c.id",
            &[claimant.into()],
        )?;
        Ok(rows
            .iter()
            .map(|r| StoredClaim {
                report_id: r[0].int(),
                report: r[1].text(),
                claimant: r[2].opt_text(),
                claimant_kind: r[3].opt_text(),
                cue: r[4].text(),
                certainty: r[5].text(),
                affirmative: r[6].bool(),
                evidence: r[7].text(),
            })
            .collect())
    }

    /// Every disagreement read in the stored reports, each with its figures side by side.
    pub fn disagreements(&mut self) -> Result<Vec<StoredDisagreement>, StoreError> {
        let rows = self.db.query(
            "SELECT d.report_id, r.doc_id, d.quantity, d.unit, d.conflicting, d.numbers, r.published FROM disagreements d JOIN reports r ON r.id = d.report_id
             ORDER BY r.published DESC, r.id, d.id",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                Ok(StoredDisagreement {
                    report_id: r[0].int(),
                    published: r[6].opt_text(),
                    report: r[1].text(),
                    quantity: r[2].text(),
                    unit: r[3].text(),
                    conflicting: r[4].bool(),
                    numbers: serde_json::from_str(&r[5].text())?,
                })
            })
            .collect()
    }

    /// A stamp of what the stored events say, which moves whenever a report is stored: the
    /// store's generation, raised in the transaction of every batch that stores a report (and
    /// by every migration since it was added), so that an answer worked out from the events can
    /// be kept (by a server, say) for as long as the stamp stays. One row read: cheap enough to
    /// ask before every answer. Read it before the answer: a write committed in between then
    /// leaves an answer newer than its stamp, worked out again next time, never an older one.
    pub fn version(&mut self) -> Result<i64, StoreError> {
        let rows = self.db.query("SELECT n FROM store_generation", &[])?;
        let r = rows.first().ok_or_else(|| StoreError::Corrupt("the store has no generation row".into()))?;
        Ok(r[0].int())
    }

    /// How much the store holds.
    pub fn counts(&mut self) -> Result<Counts, StoreError> {
        let rows = self.db.query(
            "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM events), (SELECT count(*) FROM event_sources), (SELECT count(*) FROM claims)",
            &[],
        )?;
        let r = rows.first().ok_or_else(|| StoreError::Corrupt("counting gave no row".into()))?;
        Ok(Counts { reports: r[0].int(), events: r[1].int(), sources: r[2].int(), claims: r[3].int() })
    }
}

/// The strings an event filter binds that are not in the query itself.
struct Owned {
    from: Option<String>,
    to: Option<String>,
    side: Option<String>,
}

impl Owned {
    fn of(q: &EventQuery) -> Owned {
        Owned { from: q.from.map(|d| d.to_string()), to: q.to.map(|d| d.to_string()), side: q.actor.as_ref().map(|a| a.to_uppercase()) }
    }
}

/// The conditions of `q` on the columns of `events`, each starting with ` AND `, and their
/// arguments. `near` is a box (or, on PostGIS, `ST_DWithin`) here; callers refine it by
/// great-circle distance. On SQLite a query with a place reads its candidates from the R*Tree
/// over place and days, and the exact conditions (their columns written `+lat` so that no
/// B-tree is chosen over it) check each one.
fn filter_sql<'a>(q: &'a EventQuery, owned: &'a Owned, index: EventIndex) -> (String, Vec<Param<'a>>) {
    let mut sql = String::new();
    let mut args: Vec<Param<'a>> = Vec::new();
    // Each clause's `?` becomes the number of the argument just pushed.
    let push = |sql: &mut String, clause: &str, args: &mut Vec<Param<'a>>| {
        sql.push_str(&clause.replace('?', &format!("${}", args.len())));
    };
    let area = search_box(q);
    let by_tree = index == EventIndex::WhereWhen && area.is_some();
    let column = |name: &str| if by_tree { format!("+{name}") } else { name.to_owned() };
    let (lat, lon, date_from, date_to) = (column("lat"), column("lon"), column("date_from"), column("date_to"));
    // The conditions that an event's point lies in the box `[south, west, north, east]`.
    let push_box = |sql: &mut String, [a, b, c, d]: [f64; 4], args: &mut Vec<Param<'a>>| {
        for (clause, v) in [(format!(" AND {lat} >= ?"), a), (format!(" AND {lon} >= ?"), b), (format!(" AND {lat} <= ?"), c), (format!(" AND {lon} <= ?"), d)]
        {
            args.push(Param::Real(v));
            push(sql, &clause, args);
        }
    };
    if let Some(bbox) = q.bbox {
        push_box(&mut sql, bbox, &mut args);
    }
    if let (Some((p, km)), EventIndex::Postgis) = (q.near, index) {
        // The GiST index finds the circle (geodesic metres; a hair wider than the sphere's
        // kilometres), and the great-circle refinement gives SQLite's answer exactly.
        for v in [p.lon, p.lat, km * 1000.0 * 1.01] {
            args.push(Param::Real(v));
        }
        let n = args.len();
        sql.push_str(&format!(" AND ST_DWithin(geog, CAST(ST_SetSRID(ST_MakePoint(${}, ${}), 4326) AS geography), ${n})", n - 2, n - 1));
    } else if let Some((p, km)) = q.near {
        push_box(&mut sql, circle_box(p, km), &mut args);
    }
    if let Some(from) = &owned.from {
        args.push(Param::Text(from));
        push(&mut sql, &format!(" AND {date_to} >= ?"), &mut args);
    }
    if let Some(to) = &owned.to {
        args.push(Param::Text(to));
        push(&mut sql, &format!(" AND {date_from} <= ?"), &mut args);
    }
    if let (true, Some([a, b, c, d])) = (by_tree, area) {
        // Placeholders appear in the order of their numbers (SQLite numbers `$n` by first use).
        sql.push_str(" AND id IN (SELECT id FROM events_where_when WHERE");
        for (clause, v) in [(" max_lat >= ?", a), (" AND min_lat <= ?", c), (" AND max_lon >= ?", b), (" AND min_lon <= ?", d)] {
            args.push(Param::Real(v));
            push(&mut sql, clause, &mut args);
        }
        if let Some(from) = &owned.from {
            args.push(Param::Text(from));
            push(&mut sql, " AND max_day >= julianday(?)", &mut args);
        }
        if let Some(to) = &owned.to {
            args.push(Param::Text(to));
            push(&mut sql, " AND min_day <= julianday(?)", &mut args);
        }
        sql.push(')');
    }
    if let (EventIndex::Postgis | EventIndex::Plain, Some([a, b, c, d])) = (index, area) {
        // The GiST index over each event's point and days (PostgreSQL's counterpart of the
        // R*Tree); an open end of the window is an open end of the range.
        for v in [b, a, d, c] {
            args.push(Param::Real(v));
        }
        let n = args.len();
        sql.push_str(&format!(" AND point(lon, lat) <@ box(point(${}, ${}), point(${}, ${n}))", n - 3, n - 2, n - 1));
        args.push(owned.from.as_deref().into());
        args.push(owned.to.as_deref().into());
        let n = args.len();
        sql.push_str(&format!(" AND days && daterange(CAST(CAST(${} AS TEXT) AS date), CAST(CAST(${n} AS TEXT) AS date), '[]')", n - 1));
    }
    if let Some(t) = &q.event_type {
        args.push(Param::Text(t));
        push(&mut sql, " AND event_type = ?", &mut args);
    }
    if let (Some(a), Some(side)) = (&q.actor, &owned.side) {
        args.push(Param::Text(side));
        push(&mut sql, " AND (side = ?", &mut args);
        args.push(Param::Text(a));
        push(&mut sql, " OR lower(actor) LIKE '%' || lower(CAST(? AS TEXT)) || '%')", &mut args);
    }
    if let Some(c) = &q.claimant {
        args.push(Param::Text(c));
        push(&mut sql, " AND id IN (SELECT event_id FROM event_sources WHERE lower(claimant) LIKE '%' || lower(CAST(? AS TEXT)) || '%')", &mut args);
    }
    (sql, args)
}

/// The box `[south, west, north, east]` that holds the circle of `km` around `p`.
fn circle_box(p: LatLon, km: f64) -> [f64; 4] {
    let dlat = km / 111.0;
    let dlon = km / (111.0 * p.lat.to_radians().cos().max(0.01));
    [p.lat - dlat, p.lon - dlon, p.lat + dlat, p.lon + dlon]
}

/// The box `[south, west, north, east]` that holds every event `q` can match by place: its
/// `bbox`, its circle's box, or where both are given what they share; None without either.
fn search_box(q: &EventQuery) -> Option<[f64; 4]> {
    match (q.bbox, q.near.map(|(p, km)| circle_box(p, km))) {
        (Some([a, b, c, d]), Some([e, f, g, h])) => Some([a.max(e), b.max(f), c.min(g), d.min(h)]),
        (one, other) => one.or(other),
    }
}

/// Events one query reads (their rows, or their sources).
pub(crate) const IDS_PER_QUERY: usize = 1000;

/// The rows `e` (one column, `value`) of the set of ids given as the text parameter `$1` made
/// by [`id_set`].
pub(crate) fn id_rows(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "json_each($1) e",
        Dialect::Postgres => "unnest(CAST(CAST($1 AS TEXT) AS BIGINT[])) e(value)",
    }
}

/// A set of event ids as one text parameter: a JSON array for SQLite's `json_each`, an array
/// literal for PostgreSQL. The statement's text stays the same whatever the ids.
pub(crate) fn id_set(dialect: Dialect, ids: &[i64]) -> String {
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    match dialect {
        Dialect::Sqlite => format!("[{list}]"),
        Dialect::Postgres => format!("{{{list}}}"),
    }
}

/// SQLite's statement for the tellings of the event `$1`, in the key's order, with `limit` (a
/// `LIMIT` clause, or nothing) after it. The tellings are one range of their table (clustered
/// by event); each report's document id and outlet come from the narrow index that holds
/// them, named because SQLite would otherwise read them from the report's own (wide) row.
fn sqlite_tellings(limit: &str) -> String {
    format!(
        "SELECT s.event_id, r.id, r.doc_id, r.source, s.evidence, s.claimant, s.certainty
         FROM event_sources s JOIN reports r INDEXED BY reports_outlets ON r.id = s.report_id
         WHERE s.event_id = $1 ORDER BY s.report_id, s.evidence_key{limit}"
    )
}

/// The columns of a stored event of `events v` without its place's, in the order
/// [`stored_event`] reads them; its place's (`places p`) follow: `p.admin1, p.country`.
const EVENT_COLUMNS: &str = "v.id, v.event_type, v.plover, v.actor, v.side, v.place_id, v.place_name, v.precision, v.lat, v.lon, v.date_from, v.date_to,
    v.target, v.target_side, v.date_precision, v.civilian_targeting, v.tellings";

/// Where a row of events holding [`EVENT_COLUMNS`] and its place's has the kept first tellings,
/// counted from the event's first column.
const FIRSTS_COLUMN: usize = 19;

/// The fields of the event of a row holding [`EVENT_COLUMNS`] and its place's from column
/// `first` on, borrowed from the row.
fn event_view<'r>(r: &'r RowRef<'_>, first: usize) -> EventView<'r> {
    let text = |i| r.opt_text(first + i);
    EventView {
        id: r.int(first),
        event_type: r.text(first + 1),
        plover: r.text(first + 2),
        actor: text(3),
        side: text(4),
        place_id: text(5),
        place_name: text(6),
        precision: r.opt_int(first + 7),
        lat: r.opt_real(first + 8),
        lon: r.opt_real(first + 9),
        date_from: text(10),
        date_to: text(11),
        target: text(12),
        target_side: text(13),
        date_precision: text(14),
        civilian_targeting: r.bool(first + 15),
        source_count: usize::try_from(r.int(first + 16)).unwrap_or(0),
        admin1: text(17),
        country: text(18),
    }
}

/// The event of a row holding [`EVENT_COLUMNS`] and its place's from column `first` on,
/// without its sources; its texts copied once from the row.
fn stored_event(r: &RowRef<'_>, first: usize) -> StoredEvent {
    event_view(r, first).to_event()
}

/// An event of a page written as JSON from its row ([`Store::events_page_json_framed`]) into
/// the connection's buffer, and, when its row does not show the first tellings the page asks
/// for, where in that buffer they go, the event to read them for, and then the tellings
/// written.
struct EventJson {
    id: i64,
    range: std::ops::Range<usize>,
    sources_at: Option<usize>,
    unkept: Option<StoredEvent>,
    told: Option<Vec<u8>>,
}

impl EventJson {
    /// The event of a row holding [`EVENT_COLUMNS`], its place's and its kept first tellings
    /// from column `first` on, with its first `sources` tellings, written at the end of `out`.
    fn of(r: &RowRef<'_>, first: usize, sources: usize, out: &mut Vec<u8>) -> EventJson {
        let view = event_view(r, first);
        let column = r.opt_text_bytes(first + FIRSTS_COLUMN);
        let start = out.len();
        crate::json::write_event(out, &view);
        let shown = column.and_then(firsts::Column::of).is_some_and(|c| c.write_first(out, sources, view.source_count));
        let sources_at = (!shown).then_some(out.len());
        crate::json::close_event(out);
        EventJson { id: view.id, range: start..out.len(), sources_at, unkept: sources_at.map(|_| view.to_event()), told: None }
    }
}

/// The largest buffer a connection keeps for writing pages of events in
/// ([`Store::events_page_json_framed`]); a page that needed more leaves it to be made again.
const MAX_KEPT_SCRATCH: usize = 1 << 20;

/// PostgreSQL's statement for a page of the events matching `clauses` (of [`filter_sql`]),
/// newest first, the page's size and offset the parameters `$n-1` and `$n`: how many match
/// in all, then each event's [`EVENT_COLUMNS`], its place's and its kept first tellings (when
/// `firsts`, else NULL).
fn postgres_page(clauses: &str, n: usize, firsts: bool) -> String {
    let firsts = if firsts { ", first_tellings" } else { "" };
    format!(
        "SELECT v.total, {EVENT_COLUMNS}, p.admin1, p.country, {}
         FROM (SELECT count(*) OVER () AS total, {EVENT_COLUMNS}{firsts} FROM events v WHERE 1=1{clauses} ORDER BY date_to DESC, id LIMIT ${} OFFSET ${n}) v
         LEFT JOIN places p ON p.id = v.place_id ORDER BY v.date_to DESC, v.id",
        if firsts.is_empty() { "NULL" } else { "v.first_tellings" },
        n - 1
    )
}

/// PostgreSQL's statement for the tellings of the events of the id set `$1` (all of them, or
/// each event's first `at_most` in the key's order): event id, report id, evidence, claimant,
/// certainty, in no particular order. The reports are read apart ([`postgres_report_outlets`]).
fn postgres_tellings(at_most: Option<usize>) -> String {
    let tellings = match at_most {
        None => "JOIN event_sources s ON s.event_id = e.value".to_owned(),
        Some(n) => format!("CROSS JOIN LATERAL (SELECT * FROM event_sources WHERE event_id = e.value ORDER BY report_id, evidence_key LIMIT {n}) s"),
    };
    format!("SELECT s.event_id, s.report_id, s.evidence, s.claimant, s.certainty FROM {} {tellings}", id_rows(Dialect::Postgres))
}

/// PostgreSQL's statement for the id, document id and outlet of the reports of the id set
/// `$1`, from the narrow index that holds them.
fn postgres_report_outlets() -> String {
    format!("SELECT r.id, r.doc_id, r.source FROM {} JOIN reports r ON r.id = e.value", id_rows(Dialect::Postgres))
}

/// The columns of a report's listing (of `reports r`), its counts of events and claims last.
const REPORT_SUMMARY: &str = "r.id, r.doc_id, r.title, r.source, r.published,
        (SELECT count(DISTINCT event_id) FROM event_sources s WHERE s.report_id = r.id),
        (SELECT count(*) FROM claims c WHERE c.report_id = r.id)";

fn summary_of(r: &Row) -> ReportSummary {
    ReportSummary {
        id: r[0].int(),
        doc_id: r[1].text(),
        title: r[2].opt_text(),
        source: r[3].opt_text(),
        published: r[4].opt_text(),
        events: r[5].int(),
        claims: r[6].int(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::ReportOutlets;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    /// A stored event as the property test writes it: a point (or none) and a span of days
    /// counted from 2023-01-01 (either end may be unknown).
    type Row = (Option<(f64, f64)>, Option<i64>, Option<i64>);

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2023, 1, 1).unwrap() + chrono::Duration::days(n)
    }

    /// Whether `q` matches the event `row` by the definitions of `EventQuery`.
    fn matches(q: &EventQuery, row: &Row) -> bool {
        let (point, from, to) = *row;
        let placed = q.bbox.is_none() && q.near.is_none()
            || point.is_some_and(|(lat, lon)| {
                q.bbox.is_none_or(|[a, b, c, d]| (a..=c).contains(&lat) && (b..=d).contains(&lon))
                    && q.near.is_none_or(|(p, km)| distance_km(p, LatLon::new(lat, lon)) <= km)
            });
        let ends_after = q.from.is_none_or(|f| to.is_some_and(|t| day(t) >= f));
        let starts_before = q.to.is_none_or(|t| from.is_some_and(|f| day(f) <= t));
        placed && ends_after && starts_before
    }

    fn point() -> impl Strategy<Value = Option<(f64, f64)>> {
        prop::option::weighted(0.9, (47.0..51.0f64, 34.0..40.0f64))
    }

    fn row() -> impl Strategy<Value = Row> {
        (point(), prop::option::weighted(0.9, 0..400i64), prop::option::weighted(0.9, 0..40i64))
            .prop_map(|(p, from, len)| (p, from, from.zip(len).map(|(f, l)| f + l).or(len)))
    }

    fn query() -> impl Strategy<Value = EventQuery> {
        let bbox = prop::option::of((47.0..51.0f64, 34.0..40.0f64, 0.0..2.0f64, 0.0..3.0f64).prop_map(|(a, b, h, w)| [a, b, a + h, b + w]));
        let near = prop::option::of((47.0..51.0f64, 34.0..40.0f64, 1.0..150.0f64).prop_map(|(lat, lon, km)| (LatLon::new(lat, lon), km)));
        let days = (prop::option::of(0..420i64), prop::option::of(0..30i64));
        (bbox, near, days).prop_map(|(bbox, near, (from, len))| EventQuery {
            bbox,
            near,
            from: from.map(day),
            to: from.zip(len).map(|(f, l)| day(f + l)).or(len.map(|l| day(200 + l))),
            ..EventQuery::default()
        })
    }

    /// A case of the property below: events written, events then moved, and queries with a page.
    type Case = (Vec<Row>, Vec<(prop::sample::Index, Row)>, Vec<(EventQuery, Page)>);

    /// One case of the property below: `rows` written (then `moved` rewritten) into the empty
    /// `events` table of `store`, each query's answer compared with the definition, and a page
    /// of it with the matches in order.
    fn check_index(store: &mut Store, (rows, moved, queries): Case) -> Result<(), TestCaseError> {
        let clear = match store.db.dialect() {
            Dialect::Sqlite => "DELETE FROM events",
            Dialect::Postgres => "TRUNCATE events RESTART IDENTITY CASCADE",
        };
        store.db.batch(clear).unwrap();
        let text = |d: Option<i64>| d.map(|d| day(d).to_string());
        let mut rows = rows;
        for (lat_lon, from, to) in &rows {
            let (from, to) = (text(*from), text(*to));
            store
                .db
                .execute(
                    "INSERT INTO events (event_type, plover, lat, lon, date_from, date_to) VALUES ('battle', 'FIGHT', $1, $2, $3, $4)",
                    &[lat_lon.map(|p| p.0).into(), lat_lon.map(|p| p.1).into(), from.as_deref().into(), to.as_deref().into()],
                )
                .unwrap();
        }
        for (which, (lat_lon, from, to)) in &moved {
            let i = which.index(rows.len());
            rows[i] = (*lat_lon, *from, *to);
            let (from, to) = (text(*from), text(*to));
            store
                .db
                .execute(
                    "UPDATE events SET lat = $1, lon = $2, date_from = $3, date_to = $4 WHERE id = $5",
                    &[lat_lon.map(|p| p.0).into(), lat_lon.map(|p| p.1).into(), from.as_deref().into(), to.as_deref().into(), Param::Int(i as i64 + 1)],
                )
                .unwrap();
        }
        for (q, page) in &queries {
            let in_order = store.matching_ids(q).unwrap();
            let mut found = in_order.clone();
            found.sort_unstable();
            let expected: Vec<i64> = rows.iter().enumerate().filter(|(_, r)| matches(q, r)).map(|(i, _)| i as i64 + 1).collect();
            prop_assert_eq!(found, expected, "query {:?}", q);
            // A page holds the matches in order from its offset, and counts them all, however
            // the dialect reads it (on PostgreSQL without `near`, one statement that pages).
            let got = store.events_page(q, *page, 0).unwrap();
            let shown: Vec<i64> = got.events.iter().map(|e| e.id).collect();
            let slice = &in_order[page.offset.min(in_order.len())..page.offset.saturating_add(page.limit).min(in_order.len())];
            prop_assert_eq!((got.total, &shown[..]), (in_order.len(), slice), "query {:?}, {:?}", q, page);
        }
        Ok(())
    }

    /// Runs [`check_index`] on generated cases against `store`.
    fn index_property(store: Store) {
        let store = std::cell::RefCell::new(store);
        let page = (0..130usize, 1..60usize).prop_map(|(offset, limit)| Page { offset, limit });
        let cases = (
            prop::collection::vec(row(), 1..120),
            prop::collection::vec((any::<prop::sample::Index>(), row()), 0..10),
            prop::collection::vec((query(), page), 1..12),
        );
        proptest::test_runner::TestRunner::new(ProptestConfig { cases: 24, ..ProptestConfig::default() })
            .run(&cases, |case| check_index(&mut store.borrow_mut(), case))
            .unwrap();
    }

    /// Answered through SQLite's R*Tree, every query finds exactly the events its definition
    /// gives (boxes, circles, open and unknown dates, events without a place), however the
    /// events were written (inserted, or moved and re-dated afterwards).
    #[test]
    fn the_place_and_time_index_finds_exactly_the_matching_events_on_sqlite() {
        let scratch = crate::testing::TestStore::new("sqlite", "where_when");
        index_property(Store::open_sqlite(std::path::Path::new(&scratch.location)).unwrap());
    }

    /// The same through PostgreSQL's GiST index over point and days.
    #[test]
    fn the_place_and_time_index_finds_exactly_the_matching_events_on_postgres() {
        let scratch = crate::testing::TestStore::new("postgres", "where_when");
        index_property(Store::open_postgres(&scratch.location).unwrap());
    }

    /// On PostgreSQL a page's first tellings of each event come from the tellings' key in its
    /// order (stopping at the bound, nothing sorted), and their reports' document ids and
    /// outlets from the narrow index that holds them (an index-only scan), not the reports'
    /// rows. The tables are near empty, so scans of whole tables are ruled out for the
    /// planner; what is checked is that the indexes can answer the lookups on their own.
    #[test]
    fn the_tellings_and_their_reports_are_read_from_indexes_on_postgres() {
        let scratch = crate::testing::TestStore::new("postgres", "tellings_plan");
        let mut store = Store::open_postgres(&scratch.location).unwrap();
        store.db.batch("VACUUM ANALYZE reports").unwrap();
        store.db.batch("SET enable_seqscan = off; SET enable_bitmapscan = off").unwrap();
        let mut plan =
            |sql: &str| -> Vec<String> { store.db.query(&format!("EXPLAIN {sql}"), &[Param::Text("{1,2,3}")]).unwrap().iter().map(|r| r[0].text()).collect() };
        let steps = plan(&postgres_tellings(Some(10)));
        assert!(steps.iter().any(|s| s.contains("Index Scan using event_sources_pkey on event_sources")), "{steps:#?}");
        assert!(steps.iter().all(|s| !s.contains("Sort") && !s.contains("reports")), "{steps:#?}");
        let steps = plan(&postgres_report_outlets());
        assert!(steps.iter().any(|s| s.contains("Index Only Scan using reports_outlets on reports r")), "{steps:#?}");
    }

    /// On PostgreSQL a page of events in a box for a week (no circle to refine) is one
    /// statement that finds its candidates in the GiST index over point and days, counts and
    /// pages them, and never reads the whole table (scans of whole tables ruled out for the
    /// planner, as above, since the table is empty).
    #[test]
    fn a_page_of_events_in_a_box_is_one_statement_over_the_index_on_postgres() {
        let scratch = crate::testing::TestStore::new("postgres", "page_plan");
        let mut store = Store::open_postgres(&scratch.location).unwrap();
        store.db.batch("SET enable_seqscan = off").unwrap();
        let q = EventQuery {
            bbox: Some([48.5, 36.5, 50.0, 38.5]),
            from: NaiveDate::from_ymd_opt(2023, 1, 2),
            to: NaiveDate::from_ymd_opt(2023, 1, 8),
            ..EventQuery::default()
        };
        let owned = Owned::of(&q);
        let (clauses, mut args) = filter_sql(&q, &owned, store.index);
        args.extend([Param::Int(100), Param::Int(0)]);
        let sql = format!("EXPLAIN {}", postgres_page(&clauses, args.len(), true));
        let steps: Vec<String> = store.db.query(&sql, &args).unwrap().iter().map(|r| r[0].text()).collect();
        assert!(steps.iter().any(|s| s.contains("events_where_when")), "{steps:#?}");
        assert!(steps.iter().all(|s| !s.contains("Seq Scan on events")), "{steps:#?}");
    }

    /// The document id and outlet of a report one connection has read are kept for every
    /// connection of the process to the same database (seen here by a second connection after
    /// the row is gone), until a connection to it is made again (the database of the name may
    /// be another since).
    #[test]
    fn connections_to_one_database_share_the_reports_they_have_read_on_postgres() {
        let scratch = crate::testing::TestStore::new("postgres", "shared_outlets");
        let url = &scratch.location;
        let (mut first, mut second) = (Store::open_postgres(url).unwrap(), Store::open_postgres(url).unwrap());
        first
            .db
            .batch("INSERT INTO reports (content_hash, doc_id, source, ingested_at, reading) VALUES ('h1', 'kupiansk-1', 'Suspilne', 'now', '{}')")
            .unwrap();
        let read = first.report_outlets_of(&[1, 2]).unwrap();
        assert_eq!(read.get(&1), Some(&("kupiansk-1".to_owned(), Some("Suspilne".to_owned()))));
        assert_eq!(read.len(), 1, "no report 2 is stored");
        first.db.batch("DELETE FROM reports").unwrap();
        assert_eq!(second.report_outlets_of(&[1]).unwrap().get(&1).map(|r| r.0.as_str()), Some("kupiansk-1"));
        let _third = Store::open_postgres(url).unwrap();
        assert!(second.report_outlets_of(&[1]).unwrap().is_empty(), "a new connection forgets what was kept");
    }

    /// What the connections keep of reports makes room before a call adds more: a call that
    /// would pass the bound starts from nothing.
    #[test]
    fn the_kept_reports_make_room_before_a_call_reads_more() {
        let mut kept = ReportOutlets::default();
        for id in 0..49_990 {
            kept.insert(id, format!("r{id}"), None);
        }
        assert!(!kept.needs_room(0) && !kept.needs_room(10));
        assert!(kept.needs_room(11));
        kept.clear();
        assert!(kept.get(1).is_none() && !kept.needs_room(50_000));
    }

    /// SQLite's plan for `sql`, one line per step.
    fn plan(store: &mut Store, sql: &str, args: &[Param<'_>]) -> Vec<String> {
        store.db.query(&format!("EXPLAIN QUERY PLAN {sql}"), args).unwrap().iter().map(|r| r[3].text()).collect()
    }

    /// The queries the API answers most (events near a place or in a box for a week, a week
    /// alone, the first page of reports, an event's tellings) are answered from indexes: no
    /// step of their plans reads a whole table or sorts one.
    #[test]
    fn the_listing_queries_never_scan_a_whole_table() {
        let dir = std::env::temp_dir().join(format!("sitrep-query-plans-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut store = Store::open_sqlite(&dir.join("plans.db")).unwrap();
        let week = |q: EventQuery| EventQuery { from: NaiveDate::from_ymd_opt(2023, 1, 2), to: NaiveDate::from_ymd_opt(2023, 1, 8), ..q };
        let queries = [
            ("near, a week", week(EventQuery { near: Some((LatLon::new(49.71, 37.62), 30.0)), ..EventQuery::default() })),
            ("box, a week", week(EventQuery { bbox: Some([48.0, 36.0, 50.0, 39.0]), ..EventQuery::default() })),
            ("a week", week(EventQuery::default())),
        ];
        for (what, q) in &queries {
            let owned = Owned::of(q);
            let (clauses, args) = filter_sql(q, &owned, EventIndex::WhereWhen);
            let steps = plan(&mut store, &format!("SELECT id, lat, lon FROM events WHERE 1=1{clauses} ORDER BY date_to DESC, id"), &args);
            // The R*Tree's own scan is a search of its index (`VIRTUAL TABLE INDEX`).
            assert!(steps.iter().all(|s| !s.starts_with("SCAN events") || s.contains("USING") || s.contains("VIRTUAL TABLE INDEX")), "{what}: {steps:?}");
            if q.near.is_some() || q.bbox.is_some() {
                assert!(steps.iter().any(|s| s.contains("events_where_when")), "{what} does not use the R*Tree: {steps:?}");
                assert!(steps.iter().all(|s| !s.contains("events_by_date") && !s.contains("events_by_point")), "{what}: {steps:?}");
            }
        }
        let steps = plan(
            &mut store,
            &format!("SELECT {REPORT_SUMMARY} FROM reports r ORDER BY r.published DESC, r.id LIMIT $1 OFFSET $2"),
            &[Param::Int(50), Param::Int(0)],
        );
        assert!(steps.iter().all(|s| !s.contains("TEMP B-TREE FOR ORDER BY") && (!s.starts_with("SCAN") || s.contains("USING"))), "reports page: {steps:?}");
        let steps = plan(
            &mut store,
            "SELECT s.event_id, r.id FROM event_sources s JOIN reports r ON r.id = s.report_id WHERE s.event_id IN ($1, $2)",
            &[Param::Int(1), Param::Int(2)],
        );
        assert!(steps.iter().all(|s| !s.starts_with("SCAN")), "tellings of events: {steps:?}");
        // A page's first tellings of an event are read in the key's order from its index, and
        // the read stops at the bound: nothing is sorted.
        let steps = plan(&mut store, &sqlite_tellings(" LIMIT 10"), &[Param::Int(1)]);
        assert!(steps.iter().all(|s| !s.starts_with("SCAN") && !s.contains("TEMP B-TREE")), "first tellings of an event: {steps:?}");
        assert!(steps.iter().any(|s| s.contains("SEARCH s USING") && s.contains("(event_id=?)")), "first tellings of an event: {steps:?}");
        // The tellings are the table's own rows, clustered by event (no row looked up from an
        // index entry), and each report's document id and outlet come from the narrow index.
        assert!(steps.iter().any(|s| s == "SEARCH s USING PRIMARY KEY (event_id=?)"), "first tellings of an event: {steps:?}");
        assert!(steps.iter().any(|s| s.contains("SEARCH r USING COVERING INDEX reports_outlets (id=?)")), "the tellings' reports: {steps:?}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}
