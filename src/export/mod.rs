//! Markdown exports: a meeting's minutes, the pre-meeting pack and the whole
//! case, for the panel or anonymised, checked by the leak scan, written atomically.
//!
//! Every export is built in memory from `store` reads through the one Markdown writer
//! (`domain::markdown`), so all text is sanitised and escaped; an anonymised one passes
//! the leak scan (`domain::pseudonym`) before anything is written. The protective marking
//! is the first and the last line. Nothing here touches the terminal: the command line
//! and the workspace print or show what an [`Export`] carries.

mod actions;
mod agenda;
mod case_pack;
mod characteristics;
mod decision;
pub mod docx;
mod family;
mod file;
mod minutes;
mod people;
mod process;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::domain::document::{DocWriter, Document, Meta, Rewrite, Verbatim};
use crate::domain::markdown;
use crate::domain::model::{
    Action, ActionStatus, Case, DEFAULT_MARKING, MeetingStatus, ReviewKind,
};
use crate::domain::plan::action_is_overdue;
use crate::domain::pseudonym::{Anonymiser, LeakHit, readable_lines};
use crate::domain::publication::{Decisions, Finding, Known, Publication};
use crate::store::audit::ChainHead;
use crate::store::logs::Logged;
use crate::store::register::{DocumentId, DocumentKind, ExportRecord};
use crate::store::{Store, StoreError};
use crate::time::Clock;

pub use file::{Written, write_atomically, write_export};

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    /// The minutes of meeting number `meeting`.
    Minutes { meeting: i64 },
    /// The pre-meeting pack for meeting number `meeting`.
    Agenda { meeting: i64 },
    /// The decision whether to hold a review (the decision record).
    Decision,
    /// The whole review in one document.
    Case,
    /// The open actions and challenges of each agency (or of the agency with this id),
    /// those raised at meeting number `meeting` when given.
    Actions {
        meeting: Option<i64>,
        agency: Option<i64>,
    },
}

impl ExportKind {
    /// A file name for this export of `case`: "DEMO-1-meeting-2-minutes.md",
    /// "DEMO-1-meeting-4-pack.md", "DEMO-1-case-pack-anonymised.md".
    pub fn file_name(self, case: &Case, anonymised: bool) -> String {
        let reference: String = case
            .reference
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let what = match self {
            ExportKind::Minutes { meeting } => format!("meeting-{meeting}-minutes"),
            ExportKind::Agenda { meeting } => format!("meeting-{meeting}-pack"),
            ExportKind::Decision => "decision-record".to_string(),
            ExportKind::Case => "case-pack".to_string(),
            ExportKind::Actions { meeting, .. } => match meeting {
                Some(m) => format!("meeting-{m}-action-log"),
                None => "action-log".to_string(),
            },
        };
        let anonymised = if anonymised && self.can_anonymise() {
            "-anonymised"
        } else {
            ""
        };
        format!("{reference}-{what}{anonymised}.md")
    }

    /// Whether this export has an anonymised form (the pre-meeting pack, the action log
    /// and the decision record are for the panel).
    pub fn can_anonymise(self) -> bool {
        !matches!(
            self,
            ExportKind::Agenda { .. } | ExportKind::Actions { .. } | ExportKind::Decision
        )
    }
}

/// The file an export is written as.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ExportFormat {
    /// Markdown (`.md`): for the screen, a repository or pandoc.
    #[default]
    Markdown,
    /// Word (`.docx`), written natively (`export::docx`): to circulate.
    Word,
}

impl ExportFormat {
    /// The file name's ending, without the dot: "md", "docx".
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "md",
            ExportFormat::Word => "docx",
        }
    }

    /// "Markdown", "Word".
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "Markdown",
            ExportFormat::Word => "Word",
        }
    }

    /// The format a file name's ending says (`.md`, `.markdown`, `.docx`, any case), if any.
    pub fn of_path(path: &Path) -> Option<ExportFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(ExportFormat::Markdown),
            "docx" => Some(ExportFormat::Word),
            _ => None,
        }
    }

    /// `name` (ending ".md") with this format's ending.
    pub fn file_name(self, name: &str) -> String {
        let stem = name.strip_suffix(".md").unwrap_or(name);
        format!("{stem}.{}", self.extension())
    }
}

