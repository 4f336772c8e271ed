//! The Timeline pane: the combined chronology of every agency. Only a window of rows
//! around the selection is held, so its cost does not grow with the chronology. Its keys
//! show an entry in full, add, edit, flag and withdraw entries, filter them, go to a date,
//! list the silent periods and import an agency chronology.
//!
//! Forms and their typed targets: `forms.rs`; the entry in full: `detail.rs`; the silent
//! periods: `silences.rs`. Drawing: `src/ui/panes/timeline.rs`.

pub mod detail;
pub mod forms;
pub mod search;
pub mod silences;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};

use crate::app::keys::{Key, KeyRow, b, f, row};
use crate::app::panes::{ConfirmTarget, PaneView};
use crate::app::{App, Effect, ListCursor, Overlay, Place};
use crate::domain::date::DatePrecision;
use crate::domain::filter::TimelineFilter;
use crate::domain::gaps::{SilenceReport, silent_periods};
use crate::domain::model::Case;
use crate::store::Store;
use crate::store::chronology::EntryFlag;
pub use crate::store::chronology::TimelineRow;
pub use detail::EntryDetail;
pub use forms::{TimelineField, TimelineForm, entry_form};
pub(crate) use forms::{cancelled, edited, submit};
pub use silences::SilentPeriods;

/// The shortest stretch without contact that counts as a silent period.
pub const MIN_SILENCE_DAYS: i64 = 28;

/// How many timeline rows are held around the selection.
pub const TIMELINE_WINDOW: u64 = 200;

/// The pane's state: the window of rows, the counts, the filters and the silent periods.
pub struct TimelinePane {
    /// The selection (a position among the matching entries) and the free-text filter.
    pub cursor: ListCursor,
    /// Entries in the whole chronology, and those passing the filter.
    pub total: u64,
    pub matching: u64,
    /// Position of `rows[0]` among the matching entries.
    pub start: u64,
    pub rows: Vec<TimelineRow>,
    /// The chronology was not read at the last reload (its pane was not in front).
    pub stale: bool,
    /// The filters other than the free text (which is the cursor's filter line).
    pub filter: TimelineFilter,
    /// Silent periods, computed on demand for all agencies (None) or one agency.
    pub silences: Option<(Option<i64>, SilenceReport)>,
    /// The filter worker's request the pane waits for ("filtering…"); the rows of the
    /// previous filter stay meanwhile. Answers to other requests are dropped.
    pub pending: Option<u64>,
}

impl Default for TimelinePane {
    fn default() -> TimelinePane {
        TimelinePane {
            cursor: ListCursor::default(),
            total: 0,
            matching: 0,
            start: 0,
            rows: Vec::new(),
            stale: true,
            filter: TimelineFilter::default(),
            silences: None,
            pending: None,
        }
    }
}

impl TimelinePane {
    /// After a change or a new day: reads the chronology again if the pane is in front,
    /// else marks it to be read when it comes to the front (start-up and refreshes cost
    /// what is on screen, not the size of the case).
    pub fn reload(
        &mut self,
        store: &Store,
        case_id: i64,
        in_front: bool,
    ) -> crate::store::Result<()> {
        self.silences = None;
        if in_front {
            self.read(store, case_id)
        } else {
            self.stale = true;
            Ok(())
        }
    }

    /// Reads the timeline again after a change to the chronology, keeping the position.
    pub fn read(&mut self, store: &Store, case_id: i64) -> crate::store::Result<()> {
        self.total = store.chronology_count(case_id)?;
        self.silences = None;
        self.stale = false;
        self.load(store, case_id, false)
    }

    /// Reads the timeline if it went stale while another pane was in front.
    pub fn ensure(&mut self, store: &Store, case_id: i64) -> crate::store::Result<()> {
        if self.stale {
            self.read(store, case_id)
        } else {
            Ok(())
        }
    }

    /// What the pane in front needs beyond its window: the chronology if it went stale,
    /// and the silent periods of the agency filtered on (for the markers between rows).
    pub fn prepare(&mut self, store: &Store, case: &Case) -> crate::store::Result<()> {
        let agency = self.filter.agency_id;
        self.ensure(store, case.id)?;
        self.compute_silences(store, case, agency)
    }

    /// The timeline filter in force: the structured filters plus the free text.
    pub fn effective_filter(&self) -> TimelineFilter {
        TimelineFilter {
            text: self.cursor.filter.clone(),
            ..self.filter.clone()
        }
    }

