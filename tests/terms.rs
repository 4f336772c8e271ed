//! The Terms of reference pane as a chair and secretary use it: keys fed to the update
//! function, rows and audit checked in the database, the screen drawn by the real code.

mod common;

use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dhr_panel::app::{App, Msg, Options, Overlay, Pane};
use dhr_panel::domain::filter::TimelineFilter;
use dhr_panel::domain::model::{TermKind, TermOfReference, TermStatus};
use dhr_panel::store::{OpenMode, Store};

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(ch(c));
    }
}

fn press(app: &mut App, code: KeyCode, times: usize) {
    for _ in 0..times {
        app.update(key(code));
    }
}

/// Empties the focused one-line field.
fn clear_field(app: &mut App) {
    press(app, KeyCode::Backspace, 80);
}

fn terms_app(dir: &std::path::Path, options: Options) -> App {
    let mut app = demo_app(dir, options);
    app.update(ch('2'));
    assert_eq!(app.workspace.as_ref().unwrap().pane, Pane::Terms);
    app
}

fn case_id(app: &App) -> i64 {
    app.workspace.as_ref().unwrap().case.id
}

/// The items as stored, in order.
fn stored_terms(app: &App) -> Vec<TermOfReference> {
    let case_id = case_id(app);
    app.store().terms(case_id).unwrap()
}

fn audit_rows(dir: &std::path::Path) -> i64 {
    let conn = rusqlite::Connection::open(db_in(dir)).unwrap();
    conn.query_row("SELECT count(*) FROM audit", [], |r| r.get(0))
        .unwrap()
}

/// The live chair's marks (id, term, agency) as stored.
fn marks(dir: &std::path::Path) -> Vec<(i64, i64, i64)> {
    let conn = rusqlite::Connection::open(db_in(dir)).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, term_id, agency_id FROM term_coverage WHERE deleted_at IS NULL")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The screen line that holds `needle`.
fn line_with(shown: &str, needle: &str) -> String {
    shown
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{shown}"))
        .to_string()
}

fn add_item(app: &mut App, heading: &str, kind: &str, text: &str) {
    app.update(ch('a'));
    typed(app, heading);
    app.update(key(KeyCode::Tab));
    clear_field(app);
    typed(app, kind);
    app.update(key(KeyCode::Tab));
    typed(app, text);
    app.update(ctrl('o'));
}

#[test]
fn an_added_item_is_a_draft_after_the_last_audited_and_selected() {
    let dir = private_dir();
    let mut app = terms_app(dir.path(), Options::default());
    let before = stored_terms(&app).len();
    add_item(
        &mut app,
        "Financial abuse",
        "kloe",
        "Was the control of money recognised?",
    );
    assert!(app.overlays.is_empty(), "the form closed");
    let terms = stored_terms(&app);
    assert_eq!(terms.len(), before + 1);
    let added = terms.last().unwrap();
    assert_eq!(added.heading, "Financial abuse");
    assert_eq!(added.text, "Was the control of money recognised?");
    assert_eq!(added.kind, TermKind::Kloe);
    assert_eq!(added.status, TermStatus::Draft);
    assert_eq!(added.meeting_id, None);
    assert_eq!(added.position, before as i64 + 1);
    let audit = app.store().audit_of("terms", added.id).unwrap();
    assert_eq!(audit[0].action, "insert");
    assert!(audit[0].changes.contains("Financial abuse"));
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("Item 11 added as a draft"), "{shown}");
    assert!(
        shown.contains("11. Financial abuse (draft)"),
        "the new item is selected:\n{shown}"
    );
}

#[test]
fn an_item_without_a_heading_or_with_an_unknown_kind_is_not_saved() {
    let dir = private_dir();
    let mut app = terms_app(dir.path(), Options::default());
    let before = stored_terms(&app).len();
    let audit_before = audit_rows(dir.path());
    add_item(&mut app, "", "question", "Some text");
    assert!(
        app.overlays.top().and_then(Overlay::form).is_some(),
        "the form stays open"
    );
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("give the item a heading"), "{shown}");
    assert!(shown.contains("write general or KLOE"), "{shown}");
    assert!(shown.contains("Not saved: correct the marked fields."));
    assert_eq!(stored_terms(&app).len(), before);
    assert_eq!(audit_rows(dir.path()), audit_before, "nothing written");
}

