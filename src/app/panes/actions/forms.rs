//! The Actions pane's forms and choosers: a recommendation added or edited (a national or
//! regional one with its addressee, the date sent and the response), its status
//! (complete asks for the day, closed asks why), its outcome, a meeting action's status and the plan's
//! filter, each with its typed target and what saving or choosing does.

use crate::app::form::{Field, Form};
use crate::app::panes::logs::uk_day;
use crate::app::panes::{ChooseTarget, FieldId, FormTarget};
use crate::app::{App, Overlay, Workspace};
use crate::domain::model::{ActionStatus, ClosedReason, Recommendation, RecommendationStatus};
use crate::domain::plan::{
    PlanFilter, StatusFilter, check_scope, check_sending, completion_date, is_addressed,
    parse_closed_reason, parse_day, parse_scope, parse_status,
};
use crate::store::StoreError;

use super::ActionsKey;

/// The pane's forms, each with what it saves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionsForm {
    /// A new recommendation.
    Add,
    /// This recommendation, edited.
    Edit { recommendation: i64 },
    /// The day this recommendation was completed, as it is marked complete.
    Completion { recommendation: i64 },
    /// The outcome / evidence of this recommendation.
    Outcome { recommendation: i64 },
    /// This recommendation closed other than by completion: why, and what was done.
    Close { recommendation: i64 },
    /// The plan's agency / status filter.
    Filter,
}

impl ActionsForm {
    /// The recommendation the form edits (0 for a new one and the filter).
    pub fn record(self) -> i64 {
        match self {
            ActionsForm::Edit { recommendation }
            | ActionsForm::Completion { recommendation }
            | ActionsForm::Outcome { recommendation }
            | ActionsForm::Close { recommendation } => recommendation,
            ActionsForm::Add | ActionsForm::Filter => 0,
        }
    }
}

impl From<ActionsForm> for FormTarget {
    fn from(form: ActionsForm) -> FormTarget {
        FormTarget::Actions(form)
    }
}

/// The fields of the pane's forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionsField {
    Number,
    Recommendation,
    Scope,
    Agency,
    Action,
    Lead,
    Milestones,
    Target,
    Status,
    Completed,
    Outcome,
    /// Why a recommendation is closed.
    ClosedReason,
    /// A national or regional recommendation's addressee, date sent, response and its date.
    Addressee,
    SentOn,
    Response,
    ResponseOn,
}

impl From<ActionsField> for FieldId {
    fn from(f: ActionsField) -> FieldId {
        FieldId::Actions(f)
    }
}

use ActionsField::{
    Action as ACTION, Addressee as ADDRESSEE, Agency as AGENCY, ClosedReason as CLOSED_REASON,
    Completed as COMPLETED, Lead as LEAD, Milestones as MILESTONES, Number as NUMBER,
    Outcome as OUTCOME, Recommendation as RECOMMENDATION, Response as RESPONSE,
    ResponseOn as RESPONSE_ON, Scope as SCOPE, SentOn as SENT_ON, Status as STATUS,
    Target as TARGET,
};

/// What the pane's choosers pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionsChoice {
    /// The status this recommendation moves to: the statuses in option order.
    RecommendationStatus {
        recommendation: i64,
        to: Vec<RecommendationStatus>,
    },
    /// The status this meeting action moves to: the statuses in option order.
    ActionStatus { action: i64, to: Vec<ActionStatus> },
}

/// What a key in the Actions pane is about.
enum Target {
    Recommendation(Box<Recommendation>),
    Action(i64, ActionStatus),
    Nothing,
}

