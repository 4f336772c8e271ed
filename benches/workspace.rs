//! The workspace's CPU budgets on the reference load, each beside a minimal
//! reference measured in the same run, so the figures read as ratios on any machine:
//!
//! - `open_case_first_frame`: `App::new` on DEMO-1 and its first frame at 80x24 (the
//!   database is opened untimed, as the binary does before); reference
//!   `minimal_first_frame`, a new ratatui terminal and its first frame;
//! - `type_key_frame`: one key into the minutes input of meeting 3 and the frame after it
//!   (forty letters typed, then forty Backspaces, and again); reference
//!   `minimal_textarea_key_frame`, the same keys into a bare ratatui-textarea and its frame;
//! - `commit_minute`: a short line typed into that input and Enter, so one iteration is
//!   one committed line, in the database with `synchronous = FULL`; reference
//!   `minimal_sqlite_commit`, one row inserted in one transaction, same pragmas, same disk;
//! - `enter_after_draft_saved`: Enter alone, after the once-a-second timer saved the line
//!   as a draft (as it does while someone types a line longer than a second), so the
//!   commit also has a draft row to remove; the typing and the timer are untimed;
//! - `case_pack_export`: the whole-case Markdown export (`dhr export case`), for the panel
//!   and anonymised; reference `minimal_chronology_table`, the chronology read with one
//!   plain query and written as a Markdown table without escaping, the floor of any
//!   export that holds it.
//!
//! Each database is the demo case with 5,000 extra chronology rows (and 50,000 where the
//! size could matter), built once, untimed, in a private temporary folder with a fixed
//! today of 26 Nov 2026; the benchmarks that write get their own copy. Run with
//! `cargo bench --bench workspace`.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dhr_panel::app::{App, Msg, Options, Pane};
use dhr_panel::export::{ExportKind, ExportOptions};
use dhr_panel::store::{OpenMode, Store};
use dhr_panel::time::{Clock, FixedClock};
use divan::Bencher;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::{Constraint, Layout};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui_textarea::TextArea;

/// The reference load and ten times it.
const ROWS: [u64; 2] = [5_000, 50_000];
/// The reference load alone, for what does not read the chronology.
const REFERENCE: u64 = 5_000;

const WIDTH: u16 = 80;
const HEIGHT: u16 = 24;

/// The meeting `dhr minute --case DEMO-1 --meeting 3` opens: in progress in the demo.
const MEETING: i64 = 3;

/// The line committed by `commit_minute`: a plain note, no command.
const LINE: &str = "noted: the gp surgery shared the records";

/// Ordinary text for `type_key_frame`, typed for `SWING` keys and then taken back.
const TEXT: &str = "the quick brown fox jumps over the lazy dog ";
const SWING: usize = 40;

/// A private temporary folder and what it holds.
struct Folder {
    dir: tempfile::TempDir,
    /// How many copies were made in it, to name the next.
    copies: u32,
}

/// The folders holding the demo databases, by extra rows, built on first use; a plain map
/// so that `main` can remove them when done (statics are never dropped).
static DATABASES: Mutex<BTreeMap<u64, Folder>> = Mutex::new(BTreeMap::new());

fn main() {
    divan::main();
    if let Ok(mut databases) = DATABASES.lock() {
        databases.clear();
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).expect("a real day")
}

fn clock() -> Arc<dyn Clock> {
    Arc::new(FixedClock::on(today()))
}

/// A new private (0700) temporary folder: the store refuses one others can open.
fn private_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))
        .expect("a private temporary folder");
    dir
}

