//! The windows over a pane, as a typed stack: a form, a chooser, a question, a report or
//! the help, each in its own file with its keys; pane-specific views (the case view, a
//! chronology entry, silent periods) are registered by their panes. Targets are typed:
//! what a form saves to, what a chooser's options mean, what a question confirms.

pub mod chooser;
pub mod confirm;
pub mod form;
pub mod help;
pub mod report;

use super::{App, panes};
pub use chooser::Chooser;
pub use confirm::Confirm;
pub use form::FormOverlay;
pub use report::Report;

/// What saving a generic form does: validates it, writes, and either closes or puts the
/// form back (with its errors) as `app.overlay`. `target` is the record it edits (0 for new).
pub type Submit = fn(&mut App, form::Form, i64);

/// What picking an option of a chooser does, with the option's value and the target.
pub type Choose = fn(&mut App, i64, i64);

/// A window over the pane: a record's detail, a form, a question or a report.
pub enum Overlay {
    /// The case itself: details, stage, clock, pauses, extension, register and history.
    Case {
        scroll: u16,
    },
    /// A pane's form, with what it saves to.
    PaneForm(FormOverlay),
    /// A short list to pick one from, with what the options mean.
    Chooser(Chooser),
    /// A yes / no question, with what a yes does.
    Confirm(Confirm),
    /// Any pane's form: what to do on save is a function of the pane's module.
    Form {
        form: form::Form,
        submit: Submit,
        target: i64,
    },
    /// A short list to pick one from (for example the statuses a return may move to).
    Choose {
        title: String,
        options: Vec<(String, i64)>,
        selected: usize,
        choose: Choose,
        target: i64,
    },
    EntryDetail {
        row: Box<crate::store::chronology::TimelineRow>,
        terms: Vec<String>,
        scroll: u16,
    },
    EntryForm {
        entry_id: Option<i64>,
        form: form::Form,
    },
    TimelineFilter(form::Form),
    JumpToDate(form::Form),
    ConfirmWithdraw {
        entry_id: i64,
        summary: String,
    },
    Silences {
        agency_index: usize,
        selected: usize,
    },
    Import(form::Form),
    Report {
        title: String,
        text: String,
        scroll: u16,
    },
}

impl Overlay {
    /// Where the draft of this overlay's form is kept: forms that edit or add a record,
    /// keyed by their title and the record, so the same form finds its text again.
    pub fn draft_place(&self) -> Option<String> {
        match self {
            Overlay::Form { form, target, .. } => Some(format!("form:{}:{target}", form.title)),
            Overlay::PaneForm(o) => Some(format!("form:{}:{}", o.form.title, o.target.record())),
            Overlay::EntryForm { form, entry_id } => {
                Some(format!("form:{}:{}", form.title, entry_id.unwrap_or(0)))
            }
            _ => None,
        }
    }

    /// The form this overlay edits, if it is one.
    pub fn form(&self) -> Option<&form::Form> {
        match self {
            Overlay::EntryForm { form, .. }
            | Overlay::TimelineFilter(form)
            | Overlay::JumpToDate(form)
            | Overlay::Import(form)
            | Overlay::PaneForm(FormOverlay { form, .. })
            | Overlay::Form { form, .. } => Some(form),
            _ => None,
        }
    }

    pub(crate) fn form_mut(&mut self) -> Option<&mut form::Form> {
        match self {
            Overlay::EntryForm { form, .. }
            | Overlay::TimelineFilter(form)
            | Overlay::JumpToDate(form)
            | Overlay::Import(form)
            | Overlay::PaneForm(FormOverlay { form, .. })
            | Overlay::Form { form, .. } => Some(form),
            _ => None,
        }
    }
}

impl App {
    /// Opens a pane's form over the pane.
    pub(crate) fn open_form(&mut self, form: form::Form, target: panes::FormTarget) {
        self.overlay = Some(Overlay::PaneForm(FormOverlay { form, target }));
    }

    /// Puts a form back over the pane with a message, so nothing typed is lost.
    pub(crate) fn form_back(
        &mut self,
        mut form: form::Form,
        target: panes::FormTarget,
        message: impl Into<String>,
    ) {
        form.message = Some(message.into());
        self.open_form(form, target);
    }

    /// Opens a chooser over the pane.
    pub(crate) fn open_chooser(
        &mut self,
        title: impl Into<String>,
        options: Vec<String>,
        target: panes::ChooseTarget,
    ) {
        self.overlay = Some(Overlay::Chooser(Chooser::new(title, options, target)));
    }

    /// Asks a yes / no question over the pane.
    #[allow(dead_code, unreachable_code)] // until the panes' questions are typed targets
    pub(crate) fn ask(
        &mut self,
        title: impl Into<String>,
        question: impl Into<String>,
        target: panes::ConfirmTarget,
    ) {
        self.overlay = Some(Overlay::Confirm(Confirm {
            title: title.into(),
            question: question.into(),
            target,
        }));
    }

    /// A key for the typed overlays; the others are given back to their handlers.
    pub(crate) fn on_typed_overlay_key(
        &mut self,
        overlay: Overlay,
        key: crossterm::event::KeyEvent,
    ) -> Result<super::Effect, Overlay> {
        use super::Effect;
        match overlay {
            Overlay::PaneForm(FormOverlay { mut form, target }) => {
                match form.on_key(key) {
                    form::FormOutcome::Cancel => self.info("Nothing was saved."),
                    form::FormOutcome::Continue => self.open_form(form, target),
                    form::FormOutcome::Submit => panes::submit(self, form, target),
                }
                Ok(Effect::Redraw)
            }
            Overlay::Chooser(mut chooser) => match chooser.on_key(&key) {
                chooser::Picked::Open => {
                    self.overlay = Some(Overlay::Chooser(chooser));
                    Ok(Effect::Redraw)
                }
                chooser::Picked::Ignored => {
                    self.overlay = Some(Overlay::Chooser(chooser));
                    Ok(Effect::None)
                }
                chooser::Picked::Cancelled => Ok(Effect::Redraw),
                chooser::Picked::Chose(index) => {
                    panes::choose(self, chooser.target, index);
                    Ok(Effect::Redraw)
                }
            },
            Overlay::Confirm(question) => match Confirm::answer(&key) {
                Some(answer) => {
                    panes::confirm(self, question.target, answer == confirm::Answer::Yes);
                    Ok(Effect::Redraw)
                }
                None => {
                    self.overlay = Some(Overlay::Confirm(question));
                    Ok(Effect::None)
                }
            },
            other => Err(other),
        }
    }
}
