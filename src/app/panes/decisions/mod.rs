//! The Decisions pane: the decision log filtered by meeting, the detail of a decision
//! with the meeting and minute it came from, and editing: the rationale always, the
//! decision's text only until the minutes that recorded it are approved (approved minutes
//! are locked; a correction is an amendment at a later meeting).
//!
//! As in the Challenges pane, the filter is the pane's filter line (`meeting:2` and free
//! words): `f` fills it, `/` types it, Esc clears it. Drawing: `src/ui/panes/decisions.rs`.

use crossterm::event::KeyCode;

use crate::app::form::{Field, Form};
use crate::app::keys::{Key, KeyRow, b, f, row};
use crate::app::panes::logs::{
    after_log_write, long_day_or, meeting_number, push_field, push_source, push_terms,
    source_locked,
};
use crate::app::panes::{FieldId, FormTarget};
use crate::app::{App, Effect, ListCursor, Overlay, Workspace};
use crate::domain::challenge::LogFilter;
use crate::domain::model::Decision;
use crate::store::logs::{LogTable, Logged, RecordSource};
use crate::store::{Store, StoreError};

/// The pane's state: the case's decisions and the list's selection and filter line.
#[derive(Default)]
pub struct DecisionsPane {
    pub all: Vec<Logged<Decision>>,
    pub cursor: ListCursor,
}

impl DecisionsPane {
    /// Reads the case's decisions again, keeping the selection within the list.
    pub fn reload(&mut self, store: &Store, case_id: i64) -> crate::store::Result<()> {
        self.all = store.decisions(case_id)?;
        let len = self.rows().len();
        self.cursor.clamp(len);
        Ok(())
    }

    /// The decision log's filter, read from its filter line.
    pub fn filter(&self) -> LogFilter {
        LogFilter::parse(&self.cursor.filter)
    }

    /// The decisions the pane lists: those passing its filter, oldest first.
    pub fn rows(&self) -> Vec<&Logged<Decision>> {
        let filter = self.filter();
        self.all
            .iter()
            .filter(|d| filter.matches_decision(&d.record, d.meeting_number))
            .collect()
    }

    /// The index of the selected row, kept within the rows listed.
    pub fn selected_index(&self) -> usize {
        self.cursor
            .selected
            .min(self.rows().len().saturating_sub(1))
    }

    /// The selected decision, if the pane lists any.
    pub fn selected(&self) -> Option<&Logged<Decision>> {
        self.rows().get(self.selected_index()).copied()
    }
}

/// What the pane's keys do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionsKey {
    Detail,
    Edit,
    Filter,
    ClearFilter,
}

/// The keys this pane adds to the workspace's.
pub const KEYS: &[KeyRow<DecisionsKey>] = &[
    row(
        &[Key::Code(KeyCode::Enter)],
        DecisionsKey::Detail,
        f(
            "Enter",
            "the decision in full: meeting and minute it came from, terms",
            "Enter",
            "detail",
        ),
    ),
    row(
        &[Key::Char('e')],
        DecisionsKey::Edit,
        f(
            "e",
            "edit the rationale (and the text, until its minutes are approved)",
            "e",
            "edit",
        ),
    ),
    row(
        &[Key::Char('f')],
        DecisionsKey::Filter,
        f("f", "filter by meeting", "f", "filter"),
    ),
    row(
        &[Key::Code(KeyCode::Esc)],
        DecisionsKey::ClearFilter,
        b("Esc", "clear the filter first"),
    ),
];

/// The pane's forms, each with what it saves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionsForm {
    /// The edit form of this decision.
    Edit { decision: i64 },
    /// The meeting filter.
    Filter,
}

/// The fields of the pane's forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionsField {
    Text,
    Rationale,
    Meeting,
}

impl From<DecisionsField> for FieldId {
    fn from(f: DecisionsField) -> FieldId {
        FieldId::Decisions(f)
    }
}

use DecisionsField::{Meeting as MEETING, Rationale as RATIONALE, Text as TEXT};

