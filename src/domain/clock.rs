//! The statutory clock of a review: what is due next and how long is left.
//!
//! A pure function of the recorded dates and "today": the decision is due one calendar
//! month after notification, the overview report six calendar months after the decision
//! unless an extension is recorded. While the review is paused for a parallel proceeding
//! no deadline counts ("timescale to be agreed"); after it resumes, the clock counts again
//! only to an extension recorded after the pause was (the audit trail's order; the date an
//! extension was agreed is not stored), or to a deadline that began after the pause. Once the report is completed the clock reads on time or late, and the
//! later stages show their own dates.

use chrono::{Months, NaiveDate};

use super::model::{Case, QaOutcome, Stage};
use super::review::{Pause, Proceeding, ProceedingKind};

/// How a date is written in the clock: "03 Jun 2027".
const DATE_FORMAT: &str = "%d %b %Y";

/// `date` moved on by whole calendar months, clamped to the end of a shorter month:
/// 31 Jan + 1 month is 28 Feb (29 Feb in a leap year).
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    // chrono clamps to the month's last day and fails only past the year 262,143, far beyond
    // any review; saturating there keeps the signature total without inventing a date.
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// The open pause as the clock shows it: the proceeding it waits for and since when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PauseFacts {
    /// The kind of the proceeding waited for (`None` when the pause names none).
    pub kind: Option<ProceedingKind>,
    /// What is waited for, in words: the proceeding's kind ("criminal trial"), or for a
    /// proceeding of kind "other" (or none) its title or the pause's reason.
    pub pending: String,
    pub since: Option<NaiveDate>,
}

/// The recorded facts of a case that drive its clock. Built in one place from the case,
/// its pauses and proceedings ([`ClockFacts::new`], read by `Store::clock_facts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockFacts {
    pub stage: Stage,
    pub notified_on: Option<NaiveDate>,
    pub decision_on: Option<NaiveDate>,
    /// The open pause, if the review is paused.
    pub pause: Option<PauseFacts>,
    /// When no pause is open: the day the latest pause began and the day it ended.
    pub last_pause: Option<(Option<NaiveDate>, NaiveDate)>,
    pub extended_to: Option<NaiveDate>,
    /// Whether `extended_to` was written after the latest pause was recorded (the audit
    /// trail's order). Only such an extension is the "new date" a resumed review counts to.
    pub extended_after_pause: bool,
    pub report_completed_on: Option<NaiveDate>,
    pub ho_submitted_on: Option<NaiveDate>,
    pub qa_outcome: Option<QaOutcome>,
    pub qa_outcome_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
}

impl ClockFacts {
    /// The facts of `case` with its pauses (oldest first) and proceedings;
    /// `extended_after_pause` says whether the extension was recorded after the latest
    /// pause was (the store reads it from the audit trail).
    pub fn new(
        case: &Case,
        pauses: &[Pause],
        proceedings: &[Proceeding],
        extended_after_pause: bool,
    ) -> ClockFacts {
        let latest = pauses.iter().max_by_key(|p| p.id);
        let pause = latest.filter(|p| p.is_open()).map(|p| {
            let proceeding = p
                .proceeding_id
                .and_then(|id| proceedings.iter().find(|x| x.id == id));
            let kind = proceeding.map(|x| x.kind);
            let pending = match proceeding {
                Some(x) if x.kind != ProceedingKind::Other => x.kind.label().to_string(),
                Some(x) if !x.title.trim().is_empty() => x.title.trim().to_string(),
                _ if !p.reason.trim().is_empty() => p.reason.trim().to_string(),
                _ => "a reason not recorded".to_string(),
            };
            PauseFacts {
                kind,
                pending,
                since: p.since,
            }
        });
        let last_pause = latest.and_then(|p| p.resumed_on.map(|on| (p.since, on)));
        ClockFacts {
            stage: case.stage,
            notified_on: case.notified_on,
            decision_on: case.decision_on,
            pause,
            last_pause,
            extended_to: case.extended_to,
            extended_after_pause: latest.is_some() && extended_after_pause,
            report_completed_on: case.report_completed_on,
            ho_submitted_on: case.ho_submitted_on,
            qa_outcome: case.qa_outcome,
            qa_outcome_on: case.qa_outcome_on,
            published_on: case.published_on,
        }
    }
}

/// Which statutory deadline is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DueKind {
    /// The decision whether to hold a review.
    Decision,
    /// The overview report.
    Report,
}

impl DueKind {
    /// "Decision" or "Report".
    pub fn label(self) -> &'static str {
        match self {
            DueKind::Decision => "Decision",
            DueKind::Report => "Report",
        }
    }
}

