//! The open case: what each pane lists, its selection and filter, loaded from the store.
//! The timeline holds only a window of rows around the selection, so its cost does not
//! grow with the chronology.

use chrono::NaiveDate;

use super::{ListCursor, Pane, matches_filter};
use crate::domain::clock::{ClockFacts, StatutoryClock, statutory_clock};
use crate::domain::date::DatePrecision;
use crate::domain::filter::TimelineFilter;
use crate::domain::gaps::{SilenceReport, silent_periods};
use crate::domain::model::{
    Action, Case, Challenge, Decision, Recommendation, Subject, TermOfReference,
};
use crate::store::Store;
use crate::store::chronology::TimelineRow;
use crate::store::logs::Logged;
use crate::store::panel::AgencyOverview;

/// The shortest stretch without contact that counts as a silent period.
pub const MIN_SILENCE_DAYS: i64 = 28;

/// How many timeline rows are held around the selection.
pub const TIMELINE_WINDOW: u64 = 200;

pub use super::panes::minutes::MeetingRow;

/// The open case and what its panes show.
pub struct Workspace {
    pub case: Case,
    pub clock: StatutoryClock,
    /// The day the overdue markers are worked out for.
    pub today: NaiveDate,
    pub pane: Pane,
    cursors: [ListCursor; 7],
    pub subjects: Vec<Subject>,
    pub agencies: Vec<AgencyOverview>,
    pub terms: Vec<TermOfReference>,
    pub challenges: Vec<Logged<Challenge>>,
    /// The Decisions pane: the decision log, its selection and filter.
    pub decisions: super::panes::decisions::DecisionsPane,
    pub actions: Vec<Logged<Action>>,
    pub recommendations: Vec<Logged<Recommendation>>,
    /// The Minutes pane: the meetings, the selected one's agenda and minutes, the meeting
    /// open for minuting.
    pub minutes: super::panes::minutes::MinutesPane,
    /// Entries in the whole chronology, and those passing the filter.
    pub timeline_total: u64,
    pub timeline_matching: u64,
    /// Position of `timeline_rows[0]` among the matching entries.
    pub timeline_start: u64,
    pub timeline_rows: Vec<TimelineRow>,
    /// The timeline was not read at the last reload (its pane was not in front).
    pub timeline_stale: bool,
    /// The timeline's filters other than its free text (which is the cursor's filter).
    pub timeline_filter: TimelineFilter,
    /// Coverage of the terms of reference (SPEC §3.5), read while the Terms pane is in front
    /// and cleared whenever the data is read again.
    pub coverage: Option<crate::domain::coverage::Coverage>,
    /// The Terms pane's view: the item list or the coverage matrix, and its agency column.
    pub terms_view: super::terms::TermsView,
    /// The Actions pane's second list: focus, selection and filter of the action plan.
    pub plan: super::plan::PlanView,
    /// The IMR board sorted by most overdue first (else in the order agencies were added).
    pub agencies_by_overdue: bool,
    /// Silent periods, computed on demand for all agencies (None) or one agency.
    pub silences: Option<(Option<i64>, SilenceReport)>,
}

impl Workspace {
    /// Loads a case with the Agencies pane in front: the chair's first question is who owes what.
    pub fn load(store: &Store, case_id: i64, today: NaiveDate) -> crate::store::Result<Workspace> {
        let case = store.case(case_id)?.ok_or_else(|| {
            crate::store::StoreError::Rule(format!("case {case_id} no longer exists"))
        })?;
        let mut ws = Workspace {
            clock: statutory_clock(&ClockFacts::from_case(&case), today),
            today,
            case,
            pane: Pane::Agencies,
            cursors: Default::default(),
            subjects: Vec::new(),
            agencies: Vec::new(),
            terms: Vec::new(),
            challenges: Vec::new(),
            decisions: Default::default(),
            actions: Vec::new(),
            recommendations: Vec::new(),
            minutes: Default::default(),
            timeline_total: 0,
            timeline_matching: 0,
            timeline_start: 0,
            timeline_rows: Vec::new(),
            timeline_filter: TimelineFilter::default(),
            timeline_stale: true,
            silences: None,
            agencies_by_overdue: false,
            plan: Default::default(),
            terms_view: Default::default(),
            coverage: None,
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
        self.clock = statutory_clock(&ClockFacts::from_case(&self.case), today);
        self.today = today;
        self.subjects = store.subjects(case_id)?;
        self.agencies = store.agency_overview(case_id)?;
        self.terms = store.terms(case_id)?;
        self.challenges = store.challenges(case_id)?;
        self.decisions.reload(store, case_id)?;
        self.actions = store.actions(case_id)?;
        self.recommendations = store.recommendations(case_id)?;
        self.minutes.reload(store, case_id)?;
        self.silences = None;
        self.coverage = None;
        // The chronology is read only while its pane is in front: start-up and refreshes
        // cost what is on screen, not the size of the case.
        if self.pane == Pane::Timeline {
            self.reload_timeline(store)?;
        } else {
            self.timeline_stale = true;
        }
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
            pane => &mut self.cursors[pane.index()],
        }
    }

