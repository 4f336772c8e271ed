//! The store on real temporary databases: migrations, the audit trail and its chain,
//! file modes, and refusal of files that are not ours, damaged or too new.

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};

use common::*;
use dhr_panel::domain::model::{Case, ImrStatus, ReviewKind};
use dhr_panel::store::{OpenMode, Store, StoreError};

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().mode() & 0o7777
}

#[test]
fn an_empty_file_is_migrated_to_the_current_schema_with_wal() {
    let dir = private_dir();
    let db = db_in(dir.path());
    let store = empty_store(dir.path());
    assert_eq!(
        store.schema_version().unwrap(),
        dhr_panel::store::migrate::latest()
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let journal: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    for table in [
        "cases",
        "agencies",
        "chronology",
        "meetings",
        "minutes",
        "challenges",
        "audit",
        "drafts",
    ] {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "table {table} missing");
    }
}

#[test]
fn a_tampered_audit_row_is_named_as_the_first_broken_link() {
    let dir = private_dir();
    let store = demo_store(dir.path());
    assert_eq!(store.verify_audit().unwrap().first_break, None);
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    conn.execute_batch(
        "DROP TRIGGER audit_no_update; UPDATE audit SET changes = '{\"title\":[null,\"Someone else\"]}' WHERE id = 7;",
    )
    .unwrap();
    let report = store.verify_audit().unwrap();
    let broken = report.first_break.expect("the change must be detected");
    assert_eq!(broken.audit_id, 7);
}

#[test]
fn the_audit_trail_refuses_updates_and_deletes() {
    let dir = private_dir();
    let store = demo_store(dir.path());
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    assert!(
        conn.execute("UPDATE audit SET login = 'x' WHERE id = 1", [])
            .is_err()
    );
    assert!(conn.execute("DELETE FROM audit WHERE id = 1", []).is_err());
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_byte_identical() {
    let dir = private_dir();
    let db = db_in(dir.path());
    let bytes = b"Minutes of the panel, typed into the wrong file.\n".repeat(10);
    std::fs::write(&db, &bytes).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
    let err = Store::open(&db, OpenMode::Create, clock()).unwrap_err();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
    assert!(err.to_string().contains("left untouched"));
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_byte_identical() {
    let dir = private_dir();
    let db = db_in(dir.path());
    drop(demo_store(dir.path()));
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("PRAGMA user_version = 99;").unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let err = Store::open(&db, OpenMode::Create, clock()).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { found: 99, .. }), "{err}");
    assert!(err.to_string().contains("newer version"));
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_truncated_database_is_refused_as_damaged_and_left_byte_identical() {
    let dir = private_dir();
    let db = db_in(dir.path());
    drop(demo_store(dir.path()));
    let whole = std::fs::read(&db).unwrap();
    let half = &whole[..whole.len() / 2];
    std::fs::write(&db, half).unwrap();
    let err = Store::open(&db, OpenMode::Existing, clock()).unwrap_err();
    assert!(matches!(err, StoreError::Damaged { .. }), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), half);
}

#[test]
fn another_programs_sqlite_database_is_refused() {
    let dir = private_dir();
    let db = db_in(dir.path());
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("CREATE TABLE contacts (name TEXT);")
            .unwrap();
    }
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
    let err = Store::open(&db, OpenMode::Create, clock()).unwrap_err();
    assert!(matches!(err, StoreError::NotOurs { .. }), "{err}");
}

#[test]
fn a_missing_database_is_not_created_except_by_the_workspace_and_demo() {
    let dir = private_dir();
    let db = dir.path().join("typo").join("dhr.sqlite3");
    let err = Store::open(&db, OpenMode::Existing, clock()).unwrap_err();
    assert!(matches!(err, StoreError::Missing { .. }), "{err}");
    let err = Store::open(&db, OpenMode::ReadOnly, clock()).unwrap_err();
    assert!(matches!(err, StoreError::Missing { .. }), "{err}");
    assert!(!dir.path().join("typo").exists(), "no folder was made");
}

#[test]
fn a_new_database_gets_a_private_folder_and_private_files() {
    let dir = private_dir();
    let db = dir.path().join("data").join("dhr.sqlite3");
    let store = Store::open(&db, OpenMode::Create, clock()).unwrap();
    assert_eq!(mode(&dir.path().join("data")), 0o700);
    assert_eq!(mode(&db), 0o600);
    for companion in ["dhr.sqlite3-wal", "dhr.sqlite3-shm"] {
        let path = dir.path().join("data").join(companion);
        if path.exists() {
            assert_eq!(mode(&path), 0o600, "{companion}");
        }
    }
    drop(store);
}

#[test]
fn a_folder_open_to_other_users_is_refused_with_the_fix() {
    let dir = private_dir();
    let open = dir.path().join("open");
    std::fs::create_dir(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).unwrap();
    let err = Store::open(&open.join("dhr.sqlite3"), OpenMode::Create, clock()).unwrap_err();
    assert!(matches!(err, StoreError::OpenToOthers { .. }), "{err}");
    assert!(err.to_string().contains("chmod o-rwx"), "{err}");
    assert!(!open.join("dhr.sqlite3").exists());
}

#[test]
fn a_database_readable_by_other_users_is_refused_and_not_changed() {
    let dir = private_dir();
    let db = db_in(dir.path());
    drop(demo_store(dir.path()));
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = Store::open(&db, OpenMode::Existing, clock()).unwrap_err();
    assert!(
        matches!(err, StoreError::OpenToOthers { mode: 0o644, .. }),
        "{err}"
    );
    assert_eq!(
        mode(&db),
        0o644,
        "the program does not change a mode it refuses"
    );
}

#[test]
fn a_setgid_group_folder_gets_files_shared_with_the_group_at_0660() {
    let dir = private_dir();
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o2770)).unwrap();
    let gid = std::fs::metadata(&shared).unwrap().gid();
    let db = shared.join("dhr.sqlite3");
    let store = Store::open(&db, OpenMode::Create, clock()).unwrap();
    assert_eq!(mode(&db), 0o660);
    assert_eq!(std::fs::metadata(&db).unwrap().gid(), gid);
    for companion in ["dhr.sqlite3-wal", "dhr.sqlite3-shm"] {
        let path = shared.join(companion);
        if path.exists() {
            assert_eq!(mode(&path) & 0o007, 0, "{companion} has no other bits");
        }
    }
    drop(store);
}

#[test]
fn the_demo_case_is_complete_and_the_same_on_any_day() {
    let dir = private_dir();
    let store = demo_store(dir.path());
    let case = store
        .case_by_reference("demo-1")
        .unwrap()
        .expect("found in any letter case");
    assert_eq!(case.title, "Adult A");
    assert!(!case.paused);
    let agencies = store.agencies(case.id).unwrap();
    assert!(agencies.len() >= 10);
    for code in ["POLICE", "CSC", "GP"] {
        assert!(agencies.iter().any(|a| a.code == code), "agency {code}");
    }
    for status in ImrStatus::ALL {
        assert!(
            agencies.iter().any(|a| a.status == *status),
            "IMR status {status:?}"
        );
    }
    let overdue = agencies
        .iter()
        .filter(|a| dhr_panel::domain::imr::days_overdue(a, today()).is_some())
        .count();
    assert_eq!(overdue, 2, "two returns are overdue");
    let clock =
        dhr_panel::domain::clock::statutory_clock(&store.clock_facts(&case).unwrap(), today());
    assert_eq!(
        clock.headline(),
        "Report due 03 Jun 2027, extended (189 days)"
    );
    assert!(store.terms(case.id).unwrap().len() >= 8);
    assert!(store.chronology_count(case.id).unwrap() >= 80);
    let meetings = store.meetings(case.id).unwrap();
    let statuses: Vec<&str> = meetings.iter().map(|m| m.status.code()).collect();
    assert_eq!(statuses, ["approved", "closed", "in_progress", "planned"]);
    assert_eq!(
        meetings[2].date,
        today(),
        "the meeting in progress is today"
    );
    let challenges = store.challenges(case.id).unwrap();
    assert!(challenges.len() >= 10);
    for status in dhr_panel::domain::model::ChallengeStatus::ALL {
        assert!(
            challenges.iter().any(|c| c.record.status == *status),
            "challenge status {status:?}"
        );
    }
    assert!(store.decisions(case.id).unwrap().len() >= 8);
    assert!(store.actions(case.id).unwrap().len() >= 10);
    assert!(store.recommendations(case.id).unwrap().len() >= 6);
    assert_eq!(store.verify_audit().unwrap().first_break, None);
}

