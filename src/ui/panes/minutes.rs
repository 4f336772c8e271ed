//! The meetings of the case and the minutes of the selected one.

use std::hash::{DefaultHasher, Hash, Hasher};

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use super::{list_block, visible};
use crate::app::panes::minutes::{Minuting, SidePane};
use crate::app::{App, Workspace};
use crate::domain::model::{Minute, MinuteKind};
use crate::domain::text::sanitize;
use crate::ui::{Theme, block, draw_table, safe};

pub fn draw(app: &App, ws: &Workspace, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    if let Some(m) = &ws.minutes.session {
        draw_minuting(app, ws, m, theme, frame, area);
        return;
    }
    let cursor = &ws.minutes.cursor;
    let title = format!("Meetings: {}", ws.minutes.meetings.len());
    let list_height = (ws.minutes.meetings.len() as u16 + 3).clamp(5, area.height / 2);
    let [list_area, minutes_area] =
        Layout::vertical([Constraint::Length(list_height), Constraint::Min(3)]).areas(area);
    let meetings = ws.minutes.rows();
    let (slice, selected, _) = visible(&meetings, cursor.selected, list_area.height);
    let rows: Vec<Row<'static>> = slice
        .iter()
        .map(|m| {
            let mt = &m.meeting;
            let time = if mt.end_time.is_empty() {
                mt.start_time.clone()
            } else {
                format!("{}-{}", mt.start_time, mt.end_time)
            };
            Row::new(vec![
                Cell::from(mt.number.to_string()),
                Cell::from(mt.date.format("%d %b %Y").to_string()),
                Cell::from(safe(&time)),
                Cell::from(safe(&mt.place)),
                Cell::from(mt.status.label()),
                Cell::from(m.present.to_string()),
                Cell::from(m.minutes.to_string()),
            ])
        })
        .collect();
    draw_table(
        frame,
        list_area,
        theme,
        list_block(app, theme, title, &cursor.filter),
        vec!["No", "Date", "Time", "Place", "Status", "Present", "Lines"],
        vec![
            Constraint::Length(3),
            Constraint::Length(11),
            Constraint::Length(11),
            Constraint::Fill(1),
            Constraint::Length(11),
            Constraint::Length(7),
            Constraint::Length(5),
        ],
        rows,
        selected,
    );
    let Some(selected) = ws.minutes.selected() else {
        frame.render_widget(
            Paragraph::new("").block(block(theme, "No meeting".into(), false)),
            minutes_area,
        );
        return;
    };
    let mut lines: Vec<Line<'static>> = Vec::new();
    for item in &ws.minutes.agenda {
        lines.push(Line::from(Span::styled(
            format!("{}. {}", item.position, safe(&item.title)),
            theme.title(),
        )));
        for minute in ws
            .minutes
            .minutes
            .iter()
            .filter(|m| m.agenda_item_id == item.id)
        {
            let time = crate::time::parse_stamp(&minute.minuted_at)
                .map(|t| app.clock.to_local(t).format("%H:%M").to_string())
                .unwrap_or_default();
            let kind = match minute.kind {
                MinuteKind::Note => String::new(),
                k => format!("{} ", k.label()),
            };
            let text = sanitize(&minute.text).into_owned();
            for (i, part) in text.split('\n').enumerate() {
                let lead = if i == 0 {
                    format!("  {time:<5}  ")
                } else {
                    " ".repeat(9)
                };
                let label = if i == 0 { kind.clone() } else { String::new() };
                lines.push(Line::from(vec![
                    Span::styled(lead, theme.dim()),
                    Span::styled(label, theme.key()),
                    Span::raw(part.to_string()),
                ]));
            }
        }
    }
    if lines.is_empty() {
        lines.push(Line::from("No agenda yet."));
    }
    let mt = &selected.meeting;
    let mut title = format!(
        "Meeting {}{}{}{}{}",
        mt.number,
        theme.sep(),
        mt.date.format("%d %b %Y"),
        theme.sep(),
        mt.status.label()
    );
    if !mt.minute_taker.trim().is_empty() {
        title.push_str(&format!(
            "{}minute taker {}",
            theme.sep(),
            safe(mt.minute_taker.trim())
        ));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block(theme, title, false))
            .wrap(Wrap { trim: false }),
        minutes_area,
    );
}

/// How many screen rows a line of text takes at `width` columns, wrapped at words as the
/// paragraph draws it (a long word or a wide character can take a row more than its
/// width divided by the columns), so the newest line is never half under the border.
fn rows_of(line: &Line<'_>, width: u16) -> usize {
    Paragraph::new(line.clone())
        .wrap(Wrap { trim: false })
        .line_count(width.max(1))
        .max(1)
}

