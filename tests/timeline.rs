//! The Timeline pane as a secretary uses it: keys fed to the update function, rows checked
//! in the database, the screen drawn by the real code.

mod common;

use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dhr_panel::app::overlay::FormOverlay;
use dhr_panel::app::panes::FormTarget;
use dhr_panel::app::panes::timeline::TimelineForm;
use dhr_panel::app::{App, Msg, Options, Overlay, Pane};

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(key(KeyCode::Char(c)));
    }
}

fn tab(app: &mut App, n: usize) {
    for _ in 0..n {
        app.update(key(KeyCode::Tab));
    }
}

fn timeline_app(dir: &std::path::Path) -> App {
    let mut app = demo_app(dir, Options::default());
    app.update(key(KeyCode::Char('1')));
    assert_eq!(app.workspace.as_ref().unwrap().pane, Pane::Timeline);
    app
}

fn case_id(app: &App) -> i64 {
    app.workspace.as_ref().unwrap().case.id
}

fn count(app: &App) -> u64 {
    app.store().chronology_count(case_id(app)).unwrap()
}

#[test]
fn a_new_entry_is_saved_with_its_links_and_selected() {
    let dir = private_dir();
    let mut app = timeline_app(dir.path());
    let before = count(&app);
    app.update(key(KeyCode::Char('a')));
    typed(&mut app, "c. March 2019");
    tab(&mut app, 1);
    typed(&mut app, "14:05");
    tab(&mut app, 1);
    typed(&mut app, "gp");
    tab(&mut app, 1);
    typed(&mut app, "Adult A");
    tab(&mut app, 1);
    typed(&mut app, "Told the practice nurse she was afraid at home.");
    tab(&mut app, 7);
    typed(&mut app, "y");
    tab(&mut app, 2);
    typed(&mut app, "1, 5");
    app.update(ctrl('o'));
    assert!(app.overlays.is_empty(), "the form closed");
    assert_eq!(count(&app), before + 1);
    let ws = app.workspace.as_ref().unwrap();
    let row = ws
        .timeline
        .selected_row()
        .expect("the new entry is selected");
    assert_eq!(
        row.entry.event,
        "Told the practice nurse she was afraid at home."
    );
    assert_eq!(row.entry.date.text, "c. March 2019");
    assert!(row.entry.date.approximate);
    assert_eq!(row.entry.time.as_deref(), Some("14:05"));
    assert_eq!(row.agency_code, "GP");
    assert!(row.entry.key_event && !row.entry.missed_opportunity);
    assert_eq!(app.store().entry_term_ids(row.entry.id).unwrap().len(), 2);
    assert_eq!(
        app.store().audit_of("chronology", row.entry.id).unwrap()[0].action,
        "insert"
    );
    assert!(screen(&app, 80, 24).contains("Entry added."));
}

#[test]
fn a_bad_date_is_shown_inline_and_nothing_is_saved_until_the_form_is_valid() {
    let dir = private_dir();
    let mut app = timeline_app(dir.path());
    let before = count(&app);
    app.update(key(KeyCode::Char('a')));
    typed(&mut app, "31/02/2019");
    tab(&mut app, 1);
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("February 2019 has 28 days"),
        "said as soon as the field is left:\n{shown}"
    );
    tab(&mut app, 3);
    typed(&mut app, "An event");
    app.update(ctrl('o'));
    assert!(
        matches!(
            app.overlays.top(),
            Some(Overlay::Form(FormOverlay {
                target: FormTarget::Timeline(TimelineForm::Add),
                ..
            }))
        ),
        "the form stays open"
    );
    assert_eq!(count(&app), before, "nothing saved");
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("Not saved: correct the marked fields."),
        "{shown}"
    );
    // Correct the date: the same form saves.
    for _ in 0..10 {
        app.update(key(KeyCode::Backspace));
    }
    typed(&mut app, "28/02/2019");
    app.update(ctrl('o'));
    assert!(app.overlays.is_empty());
    assert_eq!(count(&app), before + 1);
}

