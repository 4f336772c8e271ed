//! The case characteristics (migration 10): one live row per characteristic and case,
//! written as the case view's form says (`c`): a new value inserts, a changed one
//! updates, an emptied one withdraws the row; each value checked against its vocabulary
//! (`domain::characteristics`) inside the write, every change audited.

use super::values::text;
use super::{Result, Store, StoreError, Writer};
use crate::domain::characteristics::read_value;
use crate::domain::review::{CaseCharacteristic, Characteristic};

/// The live characteristics of a case, in the order of the vocabulary.
fn characteristics_in(
    conn: &rusqlite::Connection,
    case_id: i64,
) -> Result<Vec<CaseCharacteristic>> {
    let mut stmt = conn.prepare(
        "SELECT id, case_id, name, value FROM case_characteristics
         WHERE case_id = ?1 AND deleted_at IS NULL ORDER BY id",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    let mut out: Vec<CaseCharacteristic> = Vec::new();
    for row in rows {
        let (id, case_id, name, value) = row?;
        // A name this version does not know is left alone, not shown.
        let Some(name) = Characteristic::from_code(&name) else {
            continue;
        };
        // One live row per name: the latest wins if a replay left two.
        out.retain(|c| c.name != name);
        out.push(CaseCharacteristic {
            id,
            case_id,
            name,
            value,
        });
    }
    out.sort_by_key(|c| c.name);
    Ok(out)
}

impl Store {
    /// The recorded characteristics of a case, in the order of the vocabulary.
    pub fn characteristics(&self, case_id: i64) -> Result<Vec<CaseCharacteristic>> {
        characteristics_in(self.conn(), case_id)
    }

    /// Saves the characteristics form: `values` holds each characteristic as typed
    /// (empty clears it), `seen` the values the form was opened on. Only the ones changed
    /// in the form are written; one changed by someone else meanwhile is refused, naming
    /// it. Returns how many changed.
    pub fn save_characteristics(
        &mut self,
        case_id: i64,
        values: &[(Characteristic, String)],
        seen: &[(Characteristic, String)],
    ) -> Result<usize> {
        self.write(|w| w.save_characteristics(case_id, values, seen))
    }
}

impl Writer<'_> {
    /// [`Store::save_characteristics`] inside a transaction.
    pub fn save_characteristics(
        &mut self,
        case_id: i64,
        values: &[(Characteristic, String)],
        seen: &[(Characteristic, String)],
    ) -> Result<usize> {
        let stored = characteristics_in(self.tx(), case_id)?;
        let now = |name: Characteristic| stored.iter().find(|c| c.name == name);
        let was = |name: Characteristic| {
            seen.iter()
                .find(|(n, _)| *n == name)
                .map_or("", |(_, v)| v.as_str())
        };
        let mut changed = 0;
        for (name, typed) in values {
            let value = read_value(*name, typed).map_err(StoreError::Rule)?;
            let value = value.unwrap_or_default();
            let current = now(*name);
            let current_value = current.map_or("", |c| c.value.as_str());
            if value == current_value {
                continue;
            }
            if value == was(*name) {
                // Not changed in the form: what is stored now stays.
                continue;
            }
            if current_value != was(*name) {
                return Err(StoreError::Rule(format!(
                    "\"{name}\" was changed to \"{current_value}\" by someone else while the form \
                     was open: nothing was saved; close the form and open it again (c)"
                )));
            }
            match current {
                Some(c) if value.is_empty() => self.withdraw("case_characteristics", c.id)?,
                Some(c) => {
                    self.update("case_characteristics", c.id, &[("value", text(&value))])?;
                }
                None => {
                    self.insert(
                        "case_characteristics",
                        &[
                            ("case_id", case_id.into()),
                            ("name", text(name.code())),
                            ("value", text(&value)),
                        ],
                    )?;
                }
            }
            changed += 1;
        }
        Ok(changed)
    }
}
