//! What the case view prompts for, from the records (issue 17): the Home Office is told
//! of the decision until the date it was told is recorded, and a copy of the overview
//! report goes to the Domestic Abuse Commissioner from the date the report was completed
//! (section 9 of the 2004 Act: as soon as reasonably practicable after completion), not
//! only at publication. Pure rules; the case view draws what they return.

use chrono::NaiveDate;

use super::model::Case;
use super::review::{PublicationItem, PublicationRecord, ReviewDecision};

fn day(d: NaiveDate) -> String {
    d.format("%d %b %Y").to_string()
}

/// "Tell the Home Office of the decision of 07 May 2020 (no date recorded)", while a
/// decision is recorded and the date the Home Office was told is not.
pub fn home_office_prompt(decision: Option<&ReviewDecision>) -> Option<String> {
    let d = decision?;
    if d.home_office_notified_on.is_some() {
        return None;
    }
    let of = d
        .decided_on
        .map(|on| format!(" of {}", day(on)))
        .unwrap_or_default();
    Some(format!(
        "Tell the Home Office of the decision{of} ({}; no date recorded): v records the date",
        d.outcome
    ))
}

/// The copy to the Domestic Abuse Commissioner, prompted once the overview report is
/// completed and until the Commissioner item of the publication checklist is dated.
pub fn commissioner_prompt(case: &Case, publication: &[PublicationRecord]) -> Option<String> {
    let completed = case.report_completed_on?;
    let sent = publication
        .iter()
        .any(|p| p.item == PublicationItem::Commissioner && p.done_on.is_some());
    if sent {
        return None;
    }
    Some(format!(
        "Send a copy of the overview report to the Domestic Abuse Commissioner: the report was completed on {} (as soon as reasonably practicable after completion); u records it",
        day(completed)
    ))
}

/// Every prompt for the case, in the order the process meets them.
pub fn prompts(
    case: &Case,
    decision: Option<&ReviewDecision>,
    publication: &[PublicationRecord],
) -> Vec<String> {
    [
        home_office_prompt(decision),
        commissioner_prompt(case, publication),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::ReviewKind;
    use crate::domain::review::DecisionOutcome;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn decision(notified: Option<NaiveDate>) -> ReviewDecision {
        ReviewDecision {
            id: 1,
            case_id: 1,
            outcome: DecisionOutcome::NoReview,
            criteria: String::new(),
            reasons: String::new(),
            decided_by: String::new(),
            decided_on: Some(ymd(2020, 5, 7)),
            home_office_notified_on: notified,
            home_office_reply: String::new(),
        }
    }

    fn commissioner(done: Option<NaiveDate>) -> PublicationRecord {
        PublicationRecord {
            id: 1,
            case_id: 1,
            item: PublicationItem::Commissioner,
            done_on: done,
            detail: String::new(),
        }
    }

    #[test]
    fn the_home_office_is_prompted_from_the_decision_until_told() {
        assert_eq!(home_office_prompt(None), None);
        let prompt = home_office_prompt(Some(&decision(None))).unwrap();
        assert!(
            prompt.starts_with(
                "Tell the Home Office of the decision of 07 May 2020 (no review; no date recorded)"
            ),
            "{prompt}"
        );
        assert_eq!(
            home_office_prompt(Some(&decision(Some(ymd(2020, 5, 9))))),
            None
        );
    }

    #[test]
    fn the_commissioner_is_prompted_from_completion_until_dated() {
        let mut case = Case::new("DHR-1", ReviewKind::Dhr, "Adult A");
        assert_eq!(commissioner_prompt(&case, &[]), None, "no report yet");
        case.report_completed_on = Some(ymd(2026, 3, 2));
        let prompt = commissioner_prompt(&case, &[]).unwrap();
        assert!(prompt.contains("Domestic Abuse Commissioner"), "{prompt}");
        assert!(prompt.contains("completed on 02 Mar 2026"), "{prompt}");
        // A Commissioner item recorded with no date still prompts.
        assert!(commissioner_prompt(&case, &[commissioner(None)]).is_some());
        assert_eq!(
            commissioner_prompt(&case, &[commissioner(Some(ymd(2026, 3, 9)))]),
            None
        );
        assert_eq!(
            prompts(&case, Some(&decision(None)), &[]).len(),
            2,
            "both prompts, the Home Office first"
        );
    }
}
