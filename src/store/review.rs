//! The review's process records (migration 10): the decision, the pauses, the parallel
//! proceedings, the Home Office QA rounds and the publication checklist: their readers,
//! the typed writes the case's forms use, and the one-time move of the facts that were
//! columns of the case into these records.
//!
//! The case still shows the old facts (`Case::decision_on`, `paused`, `qa_outcome`…):
//! `cases::COLUMNS` reads them from these records, so there is one source of truth and
//! the old columns are neither written nor read.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::values::{date, id, opt_text, read_code, read_date, text};
use super::{Result, Store, StoreError, Writer};
use crate::domain::model::{Case, QaOutcome};
use crate::domain::review::{
    DecisionOutcome, Pause, Proceeding, ProceedingKind, PublicationItem, PublicationRecord,
    QaRound, ReviewDecision,
};

/// The key in `meta` that says the case columns were moved into the records.
const MOVED: &str = "case_fields_moved";

/// The case's derived facts, as `cases::COLUMNS` selects them (aliases of the old
/// columns' names). `cases` is the outer table.
pub(super) const DERIVED_COLUMNS: &str = "
    (SELECT d.decided_on FROM review_decisions d WHERE d.case_id = cases.id AND d.deleted_at IS NULL
        AND d.outcome = 'review' ORDER BY d.id DESC LIMIT 1) AS decision_on,
    (SELECT d.home_office_notified_on FROM review_decisions d WHERE d.case_id = cases.id
        AND d.deleted_at IS NULL ORDER BY d.id DESC LIMIT 1) AS home_office_notified_on,
    EXISTS (SELECT 1 FROM pauses p WHERE p.case_id = cases.id AND p.deleted_at IS NULL
        AND p.resumed_on IS NULL) AS paused,
    COALESCE((SELECT CASE WHEN p.resumed_on IS NULL THEN p.reason
            ELSE 'Resumed ' || strftime('%d/%m/%Y', p.resumed_on) || ': ' || p.resume_reason END
        FROM pauses p WHERE p.case_id = cases.id AND p.deleted_at IS NULL ORDER BY p.id DESC LIMIT 1), '')
        AS paused_reason,
    (SELECT p.since FROM pauses p WHERE p.case_id = cases.id AND p.deleted_at IS NULL
        AND p.resumed_on IS NULL ORDER BY p.id DESC LIMIT 1) AS paused_on,
    (SELECT q.submitted_on FROM qa_rounds q WHERE q.case_id = cases.id AND q.deleted_at IS NULL
        ORDER BY q.number DESC, q.id DESC LIMIT 1) AS ho_submitted_on,
    (SELECT q.outcome FROM qa_rounds q WHERE q.case_id = cases.id AND q.deleted_at IS NULL
        ORDER BY q.number DESC, q.id DESC LIMIT 1) AS qa_outcome,
    (SELECT q.letter_on FROM qa_rounds q WHERE q.case_id = cases.id AND q.deleted_at IS NULL
        ORDER BY q.number DESC, q.id DESC LIMIT 1) AS qa_outcome_on,
    (SELECT i.done_on FROM publication_items i WHERE i.case_id = cases.id AND i.deleted_at IS NULL
        AND i.item = 'published' ORDER BY i.id DESC LIMIT 1) AS published_on,
    (SELECT i.done_on FROM publication_items i WHERE i.case_id = cases.id AND i.deleted_at IS NULL
        AND i.item = 'commissioner' ORDER BY i.id DESC LIMIT 1) AS commissioner_sent_on";

pub(super) fn read_decision(row: &rusqlite::Row<'_>) -> rusqlite::Result<ReviewDecision> {
    Ok(ReviewDecision {
        id: row.get("id")?,
        case_id: row.get("case_id")?,
        outcome: read_code(
            row,
            "outcome",
            DecisionOutcome::from_code,
            DecisionOutcome::Review,
        )?,
        criteria: row.get("criteria")?,
        reasons: row.get("reasons")?,
        decided_by: row.get("decided_by")?,
        decided_on: read_date(row, "decided_on")?,
        home_office_notified_on: read_date(row, "home_office_notified_on")?,
        home_office_reply: row.get("home_office_reply")?,
    })
}