/// The path of the demo database with `rows` extra entries, built the first time; with
/// `copy`, a fresh copy of it beside it, for a benchmark that writes.
fn database(rows: u64, copy: bool) -> PathBuf {
    let mut databases = DATABASES
        .lock()
        .expect("no benchmark panicked holding the lock");
    let folder = databases.entry(rows).or_insert_with(|| {
        let dir = private_folder();
        let mut store = Store::open(&dir.path().join("dhr.sqlite3"), OpenMode::Create, clock())
            .expect("a new database");
        dhr_panel::demo::create_demo(&mut store, rows).expect("the demo case");
        // Dropping the store closes the database, checkpointing its log into the file.
        drop(store);
        Folder { dir, copies: 0 }
    });
    let original = folder.dir.path().join("dhr.sqlite3");
    if !copy {
        return original;
    }
    folder.copies += 1;
    let path = folder
        .dir
        .path()
        .join(format!("copy-{}.sqlite3", folder.copies));
    std::fs::copy(&original, &path).expect("a copy of the demo database");
    path
}

fn open(path: &Path) -> Store {
    Store::open(path, OpenMode::Existing, clock()).expect("the demo database")
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn draw(app: &App, terminal: &mut Terminal<TestBackend>) {
    terminal
        .draw(|frame| dhr_panel::ui::view(app, frame))
        .expect("a frame");
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("a test terminal")
}

/// The workspace as `dhr minute --case DEMO-1 --meeting 3` opens it: the input focused.
fn minuting(path: &Path) -> App {
    let mut app = App::new(open(path), Options::default(), Some("DEMO-1")).expect("DEMO-1");
    app.update(Msg::Resize(WIDTH, HEIGHT));
    app.open_meeting_number(MEETING).expect("meeting 3");
    let ws = app.workspace.as_ref().expect("the case is open");
    assert_eq!(ws.pane, Pane::Minutes);
    assert!(
        ws.minutes.session.as_ref().is_some_and(|m| m.focused),
        "the minutes input has the keyboard"
    );
    app
}

/// What the minutes input of the open meeting holds, and how many lines it has.
fn minutes_state(app: &App) -> (String, usize) {
    let m = app
        .workspace
        .as_ref()
        .and_then(|ws| ws.minutes.session.as_ref())
        .expect("a meeting is open for minuting");
    (m.input_text(), m.minutes.len())
}

fn type_line(app: &mut App, line: &str) {
    for c in line.chars() {
        app.update(key(KeyCode::Char(c)));
    }
}

// ---------------------------------------------------------------- first frame

/// Reference: a new ratatui terminal at 80x24 and its first frame, a bordered block of
/// 22 lines of text.
#[divan::bench(sample_count = 50, sample_size = 10)]
fn minimal_first_frame(bencher: Bencher) {
    let lines: Vec<String> = (0..HEIGHT - 2)
        .map(|i| format!("{i:>3}  Routine appointment attended; no disclosure recorded."))
        .collect();
    let text = lines.join("\n");
    bencher.bench_local(|| {
        let mut terminal = terminal();
        terminal
            .draw(|frame| {
                let paragraph = Paragraph::new(text.as_str())
                    .block(Block::default().borders(Borders::ALL).title(" Minimal "));
                frame.render_widget(paragraph, frame.area());
            })
            .expect("a frame");
        terminal
    });
}

/// `App::new` on DEMO-1 and its first frame at 80x24; the database is opened (untimed)
/// for each iteration, as the binary opens it before building the workspace.
#[divan::bench(args = ROWS, sample_count = 30, sample_size = 1)]
fn open_case_first_frame(bencher: Bencher, rows: u64) {
    let path = database(rows, false);
    bencher
        .with_inputs(|| open(&path))
        .bench_local_values(|store| {
            let mut app = App::new(store, Options::default(), Some("DEMO-1")).expect("DEMO-1");
            app.update(Msg::Resize(WIDTH, HEIGHT));
            let mut terminal = terminal();
            draw(&app, &mut terminal);
            (app, terminal)
        });
}

// ---------------------------------------------------------------- typing

/// The key of iteration `i`: `SWING` letters of `TEXT`, then as many Backspaces.
fn swing_key(i: usize) -> KeyCode {
    if (i / SWING).is_multiple_of(2) {
        let c = TEXT.as_bytes()[i % TEXT.len()];
        KeyCode::Char(char::from(c))
    } else {
        KeyCode::Backspace
    }
}

/// Reference: the same keys into a bare ratatui-textarea under a bordered block, and the
/// frame after each.
#[divan::bench(sample_count = 50, sample_size = 40)]
fn minimal_textarea_key_frame(bencher: Bencher) {
    let mut input = TextArea::default();
    input.set_block(Block::default().borders(Borders::ALL).title(" Input "));
    let outer = Block::default().borders(Borders::ALL).title(" Minimal ");
    let mut terminal = terminal();
    let mut i = 0usize;
    bencher.bench_local(|| {
        input.input(KeyEvent::new(swing_key(i), KeyModifiers::NONE));
        i += 1;
        terminal
            .draw(|frame| {
                let inner = outer.inner(frame.area());
                frame.render_widget(&outer, frame.area());
                let [_, bottom] =
                    Layout::vertical([Constraint::Min(1), Constraint::Length(5)]).areas(inner);
                frame.render_widget(&input, bottom);
            })
            .expect("a frame");
    });
}

/// One key into the minutes input of meeting 3 and the frame after it.
#[divan::bench(sample_count = 50, sample_size = 40)]
fn type_key_frame(bencher: Bencher) {
    let mut app = minuting(&database(REFERENCE, true));
    let mut terminal = terminal();
    draw(&app, &mut terminal);
    let mut i = 0usize;
    bencher.bench_local(|| {
        app.update(key(swing_key(i)));
        i += 1;
        draw(&app, &mut terminal);
    });
    let (input, _) = minutes_state(&app);
    assert!(
        input.chars().count() <= SWING,
        "typed and taken back: {input:?}"
    );
}

// ---------------------------------------------------------------- committing

/// Reference: one row inserted in one transaction, in a database in WAL mode with
/// `synchronous = FULL` (as the store sets it), in the same kind of folder.
#[divan::bench(sample_count = 30, sample_size = 1)]
fn minimal_sqlite_commit(bencher: Bencher) {
    let dir = private_folder();
    let mut conn =
        rusqlite::Connection::open(dir.path().join("minimal.sqlite3")).expect("a database");
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .expect("WAL");
    assert_eq!(mode, "wal");
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         CREATE TABLE minutes (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, body TEXT NOT NULL);",
    )
    .expect("a table");
    bencher.bench_local(|| {
        let tx = conn.transaction().expect("a transaction");
        tx.execute(
            "INSERT INTO minutes (created_at, body) VALUES ('2026-11-26T10:00:00Z', ?1)",
            [LINE],
        )
        .expect("a row");
        tx.commit().expect("committed");
    });
}

