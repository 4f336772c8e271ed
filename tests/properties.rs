//! Property tests (proptest, cases capped to keep CI short): fuzzy dates never panic and
//! survive their own display; Markdown escaping never yields structure and loses no text;
//! importing any bytes as a CSV never panics and a dry run writes nothing; the display
//! sanitiser lets no control or bidi character through; no typed minute panics the
//! minuting grammar.
//!
//! The random seed is fixed, so `cargo test` is the same on every run and every machine.
//! To explore further, give a seed of your own: `PROPTEST_RNG_SEED=12345 cargo test
//! --test properties` (and raise the cases below for a long hunt). Inputs found that way
//! belong in a plain regression test, like the ones at the end of this file.

mod common;

use std::cell::RefCell;

use chrono::NaiveDate;
use common::*;
use dhr_panel::domain::date::{DatePrecision, FuzzyDate};
use dhr_panel::domain::markdown::{self, MarkdownWriter, Verbatim};
use dhr_panel::domain::text::{one_line, sanitize};
use dhr_panel::import::{ImportOptions, import_chronology};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// The seed `cargo test` uses, unless `PROPTEST_RNG_SEED` gives another.
const SEED: u64 = 20_261_126;

fn seed() -> RngSeed {
    if std::env::var_os("PROPTEST_RNG_SEED").is_some() {
        ProptestConfig::default().rng_seed
    } else {
        RngSeed::Fixed(SEED)
    }
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: seed(),
        // Shrinking is cheap here, but bounded all the same.
        max_shrink_iters: 2048,
        // A failure is reported with its input; no regression file is written into the
        // repository.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Whether `c` is a character no terminal may receive from data: a C0 control other than
/// the line break, DEL, a C1 control, or a bidi embedding / override / isolate / mark.
/// Written out here rather than taken from the program.
fn forbidden(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && c != '\n')
        || u == 0x7F
        || (0x80..=0x9F).contains(&u)
        || matches!(u, 0x061C | 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069)
        // Line and paragraph separators (line breaks on screen) and tag characters.
        || matches!(u, 0x2028 | 0x2029 | 0xE0000..=0xE007F)
}

/// Characters that make terminals disagree on a cluster's width (joiner, variation
/// selectors, skin tones, regional indicators, keycap) and tags: the sanitiser may drop
/// or replace them, so they change the count of characters.
fn width_changer(c: char) -> bool {
    matches!(c as u32, 0x200D | 0xFE0E | 0xFE0F | 0x1F3FB..=0x1F3FF | 0x1F1E6..=0x1F1FF | 0x20E3 | 0xE0000..=0xE007F)
}

/// Characters that matter to the sanitiser, mixed with anything at all.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        2 => (0u32..0x20).prop_map(|u| char::from_u32(u).unwrap()),
        2 => (0x7Fu32..=0x9F).prop_map(|u| char::from_u32(u).unwrap()),
        1 => prop::sample::select(vec![
            '\u{061C}', '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}',
            '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
            '\u{2028}', '\u{2029}', '\u{FEFF}', '\u{00A0}', '\r', '\n', '\t',
            '\u{200D}', '\u{FE0F}', '\u{1F469}', '\u{1F1EC}', '\u{1F3FD}', '\u{E0067}',
            '\u{20E3}',
        ]),
        2 => prop::char::range('a', 'z'),
    ]
}

fn hostile_text() -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_char(), 0..64).prop_map(|cs| cs.into_iter().collect())
}

// --- The display sanitiser ---------------------------------------------------------------

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn the_sanitiser_lets_no_control_or_bidi_character_through(text in hostile_text()) {
        let clean = sanitize(&text);
        prop_assert!(!clean.chars().any(forbidden), "{:?} -> {:?}", text, clean);
        let line = one_line(&text);
        prop_assert!(!line.chars().any(forbidden) && !line.contains('\n'), "{:?} -> {:?}", text, line);
        // Every line break is kept, CRLF and a lone CR counting as one.
        let breaks = text
            .replace("\r\n", "\n")
            .replace(['\r', '\u{2028}', '\u{2029}'], "\n")
            .matches('\n')
            .count();
        prop_assert_eq!(clean.matches('\n').count(), breaks);
        // Nothing else is lost: one character out for each character in (clusters of
        // disputed width are made of fewer).
        let count = text.replace("\r\n", "\n").chars().count();
        if text.chars().any(width_changer) {
            prop_assert!(clean.chars().count() <= count);
        } else {
            prop_assert_eq!(clean.chars().count(), count);
        }
        // Text with nothing to neutralise is left exactly as it is.
        if !text.chars().any(|c| forbidden(c) || c == '\r' || width_changer(c)) {
            prop_assert_eq!(clean.as_ref(), text.as_str());
        }
    }
}