pub(super) fn read_pause(row: &rusqlite::Row<'_>) -> rusqlite::Result<Pause> {
    Ok(Pause {
        id: row.get("id")?,
        case_id: row.get("case_id")?,
        proceeding_id: row.get("proceeding_id")?,
        since: read_date(row, "since")?,
        reason: row.get("reason")?,
        resumed_on: read_date(row, "resumed_on")?,
        resume_reason: row.get("resume_reason")?,
    })
}

pub(super) fn read_proceeding(row: &rusqlite::Row<'_>) -> rusqlite::Result<Proceeding> {
    Ok(Proceeding {
        id: row.get("id")?,
        case_id: row.get("case_id")?,
        kind: read_code(
            row,
            "kind",
            ProceedingKind::from_code,
            ProceedingKind::Other,
        )?,
        title: row.get("title")?,
        contact: row.get("contact")?,
        contact_role: row.get("contact_role")?,
        charged_on: read_date(row, "charged_on")?,
        trial_on: read_date(row, "trial_on")?,
        verdict_on: read_date(row, "verdict_on")?,
        sentenced_on: read_date(row, "sentenced_on")?,
        opened_on: read_date(row, "opened_on")?,
        resumed_on: read_date(row, "resumed_on")?,
        concluded_on: read_date(row, "concluded_on")?,
        notes: row.get("notes")?,
    })
}

pub(super) fn read_round(row: &rusqlite::Row<'_>) -> rusqlite::Result<QaRound> {
    let outcome: Option<String> = row.get("outcome")?;
    Ok(QaRound {
        id: row.get("id")?,
        case_id: row.get("case_id")?,
        number: row.get("number")?,
        submitted_on: read_date(row, "submitted_on")?,
        report_version: row.get("report_version")?,
        outcome: outcome.as_deref().and_then(QaOutcome::from_code),
        letter_on: read_date(row, "letter_on")?,
        notes: row.get("notes")?,
    })
}

pub(super) fn read_publication(row: &rusqlite::Row<'_>) -> rusqlite::Result<PublicationRecord> {
    Ok(PublicationRecord {
        id: row.get("id")?,
        case_id: row.get("case_id")?,
        item: read_code(
            row,
            "item",
            PublicationItem::from_code,
            PublicationItem::Published,
        )?,
        done_on: read_date(row, "done_on")?,
        detail: row.get("detail")?,
    })
}

