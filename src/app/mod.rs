//! The workspace state and its one update function: key, paste, resize and timer
//! messages in, state changes (and store calls) out. No drawing, no terminal, so every
//! key can be tested by feeding messages.

pub mod keys;
pub mod messages;
pub mod overlay;
pub mod panes;
pub mod seat_drafts;
pub mod unsaved;
mod workspace;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

use crate::demo;
use crate::domain::clock::{StatutoryClock, statutory_clock};
use crate::domain::model::Case;
use crate::store::Store;
use crate::time::Clock;
pub use overlay::{Overlay, form};
pub use panes::timeline::{TIMELINE_WINDOW, entry_form};
pub use workspace::{MeetingRow, Workspace};

/// How the workspace draws: colours, glyphs and whether it may change anything
/// (`tui::detect` chooses them from the flags and the terminal).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Options {
    /// No colours (`NO_COLOR`, `--color never`, a terminal without them): monochrome,
    /// focus and selection by reverse video, bold and a marker.
    pub monochrome: bool,
    /// A terminal of eight colours: the bright ones are drawn as their basic ones.
    pub basic_colours: bool,
    /// `--ascii`, or a locale that is not UTF-8: plain ASCII borders and markers, and
    /// every other character shown as `?`.
    pub ascii: bool,
    /// `--read-only`: a reading seat.
    pub read_only: bool,
    /// What was chosen and why, for help's last line (two parts, split by a line break;
    /// empty where nothing was detected, as in tests).
    pub display: String,
}

/// How many colours the terminal shows, as far as the workspace uses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Colours {
    /// The 16 named colours.
    #[default]
    Sixteen,
    /// The eight basic ones.
    Eight,
    /// None: the monochrome theme.
    None,
}

impl Options {
    /// The colours these options draw with.
    pub fn colours(&self) -> Colours {
        if self.monochrome {
            Colours::None
        } else if self.basic_colours {
            Colours::Eight
        } else {
            Colours::Sixteen
        }
    }
}

/// The eight panes, in the order of their number keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Timeline,
    Terms,
    Agencies,
    Challenges,
    Decisions,
    Actions,
    Minutes,
    Family,
}

impl Pane {
    pub const ALL: [Pane; 8] = [
        Pane::Timeline,
        Pane::Terms,
        Pane::Agencies,
        Pane::Challenges,
        Pane::Decisions,
        Pane::Actions,
        Pane::Minutes,
        Pane::Family,
    ];

    /// The tab label.
    pub fn title(self) -> &'static str {
        match self {
            Pane::Timeline => "Timeline",
            Pane::Terms => "ToR",
            Pane::Agencies => "Agencies",
            Pane::Challenges => "Challenges",
            Pane::Decisions => "Decisions",
            Pane::Actions => "Actions",
            Pane::Minutes => "Minutes",
            Pane::Family => "Family",
        }
    }

    /// Its position, 0-based; its key is this plus one.
    pub fn index(self) -> usize {
        Pane::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    fn step(self, forward: bool) -> Pane {
        let i = self.index();
        let next = if forward {
            (i + 1) % Pane::ALL.len()
        } else {
            (i + Pane::ALL.len() - 1) % Pane::ALL.len()
        };
        Pane::ALL[next]
    }
}

/// Where the keyboard focus is, which decides the keys that work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    CaseList,
    Pane(Pane),
    Filter,
    Help,
    /// A form: fields, Tab, Ctrl+O, Esc.
    Form,
    /// Another seat changed the record a form edits: keep yours, take theirs or merge.
    Conflict,
    /// A chronology entry in full.
    Detail,
    /// A read-only text: a record in full, an import's report.
    Report,
    /// A yes / no question.
    Confirm,
    /// The list of silent periods.
    Silences,
    /// A short list to pick one from.
    Choose,
    /// The case view.
    CaseView,
    /// The minutes input has the keyboard.
    MinutesInput,
    /// A meeting's minutes are open, the input does not have the keyboard.
    Minuting,
    /// The publication check's review list: decide each finding, then export.
    Review,
}

/// A selection in a list and the text it is filtered by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListCursor {
    pub selected: usize,
    pub filter: String,
}

impl ListCursor {
    /// Moves the selection by `delta` within `len` rows.
    pub fn step(&mut self, delta: i64, len: usize) {
        if len == 0 {
            self.selected = 0;
            return;
        }
        let target = (self.selected as i64 + delta).clamp(0, len as i64 - 1);
        self.selected = target as usize;
    }

    pub fn clamp(&mut self, len: usize) {
        self.selected = self.selected.min(len.saturating_sub(1));
    }
}

/// Whether `haystack` matches a filter: every word of it, in any letter case.
pub fn matches_filter(filter: &str, haystack: &str) -> bool {
    let hay = haystack.to_lowercase();
    filter
        .split_whitespace()
        .all(|word| hay.contains(&word.to_lowercase()))
}

/// A case as the case list shows it.
#[derive(Debug, Clone)]
pub struct CaseRow {
    pub case: Case,
    pub clock: StatutoryClock,
}

/// How long a save from the workspace waits for another user's write.
const FORM_WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// A message shown in the footer until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub is_error: bool,
}

