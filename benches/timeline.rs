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
//! Each database is built once per size, outside the timed part, in a private temporary
//! folder removed at the end. Run with `cargo bench --bench timeline`.

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
