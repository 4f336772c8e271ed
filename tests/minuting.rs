//! Live minuting as a secretary does it: keys into the minutes input, rows checked in the
//! database after each Enter, the screen drawn by the real code.

mod common;

use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dhr_panel::app::{App, Effect, Msg, Options, Overlay, Pane, Place};
use dhr_panel::domain::minuting::MinuteLine;
use dhr_panel::domain::model::{AttendanceStatus, MeetingStatus, MinuteKind};
use dhr_panel::store::StoreError;
use dhr_panel::store::minute_lines::{LineNames, LinePlace};

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

/// Types a line and presses Enter.
fn line(app: &mut App, text: &str) {
    typed(app, text);
    app.update(key(KeyCode::Enter));
}

/// The demo case with meeting 3 (in progress today) open for minuting.
fn minuting(dir: &std::path::Path) -> App {
    let mut app = demo_app(dir, Options::default());
    app.open_meeting_number(3).unwrap();
    assert_eq!(
        app.place(),
        Place::MinutesInput,
        "the input has the keyboard"
    );
    app
}

fn meeting_id(app: &App, number: i64) -> i64 {
    app.workspace
        .as_ref()
        .unwrap()
        .minutes
        .meetings
        .iter()
        .find(|m| m.meeting.number == number)
        .unwrap()
        .meeting
        .id
}

fn last_minute(app: &App) -> dhr_panel::domain::model::Minute {
    app.store()
        .minutes(meeting_id(app, 3))
        .unwrap()
        .pop()
        .unwrap()
}

fn input(app: &App) -> String {
    app.workspace
        .as_ref()
        .unwrap()
        .minutes
        .session
        .as_ref()
        .unwrap()
        .input_text()
}

#[test]
fn a_note_is_in_the_database_as_soon_as_enter_is_pressed() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    let before = app.store().minutes(meeting_id(&app, 3)).unwrap().len();
    line(
        &mut app,
        "The author presented the IMR; 14 contacts in scope.",
    );
    let minutes = app.store().minutes(meeting_id(&app, 3)).unwrap();
    assert_eq!(minutes.len(), before + 1);
    let m = minutes.last().unwrap();
    assert_eq!(
        m.text,
        "The author presented the IMR; 14 contacts in scope."
    );
    assert_eq!(m.kind, MinuteKind::Note);
    assert_eq!(
        m.minuted_at, "2026-11-26T10:00:00Z",
        "the time comes from the clock the app was given"
    );
    assert_eq!(input(&app), "", "the input is ready for the next line");
    assert!(screen(&app, 80, 24).contains("The author presented the IMR"));
}

#[test]
fn keys_that_are_commands_elsewhere_are_text_in_the_input() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    typed(&mut app, "q?1/7");
    assert_eq!(input(&app), "q?1/7");
    assert_eq!(app.workspace.as_ref().unwrap().pane, Pane::Minutes);
    assert_ne!(app.update(key(KeyCode::Char('q'))), Effect::Quit);
}

#[test]
fn decisions_actions_and_challenges_become_records_linked_to_their_lines() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    let case_id = app.workspace.as_ref().unwrap().case.id;
    line(
        &mut app,
        "/d Police to provide the MARAC referral form before meeting 4",
    );
    let m = last_minute(&app);
    assert_eq!(m.kind, MinuteKind::Decision);
    let (table, id) = m.record.clone().unwrap();
    assert_eq!(table, "decisions");
    let decision = app
        .store()
        .decisions(case_id)
        .unwrap()
        .into_iter()
        .find(|d| d.record.id == id)
        .unwrap();
    assert_eq!(
        decision.record.text,
        "Police to provide the MARAC referral form before meeting 4"
    );
    assert_eq!(decision.meeting_number, Some(3));

    // A known person's agency comes with them; the due date is the next 10 December.
    line(
        &mut app,
        "/a Fiona Blake, due 10 Dec: share the call logs of 02/01/2019",
    );
    let m = last_minute(&app);
    assert_eq!(
        m.text,
        "Fiona Blake (POLICE), due 10 Dec 2026: share the call logs of 02/01/2019"
    );
    let (_, id) = m.record.clone().unwrap();
    let action = app
        .store()
        .actions(case_id)
        .unwrap()
        .into_iter()
        .find(|a| a.record.id == id)
        .unwrap();
    assert_eq!(action.agency_code, "POLICE");
    assert_eq!(
        action.record.due_on,
        chrono::NaiveDate::from_ymd_opt(2026, 12, 10)
    );

    // An owner nobody knows is kept as a role, with the agency typed in brackets.
    line(&mut app, "/a Named GP (gp): review the records of Child C");
    let (_, id) = last_minute(&app).record.unwrap();
    let action = app
        .store()
        .actions(case_id)
        .unwrap()
        .into_iter()
        .find(|a| a.record.id == id)
        .unwrap();
    assert_eq!(
        (action.record.owner.as_str(), action.agency_code.as_str()),
        ("Named GP", "GP")
    );

    line(
        &mut app,
        "/c police: why was the DASH of 02/01/19 not reviewed after the second call?",
    );
    let (table, id) = last_minute(&app).record.unwrap();
    assert_eq!(table, "challenges");
    let c = app
        .store()
        .challenges(case_id)
        .unwrap()
        .into_iter()
        .find(|c| c.record.id == id)
        .unwrap();
    assert_eq!(c.agency_code, "POLICE");
    assert_eq!(c.record.status.code(), "open");

    // They show in their panes at once.
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Char('5')));
    assert!(screen(&app, 160, 48).contains("Police to provide the MARAC referral form"));
    app.update(key(KeyCode::Char('4')));
    assert!(screen(&app, 160, 48).contains("why was the DASH of 02/01/19"));
}

#[test]
fn an_unknown_agency_or_a_bad_date_keeps_the_line_and_writes_nothing() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    let audit = app.store().verify_audit().unwrap().rows;
    for bad in [
        "/c nobody: a question",
        "/a Fiona Blake, due 31/02/2027: x",
        "/decide something",
        "/present Someone New",
    ] {
        line(&mut app, bad);
        assert_eq!(input(&app), bad, "the line stays in the input");
        let shown = screen(&app, 120, 30);
        assert!(
            shown.lines().any(|l| l.contains(&"".to_string())),
            "{shown}"
        );
        assert_eq!(
            app.store().verify_audit().unwrap().rows,
            audit,
            "{bad}: nothing written"
        );
        for _ in 0..bad.chars().count() {
            app.update(key(KeyCode::Backspace));
        }
    }
    line(&mut app, "/c nobody: a question");
    assert!(screen(&app, 120, 30).contains("no agency \"nobody\" in this case"));
}

