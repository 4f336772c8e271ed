//! Cases: creating and editing a review, its stage, pause, extension and later dates, and
//! the pseudonym register — the facts the statutory clock reads.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};

use crate::app::form::{Field, Form};
use crate::app::keys::{Binding, b, f};
use crate::app::{App, Effect, Overlay};
use crate::domain::date::{DatePrecision, FuzzyDate};
use crate::domain::model::{Case, QaOutcome, ReviewKind, Stage, Subject, SubjectRole};
use crate::domain::stage::plan_move;
use crate::store::cases::{CaseDetails, LaterDates};

/// The keys the case list adds, for the footer and help.
pub const BINDINGS: &[Binding] = &[f("n", "new case", "n", "new case")];

/// The keys of the case view (`0` in the workspace).
pub const CASE_VIEW: &[Binding] = &[
    f("e", "edit the case details", "e", "edit"),
    f("s", "move the stage (with a reason)", "s", "stage"),
    f("p", "pause or resume the review", "p", "pause"),
    f(
        "x",
        "record an extension of the completion date",
        "x",
        "extend",
    ),
    f(
        "d",
        "record later dates: completion, Home Office, QA, publication",
        "d",
        "dates",
    ),
    f(
        "r",
        "the pseudonym register: subjects, real names, pseudonyms",
        "r",
        "register",
    ),
    b("↑ ↓  PgUp PgDn", "scroll"),
    f("Esc", "close", "Esc", "close"),
];

mod label {
    pub const REFERENCE: &str = "Reference";
    pub const KIND: &str = "Review kind (DHR or DARDR)";
    pub const TITLE: &str = "Title (the victim's pseudonym)";
    pub const PARTNERSHIP: &str = "Community Safety Partnership";
    pub const MARKING: &str = "Protective marking";
    pub const DEATH: &str = "Date of death";
    pub const NOTIFIED: &str = "Date the partnership was notified";
    pub const DECISION: &str = "Date of the decision to review";
    pub const HOME_OFFICE: &str = "Date the Home Office was notified";
    pub const CHAIR: &str = "Independent chair";
    pub const AUTHOR: &str = "Overview author";
    pub const FROM: &str = "Review period from";
    pub const TO: &str = "Review period to";
    pub const REASON: &str = "Reason";
    pub const COMPLETED: &str = "Date the overview report was completed";
    pub const SINCE: &str = "Paused since";
    pub const EXTENDED: &str = "Extended completion date";
    pub const SUBMITTED: &str = "Submitted to the Home Office";
    pub const QA: &str = "QA outcome (publish / changes / resubmit)";
    pub const QA_DATE: &str = "Date of the QA outcome";
    pub const PUBLISHED: &str = "Published";
    pub const COMMISSIONER: &str = "Sent to the Domestic Abuse Commissioner";
    pub const ROLE: &str = "Role (victim / perpetrator / child / family / friend / other)";
    pub const PSEUDONYM: &str = "Pseudonym";
    pub const REAL_NAMES: &str = "Real-name forms, separated by ;";
    pub const RELATIONSHIP: &str = "Relationship";
    pub const NOTES: &str = "Notes";
}
use label::*;

fn day_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

/// Reads a field that must be empty or a date precise to the day; marks it otherwise.
pub(crate) fn exact_day(form: &mut Form, label: &str, today: NaiveDate) -> Option<NaiveDate> {
    let text = form.value(label);
    if text.is_empty() {
        return None;
    }
    match FuzzyDate::parse_uk(&text, today) {
        Ok(d) if d.precision == DatePrecision::Day && !d.approximate => d.earliest,
        Ok(d) => {
            form.set_error(
                label,
                format!(
                    "\"{}\" is not a single day: give the day, e.g. 03/02/2027",
                    d.text
                ),
            );
            None
        }
        Err(e) => {
            form.set_error(label, e.to_string());
            None
        }
    }
}

fn required(form: &mut Form, label: &str, what: &str) -> String {
    let value = form.value(label);
    if value.is_empty() {
        form.set_error(label, format!("{what} is required"));
    }
    value
}

