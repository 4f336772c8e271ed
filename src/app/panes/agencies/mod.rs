//! The Agencies pane (the chair's IMR board): agencies and their panel members, and each
//! return moved only along its lifecycle (requested, received, under review, accepted…), with chasers, dates and the author.
//!
//! The pane holds the case's agencies with their returns and members, the list's selection
//! and filter line, and its sort order. Forms and the status chooser: `forms.rs`.
//! Drawing: `src/ui/panes/agencies.rs`.

mod forms;

use chrono::NaiveDate;

use crate::app::keys::{Key, KeyRow, f, row};
use crate::app::{App, Effect, ListCursor, matches_filter};
use crate::domain::imr::{allowed_moves, days_overdue, is_outstanding};
use crate::domain::model::ImrStatus;
use crate::store::Store;
use crate::store::panel::AgencyOverview;
pub use forms::{AgenciesChoice, AgenciesField, AgenciesForm};
pub(crate) use forms::{choose, submit};

/// The pane's state: the case's agencies, the board's selection and filter, its order.
#[derive(Default)]
pub struct AgenciesPane {
    /// Every agency of the case, in the order they were added.
    pub all: Vec<AgencyOverview>,
    pub cursor: ListCursor,
    /// The board sorted by most overdue first (else in the order agencies were added).
    pub by_overdue: bool,
}

impl AgenciesPane {
    /// Reads the case's agencies again, keeping the selection within the board.
    pub fn reload(
        &mut self,
        store: &Store,
        case_id: i64,
        today: NaiveDate,
    ) -> crate::store::Result<()> {
        self.all = store.agency_overview(case_id)?;
        let len = self.rows(today).len();
        self.cursor.clamp(len);
        Ok(())
    }

    /// The agencies the board lists: those passing its filter, in its order (overdue
    /// worked out for `today`).
    pub fn rows(&self, today: NaiveDate) -> Vec<&AgencyOverview> {
        let f = &self.cursor.filter;
        let mut list: Vec<&AgencyOverview> = self
            .all
            .iter()
            .filter(|a| {
                let names: Vec<&str> = a.members.iter().map(|m| m.name.as_str()).collect();
                matches_filter(
                    f,
                    &format!(
                        "{} {} {} {} {}",
                        a.agency.name,
                        a.agency.code,
                        a.agency.status,
                        a.agency.return_type,
                        names.join(" ")
                    ),
                )
            })
            .collect();
        if self.by_overdue {
            // Most overdue first; then those due soonest; returns not owed last.
            list.sort_by_key(|a| {
                let late = days_overdue(&a.agency, today);
                let owed = is_outstanding(a.agency.status);
                (late.map_or(0, |d| -d), !owed, a.agency.due_on)
            });
        }
        list
    }

    /// The agency with this id.
    pub fn by_id(&self, agency_id: i64) -> Option<&AgencyOverview> {
        self.all.iter().find(|a| a.agency.id == agency_id)
    }
}

/// What the pane's keys do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgenciesKey {
    Status,
    Chase,
    Edit,
    Add,
    Member,
    Sort,
}

use Key::Char;

/// The keys this pane adds to the workspace's.
pub const KEYS: &[KeyRow<AgenciesKey>] = &[
    row(
        &[Char('s')],
        AgenciesKey::Status,
        f(
            "s",
            "move the return's status along its lifecycle",
            "s",
            "status",
        ),
    ),
    row(
        &[Char('c')],
        AgenciesKey::Chase,
        f("c", "record a chaser sent today", "c", "chase"),
    ),
    row(
        &[Char('e')],
        AgenciesKey::Edit,
        f(
            "e",
            "edit the agency and its return (author, dates, notes)",
            "e",
            "edit",
        ),
    ),
    row(
        &[Char('a')],
        AgenciesKey::Add,
        f("a", "add an agency with its panel member", "a", "add"),
    ),
    row(
        &[Char('p')],
        AgenciesKey::Member,
        crate::app::keys::b("p", "add a panel member to the agency"),
    ),
    row(
        &[Char('o')],
        AgenciesKey::Sort,
        f("o", "sort: most overdue first / as added", "o", "sort"),
    ),
];

impl App {
    /// Does what a key of the pane's table asks; `None` gives the key to the workspace.
    pub(crate) fn on_agencies_key(&mut self, action: AgenciesKey) -> Option<Effect> {
        let ws = self.workspace.as_mut()?;
        let selected = ws
            .agencies
            .rows(ws.today)
            .get(ws.agencies.cursor.selected)
            .map(|a| a.agency.clone());
        if action != AgenciesKey::Sort && self.refuse_in_reading_seat() {
            return Some(Effect::Redraw);
        }
        match action {
            AgenciesKey::Sort => {
                let ws = self.workspace.as_mut()?;
                ws.agencies.by_overdue = !ws.agencies.by_overdue;
                ws.agencies.cursor.selected = 0;
                let how = if ws.agencies.by_overdue {
                    "most overdue first"
                } else {
                    "in the order added"
                };
                self.info(format!("Agencies {how}."));
            }
            AgenciesKey::Add => self.open_add_agency_form(),
            AgenciesKey::Member => self.open_member_form(&selected?),
            AgenciesKey::Edit => self.open_agency_edit_form(&selected?),
            AgenciesKey::Chase => {
                let agency = selected?;
                if !is_outstanding(agency.status) {
                    self.error(format!(
                        "{}'s return is \"{}\": there is nothing to chase.",
                        agency.name, agency.status
                    ));
                    return Some(Effect::Redraw);
                }
                let today = self.today;
                match self.store.add_chaser(agency.id, today) {
                    Ok(_) => {
                        self.reload_agencies();
                        self.info(format!(
                            "Chaser to {} recorded for {}.",
                            agency.name,
                            today.format("%d %b %Y")
                        ));
                    }
                    Err(e) => self.error(e.to_string()),
                }
            }
            AgenciesKey::Status => {
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
                let mut to: Vec<ImrStatus> = Vec::new();
                let mut options: Vec<String> = Vec::new();
                for status in ImrStatus::ALL.iter().filter(|s| allowed.contains(s)) {
                    to.push(*status);
                    options.push(status.label().to_string());
                }
                for status in ImrStatus::ALL
                    .iter()
                    .filter(|s| !allowed.contains(s) && **s != agency.status)
                {
                    to.push(*status);
                    options.push(format!("{} (not from here)", status.label()));
                }
                self.open_chooser(
                    format!("{}: \"{}\" to", agency.name, agency.status),
                    options,
                    crate::app::panes::ChooseTarget::Agencies(AgenciesChoice::Move {
                        agency: agency.id,
                        to,
                    }),
                );
            }
        }
        Some(Effect::Redraw)
    }

    /// Reads the agencies again after a write that changed only them (a chaser, a move of
    /// a return), keeping the selection; other lists do not show what changed.
    fn reload_agencies(&mut self) {
        let Some(ws) = &mut self.workspace else {
            return;
        };
        if let Err(e) = ws.agencies.reload(&self.store, ws.case.id, ws.today) {
            self.error(e.to_string());
        }
    }
}
