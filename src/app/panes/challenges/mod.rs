//! The Challenges pane: the challenge log filtered by agency, status (or overdue) and
//! meeting, the detail of a challenge with the meeting and minute it came from, and the
//! chair's edits: the agency's response (an open challenge becomes answered), status
//! moves along the lifecycle of `domain::challenge`, the response due date, and the
//! question while its minutes are not yet approved (approved minutes are locked).
//!
//! The filter is the pane's filter line itself, written with qualifiers
//! (`agency:POLICE status:open meeting:2` and free words): `f` fills it from a form, `/`
//! types it, Esc clears it, so there is one filter shown in one place. The forms and the
//! status chooser are in `forms.rs`; drawing: `src/ui/panes/challenges.rs`.

mod forms;

use chrono::NaiveDate;
use crossterm::event::KeyCode;

pub(crate) use forms::{ChallengesChoice, ChallengesField, ChallengesForm, choose, submit};

use super::logs::{long_day_or, push_field, push_source, push_terms, source_locked};
use crate::app::keys::{Key, KeyRow, b, f, row};
use crate::app::{App, Effect, ListCursor, Overlay, Workspace};
use crate::domain::challenge::{LogFilter, days_overdue};
use crate::domain::model::Challenge;
use crate::store::Store;
use crate::store::logs::{LogTable, Logged};

/// The pane's state: the case's challenges and the list's selection and filter line.
#[derive(Default)]
pub struct ChallengesPane {
    pub all: Vec<Logged<Challenge>>,
    pub cursor: ListCursor,
}

impl ChallengesPane {
    /// Reads the case's challenges again, keeping the selection within the list.
    pub fn reload(
        &mut self,
        store: &Store,
        case_id: i64,
        today: NaiveDate,
    ) -> crate::store::Result<()> {
        self.all = store.challenges(case_id)?;
        let len = self.rows(today).len();
        self.cursor.clamp(len);
        Ok(())
    }

    /// The challenge log's filter, read from its filter line.
    pub fn filter(&self) -> LogFilter {
        LogFilter::parse(&self.cursor.filter)
    }

    /// The challenges the pane lists: those passing its filter on `today` (overdue is
    /// worked out for the day), oldest first.
    pub fn rows(&self, today: NaiveDate) -> Vec<&Logged<Challenge>> {
        let filter = self.filter();
        self.all
            .iter()
            .filter(|c| {
                filter.matches_challenge(&c.record, &c.agency_code, c.meeting_number, today)
            })
            .collect()
    }

    /// The index of the selected row, kept within the rows listed.
    pub fn selected_index(&self, today: NaiveDate) -> usize {
        self.cursor
            .selected
            .min(self.rows(today).len().saturating_sub(1))
    }

    /// The selected challenge, if the pane lists any.
    pub fn selected(&self, today: NaiveDate) -> Option<&Logged<Challenge>> {
        self.rows(today).get(self.selected_index(today)).copied()
    }

    /// The challenge `id`, listed or not.
    pub fn by_id(&self, id: i64) -> Option<&Logged<Challenge>> {
        self.all.iter().find(|c| c.record.id == id)
    }
}

/// What the pane's keys do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengesKey {
    Detail,
    Response,
    Status,
    Due,
    Question,
    Filter,
    ClearFilter,
}

/// The keys this pane adds to the workspace's.
pub const KEYS: &[KeyRow<ChallengesKey>] = &[
    row(
        &[Key::Code(KeyCode::Enter)],
        ChallengesKey::Detail,
        f(
            "Enter",
            "the challenge in full: meeting and minute it came from, terms, response",
            "Enter",
            "detail",
        ),
    ),
    row(
        &[Key::Char('r')],
        ChallengesKey::Response,
        f(
            "r",
            "record the agency's response (an open challenge becomes answered)",
            "r",
            "response",
        ),
    ),
    row(
        &[Key::Char('s')],
        ChallengesKey::Status,
        f(
            "s",
            "move the status: open, answered, closed, escalated",
            "s",
            "status",
        ),
    ),
    row(
        &[Key::Char('d')],
        ChallengesKey::Due,
        b("d", "set or clear the day the response is due"),
    ),
    row(
        &[Key::Char('e')],
        ChallengesKey::Question,
        b(
            "e",
            "edit the question (locked once its minutes are approved)",
        ),
    ),
    row(
        &[Key::Char('f')],
        ChallengesKey::Filter,
        f(
            "f",
            "filter by agency, status (or overdue) and meeting",
            "f",
            "filter",
        ),
    ),
    row(
        &[Key::Code(KeyCode::Esc)],
        ChallengesKey::ClearFilter,
        b("Esc", "clear the filter first"),
    ),
];

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
    push_terms(&mut out, ws, &terms, none);
    push_source(app, &mut out, "Raised at", &source);
    out.push('\n');
    if source_locked(&source) {
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

/// Why nothing is selected, and what to do about it.
fn nothing_selected(ws: Option<&Workspace>) -> &'static str {
    if ws.is_some_and(|ws| ws.challenges.all.is_empty()) {
        "The case has no challenges yet: they are raised while minuting (/challenge AGENCY: QUESTION)."
    } else {
        "There is no challenge selected: f changes the filter, Esc clears it."
    }
}

impl App {
    /// Does what a key of the pane's table asks; `None` gives the key to the workspace.
    pub(crate) fn on_challenges_key(&mut self, action: ChallengesKey) -> Option<Effect> {
        let ws = self.workspace.as_mut()?;
        match action {
            ChallengesKey::ClearFilter => {
                if ws.challenges.cursor.filter.is_empty() {
                    return None;
                }
                ws.challenges.cursor.filter.clear();
                ws.challenges.cursor.selected = 0;
                self.info("Challenges: every agency, status and meeting shown again.");
            }
            ChallengesKey::Filter => {
                let form = forms::filter_form(&ws.challenges.filter());
                self.open_form(form, ChallengesForm::Filter.into());
            }
            ChallengesKey::Detail => {
                let Some(c) = ws.challenges.selected(ws.today).cloned() else {
                    let why = nothing_selected(self.workspace.as_ref());
                    self.error(why);
                    return Some(Effect::Redraw);
                };
                let (title, text) = match &self.workspace {
                    Some(ws) => challenge_detail(self, ws, &c),
                    None => return None,
                };
                self.overlays
                    .push(Overlay::Report(crate::app::overlay::Report::new(
                        title, text,
                    )));
            }
            edit @ (ChallengesKey::Response
            | ChallengesKey::Status
            | ChallengesKey::Due
            | ChallengesKey::Question) => {
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                let Some(c) = self
                    .workspace
                    .as_ref()
                    .and_then(|ws| ws.challenges.selected(ws.today))
                    .cloned()
                else {
                    let why = nothing_selected(self.workspace.as_ref());
                    self.error(why);
                    return Some(Effect::Redraw);
                };
                self.on_challenge_edit_key(edit, &c);
            }
        }
        Some(Effect::Redraw)
    }
}
