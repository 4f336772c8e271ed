//! A document as blocks, before it is Markdown or Word.
//!
//! Every export builds one [`Document`] through a [`DocWriter`]; the Markdown writer
//! (`domain::markdown`) and the Word writer (`export::docx`) each render the same
//! document. The writer is the single way text gets in: every piece of text from the data
//! is sanitised (`text::sanitize`) and then rewritten (the anonymiser, [`Rewrite`]) as it
//! is added, so each renderer only has to escape for its own format. Labels the program
//! writes itself are `&'static str`; a label from the data goes through the same path.
//!
//! Text in a block is clean: no control characters but `\n` between the author's lines.

use std::borrow::Cow;

use super::text::sanitize;

/// A change made to every piece of text before it is escaped (the anonymiser).
pub trait Rewrite {
    /// The text as it is to appear.
    fn rewrite<'t>(&self, text: &'t str) -> Cow<'t, str>;
}

/// Text as written: the copy for the panel.
#[derive(Debug, Clone, Copy, Default)]
pub struct Verbatim;

impl Rewrite for Verbatim {
    fn rewrite<'t>(&self, text: &'t str) -> Cow<'t, str> {
        Cow::Borrowed(text)
    }
}

/// A bold lead-in of a numbered paragraph of the minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lead {
    Decision,
    Action,
    Challenge,
}

impl Lead {
    /// "DECISION", "ACTION", "CHALLENGE".
    pub fn label(self) -> &'static str {
        match self {
            Lead::Decision => "DECISION",
            Lead::Action => "ACTION",
            Lead::Challenge => "CHALLENGE",
        }
    }
}

/// One block of a document. All text is clean (module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The protective marking on a line of its own (bold; the "Marking" style in Word).
    Marking(String),
    /// A line of its own in bold: a status, a warning.
    Strong(String),
    /// A heading of level 1 to 6.
    Heading { level: usize, text: String },
    /// A paragraph; `\n` are the author's line breaks.
    Paragraph(String),
    /// A paragraph led by a bold label: "**Fingerprint:** text".
    Labelled { label: String, text: String },
    /// An item of a bullet list with an optional bold label from the data.
    Bullet { label: Option<String>, text: String },
    /// An item of a bullet list led by a name and a colon.
    Named { name: String, text: String },
    /// An item of a bullet list led by a fixed label and a colon.
    Fact { label: String, text: String },
    /// A numbered paragraph of the minutes: number, optional time, optional lead-in.
    Numbered {
        number: String,
        time: Option<String>,
        lead: Option<Lead>,
        text: String,
    },
    /// A table: headers and rows of as many cells as headers (never empty: an empty
    /// table is written as a paragraph).
    Table {
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// The start of a new section of pages: landscape (for a wide table) or portrait.
    /// Markdown has no pages and ignores it.
    Section { landscape: bool },
}

/// What a document is, for its title block, document control, header and footer.
/// Each field is clean text; empty when not known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    /// The protective marking (header and footer of every page).
    pub marking: String,
    /// The document's title: "Minutes of panel meeting 2".
    pub title: String,
    /// The review reference.
    pub reference: String,
    /// The document's status for the footer: "DRAFT" or "APPROVED at meeting 3 …".
    pub status: String,
    /// A note for the footer besides the status ("not in the export register …").
    pub footer_note: String,
    /// The title block, label and value: partnership, review reference and kind,
    /// document title, meeting number, date, time, place.
    pub title_block: Vec<(String, String)>,
    /// The document-control table, label and value: version, date produced, produced
    /// by, distribution, handling note.
    pub control: Vec<(String, String)>,
}

/// A whole document: what it is and its blocks in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub meta: Meta,
    pub blocks: Vec<Block>,
}

impl Document {
    /// Every piece of text of the document, the meta included, one per line: what a
    /// reader can see, for the leak scan and the publication check.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        let mut push = |s: &str| {
            if !s.is_empty() {
                out.push_str(s);
                out.push('\n');
            }
        };
        push(&self.meta.marking);
        push(&self.meta.title);
        push(&self.meta.reference);
        push(&self.meta.status);
        push(&self.meta.footer_note);
        for (label, value) in self.meta.title_block.iter().chain(&self.meta.control) {
            push(label);
            push(value);
        }
        for b in &self.blocks {
            match b {
                Block::Marking(t) | Block::Strong(t) | Block::Paragraph(t) => push(t),
                Block::Heading { text, .. } => push(text),
                Block::Labelled { label, text } | Block::Fact { label, text } => {
                    push(label);
                    push(text);
                }
                Block::Bullet { label, text } => {
                    if let Some(l) = label {
                        push(l);
                    }
                    push(text);
                }
                Block::Named { name, text } => {
                    push(name);
                    push(text);
                }
                Block::Numbered {
                    number, time, text, ..
                } => {
                    push(number);
                    if let Some(t) = time {
                        push(t);
                    }
                    push(text);
                }
                Block::Table { headers, rows } => {
                    for h in headers {
                        push(h);
                    }
                    for row in rows {
                        for c in row {
                            push(c);
                        }
                    }
                }
                Block::Section { .. } => {}
            }
        }
        out
    }
}