/// The lines of one minute: time, kind and text, continuation lines indented.
fn minute_lines(app: &App, minute: &Minute, theme: &Theme, selected: bool) -> Vec<Line<'static>> {
    let time = crate::time::parse_stamp(&minute.minuted_at)
        .map(|t| app.clock.to_local(t).format("%H:%M").to_string())
        .unwrap_or_default();
    let kind = match minute.kind {
        MinuteKind::Note => String::new(),
        k => format!("{} ", k.label()),
    };
    let marker = if selected {
        theme.selection_marker()
    } else {
        " "
    };
    let style = if selected {
        theme.selected()
    } else {
        ratatui::style::Style::default()
    };
    let text = sanitize(&minute.text).into_owned();
    text.split('\n')
        .enumerate()
        .map(|(i, part)| {
            let lead = if i == 0 {
                format!("{marker}{time:<5}  ")
            } else {
                " ".repeat(8)
            };
            let label = if i == 0 { kind.clone() } else { String::new() };
            Line::from(vec![
                Span::styled(lead, if selected { style } else { theme.dim() }),
                Span::styled(label, theme.key()),
                Span::styled(part.to_string(), style),
            ])
        })
        .collect()
}

fn draw_minuting(
    app: &App,
    ws: &Workspace,
    m: &Minuting,
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    // Rows the typed text takes once soft-wrapped. The box keeps three rows at least, so
    // typing a long line wraps inside it instead of moving everything above (which would
    // redraw the whole screen for one keystroke), and grows only beyond that.
    let inner_width = usize::from(area.width.saturating_sub(2)).max(1);
    let input_rows: usize = m
        .input
        .lines()
        .iter()
        .map(|l| l.width().max(1).div_ceil(inner_width))
        .sum();
    let input_height = (input_rows as u16 + 2)
        .clamp(5, 8)
        .min(area.height.saturating_sub(6).max(3));
    // The message under the input wraps to a second row when it is longer than the screen
    // is wide (all of it is in the message log, F2).
    let status = status_line(app, m, theme);
    let status_height = if status.width() > usize::from(area.width) {
        2
    } else {
        1
    };
    let [main, input_area, status_area] = Layout::vertical([
        Constraint::Min(3),
        Constraint::Length(input_height),
        Constraint::Length(status_height),
    ])
    .areas(area);
    // From about 160 columns, a second pane stays beside the minutes.
    let (main, side) = if area.width >= 160 {
        let [main, side] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(area.width / 2)])
                .areas(main);
        (main, Some(side))
    } else {
        (main, None)
    };
    let agenda_width = (main.width / 3).clamp(16, 30);
    let [agenda_area, minutes_area] =
        Layout::horizontal([Constraint::Length(agenda_width), Constraint::Fill(1)]).areas(main);

    // The agenda and the item's lines: laid out again only when something they show
    // changed, not for a key typed into the input (see `DrawnCells`). Beside a second
    // pane (from 160 columns) they are drawn each frame.
    match side {
        None => {
            let key = boxes_key(app, ws, m, theme, main);
            m.drawn.draw(key, frame.buffer_mut(), main, |buf| {
                draw_boxes(app, ws, m, theme, buf, agenda_area, minutes_area)
            });
        }
        Some(_) => {
            // Nothing kept for a width that does not use it.
            m.drawn.forget();
            draw_boxes(
                app,
                ws,
                m,
                theme,
                frame.buffer_mut(),
                agenda_area,
                minutes_area,
            )
        }
    }

    if let Some(side) = side {
        match m.side {
            SidePane::Agencies => super::agencies::draw(app, ws, theme, frame, side),
            SidePane::Challenges => super::challenges::draw(app, ws, theme, frame, side),
        }
    }

    let locked = m.locked();
    let input_title = if locked {
        "Approved and locked: amendments are recorded at a later meeting".to_string()
    } else if m.focused && m.refused {
        crate::ui::key_names(
            theme,
            "Refused: type to replace it, ← → to edit it, Esc clears it",
        )
    } else if m.focused {
        "Minute (Enter saves, Ctrl-J new line, Esc leaves)".to_string()
    } else {
        "Minute (i or Enter to type)".to_string()
    };
    // The box is drawn around the text area rather than given to it, so the text area
    // is drawn as it is, without a copy each frame; the box changes with its title and
    // focus only, so its cells are kept between keys too.
    let mut h = DefaultHasher::new();
    (
        input_area.x,
        input_area.y,
        input_area.width,
        input_area.height,
    )
        .hash(&mut h);
    (theme.mono, theme.ascii, m.focused, m.refused, &input_title).hash(&mut h);
    let input_block = block(theme, input_title, m.focused);
    let input_block = if m.focused && m.refused {
        input_block.border_style(theme.error())
    } else {
        input_block
    };
    let inner = input_block.inner(input_area);
    m.drawn_input
        .draw(h.finish(), frame.buffer_mut(), input_area, |buf| {
            input_block.render(input_area, buf)
        });
    frame.render_widget(&m.input, inner);
    if m.focused {
        let cursor = m.input.screen_cursor();
        let (top, left) = m.input.scroll_offset();
        let row = (cursor.row as u16).saturating_sub(top);
        let col = (cursor.col as u16).saturating_sub(left);
        if row < inner.height && col < inner.width {
            frame.set_cursor_position(Position {
                x: inner.x + col,
                y: inner.y + row,
            });
        }
    }

    frame.render_widget(
        Paragraph::new(status).wrap(Wrap { trim: false }),
        status_area,
    );
}