#[test]
fn an_empty_date_says_to_write_unknown_and_esc_saves_nothing() {
    let dir = private_dir();
    let mut app = timeline_app(dir.path());
    let before = count(&app);
    app.update(key(KeyCode::Char('a')));
    tab(&mut app, 4);
    typed(&mut app, "Something happened");
    app.update(ctrl('o'));
    assert!(screen(&app, 80, 24).contains("write \"Unknown\""));
    // Esc in a form with changes asks; 3 discards them.
    app.update(key(KeyCode::Esc));
    assert!(screen(&app, 80, 24).contains("You changed this form"));
    app.update(key(KeyCode::Char('3')));
    assert!(app.overlays.is_empty());
    assert_eq!(count(&app), before);
}

#[test]
fn editing_changes_only_what_was_touched_and_is_audited() {
    let dir = private_dir();
    let mut app = timeline_app(dir.path());
    let original = app
        .workspace
        .as_ref()
        .unwrap()
        .timeline
        .selected_row()
        .unwrap()
        .clone();
    app.update(key(KeyCode::Char('e')));
    tab(&mut app, 10);
    typed(&mut app, "Panel: the first contact in the review period.");
    app.update(ctrl('o'));
    let after = app
        .store()
        .chronology_entry(original.entry.id)
        .unwrap()
        .unwrap();
    assert_eq!(
        after.entry.panel_analysis,
        "Panel: the first contact in the review period."
    );
    assert_eq!(after.entry.event, original.entry.event);
    assert_eq!(
        after.entry.date.text, original.entry.date.text,
        "the date as written is kept"
    );
    let audit = app
        .store()
        .audit_of("chronology", original.entry.id)
        .unwrap();
    let last = audit.last().unwrap();
    assert_eq!(last.action, "update");
    assert!(last.changes.contains("panel_analysis"), "{}", last.changes);
    assert!(
        !last.changes.contains("\"event\""),
        "untouched fields are not rewritten: {}",
        last.changes
    );
}

#[test]
fn k_and_m_flag_the_selected_entry_in_the_database() {
    let dir = private_dir();
    let mut app = timeline_app(dir.path());
    let id = app
        .workspace
        .as_ref()
        .unwrap()
        .timeline
        .selected_row()
        .unwrap()
        .entry
        .id;
    app.update(key(KeyCode::Char('k')));
    app.update(key(KeyCode::Char('m')));
    let row = app.store().chronology_entry(id).unwrap().unwrap();
    assert!(row.entry.key_event && row.entry.missed_opportunity);
    let line = screen(&app, 80, 24)
        .lines()
        .find(|l| l.starts_with("│>"))
        .unwrap()
        .to_string();
    assert!(line.contains("K M"), "{line}");
    app.update(key(KeyCode::Char('k')));
    assert!(
        !app.store()
            .chronology_entry(id)
            .unwrap()
            .unwrap()
            .entry
            .key_event,
        "k again clears it"
    );
}

#[test]
fn withdrawing_asks_first_and_keeps_the_row_in_the_database() {
    let dir = private_dir();
    let mut app = timeline_app(dir.path());
    let before = count(&app);
    let id = app
        .workspace
        .as_ref()
        .unwrap()
        .timeline
        .selected_row()
        .unwrap()
        .entry
        .id;
    app.update(key(KeyCode::Char('x')));
    assert!(screen(&app, 80, 24).contains("Withdraw this entry?"));
    app.update(key(KeyCode::Char('n')));
    assert_eq!(count(&app), before);
    app.update(key(KeyCode::Char('x')));
    app.update(key(KeyCode::Char('y')));
    assert_eq!(count(&app), before - 1);
    assert!(
        app.store().chronology_entry(id).unwrap().is_some(),
        "still in the table"
    );
    assert_eq!(
        app.store()
            .audit_of("chronology", id)
            .unwrap()
            .last()
            .unwrap()
            .action,
        "withdraw"
    );
}

