//! Exporting from the workspace (SPEC §7): `x` in the Minutes pane for a meeting's minutes
//! or pre-meeting pack, `m` in the case view for the case pack — panel or anonymised —
//! written beside the database (or where the form says), with the path and any warning or
//! leak report shown.

use std::path::PathBuf;

use super::form::{Field, Form, yes_no};
use super::{App, Overlay};
use crate::export::{ExportError, ExportKind, ExportOptions, export_to_file};

mod label {
    pub const FILE: &str = "Write to";
    pub const ALLOW: &str = "Allow (words the leak scan may accept, separated by spaces)";
    pub const ANONYMISE: &str = "Anonymise";
}
use label::*;

/// What the export chooser offers, by value.
const MINUTES: i64 = 0;
const MINUTES_ANONYMISED: i64 = 1;
const PACK: i64 = 2;
const CASE: i64 = 3;
const CASE_ANONYMISED: i64 = 4;

fn kind_of(value: i64, meeting: i64) -> (ExportKind, bool) {
    match value {
        MINUTES => (ExportKind::Minutes { meeting }, false),
        MINUTES_ANONYMISED => (ExportKind::Minutes { meeting }, true),
        PACK => (ExportKind::Agenda { meeting }, false),
        CASE_ANONYMISED => (ExportKind::Case, true),
        _ => (ExportKind::Case, false),
    }
}

/// The form asking where to write, with the database's folder as the default (it already
/// has the permissions the export needs).
fn export_form(app: &App, kind: ExportKind, anonymise: bool) -> Option<Form> {
    let ws = app.workspace.as_ref()?;
    let folder = crate::store::files::folder_of(app.store.path());
    let path: PathBuf = folder.join(kind.file_name(&ws.case, anonymise));
    let title = match kind {
        ExportKind::Minutes { meeting } => {
            format!("Export the minutes of meeting {meeting} (Markdown)")
        }
        ExportKind::Agenda { meeting } => {
            format!("Export the pre-meeting pack for meeting {meeting} (Markdown)")
        }
        ExportKind::Case => "Export the case pack (Markdown)".to_string(),
    };
    let mut fields = vec![Field::new(
        FILE,
        "a new file; its folder must not be open to other users",
        false,
        &path.display().to_string(),
    )];
    if kind.can_anonymise() {
        fields.push(Field::yes_no(ANONYMISE, anonymise));
        fields.push(Field::new(
            ALLOW,
            "only for a word the scan wrongly takes for a name",
            false,
            "",
        ));
    }
    Some(Form::new(title, fields))
}

/// Opens the chooser of exports for the selected meeting of the Minutes pane.
pub(crate) fn choose_meeting_export(app: &mut App, meeting: i64) {
    let options = vec![
        (
            format!("Minutes of meeting {meeting}, for the panel"),
            MINUTES,
        ),
        (
            format!("Minutes of meeting {meeting}, anonymised"),
            MINUTES_ANONYMISED,
        ),
        (format!("Pre-meeting pack for meeting {meeting}"), PACK),
    ];
    app.overlay = Some(Overlay::Choose {
        title: "Export".into(),
        options,
        selected: 0,
        choose: chosen,
        target: meeting,
    });
}

/// Opens the chooser of case-pack exports (from the case view).
pub(crate) fn choose_case_export(app: &mut App) {
    let options = vec![
        ("The case pack, for the panel".to_string(), CASE),
        ("The case pack, anonymised".to_string(), CASE_ANONYMISED),
    ];
    app.overlay = Some(Overlay::Choose {
        title: "Export".into(),
        options,
        selected: 0,
        choose: chosen,
        target: 0,
    });
}

fn chosen(app: &mut App, value: i64, meeting: i64) {
    let (kind, anonymise) = kind_of(value, meeting);
    if let Some(form) = export_form(app, kind, anonymise) {
        let target = value * 10_000 + meeting;
        app.overlay = Some(Overlay::Form {
            form,
            submit: write_export,
            target,
        });
    }
}

fn write_export(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    // The export's kind and the meeting number travel together in the target.
    let (value, meeting) = (target / 10_000, target % 10_000);
    let (kind, _) = kind_of(value, meeting);
    let path = PathBuf::from(form.value(FILE));
    if form.value(FILE).is_empty() {
        form.set_error(FILE, "give the file to write");
    }
    let anonymise = match form.field(ANONYMISE) {
        Some(_) => yes_no(&form.value(ANONYMISE))
            .map_err(|e| form.set_error(ANONYMISE, e))
            .unwrap_or(false),
        None => false,
    };
    if form.has_errors() {
        app.overlay = Some(Overlay::Form {
            form,
            submit: write_export,
            target,
        });
        return;
    }
    let allow: Vec<String> = form
        .value(ALLOW)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    let Some(case) = app.workspace.as_ref().map(|ws| ws.case.clone()) else {
        return;
    };
    let options = ExportOptions { anonymise, allow };
    let result = export_to_file(&app.store, &case, kind, &options, &*app.clock, &path);
    let (title, text) = match result {
        Ok(export) => {
            let mut text = format!("Written to {}.", path.display());
            for warning in &export.warnings {
                text.push_str(&format!("\n\nWARNING: {warning}"));
            }
            if !export.allowed.is_empty() {
                text.push_str("\n\nAccepted because you allowed them:");
                for hit in &export.allowed {
                    text.push_str(&format!("\n  {}", hit.describe()));
                }
            }
            ("Exported".to_string(), text)
        }
        Err(ExportError::Leaks(hits)) => {
            let mut text = format!(
                "Nothing was written: the anonymised export still holds {} name{} the case knows.\n\
                 Add each name to the pseudonym register (0, then r), correct the text, or allow a\n\
                 word that is not a name.\n",
                hits.len(),
                if hits.len() == 1 { "" } else { "s" }
            );
            for hit in &hits {
                text.push_str(&format!("\n  {}", hit.describe()));
            }
            ("Export refused by the leak scan".to_string(), text)
        }
        Err(e) => (
            "Export failed".to_string(),
            format!("{e}\n\nNothing was written."),
        ),
    };
    app.overlay = Some(Overlay::Report {
        title,
        text,
        scroll: 0,
    });
}
