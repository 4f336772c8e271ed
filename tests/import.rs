//! The agency-chronology CSV import: the library function against a real
//! database, and `dhr import chronology` as a user runs it.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use common::*;
use dhr_panel::import::{
    BadRow, ImportError, ImportOptions, ImportReport, SourceEncoding, import_chronology,
};
use dhr_panel::store::Store;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

const POLICE: &str = "shared/police_chronology.csv";
const CSC: &str = "shared/childrens_services_chronology.csv";

/// An imported chronology row as the database holds it, withdrawn or not.
#[derive(Debug, Clone)]
struct Stored {
    id: i64,
    date_text: String,
    precision: String,
    approximate: bool,
    time: Option<String>,
    agency: Option<String>,
    source_ref: String,
    subjects: String,
    event: String,
    action_outcome: String,
    risk_dash: String,
    risk_marac: String,
    agency_comment: String,
    panel_analysis: String,
    file: String,
    line: i64,
    imported_at: String,
    fingerprint: String,
    extra: Vec<(String, String)>,
    /// Pseudonyms of the linked subjects, in link order.
    linked: Vec<String>,
}

/// Every imported entry of the demo case, in the order written. Read with plain SQL so
/// the test does not depend on how the timeline reads them.
fn imported(dir: &Path) -> Vec<Stored> {
    let conn = rusqlite::Connection::open(db_in(dir)).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT c.id, c.date_text, c.date_precision, c.date_approximate, c.time, a.code,
                    c.source_ref, c.subjects, c.event, c.action_outcome, c.risk_dash, c.risk_marac,
                    c.agency_comment, c.panel_analysis, c.import_file, c.import_line, c.imported_at,
                    c.fingerprint, c.extra
             FROM chronology c JOIN cases k ON k.id = c.case_id
             LEFT JOIN agencies a ON a.id = c.agency_id
             WHERE k.reference = 'DEMO-1' AND c.import_file IS NOT NULL ORDER BY c.id",
        )
        .unwrap();
    let mut rows: Vec<Stored> = stmt
        .query_map([], |r| {
            let extra: String = r.get(18)?;
            Ok(Stored {
                id: r.get(0)?,
                date_text: r.get(1)?,
                precision: r.get(2)?,
                approximate: r.get::<_, i64>(3)? != 0,
                time: r.get(4)?,
                agency: r.get(5)?,
                source_ref: r.get(6)?,
                subjects: r.get(7)?,
                event: r.get(8)?,
                action_outcome: r.get(9)?,
                risk_dash: r.get(10)?,
                risk_marac: r.get(11)?,
                agency_comment: r.get(12)?,
                panel_analysis: r.get(13)?,
                file: r.get(14)?,
                line: r.get(15)?,
                imported_at: r.get(16)?,
                fingerprint: r.get(17)?,
                extra: serde_json::from_str(&extra).unwrap(),
                linked: Vec::new(),
            })
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut links = conn
        .prepare(
            "SELECT s.pseudonym FROM chronology_subjects l JOIN subjects s ON s.id = l.subject_id
             WHERE l.entry_id = ?1 ORDER BY l.id",
        )
        .unwrap();
    for row in &mut rows {
        row.linked = links
            .query_map([row.id], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
    }
    rows
}

/// Rows in the audit trail: proves a refused import wrote nothing at all.
fn audit_rows(dir: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db_in(dir)).unwrap();
    conn.query_row("SELECT count(*) FROM audit", [], |r| r.get(0))
        .unwrap()
}

fn demo_id(store: &Store) -> i64 {
    store.case_by_reference("DEMO-1").unwrap().unwrap().id
}

fn options(agency: Option<&str>, skip_invalid: bool, dry_run: bool) -> ImportOptions {
    ImportOptions {
        agency: agency.map(str::to_string),
        skip_invalid,
        dry_run,
    }
}

/// Imports a fixture into the demo case.
fn import(
    store: &mut Store,
    name: &str,
    options: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let case_id = demo_id(store);
    import_chronology(store, case_id, &fixture(name), options, today())
}

fn lines(report: &ImportReport) -> Vec<u64> {
    report.bad_rows.iter().map(|b| b.line).collect()
}

fn bad(report: &ImportReport, line: u64) -> &BadRow {
    report
        .bad_rows
        .iter()
        .find(|b| b.line == line)
        .unwrap_or_else(|| panic!("no bad row at line {line}: {:?}", report.bad_rows))
}

// --- The shared samples, as a panel secretary receives them -------------------------

#[test]
fn the_police_sample_imports_all_13_rows_with_subjects_linked_and_provenance() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let report = import(&mut store, POLICE, &options(Some("police"), false, false)).unwrap();
    assert_eq!(report.file_name, "police_chronology.csv");
    assert_eq!(report.encoding, SourceEncoding::Utf8);
    assert_eq!(
        (report.rows, report.imported, report.already_present),
        (13, 13, 0)
    );
    assert!(report.bad_rows.is_empty() && report.written);
    assert_eq!(
        report.columns,
        [
            ("Date", "date"),
            ("Time", "time"),
            ("Source", "source / reference"),
            ("Subject", "subjects"),
            ("Event", "event"),
            ("Action / outcome", "action / outcome"),
            ("Officer comment", "agency comment"),
        ]
        .map(|(h, r)| (h.to_string(), r.to_string()))
    );
    assert!(report.extra_columns.is_empty() && report.unmatched_subjects.is_empty());

    let rows = imported(dir.path());
    assert_eq!(rows.len(), 13);
    let lines: Vec<i64> = rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, (2..=14).collect::<Vec<i64>>());
    for row in &rows {
        assert_eq!(row.file, "police_chronology.csv", "the name, not the path");
        assert_eq!(row.agency.as_deref(), Some("POLICE"));
        assert_eq!(row.imported_at, "2026-11-26T10:00:00Z", "the writer's now");
        assert_eq!(row.fingerprint.len(), 64);
        assert!(row.fingerprint.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(row.panel_analysis.is_empty(), "never the panel's analysis");
    }
    let fingerprints: HashSet<&str> = rows.iter().map(|r| r.fingerprint.as_str()).collect();
    assert_eq!(fingerprints.len(), 13);

    let first = &rows[0];
    assert_eq!(
        (first.date_text.as_str(), first.precision.as_str()),
        ("14/06/2018", "day")
    );
    assert_eq!(first.time.as_deref(), Some("23:10"));
    assert_eq!(first.source_ref, "STORM log 1406-0231");
    assert_eq!(first.subjects, "Adult A; Adult B");
    assert_eq!(first.linked, ["Adult A", "Adult B"]);
    assert!(first.event.starts_with("Neighbour reported shouting"));
    assert_eq!(
        first.action_outcome,
        "DASH completed: standard risk. No further action."
    );
    assert!(first.agency_comment.starts_with("DASH answers recorded"));
    assert_eq!(rows[3].linked, ["Adult A", "Adult B", "Child C"]);
    assert_eq!(
        rows[3].event,
        "999 call from Adult A, call dropped. Officers attended; Adult B had left. Adult A had a red mark to her neck."
    );
    let approximate = rows
        .iter()
        .find(|r| r.date_text == "c. March 2019")
        .unwrap();
    assert!(approximate.approximate && approximate.precision == "month");
    assert!(rows[1].time.is_none(), "an empty time cell is no time");
    // The en dash of "2018–2019" survives as written.
    assert!(rows[10].agency_comment.contains("2018\u{2013}2019"));
}

