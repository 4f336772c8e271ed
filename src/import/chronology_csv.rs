//! Imports an agency's chronology from a CSV file into a case: columns found
//! by the words of their headers, fuzzy dates, subjects matched to the pseudonym
//! register, every bad row named by line and column, nothing written unless the whole
//! file is good (or `--skip-invalid`), and a fingerprint on every row so a file imported
//! twice adds nothing.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use super::encoding;
pub use super::encoding::SourceEncoding;
use super::headers::{Role, role_of};
use crate::domain::date::FuzzyDate;
use crate::domain::model::{Agency, ChronologyEntry, Subject, agency_by_word};
use crate::domain::text::one_line;
use crate::store::imports::ImportRow;
use crate::store::{Store, StoreError};

/// How to import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Every row belongs to this agency (name or short code, any letter case); the file's
    /// own agency column, if any, is kept as an extra field.
    pub agency: Option<String>,
    /// Import the good rows when some are bad (the bad ones are still listed).
    pub skip_invalid: bool,
    /// Check and report, write nothing.
    pub dry_run: bool,
}

/// A row that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// The physical line where the record starts, 1-based; the header is usually line 1.
    pub line: u64,
    /// The header of the column at fault, as written.
    pub column: String,
    pub reason: String,
}

/// What an import found and did.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    /// The file's name, without its folder.
    pub file_name: String,
    pub case_reference: String,
    /// The agency given with `--agency`, as "Name (CODE)"; `None` when the file's agency
    /// column decides each row's agency.
    pub agency: Option<String>,
    pub encoding: SourceEncoding,
    /// Data rows read (not the header, not rows whose every cell is empty).
    pub rows: u64,
    /// Rows whose every cell is empty, skipped.
    pub empty_rows: u64,
    /// Entries added to the case (0 when nothing was written).
    pub imported: u64,
    /// Good rows whose fingerprint the case already holds.
    pub already_present: u64,
    /// Every problem found, in file order; a row may have more than one.
    pub bad_rows: Vec<BadRow>,
    /// Recognised columns: (header as written, role).
    pub columns: Vec<(String, String)>,
    /// Headers of the columns kept as named extra fields on each entry.
    pub extra_columns: Vec<String>,
    /// Subject names that match no one in the pseudonym register (or more than one), kept
    /// as written, in the order first seen.
    pub unmatched_subjects: Vec<String>,
    pub skip_invalid: bool,
    pub dry_run: bool,
    /// Whether anything was written to the database.
    pub written: bool,
}

/// Why a file could not be imported at all. Nothing is written in any of these cases.
/// Every field holding text from the file or the user is already sanitised for printing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("no case {case} in this database: run `dhr cases` to see the references")]
    CaseNotFound { case: String },
    #[error("cannot read {path}: {detail}. Check the file name and that you may read it")]
    Unreadable { path: String, detail: String },
    #[error("{file} is not a CSV file: {reason}; nothing was imported")]
    NotCsv { file: String, reason: String },
    #[error(
        "{file} has no header row: the file is empty. The first line must name the columns (Date, Event, …)"
    )]
    NoHeader { file: String },
    #[error(
        "{file}, line {line}: no {missing} column. The header names {found}. Name the column {hint}; nothing was imported"
    )]
    MissingColumn {
        file: String,
        line: u64,
        missing: String,
        hint: String,
        found: String,
    },
    #[error(
        "{file}, line {line}: two columns are both the {role}: {first} and {second}. Rename or remove one of them; nothing was imported"
    )]
    DuplicateRole {
        file: String,
        line: u64,
        role: String,
        first: String,
        second: String,
    },
    #[error(
        "{file} has no agency column: say whose chronology it is with --agency NAME, or add an Agency column naming one of the case's agencies on every row. The agencies of {case}: {agencies}; nothing was imported"
    )]
    NoAgencyColumn {
        file: String,
        case: String,
        agencies: String,
    },
    #[error(
        "--agency {given} is not an agency of {case}: give the name or short code of one of {agencies}"
    )]
    UnknownAgency {
        given: String,
        case: String,
        agencies: String,
    },
    #[error(
        "{file}, line {line}: a cell starts with a quote (\") that is never closed, so the rest of the file would be read as one cell. Close the quote (write a quote inside a cell as \"\") or remove it; nothing was imported"
    )]
    UnclosedQuote { file: String, line: u64 },
    #[error(
        "{file} mixes encodings: {utf8} read as UTF-8, but {other} are not UTF-8 (Windows-1252, as older Excel writes). Reading either way would store some letters wrongly, so nothing was imported: open the file in Excel and save it as \"CSV UTF-8\", then import that"
    )]
    MixedEncodings {
        file: String,
        utf8: String,
        other: String,
    },
    #[error(
        "{path} is {what}, not a regular file: give the CSV file itself; nothing was read or imported"
    )]
    NotAFile { path: String, what: String },
    #[error(
        "{path} is {size} bytes, more than the 1 GiB an import reads: split it into smaller files (one per agency or per year) and import each; nothing was imported"
    )]
    TooLarge { path: String, size: u64 },
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl ImportError {
    /// Whether the fault lies in what the user gave (exit status 2) rather than at run
    /// time (1).
    pub fn is_bad_input(&self) -> bool {
        match self {
            ImportError::Store(e) => e.is_bad_input(),
            _ => true,
        }
    }
}

