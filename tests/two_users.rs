//! Two people on one database — a secretary minuting, a chair reading: each sees the
//! other's commits on the next tick of the timer, keeping what they were doing.

mod common;

use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dhr_panel::app::{App, Effect, Msg, Options};
use dhr_panel::store::{OpenMode, Store};

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(key(KeyCode::Char(c)));
    }
}

fn second_seat(dir: &std::path::Path, read_only: bool) -> App {
    let mode = if read_only {
        OpenMode::ReadOnly
    } else {
        OpenMode::Existing
    };
    let store = Store::open(&db_in(dir), mode, clock()).unwrap();
    App::new(
        store,
        Options {
            read_only,
            ..Options::default()
        },
        Some("DEMO-1"),
    )
    .unwrap()
}

#[test]
fn a_line_minuted_by_the_secretary_appears_for_the_chair_and_nothing_is_drawn_otherwise() {
    let dir = private_dir();
    let mut secretary = demo_app(dir.path(), Options::default());
    secretary.open_meeting_number(3).unwrap();
    let mut chair = second_seat(dir.path(), true);
    chair.open_meeting_number(3).unwrap();
    assert_eq!(
        chair.update(Msg::Tick),
        Effect::None,
        "nothing changed: nothing to draw"
    );

    typed(
        &mut secretary,
        "The chair thanked the author for a thorough IMR.",
    );
    secretary.update(key(KeyCode::Enter));
    assert_eq!(chair.update(Msg::Tick), Effect::Redraw);
    assert!(screen(&chair, 120, 40).contains("The chair thanked the author"));
    assert_eq!(chair.update(Msg::Tick), Effect::None);
}

#[test]
fn the_chairs_view_refreshes_and_keeps_its_selection_and_the_secretarys_typing_survives() {
    let dir = private_dir();
    let mut secretary = demo_app(dir.path(), Options::default());
    secretary.open_meeting_number(3).unwrap();
    typed(&mut secretary, "Half-typed line");

    let mut chair = second_seat(dir.path(), false);
    chair.update(key(KeyCode::Down));
    chair.update(key(KeyCode::Char('c'))); // a chaser to Adult Social Care
    let selected = chair.workspace.as_ref().unwrap().cursor().selected;
    // The chair's own commit does not count as someone else's.
    assert_eq!(chair.update(Msg::Tick), Effect::None);

    // The secretary's workspace notices; her typing is untouched.
    assert_eq!(secretary.update(Msg::Tick), Effect::Redraw);
    let ws = secretary.workspace.as_ref().unwrap();
    let asc = ws
        .agencies
        .all
        .iter()
        .find(|a| a.agency.code == "ASC")
        .unwrap();
    assert_eq!(asc.agency.chased_on.last(), Some(&today()));
    assert_eq!(
        ws.minutes.session.as_ref().unwrap().input_text(),
        "Half-typed line"
    );

    // The secretary's draft (saved on that tick) reaches the chair's seat as a change;
    // the refresh keeps the chair's selection.
    chair.update(Msg::Tick);
    assert_eq!(
        chair.workspace.as_ref().unwrap().cursor().selected,
        selected
    );
}

#[test]
fn two_processes_writing_at_once_lose_nothing() {
    // Two real processes import into the same database at the same moment: writes wait
    // for each other (BEGIN IMMEDIATE, busy timeout) instead of failing.
    let dir = private_dir();
    let db = db_in(dir.path());
    assert_eq!(run(dhr(&db).arg("demo")).0, 0);
    let rows = |agency: &str| {
        let mut csv = String::from("Date,Event\n");
        for i in 0..1500 {
            csv.push_str(&format!(
                "{:02}/{:02}/2018,{agency} contact number {i}\n",
                i % 28 + 1,
                i % 12 + 1
            ));
        }
        let path = dir.path().join(format!("{agency}.csv"));
        std::fs::write(&path, csv).unwrap();
        path
    };
    let (a, b) = (rows("GP"), rows("MHT"));
    let mut one = dhr(&db);
    one.args(["import", "chronology"])
        .arg(&a)
        .args(["--case", "DEMO-1", "--agency", "GP"]);
    let mut two = dhr(&db);
    two.args(["import", "chronology"])
        .arg(&b)
        .args(["--case", "DEMO-1", "--agency", "MHT"]);
    let first = one.stdout(std::process::Stdio::null()).spawn().unwrap();
    let second = two.stdout(std::process::Stdio::null()).spawn().unwrap();
    let (first, second) = (
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    );
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        second.status.success(),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM chronology WHERE event LIKE '% contact number %'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 3000);
    let (code, out, _) = run(dhr(&db).arg("check"));
    assert_eq!(code, 0, "{out}");
}

#[test]
fn lines_typed_while_another_user_holds_the_database_wait_in_order_and_are_written_separately() {
    let dir = private_dir();
    let mut secretary = demo_app(dir.path(), Options::default());
    secretary.open_meeting_number(3).unwrap();
    // Another connection holds the write lock (an import in its transaction, say).
    let other = rusqlite::Connection::open(db_in(dir.path())).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let count = |text: &str| -> i64 {
        let conn = rusqlite::Connection::open(db_in(dir.path())).unwrap();
        conn.query_row(
            "SELECT count(*) FROM minutes WHERE body = ?1 AND deleted_at IS NULL",
            [text],
            |r| r.get(0),
        )
        .unwrap()
    };
    let first = "A line while the database is busy";
    let second = "GP said Adult A was seen twice";
    typed(&mut secretary, first);
    secretary.update(key(KeyCode::Enter));
    // The input is free at once for the next line; the line shows as waiting.
    let input = |app: &App| {
        app.workspace
            .as_ref()
            .unwrap()
            .minutes
            .session
            .as_ref()
            .unwrap()
            .input_text()
    };
    assert_eq!(input(&secretary), "");
    typed(&mut secretary, second);
    assert_eq!(input(&secretary), second, "typing goes on");
    secretary.update(key(KeyCode::Enter));
    let shown = screen(&secretary, 200, 40);
    assert!(shown.contains("2 lines waiting"), "{shown}");
    assert!(shown.contains(&format!("waiting  {first}")), "{shown}");
    assert!(shown.contains(&format!("waiting  {second}")), "{shown}");
    assert_eq!((count(first), count(second)), (0, 0));
    // A tick while still held writes nothing and keeps the order.
    secretary.update(Msg::Tick);
    assert_eq!(secretary.seat.waiting.len(), 2);
    other.execute_batch("ROLLBACK").unwrap();
    secretary.update(Msg::Tick);
    assert!(secretary.seat.waiting.is_empty());
    assert_eq!(
        (count(first), count(second)),
        (1, 1),
        "each once, never joined"
    );
    let conn = rusqlite::Connection::open(db_in(dir.path())).unwrap();
    let order: Vec<String> = conn
        .prepare("SELECT body FROM minutes WHERE body IN (?1, ?2) ORDER BY position")
        .unwrap()
        .query_map([first, second], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(order, vec![first.to_string(), second.to_string()]);
    let shown = screen(&secretary, 200, 40);
    assert!(!shown.contains("waiting"), "{shown}");
}