#[test]
fn attendance_and_declarations() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    let mid = meeting_id(&app, 3);
    let person = app
        .store()
        .attendance(mid)
        .unwrap()
        .into_iter()
        .find(|a| a.status != AttendanceStatus::Present)
        .unwrap();
    line(
        &mut app,
        &format!("/present {}", person.person.to_uppercase()),
    );
    let a = app
        .store()
        .attendance(mid)
        .unwrap()
        .into_iter()
        .find(|a| a.id == person.id)
        .unwrap();
    assert_eq!(
        a.status,
        AttendanceStatus::Present,
        "a name on the list matches in any letter case"
    );
    line(&mut app, "/present Sam Okoye, independent, Family advocate");
    let guest = app
        .store()
        .attendance(mid)
        .unwrap()
        .into_iter()
        .find(|a| a.person == "Sam Okoye")
        .unwrap();
    assert!(guest.guest && guest.agency_id.is_none());
    assert_eq!(guest.role, "Family advocate");
    line(&mut app, "/apologies Kate Rowe, housing");
    let kate = app
        .store()
        .attendance(mid)
        .unwrap()
        .into_iter()
        .find(|a| a.person == "Kate Rowe")
        .unwrap();
    assert_eq!(kate.status, AttendanceStatus::Apologies);
    line(
        &mut app,
        "/declare Sam Okoye: knew Adult A through a support group",
    );
    let d = app.store().declarations(mid).unwrap().pop().unwrap();
    assert_eq!(
        (d.person.as_str(), d.text.as_str()),
        ("Sam Okoye", "knew Adult A through a support group")
    );
}

#[test]
fn item_and_next_move_between_agenda_items() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    line(&mut app, "/item 2");
    line(&mut app, "A note under item 2");
    let m = last_minute(&app);
    let agenda = app.store().agenda(meeting_id(&app, 3)).unwrap();
    assert_eq!(
        agenda
            .iter()
            .find(|i| i.id == m.agenda_item_id)
            .unwrap()
            .position,
        2
    );
    line(&mut app, "/next");
    line(&mut app, "A note under item 3");
    let m = last_minute(&app);
    assert_eq!(
        agenda
            .iter()
            .find(|i| i.id == m.agenda_item_id)
            .unwrap()
            .position,
        3
    );
    line(&mut app, "/item 99");
    assert_eq!(input(&app), "/item 99");
}

#[test]
fn ctrl_j_makes_a_multi_line_minute_and_paste_normalises_line_breaks() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    typed(&mut app, "First line");
    app.update(ctrl('j'));
    typed(&mut app, "second line");
    app.update(key(KeyCode::Enter));
    assert_eq!(last_minute(&app).text, "First line\nsecond line");
    app.update(Msg::Paste("pasted\r\nover\rthree".into()));
    app.update(key(KeyCode::Enter));
    assert_eq!(last_minute(&app).text, "pasted\nover\nthree");
}

#[test]
fn undo_withdraws_the_last_line_and_its_record_and_corrections_change_both() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    let case_id = app.workspace.as_ref().unwrap().case.id;
    let decisions = app.store().decisions(case_id).unwrap().len();
    line(&mut app, "/d Ask the GP for the letter of 2015");
    line(&mut app, "s/2015/2014/");
    let m = last_minute(&app);
    assert_eq!(m.text, "Ask the GP for the letter of 2014");
    let (_, id) = m.record.clone().unwrap();
    let d = app
        .store()
        .decisions(case_id)
        .unwrap()
        .into_iter()
        .find(|d| d.record.id == id)
        .unwrap();
    assert_eq!(
        d.record.text, "Ask the GP for the letter of 2014",
        "the record is corrected too"
    );
    line(&mut app, "/undo");
    assert_eq!(
        app.store().decisions(case_id).unwrap().len(),
        decisions,
        "the decision is withdrawn"
    );
    assert_ne!(last_minute(&app).id, m.id, "the line is withdrawn");
    assert_eq!(
        app.store()
            .audit_of("decisions", id)
            .unwrap()
            .last()
            .unwrap()
            .action,
        "withdraw"
    );
    // "s/he was late" is a note, not a correction.
    line(&mut app, "s/he was late");
    assert_eq!(last_minute(&app).text, "s/he was late");
}

#[test]
fn undoing_a_present_puts_the_attendance_back() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    let mid = meeting_id(&app, 3);
    let person = app
        .store()
        .attendance(mid)
        .unwrap()
        .into_iter()
        .find(|a| a.status != AttendanceStatus::Present)
        .unwrap();
    line(&mut app, &format!("/present {}", person.person));
    let now = app
        .store()
        .attendance(mid)
        .unwrap()
        .into_iter()
        .find(|a| a.id == person.id)
        .unwrap()
        .status;
    assert_eq!(now, AttendanceStatus::Present);
    line(&mut app, "/undo");
    let after = app
        .store()
        .attendance(mid)
        .unwrap()
        .into_iter()
        .find(|a| a.id == person.id)
        .unwrap()
        .status;
    assert_eq!(after, person.status, "back to what it was");
}

#[test]
fn approving_closed_minutes_locks_them_with_a_fingerprint() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    line(&mut app, "/approve 2");
    let m2 = app.store().meeting(meeting_id(&app, 2)).unwrap().unwrap();
    assert_eq!(m2.status, MeetingStatus::Approved);
    assert_eq!(m2.fingerprint.len(), 64);
    assert_eq!(m2.approved_at_meeting_id, Some(meeting_id(&app, 3)));
    // Locked: lines of meeting 2 can no longer be edited.
    app.open_meeting_number(2).unwrap();
    assert_eq!(
        app.place(),
        Place::Minuting,
        "an approved meeting opens without the input"
    );
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Char('e')));
    assert!(app.overlays.is_empty());
    assert!(screen(&app, 120, 30).contains("approved and locked"));
    // Approving an open meeting, or one not earlier, is refused.
    app.open_meeting_number(3).unwrap();
    line(&mut app, "/approve 3");
    assert_eq!(input(&app), "/approve 3");
    assert!(screen(&app, 120, 30).contains("approved at a later meeting"));
}

#[test]
fn amendments_to_approved_minutes_record_who_and_what() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    line(
        &mut app,
        "/amend 1: item 7 should read 'the police asked for more time'",
    );
    let amendments = app.store().amendments(meeting_id(&app, 1)).unwrap();
    assert_eq!(amendments.len(), 1);
    assert_eq!(
        amendments[0].text,
        "item 7 should read 'the police asked for more time'"
    );
    assert_eq!(amendments[0].made_at_meeting_number, Some(3));
    assert_eq!(amendments[0].made_by, dhr_panel::store::audit::login_name());
    line(&mut app, "/amend 2: not yet approved");
    assert!(screen(&app, 120, 30).contains("amendments are for approved minutes"));
}

