//! Builds the fictional demo case DEMO-1: fixed dates for the story, process dates
//! relative to today so that it reads the same on any day (`dhr demo`).

mod content;

use chrono::{Days, NaiveDate, NaiveTime};

use crate::domain::date::FuzzyDate;
use crate::domain::model::*;
use crate::store::seed::{Resumption, Seeder};
use crate::store::{Store, StoreError};
use content::*;

/// The reference of the demo case.
pub const DEMO_REFERENCE: &str = "DEMO-1";

/// What building the demo case did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub case_id: i64,
    pub chronology_entries: u64,
    pub synthetic_entries: u64,
}

fn day(y: i32, m: u32, d: u32) -> Result<NaiveDate, StoreError> {
    NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| StoreError::Rule(format!("demo date {y}-{m}-{d} is not a date")))
}

fn offset(today: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        today
            .checked_add_days(Days::new(days as u64))
            .unwrap_or(today)
    } else {
        today
            .checked_sub_days(Days::new(days.unsigned_abs()))
            .unwrap_or(today)
    }
}

fn content_error(what: String) -> StoreError {
    StoreError::Rule(format!("the demo case's own content is wrong: {what}"))
}

/// Adds DEMO-1 (with `extra_rows` synthetic chronology entries for benchmarks) in one
/// transaction. When DEMO-1 exists, changes nothing and says so.
pub fn create_demo(store: &mut Store, extra_rows: u64) -> Result<DemoSummary, StoreError> {
    if store.case_by_reference(DEMO_REFERENCE)?.is_some() {
        return Err(StoreError::Rule(format!(
            "the demo case {DEMO_REFERENCE} already exists in {}; nothing was changed",
            store.path().display()
        )));
    }
    let clock = store.clock().clone();
    let today = clock.today();
    store.seed(|w| build(w, today, extra_rows, &*clock))
}

