//! The Terms of reference pane: items (add, edit, move), their status with the meeting it
//! happened at, the review period, and the coverage matrix where the chair marks that an
//! agency's return addresses an item.
//!
//! The pane holds the items, its selection and filter line, its view (list or matrix, and
//! the matrix's agency column) and the coverage, which is read when the pane comes to the
//! front and again only after the data changed: a reload, a write through this seat, or
//! another seat's commit noticed by the refresh. Never per key that only moves.
//! Forms and choosers: `forms.rs`. Drawing: `src/ui/panes/terms.rs`.

mod forms;

use chrono::NaiveDate;
use crossterm::event::KeyCode;

use crate::app::keys::{Key, KeyRow, b, f, row};
use crate::app::{App, Effect, ListCursor, Workspace, matches_filter};
use crate::domain::coverage::{Coverage, coverage};
use crate::domain::date::{DatePrecision, FuzzyDate};
use crate::domain::model::{TermKind, TermOfReference};
use crate::store::Store;
pub use forms::{TermsChoice, TermsField, TermsForm};
pub(crate) use forms::{choose, submit};

/// The pane's state: the case's items, the list's selection and filter, the view and the
/// coverage as last read.
#[derive(Default)]
pub struct TermsPane {
    pub all: Vec<TermOfReference>,
    pub cursor: ListCursor,
    pub view: TermsView,
    /// Coverage of the items across the agencies (which items each agency's entries and challenges address), read while the pane is in
    /// front; `None` until then, and again whenever the data is read again.
    pub coverage: Option<Coverage>,
    /// The store's count of changes made through this seat when `coverage` was read.
    coverage_changes: u64,
}

impl TermsPane {
    /// Reads the case's items again, keeping the selection within the list; the coverage
    /// is read again before it is next shown.
    pub fn reload(&mut self, store: &Store, case_id: i64) -> crate::store::Result<()> {
        self.all = store.terms(case_id)?;
        self.coverage = None;
        let len = self.rows().len();
        self.cursor.clamp(len);
        Ok(())
    }

    /// The items the pane lists: those passing its filter, in their order.
    pub fn rows(&self) -> Vec<&TermOfReference> {
        let f = &self.cursor.filter;
        self.all
            .iter()
            .filter(|t| {
                matches_filter(
                    f,
                    &format!("{} {} {} {}", t.heading, t.text, t.kind, t.status),
                )
            })
            .collect()
    }

    /// The selected item, if the pane lists any.
    pub fn selected(&self) -> Option<&TermOfReference> {
        self.rows().get(self.cursor.selected).copied()
    }

    /// The number an item shows: its place in the order, 1..n (0 when it is gone).
    pub fn number(&self, term_id: i64) -> usize {
        self.all
            .iter()
            .position(|t| t.id == term_id)
            .map_or(0, |i| i + 1)
    }

    /// Drops the coverage (the pane left the front): it is read again when it is back.
    pub fn forget_coverage(&mut self) {
        self.coverage = None;
    }
}

/// Which of the pane's two views is in front, and the agency column chosen in the matrix.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TermsView {
    /// The coverage matrix (items by agencies) rather than the item list.
    pub matrix: bool,
    /// The chosen agency, as an index into the case's agencies.
    pub column: usize,
}

/// Coverage of the items of `ws` across its agencies, from the store's link counts.
pub(crate) fn read_coverage(store: &Store, ws: &Workspace) -> crate::store::Result<Coverage> {
    let facts = store.coverage_facts(ws.case.id)?;
    let term_ids: Vec<i64> = ws.terms.all.iter().map(|t| t.id).collect();
    let agency_ids: Vec<i64> = ws.agencies.all.iter().map(|a| a.agency.id).collect();
    Ok(coverage(&term_ids, &agency_ids, &facts))
}

/// Reads the coverage if it is not held, or if this seat wrote anything since it was read
/// (another seat's commits reload the workspace, which drops it). Moving reads nothing.
pub(crate) fn ensure_coverage(store: &Store, ws: &mut Workspace) -> crate::store::Result<()> {
    let changes = store.changes_made();
    if ws.terms.coverage.is_some() && ws.terms.coverage_changes == changes {
        return Ok(());
    }
    let read = read_coverage(store, ws)?;
    ws.terms.coverage = Some(read);
    ws.terms.coverage_changes = changes;
    Ok(())
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

/// What the pane's keys do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermsKey {
    Add,
    Edit,
    MoveUp,
    MoveDown,
    Status,
    View,
    /// Esc in the matrix: back to the list (once the filter is clear).
    List,
    ColumnLeft,
    ColumnRight,
    Mark,
    Period,
}

use Key::{Char, Code};

