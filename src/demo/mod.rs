//! Builds the fictional demo cases (`dhr demo`): DEMO-1 from its content in
//! `demo_case.json`, and DEMO-2 (`second.rs`, `demo_case_2.json`) in the same
//! transaction: fixed dates for the story, process dates relative to today so that they
//! read the same on any day.

mod data;
mod second;

use chrono::{Days, NaiveDate, NaiveTime};

use crate::domain::date::FuzzyDate;
use crate::domain::model::*;
use crate::store::seed::{Resumption, Seeder};
use crate::store::{Store, StoreError};
use data::{DemoCase, MeetingData, MinuteData};

/// The reference of the demo case.
pub const DEMO_REFERENCE: &str = "DEMO-1";

/// The reference of the second demo case (a review at action plan monitoring).
pub const DEMO_2_REFERENCE: &str = second::REFERENCE;

/// Both demo cases, as `dhr demo` and the case list name them: "DEMO-1 and DEMO-2".
pub fn demo_references() -> String {
    format!("{DEMO_REFERENCE} and {DEMO_2_REFERENCE}")
}

/// What building the demo cases did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// DEMO-1.
    pub case_id: i64,
    /// DEMO-2.
    pub second_case_id: i64,
    pub chronology_entries: u64,
    pub synthetic_entries: u64,
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

/// A fixed date of the story, written YYYY-MM-DD.
fn fixed(what: &str, value: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| content_error(format!("{what} {value} is not a YYYY-MM-DD date")))
}

/// A closed-vocabulary value from its code.
fn code<T>(what: &str, value: &str, from_code: fn(&str) -> Option<T>) -> Result<T, StoreError> {
    from_code(value).ok_or_else(|| content_error(format!("{what} {value}")))
}

/// How many synthetic rows the running `dhr demo --rows N` has added (for its progress
/// line).
pub static SYNTHETIC_ADDED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Adds DEMO-1 (with `extra_rows` synthetic chronology entries for benchmarks) and
/// DEMO-2 in one transaction. When either exists, changes nothing and says which.
pub fn create_demo(store: &mut Store, extra_rows: u64) -> Result<DemoSummary, StoreError> {
    for reference in [DEMO_REFERENCE, DEMO_2_REFERENCE] {
        if store.case_by_reference(reference)?.is_some() {
            return Err(StoreError::Rule(format!(
                "the demo case {reference} already exists in {}; nothing was changed",
                store.path().display()
            )));
        }
    }
    let demo = data::load().map_err(content_error)?;
    let demo_2 = second::load().map_err(content_error)?;
    let clock = store.clock().clone();
    let today = clock.today();
    store.seed(|w| {
        let summary = build(w, &demo, today, extra_rows, &*clock)?;
        let second_case_id = second::build(w, &demo_2, today)?;
        Ok(DemoSummary {
            second_case_id,
            ..summary
        })
    })
}

