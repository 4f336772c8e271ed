//! The live-minuting grammar: what one line typed in the minutes view means.
//!
//! [`parse_minute`] turns a committed line (which may hold line breaks: a multi-line minute)
//! into a [`MinuteLine`], or a [`MinuteError`] that says what is wrong and shows the expected
//! form. It is syntax plus date parsing only: whether a name, an agency or an owner is one the
//! case knows is decided by the app against the case's records.
//!
//! Choices the grammar's rules leave open, made here:
//! - The command is the first word (up to the first whitespace, a line break included),
//!   matched whole and ignoring case: `/D` is `/d`, `/decide` is an unknown command.
//! - Line endings are normalised to `\n` (a paste from Windows brings `\r\n`); every part is
//!   trimmed, line breaks inside a text part are kept. Single-line parts (names, agencies,
//!   roles, owners, dates, numbers) may not hold a line break: one there is a slip.
//! - A correction is `s/OLD/NEW/` as the whole line, lower-case `s` as in sed. A `/` inside
//!   OLD or NEW is written `\/` and a backslash before a `/` or another backslash is written
//!   `\\`; any other backslash is kept as typed. OLD and NEW are not trimmed (a space can be
//!   what is corrected); OLD may not be empty, NEW may. A line with more unescaped slashes,
//!   or anything after the last one, is a note ("s/he was late", "s/a/b/c/").
//! - `/present` splits on the first two commas, so a role may hold commas; `/apologies`
//!   takes at most one comma. An empty part between commas is an error.
//! - `/action`: the first `:` ends the owner part (a due date never holds one); in it the
//!   first `,` must start `due DATE`. Something like `/a Jo due 10 Dec: …` (no comma) is an
//!   error asking for the comma rather than an owner called "Jo due 10 Dec".
//! - A due date may lie in the past: whether that deserves a warning is for the app.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::date::{DatePrecision, FuzzyDate};
use super::date::{MONTH_NAMES, month_number};
use super::model::{Meeting, MeetingStatus};

/// What one committed line of live minuting means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MinuteLine {
    /// Plain text, or `//text` (kept as "/text").
    Note(String),
    /// `/item N`: go to agenda item N (N ≥ 1).
    Item(u32),
    /// `/next`: go to the next agenda item.
    Next,
    /// `/present NAME[, AGENCY[, ROLE]]`.
    Present {
        name: String,
        agency: Option<String>,
        role: Option<String>,
    },
    /// `/apologies NAME[, AGENCY]`.
    Apologies {
        name: String,
        agency: Option<String>,
    },
    /// `/declare NAME: TEXT`.
    Declare { name: String, text: String },
    /// `/decision TEXT` or `/d TEXT`.
    Decision(String),
    /// `/action OWNER[ (AGENCY)][, due DATE]: TEXT` or `/a …`.
    Action {
        owner: String,
        agency: Option<String>,
        due: Option<NaiveDate>,
        text: String,
    },
    /// `/challenge AGENCY: QUESTION` or `/c …`.
    Challenge { agency: String, question: String },
    /// `/approve N`: approve the minutes of earlier meeting N.
    Approve(u32),
    /// `/amend N: TEXT`: amend the approved minutes of meeting N.
    Amend { meeting: u32, text: String },
    /// `/undo`: withdraw the last line of this meeting.
    Undo,
    /// `s/OLD/NEW/`: correct the last line.
    Correct { old: String, new: String },
}

/// A line that cannot be saved: what is wrong, and the form that was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinuteError {
    pub message: String,
}

impl MinuteError {
    fn new(message: impl Into<String>) -> MinuteError {
        MinuteError {
            message: message.into(),
        }
    }

    /// "{problem}: {usage}", so every error shows the form that works.
    fn with_usage(problem: impl fmt::Display, usage: &str) -> MinuteError {
        MinuteError::new(format!("{problem}: {usage}"))
    }
}

impl fmt::Display for MinuteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MinuteError {}

/// How each minuting command is written: the one source of the usage text that the
/// parser's errors, [`COMMANDS`] and the keys of the minutes input all show.
macro_rules! minute_usage {
    (item) => {
        "/item N"
    };
    (next) => {
        "/next"
    };
    (present) => {
        "/present NAME[, AGENCY[, ROLE]]"
    };
    (apologies) => {
        "/apologies NAME[, AGENCY]"
    };
    (declare) => {
        "/declare NAME: TEXT"
    };
    (decision) => {
        concat!("/decision ", minute_usage!(decision_args))
    };
    (d) => {
        concat!("/d ", minute_usage!(decision_args))
    };
    (decision_args) => {
        "TEXT"
    };
    (action) => {
        concat!("/action ", minute_usage!(action_args))
    };
    (a) => {
        concat!("/a ", minute_usage!(action_args))
    };
    (action_args) => {
        "OWNER[ (AGENCY)][, due DATE]: TEXT"
    };
    (challenge) => {
        concat!("/challenge ", minute_usage!(challenge_args))
    };
    (c) => {
        concat!("/c ", minute_usage!(challenge_args))
    };
    (challenge_args) => {
        "AGENCY: QUESTION"
    };
    (approve) => {
        "/approve N"
    };
    (amend) => {
        "/amend N: TEXT"
    };
    (undo) => {
        "/undo"
    };
    (correct) => {
        "s/OLD/NEW/"
    };
}
pub(crate) use minute_usage;

const ITEM: &str = minute_usage!(item);
const NEXT: &str = minute_usage!(next);
const PRESENT: &str = minute_usage!(present);
const APOLOGIES: &str = minute_usage!(apologies);
const DECLARE: &str = minute_usage!(declare);
const DECISION: &str = minute_usage!(decision);
const ACTION: &str = minute_usage!(action);
const CHALLENGE: &str = minute_usage!(challenge);
const APPROVE: &str = minute_usage!(approve);
const AMEND: &str = minute_usage!(amend);
const UNDO: &str = minute_usage!(undo);
const CORRECT: &str = minute_usage!(correct);

/// The forms a due date may take, for error messages.
const DUE_FORMS: &str =
    "a due date is a day: 10/12/2026, 10/12/26, 10 Dec 2026, or 10 Dec for the next 10 December";

