//! The windows over a pane, as a typed stack: a form, a chooser, a question, a report,
//! the publication check's review list or the help, each in its own file with its keys; pane-specific views (the case view, a
//! chronology entry, silent periods) are registered by their panes. Targets are typed:
//! what a form saves to, what a chooser's options mean, what a question confirms.

pub mod chooser;
pub mod confirm;
pub mod conflict;
pub mod form;
pub mod help;
pub mod report;
pub mod review;

use super::{App, panes};
pub use chooser::Chooser;
pub use confirm::Confirm;
pub use conflict::Conflict;
pub use form::FormOverlay;
pub use report::Report;
pub use review::Review;

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
    /// Another seat changed the record the form under it edits: keep yours, take theirs
    /// or merge by hand.
    Conflict(Conflict),
    /// An export for publication was refused for findings without a decision: decide
    /// them here, then write the same file.
    Review(Review),
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

    /// The case view, the top one, wherever it is in the stack (under a report, say).
    pub(crate) fn case_view_mut(&mut self) -> Option<&mut crate::app::panes::case::CaseView> {
        self.0.iter_mut().rev().find_map(|o| match o {
            Overlay::View(crate::app::panes::PaneView::Case(view)) => Some(view),
            _ => None,
        })
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

    /// The form nearest the top, whose draft is saved.
    pub(crate) fn top_form(&self) -> Option<&form::Form> {
        self.0.iter().rev().find_map(Overlay::form)
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
    /// Opens a pane's form over the pane. A form that edits an existing record remembers
    /// the version it opened on (its latest audit row), which its save expects; a form put
    /// back by its own save keeps the version it had.
    pub(crate) fn open_form(&mut self, form: form::Form, target: panes::FormTarget) {
        let base = match self.submitting {
            Some((saving, base)) if saving == target => Some(base),
            _ => self.base_of(target),
        };
        self.overlays
            .push(Overlay::Form(FormOverlay { form, target, base }));
    }

    /// The version of the record `target` edits as it stands now (`None` for a form that
    /// edits none, or when it cannot be read: the save then checks nothing).
    fn base_of(&self, target: panes::FormTarget) -> Option<crate::store::stale::Base> {
        let case = self.workspace.as_ref().map(|ws| ws.case.id);
        let record = target.record(case)?;
        self.store.latest_change(record).ok()
    }

    /// Saves a form through its pane. With a base, the store refuses the write if the
    /// record changed since (another seat, another process); the form then stays, with
    /// the user's text, under the question of what to do (`conflict.rs`).
    pub(crate) fn submit_form(
        &mut self,
        form: form::Form,
        target: panes::FormTarget,
        base: Option<crate::store::stale::Base>,
    ) {
        let Some(base) = base else {
            panes::submit(self, form, target);
            return;
        };
        let yours = form.clone();
        self.submitting = Some((target, base));
        self.store.expect_base(base);
        panes::submit(self, form, target);
        self.submitting = None;
        let Some(stale) = self.store.stop_expecting() else {
            return;
        };
        // The pane put the form back with the refusal as its message; the question says
        // it better, over the form as it was typed.
        if matches!(self.overlays.top(), Some(Overlay::Form(o)) if o.target == target) {
            self.overlays.pop();
        }
        self.status = None;
        self.reload_workspace();
        let when = crate::time::parse_stamp(&stale.at)
            .map(|t| {
                self.clock
                    .to_local(t)
                    .format("%d %b %Y %H:%M:%S")
                    .to_string()
            })
            .unwrap_or_else(|| stale.at.clone());
        let question = Conflict::new(*stale, &yours, when);
        self.overlays.push(Overlay::Form(FormOverlay {
            form: yours,
            target,
            base: Some(base),
        }));
        self.overlays.push(Overlay::Conflict(question));
    }

    /// Puts a form back over the pane with a message, so nothing typed is lost.
    pub(crate) fn form_back(
        &mut self,
        mut form: form::Form,
        target: panes::FormTarget,
        message: impl Into<String>,
    ) {
        let message = message.into();
        // Kept in the session's message log too (F2), whole.
        self.log_message(&message, true);
        form.message = Some(message);
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
        let Some(Overlay::Form(FormOverlay { form, target, base })) = self.overlays.pop() else {
            return;
        };
        if index == 1 {
            self.submit_form(form, target, base);
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
            // Leaving still asks if lines wait for the database.
            (confirm::AppQuestion::QuitMeeting, true) => self.quit(),
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
            Overlay::Form(FormOverlay {
                mut form,
                target,
                base,
            }) => {
                match form.on_key(key) {
                    // Esc with changes in a form that adds or edits a record asks first:
                    // keep editing, save, or discard. (A filter's form holds nothing to
                    // lose and closes at once.)
                    form::FormOutcome::Cancel if target.keeps_draft() && form.changed() => {
                        self.overlays
                            .push(Overlay::Form(FormOverlay { form, target, base }));
                        self.open_chooser(
                            "You changed this form: leave it?",
                            form::LEAVE_OPTIONS.iter().map(|o| o.to_string()).collect(),
                            panes::ChooseTarget::App(form::FormChoice::Leave),
                        );
                    }
                    form::FormOutcome::Cancel => panes::cancelled(self, target),
                    form::FormOutcome::Continue => {
                        panes::edited(self, &mut form, target);
                        self.overlays
                            .push(Overlay::Form(FormOverlay { form, target, base }));
                    }
                    form::FormOutcome::Submit => self.submit_form(form, target, base),
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
            Overlay::Conflict(conflict) => self.on_conflict_key(conflict, &key),
            Overlay::Review(review) => self.on_review_key(review, &key),
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