/// A short line typed into the minutes input of meeting 3 and Enter: one committed line.
#[divan::bench(args = ROWS, sample_count = 30, sample_size = 1)]
fn commit_minute(bencher: Bencher, rows: u64) {
    let mut app = minuting(&database(rows, true));
    let (_, before) = minutes_state(&app);
    let mut committed = 0usize;
    bencher.bench_local(|| {
        type_line(&mut app, LINE);
        app.update(key(KeyCode::Enter));
        committed += 1;
    });
    let (input, after) = minutes_state(&app);
    assert!(input.is_empty(), "the input is empty after each commit");
    assert_eq!(after, before + committed, "one line per iteration");
}

/// Enter alone, after the timer saved the typed line as a draft: the commit then also
/// removes the draft row. Typing and the timer run untimed before each Enter.
#[divan::bench(sample_count = 30, sample_size = 1)]
fn enter_after_draft_saved(bencher: Bencher) {
    let app = RefCell::new(minuting(&database(REFERENCE, true)));
    let (_, before) = minutes_state(&app.borrow());
    let mut committed = 0usize;
    bencher
        .with_inputs(|| {
            let mut app = app.borrow_mut();
            type_line(&mut app, LINE);
            // The draft timer: saves the pending draft.
            app.update(Msg::SaveDrafts);
        })
        .bench_local_values(|()| {
            app.borrow_mut().update(key(KeyCode::Enter));
            committed += 1;
        });
    let (input, after) = minutes_state(&app.borrow());
    assert!(input.is_empty(), "the input is empty after each commit");
    assert_eq!(after, before + committed, "one line per iteration");
}

