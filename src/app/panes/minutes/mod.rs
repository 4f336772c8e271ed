//! The Minutes pane: planning, starting and closing meetings, and live minuting — the
//! agenda, the minutes of the current item and an input whose every committed line is in
//! the database before the next key is read; approved minutes are locked.
//!
//! This file holds the pane's state (the meetings list, the selected meeting's agenda and
//! minutes, the open minuting session) and the meetings list's keys; the rest is split by
//! job: `view.rs` the minuting view and its edits of lines, agenda and attendance,
//! `input.rs` the minutes input, `commands.rs` committing a line of the minuting grammar,
//! `meetings.rs` planning, starting, closing, approving and amending meetings, `drafts.rs`
//! the input's draft, `export.rs` the export chooser (also opened from the case view).
//! Drawing: `src/ui/panes/minutes.rs`.

mod commands;
mod drafts;
pub mod export;
mod input;
mod meetings;
mod view;

pub use drafts::draft_place;
pub use export::{ExportChoice, export_again, open_generalise};
pub use input::{INPUT, INPUT_KEYS, InputKey};
pub use view::{Minuting, SidePane, VIEW_KEYS, ViewKey, new_input};

use crossterm::event::KeyCode;

use crate::app::form::Form;
use crate::app::keys::{Key, KeyRow, b, f, row};
use crate::app::panes::FieldId;
use crate::app::{App, Effect, ListCursor, matches_filter};
use crate::domain::model::{AgendaItem, AttendanceStatus, Meeting, MeetingStatus, Minute};
use crate::export::ExportKind;
use crate::store::Store;

/// A meeting with counts for the meetings list.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingRow {
    pub meeting: Meeting,
    pub present: usize,
    pub minutes: usize,
}

/// The pane's state: the case's meetings with the list's selection and filter line, the
/// agenda and minutes of the selected meeting, and the meeting open for minuting.
#[derive(Default)]
pub struct MinutesPane {
    pub meetings: Vec<MeetingRow>,
    /// The agenda and minutes of the selected meeting.
    pub agenda: Vec<AgendaItem>,
    pub minutes: Vec<Minute>,
    /// The meeting open for minuting, if any: the pane shows it instead of the list.
    pub session: Option<Minuting>,
    pub cursor: ListCursor,
}

impl MinutesPane {
    /// Reads the case's meetings again (one query for the counts of every meeting, not two
    /// per meeting), keeping the selection within the list, and the selected meeting's
    /// agenda and minutes. The open session is read by `reload_session`.
    pub fn reload(&mut self, store: &Store, case_id: i64) -> crate::store::Result<()> {
        let counts = store.meeting_counts(case_id)?;
        self.meetings = store
            .meetings(case_id)?
            .into_iter()
            .map(|meeting| {
                let (present, minutes) = counts
                    .iter()
                    .find(|(id, _, _)| *id == meeting.id)
                    .map_or((0, 0), |c| (c.1, c.2));
                MeetingRow {
                    meeting,
                    present,
                    minutes,
                }
            })
            .collect();
        let len = self.rows().len();
        self.cursor.clamp(len);
        self.load_selected(store)
    }

    /// Reads the open session's meeting, agenda, minutes and attendance again.
    pub fn reload_session(&mut self, store: &Store) -> crate::store::Result<()> {
        match &mut self.session {
            Some(m) => m.reload(store),
            None => Ok(()),
        }
    }

    /// The meetings the list shows: those passing its filter.
    pub fn rows(&self) -> Vec<&MeetingRow> {
        let f = &self.cursor.filter;
        self.meetings
            .iter()
            .filter(|m| {
                matches_filter(
                    f,
                    &format!(
                        "meeting {} {} {}",
                        m.meeting.number, m.meeting.place, m.meeting.status
                    ),
                )
            })
            .collect()
    }

    /// The selected meeting of the list.
    pub fn selected(&self) -> Option<&MeetingRow> {
        self.rows().get(self.cursor.selected).copied()
    }

