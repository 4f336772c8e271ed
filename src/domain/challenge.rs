//! Rules of the challenge log: where a challenge's status may move, what
//! recording a response does to it, when its response is overdue (derived, never
//! stored), and the filter of the challenge and decision logs, written as qualifiers in
//! the pane's filter line (`agency:POLICE status:open meeting:2 words…`).

use chrono::NaiveDate;

use super::model::{Challenge, ChallengeStatus, Decision};

/// The statuses a challenge may move to from `from`:
///
/// - open → answered (once the agency's response is recorded) or escalated;
/// - answered → closed (the panel accepts the answer), escalated, or open again (the
///   answer did not meet the question and a fuller one is awaited);
/// - escalated → answered (the response came after escalation) or closed (settled at
///   the higher level);
/// - closed is final: a question that comes back is a new challenge, so the log shows
///   when it was raised again.
pub fn allowed_moves(from: ChallengeStatus) -> &'static [ChallengeStatus] {
    use ChallengeStatus::*;
    match from {
        Open => &[Answered, Escalated],
        Answered => &[Closed, Escalated, Open],
        Escalated => &[Answered, Closed],
        Closed => &[],
    }
}

/// Checks a move of a challenge's status, saying why an illegal one is refused and what
/// to do instead. `has_response` is whether the agency's response is recorded: a
/// challenge is only "answered" once it is.
pub fn check_move(
    from: ChallengeStatus,
    to: ChallengeStatus,
    has_response: bool,
) -> Result<(), String> {
    if from == to {
        return Err(format!("the challenge is already \"{to}\""));
    }
    let allowed = allowed_moves(from);
    if !allowed.contains(&to) {
        let next = if allowed.is_empty() {
            format!("\"{from}\" is final: raise a new challenge if the question comes back")
        } else {
            let names: Vec<&str> = allowed.iter().map(|s| s.label()).collect();
            format!("from \"{from}\" it can only go to {}", names.join(" or "))
        };
        let hint = if from == ChallengeStatus::Open && to == ChallengeStatus::Closed {
            " (record the agency's response with r, then close it)"
        } else {
            ""
        };
        return Err(format!(
            "a challenge cannot go from \"{from}\" to \"{to}\": {next}{hint}"
        ));
    }
    if to == ChallengeStatus::Answered && !has_response {
        return Err(
            "no response is recorded yet: r records the agency's response, which marks it answered"
                .to_string(),
        );
    }
    Ok(())
}

/// The status after the agency's response is recorded: an open challenge becomes
/// answered; any other keeps its status (an escalated one stays escalated until the
/// panel moves it, a closed one stays closed while its record is corrected).
pub fn status_after_response(status: ChallengeStatus) -> ChallengeStatus {
    match status {
        ChallengeStatus::Open => ChallengeStatus::Answered,
        other => other,
    }
}

/// Whether a challenge in this status still waits for the agency: open, or escalated
/// (escalation does not stop the clock: the agency still owes an answer).
pub fn awaits_response(status: ChallengeStatus) -> bool {
    matches!(status, ChallengeStatus::Open | ChallengeStatus::Escalated)
}

/// Days the response is overdue: the challenge waits for a response and its due date is
/// before `today` (due today is not yet overdue). `None` when it is not overdue.
pub fn days_overdue(c: &Challenge, today: NaiveDate) -> Option<i64> {
    let due = c.response_due?;
    if awaits_response(c.status) && due < today {
        Some((today - due).num_days())
    } else {
        None
    }
}

/// Whether a challenge's response is overdue on `today`.
pub fn is_overdue(c: &Challenge, today: NaiveDate) -> bool {
    days_overdue(c, today).is_some()
}

/// What the status part of a log filter keeps: one status, or the overdue ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    Is(ChallengeStatus),
    Overdue,
}

