//! The case's forms: a new case and its details, a stage move with its reason, pause and
//! resume, an extension, the later dates, and a subject of the pseudonym register. Each
//! form saves to a `CaseForm` and reads its fields back by `CaseField`, never by label.

use chrono::NaiveDate;

use super::CaseChoice;
use crate::app::App;
use crate::app::form::{Field, Form};
use crate::app::panes::fields::exact_day;
use crate::app::panes::{ChooseTarget, FieldId, FormTarget};
use crate::domain::characteristics;
use crate::domain::model::{Case, Place, PlaceKind, ReviewKind, Stage, Subject, SubjectRole};
use crate::domain::review::{CaseCharacteristic, Characteristic, Pause, Proceeding};
use crate::domain::stage::{StageFacts, plan_move};
use crate::store::cases::{CaseDetails, LaterDates};
use crate::store::{Result as StoreResult, Store};

/// What a case form saves to. `record()` keys the form's draft as the old numeric targets
/// did: the case, the stage's position, 1 to pause and 0 to resume, the subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseForm {
    /// The decision, a QA round or point, an item of the publication checklist.
    Process(super::process::ProcessForm),
    /// A new case, from the case list.
    New,
    /// The details of this case.
    Details { case: i64 },
    /// A move of the open case to this stage, with its reason.
    Stage { to: Stage },
    /// Pausing the open case, waiting for this proceeding (`None`: for another reason,
    /// which becomes a proceeding of kind "other").
    Pause { proceeding: Option<i64> },
    /// Resuming the open case from this pause.
    Resume { pause: i64 },
    /// Correcting this open pause (since when, the reason).
    EditPause { pause: i64 },
    /// An agreed extension of this case's completion date.
    Extension { case: i64 },
    /// The later dates of this case.
    LaterDates { case: i64 },
    /// A new subject of the register.
    AddSubject,
    /// This subject of the register.
    EditSubject { subject: i64 },
    /// A new place of the register.
    AddPlace,
    /// This place of the register.
    EditPlace { place: i64 },
    /// The characteristics of this case (each checked against what the form showed).
    Characteristics { case: i64 },
}

impl CaseForm {
    /// The record the form edits (0 for none), which keys its draft with its title.
    pub fn record(&self) -> i64 {
        match *self {
            CaseForm::Process(p) => p.record(),
            CaseForm::New | CaseForm::AddSubject | CaseForm::AddPlace => 0,
            CaseForm::Pause { proceeding } => proceeding.unwrap_or(0),
            CaseForm::Resume { pause } | CaseForm::EditPause { pause } => pause,
            CaseForm::Details { case }
            | CaseForm::Extension { case }
            | CaseForm::LaterDates { case }
            | CaseForm::Characteristics { case } => case,
            CaseForm::Stage { to } => Stage::ALL.iter().position(|s| *s == to).unwrap_or(0) as i64,
            CaseForm::EditSubject { subject } => subject,
            CaseForm::EditPlace { place } => place,
        }
    }
}

/// The hint of a login field: what linking a person to their login does.
const LOGIN_HINT: &str = "if they use DHR Panel: what they record shows their name";

/// The fields of the case's forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseField {
    /// A field of the decision, QA and publication forms.
    Process(super::process::ProcessField),
    Reference,
    Kind,
    Title,
    Partnership,
    Marking,
    Handling,
    Death,
    Notified,
    Chair,
    Author,
    Coordinator,
    ChairLogin,
    AuthorLogin,
    CoordinatorLogin,
    From,
    To,
    Reason,
    Completed,
    Since,
    Extended,
    Role,
    Pseudonym,
    RealNames,
    Relationship,
    Notes,
    PlaceKind,
    PlaceText,
    Replacement,
    /// Why the draft report was not shared with the family (reaching sign-off).
    DraftNotShared,
    /// A case characteristic (`c`).
    Characteristic(crate::domain::review::Characteristic),
}

impl From<CaseField> for FieldId {
    fn from(f: CaseField) -> FieldId {
        FieldId::Case(f)
    }
}

use CaseField as F;

fn day_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

