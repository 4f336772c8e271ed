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
        chair.update(Msg::DatabaseChanged),
        Effect::None,
        "nothing changed: nothing to draw"
    );

    typed(
        &mut secretary,
        "The chair thanked the author for a thorough IMR.",
    );
    secretary.update(key(KeyCode::Enter));
    assert_eq!(chair.update(Msg::DatabaseChanged), Effect::Redraw);
    assert!(screen(&chair, 120, 40).contains("The chair thanked the author"));
    assert_eq!(chair.update(Msg::DatabaseChanged), Effect::None);
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
    assert_eq!(chair.update(Msg::DatabaseChanged), Effect::None);

    // The secretary's workspace notices; her typing is untouched.
    assert_eq!(secretary.update(Msg::DatabaseChanged), Effect::Redraw);
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

    // The secretary's line reaches the chair's seat as a change; the refresh keeps the
    // chair's selection.
    secretary.update(key(KeyCode::Enter));
    chair.update(Msg::DatabaseChanged);
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
    // A retry while still held writes nothing and keeps the order.
    secretary.update(Msg::Retry);
    assert_eq!(secretary.seat.waiting.len(), 2);
    other.execute_batch("ROLLBACK").unwrap();
    secretary.update(Msg::Retry);
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
    // Resuming edits the open pause (DEMO-1's is pause 1, ended, DEMO-2's pause 2; the
    // setup opens pause 3 for another reason); the other seat corrects the same pause
    // meanwhile.
    let mut pause_first = vec![ch('0'), ch('p'), key(KeyCode::Enter), key(KeyCode::Tab)];
    pause_first.extend("Trial".chars().map(ch));
    pause_first.extend([ctrl_o(), key(KeyCode::Esc)]);
    let mut resume = form(
        "case resume",
        Record::Pause(3),
        vec![ch('0'), ch('p'), key(KeyCode::Enter)],
        Append("Reason", "A-edit"),
        "A-edit",
        Some(vec![ch('0'), ch('p'), down.clone(), key(KeyCode::Enter)]),
        Append("Reason", " B-edit"),
        "B-edit",
    );
    resume.setup = pause_first;
    let up = key(KeyCode::Up);
    vec![
        resume,
        form(
            "decision record",
            Record::ReviewDecision(1),
            vec![ch('0'), ch('v')],
            Append("Reasons", " A-edit"),
            "A-edit",
            None,
            Append("Reasons", " B-edit"),
            "B-edit",
        ),
        form(
            "family person",
            Record::FamilyPerson(1),
            vec![ch('8'), ch('e')],
            Append("Notes", " A-edit"),
            "A-edit",
            None,
            Append("Notes", " B-edit"),
            "B-edit",
        ),
        form(
            "family contact",
            Record::FamilyContact(1),
            vec![
                ch('8'),
                ch('c'),
                up.clone(),
                up.clone(),
                up.clone(),
                key(KeyCode::Enter),
            ],
            Append("Views and wishes", " A-edit"),
            "A-edit",
            None,
            Append("Views and wishes", " B-edit"),
            "B-edit",
        ),
        form(
            "proceeding",
            Record::Proceeding(1),
            vec![ch('8'), ch('p'), ch('e')],
            Append("Notes", " A-edit"),
            "A-edit",
            None,
            Append("Notes", " B-edit"),
            "B-edit",
        ),
        form(
            "disclosure request",
            Record::Disclosure(1),
            vec![ch('8'), ch('p'), ch('c'), key(KeyCode::Enter)],
            Append("Answer", " A-edit"),
            "A-edit",
            None,
            Append("Answer", " B-edit"),
            "B-edit",
        ),
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

// ---------------------------------------------------------------------------------------
// Real seats as different logins (issue 12). Each seat is the binary in a pseudo-terminal
// of its own, started as an unused uid whose only group is the sharing group, from a
// 0755 folder holding a copy of the binary, on a database in a setgid group folder.
// These need root (CI runs as root) to switch uid; otherwise they say so and pass.

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Makes the calling process (a child between fork and exec) uid `uid` with `gid` as its
/// primary and only supplementary group. Only async-signal-safe calls.
fn become_login(uid: u32, gid: u32) -> std::io::Result<()> {
    let groups = [gid as libc::gid_t];
    // SAFETY: plain system calls on values owned by this frame.
    unsafe {
        if libc::setgroups(1, groups.as_ptr()) != 0
            || libc::setgid(gid as libc::gid_t) != 0
            || libc::setuid(uid as libc::uid_t) != 0
        {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

/// The place several logins share: a 0755 folder holding a copy of the binary, a setgid
/// group folder (2770, group `gid`) for the database, and for each login a private home
/// (0700, its own) that is also its data folder.
struct Site {
    dir: tempfile::TempDir,
    bin: PathBuf,
    gid: u32,
    logins: Vec<u32>,
}

impl Site {
    /// A site for `logins` unused uids sharing one unused gid, or `None` (the reason
    /// printed) when this process cannot start the binary as another login.
    fn new(logins: usize) -> Option<Site> {
        if !nix::unistd::geteuid().is_root() {
            eprintln!("skipped: seats as other logins need root (to switch uid); CI runs as root");
            return None;
        }
        let unused_group = |gid: u32| {
            matches!(
                nix::unistd::Group::from_gid(nix::unistd::Gid::from_raw(gid)),
                Ok(None)
            )
        };
        let unused_user = |uid: u32| {
            matches!(
                nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid)),
                Ok(None)
            )
        };
        let Some(gid) = (64000..65000).find(|g| unused_group(*g)) else {
            eprintln!("skipped: no unused gid between 64000 and 65000");
            return None;
        };
        let wanted = logins;
        let logins: Vec<u32> = (64001..65000)
            .filter(|u| unused_user(*u))
            .take(wanted)
            .collect();
        if logins.len() < wanted {
            eprintln!("skipped: fewer than {wanted} unused uids between 64001 and 65000");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        let bin = bin.join("dhr");
        std::fs::copy(env!("CARGO_BIN_EXE_dhr"), &bin).unwrap();
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        let shared = dir.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::os::unix::fs::chown(&shared, Some(0), Some(gid)).unwrap();
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o2770)).unwrap();
        let site = Site {
            dir,
            bin,
            gid,
            logins,
        };
        for &uid in &site.logins {
            let home = site.home(uid);
            std::fs::create_dir(&home).unwrap();
            std::os::unix::fs::chown(&home, Some(uid), Some(gid)).unwrap();
            std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        let first = *site.logins.first()?;
        let probe = site
            .dhr(first)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if !probe.is_ok_and(|s| s.success()) {
            eprintln!(
                "skipped: the binary cannot be started as uid {first} (gid {gid}) from {}",
                site.bin.display()
            );
            return None;
        }
        Some(site)
    }

    /// The database in the setgid group folder.
    fn db(&self) -> PathBuf {
        self.dir.path().join("shared").join("dhr.sqlite3")
    }

    fn shared(&self) -> PathBuf {
        self.dir.path().join("shared")
    }

    /// The private home (and data folder) of `uid`.
    fn home(&self, uid: u32) -> PathBuf {
        self.dir.path().join(format!("home-{uid}"))
    }

    /// The environment of a login: nothing inherited but what is set here.
    fn environment(&self, cmd: &mut Command, uid: u32) {
        cmd.env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", self.home(uid))
            .env("XDG_DATA_HOME", self.home(uid).join("data"))
            .env("DHR_TODAY", TODAY)
            .current_dir(self.home(uid));
    }

    /// The copied binary as `uid`, on the shared database, without a terminal.
    fn dhr(&self, uid: u32) -> Command {
        self.dhr_on(uid, &self.db())
    }

    /// The copied binary as `uid`, on the database `db`, without a terminal.
    fn dhr_on(&self, uid: u32, db: &Path) -> Command {
        let mut cmd = Command::new(&self.bin);
        self.environment(&mut cmd, uid);
        cmd.arg("--db").arg(db);
        let gid = self.gid;
        // SAFETY: the closure only makes system calls (see `become_login`).
        unsafe {
            cmd.pre_exec(move || become_login(uid, gid));
        }
        cmd
    }

    /// The workspace as `uid` in an 80x24 pseudo-terminal, with `args` after `--db`.
    fn seat(&self, uid: u32, args: &[&str]) -> Seat {
        let size = libc::winsize {
            ws_row: 24,
            ws_col: 80,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let (mut master, mut slave) = (-1, -1);
        // SAFETY: out-pointers to two ints; no name buffer; a valid winsize.
        let opened = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                &size,
            )
        };
        assert_eq!(opened, 0, "openpty: {}", std::io::Error::last_os_error());
        // SAFETY: both were just opened and are owned here alone.
        let (master, slave) =
            unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
        for fd in [&master, &slave] {
            // Other tests' children must not keep this terminal open.
            // SAFETY: a valid descriptor.
            unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) };
        }
        // The login owns its terminal, as login(1) arranges.
        nix::unistd::fchown(&slave, Some(nix::unistd::Uid::from_raw(uid)), None).unwrap();
        let mut cmd = Command::new(&self.bin);
        self.environment(&mut cmd, uid);
        cmd.env("TERM", "xterm-256color")
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_CTYPE")
            .env("COLUMNS", "80")
            .env("LINES", "24")
            .arg("--db")
            .arg(self.db())
            .args(args)
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        let gid = self.gid;
        // SAFETY: only system calls: a session of its own with the terminal as its
        // controlling terminal, then the login.
        unsafe {
            cmd.pre_exec(move || {
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                become_login(uid, gid)
            });
        }
        let child = cmd.spawn().unwrap();
        drop(cmd); // closes this side's copies of the terminal
        let master = std::fs::File::from(master);
        let mut reader = master.try_clone().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(24, 80, 0)));
        let (screen, stop) = (parser.clone(), Arc::new(AtomicBool::new(false)));
        let stopping = stop.clone();
        let fd = master.as_raw_fd();
        let reading = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while !stopping.load(Ordering::SeqCst) {
                let mut fds = [libc::pollfd {
                    fd,
                    events: libc::POLLIN,
                    revents: 0,
                }];
                // SAFETY: one valid pollfd; the master outlives this thread (joined first).
                if unsafe { libc::poll(fds.as_mut_ptr(), 1, 50) } <= 0 {
                    continue;
                }
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => screen.lock().unwrap().process(&buf[..n]),
                }
            }
        });
        Seat {
            uid,
            child,
            master,
            parser,
            stop,
            reading: Some(reading),
        }
    }
}