#[test]
fn filters_combine_and_the_title_says_showing_n_of_m() {
    let dir = private_dir();
    let mut app = timeline_app(dir.path());
    let total = count(&app);
    app.update(key(KeyCode::Char('f')));
    typed(&mut app, "police");
    tab(&mut app, 2);
    typed(&mut app, "y");
    app.update(ctrl('o'));
    let ws = app.workspace.as_ref().unwrap();
    let n = ws.timeline.matching;
    assert!(n > 0 && n < total);
    let rows = app
        .store()
        .chronology_window(ws.case.id, &ws.timeline.effective_filter(), 0, 1000)
        .unwrap();
    assert!(
        rows.iter()
            .all(|r| r.agency_code == "POLICE" && r.entry.key_event)
    );
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains(&format!("showing {n} of {total}")),
        "{shown}"
    );
    assert!(
        shown.contains("agency: POLICE") && shown.contains("key only"),
        "{shown}"
    );
    insta::assert_snapshot!("timeline_police_key_80x24", shown);
    insta::assert_snapshot!("timeline_police_key_160x48", screen(&app, 160, 48));

    // Free text narrows further; Esc clears everything.
    typed(&mut app, "/strangulation");
    app.update(key(KeyCode::Enter));
    assert!(app.workspace.as_ref().unwrap().timeline.matching < n);
    app.update(key(KeyCode::Esc));
    assert_eq!(app.workspace.as_ref().unwrap().timeline.matching, total);
}

#[test]
fn a_date_range_keeps_entries_that_could_fall_in_it() {
    let dir = private_dir();
    let mut app = timeline_app(dir.path());
    app.update(key(KeyCode::Char('f')));
    tab(&mut app, 5);
    typed(&mut app, "01/01/2019");
    tab(&mut app, 1);
    typed(&mut app, "Mar 2019");
    app.update(ctrl('o'));
    let ws = app.workspace.as_ref().unwrap();
    let rows = app
        .store()
        .chronology_window(ws.case.id, &ws.timeline.effective_filter(), 0, 1000)
        .unwrap();
    assert!(!rows.is_empty());
    let from = chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
    let to = chrono::NaiveDate::from_ymd_opt(2019, 3, 31).unwrap();
    for r in &rows {
        let d = &r.entry.date;
        assert!(
            d.earliest.or(d.latest).is_some(),
            "undated entries drop out"
        );
        assert!(d.latest.is_none_or(|l| l >= from), "{}", d.display());
        assert!(
            d.earliest.or(d.latest).is_some_and(|e| e <= to),
            "{}",
            d.display()
        );
    }
}

#[test]
fn go_to_a_date_selects_the_first_entry_on_or_after_it() {
    let dir = private_dir();
    let mut app = timeline_app(dir.path());
    app.update(key(KeyCode::Char('d')));
    typed(&mut app, "02/01/2019");
    app.update(key(KeyCode::Enter));
    let row = app
        .workspace
        .as_ref()
        .unwrap()
        .timeline
        .selected_row()
        .unwrap()
        .clone();
    let day = row.entry.date.earliest.or(row.entry.date.latest).unwrap();
    assert!(
        day >= chrono::NaiveDate::from_ymd_opt(2019, 1, 2).unwrap(),
        "{}",
        row.entry.date.display()
    );
    assert!(
        day <= chrono::NaiveDate::from_ymd_opt(2019, 1, 2).unwrap(),
        "{}",
        row.entry.date.display()
    );
}

#[test]
fn the_detail_shows_every_field_and_where_an_entry_came_from() {
    let dir = private_dir();
    let mut app = timeline_app(dir.path());
    app.update(key(KeyCode::Char('d')));
    typed(&mut app, "14/06/2018");
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Enter));
    let shown = screen(&app, 80, 24);
    insta::assert_snapshot!("timeline_detail_80x24", shown);
    for label in [
        "Date:",
        "Agency: POLICE",
        "Source:",
        "Event:",
        "Risk: DASH",
        "Flags:",
        "Terms of reference:",
    ] {
        assert!(shown.contains(label), "{label} missing:\n{shown}");
    }
    app.update(key(KeyCode::PageDown));
    app.update(key(KeyCode::PageDown));
    assert!(
        screen(&app, 80, 24).contains("Entered: in DHR Panel"),
        "where it came from, further down"
    );
    app.update(key(KeyCode::Esc));
    assert!(app.overlays.is_empty());
}

