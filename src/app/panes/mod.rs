//! The panes, each in its own folder: its state, its key table and actions, its forms
//! with their typed targets. This file registers them: the form targets and field ids of
//! every pane, and where a saved form goes. Drawing lives in `src/ui/panes/<pane>.rs`.

pub mod case;
pub mod decisions;

use crossterm::event::KeyEvent;

use super::form::Form;
use super::{App, Effect, Pane, keys};

/// The key tables of every pane that dispatches through tables, named.
pub fn key_tables() -> Vec<(&'static str, Vec<keys::TableRow>)> {
    vec![
        ("Decisions pane", keys::describe(decisions::KEYS)),
        ("case list: new case", keys::describe(case::LIST_KEYS)),
        ("case view", keys::describe(case::VIEW_KEYS)),
    ]
}

/// A pane's own key table, when its keys go through one.
pub fn pane_keys(pane: Pane) -> Option<Vec<keys::TableRow>> {
    match pane {
        Pane::Decisions => Some(keys::describe(decisions::KEYS)),
        _ => None,
    }
}

/// What a form saves to: a pane's own form enum, carrying the record it edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormTarget {
    Decisions(decisions::DecisionsForm),
    Case(case::CaseForm),
}

impl FormTarget {
    /// The record the form edits (0 for a new record or a form that edits none), which
    /// keys the form's draft with its title.
    pub fn record(&self) -> i64 {
        match self {
            FormTarget::Decisions(decisions::DecisionsForm::Edit { decision }) => *decision,
            FormTarget::Decisions(decisions::DecisionsForm::Filter) => 0,
            FormTarget::Case(form) => form.record(),
        }
    }
}

/// Which field of which pane's form: read back by id, never by its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldId {
    Decisions(decisions::DecisionsField),
    Case(case::CaseField),
}

/// What a chooser's options mean: each variant carries the values in option order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChooseTarget {
    Case(case::CaseChoice),
}

/// What a yes to a question does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmTarget {}

/// Does what the option picked (its index) means.
pub(crate) fn choose(app: &mut App, target: ChooseTarget, index: usize) {
    match target {
        ChooseTarget::Case(choice) => case::choose(app, choice, index),
    }
}

/// Does what a yes means (a no changes nothing but says so).
pub(crate) fn confirm(_app: &mut App, target: ConfirmTarget, _yes: bool) {
    match target {}
}

/// Saves a form to its target.
pub(crate) fn submit(app: &mut App, form: Form, target: FormTarget) {
    match target {
        FormTarget::Decisions(t) => decisions::submit(app, form, t),
        FormTarget::Case(t) => case::submit(app, form, t),
    }
}

/// A view of a pane's own over the workspace, with its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaneView {
    /// The case view (`0`): details, stage, clock, register and history.
    Case(case::CaseView),
}

/// A key while a pane's view is open (taken off the overlay; the view puts itself back).
pub(crate) fn on_view_key(app: &mut App, view: PaneView, key: &KeyEvent) -> Effect {
    match view {
        PaneView::Case(v) => case::on_view_key(app, v, key),
    }
}
