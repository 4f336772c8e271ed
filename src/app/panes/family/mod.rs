//! The Family pane (8): the family and support network's involvement and the parallel
//! proceedings, two lists with `p` moving the focus between them (as the Actions pane).
//! The people approached, each a subject of the pseudonym register, with the advocacy
//! offered and every contact; the proceedings with their key dates and disclosure
//! requests. Anyone approached with no offer of advocacy is flagged (`domain::family`).
//! Enter shows the selected record in full; the forms and choosers are in `forms.rs`;
//! drawing: `src/ui/panes/family.rs`.

mod forms;

use crossterm::event::KeyCode;

pub(crate) use forms::{FamilyChoice, FamilyField, FamilyForm, choose, submit};

use crate::app::keys::{Key, KeyRow, f, row};
use crate::app::{App, Effect, ListCursor, matches_filter};
use crate::domain::model::Subject;
use crate::domain::review::{DisclosureRequest, FamilyContact, FamilyPerson, Proceeding};
use crate::store::Store;

/// The pane's state: both lists, which has the focus, their selections and the filter
/// line both share.
#[derive(Default)]
pub struct FamilyPane {
    pub people: Vec<FamilyPerson>,
    pub contacts: Vec<FamilyContact>,
    pub proceedings: Vec<Proceeding>,
    pub disclosures: Vec<DisclosureRequest>,
    /// The people's selection, and the filter line of both lists.
    pub cursor: ListCursor,
    /// Whether the proceedings have the focus, and which of them is selected.
    pub proceedings_focused: bool,
    pub proceeding_selected: usize,
}

impl FamilyPane {
    /// Reads the case's people approached, contacts, proceedings and disclosure requests
    /// again, keeping the selections within the lists.
    pub fn reload(&mut self, store: &Store, case_id: i64) -> crate::store::Result<()> {
        self.people = store.family_people(case_id)?;
        self.contacts = store.family_contacts(case_id)?;
        self.proceedings = store.proceedings(case_id)?;
        self.disclosures = store.disclosure_requests(case_id)?;
        self.proceeding_selected = self
            .proceeding_selected
            .min(self.proceedings.len().saturating_sub(1));
        Ok(())
    }

    /// The people passing the filter line (by pseudonym, connection, who approached them).
    pub fn people_rows<'a>(&'a self, subjects: &[Subject]) -> Vec<&'a FamilyPerson> {
        self.people
            .iter()
            .filter(|p| {
                matches_filter(
                    &self.cursor.filter,
                    &format!(
                        "{} {} {} {}",
                        pseudonym(subjects, p.subject_id),
                        p.connection,
                        p.approached_by,
                        p.advocate
                    ),
                )
            })
            .collect()
    }

    /// The proceedings passing the filter line.
    pub fn proceeding_rows(&self) -> Vec<&Proceeding> {
        self.proceedings
            .iter()
            .filter(|p| {
                matches_filter(
                    &self.cursor.filter,
                    &format!("{} {} {}", p.kind.label(), p.title, p.contact),
                )
            })
            .collect()
    }

    /// The index of the selected proceeding, kept within the rows shown.
    pub fn proceeding_index(&self) -> usize {
        self.proceeding_selected
            .min(self.proceeding_rows().len().saturating_sub(1))
    }

    /// The selected person, if the list shows any.
    pub fn selected_person(&self, subjects: &[Subject]) -> Option<&FamilyPerson> {
        self.people_rows(subjects)
            .get(self.cursor.selected)
            .copied()
    }

    /// The selected proceeding, if the list shows any.
    pub fn selected_proceeding(&self) -> Option<&Proceeding> {
        self.proceeding_rows().get(self.proceeding_index()).copied()
    }

    /// A person's contacts, oldest first.
    pub fn contacts_of(&self, person: i64) -> Vec<&FamilyContact> {
        self.contacts
            .iter()
            .filter(|c| c.person_id == person)
            .collect()
    }

    /// A proceeding's disclosure requests, in the order they were made.
    pub fn disclosures_of(&self, proceeding: i64) -> Vec<&DisclosureRequest> {
        self.disclosures
            .iter()
            .filter(|d| d.proceeding_id == proceeding)
            .collect()
    }

    /// Moves the selection of the proceedings (the people move with the shared list keys).
    pub fn step_proceedings(&mut self, delta: i64) {
        let len = self.proceeding_rows().len();
        let from = self.proceeding_index() as i64;
        self.proceeding_selected = (from + delta).clamp(0, len.saturating_sub(1) as i64) as usize;
    }
}

/// The pseudonym of subject `id` of the register ("?" when it is gone).
pub fn pseudonym(subjects: &[Subject], id: i64) -> String {
    subjects
        .iter()
        .find(|s| s.id == id)
        .map_or_else(|| "?".to_string(), |s| s.pseudonym.clone())
}

/// What the pane's keys do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FamilyKey {
    Switch,
    Add,
    Edit,
    Contacts,
    Detail,
}

/// The keys this pane adds to the workspace's; the list keys move the focused list.
pub const KEYS: &[KeyRow<FamilyKey>] = &[
    row(
        &[Key::Char('p')],
        FamilyKey::Switch,
        f(
            "p",
            "focus the people approached or the parallel proceedings",
            "p",
            "switch",
        ),
    ),
    row(
        &[Key::Char('a')],
        FamilyKey::Add,
        f(
            "a",
            "add a person approached (from the register) or a proceeding",
            "a",
            "add",
        ),
    ),
    row(
        &[Key::Char('e')],
        FamilyKey::Edit,
        f(
            "e",
            "edit the selected person (advocacy) or proceeding (dates)",
            "e",
            "edit",
        ),
    ),
    row(
        &[Key::Char('c')],
        FamilyKey::Contacts,
        f(
            "c",
            "a contact with the person, or a disclosure request: add or edit",
            "c",
            "contact",
        ),
    ),
    row(
        &[Key::Code(KeyCode::Enter)],
        FamilyKey::Detail,
        f(
            "Enter",
            "the person with every contact, or the proceeding with its requests",
            "Enter",
            "detail",
        ),
    ),
];

impl App {
    /// Does what a key of the pane's table asks; `None` gives the key to the workspace.
    pub(crate) fn on_family_key(&mut self, action: FamilyKey) -> Option<Effect> {
        let ws = self.workspace.as_mut()?;
        match action {
            FamilyKey::Switch => {
                ws.family.proceedings_focused = !ws.family.proceedings_focused;
            }
            FamilyKey::Detail => forms::open_detail(self),
            FamilyKey::Add | FamilyKey::Edit | FamilyKey::Contacts => {
                if !self.refuse_in_reading_seat() {
                    forms::on_edit_key(self, action);
                }
            }
        }
        Some(Effect::Redraw)
    }
}