#[test]
fn editing_an_item_changes_only_what_was_typed_and_is_audited() {
    let dir = private_dir();
    let mut app = terms_app(dir.path(), Options::default());
    press(&mut app, KeyCode::Down, 2);
    let third = stored_terms(&app)[2].clone();
    app.update(ch('e'));
    clear_field(&mut app);
    typed(&mut app, "Equality, diversity and inclusion");
    app.update(ctrl('o'));
    assert!(app.overlays.is_empty());
    let after = stored_terms(&app)[2].clone();
    assert_eq!(after.id, third.id);
    assert_eq!(after.heading, "Equality, diversity and inclusion");
    assert_eq!(after.text, third.text, "the untouched text is kept");
    assert_eq!(after.kind, third.kind);
    let audit = app.store().audit_of("terms", third.id).unwrap();
    let last = audit.last().unwrap();
    assert_eq!(last.action, "update");
    assert!(
        last.changes.contains("Equality and diversity")
            && last.changes.contains("Equality, diversity and inclusion"),
        "old and new heading: {}",
        last.changes
    );
    assert!(!last.changes.contains("body"), "the text did not change");
    assert!(screen(&app, 80, 24).contains("3. Equality, diversity and inclusion"));
}

#[test]
fn moving_an_item_renumbers_it_and_its_links_follow_the_item() {
    let dir = private_dir();
    let mut app = terms_app(dir.path(), Options::default());
    let terms = stored_terms(&app);
    let (fourth, fifth) = (terms[3].clone(), terms[4].clone());
    assert_eq!(fifth.heading, "Non-fatal strangulation");
    // A chronology entry linked to item 5.
    let filter = TimelineFilter {
        term_id: Some(fifth.id),
        ..TimelineFilter::default()
    };
    let linked = app
        .store()
        .chronology_window(case_id(&app), &filter, 0, 10)
        .unwrap();
    let entry_id = linked.first().expect("item 5 has linked entries").entry.id;
    let links_before = app.store().entry_term_ids(entry_id).unwrap();
    assert!(links_before.contains(&fifth.id));

    press(&mut app, KeyCode::Down, 4);
    app.update(ch('<'));

    let terms = stored_terms(&app);
    assert_eq!(terms[3].id, fifth.id, "item 5 is now fourth");
    assert_eq!(terms[3].position, 4);
    assert_eq!(terms[4].id, fourth.id, "item 4 is now fifth");
    assert_eq!(terms[4].position, 5);
    let positions: Vec<i64> = terms.iter().map(|t| t.position).collect();
    assert_eq!(positions, (1..=terms.len() as i64).collect::<Vec<_>>());
    assert_eq!(
        app.store().entry_term_ids(entry_id).unwrap(),
        links_before,
        "the links still name the same items"
    );
    let moved = app.store().audit_of("terms", fifth.id).unwrap();
    assert_eq!(moved.last().unwrap().action, "update");
    let changes = &moved.last().unwrap().changes;
    assert!(changes.contains("position"), "{changes}");
    assert!(
        !changes.contains("heading") && !changes.contains("status"),
        "only the position changes: {changes}"
    );
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("Item 5 is now item 4"), "{shown}");
    assert!(
        line_with(&shown, "Non-fatal strangulation").contains("> 4 "),
        "shown as number 4, still selected:\n{shown}"
    );
    assert!(line_with(&shown, "Good practice and organisational").contains(" 5 "));
    assert!(shown.contains("4. Non-fatal strangulation"));

    // Down again: back where it was.
    app.update(ch('>'));
    assert_eq!(stored_terms(&app)[4].id, fifth.id);
}

#[test]
fn the_first_item_does_not_move_up_and_nothing_is_written() {
    let dir = private_dir();
    let mut app = terms_app(dir.path(), Options::default());
    let before = audit_rows(dir.path());
    app.update(ch('<'));
    assert_eq!(audit_rows(dir.path()), before);
    assert!(screen(&app, 80, 24).contains("Item 1 is already first."));
}