/// Every form a minuting line can take, as (usage, what it does), for the help and footer.
pub const COMMANDS: &[(&str, &str)] = &[
    ("TEXT", "a note under the current agenda item"),
    (ITEM, "go to agenda item N"),
    (NEXT, "go to the next agenda item"),
    (
        PRESENT,
        "mark attendance; a new person needs an agency or `independent`",
    ),
    (APOLOGIES, "record apologies"),
    (DECLARE, "record a declaration of interest"),
    (minute_usage!(d), "a decision (or /decision)"),
    (
        minute_usage!(a),
        "an action (or /action); due 10/12/2026 or 10 Dec",
    ),
    (minute_usage!(c), "a challenge to an agency (or /challenge)"),
    (APPROVE, "approve the minutes of earlier meeting N"),
    (AMEND, "amend the approved minutes of meeting N"),
    (UNDO, "withdraw the last line and any record it made"),
    (CORRECT, "correct the last line (write \\/ for a / inside)"),
    ("//TEXT", "a note that starts with /"),
];

/// Whether `line` may be written to the minutes of `meeting` as it stands now: approved
/// minutes are locked, and a closed meeting takes only `/undo` and `s/old/new/`. The
/// store checks this again inside the transaction that writes the line.
pub fn check_line_allowed(meeting: &Meeting, line: &MinuteLine) -> Result<(), String> {
    if meeting.status == MeetingStatus::Approved {
        return Err(format!(
            "the minutes of meeting {} are approved and locked: record an amendment at a later meeting (/amend {}: …)",
            meeting.number, meeting.number
        ));
    }
    if meeting.status == MeetingStatus::Closed
        && !matches!(line, MinuteLine::Undo | MinuteLine::Correct { .. })
    {
        return Err(format!(
            "meeting {} is closed: its lines can still be edited (Esc, then e) until it is approved",
            meeting.number
        ));
    }
    Ok(())
}

/// The rationale of the decision that records an approval: the fingerprint of the
/// minutes approved, which ties the decision to the meeting it approved.
pub fn approval_rationale(fingerprint: &str) -> String {
    format!("Fingerprint {fingerprint}")
}

/// The command words, as listed in the unknown-command error.
const COMMAND_LIST: &str = "/item, /next, /present, /apologies, /declare, /decision (/d), \
     /action (/a), /challenge (/c), /approve, /amend, /undo";

/// Parses one committed line of live minuting. `today` resolves due dates such as "10 Dec".
pub fn parse_minute(line: &str, today: NaiveDate) -> Result<MinuteLine, MinuteError> {
    let normal = line.replace("\r\n", "\n").replace('\r', "\n");
    let text = normal.trim();
    if text.is_empty() {
        return Err(MinuteError::new(
            "nothing to save: type a note, or a command such as /d TEXT (? lists them)",
        ));
    }
    if let Some(rest) = text.strip_prefix("//") {
        return Ok(MinuteLine::Note(format!("/{rest}")));
    }
    if !text.starts_with('/') {
        return Ok(parse_correction(text)?.unwrap_or_else(|| MinuteLine::Note(text.to_string())));
    }
    let (word, rest) = match text.find(char::is_whitespace) {
        Some(at) => (&text[..at], text[at..].trim()),
        None => (text, ""),
    };
    match word.to_lowercase().as_str() {
        "/item" => Ok(MinuteLine::Item(positive_number(
            rest,
            "/item",
            "an agenda item number",
            ITEM,
        )?)),
        "/next" => nothing_after(rest, "/next", NEXT).map(|()| MinuteLine::Next),
        "/present" => parse_present(rest),
        "/apologies" => parse_apologies(rest),
        "/declare" => parse_declare(rest),
        "/decision" | "/d" => {
            if rest.is_empty() {
                Err(MinuteError::with_usage(
                    "/decision needs the decision's text",
                    DECISION,
                ))
            } else {
                Ok(MinuteLine::Decision(rest.to_string()))
            }
        }
        "/action" | "/a" => parse_action(rest, today),
        "/challenge" | "/c" => parse_challenge(rest),
        "/approve" => Ok(MinuteLine::Approve(positive_number(
            rest,
            "/approve",
            "a meeting number",
            APPROVE,
        )?)),
        "/amend" => parse_amend(rest),
        "/undo" => nothing_after(rest, "/undo", UNDO).map(|()| MinuteLine::Undo),
        _ => Err(unknown_command(word)),
    }
}

fn unknown_command(word: &str) -> MinuteError {
    // "/decision:" or "/d," is a known command with no space after it.
    let bare = word.trim_end_matches([':', ',', '.', ';']);
    let known = [
        "/item",
        "/next",
        "/present",
        "/apologies",
        "/declare",
        "/decision",
    ]
    .into_iter()
    .chain(["/d", "/action", "/a", "/challenge", "/c", "/approve"])
    .chain(["/amend", "/undo"])
    .find(|command| command.eq_ignore_ascii_case(bare));
    match known {
        Some(command) if bare != word => MinuteError::new(format!(
            "unknown command \"{word}\": put a space after {command}, e.g. {}",
            usage_of(command)
        )),
        _ => MinuteError::new(format!(
            "unknown command {word}: the commands are {COMMAND_LIST}; write //TEXT for a note \
             that starts with /"
        )),
    }
}

fn usage_of(command: &str) -> &'static str {
    match command {
        "/item" => ITEM,
        "/next" => NEXT,
        "/present" => PRESENT,
        "/apologies" => APOLOGIES,
        "/declare" => DECLARE,
        "/decision" | "/d" => DECISION,
        "/action" | "/a" => ACTION,
        "/challenge" | "/c" => CHALLENGE,
        "/approve" => APPROVE,
        "/amend" => AMEND,
        _ => UNDO,
    }
}

/// A whole line of the form `s/OLD/NEW/`, or `None` if the line is a note.
fn parse_correction(text: &str) -> Result<Option<MinuteLine>, MinuteError> {
    let Some(body) = text.strip_prefix("s/") else {
        return Ok(None);
    };
    let mut parts = vec![String::new()];
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        let escaped = match (c, chars.peek()) {
            ('\\', Some(&next)) if next == '/' || next == '\\' => {
                chars.next();
                Some(next)
            }
            ('/', _) => None,
            _ => Some(c),
        };
        match (escaped, parts.last_mut()) {
            (Some(c), Some(part)) => part.push(c),
            _ => parts.push(String::new()),
        }
    }
    match parts.as_slice() {
        [old, new, end] if end.is_empty() => {
            if old.is_empty() {
                return Err(MinuteError::with_usage(
                    "a correction needs the text to replace (write \\/ for a / inside it)",
                    CORRECT,
                ));
            }
            Ok(Some(MinuteLine::Correct {
                old: old.clone(),
                new: new.clone(),
            }))
        }
        _ => Ok(None),
    }
}