fn required(form: &mut Form, id: CaseField, what: &str) -> String {
    let value = form.text(id);
    if value.is_empty() {
        form.mark(id, format!("{what} is required"));
    }
    value
}

/// The form of a new case (`None`) or of the details of `c`.
pub(super) fn case_form(title: &str, c: Option<&Case>) -> Form {
    let text = |f: fn(&Case) -> &str| c.map(f).unwrap_or("").to_string();
    let day = |f: fn(&Case) -> Option<NaiveDate>| day_text(c.and_then(f));
    Form::new(
        title,
        vec![
            Field::with_id(
                F::Reference,
                "Reference",
                "unique, e.g. DHR-2026-03",
                false,
                &text(|c| &c.reference),
            ),
            Field::with_id(
                F::Kind,
                "Review kind (DHR or DARDR)",
                "the label shown everywhere",
                false,
                c.map_or("DHR", |c| c.kind.code()),
            ),
            Field::with_id(
                F::Title,
                "Title (the victim's pseudonym)",
                "e.g. Adult A, or the name agreed with the family",
                false,
                &text(|c| &c.title),
            ),
            Field::with_id(
                F::Partnership,
                "Community Safety Partnership",
                "",
                false,
                &text(|c| &c.partnership),
            ),
            Field::with_id(
                F::Marking,
                "Protective marking",
                "",
                false,
                c.map_or(crate::domain::model::DEFAULT_MARKING, |c| {
                    c.marking.as_str()
                }),
            ),
            Field::with_id(
                F::Death,
                "Date of death",
                "dd/mm/yyyy",
                false,
                &day(|c| c.date_of_death),
            ),
            Field::with_id(
                F::Notified,
                "Date the partnership was notified",
                "the decision is due one month after",
                false,
                &day(|c| c.notified_on),
            ),
            Field::with_id(
                F::Chair,
                "Independent chair",
                "",
                false,
                &text(|c| &c.chair),
            ),
            Field::with_id(
                F::ChairLogin,
                "Chair's login",
                LOGIN_HINT,
                false,
                &text(|c| &c.chair_login),
            ),
            Field::with_id(
                F::Author,
                "Overview author",
                "",
                false,
                &text(|c| &c.overview_author),
            ),
            Field::with_id(
                F::AuthorLogin,
                "Overview author's login",
                LOGIN_HINT,
                false,
                &text(|c| &c.overview_author_login),
            ),
            Field::with_id(
                F::Coordinator,
                "Review coordinator",
                "for the partnership, often its business manager",
                false,
                &text(|c| &c.coordinator),
            ),
            Field::with_id(
                F::CoordinatorLogin,
                "Coordinator's login",
                LOGIN_HINT,
                false,
                &text(|c| &c.coordinator_login),
            ),
            Field::with_id(
                F::From,
                "Review period from",
                "",
                false,
                &day(|c| c.period_from),
            ),
            Field::with_id(F::To, "Review period to", "", false, &day(|c| c.period_to)),
            Field::with_id(
                F::Handling,
                "Handling note (after the marking on every document)",
                "how panel members treat the documents they receive",
                false,
                c.map_or(crate::domain::model::DEFAULT_HANDLING, |c| {
                    c.handling_sentence()
                }),
            ),
        ],
    )
}

/// The form of a move to `to`, or why the move is refused.
pub(super) fn stage_form(case: &Case, to: Stage, facts: &StageFacts) -> Result<Form, String> {
    let m = plan_move(case, to, facts)?;
    let mut fields = vec![Field::with_id(
        F::Reason,
        "Reason",
        "kept in the audit trail",
        true,
        "",
    )];
    if m.needs_completion_date {
        fields.push(Field::with_id(
            F::Completed,
            "Date the overview report was completed",
            "stops the statutory clock",
            false,
            "",
        ));
    }
    if m.needs_draft_reason {
        fields.push(Field::with_id(
            F::DraftNotShared,
            "Why the family did not see the draft",
            "required: no contact (8) shared it",
            true,
            "",
        ));
    }
    let mut form = Form::new(format!("Move from \"{}\" to \"{}\"", m.from, m.to), fields);
    if m.needs_draft_reason {
        form.message =
            Some("No family contact (8) records the draft as shared: say why to go on.".into());
    }
    if m.clears_completion_date {
        form.message = Some(
            "Moving back before sign-off clears the completion date: the clock runs again.".into(),
        );
    }
    Ok(form)
}

