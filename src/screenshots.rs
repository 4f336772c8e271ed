//! The screens of the demo cases drawn by the real drawing code on a fixed day, for the
//! pictures in `screenshots/` (`cargo run --example screenshots`) and the test that
//! keeps them current.

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use crate::app::{App, Msg, Options};
use crate::store::{OpenMode, Store, StoreError};
use crate::time::FixedClock;

/// The day the pictures take as today, so they never change with the date.
pub const SCREENSHOT_DAY: (i32, u32, u32) = (2026, 11, 26);

/// The size the pictures are drawn at.
pub const SIZE: (u16, u16) = (120, 36);

fn press(app: &mut App, keys: &[KeyCode]) {
    for code in keys {
        app.update(Msg::Key(KeyEvent::new(*code, KeyModifiers::NONE)));
    }
}

fn draw(app: &App) -> Result<Buffer, StoreError> {
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1))
        .map_err(|e| StoreError::Rule(format!("cannot draw: {e}")))?;
    terminal
        .draw(|frame| crate::ui::view(app, frame))
        .map_err(|e| StoreError::Rule(format!("cannot draw: {e}")))?;
    Ok(terminal.backend().buffer().clone())
}

/// Builds the demo case in a database inside `folder` (which must be private) and draws
/// each screen worth showing: (file stem, screen).
pub fn demo_screens(folder: &Path) -> Result<Vec<(&'static str, Buffer)>, StoreError> {
    let (y, m, d) = SCREENSHOT_DAY;
    let day = NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| StoreError::Rule("bad screenshot day".into()))?;
    let mut store = Store::open(
        &folder.join("screens.sqlite3"),
        OpenMode::Create,
        Arc::new(FixedClock::on(day)),
    )?;
    crate::demo::create_demo(&mut store, 0)?;
    let mut app = App::new(store, Options::default(), None)?;
    app.update(Msg::Resize(SIZE.0, SIZE.1));
    let mut screens = vec![("case-list", draw(&app)?)];
    press(&mut app, &[KeyCode::Enter]);
    for (key, name) in [
        ('3', "agencies"),
        ('1', "timeline"),
        ('2', "terms"),
        ('4', "challenges"),
        ('5', "decisions"),
        ('6', "actions"),
        ('7', "minutes"),
        ('8', "family"),
    ] {
        press(&mut app, &[KeyCode::Char(key)]);
        screens.push((name, draw(&app)?));
    }
    press(&mut app, &[KeyCode::Char('1'), KeyCode::Char('g')]);
    screens.push(("silent-periods", draw(&app)?));
    press(&mut app, &[KeyCode::Esc, KeyCode::Char('?')]);
    screens.push(("help", draw(&app)?));
    press(
        &mut app,
        &[KeyCode::Esc, KeyCode::Char('8'), KeyCode::Char('p')],
    );
    screens.push(("proceedings", draw(&app)?));
    // The case view scrolled to the decision, the QA rounds and the publication checklist.
    press(&mut app, &[KeyCode::Char('0')]);
    press(&mut app, &[KeyCode::Down; 9]);
    screens.push(("case-view", draw(&app)?));
    // DEMO-2, at action plan monitoring: its two QA rounds and the publication checklist.
    press(
        &mut app,
        &[KeyCode::Esc, KeyCode::Esc, KeyCode::Down, KeyCode::Enter],
    );
    press(&mut app, &[KeyCode::Char('0')]);
    press(&mut app, &[KeyCode::Down; 14]);
    screens.push(("case-view-demo-2", draw(&app)?));
    Ok(screens)
}
