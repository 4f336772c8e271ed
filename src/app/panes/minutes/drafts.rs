//! The minutes input's draft: what is typed but not yet committed is saved every couple of
//! seconds (and on SIGTERM / SIGHUP or leaving), and comes back when the meeting opens.

use crate::app::App;

/// The number of the meeting open for minuting (0 when none).
fn m_number(app: &App) -> i64 {
    app.minuting().map_or(0, |m| m.meeting.number)
}

/// Where a meeting's draft is kept.
pub fn draft_place(meeting_id: i64) -> String {
    format!("meeting:{meeting_id}")
}

impl App {
    /// Saves the draft if the input changed since the last save (the timer, and SIGTERM /
    /// SIGHUP, call this).
    pub(crate) fn save_draft_now(&mut self) -> bool {
        let Some(m) = self.minuting() else {
            return false;
        };
        if !m.draft_dirty {
            return false;
        }
        let (place, text) = (draft_place(m.meeting.id), m.input_text());
        let result = self.store.save_draft(&place, &text);
        let now = self
            .clock
            .to_local(self.clock.now_utc())
            .format("%H:%M:%S")
            .to_string();
        // Text the database will not take is kept in the file of unsaved text (named on
        // screen); once a save succeeds again, it is let go.
        let kept = match &result {
            Ok(()) => {
                self.unsaved.saved(&place);
                None
            }
            Err(_) => {
                let what = format!("the minutes input of meeting {}", m_number(self));
                let stamp = self
                    .clock
                    .to_local(self.clock.now_utc())
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string();
                Some(self.unsaved.keep(&place, &what, &text, &stamp))
            }
        };
        if let Some(m) = self.minuting_mut() {
            match result {
                Ok(()) => {
                    m.draft_dirty = false;
                    m.draft_saved_at = Some(now);
                }
                Err(e) => m.message = Some((format!("{} ({e})", kept.unwrap_or_default()), true)),
            }
        }
        true
    }

    /// Whether a draft is waiting to be saved (the loop then wakes in a couple of seconds).
    pub fn draft_pending(&self) -> bool {
        self.minuting().is_some_and(|m| m.draft_dirty)
    }
}
