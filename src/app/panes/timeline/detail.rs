//! An entry of the chronology in full, over the pane: every field, risk, provenance and
//! extra columns, scrolled with the arrows; `e` edits it. Drawing:
//! `src/ui/panes/timeline.rs`.

use crossterm::event::KeyCode;

use super::{TimelineRow, TimelineView};
use crate::app::keys::{Key, KeyRow, b, f, row};
use crate::app::{App, Effect};

/// The open entry, the labels of its terms of reference and how far it is scrolled.
pub struct EntryDetail {
    pub row: Box<TimelineRow>,
    pub terms: Vec<String>,
    pub scroll: u16,
}

/// What a key does to the entry detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetailKey {
    Down,
    Up,
    Edit,
    Close,
}

pub const KEYS: &[KeyRow<DetailKey>] = &[
    row(
        &[Key::Code(KeyCode::Down), Key::Code(KeyCode::PageDown)],
        DetailKey::Down,
        f("↑ ↓  PgUp PgDn", "scroll", "↑ ↓", "scroll"),
    ),
    row(
        &[Key::Code(KeyCode::Up), Key::Code(KeyCode::PageUp)],
        DetailKey::Up,
        b("↑  PgUp", ""),
    ),
    row(
        &[Key::Char('e')],
        DetailKey::Edit,
        f("e", "edit (entry detail)", "e", "edit"),
    ),
    row(
        &[
            Key::Code(KeyCode::Esc),
            Key::Code(KeyCode::Enter),
            Key::Char('q'),
        ],
        DetailKey::Close,
        f("Esc  Enter", "close", "Esc", "close"),
    ),
];

/// Does what a key of the view's table asks; any other key (and `e` in a reading seat)
/// leaves the view as it is.
pub(super) fn on_key(app: &mut App, mut view: EntryDetail, action: Option<DetailKey>) -> Effect {
    match action {
        Some(DetailKey::Close) => return Effect::Redraw,
        Some(DetailKey::Edit) if !app.options.read_only => {
            app.open_edit_form(&view.row);
            return Effect::Redraw;
        }
        Some(DetailKey::Down) => view.scroll = view.scroll.saturating_add(3),
        Some(DetailKey::Up) => view.scroll = view.scroll.saturating_sub(3),
        Some(DetailKey::Edit) | None => {
            app.overlays.push(TimelineView::Detail(view).into());
            return Effect::None;
        }
    }
    app.overlays.push(TimelineView::Detail(view).into());
    Effect::Redraw
}
