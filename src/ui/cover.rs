//! The cover: after `--lock-after` without a key, everything but the protective marking
//! (where the header shows it) and the words "Press any key" is blank, so a workspace left
//! open shows nothing of the case to whoever passes.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::app::App;

/// What the cover says.
pub const PRESS_ANY_KEY: &str = "Press any key";

/// Draws the cover over the whole screen: the marking on the top row, right-aligned as
/// in the header, and "Press any key" in the middle; nothing else.
pub(super) fn draw(app: &App, theme: &Theme, frame: &mut Frame<'_>) {
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    frame.render_widget(
        Paragraph::new(Span::styled(
            format!("{} ", super::marking(app)),
            theme.marking(),
        ))
        .alignment(Alignment::Right),
        Rect { height: 1, ..area },
    );
    if area.height < 2 {
        return;
    }
    frame.render_widget(
        Paragraph::new(PRESS_ANY_KEY).alignment(Alignment::Center),
        Rect {
            y: area.y + area.height / 2,
            height: 1,
            ..area
        },
    );
}
