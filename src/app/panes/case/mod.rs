//! The case itself: creating a review from the case list (`n`), and the case view (`0` in
//! the workspace) over the panes: its details, its stage (moved with a reason), pause and
//! resume, an extension, the later dates and the pseudonym register — the facts the
//! statutory clock reads — the case characteristics (`c`), with the case's history from
//! the audit trail, and the case pack's export (`m`).
//!
//! The view's state holds the history, read when the view opens and again after a write
//! or a refresh; drawing (`src/ui/panes/case.rs`) only reads it.

mod forms;
pub mod process;

use crossterm::event::{KeyCode, KeyEvent};

pub(crate) use forms::submit;
pub use forms::{CaseField, CaseForm};

use crate::app::keys::{self, Key, KeyRow, b, f, row};
use crate::app::overlay::Chooser;
use crate::app::panes::{ChooseTarget, FormTarget, PaneView};
use crate::app::{App, Effect, Overlay};
use crate::domain::model::{AuditRow, Stage};
use crate::domain::register::RegisteredExport;
use crate::domain::review::CaseCharacteristic;
use crate::store::Store;

/// The case view's state: how far it is scrolled and the case's history (its audit rows,
/// oldest first), read when the view opens, not per frame.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseView {
    pub scroll: u16,
    pub history: Vec<AuditRow>,
    /// The documents that left the panel (the export register), newest first.
    pub exports: Vec<RegisteredExport>,
    /// The case characteristics recorded (`c` edits them).
    pub characteristics: Vec<CaseCharacteristic>,
    /// The decision, the QA rounds and the publication checklist.
    pub process: Box<process::ProcessFacts>,
}

impl CaseView {
    /// The view of `case_id`, scrolled to the top, with its history read.
    pub fn read(store: &Store, case_id: i64) -> crate::store::Result<CaseView> {
        Ok(CaseView {
            scroll: 0,
            history: store.case_history(case_id)?,
            exports: store.export_register(case_id)?,
            characteristics: store.characteristics(case_id)?,
            process: Box::new(process::ProcessFacts::read(store, case_id)?),
        })
    }
}

/// What the case list's own key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseListKey {
    New,
}

/// The keys the case list adds to its table (`keys::CASE_LIST`), tried first.
pub const LIST_KEYS: &[KeyRow<CaseListKey>] = &[row(
    &[Key::Char('n')],
    CaseListKey::New,
    f("n", "new case", "n", "new case"),
)];

/// What the case view's keys do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseViewKey {
    Decision,
    Qa,
    Publication,
    Edit,
    Stage,
    Pause,
    Extend,
    Dates,
    Register,
    Characteristics,
    Export,
    ScrollUp,
    ScrollDown,
    Help,
    Close,
}

impl CaseViewKey {
    /// Whether the key changes the case (refused in a reading seat).
    fn writes(self) -> bool {
        matches!(
            self,
            CaseViewKey::Decision
                | CaseViewKey::Qa
                | CaseViewKey::Publication
                | CaseViewKey::Edit
                | CaseViewKey::Stage
                | CaseViewKey::Pause
                | CaseViewKey::Extend
                | CaseViewKey::Dates
                | CaseViewKey::Register
                | CaseViewKey::Characteristics
        )
    }
}

