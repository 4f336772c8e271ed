//! Markdown export: escaping of hostile text, the structure of every export as a
//! CommonMark/GFM parser reads it, golden files of the demo case, anonymisation and the
//! leak scan, the fingerprint check, file modes and atomic writes, and the command line.

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;

use chrono::NaiveDate;
use common::*;
use dhr_panel::domain::date::FuzzyDate;
use dhr_panel::domain::markdown::{MarkdownWriter, Verbatim, block, inline};
use dhr_panel::domain::model::*;
use dhr_panel::domain::text::sanitize;
use dhr_panel::export::{ExportError, ExportKind, ExportOptions, export};
use dhr_panel::store::Store;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

// ---------------------------------------------------------------------------------------
// Reading Markdown back

/// What a parser makes of a document.
#[derive(Debug, Default)]
struct Parsed {
    /// (level, text)
    headings: Vec<(u8, String)>,
    /// Each table of the document's body as rows of cell texts, the header row first.
    tables: Vec<Vec<Vec<String>>>,
    /// The title block (headers empty) and document-control tables.
    meta: Vec<Vec<Vec<String>>>,
    paragraphs: Vec<String>,
    items: Vec<String>,
    /// Every start and end of an element, and every non-text event, in order: what
    /// must not change when only the text changes.
    skeleton: Vec<String>,
    /// Structures an export must never contain (links, images, HTML, code, quotes...).
    forbidden: Vec<String>,
}

fn options() -> Options {
    // Everything a reader might switch on, not only GFM: stricter than any one reader.
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_SUPERSCRIPT
        | Options::ENABLE_SUBSCRIPT
        | Options::ENABLE_WIKILINKS
}

/// The body of an export: what follows its metadata block for pandoc (`---`, title,
/// marking, `papersize: a4`, `---`, a blank line), checked strictly on the way. A
/// GFM reader would take the block for a thematic break and a heading.
fn body(md: &str) -> &str {
    let Some(rest) = md.strip_prefix("---\n") else {
        return md;
    };
    let (block, body) = rest
        .split_once("\n---\n\n")
        .unwrap_or_else(|| panic!("an unclosed metadata block:\n{md}"));
    let keys: Vec<&str> = block
        .lines()
        .map(|l| l.split_once(": ").map_or(l, |(k, _)| k))
        .collect();
    assert!(
        keys == ["title", "marking", "papersize"] || keys == ["title", "papersize"],
        "{block}"
    );
    for line in block.lines() {
        let (_, value) = line.split_once(": ").unwrap();
        if value != "a4" {
            let inner = value
                .strip_prefix('\'')
                .and_then(|v| v.strip_suffix('\''))
                .unwrap_or_else(|| panic!("not single-quoted: {line}"));
            assert!(
                !inner.replace("''", "").contains('\''),
                "a lone quote: {line}"
            );
        }
    }
    body
}

fn parse(md: &str) -> Parsed {
    let md = body(md);
    let mut p = Parsed::default();
    let mut text = String::new();
    let mut row: Vec<String> = Vec::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    for event in Parser::new_ext(md, options()) {
        match &event {
            Event::Text(t) => text.push_str(t),
            Event::HardBreak => text.push('\n'),
            Event::SoftBreak => text.push(' '),
            Event::Start(tag) => {
                p.skeleton.push(format!("start {tag:?}"));
                match tag {
                    Tag::Heading { .. } | Tag::Paragraph | Tag::Item | Tag::TableCell => {
                        text.clear()
                    }
                    Tag::Table(_) => table.clear(),
                    Tag::TableHead | Tag::TableRow => row.clear(),
                    Tag::Strong | Tag::List(None) => {}
                    other => p.forbidden.push(format!("{other:?}")),
                }
            }
            Event::End(end) => {
                p.skeleton.push(format!("end {end:?}"));
                match end {
                    TagEnd::Heading(level) => p.headings.push((*level as u8, text.clone())),
                    TagEnd::Paragraph => p.paragraphs.push(text.clone()),
                    TagEnd::Item => p.items.push(text.clone()),
                    TagEnd::TableCell => row.push(text.trim().to_string()),
                    TagEnd::TableHead | TagEnd::TableRow => table.push(row.clone()),
                    TagEnd::Table
                        if table
                            .first()
                            .is_some_and(|h| *h == ["", ""] || *h == ["Document control", ""]) =>
                    {
                        p.meta.push(table.clone())
                    }
                    TagEnd::Table => p.tables.push(table.clone()),
                    _ => {}
                }
            }
            other => {
                p.skeleton.push(format!("{other:?}"));
                p.forbidden.push(format!("{other:?}"));
            }
        }
    }
    p
}

/// Asserts a document holds nothing but headings, paragraphs, bullet lists, bold and
/// tables whose every row has as many cells as its header.
fn assert_clean(md: &str) -> Parsed {
    let p = parse(md);
    assert!(
        p.forbidden.is_empty(),
        "unexpected structure {:?}",
        p.forbidden
    );
    for table in p.tables.iter().chain(&p.meta) {
        let width = table[0].len();
        for row in table {
            assert_eq!(
                row.len(),
                width,
                "a broken row {row:?} in a table of {width}"
            );
        }
    }
    p
}

fn h2(p: &Parsed) -> Vec<&str> {
    p.headings
        .iter()
        .filter(|(l, _)| *l == 2)
        .map(|(_, t)| t.as_str())
        .collect()
}

