//! The Agencies pane's forms and its status chooser, with typed targets: a new agency with
//! its panel member, a panel member, the edit form, and the move of a return to a status
//! with the dates (or the reason) that move needs.

use chrono::NaiveDate;

use crate::app::form::{Field, Form};
use crate::app::panes::fields::exact_day;
use crate::app::panes::{FieldId, FormTarget};
use crate::app::{App, Pane};
use crate::domain::imr::check_move;
use crate::domain::model::{Agency, ContactFound, ImrStatus, PanelMember, ReturnType};
use crate::store::StoreError;
use crate::store::panel::{AgencyDetails, ImrMove};

/// The pane's forms, each with what it saves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgenciesForm {
    /// A new agency of the case, with its panel member.
    Add,
    /// A new panel member for this agency.
    Member { agency: i64 },
    /// The edit form of this agency and its return.
    Edit { agency: i64 },
    /// The move of this agency's return to `to`, with what the move needs.
    Status { agency: i64, to: ImrStatus },
}

/// Room for every status in a draft's key: the status form's drafts stay where they were
/// kept when the agency and the status travelled in one number.
impl AgenciesForm {
    /// What the form edits, which keys its draft: the agency ("0" for a new one), and for
    /// a move of its return the status it moves to.
    pub fn draft_key(&self) -> String {
        match *self {
            AgenciesForm::Add => "0".into(),
            AgenciesForm::Member { agency } | AgenciesForm::Edit { agency } => agency.to_string(),
            AgenciesForm::Status { agency, to } => format!("{agency}:{}", to.code()),
        }
    }
}

/// The fields of the pane's forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgenciesField {
    Name,
    Code,
    Return,
    Contact,
    Member,
    Role,
    Deputy,
    Author,
    Independent,
    Requested,
    Due,
    Received,
    Reason,
    Notes,
    /// The login of the new panel member.
    Login,
}

impl From<AgenciesField> for FieldId {
    fn from(f: AgenciesField) -> FieldId {
        FieldId::Agencies(f)
    }
}

use AgenciesField::{
    Author as AUTHOR, Code as CODE, Contact as CONTACT, Deputy as DEPUTY, Due as DUE,
    Independent as INDEPENDENT, Login as LOGIN, Member as MEMBER, Name as NAME, Notes as NOTES,
    Reason as REASON, Received as RECEIVED, Requested as REQUESTED, Return as RETURN, Role as ROLE,
};

/// What the options of the pane's chooser mean, in option order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgenciesChoice {
    /// The status this agency's return moves to.
    Move { agency: i64, to: Vec<ImrStatus> },
}

const NAME_LABEL: &str = "Agency name";
const CODE_LABEL: &str = "Short code";
const RETURN_LABEL: &str = "Return (IMR / short / chronology / none)";
const CONTACT_LABEL: &str = "Contact found at scoping (yes / no / unknown)";
const MEMBER_LABEL: &str = "Panel member";
const AUTHOR_LABEL: &str = "Author of the return";
const REQUESTED_LABEL: &str = "Requested on";
const DUE_LABEL: &str = "Due on";
const DUE_HINT: &str = "dd/mm/yyyy: overdue once past and not received";
const LOGIN_LABEL: &str = "Their login";
const LOGIN_HINT: &str = "if they use DHR Panel: what they record shows their name";

fn return_type(text: &str) -> Option<ReturnType> {
    match text.trim().to_lowercase().as_str() {
        "imr" => Some(ReturnType::Imr),
        "short" | "short report" => Some(ReturnType::ShortReport),
        "chronology" | "chronology only" | "chron" | "chron." => Some(ReturnType::ChronologyOnly),
        "none" | "no" => Some(ReturnType::NoReturn),
        _ => None,
    }
}

fn day_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

fn field(id: AgenciesField, label: &'static str, hint: &'static str, value: &str) -> Field {
    Field::with_id(id, label, hint, false, value)
}

fn add_agency_form() -> Form {
    Form::new(
        "Add an agency to the case",
        vec![
            field(NAME, NAME_LABEL, "e.g. Northgate Police", ""),
            field(
                CODE,
                CODE_LABEL,
                "e.g. POLICE: used in imports and minutes",
                "",
            ),
            field(RETURN, RETURN_LABEL, "", "IMR"),
            field(CONTACT, CONTACT_LABEL, "", "unknown"),
            field(
                MEMBER,
                MEMBER_LABEL,
                "their representative on the panel",
                "",
            ),
            field(ROLE, "Role", "", ""),
            field(DEPUTY, "Deputy", "", ""),
            field(LOGIN, LOGIN_LABEL, LOGIN_HINT, ""),
        ],
    )
}

