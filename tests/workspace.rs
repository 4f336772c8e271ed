//! The workspace as a person meets it: keys fed to the update function, the real drawing
//! code rendered into a test terminal, snapshots at 80x24 and 160x48 on a fixed day.

mod common;

use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dhr_panel::app::{App, Effect, Msg, Options, Pane};
use ratatui::style::{Color, Modifier};

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn press(app: &mut App, keys: &str) {
    for c in keys.chars() {
        app.update(ch(c));
    }
}

fn pane(app: &App) -> Pane {
    app.workspace.as_ref().expect("a case is open").pane
}

#[test]
fn first_run_offers_the_demo_case_and_d_adds_it() {
    let dir = private_dir();
    let mut app = App::new(empty_store(dir.path()), Options::default(), None).unwrap();
    let before = screen(&app, 80, 24);
    let path = dir.path().display().to_string();
    insta::assert_snapshot!("case_list_empty_80x24", before.replace(&path, "[folder]"));
    assert!(before.contains("or d to add the fictional demo cases DEMO-1 and DEMO-2"));
    assert!(before.contains("Press n to start a new case,"));
    // The help of the case list names both, whole, at 80 columns.
    app.update(ch('?'));
    let help = screen(&app, 80, 24);
    assert!(
        help.contains("add the fictional demo cases DEMO-1 and DEMO-2"),
        "{help}"
    );
    app.update(key(KeyCode::Esc));

    assert_eq!(app.update(ch('d')), Effect::Redraw);
    for reference in ["DEMO-1", "DEMO-2"] {
        assert!(
            app.store().case_by_reference(reference).unwrap().is_some(),
            "{reference} is in the database"
        );
    }
    let after = screen(&app, 80, 24);
    insta::assert_snapshot!("case_list_80x24", after);
    assert!(after.contains("DEMO-1"));
    assert!(after.contains("189 days"));

    app.update(key(KeyCode::Enter));
    assert_eq!(pane(&app), Pane::Agencies);
}

#[test]
fn number_keys_tab_and_shift_tab_walk_every_pane() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    let expected = [
        ('1', Pane::Timeline, "Chronology"),
        ('2', Pane::Terms, "Terms of reference"),
        ('3', Pane::Agencies, "Agencies: 11"),
        ('4', Pane::Challenges, "Challenges:"),
        ('5', Pane::Decisions, "Decisions:"),
        ('6', Pane::Actions, "Action plan"),
        ('7', Pane::Minutes, "Meetings: 4"),
        ('8', Pane::Family, "People approached: 3"),
    ];
    for (c, want, title) in expected {
        assert_eq!(app.update(ch(c)), Effect::Redraw);
        assert_eq!(pane(&app), want);
        assert!(
            screen(&app, 80, 24).contains(title),
            "pane {c} shows {title}"
        );
    }
    app.update(key(KeyCode::Tab));
    assert_eq!(pane(&app), Pane::Timeline, "Tab wraps round");
    app.update(key(KeyCode::BackTab));
    assert_eq!(pane(&app), Pane::Family);
    app.update(key(KeyCode::BackTab));
    assert_eq!(pane(&app), Pane::Minutes);
    app.update(key(KeyCode::Tab));
    assert_eq!(pane(&app), Pane::Family, "Tab reaches pane 8");
}

#[test]
fn q_and_ctrl_c_quit_and_esc_goes_back_to_the_case_list() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.update(key(KeyCode::Esc));
    assert!(app.workspace.is_none());
    assert!(screen(&app, 80, 24).contains("Cases: 2"));
    assert_eq!(app.update(ch('q')), Effect::Quit);
    assert_eq!(
        app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char('c'),
            KeyModifiers::CONTROL
        ))),
        Effect::Quit
    );
    assert_eq!(app.update(Msg::Shutdown), Effect::Quit);
}

#[test]
fn help_lists_the_keys_of_the_pane_and_esc_closes_it() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.update(ch('?'));
    let shown = screen(&app, 80, 24);
    insta::assert_snapshot!("help_agencies_80x24", shown);
    assert!(shown.contains("Keys: Agencies pane"));
    assert!(shown.contains("go to a pane"));
    assert_eq!(
        app.update(ch('3')),
        Effect::None,
        "keys under help do nothing"
    );
    app.update(key(KeyCode::Esc));
    assert!(!screen(&app, 80, 24).contains("Keys: Agencies pane"));
}

#[test]
fn a_filter_narrows_the_list_and_esc_clears_it() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    press(&mut app, "/police");
    let ws = app.workspace.as_ref().unwrap();
    assert_eq!(ws.visible_agencies().len(), 1);
    assert!(screen(&app, 80, 24).contains("filter: police"));
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Esc));
    assert_eq!(app.workspace.as_ref().unwrap().visible_agencies().len(), 11);
}

#[test]
fn the_timeline_filter_reads_the_database_and_counts() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.update(ch('1'));
    press(&mut app, "/strangulation");
    app.update(key(KeyCode::Enter));
    let ws = app.workspace.as_ref().unwrap();
    assert!(ws.timeline.matching > 0 && ws.timeline.matching < ws.timeline.total);
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains(&format!(
            "showing {} of {}",
            ws.timeline.matching, ws.timeline.total
        )),
        "{shown}"
    );
}

#[test]
fn moving_down_the_agencies_board_changes_the_detail() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    let first = screen(&app, 80, 24);
    app.update(key(KeyCode::Down));
    let second = screen(&app, 80, 24);
    assert_ne!(first, second);
    assert!(second.contains("Adult Social Care (ASC)"), "{second}");
    app.update(key(KeyCode::End));
    assert_eq!(app.workspace.as_ref().unwrap().cursor().selected, 10);
    app.update(key(KeyCode::Home));
    assert_eq!(app.workspace.as_ref().unwrap().cursor().selected, 0);
}

#[test]
fn overdue_returns_are_marked_with_a_marker_and_colour() {
    let dir = private_dir();
    let app = demo_app(dir.path(), Options::default());
    let buffer = render(&app, 80, 24);
    let shown = text(&buffer);
    let police = shown
        .lines()
        .find(|l| l.contains("Northgate Police"))
        .unwrap();
    assert!(
        police.contains("! Northgate Police") && police.contains("+56d"),
        "{police}"
    );
    let y = shown
        .lines()
        .position(|l| l.contains("Adult Social Care"))
        .unwrap() as u16;
    let x = shown.lines().nth(y as usize).unwrap().find('!').unwrap() as u16;
    assert_eq!(buffer[(x, y)].fg, Color::LightRed);
    assert!(shown.contains("OVERDUE 2"));
}