#[test]
fn silent_periods_are_listed_longest_first_and_marked_in_the_timeline() {
    let dir = private_dir();
    let mut app = timeline_app(dir.path());
    app.update(key(KeyCode::Char('g')));
    let shown = screen(&app, 80, 24);
    insta::assert_snapshot!("silent_periods_80x24", shown);
    assert!(
        shown.contains("18 months with no recorded contact (01 Dec 2016 – 13 Jun 2018)"),
        "{shown}"
    );
    app.update(key(KeyCode::Right));
    assert!(
        screen(&app, 80, 24).contains("Northgate Police"),
        "one agency at a time"
    );
    app.update(key(KeyCode::Left));
    app.update(key(KeyCode::Enter));
    assert!(app.overlays.is_empty());
    let shown = screen(&app, 80, 24);
    insta::assert_snapshot!("timeline_silence_marker_80x24", shown);
    assert!(shown.contains("no contact for 18 months"), "{shown}");
}

#[test]
fn a_reading_seat_cannot_change_the_timeline() {
    let dir = private_dir();
    drop(demo_store(dir.path()));
    let store = dhr_panel::store::Store::open(
        &db_in(dir.path()),
        dhr_panel::store::OpenMode::ReadOnly,
        clock(),
    )
    .unwrap();
    let mut app = App::new(
        store,
        Options {
            read_only: true,
            ..Options::default()
        },
        Some("DEMO-1"),
    )
    .unwrap();
    app.update(key(KeyCode::Char('1')));
    for c in ['a', 'e', 'k', 'm', 'x', 'i'] {
        app.update(key(KeyCode::Char(c)));
        assert!(app.overlays.is_empty(), "{c} opens nothing");
        assert!(
            screen(&app, 80, 24).contains("reading seat"),
            "{c} says why"
        );
    }
}

#[test]
fn importing_from_the_pane_shows_the_report_and_merges_in_date_order() {
    let dir = private_dir();
    let mut app = timeline_app(dir.path());
    let before = count(&app);
    let police = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/shared/police_chronology.csv");
    app.update(key(KeyCode::Char('i')));
    typed(&mut app, &police.display().to_string());
    tab(&mut app, 1);
    typed(&mut app, "police");
    app.update(ctrl('o'));
    assert!(matches!(app.overlays.top(), Some(Overlay::Report(_))));
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("Import report"), "{shown}");
    assert!(shown.contains("13"), "{shown}");
    app.update(key(KeyCode::Esc));
    assert_eq!(count(&app), before + 13);
    // Merged in date order: the imported call of 02/01/2019 sits with the demo's own
    // entries of that day, and the detail says where it came from.
    let day = chrono::NaiveDate::from_ymd_opt(2019, 1, 2).unwrap();
    let filter = dhr_panel::domain::filter::TimelineFilter {
        from: Some(day),
        to: Some(day),
        ..Default::default()
    };
    let rows = app
        .store()
        .chronology_window(case_id(&app), &filter, 0, 100)
        .unwrap();
    assert!(
        rows.iter().any(|r| r.entry.provenance.is_some())
            && rows.iter().any(|r| r.entry.provenance.is_none())
    );
    let imported = rows.iter().find(|r| r.entry.provenance.is_some()).unwrap();
    let p = imported.entry.provenance.as_ref().unwrap();
    assert_eq!((p.file_name.as_str(), p.line), ("police_chronology.csv", 5));
    app.update(key(KeyCode::Char('f')));
    tab(&mut app, 5);
    typed(&mut app, "02/01/2019");
    tab(&mut app, 1);
    typed(&mut app, "02/01/2019");
    app.update(ctrl('o'));
    for _ in 0..rows.len() {
        if app
            .workspace
            .as_ref()
            .unwrap()
            .timeline
            .selected_row()
            .is_some_and(|r| r.entry.provenance.is_some())
        {
            break;
        }
        app.update(key(KeyCode::Down));
    }
    app.update(key(KeyCode::Enter));
    for _ in 0..3 {
        app.update(key(KeyCode::PageDown));
    }
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("Imported from: police_chronology.csv, line 5"),
        "{shown}"
    );
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Esc));

    // The bad sample is refused with the line and the reason, and nothing is written.
    let csc = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/shared/childrens_services_chronology.csv");
    let before = count(&app);
    app.update(key(KeyCode::Char('i')));
    typed(&mut app, &csc.display().to_string());
    tab(&mut app, 1);
    typed(&mut app, "CSC");
    app.update(ctrl('o'));
    let shown = screen(&app, 160, 48);
    assert!(
        shown.contains("line 5") && shown.contains("30/02/2019"),
        "{shown}"
    );
    assert_eq!(count(&app), before);
}

