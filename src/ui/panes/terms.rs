//! The terms of reference: numbered items with their kind and status.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Cell, Row};

use super::{detail, list_block, visible};
use crate::app::{App, Pane, Workspace};
use crate::ui::{Theme, block, draw_table, safe, safe_lines, short_date};

pub fn draw(app: &App, ws: &Workspace, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let cursor = ws.cursor_of(Pane::Terms);
    let period = format!(
        "review period {} to {}",
        short_date(theme, ws.case.period_from),
        short_date(theme, ws.case.period_to)
    );
    let title = format!(
        "Terms of reference: {}{}{period}",
        ws.terms.len(),
        theme.sep()
    );
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(7)]).areas(area);
    let terms = ws.visible_terms();
    let (slice, selected, _) = visible(&terms, cursor.selected, list_area.height);
    let rows: Vec<Row<'static>> = slice
        .iter()
        .map(|t| {
            Row::new(vec![
                Cell::from(t.position.to_string()),
                Cell::from(t.kind.label()),
                Cell::from(t.status.label()),
                Cell::from(safe(&t.heading)),
            ])
        })
        .collect();
    draw_table(
        frame,
        list_area,
        theme,
        list_block(app, theme, title, &cursor.filter),
        vec!["No", "Kind", "Status", "Heading"],
        vec![
            Constraint::Length(3),
            Constraint::Length(7),
            Constraint::Length(8),
            Constraint::Fill(1),
        ],
        rows,
        selected,
    );
    match terms.get(cursor.selected) {
        Some(t) => {
            let meeting = t
                .meeting_id
                .and_then(|id| ws.meetings.iter().find(|m| m.meeting.id == id))
                .map(|m| format!(" ({} at meeting {})", t.status, m.meeting.number))
                .unwrap_or_default();
            let title = format!("{}. {}{meeting}", t.position, safe(&t.heading));
            frame.render_widget(
                ratatui::widgets::Paragraph::new(safe_lines(&t.text))
                    .block(block(theme, title, false))
                    .wrap(ratatui::widgets::Wrap { trim: false }),
                detail_area,
            );
        }
        None => detail(frame, detail_area, theme, "No item".into(), vec![]),
    }
}
