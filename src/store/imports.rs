//! What the chronology import needs from the database: the fingerprints a case already
//! holds (so a file imported twice adds nothing) and the links from entries to the
//! pseudonym register.

use std::collections::HashSet;

use rusqlite::Connection;

use super::{Result, Store, Writer};
use crate::domain::model::{ChronologyEntry, ImportProvenance};

/// Every fingerprint of the case, withdrawn and edited entries included: a row imported
/// once and withdrawn since must not come back when the same file is imported again.
fn fingerprints(conn: &Connection, case_id: i64) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT fingerprint FROM chronology WHERE case_id = ?1 AND fingerprint IS NOT NULL",
    )?;
    let rows = stmt.query_map([case_id], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<HashSet<_>>>()?)
}

impl Store {
    /// The import fingerprints the case holds, withdrawn entries included.
    pub fn chronology_fingerprints(&self, case_id: i64) -> Result<HashSet<String>> {
        fingerprints(self.conn(), case_id)
    }

    /// The subjects of the register linked to a chronology entry, in the order linked.
    pub fn chronology_subject_ids(&self, entry_id: i64) -> Result<Vec<i64>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT subject_id FROM chronology_subjects
             WHERE entry_id = ?1 AND deleted_at IS NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([entry_id], |r| r.get::<_, i64>(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

impl Writer<'_> {
    /// The import fingerprints the case holds, read inside this transaction so that two
    /// imports of one file at the same moment cannot both add its rows.
    pub fn chronology_fingerprints(&self, case_id: i64) -> Result<HashSet<String>> {
        fingerprints(self.tx(), case_id)
    }

    /// Links a chronology entry to a subject of the pseudonym register.
    pub fn link_chronology_subject(&mut self, entry_id: i64, subject_id: i64) -> Result<i64> {
        self.insert(
            "chronology_subjects",
            &[
                ("entry_id", entry_id.into()),
                ("subject_id", subject_id.into()),
            ],
        )
    }
}

/// One row of a chronology file, ready to import.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    /// The entry, without provenance (the import adds it).
    pub entry: ChronologyEntry,
    /// The row's import fingerprint: a row the case already holds is not added again.
    pub fingerprint: String,
    /// The line of the file it came from.
    pub line: u64,
    /// The subjects of the register the row names.
    pub subject_ids: Vec<i64>,
}

impl Store {
    /// Imports the rows of one file into a case in one transaction, each with its
    /// provenance and links to the register; a row whose fingerprint the case holds
    /// (read inside the transaction, so two imports of one file at the same moment cannot
    /// both add it) is skipped. Returns (rows imported, rows already present).
    pub fn import_chronology_rows(
        &mut self,
        case_id: i64,
        file_name: &str,
        rows: Vec<ImportRow>,
    ) -> Result<(u64, u64)> {
        self.write(|w| {
            w.adding_many(|w| {
                let mut held = w.chronology_fingerprints(case_id)?;
                let mut imported = 0u64;
                let mut already_present = 0u64;
                let imported_at = w.now().to_string();
                for row in rows {
                    if !held.insert(row.fingerprint.clone()) {
                        already_present += 1;
                        continue;
                    }
                    let mut entry = row.entry;
                    entry.provenance = Some(ImportProvenance {
                        file_name: file_name.to_string(),
                        line: row.line,
                        imported_at: imported_at.clone(),
                        fingerprint: row.fingerprint,
                    });
                    let entry_id = w.insert_chronology_entry(&entry, &[])?;
                    for subject_id in row.subject_ids {
                        w.link_chronology_subject(entry_id, subject_id)?;
                    }
                    imported += 1;
                }
                Ok((imported, already_present))
            })
        })
    }
}
