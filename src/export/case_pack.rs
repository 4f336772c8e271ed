//! The case pack: the whole review in one document — summary with the
//! statutory clock, the people it is about (and the case characteristics:
//! `characteristics.rs`), terms of reference, the panel and agency
//! returns, meetings, the combined
//! chronology, the challenge and decision logs, the open
//! actions and the action plan.

use super::agenda::chasers;
use super::minutes::agency_name;
use super::{
    ExportError, day, day_or_unknown, days, links_by_record, review_name, term_number_map,
    term_numbers, time_span,
};
use crate::domain::clock::statutory_clock;
use crate::domain::document::DocWriter;
use crate::domain::imr::days_overdue;
use crate::domain::model::Case;
use crate::domain::plan::days_overdue as recommendation_overdue;
use crate::domain::plan::{sending_words, status_in_words};
use crate::store::Store;
use crate::time::Clock;

/// Writes the case pack; it has no warnings.
pub(super) fn write(
    w: &mut DocWriter<'_>,
    store: &Store,
    case: &Case,
    anonymised: bool,
    characteristics: bool,
    clock: &dyn Clock,
) -> Result<Vec<String>, ExportError> {
    let today = clock.today();
    w.heading(1, &format!("Case pack: {}, {}", case.reference, case.title));
    let clock_line = statutory_clock(&store.clock_facts(case)?, today).headline();
    summary(w, case, &clock_line);
    super::process::decision(w, store, case)?;
    subjects(w, store, case, anonymised)?;
    if characteristics {
        super::characteristics::write(w, store, case)?;
    }
    super::family::involvement(w, store, case)?;
    super::family::proceedings(w, store, case)?;

    let terms = store.terms(case.id)?;
    let numbers = term_number_map(&terms);
    let meetings = store.meetings(case.id)?;
    let meeting_number = |id: Option<i64>| {
        id.and_then(|id| meetings.iter().find(|m| m.id == id))
            .map(|m| m.number.to_string())
            .unwrap_or_default()
    };

    w.heading(2, "Terms of reference");
    if terms.is_empty() {
        w.paragraph("No terms of reference recorded.");
    }
    for (i, t) in terms.iter().enumerate() {
        w.heading(3, &format!("{}. {}", i + 1, t.heading));
        let agreed = match meeting_number(t.meeting_id) {
            n if n.is_empty() => String::new(),
            n => format!(" at meeting {n}"),
        };
        w.labelled(
            "Kind and status",
            &format!("{}, {}{agreed}", t.kind.label(), t.status.label()),
        );
        w.paragraph(&t.text);
    }

    agencies(w, store, case, anonymised, today)?;

    w.heading(2, "Meetings");
    let rows: Vec<Vec<String>> = meetings
        .iter()
        .map(|m| {
            vec![
                m.number.to_string(),
                day(Some(m.date)),
                time_span(&m.start_time, &m.end_time),
                m.place.clone(),
                m.status.label().to_string(),
                meeting_number(m.approved_at_meeting_id),
            ]
        })
        .collect();
    w.table(
        &[
            "Meeting",
            "Date",
            "Time",
            "Place",
            "Minutes",
            "Approved at meeting",
        ],
        &rows,
        "No meetings recorded.",
    );

    // The chronology's eleven columns need a landscape page (Word; Markdown has none).
    w.section(true);
    w.heading(2, "Combined chronology");
    let links = links_by_record(&store.chronology_term_links(case.id)?);
    let rows: Vec<Vec<String>> = store
        .chronology_all(case.id)?
        .into_iter()
        .map(|row| {
            let e = row.entry;
            let when = match &e.time {
                Some(t) if !t.trim().is_empty() => format!("{} {}", e.date.display(), t.trim()),
                _ => e.date.display(),
            };
            let risk = [("DASH", &e.risk_dash), ("MARAC", &e.risk_marac)]
                .iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(k, v)| format!("{k}: {}", v.trim()))
                .collect::<Vec<_>>()
                .join("; ");
            let flags = [
                (e.key_event, "key event"),
                (e.missed_opportunity, "missed opportunity"),
            ]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, label)| *label)
            .collect::<Vec<_>>()
            .join(", ");
            let linked = links.get(&e.id).map(Vec::as_slice).unwrap_or_default();
            vec![
                when,
                row.agency_code,
                e.source_ref,
                e.subjects,
                e.event,
                e.action_outcome,
                risk,
                e.agency_comment,
                e.panel_analysis,
                flags,
                term_numbers(linked, &numbers),
            ]
        })
        .collect();
    w.table(
        &[
            "Date",
            "Agency",
            "Source",
            "Subjects",
            "Event",
            "Action / outcome",
            "Risk",
            "Agency comment",
            "Panel analysis",
            "Flags",
            "ToR",
        ],
        &rows,
        "The chronology is empty.",
    );
    w.section(false);

    w.heading(2, "Challenge log");
    let links = links_by_record(&store.challenge_term_links(case.id)?);
    let rows: Vec<Vec<String>> = store
        .challenges(case.id)?
        .into_iter()
        .map(|l| {
            let c = l.record;
            let linked = links.get(&c.id).map(Vec::as_slice).unwrap_or_default();
            vec![
                day(c.raised_on),
                l.meeting_number.map(|n| n.to_string()).unwrap_or_default(),
                l.agency_code,
                c.question,
                c.raised_by,
                day(c.response_due),
                c.response,
                day(c.response_on),
                c.status.label().to_string(),
                term_numbers(linked, &numbers),
            ]
        })
        .collect();
    w.table(
        &[
            "Raised",
            "Meeting",
            "Agency",
            "Question",
            "Raised by",
            "Response due",
            "Response",
            "Responded",
            "Status",
            "ToR",
        ],
        &rows,
        "No challenges recorded.",
    );

    w.heading(2, "Decision log");
    let links = links_by_record(&store.decision_term_links(case.id)?);
    let rows: Vec<Vec<String>> = store
        .decisions(case.id)?
        .into_iter()
        .map(|l| {
            let d = l.record;
            let linked = links.get(&d.id).map(Vec::as_slice).unwrap_or_default();
            vec![
                day(d.decided_on),
                l.meeting_number.map(|n| n.to_string()).unwrap_or_default(),
                d.text,
                d.rationale,
                d.decided_by,
                term_numbers(linked, &numbers),
            ]
        })
        .collect();
    w.table(
        &[
            "Date",
            "Meeting",
            "Decision",
            "Rationale",
            "Decided by",
            "ToR",
        ],
        &rows,
        "No decisions recorded.",
    );

    w.heading(2, "Open actions");
    super::open_actions_table(
        w,
        store.actions(case.id)?,
        today,
        &|a| a.agency_code.clone(),
        &|a| a.meeting_number.map(|n| n.to_string()).unwrap_or_default(),
    );

    // So do the action plan's.
    w.section(true);
    w.heading(2, "Action plan");
    let rows: Vec<Vec<String>> = store
        .recommendations(case.id)?
        .into_iter()
        .map(|l| {
            let r = l.record;
            let target = match recommendation_overdue(&r, today) {
                Some(n) => format!("{} (overdue by {})", day(r.target_on), days(n)),
                None => day(r.target_on),
            };
            let scope = match sending_words(&r) {
                sent if sent.is_empty() => r.scope.label().to_string(),
                sent => format!("{} ({sent})", r.scope.label()),
            };
            vec![
                r.number.to_string(),
                r.recommendation.clone(),
                scope,
                l.agency_code,
                r.action_to_take.clone(),
                r.lead_officer.clone(),
                r.milestones.clone(),
                target,
                day(r.completed_on),
                r.outcome.clone(),
                status_in_words(&r),
            ]
        })
        .collect();
    w.table(
        &[
            "No.",
            "Recommendation",
            "Scope",
            "Agency",
            "Action to take",
            "Lead officer",
            "Key milestones",
            "Target",
            "Completed",
            "Outcome / evidence",
            "Status",
        ],
        &rows,
        "No recommendations recorded.",
    );
    w.section(false);
    super::process::quality_assurance(w, store, case)?;
    super::process::publication(w, store, case)?;
    Ok(Vec::new())
}