#[test]
fn the_demo_chronology_uses_every_fuzzy_date_precision_in_timeline_order() {
    use dhr_panel::domain::date::DatePrecision;
    let dir = private_dir();
    let store = demo_store(dir.path());
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap();
    let rows = store
        .chronology_window(case.id, &Default::default(), 0, 10_000)
        .unwrap();
    for precision in DatePrecision::ALL {
        assert!(
            rows.iter().any(|r| r.entry.date.precision == precision),
            "{precision:?}"
        );
    }
    assert!(rows.iter().any(|r| r.entry.date.approximate));
    let dated: Vec<_> = rows
        .iter()
        .filter(|r| r.entry.date.precision != DatePrecision::Undated)
        .collect();
    let undated_start = dated.len();
    assert!(
        rows[undated_start..]
            .iter()
            .all(|r| r.entry.date.precision == DatePrecision::Undated),
        "undated last"
    );
    for pair in dated.windows(2) {
        let a = pair[0].entry.date.earliest.or(pair[0].entry.date.latest);
        let b = pair[1].entry.date.earliest.or(pair[1].entry.date.latest);
        assert!(
            a <= b,
            "{} before {}",
            pair[0].entry.date,
            pair[1].entry.date
        );
    }
}

#[test]
fn demo_twice_changes_nothing() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let audit_rows = store.verify_audit().unwrap().rows;
    let err = dhr_panel::demo::create_demo(&mut store, 0).unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    assert!(err.is_bad_input());
    assert_eq!(store.verify_audit().unwrap().rows, audit_rows);
}

#[test]
fn a_read_only_store_writes_nothing() {
    let dir = private_dir();
    let db = db_in(dir.path());
    drop(demo_store(dir.path()));
    let mut store = Store::open(&db, OpenMode::ReadOnly, clock()).unwrap();
    let err = store
        .create_case(&Case::new("X-1", ReviewKind::Dhr, "X"))
        .unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly));
    assert!(store.case_by_reference("X-1").unwrap().is_none());
}

/// The tables migration 10 makes, parents first.
const PROCESS_TABLES: [&str; 10] = [
    "proceedings",
    "review_decisions",
    "pauses",
    "disclosure_requests",
    "qa_rounds",
    "qa_points",
    "publication_items",
    "family_people",
    "family_contacts",
    "case_characteristics",
];

#[test]
fn a_case_of_version_9_keeps_its_decision_pause_qa_outcome_and_publication_as_records() {
    let dir = private_dir();
    let db = db_in(dir.path());
    let case_id = {
        let mut store = Store::open(&db, OpenMode::Create, clock()).unwrap();
        store
            .create_case(&Case::new("DHR-2019-04", ReviewKind::Dhr, "Adult K"))
            .unwrap()
    };
    // As version 9 left it: the facts in the case's own columns, no records, no mark.
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(&format!(
            "UPDATE cases SET decision_on = '2019-05-02', home_office_notified_on = '2019-05-09',
                 paused = 1, paused_reason = 'Awaiting the trial', paused_on = '2019-07-01',
                 ho_submitted_on = '2020-09-01', qa_outcome = 'changes', qa_outcome_on = '2020-11-20',
                 published_on = '2021-02-01', commissioner_sent_on = '2021-02-03'
             WHERE id = {case_id};
             DELETE FROM meta WHERE key = 'case_fields_moved';"
        ))
        .unwrap();
    }
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    for _ in 0..2 {
        // Opened twice: the move happens once.
        let store = Store::open(&db, OpenMode::Existing, clock()).unwrap();
        let decision = store
            .decision(case_id)
            .unwrap()
            .expect("the decision is a record");
        assert_eq!(decision.decided_on, d("2019-05-02"));
        assert_eq!(decision.home_office_notified_on, d("2019-05-09"));
        let proceedings = store.proceedings(case_id).unwrap();
        assert_eq!(proceedings.len(), 1, "{proceedings:?}");
        assert_eq!(proceedings[0].kind.code(), "other");
        assert_eq!(proceedings[0].title, "Awaiting the trial");
        let pauses = store.pauses(case_id).unwrap();
        assert_eq!(pauses.len(), 1);
        assert_eq!(pauses[0].proceeding_id, Some(proceedings[0].id));
        assert_eq!(pauses[0].since, d("2019-07-01"));
        assert!(pauses[0].is_open());
        let rounds = store.qa_rounds(case_id).unwrap();
        assert_eq!(rounds.len(), 1);
        assert_eq!(rounds[0].number, 1);
        assert_eq!(rounds[0].submitted_on, d("2020-09-01"));
        assert_eq!(rounds[0].outcome.map(|o| o.code()), Some("changes"));
        assert_eq!(rounds[0].letter_on, d("2020-11-20"));
        let items = store.publication_items(case_id).unwrap();
        assert_eq!(
            items
                .iter()
                .map(|i| (i.item.code(), i.done_on))
                .collect::<Vec<_>>(),
            vec![
                ("published", d("2021-02-01")),
                ("commissioner", d("2021-02-03"))
            ]
        );
        // The case reads the same facts, now from the records.
        let case = store.case(case_id).unwrap().unwrap();
        assert_eq!(case.decision_on, d("2019-05-02"));
        assert!(case.paused && case.paused_on == d("2019-07-01"));
        assert_eq!(case.qa_outcome_on, d("2020-11-20"));
        assert_eq!(case.published_on, d("2021-02-01"));
        // Each moved record is in the audit trail.
        assert!(
            !store
                .audit_of("qa_rounds", rounds[0].id)
                .unwrap()
                .is_empty()
        );
        assert!(!store.audit_of("pauses", pauses[0].id).unwrap().is_empty());
    }
}

#[test]
fn a_database_of_an_older_schema_is_migrated_on_open_and_keeps_its_rows() {
    let dir = private_dir();
    let db = db_in(dir.path());
    drop(demo_store(dir.path()));
    // Make it a version-1 database: undo what the later migrations did, set the version.
    // The rows of the tables later migrations make (the places of the publication
    // migration, the process records of version 10) are kept aside and put back after,
    // as the trail written by this build records them.
    let kept: Vec<(&str, Vec<Vec<rusqlite::types::Value>>)> = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        std::iter::once("places")
            .chain(PROCESS_TABLES)
            .map(|table| {
                let mut stmt = conn.prepare(&format!("SELECT * FROM {table}")).unwrap();
                let width = stmt.column_count();
                let rows = stmt
                    .query_map([], |r| (0..width).map(|i| r.get(i)).collect())
                    .unwrap()
                    .map(Result::unwrap)
                    .collect();
                (table, rows)
            })
            .collect()
    };
    assert!(!kept[0].1.is_empty(), "the demo has a place");
    // So are the recommendations' closure and sending (columns version 10 adds).
    type Sending = (i64, String, String, Option<String>, String, Option<String>);
    let sending: Vec<Sending> = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT id, closed_reason, addressee, sent_on, response, response_on
                 FROM recommendations",
            )
            .unwrap();
        stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    assert!(
        sending.iter().any(|s| !s.1.is_empty()),
        "the demo closes a recommendation"
    );
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "DROP TRIGGER chronology_search_insert; DROP TRIGGER chronology_search_update;
             DROP TRIGGER chronology_search_delete; DROP TRIGGER chronology_search_agency;
             DROP TABLE chronology_search;
             DROP TABLE review_decisions; DROP TABLE disclosure_requests; DROP TABLE pauses;
             DROP TABLE family_contacts; DROP TABLE family_people; DROP TABLE proceedings;
             DROP TABLE qa_points; DROP TABLE qa_rounds; DROP TABLE publication_items;
             DROP TABLE case_characteristics;
             ALTER TABLE recommendations DROP COLUMN closed_reason;
             ALTER TABLE recommendations DROP COLUMN addressee;
             ALTER TABLE recommendations DROP COLUMN sent_on;
             ALTER TABLE recommendations DROP COLUMN response;
             ALTER TABLE recommendations DROP COLUMN response_on;
             DROP TABLE places;
             DROP TABLE publication_decisions;
             ALTER TABLE attendance DROP COLUMN organisation;
             ALTER TABLE attendance DROP COLUMN left_at;
             DROP INDEX minutes_line_key;
             DROP TABLE seats;
             ALTER TABLE minutes DROP COLUMN seat;
             ALTER TABLE minutes DROP COLUMN line_key;
             DROP INDEX audit_record;
             DROP TABLE meta;
             DROP INDEX chronology_timeline;
             CREATE INDEX chronology_order ON chronology(case_id, date_sort IS NULL, date_sort, date_latest, time, id);
             ALTER TABLE cases DROP COLUMN stage_reason;
             ALTER TABLE cases DROP COLUMN coordinator;
             ALTER TABLE cases DROP COLUMN chair_login;
             ALTER TABLE cases DROP COLUMN overview_author_login;
             ALTER TABLE cases DROP COLUMN coordinator_login;
             ALTER TABLE panel_members DROP COLUMN login;
             DROP TABLE export_register;
             ALTER TABLE cases DROP COLUMN handling;
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let store = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    // The people migration adds the coordinator empty; the demo's trail (written by this
    // build) records one for each demo case, which a real version-1 database never had:
    // put them back.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE cases SET coordinator = CASE reference
             WHEN 'DEMO-2' THEN 'Fergus Swinburne' ELSE 'Gareth Pryce' END",
            [],
        )
        .unwrap();
    // The kept rows go back as they were.
    for (table, rows) in &kept {
        for row in rows {
            let marks = vec!["?"; row.len()].join(", ");
            rusqlite::Connection::open(&db)
                .unwrap()
                .execute(
                    &format!("INSERT INTO {table} VALUES ({marks})"),
                    rusqlite::params_from_iter(row.iter()),
                )
                .unwrap();
        }
    }
    for s in &sending {
        rusqlite::Connection::open(&db)
            .unwrap()
            .execute(
                "UPDATE recommendations SET closed_reason = ?2, addressee = ?3, sent_on = ?4,
                 response = ?5, response_on = ?6 WHERE id = ?1",
                rusqlite::params![s.0, s.1, s.2, s.3, s.4, s.5],
            )
            .unwrap();
    }
    assert_eq!(
        store.schema_version().unwrap(),
        dhr_panel::store::migrate::latest()
    );
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap();
    assert!(store.chronology_count(case.id).unwrap() >= 80);
    let id = store
        .database_id()
        .unwrap()
        .expect("migration 4 gives it an id");
    assert_eq!(id.len(), 32, "{id}");
    // The trail predates stage_reason: the replay takes the column's default there.
    let check = store.check_against_trail().unwrap();
    assert!(check.holds(), "{check:?}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let has: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'chronology_timeline'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(has, 1);
}