/// The agenda (the current item marked) and the current item's lines, with this seat's
/// lines waiting and, under the action log item, the actions still open.
fn draw_boxes(
    app: &App,
    ws: &Workspace,
    m: &Minuting,
    theme: &Theme,
    buf: &mut Buffer,
    agenda_area: Rect,
    minutes_area: Rect,
) {
    let mt = &m.meeting;
    let agenda_lines: Vec<Line<'static>> = m
        .agenda
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let current = i == m.item;
            let marker = if current {
                theme.selection_marker()
            } else {
                " "
            };
            let style = if current {
                theme.selected()
            } else {
                ratatui::style::Style::default()
            };
            Line::from(Span::styled(
                format!("{marker}{:>2} {}", item.position, safe(&item.title)),
                style,
            ))
        })
        .collect();
    let agenda_title = format!("Meeting {}{}{}", mt.number, theme.sep(), mt.status.label());
    // Keep the current item in view.
    let agenda_rows = agenda_area.height.saturating_sub(2) as usize;
    let agenda_scroll = m.item.saturating_sub(agenda_rows.saturating_sub(1)) as u16;
    Paragraph::new(agenda_lines)
        .block(block(theme, agenda_title, !m.focused))
        .scroll((agenda_scroll, 0))
        .render(agenda_area, buf);

    let item_title = m
        .current_item()
        .map(|i| format!("{}. {}", i.position, safe(&i.title)))
        .unwrap_or_else(|| "No agenda item".to_string());
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut selected_row = None;
    for (i, minute) in m.item_minutes().iter().enumerate() {
        let selected = m.selected == Some(i);
        if selected {
            selected_row = Some(lines.len());
        }
        lines.extend(minute_lines(app, minute, theme, selected));
    }
    // This seat's lines waiting for the database, after the written ones, marked.
    let item_id = m.current_item().map(|i| i.id);
    for waiting in app
        .seat
        .waiting
        .iter()
        .filter(|w| w.meeting_id == m.meeting.id && Some(w.item_id) == item_id)
    {
        lines.push(Line::from(Span::styled(
            format!("waiting  {}", safe(&waiting.text)),
            theme.dim(),
        )));
    }
    // Under the action log item, the actions still open or carried forward from earlier
    // meetings, so the panel can review them without leaving the minutes.
    let is_action_review = m
        .current_item()
        .is_some_and(|i| i.title.to_lowercase().contains("action"));
    if is_action_review {
        let earlier: Vec<_> = ws
            .actions
            .actions
            .iter()
            .filter(|a| a.record.status != crate::domain::model::ActionStatus::Done)
            .filter(|a| a.meeting_number.is_some_and(|n| n < m.meeting.number))
            .collect();
        if !earlier.is_empty() {
            let mut review = vec![Line::from(Span::styled(
                format!(
                    "Open and carried-forward actions from earlier meetings: {}",
                    earlier.len()
                ),
                theme.title(),
            ))];
            for a in earlier {
                let late = a.record.due_on.is_some_and(|d| d < app.today);
                let marker = if late { theme.overdue_marker() } else { " " };
                let due = a
                    .record
                    .due_on
                    .map(|d| d.format("%d %b").to_string())
                    .unwrap_or_default();
                let style = if late { theme.overdue() } else { theme.dim() };
                review.push(Line::from(Span::styled(
                    format!(
                        "{marker} {} · {} · due {due} · {}",
                        safe(&a.record.owner),
                        a.record.status.label(),
                        safe(&a.record.text)
                    ),
                    style,
                )));
            }
            review.push(Line::from(""));
            if let Some(at) = selected_row.as_mut() {
                *at += review.len();
            }
            review.extend(lines);
            lines = review;
        }
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "No lines yet under this item.".to_string(),
            theme.dim(),
        )));
    }
    let inner_width = minutes_area.width.saturating_sub(2);
    let inner_height = usize::from(minutes_area.height.saturating_sub(2));
    let rows: Vec<usize> = lines.iter().map(|l| rows_of(l, inner_width)).collect();
    let total: usize = rows.iter().sum();
    // Follow the newest line (or as far back as PgUp went while typing); a selected line
    // is kept in view instead.
    let scroll = match selected_row {
        Some(at) => {
            let before: usize = rows[..at].iter().sum();
            before
                .saturating_sub(inner_height / 2)
                .min(total.saturating_sub(inner_height))
        }
        None => total
            .saturating_sub(inner_height)
            .saturating_sub(m.scroll_back),
    };
    let item_title = if m.scroll_back > 0 && scroll < total.saturating_sub(inner_height) {
        format!("scrolled back (PgDn){}{item_title}", theme.sep())
    } else {
        item_title
    };
    Paragraph::new(lines)
        .block(block(theme, item_title, false))
        .wrap(Wrap { trim: false })
        .scroll((scroll as u16, 0))
        .render(minutes_area, buf);
}

