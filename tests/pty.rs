//! The real binary in a pseudo-terminal: what a person sees, that the terminal is always
//! restored (quit, SIGTERM, SIGHUP), and that nothing is written while idle.

mod common;

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// A running `dhr` in an 80x24 pseudo-terminal, with everything it wrote.
struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    output: Arc<Mutex<Vec<u8>>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Session {
    fn start(db: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dhr"));
        cmd.arg("--db");
        cmd.arg(db);
        for a in args {
            cmd.arg(a);
        }
        cmd.env("DHR_TODAY", TODAY);
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = output.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Session {
            child,
            writer,
            output,
            _master: pair.master,
        }
    }

    fn bytes(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    fn screen(&self) -> String {
        let mut parser = vt100::Parser::new(24, 80, 0);
        parser.process(&self.bytes());
        parser.screen().contents()
    }

    /// Waits (up to a generous limit, so a slow machine does not fail it) for `text`.
    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("never saw {text:?} on screen:\n{}", self.screen());
    }

    fn wait_gone(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if !self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{text:?} stayed on screen:\n{}", self.screen());
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "dhr did not exit"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn signal(&self, signal: nix::sys::signal::Signal) {
        let pid = self.child.process_id().unwrap() as i32;
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), signal).unwrap();
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// After the last time the workspace took the screen, it gave it back: left the
/// alternate screen, turned bracketed paste off and showed the cursor.
fn assert_restored(bytes: &[u8]) {
    let entered = find(bytes, b"\x1b[?1049h").expect("entered the alternate screen");
    let tail = &bytes[entered..];
    assert!(
        find(tail, b"\x1b[?1049l").is_some(),
        "left the alternate screen"
    );
    assert!(
        find(tail, b"\x1b[?2004l").is_some(),
        "bracketed paste turned off"
    );
    assert!(find(tail, b"\x1b[?25h").is_some(), "cursor shown again");
}

fn demo_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = private_dir();
    let db = db_in(dir.path());
    assert_eq!(run(dhr(&db).arg("demo")).0, 0);
    (dir, db)
}

#[test]
fn a_person_opens_the_demo_case_walks_the_panes_and_quits_with_the_terminal_intact() {
    let (_dir, db) = demo_db();
    let mut s = Session::start(&db, &[], &[]);
    s.wait_for("DEMO-1");
    s.send("\r");
    s.wait_for("Report due 03 Jun 2027");
    s.wait_for("OVERDUE 2");
    s.send("1");
    s.wait_for("Chronology");
    s.send("7");
    s.wait_for("Meetings: 4");
    s.send("?");
    s.wait_for("Keys: Minutes pane");
    s.send("\x1b");
    // A lone Esc is only told from Alt+key by the pause after it, as on a real line.
    s.wait_gone("Keys: Minutes pane");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    assert_restored(&s.bytes());
}

#[test]
fn sigterm_and_sighup_restore_the_terminal_and_exit() {
    for signal in [
        nix::sys::signal::Signal::SIGTERM,
        nix::sys::signal::Signal::SIGHUP,
    ] {
        let (_dir, db) = demo_db();
        let mut s = Session::start(&db, &["--case", "DEMO-1"], &[]);
        s.wait_for("Agencies: 11");
        s.signal(signal);
        s.wait_exit();
        assert_restored(&s.bytes());
    }
}

#[test]
fn nothing_is_written_while_idle() {
    let (_dir, db) = demo_db();
    let mut s = Session::start(&db, &["--case", "DEMO-1"], &[]);
    s.wait_for("Agencies: 11");
    // Let the first frame finish arriving, then watch a quiet terminal.
    std::thread::sleep(Duration::from_millis(300));
    let before = s.bytes().len();
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(s.bytes().len(), before, "bytes written while idle");
    s.send("q");
    s.wait_exit();
}

#[test]
fn no_color_and_ascii_reach_the_real_terminal() {
    let (_dir, db) = demo_db();
    let mut s = Session::start(&db, &["--case", "DEMO-1", "--ascii"], &[("NO_COLOR", "1")]);
    s.wait_for("Agencies: 11");
    let screen = s.screen();
    assert!(screen.contains("+---"), "{screen}");
    assert!(!screen.contains('┌'));
    let bytes = s.bytes();
    // No SGR foreground/background colour codes (30-37, 90-97, 40-47, 100-107, 38;/48;).
    let text = String::from_utf8_lossy(&bytes);
    for code in [
        "\x1b[31m", "\x1b[91m", "\x1b[34m", "\x1b[44m", "38;5;", "48;5;",
    ] {
        assert!(
            !text.contains(code),
            "colour code {code:?} written under NO_COLOR"
        );
    }
    s.send("q");
    s.wait_exit();
}

#[test]
fn a_panic_restores_the_terminal_before_the_message() {
    // The trigger exists only in debug builds, which is what `cargo test` runs.
    let (_dir, db) = demo_db();
    let mut s = Session::start(&db, &["--case", "DEMO-1"], &[("DHR_TEST_PANIC", "1")]);
    let status = s.wait_exit();
    assert!(!status.success());
    let bytes = s.bytes();
    assert_restored(&bytes);
    let left = bytes.windows(8).position(|w| w == b"\x1b[?1049l").unwrap();
    let message =
        find(&bytes, b"DHR_TEST_PANIC: a deliberate panic").expect("the panic message is shown");
    assert!(
        message > left,
        "the message comes after the screen is restored"
    );
}

/// Polls until `check` holds (generous limit for slow machines; not a timing test).
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("never happened: {what}");
}

