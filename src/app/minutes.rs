//! The Minutes pane: planning, starting and closing meetings, and live minuting — the
//! agenda, the minutes of the current item and an input whose every committed line is in
//! the database before the next key is read (SPEC §4.1, §6.4).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Style;
use ratatui_textarea::{TextArea, WrapMode};
use rusqlite::types::Value;

use super::form::{Field, Form};
use super::keys::{Binding, b, f};
use super::{App, Effect, Overlay, Pane};
use crate::domain::minuting::{MinuteLine, parse_minute};
use crate::domain::model::{
    Action, ActionStatus, AgendaItem, Attendance, AttendanceStatus, Challenge, ChallengeStatus,
    Decision, Declaration, Meeting, MeetingStatus, Minute, MinuteKind,
};
use crate::store::{Store, StoreError, Writer};

/// Keys of the meetings list.
pub const BINDINGS: &[Binding] = &[
    f(
        "Enter",
        "open the meeting's minutes (the input has the keyboard if it is in progress)",
        "Enter",
        "minutes",
    ),
    f("n", "plan a meeting, from the standard agenda", "n", "new"),
    b("s", "start the meeting (in progress)"),
    b("c", "close the meeting"),
    b(
        "A",
        "approve the selected closed meeting as a true record (while a later one is in progress)",
    ),
    b("M", "record an amendment to the selected approved minutes"),
    f(
        "x",
        "export the minutes (panel or anonymised) or the pre-meeting pack",
        "x",
        "export",
    ),
];

/// Keys while the minutes input has the keyboard.
pub const INPUT: &[Binding] = &[
    f(
        "Enter",
        "save the line (it is in the database at once)",
        "Enter",
        "save",
    ),
    f("Ctrl+J", "line break inside a minute", "Ctrl-J", "new line"),
    f(
        "/d /a /c",
        "decision, action, challenge (see below)",
        "/d /a /c",
        "records",
    ),
    f(
        "/undo",
        "withdraw the last line and what it created",
        "/undo",
        "undo",
    ),
    f(
        "Esc",
        "leave the input (arrows then move round the minutes)",
        "Esc",
        "leave",
    ),
    b("/item N  /next", "go to agenda item N, or the next"),
    b(
        "/present NAME[, AGENCY[, ROLE]]",
        "mark attendance (a new person needs an agency or independent)",
    ),
    b("/apologies NAME[, AGENCY]", "record apologies"),
    b("/declare NAME: TEXT", "a declaration of interest"),
    b("/decision TEXT  /d", "a decision of the panel"),
    b(
        "/action OWNER[ (AGENCY)][, due DATE]: TEXT  /a",
        "an action",
    ),
    b(
        "/challenge AGENCY: QUESTION  /c",
        "a challenge to an agency",
    ),
    b(
        "/approve N",
        "approve the closed minutes of meeting N as a true record",
    ),
    b(
        "/amend N: TEXT",
        "an amendment to the approved minutes of meeting N",
    ),
    b("s/old/new/", "correct the last line and its record"),
    b("//text", "a note that starts with /"),
];

/// Keys of the minuting view when the input does not have the keyboard.
pub const VIEW: &[Binding] = &[
    f("i  Enter", "type minutes", "i", "type"),
    f("← →", "previous / next agenda item", "← →", "item"),
    b("↑ ↓", "select a line of this item"),
    f("e", "edit the selected line (before approval)", "e", "edit"),
    b("m", "move the selected line to another agenda item"),
    f("a", "add an agenda item", "a", "add item"),
    f(
        "t",
        "attendance: mark present / apologies / absent",
        "t",
        "attendance",
    ),
    b(
        "w",
        "wide terminals: the agencies board or the open challenges beside the minutes",
    ),
    f("Esc", "back to the meetings", "Esc", "meetings"),
];

/// What the wide view shows beside the minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SidePane {
    Agencies,
    Challenges,
}

/// A meeting open for minuting.
pub struct Minuting {
    pub meeting: Meeting,
    pub agenda: Vec<AgendaItem>,
    /// Every line of the meeting's minutes, in order.
    pub minutes: Vec<Minute>,
    pub attendance: Vec<Attendance>,
    /// Index of the current agenda item.
    pub item: usize,
    pub input: TextArea<'static>,
    /// Whether the input has the keyboard.
    pub focused: bool,
    /// The selected line among the current item's lines, when the input does not have the keyboard.
    pub selected: Option<usize>,
    /// A message under the input: an error (the line stays in the input) or a confirmation.
    pub message: Option<(String, bool)>,
    /// The input changed since the draft was last saved.
    pub draft_dirty: bool,
    /// Local time of the last committed line and of the last draft save.
    pub saved_at: Option<String>,
    pub draft_saved_at: Option<String>,
    pub side: SidePane,
}

/// A new, empty input area with the terminal's own cursor (no painted cursor cell) and
/// soft wrap, which keeps each typed character to a few bytes on the wire.
pub fn new_input(text: &str) -> TextArea<'static> {
    let lines: Vec<String> = if text.is_empty() {
        vec![String::new()]
    } else {
        text.split('\n').map(str::to_string).collect()
    };
    let mut input = TextArea::new(lines);
    input.set_cursor_line_style(Style::default());
    input.set_cursor_style(Style::default());
    input.set_wrap_mode(WrapMode::WordOrGlyph);
    input.move_cursor(ratatui_textarea::CursorMove::Bottom);
    input.move_cursor(ratatui_textarea::CursorMove::End);
    input
}

/// Where a meeting's draft is kept.
pub fn draft_place(meeting_id: i64) -> String {
    format!("meeting:{meeting_id}")
}

impl Minuting {
    /// The current agenda item.
    pub fn current_item(&self) -> Option<&AgendaItem> {
        self.agenda.get(self.item)
    }

    /// The lines of the current item, in order.
    pub fn item_minutes(&self) -> Vec<&Minute> {
        let Some(item) = self.current_item() else {
            return Vec::new();
        };
        self.minutes
            .iter()
            .filter(|m| m.agenda_item_id == item.id)
            .collect()
    }

    /// The text in the input, lines joined by line breaks.
    pub fn input_text(&self) -> String {
        self.input.lines().join("\n")
    }

    /// Whether the meeting's minutes are locked (approved).
    pub fn locked(&self) -> bool {
        self.meeting.status == MeetingStatus::Approved
    }

