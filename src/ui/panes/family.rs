//! The Family pane: the people approached (above) and the parallel proceedings (below),
//! one of them focused (`p` moves the focus). A person approached with no offer of
//! advocacy carries the `!` marker and the words "no advocacy offered" (so it reads under
//! NO_COLOR and in ASCII), and the people's title counts them.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row};

use super::{list_block, visible};
use crate::app::panes::family::pseudonym;
use crate::app::{App, Workspace};
use crate::domain::family::{NO_ADVOCACY, advocacy_gaps, advocacy_offered, lacks_advocacy_offer};
use crate::domain::review::Proceeding;
use crate::ui::{Theme, block, draw_table, safe, short_date};

/// From this width the people show who approached them and the proceedings their contact.
const WIDE: u16 = 120;

pub fn draw(app: &App, ws: &Workspace, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let focused = ws.family.proceedings_focused;
    let (top, bottom) = if focused { (40, 60) } else { (60, 40) };
    let [people_area, proceedings_area] =
        Layout::vertical([Constraint::Percentage(top), Constraint::Percentage(bottom)]).areas(area);
    draw_people(app, ws, theme, frame, people_area, !focused);
    draw_proceedings(app, ws, theme, frame, proceedings_area, focused);
}

fn draw_people(
    app: &App,
    ws: &Workspace,
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
    focused: bool,
) {
    let pane = &ws.family;
    let sep = theme.sep();
    let gaps = advocacy_gaps(&pane.people);
    let mut title = format!("People approached: {}", pane.people.len());
    if gaps > 0 {
        title.push_str(&format!("{sep}NO ADVOCACY OFFERED {gaps}"));
    }
    let rows_shown = pane.people_rows(&ws.subjects);
    if rows_shown.len() != pane.people.len() {
        title.push_str(&format!("{sep}showing {}", rows_shown.len()));
    }
    let wide = area.width >= WIDE;
    let (slice, selected, _) = visible(&rows_shown, pane.cursor.selected, area.height);
    let rows: Vec<Row<'static>> = slice
        .iter()
        .map(|p| {
            let flagged = lacks_advocacy_offer(p);
            let (marker, style) = if flagged {
                (theme.overdue_marker(), theme.overdue())
            } else {
                (" ", Style::default())
            };
            let advocacy = if flagged {
                NO_ADVOCACY.to_string()
            } else if advocacy_offered(p) {
                let who = if p.advocate.trim().is_empty() {
                    p.advocacy_offered_by.trim()
                } else {
                    p.advocate.trim()
                };
                if who.is_empty() {
                    p.advocacy_response.label().to_string()
                } else {
                    format!("{}: {}", p.advocacy_response.label(), safe(who))
                }
            } else {
                theme.none().to_string()
            };
            let contacts = pane.contacts_of(p.id);
            let last = contacts.iter().filter_map(|c| c.contact_on).max();
            let mut cells = vec![
                Cell::from(Span::styled(marker.to_string(), style)),
                Cell::from(safe(&pseudonym(&ws.subjects, p.subject_id))),
                Cell::from(p.connection.label()),
                Cell::from(short_date(theme, p.approached_on)),
            ];
            if wide {
                cells.push(Cell::from(safe(&p.approached_by)));
            }
            cells.push(Cell::from(Span::styled(advocacy, style)));
            cells.push(Cell::from(format!("{}", contacts.len())));
            if wide {
                cells.push(Cell::from(short_date(theme, last)));
            }
            Row::new(cells)
        })
        .collect();
    let block = if focused {
        list_block(app, theme, title, &pane.cursor.filter)
    } else {
        block(theme, title, false)
    };
    let (header, widths) = if wide {
        (
            vec![
                "",
                "Person",
                "Connection",
                "Approached",
                "By",
                "Advocacy",
                "Contacts",
                "Last",
            ],
            vec![
                Constraint::Length(1),
                Constraint::Length(12),
                Constraint::Length(11),
                Constraint::Length(11),
                Constraint::Length(22),
                Constraint::Fill(1),
                Constraint::Length(8),
                Constraint::Length(11),
            ],
        )
    } else {
        (
            vec!["", "Person", "Connection", "Approached", "Advocacy", "Ct."],
            vec![
                Constraint::Length(1),
                Constraint::Length(10),
                Constraint::Length(11),
                Constraint::Length(11),
                Constraint::Fill(1),
                Constraint::Length(3),
            ],
        )
    };
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

/// The latest key date of a proceeding and what it was: "verdict 12 Mar 2021".
fn latest_date(theme: &Theme, p: &Proceeding) -> String {
    let dates = [
        ("concluded", p.concluded_on),
        ("sentence", p.sentenced_on),
        ("verdict", p.verdict_on),
        ("trial", p.trial_on),
        ("resumed", p.resumed_on),
        ("charged", p.charged_on),
        ("opened", p.opened_on),
    ];
    dates
        .iter()
        .filter_map(|(what, d)| d.map(|d| (d, *what)))
        .max_by_key(|(d, _)| *d)
        .map_or_else(
            || theme.none().to_string(),
            |(d, what)| format!("{what} {}", short_date(theme, Some(d))),
        )
}

fn draw_proceedings(
    app: &App,
    ws: &Workspace,
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
    focused: bool,
) {
    let pane = &ws.family;
    let sep = theme.sep();
    let open = pane
        .proceedings
        .iter()
        .filter(|p| p.concluded_on.is_none())
        .count();
    let awaited = pane
        .disclosures
        .iter()
        .filter(|d| d.answered_on.is_none())
        .count();
    let mut title = format!(
        "Parallel proceedings: {}{sep}open {open}{sep}disclosure requests {}",
        pane.proceedings.len(),
        pane.disclosures.len()
    );
    if awaited > 0 {
        title.push_str(&format!(" (awaited {awaited})"));
    }
    let wide = area.width >= WIDE;
    let rows_shown = pane.proceeding_rows();
    let (slice, selected, _) = visible(&rows_shown, pane.proceeding_index(), area.height);
    let rows: Vec<Row<'static>> = slice
        .iter()
        .map(|p| {
            let requests = pane.disclosures_of(p.id).len();
            let mut cells = vec![Cell::from(p.kind.short()), Cell::from(safe(&p.title))];
            if wide {
                let contact = match (p.contact.trim(), p.contact_role.trim()) {
                    (c, "") => safe(c),
                    (c, r) => format!("{} ({})", safe(c), safe(r)),
                };
                cells.push(Cell::from(contact));
            }
            cells.push(Cell::from(latest_date(theme, p)));
            cells.push(Cell::from(requests.to_string()));
            Row::new(cells)
        })
        .collect();
    let block = if focused {
        list_block(app, theme, title, &pane.cursor.filter)
    } else {
        block(theme, title, false)
    };
    let (header, widths) = if wide {
        (
            vec!["Kind", "Title", "Contact", "Latest", "Req."],
            vec![
                Constraint::Length(8),
                Constraint::Fill(2),
                Constraint::Fill(1),
                Constraint::Length(22),
                Constraint::Length(4),
            ],
        )
    } else {
        (
            vec!["Kind", "Title", "Latest", "Req."],
            vec![
                Constraint::Length(8),
                Constraint::Fill(1),
                Constraint::Length(22),
                Constraint::Length(4),
            ],
        )
    };
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