/// The keys this pane adds to the workspace's.
pub const KEYS: &[KeyRow<TermsKey>] = &[
    row(
        &[Char('a')],
        TermsKey::Add,
        f(
            "a  e",
            "add an item (a draft, last) / edit the selected one",
            "a",
            "add",
        ),
    ),
    row(&[Char('e')], TermsKey::Edit, b("e", "")),
    row(
        &[Char('<')],
        TermsKey::MoveUp,
        f(
            "<  >",
            "move the item up / down; its links follow it",
            "< >",
            "move",
        ),
    ),
    row(&[Char('>')], TermsKey::MoveDown, b(">", "")),
    row(
        &[Char('s')],
        TermsKey::Status,
        f(
            "s",
            "status: draft / agreed / amended, and the meeting",
            "s",
            "status",
        ),
    ),
    row(
        &[Char('v')],
        TermsKey::View,
        f(
            "v",
            "coverage matrix, or back to the list (Esc too)",
            "v",
            "coverage",
        ),
    ),
    row(&[Code(KeyCode::Esc)], TermsKey::List, b("Esc", "")),
    row(
        &[Code(KeyCode::Left)],
        TermsKey::ColumnLeft,
        b("Left Right", "matrix: choose an agency's column"),
    ),
    row(
        &[Code(KeyCode::Right)],
        TermsKey::ColumnRight,
        b("Right", ""),
    ),
    row(
        &[Char(' '), Char('m')],
        TermsKey::Mark,
        f(
            "Space  m",
            "chair's mark: the agency's return addresses it",
            "m",
            "mark",
        ),
    ),
    row(
        &[Char('p')],
        TermsKey::Period,
        f("p", "review period (from / to)", "p", "period"),
    ),
];

impl App {
    /// The view of the Terms pane of the open case (the item list until `v` is pressed).
    pub fn terms_view(&self) -> TermsView {
        self.workspace
            .as_ref()
            .map(|ws| ws.terms.view)
            .unwrap_or_default()
    }

    /// The coverage of every item of the open case across its agencies, as last read (when
    /// the pane came to the front and after each change of data, including another user's).
    pub fn term_coverage(&self) -> Option<&Coverage> {
        self.workspace
            .as_ref()
            .and_then(|ws| ws.terms.coverage.as_ref())
    }

    /// Does what a key of the pane's table asks; `None` gives the key to the workspace.
    pub(crate) fn on_terms_key(&mut self, action: TermsKey) -> Option<Effect> {
        let ws = self.workspace.as_mut()?;
        let view = ws.terms.view;
        let selected = ws.terms.selected().cloned();
        match action {
            TermsKey::View => {
                let matrix = !view.matrix;
                ws.terms.view = TermsView { matrix, ..view };
                if matrix {
                    self.info(
                        "Coverage: Left / Right choose an agency, Space toggles its mark, v lists.",
                    );
                }
            }
            TermsKey::ColumnLeft | TermsKey::ColumnRight => {
                if !view.matrix {
                    return None;
                }
                let agencies = ws.agencies.all.len();
                if agencies == 0 {
                    return Some(Effect::None);
                }
                let column = if action == TermsKey::ColumnRight {
                    (view.column + 1).min(agencies - 1)
                } else {
                    view.column.min(agencies - 1).saturating_sub(1)
                };
                if column == view.column {
                    return Some(Effect::None);
                }
                ws.terms.view = TermsView { column, ..view };
            }
            TermsKey::List => {
                // Outside the matrix, or with a filter (cleared first), the workspace's Esc.
                if !view.matrix || !ws.terms.cursor.filter.is_empty() {
                    return None;
                }
                ws.terms.view = TermsView {
                    matrix: false,
                    ..view
                };
            }
            TermsKey::Add => {
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.open_term_form(None);
            }
            TermsKey::Edit => {
                let term = selected?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.open_term_form(Some(&term));
            }
            TermsKey::MoveUp | TermsKey::MoveDown => {
                let term = selected?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.move_term(term.id, action == TermsKey::MoveUp);
            }
            TermsKey::Status => {
                let term = selected?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.open_status_chooser(&term);
            }
            TermsKey::Mark => {
                let term = selected?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                if view.matrix {
                    let agency_id = self
                        .workspace
                        .as_ref()
                        .and_then(|ws| ws.agencies.all.get(view.column))
                        .map(|a| a.agency.id);
                    match agency_id {
                        Some(agency_id) => self.toggle_mark(agency_id, term.id),
                        None => self.error(
                            "This case has no agencies yet: add them in the Agencies pane (3) first.",
                        ),
                    }
                } else {
                    self.open_mark_chooser(&term);
                }
            }
            TermsKey::Period => {
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.open_period_form();
            }
        }
        Some(Effect::Redraw)
    }

    /// Reads the items again after a change, selecting `term_id` when it is listed.
    fn reload_terms(&mut self, select: Option<i64>) {
        let Some(ws) = &mut self.workspace else {
            return;
        };
        let case_id = ws.case.id;
        match self.store.terms(case_id) {
            Ok(terms) => {
                ws.terms.all = terms;
                ws.terms.coverage = None;
            }
            Err(e) => {
                self.error(format!(
                    "The terms of reference could not be read again: {e}"
                ));
                return;
            }
        }
        if ws.pane != crate::app::Pane::Terms {
            return;
        }
        let visible: Vec<i64> = ws.terms.rows().iter().map(|t| t.id).collect();
        let cursor = &mut ws.terms.cursor;
        if let Some(i) = select.and_then(|id| visible.iter().position(|v| *v == id)) {
            cursor.selected = i;
        }
        cursor.clamp(visible.len());
    }

    fn move_term(&mut self, term_id: i64, up: bool) {
        let number = |app: &App| {
            app.workspace
                .as_ref()
                .map_or(0, |ws| ws.terms.number(term_id))
        };
        let before = number(self);
        match self.store.move_term(term_id, up) {
            Ok(true) => {
                self.reload_terms(Some(term_id));
                let after = number(self);
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
}
