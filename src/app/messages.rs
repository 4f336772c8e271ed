//! The session's message log: every message the status line or the minutes input showed,
//! with its local time, newest last, so that a message cut at the screen's edge or gone
//! with the next key can be read again (F2, or `L` outside a text input).

use std::collections::VecDeque;

/// How many messages the log keeps; the oldest go first.
pub const LOG_CAP: usize = 500;

/// One message as it was shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    /// Local time, HH:MM:SS.
    pub at: String,
    pub text: String,
    pub is_error: bool,
}

/// The messages of this session, oldest first.
#[derive(Debug, Clone, Default)]
pub struct MessageLog(VecDeque<Logged>);

impl MessageLog {
    /// Adds a message; the same message shown again at once is kept once.
    pub fn push(&mut self, at: String, text: &str, is_error: bool) {
        if text.trim().is_empty() {
            return;
        }
        if self
            .0
            .back()
            .is_some_and(|l| l.text == text && l.is_error == is_error)
        {
            return;
        }
        if self.0.len() >= LOG_CAP {
            self.0.pop_front();
        }
        self.0.push_back(Logged {
            at,
            text: text.to_string(),
            is_error,
        });
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &Logged> {
        self.0.iter()
    }
}