/// How to export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportOptions {
    /// Replace names (pseudonym, or role and agency); refuse if the leak scan finds one left.
    pub anonymise: bool,
    /// Words the leak scan accepts as known false positives, as they appear in the text.
    pub allow: Vec<String>,
    /// Show the time each paragraph of the minutes was minuted (off by default).
    pub times: bool,
    /// The publication check (implies `anonymise`): apply the case's recorded decisions
    /// and refuse while a finding has none (`domain::publication`).
    pub publication: bool,
    /// An anonymised case pack with its "Case characteristics" section (the panel's pack
    /// always has it; an anonymised one leaves it out unless asked).
    pub characteristics: bool,
}

/// A finished export, not yet written anywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The document as blocks, for the Word writer.
    pub document: Document,
    /// The document as Markdown.
    pub markdown: String,
    /// The format of [`Export::bytes`].
    pub format: ExportFormat,
    /// The file as it is to be written: the Markdown, or the Word file.
    pub bytes: Vec<u8>,
    /// Things to say loudly besides the document (a fingerprint that no longer matches);
    /// the document says them too.
    pub warnings: Vec<String>,
    /// Places the leak scan accepted because of `--allow`, to report.
    pub allowed: Vec<LeakHit>,
    /// Ordinary words like a short name ("marker" for Mark) the leak scan let through,
    /// to report (in a publication export they are findings with decisions instead).
    pub like_names: Vec<LeakHit>,
    /// A file name to offer: [`ExportKind::file_name`], ending as the format does.
    pub file_name: String,
    /// The register's row for this export, written once the file is ([`register`]).
    pub record: ExportRecord,
}

/// The words an export from a seat that cannot write carries (footer, screen, stderr).
pub const NOT_REGISTERED: &str = "not in the export register (read-only seat)";

/// The file name the register records for an export printed on standard output.
pub const STANDARD_OUTPUT: &str = "standard output";

/// Why an export was not made. Each message says what is wrong and what to do.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("case {reference} has no meeting {number}: {known}")]
    NoMeeting {
        reference: String,
        number: i64,
        known: String,
    },
    #[error(
        "the anonymised export still holds {} name{} the case knows, so nothing was written: add each \
         name as written to the pseudonym register, correct the text, or give --allow WORD for a word \
         that is not a name",
        .0.len(),
        if .0.len() == 1 { "" } else { "s" }
    )]
    Leaks(Vec<LeakHit>),
    #[error("case {reference} has no agency {code}: its codes are {known}")]
    NoAgency {
        reference: String,
        code: String,
        known: String,
    },
    #[error(
        "the publication check found {} finding{} with no decision, so nothing was written: record a \
         decision for each (keep, generalise or remove) and export again",
        .0.len(),
        if .0.len() == 1 { "" } else { "s" }
    )]
    Undecided(Vec<Finding>),
    #[error(
        "a publication export needs a seat that can write: its decisions are recorded in the database, \
         and this database is open read-only here; export for publication from a seat that can write, \
         or export anonymised without the publication check"
    )]
    PublicationReadOnly,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{0}; nothing was written")]
    Word(#[from] docx::DocxError),
    #[error("cannot write {path}: {reason}")]
    BadPath { path: PathBuf, reason: String },
    #[error(
        "{detail}: the export was not written to {path} and nothing of it was left there; free some space and export again"
    )]
    DiskFull { path: PathBuf, detail: String },
    #[error("writing {path} failed: {source}; nothing was written there")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl ExportError {
    /// Whether the fault lies in what the user gave (exit status 2) rather than in what
    /// happened at run time (1). A refusal by the leak scan is a run-time failure.
    pub fn is_bad_input(&self) -> bool {
        match self {
            ExportError::NoMeeting { .. }
            | ExportError::NoAgency { .. }
            | ExportError::BadPath { .. } => true,
            ExportError::Store(e) => e.is_bad_input(),
            ExportError::Leaks(_)
            | ExportError::Undecided(_)
            | ExportError::PublicationReadOnly
            | ExportError::Io { .. }
            | ExportError::DiskFull { .. }
            | ExportError::Word(_) => false,
        }
    }
}

/// Builds an export of `case` as it stands, with "today" and local times from `clock`.
/// An anonymised export that the leak scan refuses is [`ExportError::Leaks`].
pub fn export(
    store: &Store,
    case: &Case,
    kind: ExportKind,
    options: &ExportOptions,
    clock: &dyn Clock,
) -> Result<Export, ExportError> {
    export_as(store, case, kind, options, ExportFormat::Markdown, clock)
}

