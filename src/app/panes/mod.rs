//! The panes, each in its own folder: its state, its key table and actions, its forms
//! with their typed targets. This file registers them: the form targets and field ids of
//! every pane, and where a saved form goes. Drawing lives in `src/ui/panes/<pane>.rs`.

pub mod decisions;
pub mod minutes;

use super::form::Form;
use super::{App, Pane, keys};

/// The key tables of every pane that dispatches through tables, named.
pub fn key_tables() -> Vec<(&'static str, Vec<keys::TableRow>)> {
    vec![
        ("Decisions pane", keys::describe(decisions::KEYS)),
        ("Minutes pane", keys::describe(minutes::KEYS)),
        ("minuting view", keys::describe(minutes::VIEW_KEYS)),
        ("minutes input", keys::describe(minutes::INPUT_KEYS)),
    ]
}

/// A pane's own key table, when its keys go through one.
pub fn pane_keys(pane: Pane) -> Option<Vec<keys::TableRow>> {
    match pane {
        Pane::Decisions => Some(keys::describe(decisions::KEYS)),
        Pane::Minutes => Some(keys::describe(minutes::KEYS)),
        _ => None,
    }
}

/// What a form saves to: a pane's own form enum, carrying the record it edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormTarget {
    Decisions(decisions::DecisionsForm),
    Minutes(minutes::MinutesForm),
}

impl FormTarget {
    /// The record the form edits (0 for a new record or a form that edits none), which
    /// keys the form's draft with its title.
    pub fn record(&self) -> i64 {
        match self {
            FormTarget::Decisions(decisions::DecisionsForm::Edit { decision }) => *decision,
            FormTarget::Decisions(decisions::DecisionsForm::Filter) => 0,
            FormTarget::Minutes(form) => form.record(),
        }
    }
}

/// Which field of which pane's form: read back by id, never by its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldId {
    Decisions(decisions::DecisionsField),
    Minutes(minutes::MinutesField),
}

/// What a chooser's options mean: each variant carries the values in option order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChooseTarget {
    Minutes(minutes::MinutesChoice),
}

/// What a yes to a question does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmTarget {}

/// Does what the option picked (its index) means.
pub(crate) fn choose(app: &mut App, target: ChooseTarget, index: usize) {
    match target {
        ChooseTarget::Minutes(choice) => minutes::choose(app, choice, index),
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
        FormTarget::Minutes(t) => minutes::submit(app, form, t),
    }
}
