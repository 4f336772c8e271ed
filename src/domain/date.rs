//! Fuzzy dates of a chronology: UK day-first parsing, precision, bounds and display.
//!
//! Agency chronologies hold dates such as `03/02/2019`, `c. March 2019`, `Summer 2019` or
//! `between 2018 and 2019`. A [`FuzzyDate`] keeps the text as written and what it means: a
//! precision, an "approximate" flag and the earliest and latest day it can stand for, which
//! is what sorting and filtering use. Every display form parses back to the same meaning, so
//! a date survives being displayed, exported and imported again.

use std::cmp::Ordering;
use std::fmt;

use chrono::{Datelike, Days, Months, NaiveDate};

/// How precisely a fuzzy date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DatePrecision {
    Day,
    Week,
    Month,
    Season,
    Year,
    Range,
    Before,
    After,
    Undated,
}

impl DatePrecision {
    /// Every precision, finest first.
    pub const ALL: [DatePrecision; 9] = [
        DatePrecision::Day,
        DatePrecision::Week,
        DatePrecision::Month,
        DatePrecision::Season,
        DatePrecision::Year,
        DatePrecision::Range,
        DatePrecision::Before,
        DatePrecision::After,
        DatePrecision::Undated,
    ];

    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Week => "week",
            DatePrecision::Month => "month",
            DatePrecision::Season => "season",
            DatePrecision::Year => "year",
            DatePrecision::Range => "range",
            DatePrecision::Before => "before",
            DatePrecision::After => "after",
            DatePrecision::Undated => "undated",
        }
    }

    /// The precision stored under `code`, if it is one.
    pub fn from_code(code: &str) -> Option<DatePrecision> {
        DatePrecision::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// A date as a chronology knows it: exact, or only to a week, month, season, year or range.
///
/// `earliest` and `latest` are the first and last day the date can stand for. An undated
/// date has neither; "before X" has no earliest (its latest is the day before X) and
/// "after X" has no latest (its earliest is the day after X).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FuzzyDate {
    /// As written by the user or the source file, trimmed.
    pub text: String,
    pub precision: DatePrecision,
    pub approximate: bool,
    pub earliest: Option<NaiveDate>,
    pub latest: Option<NaiveDate>,
}

/// Text that is not a date, with a message saying what was wrong and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError {
    /// The text that was refused, trimmed.
    pub input: String,
    pub message: String,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DateError {}

/// The format of an exact day everywhere in the app: "03 Feb 2019".
const DAY_FORMAT: &str = "%d %b %Y";

const EMPTY_MESSAGE: &str = "empty date: write \"Unknown\" if the date is not known";

/// Words that mark a date as approximate. Those ending in "." or symbols may touch the date
/// ("c.2015", "~2015"); the others need a space after them so "c" never eats a real word.
const APPROXIMATE_PREFIXES: [&str; 10] = [
    "approximately",
    "approx.",
    "approx",
    "circa",
    "around",
    "about",
    "ca.",
    "c.",
    "c",
    "~",
];

const UNDATED_WORDS: [&str; 7] = [
    "unknown",
    "undated",
    "not known",
    "n/k",
    "date unknown",
    "unknown date",
    "date not known",
];

/// Longest first, so "w/c." is not read as "w/c" followed by ".".
const WEEK_PREFIXES: [&str; 8] = [
    "week commencing",
    "week beginning",
    "w/c.",
    "w/b.",
    "w/c",
    "w/b",
    "wc",
    "wb",
];

pub(crate) const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// What a date means, before the text it was written as is attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Meaning {
    precision: DatePrecision,
    approximate: bool,
    earliest: Option<NaiveDate>,
    latest: Option<NaiveDate>,
}

/// A date with both ends known: anything but a range, before, after or undated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Point {
    precision: DatePrecision,
    approximate: bool,
    earliest: NaiveDate,
    latest: NaiveDate,
}

impl Point {
    fn meaning(self) -> Meaning {
        Meaning {
            precision: self.precision,
            approximate: self.approximate,
            earliest: Some(self.earliest),
            latest: Some(self.latest),
        }
    }
}

impl FuzzyDate {
    /// Parses a date as UK users and agency files write it: day first, fuzzy forms too.
    ///
    /// `today` decides the century of a two-digit year: 20xx unless that day is after
    /// `today`, then 19xx. Impossible dates are refused with the reason, never guessed.
    pub fn parse_uk(input: &str, today: NaiveDate) -> Result<FuzzyDate, DateError> {
        let text = input.trim();
        let refuse = |message: String| DateError {
            input: text.to_string(),
            message,
        };
        if text.is_empty() {
            return Err(refuse(EMPTY_MESSAGE.to_string()));
        }
        // Collapsing runs of whitespace (including the non-breaking spaces spreadsheets
        // leave) lets every rule below assume single spaces.
        let normal = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let meaning = parse_expression(&normal, today).map_err(refuse)?;
        // Four-digit years only: a span reaching past 9999 (a winter ending in 10000)
        // could not be written back in the display form.
        let in_range = |d: Option<NaiveDate>| d.is_none_or(|d| (1..=9999).contains(&d.year()));
        if !in_range(meaning.earliest) || !in_range(meaning.latest) {
            return Err(refuse(format!(
                "{text} is out of range: dates run from the year 1 to 9999"
            )));
        }
        Ok(FuzzyDate {
            text: text.to_string(),
            precision: meaning.precision,
            approximate: meaning.approximate,
            earliest: meaning.earliest,
            latest: meaning.latest,
        })
    }

    /// An exact day, written in the display form.
    pub fn day(date: NaiveDate) -> FuzzyDate {
        FuzzyDate {
            text: format_day(date),
            precision: DatePrecision::Day,
            approximate: false,
            earliest: Some(date),
            latest: Some(date),
        }
    }

    /// A date nobody knows.
    pub fn undated() -> FuzzyDate {
        FuzzyDate {
            text: "Unknown".to_string(),
            precision: DatePrecision::Undated,
            approximate: false,
            earliest: None,
            latest: None,
        }
    }

    /// Rebuilds a date from its stored columns, as they are.
    pub fn from_parts(
        text: impl Into<String>,
        precision: DatePrecision,
        approximate: bool,
        earliest: Option<NaiveDate>,
        latest: Option<NaiveDate>,
    ) -> FuzzyDate {
        FuzzyDate {
            text: text.into(),
            precision,
            approximate,
            earliest,
            latest,
        }
    }

    /// The UK display form: `03 Feb 2019`, `w/c 05 Aug 2019`, `c. Mar 2019`, `Undated`…
    ///
    /// It is built from the precision and bounds, not the text, so two ways of writing the
    /// same date display alike. Stored parts that do not fit together (a day without a
    /// date, say) show the text as written rather than something invented.
    pub fn display(&self) -> String {
        match self.display_body() {
            Some(body) if self.approximate && self.precision != DatePrecision::Undated => {
                format!("c. {body}")
            }
            Some(body) => body,
            None => self.text.clone(),
        }
    }

