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
    stop: Arc<std::sync::atomic::AtomicBool>,
    reading: Option<std::thread::JoinHandle<()>>,
}

impl Session {
    fn start(db: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Session {
        Session::start_as(db, args, env, true)
    }

    /// `controlling_tty: false` starts the program without the pseudo-terminal as its
    /// controlling terminal, as `su` or `runuser` leave it: closing the terminal then
    /// sends it no SIGHUP.
    fn start_as(
        db: &std::path::Path,
        args: &[&str],
        env: &[(&str, &str)],
        controlling_tty: bool,
    ) -> Session {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dhr"));
        cmd.set_controlling_tty(controlling_tty);
        cmd.arg("--db");
        cmd.arg(db);
        for a in args {
            cmd.arg(a);
        }
        cmd.env("DHR_TODAY", TODAY);
        // Drafts and witnesses go to this test run's data folder, not the runner's home.
        cmd.env("XDG_DATA_HOME", data_home());
        cmd.env("TERM", "xterm-256color");
        // A UTF-8 locale, whatever the runner has: the screens tested are the Unicode ones.
        cmd.env("LANG", "C.UTF-8");
        cmd.env_remove("LC_ALL");
        cmd.env_remove("LC_CTYPE");
        cmd.env_remove("NO_COLOR");
        // An empty value takes the variable away (`TERM` unset).
        for (k, v) in env {
            if v.is_empty() {
                cmd.env_remove(k);
            } else {
                cmd.env(k, v);
            }
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = output.clone();
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopping = stop.clone();
        let master_fd = pair.master.as_raw_fd().unwrap();
        let reading = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            // Waits for bytes a little at a time, so the test can stop it and close the
            // terminal (the reader holds a copy of the master side).
            while !stopping.load(std::sync::atomic::Ordering::SeqCst) {
                let mut fds = [libc::pollfd {
                    fd: master_fd,
                    events: libc::POLLIN,
                    revents: 0,
                }];
                // SAFETY: one valid pollfd; the master outlives this thread (joined first).
                let ready = unsafe { libc::poll(fds.as_mut_ptr(), 1, 50) };
                if ready <= 0 {
                    continue;
                }
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => sink.lock().unwrap().extend_from_slice(&buf[..n]),
                }
            }
        });
        Session {
            child,
            writer,
            output,
            _master: pair.master,
            stop,
            reading: Some(reading),
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

    /// Where the terminal's cursor is, (row, column), as vt100 reads it.
    fn cursor(&self) -> (u16, u16) {
        let mut parser = vt100::Parser::new(24, 80, 0);
        parser.process(&self.bytes());
        parser.screen().cursor_position()
    }

    /// Waits for the cursor to be at `at`.
    fn wait_cursor(&self, at: (u16, u16)) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if self.cursor() == at {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "the cursor stayed at {:?}, not {at:?}:\n{}",
            self.cursor(),
            self.screen()
        );
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
                // Everything it wrote is read before anyone looks at it.
                if let Some(reading) = self.reading.take() {
                    while !reading.is_finished() && start.elapsed() < Duration::from_secs(20) {
                        std::thread::sleep(Duration::from_millis(10));
                    }
                }
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

/// Waits for the output to stop (`quiet` without a byte), then says how many bytes come
/// in the next `window`, and how many times the program woke meanwhile.
fn idle(s: &Session, quiet: Duration, window: Duration) -> (usize, u64) {
    let start = Instant::now();
    let mut last = s.bytes().len();
    let mut since = Instant::now();
    while since.elapsed() < quiet {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the output never settled"
        );
        std::thread::sleep(Duration::from_millis(20));
        let now = s.bytes().len();
        if now != last {
            (last, since) = (now, Instant::now());
        }
    }
    let sleeps = s.sleeps();
    std::thread::sleep(window);
    (s.bytes().len() - last, s.sleeps() - sleeps)
}

/// [`idle`]'s bytes.
fn bytes_while_idle(s: &Session, quiet: Duration, window: Duration) -> usize {
    idle(s, quiet, window).0
}

impl Session {
    /// How many times its threads went to sleep waiting for something (voluntary context
    /// switches, summed over its threads): each is a wake-up after.
    fn sleeps(&self) -> u64 {
        let tasks = format!("/proc/{}/task", self.pid());
        std::fs::read_dir(tasks)
            .map(|dir| {
                dir.flatten()
                    .filter_map(|t| std::fs::read_to_string(t.path().join("status")).ok())
                    .filter_map(|status| {
                        status
                            .lines()
                            .find_map(|l| l.strip_prefix("voluntary_ctxt_switches:"))
                            .and_then(|n| n.trim().parse::<u64>().ok())
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
}

#[test]
fn nothing_is_written_while_idle() {
    let (_dir, db) = demo_db();
    let mut s = Session::start(&db, &["--case", "DEMO-1"], &[]);
    s.wait_for("Agencies: 11");
    // Nothing written, and nothing woke it (no timer, no poll).
    let (bytes, woken) = idle(&s, Duration::from_millis(300), Duration::from_secs(2));
    assert_eq!(
        (bytes, woken),
        (0, 0),
        "bytes written and wake-ups while idle"
    );
    s.send("q");
    s.wait_exit();
    // Nor after typing, once the text typed is saved as a draft (its mark drawn).
    let mut s = minuting(&db, &[]);
    s.send("Typed, then left");
    s.wait_for("Typed, then left");
    eventually("the draft saved", || {
        meeting_3_draft(&db).as_deref() == Some("Typed, then left")
    });
    let (bytes, woken) = idle(&s, Duration::from_millis(1500), Duration::from_secs(2));
    assert_eq!(
        (bytes, woken),
        (0, 0),
        "bytes written and wake-ups while idle after typing"
    );
    s.send("\x1b");
    s.wait_for("i type");
    s.send("q");
    s.wait_exit();
}

#[test]
fn another_seats_line_appears_without_a_key_whether_the_database_is_watched_or_polled() {
    for (env, says) in [
        (vec![], None),
        (
            vec![("DHR_TEST_NO_INOTIFY", "1")],
            Some("Changes by other seats are looked for once a second here"),
        ),
    ] {
        let (_dir, db) = demo_db();
        let mut watching =
            Session::start(&db, &["minute", "--case", "DEMO-1", "--meeting", "3"], &env);
        match says {
            Some(text) => watching.wait_for(text),
            None => watching.wait_for("Enter saves"),
        }
        let mut other = minuting(&db, &[]);
        other.send("The chair noted the late IMR from the GP surgery\r");
        eventually("the line written", || {
            minute_bodies(&db)
                .contains(&"The chair noted the late IMR from the GP surgery".to_string())
        });
        // No key pressed on the watching seat: the line appears there.
        watching.wait_for("The chair noted the late IMR");
        for s in [&mut other, &mut watching] {
            s.send("\x1b");
            s.wait_for("i type");
            s.send("q");
            assert!(s.wait_exit().success());
        }
    }
}

#[test]
fn an_idle_workspace_covers_the_case_and_the_first_key_only_uncovers() {
    let (_dir, db) = demo_db();
    // Seconds, not minutes: the knob tests have.
    let mut s = minuting(&db, &[("DHR_LOCK_AFTER_SECS", "2")]);
    s.send("Half a line about the school");
    s.wait_for("Half a line about the school");
    s.wait_for("Press any key");
    let covered = s.screen();
    assert!(covered.contains("OFFICIAL-SENSITIVE"), "{covered}");
    for detail in [
        "DEMO-1",
        "Half a line",
        "Meeting 3",
        "Enter save",
        "Report due",
    ] {
        assert!(
            !covered.contains(detail),
            "{detail:?} under the cover:\n{covered}"
        );
    }
    // Covered, nothing is drawn; the draft was still saved.
    assert_eq!(
        bytes_while_idle(&s, Duration::from_millis(300), Duration::from_millis(1500)),
        0
    );
    assert_eq!(
        meeting_3_draft(&db).as_deref(),
        Some("Half a line about the school")
    );
    // Enter only uncovers: the line is not written, and stays in the input.
    s.send("\r");
    s.wait_for("Half a line about the school");
    assert!(!s.screen().contains("Press any key"));
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !minute_bodies(&db).iter().any(|b| b.contains("Half a line")),
        "the key that uncovered was passed on"
    );
    // Outside the input, q only uncovers too: the workspace is still there.
    s.send("\x1b");
    s.wait_for("i type");
    s.wait_for("Press any key");
    s.send("q");
    s.wait_for("i type");
    assert!(
        s.child.try_wait().unwrap().is_none(),
        "q quit under the cover"
    );
    s.send("q");
    assert!(s.wait_exit().success());
}

#[test]
fn no_color_and_ascii_reach_the_real_terminal() {
    let (_dir, db) = demo_db();
    let mut s = Session::start(&db, &["--case", "DEMO-1", "--ascii"], &[("NO_COLOR", "1")]);
    s.wait_for("Agencies: 11");
    let screen = s.screen();
    assert!(screen.contains("+---"), "{screen}");
    assert!(!screen.contains('┌'));
    // No SGR colour parameter at all (30-39, 40-49, 90-97, 100-107, 38;… 48;…).
    let coloured: Vec<String> = sgr_parameters(&s.bytes())
        .into_iter()
        .filter(|p| sets_colour(p))
        .collect();
    assert!(coloured.is_empty(), "colour under NO_COLOR: {coloured:?}");
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
        seat_drafts(&db)
            .iter()
            .filter(|(_, t)| t == "Unfinished draft text")
            .count()
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
        seat_drafts(&db)
            .iter()
            .filter(|(_, t)| t.contains("frightened"))
            .count()
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
    assert_eq!(seat_drafts(&db), Vec::new(), "saved, the draft is gone");
}

impl Session {
    fn pid(&self) -> i32 {
        self.child.process_id().unwrap() as i32
    }

    /// The process state letter from /proc (R, S, T for stopped…).
    fn state(&self) -> char {
        let stat =
            std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).unwrap_or_default();
        stat.rsplit(')')
            .next()
            .and_then(|rest| rest.trim().chars().next())
            .unwrap_or('?')
    }

    fn wait_state(&self, want: char) {
        eventually(&format!("process state {want}"), || self.state() == want);
    }

    /// Whether the terminal is in raw mode (no line editing, no echo, CR not made LF).
    fn raw(&self) -> bool {
        let t = self._master.get_termios().expect("termios");
        let local = t.local_flags.bits();
        let input = t.input_flags.bits();
        local & (libc::ICANON | libc::ECHO) == 0 && input & libc::ICRNL == 0
    }

    /// Closes the terminal without a signal: the reader stops, the master side is closed.
    fn hang_up(mut self) -> Box<dyn portable_pty::Child + Send + Sync> {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        if let Some(reading) = self.reading.take() {
            reading.join().unwrap();
        }
        // portable-pty's writer sends a line break and the end-of-file character when it
        // is dropped (for programs reading lines); a dropped connection sends nothing, so
        // that character is unset first.
        let fd = self._master.as_raw_fd().unwrap();
        // SAFETY: termios of a valid open descriptor, read then written back.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            assert_eq!(libc::tcgetattr(fd, &mut t), 0);
            t.c_cc[libc::VEOF] = 0;
            assert_eq!(libc::tcsetattr(fd, libc::TCSANOW, &t), 0);
        }
        let Session {
            child,
            writer,
            _master,
            ..
        } = self;
        drop(writer);
        drop(_master);
        child
    }
}

fn meeting_3_draft(db: &std::path::Path) -> Option<String> {
    meeting_draft(db, 3)
}

fn minute_bodies(db: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT body FROM minutes WHERE deleted_at IS NULL ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<Vec<String>, _>>()
        .unwrap()
}

fn minuting(db: &std::path::Path, env: &[(&str, &str)]) -> Session {
    let s = Session::start(db, &["minute", "--case", "DEMO-1", "--meeting", "3"], env);
    s.wait_for("Enter saves");
    s
}

#[test]
fn every_terminating_signal_saves_the_draft_restores_the_terminal_and_exits_128_plus_it() {
    use nix::sys::signal::Signal::*;
    for signal in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGALRM] {
        let (_dir, db) = demo_db();
        let mut s = minuting(&db, &[]);
        let text = format!("Typed before {signal}");
        s.send(&text);
        s.wait_for(&text);
        s.signal(signal);
        let status = s.wait_exit();
        assert_eq!(
            status.exit_code(),
            128 + signal as u32,
            "{signal}: {status:?}"
        );
        assert_restored(&s.bytes());
        assert_eq!(
            meeting_3_draft(&db).as_deref(),
            Some(text.as_str()),
            "{signal}"
        );
    }
}

#[test]
fn ctrl_z_and_sigtstp_suspend_like_vim_and_fg_takes_the_terminal_back() {
    let (_dir, db) = demo_db();
    let mut s = minuting(&db, &[]);
    assert!(s.raw());
    s.send("Typed before stopping");
    s.wait_for("Typed before stopping");
    // In the minutes input Ctrl+Z asks first (Windows users press it to undo): n goes on.
    s.send("\x1a");
    s.wait_for("Stop for now?");
    s.send("n");
    s.wait_gone("Stop for now?");
    assert_ne!(s.state(), 'T');
    // y stops: the draft is saved, the terminal is given back as it was, the process stops.
    let before = s.bytes().len();
    s.send("\x1a");
    s.wait_for("Stop for now?");
    s.send("y");
    s.wait_state('T');
    assert_eq!(
        meeting_3_draft(&db).as_deref(),
        Some("Typed before stopping")
    );
    // (The bytes written just before stopping may still be on their way to the reader.)
    eventually("left the alternate screen, bracketed paste off", || {
        let during = s.bytes()[before..].to_vec();
        find(&during, b"\x1b[?1049l").is_some() && find(&during, b"\x1b[?2004l").is_some()
    });
    assert!(!s.raw(), "the shell gets a cooked terminal");
    // fg: raw mode, the alternate screen and the whole screen again.
    let before = s.bytes().len();
    s.signal(nix::sys::signal::Signal::SIGCONT);
    eventually("redrawn after fg", || {
        let bytes = s.bytes();
        let after = &bytes[before..];
        find(after, b"\x1b[?1049h").is_some() && {
            let mut parser = vt100::Parser::new(24, 80, 0);
            parser.process(after);
            let screen = parser.screen().contents();
            screen.contains("Typed before stopping") && screen.contains("DEMO-1")
        }
    });
    assert!(s.raw(), "raw mode again after fg");
    // Enter is Enter again (not a line break): the line is committed.
    s.send("\r");
    eventually("the line typed before stopping is committed", || {
        minute_bodies(&db).contains(&"Typed before stopping".to_string())
    });
    // SIGTSTP from `kill` suspends the same way; SIGCONT brings it back.
    s.send("Second thought");
    s.wait_for("Second thought");
    let before = s.bytes().len();
    s.signal(nix::sys::signal::Signal::SIGTSTP);
    s.wait_state('T');
    eventually("left the alternate screen", || {
        find(&s.bytes()[before..], b"\x1b[?1049l").is_some()
    });
    assert!(!s.raw());
    assert_eq!(meeting_3_draft(&db).as_deref(), Some("Second thought"));
    s.signal(nix::sys::signal::Signal::SIGCONT);
    eventually("raw mode after SIGCONT", || s.raw());
    // Outside a text input Ctrl+Z stops at once.
    s.send("\x1b");
    s.wait_for("i type");
    s.send("\x1a");
    s.wait_state('T');
    s.signal(nix::sys::signal::Signal::SIGCONT);
    eventually("raw mode after the second fg", || s.raw());
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    assert_restored(&s.bytes());
}

#[test]
fn a_terminal_that_goes_away_without_a_signal_is_a_hang_up() {
    // As under `runuser` or `su`: the terminal is not the program's controlling terminal,
    // so closing it sends no SIGHUP; the reads fail, and that is a hang-up.
    let (_dir, db) = demo_db();
    let s = Session::start_as(
        &db,
        &["minute", "--case", "DEMO-1", "--meeting", "3"],
        &[],
        false,
    );
    s.wait_for("Enter saves");
    let mut s = s;
    s.send("Words typed as the line dropped");
    s.wait_for("Words typed as the line dropped");
    let mut child = s.hang_up();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "dhr kept running after its terminal went away"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.exit_code(), 129, "{status:?}");
    assert_eq!(
        meeting_3_draft(&db).as_deref(),
        Some("Words typed as the line dropped")
    );
}

/// Limits the size of any file `pid` writes (RLIMIT_FSIZE), as a full disk would.
fn limit_file_size(pid: i32, bytes: u64) {
    let limit = libc::rlimit {
        rlim_cur: bytes,
        rlim_max: bytes,
    };
    // SAFETY: plain system call with a valid rlimit and no old value asked for.
    let rc = unsafe { libc::prlimit(pid, libc::RLIMIT_FSIZE, &limit, std::ptr::null_mut()) };
    assert_eq!(rc, 0, "prlimit: {}", std::io::Error::last_os_error());
}

#[test]
fn a_line_the_full_disk_will_not_take_waits_in_a_private_file_is_printed_on_leaving_and_written_next_time()
 {
    use std::os::unix::fs::PermissionsExt;
    let (dir, db) = demo_db();
    let data = dir.path().join("data");
    let data_env = data.to_str().unwrap().to_string();
    let mut s = minuting(&db, &[("XDG_DATA_HOME", &data_env)]);
    // One line committed, so the database's write-ahead log exists; then no file may grow
    // past its size: the next write of the database fails, as on a full disk.
    s.send("First line saved\r");
    eventually("the first line is committed", || {
        minute_bodies(&db).contains(&"First line saved".to_string())
    });
    let wal = std::fs::metadata(db.with_extension("sqlite3-wal"))
        .or_else(|_| std::fs::metadata(format!("{}-wal", db.display())))
        .expect("the write-ahead log")
        .len();
    limit_file_size(s.pid(), wal);
    s.send("Words the full disk would have lost\r");
    s.wait_for("not saved yet (the line is kept and tried again)");
    // The line waits, shown as waiting; it is kept in the seat's private file.
    s.wait_for("waiting  Words the full disk would have lost");
    let folder = data.join("dhr-panel").join("drafts");
    let file = std::fs::read_dir(&folder)
        .expect("the drafts folder")
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("seat-")
        })
        .expect("the seat's file");
    let kept = std::fs::read_to_string(&file).unwrap();
    assert!(
        kept.contains("Words the full disk would have lost"),
        "{kept}"
    );
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "readable by this login only");
    // Quitting asks; n stays, Ctrl+C then y leaves.
    s.send("\x03");
    s.wait_for("Leave with lines not written?");
    s.send("n");
    s.wait_gone("Leave with lines not written?");
    s.send("\x03");
    s.wait_for("Leave with lines not written?");
    s.send("y");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    let bytes = s.bytes();
    assert_restored(&bytes);
    // Printed after the terminal is restored, with where it is kept.
    let left = find(&bytes, b"\x1b[?1049l").unwrap();
    let after = String::from_utf8_lossy(&bytes[left..]);
    assert!(
        after.contains("Words the full disk would have lost"),
        "{after}"
    );
    assert!(after.contains("seat-"), "{after}");
    // Room on the disk again: the next start writes the line, once.
    let mut again = minuting(&db, &[("XDG_DATA_HOME", &data_env)]);
    again.wait_for("Written now: 1 line from a window that closed");
    eventually("the kept line is written", || {
        minute_bodies(&db)
            .iter()
            .filter(|b| *b == "Words the full disk would have lost")
            .count()
            == 1
    });
    again.send("\x1b");
    again.wait_for("i type");
    again.send("q");
    again.wait_exit();
    assert!(!file.exists(), "nothing left to keep: the file goes");
}

