//! The embedded demo case parses and every reference inside it resolves, so a hand edit
//! of `demo_case.json` that breaks it fails `cargo test` rather than `dhr demo`.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveTime};

use super::data::{self, MinuteData};
use crate::domain::date::FuzzyDate;
use crate::domain::model::*;

fn check_code<T>(
    problems: &mut Vec<String>,
    what: &str,
    value: &str,
    parse: fn(&str) -> Option<T>,
) {
    if parse(value).is_none() {
        problems.push(format!("{what}: unknown code {value:?}"));
    }
}

fn check_numbers<T: PartialEq + std::fmt::Debug>(
    problems: &mut Vec<String>,
    what: &str,
    numbers: &[T],
    expected: impl Iterator<Item = T>,
) {
    let expected: Vec<T> = expected.collect();
    if numbers != expected.as_slice() {
        problems.push(format!("{what} are numbered {numbers:?}, not {expected:?}"));
    }
}

#[test]
fn the_embedded_demo_case_parses() {
    if let Err(e) = data::load() {
        panic!("{e}");
    }
}

#[test]
fn a_misspelt_field_is_an_error_not_ignored() {
    let edited = data::DEMO_CASE_JSON.replacen("\"risk_dash\"", "\"risk_dahs\"", 1);
    assert_ne!(edited, data::DEMO_CASE_JSON);
    let err = serde_json::from_str::<data::DemoCase>(&edited)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("risk_dahs"), "{err}");
    let edited = data::DEMO_CASE_JSON.replacen("\"response_due_days\"", "\"response_due\"", 1);
    assert!(serde_json::from_str::<data::DemoCase>(&edited).is_err());
}

