//! The Challenges pane's forms and chooser: the response, the status move, the due date,
//! the question and the filter, each with its typed target and what saving it does.

use crate::app::form::{Field, Form};
use crate::app::panes::logs::{after_log_write, first_words, meeting_number, uk_day};
use crate::app::panes::{ChooseTarget, FieldId, FormTarget};
use crate::app::{App, Pane};
use crate::domain::challenge::{LogFilter, StatusFilter, allowed_moves, check_move};
use crate::domain::model::{Challenge, ChallengeStatus};
use crate::store::StoreError;
use crate::store::logs::{LogTable, Logged};

use super::ChallengesKey;

/// The pane's forms, each with what it saves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengesForm {
    /// The agency's response to this challenge, and the day it came.
    Response { challenge: i64 },
    /// The day this challenge's response is due.
    Due { challenge: i64 },
    /// The question of this challenge.
    Question { challenge: i64 },
    /// The agency / status / meeting filter.
    Filter,
}

impl ChallengesForm {
    /// The challenge the form edits (0 for the filter).
    pub fn record(self) -> i64 {
        match self {
            ChallengesForm::Response { challenge }
            | ChallengesForm::Due { challenge }
            | ChallengesForm::Question { challenge } => challenge,
            ChallengesForm::Filter => 0,
        }
    }
}

impl From<ChallengesForm> for FormTarget {
    fn from(form: ChallengesForm) -> FormTarget {
        FormTarget::Challenges(form)
    }
}

/// The fields of the pane's forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengesField {
    Response,
    ResponseOn,
    Due,
    Question,
    Agency,
    Status,
    Meeting,
}

impl From<ChallengesField> for FieldId {
    fn from(f: ChallengesField) -> FieldId {
        FieldId::Challenges(f)
    }
}

use ChallengesField::{
    Agency as AGENCY, Due as DUE, Meeting as MEETING, Question as QUESTION, Response as RESPONSE,
    ResponseOn as RESPONSE_ON, Status as STATUS,
};

/// What the pane's chooser picks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChallengesChoice {
    /// The status this challenge moves to: the statuses in option order.
    Status {
        challenge: i64,
        to: Vec<ChallengeStatus>,
    },
}

impl App {
    /// `r`, `s`, `d` and `e` on the selected challenge.
    pub(super) fn on_challenge_edit_key(&mut self, action: ChallengesKey, c: &Logged<Challenge>) {
        let today = self.today;
        let r = &c.record;
        let challenge = r.id;
        let about = format!("{} challenge", c.agency_code);
        match action {
            ChallengesKey::Response => {
                let form = Form::new(
                    format!(
                        "Response of {} to: {}",
                        c.agency_code,
                        first_words(&r.question)
                    ),
                    vec![
                        Field::with_id(
                            RESPONSE,
                            "Response",
                            "what the agency answered (Enter for a new line)",
                            true,
                            &r.response,
                        ),
                        Field::with_id(
                            RESPONSE_ON,
                            "Response date",
                            "the day it came, such as 20/11/2026; empty: today",
                            false,
                            &uk_day(Some(r.response_on.unwrap_or(today))),
                        ),
                    ],
                );
                self.open_form(form, ChallengesForm::Response { challenge }.into());
            }
            ChallengesKey::Status => {
                let allowed = allowed_moves(r.status);
                if allowed.is_empty() {
                    self.error(format!(
                        "The {about} is \"{}\", which is final: raise a new challenge if the question comes back.",
                        r.status
                    ));
                    return;
                }
                // Every status is listed, the legal moves first: picking another says why not.
                let mut labels = Vec::new();
                let mut to = Vec::new();
                for status in ChallengeStatus::ALL.iter().copied() {
                    if allowed.contains(&status) {
                        labels.push(status.label().to_string());
                        to.push(status);
                    }
                }
                for status in ChallengeStatus::ALL.iter().copied() {
                    if !allowed.contains(&status) && status != r.status {
                        labels.push(format!("{} (not from here)", status.label()));
                        to.push(status);
                    }
                }
                self.open_chooser(
                    format!("{about}: \"{}\" to", r.status),
                    labels,
                    ChooseTarget::Challenges(ChallengesChoice::Status { challenge, to }),
                );
            }
            ChallengesKey::Due => {
                let form = Form::new(
                    format!("When the {about}'s response is due"),
                    vec![Field::with_id(
                        DUE,
                        "Response due",
                        "one day, such as 10/12/2026; empty: no due date",
                        false,
                        &uk_day(r.response_due),
                    )],
                );
                self.open_form(form, ChallengesForm::Due { challenge }.into());
            }
            ChallengesKey::Question => {
                match self.store.record_source(LogTable::Challenges, r.id) {
                    Ok(Some(source)) if source.locked() => {
                        let n = source.meeting_number;
                        self.error(format!(
                            "The question is locked: the minutes of meeting {n} are approved. \
                             Record an amendment at a later meeting (/amend {n}: …); \
                             r, s and d still change the response, status and due date."
                        ));
                        return;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        self.error(format!("Cannot read where the challenge came from: {e}"));
                        return;
                    }
                }
                let form = Form::new(
                    format!("Question of the {about}"),
                    vec![Field::with_id(
                        QUESTION,
                        "Question",
                        "what the panel asks the agency",
                        true,
                        &r.question,
                    )],
                );
                self.open_form(form, ChallengesForm::Question { challenge }.into());
            }
            ChallengesKey::Detail | ChallengesKey::Filter | ChallengesKey::ClearFilter => {}
        }
    }
}

