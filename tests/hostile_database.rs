//! Hostile databases: a file replaced by garbage, truncated or
//! damaged inside, made read-only, in a folder that cannot be opened, missing, or a folder
//! given as the database. Every subcommand and the workspace answer with a message that
//! says what is wrong and what to do and the right exit status (2 bad input, 1 run time),
//! never create anything they should not, and leave every byte of the folder as it was.
//!
//! Denying access needs a user the permissions apply to. CI runs as root, which no mode
//! bit stops, so under root these tests run the binary as the unprivileged user `nobody`
//! (uid 65534) on files given to that user; if the system cannot start a process as
//! `nobody`, they are skipped under root with a message saying so.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// What a run of the binary did.
#[derive(Debug)]
struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `cmd` with a generous limit (a guard against a hang, not a timing test).
fn run_guarded(cmd: &mut Command) -> Outcome {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("dhr did not finish within 60 s: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let outcome = Outcome {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
    };
    assert_ne!(outcome.code, 101, "dhr panicked: {}", outcome.stderr);
    assert!(
        !outcome.stderr.contains("panicked"),
        "dhr panicked: {}",
        outcome.stderr
    );
    outcome
}

/// Who runs the binary: this process's user, or `nobody` when this is root.
#[derive(Debug, Clone, Copy)]
enum Runner {
    Me,
    Other { uid: u32, gid: u32 },
}

const NOBODY: u32 = 65534;

fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// A user whom file modes apply to, or `None` (with the reason printed) when the test
/// runs as root and cannot start a process as anyone else.
fn denied_user() -> Option<Runner> {
    if !is_root() {
        return Some(Runner::Me);
    }
    let probe = Command::new(env!("CARGO_BIN_EXE_dhr"))
        .arg("--version")
        .uid(NOBODY)
        .gid(NOBODY)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    if probe.is_ok_and(|s| s.success()) {
        Some(Runner::Other {
            uid: NOBODY,
            gid: NOBODY,
        })
    } else {
        eprintln!(
            "skipped: running as root, which no file mode denies, and the binary cannot be \
             started as uid {NOBODY} here, so a denied access cannot be tested"
        );
        None
    }
}

impl Runner {
    /// The binary as this user, with a fixed today and no inherited database.
    fn dhr(self, db: &Path) -> Command {
        let mut cmd = dhr(db);
        if let Runner::Other { uid, gid } = self {
            // std drops root's supplementary groups when it changes the user.
            cmd.uid(uid).gid(gid);
        }
        cmd
    }

    /// Gives `path` (a test's folder and what is in it) to this user.
    fn own(self, path: &Path) {
        if let Runner::Other { uid, gid } = self {
            for entry in walk(path) {
                std::os::unix::fs::lchown(&entry, Some(uid), Some(gid)).unwrap();
            }
        }
    }
}

/// `path` and everything under it.
fn walk(path: &Path) -> Vec<PathBuf> {
    let mut out = vec![path.to_path_buf()];
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            out.extend(walk(&entry.unwrap().path()));
        }
    }
    out
}

/// Every file in a folder with its bytes and mode: what "left untouched" means.
fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, u32)> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let meta = entry.metadata().unwrap();
        let bytes = if meta.is_file() {
            std::fs::read(entry.path()).unwrap()
        } else {
            b"<folder>".to_vec()
        };
        files.insert(
            entry.file_name().to_string_lossy().into_owned(),
            (bytes, meta.mode() & 0o7777),
        );
    }
    files
}

fn assert_same(before: &BTreeMap<String, (Vec<u8>, u32)>, dir: &Path, what: &str) {
    let after = snapshot(dir);
    let names = |s: &BTreeMap<String, (Vec<u8>, u32)>| s.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(before),
        names(&after),
        "{what}: files added or removed"
    );
    for (name, (bytes, mode)) in before {
        let (now_bytes, now_mode) = &after[name];
        assert!(bytes == now_bytes, "{what}: the bytes of {name} changed");
        assert_eq!(mode, now_mode, "{what}: the mode of {name} changed");
    }
}

/// A folder outside the database's, for the files subcommands read or write.
struct Elsewhere {
    _dir: tempfile::TempDir,
    csv: PathBuf,
    backup: PathBuf,
}

