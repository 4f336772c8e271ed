//! The decision whether to hold a review (issue 17, item 1): one live record per case,
//! saved whole by the decision form (`v` in the case view). Its rules hold inside the
//! write: the Home Office is told after the decision, and a form opened on no decision
//! does not overwrite one another seat recorded meanwhile.

use super::review::decision_in;
use super::values::{date, text};
use super::{Result, Store, StoreError, Writer};
use crate::domain::review::ReviewDecision;

impl Store {
    /// Records the decision of case `d.case_id`: the live record `d.id` is updated, or
    /// (with id 0, when the case has none) a new one is written. Returns the record's id.
    /// Refused when the Home Office would be told before the decision, or when a decision
    /// was recorded meanwhile by someone else while this form was opened on none.
    pub fn save_decision(&mut self, d: &ReviewDecision) -> Result<i64> {
        let today = self.clock().today();
        for (what, on) in [
            ("decision", d.decided_on),
            ("Home Office's notification", d.home_office_notified_on),
        ] {
            if let Some(on) = on
                && on > today
            {
                return Err(StoreError::Rule(format!(
                    "the {what} is dated {}, after today ({}): record it once it has happened",
                    on.format("%d %b %Y"),
                    today.format("%d %b %Y")
                )));
            }
        }
        self.write(|w| w.record_review_decision(d))
    }
}

impl Writer<'_> {
    /// [`Store::save_decision`] inside a transaction (the demo seeds its decision so).
    pub fn record_review_decision(&mut self, d: &ReviewDecision) -> Result<i64> {
        let (case_id, editing) = (d.case_id, (d.id != 0).then_some(d.id));
        // The decision follows the death and the notification.
        let case = super::cases::case_in(self, case_id)?;
        for (what, before) in [
            ("death", case.date_of_death),
            ("notification", case.notified_on),
        ] {
            if let (Some(decided), Some(before)) = (d.decided_on, before)
                && decided < before
            {
                return Err(StoreError::Rule(format!(
                    "a decision on {} would come before the {what} ({}): check the date",
                    decided.format("%d %b %Y"),
                    before.format("%d %b %Y")
                )));
            }
        }
        if let (Some(decided), Some(told)) = (d.decided_on, d.home_office_notified_on)
            && told < decided
        {
            return Err(StoreError::Rule(format!(
                "the Home Office cannot have been told on {} of a decision made on {}: check the dates",
                told.format("%d %b %Y"),
                decided.format("%d %b %Y")
            )));
        }
        let fields = [
            ("outcome", text(d.outcome.code())),
            ("criteria", text(d.criteria.trim())),
            ("reasons", text(d.reasons.trim())),
            ("decided_by", text(d.decided_by.trim())),
            ("decided_on", date(d.decided_on)),
            ("home_office_notified_on", date(d.home_office_notified_on)),
            ("home_office_reply", text(d.home_office_reply.trim())),
        ];
        match (decision_in(self.tx(), case_id)?, editing) {
            (Some(live), Some(id)) if live.id == id => {
                self.update("review_decisions", id, &fields)?;
                Ok(id)
            }
            (None, None) => {
                let mut all = vec![("case_id", case_id.into())];
                all.extend(fields);
                self.insert("review_decisions", &all)
            }
            (Some(_), None) => Err(StoreError::Rule(
                "a decision was recorded for this case while the form was open: press v again to see it and edit that one"
                    .into(),
            )),
            (_, Some(_)) => Err(StoreError::Rule(
                "the decision this form edits is no longer the case's live decision: press v again to see the one recorded"
                    .into(),
            )),
        }
    }
}
