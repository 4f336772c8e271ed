//! Rules about an agency's return: the status lifecycle and when it is overdue.

use chrono::NaiveDate;

use super::model::{Agency, ImrStatus};

/// The statuses a return may move to from `from`: not requested → requested
/// → received → under panel review → accepted; from under review it may be returned for
/// more work and then received again; scoped out (no contact) is terminal, and is only
/// reachable before anything was received.
pub fn allowed_moves(from: ImrStatus) -> &'static [ImrStatus] {
    use ImrStatus::*;
    match from {
        NotRequested => &[Requested, ScopedOut],
        Requested => &[Received, ScopedOut],
        Received => &[UnderReview],
        UnderReview => &[Accepted, Returned],
        Returned => &[Received],
        Accepted | ScopedOut => &[],
    }
}

/// Checks a move of a return's status, saying why an illegal one is refused.
pub fn check_move(from: ImrStatus, to: ImrStatus) -> Result<(), String> {
    if allowed_moves(from).contains(&to) {
        return Ok(());
    }
    let allowed = allowed_moves(from);
    let next = if allowed.is_empty() {
        format!("\"{from}\" is final: nothing follows it")
    } else {
        let names: Vec<&str> = allowed.iter().map(|s| s.label()).collect();
        format!(
            "from \"{from}\" a return can only go to {}",
            names.join(" or ")
        )
    };
    Err(format!(
        "a return cannot go from \"{from}\" to \"{to}\": {next}"
    ))
}

/// Whether a return in this status is still owed by the agency.
pub fn is_outstanding(status: ImrStatus) -> bool {
    matches!(status, ImrStatus::Requested | ImrStatus::Returned)
}

/// Days past the due date of a return that is owed and not received; `None` when it is
/// not overdue.
pub fn days_overdue(agency: &Agency, today: NaiveDate) -> Option<i64> {
    let due = agency.due_on?;
    if is_outstanding(agency.status) && due < today {
        Some((today - due).num_days())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_legal_move_is_allowed_and_every_other_is_refused_with_a_reason() {
        use ImrStatus::*;
        let legal = [
            (NotRequested, Requested),
            (NotRequested, ScopedOut),
            (Requested, Received),
            (Requested, ScopedOut),
            (Received, UnderReview),
            (UnderReview, Accepted),
            (UnderReview, Returned),
            (Returned, Received),
        ];
        for from in ImrStatus::ALL {
            for to in ImrStatus::ALL {
                let result = check_move(*from, *to);
                if legal.contains(&(*from, *to)) {
                    assert_eq!(result, Ok(()), "{from:?} -> {to:?}");
                } else {
                    let reason = result.expect_err(&format!("{from:?} -> {to:?} must be refused"));
                    assert!(
                        reason.contains(from.label()) && reason.contains(to.label()),
                        "{reason}"
                    );
                }
            }
        }
    }

    #[test]
    fn scoped_out_and_accepted_are_final() {
        assert!(allowed_moves(ImrStatus::ScopedOut).is_empty());
        assert!(allowed_moves(ImrStatus::Accepted).is_empty());
        assert!(
            check_move(ImrStatus::ScopedOut, ImrStatus::Requested)
                .unwrap_err()
                .contains("final")
        );
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_requested_return_past_its_due_date_is_overdue_by_whole_days() {
        let mut a = Agency::new("Northgate Police", "POLICE");
        a.status = ImrStatus::Requested;
        a.due_on = Some(day(2026, 10, 1));
        assert_eq!(days_overdue(&a, day(2026, 11, 26)), Some(56));
        assert_eq!(
            days_overdue(&a, day(2026, 10, 1)),
            None,
            "due today is not overdue"
        );
    }

    #[test]
    fn received_accepted_and_scoped_out_returns_are_never_overdue() {
        for status in [
            ImrStatus::Received,
            ImrStatus::UnderReview,
            ImrStatus::Accepted,
            ImrStatus::ScopedOut,
        ] {
            let mut a = Agency::new("X", "X");
            a.status = status;
            a.due_on = Some(day(2020, 1, 1));
            assert_eq!(days_overdue(&a, day(2026, 11, 26)), None, "{status:?}");
        }
    }
}
