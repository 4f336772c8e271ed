//! The Challenges pane's own keys: the challenge log filtered by agency, status (or
//! overdue) and meeting, the detail of a challenge with the meeting and minute it came
//! from, and the chair's edits: the agency's response (an open challenge becomes
//! answered), status moves along the lifecycle of `domain::challenge`, the response due
//! date, and the question while its minutes are not yet approved (SPEC §3.7, §6.4).
//!
//! The filter is the pane's filter line itself, written with qualifiers
//! (`agency:POLICE status:open meeting:2` and free words): `f` fills it from a form, `/`
//! types it, Esc clears it, so there is one filter shown in one place.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};

use super::cases::exact_day;
use super::form::{Field, Form};
use super::keys::{Binding, b, f};
use super::{App, Effect, Overlay, Pane, Workspace};
use crate::domain::challenge::{LogFilter, StatusFilter, allowed_moves, check_move, days_overdue};
use crate::domain::model::{Challenge, ChallengeStatus, agency_by_word};
use crate::store::StoreError;
use crate::store::logs::{LogTable, Logged, RecordSource};

/// The keys this pane adds, for the footer and help.
pub const BINDINGS: &[Binding] = &[
    f(
        "Enter",
        "the challenge in full: meeting and minute it came from, terms, response",
        "Enter",
        "detail",
    ),
    f(
        "r",
        "record the agency's response (an open challenge becomes answered)",
        "r",
        "response",
    ),
    f(
        "s",
        "move the status: open, answered, closed, escalated",
        "s",
        "status",
    ),
    b("d", "set or clear the day the response is due"),
    b(
        "e",
        "edit the question (locked once its minutes are approved)",
    ),
    f(
        "f",
        "filter by agency, status (or overdue) and meeting",
        "f",
        "filter",
    ),
    b("Esc", "clear the filter first"),
];

/// Field labels of the pane's forms, used to read the values back.
pub mod label {
    pub const RESPONSE: &str = "Response";
    pub const RESPONSE_ON: &str = "Response date";
    pub const DUE: &str = "Response due";
    pub const QUESTION: &str = "Question";
    pub const AGENCY: &str = "Agency";
    pub const STATUS: &str = "Status";
    pub const MEETING: &str = "Meeting number";
}
use label::*;

impl Workspace {
    /// The challenge log's filter, read from its filter line.
    pub fn challenge_filter(&self) -> LogFilter {
        LogFilter::parse(&self.cursor_of(Pane::Challenges).filter)
    }

    /// The challenges the pane lists: those passing its filter, oldest first.
    pub fn challenge_rows(&self) -> Vec<&Logged<Challenge>> {
        let filter = self.challenge_filter();
        self.challenges
            .iter()
            .filter(|c| {
                filter.matches_challenge(&c.record, &c.agency_code, c.meeting_number, self.today)
            })
            .collect()
    }

    /// The index of the selected row, kept within the rows listed.
    pub fn challenge_selected(&self) -> usize {
        self.cursor_of(Pane::Challenges)
            .selected
            .min(self.challenge_rows().len().saturating_sub(1))
    }

    /// The selected challenge, if the pane lists any.
    pub fn selected_challenge(&self) -> Option<&Logged<Challenge>> {
        self.challenge_rows()
            .get(self.challenge_selected())
            .copied()
    }

    /// The name of an agency of the case, for details ("" when unknown).
    pub(super) fn agency_name(&self, agency_id: Option<i64>) -> String {
        agency_id
            .and_then(|id| self.agencies.iter().find(|a| a.agency.id == id))
            .map(|a| a.agency.name.clone())
            .unwrap_or_default()
    }

    /// Terms of reference by id, as "number. heading", for details.
    pub(super) fn term_titles(&self, ids: &[i64]) -> Vec<String> {
        ids.iter()
            .filter_map(|id| self.terms.iter().find(|t| t.id == *id))
            .map(|t| format!("{}. {}", t.position, t.heading))
            .collect()
    }
}

