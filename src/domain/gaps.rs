//! Silent periods: the longest stretches of the review period with no recorded contact
//! from any agency (or from one agency, when the caller passes only its entries). They
//! answer the panel's "what could have been known, and when did nobody see her?".
//!
//! A contact certainly happened somewhere within its fuzzy date's bounds, so a silence is
//! only claimed on days no contact's bounds touch: "c. March 2019" or "2017" rightly keeps
//! a silence out of the whole month or year. "Before X" and "after X" touch only their
//! bound day, or they would blank out years; undated entries touch nothing. Both are
//! counted so the screen can say how far the answer rests on loose dates.

use chrono::{Datelike, Months, NaiveDate};

use super::date::{DatePrecision, FuzzyDate};

/// Days of the review period on which no contact was recorded, `from` to `to` inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SilentPeriod {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl SilentPeriod {
    /// Its length in days, both ends counted.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// Whole calendar months from `from` to the day after `to` (12 Jan to 11 Feb is one).
    fn whole_months(&self) -> u32 {
        let Some(end) = self.to.succ_opt() else {
            return 0;
        };
        let span =
            (end.year() - self.from.year()) * 12 + end.month() as i32 - self.from.month() as i32;
        let mut months = u32::try_from(span.max(0)).unwrap_or(0);
        // The month count overshoots by one when the end falls on an earlier day of its
        // month than the start did.
        if months > 0
            && self
                .from
                .checked_add_months(Months::new(months))
                .is_none_or(|d| d > end)
        {
            months -= 1;
        }
        months
    }

    /// Its length as a reader says it: days under two months, months under two years,
    /// then years and months.
    pub fn length(&self) -> String {
        let months = self.whole_months();
        if months < 2 {
            plural(self.days(), "day")
        } else if months < 24 {
            plural(i64::from(months), "month")
        } else {
            let years = plural(i64::from(months / 12), "year");
            match months % 12 {
                0 => years,
                rest => format!("{years} {}", plural(i64::from(rest), "month")),
            }
        }
    }

    /// "7 months with no recorded contact (12 Jan 2019 – 18 Aug 2019)".
    pub fn describe(&self) -> String {
        let when = if self.from == self.to {
            format_day(self.from)
        } else {
            format!("{} – {}", format_day(self.from), format_day(self.to))
        };
        format!("{} with no recorded contact ({when})", self.length())
    }
}

/// The silences of a review period and what the answer could not take into account.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SilenceReport {
    /// Longest first; equal lengths in date order.
    pub periods: Vec<SilentPeriod>,
    /// Entries that may fall within the period but are dated only to a season, a year, a
    /// range, or as before/after a date: they may hide a silence or shorten one.
    pub loosely_dated: usize,
    /// Undated entries, which could have been anywhere and were left out.
    pub undated: usize,
}

/// The stretches of `period` (inclusive) of at least `min_days` days that no contact's
/// date touches, longest first.
///
/// Per agency: pass only that agency's contacts. An empty or reversed period has no
/// silences (the entries are still counted).
///
/// The contacts are taken one by one (owned or borrowed), so a caller may stream them
/// from the database: only a pair of days per contact is kept.
pub fn silent_periods<D: std::borrow::Borrow<FuzzyDate>>(
    period: (NaiveDate, NaiveDate),
    contacts: impl IntoIterator<Item = D>,
    min_days: i64,
) -> SilenceReport {
    let (from, to) = period;
    let mut report = SilenceReport::default();
    let mut spans: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for date in contacts {
        let date = date.borrow();
        let Some((first, last)) = contact_span(date) else {
            report.undated += 1;
            continue;
        };
        if is_loose(date.precision) && date.overlaps(from, to) {
            report.loosely_dated += 1;
        }
        if last < from || first > to {
            continue;
        }
        spans.push((first.max(from), last.min(to)));
    }
    if from > to {
        return report;
    }
    spans.sort_unstable();
    let mut periods = Vec::new();
    // The first day not yet known to be touched by a contact; None past the last date.
    let mut untouched = Some(from);
    for (first, last) in spans {
        let Some(day) = untouched else {
            break;
        };
        if first > day
            && let Some(day_before) = first.pred_opt()
        {
            periods.push(SilentPeriod {
                from: day,
                to: day_before,
            });
        }
        if last >= day {
            untouched = last.succ_opt();
        }
    }
    if let Some(day) = untouched
        && day <= to
    {
        periods.push(SilentPeriod { from: day, to });
    }
    periods.retain(|p| p.days() >= min_days);
    periods.sort_by(|a, b| b.days().cmp(&a.days()).then(a.from.cmp(&b.from)));
    report.periods = periods;
    report
}

