//! Numbered schema migrations tracked by `PRAGMA user_version`; a file is never edited
//! once released, a change is a new file.

use rusqlite::Connection;

/// Every migration, in order; the schema version is the number of them applied.
const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_initial", include_str!("migrations/0001_initial.sql")),
    (
        "0002_timeline_index",
        include_str!("migrations/0002_timeline_index.sql"),
    ),
    (
        "0003_stage_reason",
        include_str!("migrations/0003_stage_reason.sql"),
    ),
    (
        "0004_tamper_evidence",
        include_str!("migrations/0004_tamper_evidence.sql"),
    ),
    ("0005_seats", include_str!("migrations/0005_seats.sql")),
    (
        "0006_attendance",
        include_str!("migrations/0006_attendance.sql"),
    ),
    ("0007_people", include_str!("migrations/0007_people.sql")),
    (
        "0008_export_register",
        include_str!("migrations/0008_export_register.sql"),
    ),
    (
        "0009_publication",
        include_str!("migrations/0009_publication.sql"),
    ),
    (
        "0010_review_process",
        include_str!("migrations/0010_review_process.sql"),
    ),
    (
        "0011_chronology_search",
        include_str!("migrations/0011_chronology_search.sql"),
    ),
];

/// The schema version this build writes.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// Applies the migrations after `from` in one immediate transaction.
pub fn run(conn: &Connection, from: i64) -> rusqlite::Result<()> {
    if from >= latest() {
        return Ok(());
    }
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let result = (|| {
        // Another process may have migrated while we waited for the write lock.
        let current: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        for (index, (_name, sql)) in MIGRATIONS.iter().enumerate() {
            let version = index as i64 + 1;
            if version > current {
                conn.execute_batch(sql)?;
                conn.execute_batch(&format!("PRAGMA user_version = {version}"))?;
            }
        }
        Ok(())
    })();
    match result {
        Ok(()) => conn.execute_batch("COMMIT"),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}