    pub(crate) fn reload(&mut self, store: &Store) -> crate::store::Result<()> {
        if let Some(m) = store.meeting(self.meeting.id)? {
            self.meeting = m;
        }
        self.agenda = store.agenda(self.meeting.id)?;
        self.minutes = store.minutes(self.meeting.id)?;
        self.attendance = store.attendance(self.meeting.id)?;
        self.item = self.item.min(self.agenda.len().saturating_sub(1));
        Ok(())
    }
}

/// The standard agendas to start from (DOMAIN.md).
fn standard_agenda(first: bool) -> &'static [&'static str] {
    if first {
        &[
            "Welcome, introductions and apologies",
            "Confidentiality statement",
            "Declarations of independence and interest",
            "Purpose of the review",
            "Case outline",
            "Parallel proceedings",
            "Draft terms of reference and review period",
            "Agencies in scope: IMRs, short reports, authors and deadlines",
            "Family engagement plan",
            "Pseudonyms",
            "Timetable",
            "Any other business and date of next meeting",
        ]
    } else {
        &[
            "Welcome, introductions and apologies",
            "Declarations of interest",
            "Minutes of the last meeting and action log",
            "IMR presentations and the panel's challenges",
            "Combined chronology",
            "Emerging themes",
            "Family update",
            "Any other business and date of next meeting",
        ]
    }
}

/// Finds an agency of the case by short code or name (any letter case).
fn agency_by_word(app: &App, word: &str) -> Result<i64, String> {
    let ws = app.workspace.as_ref().ok_or("no case is open")?;
    let word = word.trim();
    ws.agencies
        .iter()
        .find(|a| {
            a.agency.code.eq_ignore_ascii_case(word) || a.agency.name.eq_ignore_ascii_case(word)
        })
        .map(|a| a.agency.id)
        .ok_or_else(|| {
            let codes: Vec<&str> = ws.agencies.iter().map(|a| a.agency.code.as_str()).collect();
            format!(
                "no agency \"{word}\" in this case: use a name or one of {}",
                codes.join(", ")
            )
        })
}

fn agency_code(app: &App, id: Option<i64>) -> String {
    app.workspace
        .as_ref()
        .and_then(|ws| ws.agencies.iter().find(|a| Some(a.agency.id) == id))
        .map(|a| a.agency.code.clone())
        .unwrap_or_default()
}

/// A person the case knows (an attendee of this meeting or a panel member), by name.
fn known_person(app: &App, attendance: &[Attendance], name: &str) -> Option<(String, Option<i64>)> {
    let name = name.trim();
    if let Some(a) = attendance
        .iter()
        .find(|a| a.person.eq_ignore_ascii_case(name))
    {
        return Some((a.person.clone(), a.agency_id));
    }
    let ws = app.workspace.as_ref()?;
    ws.agencies
        .iter()
        .flat_map(|a| a.members.iter())
        .find(|m| m.name.eq_ignore_ascii_case(name))
        .map(|m| (m.name.clone(), Some(m.agency_id)))
}

/// What committing a line changed, for the confirmation under the input.
struct Committed {
    message: String,
    /// The agenda item to move to (for /item and /next, which write nothing).
    go_to: Option<usize>,
}

impl App {
    fn minuting(&self) -> Option<&Minuting> {
        self.workspace.as_ref()?.minuting.as_ref()
    }

    fn minuting_mut(&mut self) -> Option<&mut Minuting> {
        self.workspace.as_mut()?.minuting.as_mut()
    }

    /// Opens a meeting for minuting; the input has the keyboard when it is in progress,
    /// and a saved draft comes back into it.
    pub(crate) fn open_minuting(&mut self, meeting_id: i64) -> crate::store::Result<()> {
        let meeting = self
            .store
            .meeting(meeting_id)?
            .ok_or_else(|| StoreError::Rule(format!("meeting {meeting_id} does not exist")))?;
        let draft = self.store.draft(&draft_place(meeting_id))?;
        let mut minuting = Minuting {
            focused: meeting.status == MeetingStatus::InProgress && !self.options.read_only,
            meeting,
            agenda: Vec::new(),
            minutes: Vec::new(),
            attendance: Vec::new(),
            item: 0,
            input: new_input(draft.as_ref().map_or("", |(body, _)| body.as_str())),
            selected: None,
            message: None,
            draft_dirty: false,
            saved_at: None,
            draft_saved_at: None,
            side: SidePane::Agencies,
        };
        minuting.reload(&self.store)?;
        // Carry on where the minutes stopped: the item of the last line.
        if let Some(last) = minuting.minutes.last() {
            minuting.item = minuting
                .agenda
                .iter()
                .position(|i| i.id == last.agenda_item_id)
                .unwrap_or(0);
        }
        if let Some((_, saved)) = draft {
            let when = crate::time::parse_stamp(&saved)
                .map(|t| self.clock.to_local(t).format("%H:%M:%S").to_string())
                .unwrap_or_default();
            minuting.message = Some((
                format!("Your unsaved text from {when} is back in the input: Enter saves it."),
                false,
            ));
        }
        if let Some(ws) = &mut self.workspace {
            ws.pane = Pane::Minutes;
            ws.minuting = Some(minuting);
        }
        Ok(())
    }

    /// Opens meeting `number` of the open case for minuting (`dhr minute`): the input has
    /// the keyboard unless the meeting is closed or approved.
    pub fn open_meeting_number(&mut self, number: i64) -> crate::store::Result<()> {
        let ws = self
            .workspace
            .as_ref()
            .ok_or_else(|| StoreError::Rule("no case is open".into()))?;
        let meeting = ws
            .meetings
            .iter()
            .find(|m| m.meeting.number == number)
            .map(|m| m.meeting.clone())
            .ok_or_else(|| {
                let numbers: Vec<String> = ws
                    .meetings
                    .iter()
                    .map(|m| m.meeting.number.to_string())
                    .collect();
                StoreError::Rule(format!(
                    "{} has no meeting {number}; its meetings are {}",
                    ws.case.reference,
                    if numbers.is_empty() {
                        "none yet".to_string()
                    } else {
                        numbers.join(", ")
                    }
                ))
            })?;
        self.open_minuting(meeting.id)?;
        if matches!(
            meeting.status,
            MeetingStatus::Planned | MeetingStatus::InProgress
        ) && !self.options.read_only
            && let Some(m) = self.minuting_mut()
        {
            m.focused = true;
        }
        Ok(())
    }

