//! The open case: what each pane lists, its selection and filter, loaded from the store.
//! The timeline (its own pane state) holds only a window of rows around the selection, so
//! its cost does not grow with the chronology.

use chrono::NaiveDate;

use super::{ListCursor, Pane};
use crate::domain::clock::{StatutoryClock, statutory_clock};
use crate::domain::model::{Case, Decision, Subject, TermOfReference};
use crate::store::Store;
use crate::store::logs::Logged;
use crate::store::panel::AgencyOverview;

pub use super::panes::minutes::MeetingRow;

/// The open case and what its panes show.
pub struct Workspace {
    pub case: Case,
    pub clock: StatutoryClock,
    /// The day the overdue markers are worked out for.
    pub today: NaiveDate,
    pub pane: Pane,
    pub subjects: Vec<Subject>,
    /// The Agencies pane (the IMR board): the agencies, selection, filter and sort order.
    pub agencies: super::panes::agencies::AgenciesPane,
    /// The Terms pane: the items, selection and filter, its view and the coverage.
    pub terms: super::panes::terms::TermsPane,
    /// The Challenges pane: the challenge log, its selection and filter.
    pub challenges: super::panes::challenges::ChallengesPane,
    /// The Decisions pane: the decision log, its selection and filter.
    pub decisions: super::panes::decisions::DecisionsPane,
    /// The Actions pane: the meeting actions and the action plan, their selections and filters.
    pub actions: super::panes::actions::ActionsPane,
    /// The Minutes pane: the meetings, the selected one's agenda and minutes, the meeting
    /// open for minuting.
    pub minutes: super::panes::minutes::MinutesPane,
    /// The Timeline pane: the window of the chronology, its selection, filters and
    /// silent periods.
    pub timeline: super::panes::timeline::TimelinePane,
    /// The Family pane: the people approached and the parallel proceedings.
    pub family: super::panes::family::FamilyPane,
}

impl Workspace {
    /// Loads a case with the Agencies pane in front: the chair's first question is who owes what.
    pub fn load(store: &Store, case_id: i64, today: NaiveDate) -> crate::store::Result<Workspace> {
        let case = store.case(case_id)?.ok_or_else(|| {
            crate::store::StoreError::Rule(format!("case {case_id} no longer exists"))
        })?;
        let mut ws = Workspace {
            clock: statutory_clock(&store.clock_facts(&case)?, today),
            today,
            case,
            pane: Pane::Agencies,
            subjects: Vec::new(),
            agencies: Default::default(),
            terms: Default::default(),
            challenges: Default::default(),
            decisions: Default::default(),
            actions: Default::default(),
            minutes: Default::default(),
            timeline: Default::default(),
            family: Default::default(),
        };
        ws.reload(store, today)?;
        // Start the Minutes pane on the meeting in progress, else the latest held.
        ws.minutes.select_in_progress(store)?;
        Ok(ws)
    }

    /// Reads everything again (after a change or a new day), keeping selections.
    pub fn reload(&mut self, store: &Store, today: NaiveDate) -> crate::store::Result<()> {
        let case_id = self.case.id;
        if let Some(case) = store.case(case_id)? {
            self.case = case;
        }
        self.clock = statutory_clock(&store.clock_facts(&self.case)?, today);
        self.today = today;
        self.subjects = store.subjects(case_id)?;
        self.agencies.reload(store, case_id, today)?;
        self.terms.reload(store, case_id)?;
        self.challenges.reload(store, case_id, today)?;
        self.decisions.reload(store, case_id)?;
        self.actions.reload(store, case_id)?;
        self.minutes.reload(store, case_id)?;
        self.family.reload(store, case_id)?;
        // The chronology is read only while its pane is in front: start-up and refreshes
        // cost what is on screen, not the size of the case.
        self.timeline
            .reload(store, case_id, self.pane == Pane::Timeline)?;
        for pane in Pane::ALL {
            let len = self.len(pane);
            self.cursor_of_mut(pane).clamp(len);
        }
        Ok(())
    }

    pub fn cursor(&self) -> &ListCursor {
        self.cursor_of(self.pane)
    }

    pub fn cursor_mut(&mut self) -> &mut ListCursor {
        self.cursor_of_mut(self.pane)
    }