#[test]
fn the_csc_sample_is_refused_by_default_naming_line_5_and_nothing_is_written() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let audit_before = audit_rows(dir.path());
    let report = import(&mut store, CSC, &options(Some("CSC"), false, false)).unwrap();
    assert_eq!(report.encoding, SourceEncoding::Utf8WithBom);
    assert_eq!(
        report.bad_rows,
        [BadRow {
            line: 5,
            column: "Date / period".into(),
            reason: "30/02/2019 is not a date: February 2019 has 28 days".into(),
        }]
    );
    assert!(report.blocked() && !report.written);
    assert_eq!(
        (report.rows, report.good_rows(), report.imported),
        (7, 6, 0)
    );
    let summary = report.summary();
    assert!(
        summary.contains(
            "line 5, column Date / period: 30/02/2019 is not a date: February 2019 has 28 days"
        ),
        "{summary}"
    );
    assert!(
        summary.contains(
            "Nothing was imported: 1 bad row. Fix it, or use --skip-invalid to import the 6 good rows."
        ),
        "{summary}"
    );
    assert!(imported(dir.path()).is_empty());
    assert_eq!(
        audit_rows(dir.path()),
        audit_before,
        "not a single row written"
    );
}

#[test]
fn the_csc_sample_with_skip_invalid_imports_6_rows_and_lists_the_bad_one() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let report = import(&mut store, CSC, &options(Some("csc"), true, false)).unwrap();
    assert_eq!((report.imported, report.bad_rows.len()), (6, 1));
    assert!(report.written && !report.blocked());
    assert!(report.summary().contains("line 5, column Date / period"));
    assert!(
        report
            .summary()
            .contains("Imported 6 entries into DEMO-1. Skipped 1 bad row")
    );
    let rows = imported(dir.path());
    let lines: Vec<i64> = rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, [2, 3, 4, 6, 7, 8], "CRLF lines counted once");
    assert!(rows.iter().all(|r| r.agency.as_deref() == Some("CSC")));
    // "Impact" is the agency's comment; "Action taken" the outcome; "Person" the subjects.
    assert_eq!(
        rows[0].agency_comment,
        "Negative: child present during the incident."
    );
    assert_eq!(
        rows[0].action_outcome,
        "Screened: no further action; letter to parent."
    );
    assert_eq!(rows[4].linked, ["Child C"]);
    assert_eq!(rows[2].linked, ["Child C", "Adult A"]);
    assert_eq!(
        rows[5].date_text, "Unknown",
        "no line-end left on the last cell"
    );
    assert_eq!(rows[5].precision, "undated");
    assert_eq!(rows[5].action_outcome, "");
    assert_eq!(rows[0].date_text, "20/06/2018", "the BOM is not part of it");
}

