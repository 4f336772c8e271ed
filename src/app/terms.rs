//! The Terms of reference pane's own keys: items (add, edit, move), their status with the
//! meeting it happened at, the review period, and the coverage matrix where the chair
//! marks that an agency's return addresses an item.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::form::{Field, Form};
use super::keys::{Binding, b, f};
use super::{App, Effect, Overlay, Pane, Workspace};
use crate::domain::coverage::{Coverage, coverage};
use crate::domain::date::{DatePrecision, FuzzyDate};
use crate::domain::model::{MeetingStatus, TermKind, TermOfReference, TermStatus};
use crate::store::Store;

/// The keys this pane adds, for the footer and help.
pub const BINDINGS: &[Binding] = &[
    f(
        "a  e",
        "add an item (a draft, last) / edit the selected one",
        "a",
        "add",
    ),
    f(
        "<  >",
        "move the item up / down; its links follow it",
        "< >",
        "move",
    ),
    f(
        "s",
        "status: draft / agreed / amended, and the meeting",
        "s",
        "status",
    ),
    f(
        "v",
        "coverage matrix, or back to the list (Esc too)",
        "v",
        "coverage",
    ),
    b("Left Right", "matrix: choose an agency's column"),
    f(
        "Space  m",
        "chair's mark: the agency's return addresses it",
        "m",
        "mark",
    ),
    f("p", "review period (from / to)", "p", "period"),
];

/// Labels of the pane's form fields, used to read the values back.
pub mod label {
    pub const HEADING: &str = "Heading";
    pub const KIND: &str = "Kind";
    pub const TEXT: &str = "Text";
    pub const FROM: &str = "From";
    pub const TO: &str = "To";
}
use label::*;

/// Which of the pane's two views is in front, and the agency column chosen in the matrix.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TermsView {
    /// The coverage matrix (items by agencies) rather than the item list.
    pub matrix: bool,
    /// The chosen agency, as an index into `Workspace::agencies`.
    pub column: usize,
}

fn set_terms_view(app: &mut App, view: TermsView) {
    if let Some(ws) = app.workspace.as_mut() {
        ws.terms_view = view;
    }
}

/// Coverage of the items of `ws` across its agencies, from the store's link counts.
pub(super) fn read_coverage(store: &Store, ws: &Workspace) -> crate::store::Result<Coverage> {
    let facts = store.coverage_facts(ws.case.id)?;
    let term_ids: Vec<i64> = ws.terms.iter().map(|t| t.id).collect();
    let agency_ids: Vec<i64> = ws.agencies.iter().map(|a| a.agency.id).collect();
    Ok(coverage(&term_ids, &agency_ids, &facts))
}

/// The number an item shows: its place in the order, 1..n.
fn term_number(ws: &Workspace, term_id: i64) -> usize {
    ws.terms
        .iter()
        .position(|t| t.id == term_id)
        .map_or(0, |i| i + 1)
}

/// Reads a kind as typed: "general" / "g", or "KLOE" / "k", any letter case.
fn parse_kind(text: &str) -> Result<TermKind, String> {
    match text.trim().to_lowercase().as_str() {
        "general" | "g" | "general question" => Ok(TermKind::General),
        "kloe" | "k" | "key line of enquiry" => Ok(TermKind::Kloe),
        "" => Err("say which kind: general (a question from the guidance) or KLOE".into()),
        other => Err(format!(
            "\"{other}\" is not a kind of item: write general or KLOE"
        )),
    }
}

/// Reads a day of the review period: a UK date precise to the day, or empty for unknown.
fn parse_period_day(text: &str, today: NaiveDate) -> Result<Option<NaiveDate>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    let parsed = FuzzyDate::parse_uk(text, today).map_err(|e| e.to_string())?;
    match (parsed.precision, parsed.approximate, parsed.earliest) {
        (DatePrecision::Day, false, Some(day)) => Ok(Some(day)),
        _ => Err(format!(
            "\"{}\" is not a single day: give the exact day, such as 01/01/2016, or leave it empty",
            text.trim()
        )),
    }
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

