//! The Home Office QA rounds (issue 17, item 5): each submission of the overview report
//! is a round of its own, numbered inside the write; a resubmission is a new round and
//! never overwrites the one before, so the history is kept. Each round's letter raises
//! points, each with the panel's response and its status.
//!
//! Rules inside the write: a new round only once the round before has its outcome; a
//! round followed by another keeps its outcome; a letter is not dated before its
//! submission; points are numbered within their round.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::review::{latest_round_in, read_round, rows_of};
use super::values::{date, opt_text, read_code, text};
use super::{Result, Store, StoreError, Writer};
use crate::domain::model::QaOutcome;
use crate::domain::review::{QaPoint, QaPointStatus, QaRound};

/// What the form of a round saves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundInput {
    pub submitted_on: Option<NaiveDate>,
    pub report_version: String,
    /// `None` until the panel's letter.
    pub outcome: Option<QaOutcome>,
    pub letter_on: Option<NaiveDate>,
    pub notes: String,
}

/// What the form of a point saves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PointInput {
    pub point: String,
    pub response: String,
    pub status: QaPointStatus,
}

fn read_point(row: &rusqlite::Row<'_>) -> rusqlite::Result<QaPoint> {
    Ok(QaPoint {
        id: row.get("id")?,
        case_id: row.get("case_id")?,
        round_id: row.get("round_id")?,
        number: row.get("number")?,
        point: row.get("point")?,
        response: row.get("response")?,
        status: read_code(row, "status", QaPointStatus::from_code, QaPointStatus::Open)?,
    })
}

fn round_in(conn: &rusqlite::Connection, round_id: i64) -> Result<QaRound> {
    conn.query_row(
        "SELECT * FROM qa_rounds WHERE id = ?1 AND deleted_at IS NULL",
        [round_id],
        read_round,
    )
    .optional()?
    .ok_or_else(|| {
        StoreError::Rule(format!(
            "QA round {round_id} is not recorded (withdrawn?): press h again to see the rounds"
        ))
    })
}

fn day(d: NaiveDate) -> String {
    d.format("%d %b %Y").to_string()
}

/// Neither the submission nor the letter is dated after `today`: they are things that
/// happened.
fn not_after_today(r: &RoundInput, today: NaiveDate) -> Result<()> {
    for (what, on) in [("submission", r.submitted_on), ("letter", r.letter_on)] {
        if let Some(on) = on
            && on > today
        {
            return Err(StoreError::Rule(format!(
                "the {what} is dated {}, after today ({}): record it once it has happened",
                day(on),
                day(today)
            )));
        }
    }
    Ok(())
}

/// The letter is not dated before the submission it answers.
fn check_dates(r: &RoundInput) -> Result<()> {
    if let (Some(sent), Some(letter)) = (r.submitted_on, r.letter_on)
        && letter < sent
    {
        return Err(StoreError::Rule(format!(
            "the Home Office's letter of {} cannot answer a submission of {}: check the dates",
            day(letter),
            day(sent)
        )));
    }
    Ok(())
}

fn round_fields(r: &RoundInput) -> Vec<(&'static str, rusqlite::types::Value)> {
    vec![
        ("submitted_on", date(r.submitted_on)),
        ("report_version", text(r.report_version.trim())),
        ("outcome", opt_text(r.outcome.map(QaOutcome::code))),
        ("letter_on", date(r.letter_on)),
        ("notes", text(r.notes.trim())),
    ]
}

impl Writer<'_> {
    /// A new round of the case (the next number), refused while the latest round has no
    /// outcome. Returns the new round's number.
    pub fn submit_qa_round(&mut self, case_id: i64, r: &RoundInput) -> Result<i64> {
        check_dates(r)?;
        let number = match latest_round_in(self.tx(), case_id)? {
            Some(last) if last.outcome.is_none() => {
                let sent = last
                    .submitted_on
                    .map(|d| format!(" (submitted {})", day(d)))
                    .unwrap_or_default();
                return Err(StoreError::Rule(format!(
                    "round {}{sent} has no outcome yet: record the Home Office's letter on it (h, round {}, edit this round) before submitting again",
                    last.number, last.number
                )));
            }
            Some(last) => {
                if let (Some(letter), Some(sent)) = (last.letter_on, r.submitted_on)
                    && sent < letter
                {
                    return Err(StoreError::Rule(format!(
                        "a resubmission on {} would come before the letter of {} on round {}: check the date",
                        day(sent),
                        day(letter),
                        last.number
                    )));
                }
                last.number + 1
            }
            None => 1,
        };
        let mut fields = vec![("case_id", case_id.into()), ("number", number.into())];
        fields.extend(round_fields(r));
        self.insert("qa_rounds", &fields)?;
        Ok(number)
    }

    /// A point the round's letter raises, numbered within the round inside the write
    /// (`Store::add_qa_point`, and the demo). Returns its number.
    pub fn add_qa_point(&mut self, round_id: i64, p: &PointInput) -> Result<i64> {
        let round = round_in(self.tx(), round_id)?;
        let number: i64 = self.tx().query_row(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM qa_points
             WHERE round_id = ?1 AND deleted_at IS NULL",
            [round_id],
            |row| row.get(0),
        )?;
        self.insert(
            "qa_points",
            &[
                ("case_id", round.case_id.into()),
                ("round_id", round_id.into()),
                ("number", number.into()),
                ("point", text(p.point.trim())),
                ("response", text(p.response.trim())),
                ("status", text(p.status.code())),
            ],
        )?;
        Ok(number)
    }
}

