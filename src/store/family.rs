//! The family and support network's involvement: the people approached (each a subject
//! of the pseudonym register of the same case), the specialist advocacy offered to them,
//! and every contact with them. The rules over them are in `domain::family`.

use rusqlite::params;

use super::proceedings::of_case;
use super::review::rows_of;
use super::values::{date, flag, read_code, read_date, text};
use super::{Result, Store, StoreError, Writer};
use crate::domain::model::Subject;
use crate::domain::review::{
    AdvocacyResponse, Connection, Consent, ContactMethod, FamilyContact, FamilyPerson,
};

fn read_person(row: &rusqlite::Row<'_>) -> rusqlite::Result<FamilyPerson> {
    Ok(FamilyPerson {
        id: row.get("id")?,
        case_id: row.get("case_id")?,
        subject_id: row.get("subject_id")?,
        connection: read_code(row, "connection", Connection::from_code, Connection::Other)?,
        approached_on: read_date(row, "approached_on")?,
        approached_by: row.get("approached_by")?,
        advocacy_offered_on: read_date(row, "advocacy_offered_on")?,
        advocacy_offered_by: row.get("advocacy_offered_by")?,
        advocacy_response: read_code(
            row,
            "advocacy_response",
            AdvocacyResponse::from_code,
            AdvocacyResponse::Awaited,
        )?,
        advocate: row.get("advocate")?,
        notes: row.get("notes")?,
    })
}

fn read_contact(row: &rusqlite::Row<'_>) -> rusqlite::Result<FamilyContact> {
    Ok(FamilyContact {
        id: row.get("id")?,
        case_id: row.get("case_id")?,
        person_id: row.get("person_id")?,
        contact_on: read_date(row, "contact_on")?,
        method: read_code(
            row,
            "method",
            ContactMethod::from_code,
            ContactMethod::Other,
        )?,
        by_whom: row.get("by_whom")?,
        shared_tor: row.get::<_, i64>("shared_tor")? != 0,
        shared_draft: row.get::<_, i64>("shared_draft")? != 0,
        shared_publication_date: row.get::<_, i64>("shared_publication_date")? != 0,
        views: row.get("views")?,
        consent: read_code(row, "consent", Consent::from_code, Consent::None)?,
        consent_detail: row.get("consent_detail")?,
    })
}

impl Store {
    /// The people approached in the case, in the order they were recorded.
    pub fn family_people(&self, case_id: i64) -> Result<Vec<FamilyPerson>> {
        rows_of(self.conn(), "family_people", case_id, "id", read_person)
    }

    /// Every contact with the people approached, oldest first (undated last).
    pub fn family_contacts(&self, case_id: i64) -> Result<Vec<FamilyContact>> {
        rows_of(
            self.conn(),
            "family_contacts",
            case_id,
            "contact_on IS NULL, contact_on, id",
            read_contact,
        )
    }

    /// Adds (`id` 0) or saves a person approached; refused unless their subject is one of
    /// the same case's register. Returns the person's id.
    pub fn save_family_person(&mut self, p: &FamilyPerson) -> Result<i64> {
        person_happened(p, self.clock().today())?;
        self.write(|w| w.save_family_person(p))
    }

    /// Adds a new subject to the register and the person approached who is that subject,
    /// in one transaction; returns the person's id.
    pub fn add_family_person_with_subject(
        &mut self,
        subject: &Subject,
        person: &FamilyPerson,
    ) -> Result<i64> {
        person_happened(person, self.clock().today())?;
        self.write(|w| {
            if subject.pseudonym.trim().is_empty() {
                return Err(StoreError::Rule(
                    "give the new person a pseudonym (\"Adult E\"): their name is kept only in \
                     the register"
                        .into(),
                ));
            }
            let subject_id = w.insert_subject(&Subject {
                case_id: person.case_id,
                ..subject.clone()
            })?;
            w.save_family_person(&FamilyPerson {
                subject_id,
                ..person.clone()
            })
        })
    }

