//! Meetings from the meetings list: planning one from the standard agenda, starting and
//! closing it, approving closed minutes at the meeting in progress, and recording an
//! amendment to approved minutes (written as an `/amend` line of the meeting in progress).

use super::{MinutesField, MinutesForm, new_input};
use crate::app::App;
use crate::app::form::{Field, Form};
use crate::app::panes::FormTarget;
use crate::app::panes::fields::exact_day;
use crate::domain::model::{Meeting, MeetingStatus};
use crate::store::minute_lines::MeetingPlan;

use MinutesField::{
    Agenda as AGENDA, Amendment as AMENDMENT, Date as DATE, MinuteTaker as TAKER, Number as NUMBER,
    Place as PLACE, StartTime as START,
};

/// The standard agendas to start from: a first panel meeting, and a later one.
pub(super) fn standard_agenda(first: bool) -> &'static [&'static str] {
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

impl App {
    pub(super) fn meeting_in_progress(&self) -> Option<Meeting> {
        self.workspace
            .as_ref()?
            .minutes
            .meetings
            .iter()
            .map(|m| &m.meeting)
            .find(|m| m.status == MeetingStatus::InProgress)
            .cloned()
    }

    /// The form planning the next meeting, with the standard agenda to start from.
    pub(super) fn open_plan_form(&mut self) {
        let next = self.workspace.as_ref().map_or(1, |ws| {
            self.store
                .next_meeting_number(ws.case.id)
                .unwrap_or_else(|_| {
                    ws.minutes
                        .meetings
                        .iter()
                        .map(|m| m.meeting.number)
                        .max()
                        .unwrap_or(0)
                        + 1
                })
        });
        let agenda = standard_agenda(next == 1).join("\n");
        let form = Form::new(
            format!("Plan meeting {next}"),
            vec![
                Field::with_id(NUMBER, "Number", "", false, &next.to_string()),
                Field::with_id(DATE, "Date", "dd/mm/yyyy", false, ""),
                Field::with_id(START, "Start time", "HH:MM", false, "10:00"),
                Field::with_id(PLACE, "Place", "a room, or online", false, ""),
                Field::with_id(
                    AGENDA,
                    "Agenda",
                    "one item a line; the standard agenda to start from",
                    true,
                    &agenda,
                ),
            ],
        );
        self.open_form(form, FormTarget::Minutes(MinutesForm::Plan));
    }

    /// `s` and `c` on the meetings list: closing always asks; starting asks when the
    /// meeting is not dated today (a meeting started by mistake weeks ahead), else starts.
    pub(super) fn ask_meeting_status(&mut self, meeting: &Meeting, start: bool) {
        use super::MinutesConfirm;
        use crate::app::panes::ConfirmTarget;
        let n = meeting.number;
        let date = meeting.date.format("%d %b %Y");
        if start {
            if meeting.status != MeetingStatus::Planned {
                self.error(format!(
                    "Meeting {n} is {}: only a planned meeting can start.",
                    meeting.status
                ));
                return;
            }
            if meeting.date == self.today {
                if let Err(e) = self.set_meeting_status(meeting, true) {
                    self.error(e);
                }
                return;
            }
            let when = if meeting.date > self.today {
                "ahead"
            } else {
                "ago"
            };
            let days = (meeting.date - self.today).num_days().abs();
            let time = if meeting.start_time.trim().is_empty() {
                "the clock's time now".to_string()
            } else {
                format!("the planned {}", meeting.start_time)
            };
            self.ask(
                format!("Start meeting {n}?"),
                format!(
                    "Meeting {n} is dated {date}, {days} day{} {when}, not today. Starting it puts it in progress now; its start time stays {time}.\nStart it?",
                    if days == 1 { "" } else { "s" }
                ),
                ConfirmTarget::Minutes(MinutesConfirm::StartMeeting { meeting: meeting.id }),
            );
            return;
        }
        if meeting.status != MeetingStatus::InProgress {
            self.error(format!(
                "Meeting {n} is {}: only a meeting in progress can close.",
                meeting.status
            ));
            return;
        }
        self.ask(
            format!("Close meeting {n}?"),
            format!(
                "Closing meeting {n} ({date}) ends it now: no more lines can be typed in it; its minutes can still be corrected until they are approved at the next meeting.\nClose it?"
            ),
            ConfirmTarget::Minutes(MinutesConfirm::CloseMeeting { meeting: meeting.id }),
        );
    }

    pub(super) fn set_meeting_status(
        &mut self,
        meeting: &Meeting,
        start: bool,
    ) -> Result<(), String> {
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
        self.reload_minutes();
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

    /// `A` on a closed meeting: approved at the meeting in progress, and locked.
    pub(super) fn approve_from_list(&mut self, meeting: &Meeting) {
        let Some(current) = self.meeting_in_progress() else {
            self.error("Minutes are approved at a later meeting: start that meeting first.");
            return;
        };
        match self.store.approve_minutes(current.id, meeting.number) {
            Ok(print) => {
                self.reload_minutes();
                self.info(format!(
                    "Meeting {} approved and locked; fingerprint {}.",
                    meeting.number,
                    &print[..12]
                ));
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// `T`: who takes the minutes of `meeting`, refused once they are approved. An empty
    /// field starts from the person on the case linked to this login.
    pub(super) fn open_minute_taker_form(&mut self, meeting: &Meeting) {
        if meeting.status == MeetingStatus::Approved {
            self.error(format!(
                "The minutes of meeting {} are approved and locked: the minute taker cannot change; a correction is an amendment (/amend {}).",
                meeting.number, meeting.number
            ));
            return;
        }
        let value = if meeting.minute_taker.trim().is_empty() {
            let login = self.store.login().to_string();
            self.store
                .person_for_login(meeting.case_id, &login)
                .ok()
                .flatten()
                .unwrap_or_default()
        } else {
            meeting.minute_taker.clone()
        };
        let form = Form::new(
            format!("Minute taker of meeting {}", meeting.number),
            vec![Field::with_id(
                TAKER,
                "Minute taker",
                "their name as the minutes should show it; empty for none",
                false,
                &value,
            )],
        );
        self.open_form(
            form,
            FormTarget::Minutes(MinutesForm::MinuteTaker {
                meeting: meeting.id,
            }),
        );
    }

    /// `M` on approved minutes: the amendment's text, recorded at the meeting in progress.
    pub(super) fn open_amendment_form(&mut self, number: i64) {
        let form = Form::new(
            format!("Amendment to the approved minutes of meeting {number}"),
            vec![Field::with_id(
                AMENDMENT,
                "Amendment",
                "who said what should be corrected, and how",
                true,
                "",
            )],
        );
        self.open_form(
            form,
            FormTarget::Minutes(MinutesForm::Amend { meeting: number }),
        );
    }
}

pub(super) fn save_planned_meeting(app: &mut App, mut form: Form) {
    form.clear_errors();
    let Some(case_id) = app.workspace.as_ref().map(|ws| ws.case.id) else {
        return;
    };
    let number: i64 = match form.text(NUMBER).parse() {
        Ok(n) if n > 0 => n,
        _ => {
            form.mark(NUMBER, "a whole number, 1 or more");
            0
        }
    };
    if app.workspace.as_ref().is_some_and(|ws| {
        ws.minutes
            .meetings
            .iter()
            .any(|m| m.meeting.number == number)
    }) {
        form.mark(NUMBER, format!("there is already a meeting {number}"));
    }
    let date = exact_day(&mut form, DATE, app.today);
    if date.is_none() && !form.has_errors() {
        form.mark(DATE, "give the date of the meeting");
    }
    let start = form.text(START);
    if chrono::NaiveTime::parse_from_str(&start, "%H:%M").is_err() {
        form.mark(START, "write it as HH:MM");
    }
    let agenda: Vec<String> = form
        .text(AGENDA)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    if agenda.is_empty() {
        form.mark(AGENDA, "give at least one item");
    }
    let target = FormTarget::Minutes(MinutesForm::Plan);
    if form.has_errors() {
        app.open_form(form, target);
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
        place: form.text(PLACE),
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
            app.reload_minutes();
            app.info(format!(
                "Meeting {number} planned: s starts it on the day, Enter opens its minutes."
            ));
        }
        Err(e) => app.form_back(form, target, format!("Not saved: {e}")),
    }
}

pub(super) fn save_amendment(app: &mut App, mut form: Form, number: i64) {
    let text = form.text(AMENDMENT);
    if text.is_empty() {
        form.mark(AMENDMENT, "say what is amended");
        app.open_form(
            form,
            FormTarget::Minutes(MinutesForm::Amend { meeting: number }),
        );
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
        m.input = new_input(&format!("/amend {number}: {text}"));
    }
    app.commit_input();
}

pub(super) fn save_minute_taker(app: &mut App, form: Form, meeting_id: i64) {
    let name = form.text(TAKER);
    // The store refuses approved minutes inside its transaction.
    match app.store.set_minute_taker(meeting_id, &name) {
        Ok(_) => {
            app.reload_minutes();
            app.info(if name.is_empty() {
                "No minute taker recorded.".to_string()
            } else {
                format!("Minute taker: {name}.")
            });
        }
        Err(e) => app.form_back(
            form,
            FormTarget::Minutes(MinutesForm::MinuteTaker {
                meeting: meeting_id,
            }),
            format!("Not saved: {e}"),
        ),
    }
}
