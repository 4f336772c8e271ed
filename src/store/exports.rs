//! Reads for the Markdown exports (SPEC §7): the fingerprint of a meeting's minutes
//! recomputed outside a transaction, the whole chronology in timeline order, and the
//! links to terms of reference of a whole case at once. Reads only.

use super::chronology::TimelineRow;
use super::values::read_code;
use super::{Result, Store};
use crate::domain::filter::TimelineFilter;
use crate::domain::fingerprint::{canonical_minutes, fingerprint};
use crate::domain::model::{Attendance, AttendanceStatus, Meeting};

/// A link from a record (chronology entry, challenge, decision) to a term of reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermLink {
    pub record_id: i64,
    pub term_id: i64,
}

impl Store {
    /// The fingerprint (SPEC §6.4) of a meeting's minutes as they stand now, computed
    /// from the same rows, in the same order, as at approval (`Writer::minutes_fingerprint`):
    /// live attendance by id, live agenda items by position, live minutes by position,
    /// and every agency code of the case.
    pub fn minutes_fingerprint_now(&self, meeting: &Meeting) -> Result<String> {
        let conn = self.conn();
        let attendance = conn
            .prepare(
                "SELECT * FROM attendance WHERE meeting_id = ?1 AND deleted_at IS NULL ORDER BY id",
            )?
            .query_map([meeting.id], |r| {
                Ok(Attendance {
                    id: r.get("id")?,
                    meeting_id: r.get("meeting_id")?,
                    person: r.get("person")?,
                    agency_id: r.get("agency_id")?,
                    role: r.get("role")?,
                    status: read_code(
                        r,
                        "status",
                        AttendanceStatus::from_code,
                        AttendanceStatus::Absent,
                    )?,
                    guest: r.get::<_, i64>("guest")? != 0,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let agenda = self.agenda(meeting.id)?;
        let minutes = self.minutes(meeting.id)?;
        let codes = conn
            .prepare(
                "SELECT a.id, a.code FROM agencies a JOIN meetings m ON m.case_id = a.case_id WHERE m.id = ?1",
            )?
            .query_map([meeting.id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let code = |id: Option<i64>| {
            codes
                .iter()
                .find(|(a, _)| Some(*a) == id)
                .map(|(_, c)| c.clone())
                .unwrap_or_default()
        };
        Ok(fingerprint(&canonical_minutes(
            meeting,
            &attendance,
            &code,
            &agenda,
            &minutes,
        )))
    }

    /// Every live chronology entry of a case in timeline order (SPEC §3.4).
    pub fn chronology_all(&self, case_id: i64) -> Result<Vec<TimelineRow>> {
        let count = self.chronology_count(case_id)?;
        self.chronology_window(case_id, &TimelineFilter::default(), 0, count)
    }

    /// The live links of a case's chronology entries to its terms of reference.
    pub fn chronology_term_links(&self, case_id: i64) -> Result<Vec<TermLink>> {
        self.term_links(
            "SELECT t.entry_id, t.term_id FROM chronology_terms t JOIN chronology c ON c.id = t.entry_id
             WHERE c.case_id = ?1 AND t.deleted_at IS NULL ORDER BY t.entry_id, t.term_id",
            case_id,
        )
    }

    /// The live links of a case's challenges to its terms of reference.
    pub fn challenge_term_links(&self, case_id: i64) -> Result<Vec<TermLink>> {
        self.term_links(
            "SELECT t.challenge_id, t.term_id FROM challenge_terms t JOIN challenges c ON c.id = t.challenge_id
             WHERE c.case_id = ?1 AND t.deleted_at IS NULL ORDER BY t.challenge_id, t.term_id",
            case_id,
        )
    }

    /// The live links of a case's decisions to its terms of reference.
    pub fn decision_term_links(&self, case_id: i64) -> Result<Vec<TermLink>> {
        self.term_links(
            "SELECT t.decision_id, t.term_id FROM decision_terms t JOIN decisions d ON d.id = t.decision_id
             WHERE d.case_id = ?1 AND t.deleted_at IS NULL ORDER BY t.decision_id, t.term_id",
            case_id,
        )
    }

    fn term_links(&self, sql: &str, case_id: i64) -> Result<Vec<TermLink>> {
        let mut stmt = self.conn().prepare(sql)?;
        let rows = stmt.query_map([case_id], |r| {
            Ok(TermLink {
                record_id: r.get(0)?,
                term_id: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
