//! One module per pane, plus the case list.

mod actions;
pub(crate) mod agencies;
mod case;
mod case_process;
pub(crate) mod challenges;
mod decisions;
mod family;
mod minutes;
mod terms;
mod timeline;

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Wrap};

use super::{Theme, block, draw_table, safe, window_start};
use crate::app::{App, Pane, Workspace};

/// The rows a table of `height` lines shows, and the selection within them.
pub(crate) fn visible<T>(
    items: &[T],
    selected: usize,
    area_height: u16,
) -> (&[T], Option<usize>, usize) {
    // Borders and the column heading take three lines.
    let height = area_height.saturating_sub(3) as usize;
    let start = window_start(selected, items.len(), height);
    let end = (start + height).min(items.len());
    let slice = &items[start..end];
    let selected = if items.is_empty() {
        None
    } else {
        Some(selected - start)
    };
    (slice, selected, start)
}

/// The focused list's block, with the filter (while typed, or in force) on its bottom edge.
pub(crate) fn list_block(app: &App, theme: &Theme, title: String, filter: &str) -> Block<'static> {
    let block = block(theme, title, true);
    if app.filter_editing {
        block.title_bottom(Span::styled(
            format!(" filter: {}_ ", safe(filter)),
            theme.key(),
        ))
    } else if !filter.is_empty() {
        block.title_bottom(Span::styled(
            format!(" filter: {} (Esc clears) ", safe(filter)),
            theme.key(),
        ))
    } else {
        block
    }
}

/// A paragraph of detail about the selected record, in a block.
pub(crate) fn detail(
    frame: &mut Frame<'_>,
    area: Rect,
    theme: &Theme,
    title: String,
    lines: Vec<Line<'static>>,
) {
    frame.render_widget(
        Paragraph::new(lines)
            .block(block(theme, title, false))
            .wrap(Wrap { trim: false }),
        area,
    );
}

/// A label and an untrusted value on one line.
pub(crate) fn field(theme: &Theme, label: &str, value: &str) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label}: "), theme.dim()),
        Span::raw(safe(value)),
    ])
}

pub fn draw(app: &App, ws: &Workspace, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    match ws.pane {
        Pane::Timeline => timeline::draw(app, ws, theme, frame, area),
        Pane::Terms => terms::draw(app, ws, theme, frame, area),
        Pane::Agencies => agencies::draw(app, ws, theme, frame, area),
        Pane::Challenges => challenges::draw(app, ws, theme, frame, area),
        Pane::Decisions => decisions::draw(app, ws, theme, frame, area),
        Pane::Actions => actions::draw(app, ws, theme, frame, area),
        Pane::Minutes => minutes::draw(app, ws, theme, frame, area),
        Pane::Family => family::draw(app, ws, theme, frame, area),
    }
}

/// Draws a pane's own view over the workspace.
pub(crate) fn draw_view(
    app: &App,
    view: &crate::app::panes::PaneView,
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    match view {
        crate::app::panes::PaneView::Timeline(v) => timeline::draw_view(app, v, theme, frame, area),
        crate::app::panes::PaneView::Case(v) => case::draw_view(app, v, theme, frame, area),
    }
}

pub fn draw_case_list(app: &App, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let cases = app.visible_cases();
    let title = format!("Cases: {}", app.cases.len());
    if app.cases.is_empty() {
        let lines = vec![
            Line::from(""),
            Line::from(" There are no cases in this database yet."),
            Line::from(""),
            Line::from(vec![
                Span::raw(" Press "),
                Span::styled("n", theme.key()),
                Span::raw(" to start a new case,"),
            ]),
            Line::from(vec![
                Span::raw(" or "),
                Span::styled("d", theme.key()),
                Span::raw(" to add the fictional demo cases DEMO-1 and DEMO-2 and look around."),
            ]),
            Line::from(vec![
                Span::raw(" "),
                Span::styled("q", theme.key()),
                Span::raw(" quits."),
            ]),
            Line::from(""),
            Line::from(Span::styled(
                format!(" Database: {}", safe(&app.db_path.display().to_string())),
                theme.dim(),
            )),
        ];
        frame.render_widget(
            Paragraph::new(lines)
                .block(list_block(app, theme, title, &app.case_cursor.filter))
                .wrap(Wrap { trim: false }),
            area,
        );
        return;
    }
    let (slice, selected, _) = visible(&cases, app.case_cursor.selected, area.height);
    // The clock columns are as wide as their longest cell ("paused (trial) 45d").
    let widest = |cell: fn(&crate::domain::clock::StatutoryClock) -> String, least: usize| {
        slice
            .iter()
            .map(|r| cell(&r.clock).chars().count())
            .fold(least, usize::max) as u16
    };
    let (due_width, clock_width) = (
        widest(crate::domain::clock::StatutoryClock::short_due, 8),
        widest(crate::domain::clock::StatutoryClock::short_clock, 10),
    );
    let rows: Vec<Row<'static>> = slice
        .iter()
        .map(|r| {
            let clock_style = if r.clock.is_overdue() {
                theme.overdue()
            } else {
                Style::default()
            };
            Row::new(vec![
                Cell::from(safe(&r.case.reference)),
                Cell::from(r.case.kind.to_string()),
                Cell::from(safe(&r.case.title)),
                Cell::from(r.case.stage.to_string()),
                Cell::from(r.clock.short_due()),
                Cell::from(Span::styled(r.clock.short_clock(), clock_style)),
            ])
        })
        .collect();
    draw_table(
        frame,
        area,
        theme,
        list_block(app, theme, title, &app.case_cursor.filter),
        vec!["Ref", "Kind", "Title", "Stage", "Next due", "Clock"],
        vec![
            Constraint::Length(12),
            Constraint::Length(5),
            Constraint::Fill(1),
            Constraint::Length(14),
            Constraint::Length(due_width),
            Constraint::Length(clock_width),
        ],
        rows,
        selected,
    );
}