    /// Saves the draft if the input changed since the last save (the timer, and SIGTERM /
    /// SIGHUP, call this).
    pub(crate) fn save_draft_now(&mut self) -> bool {
        let Some(m) = self.minuting() else {
            return false;
        };
        if !m.draft_dirty {
            return false;
        }
        let (place, text) = (draft_place(m.meeting.id), m.input_text());
        let result = self.store.save_draft(&place, &text);
        let now = self
            .clock
            .to_local(self.clock.now_utc())
            .format("%H:%M:%S")
            .to_string();
        if let Some(m) = self.minuting_mut() {
            match result {
                Ok(()) => {
                    m.draft_dirty = false;
                    m.draft_saved_at = Some(now);
                }
                Err(e) => m.message = Some((format!("The draft could not be saved: {e}"), true)),
            }
        }
        true
    }

    /// Whether a draft is waiting to be saved (the loop then wakes in a couple of seconds).
    pub fn draft_pending(&self) -> bool {
        self.minuting().is_some_and(|m| m.draft_dirty)
    }

    /// Keys of the Minutes pane: the meetings list, or the minuting view.
    pub(super) fn on_minutes_key(&mut self, key: KeyEvent) -> Option<Effect> {
        if self.minuting().is_some() {
            return self.on_minuting_key(key);
        }
        let selected = self
            .workspace
            .as_ref()
            .and_then(|ws| ws.selected_meeting().map(|m| m.meeting.clone()));
        match key.code {
            KeyCode::Enter => {
                let meeting = selected?;
                if let Err(e) = self.open_minuting(meeting.id) {
                    self.error(e.to_string());
                }
            }
            KeyCode::Char('n') => {
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.overlay = Some(Overlay::Form {
                    form: self.plan_form(),
                    submit: save_planned_meeting,
                    target: 0,
                });
            }
            KeyCode::Char('s') | KeyCode::Char('c') => {
                let meeting = selected?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                let start = key.code == KeyCode::Char('s');
                if let Err(e) = self.set_meeting_status(&meeting, start) {
                    self.error(e);
                }
            }
            KeyCode::Char('A') => {
                let meeting = selected?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                let current = self.meeting_in_progress();
                match current {
                    None => self.error(
                        "Minutes are approved at a later meeting: start that meeting first.",
                    ),
                    Some(current) => {
                        match self.store.write(|w| approve(w, &current, meeting.number)) {
                            Ok(print) => {
                                self.reload_workspace();
                                self.info(format!(
                                    "Meeting {} approved and locked; fingerprint {}.",
                                    meeting.number,
                                    &print[..12]
                                ));
                            }
                            Err(e) => self.error(e.to_string()),
                        }
                    }
                }
            }
            KeyCode::Char('x') => {
                let meeting = selected?;
                super::exports::choose_meeting_export(self, meeting.number);
            }
            KeyCode::Char('M') => {
                let meeting = selected?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                let form = Form::new(
                    format!(
                        "Amendment to the approved minutes of meeting {}",
                        meeting.number
                    ),
                    vec![Field::new(
                        "Amendment",
                        "who said what should be corrected, and how",
                        true,
                        "",
                    )],
                );
                self.overlay = Some(Overlay::Form {
                    form,
                    submit: save_amendment_form,
                    target: meeting.number,
                });
            }
            _ => return None,
        }
        Some(Effect::Redraw)
    }

    fn meeting_in_progress(&self) -> Option<Meeting> {
        self.workspace
            .as_ref()?
            .meetings
            .iter()
            .map(|m| &m.meeting)
            .find(|m| m.status == MeetingStatus::InProgress)
            .cloned()
    }

    fn plan_form(&self) -> Form {
        let next = self.workspace.as_ref().map_or(1, |ws| {
            ws.meetings
                .iter()
                .map(|m| m.meeting.number)
                .max()
                .unwrap_or(0)
                + 1
        });
        let agenda = standard_agenda(next == 1).join("\n");
        Form::new(
            format!("Plan meeting {next}"),
            vec![
                Field::new("Number", "", false, &next.to_string()),
                Field::new("Date", "dd/mm/yyyy", false, ""),
                Field::new("Start time", "HH:MM", false, "10:00"),
                Field::new("Place", "a room, or online", false, ""),
                Field::new(
                    "Agenda",
                    "one item a line; the standard agenda to start from",
                    true,
                    &agenda,
                ),
            ],
        )
    }

    fn set_meeting_status(&mut self, meeting: &Meeting, start: bool) -> Result<(), String> {
        let now = self
            .clock
            .to_local(self.clock.now_utc())
            .format("%H:%M")
            .to_string();
        let fields: Vec<(&'static str, Value)> = match (start, meeting.status) {
            (true, MeetingStatus::Planned) => vec![
                ("status", Value::Text("in_progress".into())),
                ("start_time", Value::Text(now)),
            ],
            (false, MeetingStatus::InProgress) => vec![
                ("status", Value::Text("closed".into())),
                ("end_time", Value::Text(now)),
            ],
            (true, s) => {
                return Err(format!(
                    "Meeting {} is {s}: only a planned meeting can start.",
                    meeting.number
                ));
            }
            (false, s) => {
                return Err(format!(
                    "Meeting {} is {s}: only a meeting in progress can close.",
                    meeting.number
                ));
            }
        };
        self.store
            .write(|w| w.update("meetings", meeting.id, &fields))
            .map_err(|e| e.to_string())?;
        self.reload_workspace();
        self.info(if start {
            format!(
                "Meeting {} started: Enter opens its minutes.",
                meeting.number
            )
        } else {
            format!(
                "Meeting {} closed: approve it at the next meeting.",
                meeting.number
            )
        });
        Ok(())
    }

