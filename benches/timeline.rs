//! Timeline frame cost against chronology size (the budget: "frame cost independent of the
//! row count (only visible rows are built); also true at 50,000 rows").
//!
//! Each benchmark runs on the demo case with 5,000 and with 50,000 extra rows, on the
//! Timeline pane at 80x24, with the selection in the middle of the chronology:
//!
//! - `draw_frame`: drawing one frame, nothing changed;
//! - `scroll_step`: one ↓ or ↑ and the frame after it, swinging 400 rows down and back, so
//!   the occasional read of a new window of rows is included at its real rate;
//! - `page_down_to_middle`: a PgDn that lands in the middle of the chronology outside the
//!   rows held, so it must read a new window there, and the frame after it;
//! - `page_down_near_start`: the same at row 1,000, whatever the size, which separates the
//!   cost of the row count from the cost of the position;
//! - `minimal_ratatui_frame`: for scale, a minimal ratatui frame at the same size.
//!
//! The free-text filter, at 50,000 and 500,000 extra rows, as the filter worker answers a
//! key (the count of matching entries and the window of rows at the top):
//!
//! - `filter_word`: a word of five letters ("visit", a fifth of the entries), found
//!   through the search index;
//! - `filter_rare_words`: two words ("record 4999"), a few hundred entries;
//! - `filter_short_word`: two letters ("ap", too short for the index: a scan);
//! - `filter_backspace`: "appointment" then Backspace ("appointmen"), in turn.
//!
//! Each database is built once per size, outside the timed part, in a private temporary
//! folder removed at the end; the 500,000-row one is kept in `target/bench-data` so that
//! later runs do not build it again (about two minutes). Run with
//! `cargo bench --bench timeline`.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dhr_panel::app::{App, Msg, Options, Pane};
use dhr_panel::store::{OpenMode, Store};
use dhr_panel::time::{Clock, FixedClock};
use divan::Bencher;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The chronology sizes compared: the reference load and ten times it.
const ROWS: [u64; 2] = [5_000, 50_000];

/// The sizes the filter is measured at.
const FILTER_ROWS: [u64; 2] = [50_000, 500_000];

/// From this size on, the database is kept in `target/bench-data` between runs.
const KEPT_FROM: u64 = 500_000;

/// The screen: 80x24 leaves 16 rows for a page (the height less 8).
const WIDTH: u16 = 80;
const HEIGHT: u16 = 24;
const PAGE: u64 = HEIGHT as u64 - 8;

/// How far `scroll_step` goes down before it turns back up.
const SWING: u64 = 400;

/// The demo databases by extra rows, built on first use. A plain map behind a mutex
/// rather than a `OnceLock` per size, so `main` can remove the folders when done.
static DATABASES: Mutex<BTreeMap<u64, tempfile::TempDir>> = Mutex::new(BTreeMap::new());

fn main() {
    divan::main();
    // Statics are never dropped: remove the temporary folders here.
    if let Ok(mut databases) = DATABASES.lock() {
        databases.clear();
    }
}

fn clock() -> Arc<dyn Clock> {
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("a real day");
    Arc::new(FixedClock::on(today))
}

/// The database of the demo case with `rows` extra entries, built the first time.
fn database(rows: u64) -> PathBuf {
    if rows >= KEPT_FROM {
        return kept_database(rows);
    }
    let mut databases = DATABASES
        .lock()
        .expect("no benchmark panicked holding the lock");
    let dir = databases.entry(rows).or_insert_with(|| {
        // The store refuses a folder others can open.
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))
            .expect("a private temporary folder");
        let mut store = Store::open(&dir.path().join("dhr.sqlite3"), OpenMode::Create, clock())
            .expect("a new database");
        dhr_panel::demo::create_demo(&mut store, rows).expect("the demo case");
        dir
    });
    dir.path().join("dhr.sqlite3")
}

/// A big database kept between runs in a private folder under `target/`: built under
/// another name and renamed when complete, so an interrupted build is not reused.
fn kept_database(rows: u64) -> PathBuf {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&folder).expect("a folder for the benchmark databases");
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700))
        .expect("a private folder");
    let path = folder.join(format!("timeline-{rows}.sqlite3"));
    if !path.exists() {
        let building = folder.join(format!("timeline-{rows}.building.sqlite3"));
        for companion in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{companion}", building.display()));
        }
        {
            let mut store =
                Store::open(&building, OpenMode::Create, clock()).expect("a new database");
            dhr_panel::demo::create_demo(&mut store, rows).expect("the demo case");
        }
        std::fs::rename(&building, &path).expect("the finished database in place");
        for companion in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{companion}", building.display()));
        }
    }
    path
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// The workspace on the demo case with `rows` extra entries, on the Timeline pane with the
/// selection at `position`, and an 80x24 test terminal that has drawn it once.
fn timeline_at(rows: u64, position: u64) -> (App, Terminal<TestBackend>) {
    let store = Store::open(&database(rows), OpenMode::Existing, clock()).expect("the database");
    let mut app = App::new(store, Options::default(), Some("DEMO-1")).expect("the demo case");
    app.update(Msg::Resize(WIDTH, HEIGHT));
    app.update(key(KeyCode::Char('1')));
    select(&mut app, position);
    let ws = app.workspace.as_ref().expect("the case is open");
    assert_eq!(ws.pane, Pane::Timeline);
    assert!(
        ws.timeline.total >= rows,
        "{} entries for {rows} extra rows",
        ws.timeline.total
    );
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("a test terminal");
    draw(&app, &mut terminal);
    (app, terminal)
}

