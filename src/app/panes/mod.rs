//! The panes, each in its own folder: its state, its key table and actions, its forms
//! with their typed targets. This file registers them: the form targets and field ids of
//! every pane, and where a saved form goes. Drawing lives in `src/ui/panes/<pane>.rs`.

pub mod actions;
pub mod agencies;
pub mod case;
pub mod challenges;
pub mod decisions;
pub mod family;
pub(crate) mod fields;
pub(crate) mod logs;
pub mod minutes;
pub mod terms;
pub mod timeline;

use crossterm::event::KeyEvent;

use super::form::Form;
use super::{App, Effect, Pane, Place, keys};
use crate::store::stale::Record;

/// The key tables of every pane that dispatches through tables, named.
pub fn key_tables() -> Vec<(&'static str, Vec<keys::TableRow>)> {
    vec![
        ("Decisions pane", keys::describe(decisions::KEYS)),
        ("Timeline pane", keys::describe(timeline::KEYS)),
        (
            "Timeline entry detail",
            keys::describe(timeline::detail::KEYS),
        ),
        (
            "Timeline silent periods",
            keys::describe(timeline::silences::KEYS),
        ),
        ("Challenges pane", keys::describe(challenges::KEYS)),
        ("Actions pane", keys::describe(actions::KEYS)),
        ("Terms pane", keys::describe(terms::KEYS)),
        ("Agencies pane", keys::describe(agencies::KEYS)),
        ("case list: new case", keys::describe(case::LIST_KEYS)),
        ("case view", keys::describe(case::VIEW_KEYS)),
        ("Minutes pane", keys::describe(minutes::KEYS)),
        ("minuting view", keys::describe(minutes::VIEW_KEYS)),
        ("minutes input", keys::describe(minutes::INPUT_KEYS)),
        ("Family pane", keys::describe(family::KEYS)),
    ]
}

/// A pane's own key table.
pub fn pane_keys(pane: Pane) -> Vec<keys::TableRow> {
    match pane {
        Pane::Decisions => keys::describe(decisions::KEYS),
        Pane::Timeline => keys::describe(timeline::KEYS),
        Pane::Challenges => keys::describe(challenges::KEYS),
        Pane::Actions => keys::describe(actions::KEYS),
        Pane::Terms => keys::describe(terms::KEYS),
        Pane::Agencies => keys::describe(agencies::KEYS),
        Pane::Minutes => keys::describe(minutes::KEYS),
        Pane::Family => keys::describe(family::KEYS),
    }
}

/// What a form saves to: a pane's own form enum, carrying the record it edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormTarget {
    Decisions(decisions::DecisionsForm),
    Timeline(timeline::TimelineForm),
    Challenges(challenges::ChallengesForm),
    Actions(actions::ActionsForm),
    Terms(terms::TermsForm),
    Agencies(agencies::AgenciesForm),
    Case(case::CaseForm),
    Minutes(minutes::MinutesForm),
    Family(family::FamilyForm),
}

impl FormTarget {
    /// What the form edits, which keys its draft with its title: the record ("0" for a
    /// new one or a form that edits none), and whatever else tells two such forms apart.
    pub fn draft_key(&self) -> String {
        match self {
            FormTarget::Decisions(decisions::DecisionsForm::Edit { decision }) => {
                decision.to_string()
            }
            FormTarget::Decisions(decisions::DecisionsForm::Filter) => "0".into(),
            FormTarget::Timeline(t) => t.record().to_string(),
            FormTarget::Challenges(form) => form.record().to_string(),
            FormTarget::Actions(form) => form.record().to_string(),
            FormTarget::Terms(t) => t.record().to_string(),
            FormTarget::Agencies(t) => t.draft_key(),
            FormTarget::Case(form) => form.record().to_string(),
            FormTarget::Minutes(form) => form.draft_key(),
            FormTarget::Family(form) => form.record().to_string(),
        }
    }

