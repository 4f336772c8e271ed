//! What the timeline is narrowed to: agency, subject, flags, term, dates, text, combined.

use chrono::NaiveDate;

/// Every condition is optional; those set must all hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimelineFilter {
    /// Free text: every word must occur in the entry's text fields or agency code.
    pub text: String,
    pub agency_id: Option<i64>,
    /// Part of a subject's name as written on the entry, any letter case.
    pub subject: String,
    pub key_only: bool,
    pub missed_only: bool,
    pub term_id: Option<i64>,
    /// Entries whose dates could fall on or after this day (undated ones drop out).
    pub from: Option<NaiveDate>,
    /// Entries whose dates could fall on or before this day (undated ones drop out).
    pub to: Option<NaiveDate>,
}

impl TimelineFilter {
    /// Whether nothing narrows the timeline.
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
            && self.agency_id.is_none()
            && self.subject.trim().is_empty()
            && !self.key_only
            && !self.missed_only
            && self.term_id.is_none()
            && self.from.is_none()
            && self.to.is_none()
    }
}