    /// Keys of the minuting view; `None` for keys it leaves to the workspace (panes, help).
    fn on_minuting_key(&mut self, key: KeyEvent) -> Option<Effect> {
        let focused = self.minuting().is_some_and(|m| m.focused);
        if focused {
            return Some(self.on_input_key(key));
        }
        let read_only = self.options.read_only;
        let m = self.minuting_mut()?;
        let lines = m.item_minutes().len();
        match key.code {
            KeyCode::Esc => {
                if let Some(ws) = &mut self.workspace {
                    ws.minuting = None;
                }
            }
            KeyCode::Char('i') | KeyCode::Enter if !read_only => {
                m.focused = true;
                m.selected = None;
            }
            KeyCode::Left => {
                m.item = m.item.saturating_sub(1);
                m.selected = None;
            }
            KeyCode::Right => {
                m.item = (m.item + 1).min(m.agenda.len().saturating_sub(1));
                m.selected = None;
            }
            KeyCode::Up => {
                m.selected = Some(
                    m.selected
                        .map_or(lines.saturating_sub(1), |s| s.saturating_sub(1)),
                )
            }
            KeyCode::Down => {
                m.selected = Some(
                    m.selected
                        .map_or(0, |s| (s + 1).min(lines.saturating_sub(1))),
                )
            }
            KeyCode::Char('w') => {
                m.side = if m.side == SidePane::Agencies {
                    SidePane::Challenges
                } else {
                    SidePane::Agencies
                };
            }
            KeyCode::Char('e' | 'm' | 'a' | 't' | 'i') | KeyCode::Enter if read_only => {
                self.refuse_in_reading_seat();
            }
            KeyCode::Char('e') => self.edit_selected_minute(),
            KeyCode::Char('m') => self.move_selected_minute(),
            KeyCode::Char('a') => {
                let form = Form::new(
                    "Add an agenda item",
                    vec![Field::new("Title", "", false, "")],
                );
                self.overlay = Some(Overlay::Form {
                    form,
                    submit: save_agenda_item,
                    target: 0,
                });
            }
            KeyCode::Char('t') => self.choose_attendee(),
            _ => return None,
        }
        Some(Effect::Redraw)
    }

    fn selected_minute(&self) -> Option<Minute> {
        let m = self.minuting()?;
        m.item_minutes().get(m.selected?).map(|x| (*x).clone())
    }

    fn edit_selected_minute(&mut self) {
        let Some(minute) = self.selected_minute() else {
            self.error("Select a line with ↑ ↓ first.");
            return;
        };
        if self.minuting().is_some_and(Minuting::locked) {
            self.error("These minutes are approved and locked: record an amendment at a later meeting (/amend N: …).");
            return;
        }
        let form = Form::new(
            "Edit the line",
            vec![Field::new("Text", "", true, &minute.text)],
        );
        self.overlay = Some(Overlay::Form {
            form,
            submit: save_minute_edit,
            target: minute.id,
        });
    }

    fn move_selected_minute(&mut self) {
        let Some(minute) = self.selected_minute() else {
            self.error("Select a line with ↑ ↓ first.");
            return;
        };
        let Some(m) = self.minuting() else { return };
        if m.locked() {
            self.error("These minutes are approved and locked.");
            return;
        }
        let options = m
            .agenda
            .iter()
            .map(|i| (format!("{}. {}", i.position, i.title), i.id))
            .collect();
        self.overlay = Some(Overlay::Choose {
            title: "Move the line to the agenda item".into(),
            options,
            selected: 0,
            choose: move_minute,
            target: minute.id,
        });
    }

    fn choose_attendee(&mut self) {
        let Some(m) = self.minuting() else { return };
        if m.locked() {
            self.error("These minutes are approved and locked.");
            return;
        }
        let options = m
            .attendance
            .iter()
            .map(|a| {
                let guest = if a.guest { ", guest" } else { "" };
                (
                    format!("{} ({}{guest}): {}", a.person, a.role, a.status),
                    a.id,
                )
            })
            .collect();
        self.overlay = Some(Overlay::Choose {
            title: "Attendance: choose a person, then what to record".into(),
            options,
            selected: 0,
            choose: choose_attendance_person,
            target: 0,
        });
    }

    fn on_input_key(&mut self, key: KeyEvent) -> Effect {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let Some(m) = self.minuting_mut() else {
            return Effect::None;
        };
        match key.code {
            KeyCode::Esc => {
                m.focused = false;
                return Effect::Redraw;
            }
            // Ctrl+J is a line break: handled before the text area, whose own binding
            // for it deletes to the start of the line.
            KeyCode::Char('j') if ctrl => {
                m.input.insert_newline();
            }
            KeyCode::Enter if key.modifiers.is_empty() => {
                self.commit_input();
                return Effect::Redraw;
            }
            _ => {
                if !m.input.input(key) {
                    return Effect::None;
                }
            }
        }
        m.draft_dirty = true;
        m.message = None;
        Effect::Redraw
    }

    /// Pasted text goes into the minutes input, line breaks normalised.
    pub(crate) fn paste_into_minutes(&mut self, text: &str) -> bool {
        let Some(m) = self.minuting_mut().filter(|m| m.focused) else {
            return false;
        };
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        m.input.insert_str(text);
        m.draft_dirty = true;
        true
    }

    /// Commits the input: parsed, resolved and written in one transaction with any record
    /// it creates; on any error the line stays in the input and nothing is saved.
    fn commit_input(&mut self) {
        let Some(m) = self.minuting() else { return };
        let text = m.input_text();
        if self.options.read_only {
            self.refuse_in_reading_seat();
            return;
        }
        let result = match parse_minute(&text, self.today) {
            Ok(line) => self.apply_line(line),
            Err(e) => Err(e.to_string()),
        };
        let now = self
            .clock
            .to_local(self.clock.now_utc())
            .format("%H:%M:%S")
            .to_string();
        let store_result = match &result {
            Ok(_) => {
                // The draft went in the same transaction as the line.
                let store = &self.store;
                self.workspace
                    .as_mut()
                    .and_then(|ws| ws.minuting.as_mut())
                    .map(|m| m.reload(store))
            }
            Err(_) => None,
        };
        if let Some(Err(e)) = store_result {
            self.error(e.to_string());
        }
        match result {
            Ok(done) => {
                self.reload_workspace();
                if let Some(m) = self.minuting_mut() {
                    m.input = new_input("");
                    m.draft_dirty = false;
                    m.saved_at = Some(now);
                    m.selected = None;
                    if let Some(item) = done.go_to {
                        m.item = item.min(m.agenda.len().saturating_sub(1));
                    }
                    m.message = if done.message.is_empty() {
                        None
                    } else {
                        Some((done.message, false))
                    };
                }
            }
            Err(message) => {
                if let Some(m) = self.minuting_mut() {
                    m.message = Some((message, true));
                }
            }
        }
    }

