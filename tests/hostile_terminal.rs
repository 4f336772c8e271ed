//! Hostile text against the real terminal: control characters, escape
//! sequences and bidi overrides stored in every kind of text field are drawn by the real
//! binary in a pseudo-terminal through every pane, and the raw bytes it writes hold no
//! escape sequence that came from the data. Also: a 1 MB bracketed paste into the minutes
//! input, and a resize to 1x1 and back while typing.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};

/// A running `dhr` in a pseudo-terminal: the raw bytes it wrote, and a terminal emulator
/// fed with them as they arrive (resized along with the pseudo-terminal).
struct Session {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Arc<Mutex<Box<dyn Write + Send>>>,
    output: Arc<Mutex<Vec<u8>>>,
    parser: Arc<Mutex<vt100::Parser>>,
    master: Box<dyn MasterPty + Send>,
}

fn size(rows: u16, cols: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

impl Session {
    fn start(db: &Path, args: &[&str], rows: u16, cols: u16) -> Session {
        Session::start_with(db, args, rows, cols, &[])
    }

    fn start_with(db: &Path, args: &[&str], rows: u16, cols: u16, env: &[(&str, &str)]) -> Session {
        let pair = native_pty_system().openpty(size(rows, cols)).unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dhr"));
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
        cmd.env_remove("DHR_DB");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let (sink, screen) = (output.clone(), parser.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            // Bytes of a character split between two reads, kept for the next one.
            let mut carry = Vec::new();
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
                carry.extend_from_slice(&buf[..n]);
                let whole = complete_utf8_prefix(&carry);
                let shown = for_emulator(&carry[..whole]);
                screen.lock().unwrap().process(&shown);
                carry.drain(..whole);
            }
        });
        Session {
            child,
            writer: Arc::new(Mutex::new(writer)),
            output,
            parser,
            master: pair.master,
        }
    }

    fn bytes(&self) -> Vec<u8> {
        self.output.lock().unwrap().clone()
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Waits (up to a generous limit, so a slow machine does not fail it) for `text`.
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            self.assert_alive();
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("never saw {text:?} on screen:\n{}", self.screen());
    }

    fn wait_gone(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(30) {
            if !self.screen().contains(text) {
                return;
            }
            self.assert_alive();
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("{text:?} stayed on screen:\n{}", self.screen());
    }

    fn send(&self, keys: &str) {
        let mut writer = self.writer.lock().unwrap();
        writer.write_all(keys.as_bytes()).unwrap();
        writer.flush().unwrap();
    }

    /// Resizes the pseudo-terminal (the kernel sends SIGWINCH) and the emulator with it.
    fn resize(&self, rows: u16, cols: u16) {
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(rows, cols);
        self.master.resize(size(rows, cols)).unwrap();
    }

    fn assert_alive(&self) {
        // `try_wait` needs `&mut`; a clone of the pid check through kill(0) does not.
        let pid = self.child.process_id().unwrap() as i32;
        let alive = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_ok();
        assert!(alive, "dhr is gone:\n{}", self.screen());
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "dhr did not exit:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // A failed test must not leave the program running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// How many leading bytes of `bytes` end on a character boundary (at most the last three
/// bytes are held back, as the start of a character still arriving).
fn complete_utf8_prefix(bytes: &[u8]) -> usize {
    for back in 1..=3.min(bytes.len()) {
        let b = bytes[bytes.len() - back];
        if b & 0xC0 == 0x80 {
            continue; // a continuation byte: look further back for the lead
        }
        let needed = match b {
            0xF0..=0xF7 => 4,
            0xE0..=0xEF => 3,
            0xC0..=0xDF => 2,
            _ => 1,
        };
        return if needed > back {
            bytes.len() - back
        } else {
            bytes.len()
        };
    }
    bytes.len()
}

/// The vt100 emulator draws U+FFFD (the sanitiser's stand-in for C1 controls and bidi
/// overrides) as nothing, where a real terminal shows one cell; that shifts the rest of
/// the row and leaves stale cells. The emulator is given `?` instead, so its screen shows
/// what a person would see. The raw bytes checked by the tests are not changed.
fn for_emulator(bytes: &[u8]) -> Vec<u8> {
    const STAND_IN: &[u8] = "\u{FFFD}".as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(STAND_IN) {
            out.push(b'?');
            i += STAND_IN.len();
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    out
}

fn demo_db() -> (tempfile::TempDir, PathBuf) {
    let dir = private_dir();
    let db = db_in(dir.path());
    let (code, _, err) = run(dhr(&db).arg("demo"));
    assert_eq!(code, 0, "{err}");
    (dir, db)
}

/// Every way text can try to take over a terminal, after a tag that names the field (so
/// the test can see the field was drawn): an OSC title, clear screen, a C1 CSI, an 8-bit
/// OSC, bidi overrides and isolates, DEL, NUL, BEL, backspace, carriage return, tab, and
/// a blink attribute.
fn hostile(tag: &str) -> String {
    format!(
        "ZQ{tag}\u{1b}]0;PWNED\u{7}\u{1b}[2JZAP\u{9b}31mCSI\u{9d}0;C1OSC\u{9c}\u{202e}rev\u{2066}iso\u{7f}del\u{0}nul\u{8}bs\rcr\tTAB\u{1b}[5mEND"
    )
}

/// Fills every kind of text field of the demo case with hostile text, behind the
/// program's back, as a damaged or malicious database would.
fn poison(db: &Path) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let fields: &[(&str, &str, &str)] = &[
        ("cases", "title", "CT"),
        ("cases", "marking", "CM"),
        ("cases", "partnership", "CP"),
        ("cases", "chair", "CC"),
        ("cases", "overview_author", "CA"),
        ("cases", "stage_reason", "CS"),
        ("subjects", "pseudonym", "SP"),
        ("subjects", "real_names", "SR"),
        ("subjects", "relationship", "SL"),
        ("subjects", "notes", "SN"),
        ("agencies", "name", "AN"),
        ("agencies", "code", "AC"),
        ("agencies", "author", "AU"),
        ("agencies", "notes", "AO"),
        ("agencies", "scoped_out_reason", "AS"),
        ("panel_members", "name", "PN"),
        ("panel_members", "role", "PR"),
        ("panel_members", "deputy", "PD"),
        ("meetings", "place", "MP"),
        ("meetings", "chair", "MC"),
        ("meetings", "minute_taker", "MT"),
        ("terms", "heading", "TH"),
        ("terms", "body", "TB"),
        ("chronology", "event", "EV"),
        ("chronology", "subjects", "ES"),
        ("chronology", "source_ref", "ER"),
        ("chronology", "action_outcome", "EA"),
        ("chronology", "risk_dash", "ED"),
        ("chronology", "risk_marac", "EM"),
        ("chronology", "agency_comment", "EC"),
        ("chronology", "panel_analysis", "EP"),
        ("attendance", "person", "AP"),
        ("attendance", "role", "AR"),
        ("declarations", "person", "DP"),
        ("declarations", "body", "DB"),
        ("agenda_items", "title", "GT"),
        ("minutes", "body", "MB"),
        ("challenges", "question", "QQ"),
        ("challenges", "response", "QR"),
        ("challenges", "raised_by", "QB"),
        ("decisions", "body", "DE"),
        ("decisions", "rationale", "DR"),
        ("decisions", "decided_by", "DD"),
        ("actions", "body", "XB"),
        ("actions", "owner", "XO"),
        ("recommendations", "recommendation", "RR"),
        ("recommendations", "action_to_take", "RA"),
        ("recommendations", "lead_officer", "RL"),
        ("recommendations", "milestones", "RM"),
        ("recommendations", "outcome", "RO"),
    ];
    for (table, column, tag) in fields {
        // The row id keeps values unique where the program might expect them to be.
        let n = conn
            .execute(
                &format!("UPDATE {table} SET {column} = ?1 || '#' || id"),
                [hostile(tag)],
            )
            .unwrap();
        assert!(n > 0, "the demo has rows in {table}");
    }
    // Extra columns from an import: name and value.
    let extra = serde_json::to_string(&[(hostile("XN"), hostile("XV"))]).unwrap();
    conn.execute("UPDATE chronology SET extra = ?1", [extra])
        .unwrap();
    // An amendment to the approved minutes of meeting 1.
    conn.execute(
        "INSERT INTO amendments (created_at, updated_at, meeting_id, made_at_meeting_id, made_by, body)
         SELECT created_at, updated_at, id, id, ?1, ?2 FROM meetings WHERE number = 1",
        [hostile("NB"), hostile("NT")],
    )
    .unwrap();
    // A second case whose reference is hostile, for the case list and `dhr cases`.
    conn.execute(
        "INSERT INTO cases (created_at, updated_at, reference, kind, stage, title)
         SELECT created_at, updated_at, ?1, kind, stage, ?2 FROM cases WHERE reference = 'DEMO-1'",
        [hostile("RF"), hostile("RT")],
    )
    .unwrap();
}

/// Whether `c` is a bidirectional embedding, override, isolate or mark (listed here
/// rather than taken from the program, so the test does not trust what it tests).
fn is_bidi(c: char) -> bool {
    matches!(
        c as u32,
        0x061C | 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069
    )
}

fn context(bytes: &[u8], at: usize) -> String {
    let from = at.saturating_sub(60);
    let to = (at + 60).min(bytes.len());
    format!("{:?}", String::from_utf8_lossy(&bytes[from..to]))
}

/// The raw output holds nothing but text, line ends and the control sequences a ratatui
/// program writes itself: CSI sequences for colours and attributes (m), cursor position
/// and moves (H A B C D G), erasing (J K), the scrolling region (r: rows moved up with a
/// scroll, digits and `;` only) and the modes of the alternate screen, the
/// cursor, bracketed paste and synchronised update (h l). No OSC (title, clipboard,
/// hyperlink), DCS or other escape; no C0 control but ESC, CR and LF; no DEL; no C1
/// control; no bidi control; valid UTF-8 throughout.
fn assert_only_the_programs_own_sequences(bytes: &[u8]) {
    let mut text = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            0x1B => {
                assert_eq!(
                    bytes.get(i + 1),
                    Some(&b'['),
                    "an escape sequence other than CSI at byte {i}: {}",
                    context(bytes, i)
                );
                let mut j = i + 2;
                while j < bytes.len() && (0x30..=0x3F).contains(&bytes[j]) {
                    j += 1;
                }
                let params = &bytes[i + 2..j];
                while j < bytes.len() && (0x20..=0x2F).contains(&bytes[j]) {
                    j += 1;
                }
                let Some(&fin) = bytes.get(j) else {
                    panic!("an unfinished escape sequence at byte {i}")
                };
                assert!(
                    b"mHABCDGJKhlr".contains(&fin),
                    "CSI sequence with final {:?} at byte {i}: {}",
                    fin as char,
                    context(bytes, i)
                );
                if fin == b'r' {
                    assert!(
                        params.iter().all(|b| b.is_ascii_digit() || *b == b';'),
                        "a scrolling region {:?} at byte {i}: {}",
                        String::from_utf8_lossy(params),
                        context(bytes, i)
                    );
                }
                if fin == b'h' || fin == b'l' {
                    assert!(
                        [&b"?1049"[..], b"?2004", b"?25", b"?2026"].contains(&params),
                        "terminal mode {:?} set at byte {i}: {}",
                        String::from_utf8_lossy(params),
                        context(bytes, i)
                    );
                }
                i = j + 1;
            }
            b'\r' | b'\n' => {
                text.push(bytes[i]);
                i += 1;
            }
            b if b < 0x20 || b == 0x7F => {
                panic!(
                    "control byte {b:#04x} written at byte {i}: {}",
                    context(bytes, i)
                )
            }
            b => {
                text.push(b);
                i += 1;
            }
        }
    }
    let text = match std::str::from_utf8(&text) {
        Ok(text) => text,
        Err(e) => panic!("output is not UTF-8 (a raw 8-bit control?): {e}"),
    };
    for c in text.chars() {
        assert!(
            !(0x80..=0x9F).contains(&(c as u32)),
            "C1 control {c:?} written"
        );
        assert!(!is_bidi(c), "bidi control {c:?} written");
    }
}