fn elsewhere() -> Elsewhere {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let csv = dir.path().join("police.csv");
    std::fs::write(&csv, "Date,Event\n01/02/2019,A contact\n").unwrap();
    std::fs::set_permissions(&csv, std::fs::Permissions::from_mode(0o644)).unwrap();
    // The backup's folder: private, as DHR Panel demands (given to another user with
    // `Runner::own` when one runs the binary).
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o700)).unwrap();
    Elsewhere {
        backup: out.join("backup.sqlite3"),
        csv,
        _dir: dir,
    }
}

/// Every subcommand that opens an existing database (not `demo`).
fn existing_subcommands(e: &Elsewhere) -> Vec<Vec<String>> {
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<String>>();
    vec![
        s(&["cases"]),
        s(&["check"]),
        vec!["backup".into(), e.backup.display().to_string()],
        vec![
            "import".into(),
            "chronology".into(),
            e.csv.display().to_string(),
            "--case".into(),
            "DEMO-1".into(),
            "--agency".into(),
            "police".into(),
        ],
        s(&["export", "minutes", "--case", "DEMO-1", "--meeting", "1"]),
        s(&["export", "agenda", "--case", "DEMO-1", "--meeting", "3"]),
        s(&["export", "case", "--case", "DEMO-1"]),
    ]
}

/// What the workspace is opened with: a writing seat, a reading seat, the minuting view.
const WORKSPACES: [&[&str]; 3] = [
    &[],
    &["--read-only"],
    &["minute", "--case", "DEMO-1", "--meeting", "3"],
];

/// The workspace in a pseudo-terminal; returns its exit status and everything it wrote,
/// escape sequences removed. A workspace that opens instead of refusing is stopped
/// after a while and reported with what it showed.
fn workspace(db: &Path, args: &[&str]) -> (i32, String) {
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
    // A UTF-8 locale, whatever the runner has: the screens tested are the Unicode ones.
    cmd.env("LANG", "C.UTF-8");
    cmd.env_remove("LC_ALL");
    cmd.env_remove("LC_CTYPE");
    cmd.env_remove("DHR_DB");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
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
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            let _ = child.wait();
            let mut parser = vt100::Parser::new(24, 80, 0);
            parser.process(&output.lock().unwrap());
            panic!(
                "dhr {args:?} opened the workspace instead of refusing:\n{}",
                parser.screen().contents()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // Let the reader take the last bytes.
    std::thread::sleep(Duration::from_millis(100));
    let bytes = output.lock().unwrap().clone();
    let code = status.exit_code() as i32;
    assert_ne!(code, 101, "dhr panicked");
    (code, String::from_utf8_lossy(&bytes).into_owned())
}

fn demo_db() -> (tempfile::TempDir, PathBuf) {
    let dir = private_dir();
    let db = db_in(dir.path());
    let out = run_guarded(dhr(&db).arg("demo"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The demo ends by closing the database with everything in the file and an empty
    // log kept in place for readers; the checks below want the file alone.
    let wal = dir.path().join("dhr.sqlite3-wal");
    assert_eq!(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0), 0);
    let _ = std::fs::remove_file(&wal);
    let _ = std::fs::remove_file(dir.path().join("dhr.sqlite3-shm"));
    assert_eq!(
        snapshot(dir.path()).len(),
        1,
        "{:?}",
        snapshot(dir.path()).keys()
    );
    (dir, db)
}

/// Deterministic noise (a linear congruential generator).
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as u8
        })
        .collect()
}

/// Every subcommand, `demo` and the three workspaces are refused with exit 2 and a
/// message containing each of `expected`; nothing in the folder changes.
fn assert_refused_everywhere(dir: &Path, db: &Path, expected: &[&str], what: &str) {
    assert_refused(dir, db, expected, what, &WORKSPACES);
}

/// As [`assert_refused_everywhere`], with only the given workspaces.
fn assert_refused(dir: &Path, db: &Path, expected: &[&str], what: &str, workspaces: &[&[&str]]) {
    let e = elsewhere();
    let before = snapshot(dir);
    let mut runs: Vec<Vec<String>> = existing_subcommands(&e);
    runs.push(vec!["demo".into()]);
    for args in runs {
        let out = run_guarded(dhr(db).args(&args));
        assert_eq!(out.code, 2, "{what}, {args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{what}, {args:?}: {}", out.stdout);
        for words in expected {
            assert!(
                out.stderr.contains(words),
                "{what}, {args:?}: {words:?} not in {}",
                out.stderr
            );
        }
        assert_same(&before, dir, &format!("{what}, {args:?}"));
    }
    assert!(!e.backup.exists(), "{what}: no backup of a refused file");
    for &args in workspaces {
        let (code, shown) = workspace(db, args);
        assert_eq!(code, 2, "{what}, workspace {args:?}: {shown}");
        for words in expected {
            assert!(
                shown.contains(words),
                "{what}, workspace {args:?}: {words:?} not in {shown}"
            );
        }
        assert!(
            !shown.contains("\u{1b}[?1049h"),
            "{what}, workspace {args:?}: the refusal comes before the screen is taken"
        );
        assert_same(&before, dir, &format!("{what}, workspace {args:?}"));
    }
}