/// What the loop should do after an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Nothing visible changed: draw nothing.
    None,
    Redraw,
    Quit,
    /// Stop for now (Ctrl+Z, SIGTSTP): drafts are saved; the loop gives the terminal back
    /// and stops the process until `fg`.
    Suspend,
}

/// Everything that can happen to the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    /// More of the paste before it (a long paste is handed on in parts as it arrives):
    /// it goes where that paste went, or nowhere if that one only uncovered the screen.
    PasteMore(String),
    Resize(u16, u16),
    /// The database's files were written (or, where they cannot be watched, a second
    /// passed): another seat may have committed.
    DatabaseChanged,
    /// Typed text has waited its moment: save the drafts (only sent while text is unsaved).
    SaveDrafts,
    /// Lines of minutes wait for a busy database: try them again.
    Retry,
    /// Just after midnight: the date shown may have changed.
    Midnight,
    /// No key or paste for a while: cover the screen if `lock_after` has passed
    /// by this instant since the last one.
    Idle(Instant),
    /// A terminating signal or a terminal gone: save what was typed and leave now.
    Shutdown,
    /// SIGTSTP from outside: save what was typed, then stop.
    Suspend,
    /// The timeline's filter worker answered (see `panes::timeline::search`).
    TimelineFound(Box<panes::timeline::search::FilterFound>),
}

/// The whole state of the workspace.
pub struct App {
    /// Private to the app: panes reach it as `self.store`; tests read it through
    /// [`App::store`]; drawing never does (a test scans `src/ui`).
    store: Store,
    pub clock: Arc<dyn Clock>,
    pub options: Options,
    pub today: chrono::NaiveDate,
    pub cases: Vec<CaseRow>,
    pub case_cursor: ListCursor,
    pub workspace: Option<Workspace>,
    /// The windows over the current pane (a form, a chooser, the help…), the top one
    /// having the keyboard.
    pub overlays: overlay::Overlays,
    /// Whether the filter line of the current list has the keyboard.
    pub filter_editing: bool,
    pub status: Option<Status>,
    pub size: (u16, u16),
    /// Where the database is, as the case list shows it.
    pub db_path: std::path::PathBuf,
    /// The database's data version when we last read it, to notice other users' commits.
    data_version: i64,
    /// Typed text the drafts file would not take, kept in a file and shown on leaving.
    pub unsaved: unsaved::Unsaved,
    /// This seat: its drafts and waiting lines (a private file), and who else is here.
    pub seat: seat_drafts::SeatState,
    /// The form being saved and the version of its record it expects, so that a form
    /// its pane puts back keeps that version.
    submitting: Option<(panes::FormTarget, crate::store::stale::Base)>,
    /// Every message shown this session, with its time (F2 shows them).
    pub messages: messages::MessageLog,
    /// A draft to keep once the key is done (a stale edit's "take theirs": the form
    /// closes, which drops its draft, then the user's text is kept as it).
    keep_draft_after_key: Option<(String, form::Form)>,
    /// `--lock-after`: how long without a key or a paste before the screen is covered
    /// (`None`, as a new `App` has it: never).
    pub lock_after: Option<Duration>,
    /// The screen is covered (idle for `lock_after`): only the marking and
    /// "Press any key" are drawn; the next key or paste only uncovers.
    pub covered: bool,
    /// When the last key or paste arrived (or the workspace opened).
    last_input: Instant,
    /// The last paste only uncovered the screen: the rest of it is dropped too.
    paste_dropped: bool,
    /// How the loop hears from other threads; without it (tests driving `update`) the
    /// timeline filters on this thread.
    notify: Option<panes::timeline::search::Notify>,
    /// The timeline's filter worker, started at the first free-text filter.
    filter_worker: Option<panes::timeline::search::FilterWorker>,
}

impl App {
    /// Opens the case list (or, with `case`, that case).
    pub fn new(store: Store, options: Options, case: Option<&str>) -> crate::store::Result<App> {
        let clock = store.clock().clone();
        let today = clock.today();
        let db_path = store.path().to_path_buf();
        // A save waits a second at most for another user's write: the minutes input never
        // waits (its lines queue), and a form keeps its text and says what holds the database.
        store.set_wait(FORM_WAIT)?;
        // Drafts are this database's: one made anew at the same path has another id.
        let database_id = store.database_id().ok().flatten().unwrap_or_default();
        let seat = seat_drafts::SeatState::new(&db_path, &database_id);
        let mut app = App {
            store,
            clock,
            options,
            today,
            cases: Vec::new(),
            case_cursor: ListCursor::default(),
            workspace: None,
            overlays: Default::default(),
            filter_editing: false,
            status: None,
            size: (80, 24),
            db_path,
            data_version: 0,
            unsaved: Default::default(),
            seat,
            submitting: None,
            messages: Default::default(),
            keep_draft_after_key: None,
            lock_after: None,
            covered: false,
            last_input: Instant::now(),
            paste_dropped: false,
            notify: None,
            filter_worker: None,
        };
        app.data_version = app.store.data_version()?;
        let path = app.store.path().to_path_buf();
        app.reload_cases().map_err(|e| e.about(&path))?;
        if let Some(reference) = case {
            match app.store.case_by_reference(reference)? {
                Some(found) => app.open_case(found.id).map_err(|e| e.about(&path))?,
                None => {
                    return Err(crate::store::StoreError::Rule(format!(
                        "there is no case {reference} in {}; `dhr cases` lists them",
                        app.store.path().display()
                    )));
                }
            }
        }
        Ok(app)
    }

