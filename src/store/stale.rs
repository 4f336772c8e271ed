//! Stale edits: a form that edits a record remembers the record's latest audit row when it
//! opens ([`Store::latest_change`]); its save says so ([`Store::expect_base`]), and the next
//! write checks it inside its own transaction, right after `BEGIN IMMEDIATE`. If another
//! seat or process changed the record meanwhile, nothing is written and the write fails
//! with [`StoreError::Stale`], naming who changed it, when, and to what.

use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::Value as Json;

use super::{Result, Store, StoreError};

/// A record a form edits. The table names are the code's own, never input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Record {
    Case(i64),
    Subject(i64),
    Place(i64),
    Agency(i64),
    Term(i64),
    Chronology(i64),
    Challenge(i64),
    Decision(i64),
    Recommendation(i64),
    Minute(i64),
    FamilyPerson(i64),
    FamilyContact(i64),
    Proceeding(i64),
    Disclosure(i64),
    /// The open pause of a case (pausing and resuming check the pauses' trail).
    Pause(i64),
    /// The case's decision whether to review (issue 17).
    ReviewDecision(i64),
    /// A Home Office QA round and a point its letter raises.
    QaRound(i64),
    QaPoint(i64),
    /// An item of the publication checklist.
    PublicationItem(i64),
}

impl Record {
    /// The table the record lives in (as the audit trail names it).
    pub fn table(self) -> &'static str {
        match self {
            Record::Case(_) => "cases",
            Record::Subject(_) => "subjects",
            Record::Place(_) => "places",
            Record::Agency(_) => "agencies",
            Record::Term(_) => "terms",
            Record::Chronology(_) => "chronology",
            Record::Challenge(_) => "challenges",
            Record::Decision(_) => "decisions",
            Record::Recommendation(_) => "recommendations",
            Record::Minute(_) => "minutes",
            Record::FamilyPerson(_) => "family_people",
            Record::FamilyContact(_) => "family_contacts",
            Record::Proceeding(_) => "proceedings",
            Record::Disclosure(_) => "disclosure_requests",
            Record::Pause(_) => "pauses",
            Record::ReviewDecision(_) => "review_decisions",
            Record::QaRound(_) => "qa_rounds",
            Record::QaPoint(_) => "qa_points",
            Record::PublicationItem(_) => "publication_items",
        }
    }

    /// Its row id.
    pub fn row(self) -> i64 {
        match self {
            Record::Case(id)
            | Record::Subject(id)
            | Record::Place(id)
            | Record::Agency(id)
            | Record::Term(id)
            | Record::Chronology(id)
            | Record::Challenge(id)
            | Record::Decision(id)
            | Record::Recommendation(id)
            | Record::Minute(id)
            | Record::FamilyPerson(id)
            | Record::FamilyContact(id)
            | Record::Proceeding(id)
            | Record::Disclosure(id)
            | Record::Pause(id)
            | Record::ReviewDecision(id)
            | Record::QaRound(id)
            | Record::QaPoint(id)
            | Record::PublicationItem(id) => id,
        }
    }

    /// What a person calls it, capitalised: "The decision".
    pub fn noun(self) -> &'static str {
        match self {
            Record::Case(_) => "The case",
            Record::Subject(_) => "The subject",
            Record::Place(_) => "The place",
            Record::Agency(_) => "The agency",
            Record::Term(_) => "The terms of reference item",
            Record::Chronology(_) => "The timeline entry",
            Record::Challenge(_) => "The challenge",
            Record::Decision(_) => "The decision",
            Record::Recommendation(_) => "The recommendation",
            Record::Minute(_) => "The line of the minutes",
            Record::FamilyPerson(_) => "The person approached",
            Record::FamilyContact(_) => "The contact",
            Record::Proceeding(_) => "The proceeding",
            Record::Disclosure(_) => "The disclosure request",
            Record::Pause(_) => "The pause",
            Record::ReviewDecision(_) => "The decision whether to review",
            Record::QaRound(_) => "The QA round",
            Record::QaPoint(_) => "The QA point",
            Record::PublicationItem(_) => "The publication checklist item",
        }
    }
}

/// A record as a form saw it: the id of its latest audit row (0 when it has none, as a
/// record seeded without a trail).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Base {
    pub record: Record,
    pub audit_id: i64,
}