/// The hostile payloads, byte for byte as they would reach a terminal, each with the text
/// after it so the program's own sequences cannot be mistaken for them.
fn assert_no_payload(bytes: &[u8]) {
    for payload in [
        &b"\x1b]0;PWNED"[..],
        b"\x1b[2JZAP",
        b"\x1b[5mEND",
        "\u{9b}31mCSI".as_bytes(),
        "\u{9d}0;C1OSC".as_bytes(),
        "\u{202e}rev".as_bytes(),
        "\u{2066}iso".as_bytes(),
        b"\x7fdel",
        b"\x00nul",
        b"\x08bs",
        b"\x07",
    ] {
        assert!(
            !bytes.windows(payload.len()).any(|w| w == payload),
            "hostile bytes {:?} reached the terminal",
            String::from_utf8_lossy(payload)
        );
    }
}

/// What the tags look like once drawn: the escape and the bell as visible stand-ins.
fn drawn(tag: &str) -> String {
    format!("ZQ{tag}\u{241b}]0;PWNED\u{2407}\u{241b}[2JZAP")
}

#[test]
fn hostile_text_in_every_field_never_reaches_the_terminal_through_any_pane() {
    let (_dir, db) = demo_db();
    poison(&db);
    // Each step waits for the tags of the fields that place draws, which proves the
    // hostile text was drawn there. Fields the workspace does not draw (declarations,
    // amendments, a meeting's chair and minute taker, subjects' notes, a scoped-out
    // reason) are poisoned all the same: were they drawn, the checks of the raw bytes at
    // the end would see them.
    let mut s = Session::start(&db, &[], 48, 160);
    let esc = "\x1b";

    // The case list: a hostile reference and titles.
    s.wait_for("ZQRF");
    s.wait_for("ZQCT");
    // Open DEMO-1 (listed first): the Agencies pane with the selected agency's panel.
    s.send("\r");
    let screen = s.wait_for("ZQAN");
    // Stand-ins are visible, not silently dropped.
    assert!(screen.contains(&drawn("AN")), "{screen}");
    for tag in ["ZQCM", "ZQPN", "ZQPR", "ZQPD"] {
        s.wait_for(tag);
    }
    // The agency's edit form (text areas holding hostile text).
    s.send("e");
    s.wait_for("Ctrl+O save");
    s.wait_for("ZQAU");
    s.wait_for("ZQAO");
    s.send(esc);
    s.wait_gone("Ctrl+O save");

    // 0: the case view, its edit form and the pseudonym register.
    s.send("0");
    for tag in ["ZQCT", "ZQCP", "ZQCC", "ZQCA", "ZQCS", "ZQSP", "ZQSL"] {
        s.wait_for(tag);
    }
    s.send("e");
    s.wait_for("Ctrl+O save");
    s.send(esc);
    s.wait_gone("Ctrl+O save");
    s.send("0");
    s.wait_for("r register");
    s.send("r");
    s.wait_for("Enter choose");
    s.wait_for("ZQSR");
    s.send(esc);
    s.wait_gone("Enter choose");

    // 1: the timeline, an entry in full (extra columns too) and its edit form.
    s.send("1");
    for tag in ["ZQEV", "ZQES", "ZQAC"] {
        s.wait_for(tag);
    }
    s.send("\r");
    s.wait_for("Esc close");
    for tag in [
        "ZQER", "ZQEA", "ZQED", "ZQEM", "ZQEC", "ZQEP", "ZQTH", "ZQXN", "ZQXV",
    ] {
        s.wait_for(tag);
    }
    s.send("e");
    s.wait_for("Ctrl+O save");
    s.send(esc);
    s.wait_gone("Ctrl+O save");

    // 2: terms of reference, an item's edit form, the coverage matrix.
    s.send("2");
    s.wait_for("v coverage");
    s.wait_for("ZQTH");
    s.wait_for("ZQTB");
    s.send("e");
    s.wait_for("Ctrl+O save");
    s.send(esc);
    s.wait_gone("Ctrl+O save");
    s.send("v");
    s.wait_for("Coverage:");
    s.send(esc);
    s.wait_for("v coverage");

    // 3: the agencies board again, sorted the other way.
    s.send("3");
    s.wait_for("o sort");
    s.send("o");
    s.wait_for("ZQAN");

    // 4: challenges and one in full.
    s.send("4");
    s.wait_for("r response");
    for tag in ["ZQQQ", "ZQQR", "ZQQB"] {
        s.wait_for(tag);
    }
    s.send("\r");
    s.wait_for("Esc close");
    s.send(esc);
    s.wait_gone("Esc close");

    // 5: decisions and one in full.
    s.send("5");
    for tag in ["ZQDE", "ZQDR", "ZQDD"] {
        s.wait_for(tag);
    }
    s.send("\r");
    s.wait_for("Esc close");
    s.send(esc);
    s.wait_gone("Esc close");

    // 6: meeting actions, the action plan and a recommendation's edit form.
    s.send("6");
    s.wait_for("ZQXB");
    s.wait_for("ZQXO");
    s.send("p");
    for tag in ["ZQRR", "ZQRA", "ZQRL", "ZQRM", "ZQRO"] {
        s.wait_for(tag);
    }
    s.send("e");
    s.wait_for("Ctrl+O save");
    s.send(esc);
    s.wait_gone("Ctrl+O save");

    // 7: the meetings, meeting 3's minutes (agenda, minutes, attendance).
    s.send("7");
    s.wait_for("Meetings: 4");
    s.wait_for("ZQMP");
    s.send("\r");
    s.wait_for("Enter save");
    s.wait_for("ZQGT");
    s.wait_for("ZQMB");
    s.send(esc);
    s.wait_for("t attendance");
    s.send("t");
    s.wait_for("ZQAP");
    s.wait_for("ZQAR");
    s.send(esc);
    s.wait_gone("ZQAP");
    // Back to the list and into the approved meeting 1.
    s.send(esc);
    s.wait_for("Meetings: 4");
    s.send("\x1b[A\x1b[A");
    std::thread::sleep(Duration::from_millis(200));
    s.send("\r");
    s.wait_for("Approved and locked");

    // Help over it all, then leave.
    s.send("?");
    s.wait_for("Keys:");
    s.send(esc);
    s.wait_gone("Keys:");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");

    let bytes = s.bytes();
    assert_no_payload(&bytes);
    assert_only_the_programs_own_sequences(&bytes);
}

