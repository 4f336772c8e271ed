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
    assert!(before.contains("or d to add the fictional demo case DEMO-1"));
    assert!(before.contains("Press n to start a new case,"));

    assert_eq!(app.update(ch('d')), Effect::Redraw);
    assert!(
        app.store().case_by_reference("DEMO-1").unwrap().is_some(),
        "the case is in the database"
    );
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
    assert_eq!(pane(&app), Pane::Minutes);
}

#[test]
fn q_and_ctrl_c_quit_and_esc_goes_back_to_the_case_list() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.update(key(KeyCode::Esc));
    assert!(app.workspace.is_none());
    assert!(screen(&app, 80, 24).contains("Cases: 1"));
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
    ] {
        app.update(ch(c));
        insta::assert_snapshot!(format!("{name}_80x24"), screen(&app, 80, 24));
        insta::assert_snapshot!(format!("{name}_160x48"), screen(&app, 160, 48));
    }
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
        app.update(Msg::Tick),
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
