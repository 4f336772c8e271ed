//! Moving a review between stages: which facts a move needs or clears, and the rules of
//! the process it must follow: "not reviewed" only on a recorded decision not to review,
//! concluded only when the action plan is implemented, partnership sign-off confirmed
//! when the family has not seen the draft report.

use super::model::{Case, RecommendationStatus, Stage};
use super::review::DecisionOutcome;

/// What a stage move's rules read besides the case, as they stand in the move's
/// transaction (`Store::stage_facts` outside one, to build the form).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageFacts {
    /// The outcome of the live decision record, if one is recorded.
    pub decision: Option<DecisionOutcome>,
    /// The recommendations of the action plan still open (neither complete nor closed):
    /// their numbers and statuses, by number.
    pub open_recommendations: Vec<(i64, RecommendationStatus)>,
    /// Whether a contact with the family records the draft report as shared.
    pub draft_shared: bool,
}

/// What a stage move asks for and changes besides the stage itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageMove {
    pub from: Stage,
    pub to: Stage,
    /// Moving on to partnership sign-off (or beyond) with no completion date recorded:
    /// the date the overview report was completed is needed; it stops the clock.
    pub needs_completion_date: bool,
    /// Moving back before partnership sign-off: the recorded completion date is cleared
    /// and the clock runs again.
    pub clears_completion_date: bool,
    /// Reaching partnership sign-off (from before it) when no contact records the draft
    /// report as shared with the family: the move is confirmed with why it was not.
    pub needs_draft_reason: bool,
}