/// Saves one of the pane's forms.
pub(crate) fn submit(app: &mut App, form: Form, target: ChallengesForm) {
    match target {
        ChallengesForm::Response { challenge } => save_response(app, form, challenge),
        ChallengesForm::Due { challenge } => save_due(app, form, challenge),
        ChallengesForm::Question { challenge } => save_question(app, form, challenge),
        ChallengesForm::Filter => apply_filter(app, form),
    }
}

/// Does what the option picked in the pane's chooser means.
pub(crate) fn choose(app: &mut App, choice: ChallengesChoice, index: usize) {
    match choice {
        ChallengesChoice::Status { challenge, to } => {
            if let Some(to) = to.get(index) {
                choose_status(app, challenge, *to);
            }
        }
    }
}

/// The challenge `id` as the pane holds it.
fn challenge_by_id(app: &App, id: i64) -> Option<Logged<Challenge>> {
    app.workspace.as_ref()?.challenges.by_id(id).cloned()
}

/// Reads the pane again after a write, keeping the challenge `id` selected if listed.
fn after_write(app: &mut App, id: i64, message: String) {
    after_log_write(
        app,
        Pane::Challenges,
        |ws| {
            ws.challenges
                .rows(ws.today)
                .iter()
                .position(|c| c.record.id == id)
        },
        message,
    );
}

const GONE: &str = "That challenge no longer exists: it may have been withdrawn.";

fn save_response(app: &mut App, mut form: Form, challenge: i64) {
    form.clear_errors();
    let target = ChallengesForm::Response { challenge }.into();
    let today = app.today;
    let Some(c) = challenge_by_id(app, challenge) else {
        app.error(GONE);
        return;
    };
    let response = form
        .field_by(RESPONSE)
        .map(|f| f.value_or(&c.record.response))
        .unwrap_or_default();
    if response.trim().is_empty() {
        form.mark(
            RESPONSE,
            "write what the agency answered; Esc leaves the challenge as it was",
        );
    }
    let day = crate::app::panes::fields::exact_day(&mut form, RESPONSE_ON, today).unwrap_or(today);
    if day > today
        && form
            .field_by(RESPONSE_ON)
            .is_some_and(|f| f.error.is_none())
    {
        form.mark(
            RESPONSE_ON,
            format!(
                "{} is after today: give the day the response came",
                day.format("%d/%m/%Y")
            ),
        );
    }
    if form.has_errors() {
        app.form_back(form, target, "Not saved: correct the marked fields.");
        return;
    }
    match app
        .store
        .record_challenge_response(challenge, &response, day)
    {
        Ok((before, after)) => {
            let now = if before != after {
                format!("it is now {after}")
            } else if after == ChallengeStatus::Closed {
                "it stays closed".to_string()
            } else {
                format!("it stays {after}; s moves it on")
            };
            after_write(
                app,
                challenge,
                format!(
                    "Response of {} recorded ({}); {now}.",
                    c.agency_code,
                    day.format("%d %b %Y")
                ),
            );
        }
        Err(e) => app.form_back(form, target, format!("Not saved: {e}")),
    }
}

/// A status picked from the chooser: a legal move is written, an illegal one is refused
/// with the reason and nothing is written.
fn choose_status(app: &mut App, challenge: i64, to: ChallengeStatus) {
    let Some(c) = challenge_by_id(app, challenge) else {
        app.error(GONE);
        return;
    };
    let r = &c.record;
    if let Err(reason) = check_move(r.status, to, !r.response.trim().is_empty()) {
        app.error(format!("Not changed: {reason}."));
        return;
    }
    match app.store.set_challenge_status(challenge, to) {
        Ok(from) => after_write(
            app,
            challenge,
            format!(
                "{} challenge moved from \"{from}\" to \"{to}\".",
                c.agency_code
            ),
        ),
        Err(e) => app.error(format!("Not changed: {e}.")),
    }
}

