//! The panel's logs: challenges, decisions, meeting actions and the SMART action plan;
//! where a challenge or decision came from (the meeting and the line of its minutes that
//! created it), and the chair's changes to them. Approval of those minutes locks the text
//! of the record (a challenge's question, a decision's text); a challenge's response,
//! status and due date, and a decision's rationale, stay editable after approval (only what the minutes say is locked).

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};

use super::terms::TermLinks;
use super::values::{date, id, read_code, read_date, text};
use super::{Result, Store, StoreError, Writer};
use crate::domain::challenge::{check_move, status_after_response};
use crate::domain::model::{
    Action, ActionStatus, Challenge, ChallengeStatus, ClosedReason, Decision, MeetingStatus,
    Recommendation, RecommendationScope, RecommendationStatus,
};

pub use crate::domain::model::Logged;

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
        self.link_terms(TermLinks::Challenges, challenge_id, term_ids)?;
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
        self.link_terms(TermLinks::Decisions, decision_id, term_ids)?;
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
        let mut fields = vec![("case_id", r.case_id.into())];
        fields.extend(super::plan::recommendation_fields(r));
        self.insert("recommendations", &fields)
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
                closed_reason: ClosedReason::from_code(&r.get::<_, String>("closed_reason")?),
                addressee: r.get("addressee")?,
                sent_on: read_date(r, "sent_on")?,
                response: r.get("response")?,
                response_on: read_date(r, "response_on")?,
            };
            logged(r, rec)
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// The logs whose records a line of the minutes can create, with their tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogTable {
    Challenges,
    Decisions,
}

impl LogTable {
    /// The table of the records, as minutes name it in `record_table`.
    pub fn table(self) -> &'static str {
        match self {
            LogTable::Challenges => "challenges",
            LogTable::Decisions => "decisions",
        }
    }

    fn terms_table(self) -> (&'static str, &'static str) {
        match self {
            LogTable::Challenges => TermLinks::Challenges,
            LogTable::Decisions => TermLinks::Decisions,
        }
        .table_and_column()
    }

    fn one(self) -> &'static str {
        match self {
            LogTable::Challenges => "challenge",
            LogTable::Decisions => "decision",
        }
    }
}

/// The line of the minutes that created a record.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceMinute {
    /// The agenda item's position (its number) and title.
    pub item_number: i64,
    pub item_title: String,
    /// When it was minuted (UTC, RFC 3339).
    pub minuted_at: String,
    pub text: String,
}

/// Where a challenge or decision came from: its meeting and, when a line of the minutes
/// created it, that line.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordSource {
    pub meeting_number: i64,
    pub meeting_date: Option<NaiveDate>,
    pub meeting_status: MeetingStatus,
    pub minute: Option<SourceMinute>,
}

impl RecordSource {
    /// Whether the minutes it came from are approved, which locks the record's text.
    pub fn locked(&self) -> bool {
        self.meeting_status == MeetingStatus::Approved
    }
}

/// Reads where a record came from: the first live minute that created it, else the
/// meeting the record names. `None` for a record from no meeting, or one withdrawn.
fn source_of(conn: &Connection, log: LogTable, record_id: i64) -> Result<Option<RecordSource>> {
    let minute: Option<(i64, SourceMinute)> = conn
        .query_row(
            "SELECT m.meeting_id, m.minuted_at, m.body, ai.position, ai.title
             FROM minutes m JOIN agenda_items ai ON ai.id = m.agenda_item_id
             WHERE m.record_table = ?1 AND m.record_id = ?2 AND m.deleted_at IS NULL
             ORDER BY m.id LIMIT 1",
            rusqlite::params![log.table(), record_id],
            |r| {
                Ok((
                    r.get(0)?,
                    SourceMinute {
                        minuted_at: r.get(1)?,
                        text: r.get(2)?,
                        item_number: r.get(3)?,
                        item_title: r.get(4)?,
                    },
                ))
            },
        )
        .optional()?;
    let meeting_id = match &minute {
        Some((meeting_id, _)) => Some(*meeting_id),
        None => {
            // The table name comes from `LogTable`, never from input.
            let sql = format!(
                "SELECT meeting_id FROM {} WHERE id = ?1 AND deleted_at IS NULL",
                log.table()
            );
            conn.query_row(&sql, [record_id], |r| r.get::<_, Option<i64>>(0))
                .optional()?
                .flatten()
        }
    };
    let Some(meeting_id) = meeting_id else {
        return Ok(None);
    };
    let meeting = conn
        .query_row(
            "SELECT number, date, status FROM meetings WHERE id = ?1",
            [meeting_id],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    read_date(r, "date")?,
                    read_code(
                        r,
                        "status",
                        MeetingStatus::from_code,
                        MeetingStatus::Planned,
                    )?,
                ))
            },
        )
        .optional()?;
    Ok(meeting.map(|(number, day, status)| RecordSource {
        meeting_number: number,
        meeting_date: day,
        meeting_status: status,
        minute: minute.map(|(_, m)| m),
    }))
}