/// The days a contact certainly touches part of, or None when it cannot be placed.
fn contact_span(date: &FuzzyDate) -> Option<(NaiveDate, NaiveDate)> {
    let point = |day: NaiveDate| (day, day);
    match date.precision {
        DatePrecision::Undated => None,
        DatePrecision::Before => date.latest.or(date.earliest).map(point),
        DatePrecision::After => date.earliest.or(date.latest).map(point),
        _ => match (date.earliest, date.latest) {
            (Some(a), Some(b)) => Some((a.min(b), a.max(b))),
            (Some(day), None) | (None, Some(day)) => Some(point(day)),
            (None, None) => None,
        },
    }
}

/// Whether a precision is too loose to place a contact within a month or so.
fn is_loose(precision: DatePrecision) -> bool {
    matches!(
        precision,
        DatePrecision::Season
            | DatePrecision::Year
            | DatePrecision::Range
            | DatePrecision::Before
            | DatePrecision::After
    )
}

fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

fn format_day(day: NaiveDate) -> String {
    day.format("%d %b %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn date(text: &str) -> FuzzyDate {
        FuzzyDate::parse_uk(text, ymd(2026, 11, 26)).unwrap()
    }

    fn silent(from: NaiveDate, to: NaiveDate) -> SilentPeriod {
        SilentPeriod { from, to }
    }

    /// The silences of 2019 among `dates`, of any length.
    fn silences_2019(dates: &[&str]) -> Vec<SilentPeriod> {
        let dates: Vec<FuzzyDate> = dates.iter().map(|d| date(d)).collect();
        let mut periods = silent_periods((ymd(2019, 1, 1), ymd(2019, 12, 31)), &dates, 1).periods;
        periods.sort_by_key(|p| p.from);
        periods
    }

    #[test]
    fn no_contacts_make_the_whole_period_one_silence() {
        let report = silent_periods(
            (ymd(2016, 1, 1), ymd(2020, 4, 7)),
            Vec::<FuzzyDate>::new(),
            28,
        );
        assert_eq!(
            report,
            SilenceReport {
                periods: vec![silent(ymd(2016, 1, 1), ymd(2020, 4, 7))],
                loosely_dated: 0,
                undated: 0,
            }
        );
        assert_eq!(report.periods[0].days(), 1559);
    }

    #[test]
    fn contacts_on_both_end_days_leave_the_middle() {
        assert_eq!(
            silences_2019(&["01/01/2019", "31/12/2019"]),
            [silent(ymd(2019, 1, 2), ymd(2019, 12, 30))]
        );
    }

    #[test]
    fn a_contact_splits_the_period_and_its_own_day_is_not_silent() {
        assert_eq!(
            silences_2019(&["15/06/2019"]),
            [
                silent(ymd(2019, 1, 1), ymd(2019, 6, 14)),
                silent(ymd(2019, 6, 16), ymd(2019, 12, 31)),
            ]
        );
    }

    #[test]
    fn overlapping_nested_and_adjacent_intervals_leave_no_silence_between() {
        // Feb and March touch (28 Feb, 1 Mar); w/c 25/03 overlaps March into April; a day
        // inside March changes nothing; the same day twice counts once.
        assert_eq!(
            silences_2019(&[
                "Feb 2019",
                "Mar 2019",
                "w/c 25/03/2019",
                "10/03/2019",
                "10/03/2019",
                "01/01/2019",
            ]),
            [
                silent(ymd(2019, 1, 2), ymd(2019, 1, 31)),
                silent(ymd(2019, 4, 1), ymd(2019, 12, 31)),
            ]
        );
        // Order of the input does not matter.
        assert_eq!(
            silences_2019(&["w/c 25/03/2019", "Mar 2019", "01/01/2019", "Feb 2019"]),
            silences_2019(&["Feb 2019", "Mar 2019", "w/c 25/03/2019", "01/01/2019"]),
        );
    }

    #[test]
    fn one_free_day_between_contacts_is_a_silence_of_one_day() {
        assert_eq!(
            silences_2019(&[
                "between 01/01/2019 and 09/05/2019",
                "between 11/05/2019 and 31/12/2019"
            ]),
            [silent(ymd(2019, 5, 10), ymd(2019, 5, 10))]
        );
    }

    #[test]
    fn contacts_outside_the_period_are_ignored_and_straddling_ones_clipped() {
        assert_eq!(
            silences_2019(&["12/06/2018", "Dec 2018", "03/01/2020", "2021"]),
            [silent(ymd(2019, 1, 1), ymd(2019, 12, 31))]
        );
        // Winter 2018/19 runs to the end of February 2019; between 2019 and 2020 from
        // 1 Nov covers the rest of the period.
        assert_eq!(
            silences_2019(&["Winter 2018", "between Nov 2019 and Feb 2020"]),
            [silent(ymd(2019, 3, 1), ymd(2019, 10, 31))]
        );
    }

    #[test]
    fn an_approximate_month_keeps_a_silence_out_of_the_whole_month() {
        assert_eq!(
            silences_2019(&["c. March 2019"]),
            [
                silent(ymd(2019, 1, 1), ymd(2019, 2, 28)),
                silent(ymd(2019, 4, 1), ymd(2019, 12, 31)),
            ]
        );
        // A year blanks out a whole year: no silence can be claimed in it at all.
        assert_eq!(silences_2019(&["c. 2019"]), []);
        let dates = [date("c. 2019"), date("Summer 2019"), date("Mar 2019")];
        let report = silent_periods((ymd(2019, 1, 1), ymd(2019, 12, 31)), &dates, 1);
        assert_eq!(
            report.loosely_dated, 2,
            "the year and the season, not the month"
        );
    }

    #[test]
    fn before_and_after_touch_only_their_bound_day() {
        // "before 12/03/2019" is stored as latest 11 Mar; "after 20/09/2019" as earliest
        // 21 Sep. Neither blanks out the years on its open side.
        assert_eq!(
            silences_2019(&["before 12/03/2019", "after 20/09/2019"]),
            [
                silent(ymd(2019, 1, 1), ymd(2019, 3, 10)),
                silent(ymd(2019, 3, 12), ymd(2019, 9, 20)),
                silent(ymd(2019, 9, 22), ymd(2019, 12, 31)),
            ]
        );
        // Bound days outside the period touch nothing in it, but such entries may still
        // fall within it, so they count as loosely dated.
        let dates = [date("before 2019"), date("after 2019"), date("after 2020")];
        let report = silent_periods((ymd(2019, 1, 1), ymd(2019, 12, 31)), &dates, 1);
        assert_eq!(report.periods, [silent(ymd(2019, 1, 1), ymd(2019, 12, 31))]);
        assert_eq!(
            report.loosely_dated, 0,
            "before 2019 and after 2019 cannot fall in 2019"
        );
        let dates = [
            date("before 06/06/2019"),
            date("after Feb 2019"),
            date("between 2017 and 2018"),
        ];
        let report = silent_periods((ymd(2019, 1, 1), ymd(2019, 12, 31)), &dates, 1);
        assert_eq!(
            report.loosely_dated, 2,
            "the range lies wholly before the period"
        );
    }

    #[test]
    fn undated_entries_are_counted_and_left_out() {
        let dates = [
            FuzzyDate::undated(),
            date("Unknown"),
            date("15/06/2019"),
            // Stored parts that cannot be placed are treated as undated.
            FuzzyDate::from_parts("odd", DatePrecision::Day, false, None, None),
        ];
        let report = silent_periods((ymd(2019, 1, 1), ymd(2019, 12, 31)), &dates, 1);
        assert_eq!(report.undated, 3);
        assert_eq!(report.loosely_dated, 0);
        assert_eq!(report.periods.len(), 2);
    }

    #[test]
    fn longest_first_and_equal_lengths_in_date_order() {
        // Silences: 1-10 Jan (10 days), 12-21 Jan (10), 23 Jan-28 Feb (37), 2-31 Mar (30),
        // then everything after 1 Apr (274).
        let dates: Vec<FuzzyDate> = ["11/01/2019", "22/01/2019", "01/03/2019", "01/04/2019"]
            .iter()
            .map(|d| date(d))
            .collect();
        let report = silent_periods((ymd(2019, 1, 1), ymd(2019, 12, 31)), &dates, 1);
        let lengths: Vec<(i64, NaiveDate)> =
            report.periods.iter().map(|p| (p.days(), p.from)).collect();
        assert_eq!(
            lengths,
            [
                (274, ymd(2019, 4, 2)),
                (37, ymd(2019, 1, 23)),
                (30, ymd(2019, 3, 2)),
                (10, ymd(2019, 1, 1)),
                (10, ymd(2019, 1, 12)),
            ]
        );
    }

    #[test]
    fn the_minimum_length_filters_short_silences() {
        let dates: Vec<FuzzyDate> = ["11/01/2019", "22/01/2019", "01/03/2019", "01/04/2019"]
            .iter()
            .map(|d| date(d))
            .collect();
        let period = (ymd(2019, 1, 1), ymd(2019, 12, 31));
        let long: Vec<i64> = silent_periods(period, &dates, 28)
            .periods
            .iter()
            .map(SilentPeriod::days)
            .collect();
        assert_eq!(long, [274, 37, 30]);
        // The minimum is inclusive.
        assert_eq!(silent_periods(period, &dates, 30).periods.len(), 3);
        assert_eq!(silent_periods(period, &dates, 31).periods.len(), 2);
        assert_eq!(silent_periods(period, &dates, 0).periods.len(), 5);
        assert_eq!(silent_periods(period, &dates, 1000).periods, []);
    }

    #[test]
    fn a_period_of_one_day() {
        let day = ymd(2019, 6, 15);
        let report = silent_periods((day, day), Vec::<FuzzyDate>::new(), 1);
        assert_eq!(report.periods, [silent(day, day)]);
        assert_eq!(report.periods[0].days(), 1);
        assert_eq!(
            report.periods[0].describe(),
            "1 day with no recorded contact (15 Jun 2019)"
        );
        let seen = [date("15/06/2019")];
        assert_eq!(silent_periods((day, day), &seen, 1).periods, []);
        let month = [date("June 2019")];
        assert_eq!(silent_periods((day, day), &month, 1).periods, []);
        let other_day = [date("16/06/2019")];
        assert_eq!(
            silent_periods((day, day), &other_day, 1).periods,
            [silent(day, day)]
        );
    }

    #[test]
    fn a_reversed_period_has_no_silences() {
        let dates = [date("15/06/2019"), FuzzyDate::undated()];
        let report = silent_periods((ymd(2019, 12, 31), ymd(2019, 1, 1)), &dates, 1);
        assert_eq!(report.periods, []);
        assert_eq!(report.undated, 1);
    }

    #[test]
    fn the_last_days_of_the_calendar_do_not_overflow() {
        let last = NaiveDate::MAX;
        let before = last.pred_opt().unwrap();
        let period = (before, last);
        let at_end = [FuzzyDate::day(last)];
        assert_eq!(
            silent_periods(period, &at_end, 1).periods,
            [silent(before, before)]
        );
        assert_eq!(
            silent_periods(period, Vec::<FuzzyDate>::new(), 1).periods,
            [silent(before, last)]
        );
        assert_eq!(silent(before, last).days(), 2);
        assert_eq!(silent(before, last).length(), "2 days");
    }

    #[test]
    fn describe_says_days_under_two_months() {
        assert_eq!(silent(ymd(2019, 1, 12), ymd(2019, 1, 12)).length(), "1 day");
        assert_eq!(
            silent(ymd(2019, 1, 12), ymd(2019, 1, 13)).length(),
            "2 days"
        );
        // 1 Jan to 27 Feb is one month and 27 days: still days.
        assert_eq!(
            silent(ymd(2019, 1, 1), ymd(2019, 2, 27)).describe(),
            "58 days with no recorded contact (01 Jan 2019 – 27 Feb 2019)"
        );
        // One whole month and a bit.
        assert_eq!(
            silent(ymd(2019, 1, 12), ymd(2019, 3, 10)).length(),
            "58 days"
        );
    }

    #[test]
    fn describe_says_whole_calendar_months_under_two_years() {
        assert_eq!(
            silent(ymd(2019, 1, 12), ymd(2019, 8, 18)).describe(),
            "7 months with no recorded contact (12 Jan 2019 – 18 Aug 2019)"
        );
        // Exactly two calendar months: 1 Jan to 28 Feb, and 12 Jan to 11 Mar.
        assert_eq!(
            silent(ymd(2019, 1, 1), ymd(2019, 2, 28)).length(),
            "2 months"
        );
        assert_eq!(
            silent(ymd(2019, 1, 12), ymd(2019, 3, 11)).length(),
            "2 months"
        );
        // Months are rounded down: one day short of three months is two.
        assert_eq!(
            silent(ymd(2019, 1, 12), ymd(2019, 4, 10)).length(),
            "2 months"
        );
        assert_eq!(
            silent(ymd(2019, 1, 12), ymd(2019, 4, 11)).length(),
            "3 months"
        );
        // Across a year end, and one day short of two years.
        assert_eq!(
            silent(ymd(2018, 11, 5), ymd(2019, 2, 4)).length(),
            "3 months"
        );
        assert_eq!(
            silent(ymd(2017, 1, 1), ymd(2018, 12, 30)).length(),
            "23 months"
        );
        // A leap day inside changes nothing.
        assert_eq!(
            silent(ymd(2020, 2, 10), ymd(2020, 4, 9)).length(),
            "2 months"
        );
    }

    #[test]
    fn describe_says_years_and_months_beyond() {
        assert_eq!(
            silent(ymd(2017, 1, 1), ymd(2018, 12, 31)).length(),
            "2 years"
        );
        assert_eq!(
            silent(ymd(2017, 1, 1), ymd(2019, 1, 31)).length(),
            "2 years 1 month"
        );
        assert_eq!(
            silent(ymd(2016, 1, 1), ymd(2020, 4, 7)).describe(),
            "4 years 3 months with no recorded contact (01 Jan 2016 – 07 Apr 2020)"
        );
        assert_eq!(
            silent(ymd(2016, 3, 15), ymd(2019, 3, 13)).length(),
            "2 years 11 months"
        );
    }
}