#[test]
fn the_text_being_typed_is_kept_as_a_draft_and_offered_back() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    typed(&mut app, "Half a sentence about the");
    assert!(app.draft_pending());
    app.update(Msg::SaveDrafts);
    assert!(!app.draft_pending());
    let place = format!("meeting:{}", meeting_id(&app, 3));
    // Kept in this seat's private file, not in the shared database.
    assert_eq!(app.store().draft(&place).unwrap(), None);
    let file = app.seat.files.own_file();
    let kept = std::fs::read_to_string(&file).unwrap();
    assert!(kept.contains("Half a sentence about the"), "{kept}");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    typed(&mut app, " IMR");
    assert_eq!(app.update(Msg::Shutdown), Effect::Quit);
    drop(app);
    // The next start offers it back in the input.
    let store = dhr_panel::store::Store::open(
        &db_in(dir.path()),
        dhr_panel::store::OpenMode::Existing,
        clock(),
    )
    .unwrap();
    let mut again = App::new(store, Options::default(), Some("DEMO-1")).unwrap();
    again.open_meeting_number(3).unwrap();
    assert_eq!(input(&again), "Half a sentence about the IMR");
    assert!(screen(&again, 120, 30).contains("is back in the input"));
    // Committed, the draft is gone (and the seat's file with it, nothing left in it).
    again.update(key(KeyCode::Enter));
    assert!(again.seat.drafts.is_empty());
    assert!(!file.exists());
}

#[test]
fn planning_starting_and_closing_a_meeting() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.update(key(KeyCode::Char('7')));
    app.update(key(KeyCode::Char('n')));
    app.update(key(KeyCode::Tab));
    typed(&mut app, "18/03/2027");
    app.update(ctrl('o'));
    let ws = app.workspace.as_ref().unwrap();
    let m5 = ws
        .minutes
        .meetings
        .iter()
        .find(|m| m.meeting.number == 5)
        .expect("meeting 5 planned")
        .meeting
        .clone();
    assert_eq!(m5.status, MeetingStatus::Planned);
    let agenda = app.store().agenda(m5.id).unwrap();
    assert!(
        agenda
            .iter()
            .any(|i| i.title.contains("Minutes of the last meeting")),
        "the standard later agenda"
    );
    let attendance = app.store().attendance(m5.id).unwrap();
    assert!(
        !attendance.is_empty()
            && attendance
                .iter()
                .all(|a| a.status == AttendanceStatus::Absent)
    );
    // Meeting 3 closes; then it can be approved from the list at a later meeting.
    app.update(key(KeyCode::Home));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Char('c')));
    // Closing asks first.
    app.update(key(KeyCode::Char('y')));
    assert_eq!(
        app.store()
            .meeting(meeting_id(&app, 3))
            .unwrap()
            .unwrap()
            .status,
        MeetingStatus::Closed
    );
}

#[test]
fn the_minuting_view_at_80x24_and_160x48() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    line(
        &mut app,
        "/d Extend the review period back to 01/01/2015 for police records",
    );
    typed(&mut app, "/c police: why was the DASH not reviewed");
    let shown = screen(&app, 80, 24);
    insta::assert_snapshot!("minuting_80x24", shown);
    assert!(shown.contains("DECISION Extend the review period"));
    let wide = screen(&app, 160, 48);
    insta::assert_snapshot!("minuting_160x48", wide);
    assert!(
        wide.contains("Agencies: 11"),
        "the agencies board stays beside the minutes"
    );
}

#[test]
fn a_reading_seat_cannot_minute() {
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
    app.open_meeting_number(3).unwrap();
    assert_eq!(app.place(), Place::Minuting, "no input in a reading seat");
    app.update(key(KeyCode::Char('i')));
    assert_eq!(app.place(), Place::Minuting);
    assert!(screen(&app, 80, 24).contains("reading seat"));
}

#[test]
fn a_reading_seat_exports_and_says_the_export_is_not_in_the_register() {
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
    app.update(key(KeyCode::Char('7')));
    app.update(key(KeyCode::Home));
    app.update(key(KeyCode::Char('x')));
    app.update(key(KeyCode::Enter));
    app.update(ctrl('o'));
    let shown = screen(&app, 120, 30);
    assert!(shown.contains("Exported"), "{shown}");
    assert!(
        shown.contains("not in the export register (read-only seat)"),
        "{shown}"
    );
    let text = std::fs::read_to_string(dir.path().join("DEMO-1-meeting-1-minutes.md")).unwrap();
    assert!(text.contains("This copy is not in the export register (read-only seat)."));
}

#[test]
fn the_action_log_item_lists_open_and_carried_actions_from_earlier_meetings() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    line(&mut app, "/item 4");
    // Tall enough that the review and the item's lines fit without scrolling.
    let shown = screen(&app, 120, 60);
    assert!(
        shown.contains("Open and carried-forward actions from earlier meetings"),
        "{shown}"
    );
    assert!(shown.contains("carried forward"), "{shown}");
    assert!(
        shown.contains("! Gareth Pryce"),
        "an overdue one is marked: {shown}"
    );
}

#[test]
fn help_in_the_minutes_lists_the_grammar_and_scrolls() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Char('?')));
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("Keys: minutes of a meeting"), "{shown}");
    // The grammar is read as help scrolls (a long key stands on its own row).
    let mut seen = shown.clone();
    for _ in 0..40 {
        app.update(key(KeyCode::Down));
        seen.push_str(&screen(&app, 80, 24));
    }
    let scrolled = screen(&app, 80, 24);
    assert!(seen.contains("/challenge AGENCY: QUESTION"), "{seen}");
    assert!(scrolled.contains("s/old/new/"), "{scrolled}");
}