/// What a reader sees of text written as a paragraph: sanitised lines, trimmed, no
/// empty ones, joined by line breaks.
fn as_paragraph(text: &str) -> String {
    sanitize(text)
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a reader sees of text written in a table cell or heading: the lines on one line.
fn as_cell(text: &str) -> String {
    as_paragraph(text).replace('\n', " ")
}

// ---------------------------------------------------------------------------------------
// Escaping hostile text

const HOSTILE: &[&str] = &[
    "a | b | c",
    "pipe at end |",
    "one\ntwo\r\nthree\rfour",
    "`code` and ```fence```",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "![img](http://example.org/x.png)",
    "<http://example.org> www.example.org https://example.org jo@example.org",
    "# heading",
    "## not a heading ##",
    "1. ordered",
    "12) ordered",
    "> quote",
    "- bullet",
    "+ bullet",
    "* bullet",
    "---",
    "===",
    "text\n---",
    "text\n===",
    "&amp; &#35; &copy;",
    "**bold** *em* _em_ __bold__ ~~strike~~ ~sub~ ^sup^",
    "$x^2$ and $$y$$",
    "[^1] footnote [[wiki]]",
    "- [ ] task",
    "term\n: definition",
    "    indented code",
    "\ttabbed",
    "trailing backslash \\",
    "\\",
    "\\\\| escaped pipe",
    ":smile: :+1:",
    "a\u{1b}[2Jb\u{1b}]0;title\u{7}c",
    "null\u{0} del\u{7f} c1\u{9b} bidi\u{202e}cba\u{2066}",
    "   \n  \n",
    "| --- | --- |\n| forged | row |",
    "line one  \nline two\\\nline three",
];

#[test]
fn hostile_text_in_a_paragraph_reads_back_as_the_same_text_and_nothing_else() {
    for text in HOSTILE {
        let mut w = MarkdownWriter::new(&Verbatim);
        w.paragraph(text);
        let md = w.finish();
        let p = assert_clean(&md);
        let expected = as_paragraph(text);
        if expected.is_empty() {
            assert!(md.is_empty(), "{text:?} gave {md:?}");
            continue;
        }
        assert_eq!(p.paragraphs, [expected], "{text:?} as {md:?}");
        assert!(
            p.headings.is_empty() && p.tables.is_empty() && p.items.is_empty(),
            "{md:?}"
        );
    }
}

#[test]
fn hostile_text_in_table_cells_keeps_every_row_and_column() {
    let rows: Vec<Vec<String>> = HOSTILE
        .iter()
        .map(|t| vec![t.to_string(), "middle".into(), t.to_string()])
        .collect();
    let mut w = MarkdownWriter::new(&Verbatim);
    w.table(&["A", "B", "C"], &rows, "None.");
    let md = w.finish();
    let p = assert_clean(&md);
    assert_eq!(p.tables.len(), 1, "{md}");
    let table = &p.tables[0];
    assert_eq!(table.len(), HOSTILE.len() + 1, "{md}");
    for (row, text) in table[1..].iter().zip(HOSTILE) {
        let cell = as_cell(text);
        assert_eq!(row, &[cell.clone(), "middle".into(), cell], "{text:?}");
    }
}

#[test]
fn hostile_text_in_headings_and_list_items_stays_there() {
    let mut w = MarkdownWriter::new(&Verbatim);
    for text in HOSTILE {
        w.heading(3, text);
        w.bullet(Some(text), text);
        w.named(text, text);
    }
    let md = w.finish();
    let p = assert_clean(&md);
    let headings: Vec<String> = p.headings.iter().map(|(_, t)| t.clone()).collect();
    let expected: Vec<String> = HOSTILE.iter().map(|t| as_cell(t)).collect();
    assert_eq!(headings, expected);
    assert!(p.headings.iter().all(|(l, _)| *l == 3));
    assert_eq!(p.items.len(), HOSTILE.len() * 2, "{md}");
    for (i, text) in HOSTILE.iter().enumerate() {
        let label = as_cell(text);
        let body = as_paragraph(text);
        let bullet = [label.as_str(), body.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(p.items[2 * i], bullet, "{text:?}");
    }
}

#[test]
fn escaping_examples_read_as_expected() {
    assert_eq!(inline("a|b"), "a\\|b");
    assert_eq!(
        block("# x\n1. y\n> z\n- w"),
        "\\# x\\\n1\\. y\\\n\\> z\\\n\\- w"
    );
    assert_eq!(inline("<script>"), "\\<script\\>");
    assert_eq!(inline("&amp;"), "\\&amp;");
    assert_eq!(
        inline("[x](javascript:alert(1))"),
        "\\[x\\](javascript:alert(1))"
    );
    assert_eq!(inline("`x`"), "\\`x\\`");
    assert_eq!(inline("bell\u{7}"), "bell\u{2407}");
}

/// A small deterministic generator, so the test is the same on every run.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn generated_hostile_text_always_reads_back_unchanged() {
    let alphabet: Vec<char> = "ab1 \n\r\t#>-+*_`[]()!<&|~\\.:/@w=${}^'\"%\u{1b}\u{202e}\u{a0}"
        .chars()
        .collect();
    let mut rng = XorShift(0x5eed_1234_abcd_ef01);
    for _ in 0..3000 {
        let len = (rng.next() % 24) as usize;
        let text: String = (0..len)
            .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
            .collect();
        let mut w = MarkdownWriter::new(&Verbatim);
        w.paragraph(&text);
        w.table(&["A", "B"], &[vec![text.clone(), text.clone()]], "None.");
        let md = w.finish();
        let p = parse(&md);
        assert!(
            p.forbidden.is_empty(),
            "{text:?} as {md:?}: {:?}",
            p.forbidden
        );
        let expected = as_paragraph(&text);
        if expected.is_empty() {
            assert!(p.paragraphs.is_empty(), "{text:?} as {md:?}");
        } else {
            assert_eq!(p.paragraphs, [expected], "{text:?} as {md:?}");
        }
        let cell = as_cell(&text);
        assert_eq!(p.tables.len(), 1, "{text:?} as {md:?}");
        assert_eq!(p.tables[0][1], [cell.clone(), cell], "{text:?} as {md:?}");
    }
}

// ---------------------------------------------------------------------------------------
// The demo case

fn demo() -> (tempfile::TempDir, Store, Case) {
    let dir = private_dir();
    let store = demo_store(dir.path());
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap();
    (dir, store, case)
}

fn fixed() -> dhr_panel::time::FixedClock {
    dhr_panel::time::FixedClock::on(today())
}

fn panel() -> ExportOptions {
    ExportOptions::default()
}

fn anonymised(allow: &[&str]) -> ExportOptions {
    ExportOptions {
        anonymise: true,
        allow: allow.iter().map(|w| w.to_string()).collect(),
        times: false,
        publication: false,
        characteristics: false,
    }
}

fn make(store: &Store, case: &Case, kind: ExportKind, options: &ExportOptions) -> String {
    match export(store, case, kind, options, &fixed()) {
        Ok(e) => e.markdown,
        Err(ExportError::Leaks(leaks)) => panic!(
            "refused:\n{}",
            leaks
                .iter()
                .map(|l| l.describe())
                .collect::<Vec<_>>()
                .join("\n")
        ),
        Err(e) => panic!("{e}"),
    }
}

fn meeting(store: &Store, case: &Case, number: i64) -> Meeting {
    store
        .meetings(case.id)
        .unwrap()
        .into_iter()
        .find(|m| m.number == number)
        .unwrap()
}

/// Closes meeting 2 and approves it at meeting 3 as `/approve 2` does: fingerprint
/// stored, minutes locked; then records an amendment to it at meeting 3.
fn approve_meeting_2_with_an_amendment(store: &mut Store, case: &Case) {
    let m2 = meeting(store, case, 2);
    let m3 = meeting(store, case, 3);
    store
        .seed(|w| {
            w.approve(m2.id, m3.id)?;
            w.insert_amendment(
                m2.id,
                m3.id,
                &w_login(),
                "Item 7: the force had asked for more time for the police IMR.",
            )?;
            Ok(())
        })
        .unwrap();
}

/// A change made to the database file outside DHR Panel (as with the sqlite3 shell).
fn outside_change(store: &Store, sql: &str, id: i64) {
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    assert_eq!(conn.execute(sql, [id]).unwrap(), 1, "{sql}");
}

/// The login the audit trail records, as the store knows it.
fn w_login() -> String {
    dhr_panel::store::audit::login_name()
}

/// Snapshots never depend on who ran them.
fn redact_login(md: &str) -> String {
    md.replace(&w_login(), "[login]")
}

/// The head of the audit chain hashes the login that made each row, so snapshots show
/// it as "[head]"; the chain's length stays, so a change in what is audited still shows.
/// The login a document was produced by (no one on the demo case carries it) likewise.
fn redact_chain(md: &str) -> String {
    let head = footer_head(md);
    md.replace(&head, "[head]").replace(
        &format!("| Produced by | {} |", w_login()),
        "| Produced by | [login] |",
    )
}

/// The 12 hex characters of the chain's head in an export's footer.
fn footer_head(md: &str) -> String {
    let footer = md
        .lines()
        .find(|l| l.starts_with("Audit trail when exported: "))
        .unwrap_or_else(|| panic!("no audit footer in:\n{md}"));
    let head = footer
        .split("head ")
        .nth(1)
        .and_then(|rest| rest.get(..12))
        .unwrap_or_else(|| panic!("no head in {footer}"));
    assert!(head.chars().all(|c| c.is_ascii_hexdigit()), "{footer}");
    head.to_string()
}

#[test]
fn every_export_ends_with_the_chain_s_length_and_head_before_the_marking() {
    let (_dir, store, case) = demo();
    let head = store.audit_head().unwrap();
    for kind in [
        ExportKind::Minutes { meeting: 1 },
        ExportKind::Agenda { meeting: 4 },
        ExportKind::Case,
    ] {
        for options in [panel(), anonymised(&[])] {
            let md = make(&store, &case, kind, &options);
            let lines: Vec<&str> = md.lines().filter(|l| !l.is_empty()).collect();
            let footer = lines[lines.len() - 2];
            assert_eq!(
                footer,
                format!(
                    "Audit trail when exported: {} rows, head {}. To check later that the database still holds this trail, run: dhr check --witness {}:{}",
                    head.rows,
                    &head.hash[..12],
                    head.rows,
                    &head.hash[..12]
                ),
                "{kind:?}"
            );
            assert_eq!(footer_head(&md), head.hash[..12]);
        }
    }
}

#[test]
fn demo_minutes_parse_into_the_intended_structure() {
    let (_dir, store, case) = demo();
    let md = make(&store, &case, ExportKind::Minutes { meeting: 1 }, &panel());
    let lines: Vec<&str> = body(&md).lines().collect();
    assert_eq!(lines[0], "**OFFICIAL-SENSITIVE**");
    assert_eq!(lines.last(), Some(&"**OFFICIAL-SENSITIVE**"));
    let p = assert_clean(&md);
    assert_eq!(
        p.paragraphs[1],
        "For the review panel only: not for publication."
    );
    assert_eq!(p.headings[0], (1, "Minutes of panel meeting 1".to_string()));
    assert_eq!(
        h2(&p),
        [
            "Attendance",
            "Declarations of interest",
            "Minutes",
            "Decisions",
            "Actions",
            "Challenges",
            "Approval"
        ]
    );
    let items: Vec<&str> = p
        .headings
        .iter()
        .filter(|(l, _)| *l == 3)
        .map(|(_, t)| t.as_str())
        .collect();
    assert_eq!(items[0], "1. Welcome and introductions");
    assert_eq!(items.len(), 12, "every agenda item: {items:?}");
    // Attendance (once, one table), decisions, actions, challenges.
    assert_eq!(p.tables.len(), 4);
    assert_eq!(
        p.tables[0][0],
        ["Name", "Agency or organisation", "Role", "Attendance"]
    );
    assert_eq!(p.tables[0].len(), 1 + 16, "everyone on the list, once");
    let present = p.tables[0].iter().filter(|r| r[3] == "Present").count();
    assert_eq!(present, 12, "twelve present");
    assert_eq!(
        p.tables[0][13],
        [
            "Angela Moreton",
            "Adult Social Care",
            "Head of Adult Safeguarding",
            "Apologies"
        ]
    );
    assert_eq!(p.tables[1].len(), 1 + 6, "six decisions");
    // The minutes are numbered paragraphs (item.line), without their times by default.
    assert!(
        p.paragraphs
            .iter()
            .any(|i| i.starts_with("5.1 Simon Hart outlined the case.")),
        "{:?}",
        p.paragraphs
    );
    assert!(!md.contains("10:22"), "no times unless asked for");
    assert!(
        !md.contains("ATTENDANCE:"),
        "attendance is the table, not lines"
    );
    assert!(!md.contains("DRAFT"));
    assert!(md.contains("it matches the fingerprint stored at approval"));
    assert!(md.contains(&meeting(&store, &case, 1).fingerprint));
}

#[test]
fn the_recomputed_fingerprint_of_the_demo_meeting_is_the_stored_one() {
    let (_dir, store, case) = demo();
    let m1 = meeting(&store, &case, 1);
    assert_eq!(
        m1.fingerprint.len(),
        64,
        "the demo stores meeting 1's fingerprint"
    );
    assert_eq!(store.minutes_fingerprint_now(&m1).unwrap(), m1.fingerprint);
}

#[test]
fn minutes_not_yet_approved_are_marked_draft_at_the_top_without_a_fingerprint() {
    let (_dir, store, case) = demo();
    let md = make(&store, &case, ExportKind::Minutes { meeting: 3 }, &panel());
    let top: Vec<&str> = body(&md).lines().take(30).collect();
    assert!(
        top.contains(&"# DRAFT minutes of panel meeting 3"),
        "{top:?}"
    );
    assert!(
        top.contains(&"**DRAFT: not yet approved as a true record (the meeting is in progress).**"),
        "{top:?}"
    );
    assert!(!md.contains("Fingerprint"));
    let p = assert_clean(&md);
    assert!(
        p.paragraphs
            .iter()
            .any(|i| i.contains("CHALLENGE: POLICE: The police IMR is now 56 days overdue"))
    );
}

#[test]
fn golden_minutes_of_meeting_1_for_the_panel_and_anonymised() {
    let (_dir, store, case) = demo();
    let kind = ExportKind::Minutes { meeting: 1 };
    insta::assert_snapshot!(
        "minutes_meeting_1",
        redact_chain(&make(&store, &case, kind, &panel()))
    );
    insta::assert_snapshot!(
        "minutes_meeting_1_anonymised",
        redact_chain(&make(&store, &case, kind, &anonymised(&[])))
    );
}

#[test]
fn golden_minutes_of_meeting_2_approved_at_meeting_3_with_an_amendment() {
    let (_dir, mut store, case) = demo();
    approve_meeting_2_with_an_amendment(&mut store, &case);
    let md = make(&store, &case, ExportKind::Minutes { meeting: 2 }, &panel());
    let p = assert_clean(&md);
    assert_eq!(
        h2(&p).last(),
        Some(&"Amendments after approval"),
        "amendments come after the minutes"
    );
    insta::assert_snapshot!(
        "minutes_meeting_2_approved",
        redact_chain(&redact_login(&md))
    );
}

#[test]
fn golden_pre_meeting_pack_for_meeting_4() {
    let (_dir, store, case) = demo();
    let md = make(&store, &case, ExportKind::Agenda { meeting: 4 }, &panel());
    let p = assert_clean(&md);
    assert_eq!(
        h2(&p),
        [
            "Agenda",
            "Minutes of earlier meetings",
            "Open and carried-forward actions",
            "Open challenges",
            "Overdue agency returns",
            "Returns due by the meeting",
            "Statutory clock"
        ]
    );
    let overdue = &p.tables[4];
    assert_eq!(
        overdue[0],
        ["Agency", "Return", "Status", "Due", "Overdue by", "Chased"]
    );
    let agencies: Vec<&str> = overdue[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(agencies, ["Northgate Police", "Adult Social Care"]);
    assert_eq!(p.tables[0].len(), 1 + 11, "meeting 4's eleven agenda items");
    assert!(md.contains("meeting 3 on 26 Nov 2026: still being minuted"));
    assert!(md.contains("Report due 03 Jun 2027, extended (189 days)"));
    insta::assert_snapshot!("agenda_meeting_4", redact_chain(&md));
}

#[test]
fn golden_case_pack_for_the_panel() {
    let (_dir, store, case) = demo();
    let md = make(&store, &case, ExportKind::Case, &panel());
    let p = assert_clean(&md);
    assert_eq!(
        h2(&p),
        [
            "Case summary",
            "Decision",
            "People the review is about",
            "Case characteristics",
            "Family and support network involvement",
            "Parallel proceedings",
            "Terms of reference",
            "Agency returns",
            "Panel members",
            "Meetings",
            "Combined chronology",
            "Challenge log",
            "Decision log",
            "Open actions",
            "Action plan",
            "Home Office quality assurance",
            "Publication"
        ]
    );
    // The people approached by pseudonym, the flag, the contacts, the proceedings.
    let people = p
        .tables
        .iter()
        .find(|t| t[0][0] == "Person" && t[0][3] == "Specialist advocacy")
        .expect("the people approached");
    let rows: Vec<(&str, &str)> = people[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[3].as_str()))
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1], ("Adult E", "no advocacy offered"));
    assert!(rows[0].1.ends_with("(accepted)"), "{rows:?}");
    assert!(md.contains("Approached with no offer of advocacy"));
    assert!(md.contains("Contacts with Adult D (family)"));
    let proceedings = p
        .tables
        .iter()
        .find(|t| t[0] == ["Kind", "Title", "Contact", "Key dates", "Notes"])
        .expect("the parallel proceedings");
    assert_eq!(proceedings[1][0], "criminal trial");
    assert!(proceedings[1][3].contains("verdict") && proceedings[2][3].contains("concluded"));
    assert!(md.contains("Disclosure requests"));
    let chronology = p
        .tables
        .iter()
        .find(|t| t[0][0] == "Date" && t[0].len() == 11)
        .expect("the chronology table");
    assert_eq!(
        chronology.len() as u64 - 1,
        store.chronology_count(case.id).unwrap(),
        "every entry, one row each"
    );
    // The panel's pack has every characteristic, and the plan's closure and sending.
    let characteristics = p
        .tables
        .iter()
        .find(|t| t[0] == ["Characteristic", "Recorded"])
        .expect("the characteristics table");
    assert_eq!(characteristics.len(), 1 + 15);
    assert!(characteristics.contains(&vec!["Type of death".to_string(), "homicide".to_string()]));
    assert!(md.contains("| closed (superseded) |"));
    assert!(md.contains("sent 14 Nov 2026; no response yet"));
    insta::assert_snapshot!("case_pack", redact_chain(&md));
}

