//! The Challenges and Decisions panes as a chair uses them: filters by agency, status and
//! meeting, the detail that links a record back to its meeting and minute, responses and
//! status moves (legal and illegal), due dates and the overdue marker, and the text that
//! approval of the minutes locks. Keys are fed to the update function; rows and audit are
//! checked in the database; screens are drawn by the real code on the fixed day
//! (2026-11-26) of the demo case.

mod common;

use chrono::NaiveDate;
use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dhr_panel::app::{App, Msg, Options, Overlay, Pane};
use dhr_panel::domain::model::{Challenge, ChallengeStatus, Decision, Meeting, MeetingStatus};
use dhr_panel::store::logs::Logged;
use ratatui::style::Color;

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn press(app: &mut App, c: char) {
    app.update(key(KeyCode::Char(c)));
}

fn enter(app: &mut App) {
    app.update(key(KeyCode::Enter));
}

fn esc(app: &mut App) {
    app.update(key(KeyCode::Esc));
}

fn save(app: &mut App) {
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('o'),
        KeyModifiers::CONTROL,
    )));
}

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, c);
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

fn status_text(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn is_error(app: &App) -> bool {
    app.status.as_ref().is_some_and(|s| s.is_error)
}

fn audit_rows(app: &App) -> u64 {
    app.store().verify_audit().unwrap().rows
}

fn case_id(app: &App) -> i64 {
    app.workspace.as_ref().unwrap().case.id
}

/// The challenges as stored now, read straight from the database.
fn stored_challenges(app: &App) -> Vec<Logged<Challenge>> {
    app.store().challenges(case_id(app)).unwrap()
}

fn stored_challenge(app: &App, id: i64) -> Challenge {
    stored_challenges(app)
        .into_iter()
        .find(|c| c.record.id == id)
        .unwrap()
        .record
}

fn stored_decision(app: &App, id: i64) -> Decision {
    app.store()
        .decisions(case_id(app))
        .unwrap()
        .into_iter()
        .find(|d| d.record.id == id)
        .unwrap()
        .record
}

fn meeting(app: &App, number: i64) -> Meeting {
    app.store()
        .meetings(case_id(app))
        .unwrap()
        .into_iter()
        .find(|m| m.number == number)
        .unwrap()
}

/// The ids of the challenges the pane lists now.
fn listed(app: &App) -> Vec<i64> {
    let ws = app.workspace.as_ref().unwrap();
    ws.challenges
        .rows(ws.today)
        .iter()
        .map(|c| c.record.id)
        .collect()
}

fn listed_decisions(app: &App) -> Vec<i64> {
    app.workspace
        .as_ref()
        .unwrap()
        .decisions
        .rows()
        .iter()
        .map(|d| d.record.id)
        .collect()
}

fn selected_challenge(app: &App) -> Challenge {
    let ws = app.workspace.as_ref().unwrap();
    ws.challenges.selected(ws.today).unwrap().record.clone()
}

fn selected_decision(app: &App) -> Decision {
    app.workspace
        .as_ref()
        .unwrap()
        .decisions
        .selected()
        .unwrap()
        .record
        .clone()
}

/// The demo case in the Challenges pane.
fn challenges_app(dir: &std::path::Path, options: Options) -> App {
    let mut app = demo_app(dir, options);
    press(&mut app, '4');
    assert_eq!(app.workspace.as_ref().unwrap().pane, Pane::Challenges);
    app
}

/// Selects the challenge whose question starts with `start`, moving down from the top.
fn select_challenge(app: &mut App, start: &str) -> Challenge {
    press(app, 'g');
    for _ in 0..40 {
        let c = selected_challenge(app);
        if c.question.starts_with(start) {
            return c;
        }
        app.update(key(KeyCode::Down));
    }
    panic!("no challenge starting {start:?} is listed");
}

fn select_decision(app: &mut App, start: &str) -> Decision {
    press(app, 'g');
    for _ in 0..40 {
        let d = selected_decision(app);
        if d.text.starts_with(start) {
            return d;
        }
        app.update(key(KeyCode::Down));
    }
    panic!("no decision starting {start:?} is listed");
}

fn form_error(app: &App, label: &str) -> Option<String> {
    match app.overlays.top().and_then(Overlay::form) {
        Some(form) => form.field(label).and_then(|f| f.error.clone()),
        None => panic!("no form is open"),
    }
}

fn form_has_field(app: &App, label: &str) -> bool {
    match app.overlays.top().and_then(Overlay::form) {
        Some(form) => form.field(label).is_some(),
        None => panic!("no form is open"),
    }
}

/// Picks the option of the open chooser whose label starts with `label`.
fn choose(app: &mut App, label: &str) {
    let index = match app.overlays.top() {
        Some(Overlay::Chooser(c)) => c
            .options
            .iter()
            .position(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no option {label:?} in {:?}", c.options)),
        _ => panic!("no chooser is open"),
    };
    press(app, char::from_digit(index as u32 + 1, 10).unwrap());
}

fn report_text(app: &App) -> String {
    match app.overlays.top() {
        Some(Overlay::Report(report)) => report.text.clone(),
        _ => panic!("no detail is open"),
    }
}

/// The screen line holding `needle`.
fn line_with(screen: &str, needle: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in\n{screen}"))
        .to_string()
}

/// Whether a list row carries the overdue marker: the column after the selection marker.
fn marked_overdue(row: &str) -> bool {
    row.chars().nth(3) == Some('!')
}

/// Fills the challenge filter form: agency, status, meeting (each may be empty).
fn filter_challenges(app: &mut App, agency: &str, status: &str, meeting: &str) {
    press(app, 'f');
    for value in [agency, status, meeting] {
        backspace(app, 20);
        typed(app, value);
        enter(app);
    }
}

#[test]
fn f_narrows_the_challenges_by_agency_status_and_meeting_and_esc_clears_first() {
    let dir = private_dir();
    let mut app = challenges_app(dir.path(), Options::default());
    let all = stored_challenges(&app);
    assert_eq!(listed(&app).len(), all.len(), "unfiltered: every challenge");
    let ids = |keep: &dyn Fn(&Logged<Challenge>) -> bool| -> Vec<i64> {
        all.iter()
            .filter(|c| keep(c))
            .map(|c| c.record.id)
            .collect()
    };

    filter_challenges(&mut app, "gp", "", "");
    assert!(app.overlays.is_empty(), "{}", status_text(&app));
    let gp = ids(&|c| c.agency_code == "GP");
    assert!(gp.len() > 1 && gp.len() < all.len());
    assert_eq!(listed(&app), gp, "agency (typed in any case)");
    let shown = screen(&app, 80, 24);
    assert!(shown.contains(&format!("Challenges: {} of {}", gp.len(), all.len())));
    assert!(shown.contains("agency GP"), "the filter is in the title");

    filter_challenges(&mut app, "GP", "open", "");
    let gp_open = ids(&|c| c.agency_code == "GP" && c.record.status == ChallengeStatus::Open);
    assert!(!gp_open.is_empty() && gp_open.len() < gp.len());
    assert_eq!(listed(&app), gp_open, "agency and status");

    filter_challenges(&mut app, "", "open", "3");
    let open_at_3 =
        ids(&|c| c.meeting_number == Some(3) && c.record.status == ChallengeStatus::Open);
    assert_eq!(open_at_3.len(), 1);
    assert_eq!(listed(&app), open_at_3, "status and meeting");

    filter_challenges(&mut app, "", "overdue", "");
    let overdue = ids(&|c| {
        matches!(
            c.record.status,
            ChallengeStatus::Open | ChallengeStatus::Escalated
        ) && c.record.response_due.is_some_and(|d| d < today())
    });
    assert!(!overdue.is_empty());
    assert_eq!(
        listed(&app),
        overdue,
        "overdue is derived from the due dates"
    );

    // Esc clears the filter before it leaves the case.
    esc(&mut app);
    assert_eq!(listed(&app).len(), all.len());
    assert!(
        app.workspace.is_some(),
        "the first Esc only clears the filter"
    );
    esc(&mut app);
    assert!(
        app.workspace.is_none(),
        "the next Esc goes to the case list"
    );
}

#[test]
fn a_filter_naming_an_unknown_agency_or_meeting_is_refused_and_the_list_kept() {
    let dir = private_dir();
    let mut app = challenges_app(dir.path(), Options::default());
    let before = listed(&app);
    filter_challenges(&mut app, "fire", "pending", "9");
    assert!(
        form_error(&app, "Agency")
            .unwrap()
            .contains("no agency \"fire\"")
    );
    assert!(form_error(&app, "Status").unwrap().contains("not a status"));
    assert!(
        form_error(&app, "Meeting number")
            .unwrap()
            .contains("no meeting \"9\"")
    );
    esc(&mut app);
    assert_eq!(listed(&app), before, "nothing was applied");
}

#[test]
fn the_filter_line_takes_the_same_qualifiers_as_the_form() {
    let dir = private_dir();
    let mut app = challenges_app(dir.path(), Options::default());
    press(&mut app, '/');
    typed(&mut app, "agency:idva status:open");
    enter(&mut app);
    let expected: Vec<i64> = stored_challenges(&app)
        .into_iter()
        .filter(|c| c.agency_code == "IDVA" && c.record.status == ChallengeStatus::Open)
        .map(|c| c.record.id)
        .collect();
    assert_eq!(expected.len(), 1);
    assert_eq!(listed(&app), expected);
    // The form shows what is in force, and keeps the words typed with /.
    press(&mut app, '/');
    typed(&mut app, " February");
    enter(&mut app);
    assert_eq!(listed(&app), expected, "a word of its question");
    press(&mut app, 'f');
    match app.overlays.top().and_then(Overlay::form) {
        Some(form) => {
            assert_eq!(form.value("Agency"), "idva");
            assert_eq!(form.value("Status"), "open");
        }
        _ => panic!("no filter form"),
    }
    app.update(key(KeyCode::Tab));
    backspace(&mut app, 10);
    save(&mut app);
    let ws = app.workspace.as_ref().unwrap();
    assert_eq!(
        ws.cursor_of(Pane::Challenges).filter,
        "agency:IDVA February"
    );
}

#[test]
fn r_records_the_response_with_its_date_and_an_open_challenge_becomes_answered() {
    let dir = private_dir();
    let mut app = challenges_app(dir.path(), Options::default());
    let c = select_challenge(&mut app, "Did any clinician ask");
    assert_eq!(c.status, ChallengeStatus::Open);
    assert!(c.response.is_empty());
    press(&mut app, 'r');
    assert!(form_has_field(&app, "Response"));
    typed(
        &mut app,
        "No record of a question about her safety was found.",
    );
    app.update(key(KeyCode::Tab));
    backspace(&mut app, 10);
    typed(&mut app, "20/11/2026");
    save(&mut app);
    assert!(app.overlays.is_empty(), "saved: {}", status_text(&app));
    assert!(
        status_text(&app).contains("now answered"),
        "{}",
        status_text(&app)
    );

    let after = stored_challenge(&app, c.id);
    assert_eq!(
        after.response,
        "No record of a question about her safety was found."
    );
    assert_eq!(after.response_on, Some(day(2026, 11, 20)));
    assert_eq!(after.status, ChallengeStatus::Answered);
    let audit = app.store().audit_of("challenges", c.id).unwrap();
    let last = audit.last().unwrap();
    assert_eq!(last.action, "update");
    assert!(
        last.changes.contains(r#""status":["open","answered"]"#),
        "{}",
        last.changes
    );
    assert!(
        last.changes
            .contains(r#""response_on":[null,"2026-11-20"]"#)
    );
    assert_eq!(selected_challenge(&app).id, c.id, "still selected");
}

#[test]
fn an_empty_response_or_one_dated_after_today_is_refused_and_nothing_written() {
    let dir = private_dir();
    let mut app = challenges_app(dir.path(), Options::default());
    let c = select_challenge(&mut app, "Why was the MARAC alert");
    let before = audit_rows(&app);
    press(&mut app, 'r');
    save(&mut app);
    assert!(
        form_error(&app, "Response")
            .unwrap()
            .contains("write what the agency answered")
    );
    typed(&mut app, "Answer.");
    app.update(key(KeyCode::Tab));
    backspace(&mut app, 10);
    typed(&mut app, "01/12/2026");
    save(&mut app);
    assert!(
        form_error(&app, "Response date")
            .unwrap()
            .contains("after today")
    );
    esc(&mut app);
    assert_eq!(audit_rows(&app), before);
    assert_eq!(stored_challenge(&app, c.id), c);
}

#[test]
fn a_challenge_from_approved_minutes_takes_a_response_and_a_status_but_not_a_new_question() {
    let dir = private_dir();
    let mut app = challenges_app(dir.path(), Options::default());
    assert_eq!(meeting(&app, 1).status, MeetingStatus::Approved);
    let c = select_challenge(&mut app, "Can the service name an IMR author");
    assert_eq!(c.status, ChallengeStatus::Escalated);
    assert_eq!(c.meeting_id, Some(meeting(&app, 1).id));

    press(&mut app, 'r');
    typed(
        &mut app,
        " The partnership agreed to fund an external author.",
    );
    save(&mut app);
    assert!(app.overlays.is_empty(), "{}", status_text(&app));
    let after = stored_challenge(&app, c.id);
    assert!(after.response.ends_with("fund an external author."));
    assert!(
        after.response.starts_with(&c.response),
        "added to the response"
    );
    assert_eq!(
        after.response_on, c.response_on,
        "the date offered is the stored one"
    );
    assert_eq!(
        after.status,
        ChallengeStatus::Escalated,
        "escalated stays so"
    );
    assert!(status_text(&app).contains("stays escalated"));

    press(&mut app, 's');
    choose(&mut app, "closed");
    assert!(!is_error(&app), "{}", status_text(&app));
    assert_eq!(stored_challenge(&app, c.id).status, ChallengeStatus::Closed);

    let before = audit_rows(&app);
    press(&mut app, 'e');
    assert!(app.overlays.is_empty(), "no form for a locked question");
    let said = status_text(&app);
    assert!(is_error(&app));
    assert!(
        said.contains("locked") && said.contains("/amend 1"),
        "{said}"
    );
    // The store refuses it too, whatever the caller.
    let refused = app
        .store_mut()
        .set_challenge_question(c.id, "Another question?");
    assert!(refused.unwrap_err().to_string().contains("locked"));
    assert_eq!(audit_rows(&app), before, "nothing written");
    assert_eq!(stored_challenge(&app, c.id).question, c.question);
}

#[test]
fn a_question_is_editable_while_its_minutes_are_not_approved() {
    let dir = private_dir();
    let mut app = challenges_app(dir.path(), Options::default());
    let c = select_challenge(&mut app, "The ASC IMR is overdue");
    assert_eq!(meeting(&app, 3).status, MeetingStatus::InProgress);
    press(&mut app, 'e');
    typed(&mut app, " Please reply in writing.");
    save(&mut app);
    assert!(app.overlays.is_empty(), "{}", status_text(&app));
    assert_eq!(
        stored_challenge(&app, c.id).question,
        format!("{} Please reply in writing.", c.question)
    );
}

#[test]
fn status_moves_follow_the_lifecycle_and_an_illegal_one_writes_nothing() {
    let dir = private_dir();
    let mut app = challenges_app(dir.path(), Options::default());
    let c = select_challenge(&mut app, "Why was the MARAC alert");
    assert_eq!(c.status, ChallengeStatus::Open);
    assert!(c.response.is_empty());
    let before = audit_rows(&app);

    press(&mut app, 's');
    match app.overlays.top() {
        Some(Overlay::Chooser(c)) => {
            let labels: Vec<&str> = c.options.iter().map(String::as_str).collect();
            assert_eq!(
                labels,
                ["answered", "escalated", "closed (not from here)"],
                "legal moves first, the current status not offered"
            );
        }
        _ => panic!("no chooser"),
    }
    choose(&mut app, "closed");
    assert!(is_error(&app));
    assert!(
        status_text(&app).contains("cannot go from \"open\" to \"closed\""),
        "{}",
        status_text(&app)
    );
    press(&mut app, 's');
    choose(&mut app, "answered");
    assert!(status_text(&app).contains("no response is recorded"));
    assert_eq!(audit_rows(&app), before, "illegal moves write nothing");
    assert_eq!(stored_challenge(&app, c.id).status, ChallengeStatus::Open);

    press(&mut app, 's');
    choose(&mut app, "escalated");
    assert!(!is_error(&app), "{}", status_text(&app));
    assert_eq!(
        stored_challenge(&app, c.id).status,
        ChallengeStatus::Escalated
    );
    let audit = app.store().audit_of("challenges", c.id).unwrap();
    assert!(
        audit
            .last()
            .unwrap()
            .changes
            .contains(r#""status":["open","escalated"]"#)
    );

    // A closed challenge is final: s says so and opens nothing.
    let closed = select_challenge(&mut app, "Can the short report also cover");
    assert_eq!(closed.status, ChallengeStatus::Closed);
    press(&mut app, 's');
    assert!(app.overlays.is_empty());
    assert!(status_text(&app).contains("final"));
    let refused = app
        .store_mut()
        .set_challenge_status(closed.id, ChallengeStatus::Open);
    assert!(refused.is_err(), "the store applies the rule too");
    assert_eq!(
        stored_challenge(&app, closed.id).status,
        ChallengeStatus::Closed
    );
}

#[test]
fn the_overdue_marker_follows_the_due_date_in_colour_and_with_a_mark() {
    let dir = private_dir();
    let mut app = challenges_app(dir.path(), Options::default());
    let c = select_challenge(&mut app, "Did any clinician ask");
    assert!(c.response_due.unwrap() > today());
    let row = line_with(&screen(&app, 80, 24), "Did any clinician");
    assert!(!marked_overdue(&row), "due later: not overdue\n{row}");

    press(&mut app, 'd');
    backspace(&mut app, 12);
    typed(&mut app, "20/11/26");
    save(&mut app);
    assert!(app.overlays.is_empty(), "{}", status_text(&app));
    assert_eq!(
        stored_challenge(&app, c.id).response_due,
        Some(day(2026, 11, 20))
    );
    let buffer = render(&app, 80, 24);
    let shown = text(&buffer);
    let row = line_with(&shown, "Did any clinician");
    assert!(marked_overdue(&row), "past its due date: marked\n{shown}");
    assert!(shown.contains("! overdue by 6 days"), "{shown}");
    let y = shown.lines().position(|l| l == row).unwrap() as u16;
    assert_eq!(
        buffer[(3, y)].style().fg,
        Some(Color::LightRed),
        "coloured as well as marked"
    );

    // Without colour the mark stays.
    let mono = App::new(
        dhr_panel::store::Store::open(
            &db_in(dir.path()),
            dhr_panel::store::OpenMode::Existing,
            clock(),
        )
        .unwrap(),
        Options {
            monochrome: true,
            ..Options::default()
        },
        Some("DEMO-1"),
    );
    let mut mono = mono.unwrap();
    press(&mut mono, '4');
    assert!(marked_overdue(&line_with(
        &screen(&mono, 80, 24),
        "Did any clinician"
    )));

    // Answered, it is no longer awaited, so no longer overdue.
    press(&mut app, 'r');
    typed(&mut app, "Answered in writing.");
    save(&mut app);
    let row = line_with(&screen(&app, 80, 24), "Did any clinician");
    assert!(!marked_overdue(&row), "{row}");

    // An empty due date clears it.
    press(&mut app, 'd');
    backspace(&mut app, 12);
    save(&mut app);
    assert_eq!(stored_challenge(&app, c.id).response_due, None);
}

#[test]
fn a_due_date_that_is_not_one_day_is_refused() {
    let dir = private_dir();
    let mut app = challenges_app(dir.path(), Options::default());
    let c = select_challenge(&mut app, "Did any clinician ask");
    press(&mut app, 'd');
    backspace(&mut app, 12);
    typed(&mut app, "Dec 2026");
    save(&mut app);
    assert!(
        form_error(&app, "Response due")
            .unwrap()
            .contains("a month")
    );
    esc(&mut app);
    assert_eq!(stored_challenge(&app, c.id), c);
}

/// "agenda item N "title", minute at HH:MM:" for the minute that created a record,
/// worked out from the stored minutes and agenda rather than the code under test.
fn expected_link(app: &App, meeting_number: i64, table: &str, id: i64) -> (String, String) {
    let m = meeting(app, meeting_number);
    let minute = app
        .store()
        .minutes(m.id)
        .unwrap()
        .into_iter()
        .find(|x| x.record == Some((table.to_string(), id)))
        .unwrap();
    let item = app
        .store()
        .agenda(m.id)
        .unwrap()
        .into_iter()
        .find(|a| a.id == minute.agenda_item_id)
        .unwrap();
    // The fixed clock shows times in UTC.
    let time = &minute.minuted_at[11..16];
    (
        format!("meeting {meeting_number} ({}", m.date.format("%d %b %Y")),
        format!(
            "agenda item {} \"{}\", minute at {time}:",
            item.position, item.title
        ),
    )
}

#[test]
fn the_detail_of_a_challenge_links_back_to_its_meeting_and_minute() {
    let dir = private_dir();
    let mut app = challenges_app(dir.path(), Options::default());
    let c = select_challenge(&mut app, "Why were Adult B's PNC caution");
    enter(&mut app);
    let detail = report_text(&app);
    let (meeting_part, minute_part) = expected_link(&app, 1, "challenges", c.id);
    assert!(
        detail.contains(&format!("Raised at: {meeting_part}, minutes approved)")),
        "{detail}"
    );
    assert!(detail.contains(&minute_part), "{detail}");
    assert!(
        detail.contains("POLICE: Why were Adult B's PNC caution"),
        "the minute itself"
    );
    assert!(detail.contains("Agency: POLICE (Northgate Police)"));
    assert!(detail.contains("Raised by: Helen Ashworth on"));
    assert!(detail.contains("Response date: "));
    assert!(detail.contains("The question is locked"));
    let terms = line_with(&detail, "Terms of reference");
    assert!(terms.contains("8. ") && terms.contains("2. "), "{terms}");
    let shown = screen(&app, 160, 48);
    assert!(shown.contains("minute at"), "{shown}");
    esc(&mut app);
    assert!(app.overlays.is_empty());

    // An open one from a meeting in progress: not locked, response awaited.
    let open = select_challenge(&mut app, "The ASC IMR is overdue");
    enter(&mut app);
    let detail = report_text(&app);
    let (meeting_part, minute_part) = expected_link(&app, 3, "challenges", open.id);
    assert!(
        detail.contains(&format!("{meeting_part}, minutes in progress)")),
        "{detail}"
    );
    assert!(detail.contains(&minute_part));
    assert!(detail.contains("Response: none recorded yet"));
    assert!(!detail.contains("locked"));
}

#[test]
fn the_detail_of_a_decision_links_back_to_its_meeting_and_minute() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    press(&mut app, '5');
    let d = select_decision(&mut app, "Extend the review period back");
    enter(&mut app);
    let detail = report_text(&app);
    let (meeting_part, minute_part) = expected_link(&app, 3, "decisions", d.id);
    assert!(
        detail.contains(&format!("Decided at: {meeting_part}")),
        "{detail}"
    );
    assert!(detail.contains(&minute_part), "{detail}");
    assert!(detail.contains("Rationale: The letter from Adult A's previous practice"));
    assert!(detail.contains("Decided by: Panel on 26 Nov 2026"));
    let terms = line_with(&detail, "Terms of reference");
    assert!(terms.contains("1. ") && terms.contains("8. "), "{terms}");
}

#[test]
fn f_filters_the_decisions_by_meeting() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    press(&mut app, '5');
    let all = app.store().decisions(case_id(&app)).unwrap();
    assert_eq!(listed_decisions(&app).len(), all.len());
    press(&mut app, 'f');
    typed(&mut app, "2");
    enter(&mut app);
    let of_2: Vec<i64> = all
        .iter()
        .filter(|d| d.meeting_number == Some(2))
        .map(|d| d.record.id)
        .collect();
    assert!(!of_2.is_empty() && of_2.len() < all.len());
    assert_eq!(listed_decisions(&app), of_2);
    assert!(screen(&app, 80, 24).contains(&format!(
        "Decisions: {} of {} · meeting 2",
        of_2.len(),
        all.len()
    )));
    press(&mut app, 'f');
    backspace(&mut app, 3);
    typed(&mut app, "7");
    enter(&mut app);
    assert!(
        form_error(&app, "Meeting number")
            .unwrap()
            .contains("give one of 1, 2, 3, 4")
    );
    esc(&mut app);
    esc(&mut app);
    assert_eq!(listed_decisions(&app).len(), all.len(), "Esc cleared it");
    assert!(app.workspace.is_some());
}

#[test]
fn a_decision_of_approved_minutes_keeps_its_text_but_takes_a_new_rationale() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    press(&mut app, '5');
    let d = select_decision(&mut app, "Agree the review period");
    assert_eq!(d.meeting_id, Some(meeting(&app, 1).id));
    press(&mut app, 'e');
    assert!(
        !form_has_field(&app, "Decision"),
        "no field for the locked text"
    );
    assert!(form_has_field(&app, "Rationale"));
    assert!(
        status_text(&app).contains("locked"),
        "{}",
        status_text(&app)
    );
    typed(&mut app, " Confirmed by the partnership.");
    save(&mut app);
    assert!(app.overlays.is_empty(), "{}", status_text(&app));
    let after = stored_decision(&app, d.id);
    assert_eq!(after.text, d.text);
    assert_eq!(
        after.rationale,
        format!("{} Confirmed by the partnership.", d.rationale)
    );
    let audit = app.store().audit_of("decisions", d.id).unwrap();
    let last = audit.last().unwrap();
    assert!(last.changes.contains("rationale") && !last.changes.contains("body"));

    // Changing the text itself is refused, with what to do, and nothing is written.
    let before = audit_rows(&app);
    let refused = app
        .store_mut()
        .edit_decision(d.id, "Agree another period.", &after.rationale)
        .unwrap_err()
        .to_string();
    assert!(
        refused.contains("locked") && refused.contains("/amend 1") && refused.contains("rationale"),
        "{refused}"
    );
    assert_eq!(audit_rows(&app), before);
    assert_eq!(stored_decision(&app, d.id), after);
}

#[test]
fn a_decision_text_is_editable_until_approval_and_refused_once_approved() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    press(&mut app, '5');
    let d = select_decision(&mut app, "Extend the review period back");
    press(&mut app, 'e');
    assert!(
        form_has_field(&app, "Decision"),
        "meeting 3 is not approved"
    );
    typed(&mut app, " Agreed by all.");
    save(&mut app);
    assert!(app.overlays.is_empty(), "{}", status_text(&app));
    assert_eq!(
        stored_decision(&app, d.id).text,
        format!("{} Agreed by all.", d.text)
    );

    // Meeting 2's minutes are approved while the form is open: the new text is refused.
    let d2 = select_decision(&mut app, "Accept the Children's Social Care IMR");
    press(&mut app, 'e');
    assert!(form_has_field(&app, "Decision"));
    let m2 = meeting(&app, 2);
    // Another seat approves them: a change this seat did not make.
    rusqlite::Connection::open(app.store().path())
        .unwrap()
        .execute(
            "UPDATE meetings SET status = 'approved' WHERE id = ?1",
            [m2.id],
        )
        .unwrap();
    let before = audit_rows(&app);
    typed(&mut app, " With thanks.");
    save(&mut app);
    let error = form_error(&app, "Decision").unwrap();
    assert!(
        error.contains("locked") && error.contains("/amend 2"),
        "{error}"
    );
    assert_eq!(audit_rows(&app), before, "nothing written");
    assert_eq!(stored_decision(&app, d2.id), d2);
}

#[test]
fn a_reading_seat_reads_filters_and_details_but_changes_nothing() {
    let dir = private_dir();
    let mut app = challenges_app(
        dir.path(),
        Options {
            read_only: true,
            ..Options::default()
        },
    );
    let before = audit_rows(&app);
    select_challenge(&mut app, "Why was the MARAC alert");
    for c in ['r', 's', 'd', 'e'] {
        press(&mut app, c);
        assert!(app.overlays.is_empty(), "{c} opens nothing");
        assert!(status_text(&app).contains("reading seat"), "{c} says why");
        assert!(screen(&app, 80, 24).contains("reading seat"));
    }
    enter(&mut app);
    assert!(
        matches!(app.overlays.top(), Some(Overlay::Report(_))),
        "detail"
    );
    esc(&mut app);
    filter_challenges(&mut app, "GP", "", "");
    assert!(listed(&app).len() < stored_challenges(&app).len(), "filter");
    press(&mut app, '5');
    press(&mut app, 'e');
    assert!(app.overlays.is_empty());
    assert!(status_text(&app).contains("reading seat"));
    assert_eq!(audit_rows(&app), before, "no audit row: nothing written");
}

#[test]
fn snapshots_of_the_filtered_panes_and_the_details() {
    let dir = private_dir();
    let mut app = challenges_app(dir.path(), Options::default());
    filter_challenges(&mut app, "GP", "", "");
    insta::assert_snapshot!("challenges_filtered_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("challenges_filtered_160x48", screen(&app, 160, 48));
    esc(&mut app);
    select_challenge(&mut app, "Why were Adult B's PNC caution");
    enter(&mut app);
    insta::assert_snapshot!("challenge_detail_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("challenge_detail_160x48", screen(&app, 160, 48));
    esc(&mut app);

    press(&mut app, '5');
    press(&mut app, 'f');
    typed(&mut app, "2");
    enter(&mut app);
    insta::assert_snapshot!("decisions_filtered_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("decisions_filtered_160x48", screen(&app, 160, 48));
    press(&mut app, 'G');
    enter(&mut app);
    insta::assert_snapshot!("decision_detail_80x24", screen(&app, 80, 24));
    insta::assert_snapshot!("decision_detail_160x48", screen(&app, 160, 48));
}
