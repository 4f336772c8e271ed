//! The Actions pane: two lists, the meeting actions and the SMART action plan of recommendations,
//! with `p` moving the focus between them. The plan is added to, edited, moved through
//! its statuses (complete records a completion date, leaving complete clears it), given
//! its outcome, and filtered by agency and status; "overdue" is derived. The forms and
//! choosers are in `forms.rs`; drawing: `src/ui/panes/actions.rs`.

mod forms;

use chrono::NaiveDate;
use crossterm::event::KeyCode;

pub(crate) use forms::{ActionsChoice, ActionsField, ActionsForm, choose, submit};

use crate::app::keys::{Key, KeyRow, b, f, row};
use crate::app::{App, Effect, ListCursor, Workspace, matches_filter};
use crate::domain::model::{Action, Recommendation};
use crate::domain::plan::PlanFilter;
use crate::store::Store;
use crate::store::logs::Logged;

/// What the Actions pane keeps besides the meeting actions' cursor: whether the action
/// plan has the focus, which of its visible rows is selected, and its structured filter
/// (the free text of `/` filters both lists).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanView {
    pub focused: bool,
    pub selected: usize,
    pub filter: PlanFilter,
}

/// The pane's state: the meeting actions with their selection, the action plan with its
/// view, and the filter line both lists share.
#[derive(Default)]
pub struct ActionsPane {
    /// The case's meeting actions.
    pub actions: Vec<Logged<Action>>,
    /// The case's recommendations, by number.
    pub recommendations: Vec<Logged<Recommendation>>,
    /// The meeting actions' selection, and the filter line of both lists.
    pub cursor: ListCursor,
    /// The action plan's focus, selection and filter.
    pub plan: PlanView,
}

impl ActionsPane {
    /// Reads the case's actions and recommendations again, keeping the actions' selection
    /// within the list (the plan's is kept within its rows as it is read).
    pub fn reload(&mut self, store: &Store, case_id: i64) -> crate::store::Result<()> {
        self.actions = store.actions(case_id)?;
        self.recommendations = store.recommendations(case_id)?;
        let len = self.action_rows().len();
        self.cursor.clamp(len);
        Ok(())
    }

    /// The meeting actions passing the filter line.
    pub fn action_rows(&self) -> Vec<&Logged<Action>> {
        let f = &self.cursor.filter;
        self.actions
            .iter()
            .filter(|a| {
                matches_filter(
                    f,
                    &format!(
                        "{} {} {} {}",
                        a.record.text, a.record.owner, a.agency_code, a.record.status
                    ),
                )
            })
            .collect()
    }

    /// The recommendations passing the filter line (before the plan's own filter).
    pub fn recommendation_rows(&self) -> Vec<&Logged<Recommendation>> {
        let f = &self.cursor.filter;
        self.recommendations
            .iter()
            .filter(|r| {
                matches_filter(
                    f,
                    &format!(
                        "{} {} {} {}",
                        r.record.recommendation,
                        r.record.action_to_take,
                        r.agency_code,
                        r.record.status
                    ),
                )
            })
            .collect()
    }

    /// The recommendations the plan shows: those passing the filter line and the plan's
    /// agency / status filter, by number.
    pub fn plan_rows(&self, today: NaiveDate) -> Vec<&Logged<Recommendation>> {
        self.recommendation_rows()
            .into_iter()
            .filter(|r| self.plan.filter.matches(&r.record, today))
            .collect()
    }

    /// The index of the plan's selected row, kept within the rows shown.
    pub fn plan_selected(&self, today: NaiveDate) -> usize {
        self.plan
            .selected
            .min(self.plan_rows(today).len().saturating_sub(1))
    }

    /// The selected recommendation of the plan, if it shows any.
    pub fn selected_recommendation(&self, today: NaiveDate) -> Option<&Logged<Recommendation>> {
        self.plan_rows(today)
            .get(self.plan_selected(today))
            .copied()
    }

    /// The selected meeting action, if the list shows any.
    pub fn selected_action(&self) -> Option<&Logged<Action>> {
        self.action_rows().get(self.cursor.selected).copied()
    }

