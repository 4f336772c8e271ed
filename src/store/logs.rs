//! The panel's logs: challenges, decisions, meeting actions and the SMART action plan.

use super::values::{date, id, read_code, read_date, text};
use super::{Result, Store, Writer};
use crate::domain::model::{
    Action, ActionStatus, Challenge, ChallengeStatus, Decision, Recommendation,
    RecommendationScope, RecommendationStatus,
};

/// A log record with the names a list shows beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Logged<T> {
    pub record: T,
    /// The short code of the agency, or "" when none.
    pub agency_code: String,
    /// The number of the meeting it came from, when it came from one.
    pub meeting_number: Option<i64>,
}

fn logged<T>(row: &rusqlite::Row<'_>, record: T) -> rusqlite::Result<Logged<T>> {
    Ok(Logged {
        record,
        agency_code: row
            .get::<_, Option<String>>("agency_code")?
            .unwrap_or_default(),
        meeting_number: row.get("meeting_number")?,
    })
}

impl Writer<'_> {
    pub fn insert_challenge(&mut self, c: &Challenge, term_ids: &[i64]) -> Result<i64> {
        let challenge_id = self.insert(
            "challenges",
            &[
                ("case_id", c.case_id.into()),
                ("agency_id", id(c.agency_id)),
                ("question", text(&c.question)),
                ("meeting_id", id(c.meeting_id)),
                ("raised_by", text(&c.raised_by)),
                ("raised_on", date(c.raised_on)),
                ("response_due", date(c.response_due)),
                ("response", text(&c.response)),
                ("response_on", date(c.response_on)),
                ("status", text(c.status.code())),
            ],
        )?;
        for term_id in term_ids {
            self.insert(
                "challenge_terms",
                &[
                    ("challenge_id", challenge_id.into()),
                    ("term_id", (*term_id).into()),
                ],
            )?;
        }
        Ok(challenge_id)
    }

    pub fn insert_decision(&mut self, d: &Decision, term_ids: &[i64]) -> Result<i64> {
        let decision_id = self.insert(
            "decisions",
            &[
                ("case_id", d.case_id.into()),
                ("meeting_id", id(d.meeting_id)),
                ("body", text(&d.text)),
                ("rationale", text(&d.rationale)),
                ("decided_by", text(&d.decided_by)),
                ("decided_on", date(d.decided_on)),
            ],
        )?;
        for term_id in term_ids {
            self.insert(
                "decision_terms",
                &[
                    ("decision_id", decision_id.into()),
                    ("term_id", (*term_id).into()),
                ],
            )?;
        }
        Ok(decision_id)
    }

    pub fn insert_action(&mut self, a: &Action) -> Result<i64> {
        self.insert(
            "actions",
            &[
                ("case_id", a.case_id.into()),
                ("body", text(&a.text)),
                ("owner", text(&a.owner)),
                ("agency_id", id(a.agency_id)),
                ("due_on", date(a.due_on)),
                ("status", text(a.status.code())),
                ("meeting_id", id(a.meeting_id)),
                ("closed_meeting_id", id(a.closed_meeting_id)),
            ],
        )
    }

    pub fn insert_recommendation(&mut self, r: &Recommendation) -> Result<i64> {
        self.insert(
            "recommendations",
            &[
                ("case_id", r.case_id.into()),
                ("number", r.number.into()),
                ("recommendation", text(&r.recommendation)),
                ("scope", text(r.scope.code())),
                ("agency_id", id(r.agency_id)),
                ("action_to_take", text(&r.action_to_take)),
                ("lead_officer", text(&r.lead_officer)),
                ("milestones", text(&r.milestones)),
                ("target_on", date(r.target_on)),
                ("completed_on", date(r.completed_on)),
                ("outcome", text(&r.outcome)),
                ("status", text(r.status.code())),
            ],
        )
    }
}

/// Joins that give each log row its agency code and meeting number.
const JOINS: &str =
    "LEFT JOIN agencies a ON a.id = x.agency_id LEFT JOIN meetings m ON m.id = x.meeting_id";