#[test]
fn hostile_text_stays_harmless_at_80x24_in_monochrome_ascii() {
    let (_dir, db) = demo_db();
    poison(&db);
    let mut s = Session::start_with(
        &db,
        &["--case", "DEMO-1", "--ascii"],
        24,
        80,
        &[("NO_COLOR", "1")],
    );
    s.wait_for("ZQAN");
    for (key, tag) in [
        ("1", "ZQEV"),
        ("2", "ZQTH"),
        ("3", "ZQAN"),
        ("4", "ZQQQ"),
        ("5", "ZQDE"),
        ("6", "ZQXB"),
        ("7", "ZQMP"),
        ("0", "ZQCP"),
    ] {
        s.send(key);
        s.wait_for(tag);
    }
    s.send("\x1b");
    s.wait_gone("ZQCP");
    s.send("1");
    s.wait_for("ZQEV");
    s.send("\r");
    s.wait_for("ZQEC");
    s.send("\x1b");
    s.wait_gone("ZQEC");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    let bytes = s.bytes();
    assert_no_payload(&bytes);
    assert_only_the_programs_own_sequences(&bytes);
}

#[test]
fn dhr_cases_prints_a_hostile_reference_with_visible_stand_ins() {
    let (_dir, db) = demo_db();
    poison(&db);
    let output = dhr(&db).arg("cases").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_no_payload(&output.stdout);
    assert_no_payload(&output.stderr);
    assert_only_the_programs_own_sequences(&output.stdout);
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(out.contains(&drawn("RF")), "{out}");
}