#[test]
fn every_pane_at_80x24_and_160x48() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    for (c, name) in [
        ('1', "timeline"),
        ('2', "terms"),
        ('3', "agencies"),
        ('4', "challenges"),
        ('5', "decisions"),
        ('6', "actions"),
        ('7', "minutes"),
        ('8', "family"),
    ] {
        app.update(ch(c));
        insta::assert_snapshot!(format!("{name}_80x24"), screen(&app, 80, 24));
        insta::assert_snapshot!(format!("{name}_160x48"), screen(&app, 160, 48));
    }
    // Pane 8 with the proceedings focused, and the detail of a person and a proceeding.
    app.update(ch('p'));
    insta::assert_snapshot!("family_proceedings_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("family_proceedings_160x48", screen(&app, 160, 48));
    app.update(key(KeyCode::Enter));
    insta::assert_snapshot!("family_proceeding_detail_80x24", screen(&app, 80, 24));
    app.update(key(KeyCode::Esc));
    app.update(ch('p'));
    app.update(key(KeyCode::Enter));
    insta::assert_snapshot!("family_person_detail_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("family_person_detail_160x48", screen(&app, 160, 48));
}

#[test]
fn no_color_draws_no_colour_but_still_shows_selection_and_overdue() {
    let dir = private_dir();
    let app = demo_app(
        dir.path(),
        Options {
            monochrome: true,
            ..Options::default()
        },
    );
    let buffer = render(&app, 80, 24);
    for cell in buffer.content() {
        assert_eq!(cell.fg, Color::Reset, "no foreground colour at all");
        assert_eq!(cell.bg, Color::Reset, "no background colour at all");
    }
    let shown = text(&buffer);
    insta::assert_snapshot!("agencies_no_color_80x24", shown);
    let y = shown
        .lines()
        .position(|l| l.contains("> ! Northgate Police"))
        .expect("selection marker") as u16;
    assert!(
        buffer[(10, y)].modifier.contains(Modifier::REVERSED),
        "selection in reverse video"
    );
    assert!(
        shown.contains("! Adult Social Care"),
        "overdue marker without colour"
    );
}

#[test]
fn ascii_draws_only_ascii() {
    let dir = private_dir();
    let mut app = demo_app(
        dir.path(),
        Options {
            ascii: true,
            ..Options::default()
        },
    );
    let shown = screen(&app, 80, 24);
    insta::assert_snapshot!("agencies_ascii_80x24", shown);
    assert!(shown.is_ascii(), "{shown}");
    assert!(shown.contains("+----"));
    app.update(ch('?'));
    assert!(screen(&app, 80, 24).is_ascii());
}

#[test]
fn a_terminal_too_small_shows_one_line_and_no_panic() {
    let dir = private_dir();
    let app = demo_app(dir.path(), Options::default());
    let shown = screen(&app, 40, 10);
    insta::assert_snapshot!("too_small_40x10", shown);
    assert!(shown.starts_with("Too small: 40x10, need 50x12"));
    assert!(
        screen(&app, 120, 8)
            .starts_with("Terminal too small (120x8): DHR Panel needs at least 50x12.")
    );
    for (w, h) in [(1, 1), (0, 0), (49, 30), (200, 11), (200, 60)] {
        let _ = render(&app, w, h);
    }
}

#[test]
fn hostile_text_never_reaches_the_terminal_as_control_characters() {
    use dhr_panel::domain::date::FuzzyDate;
    use dhr_panel::domain::model::{Agency, ChronologyEntry};
    use dhr_panel::store::cases::CaseDetails;
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap();
    let hostile = "Evil\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202e}txet";
    store
        .save_case_details(
            case.id,
            &CaseDetails {
                reference: case.reference.clone(),
                kind: case.kind,
                title: hostile.to_string(),
                partnership: case.partnership.clone(),
                marking: hostile.to_string(),
                handling: hostile.to_string(),
                chair: case.chair.clone(),
                overview_author: case.overview_author.clone(),
                coordinator: hostile.to_string(),
                chair_login: case.chair_login.clone(),
                overview_author_login: case.overview_author_login.clone(),
                coordinator_login: case.coordinator_login.clone(),
                date_of_death: case.date_of_death,
                notified_on: case.notified_on,
                decision_on: case.decision_on,
                home_office_notified_on: case.home_office_notified_on,
                period_from: case.period_from,
                period_to: case.period_to,
            },
        )
        .unwrap();
    store
        .seed(|w| {
            let mut agency = Agency::new(hostile, "EVIL\u{1b}[5m");
            agency.case_id = case.id;
            w.insert_agency(&agency)?;
            let mut entry = ChronologyEntry::new(FuzzyDate::undated(), hostile);
            entry.case_id = case.id;
            entry.subjects = hostile.to_string();
            w.insert_chronology_entry(&entry, &[])
        })
        .unwrap();
    let mut app = App::new(store, Options::default(), None).unwrap();
    let mut screens = vec![render(&app, 80, 24)];
    app.update(key(KeyCode::Enter));
    for c in "1234567".chars() {
        app.update(ch(c));
        app.update(key(KeyCode::End));
        screens.push(render(&app, 80, 24));
        screens.push(render(&app, 160, 48));
    }
    let mut saw_stand_in = false;
    for buffer in &screens {
        for cell in buffer.content() {
            for c in cell.symbol().chars() {
                assert!(
                    !matches!(c, '\u{1b}' | '\u{7}' | '\u{9b}' | '\u{202e}') && !c.is_control(),
                    "control character {c:?} reached the buffer"
                );
                saw_stand_in |= c == '\u{241b}';
            }
        }
    }
    assert!(saw_stand_in, "the escape is shown as a visible stand-in");
}

#[test]
fn resize_and_a_new_day_redraw_only_when_something_changed() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    assert_eq!(app.update(Msg::Resize(100, 30)), Effect::Redraw);
    assert_eq!(
        app.update(Msg::Midnight),
        Effect::None,
        "same day: nothing to draw"
    );
    assert_eq!(
        app.update(ch('x')),
        Effect::None,
        "an unbound key draws nothing"
    );
}

#[test]
fn a_reading_seat_cannot_add_the_demo_case() {
    let dir = private_dir();
    drop(empty_store(dir.path()));
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
        None,
    )
    .unwrap();
    app.update(ch('d'));
    assert!(
        app.store().case_by_reference("DEMO-1").unwrap().is_none(),
        "nothing written"
    );
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("reading seat"), "{shown}");
}

#[test]
fn opening_on_a_case_that_does_not_exist_says_how_to_find_one() {
    let dir = private_dir();
    let err = App::new(
        demo_store(dir.path()),
        Options::default(),
        Some("DHR-1999-01"),
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("no case DHR-1999-01"), "{err}");
    assert!(err.is_bad_input());
}

// ---------------------------------------------------------------------------------------
// The keymap: key bindings are data, and the tables, the dispatch and help agree.

/// A key press that matches a pattern of a table row (for a range, its first key).
fn sample(pattern: dhr_panel::app::keys::Key) -> Vec<KeyEvent> {
    use dhr_panel::app::keys::Key;
    match pattern {
        Key::Char(c) => vec![KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)],
        Key::Ctrl(c) => vec![KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)],
        Key::Code(code) | Key::Plain(code) => vec![KeyEvent::new(code, KeyModifiers::NONE)],
        Key::Range(lo, hi) => vec![
            KeyEvent::new(KeyCode::Char(lo), KeyModifiers::NONE),
            KeyEvent::new(KeyCode::Char(hi), KeyModifiers::NONE),
        ],
        // Any printable character: each of them is tried.
        Key::Text => (' '..='~')
            .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
            .collect(),
        Key::Any => every_key(),
    }
}

/// The row of a table a key press reaches: the first whose patterns match it.
fn row_reached(rows: &[dhr_panel::app::keys::TableRow], key: &KeyEvent) -> Option<usize> {
    rows.iter()
        .position(|r| r.keys.iter().any(|k| k.matches(key)))
}