    /// Adds (`id` 0) or saves a contact; refused unless its person was approached in the
    /// same case. Returns the contact's id.
    pub fn save_family_contact(&mut self, c: &FamilyContact) -> Result<i64> {
        super::review::happened("the contact", c.contact_on, self.clock().today())?;
        self.write(|w| w.save_family_contact(c))
    }
}

impl Writer<'_> {
    /// Adds (`id` 0) or saves a contact, checking its person was approached in its case.
    pub fn save_family_contact(&mut self, c: &FamilyContact) -> Result<i64> {
        if !of_case(self.tx(), "family_people", c.person_id, c.case_id)? {
            return Err(StoreError::Rule(format!(
                "person {} was not approached in this case: a contact belongs to a person \
                 of its own case",
                c.person_id
            )));
        }
        let fields = [
            ("person_id", c.person_id.into()),
            ("contact_on", date(c.contact_on)),
            ("method", text(c.method.code())),
            ("by_whom", text(&c.by_whom)),
            ("shared_tor", flag(c.shared_tor)),
            ("shared_draft", flag(c.shared_draft)),
            ("shared_publication_date", flag(c.shared_publication_date)),
            ("views", text(&c.views)),
            ("consent", text(c.consent.code())),
            ("consent_detail", text(&c.consent_detail)),
        ];
        if c.id == 0 {
            let mut all = vec![("case_id", c.case_id.into())];
            all.extend(fields);
            return self.insert("family_contacts", &all);
        }
        if !of_case(self.tx(), "family_contacts", c.id, c.case_id)? {
            return Err(StoreError::Rule(
                "that contact no longer exists in this case".into(),
            ));
        }
        self.update("family_contacts", c.id, &fields)?;
        Ok(c.id)
    }

    /// Adds (`id` 0) or saves a person approached, checking their subject is of the case.
    pub fn save_family_person(&mut self, p: &FamilyPerson) -> Result<i64> {
        crate::domain::family::check_advocacy(p).map_err(StoreError::Rule)?;
        if !of_case(self.tx(), "subjects", p.subject_id, p.case_id)? {
            return Err(StoreError::Rule(format!(
                "subject {} is not in this case's pseudonym register: add them to the register \
                 (r in the case view) or choose one of the case's subjects",
                p.subject_id
            )));
        }
        let already: Option<i64> = {
            use rusqlite::OptionalExtension;
            self.tx()
                .query_row(
                    "SELECT id FROM family_people WHERE case_id = ?1 AND subject_id = ?2
                     AND deleted_at IS NULL AND id <> ?3",
                    params![p.case_id, p.subject_id, p.id],
                    |r| r.get(0),
                )
                .optional()?
        };
        if already.is_some() {
            return Err(StoreError::Rule(
                "that person is already on the list of people approached: edit them instead".into(),
            ));
        }
        let fields = [
            ("subject_id", p.subject_id.into()),
            ("connection", text(p.connection.code())),
            ("approached_on", date(p.approached_on)),
            ("approached_by", text(&p.approached_by)),
            ("advocacy_offered_on", date(p.advocacy_offered_on)),
            ("advocacy_offered_by", text(&p.advocacy_offered_by)),
            ("advocacy_response", text(p.advocacy_response.code())),
            ("advocate", text(&p.advocate)),
            ("notes", text(&p.notes)),
        ];
        if p.id == 0 {
            let mut all = vec![("case_id", p.case_id.into())];
            all.extend(fields);
            return self.insert("family_people", &all);
        }
        if !of_case(self.tx(), "family_people", p.id, p.case_id)? {
            return Err(StoreError::Rule(
                "that person no longer exists in this case".into(),
            ));
        }
        self.update("family_people", p.id, &fields)?;
        Ok(p.id)
    }
}

/// The approach and the offer of advocacy are things that happened: not after today.
fn person_happened(p: &FamilyPerson, today: chrono::NaiveDate) -> Result<()> {
    super::review::happened("the approach", p.approached_on, today)?;
    super::review::happened("the offer of advocacy", p.advocacy_offered_on, today)
}