    /// Resolves a parsed line against the case and writes it.
    fn apply_line(&mut self, line: MinuteLine) -> Result<Committed, String> {
        let m = self.minuting().ok_or("no meeting is open")?;
        let meeting = m.meeting.clone();
        let attendance = m.attendance.clone();
        let item = m.current_item().cloned();
        let item_index = m.item;
        let agenda_len = m.agenda.len();
        match &line {
            MinuteLine::Item(n) => {
                let index = m.agenda.iter().position(|i| i.position == i64::from(*n)).ok_or_else(|| {
                    format!("there is no agenda item {n}: the agenda runs 1 to {agenda_len} (a adds one, after Esc)")
                })?;
                return Ok(Committed {
                    message: format!("Now minuting item {n}."),
                    go_to: Some(index),
                });
            }
            MinuteLine::Next => {
                if item_index + 1 >= agenda_len {
                    return Err("this is the last agenda item".into());
                }
                return Ok(Committed {
                    message: format!("Now minuting item {}.", item_index + 2),
                    go_to: Some(item_index + 1),
                });
            }
            _ => {}
        }
        if meeting.status == MeetingStatus::Approved {
            return Err(format!(
                "the minutes of meeting {} are approved and locked: record an amendment at a later meeting (/amend {}: …)",
                meeting.number, meeting.number
            ));
        }
        if meeting.status == MeetingStatus::Closed
            && !matches!(line, MinuteLine::Undo | MinuteLine::Correct { .. })
        {
            return Err(format!(
                "meeting {} is closed: its lines can still be edited (Esc, then e) until it is approved",
                meeting.number
            ));
        }
        let item = item.ok_or("this meeting has no agenda item yet: Esc, then a adds one")?;
        let place = draft_place(meeting.id);
        let minuted_at = crate::time::stamp(self.clock.now_utc());
        // Resolve names against the case before anything is written.
        let resolved = self.resolve(&line, &attendance)?;
        let login = self.store.login().to_string();
        let case_id = meeting.case_id;
        let message = self
            .store
            .write(|w| {
                if meeting.status == MeetingStatus::Planned {
                    w.update(
                        "meetings",
                        meeting.id,
                        &[("status", Value::Text("in_progress".into()))],
                    )?;
                }
                let done = write_line(
                    w,
                    &WriteContext {
                        case_id,
                        meeting: &meeting,
                        item: &item,
                        minuted_at,
                        login,
                    },
                    line,
                    resolved,
                )?;
                w.clear_draft(&place)?;
                Ok(done)
            })
            .map_err(|e| match e {
                StoreError::Rule(message) => message,
                other => format!("not saved: {other}"),
            })?;
        Ok(Committed {
            message,
            go_to: None,
        })
    }

    /// Names in a line matched against the case: agencies and known people.
    fn resolve(&self, line: &MinuteLine, attendance: &[Attendance]) -> Result<Resolved, String> {
        let mut r = Resolved::default();
        match line {
            MinuteLine::Present { name, agency, .. } | MinuteLine::Apologies { name, agency } => {
                let on_list = attendance
                    .iter()
                    .find(|a| a.person.eq_ignore_ascii_case(name.trim()));
                match (on_list, agency) {
                    (Some(a), _) => r.attendance_id = Some(a.id),
                    (None, None) => {
                        return Err(format!(
                            "{} is not on this meeting's list: add their agency (/present {}, AGENCY) or independent",
                            name.trim(),
                            name.trim()
                        ));
                    }
                    (None, Some(word)) if word.trim().eq_ignore_ascii_case("independent") => {}
                    (None, Some(word)) => r.agency_id = Some(agency_by_word(self, word)?),
                }
            }
            MinuteLine::Action { owner, agency, .. } => {
                let person = known_person(self, attendance, owner);
                r.owner = person
                    .as_ref()
                    .map_or_else(|| owner.trim().to_string(), |(name, _)| name.clone());
                r.agency_id = match agency {
                    Some(word) => Some(agency_by_word(self, word)?),
                    None => person.and_then(|(_, a)| a),
                };
            }
            MinuteLine::Challenge { agency, .. } => {
                r.agency_id = Some(agency_by_word(self, agency)?)
            }
            MinuteLine::Approve(n) | MinuteLine::Amend { meeting: n, .. } => {
                let ws = self.workspace.as_ref().ok_or("no case is open")?;
                let target = ws
                    .meetings
                    .iter()
                    .find(|m| m.meeting.number == i64::from(*n))
                    .ok_or_else(|| format!("there is no meeting {n} in this case"))?;
                r.other_meeting = Some(target.meeting.clone());
            }
            _ => {}
        }
        r.agency_code = agency_code(self, r.agency_id);
        Ok(r)
    }
}

/// Names resolved before writing.
#[derive(Default)]
struct Resolved {
    attendance_id: Option<i64>,
    agency_id: Option<i64>,
    agency_code: String,
    owner: String,
    other_meeting: Option<Meeting>,
}

struct WriteContext<'a> {
    case_id: i64,
    meeting: &'a Meeting,
    item: &'a AgendaItem,
    minuted_at: String,
    login: String,
}

fn minute(
    w: &mut Writer<'_>,
    cx: &WriteContext<'_>,
    kind: MinuteKind,
    text: String,
    record: Option<(&str, i64)>,
) -> crate::store::Result<i64> {
    let position = w.next_minute_position(cx.meeting.id)?;
    w.insert_minute(&Minute {
        id: 0,
        meeting_id: cx.meeting.id,
        agenda_item_id: cx.item.id,
        position,
        minuted_at: cx.minuted_at.clone(),
        kind,
        text,
        record: record.map(|(t, id)| (t.to_string(), id)),
    })
}

fn rule(message: String) -> StoreError {
    StoreError::Rule(message)
}

