//! The chair's view driven by keys: cases, stage, pause, extension, later dates, the
//! register, agencies with their panel members and returns moved along the lifecycle.

mod common;

use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dhr_panel::app::panes::PaneView;
use dhr_panel::app::{App, Msg, Options, Overlay, Pane};
use dhr_panel::domain::model::{ImrStatus, Stage};

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn save() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::CONTROL))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(ch(c));
    }
}

fn tab(app: &mut App, n: usize) {
    for _ in 0..n {
        app.update(key(KeyCode::Tab));
    }
}

fn clear_field(app: &mut App) {
    for _ in 0..40 {
        app.update(key(KeyCode::Backspace));
    }
}

fn case(app: &App) -> dhr_panel::domain::model::Case {
    let id = app.workspace.as_ref().unwrap().case.id;
    app.store().case(id).unwrap().unwrap()
}

fn header(app: &App) -> String {
    screen(app, 120, 30).lines().next().unwrap().to_string()
}

/// Whether a contact with the family records the draft report as shared: written with
/// plain SQL (the family's records have their own forms in pane 8); `true` adds a contact
/// with the first subject of the case, `false` unshares every contact.
fn draft_shared(app: &App, shared: bool) {
    draft_shared_in(app.store(), shared);
}

fn draft_shared_in(store: &dhr_panel::store::Store, shared: bool) {
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap();
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    if !shared {
        conn.execute("UPDATE family_contacts SET shared_draft = 0", [])
            .unwrap();
        return;
    }
    let subject = store.subjects(case.id).unwrap()[0].id;
    conn.execute(
        "INSERT INTO family_people (created_at, updated_at, case_id, subject_id, connection)
         VALUES ('2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z', ?1, ?2, 'family')",
        rusqlite::params![case.id, subject],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO family_contacts (created_at, updated_at, case_id, person_id, method, shared_draft)
         VALUES ('2026-11-01T10:00:00Z', '2026-11-01T10:00:00Z', ?1, last_insert_rowid(), 'meeting', 1)",
        [case.id],
    )
    .unwrap();
}

/// Tabs to the field labelled `label` of the open form.
fn focus(app: &mut App, label: &str) {
    for _ in 0..40 {
        let form = app.overlays.top().and_then(Overlay::form).unwrap();
        if form.fields[form.focus].label == label {
            return;
        }
        app.update(key(KeyCode::Tab));
    }
    panic!("no field {label}");
}

fn status_text(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// The open form's error on the field labelled `label`.
fn form_error(app: &App, label: &str) -> Option<String> {
    match app.overlays.top().and_then(Overlay::form) {
        Some(form) => form.field(label).and_then(|f| f.error.clone()),
        _ => panic!("no form is open"),
    }
}

#[test]
fn a_new_case_is_created_from_the_case_list_and_opened() {
    let dir = private_dir();
    let mut app = App::new(empty_store(dir.path()), Options::default(), None).unwrap();
    app.update(ch('n'));
    typed(&mut app, "DHR-2026-09");
    tab(&mut app, 1);
    clear_field(&mut app);
    typed(&mut app, "dardr");
    tab(&mut app, 1);
    typed(&mut app, "Adult F");
    tab(&mut app, 4);
    typed(&mut app, "01/11/2026");
    app.update(save());
    assert!(app.overlays.is_empty(), "saved");
    let c = app
        .store()
        .case_by_reference("DHR-2026-09")
        .unwrap()
        .expect("the case is in the database");
    assert_eq!(c.kind.code(), "DARDR");
    assert_eq!(c.title, "Adult F");
    assert_eq!(c.marking, "OFFICIAL-SENSITIVE");
    assert_eq!(
        app.workspace.as_ref().unwrap().case.id,
        c.id,
        "the new case is open"
    );
    // Notified 1 November: the decision is due 1 December, five days after today.
    assert!(
        header(&app).contains("Decision due 01 Dec 2026 (5 days)"),
        "{}",
        header(&app)
    );
}

#[test]
fn a_duplicate_reference_is_refused_in_the_form() {
    let dir = private_dir();
    let mut app = App::new(demo_store(dir.path()), Options::default(), None).unwrap();
    app.update(ch('n'));
    typed(&mut app, "DEMO-1");
    tab(&mut app, 2);
    typed(&mut app, "Adult Z");
    app.update(save());
    assert!(
        matches!(app.overlays.top(), Some(Overlay::Form(_))),
        "the form stays open"
    );
    assert!(screen(&app, 80, 24).contains("already exists"));
    assert_eq!(
        app.store().cases().unwrap().len(),
        2,
        "the two demo cases only"
    );
}

#[test]
fn an_extension_with_its_reason_moves_the_clock_in_the_header() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    assert!(header(&app).contains("Report due 03 Jun 2027, extended (189 days)"));
    app.update(ch('0'));
    app.update(ch('x'));
    clear_field(&mut app);
    typed(&mut app, "30/06/2027");
    tab(&mut app, 1);
    typed(&mut app, "Police IMR delayed; agreed with the Home Office");
    app.update(save());
    assert!(
        matches!(app.overlays.top(), Some(Overlay::View(PaneView::Case(_)))),
        "back to the case view"
    );
    assert!(
        header(&app).contains("Report due 30 Jun 2027, extended (216 days)"),
        "{}",
        header(&app)
    );
    let c = case(&app);
    assert_eq!(
        c.extension_reason,
        "Police IMR delayed; agreed with the Home Office"
    );
    let audit = app.store().audit_of("cases", c.id).unwrap();
    assert!(audit.last().unwrap().changes.contains("extension_reason"));
}

#[test]
fn an_extension_needs_a_reason() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.update(ch('0'));
    app.update(ch('x'));
    clear_field(&mut app);
    typed(&mut app, "30/06/2027");
    app.update(save());
    assert!(matches!(app.overlays.top(), Some(Overlay::Form(_))));
    assert!(screen(&app, 80, 24).contains("a reason is required"));
    assert!(header(&app).contains("03 Jun 2027"), "nothing changed");
}

