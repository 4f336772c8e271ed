//! Windows drawn over a pane: a record's detail, forms, a yes / no question and reports;
//! a pane's own views (the silent periods…) are drawn by the pane. Read-only like every
//! view; forms place the terminal's own cursor.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::{Theme, block, safe, safe_lines};
use crate::app::form::Form;
use crate::app::{App, Overlay};

/// A box `width` x `height` centred in `area` (clipped to it).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

pub fn draw(app: &App, overlay: &Overlay, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    match overlay {
        Overlay::View(view) => super::panes::draw_view(app, view, theme, frame, area),
        Overlay::Report(report) => {
            let lines = safe_lines(&report.text).lines;
            text_box(
                frame,
                area,
                theme,
                safe(&report.title),
                lines,
                report.scroll,
            );
        }
        Overlay::Confirm(q) => draw_question(theme, frame, area, q),
        Overlay::Conflict(c) => draw_conflict(theme, frame, area, c),
        Overlay::Review(r) => draw_review(theme, frame, area, r),
        Overlay::Form(o) => draw_form(&o.form, theme, frame, area),
        Overlay::Chooser(c) => {
            let labels: Vec<&str> = c.options.iter().map(String::as_str).collect();
            draw_chooser(theme, frame, area, &c.title, &labels, c.selected);
        }
        // Drawn by the caller over the whole screen.
        Overlay::Help(_) => {}
    }
}

/// A yes / no question: the question (untrusted text, sanitised) and its two keys.
fn draw_question(
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
    q: &crate::app::overlay::Confirm,
) {
    let (title, question) = (&q.title, &q.question);
    let (yes, no) = q.words();
    let mut lines = safe_lines(question).lines;
    lines.push(Line::from(""));
    lines.push(Line::from(vec![
        Span::styled("y", theme.key()),
        Span::raw(format!(" {yes}   ")),
        Span::styled("n", theme.key()),
        Span::raw(format!(" {no}")),
    ]));
    // As tall as the question's lines wrap to (a long question is never cut).
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let rows = paragraph.line_count(76u16.min(area.width).saturating_sub(2));
    let popup = centered(
        area,
        76,
        u16::try_from(rows).unwrap_or(u16::MAX).saturating_add(4),
    );
    frame.render_widget(Clear, popup);
    frame.render_widget(paragraph.block(block(theme, safe(title), true)), popup);
}

/// A stale edit: who changed the record and when, theirs and yours (untrusted text,
/// sanitised), and the three ways on.
fn draw_conflict(
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
    c: &crate::app::overlay::Conflict,
) {
    let mut lines = safe_lines(&c.text).lines;
    lines.push(Line::from(vec![
        Span::styled("k", theme.key()),
        Span::raw(" keep yours   "),
        Span::styled("t", theme.key()),
        Span::raw(" take theirs   "),
        Span::styled("m", theme.key()),
        Span::raw(" merge by hand   "),
        Span::styled("Esc", theme.key()),
        Span::raw(" back to the form"),
    ]));
    let width = area.width.min(100);
    // Room for the wrapped lines, within the screen.
    let inner = usize::from(width.saturating_sub(2).max(1));
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    let height = u16::try_from(rows + 2).unwrap_or(u16::MAX);
    let popup = centered(area, width, height);
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block(theme, safe(&c.title), true))
            .wrap(Wrap { trim: false }),
        popup,
    );
}

/// A finding's kind in a short column.
fn kind_short(kind: crate::domain::publication::FindingKind) -> &'static str {
    use crate::domain::publication::FindingKind as K;
    match kind {
        K::Reference => "reference",
        K::Nhs => "NHS no.",
        K::NationalInsurance => "NI no.",
        K::DateOfBirth => "birth date",
        K::Address => "address",
        K::Postcode => "postcode",
        K::Phone => "phone",
        K::Email => "e-mail",
        K::Place => "place",
        K::Time => "time",
        K::LikeName => "like name",
    }
}

/// Text cut to `width` characters, ending in the theme's ellipsis when cut.
fn fit(text: &str, width: usize, theme: &Theme) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let ellipsis = theme.ellipsis();
    let keep = width.saturating_sub(ellipsis.chars().count());
    format!("{}{ellipsis}", text.chars().take(keep).collect::<String>())
}

