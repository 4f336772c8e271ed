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

/// The bodies of meeting 3's live minutes, in the order they were committed.
fn meeting_3_lines(db: &Path) -> Vec<String> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT m.body FROM minutes m JOIN meetings t ON t.id = m.meeting_id
             WHERE t.number = 3 AND m.deleted_at IS NULL ORDER BY m.id",
        )
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<Vec<String>, _>>()
        .unwrap()
}

/// The first real-process test of issue 12, kept small: two logins and a second seat of
/// the first each commit ten lines into meeting 3, interleaved, while a backup is taken.
/// Every line is stored once, unmerged, in its seat's order, written by its seat's login
/// into files of the sharing group; the database and the backup pass `dhr check`. All
/// seats are open before anyone types: today drafts are keyed by meeting, not by seat,
/// so a seat opened after another has typed would be handed that text (issue 12, to be
/// covered by the per-seat drafts work, with the import, 50 lines a seat and kill -9).
#[test]
fn three_seats_of_two_logins_minute_one_meeting_while_a_backup_runs() {
    let Some(site) = Site::new(2) else {
        return;
    };
    let (a, b) = (site.logins[0], site.logins[1]);
    let (code, _, err) = run(site.dhr(a).arg("demo"));
    assert_eq!(code, 0, "{err}");
    let before = meeting_3_lines(&site.db());
    // Two logins, and a second seat of the first ("one login with two seats").
    let mut seats =
        [a, b, a].map(|uid| site.seat(uid, &["minute", "--case", "DEMO-1", "--meeting", "3"]));
    for seat in &seats {
        seat.wait_for("Enter saves", Duration::from_secs(20))
            .unwrap();
    }
    let line =
        |seat: usize, n: usize| format!("Seat {seat} of uid {} line {n:02}.", [a, b, a][seat]);
    let mut backup = None;
    let mut pause = 17u64;
    for n in 0..10 {
        if n == 3 {
            backup = Some(
                site.dhr(a)
                    .arg("backup")
                    .arg(site.shared().join("backup.sqlite3"))
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap(),
            );
        }
        for (i, seat) in seats.iter_mut().enumerate() {
            seat.send(&line(i, n));
            seat.send("\r");
            // Short uneven pauses, so the seats' commits interleave differently.
            pause = (pause * 31 + 7) % 61;
            std::thread::sleep(Duration::from_millis(pause));
        }
    }
    let backup = backup.unwrap().wait_with_output().unwrap();
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    let expected: Vec<String> = (0..3)
        .flat_map(|s| (0..10).map(move |n| (s, n)))
        .map(|(s, n)| line(s, n))
        .collect();
    let start = Instant::now();
    let mut stored = meeting_3_lines(&site.db());
    while start.elapsed() < Duration::from_secs(30) && !expected.iter().all(|l| stored.contains(l))
    {
        std::thread::sleep(Duration::from_millis(100));
        stored = meeting_3_lines(&site.db());
    }
    for seat in &mut seats {
        seat.send("\x11"); // Ctrl+Q
    }
    for seat in &mut seats {
        let screen = seat.screen();
        assert!(seat.wait().success(), "uid {}: {screen}", seat.uid);
    }
    let new: Vec<&String> = stored.iter().skip(before.len()).collect();
    // Every line exactly once, none merged, none from elsewhere.
    for l in &expected {
        assert_eq!(
            new.iter().filter(|s| **s == l).count(),
            1,
            "{l:?} in {new:#?}"
        );
    }
    assert_eq!(new.len(), expected.len(), "{new:#?}");
    // Each seat's lines in the order it typed them.
    for s in 0..3 {
        let own: Vec<&String> = new
            .iter()
            .copied()
            .filter(|l| l.starts_with(&format!("Seat {s} ")))
            .collect();
        let typed: Vec<String> = (0..10).map(|n| line(s, n)).collect();
        assert_eq!(own, typed.iter().collect::<Vec<_>>(), "seat {s}");
    }
    // Each line was written by the login of its seat, into files of the sharing group.
    let conn = rusqlite::Connection::open_with_flags(
        site.db(),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
    )
    .unwrap();
    for (s, uid) in [a, b, a].into_iter().enumerate() {
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
    for file in [site.db(), site.shared().join("backup.sqlite3")] {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(&file).unwrap();
        assert_eq!(
            (meta.mode() & 0o7777, meta.uid(), meta.gid()),
            (0o660, a, site.gid),
            "{}",
            file.display()
        );
    }
    for db in [site.db(), site.shared().join("backup.sqlite3")] {
        let (code, out, err) = run(site.dhr_on(a, &db).arg("check"));
        assert_eq!(code, 0, "{}: {out}{err}", db.display());
        assert!(out.contains("Audit chain: valid"), "{out}");
    }
}
