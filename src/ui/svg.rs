//! Renders a drawn screen (a ratatui buffer) as an SVG picture with its colours, for the
//! screenshots in the README. It reads the same buffer the terminal would receive.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

const CELL_W: f32 = 8.4;
const CELL_H: f32 = 18.0;
const FG: &str = "#d0d0d0";
const BG: &str = "#1c1c1c";

/// The xterm palette for the 16 named colours.
fn hex(color: Color, default: &'static str) -> String {
    match color {
        Color::Reset => default.to_string(),
        Color::Black => "#000000".into(),
        Color::Red => "#cd0000".into(),
        Color::Green => "#00cd00".into(),
        Color::Yellow => "#cdcd00".into(),
        Color::Blue => "#0000ee".into(),
        Color::Magenta => "#cd00cd".into(),
        Color::Cyan => "#00cdcd".into(),
        Color::Gray => "#e5e5e5".into(),
        Color::DarkGray => "#7f7f7f".into(),
        Color::LightRed => "#ff5555".into(),
        Color::LightGreen => "#55ff55".into(),
        Color::LightYellow => "#ffff55".into(),
        Color::LightBlue => "#5c5cff".into(),
        Color::LightMagenta => "#ff55ff".into(),
        Color::LightCyan => "#55ffff".into(),
        Color::White => "#ffffff".into(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(_) => default.to_string(),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The SVG of a whole buffer: one background rectangle and one text run per stretch of
/// cells that share a style.
pub fn buffer_to_svg(buffer: &Buffer) -> String {
    let area = buffer.area;
    let width = f32::from(area.width) * CELL_W;
    let height = f32::from(area.height) * CELL_H;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.1} {height:.1}\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"{BG}\"/>\n\
         <g font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"14\" xml:space=\"preserve\">\n"
    );
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let cell = &buffer[(x, y)];
            let (start, style) = (x, (cell.fg, cell.bg, cell.modifier));
            let mut text = String::new();
            while x < area.width {
                let c = &buffer[(x, y)];
                if (c.fg, c.bg, c.modifier) != style {
                    break;
                }
                text.push_str(c.symbol());
                x += 1;
            }
            let (fg, bg, modifier) = style;
            let (mut fg, mut bg) = (hex(fg, FG), hex(bg, BG));
            if modifier.contains(Modifier::REVERSED) {
                std::mem::swap(&mut fg, &mut bg);
            }
            let left = f32::from(start) * CELL_W;
            let top = f32::from(y) * CELL_H;
            let run = f32::from(x - start) * CELL_W;
            if bg != BG {
                out.push_str(&format!(
                    "<rect x=\"{left:.1}\" y=\"{top:.1}\" width=\"{run:.1}\" height=\"{CELL_H:.1}\" fill=\"{bg}\"/>\n"
                ));
            }
            if !text.trim().is_empty() {
                let weight = if modifier.contains(Modifier::BOLD) {
                    " font-weight=\"bold\""
                } else {
                    ""
                };
                out.push_str(&format!(
                    "<text x=\"{left:.1}\" y=\"{:.1}\" fill=\"{fg}\"{weight} textLength=\"{run:.1}\">{}</text>\n",
                    top + CELL_H * 0.75,
                    escape(&text)
                ));
            }
        }
    }
    out.push_str("</g>\n</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn colours_reverse_video_and_markup_characters_come_through() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 10, 2));
        buffer.set_string(0, 0, "a<b&c", Style::default().fg(Color::LightRed));
        buffer.set_string(
            0,
            1,
            "sel",
            Style::default().add_modifier(Modifier::REVERSED),
        );
        let svg = buffer_to_svg(&buffer);
        assert!(svg.contains("fill=\"#ff5555\""));
        assert!(svg.contains("a&lt;b&amp;c"));
        assert!(
            svg.contains(&format!("fill=\"{FG}\"/>")),
            "reversed cells get the text colour as background"
        );
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    }
}
