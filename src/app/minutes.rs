//! The Minutes pane: planning, starting and closing meetings, and live minuting — the
//! agenda, the minutes of the current item and an input whose every committed line is in
//! the database before the next key is read (SPEC §4.1, §6.4).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Style;
use ratatui_textarea::{TextArea, WrapMode};

use super::form::{Field, Form};
use super::keys::{Binding, b, f};
use super::{App, Effect, Overlay, Pane};
use crate::domain::minuting::{MinuteLine, check_line_allowed, minute_usage, parse_minute};
use crate::domain::model::{
    AgendaItem, Attendance, AttendanceStatus, Meeting, MeetingStatus, Minute,
};
use crate::store::minute_lines::{LineNames, LinePlace, MeetingPlan};
use crate::store::{Store, StoreError};

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
    b(
        concat!(minute_usage!(item), "  ", minute_usage!(next)),
        "go to agenda item N, or the next",
    ),
    b(
        minute_usage!(present),
        "mark attendance (a new person needs an agency or independent)",
    ),
    b(minute_usage!(apologies), "record apologies"),
    b(minute_usage!(declare), "a declaration of interest"),
    b(
        concat!(minute_usage!(decision), "  /d"),
        "a decision of the panel",
    ),
    b(concat!(minute_usage!(action), "  /a"), "an action"),
    b(
        concat!(minute_usage!(challenge), "  /c"),
        "a challenge to an agency",
    ),
    b(
        minute_usage!(approve),
        "approve the closed minutes of meeting N as a true record",
    ),
    b(
        minute_usage!(amend),
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
    crate::domain::model::agency_by_word(ws.agencies.all.iter().map(|a| &a.agency), word)
        .map(|a| a.id)
        .ok_or_else(|| {
            let codes: Vec<&str> = ws
                .agencies
                .all
                .iter()
                .map(|a| a.agency.code.as_str())
                .collect();
            format!(
                "no agency \"{word}\" in this case: use a name or one of {}",
                codes.join(", ")
            )
        })
}

fn agency_code(app: &App, id: Option<i64>) -> String {
    app.workspace
        .as_ref()
        .and_then(|ws| ws.agencies.all.iter().find(|a| Some(a.agency.id) == id))
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
        .all
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
                    Some(current) => match self.store.approve_minutes(current.id, meeting.number) {
                        Ok(print) => {
                            self.reload_workspace();
                            self.info(format!(
                                "Meeting {} approved and locked; fingerprint {}.",
                                meeting.number,
                                &print[..12]
                            ));
                        }
                        Err(e) => self.error(e.to_string()),
                    },
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
        if start {
            self.store.start_meeting(meeting.id, &now)
        } else {
            self.store.close_meeting(meeting.id, &now)
        }
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
        // Refused early here for a quick answer; the store checks again as it writes.
        check_line_allowed(&meeting, &line)?;
        let item = item.ok_or("this meeting has no agenda item yet: Esc, then a adds one")?;
        let place = draft_place(meeting.id);
        let minuted_at = crate::time::stamp(self.clock.now_utc());
        // Resolve names against the case before anything is written.
        let resolved = self.resolve(&line, &attendance)?;
        let place = LinePlace {
            meeting_id: meeting.id,
            item_id: item.id,
            minuted_at,
            draft: place,
        };
        let message = self
            .store
            .commit_minute_line(&place, line, resolved)
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
    fn resolve(&self, line: &MinuteLine, attendance: &[Attendance]) -> Result<LineNames, String> {
        let mut r = LineNames::default();
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
                r.other_meeting_id = Some(target.meeting.id);
            }
            _ => {}
        }
        r.agency_code = agency_code(self, r.agency_id);
        Ok(r)
    }
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
    let date = super::panes::case::exact_day(&mut form, "Date", app.today);
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
    let members = app
        .workspace
        .as_ref()
        .map(|ws| {
            ws.agencies
                .all
                .iter()
                .flat_map(|a| a.members.iter().cloned())
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
    let result = app.store.plan_meeting(&MeetingPlan {
        meeting,
        agenda,
        members,
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
    match app.store.edit_minute(target, &text) {
        Ok(_) => app.after_minuting_change("Line saved."),
        Err(e) => app.error(e.to_string()),
    }
}

fn move_minute(app: &mut App, item_id: i64, minute_id: i64) {
    match app.store.move_minute(minute_id, item_id) {
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
    let meeting_id = m.meeting.id;
    match app.store.add_agenda_item(meeting_id, &title) {
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
    match app.store.set_attendance(attendance_id, status) {
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
