//! The places of the pseudonym register (schools, employers, addresses) and the
//! publication check's decisions: typed operations, each in one transaction with its
//! audit rows, the rules checked inside it.

use rusqlite::{OptionalExtension, params};

use super::values::{read_code, text};
use super::{Result, Store, StoreError, Writer};
use crate::domain::model::{Place, PlaceKind};
use crate::domain::publication::{Decision, FindingKind, Scope, Verdict, check_decision};

fn read_place(row: &rusqlite::Row<'_>) -> rusqlite::Result<Place> {
    Ok(Place {
        id: row.get("id")?,
        case_id: row.get("case_id")?,
        kind: read_code(row, "kind", PlaceKind::from_code, PlaceKind::Other)?,
        text: row.get("text")?,
        replacement: row.get("replacement")?,
    })
}

/// A place must say what it is.
fn check_place(p: &Place) -> Result<()> {
    if p.text.trim().is_empty() {
        return Err(StoreError::Rule(
            "a place of the register needs its text as written (e.g. Northfield Primary School)"
                .into(),
        ));
    }
    Ok(())
}

/// A scope as its columns: (kind code, text), the other one empty.
fn scope_columns(scope: &Scope) -> (&'static str, &str) {
    match scope {
        Scope::Text(t) => ("", t.as_str()),
        Scope::Kind(k) => (k.code(), ""),
    }
}

impl Writer<'_> {
    pub fn insert_place(&mut self, p: &Place) -> Result<i64> {
        check_place(p)?;
        self.insert(
            "places",
            &[
                ("case_id", p.case_id.into()),
                ("kind", text(p.kind.code())),
                ("text", text(p.text.trim())),
                ("replacement", text(p.replacement.trim())),
            ],
        )
    }

    /// The live decision of this scope (text or kind), if any.
    fn live_decision(&self, case_id: i64, scope: &Scope) -> Result<Option<i64>> {
        let (kind, body) = scope_columns(scope);
        Ok(self
            .tx()
            .query_row(
                "SELECT id FROM publication_decisions
                 WHERE case_id = ?1 AND kind = ?2 AND text = ?3 AND deleted_at IS NULL",
                params![case_id, kind, body],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Records a decision, replacing the live one of the same scope (text or kind).
    fn record_decision(&mut self, case_id: i64, scope: &Scope, verdict: &Verdict) -> Result<i64> {
        check_decision(scope, verdict).map_err(StoreError::Rule)?;
        let (kind, body) = scope_columns(scope);
        let existing = self.live_decision(case_id, scope)?;
        let fields = [
            ("decision", text(verdict.code())),
            ("replacement", text(verdict.replacement())),
        ];
        match existing {
            Some(id) => {
                self.update("publication_decisions", id, &fields)?;
                Ok(id)
            }
            None => self.insert(
                "publication_decisions",
                &[
                    ("case_id", case_id.into()),
                    ("kind", text(kind)),
                    ("text", text(body)),
                    fields[0].clone(),
                    fields[1].clone(),
                ],
            ),
        }
    }
}

impl Store {
    /// The places of a case's register, in the order they were added.
    pub fn places(&self, case_id: i64) -> Result<Vec<Place>> {
        let mut stmt = self.conn().prepare(
            "SELECT * FROM places WHERE case_id = ?1 AND deleted_at IS NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([case_id], read_place)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Adds a place to the register.
    pub fn add_place(&mut self, p: &Place) -> Result<i64> {
        self.write(|w| w.insert_place(p))
    }

    /// Saves an edited place; returns whether anything changed.
    pub fn edit_place(&mut self, p: &Place) -> Result<bool> {
        self.write(|w| {
            check_place(p)?;
            w.update(
                "places",
                p.id,
                &[
                    ("kind", text(p.kind.code())),
                    ("text", text(p.text.trim())),
                    ("replacement", text(p.replacement.trim())),
                ],
            )
        })
    }

    /// Takes a place off the register (withdrawn: it stays in the audit trail).
    pub fn withdraw_place(&mut self, id: i64) -> Result<()> {
        self.write(|w| w.withdraw("places", id))
    }

    /// The publication check's decisions of a case, oldest first.
    pub fn publication_decisions(&self, case_id: i64) -> Result<Vec<Decision>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, case_id, kind, text, decision, replacement FROM publication_decisions
             WHERE case_id = ?1 AND deleted_at IS NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([case_id], |r| {
            let kind: String = r.get(2)?;
            let body: String = r.get(3)?;
            let decision: String = r.get(4)?;
            let replacement: String = r.get(5)?;
            Ok((r.get(0)?, r.get(1)?, kind, body, decision, replacement))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, case_id, kind, body, decision, replacement): (
                i64,
                i64,
                String,
                String,
                String,
                String,
            ) = row?;
            let scope = match FindingKind::from_code(&kind) {
                Some(k) if body.is_empty() => Scope::Kind(k),
                _ => Scope::Text(body),
            };
            // A row this build cannot read (an unknown decision) is no decision: the
            // finding is asked about again.
            if let Ok(verdict) = Verdict::from_parts(&decision, &replacement) {
                out.push(Decision {
                    id,
                    case_id,
                    scope,
                    verdict,
                });
            }
        }
        Ok(out)
    }

    /// Records a decision of the publication check for a text or for every finding of a
    /// kind (replacing an earlier one of the same scope). A generalise needs its words;
    /// every word like a name can only be kept at once.
    pub fn decide_publication(
        &mut self,
        case_id: i64,
        scope: &Scope,
        verdict: &Verdict,
    ) -> Result<i64> {
        self.write(|w| w.record_decision(case_id, scope, verdict))
    }

    /// Several decisions in one transaction (the workspace's review list).
    pub fn decide_publication_all(
        &mut self,
        case_id: i64,
        decisions: &[(Scope, Verdict)],
    ) -> Result<()> {
        self.write(|w| {
            for (scope, verdict) in decisions {
                w.record_decision(case_id, scope, verdict)?;
            }
            Ok(())
        })
    }

    /// Withdraws a decision: its findings are asked about again.
    pub fn forget_publication_decision(&mut self, case_id: i64, scope: &Scope) -> Result<bool> {
        self.write(|w| {
            let existing = w.live_decision(case_id, scope)?;
            match existing {
                Some(id) => w.withdraw("publication_decisions", id).map(|()| true),
                None => Ok(false),
            }
        })
    }
}
