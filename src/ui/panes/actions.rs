//! The Actions pane: meeting actions (open first) above the SMART action plan, one of
//! them focused (`p` moves the focus). Overdue rows, derived and never stored, carry the
//! `!` marker as well as the colour; the plan's title counts them and shows its filter,
//! and while the plan has the focus the selected recommendation is shown in full.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row};

use super::{detail, field, list_block, visible};
use crate::app::{App, Workspace};
use crate::domain::model::{ActionStatus, RecommendationStatus};
use crate::domain::plan::{
    action_is_overdue, days_overdue, is_addressed, is_overdue, status_in_words,
};
use crate::ui::{Theme, block, draw_table, safe, short_date};

/// From this height the meeting actions stay listed while the plan has the focus.
const ROOMY_HEIGHT: u16 = 36;

/// From this width the plan shows its lead officers too.
const WIDE: u16 = 120;

pub fn draw(app: &App, ws: &Workspace, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let plan_focused = ws.actions.plan.focused;
    if !plan_focused {
        let [list_area, plan_area] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
        draw_actions(app, ws, theme, frame, list_area, true);
        draw_plan(app, ws, theme, frame, plan_area, false);
        return;
    }
    let roomy = area.height >= ROOMY_HEIGHT;
    let actions_height = if roomy { area.height * 35 / 100 } else { 3 };
    // The plan takes the rows it has (within reason); the full record takes the rest.
    let rest = area.height.saturating_sub(actions_height);
    let wanted = ws.actions.plan_rows(app.today).len() as u16 + 3;
    let plan_height = wanted.max(6).min(rest.saturating_sub(7));
    let [list_area, plan_area, detail_area] = Layout::vertical([
        Constraint::Length(actions_height),
        Constraint::Length(plan_height),
        Constraint::Fill(1),
    ])
    .areas(area);
    if roomy {
        draw_actions(app, ws, theme, frame, list_area, false);
    } else {
        draw_actions_summary(app, ws, theme, frame, list_area);
    }
    draw_plan(app, ws, theme, frame, plan_area, true);
    draw_recommendation(app, ws, theme, frame, detail_area);
}

/// "Actions: 13 · open 7 · overdue 4", with "showing n" when the text filter narrows it.
fn actions_title(app: &App, ws: &Workspace, theme: &Theme) -> String {
    let sep = theme.sep();
    let open = ws
        .actions
        .actions
        .iter()
        .filter(|a| a.record.status != ActionStatus::Done)
        .count();
    let overdue = ws
        .actions
        .actions
        .iter()
        .filter(|a| action_is_overdue(&a.record, app.today))
        .count();
    let mut title = format!("Actions: {}{sep}open {open}", ws.actions.actions.len());
    if overdue > 0 {
        title.push_str(&format!("{sep}overdue {overdue}"));
    }
    let shown = ws.actions.action_rows().len();
    if shown != ws.actions.actions.len() {
        title.push_str(&format!("{sep}showing {shown}"));
    }
    title
}

