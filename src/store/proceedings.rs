//! Parallel proceedings (a criminal trial, an inquest, an IOPC investigation, a review
//! beside this one) with their key dates and disclosure requests; the pauses that wait
//! for them; and the clock's facts, read in one place from the case, its pauses and
//! proceedings and the audit trail.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::review::{read_pause, read_proceeding, rows_of};
use super::values::{date, read_date, text};
use super::{Result, Store, StoreError, Writer};
use crate::domain::clock::ClockFacts;
use crate::domain::model::Case;
use crate::domain::review::{DisclosureRequest, Proceeding, ProceedingKind};

fn read_disclosure(row: &rusqlite::Row<'_>) -> rusqlite::Result<DisclosureRequest> {
    Ok(DisclosureRequest {
        id: row.get("id")?,
        case_id: row.get("case_id")?,
        proceeding_id: row.get("proceeding_id")?,
        asked_on: read_date(row, "asked_on")?,
        asked_by: row.get("asked_by")?,
        request: row.get("request")?,
        answered_on: read_date(row, "answered_on")?,
        answer: row.get("answer")?,
    })
}

/// The live row `id` of `table` belongs to case `case_id`.
pub(super) fn of_case(
    conn: &rusqlite::Connection,
    table: &'static str,
    id: i64,
    case_id: i64,
) -> Result<bool> {
    let sql =
        format!("SELECT 1 FROM {table} WHERE id = ?1 AND case_id = ?2 AND deleted_at IS NULL");
    Ok(conn
        .query_row(&sql, params![id, case_id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Whether an extension (its date or its reason) was recorded after the case's latest pause was
/// recorded: the audit trail's order, since the day an extension was agreed is not stored.
fn extended_after_latest_pause(conn: &rusqlite::Connection, case_id: i64) -> Result<bool> {
    let found: Option<i64> = conn
        .query_row(
            "SELECT 1 FROM audit a
             WHERE a.table_name = 'cases' AND a.row_id = ?1
               AND (json_extract(a.changes, '$.extended_to') IS NOT NULL
                    OR json_extract(a.changes, '$.extension_reason') IS NOT NULL)
               AND a.id > (SELECT MIN(b.id) FROM audit b WHERE b.table_name = 'pauses'
                   AND b.row_id = (SELECT MAX(p.id) FROM pauses p
                                   WHERE p.case_id = ?1 AND p.deleted_at IS NULL))
             LIMIT 1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(found.is_some())
}

impl Store {
    /// The facts the statutory clock of `case` reads: the case's dates, its open pause and
    /// the proceeding it waits for, the end of its last pause, and whether the extension
    /// was recorded after that pause. Every clock (header, case list, `dhr cases`,
    /// exports) is built from this.
    pub fn clock_facts(&self, case: &Case) -> Result<ClockFacts> {
        let conn = self.conn();
        let pauses = rows_of(conn, "pauses", case.id, "id", read_pause)?;
        let proceedings = rows_of(conn, "proceedings", case.id, "id", read_proceeding)?;
        let extended = extended_after_latest_pause(conn, case.id)?;
        Ok(ClockFacts::new(case, &pauses, &proceedings, extended))
    }

    /// The case's disclosure requests, in the order they were recorded.
    pub fn disclosure_requests(&self, case_id: i64) -> Result<Vec<DisclosureRequest>> {
        rows_of(
            self.conn(),
            "disclosure_requests",
            case_id,
            "id",
            read_disclosure,
        )
    }

    /// Adds (`id` 0) or saves a proceeding of its case; returns its id. Its title is
    /// required.
    pub fn save_proceeding(&mut self, p: &Proceeding) -> Result<i64> {
        self.write(|w| w.save_proceeding(p))
    }

    /// Adds (`id` 0) or saves a disclosure request; refused unless its proceeding is one of
    /// the same case's.
    pub fn save_disclosure(&mut self, d: &DisclosureRequest) -> Result<i64> {
        self.write(|w| w.save_disclosure(d))
    }

    /// Pauses the review waiting for something that is not a recorded proceeding: one of
    /// kind "other" titled by the reason is recorded with the pause, in one transaction.
    pub fn pause_pending_other(
        &mut self,
        case_id: i64,
        reason: &str,
        since: Option<NaiveDate>,
    ) -> Result<()> {
        self.write(|w| {
            let proceeding = w.save_proceeding(&Proceeding {
                opened_on: since,
                ..Proceeding::new(case_id, ProceedingKind::Other, reason.trim())
            })?;
            w.open_pause(case_id, Some(proceeding), since, reason)
                .map(|_| ())
        })
    }
}

impl Writer<'_> {
    /// Adds (`id` 0) or saves a disclosure request, checking its proceeding is of its case.
    pub fn save_disclosure(&mut self, d: &DisclosureRequest) -> Result<i64> {
        if let (Some(asked), Some(answered)) = (d.asked_on, d.answered_on)
            && answered < asked
        {
            return Err(StoreError::Rule(format!(
                "the answer ({}) cannot come before the request ({}): check the dates",
                answered.format("%d %b %Y"),
                asked.format("%d %b %Y")
            )));
        }
        if !of_case(self.tx(), "proceedings", d.proceeding_id, d.case_id)? {
            return Err(StoreError::Rule(format!(
                "proceeding {} is not one of this case's: a disclosure request belongs to \
                 a proceeding of its own case",
                d.proceeding_id
            )));
        }
        if d.request.trim().is_empty() {
            return Err(StoreError::Rule(
                "say what was requested: the request is required".into(),
            ));
        }
        let fields = [
            ("proceeding_id", d.proceeding_id.into()),
            ("asked_on", date(d.asked_on)),
            ("asked_by", text(&d.asked_by)),
            ("request", text(&d.request)),
            ("answered_on", date(d.answered_on)),
            ("answer", text(&d.answer)),
        ];
        if d.id == 0 {
            let mut all = vec![("case_id", d.case_id.into())];
            all.extend(fields);
            return self.insert("disclosure_requests", &all);
        }
        if !of_case(self.tx(), "disclosure_requests", d.id, d.case_id)? {
            return Err(StoreError::Rule(
                "that disclosure request no longer exists in this case".into(),
            ));
        }
        self.update("disclosure_requests", d.id, &fields)?;
        Ok(d.id)
    }

    /// Adds (`id` 0) or saves a proceeding; returns its id.
    pub fn save_proceeding(&mut self, p: &Proceeding) -> Result<i64> {
        crate::domain::family::check_proceeding_dates(p).map_err(StoreError::Rule)?;
        if p.title.trim().is_empty() {
            return Err(StoreError::Rule(
                "give the proceeding a title (\"R v Adult B, Crown Court\"): it is required".into(),
            ));
        }
        let fields = [
            ("kind", text(p.kind.code())),
            ("title", text(p.title.trim())),
            ("contact", text(&p.contact)),
            ("contact_role", text(&p.contact_role)),
            ("charged_on", date(p.charged_on)),
            ("trial_on", date(p.trial_on)),
            ("verdict_on", date(p.verdict_on)),
            ("sentenced_on", date(p.sentenced_on)),
            ("opened_on", date(p.opened_on)),
            ("resumed_on", date(p.resumed_on)),
            ("concluded_on", date(p.concluded_on)),
            ("notes", text(&p.notes)),
        ];
        if p.id == 0 {
            let mut all = vec![("case_id", p.case_id.into())];
            all.extend(fields);
            return self.insert("proceedings", &all);
        }
        if !of_case(self.tx(), "proceedings", p.id, p.case_id)? {
            return Err(StoreError::Rule(
                "that proceeding no longer exists in this case".into(),
            ));
        }
        self.update("proceedings", p.id, &fields)?;
        Ok(p.id)
    }
}

impl Store {
    /// Corrects the open pause `pause` of the case: since when, and why. Refused when it
    /// is not the case's open pause (resumed meanwhile) or would begin after today's
    /// records say it ended.
    pub fn correct_pause(
        &mut self,
        case_id: i64,
        pause: i64,
        since: NaiveDate,
        reason: &str,
    ) -> Result<()> {
        self.write(|w| {
            let open: Option<i64> = w
                .tx()
                .query_row(
                    "SELECT id FROM pauses WHERE id = ?1 AND case_id = ?2 AND deleted_at IS NULL
                     AND resumed_on IS NULL",
                    params![pause, case_id],
                    |r| r.get(0),
                )
                .optional()?;
            if open.is_none() {
                return Err(StoreError::Rule(
                    "that pause has ended or no longer exists: the case view shows the review's \
                     state"
                        .into(),
                ));
            }
            w.update(
                "pauses",
                pause,
                &[("since", date(Some(since))), ("reason", text(reason))],
            )?;
            Ok(())
        })
    }
}
