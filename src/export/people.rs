//! Gathers everyone a case records from the store, for the anonymiser.

use crate::domain::model::Case;
use crate::domain::pseudonym::{Anonymiser, PeopleSources, known_people};
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
    });
    Ok(Anonymiser::new(&subjects, &people).with_places(&store.places(case.id)?))
}