/// Moves the timeline selection to `position`, reading the window of rows there.
fn select(app: &mut App, position: u64) {
    let ws = app.workspace.as_ref().expect("the case is open");
    let delta = position as i64 - ws.cursor().selected as i64;
    app.step_selection(delta).expect("the window of rows");
    let ws = app.workspace.as_ref().expect("the case is open");
    assert_eq!(ws.cursor().selected as u64, position);
}

fn draw(app: &App, terminal: &mut Terminal<TestBackend>) {
    terminal
        .draw(|frame| dhr_panel::ui::view(app, frame))
        .expect("a frame");
}

/// For scale: a minimal ratatui program's frame at the same size, a bordered block of 22
/// lines of text, so the figures can be read as a ratio on any machine.
#[divan::bench(sample_count = 100, sample_size = 20)]
fn minimal_ratatui_frame(bencher: Bencher) {
    use ratatui::widgets::{Block, Borders, Paragraph};
    let lines: Vec<String> = (0..HEIGHT - 2)
        .map(|i| format!("{i:>3}  Routine appointment attended; no disclosure recorded."))
        .collect();
    let text = lines.join("\n");
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("a test terminal");
    bencher.bench_local(|| {
        terminal
            .draw(|frame| {
                let paragraph = Paragraph::new(text.as_str())
                    .block(Block::default().borders(Borders::ALL).title(" Minimal "));
                frame.render_widget(paragraph, frame.area());
            })
            .expect("a frame");
    });
}

#[divan::bench(args = ROWS, sample_count = 100, sample_size = 20)]
fn draw_frame(bencher: Bencher, rows: u64) {
    let (app, mut terminal) = timeline_at(rows, rows / 2);
    bencher.bench_local(|| draw(&app, &mut terminal));
}

#[divan::bench(args = ROWS, sample_count = 40, sample_size = 100)]
fn scroll_step(bencher: Bencher, rows: u64) {
    let (mut app, mut terminal) = timeline_at(rows, rows / 2);
    let mut steps = 0u64;
    bencher.bench_local(|| {
        let code = if (steps / SWING).is_multiple_of(2) {
            KeyCode::Down
        } else {
            KeyCode::Up
        };
        steps += 1;
        app.update(key(code));
        draw(&app, &mut terminal);
    });
}

/// A PgDn from `target - PAGE` to `target`, with the rows held dropped first so the
/// landing row is outside them, as after any long move; and the frame after it.
fn page_down_to(bencher: Bencher, rows: u64, target: u64) {
    let (mut app, mut terminal) = timeline_at(rows, target - PAGE);
    app.update(key(KeyCode::PageDown));
    assert_eq!(
        app.workspace.as_ref().map(|ws| ws.cursor().selected as u64),
        Some(target),
        "a page is {PAGE} rows at {WIDTH}x{HEIGHT}"
    );
    bencher.bench_local(|| {
        let ws = app.workspace.as_mut().expect("the case is open");
        ws.cursor_mut().selected = (target - PAGE) as usize;
        // Returned so that dropping the old rows is not timed.
        let held = std::mem::take(&mut ws.timeline.rows);
        app.update(key(KeyCode::PageDown));
        draw(&app, &mut terminal);
        held
    });
}

#[divan::bench(args = ROWS, sample_count = 30, sample_size = 3)]
fn page_down_to_middle(bencher: Bencher, rows: u64) {
    page_down_to(bencher, rows, rows / 2);
}

#[divan::bench(args = ROWS, sample_count = 30, sample_size = 3)]
fn page_down_near_start(bencher: Bencher, rows: u64) {
    page_down_to(bencher, rows, 1_000);
}

/// The filter worker's answer to one request: the count and the window at the top.
fn filter_once(store: &Store, case_id: i64, text: &str) -> u64 {
    use dhr_panel::app::panes::timeline::search::{FilterRequest, find};
    let request = FilterRequest {
        generation: 1,
        case_id,
        filter: dhr_panel::domain::filter::TimelineFilter {
            text: text.to_string(),
            ..Default::default()
        },
        selected: 0,
    };
    find(store, &request).expect("the filter's rows").matching
}

/// The store (its own connection, as the worker's) and the demo case.
fn filter_store(rows: u64) -> (Store, i64) {
    let store = Store::open(&database(rows), OpenMode::Existing, clock()).expect("the database");
    let case_id = store
        .case_by_reference("DEMO-1")
        .expect("the cases")
        .expect("the demo case")
        .id;
    (store, case_id)
}

#[divan::bench(args = FILTER_ROWS, sample_count = 10, sample_size = 1)]
fn filter_word(bencher: Bencher, rows: u64) {
    let (store, case_id) = filter_store(rows);
    bencher.bench_local(|| filter_once(&store, case_id, "visit"));
}

#[divan::bench(args = FILTER_ROWS, sample_count = 10, sample_size = 1)]
fn filter_rare_words(bencher: Bencher, rows: u64) {
    let (store, case_id) = filter_store(rows);
    bencher.bench_local(|| filter_once(&store, case_id, "record 4999"));
}

#[divan::bench(args = FILTER_ROWS, sample_count = 5, sample_size = 1)]
fn filter_short_word(bencher: Bencher, rows: u64) {
    let (store, case_id) = filter_store(rows);
    bencher.bench_local(|| filter_once(&store, case_id, "ap"));
}

#[divan::bench(args = FILTER_ROWS, sample_count = 10, sample_size = 1)]
fn filter_backspace(bencher: Bencher, rows: u64) {
    let (store, case_id) = filter_store(rows);
    let mut typed = false;
    bencher.bench_local(|| {
        typed = !typed;
        filter_once(
            &store,
            case_id,
            if typed { "appointment" } else { "appointmen" },
        )
    });
}