    /// Reads the agenda and minutes of the selected meeting (after the selection moved).
    pub fn load_selected(&mut self, store: &Store) -> crate::store::Result<()> {
        match self.selected().map(|m| m.meeting.id) {
            Some(id) => {
                self.agenda = store.agenda(id)?;
                self.minutes = store.minutes(id)?;
            }
            None => {
                self.agenda.clear();
                self.minutes.clear();
            }
        }
        Ok(())
    }

    /// Selects the meeting in progress, if there is one (the pane starts on it).
    pub fn select_in_progress(&mut self, store: &Store) -> crate::store::Result<()> {
        if let Some(i) = self
            .meetings
            .iter()
            .position(|m| m.meeting.status == MeetingStatus::InProgress)
        {
            self.cursor.selected = i;
            self.load_selected(store)?;
        }
        Ok(())
    }
}

/// What the meetings list's keys do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinutesKey {
    Open,
    Plan,
    Start,
    Close,
    Approve,
    Amend,
    MinuteTaker,
    Export,
}

/// The keys the meetings list adds to the workspace's.
pub const KEYS: &[KeyRow<MinutesKey>] = &[
    row(
        &[Key::Code(KeyCode::Enter)],
        MinutesKey::Open,
        f(
            "Enter",
            "open the meeting's minutes (the input has the keyboard if it is in progress)",
            "Enter",
            "minutes",
        ),
    ),
    row(
        &[Key::Char('n')],
        MinutesKey::Plan,
        f("n", "plan a meeting, from the standard agenda", "n", "new"),
    ),
    row(
        &[Key::Char('s')],
        MinutesKey::Start,
        b("s", "start the meeting (in progress)"),
    ),
    row(
        &[Key::Char('c')],
        MinutesKey::Close,
        b("c", "close the meeting"),
    ),
    row(
        &[Key::Char('A')],
        MinutesKey::Approve,
        b(
            "A",
            "approve the selected closed meeting as a true record (while a later one is in progress)",
        ),
    ),
    row(
        &[Key::Char('M')],
        MinutesKey::Amend,
        b("M", "record an amendment to the selected approved minutes"),
    ),
    row(
        &[Key::Char('T')],
        MinutesKey::MinuteTaker,
        b(
            "T",
            "the minute taker of the selected meeting (until its minutes are approved)",
        ),
    ),
    row(
        &[Key::Char('x')],
        MinutesKey::Export,
        f(
            "x",
            "export the minutes (panel or anonymised) or the pre-meeting pack",
            "x",
            "export",
        ),
    ),
];

/// The pane's forms, each with what it saves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinutesForm {
    /// A new meeting with its agenda.
    Plan,
    /// An amendment to the approved minutes of meeting number `meeting`.
    Amend { meeting: i64 },
    /// The text of this line of the minutes, as the line and its record were when the
    /// edit was asked for (the save checks them again).
    EditLine {
        minute: i64,
        seen: crate::store::minute_lines::LineSeen,
    },
    /// A new agenda item of the meeting open for minuting.
    AddItem,
    /// Where (and whether anonymised) to write this export, as Markdown or Word;
    /// `publication` runs the publication check (anonymised, with the case's decisions).
    Export {
        kind: ExportKind,
        anonymise: bool,
        publication: bool,
        format: crate::export::ExportFormat,
    },
    /// Who takes the minutes of this meeting (by id).
    MinuteTaker { meeting: i64 },
    /// The words to write instead of the review list's finding number `row` (or of every
    /// finding of its kind): a generalise decision of the publication check.
    Generalise { row: usize, every_kind: bool },
}

impl MinutesForm {
    /// The record the form edits, keying its draft as the old numeric targets did.
    pub fn draft_key(&self) -> String {
        match *self {
            MinutesForm::Plan | MinutesForm::AddItem => "0".into(),
            MinutesForm::Amend { meeting } => meeting.to_string(),
            MinutesForm::EditLine { minute, .. } => minute.to_string(),
            MinutesForm::MinuteTaker { meeting } => meeting.to_string(),
            MinutesForm::Generalise { row, every_kind } => {
                format!("generalise:{row}{}", if every_kind { ":kind" } else { "" })
            }
            MinutesForm::Export {
                kind,
                anonymise,
                publication,
                format,
            } => export::draft_key(kind, anonymise, publication, format),
        }
    }
}

