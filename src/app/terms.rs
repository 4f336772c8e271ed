//! The Terms of reference pane's own keys: items, their order and status, and coverage.

use crossterm::event::KeyEvent;

use super::keys::Binding;
use super::{App, Effect};

/// The keys this pane adds, for the footer and help.
pub const BINDINGS: &[Binding] = &[];

impl App {
    /// Keys of the Terms of reference pane itself; `None` when the key is not one of them.
    pub(super) fn on_terms_key(&mut self, key: KeyEvent) -> Option<Effect> {
        let _ = key;
        None
    }
}