#[test]
fn minutes_and_the_case_pack_export_from_the_workspace_beside_the_database() {
    use std::os::unix::fs::PermissionsExt;
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.update(key(KeyCode::Char('7')));
    app.update(key(KeyCode::Home));
    app.update(key(KeyCode::Down)); // meeting 2, closed: its minutes are a draft
    app.update(key(KeyCode::Char('x')));
    app.update(key(KeyCode::Enter)); // minutes, for the panel
    app.update(ctrl('o'));
    let shown = screen(&app, 120, 30);
    assert!(shown.contains("Exported"), "{shown}");
    let file = dir.path().join("DEMO-1-meeting-2-minutes.md");
    let text = std::fs::read_to_string(&file).unwrap();
    // The metadata block for pandoc, then the body, whose first line is the marking.
    let body = text
        .split_once("\n---\n\n")
        .map_or(text.as_str(), |(_, b)| b);
    assert!(text.starts_with("---\ntitle: "), "{}", &text[..60]);
    assert!(
        body.starts_with("**OFFICIAL-SENSITIVE**"),
        "{}",
        &body[..60]
    );
    assert!(text.contains("DRAFT"));
    // Registered once, as written.
    let case_id = app.workspace.as_ref().unwrap().case.id;
    let register = app.store().export_register(case_id).unwrap();
    assert_eq!(register.len(), 1, "{register:?}");
    assert_eq!(register[0].record.file_name, "DEMO-1-meeting-2-minutes.md");
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    app.update(key(KeyCode::Esc));

    // The anonymised case pack from the case view: written, or refused with the places.
    app.update(key(KeyCode::Char('0')));
    app.update(key(KeyCode::Char('m')));
    app.update(key(KeyCode::Down));
    app.update(key(KeyCode::Enter));
    app.update(ctrl('o'));
    let shown = screen(&app, 120, 30);
    let pack = dir.path().join("DEMO-1-case-pack-anonymised.md");
    if shown.contains("Exported") {
        assert_eq!(app.store().export_register(case_id).unwrap().len(), 2);
        // The case view lists it.
        app.update(key(KeyCode::Esc));
        app.update(key(KeyCode::Char('0')));
        let view = screen(&app, 160, 48);
        assert!(view.contains("Case pack · md · anonymised"), "{view}");
        let text = std::fs::read_to_string(&pack).unwrap();
        assert!(
            !text.contains("Rebecca Thornley") && !text.contains("Thornley"),
            "no real name"
        );
    } else {
        assert!(shown.contains("refused by the leak scan"), "{shown}");
        assert!(!pack.exists(), "a refused export leaves no file");
        assert_eq!(
            app.store().export_register(case_id).unwrap().len(),
            1,
            "a refused export is not registered"
        );
    }
}

/// What a committed line may change, as the workspace holds it.
fn lists(ws: &dhr_panel::app::Workspace) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        ws.decisions.all,
        ws.actions.actions,
        ws.challenges.all,
        ws.agencies.all,
        ws.minutes.meetings,
        ws.minutes.agenda,
        ws.minutes.minutes
    )
}

#[test]
fn after_each_committed_line_the_lists_are_as_a_fresh_read_would_have_them() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    for text in [
        "A note for the minutes.",
        "/d Extend the review period",
        "/a Fiona Blake: share the call logs",
        "/c police: why was the DASH not reviewed",
        "s/DASH/DASH form/",
        "/undo",
        "/undo",
        "/present Fiona Blake",
        "/approve 2",
        "/undo",
        "/next",
    ] {
        line(&mut app, text);
        assert_eq!(input(&app), "", "{text} was saved");
        let ws = app.workspace.as_ref().unwrap();
        let fresh = dhr_panel::app::Workspace::load(app.store(), ws.case.id, app.today).unwrap();
        assert_eq!(lists(ws), lists(&fresh), "after {text}");
    }
}

/// The export chooser carries the meeting and the kind of each option: a meeting numbered
/// past 10 000 once came back as the pre-meeting pack of another meeting, unscanned, under
/// the anonymised minutes' file name.
#[test]
fn a_meeting_numbered_10001_exports_its_own_anonymised_minutes_from_the_workspace() {
    use dhr_panel::domain::model::Meeting;
    use dhr_panel::export::{ExportKind, ExportOptions, export};
    use dhr_panel::store::minute_lines::MeetingPlan;
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let case = store.case_by_reference("DEMO-1").unwrap().unwrap();
    let id = store
        .plan_meeting(&MeetingPlan {
            meeting: Meeting {
                id: 0,
                case_id: case.id,
                number: 10_001,
                date: today(),
                start_time: "14:00".into(),
                end_time: String::new(),
                place: "Room 10001".into(),
                chair: String::new(),
                minute_taker: String::new(),
                status: MeetingStatus::Planned,
                approved_at_meeting_id: None,
                fingerprint: String::new(),
            },
            agenda: vec!["The only item".into()],
            members: Vec::new(),
        })
        .unwrap();
    let item = store.agenda(id).unwrap()[0].id;
    store
        .commit_minute_line(
            &LinePlace {
                meeting_id: id,
                item_id: item,
                minuted_at: "2026-11-26T14:05:00Z".into(),
                seat: None,
                key: None,
            },
            MinuteLine::Note("A line only meeting ten thousand and one has.".into()),
            LineNames::default(),
        )
        .unwrap();
    let mut app = App::new(store, Options::default(), Some("DEMO-1")).unwrap();
    app.update(key(KeyCode::Char('7')));
    app.update(key(KeyCode::Char('/')));
    typed(&mut app, "10001");
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Char('x')));
    app.update(key(KeyCode::Down)); // the minutes, anonymised
    app.update(key(KeyCode::Enter));
    app.update(ctrl('o'));
    let shown = screen(&app, 120, 30);
    assert!(shown.contains("Exported"), "{shown}");
    let file = dir
        .path()
        .join("DEMO-1-meeting-10001-minutes-anonymised.md");
    let written = std::fs::read_to_string(&file).unwrap();
    let clock = dhr_panel::time::FixedClock::on(today());
    let anonymised = ExportOptions {
        anonymise: true,
        allow: Vec::new(),
        times: false,
        publication: false,
        characteristics: false,
    };
    let expected = export(
        app.store(),
        &case,
        ExportKind::Minutes { meeting: 10_001 },
        &anonymised,
        &clock,
    )
    .unwrap();
    // The export written was registered since: the one made now counts it (Draft 2) and
    // carries a longer chain. All else is the same.
    let settled = |md: &str| {
        md.lines()
            .filter(|l| {
                !l.starts_with("Audit trail when exported: ") && !l.starts_with("| Version |")
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(written.contains("| Version | Draft 1 |"));
    assert!(expected.markdown.contains("| Version | Draft 2 |"));
    assert_eq!(
        settled(&written),
        settled(&expected.markdown),
        "meeting 10001's anonymised minutes"
    );
    assert!(written.contains("A line only meeting ten thousand and one has."));
    let pack_of_1 = export(
        app.store(),
        &case,
        ExportKind::Agenda { meeting: 1 },
        &ExportOptions::default(),
        &clock,
    )
    .unwrap();
    assert_ne!(written, pack_of_1.markdown, "not the pack of meeting 1");
}

/// The id of the first agenda item of a meeting.
fn first_item(app: &App, number: i64) -> i64 {
    app.store().agenda(meeting_id(app, number)).unwrap()[0].id
}

/// Where a line for meeting `number` would go, as the minutes pane would ask.
fn place_in(app: &App, number: i64) -> LinePlace {
    let meeting_id = meeting_id(app, number);
    LinePlace {
        meeting_id,
        item_id: first_item(app, number),
        minuted_at: "2026-03-02T10:00:00Z".into(),
        seat: None,
        key: None,
    }
}

/// What a refused write must leave exactly as it was.
fn untouched(app: &App, number: i64) -> (u64, Vec<dhr_panel::domain::model::Minute>) {
    (
        app.store().verify_audit().unwrap().rows,
        app.store().minutes(meeting_id(app, number)).unwrap(),
    )
}

const LOCKED_2: &str = "the minutes of meeting 2 are approved and locked: record an amendment at a later meeting (/amend 2: …)";

#[test]
fn the_store_itself_refuses_a_minute_line_on_approved_minutes() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    line(&mut app, "/approve 2");
    let before = untouched(&app, 2);
    // A seat that still believes meeting 2 is open writes straight to the store: the
    // store reads the meeting inside its transaction and refuses.
    for attempt in [
        MinuteLine::Note("A line written after the approval.".into()),
        MinuteLine::Decision("A decision slipped in late.".into()),
        MinuteLine::Correct {
            old: "the".into(),
            new: "THE".into(),
            open: false,
        },
    ] {
        let place = place_in(&app, 2);
        let refused = app
            .store_mut()
            .commit_minute_line(&place, attempt, LineNames::default())
            .unwrap_err();
        assert!(
            matches!(&refused, StoreError::Rule(m) if m == LOCKED_2),
            "{refused}"
        );
        assert_eq!(untouched(&app, 2), before, "nothing was written");
    }
    let minute = before.1.last().unwrap().id;
    let refused = app
        .store_mut()
        .edit_minute(minute, "Edited late.")
        .unwrap_err();
    assert!(
        matches!(&refused, StoreError::Rule(m) if m == "These minutes are approved and locked.")
    );
    assert_eq!(untouched(&app, 2), before, "nothing was written");
    let m2 = app.store().meeting(meeting_id(&app, 2)).unwrap().unwrap();
    assert_eq!(m2.status, MeetingStatus::Approved);
}

#[test]
fn the_store_itself_refuses_an_undo_on_approved_minutes() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    line(&mut app, "/approve 2");
    let before = untouched(&app, 2);
    assert!(!before.1.is_empty(), "meeting 2 has lines to undo");
    let place = place_in(&app, 2);
    let refused = app
        .store_mut()
        .commit_minute_line(&place, MinuteLine::Undo, LineNames::default())
        .unwrap_err();
    assert!(
        matches!(&refused, StoreError::Rule(m) if m == LOCKED_2),
        "{refused}"
    );
    assert_eq!(untouched(&app, 2), before, "nothing was written");
    let m2 = meeting_id(&app, 2);
    let refused = app.store_mut().undo_minute_line(m2).unwrap_err();
    assert!(
        matches!(&refused, StoreError::Rule(m) if m == LOCKED_2),
        "{refused}"
    );
    assert_eq!(untouched(&app, 2), before, "nothing was written");
}