/// Where the clock stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClockState {
    /// Neither a notification nor a decision date is recorded.
    NotStarted,
    /// A deadline is running; `days_left` is negative once it has passed.
    Running {
        due_kind: DueKind,
        due: NaiveDate,
        days_left: i64,
        /// A recorded extension set `due` to something other than six months on.
        extended: bool,
    },
    /// The review is paused waiting for a parallel proceeding: no deadline counts, the
    /// timescale is to be agreed.
    Paused {
        due_kind: DueKind,
        /// What is waited for, in words, and its kind (for the short form).
        pending: String,
        kind: Option<ProceedingKind>,
        since: Option<NaiveDate>,
        /// Days since the pause began (`None` without its date).
        days: Option<i64>,
    },
    /// The review resumed and no new due date was recorded since the pause: nothing
    /// counts until one is.
    Resumed {
        due_kind: DueKind,
        on: NaiveDate,
        /// The due date before the pause.
        original: NaiveDate,
        /// That date came from an extension (so it is no "original" date).
        extended: bool,
    },
    /// The overview report was completed; the clock stopped.
    Completed {
        completed_on: NaiveDate,
        due: NaiveDate,
        /// 0 when it was completed on or before the due date.
        late_by_days: i64,
    },
    /// The report was submitted to the Home Office.
    Submitted { on: NaiveDate, late_by_days: i64 },
    /// The Home Office QA panel answered.
    QaOutcome {
        outcome: QaOutcome,
        on: Option<NaiveDate>,
        late_by_days: i64,
    },
    /// The report was published.
    Published { on: NaiveDate, late_by_days: i64 },
}

/// The statutory clock of one case on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatutoryClock {
    pub state: ClockState,
}

/// The clock for `facts` as it reads on `today`.
///
/// Dates drive the clock, the stage only settles one doubt: with no decision date, a case
/// still at notification or decision stage runs the decision clock even if an extension of
/// the report is recorded.
pub fn statutory_clock(facts: &ClockFacts, today: NaiveDate) -> StatutoryClock {
    let report_due = report_due(facts);
    let state = later_stage(facts, report_due)
        .or_else(|| completed(facts, report_due))
        .unwrap_or_else(|| running(facts, report_due, today));
    StatutoryClock { state }
}

/// The report's due date and whether an extension moved it, once the report clock runs.
fn report_due(facts: &ClockFacts) -> Option<(NaiveDate, bool)> {
    let deciding =
        facts.decision_on.is_none() && matches!(facts.stage, Stage::Notified | Stage::Decision);
    if deciding {
        return None;
    }
    let standard = facts.decision_on.map(|decided| add_months(decided, 6));
    match facts.extended_to {
        // An extension to the very date the report was due anyway moved nothing.
        Some(extended) => Some((extended, standard != Some(extended))),
        None => standard.map(|due| (due, false)),
    }
}

fn late_by(done: NaiveDate, due: NaiveDate) -> i64 {
    (done - due).num_days().max(0)
}

/// The latest of the Home Office submission, the QA outcome and publication, if any.
///
/// "Latest" is by date, ties going to the later stage, so a resubmission after a
/// "resubmit" outcome shows as submitted again. A QA outcome without a date counts as
/// following the submission.
fn later_stage(facts: &ClockFacts, report_due: Option<(NaiveDate, bool)>) -> Option<ClockState> {
    let stage_dates = [
        facts.ho_submitted_on,
        facts.qa_outcome_on,
        facts.published_on,
    ];
    // A report submitted, judged or published was complete by then at the latest.
    let completion = facts
        .report_completed_on
        .or_else(|| stage_dates.iter().flatten().min().copied());
    let late_by_days = match (completion, report_due) {
        (Some(done), Some((due, _))) => late_by(done, due),
        _ => 0,
    };
    let mut candidates: Vec<(Option<NaiveDate>, u8, ClockState)> = Vec::new();
    if let Some(on) = facts.ho_submitted_on {
        candidates.push((Some(on), 0, ClockState::Submitted { on, late_by_days }));
    }
    if let Some(outcome) = facts.qa_outcome {
        let on = facts.qa_outcome_on;
        candidates.push((
            on.or(facts.ho_submitted_on),
            1,
            ClockState::QaOutcome {
                outcome,
                on,
                late_by_days,
            },
        ));
    }
    if let Some(on) = facts.published_on {
        candidates.push((Some(on), 2, ClockState::Published { on, late_by_days }));
    }
    candidates
        .into_iter()
        .max_by_key(|(on, rank, _)| (*on, *rank))
        .map(|(_, _, state)| state)
}