/// Every key a person can press on a PC keyboard through a terminal, near enough.
fn every_key() -> Vec<KeyEvent> {
    let mut keys = Vec::new();
    for c in ' '..='~' {
        keys.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    for c in 'a'..='z' {
        keys.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
        keys.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::ALT));
    }
    for code in [
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::Insert,
    ] {
        keys.push(KeyEvent::new(code, KeyModifiers::NONE));
    }
    for n in 1..=12 {
        keys.push(KeyEvent::new(KeyCode::F(n), KeyModifiers::NONE));
    }
    keys
}

#[test]
fn every_row_of_every_key_table_reaches_its_action() {
    use dhr_panel::app::keys::{Key, all_tables};
    let mut listing = String::new();
    for (name, rows) in all_tables() {
        listing.push_str(&format!("[{name}]\n"));
        for (i, row) in rows.iter().enumerate() {
            listing.push_str(&format!(
                "{:<28} {:<22} {:<16} {}{}\n",
                format!("{:?}", row.keys),
                row.action,
                row.binding.keys,
                row.binding.what,
                row.binding
                    .footer
                    .map(|(k, w)| format!("  [footer: {k} {w}]"))
                    .unwrap_or_default()
            ));
            for pattern in &row.keys {
                let reached = sample(*pattern)
                    .iter()
                    .any(|key| row_reached(&rows, key) == Some(i));
                assert!(
                    reached,
                    "{name}: no key of {pattern:?} reaches the row for {} (an earlier row takes it)",
                    row.action
                );
                if matches!(pattern, Key::Any) {
                    assert_eq!(
                        i,
                        rows.len() - 1,
                        "{name}: a row for any key must come last"
                    );
                }
            }
            assert!(
                !row.binding.keys.is_empty(),
                "{name}: the row for {} has no label",
                row.action
            );
        }
    }
    // Removing, adding or changing a row changes this listing: the snapshot keeps the
    // tables, the footer and help in view of a reviewer.
    insta::assert_snapshot!("key_tables", listing);
}

#[test]
fn no_key_missing_from_the_tables_does_anything() {
    use dhr_panel::app::Place;
    let mut places_checked = Vec::new();
    // (how to get there from the Agencies pane of the demo case, the place)
    let journeys: Vec<(&str, Vec<Msg>)> = vec![
        ("case list", vec![key(KeyCode::Esc)]),
        ("help", vec![ch('?')]),
        ("filter line", vec![ch('/')]),
        ("chooser", vec![ch('s')]),
        ("form", vec![ch('e')]),
        ("Timeline pane", vec![ch('1')]),
        ("ToR pane", vec![ch('2')]),
        ("Agencies pane", vec![]),
        ("Challenges pane", vec![ch('4')]),
        ("Decisions pane", vec![ch('5')]),
        ("Actions pane", vec![ch('6')]),
        ("Minutes pane", vec![ch('7')]),
        ("Family pane", vec![ch('8')]),
        ("Family pane: proceedings", vec![ch('8'), ch('p')]),
        ("case view", vec![ch('0')]),
        ("entry detail", vec![ch('1'), key(KeyCode::Enter)]),
        ("question", vec![ch('1'), ch('x')]),
        ("silent periods", vec![ch('1'), ch('g')]),
        ("report", vec![ch('5'), key(KeyCode::Enter)]),
        ("minutes input", vec![ch('7'), key(KeyCode::Enter)]),
        (
            "minuting view",
            vec![ch('7'), key(KeyCode::Enter), key(KeyCode::Esc)],
        ),
        (
            "publication review list",
            vec![ch('0'), ch('m'), ch('3'), ctrl('o')],
        ),
    ];
    for (name, journey) in journeys {
        let dir = private_dir();
        let mut app = demo_app(dir.path(), Options::default());
        for msg in journey {
            app.update(msg);
        }
        let place = unlisted_keys_do_nothing(name, &mut app);
        places_checked.push(format!("{name} ({place:?})"));
    }
    // The question of a stale edit, over the decision's form.
    let dir = private_dir();
    let mut app = stale_edit_question(dir.path());
    let place = unlisted_keys_do_nothing("stale edit", &mut app);
    places_checked.push(format!("stale edit ({place:?})"));
    // Every place the keyboard can be was reached (a journey that ends elsewhere shows here).
    let reached: std::collections::BTreeSet<String> = places_checked
        .iter()
        .map(|p| p.split('(').nth(1).unwrap_or("").to_string())
        .collect();
    for place in [
        Place::CaseList,
        Place::Help,
        Place::Filter,
        Place::Choose,
        Place::Form,
        Place::CaseView,
        Place::Detail,
        Place::Confirm,
        Place::Silences,
        Place::Report,
        Place::MinutesInput,
        Place::Minuting,
        Place::Conflict,
        Place::Review,
    ] {
        assert!(
            reached.iter().any(|r| r.starts_with(&format!("{place:?}"))),
            "{place:?} was not reached: {places_checked:?}"
        );
    }
}

/// Presses every key no table of the place lists: none may do anything. Returns the place.
fn unlisted_keys_do_nothing(name: &str, app: &mut App) -> dhr_panel::app::Place {
    use dhr_panel::app::keys::tables_at;
    app.status = None;
    let place = app.place();
    let tables = tables_at(place);
    for key_press in every_key() {
        let listed = tables.iter().any(|rows| {
            rows.iter()
                .any(|r| r.keys.iter().any(|k| k.matches(&key_press)))
        });
        if listed {
            continue;
        }
        let before = screen(app, 80, 24);
        let effect = app.update(Msg::Key(key_press));
        assert_eq!(
            effect,
            Effect::None,
            "{name}: {key_press:?} is in no table here but did something"
        );
        assert_eq!(place, app.place(), "{name}: {key_press:?} moved the focus");
        assert_eq!(
            before,
            screen(app, 80, 24),
            "{name}: {key_press:?} is in no table here but changed the screen"
        );
    }
    place
}

/// The demo case with the decision's form open and typed into, and over it the question
/// a stale save asks (another seat, "chair", changed the rationale meanwhile).
fn stale_edit_question(dir: &std::path::Path) -> App {
    use dhr_panel::app::Overlay;
    use dhr_panel::app::overlay::Conflict;
    use dhr_panel::store::stale::{Record, StaleEdit};
    let mut app = demo_app(dir, Options::default());
    press(&mut app, "5e");
    press(&mut app, " (A)");
    let Some(Overlay::Form(o)) = app.overlays.top() else {
        panic!("the decision's form is open");
    };
    let stale = StaleEdit {
        record: Record::Decision(1),
        base: 335,
        latest: 612,
        login: "chair".into(),
        at: "2026-11-26T10:00:00Z".into(),
        theirs: vec![(
            "rationale".into(),
            "The trial has concluded; agencies may interview staff from 1 May.".into(),
        )],
        withdrawn: false,
    };
    let question = Conflict::new(stale, &o.form, "26 Nov 2026 10:00:00".into());
    app.overlays.push(Overlay::Conflict(question));
    app
}

#[test]
fn the_question_of_a_stale_edit_at_80x24() {
    let dir = private_dir();
    let app = stale_edit_question(dir.path());
    insta::assert_snapshot!("stale_edit_80x24", screen(&app, 80, 24));
}

/// The Rust files under a folder of the crate's sources.
fn sources(folder: &str) -> Vec<(std::path::PathBuf, String)> {
    let mut out = Vec::new();
    let mut todo = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(folder)];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    out
}