    /// Makes sure the window of rows holds the selection; unless `only_if_needed`, counts
    /// the matching entries again first (after the filter changed).
    pub fn load(
        &mut self,
        store: &Store,
        case_id: i64,
        only_if_needed: bool,
    ) -> crate::store::Result<()> {
        let filter = self.effective_filter();
        if only_if_needed && self.pending.is_some() {
            // The worker's answer brings the window; the previous one stays till then.
            return Ok(());
        }
        if !only_if_needed {
            // Read here and now: a worker's answer still to come would be older.
            self.pending = None;
            self.matching = if filter.is_empty() {
                self.total
            } else {
                store.chronology_count_matching(case_id, &filter)?
            };
            self.cursor.clamp(self.matching as usize);
        }
        let selected = self.cursor.selected as u64;
        let loaded = self.start..self.start + self.rows.len() as u64;
        if only_if_needed && loaded.contains(&selected) && !self.rows.is_empty() {
            return Ok(());
        }
        let start = selected.saturating_sub(TIMELINE_WINDOW / 2);
        self.rows = store.chronology_window(case_id, &filter, start, TIMELINE_WINDOW)?;
        self.start = start;
        Ok(())
    }

    /// Selects the entry at `position` among those passing the filter.
    pub fn select(
        &mut self,
        store: &Store,
        case_id: i64,
        position: u64,
    ) -> crate::store::Result<()> {
        let last = self.matching.saturating_sub(1);
        self.cursor.selected = position.min(last) as usize;
        self.load(store, case_id, true)
    }

    /// The selected row, if it is in the loaded window.
    pub fn selected_row(&self) -> Option<&TimelineRow> {
        let selected = self.cursor.selected as u64;
        let offset = selected.checked_sub(self.start)?;
        self.rows.get(offset as usize)
    }

    /// Works out the silent periods of the review period, for all agencies or one.
    pub fn compute_silences(
        &mut self,
        store: &Store,
        case: &Case,
        agency_id: Option<i64>,
    ) -> crate::store::Result<()> {
        if self.silences.as_ref().is_some_and(|(a, _)| *a == agency_id) {
            return Ok(());
        }
        // Only entries placed within a month mark contact: an entry dated "2017" or
        // "between 2016 and 2017" would otherwise blank out whole years. Those are
        // counted instead, so the list can say a silence may hide one of them. The dates
        // are folded as they are read (a chronology of half a million entries is never
        // held whole).
        let period = (case.period_from, case.period_to);
        let mut loose = 0;
        let mut report = store.with_chronology_dates(case.id, agency_id, |dates| {
            let placed = dates.filter(|d| {
                let placed = matches!(
                    d.precision,
                    DatePrecision::Day
                        | DatePrecision::Week
                        | DatePrecision::Month
                        | DatePrecision::Undated
                );
                if !placed
                    && let (Some(from), Some(to)) = period
                    && d.overlaps(from, to)
                {
                    loose += 1;
                }
                placed
            });
            match period {
                (Some(from), Some(to)) if from <= to => {
                    silent_periods((from, to), placed, MIN_SILENCE_DAYS)
                }
                _ => {
                    placed.for_each(drop);
                    SilenceReport::default()
                }
            }
        })?;
        if let (Some(_), Some(_)) = period {
            report.loosely_dated = loose;
        }
        self.silences = Some((agency_id, report));
        Ok(())
    }
}

/// What the pane's keys do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineKey {
    Detail,
    Add,
    Edit,
    Withdraw,
    FlagKeyEvent,
    FlagMissed,
    Filter,
    GoToDate,
    Silences,
    Import,
}

/// The keys this pane adds to the workspace's (`k` is a key event here, and `g` the
/// silent periods: the timeline's list keys leave `g` out).
pub const KEYS: &[KeyRow<TimelineKey>] = &[
    row(
        &[Key::Code(KeyCode::Enter)],
        TimelineKey::Detail,
        f(
            "Enter",
            "the entry in full: risk, provenance, extra columns",
            "Enter",
            "detail",
        ),
    ),
    row(
        &[Key::Char('a')],
        TimelineKey::Add,
        f("a", "add an entry", "a", "add"),
    ),
    row(
        &[Key::Char('e')],
        TimelineKey::Edit,
        b("e", "edit the entry"),
    ),
    row(
        &[Key::Char('x'), Key::Code(KeyCode::Delete)],
        TimelineKey::Withdraw,
        b("x  Delete", "withdraw the entry (kept in the audit trail)"),
    ),
    row(
        &[Key::Char('k')],
        TimelineKey::FlagKeyEvent,
        f("k", "flag / unflag as a key event", "k", "key"),
    ),
    row(
        &[Key::Char('m')],
        TimelineKey::FlagMissed,
        f("m", "flag / unflag as a missed opportunity", "m", "missed"),
    ),
    row(
        &[Key::Char('f')],
        TimelineKey::Filter,
        f(
            "f",
            "filter by agency, subject, flags, item, dates",
            "f",
            "filter",
        ),
    ),
    row(
        &[Key::Char('d')],
        TimelineKey::GoToDate,
        b("d", "go to a date"),
    ),
    row(
        &[Key::Char('g')],
        TimelineKey::Silences,
        f(
            "g",
            "silent periods: the longest stretches with no contact",
            "g",
            "gaps",
        ),
    ),
    row(
        &[Key::Char('i')],
        TimelineKey::Import,
        f("i", "import an agency chronology (CSV)", "i", "import"),
    ),
];

