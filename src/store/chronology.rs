//! The combined chronology: entries, their links to terms of reference, and windows of
//! rows in timeline order so a screen reads only what it shows.

use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use rusqlite::types::Value;

use super::terms::TermLinks;
use super::values::{date, flag, id, opt_text, read_date, text};
use super::{Result, Store, StoreError, Writer};
use crate::domain::date::{DatePrecision, FuzzyDate};
use crate::domain::filter::TimelineFilter;
use crate::domain::model::{ChronologyEntry, ImportProvenance};

/// Timeline order: date, then time (untimed first), then entry order; undated
/// last. It matches the `chronology_timeline` index so a window is read without sorting.
const ORDER: &str = "c.date_sort IS NULL, c.date_sort, c.date_latest, c.time, c.id";

/// The two flags a panel puts on an entry with one key each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryFlag {
    KeyEvent,
    MissedOpportunity,
}

pub use crate::domain::model::TimelineRow;

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

/// The fields of an entry a person edits, as stored; used by insert and update alike.
fn entry_fields(e: &ChronologyEntry) -> Vec<(&'static str, Value)> {
    vec![
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
    ]
}

/// Migration 11, which made the search index and its triggers.
const SEARCH_MIGRATION: &str = include_str!("migrations/0011_chronology_search.sql");

/// The triggers that keep the search index in step, as migration 11 created them: each
/// `CREATE TRIGGER … END` statement of that migration, by name.
pub(crate) fn search_triggers() -> Vec<(&'static str, &'static str)> {
    let mut found = Vec::new();
    let mut rest = SEARCH_MIGRATION;
    while let Some(start) = rest.find("CREATE TRIGGER ") {
        let from = &rest[start..];
        let Some(end) = from.find("\nEND;") else {
            break;
        };
        let statement = &from[..end + "\nEND".len()];
        let name = statement["CREATE TRIGGER ".len()..]
            .split_whitespace()
            .next()
            .unwrap_or_default();
        found.push((name, statement));
        rest = &from[end..];
    }
    found
}

/// Migration 11's statement that indexes every entry (it ends with the `FROM` of the
/// entries, so a `WHERE` may follow).
fn index_entries_sql() -> Option<&'static str> {
    let start = SEARCH_MIGRATION.find("INSERT INTO chronology_search")?;
    let length = SEARCH_MIGRATION[start..].find(';')?;
    Some(&SEARCH_MIGRATION[start..start + length])
}