#[test]
fn drawing_never_reaches_the_store_and_only_the_store_knows_sql() {
    for (path, text) in sources("src/ui") {
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            assert!(
                !code.contains("crate::store")
                    && !code.contains(".store(")
                    && !code.contains(".store_mut(")
                    && !code.contains(".store."),
                "{}:{}: drawing reaches the store: {line}",
                path.display(),
                n + 1
            );
        }
    }
    for folder in [
        "src/app",
        "src/ui",
        "src/tui",
        "src/domain",
        "src/export",
        "src/import",
        "src/demo",
    ] {
        for (path, text) in sources(folder) {
            assert!(
                !text.contains("rusqlite"),
                "{} uses rusqlite: SQL belongs in src/store",
                path.display()
            );
        }
    }
}

#[test]
fn the_footer_is_never_cut_off_at_80_columns_in_ascii_or_unicode() {
    for ascii in [false, true] {
        let dir = private_dir();
        let options = Options {
            ascii,
            monochrome: true,
            ..Options::default()
        };
        let mut app = demo_app(dir.path(), options);
        for c in "1234567".chars() {
            app.update(ch(c));
            app.status = None;
            let shown = screen(&app, 80, 24);
            let footer = shown.lines().last().unwrap_or("").trim_end().to_string();
            assert!(
                footer.ends_with("q quit"),
                "pane {c}, ascii {ascii}: the footer ends mid-word: {footer:?}"
            );
        }
    }
}

#[test]
fn a_form_saved_while_another_program_holds_the_database_stays_open_with_its_text_and_says_what_holds_it()
 {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    let before: i64 = app
        .store()
        .chronology_count(app.workspace.as_ref().unwrap().case.id)
        .unwrap() as i64;
    app.update(key(KeyCode::Char('1')));
    app.update(key(KeyCode::Char('a')));
    for c in "c. 2018".chars() {
        app.update(key(KeyCode::Char(c)));
    }
    for _ in 0..4 {
        app.update(key(KeyCode::Tab));
    }
    for c in "A neighbour heard shouting".chars() {
        app.update(key(KeyCode::Char(c)));
    }
    let holder = rusqlite::Connection::open(db_in(dir.path())).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('o'),
        KeyModifiers::CONTROL,
    )));
    let shown = screen(&app, 160, 48);
    assert!(
        shown.contains("A neighbour heard shouting"),
        "the text stays: {shown}"
    );
    let message = app
        .overlays
        .top()
        .and_then(|o| o.form())
        .and_then(|f| f.message.clone())
        .unwrap_or_default();
    assert!(message.contains("is busy"), "{message}");
    assert!(message.contains("nothing was saved"), "{message}");
    holder.execute_batch("ROLLBACK").unwrap();
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('o'),
        KeyModifiers::CONTROL,
    )));
    let after = app
        .store()
        .chronology_count(app.workspace.as_ref().unwrap().case.id)
        .unwrap() as i64;
    assert_eq!(after, before + 1, "saved once, when the database was free");
}

// ---- Issue 15: the minutes view follows the typing; corrections, questions, help, log ----

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// The demo case with meeting 3 (in progress) open and the input having the keyboard.
fn typing(dir: &std::path::Path) -> App {
    let mut app = demo_app(dir, Options::default());
    app.update(ch('7'));
    app.update(key(KeyCode::Enter));
    assert_eq!(app.place(), dhr_panel::app::Place::MinutesInput);
    app
}

fn session(app: &App) -> &dhr_panel::app::panes::minutes::Minuting {
    app.workspace
        .as_ref()
        .and_then(|ws| ws.minutes.session.as_ref())
        .expect("a meeting is open")
}

fn input(app: &App) -> String {
    session(app).input_text()
}

#[test]
fn arrows_home_and_end_in_the_input_redraw_the_cursor_where_the_text_goes() {
    let dir = private_dir();
    let mut app = typing(dir.path());
    press(&mut app, "abc");
    assert_eq!(app.update(key(KeyCode::Left)), Effect::Redraw);
    assert_eq!(session(&app).input.cursor(), (0, 2));
    assert_eq!(app.update(key(KeyCode::Home)), Effect::Redraw);
    assert_eq!(session(&app).input.cursor(), (0, 0));
    // Home again moves nothing: nothing to draw.
    assert_eq!(app.update(key(KeyCode::Home)), Effect::None);
    assert_eq!(app.update(key(KeyCode::End)), Effect::Redraw);
    assert_eq!(app.update(key(KeyCode::Right)), Effect::None);
    press(&mut app, "d");
    assert_eq!(input(&app), "abcd");
}

#[test]
fn a_refused_line_stays_a_typed_character_replaces_it_arrows_edit_it_and_esc_clears_it() {
    let dir = private_dir();
    let mut app = typing(dir.path());
    press(&mut app, "/desicion x");
    app.update(key(KeyCode::Enter));
    assert_eq!(input(&app), "/desicion x", "a refused line stays");
    assert!(screen(&app, 80, 24).contains("Refused: type to replace it"));
    // A typed character replaces it: nothing is glued to a refused line.
    press(&mut app, "/");
    assert_eq!(input(&app), "/");
    // Refused again; the arrows and Backspace edit it instead.
    press(&mut app, "next/next");
    app.update(key(KeyCode::Enter));
    assert_eq!(input(&app), "/next/next");
    app.update(key(KeyCode::Left));
    app.update(key(KeyCode::Backspace));
    assert_eq!(input(&app), "/next/net");
    // Esc clears a refused line; Esc again leaves the input.
    app.update(key(KeyCode::End));
    press(&mut app, "!");
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Esc));
    assert_eq!(input(&app), "");
    assert_eq!(app.place(), dhr_panel::app::Place::MinutesInput);
    app.update(key(KeyCode::Esc));
    assert_eq!(app.place(), dhr_panel::app::Place::Minuting);
}

#[test]
fn typing_after_browsing_continues_at_the_meetings_current_item() {
    let dir = private_dir();
    let mut app = typing(dir.path());
    press(&mut app, "/item 2");
    app.update(key(KeyCode::Enter));
    assert_eq!(session(&app).current, 1);
    app.update(key(KeyCode::Esc));
    for _ in 0..5 {
        app.update(key(KeyCode::Right));
    }
    assert_eq!(session(&app).item, 6, "browsing shows item 7");
    app.update(ch('i'));
    assert_eq!(session(&app).item, 1, "typing goes on at item 2");
    press(&mut app, "Lines go under item two.");
    app.update(key(KeyCode::Enter));
    let m = session(&app);
    let last = m.minutes.last().expect("a line");
    assert_eq!(last.text, "Lines go under item two.");
    assert_eq!(last.agenda_item_id, m.agenda[1].id);
}

#[test]
fn pgup_scrolls_the_minutes_while_the_input_keeps_the_keyboard() {
    let dir = private_dir();
    let mut app = typing(dir.path());
    for n in 1..=30 {
        press(&mut app, &format!("Line number {n} of a long discussion."));
        app.update(key(KeyCode::Enter));
    }
    let newest = screen(&app, 80, 24);
    assert!(newest.contains("Line number 30 of a long discussion."));
    assert_eq!(app.update(key(KeyCode::PageUp)), Effect::Redraw);
    assert_eq!(app.place(), dhr_panel::app::Place::MinutesInput);
    let back = screen(&app, 80, 24);
    assert!(!back.contains("Line number 30 of"), "{back}");
    assert!(back.contains("scrolled back"), "{back}");
    // ↑ still edits the input, and typing follows the newest line again.
    press(&mut app, "x");
    assert_eq!(input(&app), "x");
    assert!(screen(&app, 80, 24).contains("Line number 30 of a long discussion."));
}

