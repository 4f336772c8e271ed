//! Markdown safety: the one place where text becomes Markdown.
//!
//! Every piece of text an export writes goes through here: the display sanitiser first
//! (controls made visible, bidi overrides neutralised, line breaks normalised), then an
//! optional [`Rewrite`] (the anonymiser), then backslash escapes for the ASCII punctuation
//! CommonMark, GitHub-flavoured Markdown or pandoc would read as structure. Each line is
//! trimmed; an author's line breaks become hard breaks in paragraphs and list items and
//! spaces in table cells and headings. So no text can become a heading, list, quote,
//! code, link, autolink, image, HTML, emphasis, emoji or a broken table row.
//!
//! [`MarkdownWriter`] builds a document from blocks (headings, paragraphs, lists,
//! tables); it has no way to add text other than through the escaping, and labels it
//! writes itself are `&'static str`, so they never come from the database.

use super::document::{Block, DocWriter, Document, Meta, column_widths};
use super::text::sanitize;

pub use super::document::{Rewrite, Verbatim};

/// Punctuation escaped wherever it stands: emphasis, code, links and images, HTML and
/// entities, table pipes, strikethrough, headings (a closing `#` run too), `@` so an
/// e-mail address is not turned into a link by GFM's autolinker, and `$` and `^`, which
/// GitHub (math) and other readers (superscript) give a meaning, and `{` `}`, which
/// pandoc and others read as attributes at the end of a heading.
fn always_escaped(c: char) -> bool {
    matches!(
        c,
        '\\' | '`'
            | '*'
            | '_'
            | '['
            | ']'
            | '<'
            | '>'
            | '&'
            | '|'
            | '~'
            | '#'
            | '@'
            | '$'
            | '^'
            | '{'
            | '}'
    )
}

/// Escapes one line of sanitised text (no line break in it), already trimmed, onto `out`.
/// `block_start`: the line starts a block line (a paragraph's or list item's), where a
/// leading `-`, `+`, `=` or `1.` would start a list or underline a heading; in a table
/// cell or a heading it cannot, so it is left alone there.
fn escape_line(line: &str, out: &mut String, block_start: bool) {
    let chars: Vec<char> = line.chars().collect();
    // "1." or "1)" at the start of a line would begin an ordered list.
    let lead_digits = if block_start {
        chars.iter().take_while(|c| c.is_ascii_digit()).count()
    } else {
        0
    };
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let escape = match c {
            c if always_escaped(c) => true,
            // A list item, a thematic break or a setext underline at the start of a line.
            '-' | '+' | '=' => block_start && i == 0,
            '.' | ')' => {
                (lead_digits > 0 && i == lead_digits) || (c == '.' && after_www(&chars, i))
            }
            // "http://" (a bare link), ":smile:" (an emoji in pandoc's GFM), or a
            // definition at the start of a line.
            ':' => {
                (block_start && i == 0)
                    || next == Some('/')
                    || (!prev.is_some_and(char::is_alphanumeric)
                        && next.is_some_and(|n| n.is_alphanumeric() || "+-_".contains(n)))
            }
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Whether the `.` at `i` ends a word "www" (GFM links "www.example.com" by itself).
fn after_www(chars: &[char], i: usize) -> bool {
    i >= 3
        && chars[i - 3..i].iter().all(|c| c.eq_ignore_ascii_case(&'w'))
        && (i == 3 || !chars[i - 4].is_alphanumeric())
}

/// The lines of sanitised text, each trimmed, empty ones dropped.
fn lines(clean: &str) -> impl Iterator<Item = &str> {
    clean.split('\n').map(str::trim).filter(|l| !l.is_empty())
}

/// Sanitised text on one line, escaped: for a table cell or a heading.
fn inline_of_clean(clean: &str) -> String {
    let mut out = String::with_capacity(clean.len() + 8);
    let joined: Vec<&str> = lines(clean).collect();
    escape_line(&joined.join(" "), &mut out, false);
    out
}

/// Sanitised text escaped line by line, joined by hard breaks ("\" at the end of a line),
/// every line after the first indented by `indent` spaces (to stay in a list item).
fn block_of_clean(clean: &str, indent: usize) -> String {
    let mut out = String::with_capacity(clean.len() + 8);
    for (n, line) in lines(clean).enumerate() {
        if n > 0 {
            out.push_str("\\\n");
            out.extend(std::iter::repeat_n(' ', indent));
        }
        escape_line(line, &mut out, true);
    }
    out
}

/// Any text as one escaped line (table cell, heading): sanitised, lines trimmed and
/// joined by spaces, punctuation escaped.
pub fn inline(text: &str) -> String {
    inline_of_clean(&sanitize(text))
}

/// Any text as an escaped paragraph: sanitised, lines trimmed, empty lines dropped,
/// punctuation escaped, line breaks kept as hard breaks.
pub fn block(text: &str) -> String {
    block_of_clean(&sanitize(text), 0)
}

/// What the last block written was, so blocks are separated correctly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Last {
    Nothing,
    Block,
    Bullet,
}

/// A Markdown document built from blocks; all text is escaped (module docs). A
/// [`DocWriter`] whose [`MarkdownWriter::finish`] renders Markdown.
pub struct MarkdownWriter<'r> {
    doc: DocWriter<'r>,
}