#[test]
fn importing_again_adds_nothing_even_after_entries_were_withdrawn_or_edited() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    import(&mut store, POLICE, &options(Some("POLICE"), false, false)).unwrap();
    let rows = imported(dir.path());
    let (withdrawn, edited) = (rows[0].id, rows[1].id);
    store.withdraw_chronology_entry(withdrawn).unwrap();
    let mut entry = store.chronology_entry(edited).unwrap().unwrap().entry;
    entry.event = "Edited.".into();
    store.update_chronology_entry(&entry, &[]).unwrap();
    let audit_before = audit_rows(dir.path());
    let again = import(
        &mut store,
        POLICE,
        &options(Some("Northgate Police"), false, false),
    )
    .unwrap();
    assert_eq!((again.imported, again.already_present), (0, 13));
    assert!(!again.written);
    assert!(
        again
            .summary()
            .contains("Nothing new was imported: the 13 good rows are already in DEMO-1"),
        "{}",
        again.summary()
    );
    assert_eq!(imported(dir.path()).len(), 13);
    assert_eq!(audit_rows(dir.path()), audit_before);
}

#[test]
fn identical_rows_in_one_file_are_both_imported_and_a_second_import_adds_none() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let first = import(
        &mut store,
        "identical_rows.csv",
        &options(Some("GP"), false, false),
    )
    .unwrap();
    assert_eq!(first.imported, 3);
    let rows = imported(dir.path());
    assert_eq!(rows[0].event, rows[1].event);
    assert_ne!(rows[0].fingerprint, rows[1].fingerprint);
    let again = import(
        &mut store,
        "identical_rows.csv",
        &options(Some("GP"), false, false),
    )
    .unwrap();
    assert_eq!((again.imported, again.already_present), (0, 3));
    // The same rows from another agency are another agency's entries.
    let other = import(
        &mut store,
        "identical_rows.csv",
        &options(Some("ASC"), false, false),
    )
    .unwrap();
    assert_eq!(other.imported, 3);
    assert_eq!(imported(dir.path()).len(), 6);
}

// --- Columns -------------------------------------------------------------------------

#[test]
fn a_combined_file_takes_each_rows_agency_and_keeps_unknown_columns() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let report = import(&mut store, "combined.csv", &options(None, false, false)).unwrap();
    assert_eq!(report.imported, 3, "{}", report.summary());
    assert_eq!(report.agency, None);
    assert!(
        report
            .columns
            .contains(&("Agency comment".into(), "agency comment".into()))
    );
    assert!(report.columns.contains(&("Agency".into(), "agency".into())));
    assert_eq!(report.extra_columns, ["Location"]);
    assert_eq!(report.unmatched_subjects, ["Neighbour", "Mr X"]);
    let rows = imported(dir.path());
    let agencies: Vec<&str> = rows.iter().filter_map(|r| r.agency.as_deref()).collect();
    assert_eq!(agencies, ["POLICE", "CSC", "GP"], "code, name, any case");
    assert_eq!(rows[0].agency_comment, "Not shared with health.");
    assert_eq!(
        rows[0].extra,
        [("Location".to_string(), "Flat 3".to_string())]
    );
    assert!(rows[1].extra.is_empty(), "an empty cell adds no field");
    assert_eq!(rows[1].subjects, "Ellie Thornley, Neighbour", "as written");
    assert_eq!(rows[1].linked, ["Child C"], "real name, comma-separated");
    assert_eq!(rows[2].linked, ["Adult A"], "a real-name form");
    let summary = report.summary();
    assert!(summary.contains("Neighbour, Mr X"), "{summary}");
    assert!(summary.contains("Location"), "{summary}");
}