/// Writes one resolved line and the record it creates; returns the confirmation.
fn write_line(
    w: &mut Writer<'_>,
    cx: &WriteContext<'_>,
    line: MinuteLine,
    r: Resolved,
) -> crate::store::Result<String> {
    let date = cx.meeting.date;
    Ok(match line {
        MinuteLine::Note(text) => {
            minute(w, cx, MinuteKind::Note, text, None)?;
            // The status line already says "saved HH:MM:SS".
            String::new()
        }
        MinuteLine::Present { name, role, .. } => attendance(
            w,
            cx,
            &r,
            name.trim(),
            role.unwrap_or_default(),
            AttendanceStatus::Present,
        )?,
        MinuteLine::Apologies { name, .. } => attendance(
            w,
            cx,
            &r,
            name.trim(),
            String::new(),
            AttendanceStatus::Apologies,
        )?,
        MinuteLine::Declare { name, text } => {
            let id = w.insert_declaration(&Declaration {
                id: 0,
                meeting_id: cx.meeting.id,
                person: name.clone(),
                text: text.clone(),
            })?;
            minute(
                w,
                cx,
                MinuteKind::Declaration,
                format!("{name}: {text}"),
                Some(("declarations", id)),
            )?;
            format!("Declaration by {name} recorded.")
        }
        MinuteLine::Decision(text) => {
            let id = w.insert_decision(
                &Decision {
                    id: 0,
                    case_id: cx.case_id,
                    meeting_id: Some(cx.meeting.id),
                    text: text.clone(),
                    rationale: String::new(),
                    decided_by: "Panel".into(),
                    decided_on: Some(date),
                },
                &[],
            )?;
            minute(w, cx, MinuteKind::Decision, text, Some(("decisions", id)))?;
            "Decision recorded (5 Decisions).".into()
        }
        MinuteLine::Action { due, text, .. } => {
            let id = w.insert_action(&Action {
                id: 0,
                case_id: cx.case_id,
                text: text.clone(),
                owner: r.owner.clone(),
                agency_id: r.agency_id,
                due_on: due,
                status: ActionStatus::Open,
                meeting_id: Some(cx.meeting.id),
                closed_meeting_id: None,
            })?;
            let mut line = r.owner.clone();
            if !r.agency_code.is_empty() {
                line.push_str(&format!(" ({})", r.agency_code));
            }
            if let Some(due) = due {
                line.push_str(&format!(", due {}", due.format("%d %b %Y")));
            }
            minute(
                w,
                cx,
                MinuteKind::Action,
                format!("{line}: {text}"),
                Some(("actions", id)),
            )?;
            "Action recorded (6 Actions).".into()
        }
        MinuteLine::Challenge { question, .. } => {
            let id = w.insert_challenge(
                &Challenge {
                    id: 0,
                    case_id: cx.case_id,
                    agency_id: r.agency_id,
                    question: question.clone(),
                    meeting_id: Some(cx.meeting.id),
                    raised_by: if cx.meeting.chair.is_empty() {
                        "Panel".into()
                    } else {
                        cx.meeting.chair.clone()
                    },
                    raised_on: Some(date),
                    response_due: date.checked_add_days(chrono::Days::new(RESPONSE_DAYS)),
                    response: String::new(),
                    response_on: None,
                    status: ChallengeStatus::Open,
                },
                &[],
            )?;
            minute(
                w,
                cx,
                MinuteKind::Challenge,
                format!("{}: {question}", r.agency_code),
                Some(("challenges", id)),
            )?;
            format!("Challenge to {} recorded (4 Challenges).", r.agency_code)
        }
        MinuteLine::Approve(n) => {
            if cx.meeting.status != MeetingStatus::InProgress
                && cx.meeting.status != MeetingStatus::Planned
            {
                return Err(rule(format!(
                    "minutes are approved at a meeting in progress; meeting {} is {}",
                    cx.meeting.number, cx.meeting.status
                )));
            }
            let print = approve(w, cx.meeting, i64::from(n))?;
            let text = format!("The minutes of meeting {n} were approved as a true record.");
            let id = w.insert_decision(
                &Decision {
                    id: 0,
                    case_id: cx.case_id,
                    meeting_id: Some(cx.meeting.id),
                    text: text.clone(),
                    rationale: format!("Fingerprint {print}"),
                    decided_by: "Panel".into(),
                    decided_on: Some(date),
                },
                &[],
            )?;
            minute(w, cx, MinuteKind::Decision, text, Some(("decisions", id)))?;
            format!(
                "Meeting {n} approved and locked (fingerprint {}).",
                &print[..12]
            )
        }
        MinuteLine::Amend { meeting: n, text } => {
            let target = r
                .other_meeting
                .ok_or_else(|| rule(format!("there is no meeting {n}")))?;
            if target.status != MeetingStatus::Approved {
                return Err(rule(format!(
                    "meeting {n} is {}: its minutes can still be edited directly; amendments are for approved minutes",
                    target.status
                )));
            }
            let id = w.insert(
                "amendments",
                &[
                    ("meeting_id", target.id.into()),
                    ("made_at_meeting_id", cx.meeting.id.into()),
                    ("made_by", Value::Text(cx.login.clone())),
                    ("body", Value::Text(text.clone())),
                ],
            )?;
            minute(
                w,
                cx,
                MinuteKind::Note,
                format!("Amendment to the minutes of meeting {n}: {text}"),
                Some(("amendments", id)),
            )?;
            format!("Amendment to meeting {n} recorded.")
        }
        MinuteLine::Undo => undo(w, cx)?,
        MinuteLine::Correct { old, new } => correct(w, cx, &old, &new)?,
        MinuteLine::Item(_) | MinuteLine::Next => String::new(),
    })
}

/// Days a challenged agency has to respond, counted from the meeting.
const RESPONSE_DAYS: u64 = 28;

fn attendance(
    w: &mut Writer<'_>,
    cx: &WriteContext<'_>,
    r: &Resolved,
    name: &str,
    role: String,
    status: AttendanceStatus,
) -> crate::store::Result<String> {
    let (id, who) = match r.attendance_id {
        Some(id) => {
            w.update(
                "attendance",
                id,
                &[("status", Value::Text(status.code().into()))],
            )?;
            (id, name.to_string())
        }
        None => {
            let role = if role.is_empty() && r.agency_id.is_none() {
                "Independent".to_string()
            } else {
                role
            };
            let id = w.insert_attendance(&Attendance {
                id: 0,
                meeting_id: cx.meeting.id,
                person: name.to_string(),
                agency_id: r.agency_id,
                role,
                status,
                guest: true,
            })?;
            (id, name.to_string())
        }
    };
    let agency = if r.agency_code.is_empty() {
        String::new()
    } else {
        format!(" ({})", r.agency_code)
    };
    let text = match status {
        AttendanceStatus::Present => format!("{who}{agency} present"),
        AttendanceStatus::Apologies => format!("Apologies from {who}{agency}"),
        AttendanceStatus::Absent => format!("{who}{agency} absent"),
    };
    minute(
        w,
        cx,
        MinuteKind::Attendance,
        text.clone(),
        Some(("attendance", id)),
    )?;
    Ok(format!("{text}."))
}

