//! Cases: the reviews held in the database.

use rusqlite::{OptionalExtension, params};

use super::values::{date, flag, read_code, read_date, text};
use super::{Result, Store, StoreError, Writer};
use crate::domain::model::{Case, QaOutcome, ReviewKind, Stage};

const COLUMNS: &str = "id, reference, kind, title, partnership, marking, date_of_death, notified_on, decision_on,
    home_office_notified_on, chair, overview_author, period_from, period_to, stage, stage_reason, paused, paused_reason,
    paused_on, extended_to, extension_reason, report_completed_on, ho_submitted_on, qa_outcome, qa_outcome_on,
    published_on, commissioner_sent_on";

fn read_case(row: &rusqlite::Row<'_>) -> rusqlite::Result<Case> {
    let qa: Option<String> = row.get("qa_outcome")?;
    Ok(Case {
        id: row.get("id")?,
        reference: row.get("reference")?,
        kind: read_code(row, "kind", ReviewKind::from_code, ReviewKind::Dhr)?,
        title: row.get("title")?,
        partnership: row.get("partnership")?,
        marking: row.get("marking")?,
        date_of_death: read_date(row, "date_of_death")?,
        notified_on: read_date(row, "notified_on")?,
        decision_on: read_date(row, "decision_on")?,
        home_office_notified_on: read_date(row, "home_office_notified_on")?,
        chair: row.get("chair")?,
        overview_author: row.get("overview_author")?,
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
        self.insert(
            "cases",
            &[
                ("reference", text(&case.reference)),
                ("kind", text(case.kind.code())),
                ("title", text(&case.title)),
                ("partnership", text(&case.partnership)),
                ("marking", text(&case.marking)),
                ("date_of_death", date(case.date_of_death)),
                ("notified_on", date(case.notified_on)),
                ("decision_on", date(case.decision_on)),
                (
                    "home_office_notified_on",
                    date(case.home_office_notified_on),
                ),
                ("chair", text(&case.chair)),
                ("overview_author", text(&case.overview_author)),
                ("period_from", date(case.period_from)),
                ("period_to", date(case.period_to)),
                ("stage", text(case.stage.code())),
                ("stage_reason", text(&case.stage_reason)),
                ("paused", flag(case.paused)),
                ("paused_reason", text(&case.paused_reason)),
                ("paused_on", date(case.paused_on)),
                ("extended_to", date(case.extended_to)),
                ("extension_reason", text(&case.extension_reason)),
                ("report_completed_on", date(case.report_completed_on)),
                ("ho_submitted_on", date(case.ho_submitted_on)),
                (
                    "qa_outcome",
                    super::values::opt_text(case.qa_outcome.map(QaOutcome::code)),
                ),
                ("qa_outcome_on", date(case.qa_outcome_on)),
                ("published_on", date(case.published_on)),
                ("commissioner_sent_on", date(case.commissioner_sent_on)),
            ],
        )
    }
}

impl Store {
    /// Every case not withdrawn, by reference.
    pub fn cases(&self) -> Result<Vec<Case>> {
        let sql =
            format!("SELECT {COLUMNS} FROM cases WHERE deleted_at IS NULL ORDER BY reference");
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([], read_case)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The case with this reference (any letter case), if there is one.
    pub fn case_by_reference(&self, reference: &str) -> Result<Option<Case>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM cases WHERE deleted_at IS NULL AND reference = ?1 COLLATE NOCASE"
        );
        Ok(self
            .conn()
            .query_row(&sql, params![reference], read_case)
            .optional()?)
    }

    /// The case with this id.
    pub fn case(&self, id: i64) -> Result<Option<Case>> {
        let sql = format!("SELECT {COLUMNS} FROM cases WHERE id = ?1");
        Ok(self
            .conn()
            .query_row(&sql, params![id], read_case)
            .optional()?)
    }
}