// --- Fuzzy dates -------------------------------------------------------------------------

fn today() -> NaiveDate {
    common::today()
}

/// The parts dates are written with, to be joined in any order: most joins are not
/// dates, many are, and the parser meets every rule.
fn date_token() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "c.",
        "c",
        "circa",
        "~",
        "approx.",
        "approximately",
        "about",
        "around",
        "ca.",
        "w/c",
        "w/c.",
        "wc",
        "week commencing",
        "w/b",
        "between",
        "and",
        "from",
        "to",
        "before",
        "after",
        "Unknown",
        "undated",
        "n/k",
        "not known",
        "date unknown",
        "of",
        "st",
        "nd",
        "rd",
        "th",
        "Spring",
        "summer",
        "AUTUMN",
        "Winter",
        "early",
        "late",
        "mid",
        "Jan",
        "january",
        "Feb",
        "February",
        "mar",
        "MARCH",
        "Apr",
        "May",
        "jun",
        "July",
        "Aug",
        "Sept",
        "sep",
        "October",
        "nov",
        "Dec",
        "december",
        "/",
        "-",
        "\u{2013}",
        "\u{2014}",
        ".",
        ",",
        " - ",
        "T",
        "Z",
        "?",
        "",
        "  ",
    ]);
    prop_oneof![
        4 => words.prop_map(str::to_string),
        2 => (0u32..=40).prop_map(|n| n.to_string()),
        1 => (0u32..=99).prop_map(|n| format!("{n:02}")),
        2 => (1890u32..=2040).prop_map(|n| n.to_string()),
        1 => (0u32..=99999).prop_map(|n| n.to_string()),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn date_like() -> impl Strategy<Value = String> {
    let loose = (
        prop::collection::vec(
            (
                date_token(),
                prop::sample::select(vec!["", " ", "/", "-", ".", "  ", "\u{a0}"]),
            ),
            1..7,
        ),
        any::<bool>(),
    )
        .prop_map(|(parts, pad)| {
            let mut s: String = parts.into_iter().map(|(t, sep)| t + sep).collect();
            if pad {
                s = format!("  {s}\t");
            }
            s
        });
    prop_oneof![1 => loose, 2 => shaped_date()]
}

/// One date in a shape the parser knows, with numbers that may or may not fit it.
fn point() -> impl Strategy<Value = String> {
    let month = prop::sample::select(vec![
        "Jan", "February", "mar", "APRIL", "May", "Jun", "july", "Aug", "Sept", "Oct", "November",
        "dec", "Foo",
    ]);
    let season = prop::sample::select(vec!["Spring", "summer", "Autumn", "Winter", "Fall"]);
    let number = prop_oneof![0u32..=32, 0u32..=13];
    let year = prop_oneof![
        3 => 1950u32..=2030,
        1 => 0u32..=99,
        1 => prop::sample::select(vec![0u32, 1, 999, 1000, 1899, 2100, 9999, 10000, 262143, 262144]),
    ];
    (
        0usize..12,
        number.clone(),
        number,
        year.clone(),
        year,
        month.clone(),
        month,
        season,
    )
        .prop_map(|(form, d, m, y, y2, mon, mon2, season)| match form {
            0 => format!("{d}/{m}/{y}"),
            1 => format!("{d:02}-{m:02}-{y}"),
            2 => format!("{d}.{m}.{y}"),
            3 => format!("{y:04}-{m:02}-{d:02}"),
            4 => format!("{d} {mon} {y}"),
            5 => format!("{d}th of {mon} {y}"),
            6 => format!("{mon} {y}"),
            7 => format!("{y}"),
            8 => format!("{season} {y}"),
            9 => format!("{mon}-{mon2} {y}"),
            10 => format!("{y}-{y2}"),
            _ => format!("Winter {y}/{:02}", y2 % 100),
        })
}

fn shaped_date() -> impl Strategy<Value = String> {
    let approx = prop::sample::select(vec![
        "", "", "c. ", "circa ", "~", "approx. ", "c.", "about ",
    ]);
    (approx, 0usize..9, point(), point()).prop_map(|(approx, form, a, b)| {
        let body = match form {
            0..=2 => a,
            3 => format!("w/c {a}"),
            4 => format!("before {a}"),
            5 => format!("after c. {a}"),
            6 => format!("between {a} and {b}"),
            7 => format!("from {a} to {b}"),
            _ => format!("{a} - {b}"),
        };
        format!("{approx}{body}")
    })
}

/// A day between 1900 and 2030.
fn day() -> impl Strategy<Value = NaiveDate> {
    (0i64..(131 * 365))
        .prop_map(|n| NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(n))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date in one of the forms agency chronologies use, from a real day, and the precision it
/// must be read as.
fn written_date() -> impl Strategy<Value = (String, DatePrecision)> {
    use chrono::Datelike;
    (day(), day(), 0usize..12, any::<bool>(), any::<bool>()).prop_map(
        |(a, b, form, approx, short)| {
            let month = |d: NaiveDate| {
                let name = MONTHS[d.month0() as usize];
                if short {
                    name[..3].to_string()
                } else {
                    name.to_string()
                }
            };
            let (first, last) = if a <= b { (a, b) } else { (b, a) };
            let (text, precision) = match form {
                0 => (a.format("%d/%m/%Y").to_string(), DatePrecision::Day),
                1 => (a.format("%Y-%m-%d").to_string(), DatePrecision::Day),
                2 => (
                    format!("{} {} {}", a.day(), month(a), a.year()),
                    DatePrecision::Day,
                ),
                3 => (format!("{} {}", month(a), a.year()), DatePrecision::Month),
                4 => (a.year().to_string(), DatePrecision::Year),
                5 => (format!("w/c {}", a.format("%d/%m/%Y")), DatePrecision::Week),
                6 => {
                    let season = ["Spring", "Summer", "Autumn"][a.month0() as usize % 3];
                    (format!("{season} {}", a.year()), DatePrecision::Season)
                }
                7 => (
                    format!("between {} and {}", first.year(), last.year() + 1),
                    DatePrecision::Range,
                ),
                8 => (
                    format!(
                        "between {} and {}",
                        first.format("%d/%m/%Y"),
                        last.format("%d/%m/%Y")
                    ),
                    DatePrecision::Range,
                ),
                9 => (
                    format!("before {}", a.format("%d/%m/%Y")),
                    DatePrecision::Before,
                ),
                10 => (
                    format!("after {} {}", month(a), a.year()),
                    DatePrecision::After,
                ),
                _ => ("Unknown".to_string(), DatePrecision::Undated),
            };
            if approx && precision != DatePrecision::Undated {
                (format!("c. {text}"), precision)
            } else {
                (text, precision)
            }
        },
    )
}

/// A successful parse: its display parses back to the same meaning, its bounds are in
/// order, and the text is kept as written.
fn assert_round_trip(input: &str, date: &FuzzyDate) -> Result<(), TestCaseError> {
    prop_assert_eq!(date.text.as_str(), input.trim());
    if let (Some(e), Some(l)) = (date.earliest, date.latest) {
        prop_assert!(e <= l, "{:?}: earliest after latest: {:?}", input, date);
    }
    let shown = date.display();
    let again = FuzzyDate::parse_uk(&shown, today());
    prop_assert!(
        again.is_ok(),
        "{:?} displays as {:?}, which does not parse: {:?}",
        input,
        shown,
        again
    );
    let again = again.unwrap();
    prop_assert_eq!(
        (
            again.precision,
            again.approximate,
            again.earliest,
            again.latest
        ),
        (date.precision, date.approximate, date.earliest, date.latest),
        "{:?} displays as {:?}, which means something else",
        input,
        shown
    );
    // And the display is a fixed point.
    prop_assert_eq!(again.display(), shown);
    Ok(())
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn fuzzy_date_parsing_never_panics_on_any_text(input in any::<String>()) {
        if let Ok(date) = FuzzyDate::parse_uk(&input, today()) {
            assert_round_trip(&input, &date)?;
        }
    }

    #[test]
    fn any_date_the_parser_accepts_survives_its_own_display(input in date_like()) {
        if let Ok(date) = FuzzyDate::parse_uk(&input, today()) {
            assert_round_trip(&input, &date)?;
        }
    }

    #[test]
    fn every_written_form_of_a_real_day_is_read_with_its_precision(
        (input, precision) in written_date()
    ) {
        let date = FuzzyDate::parse_uk(&input, today());
        prop_assert!(date.is_ok(), "{:?} refused: {:?}", input, date);
        let date = date.unwrap();
        prop_assert_eq!(date.precision, precision, "{:?}", input);
        prop_assert_eq!(date.approximate, input.starts_with("c. "), "{:?}", input);
        assert_round_trip(&input, &date)?;
    }
}

// --- Markdown escaping -------------------------------------------------------------------

/// Every extension pulldown-cmark has that turns text into structure.
fn all_extensions() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_SUPERSCRIPT
        | Options::ENABLE_SUBSCRIPT
        | Options::ENABLE_WIKILINKS
}

/// Text as people type it into minutes, with every character Markdown gives a meaning,
/// the words that start links, HTML and code, and anything else.
fn markdown_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(vec![
            "#", "##", "# ", ">", "-", "+", "*", "_", "`", "```", "~~~", "~", "[", "]", "(", ")",
            "<", ">", "&", "&amp;", "&#65;", "|", "!", "![", "](", ":", "::", "=", "===", "---",
            "***", "1.", "1)", "12.", "\\", "$", "$$", "^", "@", "{", "}", "\"", "'", ".", " ",
            "  ", "    ", "\t", "\n", "\r\n", "\r", "\n\n", "http://", "https://x.org", "www.",
            "jo@example.org", "<div>", "</p>", "<!--", "-->", "<https://a.b>", "[^1]", "[^1]:",
            "[[wiki]]", "- [ ]", "- [x]", ":smile:", "{#id}", "+++", "Term\n: definition",
            "| a | b |\n| --- | --- |", "\u{a0}", "\u{2028}", "\u{1b}[2J", "\u{202e}",
        ]).prop_map(str::to_string),
        3 => "[A-Za-z0-9]{1,8}",
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|p| p.concat())
}