impl Writer<'_> {
    /// Runs `add`, which adds many entries (an import, the demo's synthetic rows), with the
    /// search index's insert trigger set aside, then indexes the entries added in one
    /// statement and puts the trigger back exactly as migration 11 made it, all in this
    /// transaction (a failure rolls back all three). SQLite's search index writes its
    /// pending text out at every statement inside a transaction, so indexing entry by
    /// entry made a bulk insert three to four times slower.
    pub fn adding_many<T>(&mut self, add: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        let trigger = search_triggers()
            .into_iter()
            .find(|(name, _)| *name == "chronology_search_insert");
        let (Some((_, trigger)), Some(index)) = (trigger, index_entries_sql()) else {
            return add(self);
        };
        let before: i64 =
            self.tx()
                .query_row("SELECT ifnull(max(id), 0) FROM chronology", [], |r| {
                    r.get(0)
                })?;
        self.tx()
            .execute_batch("DROP TRIGGER chronology_search_insert")?;
        let added = add(self);
        let restored = self.tx().execute_batch(trigger);
        let value = added?;
        restored?;
        // An entry added and then edited in `add` was indexed by the update trigger.
        self.tx()
            .execute("DELETE FROM chronology_search WHERE rowid > ?1", [before])?;
        self.tx()
            .execute(&format!("{index} WHERE c.id > ?1"), [before])?;
        Ok(value)
    }

    /// Saves an edited entry (its import provenance and extra columns stay as imported)
    /// and makes its links to terms of reference exactly `term_ids`.
    pub fn update_chronology_entry(&mut self, e: &ChronologyEntry, term_ids: &[i64]) -> Result<()> {
        self.update("chronology", e.id, &entry_fields(e))?;
        self.set_entry_terms(e.id, term_ids)
    }

    /// Links an entry to exactly these terms-of-reference items, withdrawing other links.
    pub fn set_entry_terms(&mut self, entry_id: i64, term_ids: &[i64]) -> Result<()> {
        let current: Vec<(i64, i64)> = {
            let mut stmt = self
                .tx()
                .prepare("SELECT id, term_id FROM chronology_terms WHERE entry_id = ?1 AND deleted_at IS NULL")?;
            let rows = stmt.query_map([entry_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<Vec<_>>>()?
        };
        for (link_id, term_id) in &current {
            if !term_ids.contains(term_id) {
                self.withdraw("chronology_terms", *link_id)?;
            }
        }
        let new: Vec<i64> = term_ids
            .iter()
            .copied()
            .filter(|term_id| !current.iter().any(|(_, t)| t == term_id))
            .collect();
        self.link_terms(TermLinks::Chronology, entry_id, &new)
    }

    /// Sets or clears the key-event or missed-opportunity flag of an entry.
    pub fn set_entry_flag(&mut self, entry_id: i64, flag_name: EntryFlag, on: bool) -> Result<()> {
        let column = match flag_name {
            EntryFlag::KeyEvent => "key_event",
            EntryFlag::MissedOpportunity => "missed_opportunity",
        };
        if !self.update("chronology", entry_id, &[(column, flag(on))])? {
            return Err(StoreError::Rule(format!(
                "chronology entry {entry_id} already had that flag"
            )));
        }
        Ok(())
    }

    /// Adds an entry of the chronology, linked to the given terms-of-reference items.
    pub fn insert_chronology_entry(
        &mut self,
        e: &ChronologyEntry,
        term_ids: &[i64],
    ) -> Result<i64> {
        let extra = serde_json::to_string(&e.extra).unwrap_or_else(|_| "[]".into());
        let p = e.provenance.as_ref();
        let mut fields = vec![("case_id", Value::from(e.case_id))];
        fields.extend(entry_fields(e));
        fields.extend([
            ("import_file", opt_text(p.map(|p| p.file_name.as_str()))),
            ("import_line", id(p.map(|p| p.line as i64))),
            ("imported_at", opt_text(p.map(|p| p.imported_at.as_str()))),
            ("fingerprint", opt_text(p.map(|p| p.fingerprint.as_str()))),
            ("extra", text(&extra)),
        ]);
        let entry_id = self.insert("chronology", &fields)?;
        self.link_terms(TermLinks::Chronology, entry_id, term_ids)?;
        Ok(entry_id)
    }
}

/// The text of an entry the free-text filter reads, part by part: its text fields and its
/// agency's code and name. A word matches where one of them, lowered by SQLite's
/// `lower()` (ASCII letters only), contains it; the filter has always read them joined by
/// spaces, which a word (having no spaces) cannot span, so part by part is the same test
/// without copying a huge field into one long text. The search index (migration 11)
/// holds exactly the joined, lowered text.
const FIELDS: [&str; 11] = [
    "c.date_text",
    "c.event",
    "c.subjects",
    "c.source_ref",
    "c.action_outcome",
    "c.agency_comment",
    "c.panel_analysis",
    "c.risk_dash",
    "c.risk_marac",
    "ifnull(a.code, '')",
    "ifnull(a.name, '')",
];

/// The condition that the word in parameter `p` occurs in the entry's text.
fn contains_word(p: usize) -> String {
    let fields = FIELDS
        .iter()
        .map(|f| format!("instr(lower({f}), ?{p}) > 0"))
        .collect::<Vec<_>>()
        .join(" OR ");
    format!("({fields})")
}

/// Whether the search index answers a (lowered) word of the free-text filter exactly: the
/// trigram index needs three characters; SQLite's tokenizer reads U+FFFE and U+FFFF as
/// U+FFFD, so a word with any of the three is left to the scan.
pub fn indexed_word(word: &str) -> bool {
    word.chars().count() >= 3 && !word.contains(['\u{fffd}', '\u{fffe}', '\u{ffff}'])
}

/// The most different words a timeline filter looks for (each is a condition of the query,
/// and SQLite refuses a query nested too deep).
pub const MAX_FILTER_WORDS: usize = 100;

/// The lowered words of the free-text filter, as it has always split them, less those
/// another word already asks for (a repeated word, or one inside a longer word: an entry
/// with "police" has "pol"), so a pasted list of words costs no more than its distinct
/// ones and finds the same entries.
fn filter_words(filter: &TimelineFilter) -> Vec<String> {
    let mut words: Vec<String> = filter
        .text
        .split_whitespace()
        .map(str::to_lowercase)
        .collect();
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let mut kept: Vec<String> = Vec::with_capacity(words.len());
    for word in words {
        if !kept.iter().any(|k| k.contains(word.as_str())) {
            kept.push(word);
        }
    }
    kept
}

/// The SQL conditions (after `c.case_id = ?1 AND c.deleted_at IS NULL`) for a timeline
/// filter, their parameters from ?2 on, and the join to the agencies when the conditions
/// read an agency's code and name (else none: it would fetch every row from the table). `long_rows` are the entries whose text was
/// too long to index whole (see [`Store::long_entries`]): they are checked against their
/// whole text.
fn filter_sql(filter: &TimelineFilter, long_rows: &[i64]) -> (String, Vec<Value>, &'static str) {
    let mut clause = String::new();
    let mut values: Vec<Value> = Vec::new();
    let param = |values: &mut Vec<Value>, v: Value| {
        values.push(v);
        values.len() + 1
    };
    let (indexed, scanned): (Vec<String>, Vec<String>) = filter_words(filter)
        .into_iter()
        .partition(|w| indexed_word(w));
    for word in scanned {
        let p = param(&mut values, Value::Text(word));
        clause.push_str(&format!(" AND {}", contains_word(p)));
    }
    if !indexed.is_empty() {
        let query = indexed
            .iter()
            .map(|w| format!("body : \"{}\"", w.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" AND ");
        let p = param(&mut values, Value::Text(query));
        // `+c.id`: SQLite walks the timeline index (which holds the row ids) and looks each
        // up in the index's answer, rather than fetching every matching row from the
        // table: six to eight times faster for a word most entries contain.
        let found = format!(
            "+c.id IN (SELECT rowid FROM chronology_search WHERE chronology_search MATCH ?{p})"
        );
        if long_rows.is_empty() {
            clause.push_str(&format!(" AND {found}"));
        } else {
            let ids = long_rows
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            let mut whole = format!("c.id IN ({ids})");
            for word in indexed {
                let p = param(&mut values, Value::Text(word));
                whole.push_str(&format!(" AND {}", contains_word(p)));
            }
            clause.push_str(&format!(" AND ({found} OR ({whole}))"));
        }
    }
    if let Some(agency) = filter.agency_id {
        let p = param(&mut values, Value::Integer(agency));
        clause.push_str(&format!(" AND c.agency_id = ?{p}"));
    }
    if !filter.subject.trim().is_empty() {
        let p = param(
            &mut values,
            Value::Text(filter.subject.trim().to_lowercase()),
        );
        clause.push_str(&format!(" AND instr(lower(c.subjects), ?{p}) > 0"));
    }
    if filter.key_only {
        clause.push_str(" AND c.key_event = 1");
    }
    if filter.missed_only {
        clause.push_str(" AND c.missed_opportunity = 1");
    }
    if let Some(term) = filter.term_id {
        let p = param(&mut values, Value::Integer(term));
        clause.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM chronology_terms t WHERE t.entry_id = c.id AND t.term_id = ?{p} AND t.deleted_at IS NULL)"
        ));
    }
    // An entry is in a date range when the days it could stand for meet the range; an
    // open end ("before X", "after X") reaches as far as it says.
    if let Some(from) = filter.from {
        let p = param(&mut values, date(Some(from)));
        clause.push_str(&format!(
            " AND c.date_sort IS NOT NULL AND (c.date_latest IS NULL OR c.date_latest >= ?{p})"
        ));
    }
    if let Some(to) = filter.to {
        let p = param(&mut values, date(Some(to)));
        clause.push_str(&format!(
            " AND c.date_sort IS NOT NULL AND c.date_sort <= ?{p}"
        ));
    }
    let join = if clause.contains("a.code") {
        "LEFT JOIN agencies a ON a.id = c.agency_id"
    } else {
        ""
    };
    (clause, values, join)
}

