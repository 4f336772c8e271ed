//! A read-only text over the pane (a record in full, an import's report, where an export
//! was written): scrolled with the arrows, closed with Esc or Enter.

use crossterm::event::{KeyCode, KeyEvent};

use crate::app::keys::{Key, KeyRow, b, f, lookup, row};

/// The title of the session's message log (F2), a report of its own.
pub const MESSAGE_LOG: &str = "Messages of this session (newest last; ! an error)";

/// What a key does to a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKey {
    Down,
    Up,
    Close,
}

pub const KEYS: &[KeyRow<ReportKey>] = &[
    row(
        &[Key::Code(KeyCode::Down), Key::Code(KeyCode::PageDown)],
        ReportKey::Down,
        f("↑ ↓  PgUp PgDn", "scroll", "↑ ↓", "scroll"),
    ),
    row(
        &[Key::Code(KeyCode::Up), Key::Code(KeyCode::PageUp)],
        ReportKey::Up,
        b("↑  PgUp", ""),
    ),
    row(
        &[
            Key::Code(KeyCode::Esc),
            Key::Code(KeyCode::Enter),
            Key::Char('q'),
        ],
        ReportKey::Close,
        f("Esc  Enter", "close", "Esc", "close"),
    ),
];

/// An open report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub title: String,
    pub text: String,
    pub scroll: u16,
}

impl Report {
    pub fn new(title: impl Into<String>, text: impl Into<String>) -> Report {
        Report {
            title: title.into(),
            text: text.into(),
            scroll: 0,
        }
    }

    /// Applies a key: `Some(true)` while it stays open, `Some(false)` once closed, `None`
    /// for a key that is not the report's.
    pub fn on_key(&mut self, key: &KeyEvent) -> Option<bool> {
        match lookup(KEYS, key)? {
            ReportKey::Down => self.scroll = self.scroll.saturating_add(3),
            ReportKey::Up => self.scroll = self.scroll.saturating_sub(3),
            ReportKey::Close => return Some(false),
        }
        Some(true)
    }
}