#[test]
fn with_agency_given_the_files_own_agency_column_is_kept_as_an_extra_field() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let report = import(
        &mut store,
        "combined.csv",
        &options(Some("idva"), false, false),
    )
    .unwrap();
    assert_eq!(report.imported, 3);
    assert_eq!(
        report.agency.as_deref(),
        Some("Northgate Domestic Abuse Service (IDVA)")
    );
    assert_eq!(report.extra_columns, ["Agency", "Location"]);
    let rows = imported(dir.path());
    assert!(rows.iter().all(|r| r.agency.as_deref() == Some("IDVA")));
    assert_eq!(
        rows[0].extra,
        [
            ("Agency".to_string(), "police".to_string()),
            ("Location".to_string(), "Flat 3".to_string())
        ]
    );
}

#[test]
fn an_agency_value_the_case_does_not_know_is_a_bad_row_listing_the_agencies() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let report = import(
        &mut store,
        "unknown_agency.csv",
        &options(None, false, false),
    )
    .unwrap();
    assert_eq!(lines(&report), [3, 4]);
    let misspelt = bad(&report, 3);
    assert_eq!(misspelt.column, "Agency");
    assert!(
        misspelt
            .reason
            .contains("\"Polise\" is not an agency of this case"),
        "{misspelt:?}"
    );
    assert!(
        misspelt.reason.contains("Northgate Police (POLICE)")
            && misspelt.reason.contains("Regional Ambulance Service (AMB)"),
        "{misspelt:?}"
    );
    assert!(bad(&report, 4).reason.starts_with("the agency is empty"));
    assert!(!report.written && imported(dir.path()).is_empty());
}

#[test]
fn without_agency_a_file_without_an_agency_column_is_refused() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let err = import(&mut store, POLICE, &options(None, false, false)).unwrap_err();
    assert!(matches!(err, ImportError::NoAgencyColumn { .. }), "{err}");
    assert!(err.is_bad_input());
    let message = err.to_string();
    assert!(message.contains("--agency NAME"), "{message}");
    assert!(
        message.contains("Children's Social Care (CSC)"),
        "{message}"
    );
}

#[test]
fn an_unknown_agency_option_or_case_is_refused() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let err = import(&mut store, POLICE, &options(Some("Fire"), false, false)).unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with("--agency \"Fire\" is not an agency of DEMO-1"),
        "{message}"
    );
    assert!(message.contains("Housing Options (HOUSING)"), "{message}");
    let err = import_chronology(
        &mut store,
        9999,
        &fixture(POLICE),
        &options(Some("POLICE"), false, false),
        today(),
    )
    .unwrap_err();
    assert!(matches!(err, ImportError::CaseNotFound { .. }), "{err}");
    assert!(err.is_bad_input());
}

#[test]
fn a_date_and_time_column_is_split_and_every_role_finds_its_field() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let report = import(
        &mut store,
        "date_time_extra.csv",
        &options(Some("POLICE"), false, false),
    )
    .unwrap();
    assert_eq!(report.imported, 3, "{}", report.summary());
    assert!(
        report
            .columns
            .contains(&("Date/Time".into(), "date and time".into()))
    );
    assert!(
        report
            .columns
            .contains(&("MARAC referral".into(), "risk (MARAC)".into()))
    );
    assert_eq!(report.extra_columns, ["Location", "Agency"]);
    let rows = imported(dir.path());
    let first = &rows[0];
    assert_eq!(
        (first.date_text.as_str(), first.time.as_deref()),
        ("14/06/2018", Some("23:10"))
    );
    assert_eq!(first.event, "Officers attended.");
    assert_eq!(first.subjects, "Adult A");
    assert_eq!(first.agency_comment, "Late attendance.");
    assert_eq!(first.source_ref, "STORM 1");
    assert_eq!(first.risk_dash, "Standard");
    assert_eq!(first.risk_marac, "No");
    assert_eq!(first.action_outcome, "NFA");
    assert_eq!(
        first.extra,
        [
            ("Location".to_string(), "Flat 3".to_string()),
            ("Agency".to_string(), "Police".to_string())
        ]
    );
    assert_eq!(
        (rows[1].date_text.as_str(), rows[1].time.as_deref()),
        ("c. March 2019", None)
    );
    assert_eq!(rows[2].time.as_deref(), Some("01:45"));
    assert_eq!(rows[2].risk_marac, "Referred 10/01/2019");
}