/// Every word of three letters or more of every name the case records (titles aside).
fn known_name_words(store: &Store, case: &Case) -> Vec<String> {
    let mut names: Vec<String> = vec![case.chair.clone(), case.overview_author.clone()];
    for s in store.subjects(case.id).unwrap() {
        names.extend(s.name_forms().iter().map(|f| f.to_string()));
    }
    for m in store.panel_members(case.id).unwrap() {
        names.push(m.name);
        names.push(m.deputy);
    }
    for a in store.agencies(case.id).unwrap() {
        names.push(a.author);
    }
    for m in store.meetings(case.id).unwrap() {
        names.push(m.chair.clone());
        names.push(m.minute_taker.clone());
        names.extend(
            store
                .attendance(m.id)
                .unwrap()
                .into_iter()
                .map(|a| a.person),
        );
        names.extend(
            store
                .declarations(m.id)
                .unwrap()
                .into_iter()
                .map(|d| d.person),
        );
    }
    for r in store.recommendations(case.id).unwrap() {
        names.push(r.record.lead_officer);
    }
    for c in store.challenges(case.id).unwrap() {
        names.push(c.record.raised_by);
    }
    let titles = ["mrs", "miss", "prof"];
    let mut words: Vec<String> = names
        .iter()
        .flat_map(|n| n.split(|c: char| !c.is_alphabetic()))
        .filter(|w| w.chars().count() >= 3 && !titles.contains(&w.to_lowercase().as_str()))
        .map(str::to_lowercase)
        .collect();
    words.sort();
    words.dedup();
    words
}

/// The words of `words` that stand as whole words in `text`, in any letter case.
fn words_in<'w>(text: &str, words: &'w [String]) -> Vec<&'w String> {
    let text = text.to_lowercase();
    words
        .iter()
        .filter(|w| {
            text.split(|c: char| !c.is_alphanumeric())
                .any(|t| t == w.as_str())
        })
        .collect()
}

#[test]
fn the_anonymised_case_pack_holds_no_name_the_tool_knows() {
    let (_dir, store, case) = demo();
    let md = make(&store, &case, ExportKind::Case, &anonymised(&[]));
    let p = assert_clean(&md);
    assert!(
        p.paragraphs[1].starts_with("Anonymised copy"),
        "{:?}",
        p.paragraphs[1]
    );
    assert!(!md.contains("not for publication"));
    let words = known_name_words(&store, &case);
    assert!(words.len() > 60, "the demo records many people: {words:?}");
    let found = words_in(&md, &words);
    assert!(
        found.is_empty(),
        "names left in the anonymised pack: {found:?}"
    );
    for pseudonym in ["Adult A", "Adult B", "Child C", "Adult D"] {
        assert!(md.contains(pseudonym), "{pseudonym}");
    }
    assert!(
        !p.tables
            .iter()
            .any(|t| t[0].contains(&"Real names".to_string()))
    );
    assert!(
        md.contains("| Detective Inspector, Public Protection (POLICE) |"),
        "people appear by role and agency"
    );
    assert!(
        !h2(&p).contains(&"Case characteristics") && !md.contains("Type of death"),
        "left out of an anonymised pack unless asked"
    );
    // The people the process records name (the family's advocate, the contacts of the
    // parallel proceedings) appear by role, in Markdown and in Word.
    let word_text = dhr_panel::export::docx::visible_text(&word(
        &store,
        &case,
        ExportKind::Case,
        &anonymised(&[]),
    ))
    .unwrap();
    for name in ["Lorna", "Baptiste", "Whitfield", "Imogen", "Stroud"] {
        assert!(!md.contains(name), "{name} left in the Markdown");
        assert!(!word_text.contains(name), "{name} left in the Word file");
    }
    assert!(md.contains("Specialist advocate"), "the advocate by role");
    assert!(
        md.contains("Coroner's court contact (coroner's officer)"),
        "the coroner's officer by role"
    );
    insta::assert_snapshot!("case_pack_anonymised", redact_chain(&md));
}

#[test]
fn an_anonymised_case_pack_has_the_characteristics_only_when_asked() {
    let (_dir, store, case) = demo();
    let asked = ExportOptions {
        characteristics: true,
        ..anonymised(&[])
    };
    let md = make(&store, &case, ExportKind::Case, &asked);
    let p = assert_clean(&md);
    let headings = h2(&p);
    let at = headings
        .iter()
        .position(|h| *h == "Case characteristics")
        .expect("the section, when asked");
    assert_eq!(headings[at - 1], "People the review is about");
    assert!(md.contains("| Relationship | intimate partner |"), "{md}");
    assert!(md.contains("| Ethnicity (where recorded) | White British (victim and perpetrator) |"));
    // Word gets the same section.
    let word = dhr_panel::export::export_as(
        &store,
        &case,
        ExportKind::Case,
        &asked,
        dhr_panel::export::ExportFormat::Word,
        &dhr_panel::time::FixedClock::on(today()),
    )
    .unwrap();
    let visible = dhr_panel::export::docx::visible_text(&word.bytes).unwrap();
    assert!(visible.contains("Case characteristics"));
    assert!(
        visible.contains("non-fatal strangulation") || visible.contains("Non-fatal strangulation")
    );
}