/// The keys of the case view (`0` in the workspace).
pub const VIEW_KEYS: &[KeyRow<CaseViewKey>] = &[
    row(
        &[Key::Char('e')],
        CaseViewKey::Edit,
        f("e", "edit the case details", "e", "edit"),
    ),
    row(
        &[Key::Char('s')],
        CaseViewKey::Stage,
        f("s", "move the stage (with a reason)", "s", "stage"),
    ),
    row(
        &[Key::Char('p')],
        CaseViewKey::Pause,
        f("p", "pause pending a proceeding, or resume", "p", "pause"),
    ),
    row(
        &[Key::Char('x')],
        CaseViewKey::Extend,
        f(
            "x",
            "record an extension of the completion date",
            "x",
            "extend",
        ),
    ),
    row(
        &[Key::Char('d')],
        CaseViewKey::Dates,
        f(
            "d",
            "record the date the overview report was completed",
            "d",
            "completed",
        ),
    ),
    row(
        &[Key::Char('r')],
        CaseViewKey::Register,
        f(
            "r",
            "the pseudonym register: subjects, real names, pseudonyms",
            "r",
            "register",
        ),
    ),
    row(
        &[Key::Char('c')],
        CaseViewKey::Characteristics,
        f(
            "c",
            "case characteristics (Home Office DHR library terms)",
            "c",
            "characteristics",
        ),
    ),
    row(
        &[Key::Char('v')],
        CaseViewKey::Decision,
        f(
            "v",
            "the decision record: review or not, criteria, reasons, Home Office told",
            "v",
            "decision",
        ),
    ),
    row(
        &[Key::Char('h')],
        CaseViewKey::Qa,
        f(
            "h",
            "Home Office QA rounds: submissions, outcomes, the letters' points",
            "h",
            "QA",
        ),
    ),
    row(
        &[Key::Char('u')],
        CaseViewKey::Publication,
        f(
            "u",
            "the publication checklist (and the copy to the Commissioner)",
            "u",
            "publication",
        ),
    ),
    row(
        &[Key::Char('m')],
        CaseViewKey::Export,
        b(
            "m",
            "export the case pack (for the panel, or anonymised) or the decision record",
        ),
    ),
    row(
        &[Key::Code(KeyCode::Up), Key::Code(KeyCode::PageUp)],
        CaseViewKey::ScrollUp,
        b("↑ ↓  PgUp PgDn", "scroll"),
    ),
    row(
        &[Key::Code(KeyCode::Down), Key::Code(KeyCode::PageDown)],
        CaseViewKey::ScrollDown,
        b("↓  PgDn", ""),
    ),
    row(
        &[Key::Char('?')],
        CaseViewKey::Help,
        f("?", "help: every key here", "?", "help"),
    ),
    row(
        &[Key::Code(KeyCode::Esc)],
        CaseViewKey::Close,
        f("Esc", "close", "Esc", "close"),
    ),
    row(
        &[Key::Char('q'), Key::Char('0')],
        CaseViewKey::Close,
        b("q  0", ""),
    ),
];

/// An option of the register's chooser: a subject or a place to edit, or (`None`) a new
/// one to add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegisterEntry {
    Subject(Option<i64>),
    Place(Option<i64>),
}

/// What the case's choosers' options mean, in option order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseChoice {
    /// The decision, QA rounds and publication checklist's choosers.
    Process(process::ProcessChoice),
    /// Move the review to one of these stages.
    Stage { to: Vec<Stage> },
    /// Edit one of these subjects or places of the register, or add one.
    Register { entries: Vec<RegisterEntry> },
    /// Pause the review pending one of these proceedings (`None`: another reason).
    PauseFor { proceedings: Vec<Option<i64>> },
    /// Resume the review from this open pause, or correct it.
    Paused { pause: i64 },
}

/// A key while the case view is open (the view was taken off the overlay: put it back to
/// stay).
pub(crate) fn on_view_key(app: &mut App, view: CaseView, key: &KeyEvent) -> Effect {
    match keys::lookup(VIEW_KEYS, key) {
        Some(action) => app.on_case_view_key(view, action),
        None => {
            app.show_case_view(view);
            Effect::None
        }
    }
}