#[test]
fn stage_moves_keep_a_reason_and_sign_off_stops_the_clock() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    // The family saw the draft: the move is not asked to be confirmed (tested below).
    draft_shared(&app, true);
    app.update(ch('0'));
    app.update(ch('s'));
    // Partnership sign-off is the sixth stage.
    app.update(ch('6'));
    typed(&mut app, "Panel agreed the draft report");
    tab(&mut app, 1);
    app.update(save());
    assert!(screen(&app, 80, 24).contains("give the date the overview report was completed"));
    typed(&mut app, "20/11/2026");
    app.update(save());
    let c = case(&app);
    assert_eq!(c.stage, Stage::PartnershipSignOff);
    assert_eq!(c.stage_reason, "Panel agreed the draft report");
    assert!(c.report_completed_on.is_some());
    assert!(header(&app).contains("on time"), "{}", header(&app));
    // Back to drafting clears the completion date: the clock runs again.
    app.update(ch('s'));
    app.update(ch('5'));
    typed(&mut app, "Home Office asked for more analysis");
    app.update(save());
    let c = case(&app);
    assert_eq!(c.stage, Stage::Drafting);
    assert_eq!(c.report_completed_on, None);
    assert!(header(&app).contains("189 days"), "{}", header(&app));
    let audit = app.store().audit_of("cases", c.id).unwrap();
    let moves: Vec<&str> = audit
        .iter()
        .filter(|r| r.action == "update" && r.changes.contains("stage_reason"))
        .map(|r| r.changes.as_str())
        .collect();
    assert_eq!(
        moves.len(),
        2,
        "each move is in the audit trail with its reason"
    );
    assert!(moves[1].contains("Home Office asked for more analysis"));
}

#[test]
fn a_pause_for_another_reason_reads_paused_then_resumed_with_no_date_until_an_extension() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    let case_id = case(&app).id;
    app.update(ch('0'));
    app.update(ch('p'));
    // The demo's trial and inquest are concluded: only another reason is offered.
    match app.overlays.top() {
        Some(Overlay::Chooser(c)) => assert_eq!(c.options, ["other: give a reason"]),
        _ => panic!("a chooser of proceedings: {:?}", app.place()),
    }
    app.update(key(KeyCode::Enter));
    // The day comes first (empty: today), then the reason.
    focus(&mut app, "Reason");
    typed(&mut app, "Inquest reopened");
    app.update(save());
    let h = header(&app);
    assert!(h.contains("paused (other) since 26 Nov 2026"), "{h}");
    let narrow = screen(&app, 80, 24);
    let first = narrow.lines().next().unwrap();
    assert!(
        first.contains("paused (other) since 26 Nov 2026") && first.contains("OFFICIAL-SENSITIVE"),
        "the paused clock fits the header at 80 columns: {first}"
    );
    assert!(!h.contains("overdue") && !h.contains("Report due"), "{h}");
    let wide = screen(&app, 160, 48);
    assert!(
        wide.contains(
            "paused pending Inquest reopened since 26 Nov 2026 (0 days); timescale to be agreed"
        ),
        "{wide}"
    );
    // The reason became a proceeding of kind other, which the open pause names.
    let proceedings = app.store().proceedings(case_id).unwrap();
    let other = proceedings.last().unwrap();
    assert_eq!(
        (other.kind.code(), other.title.as_str()),
        ("other", "Inquest reopened")
    );
    let pauses = app.store().pauses(case_id).unwrap();
    let open = pauses.last().unwrap();
    assert!(open.is_open() && open.proceeding_id == Some(other.id));

    app.update(ch('p'));
    app.update(key(KeyCode::Enter)); // Resume the review
    tab(&mut app, 1);
    typed(&mut app, "Inquest closed");
    app.update(save());
    let c = case(&app);
    assert!(!c.paused && c.paused_on.is_none());
    let h = header(&app);
    assert!(h.contains("resumed 26 Nov 2026; no"), "{h}");
    assert!(!h.contains("overdue") && !h.contains("Report due"), "{h}");
    // An extension recorded after the resumption is the date the clock counts to.
    app.update(ch('x'));
    tab(&mut app, 1);
    typed(&mut app, "Agreed with the Home Office");
    app.update(save());
    assert!(
        header(&app).contains("Report due 03 Jun 2027"),
        "{}",
        header(&app)
    );
}

#[test]
fn a_pause_names_a_proceeding_recorded_in_pane_8() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.update(ch('8'));
    app.update(ch('p'));
    app.update(ch('a'));
    clear_field(&mut app);
    typed(&mut app, "IOPC");
    tab(&mut app, 1);
    typed(&mut app, "IOPC investigation of the 2019 call handling");
    app.update(save());
    assert!(
        screen(&app, 80, 24).contains("IOPC investigation"),
        "{}",
        screen(&app, 80, 24)
    );
    app.update(ch('0'));
    app.update(ch('p'));
    match app.overlays.top() {
        Some(Overlay::Chooser(c)) => assert_eq!(
            c.options,
            [
                "IOPC investigation: IOPC investigation of the 2019 call handling",
                "other: give a reason"
            ]
        ),
        _ => panic!("a chooser of proceedings: {:?}", app.place()),
    }
    app.update(key(KeyCode::Enter));
    // The day typed at once goes into the day, not onto the reason offered.
    typed(&mut app, "25/11/2026");
    app.update(save());
    let h = header(&app);
    assert!(h.contains("paused (IOPC) since 25 Nov 2026"), "{h}");
    let pause = app.store().pauses(case(&app).id).unwrap().pop().unwrap();
    assert_eq!(pause.reason, "IOPC investigation of the 2019 call handling");
    // The case list says it in full at 80 columns.
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Esc));
    let list = screen(&app, 80, 24);
    assert!(
        list.contains("to be agreed") && list.contains("paused (IOPC) 1d"),
        "{list}"
    );
    app.update(key(KeyCode::Enter));
    app.update(ch('0'));
    // Pausing again is refused while paused: p offers resuming instead.
    app.update(ch('p'));
    match app.overlays.top() {
        Some(Overlay::Chooser(c)) => assert_eq!(c.options[0], "Resume the review"),
        _ => panic!("{:?}", app.place()),
    }
}

