//! Exporting from the workspace (Markdown or Word, private files, names checked when anonymised): `x` in the Minutes pane for a meeting's minutes
//! or pre-meeting pack, `m` in the case view for the case pack — panel or anonymised —
//! written beside the database (or where the form says), with the path and any warning or
//! leak report shown; an export for publication refused for findings without a decision
//! opens the review list (`overlay/review.rs`), which writes the same file once decided. The chooser's options carry what they export, meeting and all.

use std::path::{Path, PathBuf};

use super::{MinutesChoice, MinutesField, MinutesForm};
use crate::app::form::{Field, Form, yes_no};
use crate::app::overlay::review::{Rerun, suggested_words};
use crate::app::panes::{ChooseTarget, FormTarget};
use crate::app::{App, Overlay};
use crate::domain::publication::Finding;
use crate::export::{
    ExportError, ExportFormat, ExportKind, ExportOptions, export_to_file_replacing,
};

use MinutesField::{
    Allow as ALLOW, Anonymise as ANONYMISE, Characteristics as CHARACTERISTICS, File as FILE,
    Replacement as REPLACEMENT, Times as TIMES,
};

/// One export the chooser offers: what to export, whether anonymised to begin with
/// (the form's Anonymise field decides in the end), and as Markdown or Word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportChoice {
    pub kind: ExportKind,
    pub anonymise: bool,
    pub format: ExportFormat,
    /// For publication: anonymised, with the publication check.
    pub publication: bool,
    /// An anonymised case pack with the case characteristics (the form's field decides).
    pub characteristics: bool,
}

/// The number an export form's draft is kept under, as it always was: the option's place
/// in the old list times 10 000, plus the meeting's number. Only a draft's key: the
/// meaning travels in `MinutesForm::Export`, and the form's title tells kinds apart.
pub(super) fn draft_key(
    kind: ExportKind,
    anonymise: bool,
    publication: bool,
    format: ExportFormat,
) -> String {
    let anonymised = match (publication, anonymise) {
        (true, _) => ":publication",
        (false, true) => ":anonymised",
        (false, false) => "",
    };
    let word = match format {
        ExportFormat::Markdown => "",
        ExportFormat::Word => ":docx",
    };
    match kind {
        ExportKind::Minutes { meeting } => format!("minutes:{meeting}{anonymised}{word}"),
        ExportKind::Agenda { meeting } => format!("agenda:{meeting}{word}"),
        ExportKind::Case => format!("case{anonymised}{word}"),
        ExportKind::Decision => format!("decision{word}"),
        ExportKind::Actions { meeting, agency } => format!(
            "actions:{}:{}{word}",
            meeting.unwrap_or(0),
            agency.unwrap_or(0)
        ),
    }
}

/// Each of `options` (label, what, anonymised, for publication) as Markdown, then each
/// as Word, labelled so.
fn in_both_formats(options: Vec<(String, ExportKind, bool, bool)>) -> Vec<(String, ExportChoice)> {
    [ExportFormat::Markdown, ExportFormat::Word]
        .into_iter()
        .flat_map(|format| {
            options
                .iter()
                .map(move |(label, kind, anonymise, publication)| {
                    (
                        format!("{label} ({})", format.label()),
                        ExportChoice {
                            kind: *kind,
                            anonymise: *anonymise,
                            publication: *publication,
                            format,
                            characteristics: false,
                        },
                    )
                })
        })
        .collect()
}

impl App {
    /// Opens the chooser of exports for meeting number `meeting` (the Minutes pane's `x`).
    pub(crate) fn open_meeting_export(&mut self, meeting: i64) {
        let minutes = ExportKind::Minutes { meeting };
        let options = vec![
            (
                format!("Minutes of meeting {meeting}, for the panel"),
                minutes,
                false,
                false,
            ),
            (
                format!("Minutes of meeting {meeting}, anonymised"),
                minutes,
                true,
                false,
            ),
            (
                format!("Minutes of meeting {meeting}, for publication"),
                minutes,
                true,
                true,
            ),
            (
                format!("Pre-meeting pack for meeting {meeting}"),
                ExportKind::Agenda { meeting },
                false,
                false,
            ),
            (
                format!("Action log of meeting {meeting}, by agency"),
                ExportKind::Actions {
                    meeting: Some(meeting),
                    agency: None,
                },
                false,
                false,
            ),
        ];
        self.open_export_chooser(in_both_formats(options));
    }

