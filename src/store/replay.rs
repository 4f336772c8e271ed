//! What `dhr check` verifies beyond the links of the chain: that replaying the audit trail
//! record by record gives exactly the live rows, that the append-only triggers stand as
//! created, and that every approved meeting's stored fingerprint matches its minutes.
//!
//! A chain whose links all hold can still disagree with the tables: a row changed,
//! added or removed with plain SQL leaves the trail intact. The replay catches that.

use std::collections::HashMap;

use rusqlite::types::Value;
use serde_json::Value as Json;

use super::{Result, Store};

/// Tables the audit trail leaves out by design, each with the reason. Every other table
/// is replayed, so a table a later migration adds is covered unless it is named here
/// (an index or search table, scratch text).
pub const NOT_AUDITED: &[(&str, &str)] = &[
    ("audit", "the trail itself"),
    (
        "drafts",
        "text being typed, kept here by versions before seats: scratch, not a record",
    ),
    (
        "seats",
        "who has the database open now (a workspace, an import): scratch, not a record",
    ),
    ("meta", "the database's id, written once by a migration"),
    (
        "chronology_search",
        "the timeline filter's search index, derived from the chronology by triggers",
    ),
    (
        "chronology_search_data",
        "part of the search index (SQLite's own)",
    ),
    (
        "chronology_search_idx",
        "part of the search index (SQLite's own)",
    ),
    (
        "chronology_search_docsize",
        "part of the search index (SQLite's own)",
    ),
    (
        "chronology_search_config",
        "part of the search index (SQLite's own)",
    ),
];

/// Names in the audit trail that are events about the whole file, not tables: recorded
/// and chained like every change, with no rows to replay.
pub const EVENTS: &[(&str, &str)] = &[(
    "database",
    "a restore from a backup (`dhr restore`), recorded after the copy was put in place",
)];

/// The append-only triggers exactly as migration 1 created them.
const APPEND_ONLY: &[(&str, &str)] = &[
    (
        "audit_no_update",
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
    ),
    (
        "audit_no_delete",
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END",
    ),
];

/// How many differences are described one by one; the rest are counted.
const DESCRIBED: usize = 40;

/// What replaying the trail against the tables found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrailCheck {
    /// Tables replayed.
    pub tables: usize,
    /// Live rows compared with the replay.
    pub rows: u64,
    /// Each difference in words (table, row, field, old and new value), the first
    /// [`DESCRIBED`] of them.
    pub differences: Vec<String>,
    /// How many differences there are in all.
    pub difference_count: usize,
    /// Missing, altered or unexpected triggers, in words.
    pub triggers: Vec<String>,
    /// Approved meetings checked against their fingerprints.
    pub approved_meetings: usize,
    /// Approved minutes that no longer match their fingerprint, in words.
    pub fingerprints: Vec<String>,
}

impl TrailCheck {
    /// Whether everything held.
    pub fn holds(&self) -> bool {
        self.difference_count == 0 && self.triggers.is_empty() && self.fingerprints.is_empty()
    }

    fn differ(&mut self, text: String) {
        self.difference_count += 1;
        if self.differences.len() < DESCRIBED {
            self.differences.push(text);
        }
    }
}

/// A column of a replayed table: its name and the value a row takes when the trail never
/// set it (the schema's default; `None` when that default is not a plain value).
struct Column {
    name: String,
    default: Option<Json>,
}

/// A record as the trail leaves it.
struct Expected {
    row_id: i64,
    /// By column index; `None` where the trail never set the column.
    values: Vec<Option<Json>>,
    created_at: Option<String>,
    updated_at: Option<String>,
    /// Differences noticed while replaying (an old value that did not match).
    notes: Vec<String>,
}

impl Store {
    /// Replays the audit trail against the tables, checks the append-only triggers and
    /// the fingerprints of approved minutes. Reads only.
    pub fn check_against_trail(&self) -> Result<TrailCheck> {
        let mut check = TrailCheck::default();
        self.check_triggers(&mut check)?;
        let tables = self.replayed_tables()?;
        for table in &tables {
            self.replay_table(table, &mut check)?;
        }
        check.tables = tables.len();
        self.check_unknown_tables(&tables, &mut check)?;
        self.check_fingerprints(&mut check)?;
        Ok(check)
    }

    /// Every table but SQLite's own and those in [`NOT_AUDITED`], by name.
    fn replayed_tables(&self) -> Result<Vec<String>> {
        let names = self
            .conn()
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(names
            .into_iter()
            .filter(|n| !NOT_AUDITED.iter().any(|(t, _)| t == n))
            .collect())
    }