#[test]
fn a_half_typed_entry_is_kept_as_a_draft_and_comes_back_in_the_same_form() {
    let dir = private_dir();
    let mut app = timeline_app(dir.path());
    app.update(key(KeyCode::Char('a')));
    typed(&mut app, "Summer 2019");
    tab(&mut app, 4);
    typed(&mut app, "Neighbour heard shouting");
    app.update(Msg::SaveDrafts);
    drop(app); // as if the connection dropped here
    let store = dhr_panel::store::Store::open(
        &db_in(dir.path()),
        dhr_panel::store::OpenMode::Existing,
        clock(),
    )
    .unwrap();
    let mut again = App::new(store, Options::default(), Some("DEMO-1")).unwrap();
    again.update(key(KeyCode::Char('1')));
    again.update(key(KeyCode::Char('a')));
    let shown = screen(&again, 100, 30);
    assert!(
        shown.contains("Neighbour heard shouting") && shown.contains("Summer 2019"),
        "{shown}"
    );
    assert!(shown.contains("Your unsaved text from"), "{shown}");
    // Discarding drops the draft (Esc asks first): the next form starts empty.
    again.update(key(KeyCode::Esc));
    again.update(key(KeyCode::Char('3')));
    again.update(key(KeyCode::Char('a')));
    assert!(!screen(&again, 100, 30).contains("Neighbour heard shouting"));
}

/// The ids of the entries passing a free-text filter, by the predicate the filter has
/// always used (every word in the entry's text fields or its agency's code or name,
/// SQLite's `lower()`), read with a plain connection in timeline order.
fn scanned_ids(db: &std::path::Path, case_id: i64, text: &str) -> Vec<i64> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut sql = String::from(
        "SELECT c.id FROM chronology c LEFT JOIN agencies a ON a.id = c.agency_id
         WHERE c.case_id = ?1 AND c.deleted_at IS NULL",
    );
    let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
    for i in 0..words.len() {
        sql.push_str(&format!(
            " AND instr(lower(c.date_text || ' ' || c.event || ' ' || c.subjects || ' ' || c.source_ref || ' ' || \
             c.action_outcome || ' ' || c.agency_comment || ' ' || c.panel_analysis || ' ' || c.risk_dash || ' ' || \
             c.risk_marac || ' ' || ifnull(a.code, '') || ' ' || ifnull(a.name, '')), ?{}) > 0",
            i + 2
        ));
    }
    sql.push_str(" ORDER BY c.date_sort IS NULL, c.date_sort, c.date_latest, c.time, c.id");
    let mut params: Vec<rusqlite::types::Value> = vec![case_id.into()];
    params.extend(words.into_iter().map(rusqlite::types::Value::from));
    let mut stmt = conn.prepare(&sql).unwrap();
    stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The ids the store's filter gives (the search index for words of three characters or
/// more), and its count.
fn filtered_ids(store: &dhr_panel::store::Store, case_id: i64, text: &str) -> (u64, Vec<i64>) {
    let filter = dhr_panel::domain::filter::TimelineFilter {
        text: text.to_string(),
        ..Default::default()
    };
    let count = store.chronology_count_matching(case_id, &filter).unwrap();
    let rows = store
        .chronology_window(case_id, &filter, 0, 100_000)
        .unwrap();
    (count, rows.into_iter().map(|r| r.entry.id).collect())
}

