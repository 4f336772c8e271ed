//! The terms of reference: numbered items with their kind, status and coverage, the
//! review period, and a coverage matrix of items by agencies. An item nothing covers
//! carries a `!` as well as its colour, so it stands out without colour too.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Cell, HighlightSpacing, Paragraph, Row, Table, TableState, Wrap};

use super::{detail, list_block, visible};
use crate::app::{App, Pane, Workspace};
use crate::domain::coverage::{AgencyCoverage, Coverage, ItemCoverage};
use crate::domain::model::{TermOfReference, TermStatus};
use crate::ui::{Theme, block, draw_table, safe, safe_lines, short_date};

/// The narrowest a matrix column of agency codes gets, and the widest.
const MIN_CODE_WIDTH: usize = 3;
const MAX_CODE_WIDTH: usize = 8;
/// Room the matrix keeps for item headings before widening its columns.
const MIN_HEADING_WIDTH: usize = 12;

pub fn draw(app: &App, ws: &Workspace, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let (coverage, problem) = match app.term_coverage() {
        Some(c) => (c.clone(), None),
        None => (
            Coverage::default(),
            Some("Coverage is being read.".to_string()),
        ),
    };
    let detail_height = (area.height / 3).max(8);
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(detail_height)]).areas(area);
    let view = app.terms_view();
    let title = title(ws, theme, &coverage, list_area.width, view.matrix);
    if view.matrix {
        draw_matrix(
            app,
            ws,
            theme,
            frame,
            list_area,
            &coverage,
            view.column,
            title,
        );
    } else {
        draw_list(app, ws, theme, frame, list_area, &coverage, title);
    }
    let terms = ws.visible_terms();
    let cursor = ws.cursor_of(Pane::Terms);
    match terms.get(cursor.selected) {
        Some(t) => {
            let item = coverage.item(t.id);
            let mut lines = match problem {
                Some(p) => vec![Line::from(Span::styled(safe(&p), theme.error()))],
                None if view.matrix => cell_lines(ws, theme, item, view.column),
                None => coverage_lines(ws, theme, item),
            };
            lines.extend(safe_lines(&t.text).lines);
            frame.render_widget(
                Paragraph::new(Text::from(lines))
                    .block(block(theme, item_title(ws, t), false))
                    .wrap(Wrap { trim: false }),
                detail_area,
            );
        }
        None => {
            let words = if ws.terms.all.is_empty() {
                " There are no items yet: a adds the first."
            } else {
                " No item matches the filter: Esc clears it."
            };
            detail(
                frame,
                detail_area,
                theme,
                "No item".into(),
                vec![Line::from(words)],
            )
        }
    }
}

/// The number an item shows: its place in the whole order, 1..n.
fn number(ws: &Workspace, term_id: i64) -> usize {
    ws.terms
        .all
        .iter()
        .position(|t| t.id == term_id)
        .map_or(0, |i| i + 1)
}

fn meeting_number(ws: &Workspace, t: &TermOfReference) -> Option<i64> {
    t.meeting_id.and_then(|id| {
        ws.minutes
            .meetings
            .iter()
            .find(|m| m.meeting.id == id)
            .map(|m| m.meeting.number)
    })
}

/// The title of the detail box: number, heading, and where the status was reached.
fn item_title(ws: &Workspace, t: &TermOfReference) -> String {
    let when = match (t.status, meeting_number(ws, t)) {
        (TermStatus::Draft, _) => " (draft)".to_string(),
        (status, Some(n)) => format!(" ({status} at meeting {n})"),
        (status, None) => format!(" ({status})"),
    };
    format!("{}. {}{when}", number(ws, t.id), safe(&t.heading))
}

/// The list's title, as long as the width allows.
fn title(ws: &Workspace, theme: &Theme, coverage: &Coverage, width: u16, matrix: bool) -> String {
    let sep = theme.sep();
    let period = format!(
        "{} to {}",
        short_date(theme, ws.case.period_from),
        short_date(theme, ws.case.period_to)
    );
    let uncovered = match coverage.uncovered() {
        0 => String::new(),
        n => format!("{sep}! {n} not covered"),
    };
    let name = if matrix {
        "Coverage"
    } else {
        "Terms of reference"
    };
    let n = ws.terms.all.len();
    let room = (width as usize).saturating_sub(6);
    let short = if matrix { name } else { "ToR" };
    [
        format!("{name}: {n}{sep}review period {period}{uncovered}"),
        format!("{name}: {n}{sep}period {period}{uncovered}"),
        format!("{short}: {n}{sep}period {period}{uncovered}"),
        format!("{short}: {n}{uncovered}"),
    ]
    .into_iter()
    .find(|t| t.chars().count() <= room)
    .unwrap_or_else(|| format!("{short}: {n}"))
}

/// Lists wider than this name the covering agencies rather than count them.
const WIDE_LIST: u16 = 120;

