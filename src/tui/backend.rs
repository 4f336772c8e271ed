//! A ratatui backend that writes only what changes on the terminal: it remembers where
//! the terminal's cursor is, which colours and attributes are in force and whether the
//! cursor is shown, and leaves out every move, style change and show/hide that would not
//! change anything. A typed letter then usually costs one byte on the wire — over SSH,
//! on a council link, every byte is latency.
//!
//! It is also the last word on what reaches a terminal that cannot show everything: on
//! a monochrome one no colour is ever written (whatever a cell asks for), on one of eight
//! colours the bright ones are written as their basic ones, and on an ASCII one every
//! other character is written as `?` (one for each column it takes, so nothing after it
//! moves): no byte over 0x7F leaves, whatever the text holds.

use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

use crate::app::Colours;

/// Colours and attributes, as the terminal has them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

impl Pen {
    const DEFAULT: Pen = Pen {
        fg: Color::Reset,
        bg: Color::Reset,
        modifier: Modifier::empty(),
    };
}

/// The backend; `W` is buffered by the caller so that a frame is one write.
pub struct LeanBackend<W: Write> {
    out: W,
    /// Where the terminal's cursor is, when known.
    cursor: Option<Position>,
    /// The pen in force, when known.
    pen: Option<Pen>,
    /// Whether the cursor is shown, when known.
    visible: Option<bool>,
    /// The screen width, to know when printing leaves the cursor somewhere uncertain.
    width: u16,
    /// What each cell of the screen shows, as far as this backend wrote it: lets a short
    /// move to the right be made by printing the cells passed over (a byte each).
    shadow: Vec<Option<(String, Pen)>>,
    /// The terminal's size, read once and again after each resize (not every frame).
    size: Option<Size>,
    /// Whether the screen was cleared since the shadow was last forgotten, so that cells
    /// never written since are blanks in the default pen.
    blank: bool,
    /// The colours the terminal shows.
    colours: Colours,
    /// Whether it shows only ASCII.
    ascii: bool,
}

/// A colour as a terminal of `colours` is sent it.
fn on_terminal(color: Color, colours: Colours) -> Color {
    match (colours, color) {
        (Colours::None, _) => Color::Reset,
        (Colours::Sixteen, c) => c,
        (Colours::Eight, Color::LightRed) => Color::Red,
        (Colours::Eight, Color::LightGreen) => Color::Green,
        (Colours::Eight, Color::LightYellow) => Color::Yellow,
        (Colours::Eight, Color::LightBlue) => Color::Blue,
        (Colours::Eight, Color::LightMagenta) => Color::Magenta,
        (Colours::Eight, Color::LightCyan) => Color::Cyan,
        (Colours::Eight, Color::White) => Color::Gray,
        // Dark grey on eight colours would be black: the default reads better.
        (Colours::Eight, Color::DarkGray | Color::Indexed(_) | Color::Rgb(..)) => Color::Reset,
        (Colours::Eight, c) => c,
    }
}

/// A cell's symbol as an ASCII terminal is sent it: itself if ASCII; a line, arrow or
/// typographic mark as its nearest ASCII character (the workspace draws some: `·`, `—`,
/// `→`, `──`); anything else, the letters of a name too, a `?` for each column it takes.
fn ascii_symbol(symbol: &str) -> std::borrow::Cow<'_, str> {
    if symbol.is_ascii() {
        return symbol.into();
    }
    let mut chars = symbol.chars();
    let near = match (chars.next(), chars.next()) {
        (Some(c), None) => match c {
            '·' | '•' | '…' => Some("."),
            '—' | '–' | '‐' | '‑' | '−' | '─' | '━' | '═' => Some("-"),
            '│' | '┃' | '║' => Some("|"),
            '┌' | '┐' | '└' | '┘' | '├' | '┤' | '┬' | '┴' | '┼' => Some("+"),
            '→' => Some(">"),
            '←' => Some("<"),
            '↑' => Some("^"),
            '↓' => Some("v"),
            '×' => Some("x"),
            '‘' | '’' | '′' => Some("'"),
            '“' | '”' | '″' => Some("\""),
            '\u{a0}' => Some(" "),
            _ => None,
        },
        _ => None,
    };
    match near {
        Some(ascii) => ascii.into(),
        None => "?".repeat(symbol.width().max(1)).into(),
    }
}