/// [`export`] as a file of `format`. An anonymised Word file is scanned on what a reader
/// of it sees ([`docx::visible_text`]: paragraphs, header, footer, properties), with the
/// same scan as the Markdown, before anything is written.
pub fn export_as(
    store: &Store,
    case: &Case,
    kind: ExportKind,
    options: &ExportOptions,
    format: ExportFormat,
    clock: &dyn Clock,
) -> Result<Export, ExportError> {
    let publication = options.publication && kind.can_anonymise();
    let anonymise = (options.anonymise || publication) && kind.can_anonymise();
    if publication && store.is_read_only() {
        return Err(ExportError::PublicationReadOnly);
    }
    let anonymiser = if anonymise {
        Some(people::anonymiser(store, case)?)
    } else {
        None
    };
    let checked = if publication {
        let known = Known {
            places: store.places(case.id)?.into_iter().map(|p| p.text).collect(),
            ignore: vec![case.reference.clone()],
        };
        Some((
            Decisions::new(&store.publication_decisions(case.id)?),
            known,
        ))
    } else {
        None
    };
    let for_publication;
    let rewrite: &dyn Rewrite = match (&anonymiser, &checked) {
        (Some(anonymiser), Some((decisions, known))) => {
            for_publication = Publication {
                anonymiser,
                decisions,
                known,
            };
            &for_publication
        }
        (Some(a), None) => a,
        (None, _) => &Verbatim,
    };
    let mut w = DocWriter::new(rewrite);
    open_document(&mut w, case, anonymise);
    let warnings = match kind {
        ExportKind::Minutes { meeting } => {
            let how = minutes::How {
                anonymised: anonymise,
                times: options.times,
            };
            minutes::write(&mut w, store, case, meeting, how, clock)?
        }
        ExportKind::Agenda { meeting } => agenda::write(&mut w, store, case, meeting, clock)?,
        ExportKind::Decision => decision::write(&mut w, store, case)?,
        ExportKind::Case => {
            let characteristics = !anonymise || options.characteristics;
            case_pack::write(&mut w, store, case, anonymise, characteristics, clock)?
        }
        ExportKind::Actions { meeting, agency } => {
            actions::write(&mut w, store, case, meeting, agency, clock)?
        }
    };
    let mut warnings = warnings;
    let chain = store.audit_head()?;
    let (meta, record) = meta_of(store, case, kind, anonymise, &chain, clock)?;
    if !meta.footer_note.is_empty() {
        warnings.push(meta.footer_note.clone());
    }
    close_document(&mut w, case, &chain, &meta.footer_note);
    w.set_meta(meta);
    let document = w.finish();
    let markdown = markdown::render(&document);
    let (allowed, like_names) = match &anonymiser {
        Some(a) => scan(a, &scanned(&markdown), &options.allow)?,
        None => (Vec::new(), Vec::new()),
    };
    let like_names = match &checked {
        Some((decisions, known)) => {
            let left = crate::domain::publication::findings(
                &readable_lines(&scanned(&markdown)),
                &like_names,
                decisions,
                known,
            );
            if !left.is_empty() {
                return Err(ExportError::Undecided(left));
            }
            Vec::new()
        }
        None => like_names,
    };
    let bytes = match format {
        ExportFormat::Markdown => markdown.clone().into_bytes(),
        ExportFormat::Word => {
            let bytes = docx::render(&document)?;
            // What a reader of the Word file sees (paragraphs, header, footer,
            // properties) is scanned again, with the same scan.
            if let Some(a) = &anonymiser {
                scan(a, &docx::visible_text(&bytes)?, &options.allow)?;
            }
            bytes
        }
    };
    Ok(Export {
        document,
        markdown,
        format,
        bytes,
        warnings,
        allowed,
        like_names,
        file_name: format.file_name(&file_name_of(
            kind,
            case,
            anonymise,
            &record.document.agency,
        )),
        record,
    })
}

/// [`ExportKind::file_name`], with an action log's agency code before the ending.
fn file_name_of(kind: ExportKind, case: &Case, anonymise: bool, agency: &str) -> String {
    let name = kind.file_name(case, anonymise);
    let code: String = agency
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    match (kind, name.strip_suffix(".md")) {
        (ExportKind::Actions { .. }, Some(stem)) if !code.is_empty() => {
            format!("{stem}-{code}.md")
        }
        _ => name,
    }
}