fn draw_actions(
    app: &App,
    ws: &Workspace,
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
    focused: bool,
) {
    let cursor = &ws.actions.cursor;
    let title = actions_title(app, ws, theme);
    let actions = ws.actions.action_rows();
    let (slice, selected, _) = visible(&actions, cursor.selected, area.height);
    let rows: Vec<Row<'static>> = slice
        .iter()
        .map(|a| {
            let r = &a.record;
            let (marker, style) = if action_is_overdue(r, app.today) {
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
    let block = if focused {
        list_block(app, theme, title, &cursor.filter)
    } else {
        block(theme, title, false)
    };
    draw_table(
        frame,
        area,
        theme,
        block,
        vec!["", "Owner", "Due", "Status", "Action"],
        vec![
            Constraint::Length(1),
            Constraint::Length(18),
            Constraint::Length(11),
            Constraint::Length(15),
            Constraint::Fill(1),
        ],
        rows,
        selected.filter(|_| focused),
    );
}

/// The meeting actions folded to their title while the plan has a small screen.
fn draw_actions_summary(
    app: &App,
    ws: &Workspace,
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    let title = actions_title(app, ws, theme);
    let line = Line::from(vec![
        Span::styled("p", theme.key()),
        Span::styled(" shows the meeting actions again", theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(line).block(block(theme, title, false)), area);
}

/// "Action plan: 7 recommendations · OVERDUE 1 · complete 2 · closed 1 · agency POLICE ·
/// showing 1",
/// shortened from the left until it fits `width`; the filter and the overdue count stay.
fn plan_title(app: &App, ws: &Workspace, theme: &Theme, shown: usize, width: u16) -> String {
    let sep = theme.sep();
    let all = &ws.actions.recommendations;
    let overdue = all
        .iter()
        .filter(|r| is_overdue(&r.record, app.today))
        .count();
    let complete = all
        .iter()
        .filter(|r| r.record.status == RecommendationStatus::Complete)
        .count();
    let mut tail = Vec::new();
    if overdue > 0 {
        tail.push(format!("OVERDUE {overdue}"));
    }
    let closed = all
        .iter()
        .filter(|r| r.record.status == RecommendationStatus::Closed)
        .count();
    let complete = format!("complete {complete}");
    let closed = (closed > 0).then(|| format!("closed {closed}"));
    let filter = ws.plan_filter_words(sep);
    let mut rest = Vec::new();
    if !filter.is_empty() {
        rest.push(filter);
    }
    if shown != all.len() {
        rest.push(format!("showing {shown}"));
    }
    let plural = if all.len() == 1 { "" } else { "s" };
    let long = format!("Action plan: {} recommendation{plural}", all.len());
    let medium = format!("Action plan: {}", all.len());
    let short = format!("Plan: {}", all.len());
    // (head, with the complete count, with the closed count): the closed count goes
    // first, then the words of the head, then the complete count.
    let variants = [
        (long, true, true),
        (medium.clone(), true, true),
        (medium, true, false),
        (short.clone(), true, false),
        (short, false, false),
    ];
    let room = (width as usize).saturating_sub(6);
    let mut last = String::new();
    for (head, with_complete, with_closed) in variants {
        let mut parts = vec![head];
        parts.extend(tail.iter().cloned());
        if with_complete {
            parts.push(complete.clone());
        }
        if let Some(closed) = closed.as_ref().filter(|_| with_closed) {
            parts.push(closed.clone());
        }
        parts.extend(rest.iter().cloned());
        last = parts.join(sep);
        if last.chars().count() <= room {
            break;
        }
    }
    last
}

fn draw_plan(
    app: &App,
    ws: &Workspace,
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
    focused: bool,
) {
    let plan = ws.actions.plan_rows(app.today);
    let wide = area.width >= WIDE;
    let (slice, selected, _) = visible(&plan, ws.actions.plan_selected(app.today), area.height);
    let rows: Vec<Row<'static>> = slice
        .iter()
        .map(|r| {
            let rec = &r.record;
            let (marker, style) = if is_overdue(rec, app.today) {
                (theme.overdue_marker(), theme.overdue())
            } else {
                (" ", Style::default())
            };
            let mut cells = vec![
                Cell::from(Span::styled(marker.to_string(), style)),
                Cell::from(rec.number.to_string()),
                Cell::from(rec.scope.label()),
                Cell::from(safe(&r.agency_code)),
                Cell::from(rec.status.label()),
                Cell::from(Span::styled(short_date(theme, rec.target_on), style)),
            ];
            if wide {
                cells.push(Cell::from(safe(&rec.lead_officer)));
            }
            cells.push(Cell::from(safe(&rec.recommendation)));
            Row::new(cells)
        })
        .collect();
    let title = plan_title(app, ws, theme, plan.len(), area.width);
    let filter = &ws.actions.cursor.filter;
    let mut block = if focused {
        list_block(app, theme, title, filter)
    } else {
        block(theme, title, false)
    };
    if focused && !ws.actions.plan.filter.is_empty() && filter.is_empty() && !app.filter_editing {
        block = block.title_bottom(Span::styled(" Esc clears the filter ", theme.key()));
    }
    let mut header = vec!["", "No", "Scope", "Agency", "Status", "Target"];
    let mut widths = vec![
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Length(13),
        Constraint::Length(7),
        Constraint::Length(11),
        Constraint::Length(11),
    ];
    if wide {
        header.push("Lead officer");
        widths.push(Constraint::Length(22));
    }
    header.push("Recommendation");
    widths.push(Constraint::Fill(1));
    draw_table(
        frame,
        area,
        theme,
        block,
        header,
        widths,
        rows,
        selected.filter(|_| focused),
    );
}

/// The selected recommendation in full: what is to be done, by whom, by when, and what
/// came of it.
fn draw_recommendation(
    app: &App,
    ws: &Workspace,
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    let Some(r) = ws.actions.selected_recommendation(app.today) else {
        let text = if ws.actions.recommendations.is_empty() {
            " The plan is empty: a adds the first recommendation."
        } else {
            " No recommendation passes the filter: Esc clears it."
        };
        frame.render_widget(
            Paragraph::new(Span::styled(text, theme.dim())).block(block(
                theme,
                "Recommendation".into(),
                false,
            )),
            area,
        );
        return;
    };
    let rec = &r.record;
    let mut title = format!("Recommendation {}", rec.number);
    if let Some(days) = days_overdue(rec, app.today) {
        title.push_str(&format!(
            "{}{} OVERDUE by {days} day{}",
            theme.sep(),
            theme.overdue_marker(),
            if days == 1 { "" } else { "s" }
        ));
    }
    let sep = theme.sep();
    // Who and by when on one line, so the small screen keeps room for the rest.
    let mut facts = vec![
        Span::styled("Target: ", theme.dim()),
        Span::raw(short_date(theme, rec.target_on)),
        Span::raw(format!(
            "{sep}{}{sep}{}",
            status_in_words(rec),
            rec.scope.label()
        )),
    ];
    if !r.agency_code.is_empty() {
        facts.push(Span::raw(format!("{sep}{}", safe(&r.agency_code))));
    }
    if let Some(d) = rec.completed_on {
        facts.push(Span::raw(format!(
            "{sep}completed {}",
            d.format("%d %b %Y")
        )));
    }
    if !rec.lead_officer.trim().is_empty() {
        facts.push(Span::styled(format!("{sep}lead: "), theme.dim()));
        facts.push(Span::raw(safe(&rec.lead_officer)));
    }
    let mut lines = vec![Line::from(facts)];
    // A closed one never sent says nothing of sending.
    let unsent_closed = rec.status == RecommendationStatus::Closed && rec.sent_on.is_none();
    if is_addressed(rec.scope) && !unsent_closed {
        lines.push(sending_line(theme, rec));
    }
    lines.extend([
        field(theme, "Action to take", &rec.action_to_take),
        field(theme, "Key milestones", &rec.milestones),
        field(theme, "Outcome / evidence", &rec.outcome),
    ]);
    // The table cuts the recommendation short: given the room, it comes first in full.
    if area.height >= 10 {
        lines.insert(0, field(theme, "Recommendation", &rec.recommendation));
    }
    detail(frame, area, theme, title, lines);
}

/// A national or regional recommendation's sending: "Sent to the Home Office on 12 Nov
/// 2026 · no response yet", or "Not sent yet (e records it)".
fn sending_line(theme: &Theme, rec: &crate::domain::model::Recommendation) -> Line<'static> {
    let sep = theme.sep();
    let Some(sent) = rec.sent_on else {
        let to = if rec.addressee.trim().is_empty() {
            String::new()
        } else {
            format!(" to {}", safe(&rec.addressee))
        };
        return Line::from(vec![
            Span::styled("Sent: ", theme.dim()),
            Span::raw(format!("not yet{to} (e records it)")),
        ]);
    };
    let mut spans = vec![
        Span::styled("Sent: ", theme.dim()),
        Span::raw(format!(
            "to {} on {}",
            safe(&rec.addressee),
            sent.format("%d %b %Y")
        )),
    ];
    match (rec.response_on, rec.response.trim().is_empty()) {
        (None, true) => spans.push(Span::raw(format!("{sep}no response yet"))),
        (on, _) => {
            spans.push(Span::styled(format!("{sep}response"), theme.dim()));
            if let Some(on) = on {
                spans.push(Span::styled(
                    format!(" {}", on.format("%d %b %Y")),
                    theme.dim(),
                ));
            }
            spans.push(Span::styled(": ", theme.dim()));
            spans.push(Span::raw(safe(&rec.response)));
        }
    }
    Line::from(spans)
}