/// Approves closed meeting `n` at meeting `at`: fingerprint stored, minutes locked.
fn approve(w: &mut Writer<'_>, at: &Meeting, n: i64) -> crate::store::Result<String> {
    let store_meetings: Vec<Meeting> = {
        let mut stmt = w
            .tx()
            .prepare("SELECT * FROM meetings WHERE case_id = ?1 AND deleted_at IS NULL")?;
        let rows = stmt.query_map([at.case_id], crate::store::meetings::read_meeting)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let target = store_meetings
        .iter()
        .find(|m| m.number == n)
        .ok_or_else(|| rule(format!("there is no meeting {n}")))?;
    if n >= at.number {
        return Err(rule(format!(
            "meeting {n}'s minutes are approved at a later meeting, not at meeting {}",
            at.number
        )));
    }
    if target.status != MeetingStatus::Closed {
        return Err(rule(format!(
            "meeting {n} is {}: only closed minutes can be approved",
            target.status
        )));
    }
    let print = w.minutes_fingerprint(target)?;
    w.update(
        "meetings",
        target.id,
        &[
            ("status", Value::Text("approved".into())),
            ("approved_at_meeting_id", at.id.into()),
            ("fingerprint", Value::Text(print.clone())),
        ],
    )?;
    Ok(print)
}

fn undo(w: &mut Writer<'_>, cx: &WriteContext<'_>) -> crate::store::Result<String> {
    let last = w
        .last_minute(cx.meeting.id)?
        .ok_or_else(|| rule("there is no line to undo in this meeting".into()))?;
    w.withdraw("minutes", last.id)?;
    if let Some((table, id)) = &last.record {
        match table.as_str() {
            "attendance" => {
                // A guest added by the line goes; a status the line changed goes back.
                let history = w.audit_rows("attendance", *id)?;
                match history.last() {
                    Some((action, changes)) if action == "update" => {
                        let old = serde_json::from_str::<serde_json::Value>(changes)
                            .ok()
                            .and_then(|v| {
                                v.get("status")
                                    .and_then(|s| s.get(0))
                                    .and_then(|s| s.as_str().map(str::to_string))
                            });
                        if let Some(old) = old {
                            w.update("attendance", *id, &[("status", Value::Text(old))])?;
                        }
                    }
                    _ => w.withdraw("attendance", *id)?,
                }
            }
            "decisions" if last.text.starts_with("The minutes of meeting ") => {
                w.withdraw("decisions", *id)?;
                // Withdrawing an approval unlocks the minutes it approved.
                let approved: Option<i64> = w
                    .tx()
                    .query_row(
                        "SELECT id FROM meetings WHERE approved_at_meeting_id = ?1 AND status = 'approved' ORDER BY number DESC LIMIT 1",
                        [cx.meeting.id],
                        |r| r.get(0),
                    )
                    .ok();
                if let Some(meeting_id) = approved {
                    w.update(
                        "meetings",
                        meeting_id,
                        &[
                            ("status", Value::Text("closed".into())),
                            ("approved_at_meeting_id", Value::Null),
                            ("fingerprint", Value::Text(String::new())),
                        ],
                    )?;
                }
            }
            other => {
                let table = record_table(other)
                    .ok_or_else(|| rule(format!("a line of kind {other} cannot be undone")))?;
                w.withdraw(table, *id)?;
            }
        }
    }
    Ok(format!(
        "Withdrawn: \"{}\" (kept in the audit trail).",
        crate::domain::text::one_line(&last.text)
    ))
}

/// The tables a line's record may live in, as static names for the store.
fn record_table(name: &str) -> Option<&'static str> {
    [
        "decisions",
        "actions",
        "challenges",
        "declarations",
        "amendments",
        "attendance",
    ]
    .into_iter()
    .find(|t| *t == name)
}

/// The text column of a record a correction also changes.
fn record_text_column(table: &str) -> Option<&'static str> {
    match table {
        "decisions" | "actions" | "declarations" | "amendments" => Some("body"),
        "challenges" => Some("question"),
        _ => None,
    }
}

fn correct(
    w: &mut Writer<'_>,
    cx: &WriteContext<'_>,
    old: &str,
    new: &str,
) -> crate::store::Result<String> {
    let last = w
        .last_minute(cx.meeting.id)?
        .ok_or_else(|| rule("there is no line to correct in this meeting".into()))?;
    if !last.text.contains(old) {
        return Err(rule(format!(
            "the last line does not contain \"{old}\": nothing was changed"
        )));
    }
    let text = last.text.replacen(old, new, 1);
    w.update("minutes", last.id, &[("body", Value::Text(text.clone()))])?;
    if let Some((table, id)) = &last.record
        && let (Some(table), Some(column)) = (record_table(table), record_text_column(table))
        && let Some(current) = w.record_text(table, *id, column)?
        && current.contains(old)
    {
        w.update(
            table,
            *id,
            &[(column, Value::Text(current.replacen(old, new, 1)))],
        )?;
    }
    Ok(format!(
        "Corrected: \"{}\".",
        crate::domain::text::one_line(&text)
    ))
}