    /// Moves the selection of the focused list by `delta` rows.
    pub fn step(&mut self, delta: i64, today: NaiveDate) {
        if self.plan.focused {
            let len = self.plan_rows(today).len();
            let from = self.plan_selected(today) as i64;
            self.plan.selected = (from + delta).clamp(0, len.saturating_sub(1) as i64) as usize;
        } else {
            let len = self.action_rows().len();
            self.cursor.step(delta, len);
        }
    }

    /// Selects the recommendation `id` if the plan shows it; says whether it does.
    fn plan_select(&mut self, id: i64, today: NaiveDate) -> bool {
        match self.plan_rows(today).iter().position(|r| r.record.id == id) {
            Some(i) => {
                self.plan.selected = i;
                true
            }
            None => false,
        }
    }
}

impl Workspace {
    /// The plan's filter in words, for titles: "agency POLICE · status at risk".
    pub fn plan_filter_words(&self, separator: &str) -> String {
        let filter = self.actions.plan.filter;
        let mut parts = Vec::new();
        if let Some(id) = filter.agency_id {
            let code = self
                .agencies
                .all
                .iter()
                .find(|a| a.agency.id == id)
                .map_or_else(|| "?".to_string(), |a| a.agency.code.clone());
            parts.push(format!("agency {code}"));
        }
        if let Some(status) = filter.status {
            parts.push(format!("status {}", status.label()));
        }
        parts.join(separator)
    }
}

/// What the pane's keys do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionsKey {
    Switch,
    Add,
    Edit,
    Status,
    Outcome,
    Filter,
    ClearFilter,
}

/// The keys this pane adds to the workspace's; the list keys move the focused list.
pub const KEYS: &[KeyRow<ActionsKey>] = &[
    row(
        &[Key::Char('p')],
        ActionsKey::Switch,
        f(
            "p",
            "focus the meeting actions or the action plan",
            "p",
            "switch",
        ),
    ),
    row(
        &[Key::Char('a')],
        ActionsKey::Add,
        f(
            "a",
            "add a recommendation (it takes the next number)",
            "a",
            "add",
        ),
    ),
    row(
        &[Key::Char('e')],
        ActionsKey::Edit,
        f("e", "edit the selected recommendation", "e", "edit"),
    ),
    row(
        &[Key::Char('s')],
        ActionsKey::Status,
        f(
            "s",
            "status of the selected recommendation (closed asks why) or action",
            "s",
            "status",
        ),
    ),
    row(
        &[Key::Char('o')],
        ActionsKey::Outcome,
        b("o", "outcome / evidence of the selected recommendation"),
    ),
    row(
        &[Key::Char('f')],
        ActionsKey::Filter,
        f(
            "f",
            "filter the plan by agency and status (or overdue)",
            "f",
            "plan filter",
        ),
    ),
    row(
        &[Key::Code(KeyCode::Esc)],
        ActionsKey::ClearFilter,
        b("Esc", "clear the plan's agency / status filter first"),
    ),
];

impl App {
    /// Does what a key of the pane's table asks; `None` gives the key to the workspace.
    pub(crate) fn on_actions_key(&mut self, action: ActionsKey) -> Option<Effect> {
        let today = self.today;
        let ws = self.workspace.as_mut()?;
        let pane = &mut ws.actions;
        match action {
            ActionsKey::Switch => {
                pane.plan.focused = !pane.plan.focused;
                pane.plan.selected = pane.plan_selected(today);
            }
            ActionsKey::ClearFilter => {
                if pane.plan.filter.is_empty() {
                    return None;
                }
                pane.plan.filter = PlanFilter::default();
                self.info("The plan shows every agency and status again.");
            }
            ActionsKey::Filter => {
                let form = forms::plan_filter_form(ws);
                self.open_form(form, ActionsForm::Filter.into());
            }
            ActionsKey::Add => {
                let case_id = ws.case.id;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                let next = match self.store.next_recommendation_number(case_id) {
                    Ok(n) => n,
                    Err(e) => {
                        self.error(format!("Cannot read the action plan: {e}"));
                        return Some(Effect::Redraw);
                    }
                };
                let form = forms::recommendation_form("New recommendation", None, next, "");
                self.open_form(form, ActionsForm::Add.into());
            }
            ActionsKey::Edit | ActionsKey::Status | ActionsKey::Outcome => {
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.on_plan_edit_key(action);
            }
        }
        Some(Effect::Redraw)
    }
}