#[test]
fn status_is_set_with_the_meeting_it_happened_at_and_back_to_draft() {
    let dir = private_dir();
    let mut app = terms_app(dir.path(), Options::default());
    press(&mut app, KeyCode::End, 1);
    let item = stored_terms(&app)[9].clone();
    assert_eq!(item.status, TermStatus::Draft);
    app.update(ch('s'));
    assert!(matches!(app.overlays.top(), Some(Overlay::Chooser(_))));
    app.update(ch('2')); // agreed
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("Item 10 agreed at which meeting?"),
        "{shown}"
    );
    assert!(
        line_with(&shown, "Meeting 3").contains('>'),
        "the meeting in progress is offered first:\n{shown}"
    );
    app.update(key(KeyCode::Enter));
    let meeting3 = app
        .workspace
        .as_ref()
        .unwrap()
        .minutes
        .meetings
        .iter()
        .find(|m| m.meeting.number == 3)
        .unwrap()
        .meeting
        .id;
    let after = stored_terms(&app)[9].clone();
    assert_eq!(after.status, TermStatus::Agreed);
    assert_eq!(after.meeting_id, Some(meeting3));
    let audit = app.store().audit_of("terms", item.id).unwrap();
    assert!(audit.last().unwrap().changes.contains("agreed"));
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("Item 10 is now agreed at meeting 3."),
        "{shown}"
    );
    assert!(line_with(&shown, "Economic abuse").contains("agreed M3"));
    assert!(shown.contains("10. Economic abuse (agreed at meeting 3)"));

    // Amended at meeting 2, chosen with the arrows.
    app.update(ch('s'));
    app.update(ch('3'));
    app.update(key(KeyCode::Up));
    app.update(key(KeyCode::Enter));
    let meeting2 = app
        .workspace
        .as_ref()
        .unwrap()
        .minutes
        .meetings
        .iter()
        .find(|m| m.meeting.number == 2)
        .unwrap()
        .meeting
        .id;
    let after = stored_terms(&app)[9].clone();
    assert_eq!(after.status, TermStatus::Amended);
    assert_eq!(after.meeting_id, Some(meeting2));

    // Back to draft: the meeting goes too.
    app.update(ch('s'));
    app.update(ch('1'));
    let after = stored_terms(&app)[9].clone();
    assert_eq!(after.status, TermStatus::Draft);
    assert_eq!(after.meeting_id, None);
}

#[test]
fn the_chairs_mark_toggles_on_and_off_in_the_matrix_with_audit() {
    let dir = private_dir();
    let mut app = terms_app(dir.path(), Options::default());
    assert!(marks(dir.path()).is_empty());
    let term = stored_terms(&app)[0].clone();
    let ws = app.workspace.as_ref().unwrap();
    let prob_index = ws
        .agencies
        .all
        .iter()
        .position(|a| a.agency.code == "PROB")
        .unwrap();
    let prob = ws.agencies.all[prob_index].agency.id;
    app.update(ch('v'));
    press(&mut app, KeyCode::Right, prob_index);
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("Probation Service (PROB): no linked records"),
        "the chosen cell is described:\n{shown}"
    );
    // The chosen cell is in reverse video; its neighbours are not.
    let buffer = render(&app, 80, 24);
    let header = line_with(&shown, " PRO ");
    let x = header[..header.find(" PRO ").unwrap() + 1].chars().count() as u16;
    let y = shown
        .lines()
        .position(|l| l.contains("Knowledge of domestic"))
        .unwrap() as u16;
    let reversed = |x: u16, y: u16| {
        buffer[(x, y)]
            .modifier
            .contains(ratatui::style::Modifier::REVERSED)
    };
    assert!(reversed(x, y), "the selected cell");
    assert!(
        !reversed(x - 4, y) && !reversed(x + 4, y),
        "not its neighbours"
    );
    assert!(!reversed(x, y + 1), "not the next item");
    app.update(ch(' '));
    let now = marks(dir.path());
    assert_eq!(now.len(), 1);
    let (mark_id, term_id, agency_id) = now[0];
    assert_eq!((term_id, agency_id), (term.id, prob));
    assert_eq!(
        app.store().audit_of("term_coverage", mark_id).unwrap()[0].action,
        "insert"
    );
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("Marked: PROB's return addresses item 1."));
    let cells = line_with(&shown, "Knowledge of domestic");
    assert!(cells.contains('✓'), "the cell shows the mark:\n{shown}");

    app.update(ch('m'));
    assert!(marks(dir.path()).is_empty(), "withdrawn");
    let audit = app.store().audit_of("term_coverage", mark_id).unwrap();
    assert_eq!(audit.last().unwrap().action, "withdraw");
    let shown = screen(&app, 80, 24);
    assert!(!line_with(&shown, "Knowledge of domestic").contains('✓'));
}

