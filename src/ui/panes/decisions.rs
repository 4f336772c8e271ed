//! The decision log across meetings: the filter in force in the title, and the selected
//! decision below the list with whether its minutes are approved (its text locked).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row};

use super::{detail, field, list_block, visible};
use crate::app::{App, Workspace};
use crate::domain::model::MeetingStatus;
use crate::ui::{Theme, draw_table, safe, short_date};

pub fn draw(app: &App, ws: &Workspace, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let cursor = &ws.decisions.cursor;
    let sep = theme.sep();
    let decisions = ws.decisions.rows();
    let filter = ws.decisions.filter();
    let title = if filter.is_empty() {
        format!("Decisions: {}", ws.decisions.all.len())
    } else {
        format!(
            "Decisions: {} of {}{sep}{}",
            decisions.len(),
            ws.decisions.all.len(),
            safe(&filter.describe(sep))
        )
    };
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(7)]).areas(area);
    let selected_index = ws.decisions.selected_index();
    let (slice, selected, _) = visible(&decisions, selected_index, list_area.height);
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
    match decisions.get(selected_index) {
        Some(d) => {
            let r = &d.record;
            let approved = r
                .meeting_id
                .and_then(|id| ws.minutes.meetings.iter().find(|m| m.meeting.id == id))
                .is_some_and(|m| m.meeting.status == MeetingStatus::Approved);
            let by = if r.decided_by.is_empty() {
                theme.none().to_string()
            } else {
                r.decided_by.clone()
            };
            let lines = vec![
                field(
                    theme,
                    "Decided by",
                    &format!("{by} on {}", short_date(theme, r.decided_on)),
                ),
                field(theme, "Decision", &r.text),
                field(
                    theme,
                    "Rationale",
                    if r.rationale.is_empty() {
                        theme.none()
                    } else {
                        &r.rationale
                    },
                ),
            ];
            let title = match d.meeting_number {
                Some(n) if approved => {
                    format!("Decision of meeting {n} (minutes approved){sep}Enter: in full")
                }
                Some(n) => format!("Decision of meeting {n}{sep}Enter: in full"),
                None => format!("Decision{sep}Enter: in full"),
            };
            detail(frame, detail_area, theme, title, lines);
        }
        None if !ws.decisions.all.is_empty() => detail(
            frame,
            detail_area,
            theme,
            "No decision".into(),
            vec![Line::from(
                "None passes the filter: f changes it, Esc clears it.",
            )],
        ),
        None => detail(frame, detail_area, theme, "No decision".into(), vec![]),
    }
}