impl App {
    /// The view of the Terms pane of the open case (the item list until `v` is pressed).
    pub fn terms_view(&self) -> TermsView {
        self.workspace
            .as_ref()
            .map(|ws| ws.terms_view)
            .unwrap_or_default()
    }

    /// The coverage of every item of the open case across its agencies, as last read (after
    /// each change of data, including another user's, while the pane is in front).
    pub fn term_coverage(&self) -> Option<&Coverage> {
        self.workspace.as_ref().and_then(|ws| ws.coverage.as_ref())
    }

    /// The item selected in the Terms pane.
    fn selected_term(&self) -> Option<TermOfReference> {
        let ws = self.workspace.as_ref()?;
        ws.visible_terms()
            .get(ws.cursor_of(Pane::Terms).selected)
            .map(|t| (*t).clone())
    }

    /// Reads the items again after a change, selecting `term_id` when it is listed.
    fn reload_terms(&mut self, select: Option<i64>) {
        let Some(ws) = &mut self.workspace else {
            return;
        };
        match self.store.terms(ws.case.id) {
            Ok(terms) => ws.terms = terms,
            Err(e) => {
                self.error(format!(
                    "The terms of reference could not be read again: {e}"
                ));
                return;
            }
        }
        if ws.pane != Pane::Terms {
            return;
        }
        let visible: Vec<i64> = ws.visible_terms().iter().map(|t| t.id).collect();
        let cursor = ws.cursor_mut();
        if let Some(i) = select.and_then(|id| visible.iter().position(|v| *v == id)) {
            cursor.selected = i;
        }
        cursor.clamp(visible.len());
    }

    /// Keys of the Terms of reference pane itself; `None` when the key is not one of them.
    pub(super) fn on_terms_key(&mut self, key: KeyEvent) -> Option<Effect> {
        if key.modifiers.contains(KeyModifiers::CONTROL) {
            return None;
        }
        let view = self.terms_view();
        match key.code {
            KeyCode::Char('v') => {
                let matrix = !view.matrix;
                set_terms_view(self, TermsView { matrix, ..view });
                if matrix {
                    self.info(
                        "Coverage: Left / Right choose an agency, Space toggles its mark, v lists.",
                    );
                }
            }
            KeyCode::Left | KeyCode::Right if view.matrix => {
                let agencies = self.workspace.as_ref().map_or(0, |ws| ws.agencies.len());
                if agencies == 0 {
                    return Some(Effect::None);
                }
                let column = if key.code == KeyCode::Right {
                    (view.column + 1).min(agencies - 1)
                } else {
                    view.column.min(agencies - 1).saturating_sub(1)
                };
                if column == view.column {
                    return Some(Effect::None);
                }
                set_terms_view(self, TermsView { column, ..view });
            }
            KeyCode::Esc if view.matrix => {
                let filtered = self
                    .workspace
                    .as_ref()
                    .is_some_and(|ws| !ws.cursor_of(Pane::Terms).filter.is_empty());
                if filtered {
                    // The workspace clears the filter first.
                    return None;
                }
                set_terms_view(
                    self,
                    TermsView {
                        matrix: false,
                        ..view
                    },
                );
            }
            KeyCode::Char('a') => {
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.overlay = Some(Overlay::Form {
                    form: term_form("New item of the terms of reference", None),
                    submit: App::save_term,
                    target: 0,
                });
            }
            KeyCode::Char('e') => {
                let term = self.selected_term()?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                let number = self
                    .workspace
                    .as_ref()
                    .map_or(0, |ws| term_number(ws, term.id));
                self.overlay = Some(Overlay::Form {
                    form: term_form(&format!("Edit item {number}"), Some(&term)),
                    submit: App::save_term,
                    target: term.id,
                });
            }
            KeyCode::Char('<') | KeyCode::Char('>') => {
                let term = self.selected_term()?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.move_term(term.id, key.code == KeyCode::Char('<'));
            }
            KeyCode::Char('s') => {
                let term = self.selected_term()?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.open_status_chooser(&term);
            }
            KeyCode::Char(' ') | KeyCode::Char('m') => {
                let term = self.selected_term()?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                if view.matrix {
                    let agency_id = self
                        .workspace
                        .as_ref()
                        .and_then(|ws| ws.agencies.get(view.column))
                        .map(|a| a.agency.id);
                    match agency_id {
                        Some(agency_id) => App::toggle_mark(self, agency_id, term.id),
                        None => self.error(
                            "This case has no agencies yet: add them in the Agencies pane (3) first.",
                        ),
                    }
                } else {
                    self.open_mark_chooser(&term);
                }
            }
            KeyCode::Char('p') => {
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                let (from, to) = self
                    .workspace
                    .as_ref()
                    .map_or((None, None), |ws| (ws.case.period_from, ws.case.period_to));
                let day = |d: Option<NaiveDate>| {
                    d.map(|d| d.format("%d/%m/%Y").to_string())
                        .unwrap_or_default()
                };
                self.overlay = Some(Overlay::Form {
                    form: Form::new(
                        "Review period: the time the review looks at",
                        vec![
                            Field::new(FROM, "first day, e.g. 01/01/2016", false, &day(from)),
                            Field::new(TO, "last day, often the date of death", false, &day(to)),
                        ],
                    ),
                    submit: App::save_period,
                    target: 0,
                });
            }
            _ => return None,
        }
        Some(Effect::Redraw)
    }

