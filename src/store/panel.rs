//! The people and organisations of a case: subjects (the pseudonym register), agencies
//! with their panel members and returns, and the terms of reference.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use super::values::{date, id, read_code, read_date, text};
use super::{Result, Store, StoreError, Writer};
use crate::domain::imr::{check_move, is_outstanding};
use crate::domain::model::{
    Agency, ContactFound, ImrStatus, PanelMember, ReturnType, Subject, SubjectRole, TermKind,
    TermOfReference, TermStatus,
};

fn read_subject(row: &rusqlite::Row<'_>) -> rusqlite::Result<Subject> {
    Ok(Subject {
        id: row.get("id")?,
        case_id: row.get("case_id")?,
        role: read_code(row, "role", SubjectRole::from_code, SubjectRole::Other)?,
        real_names: row.get("real_names")?,
        pseudonym: row.get("pseudonym")?,
        relationship: row.get("relationship")?,
        notes: row.get("notes")?,
    })
}

fn read_agency(row: &rusqlite::Row<'_>) -> rusqlite::Result<Agency> {
    let independent: Option<i64> = row.get("author_independent")?;
    Ok(Agency {
        id: row.get("id")?,
        case_id: row.get("case_id")?,
        name: row.get("name")?,
        code: row.get("code")?,
        contact_found: read_code(
            row,
            "contact_found",
            ContactFound::from_code,
            ContactFound::Unknown,
        )?,
        return_type: read_code(row, "return_type", ReturnType::from_code, ReturnType::Imr)?,
        author: row.get("author")?,
        author_independent: independent.map(|v| v != 0),
        requested_on: read_date(row, "requested_on")?,
        due_on: read_date(row, "due_on")?,
        received_on: read_date(row, "received_on")?,
        status: read_code(row, "status", ImrStatus::from_code, ImrStatus::NotRequested)?,
        scoped_out_reason: row.get("scoped_out_reason")?,
        notes: row.get("notes")?,
        chased_on: Vec::new(),
        updated_at: row.get("updated_at")?,
    })
}

fn read_term(row: &rusqlite::Row<'_>) -> rusqlite::Result<TermOfReference> {
    Ok(TermOfReference {
        id: row.get("id")?,
        case_id: row.get("case_id")?,
        position: row.get("position")?,
        heading: row.get("heading")?,
        text: row.get("body")?,
        kind: read_code(row, "kind", TermKind::from_code, TermKind::General)?,
        status: read_code(row, "status", TermStatus::from_code, TermStatus::Draft)?,
        meeting_id: row.get("meeting_id")?,
    })
}

pub use crate::domain::model::AgencyOverview;

impl Writer<'_> {
    pub fn insert_subject(&mut self, s: &Subject) -> Result<i64> {
        self.insert(
            "subjects",
            &[
                ("case_id", s.case_id.into()),
                ("role", text(s.role.code())),
                ("real_names", text(&s.real_names)),
                ("pseudonym", text(&s.pseudonym)),
                ("relationship", text(&s.relationship)),
                ("notes", text(&s.notes)),
            ],
        )
    }

    /// Adds an agency with its chasers.
    pub fn insert_agency(&mut self, a: &Agency) -> Result<i64> {
        let agency_id = self.insert(
            "agencies",
            &[
                ("case_id", a.case_id.into()),
                ("name", text(&a.name)),
                ("code", text(&a.code)),
                ("contact_found", text(a.contact_found.code())),
                ("return_type", text(a.return_type.code())),
                ("author", text(&a.author)),
                (
                    "author_independent",
                    id(a.author_independent.map(i64::from)),
                ),
                ("requested_on", date(a.requested_on)),
                ("due_on", date(a.due_on)),
                ("received_on", date(a.received_on)),
                ("status", text(a.status.code())),
                ("scoped_out_reason", text(&a.scoped_out_reason)),
                ("notes", text(&a.notes)),
            ],
        )?;
        for day in &a.chased_on {
            self.insert(
                "agency_chasers",
                &[
                    ("agency_id", agency_id.into()),
                    ("chased_on", date(Some(*day))),
                ],
            )?;
        }
        Ok(agency_id)
    }

    pub fn insert_panel_member(&mut self, m: &PanelMember) -> Result<i64> {
        self.insert(
            "panel_members",
            &[
                ("agency_id", m.agency_id.into()),
                ("name", text(&m.name)),
                ("role", text(&m.role)),
                ("deputy", text(&m.deputy)),
                ("login", text(&m.login)),
            ],
        )
    }

    pub fn insert_term(&mut self, t: &TermOfReference) -> Result<i64> {
        self.insert(
            "terms",
            &[
                ("case_id", t.case_id.into()),
                ("position", t.position.into()),
                ("heading", text(&t.heading)),
                ("body", text(&t.text)),
                ("kind", text(t.kind.code())),
                ("status", text(t.status.code())),
                ("meeting_id", id(t.meeting_id)),
            ],
        )
    }
}