/// The form pausing the review, waiting for `proceeding` (its title offered as the
/// reason), or for another reason (`None`: the reason is required and names it).
pub(super) fn pause_form(proceeding: Option<&Proceeding>) -> Form {
    let (title, hint, reason) = match proceeding {
        Some(p) => (
            format!("Pause the review pending the {}", p.kind.label()),
            "why it waits; kept in the audit trail",
            p.title.clone(),
        ),
        None => (
            "Pause the review for another reason".to_string(),
            "what it waits for (required): it becomes a proceeding of kind other",
            String::new(),
        ),
    };
    Form::new(
        title,
        // The day first (as resuming asks it): typing goes into the empty date, never
        // onto the end of the reason offered from the proceeding's title.
        vec![
            Field::with_id(
                F::Since,
                "Paused since",
                "dd/mm/yyyy; empty for today",
                false,
                "",
            ),
            Field::with_id(F::Reason, "Reason", hint, true, &reason),
        ],
    )
}

/// The form resuming the review from its open pause: the day (today by default) and why.
pub(super) fn resume_form() -> Form {
    Form::new(
        "Resume the review (the clock waits for a new due date: x records it)",
        vec![
            // Empty (today): a day typed replaces nothing.
            Field::with_id(
                F::Since,
                "Resumed on",
                "dd/mm/yyyy; empty for today",
                false,
                "",
            ),
            Field::with_id(
                F::Reason,
                "Reason",
                "why it can go on; kept in the audit trail",
                true,
                "",
            ),
        ],
    )
}

/// The form correcting the open pause: since when, and its reason.
pub(super) fn edit_pause_form(pause: &Pause) -> Form {
    Form::new(
        "Correct the pause",
        vec![
            Field::with_id(
                F::Since,
                "Paused since",
                "dd/mm/yyyy",
                false,
                &day_text(pause.since),
            ),
            Field::with_id(F::Reason, "Reason", "why it waits", true, &pause.reason),
        ],
    )
}

/// `p` in the case view: when paused, a choice of resuming or correcting the pause; else
/// a choice of what the review waits for (the proceedings not concluded, or another
/// reason).
pub(super) fn on_pause_key(app: &mut App, case_id: i64) {
    let read = app
        .store
        .pauses(case_id)
        .and_then(|pauses| Ok((pauses, app.store.proceedings(case_id)?)));
    let (pauses, proceedings) = match read {
        Ok(r) => r,
        Err(e) => {
            app.error(format!("Cannot read the pauses: {e}"));
            app.open_case_view();
            return;
        }
    };
    if let Some(open) = pauses.iter().rev().find(|p| p.is_open()) {
        app.open_chooser(
            "The review is paused",
            vec![
                "Resume the review".into(),
                "Correct the pause (since, reason)".into(),
            ],
            ChooseTarget::Case(CaseChoice::Paused { pause: open.id }),
        );
        return;
    }
    let waiting: Vec<&Proceeding> = proceedings
        .iter()
        .filter(|p| p.concluded_on.is_none())
        .collect();
    let mut options: Vec<String> = waiting
        .iter()
        .map(|p| format!("{}: {}", p.kind.label(), p.title))
        .collect();
    options.push("other: give a reason".into());
    let mut ids: Vec<Option<i64>> = waiting.iter().map(|p| Some(p.id)).collect();
    ids.push(None);
    app.open_chooser(
        "Pause the review pending which proceeding? (8 records proceedings)",
        options,
        ChooseTarget::Case(CaseChoice::PauseFor { proceedings: ids }),
    );
}