#[test]
fn two_columns_claiming_one_role_is_an_error_naming_both() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let before = audit_rows(dir.path());
    let err = import(
        &mut store,
        "two_date_columns.csv",
        &options(Some("GP"), false, false),
    )
    .unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(err, ImportError::DuplicateRole { .. }),
        "{message}"
    );
    assert!(
        message.contains("two_date_columns.csv, line 1")
            && message.contains("column 1 \"Date\"")
            && message.contains("column 3 \"Date of contact\""),
        "{message}"
    );
    let err = import(
        &mut store,
        "date_and_date_time.csv",
        &options(Some("GP"), false, false),
    )
    .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("\"Date/Time\"") && message.contains("\"Time\""),
        "{message}"
    );
    assert!(err.is_bad_input());
    assert_eq!(audit_rows(dir.path()), before);
}

#[test]
fn a_missing_date_or_event_column_is_an_error_naming_the_headers_found() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let err = import(
        &mut store,
        "no_date_column.csv",
        &options(Some("GP"), false, false),
    )
    .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("no_date_column.csv, line 1: no date column"),
        "{message}"
    );
    assert!(
        message.contains("\"When\", \"Event\", \"Source\""),
        "{message}"
    );
    let err = import(
        &mut store,
        "no_event_column.csv",
        &options(Some("GP"), false, false),
    )
    .unwrap_err();
    let message = err.to_string();
    assert!(message.contains("no event column"), "{message}");
    assert!(
        message.contains("\"Date\", \"Source\", \"Notes\""),
        "{message}"
    );
    assert!(err.is_bad_input());
}

// --- Encodings and CSV shapes ---------------------------------------------------------

#[test]
fn bom_crlf_and_quoted_cells_with_line_breaks_commas_and_quotes_are_stored_as_written() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let report = import(
        &mut store,
        "bom_crlf_quoted.csv",
        &options(Some("ASC"), false, false),
    )
    .unwrap();
    assert_eq!(report.encoding, SourceEncoding::Utf8WithBom);
    assert!(report.summary().contains("UTF-8 with byte-order mark"));
    assert_eq!(report.imported, 2);
    let rows = imported(dir.path());
    assert_eq!(
        rows[0].event,
        "Line one\r\nline two, with a comma\r\nand \"quotes\""
    );
    assert_eq!(rows[0].source_ref, "Ref 1, para 2");
    assert_eq!(rows[0].date_text, "01/02/2019");
    assert_eq!(
        rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        [2, 5],
        "the second record starts after the three physical lines of the first"
    );
    assert_eq!(rows[1].linked, ["Adult A", "Adult B"]);
}

#[test]
fn a_record_after_multi_line_cells_is_named_by_its_physical_line() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let report = import(
        &mut store,
        "multiline_bad_row.csv",
        &options(Some("ASC"), false, false),
    )
    .unwrap();
    assert_eq!(lines(&report), [9]);
    assert_eq!(bad(&report, 9).column, "Date");
    assert!(report.summary().contains("line 9, column Date: 31/02/2019"));
    let report = import(
        &mut store,
        "multiline_bad_row.csv",
        &options(Some("ASC"), true, false),
    )
    .unwrap();
    assert_eq!(report.imported, 3);
    let rows = imported(dir.path());
    assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 5, 10]);
    assert_eq!(
        rows[1].event, "one\n\ntwo",
        "a blank line inside a cell is kept"
    );
}

#[test]
fn windows_1252_is_decoded_and_the_report_says_so() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let report = import(
        &mut store,
        "windows1252.csv",
        &options(Some("POLICE"), false, false),
    )
    .unwrap();
    assert_eq!(report.encoding, SourceEncoding::Windows1252);
    assert!(
        report.summary().contains("Read as Windows-1252"),
        "{}",
        report.summary()
    );
    let rows = imported(dir.path());
    assert_eq!(rows[0].event, "Café manager called – Adult A’s car damaged");
    assert_eq!(rows[0].agency_comment, "“Not linked” € 50 damage");
}