/// The publication check's review list: a line saying what it is, one row per finding
/// (kind, its text, where it first is, how many times, the decision the store holds),
/// and what Enter and Esc do. Every text from the export through the sanitiser.
fn draw_review(
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
    review: &crate::app::overlay::Review,
) {
    use ratatui::layout::Constraint;
    use ratatui::widgets::{Cell, Row};
    let popup = area;
    frame.render_widget(Clear, popup);
    let title = format!(
        "Publication check: {} of {} findings decided",
        review.decided(),
        review.rows.len()
    );
    let outer = block(theme, title, true);
    let inner = outer.inner(popup);
    frame.render_widget(outer, popup);
    if inner.height < 4 || inner.width < 30 {
        return;
    }
    let width = usize::from(inner.width);
    let intro = "Not written yet: each finding needs a decision, recorded at once (audited).";
    frame.render_widget(
        Paragraph::new(Span::styled(fit(intro, width, theme), theme.dim())),
        Rect {
            x: inner.x,
            y: inner.y,
            width: inner.width,
            height: 1,
        },
    );
    let file = review
        .rerun
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // What Enter and Esc do, on two rows when one is too narrow.
    let end = format!(
        "Enter writes {} once all are decided. Esc closes; the decisions recorded stay.",
        safe(&file)
    );
    let end_rows: u16 = if end.chars().count() > width { 2 } else { 1 };
    frame.render_widget(
        Paragraph::new(Span::styled(end, theme.dim())).wrap(Wrap { trim: true }),
        Rect {
            x: inner.x,
            y: inner.y + inner.height - end_rows,
            width: inner.width,
            height: end_rows,
        },
    );
    // Columns: the kind short, the text taking what is left.
    let spare = width.saturating_sub(2 + 4);
    let (kind_w, count_w) = (10, 5);
    let where_w = (width / 5).clamp(12, 32);
    let decision_w = (width / 4).clamp(14, 40);
    let text_w = spare
        .saturating_sub(kind_w + count_w + where_w + decision_w)
        .max(8);
    let table_area = Rect {
        x: inner.x,
        y: inner.y + 1,
        width: inner.width,
        height: inner.height.saturating_sub(1 + end_rows),
    };
    let visible = usize::from(table_area.height.saturating_sub(1));
    let start = super::window_start(review.selected, review.rows.len(), visible);
    let rows: Vec<Row<'static>> = review
        .rows
        .iter()
        .skip(start)
        .take(visible)
        .map(|r| {
            let f = &r.finding;
            let text = if f.note.is_empty() {
                safe(&f.text)
            } else {
                format!("{} [{}]", safe(&f.text), safe(&f.note))
            };
            let section = if f.section.is_empty() {
                "start".to_string()
            } else {
                safe(&f.section)
            };
            let (decision, style) = match &r.decision {
                Some(v) => {
                    let words = crate::app::overlay::review::decision_words(v);
                    let words = if theme.ascii {
                        words.replace('→', "->")
                    } else {
                        words
                    };
                    (safe(&words), ratatui::style::Style::default())
                }
                None => ("undecided".to_string(), theme.key()),
            };
            Row::new(vec![
                Cell::from(kind_short(f.kind)),
                Cell::from(fit(&text, text_w, theme)),
                Cell::from(fit(&format!("line {}, {section}", f.line), where_w, theme)),
                Cell::from(format!("{:>4}", f.count)),
                Cell::from(Span::styled(fit(&decision, decision_w, theme), style)),
            ])
        })
        .collect();
    let widths = vec![
        Constraint::Length(kind_w as u16),
        Constraint::Length(text_w as u16),
        Constraint::Length(where_w as u16),
        Constraint::Length(count_w as u16),
        Constraint::Length(decision_w as u16),
    ];
    super::draw_table(
        frame,
        table_area,
        theme,
        ratatui::widgets::Block::default(),
        vec!["Kind", "Text", "Where first", "Times", "Decision"],
        widths,
        rows,
        Some(review.selected - start),
    );
}

/// A short numbered list to pick one from.
fn draw_chooser(
    theme: &Theme,
    frame: &mut Frame<'_>,
    area: Rect,
    title: &str,
    options: &[&str],
    selected: usize,
) {
    let mut lines: Vec<Line<'static>> = Vec::new();
    for (i, label) in options.iter().enumerate() {
        let focused = i == selected;
        let marker = if focused {
            theme.selection_marker()
        } else {
            " "
        };
        let style = if focused {
            theme.selected()
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::from(Span::styled(
            format!("{marker} {}  {}", i + 1, safe(label)),
            style,
        )));
    }
    if options.is_empty() {
        lines.push(Line::from("Nothing to choose from here."));
    }
    let width = options
        .iter()
        .map(|l| l.chars().count() as u16 + 8)
        .max()
        .unwrap_or(30)
        .max(40);
    let popup = centered(
        area,
        width.max(title.chars().count() as u16 + 6),
        lines.len() as u16 + 2,
    );
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(lines).block(block(theme, safe(title), true)),
        popup,
    );
}