/// The whole of a decision, for its detail view.
fn decision_detail(app: &App, ws: &Workspace, d: &Logged<Decision>) -> (String, String) {
    let r = &d.record;
    let none = if app.options.ascii { "-" } else { "—" };
    let source = app.store.record_source(LogTable::Decisions, r.id);
    let terms = app
        .store
        .record_term_ids(LogTable::Decisions, r.id)
        .unwrap_or_default();
    let mut out = String::new();
    push_field(&mut out, "Decision", &r.text);
    push_field(
        &mut out,
        "Rationale",
        if r.rationale.is_empty() {
            none
        } else {
            &r.rationale
        },
    );
    let by = if r.decided_by.is_empty() {
        none
    } else {
        &r.decided_by
    };
    push_field(
        &mut out,
        "Decided by",
        &format!("{by} on {}", long_day_or(r.decided_on, none)),
    );
    push_terms(&mut out, ws, &terms, none);
    push_source(app, &mut out, "Decided at", &source);
    out.push('\n');
    if source_locked(&source) {
        out.push_str(
            "The decision's text is locked with the approved minutes; its rationale stays \
             editable.\n",
        );
    }
    out.push_str("Esc closes; then e edits.");
    let title = match d.meeting_number {
        Some(n) => format!("Decision of meeting {n}"),
        None => "Decision".to_string(),
    };
    (title, out)
}

/// Why nothing is selected, and what to do about it.
fn nothing_selected(ws: Option<&Workspace>) -> &'static str {
    if ws.is_some_and(|ws| ws.decisions.all.is_empty()) {
        "The case has no decisions yet: they are recorded while minuting (/decision TEXT)."
    } else {
        "There is no decision selected: f changes the filter, Esc clears it."
    }
}

impl App {
    /// Does what a key of the pane's table asks; `None` gives the key to the workspace.
    pub(crate) fn on_decisions_key(&mut self, action: DecisionsKey) -> Option<Effect> {
        let ws = self.workspace.as_mut()?;
        match action {
            DecisionsKey::ClearFilter => {
                if ws.decisions.cursor.filter.is_empty() {
                    return None;
                }
                ws.decisions.cursor.filter.clear();
                ws.decisions.cursor.selected = 0;
                self.info("Decisions: every meeting shown again.");
            }
            DecisionsKey::Filter => {
                let meeting = ws.decisions.filter().meeting;
                self.open_decisions_form(
                    Form::new(
                        "Filter the decisions (empty = every meeting)",
                        vec![Field::with_id(
                            MEETING,
                            "Meeting number",
                            "the meeting that took them, such as 2",
                            false,
                            &meeting.map(|n| n.to_string()).unwrap_or_default(),
                        )],
                    ),
                    DecisionsForm::Filter,
                );
            }
            DecisionsKey::Detail => {
                let Some(d) = ws.decisions.selected().cloned() else {
                    let why = nothing_selected(self.workspace.as_ref());
                    self.error(why);
                    return Some(Effect::Redraw);
                };
                let (title, text) = match &self.workspace {
                    Some(ws) => decision_detail(self, ws, &d),
                    None => return None,
                };
                self.overlays
                    .push(Overlay::Report(crate::app::overlay::Report::new(
                        title, text,
                    )));
            }
            DecisionsKey::Edit => {
                let selected = ws.decisions.selected().cloned();
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                let Some(d) = selected else {
                    let why = nothing_selected(self.workspace.as_ref());
                    self.error(why);
                    return Some(Effect::Redraw);
                };
                self.open_decision_form(&d);
            }
        }
        Some(Effect::Redraw)
    }

    fn open_decisions_form(&mut self, form: Form, target: DecisionsForm) {
        self.open_form(form, FormTarget::Decisions(target));
    }

