//! Rules of the SMART action plan and of meeting actions' lateness, with no
//! I/O: "overdue" is derived from the target (or due) date and the status, never stored;
//! a status change decides the completion date; typed scopes, statuses and days are read
//! here; and the plan's structured filter (agency, status) lives here.

use chrono::NaiveDate;

use super::date::{DatePrecision, FuzzyDate};
use super::model::{
    Action, ActionStatus, ClosedReason, Recommendation, RecommendationScope, RecommendationStatus,
};

/// Whether a recommendation is still open: neither complete nor closed (with a reason).
/// The review is concluded only when none is (`stage::plan_move`).
pub fn is_open(status: RecommendationStatus) -> bool {
    !matches!(
        status,
        RecommendationStatus::Complete | RecommendationStatus::Closed
    )
}

/// A recommendation's status in words, a closed one with its reason:
/// "closed (superseded)".
pub fn status_in_words(r: &Recommendation) -> String {
    match (r.status, r.closed_reason) {
        (RecommendationStatus::Closed, Some(why)) => format!("closed ({why})"),
        (status, _) => status.label().to_string(),
    }
}

/// Reads why a recommendation is closed: "superseded", "not accepted" (by its
/// addressee), "merged" (into another), or the start of one of them.
pub fn parse_closed_reason(text: &str) -> Result<ClosedReason, String> {
    use ClosedReason::*;
    let words: [(ClosedReason, &[&str]); 3] = [
        (Superseded, &["superseded", "replaced"]),
        (
            NotAccepted,
            &["not accepted", "not accepted by its addressee", "rejected"],
        ),
        (Merged, &["merged", "merged into another recommendation"]),
    ];
    pick(text, &words).ok_or_else(|| {
        let said = if text.trim().is_empty() {
            "say why it is closed".to_string()
        } else {
            format!("\"{}\" is not a reason for closing", text.trim())
        };
        format!("{said}: write superseded, not accepted (by its addressee) or merged")
    })
}

/// Checks that a closed recommendation says why (any other status carries no reason).
pub fn check_closure(
    status: RecommendationStatus,
    reason: Option<ClosedReason>,
) -> Result<(), String> {
    if status == RecommendationStatus::Closed && reason.is_none() {
        return Err(
            "a closed recommendation says why it was closed: superseded, not accepted \
             by its addressee, or merged (s and closed asks)"
                .to_string(),
        );
    }
    Ok(())
}

/// Whether a recommendation goes beyond the partnership (national or regional): it then
/// records its addressee, the date it was sent and the response.
pub fn is_addressed(scope: RecommendationScope) -> bool {
    matches!(
        scope,
        RecommendationScope::National | RecommendationScope::Regional
    )
}

/// A national or regional recommendation's sending in words, for exports: "to the Home
/// Office, sent 12 Nov 2026; no response yet"; "not sent yet"; "" for any other scope
/// (and for one closed without being sent).
pub fn sending_words(r: &Recommendation) -> String {
    // A closed one never sent says nothing of sending.
    let unsent_closed = r.status == RecommendationStatus::Closed && r.sent_on.is_none();
    if !is_addressed(r.scope) || unsent_closed {
        return String::new();
    }
    let day = |d: NaiveDate| d.format("%d %b %Y").to_string();
    let to = match r.addressee.trim() {
        "" => String::new(),
        a => format!("to {a}, "),
    };
    let Some(sent) = r.sent_on else {
        return format!("{to}not sent yet");
    };
    let response = match (r.response_on, r.response.trim()) {
        (None, "") => "no response yet".to_string(),
        (Some(on), "") => format!("response {}", day(on)),
        (None, text) => format!("response: {text}"),
        (Some(on), text) => format!("response {}: {text}", day(on)),
    };
    format!("{to}sent {}; {response}", day(sent))
}

/// Checks what a national or regional recommendation records of its sending: a date
/// sent needs the addressee; a response needs the date sent and comes on or after it.
pub fn check_sending(r: &Recommendation) -> Result<(), String> {
    if r.sent_on.is_some() && r.addressee.trim().is_empty() {
        return Err(format!(
            "recommendation {} has a date sent but no addressee: say to whom it was sent",
            r.number
        ));
    }
    let responded = r.response_on.is_some() || !r.response.trim().is_empty();
    match (responded, r.sent_on, r.response_on) {
        (true, None, _) => Err(format!(
            "recommendation {} has a response but no date sent: give the date it was sent",
            r.number
        )),
        (_, Some(sent), Some(answered)) if answered < sent => Err(format!(
            "the response ({}) comes before the recommendation was sent ({})",
            answered.format("%d/%m/%Y"),
            sent.format("%d/%m/%Y")
        )),
        _ => Ok(()),
    }
}