#[test]
fn a_person_approached_is_added_once_and_flagged_until_advocacy_is_offered() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    let case_id = case(&app).id;
    app.update(ch('8'));
    let s = screen(&app, 80, 24);
    // The demo's friend was approached with no offer of advocacy.
    assert!(s.contains("NO ADVOCACY OFFERED 1"), "{s}");
    assert!(s.contains("no advocacy offered"), "{s}");
    app.update(ch('a'));
    for _ in 0..10 {
        app.update(key(KeyCode::Down));
    }
    app.update(key(KeyCode::Enter)); // A new person
    typed(&mut app, "Adult G");
    tab(&mut app, 1);
    typed(&mut app, "Margaret Thornley; Mrs Thornley");
    tab(&mut app, 1);
    typed(&mut app, "Aunt of Adult A");
    tab(&mut app, 2);
    typed(&mut app, "20/11/2026");
    tab(&mut app, 1);
    typed(&mut app, "Helen Ashworth");
    app.update(save());
    let subjects = app.store().subjects(case_id).unwrap();
    let g: Vec<_> = subjects
        .iter()
        .filter(|s| s.pseudonym == "Adult G")
        .collect();
    assert_eq!(g.len(), 1, "one subject in the register");
    let people = app.store().family_people(case_id).unwrap();
    assert_eq!(
        people.iter().filter(|p| p.subject_id == g[0].id).count(),
        1,
        "one person approached"
    );
    let s = screen(&app, 80, 24);
    assert!(s.contains("NO ADVOCACY OFFERED 2"), "{s}");
    // The new person is selected: offering advocacy clears the flag.
    app.update(ch('e'));
    tab(&mut app, 3);
    typed(&mut app, "21/11/2026");
    tab(&mut app, 1);
    typed(&mut app, "Helen Ashworth");
    app.update(save());
    let s = screen(&app, 80, 24);
    assert!(s.contains("NO ADVOCACY OFFERED 1"), "{s}");
    // A contact with them.
    app.update(ch('c'));
    tab(&mut app, 2);
    typed(&mut app, "Helen Ashworth");
    tab(&mut app, 1);
    typed(&mut app, "y");
    app.update(save());
    let person = app
        .store()
        .family_people(case_id)
        .unwrap()
        .into_iter()
        .find(|p| p.subject_id == g[0].id)
        .unwrap();
    let contacts: Vec<_> = app
        .store()
        .family_contacts(case_id)
        .unwrap()
        .into_iter()
        .filter(|c| c.person_id == person.id)
        .collect();
    assert_eq!(contacts.len(), 1);
    assert!(contacts[0].shared_tor && contacts[0].by_whom == "Helen Ashworth");
    // Enter shows the person with the contact.
    app.update(key(KeyCode::Enter));
    let s = screen(&app, 100, 40);
    assert!(
        s.contains("Adult G (family)") && s.contains("Shared: terms of reference"),
        "{s}"
    );
}

#[test]
fn the_register_takes_a_new_subject() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    let before = app.workspace.as_ref().unwrap().subjects.len();
    app.update(ch('0'));
    app.update(ch('r'));
    // The last options: "Add a subject", the demo's school, "Add a place".
    for _ in 0..20 {
        app.update(key(KeyCode::Down));
    }
    app.update(key(KeyCode::Up));
    app.update(key(KeyCode::Up));
    app.update(key(KeyCode::Enter));
    clear_field(&mut app);
    typed(&mut app, "family");
    tab(&mut app, 1);
    typed(&mut app, "Adult G");
    tab(&mut app, 1);
    typed(&mut app, "Margaret Thornley; Maggie; Mrs Thornley");
    app.update(save());
    let subjects = app
        .store()
        .subjects(app.workspace.as_ref().unwrap().case.id)
        .unwrap();
    assert_eq!(subjects.len(), before + 1);
    let g = subjects.iter().find(|s| s.pseudonym == "Adult G").unwrap();
    assert_eq!(
        g.name_forms(),
        ["Margaret Thornley", "Maggie", "Mrs Thornley"]
    );
}

#[test]
fn an_agency_is_added_with_its_panel_member() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.update(ch('3'));
    app.update(ch('a'));
    typed(&mut app, "Northgate Substance Misuse Service");
    tab(&mut app, 1);
    typed(&mut app, "smu");
    tab(&mut app, 3);
    typed(&mut app, "Kate Rowe");
    tab(&mut app, 1);
    typed(&mut app, "Service manager");
    app.update(save());
    let ws = app.workspace.as_ref().unwrap();
    let added = ws
        .agencies
        .all
        .iter()
        .find(|a| a.agency.code == "SMU")
        .expect("the agency is on the board");
    assert_eq!(added.members[0].name, "Kate Rowe");
    assert_eq!(added.agency.status, ImrStatus::NotRequested);
    assert!(screen(&app, 80, 24).contains("Northgate Substance"));
}

fn select_agency(app: &mut App, code: &str) {
    app.update(ch('3'));
    app.update(key(KeyCode::Home));
    for _ in 0..20 {
        let ws = app.workspace.as_ref().unwrap();
        if ws.visible_agencies()[ws.cursor_of(Pane::Agencies).selected]
            .agency
            .code
            == code
        {
            return;
        }
        app.update(key(KeyCode::Down));
    }
    panic!("no agency {code}");
}

fn agency(app: &App, code: &str) -> dhr_panel::domain::model::Agency {
    let case_id = app.workspace.as_ref().unwrap().case.id;
    app.store()
        .agencies(case_id)
        .unwrap()
        .into_iter()
        .find(|a| a.code == code)
        .unwrap()
}

#[test]
fn a_return_moves_along_its_lifecycle_with_the_dates_it_needs() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    select_agency(&mut app, "POLICE");
    app.update(ch('s'));
    app.update(key(KeyCode::Enter)); // received, the first legal move
    app.update(save());
    let police = agency(&app, "POLICE");
    assert_eq!(police.status, ImrStatus::Received);
    assert_eq!(police.received_on, Some(today()));
    assert!(
        !screen(&app, 80, 24).contains("OVERDUE 2"),
        "no longer overdue"
    );
    app.update(ch('s'));
    app.update(key(KeyCode::Enter)); // under review
    assert_eq!(agency(&app, "POLICE").status, ImrStatus::UnderReview);
}

