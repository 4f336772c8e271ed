//! The minuting view: a meeting open for minuting, its keys when the input does not have
//! the keyboard (agenda items, selecting, editing and moving a line, adding an agenda
//! item, attendance), and opening a meeting for minuting.

use std::cell::RefCell;

use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui_textarea::{TextArea, WrapMode};

use super::{MinutesChoice, MinutesConfirm, MinutesField, MinutesForm, draft_place};
use crate::app::form::{Field, Form};
use crate::app::keys::{Key, KeyRow, b, f, row};
use crate::app::panes::{ChooseTarget, ConfirmTarget, FormTarget};
use crate::app::{App, Effect, Pane};
use crate::domain::model::{
    AgendaItem, Attendance, AttendanceStatus, Meeting, MeetingStatus, Minute,
};
use crate::domain::text::one_line;
use crate::store::minute_lines::{LineFacts, LineSeen};
use crate::store::{Store, StoreError};

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
    /// Index of the agenda item shown (browsing may show another than the meeting's).
    pub item: usize,
    /// Index of the meeting's current item: where typing goes. It is the item of the last
    /// line when the meeting opens, then the one `/item` or `/next` chose; `i` after
    /// browsing comes back to it.
    pub current: usize,
    /// The input holds a line that was refused: a typed character replaces it, the
    /// editing keys edit it, Esc clears it.
    pub refused: bool,
    /// Rows the minutes are scrolled back from the newest (PgUp while typing); 0 follows
    /// the newest line.
    pub scroll_back: usize,
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
    /// The candidates Tab is going through, and which one the input shows; any other
    /// key ends it.
    pub tab: Option<(crate::domain::minuting::Completion, usize)>,
    /// The agenda and the item's lines as last drawn, for the frames in between that
    /// change only the input.
    pub drawn: DrawnCells,
    /// The input's box (its border and title) as last drawn.
    pub drawn_input: DrawnCells,
}

/// Cells a drawing produced, kept with a fingerprint of everything that drawing read, so
/// that a frame whose inputs are the same copies them instead of laying the text out
/// again: a typed key changes the input, not the minutes above it, and laying those out
/// (wrapping, styling every cell) cost more than the rest of the frame together.
///
/// The cells are kept in a `RefCell` because they are made while drawing: the area they
/// cover comes out of the frame's layout (the status line's length, the input's rows),
/// which only the drawing knows. Drawing stays a function of the state: the fingerprint
/// covers every input, and a frame with other inputs draws afresh.
#[derive(Default)]
pub struct DrawnCells(RefCell<Option<(u64, Buffer)>>);

impl DrawnCells {
    /// Drops the kept cells: the next frame draws afresh (a test compares the two).
    pub fn forget(&self) {
        if let Ok(mut kept) = self.0.try_borrow_mut() {
            *kept = None;
        }
    }

    /// Draws into `buf` over `area` what `render` draws there: the kept cells when `key`
    /// and `area` are those they were made with, else `render` into fresh cells, kept.
    /// `render` must draw inside `area` only, on cells that start blank.
    pub fn draw(&self, key: u64, buf: &mut Buffer, area: Rect, render: impl FnOnce(&mut Buffer)) {
        // Only an area wholly on the screen is kept; and the cells cannot be borrowed
        // twice (drawing is not re-entered), but if they were, drawing goes on uncached.
        let Ok(mut kept) = self.0.try_borrow_mut() else {
            render(buf);
            return;
        };
        if area.is_empty() || buf.area.intersection(area) != area {
            *kept = None;
            render(buf);
            return;
        }
        let fresh = !matches!(&*kept, Some((k, cells)) if *k == key && cells.area == area);
        if fresh {
            let mut cells = Buffer::empty(area);
            render(&mut cells);
            *kept = Some((key, cells));
        }
        let Some((_, cells)) = &*kept else { return };
        let width = usize::from(area.width);
        for y in area.top()..area.bottom() {
            let (Some(from), Some(to)) = (row_start(cells, area.x, y), row_start(buf, area.x, y))
            else {
                continue;
            };
            if let (Some(src), Some(dst)) = (
                cells.content.get(from..from + width),
                buf.content.get_mut(to..to + width),
            ) {
                dst.clone_from_slice(src);
            }
        }
    }
}