/// The case's facts and its statutory clock.
fn summary(w: &mut DocWriter<'_>, case: &Case, clock_line: &str) {
    w.heading(2, "Case summary");
    w.fact("Reference", &case.reference);
    w.fact("Review", &review_name(case.kind));
    w.fact("Title", &case.title);
    if !case.partnership.trim().is_empty() {
        w.fact("Partnership", &case.partnership);
    }
    let stage = if case.stage_reason.trim().is_empty() {
        case.stage.label().to_string()
    } else {
        format!("{} ({})", case.stage.label(), case.stage_reason.trim())
    };
    w.fact("Stage", &stage);
    w.fact("Statutory clock", clock_line);
    w.fact("Date of death", &day_or_unknown(case.date_of_death));
    w.fact("Partnership notified", &day_or_unknown(case.notified_on));
    w.fact("Decision to review", &day_or_unknown(case.decision_on));
    w.fact(
        "Home Office notified",
        &day_or_unknown(case.home_office_notified_on),
    );
    w.fact("Chair", &case.chair);
    w.fact("Overview author", &case.overview_author);
    if !case.coordinator.trim().is_empty() {
        w.fact("Review coordinator", &case.coordinator);
    }
    let period = match (case.period_from, case.period_to) {
        (None, None) => "not recorded".to_string(),
        (from, to) => format!("{} to {}", day_or_unknown(from), day_or_unknown(to)),
    };
    w.fact("Review period", &period);
    if case.paused {
        let since = case
            .paused_on
            .map(|d| format!("since {}", day(Some(d))))
            .unwrap_or_default();
        w.fact("Paused", &format!("{since}: {}", case.paused_reason.trim()));
    }
    if let Some(to) = case.extended_to {
        w.fact(
            "Extension",
            &format!("to {}: {}", day(Some(to)), case.extension_reason.trim()),
        );
    }
    let later = [
        ("Overview report completed", case.report_completed_on),
        ("Submitted to the Home Office", case.ho_submitted_on),
        ("Published", case.published_on),
        (
            "Sent to the Domestic Abuse Commissioner",
            case.commissioner_sent_on,
        ),
    ];
    for (label, date) in later {
        if date.is_some() {
            w.fact(label, &day(date));
        }
    }
    if let Some(outcome) = case.qa_outcome {
        let on = case
            .qa_outcome_on
            .map(|d| format!(" ({})", day(Some(d))))
            .unwrap_or_default();
        w.fact(
            "Home Office QA outcome",
            &format!("{}{on}", outcome.label()),
        );
    }
}

