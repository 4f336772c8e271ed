//! The audit trail: every insert, update and withdrawal, written in the same transaction
//! as the change, with who and when, old and new values, hash-chained so that a changed
//! or removed row is detectable by `dhr check`.

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::{Map, Value as Json};
use sha2::{Digest, Sha256};

use super::{Result, Store, StoreError};

/// The hash the first audit row links back to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The login name of the real uid (not `$USER`, which anyone can set), through the
/// directory where the system's own lookup cannot name it ([`crate::login`]).
pub fn login_name() -> String {
    crate::login::current()
}

/// Writes rows and their audit records inside one transaction.
pub(in crate::store) struct Writer<'a> {
    tx: &'a Transaction<'a>,
    now: String,
    login: &'a str,
}

/// A value as the audit trail writes it (the replay in `dhr check` reads it the same way).
pub(in crate::store) fn to_json(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Integer(i) => Json::from(*i),
        Value::Real(f) => Json::from(*f),
        Value::Text(t) => Json::from(t.as_str()),
        Value::Blob(b) => Json::from(format!("<{} bytes>", b.len())),
    }
}

impl<'a> Writer<'a> {
    pub(crate) fn new(tx: &'a Transaction<'a>, now: String, login: &'a str) -> Writer<'a> {
        Writer { tx, now, login }
    }

    /// The transaction, for reads inside the change.
    pub(crate) fn tx(&self) -> &Transaction<'a> {
        self.tx
    }

    /// The login this change is recorded under.
    pub(crate) fn login(&self) -> &str {
        self.login
    }

    /// The instant this change is stamped with.
    pub fn now(&self) -> &str {
        &self.now
    }

    /// Inserts a row (with `created_at` / `updated_at`) and audits every field.
    pub fn insert(&mut self, table: &'static str, fields: &[(&'static str, Value)]) -> Result<i64> {
        let mut columns = vec!["created_at", "updated_at"];
        columns.extend(fields.iter().map(|(c, _)| *c));
        let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            columns.join(", "),
            placeholders.join(", ")
        );
        let mut values = vec![Value::Text(self.now.clone()), Value::Text(self.now.clone())];
        values.extend(fields.iter().map(|(_, v)| v.clone()));
        self.tx
            .execute(&sql, rusqlite::params_from_iter(values.iter()))?;
        let id = self.tx.last_insert_rowid();
        let mut changes = Map::new();
        for (column, value) in fields {
            changes.insert(
                (*column).to_string(),
                Json::Array(vec![Json::Null, to_json(value)]),
            );
        }
        self.record(table, id, "insert", &Json::Object(changes))?;
        Ok(id)
    }

    /// Updates the given fields of a row, auditing old and new values of those that
    /// changed. Returns whether anything changed.
    pub fn update(
        &mut self,
        table: &'static str,
        id: i64,
        fields: &[(&'static str, Value)],
    ) -> Result<bool> {
        if fields.is_empty() {
            return Ok(false);
        }
        let columns: Vec<&str> = fields.iter().map(|(c, _)| *c).collect();
        let sql = format!("SELECT {} FROM {table} WHERE id = ?1", columns.join(", "));
        let old: Option<Vec<Value>> = self
            .tx
            .query_row(&sql, [id], |row| {
                (0..columns.len()).map(|i| row.get::<_, Value>(i)).collect()
            })
            .optional()?;
        let Some(old) = old else {
            return Err(StoreError::Rule(format!("{table} row {id} does not exist")));
        };
        let mut changes = Map::new();
        let mut changed: Vec<(&'static str, &Value)> = Vec::new();
        for ((column, new), old) in fields.iter().zip(old.iter()) {
            if old != new {
                changes.insert(
                    (*column).to_string(),
                    Json::Array(vec![to_json(old), to_json(new)]),
                );
                changed.push((column, new));
            }
        }
        if changed.is_empty() {
            return Ok(false);
        }
        let sets: Vec<String> = changed
            .iter()
            .enumerate()
            .map(|(i, (c, _))| format!("{c} = ?{}", i + 2))
            .collect();
        let sql = format!(
            "UPDATE {table} SET updated_at = ?1, {} WHERE id = ?{}",
            sets.join(", "),
            changed.len() + 2
        );
        let mut values = vec![Value::Text(self.now.clone())];
        values.extend(changed.iter().map(|(_, v)| (*v).clone()));
        values.push(Value::Integer(id));
        self.tx
            .execute(&sql, rusqlite::params_from_iter(values.iter()))?;
        self.record(table, id, "update", &Json::Object(changes))?;
        Ok(true)
    }

    /// Withdraws (soft-deletes) a row: it stays in the database and in the audit trail.
    pub fn withdraw(&mut self, table: &'static str, id: i64) -> Result<()> {
        let sql = format!(
            "UPDATE {table} SET deleted_at = ?1, updated_at = ?1 WHERE id = ?2 AND deleted_at IS NULL"
        );
        let n = self.tx.execute(&sql, params![self.now, id])?;
        if n == 0 {
            return Err(StoreError::Rule(format!(
                "{table} row {id} does not exist or is already withdrawn"
            )));
        }
        let mut changes = Map::new();
        changes.insert(
            "deleted_at".into(),
            Json::Array(vec![Json::Null, Json::from(self.now.as_str())]),
        );
        self.record(table, id, "withdraw", &Json::Object(changes))
    }

    /// Records an event about the whole database (such as a restore) as an audit row of
    /// its own, chained like every other.
    pub(crate) fn event(&mut self, table: &str, action: &str, facts: &Json) -> Result<()> {
        self.record(table, 0, action, facts)
    }

    fn record(&mut self, table: &str, row_id: i64, action: &str, changes: &Json) -> Result<()> {
        let prev: String = self
            .tx
            .query_row("SELECT hash FROM audit ORDER BY id DESC LIMIT 1", [], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or_else(|| GENESIS.to_string());
        let changes = changes.to_string();
        let hash = chain_hash(
            &prev, &self.now, self.login, table, row_id, action, &changes,
        );
        self.tx.execute(
            "INSERT INTO audit (at, login, table_name, row_id, action, changes, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                self.now, self.login, table, row_id, action, changes, prev, hash
            ],
        )?;
        Ok(())
    }
}

/// SHA-256 over the previous hash and the row's fields, one per line, in a fixed order.
pub fn chain_hash(
    prev: &str,
    at: &str,
    login: &str,
    table: &str,
    row_id: i64,
    action: &str,
    changes: &str,
) -> String {
    let mut hasher = Sha256::new();
    for part in [prev, at, login, table, &row_id.to_string(), action, changes] {
        hasher.update(part.as_bytes());
        hasher.update(b"\n");
    }
    hex(&hasher.finalize())
}

/// Lower-case hexadecimal of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The first link of the audit chain that does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditBreak {
    pub audit_id: i64,
    pub reason: String,
}

/// What `dhr check` reports about the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditReport {
    pub rows: u64,
    pub first_break: Option<AuditBreak>,
}