#[test]
fn esc_in_a_form_with_changes_asks_keep_editing_save_or_discard() {
    let (_dir, db) = demo_db();
    let mut s = Session::start(&db, &["--case", "DEMO-1"], &[]);
    s.wait_for("Agencies: 11");
    s.send("1");
    s.wait_for("Chronology");
    // Without changes Esc closes at once.
    s.send("a");
    s.wait_for("New chronology entry");
    s.send("\x1b");
    s.wait_gone("New chronology entry");
    // With changes it asks; Esc (or 1) keeps editing with the text there.
    s.send("a");
    s.wait_for("New chronology entry");
    s.send("c. 2018\t\t\t\tA neighbour heard shouting");
    s.wait_for("A neighbour heard shouting");
    s.send("\x1b");
    s.wait_for("You changed this form");
    s.send("\x1b");
    s.wait_gone("You changed this form");
    s.wait_for("A neighbour heard shouting");
    // 3 discards: nothing saved.
    s.send("\x1b");
    s.wait_for("You changed this form");
    s.send("3");
    s.wait_gone("New chronology entry");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let count = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM chronology WHERE event = 'A neighbour heard shouting'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(count(&conn), 0);
    // 2 saves.
    s.send("a");
    s.wait_for("New chronology entry");
    s.send("c. 2018\t\t\t\tA neighbour heard shouting");
    s.wait_for("A neighbour heard shouting");
    s.send("\x1b");
    s.wait_for("You changed this form");
    s.send("2");
    s.wait_for("Entry added.");
    assert_eq!(count(&conn), 1);
    s.send("q");
    s.wait_exit();
}