/// The people the review is about: the pseudonym register (real names only in the
/// panel's copy).
fn subjects(
    w: &mut DocWriter<'_>,
    store: &Store,
    case: &Case,
    anonymised: bool,
) -> Result<(), ExportError> {
    w.heading(2, "People the review is about");
    let subjects = store.subjects(case.id)?;
    let rows: Vec<Vec<String>> = subjects
        .iter()
        .map(|s| {
            let mut row = vec![s.pseudonym.clone(), s.role.label().to_string()];
            if !anonymised {
                row.push(s.name_forms().join("; "));
            }
            row.push(s.relationship.clone());
            row.push(s.notes.clone());
            row
        })
        .collect();
    if anonymised {
        w.table(
            &["Pseudonym", "Role", "Relationship", "Notes"],
            &rows,
            "No one recorded.",
        );
    } else {
        w.table(
            &["Pseudonym", "Role", "Real names", "Relationship", "Notes"],
            &rows,
            "No one recorded.",
        );
    }
    Ok(())
}

/// The panel and the agency returns.
fn agencies(
    w: &mut DocWriter<'_>,
    store: &Store,
    case: &Case,
    anonymised: bool,
    today: chrono::NaiveDate,
) -> Result<(), ExportError> {
    let board = store.agency_overview(case.id)?;
    w.heading(2, "Agency returns");
    let rows: Vec<Vec<String>> = board
        .iter()
        .map(|o| {
            let a = &o.agency;
            let independent = match a.author_independent {
                Some(true) => " (independent)",
                Some(false) => " (not independent)",
                None => "",
            };
            let author = if a.author.trim().is_empty() {
                String::new()
            } else {
                format!("{}{independent}", a.author.trim())
            };
            let status = if a.scoped_out_reason.trim().is_empty() {
                a.status.label().to_string()
            } else {
                format!("{}: {}", a.status.label(), a.scoped_out_reason.trim())
            };
            vec![
                format!("{} ({})", a.name, a.code),
                a.return_type.label().to_string(),
                status,
                author,
                day(a.requested_on),
                day(a.due_on),
                day(a.received_on),
                days_overdue(a, today).map(days).unwrap_or_default(),
                chasers(&a.chased_on),
                o.open_challenges.to_string(),
            ]
        })
        .collect();
    w.table(
        &[
            "Agency",
            "Return",
            "Status",
            "Author",
            "Requested",
            "Due",
            "Received",
            "Overdue by",
            "Chased",
            "Open challenges",
        ],
        &rows,
        "No agencies recorded.",
    );

    w.heading(2, "Panel members");
    let agencies = store.agencies(case.id)?;
    let rows: Vec<Vec<String>> = board
        .iter()
        .flat_map(|o| o.members.iter())
        .map(|m| {
            let agency = agency_name(&agencies, Some(m.agency_id));
            if anonymised {
                vec![agency, m.role.clone(), m.deputy.clone()]
            } else {
                vec![agency, m.name.clone(), m.role.clone(), m.deputy.clone()]
            }
        })
        .collect();
    if anonymised {
        w.table(
            &["Agency", "Role", "Deputy"],
            &rows,
            "No panel members recorded.",
        );
    } else {
        w.table(
            &["Agency", "Member", "Role", "Deputy"],
            &rows,
            "No panel members recorded.",
        );
    }
    Ok(())
}