/// How many entries the timeline's free-text filter finds for `text`.
fn found(store: &Store, case_id: i64, text: &str) -> u64 {
    let filter = dhr_panel::domain::filter::TimelineFilter {
        text: text.into(),
        ..Default::default()
    };
    store.chronology_count_matching(case_id, &filter).unwrap()
}

#[test]
fn the_upgrade_to_the_search_index_indexes_every_entry_already_there() {
    let dir = private_dir();
    let db = db_in(dir.path());
    let (case_id, police) = {
        let store = demo_store(dir.path());
        let case = store.case_by_reference("DEMO-1").unwrap().unwrap().id;
        (case, found(&store, case, "police"))
    };
    assert!(police > 0);
    // The database as version 10 left it: no index, no triggers.
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "DROP TRIGGER chronology_search_insert; DROP TRIGGER chronology_search_update;
             DROP TRIGGER chronology_search_delete; DROP TRIGGER chronology_search_agency;
             DROP TABLE chronology_search; PRAGMA user_version = 10;",
        )
        .unwrap();
    }
    let store = Store::open(&db, OpenMode::Existing, clock()).unwrap();
    assert_eq!(store.schema_version().unwrap(), 11);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (indexed, entries): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM chronology_search_docsize), (SELECT count(*) FROM chronology)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(indexed, entries);
    assert_eq!(found(&store, case_id, "police"), police);
    assert!(store.check_against_trail().unwrap().holds());
}

#[test]
fn entries_added_in_bulk_are_indexed_and_the_trigger_is_put_back_as_it_was() {
    let dir = private_dir();
    private_data_home();
    let mut store = Store::open(&db_in(dir.path()), OpenMode::Create, clock()).unwrap();
    dhr_panel::demo::create_demo(&mut store, 120).unwrap();
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap().id;
    // Every synthetic entry's source is "Synthetic record N".
    assert_eq!(found(&store, case, "synthetic"), 120);
    assert_eq!(found(&store, case, "SYNTHETIC RECORD"), 120);
    assert!(store.check_against_trail().unwrap().holds());
    // The trigger is back: an entry added one by one is found too.
    let mut e = dhr_panel::domain::model::ChronologyEntry::new(
        dhr_panel::domain::date::FuzzyDate::day(
            chrono::NaiveDate::from_ymd_opt(2019, 2, 3).unwrap(),
        ),
        "Synthetic afterthought",
    );
    e.case_id = case;
    store.add_chronology_entry(&e, &[]).unwrap();
    assert_eq!(found(&store, case, "synthetic"), 121);
    assert_eq!(found(&store, case, "afterthought"), 1);
}

#[test]
fn the_check_leaves_the_search_index_out_but_not_its_triggers_or_the_chronology() {
    let dir = private_dir();
    let db = db_in(dir.path());
    let store = demo_store(dir.path());
    assert!(store.check_against_trail().unwrap().holds());
    let conn = rusqlite::Connection::open(&db).unwrap();
    // The index is derived: rebuilding it by hand is not a change to the record.
    conn.execute_batch(
        "DELETE FROM chronology_search WHERE rowid = (SELECT min(id) FROM chronology);",
    )
    .unwrap();
    assert!(store.check_against_trail().unwrap().holds());
    // A trigger of the index dropped, or one replaced, is reported by name.
    conn.execute_batch(
        "DROP TRIGGER chronology_search_delete;
         DROP TRIGGER chronology_search_insert;
         CREATE TRIGGER chronology_search_insert AFTER INSERT ON chronology BEGIN SELECT 1; END;",
    )
    .unwrap();
    let check = store.check_against_trail().unwrap();
    assert!(!check.holds());
    let said = check.triggers.join("\n");
    assert!(
        said.contains("chronology_search_delete") && said.contains("is missing"),
        "{said}"
    );
    assert!(
        said.contains("chronology_search_insert") && said.contains("replaced"),
        "{said}"
    );
    // An entry changed with plain SQL is still caught.
    conn.execute_batch(
        "UPDATE chronology SET event = 'changed' WHERE id = (SELECT max(id) FROM chronology);",
    )
    .unwrap();
    let check = store.check_against_trail().unwrap();
    assert!(
        check
            .differences
            .iter()
            .any(|d| d.contains("chronology row")),
        "{check:?}"
    );
}

#[test]
fn a_read_only_seat_refuses_a_database_that_needs_upgrading() {
    let dir = private_dir();
    let db = db_in(dir.path());
    drop(demo_store(dir.path()));
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("PRAGMA user_version = 1;").unwrap();
    }
    let err = Store::open(&db, OpenMode::ReadOnly, clock()).unwrap_err();
    assert!(matches!(err, StoreError::NeedsUpgrade { .. }), "{err}");
}

#[test]
fn the_demo_s_approved_minutes_carry_the_fingerprint_of_their_text() {
    let dir = private_dir();
    let store = demo_store(dir.path());
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap();
    let m1 = store
        .meetings(case.id)
        .unwrap()
        .into_iter()
        .find(|m| m.number == 1)
        .unwrap();
    assert_eq!(m1.fingerprint.len(), 64);
    let now = store.minutes_fingerprint_now(&m1).unwrap();
    assert_eq!(
        now, m1.fingerprint,
        "recomputed from the stored minutes, it matches"
    );
}

// ---------------------------------------------------------------------------------------
// Rows against the trail

fn meeting_numbered(store: &Store, number: i64) -> dhr_panel::domain::model::Meeting {
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap();
    store
        .meetings(case.id)
        .unwrap()
        .into_iter()
        .find(|m| m.number == number)
        .unwrap()
}

#[test]
fn the_demo_replays_to_exactly_its_live_rows_and_every_table_is_covered_or_left_out_by_name() {
    let dir = private_dir();
    let store = demo_store(dir.path());
    let check = store.check_against_trail().unwrap();
    assert!(check.holds(), "{check:?}");
    assert!(check.rows > 300, "{check:?}");
    assert_eq!(check.approved_meetings, 1);
    // Every table of the schema is replayed unless the one list names it.
    let conn = rusqlite::Connection::open(db_in(dir.path())).unwrap();
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        check.tables + dhr_panel::store::replay::NOT_AUDITED.len(),
        tables as usize
    );
}