#[test]
fn every_fuzzy_date_form_is_read_and_kept_as_written() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let report = import(
        &mut store,
        "fuzzy_dates.csv",
        &options(Some("GP"), false, false),
    )
    .unwrap();
    assert!(report.bad_rows.is_empty(), "{}", report.summary());
    let rows = imported(dir.path());
    assert_eq!(rows.len(), 18);
    for row in &rows {
        // The fixture's event names the precision its date must have.
        assert_eq!(row.precision, row.event, "{}", row.date_text);
        let approximate = ["c.", "circa", "approx.", "~"]
            .iter()
            .any(|p| row.date_text.starts_with(p));
        assert_eq!(row.approximate, approximate, "{}", row.date_text);
    }
    assert_eq!(rows[2].date_text, "12/03/19", "as written, not reformatted");
    let conn = rusqlite::Connection::open(db_in(dir.path())).unwrap();
    let earliest: String = conn
        .query_row(
            "SELECT date_earliest FROM chronology WHERE id = ?1",
            [rows[2].id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(earliest, "2019-03-12", "UK day-first, 20xx");
}

#[test]
fn impossible_and_empty_dates_are_bad_rows_with_their_reasons() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let report = import(
        &mut store,
        "impossible_dates.csv",
        &options(Some("GP"), false, false),
    )
    .unwrap();
    assert_eq!(lines(&report), [2, 3, 4, 5, 7]);
    assert!(
        report
            .bad_rows
            .iter()
            .all(|b| b.column == "Date of contact")
    );
    assert!(
        bad(&report, 2)
            .reason
            .starts_with("31/02/2019 is not a date")
    );
    assert!(bad(&report, 3).reason.contains("February 2019 has 28 days"));
    assert!(bad(&report, 4).reason.contains("01/13/2019"));
    assert!(
        bad(&report, 5).reason.contains("write \"Unknown\""),
        "{:?}",
        bad(&report, 5)
    );
    assert!(bad(&report, 7).reason.contains("next Tuesday"));
    assert!(
        report
            .summary()
            .contains("Nothing was imported: 5 bad rows. Fix them, or use --skip-invalid to import the 1 good row.")
    );
    let report = import(
        &mut store,
        "impossible_dates.csv",
        &options(Some("GP"), true, false),
    )
    .unwrap();
    assert_eq!(report.imported, 1);
    assert_eq!(imported(dir.path())[0].date_text, "29/02/2020");
}

#[test]
fn surplus_cells_bad_times_empty_events_and_empty_rows() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let report = import(&mut store, "ragged.csv", &options(Some("GP"), true, false)).unwrap();
    assert_eq!(report.empty_rows, 1);
    assert_eq!(report.rows, 4);
    assert!(
        report.extra_columns.is_empty(),
        "columns with no header and no values are the spreadsheet's, not data"
    );
    assert_eq!(lines(&report), [4, 5, 6]);
    assert_eq!(bad(&report, 4).column, "(no header)");
    assert!(
        bad(&report, 4)
            .reason
            .contains("cell 6 has no column: the header has 5 columns")
    );
    assert_eq!(bad(&report, 5).column, "Time");
    assert!(bad(&report, 5).reason.starts_with("25:10 is not a time"));
    assert_eq!(bad(&report, 6).column, "Event");
    assert_eq!(report.imported, 1);
    assert_eq!(imported(dir.path())[0].time.as_deref(), Some("09:30"));
    assert!(report.summary().contains("1 empty row skipped"));
}

#[test]
fn control_characters_are_stored_as_written_and_never_printed() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let report = import(
        &mut store,
        "control_characters.csv",
        &options(Some("GP"), true, false),
    )
    .unwrap();
    assert_eq!(report.imported, 2);
    assert_eq!(lines(&report), [4]);
    // ";" separates subject names, so the escape sequence falls in two.
    assert_eq!(report.unmatched_subjects, ["\u{1b}]0", "x\u{7}Mallory"]);
    let rows = imported(dir.path());
    assert_eq!(rows[0].event, "\u{1b}[2JCleared\u{1b}]0;pwned\u{7} screen");
    assert_eq!(
        rows[0].extra,
        [(
            "\u{1b}[31mColour\u{1b}[0m".to_string(),
            "\u{202e}Reversed\u{7f}".to_string()
        )]
    );
    let summary = report.summary();
    for c in ['\u{1b}', '\u{7}', '\u{7f}', '\u{9b}', '\u{202e}'] {
        assert!(!summary.contains(c), "{c:?} printed: {summary:?}");
    }
    assert!(summary.contains("\u{241b}[1m31/02/2019"), "{summary}");
    assert!(summary.contains("Mallory"), "{summary}");
}