    /// Saves the add / edit form: heading and kind required, the text as written.
    fn save_term(&mut self, mut form: Form, term_id: i64) {
        form.clear_errors();
        let original = (term_id != 0)
            .then(|| {
                self.workspace
                    .as_ref()
                    .and_then(|ws| ws.terms.iter().find(|t| t.id == term_id).cloned())
            })
            .flatten();
        let keep = |label: &str, old: Option<&str>| -> String {
            form.field(label)
                .map(|f| f.value_or(old.unwrap_or("")))
                .unwrap_or_default()
        };
        let heading = keep(HEADING, original.as_ref().map(|t| t.heading.as_str()));
        let body = keep(TEXT, original.as_ref().map(|t| t.text.as_str()));
        if heading.trim().is_empty() {
            form.set_error(
                HEADING,
                "give the item a heading: the few words the list shows",
            );
        }
        let kind = parse_kind(&form.value(KIND))
            .map_err(|e| form.set_error(KIND, e))
            .ok();
        let (Some(kind), false) = (kind, form.has_errors()) else {
            form.message = Some("Not saved: correct the marked fields.".into());
            self.overlay = Some(Overlay::Form {
                form,
                submit: App::save_term,
                target: term_id,
            });
            return;
        };
        let Some(case_id) = self.workspace.as_ref().map(|ws| ws.case.id) else {
            return;
        };
        let result = if term_id == 0 {
            self.store.add_term(case_id, &heading, &body, kind)
        } else {
            self.store
                .edit_term(term_id, &heading, &body, kind)
                .map(|_| term_id)
        };
        match result {
            Ok(id) => {
                self.reload_terms(Some(id));
                let number = self.workspace.as_ref().map_or(0, |ws| term_number(ws, id));
                self.info(if term_id == 0 {
                    format!("Item {number} added as a draft: s sets its status when agreed.")
                } else {
                    format!("Item {number} saved.")
                });
            }
            Err(e) => {
                form.message = Some(format!("Not saved: {e}"));
                self.overlay = Some(Overlay::Form {
                    form,
                    submit: App::save_term,
                    target: term_id,
                });
            }
        }
    }

    fn move_term(&mut self, term_id: i64, up: bool) {
        let before = self
            .workspace
            .as_ref()
            .map_or(0, |ws| term_number(ws, term_id));
        match self.store.move_term(term_id, up) {
            Ok(true) => {
                self.reload_terms(Some(term_id));
                let after = self
                    .workspace
                    .as_ref()
                    .map_or(0, |ws| term_number(ws, term_id));
                self.info(format!(
                    "Item {before} is now item {after}; its links moved with it."
                ));
            }
            Ok(false) => self.info(format!(
                "Item {before} is already {}.",
                if up { "first" } else { "last" }
            )),
            Err(e) => self.error(format!("Not moved: {e}")),
        }
    }