#[test]
fn an_audited_approval_undone_with_undo_is_not_tampering() {
    use dhr_panel::domain::minuting::MinuteLine;
    use dhr_panel::domain::model::MeetingStatus;
    use dhr_panel::store::minute_lines::{LineNames, LinePlace};
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let m2 = meeting_numbered(&store, 2);
    let m3 = meeting_numbered(&store, 3);
    assert_eq!(m2.status, MeetingStatus::Closed);
    let item = store.agenda(m3.id).unwrap()[0].id;
    let place = LinePlace {
        meeting_id: m3.id,
        item_id: item,
        minuted_at: "2026-11-26T10:05:00Z".into(),
        seat: None,
        key: None,
    };
    let names = LineNames {
        other_meeting_id: Some(m2.id),
        ..LineNames::default()
    };
    store
        .commit_minute_line(&place, MinuteLine::Approve(2), names)
        .unwrap();
    assert_eq!(meeting_numbered(&store, 2).status, MeetingStatus::Approved);
    let check = store.check_against_trail().unwrap();
    assert!(check.holds(), "{check:?}");
    assert_eq!(check.approved_meetings, 2);

    store.undo_minute_line(m3.id).unwrap();
    assert_eq!(meeting_numbered(&store, 2).status, MeetingStatus::Closed);
    let check = store.check_against_trail().unwrap();
    assert!(
        check.holds(),
        "an un-approval the trail records is not tampering: {check:?}"
    );
}

/// An agency's editable details as they stand, with the code and notes given.
fn details_of(
    agency: &dhr_panel::domain::model::Agency,
    code: &str,
    notes: &str,
) -> dhr_panel::store::panel::AgencyDetails {
    dhr_panel::store::panel::AgencyDetails {
        name: agency.name.clone(),
        code: code.into(),
        return_type: agency.return_type,
        contact_found: agency.contact_found,
        author: agency.author.clone(),
        author_independent: agency.author_independent,
        requested_on: agency.requested_on,
        due_on: agency.due_on,
        notes: notes.into(),
    }
}

#[test]
fn a_field_changed_outside_and_later_edited_by_the_program_is_still_named() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap();
    let agency = store.agencies(case.id).unwrap()[0].clone();
    let conn = rusqlite::Connection::open(db_in(dir.path())).unwrap();
    conn.execute(
        "UPDATE agencies SET notes = 'Tampered' WHERE id = ?1",
        [agency.id],
    )
    .unwrap();
    drop(conn);
    // The program then changes the same field: its audit row's old value is the
    // tampered one, which does not follow from the trail before it.
    assert!(
        store
            .edit_agency(
                agency.id,
                &details_of(&agency, &agency.code, "Program notes.")
            )
            .unwrap()
    );
    let check = store.check_against_trail().unwrap();
    assert!(!check.holds());
    let said = check.differences.join("\n");
    assert!(
        said.contains(&format!("agencies row {}, field notes", agency.id))
            && said.contains("\"Tampered\" when DHR Panel changed it"),
        "{said}"
    );
}

#[test]
fn an_agency_code_named_by_approved_minutes_cannot_change_but_its_other_details_can() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let m1 = meeting_numbered(&store, 1);
    let named = store
        .attendance(m1.id)
        .unwrap()
        .into_iter()
        .find_map(|a| a.agency_id)
        .expect("an agency attends meeting 1");
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap();
    let agency = store
        .agencies(case.id)
        .unwrap()
        .into_iter()
        .find(|a| a.id == named)
        .unwrap();
    let details = |code: &str, notes: &str| details_of(&agency, code, notes);
    let audit_before = store.verify_audit().unwrap().rows;
    let err = store
        .edit_agency(named, &details("NEWCODE", &agency.notes))
        .unwrap_err();
    let said = err.to_string();
    assert!(
        said.contains("approved minutes of meeting 1") && said.contains("nothing was saved"),
        "{said}"
    );
    assert_eq!(store.verify_audit().unwrap().rows, audit_before);
    let fingerprint_now = store.minutes_fingerprint_now(&m1).unwrap();
    assert_eq!(
        fingerprint_now, m1.fingerprint,
        "the approved minutes still match"
    );
    // Its name is frozen too: the minutes show it.
    let mut renamed = details(&agency.code, &agency.notes);
    renamed.name = format!("{} (renamed)", agency.name);
    let said = store.edit_agency(named, &renamed).unwrap_err().to_string();
    assert!(
        said.contains(&format!("the name of {} stays", agency.code))
            && said.contains("nothing was saved"),
        "{said}"
    );
    assert_eq!(store.verify_audit().unwrap().rows, audit_before);
    assert!(
        store
            .edit_agency(named, &details(&agency.code, "Notes changed."))
            .unwrap()
    );
}

#[test]
fn a_declaration_of_approved_minutes_changed_outside_breaks_their_fingerprint() {
    let dir = private_dir();
    let store = demo_store(dir.path());
    let m1 = meeting_numbered(&store, 1);
    assert!(store.minutes_match(&m1, &m1.fingerprint).unwrap());
    let conn = rusqlite::Connection::open(db_in(dir.path())).unwrap();
    let changed = conn
        .execute(
            "UPDATE declarations SET body = 'No interest to declare.' WHERE meeting_id = ?1",
            [m1.id],
        )
        .unwrap();
    assert!(changed > 0, "the demo's meeting 1 has a declaration");
    assert!(!store.minutes_match(&m1, &m1.fingerprint).unwrap());
    let check = store.check_against_trail().unwrap();
    assert!(
        check.fingerprints.iter().any(|f| f.contains("meeting 1")),
        "{:?}",
        check.fingerprints
    );
}

#[test]
fn a_save_on_an_old_version_is_refused_naming_who_changed_it_and_keep_yours_leaves_both_in_the_trail()
 {
    use dhr_panel::store::stale::Record;
    let dir = private_dir();
    let mut a = demo_store(dir.path());
    let mut b = Store::open(&db_in(dir.path()), OpenMode::Existing, clock()).unwrap();
    let case = a.case_by_reference("DEMO-1").unwrap().unwrap();
    let decision = a.decisions(case.id).unwrap()[0].record.clone();
    let record = Record::Decision(decision.id);

    // Seat A opens the decision's form; seat B saves its own rationale meanwhile.
    let base = a.latest_change(record).unwrap();
    b.edit_decision(decision.id, &decision.text, "B's reason")
        .unwrap();
    let theirs = b.latest_change(record).unwrap();
    assert!(theirs.audit_id > base.audit_id);

    a.expect_base(base);
    let refused = a.edit_decision(decision.id, &decision.text, "A's reason");
    let Err(StoreError::Stale(stale)) = refused else {
        panic!("expected a stale edit, got {refused:?}");
    };
    assert_eq!(stale.login, b.login());
    assert_eq!(stale.latest, theirs.audit_id);
    assert_eq!(stale.base, base.audit_id);
    assert!(stale.at.starts_with(TODAY), "{}", stale.at);
    assert_eq!(
        stale.theirs,
        vec![("rationale".to_string(), "B's reason".to_string())]
    );
    assert!(stale.to_string().contains("was changed by"), "{stale}");
    assert_eq!(a.stop_expecting().as_deref(), Some(&*stale));
    // Nothing of A's was written: the row is as B left it.
    let now = a.decisions(case.id).unwrap()[0].record.clone();
    assert_eq!(now.rationale, "B's reason");
    assert_eq!(a.latest_change(record).unwrap(), theirs);

    // Keep yours: saved over theirs on the new base; both texts are in the trail.
    a.expect_base(stale.latest_base());
    assert!(
        a.edit_decision(decision.id, &decision.text, "A's reason")
            .unwrap()
    );
    assert!(a.stop_expecting().is_none());
    let trail: Vec<String> = a
        .audit_of("decisions", decision.id)
        .unwrap()
        .into_iter()
        .map(|r| r.changes)
        .collect();
    assert!(trail.iter().any(|c| c.contains("B's reason")), "{trail:?}");
    assert!(
        trail
            .last()
            .unwrap()
            .contains(r#"["B's reason","A's reason"]"#),
        "{trail:?}"
    );
    assert_eq!(
        a.decisions(case.id).unwrap()[0].record.rationale,
        "A's reason"
    );
    // Without an expectation (an ordinary write) nothing is checked.
    b.edit_decision(decision.id, &decision.text, "B again")
        .unwrap();
    assert!(
        a.edit_decision(decision.id, &decision.text, "A again")
            .unwrap()
    );
    assert_eq!(a.verify_audit().unwrap().first_break, None);
}

// ---------------------------------------------------------------------------------------
// People on the case and the minute taker

fn audit_rows(store: &Store) -> i64 {
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    conn.query_row("SELECT count(*) FROM audit", [], |r| r.get(0))
        .unwrap()
}

/// The case's details as they stand, with the coordinator and the logins given.
fn people_of(
    case: &Case,
    coordinator: &str,
    chair_login: &str,
    coordinator_login: &str,
) -> dhr_panel::store::cases::CaseDetails {
    dhr_panel::store::cases::CaseDetails {
        reference: case.reference.clone(),
        kind: case.kind,
        title: case.title.clone(),
        partnership: case.partnership.clone(),
        marking: case.marking.clone(),
        handling: case.handling.clone(),
        chair: case.chair.clone(),
        overview_author: case.overview_author.clone(),
        coordinator: coordinator.into(),
        chair_login: chair_login.into(),
        overview_author_login: String::new(),
        coordinator_login: coordinator_login.into(),
        date_of_death: case.date_of_death,
        notified_on: case.notified_on,
        decision_on: case.decision_on,
        home_office_notified_on: case.home_office_notified_on,
        period_from: case.period_from,
        period_to: case.period_to,
    }
}

#[test]
fn the_case_s_coordinator_and_logins_name_the_person_a_login_belongs_to() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap();
    assert_eq!(store.person_for_login(case.id, "gpryce").unwrap(), None);
    store
        .save_case_details(
            case.id,
            &people_of(&case, "Gareth Pryce", "hashworth", " GPryce "),
        )
        .unwrap();
    let saved = store.case(case.id).unwrap().unwrap();
    assert_eq!(saved.coordinator, "Gareth Pryce");
    assert_eq!(saved.chair_login, "hashworth");
    // Letter case and spaces around are ignored; each login names its own person.
    assert_eq!(
        store
            .person_for_login(case.id, "gpryce")
            .unwrap()
            .as_deref(),
        Some("Gareth Pryce")
    );
    assert_eq!(
        store
            .person_for_login(case.id, "HASHWORTH")
            .unwrap()
            .as_deref(),
        Some("Helen Ashworth")
    );
    assert_eq!(store.person_for_login(case.id, "").unwrap(), None);
    assert_eq!(store.shown_login(case.id, "root2").unwrap(), "root2");
    // The new columns are audited like the others: `dhr check` still holds.
    assert!(store.check_against_trail().unwrap().holds());
}

