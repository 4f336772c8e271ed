//! The Terms pane's forms and choosers, with typed targets: the item form (add / edit),
//! the review period, the status chooser and the meeting it happened at, and the list
//! view's chooser of whose return addresses an item (the chair's mark).

use chrono::NaiveDate;

use super::{parse_kind, parse_period_day, read_coverage};
use crate::app::form::{Field, Form};
use crate::app::panes::{ChooseTarget, FieldId, FormTarget};
use crate::app::{App, Overlay};
use crate::domain::model::{MeetingStatus, TermOfReference, TermStatus};

/// The pane's forms, each with what it saves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermsForm {
    /// A new item, added last as a draft.
    Add,
    /// The edit form of this item.
    Edit { term: i64 },
    /// The case's review period.
    Period,
}

impl TermsForm {
    /// The record the form edits (0 for none), which keys its draft.
    pub fn record(&self) -> i64 {
        match self {
            TermsForm::Edit { term } => *term,
            TermsForm::Add | TermsForm::Period => 0,
        }
    }
}

/// The fields of the pane's forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermsField {
    Heading,
    Kind,
    Text,
    From,
    To,
}

impl From<TermsField> for FieldId {
    fn from(f: TermsField) -> FieldId {
        FieldId::Terms(f)
    }
}

use TermsField::{From as FROM, Heading as HEADING, Kind as KIND, Text as TEXT, To as TO};

/// What the options of the pane's choosers mean, in option order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermsChoice {
    /// The status this item takes.
    Status { term: i64, to: Vec<TermStatus> },
    /// The meeting the item took `status` at (`None`: not at a meeting).
    Meeting {
        term: i64,
        status: TermStatus,
        meetings: Vec<Option<i64>>,
    },
    /// The agency whose mark for this item toggles.
    Mark { term: i64, agencies: Vec<i64> },
}

/// A meeting as the status chooser lists it (ASCII only, for every terminal).
fn meeting_label(m: &crate::domain::model::Meeting) -> String {
    format!(
        "Meeting {}, {} ({})",
        m.number,
        m.date.format("%d %b %Y"),
        m.status
    )
}

/// The add / edit form of an item.
fn term_form(title: &str, term: Option<&TermOfReference>) -> Form {
    Form::new(
        title,
        vec![
            Field::with_id(
                HEADING,
                "Heading",
                "a few words, shown in the list",
                false,
                term.map_or("", |t| t.heading.as_str()),
            ),
            Field::with_id(
                KIND,
                "Kind",
                "general (a question from the guidance) or KLOE",
                false,
                term.map_or("KLOE", |t| t.kind.label()),
            ),
            Field::with_id(
                TEXT,
                "Text",
                "the question as agreed",
                true,
                term.map_or("", |t| t.text.as_str()),
            ),
        ],
    )
}

impl App {
    fn open_terms_form(&mut self, form: Form, target: TermsForm) {
        self.open_form(form, FormTarget::Terms(target));
    }

    fn open_terms_chooser(
        &mut self,
        title: String,
        options: Vec<String>,
        selected: usize,
        choice: TermsChoice,
    ) {
        self.open_chooser(title, options, ChooseTarget::Terms(choice));
        if let Some(Overlay::Chooser(c)) = self.overlays.top_mut() {
            c.selected = selected;
        }
    }

    /// The add form (no item) or the edit form of `term`.
    pub(super) fn open_term_form(&mut self, term: Option<&TermOfReference>) {
        match term {
            None => self.open_terms_form(
                term_form("New item of the terms of reference", None),
                TermsForm::Add,
            ),
            Some(term) => {
                let number = self
                    .workspace
                    .as_ref()
                    .map_or(0, |ws| ws.terms.number(term.id));
                self.open_terms_form(
                    term_form(&format!("Edit item {number}"), Some(term)),
                    TermsForm::Edit { term: term.id },
                );
            }
        }
    }

