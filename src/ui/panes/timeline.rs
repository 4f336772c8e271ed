//! The combined chronology: only the loaded window of rows is ever built. Its views over
//! the pane, an entry in full and the silent periods, are drawn here too.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Clear, Paragraph, Row, Wrap};

use super::{detail, field, list_block};
use crate::app::panes::timeline::{EntryDetail, SilentPeriods, TimelineRow, TimelineView};
use crate::app::{App, Pane, Workspace};
use crate::domain::gaps::SilentPeriod;
use crate::ui::overlay::{centered, text_box};
use crate::ui::{Theme, block, draw_table, safe, safe_lines, window_start};
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
    let f = &ws.timeline.filter;
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
    let silences: Vec<&SilentPeriod> = match &ws.timeline.silences {
        Some((agency, report)) if *agency == ws.timeline.filter.agency_id => report
            .periods
            .iter()
            .filter(|p| p.days() >= INLINE_SILENCE_DAYS)
            .collect(),
        _ => Vec::new(),
    };
    let row_at = |i: usize| {
        (i as u64)
            .checked_sub(ws.timeline.start)
            .and_then(|o| ws.timeline.rows.get(o as usize))
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
    // While the filter worker looks, the rows of the previous filter stay on screen.
    let title = if ws.timeline.pending.is_some() {
        format!("Chronology{}filtering…", theme.sep())
    } else {
        format!(
            "Chronology{}showing {} of {}",
            theme.sep(),
            ws.timeline.matching,
            ws.timeline.total
        )
    };
    let [list_area, detail_area] =
        Layout::vertical([Constraint::Min(5), Constraint::Length(6)]).areas(area);
    let height = list_area.height.saturating_sub(3) as usize;
    let len = ws.timeline.matching as usize;
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
    let Some(row) = ws.timeline.selected_row() else {
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

/// One of the pane's views over it.
pub(crate) fn draw_view(
    app: &App,
    view: &TimelineView,
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    match view {
        TimelineView::Detail(d) => draw_entry_detail(d, theme, frame, area),
        TimelineView::Silences(s) => draw_silences(app, s, theme, frame, area),
    }
}

/// An entry in full, scrolled.
fn draw_entry_detail(view: &EntryDetail, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let EntryDetail { row, terms, scroll } = view;
    let lines = entry_detail_lines(row, terms, theme);
    let title = format!(
        "{} {}",
        safe(&row.entry.date.display()),
        safe(&row.agency_code)
    );
    text_box(frame, area, theme, title, lines, *scroll);
}

/// Every field of an entry, including risk, import provenance and extra columns.
fn entry_detail_lines(row: &TimelineRow, terms: &[String], theme: &Theme) -> Vec<Line<'static>> {
    let e = &row.entry;
    let mut lines = Vec::new();
    let mut field = |label: &str, value: &str| {
        if value.trim().is_empty() {
            return;
        }
        // Labels can come from an imported file's headers: they are untrusted text too.
        let label = safe(label);
        let label = label.as_str();
        let text = safe_lines(value);
        for (i, line) in text.lines.into_iter().enumerate() {
            let lead = if i == 0 {
                format!("{label}: ")
            } else {
                " ".repeat(label.chars().count() + 2)
            };
            let mut spans = vec![Span::styled(lead, theme.dim())];
            spans.extend(line.spans);
            lines.push(Line::from(spans));
        }
    };
    let approx = if e.date.approximate {
        " (approximate)"
    } else {
        ""
    };
    field(
        "Date",
        &format!(
            "{} as written \"{}\"{approx}",
            e.date.display(),
            e.date.text
        ),
    );
    field("Time", e.time.as_deref().unwrap_or(""));
    field("Agency", &row.agency_code);
    field("Subjects", &e.subjects);
    field("Source", &e.source_ref);
    field("Event", &e.event);
    field("Action / outcome", &e.action_outcome);
    field("Risk: DASH", &e.risk_dash);
    field("Risk: MARAC", &e.risk_marac);
    field("Agency comment", &e.agency_comment);
    field("Panel analysis", &e.panel_analysis);
    let flags: Vec<&str> = [
        (e.key_event, "key event"),
        (e.missed_opportunity, "missed opportunity"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    field("Flags", &flags.join(", "));
    field("Terms of reference", &terms.join("; "));
    for (name, value) in &e.extra {
        field(name, value);
    }
    match &e.provenance {
        Some(p) => field(
            "Imported from",
            &format!(
                "{}, line {}, on {}",
                p.file_name,
                p.line,
                p.imported_at.get(..10).unwrap_or(&p.imported_at)
            ),
        ),
        None => field("Entered", "in DHR Panel"),
    }
    lines
}

/// The silent periods of all agencies or one, longest first.
fn draw_silences(
    app: &App,
    view: &SilentPeriods,
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    let SilentPeriods {
        agency_index,
        selected,
    } = *view;
    let Some(ws) = &app.workspace else { return };
    let who = agency_index
        .checked_sub(1)
        .and_then(|i| ws.agencies.all.get(i))
        .map_or("all agencies".to_string(), |a| safe(&a.agency.name));
    let mut lines = vec![Line::from(vec![
        Span::raw("Silent periods of the review period, "),
        Span::styled(who, theme.title()),
        Span::styled(crate::ui::key_names(theme, "   (← → agency)"), theme.dim()),
    ])];
    lines.push(Line::from(""));
    match &ws.timeline.silences {
        Some((_, report)) if report.periods.is_empty() => lines.push(Line::from(
            "No stretch of four weeks or more without recorded contact.",
        )),
        Some((_, report)) => {
            for (i, period) in report.periods.iter().take(40).enumerate() {
                let marker = if i == selected {
                    theme.selection_marker()
                } else {
                    " "
                };
                let style = if i == selected {
                    theme.selected()
                } else {
                    ratatui::style::Style::default()
                };
                let text = if theme.ascii {
                    period.describe().replace('–', "-")
                } else {
                    period.describe()
                };
                lines.push(Line::from(Span::styled(format!("{marker} {text}"), style)));
            }
            if report.loosely_dated + report.undated > 0 {
                lines.push(Line::from(""));
                lines.push(Line::from(Span::styled(
                    format!(
                        "Not placed: {} entries dated only to a season, a year or a range, and {} undated; a silence may hide one of them.",
                        report.loosely_dated, report.undated
                    ),
                    theme.dim(),
                )));
            }
        }
        None => lines.push(Line::from("Not worked out yet.")),
    }
    let popup = centered(area, 84, (lines.len() as u16 + 4).max(8));
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block(theme, "Silent periods".into(), true))
            .wrap(Wrap { trim: false }),
        popup,
    );
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