impl<'r> MarkdownWriter<'r> {
    /// An empty document whose text is changed by `rewrite` before escaping.
    pub fn new(rewrite: &'r dyn Rewrite) -> MarkdownWriter<'r> {
        MarkdownWriter {
            doc: DocWriter::new(rewrite),
        }
    }

    /// Text from the data: sanitised, rewritten, escaped onto one line.
    pub fn inline_text(&self, text: &str) -> String {
        inline_of_clean(&self.doc.text(text))
    }

    /// A line of its own in bold: the protective marking, a status, a warning.
    pub fn strong_line(&mut self, text: &str) {
        self.doc.strong_line(text);
    }

    /// A heading of `level` (1 to 6) on one line.
    pub fn heading(&mut self, level: usize, text: &str) {
        self.doc.heading(level, text);
    }

    /// A paragraph; the author's line breaks become hard breaks. Empty text writes nothing.
    pub fn paragraph(&mut self, text: &str) {
        self.doc.paragraph(text);
    }

    /// A paragraph led by a bold label: "**Fingerprint:** text".
    pub fn labelled(&mut self, label: &'static str, text: &str) {
        self.doc.labelled(label, text);
    }

    /// An item of a bullet list, with an optional bold label from the data.
    pub fn bullet(&mut self, label: Option<&str>, text: &str) {
        self.doc.bullet(label, text);
    }

    /// An item of a bullet list led by a name from the data and a colon.
    pub fn named(&mut self, name: &str, text: &str) {
        self.doc.named(name, text);
    }

    /// An item of a bullet list led by a fixed label: "- **Date:** 03 Sep 2026".
    pub fn fact(&mut self, label: &'static str, text: &str) {
        self.doc.fact(label, text);
    }

    /// A numbered paragraph of the minutes: "**3.1** (10:02) text".
    pub fn numbered(&mut self, number: &str, time: Option<&str>, text: &str) {
        self.doc.numbered(number, time, text);
    }

    /// A table with fixed headers ([`DocWriter::table`]).
    pub fn table(&mut self, headers: &[&'static str], rows: &[Vec<String>], empty: &'static str) {
        self.doc.table(headers, rows, empty);
    }

    /// The finished document, ending with one line break.
    pub fn finish(self) -> String {
        render(&self.doc.finish())
    }
}

/// The characters of text a line of pandoc's Word page holds, less some room: a table's
/// columns share this many by their content (each at least its longest word), and each
/// gets two more for its cell's margins, so a column's share of the dashes is about the
/// share of the page its longest word needs (with shares of 100 and no margins,
/// "Partnership" broke in the title block).
const SEPARATOR_TEXT: usize = 60;

/// Dashes per character of width: twice, so the separator row is always longer than
/// pandoc's 72 columns and `pandoc -f markdown` applies the relative widths (shorter
/// separators leave pipe-table columns to the content's natural width).
const DASHES_PER_CHARACTER: usize = 2;

/// A document as Markdown: every block's text escaped here (module docs). A metadata
/// block for pandoc comes first (title, marking, A4 paper); then the body, whose first
/// line is the protective marking; the title block and document control (when the
/// document has them) follow the marking and the paragraph under it.
pub fn render(doc: &Document) -> String {
    let mut r = Renderer {
        out: String::with_capacity(16 * 1024),
        last: Last::Nothing,
    };
    r.metadata(&doc.meta);
    // After the opening marking and the "who it is for" paragraph under it.
    let opening = match doc.blocks.as_slice() {
        [Block::Marking(_), Block::Paragraph(_), ..] => 2,
        [Block::Marking(_), ..] => 1,
        _ => 0,
    };
    for (i, block) in doc.blocks.iter().enumerate() {
        if i == opening {
            r.meta_tables(&doc.meta);
        }
        r.block(block);
    }
    if doc.blocks.len() <= opening {
        r.meta_tables(&doc.meta);
    }
    r.out
}

/// A value of the metadata block: escaped as Markdown (pandoc reads metadata values as
/// Markdown), then single-quoted YAML (a quote doubled), so nothing in it is read as YAML
/// or Markdown structure.
fn yaml_value(clean: &str) -> String {
    format!("'{}'", inline_of_clean(clean).replace('\'', "''"))
}

struct Renderer {
    out: String,
    last: Last,
}

impl Renderer {
    /// The YAML metadata block pandoc reads (`-f markdown`): title, marking, A4 paper.
    /// Nothing when the document has no title (a document built without meta).
    fn metadata(&mut self, meta: &Meta) {
        if meta.title.trim().is_empty() {
            return;
        }
        self.out.push_str("---\n");
        self.out.push_str("title: ");
        self.out.push_str(&yaml_value(&meta.title));
        self.out.push('\n');
        if !meta.marking.trim().is_empty() {
            self.out.push_str("marking: ");
            self.out.push_str(&yaml_value(&meta.marking));
            self.out.push('\n');
        }
        self.out.push_str("papersize: a4\n---\n\n");
    }

    /// The title block (a table without headers) and the document-control table.
    fn meta_tables(&mut self, meta: &Meta) {
        let pairs = |rows: &[(String, String)]| -> Vec<Vec<String>> {
            rows.iter()
                .map(|(l, v)| vec![l.clone(), v.clone()])
                .collect()
        };
        if !meta.title_block.is_empty() {
            self.block(&Block::Table {
                headers: vec![String::new(), String::new()],
                rows: pairs(&meta.title_block),
            });
        }
        if !meta.control.is_empty() {
            self.block(&Block::Table {
                headers: vec!["Document control".to_string(), String::new()],
                rows: pairs(&meta.control),
            });
        }
    }

    /// Starts a block: a blank line after the previous one.
    fn start_block(&mut self) {
        if self.last != Last::Nothing {
            self.out.push('\n');
        }
    }

    fn end_block(&mut self) {
        self.out.push('\n');
        self.last = Last::Block;
    }

    fn start_bullet(&mut self) {
        if self.last == Last::Block {
            self.out.push('\n');
        }
    }

    fn end_bullet(&mut self) {
        self.out.push('\n');
        self.last = Last::Bullet;
    }

    fn push_label(&mut self, label: &str) {
        let label = inline_of_clean(label);
        if !label.is_empty() {
            self.out.push_str("**");
            self.out.push_str(&label);
            self.out.push_str(":** ");
        }
    }

    fn strong(&mut self, text: &str) {
        let body = inline_of_clean(text);
        if body.is_empty() {
            return;
        }
        self.start_block();
        self.out.push_str("**");
        self.out.push_str(&body);
        self.out.push_str("**");
        self.end_block();
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Marking(text) | Block::Strong(text) => self.strong(text),
            Block::Heading { level, text } => {
                let body = inline_of_clean(text);
                self.start_block();
                self.out.push_str(&"#".repeat((*level).clamp(1, 6)));
                self.out.push(' ');
                self.out.push_str(&body);
                self.end_block();
            }
            Block::Paragraph(text) => {
                let body = block_of_clean(text, 0);
                if body.is_empty() {
                    return;
                }
                self.start_block();
                self.out.push_str(&body);
                self.end_block();
            }
            Block::Labelled { label, text } => {
                let body = block_of_clean(text, 0);
                self.start_block();
                self.push_label(label);
                self.out.push_str(&body);
                self.end_block();
            }
            Block::Bullet { label, text } => {
                let label = label
                    .as_deref()
                    .map(inline_of_clean)
                    .filter(|l| !l.is_empty());
                let body = block_of_clean(text, 2);
                self.start_bullet();
                self.out.push_str("- ");
                if let Some(label) = label {
                    self.out.push_str("**");
                    self.out.push_str(&label);
                    self.out.push_str("**");
                    if !body.is_empty() {
                        self.out.push(' ');
                    }
                }
                self.out.push_str(&body);
                self.end_bullet();
            }
            Block::Named { name, text } => {
                let name = inline_of_clean(name);
                let body = block_of_clean(text, 2);
                self.start_bullet();
                self.out.push_str("- ");
                if !name.is_empty() {
                    self.out.push_str("**");
                    self.out.push_str(&name);
                    self.out.push_str(":** ");
                }
                self.out.push_str(&body);
                self.end_bullet();
            }
            Block::Fact { label, text } => {
                let body = block_of_clean(text, 2);
                self.start_bullet();
                self.out.push_str("- ");
                self.push_label(label);
                self.out.push_str(&body);
                self.end_bullet();
            }
            Block::Numbered {
                number,
                time,
                lead,
                text,
            } => {
                let number = inline_of_clean(number);
                let time = time
                    .as_deref()
                    .map(inline_of_clean)
                    .filter(|t| !t.is_empty());
                let body = block_of_clean(text, 0);
                self.start_block();
                if !number.is_empty() {
                    self.out.push_str("**");
                    self.out.push_str(&number);
                    self.out.push_str("** ");
                }
                if let Some(time) = time {
                    self.out.push('(');
                    self.out.push_str(&time);
                    self.out.push_str(") ");
                }
                if let Some(lead) = lead {
                    self.out.push_str("**");
                    self.out.push_str(lead.label());
                    self.out.push_str(":** ");
                }
                self.out.push_str(&body);
                self.end_block();
            }
            Block::Table { headers, rows } => {
                self.start_block();
                let cells: Vec<String> = headers.iter().map(|h| inline_of_clean(h)).collect();
                self.push_row(&cells);
                // Relative widths from the content, as dashes (at least three each).
                self.out.push('|');
                for width in column_widths(headers, rows, SEPARATOR_TEXT) {
                    self.out
                        .push_str(&"-".repeat((width + 2) * DASHES_PER_CHARACTER));
                    self.out.push('|');
                }
                self.out.push('\n');
                for row in rows {
                    let cells: Vec<String> = row.iter().map(|c| inline_of_clean(c)).collect();
                    self.push_row(&cells);
                }
                self.last = Last::Block;
            }
            Block::Section { .. } => {}
        }
    }

    /// One table row. Every cell is padded with spaces, so a cell ending in an escaped
    /// backslash can never make the closing pipe look escaped.
    fn push_row(&mut self, cells: &[String]) {
        self.out.push('|');
        for cell in cells {
            self.out.push(' ');
            self.out.push_str(cell);
            self.out.push_str(" |");
        }
        self.out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_unchanged() {
        assert_eq!(
            inline("The chair welcomed members at 10:02, 3 of 4."),
            "The chair welcomed members at 10:02, 3 of 4."
        );
    }

    #[test]
    fn structure_at_the_start_of_a_line_is_escaped() {
        assert_eq!(block("# Heading"), "\\# Heading");
        assert_eq!(block("- item"), "\\- item");
        assert_eq!(block("+ item"), "\\+ item");
        assert_eq!(block("> quote"), "\\> quote");
        assert_eq!(block("12. item"), "12\\. item");
        assert_eq!(block("3) item"), "3\\) item");
        assert_eq!(block("==="), "\\===");
        assert_eq!(block("in 2019. Then"), "in 2019. Then");
        assert_eq!(block("a - b + c = d"), "a - b + c = d");
    }

    #[test]
    fn inline_syntax_is_escaped_everywhere() {
        assert_eq!(inline("a*b*_c_`d`"), "a\\*b\\*\\_c\\_\\`d\\`");
        assert_eq!(
            inline("[x](javascript:alert(1))"),
            "\\[x\\](javascript:alert(1))"
        );
        assert_eq!(inline("<script>&amp;"), "\\<script\\>\\&amp;");
        assert_eq!(inline("a|b ~~c~~ \\"), "a\\|b \\~\\~c\\~\\~ \\\\");
    }

    #[test]
    fn autolinks_and_emoji_are_broken() {
        assert_eq!(inline("jo@example.org"), "jo\\@example.org");
        assert_eq!(inline("see www.example.org"), "see www\\.example.org");
        assert_eq!(inline("https://example.org"), "https\\://example.org");
        assert_eq!(inline("a :smile: b"), "a \\:smile: b");
        assert_eq!(inline("Adult A: 14:00"), "Adult A: 14:00");
    }

    #[test]
    fn line_breaks_are_hard_breaks_in_blocks_and_spaces_inline() {
        assert_eq!(block("  one  \r\n\n - two\n"), "one\\\n\\- two");
        assert_eq!(inline("one\n- two\r\nthree"), "one - two three");
        assert_eq!(
            inline("- one\ntwo"),
            "- one two",
            "a cell or heading starts no block"
        );
        assert_eq!(inline("1. one"), "1. one");
    }

    #[test]
    fn controls_become_visible_before_escaping() {
        assert_eq!(
            inline("a\u{1b}[2Jb\u{202e}c\u{0}"),
            "a\u{241b}\\[2Jb\u{fffd}c\u{2400}"
        );
    }

    #[test]
    fn the_writer_separates_blocks_and_lists() {
        let mut w = MarkdownWriter::new(&Verbatim);
        w.strong_line("OFFICIAL-SENSITIVE");
        w.heading(1, "Minutes");
        w.fact("Date", "03 Sep 2026");
        w.bullet(Some("10:02"), "one\ntwo");
        w.paragraph("Text");
        w.table(&["A", "B"], &[vec!["x|y".into()]], "None.");
        w.table(&["A"], &[], "None recorded.");
        assert_eq!(
            w.finish(),
            format!(
                "**OFFICIAL-SENSITIVE**\n\n# Minutes\n\n- **Date:** 03 Sep 2026\n- **10:02** one\\\n  two\n\nText\n\n| A | B |\n|{}|{}|\n| x\\|y |  |\n\nNone recorded.\n",
                "-".repeat(10),
                "-".repeat(118)
            )
        );
    }

    #[test]
    fn a_document_with_meta_opens_with_a_metadata_block_and_its_tables_after_the_opening() {
        use crate::domain::document::Meta;
        let mut w = DocWriter::new(&Verbatim);
        w.marking("OFFICIAL");
        w.paragraph("For the panel.");
        w.heading(1, "Minutes");
        w.set_meta(Meta {
            title: "It's \"*x*\"".into(),
            marking: "OFFICIAL".into(),
            title_block: vec![("Review".into(), "R-1".into())],
            control: vec![("Version".into(), "Draft 1".into())],
            ..Meta::default()
        });
        let md = render(&w.finish());
        let lines: Vec<&str> = md.lines().collect();
        assert_eq!(
            lines[..8],
            [
                "---",
                "title: 'It''s \"\\*x\\*\"'",
                "marking: 'OFFICIAL'",
                "papersize: a4",
                "---",
                "",
                "**OFFICIAL**",
                ""
            ]
        );
        assert_eq!(lines[8], "For the panel.");
        assert_eq!(lines[10], "|  |  |");
        assert_eq!(lines[12], "| Review | R-1 |");
        assert_eq!(lines[14], "| Document control |  |");
        assert_eq!(lines[16], "| Version | Draft 1 |");
        assert_eq!(lines[18], "# Minutes");
        assert!(lines[11].len() > 72 && lines[15].len() > 72);
    }
}