impl App {
    /// `e`, `s` and `o`: on the selected recommendation, or (`s`) the selected action.
    pub(super) fn on_plan_edit_key(&mut self, key: ActionsKey) {
        let today = self.today;
        let Some(ws) = &self.workspace else { return };
        let pane = &ws.actions;
        let target = if pane.plan.focused {
            match pane.selected_recommendation(today) {
                Some(r) => Target::Recommendation(Box::new(r.record.clone())),
                None => Target::Nothing,
            }
        } else {
            match pane.selected_action() {
                Some(a) => Target::Action(a.record.id, a.record.status),
                None => Target::Nothing,
            }
        };
        let plan_focused = pane.plan.focused;
        match (key, target) {
            (ActionsKey::Edit, Target::Recommendation(r)) => {
                let agency = ws.agency_code(r.agency_id);
                let form = recommendation_form(
                    &format!("Edit recommendation {}", r.number),
                    Some(&r),
                    r.number,
                    &agency,
                );
                self.open_form(
                    form,
                    ActionsForm::Edit {
                        recommendation: r.id,
                    }
                    .into(),
                );
            }
            (ActionsKey::Status, Target::Recommendation(r)) => {
                let labels = RecommendationStatus::ALL
                    .iter()
                    .map(|s| {
                        let now = if *s == r.status { "  (now)" } else { "" };
                        format!("{}{now}", s.label())
                    })
                    .collect();
                let at = RecommendationStatus::ALL
                    .iter()
                    .position(|s| *s == r.status)
                    .unwrap_or(0);
                self.open_chooser_at(
                    format!("Status of recommendation {}", r.number),
                    labels,
                    ActionsChoice::RecommendationStatus {
                        recommendation: r.id,
                        to: RecommendationStatus::ALL.to_vec(),
                    },
                    at,
                );
            }
            (ActionsKey::Outcome, Target::Recommendation(r)) => {
                let form = Form::new(
                    format!("Recommendation {}: outcome and evidence", r.number),
                    vec![Field::with_id(
                        OUTCOME,
                        "Outcome / evidence",
                        "what was done, and the evidence that it was",
                        true,
                        &r.outcome,
                    )],
                );
                self.open_form(
                    form,
                    ActionsForm::Outcome {
                        recommendation: r.id,
                    }
                    .into(),
                );
            }
            (ActionsKey::Status, Target::Action(id, status)) => {
                let labels = ActionStatus::ALL
                    .iter()
                    .map(|s| {
                        let now = if *s == status { "  (now)" } else { "" };
                        format!("{}{now}", s.label())
                    })
                    .collect();
                let at = ActionStatus::ALL
                    .iter()
                    .position(|s| *s == status)
                    .unwrap_or(0);
                self.open_chooser_at(
                    "Status of the meeting action",
                    labels,
                    ActionsChoice::ActionStatus {
                        action: id,
                        to: ActionStatus::ALL.to_vec(),
                    },
                    at,
                );
            }
            (ActionsKey::Edit | ActionsKey::Outcome, Target::Action(..)) => self.error(
                "That key works on a recommendation: press p to move to the action plan \
                 (meeting actions are written while minuting; s sets their status).",
            ),
            (_, Target::Nothing) if plan_focused => {
                self.error("There is no recommendation selected: a adds one to the plan.")
            }
            _ => self.error("There is no meeting action selected: p moves to the action plan."),
        }
    }

    /// Opens one of the pane's choosers with the option `at` selected (the current status).
    fn open_chooser_at(
        &mut self,
        title: impl Into<String>,
        labels: Vec<String>,
        choice: ActionsChoice,
        at: usize,
    ) {
        self.open_chooser(title, labels, ChooseTarget::Actions(choice));
        if let Some(Overlay::Chooser(chooser)) = self.overlays.top_mut() {
            chooser.selected = at;
        }
    }
}

/// Saves one of the pane's forms.
pub(crate) fn submit(app: &mut App, form: Form, target: ActionsForm) {
    match target {
        ActionsForm::Add => save_recommendation(app, form, None),
        ActionsForm::Edit { recommendation } => {
            save_recommendation(app, form, Some(recommendation))
        }
        ActionsForm::Completion { recommendation } => save_completion(app, form, recommendation),
        ActionsForm::Outcome { recommendation } => save_outcome(app, form, recommendation),
        ActionsForm::Close { recommendation } => save_closure(app, form, recommendation),
        ActionsForm::Filter => apply_plan_filter(app, form),
    }
}

/// Does what the option picked in one of the pane's choosers means.
pub(crate) fn choose(app: &mut App, choice: ActionsChoice, index: usize) {
    match choice {
        ActionsChoice::RecommendationStatus { recommendation, to } => {
            if let Some(status) = to.get(index) {
                choose_recommendation_status(app, recommendation, *status);
            }
        }
        ActionsChoice::ActionStatus { action, to } => {
            if let Some(status) = to.get(index) {
                choose_action_status(app, action, *status);
            }
        }
    }
}