fn save_planned_meeting(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    let Some(case_id) = app.workspace.as_ref().map(|ws| ws.case.id) else {
        return;
    };
    let number: i64 = match form.value("Number").parse() {
        Ok(n) if n > 0 => n,
        _ => {
            form.set_error("Number", "a whole number, 1 or more");
            0
        }
    };
    if app
        .workspace
        .as_ref()
        .is_some_and(|ws| ws.meetings.iter().any(|m| m.meeting.number == number))
    {
        form.set_error("Number", format!("there is already a meeting {number}"));
    }
    let date = super::cases::exact_day(&mut form, "Date", app.today);
    if date.is_none() && !form.has_errors() {
        form.set_error("Date", "give the date of the meeting");
    }
    let start = form.value("Start time");
    if chrono::NaiveTime::parse_from_str(&start, "%H:%M").is_err() {
        form.set_error("Start time", "write it as HH:MM");
    }
    let agenda: Vec<String> = form
        .value("Agenda")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    if agenda.is_empty() {
        form.set_error("Agenda", "give at least one item");
    }
    if form.has_errors() {
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_planned_meeting,
            target,
        });
        return;
    }
    let (chair, taker) = app
        .workspace
        .as_ref()
        .map_or((String::new(), String::new()), |ws| {
            (ws.case.chair.clone(), String::new())
        });
    let members: Vec<(String, i64, String)> = app
        .workspace
        .as_ref()
        .map(|ws| {
            ws.agencies
                .iter()
                .flat_map(|a| {
                    a.members
                        .iter()
                        .map(|m| (m.name.clone(), m.agency_id, m.role.clone()))
                })
                .collect()
        })
        .unwrap_or_default();
    let meeting = Meeting {
        id: 0,
        case_id,
        number,
        date: date.unwrap_or_default(),
        start_time: start,
        end_time: String::new(),
        place: form.value("Place"),
        chair,
        minute_taker: taker,
        status: MeetingStatus::Planned,
        approved_at_meeting_id: None,
        fingerprint: String::new(),
    };
    let result = app.store.write(|w| {
        let meeting_id = w.insert_meeting(&meeting)?;
        for (i, title) in agenda.iter().enumerate() {
            w.insert_agenda_item(&AgendaItem {
                id: 0,
                meeting_id,
                position: i as i64 + 1,
                title: title.clone(),
            })?;
        }
        // Attendance starts from the panel members, absent until marked.
        for (person, agency_id, role) in &members {
            w.insert_attendance(&Attendance {
                id: 0,
                meeting_id,
                person: person.clone(),
                agency_id: Some(*agency_id),
                role: role.clone(),
                status: AttendanceStatus::Absent,
                guest: false,
            })?;
        }
        Ok(meeting_id)
    });
    match result {
        Ok(_) => {
            app.reload_workspace();
            app.info(format!(
                "Meeting {number} planned: s starts it on the day, Enter opens its minutes."
            ));
        }
        Err(e) => {
            form.message = Some(format!("Not saved: {e}"));
            app.overlay = Some(Overlay::Form {
                form,
                submit: save_planned_meeting,
                target,
            });
        }
    }
}

fn save_amendment_form(app: &mut App, mut form: Form, target: i64) {
    let text = form.value("Amendment");
    if text.is_empty() {
        form.set_error("Amendment", "say what is amended");
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_amendment_form,
            target,
        });
        return;
    }
    let Some(current) = app.meeting_in_progress() else {
        app.error("Amendments are recorded at a meeting in progress: start it first.");
        return;
    };
    let opened = app.minuting().map(|m| m.meeting.id);
    if opened != Some(current.id)
        && let Err(e) = app.open_minuting(current.id)
    {
        app.error(e.to_string());
        return;
    }
    if let Some(m) = app.minuting_mut() {
        m.input = new_input(&format!("/amend {target}: {text}"));
    }
    app.commit_input();
}

fn save_minute_edit(app: &mut App, mut form: Form, target: i64) {
    let text = form.value("Text");
    if text.is_empty() {
        form.set_error("Text", "a line cannot be empty: use /undo or leave it");
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_minute_edit,
            target,
        });
        return;
    }
    if app.minuting().is_some_and(Minuting::locked) {
        app.error("These minutes are approved and locked.");
        return;
    }
    match app
        .store
        .write(|w| w.update("minutes", target, &[("body", Value::Text(text.clone()))]))
    {
        Ok(_) => app.after_minuting_change("Line saved."),
        Err(e) => app.error(e.to_string()),
    }
}

fn move_minute(app: &mut App, item_id: i64, minute_id: i64) {
    match app
        .store
        .write(|w| w.update("minutes", minute_id, &[("agenda_item_id", item_id.into())]))
    {
        Ok(_) => app.after_minuting_change("Line moved."),
        Err(e) => app.error(e.to_string()),
    }
}

fn save_agenda_item(app: &mut App, mut form: Form, target: i64) {
    let title = form.value("Title");
    if title.is_empty() {
        form.set_error("Title", "give the item a title");
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_agenda_item,
            target,
        });
        return;
    }
    let Some(m) = app.minuting() else { return };
    if m.locked() {
        app.error("These minutes are approved and locked.");
        return;
    }
    let (meeting_id, position) = (
        m.meeting.id,
        m.agenda.iter().map(|i| i.position).max().unwrap_or(0) + 1,
    );
    match app.store.write(|w| {
        w.insert_agenda_item(&AgendaItem {
            id: 0,
            meeting_id,
            position,
            title: title.clone(),
        })
    }) {
        Ok(_) => {
            app.after_minuting_change("Agenda item added.");
            if let Some(m) = app.minuting_mut() {
                m.item = m.agenda.len().saturating_sub(1);
            }
        }
        Err(e) => app.error(e.to_string()),
    }
}

fn choose_attendance_person(app: &mut App, attendance_id: i64, _target: i64) {
    let options = [
        AttendanceStatus::Present,
        AttendanceStatus::Apologies,
        AttendanceStatus::Absent,
    ]
    .iter()
    .enumerate()
    .map(|(i, s)| (s.label().to_string(), i as i64))
    .collect();
    app.overlay = Some(Overlay::Choose {
        title: "Record them as".into(),
        options,
        selected: 0,
        choose: set_attendance,
        target: attendance_id,
    });
}

fn set_attendance(app: &mut App, status_index: i64, attendance_id: i64) {
    let status = [
        AttendanceStatus::Present,
        AttendanceStatus::Apologies,
        AttendanceStatus::Absent,
    ]
    .get(status_index as usize)
    .copied()
    .unwrap_or(AttendanceStatus::Absent);
    match app.store.write(|w| {
        w.update(
            "attendance",
            attendance_id,
            &[("status", Value::Text(status.code().into()))],
        )
    }) {
        Ok(_) => app.after_minuting_change("Attendance saved."),
        Err(e) => app.error(e.to_string()),
    }
}

impl App {
    fn after_minuting_change(&mut self, done: &str) {
        let store = &self.store;
        let result = self
            .workspace
            .as_mut()
            .and_then(|ws| ws.minuting.as_mut())
            .map(|m| m.reload(store));
        if let Some(Err(e)) = result {
            self.error(e.to_string());
            return;
        }
        self.reload_workspace();
        self.info(done.to_string());
    }
}