impl StatusFilter {
    /// The word written in the filter line and in titles.
    pub fn word(self) -> &'static str {
        match self {
            StatusFilter::Is(s) => s.code(),
            StatusFilter::Overdue => "overdue",
        }
    }

    /// Reads a status word (or the unambiguous start of one): open, answered, closed,
    /// escalated or overdue.
    pub fn parse(text: &str) -> Result<StatusFilter, String> {
        let typed = text.trim().to_lowercase();
        let words = StatusFilter::words();
        if let Some((_, s)) = words.iter().find(|(w, _)| *w == typed) {
            return Ok(*s);
        }
        let starting: Vec<StatusFilter> = words
            .iter()
            .filter(|(w, _)| !typed.is_empty() && w.starts_with(&typed))
            .map(|(_, s)| *s)
            .collect();
        match starting.as_slice() {
            [one] => Ok(*one),
            _ => Err(format!(
                "\"{}\" is not a status: write open, answered, closed, escalated or overdue, \
                 or leave it empty for any",
                text.trim()
            )),
        }
    }

    fn words() -> [(&'static str, StatusFilter); 5] {
        use ChallengeStatus::*;
        [
            ("open", StatusFilter::Is(Open)),
            ("answered", StatusFilter::Is(Answered)),
            ("closed", StatusFilter::Is(Closed)),
            ("escalated", StatusFilter::Is(Escalated)),
            ("overdue", StatusFilter::Overdue),
        ]
    }
}

/// A log narrowed by agency (short code), status and meeting, plus free words that must
/// all occur in the record. It is kept as the text of the pane's filter line, so what the
/// filter form sets and what `/` types are one filter, shown and cleared in one place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogFilter {
    pub agency: Option<String>,
    pub status: Option<StatusFilter>,
    pub meeting: Option<i64>,
    pub words: Vec<String>,
}

impl LogFilter {
    /// Reads a filter line. A qualifier whose value is not understood (say `status:o`
    /// while it is being typed) counts as a plain word, which matches nothing.
    pub fn parse(text: &str) -> LogFilter {
        let mut filter = LogFilter::default();
        for token in text.split_whitespace() {
            let Some((key, value)) = token.split_once(':') else {
                filter.words.push(token.to_string());
                continue;
            };
            let understood = match key.to_lowercase().as_str() {
                "agency" if !value.is_empty() => {
                    filter.agency = Some(value.to_string());
                    true
                }
                "status" => match StatusFilter::parse(value) {
                    Ok(s) if !value.is_empty() => {
                        filter.status = Some(s);
                        true
                    }
                    _ => false,
                },
                "meeting" => match value.parse::<i64>() {
                    Ok(n) if n >= 1 => {
                        filter.meeting = Some(n);
                        true
                    }
                    _ => false,
                },
                _ => false,
            };
            if !understood {
                filter.words.push(token.to_string());
            }
        }
        filter
    }

    /// The filter line that reads back as this filter.
    pub fn to_text(&self) -> String {
        let mut parts = Vec::new();
        if let Some(a) = &self.agency {
            parts.push(format!("agency:{a}"));
        }
        if let Some(s) = self.status {
            parts.push(format!("status:{}", s.word()));
        }
        if let Some(n) = self.meeting {
            parts.push(format!("meeting:{n}"));
        }
        parts.extend(self.words.iter().cloned());
        parts.join(" ")
    }

    /// Whether nothing narrows the log.
    pub fn is_empty(&self) -> bool {
        self.agency.is_none()
            && self.status.is_none()
            && self.meeting.is_none()
            && self.words.is_empty()
    }

    /// The filter in words for a title: `agency POLICE · status open · "word"`.
    pub fn describe(&self, separator: &str) -> String {
        let mut parts = Vec::new();
        if let Some(a) = &self.agency {
            parts.push(format!("agency {a}"));
        }
        if let Some(s) = self.status {
            parts.push(format!("status {}", s.word()));
        }
        if let Some(n) = self.meeting {
            parts.push(format!("meeting {n}"));
        }
        if !self.words.is_empty() {
            parts.push(format!("\"{}\"", self.words.join(" ")));
        }
        parts.join(separator)
    }

    fn words_in(&self, haystack: &str) -> bool {
        let hay = haystack.to_lowercase();
        self.words.iter().all(|w| hay.contains(&w.to_lowercase()))
    }