/// How far the audit chain reaches: its number of rows and the hash of the last one
/// (the genesis hash when it is empty). Printed on exports and backups, and kept in the
/// witnesses outside the database, so that a shortened or rewritten chain shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub rows: u64,
    pub hash: String,
}

impl ChainHead {
    /// The first 12 hex characters of the head hash, as printed on exports.
    pub fn short(&self) -> &str {
        self.hash.get(..12).unwrap_or(&self.hash)
    }

    /// "612:3fa9c2d1e0b4", what `dhr check --witness` takes.
    pub fn token(&self) -> String {
        format!("{}:{}", self.rows, self.short())
    }
}

/// One audit row as stored (a read-model type of the domain, so views need not name the
/// store).
pub use crate::domain::model::AuditRow;

/// The head of the chain as read through `conn` (the last row by id; ids run from 1
/// without gaps in a valid chain, so the last id is its length).
pub(crate) fn head_on(conn: &rusqlite::Connection) -> Result<ChainHead> {
    let last: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(match last {
        Some((id, hash)) => ChainHead {
            rows: u64::try_from(id).unwrap_or(0),
            hash,
        },
        None => ChainHead {
            rows: 0,
            hash: GENESIS.to_string(),
        },
    })
}

impl Store {
    /// The head of the audit chain as it stands.
    pub fn audit_head(&self) -> Result<ChainHead> {
        head_on(self.conn())
    }

    /// The hash of audit row `n` (the `n`th link of the chain), if there is one.
    pub fn audit_hash_at(&self, n: u64) -> Result<Option<String>> {
        if n == 0 {
            return Ok(Some(GENESIS.to_string()));
        }
        let Ok(id) = i64::try_from(n) else {
            return Ok(None);
        };
        Ok(self
            .conn()
            .query_row("SELECT hash FROM audit WHERE id = ?1", [id], |r| r.get(0))
            .optional()?)
    }