    /// Lets other threads reach the loop: from now on the timeline's free-text filter runs
    /// on a worker and its answer arrives as [`Msg::TimelineFound`].
    pub fn set_notify(&mut self, notify: panes::timeline::search::Notify) {
        self.notify = Some(notify);
    }

    /// The database, for tests and tools that read it beside the app. Writes go through
    /// the app's own handlers; drawing never calls this (a test scans `src/ui`).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The database for a test that changes it as another part of the program would.
    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    /// Moves the selection of the pane in front by `delta` rows, reading what the new
    /// position needs (the timeline's window).
    pub fn step_selection(&mut self, delta: i64) -> crate::store::Result<()> {
        match &mut self.workspace {
            Some(ws) => ws.step(&self.store, delta),
            None => Ok(()),
        }
    }

    /// Where the focus is now.
    pub fn place(&self) -> Place {
        if self.overlays.help_open() {
            Place::Help
        } else {
            self.place_under_help()
        }
    }

    /// Where the focus is apart from the help overlay: the place whose keys help lists.
    pub fn place_under_help(&self) -> Place {
        if let Some(overlay) = self.overlays.under_help() {
            match overlay {
                Overlay::Report(_) => Place::Report,
                Overlay::Confirm(_) => Place::Confirm,
                Overlay::View(view) => view.place(),
                Overlay::Chooser(_) => Place::Choose,
                Overlay::Form(_) => Place::Form,
                Overlay::Conflict(_) => Place::Conflict,
                Overlay::Review(_) => Place::Review,
                Overlay::Help(_) => Place::Help,
            }
        } else if self.filter_editing {
            Place::Filter
        } else {
            match &self.workspace {
                Some(ws)
                    if ws.pane == Pane::Minutes
                        && ws.minutes.session.as_ref().is_some_and(|m| m.focused) =>
                {
                    Place::MinutesInput
                }
                Some(ws) if ws.pane == Pane::Minutes && ws.minutes.session.is_some() => {
                    Place::Minuting
                }
                Some(ws) => Place::Pane(ws.pane),
                None => Place::CaseList,
            }
        }
    }

    /// The cases that pass the case-list filter.
    pub fn visible_cases(&self) -> Vec<&CaseRow> {
        self.cases
            .iter()
            .filter(|row| {
                matches_filter(
                    &self.case_cursor.filter,
                    &format!(
                        "{} {} {} {}",
                        row.case.reference, row.case.kind, row.case.title, row.case.stage
                    ),
                )
            })
            .collect()
    }

    fn reload_cases(&mut self) -> crate::store::Result<()> {
        let mut rows = Vec::new();
        for case in self.store.cases()? {
            let clock = statutory_clock(&self.store.clock_facts(&case)?, self.today);
            rows.push(CaseRow { clock, case });
        }
        self.cases = rows;
        let len = self.visible_cases().len();
        self.case_cursor.clamp(len);
        Ok(())
    }

    fn open_case(&mut self, case_id: i64) -> crate::store::Result<()> {
        self.workspace = Some(Workspace::load(&self.store, case_id, self.today)?);
        Ok(())
    }

    /// Opens a case (after creating it, say), refreshing the case list behind it.
    pub(crate) fn open_case_by_id(&mut self, case_id: i64) -> crate::store::Result<()> {
        self.reload_cases()?;
        self.open_case(case_id)
    }

    /// Reads the open case and its panes again after a change, keeping selections.
    pub(crate) fn reload_workspace(&mut self) {
        let today = self.today;
        if let Some(ws) = &mut self.workspace
            && let Err(e) = ws.reload(&self.store, today)
        {
            self.error(e.to_string());
        }
    }

    /// In a reading seat, says so and returns true: the caller changes nothing.
    pub(crate) fn refuse_in_reading_seat(&mut self) -> bool {
        if self.options.read_only {
            self.error("This is a reading seat (--read-only): nothing can be changed here.");
        }
        self.options.read_only
    }

    /// Whether to refuse an export for publication here: its decisions are recorded in
    /// the database, which a reading seat cannot write (says why when it refuses).
    pub(crate) fn refuse_publication_in_reading_seat(&mut self) -> bool {
        if self.options.read_only {
            self.error(
                "This is a reading seat (--read-only): an export for publication records its decisions in the database, so it needs a seat that can write. Export anonymised instead, or from a seat that can write.",
            );
        }
        self.options.read_only
    }

    pub(crate) fn error(&mut self, text: impl Into<String>) {
        let text = text.into();
        self.log_message(&text, true);
        self.status = Some(Status {
            text,
            is_error: true,
        });
    }

    /// The local time now, as the status lines show it (HH:MM:SS).
    pub(crate) fn clock_time(&self) -> String {
        self.clock
            .to_local(self.clock.now_utc())
            .format("%H:%M:%S")
            .to_string()
    }