/// The pane's views over it: an entry in full, the silent periods.
pub enum TimelineView {
    Detail(EntryDetail),
    Silences(SilentPeriods),
}

impl TimelineView {
    /// Where the keyboard is while the view is open (whose keys help lists).
    pub fn place(&self) -> Place {
        match self {
            TimelineView::Detail(_) => Place::Detail,
            TimelineView::Silences(_) => Place::Silences,
        }
    }
}

impl From<TimelineView> for Overlay {
    fn from(view: TimelineView) -> Overlay {
        Overlay::View(PaneView::Timeline(view))
    }
}

/// A key while one of the pane's views is open: looked up in the view's table.
pub(crate) fn on_view_key(app: &mut App, view: TimelineView, key: &KeyEvent) -> Effect {
    match view {
        TimelineView::Detail(d) => {
            let action = crate::app::keys::lookup(detail::KEYS, key);
            detail::on_key(app, d, action)
        }
        TimelineView::Silences(s) => {
            let action = crate::app::keys::lookup(silences::KEYS, key);
            silences::on_key(app, s, action)
        }
    }
}

/// The pane's yes / no questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineConfirm {
    /// Withdraw this entry (it stays in the database and the audit trail).
    Withdraw { entry: i64 },
}

/// Does what a yes means; a no says nothing was withdrawn.
pub(crate) fn confirm(app: &mut App, target: TimelineConfirm, yes: bool) {
    match target {
        TimelineConfirm::Withdraw { entry } if yes => {
            match app.store.withdraw_chronology_entry(entry) {
                Ok(()) => {
                    app.reload_timeline();
                    app.info("Entry withdrawn; it stays in the audit trail.");
                }
                Err(e) => app.error(e.to_string()),
            }
        }
        TimelineConfirm::Withdraw { .. } => app.info("Nothing was withdrawn."),
    }
}

impl App {
    /// Does what a key of the pane's table asks; `None` gives the key to the workspace
    /// (for instance Enter with no entry selected).
    pub(crate) fn on_timeline_key(&mut self, action: TimelineKey) -> Option<Effect> {
        let selected = self
            .workspace
            .as_ref()
            .and_then(|ws| ws.timeline.selected_row().cloned());
        match action {
            TimelineKey::Detail => {
                let row = selected?;
                let terms = self.term_labels(row.entry.id);
                self.overlays.push(
                    TimelineView::Detail(EntryDetail {
                        row: Box::new(row),
                        terms,
                        scroll: 0,
                    })
                    .into(),
                );
            }
            TimelineKey::Add => {
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.open_timeline_form(
                    entry_form("New chronology entry", None, ""),
                    TimelineForm::Add,
                );
            }
            TimelineKey::Edit => {
                let row = selected?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.open_edit_form(&row);
            }
            TimelineKey::Withdraw => {
                let row = selected?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                let summary = format!(
                    "{} {}: {}",
                    row.entry.date.display(),
                    row.agency_code,
                    row.entry.event
                );
                self.ask(
                    "Withdraw entry",
                    format!(
                        "{summary}\n\nWithdraw this entry? It leaves the timeline but stays in the database\nand in the audit trail."
                    ),
                    ConfirmTarget::Timeline(TimelineConfirm::Withdraw {
                        entry: row.entry.id,
                    }),
                );
            }
            TimelineKey::FlagKeyEvent | TimelineKey::FlagMissed => {
                let row = selected?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                let (flag, now, name) = if action == TimelineKey::FlagKeyEvent {
                    (EntryFlag::KeyEvent, !row.entry.key_event, "key event")
                } else {
                    (
                        EntryFlag::MissedOpportunity,
                        !row.entry.missed_opportunity,
                        "missed opportunity",
                    )
                };
                match self.store.set_entry_flag(row.entry.id, flag, now) {
                    Ok(()) => {
                        self.reload_timeline();
                        self.info(format!(
                            "{} {name}",
                            if now {
                                "Marked as"
                            } else {
                                "No longer marked as"
                            }
                        ));
                    }
                    Err(e) => self.error(e.to_string()),
                }
            }
            TimelineKey::Filter => {
                let form = self.filter_form();
                self.open_timeline_form(form, TimelineForm::Filter);
            }
            TimelineKey::GoToDate => {
                self.open_timeline_form(forms::go_to_date_form(), TimelineForm::GoToDate)
            }
            TimelineKey::Silences => self.open_silences(0),
            TimelineKey::Import => {
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.open_timeline_form(forms::import_form(), TimelineForm::Import);
            }
        }
        Some(Effect::Redraw)
    }