impl Store {
    /// The entries whose text is longer than the search index holds of it (usually none).
    pub fn long_entries(&self) -> Result<Vec<i64>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT rowid FROM chronology_search WHERE chronology_search MATCH 'long : \"yes\"'",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
    }

    /// The SQL conditions of a filter (see [`filter_sql`]), reading the long entries only
    /// when a word goes to the index.
    fn filter_parts(&self, filter: &TimelineFilter) -> Result<(String, Vec<Value>, &'static str)> {
        let words = filter_words(filter);
        if words.len() > MAX_FILTER_WORDS {
            return Err(StoreError::Rule(format!(
                "the filter has {} different words; at most {MAX_FILTER_WORDS} can be looked for at once: shorten it (Esc clears it)",
                words.len()
            )));
        }
        let long_rows = if words.iter().any(|w| indexed_word(w)) {
            self.long_entries()?
        } else {
            Vec::new()
        };
        Ok(filter_sql(filter, &long_rows))
    }

    /// How many entries the case's chronology holds.
    pub fn chronology_count(&self, case_id: i64) -> Result<u64> {
        let n: i64 = self.conn().query_row(
            "SELECT count(*) FROM chronology WHERE case_id = ?1 AND deleted_at IS NULL",
            [case_id],
            |r| r.get(0),
        )?;
        Ok(n.max(0) as u64)
    }

    /// How many entries pass a filter.
    pub fn chronology_count_matching(&self, case_id: i64, filter: &TimelineFilter) -> Result<u64> {
        let (clause, values, join) = self.filter_parts(filter)?;
        let sql = format!(
            "SELECT count(*) FROM chronology c {join}
             WHERE c.case_id = ?1 AND c.deleted_at IS NULL{clause}"
        );
        let mut all: Vec<Value> = vec![case_id.into()];
        all.extend(values);
        let n: i64 = self
            .conn()
            .query_row(&sql, rusqlite::params_from_iter(all.iter()), |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// `limit` entries passing `filter`, in timeline order, from position `offset`.
    /// The window's ids are picked first (from the timeline index alone when nothing
    /// but the case narrows it), then only those rows are read.
    pub fn chronology_window(
        &self,
        case_id: i64,
        filter: &TimelineFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<TimelineRow>> {
        let (clause, values, join) = self.filter_parts(filter)?;
        let sql = format!(
            "SELECT c.*, a.code AS agency_code FROM (
                 SELECT c.id FROM chronology c {join}
                 WHERE c.case_id = ?1 AND c.deleted_at IS NULL{clause}
                 ORDER BY {ORDER} LIMIT {limit} OFFSET {offset}
             ) w
             JOIN chronology c ON c.id = w.id LEFT JOIN agencies a ON a.id = c.agency_id
             ORDER BY {ORDER}"
        );
        let mut all: Vec<Value> = vec![case_id.into()];
        all.extend(values);
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(all.iter()), read_entry)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The position, among entries passing `filter`, of the first entry dated on or after
    /// `day` (undated entries come last, so a day after every entry gives their position).
    pub fn chronology_position_of(
        &self,
        case_id: i64,
        filter: &TimelineFilter,
        day: NaiveDate,
    ) -> Result<u64> {
        let (clause, values, join) = self.filter_parts(filter)?;
        let p = values.len() + 2;
        let sql = format!(
            "SELECT count(*) FROM chronology c {join}
             WHERE c.case_id = ?1 AND c.deleted_at IS NULL{clause} AND c.date_sort IS NOT NULL AND c.date_sort < ?{p}"
        );
        let mut all: Vec<Value> = vec![case_id.into()];
        all.extend(values);
        all.push(date(Some(day)));
        let n: i64 = self
            .conn()
            .query_row(&sql, rusqlite::params_from_iter(all.iter()), |r| r.get(0))?;
        Ok(n.max(0) as u64)
    }

    /// One entry with its agency code, whether or not it is withdrawn.
    pub fn chronology_entry(&self, entry_id: i64) -> Result<Option<TimelineRow>> {
        let sql = "SELECT c.*, a.code AS agency_code FROM chronology c LEFT JOIN agencies a ON a.id = c.agency_id
             WHERE c.id = ?1";
        Ok(self
            .conn()
            .query_row(sql, [entry_id], read_entry)
            .optional()?)
    }

    /// The terms-of-reference items an entry is linked to.
    pub fn entry_term_ids(&self, entry_id: i64) -> Result<Vec<i64>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT term_id FROM chronology_terms WHERE entry_id = ?1 AND deleted_at IS NULL ORDER BY term_id",
        )?;
        let rows = stmt.query_map([entry_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
    }

    /// The dates of every entry of a case (of one agency, when given), for silent periods,
    /// handed to `fold` one by one as they are read: half a million entries are never held
    /// at once.
    pub fn with_chronology_dates<R>(
        &self,
        case_id: i64,
        agency_id: Option<i64>,
        fold: impl FnOnce(&mut dyn Iterator<Item = FuzzyDate>) -> R,
    ) -> Result<R> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT date_text, date_precision, date_approximate, date_earliest, date_latest FROM chronology
             WHERE case_id = ?1 AND deleted_at IS NULL AND (?2 IS NULL OR agency_id = ?2)",
        )?;
        let rows = stmt.query_map(rusqlite::params![case_id, agency_id], |row| {
            let precision: String = row.get(1)?;
            Ok(FuzzyDate::from_parts(
                row.get::<_, String>(0)?,
                DatePrecision::from_code(&precision).unwrap_or(DatePrecision::Undated),
                row.get::<_, i64>(2)? != 0,
                read_date(row, "date_earliest")?,
                read_date(row, "date_latest")?,
            ))
        })?;
        let mut failed = None;
        let mut dates = rows.map_while(|r| r.map_err(|e| failed = Some(e)).ok());
        let result = fold(&mut dates);
        drop(dates);
        match failed {
            Some(e) => Err(e.into()),
            None => Ok(result),
        }
    }

    /// The dates of every entry of a case (of one agency, when given).
    pub fn chronology_dates(&self, case_id: i64, agency_id: Option<i64>) -> Result<Vec<FuzzyDate>> {
        self.with_chronology_dates(case_id, agency_id, |dates| dates.collect())
    }
}

