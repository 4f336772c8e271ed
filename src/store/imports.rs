//! What the chronology import needs from the database: the fingerprints a case already
//! holds (so a file imported twice adds nothing) and the links from entries to the
//! pseudonym register.

use std::collections::HashSet;

use rusqlite::Connection;

use super::{Result, Store, Writer};

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