    /// The edit form: text and rationale, or the rationale alone once the text is locked.
    fn open_decision_form(&mut self, d: &Logged<Decision>) {
        let r = &d.record;
        let locked = match self.store.record_source(LogTable::Decisions, r.id) {
            Ok(source) => source.filter(RecordSource::locked),
            Err(e) => {
                self.error(format!("Cannot read where the decision came from: {e}"));
                return;
            }
        };
        let rationale = Field::with_id(
            RATIONALE,
            "Rationale",
            "why the panel decided it (Enter for a new line)",
            true,
            &r.rationale,
        );
        let form = match &locked {
            Some(source) => {
                let n = source.meeting_number;
                self.info(format!(
                    "The decision's text is locked (the minutes of meeting {n} are approved): \
                     only its rationale changes here; /amend {n}: … at a later meeting corrects the text."
                ));
                Form::new(
                    format!("Rationale of a decision of meeting {n} (its text is locked)"),
                    vec![rationale],
                )
            }
            None => Form::new(
                match d.meeting_number {
                    Some(n) => format!("Edit a decision of meeting {n}"),
                    None => "Edit the decision".to_string(),
                },
                vec![
                    Field::with_id(TEXT, "Decision", "what the panel decided", true, &r.text),
                    rationale,
                ],
            ),
        };
        self.open_decisions_form(form, DecisionsForm::Edit { decision: r.id });
    }
}

/// Saves one of the pane's forms.
pub(crate) fn submit(app: &mut App, form: Form, target: DecisionsForm) {
    match target {
        DecisionsForm::Edit { decision } => save_decision(app, form, decision),
        DecisionsForm::Filter => apply_filter(app, form),
    }
}

fn save_decision(app: &mut App, mut form: Form, decision: i64) {
    form.clear_errors();
    let target = FormTarget::Decisions(DecisionsForm::Edit { decision });
    let Some(d) = app.workspace.as_ref().and_then(|ws| {
        ws.decisions
            .all
            .iter()
            .find(|d| d.record.id == decision)
            .cloned()
    }) else {
        app.error("That decision no longer exists: it may have been withdrawn.");
        return;
    };
    let text = form
        .field_by(TEXT)
        .map_or(d.record.text.clone(), |f| f.value_or(&d.record.text));
    if form.field_by(TEXT).is_some() && text.trim().is_empty() {
        form.mark(TEXT, "write what the panel decided");
        app.form_back(form, target, "Not saved.");
        return;
    }
    let rationale = form
        .field_by(RATIONALE)
        .map(|f| f.value_or(&d.record.rationale))
        .unwrap_or_default();
    match app.store.edit_decision(decision, &text, &rationale) {
        Ok(false) => app.info("The decision: nothing changed."),
        Ok(true) => after_log_write(
            app,
            crate::app::Pane::Decisions,
            |ws| {
                ws.decisions
                    .rows()
                    .iter()
                    .position(|x| x.record.id == decision)
            },
            "Decision saved.".to_string(),
        ),
        // The minutes were approved while the form was open: the text is refused.
        Err(StoreError::Rule(e)) if form.field_by(TEXT).is_some() => {
            form.mark(TEXT, e);
            app.form_back(
                form,
                target,
                "Not saved: put the text back as it was to save the rationale alone.",
            );
        }
        Err(e) => app.form_back(form, target, format!("Not saved: {e}")),
    }
}

fn apply_filter(app: &mut App, mut form: Form) {
    form.clear_errors();
    let Some(ws) = &app.workspace else { return };
    let meeting = match meeting_number(ws, &form.text(MEETING)) {
        Ok(n) => n,
        Err(e) => {
            form.mark(MEETING, e);
            app.form_back(
                form,
                FormTarget::Decisions(DecisionsForm::Filter),
                "Not applied: correct the marked field.",
            );
            return;
        }
    };
    let Some(ws) = &mut app.workspace else { return };
    // The words typed with / stay; the form sets the meeting.
    let filter = LogFilter {
        meeting,
        words: ws.decisions.filter().words,
        ..LogFilter::default()
    };
    let cursor = &mut ws.decisions.cursor;
    cursor.filter = filter.to_text();
    cursor.selected = 0;
    let shown = ws.decisions.rows().len();
    let message = match meeting {
        Some(n) => format!(
            "{shown} decision{} of meeting {n}; Esc clears the filter.",
            if shown == 1 { "" } else { "s" }
        ),
        None => "Decisions: every meeting shown.".to_string(),
    };
    app.info(message);
}