/// What a reader sees of `text`: sanitised, each line trimmed, empty lines dropped.
fn visible_lines(text: &str) -> Vec<String> {
    sanitize(text)
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The structure of a Markdown document (its tags, not its text) and its text, with hard
/// breaks as `\n`. Anything else pulldown-cmark reports (inline code, HTML, math,
/// footnote references, task markers, rules…) is kept in the structure as a failure.
fn parse(markdown: &str) -> (Vec<String>, String) {
    let mut structure = Vec::new();
    let mut text = String::new();
    for event in Parser::new_ext(markdown, all_extensions()) {
        match event {
            Event::Text(t) => text.push_str(&t),
            Event::SoftBreak => text.push(' '),
            Event::HardBreak => text.push('\n'),
            Event::Start(tag) => structure.push(format!("{tag:?}")),
            Event::End(tag) => structure.push(format!("/{tag:?}")),
            other => structure.push(format!("!{other:?}")),
        }
    }
    (structure, text)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn escaped_text_is_one_plain_paragraph_with_every_character_kept(text in markdown_text()) {
        let escaped = markdown::block(&text);
        let lines = visible_lines(&text);
        for event in Parser::new_ext(&escaped, all_extensions()) {
            let plain = matches!(
                event,
                Event::Text(_)
                    | Event::SoftBreak
                    | Event::HardBreak
                    | Event::Start(Tag::Paragraph)
                    | Event::End(TagEnd::Paragraph)
            );
            prop_assert!(plain, "{:?} escaped as {:?} gives {:?}", text, escaped, event);
        }
        let (structure, shown) = parse(&escaped);
        let expected: Vec<&str> = if lines.is_empty() { vec![] } else { vec!["Paragraph", "/Paragraph"] };
        prop_assert_eq!(structure, expected, "{:?} escaped as {:?}", text, escaped);
        prop_assert_eq!(shown, lines.join("\n"), "{:?} escaped as {:?}", text, escaped);
    }

    #[test]
    fn text_in_headings_lists_and_tables_never_changes_the_documents_shape(
        texts in prop::collection::vec(markdown_text(), 7)
    ) {
        let build = |t: &[String]| {
            let mut w = MarkdownWriter::new(&Verbatim);
            w.heading(2, &t[0]);
            w.paragraph(&t[1]);
            w.bullet(Some(&t[2]), &t[3]);
            w.named(&t[4], "said so");
            w.table(&["Agency", "Response"], &[vec![t[5].clone(), t[6].clone()]], "None.");
            w.finish()
        };
        let hostile = build(&texts);
        let plain: Vec<String> = (0..7).map(|i| format!("word{i}")).collect();
        let (shape, _) = parse(&build(&plain));
        let (got, shown) = parse(&hostile);
        // Empty text leaves an empty paragraph out; compare only when every text shows.
        if texts.iter().all(|t| !visible_lines(t).is_empty()) {
            prop_assert_eq!(got, shape, "the document:\n{}", hostile);
            let line = |t: &String| visible_lines(t).join(" ");
            for (i, t) in texts.iter().enumerate() {
                let expected = if i == 1 || i == 3 { visible_lines(t).join("\n") } else { line(t) };
                prop_assert!(shown.contains(&expected), "{:?} lost in:\n{}", expected, hostile);
            }
        } else {
            // Still nothing but the tags the writer itself makes.
            for tag in &got {
                prop_assert!(shape.contains(tag), "{} in:\n{}", tag, hostile);
            }
        }
    }
}

// --- CSV import of any bytes ---------------------------------------------------------------

/// Bytes that look like a chronology often enough to reach every stage of the import:
/// a header of real column names, rows of dates, names and noise, quotes, every kind of
/// line end, and invalid UTF-8.
fn csv_like() -> impl Strategy<Value = Vec<u8>> {
    let header = prop::sample::select(vec![
        "Date,Event",
        "Date,Event,Agency",
        "Date,Event,Time",
        "Date,Event,Agency,Subject,Time,Action,Source,DASH,MARAC,Comment",
        "Date / period,Details of contact,Officer comment,Unknown column",
        "Date,Date of contact,Event",
        "Event,Agency",
        "\u{feff}Date,Event,Agency",
        "Date/Time,Summary,Person",
        "",
    ]);
    let cell = prop_oneof![
        prop::sample::select(vec![
            "01/02/2019",
            "31/02/2019",
            "12/03/19",
            "2019-03-12",
            "c. 2015",
            "Summer 2019",
            "w/c 05/08/2019",
            "between 2018 and 2019",
            "Unknown",
            "",
            "police",
            "GP",
            "ASC",
            "Northgate Police",
            "Adult A",
            "Adult A; Adult B",
            "Nobody",
            "10:30",
            "25:99",
            "\"quoted, with comma\"",
            "\"multi\nline\"",
            "\"unterminated",
            "\"\"",
            "a\"b",
            "\u{1b}]0;x\u{7}",
            "\u{202e}",
            "=SUM(A1)",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 0..12),
        "\\PC{0,6}".prop_map(String::into_bytes),
    ];
    let date = prop::sample::select(vec![
        "01/02/2019",
        "12/03/19",
        "2019-03-12",
        "c. 2015",
        "Summer 2019",
        "w/c 05/08/2019",
        "between 2018 and 2019",
        "Unknown",
        "31/02/2019",
        "",
        "soon",
    ])
    .prop_map(|s| s.as_bytes().to_vec());
    let event = prop::sample::select(vec!["Seen at home", "\"Called, twice\"", "", "x\u{1b}[2J"])
        .prop_map(|s| s.as_bytes().to_vec());
    // A row starts with a date and an event (the columns most headers begin with), then
    // anything.
    let row = (date, event, prop::collection::vec(cell, 0..10)).prop_map(|(date, event, rest)| {
        let mut cells = vec![date, event];
        cells.extend(rest);
        cells.join(&b","[..])
    });
    let end = prop::sample::select(vec![&b"\n"[..], b"\r\n", b"\r", b""]);
    (header, prop::collection::vec((row, end.clone()), 0..8), end).prop_map(
        |(header, rows, end)| {
            let mut bytes = header.as_bytes().to_vec();
            bytes.extend_from_slice(end);
            for (row, end) in rows {
                bytes.extend(row);
                bytes.extend_from_slice(end);
            }
            bytes
        },
    )
}

fn any_file() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..400),
        3 => csv_like(),
    ]
}

