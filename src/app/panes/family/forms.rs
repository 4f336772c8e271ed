//! The Family pane's forms, choosers and detail: a person approached (chosen from the
//! register, or a new subject added with them), a contact, a proceeding, a disclosure
//! request; each with its typed target and what saving does.

use chrono::NaiveDate;

use super::{FamilyKey, pseudonym};
use crate::app::form::{Field, Form, yes_no};
use crate::app::panes::fields::exact_day;
use crate::app::panes::logs::uk_day;
use crate::app::panes::{ChooseTarget, FieldId, FormTarget};
use crate::app::{App, Overlay};
use crate::domain::family::{NO_ADVOCACY, advocacy_offered, lacks_advocacy_offer};
use crate::domain::model::{Subject, SubjectRole};
use crate::domain::review::{
    AdvocacyResponse, Connection, Consent, ContactMethod, DisclosureRequest, FamilyContact,
    FamilyPerson, Proceeding, ProceedingKind,
};

/// The pane's forms, each with what it saves to (0: a new record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FamilyForm {
    /// The person approached `person` (0: new), who is subject `subject` of the register.
    Person { person: i64, subject: i64 },
    /// A new person: a new subject of the register and their approach, saved together.
    NewPerson,
    /// The contact `contact` (0: new) with the person `person`.
    Contact { person: i64, contact: i64 },
    /// The proceeding `proceeding` (0: new).
    Proceeding { proceeding: i64 },
    /// The disclosure request `disclosure` (0: new) to the proceeding `proceeding`.
    Disclosure { proceeding: i64, disclosure: i64 },
}

impl FamilyForm {
    /// The record the form edits (0 for a new one), which keys its draft with its title.
    pub fn record(self) -> i64 {
        match self {
            FamilyForm::Person { person, .. } => person,
            FamilyForm::NewPerson => 0,
            FamilyForm::Contact { contact, .. } => contact,
            FamilyForm::Proceeding { proceeding } => proceeding,
            FamilyForm::Disclosure { disclosure, .. } => disclosure,
        }
    }
}

impl From<FamilyForm> for FormTarget {
    fn from(form: FamilyForm) -> FormTarget {
        FormTarget::Family(form)
    }
}

/// The fields of the pane's forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FamilyField {
    Pseudonym,
    RealNames,
    Relationship,
    Connection,
    ApproachedOn,
    ApproachedBy,
    OfferedOn,
    OfferedBy,
    Response,
    Advocate,
    Notes,
    ContactOn,
    Method,
    ByWhom,
    SharedTor,
    SharedDraft,
    SharedPublication,
    Views,
    Consent,
    ConsentDetail,
    Kind,
    Title,
    Contact,
    ContactRole,
    Charged,
    Trial,
    Verdict,
    Sentenced,
    Opened,
    Resumed,
    Concluded,
    AskedOn,
    AskedBy,
    Request,
    AnsweredOn,
    Answer,
}

impl From<FamilyField> for FieldId {
    fn from(f: FamilyField) -> FieldId {
        FieldId::Family(f)
    }
}

use FamilyField as F;

/// What the pane's choosers pick, in option order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FamilyChoice {
    /// The subject of the register approached (`None`: a new person).
    AddPerson { subjects: Vec<Option<i64>> },
    /// A contact with `person` to edit (`None`: add one).
    Contacts {
        person: i64,
        contacts: Vec<Option<i64>>,
    },
    /// A disclosure request to `proceeding` to edit (`None`: add one).
    Disclosures {
        proceeding: i64,
        requests: Vec<Option<i64>>,
    },
}

/// A field known by `id`.
fn field(id: FamilyField, label: &'static str, hint: &'static str, long: bool, v: &str) -> Field {
    Field::with_id(id, label, hint, long, v)
}

/// A yes / no field known by `id`.
fn yes_no_field(id: FamilyField, label: &'static str, value: bool) -> Field {
    let mut field = Field::yes_no(label, value);
    field.id = Some(id.into());
    field
}

