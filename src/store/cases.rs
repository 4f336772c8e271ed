//! Cases: the reviews held in the database.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::values::{date, read_code, read_date, text};
use super::{Result, Store, StoreError, Writer};
use crate::domain::model::{Case, QaOutcome, RecommendationStatus, ReviewKind, Stage, Subject};
use crate::domain::plan::is_open;
use crate::domain::review::DecisionOutcome;
use crate::domain::stage::{StageFacts, plan_move, recorded_reason};

/// The case's columns; the process facts that were columns before version 10 come from
/// their records (`review::DERIVED_COLUMNS`), under the old names.
fn columns() -> String {
    format!(
        "id, reference, kind, title, partnership, marking, handling, date_of_death, notified_on,
         chair, overview_author, coordinator, chair_login, overview_author_login,
         coordinator_login, period_from, period_to, stage, stage_reason,
         extended_to, extension_reason, report_completed_on, {}",
        super::review::DERIVED_COLUMNS
    )
}

fn read_case(row: &rusqlite::Row<'_>) -> rusqlite::Result<Case> {
    let qa: Option<String> = row.get("qa_outcome")?;
    Ok(Case {
        id: row.get("id")?,
        reference: row.get("reference")?,
        kind: read_code(row, "kind", ReviewKind::from_code, ReviewKind::Dhr)?,
        title: row.get("title")?,
        partnership: row.get("partnership")?,
        marking: row.get("marking")?,
        handling: row.get("handling")?,
        date_of_death: read_date(row, "date_of_death")?,
        notified_on: read_date(row, "notified_on")?,
        decision_on: read_date(row, "decision_on")?,
        home_office_notified_on: read_date(row, "home_office_notified_on")?,
        chair: row.get("chair")?,
        overview_author: row.get("overview_author")?,
        coordinator: row.get("coordinator")?,
        chair_login: row.get("chair_login")?,
        overview_author_login: row.get("overview_author_login")?,
        coordinator_login: row.get("coordinator_login")?,
        period_from: read_date(row, "period_from")?,
        period_to: read_date(row, "period_to")?,
        stage: read_code(row, "stage", Stage::from_code, Stage::Notified)?,
        stage_reason: row.get("stage_reason")?,
        paused: row.get::<_, i64>("paused")? != 0,
        paused_reason: row.get("paused_reason")?,
        paused_on: read_date(row, "paused_on")?,
        extended_to: read_date(row, "extended_to")?,
        extension_reason: row.get("extension_reason")?,
        report_completed_on: read_date(row, "report_completed_on")?,
        ho_submitted_on: read_date(row, "ho_submitted_on")?,
        qa_outcome: qa.as_deref().and_then(QaOutcome::from_code),
        qa_outcome_on: read_date(row, "qa_outcome_on")?,
        published_on: read_date(row, "published_on")?,
        commissioner_sent_on: read_date(row, "commissioner_sent_on")?,
    })
}

impl Writer<'_> {
    /// Adds a case; its reference must be new.
    pub fn insert_case(&mut self, case: &Case) -> Result<i64> {
        let taken: Option<i64> = self
            .tx()
            .query_row(
                "SELECT id FROM cases WHERE reference = ?1",
                [&case.reference],
                |r| r.get(0),
            )
            .optional()?;
        if taken.is_some() {
            return Err(StoreError::Rule(format!(
                "a case with reference {} already exists",
                case.reference
            )));
        }
        let id = self.insert(
            "cases",
            &[
                ("reference", text(&case.reference)),
                ("kind", text(case.kind.code())),
                ("title", text(&case.title)),
                ("partnership", text(&case.partnership)),
                ("marking", text(&case.marking)),
                ("handling", text(&case.handling)),
                ("date_of_death", date(case.date_of_death)),
                ("notified_on", date(case.notified_on)),
                ("chair", text(&case.chair)),
                ("overview_author", text(&case.overview_author)),
                ("coordinator", text(&case.coordinator)),
                ("chair_login", text(&case.chair_login)),
                ("overview_author_login", text(&case.overview_author_login)),
                ("coordinator_login", text(&case.coordinator_login)),
                ("period_from", date(case.period_from)),
                ("period_to", date(case.period_to)),
                ("stage", text(case.stage.code())),
                ("stage_reason", text(&case.stage_reason)),
                ("extended_to", date(case.extended_to)),
                ("extension_reason", text(&case.extension_reason)),
                ("report_completed_on", date(case.report_completed_on)),
            ],
        )?;
        self.record_case_facts(id, case)?;
        Ok(id)
    }
}

