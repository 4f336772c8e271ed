//! The real `dhr` binary: demo, cases and check, exit codes and messages.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::*;

#[test]
fn demo_then_cases_then_check() {
    let dir = private_dir();
    let db = db_in(dir.path());
    let (code, out, err) = run(dhr(&db).arg("demo"));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("DEMO-1"), "{out}");

    let (code, out, err) = run(dhr(&db).arg("cases"));
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("Ref"), "{out}");
    let demo = lines
        .iter()
        .find(|l| l.starts_with("DEMO-1"))
        .expect("DEMO-1 listed");
    assert!(demo.contains("Panel (IMRs)"), "{demo}");
    assert!(demo.contains("Report 03 Jun 2027"), "{demo}");
    assert!(demo.trim_end().ends_with("189"), "days left: {demo}");

    let (code, out, err) = run(dhr(&db).arg("check"));
    assert_eq!(code, 0, "{err}");
    let latest = dhr_panel::store::migrate::latest();
    assert!(
        out.contains(&format!("Schema version: {latest} (this build: {latest})")),
        "{out}"
    );
    assert!(out.contains("Integrity: ok"), "{out}");
    assert!(out.contains("Audit chain: valid"), "{out}");
}

#[test]
fn demo_when_it_exists_says_so_changes_nothing_and_exits_2() {
    let dir = private_dir();
    let db = db_in(dir.path());
    assert_eq!(run(dhr(&db).arg("demo")).0, 0);
    let (_, before, _) = run(dhr(&db).arg("check"));
    let (code, _, err) = run(dhr(&db).arg("demo"));
    assert_eq!(code, 2);
    assert!(err.contains("already exists"), "{err}");
    let (_, after, _) = run(dhr(&db).arg("check"));
    assert_eq!(before, after, "the audit trail has the same rows");
}

#[test]
fn cases_and_check_on_a_missing_path_exit_2_and_create_nothing() {
    let dir = private_dir();
    let db = dir.path().join("missing").join("dhr.sqlite3");
    for sub in ["cases", "check"] {
        let (code, out, err) = run(dhr(&db).arg(sub));
        assert_eq!(code, 2, "{sub}");
        assert!(out.is_empty());
        assert!(err.contains("no database at"), "{err}");
    }
    assert!(!dir.path().join("missing").exists());
}

#[test]
fn the_db_path_can_come_from_dhr_db() {
    let dir = private_dir();
    let db = db_in(dir.path());
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_dhr"));
    cmd.env("DHR_TODAY", TODAY).env("DHR_DB", &db).arg("demo");
    assert_eq!(run(&mut cmd).0, 0);
    assert!(db.exists());
}

#[test]
fn a_bad_dhr_today_is_bad_input() {
    let dir = private_dir();
    let db = db_in(dir.path());
    let (code, _, err) = run(dhr(&db).env("DHR_TODAY", "26/11/2026").arg("demo"));
    assert_eq!(code, 2);
    assert!(err.contains("DHR_TODAY"), "{err}");
    assert!(!db.exists());
}

#[test]
fn files_are_private_whatever_the_umask() {
    // The umask is set in a child shell, never in the test process.
    let dir = private_dir();
    let db = dir.path().join("new").join("dhr.sqlite3");
    let script = format!(
        "umask 000; exec '{}' --db '{}' demo",
        env!("CARGO_BIN_EXE_dhr"),
        db.display()
    );
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .env("DHR_TODAY", TODAY)
        .status()
        .unwrap();
    assert!(status.success());
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir.path().join("new")), 0o700);
    assert_eq!(mode(&db), 0o600);
    let script = format!(
        "umask 022; exec '{}' --db '{}' cases",
        env!("CARGO_BIN_EXE_dhr"),
        db.display()
    );
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    for entry in std::fs::read_dir(dir.path().join("new")).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path) & 0o077, 0, "{} is private", path.display());
    }
}

#[test]
fn a_file_that_is_not_a_database_is_refused_by_every_subcommand() {
    let dir = private_dir();
    let db = db_in(dir.path());
    std::fs::write(&db, "Date,Event\n01/01/2020,Not a database\n").unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
    let before = std::fs::read(&db).unwrap();
    for sub in ["cases", "check", "demo"] {
        let (code, _, err) = run(dhr(&db).arg(sub));
        assert_eq!(code, 2, "{sub}: {err}");
        assert!(err.contains("not a DHR Panel database"), "{err}");
    }
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn check_names_the_first_broken_link_and_fails() {
    let dir = private_dir();
    let db = db_in(dir.path());
    assert_eq!(run(dhr(&db).arg("demo")).0, 0);
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "DROP TRIGGER audit_no_update; UPDATE audit SET login = 'someone' WHERE id = 12;",
        )
        .unwrap();
    }
    let (code, out, _) = run(dhr(&db).arg("check"));
    assert_eq!(code, 1);
    assert!(out.contains("BROKEN at audit row 12"), "{out}");
}

#[test]
fn the_workspace_without_a_terminal_says_what_to_do() {
    let dir = private_dir();
    let db = db_in(dir.path());
    let (code, _, err) = run(dhr(&db).stdin(std::process::Stdio::null()));
    assert_eq!(code, 2);
    assert!(err.contains("needs a terminal"), "{err}");
}

#[test]
fn unknown_subcommands_are_bad_usage() {
    let dir = private_dir();
    let (code, _, err) = run(dhr(&db_in(dir.path())).arg("frobnicate"));
    assert_eq!(code, 2);
    assert!(err.contains("frobnicate"));
}

#[test]
fn a_backup_taken_while_another_process_writes_is_consistent_and_private() {
    let dir = private_dir();
    let db = db_in(dir.path());
    assert_eq!(run(dhr(&db).arg("demo")).0, 0);
    let mut csv = String::from("Date,Event\n");
    for i in 0..1500 {
        csv.push_str(&format!(
            "{:02}/{:02}/2019,Contact {i}\n",
            i % 28 + 1,
            i % 12 + 1
        ));
    }
    let file = dir.path().join("gp.csv");
    std::fs::write(&file, csv).unwrap();
    let mut writer = dhr(&db);
    writer
        .args(["import", "chronology"])
        .arg(&file)
        .args(["--case", "DEMO-1", "--agency", "GP"]);
    let writer = writer.stdout(std::process::Stdio::null()).spawn().unwrap();
    let copy = dir.path().join("copy.sqlite3");
    let (code, out, err) = run(dhr(&db).arg("backup").arg(&copy));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Backed up"), "{out}");
    assert!(writer.wait_with_output().unwrap().status.success());
    let mode = std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let (code, out, _) = run(dhr(&copy).arg("check"));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Audit chain: valid"), "{out}");
    // No partial file is left beside it, and an existing file is never overwritten.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains(".partial-")), "{names:?}");
    let (code, _, err) = run(dhr(&db).arg("backup").arg(&copy));
    assert_eq!(code, 2);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn a_backup_into_a_folder_open_to_others_is_refused() {
    let dir = private_dir();
    let db = db_in(dir.path());
    assert_eq!(run(dhr(&db).arg("demo")).0, 0);
    let open = dir.path().join("open");
    std::fs::create_dir(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (code, _, err) = run(dhr(&db).arg("backup").arg(open.join("copy.sqlite3")));
    assert_eq!(code, 2);
    assert!(err.contains("chmod o-rwx"), "{err}");
    assert_eq!(
        std::fs::read_dir(&open).unwrap().count(),
        0,
        "nothing written there"
    );
}