    /// Keeps a message shown in the session's message log, with the local time.
    pub(crate) fn log_message(&mut self, text: &str, is_error: bool) {
        let at = self.clock_time();
        self.messages.push(at, text, is_error);
    }

    /// Opens the help over whatever has the keyboard.
    pub(crate) fn open_help(&mut self) {
        self.overlays
            .push(Overlay::Help(overlay::help::Help::default()));
    }

    /// Information for the status line; it never replaces an error still shown (an error
    /// stays until a key is pressed).
    pub(crate) fn info(&mut self, text: impl Into<String>) {
        if self.status.as_ref().is_some_and(|s| s.is_error) {
            return;
        }
        let text = text.into();
        self.log_message(&text, false);
        self.status = Some(Status {
            text,
            is_error: false,
        });
    }

    /// The one state transition: applies `msg` and says what the loop should do.
    pub fn update(&mut self, msg: Msg) -> Effect {
        match msg {
            Msg::Shutdown => {
                // A dropped connection or a stop: keep what was being typed.
                self.save_form_draft();
                self.save_draft_now();
                self.leave_seat();
                Effect::Quit
            }
            Msg::Suspend => self.suspend(),
            Msg::TimelineFound(found) => self.on_timeline_found(*found),
            Msg::Resize(w, h) => {
                self.size = (w, h);
                Effect::Redraw
            }
            Msg::DatabaseChanged => {
                let changed = self.notice_other_users();
                if changed {
                    self.prepare_pane_data();
                }
                // Seat rows are commits: who else is here is read when the data changed
                // (and a presence row the database was too busy for is written now).
                let presence = if changed {
                    self.read_presence()
                } else {
                    self.write_presence();
                    false
                };
                // Another's commit may have freed the database for lines waiting.
                let flushed = self.lines_waiting() && self.flush_waiting();
                self.drawn_unless_covered(changed || presence || flushed)
            }
            Msg::SaveDrafts => {
                let form = self.save_form_draft();
                let minutes = self.save_draft_now();
                self.drawn_unless_covered(form || minutes)
            }
            Msg::Retry => {
                let flushed = self.flush_waiting();
                self.drawn_unless_covered(flushed)
            }
            Msg::Midnight => {
                let today = self.clock.today();
                if today == self.today {
                    return Effect::None;
                }
                self.today = today;
                self.refresh();
                self.drawn_unless_covered(true)
            }
            Msg::Idle(now) => {
                if self.cover_due().is_some_and(|due| now >= due) {
                    self.covered = true;
                    Effect::Redraw
                } else {
                    Effect::None
                }
            }
            Msg::PasteMore(text) => {
                if self.paste_dropped {
                    self.last_input = Instant::now();
                    return Effect::None;
                }
                self.update(Msg::Paste(text))
            }
            Msg::Paste(text) => {
                self.last_input = Instant::now();
                self.paste_dropped = self.covered;
                if self.covered {
                    // Pasted blind, into a place the cover hides (PuTTY pastes on a right
                    // click, a common way to wake a screen): it only uncovers. The text is
                    // still on the clipboard, and the status line says to paste it again.
                    self.covered = false;
                    self.info("The screen was covered, so the paste was not used: paste it again.");
                    return Effect::Redraw;
                }
                if self.overlays.is_empty() && self.paste_into_minutes(&text) {
                    Effect::Redraw
                } else if let Some(form) = self.overlays.top_mut().and_then(Overlay::form_mut) {
                    form.paste(&text);
                    Effect::Redraw
                } else if self.filter_editing {
                    let line = text.replace(['\r', '\n'], " ");
                    self.filter_mut().push_str(&line);
                    self.after_filter_change();
                    Effect::Redraw
                } else {
                    Effect::None
                }
            }
            Msg::Key(key) => {
                if key.kind == KeyEventKind::Release {
                    return Effect::None;
                }
                self.last_input = Instant::now();
                if self.covered {
                    // The first key only uncovers: it is not passed on (Enter does not
                    // commit, q does not quit).
                    self.covered = false;
                    return Effect::Redraw;
                }
                let had_status = self.status.take().is_some();
                let form_before = self.overlays.form_draft_place();
                let effect = self.on_key(key);
                self.after_form_key(form_before);
                // A line refused while another was being typed comes back once the input
                // is empty.
                let put_back = !self.seat.refused.is_empty() && self.put_back_refused();
                self.prepare_pane_data();
                let effect = if put_back && effect == Effect::None {
                    Effect::Redraw
                } else {
                    effect
                };
                match effect {
                    Effect::None if had_status => Effect::Redraw,
                    other => other,
                }
            }
        }
    }

    /// Redraw when something shown changed, unless the screen is covered (the cover
    /// stays as it is: nothing of the case is drawn, nothing is sent).
    fn drawn_unless_covered(&self, changed: bool) -> Effect {
        if changed && !self.covered {
            Effect::Redraw
        } else {
            Effect::None
        }
    }

    /// When the screen is to be covered: `lock_after` after the last key or
    /// paste; `None` when it is covered already or never is.
    pub fn cover_due(&self) -> Option<Instant> {
        if self.covered {
            return None;
        }
        self.lock_after
            .and_then(|after| self.last_input.checked_add(after))
    }

