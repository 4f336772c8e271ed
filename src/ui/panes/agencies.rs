//! The chair's IMR board: one row per agency, overdue rows marked in colour and with `!`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::{detail, field, list_block, visible};
use crate::app::{App, Workspace};
use crate::domain::imr::days_overdue;
use crate::domain::model::ImrStatus;
use crate::ui::{Theme, draw_table, safe, short_date};

pub fn draw(app: &App, ws: &Workspace, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let today = app.today;
    let all = &ws.agencies.all;
    let count = |f: &dyn Fn(ImrStatus) -> bool| all.iter().filter(|a| f(a.agency.status)).count();
    let requested = count(&|s| matches!(s, ImrStatus::Requested | ImrStatus::Returned));
    let received = count(&|s| matches!(s, ImrStatus::Received | ImrStatus::UnderReview));
    let accepted = count(&|s| s == ImrStatus::Accepted);
    let overdue = all
        .iter()
        .filter(|a| days_overdue(&a.agency, today).is_some())
        .count();
    let sep = theme.sep();
    let cursor = &ws.agencies.cursor;
    let order = if ws.agencies.by_overdue {
        format!("{sep}most overdue first")
    } else {
        String::new()
    };
    let title = format!(
        "Agencies: {}{sep}requested {requested}{sep}received {received}{sep}accepted {accepted}{sep}OVERDUE {overdue}{order}",
        all.len()
    );
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(5)]).areas(area);
    let agencies = ws.visible_agencies();
    let (slice, selected, _) = visible(&agencies, cursor.selected, list_area.height);
    let wide = area.width >= 110;
    let this_year = today.format("%Y").to_string();
    let rows: Vec<Row<'static>> = slice
        .iter()
        .map(|a| {
            let ag = &a.agency;
            let late = days_overdue(ag, today);
            let (marker, style) = match late {
                Some(_) => (theme.overdue_marker(), theme.overdue()),
                None => (" ", Style::default()),
            };
            let due = match (ag.status, ag.due_on) {
                (ImrStatus::ScopedOut, _) | (_, None) => theme.none().to_string(),
                (_, Some(d)) => d.format("%d %b %Y").to_string(),
            };
            let when = match (late, ag.due_on) {
                (Some(days), _) => format!("+{days}d"),
                (None, Some(d)) if crate::domain::imr::is_outstanding(ag.status) && d >= today => {
                    format!("{}d", (d - today).num_days())
                }
                _ => String::new(),
            };
            let open = if ag.status == ImrStatus::ScopedOut {
                theme.none().to_string()
            } else {
                a.open_challenges.to_string()
            };
            let mut cells = vec![
                Cell::from(Span::styled(marker.to_string(), style)),
                Cell::from(safe(&ag.name)),
                Cell::from(short_return(ag.return_type)),
                Cell::from(if ag.status == ImrStatus::Returned {
                    "returned"
                } else {
                    ag.status.label()
                }),
                Cell::from(due),
                Cell::from(Span::styled(when, style)),
                Cell::from(open),
            ];
            // Last change: the day, with the year where there is room or it is not this year.
            let changed = crate::time::parse_stamp(&ag.updated_at)
                .map(|t| app.clock.to_local(t).date())
                .map(|d| {
                    let format = if wide || d.format("%Y").to_string() != this_year {
                        "%d %b %y"
                    } else {
                        "%d %b"
                    };
                    d.format(format).to_string()
                })
                .unwrap_or_default();
            cells.push(Cell::from(changed));
            Row::new(cells).style(style)
        })
        .collect();
    let header = vec![
        "", "Agency", "Return", "Status", "Due", "", "Ch.", "Changed",
    ];
    let widths = vec![
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(6),
        Constraint::Length(13),
        Constraint::Length(11),
        Constraint::Length(5),
        Constraint::Length(3),
        Constraint::Length(if wide { 9 } else { 6 }),
    ];
    draw_table(
        frame,
        list_area,
        theme,
        list_block(app, theme, title, &cursor.filter),
        header,
        widths,
        rows,
        selected,
    );

    let Some(selected) = ws.visible_agencies().get(cursor.selected).copied() else {
        detail(frame, detail_area, theme, "No agency".into(), vec![]);
        return;
    };
    let ag = &selected.agency;
    let members: Vec<String> = selected
        .members
        .iter()
        .map(|m| {
            let deputy = if m.deputy.is_empty() {
                String::new()
            } else {
                format!(", deputy {}", m.deputy)
            };
            format!("{} ({}{deputy})", m.name, m.role)
        })
        .collect();
    let author = match (ag.author.is_empty(), ag.author_independent) {
        (true, _) => theme.none().to_string(),
        (false, Some(true)) => format!("{}, independence confirmed", ag.author),
        (false, Some(false)) => format!("{}, independence NOT confirmed", ag.author),
        (false, None) => ag.author.clone(),
    };
    let chased: Vec<String> = ag
        .chased_on
        .iter()
        .map(|d| d.format("%d %b %Y").to_string())
        .collect();
    let mut dates = vec![format!("requested {}", short_date(theme, ag.requested_on))];
    if !chased.is_empty() {
        dates.push(format!("chased {}", chased.join(", ")));
    }
    if ag.received_on.is_some() {
        dates.push(format!("received {}", short_date(theme, ag.received_on)));
    }
    let mut lines = vec![
        field(theme, "Panel", &members.join("; ")),
        field(theme, "Author", &author),
    ];
    if ag.status == ImrStatus::ScopedOut {
        lines.push(field(theme, "Scoped out", &ag.scoped_out_reason));
    } else {
        lines.push(Line::from(Span::raw(safe(&dates.join(theme.sep())))));
    }
    detail(
        frame,
        detail_area,
        theme,
        format!("{} ({})", safe(&ag.name), safe(&ag.code)),
        lines,
    );
}

fn short_return(kind: crate::domain::model::ReturnType) -> &'static str {
    use crate::domain::model::ReturnType;
    match kind {
        ReturnType::Imr => "IMR",
        ReturnType::ShortReport => "short",
        ReturnType::ChronologyOnly => "chron.",
        ReturnType::NoReturn => "none",
    }
}
