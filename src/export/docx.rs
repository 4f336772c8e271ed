//! The Word writer: a [`Document`] as a .docx file, written natively (a zip of
//! WordprocessingML parts), and [`visible_text`], which reads one back for the leak scan.
//!
//! Layout: A4 pages with 2.54 cm margins; a `Block::Section` starts a new section,
//! landscape (the page itself turned: width 16838, height 11906 twips) or portrait; every
//! section refers to the same header (the marking, centred) and footer (the marking, then
//! "Page X of Y" as PAGE and NUMPAGES fields, the review reference, the status and any
//! footer note). Tables have a fixed layout with column widths from their content
//! (`domain::document::column_widths`), widened so that each column holds its longest
//! word at the table's type size: no word breaks across lines at the paper width.
//! Everything is styled by named styles (Normal, Title, Heading 1–3, Marking, List
//! Bullet, Numbered Paragraph, Table Text, Table Grid, header, footer) so a council can
//! restyle a copy with its own template.
//!
//! Text gets into the XML one way only: [`escape`] (XML escaping, `\n` as a line break,
//! anything XML 1.0 does not allow dropped). The bytes are the same for the same document
//! (fixed zip times, no dates in the properties), so tests are stable.

use std::fmt::Write as _;
use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use crate::domain::document::{Block, Document, column_widths};

/// A4 portrait, in twips.
pub const PAGE_WIDTH: u32 = 11906;
/// A4 portrait, in twips.
pub const PAGE_HEIGHT: u32 = 16838;
/// 2.54 cm on every side, in twips.
pub const MARGIN: u32 = 1440;
/// The width for text on a portrait page: 9026 twips.
pub const PORTRAIT_TEXT: u32 = PAGE_WIDTH - 2 * MARGIN;
/// The width for text on a landscape page: 13958 twips.
pub const LANDSCAPE_TEXT: u32 = PAGE_HEIGHT - 2 * MARGIN;
/// A table cell's left and right margins together (the Normal Table style's 108 each).
const CELL_PADDING: u32 = 216;
/// The type size of table text, in half points (9 pt).
const TABLE_SIZE: u32 = 18;
/// The sizes a table's text may take, largest first, each with its style: a table whose
/// longest words do not fit the width at 9 pt gets 8 pt, then 7 pt.
const TABLE_SIZES: [(u32, &str); 3] = [
    (TABLE_SIZE, "TableText"),
    (16, "TableTextSmall"),
    (14, "TableTextTiny"),
];
/// Who the properties say made and last changed the file: the program, never a person.
const PRODUCER: &str = "DHR Panel";

/// Why a Word file could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("the Word file could not be put together: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("the Word file could not be read: {0}")]
    Io(#[from] std::io::Error),
    #[error("the Word file has no {0}")]
    Missing(&'static str),
}

/// Where a piece of text goes: a run (line breaks as `<w:br/>`, tabs as `<w:tab/>`), a
/// run in a table cell (hyphens also non-breaking, as the column was made wide enough for
/// the whole word: "0201-0044" stays on one line), or a plain element such as a property
/// (line breaks and tabs as spaces).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Run,
    Cell,
    Plain,
}