/// One running workspace of one login, in a pseudo-terminal of its own.
struct Seat {
    uid: u32,
    child: std::process::Child,
    master: std::fs::File,
    parser: Arc<Mutex<vt100::Parser>>,
    stop: Arc<AtomicBool>,
    reading: Option<std::thread::JoinHandle<()>>,
}

impl Seat {
    /// Types `keys` (bytes as a terminal sends them: "\r" is Enter, "\x11" Ctrl+Q).
    fn send(&mut self, keys: &str) {
        self.master.write_all(keys.as_bytes()).unwrap();
        self.master.flush().unwrap();
    }

    /// The screen as the terminal shows it now.
    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits until `text` is on screen; the screen in the error otherwise.
    fn wait_for(&self, text: &str, timeout: Duration) -> Result<(), String> {
        let start = Instant::now();
        loop {
            let shown = self.screen();
            if shown.contains(text) {
                return Ok(());
            }
            if start.elapsed() > timeout {
                return Err(format!(
                    "uid {}: never saw {text:?} on screen:\n{shown}",
                    self.uid
                ));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn kill(&self, signal: nix::sys::signal::Signal) {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        let _ = nix::sys::signal::kill(pid, signal);
    }

    /// Waits for the seat to end (killing it after 20 s), and for its last output.
    fn wait(&mut self) -> std::process::ExitStatus {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > Duration::from_secs(20) {
                self.kill(nix::sys::signal::Signal::SIGKILL);
                break self.child.wait().unwrap();
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        if let Some(reading) = self.reading.take() {
            while !reading.is_finished() && start.elapsed() < Duration::from_secs(25) {
                std::thread::sleep(Duration::from_millis(10));
            }
            self.stop.store(true, Ordering::SeqCst);
            let _ = reading.join();
        }
        status
    }
}

impl Drop for Seat {
    fn drop(&mut self) {
        if self.reading.is_some() {
            self.kill(nix::sys::signal::Signal::SIGKILL);
            let _ = self.child.wait();
            self.stop.store(true, Ordering::SeqCst);
            if let Some(reading) = self.reading.take() {
                let _ = reading.join();
            }
        }
    }
}

/// A live line of meeting 3's minutes: its text, the seat that wrote it and its key.
#[derive(Debug, Clone)]
struct StoredLine {
    body: String,
    seat: Option<String>,
    key: Option<String>,
}

/// Meeting 3's live minutes, in the order the minutes show them.
fn meeting_3_rows(db: &Path) -> Vec<StoredLine> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT m.body, m.seat, m.line_key FROM minutes m JOIN meetings t ON t.id = m.meeting_id
             WHERE t.number = 3 AND m.deleted_at IS NULL ORDER BY m.position, m.id",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok(StoredLine {
            body: r.get(0)?,
            seat: r.get(1)?,
            key: r.get(2)?,
        })
    })
    .unwrap()
    .collect::<Result<Vec<_>, _>>()
    .unwrap()
}