#[test]
fn the_search_index_finds_exactly_what_the_scan_finds_through_edits_and_withdrawals() {
    use dhr_panel::domain::date::FuzzyDate;
    use dhr_panel::domain::model::ChronologyEntry;
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let db = db_in(dir.path());
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap().id;
    let agency = store
        .chronology_window(case, &Default::default(), 0, 1)
        .unwrap()[0]
        .entry
        .agency_id;
    // Text the index could get wrong: letters outside ASCII in both cases (SQLite's
    // lower() leaves them as they are), words split across fields, a very long cell (more
    // than the index holds of one entry), the characters SQLite's tokenizer reads alike.
    let long_tail = format!("{} Needle-at-the-end", "filler ".repeat(20_000));
    let texts = [
        ("Zoë met ÉMILE at the Café", "Straße", ""),
        ("ZOË MET émile", "", "café au lait"),
        ("Ünïcödé", "İstanbul trip", "ǅ digraph"),
        ("police attended", "domestic abuse", "DASH: high"),
        ("record", "ab", "a b"),
        (long_tail.as_str(), "", ""),
        ("odd \u{fffe}\u{ffff} marks", "\u{fffd}\u{fffd}\u{fffd}", ""),
        ("Straße", "STRASSE", "strasse"),
    ];
    let mut ids = Vec::new();
    for (i, (event, outcome, comment)) in texts.iter().enumerate() {
        let day = chrono::NaiveDate::from_ymd_opt(2019, 1, 1 + i as u32).unwrap();
        let mut e = ChronologyEntry::new(FuzzyDate::day(day), event);
        e.case_id = case;
        e.agency_id = if i % 2 == 0 { agency } else { None };
        e.action_outcome = outcome.to_string();
        e.agency_comment = comment.to_string();
        ids.push(store.add_chronology_entry(&e, &[]).unwrap());
    }
    let queries = [
        "zoë",
        "ZOË",
        "zo",
        "émile",
        "ÉMILE",
        "emile",
        "café",
        "CAFÉ",
        "straße",
        "STRASSE",
        "strasse",
        "ünïcödé",
        "ÜNÏCÖDÉ",
        "i̇stanbul",
        "istanbul",
        "ǆ",
        "ǅ digraph",
        "police",
        "POLICE attended",
        "abuse dash",
        "dash: high",
        "record ab",
        "a b",
        "ab",
        "needle-at",
        "the-end",
        "filler needle",
        "\u{fffd}\u{fffd}\u{fffd}",
        "\u{fffe}\u{ffff}",
        "marks odd",
        "met",
        "et",
        "é",
        "\"quoted\"",
        "a\"b",
        "body : x",
        "OR",
        "NOT police",
        "*",
        "(",
        ")",
        "2019",
        "01/01/2019",
        "wilson",
        "xyz123",
    ];
    let check = |store: &dhr_panel::store::Store, when: &str| {
        for q in queries {
            let (count, found) = filtered_ids(store, case, q);
            let scanned = scanned_ids(&db, case, q);
            assert_eq!(found, scanned, "{when}: the filter {q:?}");
            assert_eq!(count, scanned.len() as u64, "{when}: the count for {q:?}");
        }
    };
    check(&store, "as added");
    assert!(!filtered_ids(&store, case, "needle-at-the-end").1.is_empty());

    // An edit moves words between fields and changes case; a withdrawal takes the entry
    // out; the index follows each.
    let mut row = store.chronology_entry(ids[0]).unwrap().unwrap().entry;
    row.event = "Now about Wilson".into();
    row.action_outcome = "ZOË".into();
    store.update_chronology_entry(&row, &[]).unwrap();
    let mut row = store.chronology_entry(ids[3]).unwrap().unwrap().entry;
    row.agency_id = None;
    store.update_chronology_entry(&row, &[]).unwrap();
    store.withdraw_chronology_entry(ids[1]).unwrap();
    store
        .set_entry_flag(
            ids[2],
            dhr_panel::store::chronology::EntryFlag::KeyEvent,
            true,
        )
        .unwrap();
    check(&store, "after edits");
    assert_eq!(filtered_ids(&store, case, "wilson").1, vec![ids[0]]);

    // The demo's own entries, by words taken from them.
    for word in ["attended", "ttended", "GP", "Adult", "contact", "DEMO"] {
        let (_, found) = filtered_ids(&store, case, word);
        assert_eq!(found, scanned_ids(&db, case, word), "the filter {word:?}");
    }

    // An agency renamed (as its edit form does): its entries are found by the new name.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE agencies SET name = 'Northshire Quokka Service' WHERE id = ?1",
            [agency],
        )
        .unwrap();
    check(&store, "after a rename");
    assert!(!filtered_ids(&store, case, "quokka").1.is_empty());
}