    /// Whether typed text waits to be saved as a draft (the minutes input, or an open
    /// form): the loop then sends [`Msg::SaveDrafts`] a moment later.
    pub fn draft_pending(&self) -> bool {
        let form = self.overlays.form_draft_place().is_some()
            && self.overlays.top_form().is_some_and(|f| f.dirty);
        form || self.minuting().is_some_and(|m| m.draft_dirty)
    }

    /// Reads what the pane in front needs beyond the lists (the timeline's window and its
    /// long silences, the terms' coverage) once per change of data, here in the update
    /// rather than in drawing, which only reads state.
    fn prepare_pane_data(&mut self) {
        if self.silences_open() {
            return;
        }
        let Some(ws) = &mut self.workspace else {
            return;
        };
        // Coverage follows links made anywhere (other panes, other users): read when the
        // Terms pane comes to the front and again only once the data changed, never per key
        // that only moves, nor per frame.
        if ws.pane == Pane::Terms {
            if let Err(e) = panes::terms::ensure_coverage(&self.store, ws) {
                self.error(e.to_string());
            }
            return;
        }
        ws.terms.forget_coverage();
        if ws.pane != Pane::Timeline {
            return;
        }
        if let Err(e) = ws.timeline.prepare(&self.store, &ws.case) {
            self.error(e.to_string());
        }
    }

    /// Form drafts: a form that closed (saved or cancelled) drops its draft; a form that
    /// just opened gets back the text a crash or a dropped connection left in it.
    fn after_form_key(&mut self, before: Option<String>) {
        let now = self.overlays.form_draft_place();
        if let Some(place) = &before
            && now.as_ref() != Some(place)
            && let Err(e) = self.keep_draft(place, "", "")
        {
            self.error(e);
        }
        if let Some((place, form)) = self.keep_draft_after_key.take()
            && let Err(e) = self.keep_draft(&place, &form.title, &form.draft())
        {
            self.error(e);
        }
        let Some(place) = now else { return };
        // The store is asked once, when the form opens, not on every key typed into it.
        if self
            .overlays
            .top()
            .and_then(Overlay::form)
            .is_none_or(|f| f.draft_checked)
        {
            return;
        }
        let draft = self.take_draft(&place);
        let clock = self.clock.clone();
        if let Some(form) = self.overlays.top_mut().and_then(Overlay::form_mut)
            && !form.draft_checked
        {
            form.draft_checked = true;
            if let Some((draft, more)) = draft
                && form.restore(&draft.text)
            {
                let when = crate::time::parse_stamp(&draft.saved_at)
                    .map(|t| clock.to_local(t).format("%d %b %H:%M").to_string())
                    .unwrap_or_default();
                let more = if more > 0 {
                    format!(" ({more} more from other closed windows come back next time)")
                } else {
                    String::new()
                };
                form.message = Some(format!(
                    "Your unsaved text from {when} is back: Ctrl+O saves it, Esc offers to drop it.{more}"
                ));
            }
        }
    }

    /// Saves the text typed into an open form, if it changed since the last save.
    /// When the database will not take it, the text is kept in the file of unsaved text.
    fn save_form_draft(&mut self) -> bool {
        let Some(place) = self.overlays.form_draft_place() else {
            return false;
        };
        let Some(form) = self.overlays.top_form_mut() else {
            return false;
        };
        if !form.dirty {
            return false;
        }
        let (text, title) = (form.draft(), form.title.clone());
        form.dirty = false;
        match self.keep_draft(&place, &title, &text) {
            Ok(()) => true,
            Err(e) => {
                if let Some(form) = self.overlays.top_form_mut() {
                    form.dirty = true;
                    form.message = Some(e);
                }
                false
            }
        }
    }

    /// Leaving (q, Ctrl+C): what is typed is saved as a draft; only text the database would
    /// not take makes it ask first (a second Ctrl+C, or y, leaves).
    pub(crate) fn quit(&mut self) -> Effect {
        self.save_form_draft();
        self.save_draft_now();
        let waiting = self.seat.waiting.len();
        if (self.unsaved.is_empty() && waiting == 0)
            || self.asking(overlay::confirm::AppQuestion::Quit)
        {
            self.leave_seat();
            return Effect::Quit;
        }
        if !self.unsaved.is_empty() {
            let file = match &self.unsaved.file {
                Some(path) => format!("It is kept in {}", path.display()),
                None => "It could not be kept in a file either".to_string(),
            };
            self.ask(
                "Leave with text not saved?",
                format!(
                    "Some typed text could not be saved in your drafts folder (is the disk full?). {file}, and it is printed when you leave.\nLeave now?"
                ),
                panes::ConfirmTarget::App(overlay::confirm::AppQuestion::Quit),
            );
        } else {
            self.ask(
                "Leave with lines not written?",
                format!(
                    "{waiting} line{} of minutes {} not in the database yet ({}). {} kept in your drafts ({}) and written when you next open the meeting; {} printed when you leave.\nLeave now?",
                    if waiting == 1 { "" } else { "s" },
                    if waiting == 1 { "is" } else { "are" },
                    self.seat
                        .holder
                        .as_deref()
                        .map_or("the database would not take them".to_string(), |h| format!("held by {h}")),
                    if waiting == 1 { "It is" } else { "They are" },
                    self.seat.files.folder().display(),
                    if waiting == 1 { "it is" } else { "they are" },
                ),
                panes::ConfirmTarget::App(overlay::confirm::AppQuestion::Quit),
            );
        }
        Effect::Redraw
    }

