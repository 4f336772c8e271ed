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

// ---- Stale edits: a form's save when another seat changed the record meanwhile ----

use dhr_panel::app::Overlay;
use dhr_panel::store::stale::Record;

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn ctrl_o() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::CONTROL))
}

/// How a seat changes one field of the form on top.
#[derive(Clone, Copy)]
enum Edit {
    /// Types this at the end of the field with this label.
    Append(&'static str, &'static str),
    /// Replaces the one-line field with this label by this text.
    Replace(&'static str, &'static str),
}

/// One form that edits an existing record, for the table of stale-edit tests: how seat A
/// opens it and what it types, how seat B changes the same record (the same form or
/// another), and what each leaves in the audit trail.
struct EditForm {
    name: &'static str,
    /// What seat A does first (before anyone opens anything).
    setup: Vec<Msg>,
    record: Record,
    a_open: Vec<Msg>,
    a_edit: Edit,
    a_stored: &'static str,
    b_open: Vec<Msg>,
    b_edit: Edit,
    b_stored: &'static str,
}

fn edit_forms() -> Vec<EditForm> {
    use Edit::{Append, Replace};
    let down = key(KeyCode::Down);
    let form = |name,
                record,
                open: Vec<Msg>,
                a_edit,
                a_stored,
                b_open: Option<Vec<Msg>>,
                b_edit,
                b_stored| EditForm {
        name,
        record,
        setup: Vec::new(),
        b_open: b_open.unwrap_or_else(|| open.clone()),
        a_open: open,
        a_edit,
        a_stored,
        b_edit,
        b_stored,
    };
    let case_details = || Some(vec![ch('0'), ch('e')]);
    let chair = "Independent chair";
    let mut pause_first = vec![ch('0'), ch('p')];
    pause_first.extend("Trial".chars().map(ch));
    pause_first.extend([ctrl_o(), key(KeyCode::Esc)]);
    let mut resume = form(
        "case resume",
        Record::Case(1),
        vec![ch('0'), ch('p')],
        Append("Reason", "A-edit"),
        "A-edit",
        case_details(),
        Append(chair, " B-edit"),
        "B-edit",
    );
    resume.setup = pause_first;
    vec![
        resume,
        form(
            "decision",
            Record::Decision(1),
            vec![ch('5'), ch('e')],
            Append("Rationale", " A-edit"),
            "A-edit",
            None,
            Append("Rationale", " B-edit"),
            "B-edit",
        ),
        form(
            "timeline entry",
            Record::Chronology(2),
            vec![ch('1'), ch('e')],
            Append("Event", " A-edit"),
            "A-edit",
            None,
            Append("Event", " B-edit"),
            "B-edit",
        ),
        form(
            "challenge response",
            Record::Challenge(1),
            vec![ch('4'), ch('r')],
            Append("Response", " A-edit"),
            "A-edit",
            None,
            Append("Response", " B-edit"),
            "B-edit",
        ),
        form(
            "challenge due date",
            Record::Challenge(1),
            vec![ch('4'), ch('d')],
            Replace("Response due", "01/12/2026"),
            "2026-12-01",
            None,
            Replace("Response due", "02/12/2026"),
            "2026-12-02",
        ),
        form(
            "challenge question",
            Record::Challenge(13),
            vec![ch('4'), key(KeyCode::End), ch('e')],
            Append("Question", " A-edit"),
            "A-edit",
            None,
            Append("Question", " B-edit"),
            "B-edit",
        ),
        form(
            "recommendation",
            Record::Recommendation(1),
            vec![ch('6'), ch('p'), ch('e')],
            Append("Recommendation", " A-edit"),
            "A-edit",
            None,
            Append("Recommendation", " B-edit"),
            "B-edit",
        ),
        form(
            "recommendation completion",
            Record::Recommendation(2),
            vec![ch('6'), ch('p'), down.clone(), ch('s'), ch('4')],
            Replace("Completion date", "20/11/2026"),
            "2026-11-20",
            Some(vec![ch('6'), ch('p'), down.clone(), ch('o')]),
            Append("Outcome / evidence", "B-edit"),
            "B-edit",
        ),
        form(
            "recommendation outcome",
            Record::Recommendation(1),
            vec![ch('6'), ch('p'), ch('o')],
            Append("Outcome / evidence", " A-edit"),
            "A-edit",
            None,
            Append("Outcome / evidence", " B-edit"),
            "B-edit",
        ),
        form(
            "terms of reference item",
            Record::Term(1),
            vec![ch('2'), ch('e')],
            Append("Text", " A-edit"),
            "A-edit",
            None,
            Append("Text", " B-edit"),
            "B-edit",
        ),
        form(
            "review period",
            Record::Case(1),
            vec![ch('2'), ch('p')],
            Replace("From", "02/01/2016"),
            "2016-01-02",
            None,
            Replace("From", "03/01/2016"),
            "2016-01-03",
        ),
        form(
            "agency",
            Record::Agency(1),
            vec![ch('e')],
            Append("Notes", " A-edit"),
            "A-edit",
            None,
            Append("Notes", " B-edit"),
            "B-edit",
        ),
        form(
            "agency return status",
            Record::Agency(1),
            vec![ch('s'), ch('1')],
            Append("Author of the return", " A-edit"),
            "A-edit",
            Some(vec![ch('e')]),
            Append("Notes", " B-edit"),
            "B-edit",
        ),
        form(
            "case details",
            Record::Case(1),
            vec![ch('0'), ch('e')],
            Append(chair, " A-edit"),
            "A-edit",
            None,
            Append(chair, " B-edit"),
            "B-edit",
        ),
        form(
            "case stage",
            Record::Case(1),
            vec![ch('0'), ch('s'), ch('5')],
            Append("Reason", "A-edit"),
            "A-edit",
            case_details(),
            Append(chair, " B-edit"),
            "B-edit",
        ),
        form(
            "case pause",
            Record::Case(1),
            vec![ch('0'), ch('p')],
            Append("Reason", "A-edit"),
            "A-edit",
            case_details(),
            Append(chair, " B-edit"),
            "B-edit",
        ),
        form(
            "case extension",
            Record::Case(1),
            vec![ch('0'), ch('x')],
            Append("Reason", "A-edit"),
            "A-edit",
            case_details(),
            Append(chair, " B-edit"),
            "B-edit",
        ),
        form(
            "case later dates",
            Record::Case(1),
            vec![ch('0'), ch('d')],
            Replace("Published", "20/11/2026"),
            "2026-11-20",
            case_details(),
            Append(chair, " B-edit"),
            "B-edit",
        ),
        form(
            "register subject",
            Record::Subject(1),
            vec![ch('0'), ch('r'), ch('1')],
            Append("Relationship", " A-edit"),
            "A-edit",
            None,
            Append("Relationship", " B-edit"),
            "B-edit",
        ),
        form(
            "line of the minutes",
            Record::Minute(67),
            vec![
                ch('7'),
                key(KeyCode::Enter),
                key(KeyCode::Esc),
                key(KeyCode::Up),
                ch('e'),
            ],
            Append("Text", " A-edit"),
            "A-edit",
            None,
            Append("Text", " B-edit"),
            "B-edit",
        ),
    ]
}

