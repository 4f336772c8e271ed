//! The export register's records as plain types (read by the case view, written by
//! `store::register`): which document left the panel, and what it carried.

/// What kind of document left the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Minutes,
    Agenda,
    CasePack,
    Actions,
    /// The decision record (issue 17).
    Decision,
}

impl DocumentKind {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            DocumentKind::Minutes => "minutes",
            DocumentKind::Agenda => "agenda",
            DocumentKind::CasePack => "case",
            DocumentKind::Actions => "actions",
            DocumentKind::Decision => "decision",
        }
    }

    /// The kind of a stored code.
    pub fn from_code(code: &str) -> Option<DocumentKind> {
        Some(match code {
            "minutes" => DocumentKind::Minutes,
            "agenda" => DocumentKind::Agenda,
            "case" => DocumentKind::CasePack,
            "actions" => DocumentKind::Actions,
            "decision" => DocumentKind::Decision,
            _ => return None,
        })
    }
}

/// Which document: its kind, the meeting it is of (minutes, pack; an action log limited
/// to one meeting) and the agency (an action log of one agency, by code; "" otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentId {
    pub kind: DocumentKind,
    pub meeting: Option<i64>,
    pub agency: String,
}

impl DocumentId {
    /// "Minutes of meeting 2", "Pre-meeting pack for meeting 4", "Case pack",
    /// "Action log (POLICE, meeting 3)".
    pub fn describe(&self) -> String {
        let meeting = self.meeting.map(|m| m.to_string()).unwrap_or_default();
        match self.kind {
            DocumentKind::Minutes => format!("Minutes of meeting {meeting}"),
            DocumentKind::Agenda => format!("Pre-meeting pack for meeting {meeting}"),
            DocumentKind::CasePack => "Case pack".to_string(),
            DocumentKind::Decision => "Decision record".to_string(),
            DocumentKind::Actions => {
                let mut limits: Vec<String> = Vec::new();
                if !self.agency.is_empty() {
                    limits.push(self.agency.clone());
                }
                if let Some(m) = self.meeting {
                    limits.push(format!("meeting {m}"));
                }
                if limits.is_empty() {
                    "Action log".to_string()
                } else {
                    format!("Action log ({})", limits.join(", "))
                }
            }
        }
    }
}

/// An export to register: what it was and what it carried. Who and when are the
/// store's (its login, the person linked to it, the write's time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRecord {
    pub case_id: i64,
    pub document: DocumentId,
    /// "md" or "docx".
    pub format: String,
    pub anonymised: bool,
    pub publication: bool,
    /// The approved minutes' fingerprint the document carried; "" for anything else.
    pub fingerprint: String,
    /// The audit chain as the document carried it: its length and head hash.
    pub chain_rows: u64,
    pub chain_head: String,
    /// The file's name (no folder), or "standard output".
    pub file_name: String,
}

/// A row of the register as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredExport {
    pub id: i64,
    /// When (UTC stamp).
    pub at: String,
    pub login: String,
    /// The person linked to the login when it was made ("" when none).
    pub person: String,
    pub record: ExportRecord,
}

impl RegisteredExport {
    /// The person, else the login.
    pub fn by(&self) -> &str {
        if self.person.trim().is_empty() {
            &self.login
        } else {
            &self.person
        }
    }
}
