//! The decision log across meetings.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Cell, Row};

use super::{detail, field, list_block, visible};
use crate::app::{App, Pane, Workspace};
use crate::ui::{Theme, draw_table, safe, short_date};

pub fn draw(app: &App, ws: &Workspace, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let cursor = ws.cursor_of(Pane::Decisions);
    let title = format!("Decisions: {}", ws.decisions.len());
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(7)]).areas(area);
    let decisions = ws.visible_decisions();
    let (slice, selected, _) = visible(&decisions, cursor.selected, list_area.height);
    let rows: Vec<Row<'static>> = slice
        .iter()
        .map(|d| {
            Row::new(vec![
                Cell::from(d.meeting_number.map(|n| n.to_string()).unwrap_or_default()),
                Cell::from(short_date(theme, d.record.decided_on)),
                Cell::from(safe(&d.record.text)),
            ])
        })
        .collect();
    draw_table(
        frame,
        list_area,
        theme,
        list_block(app, theme, title, &cursor.filter),
        vec!["Mtg", "Date", "Decision"],
        vec![
            Constraint::Length(3),
            Constraint::Length(11),
            Constraint::Fill(1),
        ],
        rows,
        selected,
    );
    match decisions.get(cursor.selected) {
        Some(d) => {
            let lines = vec![
                field(theme, "Decision", &d.record.text),
                field(theme, "Rationale", &d.record.rationale),
                field(theme, "Decided by", &d.record.decided_by),
            ];
            let title = match d.meeting_number {
                Some(n) => format!("Decision of meeting {n}"),
                None => "Decision".to_string(),
            };
            detail(frame, detail_area, theme, title, lines);
        }
        None => detail(frame, detail_area, theme, "No decision".into(), vec![]),
    }
}