#[test]
fn an_illegal_move_is_refused_with_the_reason_and_writes_nothing() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    select_agency(&mut app, "POLICE");
    let audit_before = app.store().verify_audit().unwrap().rows;
    app.update(ch('s'));
    // Requested → accepted is listed, marked "not from here".
    let options = match app.overlays.top() {
        Some(Overlay::Chooser(c)) => c.options.clone(),
        _ => panic!("a chooser opens"),
    };
    let at = options
        .iter()
        .position(|l| l.starts_with("accepted"))
        .unwrap();
    assert!(options[at].contains("not from here"));
    for _ in 0..at {
        app.update(key(KeyCode::Down));
    }
    app.update(key(KeyCode::Enter));
    assert_eq!(agency(&app, "POLICE").status, ImrStatus::Requested);
    assert_eq!(
        app.store().verify_audit().unwrap().rows,
        audit_before,
        "nothing written"
    );
    let shown = screen(&app, 120, 30);
    assert!(
        shown.contains("Not changed: a return cannot go from \"requested\" to \"accepted\""),
        "{shown}"
    );
}

#[test]
fn scoping_out_needs_a_reason_and_is_final() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    select_agency(&mut app, "AMB");
    app.update(ch('s'));
    app.update(ch('2')); // scoped out
    app.update(save());
    assert!(screen(&app, 80, 24).contains("say why the agency is scoped out"));
    typed(
        &mut app,
        "No contact with the subjects in the review period",
    );
    app.update(save());
    let amb = agency(&app, "AMB");
    assert_eq!(amb.status, ImrStatus::ScopedOut);
    assert_eq!(
        amb.scoped_out_reason,
        "No contact with the subjects in the review period"
    );
    app.update(ch('s'));
    assert!(app.overlays.is_empty());
    assert!(screen(&app, 120, 30).contains("which is final"));
}

#[test]
fn a_chaser_is_recorded_today_and_the_board_sorts_most_overdue_first() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    select_agency(&mut app, "ASC");
    let before = agency(&app, "ASC").chased_on.len();
    app.update(ch('c'));
    let chased = agency(&app, "ASC").chased_on;
    assert_eq!(chased.len(), before + 1);
    assert_eq!(chased.last(), Some(&today()));
    app.update(ch('o'));
    let ws = app.workspace.as_ref().unwrap();
    let order: Vec<&str> = ws
        .visible_agencies()
        .iter()
        .map(|a| a.agency.code.as_str())
        .take(2)
        .collect();
    assert_eq!(order, ["POLICE", "ASC"], "56 days overdue before 42");
    assert!(screen(&app, 80, 24).contains("most overdue first"));
}

#[test]
fn the_case_view_shows_the_clock_register_and_history() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.update(ch('0'));
    // The audit trail names the login of whoever runs the tests: not part of the picture.
    let login = dhr_panel::store::audit::login_name();
    let shown = screen(&app, 80, 24).replace(&format!(" {login} "), " [login] ");
    insta::assert_snapshot!("case_view_80x24", shown);
    assert!(shown.contains("Clock: Report due 03 Jun 2027, extended (189 days)"));
    let wide = screen(&app, 160, 48).replace(&format!(" {login} "), " [login] ");
    insta::assert_snapshot!("case_view_160x48", wide);
    assert!(wide.contains("Pseudonym register"));
    assert!(wide.contains("Decision whether to review (v to record)"));
    // The history is the view's last section, below the process records.
    for _ in 0..20 {
        app.update(key(KeyCode::Down));
    }
    assert!(screen(&app, 160, 48).contains("History of the case"));
}

#[test]
fn the_case_view_lists_the_documents_that_left_the_panel_newest_first() {
    use dhr_panel::export::{ExportKind, ExportOptions, export_to_file};
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap();
    let fixed = dhr_panel::time::FixedClock::on(today());
    let panel = ExportOptions::default();
    let anonymised = ExportOptions {
        anonymise: true,
        ..ExportOptions::default()
    };
    let kinds = [
        (ExportKind::Minutes { meeting: 1 }, &panel),
        (ExportKind::Minutes { meeting: 2 }, &panel),
        (ExportKind::Agenda { meeting: 4 }, &panel),
        (
            ExportKind::Actions {
                meeting: Some(3),
                agency: None,
            },
            &panel,
        ),
        (ExportKind::Minutes { meeting: 1 }, &anonymised),
        (ExportKind::Agenda { meeting: 4 }, &panel),
        (ExportKind::Case, &panel),
        (ExportKind::Minutes { meeting: 2 }, &panel),
    ];
    for (n, (kind, options)) in kinds.iter().enumerate() {
        let file = dir.path().join(format!("export-{n}.md"));
        export_to_file(&mut store, &case, *kind, options, &fixed, &file).unwrap();
    }
    let mut app = App::new(store, Options::default(), Some("DEMO-1")).unwrap();
    app.update(ch('0'));
    let login = dhr_panel::store::audit::login_name();
    let redact = |shown: String| {
        shown
            .replace(&format!(" · {login} "), " · [login] ")
            .replace(&format!(" {login} "), " [login] ")
    };
    let wide = redact(screen(&app, 160, 48));
    assert!(wide.contains("Documents that left the panel"), "{wide}");
    assert!(wide.contains("and 2 earlier exports (8 in all)"), "{wide}");
    let newest = wide.find("Minutes of meeting 2 · md · panel").unwrap();
    let older = wide.find("Case pack · md · panel").unwrap();
    assert!(newest < older, "newest first");
    insta::assert_snapshot!("case_view_register_160x48", wide);
    // At 80x24 the view scrolls to it.
    for _ in 0..30 {
        let small = screen(&app, 80, 24);
        if small.contains("Documents that left the panel") && small.contains("8 in all") {
            break;
        }
        app.update(key(KeyCode::Down));
    }
    let small = redact(screen(&app, 80, 24));
    assert!(small.contains("Documents that left the panel"), "{small}");
    insta::assert_snapshot!("case_view_register_80x24", small);
}