#[test]
fn every_reference_in_the_demo_case_resolves() {
    let demo = data::load().unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let mut problems = Vec::new();
    let p = &mut problems;

    let c = &demo.case;
    check_code(p, "case kind", &c.kind, ReviewKind::from_code);
    check_code(p, "case stage", &c.stage, Stage::from_code);
    for (what, value) in [
        ("date_of_death", &c.date_of_death),
        ("notified_on", &c.notified_on),
        ("decision_on", &c.decision_on),
        ("home_office_notified_on", &c.home_office_notified_on),
        ("period_from", &c.period_from),
        ("period_to", &c.period_to),
        ("paused_on", &c.paused_on),
    ] {
        if NaiveDate::parse_from_str(value, "%Y-%m-%d").is_err() {
            p.push(format!("case {what} {value:?} is not YYYY-MM-DD"));
        }
    }
    if c.period_from >= c.period_to {
        p.push("the review period ends before it starts".into());
    }
    // The resumption's day is shown beside its reason ("Resumed 30/01/2026: …"): the
    // reason need not hold it.
    if c.resumed_reason.trim().is_empty() {
        p.push("case resumed_reason is empty".into());
    }
    if demo.synthetic_events.is_empty() {
        p.push("no synthetic_events".into());
    }

    let mut pseudonyms = HashSet::new();
    for s in &demo.subjects {
        check_code(
            p,
            &format!("subject {} role", s.pseudonym),
            &s.role,
            SubjectRole::from_code,
        );
        if !pseudonyms.insert(s.pseudonym.as_str()) {
            p.push(format!("two subjects are {}", s.pseudonym));
        }
    }

    let mut agencies = HashSet::new();
    for a in &demo.agencies {
        if !agencies.insert(a.code.as_str()) {
            p.push(format!("two agencies have code {}", a.code));
        }
        check_code(
            p,
            &format!("agency {} contact_found", a.code),
            &a.contact_found,
            ContactFound::from_code,
        );
        check_code(
            p,
            &format!("agency {} return_type", a.code),
            &a.return_type,
            ReturnType::from_code,
        );
        check_code(
            p,
            &format!("agency {} status", a.code),
            &a.status,
            ImrStatus::from_code,
        );
    }
    let agency = |p: &mut Vec<String>, what: &str, code: &str| {
        if !agencies.contains(code) {
            p.push(format!("{what}: no agency with code {code:?}"));
        }
    };

    let meetings: Vec<i64> = demo.meetings.iter().map(|m| m.number).collect();
    check_numbers(p, "meetings", &meetings, 1..=meetings.len() as i64);
    let meeting = |p: &mut Vec<String>, what: &str, number: i64| {
        if !meetings.contains(&number) {
            p.push(format!("{what}: no meeting {number}"));
        }
    };

    let terms: Vec<usize> = demo.terms_of_reference.iter().map(|t| t.number).collect();
    check_numbers(p, "terms of reference", &terms, 1..=terms.len());
    let term = |p: &mut Vec<String>, what: &str, numbers: &[usize]| {
        for n in numbers {
            if !terms.contains(n) {
                p.push(format!("{what}: no term of reference {n}"));
            }
        }
    };
    for t in &demo.terms_of_reference {
        let what = format!("term {}", t.number);
        check_code(p, &format!("{what} kind"), &t.kind, TermKind::from_code);
        check_code(
            p,
            &format!("{what} status"),
            &t.status,
            TermStatus::from_code,
        );
        if let Some(m) = t.meeting {
            meeting(p, &what, m);
        }
    }

    for (index, e) in demo.chronology.iter().enumerate() {
        let what = format!("chronology entry {} ({})", index + 1, e.date);
        if let Err(err) = FuzzyDate::parse_uk(&e.date, today) {
            p.push(format!("{what}: {err}"));
        }
        if let Some(time) = &e.time
            && NaiveTime::parse_from_str(time, "%H:%M").is_err()
        {
            p.push(format!("{what}: time {time:?} is not HH:MM"));
        }
        agency(p, &what, &e.agency);
        for name in e.subjects.split("; ").filter(|n| !n.is_empty()) {
            if !pseudonyms.contains(name) {
                p.push(format!("{what}: no subject with pseudonym {name:?}"));
            }
        }
        term(p, &what, &e.terms);
    }

    for m in &demo.meetings {
        let what = format!("meeting {}", m.number);
        check_code(
            p,
            &format!("{what} status"),
            &m.status,
            MeetingStatus::from_code,
        );
        if m.status == "approved" {
            meeting(
                p,
                &format!("{what} (approved at the next meeting)"),
                m.number + 1,
            );
        }
        if NaiveTime::parse_from_str(&m.start, "%H:%M").is_err() {
            p.push(format!("{what}: start {:?} is not HH:MM", m.start));
        }
        if !m.end.is_empty() && NaiveTime::parse_from_str(&m.end, "%H:%M").is_err() {
            p.push(format!("{what}: end {:?} is not HH:MM", m.end));
        }
        for a in &m.attendance {
            let who = format!("{what} attendance of {}", a.person);
            check_code(p, &who, &a.status, AttendanceStatus::from_code);
            if let Some(code) = &a.agency {
                agency(p, &who, code);
            }
        }
        for (index, minute) in m.minutes.iter().enumerate() {
            let line = format!("{what} minute {}", index + 1);
            if minute.item() == 0 || minute.item() > m.agenda.len() {
                p.push(format!("{line}: no agenda item {}", minute.item()));
            }
            match minute {
                MinuteData::Note { .. } => {}
                MinuteData::Decision { terms, .. } => term(p, &line, terms),
                MinuteData::Action {
                    agency: code,
                    status,
                    closed_at,
                    ..
                } => {
                    check_code(p, &line, status, ActionStatus::from_code);
                    if let Some(code) = code {
                        agency(p, &line, code);
                    }
                    if let Some(closed) = closed_at {
                        meeting(p, &line, *closed);
                    }
                }
                MinuteData::Challenge {
                    agency: code,
                    status,
                    terms,
                    ..
                } => {
                    check_code(p, &line, status, ChallengeStatus::from_code);
                    agency(p, &line, code);
                    term(p, &line, terms);
                }
            }
        }
    }

    let recommendations: Vec<i64> = demo.recommendations.iter().map(|r| r.number).collect();
    check_numbers(
        p,
        "recommendations",
        &recommendations,
        1..=recommendations.len() as i64,
    );
    for r in &demo.recommendations {
        let what = format!("recommendation {}", r.number);
        check_code(
            p,
            &format!("{what} scope"),
            &r.scope,
            RecommendationScope::from_code,
        );
        check_code(
            p,
            &format!("{what} status"),
            &r.status,
            RecommendationStatus::from_code,
        );
        if let Some(code) = &r.agency {
            agency(p, &what, code);
        }
    }

    assert!(
        problems.is_empty(),
        "demo_case.json:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_second_demo_case_parses_refuses_a_misspelt_field_and_its_references_resolve() {
    use super::second;
    use crate::domain::review::{
        AdvocacyResponse, Characteristic, Connection, Consent, ContactMethod, ProceedingKind,
        PublicationItem, QaPointStatus,
    };
    let demo = second::load().unwrap_or_else(|e| panic!("{e}"));
    let edited = second::DEMO_CASE_2_JSON.replacen("\"letter_days\"", "\"leter_days\"", 1);
    let err = serde_json::from_str::<second::SecondCase>(&edited)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("leter_days"), "{err}");

    let mut problems = Vec::new();
    let p = &mut problems;
    let c = &demo.case;
    check_code(p, "case kind", &c.kind, ReviewKind::from_code);
    check_code(p, "case stage", &c.stage, Stage::from_code);
    // The resumption's day is shown beside its reason ("Resumed 30/01/2026: …"): the
    // reason need not hold it.
    if c.resumed_reason.trim().is_empty() {
        p.push("case resumed_reason is empty".into());
    }
    // The story's order, on any day: the extension agreed after the resumption, the
    // report completed on time.
    let story = [
        ("period_from", c.period_from_days),
        ("death", c.death_days),
        ("notified", c.notified_days),
        ("decision", c.decision_days),
        ("home_office_notified", c.home_office_notified_days),
        ("paused", c.paused_days),
        ("resumed", c.resumed_days),
        ("report_completed", c.report_completed_days),
        ("extended_to", c.extended_to_days),
    ];
    for pair in story.windows(2) {
        if pair[0].1 > pair[1].1 {
            p.push(format!("{} comes after {}", pair[0].0, pair[1].0));
        }
    }
    check_code(p, "decision outcome", &demo.decision.outcome, |s| {
        crate::domain::review::DecisionOutcome::from_code(s)
    });
    let pseudonyms: HashSet<&str> = demo.subjects.iter().map(|s| s.pseudonym.as_str()).collect();
    for s in &demo.subjects {
        check_code(p, &s.pseudonym, &s.role, SubjectRole::from_code);
    }
    let agencies: HashSet<&str> = demo.agencies.iter().map(|a| a.code.as_str()).collect();
    for a in &demo.agencies {
        check_code(p, &a.code, &a.status, ImrStatus::from_code);
        check_code(p, &a.code, &a.return_type, ReturnType::from_code);
        check_code(p, &a.code, &a.contact_found, ContactFound::from_code);
    }
    let f = &demo.family_and_proceedings;
    for x in &f.proceedings {
        check_code(p, &x.title, &x.kind, ProceedingKind::from_code);
    }
    if f.proceedings.iter().filter(|x| x.paused_for).count() != 1 {
        p.push("one proceeding is the one the pause waits for".into());
    }
    for d in &f.disclosures {
        if d.proceeding >= f.proceedings.len() {
            p.push(format!("no proceeding {}", d.proceeding));
        }
    }
    for person in &f.people {
        if !pseudonyms.contains(person.subject.as_str()) {
            p.push(format!("no subject {}", person.subject));
        }
        check_code(
            p,
            &person.subject,
            &person.connection,
            Connection::from_code,
        );
        check_code(
            p,
            &person.subject,
            &person.advocacy_response,
            AdvocacyResponse::from_code,
        );
        if person.advocacy_offered_days.is_none() {
            p.push(format!("{} was offered no advocacy", person.subject));
        }
        for contact in &person.contacts {
            check_code(
                p,
                &person.subject,
                &contact.method,
                ContactMethod::from_code,
            );
            check_code(p, &person.subject, &contact.consent, Consent::from_code);
        }
    }
    for r in &demo.qa_rounds {
        check_code(p, "QA outcome", &r.outcome, QaOutcome::from_code);
        for point in &r.points {
            check_code(
                p,
                "QA point status",
                &point.status,
                QaPointStatus::from_code,
            );
        }
    }
    let items: HashSet<&str> = demo.publication.iter().map(|i| i.item.as_str()).collect();
    for item in PublicationItem::ALL {
        if !items.contains(item.code()) {
            p.push(format!("the publication checklist lacks {item}"));
        }
    }
    for i in &demo.publication {
        check_code(p, "publication item", &i.item, PublicationItem::from_code);
    }
    let numbers: Vec<i64> = demo.recommendations.iter().map(|r| r.number).collect();
    check_numbers(p, "recommendations", &numbers, 1..=numbers.len() as i64);
    for r in &demo.recommendations {
        check_code(p, "scope", &r.scope, RecommendationScope::from_code);
        check_code(p, "status", &r.status, RecommendationStatus::from_code);
        if let Some(code) = &r.agency
            && !agencies.contains(code.as_str())
        {
            p.push(format!("recommendation {}: no agency {code}", r.number));
        }
    }
    let plan = &demo.plan_and_characteristics;
    for name in plan.characteristics.keys() {
        check_code(p, "characteristic", name, Characteristic::from_code);
    }
    for n in plan
        .sent
        .iter()
        .map(|s| s.number)
        .chain(plan.closed.iter().map(|c| c.number))
    {
        if !numbers.contains(&n) {
            p.push(format!("no recommendation {n}"));
        }
    }
    assert!(
        problems.is_empty(),
        "demo_case_2.json:\n{}",
        problems.join("\n")
    );
}

