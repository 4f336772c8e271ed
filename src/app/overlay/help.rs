//! The help over whatever has the keyboard: the keys of that place, from the same tables
//! that dispatch them, scrolled with the arrows.

use crossterm::event::KeyEvent;

use crate::app::keys::{self, HelpKey};

/// The open help: how far it is scrolled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Help {
    pub scroll: u16,
}

/// Applies a help key to the scroll position: `Some(true)` stays open, `Some(false)`
/// closes, `None` is not a help key.
pub fn on_key(scroll: &mut u16, key: &KeyEvent) -> Option<bool> {
    match keys::lookup(keys::HELP, key)? {
        HelpKey::Close => {
            *scroll = 0;
            return Some(false);
        }
        HelpKey::LineDown => *scroll = scroll.saturating_add(1),
        HelpKey::PageDown => *scroll = scroll.saturating_add(10),
        HelpKey::LineUp => *scroll = scroll.saturating_sub(1),
        HelpKey::PageUp => *scroll = scroll.saturating_sub(10),
    }
    Some(true)
}