fn colour(out: &mut Vec<String>, color: Color, background: bool) {
    let base = if background { 10 } else { 0 };
    let code = match color {
        Color::Reset => 39,
        Color::Black => 30,
        Color::Red => 31,
        Color::Green => 32,
        Color::Yellow => 33,
        Color::Blue => 34,
        Color::Magenta => 35,
        Color::Cyan => 36,
        Color::Gray => 37,
        Color::DarkGray => 90,
        Color::LightRed => 91,
        Color::LightGreen => 92,
        Color::LightYellow => 93,
        Color::LightBlue => 94,
        Color::LightMagenta => 95,
        Color::LightCyan => 96,
        Color::White => 97,
        Color::Indexed(i) => {
            out.push(format!("{};5;{i}", 38 + base));
            return;
        }
        Color::Rgb(r, g, b) => {
            out.push(format!("{};2;{r};{g};{b}", 38 + base));
            return;
        }
    };
    out.push((code + base).to_string());
}

const ATTRIBUTES: [(Modifier, &str); 9] = [
    (Modifier::BOLD, "1"),
    (Modifier::DIM, "2"),
    (Modifier::ITALIC, "3"),
    (Modifier::UNDERLINED, "4"),
    (Modifier::SLOW_BLINK, "5"),
    (Modifier::RAPID_BLINK, "6"),
    (Modifier::REVERSED, "7"),
    (Modifier::HIDDEN, "8"),
    (Modifier::CROSSED_OUT, "9"),
];

/// The SGR parameters that take the terminal from `from` (unknown: `None`) to `to`.
fn pen_change(from: Option<Pen>, to: Pen) -> Vec<String> {
    let mut params = Vec::new();
    let from = match from {
        // Taking an attribute away needs a reset (bold and dim share one "off" code).
        Some(from) if !from.modifier.difference(to.modifier).is_empty() => None,
        other => other,
    };
    let from = match from {
        Some(from) => from,
        None => {
            params.push("0".to_string());
            Pen::DEFAULT
        }
    };
    for (flag, code) in ATTRIBUTES {
        if to.modifier.contains(flag) && !from.modifier.contains(flag) {
            params.push(code.to_string());
        }
    }
    if to.fg != from.fg {
        colour(&mut params, to.fg, false);
    }
    if to.bg != from.bg {
        colour(&mut params, to.bg, true);
    }
    params
}

/// The terminal's size as drawn: capped (see [`super::MAX_WIDTH`]), so that neither the
/// frame buffers nor the record of what each cell shows grow with a huge window.
fn capped_size() -> Option<Size> {
    crossterm::terminal::size().ok().map(|(width, height)| {
        let (width, height) = super::capped(width, height);
        Size { width, height }
    })
}

impl<W: Write> LeanBackend<W> {
    pub fn new(out: W) -> LeanBackend<W> {
        let size = capped_size();
        LeanBackend {
            out,
            cursor: None,
            pen: None,
            visible: None,
            width: size.map_or(80, |s| s.width),
            shadow: Vec::new(),
            size,
            blank: false,
            colours: Colours::Sixteen,
            ascii: false,
        }
    }

    /// For a terminal that shows these colours, and only ASCII if `ascii`.
    pub fn showing(mut self, colours: Colours, ascii: bool) -> LeanBackend<W> {
        self.colours = colours;
        self.ascii = ascii;
        self
    }

    /// What the terminal shows at a cell: what we wrote there, or after a clear a blank
    /// in the default pen.
    fn shadow_at(&self, x: u16, y: u16) -> Option<(String, Pen)> {
        match self
            .shadow
            .get(usize::from(y) * usize::from(self.width) + usize::from(x))
        {
            Some(Some(known)) => Some(known.clone()),
            _ if self.blank => Some((" ".to_string(), Pen::DEFAULT)),
            _ => None,
        }
    }

    fn remember(&mut self, x: u16, y: u16, symbol: &str, pen: Pen) {
        let index = usize::from(y) * usize::from(self.width) + usize::from(x);
        if index >= self.shadow.len() {
            self.shadow.resize(index + 1, None);
        }
        self.shadow[index] = Some((symbol.to_string(), pen));
    }

    /// What was written (for tests that give a `Vec<u8>`).
    pub fn writer(&self) -> &W {
        &self.out
    }