/// The stopped report clock, if the report is completed and its due date is known.
fn completed(facts: &ClockFacts, report_due: Option<(NaiveDate, bool)>) -> Option<ClockState> {
    let completed_on = facts.report_completed_on?;
    let (due, _) = report_due?;
    Some(ClockState::Completed {
        completed_on,
        due,
        late_by_days: late_by(completed_on, due),
    })
}

fn running(
    facts: &ClockFacts,
    report_due: Option<(NaiveDate, bool)>,
    today: NaiveDate,
) -> ClockState {
    let (due_kind, due, extended, basis) = match (report_due, facts.notified_on) {
        (Some((due, extended)), _) => (DueKind::Report, due, extended, facts.decision_on),
        (None, Some(notified)) => (
            DueKind::Decision,
            add_months(notified, 1),
            false,
            Some(notified),
        ),
        (None, None) => return ClockState::NotStarted,
    };
    if let Some(pause) = &facts.pause {
        return ClockState::Paused {
            due_kind,
            pending: pause.pending.clone(),
            kind: pause.kind,
            since: pause.since,
            days: pause.since.map(|since| (today - since).num_days().max(0)),
        };
    }
    // After a resumption the old date no longer binds: the clock counts again only to an
    // extension recorded since the pause, or to a deadline that began after it.
    if let Some((since, on)) = facts.last_pause {
        let new_date = facts.extended_after_pause && facts.extended_to.is_some();
        let began_after = matches!((basis, since), (Some(b), Some(s)) if b > s);
        if !new_date && !began_after {
            return ClockState::Resumed {
                due_kind,
                on,
                original: due,
                extended,
            };
        }
    }
    ClockState::Running {
        due_kind,
        due,
        days_left: (due - today).num_days(),
        extended,
    }
}

fn format_date(date: NaiveDate) -> String {
    date.format(DATE_FORMAT).to_string()
}

/// "1 day", "2 days".
fn days(count: i64) -> String {
    if count == 1 {
        "1 day".to_string()
    } else {
        format!("{count} days")
    }
}

impl StatutoryClock {
    /// The clock in the header: "Report due 03 Jun 2027 (189 days)".
    pub fn headline(&self) -> String {
        match self.state {
            ClockState::NotStarted => "No notification date recorded".to_string(),
            ClockState::Running {
                due_kind,
                due,
                days_left,
                extended,
            } => {
                let extended = if extended { ", extended" } else { "" };
                let left = match days_left {
                    0 => "due today".to_string(),
                    left if left > 0 => days(left),
                    overdue => format!("overdue by {}", days(-overdue)),
                };
                format!(
                    "{} due {}{extended} ({left})",
                    due_kind.label(),
                    format_date(due)
                )
            }
            ClockState::Paused {
                ref pending,
                since,
                days: count,
                ..
            } => {
                let since = match (since, count) {
                    (Some(on), Some(n)) => format!(" since {} ({})", format_date(on), days(n)),
                    _ => String::new(),
                };
                format!("paused pending {pending}{since}; timescale to be agreed")
            }
            ClockState::Resumed {
                on,
                original,
                extended,
                ..
            } => format!(
                "resumed {}; no new due date agreed ({} {})",
                format_date(on),
                if extended { "last agreed" } else { "original" },
                format_date(original)
            ),
            ClockState::Completed {
                completed_on,
                late_by_days,
                ..
            } => {
                let verdict = if late_by_days == 0 {
                    "on time".to_string()
                } else {
                    format!("late by {}", days(late_by_days))
                };
                format!("Report completed {} · {verdict}", format_date(completed_on))
            }
            ClockState::Submitted { on, .. } => {
                format!("Submitted to Home Office {}", format_date(on))
            }
            ClockState::QaOutcome { outcome, on, .. } => match on {
                Some(on) => format!("QA: {} {}", outcome.label(), format_date(on)),
                None => format!("QA: {}", outcome.label()),
            },
            ClockState::Published { on, .. } => format!("Published {}", format_date(on)),
        }
    }

    /// The deadline still running, if any.
    pub fn next_due(&self) -> Option<(DueKind, NaiveDate)> {
        match self.state {
            ClockState::Running { due_kind, due, .. } => Some((due_kind, due)),
            _ => None,
        }
    }

    /// The case list's "Next due" column: "Report 03 Jun 2027", "to be agreed" while
    /// paused or resumed with no new date, or "—" when nothing runs.
    pub fn short_due(&self) -> String {
        match &self.state {
            ClockState::Paused { .. } | ClockState::Resumed { .. } => "to be agreed".to_string(),
            _ => match self.next_due() {
                Some((kind, due)) => format!("{} {}", kind.label(), format_date(due)),
                None => "—".to_string(),
            },
        }
    }