    pub(super) fn open_period_form(&mut self) {
        let (from, to) = self
            .workspace
            .as_ref()
            .map_or((None, None), |ws| (ws.case.period_from, ws.case.period_to));
        let day = |d: Option<NaiveDate>| {
            d.map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default()
        };
        self.open_terms_form(
            Form::new(
                "Review period: the time the review looks at",
                vec![
                    Field::with_id(
                        FROM,
                        "From",
                        "first day, e.g. 01/01/2016",
                        false,
                        &day(from),
                    ),
                    Field::with_id(
                        TO,
                        "To",
                        "last day, often the date of death",
                        false,
                        &day(to),
                    ),
                ],
            ),
            TermsForm::Period,
        );
    }

    pub(super) fn open_status_chooser(&mut self, term: &TermOfReference) {
        let number = self
            .workspace
            .as_ref()
            .map_or(0, |ws| ws.terms.number(term.id));
        let offered = [
            (TermStatus::Draft, "draft: not yet agreed"),
            (TermStatus::Agreed, "agreed, at a meeting (chosen next)"),
            (
                TermStatus::Amended,
                "amended after agreement, at a meeting (chosen next)",
            ),
        ];
        let to: Vec<TermStatus> = offered.iter().map(|(s, _)| *s).collect();
        let options = offered.iter().map(|(_, w)| w.to_string()).collect();
        let selected = to.iter().position(|s| *s == term.status).unwrap_or(0);
        self.open_terms_chooser(
            format!("Status of item {number} (now {})", term.status),
            options,
            selected,
            TermsChoice::Status { term: term.id, to },
        );
    }

    /// After the status: a draft is saved at once; agreed or amended ask for the meeting.
    fn choose_term_status(&mut self, term_id: i64, status: TermStatus) {
        if status == TermStatus::Draft {
            self.save_term_status(term_id, status, None);
            return;
        }
        let Some(ws) = &self.workspace else {
            return;
        };
        let term = ws.terms.all.iter().find(|t| t.id == term_id);
        let number = ws.terms.number(term_id);
        let mut options: Vec<String> = ws
            .minutes
            .meetings
            .iter()
            .map(|m| meeting_label(&m.meeting))
            .collect();
        let mut meetings: Vec<Option<i64>> = ws
            .minutes
            .meetings
            .iter()
            .map(|m| Some(m.meeting.id))
            .collect();
        options.push("not at a meeting (by correspondence)".into());
        meetings.push(None);
        // Start on the meeting already recorded, else the one in progress, else the
        // latest held: usually the one being minuted.
        let current = term
            .filter(|t| t.status == status)
            .and_then(|t| t.meeting_id);
        let in_progress = ws
            .minutes
            .meetings
            .iter()
            .find(|m| m.meeting.status == MeetingStatus::InProgress)
            .map(|m| m.meeting.id);
        let latest_held = ws
            .minutes
            .meetings
            .iter()
            .rev()
            .find(|m| m.meeting.date <= self.today)
            .map(|m| m.meeting.id);
        let selected = current
            .or(in_progress)
            .or(latest_held)
            .and_then(|id| meetings.iter().position(|m| *m == Some(id)))
            .unwrap_or(0);
        self.open_terms_chooser(
            format!("Item {number} {status} at which meeting?"),
            options,
            selected,
            TermsChoice::Meeting {
                term: term_id,
                status,
                meetings,
            },
        );
    }

    fn save_term_status(&mut self, term_id: i64, status: TermStatus, meeting_id: Option<i64>) {
        let number = self
            .workspace
            .as_ref()
            .map_or(0, |ws| ws.terms.number(term_id));
        let meeting_number = self.workspace.as_ref().and_then(|ws| {
            ws.minutes
                .meetings
                .iter()
                .find(|m| Some(m.meeting.id) == meeting_id)
                .map(|m| m.meeting.number)
        });
        match self.store.set_term_status(term_id, status, meeting_id) {
            Ok(changed) => {
                self.reload_terms(Some(term_id));
                let at = match (status, meeting_number) {
                    (TermStatus::Draft, _) => String::new(),
                    (_, Some(n)) => format!(" at meeting {n}"),
                    (_, None) => " outside a meeting".into(),
                };
                if changed {
                    self.info(format!("Item {number} is now {status}{at}."));
                } else {
                    self.info(format!("Item {number} was already {status}{at}."));
                }
            }
            Err(e) => self.error(format!("Status not changed: {e}")),
        }
    }