    /// The existing record the form edits, whose version its save expects (`None` for a
    /// new record, a filter, an import, an export, a new member or amendment). `case` is
    /// the open case, which the case's own forms and the review period edit.
    pub fn record(&self, case: Option<i64>) -> Option<Record> {
        use actions::ActionsForm as A;
        use agencies::AgenciesForm as G;
        use case::CaseForm as C;
        use challenges::ChallengesForm as H;
        use minutes::MinutesForm as M;
        use terms::TermsForm as T;
        use timeline::TimelineForm as L;
        match *self {
            FormTarget::Decisions(decisions::DecisionsForm::Edit { decision }) => {
                Some(Record::Decision(decision))
            }
            FormTarget::Decisions(decisions::DecisionsForm::Filter) => None,
            FormTarget::Timeline(L::Edit { entry }) => Some(Record::Chronology(entry)),
            FormTarget::Timeline(L::Add | L::Filter | L::GoToDate | L::Import) => None,
            FormTarget::Challenges(
                H::Response { challenge } | H::Due { challenge } | H::Question { challenge },
            ) => Some(Record::Challenge(challenge)),
            FormTarget::Challenges(H::Filter) => None,
            FormTarget::Actions(
                A::Edit { recommendation }
                | A::Completion { recommendation }
                | A::Outcome { recommendation }
                | A::Close { recommendation },
            ) => Some(Record::Recommendation(recommendation)),
            FormTarget::Actions(A::Add | A::Filter) => None,
            FormTarget::Terms(T::Edit { term }) => Some(Record::Term(term)),
            FormTarget::Terms(T::Period) => case.map(Record::Case),
            FormTarget::Terms(T::Add) => None,
            FormTarget::Agencies(G::Edit { agency } | G::Status { agency, .. }) => {
                Some(Record::Agency(agency))
            }
            FormTarget::Agencies(G::Add | G::Member { .. }) => None,
            FormTarget::Case(C::Process(p)) => p.stale_record(),
            FormTarget::Case(
                C::Details { case } | C::Extension { case } | C::LaterDates { case },
            ) => Some(Record::Case(case)),
            FormTarget::Case(C::Stage { .. }) => case.map(Record::Case),
            // Pausing makes a new pause (the store refuses a second open one); resuming
            // and correcting edit the open pause.
            FormTarget::Case(C::Pause { .. }) => None,
            FormTarget::Case(C::Resume { pause } | C::EditPause { pause }) => {
                Some(Record::Pause(pause))
            }
            FormTarget::Case(C::EditSubject { subject }) => Some(Record::Subject(subject)),
            FormTarget::Case(C::EditPlace { place }) => Some(Record::Place(place)),
            FormTarget::Case(C::New | C::AddSubject | C::AddPlace) => None,
            // A set of rows: the store checks each against what the form showed.
            FormTarget::Case(C::Characteristics { .. }) => None,
            FormTarget::Minutes(M::EditLine { minute, .. }) => Some(Record::Minute(minute)),
            FormTarget::Minutes(
                M::Plan
                | M::Amend { .. }
                | M::AddItem
                | M::Export { .. }
                | M::MinuteTaker { .. }
                | M::Generalise { .. },
            ) => None,
            FormTarget::Family(form) => family_record(form),
        }
    }

    /// Whether what is typed into the form is kept as a draft (forms that only set what
    /// a pane shows keep none).
    pub fn keeps_draft(&self) -> bool {
        match self {
            FormTarget::Timeline(t) => t.keeps_draft(),
            // A filter holds nothing to lose: no draft, and Esc closes it at once.
            FormTarget::Decisions(decisions::DecisionsForm::Filter) => false,
            // A few words over the review list: Esc closes it at once, nothing decided.
            FormTarget::Minutes(minutes::MinutesForm::Generalise { .. }) => false,
            _ => true,
        }
    }
}

/// The record a form of the Family pane edits (`None` for a new one).
fn family_record(form: family::FamilyForm) -> Option<Record> {
    use family::FamilyForm as Y;
    let existing = |id: i64| (id > 0).then_some(id);
    match form {
        Y::Person { person, .. } => existing(person).map(Record::FamilyPerson),
        Y::NewPerson => None,
        Y::Contact { contact, .. } => existing(contact).map(Record::FamilyContact),
        Y::Proceeding { proceeding } => existing(proceeding).map(Record::Proceeding),
        Y::Disclosure { disclosure, .. } => existing(disclosure).map(Record::Disclosure),
    }
}

/// Which field of which pane's form: read back by id, never by its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldId {
    Decisions(decisions::DecisionsField),
    Timeline(timeline::TimelineField),
    Challenges(challenges::ChallengesField),
    Actions(actions::ActionsField),
    Terms(terms::TermsField),
    Agencies(agencies::AgenciesField),
    Case(case::CaseField),
    Minutes(minutes::MinutesField),
    Family(family::FamilyField),
}