/// A fingerprint of everything `draw_boxes` reads: the area, the theme, the meeting, the
/// agenda, where the view is (item, selection, scrolling, focus), the item's lines and
/// this seat's lines waiting under it, today, and the actions when the item reviews them.
fn boxes_key(app: &App, ws: &Workspace, m: &Minuting, theme: &Theme, area: Rect) -> u64 {
    let mut h = DefaultHasher::new();
    (area.x, area.y, area.width, area.height).hash(&mut h);
    (theme.mono, theme.ascii, app.today).hash(&mut h);
    (m.focused, m.item, m.selected, m.scroll_back).hash(&mut h);
    (m.meeting.id, m.meeting.number, m.meeting.status.label()).hash(&mut h);
    for item in &m.agenda {
        (item.id, item.position, &item.title).hash(&mut h);
    }
    let item = m.current_item();
    let item_id = item.map(|i| i.id);
    for minute in m
        .minutes
        .iter()
        .filter(|x| Some(x.agenda_item_id) == item_id)
    {
        let kind = minute.kind.label();
        (minute.id, &minute.minuted_at, kind, &minute.text).hash(&mut h);
    }
    for waiting in app
        .seat
        .waiting
        .iter()
        .filter(|w| w.meeting_id == m.meeting.id && Some(w.item_id) == item_id)
    {
        waiting.text.hash(&mut h);
    }
    if item.is_some_and(|i| i.title.to_lowercase().contains("action")) {
        for a in &ws.actions.actions {
            let r = &a.record;
            (r.id, r.status.label(), r.due_on, &r.owner, &r.text).hash(&mut h);
            a.meeting_number.hash(&mut h);
        }
    }
    h.finish()
}

/// The line under the input: an error, the lines waiting, a message, what is saved.
fn status_line(app: &App, m: &Minuting, theme: &Theme) -> Line<'static> {
    let waiting = app.seat.waiting.len();
    match &m.message {
        Some((text, true)) => Line::from(Span::styled(format!(" {}", safe(text)), theme.error())),
        _ if waiting > 0 => Line::from(Span::styled(
            format!(
                " {waiting} line{} waiting, held by {}: keep typing, they go in order when it is free",
                if waiting == 1 { "" } else { "s" },
                safe(app.seat.holder.as_deref().unwrap_or("another user"))
            ),
            theme.error(),
        )),
        Some((text, false)) => {
            let mut spans = vec![Span::styled(format!(" {}", safe(text)), theme.info())];
            spans.extend(saved_spans(app, m, theme));
            Line::from(spans)
        }
        None => Line::from(saved_spans(app, m, theme)),
    }
}

fn saved_spans(app: &App, m: &Minuting, theme: &Theme) -> Vec<Span<'static>> {
    let mut parts = Vec::new();
    if !app.seat.others_here.is_empty() {
        let names: Vec<String> = app
            .seat
            .others_here
            .iter()
            .map(|n| safe(n).to_string())
            .collect();
        parts.push(format!("also here: {}", names.join(", ")));
    }
    if let Some(at) = &m.saved_at {
        parts.push(format!("saved {at}"));
    }
    if let Some(at) = &m.draft_saved_at {
        // No time here: a clock ticking on the status line would cost bytes every second.
        let _ = at;
        parts.push("draft autosaved".to_string());
    }
    if parts.is_empty() {
        return Vec::new();
    }
    vec![Span::styled(
        format!(" {}", parts.join(theme.sep())),
        theme.dim(),
    )]
}