#[test]
fn minutes_survive_kill_9_and_the_draft_comes_back() {
    let (_dir, db) = demo_db();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let demo_lines: i64 = conn
        .query_row("SELECT max(id) FROM minutes", [], |r| r.get(0))
        .unwrap();
    let mut s = Session::start(&db, &["minute", "--case", "DEMO-1", "--meeting", "3"], &[]);
    s.wait_for("Enter saves");
    let lines = [
        "/present Sam Okoye, independent, Family advocate",
        "/apologies Kate Rowe, housing",
        "/declare Sam Okoye: knew Adult A through a support group",
        "/item 5",
        "Note one",
        "/d Decision one",
        "/decision Decision two",
        "/a Fiona Blake, due 10 Dec: share the call logs",
        "/action Named GP (gp): review the records of Child C",
        "/c police: question one?",
        "/challenge asc: question two?",
        "/next",
        "Note two",
        "s/two/2/",
        "Note to undo",
        "/undo",
        "//slash note",
        "/approve 2",
        "/amend 1: item 7 should say the police asked for more time",
        "Final note",
    ];
    for line in lines {
        s.send(line);
        s.send("\r");
    }
    s.send("Unfinished draft text");
    // Only the lines this run wrote, after the demo's own.
    let texts = |conn: &rusqlite::Connection| -> Vec<String> {
        let mut stmt = conn
            .prepare(
                "SELECT m.body FROM minutes m JOIN meetings t ON t.id = m.meeting_id
                 WHERE t.number = 3 AND m.deleted_at IS NULL AND m.id > ?1 ORDER BY m.position",
            )
            .unwrap();
        stmt.query_map([demo_lines], |r| r.get(0))
            .unwrap()
            .collect::<Result<Vec<String>, _>>()
            .unwrap()
    };
    eventually("the last line is committed", || {
        texts(&conn).last().is_some_and(|t| t == "Final note")
    });
    eventually("the draft is saved", || {
        conn.query_row(
            "SELECT count(*) FROM drafts WHERE body = 'Unfinished draft text'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            == 1
    });
    s.signal(nix::sys::signal::Signal::SIGKILL);
    s.wait_exit();

    let expected = [
        "Sam Okoye present",
        "Apologies from Kate Rowe (HOUSING)",
        "Sam Okoye: knew Adult A through a support group",
        "Note one",
        "Decision one",
        "Decision two",
        "Fiona Blake (POLICE), due 10 Dec 2026: share the call logs",
        "Named GP (GP): review the records of Child C",
        "POLICE: question one?",
        "ASC: question two?",
        "Note 2",
        "/slash note",
        "The minutes of meeting 2 were approved as a true record.",
        "Amendment to the minutes of meeting 1: item 7 should say the police asked for more time",
        "Final note",
    ];
    let got = texts(&conn);
    assert_eq!(
        got, expected,
        "every committed line, in order, and the withdrawn one gone"
    );
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    assert_eq!(
        count(
            "SELECT count(*) FROM decisions WHERE body IN ('Decision one', 'Decision two') AND deleted_at IS NULL"
        ),
        2
    );
    assert_eq!(
        count("SELECT count(*) FROM actions WHERE body = 'share the call logs'"),
        1
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM challenges WHERE question IN ('question one?', 'question two?')"
        ),
        2
    );
    assert_eq!(
        count(
            "SELECT count(*) FROM meetings WHERE number = 2 AND status = 'approved' AND length(fingerprint) = 64"
        ),
        1
    );
    assert_eq!(count("SELECT count(*) FROM amendments"), 1);

    // Start again: the draft is offered back in the input.
    let mut again = Session::start(&db, &["minute", "--case", "DEMO-1", "--meeting", "3"], &[]);
    again.wait_for("Unfinished draft text");
    again.wait_for("is back in the input");
    again.send("\x11"); // Ctrl+Q
    again.wait_exit();
    let (code, out, _) = run(dhr(&db).arg("check"));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Audit chain: valid"));
}

#[test]
fn a_chronology_entry_being_typed_survives_kill_9() {
    let (_dir, db) = demo_db();
    let mut s = Session::start(&db, &["--case", "DEMO-1"], &[]);
    s.wait_for("Agencies: 11");
    s.send("1");
    s.wait_for("Chronology");
    s.send("a");
    s.wait_for("New chronology entry");
    s.send("c. 2018\t\t\t\tAdult A told a neighbour she was frightened");
    let conn = rusqlite::Connection::open(&db).unwrap();
    eventually("the form's draft is saved", || {
        conn.query_row(
            "SELECT count(*) FROM drafts WHERE body LIKE '%frightened%'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
            == 1
    });
    s.signal(nix::sys::signal::Signal::SIGKILL);
    s.wait_exit();

    let mut again = Session::start(&db, &["--case", "DEMO-1"], &[]);
    again.wait_for("Agencies: 11");
    again.send("1");
    again.wait_for("Chronology");
    again.send("a");
    again.wait_for("Adult A told a neighbour she was frightened");
    again.wait_for("Your unsaved text from");
    again.send("\x0f"); // Ctrl+O saves it
    again.wait_for("Entry added.");
    again.send("q");
    again.wait_exit();
    let saved: i64 = conn
        .query_row("SELECT count(*) FROM chronology WHERE event = 'Adult A told a neighbour she was frightened'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(saved, 1);
    let drafts: i64 = conn
        .query_row("SELECT count(*) FROM drafts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(drafts, 0, "saved, the draft is gone");
}
