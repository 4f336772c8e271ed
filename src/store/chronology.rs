//! The combined chronology: entries, their links to terms of reference, and windows of
//! rows in timeline order so a screen reads only what it shows.

use super::values::{date, flag, id, opt_text, read_date, text};
use super::{Result, Store, Writer};
use crate::domain::date::{DatePrecision, FuzzyDate};
use crate::domain::model::{ChronologyEntry, ImportProvenance};

/// Timeline order (SPEC §3.4): date, then time (untimed first), then entry order; undated
/// last. It matches the `chronology_order` index so a window is read without sorting.
const ORDER: &str = "c.date_sort IS NULL, c.date_sort, c.date_latest, c.time, c.id";

/// A chronology entry with the short code of its agency, as the timeline shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineRow {
    pub entry: ChronologyEntry,
    pub agency_code: String,
}

fn read_entry(row: &rusqlite::Row<'_>) -> rusqlite::Result<TimelineRow> {
    let precision: String = row.get("date_precision")?;
    let fuzzy = FuzzyDate::from_parts(
        row.get::<_, String>("date_text")?,
        DatePrecision::from_code(&precision).unwrap_or(DatePrecision::Undated),
        row.get::<_, i64>("date_approximate")? != 0,
        read_date(row, "date_earliest")?,
        read_date(row, "date_latest")?,
    );
    let extra_json: String = row.get("extra")?;
    let extra: Vec<(String, String)> = serde_json::from_str(&extra_json).unwrap_or_default();
    let import_file: Option<String> = row.get("import_file")?;
    let provenance = match import_file {
        Some(file_name) => Some(ImportProvenance {
            file_name,
            line: row
                .get::<_, Option<i64>>("import_line")?
                .unwrap_or(0)
                .max(0) as u64,
            imported_at: row
                .get::<_, Option<String>>("imported_at")?
                .unwrap_or_default(),
            fingerprint: row
                .get::<_, Option<String>>("fingerprint")?
                .unwrap_or_default(),
        }),
        None => None,
    };
    Ok(TimelineRow {
        entry: ChronologyEntry {
            id: row.get("id")?,
            case_id: row.get("case_id")?,
            date: fuzzy,
            time: row.get("time")?,
            agency_id: row.get("agency_id")?,
            source_ref: row.get("source_ref")?,
            subjects: row.get("subjects")?,
            event: row.get("event")?,
            action_outcome: row.get("action_outcome")?,
            risk_dash: row.get("risk_dash")?,
            risk_marac: row.get("risk_marac")?,
            agency_comment: row.get("agency_comment")?,
            panel_analysis: row.get("panel_analysis")?,
            key_event: row.get::<_, i64>("key_event")? != 0,
            missed_opportunity: row.get::<_, i64>("missed_opportunity")? != 0,
            provenance,
            extra,
        },
        agency_code: row
            .get::<_, Option<String>>("agency_code")?
            .unwrap_or_default(),
    })
}

impl Writer<'_> {
    /// Adds an entry of the chronology, linked to the given terms-of-reference items.
    pub fn insert_chronology_entry(
        &mut self,
        e: &ChronologyEntry,
        term_ids: &[i64],
    ) -> Result<i64> {
        let extra = serde_json::to_string(&e.extra).unwrap_or_else(|_| "[]".into());
        let p = e.provenance.as_ref();
        let entry_id = self.insert(
            "chronology",
            &[
                ("case_id", e.case_id.into()),
                ("date_text", text(&e.date.text)),
                ("date_precision", text(e.date.precision.code())),
                ("date_approximate", flag(e.date.approximate)),
                ("date_earliest", date(e.date.earliest)),
                ("date_latest", date(e.date.latest)),
                ("date_sort", date(e.date.earliest.or(e.date.latest))),
                ("time", opt_text(e.time.as_deref())),
                ("agency_id", id(e.agency_id)),
                ("source_ref", text(&e.source_ref)),
                ("subjects", text(&e.subjects)),
                ("event", text(&e.event)),
                ("action_outcome", text(&e.action_outcome)),
                ("risk_dash", text(&e.risk_dash)),
                ("risk_marac", text(&e.risk_marac)),
                ("agency_comment", text(&e.agency_comment)),
                ("panel_analysis", text(&e.panel_analysis)),
                ("key_event", flag(e.key_event)),
                ("missed_opportunity", flag(e.missed_opportunity)),
                ("import_file", opt_text(p.map(|p| p.file_name.as_str()))),
                ("import_line", id(p.map(|p| p.line as i64))),
                ("imported_at", opt_text(p.map(|p| p.imported_at.as_str()))),
                ("fingerprint", opt_text(p.map(|p| p.fingerprint.as_str()))),
                ("extra", text(&extra)),
            ],
        )?;
        for term_id in term_ids {
            self.insert(
                "chronology_terms",
                &[
                    ("entry_id", entry_id.into()),
                    ("term_id", (*term_id).into()),
                ],
            )?;
        }
        Ok(entry_id)
    }
}

/// The SQL condition for a free-text filter: each word must occur in one of the text
/// columns (or the agency code), in any letter case; and the words as parameters ?2….
fn text_filter(filter: &str) -> (String, Vec<String>) {
    let words: Vec<String> = filter.split_whitespace().map(str::to_lowercase).collect();
    let mut clause = String::new();
    for i in 0..words.len() {
        let p = i + 2;
        clause.push_str(&format!(
            " AND instr(lower(c.date_text || ' ' || c.event || ' ' || c.subjects || ' ' || c.source_ref || ' ' || \
             c.action_outcome || ' ' || c.agency_comment || ' ' || c.panel_analysis || ' ' || ifnull(a.code, '')), ?{p}) > 0"
        ));
    }
    (clause, words)
}

impl Store {
    /// How many entries the case's chronology holds.
    pub fn chronology_count(&self, case_id: i64) -> Result<u64> {
        let n: i64 = self.conn().query_row(
            "SELECT count(*) FROM chronology WHERE case_id = ?1 AND deleted_at IS NULL",
            [case_id],
            |r| r.get(0),
        )?;
        Ok(n.max(0) as u64)
    }

    /// How many entries pass a free-text filter (every word, any letter case).
    pub fn chronology_count_matching(&self, case_id: i64, filter: &str) -> Result<u64> {
        let (clause, words) = text_filter(filter);
        let sql = format!(
            "SELECT count(*) FROM chronology c LEFT JOIN agencies a ON a.id = c.agency_id
             WHERE c.case_id = ?1 AND c.deleted_at IS NULL{clause}"
        );
        let mut values: Vec<rusqlite::types::Value> = vec![case_id.into()];
        values.extend(words.into_iter().map(Into::into));
        let n: i64 =
            self.conn()
                .query_row(&sql, rusqlite::params_from_iter(values.iter()), |r| {
                    r.get(0)
                })?;
        Ok(n.max(0) as u64)
    }

    /// `limit` entries passing `filter`, in timeline order, from position `offset`.
    pub fn chronology_window(
        &self,
        case_id: i64,
        filter: &str,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<TimelineRow>> {
        let (clause, words) = text_filter(filter);
        let sql = format!(
            "SELECT c.*, a.code AS agency_code FROM chronology c LEFT JOIN agencies a ON a.id = c.agency_id
             WHERE c.case_id = ?1 AND c.deleted_at IS NULL{clause} ORDER BY {ORDER} LIMIT {limit} OFFSET {offset}"
        );
        let mut values: Vec<rusqlite::types::Value> = vec![case_id.into()];
        values.extend(words.into_iter().map(Into::into));
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(values.iter()), read_entry)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
