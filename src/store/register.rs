//! The export register: every document that left the panel, recorded after its file was
//! written (a refused or failed export is not registered). Rows are only added.

use rusqlite::params;
use rusqlite::types::Value;

use super::values::{flag, text};
use super::{Result, Store};

pub use crate::domain::register::{DocumentId, DocumentKind, ExportRecord, RegisteredExport};

/// How a document is stored in the register: its `what` and `agency_code`.
fn stored(d: &DocumentId) -> (&'static str, &str) {
    (d.kind.code(), d.agency.as_str())
}

fn document_of(what: &str, meeting: Option<i64>, agency: String) -> DocumentId {
    DocumentId {
        kind: DocumentKind::from_code(what).unwrap_or(DocumentKind::CasePack),
        meeting,
        agency,
    }
}

/// The formats the register accepts.
const FORMATS: &[&str] = &["md", "docx"];

impl Store {
    /// Records an export that was written, with its audit row; the person linked to the
    /// login is looked up in the same transaction. Returns the row's id.
    pub fn register_export(&mut self, r: &ExportRecord) -> Result<i64> {
        if !FORMATS.contains(&r.format.as_str()) {
            return Err(super::StoreError::Rule(format!(
                "unknown export format {:?}: md or docx",
                r.format
            )));
        }
        let (what, agency) = stored(&r.document);
        self.write(|w| {
            let login = w.login().to_string();
            let person = w.person_for_login(r.case_id, &login)?.unwrap_or_default();
            w.insert(
                "export_register",
                &[
                    ("case_id", Value::Integer(r.case_id)),
                    ("what", text(what)),
                    ("meeting_number", super::values::id(r.document.meeting)),
                    ("agency_code", text(agency)),
                    ("format", text(&r.format)),
                    ("login", text(&login)),
                    ("person", text(&person)),
                    ("anonymised", flag(r.anonymised)),
                    ("publication", flag(r.publication)),
                    ("fingerprint", text(&r.fingerprint)),
                    (
                        "chain_rows",
                        Value::Integer(i64::try_from(r.chain_rows).unwrap_or(i64::MAX)),
                    ),
                    ("chain_head", text(&r.chain_head)),
                    ("file_name", text(&r.file_name)),
                ],
            )
        })
    }

    /// The register of a case, newest first.
    pub fn export_register(&self, case_id: i64) -> Result<Vec<RegisteredExport>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, created_at, what, meeting_number, agency_code, format, login, person,
                    anonymised, publication, fingerprint, chain_rows, chain_head, file_name
             FROM export_register WHERE case_id = ?1 ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([case_id], |r| {
            let what: String = r.get(2)?;
            Ok(RegisteredExport {
                id: r.get(0)?,
                at: r.get(1)?,
                login: r.get(6)?,
                person: r.get(7)?,
                record: ExportRecord {
                    case_id,
                    document: document_of(&what, r.get(3)?, r.get(4)?),
                    format: r.get(5)?,
                    anonymised: r.get::<_, i64>(8)? != 0,
                    publication: r.get::<_, i64>(9)? != 0,
                    fingerprint: r.get(10)?,
                    chain_rows: u64::try_from(r.get::<_, i64>(11)?).unwrap_or(0),
                    chain_head: r.get(12)?,
                    file_name: r.get(13)?,
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// How many times this document of this case was exported before (any format, for
    /// the panel or anonymised): its version is one more.
    pub fn earlier_exports(&self, case_id: i64, document: &DocumentId) -> Result<u64> {
        let (what, agency) = stored(document);
        let n: i64 = self.conn().query_row(
            "SELECT count(*) FROM export_register
             WHERE case_id = ?1 AND what = ?2 AND meeting_number IS ?3 AND agency_code = ?4",
            params![case_id, what, document.meeting, agency],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