    fn display_body(&self) -> Option<String> {
        let body = match self.precision {
            DatePrecision::Day => format_day(self.earliest?),
            DatePrecision::Week => format!("w/c {}", format_day(self.earliest?)),
            DatePrecision::Month => format_month(self.earliest?),
            DatePrecision::Season => format_season(self.earliest?)?,
            DatePrecision::Year => format_year(self.earliest?),
            DatePrecision::Range => format!(
                "between {} and {}",
                label_starting(self.earliest?),
                label_ending(self.latest?)
            ),
            // "before X" was stored as the day before X, "after X" as the day after X.
            DatePrecision::Before => format!("before {}", label_starting(self.latest?.succ_opt()?)),
            DatePrecision::After => format!("after {}", label_ending(self.earliest?.pred_opt()?)),
            DatePrecision::Undated => "Undated".to_string(),
        };
        Some(body)
    }

    /// The key chronologies sort by: undated last, then by earliest day, then latest day.
    ///
    /// "Before X" has no earliest day and sorts by its latest; "after X" has no latest and
    /// sorts after bounded dates that start on the same day.
    pub fn sort_key(&self) -> (bool, NaiveDate, NaiveDate) {
        match (self.earliest, self.latest) {
            (Some(earliest), Some(latest)) => (false, earliest, latest),
            (Some(earliest), None) => (false, earliest, NaiveDate::MAX),
            (None, Some(latest)) => (false, latest, latest),
            (None, None) => (true, NaiveDate::MAX, NaiveDate::MAX),
        }
    }

    /// Whether `day` lies within the date's bounds (an undated date contains no day).
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.overlaps(day, day)
    }

    /// Whether the date could fall within `from..=to`, for filtering by period.
    pub fn overlaps(&self, from: NaiveDate, to: NaiveDate) -> bool {
        if self.earliest.is_none() && self.latest.is_none() {
            return false;
        }
        self.earliest.is_none_or(|earliest| earliest <= to)
            && self.latest.is_none_or(|latest| from <= latest)
    }
}

impl fmt::Display for FuzzyDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl Ord for FuzzyDate {
    fn cmp(&self, other: &FuzzyDate) -> Ordering {
        // After the sort key, every field is compared so that `Equal` means `==`.
        self.sort_key()
            .cmp(&other.sort_key())
            .then_with(|| self.text.cmp(&other.text))
            .then_with(|| self.precision.cmp(&other.precision))
            .then_with(|| self.approximate.cmp(&other.approximate))
            .then_with(|| self.earliest.cmp(&other.earliest))
            .then_with(|| self.latest.cmp(&other.latest))
    }
}

impl PartialOrd for FuzzyDate {
    fn partial_cmp(&self, other: &FuzzyDate) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn format_day(date: NaiveDate) -> String {
    date.format(DAY_FORMAT).to_string()
}

fn format_month(date: NaiveDate) -> String {
    date.format("%b %Y").to_string()
}

fn format_year(date: NaiveDate) -> String {
    format!("{:04}", date.year())
}

/// A season named by its first day. Winter is written with both years ("Winter 2019/20")
/// because it runs from December into the next year.
fn format_season(first: NaiveDate) -> Option<String> {
    let year = first.year();
    let name = match first.month() {
        3 => "Spring",
        6 => "Summer",
        9 => "Autumn",
        12 => {
            return Some(format!(
                "Winter {year:04}/{:02}",
                (year + 1).rem_euclid(100)
            ));
        }
        _ => return None,
    };
    Some(format!("{name} {year:04}"))
}

/// The coarsest label whose first day is `date`: a year, a month or the day itself.
fn label_starting(date: NaiveDate) -> String {
    if date.month() == 1 && date.day() == 1 {
        format_year(date)
    } else if date.day() == 1 {
        format_month(date)
    } else {
        format_day(date)
    }
}

/// The coarsest label whose last day is `date`: a year, a month or the day itself.
fn label_ending(date: NaiveDate) -> String {
    let month_ends = date.succ_opt().is_none_or(|next| next.day() == 1);
    if date.month() == 12 && date.day() == 31 {
        format_year(date)
    } else if month_ends {
        format_month(date)
    } else {
        format_day(date)
    }
}

fn not_a_date(written: &str) -> String {
    format!(
        "\"{written}\" is not a date: expected a day (03/02/2019), a month (Feb 2019), \
         a season (Summer 2019), a year (2019), w/c 05/08/2019, between 2018 and 2019, \
         before/after a date, c. before any of these, or Unknown"
    )
}

fn out_of_range(written: &str) -> String {
    format!("\"{written}\" is not a date: the year is out of range")
}

/// `s` without a leading `word` (any case), if it starts with that word followed by a space
/// or nothing: returns the rest, possibly empty.
fn strip_word<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    let head = s.get(..word.len())?;
    if !head.eq_ignore_ascii_case(word) {
        return None;
    }
    let rest = &s[word.len()..];
    if rest.is_empty() {
        Some(rest)
    } else {
        rest.strip_prefix(' ')
    }
}

/// The byte offset of `needle` (lower case ASCII) in `s`, ignoring case.
fn find_ignoring_case(s: &str, needle: &str) -> Option<usize> {
    // ASCII lower-casing keeps every byte offset, so the offset is valid in `s` too.
    s.to_ascii_lowercase().find(needle)
}

/// Splits off an approximate marker: `(true, rest)` for "c. 2015", `(false, s)` otherwise.
fn strip_approximate(s: &str) -> (bool, &str) {
    for prefix in APPROXIMATE_PREFIXES {
        let Some(head) = s.get(..prefix.len()) else {
            continue;
        };
        if !head.eq_ignore_ascii_case(prefix) {
            continue;
        }
        let rest = &s[prefix.len()..];
        let may_touch = prefix.ends_with('.') || prefix == "~";
        if may_touch || rest.starts_with(' ') {
            return (true, rest.trim_start());
        }
    }
    (false, s)
}

fn is_undated_word(s: &str) -> bool {
    UNDATED_WORDS
        .iter()
        .any(|word| word.eq_ignore_ascii_case(s))
}

/// A whole date expression: approximate marker, then undated, before/after, a range or a
/// single date.
fn parse_expression(s: &str, today: NaiveDate) -> Result<Meaning, String> {
    let (approximate, rest) = strip_approximate(s);
    if rest.is_empty() {
        return Err(not_a_date(s));
    }
    if is_undated_word(rest) {
        if approximate {
            return Err(format!(
                "\"{s}\" is not a date: an unknown date cannot be approximate; write Unknown"
            ));
        }
        return Ok(Meaning {
            precision: DatePrecision::Undated,
            approximate: false,
            earliest: None,
            latest: None,
        });
    }
    let mut meaning = if let Some(inner) = strip_word(rest, "before") {
        let point = parse_bound(inner, rest, "before", today)?;
        Meaning {
            precision: DatePrecision::Before,
            approximate: point.approximate,
            earliest: None,
            latest: Some(
                point
                    .earliest
                    .pred_opt()
                    .ok_or_else(|| out_of_range(rest))?,
            ),
        }
    } else if let Some(inner) = strip_word(rest, "after") {
        let point = parse_bound(inner, rest, "after", today)?;
        Meaning {
            precision: DatePrecision::After,
            approximate: point.approximate,
            earliest: Some(point.latest.succ_opt().ok_or_else(|| out_of_range(rest))?),
            latest: None,
        }
    } else if let Some(range) = parse_range(rest, today)? {
        range
    } else {
        parse_point(rest, today)?.meaning()
    };
    meaning.approximate |= approximate;
    Ok(meaning)
}