#[test]
fn the_checks_catch_hostile_bytes_and_accept_the_programs_own() {
    // A test that cannot fail is worse than none: the raw payload trips both checks…
    let raw = hostile("X");
    assert!(std::panic::catch_unwind(|| assert_no_payload(raw.as_bytes())).is_err());
    for sample in [
        raw.as_str(),
        "a\u{1b}]0;title\u{7}b",
        "a\u{1b}[?1000hb",
        "a\u{9b}31mb",
        "a\u{202e}b",
        "a\u{7}b",
    ] {
        assert!(
            std::panic::catch_unwind(|| assert_only_the_programs_own_sequences(sample.as_bytes()))
                .is_err(),
            "{sample:?} passed"
        );
    }
    // …while what a ratatui frame is made of passes.
    let frame = "\u{1b}[?1049h\u{1b}[?2004h\u{1b}[?25l\u{1b}[2J\u{1b}[1;1H\u{1b}[0;1;91m> ! ZQAN\u{241b}]0;PWNED\u{2407}\u{fffd}\u{1b}[4B\u{1b}[39m\r\n";
    assert_only_the_programs_own_sequences(frame.as_bytes());
    assert_no_payload(frame.as_bytes());
}

/// Everything written after byte `from` parsed afresh on an emulator of the given size:
/// what the screen shows after a full redraw.
fn screen_since(bytes: &[u8], from: usize, rows: u16, cols: u16) -> String {
    let mut parser = vt100::Parser::new(rows, cols, 0);
    parser.process(&for_emulator(&bytes[from..]));
    parser.screen().contents()
}