/// The option picked in the pause choosers.
pub(super) fn choose_pause(app: &mut App, choice: CaseChoice, index: usize) {
    let Some(case_id) = app.workspace.as_ref().map(|ws| ws.case.id) else {
        return;
    };
    match choice {
        CaseChoice::PauseFor { proceedings } => {
            let Some(picked) = proceedings.get(index).copied() else {
                return;
            };
            let proceeding = match picked {
                Some(id) => match app.store.proceedings(case_id) {
                    Ok(all) => all.into_iter().find(|p| p.id == id),
                    Err(e) => {
                        app.error(format!("Cannot read the proceedings: {e}"));
                        return;
                    }
                },
                None => None,
            };
            app.open_form(
                pause_form(proceeding.as_ref()),
                FormTarget::Case(CaseForm::Pause { proceeding: picked }),
            );
        }
        CaseChoice::Paused { pause } => {
            if index == 0 {
                app.open_form(resume_form(), FormTarget::Case(CaseForm::Resume { pause }));
                return;
            }
            let found = app
                .store
                .pauses(case_id)
                .map(|all| all.into_iter().find(|p| p.id == pause));
            match found {
                Ok(Some(p)) => app.open_form(
                    edit_pause_form(&p),
                    FormTarget::Case(CaseForm::EditPause { pause }),
                ),
                Ok(None) => app.error("That pause no longer exists."),
                Err(e) => app.error(format!("Cannot read the pauses: {e}")),
            }
        }
        _ => {}
    }
}

pub(super) fn extension_form(case: &Case) -> Form {
    Form::new(
        "Record an agreed extension of the completion date",
        vec![
            Field::with_id(
                F::Extended,
                "Extended completion date",
                "dd/mm/yyyy",
                false,
                &day_text(case.extended_to),
            ),
            Field::with_id(
                F::Reason,
                "Reason",
                "who agreed it and why; kept in the audit trail",
                true,
                "",
            ),
        ],
    )
}

pub(super) fn later_dates_form(case: &Case) -> Form {
    Form::new(
        "The overview report's completion (empty = not yet)",
        vec![Field::with_id(
            F::Completed,
            "Date the overview report was completed",
            "stops the statutory clock; QA rounds are h, publication u",
            false,
            &day_text(case.report_completed_on),
        )],
    )
}

/// The form of a subject of the register: `s`, or a new one.
pub(super) fn subject_form(s: Option<&Subject>) -> Form {
    let text = |f: fn(&Subject) -> &str| s.map(f).unwrap_or("").to_string();
    Form::new(
        if s.is_some() {
            "Edit a subject of the register"
        } else {
            "Add a subject to the register"
        },
        vec![
            Field::with_id(
                F::Role,
                "Role (victim / perpetrator / child / family / friend / other)",
                "",
                false,
                s.map_or("other", |s| s.role.code()),
            ),
            Field::with_id(
                F::Pseudonym,
                "Pseudonym",
                "what anonymised documents use, e.g. Adult A",
                false,
                &text(|s| &s.pseudonym),
            ),
            Field::with_id(
                F::RealNames,
                "Real-name forms, separated by ;",
                "every form the name is written in: Jane Smith; Jane; Mrs Smith",
                false,
                &text(|s| &s.real_names),
            ),
            Field::with_id(
                F::Relationship,
                "Relationship",
                "to the victim",
                false,
                &text(|s| &s.relationship),
            ),
            Field::with_id(F::Notes, "Notes", "", true, &text(|s| &s.notes)),
        ],
    )
}

/// Saves one of the case's forms.
pub(crate) fn submit(app: &mut App, form: Form, target: CaseForm) {
    match target {
        CaseForm::Process(p) => super::process::submit(app, form, p),
        CaseForm::New => save_new_case(app, form),
        CaseForm::Details { .. } => save_case_details(app, form, target),
        CaseForm::Stage { to } => save_stage(app, form, to),
        CaseForm::Pause { .. } | CaseForm::Resume { .. } | CaseForm::EditPause { .. } => {
            save_pause(app, form, target)
        }
        CaseForm::Extension { .. } => save_extension(app, form, target),
        CaseForm::LaterDates { .. } => save_later_dates(app, form, target),
        CaseForm::AddSubject | CaseForm::EditSubject { .. } => save_subject(app, form, target),
        CaseForm::AddPlace | CaseForm::EditPlace { .. } => save_place(app, form, target),
        CaseForm::Characteristics { .. } => save_characteristics(app, form, target),
    }
}