/// Where the cell at (`x`, `y`) is in `buf`'s cells, if it is in its area.
fn row_start(buf: &Buffer, x: u16, y: u16) -> Option<usize> {
    let dx = usize::from(x.checked_sub(buf.area.x)?);
    let dy = usize::from(y.checked_sub(buf.area.y)?);
    Some(dy * usize::from(buf.area.width) + dx)
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
        self.current = self.current.min(self.agenda.len().saturating_sub(1));
        Ok(())
    }
}

/// What the minuting view's keys do (the input does not have the keyboard).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewKey {
    Type,
    PreviousItem,
    NextItem,
    LineUp,
    LineDown,
    Edit,
    Withdraw,
    Move,
    AddItem,
    Attendance,
    MinuteTaker,
    Side,
    Close,
}

/// Keys of the minuting view when the input does not have the keyboard.
pub const VIEW_KEYS: &[KeyRow<ViewKey>] = &[
    row(
        &[Key::Char('i'), Key::Code(KeyCode::Enter)],
        ViewKey::Type,
        f("i  Enter", "type minutes", "i", "type"),
    ),
    row(
        &[Key::Code(KeyCode::Left)],
        ViewKey::PreviousItem,
        f("← →", "previous / next agenda item", "← →", "item"),
    ),
    row(&[Key::Code(KeyCode::Right)], ViewKey::NextItem, b("→", "")),
    row(
        &[Key::Code(KeyCode::Up)],
        ViewKey::LineUp,
        b("↑ ↓", "select a line of this item"),
    ),
    row(&[Key::Code(KeyCode::Down)], ViewKey::LineDown, b("↓", "")),
    row(
        &[Key::Char('e')],
        ViewKey::Edit,
        f(
            "e",
            "edit the selected line (before approval; asks for another's line)",
            "e",
            "edit",
        ),
    ),
    row(
        &[Key::Char('d')],
        ViewKey::Withdraw,
        f(
            "d",
            "withdraw the selected line and what it created (asks; before approval)",
            "d",
            "withdraw",
        ),
    ),
    row(
        &[Key::Char('m')],
        ViewKey::Move,
        b("m", "move the selected line to another agenda item"),
    ),
    row(
        &[Key::Char('a')],
        ViewKey::AddItem,
        f("a", "add an agenda item", "a", "add item"),
    ),
    row(
        &[Key::Char('t')],
        ViewKey::Attendance,
        f(
            "t",
            "attendance: mark present / apologies / absent",
            "t",
            "attendance",
        ),
    ),
    row(
        &[Key::Char('T')],
        ViewKey::MinuteTaker,
        b("T", "the minute taker (until the minutes are approved)"),
    ),
    row(
        &[Key::Char('w')],
        ViewKey::Side,
        b(
            "w",
            "wide terminals: the agencies board or the open challenges beside the minutes",
        ),
    ),
    row(
        &[Key::Code(KeyCode::Esc)],
        ViewKey::Close,
        f("Esc", "back to the meetings", "Esc", "meetings"),
    ),
];

/// The statuses the attendance chooser offers, in option order.
const ATTENDANCE: [AttendanceStatus; 3] = [
    AttendanceStatus::Present,
    AttendanceStatus::Apologies,
    AttendanceStatus::Absent,
];