/// The one way text gets into the XML: escaped, `\n` as a line break in a run (a space
/// elsewhere), and every character XML 1.0 does not allow dropped.
fn escape(text: &str, place: Place) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' if place == Place::Plain => out.push(' '),
            '\n' => out.push_str("</w:t><w:br/><w:t xml:space=\"preserve\">"),
            '\t' => out.push_str("</w:t><w:tab/><w:t xml:space=\"preserve\">"),
            '-' if place == Place::Cell => {
                out.push_str("</w:t><w:noBreakHyphen/><w:t xml:space=\"preserve\">");
            }
            c if allowed_in_xml(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// XML 1.0's Char, less the tab, line feed and carriage return handled above.
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// A run of text, bold or not.
fn run(out: &mut String, text: &str, bold: bool) {
    run_in(out, text, bold, Place::Run);
}

/// A run of text for `place` (a paragraph or a table cell).
fn run_in(out: &mut String, text: &str, bold: bool, place: Place) {
    if text.is_empty() {
        return;
    }
    out.push_str("<w:r>");
    if bold {
        out.push_str("<w:rPr><w:b/><w:bCs/></w:rPr>");
    }
    out.push_str("<w:t xml:space=\"preserve\">");
    out.push_str(&escape(text, place));
    out.push_str("</w:t></w:r>");
}

/// A paragraph of `style` (None: Normal) holding runs of (text, bold).
fn paragraph(out: &mut String, style: Option<&str>, runs: &[(&str, bool)]) {
    out.push_str("<w:p>");
    if let Some(style) = style {
        let _ = write!(out, "<w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>");
    }
    for (text, bold) in runs {
        run(out, text, *bold);
    }
    out.push_str("</w:p>");
}

/// The properties of a section: page size and orientation, margins, and the one header
/// and footer every section shows.
fn section_properties(landscape: bool) -> String {
    let (w, h, orient) = if landscape {
        (PAGE_HEIGHT, PAGE_WIDTH, "landscape")
    } else {
        (PAGE_WIDTH, PAGE_HEIGHT, "portrait")
    };
    format!(
        "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>\
         <w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
         <w:type w:val=\"nextPage\"/>\
         <w:pgSz w:w=\"{w}\" w:h=\"{h}\" w:orient=\"{orient}\"/>\
         <w:pgMar w:top=\"{MARGIN}\" w:right=\"{MARGIN}\" w:bottom=\"{MARGIN}\" w:left=\"{MARGIN}\" \
         w:header=\"708\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr>"
    )
}

/// The body as it is written: the XML so far and the orientation of the open section.
struct Body {
    xml: String,
    landscape: bool,
    /// Whether anything was written in the open section.
    started: bool,
}

impl Body {
    fn text_width(&self) -> u32 {
        if self.landscape {
            LANDSCAPE_TEXT
        } else {
            PORTRAIT_TEXT
        }
    }

    fn paragraph(&mut self, style: Option<&str>, runs: &[(&str, bool)]) {
        paragraph(&mut self.xml, style, runs);
        self.started = true;
    }

    /// Ends the open section (its properties in an empty paragraph of its own) and opens
    /// one in the given orientation. At the very start, or to the same orientation, it
    /// only sets the orientation.
    fn section(&mut self, landscape: bool) {
        if landscape == self.landscape {
            return;
        }
        if self.started {
            let _ = write!(
                self.xml,
                "<w:p><w:pPr>{}</w:pPr></w:p>",
                section_properties(self.landscape)
            );
        }
        self.landscape = landscape;
        self.started = false;
    }

    /// A table in the Table Grid style, fixed layout, with widths for its content. With
    /// `headers`, a bold first row repeated on every page; `bold_first_column` for a table
    /// of labels and values.
    fn table(&mut self, headers: Option<&[String]>, rows: &[Vec<String>], bold_first_column: bool) {
        let columns = headers
            .map(<[String]>::len)
            .or_else(|| rows.iter().map(Vec::len).max())
            .unwrap_or(0);
        if columns == 0 {
            return;
        }
        let width = self.text_width();
        let (size, style) = TABLE_SIZES
            .iter()
            .copied()
            .find(|(size, _)| {
                column_needs(headers, rows, columns, bold_first_column, *size)
                    .iter()
                    .sum::<u32>()
                    <= width
            })
            .unwrap_or(TABLE_SIZES[TABLE_SIZES.len() - 1]);
        let widths = table_widths(headers, rows, columns, width, bold_first_column, size);
        let total: u32 = widths.iter().sum();
        let out = &mut self.xml;
        let _ = write!(
            out,
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"{total}\" w:type=\"dxa\"/>\
             <w:tblLayout w:type=\"fixed\"/><w:tblLook w:val=\"04A0\" w:firstRow=\"{}\" w:lastRow=\"0\" \
             w:firstColumn=\"{}\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
            u8::from(headers.is_some()),
            u8::from(bold_first_column)
        );
        for w in &widths {
            let _ = write!(out, "<w:gridCol w:w=\"{w}\"/>");
        }
        out.push_str("</w:tblGrid>");
        let row = |out: &mut String, cells: &[String], header: bool| {
            out.push_str("<w:tr>");
            if header {
                out.push_str("<w:trPr><w:tblHeader/></w:trPr>");
            }
            for (i, w) in widths.iter().enumerate() {
                let text = cells.get(i).map(String::as_str).unwrap_or("");
                let bold = header || (bold_first_column && i == 0);
                let _ = write!(
                    out,
                    "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/></w:tcPr>"
                );
                let _ = write!(out, "<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>");
                run_in(out, text, bold, Place::Cell);
                out.push_str("</w:p>");
                out.push_str("</w:tc>");
            }
            out.push_str("</w:tr>");
        };
        if let Some(headers) = headers {
            row(out, headers, true);
        }
        for cells in rows {
            row(out, cells, false);
        }
        out.push_str("</w:tbl>");
        // A paragraph after every table, so two tables never merge and a section break
        // never sits in a table.
        self.paragraph(Some("TableAfter"), &[]);
    }
}

/// About how wide a character is in Arial (Liberation Sans), in thousandths of the type
/// size; on the generous side, so a column given this much holds the word.
fn glyph_width(c: char) -> u32 {
    match c {
        'i' | 'j' | 'l' | '\'' | '|' => 230,
        'f' | 't' | 'I' | ' ' | '.' | ',' | ':' | ';' | '!' | '/' => 280,
        'r' | '(' | ')' | '-' | '[' | ']' => 340,
        'm' => 840,
        'w' => 730,
        'M' => 840,
        'W' => 950,
        'G' | 'O' | 'Q' => 780,
        '@' => 1020,
        'a'..='z' | '0'..='9' => 560,
        'A'..='Z' => 730,
        c if unicode_width::UnicodeWidthChar::width(c).unwrap_or(1) > 1 => 1000,
        _ => 650,
    }
}

/// The widest a single word may make its column, in twips (three inches): a longer
/// word (a pasted code, a long path) breaks rather than squeezing every other column
/// to a letter's width. A 40-letter word at the table size still fits whole.
const LONGEST_WORD: u32 = 4320;

/// The width a word needs on one line at `half_points`, in twips, bold or not, at most
/// [`LONGEST_WORD`].
fn word_twips(word: &str, bold: bool, half_points: u32) -> u32 {
    // Counted in u64 and stopped early: a word of any length cannot overflow.
    let mut thousandths: u64 = 0;
    for c in word.chars() {
        thousandths += u64::from(glyph_width(c));
        if thousandths > 1_000_000 {
            break;
        }
    }
    // Bold is about a tenth wider; a twentieth more for rounding in the renderer.
    let thousandths = if bold {
        thousandths * 115 / 100
    } else {
        thousandths * 105 / 100
    };
    // half points × 10 = twips of the type size.
    let twips = (thousandths * u64::from(half_points) * 10).div_ceil(1000);
    u32::try_from(twips).unwrap_or(u32::MAX).min(LONGEST_WORD)
}

/// What each column needs, in twips, to hold its longest word on one line at
/// `half_points` (headers in bold), its cell margins included.
fn column_needs(
    headers: Option<&[String]>,
    rows: &[Vec<String>],
    columns: usize,
    bold_first_column: bool,
    half_points: u32,
) -> Vec<u32> {
    let longest = |cell: &str, bold: bool| {
        cell.split_whitespace()
            .map(|w| word_twips(w, bold, half_points))
            .max()
            .unwrap_or(0)
    };
    (0..columns)
        .map(|i| {
            let head = headers
                .and_then(|h| h.get(i))
                .map_or(0, |h| longest(h, true));
            // A label column (the title block's, document control's) keeps each label
            // on one line: "Date produced", not "Date / produced".
            let label = bold_first_column && i == 0;
            let body = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| {
                    if label {
                        word_twips(c, true, half_points)
                    } else {
                        longest(c, false)
                    }
                })
                .max()
                .unwrap_or(0);
            head.max(body) + CELL_PADDING
        })
        .collect()
}