/// The agency of `case` with this short code (any letter case), for an action log; an
/// unknown code is an error listing the codes there are.
pub fn agency_by_code(store: &Store, case: &Case, code: &str) -> Result<i64, ExportError> {
    let agencies = store.agencies(case.id)?;
    agencies
        .iter()
        .find(|a| a.code.trim().eq_ignore_ascii_case(code.trim()))
        .map(|a| a.id)
        .ok_or_else(|| ExportError::NoAgency {
            reference: case.reference.clone(),
            code: code.to_string(),
            known: if agencies.is_empty() {
                "none: it has no agencies yet".to_string()
            } else {
                agencies
                    .iter()
                    .map(|a| a.code.clone())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        })
}

/// The title block, document control, status and footer note of an export, and the
/// register row it will be recorded by. "Draft N" counts this document's earlier exports
/// in the register; "Final" is approved minutes, the pack of a meeting that has begun
/// (what the meeting had), or the case pack of a published review. The person who
/// produced it is the one linked to the login; in an anonymised copy that name goes
/// through the anonymiser with every other text (`DocWriter::set_meta`), and a login no
/// one on the case carries is not shown there (a login can name a person).
fn meta_of(
    store: &Store,
    case: &Case,
    kind: ExportKind,
    anonymised: bool,
    chain: &ChainHead,
    clock: &dyn Clock,
) -> Result<(Meta, ExportRecord), ExportError> {
    let meetings = store.meetings(case.id)?;
    let number = match kind {
        ExportKind::Minutes { meeting } | ExportKind::Agenda { meeting } => Some(meeting),
        ExportKind::Actions { meeting, .. } => meeting,
        ExportKind::Case | ExportKind::Decision => None,
    };
    let meeting = number.and_then(|n| meetings.iter().find(|m| m.number == n));
    let agency = match kind {
        ExportKind::Actions {
            agency: Some(id), ..
        } => store.agencies(case.id)?.into_iter().find(|a| a.id == id),
        _ => None,
    };
    let document = DocumentId {
        kind: match kind {
            ExportKind::Minutes { .. } => DocumentKind::Minutes,
            ExportKind::Agenda { .. } => DocumentKind::Agenda,
            ExportKind::Case => DocumentKind::CasePack,
            ExportKind::Decision => DocumentKind::Decision,
            ExportKind::Actions { .. } => DocumentKind::Actions,
        },
        meeting: number,
        agency: agency.as_ref().map(|a| a.code.clone()).unwrap_or_default(),
    };
    let title = match kind {
        ExportKind::Minutes { meeting } => format!("Minutes of panel meeting {meeting}"),
        ExportKind::Agenda { meeting } => format!("Pre-meeting pack for panel meeting {meeting}"),
        ExportKind::Case => "Case pack".to_string(),
        ExportKind::Decision => "Decision record".to_string(),
        ExportKind::Actions { .. } => "Action log".to_string(),
    };
    // Approved minutes: the meeting that approved them and the fingerprint they carry.
    let approval = match (kind, meeting) {
        (ExportKind::Minutes { .. }, Some(m)) if m.status == MeetingStatus::Approved => Some((
            m.approved_at_meeting_id
                .and_then(|id| meetings.iter().find(|x| x.id == id))
                .map(|x| x.number),
            m.fingerprint.trim().to_string(),
        )),
        _ => None,
    };
    let is_final = match kind {
        ExportKind::Minutes { .. } => approval.is_some(),
        ExportKind::Agenda { .. } => meeting.is_some_and(|m| m.status != MeetingStatus::Planned),
        ExportKind::Case => case.published_on.is_some(),
        ExportKind::Decision | ExportKind::Actions { .. } => false,
    };
    let status = match &approval {
        Some((at, print)) => {
            let at = at.map(|n| format!(" at meeting {n}")).unwrap_or_default();
            let short = print.get(..12).unwrap_or(print);
            if short.is_empty() {
                format!("APPROVED{at}")
            } else {
                format!("APPROVED{at}, fingerprint {short}")
            }
        }
        None if is_final => "FINAL".to_string(),
        None => "DRAFT".to_string(),
    };
    let version = if is_final {
        "Final".to_string()
    } else {
        format!("Draft {}", store.earlier_exports(case.id, &document)? + 1)
    };
    let login = store.login().trim().to_string();
    let produced_by = match store.person_for_login(case.id, &login)? {
        Some(person) => person,
        None if anonymised => "not shown in an anonymised copy".to_string(),
        None => login,
    };
    let mut title_block = vec![
        (
            "Partnership".to_string(),
            if case.partnership.trim().is_empty() {
                "not recorded".to_string()
            } else {
                case.partnership.clone()
            },
        ),
        (
            "Review".to_string(),
            format!("{}, {}", case.reference, review_name(case.kind)),
        ),
        ("Document".to_string(), title.clone()),
    ];
    if let Some(n) = number {
        title_block.push(("Meeting".to_string(), n.to_string()));
    }
    if let Some(a) = &agency {
        title_block.push(("Agency".to_string(), format!("{} ({})", a.name, a.code)));
    }
    if let (Some(m), ExportKind::Minutes { .. } | ExportKind::Agenda { .. }) = (meeting, kind) {
        title_block.push(("Date".to_string(), long_day(m.date)));
        title_block.push(("Time".to_string(), time_span(&m.start_time, &m.end_time)));
        title_block.push(("Place".to_string(), m.place.clone()));
    }
    title_block.retain(|(_, v)| !v.trim().is_empty());
    let control = vec![
        ("Version".to_string(), version),
        ("Date produced".to_string(), day(Some(clock.today()))),
        ("Produced by".to_string(), produced_by),
        (
            "Distribution".to_string(),
            if anonymised {
                "Anonymised copy: only to those the review panel agrees may receive it".to_string()
            } else {
                "Review panel members only".to_string()
            },
        ),
        (
            "Handling".to_string(),
            format!("{}. {}", marking(case), case.handling_sentence()),
        ),
    ];
    let meta = Meta {
        marking: marking(case).to_string(),
        title,
        reference: case.reference.clone(),
        status,
        footer_note: if store.is_read_only() {
            NOT_REGISTERED.to_string()
        } else {
            String::new()
        },
        title_block,
        control,
    };
    let record = ExportRecord {
        case_id: case.id,
        document,
        format: "md".to_string(),
        anonymised,
        publication: false,
        fingerprint: approval.map(|(_, print)| print).unwrap_or_default(),
        chain_rows: chain.rows,
        chain_head: chain.hash.clone(),
        file_name: String::new(),
    };
    Ok((meta, record))
}

/// What registering an export did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    /// Recorded as this row of the register.
    Row(i64),
    /// A seat that cannot write: not recorded (the export says so).
    ReadOnlySeat,
}