#[test]
fn undoing_an_approval_unlocks_the_minutes_it_approved_and_only_those() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    // A decision whose words merely look like an approval unlocks nothing when undone.
    line(&mut app, "/approve 2");
    line(
        &mut app,
        "/d The minutes of meeting 2 were approved as a true record.",
    );
    line(&mut app, "/undo");
    let m2 = app.store().meeting(meeting_id(&app, 2)).unwrap().unwrap();
    assert_eq!(m2.status, MeetingStatus::Approved, "still approved");
    // Undoing the approval itself unlocks meeting 2 and withdraws its decision.
    line(&mut app, "/undo");
    assert!(screen(&app, 120, 30).contains("Withdrawn"));
    let m2 = app.store().meeting(meeting_id(&app, 2)).unwrap().unwrap();
    assert_eq!(m2.status, MeetingStatus::Closed);
    assert_eq!(m2.approved_at_meeting_id, None);
    assert_eq!(m2.fingerprint, "");
    let decisions = app
        .store()
        .decisions(app.workspace.as_ref().unwrap().case.id)
        .unwrap();
    assert!(
        !decisions
            .iter()
            .any(|d| d.record.text.starts_with("The minutes of meeting 2")),
        "the approval's decision is withdrawn"
    );
    assert!(app.store().verify_audit().unwrap().first_break.is_none());
}

#[test]
fn the_workspace_asks_before_an_export_replaces_an_existing_file() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    let file = dir.path().join("DEMO-1-meeting-2-minutes.md");
    std::fs::write(&file, "the secretary's own notes\n").unwrap();
    let open_export = |app: &mut App| {
        app.update(key(KeyCode::Char('7')));
        app.update(key(KeyCode::Home));
        app.update(key(KeyCode::Down)); // meeting 2
        app.update(key(KeyCode::Char('x')));
        app.update(key(KeyCode::Enter)); // minutes, for the panel
        app.update(ctrl('o'));
    };
    open_export(&mut app);
    let shown = screen(&app, 120, 30);
    assert!(shown.contains("Replace the file?"), "{shown}");
    assert!(shown.contains("already exists (26 bytes)"), "{shown}");
    // No: the file is kept, and the form comes back with the name typed.
    app.update(key(KeyCode::Char('n')));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "the secretary's own notes\n"
    );
    let form = app
        .overlays
        .top()
        .and_then(Overlay::form)
        .expect("the export form is back");
    assert_eq!(
        form.field("Write to").unwrap().value(),
        file.display().to_string()
    );
    assert!(status_or_message(&app).contains("the file was kept"));
    // Yes: written over it.
    app.update(ctrl('o'));
    assert!(screen(&app, 120, 30).contains("Replace the file?"));
    app.update(key(KeyCode::Char('y')));
    assert!(screen(&app, 120, 30).contains("Exported"));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("OFFICIAL-SENSITIVE") && text.contains("DRAFT"),
        "{text}"
    );
}

#[test]
fn the_action_log_of_a_meeting_is_exported_from_the_workspace_and_registered() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.update(key(KeyCode::Char('7')));
    app.update(key(KeyCode::Home));
    app.update(key(KeyCode::Down)); // meeting 2
    app.update(key(KeyCode::Char('x')));
    let shown = screen(&app, 120, 30);
    assert!(
        shown.contains("Action log of meeting 2, by agency (Markdown)"),
        "{shown}"
    );
    for _ in 0..4 {
        app.update(key(KeyCode::Down));
    }
    app.update(key(KeyCode::Enter));
    let shown = screen(&app, 120, 30);
    assert!(
        shown.contains("Export the action log (Markdown)"),
        "{shown}"
    );
    app.update(ctrl('o'));
    assert!(screen(&app, 120, 30).contains("Exported"));
    let file = dir.path().join("DEMO-1-meeting-2-action-log.md");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("# Action log"), "{text}");
    // Only what meeting 2 raised: the GP's written answers were asked for there.
    assert!(text.contains("Send written answers"), "{text}");
    let case_id = app.workspace.as_ref().unwrap().case.id;
    assert_eq!(app.store().export_register(case_id).unwrap().len(), 1);
}