#[test]
fn garbage_in_place_of_the_database_is_refused_everywhere_and_left_byte_identical() {
    let dir = private_dir();
    let db = db_in(dir.path());
    std::fs::write(&db, noise(64 * 1024, 11)).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_refused_everywhere(
        dir.path(),
        &db,
        &[
            "is not a DHR Panel database",
            "left untouched",
            "check --db",
        ],
        "garbage",
    );
    // Garbage behind a SQLite header.
    let mut bytes = b"SQLite format 3\0".to_vec();
    bytes.extend(noise(8192, 12));
    std::fs::write(&db, bytes).unwrap();
    assert_refused_everywhere(
        dir.path(),
        &db,
        &["left untouched", "check --db"],
        "garbage behind a SQLite header",
    );
}

#[test]
fn a_truncated_database_is_refused_everywhere_as_damaged_and_left_byte_identical() {
    let (dir, db) = demo_db();
    let whole = std::fs::read(&db).unwrap();
    std::fs::write(&db, &whole[..whole.len() / 2]).unwrap();
    assert_refused_everywhere(
        dir.path(),
        &db,
        &["is damaged", "left untouched", "restore it from a backup"],
        "truncated to half",
    );
    // Cut inside the 100-byte header: no longer recognisable as SQLite at all.
    std::fs::write(&db, &whole[..50]).unwrap();
    assert_refused_everywhere(
        dir.path(),
        &db,
        &["left untouched"],
        "truncated inside the header",
    );
}

/// The demo database with pages 20 to 39 overwritten by noise.
fn damaged_inside() -> (tempfile::TempDir, PathBuf) {
    let (dir, db) = demo_db();
    let mut bytes = std::fs::read(&db).unwrap();
    let page = 4096;
    assert!(bytes.len() > 40 * page);
    bytes[20 * page..40 * page].copy_from_slice(&noise(20 * page, 13));
    std::fs::write(&db, bytes).unwrap();
    (dir, db)
}

#[test]
fn a_database_damaged_inside_is_refused_everywhere_and_left_byte_identical() {
    let (dir, db) = damaged_inside();
    assert_refused(
        dir.path(),
        &db,
        &["is damaged", "left untouched"],
        "pages overwritten",
        // The reading seat is the test below.
        &[WORKSPACES[0], WORKSPACES[2]],
    );
}

#[test]
fn a_database_damaged_inside_is_refused_by_the_reading_seat_too() {
    let (dir, db) = damaged_inside();
    assert_refused(
        dir.path(),
        &db,
        &["is damaged", "left untouched"],
        "pages overwritten",
        &[WORKSPACES[1]],
    );
}