#[test]
fn the_chairs_mark_can_be_set_from_the_list_by_choosing_the_agency() {
    let dir = private_dir();
    let mut app = terms_app(dir.path(), Options::default());
    let term = stored_terms(&app)[0].clone();
    app.update(ch('m'));
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("whose return addresses it?"), "{shown}");
    assert!(line_with(&shown, "POLICE").contains("[ ]"));
    app.update(ch('1'));
    let now = marks(dir.path());
    assert_eq!(now.len(), 1);
    assert_eq!(now[0].1, term.id);
    app.update(ch('m'));
    assert!(line_with(&screen(&app, 80, 24), "POLICE").contains("[x]"));
}

#[test]
fn an_item_nothing_covers_stands_out_with_a_marker_in_every_theme() {
    let dir = private_dir();
    let mut app = terms_app(dir.path(), Options::default());
    let shown = screen(&app, 80, 24);
    assert!(!shown.contains("not covered"), "every demo item is covered");
    add_item(&mut app, "Housing and homelessness", "kloe", "");
    let shown = screen(&app, 80, 24);
    let row = line_with(&shown, "Housing and homelessness");
    assert!(row.contains("! nothing"), "{shown}");
    assert!(shown.contains("! 1 not covered"), "{shown}");
    assert!(shown.contains("Nothing covers this item yet"), "{shown}");
    let buffer = render(&app, 80, 24);
    let y = shown
        .lines()
        .position(|l| l.contains("Housing and homelessness"))
        .unwrap() as u16;
    let x = row.find("! nothing").unwrap() as u16;
    let x = row[..x as usize].chars().count() as u16;
    assert_eq!(buffer[(x, y)].symbol(), "!");
    assert_eq!(buffer[(x, y)].fg, ratatui::style::Color::LightRed);

    // The same database seen in monochrome ASCII, in the matrix: still marked.
    drop(app);
    let store = Store::open(&db_in(dir.path()), OpenMode::Existing, clock()).unwrap();
    let mut plain = App::new(
        store,
        Options {
            monochrome: true,
            ascii: true,
            ..Options::default()
        },
        Some("DEMO-1"),
    )
    .unwrap();
    plain.update(ch('2'));
    plain.update(key(KeyCode::End));
    assert!(line_with(&screen(&plain, 80, 24), "Housing and homelessness").contains("! nothing"));
    plain.update(ch('v'));
    let shown = screen(&plain, 80, 24);
    assert!(
        line_with(&shown, "> !11 Housing and home").contains('>'),
        "{shown}"
    );
    assert!(shown.contains("! nothing covers this item"));
    let odd: Vec<char> = shown.chars().filter(|c| !c.is_ascii()).collect();
    assert!(odd.is_empty(), "--ascii draws only ASCII: {odd:?}\n{shown}");
}

