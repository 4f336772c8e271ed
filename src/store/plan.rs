//! Changes to the SMART action plan and to meeting actions' status. Each is one
//! transaction whose audit rows the [`Writer`] adds; numbers stay unique within a case,
//! and a status change applies the completion-date rule to what is stored at that moment.

use chrono::NaiveDate;
use rusqlite::OptionalExtension;

use super::values::{date, id, text};
use super::{Result, Store, StoreError, Writer};
use crate::domain::model::{ActionStatus, ClosedReason, Recommendation, RecommendationStatus};
use crate::domain::plan::{check_closure, check_sending, completion_date, next_number};

/// The numbers of a case's live recommendations, other than `except`.
/// The columns of a recommendation that its insert and its edit both write.
pub(super) fn recommendation_fields(
    r: &Recommendation,
) -> Vec<(&'static str, rusqlite::types::Value)> {
    vec![
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
        (
            "closed_reason",
            text(r.closed_reason.map_or("", ClosedReason::code)),
        ),
        ("addressee", text(&r.addressee)),
        ("sent_on", date(r.sent_on)),
        ("response", text(&r.response)),
        ("response_on", date(r.response_on)),
    ]
}

/// The rules a recommendation's own fields must keep, checked inside its write: a
/// closed one says why (a reason on another status is dropped), and a national or
/// regional one sent names its addressee.
fn checked(r: &Recommendation) -> Result<Recommendation> {
    check_closure(r.status, r.closed_reason).map_err(StoreError::Rule)?;
    check_sending(r).map_err(StoreError::Rule)?;
    let mut r = r.clone();
    if r.status != RecommendationStatus::Closed {
        r.closed_reason = None;
    }
    Ok(r)
}

fn numbers_in_use(
    conn: &rusqlite::Connection,
    case_id: i64,
    except: Option<i64>,
) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare(
        "SELECT number FROM recommendations
         WHERE case_id = ?1 AND deleted_at IS NULL AND id IS NOT ?2",
    )?;
    let rows = stmt.query_map(rusqlite::params![case_id, except], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
}