#[test]
fn the_minute_taker_defaults_to_the_linked_person_and_is_refused_once_approved() {
    use dhr_panel::domain::model::{Meeting, MeetingStatus, PanelMember};
    use dhr_panel::store::minute_lines::MeetingPlan;
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap();
    let login = store.login().to_string();
    // The member form names an existing member: their login is set, no one is added.
    let members = store.panel_members(case.id).unwrap();
    let lorraine = members
        .iter()
        .find(|m| m.name == "Lorraine Baxter")
        .unwrap()
        .clone();
    let (id, added) = store
        .save_panel_member(&PanelMember {
            id: 0,
            agency_id: lorraine.agency_id,
            name: " lorraine baxter".into(),
            role: String::new(),
            deputy: String::new(),
            login: login.to_uppercase(),
        })
        .unwrap();
    assert_eq!((id, added), (lorraine.id, false));
    let now = store.panel_members(case.id).unwrap();
    assert_eq!(now.len(), members.len(), "no second Lorraine Baxter");
    let linked = now.iter().find(|m| m.id == lorraine.id).unwrap();
    assert_eq!(linked.role, lorraine.role, "an empty role keeps theirs");
    assert_eq!(
        store.person_for_login(case.id, &login).unwrap().as_deref(),
        Some("Lorraine Baxter")
    );

    // A meeting planned without a minute taker takes the linked person when it starts.
    let planned = store
        .plan_meeting(&MeetingPlan {
            meeting: Meeting {
                id: 0,
                case_id: case.id,
                number: 99,
                date: today(),
                start_time: "10:00".into(),
                end_time: String::new(),
                place: String::new(),
                chair: case.chair.clone(),
                minute_taker: String::new(),
                status: MeetingStatus::Planned,
                approved_at_meeting_id: None,
                fingerprint: String::new(),
            },
            agenda: vec!["Welcome".into()],
            members: Vec::new(),
        })
        .unwrap();
    store.start_meeting(planned, "10:02").unwrap();
    let started = store.meeting(planned).unwrap().unwrap();
    assert_eq!(started.minute_taker, "Lorraine Baxter");
    // Editable until approval.
    assert!(store.set_minute_taker(planned, " Gareth Pryce ").unwrap());
    assert_eq!(
        store.meeting(planned).unwrap().unwrap().minute_taker,
        "Gareth Pryce"
    );

    // Approved minutes: refused inside the write, nothing changed, nothing audited.
    let approved = meeting_numbered(&store, 1);
    assert_eq!(approved.status, MeetingStatus::Approved);
    let trail = audit_rows(&store);
    let err = store
        .set_minute_taker(approved.id, "Someone Else")
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Rule(m) if m.contains("approved and locked") && m.contains("/amend 1")),
        "{err}"
    );
    assert_eq!(meeting_numbered(&store, 1), approved);
    assert_eq!(audit_rows(&store), trail);
    assert!(store.check_against_trail().unwrap().holds());
}

#[test]
fn places_and_publication_decisions_are_audited_checked_and_replayed() {
    use dhr_panel::domain::model::{Place, PlaceKind};
    use dhr_panel::domain::publication::{FindingKind, Scope, Verdict};
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap();
    let places = store.places(case.id).unwrap();
    assert_eq!(places.len(), 1, "the demo's school");
    assert_eq!(places[0].text, "Northfield Primary School");
    let mut employer = Place {
        id: 0,
        case_id: case.id,
        kind: PlaceKind::Employer,
        text: "Brightwater Logistics".into(),
        replacement: String::new(),
    };
    employer.id = store.add_place(&employer).unwrap();
    assert_eq!(employer.replaced_by(), "[an employer]");
    employer.replacement = "a warehouse".into();
    assert!(store.edit_place(&employer).unwrap());
    let empty = Place {
        text: "  ".into(),
        ..employer.clone()
    };
    assert!(matches!(store.add_place(&empty), Err(StoreError::Rule(_))));

    let time = Scope::Kind(FindingKind::Time);
    store
        .decide_publication(case.id, &time, &Verdict::Keep)
        .unwrap();
    // The same scope again replaces the decision (one live row, its change audited).
    store
        .decide_publication(
            case.id,
            &time,
            &Verdict::Generalise("in the evening".into()),
        )
        .unwrap();
    let refused = store.decide_publication(
        case.id,
        &Scope::Text("HO/16/0391".into()),
        &Verdict::Generalise(" ".into()),
    );
    assert!(matches!(refused, Err(StoreError::Rule(_))), "{refused:?}");
    let refused = store.decide_publication(
        case.id,
        &Scope::Kind(FindingKind::LikeName),
        &Verdict::Remove,
    );
    assert!(matches!(refused, Err(StoreError::Rule(_))), "{refused:?}");
    let decisions = store.publication_decisions(case.id).unwrap();
    assert_eq!(decisions.len(), 1);
    assert_eq!(
        decisions[0].verdict,
        Verdict::Generalise("in the evening".into())
    );
    assert_eq!(
        store
            .audit_of("publication_decisions", decisions[0].id)
            .unwrap()
            .len(),
        2
    );
    assert!(store.forget_publication_decision(case.id, &time).unwrap());
    assert!(store.publication_decisions(case.id).unwrap().is_empty());
    store.withdraw_place(employer.id).unwrap();
    assert_eq!(store.places(case.id).unwrap().len(), 1);

    let check = store.check_against_trail().unwrap();
    assert!(check.holds(), "{:?}", check.differences);
}

/// Records the case's decision with plain SQL (its form is the decision record's, `v`).
fn decide(store: &Store, case_id: i64, outcome: &str) {
    rusqlite::Connection::open(store.path())
        .unwrap()
        .execute(
            "INSERT INTO review_decisions (created_at, updated_at, case_id, outcome)
             VALUES ('2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z', ?1, ?2)",
            rusqlite::params![case_id, outcome],
        )
        .unwrap();
}