/// The fields of the pane's forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MinutesField {
    Number,
    Date,
    StartTime,
    Place,
    Agenda,
    Amendment,
    Text,
    Title,
    File,
    Anonymise,
    Allow,
    MinuteTaker,
    Times,
    /// An anonymised case pack with the case characteristics.
    Characteristics,
    /// The words a generalise decision writes instead of a finding.
    Replacement,
}

impl From<MinutesField> for FieldId {
    fn from(f: MinutesField) -> FieldId {
        FieldId::Minutes(f)
    }
}

/// What a yes to one of the pane's questions does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MinutesConfirm {
    /// Write this export over the existing file at `file` (what the form held).
    ReplaceExport {
        kind: ExportKind,
        anonymise: bool,
        chosen: bool,
        file: String,
        allow: Vec<String>,
        /// Each paragraph of the minutes with its time.
        times: bool,
        /// The publication check.
        publication: bool,
        /// An anonymised case pack with the case characteristics.
        characteristics: bool,
    },
    /// Close this meeting (`c`).
    CloseMeeting { meeting: i64 },
    /// Start this meeting, not dated today (`s`).
    StartMeeting { meeting: i64 },
    /// Withdraw this line and the record it created, as the question showed it.
    WithdrawLine {
        minute: i64,
        seen: crate::store::minute_lines::LineSeen,
    },
    /// Edit this line (another login's, or its record changed), as the question showed it.
    EditLine {
        minute: i64,
        seen: crate::store::minute_lines::LineSeen,
    },
}

impl MinutesConfirm {
    /// The words of the two answers.
    pub fn words(&self) -> (&'static str, &'static str) {
        match self {
            MinutesConfirm::ReplaceExport { .. } => ("replace it", "keep it"),
            MinutesConfirm::CloseMeeting { .. } => ("close it", "keep it open"),
            MinutesConfirm::StartMeeting { .. } => ("start it", "not yet"),
            MinutesConfirm::WithdrawLine { .. } => ("withdraw it", "keep it"),
            MinutesConfirm::EditLine { .. } => ("edit it", "leave it"),
        }
    }
}

/// Does what a yes (or a no) to one of the pane's questions means.
pub(crate) fn confirm(app: &mut App, question: MinutesConfirm, yes: bool) {
    if !yes && !matches!(question, MinutesConfirm::ReplaceExport { .. }) {
        app.info("Nothing changed.");
        return;
    }
    match question {
        MinutesConfirm::CloseMeeting { meeting } | MinutesConfirm::StartMeeting { meeting } => {
            let start = matches!(question, MinutesConfirm::StartMeeting { .. });
            let found = app.workspace.as_ref().and_then(|ws| {
                ws.minutes
                    .meetings
                    .iter()
                    .find(|m| m.meeting.id == meeting)
                    .map(|m| m.meeting.clone())
            });
            if let Some(found) = found
                && let Err(e) = app.set_meeting_status(&found, start)
            {
                app.error(e);
            }
        }
        MinutesConfirm::WithdrawLine { minute, seen } => view::withdraw_line(app, minute, seen),
        MinutesConfirm::EditLine { minute, seen } => view::open_line_editor(app, minute, seen),
        MinutesConfirm::ReplaceExport {
            kind,
            anonymise,
            chosen,
            file,
            allow,
            times,
            publication,
            characteristics,
        } => {
            let options = crate::export::ExportOptions {
                anonymise,
                allow,
                times,
                publication,
                characteristics,
            };
            export::replace_answered(app, kind, chosen, file, options, yes)
        }
    }
}

/// What the pane's choosers' options mean, in option order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MinutesChoice {
    /// The exports offered (a meeting's minutes or pack, or the case pack).
    Export(Vec<ExportChoice>),
    /// Move this line of the minutes to one of these agenda items.
    MoveLine { minute: i64, to: Vec<i64> },
    /// Whose attendance to record: these attendance rows.
    Attendee { attendance: Vec<i64> },
    /// Record this attendance row as one of these.
    Attendance {
        attendance: i64,
        to: Vec<AttendanceStatus>,
    },
}