fn minuting_session(db: &Path) -> Session {
    let s = Session::start(
        db,
        &["minute", "--case", "DEMO-1", "--meeting", "3"],
        24,
        80,
    );
    s.wait_for("Enter saves");
    s
}

fn minute_bodies(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT body FROM minutes WHERE deleted_at IS NULL ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<Vec<String>, _>>()
        .unwrap()
}

#[test]
fn a_one_megabyte_paste_into_the_minutes_input_neither_hangs_nor_crashes() {
    let (_dir, db) = demo_db();
    let mut s = minuting_session(&db);
    // About 1 MB of pasted text in lines (CR line ends, as terminals send them), with
    // escape sequences and a bidi override inside, and a mark at the end.
    let mut text = String::from("Pasted\u{1b}]0;PASTED\u{7}\u{1b}[2JPASTECLEAR\u{202e}\r");
    let mut n = 0;
    while text.len() < 1 << 20 {
        text.push_str(&format!(
            "Line {n:05} of the pasted IMR extract, as copied from a report.\r"
        ));
        n += 1;
    }
    text.push_str("PASTE-END-MARK");
    let pasted_len = text.len();
    let paste = format!("\u{1b}[200~{text}\u{1b}[201~");
    // The pseudo-terminal takes the bytes only as fast as the program reads them: write
    // from a thread so a hang shows up as a failed wait, not a stuck test.
    let writer = s.writer.clone();
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut w = writer.lock().unwrap();
        let result = w.write_all(paste.as_bytes()).and_then(|()| w.flush());
        let _ = done_tx.send(result.is_ok());
    });
    let written = done_rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the program stopped reading a 1 MB paste");
    assert!(written);
    s.wait_for("PASTE-END-MARK");
    // Nothing is lost: the timer keeps the whole paste as the meeting's draft, line
    // breaks normalised.
    let start = Instant::now();
    let draft = loop {
        if let Some(draft) = meeting_3_draft(&db).filter(|d| d.ends_with("PASTE-END-MARK")) {
            break draft;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the pasted text was never saved as a draft"
        );
        s.assert_alive();
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(draft.len(), pasted_len, "the whole paste is in the draft");
    assert!(draft.starts_with("Pasted\u{1b}]0;PASTED") && !draft.contains('\r'));
    // It still answers keys: Esc leaves the input, q quits cleanly.
    s.send("\x1b");
    s.wait_for("i type");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    let bytes = s.bytes();
    assert!(
        !bytes.windows(9).any(|w| w == b"\x1b]0;PAST"),
        "the pasted title sequence reached the terminal"
    );
    assert!(!bytes.windows(14).any(|w| w == b"\x1b[2JPASTECLEAR"));
    assert_only_the_programs_own_sequences(&bytes);
}