fn build(
    w: &mut Seeder<'_, '_>,
    today: NaiveDate,
    extra_rows: u64,
    clock: &dyn crate::time::Clock,
) -> Result<DemoSummary, StoreError> {
    let mut case = Case::new(DEMO_REFERENCE, ReviewKind::Dhr, "Adult A");
    case.partnership = DEMO_PARTNERSHIP.to_string();
    case.date_of_death = Some(day(2020, 4, 7)?);
    case.notified_on = Some(day(2020, 4, 14)?);
    case.decision_on = Some(day(2020, 5, 7)?);
    case.home_office_notified_on = Some(day(2020, 5, 12)?);
    case.chair = DEMO_CHAIR.to_string();
    case.overview_author = DEMO_AUTHOR.to_string();
    case.period_from = Some(day(2016, 1, 1)?);
    case.period_to = Some(day(2020, 4, 7)?);
    case.stage = Stage::Panel;
    // The history as it happened: paused for the criminal trial, then resumed with an
    // extension agreed; the audit trail keeps both steps.
    case.paused = true;
    case.paused_on = Some(day(2020, 6, 1)?);
    case.paused_reason = "Criminal proceedings: trial of Adult B".to_string();
    let case_id = w.insert_case(&case)?;
    let resumed = offset(today, -300);
    w.resume_case(
        case_id,
        &Resumption {
            reason: format!("Resumed {} after the trial concluded", resumed.format("%d %b %Y")),
            extended_to: offset(today, 189),
            extension_reason: "Completion date extended on resumption after the criminal trial; agreed with the Home Office"
                .to_string(),
        },
    )?;

    for s in DEMO_SUBJECTS {
        let role = SubjectRole::from_code(s.role)
            .ok_or_else(|| content_error(format!("subject role {}", s.role)))?;
        w.insert_subject(&Subject {
            id: 0,
            case_id,
            role,
            real_names: s.real_names.to_string(),
            pseudonym: s.pseudonym.to_string(),
            relationship: s.relationship.to_string(),
            notes: s.notes.to_string(),
        })?;
    }

    let mut agency_ids: Vec<(&str, i64)> = Vec::new();
    for a in DEMO_AGENCIES {
        let mut agency = Agency::new(a.name, a.code);
        agency.case_id = case_id;
        agency.contact_found = ContactFound::from_code(a.contact)
            .ok_or_else(|| content_error(format!("contact {}", a.contact)))?;
        agency.return_type = ReturnType::from_code(a.return_type)
            .ok_or_else(|| content_error(format!("return type {}", a.return_type)))?;
        agency.status = ImrStatus::from_code(a.status)
            .ok_or_else(|| content_error(format!("IMR status {}", a.status)))?;
        agency.author = a.author.to_string();
        agency.author_independent = a.author_independent;
        agency.requested_on = a.requested.map(|d| offset(today, d));
        agency.due_on = a.due.map(|d| offset(today, d));
        agency.received_on = a.received.map(|d| offset(today, d));
        agency.chased_on = a.chased.iter().map(|d| offset(today, *d)).collect();
        agency.scoped_out_reason = a.scoped_out_reason.to_string();
        agency.notes = a.notes.to_string();
        let agency_id = w.insert_agency(&agency)?;
        for m in a.members {
            w.insert_panel_member(&PanelMember {
                id: 0,
                agency_id,
                name: m.name.to_string(),
                role: m.role.to_string(),
                deputy: m.deputy.to_string(),
            })?;
        }
        agency_ids.push((a.code, agency_id));
    }
    let agency = |code: &str| -> Result<i64, StoreError> {
        agency_ids
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, id)| *id)
            .ok_or_else(|| content_error(format!("no agency with code {code}")))
    };

    let mut meeting_ids: Vec<(i64, i64)> = Vec::new();
    for m in DEMO_MEETINGS {
        let status = MeetingStatus::from_code(m.status)
            .ok_or_else(|| content_error(format!("meeting status {}", m.status)))?;
        let meeting_id = w.insert_meeting(&Meeting {
            id: 0,
            case_id,
            number: m.number,
            date: offset(today, m.day),
            start_time: m.start.to_string(),
            end_time: m.end.to_string(),
            place: m.place.to_string(),
            chair: DEMO_CHAIR.to_string(),
            minute_taker: DEMO_SECRETARY.to_string(),
            status,
            approved_at_meeting_id: None,
            fingerprint: String::new(),
        })?;
        meeting_ids.push((m.number, meeting_id));
    }
    let meeting = |number: i64| -> Result<i64, StoreError> {
        meeting_ids
            .iter()
            .find(|(n, _)| *n == number)
            .map(|(_, id)| *id)
            .ok_or_else(|| content_error(format!("no meeting number {number}")))
    };
    // An approved meeting was approved at the next one.
    for m in DEMO_MEETINGS.iter().filter(|m| m.status == "approved") {
        w.set_approved_at(meeting(m.number)?, meeting(m.number + 1)?)?;
    }

    let mut term_ids = Vec::new();
    for (index, t) in DEMO_TERMS.iter().enumerate() {
        let term_id = w.insert_term(&TermOfReference {
            id: 0,
            case_id,
            position: index as i64 + 1,
            heading: t.heading.to_string(),
            text: t.text.to_string(),
            kind: TermKind::from_code(t.kind)
                .ok_or_else(|| content_error(format!("term kind {}", t.kind)))?,
            status: TermStatus::from_code(t.status)
                .ok_or_else(|| content_error(format!("term status {}", t.status)))?,
            meeting_id: t.meeting.map(meeting).transpose()?,
        })?;
        term_ids.push(term_id);
    }
    let terms = |numbers: &[usize]| -> Result<Vec<i64>, StoreError> {
        numbers
            .iter()
            .map(|n| {
                n.checked_sub(1)
                    .and_then(|i| term_ids.get(i).copied())
                    .ok_or_else(|| content_error(format!("no term of reference {n}")))
            })
            .collect()
    };

    for e in DEMO_CHRONOLOGY {
        let date =
            FuzzyDate::parse_uk(e.date, today).map_err(|err| content_error(err.to_string()))?;
        let mut entry = ChronologyEntry::new(date, e.event);
        entry.case_id = case_id;
        entry.time = e.time.map(str::to_string);
        entry.agency_id = Some(agency(e.agency)?);
        entry.source_ref = e.source.to_string();
        entry.subjects = e.subjects.to_string();
        entry.action_outcome = e.action.to_string();
        entry.risk_dash = e.dash.to_string();
        entry.risk_marac = e.marac.to_string();
        entry.agency_comment = e.comment.to_string();
        entry.panel_analysis = e.analysis.to_string();
        entry.key_event = e.key;
        entry.missed_opportunity = e.missed;
        w.insert_chronology_entry(&entry, &terms(e.terms)?)?;
    }
    synthetic_rows(w, case_id, &agency_ids, extra_rows)?;

    for m in DEMO_MEETINGS {
        build_meeting(w, case_id, m, today, clock, &agency, &meeting, &terms)?;
    }
    // Approved minutes carry the fingerprint taken at approval (SPEC §6.4).
    for m in DEMO_MEETINGS.iter().filter(|m| m.status == "approved") {
        w.stamp_fingerprint(meeting(m.number)?)?;
    }

    for (index, r) in DEMO_RECOMMENDATIONS.iter().enumerate() {
        w.insert_recommendation(&Recommendation {
            id: 0,
            case_id,
            number: index as i64 + 1,
            recommendation: r.recommendation.to_string(),
            scope: RecommendationScope::from_code(r.scope)
                .ok_or_else(|| content_error(format!("scope {}", r.scope)))?,
            agency_id: r.agency.map(agency).transpose()?,
            action_to_take: r.action.to_string(),
            lead_officer: r.lead_officer.to_string(),
            milestones: r.milestones.to_string(),
            target_on: Some(offset(today, r.target)),
            completed_on: r.completed.map(|d| offset(today, d)),
            outcome: r.outcome.to_string(),
            status: RecommendationStatus::from_code(r.status)
                .ok_or_else(|| content_error(format!("recommendation status {}", r.status)))?,
        })?;
    }

    Ok(DemoSummary {
        case_id,
        chronology_entries: DEMO_CHRONOLOGY.len() as u64 + extra_rows,
        synthetic_entries: extra_rows,
    })
}