    /// The case list's "Clock" column: "189 days", "1 day", "due today", "overdue 3d",
    /// "paused (trial) 45d", "resumed, no date", "on time", "late 5d", "published", or
    /// "—" when nothing is recorded.
    pub fn short_clock(&self) -> String {
        let verdict = |late_by_days: i64| {
            if late_by_days == 0 {
                "on time".to_string()
            } else {
                format!("late {late_by_days}d")
            }
        };
        match &self.state {
            ClockState::NotStarted => "—".to_string(),
            ClockState::Paused { kind, days, .. } => {
                let word = kind.map_or("other", ProceedingKind::short);
                match days {
                    Some(n) => format!("paused ({word}) {n}d"),
                    None => format!("paused ({word})"),
                }
            }
            ClockState::Resumed { .. } => "resumed, no date".to_string(),
            ClockState::Running { days_left, .. } => match *days_left {
                0 => "due today".to_string(),
                left if left > 0 => days(left),
                overdue => format!("overdue {}d", -overdue),
            },
            ClockState::Completed { late_by_days, .. }
            | ClockState::Submitted { late_by_days, .. }
            | ClockState::QaOutcome { late_by_days, .. } => verdict(*late_by_days),
            ClockState::Published { .. } => "published".to_string(),
        }
    }

    /// The clock in a narrow header: the headline, with a pause or a resumption in fewer
    /// words ("paused (trial) since 01 Jun 2020", "resumed 01 Feb 2026; no due date").
    pub fn compact_headline(&self) -> String {
        match &self.state {
            ClockState::Paused { kind, since, .. } => {
                let word = kind.map_or("other", ProceedingKind::short);
                match since {
                    Some(on) => format!("paused ({word}) since {}", format_date(*on)),
                    None => format!("paused ({word})"),
                }
            }
            ClockState::Resumed { on, .. } => {
                format!("resumed {}; no due date", format_date(*on))
            }
            _ => self.headline().replace(", extended", ""),
        }
    }