/// The largest file an import reads.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// How many problems the report lists before giving only a count.
pub const MAX_LISTED_PROBLEMS: usize = 50;

/// How many characters of a cell a message quotes.
const QUOTED_CHARS: usize = 60;

/// Text from a file or the user, made safe to print on one line.
fn clean(text: &str) -> String {
    one_line(text)
}

/// At most `max` characters of `text`, with "…" where it was cut.
fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// Text from a file, quoted, cut to a readable length and safe to print.
fn quoted(text: &str) -> String {
    format!("\"{}\"", cut(&clean(text), QUOTED_CHARS))
}

/// The line where a quoted cell starts that is never closed, if any. Quotes open a cell
/// only at its start (as the CSV reader takes them); `""` inside is an escaped quote.
fn unclosed_quote(bytes: &[u8]) -> Option<u64> {
    let mut line = 1u64;
    let mut at_cell_start = true;
    let mut quoted_from: Option<u64> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let line_break = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        if let Some(_start) = quoted_from {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted_from = None;
                }
            }
        } else if b == b'"' && at_cell_start {
            quoted_from = Some(line);
        }
        at_cell_start = quoted_from.is_none() && (b == b',' || b == b'\n' || b == b'\r');
        if line_break {
            line += 1;
        }
        i += 1;
    }
    quoted_from
}

/// A problem whose reason quotes a long cell of its row, with the cell cut to a readable
/// length (the reason's own words kept).
fn shorten_cells(mut problem: BadRow, row: &SourceRow) -> BadRow {
    for cell in &row.cells {
        if cell.len() > QUOTED_CHARS * 4 && problem.reason.contains(cell.as_str()) {
            problem.reason = problem
                .reason
                .replace(cell.as_str(), &cut(cell, QUOTED_CHARS));
        }
    }
    problem
}

/// Physical lines (1-based) that are not ASCII, split by whether they are UTF-8.
fn lines_by_encoding(bytes: &[u8]) -> (Vec<u64>, Vec<u64>) {
    let mut utf8 = Vec::new();
    let mut other = Vec::new();
    for (n, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.is_ascii() {
            continue;
        }
        if std::str::from_utf8(line).is_ok() {
            utf8.push(n as u64 + 1);
        } else {
            other.push(n as u64 + 1);
        }
    }
    (utf8, other)
}

/// "line 3", "lines 3, 5 and 9", "lines 3, 5, 9, … (12 lines)".
fn line_list(lines: &[u64]) -> String {
    let shown: Vec<String> = lines.iter().take(10).map(u64::to_string).collect();
    match lines.len() {
        1 => format!("line {}", shown[0]),
        n if n <= 10 => format!("lines {} and {}", shown[..n - 1].join(", "), shown[n - 1]),
        n => format!("lines {}, … ({n} lines)", shown.join(", ")),
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Why the bytes are plainly not a CSV file, for the files people pick by mistake. Any
/// other bytes decode (as Windows-1252 at worst) and are judged by their header.
fn not_csv(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some(
            "it is an Excel workbook (.xlsx) or another zip archive: open it in Excel and save it as \"CSV UTF-8\", then import that",
        )
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some(
            "it is an old Excel workbook (.xls): open it in Excel and save it as \"CSV UTF-8\", then import that",
        )
    } else if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        Some(
            "it is UTF-16 text (Excel's \"Unicode Text\"): open it in Excel and save it as \"CSV UTF-8\", then import that",
        )
    } else if bytes.contains(&0) {
        Some(
            "it holds NUL bytes, so it is not text: if it came from a spreadsheet, open it there and save it as \"CSV UTF-8\"",
        )
    } else {
        None
    }
}

/// One record of the file: the physical line it starts on and its cells, trimmed.
#[derive(Debug, Clone)]
struct SourceRow {
    line: u64,
    cells: Vec<String>,
}

impl SourceRow {
    fn is_blank(&self) -> bool {
        self.cells.iter().all(String::is_empty)
    }

    fn cell(&self, index: usize) -> &str {
        self.cells.get(index).map(String::as_str).unwrap_or("")
    }
}

/// Counts physical lines up to a byte offset, reading on from where it last stopped.
/// A line break is LF, CRLF or a lone CR, as the CSV reader takes them.
struct LineCounter<'a> {
    bytes: &'a [u8],
    at: usize,
    line: u64,
}

impl LineCounter<'_> {
    fn line_at(&mut self, offset: usize) -> u64 {
        let end = offset.min(self.bytes.len());
        while self.at < end {
            match self.bytes[self.at] {
                b'\n' => self.line += 1,
                b'\r' if self.bytes.get(self.at + 1) != Some(&b'\n') => self.line += 1,
                _ => {}
            }
            self.at += 1;
        }
        self.line
    }
}

