//! The challenge log: questions put to agencies, overdue responses marked.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row};

use super::{detail, field, list_block, visible};
use crate::app::{App, Pane, Workspace};
use crate::domain::model::ChallengeStatus;
use crate::ui::{Theme, draw_table, safe, short_date};

pub fn draw(app: &App, ws: &Workspace, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let cursor = ws.cursor_of(Pane::Challenges);
    let open = ws
        .challenges
        .iter()
        .filter(|c| c.record.status == ChallengeStatus::Open)
        .count();
    let title = format!(
        "Challenges: {}{}open {open}",
        ws.challenges.len(),
        theme.sep()
    );
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(7)]).areas(area);
    let challenges = ws.visible_challenges();
    let (slice, selected, _) = visible(&challenges, cursor.selected, list_area.height);
    let rows: Vec<Row<'static>> = slice
        .iter()
        .map(|c| {
            let r = &c.record;
            let late =
                r.status == ChallengeStatus::Open && r.response_due.is_some_and(|d| d < app.today);
            let (marker, style) = if late {
                (theme.overdue_marker(), theme.overdue())
            } else {
                (" ", Style::default())
            };
            Row::new(vec![
                Cell::from(Span::styled(marker.to_string(), style)),
                Cell::from(safe(&c.agency_code)),
                Cell::from(c.meeting_number.map(|n| n.to_string()).unwrap_or_default()),
                Cell::from(r.status.label()),
                Cell::from(Span::styled(short_date(theme, r.response_due), style)),
                Cell::from(safe(&r.question)),
            ])
        })
        .collect();
    draw_table(
        frame,
        list_area,
        theme,
        list_block(app, theme, title, &cursor.filter),
        vec!["", "Agency", "Mtg", "Status", "Response due", "Question"],
        vec![
            Constraint::Length(1),
            Constraint::Length(8),
            Constraint::Length(3),
            Constraint::Length(9),
            Constraint::Length(12),
            Constraint::Fill(1),
        ],
        rows,
        selected,
    );
    match challenges.get(cursor.selected) {
        Some(c) => {
            let r = &c.record;
            let mut lines = vec![field(theme, "Question", &r.question)];
            let response = if r.response.is_empty() {
                theme.none().to_string()
            } else {
                r.response.clone()
            };
            lines.push(field(theme, "Response", &response));
            let raised = format!("{} on {}", r.raised_by, short_date(theme, r.raised_on));
            lines.push(field(theme, "Raised by", &raised));
            detail(
                frame,
                detail_area,
                theme,
                format!("Challenge to {}", safe(&c.agency_code)),
                lines,
            );
        }
        None => detail(frame, detail_area, theme, "No challenge".into(), vec![]),
    }
}