/// Refuses a line break in a part that names something (a person, an agency, a number).
fn one_line<'a>(part: &'a str, what: &str, usage: &str) -> Result<&'a str, MinuteError> {
    if part.contains('\n') {
        return Err(MinuteError::with_usage(
            format!("{what} must be on one line"),
            usage,
        ));
    }
    Ok(part)
}

fn nothing_after(rest: &str, command: &str, usage: &str) -> Result<(), MinuteError> {
    if rest.is_empty() {
        Ok(())
    } else {
        Err(MinuteError::with_usage(
            format!("{command} takes nothing after it, but \"{rest}\" follows"),
            usage,
        ))
    }
}

/// A positive whole number: an agenda item or a meeting.
fn positive_number(text: &str, command: &str, what: &str, usage: &str) -> Result<u32, MinuteError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(MinuteError::with_usage(
            format!("{command} needs {what}"),
            usage,
        ));
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MinuteError::with_usage(
            format!("{command} needs {what} (a whole number), not \"{text}\""),
            usage,
        ));
    }
    match text.parse::<u32>() {
        Ok(0) => Err(MinuteError::with_usage(
            format!("{command}: numbers start at 1, not 0"),
            usage,
        )),
        Ok(number) => Ok(number),
        Err(_) => Err(MinuteError::with_usage(
            format!("{command}: {text} is too large to be {what}"),
            usage,
        )),
    }
}

fn parse_present(rest: &str) -> Result<MinuteLine, MinuteError> {
    let parts: Vec<&str> = rest.splitn(3, ',').map(str::trim).collect();
    let (name, agency, role) = match parts.as_slice() {
        [name] => (*name, None, None),
        [name, agency] => (*name, Some(*agency), None),
        [name, agency, role] => (*name, Some(*agency), Some(*role)),
        _ => ("", None, None),
    };
    if name.is_empty() {
        return Err(MinuteError::with_usage("/present needs a name", PRESENT));
    }
    if agency == Some("") {
        return Err(MinuteError::with_usage(
            "/present: the agency after the first comma is empty",
            PRESENT,
        ));
    }
    if role == Some("") {
        return Err(MinuteError::with_usage(
            "/present: the role after the second comma is empty",
            PRESENT,
        ));
    }
    let name = one_line(name, "a name", PRESENT)?;
    let agency = agency
        .map(|agency| one_line(agency, "an agency", PRESENT))
        .transpose()?;
    let role = role
        .map(|role| one_line(role, "a role", PRESENT))
        .transpose()?;
    Ok(MinuteLine::Present {
        name: name.to_string(),
        agency: agency.map(str::to_string),
        role: role.map(str::to_string),
    })
}

fn parse_apologies(rest: &str) -> Result<MinuteLine, MinuteError> {
    let parts: Vec<&str> = rest.split(',').map(str::trim).collect();
    let (name, agency) = match parts.as_slice() {
        [name] => (*name, None),
        [name, agency] => (*name, Some(*agency)),
        _ => {
            return Err(MinuteError::with_usage(
                "/apologies takes a name and at most an agency, with one comma",
                APOLOGIES,
            ));
        }
    };
    if name.is_empty() {
        return Err(MinuteError::with_usage(
            "/apologies needs a name",
            APOLOGIES,
        ));
    }
    if agency == Some("") {
        return Err(MinuteError::with_usage(
            "/apologies: the agency after the comma is empty",
            APOLOGIES,
        ));
    }
    let name = one_line(name, "a name", APOLOGIES)?;
    let agency = agency
        .map(|agency| one_line(agency, "an agency", APOLOGIES))
        .transpose()?;
    Ok(MinuteLine::Apologies {
        name: name.to_string(),
        agency: agency.map(str::to_string),
    })
}

/// Splits `HEAD: TEXT` at the first colon into trimmed parts; `None` without a colon.
fn split_colon(rest: &str) -> Option<(&str, &str)> {
    rest.split_once(':')
        .map(|(head, text)| (head.trim(), text.trim()))
}

fn parse_declare(rest: &str) -> Result<MinuteLine, MinuteError> {
    let Some((name, text)) = split_colon(rest) else {
        return Err(MinuteError::with_usage(
            "/declare needs a name, a colon and the declaration",
            DECLARE,
        ));
    };
    if name.is_empty() {
        return Err(MinuteError::with_usage(
            "/declare needs a name before the colon",
            DECLARE,
        ));
    }
    if text.is_empty() {
        return Err(MinuteError::with_usage(
            "/declare needs the declaration after the colon",
            DECLARE,
        ));
    }
    Ok(MinuteLine::Declare {
        name: one_line(name, "a name", DECLARE)?.to_string(),
        text: text.to_string(),
    })
}

fn parse_challenge(rest: &str) -> Result<MinuteLine, MinuteError> {
    let Some((agency, question)) = split_colon(rest) else {
        return Err(MinuteError::with_usage(
            "/challenge needs an agency, a colon and the question",
            CHALLENGE,
        ));
    };
    if agency.is_empty() {
        return Err(MinuteError::with_usage(
            "/challenge needs an agency before the colon",
            CHALLENGE,
        ));
    }
    if question.is_empty() {
        return Err(MinuteError::with_usage(
            "/challenge needs the question after the colon",
            CHALLENGE,
        ));
    }
    Ok(MinuteLine::Challenge {
        agency: one_line(agency, "an agency", CHALLENGE)?.to_string(),
        question: question.to_string(),
    })
}

fn parse_amend(rest: &str) -> Result<MinuteLine, MinuteError> {
    let Some((number, text)) = split_colon(rest) else {
        return Err(MinuteError::with_usage(
            "/amend needs a meeting number, a colon and the amendment",
            AMEND,
        ));
    };
    let meeting = positive_number(number, "/amend", "a meeting number", AMEND)?;
    if text.is_empty() {
        return Err(MinuteError::with_usage(
            "/amend needs the amendment after the colon",
            AMEND,
        ));
    }
    Ok(MinuteLine::Amend {
        meeting,
        text: text.to_string(),
    })
}

fn parse_action(rest: &str, today: NaiveDate) -> Result<MinuteLine, MinuteError> {
    let needs_both = || MinuteError::with_usage("/action needs an owner and a text", ACTION);
    let Some((head, text)) = split_colon(rest) else {
        return Err(needs_both());
    };
    if head.is_empty() && text.is_empty() {
        return Err(needs_both());
    }
    let (owner_part, due) = match head.split_once(',') {
        Some((owner, clause)) => (owner.trim(), Some(due_clause(clause.trim(), today)?)),
        None => (head, None),
    };
    let owner_part = one_line(owner_part, "the owner", ACTION)?;
    let (owner, agency) = split_owner(owner_part)?;
    if owner.is_empty() {
        return Err(MinuteError::with_usage(
            "/action needs an owner before the colon",
            ACTION,
        ));
    }
    if due.is_none() {
        refuse_due_without_comma(owner, today)?;
    }
    if text.is_empty() {
        return Err(MinuteError::with_usage(
            "/action needs the action's text after the colon",
            ACTION,
        ));
    }
    Ok(MinuteLine::Action {
        owner: owner.to_string(),
        agency: agency.map(str::to_string),
        due,
        text: text.to_string(),
    })
}