#[test]
fn a_missing_database_is_created_by_no_subcommand_but_the_workspace_and_demo() {
    let dir = private_dir();
    let e = elsewhere();
    // A missing folder, and a folder without the file.
    let in_missing_folder = dir.path().join("typo").join("dhr.sqlite3");
    let in_empty_folder = dir.path().join("empty").join("dhr.sqlite3");
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    std::fs::set_permissions(
        dir.path().join("empty"),
        std::fs::Permissions::from_mode(0o700),
    )
    .unwrap();
    for db in [&in_missing_folder, &in_empty_folder] {
        let before = snapshot(dir.path());
        for args in existing_subcommands(&e) {
            let out = run_guarded(dhr(db).args(&args));
            assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
            assert!(
                out.stderr.contains("no database at") && out.stderr.contains("check --db"),
                "{args:?}: {}",
                out.stderr
            );
            assert_same(&before, dir.path(), &format!("{args:?}"));
            assert!(!db.exists());
        }
        for args in &WORKSPACES[1..] {
            let (code, shown) = workspace(db, args);
            assert_eq!(code, 2, "{args:?}: {shown}");
            assert!(shown.contains("no database at"), "{args:?}: {shown}");
            assert_same(&before, dir.path(), &format!("workspace {args:?}"));
        }
        assert!(!e.backup.exists());
    }
    assert!(!dir.path().join("typo").exists(), "no folder was made");
    // `demo` does create it, folder and all (so the checks above could have failed).
    let out = run_guarded(dhr(&in_missing_folder).arg("demo"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(in_missing_folder.exists());
}

#[test]
fn a_database_open_to_other_users_is_refused_everywhere_and_left_as_it_was() {
    // A mode DHR Panel checks, not a denial: this runs as root too.
    let (dir, db) = demo_db();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_refused_everywhere(
        dir.path(),
        &db,
        &["is open to other users", "chmod o-rwx"],
        "mode 0644",
    );
}

#[test]
fn a_folder_given_as_the_database_is_refused_and_nothing_is_made_in_it() {
    let dir = private_dir();
    let folder = dir.path().join("reviews");
    std::fs::create_dir(&folder).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700)).unwrap();
    let e = elsewhere();
    let before = snapshot(dir.path());
    let mut runs = existing_subcommands(&e);
    runs.push(vec!["demo".into()]);
    for args in runs {
        let out = run_guarded(dhr(&folder).args(&args));
        assert_ne!(out.code, 0, "{args:?}: {}", out.stdout);
        assert!(out.stderr.contains("reviews"), "names it: {}", out.stderr);
        assert_same(&before, dir.path(), &format!("{args:?}"));
        assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
    }
    for args in WORKSPACES {
        let (code, shown) = workspace(&folder, args);
        assert_ne!(code, 0, "{args:?}: {shown}");
        assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
    }
}

#[test]
fn a_folder_given_as_the_database_is_bad_input_with_a_message_saying_what_to_do() {
    let dir = private_dir();
    let folder = dir.path().join("reviews");
    std::fs::create_dir(&folder).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700)).unwrap();
    let e = elsewhere();
    let mut runs = existing_subcommands(&e);
    runs.push(vec!["demo".into()]);
    for args in runs {
        let out = run_guarded(dhr(&folder).args(&args));
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("folder") || out.stderr.contains("directory"),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr.contains("--db"),
            "says what to do: {}",
            out.stderr
        );
    }
    for args in WORKSPACES {
        let (code, shown) = workspace(&folder, args);
        assert_eq!(code, 2, "{args:?}: {shown}");
        assert!(shown.contains("--db"), "{args:?}: {shown}");
    }
}

/// A demo database in a folder of its own, given to `runner`, the file made 0400.
fn read_only_demo(runner: Runner) -> (tempfile::TempDir, PathBuf) {
    let (dir, db) = demo_db();
    let folder = dir.path().join("ro");
    std::fs::create_dir(&folder).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700)).unwrap();
    let ro = folder.join("dhr.sqlite3");
    std::fs::rename(&db, &ro).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o400)).unwrap();
    // The whole test folder, so that user can reach the database.
    runner.own(dir.path());
    (dir, ro)
}

#[test]
fn a_read_only_database_can_be_read_and_its_bytes_never_change() {
    let Some(runner) = denied_user() else { return };
    let (_dir, db) = read_only_demo(runner);
    let bytes = std::fs::read(&db).unwrap();
    let e = elsewhere();
    runner.own(e.backup.parent().unwrap());
    // Reading works on a file its owner may not write.
    for args in [
        vec!["cases"],
        vec!["check"],
        vec!["export", "case", "--case", "DEMO-1"],
    ] {
        let out = run_guarded(runner.dhr(&db).args(&args));
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    }
    let out = run_guarded(runner.dhr(&db).arg("backup").arg(&e.backup));
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Writing is refused and changes nothing.
    let out = run_guarded(
        runner
            .dhr(&db)
            .args(["import", "chronology"])
            .arg(&e.csv)
            .args(["--case", "DEMO-1", "--agency", "police"]),
    );
    assert_ne!(
        out.code, 0,
        "an import into a read-only file: {}",
        out.stdout
    );
    assert!(!out.stderr.is_empty());
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "the bytes never change");
    assert_eq!(
        std::fs::metadata(&db).unwrap().mode() & 0o777,
        0o400,
        "the mode is left as the owner set it"
    );
}