/// The form on top, or a failure naming what is there instead.
fn top_form(app: &App, what: &str) -> dhr_panel::app::form::Form {
    match app.overlays.top() {
        Some(Overlay::Form(o)) => o.form.clone(),
        _ => panic!(
            "{what}: no form on top ({:?}, status {:?})",
            app.place(),
            app.status
        ),
    }
}

fn apply(app: &mut App, edit: Edit, what: &str) {
    let (label, text, replace) = match edit {
        Edit::Append(l, t) => (l, t, false),
        Edit::Replace(l, t) => (l, t, true),
    };
    let form = top_form(app, what);
    let at = form
        .fields
        .iter()
        .position(|f| f.label == label)
        .unwrap_or_else(|| panic!("{what}: no field {label}"));
    let tabs = (at + form.fields.len() - form.focus) % form.fields.len();
    for _ in 0..tabs {
        app.update(key(KeyCode::Tab));
    }
    if replace {
        app.update(key(KeyCode::End));
        for _ in 0..form.fields[at].value().chars().count() {
            app.update(key(KeyCode::Backspace));
        }
    }
    typed(app, text);
}

/// Whether the form and the question are gone (a view it was opened from may stay).
fn closed(app: &App) -> bool {
    !matches!(
        app.place(),
        dhr_panel::app::Place::Form | dhr_panel::app::Place::Conflict
    )
}

fn b_login(app: &App) -> &str {
    app.store().login()
}