fn save_due(app: &mut App, mut form: Form, challenge: i64) {
    form.clear_errors();
    let target = ChallengesForm::Due { challenge }.into();
    let Some(c) = challenge_by_id(app, challenge) else {
        app.error(GONE);
        return;
    };
    // A due date usually lies ahead: a two-digit year is always 20xx here.
    let due = match crate::domain::plan::parse_day(&form.text(DUE)) {
        Ok(due) => due,
        Err(e) => {
            form.mark(DUE, e);
            app.form_back(form, target, "Not saved.");
            return;
        }
    };
    match app.store.set_challenge_due(challenge, due) {
        Ok(false) => app.info(format!("{} challenge: nothing changed.", c.agency_code)),
        Ok(true) => {
            let what = match due {
                Some(d) => format!("is due on {}", d.format("%d %b %Y")),
                None => "has no due date now".to_string(),
            };
            after_write(
                app,
                challenge,
                format!("The {} challenge's response {what}.", c.agency_code),
            );
        }
        Err(e) => app.form_back(form, target, format!("Not saved: {e}")),
    }
}

fn save_question(app: &mut App, mut form: Form, challenge: i64) {
    form.clear_errors();
    let target = ChallengesForm::Question { challenge }.into();
    let Some(c) = challenge_by_id(app, challenge) else {
        app.error(GONE);
        return;
    };
    let question = form
        .field_by(QUESTION)
        .map(|f| f.value_or(&c.record.question))
        .unwrap_or_default();
    if question.trim().is_empty() {
        form.mark(QUESTION, "write what the panel asks the agency");
        app.form_back(form, target, "Not saved.");
        return;
    }
    match app.store.set_challenge_question(challenge, &question) {
        Ok(false) => app.info(format!("{} challenge: nothing changed.", c.agency_code)),
        Ok(true) => after_write(
            app,
            challenge,
            format!("Question of the {} challenge saved.", c.agency_code),
        ),
        Err(StoreError::Rule(e)) => {
            form.mark(QUESTION, e);
            app.form_back(form, target, "Not saved.");
        }
        Err(e) => app.form_back(form, target, format!("Not saved: {e}")),
    }
}

/// The filter form, filled with the filter in force.
pub(super) fn filter_form(filter: &LogFilter) -> Form {
    Form::new(
        "Filter the challenges (all must hold; empty = any)",
        vec![
            Field::with_id(
                AGENCY,
                "Agency",
                "short code or name",
                false,
                filter.agency.as_deref().unwrap_or(""),
            ),
            Field::with_id(
                STATUS,
                "Status",
                "open, answered, closed, escalated or overdue",
                false,
                filter.status.map_or("", StatusFilter::word),
            ),
            Field::with_id(
                MEETING,
                "Meeting number",
                "the meeting that raised it, such as 2",
                false,
                &filter.meeting.map(|n| n.to_string()).unwrap_or_default(),
            ),
        ],
    )
}

fn apply_filter(app: &mut App, mut form: Form) {
    form.clear_errors();
    let Some(ws) = &app.workspace else { return };
    let agency = ws
        .agency_by_word(&form.text(AGENCY))
        .map_err(|e| form.mark(AGENCY, e))
        .ok()
        .flatten()
        .map(|a| a.code.clone());
    let status_text = form.text(STATUS);
    let status = if status_text.is_empty() {
        None
    } else {
        StatusFilter::parse(&status_text)
            .map_err(|e| form.mark(STATUS, e))
            .ok()
    };
    let meeting = meeting_number(ws, &form.text(MEETING))
        .map_err(|e| form.mark(MEETING, e))
        .ok()
        .flatten();
    if form.has_errors() {
        app.form_back(
            form,
            ChallengesForm::Filter.into(),
            "Not applied: correct the marked fields.",
        );
        return;
    }
    let Some(ws) = &mut app.workspace else { return };
    // The words typed with / stay; the form sets the qualifiers.
    let filter = LogFilter {
        agency,
        status,
        meeting,
        words: ws.challenges.filter().words,
    };
    let cursor = &mut ws.challenges.cursor;
    cursor.filter = filter.to_text();
    cursor.selected = 0;
    let shown = ws.challenges.rows(ws.today).len();
    let message = if filter.is_empty() {
        "Challenges: every agency, status and meeting shown.".to_string()
    } else {
        format!(
            "{shown} challenge{} with {}; Esc clears the filter.",
            if shown == 1 { "" } else { "s" },
            filter.describe(", ")
        )
    };
    app.info(message);
}