/// Records an export that was written (to `file_name`, in `format`, "md" or "docx") in
/// the export register. Call it only after the file is written: a refused or failed export
/// is never registered. A seat that cannot write registers nothing.
pub fn register(
    store: &mut Store,
    export: &Export,
    file_name: &str,
) -> Result<Registered, StoreError> {
    if store.is_read_only() {
        return Ok(Registered::ReadOnlySeat);
    }
    let mut record = export.record.clone();
    record.format = export.format.extension().to_string();
    record.file_name = file_name.to_string();
    store.register_export(&record).map(Registered::Row)
}

/// The name the register keeps for `path`: the file's name, without its folder.
pub fn registered_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Builds an export and writes it to `path` atomically; a refused or failed
/// export leaves no file there, and an existing file is never replaced (see
/// [`export_to_file_replacing`]). What the workspace calls: show `path` and any warnings.
pub fn export_to_file(
    store: &mut Store,
    case: &Case,
    kind: ExportKind,
    options: &ExportOptions,
    clock: &dyn Clock,
    path: &Path,
) -> Result<Export, ExportError> {
    export_to_file_replacing(store, case, kind, options, clock, path, false)
}

/// [`export_to_file`], replacing an existing regular file when `may_replace` (after the
/// person said so). Folders, devices, FIFOs, sockets and SQLite files are never replaced.
/// A path ending `.docx` is written as Word, any other as Markdown. Once written, the
/// export is recorded in the register ([`register`]).
pub fn export_to_file_replacing(
    store: &mut Store,
    case: &Case,
    kind: ExportKind,
    options: &ExportOptions,
    clock: &dyn Clock,
    path: &Path,
    may_replace: bool,
) -> Result<Export, ExportError> {
    let format = ExportFormat::of_path(path).unwrap_or_default();
    let mut export = export_as(store, case, kind, options, format, clock)?;
    write_export(path, &export.bytes, may_replace)?;
    // Written: now recorded. A failure here leaves the file, and says it is unrecorded.
    if let Err(e) = register(store, &export, &registered_name(path)) {
        export.warnings.push(format!(
            "the file was written but not recorded in the export register: {e}"
        ));
    }
    Ok(export)
}