#[test]
fn a_dry_run_reports_and_writes_nothing() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let before = audit_rows(dir.path());
    let report = import(&mut store, POLICE, &options(Some("POLICE"), false, true)).unwrap();
    assert!(report.dry_run && !report.written);
    assert_eq!((report.imported, report.already_present), (0, 0));
    assert!(
        report
            .summary()
            .contains("Dry run, nothing was written. The import would add 13 entries to DEMO-1."),
        "{}",
        report.summary()
    );
    assert_eq!(audit_rows(dir.path()), before);
    import(&mut store, POLICE, &options(Some("POLICE"), false, false)).unwrap();
    let report = import(&mut store, POLICE, &options(Some("POLICE"), false, true)).unwrap();
    assert_eq!(report.already_present, 13);
    assert!(report.summary().contains("would add 0 entries"));
    let report = import(&mut store, CSC, &options(Some("CSC"), false, true)).unwrap();
    assert!(report.blocked());
    assert!(
        report
            .summary()
            .contains("The import would be refused: 1 bad row.")
    );
}

#[test]
fn empty_files_and_files_with_only_a_header() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let err = import(&mut store, "empty.csv", &options(Some("GP"), false, false)).unwrap_err();
    assert!(matches!(err, ImportError::NoHeader { .. }), "{err}");
    let report = import(
        &mut store,
        "header_only.csv",
        &options(Some("GP"), false, false),
    )
    .unwrap();
    assert_eq!((report.rows, report.imported), (0, 0));
    assert!(
        report
            .summary()
            .contains("the file has a header but no rows")
    );
    let err = import(
        &mut store,
        "no_such_file.csv",
        &options(Some("GP"), false, false),
    )
    .unwrap_err();
    assert!(matches!(err, ImportError::Unreadable { .. }), "{err}");
    assert!(err.to_string().contains("no_such_file.csv"));
}

#[test]
fn a_workbook_or_utf16_file_picked_by_mistake_is_refused_with_how_to_save_it() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    for (name, what) in [
        ("workbook.xlsx", "Excel workbook (.xlsx)"),
        ("utf16.csv", "UTF-16"),
    ] {
        let err = import(&mut store, name, &options(Some("GP"), false, false)).unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, ImportError::NotCsv { .. }), "{message}");
        assert!(
            message.starts_with(&format!("{name} is not a CSV file")),
            "{message}"
        );
        assert!(
            message.contains(what) && message.contains("save it as \"CSV UTF-8\""),
            "{message}"
        );
        assert!(err.is_bad_input());
    }
    assert!(imported(dir.path()).is_empty());
}

// --- The real binary -------------------------------------------------------------------

fn import_cmd(db: &Path, file: &str, case: &str) -> std::process::Command {
    let mut cmd = dhr(db);
    cmd.args(["import", "chronology"])
        .arg(fixture(file))
        .args(["--case", case]);
    cmd
}

