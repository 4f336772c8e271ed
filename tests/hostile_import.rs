//! Hostile files given to `dhr import chronology`: a 1 MB cell, 100,000 rows,
//! binary garbage, invalid UTF-8, a header only, an empty file, a folder, a missing file.
//! Each gets a clear error or a clean import or report from the real binary — never a
//! panic (exit 101) or a hang — and nothing the file holds reaches the terminal as a
//! control character.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// What the binary did.
struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `cmd`, reading its output as it comes (a long report must not fill the pipe),
/// and fails the test if it has not finished within a generous limit: this is not a
/// timing test, only a guard against a hang.
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
            pipe.read_to_end(&mut bytes).unwrap();
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
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("dhr import did not finish within 120 s: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let (stdout, stderr) = (out.join().unwrap(), err.join().unwrap());
    assert_clean(&stdout, "stdout");
    assert_clean(&stderr, "stderr");
    let outcome = Outcome {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    };
    assert_ne!(outcome.code, 101, "dhr panicked: {}", outcome.stderr);
    assert!(
        !outcome.stderr.contains("panicked"),
        "dhr panicked: {}",
        outcome.stderr
    );
    outcome
}

/// The command line's output is plain text: valid UTF-8, no escape or other C0 control
/// but the line break, no DEL, no C1 control, no bidi control — whatever the file held.
fn assert_clean(bytes: &[u8], which: &str) {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => panic!("{which} is not UTF-8: {e}"),
    };
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let u = c as u32;
        let bad = (u < 0x20 && c != '\n')
            || u == 0x7F
            || (0x80..=0x9F).contains(&u)
            || matches!(u, 0x061C | 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069);
        if bad {
            let around: String = chars[i.saturating_sub(60)..(i + 60).min(chars.len())]
                .iter()
                .collect();
            panic!("{which} holds {c:?} at character {i}: {around:?}");
        }
    }
}

/// A demo database and a private folder for the files.
fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = private_dir();
    let db = db_in(dir.path());
    let (code, _, err) = run(dhr(&db).arg("demo"));
    assert_eq!(code, 0, "{err}");
    (dir, db)
}

fn import(db: &Path, file: &Path, extra: &[&str]) -> Outcome {
    let mut cmd = dhr(db);
    cmd.args(["import", "chronology"])
        .arg(file)
        .args(["--case", "DEMO-1"])
        .args(extra);
    run_guarded(&mut cmd)
}

/// Rows in the chronology and the audit trail: what an import that writes nothing must
/// leave as it found.
fn counts(db: &Path) -> (i64, i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let count = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    (
        count("SELECT count(*) FROM chronology"),
        count("SELECT count(*) FROM audit"),
    )
}

/// Deterministic noise (a linear congruential generator), so a failure can be replayed.
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

