//! A stale edit: the record a form edits was changed by another seat or process while the
//! form was open, so the save wrote nothing. Over the form (kept under it with the user's
//! text), this says who changed it and when, shows their values and the user's, and
//! offers: k keep yours (save over theirs; theirs stays in the audit trail), t take theirs
//! (the form closes, the user's text is kept as its draft), m merge by hand (back to the
//! form, its base moved to their version, their values in its message). Esc goes back to
//! the form unchanged. Keys: `keys::CONFLICT`.

use crate::app::form::Form;
use crate::app::keys::{self, ConflictKey};
use crate::app::{App, Effect};
use crate::store::stale::StaleEdit;

use super::{FormOverlay, Overlay};

/// The question over a form whose save found another version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub title: String,
    /// Who changed it and when, their values and yours (untrusted text: drawn sanitised).
    pub text: String,
    pub stale: StaleEdit,
    /// Their change as the form's message shows it after `m`.
    pub theirs_line: String,
    /// When their change was made, in local time, as shown.
    pub when: String,
}

/// A column name as words: "response_due" → "response due".
fn words(column: &str) -> String {
    column.replace('_', " ")
}

/// Text shortened to `max` characters for one line.
fn short(text: &str, max: usize) -> String {
    let one_line = text.replace('\n', " ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
    format!("{cut}…")
}

impl Conflict {
    /// The question for `stale`, over `form` (the user's text as it was saved).
    pub fn new(stale: StaleEdit, form: &Form, when: String) -> Conflict {
        let noun = stale.record.noun();
        let mut text = format!(
            "{noun} was changed by {} at {when} while you edited it: nothing of yours is saved yet.\nTheirs is audit row {}; your form opened on row {}.\n",
            stale.login, stale.latest, stale.base
        );
        if stale.withdrawn {
            text.push_str("They withdrew it.\n");
        }
        text.push_str("\nTheirs, changed since you opened the form:\n");
        if stale.theirs.is_empty() {
            text.push_str("  (no field values: only links or its status)\n");
        }
        for (column, value) in &stale.theirs {
            text.push_str(&format!("  {}: {}\n", words(column), short(value, 200)));
        }
        text.push_str("\nYours, as typed:\n");
        let changed: Vec<_> = form
            .fields
            .iter()
            .filter(|f| f.editor.lines().join("\n") != f.original_shown)
            .collect();
        if changed.is_empty() {
            text.push_str("  (you changed no field)\n");
        }
        for field in changed {
            text.push_str(&format!(
                "  {}: {}\n",
                field.label,
                short(&field.value(), 200)
            ));
        }
        let theirs_line = stale
            .theirs
            .iter()
            .map(|(c, v)| format!("{}: {}", words(c), short(v, 60)))
            .collect::<Vec<_>>()
            .join("; ");
        Conflict {
            title: format!("{noun} changed while you edited it"),
            text,
            theirs_line,
            when,
            stale,
        }
    }
}

impl App {
    /// A key while the question of a stale edit is on top (taken off the stack; the form
    /// with the user's text is under it).
    pub(crate) fn on_conflict_key(
        &mut self,
        conflict: Conflict,
        key: &crossterm::event::KeyEvent,
    ) -> Effect {
        let Some(action) = keys::lookup(keys::CONFLICT, key) else {
            self.overlays.push(Overlay::Conflict(conflict));
            return Effect::None;
        };
        if action == ConflictKey::Back {
            return Effect::Redraw;
        }
        let place = self.overlays.form_draft_place();
        let Some(Overlay::Form(FormOverlay {
            mut form,
            target,
            base: _,
        })) = self.overlays.pop()
        else {
            self.error("The form under the question has gone: nothing was saved.");
            return Effect::Redraw;
        };
        let stale = &conflict.stale;
        let noun = stale.record.noun();
        match action {
            ConflictKey::KeepYours => {
                self.submit_form(form, target, Some(stale.latest_base()));
            }
            ConflictKey::TakeTheirs => {
                match place {
                    Some(place) => {
                        self.keep_draft_after_key = Some((place, form));
                        self.info(format!(
                            "{noun} is as {} left it at {}. Your text is kept as this form's draft: open the form again and it is offered back (Esc there drops it).",
                            stale.login, conflict.when
                        ));
                    }
                    None => self.info(format!(
                        "{noun} is as {} left it at {}.",
                        stale.login, conflict.when
                    )),
                }
                self.reload_workspace();
            }
            ConflictKey::Merge => {
                form.message = Some(format!(
                    "Theirs ({}, {}): {} | Ctrl+O saves what is here over theirs.",
                    stale.login,
                    conflict.when,
                    if conflict.theirs_line.is_empty() {
                        "no field values"
                    } else {
                        &conflict.theirs_line
                    }
                ));
                self.overlays.push(Overlay::Form(FormOverlay {
                    form,
                    target,
                    base: Some(stale.latest_base()),
                }));
            }
            ConflictKey::Back => {}
        }
        Effect::Redraw
    }
}