/// Every live row of `table` of the case, read with `read`, in `order`.
pub(super) fn rows_of<T>(
    conn: &rusqlite::Connection,
    table: &str,
    case_id: i64,
    order: &str,
    read: fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let sql =
        format!("SELECT * FROM {table} WHERE case_id = ?1 AND deleted_at IS NULL ORDER BY {order}");
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([case_id], read)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(super) fn decision_in(
    conn: &rusqlite::Connection,
    case_id: i64,
) -> Result<Option<ReviewDecision>> {
    Ok(conn
        .query_row(
            "SELECT * FROM review_decisions WHERE case_id = ?1 AND deleted_at IS NULL ORDER BY id DESC LIMIT 1",
            [case_id],
            read_decision,
        )
        .optional()?)
}

fn open_pause_in(conn: &rusqlite::Connection, case_id: i64) -> Result<Option<Pause>> {
    Ok(conn
        .query_row(
            "SELECT * FROM pauses WHERE case_id = ?1 AND deleted_at IS NULL AND resumed_on IS NULL
             ORDER BY id DESC LIMIT 1",
            [case_id],
            read_pause,
        )
        .optional()?)
}

pub(super) fn latest_round_in(
    conn: &rusqlite::Connection,
    case_id: i64,
) -> Result<Option<QaRound>> {
    Ok(conn
        .query_row(
            "SELECT * FROM qa_rounds WHERE case_id = ?1 AND deleted_at IS NULL
             ORDER BY number DESC, id DESC LIMIT 1",
            [case_id],
            read_round,
        )
        .optional()?)
}

pub(super) fn publication_item_in(
    conn: &rusqlite::Connection,
    case_id: i64,
    item: PublicationItem,
) -> Result<Option<PublicationRecord>> {
    Ok(conn
        .query_row(
            "SELECT * FROM publication_items WHERE case_id = ?1 AND item = ?2 AND deleted_at IS NULL
             ORDER BY id DESC LIMIT 1",
            params![case_id, item.code()],
            read_publication,
        )
        .optional()?)
}

impl Store {
    /// The case's decision whether to review, if one is recorded.
    pub fn decision(&self, case_id: i64) -> Result<Option<ReviewDecision>> {
        decision_in(self.conn(), case_id)
    }

    /// The case's pauses, oldest first.
    pub fn pauses(&self, case_id: i64) -> Result<Vec<Pause>> {
        rows_of(self.conn(), "pauses", case_id, "id", read_pause)
    }

    /// The case's parallel proceedings, in the order they were recorded.
    pub fn proceedings(&self, case_id: i64) -> Result<Vec<Proceeding>> {
        rows_of(self.conn(), "proceedings", case_id, "id", read_proceeding)
    }

    /// The case's Home Office QA rounds, first round first.
    pub fn qa_rounds(&self, case_id: i64) -> Result<Vec<QaRound>> {
        rows_of(self.conn(), "qa_rounds", case_id, "number, id", read_round)
    }

    /// The case's publication checklist: its recorded items, in checklist order.
    pub fn publication_items(&self, case_id: i64) -> Result<Vec<PublicationRecord>> {
        let mut items = rows_of(
            self.conn(),
            "publication_items",
            case_id,
            "id",
            read_publication,
        )?;
        items.sort_by_key(|i| (i.item, std::cmp::Reverse(i.id)));
        items.dedup_by_key(|i| i.item);
        Ok(items)
    }

    /// Moves what the case columns of versions before 10 held into the records, once per
    /// database (the mark in `meta` says it was done), audited like any write.
    pub(super) fn move_case_fields(&mut self) -> Result<()> {
        if self.read_only || moved(self.conn())? {
            return Ok(());
        }
        self.write(|w| {
            // Another process may have moved them while this one waited for the lock.
            if moved(w.tx())? {
                return Ok(());
            }
            let cases: Vec<(i64, Case)> = {
                let mut stmt = w.tx().prepare(
                    "SELECT id, reference, kind, title, decision_on, home_office_notified_on, paused,
                            paused_reason, paused_on, ho_submitted_on, qa_outcome, qa_outcome_on,
                            published_on, commissioner_sent_on, stage
                     FROM cases ORDER BY id",
                )?;
                let rows = stmt.query_map([], |row| {
                    let mut case = Case::new(
                        &row.get::<_, String>("reference")?,
                        crate::domain::model::ReviewKind::Dhr,
                        &row.get::<_, String>("title")?,
                    );
                    let qa: Option<String> = row.get("qa_outcome")?;
                    case.decision_on = read_date(row, "decision_on")?;
                    case.home_office_notified_on = read_date(row, "home_office_notified_on")?;
                    case.paused = row.get::<_, Option<i64>>("paused")?.unwrap_or(0) != 0;
                    case.paused_reason = row.get::<_, Option<String>>("paused_reason")?.unwrap_or_default();
                    case.paused_on = read_date(row, "paused_on")?;
                    case.ho_submitted_on = read_date(row, "ho_submitted_on")?;
                    case.qa_outcome = qa.as_deref().and_then(QaOutcome::from_code);
                    case.qa_outcome_on = read_date(row, "qa_outcome_on")?;
                    case.published_on = read_date(row, "published_on")?;
                    case.commissioner_sent_on = read_date(row, "commissioner_sent_on")?;
                    Ok((row.get::<_, i64>("id")?, case))
                })?;
                rows.collect::<rusqlite::Result<Vec<_>>>()?
            };
            for (case_id, case) in &cases {
                w.record_case_facts(*case_id, case)?;
            }
            w.tx().execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                params![MOVED, w.now()],
            )?;
            Ok(())
        })
    }
}