/// Finds the ids of terms-of-reference items by their 1-based numbers.
type TermLookup<'a> = dyn Fn(&[usize]) -> Result<Vec<i64>, StoreError> + 'a;

#[allow(clippy::too_many_arguments)]
fn build_meeting(
    w: &mut Seeder<'_, '_>,
    case_id: i64,
    m: &DemoMeeting,
    today: NaiveDate,
    clock: &dyn crate::time::Clock,
    agency: &dyn Fn(&str) -> Result<i64, StoreError>,
    meeting: &dyn Fn(i64) -> Result<i64, StoreError>,
    terms: &TermLookup<'_>,
) -> Result<(), StoreError> {
    let meeting_id = meeting(m.number)?;
    let date = offset(today, m.day);
    let mut items = Vec::new();
    for (index, title) in m.agenda.iter().enumerate() {
        items.push(w.insert_agenda_item(&AgendaItem {
            id: 0,
            meeting_id,
            position: index as i64 + 1,
            title: title.to_string(),
        })?);
    }
    for a in m.attendance {
        w.insert_attendance(&Attendance {
            id: 0,
            meeting_id,
            person: a.person.to_string(),
            agency_id: a.agency.map(agency).transpose()?,
            role: a.role.to_string(),
            status: AttendanceStatus::from_code(a.status)
                .ok_or_else(|| content_error(format!("attendance {}", a.status)))?,
            guest: a.guest,
        })?;
    }
    for (person, text) in m.declarations {
        w.insert_declaration(&Declaration {
            id: 0,
            meeting_id,
            person: person.to_string(),
            text: text.to_string(),
        })?;
    }
    let start = NaiveTime::parse_from_str(m.start, "%H:%M")
        .map_err(|_| content_error(format!("meeting {} start {}", m.number, m.start)))?;
    for (index, minute) in m.minutes.iter().enumerate() {
        let item_id = minute
            .item
            .checked_sub(1)
            .and_then(|i| items.get(i).copied())
            .ok_or_else(|| {
                content_error(format!(
                    "meeting {} has no agenda item {}",
                    m.number, minute.item
                ))
            })?;
        let local = date.and_time(start) + chrono::Duration::minutes(minute.at_minute);
        let minuted_at = crate::time::stamp(clock.utc_of_local(local));
        let (kind, text, record) = match &minute.line {
            DemoLine::Note(text) => (MinuteKind::Note, text.to_string(), None),
            DemoLine::Decision {
                text,
                rationale,
                decided_by,
                terms: t,
            } => {
                let id = w.insert_decision(
                    &Decision {
                        id: 0,
                        case_id,
                        meeting_id: Some(meeting_id),
                        text: text.to_string(),
                        rationale: rationale.to_string(),
                        decided_by: decided_by.to_string(),
                        decided_on: Some(date),
                    },
                    &terms(t)?,
                )?;
                (
                    MinuteKind::Decision,
                    text.to_string(),
                    Some(("decisions".to_string(), id)),
                )
            }
            DemoLine::Action {
                owner,
                agency: code,
                due,
                status,
                closed_at,
                text,
            } => {
                let due_on = offset(today, *due);
                let id = w.insert_action(&Action {
                    id: 0,
                    case_id,
                    text: text.to_string(),
                    owner: owner.to_string(),
                    agency_id: code.map(agency).transpose()?,
                    due_on: Some(due_on),
                    status: ActionStatus::from_code(status)
                        .ok_or_else(|| content_error(format!("action status {status}")))?,
                    meeting_id: Some(meeting_id),
                    closed_meeting_id: closed_at.map(meeting).transpose()?,
                })?;
                let owner_text = match code {
                    Some(code) => format!("{owner} ({code})"),
                    None => owner.to_string(),
                };
                let line = format!("{owner_text}, due {}: {text}", due_on.format("%d %b %Y"));
                (MinuteKind::Action, line, Some(("actions".to_string(), id)))
            }
            DemoLine::Challenge {
                agency: code,
                question,
                raised_by,
                response_due,
                response,
                response_on,
                status,
                terms: t,
            } => {
                let id = w.insert_challenge(
                    &Challenge {
                        id: 0,
                        case_id,
                        agency_id: Some(agency(code)?),
                        question: question.to_string(),
                        meeting_id: Some(meeting_id),
                        raised_by: raised_by.to_string(),
                        raised_on: Some(date),
                        response_due: Some(offset(today, *response_due)),
                        response: response.to_string(),
                        response_on: response_on.map(|d| offset(today, d)),
                        status: ChallengeStatus::from_code(status)
                            .ok_or_else(|| content_error(format!("challenge status {status}")))?,
                    },
                    &terms(t)?,
                )?;
                (
                    MinuteKind::Challenge,
                    format!("{code}: {question}"),
                    Some(("challenges".to_string(), id)),
                )
            }
        };
        w.insert_minute(&Minute {
            id: 0,
            meeting_id,
            agenda_item_id: item_id,
            position: index as i64 + 1,
            minuted_at,
            kind,
            text,
            record,
        })?;
    }
    Ok(())
}