    pub fn cursor_of(&self, pane: Pane) -> &ListCursor {
        match pane {
            Pane::Decisions => &self.decisions.cursor,
            Pane::Minutes => &self.minutes.cursor,
            pane => &self.cursors[pane.index()],
        }
    }

    fn filter_of(&self, pane: Pane) -> &str {
        &self.cursor_of(pane).filter
    }

    /// How many rows `pane` lists after its filter.
    pub fn len(&self, pane: Pane) -> usize {
        match pane {
            Pane::Timeline => self.timeline_matching as usize,
            Pane::Terms => self.visible_terms().len(),
            Pane::Agencies => self.visible_agencies().len(),
            Pane::Challenges => self.visible_challenges().len(),
            Pane::Decisions => self.visible_decisions().len(),
            Pane::Actions => self.visible_actions().len(),
            Pane::Minutes => self.minutes.rows().len(),
        }
    }

    pub fn visible_agencies(&self) -> Vec<&AgencyOverview> {
        let f = self.filter_of(Pane::Agencies);
        let mut list: Vec<&AgencyOverview> = self
            .agencies
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
        if self.agencies_by_overdue {
            // Most overdue first; then those due soonest; returns not owed last.
            list.sort_by_key(|a| {
                let late = crate::domain::imr::days_overdue(&a.agency, self.today);
                let owed = crate::domain::imr::is_outstanding(a.agency.status);
                (late.map_or(0, |d| -d), !owed, a.agency.due_on)
            });
        }
        list
    }

    pub fn visible_terms(&self) -> Vec<&TermOfReference> {
        let f = self.filter_of(Pane::Terms);
        self.terms
            .iter()
            .filter(|t| {
                matches_filter(
                    f,
                    &format!("{} {} {} {}", t.heading, t.text, t.kind, t.status),
                )
            })
            .collect()
    }

    /// The challenges passing the pane's filter (agency:, status:, meeting: and words).
    pub fn visible_challenges(&self) -> Vec<&Logged<Challenge>> {
        self.challenge_rows()
    }

    /// The decisions passing the pane's filter (meeting: and words).
    pub fn visible_decisions(&self) -> Vec<&Logged<Decision>> {
        self.decisions.rows()
    }

    pub fn visible_actions(&self) -> Vec<&Logged<Action>> {
        let f = self.filter_of(Pane::Actions);
        self.actions
            .iter()
            .filter(|a| {
                matches_filter(
                    f,
                    &format!(
                        "{} {} {} {}",
                        a.record.text, a.record.owner, a.agency_code, a.record.status
                    ),
                )
            })
            .collect()
    }

    pub fn visible_recommendations(&self) -> Vec<&Logged<Recommendation>> {
        let f = self.filter_of(Pane::Actions);
        self.recommendations
            .iter()
            .filter(|r| {
                matches_filter(
                    f,
                    &format!(
                        "{} {} {} {}",
                        r.record.recommendation,
                        r.record.action_to_take,
                        r.agency_code,
                        r.record.status
                    ),
                )
            })
            .collect()
    }

    /// The selected timeline row, if it is in the loaded window.
    pub fn selected_timeline_row(&self) -> Option<&TimelineRow> {
        let selected = self.cursors[Pane::Timeline.index()].selected as u64;
        let offset = selected.checked_sub(self.timeline_start)?;
        self.timeline_rows.get(offset as usize)
    }

    /// Moves the selection of the current pane, loading what the new position needs.
    /// A failed read leaves the previous rows on screen; the caller shows the error.
    pub fn step(&mut self, store: &Store, delta: i64) -> crate::store::Result<()> {
        let pane = self.pane;
        let len = self.len(pane);
        self.cursor_of_mut(pane).step(delta, len);
        match pane {
            Pane::Timeline => self.load_timeline(store, true),
            Pane::Minutes => self.minutes.load_selected(store),
            _ => Ok(()),
        }
    }

    /// After the filter of the current pane changed: back to the first row.
    pub fn after_filter_change(&mut self, store: &Store) -> crate::store::Result<()> {
        self.cursor_mut().selected = 0;
        match self.pane {
            Pane::Timeline => self.load_timeline(store, false),
            Pane::Minutes => self.minutes.load_selected(store),
            _ => Ok(()),
        }
    }

