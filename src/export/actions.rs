//! The action log per agency, to send after a meeting: for each agency of the case (or
//! the one asked for) its open actions (number, action, owner, due with how overdue,
//! status) and its open challenges (question, raised, response due), limited to those
//! raised at one meeting when asked. For the panel only: it has no anonymised form.

use super::minutes::meeting_by_number;
use super::{ExportError, day, days, review_name};
use crate::domain::document::DocWriter;
use crate::domain::model::{ActionStatus, Case, ChallengeStatus};
use crate::domain::plan::action_is_overdue;
use crate::store::Store;
use crate::time::Clock;

/// Writes the action log; it has no warnings.
pub(super) fn write(
    w: &mut DocWriter<'_>,
    store: &Store,
    case: &Case,
    meeting: Option<i64>,
    agency: Option<i64>,
    clock: &dyn Clock,
) -> Result<Vec<String>, ExportError> {
    let today = clock.today();
    let meetings = store.meetings(case.id)?;
    let meeting = match meeting {
        Some(n) => Some(meeting_by_number(&meetings, case, n)?),
        None => None,
    };
    let agencies = store.agencies(case.id)?;
    let shown: Vec<_> = agencies
        .iter()
        .filter(|a| agency.is_none_or(|id| id == a.id))
        .collect();

    w.heading(1, "Action log");
    w.fact("Case", &format!("{}, {}", case.reference, case.title));
    w.fact("Review", &review_name(case.kind));
    if let Some(m) = &meeting {
        w.fact(
            "Raised at",
            &format!("meeting {} on {}", m.number, day(Some(m.date))),
        );
    }
    w.fact("As at", &day(Some(today)));
    w.paragraph(
        "Each agency's open actions and open challenges with their due dates. Please update \
         the review coordinator on each before the date shown.",
    );

    let raised_there = |id: Option<i64>| meeting.as_ref().is_none_or(|m| id == Some(m.id));
    // Actions are numbered by their place in the case's list, as the Actions pane shows them.
    let actions: Vec<(usize, _)> = store
        .actions(case.id)?
        .into_iter()
        .enumerate()
        .map(|(i, a)| (i + 1, a))
        .filter(|(_, a)| a.record.status != ActionStatus::Done && raised_there(a.record.meeting_id))
        .collect();
    let challenges: Vec<_> = store
        .challenges(case.id)?
        .into_iter()
        .filter(|c| {
            matches!(
                c.record.status,
                ChallengeStatus::Open | ChallengeStatus::Escalated
            ) && raised_there(c.record.meeting_id)
        })
        .collect();

    let mut sections: Vec<(String, Option<i64>)> = shown
        .iter()
        .map(|a| (format!("{} ({})", a.name, a.code), Some(a.id)))
        .collect();
    let unassigned = actions.iter().any(|(_, a)| a.record.agency_id.is_none())
        || challenges.iter().any(|c| c.record.agency_id.is_none());
    if agency.is_none() && unassigned {
        sections.push(("No agency named".to_string(), None));
    }
    if sections.is_empty() {
        w.paragraph("The case has no agencies yet.");
    }
    for (title, id) in sections {
        w.heading(2, &title);
        let rows: Vec<Vec<String>> = actions
            .iter()
            .filter(|(_, a)| a.record.agency_id == id)
            .map(|(n, l)| {
                let a = &l.record;
                let due = match a.due_on {
                    Some(d) if action_is_overdue(a, today) => format!(
                        "{} (OVERDUE by {})",
                        day(Some(d)),
                        days((today - d).num_days())
                    ),
                    d => day(d),
                };
                vec![
                    n.to_string(),
                    a.text.clone(),
                    a.owner.clone(),
                    due,
                    a.status.label().to_string(),
                ]
            })
            .collect();
        let open: Vec<Vec<String>> = challenges
            .iter()
            .filter(|c| c.record.agency_id == id)
            .map(|l| {
                let c = &l.record;
                let due = match c.response_due {
                    Some(d) if d < today => format!(
                        "{} (OVERDUE by {})",
                        day(Some(d)),
                        days((today - d).num_days())
                    ),
                    d => day(d),
                };
                let raised = match l.meeting_number {
                    Some(n) => format!("{} (meeting {n})", day(c.raised_on)),
                    None => day(c.raised_on),
                };
                vec![c.question.clone(), raised, due]
            })
            .collect();
        if rows.is_empty() && open.is_empty() {
            w.paragraph(if meeting.is_some() {
                "Nothing raised at this meeting is open for this agency."
            } else {
                "Nothing is open for this agency."
            });
            continue;
        }
        w.heading(3, "Open actions");
        w.table(
            &["No.", "Action", "Owner", "Due", "Status"],
            &rows,
            "No open actions.",
        );
        w.heading(3, "Open challenges");
        w.table(
            &["Question", "Raised", "Response due"],
            &open,
            "No open challenges.",
        );
    }
    Ok(Vec::new())
}