/// Puts a case form back with its marks (and a message when given), nothing saved.
fn back(app: &mut App, form: Form, target: CaseForm) {
    app.open_form(form, FormTarget::Case(target));
}

/// Reads the case form into field values for the store; `None` with errors marked.
fn read_case_form(app: &App, form: &mut Form) -> Option<CaseDetails> {
    form.clear_errors();
    let today = app.today;
    let reference = required(form, F::Reference, "the reference");
    let kind = match ReviewKind::from_code(&form.text(F::Kind).to_uppercase()) {
        Some(k) => Some(k),
        None => {
            form.mark(F::Kind, "write DHR or DARDR");
            None
        }
    };
    let title = required(form, F::Title, "the title");
    let date_of_death = exact_day(form, F::Death, today);
    let notified_on = exact_day(form, F::Notified, today);
    let period_from = exact_day(form, F::From, today);
    let period_to = exact_day(form, F::To, today);
    if let (Some(from), Some(to)) = (period_from, period_to)
        && from > to
    {
        form.mark(F::To, "the review period ends before it starts");
    }
    let marking = match form.text(F::Marking) {
        m if m.is_empty() => crate::domain::model::DEFAULT_MARKING.to_string(),
        m => m,
    };
    let kind = kind?;
    if form.has_errors() {
        form.message = Some("Not saved: correct the marked fields.".into());
        return None;
    }
    Some(CaseDetails {
        reference,
        kind,
        title,
        partnership: form.text(F::Partnership),
        marking,
        handling: match form.text(F::Handling) {
            h if h.trim() == crate::domain::model::DEFAULT_HANDLING => String::new(),
            h => h,
        },
        chair: form.text(F::Chair),
        overview_author: form.text(F::Author),
        coordinator: form.text(F::Coordinator),
        chair_login: form.text(F::ChairLogin),
        overview_author_login: form.text(F::AuthorLogin),
        coordinator_login: form.text(F::CoordinatorLogin),
        date_of_death,
        notified_on,
        // The decision and the Home Office's notification are the decision record's
        // (`v`): this form no longer holds them.
        decision_on: None,
        home_office_notified_on: None,
        period_from,
        period_to,
    })
}

fn save_new_case(app: &mut App, mut form: Form) {
    let Some(details) = read_case_form(app, &mut form) else {
        back(app, form, CaseForm::New);
        return;
    };
    let case = details.new_case();
    match app.store.create_case(&case) {
        Ok(id) => {
            if let Err(e) = app.open_case_by_id(id) {
                app.error(e.to_string());
                return;
            }
            app.info(format!(
                "Case {} created. 0 shows the case; 3 the agencies.",
                case.reference
            ));
        }
        Err(e) => app.form_back(
            form,
            FormTarget::Case(CaseForm::New),
            format!("Not saved: {e}"),
        ),
    }
}

/// Writes to the open case with `change`, reads the workspace again (the case's facts
/// feed the clock, the header and the panes) and shows the case view again.
fn update_case(
    app: &mut App,
    change: impl FnOnce(&mut Store, i64) -> StoreResult<()>,
    done: &str,
) -> Result<(), String> {
    let Some(case_id) = app.workspace.as_ref().map(|ws| ws.case.id) else {
        return Err("no case is open".into());
    };
    change(&mut app.store, case_id).map_err(|e| e.to_string())?;
    app.reload_workspace();
    app.open_case_view();
    // "{clock}" in the message is what the clock reads now (a resumption or an extension
    // says what it did to the clock rather than guessing).
    let clock = app
        .workspace
        .as_ref()
        .map(|ws| ws.clock.headline())
        .unwrap_or_default();
    app.info(done.replace("{clock}", &clock));
    Ok(())
}