#[test]
fn while_another_process_holds_the_database_each_key_shows_lines_wait_and_are_written_separately() {
    let (_dir, db) = demo_db();
    let mut s = minuting(&db, &[]);
    // Another program holds the write lock (an import inside its transaction, say).
    let holder = rusqlite::Connection::open(&db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    let first = "Police said the MARAC referral was made";
    let second = "GP said Adult A was seen twice";
    // Every character typed appears on the screen at once: nothing waits for the lock.
    let mut typed = String::new();
    for c in first.chars() {
        typed.push(c);
        s.send(&c.to_string());
        s.wait_for(&typed);
    }
    s.send("\r");
    s.wait_for("1 line waiting, held by");
    s.wait_for(&format!("waiting  {first}"));
    let mut typed = String::new();
    for c in second.chars() {
        typed.push(c);
        s.send(&c.to_string());
        s.wait_for(&typed);
    }
    s.send("\r");
    s.wait_for("2 lines waiting");
    assert!(!minute_bodies(&db).iter().any(|b| b == first || b == second));
    // Free again: both are written, each once, in order, never joined.
    holder.execute_batch("ROLLBACK").unwrap();
    eventually("both lines are written", || {
        let bodies = minute_bodies(&db);
        bodies.iter().filter(|b| *b == first).count() == 1
            && bodies.iter().filter(|b| *b == second).count() == 1
    });
    let bodies = minute_bodies(&db);
    let at = |t: &str| bodies.iter().position(|b| b == t).unwrap();
    assert!(at(first) < at(second));
    assert!(
        !bodies
            .iter()
            .any(|b| b.contains(first) && b.contains(second))
    );
    s.wait_gone("waiting");
    s.send("\x1b");
    s.wait_for("i type");
    s.send("q");
    assert!(s.wait_exit().success());
}

#[test]
fn a_second_window_on_the_same_meeting_is_named_on_the_status_line_and_what_holds_the_database_is_named()
 {
    let (_dir, db) = demo_db();
    let mut first = minuting(&db, &[]);
    let mut second = minuting(&db, &[]);
    second.wait_for("also here: you, in another window");
    first.wait_for("also here: you, in another window");
    // An import by another login, still running (a process of this host), holds the
    // database: the waiting line names it.
    let mut importer = std::process::Command::new("sleep")
        .arg("60")
        .spawn()
        .unwrap();
    let seat = dhr_panel::seat::Seat::of_process(importer.id(), "alice").unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "INSERT INTO seats (seat, login, kind, case_id, meeting_id, what, since)
         VALUES (?1, 'alice', 'import', NULL, NULL, 'gp-chronology.csv', '2026-11-26T09:02:00Z')",
        [seat.id()],
    )
    .unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    first.send("A line while alice imports\r");
    first.wait_for("held by an import by alice of gp-chronology.csv");
    conn.execute_batch("ROLLBACK").unwrap();
    first.wait_gone("waiting");
    let _ = importer.kill();
    let _ = importer.wait();
    // The second window leaves: the first no longer names it.
    second.send("\x1b");
    second.wait_for("i type");
    second.send("q");
    assert!(second.wait_exit().success());
    first.wait_gone("also here");
    first.send("\x1b");
    first.wait_for("i type");
    first.send("q");
    assert!(first.wait_exit().success());
    assert_eq!(
        minute_bodies(&db)
            .iter()
            .filter(|b| *b == "A line while alice imports")
            .count(),
        1
    );
}

