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
    Action, AgendaItem, Case, Challenge, Decision, Meeting, Minute, Recommendation, Subject,
    TermOfReference,
};
use crate::store::Store;
use crate::store::chronology::TimelineRow;
use crate::store::logs::Logged;
use crate::store::panel::AgencyOverview;

/// The shortest stretch without contact that counts as a silent period.
pub const MIN_SILENCE_DAYS: i64 = 28;

/// How many timeline rows are held around the selection.
pub const TIMELINE_WINDOW: u64 = 200;

/// A meeting with counts for the meetings list.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingRow {
    pub meeting: Meeting,
    pub present: usize,
    pub minutes: usize,
}

/// The open case and what its panes show.
pub struct Workspace {
    pub case: Case,
    pub clock: StatutoryClock,
    /// The day the overdue markers are worked out for.
    pub today: NaiveDate,
    pub pane: Pane,
    cursors: [ListCursor; 7],
    pub subjects: Vec<Subject>,
    /// The Agencies pane (the IMR board): the agencies, selection, filter and sort order.
    pub agencies: super::panes::agencies::AgenciesPane,
    /// The Terms pane: the items, selection and filter, its view and the coverage.
    pub terms: super::panes::terms::TermsPane,
    pub challenges: Vec<Logged<Challenge>>,
    /// The Decisions pane: the decision log, its selection and filter.
    pub decisions: super::panes::decisions::DecisionsPane,
    pub actions: Vec<Logged<Action>>,
    pub recommendations: Vec<Logged<Recommendation>>,
    pub meetings: Vec<MeetingRow>,
    /// The agenda and minutes of the selected meeting.
    pub meeting_agenda: Vec<AgendaItem>,
    pub meeting_minutes: Vec<Minute>,
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
    /// The Actions pane's second list: focus, selection and filter of the action plan.
    pub plan: super::plan::PlanView,
    /// The meeting open for minuting in the Minutes pane, if any.
    pub minuting: Option<super::minutes::Minuting>,
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
            agencies: Default::default(),
            terms: Default::default(),
            challenges: Vec::new(),
            decisions: Default::default(),
            actions: Vec::new(),
            recommendations: Vec::new(),
            meetings: Vec::new(),
            meeting_agenda: Vec::new(),
            meeting_minutes: Vec::new(),
            timeline_total: 0,
            timeline_matching: 0,
            timeline_start: 0,
            timeline_rows: Vec::new(),
            timeline_filter: TimelineFilter::default(),
            timeline_stale: true,
            silences: None,
            minuting: None,
            plan: Default::default(),
        };
        ws.reload(store, today)?;
        // Start the Minutes pane on the meeting in progress, else the latest held.
        if let Some(i) = ws
            .meetings
            .iter()
            .position(|m| m.meeting.status == crate::domain::model::MeetingStatus::InProgress)
        {
            ws.cursors[Pane::Minutes.index()].selected = i;
            ws.load_meeting(store)?;
        }
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
        self.agencies.reload(store, case_id, today)?;
        self.terms.reload(store, case_id)?;
        self.challenges = store.challenges(case_id)?;
        self.decisions.reload(store, case_id)?;
        self.actions = store.actions(case_id)?;
        self.recommendations = store.recommendations(case_id)?;
        // One query for the counts of every meeting, not two per meeting.
        let counts = store.meeting_counts(case_id)?;
        let meetings: Vec<MeetingRow> = store
            .meetings(case_id)?
            .into_iter()
            .map(|meeting| {
                let (present, minutes) = counts
                    .iter()
                    .find(|(id, _, _)| *id == meeting.id)
                    .map_or((0, 0), |c| (c.1, c.2));
                MeetingRow {
                    meeting,
                    present,
                    minutes,
                }
            })
            .collect();
        self.meetings = meetings;
        self.silences = None;
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
        self.load_meeting(store)?;
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
            Pane::Terms => &mut self.terms.cursor,
            Pane::Agencies => &mut self.agencies.cursor,
            pane => &mut self.cursors[pane.index()],
        }
    }

    pub fn cursor_of(&self, pane: Pane) -> &ListCursor {
        match pane {
            Pane::Decisions => &self.decisions.cursor,
            Pane::Terms => &self.terms.cursor,
            Pane::Agencies => &self.agencies.cursor,
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
            Pane::Minutes => self.visible_meetings().len(),
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

    pub fn visible_meetings(&self) -> Vec<&MeetingRow> {
        let f = self.filter_of(Pane::Minutes);
        self.meetings
            .iter()
            .filter(|m| {
                matches_filter(
                    f,
                    &format!(
                        "meeting {} {} {}",
                        m.meeting.number, m.meeting.place, m.meeting.status
                    ),
                )
            })
            .collect()
    }

    /// The selected meeting of the Minutes pane.
    pub fn selected_meeting(&self) -> Option<&MeetingRow> {
        self.visible_meetings()
            .get(self.cursors[Pane::Minutes.index()].selected)
            .copied()
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
            Pane::Minutes => self.load_meeting(store),
            _ => Ok(()),
        }
    }

    /// After the filter of the current pane changed: back to the first row.
    pub fn after_filter_change(&mut self, store: &Store) -> crate::store::Result<()> {
        self.cursor_mut().selected = 0;
        match self.pane {
            Pane::Timeline => self.load_timeline(store, false),
            Pane::Minutes => self.load_meeting(store),
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

    fn load_meeting(&mut self, store: &Store) -> crate::store::Result<()> {
        match self.selected_meeting().map(|m| m.meeting.id) {
            Some(id) => {
                self.meeting_agenda = store.agenda(id)?;
                self.meeting_minutes = store.minutes(id)?;
            }
            None => {
                self.meeting_agenda.clear();
                self.meeting_minutes.clear();
            }
        }
        Ok(())
    }
}
