//! The Actions pane's own keys: two lists, the meeting actions and the SMART action plan
//! (SPEC §3.8), with `p` moving the focus between them. The plan is added to, edited,
//! moved through its statuses (complete records a completion date, leaving complete
//! clears it), given its outcome, and filtered by agency and status; "overdue" is derived.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};

use super::form::{Field, Form};
use super::keys::{Binding, b, f};
use super::{App, Effect, Overlay, Pane, Workspace};
use crate::domain::model::{ActionStatus, Recommendation, RecommendationStatus};
use crate::domain::plan::{
    PlanFilter, StatusFilter, check_scope, completion_date, parse_day, parse_scope, parse_status,
};
use crate::store::StoreError;
use crate::store::logs::Logged;

/// The keys this pane adds, for the footer and help.
pub const BINDINGS: &[Binding] = &[
    f(
        "p",
        "focus the meeting actions or the action plan",
        "p",
        "switch",
    ),
    f(
        "a",
        "add a recommendation (it takes the next number)",
        "a",
        "add",
    ),
    f("e", "edit the selected recommendation", "e", "edit"),
    f(
        "s",
        "status of the selected recommendation or action",
        "s",
        "status",
    ),
    b("o", "outcome / evidence of the selected recommendation"),
    f(
        "f",
        "filter the plan by agency and status (or overdue)",
        "f",
        "plan filter",
    ),
    b("Esc", "clear the plan's agency / status filter first"),
];

/// Field labels of the plan's forms, used to read the values back.
pub mod label {
    pub const NUMBER: &str = "Number";
    pub const RECOMMENDATION: &str = "Recommendation";
    pub const SCOPE: &str = "Scope";
    pub const AGENCY: &str = "Agency";
    pub const ACTION: &str = "Action to take";
    pub const LEAD: &str = "Lead officer";
    pub const MILESTONES: &str = "Key milestones";
    pub const TARGET: &str = "Target date";
    pub const STATUS: &str = "Status";
    pub const COMPLETED: &str = "Completion date";
    pub const OUTCOME: &str = "Outcome / evidence";
}
use label::*;

/// What the Actions pane keeps besides the meeting actions' cursor: whether the action
/// plan has the focus, which of its visible rows is selected, and its structured filter
/// (the free text of `/` filters both lists).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanView {
    pub focused: bool,
    pub selected: usize,
    pub filter: PlanFilter,
}

