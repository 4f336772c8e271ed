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

/// A window over the pane: a form, a chooser, a question, a report, the help, or a view
/// of a pane's own.
pub enum Overlay {
    /// A pane's form, with what it saves to.
    Form(FormOverlay),
    /// A short list to pick one from, with what the options mean.
    Chooser(Chooser),
    /// A yes / no question, with what a yes does.
    Confirm(Confirm),
    /// A read-only text (a record in full, an import's report).
    Report(Report),
    /// The keys of the place under it.
    Help(help::Help),
    /// A pane's own view (the chronology entry in full, the silent periods, the case).
    View(panes::PaneView),
}

/// The overlays open over the pane, the top one having the keyboard. Opening one while
/// another is open puts it on top (the help over a form); a handler takes the top one
/// off, and puts it (or what follows it) back.
#[derive(Default)]
pub struct Overlays(Vec<Overlay>);

impl Overlays {
    /// The overlay that has the keyboard.
    pub fn top(&self) -> Option<&Overlay> {
        self.0.last()
    }

    pub fn top_mut(&mut self) -> Option<&mut Overlay> {
        self.0.last_mut()
    }

    pub fn push(&mut self, overlay: Overlay) {
        self.0.push(overlay);
    }

    pub fn pop(&mut self) -> Option<Overlay> {
        self.0.pop()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The top overlay other than the help: the place help describes.
    pub fn under_help(&self) -> Option<&Overlay> {
        self.0.iter().rev().find(|o| !matches!(o, Overlay::Help(_)))
    }

    /// Whether the help is open (on top).
    pub fn help_open(&self) -> bool {
        matches!(self.top(), Some(Overlay::Help(_)))
    }

    /// The form nearest the top (under a question or the help over it, say) and where
    /// its draft is kept: its text is a draft for as long as it is open.
    pub fn form_draft_place(&self) -> Option<String> {
        self.0
            .iter()
            .rev()
            .find(|o| matches!(o, Overlay::Form(_)))
            .and_then(Overlay::draft_place)
    }

    /// The form nearest the top, to save its draft.
    pub(crate) fn top_form_mut(&mut self) -> Option<&mut form::Form> {
        self.0.iter_mut().rev().find_map(Overlay::form_mut)
    }

    /// Bottom to top, as they are drawn.
    pub fn iter(&self) -> impl Iterator<Item = &Overlay> {
        self.0.iter()
    }
}

impl Overlay {
    /// Where the draft of this overlay's form is kept: forms that edit or add a record,
    /// keyed by their title and the record, so the same form finds its text again.
    pub fn draft_place(&self) -> Option<String> {
        match self {
            Overlay::Form(o) if o.target.keeps_draft() => {
                Some(format!("form:{}:{}", o.form.title, o.target.draft_key()))
            }
            _ => None,
        }
    }

    /// The form this overlay edits, if it is one.
    pub fn form(&self) -> Option<&form::Form> {
        match self {
            Overlay::Form(FormOverlay { form, .. }) => Some(form),
            _ => None,
        }
    }

    pub(crate) fn form_mut(&mut self) -> Option<&mut form::Form> {
        match self {
            Overlay::Form(FormOverlay { form, .. }) => Some(form),
            _ => None,
        }
    }
}

impl App {
    /// Opens a pane's form over the pane.
    pub(crate) fn open_form(&mut self, form: form::Form, target: panes::FormTarget) {
        self.overlays
            .push(Overlay::Form(FormOverlay { form, target }));
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
        self.overlays
            .push(Overlay::Chooser(Chooser::new(title, options, target)));
    }

    /// Asks a yes / no question over the pane.
    pub(crate) fn ask(
        &mut self,
        title: impl Into<String>,
        question: impl Into<String>,
        target: panes::ConfirmTarget,
    ) {
        self.overlays.push(Overlay::Confirm(Confirm {
            title: title.into(),
            question: question.into(),
            target,
        }));
    }