/// A scrolled box of text as wide as it can be (up to 110 columns), as tall as `area`.
pub(crate) fn text_box(
    frame: &mut Frame<'_>,
    area: Rect,
    theme: &Theme,
    title: String,
    lines: Vec<Line<'static>>,
    scroll: u16,
) {
    let popup = centered(area, area.width.min(110), area.height);
    frame.render_widget(Clear, popup);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    // Never scrolled past its last row.
    let rows = paragraph.line_count(popup.width.saturating_sub(2));
    let last = rows.saturating_sub(usize::from(popup.height.saturating_sub(2)));
    let scroll = scroll.min(u16::try_from(last).unwrap_or(u16::MAX));
    frame.render_widget(
        paragraph
            .block(block(theme, title, true))
            .scroll((scroll, 0)),
        popup,
    );
}

/// Draws a form with the focused field's cursor placed where the next character goes.
pub fn draw_form(form: &Form, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let popup = area;
    frame.render_widget(Clear, popup);
    let outer = block(theme, safe(&form.title), true);
    let inner = outer.inner(popup);
    frame.render_widget(outer, popup);
    if inner.height < 3 || inner.width < 10 {
        return;
    }
    // Each field: a label line, its editor (3 lines when multi-line), and its error.
    let error_lines = |e: &Option<String>| -> u16 {
        e.as_ref().map_or(0, |e| {
            (e.chars().count() as u16 + 2)
                .div_ceil(inner.width.max(1))
                .min(3)
        })
    };
    let heights: Vec<u16> = form
        .fields
        .iter()
        .map(|f| 1 + if f.multiline { 3 } else { 1 } + error_lines(&f.error))
        .collect();
    // The form's message wraps onto up to three lines (a refusal names its dates).
    let footer = form.message.as_ref().map_or(0, |m| {
        (m.chars().count() as u16)
            .div_ceil(inner.width.max(1))
            .clamp(1, 3)
    });
    let room = inner.height.saturating_sub(footer);
    // Scroll so the focused field is in view.
    let mut first = 0;
    while first < form.focus {
        let used: u16 = heights[first..=form.focus].iter().sum();
        if used <= room {
            break;
        }
        first += 1;
    }
    let mut y = inner.y;
    for (i, field) in form.fields.iter().enumerate().skip(first) {
        if y + heights[i] > inner.y + room {
            break;
        }
        let focused = i == form.focus;
        let label_style = if focused { theme.key() } else { theme.dim() };
        let marker = if focused {
            theme.selection_marker()
        } else {
            " "
        };
        let hint = if field.hint.is_empty() {
            String::new()
        } else {
            format!("  ({})", field.hint)
        };
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(format!("{marker} {}", field.label), label_style),
                Span::styled(hint, theme.dim()),
            ])),
            Rect {
                x: inner.x,
                y,
                width: inner.width,
                height: 1,
            },
        );
        y += 1;
        let height = if field.multiline { 3 } else { 1 };
        let editor_area = Rect {
            x: inner.x + 2,
            y,
            width: inner.width.saturating_sub(2),
            height,
        };
        let style = if focused {
            theme
                .selected()
                .remove_modifier(ratatui::style::Modifier::BOLD)
        } else {
            theme.dim()
        };
        let mut editor = field.editor.clone();
        editor.set_style(style);
        frame.render_widget(&editor, editor_area);
        if focused {
            let cursor = editor.screen_cursor();
            let (top, left) = editor.scroll_offset();
            let row = (cursor.row as u16).saturating_sub(top);
            let col = (cursor.col as u16).saturating_sub(left);
            if row < height && col < editor_area.width {
                frame.set_cursor_position(Position {
                    x: editor_area.x + col,
                    y: editor_area.y + row,
                });
            }
        }
        y += height;
        if let Some(error) = &field.error {
            let lines = error_lines(&field.error);
            frame.render_widget(
                Paragraph::new(Span::styled(format!("  {}", safe(error)), theme.error()))
                    .wrap(Wrap { trim: false }),
                Rect {
                    x: inner.x,
                    y,
                    width: inner.width,
                    height: lines,
                },
            );
            y += lines;
        }
    }
    if let Some(message) = &form.message {
        let height = footer.min(inner.height);
        frame.render_widget(
            Paragraph::new(Span::styled(safe(message), theme.error())).wrap(Wrap { trim: false }),
            Rect {
                x: inner.x,
                y: inner.y + inner.height - height,
                width: inner.width,
                height,
            },
        );
    }
}