/// Splits the text into records with the physical line each starts on.
///
/// The csv crate's own `Position::line()` lags behind after CRLF line ends, blank lines
/// and quoted line breaks, so the line is counted here from the record's byte offset:
/// that offset is where the previous record ended, and the record itself starts after
/// any blank lines the reader skipped.
fn read_records(text: &str) -> Result<Vec<SourceRow>, csv::Error> {
    let bytes = text.as_bytes();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut counter = LineCounter {
        bytes,
        at: 0,
        line: 1,
    };
    let mut record = csv::StringRecord::new();
    let mut rows = Vec::new();
    while reader.read_record(&mut record)? {
        let after_previous = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(counter.at);
        let start = bytes
            .get(after_previous..)
            .and_then(|rest| rest.iter().position(|b| *b != b'\r' && *b != b'\n'))
            .map_or(bytes.len(), |skip| after_previous + skip);
        rows.push(SourceRow {
            line: counter.line_at(start),
            cells: record.iter().map(|c| c.trim().to_string()).collect(),
        });
    }
    Ok(rows)
}

/// What a column of the file is used for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ColumnUse {
    Field(Role),
    /// Kept on each entry under this name.
    Extra(String),
    /// No header and no values: the empty columns spreadsheets leave at the right.
    Ghost,
}

#[derive(Debug, Clone)]
struct Column {
    /// As written (trimmed); empty when the file gives none.
    header: String,
    usage: ColumnUse,
}

/// The columns of a file and the role each plays.
#[derive(Debug)]
struct Layout {
    columns: Vec<Column>,
}

impl Layout {
    fn new(
        header: &SourceRow,
        data: &[SourceRow],
        agency_given: bool,
        file: &str,
    ) -> Result<Layout, ImportError> {
        let mut columns = Vec::with_capacity(header.cells.len());
        let mut claimed: HashMap<Role, usize> = HashMap::new();
        for (index, raw) in header.cells.iter().enumerate() {
            // A second BOM, or one left by a tool that wrote it into the first cell.
            let name = raw.trim_start_matches('\u{feff}').trim().to_string();
            let usage = if name.is_empty() {
                if data.iter().all(|row| row.cell(index).is_empty()) {
                    ColumnUse::Ghost
                } else {
                    ColumnUse::Extra(format!("Column {}", index + 1))
                }
            } else {
                match role_of(&name) {
                    // With --agency the file's own agency column is kept, not obeyed.
                    Some(Role::Agency) if agency_given => ColumnUse::Extra(name.clone()),
                    Some(role) => ColumnUse::Field(role),
                    None => ColumnUse::Extra(name.clone()),
                }
            };
            if let ColumnUse::Field(role) = usage {
                for claim in role.claims() {
                    if let Some(&first) = claimed.get(claim) {
                        return Err(ImportError::DuplicateRole {
                            file: clean(file),
                            line: header.line,
                            role: claim.label().to_string(),
                            first: format!(
                                "column {} {}",
                                first + 1,
                                quoted(header.cell(first).trim_start_matches('\u{feff}'))
                            ),
                            second: format!("column {} {}", index + 1, quoted(&name)),
                        });
                    }
                    claimed.insert(*claim, index);
                }
            }
            columns.push(Column {
                header: name,
                usage,
            });
        }
        let found = || {
            let named: Vec<&Column> = columns.iter().filter(|c| !c.header.is_empty()).collect();
            let mut names: Vec<String> = named.iter().take(20).map(|c| quoted(&c.header)).collect();
            if named.len() > 20 {
                names.push(format!("and {} more", named.len() - 20));
            }
            if names.is_empty() {
                "nothing".to_string()
            } else {
                names.join(", ")
            }
        };
        let required = [
            (
                Role::Date,
                "date",
                "\"Date\" (or \"Date of contact\", \"Date / period\")",
            ),
            (
                Role::Event,
                "event",
                "\"Event\" (or \"Details of contact\", \"Significant event\", \"Summary\")",
            ),
        ];
        for (role, missing, hint) in required {
            if !claimed.contains_key(&role) {
                return Err(ImportError::MissingColumn {
                    file: clean(file),
                    line: header.line,
                    missing: missing.to_string(),
                    hint: hint.to_string(),
                    found: found(),
                });
            }
        }
        Ok(Layout { columns })
    }

    fn has(&self, role: Role) -> bool {
        self.columns
            .iter()
            .any(|c| c.usage == ColumnUse::Field(role))
    }
}