fn case_form(title: &str, c: Option<&Case>) -> Form {
    let text = |f: fn(&Case) -> &str| c.map(f).unwrap_or("").to_string();
    let day = |f: fn(&Case) -> Option<NaiveDate>| day_text(c.and_then(f));
    Form::new(
        title,
        vec![
            Field::new(
                REFERENCE,
                "unique, e.g. DHR-2026-03",
                false,
                &text(|c| &c.reference),
            ),
            Field::new(
                KIND,
                "the label shown everywhere",
                false,
                c.map_or("DHR", |c| c.kind.code()),
            ),
            Field::new(
                TITLE,
                "e.g. Adult A, or the name agreed with the family",
                false,
                &text(|c| &c.title),
            ),
            Field::new(PARTNERSHIP, "", false, &text(|c| &c.partnership)),
            Field::new(
                MARKING,
                "",
                false,
                c.map_or(crate::domain::model::DEFAULT_MARKING, |c| {
                    c.marking.as_str()
                }),
            ),
            Field::new(DEATH, "dd/mm/yyyy", false, &day(|c| c.date_of_death)),
            Field::new(
                NOTIFIED,
                "the decision is due one month after",
                false,
                &day(|c| c.notified_on),
            ),
            Field::new(
                DECISION,
                "the report is due six months after",
                false,
                &day(|c| c.decision_on),
            ),
            Field::new(HOME_OFFICE, "", false, &day(|c| c.home_office_notified_on)),
            Field::new(CHAIR, "", false, &text(|c| &c.chair)),
            Field::new(AUTHOR, "", false, &text(|c| &c.overview_author)),
            Field::new(FROM, "", false, &day(|c| c.period_from)),
            Field::new(TO, "", false, &day(|c| c.period_to)),
        ],
    )
}

/// Reads the case form into field values for the store; `None` with errors marked.
fn read_case_form(app: &App, form: &mut Form) -> Option<CaseDetails> {
    form.clear_errors();
    let today = app.today;
    let reference = required(form, REFERENCE, "the reference");
    let kind = match ReviewKind::from_code(&form.value(KIND).to_uppercase()) {
        Some(k) => Some(k),
        None => {
            form.set_error(KIND, "write DHR or DARDR");
            None
        }
    };
    let title = required(form, TITLE, "the title");
    let date_of_death = exact_day(form, DEATH, today);
    let notified_on = exact_day(form, NOTIFIED, today);
    let decision_on = exact_day(form, DECISION, today);
    let home_office_notified_on = exact_day(form, HOME_OFFICE, today);
    let period_from = exact_day(form, FROM, today);
    let period_to = exact_day(form, TO, today);
    if let (Some(from), Some(to)) = (period_from, period_to)
        && from > to
    {
        form.set_error(TO, "the review period ends before it starts");
    }
    let marking = match form.value(MARKING) {
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
        partnership: form.value(PARTNERSHIP),
        marking,
        chair: form.value(CHAIR),
        overview_author: form.value(AUTHOR),
        date_of_death,
        notified_on,
        decision_on,
        home_office_notified_on,
        period_from,
        period_to,
    })
}

fn save_new_case(app: &mut App, mut form: Form, _target: i64) {
    let Some(details) = read_case_form(app, &mut form) else {
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_new_case,
            target: 0,
        });
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
        Err(e) => {
            form.message = Some(format!("Not saved: {e}"));
            app.overlay = Some(Overlay::Form {
                form,
                submit: save_new_case,
                target: 0,
            });
        }
    }
}

/// Writes to the open case with `change`, reloads the workspace and shows the case view
/// again.
fn update_case(
    app: &mut App,
    change: impl FnOnce(&mut crate::store::Store, i64) -> crate::store::Result<()>,
    done: &str,
) -> Result<(), String> {
    let Some(case_id) = app.workspace.as_ref().map(|ws| ws.case.id) else {
        return Err("no case is open".into());
    };
    change(&mut app.store, case_id).map_err(|e| e.to_string())?;
    app.reload_workspace();
    app.overlay = Some(Overlay::Case { scroll: 0 });
    app.info(done.to_string());
    Ok(())
}

fn save_case_details(app: &mut App, mut form: Form, target: i64) {
    let Some(details) = read_case_form(app, &mut form) else {
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_case_details,
            target,
        });
        return;
    };
    let save = |store: &mut crate::store::Store, case_id| {
        store.save_case_details(case_id, &details).map(|_| ())
    };
    if let Err(e) = update_case(app, save, "Case details saved.") {
        form.message = Some(format!("Not saved: {e}"));
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_case_details,
            target,
        });
    }
}

