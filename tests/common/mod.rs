//! Helpers shared by the integration tests: private temporary folders, a demo database
//! on a fixed day, the real binary, and the real drawing code rendered to text.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use chrono::NaiveDate;
use dhr_panel::app::{App, Options};
use dhr_panel::store::{OpenMode, Store};
use dhr_panel::time::{Clock, FixedClock};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

/// The day every test takes as today.
pub const TODAY: &str = "2026-11-26";

pub fn today() -> NaiveDate {
    NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap()
}

pub fn clock() -> Arc<dyn Clock> {
    Arc::new(FixedClock::on(today()))
}

/// A temporary folder only its owner can open, as DHR Panel demands.
pub fn private_dir() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    private_data_home();
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    dir
}

/// The login's data folder (drafts, witnesses) of this test process: a folder of this
/// run, never the runner's home. Set once, before the first workspace opens.
pub fn private_data_home() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let home = data_home();
        // SAFETY: set once, first thing a test does; every reader in this process goes
        // through std::env, which serialises access to the environment.
        unsafe { std::env::set_var("XDG_DATA_HOME", home) };
    });
}

/// The data folder of this test run (drafts and witnesses of the programs it starts).
pub fn data_home() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("dhr-test-data-{}", std::process::id()))
}

/// The drafts kept for `db` by the seats of this test run's login, in `data` (the data
/// folder the programs were given): (place, text) of each, oldest seat first.
#[allow(dead_code)]
pub fn seat_drafts_in(data: &Path, db: &Path) -> Vec<(String, String)> {
    let folder = data.join("dhr-panel").join("drafts");
    let database = dhr_panel::seat::database_key(db);
    let mut files: Vec<dhr_panel::seat::SeatFile> = std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .flatten()
                .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .filter_map(|text| serde_json::from_str(&text).ok())
                .collect()
        })
        .unwrap_or_default();
    files.retain(|f: &dhr_panel::seat::SeatFile| f.database == database);
    files
        .into_iter()
        .flat_map(|f| f.drafts.into_iter().map(|d| (d.place, d.text)))
        .collect()
}

/// The drafts kept for `db` by this test run's programs.
#[allow(dead_code)]
pub fn seat_drafts(db: &Path) -> Vec<(String, String)> {
    seat_drafts_in(&data_home(), db)
}

/// The draft kept for meeting `number`'s minutes input.
#[allow(dead_code)]
pub fn meeting_draft(db: &Path, number: i64) -> Option<String> {
    let conn = rusqlite::Connection::open(db).ok()?;
    let id: i64 = conn
        .query_row("SELECT id FROM meetings WHERE number = ?1", [number], |r| {
            r.get(0)
        })
        .ok()?;
    let place = format!("meeting:{id}");
    seat_drafts(db)
        .into_iter()
        .find(|(p, _)| *p == place)
        .map(|(_, text)| text)
}

/// A store holding the demo case, on the fixed day.
pub fn demo_store(dir: &Path) -> Store {
    private_data_home();
    let mut store = Store::open(&dir.join("dhr.sqlite3"), OpenMode::Create, clock()).unwrap();
    dhr_panel::demo::create_demo(&mut store, 0).unwrap();
    store
}

pub fn empty_store(dir: &Path) -> Store {
    Store::open(&dir.join("dhr.sqlite3"), OpenMode::Create, clock()).unwrap()
}

/// The workspace on the demo case, opened as the binary would (Agencies pane first).
pub fn demo_app(dir: &Path, options: Options) -> App {
    App::new(demo_store(dir), options, Some("DEMO-1")).unwrap()
}

/// Draws the app with the real drawing code into a test terminal of the given size.
pub fn render(app: &App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| dhr_panel::ui::view(app, frame))
        .unwrap();
    terminal.backend().buffer().clone()
}

/// The text of a buffer, one line per row, trailing spaces kept so columns show.
pub fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Renders and returns the screen text.
pub fn screen(app: &App, width: u16, height: u16) -> String {
    text(&render(app, width, height))
}

/// The real `dhr` binary with a fixed today and no inherited database setting.
pub fn dhr(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dhr"));
    // Witnesses of the audit chain go to a folder of this test run, not the runner's home.
    let witnesses = std::env::temp_dir().join(format!("dhr-test-data-{}", std::process::id()));
    cmd.env("DHR_TODAY", TODAY)
        .env("XDG_DATA_HOME", witnesses)
        .env_remove("DHR_DB")
        .env_remove("NO_COLOR")
        .arg("--db")
        .arg(db);
    cmd
}

pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().unwrap();
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

pub fn db_in(dir: &Path) -> PathBuf {
    dir.join("dhr.sqlite3")
}