    /// Whether a running deadline has passed (a paused or resumed review with no new date
    /// is never overdue: its timescale is to be agreed).
    pub fn is_overdue(&self) -> bool {
        matches!(self.state, ClockState::Running { days_left, .. } if days_left < 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::ReviewKind;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    /// Today in the screen sketches.
    fn today() -> NaiveDate {
        ymd(2026, 11, 26)
    }

    fn blank(stage: Stage) -> ClockFacts {
        ClockFacts {
            stage,
            notified_on: None,
            decision_on: None,
            pause: None,
            last_pause: None,
            extended_to: None,
            extended_after_pause: false,
            report_completed_on: None,
            ho_submitted_on: None,
            qa_outcome: None,
            qa_outcome_on: None,
            published_on: None,
        }
    }

    /// A case decided on 03 Dec 2026, so its report is due 03 Jun 2027.
    fn decided() -> ClockFacts {
        ClockFacts {
            notified_on: Some(ymd(2026, 11, 10)),
            decision_on: Some(ymd(2026, 12, 3)),
            ..blank(Stage::Panel)
        }
    }

    fn clock(facts: &ClockFacts) -> StatutoryClock {
        statutory_clock(facts, today())
    }

    #[test]
    fn add_months_clamps_to_month_end() {
        assert_eq!(add_months(ymd(2021, 1, 31), 1), ymd(2021, 2, 28));
        assert_eq!(add_months(ymd(2024, 1, 31), 1), ymd(2024, 2, 29));
        assert_eq!(add_months(ymd(2019, 8, 31), 6), ymd(2020, 2, 29));
        assert_eq!(add_months(ymd(2020, 8, 31), 6), ymd(2021, 2, 28));
        assert_eq!(add_months(ymd(2023, 11, 30), 3), ymd(2024, 2, 29));
        assert_eq!(add_months(ymd(2021, 3, 31), 1), ymd(2021, 4, 30));
        assert_eq!(add_months(ymd(2026, 12, 3), 6), ymd(2027, 6, 3));
        assert_eq!(add_months(ymd(2026, 11, 12), 1), ymd(2026, 12, 12));
        assert_eq!(add_months(ymd(2026, 12, 15), 1), ymd(2027, 1, 15));
        assert_eq!(add_months(ymd(2024, 2, 29), 12), ymd(2025, 2, 28));
        assert_eq!(add_months(ymd(2024, 2, 29), 0), ymd(2024, 2, 29));
        assert_eq!(add_months(NaiveDate::MAX, 1), NaiveDate::MAX);
    }

    #[test]
    fn no_notification_date() {
        let clock = clock(&blank(Stage::Notified));
        assert_eq!(clock.state, ClockState::NotStarted);
        assert_eq!(clock.headline(), "No notification date recorded");
        assert_eq!(clock.short_due(), "—");
        assert_eq!(clock.short_clock(), "—");
        assert_eq!(clock.next_due(), None);
        assert!(!clock.is_overdue());
    }

    #[test]
    fn decision_due_one_month_after_notification() {
        let notified = ClockFacts {
            notified_on: Some(ymd(2026, 11, 12)),
            ..blank(Stage::Notified)
        };
        let clock = clock(&notified);
        assert_eq!(
            clock.state,
            ClockState::Running {
                due_kind: DueKind::Decision,
                due: ymd(2026, 12, 12),
                days_left: 16,
                extended: false,
            }
        );
        assert_eq!(clock.headline(), "Decision due 12 Dec 2026 (16 days)");
        assert_eq!(clock.short_due(), "Decision 12 Dec 2026");
        assert_eq!(clock.short_clock(), "16 days");
        assert_eq!(
            clock.next_due(),
            Some((DueKind::Decision, ymd(2026, 12, 12)))
        );
    }

    #[test]
    fn decision_clock_on_a_month_end() {
        let notified = ClockFacts {
            notified_on: Some(ymd(2027, 1, 31)),
            ..blank(Stage::Decision)
        };
        let clock = statutory_clock(&notified, ymd(2027, 2, 1));
        assert_eq!(
            clock.next_due(),
            Some((DueKind::Decision, ymd(2027, 2, 28)))
        );
        assert_eq!(clock.headline(), "Decision due 28 Feb 2027 (27 days)");
    }

    #[test]
    fn report_due_six_months_after_decision() {
        let clock = clock(&decided());
        assert_eq!(clock.headline(), "Report due 03 Jun 2027 (189 days)");
        assert_eq!(clock.short_due(), "Report 03 Jun 2027");
        assert_eq!(clock.short_clock(), "189 days");
        assert_eq!(clock.next_due(), Some((DueKind::Report, ymd(2027, 6, 3))));
        assert!(!clock.is_overdue());
    }

    #[test]
    fn days_left_one_day_today_and_overdue() {
        let facts = decided();
        let due = ymd(2027, 6, 3);
        let one = statutory_clock(&facts, ymd(2027, 6, 2));
        assert_eq!(one.headline(), "Report due 03 Jun 2027 (1 day)");
        assert_eq!(one.short_clock(), "1 day");
        assert!(!one.is_overdue());
        let on_the_day = statutory_clock(&facts, due);
        assert_eq!(on_the_day.headline(), "Report due 03 Jun 2027 (due today)");
        assert_eq!(on_the_day.short_clock(), "due today");
        assert!(!on_the_day.is_overdue());
        let a_day_late = statutory_clock(&facts, ymd(2027, 6, 4));
        assert_eq!(
            a_day_late.headline(),
            "Report due 03 Jun 2027 (overdue by 1 day)"
        );
        assert_eq!(a_day_late.short_clock(), "overdue 1d");
        assert!(a_day_late.is_overdue());
        let late = statutory_clock(&facts, ymd(2027, 6, 6));
        assert_eq!(
            late.headline(),
            "Report due 03 Jun 2027 (overdue by 3 days)"
        );
        assert_eq!(late.short_clock(), "overdue 3d");
        assert!(matches!(
            late.state,
            ClockState::Running { days_left: -3, .. }
        ));
    }

    #[test]
    fn decision_made_before_notification_stage_moves_on_still_runs_report_clock() {
        // Dates drive the clock: a decision date recorded while the stage still says
        // "decision" starts the report clock.
        let facts = ClockFacts {
            stage: Stage::Decision,
            ..decided()
        };
        assert_eq!(
            clock(&facts).next_due(),
            Some((DueKind::Report, ymd(2027, 6, 3)))
        );
    }

    #[test]
    fn extension_moves_the_due_date() {
        let extended = ClockFacts {
            extended_to: Some(ymd(2027, 9, 30)),
            ..decided()
        };
        let clock = clock(&extended);
        assert_eq!(
            clock.headline(),
            "Report due 30 Sep 2027, extended (308 days)"
        );
        assert_eq!(clock.short_due(), "Report 30 Sep 2027");
        assert!(matches!(
            clock.state,
            ClockState::Running { extended: true, .. }
        ));
        // An "extension" to the original date moved nothing.
        let same = ClockFacts {
            extended_to: Some(ymd(2027, 6, 3)),
            ..decided()
        };
        assert_eq!(
            statutory_clock(&same, today()).headline(),
            "Report due 03 Jun 2027 (189 days)"
        );
    }

    #[test]
    fn extension_without_decision_date_past_decision_stage() {
        let facts = ClockFacts {
            notified_on: Some(ymd(2026, 11, 12)),
            extended_to: Some(ymd(2027, 3, 1)),
            ..blank(Stage::Drafting)
        };
        assert_eq!(
            clock(&facts).headline(),
            "Report due 01 Mar 2027, extended (95 days)"
        );
        // At decision stage with no decision date, the decision clock runs instead.
        let deciding = ClockFacts {
            stage: Stage::Decision,
            ..facts
        };
        assert_eq!(
            clock(&deciding).headline(),
            "Decision due 12 Dec 2026 (16 days)"
        );
    }

    #[test]
    fn no_decision_date_past_decision_stage_keeps_decision_clock() {
        let facts = ClockFacts {
            notified_on: Some(ymd(2026, 9, 1)),
            ..blank(Stage::Panel)
        };
        let clock = clock(&facts);
        assert_eq!(
            clock.headline(),
            "Decision due 01 Oct 2026 (overdue by 56 days)"
        );
        assert!(clock.is_overdue());
    }

    fn paused_for(kind: ProceedingKind, pending: &str, since: NaiveDate) -> Option<PauseFacts> {
        Some(PauseFacts {
            kind: Some(kind),
            pending: pending.into(),
            since: Some(since),
        })
    }

    #[test]
    fn a_paused_review_is_never_overdue() {
        // Paused for a trial, the original due date long passed: no overdue count.
        let paused = ClockFacts {
            notified_on: Some(ymd(2020, 4, 1)),
            decision_on: Some(ymd(2020, 5, 12)),
            pause: paused_for(ProceedingKind::Trial, "criminal trial", ymd(2020, 7, 1)),
            ..blank(Stage::Panel)
        };
        let clock = statutory_clock(&paused, ymd(2026, 11, 26));
        assert_eq!(
            clock.headline(),
            "paused pending criminal trial since 01 Jul 2020 (2339 days); timescale to be agreed"
        );
        assert!(!clock.headline().contains("overdue"));
        assert!(!clock.is_overdue());
        assert_eq!(clock.next_due(), None);
        assert_eq!(clock.short_clock(), "paused (trial) 2339d");
        assert_eq!(clock.short_due(), "to be agreed");
        assert_eq!(clock.compact_headline(), "paused (trial) since 01 Jul 2020");
        let soon = statutory_clock(&paused, ymd(2020, 8, 15));
        assert_eq!(soon.short_clock(), "paused (trial) 45d");
    }

    #[test]
    fn a_pause_for_another_reason_names_it_and_a_pause_without_date() {
        let facts = ClockFacts {
            pause: Some(PauseFacts {
                kind: Some(ProceedingKind::Other),
                pending: "the family's wish to wait".into(),
                since: None,
            }),
            ..decided()
        };
        let clock = clock(&facts);
        assert_eq!(
            clock.headline(),
            "paused pending the family's wish to wait; timescale to be agreed"
        );
        assert_eq!(clock.short_clock(), "paused (other)");
        // A decision clock pauses the same way.
        let deciding = ClockFacts {
            notified_on: Some(ymd(2026, 11, 12)),
            pause: paused_for(ProceedingKind::Inquest, "inquest", ymd(2026, 11, 20)),
            ..blank(Stage::Notified)
        };
        assert_eq!(
            statutory_clock(&deciding, today()).headline(),
            "paused pending inquest since 20 Nov 2026 (6 days); timescale to be agreed"
        );
    }

    #[test]
    fn resumed_with_no_new_date_counts_nothing() {
        let resumed = ClockFacts {
            notified_on: Some(ymd(2020, 4, 1)),
            decision_on: Some(ymd(2020, 5, 12)),
            last_pause: Some((Some(ymd(2020, 7, 1)), ymd(2026, 2, 1))),
            ..blank(Stage::Panel)
        };
        let clock = clock(&resumed);
        assert_eq!(
            clock.headline(),
            "resumed 01 Feb 2026; no new due date agreed (original 12 Nov 2020)"
        );
        assert!(!clock.is_overdue());
        assert_eq!(clock.short_clock(), "resumed, no date");
        assert_eq!(clock.short_due(), "to be agreed");
        // An extension recorded before the pause is not the new date.
        let old_extension = ClockFacts {
            extended_to: Some(ymd(2021, 3, 1)),
            ..resumed.clone()
        };
        assert_eq!(
            statutory_clock(&old_extension, today()).headline(),
            "resumed 01 Feb 2026; no new due date agreed (last agreed 01 Mar 2021)"
        );
    }

    #[test]
    fn resumed_then_extended_counts_to_the_new_date() {
        let facts = ClockFacts {
            notified_on: Some(ymd(2020, 4, 1)),
            decision_on: Some(ymd(2020, 5, 12)),
            last_pause: Some((Some(ymd(2020, 7, 1)), ymd(2026, 2, 1))),
            extended_to: Some(ymd(2027, 6, 3)),
            extended_after_pause: true,
            ..blank(Stage::Panel)
        };
        let clock = clock(&facts);
        assert_eq!(
            clock.headline(),
            "Report due 03 Jun 2027, extended (189 days)"
        );
        let later = statutory_clock(&facts, ymd(2027, 6, 6));
        assert!(later.is_overdue(), "the agreed date counts again");
        assert_eq!(later.short_clock(), "overdue 3d");
    }

    #[test]
    fn a_deadline_that_began_after_the_pause_runs() {
        // Paused while deciding, resumed, then decided: the report clock runs from the decision.
        let facts = ClockFacts {
            last_pause: Some((Some(ymd(2026, 11, 1)), ymd(2026, 11, 20))),
            ..decided()
        };
        assert_eq!(
            clock(&facts).headline(),
            "Report due 03 Jun 2027 (189 days)"
        );
    }

    #[test]
    fn paused_facts_come_from_the_pause_and_its_proceeding() {
        let mut case = Case::new("DEMO-1", ReviewKind::Dhr, "Adult A");
        case.stage = Stage::Panel;
        case.decision_on = Some(ymd(2020, 5, 12));
        let trial = Proceeding {
            id: 7,
            ..Proceeding::new(1, ProceedingKind::Trial, "R v Adult B")
        };
        let pause = Pause {
            id: 3,
            case_id: 1,
            proceeding_id: Some(7),
            since: Some(ymd(2020, 6, 1)),
            reason: "trial".into(),
            resumed_on: None,
            resume_reason: String::new(),
        };
        let facts = ClockFacts::new(
            &case,
            std::slice::from_ref(&pause),
            std::slice::from_ref(&trial),
            true,
        );
        assert_eq!(
            facts.pause,
            paused_for(ProceedingKind::Trial, "criminal trial", ymd(2020, 6, 1))
        );
        assert_eq!(facts.last_pause, None);
        let ended = Pause {
            resumed_on: Some(ymd(2026, 2, 1)),
            ..pause
        };
        let facts = ClockFacts::new(&case, &[ended], &[trial], false);
        assert_eq!(facts.pause, None);
        assert_eq!(
            facts.last_pause,
            Some((Some(ymd(2020, 6, 1)), ymd(2026, 2, 1)))
        );
        assert!(!facts.extended_after_pause);
        // No pause ever: an extension is simply an extension.
        let none = ClockFacts::new(&case, &[], &[], true);
        assert!(!none.extended_after_pause);
    }

    #[test]
    fn completion_stops_the_clock_on_time() {
        let facts = ClockFacts {
            report_completed_on: Some(ymd(2027, 3, 1)),
            ..decided()
        };
        // Long after the due date, the stopped clock still reads on time.
        let clock = statutory_clock(&facts, ymd(2028, 1, 1));
        assert_eq!(
            clock.state,
            ClockState::Completed {
                completed_on: ymd(2027, 3, 1),
                due: ymd(2027, 6, 3),
                late_by_days: 0
            }
        );
        assert_eq!(clock.headline(), "Report completed 01 Mar 2027 · on time");
        assert_eq!(clock.short_clock(), "on time");
        assert_eq!(clock.short_due(), "—");
        assert_eq!(clock.next_due(), None);
        assert!(!clock.is_overdue());
        let on_the_day = ClockFacts {
            report_completed_on: Some(ymd(2027, 6, 3)),
            ..decided()
        };
        assert_eq!(clock_late(&on_the_day), 0);
    }

    fn clock_late(facts: &ClockFacts) -> i64 {
        match clock(facts).state {
            ClockState::Completed { late_by_days, .. } => late_by_days,
            other => panic!("expected a completed clock, got {other:?}"),
        }
    }

    #[test]
    fn completion_late() {
        let late = ClockFacts {
            report_completed_on: Some(ymd(2027, 6, 8)),
            ..decided()
        };
        let clock = clock(&late);
        assert_eq!(
            clock.headline(),
            "Report completed 08 Jun 2027 · late by 5 days"
        );
        assert_eq!(clock.short_clock(), "late 5d");
        let one = ClockFacts {
            report_completed_on: Some(ymd(2027, 6, 4)),
            ..decided()
        };
        assert_eq!(
            statutory_clock(&one, today()).headline(),
            "Report completed 04 Jun 2027 · late by 1 day"
        );
        // Against the extended date, the same completion is on time.
        let extended = ClockFacts {
            extended_to: Some(ymd(2027, 9, 30)),
            ..late
        };
        assert_eq!(clock_late(&extended), 0);
    }

    #[test]
    fn completion_without_any_due_date_falls_back_to_decision_clock() {
        let facts = ClockFacts {
            notified_on: Some(ymd(2026, 11, 12)),
            report_completed_on: Some(ymd(2027, 3, 1)),
            ..blank(Stage::Notified)
        };
        assert_eq!(
            clock(&facts).headline(),
            "Decision due 12 Dec 2026 (16 days)"
        );
    }

    #[test]
    fn later_stages_show_their_own_dates() {
        let submitted = ClockFacts {
            report_completed_on: Some(ymd(2027, 6, 8)),
            ho_submitted_on: Some(ymd(2027, 7, 10)),
            ..decided()
        };
        let clock = clock(&submitted);
        assert_eq!(
            clock.state,
            ClockState::Submitted {
                on: ymd(2027, 7, 10),
                late_by_days: 5
            }
        );
        assert_eq!(clock.headline(), "Submitted to Home Office 10 Jul 2027");
        assert_eq!(clock.short_clock(), "late 5d");
        assert_eq!(clock.short_due(), "—");

        let qa = ClockFacts {
            qa_outcome: Some(QaOutcome::PublishAfterChanges),
            qa_outcome_on: Some(ymd(2027, 8, 12)),
            ..submitted
        };
        let clock = statutory_clock(&qa, today());
        assert_eq!(clock.headline(), "QA: publish after changes 12 Aug 2027");
        assert_eq!(clock.short_clock(), "late 5d");

        let published = ClockFacts {
            published_on: Some(ymd(2027, 10, 1)),
            ..qa
        };
        let clock = statutory_clock(&published, today());
        assert_eq!(
            clock.state,
            ClockState::Published {
                on: ymd(2027, 10, 1),
                late_by_days: 5
            }
        );
        assert_eq!(clock.headline(), "Published 01 Oct 2027");
        assert_eq!(clock.short_clock(), "published");
        assert!(!clock.is_overdue());
    }

    #[test]
    fn qa_outcome_without_date_follows_submission() {
        let facts = ClockFacts {
            report_completed_on: Some(ymd(2027, 3, 1)),
            ho_submitted_on: Some(ymd(2027, 4, 10)),
            qa_outcome: Some(QaOutcome::ContentToPublish),
            ..decided()
        };
        let clock = clock(&facts);
        assert_eq!(clock.headline(), "QA: content to publish");
        assert_eq!(clock.short_clock(), "on time");
        // A date for the outcome alone, with no outcome, shows nothing of QA.
        let date_only = ClockFacts {
            ho_submitted_on: Some(ymd(2027, 4, 10)),
            qa_outcome_on: Some(ymd(2027, 5, 12)),
            ..decided()
        };
        assert_eq!(
            statutory_clock(&date_only, today()).headline(),
            "Submitted to Home Office 10 Apr 2027"
        );
    }

    #[test]
    fn resubmission_after_resubmit_outcome_shows_submitted() {
        let facts = ClockFacts {
            report_completed_on: Some(ymd(2027, 3, 1)),
            ho_submitted_on: Some(ymd(2027, 9, 1)),
            qa_outcome: Some(QaOutcome::Resubmit),
            qa_outcome_on: Some(ymd(2027, 5, 12)),
            ..decided()
        };
        assert_eq!(
            clock(&facts).headline(),
            "Submitted to Home Office 01 Sep 2027"
        );
        let answered = ClockFacts {
            ho_submitted_on: Some(ymd(2027, 4, 10)),
            ..facts
        };
        assert_eq!(clock(&answered).headline(), "QA: resubmit 12 May 2027");
    }

    #[test]
    fn later_stage_without_completion_date_measures_lateness_from_its_date() {
        let facts = ClockFacts {
            ho_submitted_on: Some(ymd(2027, 6, 13)),
            ..decided()
        };
        assert_eq!(
            clock(&facts).state,
            ClockState::Submitted {
                on: ymd(2027, 6, 13),
                late_by_days: 10
            }
        );
        // No decision or extension: nothing to be late against.
        let undecided = ClockFacts {
            published_on: Some(ymd(2027, 6, 13)),
            ..blank(Stage::Published)
        };
        assert_eq!(
            clock(&undecided).state,
            ClockState::Published {
                on: ymd(2027, 6, 13),
                late_by_days: 0
            }
        );
    }

    #[test]
    fn stage_does_not_override_dates() {
        // Moved to Published with nothing recorded beyond the decision: the report clock runs.
        let facts = ClockFacts {
            stage: Stage::Published,
            ..decided()
        };
        assert_eq!(
            clock(&facts).headline(),
            "Report due 03 Jun 2027 (189 days)"
        );
    }

    #[test]
    fn due_kind_labels() {
        assert_eq!(DueKind::Decision.label(), "Decision");
        assert_eq!(DueKind::Report.label(), "Report");
    }
}