/// `due DATE`, the part after the owner's comma.
fn due_clause(clause: &str, today: NaiveDate) -> Result<NaiveDate, MinuteError> {
    let date = clause
        .get(..3)
        .filter(|word| word.eq_ignore_ascii_case("due"))
        .and_then(|_| clause.get(3..))
        .filter(|after| after.is_empty() || after.starts_with(char::is_whitespace));
    match date.map(str::trim) {
        None => Err(MinuteError::with_usage(
            format!(
                "/action: after the owner's comma comes \"due DATE\", not \"{clause}\" \
                 (put an agency in brackets after the owner)"
            ),
            ACTION,
        )),
        Some("") => Err(MinuteError::with_usage(
            format!("/action: \"due\" needs a date after it; {DUE_FORMS}"),
            ACTION,
        )),
        Some(date) => parse_due_date(one_line(date, "a due date", ACTION)?, today),
    }
}

/// Splits `OWNER (AGENCY)` into the owner and the agency in the closing brackets.
fn split_owner(part: &str) -> Result<(&str, Option<&str>), MinuteError> {
    if !part.ends_with(')') {
        return Ok((part, None));
    }
    // The bracket that opens the last one, counting nested pairs.
    let mut depth = 0usize;
    let mut open = None;
    for (at, c) in part.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    open = Some(at);
                    break;
                }
            }
            _ => {}
        }
    }
    let Some(open) = open else {
        return Err(MinuteError::with_usage(
            format!("/action: the brackets in \"{part}\" do not match"),
            ACTION,
        ));
    };
    let owner = part[..open].trim();
    let agency = part[open + 1..part.len() - 1].trim();
    if agency.is_empty() {
        return Err(MinuteError::with_usage(
            "/action: the agency in brackets is empty",
            ACTION,
        ));
    }
    Ok((owner, Some(agency)))
}

/// "/a Jo due 10 Dec: …" is an action with a due date missing its comma, not an owner
/// called "Jo due 10 Dec": ask for the comma.
fn refuse_due_without_comma(owner: &str, today: NaiveDate) -> Result<(), MinuteError> {
    let lower = owner.to_ascii_lowercase();
    for (at, _) in lower.match_indices("due") {
        let starts_word = lower[..at].ends_with(char::is_whitespace);
        let after = &owner[at + 3..];
        if starts_word
            && after.starts_with(char::is_whitespace)
            && parse_due_date(after.trim(), today).is_ok()
        {
            return Err(MinuteError::with_usage(
                format!(
                    "/action: put a comma before the due date (\"{}, {}\")",
                    owner[..at].trim_end(),
                    owner[at..].trim()
                ),
                ACTION,
            ));
        }
    }
    Ok(())
}

/// Words that make a date approximate (as FuzzyDate reads them); an action is due on a
/// definite day, and "c. 10 Dec" should say so rather than that the year is missing.
const APPROXIMATE_STARTS: [&str; 8] = [
    "c.", "c ", "ca.", "circa", "approx", "about ", "around ", "~",
];

/// A due date: a UK date precise to the day (a two-digit year is always 20xx), or a day and
/// month meaning the next such date on or after `today`.
fn parse_due_date(written: &str, today: NaiveDate) -> Result<NaiveDate, MinuteError> {
    let refuse = |why: String| MinuteError::with_usage(format!("due date {why}"), ACTION);
    let lower = written.to_lowercase();
    if APPROXIMATE_STARTS
        .iter()
        .any(|start| lower.starts_with(start))
    {
        return Err(refuse(format!(
            "\"{written}\" is approximate: an action is due on a definite day; {DUE_FORMS}"
        )));
    }
    if let Some((day, month, short_year)) = day_and_month(written) {
        if !(1..=12).contains(&month) {
            return Err(refuse(format!(
                "\"{written}\" is not a date: there is no month {month} (dates are day first: dd/mm)"
            )));
        }
        if day == 0 {
            return Err(refuse(format!(
                "\"{written}\" is not a date: there is no day 0"
            )));
        }
        let month_name = MONTH_NAMES
            .get(month as usize - 1)
            .copied()
            .unwrap_or("that month");
        return match short_year {
            Some(short) => {
                let year = 2000 + short;
                NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
                    refuse(format!(
                        "\"{written}\" is not a date: {month_name} {year} has {} days",
                        days_in_month(year, month)
                    ))
                })
            }
            None => next_occurrence(day, month, today).ok_or_else(|| {
                refuse(format!(
                    "\"{written}\" is not a date: {month_name} never has {day} days"
                ))
            }),
        };
    }
    let date = FuzzyDate::parse_uk(written, today)
        .map_err(|error| refuse(format!("{}; {DUE_FORMS}", error.message)))?;
    if date.approximate {
        return Err(refuse(format!(
            "\"{written}\" is approximate: an action is due on a definite day; {DUE_FORMS}"
        )));
    }
    match (date.precision, date.earliest) {
        (DatePrecision::Day, Some(day)) => Ok(day),
        _ => Err(refuse(format!(
            "\"{written}\" is not precise to the day; {DUE_FORMS}"
        ))),
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|&day| NaiveDate::from_ymd_opt(year, month, day).is_some())
        .unwrap_or(28)
}

/// The first `day`/`month` on or after `today`; 29 February may be up to eight years away.
fn next_occurrence(day: u32, month: u32, today: NaiveDate) -> Option<NaiveDate> {
    (today.year()..=today.year() + 8)
        .filter_map(|year| NaiveDate::from_ymd_opt(year, month, day))
        .find(|date| *date >= today)
}