fn save_case_details(app: &mut App, mut form: Form, target: CaseForm) {
    let Some(details) = read_case_form(app, &mut form) else {
        back(app, form, target);
        return;
    };
    let save = |store: &mut Store, case_id| store.save_case_details(case_id, &details).map(|_| ());
    if let Err(e) = update_case(app, save, "Case details saved.") {
        app.form_back(form, FormTarget::Case(target), format!("Not saved: {e}"));
    }
}

fn save_stage(app: &mut App, mut form: Form, stage: Stage) {
    form.clear_errors();
    let target = CaseForm::Stage { to: stage };
    let Some(case) = app.workspace.as_ref().map(|ws| ws.case.clone()) else {
        return;
    };
    let facts = match app.store.stage_facts(case.id) {
        Ok(facts) => facts,
        Err(e) => {
            app.form_back(form, FormTarget::Case(target), format!("Not moved: {e}"));
            return;
        }
    };
    let m = match plan_move(&case, stage, &facts) {
        Ok(m) => m,
        Err(e) => {
            app.form_back(form, FormTarget::Case(target), format!("Not moved: {e}"));
            return;
        }
    };
    let reason = required(&mut form, F::Reason, "a reason");
    let draft_not_shared = if m.needs_draft_reason {
        if form.field_by(F::DraftNotShared).is_none() {
            // The family's contacts changed since the form opened: ask again with the field.
            app.error(
                "Not moved: no contact with the family records the draft report as shared now; \
                 s again asks why.",
            );
            app.open_case_view();
            return;
        }
        required(
            &mut form,
            F::DraftNotShared,
            "why the draft report was not shared with the family",
        )
    } else {
        String::new()
    };
    let completed = if m.needs_completion_date {
        let d = exact_day(&mut form, F::Completed, app.today);
        if d.is_none() && !form.has_errors() {
            form.mark(
                F::Completed,
                "give the date the overview report was completed",
            );
        }
        d
    } else {
        None
    };
    if form.has_errors() {
        app.form_back(
            form,
            FormTarget::Case(target),
            "Not moved: correct the marked fields.",
        );
        return;
    }
    let save = |store: &mut Store, case_id| {
        store.move_stage(case_id, stage, &reason, completed, &draft_not_shared)
    };
    if let Err(e) = update_case(app, save, &format!("Moved to \"{stage}\".")) {
        app.form_back(form, FormTarget::Case(target), format!("Not moved: {e}"));
    }
}

fn save_pause(app: &mut App, mut form: Form, target: CaseForm) {
    form.clear_errors();
    let today = app.today;
    let reason = match target {
        // A pause for another reason is named by it; a proceeding names itself.
        CaseForm::Pause {
            proceeding: Some(_),
        } => form.text(F::Reason),
        _ => required(&mut form, F::Reason, "a reason"),
    };
    let day = exact_day(&mut form, F::Since, today);
    if let CaseForm::EditPause { .. } = target
        && day.is_none()
        && !form.has_errors()
    {
        form.mark(F::Since, "give the day the pause began");
    }
    if form.has_errors() {
        back(app, form, target);
        return;
    }
    let day = day.unwrap_or(today);
    let save = |store: &mut Store, case_id| match target {
        CaseForm::Pause {
            proceeding: Some(p),
        } => store.pause_review(case_id, Some(p), &reason, Some(day)),
        CaseForm::Pause { proceeding: None } => {
            store.pause_pending_other(case_id, &reason, Some(day))
        }
        CaseForm::EditPause { pause } => store.correct_pause(case_id, pause, day, &reason),
        _ => store.resume_review(case_id, day, &reason),
    };
    let done = match target {
        CaseForm::Pause { .. } => {
            "Review paused: the clock reads paused, its timescale to be agreed."
        }
        CaseForm::EditPause { .. } => "Pause corrected.",
        _ => "Resumed. Clock: {clock}",
    };
    if let Err(e) = update_case(app, save, done) {
        app.form_back(form, FormTarget::Case(target), format!("Not saved: {e}"));
    }
}

