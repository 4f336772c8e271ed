//! Drawing: `view(&App, &mut Frame)` reads the state and never changes it. Every string
//! that came from the database, an import, a paste or an error goes through
//! [`safe`] / [`safe_lines`] (the display sanitiser) on its way to the screen.

mod cover;
pub mod overlay;
mod panes;
pub mod svg;
pub mod theme;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Row, Table, Wrap};

use crate::app::overlay as dhr_overlay;
use crate::app::{App, Pane, Place, keys};
use crate::domain::text::{one_line, sanitize};
pub use theme::Theme;

/// The smallest terminal the workspace draws in; below it, a one-line message.
pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 12;

/// Untrusted text for one line (a cell, a title): sanitised, line breaks as spaces.
pub fn safe(text: &str) -> String {
    one_line(text)
}

/// Untrusted multi-line text: sanitised, line breaks kept.
pub fn safe_lines(text: &str) -> Text<'static> {
    Text::from(
        sanitize(text)
            .split('\n')
            .map(|l| Line::from(l.to_string()))
            .collect::<Vec<_>>(),
    )
}

/// A day in the short UK form used in tables.
pub fn short_date(theme: &Theme, day: Option<NaiveDate>) -> String {
    match day {
        Some(d) => d.format("%d %b %Y").to_string(),
        None => theme.none().to_string(),
    }
}

/// The first row to draw so that `selected` stays in view, near the middle when it can.
pub fn window_start(selected: usize, len: usize, height: usize) -> usize {
    if height == 0 || len <= height {
        return 0;
    }
    selected.saturating_sub(height / 2).min(len - height)
}

/// A bordered block with a title, in the theme's glyphs.
pub fn block(theme: &Theme, title: String, focused: bool) -> Block<'static> {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .title(Span::styled(format!(" {title} "), theme.title()));
    if focused {
        block.border_style(theme.focus_border())
    } else {
        block
    }
}

/// Draws a table of `rows` (already cut to the visible window) with the selection marked
/// by reverse video and the `>` marker. (Each argument is one part of the table; a struct
/// to hold them would only be built to be taken apart here.)
#[allow(clippy::too_many_arguments)]
pub fn draw_table(
    frame: &mut Frame<'_>,
    area: Rect,
    theme: &Theme,
    block: Block<'static>,
    header: Vec<&'static str>,
    widths: Vec<Constraint>,
    rows: Vec<Row<'static>>,
    selected: Option<usize>,
) {
    let mut state = ratatui::widgets::TableState::default();
    state.select(selected);
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.column_heading()))
        .block(block)
        .column_spacing(1)
        .row_highlight_style(theme.selected())
        .highlight_symbol(format!("{} ", theme.selection_marker()))
        .highlight_spacing(ratatui::widgets::HighlightSpacing::Always);
    frame.render_stateful_widget(table, area, &mut state);
}

/// Key names as the theme can draw them.
pub(crate) fn key_names(theme: &Theme, keys: &str) -> String {
    if theme.ascii {
        keys.replace('↑', "Up")
            .replace('↓', "Down")
            .replace('←', "Left")
            .replace('→', "Right")
    } else {
        keys.to_string()
    }
}

/// Draws the whole workspace for the current state.
pub fn view(app: &App, frame: &mut Frame<'_>) {
    let theme = Theme::new(&app.options);
    let area = frame.area();
    if app.covered {
        cover::draw(app, &theme, frame);
        return;
    }
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let long = format!(
            "Terminal too small ({}x{}): DHR Panel needs at least {MIN_WIDTH}x{MIN_HEIGHT}. Enlarge the window, or q to quit.",
            area.width, area.height
        );
        let short = format!(
            "Too small: {}x{}, need {MIN_WIDTH}x{MIN_HEIGHT}",
            area.width, area.height
        );
        let text = if long.chars().count() <= area.width as usize {
            long
        } else {
            short
        };
        frame.render_widget(
            Paragraph::new(text).style(theme.error()),
            Rect {
                height: 1.min(area.height),
                ..area
            },
        );
        return;
    }
    // A status message longer than the screen is wide wraps to a second row (all of it
    // is in the message log, F2).
    let footer_height = match &app.status {
        Some(s) if safe(&s.text).chars().count() + 1 > usize::from(area.width) => 2,
        _ => 1,
    };
    let [header, tabs, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(footer_height),
    ])
    .areas(area);
    draw_header(app, &theme, frame, header);
    match &app.workspace {
        Some(ws) => {
            draw_tabs(ws.pane, &theme, frame, tabs);
            panes::draw(app, ws, &theme, frame, body);
        }
        None => {
            let [_, list] = Layout::vertical([Constraint::Length(0), Constraint::Min(1)])
                .areas(tabs.union(body));
            panes::draw_case_list(app, &theme, frame, list);
        }
    }
    draw_footer(app, &theme, frame, footer);
    // Bottom to top: the help, when open, over the window it describes.
    for overlay in app.overlays.iter() {
        match overlay {
            dhr_overlay::Overlay::Help(help) => draw_help(app, help.scroll, &theme, frame, area),
            other => overlay::draw(app, other, &theme, frame, body),
        }
    }
}