fn trail(app: &App, record: Record) -> String {
    app.store()
        .audit_of(record.table(), record.row())
        .unwrap()
        .into_iter()
        .map(|r| r.changes)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Seat A opens the form and types; seat B changes the record and saves; A saves: the
/// question of the stale edit is on A's screen. Returns both seats and B's version.
fn conflict(dir: &std::path::Path, f: &EditForm) -> (App, App, i64) {
    let mut a = demo_app(dir, Options::default());
    for m in f.setup.clone() {
        a.update(m);
    }
    let mut b = second_seat(dir, false);
    for m in f.a_open.clone() {
        a.update(m);
    }
    top_form(&a, f.name);
    apply(&mut a, f.a_edit, f.name);
    for m in f.b_open.clone() {
        b.update(m);
    }
    apply(&mut b, f.b_edit, f.name);
    b.update(ctrl_o());
    assert!(
        b.overlays.top().and_then(Overlay::form).is_none(),
        "{}: seat B's save: {:?} {:?}",
        f.name,
        b.place(),
        b.status
    );
    let theirs = b.store().latest_change(f.record).unwrap().audit_id;
    assert!(trail(&b, f.record).contains(f.b_stored), "{}", f.name);

    a.update(ctrl_o());
    assert_eq!(
        a.place(),
        dhr_panel::app::Place::Conflict,
        "{}: {:?}",
        f.name,
        a.status
    );
    let shown = screen(&a, 100, 40)
        .replace(['│', '┌', '┐', '└', '┘', '─'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        shown.contains(&format!("was changed by {}", b.store().login()))
            && shown.contains(&format!("Theirs is audit row {theirs};")),
        "{}: the question names who and which version:\n{shown}",
        f.name
    );
    // Nothing of A's was written.
    assert_eq!(a.store().latest_change(f.record).unwrap().audit_id, theirs);
    assert!(!trail(&a, f.record).contains(f.a_stored), "{}", f.name);
    (a, b, theirs)
}

#[test]
fn every_form_that_edits_a_record_notices_another_seats_change_and_keep_yours_saves_over_it() {
    for f in edit_forms() {
        let dir = private_dir();
        let (mut a, _b, theirs) = conflict(dir.path(), &f);
        a.update(ch('k'));
        assert!(closed(&a), "{}: {:?} {:?}", f.name, a.place(), a.status);
        let now = a.store().latest_change(f.record).unwrap().audit_id;
        assert!(now > theirs, "{}: keep yours wrote over theirs", f.name);
        let t = trail(&a, f.record);
        assert!(
            t.contains(f.a_stored) && t.contains(f.b_stored),
            "{}: both versions stay in the audit trail:\n{t}",
            f.name
        );
    }
}

#[test]
fn take_theirs_leaves_their_version_and_keeps_yours_as_the_forms_draft() {
    for f in edit_forms() {
        let dir = private_dir();
        let (mut a, _b, theirs) = conflict(dir.path(), &f);
        a.update(ch('t'));
        assert!(closed(&a), "{}: {:?}", f.name, a.place());
        assert_eq!(a.store().latest_change(f.record).unwrap().audit_id, theirs);
        assert!(!trail(&a, f.record).contains(f.a_stored), "{}", f.name);
        let status = a.status.clone().map(|s| s.text).unwrap_or_default();
        assert!(
            status.contains("kept as this form's draft"),
            "{}: {status}",
            f.name
        );
        // Opening the form again (from the case list) offers the text back.
        while a.workspace.is_some() {
            a.update(key(KeyCode::Esc));
        }
        a.update(key(KeyCode::Enter));
        for m in f.a_open.clone() {
            a.update(m);
        }
        let form = top_form(&a, f.name);
        let typed = match f.a_edit {
            Edit::Append(l, t) | Edit::Replace(l, t) => (l, t.trim()),
        };
        assert!(
            form.value(typed.0).contains(typed.1),
            "{}: the draft came back: {:?}",
            f.name,
            form.value(typed.0)
        );
    }
}

#[test]
fn merge_by_hand_goes_back_to_your_text_with_theirs_in_the_message_and_saves_on_their_version() {
    for f in edit_forms() {
        let dir = private_dir();
        let (mut a, _b, theirs) = conflict(dir.path(), &f);
        a.update(ch('m'));
        let form = top_form(&a, f.name);
        let message = form.message.clone().unwrap_or_default();
        assert!(message.starts_with("Theirs ("), "{}: {message}", f.name);
        assert!(message.contains(b_login(&a)), "{}: {message}", f.name);
        assert_eq!(a.store().latest_change(f.record).unwrap().audit_id, theirs);
        a.update(ctrl_o());
        assert!(closed(&a), "{}: {:?} {:?}", f.name, a.place(), a.status);
        let t = trail(&a, f.record);
        assert!(
            t.contains(f.a_stored) && t.contains(f.b_stored),
            "{}",
            f.name
        );
    }
}

#[test]
fn esc_at_the_question_goes_back_to_the_form_and_saving_again_asks_again() {
    let f = edit_forms()
        .into_iter()
        .find(|f| f.name == "decision")
        .unwrap();
    let dir = private_dir();
    let (mut a, _b, theirs) = conflict(dir.path(), &f);
    a.update(key(KeyCode::Esc));
    let form = top_form(&a, f.name);
    assert!(form.value("Rationale").ends_with("A-edit"));
    a.update(ctrl_o());
    assert_eq!(a.place(), dhr_panel::app::Place::Conflict);
    assert_eq!(a.store().latest_change(f.record).unwrap().audit_id, theirs);
}