/// The add / edit form, filled from a recommendation (or empty but for its number).
pub(super) fn recommendation_form(
    title: &str,
    r: Option<&Recommendation>,
    number: i64,
    agency: &str,
) -> Form {
    let get = |f: fn(&Recommendation) -> &str| r.map(f).unwrap_or("");
    let mut form = Form::new(
        title,
        vec![
            Field::with_id(
                NUMBER,
                "Number",
                "empty: the next number",
                false,
                &number.to_string(),
            ),
            Field::with_id(
                RECOMMENDATION,
                "Recommendation",
                "what should change (required)",
                true,
                get(|r| &r.recommendation),
            ),
            Field::with_id(
                SCOPE,
                "Scope",
                "single (agency), local, regional or national",
                false,
                r.map(|r| r.scope.label()).unwrap_or(""),
            ),
            Field::with_id(
                AGENCY,
                "Agency",
                "short code or name; needed for a single-agency one",
                false,
                agency,
            ),
            Field::with_id(
                ACTION,
                "Action to take",
                "",
                true,
                get(|r| &r.action_to_take),
            ),
            Field::with_id(
                LEAD,
                "Lead officer",
                "name and role",
                false,
                get(|r| &r.lead_officer),
            ),
            Field::with_id(
                MILESTONES,
                "Key milestones",
                "",
                true,
                get(|r| &r.milestones),
            ),
            Field::with_id(
                TARGET,
                "Target date",
                "one day, such as 31/03/2027; empty if not agreed yet",
                false,
                &uk_day(r.and_then(|r| r.target_on)),
            ),
            Field::with_id(
                STATUS,
                "Status",
                "not started, on track, at risk or complete (s closes with a reason)",
                false,
                r.map_or(RecommendationStatus::NotStarted.label(), |r| {
                    r.status.label()
                }),
            ),
            Field::with_id(
                COMPLETED,
                "Completion date",
                "only when complete; empty: today",
                false,
                &uk_day(r.and_then(|r| r.completed_on)),
            ),
        ],
    );
    // A national or regional recommendation records its sending and the response.
    if let Some(r) = r.filter(|r| is_addressed(r.scope)) {
        form.fields.extend([
            Field::with_id(
                ADDRESSEE,
                "Addressee",
                "to whom it goes, e.g. the Home Office; needed once sent",
                false,
                &r.addressee,
            ),
            Field::with_id(
                SENT_ON,
                "Date sent",
                "one day; empty until it is sent",
                false,
                &uk_day(r.sent_on),
            ),
            Field::with_id(
                RESPONSE,
                "Response",
                "what the addressee answered",
                true,
                &r.response,
            ),
            Field::with_id(
                RESPONSE_ON,
                "Date of the response",
                "one day; empty until it comes",
                false,
                &uk_day(r.response_on),
            ),
        ]);
    }
    // The number is filled in already: start where the writing is.
    form.focus = 1;
    form
}

/// Reads the pane again after a write, with the plan focused on `recommendation` when given.
fn after_write(app: &mut App, recommendation: Option<i64>, message: String) {
    let today = app.today;
    let mut message = message;
    if let Some(ws) = &mut app.workspace {
        // Only this pane's lists change with the action plan or an action's status.
        if let Err(e) = ws.actions.reload(&app.store, ws.case.id) {
            app.error(e.to_string());
            return;
        }
        if let Some(id) = recommendation {
            ws.actions.plan.focused = true;
            if !ws.actions.plan_select(id, today) {
                message.push_str(" The filter hides it: Esc clears the filter.");
            }
        }
    }
    app.info(message);
}

/// The recommendation `id` of the open case, as the pane holds it.
fn recommendation_by_id(app: &App, id: i64) -> Option<Recommendation> {
    app.workspace
        .as_ref()?
        .actions
        .recommendations
        .iter()
        .find(|r| r.record.id == id)
        .map(|r| r.record.clone())
}

const GONE: &str = "That recommendation no longer exists: it may have been withdrawn.";