#[test]
fn a_one_megabyte_cell_is_imported_whole() {
    let (dir, db) = setup();
    let file = dir.path().join("big_cell.csv");
    // 1 MB of event text with commas, quotes, line breaks and escape sequences inside.
    let mut cell = String::from("Start \u{1b}]0;PWNED\u{7} \"quoted\", \u{202e}\r\n");
    while cell.len() < 1 << 20 {
        cell.push_str("The officer noted, again, that \"nothing\" had changed. ");
    }
    cell.push_str("END");
    let csv = format!("Date,Event\n01/02/2019,\"{}\"\n", cell.replace('"', "\"\""));
    std::fs::write(&file, csv).unwrap();
    let before = counts(&db);
    let out = import(&db, &file, &["--agency", "police"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("Imported 1 entry into DEMO-1"),
        "{}",
        out.stdout
    );
    assert_eq!(counts(&db).0, before.0 + 1);
    // Stored as written, every byte of it.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let stored: String = conn
        .query_row(
            "SELECT event FROM chronology ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored.len(), cell.len());
    assert!(stored.starts_with("Start \u{1b}]0;PWNED") && stored.ends_with("END"));
}

#[test]
fn a_one_megabyte_bad_date_is_reported_without_control_characters() {
    let (dir, db) = setup();
    let file = dir.path().join("big_date.csv");
    let mut cell = String::from("\u{1b}[2J\u{9b}31m");
    while cell.len() < 1 << 20 {
        cell.push_str("not a date ");
    }
    std::fs::write(&file, format!("Date,Event\n{cell},An event\n")).unwrap();
    let before = counts(&db);
    let out = import(&db, &file, &["--agency", "police"]);
    assert_eq!(out.code, 2, "bad input: {}", out.stderr);
    assert!(
        out.stdout.contains("line 2, column Date"),
        "{:.300}",
        out.stdout
    );
    assert!(out.stdout.contains("is not a date"), "says why");
    assert!(out.stderr.contains("1 bad row"), "{}", out.stderr);
    assert_eq!(counts(&db), before, "nothing written");
}

#[test]
fn a_hundred_thousand_rows_are_checked_in_a_dry_run() {
    let (dir, db) = setup();
    let file = dir.path().join("many.csv");
    let mut csv = String::from("Date,Time,Event,Subject,Comment\n");
    for n in 0..100_000u32 {
        let day = 1 + n % 28;
        let month = 1 + (n / 28) % 12;
        csv.push_str(&format!(
            "{day:02}/{month:02}/2018,10:{:02},Contact number {n},Adult A,\"Seen, and \"\"noted\"\"\"\n",
            n % 60
        ));
    }
    std::fs::write(&file, csv).unwrap();
    let before = counts(&db);
    let out = import(&db, &file, &["--agency", "police", "--dry-run"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("Rows: 100000 (100000 good, 0 bad)"),
        "{}",
        out.stdout
    );
    assert_eq!(counts(&db), before, "a dry run writes nothing");
}

#[test]
fn binary_garbage_is_refused_or_reported_clearly() {
    let (dir, db) = setup();
    let before = counts(&db);
    // With NUL bytes: not text at all.
    let with_nul = dir.path().join("garbage.csv");
    std::fs::write(&with_nul, noise(64 * 1024, 7)).unwrap();
    let out = import(&db, &with_nul, &["--agency", "police"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .starts_with("dhr: garbage.csv is not a CSV file: it holds NUL bytes"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "{}", out.stdout);

    // Without NUL bytes it decodes (as Windows-1252) and is judged by its header, which
    // is echoed back with every control made visible.
    for seed in [1, 2, 3] {
        let bytes: Vec<u8> = noise(64 * 1024, seed)
            .into_iter()
            .map(|b| if b == 0 { 0x1B } else { b })
            .collect();
        let file = dir.path().join(format!("noise{seed}.csv"));
        std::fs::write(&file, bytes).unwrap();
        let out = import(&db, &file, &["--agency", "police"]);
        assert_eq!(out.code, 2, "{}\n{}", out.stdout, out.stderr);
        assert!(
            out.stderr.starts_with(&format!("dhr: noise{seed}.csv")),
            "names the file: {:.300}",
            out.stderr
        );
        assert!(
            out.stderr.contains("nothing was imported"),
            "{:.300}",
            out.stderr
        );
    }
    assert_eq!(counts(&db), before, "nothing written");
}

#[test]
fn invalid_utf8_is_read_as_windows_1252_and_said_so() {
    let (dir, db) = setup();
    let file = dir.path().join("excel.csv");
    // Excel's default: "café", curly quotes, an en dash, and the bytes Windows-1252
    // leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D), which decode to C1 controls.
    let mut bytes = b"Date,Event,Comment\r\n".to_vec();
    bytes.extend_from_slice(
        b"01/02/2019,Caf\xe9 visit \x96 \x93seen\x94,odd \x81\x8d\x8f\x90\x9d bytes\r\n",
    );
    // A bad row whose cells are echoed in the report.
    bytes.extend_from_slice(b"\x9b31m\x9d0;x,Second,\r\n");
    std::fs::write(&file, &bytes).unwrap();
    let out = import(&db, &file, &["--agency", "police", "--dry-run"]);
    assert_eq!(out.code, 2, "the bad row stops it: {}", out.stderr);
    assert!(
        out.stdout.contains("Read as Windows-1252"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("line 3, column Date"), "{}", out.stdout);

    let out = import(&db, &file, &["--agency", "police", "--skip-invalid"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("Read as Windows-1252"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("Imported 1 entry into DEMO-1"),
        "{}",
        out.stdout
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (event, comment): (String, String) = conn
        .query_row(
            "SELECT event, agency_comment FROM chronology ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(event, "Café visit – “seen”");
    assert_eq!(comment, "odd \u{81}\u{8d}\u{8f}\u{90}\u{9d} bytes");
}

#[test]
fn a_header_only_imports_nothing_cleanly_and_an_empty_file_is_refused() {
    let (dir, db) = setup();
    let before = counts(&db);
    let header_only = dir.path().join("header_only.csv");
    std::fs::write(&header_only, "Date,Event,Comment\r\n").unwrap();
    let out = import(&db, &header_only, &["--agency", "police"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Rows: 0"), "{}", out.stdout);
    assert!(
        out.stdout.contains("the file has a header but no rows"),
        "{}",
        out.stdout
    );

    for (name, bytes) in [
        ("empty.csv", &b""[..]),
        ("bom_only.csv", b"\xef\xbb\xbf"),
        ("blank_lines.csv", b"\r\n\n\r\n,,,\n"),
    ] {
        let file = dir.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let out = import(&db, &file, &["--agency", "police"]);
        assert_eq!(out.code, 2, "{name}: {}", out.stderr);
        assert!(
            out.stderr.contains(&format!("{name} has no header row")),
            "{name}: {}",
            out.stderr
        );
        assert!(
            out.stderr.contains("The first line must name the columns"),
            "says what to do: {}",
            out.stderr
        );
    }
    assert_eq!(counts(&db), before, "nothing written");
}

#[test]
fn a_folder_or_a_missing_file_is_a_clear_error() {
    let (dir, db) = setup();
    let folder = dir.path().join("a_folder.csv");
    std::fs::create_dir(&folder).unwrap();
    let out = import(&db, &folder, &["--agency", "police"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("a_folder.csv") && out.stderr.contains("it is a folder, not a file"),
        "{}",
        out.stderr
    );

    let missing = dir.path().join("no_such_file.csv");
    let out = import(&db, &missing, &["--agency", "police"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("cannot read") && out.stderr.contains("no_such_file.csv"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("Check the file name"),
        "says what to do: {}",
        out.stderr
    );
    assert!(!missing.exists(), "never created");
}

#[test]
fn a_hostile_file_name_is_not_echoed_as_control_characters() {
    let (dir, db) = setup();
    let file = dir.path().join("evil\u{1b}]0;PWNED\u{7}\u{202e}vsc.csv");
    std::fs::write(&file, "Date,Event\n31/02/2019,Impossible\n").unwrap();
    let out = import(&db, &file, &["--agency", "police"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    // assert_clean (in run_guarded) has checked both streams; the name is still there.
    assert!(
        out.stdout.contains("evil\u{241b}]0;PWNED"),
        "{}",
        out.stdout
    );
    let missing = dir.path().join("gone\u{1b}[2J.csv");
    let out = import(&db, &missing, &["--agency", "police"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("gone\u{241b}[2J.csv"), "{}", out.stderr);
}

#[test]
fn a_time_cell_with_a_non_ascii_character_is_a_bad_row_not_a_panic() {
    let (dir, db) = setup();
    for (n, cell) in ["1é1", "🕐", "é1:"].into_iter().enumerate() {
        let file = dir.path().join(format!("times{n}.csv"));
        std::fs::write(
            &file,
            format!("Date,Time,Event\n01/02/2019,{cell},Seen at home\n"),
        )
        .unwrap();
        let out = import(&db, &file, &["--agency", "police", "--dry-run"]);
        assert_eq!(out.code, 2, "{cell:?}: {}", out.stderr);
        assert!(
            out.stdout.contains("line 2, column Time"),
            "{cell:?}: {}",
            out.stdout
        );
    }
}

// --- Issue 13: bad input refused with its place, bounded output, full disks ---------------

#[test]
fn an_unclosed_quote_is_refused_naming_the_line_where_the_cell_starts() {
    let (dir, db) = setup();
    let before = counts(&db);
    let file = dir.path().join("quote.csv");
    std::fs::write(
        &file,
        "Date,Event\n01/02/2019,fine\n02/02/2019,\"ok, \"\"quoted\"\"\"\n03/02/2019,\"never closed\n04/02/2019,swallowed\n",
    )
    .unwrap();
    let out = import(&db, &file, &["--agency", "police"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr.contains("line 4") && out.stderr.contains("never closed"),
        "{}",
        out.stderr
    );
    assert_eq!(counts(&db), before, "nothing imported");
}

#[test]
fn a_file_mixing_utf8_and_windows_1252_is_refused_naming_the_rows() {
    let (dir, db) = setup();
    let before = counts(&db);
    let file = dir.path().join("mixed.csv");
    let mut bytes = b"Date,Event\n01/02/2019,caf\xc3\xa9 na\xc3\xafve\n".to_vec();
    bytes.extend_from_slice(b"02/02/2019,caf\xe9 na\xefve\n03/02/2019,plain\n");
    std::fs::write(&file, bytes).unwrap();
    let out = import(&db, &file, &["--agency", "police"]);
    assert_eq!(out.code, 2, "{}", out.stdout);
    assert!(
        out.stderr.contains("mixes encodings")
            && out.stderr.contains("line 2 read as UTF-8")
            && out.stderr.contains("line 3 are not UTF-8"),
        "{}",
        out.stderr
    );
    assert_eq!(counts(&db), before);
}

#[test]
fn a_fifo_a_device_and_a_folder_are_refused_before_reading() {
    let (dir, db) = setup();
    let fifo = dir.path().join("pipe.csv");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
    for (path, what) in [
        (fifo.as_path(), "FIFO"),
        (Path::new("/dev/zero"), "character device"),
        (dir.path(), "folder"),
    ] {
        let out = import(&db, path, &["--agency", "police"]);
        assert_eq!(out.code, 2, "{}", out.stdout);
        assert!(
            out.stderr.contains(what) && out.stderr.contains(", not a "),
            "{what}: {}",
            out.stderr
        );
    }
}

#[test]
fn an_input_over_one_gibibyte_is_refused_with_its_size() {
    let (dir, db) = setup();
    let file = dir.path().join("huge.csv");
    // A sparse file: no gibibyte is written to the test's disk.
    let f = std::fs::File::create(&file).unwrap();
    f.set_len((1 << 30) + 1).unwrap();
    let out = import(&db, &file, &["--agency", "police"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("1073741825 bytes") && out.stderr.contains("1 GiB"),
        "{}",
        out.stderr
    );
}

#[test]
fn output_is_bounded_fifty_problems_listed_then_a_count_and_cells_cut() {
    let (dir, db) = setup();
    let file = dir.path().join("bad.csv");
    let mut text = String::from("Date,Event\n");
    for i in 0..300 {
        text.push_str(&format!("{}never,row {i}\n", "x".repeat(500)));
    }
    std::fs::write(&file, text).unwrap();
    let out = import(&db, &file, &["--agency", "police"]);
    assert_eq!(out.code, 2);
    let listed = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("  line "))
        .count();
    assert_eq!(listed, 50, "{}", out.stdout);
    assert!(
        out.stdout.contains("and 250 more problems"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.len() < 40_000, "{} bytes", out.stdout.len());
    // A header-less line of 5 MB: the message quotes a readable piece of it.
    let long = dir.path().join("long.csv");
    std::fs::write(&long, "y".repeat(5 << 20)).unwrap();
    let out = import(&db, &long, &["--agency", "police"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("…"), "{}", out.stderr);
    assert!(out.stderr.len() < 2_000, "{} bytes", out.stderr.len());
    // 100,000 columns: the list of headers is cut too.
    let wide = dir.path().join("wide.csv");
    let header: Vec<String> = (0..100_000).map(|i| format!("c{i}")).collect();
    std::fs::write(&wide, header.join(",") + "\n").unwrap();
    let out = import(&db, &wide, &["--agency", "police"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("and 99980 more"), "{}", out.stderr);
    assert!(out.stderr.len() < 2_000, "{} bytes", out.stderr.len());
}

#[test]
fn a_full_disk_during_an_import_names_the_file_system_and_says_nothing_was_imported() {
    let (dir, db) = setup();
    let before = counts(&db);
    let file = dir.path().join("many.csv");
    let mut text = String::from("Date,Event\n");
    for i in 0..5000 {
        text.push_str(&format!(
            "01/02/2019,\"Routine contact number {i}, {}\"\n",
            "z".repeat(200)
        ));
    }
    std::fs::write(&file, text).unwrap();
    // A file-size limit of 256 KiB (in the shell's 512-byte blocks) stands for a full disk.
    let script = format!(
        "ulimit -f 512 && exec '{}' --db '{}' import chronology '{}' --case DEMO-1 --agency police",
        env!("CARGO_BIN_EXE_dhr"),
        db.display(),
        file.display()
    );
    let out = run_guarded(
        Command::new("sh")
            .arg("-c")
            .arg(script)
            .env("DHR_TODAY", TODAY)
            .env_remove("DHR_DB"),
    );
    assert_eq!(out.code, 1, "{} {}", out.stdout, out.stderr);
    let folder = std::fs::canonicalize(dir.path()).unwrap();
    assert!(
        out.stderr
            .contains(&format!("the disk holding {}", folder.display()))
            && out.stderr.contains("file system mounted at")
            && out.stderr.contains("nothing was imported")
            && out.stderr.contains("one transaction"),
        "{}",
        out.stderr
    );
    assert_eq!(counts(&db), before, "no row of it was written");
}
