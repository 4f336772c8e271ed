//! The SMART action plan in the Actions pane as a panel secretary and a chair use it: keys
//! fed to the update function, rows and audit checked in the database, the screen drawn
//! by the real code on the fixed day (2026-11-26) of the demo case.

mod common;

use chrono::NaiveDate;
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dhr_panel::app::{App, Msg, Options, Overlay, Pane};
use dhr_panel::domain::model::{ActionStatus, Recommendation, RecommendationStatus};

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn press(app: &mut App, c: char) {
    app.update(key(KeyCode::Char(c)));
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, c);
    }
}

fn tab(app: &mut App, n: usize) {
    for _ in 0..n {
        app.update(key(KeyCode::Tab));
    }
}

fn backspace(app: &mut App, n: usize) {
    for _ in 0..n {
        app.update(key(KeyCode::Backspace));
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The Actions pane of the demo case with the action plan focused.
fn plan_app(dir: &std::path::Path, options: Options) -> App {
    let mut app = demo_app(dir, options);
    press(&mut app, '6');
    assert_eq!(app.workspace.as_ref().unwrap().pane, Pane::Actions);
    press(&mut app, 'p');
    assert!(app.workspace.as_ref().unwrap().actions.plan.focused);
    app
}

/// Selects the recommendation numbered `number` by moving down from the top.
fn select_number(app: &mut App, number: i64) {
    press(app, 'g');
    for _ in 0..30 {
        if selected(app).number == number {
            return;
        }
        app.update(key(KeyCode::Down));
    }
    panic!("recommendation {number} is not in the plan");
}

fn selected(app: &App) -> Recommendation {
    let ws = app.workspace.as_ref().unwrap();
    ws.actions
        .selected_recommendation(app.today)
        .unwrap()
        .record
        .clone()
}

fn stored(app: &App) -> Vec<Recommendation> {
    let case_id = app.workspace.as_ref().unwrap().case.id;
    app.store()
        .recommendations(case_id)
        .unwrap()
        .into_iter()
        .map(|r| r.record)
        .collect()
}

fn stored_number(app: &App, number: i64) -> Recommendation {
    stored(app)
        .into_iter()
        .find(|r| r.number == number)
        .unwrap()
}

fn audit_rows(app: &App) -> u64 {
    app.store().verify_audit().unwrap().rows
}

fn form_error(app: &App, label: &str) -> Option<String> {
    match app.overlays.top().and_then(Overlay::form) {
        Some(form) => form.field(label).and_then(|f| f.error.clone()),
        _ => panic!("no form is open"),
    }
}

fn status_text(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

/// The screen line holding `needle`.
fn line_with(screen: &str, needle: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in\n{screen}"))
        .to_string()
}

#[test]
fn p_moves_the_focus_and_the_arrows_select_in_the_focused_list_only() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    press(&mut app, '6');
    let ws = app.workspace.as_ref().unwrap();
    assert!(
        !ws.actions.plan.focused,
        "the meeting actions have the focus first"
    );
    app.update(key(KeyCode::Down));
    press(&mut app, 'p');
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    let ws = app.workspace.as_ref().unwrap();
    assert!(ws.actions.plan.focused);
    assert_eq!(ws.cursor_of(Pane::Actions).selected, 1, "actions untouched");
    assert_eq!(ws.actions.plan_selected(app.today), 2);
    assert_eq!(selected(&app).number, 3);
    press(&mut app, 'G');
    assert_eq!(selected(&app).number, 7, "End / G goes to the last");
    press(&mut app, 'p');
    app.update(key(KeyCode::Down));
    let ws = app.workspace.as_ref().unwrap();
    assert!(!ws.actions.plan.focused);
    assert_eq!(ws.cursor_of(Pane::Actions).selected, 2);
    assert_eq!(
        ws.actions.plan_selected(app.today),
        6,
        "the plan keeps its selection"
    );
}

#[test]
fn a_new_recommendation_takes_the_next_number_is_audited_and_selected() {
    let dir = private_dir();
    let mut app = plan_app(dir.path(), Options::default());
    assert_eq!(stored(&app).len(), 7);
    press(&mut app, 'a');
    assert!(
        screen(&app, 80, 24).contains("New recommendation"),
        "the form opens"
    );
    // The number is filled in; the focus starts on the recommendation.
    typed(&mut app, "Commissioners fund a perpetrator programme.");
    tab(&mut app, 1);
    typed(&mut app, "national");
    tab(&mut app, 2);
    typed(&mut app, "Write to the Home Office.");
    tab(&mut app, 1);
    typed(&mut app, "Helen Ashworth, CSP manager");
    tab(&mut app, 2);
    typed(&mut app, "31/03/27");
    app.update(ctrl('o'));
    assert!(app.overlays.is_empty(), "the form closed");
    let all = stored(&app);
    assert_eq!(all.len(), 8, "one row added");
    let added = stored_number(&app, 8);
    assert_eq!(
        added.recommendation,
        "Commissioners fund a perpetrator programme."
    );
    assert_eq!(added.scope.label(), "national");
    assert_eq!(added.agency_id, None);
    assert_eq!(added.lead_officer, "Helen Ashworth, CSP manager");
    assert_eq!(
        added.target_on,
        Some(day(2027, 3, 31)),
        "a two-digit year is this century"
    );
    assert_eq!(added.status, RecommendationStatus::NotStarted);
    assert_eq!(added.completed_on, None);
    let audit = app.store().audit_of("recommendations", added.id).unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "insert");
    assert!(audit[0].changes.contains("Commissioners fund"));
    assert_eq!(selected(&app).id, added.id, "the new one is selected");
    assert!(screen(&app, 80, 24).contains("Recommendation 8 added."));
}

#[test]
fn the_form_marks_what_is_wrong_and_saves_nothing() {
    let dir = private_dir();
    let mut app = plan_app(dir.path(), Options::default());
    let before = audit_rows(&app);
    press(&mut app, 'a');
    app.update(key(KeyCode::BackTab));
    backspace(&mut app, 3);
    typed(&mut app, "3");
    tab(&mut app, 1);
    typed(&mut app, "Something");
    tab(&mut app, 1);
    typed(&mut app, "single");
    tab(&mut app, 5);
    typed(&mut app, "March 2027");
    tab(&mut app, 1);
    backspace(&mut app, 20);
    typed(&mut app, "at risk");
    tab(&mut app, 1);
    typed(&mut app, "01/11/2026");
    app.update(ctrl('o'));
    assert!(
        app.overlays.top().and_then(Overlay::form).is_some(),
        "the form stays"
    );
    let agency = form_error(&app, "Agency").unwrap();
    assert!(
        agency.contains("single-agency recommendation needs its agency"),
        "{agency}"
    );
    let target = form_error(&app, "Target date").unwrap();
    assert!(
        target.contains("is a month") && target.contains("one day"),
        "{target}"
    );
    let completed = form_error(&app, "Completion date").unwrap();
    assert!(completed.contains("only for a complete"), "{completed}");
    assert_eq!(audit_rows(&app), before, "nothing written");
    assert_eq!(stored(&app).len(), 7);
    // Put right all but the number, which another recommendation holds.
    press_field(&mut app, "Agency");
    typed(&mut app, "gp");
    press_field(&mut app, "Target date");
    backspace(&mut app, 20);
    typed(&mut app, "01/03/2027");
    press_field(&mut app, "Completion date");
    backspace(&mut app, 20);
    app.update(ctrl('o'));
    let number = form_error(&app, "Number").unwrap();
    assert!(number.contains("3 already exists"), "{number}");
    assert_eq!(audit_rows(&app), before, "still nothing written");
    // Clearing the number takes the next one.
    press_field(&mut app, "Number");
    backspace(&mut app, 3);
    app.update(ctrl('o'));
    assert!(app.overlays.is_empty(), "saved: {:?}", status_text(&app));
    assert_eq!(stored_number(&app, 8).status, RecommendationStatus::AtRisk);
}

/// Moves the form's focus to the field with this label.
fn press_field(app: &mut App, label: &str) {
    for _ in 0..20 {
        if let Some(form) = app.overlays.top().and_then(Overlay::form)
            && form.fields[form.focus].label == label
        {
            return;
        }
        tab(app, 1);
    }
    panic!("no field {label}");
}

#[test]
fn edit_saves_the_changed_fields_and_audits_old_and_new() {
    let dir = private_dir();
    let mut app = plan_app(dir.path(), Options::default());
    select_number(&mut app, 3);
    let before = selected(&app);
    press(&mut app, 'e');
    assert!(screen(&app, 80, 24).contains("Edit recommendation 3"));
    press_field(&mut app, "Lead officer");
    typed(&mut app, " (named GP)");
    press_field(&mut app, "Target date");
    backspace(&mut app, 10);
    typed(&mut app, "30/04/2027");
    app.update(ctrl('o'));
    assert!(app.overlays.is_empty(), "{:?}", status_text(&app));
    let after = stored_number(&app, 3);
    assert_eq!(
        after.lead_officer,
        format!("{} (named GP)", before.lead_officer)
    );
    assert_eq!(after.target_on, Some(day(2027, 4, 30)));
    assert_eq!(after.recommendation, before.recommendation, "untouched");
    assert_eq!(after.milestones, before.milestones, "untouched");
    let audit = app.store().audit_of("recommendations", after.id).unwrap();
    let last = audit.last().unwrap();
    assert_eq!(last.action, "update");
    assert!(last.changes.contains("lead_officer") && last.changes.contains("2027-04-30"));
    assert!(
        !last.changes.contains("milestones"),
        "only what changed: {}",
        last.changes
    );
    assert!(status_text(&app).contains("Recommendation 3 saved."));
}

#[test]
fn complete_records_the_completion_date_and_leaving_complete_clears_it() {
    let dir = private_dir();
    let mut app = plan_app(dir.path(), Options::default());
    select_number(&mut app, 3);
    assert_eq!(selected(&app).status, RecommendationStatus::OnTrack);
    press(&mut app, 's');
    let chooser = screen(&app, 80, 24);
    assert!(chooser.contains("Status of recommendation 3"), "{chooser}");
    assert!(chooser.contains("on track  (now)"), "{chooser}");
    press(&mut app, '4');
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("26/11/2026"), "today is offered:\n{shown}");
    // A day in the future is refused, then an earlier day is kept.
    backspace(&mut app, 10);
    typed(&mut app, "27/11/2026");
    app.update(key(KeyCode::Enter));
    assert!(
        form_error(&app, "Completion date")
            .unwrap()
            .contains("in the future")
    );
    assert_eq!(stored_number(&app, 3).status, RecommendationStatus::OnTrack);
    backspace(&mut app, 10);
    typed(&mut app, "20/11/2026");
    app.update(key(KeyCode::Enter));
    assert!(app.overlays.is_empty());
    let done = stored_number(&app, 3);
    assert_eq!(done.status, RecommendationStatus::Complete);
    assert_eq!(done.completed_on, Some(day(2026, 11, 20)));
    assert!(status_text(&app).contains("complete, on 20 Nov 2026"));

    // Back to at risk: the completion date goes, and the audit says so.
    press(&mut app, 's');
    press(&mut app, '3');
    let moved = stored_number(&app, 3);
    assert_eq!(moved.status, RecommendationStatus::AtRisk);
    assert_eq!(moved.completed_on, None);
    assert!(status_text(&app).contains("completion date 20 Nov 2026 cleared"));
    let audit = app.store().audit_of("recommendations", moved.id).unwrap();
    let last = &audit.last().unwrap().changes;
    assert!(
        last.contains(r#""completed_on":["2026-11-20",null]"#),
        "{last}"
    );
    assert!(
        last.contains(r#""status":["complete","at_risk"]"#),
        "{last}"
    );

    // Complete again, leaving the day offered: today.
    press(&mut app, 's');
    press(&mut app, '4');
    app.update(key(KeyCode::Enter));
    assert_eq!(stored_number(&app, 3).completed_on, Some(today()));
}

#[test]
fn the_outcome_and_its_evidence_are_recorded() {
    let dir = private_dir();
    let mut app = plan_app(dir.path(), Options::default());
    select_number(&mut app, 5);
    press(&mut app, 'o');
    assert!(screen(&app, 80, 24).contains("Recommendation 5: outcome and evidence"));
    typed(&mut app, " Audit of MARAC closures in Q1 attached.");
    app.update(key(KeyCode::Enter));
    typed(&mut app, "Second line.");
    app.update(ctrl('o'));
    assert!(app.overlays.is_empty());
    let r = stored_number(&app, 5);
    assert_eq!(
        r.outcome,
        "Audit of MARAC closures in Q1 attached.\nSecond line."
    );
    let audit = app.store().audit_of("recommendations", r.id).unwrap();
    assert!(audit.last().unwrap().changes.contains("outcome"));
    let shown = screen(&app, 160, 48);
    assert!(
        shown.contains("Audit of MARAC closures in Q1 attached."),
        "{shown}"
    );
}

#[test]
fn overdue_is_derived_from_the_date_and_drawn_with_the_marker_without_colour() {
    let dir = private_dir();
    let options = Options {
        monochrome: true,
        ascii: true,
        ..Options::default()
    };
    let mut app = plan_app(dir.path(), options);
    let shown = screen(&app, 80, 24);
    // Recommendation 2 is at risk with its target (12 Nov 2026) passed; 3 is not due.
    assert!(line_with(&shown, "12 Nov 2026").contains("! 2 "), "{shown}");
    assert!(!line_with(&shown, "26 Mar 2027").contains('!'), "{shown}");
    assert!(
        line_with(&shown, "Action plan").contains("OVERDUE 1"),
        "{shown}"
    );
    // Nothing stored says overdue: only the day makes it so.
    assert_eq!(stored_number(&app, 2).status, RecommendationStatus::AtRisk);
    app.today = day(2027, 3, 27);
    let later = screen(&app, 80, 24);
    assert!(line_with(&later, "26 Mar 2027").contains("! 3 "), "{later}");
    assert!(
        line_with(&later, "Action plan").contains("OVERDUE 3"),
        "{later}"
    );
    app.today = today();
    // Completing it takes the marker away.
    select_number(&mut app, 2);
    press(&mut app, 's');
    press(&mut app, '4');
    app.update(key(KeyCode::Enter));
    let after = screen(&app, 80, 24);
    assert!(!line_with(&after, "12 Nov 2026").contains('!'), "{after}");
    assert!(
        !line_with(&after, "Action plan").contains("OVERDUE"),
        "{after}"
    );
}

#[test]
fn the_plan_is_filtered_by_agency_and_status_and_by_text() {
    let dir = private_dir();
    let mut app = plan_app(dir.path(), Options::default());
    let numbers = |app: &App| -> Vec<i64> {
        let ws = app.workspace.as_ref().unwrap();
        ws.actions
            .plan_rows(app.today)
            .iter()
            .map(|r| r.record.number)
            .collect()
    };
    assert_eq!(numbers(&app), vec![1, 2, 3, 4, 5, 6, 7]);
    press(&mut app, 'f');
    typed(&mut app, "Northgate");
    app.update(ctrl('o'));
    assert!(
        form_error(&app, "Agency")
            .unwrap()
            .contains("no agency \"Northgate\""),
        "an unknown agency is named"
    );
    backspace(&mut app, 9);
    typed(&mut app, "police");
    app.update(ctrl('o'));
    assert!(app.overlays.is_empty());
    assert_eq!(numbers(&app), vec![2, 6]);
    let shown = screen(&app, 80, 24);
    assert!(
        line_with(&shown, "agency POLICE").contains("Action plan: 7"),
        "{shown}"
    );
    press(&mut app, 'f');
    tab(&mut app, 1);
    typed(&mut app, "overdue");
    app.update(ctrl('o'));
    assert_eq!(numbers(&app), vec![2]);
    let shown = screen(&app, 80, 24);
    let title = line_with(&shown, "agency POLICE");
    assert!(
        title.contains("OVERDUE 1") && title.contains("agency POLICE · status overdue · showing 1"),
        "{title}"
    );
    // Esc clears the agency / status filter before anything else.
    app.update(key(KeyCode::Esc));
    assert_eq!(numbers(&app), vec![1, 2, 3, 4, 5, 6, 7]);
    assert!(app.workspace.is_some(), "still in the case");
    // The free text of / narrows the plan too.
    press(&mut app, '/');
    typed(&mut app, "Clare");
    app.update(key(KeyCode::Enter));
    assert_eq!(numbers(&app), vec![6]);
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("filter: Clare"), "{shown}");
}

#[test]
fn a_meeting_action_is_marked_done_from_a_chooser() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    press(&mut app, '6');
    let first = app.workspace.as_ref().unwrap().actions.action_rows()[0]
        .record
        .clone();
    assert_eq!(first.status, ActionStatus::CarriedForward);
    press(&mut app, 's');
    assert!(screen(&app, 80, 24).contains("carried forward  (now)"));
    press(&mut app, '2');
    let ws = app.workspace.as_ref().unwrap();
    let now = ws.actions.action_rows()[ws.cursor_of(Pane::Actions).selected]
        .record
        .clone();
    assert_eq!(
        now.id, first.id,
        "the action stays selected as it moves down"
    );
    assert_eq!(now.status, ActionStatus::Done);
    let audit = app.store().audit_of("actions", first.id).unwrap();
    assert!(
        audit
            .last()
            .unwrap()
            .changes
            .contains(r#"["carried","done"]"#)
    );
    // e and o are for recommendations: they say how to get there.
    press(&mut app, 'e');
    assert!(status_text(&app).contains("press p"));
}

#[test]
fn a_reading_seat_says_so_and_writes_nothing() {
    let dir = private_dir();
    let options = Options {
        read_only: true,
        ..Options::default()
    };
    let mut app = demo_app(dir.path(), options);
    press(&mut app, '6');
    let before = audit_rows(&app);
    press(&mut app, 's');
    assert!(app.overlays.is_empty());
    assert!(status_text(&app).contains("reading seat"), "s on an action");
    press(&mut app, 'p');
    for c in ['a', 'e', 's', 'o'] {
        press(&mut app, c);
        assert!(app.overlays.is_empty(), "{c} opened nothing");
        assert!(status_text(&app).contains("reading seat"), "{c} says why");
    }
    // Filtering changes nothing stored, so it works.
    press(&mut app, 'f');
    assert!(app.overlays.top().and_then(Overlay::form).is_some());
    app.update(key(KeyCode::Esc));
    assert_eq!(audit_rows(&app), before, "no audit row: nothing written");
    assert_eq!(stored(&app).len(), 7);
}

#[test]
fn snapshots_of_the_pane_with_the_plan_focused() {
    let dir = private_dir();
    let mut app = plan_app(dir.path(), Options::default());
    select_number(&mut app, 2);
    insta::assert_snapshot!("action_plan_focused_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("action_plan_focused_160x48", screen(&app, 160, 48));
    // The demo closed recommendation 6 as superseded.
    select_number(&mut app, 6);
    let small = screen(&app, 80, 24);
    assert!(small.contains("closed (superseded)"), "{small}");
    insta::assert_snapshot!("action_plan_closed_80x24", small);
    insta::assert_snapshot!("action_plan_closed_160x48", screen(&app, 160, 48));
}

#[test]
fn closing_a_recommendation_asks_why_and_shows_the_reason() {
    let dir = private_dir();
    let mut app = plan_app(dir.path(), Options::default());
    select_number(&mut app, 5);
    press(&mut app, 's');
    let chooser = screen(&app, 80, 24);
    assert!(chooser.contains("closed"), "{chooser}");
    press(&mut app, '5');
    let form = screen(&app, 80, 24);
    assert!(form.contains("Close recommendation 5: why?"), "{form}");
    // No reason: refused, nothing written.
    let before = audit_rows(&app);
    app.update(ctrl('o'));
    assert!(
        form_error(&app, "Reason")
            .unwrap()
            .contains("superseded, not accepted (by its addressee) or merged")
    );
    assert_eq!(audit_rows(&app), before);
    typed(&mut app, "super");
    tab(&mut app, 1);
    typed(&mut app, "Replaced by the new MARAC protocol.");
    app.update(ctrl('o'));
    assert!(app.overlays.is_empty(), "{}", screen(&app, 80, 24));
    let closed = stored_number(&app, 5);
    assert_eq!(closed.status, RecommendationStatus::Closed);
    assert_eq!(
        closed.closed_reason,
        Some(dhr_panel::domain::model::ClosedReason::Superseded)
    );
    assert!(
        closed
            .outcome
            .ends_with("Replaced by the new MARAC protocol.")
    );
    assert_eq!(
        status_text(&app),
        "Recommendation 5 is closed (superseded)."
    );
    let wide = screen(&app, 160, 48);
    assert!(
        line_with(&wide, "Target:").contains("closed (superseded)"),
        "{wide}"
    );
    // The edit form keeps it closed with its reason; another status drops the reason.
    press(&mut app, 's');
    press(&mut app, '2');
    let reopened = stored_number(&app, 5);
    assert_eq!(reopened.status, RecommendationStatus::OnTrack);
    assert_eq!(reopened.closed_reason, None);
}

#[test]
fn a_national_recommendation_records_its_addressee_sending_and_response() {
    let dir = private_dir();
    let mut app = plan_app(dir.path(), Options::default());
    select_number(&mut app, 7);
    let wide = screen(&app, 160, 48);
    let sent = line_with(&wide, "Sent:");
    assert!(
        sent.contains("Home Office (Domestic Homicide Review team)"),
        "{sent}"
    );
    assert!(sent.contains("no response yet"), "{sent}");
    press(&mut app, 'e');
    let form = screen(&app, 160, 48);
    assert!(
        form.contains("Addressee") && form.contains("Date of the response"),
        "{form}"
    );
    // A response with its date, after the date sent.
    press_field(&mut app, "Response");
    typed(&mut app, "The Home Office will raise it with NHS England.");
    tab(&mut app, 1);
    typed(&mut app, "25/11/2026");
    app.update(ctrl('o'));
    assert!(app.overlays.is_empty(), "{}", screen(&app, 80, 24));
    let r = stored_number(&app, 7);
    assert_eq!(r.response_on, Some(day(2026, 11, 25)));
    assert_eq!(
        r.response,
        "The Home Office will raise it with NHS England."
    );
    // A local recommendation's form has no such fields.
    select_number(&mut app, 5);
    press(&mut app, 'e');
    assert!(!screen(&app, 160, 48).contains("Addressee"));
}