/// The frame drawn with the minutes' kept cells against the frame drawn afresh without
/// them (text and styles): `None` when they are the same, else both screens.
fn kept_against_fresh(app: &App, width: u16, height: u16) -> Option<String> {
    let kept = render(app, width, height);
    let m = session(app);
    m.drawn.forget();
    m.drawn_input.forget();
    let fresh = render(app, width, height);
    (kept != fresh).then(|| format!("kept:\n{}\nfresh:\n{}", text(&kept), text(&fresh)))
}

#[test]
fn the_minutes_kept_between_keys_are_never_stale() {
    let dir = private_dir();
    let mut app = typing(dir.path());
    let check = |app: &App, step: &str| {
        // Always at 80x24: the cells kept at the last step are there to be (wrongly) used.
        if let Some(diff) = kept_against_fresh(app, 80, 24) {
            panic!("after {step}, the kept cells are stale:\n{diff}");
        }
    };
    check(&app, "opening");
    let mut steps: Vec<(&str, Vec<Msg>)> = vec![
        ("typing", "The chair welcomed members".chars().map(ch).collect()),
        ("Enter", vec![key(KeyCode::Enter)]),
        ("a long line", "Adult A was seen twice by the crisis team in 2019 after disclosures of low mood, and the panel asked why".chars().map(ch).collect()),
        ("Enter", vec![key(KeyCode::Enter)]),
        ("a refused line", "/desicion x".chars().map(ch).chain([key(KeyCode::Enter)]).collect()),
        ("Esc", vec![key(KeyCode::Esc)]),
        ("/next", "/next".chars().map(ch).chain([key(KeyCode::Enter)]).collect()),
        ("/item 4 (the action log)", "/item 4".chars().map(ch).chain([key(KeyCode::Enter)]).collect()),
        ("an action", "/a Gareth Pryce, due 10/12/2026: chase the housing return".chars().map(ch).chain([key(KeyCode::Enter)]).collect()),
        ("/undo", "/undo".chars().map(ch).chain([key(KeyCode::Enter)]).collect()),
        ("PgUp", vec![key(KeyCode::PageUp)]),
        ("PgDn", vec![key(KeyCode::PageDown)]),
        ("Esc (leaving the input)", vec![key(KeyCode::Esc)]),
        ("↑ (selecting a line)", vec![key(KeyCode::Up)]),
        ("↑", vec![key(KeyCode::Up)]),
        ("↓", vec![key(KeyCode::Down)]),
        ("→ (browsing the next item)", vec![key(KeyCode::Right)]),
        ("←", vec![key(KeyCode::Left)]),
        ("i (back to typing)", vec![ch('i')]),
        ("a resize", vec![Msg::Resize(100, 30)]),
        ("typing", "x".chars().map(ch).collect()),
        ("a resize back", vec![Msg::Resize(80, 24)]),
        ("Backspace", vec![key(KeyCode::Backspace)]),
    ];
    for (step, msgs) in steps.drain(..) {
        for msg in msgs {
            app.update(msg);
            check(&app, step);
        }
    }
}

#[test]
fn the_newest_line_is_whole_above_the_input_even_when_it_wraps_at_words() {
    let dir = private_dir();
    let mut app = typing(dir.path());
    let long = "The panel agreed that the chronology needs the housing association's records before the next meeting and that the chair writes to them";
    for _ in 0..8 {
        press(&mut app, long);
        app.update(key(KeyCode::Enter));
    }
    press(&mut app, "The very last words of the item.");
    app.update(key(KeyCode::Enter));
    assert!(screen(&app, 80, 24).contains("The very last words of the item."));
}

#[test]
fn f1_opens_the_help_of_the_input_while_typing_and_f2_the_message_log() {
    let dir = private_dir();
    let mut app = typing(dir.path());
    press(&mut app, "/desicion the panel agreed");
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::F(1)));
    let help = screen(&app, 80, 24);
    assert!(help.contains("Keys: the minutes input"), "{help}");
    insta::assert_snapshot!("help_minutes_input_80x24", help);
    insta::assert_snapshot!("help_minutes_input_160x48", screen(&app, 160, 48));
    // The whole grammar is there, each key clear of its words.
    let mut all = String::new();
    for _ in 0..6 {
        all.push_str(&screen(&app, 80, 24));
        app.update(key(KeyCode::PageDown));
    }
    for command in [
        "/declare NAME: TEXT",
        "/amend N: TEXT",
        "s/old/new/",
        "//text",
    ] {
        assert!(all.contains(command), "{command} missing from help");
    }
    assert!(!all.contains("TEXTa declaration"), "key column overlaps");
    app.update(key(KeyCode::F(1)));
    assert_eq!(app.place(), dhr_panel::app::Place::MinutesInput);
    assert_eq!(input(&app), "/desicion the panel agreed");
    app.update(key(KeyCode::F(2)));
    let log = screen(&app, 80, 24);
    assert!(log.contains("Messages of this session"), "{log}");
    assert!(log.contains("unknown command"), "{log}");
    insta::assert_snapshot!("message_log_80x24", log);
    insta::assert_snapshot!("message_log_160x48", screen(&app, 160, 48));
    app.update(key(KeyCode::Esc));
    assert_eq!(app.place(), dhr_panel::app::Place::MinutesInput);
    insta::assert_snapshot!("minutes_refused_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("minutes_refused_160x48", screen(&app, 160, 48));
    // Outside a text input, L opens the log too.
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Esc));
    app.update(ch('L'));
    assert!(screen(&app, 80, 24).contains("Messages of this session"));
}

#[test]
fn closing_a_meeting_and_starting_one_not_dated_today_ask_and_keep_the_planned_time() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.update(ch('7'));
    let status = |app: &App, n: i64| -> (String, String) {
        app.store()
            .meetings(app.workspace.as_ref().unwrap().case.id)
            .unwrap()
            .into_iter()
            .find(|m| m.number == n)
            .map(|m| (m.status.code().to_string(), m.start_time))
            .unwrap()
    };
    // c on meeting 3 (in progress) asks; n keeps it open.
    app.update(ch('c'));
    assert!(screen(&app, 80, 24).contains("Close meeting 3?"));
    app.update(ch('n'));
    assert_eq!(status(&app, 3).0, "in_progress");
    app.update(ch('c'));
    app.update(ch('y'));
    assert_eq!(status(&app, 3).0, "closed");
    // s on meeting 4, dated in January, asks and keeps its 10:00.
    app.update(key(KeyCode::Down));
    app.update(ch('s'));
    let asked = screen(&app, 80, 24);
    assert!(asked.contains("Start meeting 4?"), "{asked}");
    assert!(asked.contains("not today"), "{asked}");
    app.update(ch('y'));
    assert_eq!(status(&app, 4), ("in_progress".into(), "10:00".into()));
}