#[test]
fn the_workspace_exports_word_as_well_as_markdown() {
    let dir = private_dir();
    let mut app = demo_app(dir.path(), Options::default());
    app.update(key(KeyCode::Char('7')));
    app.update(key(KeyCode::Home));
    app.update(key(KeyCode::Down)); // meeting 2
    app.update(key(KeyCode::Char('x')));
    let shown = screen(&app, 120, 30);
    assert!(
        shown.contains("Minutes of meeting 2, for the panel (Markdown)")
            && shown.contains("Minutes of meeting 2, for the panel (Word)")
            && shown.contains("Pre-meeting pack for meeting 2 (Word)"),
        "{shown}"
    );
    // Past the five Markdown entries (panel, anonymised, for publication, pack, action log).
    for _ in 0..5 {
        app.update(key(KeyCode::Down));
    }
    app.update(key(KeyCode::Enter)); // the minutes, for the panel, as Word
    let shown = screen(&app, 120, 30);
    assert!(shown.contains("meeting 2 (Word)"), "{shown}");
    let file = dir.path().join("DEMO-1-meeting-2-minutes.docx");
    assert!(shown.contains("DEMO-1-meeting-2-minutes.docx"), "{shown}");
    app.update(ctrl('o'));
    assert!(screen(&app, 120, 30).contains("Exported"));
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"), "a Word file (a zip)");
    let text = dhr_panel::export::docx::visible_text(&bytes).unwrap();
    assert!(
        text.contains("OFFICIAL-SENSITIVE\n") && text.contains("Page 1 of 1"),
        "{text}"
    );
}

/// The form's message, else the status line.
fn status_or_message(app: &App) -> String {
    app.overlays
        .top()
        .and_then(Overlay::form)
        .and_then(|f| f.message.clone())
        .or_else(|| app.status.as_ref().map(|s| s.text.clone()))
        .unwrap_or_default()
}

/// The demo case with a police member "DI Sarah Mensah" added after meeting 3 was
/// planned (so she is on the panel, not on meeting 3's list), meeting 3 open for minuting.
fn minuting_with_mensah(dir: &std::path::Path) -> App {
    let mut store = demo_store(dir);
    let case = store.cases().unwrap().into_iter().next().unwrap();
    let police = store
        .agencies(case.id)
        .unwrap()
        .into_iter()
        .find(|a| a.code == "POLICE")
        .unwrap();
    store
        .add_panel_member(&dhr_panel::domain::model::PanelMember {
            id: 0,
            agency_id: police.id,
            name: "DI Sarah Mensah".into(),
            role: "Detective Inspector".into(),
            deputy: String::new(),
            login: String::new(),
        })
        .unwrap();
    let mut app = App::new(store, Options::default(), Some("DEMO-1")).unwrap();
    app.open_meeting_number(3).unwrap();
    app
}

fn attendee(app: &App, name: &str) -> Option<dhr_panel::domain::model::Attendance> {
    app.store()
        .attendance(meeting_id(app, 3))
        .unwrap()
        .into_iter()
        .find(|a| a.person == name)
}

fn message(app: &App) -> String {
    app.workspace
        .as_ref()
        .unwrap()
        .minutes
        .session
        .as_ref()
        .unwrap()
        .message
        .clone()
        .map(|(m, _)| m)
        .unwrap_or_default()
}

fn minutes_export(app: &App, number: i64) -> String {
    let case = app.workspace.as_ref().unwrap().case.clone();
    dhr_panel::export::export(
        app.store(),
        &case,
        dhr_panel::export::ExportKind::Minutes { meeting: number },
        &dhr_panel::export::ExportOptions::default(),
        &*clock(),
    )
    .unwrap()
    .markdown
}

fn count_lines(app: &App) -> usize {
    app.store().minutes(meeting_id(app, 3)).unwrap().len()
}

#[test]
fn a_member_named_without_their_rank_is_the_member_not_a_guest() {
    let dir = private_dir();
    let mut app = minuting_with_mensah(dir.path());
    let people = app.store().attendance(meeting_id(&app, 3)).unwrap().len();
    line(&mut app, "/present Sarah Mensah");
    assert_eq!(input(&app), "", "accepted: {}", message(&app));
    let all = app.store().attendance(meeting_id(&app, 3)).unwrap();
    assert_eq!(all.len(), people + 1, "one row, not a guest and a member");
    let sarah = attendee(&app, "DI Sarah Mensah").expect("the member by her full name");
    assert!(!sarah.guest);
    assert_eq!(sarah.status, AttendanceStatus::Present);
    assert_eq!(sarah.role, "Detective Inspector");
    assert!(attendee(&app, "Sarah Mensah").is_none(), "no second person");
    assert_eq!(last_minute(&app).text, "DI Sarah Mensah (POLICE) present");
    // The exported minutes show her present, and nowhere else.
    let text = minutes_export(&app, 3);
    let rows: Vec<&str> = text.lines().filter(|l| l.contains("Mensah")).collect();
    assert_eq!(rows.len(), 1, "one row of the attendance table: {text}");
    assert!(rows[0].starts_with("| DI Sarah Mensah |"), "{}", rows[0]);
    assert!(rows[0].trim_end().ends_with("| Present |"), "{}", rows[0]);
    // Named again (any case, another title): a duplicate, on the list already.
    line(&mut app, "/present ms sarah mensah");
    assert!(
        message(&app).contains("already present"),
        "{}",
        message(&app)
    );
}