impl Store {
    /// The challenge log, oldest first.
    pub fn challenges(&self, case_id: i64) -> Result<Vec<Logged<Challenge>>> {
        let sql = format!(
            "SELECT x.*, a.code AS agency_code, m.number AS meeting_number FROM challenges x {JOINS}
             WHERE x.case_id = ?1 AND x.deleted_at IS NULL ORDER BY x.raised_on, x.id"
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([case_id], |r| {
            let c = Challenge {
                id: r.get("id")?,
                case_id: r.get("case_id")?,
                agency_id: r.get("agency_id")?,
                question: r.get("question")?,
                meeting_id: r.get("meeting_id")?,
                raised_by: r.get("raised_by")?,
                raised_on: read_date(r, "raised_on")?,
                response_due: read_date(r, "response_due")?,
                response: r.get("response")?,
                response_on: read_date(r, "response_on")?,
                status: read_code(
                    r,
                    "status",
                    ChallengeStatus::from_code,
                    ChallengeStatus::Open,
                )?,
            };
            logged(r, c)
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The decision log, oldest first.
    pub fn decisions(&self, case_id: i64) -> Result<Vec<Logged<Decision>>> {
        let sql = "SELECT x.*, NULL AS agency_code, m.number AS meeting_number FROM decisions x
             LEFT JOIN meetings m ON m.id = x.meeting_id
             WHERE x.case_id = ?1 AND x.deleted_at IS NULL ORDER BY x.decided_on, x.id";
        let mut stmt = self.conn().prepare(sql)?;
        let rows = stmt.query_map([case_id], |r| {
            let d = Decision {
                id: r.get("id")?,
                case_id: r.get("case_id")?,
                meeting_id: r.get("meeting_id")?,
                text: r.get("body")?,
                rationale: r.get("rationale")?,
                decided_by: r.get("decided_by")?,
                decided_on: read_date(r, "decided_on")?,
            };
            logged(r, d)
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Meeting actions: open and carried forward first, then by due date.
    pub fn actions(&self, case_id: i64) -> Result<Vec<Logged<Action>>> {
        let sql = format!(
            "SELECT x.*, a.code AS agency_code, m.number AS meeting_number FROM actions x {JOINS}
             WHERE x.case_id = ?1 AND x.deleted_at IS NULL
             ORDER BY x.status = 'done', x.due_on IS NULL, x.due_on, x.id"
        );
        let mut stmt = self.conn().prepare(&sql)?;
        let rows = stmt.query_map([case_id], |r| {
            let a = Action {
                id: r.get("id")?,
                case_id: r.get("case_id")?,
                text: r.get("body")?,
                owner: r.get("owner")?,
                agency_id: r.get("agency_id")?,
                due_on: read_date(r, "due_on")?,
                status: read_code(r, "status", ActionStatus::from_code, ActionStatus::Open)?,
                meeting_id: r.get("meeting_id")?,
                closed_meeting_id: r.get("closed_meeting_id")?,
            };
            logged(r, a)
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The SMART action plan by number.
    pub fn recommendations(&self, case_id: i64) -> Result<Vec<Logged<Recommendation>>> {
        let sql = "SELECT x.*, a.code AS agency_code, NULL AS meeting_number FROM recommendations x
             LEFT JOIN agencies a ON a.id = x.agency_id
             WHERE x.case_id = ?1 AND x.deleted_at IS NULL ORDER BY x.number, x.id";
        let mut stmt = self.conn().prepare(sql)?;
        let rows = stmt.query_map([case_id], |r| {
            let rec = Recommendation {
                id: r.get("id")?,
                case_id: r.get("case_id")?,
                number: r.get("number")?,
                recommendation: r.get("recommendation")?,
                scope: read_code(
                    r,
                    "scope",
                    RecommendationScope::from_code,
                    RecommendationScope::Local,
                )?,
                agency_id: r.get("agency_id")?,
                action_to_take: r.get("action_to_take")?,
                lead_officer: r.get("lead_officer")?,
                milestones: r.get("milestones")?,
                target_on: read_date(r, "target_on")?,
                completed_on: read_date(r, "completed_on")?,
                outcome: r.get("outcome")?,
                status: read_code(
                    r,
                    "status",
                    RecommendationStatus::from_code,
                    RecommendationStatus::NotStarted,
                )?,
            };
            logged(r, rec)
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