/// Synthetic, clearly routine entries spread over the review period, for measuring the
/// timeline and exports at scale (`dhr demo --rows N`).
fn synthetic_rows(
    w: &mut Seeder<'_, '_>,
    case_id: i64,
    agencies: &[(&str, i64)],
    rows: u64,
) -> Result<(), StoreError> {
    const EVENTS: &[&str] = &[
        "Routine appointment attended; no disclosure recorded.",
        "Letter sent about a missed appointment.",
        "Telephone contact; no concerns noted.",
        "Record reviewed; no further action.",
        "Home visit; household seen together.",
    ];
    if rows == 0 || agencies.is_empty() {
        return Ok(());
    }
    let first = day(2016, 1, 1)?;
    let span = 1558u64; // days from 01/01/2016 to 07/04/2020
    for i in 0..rows {
        let date = first
            .checked_add_days(Days::new((i * 7919) % span))
            .unwrap_or(first);
        let mut entry = ChronologyEntry::new(
            FuzzyDate::day(date),
            EVENTS[(i % EVENTS.len() as u64) as usize],
        );
        entry.case_id = case_id;
        entry.agency_id = Some(agencies[(i % agencies.len() as u64) as usize].1);
        entry.source_ref = format!("Synthetic record {}", i + 1);
        entry.subjects = "Adult A".to_string();
        w.insert_chronology_entry(&entry, &[])?;
    }
    Ok(())
}
