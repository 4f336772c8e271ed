//! The terms of reference as the Terms pane changes them — adding and editing items,
//! their order, their status with the meeting it happened at, the chair's coverage marks
//! and the review period — and the raw counts coverage is derived from.
//!
//! Links (chronology, challenges, decisions, marks) name an item by its id, so a move
//! changes `position` only and every link follows the item. Positions are kept 1..n.

use chrono::NaiveDate;
use rusqlite::params;

use super::values::{date, id, text};
use super::{Result, Store, StoreError, Writer};
use crate::domain::coverage::{CoverageFacts, LinkCount};
use crate::domain::model::{TermKind, TermStatus};

/// The tables that link records to terms of reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TermLinks {
    Chronology,
    Challenges,
    Decisions,
}

impl TermLinks {
    /// The link table and its column naming the linked record.
    pub(crate) fn table_and_column(self) -> (&'static str, &'static str) {
        match self {
            TermLinks::Chronology => ("chronology_terms", "entry_id"),
            TermLinks::Challenges => ("challenge_terms", "challenge_id"),
            TermLinks::Decisions => ("decision_terms", "decision_id"),
        }
    }
}

impl Writer<'_> {
    /// Links a record to terms of reference: one audited row a term.
    pub(crate) fn link_terms(
        &mut self,
        links: TermLinks,
        record_id: i64,
        term_ids: &[i64],
    ) -> Result<()> {
        let (table, column) = links.table_and_column();
        for term_id in term_ids {
            self.insert(
                table,
                &[(column, record_id.into()), ("term_id", (*term_id).into())],
            )?;
        }
        Ok(())
    }
}