#[test]
fn a_reading_seat_changes_nothing_from_the_chairs_keys() {
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
    app.update(ch('3'));
    for c in ['s', 'c', 'e', 'a', 'p'] {
        app.update(ch(c));
        assert!(app.overlays.is_empty(), "{c} opens nothing");
        assert!(screen(&app, 80, 24).contains("reading seat"), "{c}");
    }
    app.update(ch('0'));
    for c in ['e', 's', 'p', 'x', 'd', 'r', 'v', 'h', 'u', 'c'] {
        app.update(ch(c));
        assert!(
            matches!(app.overlays.top(), Some(Overlay::View(PaneView::Case(_)))),
            "{c} stays in the case view"
        );
    }
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Esc));
    app.update(ch('n'));
    assert!(app.overlays.is_empty());
}

#[test]
fn the_register_takes_a_new_place_that_anonymised_exports_replace() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    let case_id = app.workspace.as_ref().unwrap().case.id;
    assert_eq!(app.store().places(case_id).unwrap().len(), 1);
    app.update(ch('0'));
    app.update(ch('r'));
    for _ in 0..20 {
        app.update(key(KeyCode::Down));
    }
    app.update(key(KeyCode::Enter));
    clear_field(&mut app);
    typed(&mut app, "employer");
    tab(&mut app, 1);
    typed(&mut app, "Brightwater Logistics");
    tab(&mut app, 1);
    typed(&mut app, "a warehouse");
    app.update(save());
    let places = app.store().places(case_id).unwrap();
    assert_eq!(places.len(), 2, "{places:?}");
    assert_eq!(places[1].text, "Brightwater Logistics");
    assert_eq!(places[1].replaced_by(), "a warehouse");
    assert_eq!(
        app.store().audit_of("places", places[1].id).unwrap().len(),
        1
    );
}

#[test]
fn reaching_sign_off_when_the_family_did_not_see_the_draft_asks_why_and_records_it() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    draft_shared(&app, false);
    app.update(ch('0'));
    app.update(ch('s'));
    app.update(ch('6'));
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("No family contact (8) records the draft as shared: say why to go on."),
        "{shown}"
    );
    typed(&mut app, "Panel agreed the draft report");
    tab(&mut app, 1);
    typed(&mut app, "20/11/2026");
    app.update(save());
    // Not moved without the reason: the field is marked.
    let why = "Why the family did not see the draft";
    assert!(
        form_error(&app, why).is_some_and(|e| e.contains("is required")),
        "{}",
        screen(&app, 80, 24)
    );
    assert_eq!(case(&app).stage, Stage::Panel);
    focus(&mut app, why);
    typed(&mut app, "Adult D asked to read it after the trial");
    app.update(save());
    let c = case(&app);
    assert_eq!(c.stage, Stage::PartnershipSignOff);
    assert_eq!(
        c.stage_reason,
        "Panel agreed the draft report · Draft report not shared with the family: Adult D \
         asked to read it after the trial"
    );
    let audit = app.store().audit_of("cases", c.id).unwrap();
    assert!(
        audit
            .last()
            .unwrap()
            .changes
            .contains("Draft report not shared with the family"),
        "the confirmation is in the audit trail"
    );
}

#[test]
fn concluding_with_open_recommendations_is_refused_naming_them() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    draft_shared_in(&store, true);
    let id = store.case_by_reference("DEMO-1").unwrap().unwrap().id;
    store
        .move_stage(
            id,
            Stage::ActionPlanMonitoring,
            "Published",
            Some(today()),
            "",
        )
        .unwrap();
    let mut app = App::new(store, Options::default(), Some("DEMO-1")).unwrap();
    app.update(ch('0'));
    app.update(ch('s'));
    // The chooser starts on the next stage: Concluded.
    app.update(key(KeyCode::Enter));
    let said = status_text(&app);
    assert_eq!(
        said,
        "Not moved: 4 recommendations are still open: 2 (at risk), 3 (on track), \
         5 (on track), 7 (not started) — complete or close each in the action plan (6)"
    );
    assert_eq!(case(&app).stage, Stage::ActionPlanMonitoring);
    assert!(
        matches!(app.overlays.top(), Some(Overlay::View(PaneView::Case(_)))),
        "back in the case view"
    );
}

#[test]
fn the_case_characteristics_are_checked_recorded_audited_and_shown() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    let id = case(&app).id;
    let before = app.store().characteristics(id).unwrap();
    assert_eq!(before.len(), 15, "the demo records every characteristic");
    app.update(ch('0'));
    app.update(ch('c'));
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("Case characteristics"), "{shown}");
    assert!(
        shown.contains("former intimate partner, parent, child, …)"),
        "{shown}"
    );
    // Type of death is the first field: an unknown value is refused with the list.
    clear_field(&mut app);
    typed(&mut app, "accident");
    app.update(save());
    assert_eq!(
        form_error(&app, "Type of death").as_deref(),
        Some(
            "\"accident\" is not a value of \"type of death\": write homicide, suicide or \
             other/unexplained, or leave it empty"
        )
    );
    assert_eq!(
        app.store().characteristics(id).unwrap(),
        before,
        "nothing saved"
    );
    clear_field(&mut app);
    typed(&mut app, "suicide");
    // Disability cleared: its row is withdrawn.
    focus(&mut app, "Disability");
    clear_field(&mut app);
    let audit = app.store().verify_audit().unwrap().rows;
    app.update(save());
    assert!(
        status_text(&app).contains("2 changed"),
        "{}",
        status_text(&app)
    );
    let after = app.store().characteristics(id).unwrap();
    use dhr_panel::domain::review::Characteristic;
    let value = |name: Characteristic| {
        after
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.value.clone())
    };
    assert_eq!(value(Characteristic::DeathType).as_deref(), Some("suicide"));
    assert_eq!(
        value(Characteristic::Disability),
        None,
        "cleared: withdrawn"
    );
    assert_eq!(after.len(), 14);
    assert_eq!(
        app.store().verify_audit().unwrap().rows,
        audit + 2,
        "one audit row per change"
    );
    assert!(app.store().check_against_trail().unwrap().holds());
    // The case view shows the section (scrolled to it).
    let wide = scrolled_to(&mut app, 160, 48, "type of death: suicide");
    assert!(wide.contains("type of death: suicide"), "{wide}");
}