#[test]
fn an_export_from_a_read_only_database_is_written_and_says_it_is_not_in_the_register() {
    let Some(runner) = denied_user() else { return };
    let (_dir, db) = read_only_demo(runner);
    let bytes = std::fs::read(&db).unwrap();
    let e = elsewhere();
    runner.own(e.backup.parent().unwrap());
    let file = e.backup.parent().unwrap().join("minutes.md");
    let out = run_guarded(
        runner
            .dhr(&db)
            .args([
                "export",
                "minutes",
                "--case",
                "DEMO-1",
                "--meeting",
                "2",
                "-o",
            ])
            .arg(&file),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("not in the export register (read-only seat)"),
        "said on stderr: {}",
        out.stderr
    );
    let written = std::fs::read_to_string(&file).expect("the export is still written");
    let tail: Vec<&str> = written.lines().rev().take(4).collect();
    assert!(
        tail.contains(&"This copy is not in the export register (read-only seat)."),
        "and in its footer: {tail:?}"
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        bytes,
        "the database is untouched"
    );
}

#[test]
fn writing_to_a_read_only_database_names_the_file_and_says_what_to_do() {
    let Some(runner) = denied_user() else { return };
    let (_dir, db) = read_only_demo(runner);
    let e = elsewhere();
    let out = run_guarded(
        runner
            .dhr(&db)
            .args(["import", "chronology"])
            .arg(&e.csv)
            .args(["--case", "DEMO-1", "--agency", "police"]),
    );
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains(&db.display().to_string()),
        "names the file: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains("read-only") && out.stderr.contains("chmod"),
        "says what is wrong and how to fix it: {}",
        out.stderr
    );
}

/// A folder made unopenable (mode 000) for the length of a test; opened again (0700) when
/// dropped, even if the test fails, so the temporary folder can be removed.
struct Locked {
    folder: PathBuf,
}

impl Locked {
    fn unlock(&self) {
        let _ = std::fs::set_permissions(&self.folder, std::fs::Permissions::from_mode(0o700));
    }
}

impl Drop for Locked {
    fn drop(&mut self) {
        self.unlock();
    }
}

/// The demo database in a folder of its own that `runner` owns and cannot open; the
/// database's bytes as they were.
fn locked_demo(runner: Runner) -> (tempfile::TempDir, Locked, PathBuf, Vec<u8>) {
    let (dir, db) = demo_db();
    let folder = dir.path().join("locked");
    std::fs::create_dir(&folder).unwrap();
    let locked = folder.join("dhr.sqlite3");
    std::fs::rename(&db, &locked).unwrap();
    let bytes = std::fs::read(&locked).unwrap();
    runner.own(dir.path());
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o000)).unwrap();
    (dir, Locked { folder }, locked, bytes)
}

#[test]
fn a_folder_that_cannot_be_opened_changes_nothing_and_creates_nothing() {
    let Some(runner) = denied_user() else { return };
    let (_dir, lock, db, bytes) = locked_demo(runner);
    let e = elsewhere();
    let mut runs = existing_subcommands(&e);
    runs.push(vec!["demo".into()]);
    for args in runs {
        let out = run_guarded(runner.dhr(&db).args(&args));
        assert_ne!(out.code, 0, "{args:?}: {}", out.stdout);
        assert!(
            out.stderr.contains("locked"),
            "{args:?} names the place: {}",
            out.stderr
        );
    }
    assert!(!e.backup.exists());
    lock.unlock();
    assert_eq!(
        snapshot(&lock.folder).keys().collect::<Vec<_>>(),
        ["dhr.sqlite3"],
        "nothing created beside it"
    );
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
}