/// A word of a closed vocabulary typed into `id`: its label or code, any case (empty:
/// `default`); marks the field with the words it takes otherwise.
fn word<T: Copy>(
    form: &mut Form,
    id: FamilyField,
    all: &[T],
    names: fn(T) -> [&'static str; 3],
    default: T,
) -> Option<T> {
    let typed = form.text(id).trim().to_lowercase();
    if typed.is_empty() {
        return Some(default);
    }
    let found = all.iter().copied().find(|t| {
        names(*t)
            .iter()
            .any(|n| !n.is_empty() && n.to_lowercase() == typed)
    });
    if found.is_none() {
        let words: Vec<&str> = all.iter().map(|t| names(*t)[0]).collect();
        form.mark(id, format!("write one of: {}", words.join(", ")));
    }
    found
}

fn connection_names(c: Connection) -> [&'static str; 3] {
    [c.label(), c.code(), ""]
}
fn response_names(r: AdvocacyResponse) -> [&'static str; 3] {
    [r.label(), r.code(), ""]
}
fn method_names(m: ContactMethod) -> [&'static str; 3] {
    [m.label(), m.code(), ""]
}
fn consent_names(c: Consent) -> [&'static str; 3] {
    let short = match c {
        Consent::None => "none",
        Consent::Pseudonym => "pseudonym",
        Consent::Tribute => "tribute",
        Consent::Both => "both",
        Consent::Declined => "declined",
    };
    [c.label(), c.code(), short]
}
fn kind_names(k: ProceedingKind) -> [&'static str; 3] {
    [k.label(), k.code(), k.short()]
}

/// The text of `id` for the store: the stored `old` when the field was not touched.
fn keep(form: &Form, id: FamilyField, old: &str) -> String {
    form.field_by(id)
        .map(|f| f.value_or(old))
        .unwrap_or_default()
}

/// A yes / no field's value, marked when it is neither.
fn flag(form: &mut Form, id: FamilyField) -> bool {
    yes_no(&form.text(id))
        .map_err(|e| form.mark(id, e))
        .unwrap_or(false)
}

/// The person's fields (the approach and the advocacy), filled from `p`.
fn person_fields(p: Option<&FamilyPerson>) -> Vec<Field> {
    let text = |f: fn(&FamilyPerson) -> &str| p.map(f).unwrap_or("");
    vec![
        field(
            F::Connection,
            "Connection",
            "family, friend, colleague, employer, neighbour, perpetrator or other",
            false,
            p.map_or(Connection::Family.label(), |p| p.connection.label()),
        ),
        field(
            F::ApproachedOn,
            "Approached on",
            "dd/mm/yyyy",
            false,
            &uk_day(p.and_then(|p| p.approached_on)),
        ),
        field(
            F::ApproachedBy,
            "Approached by",
            "who made the approach (the chair, a letter from the partnership)",
            false,
            text(|p| &p.approached_by),
        ),
        field(
            F::OfferedOn,
            "Advocacy offered on",
            "dd/mm/yyyy: specialist advocacy (such as AAFDA)",
            false,
            &uk_day(p.and_then(|p| p.advocacy_offered_on)),
        ),
        field(
            F::OfferedBy,
            "Advocacy offered by",
            "who offered it",
            false,
            text(|p| &p.advocacy_offered_by),
        ),
        field(
            F::Response,
            "Advocacy accepted?",
            "accepted, declined or awaited",
            false,
            p.map_or(AdvocacyResponse::Awaited.label(), |p| {
                p.advocacy_response.label()
            }),
        ),
        field(
            F::Advocate,
            "Advocate",
            "the advocate and their organisation",
            false,
            text(|p| &p.advocate),
        ),
        field(F::Notes, "Notes", "", true, text(|p| &p.notes)),
    ]
}

/// The person read from the form over `base` (`None` with the fields marked).
fn read_person(app: &App, form: &mut Form, base: &FamilyPerson) -> Option<FamilyPerson> {
    let today = app.today;
    let connection = word(
        form,
        F::Connection,
        Connection::ALL,
        connection_names,
        Connection::Other,
    );
    let approached_on = exact_day(form, F::ApproachedOn, today);
    let offered_on = exact_day(form, F::OfferedOn, today);
    let response = word(
        form,
        F::Response,
        AdvocacyResponse::ALL,
        response_names,
        AdvocacyResponse::Awaited,
    );
    let (Some(connection), Some(response), false) = (connection, response, form.has_errors())
    else {
        return None;
    };
    Some(FamilyPerson {
        connection,
        approached_on,
        approached_by: keep(form, F::ApproachedBy, &base.approached_by),
        advocacy_offered_on: offered_on,
        advocacy_offered_by: keep(form, F::OfferedBy, &base.advocacy_offered_by),
        advocacy_response: response,
        advocate: keep(form, F::Advocate, &base.advocate),
        notes: keep(form, F::Notes, &base.notes),
        ..base.clone()
    })
}

fn contact_form(title: String, c: Option<&FamilyContact>, today: NaiveDate) -> Form {
    let text = |f: fn(&FamilyContact) -> &str| c.map(f).unwrap_or("");
    Form::new(
        title,
        vec![
            field(
                F::ContactOn,
                "Date",
                "dd/mm/yyyy; empty for today",
                false,
                &uk_day(Some(c.and_then(|c| c.contact_on).unwrap_or(today))),
            ),
            field(
                F::Method,
                "Method",
                "letter, phone, meeting, e-mail, video call or other",
                false,
                c.map_or(ContactMethod::Letter.label(), |c| c.method.label()),
            ),
            field(F::ByWhom, "By whom", "", false, text(|c| &c.by_whom)),
            yes_no_field(
                F::SharedTor,
                "Terms of reference shared",
                c.is_some_and(|c| c.shared_tor),
            ),
            yes_no_field(
                F::SharedDraft,
                "Draft report shared",
                c.is_some_and(|c| c.shared_draft),
            ),
            yes_no_field(
                F::SharedPublication,
                "Publication date shared",
                c.is_some_and(|c| c.shared_publication_date),
            ),
            field(
                F::Views,
                "Views and wishes",
                "in their words where possible",
                true,
                text(|c| &c.views),
            ),
            field(
                F::Consent,
                "Consent",
                "pseudonym, tribute, both, declined or empty (not recorded)",
                false,
                c.map_or("", |c| c.consent.code()),
            ),
            field(
                F::ConsentDetail,
                "Consent detail",
                "the pseudonym chosen, the tribute's words",
                true,
                text(|c| &c.consent_detail),
            ),
        ],
    )
}

fn proceeding_form(title: &str, p: Option<&Proceeding>) -> Form {
    let text = |f: fn(&Proceeding) -> &str| p.map(f).unwrap_or("");
    let day = |f: fn(&Proceeding) -> Option<NaiveDate>| uk_day(p.and_then(f));
    Form::new(
        title,
        vec![
            field(
                F::Kind,
                "Kind",
                "trial, inquest, IOPC, SAR, CSPR, MHHR or other",
                false,
                p.map_or(ProceedingKind::Trial.label(), |p| p.kind.label()),
            ),
            field(
                F::Title,
                "Title",
                "R v [perpetrator], Crown Court; the coroner's area (required)",
                false,
                text(|p| &p.title),
            ),
            field(
                F::Contact,
                "Contact",
                "their name",
                false,
                text(|p| &p.contact),
            ),
            field(
                F::ContactRole,
                "Contact's role",
                "senior investigating officer, coroner's officer",
                false,
                text(|p| &p.contact_role),
            ),
            field(
                F::Charged,
                "Charged on",
                "dd/mm/yyyy",
                false,
                &day(|p| p.charged_on),
            ),
            field(
                F::Trial,
                "Trial start",
                "dd/mm/yyyy",
                false,
                &day(|p| p.trial_on),
            ),
            field(
                F::Verdict,
                "Verdict",
                "dd/mm/yyyy",
                false,
                &day(|p| p.verdict_on),
            ),
            field(
                F::Sentenced,
                "Sentence",
                "dd/mm/yyyy",
                false,
                &day(|p| p.sentenced_on),
            ),
            field(
                F::Opened,
                "Opened",
                "dd/mm/yyyy: an inquest, investigation or review",
                false,
                &day(|p| p.opened_on),
            ),
            field(
                F::Resumed,
                "Resumed",
                "dd/mm/yyyy",
                false,
                &day(|p| p.resumed_on),
            ),
            field(
                F::Concluded,
                "Concluded",
                "dd/mm/yyyy: a concluded proceeding is no longer offered for a pause",
                false,
                &day(|p| p.concluded_on),
            ),
            field(F::Notes, "Notes", "", true, text(|p| &p.notes)),
        ],
    )
}

fn disclosure_form(title: String, d: Option<&DisclosureRequest>) -> Form {
    let text = |f: fn(&DisclosureRequest) -> &str| d.map(f).unwrap_or("");
    Form::new(
        title,
        vec![
            field(
                F::AskedOn,
                "Asked on",
                "dd/mm/yyyy; empty for today",
                false,
                &uk_day(d.and_then(|d| d.asked_on)),
            ),
            field(F::AskedBy, "Asked by", "", false, text(|d| &d.asked_by)),
            field(
                F::Request,
                "Request",
                "what was asked for (required)",
                true,
                text(|d| &d.request),
            ),
            field(
                F::AnsweredOn,
                "Answered on",
                "dd/mm/yyyy; empty while awaited",
                false,
                &uk_day(d.and_then(|d| d.answered_on)),
            ),
            field(F::Answer, "Answer", "", true, text(|d| &d.answer)),
        ],
    )
}

/// `a`, `e` and `c` on the focused list.
pub(super) fn on_edit_key(app: &mut App, key: FamilyKey) {
    let Some(ws) = &app.workspace else { return };
    let pane = &ws.family;
    let today = app.today;
    if pane.proceedings_focused {
        let selected = pane.selected_proceeding().cloned();
        match (key, selected) {
            (FamilyKey::Add, _) => app.open_form(
                proceeding_form("New parallel proceeding", None),
                FamilyForm::Proceeding { proceeding: 0 }.into(),
            ),
            (FamilyKey::Edit, Some(p)) => app.open_form(
                proceeding_form(&format!("Edit: {}", p.kind.label()), Some(&p)),
                FamilyForm::Proceeding { proceeding: p.id }.into(),
            ),
            (FamilyKey::Contacts, Some(p)) => {
                let requests = pane.disclosures_of(p.id);
                if requests.is_empty() {
                    app.open_form(
                        disclosure_form(format!("Disclosure request to: {}", p.title), None),
                        FamilyForm::Disclosure {
                            proceeding: p.id,
                            disclosure: 0,
                        }
                        .into(),
                    );
                    return;
                }
                let mut options: Vec<String> = requests
                    .iter()
                    .map(|d| {
                        let answered = if d.answered_on.is_some() {
                            "answered"
                        } else {
                            "awaited"
                        };
                        format!("{} ({answered}): {}", long_day(d.asked_on), d.request)
                    })
                    .collect();
                let mut ids: Vec<Option<i64>> = requests.iter().map(|d| Some(d.id)).collect();
                options.push("Add a disclosure request".into());
                ids.push(None);
                app.open_chooser(
                    "Disclosure requests: edit one (record the answer) or add one",
                    options,
                    ChooseTarget::Family(FamilyChoice::Disclosures {
                        proceeding: p.id,
                        requests: ids,
                    }),
                );
            }
            _ => app.error("There is no proceeding selected: a adds one."),
        }
        return;
    }
    let selected = pane.selected_person(&ws.subjects).cloned();
    match (key, selected) {
        (FamilyKey::Add, _) => {
            let on_list: Vec<i64> = pane.people.iter().map(|p| p.subject_id).collect();
            let free: Vec<&Subject> = ws
                .subjects
                .iter()
                .filter(|s| s.role != SubjectRole::Victim && !on_list.contains(&s.id))
                .collect();
            let mut options: Vec<String> = free
                .iter()
                .map(|s| {
                    let rel = if s.relationship.trim().is_empty() {
                        String::new()
                    } else {
                        format!(": {}", s.relationship)
                    };
                    format!("{} ({}){rel}", s.pseudonym, s.role)
                })
                .collect();
            let mut ids: Vec<Option<i64>> = free.iter().map(|s| Some(s.id)).collect();
            options.push("A new person (added to the pseudonym register too)".into());
            ids.push(None);
            app.open_chooser(
                "Who was approached? (a subject of the pseudonym register)",
                options,
                ChooseTarget::Family(FamilyChoice::AddPerson { subjects: ids }),
            );
        }
        (FamilyKey::Edit, Some(p)) => {
            let name = pseudonym(&ws.subjects, p.subject_id);
            app.open_form(
                Form::new(
                    format!("{name}: approach and advocacy"),
                    person_fields(Some(&p)),
                ),
                FamilyForm::Person {
                    person: p.id,
                    subject: p.subject_id,
                }
                .into(),
            );
        }
        (FamilyKey::Contacts, Some(p)) => {
            let name = pseudonym(&ws.subjects, p.subject_id);
            let contacts = pane.contacts_of(p.id);
            if contacts.is_empty() {
                app.open_form(
                    contact_form(format!("Contact with {name}"), None, today),
                    FamilyForm::Contact {
                        person: p.id,
                        contact: 0,
                    }
                    .into(),
                );
                return;
            }
            let mut options: Vec<String> = contacts
                .iter()
                .map(|c| format!("{} {} by {}", long_day(c.contact_on), c.method, c.by_whom))
                .collect();
            let mut ids: Vec<Option<i64>> = contacts.iter().map(|c| Some(c.id)).collect();
            options.push("Add a contact".into());
            ids.push(None);
            let add = options.len() - 1;
            app.open_chooser(
                format!("Contacts with {name}: edit one or add one"),
                options,
                ChooseTarget::Family(FamilyChoice::Contacts {
                    person: p.id,
                    contacts: ids,
                }),
            );
            // Adding is the likeliest.
            if let Some(Overlay::Chooser(chooser)) = app.overlays.top_mut() {
                chooser.selected = add;
            }
        }
        _ => app.error("There is no person selected: a adds one approached."),
    }
}

fn long_day(day: Option<NaiveDate>) -> String {
    day.map_or_else(|| "undated".into(), |d| d.format("%d %b %Y").to_string())
}

/// Does what the option picked in one of the pane's choosers means.
pub(crate) fn choose(app: &mut App, choice: FamilyChoice, index: usize) {
    let today = app.today;
    let Some(ws) = &app.workspace else { return };
    match choice {
        FamilyChoice::AddPerson { subjects } => match subjects.get(index).copied() {
            Some(Some(subject)) => {
                let name = pseudonym(&ws.subjects, subject);
                app.open_form(
                    Form::new(format!("{name} approached"), person_fields(None)),
                    FamilyForm::Person { person: 0, subject }.into(),
                );
            }
            Some(None) => {
                let mut fields = vec![
                    field(
                        F::Pseudonym,
                        "Pseudonym",
                        "such as Adult E: what every export shows (required)",
                        false,
                        "",
                    ),
                    field(
                        F::RealNames,
                        "Real names",
                        "every form, separated by ; (kept only in the register)",
                        false,
                        "",
                    ),
                    field(
                        F::Relationship,
                        "Relationship",
                        "to the victim (sister, friend, manager)",
                        false,
                        "",
                    ),
                ];
                fields.extend(person_fields(None));
                app.open_form(
                    Form::new("A new person approached", fields),
                    FamilyForm::NewPerson.into(),
                );
            }
            None => {}
        },
        FamilyChoice::Contacts { person, contacts } => {
            let Some(picked) = contacts.get(index).copied() else {
                return;
            };
            let name = ws
                .family
                .people
                .iter()
                .find(|p| p.id == person)
                .map_or_else(|| "?".into(), |p| pseudonym(&ws.subjects, p.subject_id));
            let contact = picked.and_then(|id| ws.family.contacts.iter().find(|c| c.id == id));
            let form = contact_form(format!("Contact with {name}"), contact, today);
            app.open_form(
                form,
                FamilyForm::Contact {
                    person,
                    contact: picked.unwrap_or(0),
                }
                .into(),
            );
        }
        FamilyChoice::Disclosures {
            proceeding,
            requests,
        } => {
            let Some(picked) = requests.get(index).copied() else {
                return;
            };
            let title = ws
                .family
                .proceedings
                .iter()
                .find(|p| p.id == proceeding)
                .map_or_else(String::new, |p| p.title.clone());
            let request = picked.and_then(|id| ws.family.disclosures.iter().find(|d| d.id == id));
            let form = disclosure_form(format!("Disclosure request to: {title}"), request);
            app.open_form(
                form,
                FamilyForm::Disclosure {
                    proceeding,
                    disclosure: picked.unwrap_or(0),
                }
                .into(),
            );
        }
    }
}

/// Saves one of the pane's forms.
pub(crate) fn submit(app: &mut App, form: Form, target: FamilyForm) {
    match target {
        FamilyForm::Person { person, subject } => save_person(app, form, target, person, subject),
        FamilyForm::NewPerson => save_person(app, form, target, 0, 0),
        FamilyForm::Contact { person, contact } => save_contact(app, form, target, person, contact),
        FamilyForm::Proceeding { proceeding } => save_proceeding(app, form, target, proceeding),
        FamilyForm::Disclosure {
            proceeding,
            disclosure,
        } => save_disclosure(app, form, target, proceeding, disclosure),
    }
}

/// Reads the pane again after a write and says what was done.
fn after_write(app: &mut App, message: String) {
    if let Some(ws) = &mut app.workspace
        && let Err(e) = ws.family.reload(&app.store, ws.case.id)
    {
        app.error(e.to_string());
        return;
    }
    app.info(message);
}

const NOT_SAVED: &str = "Not saved: correct the marked fields.";

fn save_person(app: &mut App, mut form: Form, target: FamilyForm, id: i64, subject: i64) {
    form.clear_errors();
    let Some(ws) = &app.workspace else { return };
    let case_id = ws.case.id;
    let base = ws
        .family
        .people
        .iter()
        .find(|p| p.id == id)
        .cloned()
        .unwrap_or_else(|| FamilyPerson::new(case_id, subject, Connection::Family));
    if id != 0 && base.id != id {
        app.error("That person is no longer on the list: they may have been withdrawn.");
        return;
    }
    let new_subject = if target == FamilyForm::NewPerson {
        let pseudonym = form.text(F::Pseudonym);
        if pseudonym.is_empty() {
            form.mark(F::Pseudonym, "give a pseudonym, such as Adult E");
        } else if ws
            .subjects
            .iter()
            .any(|s| s.pseudonym.eq_ignore_ascii_case(&pseudonym))
        {
            form.mark(
                F::Pseudonym,
                format!("{pseudonym} is already in the register: choose them from the list (a)"),
            );
        }
        Some((
            pseudonym,
            form.text(F::RealNames),
            form.text(F::Relationship),
        ))
    } else {
        None
    };
    let person = read_person(app, &mut form, &base);
    let Some(person) = person.filter(|_| !form.has_errors()) else {
        app.form_back(form, target.into(), NOT_SAVED);
        return;
    };
    let result = match new_subject {
        Some((pseudonym, real_names, relationship)) => {
            let role = match person.connection {
                Connection::Family => SubjectRole::Family,
                Connection::Friend => SubjectRole::Friend,
                Connection::Perpetrator => SubjectRole::Perpetrator,
                _ => SubjectRole::Other,
            };
            let subject = Subject {
                id: 0,
                case_id,
                role,
                real_names,
                pseudonym,
                relationship,
                notes: String::new(),
            };
            let done = app.store.add_family_person_with_subject(&subject, &person);
            if done.is_ok()
                && let Some(ws) = &mut app.workspace
                && let Ok(subjects) = app.store.subjects(case_id)
            {
                ws.subjects = subjects;
            }
            done
        }
        None => app.store.save_family_person(&person),
    };
    match result {
        Ok(saved) => {
            let name = app
                .workspace
                .as_ref()
                .map(|ws| pseudonym(&ws.subjects, person.subject_id))
                .unwrap_or_default();
            let name = if name == "?" {
                "The person".to_string()
            } else {
                name
            };
            let mut message = if id == 0 {
                format!("{name} added to the people approached.")
            } else {
                format!("{name} saved.")
            };
            if lacks_advocacy_offer(&person) {
                message.push_str(&format!(" Flagged: {NO_ADVOCACY} (e records the offer)."));
            }
            after_write(app, message);
            select_person(app, saved);
        }
        Err(e) => app.form_back(form, target.into(), format!("Not saved: {e}")),
    }
}

fn select_person(app: &mut App, id: i64) {
    if let Some(ws) = &mut app.workspace {
        let rows = ws.family.people_rows(&ws.subjects);
        if let Some(i) = rows.iter().position(|p| p.id == id) {
            ws.family.cursor.selected = i;
            ws.family.proceedings_focused = false;
        }
    }
}

fn save_contact(app: &mut App, mut form: Form, target: FamilyForm, person: i64, id: i64) {
    form.clear_errors();
    let today = app.today;
    let Some(ws) = &app.workspace else { return };
    let old = ws.family.contacts.iter().find(|c| c.id == id).cloned();
    let base =
        old.unwrap_or_else(|| FamilyContact::new(ws.case.id, person, None, ContactMethod::Letter));
    let contact_on = exact_day(&mut form, F::ContactOn, today).or(Some(today));
    let method = word(
        &mut form,
        F::Method,
        ContactMethod::ALL,
        method_names,
        ContactMethod::Other,
    );
    let consent = word(
        &mut form,
        F::Consent,
        Consent::ALL,
        consent_names,
        Consent::None,
    );
    let shared_tor = flag(&mut form, F::SharedTor);
    let shared_draft = flag(&mut form, F::SharedDraft);
    let shared_publication_date = flag(&mut form, F::SharedPublication);
    let (Some(method), Some(consent), false) = (method, consent, form.has_errors()) else {
        app.form_back(form, target.into(), NOT_SAVED);
        return;
    };
    let contact = FamilyContact {
        contact_on,
        method,
        by_whom: keep(&form, F::ByWhom, &base.by_whom),
        shared_tor,
        shared_draft,
        shared_publication_date,
        views: keep(&form, F::Views, &base.views),
        consent,
        consent_detail: keep(&form, F::ConsentDetail, &base.consent_detail),
        ..base
    };
    match app.store.save_family_contact(&contact) {
        Ok(_) => after_write(
            app,
            if id == 0 {
                "Contact recorded.".into()
            } else {
                "Contact saved.".into()
            },
        ),
        Err(e) => app.form_back(form, target.into(), format!("Not saved: {e}")),
    }
}

fn save_proceeding(app: &mut App, mut form: Form, target: FamilyForm, id: i64) {
    form.clear_errors();
    let today = app.today;
    let Some(ws) = &app.workspace else { return };
    let base = ws.family.proceedings.iter().find(|p| p.id == id).cloned();
    let base = base.unwrap_or_else(|| Proceeding::new(ws.case.id, ProceedingKind::Other, ""));
    let kind = word(
        &mut form,
        F::Kind,
        ProceedingKind::ALL,
        kind_names,
        ProceedingKind::Other,
    );
    let title = keep(&form, F::Title, &base.title);
    if title.trim().is_empty() {
        form.mark(
            F::Title,
            "give it a title: R v [perpetrator], the coroner's area",
        );
    }
    let mut day = |id| exact_day(&mut form, id, today);
    let dates = [
        day(F::Charged),
        day(F::Trial),
        day(F::Verdict),
        day(F::Sentenced),
        day(F::Opened),
        day(F::Resumed),
        day(F::Concluded),
    ];
    let (Some(kind), false) = (kind, form.has_errors()) else {
        app.form_back(form, target.into(), NOT_SAVED);
        return;
    };
    let [
        charged_on,
        trial_on,
        verdict_on,
        sentenced_on,
        opened_on,
        resumed_on,
        concluded_on,
    ] = dates;
    let proceeding = Proceeding {
        kind,
        title,
        contact: keep(&form, F::Contact, &base.contact),
        contact_role: keep(&form, F::ContactRole, &base.contact_role),
        charged_on,
        trial_on,
        verdict_on,
        sentenced_on,
        opened_on,
        resumed_on,
        concluded_on,
        notes: keep(&form, F::Notes, &base.notes),
        ..base
    };
    match app.store.save_proceeding(&proceeding) {
        Ok(saved) => {
            after_write(
                app,
                format!("Proceeding saved: {}.", proceeding.kind.label()),
            );
            if let Some(ws) = &mut app.workspace {
                ws.family.proceedings_focused = true;
                if let Some(i) = ws
                    .family
                    .proceeding_rows()
                    .iter()
                    .position(|p| p.id == saved)
                {
                    ws.family.proceeding_selected = i;
                }
            }
        }
        Err(e) => app.form_back(form, target.into(), format!("Not saved: {e}")),
    }
}

fn save_disclosure(app: &mut App, mut form: Form, target: FamilyForm, proceeding: i64, id: i64) {
    form.clear_errors();
    let today = app.today;
    let Some(ws) = &app.workspace else { return };
    let base = ws.family.disclosures.iter().find(|d| d.id == id).cloned();
    let base = base.unwrap_or(DisclosureRequest {
        id: 0,
        case_id: ws.case.id,
        proceeding_id: proceeding,
        asked_on: None,
        asked_by: String::new(),
        request: String::new(),
        answered_on: None,
        answer: String::new(),
    });
    let asked_on = exact_day(&mut form, F::AskedOn, today).or(Some(today));
    let answered_on = exact_day(&mut form, F::AnsweredOn, today);
    let request = keep(&form, F::Request, &base.request);
    if request.trim().is_empty() {
        form.mark(F::Request, "say what was asked for");
    }
    if form.has_errors() {
        app.form_back(form, target.into(), NOT_SAVED);
        return;
    }
    let request = DisclosureRequest {
        asked_on,
        asked_by: keep(&form, F::AskedBy, &base.asked_by),
        request,
        answered_on,
        answer: keep(&form, F::Answer, &base.answer),
        ..base
    };
    match app.store.save_disclosure(&request) {
        Ok(_) => after_write(app, "Disclosure request saved.".into()),
        Err(e) => app.form_back(form, target.into(), format!("Not saved: {e}")),
    }
}

/// Enter: the selected person with every contact, or the proceeding with its requests.
pub(super) fn open_detail(app: &mut App) {
    let Some(ws) = &app.workspace else { return };
    let pane = &ws.family;
    let none = if app.options.ascii { "-" } else { "—" };
    let day = |d: Option<NaiveDate>| {
        d.map_or_else(|| none.to_string(), |d| d.format("%d %b %Y").to_string())
    };
    let or_none = |s: &str| {
        if s.trim().is_empty() {
            none.to_string()
        } else {
            s.to_string()
        }
    };
    let mut out = String::new();
    let title;
    if pane.proceedings_focused {
        let Some(p) = pane.selected_proceeding() else {
            app.error("There is no proceeding selected: a adds one.");
            return;
        };
        title = format!("{}: {}", p.kind.label(), p.title);
        let contact = match (p.contact.trim(), p.contact_role.trim()) {
            ("", "") => none.to_string(),
            (c, "") => c.to_string(),
            ("", r) => r.to_string(),
            (c, r) => format!("{c} ({r})"),
        };
        out.push_str(&format!("Contact: {contact}\n"));
        for (label, d) in [
            ("Charged", p.charged_on),
            ("Trial start", p.trial_on),
            ("Verdict", p.verdict_on),
            ("Sentence", p.sentenced_on),
            ("Opened", p.opened_on),
            ("Resumed", p.resumed_on),
            ("Concluded", p.concluded_on),
        ] {
            if d.is_some() {
                out.push_str(&format!("{label}: {}\n", day(d)));
            }
        }
        if !p.notes.trim().is_empty() {
            out.push_str(&format!("Notes: {}\n", p.notes));
        }
        let requests = pane.disclosures_of(p.id);
        out.push_str(&format!("\nDisclosure requests: {}\n", requests.len()));
        for d in requests {
            out.push_str(&format!(
                "\n{} by {}: {}\n",
                day(d.asked_on),
                or_none(&d.asked_by),
                d.request
            ));
            match d.answered_on {
                Some(on) => out.push_str(&format!(
                    "  Answered {}: {}\n",
                    day(Some(on)),
                    or_none(&d.answer)
                )),
                None => out.push_str("  Awaiting an answer.\n"),
            }
        }
        out.push_str("\nEsc closes; then c adds or edits a disclosure request, e edits the dates.");
    } else {
        let Some(p) = pane.selected_person(&ws.subjects) else {
            app.error("There is no person selected: a adds one approached.");
            return;
        };
        let name = pseudonym(&ws.subjects, p.subject_id);
        title = format!("{name} ({})", p.connection);
        out.push_str(&format!(
            "Approached: {} by {}\n",
            day(p.approached_on),
            or_none(&p.approached_by)
        ));
        if advocacy_offered(p) {
            out.push_str(&format!(
                "Advocacy: offered {} by {} · {}\n",
                day(p.advocacy_offered_on),
                or_none(&p.advocacy_offered_by),
                p.advocacy_response
            ));
            out.push_str(&format!("Advocate: {}\n", or_none(&p.advocate)));
        } else if lacks_advocacy_offer(p) {
            out.push_str(&format!(
                "Advocacy: {} (! {NO_ADVOCACY}: e records the offer)\n",
                none
            ));
        }
        if !p.notes.trim().is_empty() {
            out.push_str(&format!("Notes: {}\n", p.notes));
        }
        let contacts = pane.contacts_of(p.id);
        out.push_str(&format!("\nContacts: {}\n", contacts.len()));
        for c in contacts {
            let shared = c.shared();
            out.push_str(&format!(
                "\n{} · {} · by {}\n",
                day(c.contact_on),
                c.method,
                or_none(&c.by_whom)
            ));
            if !shared.is_empty() {
                out.push_str(&format!("  Shared: {}\n", shared.join(", ")));
            }
            if !c.views.trim().is_empty() {
                out.push_str(&format!("  Views and wishes: {}\n", c.views));
            }
            if c.consent != Consent::None {
                let detail = if c.consent_detail.trim().is_empty() {
                    String::new()
                } else {
                    format!(" ({})", c.consent_detail.trim())
                };
                out.push_str(&format!("  Consent: {}{detail}\n", c.consent));
            }
        }
        out.push_str(
            "\nEsc closes; then c adds or edits a contact, e edits the approach and advocacy.",
        );
    }
    app.overlays
        .push(Overlay::Report(crate::app::overlay::Report::new(
            title, out,
        )));
}