impl Store {
    /// Every case not withdrawn, by reference.
    pub fn cases(&self) -> Result<Vec<Case>> {
        let sql = format!(
            "SELECT {} FROM cases WHERE deleted_at IS NULL ORDER BY reference",
            columns()
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([], read_case)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The case with this reference (any letter case), if there is one.
    pub fn case_by_reference(&self, reference: &str) -> Result<Option<Case>> {
        let sql = format!(
            "SELECT {} FROM cases WHERE deleted_at IS NULL AND reference = ?1 COLLATE NOCASE",
            columns()
        );
        Ok(self
            .conn()
            .query_row(&sql, params![reference], read_case)
            .optional()?)
    }

    /// The case with this id.
    pub fn case(&self, id: i64) -> Result<Option<Case>> {
        let sql = format!("SELECT {} FROM cases WHERE id = ?1", columns());
        Ok(self
            .conn()
            .query_row(&sql, params![id], read_case)
            .optional()?)
    }
}

/// The details of a case its form edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseDetails {
    pub reference: String,
    pub kind: ReviewKind,
    pub title: String,
    pub partnership: String,
    pub marking: String,
    /// The handling sentence ("" for the default).
    pub handling: String,
    pub chair: String,
    pub overview_author: String,
    pub coordinator: String,
    /// The logins of the chair, overview author and coordinator ("" when none).
    pub chair_login: String,
    pub overview_author_login: String,
    pub coordinator_login: String,
    pub date_of_death: Option<NaiveDate>,
    pub notified_on: Option<NaiveDate>,
    /// Used only by [`CaseDetails::new_case`]: `save_case_details` leaves the decision
    /// alone, which its own form (`v`, `Store::save_decision`) edits.
    pub decision_on: Option<NaiveDate>,
    pub home_office_notified_on: Option<NaiveDate>,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
}

impl CaseDetails {
    /// A new case with these details, at the first stage.
    pub fn new_case(&self) -> Case {
        let mut case = Case::new(&self.reference, self.kind, &self.title);
        case.partnership = self.partnership.clone();
        case.marking = self.marking.clone();
        case.handling = self.handling.clone();
        case.chair = self.chair.clone();
        case.overview_author = self.overview_author.clone();
        case.coordinator = self.coordinator.clone();
        case.chair_login = self.chair_login.clone();
        case.overview_author_login = self.overview_author_login.clone();
        case.coordinator_login = self.coordinator_login.clone();
        case.date_of_death = self.date_of_death;
        case.notified_on = self.notified_on;
        case.decision_on = self.decision_on;
        case.home_office_notified_on = self.home_office_notified_on;
        case.period_from = self.period_from;
        case.period_to = self.period_to;
        case
    }
}

/// The date the overview report was completed (`d` in the case view). The QA rounds and
/// the publication checklist are records of their own (`store::qa`, `store::checklist`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaterDates {
    pub report_completed_on: Option<NaiveDate>,
}

/// What a stage move's rules read, as `conn` sees it: the live decision's outcome, the
/// open recommendations (live, neither complete nor closed) and whether a live contact
/// with the family shared the draft report.
fn stage_facts_in(conn: &rusqlite::Connection, case_id: i64) -> Result<StageFacts> {
    let decision: Option<String> = conn
        .query_row(
            "SELECT outcome FROM review_decisions WHERE case_id = ?1 AND deleted_at IS NULL
             ORDER BY id DESC LIMIT 1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?;
    let mut stmt = conn.prepare(
        "SELECT number, status FROM recommendations WHERE case_id = ?1 AND deleted_at IS NULL
         ORDER BY number, id",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut open = Vec::new();
    for row in rows {
        let (number, status) = row?;
        let status =
            RecommendationStatus::from_code(&status).unwrap_or(RecommendationStatus::NotStarted);
        if is_open(status) {
            open.push((number, status));
        }
    }
    let draft_shared: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM family_contacts WHERE case_id = ?1 AND deleted_at IS NULL
             AND shared_draft = 1)",
        [case_id],
        |r| r.get(0),
    )?;
    Ok(StageFacts {
        decision: decision.as_deref().and_then(DecisionOutcome::from_code),
        open_recommendations: open,
        draft_shared,
    })
}