    fn cursor_of_mut(&mut self, pane: Pane) -> &mut ListCursor {
        match pane {
            Pane::Decisions => &mut self.decisions.cursor,
            Pane::Minutes => &mut self.minutes.cursor,
            Pane::Terms => &mut self.terms.cursor,
            Pane::Agencies => &mut self.agencies.cursor,
            Pane::Timeline => &mut self.timeline.cursor,
            Pane::Challenges => &mut self.challenges.cursor,
            Pane::Actions => &mut self.actions.cursor,
            Pane::Family => &mut self.family.cursor,
        }
    }

    pub fn cursor_of(&self, pane: Pane) -> &ListCursor {
        match pane {
            Pane::Decisions => &self.decisions.cursor,
            Pane::Minutes => &self.minutes.cursor,
            Pane::Terms => &self.terms.cursor,
            Pane::Agencies => &self.agencies.cursor,
            Pane::Timeline => &self.timeline.cursor,
            Pane::Challenges => &self.challenges.cursor,
            Pane::Actions => &self.actions.cursor,
            Pane::Family => &self.family.cursor,
        }
    }

    /// How many rows `pane` lists after its filter.
    pub fn len(&self, pane: Pane) -> usize {
        match pane {
            Pane::Timeline => self.timeline.matching as usize,
            Pane::Terms => self.visible_terms().len(),
            Pane::Agencies => self.visible_agencies().len(),
            Pane::Challenges => self.challenges.rows(self.today).len(),
            Pane::Decisions => self.visible_decisions().len(),
            Pane::Actions => self.actions.action_rows().len(),
            Pane::Minutes => self.minutes.rows().len(),
            Pane::Family => self.family.people_rows(&self.subjects).len(),
        }
    }

    /// The agencies the board lists (its filter and order).
    pub fn visible_agencies(&self) -> Vec<&AgencyOverview> {
        self.agencies.rows(self.today)
    }

    /// The items of the terms of reference passing the pane's filter.
    pub fn visible_terms(&self) -> Vec<&TermOfReference> {
        self.terms.rows()
    }

    /// The decisions passing the pane's filter (meeting: and words).
    pub fn visible_decisions(&self) -> Vec<&Logged<Decision>> {
        self.decisions.rows()
    }

    /// Moves the selection of the current pane, loading what the new position needs.
    /// A failed read leaves the previous rows on screen; the caller shows the error.
    pub fn step(&mut self, store: &Store, delta: i64) -> crate::store::Result<()> {
        let pane = self.pane;
        if pane == Pane::Actions {
            // The focused list moves: the meeting actions or the action plan.
            self.actions.step(delta, self.today);
            return Ok(());
        }
        if pane == Pane::Family && self.family.proceedings_focused {
            self.family.step_proceedings(delta);
            return Ok(());
        }
        let len = self.len(pane);
        self.cursor_of_mut(pane).step(delta, len);
        match pane {
            Pane::Timeline => self.timeline.load(store, self.case.id, true),
            Pane::Minutes => self.minutes.load_selected(store),
            _ => Ok(()),
        }
    }

    /// After the filter of the current pane changed: back to the first row.
    pub fn after_filter_change(&mut self, store: &Store) -> crate::store::Result<()> {
        self.cursor_mut().selected = 0;
        match self.pane {
            Pane::Timeline => self.timeline.load(store, self.case.id, false),
            Pane::Minutes => self.minutes.load_selected(store),
            _ => Ok(()),
        }
    }

    /// Reads the actions again (a minute line created, corrected or withdrew one),
    /// keeping the Actions pane's selection within its list.
    pub fn reload_actions(&mut self, store: &Store) -> crate::store::Result<()> {
        self.actions.reload(store, self.case.id)?;
        let len = self.len(Pane::Actions);
        self.cursor_of_mut(Pane::Actions).clamp(len);
        Ok(())
    }

    /// Reads the challenges again (a minute line raised, corrected or withdrew one), and
    /// the agencies' counts of open challenges, keeping both panes' selections.
    pub fn reload_challenges(&mut self, store: &Store) -> crate::store::Result<()> {
        self.challenges.reload(store, self.case.id, self.today)?;
        self.agencies.reload(store, self.case.id, self.today)?;
        for pane in [Pane::Challenges, Pane::Agencies] {
            let len = self.len(pane);
            self.cursor_of_mut(pane).clamp(len);
        }
        Ok(())
    }
}
