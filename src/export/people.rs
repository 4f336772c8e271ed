//! Gathers everyone a case records from the store, for the anonymiser.

use crate::domain::model::Case;
use crate::domain::pseudonym::{Anonymiser, PeopleSources, known_people};
use crate::domain::review::ProceedingKind;
use crate::store::{Store, StoreError};

/// The anonymiser of `case`: its pseudonym register (names and places) and every person
/// it records.
pub(super) fn anonymiser(store: &Store, case: &Case) -> Result<Anonymiser, StoreError> {
    let subjects = store.subjects(case.id)?;
    let agencies = store.agencies(case.id)?;
    let members = store.panel_members(case.id)?;
    let meetings = store.meetings(case.id)?;
    let mut attendance = Vec::new();
    let mut declarations = Vec::new();
    for m in &meetings {
        attendance.extend(store.attendance(m.id)?);
        declarations.extend(store.declarations(m.id)?);
    }
    let challenges: Vec<_> = store
        .challenges(case.id)?
        .into_iter()
        .map(|l| l.record)
        .collect();
    let decisions: Vec<_> = store
        .decisions(case.id)?
        .into_iter()
        .map(|l| l.record)
        .collect();
    let recommendations: Vec<_> = store
        .recommendations(case.id)?
        .into_iter()
        .map(|l| l.record)
        .collect();
    // The people of the register are hidden by it already: a pseudonym written in a
    // process field ("with Adult R") is no one else to hide.
    let register: Vec<String> = subjects
        .iter()
        .flat_map(|s| {
            std::iter::once(s.pseudonym.clone()).chain(s.name_forms().into_iter().map(String::from))
        })
        .map(|n| n.trim().to_lowercase())
        .collect();
    let named: Vec<(String, String)> = process_people(store, case)?
        .into_iter()
        .flat_map(|(text, label)| {
            crate::domain::pseudonym::names_in(&text)
                .into_iter()
                .filter(|n| !register.contains(&n.trim().to_lowercase()))
                .map(|n| (n.to_string(), label.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    let people = known_people(&PeopleSources {
        case,
        agencies: &agencies,
        members: &members,
        meetings: &meetings,
        attendance: &attendance,
        declarations: &declarations,
        challenges: &challenges,
        decisions: &decisions,
        recommendations: &recommendations,
        named: &named,
    });
    Ok(Anonymiser::new(&subjects, &people).with_places(&store.places(case.id)?))
}

/// The people the review's process records name, with the words each appears as when
/// anonymised: the family's advocates, who approached or contacted the family, the
/// contacts of parallel proceedings (by their role), who asked for disclosure, who
/// decided whether to review.
fn process_people(store: &Store, case: &Case) -> Result<Vec<(String, String)>, StoreError> {
    let team = || "Member of the review team".to_string();
    let mut named = Vec::new();
    for p in store.family_people(case.id)? {
        named.push((p.advocate.clone(), "Specialist advocate".to_string()));
        named.push((p.approached_by.clone(), team()));
        named.push((p.advocacy_offered_by.clone(), team()));
    }
    for c in store.family_contacts(case.id)? {
        named.push((c.by_whom.clone(), team()));
    }
    for p in store.proceedings(case.id)? {
        // The export writes the contact's role after them: the label says whose contact.
        let label = match p.kind {
            ProceedingKind::Trial | ProceedingKind::Iopc => "Police contact".to_string(),
            ProceedingKind::Inquest => "Coroner's court contact".to_string(),
            kind => format!("Contact for the {}", kind.label()),
        };
        named.push((p.contact.clone(), label));
    }
    for d in store.disclosure_requests(case.id)? {
        named.push((d.asked_by.clone(), team()));
    }
    if let Some(d) = store.decision(case.id)? {
        named.push((d.decided_by.clone(), "Decision maker".to_string()));
    }
    Ok(named)
}
