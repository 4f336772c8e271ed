//! The meetings of the case and the minutes of the selected one.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Wrap};

use super::{list_block, visible};
use crate::app::{App, Pane, Workspace};
use crate::domain::model::MinuteKind;
use crate::domain::text::sanitize;
use crate::ui::{Theme, block, draw_table, safe};

pub fn draw(app: &App, ws: &Workspace, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let cursor = ws.cursor_of(Pane::Minutes);
    let title = format!("Meetings: {}", ws.meetings.len());
    let list_height = (ws.meetings.len() as u16 + 3).clamp(5, area.height / 2);
    let [list_area, minutes_area] =
        Layout::vertical([Constraint::Length(list_height), Constraint::Min(3)]).areas(area);
    let meetings = ws.visible_meetings();
    let (slice, selected, _) = visible(&meetings, cursor.selected, list_area.height);
    let rows: Vec<Row<'static>> = slice
        .iter()
        .map(|m| {
            let mt = &m.meeting;
            let time = if mt.end_time.is_empty() {
                mt.start_time.clone()
            } else {
                format!("{}-{}", mt.start_time, mt.end_time)
            };
            Row::new(vec![
                Cell::from(mt.number.to_string()),
                Cell::from(mt.date.format("%d %b %Y").to_string()),
                Cell::from(safe(&time)),
                Cell::from(safe(&mt.place)),
                Cell::from(mt.status.label()),
                Cell::from(m.present.to_string()),
                Cell::from(m.minutes.to_string()),
            ])
        })
        .collect();
    draw_table(
        frame,
        list_area,
        theme,
        list_block(app, theme, title, &cursor.filter),
        vec!["No", "Date", "Time", "Place", "Status", "Present", "Lines"],
        vec![
            Constraint::Length(3),
            Constraint::Length(11),
            Constraint::Length(11),
            Constraint::Fill(1),
            Constraint::Length(11),
            Constraint::Length(7),
            Constraint::Length(5),
        ],
        rows,
        selected,
    );
    let Some(selected) = ws.selected_meeting() else {
        frame.render_widget(
            Paragraph::new("").block(block(theme, "No meeting".into(), false)),
            minutes_area,
        );
        return;
    };
    let mut lines: Vec<Line<'static>> = Vec::new();
    for item in &ws.meeting_agenda {
        lines.push(Line::from(Span::styled(
            format!("{}. {}", item.position, safe(&item.title)),
            theme.title(),
        )));
        for minute in ws
            .meeting_minutes
            .iter()
            .filter(|m| m.agenda_item_id == item.id)
        {
            let time = crate::time::parse_stamp(&minute.minuted_at)
                .map(|t| app.clock.to_local(t).format("%H:%M").to_string())
                .unwrap_or_default();
            let kind = match minute.kind {
                MinuteKind::Note => String::new(),
                k => format!("{} ", k.label()),
            };
            let text = sanitize(&minute.text).into_owned();
            for (i, part) in text.split('\n').enumerate() {
                let lead = if i == 0 {
                    format!("  {time:<5}  ")
                } else {
                    " ".repeat(9)
                };
                let label = if i == 0 { kind.clone() } else { String::new() };
                lines.push(Line::from(vec![
                    Span::styled(lead, theme.dim()),
                    Span::styled(label, theme.key()),
                    Span::raw(part.to_string()),
                ]));
            }
        }
    }
    if lines.is_empty() {
        lines.push(Line::from("No agenda yet."));
    }
    let mt = &selected.meeting;
    let title = format!(
        "Meeting {}{}{}{}{}",
        mt.number,
        theme.sep(),
        mt.date.format("%d %b %Y"),
        theme.sep(),
        mt.status.label()
    );
    frame.render_widget(
        Paragraph::new(lines)
            .block(block(theme, title, false))
            .wrap(Wrap { trim: false }),
        minutes_area,
    );
}