fn edit_form(a: &Agency) -> Form {
    let independent = match a.author_independent {
        Some(true) => "yes",
        Some(false) => "no",
        None => "",
    };
    Form::new(
        format!("Edit {} ({})", a.name, a.code),
        vec![
            field(NAME, NAME_LABEL, "", &a.name),
            field(CODE, CODE_LABEL, "", &a.code),
            field(RETURN, RETURN_LABEL, "", a.return_type.code()),
            field(CONTACT, CONTACT_LABEL, "", a.contact_found.code()),
            field(AUTHOR, AUTHOR_LABEL, "", &a.author),
            field(
                INDEPENDENT,
                "Author's independence confirmed (yes / no / empty)",
                "",
                independent,
            ),
            field(
                REQUESTED,
                REQUESTED_LABEL,
                "dd/mm/yyyy",
                &day_text(a.requested_on),
            ),
            field(DUE, DUE_LABEL, DUE_HINT, &day_text(a.due_on)),
            Field::with_id(NOTES, "Notes", "", true, &a.notes),
        ],
    )
}

impl App {
    fn open_agencies_form(&mut self, form: Form, target: AgenciesForm) {
        self.open_form(form, FormTarget::Agencies(target));
    }

    pub(super) fn open_add_agency_form(&mut self) {
        self.open_agencies_form(add_agency_form(), AgenciesForm::Add);
    }

    pub(super) fn open_member_form(&mut self, agency: &Agency) {
        let form = Form::new(
            format!(
                "Add a panel member for {}, or give one their login",
                agency.name
            ),
            vec![
                field(
                    MEMBER,
                    MEMBER_LABEL,
                    "a member's name as listed links them to the login below",
                    "",
                ),
                field(ROLE, "Role", "", ""),
                field(DEPUTY, "Deputy", "", ""),
                field(LOGIN, LOGIN_LABEL, LOGIN_HINT, ""),
            ],
        );
        self.open_agencies_form(form, AgenciesForm::Member { agency: agency.id });
    }

    pub(super) fn open_agency_edit_form(&mut self, agency: &Agency) {
        self.open_agencies_form(edit_form(agency), AgenciesForm::Edit { agency: agency.id });
    }
}

/// The agency with this id, as last read.
fn agency_by_id(app: &App, agency_id: i64) -> Option<Agency> {
    app.workspace
        .as_ref()?
        .agencies
        .by_id(agency_id)
        .map(|a| a.agency.clone())
}

/// Does what the option picked (its index) of the pane's chooser means.
pub(crate) fn choose(app: &mut App, choice: AgenciesChoice, index: usize) {
    match choice {
        AgenciesChoice::Move { agency, to } => {
            if let Some(to) = to.get(index) {
                choose_status(app, agency, *to);
            }
        }
    }
}

/// Saves one of the pane's forms.
pub(crate) fn submit(app: &mut App, form: Form, target: AgenciesForm) {
    match target {
        AgenciesForm::Add => save_new_agency(app, form),
        AgenciesForm::Member { agency } => save_member(app, form, agency),
        AgenciesForm::Edit { agency } => save_edit(app, form, agency),
        AgenciesForm::Status { agency, to } => save_status(app, form, agency, to),
    }
}

/// The return asked for and whether the agency had contact, marking either field when
/// its text is not one of the choices.
fn return_and_contact(form: &mut Form) -> (Option<ReturnType>, Option<ContactFound>) {
    let kind = return_type(&form.text(RETURN));
    if kind.is_none() {
        form.mark(RETURN, "write IMR, short, chronology or none");
    }
    let contact = ContactFound::from_code(&form.text(CONTACT).to_lowercase());
    if contact.is_none() {
        form.mark(CONTACT, "write yes, no or unknown");
    }
    (kind, contact)
}