impl Writer<'_> {
    /// Refuses a number that another live recommendation of the case already has.
    fn check_number_free(&self, case_id: i64, number: i64, except: Option<i64>) -> Result<()> {
        if number < 1 {
            return Err(StoreError::Rule(format!(
                "{number} is not a recommendation number: numbers start at 1"
            )));
        }
        let used = numbers_in_use(self.tx(), case_id, except)?;
        if used.contains(&number) {
            return Err(StoreError::Rule(format!(
                "recommendation {number} already exists in this case: give another number, \
                 or leave the number empty for the next one ({})",
                next_number(used)
            )));
        }
        Ok(())
    }

    /// Adds a recommendation to the plan as number `number`, or as the next number when
    /// `None`; returns its id and number.
    pub fn add_recommendation(
        &mut self,
        r: &Recommendation,
        number: Option<i64>,
    ) -> Result<(i64, i64)> {
        let number = match number {
            Some(n) => {
                self.check_number_free(r.case_id, n, None)?;
                n
            }
            None => next_number(numbers_in_use(self.tx(), r.case_id, None)?),
        };
        let id = self.insert_recommendation(&checked(&Recommendation {
            number,
            ..r.clone()
        })?)?;
        Ok((id, number))
    }

    /// Saves every field of a recommendation; returns whether anything changed.
    pub fn update_recommendation(&mut self, r: &Recommendation) -> Result<bool> {
        self.check_number_free(r.case_id, r.number, Some(r.id))?;
        let r = checked(r)?;
        self.update("recommendations", r.id, &recommendation_fields(&r))
    }

    /// Sets a recommendation's status: complete records `completed` (else the stored
    /// completion date, else `today`); any other status clears the completion date.
    /// Returns the completion date now stored.
    pub fn set_recommendation_status(
        &mut self,
        recommendation_id: i64,
        status: RecommendationStatus,
        completed: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Option<NaiveDate>> {
        if status == RecommendationStatus::Closed {
            return Err(StoreError::Rule(
                "a recommendation is closed with its reason: superseded, not accepted by its \
                 addressee, or merged (close_recommendation)"
                    .to_string(),
            ));
        }
        let stored: Option<Option<String>> = self
            .tx()
            .query_row(
                "SELECT completed_on FROM recommendations WHERE id = ?1 AND deleted_at IS NULL",
                [recommendation_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(stored) = stored else {
            return Err(StoreError::Rule(format!(
                "recommendation {recommendation_id} no longer exists: it may have been withdrawn"
            )));
        };
        let stored = stored.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok());
        // Only a newly chosen day counts as typed: completing again keeps the stored one.
        let completed_on =
            completion_date(status, completed, stored, today).map_err(StoreError::Rule)?;
        self.update(
            "recommendations",
            recommendation_id,
            &[
                ("status", text(status.code())),
                ("completed_on", date(completed_on)),
                ("closed_reason", text("")),
            ],
        )?;
        Ok(completed_on)
    }

    /// Closes a recommendation other than by completion, with why (and what was done, in
    /// its outcome); a closed one has no completion date. Returns whether it changed.
    pub fn close_recommendation(
        &mut self,
        recommendation_id: i64,
        reason: ClosedReason,
        outcome: &str,
    ) -> Result<bool> {
        let live: Option<i64> = self
            .tx()
            .query_row(
                "SELECT id FROM recommendations WHERE id = ?1 AND deleted_at IS NULL",
                [recommendation_id],
                |r| r.get(0),
            )
            .optional()?;
        if live.is_none() {
            return Err(StoreError::Rule(format!(
                "recommendation {recommendation_id} no longer exists: it may have been withdrawn"
            )));
        }
        self.update(
            "recommendations",
            recommendation_id,
            &[
                ("status", text(RecommendationStatus::Closed.code())),
                ("closed_reason", text(reason.code())),
                ("completed_on", date(None)),
                ("outcome", text(outcome)),
            ],
        )
    }

    /// Records what was done and the evidence for it; returns whether it changed.
    pub fn set_recommendation_outcome(
        &mut self,
        recommendation_id: i64,
        outcome: &str,
    ) -> Result<bool> {
        self.update(
            "recommendations",
            recommendation_id,
            &[("outcome", text(outcome))],
        )
    }

    /// Sets a meeting action's status (open, done, carried forward); returns whether it
    /// changed. Its status stays editable after the minutes are approved (only the minutes' text is locked).
    pub fn set_action_status(&mut self, action_id: i64, status: ActionStatus) -> Result<bool> {
        self.update("actions", action_id, &[("status", text(status.code()))])
    }
}

impl Store {
    /// The number the next recommendation of a case would take.
    pub fn next_recommendation_number(&self, case_id: i64) -> Result<i64> {
        Ok(next_number(numbers_in_use(self.conn(), case_id, None)?))
    }
}

impl Store {
    /// Adds a recommendation, numbered `number` or next; returns its id and number.
    pub fn add_recommendation(
        &mut self,
        r: &Recommendation,
        number: Option<i64>,
    ) -> Result<(i64, i64)> {
        self.write(|w| w.add_recommendation(r, number))
    }

    /// Saves an edited recommendation; returns whether anything changed.
    pub fn update_recommendation(&mut self, r: &Recommendation) -> Result<bool> {
        self.write(|w| w.update_recommendation(r))
    }

    /// Moves a recommendation's status; returns the completion date it then has.
    pub fn set_recommendation_status(
        &mut self,
        recommendation_id: i64,
        status: RecommendationStatus,
        completed: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Option<NaiveDate>> {
        self.write(|w| w.set_recommendation_status(recommendation_id, status, completed, today))
    }

    /// Closes a recommendation with its reason and outcome; returns whether it changed.
    pub fn close_recommendation(
        &mut self,
        recommendation_id: i64,
        reason: ClosedReason,
        outcome: &str,
    ) -> Result<bool> {
        self.write(|w| w.close_recommendation(recommendation_id, reason, outcome))
    }

    /// Records the outcome of a recommendation.
    pub fn set_recommendation_outcome(
        &mut self,
        recommendation_id: i64,
        outcome: &str,
    ) -> Result<bool> {
        self.write(|w| w.set_recommendation_outcome(recommendation_id, outcome))
    }

    /// Sets the status of an action.
    pub fn set_action_status(&mut self, action_id: i64, status: ActionStatus) -> Result<bool> {
        self.write(|w| w.set_action_status(action_id, status))
    }
}