/// Does what the option picked means.
pub(crate) fn choose(app: &mut App, choice: CaseChoice, index: usize) {
    match choice {
        CaseChoice::PauseFor { .. } | CaseChoice::Paused { .. } => {
            forms::choose_pause(app, choice, index)
        }
        CaseChoice::Process(c) => process::choose(app, c, index),
        CaseChoice::Stage { to } => {
            let Some(stage) = to.get(index).copied() else {
                return;
            };
            let Some(case) = app.workspace.as_ref().map(|ws| ws.case.clone()) else {
                return;
            };
            let facts = match app.store.stage_facts(case.id) {
                Ok(facts) => facts,
                Err(e) => {
                    app.error(format!("Cannot read what the move depends on: {e}"));
                    app.open_case_view();
                    return;
                }
            };
            match forms::stage_form(&case, stage, &facts) {
                Err(e) => {
                    app.error(format!("Not moved: {e}"));
                    app.open_case_view();
                }
                Ok(form) => app.open_form(form, FormTarget::Case(CaseForm::Stage { to: stage })),
            }
        }
        CaseChoice::Register { entries } => {
            let id = match entries.get(index) {
                Some(RegisterEntry::Subject(id)) => *id,
                Some(RegisterEntry::Place(id)) => {
                    forms::open_place_form(app, *id);
                    return;
                }
                None => return,
            };
            let subject = id.and_then(|id| {
                app.workspace
                    .as_ref()
                    .and_then(|ws| ws.subjects.iter().find(|s| s.id == id).cloned())
            });
            let target = match id {
                Some(subject) => CaseForm::EditSubject { subject },
                None => CaseForm::AddSubject,
            };
            app.open_form(
                forms::subject_form(subject.as_ref()),
                FormTarget::Case(target),
            );
        }
    }
}

impl App {
    /// Does what the case list's own key asks.
    pub(crate) fn on_case_list_own_key(&mut self, action: CaseListKey) -> Effect {
        match action {
            CaseListKey::New => {
                if !self.refuse_in_reading_seat() {
                    self.open_form(
                        forms::case_form("New case", None),
                        FormTarget::Case(CaseForm::New),
                    );
                }
            }
        }
        Effect::Redraw
    }

    /// Opens the case view over the workspace, reading the case's history.
    pub(crate) fn open_case_view(&mut self) {
        let Some(case_id) = self.workspace.as_ref().map(|ws| ws.case.id) else {
            return;
        };
        let view = match CaseView::read(&self.store, case_id) {
            Ok(view) => view,
            Err(e) => {
                self.error(format!("Cannot read the case's history: {e}"));
                CaseView::default()
            }
        };
        self.show_case_view(view);
    }

    /// Reads the history and the export register of the open case view again (after a
    /// refresh, or an export made from it), keeping its scroll.
    pub(crate) fn reload_case_view(&mut self) {
        let Some(case_id) = self.workspace.as_ref().map(|ws| ws.case.id) else {
            return;
        };
        let read = self.store.case_history(case_id).and_then(|h| {
            Ok((
                h,
                self.store.export_register(case_id)?,
                self.store.characteristics(case_id)?,
            ))
        });
        let process = process::ProcessFacts::read(&self.store, case_id);
        let Some(view) = self.overlays.case_view_mut() else {
            return;
        };
        match read.and_then(|r| Ok((r, process?))) {
            Ok(((history, exports, characteristics), process)) => {
                view.history = history;
                view.exports = exports;
                view.characteristics = characteristics;
                *view.process = process;
            }
            Err(e) => self.error(format!("Cannot read the case's history: {e}")),
        }
    }

    fn show_case_view(&mut self, view: CaseView) {
        self.overlays.push(Overlay::View(PaneView::Case(view)));
    }