    /// Walks the whole chain and names the first row whose link or hash is wrong.
    pub fn verify_audit(&self) -> Result<AuditReport> {
        let mut stmt = self.conn().prepare(
            "SELECT id, at, login, table_name, row_id, action, changes, prev_hash, hash FROM audit ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        let mut expected_prev = GENESIS.to_string();
        let mut count = 0u64;
        let mut last_id = 0i64;
        while let Some(row) = rows.next()? {
            count += 1;
            let id: i64 = row.get(0)?;
            let at: String = row.get(1)?;
            let login: String = row.get(2)?;
            let table: String = row.get(3)?;
            let row_id: i64 = row.get(4)?;
            let action: String = row.get(5)?;
            let changes: String = row.get(6)?;
            let prev: String = row.get(7)?;
            let hash: String = row.get(8)?;
            if id != last_id + 1 {
                return Ok(AuditReport {
                    rows: count,
                    first_break: Some(AuditBreak {
                        audit_id: last_id + 1,
                        reason: format!(
                            "audit row {} is missing (the next row is {id})",
                            last_id + 1
                        ),
                    }),
                });
            }
            last_id = id;
            if prev != expected_prev {
                return Ok(AuditReport {
                    rows: count,
                    first_break: Some(AuditBreak {
                        audit_id: id,
                        reason: format!("audit row {id} does not link to the row before it"),
                    }),
                });
            }
            let computed = chain_hash(&prev, &at, &login, &table, row_id, &action, &changes);
            if computed != hash {
                return Ok(AuditReport {
                    rows: count,
                    first_break: Some(AuditBreak {
                        audit_id: id,
                        reason: format!(
                            "audit row {id} ({action} of {table} row {row_id} at {at}) was changed after it was written"
                        ),
                    }),
                });
            }
            expected_prev = hash;
        }
        Ok(AuditReport {
            rows: count,
            first_break: None,
        })
    }

    /// The history of a case, oldest first: the audit rows of the case itself and of the
    /// records of its process (decision, pauses, proceedings, the family's involvement, QA
    /// rounds, the publication checklist, characteristics), which its view shows.
    pub fn case_history(&self, case_id: i64) -> Result<Vec<AuditRow>> {
        let parts: Vec<String> = crate::domain::review::CASE_RECORDS
            .iter()
            .map(|(table, _)| {
                format!(
                    "(table_name = '{table}' AND row_id IN (SELECT id FROM {table} WHERE case_id = ?1))"
                )
            })
            .collect();
        let sql = format!(
            "SELECT id, at, login, table_name, row_id, action, changes FROM audit
             WHERE (table_name = 'cases' AND row_id = ?1) OR {} ORDER BY id",
            parts.join(" OR ")
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map(params![case_id], read_audit_row)?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }

    /// The audit rows of one table row, oldest first.
    pub fn audit_of(&self, table: &str, row_id: i64) -> Result<Vec<AuditRow>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, at, login, table_name, row_id, action, changes FROM audit
             WHERE table_name = ?1 AND row_id = ?2 ORDER BY id",
        )?;
        let rows = stmt.query_map(params![table, row_id], read_audit_row)?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }
}

fn read_audit_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRow> {
    Ok(AuditRow {
        id: r.get(0)?,
        at: r.get(1)?,
        login: r.get(2)?,
        table_name: r.get(3)?,
        row_id: r.get(4)?,
        action: r.get(5)?,
        changes: r.get(6)?,
    })
}

#[cfg(test)]
mod tests {
    //! The writer's own mechanics: what each kind of write leaves in the audit trail.
    use std::os::unix::fs::PermissionsExt;
    use std::sync::Arc;

    use crate::domain::model::{Agency, Case, ImrStatus, ReviewKind};
    use crate::store::{OpenMode, Store};
    use crate::time::FixedClock;

    fn store(dir: &std::path::Path) -> Store {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        Store::open(
            &dir.join("dhr.sqlite3"),
            OpenMode::Create,
            Arc::new(FixedClock::on(today)),
        )
        .unwrap()
    }

    #[test]
    fn every_change_writes_audit_rows_with_old_and_new_values_in_a_valid_chain() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store(dir.path());
        let case_id = store
            .write(|w| w.insert_case(&Case::new("DHR-2026-09", ReviewKind::Dardr, "Adult F")))
            .unwrap();
        let agency_id = store
            .write(|w| {
                let mut a = Agency::new("Northgate Police", "POLICE");
                a.case_id = case_id;
                a.status = ImrStatus::Requested;
                w.insert_agency(&a)
            })
            .unwrap();
        store
            .write(|w| {
                w.update(
                    "agencies",
                    agency_id,
                    &[("status", "received".to_string().into())],
                )
            })
            .unwrap();
        store.write(|w| w.withdraw("agencies", agency_id)).unwrap();

        let rows = store.audit_of("agencies", agency_id).unwrap();
        let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
        assert_eq!(actions, ["insert", "update", "withdraw"]);
        assert!(
            rows[1]
                .changes
                .contains(r#""status":["requested","received"]"#),
            "{}",
            rows[1].changes
        );
        assert!(
            rows[0]
                .changes
                .contains(r#""name":[null,"Northgate Police"]"#)
        );
        assert_eq!(rows[0].login, crate::store::audit::login_name());
        assert!(
            rows[0].at.starts_with("2026-11-26T10:00:00"),
            "audit time comes from the given clock: {}",
            rows[0].at
        );

        // Withdrawn, not deleted: gone from the lists, still in the table.
        assert!(store.agencies(case_id).unwrap().is_empty());
        let conn = rusqlite::Connection::open(store.path()).unwrap();
        let kept: i64 = conn
            .query_row(
                "SELECT count(*) FROM agencies WHERE id = ?1",
                [agency_id],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(kept, 1);

        let report = store.verify_audit().unwrap();
        assert_eq!(report.first_break, None);
        assert_eq!(report.rows, 4);
    }

    #[test]
    fn an_update_that_changes_nothing_writes_no_audit_row() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = store(dir.path());
        let case_id = store
            .write(|w| w.insert_case(&Case::new("DHR-1", ReviewKind::Dhr, "Adult A")))
            .unwrap();
        let changed = store
            .write(|w| w.update("cases", case_id, &[("title", "Adult A".to_string().into())]))
            .unwrap();
        assert!(!changed);
        assert_eq!(store.audit_of("cases", case_id).unwrap().len(), 1);
    }
}
