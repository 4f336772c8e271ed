//! The Decisions pane's own keys: the decision log filtered by meeting, the detail of a
//! decision with the meeting and minute it came from, and editing: the rationale always,
//! the decision's text only until the minutes that recorded it are approved (SPEC §6.4).
//!
//! As in the Challenges pane, the filter is the pane's filter line (`meeting:2` and free
//! words): `f` fills it, `/` types it, Esc clears it.

use crossterm::event::{KeyCode, KeyEvent};

use super::challenges::{long_day_or, meeting_number, push_field, push_source};
use super::form::{Field, Form};
use super::keys::{Binding, b, f};
use super::{App, Effect, Overlay, Pane, Workspace};
use crate::domain::challenge::LogFilter;
use crate::domain::model::Decision;
use crate::store::StoreError;
use crate::store::logs::{LogTable, Logged, RecordSource};

/// The keys this pane adds, for the footer and help.
pub const BINDINGS: &[Binding] = &[
    f(
        "Enter",
        "the decision in full: meeting and minute it came from, terms",
        "Enter",
        "detail",
    ),
    f(
        "e",
        "edit the rationale (and the text, until its minutes are approved)",
        "e",
        "edit",
    ),
    f("f", "filter by meeting", "f", "filter"),
    b("Esc", "clear the filter first"),
];

/// Field labels of the pane's forms, used to read the values back.
pub mod label {
    pub const TEXT: &str = "Decision";
    pub const RATIONALE: &str = "Rationale";
    pub const MEETING: &str = "Meeting number";
}
use label::*;

impl Workspace {
    /// The decision log's filter, read from its filter line.
    pub fn decision_filter(&self) -> LogFilter {
        LogFilter::parse(&self.cursor_of(Pane::Decisions).filter)
    }

    /// The decisions the pane lists: those passing its filter, oldest first.
    pub fn decision_rows(&self) -> Vec<&Logged<Decision>> {
        let filter = self.decision_filter();
        self.decisions
            .iter()
            .filter(|d| filter.matches_decision(&d.record, d.meeting_number))
            .collect()
    }

    /// The index of the selected row, kept within the rows listed.
    pub fn decision_selected(&self) -> usize {
        self.cursor_of(Pane::Decisions)
            .selected
            .min(self.decision_rows().len().saturating_sub(1))
    }

    /// The selected decision, if the pane lists any.
    pub fn selected_decision(&self) -> Option<&Logged<Decision>> {
        self.decision_rows().get(self.decision_selected()).copied()
    }
}

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
    let terms = ws.term_titles(&terms);
    push_field(
        &mut out,
        "Terms of reference",
        &if terms.is_empty() {
            none.to_string()
        } else {
            terms.join("; ")
        },
    );
    push_source(app, &mut out, "Decided at", &source);
    out.push('\n');
    if source
        .as_ref()
        .is_ok_and(|s| s.as_ref().is_some_and(RecordSource::locked))
    {
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
    if ws.is_some_and(|ws| ws.decisions.is_empty()) {
        "The case has no decisions yet: they are recorded while minuting (/decision TEXT)."
    } else {
        "There is no decision selected: f changes the filter, Esc clears it."
    }
}

impl App {
    /// Keys of the Decisions pane itself; `None` when the key is not one of them.
    pub(super) fn on_decisions_key(&mut self, key: KeyEvent) -> Option<Effect> {
        let page = self.page();
        let ws = self.workspace.as_mut()?;
        let len = ws.decision_rows().len();
        let from = ws.decision_selected() as i64;
        let mut go = |delta: i64| {
            ws.cursor_mut().selected =
                from.saturating_add(delta)
                    .clamp(0, len.saturating_sub(1) as i64) as usize;
        };
        match key.code {
            KeyCode::Up => go(-1),
            KeyCode::Down => go(1),
            KeyCode::PageUp => go(-page),
            KeyCode::PageDown => go(page),
            KeyCode::Home | KeyCode::Char('g') => go(i64::MIN / 2),
            KeyCode::End | KeyCode::Char('G') => go(i64::MAX / 2),
            KeyCode::Esc if !ws.cursor().filter.is_empty() => {
                ws.cursor_mut().filter.clear();
                ws.cursor_mut().selected = 0;
                self.info("Decisions: every meeting shown again.");
            }
            KeyCode::Char('f') => {
                let meeting = ws.decision_filter().meeting;
                self.overlay = Some(Overlay::Form {
                    form: Form::new(
                        "Filter the decisions (empty = every meeting)",
                        vec![Field::new(
                            MEETING,
                            "the meeting that took them, such as 2",
                            false,
                            &meeting.map(|n| n.to_string()).unwrap_or_default(),
                        )],
                    ),
                    submit: apply_filter,
                    target: 0,
                });
            }
            KeyCode::Enter => {
                let Some(d) = ws.selected_decision().cloned() else {
                    let why = nothing_selected(self.workspace.as_ref());
                    self.error(why);
                    return Some(Effect::Redraw);
                };
                let (title, text) = match &self.workspace {
                    Some(ws) => decision_detail(self, ws, &d),
                    None => return None,
                };
                self.overlay = Some(Overlay::Report {
                    title,
                    text,
                    scroll: 0,
                });
            }
            KeyCode::Char('e') => {
                let selected = ws.selected_decision().cloned();
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
            _ => return None,
        }
        Some(Effect::Redraw)
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
        let rationale = Field::new(
            RATIONALE,
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
                    Field::new(TEXT, "what the panel decided", true, &r.text),
                    rationale,
                ],
            ),
        };
        self.overlay = Some(Overlay::Form {
            form,
            submit: save_decision,
            target: r.id,
        });
    }
}