#[test]
fn the_case_chair_and_author_need_no_agency_and_other_organisations_are_kept() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    // Meeting 3 of the demo lists the chair; the case's author is on the panel's side.
    let mid = meeting_id(&app, 3);
    let before = app.store().attendance(mid).unwrap();
    let chair = app.workspace.as_ref().unwrap().case.chair.clone();
    line(&mut app, &format!("/present {}", chair.to_lowercase()));
    assert_eq!(input(&app), "", "{}", message(&app));
    assert_eq!(
        app.store().attendance(mid).unwrap().len(),
        before.len(),
        "the chair is not a new person"
    );
    // The example, verbatim: an organisation that is not an agency of the case.
    line(
        &mut app,
        "/present Jo Bloggs, Northgate CSP, Panel Secretary",
    );
    assert_eq!(input(&app), "", "accepted: {}", message(&app));
    let jo = attendee(&app, "Jo Bloggs").unwrap();
    assert!(jo.guest);
    assert_eq!(jo.agency_id, None);
    assert_eq!(jo.organisation, "Northgate CSP");
    assert_eq!(jo.role, "Panel Secretary");
    assert_eq!(jo.status, AttendanceStatus::Present);
    assert_eq!(last_minute(&app).text, "Jo Bloggs (Northgate CSP) present");
    // "Name (Agency)", and a comma inside the brackets is not a separator.
    line(&mut app, "/present Ann Lee (Harbour, Family Advocacy)");
    assert_eq!(input(&app), "", "{}", message(&app));
    let ann = attendee(&app, "Ann Lee").unwrap();
    assert_eq!(ann.organisation, "Harbour, Family Advocacy");
    line(&mut app, "/present Tom Reed (housing)");
    let tom = attendee(&app, "Tom Reed").unwrap();
    assert!(tom.agency_id.is_some(), "an agency of the case by its code");
    assert_eq!(tom.organisation, "");
    let text = minutes_export(&app, 3);
    assert!(text.contains("Northgate CSP"), "{text}");
}

#[test]
fn the_overview_author_off_the_list_is_added_as_the_author() {
    let dir = private_dir();
    let mut store = demo_store(dir.path());
    let case = store.cases().unwrap().into_iter().next().unwrap();
    let details = dhr_panel::store::cases::CaseDetails {
        reference: case.reference.clone(),
        kind: case.kind,
        title: case.title.clone(),
        partnership: case.partnership.clone(),
        marking: case.marking.clone(),
        handling: case.handling.clone(),
        chair: case.chair.clone(),
        overview_author: "Prof Ian Cole".into(),
        coordinator: case.coordinator.clone(),
        chair_login: case.chair_login.clone(),
        overview_author_login: case.overview_author_login.clone(),
        coordinator_login: case.coordinator_login.clone(),
        date_of_death: case.date_of_death,
        notified_on: case.notified_on,
        decision_on: case.decision_on,
        home_office_notified_on: case.home_office_notified_on,
        period_from: case.period_from,
        period_to: case.period_to,
    };
    store.save_case_details(case.id, &details).unwrap();
    let mut app = App::new(store, Options::default(), Some("DEMO-1")).unwrap();
    app.open_meeting_number(3).unwrap();
    line(&mut app, "/present Ian Cole");
    assert_eq!(input(&app), "", "{}", message(&app));
    let ian = attendee(&app, "Prof Ian Cole").unwrap();
    assert!(!ian.guest);
    assert_eq!(ian.role, "Overview author");
}

#[test]
fn an_ambiguous_name_lists_the_candidates_and_writes_nothing() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    let lines = count_lines(&app);
    // Two people on the demo's list share a first or last name? Use two guests.
    line(&mut app, "/present Jo Hart, independent");
    line(&mut app, "/present Ben Hart, independent");
    line(&mut app, "/present Hart");
    assert_eq!(input(&app), "/present Hart", "the line stays");
    let shown = message(&app);
    assert!(
        shown.contains("Jo Hart") && shown.contains("Ben Hart"),
        "{shown}"
    );
    assert!(shown.contains("could be"), "{shown}");
    assert_eq!(count_lines(&app), lines + 2);
}

#[test]
fn a_late_arrival_moves_from_apologies_to_present_and_undo_moves_back() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    line(&mut app, "/apologies Kate Rowe, housing");
    assert_eq!(
        attendee(&app, "Kate Rowe").unwrap().status,
        AttendanceStatus::Apologies
    );
    line(&mut app, "/present Kate Rowe");
    assert!(
        message(&app).contains("arrived late: moved from apologies to present"),
        "{}",
        message(&app)
    );
    assert!(screen(&app, 160, 48).contains("arrived late"));
    assert_eq!(
        attendee(&app, "Kate Rowe").unwrap().status,
        AttendanceStatus::Present
    );
    line(&mut app, "/undo");
    let kate = attendee(&app, "Kate Rowe").expect("still on the list");
    assert_eq!(
        kate.status,
        AttendanceStatus::Apologies,
        "exactly as before"
    );
    assert_eq!(last_minute(&app).text, "Apologies from Kate Rowe (HOUSING)");
}

#[test]
fn undo_after_a_duplicate_present_keeps_the_person_present() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    line(&mut app, "/present Sam Okoye, independent, Family advocate");
    let first = last_minute(&app);
    let lines = count_lines(&app);
    line(&mut app, "/present Sam Okoye");
    assert!(
        message(&app).contains("already present: nothing changed"),
        "{}",
        message(&app)
    );
    assert_eq!(count_lines(&app), lines + 1, "the duplicate line is kept");
    assert_eq!(
        app.store()
            .attendance(meeting_id(&app, 3))
            .unwrap()
            .iter()
            .filter(|a| a.person == "Sam Okoye")
            .count(),
        1
    );
    line(&mut app, "/undo");
    let sam = attendee(&app, "Sam Okoye").expect("still on the list");
    assert_eq!(sam.status, AttendanceStatus::Present);
    assert_eq!(count_lines(&app), lines, "only the duplicate line went");
    assert_eq!(last_minute(&app).id, first.id);
    // A member on the planned list: present, a duplicate, undo the duplicate.
    let mid = meeting_id(&app, 3);
    let member = app
        .store()
        .attendance(mid)
        .unwrap()
        .into_iter()
        .find(|a| a.status == AttendanceStatus::Absent && !a.guest)
        .unwrap();
    line(&mut app, &format!("/present {}", member.person));
    line(&mut app, &format!("/present {}", member.person));
    line(&mut app, "/undo");
    assert_eq!(
        attendee(&app, &member.person).unwrap().status,
        AttendanceStatus::Present
    );
    line(&mut app, "/undo");
    assert_eq!(
        attendee(&app, &member.person).unwrap().status,
        AttendanceStatus::Absent,
        "undoing the first line puts back what was before it"
    );
}

#[test]
fn left_records_an_early_departure_with_the_time() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    line(&mut app, "/present Sam Okoye, independent");
    line(&mut app, "/left sam okoye");
    assert_eq!(input(&app), "", "{}", message(&app));
    let sam = attendee(&app, "Sam Okoye").unwrap();
    assert_eq!(sam.status, AttendanceStatus::Present);
    assert_eq!(sam.left_at, "10:00", "the clock the app was given");
    assert_eq!(last_minute(&app).text, "Sam Okoye left at 10:00");
    assert!(screen(&app, 160, 48).contains("Sam Okoye left at 10:00"));
    line(&mut app, "/left Sam Okoye");
    assert!(
        message(&app).contains("already recorded as leaving"),
        "{}",
        message(&app)
    );
    for _ in 0.."/left Sam Okoye".len() {
        app.update(key(KeyCode::Backspace));
    }
    line(&mut app, "/undo");
    assert_eq!(attendee(&app, "Sam Okoye").unwrap().left_at, "");
    line(&mut app, "/left Nobody Known");
    assert!(
        message(&app).contains("not on this meeting's list"),
        "{}",
        message(&app)
    );
}