/// "Name (CODE), Name (CODE)…" for messages.
fn agency_list(agencies: &[Agency]) -> String {
    if agencies.is_empty() {
        return "none yet: add the agency to the case first".to_string();
    }
    agencies
        .iter()
        .map(|a| format!("{} ({})", clean(&a.name), clean(&a.code)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Lower case with runs of whitespace as one space, for matching names people typed.
fn normal(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The one subject a name stands for: a pseudonym first, then a real-name form. A name
/// that fits two people links neither, rather than linking the wrong one.
fn find_subject(register: &[Subject], name: &str) -> Option<i64> {
    let wanted = normal(name);
    let only = |ids: Vec<i64>| match ids.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    let by_pseudonym: Vec<i64> = register
        .iter()
        .filter(|s| normal(&s.pseudonym) == wanted)
        .map(|s| s.id)
        .collect();
    if !by_pseudonym.is_empty() {
        return only(by_pseudonym);
    }
    only(
        register
            .iter()
            .filter(|s| s.name_forms().iter().any(|f| normal(f) == wanted))
            .map(|s| s.id)
            .collect(),
    )
}

/// The names in a subjects cell: separated by `;`, `,` or a line break.
fn subject_names(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([';', ',', '\n', '\r'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
}

fn is_meridiem(word: &str) -> bool {
    matches!(
        word.to_lowercase().as_str(),
        "am" | "pm" | "a.m." | "p.m." | "a.m" | "p.m"
    )
}

/// Splits a date-and-time cell into the date and a trailing time ("14/06/2018 23:10",
/// "2018-06-14T23:10", "14/06/2018 11:10 pm"). A cell without a time is all date.
fn split_date_time(cell: &str) -> (&str, Option<&str>) {
    let text = cell.trim();
    let looks_like_time = |t: &str| t.contains(':') && t.starts_with(|c: char| c.is_ascii_digit());
    // ISO 8601: the date is exactly ten characters before a 'T'.
    if let Some((date, time)) = text.split_once(['T', 't'])
        && date.len() == 10
        && date.as_bytes().get(4) == Some(&b'-')
        && looks_like_time(time)
    {
        return (date, Some(time));
    }
    let Some(mut start) = text.rfind(char::is_whitespace) else {
        return (text, None);
    };
    if is_meridiem(text[start..].trim()) {
        match text[..start].trim_end().rfind(char::is_whitespace) {
            Some(earlier) => start = earlier,
            None => return (text, None),
        }
    }
    let time = text[start..].trim();
    if looks_like_time(time) {
        let date = text[..start].trim_end().trim_end_matches(',').trim_end();
        (date, Some(time))
    } else {
        (text, None)
    }
}

/// A time of day as "HH:MM" (or "HH:MM:SS" when the seconds are not zero), from the ways
/// agencies write one: "23:10", "9:05", "23.10", "2310", "2310hrs", "11:10 pm". An empty
/// or "unknown" cell is no time.
fn parse_time(cell: &str) -> Result<Option<String>, String> {
    let text = cell.trim();
    let lower = text.to_lowercase();
    if matches!(
        lower.as_str(),
        "" | "-" | "unknown" | "not known" | "n/k" | "nk"
    ) {
        return Ok(None);
    }
    let refuse = || format!("{text} is not a time: write it as HH:MM, e.g. 23:10");
    let mut body = lower.as_str();
    let mut meridiem = None;
    for (suffix, pm) in [
        ("a.m.", false),
        ("p.m.", true),
        ("a.m", false),
        ("p.m", true),
        ("am", false),
        ("pm", true),
    ] {
        if let Some(rest) = body.strip_suffix(suffix) {
            body = rest.trim_end();
            meridiem = Some(pm);
            break;
        }
    }
    for suffix in ["hours", "hrs", "hr", "h"] {
        if let Some(rest) = body.strip_suffix(suffix) {
            body = rest.trim_end();
            break;
        }
    }
    let number = |part: &str, widths: &[usize]| -> Option<u32> {
        if widths.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()) {
            part.parse().ok()
        } else {
            None
        }
    };
    let parts: Vec<&str> = body.split([':', '.']).collect();
    let (hour, minute, second) = match parts.as_slice() {
        // Only four ASCII digits are split by position (a byte index into other text
        // could fall inside a character).
        [hhmm] if hhmm.len() == 4 && hhmm.bytes().all(|b| b.is_ascii_digit()) => {
            (number(&hhmm[..2], &[2]), number(&hhmm[2..], &[2]), Some(0))
        }
        [h, m] => (number(h, &[1, 2]), number(m, &[2]), Some(0)),
        [h, m, s] => (number(h, &[1, 2]), number(m, &[2]), number(s, &[2])),
        _ => (None, None, None),
    };
    let (Some(mut hour), Some(minute), Some(second)) = (hour, minute, second) else {
        return Err(refuse());
    };
    if let Some(pm) = meridiem {
        if !(1..=12).contains(&hour) {
            return Err(format!(
                "{text} is not a time: with am or pm the hour is 1 to 12"
            ));
        }
        hour = hour % 12 + if pm { 12 } else { 0 };
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(format!(
            "{text} is not a time: hours run 00 to 23 and minutes 00 to 59"
        ));
    }
    Ok(Some(if second == 0 {
        format!("{hour:02}:{minute:02}")
    } else {
        format!("{hour:02}:{minute:02}:{second:02}")
    }))
}

/// SHA-256 over a row's agency, its cells as written, in order, and which occurrence it
/// is among identical rows of the file. Each cell is prefixed with its length so that no
/// two different rows can hash the same text.
fn fingerprint(agency_id: i64, cells: &[&str], occurrence: u64) -> String {
    let mut hash = Sha256::new();
    hash.update(b"dhr chronology row v1\n");
    hash.update(format!("agency {agency_id}\n"));
    for cell in cells {
        hash.update(format!("{}:", cell.len()));
        hash.update(cell.as_bytes());
        hash.update(b"\n");
    }
    hash.update(format!("occurrence {occurrence}\n"));
    format!("{:x}", hash.finalize())
}

/// The facts every row is checked against.
struct Context<'a> {
    case_id: i64,
    today: NaiveDate,
    layout: &'a Layout,
    agencies: &'a [Agency],
    given_agency: Option<&'a Agency>,
    register: &'a [Subject],
}

/// Checks one row and turns it into an entry, or names everything wrong with it.
/// `occurrences` counts identical rows seen so far; `unmatched` collects subject names
/// the register does not know.
fn prepare(
    ctx: &Context<'_>,
    row: &SourceRow,
    occurrences: &mut HashMap<(i64, Vec<String>), u64>,
    unmatched: &mut Vec<String>,
) -> Result<ImportRow, Vec<BadRow>> {
    let mut problems = Vec::new();
    let mut bad = |column: &str, reason: String| {
        problems.push(BadRow {
            line: row.line,
            column: column.to_string(),
            reason,
        });
    };
    let mut entry = ChronologyEntry::new(FuzzyDate::undated(), "");
    entry.case_id = ctx.case_id;
    let mut agency_id = ctx.given_agency.map(|a| a.id);
    let mut subject_ids: Vec<i64> = Vec::new();
    let mut row_unmatched: Vec<String> = Vec::new();
    let mut time_from_date: Option<String> = None;
    for (index, column) in ctx.layout.columns.iter().enumerate() {
        let cell = row.cell(index);
        let header = column.header.as_str();
        match &column.usage {
            ColumnUse::Ghost => {}
            ColumnUse::Extra(name) => {
                if !cell.is_empty() {
                    entry.extra.push((name.clone(), cell.to_string()));
                }
            }
            ColumnUse::Field(role) => match role {
                Role::Date => match FuzzyDate::parse_uk(cell, ctx.today) {
                    Ok(date) => entry.date = date,
                    Err(e) => bad(header, e.message),
                },
                Role::DateTime => {
                    let (date_text, time_text) = split_date_time(cell);
                    match FuzzyDate::parse_uk(date_text, ctx.today) {
                        Ok(date) => entry.date = date,
                        Err(e) => bad(header, e.message),
                    }
                    match time_text.map(parse_time).transpose() {
                        Ok(time) => time_from_date = time.flatten(),
                        Err(reason) => bad(header, reason),
                    }
                }
                Role::Time => match parse_time(cell) {
                    Ok(time) => entry.time = time,
                    Err(reason) => bad(header, reason),
                },
                Role::Agency => {
                    if cell.is_empty() {
                        bad(
                            header,
                            format!(
                                "the agency is empty: write the name or short code of one of the case's agencies: {}",
                                agency_list(ctx.agencies)
                            ),
                        );
                    } else {
                        match agency_by_word(ctx.agencies, cell) {
                            Some(agency) => agency_id = Some(agency.id),
                            None => bad(
                                header,
                                format!(
                                    "{} is not an agency of this case: write the name or short code of one of {}",
                                    quoted(cell),
                                    agency_list(ctx.agencies)
                                ),
                            ),
                        }
                    }
                }
                Role::Subjects => {
                    entry.subjects = cell.to_string();
                    for name in subject_names(cell) {
                        match find_subject(ctx.register, name) {
                            Some(id) if !subject_ids.contains(&id) => subject_ids.push(id),
                            Some(_) => {}
                            None => row_unmatched.push(name.to_string()),
                        }
                    }
                }
                Role::Event => {
                    if cell.is_empty() {
                        bad(
                            header,
                            "the event is empty: every entry needs what happened".to_string(),
                        );
                    }
                    entry.event = cell.to_string();
                }
                Role::ActionOutcome => entry.action_outcome = cell.to_string(),
                Role::Source => entry.source_ref = cell.to_string(),
                Role::RiskDash => entry.risk_dash = cell.to_string(),
                Role::RiskMarac => entry.risk_marac = cell.to_string(),
                Role::Comment => entry.agency_comment = cell.to_string(),
            },
        }
    }
    if time_from_date.is_some() {
        entry.time = time_from_date;
    }
    // Cells beyond the last header would otherwise vanish: refuse the row instead.
    for (index, cell) in row.cells.iter().enumerate().skip(ctx.layout.columns.len()) {
        if !cell.is_empty() {
            bad(
                "(no header)",
                format!(
                    "cell {} has no column: the header has {} columns. Check for a comma outside quotes",
                    index + 1,
                    ctx.layout.columns.len()
                ),
            );
        }
    }
    let Some(agency_id) = agency_id.filter(|_| problems.is_empty()) else {
        return Err(problems);
    };
    for name in row_unmatched {
        if !unmatched.contains(&name) {
            unmatched.push(name);
        }
    }
    entry.agency_id = Some(agency_id);
    let cells: Vec<&str> = ctx
        .layout
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.usage != ColumnUse::Ghost)
        .map(|(index, _)| row.cell(index))
        .collect();
    let key = (agency_id, cells.iter().map(|c| c.to_string()).collect());
    let seen = occurrences.entry(key).or_insert(0);
    let occurrence = *seen;
    *seen += 1;
    Ok(ImportRow {
        entry,
        fingerprint: fingerprint(agency_id, &cells, occurrence),
        line: row.line,
        subject_ids,
    })
}

/// Imports the chronology in `path` into the case.
///
/// Everything is checked before anything is written, and all of it is written in one
/// transaction. With bad rows nothing is written unless `skip_invalid`; the report lists
/// them either way. `today` decides the century of two-digit years.
pub fn import_chronology(
    store: &mut Store,
    case_id: i64,
    path: &Path,
    options: &ImportOptions,
    today: NaiveDate,
) -> Result<ImportReport, ImportError> {
    let case = store
        .case(case_id)?
        .ok_or_else(|| ImportError::CaseNotFound {
            case: format!("with id {case_id}"),
        })?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let unreadable = |detail: String| ImportError::Unreadable {
        path: clean(&path.display().to_string()),
        detail,
    };
    if path.is_dir() {
        return Err(unreadable("it is a folder, not a file".to_string()));
    }
    // Refused before reading: a FIFO would wait for ever, a device never ends.
    let meta = std::fs::metadata(path).map_err(|e| unreadable(clean(&e.to_string())))?;
    if !meta.is_file() {
        return Err(ImportError::NotAFile {
            path: clean(&path.display().to_string()),
            what: crate::store::files::describe_existing(path)
                .unwrap_or_else(|| "not a regular file".to_string()),
        });
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(ImportError::TooLarge {
            path: clean(&path.display().to_string()),
            size: meta.len(),
        });
    }
    let mut bytes = Vec::new();
    {
        use std::io::Read;
        let file = std::fs::File::open(path).map_err(|e| unreadable(clean(&e.to_string())))?;
        file.take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| unreadable(clean(&e.to_string())))?;
    }
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(ImportError::TooLarge {
            path: clean(&path.display().to_string()),
            size: bytes.len() as u64,
        });
    }
    if let Some(reason) = not_csv(&bytes) {
        return Err(ImportError::NotCsv {
            file: clean(&file_name),
            reason: reason.to_string(),
        });
    }
    if let Some(line) = unclosed_quote(&bytes) {
        return Err(ImportError::UnclosedQuote {
            file: clean(&file_name),
            line,
        });
    }
    let (text, encoding) = encoding::decode(&bytes);
    if encoding == SourceEncoding::Windows1252 {
        let (utf8, other) = lines_by_encoding(&bytes);
        if !utf8.is_empty() {
            return Err(ImportError::MixedEncodings {
                file: clean(&file_name),
                utf8: line_list(&utf8),
                other: line_list(&other),
            });
        }
    }
    let records = read_records(&text).map_err(|e| unreadable(clean(&e.to_string())))?;
    let mut records = records.into_iter().skip_while(SourceRow::is_blank);
    let header = records.next().ok_or_else(|| ImportError::NoHeader {
        file: clean(&file_name),
    })?;
    let data: Vec<SourceRow> = records.collect();

    let agencies = store.agencies(case_id)?;
    let given_agency =
        match &options.agency {
            Some(given) => Some(agency_by_word(&agencies, given).ok_or_else(|| {
                ImportError::UnknownAgency {
                    given: quoted(given),
                    case: clean(&case.reference),
                    agencies: agency_list(&agencies),
                }
            })?),
            None => None,
        };
    let layout = Layout::new(&header, &data, given_agency.is_some(), &file_name)?;
    if given_agency.is_none() && !layout.has(Role::Agency) {
        return Err(ImportError::NoAgencyColumn {
            file: clean(&file_name),
            case: clean(&case.reference),
            agencies: agency_list(&agencies),
        });
    }
    let register = store.subjects(case_id)?;
    let ctx = Context {
        case_id,
        today,
        layout: &layout,
        agencies: &agencies,
        given_agency,
        register: &register,
    };

    let mut report = ImportReport {
        file_name: file_name.clone(),
        case_reference: case.reference.clone(),
        agency: given_agency.map(|a| format!("{} ({})", a.name, a.code)),
        encoding,
        rows: 0,
        empty_rows: 0,
        imported: 0,
        already_present: 0,
        bad_rows: Vec::new(),
        columns: Vec::new(),
        extra_columns: Vec::new(),
        unmatched_subjects: Vec::new(),
        skip_invalid: options.skip_invalid,
        dry_run: options.dry_run,
        written: false,
    };
    for column in &layout.columns {
        match &column.usage {
            ColumnUse::Field(role) => report
                .columns
                .push((column.header.clone(), role.label().to_string())),
            ColumnUse::Extra(name) => report.extra_columns.push(name.clone()),
            ColumnUse::Ghost => {}
        }
    }

    let mut prepared = Vec::new();
    let mut occurrences = HashMap::new();
    for row in &data {
        if row.is_blank() {
            report.empty_rows += 1;
            continue;
        }
        report.rows += 1;
        match prepare(&ctx, row, &mut occurrences, &mut report.unmatched_subjects) {
            Ok(good) => prepared.push(good),
            Err(problems) => report
                .bad_rows
                .extend(problems.into_iter().map(|p| shorten_cells(p, row))),
        }
    }

    if report.blocked() || options.dry_run {
        // Nothing is written, but say how many rows the case already holds.
        let held = store.chronology_fingerprints(case_id)?;
        report.already_present = prepared
            .iter()
            .filter(|p| held.contains(&p.fingerprint))
            .count() as u64;
        return Ok(report);
    }

    let (imported, already_present) =
        store.import_chronology_rows(case_id, &file_name, prepared)?;
    report.imported = imported;
    report.already_present = already_present;
    report.written = imported > 0;
    Ok(report)
}

impl ImportReport {
    /// How many rows have at least one problem.
    pub fn bad_row_count(&self) -> u64 {
        self.bad_rows
            .iter()
            .map(|b| b.line)
            .collect::<HashSet<_>>()
            .len() as u64
    }

    /// Rows with no problem.
    pub fn good_rows(&self) -> u64 {
        self.rows.saturating_sub(self.bad_row_count())
    }

    /// Whether bad rows stop the import (always so without `--skip-invalid`; a dry run
    /// says whether the real import would be stopped).
    pub fn blocked(&self) -> bool {
        !self.bad_rows.is_empty() && !self.skip_invalid
    }

    /// The report a person reads: how the file was read, which column went where, every
    /// bad row, the counts, and what was written or why not. Every piece of the file in
    /// it is sanitised for the terminal.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let mut line = |text: String| {
            out.push_str(&text);
            out.push('\n');
        };
        let whose = match &self.agency {
            Some(agency) => format!("every row from {}", clean(agency)),
            None => "each row's agency from its agency column".to_string(),
        };
        line(format!(
            "Chronology import of {} into {}: {whose}.",
            clean(&self.file_name),
            clean(&self.case_reference)
        ));
        line(match self.encoding {
            SourceEncoding::Windows1252 => "Read as Windows-1252: the file is not valid UTF-8, so it was taken to be Excel's default encoding. Check that accented letters and quotation marks read correctly.".to_string(),
            other => format!("Read as {}.", other.label()),
        });
        line("Columns recognised:".to_string());
        let width = self
            .columns
            .iter()
            .map(|(h, _)| cut(&clean(h), QUOTED_CHARS).chars().count())
            .max()
            .unwrap_or(0);
        for (header, role) in &self.columns {
            line(format!(
                "  {:<width$}  {role}",
                cut(&clean(header), QUOTED_CHARS)
            ));
        }
        if !self.extra_columns.is_empty() {
            let mut names: Vec<String> = self
                .extra_columns
                .iter()
                .take(MAX_LISTED_PROBLEMS)
                .map(|name| {
                    if self.agency.is_some() && role_of(name) == Some(Role::Agency) {
                        format!("{} (--agency was given)", cut(&clean(name), QUOTED_CHARS))
                    } else {
                        cut(&clean(name), QUOTED_CHARS)
                    }
                })
                .collect();
            let more = self.extra_columns.len().saturating_sub(MAX_LISTED_PROBLEMS);
            if more > 0 {
                names.push(format!("and {more} more"));
            }
            line(format!(
                "Extra columns, kept as named fields on each entry: {}.",
                names.join(", ")
            ));
        }
        if !self.bad_rows.is_empty() {
            line(format!("Bad rows ({}):", self.bad_row_count()));
            for bad in self.bad_rows.iter().take(MAX_LISTED_PROBLEMS) {
                line(format!(
                    "  line {}, column {}: {}",
                    bad.line,
                    cut(&clean(&bad.column), QUOTED_CHARS),
                    cut(&clean(&bad.reason), 1000)
                ));
            }
            let more = self.bad_rows.len().saturating_sub(MAX_LISTED_PROBLEMS);
            if more > 0 {
                line(format!(
                    "  … and {more} more {} (only the first {MAX_LISTED_PROBLEMS} are listed).",
                    if more == 1 { "problem" } else { "problems" }
                ));
            }
        }
        if !self.unmatched_subjects.is_empty() {
            let mut names: Vec<String> = self
                .unmatched_subjects
                .iter()
                .take(MAX_LISTED_PROBLEMS)
                .map(|n| cut(&clean(n), QUOTED_CHARS))
                .collect();
            let more = self
                .unmatched_subjects
                .len()
                .saturating_sub(MAX_LISTED_PROBLEMS);
            if more > 0 {
                names.push(format!("and {more} more"));
            }
            line(format!(
                "Subjects not found in the pseudonym register (kept as written, not linked): {}.",
                names.join(", ")
            ));
        }
        let mut counts = format!(
            "Rows: {} ({} good, {} bad)",
            self.rows,
            self.good_rows(),
            self.bad_row_count()
        );
        if self.empty_rows > 0 {
            counts.push_str(&format!(
                "; {} skipped",
                plural(self.empty_rows, "empty row", "empty rows")
            ));
        }
        counts.push_str(&format!(
            "; {} already present.",
            plural(self.already_present, "row", "rows")
        ));
        line(counts);
        line(self.outcome());
        out
    }

    /// The last line of the summary: what was written, or why nothing was.
    fn outcome(&self) -> String {
        let bad = self.bad_row_count();
        let good = self.good_rows();
        let new = good.saturating_sub(self.already_present);
        let reference = clean(&self.case_reference);
        let refusal = || {
            let what = plural(bad, "bad row", "bad rows");
            let fix = if bad == 1 { "Fix it" } else { "Fix them" };
            if good == 0 {
                format!("{what} and no good rows. {fix} and import again.")
            } else if self.already_present == 0 {
                format!(
                    "{what}. {fix}, or use --skip-invalid to import the {}.",
                    plural(good, "good row", "good rows")
                )
            } else {
                format!(
                    "{what}. {fix}, or use --skip-invalid to import the {} not already present.",
                    plural(new, "good row", "good rows")
                )
            }
        };
        if self.dry_run {
            return if self.blocked() {
                format!(
                    "Dry run, nothing was written. The import would be refused: {}",
                    refusal()
                )
            } else {
                format!(
                    "Dry run, nothing was written. The import would add {} to {reference}.",
                    plural(new, "entry", "entries")
                )
            };
        }
        if self.blocked() {
            return format!("Nothing was imported: {}", refusal());
        }
        if self.rows == 0 {
            return "Nothing was imported: the file has a header but no rows.".to_string();
        }
        if self.imported == 0 {
            return if good == 0 {
                format!(
                    "Nothing was imported: every row is bad ({}).",
                    plural(bad, "row", "rows")
                )
            } else {
                format!(
                    "Nothing new was imported: the {} already in {reference} (imported before; withdrawn or edited entries count too).",
                    if good == 1 {
                        "1 good row is".to_string()
                    } else {
                        format!("{good} good rows are")
                    }
                )
            };
        }
        let mut done = format!(
            "Imported {} into {reference}.",
            plural(self.imported, "entry", "entries")
        );
        if self.already_present > 0 {
            done.push_str(&format!(
                " {} already present, not added again.",
                if self.already_present == 1 {
                    "1 row was".to_string()
                } else {
                    format!("{} rows were", self.already_present)
                }
            ));
        }
        if bad > 0 {
            done.push_str(&format!(
                " Skipped {} (listed above).",
                plural(bad, "bad row", "bad rows")
            ));
        }
        done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(u64, Vec<String>)> {
        read_records(text)
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.line, r.cells))
            .collect()
    }

    #[test]
    fn records_carry_the_physical_line_they_start_on() {
        let text =
            "Date,Event\r\n\r\n01/02/2019,\"one\r\ntwo\"\r\n02/02/2019, x \n\n\n03/02/2019,y\n";
        let got: Vec<(u64, String)> = lines(text)
            .into_iter()
            .map(|(line, cells)| (line, cells.join("|")))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "Date|Event".to_string()),
                (3, "01/02/2019|one\r\ntwo".to_string()),
                (5, "02/02/2019|x".to_string()),
                (8, "03/02/2019|y".to_string()),
            ]
        );
    }

    #[test]
    fn a_lone_cr_ends_a_line_too() {
        let got: Vec<u64> = lines("a,b\rc,d\re,f").into_iter().map(|(l, _)| l).collect();
        assert_eq!(got, vec![1, 2, 3]);
    }

    #[test]
    fn times_are_read_in_the_ways_agencies_write_them() {
        for (text, want) in [
            ("23:10", Some("23:10")),
            ("9:05", Some("09:05")),
            ("23.10", Some("23:10")),
            ("2310", Some("23:10")),
            ("2310hrs", Some("23:10")),
            ("11:10 pm", Some("23:10")),
            ("12:05am", Some("00:05")),
            ("23:10:00", Some("23:10")),
            ("23:10:30", Some("23:10:30")),
            ("", None),
            ("Unknown", None),
        ] {
            assert_eq!(parse_time(text), Ok(want.map(str::to_string)), "{text:?}");
        }
        for text in ["25:10", "23:75", "13:00 pm", "noon", "1", "23:1"] {
            let err = parse_time(text).expect_err(text);
            assert!(err.starts_with(text) && err.contains("not a time"), "{err}");
        }
    }

    #[test]
    fn a_date_and_time_cell_splits_at_a_trailing_time() {
        assert_eq!(
            split_date_time("14/06/2018 23:10"),
            ("14/06/2018", Some("23:10"))
        );
        assert_eq!(
            split_date_time("14/06/2018, 11:10 pm"),
            ("14/06/2018", Some("11:10 pm"))
        );
        assert_eq!(
            split_date_time("2018-06-14T23:10"),
            ("2018-06-14", Some("23:10"))
        );
        assert_eq!(split_date_time("c. March 2019"), ("c. March 2019", None));
        assert_eq!(split_date_time("14/06/2018"), ("14/06/2018", None));
        assert_eq!(split_date_time("Unknown"), ("Unknown", None));
    }

    #[test]
    fn fingerprints_differ_by_agency_cells_boundaries_and_occurrence() {
        let base = fingerprint(1, &["a", "b"], 0);
        assert_eq!(base.len(), 64);
        assert_eq!(base, fingerprint(1, &["a", "b"], 0));
        assert_ne!(base, fingerprint(2, &["a", "b"], 0));
        assert_ne!(base, fingerprint(1, &["a", "b"], 1));
        assert_ne!(base, fingerprint(1, &["ab", ""], 0));
        assert_ne!(base, fingerprint(1, &["b", "a"], 0));
    }

    #[test]
    fn subjects_match_pseudonyms_and_real_name_forms_but_never_two_people() {
        let subject = |id: i64, pseudonym: &str, names: &str| Subject {
            id,
            case_id: 1,
            role: crate::domain::model::SubjectRole::Other,
            real_names: names.to_string(),
            pseudonym: pseudonym.to_string(),
            relationship: String::new(),
            notes: String::new(),
        };
        let register = [
            subject(1, "Adult A", "Jane Smith; Jane; Mrs Smith"),
            subject(2, "Adult B", "John Smith; John; Smith"),
            subject(3, "Child C", "Amy Smith; Jane"),
        ];
        assert_eq!(find_subject(&register, "adult  a"), Some(1));
        assert_eq!(find_subject(&register, "MRS SMITH"), Some(1));
        assert_eq!(find_subject(&register, "Smith"), Some(2));
        assert_eq!(find_subject(&register, "Jane"), None, "two people");
        assert_eq!(find_subject(&register, "Neighbour"), None);
        let names: Vec<&str> = subject_names("Adult A; Adult B, Child C\nX").collect();
        assert_eq!(names, ["Adult A", "Adult B", "Child C", "X"]);
    }
}