    /// The terms of reference an entry is linked to, as "5. Heading".
    fn term_labels(&self, entry_id: i64) -> Vec<String> {
        let Some(ws) = &self.workspace else {
            return Vec::new();
        };
        let ids = self.store.entry_term_ids(entry_id).unwrap_or_default();
        ws.terms
            .all
            .iter()
            .filter(|t| ids.contains(&t.id))
            .map(|t| format!("{}. {}", t.position, t.heading))
            .collect()
    }

    /// Selects the first entry dated on or after `day` (within the current filter).
    pub(super) fn go_to_day(&mut self, day: NaiveDate) {
        let Some(ws) = &mut self.workspace else {
            return;
        };
        let case_id = ws.case.id;
        let filter = ws.timeline.effective_filter();
        let result = self
            .store
            .chronology_position_of(case_id, &filter, day)
            .and_then(|position| ws.timeline.select(&self.store, case_id, position));
        if let Err(e) = result {
            self.error(e.to_string());
        }
    }

    /// After the free-text filter changed in the timeline: asks the filter worker (when
    /// the loop can hear from it) and returns true; the pane says "filtering…" until the
    /// answer comes. False leaves the reading to this thread.
    pub(crate) fn filter_in_background(&mut self) -> bool {
        let Some(notify) = self.notify.clone() else {
            return false;
        };
        let Some(ws) = &mut self.workspace else {
            return false;
        };
        if ws.pane != crate::app::Pane::Timeline {
            return false;
        }
        let filter = ws.timeline.effective_filter();
        if filter.text.trim().is_empty() {
            // Nothing to look for: read at once (the timeline index alone answers), and
            // a scan still under way for the text just cleared stops.
            if let Some(worker) = self.filter_worker.as_mut() {
                worker.cancel();
            }
            return false;
        }
        ws.timeline.cursor.selected = 0;
        let request = search::FilterRequest {
            generation: 0,
            case_id: ws.case.id,
            filter,
            selected: 0,
        };
        let worker = self.filter_worker.get_or_insert_with(|| {
            search::FilterWorker::start(self.db_path.clone(), self.clock.clone(), notify)
        });
        // Numbered by the worker, once per app: an answer meant for a case closed since
        // cannot pass for one of the case open now.
        ws.timeline.pending = Some(worker.submit(request));
        true
    }

    /// The filter worker's answer: shown if it is the one the pane waits for.
    pub(crate) fn on_timeline_found(&mut self, found: search::FilterFound) -> Effect {
        let Some(ws) = &mut self.workspace else {
            return Effect::None;
        };
        if ws.timeline.pending != Some(found.generation) {
            return Effect::None;
        }
        ws.timeline.pending = None;
        match found.result {
            Ok(rows) => {
                ws.timeline.matching = rows.matching;
                ws.timeline.cursor.selected = rows.selected as usize;
                ws.timeline.start = rows.start;
                ws.timeline.rows = rows.rows;
            }
            Err(text) => {
                // No rows rather than the last filter's: the count must not pass for this one.
                ws.timeline.matching = 0;
                ws.timeline.cursor.selected = 0;
                ws.timeline.start = 0;
                ws.timeline.rows.clear();
                self.error(text)
            }
        }
        Effect::Redraw
    }

    /// Reads the chronology again after a change to it, keeping the position.
    fn reload_timeline(&mut self) {
        if let Some(ws) = &mut self.workspace {
            let result = ws.timeline.read(&self.store, ws.case.id);
            if let Err(e) = result {
                self.error(e.to_string());
            }
        }
    }

    /// Whether the silent periods are open over the pane (they show the agency picked
    /// there, which the pane's own markers must not replace meanwhile).
    pub(crate) fn silences_open(&self) -> bool {
        matches!(
            self.overlays.top(),
            Some(Overlay::View(PaneView::Timeline(TimelineView::Silences(_))))
        )
    }
}
