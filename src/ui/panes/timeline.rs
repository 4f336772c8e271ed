//! The combined chronology: only the loaded window of rows is ever built.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row};

use super::{detail, field, list_block};
use crate::app::{App, Pane, Workspace};
use crate::domain::gaps::SilentPeriod;
use crate::store::chronology::TimelineRow;
use crate::ui::{Theme, draw_table, safe, window_start};
use ratatui::text::Span;

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

/// Silences at least this long are shown between the rows they fall between.
const INLINE_SILENCE_DAYS: i64 = 90;

/// The structured filters in force, for the title ("· agency: POLICE · key only").
fn describe_filter(ws: &Workspace, theme: &Theme) -> String {
    let f = &ws.timeline_filter;
    let sep = theme.sep();
    let mut parts = Vec::new();
    if let Some(a) = f
        .agency_id
        .and_then(|id| ws.agencies.all.iter().find(|a| a.agency.id == id))
    {
        parts.push(format!("agency: {}", safe(&a.agency.code)));
    }
    if !f.subject.is_empty() {
        parts.push(format!("subject: {}", safe(&f.subject)));
    }
    if f.key_only {
        parts.push("key only".to_string());
    }
    if f.missed_only {
        parts.push("missed only".to_string());
    }
    if let Some(t) = f
        .term_id
        .and_then(|id| ws.terms.all.iter().find(|t| t.id == id))
    {
        parts.push(format!("item {}", t.position));
    }
    if let Some(d) = f.from {
        parts.push(format!("from {}", d.format("%d %b %Y")));
    }
    if let Some(d) = f.to {
        parts.push(format!("to {}", d.format("%d %b %Y")));
    }
    parts.into_iter().map(|p| format!("{sep}{p}")).collect()
}

/// The day an entry sorts by, as the store orders them.
fn sort_day(row: &TimelineRow) -> Option<chrono::NaiveDate> {
    row.entry.date.earliest.or(row.entry.date.latest)
}

/// The table rows from the loaded window, with a marker row before an entry that ends a
/// long silence, and the index of the selected row among them; the selection is kept in
/// view even when markers take lines.
fn visible_rows(
    ws: &Workspace,
    theme: &Theme,
    selected: usize,
    len: usize,
    height: usize,
) -> (Vec<Row<'static>>, Option<usize>) {
    if len == 0 || height == 0 {
        return (Vec::new(), None);
    }
    let silences: Vec<&SilentPeriod> = match &ws.silences {
        Some((agency, report)) if *agency == ws.timeline_filter.agency_id => report
            .periods
            .iter()
            .filter(|p| p.days() >= INLINE_SILENCE_DAYS)
            .collect(),
        _ => Vec::new(),
    };
    let row_at = |i: usize| {
        (i as u64)
            .checked_sub(ws.timeline_start)
            .and_then(|o| ws.timeline_rows.get(o as usize))
    };
    let mut start = window_start(selected, len, height);
    for _ in 0..height {
        let mut rows = Vec::new();
        let mut selected_at = None;
        let mut previous = if start == 0 {
            None
        } else {
            row_at(start - 1).and_then(sort_day)
        };
        let mut i = start;
        while rows.len() < height && i < len {
            let Some(row) = row_at(i) else { break };
            let day = sort_day(row);
            // The marker goes before the entry that ends the silence (loosely dated
            // entries sorted inside it do not break it).
            if let Some(next) = day {
                for p in &silences {
                    let ends_here = p.to < next && previous.is_none_or(|d| d <= p.to);
                    if ends_here && (previous.is_some() || i == 0) && rows.len() + 1 < height {
                        rows.push(silence_row(p, theme));
                    }
                }
                previous = Some(next);
            }
            if i == selected {
                selected_at = Some(rows.len());
            }
            rows.push(entry_row(row, theme));
            i += 1;
        }
        match selected_at {
            Some(at) => return (rows, Some(at)),
            // The markers pushed the selection out of view: start further down.
            None if start < selected => start += 1,
            None => return (rows, None),
        }
    }
    (Vec::new(), None)
}

fn silence_row(period: &SilentPeriod, theme: &Theme) -> Row<'static> {
    let rule = if theme.ascii { "--" } else { "──" };
    Row::new(vec![
        Cell::from(""),
        Cell::from(""),
        Cell::from(""),
        Cell::from(""),
        Cell::from(Span::styled(
            format!("{rule} no contact for {} {rule}", period.length()),
            theme.dim(),
        )),
    ])
}

fn entry_row(r: &TimelineRow, theme: &Theme) -> Row<'static> {
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
    let (rows, selected) = visible_rows(ws, theme, cursor.selected, len, height);
    let mut title = title;
    let describe = describe_filter(ws, theme);
    if !describe.is_empty() {
        title.push_str(&describe);
    }
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
