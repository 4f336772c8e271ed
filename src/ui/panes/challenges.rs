//! The challenge log: questions put to agencies with their status and response due date,
//! overdue responses marked by colour and `!` (derived on the day drawn), the filter in
//! force in the title, and the selected challenge below the list.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::{detail, field, list_block, visible};
use crate::app::{App, Workspace};
use crate::domain::challenge::{days_overdue, is_overdue};
use crate::domain::model::{ChallengeStatus, MeetingStatus};
use crate::ui::{Theme, draw_table, safe, short_date};

pub fn draw(app: &App, ws: &Workspace, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let cursor = &ws.challenges.cursor;
    let sep = theme.sep();
    let challenges = ws.challenges.rows(ws.today);
    let filter = ws.challenges.filter();
    let title = if filter.is_empty() {
        let open = ws
            .challenges
            .all
            .iter()
            .filter(|c| c.record.status == ChallengeStatus::Open)
            .count();
        let overdue = ws
            .challenges
            .all
            .iter()
            .filter(|c| is_overdue(&c.record, app.today))
            .count();
        format!(
            "Challenges: {}{sep}open {open}{sep}overdue {overdue}",
            ws.challenges.all.len()
        )
    } else {
        format!(
            "Challenges: {} of {}{sep}{}",
            challenges.len(),
            ws.challenges.all.len(),
            safe(&filter.describe(sep))
        )
    };
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(7)]).areas(area);
    let selected_index = ws.challenges.selected_index(ws.today);
    let (slice, selected, _) = visible(&challenges, selected_index, list_area.height);
    let rows: Vec<Row<'static>> = slice
        .iter()
        .map(|c| {
            let r = &c.record;
            let (marker, style) = if is_overdue(r, app.today) {
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
    let empty_hint = challenges.is_empty() && !ws.challenges.all.is_empty();
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
    match challenges.get(selected_index) {
        Some(c) => {
            let r = &c.record;
            let approved = r
                .meeting_id
                .and_then(|id| ws.minutes.meetings.iter().find(|m| m.meeting.id == id))
                .is_some_and(|m| m.meeting.status == MeetingStatus::Approved);
            let by = if r.raised_by.is_empty() {
                theme.none().to_string()
            } else {
                r.raised_by.clone()
            };
            let mut lines = vec![field(
                theme,
                "Raised by",
                &format!(
                    "{by} on {}{sep}status {}",
                    short_date(theme, r.raised_on),
                    r.status
                ),
            )];
            let mut due = vec![
                Span::styled("Response due: ", theme.dim()),
                Span::raw(short_date(theme, r.response_due)),
            ];
            if let Some(days) = days_overdue(r, app.today) {
                due.push(Span::styled(
                    format!(
                        "  {} overdue by {days} day{}",
                        theme.overdue_marker(),
                        if days == 1 { "" } else { "s" }
                    ),
                    theme.overdue(),
                ));
            }
            lines.push(Line::from(due));
            lines.push(field(theme, "Question", &r.question));
            let response = if r.response.is_empty() {
                theme.none().to_string()
            } else {
                format!("{} ({})", r.response, short_date(theme, r.response_on))
            };
            lines.push(field(theme, "Response", &response));
            let title = match c.meeting_number {
                Some(n) if approved => format!(
                    "Challenge to {} from meeting {n} (minutes approved){sep}Enter: in full",
                    safe(&c.agency_code)
                ),
                Some(n) => format!(
                    "Challenge to {} from meeting {n}{sep}Enter: in full",
                    safe(&c.agency_code)
                ),
                None => format!("Challenge to {}{sep}Enter: in full", safe(&c.agency_code)),
            };
            detail(frame, detail_area, theme, title, lines);
        }
        None if empty_hint => detail(
            frame,
            detail_area,
            theme,
            "No challenge".into(),
            vec![Line::from(
                "None passes the filter: f changes it, Esc clears it.",
            )],
        ),
        None => detail(frame, detail_area, theme, "No challenge".into(), vec![]),
    }
}