#[test]
fn importing_any_bytes_never_panics_and_a_dry_run_writes_nothing() {
    import_property(32, seed());
}

/// The CSV reader's long run, outside the normal suite: the import property with fresh
/// random seeds, round after round, for `DHR_SOAK_SECS` seconds (600 unless given):
/// `cargo test --release --test properties -- --ignored csv_reader_long_run --nocapture`
#[test]
#[ignore = "a ten-minute run; see the README"]
fn csv_reader_long_run() {
    let seconds: u64 = std::env::var("DHR_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    let start = std::time::Instant::now();
    let mut rounds = 0u64;
    while start.elapsed().as_secs() < seconds {
        import_property(256, RngSeed::Random);
        rounds += 1;
    }
    eprintln!(
        "csv reader: {rounds} rounds of 256 files, {} s, no failure",
        start.elapsed().as_secs()
    );
}

/// Imports `cases` generated files (dry runs): no panic, no control character in any
/// report or error, nothing written.
fn import_property(cases: u32, rng_seed: RngSeed) {
    let dir = private_dir();
    let store = RefCell::new(demo_store(dir.path()));
    let case = store.borrow().case_by_reference("DEMO-1").unwrap().unwrap();
    let conn = rusqlite::Connection::open(db_in(dir.path())).unwrap();
    let count = || -> i64 {
        conn.query_row("SELECT count(*) FROM chronology", [], |r| r.get(0))
            .unwrap()
    };
    let before = count();
    let file = dir.path().join("agency.csv");
    let config = Config {
        cases,
        max_shrink_iters: 256,
        failure_persistence: None,
        rng_seed,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(&(any_file(), any::<bool>()), |(bytes, given)| {
        std::fs::write(&file, &bytes).unwrap();
        let options = ImportOptions {
            agency: given.then(|| "police".to_string()),
            skip_invalid: true,
            dry_run: true,
        };
        let mut store = store.borrow_mut();
        match import_chronology(&mut store, case.id, &file, &options, today()) {
            Ok(report) => {
                prop_assert!(!report.written && report.imported == 0);
                let summary = report.summary();
                prop_assert!(
                    !summary.chars().any(forbidden),
                    "the report would print a control character: {:?}",
                    summary
                );
            }
            Err(e) => {
                let message = e.to_string();
                prop_assert!(!message.is_empty());
                prop_assert!(
                    !message.chars().any(forbidden),
                    "the error would print a control character: {:?}",
                    message
                );
            }
        }
        prop_assert_eq!(count(), before, "a dry run wrote to the chronology");
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

// --- The minuting grammar ------------------------------------------------------------------

/// Lines as a secretary might type or paste them: commands, names, agencies, due dates,
/// brackets, colons, slashes, and anything else.
fn minute_line() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(vec![
            "/", "//", "/d", "/decision", "/a", "/action", "/c", "/challenge", "/present",
            "/apologies", "/declare", "/item", "/next", "/approve", "/amend", "/undo", "s/",
            "s/a/b/", "/x", " ", ",", ":", "(", ")", "((", "))", "due", " due ", "10 Dec",
            "31/02/2027", "c. 10 Dec", "tomorrow", "police", "(gp)", "independent", "Fiona Blake",
            "Sam Okoye", "0", "1", "99999999999", "-1", "\n", "\r\n", "\t", "é", "\u{1b}[2J",
            "\u{202e}", "\u{a0}",
        ]).prop_map(str::to_string),
        2 => "[A-Za-z]{1,6}",
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn no_typed_minute_panics_the_grammar_and_refusals_say_why(line in minute_line()) {
        use dhr_panel::domain::minuting::parse_minute;
        match parse_minute(&line, today()) {
            Ok(_) => {}
            Err(e) => prop_assert!(!e.message.trim().is_empty(), "{:?}", line),
        }
    }

    #[test]
    fn no_text_at_all_panics_the_grammar(line in any::<String>()) {
        let _ = dhr_panel::domain::minuting::parse_minute(&line, today());
    }
}

// --- Regressions: inputs the properties above found --------------------------------------

#[test]
fn a_date_reaching_past_the_year_9999_is_refused_or_survives_its_display() {
    for input in ["Winter 9999", "between 1/1/1950 and Winter 9999"] {
        if let Ok(date) = FuzzyDate::parse_uk(input, today()) {
            let shown = date.display();
            let again = FuzzyDate::parse_uk(&shown, today());
            assert!(
                again
                    .as_ref()
                    .is_ok_and(|a| (a.earliest, a.latest) == (date.earliest, date.latest)),
                "{input:?} displays as {shown:?}, read back as {again:?}"
            );
        }
    }
}

#[test]
fn braces_at_the_end_of_a_heading_stay_text() {
    for title in ["Family update {draft}", "{}", "Actions {#top .x}"] {
        let mut w = MarkdownWriter::new(&Verbatim);
        w.heading(2, title);
        let markdown = w.finish();
        let (structure, shown) = parse(&markdown);
        assert_eq!(shown, title, "the heading {markdown:?} shows {shown:?}");
        assert_eq!(structure.len(), 2, "{structure:?}");
    }
}

/// The date and minuting parsers' long run, outside the normal suite: their properties
/// with fresh random seeds, round after round, for `DHR_SOAK_SECS` seconds (600 unless
/// given):
/// `cargo test --release --test properties -- --ignored parsers_long_run --nocapture`
#[test]
#[ignore = "a ten-minute run; see the README"]
fn parsers_long_run() {
    use dhr_panel::domain::minuting::parse_minute;
    let seconds: u64 = std::env::var("DHR_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600);
    let runner = || {
        TestRunner::new(Config {
            cases: 2048,
            max_shrink_iters: 2048,
            failure_persistence: None,
            rng_seed: RngSeed::Random,
            ..Config::default()
        })
    };
    let start = std::time::Instant::now();
    let mut rounds = 0u64;
    while start.elapsed().as_secs() < seconds {
        let any_text = runner().run(&any::<String>(), |input| {
            if let Ok(date) = FuzzyDate::parse_uk(&input, today()) {
                assert_round_trip(&input, &date)?;
            }
            let _ = parse_minute(&input, today());
            Ok(())
        });
        assert!(any_text.is_ok(), "any text: {any_text:?}");
        let dates = runner().run(&date_like(), |input| {
            if let Ok(date) = FuzzyDate::parse_uk(&input, today()) {
                assert_round_trip(&input, &date)?;
            }
            Ok(())
        });
        assert!(dates.is_ok(), "date-like text: {dates:?}");
        let written = runner().run(&written_date(), |(input, precision)| {
            let date = FuzzyDate::parse_uk(&input, today());
            prop_assert!(date.is_ok(), "{:?} refused: {:?}", input, date);
            let date = date.unwrap();
            prop_assert_eq!(date.precision, precision, "{:?}", input);
            assert_round_trip(&input, &date)
        });
        assert!(written.is_ok(), "written dates: {written:?}");
        let lines = runner().run(&minute_line(), |line| {
            if let Err(e) = parse_minute(&line, today()) {
                prop_assert!(!e.message.trim().is_empty(), "{:?}", line);
            }
            Ok(())
        });
        assert!(lines.is_ok(), "minute lines: {lines:?}");
        rounds += 1;
    }
    eprintln!(
        "parsers: {rounds} rounds of 4 x 2048 inputs, {} s, no failure",
        start.elapsed().as_secs()
    );
}