/// Validates the add / edit form and writes it (`editing` none adds).
fn save_recommendation(app: &mut App, mut form: Form, editing: Option<i64>) {
    form.clear_errors();
    let target: FormTarget = match editing {
        Some(recommendation) => ActionsForm::Edit { recommendation }.into(),
        None => ActionsForm::Add.into(),
    };
    let today = app.today;
    let original = editing.and_then(|id| recommendation_by_id(app, id));
    if editing.is_some() && original.is_none() {
        app.error(GONE);
        return;
    }
    let Some(ws) = &app.workspace else { return };
    let number_text = form.text(NUMBER);
    let number = if number_text.is_empty() {
        if editing.is_some() {
            form.mark(NUMBER, "give the recommendation's number");
        }
        None
    } else {
        match number_text.parse::<i64>() {
            Ok(n) if n >= 1 => Some(n),
            _ => {
                form.mark(
                    NUMBER,
                    format!("\"{number_text}\" is not a number from 1 up: write 1, 2, 3 …"),
                );
                None
            }
        }
    };
    if form.text(RECOMMENDATION).is_empty() {
        form.mark(
            RECOMMENDATION,
            "write the recommendation: it is the one thing required",
        );
    }
    let scope = parse_scope(&form.text(SCOPE))
        .map_err(|e| form.mark(SCOPE, e))
        .ok();
    let agency_id = ws
        .agency_by_word(&form.text(AGENCY))
        .map_err(|e| form.mark(AGENCY, e))
        .ok()
        .flatten()
        .map(|a| a.id);
    if let Some(scope) = scope
        && form.field_by(AGENCY).is_some_and(|f| f.error.is_none())
        && let Err(e) = check_scope(scope, agency_id)
    {
        form.mark(AGENCY, e);
    }
    let target_on = parse_day(&form.text(TARGET))
        .map_err(|e| form.mark(TARGET, e))
        .ok()
        .flatten();
    let status = parse_status(&form.text(STATUS))
        .map_err(|e| form.mark(STATUS, e))
        .ok();
    let was_closed = original
        .as_ref()
        .is_some_and(|r| r.status == RecommendationStatus::Closed);
    if status == Some(RecommendationStatus::Closed) && !was_closed {
        form.mark(
            STATUS,
            "closing asks why: save the other changes, then s and closed (superseded, not \
             accepted by its addressee, or merged)",
        );
    }
    let mut day_of = |id: ActionsField| match form.field_by(id) {
        None => Ok(None),
        Some(_) => parse_day(&form.text(id)).map_err(|e| form.mark(id, e)),
    };
    let sent_on = day_of(SENT_ON);
    let response_on = day_of(RESPONSE_ON);
    let typed_completion = parse_day(&form.text(COMPLETED))
        .map_err(|e| form.mark(COMPLETED, e))
        .ok()
        .flatten();
    let stored_completion = original.as_ref().and_then(|r| r.completed_on);
    let completed_on = match status {
        Some(status) if form.field_by(COMPLETED).is_some_and(|f| f.error.is_none()) => {
            completion_date(status, typed_completion, stored_completion, today)
                .map_err(|e| form.mark(COMPLETED, e))
                .ok()
                .flatten()
        }
        _ => None,
    };
    let (Some(scope), Some(status), false) = (scope, status, form.has_errors()) else {
        app.form_back(form, target, "Not saved: correct the marked fields.");
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
        closed_reason: None,
        addressee: String::new(),
        sent_on: None,
        response: String::new(),
        response_on: None,
    });
    let keep = |id: ActionsField, old: &str| -> String {
        form.field_by(id)
            .map(|f| f.value_or(old))
            .unwrap_or_default()
    };
    let shown = |id: ActionsField| form.field_by(id).is_some();
    let (Ok(sent_on), Ok(response_on)) = (sent_on, response_on) else {
        app.form_back(form, target, "Not saved: correct the marked fields.");
        return;
    };
    let record = Recommendation {
        addressee: if shown(ADDRESSEE) {
            keep(ADDRESSEE, &base.addressee)
        } else {
            base.addressee.clone()
        },
        sent_on: if shown(SENT_ON) {
            sent_on
        } else {
            base.sent_on
        },
        response: if shown(RESPONSE) {
            keep(RESPONSE, &base.response)
        } else {
            base.response.clone()
        },
        response_on: if shown(RESPONSE_ON) {
            response_on
        } else {
            base.response_on
        },
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
    if let Err(e) = check_sending(&record) {
        let field = if e.contains("addressee") {
            ADDRESSEE
        } else if e.contains("no date sent") {
            SENT_ON
        } else {
            RESPONSE_ON
        };
        form.mark(field, e);
        app.form_back(form, target, "Not saved: correct the marked fields.");
        return;
    }
    let result = match editing {
        None => app
            .store
            .add_recommendation(&record, number)
            .map(|(id, n)| (id, n, true)),
        Some(id) => app
            .store
            .update_recommendation(&record)
            .map(|changed| (id, record.number, changed)),
    };
    match result {
        Ok((id, n, changed)) => {
            let mut message = if editing.is_none() && is_addressed(scope) {
                format!(
                    "Recommendation {n} added. e records its addressee, the date sent and the \
                     response."
                )
            } else if editing.is_none() {
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
            form.mark(NUMBER, e);
            app.form_back(form, target, "Not saved: correct the marked fields.");
        }
        Err(e) => app.form_back(form, target, format!("Not saved: {e}")),
    }
}

/// A status picked from the chooser: complete asks for its date first.
fn choose_recommendation_status(app: &mut App, id: i64, status: RecommendationStatus) {
    let Some(r) = recommendation_by_id(app, id) else {
        app.error(GONE);
        return;
    };
    let number = r.number;
    if status == RecommendationStatus::Complete {
        let day = r.completed_on.unwrap_or(app.today);
        let form = Form::new(
            format!("Recommendation {number} complete: on which day?"),
            vec![Field::with_id(
                COMPLETED,
                "Completion date",
                "the day it was completed; empty: today",
                false,
                &uk_day(Some(day)),
            )],
        );
        app.open_form(form, ActionsForm::Completion { recommendation: id }.into());
        return;
    }
    if status == RecommendationStatus::Closed {
        let form = Form::new(
            format!("Close recommendation {number}: why?"),
            vec![
                Field::with_id(
                    CLOSED_REASON,
                    "Reason",
                    "superseded, not accepted (by its addressee) or merged",
                    false,
                    r.closed_reason.map_or("", ClosedReason::label),
                ),
                Field::with_id(
                    OUTCOME,
                    "Outcome / evidence",
                    "what happened instead: by what it was superseded, into which it merged",
                    true,
                    &r.outcome,
                ),
            ],
        );
        app.open_form(form, ActionsForm::Close { recommendation: id }.into());
        return;
    }
    if status == r.status {
        app.info(format!(
            "Recommendation {number} is already {status}: nothing changed."
        ));
        return;
    }
    let today = app.today;
    match app.store.set_recommendation_status(id, status, None, today) {
        Ok(_) => {
            let cleared = match r.completed_on {
                Some(d) => format!(" (completion date {} cleared)", d.format("%d %b %Y")),
                None => String::new(),
            };
            after_write(
                app,
                Some(id),
                format!("Recommendation {number} is now {status}{cleared}."),
            );
        }
        Err(e) => app.error(format!("Not changed: {e}")),
    }
}

/// The completion date of a recommendation being marked complete.
fn save_completion(app: &mut App, mut form: Form, id: i64) {
    form.clear_errors();
    let target = ActionsForm::Completion { recommendation: id }.into();
    let today = app.today;
    let typed = match parse_day(&form.text(COMPLETED)) {
        Ok(day) => day.or(Some(today)),
        Err(e) => {
            form.mark(COMPLETED, e);
            app.form_back(form, target, "Not saved.");
            return;
        }
    };
    let number = recommendation_by_id(app, id).map_or(0, |r| r.number);
    match app
        .store
        .set_recommendation_status(id, RecommendationStatus::Complete, typed, today)
    {
        Ok(day) => after_write(
            app,
            Some(id),
            format!(
                "Recommendation {number} is complete{}.",
                day.map(|d| format!(", on {}", d.format("%d %b %Y")))
                    .unwrap_or_default()
            ),
        ),
        Err(StoreError::Rule(e)) => {
            form.mark(COMPLETED, e);
            app.form_back(form, target, "Not saved.");
        }
        Err(e) => app.form_back(form, target, format!("Not saved: {e}")),
    }
}

/// A recommendation closed with its reason (required) and outcome.
fn save_closure(app: &mut App, mut form: Form, id: i64) {
    form.clear_errors();
    let target = ActionsForm::Close { recommendation: id }.into();
    let Some(r) = recommendation_by_id(app, id) else {
        app.error(GONE);
        return;
    };
    let reason = match parse_closed_reason(&form.text(CLOSED_REASON)) {
        Ok(reason) => reason,
        Err(e) => {
            form.mark(CLOSED_REASON, e);
            app.form_back(form, target, "Not closed: say why.");
            return;
        }
    };
    let outcome = form
        .field_by(OUTCOME)
        .map(|f| f.value_or(&r.outcome))
        .unwrap_or_default();
    let number = r.number;
    match app.store.close_recommendation(id, reason, &outcome) {
        Ok(_) => after_write(
            app,
            Some(id),
            format!("Recommendation {number} is closed ({reason})."),
        ),
        Err(e) => app.form_back(form, target, format!("Not closed: {e}")),
    }
}

/// The outcome / evidence of a recommendation.
fn save_outcome(app: &mut App, form: Form, id: i64) {
    let Some(r) = recommendation_by_id(app, id) else {
        app.error(GONE);
        return;
    };
    let number = r.number;
    let outcome = form
        .field_by(OUTCOME)
        .map(|f| f.value_or(&r.outcome))
        .unwrap_or_default();
    match app.store.set_recommendation_outcome(id, &outcome) {
        Ok(true) => after_write(
            app,
            Some(id),
            format!("Outcome of recommendation {number} recorded."),
        ),
        Ok(false) => app.info(format!("Recommendation {number}: nothing changed.")),
        Err(e) => app.form_back(
            form,
            ActionsForm::Outcome { recommendation: id }.into(),
            format!("Not saved: {e}"),
        ),
    }
}

/// A meeting action's status picked from the chooser.
fn choose_action_status(app: &mut App, id: i64, status: ActionStatus) {
    match app.store.set_action_status(id, status) {
        Ok(false) => app.info(format!("The action is already {status}: nothing changed.")),
        Ok(true) => {
            after_write(app, None, format!("The action is now {status}."));
            // The list puts done actions last: keep the one just changed selected.
            if let Some(ws) = &mut app.workspace
                && let Some(i) = ws
                    .actions
                    .action_rows()
                    .iter()
                    .position(|a| a.record.id == id)
            {
                ws.actions.cursor.selected = i;
            }
        }
        Err(e) => app.error(format!("Not changed: {e}")),
    }
}

/// The plan's filter form, filled with the filter in force.
pub(super) fn plan_filter_form(ws: &Workspace) -> Form {
    let filter = ws.actions.plan.filter;
    Form::new(
        "Filter the action plan (both must hold; empty = any)",
        vec![
            Field::with_id(
                AGENCY,
                "Agency",
                "short code or name",
                false,
                &ws.agency_code(filter.agency_id),
            ),
            Field::with_id(
                STATUS,
                "Status",
                "not started, on track, at risk, complete or overdue",
                false,
                filter.status.map_or("", StatusFilter::label),
            ),
        ],
    )
}

fn apply_plan_filter(app: &mut App, mut form: Form) {
    form.clear_errors();
    let Some(ws) = &app.workspace else { return };
    let agency_id = ws
        .agency_by_word(&form.text(AGENCY))
        .map_err(|e| form.mark(AGENCY, e))
        .ok()
        .flatten()
        .map(|a| a.id);
    let status = StatusFilter::parse(&form.text(STATUS))
        .map_err(|e| form.mark(STATUS, e))
        .ok()
        .flatten();
    if form.has_errors() {
        app.form_back(
            form,
            ActionsForm::Filter.into(),
            "Not applied: correct the marked fields.",
        );
        return;
    }
    if let Some(ws) = &mut app.workspace {
        ws.actions.plan = super::PlanView {
            focused: true,
            selected: 0,
            filter: PlanFilter { agency_id, status },
        };
    }
}