#[test]
fn resizing_to_1x1_and_back_while_typing_keeps_the_program_alive_and_redraws() {
    let (_dir, db) = demo_db();
    let mut s = minuting_session(&db);
    s.send("Half a minute");
    s.wait_for("Half a minute");
    for (rows, cols) in [(1, 1), (2, 3), (1, 1)] {
        let before = s.bytes().len();
        s.resize(rows, cols);
        // The program answers the resize (draws something) and stays up.
        let start = Instant::now();
        while s.bytes().len() == before && start.elapsed() < Duration::from_secs(30) {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(s.bytes().len() > before, "nothing drawn after the resize");
        std::thread::sleep(Duration::from_millis(200));
        s.assert_alive();
    }
    // Typing while tiny still reaches the input.
    s.send(" more");
    std::thread::sleep(Duration::from_millis(200));
    let from = s.bytes().len();
    s.resize(24, 80);
    s.wait_for("Half a minute more");
    // The whole screen was drawn again after the resize, not just what changed.
    let start = Instant::now();
    loop {
        let screen = screen_since(&s.bytes(), from, 24, 80);
        if screen.contains("Half a minute more") && screen.contains("DEMO-1") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no full redraw after the resize:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    s.send("\r");
    let start = Instant::now();
    while !minute_bodies(&db).contains(&"Half a minute more".to_string()) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the line typed across the resizes was not saved"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    s.send("\x1b");
    s.wait_for("i type");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    assert_only_the_programs_own_sequences(&s.bytes());
}

fn meeting_3_draft(db: &std::path::Path) -> Option<String> {
    meeting_draft(db, 3)
}

#[test]
fn text_left_in_the_minutes_input_is_kept_when_leaving_with_q() {
    let (_dir, db) = demo_db();
    let mut s = minuting_session(&db);
    s.send("Words typed just before leaving");
    s.wait_for("Words typed just before leaving");
    s.send("\x1b");
    s.wait_for("i type");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    assert_eq!(
        meeting_3_draft(&db).as_deref(),
        Some("Words typed just before leaving"),
        "what is typed is kept as a draft, so q does not ask; the draft is saved when the program is stopped"
    );
}

#[test]
fn an_imported_files_extra_column_name_shows_its_controls_as_stand_ins() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use dhr_panel::app::{App, Msg, Options};
    use dhr_panel::import::{ImportOptions, import_chronology};
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap();
    // A header naming no known column is kept as an extra field, as written.
    let csv = dir.path().join("police.csv");
    std::fs::write(
        &csv,
        "Date,Event,Zebra\u{1b}]0;PWNED\u{7}\u{202e}X\n01/01/2000,Earliest entry,kept\n",
    )
    .unwrap();
    let options = ImportOptions {
        agency: Some("police".into()),
        ..ImportOptions::default()
    };
    let report = import_chronology(&mut store, case.id, &csv, &options, today()).unwrap();
    assert_eq!(report.imported, 1, "{}", report.summary());
    let mut app = App::new(store, Options::default(), Some("DEMO-1")).unwrap();
    let key = |c| Msg::Key(KeyEvent::new(c, KeyModifiers::NONE));
    app.update(key(KeyCode::Char('1')));
    app.update(key(KeyCode::Home));
    app.update(key(KeyCode::Enter));
    let shown = screen(&app, 160, 48);
    assert!(shown.contains("Earliest entry"), "{shown}");
    assert!(
        shown.contains("Zebra\u{241b}]0;PWNED\u{2407}\u{fffd}X: kept"),
        "the header's controls are shown as stand-ins, like every other text:\n{shown}"
    );
}

#[test]
fn exports_of_hostile_text_to_the_terminal_hold_no_control_characters() {
    let (_dir, db) = demo_db();
    poison(&db);
    for args in [
        &["export", "case", "--case", "DEMO-1"][..],
        &["export", "minutes", "--case", "DEMO-1", "--meeting", "1"],
        &["export", "minutes", "--case", "DEMO-1", "--meeting", "3"],
        &["export", "agenda", "--case", "DEMO-1", "--meeting", "4"],
    ] {
        let output = dhr(&db).args(args).output().unwrap();
        assert_ne!(output.status.code(), Some(101), "{args:?} panicked");
        for stream in [&output.stdout, &output.stderr] {
            assert_no_payload(stream);
            let text = String::from_utf8_lossy(stream);
            let bad: Vec<char> = text
                .chars()
                .filter(|&c| {
                    let u = c as u32;
                    (u < 0x20 && c != '\n') || u == 0x7F || (0x80..=0x9F).contains(&u) || is_bidi(c)
                })
                .collect();
            assert!(bad.is_empty(), "{args:?} printed {bad:?}");
        }
        let out = String::from_utf8_lossy(&output.stdout);
        assert!(
            out.contains("ZQ"),
            "{args:?} exported the hostile text: {out:.300}"
        );
    }
}

#[test]
fn a_paste_holding_the_end_of_paste_marker_and_undo_lines_commits_nothing() {
    let (_dir, db) = demo_db();
    let mut s = minuting_session(&db);
    let before = minute_bodies(&db);
    // The pasted text hides an end-of-paste marker followed by two /undo lines: the bytes
    // as a terminal would send them, in one write.
    s.send("\u{1b}[200~Pasted first line\rsecond line\u{1b}[201~\r/undo\r/undo\r\u{1b}[201~");
    // It is all text in the input, line breaks kept, and nothing was committed.
    let start = Instant::now();
    let draft = loop {
        if let Some(draft) = meeting_3_draft(&db).filter(|d| d.contains("/undo\n/undo")) {
            break draft;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the paste never reached the draft: {:?}",
            meeting_3_draft(&db)
        );
        s.assert_alive();
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        draft.starts_with("Pasted first line\nsecond line\n/undo\n/undo"),
        "{draft:?}"
    );
    assert_eq!(
        minute_bodies(&db),
        before,
        "nothing committed, nothing withdrawn"
    );
    // A separate Enter commits it, as one minute with its line breaks.
    s.send("\r");
    let start = Instant::now();
    while minute_bodies(&db).len() == before.len() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "Enter did not commit"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let after = minute_bodies(&db);
    assert_eq!(after.len(), before.len() + 1, "one minute");
    assert_eq!(&after[..before.len()], &before[..], "no line withdrawn");
    let last = after.last().unwrap();
    assert!(
        last.starts_with("Pasted first line\nsecond line\n/undo\n/undo"),
        "{last:?}"
    );
    s.send("\x1b");
    s.wait_for("i type");
    s.send("q");
    assert!(s.wait_exit().success());
}

#[test]
fn emoji_sequences_tags_and_line_separators_leave_the_minutes_border_in_place() {
    let (_dir, db) = demo_db();
    // Every minute of meeting 3: a family (ZWJ), a heart with VS16, a thumbs-up with a skin
    // tone, a flag, the flag of England (tags), a keycap, a line separator.
    let line = "ZWJLINE \u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467} \u{2764}\u{FE0F} \u{1F44D}\u{1F3FD} \u{1F1EC}\u{1F1E7} \u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F} 1\u{FE0F}\u{20E3} end\u{2028}SECONDPART ok";
    let conn = rusqlite::Connection::open(&db).unwrap();
    let n = conn
        .execute(
            "UPDATE minutes SET body = ?1 WHERE meeting_id = (SELECT id FROM meetings WHERE number = 3)",
            [line],
        )
        .unwrap();
    assert!(n > 0);
    let mut s = minuting_session(&db);
    s.wait_for("ZWJLINE");
    let screen = s.wait_for("SECONDPART");
    let parser = s.parser.lock().unwrap();
    let shown = parser.screen();
    let mut rows = 0;
    for row in 0..24 {
        let text: String = (0..80)
            .filter_map(|c| shown.cell(row, c).map(|cell| cell.contents().to_string()))
            .collect();
        if text.contains("ZWJLINE") || text.contains("SECONDPART") {
            rows += 1;
            let edge = shown.cell(row, 79).map(|c| c.contents().to_string());
            assert_eq!(
                edge.as_deref(),
                Some("│"),
                "row {row} lost its border:\n{screen}"
            );
            assert!(
                !text.contains("SECONDPART") || !text.contains("ZWJLINE"),
                "U+2028 is a line break"
            );
        }
    }
    assert!(rows >= 2, "{screen}");
    drop(parser);
    s.send("\x1b");
    s.wait_for("i type");
    s.send("q");
    assert!(s.wait_exit().success());
    let bytes = s.bytes();
    assert!(
        !String::from_utf8_lossy(&bytes).contains('\u{E0067}'),
        "tag characters reached the terminal"
    );
    assert!(!String::from_utf8_lossy(&bytes).contains('\u{2028}'));
}

/// The resident and peak memory of a process, in kB (VmRSS, VmHWM).
fn memory(pid: i32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap()
    };
    (field("VmRSS:"), field("VmHWM:"))
}