/// A day as typed into forms.
pub(super) fn uk_day(day: Option<NaiveDate>) -> String {
    day.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

/// A day as shown in details, or `none`.
pub(super) fn long_day_or(day: Option<NaiveDate>, none: &str) -> String {
    day.map(|d| d.format("%d %b %Y").to_string())
        .unwrap_or_else(|| none.to_string())
}

/// "Label: value", continuation lines of a multi-line value indented under the value.
pub(super) fn push_field(out: &mut String, label: &str, value: &str) {
    let indent = " ".repeat(label.chars().count() + 2);
    for (i, line) in value.split('\n').enumerate() {
        if i == 0 {
            out.push_str(&format!("{label}: {line}\n"));
        } else {
            out.push_str(&format!("{indent}{line}\n"));
        }
    }
}

/// Where a record came from, in words: "meeting 2 (14 Jun 2026, minutes approved),
/// agenda item 8 "Scoping", minute at 10:57:" and the minute's text below it.
pub(super) fn push_source(
    app: &App,
    out: &mut String,
    label: &str,
    source: &crate::store::Result<Option<RecordSource>>,
) {
    let source = match source {
        Ok(Some(source)) => source,
        Ok(None) => {
            push_field(out, label, "no meeting: it was not minuted");
            return;
        }
        Err(e) => {
            push_field(
                out,
                label,
                &format!("cannot be read ({e}): try again, or run `dhr check`"),
            );
            return;
        }
    };
    let when = source
        .meeting_date
        .map(|d| format!("{}, ", d.format("%d %b %Y")))
        .unwrap_or_default();
    let state = if source.locked() {
        "minutes approved".to_string()
    } else {
        format!("minutes {}", source.meeting_status)
    };
    let mut head = format!("meeting {} ({when}{state})", source.meeting_number);
    match &source.minute {
        Some(m) => {
            let time = crate::time::parse_stamp(&m.minuted_at)
                .map(|t| app.clock.to_local(t).format("%H:%M").to_string())
                .unwrap_or_else(|| "an unknown time".to_string());
            head.push_str(&format!(
                ", agenda item {} \"{}\", minute at {time}:",
                m.item_number, m.item_title
            ));
            push_field(out, label, &head);
            for line in m.text.split('\n') {
                out.push_str(&format!("  {line}\n"));
            }
        }
        None => {
            head.push_str(", not from a line of its minutes");
            push_field(out, label, &head);
        }
    }
}

/// The whole of a challenge, for its detail view.
fn challenge_detail(app: &App, ws: &Workspace, c: &Logged<Challenge>) -> (String, String) {
    let r = &c.record;
    let none = if app.options.ascii { "-" } else { "—" };
    let source = app.store.record_source(LogTable::Challenges, r.id);
    let terms = app
        .store
        .record_term_ids(LogTable::Challenges, r.id)
        .unwrap_or_default();
    let mut out = String::new();
    push_field(&mut out, "Question", &r.question);
    let name = ws.agency_name(r.agency_id);
    let agency = match (c.agency_code.as_str(), name.as_str()) {
        ("", _) => none.to_string(),
        (code, "") => code.to_string(),
        (code, name) => format!("{code} ({name})"),
    };
    push_field(&mut out, "Agency", &agency);
    let by = if r.raised_by.is_empty() {
        none
    } else {
        &r.raised_by
    };
    push_field(
        &mut out,
        "Raised by",
        &format!("{by} on {}", long_day_or(r.raised_on, none)),
    );
    push_field(&mut out, "Status", r.status.label());
    let late = days_overdue(r, app.today)
        .map(|d| format!("  ! overdue by {d} day{}", if d == 1 { "" } else { "s" }))
        .unwrap_or_default();
    push_field(
        &mut out,
        "Response due",
        &format!("{}{late}", long_day_or(r.response_due, none)),
    );
    if r.response.is_empty() {
        push_field(&mut out, "Response", "none recorded yet (r records it)");
    } else {
        push_field(&mut out, "Response", &r.response);
        push_field(&mut out, "Response date", &long_day_or(r.response_on, none));
    }
    let terms = ws.term_titles(&terms);
    push_field(
        &mut out,
        "Terms of reference",
        &if terms.is_empty() {
            none.to_string()
        } else {
            terms.join("; ")
        },
    );
    push_source(app, &mut out, "Raised at", &source);
    out.push('\n');
    if source
        .as_ref()
        .is_ok_and(|s| s.as_ref().is_some_and(RecordSource::locked))
    {
        out.push_str(
            "The question is locked with the approved minutes; the response, status and due \
             date stay editable.\n",
        );
    }
    out.push_str(
        "Esc closes; then r records the response, s moves the status, d sets the due date.",
    );
    let sep = if app.options.ascii { " | " } else { " · " };
    let title = match c.meeting_number {
        Some(n) => format!("Challenge to {}{sep}meeting {n}", c.agency_code),
        None => format!("Challenge to {}", c.agency_code),
    };
    (title, out)
}

impl App {
    /// Keys of the Challenges pane itself; `None` when the key is not one of them.
    pub(super) fn on_challenges_key(&mut self, key: KeyEvent) -> Option<Effect> {
        let page = self.page();
        let ws = self.workspace.as_mut()?;
        let len = ws.challenge_rows().len();
        let from = ws.challenge_selected() as i64;
        let mut go = |delta: i64| {
            ws.cursor_mut().selected =
                (from.saturating_add(delta)).clamp(0, len.saturating_sub(1) as i64) as usize;
        };
        match key.code {
            KeyCode::Up => go(-1),
            KeyCode::Down => go(1),
            KeyCode::PageUp => go(-page),
            KeyCode::PageDown => go(page),
            KeyCode::Home | KeyCode::Char('g') => go(i64::MIN / 2),
            KeyCode::End | KeyCode::Char('G') => go(i64::MAX / 2),
            KeyCode::Esc if !ws.cursor().filter.is_empty() => {
                ws.cursor_mut().filter.clear();
                ws.cursor_mut().selected = 0;
                self.info("Challenges: every agency, status and meeting shown again.");
            }
            KeyCode::Char('f') => {
                let form = filter_form(&ws.challenge_filter());
                self.overlay = Some(Overlay::Form {
                    form,
                    submit: apply_filter,
                    target: 0,
                });
            }
            KeyCode::Enter => {
                let Some(c) = ws.selected_challenge().cloned() else {
                    let why = nothing_selected(self.workspace.as_ref());
                    self.error(why);
                    return Some(Effect::Redraw);
                };
                let (title, text) = match &self.workspace {
                    Some(ws) => challenge_detail(self, ws, &c),
                    None => return None,
                };
                self.overlay = Some(Overlay::Report {
                    title,
                    text,
                    scroll: 0,
                });
            }
            KeyCode::Char('r' | 's' | 'd' | 'e') => {
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.on_challenge_edit_key(key.code);
            }
            _ => return None,
        }
        Some(Effect::Redraw)
    }

    /// `r`, `s`, `d` and `e` on the selected challenge.
    fn on_challenge_edit_key(&mut self, code: KeyCode) {
        let today = self.today;
        let Some(c) = self
            .workspace
            .as_ref()
            .and_then(Workspace::selected_challenge)
            .cloned()
        else {
            let why = nothing_selected(self.workspace.as_ref());
            self.error(why);
            return;
        };
        let r = &c.record;
        let about = format!("{} challenge", c.agency_code);
        match code {
            KeyCode::Char('r') => {
                let form = Form::new(
                    format!(
                        "Response of {} to: {}",
                        c.agency_code,
                        first_words(&r.question)
                    ),
                    vec![
                        Field::new(
                            RESPONSE,
                            "what the agency answered (Enter for a new line)",
                            true,
                            &r.response,
                        ),
                        Field::new(
                            RESPONSE_ON,
                            "the day it came, such as 20/11/2026; empty: today",
                            false,
                            &uk_day(Some(r.response_on.unwrap_or(today))),
                        ),
                    ],
                );
                self.overlay = Some(Overlay::Form {
                    form,
                    submit: save_response,
                    target: r.id,
                });
            }
            KeyCode::Char('s') => {
                let allowed = allowed_moves(r.status);
                if allowed.is_empty() {
                    self.error(format!(
                        "The {about} is \"{}\", which is final: raise a new challenge if the question comes back.",
                        r.status
                    ));
                    return;
                }
                // Every status is listed, the legal moves first: picking another says why not.
                let mut options: Vec<(String, i64)> = Vec::new();
                for (i, status) in ChallengeStatus::ALL.iter().enumerate() {
                    if allowed.contains(status) {
                        options.push((status.label().to_string(), i as i64));
                    }
                }
                for (i, status) in ChallengeStatus::ALL.iter().enumerate() {
                    if !allowed.contains(status) && *status != r.status {
                        options.push((format!("{} (not from here)", status.label()), i as i64));
                    }
                }
                self.overlay = Some(Overlay::Choose {
                    title: format!("{about}: \"{}\" to", r.status),
                    options,
                    selected: 0,
                    choose: choose_status,
                    target: r.id,
                });
            }
            KeyCode::Char('d') => {
                self.overlay = Some(Overlay::Form {
                    form: Form::new(
                        format!("When the {about}'s response is due"),
                        vec![Field::new(
                            DUE,
                            "one day, such as 10/12/2026; empty: no due date",
                            false,
                            &uk_day(r.response_due),
                        )],
                    ),
                    submit: save_due,
                    target: r.id,
                });
            }
            KeyCode::Char('e') => {
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
                self.overlay = Some(Overlay::Form {
                    form: Form::new(
                        format!("Question of the {about}"),
                        vec![Field::new(
                            QUESTION,
                            "what the panel asks the agency",
                            true,
                            &r.question,
                        )],
                    ),
                    submit: save_question,
                    target: r.id,
                });
            }
            _ => {}
        }
    }
}

/// The start of a text for a title: its first line, cut to about forty characters.
fn first_words(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() <= 40 {
        line.to_string()
    } else {
        let cut: String = line.chars().take(39).collect();
        format!("{cut}...")
    }
}

/// Puts a form back over the pane with a message, so nothing typed is lost.
fn back(app: &mut App, mut form: Form, submit: super::Submit, target: i64, message: String) {
    form.message = Some(message);
    app.overlay = Some(Overlay::Form {
        form,
        submit,
        target,
    });
}

/// The challenge `id` as the pane holds it.
fn challenge_by_id(app: &App, id: i64) -> Option<Logged<Challenge>> {
    app.workspace
        .as_ref()?
        .challenges
        .iter()
        .find(|c| c.record.id == id)
        .cloned()
}

/// Reads the pane again after a write, keeping the challenge `id` selected if listed.
fn after_write(app: &mut App, id: i64, message: String) {
    let mut message = message;
    app.reload_workspace();
    if let Some(ws) = &mut app.workspace
        && ws.pane == Pane::Challenges
    {
        match ws.challenge_rows().iter().position(|c| c.record.id == id) {
            Some(i) => ws.cursor_mut().selected = i,
            None => message.push_str(" The filter hides it now: Esc clears the filter."),
        }
    }
    if app.status.as_ref().is_none_or(|s| !s.is_error) {
        app.info(message);
    }
}

/// Why nothing is selected, and what to do about it.
fn nothing_selected(ws: Option<&Workspace>) -> &'static str {
    if ws.is_some_and(|ws| ws.challenges.is_empty()) {
        "The case has no challenges yet: they are raised while minuting (/challenge AGENCY: QUESTION)."
    } else {
        "There is no challenge selected: f changes the filter, Esc clears it."
    }
}