/// The open recommendations in words: "2 (on track), 5 (not started)".
pub fn open_list(open: &[(i64, RecommendationStatus)]) -> String {
    open.iter()
        .map(|(n, s)| format!("{n} ({s})"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The reason a move records: the reason given, and, when the move reached sign-off
/// without the family seeing the draft report, why it was not shared.
pub fn recorded_reason(reason: &str, draft_not_shared: &str) -> String {
    let why = draft_not_shared.trim();
    if why.is_empty() {
        reason.trim().to_string()
    } else {
        format!(
            "{} · Draft report not shared with the family: {why}",
            reason.trim()
        )
    }
}

fn index(stage: Stage) -> usize {
    Stage::ALL.iter().position(|s| *s == stage).unwrap_or(0)
}

/// Works out a move of `case` to `to` with the facts the rules read; moving to the stage
/// it is at is refused.
pub fn plan_move(case: &Case, to: Stage, facts: &StageFacts) -> Result<StageMove, String> {
    if case.stage == to {
        return Err(format!("the review is already at \"{to}\""));
    }
    // "Not reviewed" closes a case the partnership decided not to review: it is reached
    // from the decision only, and left only to decide again.
    if to == Stage::NotReviewed && !matches!(case.stage, Stage::Notified | Stage::Decision) {
        return Err(format!(
            "only a review at \"{}\" or \"{}\" can close as \"{to}\": this one is at \"{}\"",
            Stage::Notified,
            Stage::Decision,
            case.stage
        ));
    }
    if case.stage == Stage::NotReviewed && to != Stage::Decision {
        return Err(format!(
            "the review was closed as \"{}\": move it back to \"{}\" to decide again first",
            Stage::NotReviewed,
            Stage::Decision
        ));
    }
    let no_review = facts.decision == Some(DecisionOutcome::NoReview);
    if to == Stage::NotReviewed && !no_review {
        let recorded = match facts.decision {
            None => "no decision is recorded",
            Some(_) => "the recorded decision is to review",
        };
        return Err(format!(
            "{recorded}: record the decision not to review first (v), then close the case as \"{to}\""
        ));
    }
    if no_review && to != Stage::NotReviewed && index(to) >= index(Stage::Scoping) {
        return Err(
            "the recorded decision is not to review: record a decision to review first (v)"
                .to_string(),
        );
    }
    if to == Stage::Concluded && !facts.open_recommendations.is_empty() {
        let n = facts.open_recommendations.len();
        let (count, are) = if n == 1 {
            ("1 recommendation".to_string(), "is")
        } else {
            (format!("{n} recommendations"), "are")
        };
        return Err(format!(
            "{count} {are} still open: {} — complete or close each in the action plan (6)",
            open_list(&facts.open_recommendations)
        ));
    }
    let signoff = index(Stage::PartnershipSignOff);
    let reaches_signoff = to != Stage::NotReviewed && index(to) >= signoff;
    let was_before = case.stage == Stage::NotReviewed || index(case.stage) < signoff;
    Ok(StageMove {
        from: case.stage,
        to,
        needs_completion_date: reaches_signoff && case.report_completed_on.is_none(),
        clears_completion_date: !reaches_signoff && case.report_completed_on.is_some(),
        needs_draft_reason: reaches_signoff && was_before && !facts.draft_shared,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::ReviewKind;
    use chrono::NaiveDate;

    fn case_at(stage: Stage, completed: Option<NaiveDate>) -> Case {
        let mut c = Case::new("DHR-1", ReviewKind::Dhr, "Adult A");
        c.stage = stage;
        c.report_completed_on = completed;
        c
    }

    fn none() -> StageFacts {
        StageFacts {
            draft_shared: true,
            ..StageFacts::default()
        }
    }

    fn plan_move(case: &Case, to: Stage) -> Result<StageMove, String> {
        super::plan_move(case, to, &none())
    }

    #[test]
    fn not_reviewed_needs_the_recorded_decision_not_to_review() {
        let at = case_at(Stage::Decision, None);
        let refused = plan_move(&at, Stage::NotReviewed).unwrap_err();
        assert!(refused.contains("no decision is recorded"), "{refused}");
        let review = StageFacts {
            decision: Some(DecisionOutcome::Review),
            ..none()
        };
        let refused = super::plan_move(&at, Stage::NotReviewed, &review).unwrap_err();
        assert!(refused.contains("decision is to review"), "{refused}");
        let no = StageFacts {
            decision: Some(DecisionOutcome::NoReview),
            ..none()
        };
        assert!(super::plan_move(&at, Stage::NotReviewed, &no).is_ok());
        let refused = super::plan_move(&at, Stage::Scoping, &no).unwrap_err();
        assert_eq!(
            refused,
            "the recorded decision is not to review: record a decision to review first (v)"
        );
        assert!(
            super::plan_move(&case_at(Stage::Notified, None), Stage::Decision, &no).is_ok(),
            "deciding again stays allowed"
        );
        let closed = case_at(Stage::NotReviewed, None);
        assert!(super::plan_move(&closed, Stage::Decision, &no).is_ok());
    }

    #[test]
    fn concluded_is_refused_while_recommendations_are_open_naming_them() {
        use RecommendationStatus::*;
        let at = case_at(
            Stage::ActionPlanMonitoring,
            NaiveDate::from_ymd_opt(2027, 3, 1),
        );
        let open = StageFacts {
            open_recommendations: vec![(2, OnTrack), (5, NotStarted), (7, AtRisk)],
            ..none()
        };
        let refused = super::plan_move(&at, Stage::Concluded, &open).unwrap_err();
        assert_eq!(
            refused,
            "3 recommendations are still open: 2 (on track), 5 (not started), 7 (at risk) — \
             complete or close each in the action plan (6)"
        );
        let one = StageFacts {
            open_recommendations: vec![(4, AtRisk)],
            ..none()
        };
        let refused = super::plan_move(&at, Stage::Concluded, &one).unwrap_err();
        assert!(refused.starts_with("1 recommendation is still open: 4 (at risk)"));
        assert!(super::plan_move(&at, Stage::Concluded, &none()).is_ok());
        assert!(
            super::plan_move(&at, Stage::Published, &open).is_ok(),
            "only concluding waits for the plan"
        );
    }

    #[test]
    fn reaching_sign_off_without_the_draft_shared_asks_why() {
        let not_shared = StageFacts::default();
        let m = super::plan_move(
            &case_at(Stage::Drafting, None),
            Stage::PartnershipSignOff,
            &not_shared,
        )
        .unwrap();
        assert!(m.needs_draft_reason);
        let m =
            super::plan_move(&case_at(Stage::Panel, None), Stage::Published, &not_shared).unwrap();
        assert!(m.needs_draft_reason, "skipping past sign-off asks too");
        let m = plan_move(&case_at(Stage::Drafting, None), Stage::PartnershipSignOff).unwrap();
        assert!(!m.needs_draft_reason, "the draft was shared");
        let done = NaiveDate::from_ymd_opt(2027, 3, 1);
        let m = super::plan_move(
            &case_at(Stage::PartnershipSignOff, done),
            Stage::HomeOfficeQa,
            &not_shared,
        )
        .unwrap();
        assert!(
            !m.needs_draft_reason,
            "asked once, when sign-off is reached"
        );
        let m =
            super::plan_move(&case_at(Stage::Panel, None), Stage::Drafting, &not_shared).unwrap();
        assert!(!m.needs_draft_reason);
        assert_eq!(recorded_reason("Agreed ", " "), "Agreed");
        assert_eq!(
            recorded_reason("Agreed", "family asked not to see it"),
            "Agreed · Draft report not shared with the family: family asked not to see it"
        );
    }

    #[test]
    fn reaching_sign_off_asks_for_the_completion_date() {
        let m = plan_move(&case_at(Stage::Drafting, None), Stage::PartnershipSignOff).unwrap();
        assert!(m.needs_completion_date && !m.clears_completion_date);
        let m = plan_move(&case_at(Stage::Drafting, None), Stage::Published).unwrap();
        assert!(m.needs_completion_date, "skipping past sign-off asks too");
    }

    #[test]
    fn moving_back_before_sign_off_clears_it_and_forward_keeps_it() {
        let done = NaiveDate::from_ymd_opt(2027, 3, 1);
        let m = plan_move(&case_at(Stage::PartnershipSignOff, done), Stage::Drafting).unwrap();
        assert!(m.clears_completion_date && !m.needs_completion_date);
        let m = plan_move(
            &case_at(Stage::PartnershipSignOff, done),
            Stage::HomeOfficeQa,
        )
        .unwrap();
        assert!(!m.clears_completion_date && !m.needs_completion_date);
        let m = plan_move(&case_at(Stage::Scoping, None), Stage::Panel).unwrap();
        assert!(!m.clears_completion_date && !m.needs_completion_date);
    }

    #[test]
    fn a_move_to_the_same_stage_is_refused() {
        assert!(plan_move(&case_at(Stage::Panel, None), Stage::Panel).is_err());
    }
}