#[test]
fn a_huge_terminal_is_drawn_capped_and_its_memory_given_back_when_it_shrinks() {
    let (_dir, db) = demo_db();
    let mut s = Session::start(&db, &["--case", "DEMO-1"], 24, 80);
    s.wait_for("Agencies: 11");
    let pid = s.child.process_id().unwrap() as i32;
    let (small_rss, _) = memory(pid);
    // 10000x10000: only the pseudo-terminal grows (an emulator that size would be the
    // test's own memory problem); the program draws a capped frame.
    let before = s.bytes().len();
    s.master.resize(size(10000, 10000)).unwrap();
    let start = Instant::now();
    let mut last = before;
    let mut quiet_since = Instant::now();
    loop {
        let now = s.bytes().len();
        if now != last {
            last = now;
            quiet_since = Instant::now();
        }
        // Drawn (the screen cleared and a frame) and then quiet for a while.
        if now > before + 100 && quiet_since.elapsed() > Duration::from_millis(500) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no frame at 10000x10000"
        );
        s.assert_alive();
        std::thread::sleep(Duration::from_millis(20));
    }
    let (big_rss, big_peak) = memory(pid);
    // Back to 80x24: everything drawn again, the big buffers freed.
    let from = s.bytes().len();
    s.resize(24, 80);
    let start = Instant::now();
    loop {
        let screen = screen_since(&s.bytes(), from, 24, 80);
        if screen.contains("Agencies: 11") {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no redraw:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let (after_rss, peak) = memory(pid);
    eprintln!(
        "memory kB: 80x24 {small_rss}, 10000x10000 {big_rss} (peak {big_peak}), shrunk {after_rss} (peak {peak})"
    );
    assert!(peak < 300 * 1024, "peak memory {peak} kB at 10000x10000");
    assert!(
        after_rss < small_rss + (big_rss.saturating_sub(small_rss)) / 2,
        "memory kept after shrinking: {after_rss} kB (80x24 {small_rss}, big {big_rss})"
    );
    s.send("q");
    assert!(s.wait_exit().success());
}

#[test]
fn a_paste_whose_tail_takes_longer_than_two_seconds_to_arrive_commits_and_withdraws_nothing() {
    let (_dir, db) = demo_db();
    let s = minuting_session(&db);
    let before = minute_bodies(&db);
    // The paste hides an end-of-paste marker; what follows arrives slowly (a long paste
    // over a slow link, a loaded machine): 120 chunks 25 ms apart, over three seconds,
    // each with a line and an /undo line. Every byte of it is still the paste.
    s.send("\u{1b}[200~Hostile paste first line\u{1b}[201~");
    for i in 0..120 {
        std::thread::sleep(Duration::from_millis(25));
        s.send(&format!("\rT{i}\r/undo"));
    }
    s.send("\u{1b}[201~");
    // On a loaded machine the last bytes of such a burst can wait in the terminal
    // library's buffer until the next key arrives; a key (here ".") brings them, still as
    // paste text. Either way nothing is committed and nothing withdrawn.
    let start = Instant::now();
    let mut nudged = false;
    loop {
        if meeting_3_draft(&db).is_some_and(|d| d.contains("T119\n/undo")) {
            break;
        }
        if !nudged && start.elapsed() > Duration::from_secs(10) {
            s.send(".");
            nudged = true;
        }
        assert!(
            start.elapsed() < Duration::from_secs(40),
            "the tail never reached the draft: {:?}\n{}",
            meeting_3_draft(&db).map(|d| d.chars().rev().take(80).collect::<String>()),
            s.screen()
        );
        s.assert_alive();
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        minute_bodies(&db),
        before,
        "nothing committed, nothing withdrawn"
    );
}