#[test]
fn no_real_name_of_one_demo_case_is_a_word_of_the_other() {
    let first = data::DEMO_CASE_JSON.to_lowercase();
    let second_json = super::second::DEMO_CASE_2_JSON.to_lowercase();
    let words = |text: &str| -> HashSet<String> {
        text.split(|c: char| !c.is_alphabetic())
            .filter(|w| w.chars().count() >= 3)
            .map(str::to_string)
            .collect()
    };
    let (in_first, in_second) = (words(&first), words(&second_json));
    let names = |real: Vec<&str>| -> Vec<String> {
        real.iter()
            .flat_map(|n| n.split(|c: char| !c.is_alphabetic()))
            .filter(|w| {
                w.chars().count() >= 3 && !["mrs", "miss"].contains(&w.to_lowercase().as_str())
            })
            .map(str::to_lowercase)
            .collect()
    };
    let demo = data::load().unwrap();
    let demo_2 = super::second::load().unwrap();
    for w in names(
        demo_2
            .subjects
            .iter()
            .map(|s| s.real_names.as_str())
            .collect(),
    ) {
        assert!(
            !in_first.contains(&w),
            "{w} of DEMO-2's register is a word of DEMO-1"
        );
    }
    for w in names(
        demo.subjects
            .iter()
            .map(|s| s.real_names.as_str())
            .collect(),
    ) {
        assert!(
            !in_second.contains(&w),
            "{w} of DEMO-1's register is a word of DEMO-2"
        );
    }
}