    /// Moves the terminal's cursor to `p` in the fewest bytes: nothing if it is there;
    /// reprinting up to four known cells in the current pen to step right; a relative move
    /// on the same row or column; a carriage return for the start of the row; else an
    /// absolute move.
    fn move_to(&mut self, p: Position) -> io::Result<()> {
        let Some(at) = self.cursor else {
            write!(self.out, "\x1b[{};{}H", p.y + 1, p.x + 1)?;
            self.cursor = Some(p);
            return Ok(());
        };
        if at == p {
            return Ok(());
        }
        if at.y == p.y && p.x > at.x && p.x - at.x <= 4 {
            let known: Option<Vec<String>> = (at.x..p.x)
                .map(|x| match self.shadow_at(x, p.y) {
                    Some((symbol, pen)) if Some(pen) == self.pen && symbol.width() == 1 => {
                        Some(symbol)
                    }
                    _ => None,
                })
                .collect();
            if let Some(symbols) = known {
                for symbol in symbols {
                    self.out.write_all(symbol.as_bytes())?;
                }
                self.cursor = Some(p);
                return Ok(());
            }
        }
        if at.y == p.y && p.x == 0 {
            self.out.write_all(b"\r")?;
        } else if at.y == p.y {
            let (n, code) = if p.x > at.x {
                (p.x - at.x, 'C')
            } else {
                (at.x - p.x, 'D')
            };
            if n == 1 {
                write!(self.out, "\x1b[{code}")?
            } else {
                write!(self.out, "\x1b[{n}{code}")?
            }
        } else if at.x == p.x {
            let (n, code) = if p.y > at.y {
                (p.y - at.y, 'B')
            } else {
                (at.y - p.y, 'A')
            };
            if n == 1 {
                write!(self.out, "\x1b[{code}")?
            } else {
                write!(self.out, "\x1b[{n}{code}")?
            }
        } else {
            write!(self.out, "\x1b[{};{}H", p.y + 1, p.x + 1)?;
        }
        self.cursor = Some(p);
        Ok(())
    }

    /// Forgets what the terminal holds (after a resize, say): the next frame says it all.
    pub fn forget(&mut self) {
        self.cursor = None;
        self.pen = None;
        self.visible = None;
        let size = capped_size();
        self.width = size.map(|s| s.width).unwrap_or(self.width);
        self.size = size;
        self.shadow.clear();
        self.blank = false;
    }
}

/// The most rows a frame's scroll is looked for over (a saved minute of a few lines).
const MAX_SCROLL: u16 = 12;

/// The largest screen a scroll is looked for on (a big screen is rarely on a slow link).
const MAX_SCROLL_CELLS: usize = 200 * 60;

/// A band of whole rows whose text moved up by `by` rows: `top..=bottom` on the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Scroll {
    top: u16,
    bottom: u16,
    by: u16,
}

/// One cell of a frame as the terminal is to show it.
struct Change {
    x: u16,
    y: u16,
    symbol: String,
    pen: Pen,
}

impl<W: Write> LeanBackend<W> {
    /// The cell as this terminal is sent it: its colours for this terminal, its text in
    /// ASCII where only that shows.
    fn change_of(&self, x: u16, y: u16, cell: &Cell) -> Change {
        let symbol = if self.ascii {
            ascii_symbol(cell.symbol()).into_owned()
        } else {
            cell.symbol().to_string()
        };
        Change {
            x,
            y,
            symbol,
            pen: Pen {
                fg: on_terminal(cell.fg, self.colours),
                bg: on_terminal(cell.bg, self.colours),
                modifier: cell.modifier,
            },
        }
    }