    /// The timeline filter in force: the structured filters plus the free text.
    pub fn effective_filter(&self) -> TimelineFilter {
        TimelineFilter {
            text: self.filter_of(Pane::Timeline).to_string(),
            ..self.timeline_filter.clone()
        }
    }

    /// Makes sure the window of timeline rows holds the selection.
    fn load_timeline(&mut self, store: &Store, only_if_needed: bool) -> crate::store::Result<()> {
        let filter = self.effective_filter();
        if !only_if_needed {
            self.timeline_matching = if filter.is_empty() {
                self.timeline_total
            } else {
                store.chronology_count_matching(self.case.id, &filter)?
            };
            self.cursors[Pane::Timeline.index()].clamp(self.timeline_matching as usize);
        }
        let selected = self.cursors[Pane::Timeline.index()].selected as u64;
        let loaded = self.timeline_start..self.timeline_start + self.timeline_rows.len() as u64;
        if only_if_needed && loaded.contains(&selected) && !self.timeline_rows.is_empty() {
            return Ok(());
        }
        let start = selected.saturating_sub(TIMELINE_WINDOW / 2);
        self.timeline_rows =
            store.chronology_window(self.case.id, &filter, start, TIMELINE_WINDOW)?;
        self.timeline_start = start;
        Ok(())
    }

    /// Reads the timeline again after a change to the chronology, keeping the position.
    pub fn reload_timeline(&mut self, store: &Store) -> crate::store::Result<()> {
        self.timeline_total = store.chronology_count(self.case.id)?;
        self.silences = None;
        self.timeline_stale = false;
        self.load_timeline(store, false)
    }

    /// Reads the timeline if it went stale while another pane was in front.
    pub fn ensure_timeline(&mut self, store: &Store) -> crate::store::Result<()> {
        if self.timeline_stale {
            self.reload_timeline(store)
        } else {
            Ok(())
        }
    }

    /// Selects the entry at `position` among those passing the filter.
    pub fn select_timeline(&mut self, store: &Store, position: u64) -> crate::store::Result<()> {
        let last = self.timeline_matching.saturating_sub(1);
        self.cursors[Pane::Timeline.index()].selected = position.min(last) as usize;
        self.load_timeline(store, true)
    }

    /// Works out the silent periods of the review period, for all agencies or one.
    pub fn compute_silences(
        &mut self,
        store: &Store,
        agency_id: Option<i64>,
    ) -> crate::store::Result<()> {
        if self.silences.as_ref().is_some_and(|(a, _)| *a == agency_id) {
            return Ok(());
        }
        let dates = store.chronology_dates(self.case.id, agency_id)?;
        // Only entries placed within a month mark contact: an entry dated "2017" or
        // "between 2016 and 2017" would otherwise blank out whole years. Those are
        // counted instead, so the list can say a silence may hide one of them.
        let (placed, loose): (Vec<_>, Vec<_>) = dates.iter().partition(|d| {
            matches!(
                d.precision,
                DatePrecision::Day
                    | DatePrecision::Week
                    | DatePrecision::Month
                    | DatePrecision::Undated
            )
        });
        let mut report = match (self.case.period_from, self.case.period_to) {
            (Some(from), Some(to)) if from <= to => {
                silent_periods((from, to), placed, MIN_SILENCE_DAYS)
            }
            _ => SilenceReport::default(),
        };
        if let (Some(from), Some(to)) = (self.case.period_from, self.case.period_to) {
            report.loosely_dated = loose.iter().filter(|d| d.overlaps(from, to)).count();
        }
        self.silences = Some((agency_id, report));
        Ok(())
    }

    /// Reads the actions again (a minute line created, corrected or withdrew one),
    /// keeping the Actions pane's selection within its list.
    pub fn reload_actions(&mut self, store: &Store) -> crate::store::Result<()> {
        self.actions = store.actions(self.case.id)?;
        let len = self.len(Pane::Actions);
        self.cursor_of_mut(Pane::Actions).clamp(len);
        Ok(())
    }

    /// Reads the challenges again (a minute line raised, corrected or withdrew one), and
    /// the agencies' counts of open challenges, keeping both panes' selections.
    pub fn reload_challenges(&mut self, store: &Store) -> crate::store::Result<()> {
        self.challenges = store.challenges(self.case.id)?;
        self.agencies = store.agency_overview(self.case.id)?;
        for pane in [Pane::Challenges, Pane::Agencies] {
            let len = self.len(pane);
            self.cursor_of_mut(pane).clamp(len);
        }
        Ok(())
    }
}