#[test]
fn the_cursor_is_drawn_where_the_text_goes_after_left_right_home_and_end() {
    let (_dir, db) = demo_db();
    let mut s = minuting(&db, &[]);
    s.send("abcdef");
    s.wait_for("abcdef");
    let (row, end) = s.cursor();
    s.send("\x1b[D\x1b[D");
    s.wait_cursor((row, end - 2));
    s.send("\x1b[H");
    s.wait_cursor((row, end - 6));
    s.send("\x1b[C");
    s.wait_cursor((row, end - 5));
    s.send("\x1b[F");
    s.wait_cursor((row, end));
    // A mid-line correction: the character goes where the cursor is drawn.
    s.send("\x1b[D\x1b[DX");
    s.wait_for("abcdXef");
    s.send("\x11");
    s.wait_exit();
}

#[test]
fn pgup_scrolls_while_typing_and_f1_opens_the_inputs_help() {
    let (_dir, db) = demo_db();
    let mut s = minuting(&db, &[]);
    for n in 1..=25 {
        s.send(&format!("Line number {n} of the pty test\r"));
        s.wait_for(&format!("Line number {n} of the pty test"));
    }
    s.send("\x1b[5~");
    s.wait_for("scrolled back");
    s.wait_gone("Line number 25 of");
    s.send("still typing");
    s.wait_for("still typing");
    s.wait_for("Line number 25 of");
    s.send("\x1bOP");
    s.wait_for("Keys: the minutes input");
    s.wait_for("/declare NAME: TEXT");
    s.send("\x1bOP");
    s.wait_gone("Keys: the minutes input");
    s.wait_for("still typing");
    s.send("\x03");
    s.wait_for("Quit during the meeting?");
    s.send("y");
    s.wait_exit();
}

#[test]
fn ctrl_c_mid_meeting_asks_and_n_keeps_the_draft_and_does_not_quit() {
    let (_dir, db) = demo_db();
    let mut s = minuting(&db, &[]);
    s.send("half a sentence");
    s.wait_for("half a sentence");
    s.send("\x03");
    s.wait_for("Quit during the meeting?");
    s.send("n");
    s.wait_gone("Quit during the meeting?");
    s.send(" more");
    s.wait_for("half a sentence more");
    s.send("\x03");
    s.wait_for("Quit during the meeting?");
    s.send("\x03");
    s.wait_exit();
    assert_eq!(
        meeting_3_draft(&db).as_deref(),
        Some("half a sentence more")
    );
}

#[test]
fn closing_and_starting_a_meeting_not_dated_today_ask_and_keep_its_planned_time() {
    let (_dir, db) = demo_db();
    let mut s = Session::start(&db, &["--case", "DEMO-1"], &[]);
    s.wait_for("Agencies");
    s.send("7");
    s.wait_for("Meetings: 4");
    s.send("c");
    s.wait_for("Close meeting 3?");
    s.send("n");
    s.wait_gone("Close meeting 3?");
    s.send("\x1b[B");
    s.send("s");
    s.wait_for("Start meeting 4?");
    s.send("y");
    s.wait_gone("Start meeting 4?");
    s.send("q");
    s.wait_exit();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let rows: Vec<(i64, String, String)> = conn
        .prepare("SELECT number, status, start_time FROM meetings WHERE number IN (3, 4) ORDER BY number")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        vec![
            (3, "in_progress".into(), "10:00".into()),
            (4, "in_progress".into(), "10:00".into())
        ]
    );
}

/// The lines a test added to meeting 3 after the demo's own (`after` is the demo's last
/// minute id): (agenda item, kind, body, withdrawn), in the minutes' order.
fn meeting_3_lines(db: &std::path::Path, after: i64) -> Vec<(i64, String, String, bool)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT i.position, m.kind, m.body, m.deleted_at IS NOT NULL
             FROM minutes m JOIN meetings t ON t.id = m.meeting_id
             JOIN agenda_items i ON i.id = m.agenda_item_id
             WHERE t.number = 3 AND m.id > ?1 ORDER BY m.position, m.id",
        )
        .unwrap();
    stmt.query_map([after], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// The body of the newest line of meeting 3 that is not withdrawn.
fn last_line_of_meeting_3(db: &std::path::Path) -> Option<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT m.body FROM minutes m JOIN meetings t ON t.id = m.meeting_id
         WHERE t.number = 3 AND m.deleted_at IS NULL ORDER BY m.position DESC, m.id DESC LIMIT 1",
        [],
        |r| r.get(0),
    )
    .ok()
}

