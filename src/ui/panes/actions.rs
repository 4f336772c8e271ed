//! Meeting actions (open first, overdue marked) and the SMART action plan.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row};

use super::{list_block, visible};
use crate::app::{App, Pane, Workspace};
use crate::domain::model::{ActionStatus, RecommendationStatus};
use crate::ui::{Theme, block, draw_table, safe, short_date};

pub fn draw(app: &App, ws: &Workspace, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let cursor = ws.cursor_of(Pane::Actions);
    let open = ws
        .actions
        .iter()
        .filter(|a| a.record.status != ActionStatus::Done)
        .count();
    let title = format!("Actions: {}{}open {open}", ws.actions.len(), theme.sep());
    let [list_area, plan_area] =
        Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    let actions = ws.visible_actions();
    let (slice, selected, _) = visible(&actions, cursor.selected, list_area.height);
    let rows: Vec<Row<'static>> = slice
        .iter()
        .map(|a| {
            let r = &a.record;
            let late = r.status != ActionStatus::Done && r.due_on.is_some_and(|d| d < app.today);
            let (marker, style) = if late {
                (theme.overdue_marker(), theme.overdue())
            } else {
                (" ", Style::default())
            };
            Row::new(vec![
                Cell::from(Span::styled(marker.to_string(), style)),
                Cell::from(safe(&r.owner)),
                Cell::from(Span::styled(short_date(theme, r.due_on), style)),
                Cell::from(r.status.label()),
                Cell::from(safe(&r.text)),
            ])
        })
        .collect();
    draw_table(
        frame,
        list_area,
        theme,
        list_block(app, theme, title, &cursor.filter),
        vec!["", "Owner", "Due", "Status", "Action"],
        vec![
            Constraint::Length(1),
            Constraint::Length(18),
            Constraint::Length(11),
            Constraint::Length(15),
            Constraint::Fill(1),
        ],
        rows,
        selected,
    );
    let plan = ws.visible_recommendations();
    let height = plan_area.height.saturating_sub(3) as usize;
    let rows: Vec<Row<'static>> = plan
        .iter()
        .take(height)
        .map(|r| {
            let rec = &r.record;
            let late = rec.status != RecommendationStatus::Complete
                && rec.target_on.is_some_and(|d| d < app.today);
            let (marker, style) = if late {
                (theme.overdue_marker(), theme.overdue())
            } else {
                (" ", Style::default())
            };
            Row::new(vec![
                Cell::from(Span::styled(marker.to_string(), style)),
                Cell::from(rec.number.to_string()),
                Cell::from(rec.scope.label()),
                Cell::from(safe(&r.agency_code)),
                Cell::from(rec.status.label()),
                Cell::from(Span::styled(short_date(theme, rec.target_on), style)),
                Cell::from(safe(&rec.recommendation)),
            ])
        })
        .collect();
    let title = format!("Action plan: {} recommendations", ws.recommendations.len());
    draw_table(
        frame,
        plan_area,
        theme,
        block(theme, title, false),
        vec![
            "",
            "No",
            "Scope",
            "Agency",
            "Status",
            "Target",
            "Recommendation",
        ],
        vec![
            Constraint::Length(1),
            Constraint::Length(2),
            Constraint::Length(13),
            Constraint::Length(7),
            Constraint::Length(11),
            Constraint::Length(11),
            Constraint::Fill(1),
        ],
        rows,
        None,
    );
}