    /// In the list view: the agencies with their marks for this item, to toggle one.
    pub(super) fn open_mark_chooser(&mut self, term: &TermOfReference) {
        let Some(ws) = &self.workspace else {
            return;
        };
        let all = &ws.agencies.all;
        if all.is_empty() {
            self.error("This case has no agencies yet: add them in the Agencies pane (3) first.");
            return;
        }
        // Read now, not as last drawn: the toggle must start from the marks as stored.
        let cov = match read_coverage(&self.store, ws) {
            Ok(c) => c,
            Err(e) => {
                self.error(format!("Coverage could not be read: {e}"));
                return;
            }
        };
        let item = cov.item(term.id);
        let code_width = all
            .iter()
            .map(|a| a.agency.code.chars().count())
            .max()
            .unwrap_or(0);
        let options: Vec<String> = all
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let marked = item
                    .and_then(|it| it.agencies.get(i))
                    .is_some_and(|c| c.marked);
                format!(
                    "[{}] {:<code_width$}  {}",
                    if marked { "x" } else { " " },
                    a.agency.code,
                    a.agency.name
                )
            })
            .collect();
        let agencies = all.iter().map(|a| a.agency.id).collect();
        let number = ws.terms.number(term.id);
        self.open_terms_chooser(
            format!("Item {number}: whose return addresses it? (toggles the mark)"),
            options,
            0,
            TermsChoice::Mark {
                term: term.id,
                agencies,
            },
        );
    }

    /// Sets the chair's mark for (item, agency) if it is not set, else withdraws it.
    pub(super) fn toggle_mark(&mut self, agency_id: i64, term_id: i64) {
        let Some(ws) = &self.workspace else {
            return;
        };
        let Some(column) = ws
            .agencies
            .all
            .iter()
            .position(|a| a.agency.id == agency_id)
        else {
            return;
        };
        let code = ws.agencies.all[column].agency.code.clone();
        let number = ws.terms.number(term_id);
        let marked = match read_coverage(&self.store, ws) {
            Ok(cov) => cov
                .item(term_id)
                .and_then(|it| it.agencies.get(column))
                .is_some_and(|c| c.marked),
            Err(e) => {
                self.error(format!("Coverage could not be read: {e}"));
                return;
            }
        };
        match self.store.set_coverage_mark(term_id, agency_id, !marked) {
            Ok(_) if marked => self.info(format!(
                "Mark withdrawn: {code}'s return is no longer marked as addressing item {number}."
            )),
            Ok(_) => self.info(format!("Marked: {code}'s return addresses item {number}.")),
            Err(e) => self.error(format!("Mark not changed: {e}")),
        }
    }
}

/// Does what the option picked (its index) of one of the pane's choosers means.
pub(crate) fn choose(app: &mut App, choice: TermsChoice, index: usize) {
    match choice {
        TermsChoice::Status { term, to } => {
            if let Some(status) = to.get(index) {
                app.choose_term_status(term, *status);
            }
        }
        TermsChoice::Meeting {
            term,
            status,
            meetings,
        } => {
            if let Some(meeting) = meetings.get(index) {
                app.save_term_status(term, status, *meeting);
            }
        }
        TermsChoice::Mark { term, agencies } => {
            if let Some(agency) = agencies.get(index) {
                app.toggle_mark(*agency, term);
            }
        }
    }
}