/// The bodies of meeting 3's live minutes, in the order the minutes show them.
fn meeting_3_lines(db: &Path) -> Vec<String> {
    meeting_3_rows(db).into_iter().map(|l| l.body).collect()
}

/// How many minutes rows (live or withdrawn) have exactly this text.
fn rows_with_body(db: &Path, body: &str) -> i64 {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.query_row(
        "SELECT count(*) FROM minutes WHERE body = ?1",
        [body],
        |r| r.get(0),
    )
    .unwrap()
}

/// A small seeded generator (xorshift64*), so the pauses and the order of the seats are
/// random but the same on every run; `DHR_TEST_SEED` picks another sequence.
struct Rng(u64);

impl Rng {
    fn new(default: u64) -> Rng {
        let seed = std::env::var("DHR_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default);
        eprintln!("seed {seed} (DHR_TEST_SEED={seed} repeats this run's choices)");
        Rng(seed.max(1))
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in 0..n.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Waits until `done` holds, polling; the failure names `what` after `limit`.
fn poll_until(limit: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "never happened: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The seat files of login `uid` (in its data folder), with their paths.
fn seat_files_of(site: &Site, uid: u32) -> Vec<(PathBuf, dhr_panel::seat::SeatFile)> {
    let folder = site.home(uid).join("data").join("dhr-panel").join("drafts");
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("seat-") && n.ends_with(".json"))
        })
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            serde_json::from_str(&text).ok().map(|f| (p, f))
        })
        .collect()
}

/// The draft texts in the seat file of the seat whose process is `pid` (login `uid`).
fn drafts_of_seat(site: &Site, uid: u32, pid: u32) -> Vec<String> {
    seat_files_of(site, uid)
        .into_iter()
        .filter(|(_, f)| f.seat.as_ref().is_some_and(|s| s.pid == pid))
        .flat_map(|(_, f)| f.drafts.into_iter().map(|d| d.text))
        .collect()
}

/// Every draft and waiting line kept anywhere in login `uid`'s seat files.
fn texts_kept_by(site: &Site, uid: u32) -> Vec<String> {
    seat_files_of(site, uid)
        .into_iter()
        .flat_map(|(_, f)| {
            f.drafts
                .into_iter()
                .map(|d| d.text)
                .chain(f.waiting.into_iter().map(|w| w.text))
        })
        .collect()
}

/// A chronology of `rows` events as `dhr import chronology` reads it, owned by `uid` in
/// its home.
fn chronology_csv(site: &Site, uid: u32, name: &str, rows: usize) -> PathBuf {
    let mut csv = String::from("Date,Event\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "{:02}/{:02}/2018,Imported contact number {i}\n",
            i % 28 + 1,
            i % 12 + 1
        ));
    }
    let path = site.home(uid).join(name);
    std::fs::write(&path, csv).unwrap();
    std::os::unix::fs::chown(&path, Some(uid), Some(site.gid)).unwrap();
    path
}

/// Holds the database's write lock (as an import inside its transaction does) until
/// dropped or rolled back: a connection of the test (root) in `BEGIN IMMEDIATE`.
fn hold_database(db: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.busy_timeout(Duration::from_secs(30)).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    conn
}