#[test]
fn a_folder_that_cannot_be_opened_is_named_as_the_problem() {
    let Some(runner) = denied_user() else { return };
    let (_dir, _lock, db, _) = locked_demo(runner);
    let e = elsewhere();
    let mut runs = existing_subcommands(&e);
    runs.push(vec!["demo".into()]);
    let mut wrong = Vec::new();
    for args in runs {
        let out = run_guarded(runner.dhr(&db).args(&args));
        let said = out.stderr.to_lowercase();
        // Not "there is no database" (there is one), but that the folder cannot be
        // opened, and what to do about it.
        if said.contains("no database at")
            || !said.contains("permission")
            || !(said.contains("chmod") || said.contains("owner"))
        {
            wrong.push(format!("{args:?}: {said}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

// ---------------------------------------------------------------------------------------
// Group bits. Modes and groups DHR Panel checks, not denials: these run as root too.
// `nogroup` (gid 65534) is the own group of the user `nobody`, so it has a member other
// than the owner of the files.

const NOGROUP: u32 = 65534;

/// Gives `path` to group `gid` with `mode`; false (with the reason printed) when this
/// user may not (not root, and not a member of that group).
fn regroup(path: &Path, gid: u32, mode: u32) -> bool {
    if let Err(e) = std::os::unix::fs::chown(path, None, Some(gid)) {
        eprintln!("skipped: cannot give {} to gid {gid}: {e}", path.display());
        return false;
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    true
}

#[test]
fn a_group_readable_database_in_a_folder_that_is_not_setgid_is_refused_with_the_fix() {
    // The case that leaked: 0640 in a 0750 folder that is not setgid, in a group with
    // other members.
    let (dir, db) = demo_db();
    if !regroup(dir.path(), NOGROUP, 0o750) || !regroup(&db, NOGROUP, 0o640) {
        return;
    }
    assert_refused_everywhere(
        dir.path(),
        &db,
        &[
            "can be read by group",
            "every member of that group could copy the real names",
            &format!("chmod g-rwx '{}'", dir.path().display()),
            "chmod 2770",
        ],
        "0640 in a 0750 folder of a shared group",
    );
}

#[test]
fn a_group_readable_database_in_a_private_folder_is_refused_naming_the_file() {
    let (dir, db) = demo_db();
    if !regroup(&db, NOGROUP, 0o640) {
        return;
    }
    assert_refused(
        dir.path(),
        &db,
        &[
            "can be read by group",
            &format!("chmod g-rwx '{}'", db.display()),
        ],
        "0640 in a 0700 folder",
        &[],
    );
}

#[test]
fn group_bits_on_the_wal_are_refused_too() {
    let (dir, db) = demo_db();
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    let wal = PathBuf::from(wal);
    std::fs::write(&wal, b"").unwrap();
    if !regroup(&wal, NOGROUP, 0o660) {
        return;
    }
    let out = run_guarded(dhr(&db).arg("cases"));
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("can be read by group")
            && out
                .stderr
                .contains(&format!("chmod g-rwx '{}'", wal.display())),
        "{}",
        out.stderr
    );
    drop(dir);
}

#[test]
fn a_setgid_group_folder_where_the_chair_may_only_read_is_legitimate() {
    // Folder 2750 and database 0640 in the folder's group: the group reads, the owner
    // writes. That is the README's shared folder with a read-only chair.
    let (dir, db) = demo_db();
    if !regroup(dir.path(), NOGROUP, 0o2750) || !regroup(&db, NOGROUP, 0o640) {
        return;
    }
    let out = run_guarded(dhr(&db).arg("cases"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("DEMO-1"), "{}", out.stdout);
    // The same file in that folder but in another group is refused, with the chgrp.
    let own = nix::unistd::getgid().as_raw();
    if own != NOGROUP
        && regroup(&db, own, 0o640)
        && !dhr_panel::store::files::group_is_personal(own, nix::unistd::getuid().as_raw())
    {
        let out = run_guarded(dhr(&db).arg("cases"));
        assert_eq!(out.code, 2, "{}", out.stdout);
        assert!(out.stderr.contains("chgrp nogroup"), "{}", out.stderr);
    }
}

#[test]
fn a_personal_group_keeps_a_group_readable_database_private() {
    // As on Ubuntu homes: the group has no member but the owner.
    let uid = nix::unistd::getuid().as_raw();
    let gid = nix::unistd::getgid().as_raw();
    if !dhr_panel::store::files::group_is_personal(gid, uid) {
        eprintln!("skipped: this user's group {gid} has other members, so it is not personal here");
        return;
    }
    let (dir, db) = demo_db();
    assert!(regroup(dir.path(), gid, 0o750) && regroup(&db, gid, 0o640));
    let out = run_guarded(dhr(&db).arg("cases"));
    assert_eq!(out.code, 0, "{}", out.stderr);
}

// --- Issue 13: readers who may only read, and read-only media -----------------------------

/// A group only the reader and the owner share (no such group needs to exist by name).
const READERS_GID: u32 = 4242;

/// The demo database in a setgid folder 2750 of the readers' group, the database and its
/// companions 0640: the owner writes, the group may only read.
fn shared_read_only() -> (tempfile::TempDir, PathBuf) {
    let (dir, db) = demo_db();
    let folder = dir.path().join("panel");
    std::fs::create_dir(&folder).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o2750)).unwrap();
    let shared = folder.join("dhr.sqlite3");
    for (from, to) in files_of(&db).into_iter().zip(files_of(&shared)) {
        if from.exists() {
            std::fs::rename(&from, &to).unwrap();
        }
    }
    // The secretary opens and closes it once: her seat keeps the log in place.
    drop(
        dhr_panel::store::Store::open(&shared, dhr_panel::store::OpenMode::Existing, clock())
            .unwrap(),
    );
    for path in walk(&folder) {
        std::os::unix::fs::lchown(&path, None, Some(READERS_GID)).unwrap();
    }
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o2750)).unwrap();
    for path in files_of(&shared) {
        if path.exists() {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
    }
    // The test folder itself is passable for the reader (but not listable).
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o711)).unwrap();
    (dir, shared)
}

fn files_of(db: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm"]
        .iter()
        .map(|s| PathBuf::from(format!("{}{s}", db.display())))
        .collect()
}

/// The reader: uid 65534 with the readers' group as its own group (std sets no
/// supplementary groups, so the group is the primary one). Root only.
fn reader(db: &Path) -> Command {
    let mut cmd = dhr(db);
    cmd.uid(NOBODY).gid(READERS_GID);
    cmd
}

/// A folder the reader may write backups and exports into.
fn readers_own_folder(dir: &Path) -> PathBuf {
    let out = dir.join("mine");
    std::fs::create_dir(&out).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::os::unix::fs::chown(&out, Some(NOBODY), Some(READERS_GID)).unwrap();
    out
}

/// `--read-only` in a pseudo-terminal as the reader (through setpriv): whether the
/// workspace showed the demo case before it was stopped.
fn reading_seat_shows_the_case(db: &Path) -> Option<bool> {
    if Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("skipped the --read-only seat: setpriv is not installed");
        return None;
    }
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new("setpriv");
    for a in [
        format!("--reuid={NOBODY}"),
        format!("--regid={READERS_GID}"),
        "--clear-groups".to_string(),
        env!("CARGO_BIN_EXE_dhr").to_string(),
        "--db".to_string(),
        db.display().to_string(),
        "--read-only".to_string(),
        "--case".to_string(),
        "DEMO-1".to_string(),
    ] {
        cmd.arg(a);
    }
    cmd.env("DHR_TODAY", TODAY);
    cmd.env("TERM", "xterm-256color");
    // A UTF-8 locale, whatever the runner has: the screens tested are the Unicode ones.
    cmd.env("LANG", "C.UTF-8");
    cmd.env_remove("LC_ALL");
    cmd.env_remove("LC_CTYPE");
    cmd.env_remove("DHR_DB");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
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
    let start = Instant::now();
    let mut shown = false;
    while start.elapsed() < Duration::from_secs(15) {
        let mut parser = vt100::Parser::new(30, 100, 0);
        parser.process(&output.lock().unwrap());
        let screen = parser.screen().contents();
        if screen.contains("DEMO-1") && screen.contains("Agencies") {
            shown = true;
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    if !shown {
        eprintln!("{}", String::from_utf8_lossy(&output.lock().unwrap()));
    }
    Some(shown)
}

fn assert_reader_can_use_all_five(dir: &Path, db: &Path, out: &Path, tag: &str) {
    for args in [
        vec!["cases"],
        vec!["check"],
        vec!["export", "case", "--case", "DEMO-1"],
    ] {
        let o = run_guarded(reader(db).args(&args));
        assert_eq!(o.code, 0, "{tag} {args:?}: {}", o.stderr);
    }
    let o = run_guarded(
        reader(db)
            .args([
                "export",
                "minutes",
                "--case",
                "DEMO-1",
                "--meeting",
                "1",
                "-o",
            ])
            .arg(out.join(format!("minutes-{tag}.md"))),
    );
    assert_eq!(o.code, 0, "{tag} export -o: {}", o.stderr);
    let backup = out.join(format!("backup-{tag}.sqlite3"));
    let o = run_guarded(reader(db).arg("backup").arg(&backup));
    assert_eq!(o.code, 0, "{tag} backup: {}", o.stderr);
    if let Some(shown) = reading_seat_shows_the_case(db) {
        assert!(shown, "{tag}: the reading seat opened on the case");
    }
    let _ = dir;
}

#[test]
fn a_group_member_who_may_only_read_can_use_every_reading_command_seat_open_or_closed() {
    if !is_root() {
        eprintln!("skipped: needs root to run the binary as another user sharing a group");
        return;
    }
    let (dir, db) = shared_read_only();
    let out = readers_own_folder(dir.path());
    let bytes = std::fs::read(&db).unwrap();
    // The secretary's seat closed: the -wal and -shm her last session kept are there.
    assert!(
        files_of(&db)[1].exists(),
        "the writer keeps the log for readers"
    );
    assert_reader_can_use_all_five(dir.path(), &db, &out, "closed");
    assert_eq!(std::fs::read(&db).unwrap(), bytes, "readers change nothing");
    // Her seat open (a writer's connection, with a change in the log).
    let mut writer =
        dhr_panel::store::Store::open(&db, dhr_panel::store::OpenMode::Existing, clock()).unwrap();
    let case = writer.case_by_reference("DEMO-1").unwrap().unwrap();
    let csv = out.join("late.csv");
    std::fs::write(
        &csv,
        "Date,Event\n01/02/2019,Written while the reader reads\n",
    )
    .unwrap();
    let options = dhr_panel::import::ImportOptions {
        agency: Some("police".into()),
        skip_invalid: false,
        dry_run: false,
    };
    dhr_panel::import::import_chronology(&mut writer, case.id, &csv, &options, today()).unwrap();
    assert_reader_can_use_all_five(dir.path(), &db, &out, "open");
    let o = run_guarded(reader(&db).args(["export", "case", "--case", "DEMO-1"]));
    assert!(
        o.stdout.contains("Written while the reader reads"),
        "the reader sees the open seat's committed change"
    );
    drop(writer);
    // Without the log (a database last closed by an older version), the reader is told
    // what to do rather than "unable to open database file".
    for path in files_of(&db).into_iter().skip(1) {
        std::fs::remove_file(path).unwrap();
    }
    let o = run_guarded(reader(&db).arg("cases"));
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("write-ahead log") && o.stderr.contains("owner"),
        "{}",
        o.stderr
    );
}

/// Runs `script` (sh) in a mount namespace of its own where `folder` is mounted
/// read-only; `None` when this system cannot make one (not root, no unshare).
fn on_read_only_media(folder: &Path, script: &str) -> Option<Outcome> {
    if !is_root()
        || !Command::new("unshare")
            .args(["-m", "true"])
            .status()
            .is_ok_and(|s| s.success())
    {
        eprintln!("skipped: cannot make a mount namespace here to mount a folder read-only");
        return None;
    }
    let f = folder.display();
    let full =
        format!("mount --bind '{f}' '{f}' && mount -o remount,bind,ro '{f}' '{f}' && {script}");
    Some(run_guarded(
        Command::new("unshare")
            .args(["-m", "sh", "-c", &full])
            .env("DHR_TODAY", TODAY)
            .env_remove("DHR_DB"),
    ))
}

#[test]
fn every_reading_command_works_on_read_only_media_with_or_without_the_log() {
    let (dir, db) = demo_db();
    let folder = dir.path().join("media");
    std::fs::create_dir(&folder).unwrap();
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700)).unwrap();
    let ro = folder.join("dhr.sqlite3");
    for (from, to) in files_of(&db).into_iter().zip(files_of(&ro)) {
        if from.exists() {
            std::fs::rename(&from, &to).unwrap();
        }
    }
    drop(
        dhr_panel::store::Store::open(&ro, dhr_panel::store::OpenMode::Existing, clock()).unwrap(),
    );
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o700)).unwrap();
    let bin = env!("CARGO_BIN_EXE_dhr");
    for tag in ["with-log", "without-log"] {
        if tag == "without-log" {
            for path in files_of(&ro).into_iter().skip(1) {
                let _ = std::fs::remove_file(path);
            }
        }
        let o = out.display();
        let d = ro.display();
        let script = format!(
            "touch '{d}.probe' 2>/dev/null && exit 99; \
             '{bin}' --db '{d}' cases && '{bin}' --db '{d}' check && \
             '{bin}' --db '{d}' export case --case DEMO-1 -o '{o}/case-{tag}.md' && \
             '{bin}' --db '{d}' backup '{o}/b-{tag}.sqlite3'"
        );
        let Some(outcome) = on_read_only_media(&folder, &script) else {
            return;
        };
        assert_eq!(
            outcome.code, 0,
            "{tag}: {}\n{}",
            outcome.stdout, outcome.stderr
        );
        assert!(
            outcome.stdout.contains("Audit chain: valid"),
            "{}",
            outcome.stdout
        );
        assert!(out.join(format!("b-{tag}.sqlite3")).exists());
    }
}