fn save_extension(app: &mut App, mut form: Form, target: CaseForm) {
    form.clear_errors();
    let date = exact_day(&mut form, F::Extended, app.today);
    if date.is_none() && !form.has_errors() {
        form.mark(F::Extended, "give the new completion date");
    }
    let reason = required(&mut form, F::Reason, "a reason");
    if form.has_errors() {
        back(app, form, target);
        return;
    }
    let save = |store: &mut Store, case_id| store.extend_review(case_id, date, &reason);
    if let Err(e) = update_case(app, save, "Extension recorded. Clock: {clock}") {
        app.form_back(form, FormTarget::Case(target), format!("Not saved: {e}"));
    }
}

fn save_later_dates(app: &mut App, mut form: Form, target: CaseForm) {
    form.clear_errors();
    let completed = exact_day(&mut form, F::Completed, app.today);
    if form.has_errors() {
        back(app, form, target);
        return;
    }
    let dates = LaterDates {
        report_completed_on: completed,
    };
    let save = |store: &mut Store, case_id| store.save_later_dates(case_id, &dates);
    if let Err(e) = update_case(app, save, "Completion date saved.") {
        app.form_back(form, FormTarget::Case(target), format!("Not saved: {e}"));
    }
}

fn save_subject(app: &mut App, mut form: Form, target: CaseForm) {
    form.clear_errors();
    let role = SubjectRole::from_code(&form.text(F::Role).to_lowercase());
    if role.is_none() {
        form.mark(
            F::Role,
            "write victim, perpetrator, child, family, friend or other",
        );
    }
    let pseudonym = required(&mut form, F::Pseudonym, "the pseudonym");
    if form.has_errors() {
        back(app, form, target);
        return;
    }
    let Some(case_id) = app.workspace.as_ref().map(|ws| ws.case.id) else {
        return;
    };
    let id = match target {
        CaseForm::EditSubject { subject } => subject,
        _ => 0,
    };
    let original = app
        .workspace
        .as_ref()
        .and_then(|ws| ws.subjects.iter().find(|s| s.id == id).cloned());
    let keep = |field: CaseField, old: Option<&str>| {
        form.field_by(field)
            .map(|f| f.value_or(old.unwrap_or("")))
            .unwrap_or_default()
    };
    let subject = Subject {
        id,
        case_id,
        role: role.unwrap_or(SubjectRole::Other),
        real_names: keep(
            F::RealNames,
            original.as_ref().map(|s| s.real_names.as_str()),
        ),
        pseudonym,
        relationship: keep(
            F::Relationship,
            original.as_ref().map(|s| s.relationship.as_str()),
        ),
        notes: keep(F::Notes, original.as_ref().map(|s| s.notes.as_str())),
    };
    let result = if id > 0 {
        app.store.edit_subject(&subject).map(|_| ())
    } else {
        app.store.add_subject(&subject).map(|_| ())
    };
    match result {
        Ok(()) => {
            // The register is all a subject changes: read it alone again.
            let store = &app.store;
            let read = match app.workspace.as_mut() {
                Some(ws) => store.subjects(case_id).map(|s| ws.subjects = s),
                None => Ok(()),
            };
            app.open_case_view();
            match read {
                Ok(()) => app.info("Register saved."),
                Err(e) => app.error(e.to_string()),
            }
        }
        Err(e) => app.form_back(form, FormTarget::Case(target), format!("Not saved: {e}")),
    }
}

/// Opens the form of a place of the register: `id`, or a new one.
pub(super) fn open_place_form(app: &mut App, id: Option<i64>) {
    let Some(case_id) = app.workspace.as_ref().map(|ws| ws.case.id) else {
        return;
    };
    let place = match id {
        Some(id) => match app.store.places(case_id) {
            Ok(places) => places.into_iter().find(|p| p.id == id),
            Err(e) => {
                app.error(format!("Cannot read the register's places: {e}"));
                return;
            }
        },
        None => None,
    };
    let p = place.as_ref();
    let form = Form::new(
        if p.is_some() {
            "Edit a place of the register"
        } else {
            "Add a place to the register"
        },
        vec![
            Field::with_id(
                F::PlaceKind,
                "Kind (school / employer / address / other)",
                "",
                false,
                p.map_or("school", |p| p.kind.code()),
            ),
            Field::with_id(
                F::PlaceText,
                "The place as written",
                "e.g. Northfield Primary School",
                false,
                p.map_or("", |p| p.text.as_str()),
            ),
            Field::with_id(
                F::Replacement,
                "Written instead",
                "what anonymised documents say, e.g. a primary school (empty: [a school])",
                false,
                p.map_or("", |p| p.replacement.as_str()),
            ),
        ],
    );
    let target = match id {
        Some(place) => CaseForm::EditPlace { place },
        None => CaseForm::AddPlace,
    };
    app.open_form(form, FormTarget::Case(target));
}