#[test]
fn ctrl_c_during_a_meeting_asks_and_no_keeps_the_draft() {
    let dir = private_dir();
    let mut app = typing(dir.path());
    press(&mut app, "half a thought");
    assert_eq!(app.update(ctrl('c')), Effect::Redraw);
    assert!(screen(&app, 80, 24).contains("Quit during the meeting?"));
    assert_eq!(app.update(ch('n')), Effect::Redraw);
    assert_eq!(input(&app), "half a thought");
    assert_eq!(app.place(), dhr_panel::app::Place::MinutesInput);
    app.update(ctrl('c'));
    assert_eq!(app.update(ctrl('c')), Effect::Quit, "Ctrl+C twice quits");
}

/// The id of the line of meeting 3 with this text.
fn line_id(app: &App, body: &str) -> i64 {
    session(app)
        .minutes
        .iter()
        .find(|m| m.text == body)
        .map(|m| m.id)
        .unwrap_or_else(|| panic!("no line {body:?}"))
}

/// Selects a line of the current item from the browse mode by its text.
fn select_line(app: &mut App, body: &str) {
    app.update(key(KeyCode::Esc));
    let lines: Vec<String> = session(app)
        .item_minutes()
        .iter()
        .map(|m| m.text.clone())
        .collect();
    let at = lines.iter().position(|l| l == body).expect("line shown");
    app.update(key(KeyCode::Down));
    for _ in 0..at {
        app.update(key(KeyCode::Down));
    }
    assert_eq!(session(app).selected, Some(at));
}

#[test]
fn an_earlier_line_is_withdrawn_from_the_browse_mode_with_its_record_after_a_question() {
    let dir = private_dir();
    let mut app = typing(dir.path());
    press(
        &mut app,
        "/action Sam Lee: send the GP records by 10/12/2026",
    );
    app.update(key(KeyCode::Enter));
    press(&mut app, "A later note.");
    app.update(key(KeyCode::Enter));
    let action_line = session(&app)
        .minutes
        .iter()
        .rev()
        .find(|m| m.text.contains("send the GP records"))
        .map(|m| m.text.clone())
        .unwrap();
    let id = line_id(&app, &action_line);
    select_line(&mut app, &action_line);
    app.update(ch('d'));
    let asked = screen(&app, 80, 24);
    assert!(asked.contains("Withdraw this line?"), "{asked}");
    assert!(!asked.contains("not by you"), "{asked}");
    app.update(ch('y'));
    let conn = rusqlite::Connection::open(app.store().path()).unwrap();
    let gone: Option<String> = conn
        .query_row("SELECT deleted_at FROM minutes WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(gone.is_some(), "the line is withdrawn");
    let actions: i64 = conn
        .query_row(
            "SELECT count(*) FROM actions WHERE body LIKE '%GP records%' AND deleted_at IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(actions, 0, "the action it created is withdrawn with it");
    assert!(
        session(&app)
            .minutes
            .iter()
            .any(|m| m.text == "A later note.")
    );
}

#[test]
fn another_logins_line_names_its_author_and_a_changed_record_is_said_and_checked_again() {
    use dhr_panel::store::minute_lines::{LineNames, LinePlace};
    let dir = private_dir();
    let mut app = typing(dir.path());
    // A challenge written by another login's seat.
    let (meeting_id, item_id) = {
        let m = session(&app);
        (m.meeting.id, m.agenda[m.current].id)
    };
    let agency = app.workspace.as_ref().unwrap().agencies.all[0]
        .agency
        .clone();
    let line = dhr_panel::domain::minuting::parse_minute(
        &format!("/challenge {}: why was the referral closed?", agency.code),
        today(),
    )
    .unwrap();
    // Another program on the same database, as the other seat would be.
    let mut other = dhr_panel::store::Store::open(
        &dir.path().join("dhr.sqlite3"),
        dhr_panel::store::OpenMode::Existing,
        clock(),
    )
    .unwrap();
    other
        .commit_minute_line(
            &LinePlace {
                meeting_id,
                item_id,
                minuted_at: "2026-11-26T10:30:00Z".into(),
                seat: Some("chair@elsewhere/42/2026-11-26T09:00:00Z".into()),
                key: None,
            },
            line,
            LineNames {
                agency_id: Some(agency.id),
                agency_code: agency.code.clone(),
                ..LineNames::default()
            },
        )
        .unwrap();
    app.notice_other_users();
    let body = format!("{}: why was the referral closed?", agency.code);
    let id = line_id(&app, &body);
    // The challenge is answered meanwhile.
    let facts = app.store().line_facts(id).unwrap();
    let (_, challenge) = facts.minute.record.clone().unwrap();
    other
        .record_challenge_response(challenge, "The referral was closed in error.", today())
        .unwrap();
    select_line(&mut app, &body);
    app.update(ch('d'));
    let asked = screen(&app, 80, 24);
    assert!(asked.contains("written by chair, not by you"), "{asked}");
    assert!(asked.contains("was changed since"), "{asked}");
    // Changed again between the question and the answer: refused, nothing withdrawn.
    other
        .record_challenge_response(challenge, "Closed in error; reopened.", today())
        .unwrap();
    app.update(ch('y'));
    assert!(screen(&app, 80, 24).contains("Not withdrawn"));
    assert!(
        app.store().line_facts(id).is_ok(),
        "the line is still there"
    );
    // Asked again, as it is now: withdrawn.
    app.update(ch('d'));
    app.update(ch('y'));
    assert!(app.store().line_facts(id).is_err(), "withdrawn");
}

#[test]
fn editing_a_decisions_line_from_the_browse_mode_changes_the_decision_too() {
    let dir = private_dir();
    let mut app = typing(dir.path());
    press(
        &mut app,
        "/d The panel agreed to request the ambulance chronology",
    );
    app.update(key(KeyCode::Enter));
    let body = "The panel agreed to request the ambulance chronology";
    let id = line_id(&app, body);
    select_line(&mut app, body);
    app.update(ch('e'));
    press(&mut app, " by Friday");
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('o'),
        KeyModifiers::CONTROL,
    )));
    let conn = rusqlite::Connection::open(app.store().path()).unwrap();
    let (line, decision): (String, String) = conn
        .query_row(
            "SELECT m.body, d.body FROM minutes m JOIN decisions d ON d.id = m.record_id
             WHERE m.id = ?1 AND m.record_table = 'decisions'",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(line, format!("{body} by Friday"));
    assert_eq!(decision, line, "the minutes and the decision agree");
}