/// The words a publication decision would write instead of a finding, checked as the
/// anonymised export they go into would check them: words holding a name or a place the
/// case knows are refused before the decision is recorded (the adversarial pass recorded
/// "generalise as Craig Kerrigan", and the export then refused with a message pointing
/// at the chronology instead of the decision). Empty words pass.
pub fn check_replacement(store: &Store, case: &Case, words: &str) -> Result<(), String> {
    if words.trim().is_empty() {
        return Ok(());
    }
    let anonymiser = people::anonymiser(store, case).map_err(|e| e.to_string())?;
    let report = anonymiser.scan(&crate::domain::markdown::inline(words), &[]);
    match report.leaks.first() {
        None => Ok(()),
        Some(hit) => Err(format!(
            "the words to write instead would put a name or place the case knows into the published copy ({}): give words that name no one",
            hit.word
        )),
    }
}

/// The Markdown as the scans read it: the metadata block for pandoc keeps its values
/// but not its keys, which are the program's own words ("marking" is no name; the
/// adversarial pass saw it reported as one). Lines stay where they are.
fn scanned(markdown: &str) -> std::borrow::Cow<'_, str> {
    let Some(rest) = markdown.strip_prefix("---\n") else {
        return std::borrow::Cow::Borrowed(markdown);
    };
    let Some((block, body)) = rest.split_once("\n---\n") else {
        return std::borrow::Cow::Borrowed(markdown);
    };
    let mut out = String::with_capacity(markdown.len());
    out.push_str("---\n");
    for line in block.lines() {
        out.push_str(line.split_once(": ").map_or("", |(_, value)| value));
        out.push('\n');
    }
    out.push_str("---\n");
    out.push_str(body);
    std::borrow::Cow::Owned(out)
}

/// The leak scan: refused when any hit is not allowed; the allowed ones and the words
/// like names otherwise.
fn scan(
    a: &Anonymiser,
    markdown: &str,
    allow: &[String],
) -> Result<(Vec<LeakHit>, Vec<LeakHit>), ExportError> {
    let report = a.scan(markdown, allow);
    if report.leaks.is_empty() {
        Ok((report.allowed, report.like_names))
    } else {
        Err(ExportError::Leaks(report.leaks))
    }
}

/// The table of the actions not done (the pre-meeting pack and the case pack share it):
/// action, owner, agency, due date with how overdue, the meeting that raised it, status.
/// How the agency and the meeting are named is the caller's.
fn open_actions_table(
    w: &mut DocWriter<'_>,
    actions: Vec<Logged<Action>>,
    today: NaiveDate,
    agency: &dyn Fn(&Logged<Action>) -> String,
    meeting: &dyn Fn(&Logged<Action>) -> String,
) {
    let rows: Vec<Vec<String>> = actions
        .iter()
        .filter(|l| l.record.status != ActionStatus::Done)
        .map(|l| {
            let a = &l.record;
            let due = match a.due_on {
                Some(d) if action_is_overdue(a, today) => {
                    format!(
                        "{} (overdue by {})",
                        day(Some(d)),
                        days((today - d).num_days())
                    )
                }
                d => day(d),
            };
            vec![
                a.text.clone(),
                a.owner.clone(),
                agency(l),
                due,
                meeting(l),
                a.status.label().to_string(),
            ]
        })
        .collect();
    w.table(
        &[
            "Action",
            "Owner",
            "Agency",
            "Due",
            "Raised at meeting",
            "Status",
        ],
        &rows,
        "No actions are open.",
    );
}

fn marking(case: &Case) -> &str {
    if case.marking.trim().is_empty() {
        DEFAULT_MARKING
    } else {
        &case.marking
    }
}