    /// What to print once the terminal is restored: text the drafts file would not take,
    /// and lines of minutes not yet written (with where they are kept). `None` when all is
    /// saved.
    pub fn leaving_report(&self) -> Option<String> {
        let mut parts: Vec<String> = Vec::new();
        if let Some(report) = self.unsaved.report() {
            parts.push(report);
        }
        let lines: Vec<&crate::seat::WaitingLine> = self
            .seat
            .waiting
            .iter()
            .chain(self.seat.refused.iter())
            .collect();
        if !lines.is_empty() {
            let mut out = format!(
                "dhr: {} line{} of minutes not written to the database; kept in {} and written (or offered back) when you next open the meeting:",
                lines.len(),
                if lines.len() == 1 { "" } else { "s" },
                crate::domain::text::sanitize(&self.seat.files.own_file().display().to_string())
            );
            for line in lines {
                out.push('\n');
                out.push_str(&crate::domain::text::sanitize(&line.text));
            }
            parts.push(out);
        }
        (!parts.is_empty()).then(|| parts.join("\n"))
    }

    /// Ctrl+C: leaves, but while a meeting is open for minuting asks first
    /// (Windows users press Ctrl+C to copy); a no keeps everything, the draft too, and a
    /// second Ctrl+C at the question leaves.
    fn on_ctrl_c(&mut self) -> Effect {
        if self.asking(overlay::confirm::AppQuestion::QuitMeeting) {
            self.overlays.pop();
            return self.quit();
        }
        // With lines waiting or text not saved, leaving asks its own question instead.
        let quit_asks = !self.unsaved.is_empty() || !self.seat.waiting.is_empty();
        if self.minuting_open() && !quit_asks && !self.asking(overlay::confirm::AppQuestion::Quit) {
            self.ask(
                "Quit during the meeting?",
                "Ctrl+C quits DHR Panel. What you typed is kept as a draft and comes back when you open the meeting again.\n(To copy text in PuTTY or Windows Terminal, select it with the mouse instead.)\nQuit now?",
                panes::ConfirmTarget::App(overlay::confirm::AppQuestion::QuitMeeting),
            );
            return Effect::Redraw;
        }
        self.quit()
    }

    /// Opens the session's message log over whatever has the keyboard, scrolled to the
    /// newest; closes it when it is on top.
    pub(crate) fn toggle_message_log(&mut self) {
        if matches!(self.overlays.top(), Some(Overlay::Report(r)) if r.title == overlay::report::MESSAGE_LOG)
        {
            self.overlays.pop();
            return;
        }
        let text = if self.messages.is_empty() {
            "No messages yet in this session.".to_string()
        } else {
            self.messages
                .iter()
                .map(|m| format!("{} {} {}", m.at, if m.is_error { "!" } else { " " }, m.text))
                .collect::<Vec<_>>()
                .join("\n")
        };
        // Newest last, in view: scrolled to the end of the text as the box wraps it (the
        // box is the body of the screen, at most 110 wide, inside its border).
        let width = self.size.0.min(110).saturating_sub(2).max(1);
        let height = self.size.1.saturating_sub(5).max(1);
        let rows = ratatui::widgets::Paragraph::new(text.as_str())
            .wrap(ratatui::widgets::Wrap { trim: false })
            .line_count(width);
        let mut report = overlay::Report::new(overlay::report::MESSAGE_LOG, text);
        report.scroll = u16::try_from(rows.saturating_sub(usize::from(height))).unwrap_or(u16::MAX);
        self.overlays.push(Overlay::Report(report));
    }

    /// Ctrl+Z: stops at once, but in a text input (where Windows users press it to undo)
    /// asks first; Ctrl+Z again at the question stops.
    fn on_ctrl_z(&mut self) -> Effect {
        if self.asking(overlay::confirm::AppQuestion::Suspend) {
            self.overlays.pop();
            return self.suspend();
        }
        if matches!(self.place(), Place::MinutesInput | Place::Form) {
            self.ask(
                "Stop for now?",
                "Ctrl+Z stops DHR Panel for now, as other terminal programs do: what you typed is kept as a draft, and fg in the shell brings it back.\n(To take back a saved line, type /undo.)",
                panes::ConfirmTarget::App(overlay::confirm::AppQuestion::Suspend),
            );
            return Effect::Redraw;
        }
        self.suspend()
    }

    /// Saves what is typed, then asks the loop to stop the program.
    pub(crate) fn suspend(&mut self) -> Effect {
        self.save_form_draft();
        self.save_draft_now();
        Effect::Suspend
    }

    /// Reads everything shown again when another user committed since we last looked,
    /// keeping selections and any text being typed. Returns whether anything changed.
    pub fn notice_other_users(&mut self) -> bool {
        let Ok(version) = self.store.data_version() else {
            return false;
        };
        if version == self.data_version {
            return false;
        }
        self.data_version = version;
        self.refresh();
        let store = &self.store;
        if let Some(ws) = self.workspace.as_mut()
            && let Err(e) = ws.minutes.reload_session(store)
        {
            self.error(e.to_string());
        }
        true
    }