    /// A scroll that would put most of a frame's changes on the screen at once: a band of
    /// whole rows moved up by a few, after which fewer cells need writing than without it
    /// (a minute saved moves the minutes up a line; the agenda beside them is then written
    /// again, which costs less than the minutes box). Only over rows whose every cell is
    /// known and one column wide, on screens of up to [`MAX_SCROLL_CELLS`], and only when
    /// it saves more bytes than it costs.
    fn find_scroll(&self, changes: &[Change]) -> Option<Scroll> {
        let size = self.size?;
        let (width, height) = (usize::from(self.width), usize::from(size.height));
        if width == 0 || height < 3 || size.width != self.width || width * height > MAX_SCROLL_CELLS
        {
            return None;
        }
        let mut written = vec![0usize; height];
        for c in changes {
            if let Some(n) = written.get_mut(usize::from(c.y)) {
                *n += 1;
            }
        }
        if written.iter().filter(|n| **n > 0).count() < 3 {
            return None;
        }
        use std::hash::{Hash, Hasher};
        let hash = |symbol: &str, pen: &Pen| -> Option<u64> {
            (symbol.width() == 1).then(|| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                (symbol, pen).hash(&mut h);
                h.finish()
            })
        };
        // What each cell shows now and will show after the frame: None where unknown or
        // wider than a column.
        let blank = hash(" ", &Pen::DEFAULT);
        let mut old = Vec::with_capacity(width * height);
        for y in 0..height {
            for x in 0..width {
                old.push(
                    self.shadow_at(x as u16, y as u16)
                        .and_then(|(symbol, pen)| hash(&symbol, &pen)),
                );
            }
        }
        let mut new = old.clone();
        for c in changes {
            let (x, y) = (usize::from(c.x), usize::from(c.y));
            if x < width && y < height {
                new[y * width + x] = hash(&c.symbol, &c.pen);
            }
        }
        let row = |cells: &[Option<u64>], y: usize| -> Option<Vec<u64>> {
            cells[y * width..(y + 1) * width].iter().copied().collect()
        };
        let old_rows: Vec<Option<Vec<u64>>> = (0..height).map(|y| row(&old, y)).collect();
        let new_rows: Vec<Option<Vec<u64>>> = (0..height).map(|y| row(&new, y)).collect();
        let mut best: Option<(isize, Scroll)> = None;
        for by in 1..=usize::from(MAX_SCROLL).min(height - 1) {
            // Kadane over the rows: the run whose cells written fall most with the scroll.
            let mut run: Option<(usize, isize)> = None;
            for y in 0..height - by {
                let gain = match (&new_rows[y], &old_rows[y + by]) {
                    (Some(n), Some(o)) => {
                        let after = n.iter().zip(o).filter(|(a, b)| a != b).count();
                        Some(written[y] as isize - after as isize)
                    }
                    _ => None,
                };
                let Some(gain) = gain else {
                    run = None;
                    continue;
                };
                run = match run {
                    Some((top, sum)) if sum > 0 => Some((top, sum + gain)),
                    _ => Some((y, gain)),
                };
                let Some((top, sum)) = run else { continue };
                // The rows the scroll opens at the foot are blank: what they show is
                // written whole (less what the frame wrote there anyway).
                let opened: Option<isize> = (y + 1..=y + by)
                    .map(|r| {
                        new_rows[r].as_ref().map(|cells| {
                            let shown = cells.iter().filter(|c| Some(**c) != blank).count();
                            shown as isize - written[r] as isize
                        })
                    })
                    .sum();
                let Some(opened) = opened else { continue };
                // About twenty bytes of commands, and a margin.
                let net = sum - opened - 40;
                if net > 0 && best.is_none_or(|(b, _)| net > b) {
                    best = Some((
                        net,
                        Scroll {
                            top: top as u16,
                            bottom: (y + by) as u16,
                            by: by as u16,
                        },
                    ));
                }
            }
        }
        best.map(|(_, scroll)| scroll)
    }

    /// Scrolls `scroll`'s rows up on the terminal (a scrolling region and line feeds at its
    /// foot, which every terminal since the VT100 knows) and in the shadow; the rows it
    /// opens are blank in the default pen.
    fn scroll(&mut self, scroll: Scroll) -> io::Result<()> {
        if self.pen != Some(Pen::DEFAULT) {
            // New rows are painted with the current background: the default one.
            self.out.write_all(b"\x1b[0m")?;
            self.pen = Some(Pen::DEFAULT);
        }
        write!(
            self.out,
            "\x1b[{};{}r\x1b[{};1H",
            scroll.top + 1,
            scroll.bottom + 1,
            scroll.bottom + 1
        )?;
        for _ in 0..scroll.by {
            self.out.write_all(b"\n")?;
        }
        // Setting the region back homes the cursor on some terminals: its place is unknown.
        self.out.write_all(b"\x1b[r")?;
        self.cursor = None;
        let width = usize::from(self.width);
        let end = (usize::from(scroll.bottom) + 1) * width;
        if self.shadow.len() < end {
            let fill = self.blank.then(|| (" ".to_string(), Pen::DEFAULT));
            self.shadow.resize(end, fill);
        }
        let top = usize::from(scroll.top) * width;
        let by = usize::from(scroll.by) * width;
        self.shadow[top..end].rotate_left(by);
        for cell in &mut self.shadow[end - by..end] {
            *cell = Some((" ".to_string(), Pen::DEFAULT));
        }
        Ok(())
    }
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut changes: Vec<Change> = content
            .map(|(x, y, cell)| self.change_of(x, y, cell))
            .collect();
        let scrolled = self.find_scroll(&changes);
        if let Some(scroll) = scrolled {
            // Every cell of the band as the frame shows it (what the frame did not write
            // is as the screen has it now), then the scroll; what the scroll did not bring
            // is written below, the rest is left out.
            let band = scroll.top..=scroll.bottom;
            let mut wanted: std::collections::HashMap<(u16, u16), (String, Pen)> =
                std::collections::HashMap::new();
            for y in band.clone() {
                for x in 0..self.width {
                    if let Some(shown) = self.shadow_at(x, y) {
                        wanted.insert((x, y), shown);
                    }
                }
            }
            let mut outside = Vec::with_capacity(changes.len());
            for c in changes {
                if band.contains(&c.y) {
                    wanted.insert((c.x, c.y), (c.symbol, c.pen));
                } else {
                    outside.push(c);
                }
            }
            self.scroll(scroll)?;
            changes = outside;
            changes.extend(wanted.into_iter().filter_map(|((x, y), (symbol, pen))| {
                let already = self
                    .shadow_at(x, y)
                    .is_some_and(|(shown, p)| shown == symbol && p == pen);
                (!already).then_some(Change { x, y, symbol, pen })
            }));
            changes.sort_by_key(|c| (c.y, c.x));
        }
        for Change { x, y, symbol, pen } in changes {
            self.move_to(Position { x, y })?;
            if self.pen != Some(pen) {
                let params = pen_change(self.pen, pen);
                if !params.is_empty() {
                    write!(self.out, "\x1b[{}m", params.join(";"))?;
                }
                self.pen = Some(pen);
            }
            let symbol = symbol.as_str();
            self.out.write_all(symbol.as_bytes())?;
            self.remember(x, y, symbol, pen);
            let advance = symbol.width().max(1) as u16;
            // At the right edge terminals differ (pending wrap): the position is unknown.
            self.cursor = if x + advance >= self.width {
                None
            } else {
                Some(Position { x: x + advance, y })
            };
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.visible != Some(false) {
            self.out.write_all(b"\x1b[?25l")?;
            self.visible = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.visible != Some(true) {
            self.out.write_all(b"\x1b[?25h")?;
            self.visible = Some(true);
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor.unwrap_or_default())
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.move_to(position.into())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        // Clearing paints with the current background: use the default one.
        if self.pen != Some(Pen::DEFAULT) {
            self.out.write_all(b"\x1b[0m")?;
            self.pen = Some(Pen::DEFAULT);
        }
        if matches!(clear_type, ClearType::All) {
            self.shadow.clear();
            self.blank = true;
        }
        let code: &[u8] = match clear_type {
            ClearType::All => b"\x1b[2J",
            ClearType::AfterCursor => b"\x1b[J",
            ClearType::BeforeCursor => b"\x1b[1J",
            ClearType::CurrentLine => b"\x1b[2K",
            ClearType::UntilNewLine => b"\x1b[K",
        };
        self.out.write_all(code)
    }

    fn size(&self) -> io::Result<Size> {
        if let Some(size) = self.size {
            return Ok(size);
        }
        let (width, height) = crossterm::terminal::size()?;
        let (width, height) = super::capped(width, height);
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let size = crossterm::terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size {
                width: size.columns,
                height: size.rows,
            },
            pixels: Size {
                width: size.width,
                height: size.height,
            },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Style;

    fn backend() -> LeanBackend<Vec<u8>> {
        LeanBackend {
            out: Vec::new(),
            cursor: None,
            pen: None,
            visible: None,
            width: 80,
            shadow: Vec::new(),
            size: None,
            blank: false,
            colours: Colours::Sixteen,
            ascii: false,
        }
    }

    fn cell(symbol: &'static str, style: Style) -> Cell {
        let mut c = Cell::new(symbol);
        c.set_style(style);
        c
    }

    #[test]
    fn a_letter_typed_where_the_cursor_is_costs_one_byte() {
        let mut b = backend();
        let a = cell("a", Style::default());
        b.draw([(5u16, 3u16, &a)].into_iter()).unwrap();
        b.set_cursor_position(Position { x: 6, y: 3 }).unwrap();
        b.show_cursor().unwrap();
        b.out.clear();
        // The next frame: one more letter at the cursor, the cursor after it.
        let c = cell("b", Style::default());
        b.draw([(6u16, 3u16, &c)].into_iter()).unwrap();
        b.set_cursor_position(Position { x: 7, y: 3 }).unwrap();
        b.show_cursor().unwrap();
        assert_eq!(b.out, b"b");
    }

    #[test]
    fn moves_and_styles_are_written_only_when_they_change() {
        let mut b = backend();
        let red = Style::default().fg(Color::Red);
        let x = cell("x", red);
        let y = cell("y", red);
        b.draw([(0u16, 0u16, &x), (1, 0, &y), (10, 2, &x)].into_iter())
            .unwrap();
        assert_eq!(
            String::from_utf8(b.out.clone()).unwrap(),
            "\x1b[1;1H\x1b[0;31mxy\x1b[3;11Hx"
        );
        b.out.clear();
        let bold = cell(
            "z",
            Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
        );
        b.draw([(11u16, 2u16, &bold)].into_iter()).unwrap();
        assert_eq!(
            String::from_utf8(b.out.clone()).unwrap(),
            "\x1b[1mz",
            "adding bold is one code"
        );
        b.out.clear();
        let plain = cell("w", Style::default());
        b.draw([(12u16, 2u16, &plain)].into_iter()).unwrap();
        assert_eq!(
            String::from_utf8(b.out.clone()).unwrap(),
            "\x1b[0mw",
            "taking it away resets"
        );
    }

    /// The SGR parameters written, each sequence's list.
    fn sgr_params(bytes: &[u8]) -> Vec<String> {
        let text = String::from_utf8_lossy(bytes);
        text.split("\x1b[")
            .skip(1)
            .filter_map(|s| s.split_once('m').map(|(p, _)| p.to_string()))
            .filter(|p| p.chars().all(|c| c.is_ascii_digit() || c == ';'))
            .collect()
    }

    #[test]
    fn a_monochrome_terminal_is_sent_no_colour_whatever_the_cells_ask() {
        let mut b = backend().showing(Colours::None, false);
        let styles = [
            Style::default().fg(Color::Red).bg(Color::Blue),
            Style::default()
                .fg(Color::Indexed(200))
                .add_modifier(Modifier::BOLD),
            Style::default()
                .bg(Color::Rgb(1, 2, 3))
                .add_modifier(Modifier::REVERSED),
            Style::default().fg(Color::White),
            Style::default(),
        ];
        let cells: Vec<Cell> = styles.iter().map(|s| cell("x", *s)).collect();
        b.draw(cells.iter().enumerate().map(|(i, c)| (i as u16, 0u16, c)))
            .unwrap();
        let params = sgr_params(&b.out);
        assert!(!params.is_empty(), "bold and reverse still written");
        for p in params {
            for n in p.split(';') {
                assert!(
                    matches!(n, "0" | "1" | "7" | ""),
                    "a colour parameter {n} in {p:?}"
                );
            }
        }
    }

    #[test]
    fn eight_colours_get_the_bright_ones_as_their_basic_ones() {
        let mut b = backend().showing(Colours::Eight, false);
        let c = cell("x", Style::default().fg(Color::LightRed).bg(Color::Blue));
        let g = cell("y", Style::default().fg(Color::DarkGray));
        b.draw([(0u16, 0u16, &c), (1, 0, &g)].into_iter()).unwrap();
        assert_eq!(sgr_params(&b.out), ["0;31;44", "39;49"]);
    }

    #[test]
    fn an_ascii_terminal_is_sent_no_byte_over_0x7f_and_wide_characters_keep_their_columns() {
        let mut b = backend().showing(Colours::Sixteen, true);
        let cells = [
            cell("Z", Style::default()),
            cell("ë", Style::default()),
            cell("語", Style::default()),
            cell("─", Style::default()),
        ];
        b.draw(
            [
                (0u16, 0u16, &cells[0]),
                (1, 0, &cells[1]),
                (2, 0, &cells[2]),
                (4, 0, &cells[3]),
            ]
            .into_iter(),
        )
        .unwrap();
        assert!(b.out.iter().all(|&byte| byte < 0x80), "{:?}", b.out);
        assert!(String::from_utf8_lossy(&b.out).ends_with("Z???-"));
        assert_eq!(b.cursor, Some(Position { x: 5, y: 0 }));
    }

    #[test]
    fn show_and_hide_are_written_once() {
        let mut b = backend();
        b.show_cursor().unwrap();
        b.show_cursor().unwrap();
        b.hide_cursor().unwrap();
        b.hide_cursor().unwrap();
        assert_eq!(b.out, b"\x1b[?25h\x1b[?25l");
    }

    #[test]
    fn a_wide_character_moves_the_cursor_two_columns_and_the_right_edge_forgets_it() {
        let mut b = backend();
        let wide = cell("語", Style::default());
        b.draw([(3u16, 0u16, &wide)].into_iter()).unwrap();
        assert_eq!(b.cursor, Some(Position { x: 5, y: 0 }));
        let edge = cell("e", Style::default());
        b.draw([(79u16, 0u16, &edge)].into_iter()).unwrap();
        assert_eq!(b.cursor, None);
    }
}

#[cfg(test)]
mod moves {
    use super::*;
    use ratatui::style::Style;

    #[test]
    fn stepping_over_a_typed_space_reprints_it_instead_of_moving() {
        let mut b = LeanBackend {
            out: Vec::new(),
            cursor: None,
            pen: None,
            visible: None,
            width: 80,
            shadow: Vec::new(),
            size: None,
            blank: false,
            colours: Colours::Sixteen,
            ascii: false,
        };
        let mut space = Cell::new(" ");
        space.set_style(Style::default());
        let mut a = Cell::new("a");
        a.set_style(Style::default());
        b.draw([(0u16, 5u16, &a), (1, 5, &space)].into_iter())
            .unwrap();
        b.set_cursor_position(Position { x: 0, y: 5 }).unwrap();
        b.out.clear();
        b.set_cursor_position(Position { x: 2, y: 5 }).unwrap();
        assert_eq!(b.out, b"a ", "two known cells reprinted: two bytes");
        b.out.clear();
        b.set_cursor_position(Position { x: 0, y: 5 }).unwrap();
        assert_eq!(b.out, b"\r");
        b.out.clear();
        b.set_cursor_position(Position { x: 0, y: 9 }).unwrap();
        assert_eq!(b.out, b"\x1b[4B");
    }
}

#[cfg(test)]
mod scrolling {
    use super::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    fn backend(width: u16, height: u16) -> LeanBackend<Vec<u8>> {
        let mut b = LeanBackend::new(Vec::new());
        b.width = width;
        b.size = Some(Size { width, height });
        b.clear().unwrap();
        b
    }

    /// A screen like the minutes view's: a box of `lines` (the last ones shown), an input
    /// and a footer.
    fn frame(width: u16, height: u16, lines: &[String]) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, width, height));
        buf.set_string(
            0,
            0,
            "DEMO-1 header",
            Style::default().add_modifier(Modifier::BOLD),
        );
        let rows = usize::from(height - 4);
        let shown = &lines[lines.len().saturating_sub(rows)..];
        for (i, line) in shown.iter().enumerate() {
            let y = 1 + i as u16;
            buf.set_string(0, y, "|", Style::default());
            buf.set_string(2, y, line, Style::default());
            buf.set_string(width - 1, y, "|", Style::default());
        }
        buf.set_string(0, height - 2, "> input", Style::default().fg(Color::Cyan));
        buf.set_string(0, height - 1, " Enter save", Style::default());
        buf
    }

    /// The minutes view at 80x24: the agenda beside the minutes, which move up alone.
    fn frame_beside(width: u16, height: u16, lines: &[String]) -> Buffer {
        let mut buf = frame(width, height, lines);
        for y in 1..height - 3 {
            let item = format!("|{:>2} Agenda item {y}     |", y);
            buf.set_string(0, y, &item, Style::default());
        }
        buf
    }

    /// Draws `next` over `prev` as ratatui would (its diff), into the backend, and feeds
    /// the bytes to a terminal emulator; returns the bytes of that frame.
    fn show(
        b: &mut LeanBackend<Vec<u8>>,
        term: &mut vt100::Parser,
        prev: &Buffer,
        next: &Buffer,
    ) -> usize {
        b.out.clear();
        b.draw(prev.diff(next).into_iter()).unwrap();
        term.process(&b.out);
        b.out.len()
    }

    fn screen_text(buf: &Buffer) -> String {
        let area = buf.area;
        (0..area.height)
            .map(|y| {
                let mut row = String::new();
                let mut x = 0;
                while x < area.width {
                    let symbol = buf[(x, y)].symbol();
                    row.push_str(symbol);
                    x += symbol.width().max(1) as u16;
                }
                row.trim_end().to_string()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn term_text(term: &vt100::Parser) -> String {
        let (rows, cols) = term.screen().size();
        term.screen()
            .rows(0, cols)
            .take(usize::from(rows))
            .map(|r| r.trim_end().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_saved_minute_moves_the_minutes_up_with_a_scroll_not_a_repaint() {
        let (w, h) = (80, 24);
        let mut b = backend(w, h);
        let mut term = vt100::Parser::new(h, w, 0);
        term.process(b"\x1b[2J");
        let said = [
            "Police confirmed the call log was shared in March",
            "Health said the GP record shows two missed visits",
            "Chair asked whether housing knew of the injunction",
            "Probation will check the risk assessment dates",
            "The advocate described the family's wish to speak",
        ];
        let mut lines: Vec<String> = (0..30).map(|i| said[i % said.len()].to_string()).collect();
        let empty = Buffer::empty(Rect::new(0, 0, w, h));
        let mut prev = frame(w, h, &lines);
        show(&mut b, &mut term, &empty, &prev);
        assert_eq!(term_text(&term), screen_text(&prev));
        for round in 0..5 {
            lines.push(format!("{round}. {}", said[(round * 2 + 1) % said.len()]));
            let next = frame(w, h, &lines);
            let bytes = show(&mut b, &mut term, &prev, &next);
            assert_eq!(term_text(&term), screen_text(&next), "round {round}");
            // Every row of the box changed; a repaint costs well over a thousand bytes.
            assert!(
                bytes < 200,
                "round {round}: {bytes} bytes: {:?}",
                String::from_utf8_lossy(&b.out)
            );
            prev = next;
        }
    }

    #[test]
    fn minutes_beside_the_agenda_move_up_with_a_scroll_and_the_agenda_written_again() {
        let (w, h) = (80, 24);
        let said = [
            "Police confirmed the call log was shared in March",
            "Health said the GP record shows two missed visits",
            "Chair asked whether housing knew of the injunction",
        ];
        let mut lines: Vec<String> = (0..30).map(|i| said[i % 3].to_string()).collect();
        let empty = Buffer::empty(Rect::new(0, 0, w, h));
        let mut prev = frame_beside(w, h, &lines);
        let (mut scrolled, mut plain) = (backend(w, h), backend(w, h));
        let mut term = vt100::Parser::new(h, w, 0);
        term.process(b"\x1b[2J");
        show(&mut scrolled, &mut term, &empty, &prev);
        plain.draw(empty.diff(&prev).into_iter()).unwrap();
        for round in 0..3 {
            lines.push(format!(
                "{round}. The advocate described the family's wish to speak"
            ));
            let next = frame_beside(w, h, &lines);
            let bytes = show(&mut scrolled, &mut term, &prev, &next);
            assert_eq!(term_text(&term), screen_text(&next), "round {round}");
            // The same frame without looking for a scroll (the band is too big to miss).
            plain.size = None;
            plain.out.clear();
            plain.draw(prev.diff(&next).into_iter()).unwrap();
            assert!(
                bytes * 10 < plain.out.len() * 8,
                "round {round}: {bytes} bytes with the scroll, {} without",
                plain.out.len()
            );
            prev = next;
        }
    }

    #[test]
    fn any_frame_after_any_other_shows_exactly_the_frame() {
        // Frames that move some rows up by a few, change others, or both: the screen is
        // always the frame, whether a scroll was used or not.
        let (w, h) = (40, 16);
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next_rand = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for case in 0..200 {
            let mut b = backend(w, h);
            let mut term = vt100::Parser::new(h, w, 0);
            term.process(b"\x1b[2J");
            let mut lines: Vec<String> = (0..20)
                .map(|i| format!("row {i} {}", next_rand() % 1000))
                .collect();
            let empty = Buffer::empty(Rect::new(0, 0, w, h));
            let layout = if case % 2 == 0 { frame } else { frame_beside };
            let mut prev = layout(w, h, &lines);
            show(&mut b, &mut term, &empty, &prev);
            for step in 0..6 {
                match next_rand() % 4 {
                    0 => {
                        for _ in 0..(1 + next_rand() % 4) {
                            lines.push(format!("new {step} {}", next_rand() % 1000));
                        }
                    }
                    1 => {
                        let i = (next_rand() as usize) % lines.len();
                        lines[i] = format!("changed {}", next_rand() % 1000);
                    }
                    2 => {
                        lines.pop();
                    }
                    _ => {
                        lines.push(String::new());
                        lines.push("ü wide? 字".to_string());
                    }
                }
                let mut next = layout(w, h, &lines);
                if next_rand() % 3 == 0 {
                    next.set_string(5, 3, "coloured", Style::default().bg(Color::Blue));
                }
                show(&mut b, &mut term, &prev, &next);
                assert_eq!(
                    term_text(&term),
                    screen_text(&next),
                    "case {case} step {step}"
                );
                prev = next;
            }
        }
    }
}