#[test]
fn the_review_period_is_edited_audited_and_checked() {
    let dir = private_dir();
    let mut app = terms_app(dir.path(), Options::default());
    let case = case_id(&app);
    app.update(ch('p'));
    clear_field(&mut app);
    typed(&mut app, "01/06/2015");
    app.update(key(KeyCode::Tab));
    clear_field(&mut app);
    typed(&mut app, "Feb 2015");
    app.update(ctrl('o'));
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("not a single day"), "{shown}");
    clear_field(&mut app);
    typed(&mut app, "01/02/2015");
    app.update(ctrl('o'));
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("before it starts"), "{shown}");
    assert!(app.overlays.top().and_then(Overlay::form).is_some());
    clear_field(&mut app);
    typed(&mut app, "07/04/2020");
    app.update(ctrl('o'));
    assert!(app.overlays.is_empty());
    let stored = app.store().case(case).unwrap().unwrap();
    assert_eq!(
        stored.period_from,
        chrono::NaiveDate::from_ymd_opt(2015, 6, 1)
    );
    assert_eq!(
        stored.period_to,
        chrono::NaiveDate::from_ymd_opt(2020, 4, 7)
    );
    let audit = app.store().audit_of("cases", case).unwrap();
    let last = audit.last().unwrap();
    assert!(
        last.changes.contains("2016-01-01") && last.changes.contains("2015-06-01"),
        "{}",
        last.changes
    );
    assert!(
        !last.changes.contains("period_to"),
        "the end did not change"
    );
    assert!(screen(&app, 80, 24).contains("review period 01 Jun 2015 to 07 Apr 2020"));
}

#[test]
fn a_reading_seat_can_look_at_coverage_but_writes_nothing() {
    let dir = private_dir();
    drop(demo_store(dir.path()));
    let before = audit_rows(dir.path());
    let store = Store::open(&db_in(dir.path()), OpenMode::ReadOnly, clock()).unwrap();
    let mut app = App::new(
        store,
        Options {
            read_only: true,
            ..Options::default()
        },
        Some("DEMO-1"),
    )
    .unwrap();
    app.update(ch('2'));
    let terms = stored_terms(&app);
    for c in ['a', 'e', '<', '>', 's', 'p', 'm'] {
        app.update(ch(c));
        assert!(app.overlays.is_empty(), "{c} opened nothing");
        let shown = screen(&app, 80, 24);
        assert!(
            shown.contains("This is a reading seat"),
            "{c} says why:\n{shown}"
        );
    }
    app.update(ch('v'));
    press(&mut app, KeyCode::Right, 2);
    assert!(
        screen(&app, 80, 24).contains("Coverage: 10"),
        "v still works"
    );
    app.update(ch(' '));
    assert!(screen(&app, 80, 24).contains("This is a reading seat"));
    assert_eq!(stored_terms(&app), terms);
    assert_eq!(audit_rows(dir.path()), before, "nothing written");
    assert!(marks(dir.path()).is_empty());
}

#[test]
fn matrix_columns_stay_within_the_agencies_and_esc_returns_to_the_list() {
    let dir = private_dir();
    let mut app = terms_app(dir.path(), Options::default());
    app.update(ch('v'));
    press(&mut app, KeyCode::Right, 30);
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("Ambulance") || shown.contains("(AMB)"),
        "the last agency, not past it:\n{shown}"
    );
    press(&mut app, KeyCode::Left, 30);
    assert!(screen(&app, 80, 24).contains("Northgate Police (POLICE)"));
    app.update(key(KeyCode::Esc));
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("Terms of reference: 10"), "{shown}");
    assert!(app.workspace.is_some(), "still in the case");
}

#[test]
fn coverage_counts_live_links_only() {
    let dir = private_dir();
    let mut app = terms_app(dir.path(), Options::default());
    let ws = app.workspace.as_ref().unwrap();
    let fifth = ws.terms.all[4].id;
    let column = |code: &str| {
        ws.agencies
            .all
            .iter()
            .position(|a| a.agency.code == code)
            .unwrap()
    };
    let (police, amb) = (column("POLICE"), column("AMB"));
    let cell = |app: &App, c: usize| app.term_coverage().unwrap().item(fifth).unwrap().agencies[c];
    assert_eq!(cell(&app, police).entries, 2);
    assert_eq!(cell(&app, amb).entries, 1);
    let filter = TimelineFilter {
        term_id: Some(fifth),
        ..TimelineFilter::default()
    };
    let rows = app
        .store()
        .chronology_window(case_id(&app), &filter, 0, 10)
        .unwrap();
    let by = |code: &str| {
        rows.iter()
            .find(|r| r.agency_code == code)
            .unwrap()
            .entry
            .id
    };
    let (amb_entry, police_entry) = (by("AMB"), by("POLICE"));
    // A withdrawn entry no longer covers the item; a withdrawn link no longer counts.
    app.store_mut()
        .withdraw_chronology_entry(amb_entry)
        .unwrap();
    app.store_mut().set_entry_terms(police_entry, &[]).unwrap();
    // Coverage is read again with the next key (here a harmless one), as after any change
    // made in another pane or by another user.
    app.update(dhr_panel::app::Msg::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Home,
        crossterm::event::KeyModifiers::NONE,
    )));
    assert_eq!(cell(&app, amb).entries, 0);
    assert!(!cell(&app, amb).covers());
    assert_eq!(cell(&app, police).entries, 1);
    let shown = screen(&app, 80, 24);
    assert!(
        line_with(&shown, "Non-fatal strangulation").contains("1 agency"),
        "{shown}"
    );
}