impl Store {
    /// What the rules of a stage move read now (the move reads them again in its own
    /// transaction): for the stage form, which asks why the draft was not shared only
    /// when it was not.
    pub fn stage_facts(&self, case_id: i64) -> Result<StageFacts> {
        stage_facts_in(self.conn(), case_id)
    }
}

/// A case as it stands inside a transaction.
pub(super) fn case_in(w: &Writer<'_>, case_id: i64) -> Result<Case> {
    let sql = format!("SELECT {} FROM cases WHERE id = ?1", columns());
    w.tx()
        .query_row(&sql, [case_id], read_case)
        .optional()?
        .ok_or_else(|| StoreError::Rule(format!("case {case_id} does not exist")))
}

impl Store {
    /// Adds a case; its reference must be new.
    pub fn create_case(&mut self, case: &Case) -> Result<i64> {
        self.write(|w| w.insert_case(case))
    }

    /// Saves the details of a case; returns whether anything changed.
    pub fn save_case_details(&mut self, case_id: i64, d: &CaseDetails) -> Result<bool> {
        self.write(|w| {
            let changed = w.update(
                "cases",
                case_id,
                &[
                    ("reference", text(&d.reference)),
                    ("kind", text(d.kind.code())),
                    ("title", text(&d.title)),
                    ("partnership", text(&d.partnership)),
                    ("marking", text(&d.marking)),
                    ("handling", text(&d.handling)),
                    ("chair", text(&d.chair)),
                    ("overview_author", text(&d.overview_author)),
                    ("coordinator", text(&d.coordinator)),
                    ("chair_login", text(&d.chair_login)),
                    ("overview_author_login", text(&d.overview_author_login)),
                    ("coordinator_login", text(&d.coordinator_login)),
                    ("date_of_death", date(d.date_of_death)),
                    ("notified_on", date(d.notified_on)),
                    ("period_from", date(d.period_from)),
                    ("period_to", date(d.period_to)),
                ],
            )?;
            Ok(changed)
        })
    }

    /// Moves the review to another stage with the reason, checked against the case, its
    /// decision, its action plan and its family contacts as they stand in the
    /// transaction (`stage::plan_move`): reaching sign-off records `completed_on` (when no
    /// completion date is recorded yet), moving back before it clears the date; reaching
    /// sign-off when no contact shared the draft report with the family needs
    /// `draft_not_shared` (why), recorded with the reason.
    pub fn move_stage(
        &mut self,
        case_id: i64,
        to: Stage,
        reason: &str,
        completed_on: Option<NaiveDate>,
        draft_not_shared: &str,
    ) -> Result<()> {
        super::review::happened(
            "the overview report's completion",
            completed_on,
            self.clock().today(),
        )?;
        self.write(|w| {
            let case = case_in(w, case_id)?;
            let facts = stage_facts_in(w.tx(), case_id)?;
            let m = plan_move(&case, to, &facts).map_err(StoreError::Rule)?;
            if m.needs_draft_reason && draft_not_shared.trim().is_empty() {
                return Err(StoreError::Rule(
                    "no contact with the family records the draft report as shared: say why it \
                     was not shared to confirm the move"
                        .to_string(),
                ));
            }
            let why = if m.needs_draft_reason {
                draft_not_shared
            } else {
                ""
            };
            let reason = recorded_reason(reason, why);
            let mut fields = vec![("stage", text(to.code())), ("stage_reason", text(&reason))];
            if m.needs_completion_date {
                fields.push(("report_completed_on", date(completed_on)));
            }
            if m.clears_completion_date {
                fields.push(("report_completed_on", date(None)));
            }
            w.update("cases", case_id, &fields)?;
            Ok(())
        })
    }

    /// Pauses the review from `since`, with the reason, waiting for `proceeding` (one of
    /// the case's parallel proceedings) when one is named; refused while already paused.
    pub fn pause_review(
        &mut self,
        case_id: i64,
        proceeding: Option<i64>,
        reason: &str,
        since: Option<NaiveDate>,
    ) -> Result<()> {
        self.write(|w| w.open_pause(case_id, proceeding, since, reason).map(|_| ()))
    }

    /// Resumes a paused review on `on`, with the reason.
    pub fn resume_review(&mut self, case_id: i64, on: NaiveDate, reason: &str) -> Result<()> {
        self.write(|w| w.close_pause(case_id, on, reason))
    }