impl App {
    /// Opens a meeting for minuting; the input has the keyboard when it is in progress,
    /// and a saved draft comes back into it.
    pub(crate) fn open_minuting(&mut self, meeting_id: i64) -> crate::store::Result<()> {
        let meeting = self
            .store
            .meeting(meeting_id)?
            .ok_or_else(|| StoreError::Rule(format!("meeting {meeting_id} does not exist")))?;
        let draft = self.take_draft(&draft_place(meeting_id));
        let mut minuting = Minuting {
            focused: meeting.status == MeetingStatus::InProgress && !self.options.read_only,
            meeting,
            agenda: Vec::new(),
            minutes: Vec::new(),
            attendance: Vec::new(),
            item: 0,
            current: 0,
            refused: false,
            scroll_back: 0,
            input: new_input(draft.as_ref().map_or("", |(d, _)| d.text.as_str())),
            selected: None,
            message: None,
            draft_dirty: false,
            saved_at: None,
            draft_saved_at: None,
            side: SidePane::Agencies,
            tab: None,
            drawn: DrawnCells::default(),
            drawn_input: DrawnCells::default(),
        };
        minuting.reload(&self.store)?;
        // Carry on where the minutes stopped: the item of the last line.
        if let Some(last) = minuting.minutes.last() {
            minuting.item = minuting
                .agenda
                .iter()
                .position(|i| i.id == last.agenda_item_id)
                .unwrap_or(0);
            minuting.current = minuting.item;
        }
        if let Some((draft, more)) = draft {
            let when = crate::time::parse_stamp(&draft.saved_at)
                .map(|t| self.clock.to_local(t).format("%H:%M:%S").to_string())
                .unwrap_or_default();
            let more = if more > 0 {
                format!(" ({more} more from other closed windows come back after it is saved)")
            } else {
                String::new()
            };
            minuting.message = Some((
                format!(
                    "Your unsaved text from {when} is back in the input: Enter saves it.{more}"
                ),
                false,
            ));
        }
        if let Some(ws) = &mut self.workspace {
            ws.pane = Pane::Minutes;
            ws.minutes.session = Some(minuting);
        }
        // Lines a closed window of this login had not yet written are written now.
        let adopted = self.adopt_waiting(meeting_id);
        if adopted > 0 {
            self.flush_waiting();
            let still = self.seat.waiting.len();
            let lines = format!("{adopted} line{}", if adopted == 1 { "" } else { "s" });
            let message = if still == 0 {
                format!(
                    "Written now: {lines} from a window that closed before the database took them."
                )
            } else {
                format!(
                    "{lines} from a window that closed: {still} waiting for the database, written in order when it is free."
                )
            };
            if let Some(m) = self.minuting_mut()
                && m.message.as_ref().is_none_or(|(_, error)| !error)
            {
                m.message = Some((message, false));
            }
        }
        self.announce_presence();
        self.read_presence();
        Ok(())
    }