impl Store {
    /// The pseudonym register of a case.
    pub fn subjects(&self, case_id: i64) -> Result<Vec<Subject>> {
        let mut stmt = self.conn().prepare(
            "SELECT * FROM subjects WHERE case_id = ?1 AND deleted_at IS NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([case_id], read_subject)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The agencies of a case in the order they were added, with their chasers.
    pub fn agencies(&self, case_id: i64) -> Result<Vec<Agency>> {
        let mut stmt = self.conn().prepare(
            "SELECT * FROM agencies WHERE case_id = ?1 AND deleted_at IS NULL ORDER BY id",
        )?;
        let mut agencies = stmt
            .query_map([case_id], read_agency)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut chasers = self.conn().prepare(
            "SELECT c.agency_id, c.chased_on FROM agency_chasers c JOIN agencies a ON a.id = c.agency_id
             WHERE a.case_id = ?1 AND c.deleted_at IS NULL ORDER BY c.chased_on",
        )?;
        let rows = chasers.query_map([case_id], |r| {
            Ok((r.get::<_, i64>(0)?, read_date(r, "chased_on")?))
        })?;
        for row in rows {
            let (agency_id, day) = row?;
            if let (Some(agency), Some(day)) =
                (agencies.iter_mut().find(|a| a.id == agency_id), day)
            {
                agency.chased_on.push(day);
            }
        }
        Ok(agencies)
    }

    /// The panel members of every agency of a case.
    pub fn panel_members(&self, case_id: i64) -> Result<Vec<PanelMember>> {
        let mut stmt = self.conn().prepare(
            "SELECT m.id, m.agency_id, m.name, m.role, m.deputy, m.login FROM panel_members m
             JOIN agencies a ON a.id = m.agency_id
             WHERE a.case_id = ?1 AND m.deleted_at IS NULL AND a.deleted_at IS NULL ORDER BY m.id",
        )?;
        let rows = stmt.query_map([case_id], |r| {
            Ok(PanelMember {
                id: r.get(0)?,
                agency_id: r.get(1)?,
                name: r.get(2)?,
                role: r.get(3)?,
                deputy: r.get(4)?,
                login: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The IMR board: each agency with its members and open challenges.
    pub fn agency_overview(&self, case_id: i64) -> Result<Vec<AgencyOverview>> {
        let agencies = self.agencies(case_id)?;
        let members = self.panel_members(case_id)?;
        let mut stmt = self.conn().prepare(
            "SELECT agency_id, count(*) FROM challenges
             WHERE case_id = ?1 AND deleted_at IS NULL AND status IN ('open', 'escalated') AND agency_id IS NOT NULL
             GROUP BY agency_id",
        )?;
        let counts = stmt
            .query_map(params![case_id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(agencies
            .into_iter()
            .map(|agency| AgencyOverview {
                members: members
                    .iter()
                    .filter(|m| m.agency_id == agency.id)
                    .cloned()
                    .collect(),
                open_challenges: counts
                    .iter()
                    .find(|(a, _)| *a == agency.id)
                    .map_or(0, |(_, n)| *n),
                agency,
            })
            .collect())
    }

    /// The terms of reference of a case in display order.
    pub fn terms(&self, case_id: i64) -> Result<Vec<TermOfReference>> {
        let mut stmt = self.conn().prepare(
            "SELECT * FROM terms WHERE case_id = ?1 AND deleted_at IS NULL ORDER BY position, id",
        )?;
        let rows = stmt.query_map([case_id], read_term)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// The details of an agency and its return that its form edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyDetails {
    pub name: String,
    pub code: String,
    pub return_type: ReturnType,
    pub contact_found: ContactFound,
    pub author: String,
    pub author_independent: Option<bool>,
    pub requested_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub notes: String,
}

/// A move of an agency's return to another status, with what that status records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImrMove {
    Requested {
        requested_on: Option<NaiveDate>,
        due_on: Option<NaiveDate>,
    },
    Received {
        received_on: Option<NaiveDate>,
        author: String,
    },
    ScopedOut {
        reason: String,
    },
    Returned {
        due_on: Option<NaiveDate>,
    },
    /// A status that records nothing else.
    To(ImrStatus),
}

impl ImrMove {
    /// The status the return moves to.
    pub fn to(&self) -> ImrStatus {
        match self {
            ImrMove::Requested { .. } => ImrStatus::Requested,
            ImrMove::Received { .. } => ImrStatus::Received,
            ImrMove::ScopedOut { .. } => ImrStatus::ScopedOut,
            ImrMove::Returned { .. } => ImrStatus::Returned,
            ImrMove::To(status) => *status,
        }
    }
}

/// The number of the first approved meeting whose attendance names the agency, if any.
fn approved_minutes_naming(w: &Writer<'_>, agency_id: i64) -> Result<Option<i64>> {
    Ok(w.tx()
        .query_row(
            "SELECT m.number FROM attendance a JOIN meetings m ON m.id = a.meeting_id
             WHERE a.agency_id = ?1 AND a.deleted_at IS NULL AND m.status = 'approved' AND m.deleted_at IS NULL
             ORDER BY m.number LIMIT 1",
            [agency_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// An agency as it stands inside a transaction.
fn agency_in(w: &Writer<'_>, agency_id: i64) -> Result<Agency> {
    w.tx()
        .query_row(
            "SELECT * FROM agencies WHERE id = ?1 AND deleted_at IS NULL",
            [agency_id],
            read_agency,
        )
        .optional()?
        .ok_or_else(|| StoreError::Rule(format!("agency {agency_id} does not exist")))
}

impl Store {
    /// Adds an agency to a case with, if given, its first panel member (whose
    /// `agency_id` is filled in). Returns the agency's id.
    pub fn add_agency(&mut self, agency: &Agency, member: Option<&PanelMember>) -> Result<i64> {
        self.write(|w| {
            let agency_id = w.insert_agency(agency)?;
            if let Some(member) = member {
                w.insert_panel_member(&PanelMember {
                    agency_id,
                    ..member.clone()
                })?;
            }
            Ok(agency_id)
        })
    }

    /// Adds a panel member for an agency.
    pub fn add_panel_member(&mut self, member: &PanelMember) -> Result<i64> {
        self.write(|w| w.insert_panel_member(member))
    }

    /// The member form: a name the agency already has as a panel member (letter case
    /// and spaces around ignored) updates that member (their login, and their role and
    /// deputy when given); another name adds a member. Read and written in one
    /// transaction. Returns the member's id and whether they were added.
    pub fn save_panel_member(&mut self, member: &PanelMember) -> Result<(i64, bool)> {
        self.write(|w| {
            let existing: Option<(i64, String, String)> = w
                .tx()
                .query_row(
                    "SELECT id, role, deputy FROM panel_members
                     WHERE agency_id = ?1 AND deleted_at IS NULL AND lower(trim(name)) = lower(trim(?2))
                     ORDER BY id LIMIT 1",
                    params![member.agency_id, member.name],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            match existing {
                Some((id, role, deputy)) => {
                    let keep = |given: &str, old: String| {
                        if given.trim().is_empty() {
                            old
                        } else {
                            given.trim().to_string()
                        }
                    };
                    w.update(
                        "panel_members",
                        id,
                        &[
                            ("role", text(&keep(&member.role, role))),
                            ("deputy", text(&keep(&member.deputy, deputy))),
                            ("login", text(member.login.trim())),
                        ],
                    )?;
                    Ok((id, false))
                }
                None => Ok((w.insert_panel_member(member)?, true)),
            }
        })
    }

    /// Saves the edited details of an agency; returns whether anything changed. Its
    /// code and name are frozen once approved minutes name it (their fingerprint covers
    /// both as the attendance shows them), so a change of either is refused then.
    pub fn edit_agency(&mut self, agency_id: i64, d: &AgencyDetails) -> Result<bool> {
        self.write(|w| {
            let agency = agency_in(w, agency_id)?;
            if (agency.code != d.code || agency.name != d.name)
                && let Some(number) = approved_minutes_naming(w, agency_id)?
            {
                let what = if agency.code != d.code {
                    format!("the code of {} stays {}", agency.name, agency.code)
                } else {
                    format!("the name of {} stays {}", agency.code, agency.name)
                };
                return Err(StoreError::Rule(format!(
                    "{what}: the approved minutes of meeting {number} name it, and approved minutes are locked (their fingerprint covers the agency's code and name); nothing was saved"
                )));
            }
            w.update(
                "agencies",
                agency_id,
                &[
                    ("name", text(&d.name)),
                    ("code", text(&d.code)),
                    ("return_type", text(d.return_type.code())),
                    ("contact_found", text(d.contact_found.code())),
                    ("author", text(&d.author)),
                    (
                        "author_independent",
                        id(d.author_independent.map(i64::from)),
                    ),
                    ("requested_on", date(d.requested_on)),
                    ("due_on", date(d.due_on)),
                    ("notes", text(&d.notes)),
                ],
            )
        })
    }

    /// Moves an agency's return to another status, checked against the status it has in
    /// the transaction: an illegal move is refused with the reason and nothing is written.
    pub fn move_imr(&mut self, agency_id: i64, m: &ImrMove) -> Result<()> {
        self.write(|w| {
            let agency = agency_in(w, agency_id)?;
            let to = m.to();
            check_move(agency.status, to).map_err(StoreError::Rule)?;
            let mut fields = vec![("status", text(to.code()))];
            match m {
                ImrMove::Requested {
                    requested_on,
                    due_on,
                } => {
                    fields.push(("requested_on", date(*requested_on)));
                    fields.push(("due_on", date(*due_on)));
                }
                ImrMove::Received {
                    received_on,
                    author,
                } => {
                    fields.push(("received_on", date(*received_on)));
                    fields.push(("author", text(author)));
                }
                ImrMove::ScopedOut { reason } => fields.push(("scoped_out_reason", text(reason))),
                ImrMove::Returned { due_on } => fields.push(("due_on", date(*due_on))),
                ImrMove::To(_) => {}
            }
            w.update("agencies", agency_id, &fields)?;
            Ok(())
        })
    }

    /// Records a chaser sent to an agency on `day`, refused when its return is not
    /// outstanding.
    pub fn add_chaser(&mut self, agency_id: i64, day: NaiveDate) -> Result<i64> {
        self.write(|w| {
            let agency = agency_in(w, agency_id)?;
            if !is_outstanding(agency.status) {
                return Err(StoreError::Rule(format!(
                    "{}'s return is \"{}\": there is nothing to chase.",
                    agency.name, agency.status
                )));
            }
            w.insert(
                "agency_chasers",
                &[
                    ("agency_id", agency_id.into()),
                    ("chased_on", date(Some(day))),
                ],
            )
        })
    }
}