    fn open_status_chooser(&mut self, term: &TermOfReference) {
        let number = self
            .workspace
            .as_ref()
            .map_or(0, |ws| term_number(ws, term.id));
        let options: Vec<(String, i64)> = [
            (TermStatus::Draft, "draft: not yet agreed"),
            (TermStatus::Agreed, "agreed, at a meeting (chosen next)"),
            (
                TermStatus::Amended,
                "amended after agreement, at a meeting (chosen next)",
            ),
        ]
        .iter()
        .map(|(status, words)| (words.to_string(), status_value(*status)))
        .collect();
        let selected = TermStatus::ALL
            .iter()
            .position(|s| *s == term.status)
            .unwrap_or(0);
        self.overlay = Some(Overlay::Choose {
            title: format!("Status of item {number} (now {})", term.status),
            options,
            selected,
            choose: App::choose_status,
            target: term.id,
        });
    }

    /// After the status: a draft is saved at once; agreed or amended ask for the meeting.
    fn choose_status(&mut self, value: i64, term_id: i64) {
        let Some(status) = status_of_value(value) else {
            return;
        };
        if status == TermStatus::Draft {
            self.save_status(term_id, status, None);
            return;
        }
        let Some(ws) = &self.workspace else {
            return;
        };
        let term = ws.terms.iter().find(|t| t.id == term_id);
        let number = term_number(ws, term_id);
        let mut options: Vec<(String, i64)> = ws
            .minutes
            .meetings
            .iter()
            .map(|m| (meeting_label(&m.meeting), m.meeting.id))
            .collect();
        options.push(("not at a meeting (by correspondence)".into(), 0));
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
            .and_then(|id| options.iter().position(|(_, v)| *v == id))
            .unwrap_or(0);
        let choose: super::Choose = if status == TermStatus::Agreed {
            App::choose_agreed_meeting
        } else {
            App::choose_amended_meeting
        };
        self.overlay = Some(Overlay::Choose {
            title: format!("Item {number} {status} at which meeting?"),
            options,
            selected,
            choose,
            target: term_id,
        });
    }

    fn choose_agreed_meeting(&mut self, meeting_id: i64, term_id: i64) {
        self.save_status(
            term_id,
            TermStatus::Agreed,
            (meeting_id != 0).then_some(meeting_id),
        );
    }

    fn choose_amended_meeting(&mut self, meeting_id: i64, term_id: i64) {
        self.save_status(
            term_id,
            TermStatus::Amended,
            (meeting_id != 0).then_some(meeting_id),
        );
    }