    /// Does what a key of the case view asks; the view is shown again unless it closes or
    /// opens something else.
    pub(crate) fn on_case_view_key(&mut self, mut view: CaseView, action: CaseViewKey) -> Effect {
        let Some(case) = self.workspace.as_ref().map(|ws| ws.case.clone()) else {
            return Effect::None;
        };
        if action.writes() && self.refuse_in_reading_seat() {
            self.show_case_view(view);
            return Effect::Redraw;
        }
        match action {
            CaseViewKey::Decision => process::open_decision(self),
            CaseViewKey::Qa => process::open_rounds(self),
            CaseViewKey::Publication => process::open_checklist(self),
            CaseViewKey::Close => {}
            CaseViewKey::Export => self.open_case_pack_export(),
            CaseViewKey::ScrollDown => {
                view.scroll = view.scroll.saturating_add(3);
                self.show_case_view(view);
            }
            CaseViewKey::Help => {
                self.show_case_view(view);
                self.open_help();
            }
            CaseViewKey::ScrollUp => {
                view.scroll = view.scroll.saturating_sub(3);
                self.show_case_view(view);
            }
            CaseViewKey::Edit => self.open_form(
                forms::case_form("Edit the case", Some(&case)),
                FormTarget::Case(CaseForm::Details { case: case.id }),
            ),
            CaseViewKey::Stage => {
                // "Not reviewed" closes a review at its decision: offered only there.
                let offered: Vec<Stage> = Stage::ALL
                    .iter()
                    .copied()
                    .filter(|s| {
                        *s != Stage::NotReviewed
                            || matches!(
                                case.stage,
                                Stage::Notified | Stage::Decision | Stage::NotReviewed
                            )
                    })
                    .collect();
                let options = offered
                    .iter()
                    .map(|s| {
                        if *s == case.stage {
                            format!("{s}  (now)")
                        } else {
                            s.to_string()
                        }
                    })
                    .collect();
                let mut chooser = Chooser::new(
                    "Move the review to the stage",
                    options,
                    ChooseTarget::Case(CaseChoice::Stage {
                        to: offered.clone(),
                    }),
                );
                // The next stage is the likeliest move.
                chooser.selected = offered
                    .iter()
                    .position(|s| *s == case.stage)
                    .map_or(0, |i| (i + 1).min(offered.len().saturating_sub(1)));
                self.overlays.push(Overlay::Chooser(chooser));
            }
            CaseViewKey::Pause => {
                forms::on_pause_key(self, case.id);
            }
            CaseViewKey::Extend => self.open_form(
                forms::extension_form(&case),
                FormTarget::Case(CaseForm::Extension { case: case.id }),
            ),
            CaseViewKey::Characteristics => self.open_form(
                forms::characteristics_form(&view.characteristics),
                FormTarget::Case(CaseForm::Characteristics { case: case.id }),
            ),
            CaseViewKey::Dates => self.open_form(
                forms::later_dates_form(&case),
                FormTarget::Case(CaseForm::LaterDates { case: case.id }),
            ),
            CaseViewKey::Register => {
                let (mut options, mut entries): (Vec<String>, Vec<RegisterEntry>) = self
                    .workspace
                    .as_ref()
                    .map(|ws| {
                        ws.subjects
                            .iter()
                            .map(|s| {
                                (
                                    format!("{} ({}): {}", s.pseudonym, s.role, s.real_names),
                                    RegisterEntry::Subject(Some(s.id)),
                                )
                            })
                            .unzip()
                    })
                    .unwrap_or_default();
                options.push("Add a subject".into());
                entries.push(RegisterEntry::Subject(None));
                match self.store.places(case.id) {
                    Ok(places) => {
                        for p in places {
                            options.push(format!(
                                "Place ({}): {} → {}",
                                p.kind,
                                p.text,
                                p.replaced_by()
                            ));
                            entries.push(RegisterEntry::Place(Some(p.id)));
                        }
                    }
                    Err(e) => self.error(format!("Cannot read the register's places: {e}")),
                }
                options.push("Add a place (a school, an employer, an address)".into());
                entries.push(RegisterEntry::Place(None));
                self.open_chooser(
                    "Pseudonym register: choose to edit",
                    options,
                    ChooseTarget::Case(CaseChoice::Register { entries }),
                );
            }
        }
        Effect::Redraw
    }
}