/// Does what the option picked means.
pub(crate) fn choose(app: &mut App, choice: MinutesChoice, index: usize) {
    match choice {
        MinutesChoice::Export(options) => {
            if let Some(chosen) = options.get(index) {
                export::open_form(app, *chosen);
            }
        }
        MinutesChoice::MoveLine { minute, to } => {
            if let Some(&item) = to.get(index) {
                view::move_minute(app, item, minute);
            }
        }
        MinutesChoice::Attendee { attendance } => {
            if let Some(&id) = attendance.get(index) {
                view::choose_attendance_status(app, id);
            }
        }
        MinutesChoice::Attendance { attendance, to } => {
            if let Some(&status) = to.get(index) {
                view::set_attendance(app, attendance, status);
            }
        }
    }
}

/// Saves one of the pane's forms.
pub(crate) fn submit(app: &mut App, form: Form, target: MinutesForm) {
    match target {
        MinutesForm::Plan => meetings::save_planned_meeting(app, form),
        MinutesForm::Amend { meeting } => meetings::save_amendment(app, form, meeting),
        MinutesForm::EditLine { minute, seen } => view::save_minute_edit(app, form, minute, seen),
        MinutesForm::AddItem => view::save_agenda_item(app, form),
        MinutesForm::Export {
            kind,
            anonymise,
            publication,
            format,
        } => export::write_export(app, form, kind, anonymise, publication, format),
        MinutesForm::MinuteTaker { meeting } => meetings::save_minute_taker(app, form, meeting),
        MinutesForm::Generalise { row, every_kind } => {
            export::save_generalise(app, form, row, every_kind)
        }
    }
}

impl App {
    pub(crate) fn minuting(&self) -> Option<&Minuting> {
        self.workspace.as_ref()?.minutes.session.as_ref()
    }

    pub(crate) fn minuting_mut(&mut self) -> Option<&mut Minuting> {
        self.workspace.as_mut()?.minutes.session.as_mut()
    }

    /// Whether a meeting is open for minuting (the pane shows the minuting view).
    pub(crate) fn minuting_open(&self) -> bool {
        self.minuting().is_some()
    }

    /// Reads the Minutes pane again after a write that changes only meetings, agendas,
    /// minutes and attendance: the open session, then the meetings list and the selected
    /// meeting. Returns false (the error shown) if a read failed.
    pub(crate) fn reload_minutes(&mut self) -> bool {
        let store = &self.store;
        let Some(ws) = self.workspace.as_mut() else {
            return true;
        };
        if let Err(e) = ws.minutes.reload_session(store) {
            self.error(e.to_string());
            return false;
        }
        let case_id = ws.case.id;
        if let Err(e) = ws.minutes.reload(store, case_id) {
            self.error(e.to_string());
            return false;
        }
        true
    }

    /// Does what a key of the meetings list asks; `None` gives the key to the workspace.
    pub(crate) fn on_minutes_key(&mut self, action: MinutesKey) -> Option<Effect> {
        let selected = self
            .workspace
            .as_ref()
            .and_then(|ws| ws.minutes.selected().map(|m| m.meeting.clone()));
        match action {
            MinutesKey::Open => {
                let meeting = selected?;
                if let Err(e) = self.open_minuting(meeting.id) {
                    self.error(e.to_string());
                }
            }
            MinutesKey::Plan => {
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.open_plan_form();
            }
            MinutesKey::Start | MinutesKey::Close => {
                let meeting = selected?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.ask_meeting_status(&meeting, action == MinutesKey::Start);
            }
            MinutesKey::Approve => {
                let meeting = selected?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.approve_from_list(&meeting);
            }
            MinutesKey::Export => {
                let meeting = selected?;
                self.open_meeting_export(meeting.number);
            }
            MinutesKey::MinuteTaker => {
                let meeting = selected?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.open_minute_taker_form(&meeting);
            }
            MinutesKey::Amend => {
                let meeting = selected?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.open_amendment_form(meeting.number);
            }
        }
        Some(Effect::Redraw)
    }
}
