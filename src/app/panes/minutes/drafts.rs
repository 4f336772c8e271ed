//! The minutes input's draft: what is typed but not yet committed is saved a second after it
//! changed (and on SIGTERM / SIGHUP or leaving) in this seat's private file, and comes back
//! when the meeting opens again — in this seat, or in this login's next seat after a crash.

use crate::app::App;

/// Where a meeting's draft is kept.
pub fn draft_place(meeting_id: i64) -> String {
    format!("meeting:{meeting_id}")
}

impl App {
    /// Saves the draft if the input changed since the last save (a moment after typing,
    /// and SIGTERM / SIGHUP, call this).
    pub(crate) fn save_draft_now(&mut self) -> bool {
        let Some(m) = self.minuting() else {
            return false;
        };
        if !m.draft_dirty {
            return false;
        }
        let place = draft_place(m.meeting.id);
        let what = format!("the minutes input of meeting {}", m.meeting.number);
        let text = m.input_text();
        let result = self.keep_draft(&place, &what, &text);
        let now = self.clock_time();
        if let Some(m) = self.minuting_mut() {
            match result {
                Ok(()) => {
                    m.draft_dirty = false;
                    m.draft_saved_at = Some(now);
                }
                Err(e) => m.message = Some((e, true)),
            }
        }
        true
    }
}