    fn check_triggers(&self, check: &mut TrailCheck) -> Result<()> {
        let found: Vec<(String, String, Option<String>)> = self
            .conn()
            .prepare("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (name, sql) in APPEND_ONLY {
            match found.iter().find(|(n, _, _)| n == name) {
                None => check.triggers.push(format!(
                    "the append-only trigger {name} on the audit trail is missing: it was dropped outside DHR Panel, so audit rows could have been changed or deleted"
                )),
                Some((_, _, stored)) if stored.as_deref().map(squash) != Some(squash(sql)) => {
                    check.triggers.push(format!(
                        "the append-only trigger {name} on the audit trail is not as DHR Panel created it: it was replaced outside DHR Panel"
                    ))
                }
                Some(_) => {}
            }
        }
        // A database not yet upgraded (read with --read-only) has no search index.
        let version: i64 = self
            .conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let search = super::chronology::search_triggers();
        for (name, sql) in &search {
            match found.iter().find(|(n, _, _)| n == name) {
                None if version < 11 => {}
                None => check.triggers.push(format!(
                    "the trigger {name}, which keeps the timeline's search index in step, is missing: it was dropped outside DHR Panel, so the timeline filter could miss entries"
                )),
                Some((_, _, stored)) if stored.as_deref().map(squash) != Some(squash(sql)) => {
                    check.triggers.push(format!(
                        "the trigger {name}, which keeps the timeline's search index in step, is not as DHR Panel created it: it was replaced outside DHR Panel"
                    ))
                }
                Some(_) => {}
            }
        }
        for (name, table, _) in &found {
            if !APPEND_ONLY.iter().any(|(n, _)| n == name) && !search.iter().any(|(n, _)| n == name)
            {
                check.triggers.push(format!(
                    "a trigger DHR Panel never made, {name} on table {table}, was added outside DHR Panel"
                ));
            }
        }
        Ok(())
    }