/// Whether a table of the document needs a landscape page: its longest words do not fit
/// a portrait page at the normal table size.
fn too_wide_for_portrait(b: &Block) -> bool {
    match b {
        Block::Table { headers, rows } => {
            column_needs(Some(headers), rows, headers.len(), false, TABLE_SIZE)
                .iter()
                .sum::<u32>()
                > PORTRAIT_TEXT
        }
        _ => false,
    }
}

/// Column widths in twips summing to `text_width`: the shares of `column_widths`, each
/// column then widened to hold its longest word at `half_points` (taking the room from
/// columns that have more than they need).
fn table_widths(
    headers: Option<&[String]>,
    rows: &[Vec<String>],
    columns: usize,
    text_width: u32,
    bold_first_column: bool,
    half_points: u32,
) -> Vec<u32> {
    let header_cells: Vec<String> = match headers {
        Some(h) => h.to_vec(),
        None => vec![String::new(); columns],
    };
    let need = column_needs(headers, rows, columns, bold_first_column, half_points);
    let need_sum: u32 = need.iter().sum();
    if need_sum >= text_width {
        // Even the longest words do not fit: share the width by what each needs.
        return need
            .iter()
            .map(|n| (u64::from(*n) * u64::from(text_width) / u64::from(need_sum.max(1))) as u32)
            .map(|w| w.max(CELL_PADDING))
            .collect();
    }
    // Shares from content, in characters of about 100 twips.
    let shares = column_widths(&header_cells, rows, (text_width / 100) as usize);
    let share_sum: u64 = shares.iter().map(|s| *s as u64).sum::<u64>().max(1);
    let mut widths: Vec<u32> = shares
        .iter()
        .map(|s| (*s as u64 * u64::from(text_width) / share_sum) as u32)
        .collect();
    let deficit: u32 = widths
        .iter()
        .zip(&need)
        .map(|(w, n)| n.saturating_sub(*w))
        .sum();
    let surplus: u32 = widths
        .iter()
        .zip(&need)
        .map(|(w, n)| w.saturating_sub(*n))
        .sum();
    if deficit > 0 && surplus > 0 {
        for (w, n) in widths.iter_mut().zip(&need) {
            if *w < *n {
                *w = *n;
            } else {
                let spare = *w - *n;
                let take = (u64::from(spare) * u64::from(deficit)).div_ceil(u64::from(surplus));
                *w -= (take as u32).min(spare);
            }
        }
    }
    // Rounding: what is left over (or over the width) goes to (or comes from) the column
    // with the most room.
    let used: u32 = widths.iter().sum();
    let roomiest = widths
        .iter()
        .zip(&need)
        .enumerate()
        .max_by_key(|(_, (w, n))| w.saturating_sub(**n))
        .map(|(i, _)| i)
        .unwrap_or(0);
    if used < text_width {
        widths[roomiest] += text_width - used;
    } else if used > text_width {
        let over = used - text_width;
        let room = widths[roomiest].saturating_sub(need[roomiest]);
        widths[roomiest] -= over.min(room);
    }
    widths
}

