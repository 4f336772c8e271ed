//! How things look: the 16 named colours by default, a monochrome theme for `NO_COLOR`
//! that still shows focus and selection, and ASCII glyphs for `--ascii`.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

use crate::app::Options;

/// Styles and glyphs for one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub mono: bool,
    pub ascii: bool,
}

/// ASCII borders for terminals without line-drawing glyphs.
const ASCII_BORDER: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

impl Theme {
    pub fn new(options: &Options) -> Theme {
        Theme {
            mono: options.monochrome,
            ascii: options.ascii,
        }
    }

    fn fg(&self, color: Color) -> Style {
        if self.mono {
            Style::default()
        } else {
            Style::default().fg(color)
        }
    }

    pub fn border(&self) -> border::Set<'static> {
        if self.ascii {
            ASCII_BORDER
        } else {
            border::PLAIN
        }
    }

    /// The border of the block that has the focus.
    pub fn focus_border(&self) -> Style {
        self.fg(Color::Cyan)
    }

    pub fn title(&self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }

    pub fn header(&self) -> Style {
        if self.mono {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(Color::White).bg(Color::Blue)
        }
    }

    pub fn marking(&self) -> Style {
        self.header().add_modifier(Modifier::BOLD)
    }

    pub fn column_heading(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// The selected row: reverse video in both themes, so it shows without colour.
    pub fn selected(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    pub fn active_tab(&self) -> Style {
        Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    /// Overdue things: red and bold, and always with a marker as well.
    pub fn overdue(&self) -> Style {
        self.fg(Color::LightRed).add_modifier(Modifier::BOLD)
    }

    /// The colour of overdue things, where colours are used (for the header's clock).
    pub fn overdue_colour(&self) -> Color {
        if self.mono {
            Color::Reset
        } else {
            Color::LightRed
        }
    }

    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn dim(&self) -> Style {
        if self.mono {
            Style::default()
        } else {
            Style::default().fg(Color::DarkGray)
        }
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn error(&self) -> Style {
        if self.mono {
            Style::default().add_modifier(Modifier::BOLD | Modifier::REVERSED)
        } else {
            Style::default()
                .fg(Color::LightRed)
                .add_modifier(Modifier::BOLD)
        }
    }

    pub fn info(&self) -> Style {
        self.fg(Color::Green).add_modifier(Modifier::BOLD)
    }

    /// Separates parts of a line.
    pub fn sep(&self) -> &'static str {
        if self.ascii { " | " } else { " · " }
    }

    /// Stands for a value that does not apply.
    pub fn none(&self) -> &'static str {
        if self.ascii { "-" } else { "—" }
    }

    pub fn ellipsis(&self) -> &'static str {
        if self.ascii { "..." } else { "…" }
    }

    /// Marks the selected row beside its reverse video.
    pub fn selection_marker(&self) -> &'static str {
        ">"
    }

    /// Marks an overdue row beside its colour.
    pub fn overdue_marker(&self) -> &'static str {
        "!"
    }

    pub fn arrows(&self) -> &'static str {
        if self.ascii { "Up Down" } else { "↑ ↓" }
    }
}