    fn columns(&self, table: &str) -> Result<Vec<Column>> {
        let sql = format!("PRAGMA table_info({})", quoted(table));
        Ok(self
            .conn()
            .prepare(&sql)?
            .query_map([], |r| {
                Ok(Column {
                    name: r.get(1)?,
                    default: default_value(r.get::<_, Option<String>>(4)?.as_deref()),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Merges the live rows of `table` (by id) with the trail's records of it (by row
    /// id, then audit id), comparing each row with its replay.
    fn replay_table(&self, table: &str, check: &mut TrailCheck) -> Result<()> {
        let columns = self.columns(table)?;
        let index: HashMap<&str, usize> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.as_str(), i))
            .collect();
        let Some(&id_column) = index.get("id") else {
            check.differ(format!(
                "table {table} has no id column, so the audit trail cannot cover it: it was added outside DHR Panel"
            ));
            return Ok(());
        };
        let columns_sql = columns
            .iter()
            .map(|c| quoted(&c.name))
            .collect::<Vec<_>>()
            .join(", ");
        let mut live_stmt = self.conn().prepare(&format!(
            "SELECT {columns_sql} FROM {} ORDER BY id",
            quoted(table)
        ))?;
        let width = columns.len();
        let mut live = live_stmt.query_map([], |r| {
            (0..width)
                .map(|i| r.get::<_, Value>(i))
                .collect::<rusqlite::Result<Vec<Value>>>()
        })?;
        let mut audit_stmt = self.conn().prepare(
            "SELECT id, at, row_id, action, changes FROM audit WHERE table_name = ?1 ORDER BY row_id, id",
        )?;
        let mut audit = audit_stmt
            .query_map([table], |r| {
                Ok(AuditEvent {
                    id: r.get(0)?,
                    at: r.get(1)?,
                    row_id: r.get(2)?,
                    action: r.get(3)?,
                    changes: r.get(4)?,
                })
            })?
            .peekable();

        let mut row = live.next().transpose()?;
        let mut expected = replay_record(table, &columns, &index, &mut audit)?;
        loop {
            let live_id = row.as_ref().map(|r| as_id(&r[id_column]));
            match (live_id, expected.as_ref().map(|e| e.row_id)) {
                (None, None) => break,
                (Some(id), Some(replayed)) if id == replayed => {
                    check.rows += 1;
                    if let (Some(r), Some(e)) = (row.take(), expected.take()) {
                        compare(table, &columns, &index, &r, e, check);
                    }
                    row = live.next().transpose()?;
                    expected = replay_record(table, &columns, &index, &mut audit)?;
                }
                (Some(id), replayed) if replayed.is_none_or(|r| id < r) => {
                    check.rows += 1;
                    check.differ(format!(
                        "{table} row {id} is not in the audit trail: it was added outside DHR Panel, or the audit rows that recorded it were removed"
                    ));
                    row = live.next().transpose()?;
                }
                _ => {
                    let Some(e) = expected.take() else { break };
                    for note in e.notes {
                        check.differ(note);
                    }
                    check.differ(match e.created_at {
                        Some(when) => format!(
                            "{table} row {} is missing: the audit trail records it as added at {when}, and DHR Panel never deletes a row (it was deleted outside DHR Panel)",
                            e.row_id
                        ),
                        None => format!(
                            "{table} row {} is missing: the audit trail records changes to it but the table no longer holds it",
                            e.row_id
                        ),
                    });
                    expected = replay_record(table, &columns, &index, &mut audit)?;
                }
            }
        }
        Ok(())
    }

    /// The trail's records of tables the database no longer has.
    fn check_unknown_tables(&self, tables: &[String], check: &mut TrailCheck) -> Result<()> {
        let named: Vec<(String, i64)> = self
            .conn()
            .prepare(
                "SELECT table_name, count(*) FROM audit GROUP BY table_name ORDER BY table_name",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (table, count) in named {
            if !tables.contains(&table)
                && !NOT_AUDITED.iter().any(|(t, _)| *t == table)
                && !EVENTS.iter().any(|(t, _)| *t == table)
            {
                check.differ(format!(
                    "the audit trail records {count} change{} to table {table}, which is no longer in the database: it was dropped outside DHR Panel",
                    if count == 1 { "" } else { "s" }
                ));
            }
        }
        Ok(())
    }

    fn check_fingerprints(&self, check: &mut TrailCheck) -> Result<()> {
        let approved: Vec<(crate::domain::model::Meeting, String)> = self
            .conn()
            .prepare(
                "SELECT m.*, c.reference AS case_reference FROM meetings m JOIN cases c ON c.id = m.case_id
                 WHERE m.status = 'approved' AND m.deleted_at IS NULL ORDER BY c.reference, m.number",
            )?
            .query_map([], |r| {
                Ok((super::meetings::read_meeting(r)?, r.get("case_reference")?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (meeting, reference) in approved {
            check.approved_meetings += 1;
            let stored = meeting.fingerprint.trim();
            if stored.is_empty() {
                // Approved before fingerprints were recorded, or blanked outside DHR
                // Panel: the replay above tells which.
                continue;
            }
            if !super::minuting::minutes_match_on(self.conn(), &meeting, stored)? {
                let now = super::minuting::minutes_fingerprint_on(self.conn(), &meeting)?;
                check.fingerprints.push(format!(
                    "the approved minutes of meeting {} of {reference} no longer match the fingerprint stored at approval ({} stored, {} now): they were changed after approval",
                    meeting.number,
                    short(stored),
                    short(&now)
                ));
            }
        }
        Ok(())
    }
}

/// One audit row of a table, as the replay reads it.
struct AuditEvent {
    id: i64,
    at: String,
    row_id: i64,
    action: String,
    changes: String,
}

/// Replays the next record's audit rows (all rows with the same row id).
fn replay_record<I>(
    table: &str,
    columns: &[Column],
    index: &HashMap<&str, usize>,
    audit: &mut std::iter::Peekable<I>,
) -> Result<Option<Expected>>
where
    I: Iterator<Item = rusqlite::Result<AuditEvent>>,
{
    let Some(first) = audit.next().transpose()? else {
        return Ok(None);
    };
    let mut e = Expected {
        row_id: first.row_id,
        values: vec![None; columns.len()],
        created_at: None,
        updated_at: None,
        notes: Vec::new(),
    };
    let mut event = Some(first);
    while let Some(ev) = event {
        apply(table, columns, index, &mut e, &ev);
        event = match audit.peek() {
            Some(Ok(next)) if next.row_id == e.row_id => audit.next().transpose()?,
            Some(Err(_)) => audit.next().transpose()?,
            _ => None,
        };
    }
    Ok(Some(e))
}

/// Applies one audit row to the record it changed.
fn apply(
    table: &str,
    columns: &[Column],
    index: &HashMap<&str, usize>,
    e: &mut Expected,
    ev: &AuditEvent,
) {
    let changes: serde_json::Map<String, Json> = match serde_json::from_str(&ev.changes) {
        Ok(Json::Object(map)) => map,
        _ => {
            e.notes.push(format!(
                "audit row {} of {table} row {} cannot be read, so the row cannot be checked",
                ev.id, e.row_id
            ));
            return;
        }
    };
    if ev.action == "insert" {
        e.created_at = Some(ev.at.clone());
    } else if e.created_at.is_none() && e.notes.is_empty() {
        e.notes.push(format!(
            "the audit trail has no insert of {table} row {}: its first record (audit row {}) is a {}",
            e.row_id, ev.id, ev.action
        ));
    }
    e.updated_at = Some(ev.at.clone());
    for (column, pair) in changes {
        let Some(&i) = index.get(column.as_str()) else {
            e.notes.push(format!(
                "{table} row {}: the audit trail sets field {column}, which the table no longer has",
                e.row_id
            ));
            continue;
        };
        let (old, new) = match pair {
            Json::Array(mut v) if v.len() == 2 => {
                let new = v.pop().unwrap_or(Json::Null);
                let old = v.pop().unwrap_or(Json::Null);
                (old, new)
            }
            _ => continue,
        };
        if ev.action == "update" {
            let before = e.values[i].clone().or_else(|| columns[i].default.clone());
            if let Some(before) = before
                && !same(&before, &old)
            {
                e.notes.push(format!(
                    "{table} row {}, field {column}: {} in the audit trail, but {} when DHR Panel changed it at {} (changed outside DHR Panel in between)",
                    e.row_id,
                    show(&before),
                    show(&old),
                    ev.at
                ));
            }
        }
        e.values[i] = Some(new);
    }
}

/// Compares a live row with its replay, noting every field that differs.
fn compare(
    table: &str,
    columns: &[Column],
    index: &HashMap<&str, usize>,
    row: &[Value],
    e: Expected,
    check: &mut TrailCheck,
) {
    for note in e.notes {
        check.differ(note);
    }
    for (i, column) in columns.iter().enumerate() {
        let expected = match column.name.as_str() {
            "id" => continue,
            "created_at" => e.created_at.clone().map(Json::from),
            "updated_at" => e.updated_at.clone().map(Json::from),
            _ => e.values[i].clone().or_else(|| column.default.clone()),
        };
        let Some(expected) = expected else {
            continue;
        };
        let now = to_json(&row[i]);
        if same(&expected, &now) {
            continue;
        }
        let mut text = format!(
            "{table} row {}, field {}: {} in the audit trail, {} now (changed outside DHR Panel)",
            e.row_id,
            column.name,
            show(&expected),
            show(&now)
        );
        if table == "meetings" && column.name == "status" && expected == "approved" {
            let number = index
                .get("number")
                .map(|&n| to_json(&row[n]))
                .map(|n| show(&n))
                .unwrap_or_default();
            text.push_str(&format!(
                ": the approval of meeting {number}'s minutes was undone outside DHR Panel"
            ));
        }
        check.differ(text);
    }
}

/// The id of a live row (0 for a value that is not an integer).
fn as_id(value: &Value) -> i64 {
    match value {
        Value::Integer(i) => *i,
        _ => 0,
    }
}

use super::audit::to_json;

/// Whether two values are the same once SQLite's column affinity has had its way (an
/// integer stored as text in a text column and the like).
fn same(a: &Json, b: &Json) -> bool {
    if a == b {
        return true;
    }
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x.as_f64() == y.as_f64(),
        (Json::Number(n), Json::String(s)) | (Json::String(s), Json::Number(n)) => {
            n.to_string() == *s
        }
        _ => false,
    }
}

/// A value for a message: quoted text on one line, shortened; "empty" for NULL.
fn show(value: &Json) -> String {
    match value {
        Json::Null => "empty".to_string(),
        Json::String(s) => {
            let one_line = s.replace('\n', "\\n").replace('\r', "\\r");
            let mut shown: String = one_line.chars().take(80).collect();
            if one_line.chars().count() > 80 {
                shown.push('…');
            }
            format!("\"{shown}\"")
        }
        other => other.to_string(),
    }
}

/// The value a column's SQL default gives, when it is a plain value.
fn default_value(sql: Option<&str>) -> Option<Json> {
    let Some(sql) = sql.map(str::trim) else {
        return Some(Json::Null);
    };
    if sql.eq_ignore_ascii_case("null") {
        return Some(Json::Null);
    }
    if let Ok(i) = sql.parse::<i64>() {
        return Some(Json::from(i));
    }
    if sql.len() >= 2 && sql.starts_with('\'') && sql.ends_with('\'') {
        return Some(Json::from(sql[1..sql.len() - 1].replace("''", "'")));
    }
    None
}

/// An identifier quoted for SQL (table names come from the schema, which may be hostile).
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// SQL with its whitespace runs made single spaces.
fn squash(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_read_as_the_values_they_give() {
        assert_eq!(default_value(None), Some(Json::Null));
        assert_eq!(default_value(Some("0")), Some(Json::from(0)));
        assert_eq!(default_value(Some("'[]'")), Some(Json::from("[]")));
        assert_eq!(default_value(Some("'it''s'")), Some(Json::from("it's")));
        assert_eq!(default_value(Some("CURRENT_TIMESTAMP")), None);
    }

    #[test]
    fn values_stored_under_another_affinity_are_the_same() {
        assert!(same(&Json::from(1), &Json::from("1")));
        assert!(same(&Json::from(1.0), &Json::from(1)));
        assert!(!same(&Json::from("a"), &Json::from("b")));
        assert!(!same(&Json::Null, &Json::from("")));
    }
}