/// The marking for the header and footer: the meta's, else the first marking line.
fn marking_of(doc: &Document) -> &str {
    if !doc.meta.marking.trim().is_empty() {
        return &doc.meta.marking;
    }
    doc.blocks
        .iter()
        .find_map(|b| match b {
            Block::Marking(t) => Some(t.as_str()),
            _ => None,
        })
        .unwrap_or("")
}

/// The title for the properties: the meta's, else the first heading.
fn title_of(doc: &Document) -> &str {
    if !doc.meta.title.trim().is_empty() {
        return &doc.meta.title;
    }
    doc.blocks
        .iter()
        .find_map(|b| match b {
            Block::Heading { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .unwrap_or("")
}

/// word/document.xml.
fn document_xml(doc: &Document) -> String {
    let mut body = Body {
        xml: String::new(),
        landscape: false,
        started: false,
    };
    let meta = &doc.meta;
    // With a marking in the meta, the header and footer carry it on every page: the
    // body's own marking lines (the Markdown's first and last line) are not repeated.
    let skip_marking = !meta.marking.trim().is_empty();
    // Without, the marking lines that open the document stay at the top, above the title.
    let lead = if skip_marking {
        0
    } else {
        doc.blocks
            .iter()
            .take_while(|b| matches!(b, Block::Marking(_)))
            .count()
    };
    for b in &doc.blocks[..lead] {
        block(&mut body, b);
    }
    // The title: the body's first top heading ("DRAFT minutes of panel meeting 2"),
    // which is then not repeated under the title block; else the meta's title.
    let first_top = doc
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Heading { level: 1, .. }));
    let mut skip_heading = None;
    if !meta.title.trim().is_empty() {
        match first_top.map(|i| (i, &doc.blocks[i])) {
            Some((i, Block::Heading { text, .. })) => {
                body.paragraph(Some("Title"), &[(text, false)]);
                skip_heading = Some(i);
            }
            _ => body.paragraph(Some("Title"), &[(&meta.title, false)]),
        }
    }
    let pairs = |rows: &[(String, String)]| -> Vec<Vec<String>> {
        rows.iter()
            .map(|(l, v)| vec![l.clone(), v.clone()])
            .collect()
    };
    if !meta.title_block.is_empty() {
        body.table(None, &pairs(&meta.title_block), true);
    }
    if !meta.control.is_empty() {
        body.paragraph(Some("Heading2"), &[("Document control", false)]);
        body.table(None, &pairs(&meta.control), true);
    }
    // A table too wide for a portrait page turns the page for itself (with the heading
    // just before it), then turns it back.
    let rest = &doc.blocks[lead..];
    let mut turned = false;
    for (i, b) in rest.iter().enumerate() {
        if skip_heading == Some(lead + i) || (skip_marking && matches!(b, Block::Marking(_))) {
            continue;
        }
        if !body.landscape {
            let wide = match b {
                Block::Heading { .. } => rest.get(i + 1).is_some_and(too_wide_for_portrait),
                b => too_wide_for_portrait(b),
            };
            if wide {
                body.section(true);
                turned = true;
            }
        }
        block(&mut body, b);
        if turned && matches!(b, Block::Table { .. }) {
            body.section(false);
            turned = false;
        }
    }
    let last = section_properties(body.landscape);
    format!(
        "{XML_HEAD}<w:document xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:body>{}{last}</w:body></w:document>",
        body.xml
    )
}

/// One block of the document.
fn block(body: &mut Body, b: &Block) {
    match b {
        Block::Marking(t) => body.paragraph(Some("Marking"), &[(t, false)]),
        Block::Strong(t) => body.paragraph(None, &[(t, true)]),
        Block::Heading { level, text } => {
            let style = match level {
                1 => "Heading1",
                2 => "Heading2",
                _ => "Heading3",
            };
            body.paragraph(Some(style), &[(text, false)]);
        }
        Block::Paragraph(t) => body.paragraph(None, &[(t, false)]),
        Block::Labelled { label, text } => {
            let label = labelled(label);
            body.paragraph(None, &[(&label, true), (text, false)]);
        }
        Block::Fact { label, text } => {
            let label = labelled(label);
            body.paragraph(Some("ListBullet"), &[(&label, true), (text, false)]);
        }
        Block::Named { name, text } => {
            let name = labelled(name);
            body.paragraph(Some("ListBullet"), &[(&name, true), (text, false)]);
        }
        Block::Bullet { label, text } => {
            let label = label
                .as_deref()
                .filter(|l| !l.trim().is_empty())
                .map(|l| format!("{l} "))
                .unwrap_or_default();
            body.paragraph(Some("ListBullet"), &[(&label, true), (text, false)]);
        }
        Block::Numbered {
            number,
            time,
            lead,
            text,
        } => {
            let number = if number.is_empty() {
                String::new()
            } else {
                format!("{number}\t")
            };
            let time = time
                .as_deref()
                .map(|t| format!("({t}) "))
                .unwrap_or_default();
            let lead = lead.map(|l| format!("{}: ", l.label())).unwrap_or_default();
            body.paragraph(
                Some("NumberedParagraph"),
                &[
                    (&number, true),
                    (&time, false),
                    (&lead, true),
                    (text, false),
                ],
            );
        }
        Block::Table { headers, rows } => body.table(Some(headers), rows, false),
        Block::Section { landscape } => body.section(*landscape),
    }
}

/// "Label: ", or nothing for an empty label.
fn labelled(label: &str) -> String {
    if label.trim().is_empty() {
        String::new()
    } else {
        format!("{label}: ")
    }
}

/// word/header1.xml: the marking, centred.
fn header_xml(doc: &Document) -> String {
    let mut out = String::new();
    paragraph(&mut out, Some("Marking"), &[(marking_of(doc), false)]);
    format!("{XML_HEAD}<w:hdr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\">{out}</w:hdr>")
}

/// word/footer1.xml: the marking; "Page X of Y", the reference and the status; the note.
fn footer_xml(doc: &Document) -> String {
    let meta = &doc.meta;
    let mut out = String::new();
    paragraph(&mut out, Some("Marking"), &[(marking_of(doc), false)]);
    out.push_str("<w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>");
    run(&mut out, "Page ", false);
    out.push_str("<w:fldSimple w:instr=\" PAGE \\* MERGEFORMAT \">");
    run(&mut out, "1", false);
    out.push_str("</w:fldSimple>");
    run(&mut out, " of ", false);
    out.push_str("<w:fldSimple w:instr=\" NUMPAGES \\* MERGEFORMAT \">");
    run(&mut out, "1", false);
    out.push_str("</w:fldSimple>");
    for part in [&meta.reference, &meta.status] {
        if !part.trim().is_empty() {
            run(&mut out, " | ", false);
            run(&mut out, part, false);
        }
    }
    out.push_str("</w:p>");
    if !meta.footer_note.trim().is_empty() {
        paragraph(&mut out, Some("Footer"), &[(&meta.footer_note, false)]);
    }
    format!("{XML_HEAD}<w:ftr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\">{out}</w:ftr>")
}

/// docProps/core.xml: the title, and the program as creator and last modifier.
fn core_xml(doc: &Document) -> String {
    format!(
        "{XML_HEAD}<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>{PRODUCER}</dc:creator>\
         <cp:lastModifiedBy>{PRODUCER}</cp:lastModifiedBy></cp:coreProperties>",
        escape(title_of(doc), Place::Plain)
    )
}

const CONTENT_TYPES: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">",
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>",
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>",
    "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>",
    "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>",
    "<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>",
    "<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>",
    "<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>",
    "<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>",
    "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>",
    "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>",
    "</Types>"
);