impl Store {
    /// The points of every QA round of the case, by round then number.
    pub fn qa_points(&self, case_id: i64) -> Result<Vec<QaPoint>> {
        rows_of(
            self.conn(),
            "qa_points",
            case_id,
            "round_id, number, id",
            read_point,
        )
    }

    /// Submits the report to the Home Office QA panel again (or the first time): a new
    /// round, numbered here. Returns its number.
    pub fn submit_qa_round(&mut self, case_id: i64, r: &RoundInput) -> Result<i64> {
        not_after_today(r, self.clock().today())?;
        self.write(|w| w.submit_qa_round(case_id, r))
    }

    /// Saves an edited round; a round followed by another keeps its outcome. Returns
    /// whether anything changed.
    pub fn edit_qa_round(&mut self, round_id: i64, r: &RoundInput) -> Result<bool> {
        check_dates(r)?;
        not_after_today(r, self.clock().today())?;
        self.write(|w| {
            let round = round_in(w.tx(), round_id)?;
            // The rounds stay in order: after the letter on the round before, and with
            // its own letter before the next round's submission.
            let neighbour = |sql: &str| -> Result<Option<NaiveDate>> {
                let on: Option<Option<String>> = w
                    .tx()
                    .query_row(sql, params![round.case_id, round.number], |row| row.get(0))
                    .optional()?;
                Ok(on
                    .flatten()
                    .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()))
            };
            let before = neighbour(
                "SELECT letter_on FROM qa_rounds WHERE case_id = ?1 AND deleted_at IS NULL
                 AND number < ?2 ORDER BY number DESC LIMIT 1",
            )?;
            let after = neighbour(
                "SELECT submitted_on FROM qa_rounds WHERE case_id = ?1 AND deleted_at IS NULL
                 AND number > ?2 ORDER BY number LIMIT 1",
            )?;
            if let (Some(letter), Some(sent)) = (before, r.submitted_on)
                && sent < letter
            {
                return Err(StoreError::Rule(format!(
                    "round {} cannot be submitted on {}, before the letter of {} on the round before: check the date",
                    round.number,
                    day(sent),
                    day(letter)
                )));
            }
            for own in [r.submitted_on, r.letter_on].into_iter().flatten() {
                if let Some(next) = after
                    && own > next
                {
                    return Err(StoreError::Rule(format!(
                        "round {} cannot be dated {}, after the next round was submitted on {}: check the date",
                        round.number,
                        day(own),
                        day(next)
                    )));
                }
            }
            let later: Option<i64> = w
                .tx()
                .query_row(
                    "SELECT number FROM qa_rounds WHERE case_id = ?1 AND deleted_at IS NULL
                     AND number > ?2 ORDER BY number LIMIT 1",
                    params![round.case_id, round.number],
                    |row| row.get(0),
                )
                .optional()?;
            if let Some(next) = later
                && r.outcome.is_none()
            {
                return Err(StoreError::Rule(format!(
                    "round {} was followed by round {next}: its outcome stays recorded",
                    round.number
                )));
            }
            w.update("qa_rounds", round_id, &round_fields(r))
        })
    }

    /// Adds a point the round's letter raises (numbered within the round). Returns its
    /// number.
    pub fn add_qa_point(&mut self, round_id: i64, p: &PointInput) -> Result<i64> {
        if p.point.trim().is_empty() {
            return Err(StoreError::Rule(
                "a point needs its text: write what the letter raises".into(),
            ));
        }
        self.write(|w| w.add_qa_point(round_id, p))
    }

    /// Saves an edited point. Returns whether anything changed.
    pub fn edit_qa_point(&mut self, point_id: i64, p: &PointInput) -> Result<bool> {
        if p.point.trim().is_empty() {
            return Err(StoreError::Rule(
                "a point needs its text: write what the letter raises".into(),
            ));
        }
        self.write(|w| {
            w.update(
                "qa_points",
                point_id,
                &[
                    ("point", text(p.point.trim())),
                    ("response", text(p.response.trim())),
                    ("status", text(p.status.code())),
                ],
            )
        })
    }
}