fn save_new_agency(app: &mut App, mut form: Form) {
    form.clear_errors();
    let target = FormTarget::Agencies(AgenciesForm::Add);
    let Some(ws) = &app.workspace else { return };
    let case_id = ws.case.id;
    let name = form.text(NAME);
    let code = form.text(CODE).to_uppercase();
    if name.is_empty() {
        form.mark(NAME, "the agency's name is required");
    }
    if code.is_empty() || code.contains(char::is_whitespace) {
        form.mark(CODE, "give a short code without spaces, e.g. POLICE");
    } else if ws
        .agencies
        .all
        .iter()
        .any(|a| a.agency.code.eq_ignore_ascii_case(&code))
    {
        form.mark(
            CODE,
            format!("{code} is already an agency of this case: choose another code"),
        );
    }
    let (kind, contact) = return_and_contact(&mut form);
    if form.has_errors() {
        app.form_back(form, target, "Not saved: correct the marked fields.");
        return;
    }
    let mut agency = Agency::new(&name, &code);
    agency.case_id = case_id;
    agency.return_type = kind.unwrap_or(ReturnType::Imr);
    agency.contact_found = contact.unwrap_or(ContactFound::Unknown);
    let member = form.text(MEMBER);
    let (role, deputy) = (form.text(ROLE), form.text(DEPUTY));
    let member = (!member.is_empty()).then_some(PanelMember {
        id: 0,
        agency_id: 0,
        name: member,
        role,
        deputy,
        login: form.text(LOGIN),
    });
    match app.store.add_agency(&agency, member.as_ref()) {
        Ok(_) => {
            // A new agency and member appear in other panes (meetings, filters): read all.
            app.reload_workspace();
            if let Some(ws) = &mut app.workspace {
                let at = ws
                    .agencies
                    .rows(ws.today)
                    .iter()
                    .position(|a| a.agency.code == code);
                if let Some(at) = at
                    && ws.pane == Pane::Agencies
                {
                    ws.agencies.cursor.selected = at;
                }
            }
            app.info(format!(
                "Added {name} ({code}). s moves its return; meetings list its panel member."
            ));
        }
        Err(e) => app.form_back(form, target, format!("Not saved: {e}")),
    }
}

fn save_member(app: &mut App, mut form: Form, agency_id: i64) {
    form.clear_errors();
    let target = FormTarget::Agencies(AgenciesForm::Member { agency: agency_id });
    let name = form.text(MEMBER);
    if name.is_empty() {
        form.mark(MEMBER, "the panel member's name is required");
        app.open_form(form, target);
        return;
    }
    let member = PanelMember {
        id: 0,
        agency_id,
        name,
        role: form.text(ROLE),
        deputy: form.text(DEPUTY),
        login: form.text(LOGIN),
    };
    match app.store.save_panel_member(&member) {
        Ok((_, true)) => {
            app.reload_workspace();
            app.info(format!("{} joins the panel.", member.name));
        }
        Ok((_, false)) => {
            app.reload_workspace();
            app.info(if member.login.is_empty() {
                format!(
                    "{} is already on the panel: saved, with no login.",
                    member.name
                )
            } else {
                format!(
                    "{} is already on the panel: saved, with the login {}.",
                    member.name, member.login
                )
            });
        }
        Err(e) => app.form_back(form, target, format!("Not saved: {e}")),
    }
}

fn save_edit(app: &mut App, mut form: Form, agency_id: i64) {
    form.clear_errors();
    let target = FormTarget::Agencies(AgenciesForm::Edit { agency: agency_id });
    let Some(original) = agency_by_id(app, agency_id) else {
        return;
    };
    let today = app.today;
    let name = form.text(NAME);
    if name.is_empty() {
        form.mark(NAME, "the agency's name is required");
    }
    let code = form.text(CODE).to_uppercase();
    let clash = app.workspace.as_ref().is_some_and(|ws| {
        ws.agencies
            .all
            .iter()
            .any(|a| a.agency.id != agency_id && a.agency.code.eq_ignore_ascii_case(&code))
    });
    if code.is_empty() || code.contains(char::is_whitespace) || clash {
        form.mark(
            CODE,
            "give a short code without spaces that no other agency of the case has",
        );
    }
    let (kind, contact) = return_and_contact(&mut form);
    let independent = match form.text(INDEPENDENT).to_lowercase().as_str() {
        "" => None,
        "y" | "yes" => Some(true),
        "n" | "no" => Some(false),
        _ => {
            form.mark(INDEPENDENT, "write yes or no, or leave it empty");
            None
        }
    };
    let requested = exact_day(&mut form, REQUESTED, today);
    let due = exact_day(&mut form, DUE, today);
    if form.has_errors() {
        app.form_back(form, target, "Not saved: correct the marked fields.");
        return;
    }
    let notes = form
        .field_by(NOTES)
        .map(|f| f.value_or(&original.notes))
        .unwrap_or_default();
    let details = AgencyDetails {
        name,
        code,
        return_type: kind.unwrap_or(original.return_type),
        contact_found: contact.unwrap_or(original.contact_found),
        author: form.text(AUTHOR),
        author_independent: independent,
        requested_on: requested,
        due_on: due,
        notes,
    };
    match app.store.edit_agency(agency_id, &details) {
        Ok(_) => {
            // Its name and code appear in other panes (timeline, logs, plan): read all.
            app.reload_workspace();
            app.info("Agency saved.");
        }
        Err(e) => app.form_back(form, target, format!("Not saved: {e}")),
    }
}

