//! This seat's drafts and waiting lines, kept in its private file (`crate::seat`), and
//! who else is here. Saving a draft never touches the shared database, so it never waits
//! for another user and never slows their reads or backups; another seat's commit never
//! clears it; and only this login's next seat on the same database is offered it back.

use std::collections::BTreeMap;

use crate::seat::{Draft, LeftBehind, SeatFiles, WaitingLine};
use crate::store::seats::SeatKind;

use super::App;

/// The seat's file, its drafts by place, its waiting lines, and the presence row.
#[derive(Debug)]
pub struct SeatState {
    pub files: SeatFiles,
    pub drafts: BTreeMap<String, Draft>,
    /// Lines Enter was pressed on that the database has not taken yet, in order.
    pub waiting: Vec<WaitingLine>,
    /// Lines refused when their turn came: kept here (and in the file) until put back.
    pub refused: Vec<WaitingLine>,
    /// What holds the database, while lines wait.
    pub holder: Option<String>,
    /// The presence row to write (case, meeting) when it could not be written yet.
    pub presence: Option<(Option<i64>, Option<i64>)>,
    /// Who else has the open meeting open (names), read when the database changed.
    pub others_here: Vec<String>,
}

impl SeatState {
    pub fn new(database: &std::path::Path, database_id: &str) -> SeatState {
        let files = SeatFiles::new(database).with_database_id(database_id);
        let own = files.load_own().unwrap_or_default();
        let (refused, waiting) = own.waiting.into_iter().partition(|w| w.refused.is_some());
        SeatState {
            files,
            drafts: own
                .drafts
                .into_iter()
                .map(|d| (d.place.clone(), d))
                .collect(),
            waiting,
            refused,
            holder: None,
            presence: None,
            others_here: Vec::new(),
        }
    }
}

impl App {
    /// Writes the seat's file (drafts, waiting and refused lines). When it cannot be
    /// written (a full disk), every text is also kept by `unsaved`, printed on leaving;
    /// returns the message to show then.
    pub(crate) fn persist_seat(&mut self) -> Result<(), String> {
        let mut lines = self.seat.waiting.clone();
        lines.extend(self.seat.refused.iter().cloned());
        let drafts: Vec<Draft> = self.seat.drafts.values().cloned().collect();
        match self.seat.files.save(&drafts, &lines) {
            Ok(()) => {
                for d in &drafts {
                    self.unsaved.saved(&d.place);
                }
                self.unsaved.saved("waiting");
                Ok(())
            }
            Err(e) => {
                let now = self
                    .clock
                    .to_local(self.clock.now_utc())
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string();
                let mut kept = String::new();
                for d in &drafts {
                    kept = self.unsaved.keep(&d.place, &d.what, &d.text, &now);
                }
                if !lines.is_empty() {
                    let text: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
                    kept = self.unsaved.keep(
                        "waiting",
                        "lines of minutes not yet written",
                        &text.join("\n"),
                        &now,
                    );
                }
                Err(format!(
                    "Your drafts could not be saved in {} ({e}). {kept}",
                    self.seat.files.folder().display()
                ))
            }
        }
    }

    /// Keeps `text` typed at `place` as this seat's draft (empty text drops it).
    pub(crate) fn keep_draft(&mut self, place: &str, what: &str, text: &str) -> Result<(), String> {
        if text.trim().is_empty() {
            if self.seat.drafts.remove(place).is_none() {
                return Ok(());
            }
        } else {
            self.seat.drafts.insert(
                place.to_string(),
                Draft {
                    place: place.to_string(),
                    what: what.to_string(),
                    text: text.to_string(),
                    saved_at: crate::time::stamp(self.clock.now_utc()),
                },
            );
        }
        self.persist_seat()
    }

    /// The draft at `place`: this seat's own, else the oldest left by a gone seat of this
    /// login on this database (taken over: it becomes this seat's, and leaves the old
    /// file). Returns it with how many more gone seats left text there.
    pub(crate) fn take_draft(&mut self, place: &str) -> Option<(Draft, usize)> {
        if let Some(own) = self.seat.drafts.get(place) {
            return Some((own.clone(), 0));
        }
        let mut left: Vec<LeftBehind> = self.seat.files.left_behind(place);
        if left.is_empty() {
            return None;
        }
        let first = left.remove(0);
        self.seat
            .drafts
            .insert(place.to_string(), first.draft.clone());
        // Ours first, then out of the old file: a crash in between loses nothing.
        if self.persist_seat().is_ok() {
            self.seat.files.forget(&first.file, Some(place), &[]);
        }
        Some((first.draft, left.len()))
    }

    /// Lines of meeting `meeting_id` a gone seat of this login had not written: taken
    /// over as this seat's waiting lines (their keys kept, so none is written twice).
    pub(crate) fn adopt_waiting(&mut self, meeting_id: i64) -> usize {
        let left = self.seat.files.waiting_left_behind(meeting_id);
        if left.is_empty() {
            return 0;
        }
        let count = left.len();
        let mut by_file: BTreeMap<std::path::PathBuf, Vec<String>> = BTreeMap::new();
        for (file, line) in left {
            by_file.entry(file).or_default().push(line.key.clone());
            if !self.seat.waiting.iter().any(|w| w.key == line.key) {
                let mut line = line;
                line.refused = None;
                self.seat.waiting.push(line);
            }
        }
        if self.persist_seat().is_ok() {
            for (file, keys) in by_file {
                self.seat.files.forget(&file, None, &keys);
            }
        }
        count
    }

    /// Records where this seat is (its case and meeting) for the others' status lines;
    /// when the database is busy, it is written when the database next changes.
    pub(crate) fn announce_presence(&mut self) {
        let case_id = self.workspace.as_ref().map(|ws| ws.case.id);
        let meeting_id = self.minuting().map(|m| m.meeting.id);
        self.seat.presence = Some((case_id, meeting_id));
        self.write_presence();
    }

    pub(crate) fn write_presence(&mut self) {
        let Some((case_id, meeting_id)) = self.seat.presence else {
            return;
        };
        if self
            .store
            .register_seat(SeatKind::Workspace, case_id, meeting_id, "")
            .is_ok()
        {
            self.seat.presence = None;
            // Our own write: not another user's change.
            if let Ok(v) = self.store.data_version() {
                self.data_version = v;
            }
        }
    }

    /// Who else has the open meeting open, read again (when a meeting opens and when
    /// another seat committed: seat rows are commits). Returns whether it changed.
    pub(crate) fn read_presence(&mut self) -> bool {
        self.write_presence();
        let meeting_id = self.minuting().map(|m| m.meeting.id);
        let names: Vec<String> = match (meeting_id, self.store.other_seats()) {
            (Some(id), Ok(others)) => {
                let mut names: Vec<String> = Vec::new();
                for o in others
                    .iter()
                    .filter(|o| o.kind == "workspace" && o.meeting_id == Some(id))
                {
                    let who = o.seat.who();
                    if !names.contains(&who) {
                        names.push(who);
                    }
                }
                names
            }
            _ => Vec::new(),
        };
        let changed = names != self.seat.others_here;
        self.seat.others_here = names;
        changed
    }

    /// Leaving: the presence row goes (a killed seat's row is ignored by the others).
    pub fn leave_seat(&mut self) {
        let _ = self.store.unregister_seat();
    }
}
