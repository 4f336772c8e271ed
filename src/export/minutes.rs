//! The minutes of one meeting: the meeting's facts, attendance (one table), declarations,
//! each agenda item with its minutes as numbered paragraphs (3.1, 3.2 …, numbered by
//! `domain::record`; times only when asked for), the decisions, actions and challenges
//! raised there, the approval status with the fingerprint recomputed and compared, and
//! any amendments after it. Not yet approved: DRAFT at the top.

use std::collections::HashMap;

use super::{ExportError, day, links_by_record, term_number_map, term_numbers};
use crate::domain::document::DocWriter;
use crate::domain::fingerprint::{FORM_VERSION, FORM_VERSION_1};
use crate::domain::model::{Agency, Case, Meeting, MeetingStatus};
use crate::domain::plan::action_is_overdue;
use crate::domain::record::{
    Paragraph, amendment_label, attendance_table, attendance_word, numbered_minutes,
};
use crate::store::Store;
use crate::time::{Clock, parse_stamp};

/// The meeting with this number, or an error listing the ones there are.
pub(super) fn meeting_by_number(
    meetings: &[Meeting],
    case: &Case,
    number: i64,
) -> Result<Meeting, ExportError> {
    meetings
        .iter()
        .find(|m| m.number == number)
        .cloned()
        .ok_or_else(|| ExportError::NoMeeting {
            reference: case.reference.clone(),
            number,
            known: if meetings.is_empty() {
                "it has no meetings yet".to_string()
            } else {
                format!(
                    "its meetings are {}",
                    meetings
                        .iter()
                        .map(|m| m.number.to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
        })
}

/// The agency's name, or "" when none.
pub(super) fn agency_name(agencies: &[Agency], id: Option<i64>) -> String {
    agencies
        .iter()
        .find(|a| Some(a.id) == id)
        .map(|a| a.name.clone())
        .unwrap_or_default()
}

/// Where the stored fingerprint stands against the minutes as they are now.
enum Seal {
    NotApproved,
    /// Approved before fingerprints were recorded: only today's can be shown.
    Unsealed {
        now: String,
    },
    Matches {
        print: String,
        /// The canonical form it matched (minutes approved under the first form keep it).
        form: &'static str,
    },
    Changed {
        stored: String,
        now: String,
    },
}

/// How the minutes are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct How {
    /// Names replaced; logins (which can name a person) left out.
    pub anonymised: bool,
    /// Each paragraph with the time it was minuted.
    pub times: bool,
}

/// Writes the minutes of meeting `number`; returns the warnings to repeat on stderr.
pub(super) fn write(
    w: &mut DocWriter<'_>,
    store: &Store,
    case: &Case,
    number: i64,
    how: How,
    clock: &dyn Clock,
) -> Result<Vec<String>, ExportError> {
    let anonymised = how.anonymised;
    let meetings = store.meetings(case.id)?;
    let meeting = meeting_by_number(&meetings, case, number)?;
    let agencies = store.agencies(case.id)?;
    let approved = meeting.status == MeetingStatus::Approved;
    let seal = if approved {
        let now = store.minutes_fingerprint_now(&meeting)?;
        let stored = meeting.fingerprint.trim().to_string();
        if stored.is_empty() {
            Seal::Unsealed { now }
        } else if store.minutes_match(&meeting, &stored)? {
            let form = if stored.eq_ignore_ascii_case(&now) {
                FORM_VERSION
            } else {
                FORM_VERSION_1
            };
            Seal::Matches {
                print: stored,
                form,
            }
        } else {
            Seal::Changed { stored, now }
        }
    } else {
        Seal::NotApproved
    };
    let mut warnings = Vec::new();

    if approved {
        w.heading(1, &format!("Minutes of panel meeting {}", meeting.number));
    } else {
        w.heading(
            1,
            &format!("DRAFT minutes of panel meeting {}", meeting.number),
        );
        w.strong_line(&format!(
            "DRAFT: not yet approved as a true record (the meeting is {}).",
            meeting.status.label()
        ));
    }
    if let Seal::Changed { .. } = seal {
        let warning = format!(
            "WARNING: the minutes of meeting {} have changed since they were approved: their fingerprint no longer matches the one stored at approval.",
            meeting.number
        );
        w.strong_line(&format!("{warning} See Approval below."));
        warnings.push(warning);
    }

    // The review, partnership, meeting, date, time and place are in the title block.
    w.fact("Case", &format!("{}, {}", case.reference, case.title));
    w.fact("Chair", &meeting.chair);
    w.fact("Minute taker", &meeting.minute_taker);

    attendance(w, store, &meeting, &agencies, anonymised)?;

    w.heading(2, "Declarations of interest");
    let declarations = store.declarations(meeting.id)?;
    if declarations.is_empty() {
        w.paragraph("None recorded.");
    }
    for d in &declarations {
        w.named(&d.person, &d.text);
    }

    let numbers = proceedings(w, store, &meeting, how.times, clock)?;
    records(w, store, case, &meeting, &agencies, &numbers, clock)?;
    let amended = store.amendments(meeting.id)?;
    approval(w, &meetings, &meeting, &seal, !amended.is_empty());
    amendments(w, store, case, &amended, anonymised, clock)?;
    Ok(warnings)
}

fn attendance(
    w: &mut DocWriter<'_>,
    store: &Store,
    meeting: &Meeting,
    agencies: &[Agency],
    anonymised: bool,
) -> Result<(), ExportError> {
    w.heading(2, "Attendance");
    let people = store.attendance(meeting.id)?;
    let rows: Vec<Vec<String>> = attendance_table(&people, agencies)
        .into_iter()
        .map(|r| {
            let status = attendance_word(r.status).to_string();
            if anonymised {
                vec![r.role, r.organisation, status]
            } else {
                vec![r.name, r.organisation, r.role, status]
            }
        })
        .collect();
    let empty = "No attendance recorded.";
    if anonymised {
        w.table(
            &["Role", "Agency or organisation", "Attendance"],
            &rows,
            empty,
        );
    } else {
        w.table(
            &["Name", "Agency or organisation", "Role", "Attendance"],
            &rows,
            empty,
        );
    }
    Ok(())
}

/// A minute's time in local time: "10:02", or with its day when minuted on another one.
fn minute_time(minuted_at: &str, meeting: &Meeting, clock: &dyn Clock) -> String {
    match parse_stamp(minuted_at) {
        Some(at) => {
            let local = clock.to_local(at);
            if local.date() == meeting.date {
                local.format("%H:%M").to_string()
            } else {
                local.format("%d %b %Y %H:%M").to_string()
            }
        }
        None => minuted_at.to_string(),
    }
}

/// Each agenda item with its minutes as numbered paragraphs (attendance is the table).
fn proceedings(
    w: &mut DocWriter<'_>,
    store: &Store,
    meeting: &Meeting,
    times: bool,
    clock: &dyn Clock,
) -> Result<ParagraphNumbers, ExportError> {
    w.heading(2, "Minutes");
    let agenda = store.agenda(meeting.id)?;
    let minutes = store.minutes(meeting.id)?;
    if agenda.is_empty() && minutes.is_empty() {
        w.paragraph("No agenda and no minutes recorded.");
        return Ok(ParagraphNumbers::new());
    }
    let numbered = numbered_minutes(&agenda, &minutes);
    let write = |w: &mut DocWriter<'_>, p: &Paragraph<'_>| {
        let time = times.then(|| minute_time(&p.minute.minuted_at, meeting, clock));
        w.numbered_with(&p.number, time.as_deref(), p.lead, p.body);
    };
    let mut by_record = ParagraphNumbers::new();
    for p in numbered
        .items
        .iter()
        .flat_map(|i| &i.paragraphs)
        .chain(&numbered.orphans)
    {
        if let Some((table, id)) = &p.minute.record {
            by_record.insert((table.clone(), *id), p.number.clone());
        }
    }
    for item in &numbered.items {
        w.heading(3, &format!("{}. {}", item.number, item.title));
        if item.paragraphs.is_empty() {
            w.paragraph("No minutes under this item.");
        }
        for p in &item.paragraphs {
            write(w, p);
        }
    }
    if !numbered.orphans.is_empty() {
        w.heading(
            3,
            &format!(
                "{}. Minutes under an item no longer on the agenda",
                numbered.orphan_number
            ),
        );
        for p in &numbered.orphans {
            write(w, p);
        }
    }
    Ok(by_record)
}

/// The paragraph number ("8.3") of the line that created a record, by (table, id).
type ParagraphNumbers = HashMap<(String, i64), String>;

/// The number of the paragraph that created a record, or "" when it was not minuted.
fn paragraph_of(numbers: &ParagraphNumbers, table: &str, id: i64) -> String {
    numbers
        .get(&(table.to_string(), id))
        .cloned()
        .unwrap_or_default()
}

/// The decisions, actions and challenges raised at the meeting.
fn records(
    w: &mut DocWriter<'_>,
    store: &Store,
    case: &Case,
    meeting: &Meeting,
    agencies: &[Agency],
    paragraphs: &ParagraphNumbers,
    clock: &dyn Clock,
) -> Result<(), ExportError> {
    let today = clock.today();
    let terms = store.terms(case.id)?;
    let numbers = term_number_map(&terms);

    w.heading(2, "Decisions");
    let links = links_by_record(&store.decision_term_links(case.id)?);
    let rows: Vec<Vec<String>> = store
        .decisions(case.id)?
        .into_iter()
        .filter(|d| d.record.meeting_id == Some(meeting.id))
        .map(|d| {
            let d = d.record;
            let linked = links.get(&d.id).map(Vec::as_slice).unwrap_or_default();
            vec![
                paragraph_of(paragraphs, "decisions", d.id),
                d.text,
                d.rationale,
                d.decided_by,
                term_numbers(linked, &numbers),
            ]
        })
        .collect();
    w.table(
        &[
            "No.",
            "Decision",
            "Rationale",
            "Decided by",
            "Terms of reference",
        ],
        &rows,
        "No decisions were recorded at this meeting.",
    );

    w.heading(2, "Actions");
    let rows: Vec<Vec<String>> = store
        .actions(case.id)?
        .into_iter()
        .filter(|a| a.record.meeting_id == Some(meeting.id))
        .map(|a| {
            let overdue = action_is_overdue(&a.record, today);
            let a = a.record;
            let status = if overdue {
                format!("{} (overdue)", a.status.label())
            } else {
                a.status.label().to_string()
            };
            vec![
                paragraph_of(paragraphs, "actions", a.id),
                a.text,
                a.owner,
                agency_name(agencies, a.agency_id),
                day(a.due_on),
                status,
            ]
        })
        .collect();
    w.table(
        &["No.", "Action", "Owner", "Agency", "Due", "Status"],
        &rows,
        "No actions were recorded at this meeting.",
    );

    w.heading(2, "Challenges");
    let links = links_by_record(&store.challenge_term_links(case.id)?);
    let rows: Vec<Vec<String>> = store
        .challenges(case.id)?
        .into_iter()
        .filter(|c| c.record.meeting_id == Some(meeting.id))
        .map(|c| {
            let c = c.record;
            let linked = links.get(&c.id).map(Vec::as_slice).unwrap_or_default();
            vec![
                paragraph_of(paragraphs, "challenges", c.id),
                agency_name(agencies, c.agency_id),
                c.question,
                c.raised_by,
                day(c.response_due),
                c.status.label().to_string(),
                term_numbers(linked, &numbers),
            ]
        })
        .collect();
    w.table(
        &[
            "No.",
            "To",
            "Question",
            "Raised by",
            "Response due",
            "Status",
            "Terms of reference",
        ],
        &rows,
        "No challenges were raised at this meeting.",
    );
    Ok(())
}

/// Approval status and, for approved minutes, the fingerprint recomputed and compared.
fn approval(
    w: &mut DocWriter<'_>,
    meetings: &[Meeting],
    meeting: &Meeting,
    seal: &Seal,
    amended: bool,
) {
    w.heading(2, "Approval");
    let approved_at: HashMap<i64, &Meeting> = meetings.iter().map(|m| (m.id, m)).collect();
    match meeting.status {
        MeetingStatus::Approved => {
            let at = meeting
                .approved_at_meeting_id
                .and_then(|id| approved_at.get(&id))
                .map(|m| format!(" at panel meeting {} on {}", m.number, day(Some(m.date))))
                .unwrap_or_default();
            let listed = if amended { ", listed below" } else { "" };
            w.paragraph(&format!(
                "Approved as a true record{at}. The minutes are locked: corrections are recorded as amendments{listed}."
            ));
        }
        status => w.paragraph(&format!(
            "Not yet approved: the meeting is {}. These minutes are a DRAFT until the panel approves them as a true record at a later meeting.",
            status.label()
        )),
    }
    match seal {
        Seal::NotApproved => {}
        Seal::Matches { print, form } => {
            w.labelled("Fingerprint", print);
            w.paragraph(&format!(
                "Recomputed now (SHA-256 over the {form} form): it matches the fingerprint stored at approval."
            ));
        }
        Seal::Unsealed { now } => {
            w.paragraph(
                "Approved before fingerprints were recorded: no fingerprint was stored at approval, so these minutes cannot be checked against one.",
            );
            w.labelled("Fingerprint of the minutes as they stand now", now);
        }
        Seal::Changed { stored, now } => {
            w.strong_line(
                "WARNING: these minutes no longer match the fingerprint stored at approval. They have been changed since the panel approved them; check the audit trail (dhr check) before relying on them.",
            );
            w.labelled("Fingerprint stored at approval", stored);
            w.labelled("Fingerprint of the minutes as exported", now);
        }
    }
}

/// Amendments recorded after approval: outside the fingerprint. Each names the meeting
/// at which it was made with that meeting's date, and separately the day it was recorded
/// and who recorded it (their name when their login is linked to a person on the case).
fn amendments(
    w: &mut DocWriter<'_>,
    store: &Store,
    case: &Case,
    amendments: &[crate::domain::model::Amendment],
    anonymised: bool,
    clock: &dyn Clock,
) -> Result<(), ExportError> {
    if amendments.is_empty() {
        return Ok(());
    }
    w.heading(2, "Amendments after approval");
    w.paragraph(
        "Recorded after the minutes were approved; they are not covered by the fingerprint.",
    );
    for a in amendments {
        let recorded_on = parse_stamp(&a.made_at).map(|at| clock.to_local(at).date());
        // A login can name a person, so an anonymised copy leaves it out.
        let by = if anonymised || a.made_by.trim().is_empty() {
            None
        } else {
            Some(store.shown_login(case.id, &a.made_by)?)
        };
        w.named(&amendment_label(a, recorded_on, by.as_deref()), &a.text);
    }
    Ok(())
}