impl Writer<'_> {
    /// The live items of a case, in display order.
    fn term_order(&self, case_id: i64) -> Result<Vec<i64>> {
        let mut stmt = self.tx().prepare(
            "SELECT id FROM terms WHERE case_id = ?1 AND deleted_at IS NULL ORDER BY position, id",
        )?;
        let rows = stmt.query_map([case_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
    }

    /// Gives the items `order` the positions 1..n, auditing only those that change.
    fn renumber_terms(&mut self, order: &[i64]) -> Result<()> {
        for (index, term_id) in order.iter().enumerate() {
            self.update(
                "terms",
                *term_id,
                &[("position", (index as i64 + 1).into())],
            )?;
        }
        Ok(())
    }

    /// The case an item belongs to, or a message saying it is gone.
    fn term_case(&self, term_id: i64) -> Result<i64> {
        self.tx()
            .query_row(
                "SELECT case_id FROM terms WHERE id = ?1 AND deleted_at IS NULL",
                [term_id],
                |r| r.get(0),
            )
            .map_err(|_| {
                StoreError::Rule(format!(
                    "item {term_id} of the terms of reference no longer exists: another user may have withdrawn it"
                ))
            })
    }

    /// Adds a draft item after the last one; returns its id.
    pub fn add_term(
        &mut self,
        case_id: i64,
        heading: &str,
        body: &str,
        kind: TermKind,
    ) -> Result<i64> {
        let mut order = self.term_order(case_id)?;
        let term_id = self.insert(
            "terms",
            &[
                ("case_id", case_id.into()),
                ("position", (order.len() as i64 + 1).into()),
                ("heading", text(heading)),
                ("body", text(body)),
                ("kind", text(kind.code())),
                ("status", text(TermStatus::Draft.code())),
                ("meeting_id", id(None)),
            ],
        )?;
        order.push(term_id);
        self.renumber_terms(&order)?;
        Ok(term_id)
    }

    /// Changes an item's heading, text and kind; returns whether anything changed.
    pub fn edit_term(
        &mut self,
        term_id: i64,
        heading: &str,
        body: &str,
        kind: TermKind,
    ) -> Result<bool> {
        self.term_case(term_id)?;
        self.update(
            "terms",
            term_id,
            &[
                ("heading", text(heading)),
                ("body", text(body)),
                ("kind", text(kind.code())),
            ],
        )
    }

    /// Moves an item one place up (`up`) or down. Only positions change. Returns false
    /// when it is already first (or last).
    pub fn move_term(&mut self, term_id: i64, up: bool) -> Result<bool> {
        let case_id = self.term_case(term_id)?;
        let mut order = self.term_order(case_id)?;
        let Some(from) = order.iter().position(|id| *id == term_id) else {
            return Ok(false);
        };
        let to = if up {
            match from.checked_sub(1) {
                Some(to) => to,
                None => return Ok(false),
            }
        } else if from + 1 < order.len() {
            from + 1
        } else {
            return Ok(false);
        };
        order.swap(from, to);
        self.renumber_terms(&order)?;
        Ok(true)
    }

    /// Sets an item's status and the meeting it happened at (none for a draft, or when
    /// it was agreed outside a meeting). Returns whether anything changed.
    pub fn set_term_status(
        &mut self,
        term_id: i64,
        status: TermStatus,
        meeting_id: Option<i64>,
    ) -> Result<bool> {
        let case_id = self.term_case(term_id)?;
        let meeting_id = if status == TermStatus::Draft {
            None
        } else {
            meeting_id
        };
        if let Some(meeting) = meeting_id {
            let same_case: bool = self.tx().query_row(
                "SELECT count(*) FROM meetings WHERE id = ?1 AND case_id = ?2 AND deleted_at IS NULL",
                params![meeting, case_id],
                |r| r.get::<_, i64>(0).map(|n| n > 0),
            )?;
            if !same_case {
                return Err(StoreError::Rule(format!(
                    "meeting {meeting} is not a meeting of this case: choose one of the case's meetings"
                )));
            }
        }
        self.update(
            "terms",
            term_id,
            &[
                ("status", text(status.code())),
                ("meeting_id", id(meeting_id)),
            ],
        )
    }

    /// Sets or clears the chair's mark that `agency_id`'s return addresses `term_id`:
    /// an audited insert, or the withdrawal of the mark. Returns whether it changed.
    pub fn set_coverage_mark(&mut self, term_id: i64, agency_id: i64, on: bool) -> Result<bool> {
        let case_id = self.term_case(term_id)?;
        let same_case: bool = self.tx().query_row(
            "SELECT count(*) FROM agencies WHERE id = ?1 AND case_id = ?2 AND deleted_at IS NULL",
            params![agency_id, case_id],
            |r| r.get::<_, i64>(0).map(|n| n > 0),
        )?;
        if !same_case {
            return Err(StoreError::Rule(format!(
                "agency {agency_id} is not an agency of this case"
            )));
        }
        let current: Vec<i64> = {
            let mut stmt = self.tx().prepare(
                "SELECT id FROM term_coverage WHERE term_id = ?1 AND agency_id = ?2 AND deleted_at IS NULL",
            )?;
            let rows = stmt.query_map(params![term_id, agency_id], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<Vec<i64>>>()?
        };
        match (on, current.is_empty()) {
            (true, true) => {
                self.insert(
                    "term_coverage",
                    &[("term_id", term_id.into()), ("agency_id", agency_id.into())],
                )?;
                Ok(true)
            }
            (false, false) => {
                for mark in current {
                    self.withdraw("term_coverage", mark)?;
                }
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Sets the review period of a case; returns whether it changed.
    pub fn set_review_period(
        &mut self,
        case_id: i64,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<bool> {
        self.update(
            "cases",
            case_id,
            &[("period_from", date(from)), ("period_to", date(to))],
        )
    }
}

/// Reads (term, agency, count) rows of a GROUP BY.
fn link_counts(store: &Store, sql: &str, case_id: i64) -> Result<Vec<LinkCount>> {
    let mut stmt = store.conn().prepare(sql)?;
    let rows = stmt.query_map([case_id], |r| {
        Ok(LinkCount {
            term_id: r.get(0)?,
            agency_id: r.get(1)?,
            count: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

impl Store {
    /// What coverage is derived from, for every live item of a case: linked chronology
    /// entries and challenges per agency, linked decisions, and the chair's marks. Withdrawn
    /// links, records and items do not count.
    pub fn coverage_facts(&self, case_id: i64) -> Result<CoverageFacts> {
        let entries = link_counts(
            self,
            "SELECT l.term_id, c.agency_id, count(DISTINCT c.id)
             FROM chronology_terms l
             JOIN chronology c ON c.id = l.entry_id
             JOIN terms t ON t.id = l.term_id
             WHERE t.case_id = ?1 AND l.deleted_at IS NULL AND c.deleted_at IS NULL
               AND t.deleted_at IS NULL
             GROUP BY l.term_id, c.agency_id",
            case_id,
        )?;
        let challenges = link_counts(
            self,
            "SELECT l.term_id, c.agency_id, count(DISTINCT c.id)
             FROM challenge_terms l
             JOIN challenges c ON c.id = l.challenge_id
             JOIN terms t ON t.id = l.term_id
             WHERE t.case_id = ?1 AND l.deleted_at IS NULL AND c.deleted_at IS NULL
               AND t.deleted_at IS NULL
             GROUP BY l.term_id, c.agency_id",
            case_id,
        )?;
        let decisions = {
            let mut stmt = self.conn().prepare(
                "SELECT l.term_id, count(DISTINCT d.id)
                 FROM decision_terms l
                 JOIN decisions d ON d.id = l.decision_id
                 JOIN terms t ON t.id = l.term_id
                 WHERE t.case_id = ?1 AND l.deleted_at IS NULL AND d.deleted_at IS NULL
                   AND t.deleted_at IS NULL
                 GROUP BY l.term_id",
            )?;
            let rows = stmt.query_map([case_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<Vec<(i64, u32)>>>()?
        };
        let marks = {
            let mut stmt = self.conn().prepare(
                "SELECT DISTINCT m.term_id, m.agency_id
                 FROM term_coverage m
                 JOIN terms t ON t.id = m.term_id
                 JOIN agencies a ON a.id = m.agency_id
                 WHERE t.case_id = ?1 AND m.deleted_at IS NULL AND t.deleted_at IS NULL
                   AND a.deleted_at IS NULL",
            )?;
            let rows = stmt.query_map([case_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<Vec<(i64, i64)>>>()?
        };
        Ok(CoverageFacts {
            entries,
            challenges,
            decisions,
            marks,
        })
    }
}

impl Store {
    /// Adds a term of reference at the end of the case's list; returns its id.
    pub fn add_term(
        &mut self,
        case_id: i64,
        heading: &str,
        body: &str,
        kind: TermKind,
    ) -> Result<i64> {
        self.write(|w| w.add_term(case_id, heading, body, kind))
    }

    /// Saves an edited term of reference; returns whether anything changed.
    pub fn edit_term(
        &mut self,
        term_id: i64,
        heading: &str,
        body: &str,
        kind: TermKind,
    ) -> Result<bool> {
        self.write(|w| w.edit_term(term_id, heading, body, kind))
    }

    /// Moves a term one place up or down the list; returns whether it moved.
    pub fn move_term(&mut self, term_id: i64, up: bool) -> Result<bool> {
        self.write(|w| w.move_term(term_id, up))
    }

    /// Sets the status of a term (agreed at `meeting_id`, if given).
    pub fn set_term_status(
        &mut self,
        term_id: i64,
        status: TermStatus,
        meeting_id: Option<i64>,
    ) -> Result<bool> {
        self.write(|w| w.set_term_status(term_id, status, meeting_id))
    }

    /// Marks (or unmarks) that an agency's return covers a term.
    pub fn set_coverage_mark(&mut self, term_id: i64, agency_id: i64, on: bool) -> Result<bool> {
        self.write(|w| w.set_coverage_mark(term_id, agency_id, on))
    }

    /// Sets the review period of a case.
    pub fn set_review_period(
        &mut self,
        case_id: i64,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<bool> {
        self.write(|w| w.set_review_period(case_id, from, to))
    }
}