    /// Opens meeting `number` of the open case for minuting (`dhr minute`): the input has
    /// the keyboard unless the meeting is closed or approved.
    pub fn open_meeting_number(&mut self, number: i64) -> crate::store::Result<()> {
        let ws = self
            .workspace
            .as_ref()
            .ok_or_else(|| StoreError::Rule("no case is open".into()))?;
        let meetings = &ws.minutes.meetings;
        let meeting = meetings
            .iter()
            .find(|m| m.meeting.number == number)
            .map(|m| m.meeting.clone())
            .ok_or_else(|| {
                let numbers: Vec<String> = meetings
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

    /// Does what a key of the minuting view asks; `None` gives the key to the list moves
    /// and the workspace (panes, help).
    pub(crate) fn on_minuting_key(&mut self, action: ViewKey) -> Option<Effect> {
        self.minuting()?;
        let changes = matches!(
            action,
            ViewKey::Type
                | ViewKey::Edit
                | ViewKey::Withdraw
                | ViewKey::Move
                | ViewKey::AddItem
                | ViewKey::Attendance
                | ViewKey::MinuteTaker
        );
        if changes && self.refuse_in_reading_seat() {
            return Some(Effect::Redraw);
        }
        if action == ViewKey::Close {
            // What is typed stays this seat's draft of the meeting.
            self.save_draft_now();
            if let Some(ws) = &mut self.workspace {
                ws.minutes.session = None;
            }
            self.announce_presence();
            return Some(Effect::Redraw);
        }
        let m = self.minuting_mut()?;
        let lines = m.item_minutes().len();
        match action {
            ViewKey::Close => {}
            // Typing always continues at the meeting's current item, whatever was browsed.
            ViewKey::Type => {
                m.focused = true;
                m.selected = None;
                m.item = m.current;
                m.scroll_back = 0;
            }
            ViewKey::PreviousItem => {
                m.item = m.item.saturating_sub(1);
                m.selected = None;
            }
            ViewKey::NextItem => {
                m.item = (m.item + 1).min(m.agenda.len().saturating_sub(1));
                m.selected = None;
            }
            ViewKey::LineUp => {
                m.selected = Some(
                    m.selected
                        .map_or(lines.saturating_sub(1), |s| s.saturating_sub(1)),
                )
            }
            ViewKey::LineDown => {
                m.selected = Some(
                    m.selected
                        .map_or(0, |s| (s + 1).min(lines.saturating_sub(1))),
                )
            }
            ViewKey::Side => {
                m.side = if m.side == SidePane::Agencies {
                    SidePane::Challenges
                } else {
                    SidePane::Agencies
                };
            }
            ViewKey::Edit => self.edit_selected_minute(),
            ViewKey::Withdraw => self.withdraw_selected_minute(),
            ViewKey::Move => self.move_selected_minute(),
            ViewKey::AddItem => {
                let form = Form::new(
                    "Add an agenda item",
                    vec![Field::with_id(MinutesField::Title, "Title", "", false, "")],
                );
                self.open_form(form, FormTarget::Minutes(MinutesForm::AddItem));
            }
            ViewKey::Attendance => self.choose_attendee(),
            ViewKey::MinuteTaker => {
                let meeting = m.meeting.clone();
                self.open_minute_taker_form(&meeting);
            }
        }
        Some(Effect::Redraw)
    }

    fn selected_minute(&self) -> Option<Minute> {
        let m = self.minuting()?;
        m.item_minutes().get(m.selected?).map(|x| (*x).clone())
    }

    /// The facts of the selected line for a correction, or why there is none to make.
    fn selected_line_facts(&mut self) -> Option<LineFacts> {
        let Some(minute) = self.selected_minute() else {
            self.error("Select a line with ↑ ↓ first.");
            return None;
        };
        match self.store.line_facts(minute.id) {
            Ok(facts) if facts.locked => {
                self.error("These minutes are approved and locked: record an amendment at a later meeting (/amend N: …).");
                None
            }
            Ok(facts) => Some(facts),
            Err(e) => {
                self.error(e.to_string());
                None
            }
        }
    }

    /// `e`: this login's own line opens in the editor at once; another login's line, or
    /// one whose record changed since, asks first, naming its author and the change.
    fn edit_selected_minute(&mut self) {
        let Some(facts) = self.selected_line_facts() else {
            return;
        };
        if facts.own && facts.record_changed.is_none() {
            open_line_editor(self, facts.minute.id, facts.seen);
            return;
        }
        let question = format!(
            "\"{}\"\n{}\nEdit it?",
            one_line(&facts.minute.text),
            line_warnings(&facts, "Editing changes the line's text only")
        );
        self.ask(
            "Edit this line?",
            question,
            ConfirmTarget::Minutes(MinutesConfirm::EditLine {
                minute: facts.minute.id,
                seen: facts.seen,
            }),
        );
    }

    /// `d`: withdraw the selected line and the record it created, after a question that
    /// names its author when it is another login's and says if the record changed since.
    fn withdraw_selected_minute(&mut self) {
        let Some(facts) = self.selected_line_facts() else {
            return;
        };
        let what = match facts.minute.record.as_ref().map(|(t, _)| t.as_str()) {
            Some("attendance") => "The attendance it recorded goes back as it was",
            Some(_) => "The record it created is withdrawn with it",
            None => "It is a note: nothing else changes",
        };
        let question = format!(
            "\"{}\"\n{}\nBoth stay in the audit trail. Withdraw it?",
            one_line(&facts.minute.text),
            line_warnings(&facts, what)
        );
        self.ask(
            "Withdraw this line?",
            question,
            ConfirmTarget::Minutes(MinutesConfirm::WithdrawLine {
                minute: facts.minute.id,
                seen: facts.seen,
            }),
        );
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
        let labels = m
            .agenda
            .iter()
            .map(|i| format!("{}. {}", i.position, i.title))
            .collect();
        let to = m.agenda.iter().map(|i| i.id).collect();
        self.open_chooser(
            "Move the line to the agenda item",
            labels,
            ChooseTarget::Minutes(MinutesChoice::MoveLine {
                minute: minute.id,
                to,
            }),
        );
    }

    fn choose_attendee(&mut self) {
        let Some(m) = self.minuting() else { return };
        if m.locked() {
            self.error("These minutes are approved and locked.");
            return;
        }
        let labels = m
            .attendance
            .iter()
            .map(|a| {
                let guest = if a.guest { ", guest" } else { "" };
                format!("{} ({}{guest}): {}", a.person, a.role, a.status)
            })
            .collect();
        let attendance = m.attendance.iter().map(|a| a.id).collect();
        self.open_chooser(
            "Attendance: choose a person, then what to record",
            labels,
            ChooseTarget::Minutes(MinutesChoice::Attendee { attendance }),
        );
    }

    /// After a change to the open meeting's lines, agenda or attendance: the meeting and
    /// the meetings list read again, and `done` said.
    fn after_minuting_change(&mut self, done: &str) {
        if self.reload_minutes() {
            self.info(done.to_string());
        }
    }
}

/// What a question about a line says beyond the line: what the correction does, whose
/// the line is when it is not this login's, and how its record changed since.
fn line_warnings(facts: &LineFacts, what: &str) -> String {
    let mut out = format!("{what}.");
    if !facts.own {
        out.push_str(&format!(
            "\nThis line was written by {}, not by you.",
            facts.author
        ));
    }
    if let Some(changed) = &facts.record_changed {
        out.push_str(&format!("\nNote: {changed}."));
    }
    out
}

/// Opens the editor of a line (after its question, if one was asked).
pub(super) fn open_line_editor(app: &mut App, minute: i64, seen: LineSeen) {
    let text = app
        .minuting()
        .and_then(|m| m.minutes.iter().find(|x| x.id == minute))
        .map(|x| x.text.clone())
        .unwrap_or_default();
    let form = Form::new(
        "Edit the line",
        vec![Field::with_id(MinutesField::Text, "Text", "", true, &text)],
    );
    app.open_form(
        form,
        FormTarget::Minutes(MinutesForm::EditLine { minute, seen }),
    );
}

/// A yes to "Withdraw this line?": the store checks again what the question showed.
pub(super) fn withdraw_line(app: &mut App, minute: i64, seen: LineSeen) {
    match app.store.withdraw_minute(minute, seen) {
        Ok(message) => {
            app.reload_workspace();
            if let Some(m) = app.minuting_mut() {
                m.selected = None;
            }
            app.after_minuting_change(&message);
        }
        Err(e) => app.error(format!("Not withdrawn: {e}")),
    }
}

pub(super) fn save_minute_edit(app: &mut App, mut form: Form, minute: i64, seen: LineSeen) {
    let target = FormTarget::Minutes(MinutesForm::EditLine { minute, seen });
    let text = form.text(MinutesField::Text);
    if text.is_empty() {
        form.mark(
            MinutesField::Text,
            "a line cannot be empty: Esc, then d withdraws it",
        );
        app.open_form(form, target);
        return;
    }
    match app.store.edit_minute_seen(minute, &text, seen) {
        Ok(_) => app.after_minuting_change("Line saved."),
        Err(e @ StoreError::Stale(_)) => app.error(e.to_string()),
        Err(e) => app.form_back(form, target, format!("Not saved: {e}")),
    }
}

pub(super) fn move_minute(app: &mut App, item_id: i64, minute_id: i64) {
    match app.store.move_minute(minute_id, item_id) {
        Ok(_) => app.after_minuting_change("Line moved."),
        Err(e) => app.error(e.to_string()),
    }
}

pub(super) fn save_agenda_item(app: &mut App, mut form: Form) {
    let title = form.text(MinutesField::Title);
    if title.is_empty() {
        form.mark(MinutesField::Title, "give the item a title");
        app.open_form(form, FormTarget::Minutes(MinutesForm::AddItem));
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

/// The second chooser of `t`: what to record the chosen person as.
pub(super) fn choose_attendance_status(app: &mut App, attendance: i64) {
    let labels = ATTENDANCE.iter().map(|s| s.label().to_string()).collect();
    app.open_chooser(
        "Record them as",
        labels,
        ChooseTarget::Minutes(MinutesChoice::Attendance {
            attendance,
            to: ATTENDANCE.to_vec(),
        }),
    );
}

pub(super) fn set_attendance(app: &mut App, attendance_id: i64, status: AttendanceStatus) {
    match app.store.set_attendance(attendance_id, status) {
        Ok(_) => app.after_minuting_change("Attendance saved."),
        Err(e) => app.error(e.to_string()),
    }
}