impl Store {
    /// Adds an entry of the chronology linked to these terms; returns its id.
    pub fn add_chronology_entry(&mut self, e: &ChronologyEntry, term_ids: &[i64]) -> Result<i64> {
        self.write(|w| w.insert_chronology_entry(e, term_ids))
    }

    /// Saves an edited entry and makes its links to terms exactly `term_ids`.
    pub fn update_chronology_entry(&mut self, e: &ChronologyEntry, term_ids: &[i64]) -> Result<()> {
        self.write(|w| w.update_chronology_entry(e, term_ids))
    }

    /// Links an entry to exactly these terms-of-reference items, withdrawing other links.
    pub fn set_entry_terms(&mut self, entry_id: i64, term_ids: &[i64]) -> Result<()> {
        self.write(|w| w.set_entry_terms(entry_id, term_ids))
    }

    /// Sets or clears the key-event or missed-opportunity flag of an entry.
    pub fn set_entry_flag(&mut self, entry_id: i64, flag_name: EntryFlag, on: bool) -> Result<()> {
        self.write(|w| w.set_entry_flag(entry_id, flag_name, on))
    }

    /// Withdraws an entry: it stays in the database and the audit trail.
    pub fn withdraw_chronology_entry(&mut self, entry_id: i64) -> Result<()> {
        self.write(|w| w.withdraw("chronology", entry_id))
    }
}