#[test]
fn anonymised_minutes_hold_no_name_either() {
    let (_dir, store, case) = demo();
    for number in 1..=3 {
        let md = make(
            &store,
            &case,
            ExportKind::Minutes { meeting: number },
            &anonymised(&[]),
        );
        assert_clean(&md);
        let text = md.to_lowercase();
        for w in known_name_words(&store, &case) {
            assert!(
                !text.split(|c: char| !c.is_alphanumeric()).any(|t| t == w),
                "{w} in the anonymised minutes of meeting {number}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Hostile text in every field of every export

/// A case whose every text field holds `text` (and `name` for people).
fn case_full_of(store: &mut Store, text: &str) -> Case {
    let t = || text.to_string();
    let today = today();
    store
        .seed(|w| {
            let mut case = Case::new("HOST-1", ReviewKind::Dardr, text);
            case.partnership = t();
            case.marking = "OFFICIAL-SENSITIVE".into();
            case.chair = t();
            case.overview_author = t();
            case.stage_reason = t();
            case.notified_on = NaiveDate::from_ymd_opt(2026, 1, 5);
            case.decision_on = NaiveDate::from_ymd_opt(2026, 2, 1);
            case.paused = true;
            case.paused_on = NaiveDate::from_ymd_opt(2026, 3, 1);
            case.paused_reason = t();
            case.extended_to = NaiveDate::from_ymd_opt(2027, 1, 1);
            case.extension_reason = t();
            let case_id = w.insert_case(&case)?;
            w.insert_subject(&Subject {
                id: 0,
                case_id,
                role: SubjectRole::Victim,
                real_names: t(),
                pseudonym: t(),
                relationship: t(),
                notes: t(),
            })?;
            let mut agency = Agency::new(text, text);
            agency.case_id = case_id;
            agency.author = t();
            agency.status = ImrStatus::Requested;
            agency.due_on = NaiveDate::from_ymd_opt(2026, 6, 1);
            agency.scoped_out_reason = t();
            agency.notes = t();
            let agency_id = w.insert_agency(&agency)?;
            w.insert_panel_member(&PanelMember {
                id: 0,
                agency_id,
                name: t(),
                role: t(),
                deputy: t(),
                login: t(),
            })?;
            let term_id = w.insert_term(&TermOfReference {
                id: 0,
                case_id,
                position: 1,
                heading: t(),
                text: t(),
                kind: TermKind::Kloe,
                status: TermStatus::Agreed,
                meeting_id: None,
            })?;
            let mut meeting_ids = Vec::new();
            for number in [1, 2] {
                meeting_ids.push(w.insert_meeting(&Meeting {
                    id: 0,
                    case_id,
                    number,
                    date: NaiveDate::from_ymd_opt(2026, 9, number as u32).unwrap_or(today),
                    start_time: t(),
                    end_time: t(),
                    place: t(),
                    chair: t(),
                    minute_taker: t(),
                    status: MeetingStatus::Closed,
                    approved_at_meeting_id: None,
                    fingerprint: String::new(),
                })?);
            }
            let meeting_id = meeting_ids[0];
            for status in [
                AttendanceStatus::Present,
                AttendanceStatus::Apologies,
                AttendanceStatus::Absent,
            ] {
                w.insert_attendance(&Attendance {
                    id: 0,
                    meeting_id,
                    person: t(),
                    agency_id: Some(agency_id),
                    role: t(),
                    status,
                    guest: status == AttendanceStatus::Absent,
                    organisation: String::new(),
                    left_at: String::new(),
                })?;
            }
            w.insert_declaration(&Declaration {
                id: 0,
                meeting_id,
                person: t(),
                text: t(),
            })?;
            let item = w.insert_agenda_item(&AgendaItem {
                id: 0,
                meeting_id,
                position: 1,
                title: t(),
            })?;
            for (position, kind) in [(1, MinuteKind::Note), (2, MinuteKind::Decision)] {
                w.insert_minute(&Minute {
                    id: 0,
                    meeting_id,
                    agenda_item_id: item,
                    position,
                    minuted_at: "2026-09-01T10:05:00Z".into(),
                    kind,
                    text: t(),
                    record: None,
                })?;
            }
            w.insert_decision(
                &Decision {
                    id: 0,
                    case_id,
                    meeting_id: Some(meeting_id),
                    text: t(),
                    rationale: t(),
                    decided_by: t(),
                    decided_on: NaiveDate::from_ymd_opt(2026, 9, 1),
                },
                &[term_id],
            )?;
            w.insert_action(&Action {
                id: 0,
                case_id,
                text: t(),
                owner: t(),
                agency_id: Some(agency_id),
                due_on: NaiveDate::from_ymd_opt(2026, 10, 1),
                status: ActionStatus::Open,
                meeting_id: Some(meeting_id),
                closed_meeting_id: None,
            })?;
            w.insert_challenge(
                &Challenge {
                    id: 0,
                    case_id,
                    agency_id: Some(agency_id),
                    question: t(),
                    meeting_id: Some(meeting_id),
                    raised_by: t(),
                    raised_on: NaiveDate::from_ymd_opt(2026, 9, 1),
                    response_due: NaiveDate::from_ymd_opt(2026, 10, 1),
                    response: t(),
                    response_on: None,
                    status: ChallengeStatus::Open,
                },
                &[term_id],
            )?;
            let mut entry = ChronologyEntry::new(FuzzyDate::day(today), text);
            entry.case_id = case_id;
            entry.time = Some(t());
            entry.agency_id = Some(agency_id);
            entry.source_ref = t();
            entry.subjects = t();
            entry.action_outcome = t();
            entry.risk_dash = t();
            entry.risk_marac = t();
            entry.agency_comment = t();
            entry.panel_analysis = t();
            entry.key_event = true;
            w.insert_chronology_entry(&entry, &[term_id])?;
            w.insert_recommendation(&Recommendation {
                id: 0,
                case_id,
                number: 1,
                recommendation: t(),
                scope: RecommendationScope::Local,
                agency_id: Some(agency_id),
                action_to_take: t(),
                lead_officer: t(),
                milestones: t(),
                target_on: NaiveDate::from_ymd_opt(2026, 10, 1),
                completed_on: None,
                outcome: t(),
                status: RecommendationStatus::OnTrack,
                closed_reason: None,
                addressee: t(),
                sent_on: None,
                response: t(),
                response_on: None,
            })?;
            // Approved at meeting 2, with its fingerprint, and amended.
            w.approve(meeting_id, meeting_ids[1])?;
            w.insert_amendment(meeting_id, meeting_ids[1], &t(), &t())?;
            case.id = case_id;
            Ok(case)
        })
        .unwrap()
}

const NASTY: &str = "# Heading\n1. one\n> quote\n- item\n| a | b |\n| --- | --- |\n`code` ```fence\n<script>alert(1)</script>\n[x](javascript:alert(1)) ![i](x.png) <http://x.org> www.x.org jo@x.org\n&amp; **bold** _em_ ~~del~~ $x$\n\u{1b}[31mred\u{7}\u{202e}\n===\n---\n    indented\ntrailing \\";

#[test]
fn hostile_text_in_every_field_changes_no_export_s_structure() {
    for kind in [
        ExportKind::Minutes { meeting: 1 },
        ExportKind::Agenda { meeting: 2 },
        ExportKind::Case,
    ] {
        let plain_dir = private_dir();
        let mut plain_store = empty_store(plain_dir.path());
        let plain_case = case_full_of(&mut plain_store, "x");
        let plain = make(&plain_store, &plain_case, kind, &panel());

        let dir = private_dir();
        let mut store = empty_store(dir.path());
        let case = case_full_of(&mut store, NASTY);
        let md = make(&store, &case, kind, &panel());
        let p = assert_clean(&md);
        assert_eq!(
            p.skeleton,
            parse(&plain).skeleton,
            "{kind:?}: hostile text changed the structure:\n{md}"
        );
        let cell = as_cell(NASTY);
        assert!(
            p.tables.iter().flatten().flatten().any(|c| *c == cell),
            "{kind:?}: a cell holds the text as written"
        );
        assert_eq!(body(&md).lines().next(), Some("**OFFICIAL-SENSITIVE**"));
        assert_eq!(md.lines().last(), Some("**OFFICIAL-SENSITIVE**"));
        assert!(!md.contains('\u{1b}') && !md.contains('\u{7}') && !md.contains('\u{202e}'));
    }
}

#[test]
fn hostile_minute_text_keeps_its_line_breaks_as_one_item() {
    let dir = private_dir();
    let mut store = empty_store(dir.path());
    let case = case_full_of(&mut store, NASTY);
    let md = make(&store, &case, ExportKind::Minutes { meeting: 1 }, &panel());
    let p = assert_clean(&md);
    let expected = format!("1.1 {}", as_paragraph(NASTY));
    assert!(p.paragraphs.contains(&expected), "{:?}\n{md}", p.paragraphs);
    let timed = ExportOptions {
        times: true,
        ..panel()
    };
    let md = make(&store, &case, ExportKind::Minutes { meeting: 1 }, &timed);
    let p = assert_clean(&md);
    let expected = format!("1.1 (10:05) {}", as_paragraph(NASTY));
    assert!(p.paragraphs.contains(&expected), "{:?}\n{md}", p.paragraphs);
}

// ---------------------------------------------------------------------------------------
// The leak scan

/// A case with one subject "Jane Smith" (only that form registered), a panel member
/// "Dan Brown" of POLICE, and one meeting whose only minute is `minute`.
fn case_with_minute(store: &mut Store, minute: &str) -> Case {
    store
        .seed(|w| {
            let mut case = Case::new("LEAK-1", ReviewKind::Dhr, "Adult A");
            case.chair = "Helen Ashworth".into();
            let case_id = w.insert_case(&case)?;
            w.insert_subject(&Subject {
                id: 0,
                case_id,
                role: SubjectRole::Victim,
                real_names: "Jane Smith".into(),
                pseudonym: "Adult A".into(),
                relationship: String::new(),
                notes: String::new(),
            })?;
            let mut agency = Agency::new("Northgate Police", "POLICE");
            agency.case_id = case_id;
            let agency_id = w.insert_agency(&agency)?;
            w.insert_panel_member(&PanelMember {
                id: 0,
                agency_id,
                name: "Dan Brown".into(),
                role: "Detective Inspector".into(),
                deputy: String::new(),
                login: String::new(),
            })?;
            let meeting_id = w.insert_meeting(&Meeting {
                id: 0,
                case_id,
                number: 1,
                date: today(),
                start_time: "10:00".into(),
                end_time: "11:00".into(),
                place: "Online".into(),
                chair: "Helen Ashworth".into(),
                minute_taker: "Gareth Pryce".into(),
                status: MeetingStatus::Closed,
                approved_at_meeting_id: None,
                fingerprint: String::new(),
            })?;
            let item = w.insert_agenda_item(&AgendaItem {
                id: 0,
                meeting_id,
                position: 1,
                title: "Case outline".into(),
            })?;
            w.insert_minute(&Minute {
                id: 0,
                meeting_id,
                agenda_item_id: item,
                position: 1,
                minuted_at: format!("{}T10:05:00Z", today()),
                kind: MinuteKind::Note,
                text: minute.into(),
                record: None,
            })?;
            case.id = case_id;
            Ok(case)
        })
        .unwrap()
}

fn anonymised_minutes(
    minute: &str,
    allow: &[&str],
) -> Result<dhr_panel::export::Export, ExportError> {
    let dir = private_dir();
    let mut store = empty_store(dir.path());
    let case = case_with_minute(&mut store, minute);
    export(
        &store,
        &case,
        ExportKind::Minutes { meeting: 1 },
        &anonymised(allow),
        &fixed(),
    )
}

fn refused_words(minute: &str) -> Vec<String> {
    match anonymised_minutes(minute, &[]) {
        Err(ExportError::Leaks(hits)) => hits.into_iter().map(|h| h.word).collect(),
        Ok(e) => panic!("not refused:\n{}", e.markdown),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn names_are_replaced_in_minute_text() {
    let e = anonymised_minutes(
        "Jane Smith's sister spoke to Dan Brown, then DI Brown and Helen Ashworth.",
        &[],
    )
    .unwrap();
    assert!(
        e.markdown.contains(
            "Adult A's sister spoke to Detective Inspector (POLICE), then Detective Inspector (POLICE) and Independent chair."
        ),
        "{}",
        e.markdown
    );
}

#[test]
fn the_leak_scan_refuses_a_surname_alone_naming_the_place() {
    let hits = match anonymised_minutes("Ms smith attended.", &[]) {
        Err(ExportError::Leaks(hits)) => hits,
        other => panic!("{other:?}"),
    };
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].word, "smith");
    assert_eq!(hits[0].section, "1. Case outline");
    assert_eq!(hits[0].name, "Jane Smith");
    let panel_copy = {
        let dir = private_dir();
        let mut store = empty_store(dir.path());
        let case = case_with_minute(&mut store, "Ms smith attended.");
        make(&store, &case, ExportKind::Minutes { meeting: 1 }, &panel())
    };
    let line = panel_copy.lines().nth(hits[0].line - 1).unwrap_or_default();
    assert!(
        line.contains("Ms smith attended."),
        "line {} is {line:?}",
        hits[0].line
    );
}

#[test]
fn the_leak_scan_refuses_a_long_name_inside_a_longer_word_and_a_short_one_at_a_word_start() {
    assert_eq!(
        refused_words("The Smithsons and Blacksmiths came."),
        ["Smithsons", "Blacksmiths"]
    );
    assert_eq!(
        refused_words("Danny and JANE-ish and Brownie."),
        ["Danny", "JANE", "Brownie"]
    );
}

#[test]
fn the_leak_scan_does_not_refuse_guidance_for_a_dan() {
    let e = anonymised_minutes("The guidance was abundant; Jordan agreed.", &[]).unwrap();
    assert!(
        e.markdown
            .contains("The guidance was abundant; Jordan agreed.")
    );
    assert!(e.allowed.is_empty());
}

#[test]
fn allow_lets_a_named_word_through_and_says_so() {
    assert_eq!(refused_words("The Danube route."), ["Danube"]);
    let e = anonymised_minutes("The Danube route.", &["danube"]).unwrap();
    assert!(e.markdown.contains("The Danube route."));
    assert_eq!(e.allowed.len(), 1);
    assert_eq!(e.allowed[0].word, "Danube");
    assert_eq!(e.allowed[0].name, "Dan Brown");
}

#[test]
fn an_ordinary_word_like_a_short_name_is_reported_not_refused_but_a_suffixed_name_is() {
    // "Dangerous" begins like Dan (Dan Brown) but is an ordinary English word.
    let e = anonymised_minutes("Dangerous driving.", &[]).unwrap();
    assert!(e.markdown.contains("Dangerous driving."));
    assert!(e.allowed.is_empty());
    assert_eq!(e.like_names.len(), 1);
    assert_eq!(e.like_names[0].word, "Dangerous");
    assert_eq!(e.like_names[0].name, "Dan Brown");
    assert_eq!(refused_words("Danny and the Dans."), ["Danny", "Dans"]);
}

// ---------------------------------------------------------------------------------------
// The fingerprint check

#[test]
fn a_changed_approved_minute_is_a_loud_warning_in_the_document_and_the_export() {
    let (_dir, mut store, case) = demo();
    approve_meeting_2_with_an_amendment(&mut store, &case);
    let before = make(&store, &case, ExportKind::Minutes { meeting: 2 }, &panel());
    assert!(!before.contains("WARNING"));
    let m2 = meeting(&store, &case, 2);
    let first = store.minutes(m2.id).unwrap()[0].clone();
    outside_change(
        &store,
        "UPDATE minutes SET body = 'Welcome. Nobody sent apologies.' WHERE id = ?1",
        first.id,
    );
    let e = export(
        &store,
        &case,
        ExportKind::Minutes { meeting: 2 },
        &panel(),
        &fixed(),
    )
    .unwrap();
    let top: Vec<&str> = body(&e.markdown).lines().take(30).collect();
    assert!(
        top.iter().any(|l| l.starts_with(
            "**WARNING: the minutes of meeting 2 have changed since they were approved"
        )),
        "{top:?}"
    );
    assert!(e.markdown.contains("**Fingerprint stored at approval:** "));
    assert!(e.markdown.contains(&m2.fingerprint));
    assert_eq!(e.warnings.len(), 1, "{:?}", e.warnings);
    assert!(e.warnings[0].contains("no longer matches"));
    assert_clean(&e.markdown);
}

#[test]
fn approved_minutes_without_a_stored_fingerprint_say_so() {
    let (_dir, store, case) = demo();
    let m1 = meeting(&store, &case, 1);
    outside_change(
        &store,
        "UPDATE meetings SET fingerprint = '' WHERE id = ?1",
        m1.id,
    );
    let e = export(
        &store,
        &case,
        ExportKind::Minutes { meeting: 1 },
        &panel(),
        &fixed(),
    )
    .unwrap();
    assert!(
        e.markdown
            .contains("Approved before fingerprints were recorded")
    );
    assert!(
        e.markdown.contains(&m1.fingerprint),
        "today's fingerprint is shown"
    );
    assert!(e.warnings.is_empty());
}

// ---------------------------------------------------------------------------------------
// Files and the command line

fn demo_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = private_dir();
    let store = demo_store(dir.path());
    let db = store.path().to_path_buf();
    drop(store);
    (dir, db)
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().mode() & 0o7777
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn without_o_the_markdown_goes_to_stdout() {
    let (_dir, db) = demo_db();
    let (code, out, err) =
        run(dhr(&db).args(["export", "agenda", "--case", "demo-1", "--meeting", "4"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(body(&out).lines().next(), Some("**OFFICIAL-SENSITIVE**"));
    assert_eq!(out.lines().last(), Some("**OFFICIAL-SENSITIVE**"));
    assert!(out.contains("# Pre-meeting pack: panel meeting 4"));
    assert!(err.is_empty(), "{err}");
}

#[test]
fn an_exported_file_is_private_whatever_the_umask_and_replaces_the_old_one_with_force() {
    let (dir, db) = demo_db();
    let out = dir.path().join("minutes.md");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut cmd = std::process::Command::new("sh");
    cmd.arg("-c")
        .arg("umask 000; exec \"$@\"")
        .arg("sh")
        .arg(env!("CARGO_BIN_EXE_dhr"))
        .args(["--db"])
        .arg(&db)
        .args([
            "export",
            "minutes",
            "--case",
            "DEMO-1",
            "--meeting",
            "1",
            "-o",
        ])
        .arg(&out)
        .arg("--force")
        .env("DHR_TODAY", TODAY)
        .env_remove("DHR_DB");
    let (code, stdout, err) = run(&mut cmd);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("minutes.md"), "{stdout}");
    assert_eq!(mode(&out), 0o600);
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(body(&written).starts_with("**OFFICIAL-SENSITIVE**\n"));
    let (_, again, _) =
        run(dhr(&db).args(["export", "minutes", "--case", "DEMO-1", "--meeting", "1"]));
    // The first export was registered, so the chain the second one carries is longer.
    let unchained = |md: &str| {
        md.lines()
            .filter(|l| !l.starts_with("Audit trail when exported: "))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        unchained(&written),
        unchained(&again),
        "the file holds what stdout would"
    );
    assert!(!names_in(dir.path()).iter().any(|n| n.ends_with(".tmp")));
}

#[test]
fn in_a_setgid_group_folder_the_file_is_shared_with_the_group_only() {
    let (_dir, db) = demo_db();
    let shared = private_dir();
    std::fs::set_permissions(shared.path(), std::fs::Permissions::from_mode(0o2770)).unwrap();
    let out = shared.path().join("case.md");
    let (code, _, err) = run(dhr(&db)
        .args(["export", "case", "--case", "DEMO-1", "-o"])
        .arg(&out));
    assert_eq!(code, 0, "{err}");
    assert_eq!(mode(&out), 0o660);
    assert_eq!(
        std::fs::metadata(&out).unwrap().gid(),
        std::fs::metadata(shared.path()).unwrap().gid()
    );
}

#[test]
fn a_refused_export_writes_nothing_lists_each_place_and_exits_1() {
    let dir = private_dir();
    let mut store = empty_store(dir.path());
    case_with_minute(&mut store, "Smith and Danny attended.");
    let db = store.path().to_path_buf();
    drop(store);
    let before = names_in(dir.path());
    let out = dir.path().join("anon.md");
    let (code, stdout, err) = run(dhr(&db)
        .args([
            "export",
            "minutes",
            "--case",
            "LEAK-1",
            "--meeting",
            "1",
            "--anonymise",
            "-o",
        ])
        .arg(&out));
    assert_eq!(code, 1, "{err}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(!out.exists());
    assert_eq!(
        names_in(dir.path()),
        before,
        "no file and no temporary file"
    );
    let places: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("dhr: name found:"))
        .collect();
    assert_eq!(places.len(), 2, "{err}");
    assert!(
        places[0].contains("1. Case outline, line ") && places[0].contains("\"Smith\""),
        "{err}"
    );
    assert!(places[1].contains("\"Danny\""), "{err}");
    assert!(err.contains("nothing was written"), "{err}");

    // Without -o a refusal prints no Markdown either.
    let (code, stdout, _) = run(dhr(&db).args([
        "export",
        "minutes",
        "--case",
        "LEAK-1",
        "--meeting",
        "1",
        "--anonymise",
    ]));
    assert_eq!(code, 1);
    assert!(stdout.is_empty());

    // --allow for both words lets it through, and says so.
    let (code, stdout, err) = run(dhr(&db).args([
        "export",
        "minutes",
        "--case",
        "LEAK-1",
        "--meeting",
        "1",
        "--anonymise",
        "--allow",
        "Smith",
        "--allow",
        "danny",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("Smith and Danny attended."));
    assert_eq!(
        err.lines()
            .filter(|l| l.starts_with("dhr: allowed by --allow"))
            .count(),
        2,
        "{err}"
    );
}

#[test]
fn the_command_line_says_what_is_wrong_with_exit_status_2() {
    let (dir, db) = demo_db();
    let (code, _, err) =
        run(dhr(&db).args(["export", "minutes", "--case", "NOPE-9", "--meeting", "1"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("no case NOPE-9") && err.contains("dhr cases"),
        "{err}"
    );

    let (code, _, err) =
        run(dhr(&db).args(["export", "minutes", "--case", "DEMO-1", "--meeting", "9"]));
    assert_eq!(code, 2);
    assert!(
        err.contains("case DEMO-1 has no meeting 9: its meetings are 1, 2, 3, 4"),
        "{err}"
    );

    let (code, _, err) = run(dhr(&db).args(["export", "case", "--case", "DEMO-1", "--allow", "x"]));
    assert_eq!(code, 2, "--allow needs --anonymise: {err}");

    let missing = dir.path().join("no-such-folder").join("x.md");
    let (code, _, err) = run(dhr(&db)
        .args(["export", "case", "--case", "DEMO-1", "-o"])
        .arg(&missing));
    assert_eq!(code, 2);
    assert!(err.contains("does not exist"), "{err}");
    assert!(!dir.path().join("no-such-folder").exists());

    let (code, _, err) = run(dhr(&db)
        .args(["export", "case", "--case", "DEMO-1", "-o"])
        .arg(dir.path()));
    assert_eq!(code, 2);
    assert!(err.contains("is a folder"), "{err}");

    let nowhere = dir.path().join("missing.sqlite3");
    let (code, _, err) = run(dhr(&nowhere).args(["export", "case", "--case", "DEMO-1"]));
    assert_eq!(code, 2);
    assert!(err.contains("no database at"), "{err}");
    assert!(!nowhere.exists());
}

#[test]
fn a_fingerprint_mismatch_is_also_printed_on_stderr() {
    let dir = private_dir();
    let store = demo_store(dir.path());
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap();
    let m1 = meeting(&store, &case, 1);
    let first = store.minutes(m1.id).unwrap()[0].clone();
    outside_change(
        &store,
        "UPDATE minutes SET body = 'Changed.' WHERE id = ?1",
        first.id,
    );
    let db = store.path().to_path_buf();
    drop(store);
    let (code, out, err) =
        run(dhr(&db).args(["export", "minutes", "--case", "DEMO-1", "--meeting", "1"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("dhr: WARNING: the minutes of meeting 1 have changed"),
        "{err}"
    );
    assert!(
        out.contains(
            "**WARNING: these minutes no longer match the fingerprint stored at approval."
        )
    );
}

#[test]
fn an_amendment_names_its_meeting_and_date_and_the_person_whose_login_recorded_it() {
    let (_dir, mut store, case) = demo();
    approve_meeting_2_with_an_amendment(&mut store, &case);
    let m3 = meeting(&store, &case, 3);
    let lead = format!("Made at meeting 3 ({})", m3.date.format("%d %b %Y"));
    let amendment = |md: &str| -> String {
        let p = assert_clean(md);
        p.items
            .iter()
            .find(|i| i.starts_with(&lead))
            .unwrap_or_else(|| panic!("no amendment led by {lead:?}:\n{md}"))
            .clone()
    };
    // No one on the case carries the login: the login shows.
    let md = make(&store, &case, ExportKind::Minutes { meeting: 2 }, &panel());
    assert!(
        amendment(&md).contains(&format!(" by {}:", w_login())),
        "{md}"
    );
    // Once a panel member carries it, their name shows instead.
    let lorraine = store
        .panel_members(case.id)
        .unwrap()
        .into_iter()
        .find(|m| m.name == "Lorraine Baxter")
        .unwrap();
    store
        .save_panel_member(&PanelMember {
            login: w_login(),
            ..lorraine
        })
        .unwrap();
    let md = make(&store, &case, ExportKind::Minutes { meeting: 2 }, &panel());
    let item = amendment(&md);
    assert!(item.contains(" by Lorraine Baxter: Item 7"), "{item}");
    assert!(item.contains("; recorded "), "{item}");
    // Anonymised: neither the name nor the login; attendance without a name column and
    // no attendee's name anywhere.
    let md = make(
        &store,
        &case,
        ExportKind::Minutes { meeting: 2 },
        &anonymised(&[]),
    );
    let item = amendment(&md);
    assert!(
        !item.contains("Lorraine") && !item.contains(&w_login()),
        "{item}"
    );
    let p = assert_clean(&md);
    assert_eq!(
        p.tables[0][0],
        ["Role", "Agency or organisation", "Attendance"]
    );
    let m2 = meeting(&store, &case, 2);
    let people = store.attendance(m2.id).unwrap();
    assert_eq!(p.tables[0].len(), 1 + people.len(), "everyone once");
    for a in &people {
        assert!(!md.contains(&a.person), "{} is named:\n{md}", a.person);
    }
}

#[test]
fn the_minutes_show_times_only_when_asked_and_never_the_attendance_lines() {
    use dhr_panel::store::minute_lines::{LineNames, LinePlace};
    let (_dir, mut store, case) = demo();
    // A guest recorded present at meeting 3 by a line of the minutes.
    let m3 = meeting(&store, &case, 3);
    let item = store.agenda(m3.id).unwrap()[0].id;
    let line = dhr_panel::domain::minuting::parse_minute("/present Jo Visitor", today()).unwrap();
    store
        .commit_minute_line(
            &LinePlace {
                meeting_id: m3.id,
                item_id: item,
                minuted_at: "2026-11-26T10:05:00Z".into(),
                seat: None,
                key: None,
            },
            line,
            LineNames::default(),
        )
        .unwrap();
    let md = make(&store, &case, ExportKind::Minutes { meeting: 3 }, &panel());
    let p = assert_clean(&md);
    assert!(!md.contains("ATTENDANCE"), "{md}");
    assert!(
        p.tables[0]
            .iter()
            .any(|r| r[0] == "Jo Visitor" && r[3] == "Present"),
        "{:?}",
        p.tables[0]
    );
    let timed = ExportOptions {
        times: true,
        ..panel()
    };
    let md = make(&store, &case, ExportKind::Minutes { meeting: 1 }, &timed);
    let p = assert_clean(&md);
    assert!(
        p.paragraphs
            .iter()
            .any(|i| i == "1.1 (10:02) The chair welcomed members and introductions were made. Apologies from Angela Moreton (Tariq Aziz attending) and Sian Roberts."),
        "{:?}",
        p.paragraphs
    );
    // Numbers run within each item: 6.1 then 6.2.
    let six: Vec<&str> = p
        .paragraphs
        .iter()
        .filter(|i| i.starts_with("6."))
        .map(|i| &i[..3])
        .collect();
    assert_eq!(six, ["6.1", "6.2"]);
}

// ---------------------------------------------------------------------------------------
// Word files: opened (unzipped) and their XML read

use dhr_panel::export::{ExportFormat, docx, export_as};

/// The parts of a Word file by name.
fn unzip(bytes: &[u8]) -> std::collections::BTreeMap<String, String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut parts = std::collections::BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        parts.insert(f.name().unwrap().into_owned(), text);
    }
    parts
}

fn word(store: &Store, case: &Case, kind: ExportKind, options: &ExportOptions) -> Vec<u8> {
    let e = export_as(store, case, kind, options, ExportFormat::Word, &fixed()).unwrap();
    assert_eq!(e.format, ExportFormat::Word);
    assert!(e.file_name.ends_with(".docx"), "{}", e.file_name);
    e.bytes
}

/// Every `<w:sectPr>…</w:sectPr>` of the body.
fn sections(body: &str) -> Vec<&str> {
    body.split("<w:sectPr>")
        .skip(1)
        .map(|s| &s[..s.find("</w:sectPr>").unwrap()])
        .collect()
}

/// (w, h) of a section's page.
fn page_size(section: &str) -> (u32, u32) {
    let at = section.find("<w:pgSz ").unwrap();
    let tag = &section[at..at + section[at..].find("/>").unwrap()];
    let attr = |name: &str| -> u32 {
        let i = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[i..i + tag[i..].find('"').unwrap()].parse().unwrap()
    };
    (attr("w:w"), attr("w:h"))
}

#[test]
fn word_exports_of_the_demo_are_a4_with_the_marking_and_page_numbers_on_every_section() {
    let (_dir, store, case) = demo();
    for kind in [
        ExportKind::Minutes { meeting: 1 },
        ExportKind::Minutes { meeting: 2 },
        ExportKind::Agenda { meeting: 3 },
        ExportKind::Case,
    ] {
        let parts = unzip(&word(&store, &case, kind, &panel()));
        let body = &parts["word/document.xml"];
        let rels = &parts["word/_rels/document.xml.rels"];
        assert!(rels.contains("Id=\"rIdHeader\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\""));
        assert!(rels.contains("Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\""));
        let header = &parts["word/header1.xml"];
        let footer = &parts["word/footer1.xml"];
        for part in [header, footer] {
            assert!(
                part.contains("<w:pStyle w:val=\"Marking\"/></w:pPr><w:r><w:t xml:space=\"preserve\">OFFICIAL-SENSITIVE</w:t>"),
                "{kind:?}: {part}"
            );
        }
        assert!(footer.contains("<w:fldSimple w:instr=\" PAGE "), "{footer}");
        assert!(
            footer.contains("<w:fldSimple w:instr=\" NUMPAGES "),
            "{footer}"
        );
        let all = sections(body);
        assert!(!all.is_empty());
        assert!(
            body.trim_end()
                .ends_with("</w:sectPr></w:body></w:document>")
        );
        for s in &all {
            assert!(s.contains("<w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>"));
            assert!(s.contains("<w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>"));
            assert!(
                s.contains("w:top=\"1440\" w:right=\"1440\" w:bottom=\"1440\" w:left=\"1440\"")
            );
            let (w, h) = page_size(s);
            assert!(
                (w, h) == (11906, 16838) || (w, h) == (16838, 11906),
                "A4 either way: {w}x{h}"
            );
        }
        assert_eq!(
            page_size(all[0]),
            (11906, 16838),
            "{kind:?} starts portrait"
        );
        // Every table has its grid and every cell its width, in a fixed layout.
        let tables: Vec<&str> = body.split("<w:tbl>").skip(1).collect();
        assert!(!tables.is_empty(), "{kind:?}");
        for t in tables {
            let t = &t[..t.find("</w:tbl>").unwrap()];
            assert!(t.contains("<w:tblStyle w:val=\"TableGrid\"/>"));
            assert!(t.contains("<w:tblLayout w:type=\"fixed\"/>"));
            let grid = t.matches("<w:gridCol w:w=\"").count();
            assert!(grid > 0 && t.contains("<w:tblGrid>"));
            let cells = t.matches("<w:tc>").count();
            assert_eq!(cells, t.matches("<w:tcW w:w=\"").count());
            assert_eq!(cells % grid, 0, "every row has a cell per column");
        }
        let styles = &parts["word/styles.xml"];
        for (id, name) in [
            ("Normal", "Normal"),
            ("Title", "Title"),
            ("Heading1", "heading 1"),
            ("Heading2", "heading 2"),
            ("Heading3", "heading 3"),
            ("Marking", "Marking"),
            ("TableGrid", "Table Grid"),
            ("ListBullet", "List Bullet"),
        ] {
            assert!(
                styles.contains(&format!("w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>")),
                "style {id}"
            );
        }
        let core = &parts["docProps/core.xml"];
        assert!(core.contains("<dc:creator>DHR Panel</dc:creator>"));
        assert!(core.contains("<cp:lastModifiedBy>DHR Panel</cp:lastModifiedBy>"));
        assert!(!core.contains(&whoami()), "no login in the properties");
    }
}

fn whoami() -> String {
    std::env::var("USER").unwrap_or_else(|_| "root".into())
}

#[test]
fn the_case_packs_chronology_is_on_landscape_pages_and_the_file_is_the_same_each_time() {
    let (_dir, store, case) = demo();
    let bytes = word(&store, &case, ExportKind::Case, &panel());
    assert_eq!(bytes, word(&store, &case, ExportKind::Case, &panel()));
    let parts = unzip(&bytes);
    let body = &parts["word/document.xml"];
    // The section holding the chronology ends with the first sectPr after its heading.
    let at = body.find(">Combined chronology<").unwrap();
    let after = &body[at..];
    let section = sections(after)[0];
    let (w, h) = page_size(section);
    assert!(w > h, "the chronology's page is turned: {w}x{h}");
    assert_eq!((w, h), (16838, 11906));
    assert!(section.contains("w:orient=\"landscape\""));
    // Its table is as wide as a landscape page's text and repeats its header row.
    let table = &after[after.find("<w:tbl>").unwrap()..];
    assert!(table.contains("<w:tblW w:w=\"13958\" w:type=\"dxa\"/>"));
    assert!(table.contains("<w:trPr><w:tblHeader/></w:trPr>"));
    // And the pages after it are portrait again.
    let last = sections(body).last().copied().unwrap();
    assert_eq!(page_size(last), (11906, 16838));
}

/// The widths of a Word body's table grid columns, in twips, in order.
fn grid_widths(body: &str) -> Vec<u32> {
    body.split("<w:gridCol w:w=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].parse().unwrap())
        .collect()
}

/// A five-column chronology table of one row, with this source and event, as Word: the
/// document body and its grid's column widths.
fn chronology_row_in_word(source: &str, event: &str) -> (String, Vec<u32>) {
    use dhr_panel::domain::document::{DocWriter, Verbatim};
    let mut w = DocWriter::new(&Verbatim);
    w.table(
        &["Date", "Agency", "Source", "Event", "Outcome"],
        &[vec![
            "Spring 2019".into(),
            "POLICE".into(),
            source.into(),
            event.into(),
            "Referred to MARAC; no further action by the force.".into(),
        ]],
        "none",
    );
    let parts = unzip(&docx::render(&w.finish()).unwrap());
    let body = parts["word/document.xml"].clone();
    let widths = grid_widths(&body);
    (body, widths)
}

#[test]
fn a_word_of_forty_thousand_letters_neither_crashes_the_word_writer_nor_takes_the_table() {
    // A pasted code or blob: no space in it. The adversarial pass crashed the writer
    // with one (an overflow counting its width).
    let blob = "QUJD".repeat(10_000);
    let (body, widths) = chronology_row_in_word(&blob, &format!("See attachment {blob}"));
    assert_eq!(widths.len(), 5);
    // The blob's columns break it; the others keep room for their words.
    let total: u32 = widths.iter().sum();
    assert!(
        widths[0] >= 700 && widths[1] >= 700 && widths[4] >= 700,
        "{widths:?}"
    );
    assert!(widths[2] < total / 2 && widths[3] < total / 2, "{widths:?}");
    assert!(body.contains(&blob), "the text is all there");
}

#[test]
fn a_thirty_letter_word_in_a_table_gets_a_column_wide_enough_for_it() {
    let long = "Pneumonoultramicroscopicsilico";
    assert_eq!(long.chars().count(), 30);
    let (body, widths) = chronology_row_in_word(
        long,
        "A long account of what happened and who was told, over several lines of text.",
    );
    assert_eq!(widths.len(), 5);
    assert_eq!(widths.iter().sum::<u32>(), 9026, "the portrait text width");
    // What the word needs at 9 pt in Arial/Helvetica (the font's published advance widths,
    // in thousandths of an em), plus the cell's own margins of 216 twips.
    let advance = |c: char| -> u32 {
        match c {
            'i' | 'j' | 'l' => 222,
            'f' | 't' => 278,
            'r' => 333,
            'c' | 'k' | 's' | 'v' | 'x' | 'y' | 'z' => 500,
            'w' => 722,
            'm' => 833,
            'P' => 667,
            _ => 556,
        }
    };
    let need = long.chars().map(advance).sum::<u32>() * 180 / 1000 + 216;
    assert!(widths[2] >= need, "{widths:?} against {need}");
    assert!(
        widths[3] > widths[1],
        "the long text gets room too: {widths:?}"
    );
    // The cell's width is the grid's.
    assert!(body.contains(&format!("<w:tcW w:w=\"{}\" w:type=\"dxa\"/>", widths[2])));
}

#[test]
fn anonymised_word_files_hold_no_word_of_any_name_the_case_knows() {
    let (_dir, store, case) = demo();
    let words = known_name_words(&store, &case);
    let mut kinds = vec![ExportKind::Case];
    kinds.extend((1..=3).map(|meeting| ExportKind::Minutes { meeting }));
    for kind in kinds {
        let bytes = word(&store, &case, kind, &anonymised(&[]));
        let text = docx::visible_text(&bytes).unwrap();
        assert!(text.contains("OFFICIAL-SENSITIVE\n"), "{kind:?}");
        assert!(text.contains("Page 1 of 1"), "the footer is read: {kind:?}");
        assert!(text.contains("DHR Panel\n"), "the properties are read");
        let lower = text.to_lowercase();
        let found: Vec<&String> = words
            .iter()
            .filter(|w| {
                lower
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|t| t == w.as_str())
            })
            .collect();
        assert!(found.is_empty(), "{kind:?}: names left: {found:?}");
        if kind == ExportKind::Case {
            assert!(text.contains("Adult A"));
        }
    }
}

#[test]
fn a_name_left_in_an_anonymised_word_file_is_refused_before_anything_is_written() {
    let dir = private_dir();
    let mut store = empty_store(dir.path());
    let case = case_with_minute(&mut store, "Jane Smith's sister spoke to Smithsons.");
    let file = dir.path().join("minutes.docx");
    let made = dhr_panel::export::export_to_file(
        &mut store,
        &case,
        ExportKind::Minutes { meeting: 1 },
        &anonymised(&[]),
        &fixed(),
        &file,
    );
    match made {
        Err(ExportError::Leaks(hits)) => {
            assert!(hits.iter().any(|h| h.word == "Smithsons"), "{hits:?}")
        }
        Ok(_) => panic!("not refused"),
        Err(e) => panic!("{e}"),
    }
    assert!(!file.exists(), "nothing written");
    assert_eq!(
        names_in(dir.path())
            .iter()
            .filter(|n| n.contains("minutes"))
            .count(),
        0
    );
}

fn dhr_bytes(cmd: &mut std::process::Command) -> (i32, Vec<u8>, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_writes_word_when_asked_or_when_the_file_ends_docx() {
    let (dir, db) = demo_db();
    let minutes = |extra: &[&str]| {
        let mut cmd = dhr(&db);
        cmd.args(["export", "minutes", "--case", "DEMO-1", "--meeting", "2"])
            .args(extra);
        cmd
    };
    // -o x.docx alone: Word, private.
    let docx_file = dir.path().join("m2.docx");
    let (code, _, err) = run(&mut minutes(&["-o", docx_file.to_str().unwrap()]));
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&docx_file).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip");
    assert_eq!(mode(&docx_file), 0o600);
    assert!(unzip(&bytes).contains_key("word/document.xml"));
    // --format docx with any name: Word.
    let other = dir.path().join("m2.out");
    let (code, _, err) = run(&mut minutes(&[
        "--format",
        "docx",
        "-o",
        other.to_str().unwrap(),
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read(&other).unwrap().starts_with(b"PK\x03\x04"));
    // To a pipe: allowed, the zip on stdout.
    let (code, out, err) = dhr_bytes(&mut minutes(&["--format", "docx"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with(b"PK\x03\x04"), "a zip on stdout");
    // The same document, one version on in the register each time (files and stdout).
    let first = docx::visible_text(&bytes).unwrap();
    let piped = docx::visible_text(&out).unwrap();
    assert!(
        first.contains("Draft 1") && piped.contains("Draft 3"),
        "{piped}"
    );
    // Apart from the version and the audit trail's head, which the register moved on.
    let steady = |t: &str| -> String {
        t.lines()
            .filter(|l| !l.starts_with("Draft ") && !l.starts_with("Audit trail when exported"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(steady(&first), steady(&piped));
    // A mismatch is bad usage, naming both, and writes nothing.
    let clash = dir.path().join("clash.docx");
    let (code, out, err) = run(&mut minutes(&[
        "--format",
        "md",
        "-o",
        clash.to_str().unwrap(),
    ]));
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("--format md") && err.contains("clash.docx"),
        "{err}"
    );
    assert!(!clash.exists());
    // -o x.md stays Markdown.
    let md = dir.path().join("m2.md");
    let (code, _, err) = run(&mut minutes(&["-o", md.to_str().unwrap()]));
    assert_eq!(code, 0, "{err}");
    assert!(body(&std::fs::read_to_string(&md).unwrap()).starts_with("**OFFICIAL-SENSITIVE**"));
    // The case pack anonymised as Word, by the command line, passes the scan.
    let case_file = dir.path().join("case.docx");
    let (code, _, err) = run(dhr(&db)
        .args(["export", "case", "--case", "DEMO-1", "--anonymise", "-o"])
        .arg(&case_file));
    assert_eq!(code, 0, "{err}");
    let text = docx::visible_text(&std::fs::read(&case_file).unwrap()).unwrap();
    assert!(text.contains("Anonymised copy"), "{text}");
}

// The export register, the title block and document control, the action log, pandoc

/// The case's details as its form would save them, with `coordinator_login` changed.
fn link_coordinator(store: &mut Store, case: &Case, login: &str) {
    let details = dhr_panel::store::cases::CaseDetails {
        reference: case.reference.clone(),
        kind: case.kind,
        title: case.title.clone(),
        partnership: case.partnership.clone(),
        marking: case.marking.clone(),
        handling: case.handling.clone(),
        chair: case.chair.clone(),
        overview_author: case.overview_author.clone(),
        coordinator: case.coordinator.clone(),
        chair_login: case.chair_login.clone(),
        overview_author_login: case.overview_author_login.clone(),
        coordinator_login: login.to_string(),
        date_of_death: case.date_of_death,
        notified_on: case.notified_on,
        decision_on: case.decision_on,
        home_office_notified_on: case.home_office_notified_on,
        period_from: case.period_from,
        period_to: case.period_to,
    };
    store.save_case_details(case.id, &details).unwrap();
}

/// The value of a row of the document-control table.
fn control(e: &dhr_panel::export::Export, label: &str) -> String {
    e.document
        .meta
        .control
        .iter()
        .find(|(l, _)| l == label)
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("no {label} in {:?}", e.document.meta.control))
}

fn to_file(
    store: &mut Store,
    case: &Case,
    kind: ExportKind,
    dir: &Path,
    name: &str,
) -> dhr_panel::export::Export {
    dhr_panel::export::export_to_file(store, case, kind, &panel(), &fixed(), &dir.join(name))
        .unwrap()
}

#[test]
fn each_written_export_is_registered_once_and_its_version_counts_up_to_final() {
    let (dir, mut store, case) = demo();
    assert!(store.export_register(case.id).unwrap().is_empty());
    let kind = ExportKind::Minutes { meeting: 2 };
    let first = to_file(&mut store, &case, kind, dir.path(), "a.md");
    assert_eq!(control(&first, "Version"), "Draft 1");
    assert_eq!(first.document.meta.status, "DRAFT");
    let second = to_file(&mut store, &case, kind, dir.path(), "b.md");
    assert_eq!(control(&second, "Version"), "Draft 2");
    // Another document counts on its own.
    let pack = to_file(
        &mut store,
        &case,
        ExportKind::Agenda { meeting: 4 },
        dir.path(),
        "c.md",
    );
    assert_eq!(control(&pack, "Version"), "Draft 1");
    // A refused export (the file exists) and a failed one (no such folder) register nothing.
    let refused = dhr_panel::export::export_to_file(
        &mut store,
        &case,
        kind,
        &panel(),
        &fixed(),
        &dir.path().join("a.md"),
    );
    assert!(refused.is_err());
    let failed = dhr_panel::export::export_to_file(
        &mut store,
        &case,
        kind,
        &panel(),
        &fixed(),
        &dir.path().join("no/such.md"),
    );
    assert!(failed.is_err());
    let register = store.export_register(case.id).unwrap();
    assert_eq!(register.len(), 3, "{register:?}");
    let newest = &register[0];
    assert_eq!(newest.record.file_name, "c.md");
    assert_eq!(
        newest.record.document.describe(),
        "Pre-meeting pack for meeting 4"
    );
    let minutes = &register[1];
    assert_eq!(minutes.record.file_name, "b.md");
    assert_eq!(minutes.record.format, "md");
    assert!(!minutes.record.anonymised);
    assert_eq!(minutes.login, w_login());
    assert!(minutes.record.fingerprint.is_empty(), "not approved yet");
    // The chain it carried is the one its footer names.
    assert_eq!(
        footer_head(&second.markdown),
        minutes.record.chain_head[..12].to_string()
    );
    // Approved at meeting 3: final, with the approving meeting and the fingerprint.
    approve_meeting_2_with_an_amendment(&mut store, &case);
    let approved = to_file(&mut store, &case, kind, dir.path(), "d.md");
    assert_eq!(control(&approved, "Version"), "Final");
    let print = meeting(&store, &case, 2).fingerprint;
    assert_eq!(
        approved.document.meta.status,
        format!("APPROVED at meeting 3, fingerprint {}", &print[..12])
    );
    let row = &store.export_register(case.id).unwrap()[0];
    assert_eq!(row.record.fingerprint, print);
    // `dhr check` replays the register from the audit trail.
    let check = store.check_against_trail().unwrap();
    assert!(check.holds(), "{check:?}");
}

#[test]
fn produced_by_names_the_person_of_the_login_and_an_anonymised_copy_does_not() {
    let (dir, mut store, case) = demo();
    link_coordinator(&mut store, &case, &w_login());
    let case = store.case(case.id).unwrap().unwrap();
    let kind = ExportKind::Minutes { meeting: 1 };
    let e = to_file(&mut store, &case, kind, dir.path(), "m.md");
    assert_eq!(control(&e, "Produced by"), "Gareth Pryce");
    assert!(e.markdown.contains("| Produced by | Gareth Pryce |"));
    assert_eq!(
        store.export_register(case.id).unwrap()[0].person,
        "Gareth Pryce"
    );
    let anon = export(&store, &case, kind, &anonymised(&[]), &fixed()).unwrap();
    let by = control(&anon, "Produced by");
    assert!(!by.contains("Gareth") && !by.contains("Pryce"), "{by}");
    assert!(
        !anon.markdown.contains("Pryce"),
        "no word of the name anywhere"
    );
    assert!(!anon.document.plain_text().contains("Pryce"));
    assert_eq!(
        control(&anon, "Distribution"),
        "Anonymised copy: only to those the review panel agrees may receive it"
    );
}

#[test]
fn the_title_block_and_control_follow_the_marking_with_the_case_s_handling_sentence() {
    let (_dir, store, case) = demo();
    let e = export(
        &store,
        &case,
        ExportKind::Agenda { meeting: 4 },
        &panel(),
        &fixed(),
    )
    .unwrap();
    let meta = &e.document.meta;
    assert_eq!(meta.title, "Pre-meeting pack for panel meeting 4");
    assert_eq!(meta.reference, "DEMO-1");
    assert_eq!(meta.marking, "OFFICIAL-SENSITIVE");
    assert_eq!(meta.status, "DRAFT");
    assert!(meta.footer_note.is_empty(), "a seat that can write");
    let labels: Vec<&str> = meta.title_block.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Partnership",
            "Review",
            "Document",
            "Meeting",
            "Date",
            "Time",
            "Place"
        ]
    );
    assert_eq!(
        meta.title_block[1].1,
        "DEMO-1, Domestic Homicide Review (DHR)"
    );
    assert_eq!(
        control(&e, "Handling"),
        format!("OFFICIAL-SENSITIVE. {}", DEFAULT_HANDLING)
    );
    let p = assert_clean(&e.markdown);
    assert_eq!(p.meta.len(), 2, "the title block and document control");
    assert_eq!(
        p.meta[0][1],
        ["Partnership", "Northgate Community Safety Partnership"]
    );
    assert_eq!(p.meta[1][1], ["Version", "Draft 1"]);
    let lines: Vec<&str> = body(&e.markdown).lines().collect();
    assert_eq!(lines[0], "**OFFICIAL-SENSITIVE**");
    assert_eq!(lines[2], "For the review panel only: not for publication.");
    assert_eq!(lines[4], "|  |  |", "the title block right after");
}

#[test]
fn the_metadata_block_is_for_pandoc_and_quotes_what_it_holds() {
    let (_dir, mut store, case) = demo();
    let hostile = "SECRET: it's *x* \\ #y [a](b) \"q\"\n---";
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    conn.execute(
        "UPDATE cases SET marking = ?1 WHERE id = ?2",
        rusqlite::params![hostile, case.id],
    )
    .unwrap();
    drop(conn);
    let case = store.case(case.id).unwrap().unwrap();
    let md = make(&store, &case, ExportKind::Case, &panel());
    let top: Vec<&str> = md.lines().take(6).collect();
    assert_eq!(top[0], "---");
    assert_eq!(top[1], "title: 'Case pack'");
    assert_eq!(
        top[2], "marking: 'SECRET: it''s \\*x\\* \\\\ \\#y \\[a\\](b) \"q\" ---'",
        "escaped as Markdown, then single-quoted with the quote doubled, on one line"
    );
    assert_eq!(top[3], "papersize: a4");
    assert_eq!(top[4], "---");
    assert_eq!(top[5], "");
    let p = assert_clean(&md);
    assert!(p.tables.len() > 5);
    let _ = &mut store;
}

#[test]
fn separator_rows_give_pandoc_relative_widths_from_the_content() {
    let (_dir, store, case) = demo();
    let md = make(&store, &case, ExportKind::Case, &panel());
    let lines: Vec<&str> = md.lines().collect();
    let separators: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("|-"))
        .collect();
    assert!(separators.len() > 8);
    for s in &separators {
        assert!(s.len() > 72, "longer than pandoc's 72 columns: {s}");
        assert!(s.chars().all(|c| c == '|' || c == '-'), "{s}");
        assert!(
            s.split('|').filter(|c| !c.is_empty()).all(|c| c.len() >= 3),
            "{s}"
        );
    }
    // The chronology's "Event" column is given more than its "Date" column.
    let header = lines
        .iter()
        .position(|l| l.starts_with("| Date | Agency | Source |"))
        .expect("the chronology");
    let widths: Vec<usize> = lines[header + 1]
        .split('|')
        .filter(|c| !c.is_empty())
        .map(str::len)
        .collect();
    assert_eq!(widths.len(), 11);
    assert!(widths[4] > widths[0], "{widths:?}");
}

#[test]
fn golden_action_log_of_the_demo_and_its_filters() {
    let (_dir, store, case) = demo();
    let all = make(
        &store,
        &case,
        ExportKind::Actions {
            meeting: None,
            agency: None,
        },
        &panel(),
    );
    let p = assert_clean(&all);
    assert_eq!(p.headings[0], (1, "Action log".to_string()));
    assert!(
        h2(&p).contains(&"Northgate Police (POLICE)"),
        "{:?}",
        h2(&p)
    );
    assert!(
        all.contains("Nothing is open for this agency."),
        "an agency with nothing open says so"
    );
    assert!(all.contains("(OVERDUE by 70 days)"), "overdue marked");
    insta::assert_snapshot!("action_log", redact_chain(&all));

    let police = dhr_panel::export::agency_by_code(&store, &case, "police").unwrap();
    let one = export(
        &store,
        &case,
        ExportKind::Actions {
            meeting: None,
            agency: Some(police),
        },
        &panel(),
        &fixed(),
    )
    .unwrap();
    let p = assert_clean(&one.markdown);
    assert_eq!(h2(&p), ["Northgate Police (POLICE)"]);
    assert_eq!(one.file_name, "DEMO-1-action-log-POLICE.md");
    assert_eq!(p.tables[0].len(), 1 + 2, "the police's two open actions");
    assert_eq!(p.tables[1].len(), 1 + 2, "and its two open challenges");

    // Raised at meeting 3 only: one action and one challenge of the police.
    let at3 = make(
        &store,
        &case,
        ExportKind::Actions {
            meeting: Some(3),
            agency: Some(police),
        },
        &panel(),
    );
    let p = assert_clean(&at3);
    assert_eq!(p.tables.len(), 2, "{at3}");
    assert_eq!(p.tables[0].len(), 2, "{at3}");
    assert!(at3.contains("Search police records from 01/01/2015"));
    assert!(
        !at3.contains("Give the chair a revised date"),
        "raised at meeting 2"
    );
    assert!(at3.contains("The police IMR is now 56 days overdue"));
    assert!(
        !at3.contains("Who agreed the downgrade"),
        "raised at meeting 2"
    );

    let err = dhr_panel::export::agency_by_code(&store, &case, "NOPE").unwrap_err();
    assert!(err.is_bad_input());
    assert!(err.to_string().contains("POLICE, ASC"), "{err}");
    let options = anonymised(&[]);
    let anon = make(
        &store,
        &case,
        ExportKind::Actions {
            meeting: None,
            agency: None,
        },
        &options,
    );
    assert!(
        anon.contains("For the review panel only"),
        "no anonymised form: it is for the panel"
    );
}

// ---------------------------------------------------------------------------------------
// The review's process: the decision record, the QA rounds and the publication checklist

/// The demo with two Home Office QA rounds: round 1 answered "resubmit" with two points,
/// round 2 submitted and awaiting its letter.
fn demo_with_two_qa_rounds() -> (tempfile::TempDir, Store, Case) {
    use dhr_panel::domain::review::QaPointStatus;
    use dhr_panel::store::qa::{PointInput, RoundInput};
    let (dir, mut store, case) = demo();
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    store
        .submit_qa_round(
            case.id,
            &RoundInput {
                submitted_on: d("2026-06-01"),
                report_version: "v1.0".into(),
                outcome: None,
                letter_on: None,
                notes: String::new(),
            },
        )
        .unwrap();
    let round1 = store.qa_rounds(case.id).unwrap()[0].id;
    store
        .edit_qa_round(
            round1,
            &RoundInput {
                submitted_on: d("2026-06-01"),
                report_version: "v1.0".into(),
                outcome: Some(QaOutcome::Resubmit),
                letter_on: d("2026-07-20"),
                notes: "The panel asked for the family's voice to be heard more clearly.".into(),
            },
        )
        .unwrap();
    for (point, response) in [
        (
            "The victim's voice is hard to hear",
            "Section 3 rewritten with Adult D",
        ),
        ("Terms of reference item 4 is not answered", ""),
    ] {
        store
            .add_qa_point(
                round1,
                &PointInput {
                    point: point.into(),
                    response: response.into(),
                    status: if response.is_empty() {
                        QaPointStatus::Open
                    } else {
                        QaPointStatus::Responded
                    },
                },
            )
            .unwrap();
    }
    store
        .submit_qa_round(
            case.id,
            &RoundInput {
                submitted_on: d("2026-10-01"),
                report_version: "v2.0".into(),
                outcome: None,
                letter_on: None,
                notes: String::new(),
            },
        )
        .unwrap();
    (dir, store, case)
}

#[test]
fn the_decision_record_is_exported_in_markdown_and_word() {
    let (_dir, store, case) = demo();
    let md = make(&store, &case, ExportKind::Decision, &panel());
    assert_clean(&md);
    for expected in [
        "# Decision whether to hold a review: DEMO-1, Adult A",
        "**Case reference:** DEMO-1",
        "**Outcome:** review",
        "**Date decided:** 07 May 2020",
        "**Home Office notified:** 12 May 2020",
        "**Decided by:** Chair of the Northgate Community Safety Partnership",
        "**Criteria considered:** Section 9(1)",
        "**The Home Office's reply:** Acknowledged",
    ] {
        assert!(md.contains(expected), "{expected} in\n{md}");
    }
    let bytes = word(&store, &case, ExportKind::Decision, &panel());
    let text = docx::visible_text(&bytes).unwrap();
    for expected in [
        "Decision whether to hold a review: DEMO-1, Adult A",
        "07 May 2020",
        "12 May 2020",
        "Criteria considered",
    ] {
        assert!(text.contains(expected), "{expected} in the Word file");
    }
    // No anonymised form: the decision record is for the panel and the Home Office.
    assert!(!ExportKind::Decision.can_anonymise());
    assert_eq!(
        ExportKind::Decision.file_name(&case, false),
        "DEMO-1-decision-record.md"
    );
}

#[test]
fn the_decision_record_says_not_yet_until_the_home_office_is_told() {
    use dhr_panel::domain::review::DecisionOutcome;
    use dhr_panel::domain::review::ReviewDecision;
    let dir = private_dir();
    let mut store = empty_store(dir.path());
    let id = store
        .create_case(&Case::new("DHR-2026-11", ReviewKind::Dhr, "Adult K"))
        .unwrap();
    let case = store.case(id).unwrap().unwrap();
    let md = make(&store, &case, ExportKind::Decision, &panel());
    assert!(
        md.contains("No decision whether to review is recorded"),
        "{md}"
    );
    store
        .save_decision(&ReviewDecision {
            id: 0,
            case_id: id,
            outcome: DecisionOutcome::NoReview,
            criteria: "Section 9(1)".into(),
            reasons: "Not a death the Act covers: no relationship or household".into(),
            decided_by: "Chair of the partnership".into(),
            decided_on: NaiveDate::from_ymd_opt(2026, 11, 2),
            home_office_notified_on: None,
            home_office_reply: String::new(),
        })
        .unwrap();
    let md = make(&store, &case, ExportKind::Decision, &panel());
    assert!(md.contains("**Outcome:** no review"), "{md}");
    assert!(md.contains("**Home Office notified:** not yet"), "{md}");
    assert!(
        md.contains("**The Home Office's reply:** none recorded"),
        "{md}"
    );
}

#[test]
fn the_case_pack_keeps_every_qa_round_with_its_points_in_markdown_and_word() {
    let (_dir, store, case) = demo_with_two_qa_rounds();
    let md = make(&store, &case, ExportKind::Case, &panel());
    let p = assert_clean(&md);
    let headings = h2(&p);
    for section in ["Decision", "Home Office quality assurance", "Publication"] {
        assert!(headings.contains(&section), "{section} in {headings:?}");
    }
    let qa = &md[md.find("## Home Office quality assurance").unwrap()..];
    let one = qa.find("### Round 1").unwrap();
    let two = qa.find("### Round 2").unwrap();
    assert!(one < two, "first round first");
    let round1 = &qa[one..two];
    assert!(
        round1.contains("resubmit, letter of 20 Jul 2026"),
        "{round1}"
    );
    assert!(
        round1.contains("The victim's voice is hard to hear"),
        "{round1}"
    );
    assert!(
        round1.contains("Section 3 rewritten with Adult D"),
        "{round1}"
    );
    assert!(
        round1.contains("Terms of reference item 4 is not answered"),
        "{round1}"
    );
    assert!(qa[two..].contains("**Outcome:** awaited"), "{qa}");
    assert!(qa[two..].contains("v2.0"), "{qa}");
    let text = docx::visible_text(&word(&store, &case, ExportKind::Case, &panel())).unwrap();
    for expected in [
        "Home Office quality assurance",
        "Round 1",
        "Round 2",
        "The victim's voice is hard to hear",
        "Publication",
    ] {
        assert!(text.contains(expected), "{expected} in the Word pack");
    }
    // Anonymised, the sections are there and hold no name the case knows.
    let anon = make(&store, &case, ExportKind::Case, &anonymised(&[]));
    assert!(anon.contains("### Round 2"), "{anon}");
}

// ---------------------------------------------------------------------------------------
// The second demo case (DEMO-2: QA rounds, publication)

fn demo_2() -> (tempfile::TempDir, Store, Case) {
    let dir = private_dir();
    let store = demo_store(dir.path());
    let case = store.case_by_reference("DEMO-2").unwrap().unwrap();
    (dir, store, case)
}

#[test]
fn the_demo_2_case_pack_holds_both_qa_rounds_with_their_points_and_the_whole_checklist() {
    let (_dir, store, case) = demo_2();
    let md = make(&store, &case, ExportKind::Case, &panel());
    let p = assert_clean(&md);
    let headings = h2(&p);
    for h in [
        "Home Office quality assurance",
        "Publication",
        "Parallel proceedings",
    ] {
        assert!(headings.contains(&h), "{h}: {headings:?}");
    }
    assert!(md.contains("### Round 1") && md.contains("### Round 2"));
    assert!(md.contains("- **Outcome:** publish after changes, letter of 31 Dec 2025"));
    assert!(md.contains("- **Outcome:** content to publish, letter of 21 Mar 2026"));
    let points: Vec<&Vec<Vec<String>>> = p
        .tables
        .iter()
        .filter(|t| {
            t[0] == [
                "Point",
                "The letter raises",
                "The panel's response",
                "Status",
            ]
        })
        .collect();
    assert_eq!(points.len(), 2, "one table of points a round");
    let statuses: Vec<&str> = points[0][1..].iter().map(|r| r[3].as_str()).collect();
    assert_eq!(statuses, ["agreed", "agreed", "responded"]);
    assert_eq!(points[1].len(), 1 + 1);
    let checklist = p
        .tables
        .iter()
        .find(|t| t[0] == ["Item", "Done", "Detail"])
        .expect("the publication checklist");
    assert_eq!(checklist.len(), 1 + 6, "every item");
    for row in &checklist[1..] {
        assert!(!row[1].is_empty(), "{} is dated", row[0]);
    }
    assert!(md.contains(
        "| published | 10 May 2026 | Eastbrook Community Safety Partnership website: report, executive summary and action plan |"
    ));
    assert!(md.contains("| copy sent to the Domestic Abuse Commissioner | 27 Sep 2025 |"));
    assert!(md.contains("- **Statutory clock:** Published 10 May 2026"));
}

#[test]
fn the_anonymised_demo_2_case_pack_holds_no_real_name_of_its_register() {
    let (_dir, store, case) = demo_2();
    let md = make(&store, &case, ExportKind::Case, &anonymised(&[]));
    assert_clean(&md);
    let words = known_name_words(&store, &case);
    for real in [
        "natalie",
        "brennock",
        "illingworth",
        "maureen",
        "tamsin",
        "kirsty",
    ] {
        assert!(words.contains(&real.to_string()), "{real} is a known name");
    }
    let found = words_in(&md, &words);
    assert!(
        found.is_empty(),
        "names left in the anonymised pack: {found:?}"
    );
    for name in ["Esther", "Lowther", "Yvonne", "Mallinder"] {
        assert!(!md.contains(name), "{name} left in the Markdown");
    }
    for pseudonym in ["Adult P", "Adult R", "Adult S", "Adult T"] {
        assert!(md.contains(pseudonym), "{pseudonym}");
    }
    assert!(
        md.contains("### Round 2"),
        "the QA rounds stay in an anonymised pack"
    );
}

#[test]
fn several_people_named_in_one_process_field_are_all_hidden_when_anonymised() {
    let (_dir, mut store, case) = demo();
    let mut decision = store.decision(case.id).unwrap().unwrap();
    decision.decided_by = format!("{} (Ivor Quance and Rose Hill)", decision.decided_by);
    store.save_decision(&decision).unwrap();
    let mut person = store
        .family_people(case.id)
        .unwrap()
        .into_iter()
        .find(|p| p.connection == dhr_panel::domain::review::Connection::Perpetrator)
        .unwrap();
    person.approached_by = format!("{} and Wendy Oakes", person.approached_by);
    person.notes = "Mr Quance and Ms Oakes wrote to the prison.".into();
    store.save_family_person(&person).unwrap();
    let md = make(&store, &case, ExportKind::Case, &anonymised(&[]));
    let word_text = dhr_panel::export::docx::visible_text(&word(
        &store,
        &case,
        ExportKind::Case,
        &anonymised(&[]),
    ))
    .unwrap();
    for name in ["Ivor", "Quance", "Rose Hill", "Wendy", "Oakes"] {
        assert!(!md.contains(name), "{name} left in the Markdown");
        assert!(!word_text.contains(name), "{name} left in the Word file");
    }
    assert!(md.contains("Decision maker"), "named by role");
}