fn build(
    w: &mut Seeder<'_, '_>,
    demo: &DemoCase,
    today: NaiveDate,
    extra_rows: u64,
    clock: &dyn crate::time::Clock,
) -> Result<DemoSummary, StoreError> {
    let c = &demo.case;
    let kind = code("review kind", &c.kind, ReviewKind::from_code)?;
    let mut case = Case::new(DEMO_REFERENCE, kind, &c.title);
    case.partnership = c.partnership.clone();
    case.date_of_death = Some(fixed("date_of_death", &c.date_of_death)?);
    case.notified_on = Some(fixed("notified_on", &c.notified_on)?);
    case.chair = c.chair.clone();
    case.overview_author = c.overview_author.clone();
    // The demo's minute taker is the partnership's coordinator of the review.
    case.coordinator = c.minute_taker.clone();
    case.period_from = Some(fixed("period_from", &c.period_from)?);
    case.period_to = Some(fixed("period_to", &c.period_to)?);
    case.stage = code("stage", &c.stage, Stage::from_code)?;
    let case_id = w.insert_case(&case)?;
    record_decision(
        w,
        case_id,
        &demo.decision,
        fixed("decision_on", &c.decision_on)?,
        fixed("home_office_notified_on", &c.home_office_notified_on)?,
    )?;

    for s in &demo.subjects {
        w.insert_subject(&Subject {
            id: 0,
            case_id,
            role: code("subject role", &s.role, SubjectRole::from_code)?,
            real_names: s.real_names.clone(),
            pseudonym: s.pseudonym.clone(),
            relationship: s.relationship.clone(),
            notes: s.notes.clone(),
        })?;
    }

    for p in &demo.places {
        w.insert_place(&Place {
            id: 0,
            case_id,
            kind: code("place kind", &p.kind, PlaceKind::from_code)?,
            text: p.text.clone(),
            replacement: p.replacement.clone(),
        })?;
    }

    family_and_proceedings(
        w,
        &PauseStory::of(&demo.case)?,
        &demo.family_and_proceedings,
        case_id,
        today,
    )?;

    let mut agency_ids: Vec<(&str, i64)> = Vec::new();
    for a in &demo.agencies {
        let agency_id = w.insert_agency(&agency_of(a, case_id, today)?)?;
        for m in &a.members {
            w.insert_panel_member(&PanelMember {
                id: 0,
                agency_id,
                name: m.name.clone(),
                role: m.role.clone(),
                deputy: m.deputy.clone(),
                login: String::new(),
            })?;
        }
        agency_ids.push((&a.code, agency_id));
    }
    let agency = |code: &str| -> Result<i64, StoreError> {
        agency_ids
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, id)| *id)
            .ok_or_else(|| content_error(format!("no agency with code {code}")))
    };

    let mut meeting_ids: Vec<(i64, i64)> = Vec::new();
    for m in &demo.meetings {
        let meeting_id = w.insert_meeting(&Meeting {
            id: 0,
            case_id,
            number: m.number,
            date: offset(today, m.date_days),
            start_time: m.start.clone(),
            end_time: m.end.clone(),
            place: m.place.clone(),
            chair: c.chair.clone(),
            minute_taker: c.minute_taker.clone(),
            status: code("meeting status", &m.status, MeetingStatus::from_code)?,
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
    for m in demo.meetings.iter().filter(|m| m.status == "approved") {
        w.set_approved_at(meeting(m.number)?, meeting(m.number + 1)?)?;
    }

    let mut term_ids: Vec<(usize, i64)> = Vec::new();
    for t in &demo.terms_of_reference {
        let term_id = w.insert_term(&TermOfReference {
            id: 0,
            case_id,
            position: t.number as i64,
            heading: t.heading.clone(),
            text: t.text.clone(),
            kind: code("term kind", &t.kind, TermKind::from_code)?,
            status: code("term status", &t.status, TermStatus::from_code)?,
            meeting_id: t.meeting.map(meeting).transpose()?,
        })?;
        term_ids.push((t.number, term_id));
    }
    let terms = |numbers: &[usize]| -> Result<Vec<i64>, StoreError> {
        numbers
            .iter()
            .map(|n| {
                term_ids
                    .iter()
                    .find(|(number, _)| number == n)
                    .map(|(_, id)| *id)
                    .ok_or_else(|| content_error(format!("no term of reference {n}")))
            })
            .collect()
    };

    for e in &demo.chronology {
        let date =
            FuzzyDate::parse_uk(&e.date, today).map_err(|err| content_error(err.to_string()))?;
        let mut entry = ChronologyEntry::new(date, &e.event);
        entry.case_id = case_id;
        entry.time = e.time.clone();
        entry.agency_id = Some(agency(&e.agency)?);
        entry.source_ref = e.source.clone();
        entry.subjects = e.subjects.clone();
        entry.action_outcome = e.action_outcome.clone();
        entry.risk_dash = e.risk_dash.clone();
        entry.risk_marac = e.risk_marac.clone();
        entry.agency_comment = e.agency_comment.clone();
        entry.panel_analysis = e.panel_analysis.clone();
        entry.key_event = e.key_event;
        entry.missed_opportunity = e.missed_opportunity;
        w.insert_chronology_entry(&entry, &terms(&e.terms)?)?;
    }
    synthetic_rows(w, demo, case_id, &agency_ids, extra_rows)?;

    let refs = Refs {
        case_id,
        today,
        clock,
        agency: &agency,
        meeting: &meeting,
        terms: &terms,
    };
    for m in &demo.meetings {
        build_meeting(w, &refs, m)?;
    }
    // Approved minutes carry the fingerprint taken at approval.
    for m in demo.meetings.iter().filter(|m| m.status == "approved") {
        w.stamp_fingerprint(meeting(m.number)?)?;
    }

    let plan = insert_plan(w, &demo.recommendations, case_id, today, &agency)?;
    build_plan_and_characteristics(w, &demo.plan_and_characteristics, case_id, today, &plan)?;

    Ok(DemoSummary {
        case_id,
        second_case_id: 0,
        chronology_entries: demo.chronology.len() as u64 + extra_rows,
        synthetic_entries: extra_rows,
    })
}

/// The recommendations of the action plan, as written (the sending and the closures
/// follow in `build_plan_and_characteristics`).
fn insert_plan(
    w: &mut Seeder<'_, '_>,
    recommendations: &[data::RecommendationData],
    case_id: i64,
    today: NaiveDate,
    agency: &dyn Fn(&str) -> Result<i64, StoreError>,
) -> Result<Vec<Recommendation>, StoreError> {
    let mut plan = Vec::new();
    for r in recommendations {
        let mut record = Recommendation {
            id: 0,
            case_id,
            number: r.number,
            recommendation: r.recommendation.clone(),
            scope: code("scope", &r.scope, RecommendationScope::from_code)?,
            agency_id: r.agency.as_deref().map(agency).transpose()?,
            action_to_take: r.action_to_take.clone(),
            lead_officer: r.lead_officer.clone(),
            milestones: r.milestones.clone(),
            target_on: Some(offset(today, r.target_days)),
            completed_on: r.completed_days.map(|d| offset(today, d)),
            outcome: r.outcome.clone(),
            status: code(
                "recommendation status",
                &r.status,
                RecommendationStatus::from_code,
            )?,
            closed_reason: None,
            addressee: String::new(),
            sent_on: None,
            response: String::new(),
            response_on: None,
        };
        record.id = w.insert_recommendation(&record)?;
        plan.push(record);
    }
    Ok(plan)
}

/// The case characteristics, the sending of the national or regional recommendations and
/// the recommendations closed with a reason, through the same writes as the workspace.
fn build_plan_and_characteristics(
    w: &mut Seeder<'_, '_>,
    data: &data::PlanAndCharacteristics,
    case_id: i64,
    today: NaiveDate,
    plan: &[Recommendation],
) -> Result<(), StoreError> {
    use crate::domain::review::Characteristic;
    let values = data
        .characteristics
        .iter()
        .map(|(name, value)| {
            code("characteristic", name, Characteristic::from_code).map(|c| (c, value.clone()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    w.save_characteristics(case_id, &values)?;
    let numbered = |number: i64| {
        plan.iter()
            .find(|r| r.number == number)
            .ok_or_else(|| content_error(format!("no recommendation {number}")))
    };
    for s in &data.sent {
        let r = Recommendation {
            addressee: s.addressee.clone(),
            sent_on: Some(offset(today, s.sent_days)),
            response: s.response.clone(),
            response_on: s.response_days.map(|d| offset(today, d)),
            ..numbered(s.number)?.clone()
        };
        w.update_recommendation(&r)?;
    }
    for c in &data.closed {
        let reason = code("closed reason", &c.reason, ClosedReason::from_code)?;
        w.close_recommendation(numbered(c.number)?.id, reason, &c.outcome)?;
    }
    Ok(())
}

/// The decision whether to review, whole (outcome, criteria, reasons, who decided, the
/// Home Office told and its reply), dated by the case's `decision_on` and
/// `home_office_notified_on`.
fn record_decision(
    w: &mut Seeder<'_, '_>,
    case_id: i64,
    d: &data::DecisionData,
    decision_on: NaiveDate,
    home_office_notified_on: NaiveDate,
) -> Result<(), StoreError> {
    let outcome = code(
        "decision outcome",
        &d.outcome,
        crate::domain::review::DecisionOutcome::from_code,
    )?;
    w.record_decision(&crate::domain::review::ReviewDecision {
        id: 0,
        case_id,
        outcome,
        criteria: d.criteria.clone(),
        reasons: d.reasons.clone(),
        decided_by: d.decided_by.clone(),
        decided_on: Some(decision_on),
        home_office_notified_on: Some(home_office_notified_on),
        home_office_reply: d.home_office_reply.clone(),
    })?;
    Ok(())
}

/// Finds the ids of terms-of-reference items by their numbers.
type TermLookup<'a> = dyn Fn(&[usize]) -> Result<Vec<i64>, StoreError> + 'a;

/// What every meeting's records need: the case, today, and the ids behind the content's
/// agency codes, meeting numbers and term numbers.
struct Refs<'a> {
    case_id: i64,
    today: NaiveDate,
    clock: &'a dyn crate::time::Clock,
    agency: &'a dyn Fn(&str) -> Result<i64, StoreError>,
    meeting: &'a dyn Fn(i64) -> Result<i64, StoreError>,
    terms: &'a TermLookup<'a>,
}

fn build_meeting(
    w: &mut Seeder<'_, '_>,
    refs: &Refs<'_>,
    m: &MeetingData,
) -> Result<(), StoreError> {
    let Refs {
        case_id,
        today,
        clock,
        agency,
        meeting,
        terms,
    } = *refs;
    let meeting_id = meeting(m.number)?;
    let date = offset(today, m.date_days);
    let mut items = Vec::new();
    for (index, title) in m.agenda.iter().enumerate() {
        items.push(w.insert_agenda_item(&AgendaItem {
            id: 0,
            meeting_id,
            position: index as i64 + 1,
            title: title.clone(),
        })?);
    }
    for a in &m.attendance {
        w.insert_attendance(&Attendance {
            id: 0,
            meeting_id,
            person: a.person.clone(),
            agency_id: a.agency.as_deref().map(agency).transpose()?,
            role: a.role.clone(),
            status: code("attendance", &a.status, AttendanceStatus::from_code)?,
            guest: a.guest,
            organisation: String::new(),
            left_at: String::new(),
        })?;
    }
    for d in &m.declarations {
        w.insert_declaration(&Declaration {
            id: 0,
            meeting_id,
            person: d.person.clone(),
            text: d.text.clone(),
        })?;
    }
    let start = NaiveTime::parse_from_str(&m.start, "%H:%M")
        .map_err(|_| content_error(format!("meeting {} start {}", m.number, m.start)))?;
    for (index, minute) in m.minutes.iter().enumerate() {
        let item_id = minute
            .item()
            .checked_sub(1)
            .and_then(|i| items.get(i).copied())
            .ok_or_else(|| {
                content_error(format!(
                    "meeting {} has no agenda item {}",
                    m.number,
                    minute.item()
                ))
            })?;
        let local = date.and_time(start) + chrono::Duration::minutes(minute.at_minute());
        let minuted_at = crate::time::stamp(clock.utc_of_local(local));
        let (kind, text, record) = match minute {
            MinuteData::Note { text, .. } => (MinuteKind::Note, text.clone(), None),
            MinuteData::Decision {
                text,
                rationale,
                decided_by,
                terms: t,
                ..
            } => {
                let id = w.insert_decision(
                    &Decision {
                        id: 0,
                        case_id,
                        meeting_id: Some(meeting_id),
                        text: text.clone(),
                        rationale: rationale.clone(),
                        decided_by: decided_by.clone(),
                        decided_on: Some(date),
                    },
                    &terms(t)?,
                )?;
                (
                    MinuteKind::Decision,
                    text.clone(),
                    Some(("decisions".to_string(), id)),
                )
            }
            MinuteData::Action {
                owner,
                agency: code_of,
                due_days,
                status,
                closed_at,
                text,
                ..
            } => {
                let due_on = offset(today, *due_days);
                let id = w.insert_action(&Action {
                    id: 0,
                    case_id,
                    text: text.clone(),
                    owner: owner.clone(),
                    agency_id: code_of.as_deref().map(agency).transpose()?,
                    due_on: Some(due_on),
                    status: code("action status", status, ActionStatus::from_code)?,
                    meeting_id: Some(meeting_id),
                    closed_meeting_id: closed_at.map(meeting).transpose()?,
                })?;
                let owner_text = match code_of {
                    Some(code) => format!("{owner} ({code})"),
                    None => owner.clone(),
                };
                let line = format!("{owner_text}, due {}: {text}", due_on.format("%d %b %Y"));
                (MinuteKind::Action, line, Some(("actions".to_string(), id)))
            }
            MinuteData::Challenge {
                agency: code_of,
                question,
                raised_by,
                response_due_days,
                response,
                response_on_days,
                status,
                terms: t,
                ..
            } => {
                let id = w.insert_challenge(
                    &Challenge {
                        id: 0,
                        case_id,
                        agency_id: Some(agency(code_of)?),
                        question: question.clone(),
                        meeting_id: Some(meeting_id),
                        raised_by: raised_by.clone(),
                        raised_on: Some(date),
                        response_due: Some(offset(today, *response_due_days)),
                        response: response.clone(),
                        response_on: response_on_days.map(|d| offset(today, d)),
                        status: code("challenge status", status, ChallengeStatus::from_code)?,
                    },
                    &terms(t)?,
                )?;
                (
                    MinuteKind::Challenge,
                    format!("{code_of}: {question}"),
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
    demo: &DemoCase,
    case_id: i64,
    agencies: &[(&str, i64)],
    rows: u64,
) -> Result<(), StoreError> {
    let events = &demo.synthetic_events;
    if rows == 0 || agencies.is_empty() || events.is_empty() {
        return Ok(());
    }
    let first = fixed("period_from", &demo.case.period_from)?;
    let last = fixed("period_to", &demo.case.period_to)?;
    let span = u64::try_from((last - first).num_days())
        .ok()
        .filter(|days| *days > 0)
        .ok_or_else(|| content_error("the review period ends before it starts".to_string()))?;
    w.adding_many(|w| synthetic_entries(w, events, case_id, agencies, (first, span), rows))
}

/// The synthetic entries themselves, `span` days from `first`.
fn synthetic_entries(
    w: &mut Seeder<'_, '_>,
    events: &[String],
    case_id: i64,
    agencies: &[(&str, i64)],
    (first, span): (NaiveDate, u64),
    rows: u64,
) -> Result<(), StoreError> {
    for i in 0..rows {
        let date = first
            .checked_add_days(Days::new((i * 7919) % span))
            .unwrap_or(first);
        let mut entry = ChronologyEntry::new(
            FuzzyDate::day(date),
            &events[(i % events.len() as u64) as usize],
        );
        entry.case_id = case_id;
        entry.agency_id = Some(agencies[(i % agencies.len() as u64) as usize].1);
        entry.source_ref = format!("Synthetic record {}", i + 1);
        entry.subjects = "Adult A".to_string();
        w.insert_chronology_entry(&entry, &[])?;
        SYNTHETIC_ADDED.store(i + 1, std::sync::atomic::Ordering::Relaxed);
    }
    Ok(())
}

#[cfg(test)]
mod tests;

/// The parallel proceedings with their disclosure requests; the history of the pause as
/// it happened (paused for the criminal trial, resumed, then an extension agreed: the
/// audit trail keeps each step, in that order, so the clock counts to the extension); and
/// the people approached with their advocacy and contacts.
fn family_and_proceedings(
    w: &mut Seeder<'_, '_>,
    c: &PauseStory<'_>,
    f: &data::FamilyData,
    case_id: i64,
    today: NaiveDate,
) -> Result<(), StoreError> {
    use crate::domain::review::{
        AdvocacyResponse, Connection, Consent, ContactMethod, DisclosureRequest, FamilyContact,
        FamilyPerson, Proceeding, ProceedingKind,
    };
    let days = |d: Option<i64>| d.map(|d| offset(today, d));
    let fixed_opt =
        |what: &str, d: &Option<String>| d.as_deref().map(|d| fixed(what, d)).transpose();
    let mut proceedings = Vec::new();
    let mut paused_for = None;
    for p in &f.proceedings {
        let id = w.save_proceeding(&Proceeding {
            id: 0,
            case_id,
            kind: code("proceeding kind", &p.kind, ProceedingKind::from_code)?,
            title: p.title.clone(),
            contact: p.contact.clone(),
            contact_role: p.contact_role.clone(),
            charged_on: fixed_opt("charged_on", &p.charged_on)?,
            trial_on: days(p.trial_days),
            verdict_on: days(p.verdict_days),
            sentenced_on: days(p.sentenced_days),
            opened_on: fixed_opt("opened_on", &p.opened_on)?.or(days(p.opened_days)),
            resumed_on: days(p.resumed_days),
            concluded_on: days(p.concluded_days),
            notes: p.notes.clone(),
        })?;
        if p.paused_for {
            paused_for = Some(id);
        }
        proceedings.push(id);
    }
    w.open_pause(case_id, paused_for, Some(c.paused_on), c.paused_reason)?;
    let resumed = offset(today, c.resumed_days);
    w.resume_case(
        case_id,
        &Resumption {
            on: resumed,
            reason: c
                .resumed_reason
                .replace("{date}", &resumed.format("%d %b %Y").to_string()),
            extended_to: offset(today, c.extended_to_days),
            extension_reason: c.extension_reason.to_string(),
        },
    )?;
    for d in &f.disclosures {
        let proceeding_id = *proceedings
            .get(d.proceeding)
            .ok_or_else(|| content_error(format!("no proceeding number {}", d.proceeding)))?;
        w.save_disclosure(&DisclosureRequest {
            id: 0,
            case_id,
            proceeding_id,
            asked_on: Some(offset(today, d.asked_days)),
            asked_by: d.asked_by.clone(),
            request: d.request.clone(),
            answered_on: days(d.answered_days),
            answer: d.answer.clone(),
        })?;
    }
    let subjects = w.subject_ids(case_id)?;
    for p in &f.people {
        let subject_id = subjects
            .iter()
            .find(|(name, _)| *name == p.subject)
            .map(|(_, id)| *id)
            .ok_or_else(|| content_error(format!("no subject {}", p.subject)))?;
        let person_id = w.save_family_person(&FamilyPerson {
            id: 0,
            case_id,
            subject_id,
            connection: code("connection", &p.connection, Connection::from_code)?,
            approached_on: Some(offset(today, p.approached_days)),
            approached_by: p.approached_by.clone(),
            advocacy_offered_on: days(p.advocacy_offered_days),
            advocacy_offered_by: p.advocacy_offered_by.clone(),
            advocacy_response: code(
                "advocacy response",
                &p.advocacy_response,
                AdvocacyResponse::from_code,
            )?,
            advocate: p.advocate.clone(),
            notes: p.notes.clone(),
        })?;
        for contact in &p.contacts {
            w.save_family_contact(&FamilyContact {
                id: 0,
                case_id,
                person_id,
                contact_on: Some(offset(today, contact.days)),
                method: code("contact method", &contact.method, ContactMethod::from_code)?,
                by_whom: contact.by_whom.clone(),
                shared_tor: contact.shared_tor,
                shared_draft: contact.shared_draft,
                shared_publication_date: contact.shared_publication_date,
                views: contact.views.clone(),
                consent: code("consent", &contact.consent, Consent::from_code)?,
                consent_detail: contact.consent_detail.clone(),
            })?;
        }
    }
    Ok(())
}

/// The pause of a demo case as it happened: paused on a day of the story, resumed and
/// extended on days relative to today.
struct PauseStory<'a> {
    paused_on: NaiveDate,
    paused_reason: &'a str,
    resumed_days: i64,
    /// `{date}` is replaced by the day it resumed.
    resumed_reason: &'a str,
    extended_to_days: i64,
    extension_reason: &'a str,
}

impl<'a> PauseStory<'a> {
    fn of(c: &'a data::CaseData) -> Result<PauseStory<'a>, StoreError> {
        Ok(PauseStory {
            paused_on: fixed("paused_on", &c.paused_on)?,
            paused_reason: &c.paused_reason,
            resumed_days: c.resumed_days,
            resumed_reason: &c.resumed_reason,
            extended_to_days: c.extended_to_days,
            extension_reason: &c.extension_reason,
        })
    }
}

/// An agency of a demo case as its JSON describes it, dated relative to `today`.
pub(crate) fn agency_of(
    a: &data::AgencyData,
    case_id: i64,
    today: NaiveDate,
) -> Result<Agency, StoreError> {
    let mut agency = Agency::new(&a.name, &a.code);
    agency.case_id = case_id;
    agency.contact_found = code("contact", &a.contact_found, ContactFound::from_code)?;
    agency.return_type = code("return type", &a.return_type, ReturnType::from_code)?;
    agency.status = code("IMR status", &a.status, ImrStatus::from_code)?;
    agency.author = a.author.clone();
    agency.author_independent = a.author_independent;
    agency.requested_on = a.requested_days.map(|d| offset(today, d));
    agency.due_on = a.due_days.map(|d| offset(today, d));
    agency.received_on = a.received_days.map(|d| offset(today, d));
    agency.chased_on = a.chased_days.iter().map(|d| offset(today, *d)).collect();
    agency.scoped_out_reason = a.scoped_out_reason.clone();
    agency.notes = a.notes.clone();
    Ok(agency)
}
