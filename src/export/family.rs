//! The case pack's sections on the family and support network's involvement and the
//! parallel proceedings, written through `DocWriter` so the Markdown and the Word case
//! pack both get them (and the anonymiser applies the register to their text). Each person
//! is named by their pseudonym, never by their real names.

use super::{ExportError, day};
use crate::domain::document::DocWriter;
use crate::domain::family::{NO_ADVOCACY, advocacy_offered, lacks_advocacy_offer};
use crate::domain::model::Case;
use crate::domain::review::Proceeding;
use crate::store::Store;

/// "Family and support network involvement": the people approached with their advocacy,
/// the flag of anyone approached with no offer, and each person's contacts.
pub(super) fn involvement(
    w: &mut DocWriter<'_>,
    store: &Store,
    case: &Case,
) -> Result<(), ExportError> {
    w.heading(2, "Family and support network involvement");
    let people = store.family_people(case.id)?;
    let contacts = store.family_contacts(case.id)?;
    let subjects = store.subjects(case.id)?;
    let name = |id: i64| {
        subjects.iter().find(|s| s.id == id).map_or_else(
            || "not in the register".to_string(),
            |s| s.pseudonym.clone(),
        )
    };
    let rows: Vec<Vec<String>> = people
        .iter()
        .map(|p| {
            let advocacy = if advocacy_offered(p) {
                let mut text = format!("offered {}", day(p.advocacy_offered_on));
                if !p.advocacy_offered_by.trim().is_empty() {
                    text.push_str(&format!(" by {}", p.advocacy_offered_by.trim()));
                }
                format!("{} ({})", text.trim(), p.advocacy_response.label())
            } else if lacks_advocacy_offer(p) {
                NO_ADVOCACY.to_string()
            } else {
                String::new()
            };
            vec![
                name(p.subject_id),
                p.connection.label().to_string(),
                format!("{} {}", day(p.approached_on), p.approached_by.trim())
                    .trim()
                    .to_string(),
                advocacy,
                p.advocate.clone(),
            ]
        })
        .collect();
    w.table(
        &[
            "Person",
            "Connection",
            "Approached",
            "Specialist advocacy",
            "Advocate",
        ],
        &rows,
        "No one has been approached yet.",
    );
    let flagged: Vec<String> = people
        .iter()
        .filter(|p| lacks_advocacy_offer(p))
        .map(|p| name(p.subject_id))
        .collect();
    if !flagged.is_empty() {
        w.labelled("Approached with no offer of advocacy", &flagged.join(", "));
    }
    for p in &people {
        let theirs: Vec<Vec<String>> = contacts
            .iter()
            .filter(|c| c.person_id == p.id)
            .map(|c| {
                let shared = c.shared();
                let consent = if c.consent_detail.trim().is_empty() {
                    c.consent.label().to_string()
                } else {
                    format!("{}: {}", c.consent.label(), c.consent_detail.trim())
                };
                vec![
                    day(c.contact_on),
                    c.method.label().to_string(),
                    c.by_whom.clone(),
                    shared.join(", "),
                    c.views.clone(),
                    consent,
                ]
            })
            .collect();
        w.heading(
            3,
            &format!(
                "Contacts with {} ({})",
                name(p.subject_id),
                p.connection.label()
            ),
        );
        if !p.notes.trim().is_empty() {
            w.paragraph(&p.notes);
        }
        w.table(
            &[
                "Date",
                "Method",
                "By",
                "Shared",
                "Views and wishes",
                "Consent",
            ],
            &theirs,
            "No contacts recorded.",
        );
    }
    Ok(())
}

/// The key dates of a proceeding that are recorded: "charged 09 Apr 2020; verdict …".
fn key_dates(p: &Proceeding) -> String {
    [
        ("charged", p.charged_on),
        ("trial", p.trial_on),
        ("verdict", p.verdict_on),
        ("sentence", p.sentenced_on),
        ("opened", p.opened_on),
        ("resumed", p.resumed_on),
        ("concluded", p.concluded_on),
    ]
    .iter()
    .filter_map(|(what, d)| d.map(|d| format!("{what} {}", day(Some(d)))))
    .collect::<Vec<_>>()
    .join("; ")
}

/// "Parallel proceedings": each proceeding with its key dates and contact, and the
/// disclosure requests with their answers.
pub(super) fn proceedings(
    w: &mut DocWriter<'_>,
    store: &Store,
    case: &Case,
) -> Result<(), ExportError> {
    w.heading(2, "Parallel proceedings");
    let proceedings = store.proceedings(case.id)?;
    let rows: Vec<Vec<String>> = proceedings
        .iter()
        .map(|p| {
            let contact = match (p.contact.trim(), p.contact_role.trim()) {
                (c, "") => c.to_string(),
                ("", r) => r.to_string(),
                (c, r) => format!("{c} ({r})"),
            };
            vec![
                p.kind.label().to_string(),
                p.title.clone(),
                contact,
                key_dates(p),
                p.notes.clone(),
            ]
        })
        .collect();
    w.table(
        &["Kind", "Title", "Contact", "Key dates", "Notes"],
        &rows,
        "No parallel proceedings recorded.",
    );
    let requests = store.disclosure_requests(case.id)?;
    if requests.is_empty() {
        return Ok(());
    }
    w.heading(3, "Disclosure requests");
    let rows: Vec<Vec<String>> = requests
        .iter()
        .map(|d| {
            let to = proceedings
                .iter()
                .find(|p| p.id == d.proceeding_id)
                .map_or_else(String::new, |p| p.title.clone());
            vec![
                to,
                format!("{} {}", day(d.asked_on), d.asked_by.trim())
                    .trim()
                    .to_string(),
                d.request.clone(),
                if d.answered_on.is_some() {
                    day(d.answered_on)
                } else {
                    "awaited".to_string()
                },
                d.answer.clone(),
            ]
        })
        .collect();
    w.table(
        &["Proceeding", "Asked", "Request", "Answered", "Answer"],
        &rows,
        "No disclosure requests recorded.",
    );
    Ok(())
}