    /// Reloads what is shown after the date or the data changed, keeping selections.
    fn refresh(&mut self) {
        if let Err(e) = self.reload_cases() {
            self.error(e.to_string());
        }
        if let Some(ws) = &mut self.workspace
            && let Err(e) = ws.reload(&self.store, self.today)
        {
            self.status = Some(Status {
                text: e.to_string(),
                is_error: true,
            });
        }
        self.reload_case_view();
    }

    fn filter_mut(&mut self) -> &mut String {
        match &mut self.workspace {
            Some(ws) => &mut ws.cursor_mut().filter,
            None => &mut self.case_cursor.filter,
        }
    }

    fn after_filter_change(&mut self) {
        if self.filter_in_background() {
            return;
        }
        let result = match &mut self.workspace {
            Some(ws) => ws.after_filter_change(&self.store),
            None => {
                self.case_cursor.selected = 0;
                Ok(())
            }
        };
        if let Err(e) = result {
            self.error(e.to_string());
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Effect {
        match keys::lookup(keys::ANYWHERE, &key) {
            Some(keys::Anywhere::Quit) => return self.quit(),
            Some(keys::Anywhere::Interrupt) => return self.on_ctrl_c(),
            Some(keys::Anywhere::Suspend) => return self.on_ctrl_z(),
            Some(keys::Anywhere::Help) => {
                // F1 again closes the help it opened.
                if self.overlays.help_open() {
                    self.overlays.pop();
                } else {
                    self.open_help();
                }
                return Effect::Redraw;
            }
            Some(keys::Anywhere::Log) => {
                self.toggle_message_log();
                return Effect::Redraw;
            }
            None => {}
        }
        if let Some(overlay) = self.overlays.pop() {
            return self.on_overlay_key(overlay, key);
        }
        if self.filter_editing {
            return self.on_filter_key(&key);
        }
        // The minutes input takes every key (q, ?, / and digits are text there).
        if self.place() == Place::MinutesInput {
            return self.on_minutes_input_key(key);
        }
        let Some(pane) = self.workspace.as_ref().map(|ws| ws.pane) else {
            return self.on_case_list_key(key);
        };
        // A pane's own keys first; what it does not use, the list and the workspace handle.
        let own = match pane {
            Pane::Decisions => {
                keys::lookup(panes::decisions::KEYS, &key).and_then(|a| self.on_decisions_key(a))
            }
            Pane::Timeline => {
                keys::lookup(panes::timeline::KEYS, &key).and_then(|a| self.on_timeline_key(a))
            }
            Pane::Challenges => {
                let action = keys::lookup(panes::challenges::KEYS, &key);
                action.and_then(|a| self.on_challenges_key(a))
            }
            Pane::Actions => {
                keys::lookup(panes::actions::KEYS, &key).and_then(|a| self.on_actions_key(a))
            }
            Pane::Terms => {
                keys::lookup(panes::terms::KEYS, &key).and_then(|a| self.on_terms_key(a))
            }
            Pane::Agencies => {
                keys::lookup(panes::agencies::KEYS, &key).and_then(|a| self.on_agencies_key(a))
            }
            // The minuting view when a meeting is open for minuting, else the meetings list.
            Pane::Minutes if self.minuting_open() => {
                keys::lookup(panes::minutes::VIEW_KEYS, &key).and_then(|a| self.on_minuting_key(a))
            }
            Pane::Minutes => {
                keys::lookup(panes::minutes::KEYS, &key).and_then(|a| self.on_minutes_key(a))
            }
            Pane::Family => {
                keys::lookup(panes::family::KEYS, &key).and_then(|a| self.on_family_key(a))
            }
        };
        if let Some(effect) = own {
            return effect;
        }
        let moves = if pane == Pane::Timeline {
            keys::MOVE_TIMELINE
        } else {
            keys::MOVE
        };
        if let Some(step) = keys::lookup(moves, &key) {
            return self.on_move(step);
        }
        match keys::lookup(keys::WORKSPACE, &key) {
            Some(action) => self.on_workspace_key(action, &key),
            None => Effect::None,
        }
    }

    fn on_filter_key(&mut self, key: &KeyEvent) -> Effect {
        match keys::lookup(keys::FILTER, key) {
            Some(keys::FilterKey::Clear) => {
                self.filter_mut().clear();
                self.filter_editing = false;
                self.after_filter_change();
            }
            Some(keys::FilterKey::Keep) => self.filter_editing = false,
            Some(keys::FilterKey::Erase) => {
                if self.filter_mut().pop().is_none() {
                    return Effect::None;
                }
                self.after_filter_change();
            }
            Some(keys::FilterKey::Type) => {
                if let KeyCode::Char(c) = key.code {
                    self.filter_mut().push(c);
                    self.after_filter_change();
                }
            }
            None => return Effect::None,
        }
        Effect::Redraw
    }

    fn page(&self) -> i64 {
        i64::from(self.size.1.saturating_sub(8).max(1))
    }

    /// How far a list key moves the selection.
    fn move_delta(&self, step: keys::Move) -> i64 {
        match step {
            keys::Move::Up => -1,
            keys::Move::Down => 1,
            keys::Move::PageUp => -self.page(),
            keys::Move::PageDown => self.page(),
            keys::Move::First => i64::MIN / 2,
            keys::Move::Last => i64::MAX / 2,
        }
    }

    /// Moves the selection of the list in front.
    fn on_move(&mut self, step: keys::Move) -> Effect {
        let delta = self.move_delta(step);
        let result = match &mut self.workspace {
            Some(ws) => ws.step(&self.store, delta),
            None => {
                let len = self.visible_cases().len();
                match step {
                    keys::Move::First => self.case_cursor.selected = 0,
                    keys::Move::Last => self.case_cursor.step(len as i64, len),
                    _ => self.case_cursor.step(delta, len),
                }
                Ok(())
            }
        };
        if let Err(e) = result {
            self.error(e.to_string());
        }
        Effect::Redraw
    }

    fn on_case_list_key(&mut self, key: KeyEvent) -> Effect {
        if let Some(action) = keys::lookup(panes::case::LIST_KEYS, &key) {
            return self.on_case_list_own_key(action);
        }
        if let Some(step) = keys::lookup(keys::MOVE, &key) {
            return self.on_move(step);
        }
        let Some(action) = keys::lookup(keys::CASE_LIST, &key) else {
            return Effect::None;
        };
        match action {
            keys::CaseListKey::Quit => {
                // Whatever was typed is kept as a draft; leaving asks only when it could not be.
                return self.quit();
            }
            keys::CaseListKey::Help => self.open_help(),
            keys::CaseListKey::Filter => self.filter_editing = true,
            keys::CaseListKey::ClearFilter => {
                if self.case_cursor.filter.is_empty() {
                    return Effect::None;
                }
                self.case_cursor.filter.clear();
            }
            keys::CaseListKey::Open => {
                let Some(id) = self
                    .visible_cases()
                    .get(self.case_cursor.selected)
                    .map(|r| r.case.id)
                else {
                    return Effect::None;
                };
                if let Err(e) = self.open_case(id) {
                    self.error(e.to_string());
                }
            }
            keys::CaseListKey::Demo => self.add_demo(),
            keys::CaseListKey::Log => self.toggle_message_log(),
        }
        Effect::Redraw
    }

    fn add_demo(&mut self) {
        if self.options.read_only {
            self.error(
                "This is a reading seat (--read-only): the demo cases cannot be added here.",
            );
            return;
        }
        match demo::create_demo(&mut self.store, 0) {
            Ok(summary) => {
                if let Err(e) = self.reload_cases() {
                    self.error(e.to_string());
                    return;
                }
                if let Some(i) = self
                    .visible_cases()
                    .iter()
                    .position(|r| r.case.id == summary.case_id)
                {
                    self.case_cursor.selected = i;
                }
                self.info(format!(
                    "Added the fictional demo cases {}: Enter opens DEMO-1.",
                    demo::demo_references()
                ));
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    fn on_workspace_key(&mut self, action: keys::WorkspaceKey, key: &KeyEvent) -> Effect {
        match action {
            keys::WorkspaceKey::Quit => {
                // Whatever was typed is kept as a draft; leaving asks only when it could not be.
                return self.quit();
            }
            keys::WorkspaceKey::Help => {
                self.open_help();
                return Effect::Redraw;
            }
            keys::WorkspaceKey::Filter => {
                self.filter_editing = true;
                return Effect::Redraw;
            }
            keys::WorkspaceKey::Log => {
                self.toggle_message_log();
                return Effect::Redraw;
            }
            _ => {}
        }
        let Some(ws) = &mut self.workspace else {
            return Effect::None;
        };
        let result = match action {
            keys::WorkspaceKey::CaseView => {
                self.open_case_view();
                Ok(())
            }
            keys::WorkspaceKey::GoToPane => {
                if let KeyCode::Char(c @ '1'..='8') = key.code {
                    ws.pane = Pane::ALL[(c as usize) - ('1' as usize)];
                }
                Ok(())
            }
            keys::WorkspaceKey::NextPane => {
                ws.pane = ws.pane.step(true);
                Ok(())
            }
            keys::WorkspaceKey::PreviousPane => {
                ws.pane = ws.pane.step(false);
                Ok(())
            }
            keys::WorkspaceKey::Back
                if ws.pane == Pane::Timeline && !ws.timeline.filter.is_empty() =>
            {
                ws.cursor_mut().filter.clear();
                ws.timeline.filter = crate::domain::filter::TimelineFilter::default();
                ws.after_filter_change(&self.store)
            }
            keys::WorkspaceKey::Back if ws.cursor().filter.is_empty() => {
                self.workspace = None;
                self.reload_cases()
            }
            keys::WorkspaceKey::Back => {
                ws.cursor_mut().filter.clear();
                ws.after_filter_change(&self.store)
            }
            keys::WorkspaceKey::Quit
            | keys::WorkspaceKey::Help
            | keys::WorkspaceKey::Filter
            | keys::WorkspaceKey::Log => Ok(()),
        };
        if let Err(e) = result {
            self.error(e.to_string());
        }
        Effect::Redraw
    }
}