    /// Opens the chooser of case-pack exports (the case view's `m`).
    pub(crate) fn open_case_pack_export(&mut self) {
        let options = vec![
            (
                "The case pack, for the panel".to_string(),
                ExportKind::Case,
                false,
                false,
            ),
            (
                "The case pack, anonymised".to_string(),
                ExportKind::Case,
                true,
                false,
            ),
            (
                "The case pack, for publication".to_string(),
                ExportKind::Case,
                true,
                true,
            ),
            (
                "The decision record (whether to review), for the panel and the Home Office"
                    .to_string(),
                ExportKind::Decision,
                false,
                false,
            ),
        ];
        let mut choices = in_both_formats(options);
        // The anonymised pack leaves the case characteristics out unless asked: each
        // format offers it with them too, last (the options before keep their places).
        for format in [ExportFormat::Markdown, ExportFormat::Word] {
            let choice = ExportChoice {
                kind: ExportKind::Case,
                anonymise: true,
                publication: false,
                format,
                characteristics: true,
            };
            let label = format!(
                "The case pack, anonymised, with characteristics ({})",
                format.label()
            );
            choices.push((label, choice));
        }
        self.open_export_chooser(choices);
    }

    fn open_export_chooser(&mut self, options: Vec<(String, ExportChoice)>) {
        let (labels, choices) = options.into_iter().unzip();
        self.open_chooser(
            "Export",
            labels,
            ChooseTarget::Minutes(MinutesChoice::Export(choices)),
        );
    }
}

/// The form asking where to write, with the database's folder as the default (it already
/// has the permissions the export needs).
fn export_form(
    app: &App,
    kind: ExportKind,
    anonymise: bool,
    publication: bool,
    characteristics: bool,
    format: ExportFormat,
) -> Option<Form> {
    let ws = app.workspace.as_ref()?;
    let folder = crate::store::files::folder_of(app.store.path());
    let path: PathBuf = folder.join(format.file_name(&kind.file_name(&ws.case, anonymise)));
    let what = format.label();
    let title = match kind {
        ExportKind::Minutes { meeting } => {
            format!("Export the minutes of meeting {meeting} ({what})")
        }
        ExportKind::Agenda { meeting } => {
            format!("Export the pre-meeting pack for meeting {meeting} ({what})")
        }
        ExportKind::Case if characteristics => {
            format!("Export the case pack ({what}), with the case characteristics")
        }
        ExportKind::Case => format!("Export the case pack ({what})"),
        ExportKind::Decision => format!("Export the decision record ({what})"),
        ExportKind::Actions { .. } => format!("Export the action log ({what})"),
    };
    let title = if publication {
        format!("{title}, for publication")
    } else {
        title
    };
    let mut fields = vec![Field::with_id(
        FILE,
        "Write to",
        "the file to write; an existing file is replaced only after a question",
        false,
        &path.display().to_string(),
    )];
    if let ExportKind::Minutes { .. } = kind {
        let mut times = Field::yes_no("Show the time of each paragraph", false);
        times.id = Some(TIMES.into());
        fields.push(times);
    }
    if kind.can_anonymise() && !publication {
        let mut anonymised = Field::yes_no("Anonymise", anonymise);
        anonymised.id = Some(ANONYMISE.into());
        fields.push(anonymised);
        fields.push(Field::with_id(
            ALLOW,
            "Allow (words the leak scan may accept, separated by spaces)",
            "only for a word the scan wrongly takes for a name",
            false,
            "",
        ));
    }
    if kind == ExportKind::Case && !publication {
        let mut with = Field::yes_no(
            "Case characteristics in an anonymised pack",
            characteristics,
        );
        with.id = Some(CHARACTERISTICS.into());
        fields.push(with);
    }
    Some(Form::new(title, fields))
}