fn rule<T: std::fmt::Debug>(result: Result<T, StoreError>) -> String {
    match result {
        Err(StoreError::Rule(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn not_reviewed_follows_the_recorded_decision_not_to_review_inside_the_move() {
    use dhr_panel::domain::model::Stage;
    let dir = private_dir();
    let mut store = empty_store(dir.path());
    let mut case = Case::new("DHR-2026-09", ReviewKind::Dhr, "Adult K");
    case.stage = Stage::Decision;
    let id = store.create_case(&case).unwrap();
    let refused = rule(store.move_stage(id, Stage::NotReviewed, "No review", None, ""));
    assert!(refused.contains("no decision is recorded"), "{refused}");
    decide(&store, id, "review");
    let refused = rule(store.move_stage(id, Stage::NotReviewed, "No review", None, ""));
    assert!(refused.contains("decision is to review"), "{refused}");
    decide(&store, id, "no_review");
    let refused = rule(store.move_stage(id, Stage::Scoping, "Scope it", None, ""));
    assert_eq!(
        refused,
        "the recorded decision is not to review: record a decision to review first (v)"
    );
    store
        .move_stage(id, Stage::NotReviewed, "Criteria not met", None, "")
        .unwrap();
    let c = store.case(id).unwrap().unwrap();
    assert_eq!(c.stage, Stage::NotReviewed);
    assert_eq!(c.stage_reason, "Criteria not met");
}

#[test]
fn concluded_waits_until_every_recommendation_is_complete_or_closed() {
    use dhr_panel::domain::model::{ClosedReason, RecommendationStatus, Stage};
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let id = store.case_by_reference("DEMO-1").unwrap().unwrap().id;
    store
        .move_stage(
            id,
            Stage::ActionPlanMonitoring,
            "Published",
            Some(today()),
            "Adult D asked to read it after the trial",
        )
        .unwrap();
    let refused = rule(store.move_stage(id, Stage::Concluded, "Plan done", None, ""));
    assert_eq!(
        refused,
        "4 recommendations are still open: 2 (at risk), 3 (on track), 5 (on track), \
         7 (not started) — complete or close each in the action plan (6)"
    );
    let plan = store.recommendations(id).unwrap();
    let rec = |n: i64| {
        plan.iter()
            .find(|r| r.record.number == n)
            .unwrap()
            .record
            .id
    };
    for n in [2, 3, 5] {
        store
            .set_recommendation_status(rec(n), RecommendationStatus::Complete, None, today())
            .unwrap();
    }
    // A withdrawn recommendation does not hold the review open.
    rusqlite::Connection::open(store.path())
        .unwrap()
        .execute(
            "UPDATE recommendations SET deleted_at = '2026-11-02T10:00:00Z' WHERE id = ?1",
            [rec(7)],
        )
        .unwrap();
    store
        .move_stage(id, Stage::Concluded, "Plan done", None, "")
        .unwrap();
    assert_eq!(store.case(id).unwrap().unwrap().stage, Stage::Concluded);
    // Closed needs its reason, inside the write.
    let refused =
        store.set_recommendation_status(rec(2), RecommendationStatus::Closed, None, today());
    assert!(matches!(refused, Err(StoreError::Rule(e)) if e.contains("closed with its reason")));
    let mut closed = plan
        .iter()
        .find(|r| r.record.number == 3)
        .unwrap()
        .record
        .clone();
    closed.status = RecommendationStatus::Closed;
    closed.closed_reason = None;
    let refused = store.update_recommendation(&closed);
    assert!(matches!(refused, Err(StoreError::Rule(e)) if e.contains("says why")));
    assert!(
        store
            .close_recommendation(rec(3), ClosedReason::Merged, "Into 5")
            .unwrap()
    );
    let after = store.recommendations(id).unwrap();
    let three = &after.iter().find(|r| r.record.number == 3).unwrap().record;
    assert_eq!(three.status, RecommendationStatus::Closed);
    assert_eq!(three.closed_reason, Some(ClosedReason::Merged));
    assert_eq!(three.completed_on, None);
}

#[test]
fn reaching_sign_off_without_the_draft_shared_is_refused_without_why() {
    use dhr_panel::domain::model::Stage;
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let id = store.case_by_reference("DEMO-1").unwrap().unwrap().id;
    rusqlite::Connection::open(store.path())
        .unwrap()
        .execute("UPDATE family_contacts SET shared_draft = 0", [])
        .unwrap();
    assert!(!store.stage_facts(id).unwrap().draft_shared);
    let refused =
        rule(store.move_stage(id, Stage::PartnershipSignOff, "Agreed", Some(today()), "  "));
    assert!(refused.contains("say why it was not shared"), "{refused}");
    assert_eq!(store.case(id).unwrap().unwrap().stage, Stage::Panel);
    store
        .move_stage(
            id,
            Stage::PartnershipSignOff,
            "Agreed",
            Some(today()),
            "Family asked to wait",
        )
        .unwrap();
    assert_eq!(
        store.case(id).unwrap().unwrap().stage_reason,
        "Agreed · Draft report not shared with the family: Family asked to wait"
    );
}

#[test]
fn a_sent_national_recommendation_names_its_addressee_inside_the_write() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let id = store.case_by_reference("DEMO-1").unwrap().unwrap().id;
    let plan = store.recommendations(id).unwrap();
    let mut national = plan
        .iter()
        .find(|r| r.record.number == 7)
        .unwrap()
        .record
        .clone();
    assert!(
        national.sent_on.is_some() && !national.addressee.is_empty(),
        "the demo sent it"
    );
    national.addressee = " ".into();
    let refused = store.update_recommendation(&national);
    assert!(matches!(refused, Err(StoreError::Rule(e)) if e.contains("no addressee")));
}

#[test]
fn characteristics_are_checked_inside_the_write_and_a_change_made_meanwhile_is_refused() {
    use dhr_panel::domain::review::Characteristic::{DeathType, Stalking};
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let id = store.case_by_reference("DEMO-1").unwrap().unwrap().id;
    let before = store.characteristics(id).unwrap();
    let refused = store.save_characteristics(id, &[(DeathType, "accident".into())], &[]);
    assert!(
        matches!(&refused, Err(StoreError::Rule(e)) if e.contains("write homicide, suicide or other/unexplained")),
        "{refused:?}"
    );
    assert_eq!(
        store.characteristics(id).unwrap(),
        before,
        "nothing written"
    );
    // Another seat changed stalking to "no" after this form showed "yes".
    store
        .save_characteristics(id, &[(Stalking, "no".into())], &[(Stalking, "yes".into())])
        .unwrap();
    let refused = store.save_characteristics(
        id,
        &[(Stalking, "unknown".into()), (DeathType, "suicide".into())],
        &[(Stalking, "yes".into()), (DeathType, "homicide".into())],
    );
    assert!(
        matches!(&refused, Err(StoreError::Rule(e)) if e.contains("changed to \"no\" by someone else")),
        "{refused:?}"
    );
    let death = |s: &Store| {
        s.characteristics(id)
            .unwrap()
            .into_iter()
            .find(|c| c.name == DeathType)
            .map(|c| c.value)
    };
    assert_eq!(
        death(&store).as_deref(),
        Some("homicide"),
        "the whole save refused"
    );
    // What the form left as it showed is not written over theirs.
    assert_eq!(
        store
            .save_characteristics(
                id,
                &[(Stalking, "yes".into()), (DeathType, "suicide".into())],
                &[(Stalking, "yes".into()), (DeathType, "homicide".into())],
            )
            .unwrap(),
        1
    );
    assert_eq!(death(&store).as_deref(), Some("suicide"));
    assert!(store.check_against_trail().unwrap().holds());
}

// ---- Family involvement and parallel proceedings: every link stays inside its case ----

fn two_cases(dir: &std::path::Path) -> (Store, i64, i64) {
    use dhr_panel::domain::model::{Subject, SubjectRole};
    let mut store = Store::open(&db_in(dir), OpenMode::Create, clock()).unwrap();
    let one = store
        .create_case(&Case::new("DHR-1", ReviewKind::Dhr, "Adult A"))
        .unwrap();
    let two = store
        .create_case(&Case::new("DHR-2", ReviewKind::Dhr, "Adult K"))
        .unwrap();
    for (case_id, pseudonym) in [(one, "Adult D"), (two, "Adult L")] {
        store
            .add_subject(&Subject {
                id: 0,
                case_id,
                role: SubjectRole::Family,
                real_names: String::new(),
                pseudonym: pseudonym.into(),
                relationship: String::new(),
                notes: String::new(),
            })
            .unwrap();
    }
    (store, one, two)
}

fn person(case_id: i64, subject_id: i64) -> dhr_panel::domain::review::FamilyPerson {
    use dhr_panel::domain::review::{Connection, FamilyPerson};
    FamilyPerson {
        approached_on: Some(today()),
        approached_by: "the chair".into(),
        ..FamilyPerson::new(case_id, subject_id, Connection::Family)
    }
}

#[test]
fn a_person_approached_links_to_a_subject_of_the_same_case_only_and_once() {
    use dhr_panel::domain::review::{ContactMethod, FamilyContact};
    let dir = private_dir();
    let (mut store, one, two) = two_cases(dir.path());
    let of = |store: &Store, case| store.subjects(case).unwrap()[0].id;
    let (d, l) = (of(&store, one), of(&store, two));
    let before = audit_rows(&store);
    let e = rule(store.save_family_person(&person(one, l)));
    assert!(e.contains("pseudonym register"), "{e}");
    assert_eq!(audit_rows(&store), before, "nothing written");
    // An answer to an offer of advocacy with no offer recorded is refused: it would clear
    // the flag with no offer on the record.
    let declined = dhr_panel::domain::review::FamilyPerson {
        advocacy_response: dhr_panel::domain::review::AdvocacyResponse::Declined,
        ..person(one, d)
    };
    let e = rule(store.save_family_person(&declined));
    assert!(e.contains("Advocacy offered on"), "{e}");
    assert_eq!(audit_rows(&store), before, "nothing written");
    let id = store.save_family_person(&person(one, d)).unwrap();
    let e = rule(store.save_family_person(&person(one, d)));
    assert!(e.contains("already on the list"), "{e}");
    assert_eq!(store.family_people(one).unwrap().len(), 1);
    assert!(store.family_people(two).unwrap().is_empty());
    // A contact belongs to a person of its own case.
    let contact = FamilyContact {
        by_whom: "the chair".into(),
        shared_tor: true,
        ..FamilyContact::new(two, id, Some(today()), ContactMethod::Phone)
    };
    let e = rule(store.save_family_contact(&contact));
    assert!(e.contains("not approached in this case"), "{e}");
    store
        .save_family_contact(&FamilyContact {
            case_id: one,
            ..contact
        })
        .unwrap();
    let contacts = store.family_contacts(one).unwrap();
    assert_eq!(contacts.len(), 1);
    assert!(contacts[0].shared_tor && !contacts[0].shared_draft);
    assert!(store.family_contacts(two).unwrap().is_empty());
}

#[test]
fn a_disclosure_request_belongs_to_a_proceeding_of_its_own_case() {
    use dhr_panel::domain::review::{DisclosureRequest, Proceeding, ProceedingKind};
    let dir = private_dir();
    let (mut store, one, two) = two_cases(dir.path());
    let trial = Proceeding {
        contact: "DI Whitfield".into(),
        contact_role: "senior investigating officer".into(),
        ..Proceeding::new(one, ProceedingKind::Trial, "R v Adult B")
    };
    let e = rule(store.save_proceeding(&Proceeding {
        title: " ".into(),
        ..trial.clone()
    }));
    assert!(e.contains("title"), "{e}");
    let trial_id = store.save_proceeding(&trial).unwrap();
    let request = DisclosureRequest {
        id: 0,
        case_id: two,
        proceeding_id: trial_id,
        asked_on: Some(today()),
        asked_by: "the chair".into(),
        request: "The sentencing remarks".into(),
        answered_on: None,
        answer: String::new(),
    };
    let before = audit_rows(&store);
    let e = rule(store.save_disclosure(&request));
    assert!(e.contains("not one of this case's"), "{e}");
    assert_eq!(audit_rows(&store), before);
    store
        .save_disclosure(&DisclosureRequest {
            case_id: one,
            ..request
        })
        .unwrap();
    assert_eq!(store.disclosure_requests(one).unwrap().len(), 1);
    assert!(store.disclosure_requests(two).unwrap().is_empty());
    // A pause may wait only for a proceeding of its own case.
    let e = store
        .pause_review(two, Some(trial_id), "trial", Some(today()))
        .unwrap_err();
    assert!(e.to_string().contains("not one of this case's"), "{e}");
}

#[test]
fn the_clock_of_a_paused_case_names_its_proceeding_and_after_resuming_waits_for_a_new_date() {
    use dhr_panel::domain::clock::statutory_clock;
    use dhr_panel::domain::review::{Proceeding, ProceedingKind};
    let dir = private_dir();
    let mut store = Store::open(&db_in(dir.path()), OpenMode::Create, clock()).unwrap();
    let mut case = Case::new("DHR-2019-04", ReviewKind::Dhr, "Adult K");
    case.notified_on = chrono::NaiveDate::from_ymd_opt(2020, 4, 1);
    case.stage = dhr_panel::domain::model::Stage::Panel;
    case.decision_on = chrono::NaiveDate::from_ymd_opt(2020, 5, 12);
    let id = store.create_case(&case).unwrap();
    let trial = store
        .save_proceeding(&Proceeding::new(id, ProceedingKind::Trial, "R v Adult L"))
        .unwrap();
    let since = chrono::NaiveDate::from_ymd_opt(2020, 7, 1);
    store
        .pause_review(id, Some(trial), "awaiting the trial", since)
        .unwrap();
    let read = |store: &Store| {
        let case = store.case(id).unwrap().unwrap();
        statutory_clock(&store.clock_facts(&case).unwrap(), today())
    };
    let clock = read(&store);
    assert_eq!(
        clock.headline(),
        "paused pending criminal trial since 01 Jul 2020 (2339 days); timescale to be agreed"
    );
    assert!(!clock.is_overdue());
    store
        .resume_review(
            id,
            chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
            "verdict",
        )
        .unwrap();
    assert_eq!(
        read(&store).headline(),
        "resumed 01 Feb 2026; no new due date agreed (original 12 Nov 2020)"
    );
    // A new pause cannot begin inside the last one.
    let e = rule(store.pause_review(
        id,
        Some(trial),
        "again",
        chrono::NaiveDate::from_ymd_opt(2026, 1, 15),
    ));
    assert!(e.contains("resumed on 01 Feb 2026"), "{e}");
    assert_eq!(store.pauses(id).unwrap().len(), 1, "nothing written");
    store
        .extend_review(
            id,
            chrono::NaiveDate::from_ymd_opt(2027, 6, 3),
            "agreed with the Home Office on resumption",
        )
        .unwrap();
    assert_eq!(
        read(&store).headline(),
        "Report due 03 Jun 2027, extended (189 days)"
    );
}

// ---- The review's process: QA rounds, the decision record (issue 17) ----

fn qa_round(
    submitted: &str,
    outcome: Option<dhr_panel::domain::model::QaOutcome>,
    letter: Option<&str>,
) -> dhr_panel::store::qa::RoundInput {
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    dhr_panel::store::qa::RoundInput {
        submitted_on: d(submitted),
        report_version: String::new(),
        outcome,
        letter_on: letter.and_then(d),
        notes: String::new(),
    }
}

#[test]
fn a_second_qa_submission_waits_for_the_first_round_s_outcome_and_never_overwrites_it() {
    use dhr_panel::domain::model::QaOutcome;
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap();
    assert_eq!(
        store
            .submit_qa_round(case.id, &qa_round("2026-06-01", None, None))
            .unwrap(),
        1
    );
    let refused = store
        .submit_qa_round(case.id, &qa_round("2026-07-01", None, None))
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("round 1 (submitted 01 Jun 2026) has no outcome yet"),
        "{refused}"
    );
    assert_eq!(
        store.qa_rounds(case.id).unwrap().len(),
        1,
        "nothing written"
    );

    let round1 = store.qa_rounds(case.id).unwrap()[0].id;
    store
        .edit_qa_round(
            round1,
            &qa_round("2026-06-01", Some(QaOutcome::Resubmit), Some("2026-07-20")),
        )
        .unwrap();
    assert_eq!(
        store
            .submit_qa_round(case.id, &qa_round("2026-10-01", None, None))
            .unwrap(),
        2,
        "the resubmission is round 2"
    );
    let rounds = store.qa_rounds(case.id).unwrap();
    assert_eq!(rounds.len(), 2);
    assert_eq!(rounds[0].outcome, Some(QaOutcome::Resubmit), "round 1 kept");
    assert_eq!(rounds[1].number, 2);
    // The case's derived facts read the latest round.
    let now = store.case(case.id).unwrap().unwrap();
    assert_eq!(now.qa_outcome, None);
    // A round followed by another keeps its outcome.
    let refused = store
        .edit_qa_round(round1, &qa_round("2026-06-01", None, None))
        .unwrap_err()
        .to_string();
    assert!(refused.contains("followed by round 2"), "{refused}");
    // A letter dated before its submission is refused.
    let refused = store
        .edit_qa_round(
            rounds[1].id,
            &qa_round(
                "2026-10-01",
                Some(QaOutcome::ContentToPublish),
                Some("2026-09-01"),
            ),
        )
        .unwrap_err()
        .to_string();
    assert!(refused.contains("check the dates"), "{refused}");
    // Audited, and `dhr check` replays them.
    assert_eq!(store.audit_of("qa_rounds", round1).unwrap().len(), 2);
    let check = store.check_against_trail().unwrap();
    assert!(check.holds(), "{check:?}");
}

#[test]
fn the_decision_is_one_live_record_and_a_stale_form_is_refused() {
    use dhr_panel::domain::review::{DecisionOutcome, ReviewDecision};
    use dhr_panel::store::stale::Record;
    let dir = private_dir();
    let mut a = demo_store(dir.path());
    let mut b = Store::open(&db_in(dir.path()), OpenMode::Existing, clock()).unwrap();
    let case = a.case_by_reference("DEMO-1").unwrap().unwrap();
    let live = a.decision(case.id).unwrap().expect("the demo's decision");
    assert_eq!(live.outcome, DecisionOutcome::Review);
    assert!(live.criteria.contains("Section 9(1)"));
    let mut input = live.clone();
    input.home_office_reply = "B's note".into();
    let record = Record::ReviewDecision(live.id);
    let base = a.latest_change(record).unwrap();
    b.save_decision(&input).unwrap();
    input.home_office_reply = "A's note".into();
    a.expect_base(base);
    let refused = a.save_decision(&input);
    assert!(matches!(refused, Err(StoreError::Stale(_))), "{refused:?}");
    a.stop_expecting();
    assert_eq!(
        a.decision(case.id).unwrap().unwrap().home_office_reply,
        "B's note"
    );
    // A form opened on no decision does not write a second one.
    let new = ReviewDecision {
        id: 0,
        ..input.clone()
    };
    let refused = a.save_decision(&new).unwrap_err().to_string();
    assert!(refused.contains("press v again"), "{refused}");
    // The Home Office is not told before the decision.
    input.home_office_notified_on = chrono::NaiveDate::from_ymd_opt(2020, 5, 1);
    let refused = a.save_decision(&input).unwrap_err().to_string();
    assert!(refused.contains("check the dates"), "{refused}");
    let conn = rusqlite::Connection::open(a.path()).unwrap();
    let rows: i64 = conn
        .query_row(
            "SELECT count(*) FROM review_decisions WHERE deleted_at IS NULL AND case_id = ?1",
            [case.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(rows, 1, "one live decision");
}

#[test]
fn process_dates_are_things_that_happened_and_qa_rounds_stay_in_order() {
    use dhr_panel::domain::model::QaOutcome;
    use dhr_panel::domain::review::{DecisionOutcome, ReviewDecision};
    let dir = private_dir();
    let mut store = empty_store(dir.path());
    let id = store
        .create_case(&Case::new("DHR-2026-14", ReviewKind::Dhr, "Adult K"))
        .unwrap();
    let tomorrow = today().succ_opt();
    let e = rule(store.save_decision(&ReviewDecision {
        id: 0,
        case_id: id,
        outcome: DecisionOutcome::Review,
        criteria: String::new(),
        reasons: String::new(),
        decided_by: String::new(),
        decided_on: Some(today()),
        home_office_notified_on: tomorrow,
        home_office_reply: String::new(),
    }));
    assert!(e.contains("after today"), "{e}");
    assert!(store.decision(id).unwrap().is_none(), "nothing written");
    let e = rule(store.submit_qa_round(id, &qa_round("2099-01-01", None, None)));
    assert!(e.contains("after today"), "{e}");
    store
        .submit_qa_round(
            id,
            &qa_round("2026-06-01", Some(QaOutcome::Resubmit), Some("2026-07-01")),
        )
        .unwrap();
    store
        .submit_qa_round(id, &qa_round("2026-09-01", None, None))
        .unwrap();
    let rounds = store.qa_rounds(id).unwrap();
    // Round 1 cannot be moved after round 2's submission, nor round 2 before round 1's letter.
    let e = rule(store.edit_qa_round(
        rounds[0].id,
        &qa_round("2026-06-01", Some(QaOutcome::Resubmit), Some("2026-10-01")),
    ));
    assert!(e.contains("after the next round was submitted"), "{e}");
    let e = rule(store.edit_qa_round(rounds[1].id, &qa_round("2026-06-15", None, None)));
    assert!(e.contains("before the letter"), "{e}");
    assert_eq!(store.qa_rounds(id).unwrap(), rounds, "nothing changed");
}

#[test]
fn the_demo_is_refused_when_demo_2_exists_naming_it_and_adds_nothing() {
    let dir = private_dir();
    let mut store = empty_store(dir.path());
    store
        .create_case(&Case::new("DEMO-2", ReviewKind::Dhr, "Another review"))
        .unwrap();
    let audit_rows = store.verify_audit().unwrap().rows;
    let err = dhr_panel::demo::create_demo(&mut store, 0).unwrap_err();
    assert!(
        err.to_string()
            .contains("the demo case DEMO-2 already exists"),
        "{err}"
    );
    assert!(store.case_by_reference("DEMO-1").unwrap().is_none());
    assert_eq!(store.verify_audit().unwrap().rows, audit_rows);
}

#[test]
fn the_demo_adds_both_cases_in_one_go_with_demo_2_s_process_records() {
    let dir = private_dir();
    let store = demo_store(dir.path());
    let refs: Vec<String> = store
        .cases()
        .unwrap()
        .into_iter()
        .map(|c| c.reference)
        .collect();
    assert_eq!(refs, ["DEMO-1", "DEMO-2"]);
    let case = store.case_by_reference("DEMO-2").unwrap().unwrap();
    assert_eq!(
        case.stage,
        dhr_panel::domain::model::Stage::ActionPlanMonitoring
    );
    let rounds = store.qa_rounds(case.id).unwrap();
    assert_eq!(rounds.len(), 2, "two rounds, the first kept");
    assert_eq!(store.qa_points(case.id).unwrap().len(), 4);
    assert_eq!(store.publication_items(case.id).unwrap().len(), 6);
    assert!(case.report_completed_on.is_some() && case.commissioner_sent_on.is_some());
    let pauses = store.pauses(case.id).unwrap();
    assert_eq!(pauses.len(), 1);
    assert!(pauses[0].resumed_on.is_some(), "resumed after the inquest");
    assert_eq!(store.family_people(case.id).unwrap().len(), 3);
}

#[test]
fn the_review_s_dates_keep_their_order_and_none_is_after_today() {
    use dhr_panel::domain::model::Stage;
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap();
    let before = store.verify_audit().unwrap().rows;
    let tomorrow = today().succ_opt();
    // The report's completion: not after today, by the stage move or the later dates.
    let e = rule(store.move_stage(case.id, Stage::PartnershipSignOff, "Agreed", tomorrow, "x"));
    assert!(e.contains("after today"), "{e}");
    // An extension to a day before the resumption (30 Jan 2026 in the demo) is refused.
    let e = rule(store.extend_review(
        case.id,
        chrono::NaiveDate::from_ymd_opt(2026, 1, 15),
        "typed in error",
    ));
    assert!(e.contains("not after the review resumed"), "{e}");
    // The decision cannot come before the death or the notification.
    let mut decision = store.decision(case.id).unwrap().unwrap();
    decision.decided_on = chrono::NaiveDate::from_ymd_opt(2020, 1, 1);
    let e = rule(store.save_decision(&decision));
    assert!(e.contains("before the death"), "{e}");
    // An offer of advocacy in the future is no offer yet.
    let mut person = store.family_people(case.id).unwrap().remove(0);
    person.advocacy_offered_on = tomorrow;
    let e = rule(store.save_family_person(&person));
    assert!(e.contains("after today"), "{e}");
    // A disclosure request is answered after it was asked.
    let mut request = store.disclosure_requests(case.id).unwrap().remove(0);
    request.answered_on = request.asked_on.and_then(|d| d.pred_opt());
    let e = rule(store.save_disclosure(&request));
    assert!(e.contains("cannot come before the request"), "{e}");
    assert_eq!(
        store.verify_audit().unwrap().rows,
        before,
        "nothing written"
    );
}