#[test]
fn terms_pane_list_and_matrix_at_80x24_and_160x48() {
    let dir = private_dir();
    let mut app = terms_app(dir.path(), Options::default());
    insta::assert_snapshot!("list_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("list_160x48", screen(&app, 160, 48));
    app.update(ch('v'));
    press(&mut app, KeyCode::Down, 1);
    press(&mut app, KeyCode::Right, 3);
    insta::assert_snapshot!("matrix_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("matrix_160x48", screen(&app, 160, 48));
}

#[test]
fn help_lists_every_key_of_the_pane_in_80x24_even_in_ascii() {
    let dir = private_dir();
    let mut app = terms_app(
        dir.path(),
        Options {
            ascii: true,
            ..Options::default()
        },
    );
    app.update(ch('?'));
    let shown = screen(&app, 80, 24);
    for line in [
        "add an item",
        "edit the selected one",
        "its links follow it",
        "draft / agreed / amended",
        "coverage matrix",
        "choose an agency's column",
        "chair's mark",
        "review period",
        "quit",
    ] {
        assert!(shown.contains(line), "{line:?} missing:\n{shown}");
    }
    let odd: Vec<char> = shown.chars().filter(|c| !c.is_ascii()).collect();
    assert!(odd.is_empty(), "--ascii draws only ASCII: {odd:?}\n{shown}");
}

#[test]
fn coverage_is_read_again_after_another_seats_commit_not_per_arrow_key() {
    let dir = private_dir();
    let mut app = terms_app(dir.path(), Options::default());
    let ws = app.workspace.as_ref().unwrap();
    let fifth = ws.terms.all[4].id;
    let police = ws
        .agencies
        .all
        .iter()
        .position(|a| a.agency.code == "POLICE")
        .unwrap();
    let cell = |app: &App| app.term_coverage().unwrap().item(fifth).unwrap().agencies[police];
    assert_eq!(cell(&app).entries, 2);
    let filter = TimelineFilter {
        term_id: Some(fifth),
        ..TimelineFilter::default()
    };
    let rows = app
        .store()
        .chronology_window(case_id(&app), &filter, 0, 10)
        .unwrap();
    let entry = rows.iter().find(|r| r.agency_code == "POLICE").unwrap();
    // Another seat unlinks one of POLICE's entries from item 5.
    let mut other = Store::open(&db_in(dir.path()), OpenMode::Existing, clock()).unwrap();
    other.set_entry_terms(entry.entry.id, &[]).unwrap();
    // Keys that only move read nothing: the coverage is the one read before.
    press(&mut app, KeyCode::Down, 2);
    press(&mut app, KeyCode::Up, 2);
    assert_eq!(cell(&app).entries, 2, "not read again per arrow key");
    // The refresh notices the other seat's commit and the coverage is read again.
    app.update(Msg::DatabaseChanged);
    assert_eq!(cell(&app).entries, 1);
    // Away and back: read again when the pane comes to the front.
    app.update(ch('3'));
    assert!(
        app.term_coverage().is_none(),
        "dropped while another pane is in front"
    );
    app.update(ch('2'));
    assert_eq!(cell(&app).entries, 1);
}
