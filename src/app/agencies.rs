//! The Agencies pane's own keys: the IMR board, agencies, panel members and returns.

use crossterm::event::KeyEvent;

use super::keys::Binding;
use super::{App, Effect};

/// The keys this pane adds, for the footer and help.
pub const BINDINGS: &[Binding] = &[];

impl App {
    /// Keys of the Agencies pane itself; `None` when the key is not one of them.
    pub(super) fn on_agencies_key(&mut self, key: KeyEvent) -> Option<Effect> {
        let _ = key;
        None
    }
}