/// The date after "before" or "after".
fn parse_bound(inner: &str, whole: &str, word: &str, today: NaiveDate) -> Result<Point, String> {
    let (_, bare) = strip_approximate(inner);
    if bare.is_empty() || is_undated_word(bare) {
        return Err(format!(
            "\"{whole}\" is not a date: \"{word}\" needs a known date after it, e.g. {word} 12/03/2019"
        ));
    }
    parse_point(inner, today)
}

/// A range, if `s` is written as one: "between X and Y", "from X to Y", "X to Y", "X - Y",
/// "2018-2019" or "Feb-May 2019". `Ok(None)` means `s` is not written as a range.
fn parse_range(s: &str, today: NaiveDate) -> Result<Option<Meaning>, String> {
    let (left, right) = if let Some(rest) = strip_word(s, "between") {
        match find_ignoring_case(rest, " and ") {
            Some(at) => (&rest[..at], &rest[at + " and ".len()..]),
            None => {
                return Err(format!(
                    "\"{s}\" is not a date: write a range as between 2018 and 2019"
                ));
            }
        }
    } else if let Some(rest) = strip_word(s, "from") {
        match find_ignoring_case(rest, " to ") {
            Some(at) => (&rest[..at], &rest[at + " to ".len()..]),
            None => {
                return Err(format!(
                    "\"{s}\" is not a date: write a range as from 2018 to 2019"
                ));
            }
        }
    } else if let Some(at) = find_ignoring_case(s, " to ") {
        (&s[..at], &s[at + " to ".len()..])
    } else if let Some((at, len)) = find_spaced_dash(s) {
        (&s[..at], &s[at + len..])
    } else if let Some((at, len)) = find_joining_dash(s) {
        (&s[..at], &s[at + len..])
    } else {
        return Ok(None);
    };
    let (left, right) = (left.trim(), right.trim());
    let last = parse_range_end(right, s, today)?;
    let first = match parse_range_end(left, s, today) {
        Ok(first) => first,
        // "Feb-May 2019", "Summer to Autumn 2019": a first end with no digits at all takes
        // the year of the second. Anything else is refused as written.
        Err(message) => match trailing_year(right) {
            Some(year) if !left.is_empty() && !left.bytes().any(|b| b.is_ascii_digit()) => {
                parse_range_end(&format!("{left} {year}"), s, today).map_err(|_| message)?
            }
            _ => return Err(message),
        },
    };
    if first.earliest > last.latest {
        return Err(format!(
            "\"{s}\" is not a date range: {left} comes after {right}; write the earlier date first"
        ));
    }
    Ok(Some(Meaning {
        precision: DatePrecision::Range,
        approximate: first.approximate || last.approximate,
        earliest: Some(first.earliest),
        latest: Some(last.latest),
    }))
}

fn parse_range_end(end: &str, whole: &str, today: NaiveDate) -> Result<Point, String> {
    let (_, bare) = strip_approximate(end);
    if bare.is_empty() || is_undated_word(bare) {
        return Err(format!(
            "\"{whole}\" is not a date: both ends of a range must be dates, e.g. between 2018 and 2019"
        ));
    }
    parse_point(end, today)
}

const DASHES: [char; 3] = ['-', '\u{2013}', '\u{2014}'];

/// A dash with a space either side, as in "Nov 2019 - Feb 2020": (offset, length).
fn find_spaced_dash(s: &str) -> Option<(usize, usize)> {
    DASHES
        .iter()
        .filter_map(|dash| {
            let spaced = format!(" {dash} ");
            s.find(&spaced).map(|at| (at, spaced.len()))
        })
        .min()
}

/// A dash joining two years ("2018-2019") or two words ("Feb-May 2019"): (offset, length).
///
/// Dashes between digits and words ("03-Feb-2019") or inside ISO dates are left alone.
fn find_joining_dash(s: &str) -> Option<(usize, usize)> {
    s.char_indices().find_map(|(at, c)| {
        if !DASHES.contains(&c) {
            return None;
        }
        let (before, after) = (&s[..at], &s[at + c.len_utf8()..]);
        let is_year = |part: &str| {
            let part = part.trim();
            part.len() == 4 && part.bytes().all(|b| b.is_ascii_digit())
        };
        let joins_years = is_year(before) && is_year(after);
        let joins_words = before
            .chars()
            .next_back()
            .is_some_and(|b| b.is_ascii_alphabetic())
            && after
                .chars()
                .next()
                .is_some_and(|a| a.is_ascii_alphabetic());
        (joins_years || joins_words).then_some((at, c.len_utf8()))
    })
}

/// The four-digit year `s` ends with, if any.
fn trailing_year(s: &str) -> Option<&str> {
    let last = s.rsplit([' ', '/', '-', '.']).next()?;
    (last.len() == 4 && last.bytes().all(|b| b.is_ascii_digit())).then_some(last)
}

/// One run of digits or letters in a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Number(&'a str),
    Word(&'a str),
}

/// Splits a single date into numbers and words; `None` if it holds anything else.
fn tokenize(s: &str) -> Option<Vec<Token<'_>>> {
    let mut tokens = Vec::new();
    let mut chars = s.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let same_kind: fn(char) -> bool = if c.is_ascii_digit() {
            |c| c.is_ascii_digit()
        } else if c.is_ascii_alphabetic() {
            |c| c.is_ascii_alphabetic()
        } else if c == ' ' || c == '/' || c == '.' || c == ',' || DASHES.contains(&c) {
            continue;
        } else {
            return None;
        };
        let mut end = start + c.len_utf8();
        while let Some(&(at, next)) = chars.peek() {
            if !same_kind(next) {
                break;
            }
            end = at + next.len_utf8();
            chars.next();
        }
        let run = &s[start..end];
        tokens.push(if c.is_ascii_digit() {
            Token::Number(run)
        } else {
            Token::Word(run)
        });
    }
    // "3rd of February 2019": ordinal endings and "of" carry no meaning.
    let mut cleaned: Vec<Token<'_>> = Vec::with_capacity(tokens.len());
    for token in tokens {
        if let Token::Word(word) = token {
            let after_day = matches!(cleaned.last(), Some(Token::Number(n)) if n.len() <= 2);
            let ordinal = ["st", "nd", "rd", "th"]
                .iter()
                .any(|o| o.eq_ignore_ascii_case(word));
            if word.eq_ignore_ascii_case("of") || (after_day && ordinal) {
                continue;
            }
        }
        cleaned.push(token);
    }
    Some(cleaned)
}

