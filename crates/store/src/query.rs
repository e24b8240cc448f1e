//! Reading the store: events by place, box, dates, type, actor and claimant, each with every
//! source; reports, claims, disagreements and counts.

use sitrep_gazetteer::{distance_km, LatLon};

use crate::{
    db::{Param, Row},
    Counts, EventQuery, ReportSummary, Source, Store, StoreError, StoredClaim, StoredDisagreement, StoredEvent, StoredReport,
};

impl Store {
    /// Events matching `q`, newest first, each with every source.
    pub fn events(&mut self, q: &EventQuery) -> Result<Vec<StoredEvent>, StoreError> {
        let mut sql = String::from(
            "SELECT id, event_type, plover, actor, side, place_id, place_name, precision, lat, lon, date_from, date_to, target, target_side, date_precision, civilian_targeting,
                    (SELECT p.admin1 FROM places p WHERE p.id = events.place_id), (SELECT p.country FROM places p WHERE p.id = events.place_id)
             FROM events WHERE 1=1",
        );
        let (from, to) = (q.from.map(|d| d.to_string()), q.to.map(|d| d.to_string()));
        let actor_side = q.actor.as_ref().map(|a| a.to_uppercase());
        let mut args: Vec<Param<'_>> = Vec::new();
        // Each clause's `?` becomes the number of the argument just pushed.
        let push = |sql: &mut String, clause: &str, args: &mut Vec<Param<'_>>| {
            sql.push_str(&clause.replace('?', &format!("${}", args.len())));
        };
        if let Some([a, b, c, d]) = q.bbox {
            for (clause, v) in [(" AND lat >= ?", a), (" AND lon >= ?", b), (" AND lat <= ?", c), (" AND lon <= ?", d)] {
                args.push(Param::Real(v));
                push(&mut sql, clause, &mut args);
            }
        }
        if let (Some((p, km)), true) = (q.near, self.postgis) {
            // The GiST index finds the circle (geodesic metres; a hair wider than the sphere's
            // kilometres), and the great-circle refinement below gives SQLite's answer exactly.
            for v in [p.lon, p.lat, km * 1000.0 * 1.01] {
                args.push(Param::Real(v));
            }
            let n = args.len();
            sql.push_str(&format!(" AND ST_DWithin(geog, CAST(ST_SetSRID(ST_MakePoint(${}, ${}), 4326) AS geography), ${n})", n - 2, n - 1));
        } else if let Some((p, km)) = q.near {
            // A box that holds the circle, refined below by great-circle distance.
            let dlat = km / 111.0;
            let dlon = km / (111.0 * p.lat.to_radians().cos().max(0.01));
            for (clause, v) in
                [(" AND lat >= ?", p.lat - dlat), (" AND lat <= ?", p.lat + dlat), (" AND lon >= ?", p.lon - dlon), (" AND lon <= ?", p.lon + dlon)]
            {
                args.push(Param::Real(v));
                push(&mut sql, clause, &mut args);
            }
        }
        if let Some(from) = &from {
            args.push(Param::Text(from));
            push(&mut sql, " AND date_to >= ?", &mut args);
        }
        if let Some(to) = &to {
            args.push(Param::Text(to));
            push(&mut sql, " AND date_from <= ?", &mut args);
        }
        if let Some(t) = &q.event_type {
            args.push(Param::Text(t));
            push(&mut sql, " AND event_type = ?", &mut args);
        }
        if let (Some(a), Some(side)) = (&q.actor, &actor_side) {
            args.push(Param::Text(side));
            push(&mut sql, " AND (side = ?", &mut args);
            args.push(Param::Text(a));
            push(&mut sql, " OR lower(actor) LIKE '%' || lower(CAST(? AS TEXT)) || '%')", &mut args);
        }
        if let Some(c) = &q.claimant {
            args.push(Param::Text(c));
            push(&mut sql, " AND id IN (SELECT event_id FROM event_sources WHERE lower(claimant) LIKE '%' || lower(CAST(? AS TEXT)) || '%')", &mut args);
        }
        sql.push_str(" ORDER BY date_to DESC, id");
        let rows = self.db.query(&sql, &args)?;
        let mut events = Vec::new();
        for r in rows {
            let e = StoredEvent {
                id: r[0].int(),
                event_type: r[1].text(),
                plover: r[2].text(),
                actor: r[3].opt_text(),
                side: r[4].opt_text(),
                place_id: r[5].opt_text(),
                place_name: r[6].opt_text(),
                precision: r[7].opt_int(),
                lat: r[8].opt_real(),
                lon: r[9].opt_real(),
                date_from: r[10].opt_text(),
                date_to: r[11].opt_text(),
                target: r[12].opt_text(),
                target_side: r[13].opt_text(),
                date_precision: r[14].opt_text(),
                civilian_targeting: r[15].bool(),
                admin1: r[16].opt_text(),
                country: r[17].opt_text(),
                sources: Vec::new(),
            };
            if let (Some((p, km)), Some(lat), Some(lon)) = (q.near, e.lat, e.lon) {
                if distance_km(p, LatLon::new(lat, lon)) > km {
                    continue;
                }
            }
            events.push(e);
        }
        self.attach_sources(&mut events)?;
        Ok(events)
    }

    /// Fills in every event's sources, a few hundred events per query.
    fn attach_sources(&mut self, events: &mut [StoredEvent]) -> Result<(), StoreError> {
        let position: std::collections::HashMap<i64, usize> = events.iter().enumerate().map(|(i, e)| (e.id, i)).collect();
        for chunk in events.iter().map(|e| e.id.to_string()).collect::<Vec<_>>().chunks(SOURCES_PER_QUERY) {
            // Ids are the store's own integers, written inline.
            let rows = self.db.query(
                &format!(
                    "SELECT s.event_id, r.id, r.doc_id, r.source, s.evidence, s.claimant, s.certainty FROM event_sources s JOIN reports r ON r.id = s.report_id
                     WHERE s.event_id IN ({}) ORDER BY s.event_id, r.id, s.evidence",
                    chunk.join(",")
                ),
                &[],
            )?;
            for r in rows {
                if let Some(&i) = position.get(&r[0].int()) {
                    events[i].sources.push(Source {
                        report_id: r[1].int(),
                        report: r[2].text(),
                        outlet: r[3].opt_text(),
                        evidence: r[4].text(),
                        claimant: r[5].opt_text(),
                        certainty: r[6].text(),
                    });
                }
            }
        }
        Ok(())
    }

    /// The stored reports, newest publication first.
    pub fn reports(&mut self) -> Result<Vec<ReportSummary>, StoreError> {
        let rows = self.db.query(&format!("SELECT {REPORT_SUMMARY} FROM reports r ORDER BY r.published DESC, r.id"), &[])?;
        Ok(rows.iter().map(summary_of).collect())
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
            "SELECT d.report_id, r.doc_id, d.quantity, d.unit, d.conflicting, d.numbers FROM disagreements d JOIN reports r ON r.id = d.report_id
             ORDER BY r.published DESC, r.id, d.id",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                Ok(StoredDisagreement {
                    report_id: r[0].int(),
                    report: r[1].text(),
                    quantity: r[2].text(),
                    unit: r[3].text(),
                    conflicting: r[4].bool(),
                    numbers: serde_json::from_str(&r[5].text())?,
                })
            })
            .collect()
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

/// Events whose sources one query fetches.
const SOURCES_PER_QUERY: usize = 500;

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
