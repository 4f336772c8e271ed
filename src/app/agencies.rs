//! The Agencies pane's own keys: the IMR board, agencies and their panel members, and each
//! return moved only along its lifecycle (SPEC §3.3), with chasers, dates and the author.

use crossterm::event::{KeyCode, KeyEvent};

use super::form::{Field, Form};
use super::keys::{Binding, b, f};
use super::panes::case::exact_day;
use super::{App, Effect, Overlay};
use crate::domain::imr::{allowed_moves, check_move};
use crate::domain::model::{Agency, ContactFound, ImrStatus, PanelMember, ReturnType};
use crate::store::StoreError;
use crate::store::panel::{AgencyDetails, AgencyOverview, ImrMove};

/// The keys this pane adds, for the footer and help.
pub const BINDINGS: &[Binding] = &[
    f(
        "s",
        "move the return's status along its lifecycle",
        "s",
        "status",
    ),
    f("c", "record a chaser sent today", "c", "chase"),
    f(
        "e",
        "edit the agency and its return (author, dates, notes)",
        "e",
        "edit",
    ),
    f("a", "add an agency with its panel member", "a", "add"),
    b("p", "add a panel member to the agency"),
    f("o", "sort: most overdue first / as added", "o", "sort"),
];

mod label {
    pub const NAME: &str = "Agency name";
    pub const CODE: &str = "Short code";
    pub const RETURN: &str = "Return (IMR / short / chronology / none)";
    pub const CONTACT: &str = "Contact found at scoping (yes / no / unknown)";
    pub const MEMBER: &str = "Panel member";
    pub const ROLE: &str = "Role";
    pub const DEPUTY: &str = "Deputy";
    pub const AUTHOR: &str = "Author of the return";
    pub const INDEPENDENT: &str = "Author's independence confirmed (yes / no / empty)";
    pub const REQUESTED: &str = "Requested on";
    pub const DUE: &str = "Due on";
    pub const RECEIVED: &str = "Received on";
    pub const REASON: &str = "Reason (no contact with the subjects, …)";
    pub const NOTES: &str = "Notes";
}
use label::*;

/// More than there are statuses, to pack an agency id and a status index in one number.
const STATUS_SLOTS: i64 = 16;

fn return_type(text: &str) -> Option<ReturnType> {
    match text.trim().to_lowercase().as_str() {
        "imr" => Some(ReturnType::Imr),
        "short" | "short report" => Some(ReturnType::ShortReport),
        "chronology" | "chronology only" | "chron" | "chron." => Some(ReturnType::ChronologyOnly),
        "none" | "no" => Some(ReturnType::NoReturn),
        _ => None,
    }
}

fn day_text(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

fn add_agency_form() -> Form {
    Form::new(
        "Add an agency to the case",
        vec![
            Field::new(NAME, "e.g. Northgate Police", false, ""),
            Field::new(CODE, "e.g. POLICE: used in imports and minutes", false, ""),
            Field::new(RETURN, "", false, "IMR"),
            Field::new(CONTACT, "", false, "unknown"),
            Field::new(MEMBER, "their representative on the panel", false, ""),
            Field::new(ROLE, "", false, ""),
            Field::new(DEPUTY, "", false, ""),
        ],
    )
}

fn save_new_agency(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    let Some(ws) = &app.workspace else { return };
    let case_id = ws.case.id;
    let name = form.value(NAME);
    let code = form.value(CODE).to_uppercase();
    if name.is_empty() {
        form.set_error(NAME, "the agency's name is required");
    }
    if code.is_empty() || code.contains(char::is_whitespace) {
        form.set_error(CODE, "give a short code without spaces, e.g. POLICE");
    } else if ws
        .agencies
        .iter()
        .any(|a| a.agency.code.eq_ignore_ascii_case(&code))
    {
        form.set_error(
            CODE,
            format!("{code} is already an agency of this case: choose another code"),
        );
    }
    let kind = return_type(&form.value(RETURN));
    if kind.is_none() {
        form.set_error(RETURN, "write IMR, short, chronology or none");
    }
    let contact = ContactFound::from_code(&form.value(CONTACT).to_lowercase());
    if contact.is_none() {
        form.set_error(CONTACT, "write yes, no or unknown");
    }
    if form.has_errors() {
        form.message = Some("Not saved: correct the marked fields.".into());
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_new_agency,
            target,
        });
        return;
    }
    let mut agency = Agency::new(&name, &code);
    agency.case_id = case_id;
    agency.return_type = kind.unwrap_or(ReturnType::Imr);
    agency.contact_found = contact.unwrap_or(ContactFound::Unknown);
    let member = form.value(MEMBER);
    let (role, deputy) = (form.value(ROLE), form.value(DEPUTY));
    let member = (!member.is_empty()).then_some(PanelMember {
        id: 0,
        agency_id: 0,
        name: member,
        role,
        deputy,
    });
    let result = app.store.add_agency(&agency, member.as_ref());
    match result {
        Ok(_) => {
            app.reload_workspace();
            if let Some(ws) = &mut app.workspace {
                let at = ws
                    .visible_agencies()
                    .iter()
                    .position(|a| a.agency.code == code);
                if let Some(at) = at {
                    ws.cursor_mut().selected = at;
                }
            }
            app.info(format!(
                "Added {name} ({code}). s moves its return; meetings list its panel member."
            ));
        }
        Err(e) => {
            form.message = Some(format!("Not saved: {e}"));
            app.overlay = Some(Overlay::Form {
                form,
                submit: save_new_agency,
                target,
            });
        }
    }
}

