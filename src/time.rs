//! Where "today" and "now" come from: the system clock in the binary, a fixed one in tests.
//!
//! `DHR_TODAY` (YYYY-MM-DD) changes only the day the statutory clock and the demo case
//! take as today; stored timestamps always come from the real clock.

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};

/// A source of the current day and time.
pub trait Clock: Send + Sync {
    /// The real current instant, for audit rows, `created_at` and minute times.
    fn now_utc(&self) -> DateTime<Utc>;
    /// The day the statutory clock, overdue markers and the demo case take as today.
    fn today(&self) -> NaiveDate;
    /// A stored UTC instant in the user's local time, for display.
    fn to_local(&self, at: DateTime<Utc>) -> NaiveDateTime;
    /// A local wall-clock time as a UTC instant (the earlier one when clocks go back).
    fn utc_of_local(&self, local: NaiveDateTime) -> DateTime<Utc>;
}

/// The machine's clock in local time, with "today" optionally fixed by `DHR_TODAY`.
#[derive(Debug, Clone, Default)]
pub struct SystemClock {
    today_override: Option<NaiveDate>,
}

impl SystemClock {
    /// Reads `DHR_TODAY`; a value that is not a YYYY-MM-DD date is an error naming it.
    pub fn from_env() -> Result<SystemClock, String> {
        match std::env::var("DHR_TODAY") {
            Ok(value) if !value.trim().is_empty() => {
                let day = NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
                    format!("DHR_TODAY={value} is not a date: write it as YYYY-MM-DD, or unset it")
                })?;
                Ok(SystemClock {
                    today_override: Some(day),
                })
            }
            _ => Ok(SystemClock {
                today_override: None,
            }),
        }
    }
}

impl Clock for SystemClock {
    fn now_utc(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn today(&self) -> NaiveDate {
        self.today_override
            .unwrap_or_else(|| Local::now().date_naive())
    }

    fn to_local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&Local).naive_local()
    }

    fn utc_of_local(&self, local: NaiveDateTime) -> DateTime<Utc> {
        match Local.from_local_datetime(&local).earliest() {
            Some(t) => t.with_timezone(&Utc),
            // A time skipped when clocks go forward: read it as UTC rather than fail.
            None => local.and_utc(),
        }
    }
}

/// A clock that always reads the same day and instant, in a fixed offset from UTC.
#[derive(Debug, Clone)]
pub struct FixedClock {
    pub now: DateTime<Utc>,
    pub today: NaiveDate,
    pub offset: FixedOffset,
}

impl FixedClock {
    /// Today at 10:00 UTC, displayed in UTC.
    pub fn on(today: NaiveDate) -> FixedClock {
        let now = today
            .and_hms_opt(10, 0, 0)
            .map(|t| t.and_utc())
            .unwrap_or_default();
        FixedClock {
            now,
            today,
            offset: Utc.fix(),
        }
    }
}

impl Clock for FixedClock {
    fn now_utc(&self) -> DateTime<Utc> {
        self.now
    }

    fn today(&self) -> NaiveDate {
        self.today
    }

    fn to_local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.offset).naive_local()
    }

    fn utc_of_local(&self, local: NaiveDateTime) -> DateTime<Utc> {
        (local - self.offset).and_utc()
    }
}

/// Formats an instant the way every stored timestamp is written: RFC 3339, UTC, seconds.
pub fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Reads a stored timestamp back.
pub fn parse_stamp(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}
