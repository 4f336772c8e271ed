//! A yes / no question before something that cannot be taken back by a key (withdrawing
//! a record, closing a meeting): `y` does it, `n` or Esc keeps things as they are.

use crossterm::event::{KeyCode, KeyEvent};

use crate::app::keys::{Binding, Key, KeyRow, f, lookup, row};
use crate::app::panes::ConfirmTarget;

/// An open question: its title, the question in full and what a yes does.
#[derive(Debug, Clone)]
pub struct Confirm {
    pub title: String,
    pub question: String,
    pub target: ConfirmTarget,
}

/// Questions the workspace itself asks (not a pane's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppQuestion {
    /// Ctrl+Z in a text input: stop for now (Windows users press it to undo)?
    Suspend,
    /// Leave, though typed text could not be saved in the database?
    Quit,
    /// Ctrl+C while a meeting is open for minuting: quit (Windows users press it to copy)?
    QuitMeeting,
}

impl Confirm {
    /// The words of the two answers, as the question shows them.
    pub fn words(&self) -> (&'static str, &'static str) {
        match &self.target {
            ConfirmTarget::App(AppQuestion::Suspend) => ("stop for now", "keep typing"),
            ConfirmTarget::App(AppQuestion::Quit) => ("leave", "stay"),
            ConfirmTarget::App(AppQuestion::QuitMeeting) => ("quit", "keep minuting"),
            ConfirmTarget::Minutes(m) => m.words(),
            _ => ("withdraw", "keep it"),
        }
    }
}

/// The two answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
}

/// The question's keys.
pub const KEYS: &[KeyRow<Answer>] = &[
    row(
        &[Key::Char('y'), Key::Char('Y')],
        Answer::Yes,
        f("y", "yes: do what the question says", "y", "yes"),
    ),
    row(
        &[Key::Char('n'), Key::Char('N'), Key::Code(KeyCode::Esc)],
        Answer::No,
        f("n  Esc", "no, keep it", "n", "keep"),
    ),
];

/// The words of the question's keys, for help and the footer.
pub fn bindings() -> Vec<Binding> {
    crate::app::keys::listed(KEYS).collect()
}

impl Confirm {
    /// The answer a key gives, if it is one of the question's keys.
    pub fn answer(key: &KeyEvent) -> Option<Answer> {
        lookup(KEYS, key)
    }
}