#[test]
fn the_binary_imports_the_shared_samples_as_a_user_would() {
    let dir = private_dir();
    let db = db_in(dir.path());
    assert_eq!(run(dhr(&db).arg("demo")).0, 0);

    let (code, out, err) = run(import_cmd(&db, POLICE, "DEMO-1").args(["--agency", "POLICE"]));
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    assert!(out.contains("Imported 13 entries into DEMO-1."), "{out}");

    let before = audit_rows(dir.path());
    let (code, out, err) = run(import_cmd(&db, CSC, "DEMO-1").args(["--agency", "CSC"]));
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(
            "line 5, column Date / period: 30/02/2019 is not a date: February 2019 has 28 days"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "Nothing was imported: 1 bad row. Fix it, or use --skip-invalid to import the 6 good rows."
        ),
        "{out}"
    );
    assert!(
        err.starts_with("dhr: childrens_services_chronology.csv: 1 bad row"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(audit_rows(dir.path()), before, "nothing written");

    let (code, out, err) =
        run(import_cmd(&db, CSC, "DEMO-1").args(["--agency", "csc", "--skip-invalid"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("line 5, column Date / period"), "{out}");
    assert!(out.contains("Imported 6 entries into DEMO-1."), "{out}");

    let (code, out, err) = run(import_cmd(&db, POLICE, "demo-1").args(["--agency", "police"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("13 rows already present"), "{out}");
    assert!(out.contains("Nothing new was imported"), "{out}");
    assert_eq!(imported(dir.path()).len(), 19);

    let (code, out, _) = run(dhr(&db).arg("check"));
    assert_eq!(code, 0);
    assert!(out.contains("Audit chain: valid"), "{out}");
}

#[test]
fn the_binary_refuses_bad_input_with_exit_2_naming_the_place() {
    let dir = private_dir();
    let db = db_in(dir.path());
    assert_eq!(run(dhr(&db).arg("demo")).0, 0);
    let before = audit_rows(dir.path());
    let cases: [(&str, &str, &[&str], &str); 6] = [
        (
            POLICE,
            "DHR-1999-01",
            &["--agency", "POLICE"],
            "no case DHR-1999-01",
        ),
        (
            POLICE,
            "DEMO-1",
            &["--agency", "Fire"],
            "--agency \"Fire\" is not an agency of DEMO-1",
        ),
        (
            POLICE,
            "DEMO-1",
            &[],
            "police_chronology.csv has no agency column",
        ),
        (
            "no_event_column.csv",
            "DEMO-1",
            &["--agency", "GP"],
            "no_event_column.csv, line 1: no event column",
        ),
        (
            "two_date_columns.csv",
            "DEMO-1",
            &["--agency", "GP"],
            "column 1 \"Date\" and column 3 \"Date of contact\"",
        ),
        ("missing.csv", "DEMO-1", &["--agency", "GP"], "cannot read"),
    ];
    for (file, case, args, expected) in cases {
        let (code, out, err) = run(import_cmd(&db, file, case).args(args));
        assert_eq!(code, 2, "{expected}: {err}");
        assert!(out.is_empty(), "{out}");
        assert!(err.starts_with("dhr: "), "{err}");
        assert!(err.contains(expected), "{expected}: {err}");
    }
    assert_eq!(audit_rows(dir.path()), before);

    let missing = dir.path().join("elsewhere").join("dhr.sqlite3");
    let (code, _, err) = run(import_cmd(&missing, POLICE, "DEMO-1").args(["--agency", "POLICE"]));
    assert_eq!(code, 2);
    assert!(err.contains("no database at"), "{err}");
    assert!(!dir.path().join("elsewhere").exists(), "never creates one");
}

#[test]
fn the_binary_dry_run_writes_nothing() {
    let dir = private_dir();
    let db = db_in(dir.path());
    assert_eq!(run(dhr(&db).arg("demo")).0, 0);
    let before = audit_rows(dir.path());
    let (code, out, err) =
        run(import_cmd(&db, POLICE, "DEMO-1").args(["--agency", "POLICE", "--dry-run"]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("would add 13 entries"), "{out}");
    // A dry run of a file the real import would refuse says so with exit 2.
    let (code, out, err) =
        run(import_cmd(&db, CSC, "DEMO-1").args(["--agency", "CSC", "--dry-run"]));
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("The import would be refused"), "{out}");
    assert!(err.contains("the import would be refused"), "{err}");
    assert_eq!(audit_rows(dir.path()), before);
    assert!(imported(dir.path()).is_empty());
}

#[test]
fn the_binary_prints_no_escape_sequences_from_the_file_or_the_arguments() {
    let dir = private_dir();
    let db = db_in(dir.path());
    assert_eq!(run(dhr(&db).arg("demo")).0, 0);
    let (code, out, err) = run(import_cmd(&db, "control_characters.csv", "DEMO-1").args([
        "--agency",
        "GP",
        "--skip-invalid",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Imported 2 entries"), "{out}");
    let (code, out2, err2) =
        run(import_cmd(&db, "control_characters.csv", "DEMO-1").args(["--agency", "GP"]));
    assert_eq!(code, 2);
    let (code, out3, err3) =
        run(import_cmd(&db, POLICE, "DEMO-1").args(["--agency", "\u{1b}[2JX"]));
    assert_eq!(code, 2);
    for text in [out, err, out2, err2, out3, err3] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{text:?}"
        );
    }
    assert_eq!(
        imported(dir.path())[0].event,
        "\u{1b}[2JCleared\u{1b}]0;pwned\u{7} screen"
    );
}