const GONE: &str = "That challenge no longer exists: it may have been withdrawn.";

fn save_response(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    let today = app.today;
    let Some(c) = challenge_by_id(app, target) else {
        app.error(GONE);
        return;
    };
    let response = form
        .field(RESPONSE)
        .map(|f| f.value_or(&c.record.response))
        .unwrap_or_default();
    if response.trim().is_empty() {
        form.set_error(
            RESPONSE,
            "write what the agency answered; Esc leaves the challenge as it was",
        );
    }
    let day = exact_day(&mut form, RESPONSE_ON, today).unwrap_or(today);
    if day > today && form.field(RESPONSE_ON).is_some_and(|f| f.error.is_none()) {
        form.set_error(
            RESPONSE_ON,
            format!(
                "{} is after today: give the day the response came",
                day.format("%d/%m/%Y")
            ),
        );
    }
    if form.has_errors() {
        back(
            app,
            form,
            save_response,
            target,
            "Not saved: correct the marked fields.".into(),
        );
        return;
    }
    match app.store.record_challenge_response(target, &response, day) {
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
                target,
                format!(
                    "Response of {} recorded ({}); {now}.",
                    c.agency_code,
                    day.format("%d %b %Y")
                ),
            );
        }
        Err(e) => back(app, form, save_response, target, format!("Not saved: {e}")),
    }
}