#[test]
fn an_open_correction_needs_its_text_in_the_last_line() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    line(&mut app, "The author presented the IMR.");
    let lines = count_lines(&app);
    // The example: refused and not saved.
    line(&mut app, "s/zzz/yyy");
    assert_eq!(count_lines(&app), lines, "not saved as a minute");
    assert_eq!(last_minute(&app).text, "The author presented the IMR.");
    let shown = screen(&app, 160, 48);
    assert!(shown.contains("no \"zzz\" in your last line"), "{shown}");
    assert!(message(&app).contains("write //s/"), "{}", message(&app));
    for _ in 0.."s/zzz/yyy".len() {
        app.update(key(KeyCode::Backspace));
    }
    line(&mut app, "s/IMR/report");
    assert_eq!(last_minute(&app).text, "The author presented the report.");
    assert_eq!(count_lines(&app), lines);
    line(&mut app, "//s/zzz/yyy");
    assert_eq!(last_minute(&app).text, "/s/zzz/yyy".replacen('/', "", 0));
}

#[test]
fn an_unknown_command_suggests_the_nearest() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    line(&mut app, "/desicion extend the review");
    assert!(
        message(&app).starts_with("unknown command /desicion: did you mean /decision?"),
        "{}",
        message(&app)
    );
    assert_eq!(input(&app), "/desicion extend the review");
}

#[test]
fn tab_completes_commands_names_and_agencies() {
    let dir = private_dir();
    let mut app = minuting_with_mensah(dir.path());
    typed(&mut app, "/dec");
    app.update(key(KeyCode::Tab));
    assert_eq!(input(&app), "/decision ");
    assert!(message(&app).contains("/declare"), "{}", message(&app));
    app.update(key(KeyCode::Tab));
    assert_eq!(input(&app), "/declare ", "Tab again: the next");
    for _ in 0.."/declare ".len() {
        app.update(key(KeyCode::Backspace));
    }
    typed(&mut app, "/pre");
    app.update(key(KeyCode::Tab));
    typed(&mut app, "Sarah M");
    app.update(key(KeyCode::Tab));
    assert_eq!(input(&app), "/present DI Sarah Mensah");
    app.update(key(KeyCode::Enter));
    assert_eq!(
        attendee(&app, "DI Sarah Mensah").unwrap().status,
        AttendanceStatus::Present
    );
    typed(&mut app, "/c pol");
    app.update(key(KeyCode::Tab));
    assert_eq!(input(&app), "/c POLICE", "an agency's code");
    for _ in 0.."/c POLICE".len() {
        app.update(key(KeyCode::Backspace));
    }
    typed(&mut app, "/c northgate");
    app.update(key(KeyCode::Tab));
    assert_eq!(input(&app), "/c Northgate Police");
    let shown = screen(&app, 160, 48);
    assert!(shown.contains("Tab 1/"), "several: listed\n{shown}");
    app.update(key(KeyCode::Tab));
    assert!(input(&app).starts_with("/c Northgate "), "{}", input(&app));
    assert_ne!(input(&app), "/c Northgate Police", "the next agency");
}

#[test]
fn next_meeting_plans_the_next_meeting_from_the_minutes() {
    let dir = private_dir();
    let mut app = minuting(dir.path());
    let before: Vec<i64> = app
        .workspace
        .as_ref()
        .unwrap()
        .minutes
        .meetings
        .iter()
        .map(|m| m.meeting.number)
        .collect();
    let next = before.iter().max().unwrap() + 1;
    line(&mut app, "/next-meeting 13/01/2027 14:00 Town Hall");
    assert_eq!(input(&app), "", "{}", message(&app));
    assert!(
        message(&app).contains(&format!(
            "Planned meeting {next}: Wed 13 Jan 2027 at 14:00, Town Hall"
        )),
        "{}",
        message(&app)
    );
    let planned = app
        .store()
        .meeting(meeting_id(&app, next))
        .unwrap()
        .unwrap();
    assert_eq!(planned.status, MeetingStatus::Planned);
    assert_eq!(planned.start_time, "14:00");
    assert_eq!(planned.place, "Town Hall");
    let agenda = app.store().agenda(planned.id).unwrap();
    assert_eq!(agenda[0].title, "Welcome, introductions and apologies");
    assert_eq!(agenda.len(), 8, "the standard agenda of a later meeting");
    assert!(
        last_minute(&app)
            .text
            .starts_with(&format!("Next meeting: meeting {next} on Wed 13 Jan 2027")),
        "{}",
        last_minute(&app).text
    );
    // The same date again: refused, nothing planned.
    line(&mut app, "/next-meeting 13 Jan 2027");
    assert!(
        message(&app).contains(&format!(
            "meeting {next} is already planned on Wed 13 Jan 2027"
        )),
        "{}",
        message(&app)
    );
    assert!(
        app.workspace
            .as_ref()
            .unwrap()
            .minutes
            .meetings
            .iter()
            .all(|m| m.meeting.number <= next)
    );
}

#[test]
fn the_help_of_the_input_lists_the_new_commands() {
    let text: Vec<String> = dhr_panel::app::panes::minutes::INPUT
        .iter()
        .map(|b| format!("{b:?}"))
        .collect();
    let text = text.join("\n");
    for needed in ["/left NAME", "/next-meeting DATE [TIME] [PLACE]", "Tab"] {
        assert!(text.contains(needed), "{needed}: {text}");
    }
}

#[test]
fn a_declaration_and_an_action_name_the_member_as_attendance_does() {
    let dir = private_dir();
    let mut app = minuting_with_mensah(dir.path());
    line(
        &mut app,
        "/declare Sarah Mensah: she knew Adult B through work",
    );
    assert_eq!(input(&app), "", "{}", message(&app));
    let declared = app.store().declarations(meeting_id(&app, 3)).unwrap();
    assert!(
        declared
            .iter()
            .any(|d| d.person == "DI Sarah Mensah" && d.text.contains("knew Adult B")),
        "{declared:?}"
    );
    line(
        &mut app,
        "/a mensah, due 10 Dec: ask for the custody record",
    );
    assert_eq!(input(&app), "", "{}", message(&app));
    let case_id = app.workspace.as_ref().unwrap().case.id;
    let actions = app.store().actions(case_id).unwrap();
    let action = actions
        .iter()
        .find(|a| a.record.text.contains("custody record"))
        .expect("the action");
    assert_eq!(action.record.owner, "DI Sarah Mensah");
}