/// The header's left part, from the most to the least detailed, for the width there is.
fn header_variants(app: &App, theme: &Theme) -> Vec<(String, String)> {
    let Some(ws) = &app.workspace else {
        return vec![(" DHR Panel".to_string(), String::new())];
    };
    let c = &ws.case;
    let sep = theme.sep();
    let full = ws.clock.headline();
    let compact = ws.clock.compact_headline();
    let reference = safe(&c.reference);
    let stage = c.stage.to_string();
    let short_stage = stage.split(" (").next().unwrap_or(&stage).to_string();
    vec![
        (
            format!(" {reference}{sep}{}{sep}{stage}{sep}", c.kind),
            full.clone(),
        ),
        (
            format!(" {reference}{sep}{}{sep}{stage}{sep}", c.kind),
            compact.clone(),
        ),
        (
            format!(" {reference}{sep}{}{sep}{short_stage}{sep}", c.kind),
            compact.clone(),
        ),
        (
            format!(" {reference}{sep}{short_stage}{sep}"),
            compact.clone(),
        ),
        (format!(" {reference}{sep}"), compact),
    ]
}

/// The protective marking shown on the header's right: the open case's, else the default.
fn marking(app: &App) -> String {
    match &app.workspace {
        Some(ws) => safe(&ws.case.marking),
        None => crate::domain::model::DEFAULT_MARKING.to_string(),
    }
}

fn draw_header(app: &App, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let marking = marking(app);
    let clock_style = match &app.workspace {
        Some(ws) if ws.clock.is_overdue() => theme
            .overdue()
            .patch(theme.header())
            .fg(theme.overdue_colour()),
        _ => theme.header(),
    };
    // The marking always shows in full; the rest gives way from the right.
    let marking_width = marking.chars().count() as u16 + 2;
    let room = area.width.saturating_sub(marking_width) as usize;
    let variants = header_variants(app, theme);
    let (left, clock) = variants
        .iter()
        .find(|(l, c)| l.chars().count() + c.chars().count() <= room)
        .cloned()
        .unwrap_or_else(|| {
            let (l, c) = variants.last().cloned().unwrap_or_default();
            let text: String = format!("{l}{c}");
            let cut: String = text.chars().take(room.saturating_sub(1)).collect();
            (format!("{cut}{}", theme.ellipsis()), String::new())
        });
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Min(1), Constraint::Length(marking_width)]).areas(area);
    frame.render_widget(Block::default().style(theme.header()), area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(left, theme.header()),
            Span::styled(clock, clock_style),
        ]))
        .style(theme.header()),
        left_area,
    );
    frame.render_widget(
        Paragraph::new(Span::styled(format!("{marking} "), theme.marking()))
            .alignment(ratatui::layout::Alignment::Right),
        right_area,
    );
}

