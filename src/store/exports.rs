//! Reads for the Markdown exports: the whole chronology in timeline order and
//! the links to terms of reference of a whole case at once. Reads only.

use super::chronology::TimelineRow;
use super::{Result, Store};
use crate::domain::filter::TimelineFilter;

/// A link from a record (chronology entry, challenge, decision) to a term of reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TermLink {
    pub record_id: i64,
    pub term_id: i64,
}

impl Store {
    /// Every live chronology entry of a case in timeline order.
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