#[test]
fn a_newer_filter_wins_and_an_older_answer_is_never_shown() {
    use dhr_panel::app::panes::timeline::search::FilterFound;
    let dir = private_dir();
    let mut app = timeline_app(dir.path());
    let (tx, rx) = std::sync::mpsc::channel::<Msg>();
    let tx = std::sync::Mutex::new(tx);
    app.set_notify(std::sync::Arc::new(move |msg| {
        let _ = tx.lock().unwrap().send(msg);
    }));
    let total = count(&app);
    // "a" (a scan of every entry) then at once "ap": the first query is stopped or its
    // answer dropped; the screen waits for the second.
    typed(&mut app, "/a");
    typed(&mut app, "p");
    let pending = app.workspace.as_ref().unwrap().timeline.pending;
    assert_eq!(pending, Some(2));
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("filtering…"), "{shown}");
    let mut answers = Vec::new();
    loop {
        let msg = rx.recv().unwrap();
        let Msg::TimelineFound(found) = &msg else {
            panic!("only answers come from the worker: {msg:?}");
        };
        let last = found.generation == 2;
        answers.push(found.clone());
        if last {
            break;
        }
    }
    // The worker takes requests in order: nothing older comes after the newest.
    assert!(answers.iter().all(|a| a.generation <= 2));
    let newest = answers.pop().unwrap();
    app.update(Msg::TimelineFound(newest));
    let expected = scanned_ids(&db_in(dir.path()), case_id(&app), "ap");
    let ws = app.workspace.as_ref().unwrap();
    assert_eq!(ws.timeline.pending, None);
    assert_eq!(ws.timeline.matching, expected.len() as u64);
    let shown_ids: Vec<i64> = ws.timeline.rows.iter().map(|r| r.entry.id).collect();
    assert_eq!(shown_ids, expected[..shown_ids.len()]);
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains(&format!("showing {} of {total}", expected.len())),
        "{shown}"
    );
    // An answer to the older request arriving late changes nothing on screen.
    let stale = FilterFound {
        generation: 1,
        result: Ok(dhr_panel::app::panes::timeline::search::FoundRows {
            matching: 0,
            selected: 0,
            start: 0,
            rows: Vec::new(),
        }),
    };
    app.update(Msg::TimelineFound(Box::new(stale)));
    assert_eq!(screen(&app, 80, 24), shown);
    // Clearing the filter reads at once; a late answer is dropped then too.
    app.update(key(KeyCode::Esc));
    assert_eq!(app.workspace.as_ref().unwrap().timeline.matching, total);
}

#[test]
fn a_pasted_list_of_words_finds_what_its_distinct_words_find_and_too_many_are_refused() {
    let dir = private_dir();
    let app = timeline_app(dir.path());
    let case_id = case_id(&app);
    let store = app.store();
    // Repeated words, and words inside longer ones, ask for nothing more.
    let once = filtered_ids(store, case_id, "police");
    assert!(once.0 > 0);
    let repeated = vec!["police"; 1000].join(" ");
    assert_eq!(filtered_ids(store, case_id, &repeated), once);
    assert_eq!(filtered_ids(store, case_id, "pol police lic po"), once);
    // Too many different words: refused in words, not a database error.
    let many: Vec<String> = (0..150).map(|i| format!("w{i:03}")).collect();
    let filter = dhr_panel::domain::filter::TimelineFilter {
        text: many.join(" "),
        ..Default::default()
    };
    let refused = store
        .chronology_count_matching(case_id, &filter)
        .unwrap_err()
        .to_string();
    assert!(refused.contains("150 different words"), "{refused}");
    assert!(refused.contains("at most 100"), "{refused}");
}