/// Waits until the seat's screen satisfies `done`; the failure shows the screen.
fn wait_screen(seat: &Seat, what: &str, done: impl Fn(&str) -> bool) {
    let start = Instant::now();
    loop {
        let shown = seat.screen();
        if done(&shown) {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "uid {}: never saw {what} on screen:\n{shown}",
            seat.uid
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The first row of the minutes input as the screen shows it (inside its box, titled
/// "Minute (Enter saves…").
fn input_row(shown: &str) -> String {
    let mut rows = shown.lines().skip_while(|row| !row.contains("┌ Minute"));
    rows.next();
    rows.next()
        .map(|row| row.trim().trim_matches('│').trim_end().to_string())
        .unwrap_or_default()
}

/// Whether the seat's screen says that lines wait for the database.
fn shows_waiting(seat: &Seat) -> bool {
    let shown = seat.screen();
    shown.contains("line waiting") || shown.contains("lines waiting")
}

/// Asserts `dhr check` says valid on `db` (run as `uid`).
fn assert_checks(site: &Site, uid: u32, db: &Path) {
    let (code, out, err) = run(site.dhr_on(uid, db).arg("check"));
    assert_eq!(code, 0, "{}: {out}{err}", db.display());
    assert!(out.contains("Audit chain: valid"), "{out}");
}

/// Three seats — two logins, and a second seat of the first — minute meeting 3 together,
/// `lines` lines each in a random interleaving with random pauses, while the first login
/// imports a chronology of `import_rows` rows and takes a backup, both started a third
/// and half of the way in. Every line is stored exactly once, unmerged, in its seat's
/// order, by its seat (`minutes.seat` names the seat's login and process); the import is
/// whole; the database and the backup pass `dhr check`.
fn three_seats_minute_together(lines: usize, import_rows: usize, seed: u64) {
    let Some(site) = Site::new(2) else {
        return;
    };
    let (a, b) = (site.logins[0], site.logins[1]);
    let (code, _, err) = run(site.dhr(a).arg("demo"));
    assert_eq!(code, 0, "{err}");
    let before = meeting_3_lines(&site.db());
    let logins = [a, b, a];
    let mut seats =
        logins.map(|uid| site.seat(uid, &["minute", "--case", "DEMO-1", "--meeting", "3"]));
    for seat in &seats {
        seat.wait_for("Enter saves", Duration::from_secs(20))
            .unwrap();
    }
    let pids = seats.each_ref().map(|s| s.child.id());
    let csv = chronology_csv(&site, a, "chronology.csv", import_rows);
    let backup_file = site.shared().join("backup.sqlite3");
    let line = |seat: usize, n: usize| format!("Seat {seat} of uid {} line {n:03}.", logins[seat]);
    let mut rng = Rng::new(seed);
    let mut next = [0usize; 3];
    let total = 3 * lines;
    let (mut import, mut backup) = (None, None);
    // What the seats' screens said while lines waited (not asserted: timing decides).
    let mut waiting_seen = 0usize;
    let mut holder_named = None;
    for step in 0..total {
        if step == total / 3 {
            import = Some(
                site.dhr(a)
                    .args(["import", "chronology"])
                    .arg(&csv)
                    .args(["--case", "DEMO-1", "--agency", "GP"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap(),
            );
        }
        if step == total / 2 {
            backup = Some(
                site.dhr(a)
                    .arg("backup")
                    .arg(&backup_file)
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap(),
            );
        }
        // A random seat of those with lines left types its next line.
        let left: Vec<usize> = (0..3).filter(|&s| next[s] < lines).collect();
        let s = left[rng.below(left.len() as u64) as usize];
        seats[s].send(&line(s, next[s]));
        seats[s].send("\r");
        next[s] += 1;
        std::thread::sleep(Duration::from_millis(rng.below(40)));
        {
            for seat in &seats {
                let shown = seat.screen();
                if shown.contains("waiting") {
                    waiting_seen += 1;
                    if let Some(at) = shown.find("held by") {
                        holder_named
                            .get_or_insert_with(|| shown[at..].lines().next().unwrap().to_string());
                    }
                }
            }
        }
    }
    let import = import.unwrap().wait_with_output().unwrap();
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );
    let backup = backup.unwrap().wait_with_output().unwrap();
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    eprintln!(
        "screens showing \"waiting\" while typing: {waiting_seen}; holder: {}",
        holder_named.as_deref().unwrap_or("never seen")
    );
    let expected: Vec<String> = (0..3)
        .flat_map(|s| (0..lines).map(move |n| (s, n)))
        .map(|(s, n)| line(s, n))
        .collect();
    // The waiting lines drain: every line arrives, and no screen says "waiting" after.
    let limit = Duration::from_secs(120 + (total as u64) / 2);
    poll_until(limit, "every line stored", || {
        let stored = meeting_3_lines(&site.db());
        expected.iter().all(|l| stored.contains(l))
    });
    for seat in &seats {
        poll_until(
            Duration::from_secs(30),
            "no seat shows waiting lines",
            || !shows_waiting(seat),
        );
    }
    for seat in &mut seats {
        seat.send("\x11"); // Ctrl+Q
    }
    for seat in &mut seats {
        let screen = seat.screen();
        assert!(seat.wait().success(), "uid {}: {screen}", seat.uid);
    }
    let rows = meeting_3_rows(&site.db());
    assert_eq!(
        rows.iter()
            .take(before.len())
            .map(|r| r.body.clone())
            .collect::<Vec<_>>(),
        before,
        "the lines before are untouched and first"
    );
    let new: Vec<&StoredLine> = rows.iter().skip(before.len()).collect();
    let bodies: Vec<&str> = new.iter().map(|r| r.body.as_str()).collect();
    // Every line exactly once, none merged, none from elsewhere.
    for l in &expected {
        assert_eq!(
            bodies.iter().filter(|b| **b == l).count(),
            1,
            "{l:?} in {bodies:#?}"
        );
    }
    for body in &bodies {
        let within = expected
            .iter()
            .filter(|l| body.contains(l.as_str()))
            .count();
        assert!(within <= 1, "merged lines: {body:?}");
    }
    assert_eq!(new.len(), expected.len(), "{bodies:#?}");
    for (s, uid) in logins.into_iter().enumerate() {
        let own: Vec<&StoredLine> = new
            .iter()
            .copied()
            .filter(|r| r.body.starts_with(&format!("Seat {s} ")))
            .collect();
        // Each seat's lines in the order it typed them.
        let typed: Vec<String> = (0..lines).map(|n| line(s, n)).collect();
        assert_eq!(
            own.iter().map(|r| r.body.clone()).collect::<Vec<_>>(),
            typed,
            "seat {s}"
        );
        // Written by that seat: its login and its process; the key is the seat's own.
        for r in own {
            let seat_id = r.seat.as_deref().unwrap_or_else(|| panic!("{r:?}"));
            let seat = dhr_panel::seat::Seat::parse(seat_id).unwrap();
            assert_eq!(
                (seat.login.as_str(), seat.pid),
                (format!("uid {uid}").as_str(), pids[s]),
                "{r:?}"
            );
            let key = r.key.as_deref().unwrap_or_else(|| panic!("{r:?}"));
            assert!(key.starts_with(&format!("{seat_id}#")), "{r:?}");
        }
    }
    let conn = rusqlite::Connection::open_with_flags(
        site.db(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    for (s, uid) in logins.into_iter().enumerate() {
        let login: String = conn
            .query_row(
                "SELECT a.login FROM audit a JOIN minutes m ON a.table_name = 'minutes'
                 AND a.row_id = m.id AND a.action = 'insert' WHERE m.body = ?1",
                [line(s, 0)],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(login, format!("uid {uid}"));
    }
    let imported: i64 = conn
        .query_row(
            "SELECT count(*) FROM chronology WHERE event LIKE 'Imported contact number %'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(imported, import_rows as i64, "the import is whole");
    for file in [site.db(), backup_file.clone()] {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(&file).unwrap();
        assert_eq!(
            (meta.mode() & 0o7777, meta.uid(), meta.gid()),
            (0o660, a, site.gid),
            "{}",
            file.display()
        );
    }
    for db in [site.db(), backup_file] {
        assert_checks(&site, a, &db);
    }
}

/// Issue 12, "Done when": three seats of two logins (one login with two seats) minute one
/// meeting, 50 lines each with random pauses, while a 5,000-row import and a backup run.
#[test]
fn three_seats_of_two_logins_minute_one_meeting_while_an_import_and_a_backup_run() {
    three_seats_minute_together(50, 5_000, 12);
}

/// The full size of the test above: three seats × 300 lines while a 50,000-row import
/// and a backup run. Needs root, like every real-seat test; run it with
/// `cargo test --test two_users -- --ignored --test-threads=1`.
#[test]
#[ignore = "full size (minutes): run with cargo test --test two_users -- --ignored --test-threads=1"]
fn full_size_three_seats_minute_300_lines_each_while_a_50000_row_import_and_a_backup_run() {
    three_seats_minute_together(300, 50_000, 300);
}

/// Issue 12: each seat's unsaved text survives kill -9 of any other seat and of itself,
/// and comes back only to its own login. Seat A (login 1) and seat C (login 2) type half
/// lines; once each is saved in the login's seat file, C is killed (A's text stays in A's
/// input and file), then A; a new seat of login 2 gets C's text back and never A's; a new
/// seat of login 1 gets A's and never C's. Nothing half-typed reaches the database.
#[test]
fn unsaved_text_survives_kill_9_of_another_seat_and_of_its_own_and_comes_back_only_to_its_login() {
    let Some(site) = Site::new(2) else {
        return;
    };
    let (a, b) = (site.logins[0], site.logins[1]);
    let (code, _, err) = run(site.dhr(a).arg("demo"));
    assert_eq!(code, 0, "{err}");
    let args = ["minute", "--case", "DEMO-1", "--meeting", "3"];
    let mut seat_a = site.seat(a, &args);
    let mut seat_c = site.seat(b, &args);
    for seat in [&seat_a, &seat_c] {
        seat.wait_for("Enter saves", Duration::from_secs(20))
            .unwrap();
    }
    let a_text = "Half of login one's line";
    let c_text = "Login two half-typed this";
    seat_a.send(a_text);
    seat_c.send(c_text);
    let limit = Duration::from_secs(20);
    seat_a.wait_for(a_text, limit).unwrap();
    seat_c.wait_for(c_text, limit).unwrap();
    // Saved on the next tick, each in its own login's seat file, under its own process.
    let (pid_a, pid_c) = (seat_a.child.id(), seat_c.child.id());
    poll_until(limit, "A's draft in login 1's seat file", || {
        drafts_of_seat(&site, a, pid_a) == [a_text]
    });
    poll_until(limit, "C's draft in login 2's seat file", || {
        drafts_of_seat(&site, b, pid_c) == [c_text]
    });
    assert!(!texts_kept_by(&site, a).iter().any(|t| t == c_text));
    assert!(!texts_kept_by(&site, b).iter().any(|t| t == a_text));

    seat_c.kill(nix::sys::signal::Signal::SIGKILL);
    assert!(!seat_c.wait().success());
    // A goes on: its text is still in its input (and more typed shows), and in its file.
    let more = " and more";
    seat_a.send(more);
    seat_a.wait_for(&format!("{a_text}{more}"), limit).unwrap();
    let a_full = format!("{a_text}{more}");
    poll_until(limit, "A's longer draft saved", || {
        drafts_of_seat(&site, a, pid_a) == [a_full.clone()]
    });
    seat_a.kill(nix::sys::signal::Signal::SIGKILL);
    assert!(!seat_a.wait().success());
    assert_eq!(drafts_of_seat(&site, a, pid_a), [a_full.as_str()]);
    assert_eq!(drafts_of_seat(&site, b, pid_c), [c_text]);

    // A new seat of login 2 gets C's text back, never A's.
    let mut seat_c2 = site.seat(b, &args);
    seat_c2
        .wait_for("is back in the input", Duration::from_secs(20))
        .unwrap();
    let shown = seat_c2.screen();
    assert!(shown.contains(c_text) && !shown.contains(a_text), "{shown}");
    // It holds it now (its own file); A's file is untouched.
    let pid_c2 = seat_c2.child.id();
    poll_until(limit, "C's text taken over by the new seat", || {
        drafts_of_seat(&site, b, pid_c2) == [c_text] && drafts_of_seat(&site, b, pid_c).is_empty()
    });
    assert_eq!(drafts_of_seat(&site, a, pid_a), [a_full.as_str()]);

    // A new seat of login 1 gets A's text back, never C's.
    let mut seat_a2 = site.seat(a, &args);
    seat_a2
        .wait_for("is back in the input", Duration::from_secs(20))
        .unwrap();
    let shown = seat_a2.screen();
    assert!(
        shown.contains(&a_full) && !shown.contains(c_text),
        "{shown}"
    );
    let pid_a2 = seat_a2.child.id();
    poll_until(limit, "A's text taken over by the new seat", || {
        drafts_of_seat(&site, a, pid_a2) == [a_full.clone()]
            && drafts_of_seat(&site, a, pid_a).is_empty()
    });
    assert!(!texts_kept_by(&site, a).iter().any(|t| t == c_text));
    assert!(!texts_kept_by(&site, b).iter().any(|t| t.contains(a_text)));
    for seat in [&mut seat_a2, &mut seat_c2] {
        seat.send("\x11");
        let screen = seat.screen();
        assert!(seat.wait().success(), "uid {}: {screen}", seat.uid);
    }
    // Never written: half lines stay drafts.
    let stored = meeting_3_lines(&site.db());
    assert!(
        !stored
            .iter()
            .any(|l| l.contains(a_text) || l.contains(c_text)),
        "{stored:#?}"
    );
    assert_checks(&site, a, &site.db());
}

/// Issue 12: a line Enter was pressed on while another process held the database, its
/// seat then killed with -9 before the database was free, is written by the next seat of
/// the same login, exactly once even when two new seats of that login start together
/// (both may take it over: its key makes the second write a no-op); another login's
/// seat never writes it.
#[test]
fn a_waiting_line_of_a_seat_killed_9_is_written_once_by_the_next_seats_of_its_login_only() {
    let Some(site) = Site::new(2) else {
        return;
    };
    let (a, b) = (site.logins[0], site.logins[1]);
    let (code, _, err) = run(site.dhr(a).arg("demo"));
    assert_eq!(code, 0, "{err}");
    let args = ["minute", "--case", "DEMO-1", "--meeting", "3"];
    let limit = Duration::from_secs(20);
    let mut seat_a = site.seat(a, &args);
    seat_a.wait_for("Enter saves", limit).unwrap();
    let pid_a = seat_a.child.id();
    let line = "Entered while the database was held, then killed.";
    let hold = hold_database(&site.db());
    seat_a.send(line);
    seat_a.send("\r");
    seat_a.wait_for("1 line waiting", limit).unwrap();
    // Kept in the seat's file at once, with its key.
    let key = seat_files_of(&site, a)
        .into_iter()
        .filter(|(_, f)| f.seat.as_ref().is_some_and(|s| s.pid == pid_a))
        .flat_map(|(_, f)| f.waiting)
        .find(|w| w.text == line)
        .map(|w| w.key)
        .expect("the waiting line is in the seat's file");
    seat_a.kill(nix::sys::signal::Signal::SIGKILL);
    assert!(!seat_a.wait().success());
    hold.execute_batch("ROLLBACK").unwrap();
    assert_eq!(rows_with_body(&site.db(), line), 0);

    // Another login's seat opens the meeting: the line is not its to write.
    let mut seat_b = site.seat(b, &args);
    seat_b.wait_for("Enter saves", limit).unwrap();
    assert!(!seat_b.screen().contains("from a window that closed"));

    // Two new seats of login 1 start together while the database is held again, so both
    // may take the line over before either can write it.
    let hold = hold_database(&site.db());
    let mut seat_a2 = site.seat(a, &args);
    let mut seat_a3 = site.seat(a, &args);
    for seat in [&seat_a2, &seat_a3] {
        seat.wait_for("Enter saves", limit).unwrap();
    }
    // A seat that took it over shows it among its minutes as waiting.
    let adopted = [&seat_a2, &seat_a3]
        .iter()
        .filter(|s| s.screen().contains("waiting  Entered while"))
        .count();
    eprintln!("seats that took the waiting line over: {adopted}");
    assert!(adopted >= 1, "a new seat of login 1 took the line over");
    assert_eq!(rows_with_body(&site.db(), line), 0);
    hold.execute_batch("ROLLBACK").unwrap();
    poll_until(Duration::from_secs(30), "the waiting line written", || {
        rows_with_body(&site.db(), line) > 0
    });
    for seat in [&seat_a2, &seat_a3] {
        poll_until(limit, "no seat shows waiting lines", || {
            !shows_waiting(seat)
        });
    }
    for seat in [&mut seat_a2, &mut seat_a3, &mut seat_b] {
        seat.send("\x11");
        let screen = seat.screen();
        assert!(seat.wait().success(), "uid {}: {screen}", seat.uid);
    }
    assert_eq!(rows_with_body(&site.db(), line), 1, "written exactly once");
    let row = meeting_3_rows(&site.db())
        .into_iter()
        .find(|r| r.body == line)
        .unwrap();
    assert_eq!(row.key.as_deref(), Some(key.as_str()), "{row:?}");
    let writer = dhr_panel::seat::Seat::parse(row.seat.as_deref().unwrap()).unwrap();
    assert_eq!(writer.login, format!("uid {a}"), "{row:?}");
    assert!(
        [seat_a2.child.id(), seat_a3.child.id()].contains(&writer.pid),
        "written by a new seat of login 1: {row:?}"
    );
    assert!(
        !texts_kept_by(&site, a).iter().any(|t| t == line),
        "nothing of it is left to offer again"
    );
    assert_checks(&site, a, &site.db());
}

/// A seat types lines while another process holds the database: every character shows
/// in the input as it is typed, each Enter'ed line shows as waiting with the count, and
/// after the hold all are written, separately and in order. The hold lasts until every
/// line was typed, or `hold` if longer (typing goes on until then).
fn type_through_a_hold(lines: usize, hold: Duration) {
    let Some(site) = Site::new(1) else {
        return;
    };
    let a = site.logins[0];
    let (code, _, err) = run(site.dhr(a).arg("demo"));
    assert_eq!(code, 0, "{err}");
    let limit = Duration::from_secs(20);
    let mut seat = site.seat(a, &["minute", "--case", "DEMO-1", "--meeting", "3"]);
    seat.wait_for("Enter saves", limit).unwrap();
    let before = meeting_3_lines(&site.db());
    let held = hold_database(&site.db());
    let started = Instant::now();
    let mut typed = Vec::new();
    while typed.len() < lines || started.elapsed() < hold {
        let text = format!("Held line {:03} typed key by key.", typed.len());
        for (i, c) in text.char_indices() {
            seat.send(&c.to_string());
            // The input shows it at once: the input's row ends with what is typed so far.
            let so_far = &text[..i + c.len_utf8()];
            wait_screen(&seat, &format!("{so_far:?} in the input"), |shown| {
                input_row(shown) == so_far.trim_end()
            });
        }
        seat.send("\r");
        typed.push(text);
        let count = typed.len();
        let status = if count == 1 {
            "1 line waiting".to_string()
        } else {
            format!("{count} lines waiting")
        };
        seat.wait_for(&status, limit).unwrap();
        assert_eq!(meeting_3_lines(&site.db()), before, "nothing written yet");
    }
    held.execute_batch("ROLLBACK").unwrap();
    poll_until(Duration::from_secs(60), "every held line written", || {
        meeting_3_lines(&site.db()).len() >= before.len() + typed.len()
    });
    poll_until(limit, "no line shown waiting", || !shows_waiting(&seat));
    seat.send("\x11");
    let screen = seat.screen();
    assert!(seat.wait().success(), "{screen}");
    let stored = meeting_3_lines(&site.db());
    assert_eq!(stored[..before.len()], before[..]);
    assert_eq!(
        stored[before.len()..],
        typed[..],
        "each once, in order, never joined"
    );
    assert_checks(&site, a, &site.db());
}

/// Issue 12, "Done when": lines typed while another process holds the database.
#[test]
fn lines_typed_while_another_process_holds_the_database_show_as_typed_and_are_written_after() {
    type_through_a_hold(4, Duration::ZERO);
}

/// The full size of the test above: a 30 s hold while the seat keeps typing. Run it with
/// `cargo test --test two_users -- --ignored --test-threads=1` (as root).
#[test]
#[ignore = "full size (30 s): run with cargo test --test two_users -- --ignored --test-threads=1"]
fn full_size_a_seat_types_through_a_30_second_hold_of_the_database() {
    type_through_a_hold(4, Duration::from_secs(30));
}

/// The meeting open for minuting in a workspace.
fn session(app: &App) -> &dhr_panel::app::panes::minutes::Minuting {
    app.workspace
        .as_ref()
        .unwrap()
        .minutes
        .session
        .as_ref()
        .unwrap()
}

/// The meeting numbered `number` of the demo case, as it stands.
fn demo_meeting(store: &Store, number: i64) -> dhr_panel::domain::model::Meeting {
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap();
    store
        .meetings(case.id)
        .unwrap()
        .into_iter()
        .find(|m| m.number == number)
        .unwrap()
}

/// Issue 12, bug 3: "Seat A on meeting 2 typed `/undo`; seat B approved meeting 2; 150 ms
/// later A pressed Enter — 'Withdrawn: …'. The approved minutes changed; `dhr check` said
/// valid." Raced for real 50 times, each on a fresh demo database: seat B (a connection of
/// its own, in its own thread) commits `/approve 2` in meeting 3 while seat A commits
/// `/undo` on meeting 2 — on odd rounds the workspace itself, its input holding `/undo`
/// since before the approval, pressing Enter; on even rounds through the store. A seeded
/// coin picks who goes first and the other follows up to 3 ms later. After every round:
/// meeting 2 is approved, its minutes match the fingerprint stored at approval, no line of
/// it was withdrawn or changed after the approval (an undo either came first, or was
/// refused), the trail check holds, and (on some rounds) `dhr check` and the export say nothing is
/// wrong.
#[test]
fn the_approval_race_repeated_50_times_never_changes_approved_minutes() {
    use dhr_panel::domain::minuting::MinuteLine;
    use dhr_panel::domain::model::MeetingStatus;
    use dhr_panel::store::minute_lines::{LineNames, LinePlace};
    let mut rng = Rng::new(2);
    let (mut undone_first, mut refused) = (0, 0);
    for round in 0..50 {
        let dir = private_dir();
        let seat_b = demo_store(dir.path());
        let (m2, m3) = (demo_meeting(&seat_b, 2), demo_meeting(&seat_b, 3));
        assert_eq!(m2.status, MeetingStatus::Closed);
        let item = |m: i64| seat_b.agenda(m).unwrap()[0].id;
        let place = |meeting_id: i64, who: &str| LinePlace {
            meeting_id,
            item_id: item(meeting_id),
            minuted_at: "2026-11-26T10:05:00Z".into(),
            seat: Some(dhr_panel::seat::Seat::this().id()),
            key: Some(format!("race-{round}-{who}")),
        };
        let (undo_place, approve_place) = (place(m2.id, "undo"), place(m3.id, "approve"));
        let live_lines_before = |store: &Store| store.minutes(m2.id).unwrap().len();
        let lines_before = live_lines_before(&seat_b);
        // Seat A: the workspace with `/undo` typed in meeting 2's input, or a store.
        let through_app = round % 2 == 1;
        let mut app = None;
        let mut store_a = None;
        if through_app {
            let store = Store::open(&db_in(dir.path()), OpenMode::Existing, clock()).unwrap();
            let mut a = App::new(store, Options::default(), Some("DEMO-1")).unwrap();
            a.open_meeting_number(2).unwrap();
            a.update(ch('i'));
            typed(&mut a, "/undo");
            assert_eq!(
                session(&a).input_text(),
                "/undo",
                "round {round}: the input of closed meeting 2 takes /undo"
            );
            app = Some(a);
        } else {
            store_a = Some(Store::open(&db_in(dir.path()), OpenMode::Existing, clock()).unwrap());
        }
        let a_first = rng.below(2) == 0;
        let lag = Duration::from_micros(rng.below(3_000));
        let (a_delay, b_delay) = if a_first {
            (Duration::ZERO, lag)
        } else {
            (lag, Duration::ZERO)
        };
        let barrier = Arc::new(std::sync::Barrier::new(2));
        let start = barrier.clone();
        let mut chair = seat_b;
        let approver = std::thread::spawn(move || {
            let names = LineNames {
                other_meeting_id: Some(m2.id),
                ..LineNames::default()
            };
            start.wait();
            std::thread::sleep(b_delay);
            chair.commit_minute_line(&approve_place, MinuteLine::Approve(2), names)
        });
        barrier.wait();
        std::thread::sleep(a_delay);
        // What seat A was told: the store's answer, or the workspace's message.
        let undo: Result<String, String> = match (&mut app, &mut store_a) {
            (Some(a), _) => {
                a.update(key(KeyCode::Enter));
                for _ in 0..100 {
                    if !a.lines_waiting() {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                    a.update(Msg::Retry);
                }
                assert!(!a.lines_waiting(), "round {round}: the line never went");
                let m = session(a);
                let said = m.message.clone().map(|(t, _)| t).unwrap_or_default();
                if said.starts_with("Withdrawn") {
                    Ok(said)
                } else {
                    Err(format!("{said} (input: {:?})", m.input_text()))
                }
            }
            (None, Some(store)) => store
                .commit_minute_line(&undo_place, MinuteLine::Undo, LineNames::default())
                .map_err(|e| e.to_string()),
            (None, None) => unreachable!(),
        };
        let approved = approver.join().unwrap();
        assert!(approved.is_ok(), "round {round}: {approved:?}");

        let store = Store::open(&db_in(dir.path()), OpenMode::Existing, clock()).unwrap();
        let now = demo_meeting(&store, 2);
        assert_eq!(now.status, MeetingStatus::Approved, "round {round}");
        assert!(
            store.minutes_match(&now, &now.fingerprint).unwrap(),
            "round {round}: the approved minutes of meeting 2 changed (undo: {undo:?})"
        );
        // No line of meeting 2 withdrawn or changed after the approval's audit row.
        let conn = rusqlite::Connection::open(db_in(dir.path())).unwrap();
        let approval: i64 = conn
            .query_row(
                "SELECT max(id) FROM audit WHERE table_name = 'meetings' AND row_id = ?1
                 AND action = 'update' AND changes LIKE '%approved%'",
                [m2.id],
                |r| r.get(0),
            )
            .unwrap();
        let later: Vec<(i64, String)> = conn
            .prepare(
                "SELECT a.id, a.action FROM audit a JOIN minutes m ON a.table_name = 'minutes'
                 AND a.row_id = m.id WHERE m.meeting_id = ?1 AND a.id > ?2",
            )
            .unwrap()
            .query_map([m2.id, approval], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            later.is_empty(),
            "round {round}: lines of approved meeting 2 changed after approval (audit row {approval}): {later:?}; seat A was told {undo:?}"
        );
        let lines_after = live_lines_before(&store);
        match &undo {
            Ok(said) => {
                assert!(said.starts_with("Withdrawn"), "round {round}: {said}");
                assert_eq!(lines_after, lines_before - 1, "round {round}");
                undone_first += 1;
            }
            Err(said) => {
                assert!(
                    said.contains("approved and locked"),
                    "round {round}: refused for another reason: {said}"
                );
                assert_eq!(lines_after, lines_before, "round {round}");
                refused += 1;
            }
        }
        let check = store.check_against_trail().unwrap();
        assert!(
            check.holds() && check.fingerprints.is_empty(),
            "round {round}: {check:?}"
        );
        drop((app, store_a, store, conn));
        // The binary's own check and export on a few rounds (the trail check above is
        // the same code): every tenth, and the first where the undo came first.
        if round % 10 == 9 || undo.is_ok() && undone_first == 1 {
            let db = db_in(dir.path());
            let (code, out, err) = run(dhr(&db).arg("check"));
            assert_eq!(code, 0, "round {round}: {out}{err}");
            let (code, out, err) =
                run(dhr(&db).args(["export", "minutes", "--case", "DEMO-1", "--meeting", "2"]));
            assert_eq!(code, 0, "round {round}: {err}");
            assert!(
                !out.contains("WARNING") && !err.contains("WARNING"),
                "round {round}: {err}"
            );
        }
    }
    eprintln!("undo written before the approval: {undone_first}; refused after it: {refused}");
    // The seeded coin gave both orders: both outcomes were raced.
    assert!(
        undone_first > 0 && refused > 0,
        "{undone_first} / {refused}"
    );
}

#[test]
fn a_waiting_line_refused_while_the_next_is_typed_is_said_at_once_and_never_joined_to_it() {
    let dir = private_dir();
    let mut secretary = demo_app(dir.path(), Options::default());
    secretary.open_meeting_number(3).unwrap();
    let other = rusqlite::Connection::open(db_in(dir.path())).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    for line in [
        "S1 ok line",
        "/c Martian Embassy: why was nothing done?",
        "S3 ok line",
    ] {
        typed(&mut secretary, line);
        secretary.update(key(KeyCode::Enter));
    }
    typed(&mut secretary, "S4 typing");
    other.execute_batch("ROLLBACK").unwrap();
    secretary.update(Msg::Retry);
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
    assert_eq!(input(&secretary), "S4 typing", "what is being typed stays");
    let shown = screen(&secretary, 200, 40);
    assert!(
        shown.contains("Not written: \"/c Martian Embassy"),
        "{shown}"
    );
    // Saved, the line being typed makes room: the refused line comes back, marked, and
    // what is typed next replaces it rather than joining it.
    secretary.update(key(KeyCode::Enter));
    assert_eq!(
        input(&secretary),
        "/c Martian Embassy: why was nothing done?"
    );
    typed(&mut secretary, "Q1");
    assert_eq!(input(&secretary), "Q1");
    let conn = rusqlite::Connection::open(db_in(dir.path())).unwrap();
    let bodies: Vec<String> = conn
        .prepare("SELECT body FROM minutes WHERE body LIKE 'S_ %' ORDER BY position")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(bodies, vec!["S1 ok line", "S3 ok line", "S4 typing"]);
}