    /// Extends the completion date of the review, with the reason.
    pub fn extend_review(
        &mut self,
        case_id: i64,
        to: Option<NaiveDate>,
        reason: &str,
    ) -> Result<()> {
        self.write(|w| {
            // A new due date after a resumption lies after it: an "extension" to a day
            // the review was still paused would make it overdue at once.
            if let (Some(to), Some(resumed)) =
                (to, super::review::last_resumption_in(w.tx(), case_id)?)
                && to <= resumed
            {
                return Err(StoreError::Rule(format!(
                    "the new completion date {} is not after the review resumed on {}: give a \
                     date after it",
                    to.format("%d %b %Y"),
                    resumed.format("%d %b %Y")
                )));
            }
            w.update(
                "cases",
                case_id,
                &[
                    ("extended_to", date(to)),
                    ("extension_reason", text(reason)),
                ],
            )?;
            Ok(())
        })
    }

    /// Saves the date the overview report was completed.
    pub fn save_later_dates(&mut self, case_id: i64, d: &LaterDates) -> Result<()> {
        super::review::happened(
            "the overview report's completion",
            d.report_completed_on,
            self.clock().today(),
        )?;
        self.write(|w| {
            w.update(
                "cases",
                case_id,
                &[("report_completed_on", date(d.report_completed_on))],
            )?;
            Ok(())
        })
    }

    /// Adds a subject to the pseudonym register.
    pub fn add_subject(&mut self, s: &Subject) -> Result<i64> {
        self.write(|w| w.insert_subject(s))
    }

    /// Saves an edited subject of the register; returns whether anything changed.
    pub fn edit_subject(&mut self, s: &Subject) -> Result<bool> {
        self.write(|w| {
            w.update(
                "subjects",
                s.id,
                &[
                    ("role", text(s.role.code())),
                    ("pseudonym", text(&s.pseudonym)),
                    ("real_names", text(&s.real_names)),
                    ("relationship", text(&s.relationship)),
                    ("notes", text(&s.notes)),
                ],
            )
        })
    }
}

/// The name of the person on case `case_id` who uses `login`: the chair, the overview
/// author, the coordinator, then the panel members, the first whose login it is (letter
/// case and spaces around ignored). `None` when no one on the case carries it.
fn person_for_login_in(
    conn: &rusqlite::Connection,
    case_id: i64,
    login: &str,
) -> rusqlite::Result<Option<String>> {
    let login = login.trim();
    if login.is_empty() {
        return Ok(None);
    }
    let case: Option<[String; 6]> = conn
        .query_row(
            "SELECT chair, chair_login, overview_author, overview_author_login, coordinator, coordinator_login
             FROM cases WHERE id = ?1",
            [case_id],
            |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?]),
        )
        .optional()?;
    if let Some(
        [
            chair,
            chair_login,
            author,
            author_login,
            coordinator,
            coordinator_login,
        ],
    ) = case
    {
        for (name, theirs) in [
            (chair, chair_login),
            (author, author_login),
            (coordinator, coordinator_login),
        ] {
            if !name.trim().is_empty() && theirs.trim().eq_ignore_ascii_case(login) {
                return Ok(Some(name.trim().to_string()));
            }
        }
    }
    conn.query_row(
        "SELECT m.name FROM panel_members m JOIN agencies a ON a.id = m.agency_id
         WHERE a.case_id = ?1 AND m.deleted_at IS NULL AND a.deleted_at IS NULL
           AND trim(m.name) <> '' AND lower(trim(m.login)) = lower(?2)
         ORDER BY m.id LIMIT 1",
        params![case_id, login],
        |r| r.get::<_, String>(0),
    )
    .optional()
    .map(|name| name.map(|n| n.trim().to_string()))
}

impl Writer<'_> {
    /// [`Store::person_for_login`] as the case stands in this transaction.
    pub fn person_for_login(&self, case_id: i64, login: &str) -> Result<Option<String>> {
        Ok(person_for_login_in(self.tx(), case_id, login)?)
    }
}

impl Store {
    /// The name of the person on the case who uses `login` (chair, overview author,
    /// coordinator or panel member), or `None` when no one on the case carries it.
    pub fn person_for_login(&self, case_id: i64, login: &str) -> Result<Option<String>> {
        Ok(person_for_login_in(self.conn(), case_id, login)?)
    }

    /// How a login is shown as the one who recorded something on case `case_id`: the
    /// name of the person linked to it, else the login itself.
    pub fn shown_login(&self, case_id: i64, login: &str) -> Result<String> {
        Ok(self
            .person_for_login(case_id, login)?
            .unwrap_or_else(|| login.trim().to_string()))
    }
}
