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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        for (x, y, cell) in content {
            self.move_to(Position { x, y })?;
            let pen = Pen {
                fg: on_terminal(cell.fg, self.colours),
                bg: on_terminal(cell.bg, self.colours),
                modifier: cell.modifier,
            };
            if self.pen != Some(pen) {
                let params = pen_change(self.pen, pen);
                if !params.is_empty() {
                    write!(self.out, "\x1b[{}m", params.join(";"))?;
                }
                self.pen = Some(pen);
            }
            let symbol = if self.ascii {
                ascii_symbol(cell.symbol())
            } else {
                cell.symbol().into()
            };
            let symbol = symbol.as_ref();
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
