//! Moving a review between stages: which facts a move needs or clears.

use super::model::{Case, Stage};

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
}

fn index(stage: Stage) -> usize {
    Stage::ALL.iter().position(|s| *s == stage).unwrap_or(0)
}

/// Works out a move of `case` to `to`; moving to the stage it is at is refused.
pub fn plan_move(case: &Case, to: Stage) -> Result<StageMove, String> {
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
    let signoff = index(Stage::PartnershipSignOff);
    let reaches_signoff = to != Stage::NotReviewed && index(to) >= signoff;
    Ok(StageMove {
        from: case.stage,
        to,
        needs_completion_date: reaches_signoff && case.report_completed_on.is_none(),
        clears_completion_date: !reaches_signoff && case.report_completed_on.is_some(),
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