/// The ids of the terms of reference a record is linked to, in the order linked.
fn term_ids(conn: &Connection, log: LogTable, record_id: i64) -> Result<Vec<i64>> {
    let (table, column) = log.terms_table();
    // Table and column come from `LogTable`, never from input.
    let sql = format!(
        "SELECT term_id FROM {table} WHERE {column} = ?1 AND deleted_at IS NULL ORDER BY id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([record_id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
}

/// The refusal for a change of locked text, naming the meeting and what to do instead.
fn locked_text(log: LogTable, source: &RecordSource, what: &str, still: &str) -> StoreError {
    let n = source.meeting_number;
    StoreError::Rule(format!(
        "the {} of this {} is locked: the minutes of meeting {n} that recorded it are approved; \
         record an amendment at a later meeting (/amend {n}: …). {still}",
        what,
        log.one()
    ))
}

/// A challenge's status and response as they stand in this transaction.
fn challenge_now(conn: &Connection, challenge_id: i64) -> Result<(ChallengeStatus, String)> {
    conn.query_row(
        "SELECT status, response FROM challenges WHERE id = ?1 AND deleted_at IS NULL",
        [challenge_id],
        |r| {
            Ok((
                read_code(
                    r,
                    "status",
                    ChallengeStatus::from_code,
                    ChallengeStatus::Open,
                )?,
                r.get::<_, String>("response")?,
            ))
        },
    )
    .optional()?
    .ok_or_else(|| {
        StoreError::Rule(format!(
            "challenge {challenge_id} no longer exists: it may have been withdrawn"
        ))
    })
}

impl Writer<'_> {
    /// Records the agency's response to a challenge and the day it came: an open
    /// challenge becomes answered. Allowed whatever the state of the minutes that raised
    /// it. Returns the status before and after.
    pub fn record_challenge_response(
        &mut self,
        challenge_id: i64,
        response: &str,
        response_on: NaiveDate,
    ) -> Result<(ChallengeStatus, ChallengeStatus)> {
        if response.trim().is_empty() {
            return Err(StoreError::Rule(
                "the response is empty: write what the agency answered".into(),
            ));
        }
        let (before, _) = challenge_now(self.tx(), challenge_id)?;
        let after = status_after_response(before);
        self.update(
            "challenges",
            challenge_id,
            &[
                ("response", text(response)),
                ("response_on", date(Some(response_on))),
                ("status", text(after.code())),
            ],
        )?;
        Ok((before, after))
    }

    /// Moves a challenge's status along its lifecycle; an illegal move is refused with
    /// the reason and nothing is written. Returns the status it had.
    pub fn set_challenge_status(
        &mut self,
        challenge_id: i64,
        to: ChallengeStatus,
    ) -> Result<ChallengeStatus> {
        let (from, response) = challenge_now(self.tx(), challenge_id)?;
        check_move(from, to, !response.trim().is_empty()).map_err(StoreError::Rule)?;
        self.update("challenges", challenge_id, &[("status", text(to.code()))])?;
        Ok(from)
    }

    /// Sets (or, with `None`, clears) the day a challenge's response is due; returns
    /// whether it changed.
    pub fn set_challenge_due(&mut self, challenge_id: i64, due: Option<NaiveDate>) -> Result<bool> {
        challenge_now(self.tx(), challenge_id)?;
        self.update("challenges", challenge_id, &[("response_due", date(due))])
    }

    /// Changes a challenge's question, refused once the minutes that raised it are
    /// approved; returns whether it changed.
    pub fn set_challenge_question(&mut self, challenge_id: i64, question: &str) -> Result<bool> {
        if question.trim().is_empty() {
            return Err(StoreError::Rule(
                "the question is empty: write what the panel asks the agency".into(),
            ));
        }
        challenge_now(self.tx(), challenge_id)?;
        if let Some(source) = source_of(self.tx(), LogTable::Challenges, challenge_id)?
            && source.locked()
        {
            let stored: Option<String> = self
                .tx()
                .query_row(
                    "SELECT question FROM challenges WHERE id = ?1",
                    [challenge_id],
                    |r| r.get(0),
                )
                .optional()?;
            if stored.as_deref() != Some(question) {
                return Err(locked_text(
                    LogTable::Challenges,
                    &source,
                    "question",
                    "Its response, status and due date stay editable.",
                ));
            }
        }
        self.update("challenges", challenge_id, &[("question", text(question))])
    }

    /// Changes a decision's text and rationale. The text is refused (and nothing is
    /// written) once the minutes that recorded it are approved; the rationale stays
    /// editable. Returns whether anything changed.
    pub fn edit_decision(&mut self, decision_id: i64, body: &str, rationale: &str) -> Result<bool> {
        let stored: Option<String> = self
            .tx()
            .query_row(
                "SELECT body FROM decisions WHERE id = ?1 AND deleted_at IS NULL",
                [decision_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(stored) = stored else {
            return Err(StoreError::Rule(format!(
                "decision {decision_id} no longer exists: it may have been withdrawn"
            )));
        };
        if stored != body {
            if body.trim().is_empty() {
                return Err(StoreError::Rule(
                    "the decision's text is empty: write what the panel decided".into(),
                ));
            }
            if let Some(source) = source_of(self.tx(), LogTable::Decisions, decision_id)?
                && source.locked()
            {
                return Err(locked_text(
                    LogTable::Decisions,
                    &source,
                    "text",
                    "Its rationale can still be edited.",
                ));
            }
        }
        self.update(
            "decisions",
            decision_id,
            &[("body", text(body)), ("rationale", text(rationale))],
        )
    }
}

impl Store {
    /// Where a challenge or decision came from: its meeting, and the line of the minutes
    /// that created it.
    pub fn record_source(&self, log: LogTable, record_id: i64) -> Result<Option<RecordSource>> {
        source_of(self.conn(), log, record_id)
    }

    /// The ids of the terms of reference a challenge or decision is linked to.
    pub fn record_term_ids(&self, log: LogTable, record_id: i64) -> Result<Vec<i64>> {
        term_ids(self.conn(), log, record_id)
    }
}

impl Store {
    /// Records the agency's response to a challenge; returns the status before and after.
    pub fn record_challenge_response(
        &mut self,
        challenge_id: i64,
        response: &str,
        response_on: NaiveDate,
    ) -> Result<(ChallengeStatus, ChallengeStatus)> {
        self.write(|w| w.record_challenge_response(challenge_id, response, response_on))
    }

    /// Moves a challenge's status along its lifecycle; returns the status it had.
    pub fn set_challenge_status(
        &mut self,
        challenge_id: i64,
        to: ChallengeStatus,
    ) -> Result<ChallengeStatus> {
        self.write(|w| w.set_challenge_status(challenge_id, to))
    }

    /// Sets or clears the day a challenge's response is due.
    pub fn set_challenge_due(&mut self, challenge_id: i64, due: Option<NaiveDate>) -> Result<bool> {
        self.write(|w| w.set_challenge_due(challenge_id, due))
    }

    /// Changes a challenge's question, refused once the minutes that raised it are approved.
    pub fn set_challenge_question(&mut self, challenge_id: i64, question: &str) -> Result<bool> {
        self.write(|w| w.set_challenge_question(challenge_id, question))
    }

    /// Changes a decision's text (refused once its minutes are approved) and rationale.
    pub fn edit_decision(&mut self, decision_id: i64, body: &str, rationale: &str) -> Result<bool> {
        self.write(|w| w.edit_decision(decision_id, body, rationale))
    }
}