    /// Whether a challenge passes: its agency's short code (any letter case), its status
    /// (or overdue on `today`), the number of the meeting that raised it, and every word
    /// somewhere in its agency, question, status, raiser or response.
    pub fn matches_challenge(
        &self,
        c: &Challenge,
        agency_code: &str,
        meeting: Option<i64>,
        today: NaiveDate,
    ) -> bool {
        let agency = self
            .agency
            .as_ref()
            .is_none_or(|a| a.eq_ignore_ascii_case(agency_code));
        let status = match self.status {
            None => true,
            Some(StatusFilter::Is(s)) => c.status == s,
            Some(StatusFilter::Overdue) => is_overdue(c, today),
        };
        let at = self.meeting.is_none_or(|n| meeting == Some(n));
        agency
            && status
            && at
            && self.words_in(&format!(
                "{agency_code} {} {} {} {}",
                c.question, c.status, c.raised_by, c.response
            ))
    }

    /// Whether a decision passes: the number of its meeting and every word in its text,
    /// rationale or decider. A decision has no agency or status, so a filter naming
    /// either keeps none.
    pub fn matches_decision(&self, d: &Decision, meeting: Option<i64>) -> bool {
        self.agency.is_none()
            && self.status.is_none()
            && self.meeting.is_none_or(|n| meeting == Some(n))
            && self.words_in(&format!("{} {} {}", d.text, d.rationale, d.decided_by))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ChallengeStatus::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn challenge(status: ChallengeStatus, due: Option<NaiveDate>) -> Challenge {
        Challenge {
            id: 1,
            case_id: 1,
            agency_id: Some(1),
            question: "Why was the MARAC referral late?".into(),
            meeting_id: Some(1),
            raised_by: "Helen Ashworth".into(),
            raised_on: Some(day(2026, 3, 1)),
            response_due: due,
            response: String::new(),
            response_on: None,
            status,
        }
    }

    #[test]
    fn every_legal_move_is_allowed_and_every_other_is_refused_with_a_reason() {
        let legal = [
            (Open, Answered),
            (Open, Escalated),
            (Answered, Closed),
            (Answered, Escalated),
            (Answered, Open),
            (Escalated, Answered),
            (Escalated, Closed),
        ];
        for from in ChallengeStatus::ALL {
            for to in ChallengeStatus::ALL {
                let result = check_move(*from, *to, true);
                if legal.contains(&(*from, *to)) {
                    assert_eq!(result, Ok(()), "{from:?} -> {to:?}");
                } else {
                    let reason = result.expect_err("an illegal move is refused");
                    assert!(
                        reason.contains(from.label()) && reason.contains(to.label()),
                        "{from:?} -> {to:?}: the reason names both: {reason}"
                    );
                }
            }
        }
    }

    #[test]
    fn closed_is_final_and_closing_an_open_challenge_says_to_record_the_response() {
        assert!(allowed_moves(Closed).is_empty());
        let reason = check_move(Closed, Escalated, true).unwrap_err();
        assert!(reason.contains("final"), "{reason}");
        let reason = check_move(Open, Closed, false).unwrap_err();
        assert!(reason.contains("record the agency's response"), "{reason}");
    }

    #[test]
    fn answered_needs_a_recorded_response() {
        let reason = check_move(Open, Answered, false).unwrap_err();
        assert!(reason.contains("no response is recorded"), "{reason}");
        assert_eq!(check_move(Escalated, Answered, true), Ok(()));
        assert!(check_move(Escalated, Answered, false).is_err());
        assert!(check_move(Answered, Answered, true).is_err(), "no move");
    }

    #[test]
    fn a_response_answers_an_open_challenge_and_leaves_others_as_they_are() {
        assert_eq!(status_after_response(Open), Answered);
        assert_eq!(status_after_response(Escalated), Escalated);
        assert_eq!(status_after_response(Answered), Answered);
        assert_eq!(status_after_response(Closed), Closed);
    }

    #[test]
    fn overdue_is_derived_from_the_due_date_while_a_response_is_awaited() {
        let today = day(2026, 11, 26);
        let past = Some(day(2026, 11, 20));
        assert_eq!(days_overdue(&challenge(Open, past), today), Some(6));
        assert_eq!(
            days_overdue(&challenge(Escalated, past), today),
            Some(6),
            "escalation does not stop the clock"
        );
        assert_eq!(days_overdue(&challenge(Answered, past), today), None);
        assert_eq!(days_overdue(&challenge(Closed, past), today), None);
        assert!(
            !is_overdue(&challenge(Open, Some(today)), today),
            "due today"
        );
        assert!(!is_overdue(&challenge(Open, None), today), "no due date");
    }

    #[test]
    fn a_filter_line_reads_qualifiers_and_words_and_writes_them_back() {
        let f = LogFilter::parse("Agency:police status:esc meeting:2 MARAC late");
        assert_eq!(f.agency.as_deref(), Some("police"));
        assert_eq!(f.status, Some(StatusFilter::Is(Escalated)));
        assert_eq!(f.meeting, Some(2));
        assert_eq!(f.words, vec!["MARAC", "late"]);
        assert_eq!(
            f.to_text(),
            "agency:police status:escalated meeting:2 MARAC late"
        );
        assert_eq!(LogFilter::parse(&f.to_text()), f);
        let partial = LogFilter::parse("status:o meeting:x");
        assert_eq!(partial.status, None, "open or overdue: ambiguous");
        assert_eq!(partial.meeting, None);
        assert_eq!(partial.words, vec!["status:o", "meeting:x"]);
        assert!(LogFilter::parse("  ").is_empty());
    }

    #[test]
    fn a_challenge_passes_only_when_every_part_of_the_filter_holds() {
        let today = day(2026, 11, 26);
        let c = challenge(Open, Some(day(2026, 11, 1)));
        let pass = |text: &str, code: &str, meeting: Option<i64>| {
            LogFilter::parse(text).matches_challenge(&c, code, meeting, today)
        };
        assert!(pass("", "POLICE", Some(1)));
        assert!(pass("agency:police", "POLICE", Some(1)));
        assert!(!pass("agency:GP", "POLICE", Some(1)));
        assert!(pass("status:open", "POLICE", Some(1)));
        assert!(pass("status:overdue", "POLICE", Some(1)));
        assert!(!pass("status:answered", "POLICE", Some(1)));
        assert!(pass("meeting:1", "POLICE", Some(1)));
        assert!(!pass("meeting:2", "POLICE", Some(1)));
        assert!(!pass("meeting:1", "POLICE", None));
        assert!(pass("marac ashworth", "POLICE", Some(1)));
        assert!(!pass("marac housing", "POLICE", Some(1)));
    }

    #[test]
    fn a_decision_passes_on_its_meeting_and_words_never_on_agency_or_status() {
        let d = Decision {
            id: 1,
            case_id: 1,
            meeting_id: Some(3),
            text: "Request a chronology".into(),
            rationale: "Contacts found".into(),
            decided_by: "Panel".into(),
            decided_on: None,
        };
        assert!(LogFilter::parse("meeting:3 chronology").matches_decision(&d, Some(3)));
        assert!(!LogFilter::parse("meeting:2").matches_decision(&d, Some(3)));
        assert!(!LogFilter::parse("status:open").matches_decision(&d, Some(3)));
        assert!(!LogFilter::parse("agency:GP").matches_decision(&d, Some(3)));
    }

    #[test]
    fn status_words_are_read_whole_or_by_an_unambiguous_start() {
        assert_eq!(
            StatusFilter::parse("ANSWERED"),
            Ok(StatusFilter::Is(Answered))
        );
        assert_eq!(StatusFilter::parse("ov"), Ok(StatusFilter::Overdue));
        assert!(StatusFilter::parse("o").is_err());
        let message = StatusFilter::parse("pending").unwrap_err();
        assert!(message.contains("open, answered, closed, escalated or overdue"));
    }
}