// ---------------------------------------------------------------- export

/// Reference: the chronology read with one plain query and written as a Markdown table,
/// no escaping, no other section: the least an export holding the chronology does.
#[divan::bench(args = ROWS, sample_count = 20, sample_size = 1)]
fn minimal_chronology_table(bencher: Bencher, rows: u64) {
    let path = database(rows, false);
    let conn = rusqlite::Connection::open_with_flags(
        &path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .expect("the demo database");
    let written = RefCell::new(0usize);
    bencher.bench_local(|| {
        let mut stmt = conn
            .prepare_cached(
                "SELECT c.date_text, coalesce(c.time, ''), coalesce(a.code, ''), c.source_ref,
                        c.subjects, c.event, c.action_outcome, c.risk_dash, c.risk_marac,
                        c.agency_comment, c.panel_analysis, c.key_event, c.missed_opportunity
                 FROM chronology c LEFT JOIN agencies a ON a.id = c.agency_id
                 JOIN cases k ON k.id = c.case_id
                 WHERE k.reference = 'DEMO-1' AND c.deleted_at IS NULL
                 ORDER BY c.date_sort, c.id",
            )
            .expect("the query");
        let mut out = String::from(
            "| Date | Agency | Source | Subjects | Event | Action / outcome | Risk | \
             Agency comment | Panel analysis | Flags |\n|---|---|---|---|---|---|---|---|---|---|\n",
        );
        let mut found = stmt.query([]).expect("the rows");
        while let Some(row) = found.next().expect("a row") {
            let text = |i: usize| row.get_ref(i).ok().and_then(|v| v.as_str().ok()).unwrap_or("");
            let flag = |i: usize| row.get::<_, i64>(i).unwrap_or(0) != 0;
            let _ = writeln!(
                out,
                "| {} {} | {} | {} | {} | {} | {} | DASH: {}; MARAC: {} | {} | {} | {}{} |",
                text(0),
                text(1),
                text(2),
                text(3),
                text(4),
                text(5),
                text(6),
                text(7),
                text(8),
                text(9),
                text(10),
                if flag(11) { "key event " } else { "" },
                if flag(12) { "missed opportunity" } else { "" },
            );
        }
        *written.borrow_mut() = out.len();
        out
    });
    assert!(
        *written.borrow() > rows as usize * 20,
        "the table has its rows"
    );
}

fn case_pack(bencher: Bencher, rows: u64, anonymise: bool) {
    let store = open(&database(rows, false));
    let case = store
        .case_by_reference("DEMO-1")
        .expect("the cases")
        .expect("DEMO-1");
    let clock = FixedClock::on(today());
    let options = ExportOptions {
        anonymise,
        allow: Vec::new(),
        times: false,
        publication: false,
        characteristics: false,
    };
    bencher.bench_local(|| {
        let export = dhr_panel::export::export(&store, &case, ExportKind::Case, &options, &clock)
            .expect("the case pack");
        assert!(export.markdown.len() > rows as usize * 20);
        export
    });
}

/// The whole-case export for the panel, as `dhr export case --case DEMO-1` builds it.
#[divan::bench(args = ROWS, sample_count = 20, sample_size = 1)]
fn case_pack_export(bencher: Bencher, rows: u64) {
    case_pack(bencher, rows, false);
}

/// The same, anonymised (`--anonymise`): names replaced and the leak scan run.
#[divan::bench(args = ROWS, sample_count = 20, sample_size = 1)]
fn case_pack_export_anonymised(bencher: Bencher, rows: u64) {
    case_pack(bencher, rows, true);
}