fn save_member(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    let name = form.value(MEMBER);
    if name.is_empty() {
        form.set_error(MEMBER, "the panel member's name is required");
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_member,
            target,
        });
        return;
    }
    let member = PanelMember {
        id: 0,
        agency_id: target,
        name,
        role: form.value(ROLE),
        deputy: form.value(DEPUTY),
    };
    match app.store.add_panel_member(&member) {
        Ok(_) => {
            app.reload_workspace();
            app.info(format!("{} joins the panel.", member.name));
        }
        Err(e) => {
            form.message = Some(format!("Not saved: {e}"));
            app.overlay = Some(Overlay::Form {
                form,
                submit: save_member,
                target,
            });
        }
    }
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
            Field::new(NAME, "", false, &a.name),
            Field::new(CODE, "", false, &a.code),
            Field::new(RETURN, "", false, a.return_type.code()),
            Field::new(CONTACT, "", false, a.contact_found.code()),
            Field::new(AUTHOR, "", false, &a.author),
            Field::new(INDEPENDENT, "", false, independent),
            Field::new(REQUESTED, "dd/mm/yyyy", false, &day_text(a.requested_on)),
            Field::new(
                DUE,
                "dd/mm/yyyy: overdue once past and not received",
                false,
                &day_text(a.due_on),
            ),
            Field::new(NOTES, "", true, &a.notes),
        ],
    )
}

fn save_edit(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    let Some(original) = selected_by_id(app, target).map(|a| a.agency.clone()) else {
        return;
    };
    let today = app.today;
    let name = form.value(NAME);
    if name.is_empty() {
        form.set_error(NAME, "the agency's name is required");
    }
    let code = form.value(CODE).to_uppercase();
    let clash = app.workspace.as_ref().is_some_and(|ws| {
        ws.agencies
            .iter()
            .any(|a| a.agency.id != target && a.agency.code.eq_ignore_ascii_case(&code))
    });
    if code.is_empty() || code.contains(char::is_whitespace) || clash {
        form.set_error(
            CODE,
            "give a short code without spaces that no other agency of the case has",
        );
    }
    let kind = return_type(&form.value(RETURN));
    if kind.is_none() {
        form.set_error(RETURN, "write IMR, short, chronology or none");
    }
    let contact = ContactFound::from_code(&form.value(CONTACT).to_lowercase());
    if contact.is_none() {
        form.set_error(CONTACT, "write yes, no or unknown");
    }
    let independent = match form.value(INDEPENDENT).to_lowercase().as_str() {
        "" => None,
        "y" | "yes" => Some(true),
        "n" | "no" => Some(false),
        _ => {
            form.set_error(INDEPENDENT, "write yes or no, or leave it empty");
            None
        }
    };
    let requested = exact_day(&mut form, REQUESTED, today);
    let due = exact_day(&mut form, DUE, today);
    if form.has_errors() {
        form.message = Some("Not saved: correct the marked fields.".into());
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_edit,
            target,
        });
        return;
    }
    let notes = form
        .field(NOTES)
        .map(|f| f.value_or(&original.notes))
        .unwrap_or_default();
    let details = AgencyDetails {
        name,
        code,
        return_type: kind.unwrap_or(original.return_type),
        contact_found: contact.unwrap_or(original.contact_found),
        author: form.value(AUTHOR),
        author_independent: independent,
        requested_on: requested,
        due_on: due,
        notes,
    };
    match app.store.edit_agency(target, &details) {
        Ok(_) => {
            app.reload_workspace();
            app.info("Agency saved.");
        }
        Err(e) => {
            form.message = Some(format!("Not saved: {e}"));
            app.overlay = Some(Overlay::Form {
                form,
                submit: save_edit,
                target,
            });
        }
    }
}