impl Workspace {
    /// The recommendations the plan shows: those passing the text filter of the pane and
    /// the plan's agency / status filter, by number.
    pub fn plan_rows(&self, today: NaiveDate) -> Vec<&Logged<Recommendation>> {
        self.visible_recommendations()
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

    /// The plan's filter in words, for titles: "agency POLICE · status at risk".
    pub fn plan_filter_words(&self, separator: &str) -> String {
        let mut parts = Vec::new();
        if let Some(id) = self.plan.filter.agency_id {
            let code = self
                .agencies
                .all
                .iter()
                .find(|a| a.agency.id == id)
                .map_or_else(|| "?".to_string(), |a| a.agency.code.clone());
            parts.push(format!("agency {code}"));
        }
        if let Some(status) = self.plan.filter.status {
            parts.push(format!("status {}", status.label()));
        }
        parts.join(separator)
    }

    fn plan_step(&mut self, delta: i64, today: NaiveDate) {
        let len = self.plan_rows(today).len();
        let from = self.plan_selected(today) as i64;
        self.plan.selected = (from + delta).clamp(0, len.saturating_sub(1) as i64) as usize;
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

/// What a key in the Actions pane is about.
enum Target {
    Recommendation(Recommendation),
    Action(i64, ActionStatus),
    Nothing,
}

impl App {
    /// Keys of the Actions pane itself; `None` when the key is not one of them.
    pub(super) fn on_actions_key(&mut self, key: KeyEvent) -> Option<Effect> {
        let today = self.today;
        let page = self.page();
        let ws = self.workspace.as_mut()?;
        let plan_focused = ws.plan.focused;
        match key.code {
            KeyCode::Char('p') => {
                ws.plan.focused = !plan_focused;
                ws.plan.selected = ws.plan_selected(today);
            }
            KeyCode::Up if plan_focused => ws.plan_step(-1, today),
            KeyCode::Down if plan_focused => ws.plan_step(1, today),
            KeyCode::PageUp if plan_focused => ws.plan_step(-page, today),
            KeyCode::PageDown if plan_focused => ws.plan_step(page, today),
            KeyCode::Home | KeyCode::Char('g') if plan_focused => ws.plan.selected = 0,
            KeyCode::End | KeyCode::Char('G') if plan_focused => ws.plan_step(i64::MAX / 2, today),
            KeyCode::Esc if !ws.plan.filter.is_empty() => {
                ws.plan.filter = PlanFilter::default();
                self.info("The plan shows every agency and status again.");
            }
            KeyCode::Char('f') => self.overlay = Some(plan_filter_form(ws)),
            KeyCode::Char('a') => {
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
                self.overlay = Some(Overlay::Form {
                    form: recommendation_form("New recommendation", None, next, ""),
                    submit: save_recommendation,
                    target: 0,
                });
            }
            KeyCode::Char('e') | KeyCode::Char('s') | KeyCode::Char('o') => {
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.on_plan_edit_key(key.code);
            }
            _ => return None,
        }
        Some(Effect::Redraw)
    }

    /// `e`, `s` and `o`: on the selected recommendation, or (`s`) the selected action.
    fn on_plan_edit_key(&mut self, code: KeyCode) {
        let today = self.today;
        let Some(ws) = &self.workspace else { return };
        let target = if ws.plan.focused {
            match ws.selected_recommendation(today) {
                Some(r) => Target::Recommendation(r.record.clone()),
                None => Target::Nothing,
            }
        } else {
            match ws
                .visible_actions()
                .get(ws.cursor_of(Pane::Actions).selected)
            {
                Some(a) => Target::Action(a.record.id, a.record.status),
                None => Target::Nothing,
            }
        };
        match (code, target) {
            (KeyCode::Char('e'), Target::Recommendation(r)) => {
                let agency = agency_code(ws, r.agency_id);
                self.overlay = Some(Overlay::Form {
                    form: recommendation_form(
                        &format!("Edit recommendation {}", r.number),
                        Some(&r),
                        r.number,
                        &agency,
                    ),
                    submit: save_recommendation,
                    target: r.id,
                });
            }
            (KeyCode::Char('s'), Target::Recommendation(r)) => {
                let options = RecommendationStatus::ALL
                    .iter()
                    .map(|s| {
                        let now = if *s == r.status { "  (now)" } else { "" };
                        (format!("{}{now}", s.label()), status_index(*s))
                    })
                    .collect();
                self.overlay = Some(Overlay::Choose {
                    title: format!("Status of recommendation {}", r.number),
                    options,
                    selected: status_index(r.status) as usize,
                    choose: choose_recommendation_status,
                    target: r.id,
                });
            }
            (KeyCode::Char('o'), Target::Recommendation(r)) => {
                self.overlay = Some(Overlay::Form {
                    form: Form::new(
                        format!("Recommendation {}: outcome and evidence", r.number),
                        vec![Field::new(
                            OUTCOME,
                            "what was done, and the evidence that it was",
                            true,
                            &r.outcome,
                        )],
                    ),
                    submit: save_outcome,
                    target: r.id,
                });
            }
            (KeyCode::Char('s'), Target::Action(id, status)) => {
                let options = ActionStatus::ALL
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        let now = if *s == status { "  (now)" } else { "" };
                        (format!("{}{now}", s.label()), i as i64)
                    })
                    .collect();
                self.overlay = Some(Overlay::Choose {
                    title: "Status of the meeting action".to_string(),
                    options,
                    selected: ActionStatus::ALL
                        .iter()
                        .position(|s| *s == status)
                        .unwrap_or(0),
                    choose: choose_action_status,
                    target: id,
                });
            }
            (KeyCode::Char('e') | KeyCode::Char('o'), Target::Action(..)) => self.error(
                "That key works on a recommendation: press p to move to the action plan \
                 (meeting actions are written while minuting; s sets their status).",
            ),
            (_, Target::Nothing) if ws.plan.focused => {
                self.error("There is no recommendation selected: a adds one to the plan.")
            }
            _ => self.error("There is no meeting action selected: p moves to the action plan."),
        }
    }
}

/// The short code of an agency of the case ("" for none).
fn agency_code(ws: &Workspace, agency_id: Option<i64>) -> String {
    agency_id
        .and_then(|id| ws.agencies.all.iter().find(|a| a.agency.id == id))
        .map(|a| a.agency.code.clone())
        .unwrap_or_default()
}

/// Finds an agency of the open case by short code or name, any letter case.
fn agency_by_word(ws: &Workspace, word: &str) -> Result<Option<i64>, String> {
    let word = word.trim();
    if word.is_empty() {
        return Ok(None);
    }
    crate::domain::model::agency_by_word(ws.agencies.all.iter().map(|a| &a.agency), word)
        .map(|a| Some(a.id))
        .ok_or_else(|| {
            let known: Vec<&str> = ws
                .agencies
                .all
                .iter()
                .map(|a| a.agency.code.as_str())
                .collect();
            format!(
                "no agency \"{word}\" in this case: use one of {}",
                known.join(", ")
            )
        })
}

fn status_index(status: RecommendationStatus) -> i64 {
    RecommendationStatus::ALL
        .iter()
        .position(|s| *s == status)
        .unwrap_or(0) as i64
}

fn uk_day(day: Option<NaiveDate>) -> String {
    day.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

/// The add / edit form, filled from a recommendation (or empty but for its number).
fn recommendation_form(title: &str, r: Option<&Recommendation>, number: i64, agency: &str) -> Form {
    let get = |f: fn(&Recommendation) -> &str| r.map(f).unwrap_or("");
    let mut form = Form::new(
        title,
        vec![
            Field::new(NUMBER, "empty: the next number", false, &number.to_string()),
            Field::new(
                RECOMMENDATION,
                "what should change (required)",
                true,
                get(|r| &r.recommendation),
            ),
            Field::new(
                SCOPE,
                "single (agency), local, regional or national",
                false,
                r.map(|r| r.scope.label()).unwrap_or(""),
            ),
            Field::new(
                AGENCY,
                "short code or name; needed for a single-agency one",
                false,
                agency,
            ),
            Field::new(ACTION, "", true, get(|r| &r.action_to_take)),
            Field::new(LEAD, "name and role", false, get(|r| &r.lead_officer)),
            Field::new(MILESTONES, "", true, get(|r| &r.milestones)),
            Field::new(
                TARGET,
                "one day, such as 31/03/2027; empty if not agreed yet",
                false,
                &uk_day(r.and_then(|r| r.target_on)),
            ),
            Field::new(
                STATUS,
                "not started, on track, at risk or complete",
                false,
                r.map_or(RecommendationStatus::NotStarted.label(), |r| {
                    r.status.label()
                }),
            ),
            Field::new(
                COMPLETED,
                "only when complete; empty: today",
                false,
                &uk_day(r.and_then(|r| r.completed_on)),
            ),
        ],
    );
    // The number is filled in already: start where the writing is.
    form.focus = 1;
    form
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

/// Reads the pane again after a write, with the plan focused on `recommendation` when given.
fn after_write(app: &mut App, recommendation: Option<i64>, message: String) {
    let today = app.today;
    let mut message = message;
    if let Some(ws) = &mut app.workspace {
        if let Err(e) = ws.reload(&app.store, today) {
            app.error(e.to_string());
            return;
        }
        if let Some(id) = recommendation {
            ws.plan.focused = true;
            if !ws.plan_select(id, today) {
                message.push_str(" The filter hides it: Esc clears the filter.");
            }
        }
    }
    app.info(message);
}

/// Validates the add / edit form and writes it (`target` 0 adds).
fn save_recommendation(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    let today = app.today;
    let Some(ws) = &app.workspace else { return };
    let original = ws
        .recommendations
        .iter()
        .find(|r| r.record.id == target)
        .map(|r| r.record.clone());
    if target != 0 && original.is_none() {
        app.error("That recommendation no longer exists: it may have been withdrawn.");
        return;
    }
    let number_text = form.value(NUMBER);
    let number = if number_text.is_empty() {
        if target != 0 {
            form.set_error(NUMBER, "give the recommendation's number");
        }
        None
    } else {
        match number_text.parse::<i64>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                form.set_error(
                    NUMBER,
                    format!("\"{number_text}\" is not a number from 1 up: write 1, 2, 3 …"),
                );
                None
            }
        }
    };
    if form.value(RECOMMENDATION).is_empty() {
        form.set_error(
            RECOMMENDATION,
            "write the recommendation: it is the one thing required",
        );
    }
    let scope = parse_scope(&form.value(SCOPE))
        .map_err(|e| form.set_error(SCOPE, e))
        .ok();
    let agency_id = agency_by_word(ws, &form.value(AGENCY))
        .map_err(|e| form.set_error(AGENCY, e))
        .ok()
        .flatten();
    if let Some(scope) = scope
        && form.field(AGENCY).is_some_and(|f| f.error.is_none())
        && let Err(e) = check_scope(scope, agency_id)
    {
        form.set_error(AGENCY, e);
    }
    let target_on = parse_day(&form.value(TARGET))
        .map_err(|e| form.set_error(TARGET, e))
        .ok()
        .flatten();
    let status = parse_status(&form.value(STATUS))
        .map_err(|e| form.set_error(STATUS, e))
        .ok();
    let typed_completion = parse_day(&form.value(COMPLETED))
        .map_err(|e| form.set_error(COMPLETED, e))
        .ok()
        .flatten();
    let stored_completion = original.as_ref().and_then(|r| r.completed_on);
    let completed_on = match status {
        Some(status) if form.field(COMPLETED).is_some_and(|f| f.error.is_none()) => {
            completion_date(status, typed_completion, stored_completion, today)
                .map_err(|e| form.set_error(COMPLETED, e))
                .ok()
                .flatten()
        }
        _ => None,
    };
    let (Some(scope), Some(status), false) = (scope, status, form.has_errors()) else {
        back(
            app,
            form,
            save_recommendation,
            target,
            "Not saved: correct the marked fields.".into(),
        );
        return;
    };
    let base = original.clone().unwrap_or(Recommendation {
        id: 0,
        case_id: ws.case.id,
        number: 0,
        recommendation: String::new(),
        scope,
        agency_id: None,
        action_to_take: String::new(),
        lead_officer: String::new(),
        milestones: String::new(),
        target_on: None,
        completed_on: None,
        outcome: String::new(),
        status,
    });
    let keep = |label: &str, old: &str| -> String {
        form.field(label)
            .map(|f| f.value_or(old))
            .unwrap_or_default()
    };
    let record = Recommendation {
        number: number.unwrap_or(base.number),
        recommendation: keep(RECOMMENDATION, &base.recommendation),
        scope,
        agency_id,
        action_to_take: keep(ACTION, &base.action_to_take),
        lead_officer: keep(LEAD, &base.lead_officer),
        milestones: keep(MILESTONES, &base.milestones),
        target_on,
        completed_on,
        status,
        ..base.clone()
    };
    let result = if target == 0 {
        app.store
            .add_recommendation(&record, number)
            .map(|(id, n)| (id, n, true))
    } else {
        app.store
            .update_recommendation(&record)
            .map(|changed| (target, record.number, changed))
    };
    match result {
        Ok((id, n, changed)) => {
            let mut message = if target == 0 {
                format!("Recommendation {n} added.")
            } else if changed {
                format!("Recommendation {n} saved.")
            } else {
                format!("Recommendation {n}: nothing changed.")
            };
            if original.as_ref().is_some_and(|o| o.completed_on.is_some()) && completed_on.is_none()
            {
                message.push_str(" Its completion date was cleared.");
            }
            after_write(app, Some(id), message);
        }
        Err(StoreError::Rule(e)) if e.contains("already exists") || e.contains("numbers start") => {
            form.set_error(NUMBER, e);
            back(
                app,
                form,
                save_recommendation,
                target,
                "Not saved: correct the marked fields.".into(),
            );
        }
        Err(e) => back(
            app,
            form,
            save_recommendation,
            target,
            format!("Not saved: {e}"),
        ),
    }
}

/// The number of a recommendation of the open case, for messages.
fn number_of(app: &App, id: i64) -> Option<(i64, Recommendation)> {
    app.workspace
        .as_ref()?
        .recommendations
        .iter()
        .find(|r| r.record.id == id)
        .map(|r| (r.record.number, r.record.clone()))
}

/// A status picked from the chooser: complete asks for its date first.
fn choose_recommendation_status(app: &mut App, value: i64, target: i64) {
    let Some(status) = RecommendationStatus::ALL.get(value as usize).copied() else {
        return;
    };
    let Some((number, r)) = number_of(app, target) else {
        app.error("That recommendation no longer exists: it may have been withdrawn.");
        return;
    };
    if status == RecommendationStatus::Complete {
        let day = r.completed_on.unwrap_or(app.today);
        app.overlay = Some(Overlay::Form {
            form: Form::new(
                format!("Recommendation {number} complete: on which day?"),
                vec![Field::new(
                    COMPLETED,
                    "the day it was completed; empty: today",
                    false,
                    &uk_day(Some(day)),
                )],
            ),
            submit: save_completion,
            target,
        });
        return;
    }
    if status == r.status {
        app.info(format!(
            "Recommendation {number} is already {status}: nothing changed."
        ));
        return;
    }
    let today = app.today;
    match app
        .store
        .set_recommendation_status(target, status, None, today)
    {
        Ok(_) => {
            let cleared = match r.completed_on {
                Some(d) => format!(" (completion date {} cleared)", d.format("%d %b %Y")),
                None => String::new(),
            };
            after_write(
                app,
                Some(target),
                format!("Recommendation {number} is now {status}{cleared}."),
            );
        }
        Err(e) => app.error(format!("Not changed: {e}")),
    }
}

/// The completion date of a recommendation being marked complete.
fn save_completion(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    let today = app.today;
    let typed = match parse_day(&form.value(COMPLETED)) {
        Ok(day) => day.or(Some(today)),
        Err(e) => {
            form.set_error(COMPLETED, e);
            back(app, form, save_completion, target, "Not saved.".into());
            return;
        }
    };
    let number = number_of(app, target).map_or(0, |(n, _)| n);
    match app
        .store
        .set_recommendation_status(target, RecommendationStatus::Complete, typed, today)
    {
        Ok(day) => after_write(
            app,
            Some(target),
            format!(
                "Recommendation {number} is complete{}.",
                day.map(|d| format!(", on {}", d.format("%d %b %Y")))
                    .unwrap_or_default()
            ),
        ),
        Err(StoreError::Rule(e)) => {
            form.set_error(COMPLETED, e);
            back(app, form, save_completion, target, "Not saved.".into());
        }
        Err(e) => back(
            app,
            form,
            save_completion,
            target,
            format!("Not saved: {e}"),
        ),
    }
}

/// The outcome / evidence of a recommendation.
fn save_outcome(app: &mut App, form: Form, target: i64) {
    let Some((number, r)) = number_of(app, target) else {
        app.error("That recommendation no longer exists: it may have been withdrawn.");
        return;
    };
    let outcome = form
        .field(OUTCOME)
        .map(|f| f.value_or(&r.outcome))
        .unwrap_or_default();
    match app.store.set_recommendation_outcome(target, &outcome) {
        Ok(true) => after_write(
            app,
            Some(target),
            format!("Outcome of recommendation {number} recorded."),
        ),
        Ok(false) => app.info(format!("Recommendation {number}: nothing changed.")),
        Err(e) => back(app, form, save_outcome, target, format!("Not saved: {e}")),
    }
}

/// A meeting action's status picked from the chooser.
fn choose_action_status(app: &mut App, value: i64, target: i64) {
    let Some(status) = ActionStatus::ALL.get(value as usize).copied() else {
        return;
    };
    match app.store.set_action_status(target, status) {
        Ok(false) => app.info(format!("The action is already {status}: nothing changed.")),
        Ok(true) => {
            after_write(app, None, format!("The action is now {status}."));
            // The list puts done actions last: keep the one just changed selected.
            if let Some(ws) = &mut app.workspace
                && let Some(i) = ws
                    .visible_actions()
                    .iter()
                    .position(|a| a.record.id == target)
            {
                ws.cursor_mut().selected = i;
            }
        }
        Err(e) => app.error(format!("Not changed: {e}")),
    }
}

/// The plan's filter form, filled with the filter in force.
fn plan_filter_form(ws: &Workspace) -> Overlay {
    let filter = ws.plan.filter;
    Overlay::Form {
        form: Form::new(
            "Filter the action plan (both must hold; empty = any)",
            vec![
                Field::new(
                    AGENCY,
                    "short code or name",
                    false,
                    &agency_code(ws, filter.agency_id),
                ),
                Field::new(
                    STATUS,
                    "not started, on track, at risk, complete or overdue",
                    false,
                    filter.status.map_or("", StatusFilter::label),
                ),
            ],
        ),
        submit: apply_plan_filter,
        target: 0,
    }
}

fn apply_plan_filter(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    let Some(ws) = &app.workspace else { return };
    let agency_id = agency_by_word(ws, &form.value(AGENCY))
        .map_err(|e| form.set_error(AGENCY, e))
        .ok()
        .flatten();
    let status = StatusFilter::parse(&form.value(STATUS))
        .map_err(|e| form.set_error(STATUS, e))
        .ok()
        .flatten();
    if form.has_errors() {
        back(
            app,
            form,
            apply_plan_filter,
            target,
            "Not applied: correct the marked fields.".into(),
        );
        return;
    }
    if let Some(ws) = &mut app.workspace {
        ws.plan.filter = PlanFilter { agency_id, status };
        ws.plan.focused = true;
        ws.plan.selected = 0;
    }
}