const PACKAGE_RELS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>",
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>",
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>",
    "</Relationships>"
);

const DOCUMENT_RELS: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    "<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>",
    "<Relationship Id=\"rIdNumbering\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/>",
    "<Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>",
    "<Relationship Id=\"rIdHeader\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>",
    "<Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>",
    "</Relationships>"
);

const APP_XML: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">",
    "<Application>DHR Panel</Application></Properties>"
);

const SETTINGS_XML: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    "<w:defaultTabStop w:val=\"720\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>",
    "<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>",
    "</w:settings>"
);

const NUMBERING_XML: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    "<w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"singleLevel\"/>",
    "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"\u{2022}\"/>",
    "<w:lvlJc w:val=\"left\"/><w:pPr><w:ind w:left=\"720\" w:hanging=\"360\"/></w:pPr></w:lvl></w:abstractNum>",
    "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>",
    "</w:numbering>"
);

/// word/styles.xml: every style the writer uses, by id and by name.
const STYLES_XML: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
    "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:eastAsia=\"Arial\" w:cs=\"Arial\"/>",
    "<w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"en-GB\" w:eastAsia=\"en-GB\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>",
    "<w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>",
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>",
    "<w:pPr><w:spacing w:before=\"240\" w:after=\"240\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val=\"40\"/><w:szCs w:val=\"40\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>",
    "<w:pPr><w:keepNext/><w:spacing w:before=\"360\" w:after=\"120\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>",
    "<w:pPr><w:keepNext/><w:spacing w:before=\"240\" w:after=\"120\"/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Heading3\"><w:name w:val=\"heading 3\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>",
    "<w:pPr><w:keepNext/><w:spacing w:before=\"200\" w:after=\"80\"/><w:outlineLvl w:val=\"2\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"Marking\"><w:name w:val=\"Marking\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>",
    "<w:pPr><w:jc w:val=\"center\"/><w:spacing w:before=\"0\" w:after=\"60\"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"ListBullet\"><w:name w:val=\"List Bullet\"/><w:basedOn w:val=\"Normal\"/>",
    "<w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr><w:spacing w:after=\"60\"/><w:ind w:left=\"720\" w:hanging=\"360\"/></w:pPr></w:style>",
    "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"NumberedParagraph\"><w:name w:val=\"Numbered Paragraph\"/><w:basedOn w:val=\"Normal\"/>",
    "<w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"851\"/></w:tabs><w:ind w:left=\"851\" w:hanging=\"851\"/></w:pPr></w:style>",
    "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TableText\"><w:name w:val=\"Table Text\"/><w:basedOn w:val=\"Normal\"/>",
    "<w:pPr><w:spacing w:before=\"20\" w:after=\"20\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TableTextSmall\"><w:name w:val=\"Table Text Small\"/><w:basedOn w:val=\"TableText\"/>",
    "<w:rPr><w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TableTextTiny\"><w:name w:val=\"Table Text Tiny\"/><w:basedOn w:val=\"TableText\"/>",
    "<w:rPr><w:sz w:val=\"14\"/><w:szCs w:val=\"14\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"TableAfter\"><w:name w:val=\"Table After\"/><w:basedOn w:val=\"Normal\"/>",
    "<w:pPr><w:spacing w:before=\"0\" w:after=\"120\" w:line=\"120\" w:lineRule=\"exact\"/></w:pPr><w:rPr><w:sz w:val=\"8\"/><w:szCs w:val=\"8\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Header\"><w:name w:val=\"header\"/><w:basedOn w:val=\"Normal\"/>",
    "<w:pPr><w:jc w:val=\"center\"/><w:spacing w:after=\"0\"/></w:pPr><w:rPr><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr></w:style>",
    "<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/>",
    "<w:pPr><w:jc w:val=\"center\"/><w:spacing w:after=\"0\"/></w:pPr><w:rPr><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr></w:style>",
    "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/>",
    "<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>",
    "<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>",
    "<w:style w:type=\"table\" w:styleId=\"TableGrid\"><w:name w:val=\"Table Grid\"/><w:basedOn w:val=\"TableNormal\"/>",
    "<w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr>",
    "<w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>",
    "<w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>",
    "<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/></w:tblBorders></w:tblPr></w:style>",
    "</w:styles>"
);