/// Day, month and (if written) a two-digit year, when `s` is exactly a day and a month with
/// perhaps a two-digit year: "10 Dec", "10/12", "10th of December", "10/12/26", "10 Dec 26".
///
/// It splits the text as FuzzyDate does (runs of digits or letters; spaces, `/ . , -` and
/// dashes between them; ordinal endings and "of" dropped), so no two-digit year reaches
/// FuzzyDate, whose rule for them (19xx when 20xx is in the future) is wrong for due dates.
fn day_and_month(s: &str) -> Option<(u32, u32, Option<i32>)> {
    let mut runs: Vec<&str> = Vec::new();
    let mut start = None;
    let kind = |c: char| {
        if c.is_ascii_digit() {
            Some(true)
        } else if c.is_ascii_alphabetic() {
            Some(false)
        } else {
            None
        }
    };
    let separator =
        |c: char| c.is_whitespace() || matches!(c, '/' | '.' | ',' | '-' | '\u{2013}' | '\u{2014}');
    for (at, c) in s.char_indices() {
        if let Some(begun) = start {
            if kind(c) == s[begun..].chars().next().and_then(kind) {
                continue;
            }
            runs.push(&s[begun..at]);
            start = None;
        }
        if kind(c).is_some() {
            start = Some(at);
        } else if !separator(c) {
            return None;
        }
    }
    if let Some(begun) = start {
        runs.push(&s[begun..]);
    }
    let is_number = |run: &str| run.bytes().all(|b| b.is_ascii_digit());
    let mut cleaned: Vec<&str> = Vec::with_capacity(runs.len());
    for run in runs {
        let after_day = cleaned
            .last()
            .is_some_and(|last| is_number(last) && last.len() <= 2);
        let ordinal = ["st", "nd", "rd", "th"]
            .iter()
            .any(|o| o.eq_ignore_ascii_case(run));
        if run.eq_ignore_ascii_case("of") || (after_day && ordinal) {
            continue;
        }
        cleaned.push(run);
    }
    let short = |run: &str, lengths: &[usize]| is_number(run) && lengths.contains(&run.len());
    let (day, month, year) = match cleaned.as_slice() {
        [day, month] => (*day, *month, None),
        [day, month, year] if short(year, &[2]) => (*day, *month, Some(*year)),
        _ => return None,
    };
    if !short(day, &[1, 2]) {
        return None;
    }
    let month = if short(month, &[1, 2]) {
        month.parse().ok()?
    } else {
        month_number(month)?
    };
    let year = match year {
        Some(year) => Some(year.parse().ok()?),
        None => None,
    };
    Some((day.parse().ok()?, month, year))
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

    fn parse(line: &str) -> MinuteLine {
        parse_minute(line, today()).unwrap_or_else(|e| panic!("{line:?} was refused: {e}"))
    }

    fn error(line: &str) -> String {
        match parse_minute(line, today()) {
            Ok(parsed) => panic!("{line:?} was accepted as {parsed:?}"),
            Err(e) => e.message,
        }
    }

    fn note(text: &str) -> MinuteLine {
        MinuteLine::Note(text.to_string())
    }

    fn action(owner: &str, agency: Option<&str>, due: Option<NaiveDate>, text: &str) -> MinuteLine {
        MinuteLine::Action {
            owner: owner.to_string(),
            agency: agency.map(str::to_string),
            due,
            text: text.to_string(),
        }
    }

    fn due(written: &str) -> NaiveDate {
        match parse(&format!("/a Jo, due {written}: call")) {
            MinuteLine::Action { due: Some(day), .. } => day,
            other => panic!("due {written:?} gave {other:?}"),
        }
    }

    fn due_error(written: &str) -> String {
        error(&format!("/a Jo, due {written}: call"))
    }

    #[test]
    fn plain_text_is_a_note_trimmed() {
        assert_eq!(
            parse("  The chair welcomed everyone.  "),
            note("The chair welcomed everyone.")
        );
        assert_eq!(parse("d the police"), note("d the police"));
    }

    #[test]
    fn empty_lines_are_refused() {
        for line in ["", "   ", "\n\t \r\n"] {
            assert!(
                error(line).starts_with("nothing to save"),
                "{line:?}: {}",
                error(line)
            );
        }
    }

    #[test]
    fn double_slash_is_a_note_starting_with_slash() {
        assert_eq!(parse("//d is not a decision"), note("/d is not a decision"));
        assert_eq!(parse("  ///x"), note("//x"));
        assert_eq!(parse("//"), note("/"));
    }

    #[test]
    fn multi_line_text_keeps_inner_breaks() {
        assert_eq!(
            parse("First point\n  second point\n"),
            note("First point\n  second point")
        );
        assert_eq!(
            parse("/d\nAgreed:\n- one\n- two\n"),
            MinuteLine::Decision("Agreed:\n- one\n- two".to_string())
        );
        assert_eq!(
            parse("/c Police: Why was the\ncall not logged?"),
            MinuteLine::Challenge {
                agency: "Police".to_string(),
                question: "Why was the\ncall not logged?".to_string(),
            }
        );
        assert_eq!(
            parse("/a DI Hart: Review\nthe logs"),
            action("DI Hart", None, None, "Review\nthe logs")
        );
        // Windows line endings from a paste become plain line breaks.
        assert_eq!(parse("one\r\ntwo\rthree"), note("one\ntwo\nthree"));
    }

    #[test]
    fn commands_match_whole_first_word_ignoring_case() {
        assert_eq!(
            parse("/d Agreed"),
            MinuteLine::Decision("Agreed".to_string())
        );
        assert_eq!(
            parse("/D Agreed"),
            MinuteLine::Decision("Agreed".to_string())
        );
        assert_eq!(
            parse("/DECISION Agreed"),
            MinuteLine::Decision("Agreed".to_string())
        );
        assert_eq!(parse("/Next"), MinuteLine::Next);
        assert_eq!(
            parse("/d\tTabbed"),
            MinuteLine::Decision("Tabbed".to_string())
        );
        // "/declare" is its own command, never "/d" followed by "eclare".
        assert_eq!(
            parse("/declare Jo: Knew the family"),
            MinuteLine::Declare {
                name: "Jo".to_string(),
                text: "Knew the family".to_string()
            }
        );
        assert!(error("/declare Agreed").starts_with("/declare needs a name, a colon"));
    }

    #[test]
    fn unknown_commands_are_named_and_the_commands_listed() {
        let message = error("/decide to review");
        assert!(
            message.starts_with("unknown command /decide: "),
            "{message}"
        );
        for command in ["/decision (/d)", "/action (/a)", "/challenge (/c)", "/undo"] {
            assert!(message.contains(command), "{message}");
        }
        assert!(message.contains("//TEXT"), "{message}");
        assert!(error("/").starts_with("unknown command /:"));
        assert!(error("/x").starts_with("unknown command /x:"));
        assert!(error("/dd text").starts_with("unknown command /dd:"));
        // A known command glued to punctuation gets a precise hint.
        assert_eq!(
            error("/decision: agreed"),
            "unknown command \"/decision:\": put a space after /decision, e.g. /decision TEXT"
        );
        assert!(error("/A: x").contains("put a space after /a"));
    }

    #[test]
    fn every_listed_command_is_known() {
        for (usage, what) in COMMANDS {
            assert!(!what.is_empty());
            let word = usage.split_whitespace().next().unwrap_or("");
            if word.starts_with('/') && !word.starts_with("//") {
                let result = parse_minute(word, today());
                if let Err(e) = &result {
                    assert!(
                        !e.message.starts_with("unknown command"),
                        "{usage}: {}",
                        e.message
                    );
                }
            }
        }
        let usages: Vec<&str> = COMMANDS.iter().map(|(usage, _)| *usage).collect();
        for needed in [
            "/d TEXT",
            "s/OLD/NEW/",
            "//TEXT",
            "/undo",
            "/item N",
            "/amend N: TEXT",
        ] {
            assert!(usages.contains(&needed), "{needed} missing from COMMANDS");
        }
    }

    #[test]
    fn item_and_next() {
        assert_eq!(parse("/item 3"), MinuteLine::Item(3));
        assert_eq!(parse("/item   12  "), MinuteLine::Item(12));
        assert_eq!(parse("/next"), MinuteLine::Next);
        assert_eq!(parse("/next   "), MinuteLine::Next);
    }

    #[test]
    fn numbers_must_be_positive_whole_numbers() {
        assert_eq!(error("/item"), "/item needs an agenda item number: /item N");
        assert_eq!(
            error("/item 0"),
            "/item: numbers start at 1, not 0: /item N"
        );
        assert_eq!(
            error("/item three"),
            "/item needs an agenda item number (a whole number), not \"three\": /item N"
        );
        for bad in ["-1", "+2", "1.5", "2 3", "3a"] {
            assert!(
                error(&format!("/item {bad}")).contains("(a whole number)"),
                "{bad}"
            );
            assert!(
                error(&format!("/approve {bad}")).contains("(a whole number)"),
                "{bad}"
            );
        }
        assert!(error("/item 99999999999").contains("too large"));
        assert_eq!(parse("/approve 2"), MinuteLine::Approve(2));
        assert_eq!(
            error("/approve"),
            "/approve needs a meeting number: /approve N"
        );
        assert!(error("/approve 0").contains("numbers start at 1"));
        assert!(error("/approve 2 as amended").contains("not \"2 as amended\""));
        assert!(error("/item 1\n2").contains("(a whole number)"));
    }

    #[test]
    fn undo_and_next_take_nothing_after() {
        assert_eq!(parse("/undo"), MinuteLine::Undo);
        assert_eq!(parse("/UNDO "), MinuteLine::Undo);
        assert_eq!(
            error("/undo that"),
            "/undo takes nothing after it, but \"that\" follows: /undo"
        );
        assert_eq!(
            error("/next item"),
            "/next takes nothing after it, but \"item\" follows: /next"
        );
        assert!(error("/undo\nmore").contains("\"more\" follows"));
    }

    #[test]
    fn present_with_name_agency_and_role() {
        assert_eq!(
            parse("/present Jo Smith"),
            MinuteLine::Present {
                name: "Jo Smith".to_string(),
                agency: None,
                role: None
            }
        );
        assert_eq!(
            parse("/present  Jo Smith ,  Police "),
            MinuteLine::Present {
                name: "Jo Smith".to_string(),
                agency: Some("Police".to_string()),
                role: None
            }
        );
        assert_eq!(
            parse("/present Ann Lee, independent, Chair, and author"),
            MinuteLine::Present {
                name: "Ann Lee".to_string(),
                agency: Some("independent".to_string()),
                role: Some("Chair, and author".to_string())
            }
        );
    }

    #[test]
    fn present_malformed() {
        assert_eq!(
            error("/present"),
            "/present needs a name: /present NAME[, AGENCY[, ROLE]]"
        );
        assert_eq!(error("/present , Police"), error("/present"));
        assert!(error("/present Jo,").contains("the agency after the first comma is empty"));
        assert!(error("/present Jo, , Chair").contains("agency after the first comma is empty"));
        assert!(error("/present Jo, Police,").contains("the role after the second comma is empty"));
        assert!(error("/present Jo\nSmith").contains("a name must be on one line"));
        assert!(error("/present Jo, Pol\nice").contains("an agency must be on one line"));
        assert!(error("/present Jo, Police, Ch\nair").contains("a role must be on one line"));
    }

    #[test]
    fn apologies() {
        assert_eq!(
            parse("/apologies Jo Smith"),
            MinuteLine::Apologies {
                name: "Jo Smith".to_string(),
                agency: None
            }
        );
        assert_eq!(
            parse("/APOLOGIES Jo Smith, NHS Trust"),
            MinuteLine::Apologies {
                name: "Jo Smith".to_string(),
                agency: Some("NHS Trust".to_string())
            }
        );
        assert_eq!(
            error("/apologies"),
            "/apologies needs a name: /apologies NAME[, AGENCY]"
        );
        assert!(error("/apologies Jo,").contains("the agency after the comma is empty"));
        assert!(error("/apologies Jo, Police, Chair").contains("at most an agency"));
        assert!(error("/apologies , Police").contains("needs a name"));
        assert!(error("/apologies Jo\nSmith").contains("one line"));
    }

    #[test]
    fn declare() {
        assert_eq!(
            parse("/declare Dr Patel : Was the GP of the family: 2015-2018"),
            MinuteLine::Declare {
                name: "Dr Patel".to_string(),
                text: "Was the GP of the family: 2015-2018".to_string()
            }
        );
        assert_eq!(
            error("/declare"),
            "/declare needs a name, a colon and the declaration: /declare NAME: TEXT"
        );
        assert!(error("/declare Jo").contains("a colon"));
        assert!(error("/declare : text").contains("needs a name before the colon"));
        assert!(error("/declare Jo:  ").contains("needs the declaration after the colon"));
        assert!(error("/declare Jo\nSmith: text").contains("one line"));
    }

    #[test]
    fn decision_and_alias() {
        assert_eq!(
            parse("/decision  The panel agreed to extend.  "),
            MinuteLine::Decision("The panel agreed to extend.".to_string())
        );
        assert_eq!(
            parse("/d Extend: by 2 weeks"),
            MinuteLine::Decision("Extend: by 2 weeks".to_string())
        );
        assert_eq!(
            error("/decision"),
            "/decision needs the decision's text: /decision TEXT"
        );
        assert_eq!(error("/d   "), error("/decision"));
    }

    #[test]
    fn challenge_and_alias() {
        let expected = MinuteLine::Challenge {
            agency: "Police".to_string(),
            question: "Why was the 10:30 call not logged?".to_string(),
        };
        assert_eq!(
            parse("/challenge Police: Why was the 10:30 call not logged?"),
            expected
        );
        assert_eq!(
            parse("/c  Police  :Why was the 10:30 call not logged?"),
            expected
        );
        assert_eq!(
            error("/c"),
            "/challenge needs an agency, a colon and the question: /challenge AGENCY: QUESTION"
        );
        assert!(error("/c Police why?").contains("a colon"));
        assert!(error("/c : why?").contains("needs an agency before the colon"));
        assert!(error("/challenge Police:").contains("needs the question after the colon"));
        assert!(error("/c Pol\nice: why?").contains("an agency must be on one line"));
    }

    #[test]
    fn approve_and_amend() {
        assert_eq!(parse("/approve 1"), MinuteLine::Approve(1));
        assert_eq!(
            parse("/amend 2: Item 3 should read \"Hunt\"\nnot \"Hart\""),
            MinuteLine::Amend {
                meeting: 2,
                text: "Item 3 should read \"Hunt\"\nnot \"Hart\"".to_string()
            }
        );
        assert_eq!(
            error("/amend"),
            "/amend needs a meeting number, a colon and the amendment: /amend N: TEXT"
        );
        assert!(error("/amend 2 text").contains("a colon"));
        assert!(error("/amend 2:").contains("needs the amendment after the colon"));
        assert!(error("/amend two: text").contains("(a whole number), not \"two\""));
        assert!(error("/amend 0: text").contains("numbers start at 1"));
        assert!(error("/amend : text").contains("needs a meeting number"));
    }

    #[test]
    fn action_forms() {
        assert_eq!(
            parse("/action DI Hart: Send the logs"),
            action("DI Hart", None, None, "Send the logs")
        );
        assert_eq!(
            parse("/a DI Hart (Police): Send the logs by 10:30"),
            action("DI Hart", Some("Police"), None, "Send the logs by 10:30")
        );
        assert_eq!(
            parse("/A  DI Hart ( Police ) ,  due 10 Dec :  Send the logs "),
            action(
                "DI Hart",
                Some("Police"),
                Some(ymd(2026, 12, 10)),
                "Send the logs"
            )
        );
        assert_eq!(
            parse("/a Safeguarding lead, DUE 03/01/2027: Audit"),
            action("Safeguarding lead", None, Some(ymd(2027, 1, 3)), "Audit")
        );
        // Brackets inside the owner stay with the owner; the last pair is the agency.
        assert_eq!(
            parse("/a Hart (DI) (Police (West)): x"),
            action("Hart (DI)", Some("Police (West)"), None, "x")
        );
        assert_eq!(
            parse("/a Hart (DI) Smith: x"),
            action("Hart (DI) Smith", None, None, "x")
        );
    }

    #[test]
    fn action_malformed() {
        let needs_both =
            "/action needs an owner and a text: /action OWNER[ (AGENCY)][, due DATE]: TEXT";
        assert_eq!(error("/action"), needs_both);
        assert_eq!(error("/a DI Hart"), needs_both);
        assert_eq!(error("/a :"), needs_both);
        assert!(error("/a : Send the logs").contains("needs an owner before the colon"));
        assert!(error("/a (Police): Send").contains("needs an owner before the colon"));
        assert!(error("/a DI Hart:").contains("needs the action's text after the colon"));
        assert!(error("/a Hart (): x").contains("the agency in brackets is empty"));
        assert!(error("/a Hart Police): x").contains("do not match"));
        assert!(error("/a Hart, 10 Dec: x").contains("comes \"due DATE\", not \"10 Dec\""));
        assert!(error("/a Hart, Police: x").contains("put an agency in brackets"));
        assert!(error("/a Hart, due: x").contains("\"due\" needs a date"));
        assert!(error("/a Hart, duel 10 Dec: x").contains("not \"duel 10 Dec\""));
        assert!(error("/a DI\nHart: x").contains("the owner must be on one line"));
        assert!(error("/a Hart, due 10\nDec: x").contains("a due date must be on one line"));
        assert_eq!(
            error("/a Jo due 10 Dec: call"),
            "/action: put a comma before the due date (\"Jo, due 10 Dec\"): \
             /action OWNER[ (AGENCY)][, due DATE]: TEXT"
        );
        // "due" that is not followed by a date is part of the owner.
        assert_eq!(
            parse("/a Overdue reviews lead: x"),
            action("Overdue reviews lead", None, None, "x")
        );
        assert_eq!(
            parse("/a Lead for due process: x"),
            action("Lead for due process", None, None, "x")
        );
    }

    #[test]
    fn due_dates_precise_to_the_day() {
        assert_eq!(due("10/12/2026"), ymd(2026, 12, 10));
        assert_eq!(due("3/1/2027"), ymd(2027, 1, 3));
        assert_eq!(due("10 December 2026"), ymd(2026, 12, 10));
        assert_eq!(due("10th of Dec 2026"), ymd(2026, 12, 10));
        assert_eq!(due("2026-12-10"), ymd(2026, 12, 10));
        // A date in the past is syntactically fine; the app may warn.
        assert_eq!(due("01/01/2020"), ymd(2020, 1, 1));
    }

    #[test]
    fn two_digit_years_are_always_this_century() {
        // FuzzyDate would make these 19xx because 20xx lies in the future.
        assert_eq!(due("10/12/99"), ymd(2099, 12, 10));
        assert_eq!(due("10/12/27"), ymd(2027, 12, 10));
        assert_eq!(due("10 Dec 30"), ymd(2030, 12, 10));
        assert_eq!(due("10.12.27"), ymd(2027, 12, 10));
        assert_eq!(due("10-Dec-27"), ymd(2027, 12, 10));
        assert_eq!(due("10Dec27"), ymd(2027, 12, 10));
        assert_eq!(due("1st Jan 28"), ymd(2028, 1, 1));
        assert_eq!(due("10/12/26"), ymd(2026, 12, 10));
        assert_eq!(due("01/01/20"), ymd(2020, 1, 1));
        assert!(
            due_error("29/02/27").contains("\"29/02/27\" is not a date: February 2027 has 28 days")
        );
        assert_eq!(due("29/02/28"), ymd(2028, 2, 29));
    }

    #[test]
    fn day_and_month_is_the_next_such_date() {
        assert_eq!(due("10 Dec"), ymd(2026, 12, 10));
        assert_eq!(due("10 December"), ymd(2026, 12, 10));
        assert_eq!(due("10/12"), ymd(2026, 12, 10));
        assert_eq!(due("10th December"), ymd(2026, 12, 10));
        assert_eq!(due("31 dec"), ymd(2026, 12, 31));
        // Around the year end: January is next year's.
        assert_eq!(due("3 Jan"), ymd(2027, 1, 3));
        assert_eq!(due("1/1"), ymd(2027, 1, 1));
        assert_eq!(due("3 Sept"), ymd(2027, 9, 3));
        // Today is today; yesterday's date is next year's.
        assert_eq!(due("26 Nov"), ymd(2026, 11, 26));
        assert_eq!(due("25 Nov"), ymd(2027, 11, 25));
        assert_eq!(due("27/11"), ymd(2026, 11, 27));
        // 29 February is the next leap year's.
        assert_eq!(due("29 Feb"), ymd(2028, 2, 29));
        let new_year_eve = ymd(2026, 12, 31);
        let on = |written: &str, today: NaiveDate| match parse_minute(
            &format!("/a Jo, due {written}: x"),
            today,
        ) {
            Ok(MinuteLine::Action { due: Some(day), .. }) => day,
            other => panic!("{written:?}: {other:?}"),
        };
        assert_eq!(on("31 Dec", new_year_eve), ymd(2026, 12, 31));
        assert_eq!(on("1 Jan", new_year_eve), ymd(2027, 1, 1));
        assert_eq!(on("30 Dec", new_year_eve), ymd(2027, 12, 30));
        assert_eq!(on("29 Feb", ymd(2028, 2, 29)), ymd(2028, 2, 29));
        assert_eq!(on("29 Feb", ymd(2028, 3, 1)), ymd(2032, 2, 29));
    }

    #[test]
    fn impossible_due_dates_say_why() {
        assert!(due_error("31/02/2027").contains("February 2027 has 28 days"));
        assert!(due_error("31/04/27").contains("April 2027 has 30 days"));
        assert!(
            due_error("30 Feb").contains("\"30 Feb\" is not a date: February never has 30 days")
        );
        assert!(due_error("32 Dec").contains("December never has 32 days"));
        assert!(due_error("10/13").contains("there is no month 13 (dates are day first"));
        assert!(due_error("0/12").contains("there is no day 0"));
        assert!(due_error("Decmber 10").contains("not a date"));
        let message = due_error("31/02/2027");
        assert!(message.starts_with("due date "), "{message}");
        assert!(
            message.ends_with(": /action OWNER[ (AGENCY)][, due DATE]: TEXT"),
            "{message}"
        );
    }

    #[test]
    fn imprecise_or_approximate_due_dates_are_refused() {
        for written in [
            "Dec 2026",
            "12/2026",
            "2027",
            "Summer 2027",
            "w/c 07/12/2026",
            "Unknown",
        ] {
            assert!(
                due_error(written).contains("is not precise to the day"),
                "{written}: {}",
                due_error(written)
            );
        }
        assert!(due_error("between 01/12/2026 and 10/12/2026").contains("not precise to the day"));
        for written in [
            "c. 10/12/2026",
            "c. 10 Dec",
            "circa 10/12/26",
            "~10/12/2026",
            "about 10 Dec",
        ] {
            assert!(
                due_error(written).contains("is approximate"),
                "{written}: {}",
                due_error(written)
            );
        }
        // Spacing the quick check above does not know still reads as approximate.
        for written in ["c\t10/12/2026", "c\u{a0}10/12/2026"] {
            assert!(
                due_error(written).contains("is approximate"),
                "{written:?}: {}",
                due_error(written)
            );
        }
        assert!(due_error("soon").contains("\"soon\" is not a date"));
        assert!(due_error("soon").contains("10 Dec for the next 10 December"));
    }

    #[test]
    fn correction_only_as_the_whole_line() {
        assert_eq!(
            parse("s/Hart/Hunt/"),
            MinuteLine::Correct {
                old: "Hart".to_string(),
                new: "Hunt".to_string()
            }
        );
        assert_eq!(
            parse("  s/ late/ early/  "),
            MinuteLine::Correct {
                old: " late".to_string(),
                new: " early".to_string()
            }
        );
        // NEW may be empty: delete the text.
        assert_eq!(
            parse("s/very //"),
            MinuteLine::Correct {
                old: "very ".to_string(),
                new: String::new()
            }
        );
        assert_eq!(parse("s/he was late"), note("s/he was late"));
        assert_eq!(parse("s/Hart/Hunt"), note("s/Hart/Hunt"));
        assert_eq!(parse("s/Hart/Hunt/ please"), note("s/Hart/Hunt/ please"));
        assert_eq!(parse("s/a/b/c/"), note("s/a/b/c/"));
        assert_eq!(parse("S/Hart/Hunt/"), note("S/Hart/Hunt/"));
        assert_eq!(parse("as/Hart/Hunt/"), note("as/Hart/Hunt/"));
        assert_eq!(
            error("s//Hunt/"),
            "a correction needs the text to replace (write \\/ for a / inside it): s/OLD/NEW/"
        );
        assert!(error("s///").contains("needs the text to replace"));
    }

    #[test]
    fn correction_escapes_slash_and_backslash() {
        assert_eq!(
            parse(r"s/and\/or/or/"),
            MinuteLine::Correct {
                old: "and/or".to_string(),
                new: "or".to_string()
            }
        );
        assert_eq!(
            parse(r"s/12\/03/13\/03/"),
            MinuteLine::Correct {
                old: "12/03".to_string(),
                new: "13/03".to_string()
            }
        );
        assert_eq!(
            parse(r"s/a\\/b/"),
            MinuteLine::Correct {
                old: r"a\".to_string(),
                new: "b".to_string()
            }
        );
        // Any other backslash is kept as typed.
        assert_eq!(
            parse(r"s/C:\new/D:\x/"),
            MinuteLine::Correct {
                old: r"C:\new".to_string(),
                new: r"D:\x".to_string()
            }
        );
        // An escaped last slash leaves the line open: a note.
        assert_eq!(parse(r"s/a/b\/"), note(r"s/a/b\/"));
        assert_eq!(
            parse("s/two\nlines/one line/"),
            MinuteLine::Correct {
                old: "two\nlines".to_string(),
                new: "one line".to_string()
            }
        );
    }

    #[test]
    fn errors_display_their_message() {
        let e = parse_minute("/d", today()).expect_err("refused");
        assert_eq!(e.to_string(), e.message);
        let boxed: Box<dyn std::error::Error> = Box::new(e.clone());
        assert_eq!(
            boxed.to_string(),
            "/decision needs the decision's text: /decision TEXT"
        );
    }
}
