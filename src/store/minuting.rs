//! What live minuting needs from the store: the next line's position, the last line,
//! amendments, and drafts (scratch text saved while typing: not records, not audited).

use rusqlite::OptionalExtension;

use super::meetings::read_minute;
use super::{Result, Store, Writer};
use crate::domain::fingerprint::MinutesShown;
use crate::domain::model::{AgendaItem, Amendment, Declaration, Meeting, Minute};

impl Writer<'_> {
    /// The position the next line of a meeting's minutes takes.
    pub fn next_minute_position(&self, meeting_id: i64) -> Result<i64> {
        Ok(self.tx().query_row(
            "SELECT ifnull(max(position), 0) + 1 FROM minutes WHERE meeting_id = ?1",
            [meeting_id],
            |r| r.get(0),
        )?)
    }

    /// The last line of a meeting's minutes that has not been withdrawn.
    pub fn last_minute(&self, meeting_id: i64) -> Result<Option<Minute>> {
        Ok(self
            .tx()
            .query_row(
                "SELECT * FROM minutes WHERE meeting_id = ?1 AND deleted_at IS NULL ORDER BY position DESC, id DESC LIMIT 1",
                [meeting_id],
                read_minute,
            )
            .optional()?)
    }

    /// A meeting as it stands inside this transaction.
    pub fn meeting_now(&self, meeting_id: i64) -> Result<Option<Meeting>> {
        Ok(self
            .tx()
            .query_row(
                "SELECT * FROM meetings WHERE id = ?1",
                [meeting_id],
                super::meetings::read_meeting,
            )
            .optional()?)
    }

    /// The fingerprint (the hash locked in at approval) of a meeting's minutes as they stand in this transaction.
    pub fn minutes_fingerprint(&self, meeting: &Meeting) -> Result<String> {
        minutes_fingerprint_on(self.tx(), meeting)
    }

    /// The text of the line (withdrawn or not) a seat wrote with `key`, if there is one.
    pub fn minute_with_key(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .tx()
            .query_row("SELECT body FROM minutes WHERE line_key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// The text of a field of a record, for corrections.
    pub fn record_text(&self, table: &str, id: i64, column: &str) -> Result<Option<String>> {
        // Table and column come from the program, never from input.
        let sql = format!("SELECT {column} FROM {table} WHERE id = ?1");
        Ok(self.tx().query_row(&sql, [id], |r| r.get(0)).optional()?)
    }
}

/// What the approved minutes of `meeting` show, read through `conn` (a transaction at
/// approval, the plain connection at export and check): live attendance by id, the
/// case's agencies (code and name), live declarations by id, live agenda items by
/// position, live minutes by position — the same rows in the same order each time, so
/// unchanged minutes give the same fingerprint.
fn with_minutes_shown<T>(
    conn: &rusqlite::Connection,
    meeting: &Meeting,
    then: impl FnOnce(&MinutesShown<'_>) -> T,
) -> Result<T> {
    let attendance = conn
        .prepare(
            "SELECT * FROM attendance WHERE meeting_id = ?1 AND deleted_at IS NULL ORDER BY id",
        )?
        .query_map([meeting.id], super::meetings::read_attendance)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let agenda = conn
        .prepare(
            "SELECT id, meeting_id, position, title FROM agenda_items WHERE meeting_id = ?1 AND deleted_at IS NULL
             ORDER BY position, id",
        )?
        .query_map([meeting.id], |r| {
            Ok(AgendaItem { id: r.get(0)?, meeting_id: r.get(1)?, position: r.get(2)?, title: r.get(3)? })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let minutes = conn
        .prepare("SELECT * FROM minutes WHERE meeting_id = ?1 AND deleted_at IS NULL ORDER BY position, id")?
        .query_map([meeting.id], read_minute)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let declarations = conn
        .prepare(
            "SELECT id, meeting_id, person, body FROM declarations
             WHERE meeting_id = ?1 AND deleted_at IS NULL ORDER BY id",
        )?
        .query_map([meeting.id], |r| {
            Ok(Declaration {
                id: r.get(0)?,
                meeting_id: r.get(1)?,
                person: r.get(2)?,
                text: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let agencies: Vec<(i64, String, String)> = conn
        .prepare("SELECT a.id, a.code, a.name FROM agencies a JOIN meetings m ON m.case_id = a.case_id WHERE m.id = ?1")?
        .query_map([meeting.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let agency = |id: Option<i64>| {
        agencies
            .iter()
            .find(|(a, _, _)| Some(*a) == id)
            .map(|(_, code, name)| (code.clone(), name.clone()))
            .unwrap_or_default()
    };
    Ok(then(&MinutesShown {
        meeting,
        attendance: &attendance,
        agency: &agency,
        declarations: &declarations,
        agenda: &agenda,
        minutes: &minutes,
    }))
}

/// The fingerprint (current form) of a meeting's minutes read through `conn`.
pub(super) fn minutes_fingerprint_on(
    conn: &rusqlite::Connection,
    meeting: &Meeting,
) -> Result<String> {
    with_minutes_shown(conn, meeting, |shown| shown.fingerprint())
}

/// Whether a meeting's minutes read through `conn` still match `stored` (in the current
/// form, or the first form for minutes approved under it).
pub(super) fn minutes_match_on(
    conn: &rusqlite::Connection,
    meeting: &Meeting,
    stored: &str,
) -> Result<bool> {
    with_minutes_shown(conn, meeting, |shown| shown.matches(stored))
}

impl Store {
    /// The fingerprint of a meeting's minutes as they stand now (at export, to compare
    /// with the one stored at approval).
    pub fn minutes_fingerprint_now(&self, meeting: &Meeting) -> Result<String> {
        minutes_fingerprint_on(self.conn(), meeting)
    }

    /// Whether a meeting's minutes as they stand now match the fingerprint `stored` at
    /// approval (in the current form, or the first form for minutes approved under it).
    pub fn minutes_match(&self, meeting: &Meeting, stored: &str) -> Result<bool> {
        minutes_match_on(self.conn(), meeting, stored)
    }

    pub fn meeting(&self, meeting_id: i64) -> Result<Option<Meeting>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT * FROM meetings WHERE id = ?1",
                [meeting_id],
                super::meetings::read_meeting,
            )
            .optional()?)
    }

    /// A draft an earlier version kept in the database at a place ("meeting:12"), with when
    /// it was saved. Drafts now live in each seat's private file (`crate::seat`); nothing
    /// writes this table any more.
    pub fn draft(&self, place: &str) -> Result<Option<(String, String)>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT body, updated_at FROM drafts WHERE place = ?1",
                [place],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// Corrections to a meeting's approved minutes, oldest first.
    pub fn amendments(&self, meeting_id: i64) -> Result<Vec<Amendment>> {
        let mut stmt = self.conn().prepare(
            "SELECT a.id, a.meeting_id, a.made_at_meeting_id, a.made_by, a.created_at, a.body, m.number, m.date
             FROM amendments a LEFT JOIN meetings m ON m.id = a.made_at_meeting_id
             WHERE a.meeting_id = ?1 AND a.deleted_at IS NULL ORDER BY a.id",
        )?;
        let rows = stmt.query_map([meeting_id], |r| {
            Ok(Amendment {
                id: r.get(0)?,
                meeting_id: r.get(1)?,
                made_at_meeting_id: r.get(2)?,
                made_by: r.get(3)?,
                made_at: r.get(4)?,
                text: r.get(5)?,
                made_at_meeting_number: r.get(6)?,
                made_at_meeting_date: r
                    .get::<_, Option<String>>(7)?
                    .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