/// A recommendation is overdue when its target date has passed and it is still open
/// (neither complete nor closed).
pub fn is_overdue(r: &Recommendation, today: NaiveDate) -> bool {
    days_overdue(r, today).is_some()
}

/// Days past the target date of a recommendation that is not complete; `None` when it
/// is not overdue (complete, no target, or the target is today or later).
pub fn days_overdue(r: &Recommendation, today: NaiveDate) -> Option<i64> {
    let target = r.target_on?;
    (is_open(r.status) && target < today).then(|| (today - target).num_days())
}

/// A meeting action is overdue when its due date has passed and it is not done (an
/// action carried forward is still owed).
pub fn action_is_overdue(a: &Action, today: NaiveDate) -> bool {
    a.status != ActionStatus::Done && a.due_on.is_some_and(|d| d < today)
}

/// The number a new recommendation takes: one more than the highest in use, from 1.
pub fn next_number(numbers: impl IntoIterator<Item = i64>) -> i64 {
    numbers.into_iter().max().map_or(1, |n| n.max(0) + 1)
}

/// The completion date a recommendation keeps after its status is set to `status`.
///
/// Complete: the date typed, else the one already stored, else today; never in the
/// future. Any other status: none — moving off complete clears it. A date typed for a
/// status other than complete is refused, unless it is just the stored date left in
/// place (an edit form shows it), which is then cleared with the status.
pub fn completion_date(
    status: RecommendationStatus,
    typed: Option<NaiveDate>,
    stored: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Option<NaiveDate>, String> {
    if status == RecommendationStatus::Complete {
        let day = typed.or(stored).unwrap_or(today);
        if day > today {
            return Err(format!(
                "{} is in the future: a recommendation is completed on or before today",
                day.format("%d/%m/%Y")
            ));
        }
        return Ok(Some(day));
    }
    match typed {
        Some(day) if Some(day) != stored => Err(format!(
            "a completion date is only for a complete recommendation, and this one is \"{status}\": \
             clear the date, or set the status to complete"
        )),
        _ => Ok(None),
    }
}

/// Checks that a single-agency recommendation names its agency.
pub fn check_scope(scope: RecommendationScope, agency_id: Option<i64>) -> Result<(), String> {
    if scope == RecommendationScope::SingleAgency && agency_id.is_none() {
        return Err(
            "a single-agency recommendation needs its agency: give the agency's code or name, \
             or choose another scope"
                .to_string(),
        );
    }
    Ok(())
}

/// Lower case, `_` and `-` as spaces, single spaces: how typed words are compared.
fn normal(text: &str) -> String {
    text.to_lowercase()
        .replace(['_', '-'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The one value whose label, code or extra word `text` is, or starts, unambiguously.
fn pick<T: Copy>(text: &str, words: &[(T, &[&str])]) -> Option<T> {
    let typed = normal(text);
    if typed.is_empty() {
        return None;
    }
    if let Some((value, _)) = words
        .iter()
        .find(|(_, ws)| ws.iter().any(|w| normal(w) == typed))
    {
        return Some(*value);
    }
    let starting: Vec<T> = words
        .iter()
        .filter(|(_, ws)| ws.iter().any(|w| normal(w).starts_with(&typed)))
        .map(|(v, _)| *v)
        .collect();
    match starting.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// Reads a typed scope: "single" (or "single agency"), "local", "regional", "national",
/// or the start of one of them.
pub fn parse_scope(text: &str) -> Result<RecommendationScope, String> {
    use RecommendationScope::*;
    let words: [(RecommendationScope, &[&str]); 4] = [
        (SingleAgency, &["single agency", "single", "agency"]),
        (Local, &["local"]),
        (Regional, &["regional"]),
        (National, &["national"]),
    ];
    if text.trim().is_empty() {
        return Err(
            "say how far it reaches: single (agency), local, regional or national".to_string(),
        );
    }
    pick(text, &words).ok_or_else(|| {
        format!(
            "\"{}\" is not a scope: write single (agency), local, regional or national",
            text.trim()
        )
    })
}

/// The words that name each status, label first.
fn status_words() -> [(RecommendationStatus, &'static [&'static str]); 5] {
    use RecommendationStatus::*;
    [
        (NotStarted, &["not started", "not_started"]),
        (OnTrack, &["on track", "on_track"]),
        (AtRisk, &["at risk", "at_risk"]),
        (Complete, &["complete", "completed", "done"]),
        (Closed, &["closed"]),
    ]
}

/// Reads a typed status: "not started", "on track", "at risk" or "complete" (or the
/// start of one of them).
pub fn parse_status(text: &str) -> Result<RecommendationStatus, String> {
    pick(text, &status_words()).ok_or_else(|| {
        if text.trim().is_empty() {
            "give the status: not started, on track, at risk, complete or closed".to_string()
        } else {
            format!(
                "\"{}\" is not a status: write not started, on track, at risk, complete or closed",
                text.trim()
            )
        }
    })
}

/// Reads a target or completion date, which must be one day: empty is none. A two-digit
/// year is always 20xx here (a target date is usually ahead, where the chronology's rule
/// "19xx when 20xx lies in the future" would turn 27 into 1927).
pub fn parse_day(text: &str) -> Result<Option<NaiveDate>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    // Only the century of a two-digit year depends on this day.
    let far = NaiveDate::from_ymd_opt(2099, 12, 31).unwrap_or(NaiveDate::MAX);
    let date = FuzzyDate::parse_uk(text, far).map_err(|e| e.to_string())?;
    match (date.precision, date.approximate, date.earliest) {
        (DatePrecision::Day, false, Some(day)) => Ok(Some(day)),
        (DatePrecision::Undated, _, _) => Err(format!(
            "\"{text}\" is not a day: leave the date empty if it is not set yet"
        )),
        (DatePrecision::Day, true, _) => Err(format!(
            "\"{text}\" is approximate: give the day itself, such as 31/03/2027"
        )),
        (precision, _, _) => Err(format!(
            "\"{text}\" is {}: give one day, such as 31/03/2027",
            match precision {
                DatePrecision::Week => "a week",
                DatePrecision::Month => "a month",
                DatePrecision::Season => "a season",
                DatePrecision::Year => "a year",
                DatePrecision::Range => "a range",
                _ => "not one day",
            }
        )),
    }
}

/// What the plan's status filter keeps: one status, or the overdue ones (derived).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Is(RecommendationStatus),
    Overdue,
}

impl StatusFilter {
    /// Reads "overdue" or a status (or the start of one); empty is no filter.
    pub fn parse(text: &str) -> Result<Option<StatusFilter>, String> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        let mut words: Vec<(StatusFilter, &[&str])> = status_words()
            .into_iter()
            .map(|(s, w)| (StatusFilter::Is(s), w))
            .collect();
        words.push((StatusFilter::Overdue, &["overdue", "late"]));
        pick(text, &words).map(Some).ok_or_else(|| {
            format!(
                "\"{}\" is not a status: write not started, on track, at risk, complete, closed or \
                 overdue, or leave it empty for any",
                text.trim()
            )
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::Is(s) => s.label(),
            StatusFilter::Overdue => "overdue",
        }
    }
}

/// The plan narrowed by agency and status; each part is optional and both must hold.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlanFilter {
    pub agency_id: Option<i64>,
    pub status: Option<StatusFilter>,
}

impl PlanFilter {
    /// Whether nothing narrows the plan.
    pub fn is_empty(&self) -> bool {
        self.agency_id.is_none() && self.status.is_none()
    }

    /// Whether a recommendation passes the filter on `today` (overdue depends on it).
    pub fn matches(&self, r: &Recommendation, today: NaiveDate) -> bool {
        let agency = self.agency_id.is_none_or(|id| r.agency_id == Some(id));
        let status = match self.status {
            None => true,
            Some(StatusFilter::Is(s)) => r.status == s,
            Some(StatusFilter::Overdue) => is_overdue(r, today),
        };
        agency && status
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn rec(status: RecommendationStatus, target: Option<NaiveDate>) -> Recommendation {
        Recommendation {
            id: 1,
            case_id: 1,
            number: 1,
            recommendation: "r".into(),
            scope: RecommendationScope::Local,
            agency_id: Some(7),
            action_to_take: String::new(),
            lead_officer: String::new(),
            milestones: String::new(),
            target_on: target,
            completed_on: None,
            outcome: String::new(),
            status,
            closed_reason: None,
            addressee: String::new(),
            sent_on: None,
            response: String::new(),
            response_on: None,
        }
    }

    #[test]
    fn a_closed_recommendation_is_not_open_nor_overdue_and_says_why() {
        use RecommendationStatus::*;
        let today = day(2026, 11, 26);
        let mut r = rec(Closed, Some(day(2026, 11, 1)));
        assert!(!is_open(Closed) && !is_open(Complete) && is_open(AtRisk));
        assert!(!is_overdue(&r, today), "closed is never overdue");
        assert!(check_closure(Closed, None).is_err());
        assert!(check_closure(Closed, Some(ClosedReason::Merged)).is_ok());
        assert!(check_closure(OnTrack, None).is_ok());
        r.closed_reason = Some(ClosedReason::Superseded);
        assert_eq!(status_in_words(&r), "closed (superseded)");
        assert_eq!(
            parse_closed_reason("not acc"),
            Ok(ClosedReason::NotAccepted)
        );
        assert_eq!(parse_closed_reason("Merged"), Ok(ClosedReason::Merged));
        let refused = parse_closed_reason("lost").unwrap_err();
        assert!(refused.contains("superseded, not accepted"), "{refused}");
        assert_eq!(parse_status("closed"), Ok(Closed));
    }

    #[test]
    fn a_sent_recommendation_names_its_addressee_and_a_response_follows_sending() {
        let mut r = rec(RecommendationStatus::OnTrack, None);
        r.scope = RecommendationScope::National;
        assert!(is_addressed(r.scope) && !is_addressed(RecommendationScope::Local));
        assert!(check_sending(&r).is_ok(), "not sent yet");
        r.sent_on = Some(day(2026, 10, 1));
        assert!(check_sending(&r).unwrap_err().contains("no addressee"));
        r.addressee = "Home Office".into();
        assert!(check_sending(&r).is_ok());
        r.response_on = Some(day(2026, 9, 1));
        assert!(check_sending(&r).unwrap_err().contains("comes before"));
        r.response_on = Some(day(2026, 11, 1));
        assert!(check_sending(&r).is_ok());
        r.response = "Will consider in the next guidance".into();
        assert_eq!(
            sending_words(&r),
            "to Home Office, sent 01 Oct 2026; response 01 Nov 2026: Will consider in the next guidance"
        );
        r.sent_on = None;
        assert!(check_sending(&r).unwrap_err().contains("no date sent"));
        r.scope = RecommendationScope::Local;
        assert_eq!(sending_words(&r), "");
    }

    #[test]
    fn overdue_is_a_passed_target_that_is_not_complete() {
        use RecommendationStatus::*;
        let today = day(2026, 11, 26);
        for status in [NotStarted, OnTrack, AtRisk] {
            assert_eq!(
                days_overdue(&rec(status, Some(day(2026, 11, 12))), today),
                Some(14),
                "{status:?}"
            );
        }
        assert!(!is_overdue(&rec(Complete, Some(day(2026, 11, 12))), today));
        assert!(
            !is_overdue(&rec(OnTrack, Some(today)), today),
            "due today is not late"
        );
        assert!(is_overdue(&rec(OnTrack, Some(day(2026, 11, 25))), today));
        assert!(!is_overdue(&rec(AtRisk, None), today), "no target, never");
    }

    #[test]
    fn a_meeting_action_is_overdue_until_done_even_when_carried_forward() {
        let today = day(2026, 11, 26);
        let mut a = Action {
            id: 1,
            case_id: 1,
            text: "t".into(),
            owner: "o".into(),
            agency_id: None,
            due_on: Some(day(2026, 10, 1)),
            status: ActionStatus::CarriedForward,
            meeting_id: None,
            closed_meeting_id: None,
        };
        assert!(action_is_overdue(&a, today));
        a.status = ActionStatus::Done;
        assert!(!action_is_overdue(&a, today));
        a.status = ActionStatus::Open;
        a.due_on = Some(today);
        assert!(!action_is_overdue(&a, today));
    }

    #[test]
    fn the_next_number_follows_the_highest() {
        assert_eq!(next_number([]), 1);
        assert_eq!(next_number([1, 2, 7, 3]), 8);
    }

    #[test]
    fn complete_takes_the_typed_date_else_the_stored_one_else_today() {
        use RecommendationStatus::*;
        let today = day(2026, 11, 26);
        let typed = Some(day(2026, 11, 2));
        let stored = Some(day(2026, 10, 1));
        assert_eq!(completion_date(Complete, typed, stored, today), Ok(typed));
        assert_eq!(completion_date(Complete, None, stored, today), Ok(stored));
        assert_eq!(
            completion_date(Complete, None, None, today),
            Ok(Some(today))
        );
        let future = completion_date(Complete, Some(day(2026, 11, 27)), None, today);
        assert!(future.unwrap_err().contains("in the future"));
    }

    #[test]
    fn leaving_complete_clears_the_date_and_a_new_date_needs_complete() {
        use RecommendationStatus::*;
        let today = day(2026, 11, 26);
        let stored = Some(day(2026, 10, 1));
        for status in [NotStarted, OnTrack, AtRisk] {
            assert_eq!(completion_date(status, None, stored, today), Ok(None));
            assert_eq!(
                completion_date(status, stored, stored, today),
                Ok(None),
                "the stored date left in an edit form is cleared with the status"
            );
            let refused = completion_date(status, Some(day(2026, 11, 1)), stored, today);
            assert!(refused.unwrap_err().contains("only for a complete"));
        }
    }

    #[test]
    fn a_single_agency_recommendation_names_its_agency() {
        assert!(check_scope(RecommendationScope::SingleAgency, None).is_err());
        assert!(check_scope(RecommendationScope::SingleAgency, Some(1)).is_ok());
        assert!(check_scope(RecommendationScope::National, None).is_ok());
    }

    #[test]
    fn scopes_and_statuses_are_read_from_labels_codes_and_clear_starts() {
        use RecommendationScope::*;
        use RecommendationStatus::*;
        assert_eq!(parse_scope("single"), Ok(SingleAgency));
        assert_eq!(parse_scope("Single Agency"), Ok(SingleAgency));
        assert_eq!(parse_scope(" NATIONAL "), Ok(National));
        assert_eq!(parse_scope("reg"), Ok(Regional));
        assert!(parse_scope("").unwrap_err().contains("how far"));
        assert!(parse_scope("global").unwrap_err().contains("not a scope"));
        assert_eq!(parse_status("at risk"), Ok(AtRisk));
        assert_eq!(parse_status("AT_RISK"), Ok(AtRisk));
        assert_eq!(parse_status("not-started"), Ok(NotStarted));
        assert_eq!(parse_status("on"), Ok(OnTrack));
        assert_eq!(parse_status("done"), Ok(Complete));
        assert!(parse_status("late").unwrap_err().contains("not a status"));
    }

    #[test]
    fn plan_dates_are_one_day_and_two_digit_years_are_this_century() {
        assert_eq!(parse_day(""), Ok(None));
        assert_eq!(parse_day("31/03/2027"), Ok(Some(day(2027, 3, 31))));
        assert_eq!(parse_day("31/03/27"), Ok(Some(day(2027, 3, 31))));
        assert_eq!(parse_day("2027-03-31"), Ok(Some(day(2027, 3, 31))));
        assert!(parse_day("March 2027").unwrap_err().contains("a month"));
        assert!(
            parse_day("c. 31/03/2027")
                .unwrap_err()
                .contains("approximate")
        );
        assert!(
            parse_day("Unknown")
                .unwrap_err()
                .contains("leave the date empty")
        );
        assert!(parse_day("31/02/2027").unwrap_err().contains("28 days"));
    }

    #[test]
    fn the_filter_keeps_the_agency_and_status_asked_for() {
        use RecommendationStatus::*;
        let today = day(2026, 11, 26);
        let late = rec(AtRisk, Some(day(2026, 11, 1)));
        let mut other = rec(OnTrack, Some(day(2027, 1, 1)));
        other.agency_id = Some(8);
        assert!(PlanFilter::default().matches(&late, today));
        let police = PlanFilter {
            agency_id: Some(7),
            status: None,
        };
        assert!(police.matches(&late, today) && !police.matches(&other, today));
        let overdue = PlanFilter {
            agency_id: None,
            status: Some(StatusFilter::Overdue),
        };
        assert!(overdue.matches(&late, today) && !overdue.matches(&other, today));
        let on_track = PlanFilter {
            agency_id: Some(7),
            status: Some(StatusFilter::Is(OnTrack)),
        };
        assert!(!on_track.matches(&late, today) && !on_track.matches(&other, today));
        assert_eq!(StatusFilter::parse("over"), Ok(Some(StatusFilter::Overdue)));
        assert_eq!(
            StatusFilter::parse("on"),
            Ok(Some(StatusFilter::Is(OnTrack)))
        );
        assert!(
            StatusFilter::parse("o").is_err(),
            "on track or overdue: ambiguous"
        );
        assert_eq!(StatusFilter::parse(" "), Ok(None));
        assert!(StatusFilter::parse("soon").is_err());
    }
}