/// The month a name stands for, short or full, any letter case ("Sept" too).
pub(crate) fn month_number(word: &str) -> Option<u32> {
    let word = word.to_ascii_lowercase();
    let number = match word.as_str() {
        "jan" | "january" => 1,
        "feb" | "february" => 2,
        "mar" | "march" => 3,
        "apr" | "april" => 4,
        "may" => 5,
        "jun" | "june" => 6,
        "jul" | "july" => 7,
        "aug" | "august" => 8,
        "sep" | "sept" | "september" => 9,
        "oct" | "october" => 10,
        "nov" | "november" => 11,
        "dec" | "december" => 12,
        _ => return None,
    };
    Some(number)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Season {
    Spring,
    Summer,
    Autumn,
    Winter,
}

fn season(word: &str) -> Option<Season> {
    match word.to_ascii_lowercase().as_str() {
        "spring" => Some(Season::Spring),
        "summer" => Some(Season::Summer),
        "autumn" | "fall" => Some(Season::Autumn),
        "winter" => Some(Season::Winter),
        _ => None,
    }
}

fn digits(token: &str, lengths: &[usize]) -> bool {
    lengths.contains(&token.len())
}

/// Numbers here come from runs of at most a few ASCII digits, so they always fit.
fn number(token: &str) -> u32 {
    token.parse().unwrap_or(u32::MAX)
}

fn year(token: &str) -> i32 {
    token.parse().unwrap_or(i32::MAX)
}

/// A date with both ends known: a day, week, month, season or year.
fn parse_point(s: &str, today: NaiveDate) -> Result<Point, String> {
    let (approximate, s) = strip_approximate(s);
    let mut point = parse_exact_point(s, today)?;
    point.approximate |= approximate;
    Ok(point)
}

fn parse_exact_point(s: &str, today: NaiveDate) -> Result<Point, String> {
    if s.is_empty() {
        return Err(not_a_date(s));
    }
    for prefix in WEEK_PREFIXES {
        if let Some(inner) = strip_word(s, prefix) {
            return parse_week(s, inner, today);
        }
    }
    let tokens = tokenize(s).ok_or_else(|| not_a_date(s))?;
    use Token::{Number as N, Word as W};
    match tokens.as_slice() {
        [W(word), rest @ ..] if season(word).is_some() => parse_season(s, word, rest),
        [N(y)] if digits(y, &[4]) => year_point(s, year(y)),
        [N(m), N(y)] if digits(m, &[1, 2]) && digits(y, &[4]) => {
            month_point(s, year(y), check_month(s, number(m), false)?)
        }
        // "2018-19" reads as two years to some and as a financial year to others: ask for
        // it in full rather than guess.
        [N(y), N(m)] if digits(y, &[4]) && digits(m, &[2]) && number(m) > 12 => Err(format!(
            "\"{s}\" is not a date: there is no month {m}; write a range of years in full, e.g. between 2018 and 2019"
        )),
        [N(y), N(m)] if digits(y, &[4]) && digits(m, &[1, 2]) => {
            month_point(s, year(y), check_month(s, number(m), false)?)
        }
        [N(a), N(b)] if digits(a, &[1, 2]) && digits(b, &[1, 2]) => Err(format!(
            "\"{s}\" is not a date: the year is missing, e.g. 03/02/2019"
        )),
        [W(m), N(y)] if month_number(m).is_some() && digits(y, &[4]) => {
            month_point(s, year(y), month_number(m).unwrap_or(0))
        }
        [W(m), N(n)] if month_number(m).is_some() && digits(n, &[1, 2]) => Err(format!(
            "\"{s}\" is not a date: write the year in full ({m} 2019), or give the day too ({n} {m} 2019)"
        )),
        [N(_), W(m)] | [W(m)] if month_number(m).is_some() => Err(format!(
            "\"{s}\" is not a date: the year is missing, e.g. {s} 2019"
        )),
        [N(d), W(m), N(y)] if digits(d, &[1, 2]) && month_number(m).is_some() => {
            let month = month_number(m).unwrap_or(0);
            day_point(s, number(d), month, y, today)
        }
        [N(y), N(m), N(d)] if digits(y, &[4]) && digits(m, &[1, 2]) && digits(d, &[1, 2]) => {
            let month = check_month(s, number(m), false)?;
            day_point(s, number(d), month, y, today)
        }
        [N(d), N(m), N(y)] if digits(d, &[1, 2]) && digits(m, &[1, 2]) => {
            let month = check_month(s, number(m), number(d) <= 12)?;
            day_point(s, number(d), month, y, today)
        }
        _ => Err(not_a_date(s)),
    }
}

fn parse_week(s: &str, inner: &str, today: NaiveDate) -> Result<Point, String> {
    let needs_day =
        || format!("\"{s}\" is not a date: w/c needs the day the week starts, e.g. w/c 05/08/2019");
    if inner.is_empty() {
        return Err(needs_day());
    }
    let start = parse_point(inner, today)?;
    if start.precision != DatePrecision::Day {
        return Err(needs_day());
    }
    Ok(Point {
        precision: DatePrecision::Week,
        approximate: start.approximate,
        earliest: start.earliest,
        latest: start
            .earliest
            .checked_add_days(Days::new(6))
            .ok_or_else(|| out_of_range(s))?,
    })
}

/// Seasons are the meteorological ones the UK uses: spring March–May, summer June–August,
/// autumn September–November. Winter YYYY is December YYYY to the end of February YYYY+1,
/// the winter that starts in that year; "Winter 2019/20" says the same explicitly.
fn parse_season(s: &str, word: &str, rest: &[Token<'_>]) -> Result<Point, String> {
    let which = season(word).ok_or_else(|| not_a_date(s))?;
    let (first_month, start_year) = match (which, rest) {
        (Season::Winter, [Token::Number(y), Token::Number(next)])
            if digits(y, &[4]) && digits(next, &[2, 4]) =>
        {
            let start = year(y);
            let expected = if next.len() == 2 {
                (start + 1).rem_euclid(100)
            } else {
                start + 1
            };
            if year(next) != expected {
                return Err(format!(
                    "\"{s}\" is not a date: a winter runs into the next year, so write Winter {start:04}/{:02}",
                    (start + 1).rem_euclid(100)
                ));
            }
            (12, start)
        }
        (_, [Token::Number(y)]) if digits(y, &[4]) => {
            let first_month = match which {
                Season::Spring => 3,
                Season::Summer => 6,
                Season::Autumn => 9,
                Season::Winter => 12,
            };
            (first_month, year(y))
        }
        _ => {
            return Err(format!(
                "\"{s}\" is not a date: write a season with its year, e.g. Summer 2019"
            ));
        }
    };
    let earliest =
        NaiveDate::from_ymd_opt(start_year, first_month, 1).ok_or_else(|| out_of_range(s))?;
    let latest = earliest
        .checked_add_months(Months::new(3))
        .and_then(|next| next.pred_opt())
        .ok_or_else(|| out_of_range(s))?;
    Ok(Point {
        precision: DatePrecision::Season,
        approximate: false,
        earliest,
        latest,
    })
}

fn year_point(s: &str, year: i32) -> Result<Point, String> {
    let earliest = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| out_of_range(s))?;
    let latest = NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(|| out_of_range(s))?;
    Ok(Point {
        precision: DatePrecision::Year,
        approximate: false,
        earliest,
        latest,
    })
}

fn month_point(s: &str, year: i32, month: u32) -> Result<Point, String> {
    let earliest = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(|| out_of_range(s))?;
    let latest = last_of_month(earliest).ok_or_else(|| out_of_range(s))?;
    Ok(Point {
        precision: DatePrecision::Month,
        approximate: false,
        earliest,
        latest,
    })
}

fn last_of_month(first: NaiveDate) -> Option<NaiveDate> {
    first.checked_add_months(Months::new(1))?.pred_opt()
}

/// `month` if it is one; the hint about day-first order is for "03/13/2019"-style input.
fn check_month(s: &str, month: u32, hint_day_first: bool) -> Result<u32, String> {
    if (1..=12).contains(&month) {
        return Ok(month);
    }
    let hint = if hint_day_first && month > 12 {
        " (dates are day first: dd/mm/yyyy)"
    } else {
        ""
    };
    Err(format!(
        "{s} is not a date: there is no month {month}{hint}"
    ))
}

/// An exact day. A two-digit year is 20xx unless that day is after `today`, then 19xx.
fn day_point(
    s: &str,
    day: u32,
    month: u32,
    year_token: &str,
    today: NaiveDate,
) -> Result<Point, String> {
    let date = match year_token.len() {
        4 => check_day(s, day, month, year(year_token))?,
        2 => {
            let short = year(year_token);
            let recent = check_day(s, day, month, 2000 + short)?;
            if recent <= today {
                recent
            } else {
                check_day(s, day, month, 1900 + short)?
            }
        }
        _ => {
            return Err(format!(
                "\"{s}\" is not a date: write the year with four digits (2019) or two (19)"
            ));
        }
    };
    Ok(Point {
        precision: DatePrecision::Day,
        approximate: false,
        earliest: date,
        latest: date,
    })
}

fn check_day(s: &str, day: u32, month: u32, year: i32) -> Result<NaiveDate, String> {
    if day == 0 {
        return Err(format!("{s} is not a date: there is no day 0"));
    }
    let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(|| out_of_range(s))?;
    let last = last_of_month(first).ok_or_else(|| out_of_range(s))?;
    if day > last.day() {
        let name = (month as usize)
            .checked_sub(1)
            .and_then(|index| MONTH_NAMES.get(index))
            .copied()
            .unwrap_or("that month");
        return Err(format!(
            "{s} is not a date: {name} {year:04} has {} days",
            last.day()
        ));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| out_of_range(s))
}

/// A date that must be one exact day, as forms ask for (an empty text is no date): the
/// day, or why the text is not one.
pub fn parse_exact_day(text: &str, today: NaiveDate) -> Result<Option<NaiveDate>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    match FuzzyDate::parse_uk(text, today) {
        Ok(d) if d.precision == DatePrecision::Day && !d.approximate => Ok(d.earliest),
        Ok(d) => Err(format!(
            "\"{}\" is not a single day: give the day, e.g. 03/02/2027",
            d.text
        )),
        Err(e) => Err(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    fn today() -> NaiveDate {
        ymd(2026, 11, 26)
    }

    fn parse(s: &str) -> FuzzyDate {
        FuzzyDate::parse_uk(s, today()).unwrap_or_else(|e| panic!("{s:?} should parse: {e}"))
    }

    fn error(s: &str) -> String {
        match FuzzyDate::parse_uk(s, today()) {
            Ok(date) => panic!("{s:?} should be refused, got {date:?}"),
            Err(e) => e.to_string(),
        }
    }

    /// Precision, approximate, earliest, latest.
    fn meaning(s: &str) -> (DatePrecision, bool, Option<NaiveDate>, Option<NaiveDate>) {
        let date = parse(s);
        (date.precision, date.approximate, date.earliest, date.latest)
    }

    fn exact(s: &str, precision: DatePrecision, from: NaiveDate, to: NaiveDate) {
        assert_eq!(
            meaning(s),
            (precision, false, Some(from), Some(to)),
            "parsing {s:?}"
        );
    }

    #[test]
    fn precision_codes_round_trip_and_are_distinct() {
        for precision in DatePrecision::ALL {
            assert_eq!(DatePrecision::from_code(precision.code()), Some(precision));
        }
        let codes: std::collections::HashSet<_> =
            DatePrecision::ALL.iter().map(|p| p.code()).collect();
        assert_eq!(codes.len(), 9);
        assert_eq!(DatePrecision::Season.code(), "season");
        assert_eq!(DatePrecision::from_code("Day"), None);
        assert_eq!(DatePrecision::from_code(""), None);
    }

    #[test]
    fn days_in_every_written_form() {
        let day = ymd(2019, 2, 3);
        for s in [
            "03/02/2019",
            "3/2/2019",
            "03/02/19",
            "03-02-2019",
            "03.02.2019",
            "2019-02-03",
            "03 Feb 2019",
            "3 February 2019",
            "3 FEBRUARY 2019",
            "3rd February 2019",
            "3rd of Feb 2019",
            "03-Feb-2019",
            "03-feb-19",
            "  03 / 02 / 2019  ",
        ] {
            exact(s, DatePrecision::Day, day, day);
        }
    }

    #[test]
    fn day_first_always() {
        exact(
            "12/03/2019",
            DatePrecision::Day,
            ymd(2019, 3, 12),
            ymd(2019, 3, 12),
        );
        exact(
            "01/12/2019",
            DatePrecision::Day,
            ymd(2019, 12, 1),
            ymd(2019, 12, 1),
        );
        exact(
            "2019-03-12",
            DatePrecision::Day,
            ymd(2019, 3, 12),
            ymd(2019, 3, 12),
        );
    }

    #[test]
    fn text_is_kept_as_written_but_trimmed() {
        let date = parse("  c.  March   2019 ");
        assert_eq!(date.text, "c.  March   2019");
        assert_eq!(date.display(), "c. Mar 2019");
    }

    #[test]
    fn two_digit_years_are_this_century_unless_in_the_future() {
        exact(
            "12/03/19",
            DatePrecision::Day,
            ymd(2019, 3, 12),
            ymd(2019, 3, 12),
        );
        exact(
            "12/03/30",
            DatePrecision::Day,
            ymd(1930, 3, 12),
            ymd(1930, 3, 12),
        );
        // Today itself is not the future; tomorrow is.
        exact(
            "26/11/26",
            DatePrecision::Day,
            ymd(2026, 11, 26),
            ymd(2026, 11, 26),
        );
        exact(
            "27/11/26",
            DatePrecision::Day,
            ymd(1926, 11, 27),
            ymd(1926, 11, 27),
        );
        exact(
            "01/01/00",
            DatePrecision::Day,
            ymd(2000, 1, 1),
            ymd(2000, 1, 1),
        );
        exact(
            "29/02/00",
            DatePrecision::Day,
            ymd(2000, 2, 29),
            ymd(2000, 2, 29),
        );
        exact(
            "5 Aug 99",
            DatePrecision::Day,
            ymd(1999, 8, 5),
            ymd(1999, 8, 5),
        );
        // The rule follows the given today, not the real clock.
        let early = ymd(2019, 3, 11);
        let date = FuzzyDate::parse_uk("12/03/19", early).expect("parses");
        assert_eq!(date.earliest, Some(ymd(1919, 3, 12)));
    }

    #[test]
    fn leap_years() {
        exact(
            "29/02/2020",
            DatePrecision::Day,
            ymd(2020, 2, 29),
            ymd(2020, 2, 29),
        );
        exact(
            "29/02/2000",
            DatePrecision::Day,
            ymd(2000, 2, 29),
            ymd(2000, 2, 29),
        );
        assert_eq!(
            error("29/02/2019"),
            "29/02/2019 is not a date: February 2019 has 28 days"
        );
        assert_eq!(
            error("29/02/1900"),
            "29/02/1900 is not a date: February 1900 has 28 days"
        );
        exact(
            "Feb 2020",
            DatePrecision::Month,
            ymd(2020, 2, 1),
            ymd(2020, 2, 29),
        );
        exact(
            "Feb 2019",
            DatePrecision::Month,
            ymd(2019, 2, 1),
            ymd(2019, 2, 28),
        );
    }

    #[test]
    fn impossible_days_say_why() {
        assert_eq!(
            error("31/02/2019"),
            "31/02/2019 is not a date: February 2019 has 28 days"
        );
        assert_eq!(
            error("31/04/2019"),
            "31/04/2019 is not a date: April 2019 has 30 days"
        );
        assert_eq!(
            error("00/01/2019"),
            "00/01/2019 is not a date: there is no day 0"
        );
        assert_eq!(
            error("01/13/2019"),
            "01/13/2019 is not a date: there is no month 13 (dates are day first: dd/mm/yyyy)"
        );
        assert_eq!(
            error("13/13/2019"),
            "13/13/2019 is not a date: there is no month 13"
        );
        assert_eq!(
            error("01/00/2019"),
            "01/00/2019 is not a date: there is no month 0"
        );
        assert_eq!(
            error("2019-13-01"),
            "2019-13-01 is not a date: there is no month 13"
        );
        assert_eq!(
            error("2019-02-30"),
            "2019-02-30 is not a date: February 2019 has 28 days"
        );
        assert_eq!(
            error("31 Sept 2019"),
            "31 Sept 2019 is not a date: September 2019 has 30 days"
        );
        assert_eq!(
            error("13/2019"),
            "13/2019 is not a date: there is no month 13"
        );
        assert_eq!(
            error("29/02/01"),
            "29/02/01 is not a date: February 2001 has 28 days"
        );
    }

    #[test]
    fn error_carries_the_trimmed_input() {
        let err = FuzzyDate::parse_uk(" 31/02/2019 ", today()).expect_err("impossible");
        assert_eq!(err.input, "31/02/2019");
        let as_error: &dyn std::error::Error = &err;
        assert!(as_error.to_string().contains("28 days"));
    }

    #[test]
    fn empty_dates_ask_for_unknown() {
        for s in ["", "   ", "\t\n"] {
            assert_eq!(
                error(s),
                "empty date: write \"Unknown\" if the date is not known"
            );
        }
    }

    #[test]
    fn garbage_says_what_was_expected() {
        assert_eq!(
            error("Febtober 2019"),
            "\"Febtober 2019\" is not a date: expected a day (03/02/2019), a month (Feb 2019), \
             a season (Summer 2019), a year (2019), w/c 05/08/2019, between 2018 and 2019, \
             before/after a date, c. before any of these, or Unknown"
        );
        for s in [
            "yesterday",
            "2019!",
            "c.",
            "~",
            "12:30",
            "123/02/2019",
            "03/02/2019 extra",
            "2018-2019-2020",
            "Monday 3 Feb 2019",
            "c2015",
        ] {
            assert!(
                error(s).contains("is not a date: expected a day"),
                "{s:?}: {}",
                error(s)
            );
        }
    }

    #[test]
    fn partial_dates_say_what_is_missing() {
        assert_eq!(
            error("12/03"),
            "\"12/03\" is not a date: the year is missing, e.g. 03/02/2019"
        );
        assert_eq!(
            error("March"),
            "\"March\" is not a date: the year is missing, e.g. March 2019"
        );
        assert_eq!(
            error("Feb 19"),
            "\"Feb 19\" is not a date: write the year in full (Feb 2019), or give the day too (19 Feb 2019)"
        );
        assert!(error("03/02/219").contains("four digits"));
        assert!(error("Summer").contains("write a season with its year"));
        assert!(error("w/c Aug 2019").contains("w/c needs the day the week starts"));
        assert!(error("w/c").contains("w/c needs the day the week starts"));
        assert!(error("before").contains("\"before\" needs a known date"));
        assert!(error("after unknown").contains("\"after\" needs a known date"));
        assert!(error("between 2018").contains("between 2018 and 2019"));
        assert!(error("from 2018").contains("from 2018 to 2019"));
        assert!(error("between unknown and 2019").contains("both ends of a range"));
        assert!(error("c. unknown").contains("cannot be approximate"));
        assert_eq!(
            error("2018-19"),
            "\"2018-19\" is not a date: there is no month 19; write a range of years in full, e.g. between 2018 and 2019"
        );
        // A real ISO month still parses.
        assert_eq!(meaning("2018-12").0, DatePrecision::Month);
    }

    #[test]
    fn weeks_run_seven_days() {
        let start = ymd(2019, 8, 5);
        let end = ymd(2019, 8, 11);
        for s in [
            "w/c 05/08/2019",
            "W/C 05 Aug 2019",
            "wc 5/8/2019",
            "week commencing 05/08/2019",
            "Week beginning 5 August 2019",
            "w/b 05/08/19",
        ] {
            exact(s, DatePrecision::Week, start, end);
        }
        exact(
            "w/c 29/12/2019",
            DatePrecision::Week,
            ymd(2019, 12, 29),
            ymd(2020, 1, 4),
        );
    }

    #[test]
    fn months_short_full_and_numeric() {
        let names = [
            ("Jan", "January"),
            ("Feb", "February"),
            ("Mar", "March"),
            ("Apr", "April"),
            ("May", "May"),
            ("Jun", "June"),
            ("Jul", "July"),
            ("Aug", "August"),
            ("Sep", "September"),
            ("Oct", "October"),
            ("Nov", "November"),
            ("Dec", "December"),
        ];
        for (index, (short, full)) in names.iter().enumerate() {
            let month = index as u32 + 1;
            let first = ymd(2019, month, 1);
            let last = last_of_month(first).expect("month end");
            for s in [
                format!("{short} 2019"),
                format!("{full} 2019"),
                format!("{} 2019", full.to_uppercase()),
                format!("{month:02}/2019"),
                format!("{month}/2019"),
                format!("2019-{month:02}"),
            ] {
                exact(&s, DatePrecision::Month, first, last);
            }
        }
        exact(
            "Sept 2019",
            DatePrecision::Month,
            ymd(2019, 9, 1),
            ymd(2019, 9, 30),
        );
        exact(
            "Feb. 2019",
            DatePrecision::Month,
            ymd(2019, 2, 1),
            ymd(2019, 2, 28),
        );
    }

    #[test]
    fn seasons() {
        exact(
            "Spring 2019",
            DatePrecision::Season,
            ymd(2019, 3, 1),
            ymd(2019, 5, 31),
        );
        exact(
            "summer 2019",
            DatePrecision::Season,
            ymd(2019, 6, 1),
            ymd(2019, 8, 31),
        );
        exact(
            "Autumn 2019",
            DatePrecision::Season,
            ymd(2019, 9, 1),
            ymd(2019, 11, 30),
        );
        exact(
            "Fall 2019",
            DatePrecision::Season,
            ymd(2019, 9, 1),
            ymd(2019, 11, 30),
        );
        // Winter YYYY is the winter that starts in December YYYY.
        exact(
            "Winter 2019",
            DatePrecision::Season,
            ymd(2019, 12, 1),
            ymd(2020, 2, 29),
        );
        exact(
            "Winter 2019/20",
            DatePrecision::Season,
            ymd(2019, 12, 1),
            ymd(2020, 2, 29),
        );
        exact(
            "Winter 2020-2021",
            DatePrecision::Season,
            ymd(2020, 12, 1),
            ymd(2021, 2, 28),
        );
        exact(
            "Winter 1999/00",
            DatePrecision::Season,
            ymd(1999, 12, 1),
            ymd(2000, 2, 29),
        );
        assert_eq!(
            error("Winter 2019/21"),
            "\"Winter 2019/21\" is not a date: a winter runs into the next year, so write Winter 2019/20"
        );
        assert!(error("Summer 2019/20").contains("write a season with its year"));
    }

    #[test]
    fn years() {
        exact(
            "2019",
            DatePrecision::Year,
            ymd(2019, 1, 1),
            ymd(2019, 12, 31),
        );
        exact(
            " 1987 ",
            DatePrecision::Year,
            ymd(1987, 1, 1),
            ymd(1987, 12, 31),
        );
    }

    #[test]
    fn ranges_in_every_written_form() {
        let (from, to) = (ymd(2018, 1, 1), ymd(2019, 12, 31));
        for s in [
            "between 2018 and 2019",
            "Between 2018 AND 2019",
            "2018-2019",
            "2018 - 2019",
            "2018\u{2013}2019",
            "2018 to 2019",
            "from 2018 to 2019",
        ] {
            exact(s, DatePrecision::Range, from, to);
        }
        exact(
            "between Feb 2019 and May 2019",
            DatePrecision::Range,
            ymd(2019, 2, 1),
            ymd(2019, 5, 31),
        );
        exact(
            "between 03/02/2019 and 10/02/2019",
            DatePrecision::Range,
            ymd(2019, 2, 3),
            ymd(2019, 2, 10),
        );
        for s in [
            "Feb-May 2019",
            "Feb\u{2013}May 2019",
            "Feb to May 2019",
            "between Feb and May 2019",
        ] {
            exact(s, DatePrecision::Range, ymd(2019, 2, 1), ymd(2019, 5, 31));
        }
        exact(
            "Nov 2019 - Feb 2020",
            DatePrecision::Range,
            ymd(2019, 11, 1),
            ymd(2020, 2, 29),
        );
        exact(
            "between Summer 2019 and w/c 05/08/2019",
            DatePrecision::Range,
            ymd(2019, 6, 1),
            ymd(2019, 8, 11),
        );
        exact(
            "2019-02-03 to 2019-02-10",
            DatePrecision::Range,
            ymd(2019, 2, 3),
            ymd(2019, 2, 10),
        );
        // Ends that overlap still make a range.
        exact(
            "between 2019 and 2019",
            DatePrecision::Range,
            ymd(2019, 1, 1),
            ymd(2019, 12, 31),
        );
    }

    #[test]
    fn reversed_ranges_are_refused() {
        assert_eq!(
            error("between 2019 and 2018"),
            "\"between 2019 and 2018\" is not a date range: 2019 comes after 2018; write the earlier date first"
        );
        assert!(error("2019-2018").contains("comes after"));
        assert!(error("between 10/02/2019 and 03/02/2019").contains("comes after"));
        assert!(error("Nov-Feb 2020").contains("comes after"));
    }

    #[test]
    fn range_ends_are_checked_like_any_date() {
        assert_eq!(
            error("between 31/02/2019 and 2020"),
            "31/02/2019 is not a date: February 2019 has 28 days"
        );
        assert!(error("between 2018 and Febtober").contains("\"Febtober\" is not a date"));
        assert!(error("between before 2018 and 2019").contains("is not a date"));
    }

    #[test]
    fn before_and_after_any_precision() {
        assert_eq!(
            meaning("before 12/03/2019"),
            (DatePrecision::Before, false, None, Some(ymd(2019, 3, 11)))
        );
        assert_eq!(
            meaning("Before Feb 2019"),
            (DatePrecision::Before, false, None, Some(ymd(2019, 1, 31)))
        );
        assert_eq!(
            meaning("before 2019"),
            (DatePrecision::Before, false, None, Some(ymd(2018, 12, 31)))
        );
        assert_eq!(
            meaning("after Feb 2019"),
            (DatePrecision::After, false, Some(ymd(2019, 3, 1)), None)
        );
        assert_eq!(
            meaning("after 12/03/2019"),
            (DatePrecision::After, false, Some(ymd(2019, 3, 13)), None)
        );
        assert_eq!(
            meaning("after Winter 2019"),
            (DatePrecision::After, false, Some(ymd(2020, 3, 1)), None)
        );
        assert_eq!(
            meaning("after w/c 05/08/2019"),
            (DatePrecision::After, false, Some(ymd(2019, 8, 12)), None)
        );
    }

    #[test]
    fn approximate_markers_on_any_form() {
        for s in [
            "c. 2015",
            "c 2015",
            "c.2015",
            "circa 2015",
            "approx. 2015",
            "approx 2015",
            "about 2015",
            "~2015",
            "~ 2015",
            "C. 2015",
            "ca. 2015",
        ] {
            assert_eq!(
                meaning(s),
                (
                    DatePrecision::Year,
                    true,
                    Some(ymd(2015, 1, 1)),
                    Some(ymd(2015, 12, 31))
                ),
                "parsing {s:?}"
            );
        }
        assert_eq!(meaning("c. March 2019").0, DatePrecision::Month);
        assert!(meaning("c. March 2019").1);
        assert_eq!(meaning("c. 03/02/2019").0, DatePrecision::Day);
        assert_eq!(meaning("~ w/c 05/08/2019").0, DatePrecision::Week);
        assert_eq!(meaning("circa Summer 2019").0, DatePrecision::Season);
        assert_eq!(meaning("c. between 2018 and 2019").0, DatePrecision::Range);
        assert!(meaning("c. between 2018 and 2019").1);
        assert!(meaning("between c. 2018 and 2019").1);
        assert_eq!(
            meaning("c. before 12/03/2019"),
            (DatePrecision::Before, true, None, Some(ymd(2019, 3, 11)))
        );
        assert!(meaning("after c. 2019").1);
        assert!(!meaning("03/02/2019").1);
    }

    #[test]
    fn undated_words() {
        for s in [
            "Unknown",
            "UNKNOWN",
            "undated",
            "Not known",
            "not  known",
            "n/k",
            "N/K",
            "date unknown",
            "Unknown date",
        ] {
            assert_eq!(
                meaning(s),
                (DatePrecision::Undated, false, None, None),
                "{s:?}"
            );
        }
        let undated = FuzzyDate::undated();
        assert_eq!(undated.text, "Unknown");
        assert_eq!(undated.display(), "Undated");
        assert_eq!(
            (undated.precision, undated.earliest, undated.latest),
            (DatePrecision::Undated, None, None)
        );
    }

    #[test]
    fn display_forms() {
        let cases = [
            ("3/2/2019", "03 Feb 2019"),
            ("w/c 5/8/2019", "w/c 05 Aug 2019"),
            ("February 2019", "Feb 2019"),
            ("09/2019", "Sep 2019"),
            ("summer 2019", "Summer 2019"),
            ("Fall 2019", "Autumn 2019"),
            ("Winter 2019", "Winter 2019/20"),
            ("2019", "2019"),
            ("2018-2019", "between 2018 and 2019"),
            ("Feb-May 2019", "between Feb 2019 and May 2019"),
            (
                "between 03/02/2019 and 10/02/2019",
                "between 03 Feb 2019 and 10 Feb 2019",
            ),
            (
                "between 2018 and 05/03/2019",
                "between 2018 and 05 Mar 2019",
            ),
            ("before 12/03/2019", "before 12 Mar 2019"),
            ("before 2019", "before 2019"),
            ("after February 2019", "after Feb 2019"),
            ("after 31/12/2019", "after 2019"),
            ("c. 2015", "c. 2015"),
            ("circa March 2019", "c. Mar 2019"),
            ("~before 12/03/2019", "c. before 12 Mar 2019"),
            ("n/k", "Undated"),
        ];
        for (input, shown) in cases {
            assert_eq!(parse(input).display(), shown, "display of {input:?}");
            assert_eq!(parse(input).to_string(), shown, "Display of {input:?}");
        }
    }

    #[test]
    fn day_constructor_uses_the_display_form() {
        let date = FuzzyDate::day(ymd(2019, 2, 3));
        assert_eq!(date.text, "03 Feb 2019");
        assert_eq!(date, parse("03 Feb 2019"));
    }

    #[test]
    fn from_parts_rebuilds_and_survives_bad_parts() {
        let parsed = parse("c. Summer 2019");
        let rebuilt = FuzzyDate::from_parts(
            parsed.text.clone(),
            DatePrecision::from_code(parsed.precision.code()).expect("code"),
            parsed.approximate,
            parsed.earliest,
            parsed.latest,
        );
        assert_eq!(rebuilt, parsed);
        // A day with no date stored cannot be displayed from its parts: show the text.
        let broken = FuzzyDate::from_parts("sometime", DatePrecision::Day, false, None, None);
        assert_eq!(broken.display(), "sometime");
        let odd_season = FuzzyDate::from_parts(
            "odd",
            DatePrecision::Season,
            false,
            Some(ymd(2019, 4, 1)),
            Some(ymd(2019, 6, 30)),
        );
        assert_eq!(odd_season.display(), "odd");
    }

    /// Every display form parses back to the same meaning, for many values of each form.
    #[test]
    fn display_round_trips() {
        let mut dates = Vec::new();
        let mut day = ymd(2015, 12, 20);
        while day <= ymd(2020, 3, 10) {
            dates.push(FuzzyDate::day(day));
            dates.push(parse(&format!("w/c {}", day.format("%d/%m/%Y"))));
            dates.push(parse(&format!("before {}", day.format("%d/%m/%Y"))));
            dates.push(parse(&format!("after {}", day.format("%d/%m/%Y"))));
            let later = day + Days::new(40);
            dates.push(parse(&format!(
                "between {} and {}",
                day.format("%d/%m/%Y"),
                later.format("%d/%m/%Y")
            )));
            day = day + Days::new(3);
        }
        for year in 1995..=2030 {
            dates.push(parse(&year.to_string()));
            dates.push(parse(&format!("between {year} and {}", year + 2)));
            for season in ["Spring", "Summer", "Autumn", "Winter"] {
                dates.push(parse(&format!("{season} {year}")));
                dates.push(parse(&format!("after {season} {year}")));
            }
            for month in 1..=12 {
                dates.push(parse(&format!("{month:02}/{year}")));
                dates.push(parse(&format!("before {month:02}/{year}")));
                dates.push(parse(&format!("after {month:02}/{year}")));
                dates.push(parse(&format!("between {month:02}/{year} and {year}")));
            }
        }
        dates.push(FuzzyDate::undated());
        let count = dates.len();
        for date in dates.iter().cloned() {
            let mut approximate = date.clone();
            approximate.approximate = date.precision != DatePrecision::Undated;
            for original in [date, approximate] {
                let shown = original.display();
                let again = parse(&shown);
                assert_eq!(
                    (
                        again.precision,
                        again.approximate,
                        again.earliest,
                        again.latest
                    ),
                    (
                        original.precision,
                        original.approximate,
                        original.earliest,
                        original.latest
                    ),
                    "round trip of {shown:?} (from {:?})",
                    original.text
                );
                assert_eq!(again.display(), shown, "display is stable for {shown:?}");
            }
        }
        assert!(count > 3000, "only {count} values were tried");
    }

    #[test]
    fn ordering_puts_undated_last_and_sorts_by_earliest() {
        let mut dates = vec![
            parse("Unknown"),
            parse("2019"),
            parse("c. March 2019"),
            parse("03/02/2019"),
            parse("Feb 2019"),
            parse("before 12/03/2019"),
            parse("after Feb 2019"),
            parse("w/c 05/08/2019"),
            parse("Summer 2019"),
            parse("between 2018 and 2019"),
        ];
        dates.sort();
        let shown: Vec<String> = dates.iter().map(FuzzyDate::display).collect();
        assert_eq!(
            shown,
            [
                "between 2018 and 2019",
                "2019",
                "Feb 2019",
                "03 Feb 2019",
                "c. Mar 2019",
                "after Feb 2019",
                "before 12 Mar 2019",
                "Summer 2019",
                "w/c 05 Aug 2019",
                "Undated",
            ]
        );
    }

    #[test]
    fn ordering_is_total_and_agrees_with_equality() {
        let a = parse("Feb 2019");
        let b = parse("February 2019");
        assert_ne!(a, b);
        assert_ne!(a.cmp(&b), Ordering::Equal);
        assert_eq!(a.sort_key(), b.sort_key());
        assert_eq!(a.cmp(&a.clone()), Ordering::Equal);
        assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
        // Same text and bounds but a different flag are different and ordered.
        let mut c = a.clone();
        c.approximate = true;
        assert_ne!(a, c);
        assert_eq!(a.cmp(&c), Ordering::Less);
        assert_eq!(a.partial_cmp(&c), Some(Ordering::Less));
    }

    #[test]
    fn sort_keys() {
        assert_eq!(
            parse("before 12/03/2019").sort_key(),
            (false, ymd(2019, 3, 11), ymd(2019, 3, 11))
        );
        assert_eq!(
            parse("after 12/03/2019").sort_key(),
            (false, ymd(2019, 3, 13), NaiveDate::MAX)
        );
        assert!(FuzzyDate::undated().sort_key().0);
        assert!(!parse("2019").sort_key().0);
    }

    #[test]
    fn contains_and_overlaps() {
        let month = parse("Feb 2019");
        assert!(month.contains(ymd(2019, 2, 1)));
        assert!(month.contains(ymd(2019, 2, 28)));
        assert!(!month.contains(ymd(2019, 3, 1)));
        assert!(!month.contains(ymd(2019, 1, 31)));
        let before = parse("before 12/03/2019");
        assert!(before.contains(ymd(1990, 1, 1)));
        assert!(before.contains(ymd(2019, 3, 11)));
        assert!(!before.contains(ymd(2019, 3, 12)));
        let after = parse("after 12/03/2019");
        assert!(after.contains(ymd(2040, 1, 1)));
        assert!(!after.contains(ymd(2019, 3, 12)));
        assert!(!FuzzyDate::undated().contains(ymd(2019, 3, 12)));
        assert!(month.overlaps(ymd(2019, 1, 15), ymd(2019, 2, 1)));
        assert!(!month.overlaps(ymd(2019, 3, 1), ymd(2019, 4, 1)));
        assert!(!FuzzyDate::undated().overlaps(NaiveDate::MIN, NaiveDate::MAX));
    }
}