/// The chosen export's form.
pub(super) fn open_form(app: &mut App, chosen: ExportChoice) {
    let ExportChoice {
        kind,
        anonymise,
        publication,
        format,
        characteristics,
    } = chosen;
    if publication && app.refuse_publication_in_reading_seat() {
        return;
    }
    if let Some(form) = export_form(app, kind, anonymise, publication, characteristics, format) {
        app.open_form(
            form,
            FormTarget::Minutes(MinutesForm::Export {
                kind,
                anonymise,
                publication,
                format,
            }),
        );
    }
}

/// Why `path` cannot hold an export of `format`: the file is written in the format its
/// name ends with (.docx is Word), so the two must agree.
fn format_mismatch(path: &Path, format: ExportFormat) -> Option<String> {
    let named = ExportFormat::of_path(path);
    match (format, named) {
        (ExportFormat::Word, Some(ExportFormat::Word)) => None,
        (ExportFormat::Word, _) => Some("a Word file's name ends .docx: end it so".to_string()),
        (ExportFormat::Markdown, Some(ExportFormat::Word)) => Some(
            "this is the Markdown export but the name ends .docx: end it .md, or choose the Word export"
                .to_string(),
        ),
        (ExportFormat::Markdown, _) => None,
    }
}

pub(super) fn write_export(
    app: &mut App,
    mut form: Form,
    kind: ExportKind,
    chosen: bool,
    publication: bool,
    format: ExportFormat,
) {
    form.clear_errors();
    let target = FormTarget::Minutes(MinutesForm::Export {
        kind,
        anonymise: chosen,
        publication,
        format,
    });
    let file = form.text(FILE);
    let path = PathBuf::from(&file);
    if file.is_empty() {
        form.mark(FILE, "give the file to write");
    } else if let Some(why) = format_mismatch(&path, format) {
        form.mark(FILE, &why);
    }
    let anonymise = match form.field_by(ANONYMISE) {
        Some(_) => yes_no(&form.text(ANONYMISE))
            .map_err(|e| form.mark(ANONYMISE, e))
            .unwrap_or(false),
        None => publication,
    };
    let times = match form.field_by(TIMES) {
        Some(_) => yes_no(&form.text(TIMES))
            .map_err(|e| form.mark(TIMES, e))
            .unwrap_or(false),
        None => false,
    };
    let characteristics = match form.field_by(CHARACTERISTICS) {
        Some(_) => yes_no(&form.text(CHARACTERISTICS))
            .map_err(|e| form.mark(CHARACTERISTICS, e))
            .unwrap_or(false),
        None => false,
    };
    if form.has_errors() {
        app.open_form(form, target);
        return;
    }
    let allow: Vec<String> = form
        .text(ALLOW)
        .split_whitespace()
        .map(str::to_string)
        .collect();
    // An existing file is replaced only after a question (an export never replaces the
    // database, a SQLite file, a device or a folder: the writer refuses those itself).
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file())
        && crate::store::files::sqlite_kind(&path).is_none()
    {
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        app.ask(
            "Replace the file?",
            format!(
                "{file} already exists ({size} bytes). Replace it with this export? Its contents are lost."
            ),
            crate::app::panes::ConfirmTarget::Minutes(super::MinutesConfirm::ReplaceExport {
                kind,
                anonymise,
                chosen,
                file,
                allow,
                times,
                publication,
                characteristics,
            }),
        );
        return;
    }
    let options = ExportOptions {
        anonymise,
        allow,
        times,
        publication,
        characteristics,
    };
    finish(app, kind, &path, options, false);
}

/// The answer to "replace the file?": yes writes over it, no puts the form back.
/// `options` are the ones the form gave (anonymised, allowed words, times).
pub(super) fn replace_answered(
    app: &mut App,
    kind: ExportKind,
    chosen: bool,
    file: String,
    options: ExportOptions,
    yes: bool,
) {
    if yes {
        finish(app, kind, &PathBuf::from(&file), options, true);
        return;
    }
    let format = ExportFormat::of_path(Path::new(&file)).unwrap_or_default();
    if let Some(mut form) = export_form(
        app,
        kind,
        options.anonymise,
        options.publication,
        options.characteristics,
        format,
    ) {
        if let Some(field) = form.fields.iter_mut().find(|f| f.id == Some(FILE.into())) {
            field.set_text(&file);
        }
        if let Some(field) = form.fields.iter_mut().find(|f| f.id == Some(TIMES.into())) {
            field.set_text(if options.times { "y" } else { "n" });
        }
        app.form_back(
            form,
            FormTarget::Minutes(MinutesForm::Export {
                kind,
                anonymise: chosen,
                publication: options.publication,
                format,
            }),
            "Not written: the file was kept. Give another file name.",
        );
    }
}

