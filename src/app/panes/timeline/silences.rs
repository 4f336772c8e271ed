//! The silent periods of the review period, over the pane: the longest stretches with no
//! recorded contact, for all agencies or one at a time; Enter goes to the entry that ends
//! the silence. Drawing: `src/ui/panes/timeline.rs`.

use crossterm::event::KeyCode;

use super::TimelineView;
use crate::app::keys::{Key, KeyRow, b, f, row};
use crate::app::{App, Effect};

/// The open list: whose silences (0 for all agencies, else the agency's place in the
/// case's list plus one) and the selected period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SilentPeriods {
    pub agency_index: usize,
    pub selected: usize,
}

/// What a key does to the list of silent periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SilencesKey {
    NextAgency,
    PreviousAgency,
    Up,
    Down,
    GoTo,
    Close,
}

pub const KEYS: &[KeyRow<SilencesKey>] = &[
    row(
        &[Key::Code(KeyCode::Right)],
        SilencesKey::NextAgency,
        f(
            "← →",
            "all agencies, or one agency at a time",
            "← →",
            "agency",
        ),
    ),
    row(
        &[Key::Code(KeyCode::Left)],
        SilencesKey::PreviousAgency,
        b("←", ""),
    ),
    row(
        &[Key::Code(KeyCode::Up)],
        SilencesKey::Up,
        f("↑ ↓", "select", "↑ ↓", "select"),
    ),
    row(&[Key::Code(KeyCode::Down)], SilencesKey::Down, b("↓", "")),
    row(
        &[Key::Code(KeyCode::Enter)],
        SilencesKey::GoTo,
        f(
            "Enter",
            "go to the entry that ends the silence",
            "Enter",
            "go to",
        ),
    ),
    row(
        &[Key::Code(KeyCode::Esc), Key::Char('q'), Key::Char('g')],
        SilencesKey::Close,
        f("Esc", "close", "Esc", "close"),
    ),
];

/// Does what a key of the view's table asks; any other key leaves the view as it is.
pub(super) fn on_key(app: &mut App, view: SilentPeriods, action: Option<SilencesKey>) -> Effect {
    let agencies = app.workspace.as_ref().map_or(0, |ws| ws.agencies.all.len());
    let count = app
        .workspace
        .as_ref()
        .and_then(|ws| ws.timeline.silences.as_ref())
        .map_or(0, |(_, r)| r.periods.len());
    let SilentPeriods {
        agency_index,
        selected,
    } = view;
    match action {
        Some(SilencesKey::Close) => {}
        Some(step @ (SilencesKey::NextAgency | SilencesKey::PreviousAgency)) => {
            let n = agencies + 1;
            let next = if step == SilencesKey::NextAgency {
                (agency_index + 1) % n
            } else {
                (agency_index + n - 1) % n
            };
            app.open_silences(next);
        }
        Some(SilencesKey::Down) => app.overlays.push(
            TimelineView::Silences(SilentPeriods {
                agency_index,
                selected: (selected + 1).min(count.saturating_sub(1)),
            })
            .into(),
        ),
        Some(SilencesKey::Up) => app.overlays.push(
            TimelineView::Silences(SilentPeriods {
                agency_index,
                selected: selected.saturating_sub(1),
            })
            .into(),
        ),
        Some(SilencesKey::GoTo) => {
            let start = app
                .workspace
                .as_ref()
                .and_then(|ws| ws.timeline.silences.as_ref())
                .and_then(|(_, r)| r.periods.get(selected))
                // The entry that ends the silence, with the marker just above it.
                .and_then(|p| p.to.succ_opt());
            if let Some(day) = start {
                app.go_to_day(day);
            }
        }
        None => {
            app.overlays.push(TimelineView::Silences(view).into());
            return Effect::None;
        }
    }
    Effect::Redraw
}

impl App {
    /// Opens the silent periods of all agencies (0) or of the agency at `index - 1`.
    pub(super) fn open_silences(&mut self, index: usize) {
        if let Some(ws) = &mut self.workspace {
            let agency_id = index
                .checked_sub(1)
                .and_then(|i| ws.agencies.all.get(i))
                .map(|a| a.agency.id);
            if let Err(e) = ws
                .timeline
                .compute_silences(&self.store, &ws.case, agency_id)
            {
                self.error(e.to_string());
                return;
            }
        }
        self.overlays.push(
            TimelineView::Silences(SilentPeriods {
                agency_index: index,
                selected: 0,
            })
            .into(),
        );
    }
}
