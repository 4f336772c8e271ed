//! Rules about an agency's return: when it is overdue (SPEC §3.3).

use chrono::NaiveDate;

use super::model::{Agency, ImrStatus};

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