/// Puts a form back over the pane with a message, so nothing typed is lost.
fn back(app: &mut App, mut form: Form, target: i64, message: String) {
    form.message = Some(message);
    app.overlay = Some(Overlay::Form {
        form,
        submit: save_decision,
        target,
    });
}

fn save_decision(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    let Some(d) = app
        .workspace
        .as_ref()
        .and_then(|ws| ws.decisions.iter().find(|d| d.record.id == target).cloned())
    else {
        app.error("That decision no longer exists: it may have been withdrawn.");
        return;
    };
    let text = form
        .field(TEXT)
        .map_or(d.record.text.clone(), |f| f.value_or(&d.record.text));
    if form.field(TEXT).is_some() && text.trim().is_empty() {
        form.set_error(TEXT, "write what the panel decided");
        back(app, form, target, "Not saved.".into());
        return;
    }
    let rationale = form
        .field(RATIONALE)
        .map(|f| f.value_or(&d.record.rationale))
        .unwrap_or_default();
    match app
        .store
        .write(|w| w.edit_decision(target, &text, &rationale))
    {
        Ok(false) => app.info("The decision: nothing changed."),
        Ok(true) => {
            app.reload_workspace();
            let mut message = "Decision saved.".to_string();
            if let Some(ws) = &mut app.workspace
                && ws.pane == Pane::Decisions
            {
                match ws
                    .decision_rows()
                    .iter()
                    .position(|x| x.record.id == target)
                {
                    Some(i) => ws.cursor_mut().selected = i,
                    None => message.push_str(" The filter hides it now: Esc clears the filter."),
                }
            }
            if app.status.as_ref().is_none_or(|s| !s.is_error) {
                app.info(message);
            }
        }
        // The minutes were approved while the form was open: the text is refused.
        Err(StoreError::Rule(e)) if form.field(TEXT).is_some() => {
            form.set_error(TEXT, e);
            back(
                app,
                form,
                target,
                "Not saved: put the text back as it was to save the rationale alone.".into(),
            );
        }
        Err(e) => back(app, form, target, format!("Not saved: {e}")),
    }
}

fn apply_filter(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    let Some(ws) = &app.workspace else { return };
    let meeting = match meeting_number(ws, &form.value(MEETING)) {
        Ok(n) => n,
        Err(e) => {
            form.set_error(MEETING, e);
            form.message = Some("Not applied: correct the marked field.".into());
            app.overlay = Some(Overlay::Form {
                form,
                submit: apply_filter,
                target,
            });
            return;
        }
    };
    let Some(ws) = &mut app.workspace else { return };
    // The words typed with / stay; the form sets the meeting.
    let filter = LogFilter {
        meeting,
        words: ws.decision_filter().words,
        ..LogFilter::default()
    };
    let cursor = ws.cursor_mut();
    cursor.filter = filter.to_text();
    cursor.selected = 0;
    let shown = ws.decision_rows().len();
    let message = match meeting {
        Some(n) => format!(
            "{shown} decision{} of meeting {n}; Esc clears the filter.",
            if shown == 1 { "" } else { "s" }
        ),
        None => "Decisions: every meeting shown.".to_string(),
    };
    app.info(message);
}