fn choose_stage(app: &mut App, value: i64, _target: i64) {
    let Some(stage) = usize::try_from(value)
        .ok()
        .and_then(|i| Stage::ALL.get(i))
        .copied()
    else {
        return;
    };
    let Some(case) = app.workspace.as_ref().map(|ws| ws.case.clone()) else {
        return;
    };
    match plan_move(&case, stage) {
        Err(e) => {
            app.error(e);
            app.overlay = Some(Overlay::Case { scroll: 0 });
        }
        Ok(m) => {
            let mut fields = vec![Field::new(REASON, "kept in the audit trail", true, "")];
            if m.needs_completion_date {
                fields.push(Field::new(
                    COMPLETED,
                    "stops the statutory clock",
                    false,
                    "",
                ));
            }
            let mut form = Form::new(format!("Move from \"{}\" to \"{}\"", m.from, m.to), fields);
            if m.clears_completion_date {
                form.message = Some(
                    "Moving back before sign-off clears the completion date: the clock runs again."
                        .into(),
                );
            }
            app.overlay = Some(Overlay::Form {
                form,
                submit: save_stage,
                target: value,
            });
        }
    }
}

fn save_stage(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    let Some(stage) = usize::try_from(target)
        .ok()
        .and_then(|i| Stage::ALL.get(i))
        .copied()
    else {
        return;
    };
    let Some(case) = app.workspace.as_ref().map(|ws| ws.case.clone()) else {
        return;
    };
    let Ok(m) = plan_move(&case, stage) else {
        return;
    };
    let reason = required(&mut form, REASON, "a reason");
    let completed = if m.needs_completion_date {
        let d = exact_day(&mut form, COMPLETED, app.today);
        if d.is_none() && !form.has_errors() {
            form.set_error(COMPLETED, "give the date the overview report was completed");
        }
        d
    } else {
        None
    };
    if form.has_errors() {
        form.message = Some("Not moved: correct the marked fields.".into());
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_stage,
            target,
        });
        return;
    }
    let save = |store: &mut crate::store::Store, case_id| {
        store.move_stage(case_id, stage, &reason, completed)
    };
    if let Err(e) = update_case(app, save, &format!("Moved to \"{stage}\".")) {
        form.message = Some(format!("Not moved: {e}"));
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_stage,
            target,
        });
    }
}

fn save_pause(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    let pausing = target == 1;
    let reason = required(&mut form, REASON, "a reason");
    let since = if pausing {
        exact_day(&mut form, SINCE, app.today).or(Some(app.today))
    } else {
        None
    };
    if form.has_errors() {
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_pause,
            target,
        });
        return;
    }
    let save = |store: &mut crate::store::Store, case_id| {
        if pausing {
            store.pause_review(case_id, &reason, since)
        } else {
            store.resume_review(case_id, &reason)
        }
    };
    let done = if pausing {
        "Review paused: the clock shows paused; due dates do not move."
    } else {
        "Review resumed."
    };
    if let Err(e) = update_case(app, save, done) {
        form.message = Some(format!("Not saved: {e}"));
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_pause,
            target,
        });
    }
}

fn save_extension(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    let date = exact_day(&mut form, EXTENDED, app.today);
    if date.is_none() && !form.has_errors() {
        form.set_error(EXTENDED, "give the new completion date");
    }
    let reason = required(&mut form, REASON, "a reason");
    if form.has_errors() {
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_extension,
            target,
        });
        return;
    }
    let save =
        |store: &mut crate::store::Store, case_id| store.extend_review(case_id, date, &reason);
    if let Err(e) = update_case(
        app,
        save,
        "Extension recorded: the clock counts to the new date.",
    ) {
        form.message = Some(format!("Not saved: {e}"));
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_extension,
            target,
        });
    }
}

fn save_later_dates(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    let today = app.today;
    let completed = exact_day(&mut form, COMPLETED, today);
    let submitted = exact_day(&mut form, SUBMITTED, today);
    let qa_date = exact_day(&mut form, QA_DATE, today);
    let published = exact_day(&mut form, PUBLISHED, today);
    let commissioner = exact_day(&mut form, COMMISSIONER, today);
    let qa_text = form.value(QA).to_lowercase();
    let qa = if qa_text.is_empty() {
        None
    } else {
        match QaOutcome::ALL
            .iter()
            .find(|o| o.code() == qa_text || o.label() == qa_text)
        {
            Some(o) => Some(*o),
            None => {
                form.set_error(QA, "write publish, changes or resubmit, or leave it empty");
                None
            }
        }
    };
    if form.has_errors() {
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_later_dates,
            target,
        });
        return;
    }
    let dates = LaterDates {
        report_completed_on: completed,
        ho_submitted_on: submitted,
        qa_outcome: qa,
        qa_outcome_on: qa_date,
        published_on: published,
        commissioner_sent_on: commissioner,
    };
    let save = |store: &mut crate::store::Store, case_id| store.save_later_dates(case_id, &dates);
    if let Err(e) = update_case(app, save, "Dates saved.") {
        form.message = Some(format!("Not saved: {e}"));
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_later_dates,
            target,
        });
    }
}