/// Saves one of the pane's forms.
pub(crate) fn submit(app: &mut App, form: Form, target: TermsForm) {
    match target {
        TermsForm::Add => save_term(app, form, None),
        TermsForm::Edit { term } => save_term(app, form, Some(term)),
        TermsForm::Period => save_period(app, form),
    }
}

/// Saves the add / edit form: heading and kind required, the text as written.
fn save_term(app: &mut App, mut form: Form, term_id: Option<i64>) {
    form.clear_errors();
    let target = FormTarget::Terms(match term_id {
        Some(term) => TermsForm::Edit { term },
        None => TermsForm::Add,
    });
    let original = term_id.and_then(|id| {
        app.workspace
            .as_ref()
            .and_then(|ws| ws.terms.all.iter().find(|t| t.id == id).cloned())
    });
    let keep = |id: TermsField, old: Option<&str>| -> String {
        form.field_by(id)
            .map(|f| f.value_or(old.unwrap_or("")))
            .unwrap_or_default()
    };
    let heading = keep(HEADING, original.as_ref().map(|t| t.heading.as_str()));
    let body = keep(TEXT, original.as_ref().map(|t| t.text.as_str()));
    if heading.trim().is_empty() {
        form.mark(
            HEADING,
            "give the item a heading: the few words the list shows",
        );
    }
    let kind = parse_kind(&form.text(KIND))
        .map_err(|e| form.mark(KIND, e))
        .ok();
    let (Some(kind), false) = (kind, form.has_errors()) else {
        app.form_back(form, target, "Not saved: correct the marked fields.");
        return;
    };
    let Some(case_id) = app.workspace.as_ref().map(|ws| ws.case.id) else {
        return;
    };
    let result = match term_id {
        None => app.store.add_term(case_id, &heading, &body, kind),
        Some(term_id) => app
            .store
            .edit_term(term_id, &heading, &body, kind)
            .map(|_| term_id),
    };
    match result {
        Ok(id) => {
            app.reload_terms(Some(id));
            let number = app.workspace.as_ref().map_or(0, |ws| ws.terms.number(id));
            app.info(if term_id.is_none() {
                format!("Item {number} added as a draft: s sets its status when agreed.")
            } else {
                format!("Item {number} saved.")
            });
        }
        Err(e) => app.form_back(form, target, format!("Not saved: {e}")),
    }
}

/// Saves the review period: each end a day or empty, the start not after the end.
fn save_period(app: &mut App, mut form: Form) {
    form.clear_errors();
    let target = FormTarget::Terms(TermsForm::Period);
    let from = parse_period_day(&form.text(FROM), app.today)
        .map_err(|e| form.mark(FROM, e))
        .ok()
        .flatten();
    let to = parse_period_day(&form.text(TO), app.today)
        .map_err(|e| form.mark(TO, e))
        .ok()
        .flatten();
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        form.mark(
            TO,
            format!(
                "the period would end ({}) before it starts ({}): check the two dates",
                t.format("%d %b %Y"),
                f.format("%d %b %Y")
            ),
        );
    }
    let case_id = app.workspace.as_ref().map(|ws| ws.case.id);
    let (Some(case_id), false) = (case_id, form.has_errors()) else {
        app.form_back(form, target, "Not saved: correct the marked fields.");
        return;
    };
    match app.store.set_review_period(case_id, from, to) {
        Ok(changed) => {
            if let Some(ws) = &mut app.workspace {
                ws.case.period_from = from;
                ws.case.period_to = to;
                // Silent periods are measured within the review period.
                ws.timeline.silences = None;
            }
            let shown = |d: Option<NaiveDate>| {
                d.map_or("not set".to_string(), |d| d.format("%d %b %Y").to_string())
            };
            app.info(if changed {
                format!("Review period {} to {}.", shown(from), shown(to))
            } else {
                "The review period is unchanged.".to_string()
            });
        }
        Err(e) => app.form_back(form, target, format!("Not saved: {e}")),
    }
}
