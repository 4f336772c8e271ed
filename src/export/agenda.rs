//! The pre-meeting pack: what the chair and the panel need before a meeting
//! — its agenda, where the previous minutes stand, the open and carried-forward actions,
//! the open challenges with their response dates, the agency returns overdue or falling
//! due by the meeting, and the statutory clock.

use super::minutes::{agency_name, meeting_by_number};
use super::{ExportError, day, days};
use crate::domain::clock::statutory_clock;
use crate::domain::document::DocWriter;
use crate::domain::imr::{days_overdue, is_outstanding};
use crate::domain::model::{Case, ChallengeStatus, Meeting, MeetingStatus};
use crate::store::Store;
use crate::time::Clock;

/// Writes the pack for meeting `number`; it has no warnings.
pub(super) fn write(
    w: &mut DocWriter<'_>,
    store: &Store,
    case: &Case,
    number: i64,
    clock: &dyn Clock,
) -> Result<Vec<String>, ExportError> {
    let today = clock.today();
    let meetings = store.meetings(case.id)?;
    let meeting = meeting_by_number(&meetings, case, number)?;
    let agencies = store.agencies(case.id)?;
    let clock_line = statutory_clock(&store.clock_facts(case)?, today).headline();

    w.heading(
        1,
        &format!("Pre-meeting pack: panel meeting {}", meeting.number),
    );
    // The review, date, time and place are in the title block, the day it was
    // prepared in the document control.
    w.fact("Case", &format!("{}, {}", case.reference, case.title));
    w.fact("Chair", &meeting.chair);
    w.fact("Statutory clock", &clock_line);

    w.heading(2, "Agenda");
    let rows: Vec<Vec<String>> = store
        .agenda(meeting.id)?
        .into_iter()
        .map(|i| vec![i.position.to_string(), i.title])
        .collect();
    w.table(&["Item", "Title"], &rows, "No agenda items yet.");

    previous_minutes(w, &meetings, &meeting);

    w.heading(2, "Open and carried-forward actions");
    let number_of = |id: Option<i64>| {
        id.and_then(|id| meetings.iter().find(|m| m.id == id))
            .map(|m| m.number.to_string())
            .unwrap_or_default()
    };
    super::open_actions_table(
        w,
        store.actions(case.id)?,
        today,
        &|a| agency_name(&agencies, a.record.agency_id),
        &|a| number_of(a.record.meeting_id),
    );

    w.heading(2, "Open challenges");
    let rows: Vec<Vec<String>> = store
        .challenges(case.id)?
        .into_iter()
        .filter(|c| {
            matches!(
                c.record.status,
                ChallengeStatus::Open | ChallengeStatus::Escalated
            )
        })
        .map(|c| {
            let c = c.record;
            let due = match c.response_due {
                Some(d) if d < today => {
                    format!(
                        "{} (overdue by {})",
                        day(Some(d)),
                        days((today - d).num_days())
                    )
                }
                d => day(d),
            };
            vec![
                agency_name(&agencies, c.agency_id),
                c.question.clone(),
                c.raised_by.clone(),
                day(c.raised_on),
                due,
                c.status.label().to_string(),
            ]
        })
        .collect();
    w.table(
        &[
            "Agency",
            "Question",
            "Raised by",
            "Raised",
            "Response due",
            "Status",
        ],
        &rows,
        "No challenges are open.",
    );

    w.heading(2, "Overdue agency returns");
    let rows: Vec<Vec<String>> = agencies
        .iter()
        .filter_map(|a| {
            let late = days_overdue(a, today)?;
            Some(vec![
                a.name.clone(),
                a.return_type.label().to_string(),
                a.status.label().to_string(),
                day(a.due_on),
                days(late),
                chasers(&a.chased_on),
            ])
        })
        .collect();
    w.table(
        &["Agency", "Return", "Status", "Due", "Overdue by", "Chased"],
        &rows,
        "No agency return is overdue.",
    );

    w.heading(2, "Returns due by the meeting");
    let rows: Vec<Vec<String>> = agencies
        .iter()
        .filter(|a| {
            is_outstanding(a.status) && a.due_on.is_some_and(|d| d >= today && d <= meeting.date)
        })
        .map(|a| {
            vec![
                a.name.clone(),
                a.return_type.label().to_string(),
                a.status.label().to_string(),
                day(a.due_on),
            ]
        })
        .collect();
    w.table(
        &["Agency", "Return", "Status", "Due"],
        &rows,
        "No other return falls due before the meeting.",
    );

    w.heading(2, "Statutory clock");
    w.paragraph(&clock_line);
    if let Some(to) = case.extended_to {
        let reason = if case.extension_reason.trim().is_empty() {
            String::new()
        } else {
            format!(": {}", case.extension_reason.trim())
        };
        w.paragraph(&format!(
            "Completion date extended to {}{reason}",
            day(Some(to))
        ));
    }
    if case.paused {
        w.paragraph(&format!(
            "The review is paused{}{}",
            case.paused_on
                .map(|d| format!(" since {}", day(Some(d))))
                .unwrap_or_default(),
            if case.paused_reason.trim().is_empty() {
                ".".to_string()
            } else {
                format!(": {}", case.paused_reason.trim())
            }
        ));
    }
    Ok(Vec::new())
}

/// "01 Oct 2026, 15 Oct 2026".
pub(super) fn chasers(dates: &[chrono::NaiveDate]) -> String {
    dates
        .iter()
        .map(|d| day(Some(*d)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where the minutes of the meetings before this one stand.
fn previous_minutes(w: &mut DocWriter<'_>, meetings: &[Meeting], meeting: &Meeting) {
    w.heading(2, "Minutes of earlier meetings");
    let earlier: Vec<&Meeting> = meetings
        .iter()
        .filter(|m| m.number < meeting.number)
        .collect();
    let Some(previous) = earlier.last() else {
        w.paragraph("This is the first meeting of the review.");
        return;
    };
    let status = match previous.status {
        MeetingStatus::Approved => "approved as a true record".to_string(),
        MeetingStatus::Closed => {
            "closed and awaiting approval: to be approved at this meeting".to_string()
        }
        MeetingStatus::InProgress => {
            "still being minuted: once closed, to be approved at this meeting".to_string()
        }
        MeetingStatus::Planned => "not yet held".to_string(),
    };
    w.labelled(
        "Previous meeting",
        &format!(
            "meeting {} on {}: {status}.",
            previous.number,
            day(Some(previous.date))
        ),
    );
    let approved_at = |m: &Meeting| {
        m.approved_at_meeting_id
            .and_then(|id| meetings.iter().find(|x| x.id == id))
            .map(|x| format!("meeting {}", x.number))
            .unwrap_or_default()
    };
    let rows: Vec<Vec<String>> = earlier
        .iter()
        .map(|m| {
            vec![
                m.number.to_string(),
                day(Some(m.date)),
                m.status.label().to_string(),
                approved_at(m),
            ]
        })
        .collect();
    w.table(
        &["Meeting", "Date", "Minutes", "Approved at"],
        &rows,
        "No earlier meetings.",
    );
}