/// The document as a .docx file. The same document gives the same bytes.
pub fn render(doc: &Document) -> Result<Vec<u8>, DocxError> {
    let parts: [(&str, std::borrow::Cow<'_, str>); 10] = [
        ("[Content_Types].xml", CONTENT_TYPES.into()),
        ("_rels/.rels", PACKAGE_RELS.into()),
        ("docProps/core.xml", core_xml(doc).into()),
        ("docProps/app.xml", APP_XML.into()),
        ("word/document.xml", document_xml(doc).into()),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS.into()),
        ("word/styles.xml", STYLES_XML.into()),
        ("word/numbering.xml", NUMBERING_XML.into()),
        ("word/settings.xml", SETTINGS_XML.into()),
        ("word/header1.xml", header_xml(doc).into()),
    ];
    let footer = footer_xml(doc);
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, xml) in parts
        .iter()
        .map(|(n, x)| (*n, x.as_ref()))
        .chain(std::iter::once(("word/footer1.xml", footer.as_str())))
    {
        zip.start_file(name, options)?;
        zip.write_all(xml.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

/// The most a part may unpack to when read back (a Word file is not a zip bomb).
const PART_LIMIT: u64 = 256 * 1024 * 1024;

/// One part of a Word file as text, or None when there is no such part.
fn read_part<R: Read + std::io::Seek>(
    zip: &mut ZipArchive<R>,
    name: &str,
) -> Result<Option<String>, DocxError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let mut bytes = Vec::new();
    file.take(PART_LIMIT).read_to_end(&mut bytes)?;
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// What a reader of a Word file can see, for the leak scan: each paragraph's runs joined,
/// one line per paragraph (a line break in a run is a new line), from the body, then every
/// header and footer, then the title, creator and last modifier of the properties.
pub fn visible_text(bytes: &[u8]) -> Result<String, DocxError> {
    let mut zip = ZipArchive::new(Cursor::new(bytes))?;
    let mut names: Vec<String> = zip
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .filter(|n| {
            let n = n.strip_prefix("word/").unwrap_or("");
            (n.starts_with("header") || n.starts_with("footer"))
                && n.ends_with(".xml")
                && !n.contains('/')
        })
        .collect();
    names.sort();
    let mut out = String::new();
    let body = read_part(&mut zip, "word/document.xml")?
        .ok_or(DocxError::Missing("document body (word/document.xml)"))?;
    paragraphs_text(&body, &mut out);
    for name in &names {
        if let Some(xml) = read_part(&mut zip, name)? {
            paragraphs_text(&xml, &mut out);
        }
    }
    if let Some(core) = read_part(&mut zip, "docProps/core.xml")? {
        for tag in ["dc:title", "dc:creator", "cp:lastModifiedBy"] {
            if let Some(text) = element_text(&core, tag)
                && !text.trim().is_empty()
            {
                out.push_str(&text);
                out.push('\n');
            }
        }
    }
    Ok(out)
}

/// The text of the first `<tag>…</tag>` in `xml`, unescaped.
fn element_text(xml: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}");
    let start = xml.find(&open)?;
    let rest = &xml[start + open.len()..];
    // `<dc:title>` or `<dc:title attr="…">`, not `<dc:titleX>`; `<dc:title/>` is empty.
    let gt = rest.find('>')?;
    let head = &rest[..gt];
    if !(head.is_empty() || head.starts_with(char::is_whitespace) || head == "/") {
        return None;
    }
    if head.ends_with('/') {
        return Some(String::new());
    }
    let body = &rest[gt + 1..];
    let end = body.find(&format!("</{tag}>"))?;
    Some(unescape(&body[..end]))
}

/// Appends the text of each `<w:p>` in `xml` as one line: its `<w:t>` texts joined, a
/// `<w:br/>` or `<w:cr/>` as a new line, a run's `<w:tab/>` as a tab.
fn paragraphs_text(xml: &str, out: &mut String) {
    let mut line = String::new();
    let mut in_text = false;
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        if in_text {
            line.push_str(&unescape(&rest[..lt]));
        }
        rest = &rest[lt..];
        if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
            let end = cdata.find("]]>").unwrap_or(cdata.len());
            if in_text {
                line.push_str(&cdata[..end]);
            }
            rest = cdata.get(end + 3..).unwrap_or("");
            continue;
        }
        if let Some(comment) = rest.strip_prefix("<!--") {
            let end = comment.find("-->").map_or(comment.len(), |e| e + 3);
            rest = &comment[end..];
            continue;
        }
        let Some(gt) = rest.find('>') else {
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let empty = tag.ends_with('/');
        let name_part = tag.trim_start_matches('/').trim_end_matches('/');
        let name = name_part
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("");
        let has_attributes = name_part.len() > name.len();
        match (name, closing) {
            ("w:p", false) if !empty => line.clear(),
            ("w:p", true) => {
                let text = line.trim_end_matches('\n');
                if !text.trim().is_empty() {
                    out.push_str(text);
                    out.push('\n');
                }
                line.clear();
                in_text = false;
            }
            ("w:t", false) => in_text = !empty,
            ("w:t", true) => in_text = false,
            ("w:br" | "w:cr", false) => line.push('\n'),
            ("w:tab", false) if !has_attributes => line.push('\t'),
            ("w:noBreakHyphen", false) => line.push('-'),
            _ => {}
        }
    }
    // Text outside any paragraph (not valid Word, but shown by some readers).
    if !line.trim().is_empty() {
        out.push_str(line.trim_end_matches('\n'));
        out.push('\n');
    }
}