#[test]
fn a_next_meeting_undone_and_planned_again_does_not_stop_the_lines_after_it() {
    let dir = private_dir();
    let mut app = typing(dir.path());
    for text in [
        "/next-meeting 14/01/2027",
        "/undo",
        "/next-meeting 15/01/2027",
        "Next ordinary minute.",
    ] {
        press(&mut app, text);
        app.update(key(KeyCode::Enter));
    }
    assert!(app.seat.waiting.is_empty(), "nothing is stuck waiting");
    let conn = rusqlite::Connection::open(app.store().path()).unwrap();
    let written: i64 = conn
        .query_row(
            "SELECT count(*) FROM minutes WHERE body = 'Next ordinary minute.' AND deleted_at IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(written, 1);
    let planned: Vec<(i64, String)> = conn
        .prepare("SELECT number, date FROM meetings WHERE deleted_at IS NULL AND date LIKE '2027-01-1%' ORDER BY number")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(planned.len(), 1, "{planned:?}");
    assert_eq!(planned[0].1, "2027-01-15");
}

#[test]
fn a_paste_over_a_refused_line_replaces_it() {
    let dir = private_dir();
    let mut app = typing(dir.path());
    press(&mut app, "/present Nobody Here");
    app.update(key(KeyCode::Enter));
    assert_eq!(
        session(&app).input_text(),
        "/present Nobody Here",
        "refused, it stays"
    );
    app.update(Msg::Paste("pasted text".into()));
    assert_eq!(session(&app).input_text(), "pasted text", "nothing glued");
}

// ---- Issue 16: the publication check's review list ----

/// The demo case with the case pack exported for publication (Markdown) from the case
/// view: refused for its undecided findings, the review list on top.
fn review_list(dir: &std::path::Path) -> App {
    let mut app = demo_app(dir, Options::default());
    press(&mut app, "0m3"); // the case view, its exports, the third: for publication
    let shown = screen(&app, 120, 30);
    assert!(
        shown.contains("Export the case pack (Markdown), for publication"),
        "{shown}"
    );
    app.update(ctrl('o'));
    app
}

fn review(app: &App) -> &dhr_panel::app::overlay::Review {
    match app.overlays.top() {
        Some(dhr_panel::app::Overlay::Review(r)) => r,
        _ => panic!("the review list is not on top:\n{}", screen(app, 120, 30)),
    }
}

/// Moves the review list's selection to the finding with this text.
fn select_finding(app: &mut App, text: &str) {
    for _ in 0..6 {
        app.update(key(KeyCode::PageUp));
    }
    for _ in 0..80 {
        let r = review(app);
        if r.rows[r.selected].finding.text == text {
            return;
        }
        app.update(key(KeyCode::Down));
    }
    panic!("no finding {text:?} in the review list");
}

fn decisions(app: &App) -> Vec<(dhr_panel::domain::publication::Scope, String)> {
    let case = app.workspace.as_ref().unwrap().case.id;
    app.store()
        .publication_decisions(case)
        .unwrap()
        .into_iter()
        .map(|d| (d.scope, d.verdict.describe()))
        .collect()
}

#[test]
fn the_review_list_decides_each_finding_then_writes_the_same_file() {
    use dhr_panel::domain::publication::{FindingKind, Scope};
    let dir = private_dir();
    let mut app = review_list(dir.path());
    let shown = screen(&app, 120, 30);
    for w in [
        "Publication check: 0 of 45 findings decided",
        "HO/16/0391",
        "STORM log 1406-0231",
        "marker [begins like Mark Ellison]",
        "undecided",
    ] {
        assert!(shown.contains(w), "{w:?} not in:\n{shown}");
    }
    let file = review(&app).rerun.path.clone();
    assert!(!file.exists(), "nothing written while findings wait");
    assert!(decisions(&app).is_empty());

    // k keeps one text; the selection moves on to the next finding without a decision.
    select_finding(&mut app, "marker");
    app.update(ch('k'));
    let kept = review(&app)
        .rows
        .iter()
        .find(|r| r.finding.text == "marker")
        .and_then(|r| r.decision.clone());
    assert_eq!(kept, Some(dhr_panel::domain::publication::Verdict::Keep));
    assert!(screen(&app, 120, 30).contains("Publication check: 1 of 45"));

    // g asks for the words, prefilled; empty is refused, nothing recorded.
    select_finding(&mut app, "HO/16/0391");
    app.update(ch('g'));
    let shown = screen(&app, 120, 30);
    assert!(
        shown.contains("Generalise \"HO/16/0391\"") && shown.contains("a case reference"),
        "{shown}"
    );
    for _ in 0.."a case reference".len() {
        app.update(key(KeyCode::Backspace));
    }
    app.update(ctrl('o'));
    assert!(
        screen(&app, 120, 30).contains("give the words to write instead"),
        "{}",
        screen(&app, 120, 30)
    );
    assert_eq!(
        decisions(&app).len(),
        1,
        "an empty generalise records nothing"
    );
    // Words holding a name the case knows are refused when decided; the form stays.
    press(&mut app, "Craig Kerrigan");
    app.update(ctrl('o'));
    let shown = screen(&app, 160, 48);
    assert!(
        shown.contains("No decision recorded") && shown.contains("name or place the case knows"),
        "{shown}"
    );
    assert_eq!(decisions(&app).len(), 1, "nothing recorded");
    for _ in 0.."Craig Kerrigan".len() {
        app.update(key(KeyCode::Backspace));
    }
    press(&mut app, "a housing case reference");
    app.update(ctrl('o'));
    let shown = screen(&app, 160, 48);
    assert!(shown.contains("→ a housing case reference"), "{shown}");

    // r removes one text; R removes every other reference.
    select_finding(&mut app, "STORM log 1406-0231");
    app.update(ch('r'));
    select_finding(&mut app, "STORM log 0201-0044");
    app.update(ch('R'));
    // G on a word like a name: the store's rule, said; nothing recorded.
    select_finding(&mut app, "marker");
    app.update(ch('G'));
    let status = app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(
        status.contains("every word like a name can only be kept at once"),
        "{status}"
    );
    assert_eq!(decisions(&app).len(), 4);
    // Enter before every row is decided says how many are left, and writes nothing.
    app.update(key(KeyCode::Enter));
    let status = app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(status.contains("still without a decision"), "{status}");
    assert!(!file.exists());
    assert_eq!(
        review(&app).rows[review(&app).selected].decision,
        None,
        "Enter moved the selection to the first row without a decision"
    );
    select_finding(&mut app, "marker");
    app.update(ch('K')); // every word like a name kept
    select_finding(&mut app, "23:10");
    app.update(ch('K')); // every exact time kept
    assert_eq!(review(&app).decided(), 45);
    let shown = screen(&app, 160, 48);
    assert!(
        shown.contains("kept") && shown.contains("removed") && !shown.contains("undecided"),
        "{shown}"
    );

    // Each decision is a row of the database with its audit row.
    let recorded = decisions(&app);
    for want in [
        (Scope::Text("marker".into()), "keep"),
        (
            Scope::Text("HO/16/0391".into()),
            "generalise as \"a housing case reference\"",
        ),
        (Scope::Text("STORM log 1406-0231".into()), "remove"),
        (Scope::Kind(FindingKind::Reference), "remove"),
        (Scope::Kind(FindingKind::LikeName), "keep"),
        (Scope::Kind(FindingKind::Time), "keep"),
    ] {
        assert!(
            recorded.iter().any(|(s, v)| *s == want.0 && v == want.1),
            "{want:?} not in {recorded:?}"
        );
    }
    assert_eq!(recorded.len(), 6);
    let case = app.workspace.as_ref().unwrap().case.id;
    for d in app.store().publication_decisions(case).unwrap() {
        assert!(
            !app.store()
                .audit_of("publication_decisions", d.id)
                .unwrap()
                .is_empty(),
            "{d:?} has no audit row"
        );
    }

    // Enter: the same export again, to the same file.
    app.update(key(KeyCode::Enter));
    let shown = screen(&app, 120, 30);
    assert!(shown.contains("Exported"), "{shown}");
    let md = std::fs::read_to_string(&file).unwrap();
    assert!(
        md.contains("a housing case reference"),
        "the generalised words"
    );
    assert!(
        md.contains("\\[removed\\]"),
        "what was removed leaves its mark"
    );
    assert!(
        !md.contains("HO/16/0391") && !md.contains("1406-0231") && !md.contains("0201-0044"),
        "the removed and generalised texts are gone"
    );
    assert!(md.contains("23:10"), "the times kept");
}

#[test]
fn esc_closes_the_review_list_keeping_its_decisions_and_writing_nothing() {
    let dir = private_dir();
    let mut app = review_list(dir.path());
    let file = review(&app).rerun.path.clone();
    select_finding(&mut app, "10:00");
    app.update(ch('r'));
    assert_eq!(decisions(&app).len(), 1);
    app.update(key(KeyCode::Esc));
    assert!(
        !matches!(app.overlays.top(), Some(dhr_panel::app::Overlay::Review(_))),
        "closed"
    );
    let status = app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(
        status.contains("Nothing was written") && status.contains("decisions recorded stay"),
        "{status}"
    );
    assert_eq!(decisions(&app).len(), 1, "the decision stays");
    assert!(!file.exists());
    // Exporting again asks only about what is left.
    press(&mut app, "0m3");
    app.update(ctrl('o'));
    let shown = screen(&app, 120, 30);
    assert!(
        shown.contains("Publication check: 0 of 44 findings decided"),
        "{shown}"
    );
}

#[test]
fn a_reading_seat_never_reaches_the_review_list() {
    let dir = private_dir();
    let mut app = demo_app(
        dir.path(),
        Options {
            read_only: true,
            ..Options::default()
        },
    );
    press(&mut app, "0m3");
    assert!(app.overlays.top().and_then(|o| o.form()).is_none());
    let status = app
        .status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default();
    assert!(
        status.contains("reading seat") && status.contains("publication"),
        "{status}"
    );
}

#[test]
fn the_review_list_at_80x24_and_160x48() {
    let dir = private_dir();
    let mut app = review_list(dir.path());
    app.update(ch('k')); // the first finding kept
    select_finding(&mut app, "HO/16/0391");
    app.update(ch('g'));
    app.update(key(KeyCode::Enter)); // the suggested words: "a case reference"
    select_finding(&mut app, "STORM log 1406-0231");
    app.update(ch('r'));
    app.status = None;
    insta::assert_snapshot!("publication_review_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("publication_review_160x48", screen(&app, 160, 48));
}

fn minutes_input(app: &App) -> String {
    app.workspace
        .as_ref()
        .and_then(|ws| ws.minutes.session.as_ref())
        .map(|m| m.input_text())
        .unwrap_or_default()
}

fn minute_count(app: &App) -> usize {
    app.workspace
        .as_ref()
        .and_then(|ws| ws.minutes.session.as_ref())
        .map_or(0, |m| m.minutes.len())
}

#[test]
fn an_idle_workspace_is_covered_and_the_first_key_only_uncovers_keeping_what_was_typed() {
    use std::time::Duration;
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.lock_after = Some(Duration::from_secs(600));
    app.open_meeting_number(3).unwrap();
    press(&mut app, "Half a line about the GP");
    let lines = minute_count(&app);
    let due = app.cover_due().expect("a cover is due while uncovered");
    assert_eq!(
        app.update(Msg::Idle(due - Duration::from_secs(1))),
        Effect::None,
        "not yet"
    );
    assert!(!app.covered);
    assert_eq!(app.update(Msg::Idle(due)), Effect::Redraw);
    assert!(app.covered);
    assert_eq!(app.cover_due(), None, "no timer while covered");
    let shown = screen(&app, 80, 24);
    insta::assert_snapshot!("covered_80x24", shown);
    assert!(shown.contains("OFFICIAL-SENSITIVE"), "{shown}");
    assert!(shown.contains("Press any key"), "{shown}");
    for detail in [
        "DEMO-1",
        "Minutes",
        "Half a line",
        "Timeline",
        "Enter saves",
        "due",
    ] {
        assert!(
            !shown.contains(detail),
            "{detail:?} shows under the cover:\n{shown}"
        );
    }
    // The draft is still saved while covered, and nothing is drawn for it.
    assert!(app.draft_pending());
    assert_eq!(app.update(Msg::SaveDrafts), Effect::None);
    assert!(!app.draft_pending());
    assert_eq!(
        meeting_draft(&db_in(dir.path()), 3).as_deref(),
        Some("Half a line about the GP")
    );
    // Another seat's commit is read, but the cover stays.
    let other = dhr_panel::store::Store::open(
        &db_in(dir.path()),
        dhr_panel::store::OpenMode::Existing,
        clock(),
    )
    .unwrap();
    other
        .register_seat(dhr_panel::store::seats::SeatKind::Workspace, None, None, "")
        .unwrap();
    assert_eq!(app.update(Msg::DatabaseChanged), Effect::None);
    assert!(app.covered);
    assert_eq!(screen(&app, 80, 24), shown);
    // A resize draws the cover at the new size.
    assert_eq!(app.update(Msg::Resize(100, 30)), Effect::Redraw);
    assert!(screen(&app, 100, 30).contains("Press any key"));
    // The first key only uncovers: Enter commits nothing.
    assert_eq!(app.update(key(KeyCode::Enter)), Effect::Redraw);
    assert!(!app.covered);
    assert_eq!(minutes_input(&app), "Half a line about the GP");
    assert_eq!(minute_count(&app), lines);
    assert!(screen(&app, 80, 24).contains("Half a line about the GP"));
    // Typing goes on where it was; the next Enter commits.
    press(&mut app, " surgery.");
    app.update(key(KeyCode::Enter));
    assert_eq!(minute_count(&app), lines + 1);
    assert_eq!(minutes_input(&app), "");

    // Covered again: q does not quit, and a paste only uncovers (it would land in a place
    // the cover hid), saying so.
    let due = app.cover_due().unwrap();
    app.update(Msg::Idle(due));
    assert_eq!(app.update(ch('q')), Effect::Redraw);
    assert!(!app.covered);
    assert_eq!(minutes_input(&app), "");
    let due = app.cover_due().unwrap();
    app.update(Msg::Idle(due));
    assert_eq!(
        app.update(Msg::Paste("pasted blind".to_string())),
        Effect::Redraw
    );
    assert!(!app.covered);
    // The rest of a long paste, arriving after, goes nowhere either.
    assert_eq!(
        app.update(Msg::PasteMore(" and more of it".to_string())),
        Effect::None
    );
    assert_eq!(minutes_input(&app), "");
    assert!(screen(&app, 80, 24).contains("the paste was not used: paste it again"));
    // Pasted again, it lands, all of it.
    app.update(Msg::Paste("Pasted".to_string()));
    app.update(Msg::PasteMore(" again".to_string()));
    assert_eq!(minutes_input(&app), "Pasted again");
    // A key puts the cover off again.
    let due = app.cover_due().unwrap();
    std::thread::sleep(Duration::from_millis(2));
    press(&mut app, "x");
    assert_eq!(app.update(Msg::Idle(due)), Effect::None);
    assert!(!app.covered);
}

#[test]
fn with_lock_after_zero_the_workspace_is_never_covered() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    assert_eq!(app.cover_due(), None);
    let later = std::time::Instant::now() + std::time::Duration::from_secs(86_400);
    assert_eq!(app.update(Msg::Idle(later)), Effect::None);
    assert!(!app.covered);
}
