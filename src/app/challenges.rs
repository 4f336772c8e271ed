//! The Challenges pane's own keys: responses, status moves, filters and the detail of a challenge.

use crossterm::event::KeyEvent;

use super::keys::Binding;
use super::{App, Effect};

/// The keys this pane adds, for the footer and help.
pub const BINDINGS: &[Binding] = &[];

impl App {
    /// Keys of the Challenges pane itself; `None` when the key is not one of them.
    pub(super) fn on_challenges_key(&mut self, key: KeyEvent) -> Option<Effect> {
        let _ = key;
        None
    }
}