fn selected_by_id(app: &App, agency_id: i64) -> Option<&AgencyOverview> {
    app.workspace
        .as_ref()?
        .agencies
        .iter()
        .find(|a| a.agency.id == agency_id)
}

/// A status picked from the list: legal moves go on (asking for what they need), an
/// illegal one is refused with the reason and nothing is written.
fn choose_status(app: &mut App, value: i64, target: i64) {
    let Some(to) = usize::try_from(value)
        .ok()
        .and_then(|i| ImrStatus::ALL.get(i))
        .copied()
    else {
        return;
    };
    let Some(agency) = selected_by_id(app, target).map(|a| a.agency.clone()) else {
        return;
    };
    if let Err(reason) = check_move(agency.status, to) {
        app.error(format!("Not changed: {reason}."));
        return;
    }
    let today = app.today.format("%d/%m/%Y").to_string();
    let fields = match to {
        ImrStatus::Requested => vec![
            Field::new(REQUESTED, "dd/mm/yyyy", false, &today),
            Field::new(
                DUE,
                "dd/mm/yyyy: overdue once past and not received",
                false,
                &day_text(agency.due_on),
            ),
        ],
        ImrStatus::Received => vec![
            Field::new(RECEIVED, "dd/mm/yyyy", false, &today),
            Field::new(AUTHOR, "", false, &agency.author),
        ],
        ImrStatus::ScopedOut => vec![Field::new(REASON, "kept with the agency", true, "")],
        ImrStatus::Returned => vec![Field::new(
            DUE,
            "the revised due date, dd/mm/yyyy",
            false,
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
    // The agency and the chosen status travel together in the one target number.
    app.overlay = Some(Overlay::Form {
        form,
        submit: save_status,
        target: target * STATUS_SLOTS + value,
    });
}

fn save_status(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    let (agency_id, status_index) = (target / STATUS_SLOTS, target % STATUS_SLOTS);
    let Some(to) = usize::try_from(status_index)
        .ok()
        .and_then(|i| ImrStatus::ALL.get(i))
        .copied()
    else {
        return;
    };
    let Some(agency) = selected_by_id(app, agency_id).map(|a| a.agency.clone()) else {
        return;
    };
    let today = app.today;
    let change = match to {
        ImrStatus::Requested => {
            let requested = exact_day(&mut form, REQUESTED, today).or(Some(today));
            let due = exact_day(&mut form, DUE, today);
            if due.is_none() && !form.has_errors() {
                form.set_error(DUE, "give the date the return is due");
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
                author: form.value(AUTHOR),
            }
        }
        ImrStatus::ScopedOut => {
            let reason = form.value(REASON);
            if reason.is_empty() {
                form.set_error(REASON, "say why the agency is scoped out");
            }
            ImrMove::ScopedOut { reason }
        }
        ImrStatus::Returned => {
            let due = exact_day(&mut form, DUE, today);
            if due.is_none() && !form.has_errors() {
                form.set_error(DUE, "give the revised due date");
            }
            ImrMove::Returned { due_on: due }
        }
        other => ImrMove::To(other),
    };
    if form.has_errors() {
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_status,
            target,
        });
        return;
    }
    write_status(app, &agency, &change);
}

fn write_status(app: &mut App, agency: &Agency, change: &ImrMove) {
    // The store checks the move against the return as it stands when it writes.
    match app.store.move_imr(agency.id, change) {
        Ok(()) => {
            app.reload_workspace();
            app.info(format!("{}: return now \"{}\".", agency.name, change.to()));
        }
        Err(StoreError::Rule(reason)) => app.error(format!("Not changed: {reason}.")),
        Err(e) => app.error(e.to_string()),
    }
}

impl App {
    /// Keys of the Agencies pane itself; `None` when the key is not one of them.
    pub(super) fn on_agencies_key(&mut self, key: KeyEvent) -> Option<Effect> {
        let selected = self.workspace.as_ref().and_then(|ws| {
            ws.visible_agencies()
                .get(ws.cursor_of(super::Pane::Agencies).selected)
                .map(|a| a.agency.clone())
        });
        let editing = matches!(key.code, KeyCode::Char('s' | 'c' | 'e' | 'a' | 'p'));
        if editing && self.refuse_in_reading_seat() {
            return Some(Effect::Redraw);
        }
        match key.code {
            KeyCode::Char('o') => {
                let ws = self.workspace.as_mut()?;
                ws.agencies_by_overdue = !ws.agencies_by_overdue;
                ws.cursor_mut().selected = 0;
                let how = if ws.agencies_by_overdue {
                    "most overdue first"
                } else {
                    "in the order added"
                };
                self.info(format!("Agencies {how}."));
            }
            KeyCode::Char('a') => {
                self.overlay = Some(Overlay::Form {
                    form: add_agency_form(),
                    submit: save_new_agency,
                    target: 0,
                });
            }
            KeyCode::Char('p') => {
                let agency = selected?;
                let form = Form::new(
                    format!("Add a panel member for {}", agency.name),
                    vec![
                        Field::new(MEMBER, "", false, ""),
                        Field::new(ROLE, "", false, ""),
                        Field::new(DEPUTY, "", false, ""),
                    ],
                );
                self.overlay = Some(Overlay::Form {
                    form,
                    submit: save_member,
                    target: agency.id,
                });
            }
            KeyCode::Char('e') => {
                let agency = selected?;
                self.overlay = Some(Overlay::Form {
                    form: edit_form(&agency),
                    submit: save_edit,
                    target: agency.id,
                });
            }
            KeyCode::Char('c') => {
                let agency = selected?;
                if !crate::domain::imr::is_outstanding(agency.status) {
                    self.error(format!(
                        "{}'s return is \"{}\": there is nothing to chase.",
                        agency.name, agency.status
                    ));
                    return Some(Effect::Redraw);
                }
                let today = self.today;
                let result = self.store.add_chaser(agency.id, today);
                match result {
                    Ok(_) => {
                        self.reload_workspace();
                        self.info(format!(
                            "Chaser to {} recorded for {}.",
                            agency.name,
                            today.format("%d %b %Y")
                        ));
                    }
                    Err(e) => self.error(e.to_string()),
                }
            }
            KeyCode::Char('s') => {
                let agency = selected?;
                let allowed = allowed_moves(agency.status);
                if allowed.is_empty() {
                    self.error(format!(
                        "{}'s return is \"{}\", which is final.",
                        agency.name, agency.status
                    ));
                    return Some(Effect::Redraw);
                }
                // Every status is listed, the legal moves first: picking another one says why not.
                let mut options: Vec<(String, i64)> = Vec::new();
                for (i, status) in ImrStatus::ALL.iter().enumerate() {
                    if allowed.contains(status) {
                        options.push((status.label().to_string(), i as i64));
                    }
                }
                for (i, status) in ImrStatus::ALL.iter().enumerate() {
                    if !allowed.contains(status) && *status != agency.status {
                        options.push((format!("{} (not from here)", status.label()), i as i64));
                    }
                }
                self.overlay = Some(Overlay::Choose {
                    title: format!("{}: \"{}\" to", agency.name, agency.status),
                    options,
                    selected: 0,
                    choose: choose_status,
                    target: agency.id,
                });
            }
            _ => return None,
        }
        Some(Effect::Redraw)
    }
}