fn draw_tabs(current: Pane, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    // The last label's trailing space may fall off the edge.
    let full: usize = Pane::ALL
        .iter()
        .map(|p| p.title().chars().count() + 4)
        .sum::<usize>();
    // Narrow terminals get the first four letters of each pane; the digits still lead.
    let narrow = full > area.width as usize;
    let mut spans = vec![Span::raw(" ")];
    for pane in Pane::ALL {
        let title: String = if narrow {
            pane.title().chars().take(4).collect()
        } else {
            pane.title().to_string()
        };
        let label = format!(" {} {title} ", pane.index() + 1);
        if pane == current {
            spans.push(Span::styled(label, theme.active_tab()));
        } else {
            spans.push(Span::raw(label));
        }
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_footer(app: &App, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    if let Some(status) = &app.status {
        let style = if status.is_error {
            theme.error()
        } else {
            theme.info()
        };
        frame.render_widget(
            Paragraph::new(Span::styled(format!(" {}", safe(&status.text)), style))
                .wrap(Wrap { trim: false }),
            area,
        );
        return;
    }
    // Keys of the place first; help and quit (or close) always stay, others give way.
    let items: Vec<(&str, &str)> = keys::bindings(app.place())
        .into_iter()
        .filter_map(|b| b.footer)
        .collect();
    let essential = |key: &str| matches!(key, "?" | "q" | "Esc");
    // Measured as drawn: in ASCII the arrows are words ("Up Down").
    let width = |(k, w): &(&str, &str)| key_names(theme, k).chars().count() + w.chars().count() + 3;
    let mut room =
        (area.width as usize).saturating_sub(1 + if app.options.read_only { 10 } else { 0 });
    for item in items.iter().filter(|(k, _)| essential(k)) {
        room = room.saturating_sub(width(item));
    }
    let mut shown = Vec::new();
    for item in &items {
        if essential(item.0) {
            shown.push(*item);
        } else if width(item) <= room {
            room -= width(item);
            shown.push(*item);
        }
    }
    let mut spans = vec![Span::raw(" ")];
    for (key, words) in shown {
        spans.push(Span::styled(key_names(theme, key), theme.key()));
        spans.push(Span::raw(format!(" {words}  ")));
    }
    if app.options.read_only {
        spans.push(Span::styled("read-only".to_string(), theme.error()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Words of `text` in rows of at most `width` characters (a longer word is cut).
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut rows: Vec<String> = Vec::new();
    let mut row = String::new();
    for word in text.split_whitespace() {
        let mut word: String = word.to_string();
        while word.chars().count() > width {
            if !row.is_empty() {
                rows.push(std::mem::take(&mut row));
            }
            let head: String = word.chars().take(width).collect();
            word = word.chars().skip(width).collect();
            rows.push(head);
        }
        let len = row.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width {
            rows.push(std::mem::take(&mut row));
        }
        if !row.is_empty() {
            row.push(' ');
        }
        row.push_str(&word);
    }
    if !row.is_empty() || rows.is_empty() {
        rows.push(row);
    }
    rows
}

/// Help's last line: what the display was chosen to be and why (from the environment,
/// so sanitised), on one line where `inner` columns hold it, else on two.
fn display_note(app: &App, inner: usize) -> Vec<String> {
    let parts: Vec<String> = app
        .options
        .display
        .split('\n')
        .map(safe)
        .filter(|p| !p.is_empty())
        .collect();
    let one = format!(" {}", parts.join(" "));
    if parts.is_empty() {
        Vec::new()
    } else if one.chars().count() <= inner {
        vec![one]
    } else {
        // The second part under the first one's words, after "Display: ".
        let indent = " ".repeat("Display: ".len());
        parts
            .iter()
            .enumerate()
            .map(|(i, p)| format!(" {}{p}", if i == 0 { "" } else { &indent }))
            .collect()
    }
}

fn draw_help(app: &App, scroll: u16, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let under = app.place_under_help();
    let title = match under {
        Place::Pane(p) => format!("Keys: {} pane", p.title()),
        Place::CaseList => "Keys: case list".to_string(),
        Place::Minuting => "Keys: minutes of a meeting".to_string(),
        Place::MinutesInput => "Keys: the minutes input".to_string(),
        Place::CaseView => "Keys: the case".to_string(),
        Place::Review => "Keys: the publication check's review list".to_string(),
        _ => "Keys".to_string(),
    };
    // The key column is as wide as this place's longest key (at most 26 columns, then
    // the description wraps under itself), so no key runs into its text.
    let width = 100.min(area.width);
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let bindings = keys::bindings(under);
    let longest = bindings
        .iter()
        .map(|b| key_names(theme, b.keys).chars().count())
        .max()
        .unwrap_or(0);
    let key_width = (longest + 2).min(26).min(inner / 2);
    let text_width = inner.saturating_sub(key_width + 1).max(10);
    let mut lines: Vec<Line<'static>> = Vec::new();
    for b in bindings {
        let name = key_names(theme, b.keys);
        let mut first = true;
        // A key longer than the column stands on its own row; its text starts below.
        if name.chars().count() + 1 > key_width {
            lines.push(Line::from(Span::styled(format!(" {name}"), theme.key())));
            first = false;
        }
        for part in wrap_words(&key_names(theme, b.what), text_width) {
            let lead = if first {
                Span::styled(format!(" {name:<w$}", w = key_width), theme.key())
            } else {
                Span::raw(" ".repeat(key_width + 1))
            };
            first = false;
            lines.push(Line::from(vec![lead, Span::raw(part)]));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        " Every change is saved as it is made; leaving asks only if it could not be.".to_string(),
        theme.dim(),
    )));
    lines.extend(
        display_note(app, inner)
            .into_iter()
            .map(|l| Line::from(Span::styled(l, theme.dim()))),
    );
    // As wide as the screen allows (up to 100), as tall as the wrapped lines need.
    let rows: usize = lines
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|s| s.content.chars().count())
                .sum::<usize>()
                .max(1)
                .div_ceil(inner)
        })
        .sum();
    let height = (rows as u16 + 2).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block(theme, title, true))
            .wrap(Wrap { trim: false })
            .scroll((
                scroll.min(rows.saturating_sub(usize::from(height.saturating_sub(2))) as u16),
                0,
            ))
            .style(Style::default()),
        popup,
    );
}