/// The screen once the view is scrolled down (a line at a time) until `text` shows.
fn scrolled_to(app: &mut App, width: u16, height: u16, text: &str) -> String {
    for _ in 0..80 {
        let shown = screen(app, width, height);
        if shown.contains(text) {
            return shown;
        }
        app.update(key(KeyCode::Down));
    }
    screen(app, width, height)
}

#[test]
fn snapshots_of_the_case_view_with_its_characteristics() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.update(ch('0'));
    let login = dhr_panel::store::audit::login_name();
    let redact = |shown: String| shown.replace(&format!(" {login} "), " [login] ");
    // Scrolled to the section.
    let small = redact(scrolled_to(
        &mut app,
        80,
        24,
        "Case characteristics (c to edit",
    ));
    assert!(small.contains("Case characteristics (c to edit"), "{small}");
    insta::assert_snapshot!("case_view_characteristics_80x24", small);
    for _ in 0..80 {
        app.update(key(KeyCode::Up));
    }
    let wide = redact(scrolled_to(
        &mut app,
        160,
        48,
        "relationship: intimate partner",
    ));
    assert!(wide.contains("relationship: intimate partner"), "{wide}");
    insta::assert_snapshot!("case_view_characteristics_160x48", wide);
}

#[test]
fn the_advocacy_flag_reads_in_words_without_colour_and_in_ascii() {
    let dir = private_dir();
    let options = Options {
        monochrome: true,
        ascii: true,
        ..Options::default()
    };
    let mut app = demo_app(dir.path(), options);
    app.update(ch('8'));
    let s = screen(&app, 80, 24);
    let row = s
        .lines()
        .find(|l| l.contains("Adult E"))
        .expect("the friend's row");
    assert!(
        row.contains('!') && row.contains("no advocacy offered"),
        "{row}"
    );
    assert!(s.contains("NO ADVOCACY OFFERED 1"), "{s}");
    assert!(s.is_ascii(), "{s}");
}

// ---- The review's process in the case view: decision (v), QA rounds (h), publication (u)

/// A new case with no decision, open in the workspace.
fn fresh_case_app(dir: &std::path::Path) -> App {
    let mut store = empty_store(dir);
    store
        .create_case(&dhr_panel::domain::model::Case::new(
            "DHR-2026-12",
            dhr_panel::domain::model::ReviewKind::Dhr,
            "Adult K",
        ))
        .unwrap();
    App::new(store, Options::default(), Some("DHR-2026-12")).unwrap()
}

#[test]
fn a_no_review_decision_is_saved_once_audited_and_says_how_to_close_the_case() {
    let dir = private_dir();
    let mut app = fresh_case_app(dir.path());
    let case_id = app.workspace.as_ref().unwrap().case.id;
    app.update(ch('0'));
    assert!(screen(&app, 160, 48).contains("No decision recorded yet."));
    app.update(ch('v'));
    clear_field(&mut app);
    typed(&mut app, "no review");
    tab(&mut app, 1);
    typed(&mut app, "Section 9(1) of the 2004 Act");
    tab(&mut app, 1);
    typed(
        &mut app,
        "No intimate or family relationship and no shared household",
    );
    tab(&mut app, 1);
    typed(&mut app, "Chair of the Community Safety Partnership");
    tab(&mut app, 1);
    typed(&mut app, "07/05/2026");
    app.update(save());
    assert!(
        matches!(app.overlays.top(), Some(Overlay::View(PaneView::Case(_)))),
        "back to the case view"
    );
    let shown = screen(&app, 160, 48);
    assert!(
        shown.contains("To close the case: s, then \"Not reviewed\""),
        "{shown}"
    );
    assert!(
        shown.contains(
            "! Tell the Home Office of the decision of 07 May 2026 (no review; no date recorded)"
        ),
        "{shown}"
    );
    let d = app.store().decision(case_id).unwrap().expect("saved");
    assert_eq!(d.outcome.code(), "no_review");
    assert_eq!(d.decided_by, "Chair of the Community Safety Partnership");
    assert_eq!(
        app.store()
            .audit_of("review_decisions", d.id)
            .unwrap()
            .len(),
        1
    );
    // A no-review decision starts no statutory clock for the report.
    assert_eq!(case(&app).decision_on, None);

    // Recording the Home Office's notification edits the same record; the prompt goes.
    app.update(ch('v'));
    tab(&mut app, 5);
    typed(&mut app, "12/05/2026");
    app.update(save());
    let again = app.store().decision(case_id).unwrap().unwrap();
    assert_eq!(again.id, d.id, "one live record");
    assert_eq!(
        again
            .home_office_notified_on
            .map(|d| d.to_string())
            .as_deref(),
        Some("2026-05-12")
    );
    assert_eq!(
        app.store()
            .audit_of("review_decisions", d.id)
            .unwrap()
            .len(),
        2
    );
    let shown = screen(&app, 160, 48);
    assert!(!shown.contains("Tell the Home Office"), "{shown}");
    assert!(
        shown.contains("Home Office notified: 12 May 2026"),
        "{shown}"
    );
}

#[test]
fn a_decision_needs_its_outcome_and_date() {
    let dir = private_dir();
    let mut app = fresh_case_app(dir.path());
    app.update(ch('0'));
    app.update(ch('v'));
    clear_field(&mut app);
    typed(&mut app, "perhaps");
    app.update(save());
    let shown = screen(&app, 80, 24);
    assert!(
        matches!(app.overlays.top(), Some(Overlay::Form(_))),
        "the form stays"
    );
    assert!(shown.contains("write review or no review"), "{shown}");
    let case_id = app.workspace.as_ref().unwrap().case.id;
    assert_eq!(
        app.store().decision(case_id).unwrap(),
        None,
        "nothing saved"
    );
}

