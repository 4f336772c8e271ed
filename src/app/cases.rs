//! Cases: creating and editing a review, its stage, pause, extension and later dates, and the pseudonym register.

use crossterm::event::KeyEvent;

use super::keys::Binding;
use super::{App, Effect};

/// The keys this pane adds, for the footer and help.
pub const BINDINGS: &[Binding] = &[];

impl App {
    /// Keys of the case list pane itself; `None` when the key is not one of them.
    pub(super) fn on_case_list_own_key(&mut self, key: KeyEvent) -> Option<Effect> {
        let _ = key;
        None
    }
}