    /// The answer to "You changed this form: leave it?" (the form is on top again):
    /// keep editing, save it, or discard the changes.
    fn leave_form(&mut self, index: usize) {
        if index == 0 {
            return;
        }
        let Some(Overlay::Form(FormOverlay { form, target })) = self.overlays.pop() else {
            return;
        };
        if index == 1 {
            panes::submit(self, form, target);
        } else {
            panes::cancelled(self, target);
        }
    }

    /// The answer to one of the workspace's own questions.
    fn answered(&mut self, asked: confirm::AppQuestion, yes: bool) -> super::Effect {
        use super::Effect;
        match (asked, yes) {
            (confirm::AppQuestion::Suspend, true) => self.suspend(),
            (confirm::AppQuestion::Quit, true) => Effect::Quit,
            (_, false) => Effect::Redraw,
        }
    }

    /// Whether the question on top is this one of the workspace's own.
    pub(crate) fn asking(&self, asked: confirm::AppQuestion) -> bool {
        matches!(self.overlays.top(), Some(Overlay::Confirm(c)) if c.target == panes::ConfirmTarget::App(asked))
    }

    /// A key for the overlay on top (taken off the stack; its handler puts it back).
    pub(crate) fn on_overlay_key(
        &mut self,
        overlay: Overlay,
        key: crossterm::event::KeyEvent,
    ) -> super::Effect {
        use super::Effect;
        match overlay {
            Overlay::Form(FormOverlay { mut form, target }) => {
                match form.on_key(key) {
                    // Esc with changes in a form that adds or edits a record asks first:
                    // keep editing, save, or discard. (A filter's form holds nothing to
                    // lose and closes at once.)
                    form::FormOutcome::Cancel if target.keeps_draft() && form.changed() => {
                        self.open_form(form, target);
                        self.open_chooser(
                            "You changed this form: leave it?",
                            form::LEAVE_OPTIONS.iter().map(|o| o.to_string()).collect(),
                            panes::ChooseTarget::App(form::FormChoice::Leave),
                        );
                    }
                    form::FormOutcome::Cancel => panes::cancelled(self, target),
                    form::FormOutcome::Continue => {
                        panes::edited(self, &mut form, target);
                        self.open_form(form, target);
                    }
                    form::FormOutcome::Submit => panes::submit(self, form, target),
                }
                Effect::Redraw
            }
            Overlay::Chooser(mut chooser) => match chooser.on_key(&key) {
                chooser::Picked::Open => {
                    self.overlays.push(Overlay::Chooser(chooser));
                    Effect::Redraw
                }
                chooser::Picked::Ignored => {
                    self.overlays.push(Overlay::Chooser(chooser));
                    Effect::None
                }
                chooser::Picked::Cancelled => Effect::Redraw,
                chooser::Picked::Chose(index) => {
                    match chooser.target {
                        panes::ChooseTarget::App(form::FormChoice::Leave) => self.leave_form(index),
                        target => panes::choose(self, target, index),
                    }
                    Effect::Redraw
                }
            },
            Overlay::Confirm(question) => match Confirm::answer(&key) {
                Some(answer) => {
                    let yes = answer == confirm::Answer::Yes;
                    if let panes::ConfirmTarget::App(asked) = question.target {
                        return self.answered(asked, yes);
                    }
                    panes::confirm(self, question.target, yes);
                    Effect::Redraw
                }
                None => {
                    self.overlays.push(Overlay::Confirm(question));
                    Effect::None
                }
            },
            Overlay::View(view) => panes::on_view_key(self, view, &key),
            Overlay::Report(mut report) => {
                let effect = match report.on_key(&key) {
                    Some(false) => return Effect::Redraw,
                    Some(true) => Effect::Redraw,
                    None => Effect::None,
                };
                self.overlays.push(Overlay::Report(report));
                effect
            }
            Overlay::Help(mut help) => match help::on_key(&mut help.scroll, &key) {
                Some(true) => {
                    self.overlays.push(Overlay::Help(help));
                    Effect::Redraw
                }
                Some(false) => Effect::Redraw,
                None => {
                    self.overlays.push(Overlay::Help(help));
                    Effect::None
                }
            },
        }
    }
}