#[test]
fn qa_rounds_are_recorded_from_the_case_view_and_keep_their_history() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    let case_id = app.workspace.as_ref().unwrap().case.id;
    app.update(ch('0'));
    // Round 1: submitted, no outcome yet.
    app.update(ch('h'));
    app.update(key(KeyCode::Enter));
    typed(&mut app, "01/06/2026");
    tab(&mut app, 1);
    typed(&mut app, "v1.0");
    app.update(save());
    assert!(screen(&app, 160, 48).contains("Round 1 recorded"));
    // A second submission is refused while round 1 has no outcome.
    app.update(ch('h'));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    typed(&mut app, "01/07/2026");
    app.update(save());
    let shown = screen(&app, 80, 24);
    assert!(
        matches!(app.overlays.top(), Some(Overlay::Form(_))),
        "the form stays"
    );
    assert!(shown.contains("has no outcome yet"), "{shown}");
    assert_eq!(app.store().qa_rounds(case_id).unwrap().len(), 1);
    // Esc asks; "Discard the changes" is the third option.
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    if !matches!(app.overlays.top(), Some(Overlay::View(PaneView::Case(_)))) {
        app.update(ch('0'));
    }
    // Round 1's letter: resubmit, with two points.
    app.update(ch('h'));
    app.update(key(KeyCode::Enter)); // round 1
    app.update(key(KeyCode::Down)); // past "New point"
    app.update(key(KeyCode::Enter)); // edit this round
    tab(&mut app, 2);
    typed(&mut app, "resubmit");
    tab(&mut app, 1);
    typed(&mut app, "20/07/2026");
    app.update(save());
    for (point, response, status) in [
        (
            "The victim's voice is hard to hear",
            "Section 3 rewritten with Adult D",
            "responded",
        ),
        ("Terms of reference item 4 is not answered", "", "open"),
    ] {
        app.update(ch('h'));
        app.update(key(KeyCode::Enter)); // round 1
        for _ in 0..5 {
            app.update(key(KeyCode::Up));
        }
        // The points come first: "New point" follows them.
        let points = app.store().qa_points(case_id).unwrap().len();
        for _ in 0..points {
            app.update(key(KeyCode::Down));
        }
        app.update(key(KeyCode::Enter));
        typed(&mut app, point);
        tab(&mut app, 1);
        typed(&mut app, response);
        tab(&mut app, 1);
        clear_field(&mut app);
        typed(&mut app, status);
        app.update(save());
    }
    // Round 2: the resubmission.
    app.update(ch('h'));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    typed(&mut app, "01/10/2026");
    tab(&mut app, 1);
    typed(&mut app, "v2.0");
    app.update(save());

    let rounds = app.store().qa_rounds(case_id).unwrap();
    assert_eq!(rounds.len(), 2, "{rounds:?}");
    assert_eq!(rounds[0].outcome.map(|o| o.code()), Some("resubmit"));
    assert_eq!(rounds[1].number, 2);
    let points = app.store().qa_points(case_id).unwrap();
    assert_eq!(points.len(), 2);
    assert!(points.iter().all(|p| p.round_id == rounds[0].id));

    let login = dhr_panel::store::audit::login_name();
    let wide = screen(&app, 160, 48).replace(&format!(" {login} "), " [login] ");
    for _ in 0..12 {
        app.update(key(KeyCode::Down));
    }
    let wide_scrolled = screen(&app, 160, 48).replace(&format!(" {login} "), " [login] ");
    assert!(
        wide_scrolled.contains(
            "Round 1: submitted 01 Jun 2026, version v1.0 · resubmit (letter 20 Jul 2026)"
        ),
        "{wide_scrolled}"
    );
    assert!(
        wide_scrolled.contains("Round 2: submitted 01 Oct 2026, version v2.0 · no outcome yet")
    );
    assert!(wide_scrolled.contains(
        "1. [responded] The victim's voice is hard to hear → Section 3 rewritten with Adult D"
    ));
    assert!(wide_scrolled.contains("2. [open] Terms of reference item 4 is not answered"));
    insta::assert_snapshot!("case_view_process_160x48", wide_scrolled);
    drop(wide);
    for _ in 0..4 {
        app.update(key(KeyCode::Down));
    }
    let small = screen(&app, 80, 24).replace(&format!(" {login} "), " [login] ");
    insta::assert_snapshot!("case_view_process_80x24", small);
}

#[test]
fn the_commissioner_is_prompted_from_completion_until_the_copy_is_dated() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.update(ch('0'));
    assert!(!screen(&app, 160, 48).contains("Domestic Abuse Commissioner:"));
    // `d` records the completion date only.
    app.update(ch('d'));
    typed(&mut app, "20/11/2026");
    app.update(save());
    assert_eq!(
        case(&app)
            .report_completed_on
            .map(|d| d.to_string())
            .as_deref(),
        Some("2026-11-20")
    );
    let shown = screen(&app, 160, 48);
    assert!(
        shown.contains(
            "! Send a copy of the overview report to the Domestic Abuse Commissioner: the report was completed on 20 Nov"
        ) && shown.contains("(as soon as reasonably practicable after completion)"),
        "{shown}"
    );
    let small = screen(&app, 80, 24);
    assert!(
        small.contains("! Send a copy of the overview report"),
        "{small}"
    );
    // The checklist's last item is the Commissioner's copy.
    app.update(ch('u'));
    for _ in 0..5 {
        app.update(key(KeyCode::Down));
    }
    app.update(key(KeyCode::Enter));
    typed(&mut app, "25/11/2026");
    tab(&mut app, 1);
    typed(&mut app, "the Commissioner's office, by e-mail");
    app.update(save());
    let c = case(&app);
    assert_eq!(
        c.commissioner_sent_on.map(|d| d.to_string()).as_deref(),
        Some("2026-11-25")
    );
    let shown = screen(&app, 160, 48);
    assert!(!shown.contains("! Send a copy"), "the prompt goes: {shown}");
    for _ in 0..12 {
        app.update(key(KeyCode::Down));
    }
    let shown = screen(&app, 160, 48);
    assert!(
        shown.contains("[✓] copy sent to the Domestic Abuse Commissioner: 25 Nov 2026 · the Commissioner's office, by e-mail"),
        "{shown}"
    );
    let items = app.store().publication_items(c.id).unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(
        app.store()
            .audit_of("publication_items", items[0].id)
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn the_case_history_shows_changes_to_the_process_records_with_what_they_are() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.update(ch('0'));
    // The demo's pause (recorded when it was seeded) and its resumption are in the history.
    for _ in 0..80 {
        app.update(key(KeyCode::Down));
    }
    let end = screen(&app, 160, 48);
    assert!(end.contains("History of the case"), "{end}");
    // The demo was seeded in one transaction: its pause and resumption read as one line.
    assert!(end.contains("pause ×2: resume_reason"), "{end}");
    assert!(end.contains("decision 1:"), "{end}");
    // A new QA submission is in the history at once, with what it is.
    app.update(ch('h'));
    app.update(key(KeyCode::Enter));
    typed(&mut app, "20/11/2026");
    app.update(save());
    for _ in 0..80 {
        app.update(key(KeyCode::Down));
    }
    let end = screen(&app, 160, 48);
    // The history names a record by its id (DEMO-2's rounds came first).
    let round = app.store().qa_rounds(case(&app).id).unwrap()[0].id;
    assert!(end.contains(&format!("QA round {round}: created")), "{end}");
}