/// XML text with its entities and character references resolved; a reference that is
/// not a character is dropped.
fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|s| *s <= 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let c = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e => {
                let code = if let Some(hex) = e.strip_prefix("#x").or_else(|| e.strip_prefix("#X"))
                {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = e.strip_prefix('#') {
                    dec.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32)
            }
        };
        if let Some(c) = c {
            out.push(c);
        }
        rest = &rest[semi + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::document::{Lead, Meta};

    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = ZipArchive::new(Cursor::new(bytes)).unwrap();
        read_part(&mut zip, name).unwrap().unwrap()
    }

    fn sample() -> Document {
        Document {
            meta: Meta {
                marking: "OFFICIAL-SENSITIVE".into(),
                title: "Minutes of panel meeting 2".into(),
                reference: "DEMO-1".into(),
                status: "DRAFT".into(),
                footer_note: "not in the export register (read-only seat)".into(),
                title_block: vec![("Review".into(), "DEMO-1 (DHR)".into())],
                control: vec![("Version".into(), "Draft 1".into())],
            },
            blocks: vec![
                Block::Marking("OFFICIAL-SENSITIVE".into()),
                Block::Heading {
                    level: 1,
                    text: "Item 1 & <more>".into(),
                },
                Block::Numbered {
                    number: "2.1".into(),
                    time: Some("10:05".into()),
                    lead: Some(Lead::Decision),
                    text: "First line\nsecond line".into(),
                },
                Block::Section { landscape: true },
                Block::Table {
                    headers: vec!["When".into(), "What".into()],
                    rows: vec![
                        vec!["Spring 2019".into(), "A visit".into()],
                        vec!["Log 0201-0044".into(), String::new()],
                    ],
                },
                Block::Section { landscape: false },
                Block::Bullet {
                    label: None,
                    text: "bad \u{0}\u{1}\u{FFFE}chars".into(),
                },
            ],
        }
    }

    #[test]
    fn the_same_document_gives_the_same_bytes() {
        let doc = sample();
        assert_eq!(render(&doc).unwrap(), render(&doc).unwrap());
    }

    #[test]
    fn text_is_escaped_breaks_are_breaks_and_bad_characters_are_gone() {
        let bytes = render(&sample()).unwrap();
        let body = part(&bytes, "word/document.xml");
        assert!(body.contains("Item 1 &amp; &lt;more&gt;"), "{body}");
        assert!(body.contains("First line</w:t><w:br/><w:t xml:space=\"preserve\">second line"));
        assert!(body.contains("bad chars"), "{body}");
        assert!(!body.contains('\u{0}') && !body.contains('\u{FFFE}'));
        assert_eq!(escape("a\nb\tc", Place::Plain), "a b c");
    }

    #[test]
    fn sections_turn_the_page_and_all_show_the_header_and_footer() {
        let bytes = render(&sample()).unwrap();
        let body = part(&bytes, "word/document.xml");
        let sections: Vec<&str> = body.split("<w:sectPr>").skip(1).collect();
        assert_eq!(sections.len(), 3, "portrait, landscape, portrait");
        for s in &sections {
            assert!(s.contains("<w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>"));
            assert!(s.contains("<w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>"));
        }
        assert!(sections[0].contains("w:w=\"11906\" w:h=\"16838\""));
        assert!(sections[1].contains("w:w=\"16838\" w:h=\"11906\" w:orient=\"landscape\""));
        assert!(sections[2].contains("w:w=\"11906\" w:h=\"16838\""));
        // The landscape section's table (after the title block's and document control's)
        // is as wide as a landscape page's text.
        let landscape_table = body.split("<w:tbl>").nth(3).unwrap();
        assert!(landscape_table.contains(&format!("<w:tblW w:w=\"{LANDSCAPE_TEXT}\"")));
    }

    #[test]
    fn the_footer_has_the_marking_page_fields_reference_status_and_note() {
        let bytes = render(&sample()).unwrap();
        let footer = part(&bytes, "word/footer1.xml");
        assert!(footer.contains("<w:pStyle w:val=\"Marking\"/>"));
        assert!(footer.contains("OFFICIAL-SENSITIVE"));
        assert!(footer.contains("w:instr=\" PAGE "));
        assert!(footer.contains("w:instr=\" NUMPAGES "));
        assert!(footer.contains("DEMO-1") && footer.contains("DRAFT"));
        assert!(footer.contains("not in the export register"));
        let header = part(&bytes, "word/header1.xml");
        assert!(header.contains("<w:pStyle w:val=\"Marking\"/>") && header.contains("OFFICIAL"));
    }

    #[test]
    fn visible_text_reads_paragraphs_headers_footers_and_properties() {
        let bytes = render(&sample()).unwrap();
        let text = visible_text(&bytes).unwrap();
        assert!(text.contains("Item 1 & <more>\n"), "{text}");
        assert!(
            text.contains("2.1\t(10:05) DECISION: First line\nsecond line\n"),
            "{text}"
        );
        assert!(text.contains("Spring 2019\n"));
        assert!(
            text.contains("Log 0201-0044\n"),
            "a cell's hyphen reads back: {text}"
        );
        assert!(text.contains("Page 1 of 1 | DEMO-1 | DRAFT\n"), "{text}");
        assert!(
            text.contains("Minutes of panel meeting 2\nDHR Panel\nDHR Panel\n"),
            "{text}"
        );
        assert!(visible_text(b"not a zip").is_err());
    }

    #[test]
    fn a_thirty_letter_word_gets_a_column_wide_enough() {
        let word = "abcdefghijklmnopqrstuvwxyzabcd".to_string();
        let headers = vec!["Who".to_string(), "Note".to_string(), "Agency".to_string()];
        let rows = vec![vec![
            "Jo".to_string(),
            "a long note about what was done and said and why it mattered, twice over".to_string(),
            word.clone(),
        ]];
        let widths = table_widths(Some(&headers), &rows, 3, PORTRAIT_TEXT, false, TABLE_SIZE);
        assert_eq!(widths.iter().sum::<u32>(), PORTRAIT_TEXT);
        assert!(
            widths[2] >= word_twips(&word, false, TABLE_SIZE) + CELL_PADDING,
            "{widths:?}"
        );
        assert!(widths[0] >= word_twips("Who", true, TABLE_SIZE) + CELL_PADDING);
    }

    #[test]
    fn styles_are_there_by_id() {
        let bytes = render(&sample()).unwrap();
        let styles = part(&bytes, "word/styles.xml");
        for id in [
            "Normal",
            "Title",
            "Heading1",
            "Heading2",
            "Heading3",
            "Marking",
            "ListBullet",
            "TableGrid",
            "TableText",
            "Footer",
            "NumberedParagraph",
        ] {
            assert!(
                styles.contains(&format!("w:styleId=\"{id}\"")),
                "no style {id}"
            );
        }
        let core = part(&bytes, "docProps/core.xml");
        assert!(core.contains("<dc:creator>DHR Panel</dc:creator>"));
    }
}