/// A status picked from the chooser: a legal move is written, an illegal one is refused
/// with the reason and nothing is written.
fn choose_status(app: &mut App, value: i64, target: i64) {
    let Some(to) = usize::try_from(value)
        .ok()
        .and_then(|i| ChallengeStatus::ALL.get(i))
        .copied()
    else {
        return;
    };
    let Some(c) = challenge_by_id(app, target) else {
        app.error(GONE);
        return;
    };
    let r = &c.record;
    if let Err(reason) = check_move(r.status, to, !r.response.trim().is_empty()) {
        app.error(format!("Not changed: {reason}."));
        return;
    }
    match app.store.set_challenge_status(target, to) {
        Ok(from) => after_write(
            app,
            target,
            format!(
                "{} challenge moved from \"{from}\" to \"{to}\".",
                c.agency_code
            ),
        ),
        Err(e) => app.error(format!("Not changed: {e}.")),
    }
}

fn save_due(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    let Some(c) = challenge_by_id(app, target) else {
        app.error(GONE);
        return;
    };
    // A due date usually lies ahead: a two-digit year is always 20xx here.
    let due = match crate::domain::plan::parse_day(&form.value(DUE)) {
        Ok(due) => due,
        Err(e) => {
            form.set_error(DUE, e);
            back(app, form, save_due, target, "Not saved.".into());
            return;
        }
    };
    match app.store.set_challenge_due(target, due) {
        Ok(false) => app.info(format!("{} challenge: nothing changed.", c.agency_code)),
        Ok(true) => {
            let what = match due {
                Some(d) => format!("is due on {}", d.format("%d %b %Y")),
                None => "has no due date now".to_string(),
            };
            after_write(
                app,
                target,
                format!("The {} challenge's response {what}.", c.agency_code),
            );
        }
        Err(e) => back(app, form, save_due, target, format!("Not saved: {e}")),
    }
}