fn save_place(app: &mut App, mut form: Form, target: CaseForm) {
    form.clear_errors();
    let kind = PlaceKind::from_code(&form.text(F::PlaceKind).to_lowercase());
    if kind.is_none() {
        form.mark(F::PlaceKind, "write school, employer, address or other");
    }
    let text = required(&mut form, F::PlaceText, "the place as written");
    if form.has_errors() {
        back(app, form, target);
        return;
    }
    let Some(case_id) = app.workspace.as_ref().map(|ws| ws.case.id) else {
        return;
    };
    let place = Place {
        id: match target {
            CaseForm::EditPlace { place } => place,
            _ => 0,
        },
        case_id,
        kind: kind.unwrap_or(PlaceKind::Other),
        text,
        replacement: form.text(F::Replacement),
    };
    let result = if place.id > 0 {
        app.store.edit_place(&place).map(|_| ())
    } else {
        app.store.add_place(&place).map(|_| ())
    };
    match result {
        Ok(()) => {
            app.open_case_view();
            app.info("Register saved.");
        }
        Err(e) => app.form_back(form, FormTarget::Case(target), format!("Not saved: {e}")),
    }
}

/// The case characteristics' form: every characteristic, filled with what is recorded.
pub(super) fn characteristics_form(recorded: &[CaseCharacteristic]) -> Form {
    let fields = Characteristic::ALL
        .iter()
        .map(|name| {
            let value = recorded
                .iter()
                .find(|c| c.name == *name)
                .map_or("", |c| c.value.as_str());
            Field::with_id(
                F::Characteristic(*name),
                characteristics::form_label(*name),
                characteristics::hint(*name),
                false,
                value,
            )
        })
        .collect();
    let mut form = Form::new(
        "Case characteristics (Home Office DHR library terms; all optional)",
        fields,
    );
    form.message = Some(
        "Left out of anonymised exports unless asked (m: anonymised, with characteristics).".into(),
    );
    form
}

/// Saves the characteristics form: each value checked against its vocabulary here (the
/// field is marked) and again in the store's write, which writes only what was changed in
/// the form and refuses one someone else changed meanwhile.
fn save_characteristics(app: &mut App, mut form: Form, target: CaseForm) {
    form.clear_errors();
    let mut values = Vec::new();
    let mut seen = Vec::new();
    for name in Characteristic::ALL {
        let Some(field) = form.field_by(F::Characteristic(*name)) else {
            continue;
        };
        let original = field.original_shown.clone();
        let typed = field.value_or(&original);
        if let Err(e) = characteristics::read_value(*name, &typed) {
            form.mark(F::Characteristic(*name), e);
        }
        values.push((*name, typed));
        seen.push((*name, original));
    }
    if form.has_errors() {
        app.form_back(
            form,
            FormTarget::Case(target),
            "Not saved: correct the marked fields.",
        );
        return;
    }
    let Some(case_id) = app.workspace.as_ref().map(|ws| ws.case.id) else {
        return;
    };
    match app.store.save_characteristics(case_id, &values, &seen) {
        Ok(n) => {
            app.open_case_view();
            if n == 0 {
                app.info("Case characteristics: nothing changed.");
            } else {
                app.info(format!(
                    "Case characteristics saved ({n} changed; each change is in the audit trail)."
                ));
            }
        }
        Err(e) => app.form_back(form, FormTarget::Case(target), format!("Not saved: {e}")),
    }
}