/// The review list's Enter: the export it was opened for, again, once every finding has
/// a decision (the same file, the same options).
pub fn export_again(
    app: &mut App,
    kind: ExportKind,
    path: &Path,
    options: ExportOptions,
    replace: bool,
) {
    finish(app, kind, path, options, replace);
}

/// The small form of the review list's g and G: the words to write instead of `finding`
/// (or of every finding of its kind), started with a plain noun for its kind.
pub fn open_generalise(app: &mut App, finding: &Finding, row: usize, every_kind: bool) {
    let title = if every_kind {
        format!(
            "Generalise every {} (each becomes the same words)",
            finding.kind.label()
        )
    } else {
        format!("Generalise \"{}\" ({})", finding.text, finding.kind.label())
    };
    let form = Form::new(
        title,
        vec![Field::with_id(
            REPLACEMENT,
            "Write instead",
            "general words, everywhere it appears; e.g. a housing case reference",
            false,
            &suggested_words(finding.kind, &finding.text),
        )],
    );
    app.open_form(
        form,
        FormTarget::Minutes(MinutesForm::Generalise { row, every_kind }),
    );
}

/// Saves the generalise form: its words recorded as the decision (the form comes back
/// with the reason when they are empty or the store refuses).
pub(super) fn save_generalise(app: &mut App, mut form: Form, row: usize, every_kind: bool) {
    form.clear_errors();
    let target = FormTarget::Minutes(MinutesForm::Generalise { row, every_kind });
    let words = form.text(REPLACEMENT);
    if words.is_empty() {
        form.mark(
            REPLACEMENT,
            "give the words to write instead (or Esc, then k to keep or r to remove)",
        );
        app.open_form(form, target);
        return;
    }
    if let Err(why) = app.generalise_in_review(row, every_kind, words) {
        app.form_back(form, target, format!("No decision recorded: {why}"));
    }
}

/// Writes the export and reports where, what it warned, or why nothing was written (an
/// export for publication with undecided findings opens the review list instead).
fn finish(app: &mut App, kind: ExportKind, path: &Path, options: ExportOptions, replace: bool) {
    let Some(case) = app.workspace.as_ref().map(|ws| ws.case.clone()) else {
        return;
    };
    let result = export_to_file_replacing(
        &mut app.store,
        &case,
        kind,
        &options,
        &*app.clock,
        path,
        replace,
    );
    let (title, text) = match result {
        Ok(export) => {
            let mut text = format!("Written to {}.", path.display());
            for warning in &export.warnings {
                text.push_str(&format!("\n\nWARNING: {warning}"));
            }
            if !export.like_names.is_empty() {
                text.push_str("\n\nKept: ordinary words like a name (not refused):");
                for hit in &export.like_names {
                    text.push_str(&format!("\n  {}", hit.describe()));
                }
            }
            if !export.allowed.is_empty() {
                text.push_str("\n\nAccepted because you allowed them:");
                for hit in &export.allowed {
                    text.push_str(&format!("\n  {}", hit.describe()));
                }
            }
            // A case view still open lists the new row.
            app.reload_case_view();
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
        // The review list decides them here, then writes the same file.
        Err(ExportError::Undecided(findings)) => {
            let rerun = Rerun {
                kind,
                path: path.to_path_buf(),
                options,
                replace,
            };
            app.open_review(case.id, findings, rerun);
            return;
        }
        Err(e) => (
            "Export failed".to_string(),
            format!("{e}\n\nNothing was written."),
        ),
    };
    app.overlays
        .push(Overlay::Report(crate::app::overlay::Report::new(
            title, text,
        )));
}