/// The marking as the first line, and who the copy is for under it.
fn open_document(w: &mut DocWriter<'_>, case: &Case, anonymised: bool) {
    w.marking(marking(case));
    if anonymised {
        w.paragraph(
            "Anonymised copy: the people the review is about appear by their pseudonyms, \
             everyone else by their role and agency.",
        );
    } else {
        w.paragraph("For the review panel only: not for publication.");
    }
}

/// The marking as the last line.
/// The footer: the audit chain as it stood when exported (its length and the first 12
/// hex characters of its head), so that the database can later be checked against this
/// copy, then the marking.
fn close_document(w: &mut DocWriter<'_>, case: &Case, chain: &ChainHead, note: &str) {
    w.paragraph(&format!(
        "Audit trail when exported: {} rows, head {}. To check later that the database still holds this trail, run: dhr check --witness {}",
        chain.rows,
        chain.short(),
        chain.token()
    ));
    if !note.is_empty() {
        w.paragraph(&format!("This copy is {note}."));
    }
    w.marking(marking(case));
}

/// "Domestic Homicide Review (DHR)".
fn review_name(kind: ReviewKind) -> String {
    let long = match kind {
        ReviewKind::Dhr => "Domestic Homicide Review",
        ReviewKind::Dardr => "Domestic Abuse Related Death Review",
    };
    format!("{long} ({})", kind.label())
}

/// "03 Sep 2026", or "" when there is no date.
fn day(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%d %b %Y").to_string())
        .unwrap_or_default()
}

/// "03 Sep 2026", or "not recorded".
fn day_or_unknown(date: Option<NaiveDate>) -> String {
    date.map_or_else(|| "not recorded".to_string(), |d| day(Some(d)))
}

/// "Thursday 3 September 2026".
fn long_day(date: NaiveDate) -> String {
    date.format("%A %-d %B %Y").to_string()
}

/// "10:00 to 12:30", "from 10:00", or "".
fn time_span(start: &str, end: &str) -> String {
    match (start.trim(), end.trim()) {
        ("", "") => String::new(),
        (s, "") => format!("from {s}"),
        ("", e) => format!("until {e}"),
        (s, e) => format!("{s} to {e}"),
    }
}

/// "1 day", "12 days".
fn days(n: i64) -> String {
    if n == 1 {
        "1 day".to_string()
    } else {
        format!("{n} days")
    }
}

/// The numbers ("1, 8") of the terms of reference a record is linked to, in order.
fn term_numbers(term_ids: &[i64], numbers: &std::collections::HashMap<i64, usize>) -> String {
    let mut shown: Vec<usize> = term_ids
        .iter()
        .filter_map(|id| numbers.get(id).copied())
        .collect();
    shown.sort_unstable();
    shown.dedup();
    shown
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Term ids by record id, from a store's links.
fn links_by_record(
    links: &[crate::store::exports::TermLink],
) -> std::collections::HashMap<i64, Vec<i64>> {
    let mut map: std::collections::HashMap<i64, Vec<i64>> = std::collections::HashMap::new();
    for l in links {
        map.entry(l.record_id).or_default().push(l.term_id);
    }
    map
}

/// The displayed number of each term of reference (its place in display order, from 1).
fn term_number_map(
    terms: &[crate::domain::model::TermOfReference],
) -> std::collections::HashMap<i64, usize> {
    terms
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id, i + 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_say_what_they_hold() {
        let mut case = Case::new("DHR/2026 03", ReviewKind::Dhr, "Adult A");
        assert_eq!(
            ExportKind::Minutes { meeting: 2 }.file_name(&case, false),
            "DHR-2026-03-meeting-2-minutes.md"
        );
        case.reference = "DEMO-1".into();
        assert_eq!(
            ExportKind::Case.file_name(&case, true),
            "DEMO-1-case-pack-anonymised.md"
        );
        assert_eq!(
            ExportKind::Agenda { meeting: 4 }.file_name(&case, true),
            "DEMO-1-meeting-4-pack.md"
        );
    }

    #[test]
    fn spans_and_days_read_naturally() {
        assert_eq!(time_span("10:00", "12:30"), "10:00 to 12:30");
        assert_eq!(time_span("10:00", ""), "from 10:00");
        assert_eq!(days(1), "1 day");
        assert_eq!(days(56), "56 days");
        assert_eq!(day(None), "");
        assert_eq!(day_or_unknown(None), "not recorded");
    }
}