/// The coverage column of the list: how many agencies (on wide screens, which), or a
/// `!` when nothing covers the item.
fn coverage_summary(
    ws: &Workspace,
    theme: &Theme,
    item: Option<&ItemCoverage>,
    wide: bool,
) -> Span<'static> {
    let Some(item) = item else {
        return Span::raw(theme.none().to_string());
    };
    if item.is_uncovered() {
        return Span::styled(
            format!("{} nothing", theme.overdue_marker()),
            theme.overdue(),
        );
    }
    let count = match item.covering_agencies() {
        0 => "panel only".to_string(),
        1 => "1 agency".to_string(),
        n => format!("{n} agencies"),
    };
    if !wide || item.covering_agencies() == 0 {
        return Span::raw(count);
    }
    let codes: Vec<String> = ws
        .agencies
        .all
        .iter()
        .zip(&item.agencies)
        .filter(|(_, c)| c.covers())
        .map(|(a, _)| safe(&a.agency.code))
        .collect();
    Span::raw(format!("{count}: {}", codes.join(" ")))
}

fn draw_list(
    app: &App,
    ws: &Workspace,
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
    coverage: &Coverage,
    title: String,
) {
    let cursor = ws.cursor_of(Pane::Terms);
    let terms = ws.visible_terms();
    let (slice, selected, _) = visible(&terms, cursor.selected, area.height);
    let wide = area.width >= WIDE_LIST;
    let rows: Vec<Row<'static>> = slice
        .iter()
        .map(|t| {
            let status = match meeting_number(ws, t) {
                Some(n) if t.status != TermStatus::Draft => format!("{} M{n}", t.status),
                _ => t.status.label().to_string(),
            };
            Row::new(vec![
                Cell::from(number(ws, t.id).to_string()),
                Cell::from(t.kind.label()),
                Cell::from(status),
                Cell::from(safe(&t.heading)),
                Cell::from(coverage_summary(ws, theme, coverage.item(t.id), wide)),
            ])
        })
        .collect();
    draw_table(
        frame,
        area,
        theme,
        list_block(app, theme, title, &cursor.filter),
        vec!["No", "Kind", "Status", "Heading", "Covered by"],
        vec![
            Constraint::Length(3),
            Constraint::Length(7),
            Constraint::Length(10),
            Constraint::Fill(1),
            if wide {
                Constraint::Fill(1)
            } else {
                Constraint::Length(11)
            },
        ],
        rows,
        selected,
    );
}

/// What a cell of the matrix shows: linked records, the chair's mark, or a dot.
fn cell_text(theme: &Theme, cell: &AgencyCoverage) -> String {
    let mark = if cell.marked { mark(theme) } else { "" };
    match cell.links() {
        0 if cell.marked => mark.to_string(),
        0 => dot(theme).to_string(),
        n => format!("{n}{mark}"),
    }
}

fn mark(theme: &Theme) -> &'static str {
    if theme.ascii { "x" } else { "✓" }
}

fn dot(theme: &Theme) -> &'static str {
    if theme.ascii { "." } else { "·" }
}

/// The width of each agency column: as wide as the codes, as narrow as the terminal needs.
fn code_width(ws: &Workspace, inner: usize) -> usize {
    let n = ws.agencies.all.len();
    if n == 0 {
        return MIN_CODE_WIDTH;
    }
    let longest = ws
        .agencies
        .all
        .iter()
        .map(|a| safe(&a.agency.code).chars().count())
        .max()
        .unwrap_or(MIN_CODE_WIDTH)
        .clamp(MIN_CODE_WIDTH, MAX_CODE_WIDTH);
    // No, heading and the panel column, with a space between every two columns.
    let fixed = 3 + MIN_HEADING_WIDTH + 5 + (n + 2);
    (inner.saturating_sub(fixed) / n).clamp(MIN_CODE_WIDTH, longest)
}