fn subject_form(s: Option<&Subject>) -> Form {
    let text = |f: fn(&Subject) -> &str| s.map(f).unwrap_or("").to_string();
    Form::new(
        if s.is_some() {
            "Edit a subject of the register"
        } else {
            "Add a subject to the register"
        },
        vec![
            Field::new(ROLE, "", false, s.map_or("other", |s| s.role.code())),
            Field::new(
                PSEUDONYM,
                "what anonymised documents use, e.g. Adult A",
                false,
                &text(|s| &s.pseudonym),
            ),
            Field::new(
                REAL_NAMES,
                "every form the name is written in: Jane Smith; Jane; Mrs Smith",
                false,
                &text(|s| &s.real_names),
            ),
            Field::new(
                RELATIONSHIP,
                "to the victim",
                false,
                &text(|s| &s.relationship),
            ),
            Field::new(NOTES, "", true, &text(|s| &s.notes)),
        ],
    )
}

fn choose_subject(app: &mut App, value: i64, _target: i64) {
    let subject = app
        .workspace
        .as_ref()
        .and_then(|ws| ws.subjects.iter().find(|s| s.id == value).cloned());
    app.overlay = Some(Overlay::Form {
        form: subject_form(subject.as_ref()),
        submit: save_subject,
        target: value,
    });
}

fn save_subject(app: &mut App, mut form: Form, target: i64) {
    form.clear_errors();
    let role_text = form.value(ROLE).to_lowercase();
    let role = SubjectRole::from_code(&role_text);
    if role.is_none() {
        form.set_error(
            ROLE,
            "write victim, perpetrator, child, family, friend or other",
        );
    }
    let pseudonym = required(&mut form, PSEUDONYM, "the pseudonym");
    if form.has_errors() {
        app.overlay = Some(Overlay::Form {
            form,
            submit: save_subject,
            target,
        });
        return;
    }
    let Some(case_id) = app.workspace.as_ref().map(|ws| ws.case.id) else {
        return;
    };
    let original = app
        .workspace
        .as_ref()
        .and_then(|ws| ws.subjects.iter().find(|s| s.id == target).cloned());
    let keep = |label: &str, old: Option<&str>| {
        form.field(label)
            .map(|f| f.value_or(old.unwrap_or("")))
            .unwrap_or_default()
    };
    let subject = Subject {
        id: target,
        case_id,
        role: role.unwrap_or(SubjectRole::Other),
        real_names: keep(REAL_NAMES, original.as_ref().map(|s| s.real_names.as_str())),
        pseudonym,
        relationship: keep(
            RELATIONSHIP,
            original.as_ref().map(|s| s.relationship.as_str()),
        ),
        notes: keep(NOTES, original.as_ref().map(|s| s.notes.as_str())),
    };
    let result = if target > 0 {
        app.store.edit_subject(&subject).map(|_| ())
    } else {
        app.store.add_subject(&subject).map(|_| ())
    };
    match result {
        Ok(()) => {
            app.reload_workspace();
            app.overlay = Some(Overlay::Case { scroll: 0 });
            app.info("Register saved.");
        }
        Err(e) => {
            form.message = Some(format!("Not saved: {e}"));
            app.overlay = Some(Overlay::Form {
                form,
                submit: save_subject,
                target,
            });
        }
    }
}

impl App {
    /// Keys of the case list itself; `None` when the key is not one of them.
    pub(crate) fn on_case_list_own_key(&mut self, key: KeyEvent) -> Option<Effect> {
        match key.code {
            KeyCode::Char('n') => {
                if !self.refuse_in_reading_seat() {
                    self.overlay = Some(Overlay::Form {
                        form: case_form("New case", None),
                        submit: save_new_case,
                        target: 0,
                    });
                }
                Some(Effect::Redraw)
            }
            _ => None,
        }
    }

    /// Opens the case view over the workspace.
    pub(crate) fn open_case_view(&mut self) {
        self.overlay = Some(Overlay::Case { scroll: 0 });
    }