/// The day the case's latest pause ended, if one did.
pub(super) fn last_resumption_in(
    conn: &rusqlite::Connection,
    case_id: i64,
) -> Result<Option<NaiveDate>> {
    Ok(conn
        .query_row(
            "SELECT max(resumed_on) AS resumed_on FROM pauses
             WHERE case_id = ?1 AND deleted_at IS NULL",
            [case_id],
            |r| read_date(r, "resumed_on"),
        )
        .optional()?
        .flatten())
}

/// Refuses a day after `today` for something that has happened ("the completion", "the
/// offer of advocacy"): it is recorded once it has.
pub(super) fn happened(what: &str, on: Option<NaiveDate>, today: NaiveDate) -> Result<()> {
    match on {
        Some(on) if on > today => Err(StoreError::Rule(format!(
            "{what} is dated {}, after today ({}): record it once it has happened",
            on.format("%d %b %Y"),
            today.format("%d %b %Y")
        ))),
        _ => Ok(()),
    }
}

fn moved(conn: &rusqlite::Connection) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM meta WHERE key = ?1", [MOVED], |_| Ok(()))
        .optional()?
        .is_some())
}

impl Writer<'_> {
    /// Writes the process facts a `Case` carries (a seeded case, or the old columns of a
    /// case being moved) as records: the decision, an open pause waiting for a proceeding
    /// of kind "other" named by its reason, the first QA round, and the publication and
    /// Commissioner items. Facts not recorded write nothing.
    pub fn record_case_facts(&mut self, case_id: i64, case: &Case) -> Result<()> {
        self.set_decision_dates(case_id, case.decision_on, case.home_office_notified_on)?;
        if case.paused {
            let reason = case.paused_reason.trim();
            let proceeding = self.insert(
                "proceedings",
                &[
                    ("case_id", case_id.into()),
                    ("kind", text(ProceedingKind::Other.code())),
                    (
                        "title",
                        text(if reason.is_empty() {
                            "not recorded"
                        } else {
                            reason
                        }),
                    ),
                ],
            )?;
            self.open_pause(case_id, Some(proceeding), case.paused_on, reason)?;
        }
        if case.ho_submitted_on.is_some()
            || case.qa_outcome.is_some()
            || case.qa_outcome_on.is_some()
        {
            self.record_qa(
                case_id,
                case.ho_submitted_on,
                case.qa_outcome,
                case.qa_outcome_on,
            )?;
        }
        if case.published_on.is_some() {
            self.set_publication_item(
                case_id,
                PublicationItem::Published,
                case.published_on,
                None,
            )?;
        }
        if case.commissioner_sent_on.is_some() {
            self.set_publication_item(
                case_id,
                PublicationItem::Commissioner,
                case.commissioner_sent_on,
                None,
            )?;
        }
        Ok(())
    }

    /// Records the date of the decision to review and of the Home Office's notification
    /// on the case's decision record: the live one is updated, else (when either date is
    /// given) a decision to review is recorded.
    pub fn set_decision_dates(
        &mut self,
        case_id: i64,
        decided_on: Option<NaiveDate>,
        home_office_notified_on: Option<NaiveDate>,
    ) -> Result<()> {
        match decision_in(self.tx(), case_id)? {
            Some(d) => {
                self.update(
                    "review_decisions",
                    d.id,
                    &[
                        ("decided_on", date(decided_on)),
                        ("home_office_notified_on", date(home_office_notified_on)),
                    ],
                )?;
            }
            None if decided_on.is_some() || home_office_notified_on.is_some() => {
                self.insert(
                    "review_decisions",
                    &[
                        ("case_id", case_id.into()),
                        ("outcome", text(DecisionOutcome::Review.code())),
                        ("decided_on", date(decided_on)),
                        ("home_office_notified_on", date(home_office_notified_on)),
                    ],
                )?;
            }
            None => {}
        }
        Ok(())
    }

    /// Pauses the review from `since`, waiting for `proceeding`; refused while it is
    /// already paused.
    pub fn open_pause(
        &mut self,
        case_id: i64,
        proceeding: Option<i64>,
        since: Option<NaiveDate>,
        reason: &str,
    ) -> Result<i64> {
        if let Some(open) = open_pause_in(self.tx(), case_id)? {
            let since = open
                .since
                .map(|d| format!(" since {}", d.format("%d %b %Y")))
                .unwrap_or_default();
            return Err(StoreError::Rule(format!(
                "the review is already paused{since}: resume it before pausing it again"
            )));
        }
        // Pauses follow one another: a new one cannot begin before the last resumption.
        if let (Some(since), Some(resumed)) = (since, last_resumption_in(self.tx(), case_id)?)
            && since < resumed
        {
            return Err(StoreError::Rule(format!(
                "the review resumed on {} from its last pause: a new pause cannot begin before \
                 that ({}); check the date",
                resumed.format("%d %b %Y"),
                since.format("%d %b %Y")
            )));
        }
        if let Some(p) = proceeding
            && !super::proceedings::of_case(self.tx(), "proceedings", p, case_id)?
        {
            return Err(StoreError::Rule(format!(
                "proceeding {p} is not one of this case's: choose one from the list"
            )));
        }
        self.insert(
            "pauses",
            &[
                ("case_id", case_id.into()),
                ("proceeding_id", id(proceeding)),
                ("since", date(since)),
                ("reason", text(reason)),
            ],
        )
    }

    /// Ends the open pause on `on`; refused when the review is not paused.
    pub fn close_pause(&mut self, case_id: i64, on: NaiveDate, reason: &str) -> Result<()> {
        let Some(open) = open_pause_in(self.tx(), case_id)? else {
            return Err(StoreError::Rule(
                "the review is not paused, so there is nothing to resume".into(),
            ));
        };
        if let Some(since) = open.since
            && on < since
        {
            return Err(StoreError::Rule(format!(
                "cannot resume on {}, before the pause began ({})",
                on.format("%d %b %Y"),
                since.format("%d %b %Y")
            )));
        }
        self.update(
            "pauses",
            open.id,
            &[
                ("resumed_on", date(Some(on))),
                ("resume_reason", text(reason)),
            ],
        )?;
        Ok(())
    }

    /// Records the submission date and outcome on the latest QA round (the first round
    /// is made when there is none).
    pub fn record_qa(
        &mut self,
        case_id: i64,
        submitted_on: Option<NaiveDate>,
        outcome: Option<QaOutcome>,
        letter_on: Option<NaiveDate>,
    ) -> Result<()> {
        let fields = [
            ("submitted_on", date(submitted_on)),
            ("outcome", opt_text(outcome.map(QaOutcome::code))),
            ("letter_on", date(letter_on)),
        ];
        match latest_round_in(self.tx(), case_id)? {
            Some(round) => {
                self.update("qa_rounds", round.id, &fields)?;
            }
            None if submitted_on.is_some() || outcome.is_some() || letter_on.is_some() => {
                let mut all = vec![("case_id", case_id.into()), ("number", 1i64.into())];
                all.extend(fields);
                self.insert("qa_rounds", &all)?;
            }
            None => {}
        }
        Ok(())
    }

    /// Sets the date (and, when given, the detail) of an item of the publication
    /// checklist; a date cleared on an item never recorded writes nothing.
    pub fn set_publication_item(
        &mut self,
        case_id: i64,
        item: PublicationItem,
        done_on: Option<NaiveDate>,
        detail: Option<&str>,
    ) -> Result<()> {
        match publication_item_in(self.tx(), case_id, item)? {
            Some(existing) => {
                let mut fields = vec![("done_on", date(done_on))];
                if let Some(detail) = detail {
                    fields.push(("detail", text(detail)));
                }
                self.update("publication_items", existing.id, &fields)?;
            }
            None if done_on.is_some() || detail.is_some_and(|d| !d.trim().is_empty()) => {
                self.insert(
                    "publication_items",
                    &[
                        ("case_id", case_id.into()),
                        ("item", text(item.code())),
                        ("done_on", date(done_on)),
                        ("detail", text(detail.unwrap_or(""))),
                    ],
                )?;
            }
            None => {}
        }
        Ok(())
    }
}