    fn save_status(&mut self, term_id: i64, status: TermStatus, meeting_id: Option<i64>) {
        let number = self
            .workspace
            .as_ref()
            .map_or(0, |ws| term_number(ws, term_id));
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
    fn open_mark_chooser(&mut self, term: &TermOfReference) {
        let Some(ws) = &self.workspace else {
            return;
        };
        if ws.agencies.is_empty() {
            self.error("This case has no agencies yet: add them in the Agencies pane (3) first.");
            return;
        }
        let cov = match read_coverage(&self.store, ws) {
            Ok(c) => c,
            Err(e) => {
                self.error(format!("Coverage could not be read: {e}"));
                return;
            }
        };
        let item = cov.item(term.id);
        let code_width = ws
            .agencies
            .iter()
            .map(|a| a.agency.code.chars().count())
            .max()
            .unwrap_or(0);
        let options: Vec<(String, i64)> = ws
            .agencies
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let marked = item
                    .and_then(|it| it.agencies.get(i))
                    .is_some_and(|c| c.marked);
                (
                    format!(
                        "[{}] {:<code_width$}  {}",
                        if marked { "x" } else { " " },
                        a.agency.code,
                        a.agency.name
                    ),
                    a.agency.id,
                )
            })
            .collect();
        let number = term_number(ws, term.id);
        self.overlay = Some(Overlay::Choose {
            title: format!("Item {number}: whose return addresses it? (toggles the mark)"),
            options,
            selected: 0,
            choose: App::toggle_mark,
            target: term.id,
        });
    }

    /// Sets the chair's mark for (item, agency) if it is not set, else withdraws it.
    fn toggle_mark(&mut self, agency_id: i64, term_id: i64) {
        let Some(ws) = &self.workspace else {
            return;
        };
        let Some(column) = ws.agencies.iter().position(|a| a.agency.id == agency_id) else {
            return;
        };
        let code = ws.agencies[column].agency.code.clone();
        let number = term_number(ws, term_id);
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

    /// Saves the review period: each end a day or empty, the start not after the end.
    fn save_period(&mut self, mut form: Form, _target: i64) {
        form.clear_errors();
        let from = parse_period_day(&form.value(FROM), self.today)
            .map_err(|e| form.set_error(FROM, e))
            .ok()
            .flatten();
        let to = parse_period_day(&form.value(TO), self.today)
            .map_err(|e| form.set_error(TO, e))
            .ok()
            .flatten();
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            form.set_error(
                TO,
                format!(
                    "the period would end ({}) before it starts ({}): check the two dates",
                    t.format("%d %b %Y"),
                    f.format("%d %b %Y")
                ),
            );
        }
        let case_id = self.workspace.as_ref().map(|ws| ws.case.id);
        let (Some(case_id), false) = (case_id, form.has_errors()) else {
            form.message = Some("Not saved: correct the marked fields.".into());
            self.overlay = Some(Overlay::Form {
                form,
                submit: App::save_period,
                target: 0,
            });
            return;
        };
        match self.store.set_review_period(case_id, from, to) {
            Ok(changed) => {
                if let Some(ws) = &mut self.workspace {
                    ws.case.period_from = from;
                    ws.case.period_to = to;
                    // Silent periods are measured within the review period.
                    ws.silences = None;
                }
                let shown = |d: Option<NaiveDate>| {
                    d.map_or("not set".to_string(), |d| d.format("%d %b %Y").to_string())
                };
                self.info(if changed {
                    format!("Review period {} to {}.", shown(from), shown(to))
                } else {
                    "The review period is unchanged.".to_string()
                });
            }
            Err(e) => {
                form.message = Some(format!("Not saved: {e}"));
                self.overlay = Some(Overlay::Form {
                    form,
                    submit: App::save_period,
                    target: 0,
                });
            }
        }
    }
}

/// The value a status option carries in the chooser.
fn status_value(status: TermStatus) -> i64 {
    TermStatus::ALL
        .iter()
        .position(|s| *s == status)
        .map_or(0, |i| i as i64)
}

fn status_of_value(value: i64) -> Option<TermStatus> {
    usize::try_from(value)
        .ok()
        .and_then(|i| TermStatus::ALL.get(i).copied())
}

/// The add / edit form of an item.
fn term_form(title: &str, term: Option<&TermOfReference>) -> Form {
    Form::new(
        title,
        vec![
            Field::new(
                HEADING,
                "a few words, shown in the list",
                false,
                term.map_or("", |t| t.heading.as_str()),
            ),
            Field::new(
                KIND,
                "general (a question from the guidance) or KLOE",
                false,
                term.map_or("KLOE", |t| t.kind.label()),
            ),
            Field::new(
                TEXT,
                "the question as agreed",
                true,
                term.map_or("", |t| t.text.as_str()),
            ),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_read_in_any_case_and_others_refused() {
        assert_eq!(parse_kind("KLOE"), Ok(TermKind::Kloe));
        assert_eq!(parse_kind(" g "), Ok(TermKind::General));
        let err = parse_kind("question").unwrap_err();
        assert!(err.contains("general or KLOE"), "{err}");
        assert!(parse_kind("").is_err());
    }

    #[test]
    fn a_period_day_must_be_one_exact_day() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(
            parse_period_day("01/01/2016", today),
            Ok(NaiveDate::from_ymd_opt(2016, 1, 1))
        );
        assert_eq!(parse_period_day("", today), Ok(None));
        let err = parse_period_day("Feb 2019", today).unwrap_err();
        assert!(err.contains("exact day"), "{err}");
        assert!(parse_period_day("c. 01/02/2019", today).is_err());
        assert!(parse_period_day("31/02/2019", today).is_err());
    }

    #[test]
    fn status_values_round_trip() {
        for status in TermStatus::ALL {
            assert_eq!(status_of_value(status_value(*status)), Some(*status));
        }
        assert_eq!(status_of_value(-1), None);
        assert_eq!(status_of_value(9), None);
    }
}