/// A status picked from the list: legal moves go on (asking for what they need), an
/// illegal one is refused with the reason and nothing is written.
fn choose_status(app: &mut App, agency_id: i64, to: ImrStatus) {
    let Some(agency) = agency_by_id(app, agency_id) else {
        return;
    };
    if let Err(reason) = check_move(agency.status, to) {
        app.error(format!("Not changed: {reason}."));
        return;
    }
    let today = app.today.format("%d/%m/%Y").to_string();
    let fields = match to {
        ImrStatus::Requested => vec![
            field(REQUESTED, REQUESTED_LABEL, "dd/mm/yyyy", &today),
            field(DUE, DUE_LABEL, DUE_HINT, &day_text(agency.due_on)),
        ],
        ImrStatus::Received => vec![
            field(RECEIVED, "Received on", "dd/mm/yyyy", &today),
            field(AUTHOR, AUTHOR_LABEL, "", &agency.author),
        ],
        ImrStatus::ScopedOut => vec![Field::with_id(
            REASON,
            "Reason (no contact with the subjects, …)",
            "kept with the agency",
            true,
            "",
        )],
        ImrStatus::Returned => vec![field(
            DUE,
            DUE_LABEL,
            "the revised due date, dd/mm/yyyy",
            "",
        )],
        _ => Vec::new(),
    };
    if fields.is_empty() {
        write_status(app, &agency, &ImrMove::To(to));
        return;
    }
    let form = Form::new(
        format!("{}: \"{}\" to \"{}\"", agency.name, agency.status, to),
        fields,
    );
    app.open_agencies_form(
        form,
        AgenciesForm::Status {
            agency: agency_id,
            to,
        },
    );
}

fn save_status(app: &mut App, mut form: Form, agency_id: i64, to: ImrStatus) {
    form.clear_errors();
    let Some(agency) = agency_by_id(app, agency_id) else {
        return;
    };
    let today = app.today;
    let change = match to {
        ImrStatus::Requested => {
            let requested = exact_day(&mut form, REQUESTED, today).or(Some(today));
            let due = exact_day(&mut form, DUE, today);
            if due.is_none() && !form.has_errors() {
                form.mark(DUE, "give the date the return is due");
            }
            ImrMove::Requested {
                requested_on: requested,
                due_on: due,
            }
        }
        ImrStatus::Received => {
            let received = exact_day(&mut form, RECEIVED, today).or(Some(today));
            ImrMove::Received {
                received_on: received,
                author: form.text(AUTHOR),
            }
        }
        ImrStatus::ScopedOut => {
            let reason = form.text(REASON);
            if reason.is_empty() {
                form.mark(REASON, "say why the agency is scoped out");
            }
            ImrMove::ScopedOut { reason }
        }
        ImrStatus::Returned => {
            let due = exact_day(&mut form, DUE, today);
            if due.is_none() && !form.has_errors() {
                form.mark(DUE, "give the revised due date");
            }
            ImrMove::Returned { due_on: due }
        }
        other => ImrMove::To(other),
    };
    if form.has_errors() {
        app.open_agencies_form(
            form,
            AgenciesForm::Status {
                agency: agency_id,
                to,
            },
        );
        return;
    }
    write_status(app, &agency, &change);
}

fn write_status(app: &mut App, agency: &Agency, change: &ImrMove) {
    // The store checks the move against the return as it stands when it writes.
    match app.store.move_imr(agency.id, change) {
        Ok(()) => {
            app.reload_agencies();
            app.info(format!("{}: return now \"{}\".", agency.name, change.to()));
        }
        Err(StoreError::Rule(reason)) => app.error(format!("Not changed: {reason}.")),
        Err(e) => app.error(e.to_string()),
    }
}