/// Another version of a record than the one a form was opened on: who changed it, when,
/// and the values of the fields changed since (read from the audit trail).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleEdit {
    pub record: Record,
    /// The audit row the form was opened on.
    pub base: i64,
    /// The record's latest audit row now (the version to save over, or to take).
    pub latest: i64,
    /// Who made the latest change, and when (the audit trail's stamp, UTC).
    pub login: String,
    pub at: String,
    /// Each column changed since the base, with its value now ("" for none), in the
    /// order they were first changed.
    pub theirs: Vec<(String, String)>,
    /// Whether the record was withdrawn meanwhile.
    pub withdrawn: bool,
}

impl StaleEdit {
    /// The new base after this conflict: the version now in the database.
    pub fn latest_base(&self) -> Base {
        Base {
            record: self.record,
            audit_id: self.latest,
        }
    }
}

impl std::fmt::Display for StaleEdit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} was changed by {} at {} while you edited it, so nothing of yours was saved: \
             keep yours, take theirs or merge by hand",
            self.record.noun(),
            self.login,
            self.at
        )
    }
}

/// The latest audit row of `record` as seen through `conn`: (id, login, at).
fn latest_on(conn: &rusqlite::Connection, record: Record) -> Result<Option<(i64, String, String)>> {
    Ok(conn
        .query_row(
            "SELECT id, login, at FROM audit WHERE table_name = ?1 AND row_id = ?2
             ORDER BY id DESC LIMIT 1",
            params![record.table(), record.row()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?)
}

/// A stored value as the conflict shows it.
fn shown(value: &Json) -> String {
    match value {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Inside the write's transaction: refuses the write when `base` is no longer the
/// record's latest version.
pub(super) fn check(tx: &Transaction<'_>, base: Base) -> Result<()> {
    let Some((latest, login, at)) = latest_on(tx, base.record)? else {
        return if base.audit_id == 0 {
            Ok(())
        } else {
            Err(StoreError::Rule(format!(
                "{} has lost its audit trail since the form opened: run `dhr check`",
                base.record.noun()
            )))
        };
    };
    if latest == base.audit_id {
        return Ok(());
    }
    let mut stmt = tx.prepare(
        "SELECT action, changes FROM audit WHERE table_name = ?1 AND row_id = ?2 AND id > ?3
         ORDER BY id",
    )?;
    let rows = stmt.query_map(
        params![base.record.table(), base.record.row(), base.audit_id],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
    )?;
    let mut theirs: Vec<(String, String)> = Vec::new();
    let mut withdrawn = false;
    for row in rows {
        let (action, changes) = row?;
        if action == "withdraw" {
            withdrawn = true;
            continue;
        }
        let Ok(Json::Object(map)) = serde_json::from_str::<Json>(&changes) else {
            continue;
        };
        for (column, pair) in map {
            let new = match &pair {
                Json::Array(old_new) => old_new.get(1).map(shown).unwrap_or_default(),
                other => shown(other),
            };
            match theirs.iter_mut().find(|(c, _)| *c == column) {
                Some(slot) => slot.1 = new,
                None => theirs.push((column, new)),
            }
        }
    }
    Err(StoreError::Stale(Box::new(StaleEdit {
        record: base.record,
        base: base.audit_id,
        latest,
        login,
        at,
        theirs,
        withdrawn,
    })))
}

impl Store {
    /// The version of `record` a form opens on: its latest audit row.
    pub fn latest_change(&self, record: Record) -> Result<Base> {
        Ok(Base {
            record,
            audit_id: latest_on(self.conn(), record)?.map_or(0, |(id, _, _)| id),
        })
    }

    /// The next write expects `base` to be still the record's latest version, and fails
    /// with [`StoreError::Stale`] (writing nothing) if it is not. Cleared by
    /// [`Store::stop_expecting`], or by the write that checks it.
    pub fn expect_base(&mut self, base: Base) {
        self.expecting = Some(base);
        self.refused = None;
    }

    /// Ends what [`Store::expect_base`] began: the other version, if a write was refused for it.
    pub fn stop_expecting(&mut self) -> Option<Box<StaleEdit>> {
        self.expecting = None;
        self.refused.take()
    }
}
