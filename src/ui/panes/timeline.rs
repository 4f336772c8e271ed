//! The combined chronology: only the loaded window of rows is ever built.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row};

use super::{detail, field, list_block};
use crate::app::{App, Pane, Workspace};
use crate::ui::{Theme, draw_table, safe, window_start};

/// Wide enough for every precise form ("c. w/c 05 Aug 2019"); a range is shortened.
const DATE_WIDTH: usize = 18;

/// Text cut to `width` characters, ending in an ellipsis when cut.
fn fit(text: &str, width: usize, theme: &Theme) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let ellipsis = theme.ellipsis();
    let keep = width.saturating_sub(ellipsis.chars().count());
    format!("{}{ellipsis}", text.chars().take(keep).collect::<String>())
}

/// Subjects as the table shows them: "Adult A; Child C" becomes "A, C"; names that are
/// not of the "Word X" pseudonym form are kept as written.
pub fn short_subjects(subjects: &str) -> String {
    subjects
        .split([';', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| match s.rsplit_once(' ') {
            Some((_, last)) if last.len() == 1 && last.chars().all(|c| c.is_ascii_uppercase()) => {
                last.to_string()
            }
            _ => s.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn draw(app: &App, ws: &Workspace, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let cursor = ws.cursor_of(Pane::Timeline);
    let title = format!(
        "Chronology{}showing {} of {}",
        theme.sep(),
        ws.timeline_matching,
        ws.timeline_total
    );
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(6)]).areas(area);
    let height = list_area.height.saturating_sub(3) as usize;
    let len = ws.timeline_matching as usize;
    let start = window_start(cursor.selected, len, height);
    let rows: Vec<Row<'static>> = (start..(start + height).min(len))
        .filter_map(|i| {
            (i as u64)
                .checked_sub(ws.timeline_start)
                .and_then(|o| ws.timeline_rows.get(o as usize))
        })
        .map(|r| {
            let e = &r.entry;
            Row::new(vec![
                Cell::from(fit(&safe(&e.date.display()), DATE_WIDTH, theme)),
                Cell::from(safe(e.time.as_deref().unwrap_or(""))),
                Cell::from(safe(&r.agency_code)),
                Cell::from(short_subjects(&safe(&e.subjects))),
                Cell::from(safe(&e.event)),
                Cell::from(if e.key_event { "K" } else { "" }),
                Cell::from(if e.missed_opportunity { "M" } else { "" }),
            ])
        })
        .collect();
    let selected = if len == 0 {
        None
    } else {
        Some(cursor.selected - start)
    };
    draw_table(
        frame,
        list_area,
        theme,
        list_block(app, theme, title, &cursor.filter),
        vec!["Date", "Time", "Agency", "Subjects", "Event", "K", "M"],
        vec![
            Constraint::Length(DATE_WIDTH as u16),
            Constraint::Length(5),
            Constraint::Length(7),
            Constraint::Length(8),
            Constraint::Fill(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ],
        rows,
        selected,
    );
    let Some(row) = ws.selected_timeline_row() else {
        detail(frame, detail_area, theme, "No entry".into(), vec![]);
        return;
    };
    let e = &row.entry;
    let mut lines: Vec<Line<'static>> = vec![field(theme, "Event", &e.event)];
    if !e.action_outcome.is_empty() {
        lines.push(field(theme, "Action / outcome", &e.action_outcome));
    }
    if !e.agency_comment.is_empty() {
        lines.push(field(theme, "Agency comment", &e.agency_comment));
    }
    if !e.panel_analysis.is_empty() {
        lines.push(field(theme, "Panel analysis", &e.panel_analysis));
    }
    let title = format!(
        "{} {} {}",
        safe(&e.date.display()),
        safe(&row.agency_code),
        safe(&e.source_ref)
    );
    detail(frame, detail_area, theme, title, lines);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_shorten_to_their_letter_and_other_names_stay() {
        assert_eq!(short_subjects("Adult A; Adult B; Child C"), "A, B, C");
        assert_eq!(short_subjects("Adult A, neighbour"), "A, neighbour");
        assert_eq!(short_subjects(""), "");
    }

    #[test]
    fn long_dates_are_cut_with_an_ellipsis() {
        let theme = Theme {
            mono: false,
            ascii: false,
        };
        assert_eq!(
            fit("between 2016 and 2017", 18, &theme),
            "between 2016 and …"
        );
        assert_eq!(fit("03 Feb 2019", 18, &theme), "03 Feb 2019");
        let ascii = Theme {
            mono: false,
            ascii: true,
        };
        assert_eq!(
            fit("between 2016 and 2017", 18, &ascii),
            "between 2016 an..."
        );
    }
}