/// What the secretary types, and what tells them it was taken.
enum Then {
    /// The line is saved with this text.
    Saved(&'static str),
    /// The line is saved with this text and this message is shown.
    SavedSaying(&'static str, &'static str),
    /// Nothing is saved; this is shown (an item change).
    Shows(&'static str),
}

impl Session {
    /// Types `text` as a person does, sees it in the input, presses Enter and waits for
    /// what tells them it was taken.
    fn minute_line(&mut self, db: &std::path::Path, text: &str, then: Then) {
        self.send(text);
        // The input shows the end of what was typed (a long line scrolls in the box).
        let tail: String = {
            let chars: Vec<char> = text.chars().collect();
            chars[chars.len().saturating_sub(30)..].iter().collect()
        };
        self.wait_for(&tail);
        self.send("\r");
        match then {
            Then::Saved(body) => self.wait_saved(db, text, body),
            Then::SavedSaying(body, message) => {
                self.wait_saved(db, text, body);
                self.wait_for(message);
            }
            Then::Shows(what) => self.wait_for(what),
        }
    }

    /// Waits for the newest line of meeting 3 to be `body`.
    fn wait_saved(&self, db: &std::path::Path, typed: &str, body: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if last_line_of_meeting_3(db).as_deref() == Some(body) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "{typed:?} was not saved as {body:?} (the newest line is {:?}):\n{}",
            last_line_of_meeting_3(db),
            self.screen()
        );
    }
}

#[test]
fn a_whole_meeting_minuted_at_80x24_under_no_color_and_ascii_gives_exactly_the_intended_records() {
    use Then::*;
    let (_dir, db) = demo_db();
    let conn = rusqlite::Connection::open(&db).unwrap();
    let demo_last: i64 = conn
        .query_row("SELECT max(id) FROM minutes", [], |r| r.get(0))
        .unwrap();
    let last_id = |table: &str| -> i64 {
        conn.query_row(
            &format!("SELECT ifnull(max(id), 0) FROM {table}"),
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let before: Vec<i64> = [
        "decisions",
        "actions",
        "challenges",
        "declarations",
        "amendments",
    ]
    .iter()
    .map(|t| last_id(t))
    .collect();
    let mut s = Session::start(
        &db,
        &["--ascii", "minute", "--case", "DEMO-1", "--meeting", "3"],
        &[("NO_COLOR", "1")],
    );
    s.wait_for("Enter saves");
    let db = db.as_path();

    // 1. Welcome, introductions and apologies: attendance as people are named.
    s.minute_line(db, "/item 1", Shows("1. Welcome, introductions"));
    // A panel member in another letter case, no agency given (was absent).
    s.minute_line(
        db,
        "/present deborah kaur",
        SavedSaying("Deborah Kaur present", "Deborah Kaur present."),
    );
    // One word, when no one else has that name (a deputy on the list).
    s.minute_line(
        db,
        "/present Aziz",
        SavedSaying("Tariq Aziz present", "Tariq Aziz present."),
    );
    // A member without her title ("Dr Ruth Okafor"), who sent apologies: arrived late.
    s.minute_line(
        db,
        "/present Ruth Okafor",
        SavedSaying(
            "Dr Ruth Okafor present",
            "Dr Ruth Okafor arrived late: moved from apologies to present.",
        ),
    );
    // An organisation that is not an agency of the case, with a role.
    s.minute_line(
        db,
        "/present Jo Bloggs, Northgate CSP, Panel Secretary",
        SavedSaying("Jo Bloggs (Northgate CSP) present", "(added as a guest)"),
    );
    // "Name (Organisation)", a comma inside the brackets.
    s.minute_line(
        db,
        "/present Priya Shah (Harbour Family Advocacy, Northgate)",
        Saved("Priya Shah (Harbour Family Advocacy, Northgate) present"),
    );
    // "Name (Agency)" by code.
    s.minute_line(
        db,
        "/present Karen Doyle (MHT)",
        Saved("Karen Doyle (MHT) present"),
    );
    // An agency code in lower case, then a role.
    s.minute_line(
        db,
        "/present Chloe Waters, housing, Deputy Housing Options Manager",
        Saved("Chloe Waters (HOUSING) present"),
    );
    // Independent.
    s.minute_line(
        db,
        "/present Sam Okoye, independent, Family advocate",
        Saved("Sam Okoye present"),
    );
    // Apologies from someone not yet on the list (arrives later).
    s.minute_line(
        db,
        "/apologies Paul Ingram, acute",
        Saved("Apologies from Paul Ingram (ACUTE)"),
    );
    s.minute_line(
        db,
        "The chair welcomed Jo Bloggs, the new panel secretary",
        Saved("The chair welcomed Jo Bloggs, the new panel secretary"),
    );

    // 2. Declarations of interest.
    s.minute_line(db, "/next", Shows("2. Declarations of interest"));
    s.minute_line(
        db,
        "/declare Sam Okoye: knew Adult A through a support group",
        Saved("Sam Okoye: knew Adult A through a support group"),
    );
    s.minute_line(
        db,
        "The chair was satisfied the declaration does not affect the review",
        Saved("The chair was satisfied the declaration does not affect the review"),
    );

    // 3. Minutes of meeting 2.
    s.minute_line(db, "/next", Shows("3. Minutes of meeting 2"));
    s.minute_line(
        db,
        "/approve 2",
        SavedSaying(
            "The minutes of meeting 2 were approved as a true record.",
            "Meeting 2 approved and locked",
        ),
    );
    s.minute_line(
        db,
        "/amend 1: item 7 should say the police asked for more time",
        SavedSaying(
            "Amendment to the minutes of meeting 1: item 7 should say the police asked for more time",
            "Amendment to meeting 1 recorded.",
        ),
    );

    // 4. Action log: a mistyped command, corrected in place (not retyped).
    s.minute_line(db, "/next", Shows("4. Action log"));
    let mistyped = "/desicion Police to share the MARAC minutes of January 2019";
    s.send(mistyped);
    s.wait_for("MARAC minutes of January 2019");
    s.send("\r");
    s.wait_for("did you mean /decision?");
    s.wait_for("Refused");
    assert_eq!(
        last_line_of_meeting_3(db).as_deref(),
        Some(
            "Amendment to the minutes of meeting 1: item 7 should say the police asked for more time"
        ),
        "a refused line is not saved"
    );
    // Home, then → past "/des": Backspace takes the s, c goes in; → → past "ci",
    // Backspace takes the c, s goes in: "/decision".
    s.send("\x1b[H");
    s.send("\x1b[C\x1b[C\x1b[C\x1b[C");
    s.send("\x7f");
    s.send("c");
    s.send("\x1b[C\x1b[C");
    s.send("\x7f");
    s.send("s");
    s.wait_for("/decision Police to share the MARAC");
    s.send("\r");
    eventually("the corrected decision is saved", || {
        last_line_of_meeting_3(db).as_deref()
            == Some("Police to share the MARAC minutes of January 2019")
    });
    s.minute_line(
        db,
        "/d The review period stays as agreed at meeting 2",
        Saved("The review period stays as agreed at meeting 2"),
    );
    s.minute_line(
        db,
        "/a Fiona Blake, due 10 Dec: share the call logs",
        Saved("Fiona Blake (POLICE), due 10 Dec 2026: share the call logs"),
    );
    s.minute_line(
        db,
        "/action Hannah Pearce (gp), due 17 Dec: provide the scanned letter",
        Saved("Hannah Pearce (GP), due 17 Dec 2026: provide the scanned letter"),
    );
    s.minute_line(
        db,
        "/c police: when will the IMR be received?",
        Saved("POLICE: when will the IMR be received?"),
    );
    s.minute_line(
        db,
        "/challenge asc: can the IMR come before meeting 4?",
        Saved("ASC: can the IMR come before meeting 4?"),
    );
    // A mid-line correction: ← back to the typo, the missing letter in, → back to the
    // end, and the line goes on.
    let typed = "The combined chronolgy was circulated";
    s.send(typed);
    s.wait_for(typed);
    let (row, end) = s.cursor();
    let back = "gy was circulated".len() as u16;
    s.send(&"\x1b[D".repeat(back as usize));
    s.wait_cursor((row, end - back));
    s.send("o");
    s.wait_for("The combined chronology was circulated");
    s.wait_cursor((row, end - back + 1));
    s.send(&"\x1b[C".repeat(back as usize));
    s.wait_cursor((row, end + 1));
    s.send(" to all members");
    s.wait_for("chronology was circulated to all members");
    s.send("\r");
    eventually("the corrected line is saved", || {
        last_line_of_meeting_3(db).as_deref()
            == Some("The combined chronology was circulated to all members")
    });

    // 5. The IMR presentation: an early departure, /undo, s/old/new/, a late arrival.
    s.minute_line(db, "/next", Shows("5. IMR presentation"));
    s.minute_line(
        db,
        "Louise Fenwick continued the presentation of the IMR",
        Saved("Louise Fenwick continued the presentation of the IMR"),
    );
    s.send("/left Nadia Qureshi");
    s.wait_for("/left Nadia Qureshi");
    s.send("\r");
    eventually("the departure is saved", || {
        last_line_of_meeting_3(db).is_some_and(|b| b.starts_with("Dr Nadia Qureshi left at "))
    });
    s.wait_for("still shown as present");
    s.minute_line(
        db,
        "A line typed by mistake",
        Saved("A line typed by mistake"),
    );
    s.send("/undo");
    s.wait_for("/undo");
    s.send("\r");
    eventually("the mistake is withdrawn", || {
        last_line_of_meeting_3(db).is_some_and(|b| b.starts_with("Dr Nadia Qureshi left at "))
    });
    s.minute_line(
        db,
        "Karen Doyle said two of the contacts were by telephone",
        Saved("Karen Doyle said two of the contacts were by telephone"),
    );
    s.minute_line(
        db,
        "s/two/three/",
        Saved("Karen Doyle said three of the contacts were by telephone"),
    );
    s.minute_line(
        db,
        "/present Dr Paul Ingram",
        SavedSaying(
            "Paul Ingram present",
            "arrived late: moved from apologies to present.",
        ),
    );

    // 6. The short report; a note that starts with a slash.
    s.minute_line(db, "/next", Shows("6. Short report"));
    s.minute_line(
        db,
        "Gemma Holt presented the short report",
        Saved("Gemma Holt presented the short report"),
    );
    s.minute_line(
        db,
        "//ACUTE to confirm the dates of the A&E attendances",
        Saved("/ACUTE to confirm the dates of the A&E attendances"),
    );

    // 10. Any other business: a decision later withdrawn, the next meeting planned.
    s.minute_line(db, "/item 10", Shows("10. Any other business"));
    s.minute_line(
        db,
        "/decision Meeting 4 to be held online only",
        Saved("Meeting 4 to be held online only"),
    );
    s.minute_line(
        db,
        "/next-meeting 4 Mar 2027 14:00 Committee Room 2",
        Saved("Next meeting: meeting 5 on Thu 04 Mar 2027 at 14:00, Committee Room 2."),
    );
    s.minute_line(
        db,
        "The chair thanked everyone; the meeting closed at 12:30",
        Saved("The chair thanked everyone; the meeting closed at 12:30"),
    );
    // The decision was not agreed after all: withdrawn from browse mode.
    s.send("\x1b");
    s.wait_for("i type");
    s.send("\x1b[A\x1b[A\x1b[A");
    s.send("d");
    s.wait_for("Withdraw this line?");
    s.wait_for("\"Meeting 4 to be held online only\"");
    s.wait_for("The record it created is withdrawn with it");
    s.send("y");
    s.wait_gone("Withdraw this line?");
    eventually("the decision line is withdrawn", || {
        meeting_3_lines(db, demo_last)
            .iter()
            .any(|(_, _, b, gone)| b == "Meeting 4 to be held online only" && *gone)
    });
    s.send("i");
    s.wait_for("Enter saves");

    let screen = s.screen();
    assert!(!screen.contains("also here"), "{screen}");
    let bytes = s.bytes();
    let text = String::from_utf8_lossy(&bytes);
    for code in ["\x1b[3", "\x1b[4", "\x1b[9", "\x1b[10", "38;", "48;"] {
        let coloured = text.match_indices(code).any(|(at, _)| {
            // \x1b[3 might begin an SGR colour; other sequences (\x1b[38;5…) too.
            let rest = &text[at + 2..];
            let params: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ';')
                .collect();
            rest[params.len()..].starts_with('m')
                && params.split(';').any(|p| {
                    matches!(
                        p.parse::<u32>(),
                        Ok(30..=38 | 40..=48 | 90..=97 | 100..=107)
                    )
                })
        });
        assert!(!coloured, "colour code {code:?} written under NO_COLOR");
    }
    s.send("\x11");
    s.wait_exit();

    // The minutes: every line in order under its item, the withdrawn ones marked.
    let mut lines = meeting_3_lines(db, demo_last);
    let left = lines
        .iter_mut()
        .find(|l| l.2.starts_with("Dr Nadia Qureshi left at "))
        .expect("the early departure is minuted");
    let time = left.2["Dr Nadia Qureshi left at ".len()..].to_string();
    assert!(
        time.len() == 5 && time.as_bytes()[2] == b':',
        "a time HH:MM: {time:?}"
    );
    left.2 = "Dr Nadia Qureshi left at HH:MM".into();
    let line =
        |item: i64, kind: &str, body: &str| (item, kind.to_string(), body.to_string(), false);
    let gone = |item: i64, kind: &str, body: &str| (item, kind.to_string(), body.to_string(), true);
    assert_eq!(
        lines,
        vec![
            line(1, "attendance", "Deborah Kaur present"),
            line(1, "attendance", "Tariq Aziz present"),
            line(1, "attendance", "Dr Ruth Okafor present"),
            line(1, "attendance", "Jo Bloggs (Northgate CSP) present"),
            line(
                1,
                "attendance",
                "Priya Shah (Harbour Family Advocacy, Northgate) present"
            ),
            line(1, "attendance", "Karen Doyle (MHT) present"),
            line(1, "attendance", "Chloe Waters (HOUSING) present"),
            line(1, "attendance", "Sam Okoye present"),
            line(1, "attendance", "Apologies from Paul Ingram (ACUTE)"),
            line(
                1,
                "note",
                "The chair welcomed Jo Bloggs, the new panel secretary"
            ),
            line(
                2,
                "declaration",
                "Sam Okoye: knew Adult A through a support group"
            ),
            line(
                2,
                "note",
                "The chair was satisfied the declaration does not affect the review"
            ),
            line(
                3,
                "decision",
                "The minutes of meeting 2 were approved as a true record."
            ),
            line(
                3,
                "note",
                "Amendment to the minutes of meeting 1: item 7 should say the police asked for more time"
            ),
            line(
                4,
                "decision",
                "Police to share the MARAC minutes of January 2019"
            ),
            line(
                4,
                "decision",
                "The review period stays as agreed at meeting 2"
            ),
            line(
                4,
                "action",
                "Fiona Blake (POLICE), due 10 Dec 2026: share the call logs"
            ),
            line(
                4,
                "action",
                "Hannah Pearce (GP), due 17 Dec 2026: provide the scanned letter"
            ),
            line(4, "challenge", "POLICE: when will the IMR be received?"),
            line(4, "challenge", "ASC: can the IMR come before meeting 4?"),
            line(
                4,
                "note",
                "The combined chronology was circulated to all members"
            ),
            line(
                5,
                "note",
                "Louise Fenwick continued the presentation of the IMR"
            ),
            line(5, "attendance", "Dr Nadia Qureshi left at HH:MM"),
            gone(5, "note", "A line typed by mistake"),
            line(
                5,
                "note",
                "Karen Doyle said three of the contacts were by telephone"
            ),
            line(5, "attendance", "Paul Ingram present"),
            line(6, "note", "Gemma Holt presented the short report"),
            line(
                6,
                "note",
                "/ACUTE to confirm the dates of the A&E attendances"
            ),
            gone(10, "decision", "Meeting 4 to be held online only"),
            line(
                10,
                "note",
                "Next meeting: meeting 5 on Thu 04 Mar 2027 at 14:00, Committee Room 2."
            ),
            line(
                10,
                "note",
                "The chair thanked everyone; the meeting closed at 12:30"
            ),
        ]
    );

    // Attendance: one row each, as named; the early departure keeps its presence.
    let mut stmt = conn
        .prepare(
            "SELECT a.person, ifnull(g.code, ''), a.organisation, a.role, a.status, a.guest, a.left_at
             FROM attendance a JOIN meetings t ON t.id = a.meeting_id
             LEFT JOIN agencies g ON g.id = a.agency_id
             WHERE t.number = 3 AND a.deleted_at IS NULL AND a.person IN
             ('Deborah Kaur', 'Tariq Aziz', 'Dr Ruth Okafor', 'Jo Bloggs', 'Priya Shah',
              'Karen Doyle', 'Chloe Waters', 'Sam Okoye', 'Paul Ingram', 'Dr Nadia Qureshi')
             ORDER BY a.person",
        )
        .unwrap();
    type Row = (String, String, String, String, String, i64, String);
    let attendance: Vec<Row> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let row =
        |p: &str, code: &str, org: &str, role: &str, status: &str, guest: i64, left: &str| -> Row {
            (
                p.into(),
                code.into(),
                org.into(),
                role.into(),
                status.into(),
                guest,
                left.into(),
            )
        };
    assert_eq!(
        attendance,
        vec![
            row(
                "Chloe Waters",
                "HOUSING",
                "",
                "Deputy Housing Options Manager",
                "present",
                1,
                ""
            ),
            row(
                "Deborah Kaur",
                "PROB",
                "",
                "Senior Probation Officer",
                "present",
                0,
                ""
            ),
            row(
                "Dr Nadia Qureshi",
                "",
                "",
                "Overview author",
                "present",
                0,
                &time
            ),
            row(
                "Dr Ruth Okafor",
                "GP",
                "",
                "Named GP for Safeguarding, Northgate ICB",
                "present",
                0,
                ""
            ),
            row(
                "Jo Bloggs",
                "",
                "Northgate CSP",
                "Panel Secretary",
                "present",
                1,
                ""
            ),
            row("Karen Doyle", "MHT", "", "", "present", 1, ""),
            row("Paul Ingram", "ACUTE", "", "", "present", 1, ""),
            row(
                "Priya Shah",
                "",
                "Harbour Family Advocacy, Northgate",
                "",
                "present",
                1,
                ""
            ),
            row("Sam Okoye", "", "", "Family advocate", "present", 1, ""),
            row(
                "Tariq Aziz",
                "ASC",
                "",
                "Safeguarding Adults Practice Manager (deputy)",
                "present",
                0,
                ""
            ),
        ]
    );

    // The records the lines created (the withdrawn decision withdrawn with its line).
    let created = |sql: &str, after: i64| -> Vec<(String, bool)> {
        conn.prepare(sql)
            .unwrap()
            .query_map([after], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let kept = |t: &str| (t.to_string(), false);
    assert_eq!(
        created(
            "SELECT body, deleted_at IS NOT NULL FROM decisions WHERE id > ?1 ORDER BY id",
            before[0]
        ),
        vec![
            kept("The minutes of meeting 2 were approved as a true record."),
            kept("Police to share the MARAC minutes of January 2019"),
            kept("The review period stays as agreed at meeting 2"),
            ("Meeting 4 to be held online only".to_string(), true),
        ]
    );
    assert_eq!(
        created(
            "SELECT owner || ' ' || ifnull(due_on, '') || ' ' || body || ' ' || status, deleted_at IS NOT NULL
             FROM actions WHERE id > ?1 ORDER BY id",
            before[1]
        ),
        vec![
            kept("Fiona Blake 2026-12-10 share the call logs open"),
            kept("Hannah Pearce 2026-12-17 provide the scanned letter open"),
        ]
    );
    assert_eq!(
        created(
            "SELECT g.code || ': ' || c.question || ' ' || c.status, c.deleted_at IS NOT NULL
             FROM challenges c JOIN agencies g ON g.id = c.agency_id WHERE c.id > ?1 ORDER BY c.id",
            before[2]
        ),
        vec![
            kept("POLICE: when will the IMR be received? open"),
            kept("ASC: can the IMR come before meeting 4? open"),
        ]
    );
    assert_eq!(
        created(
            "SELECT person || ': ' || body, deleted_at IS NOT NULL FROM declarations WHERE id > ?1",
            before[3]
        ),
        vec![kept("Sam Okoye: knew Adult A through a support group")]
    );
    assert_eq!(
        created(
            "SELECT body, deleted_at IS NOT NULL FROM amendments WHERE id > ?1",
            before[4]
        ),
        vec![kept("item 7 should say the police asked for more time")]
    );
    let meetings: Vec<(i64, String, String, String, String)> = conn
        .prepare("SELECT number, date, start_time, place, status FROM meetings WHERE number IN (2, 5) ORDER BY number")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        meetings,
        vec![
            (
                2,
                "2026-09-03".into(),
                "14:00".into(),
                "Online (video call)".into(),
                "approved".into()
            ),
            (
                5,
                "2027-03-04".into(),
                "14:00".into(),
                "Committee Room 2".into(),
                "planned".into()
            ),
        ]
    );

    // Everything drawn is ASCII: no byte above 0x7F was written.
    if let Some(at) = bytes.iter().position(|b| *b > 0x7f) {
        let around =
            String::from_utf8_lossy(&bytes[at.saturating_sub(200)..(at + 60).min(bytes.len())]);
        panic!("a non-ASCII character was drawn under --ascii, in: {around:?}");
    }
}

#[test]
fn tab_completes_commands_then_names_and_agencies_and_lists_the_others() {
    let (_dir, db) = demo_db();
    let mut s = minuting(&db, &[]);
    // The command: /dec is /decision, Tab again /declare.
    s.send("/dec\t");
    s.wait_for("Tab 1/2 (Tab again for the next): [/decision], /declare");
    s.send("\t");
    s.wait_for("Tab 2/2 (Tab again for the next): /decision, [/declare]");
    s.wait_for("/declare ");
    // A person on the meeting's list, by the start of the name.
    s.send("Lorr\t");
    s.wait_for("/declare Lorraine Baxter");
    s.send(": chairs the MARAC\r");
    eventually("the completed line is saved", || {
        minute_bodies(&db).contains(&"Lorraine Baxter: chairs the MARAC".to_string())
    });
    // An agency by its name: several fit, the first is written in, each Tab the next.
    s.send("/c northgate\t");
    s.wait_for("Tab 1/4 (Tab again for the next): [Northgate ");
    s.send("\t");
    s.wait_for("Tab 2/4");
    // Narrowed by what is typed, one fits: written in, nothing listed.
    s.send("\x7f".repeat(40).as_str());
    s.send("/c northgate p\t");
    s.wait_for("/c Northgate Police");
    // Nothing fits: said, and the line is as typed.
    s.send("\x7f".repeat(40).as_str());
    s.send("/zz\t");
    s.wait_for("Tab: nothing fits what is typed");
    s.wait_for("/zz");
    s.send("\x11");
    s.wait_exit();
}

/// The parameters of every SGR sequence (`ESC [ … m`) in `bytes`.
fn sgr_parameters(bytes: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == 0x1b && bytes[i + 1] == b'[' {
            let start = i + 2;
            let mut end = start;
            while end < bytes.len() && (0x20..0x40).contains(&bytes[end]) {
                end += 1;
            }
            if end < bytes.len() && bytes[end] == b'm' {
                found.push(String::from_utf8_lossy(&bytes[start..end]).into_owned());
            }
            i = end;
        } else {
            i += 1;
        }
    }
    found
}

/// Whether an SGR parameter list sets a colour (30–39, 40–49, 90–97, 100–107, 38;… 48;…).
fn sets_colour(params: &str) -> bool {
    params.split(';').any(|p| {
        matches!(
            p.parse::<u32>(),
            Ok(30..=39 | 40..=49 | 90..=97 | 100..=107)
        )
    })
}

#[test]
fn vt100_gets_no_colour_parameters_at_all_and_help_says_why() {
    let (_dir, db) = demo_db();
    let mut s = Session::start(&db, &[], &[("TERM", "vt100")]);
    s.wait_for("DEMO-1");
    s.send("?");
    s.wait_for("Display: monochrome");
    s.wait_for("vt100");
    s.send("q");
    s.wait_gone("Display: monochrome");
    s.send("\r");
    s.wait_for("OVERDUE 2");
    // Every pane, a form, help and the case view: whatever each draws in colour elsewhere.
    for key in ["1", "2", "3", "4", "5", "6", "7", "8"] {
        s.send(key);
        std::thread::sleep(Duration::from_millis(150));
    }
    s.send("3");
    s.wait_for("Agencies: 11");
    s.send("e");
    s.wait_for("Ctrl+O");
    s.send("\x1b");
    s.wait_gone("Ctrl+O");
    s.send("?");
    s.wait_for("Keys: Agencies pane");
    s.send("q");
    s.wait_gone("Keys: Agencies pane");
    s.send("0");
    s.wait_for("The case DEMO-1");
    s.send("\x11");
    s.wait_exit();
    let bytes = s.bytes();
    let params = sgr_parameters(&bytes);
    assert!(
        params.iter().any(|p| p.split(';').any(|n| n == "7")),
        "the selection still shows, in reverse video"
    );
    let coloured: Vec<&String> = params.iter().filter(|p| sets_colour(p)).collect();
    assert!(
        coloured.is_empty(),
        "colour written to a vt100: {coloured:?}"
    );
}

#[test]
fn the_linux_console_gets_only_the_eight_basic_colours_and_color_never_none() {
    let (_dir, db) = demo_db();
    let mut s = Session::start(&db, &["--case", "DEMO-1"], &[("TERM", "linux")]);
    s.wait_for("OVERDUE 2");
    s.send("?");
    s.wait_for("Keys: Agencies pane");
    s.send("\x1b[6~\x1b[6~\x1b[6~");
    s.wait_for("Display: 8 colours (");
    s.send("\x11");
    s.wait_exit();
    let params = sgr_parameters(&s.bytes());
    let bright: Vec<&String> = params
        .iter()
        .filter(|p| {
            p.split(';')
                .any(|n| matches!(n.parse::<u32>(), Ok(38 | 48 | 90..=97 | 100..=107)))
        })
        .collect();
    assert!(bright.is_empty(), "beyond eight colours: {bright:?}");
    assert!(params.iter().any(|p| sets_colour(p)), "colours are used");
    // The administrator's word over the terminal's.
    let mut s = Session::start(
        &db,
        &["--case", "DEMO-1", "--color", "never"],
        &[("TERM", "xterm-256color")],
    );
    s.wait_for("OVERDUE 2");
    s.send("\x11");
    s.wait_exit();
    let coloured: Vec<String> = sgr_parameters(&s.bytes())
        .into_iter()
        .filter(|p| sets_colour(p))
        .collect();
    assert!(
        coloured.is_empty(),
        "colour under --color never: {coloured:?}"
    );
}

#[test]
fn a_non_utf8_locale_gets_ascii_and_user_text_as_question_marks_the_data_unchanged() {
    let (_dir, db) = demo_db();
    let mut s = minuting(&db, &[("LANG", "C")]);
    let typed = "Zoë Øvergaard said 李明 agreed";
    s.send(typed);
    // Each character a `?`, a wide one two, so the rest of the line stays in place.
    s.wait_for("Zo? ?vergaard said ???? agreed");
    let (row, col) = s.cursor();
    assert_eq!(
        s.screen()
            .lines()
            .nth(usize::from(row))
            .unwrap()
            .find(" agreed"),
        Some(usize::from(col) - " agreed".len()),
        "the cursor stands after the text as drawn"
    );
    s.send("\r");
    eventually("the minute is written", || {
        minute_bodies(&db).iter().any(|b| b == typed)
    });
    // Help (F1 in the input), at its end.
    s.send("\x1bOP");
    s.wait_for("Keys: the minutes input");
    s.send("\x1b[6~\x1b[6~\x1b[6~");
    s.wait_for("ASCII (LANG=C)");
    s.send("\x1bOP");
    s.wait_gone("Keys: the minutes input");
    // Every pane and the case view: what the workspace itself draws is ASCII too.
    s.send("\x1b");
    std::thread::sleep(Duration::from_millis(200));
    for key in ["1", "2", "3", "4", "5", "6", "8", "0"] {
        s.send(key);
        std::thread::sleep(Duration::from_millis(150));
    }
    s.wait_for("The case DEMO-1");
    s.send("\x11");
    s.wait_exit();
    let bytes = s.bytes();
    let high: Vec<u8> = bytes.iter().copied().filter(|&b| b > 0x7f).collect();
    assert!(high.is_empty(), "{} bytes over 0x7F on screen", high.len());
}

#[test]
fn dumb_or_no_term_is_refused_naming_what_works_without_a_screen() {
    let (_dir, db) = demo_db();
    for term in ["dumb", ""] {
        let mut s = Session::start(&db, &["--case", "DEMO-1"], &[("TERM", term)]);
        let status = s.wait_exit();
        assert_eq!(status.exit_code(), 2, "TERM={term:?}: {status:?}");
        let screen = s.screen();
        assert!(
            screen.contains("needs a terminal that can draw a screen"),
            "{screen}"
        );
        assert!(screen.contains("cases, demo, import, export"), "{screen}");
        assert!(
            find(&s.bytes(), b"\x1b[?1049h").is_none(),
            "the screen was never taken"
        );
    }
}

/// PuTTY's F1 in its keyboard modes: `ESC [ 11 ~` (the default), `ESC O P` (VT100+,
/// Xterm R6) and `ESC [ [ A` (Linux).
const PUTTY_F1: [&str; 3] = ["\x1b[11~", "\x1bOP", "\x1b[[A"];

#[test]
fn putty_f1_in_each_of_its_forms_opens_help_wherever_help_opens() {
    let (_dir, db) = demo_db();
    let mut s = Session::start(&db, &[], &[]);
    s.wait_for("DEMO-1");
    for f1 in PUTTY_F1 {
        s.send(f1);
        s.wait_for("Keys: case list");
        s.send(f1);
        s.wait_gone("Keys: case list");
    }
    s.send("\r");
    s.wait_for("Agencies: 11");
    s.send("1");
    s.wait_for("Chronology");
    for f1 in PUTTY_F1 {
        s.send(f1);
        s.wait_for("Keys: Timeline pane");
        s.send(f1);
        s.wait_gone("Keys: Timeline pane");
    }
    // In a form, with text typed: help over it, the text still there after.
    s.send("a");
    s.wait_for("New chronology entry");
    s.send("c. 2019");
    for f1 in PUTTY_F1 {
        s.send(f1);
        s.wait_for("next / previous field");
        s.send(f1);
        s.wait_gone("next / previous field");
        s.wait_for("c. 2019");
    }
    s.send("\x1b");
    s.wait_for("You changed this form");
    s.send("3");
    s.wait_gone("New chronology entry");
    // The filter line.
    s.send("/");
    s.wait_for("filter: _");
    for f1 in PUTTY_F1 {
        s.send(f1);
        s.wait_for("narrow the list");
        s.send(f1);
        s.wait_gone("narrow the list");
    }
    s.send("\r");
    s.send("q");
    s.wait_exit();
    // The minutes input.
    let mut s = minuting(&db, &[]);
    s.send("typed first");
    for f1 in PUTTY_F1 {
        s.send(f1);
        s.wait_for("Keys: the minutes input");
        s.send(f1);
        s.wait_gone("Keys: the minutes input");
        s.wait_for("typed first");
    }
    s.send("\x11");
    s.wait_exit();
}

/// Home and End as terminals send them: PuTTY's default (`ESC [ 1 ~`, `ESC [ 4 ~`), xterm's
/// in both cursor modes, rxvt's `ESC [ 7 ~` / `ESC [ 8 ~`.
const HOME_END: [(&str, &str); 4] = [
    ("\x1b[1~", "\x1b[4~"),
    ("\x1b[H", "\x1b[F"),
    ("\x1bOH", "\x1bOF"),
    ("\x1b[7~", "\x1b[8~"),
];

#[test]
fn putty_home_end_backspace_and_alt_b_f_edit_the_minutes_input_as_sent() {
    let (_dir, db) = demo_db();
    let mut s = minuting(&db, &[]);
    s.send("mid");
    s.wait_for("mid");
    for (home, end) in HOME_END {
        s.send(home);
        s.send("<");
        s.send(end);
        s.send(">");
    }
    s.wait_for("<<<<mid>>>>");
    // Backspace as ^? (PuTTY's default) and as ^H (its other setting).
    s.send("\x7f");
    s.wait_for("<<<<mid>>> ");
    s.send("\x08");
    s.wait_for("<<<<mid>> ");
    s.send("\r");
    eventually("the line is written", || {
        minute_bodies(&db).iter().any(|b| b == "<<<<mid>>")
    });
    // Alt+B / Alt+F (ESC b, ESC f) move by word: PuTTY's Ctrl+arrows are plain arrows.
    s.send("one two three");
    s.wait_for("one two three");
    s.send("\x1bb\x1bbX");
    s.wait_for("one Xtwo three");
    s.send("\x1bfY");
    s.wait_for("one Xtwo Ythree");
    s.send("\r");
    eventually("the line is written", || {
        minute_bodies(&db).iter().any(|b| b == "one Xtwo Ythree")
    });
    // On a refused line Alt+B moves too (a typed character would replace the line).
    s.send("/item zzz\r");
    s.wait_for("needs an agenda item number");
    s.send("\x1bbX");
    s.wait_for("/item Xzzz");
    s.send("\x11");
    s.wait_exit();
}

#[test]
fn putty_home_end_and_backspace_work_in_a_form_the_filter_line_and_lists() {
    let (_dir, db) = demo_db();
    let mut s = Session::start(&db, &["--case", "DEMO-1"], &[]);
    s.wait_for("Agencies: 11");
    // Lists: each End goes to the last agency, each Home back to the first.
    for (home, end) in HOME_END {
        s.send(end);
        s.wait_for("│>   Regional Ambulance");
        s.send(home);
        s.wait_for("│> ! Northgate Police");
    }
    // A form field.
    s.send("1");
    s.wait_for("Chronology");
    s.send("a");
    s.wait_for("New chronology entry");
    s.send("c. 2018\t\t\t\tneighbour heard shouting");
    s.wait_for("neighbour heard shouting");
    for (home, end) in HOME_END {
        s.send(home);
        s.send("<");
        s.send(end);
        s.send(">");
    }
    s.wait_for("<<<<neighbour heard shouting>>>>");
    // Backspace both ways, then Alt+B back over a word.
    s.send("\x7f\x7f\x08\x08");
    s.wait_for("<<<<neighbour heard shouting ");
    s.send("\x1bbloud ");
    s.wait_for("<<<<neighbour heard loud shouting");
    s.send("\x0f");
    s.wait_for("Entry added.");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let saved: i64 = conn
        .query_row(
            "SELECT count(*) FROM chronology WHERE event = '<<<<neighbour heard loud shouting'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(saved, 1);
    // The filter line: both Backspaces rub out.
    s.send("/neighbourxy");
    s.wait_for("filter: neighbourxy_");
    s.send("\x7f");
    s.wait_for("filter: neighbourx_");
    s.send("\x08");
    s.wait_for("filter: neighbour_");
    s.send("\r");
    s.send("q");
    s.wait_exit();
}