#[test]
fn question_mark_in_the_case_view_opens_its_help_and_esc_comes_back() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.update(ch('0'));
    assert!(
        screen(&app, 80, 24).contains("? help"),
        "the footer names it"
    );
    app.update(ch('?'));
    let help = screen(&app, 80, 24);
    assert!(help.contains("the decision record"), "{help}");
    app.update(key(KeyCode::Esc));
    assert!(
        matches!(app.overlays.top(), Some(Overlay::View(PaneView::Case(_)))),
        "back in the case view"
    );
}

#[test]
fn not_reviewed_is_offered_only_at_the_decision_and_a_resumption_says_what_the_clock_reads() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.update(ch('0'));
    app.update(ch('s'));
    match app.overlays.top() {
        Some(Overlay::Chooser(c)) => {
            assert!(
                c.options.iter().all(|o| !o.contains("Not reviewed")),
                "{:?}",
                c.options
            );
            assert!(c.options.iter().any(|o| o.contains("Concluded")));
        }
        _ => panic!("the stage chooser: {:?}", app.place()),
    }
    app.update(key(KeyCode::Esc));
    if !matches!(app.overlays.top(), Some(Overlay::View(PaneView::Case(_)))) {
        app.update(ch('0'));
    }
    // Pause for another reason, then resume: the message says what the clock reads now.
    app.update(ch('p'));
    app.update(key(KeyCode::Enter));
    focus(&mut app, "Reason");
    typed(&mut app, "Inquest reopened");
    app.update(save());
    app.update(ch('p'));
    app.update(key(KeyCode::Enter));
    focus(&mut app, "Reason");
    typed(&mut app, "Inquest closed");
    app.update(save());
    let said = status_text(&app);
    assert!(
        said.starts_with("Resumed. Clock: resumed 26 Nov 2026; no new due date agreed"),
        "{said}"
    );
}

/// Every line the case view shows, scrolled from top to bottom at `width` x `height`.
fn whole_view(app: &mut App, width: u16, height: u16) -> String {
    let mut seen = String::new();
    for _ in 0..120 {
        seen.push_str(&screen(app, width, height));
        app.update(key(KeyCode::Down));
    }
    for _ in 0..120 {
        app.update(key(KeyCode::Up));
    }
    seen
}

#[test]
fn demo_2_shows_its_qa_rounds_and_checklist_and_is_not_concluded_with_open_recommendations() {
    let dir = private_dir();
    let store = demo_store(dir.path());
    let mut app = App::new(store, Options::default(), Some("DEMO-2")).unwrap();
    app.update(ch('0'));
    assert!(
        header(&app).contains("Published 10 May 2026"),
        "{}",
        header(&app)
    );
    let seen = whole_view(&mut app, 160, 48);
    for line in [
        "Round 1: submitted 02 Oct 2025, version v1.0 (as signed off by the partnership) · publish after changes",
        "Round 2: submitted 30 Jan 2026, version v1.1 (revised after the QA letter) · content to publish",
        "1. [agreed] The executive summary does not say",
        "3. [responded] The report should say whether the family saw",
        "[✓] executive summary ready: 25 Jan 2026",
        "[✓] Home Office letter received: 21 Mar 2026",
        "[✓] family told of the publication date: 25 Apr 2026",
        "[✓] published: 10 May 2026 · Eastbrook Community Safety Partnership website",
        "[✓] sent to the Home Office DHR library: 15 May 2026",
        "[✓] copy sent to the Domestic Abuse Commissioner: 27 Sep 2025",
    ] {
        assert!(seen.contains(line), "{line} not shown:\n{seen}");
    }
    assert!(!seen.contains("[ ]"), "every item of the checklist is done");
    assert!(
        !seen.contains("Send a copy of the overview report"),
        "the Commissioner's copy is dated: no prompt"
    );
    // At 80x24 the rounds read too.
    let small = whole_view(&mut app, 80, 24);
    assert!(small.contains("Round 2: submitted 30 Jan 2026"), "{small}");

    // The conclusion gate: recommendations 2 and 3 are open.
    app.update(ch('s'));
    app.update(key(KeyCode::Enter));
    assert_eq!(
        status_text(&app),
        "Not moved: 2 recommendations are still open: 2 (at risk), 3 (on track) — complete \
         or close each in the action plan (6)"
    );
    assert_eq!(case(&app).stage, Stage::ActionPlanMonitoring);
}

#[test]
fn a_long_refusal_in_a_form_reads_whole_at_80x24_and_stays_in_the_message_log() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.update(ch('0'));
    app.update(ch('h'));
    app.update(key(KeyCode::Enter));
    typed(&mut app, "01/06/2026");
    app.update(save());
    app.update(ch('h'));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    typed(&mut app, "01/07/2026");
    app.update(save());
    let shown = screen(&app, 80, 24)
        .lines()
        .map(|l| l.trim_matches(['│', ' ']))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        shown.contains("before submitting again"),
        "the end of the refusal is on screen: {shown}"
    );
    let log = app
        .messages
        .iter()
        .map(|m| m.text.clone())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(log.contains("before submitting again"), "{log}");
}