    /// Keys while the case view is open.
    pub(crate) fn on_case_view_key(&mut self, key: KeyEvent, scroll: u16) -> Effect {
        let Some(case) = self.workspace.as_ref().map(|ws| ws.case.clone()) else {
            return Effect::None;
        };
        let editing = matches!(key.code, KeyCode::Char('e' | 's' | 'p' | 'x' | 'd' | 'r'));
        if editing && self.refuse_in_reading_seat() {
            self.overlay = Some(Overlay::Case { scroll });
            return Effect::Redraw;
        }
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('0') => {}
            KeyCode::Char('m') => crate::app::exports::choose_case_export(self),
            KeyCode::Down | KeyCode::PageDown => {
                self.overlay = Some(Overlay::Case {
                    scroll: scroll.saturating_add(3),
                })
            }
            KeyCode::Up | KeyCode::PageUp => {
                self.overlay = Some(Overlay::Case {
                    scroll: scroll.saturating_sub(3),
                })
            }
            KeyCode::Char('e') => {
                self.overlay = Some(Overlay::Form {
                    form: case_form("Edit the case", Some(&case)),
                    submit: save_case_details,
                    target: case.id,
                })
            }
            KeyCode::Char('s') => {
                let options = Stage::ALL
                    .iter()
                    .enumerate()
                    .map(|(i, s)| {
                        (
                            if *s == case.stage {
                                format!("{s}  (now)")
                            } else {
                                s.to_string()
                            },
                            i as i64,
                        )
                    })
                    .collect();
                let selected = Stage::ALL
                    .iter()
                    .position(|s| *s == case.stage)
                    .map_or(0, |i| (i + 1).min(Stage::ALL.len() - 1));
                self.overlay = Some(Overlay::Choose {
                    title: "Move the review to the stage".into(),
                    options,
                    selected,
                    choose: choose_stage,
                    target: case.id,
                });
            }
            KeyCode::Char('p') => {
                let (title, fields, target) = if case.paused {
                    (
                        "Resume the review",
                        vec![Field::new(
                            REASON,
                            "why it can go on; kept in the audit trail",
                            true,
                            "",
                        )],
                        0,
                    )
                } else {
                    (
                        "Pause the review (the clock shows paused; due dates do not move)",
                        vec![
                            Field::new(
                                REASON,
                                "e.g. criminal proceedings; kept in the audit trail",
                                true,
                                "",
                            ),
                            Field::new(SINCE, "dd/mm/yyyy; empty for today", false, ""),
                        ],
                        1,
                    )
                };
                self.overlay = Some(Overlay::Form {
                    form: Form::new(title, fields),
                    submit: save_pause,
                    target,
                });
            }
            KeyCode::Char('x') => {
                self.overlay = Some(Overlay::Form {
                    form: Form::new(
                        "Record an agreed extension of the completion date",
                        vec![
                            Field::new(EXTENDED, "dd/mm/yyyy", false, &day_text(case.extended_to)),
                            Field::new(
                                REASON,
                                "who agreed it and why; kept in the audit trail",
                                true,
                                "",
                            ),
                        ],
                    ),
                    submit: save_extension,
                    target: case.id,
                })
            }
            KeyCode::Char('d') => {
                self.overlay = Some(Overlay::Form {
                    form: Form::new(
                        "Later dates (empty = not yet)",
                        vec![
                            Field::new(
                                COMPLETED,
                                "stops the statutory clock",
                                false,
                                &day_text(case.report_completed_on),
                            ),
                            Field::new(SUBMITTED, "", false, &day_text(case.ho_submitted_on)),
                            Field::new(QA, "", false, case.qa_outcome.map_or("", |o| o.code())),
                            Field::new(QA_DATE, "", false, &day_text(case.qa_outcome_on)),
                            Field::new(PUBLISHED, "", false, &day_text(case.published_on)),
                            Field::new(
                                COMMISSIONER,
                                "",
                                false,
                                &day_text(case.commissioner_sent_on),
                            ),
                        ],
                    ),
                    submit: save_later_dates,
                    target: case.id,
                })
            }
            KeyCode::Char('r') => {
                let mut options: Vec<(String, i64)> = self
                    .workspace
                    .as_ref()
                    .map(|ws| {
                        ws.subjects
                            .iter()
                            .map(|s| {
                                (
                                    format!("{} ({}): {}", s.pseudonym, s.role, s.real_names),
                                    s.id,
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                options.push(("Add a subject".into(), 0));
                self.overlay = Some(Overlay::Choose {
                    title: "Pseudonym register: choose to edit".into(),
                    options,
                    selected: 0,
                    choose: choose_subject,
                    target: 0,
                });
            }
            _ => {
                self.overlay = Some(Overlay::Case { scroll });
                return Effect::None;
            }
        }
        Effect::Redraw
    }
}