#[allow(clippy::too_many_arguments)]
fn draw_matrix(
    app: &App,
    ws: &Workspace,
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
    coverage: &Coverage,
    column: usize,
    title: String,
) {
    let cursor = ws.cursor_of(Pane::Terms);
    let terms = ws.visible_terms();
    let (slice, selected, _) = visible(&terms, cursor.selected, area.height);
    let column = column.min(ws.agencies.all.len().saturating_sub(1));
    // Borders and the selection marker take four columns.
    let width = code_width(ws, (area.width as usize).saturating_sub(4));
    let mut header = vec![Cell::from("No"), Cell::from("Item")];
    for (i, a) in ws.agencies.all.iter().enumerate() {
        let code: String = safe(&a.agency.code).chars().take(width).collect();
        let style = if i == column {
            theme.selected()
        } else {
            Style::default()
        };
        header.push(Cell::from(Span::styled(code, style)));
    }
    header.push(Cell::from("Panel"));
    let empty = AgencyCoverage::default();
    let rows: Vec<Row<'static>> = slice
        .iter()
        .map(|t| {
            let item = coverage.item(t.id);
            let uncovered = item.is_some_and(ItemCoverage::is_uncovered);
            let no = if uncovered {
                Span::styled(
                    format!("{}{}", theme.overdue_marker(), number(ws, t.id)),
                    theme.overdue(),
                )
            } else {
                Span::raw(format!(" {}", number(ws, t.id)))
            };
            let mut cells = vec![Cell::from(no), Cell::from(safe(&t.heading))];
            for i in 0..ws.agencies.all.len() {
                let cell = item.and_then(|it| it.agencies.get(i)).unwrap_or(&empty);
                let style = if cell.marked {
                    theme.good()
                } else if cell.links() == 0 {
                    theme.dim()
                } else {
                    Style::default()
                };
                cells.push(Cell::from(Span::styled(cell_text(theme, cell), style)));
            }
            let panel = item.map_or(0, ItemCoverage::panel_links);
            cells.push(Cell::from(if panel == 0 {
                Span::styled(dot(theme), theme.dim())
            } else {
                Span::raw(panel.to_string())
            }));
            Row::new(cells)
        })
        .collect();
    let mut widths = vec![
        Constraint::Length(3),
        Constraint::Min(MIN_HEADING_WIDTH as u16),
    ];
    widths.extend(
        ws.agencies
            .all
            .iter()
            .map(|_| Constraint::Length(width as u16)),
    );
    widths.push(Constraint::Length(5));
    let mut state = TableState::default();
    state.select(selected);
    if !ws.agencies.all.is_empty() {
        state.select_column(Some(column + 2));
    }
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.column_heading()))
        .block(list_block(app, theme, title, &cursor.filter))
        .column_spacing(1)
        .row_highlight_style(Style::default().add_modifier(Modifier::BOLD))
        .cell_highlight_style(theme.selected())
        .highlight_symbol(format!("{} ", theme.selection_marker()))
        .highlight_spacing(HighlightSpacing::Always);
    frame.render_stateful_widget(table, area, &mut state);
}

/// Plural words for a count: "1 challenge", "3 challenges".
fn count(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The detail's first lines in the list view: which agencies cover the item, and how.
fn coverage_lines(
    ws: &Workspace,
    theme: &Theme,
    item: Option<&ItemCoverage>,
) -> Vec<Line<'static>> {
    let Some(item) = item else {
        return Vec::new();
    };
    if item.is_uncovered() {
        return vec![Line::from(Span::styled(
            format!(
                "{} Nothing covers this item yet: link entries, challenges or decisions to it, or mark an agency's return (m).",
                theme.overdue_marker()
            ),
            theme.overdue(),
        ))];
    }
    let mut parts: Vec<String> = ws
        .agencies
        .all
        .iter()
        .zip(&item.agencies)
        .filter(|(_, c)| c.covers())
        .map(|(a, c)| {
            let code = safe(&a.agency.code);
            match (c.links(), c.marked) {
                (0, _) => format!("{code} {}", mark(theme)),
                (n, true) => format!("{code} {n}{}", mark(theme)),
                (n, false) => format!("{code} {n}"),
            }
        })
        .collect();
    if item.decisions > 0 {
        parts.push(format!(
            "panel {}",
            count(item.decisions, "decision", "decisions")
        ));
    }
    if item.unattributed > 0 {
        parts.push(count(
            item.unattributed,
            "record with no agency",
            "records with no agency",
        ));
    }
    vec![Line::from(vec![
        Span::styled("Covered by: ", theme.dim()),
        Span::raw(parts.join(", ")),
    ])]
}

/// The detail's first lines in the matrix: the chosen agency's part in the item.
fn cell_lines(
    ws: &Workspace,
    theme: &Theme,
    item: Option<&ItemCoverage>,
    column: usize,
) -> Vec<Line<'static>> {
    let Some(item) = item else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    let column = column.min(ws.agencies.all.len().saturating_sub(1));
    if let (Some(a), Some(c)) = (ws.agencies.all.get(column), item.agencies.get(column)) {
        let links = if c.links() == 0 {
            "no linked records".to_string()
        } else {
            format!(
                "{}, {} linked",
                count(c.entries, "chronology entry", "chronology entries"),
                count(c.challenges, "challenge", "challenges")
            )
        };
        let marked = if c.marked {
            Span::styled(format!("chair's mark {}", mark(theme)), theme.good())
        } else {
            Span::raw("no chair's mark (Space marks it)")
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("{} ({})", safe(&a.agency.name), safe(&a.agency.code)),
                theme.title(),
            ),
            Span::raw(format!(": {links}{}", theme.sep())),
            marked,
        ]));
    }
    let panel = format!("Panel: {}", count(item.decisions, "decision", "decisions"));
    if item.is_uncovered() {
        lines.push(Line::from(vec![
            Span::raw(panel),
            Span::raw(theme.sep().to_string()),
            Span::styled(
                format!("{} nothing covers this item", theme.overdue_marker()),
                theme.overdue(),
            ),
        ]));
    } else {
        lines.push(Line::from(panel));
    }
    lines.push(Line::from(Span::styled(
        format!(
            "Cells: linked entries and challenges; {} the chair's mark; {} none.",
            mark(theme),
            dot(theme)
        ),
        theme.dim(),
    )));
    lines
}