/// Builds a [`Document`]: the only way text gets into one (module docs).
pub struct DocWriter<'r> {
    doc: Document,
    rewrite: &'r dyn Rewrite,
}

impl<'r> DocWriter<'r> {
    /// An empty document whose text is changed by `rewrite` after sanitising.
    pub fn new(rewrite: &'r dyn Rewrite) -> DocWriter<'r> {
        DocWriter {
            doc: Document::default(),
            rewrite,
        }
    }

    /// Text from the data as it is to appear: sanitised, then rewritten.
    pub fn text(&self, text: &str) -> String {
        let clean = sanitize(text);
        self.rewrite.rewrite(&clean).into_owned()
    }

    /// Text the program wrote itself (a label, a header): sanitised, not rewritten.
    fn own(text: &str) -> String {
        sanitize(text).into_owned()
    }

    fn push(&mut self, block: Block) {
        self.doc.blocks.push(block);
    }

    /// The document's meta data; text given to it goes through [`DocWriter::text`].
    pub fn set_meta(&mut self, meta: Meta) {
        let pairs = |w: &Self, rows: &[(String, String)]| -> Vec<(String, String)> {
            rows.iter()
                .map(|(l, v)| (Self::own(l), w.text(v)))
                .collect()
        };
        let m = Meta {
            marking: self.text(&meta.marking),
            title: self.text(&meta.title),
            reference: self.text(&meta.reference),
            status: self.text(&meta.status),
            footer_note: self.text(&meta.footer_note),
            title_block: pairs(self, &meta.title_block),
            control: pairs(self, &meta.control),
        };
        self.doc.meta = m;
    }

    /// The protective marking on a line of its own.
    pub fn marking(&mut self, text: &str) {
        let t = self.text(text);
        if !t.trim().is_empty() {
            self.push(Block::Marking(t));
        }
    }

    /// A line of its own in bold. Empty text writes nothing.
    pub fn strong_line(&mut self, text: &str) {
        let t = self.text(text);
        if !t.trim().is_empty() {
            self.push(Block::Strong(t));
        }
    }

    /// A heading of `level` (1 to 6).
    pub fn heading(&mut self, level: usize, text: &str) {
        let text = self.text(text);
        self.push(Block::Heading {
            level: level.clamp(1, 6),
            text,
        });
    }

    /// A paragraph. Empty text writes nothing.
    pub fn paragraph(&mut self, text: &str) {
        let t = self.text(text);
        if !t.trim().is_empty() {
            self.push(Block::Paragraph(t));
        }
    }

    /// A paragraph led by a bold label.
    pub fn labelled(&mut self, label: &'static str, text: &str) {
        let text = self.text(text);
        self.push(Block::Labelled {
            label: Self::own(label),
            text,
        });
    }

    /// An item of a bullet list, with an optional bold label from the data.
    pub fn bullet(&mut self, label: Option<&str>, text: &str) {
        let label = label.map(|l| self.text(l)).filter(|l| !l.trim().is_empty());
        let text = self.text(text);
        self.push(Block::Bullet { label, text });
    }

    /// An item of a bullet list led by a name from the data and a colon.
    pub fn named(&mut self, name: &str, text: &str) {
        let name = self.text(name);
        let text = self.text(text);
        self.push(Block::Named { name, text });
    }

    /// An item of a bullet list led by a fixed label: "Date: 03 Sep 2026".
    pub fn fact(&mut self, label: &'static str, text: &str) {
        let text = self.text(text);
        self.push(Block::Fact {
            label: Self::own(label),
            text,
        });
    }

    /// A numbered paragraph of the minutes; the number is the program's, the time and
    /// the text are from the data.
    pub fn numbered(&mut self, number: &str, time: Option<&str>, text: &str) {
        self.numbered_with(number, time, None, text);
    }

    /// [`DocWriter::numbered`] with a bold lead-in (DECISION, ACTION, CHALLENGE).
    pub fn numbered_with(
        &mut self,
        number: &str,
        time: Option<&str>,
        lead: Option<Lead>,
        text: &str,
    ) {
        let time = time.map(|t| self.text(t)).filter(|t| !t.trim().is_empty());
        let text = self.text(text);
        self.push(Block::Numbered {
            number: Self::own(number),
            time,
            lead,
            text,
        });
    }

    /// A table with fixed headers; each row has as many cells as there are headers
    /// (missing cells are left empty, extra ones dropped). With no rows, `empty` is
    /// written as a paragraph instead.
    pub fn table(&mut self, headers: &[&'static str], rows: &[Vec<String>], empty: &'static str) {
        if rows.is_empty() {
            self.paragraph(empty);
            return;
        }
        let headers: Vec<String> = headers.iter().map(|h| Self::own(h)).collect();
        let rows = rows
            .iter()
            .map(|row| {
                (0..headers.len())
                    .map(|i| row.get(i).map(|c| self.text(c)).unwrap_or_default())
                    .collect()
            })
            .collect();
        self.push(Block::Table { headers, rows });
    }

    /// Starts a new section of pages (landscape for a wide table, or back to portrait).
    pub fn section(&mut self, landscape: bool) {
        self.push(Block::Section { landscape });
    }

    /// The finished document.
    pub fn finish(self) -> Document {
        self.doc
    }
}

/// The lines of clean text, each trimmed, empty ones dropped.
pub fn lines(clean: &str) -> impl Iterator<Item = &str> {
    clean.split('\n').map(str::trim).filter(|l| !l.is_empty())
}

/// Relative widths for the columns of a table, from their content, summing to `total`:
/// every column gets at least its longest word (so no word need break when the page is
/// wide enough) and the rest of the width goes by each column's typical length. Widths
/// are in "characters"; the caller scales them to twips or dashes. When even the longest
/// words do not fit in `total`, the widths are their longest words scaled down together.
pub fn column_widths(headers: &[String], rows: &[Vec<String>], total: usize) -> Vec<usize> {
    let n = headers.len();
    if n == 0 {
        return Vec::new();
    }
    let word = |s: &str| -> usize {
        s.split_whitespace()
            .map(unicode_width::UnicodeWidthStr::width)
            .max()
            .unwrap_or(0)
    };
    let len = |s: &str| -> usize {
        lines(s)
            .map(unicode_width::UnicodeWidthStr::width)
            .sum::<usize>()
    };
    let mut min = vec![1usize; n];
    let mut want = vec![1usize; n];
    for (i, h) in headers.iter().enumerate() {
        min[i] = min[i].max(word(h));
        want[i] = want[i].max(len(h));
    }
    for row in rows {
        for (i, c) in row.iter().enumerate().take(n) {
            min[i] = min[i].max(word(c));
            // The typical length: long cells count, but one huge cell does not take all.
            want[i] = want[i].max(len(c).min(60));
        }
    }
    let min_sum: usize = min.iter().sum();
    if min_sum >= total {
        // Scale the longest words down together; every column keeps at least 1.
        return min
            .iter()
            .map(|m| (m * total / min_sum.max(1)).max(1))
            .collect();
    }
    let spare = total - min_sum;
    let extra: Vec<usize> = want
        .iter()
        .zip(&min)
        .map(|(w, m)| w.saturating_sub(*m))
        .collect();
    let extra_sum: usize = extra.iter().sum();
    let mut widths: Vec<usize> = if extra_sum == 0 {
        min.clone()
    } else {
        min.iter()
            .zip(&extra)
            .map(|(m, e)| m + e * spare / extra_sum)
            .collect()
    };
    // Give what rounding left over to the widest-wanting column.
    let used: usize = widths.iter().sum();
    if used < total
        && let Some((i, _)) = extra.iter().enumerate().max_by_key(|(_, e)| **e)
    {
        widths[i] += total - used;
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_sanitised_and_rewritten_once() {
        struct Upper;
        impl Rewrite for Upper {
            fn rewrite<'t>(&self, text: &'t str) -> Cow<'t, str> {
                Cow::Owned(text.to_uppercase())
            }
        }
        let mut w = DocWriter::new(&Upper);
        w.labelled("Label", "a\u{1b}[31mb");
        w.table(&["Who"], &[vec!["jo".into()]], "none");
        let doc = w.finish();
        match &doc.blocks[0] {
            Block::Labelled { label, text } => {
                assert_eq!(label, "Label", "labels are the program's, not rewritten");
                assert!(!text.contains('\u{1b}'), "{text:?}");
                assert!(text.starts_with('A'), "{text:?}");
            }
            b => panic!("{b:?}"),
        }
        assert_eq!(
            doc.blocks[1],
            Block::Table {
                headers: vec!["Who".into()],
                rows: vec![vec!["JO".into()]]
            }
        );
    }

    #[test]
    fn widths_keep_the_longest_word_whole_and_sum_to_the_total() {
        let headers = vec!["Date".to_string(), "What happened".to_string()];
        let rows = vec![vec![
            "Spring 2019".to_string(),
            "safeguarding referral made by the health visitor after a home visit".to_string(),
        ]];
        let w = column_widths(&headers, &rows, 80);
        assert_eq!(w.iter().sum::<usize>(), 80);
        assert!(
            w[0] >= "Spring".len() && w[1] >= "safeguarding".len(),
            "{w:?}"
        );
        assert!(w[1] > w[0], "the long text gets the room: {w:?}");
    }

    #[test]
    fn an_empty_table_is_its_sentence() {
        let mut w = DocWriter::new(&Verbatim);
        w.table(&["A"], &[], "No rows.");
        assert_eq!(w.finish().blocks, vec![Block::Paragraph("No rows.".into())]);
    }
}