/// What a chooser's options mean: each variant carries the values in option order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChooseTarget {
    /// The workspace's own choosers (Esc in a form with changes), handled by the overlay
    /// dispatch rather than a pane.
    App(crate::app::overlay::form::FormChoice),
    Challenges(challenges::ChallengesChoice),
    Actions(actions::ActionsChoice),
    Terms(terms::TermsChoice),
    Agencies(agencies::AgenciesChoice),
    Case(case::CaseChoice),
    Minutes(minutes::MinutesChoice),
    Family(family::FamilyChoice),
}

/// What a yes to a question does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmTarget {
    /// The workspace's own questions (Ctrl+Z in an input, leaving with unsaved text),
    /// handled by the overlay dispatch rather than a pane.
    App(crate::app::overlay::confirm::AppQuestion),
    Timeline(timeline::TimelineConfirm),
    Minutes(minutes::MinutesConfirm),
}

/// A view of a pane's own over it, with its state and its key table.
pub enum PaneView {
    /// The chronology entry in full, or the silent periods.
    Timeline(timeline::TimelineView),
    /// The case view (`0`): details, stage, clock, register and history.
    Case(case::CaseView),
}

impl PaneView {
    /// Where the keyboard is while the view is open (whose keys help lists).
    pub fn place(&self) -> Place {
        match self {
            PaneView::Timeline(v) => v.place(),
            PaneView::Case(_) => Place::CaseView,
        }
    }
}

/// A key while a pane's view is open (taken off the overlay; the view puts itself back).
pub(crate) fn on_view_key(app: &mut App, view: PaneView, key: &KeyEvent) -> Effect {
    match view {
        PaneView::Timeline(v) => timeline::on_view_key(app, v, key),
        PaneView::Case(v) => case::on_view_key(app, v, key),
    }
}

/// Does what the option picked (its index) means.
pub(crate) fn choose(app: &mut App, target: ChooseTarget, index: usize) {
    match target {
        ChooseTarget::Challenges(c) => challenges::choose(app, c, index),
        ChooseTarget::Actions(c) => actions::choose(app, c, index),
        ChooseTarget::Terms(c) => terms::choose(app, c, index),
        ChooseTarget::Agencies(c) => agencies::choose(app, c, index),
        ChooseTarget::Case(choice) => case::choose(app, choice, index),
        ChooseTarget::Minutes(choice) => minutes::choose(app, choice, index),
        ChooseTarget::Family(choice) => family::choose(app, choice, index),
        ChooseTarget::App(_) => {}
    }
}

/// Does what a yes means (a no changes nothing but says so).
pub(crate) fn confirm(app: &mut App, target: ConfirmTarget, yes: bool) {
    match target {
        ConfirmTarget::Timeline(t) => timeline::confirm(app, t, yes),
        ConfirmTarget::Minutes(t) => minutes::confirm(app, t, yes),
        ConfirmTarget::App(_) => {}
    }
}

/// Saves a form to its target.
pub(crate) fn submit(app: &mut App, form: Form, target: FormTarget) {
    match target {
        FormTarget::Decisions(t) => decisions::submit(app, form, t),
        FormTarget::Timeline(t) => timeline::submit(app, form, t),
        FormTarget::Challenges(t) => challenges::submit(app, form, t),
        FormTarget::Actions(t) => actions::submit(app, form, t),
        FormTarget::Terms(t) => terms::submit(app, form, t),
        FormTarget::Agencies(t) => agencies::submit(app, form, t),
        FormTarget::Case(t) => case::submit(app, form, t),
        FormTarget::Minutes(t) => minutes::submit(app, form, t),
        FormTarget::Family(t) => family::submit(app, form, t),
    }
}

/// After a key that left a form open: the pane's checks as its fields are typed.
pub(crate) fn edited(app: &App, form: &mut Form, target: FormTarget) {
    if let FormTarget::Timeline(t) = target {
        timeline::edited(app, form, t);
    }
}

/// Esc on a form: says nothing was saved (forms that only set what a pane shows close
/// quietly).
pub(crate) fn cancelled(app: &mut App, target: FormTarget) {
    match target {
        FormTarget::Timeline(t) => timeline::cancelled(app, t),
        _ => app.info("Nothing was saved."),
    }
}