fn save_question(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    let Some(c) = challenge_by_id(app, target) else {
        app.error(GONE);
        return;
    };
    let question = form
        .field(QUESTION)
        .map(|f| f.value_or(&c.record.question))
        .unwrap_or_default();
    if question.trim().is_empty() {
        form.set_error(QUESTION, "write what the panel asks the agency");
        back(app, form, save_question, target, "Not saved.".into());
        return;
    }
    match app.store.set_challenge_question(target, &question) {
        Ok(false) => app.info(format!("{} challenge: nothing changed.", c.agency_code)),
        Ok(true) => after_write(
            app,
            target,
            format!("Question of the {} challenge saved.", c.agency_code),
        ),
        Err(StoreError::Rule(e)) => {
            form.set_error(QUESTION, e);
            back(app, form, save_question, target, "Not saved.".into());
        }
        Err(e) => back(app, form, save_question, target, format!("Not saved: {e}")),
    }
}

/// The filter form, filled with the filter in force.
fn filter_form(filter: &LogFilter) -> Form {
    Form::new(
        "Filter the challenges (all must hold; empty = any)",
        vec![
            Field::new(
                AGENCY,
                "short code or name",
                false,
                filter.agency.as_deref().unwrap_or(""),
            ),
            Field::new(
                STATUS,
                "open, answered, closed, escalated or overdue",
                false,
                filter.status.map_or("", StatusFilter::word),
            ),
            Field::new(
                MEETING,
                "the meeting that raised it, such as 2",
                false,
                &filter.meeting.map(|n| n.to_string()).unwrap_or_default(),
            ),
        ],
    )
}

/// Reads a meeting number of the case from a form ("" is none).
pub(super) fn meeting_number(ws: &Workspace, text: &str) -> Result<Option<i64>, String> {
    let text = text.trim().trim_start_matches(['m', 'M']).trim();
    if text.is_empty() {
        return Ok(None);
    }
    let numbers: Vec<i64> = ws
        .minutes
        .meetings
        .iter()
        .map(|m| m.meeting.number)
        .collect();
    match text.parse::<i64>() {
        Ok(n) if numbers.contains(&n) => Ok(Some(n)),
        _ => {
            let known = if numbers.is_empty() {
                "the case has no meetings yet".to_string()
            } else {
                let list: Vec<String> = numbers.iter().map(i64::to_string).collect();
                format!("give one of {}", list.join(", "))
            };
            Err(format!(
                "there is no meeting \"{text}\" in this case: {known}"
            ))
        }
    }
}

fn apply_filter(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    let Some(ws) = &app.workspace else { return };
    let typed = form.value(AGENCY);
    let agency = if typed.is_empty() {
        None
    } else {
        match agency_by_word(ws.agencies.iter().map(|a| &a.agency), &typed) {
            Some(a) => Some(a.code.clone()),
            None => {
                let known: Vec<&str> = ws.agencies.iter().map(|a| a.agency.code.as_str()).collect();
                form.set_error(
                    AGENCY,
                    format!(
                        "no agency \"{typed}\" in this case: use one of {}",
                        known.join(", ")
                    ),
                );
                None
            }
        }
    };
    let status_text = form.value(STATUS);
    let status = if status_text.is_empty() {
        None
    } else {
        StatusFilter::parse(&status_text)
            .map_err(|e| form.set_error(STATUS, e))
            .ok()
    };
    let meeting = meeting_number(ws, &form.value(MEETING))
        .map_err(|e| form.set_error(MEETING, e))
        .ok()
        .flatten();
    if form.has_errors() {
        back(
            app,
            form,
            apply_filter,
            target,
            "Not applied: correct the marked fields.".into(),
        );
        return;
    }
    let Some(ws) = &mut app.workspace else { return };
    // The words typed with / stay; the form sets the qualifiers.
    let filter = LogFilter {
        agency,
        status,
        meeting,
        words: ws.challenge_filter().words,
    };
    let cursor = ws.cursor_mut();
    cursor.filter = filter.to_text();
    cursor.selected = 0;
    let shown = ws.challenge_rows().len();
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
