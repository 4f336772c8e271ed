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
    /// `s/OLD/NEW/`: correct the last line. `open` when the final slash was left off
    /// (`s/OLD/NEW`): a correction only if OLD is in the last line, else refused.
    Correct {
        old: String,
        new: String,
        open: bool,
    },
    /// `/left NAME`: an early departure, recorded with the time of the line.
    Left { name: String },
    /// `/next-meeting DATE [TIME] [PLACE]`: plan the next meeting.
    NextMeeting {
        date: NaiveDate,
        time: Option<String>,
        place: Option<String>,
    },
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
    (left) => {
        "/left NAME"
    };
    (next_meeting) => {
        "/next-meeting DATE [TIME] [PLACE]"
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
const LEFT: &str = minute_usage!(left);
const NEXT_MEETING: &str = minute_usage!(next_meeting);

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
        "mark attendance (or NAME (AGENCY)); a guest's organisation, or `independent`",
    ),
    (APOLOGIES, "record apologies"),
    (LEFT, "an early departure, with the time"),
    (DECLARE, "record a declaration of interest"),
    (minute_usage!(d), "a decision (or /decision)"),
    (
        minute_usage!(a),
        "an action (or /action); due 10/12/2026 or 10 Dec",
    ),
    (minute_usage!(c), "a challenge to an agency (or /challenge)"),
    (APPROVE, "approve the minutes of earlier meeting N"),
    (AMEND, "amend the approved minutes of meeting N"),
    (NEXT_MEETING, "plan the next meeting (standard agenda)"),
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
const COMMAND_LIST: &str = "/item, /next, /present, /apologies, /left, /declare, /decision (/d), \
     /action (/a), /challenge (/c), /approve, /amend, /next-meeting, /undo";

/// Every command word, as Tab completes them and the unknown-command error suggests them.
/// The most used first: Tab offers them in this order.
pub const COMMAND_WORDS: &[&str] = &[
    "/present",
    "/apologies",
    "/decision",
    "/action",
    "/challenge",
    "/item",
    "/next",
    "/left",
    "/declare",
    "/approve",
    "/amend",
    "/undo",
    "/next-meeting",
    "/d",
    "/a",
    "/c",
];

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
        "/left" => parse_left(rest),
        "/next-meeting" => parse_next_meeting(rest, today),
        "/undo" => nothing_after(rest, "/undo", UNDO).map(|()| MinuteLine::Undo),
        _ => Err(unknown_command(word)),
    }
}

fn unknown_command(word: &str) -> MinuteError {
    // "/decision:" or "/d," is a known command with no space after it.
    let bare = word.trim_end_matches([':', ',', '.', ';']);
    let known = COMMAND_WORDS
        .iter()
        .find(|command| command.eq_ignore_ascii_case(bare));
    match known {
        Some(command) if bare != word => MinuteError::new(format!(
            "unknown command \"{word}\": put a space after {command}, e.g. {}",
            usage_of(command)
        )),
        _ => match nearest_command(bare) {
            Some(near) => MinuteError::new(format!(
                "unknown command {word}: did you mean {near}? ({}; //TEXT is a note that \
                 starts with /)",
                usage_of(near)
            )),
            None => MinuteError::new(format!(
                "unknown command {word}: the commands are {COMMAND_LIST}; write //TEXT for a \
                 note that starts with /"
            )),
        },
    }
}

/// The command nearest to a mistyped one by edit distance, when it is near enough to be a
/// slip (at most a third of its letters, and at least one, changed). Ties go to the
/// longer command: `/desicion` is `/decision`, not `/d`.
pub fn nearest_command(word: &str) -> Option<&'static str> {
    let word = word.to_lowercase();
    if word.len() < 2 {
        return None;
    }
    COMMAND_WORDS
        .iter()
        .filter(|c| c.len() > 2)
        .map(|c| (edit_distance(&word, c), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(1))
        .min_by(|a, b| a.0.cmp(&b.0).then(b.1.len().cmp(&a.1.len())))
        .map(|(_, c)| c)
}

/// Levenshtein distance counted in characters, a swap of neighbours counting once.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    if let Some(first) = rows.first_mut() {
        for (j, cell) in first.iter_mut().enumerate() {
            *cell = j;
        }
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
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
        "/left" => LEFT,
        "/next-meeting" => NEXT_MEETING,
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
                open: false,
            }))
        }
        // "s/old/new" without the final slash: a correction if OLD is in the last line
        // (the store decides, against the line); "s/he was late" has one part and is a note.
        [old, new] if !old.is_empty() => Ok(Some(MinuteLine::Correct {
            old: old.clone(),
            new: new.clone(),
            open: true,
        })),
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

/// Splits at commas outside brackets, into at most `max` parts (the last keeps the rest):
/// "Jo (Police, West), Chair" is two parts.
fn split_commas(rest: &str, max: usize) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (at, c) in rest.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 && parts.len() + 1 < max => {
                parts.push(rest[start..at].trim());
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(rest[start..].trim());
    parts
}

/// `NAME (AGENCY)`: the name and the agency in the closing brackets, if any.
fn name_and_bracket(part: &str, usage: &str) -> Result<(String, Option<String>), MinuteError> {
    if !part.ends_with(')') {
        return Ok((part.to_string(), None));
    }
    let (name, agency) = split_owner(part).map_err(|e| {
        MinuteError::new(
            e.message
                .replace("/action", usage_command(usage))
                .replace(ACTION, usage),
        )
    })?;
    Ok((name.to_string(), agency.map(str::to_string)))
}

fn usage_command(usage: &str) -> &str {
    usage.split_whitespace().next().unwrap_or(usage)
}

fn parse_present(rest: &str) -> Result<MinuteLine, MinuteError> {
    let parts = split_commas(rest, 3);
    let (head, mut agency, mut role) = match parts.as_slice() {
        [name] => (*name, None, None),
        [name, agency] => (*name, Some(*agency), None),
        [name, agency, role] => (*name, Some(*agency), Some(*role)),
        _ => ("", None, None),
    };
    if head.is_empty() {
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
    let (name, bracket) = name_and_bracket(one_line(head, "a name", PRESENT)?, PRESENT)?;
    if name.is_empty() {
        return Err(MinuteError::with_usage("/present needs a name", PRESENT));
    }
    if bracket.is_some() {
        // "Jo Bloggs (Police), Chair": with the agency in brackets, a comma brings the role.
        if role.is_some() {
            return Err(MinuteError::with_usage(
                "/present: the agency is in brackets, so only a role may follow the comma",
                PRESENT,
            ));
        }
        role = agency.take();
    }
    let agency = bracket.or(agency.map(str::to_string));
    let agency = agency
        .map(|agency| one_line(&agency, "an agency", PRESENT).map(str::to_string))
        .transpose()?;
    let role = role
        .map(|role| one_line(role, "a role", PRESENT))
        .transpose()?;
    Ok(MinuteLine::Present {
        name,
        agency,
        role: role.map(str::to_string),
    })
}

fn parse_apologies(rest: &str) -> Result<MinuteLine, MinuteError> {
    let parts = split_commas(rest, usize::MAX);
    let (head, agency) = match parts.as_slice() {
        [name] => (*name, None),
        [name, agency] => (*name, Some(*agency)),
        _ => {
            return Err(MinuteError::with_usage(
                "/apologies takes a name and at most an agency, with one comma",
                APOLOGIES,
            ));
        }
    };
    if head.is_empty() {
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
    let (name, bracket) = name_and_bracket(one_line(head, "a name", APOLOGIES)?, APOLOGIES)?;
    if name.is_empty() {
        return Err(MinuteError::with_usage(
            "/apologies needs a name",
            APOLOGIES,
        ));
    }
    if bracket.is_some() && agency.is_some() {
        return Err(MinuteError::with_usage(
            "/apologies: give the agency once, in brackets or after the comma",
            APOLOGIES,
        ));
    }
    let agency = bracket.or(agency.map(str::to_string));
    let agency = agency
        .map(|agency| one_line(&agency, "an agency", APOLOGIES).map(str::to_string))
        .transpose()?;
    Ok(MinuteLine::Apologies { name, agency })
}

fn parse_left(rest: &str) -> Result<MinuteLine, MinuteError> {
    if rest.is_empty() {
        return Err(MinuteError::with_usage(
            "/left needs the name of who left",
            LEFT,
        ));
    }
    let (name, _) = name_and_bracket(one_line(rest, "a name", LEFT)?, LEFT)?;
    Ok(MinuteLine::Left { name })
}

/// `DATE [TIME] [PLACE]`: the date is the longest run of words from the start that reads
/// as a day (the forms of a due date), a time is `HH:MM`, and the rest is the place.
fn parse_next_meeting(rest: &str, today: NaiveDate) -> Result<MinuteLine, MinuteError> {
    let rest = one_line(rest, "the next meeting", NEXT_MEETING)?;
    let words: Vec<&str> = rest.split_whitespace().collect();
    if words.is_empty() {
        return Err(MinuteError::with_usage(
            "/next-meeting needs the date of the next meeting",
            NEXT_MEETING,
        ));
    }
    let mut found = None;
    for take in (1..=words.len().min(4)).rev() {
        if let Ok(date) = parse_due_date(&words[..take].join(" "), today) {
            found = Some((date, take));
            break;
        }
    }
    let Some((date, taken)) = found else {
        let reason = match parse_due_date(words[0], today) {
            Err(e) => e
                .message
                .trim_start_matches("due date ")
                .trim_end_matches(&format!(": {ACTION}"))
                .to_string(),
            Ok(_) => format!("\"{}\" is not a date", words[0]),
        };
        return Err(MinuteError::with_usage(
            format!("/next-meeting: {reason}"),
            NEXT_MEETING,
        ));
    };
    let mut rest = &words[taken..];
    let mut time = None;
    if let Some(first) = rest.first() {
        let written = first.replace('.', ":");
        if let Ok(t) = chrono::NaiveTime::parse_from_str(&written, "%H:%M") {
            time = Some(t.format("%H:%M").to_string());
            rest = &rest[1..];
        } else if first.chars().next().is_some_and(|c| c.is_ascii_digit())
            && first.contains([':', '.'])
        {
            return Err(MinuteError::with_usage(
                format!("/next-meeting: \"{first}\" is not a time (write it as HH:MM)"),
                NEXT_MEETING,
            ));
        }
    }
    let place = rest.join(" ");
    Ok(MinuteLine::NextMeeting {
        date,
        time,
        place: (!place.is_empty()).then_some(place),
    })
}

/// Titles and ranks that a name may carry or leave off: "Sarah Mensah" is the member
/// "DI Sarah Mensah". Two-word ranks come first so that "Ch Insp" is taken whole.
pub const TITLES: &[&str] = &[
    "ch insp", "det supt", "ch supt", "dr", "mr", "mrs", "ms", "miss", "mx", "prof", "cllr", "pc",
    "dc", "ds", "sgt", "di", "insp", "dci", "supt",
];

/// A name as it is compared: lower case, full stops dropped, spaces collapsed, and the
/// titles and ranks in front taken off ("Dr. Ruth  Okafor" is "ruth okafor"). A name that
/// is nothing but a title keeps it.
pub fn bare_name(name: &str) -> String {
    let lower = name.to_lowercase().replace('.', " ");
    let mut words: Vec<&str> = lower.split_whitespace().collect();
    loop {
        let before = words.len();
        for title in TITLES {
            let parts: Vec<&str> = title.split(' ').collect();
            if words.len() > parts.len() && words[..parts.len()] == parts[..] {
                words.drain(..parts.len());
                break;
            }
        }
        if words.len() == before {
            break;
        }
    }
    words.join(" ")
}

/// The people among `names` that `typed` names: those written the same (any letter case)
/// if there are any, else those with the same name once titles and ranks are set aside,
/// else — for one word ("Hart", "DI Hart") — those whose first or last name it is.
/// More than one is ambiguous: the caller lists them.
pub fn people_named<'a>(typed: &str, names: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let typed = typed.trim();
    let names: Vec<&str> = names.into_iter().collect();
    let mut exact: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| n.trim().eq_ignore_ascii_case(typed))
        .collect();
    exact.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    if !exact.is_empty() {
        return exact;
    }
    let bare = bare_name(typed);
    if bare.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<&str> = Vec::new();
    for &n in &names {
        if bare_name(n) == bare && !found.iter().any(|f| f.eq_ignore_ascii_case(n)) {
            found.push(n);
        }
    }
    if found.is_empty() && !bare.contains(' ') {
        for n in names {
            let full = bare_name(n);
            let words: Vec<&str> = full.split(' ').collect();
            let fits = words.len() > 1
                && (words.first() == Some(&bare.as_str()) || words.last() == Some(&bare.as_str()));
            if fits && !found.iter().any(|f| f.eq_ignore_ascii_case(n)) {
                found.push(n);
            }
        }
    }
    found
}

/// What Tab offers at the end of a line: the line up to the part being completed, the
/// candidates for that part in order, and what follows one (a space after a command).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub head: String,
    pub candidates: Vec<String>,
    pub after: String,
}

impl Completion {
    /// The line with candidate `i` (counted round) in place.
    pub fn text(&self, i: usize) -> String {
        match self.candidates.get(i % self.candidates.len().max(1)) {
            Some(c) => format!("{}{c}{}", self.head, self.after),
            None => self.head.clone(),
        }
    }
}

/// Tab at the end of `line`: the command word is completed from [`COMMAND_WORDS`] (in
/// their order, the most used first: `/dec` is `/decision`, then `/declare`); after a
/// command, the part being typed (after the command's space, a comma or a bracket) from
/// `words` — people on the meeting's list, the case's people, agency names and codes —
/// by its start, with or without a title or rank. `None` when nothing fits, and after a
/// colon (the free text of a line).
pub fn complete(line: &str, words: &[String]) -> Option<Completion> {
    if line.starts_with('/') && !line.contains(char::is_whitespace) {
        let typed = line.to_lowercase();
        let fits: Vec<String> = COMMAND_WORDS
            .iter()
            .filter(|c| c.starts_with(&typed))
            .map(|c| c.to_string())
            .collect();
        return (!fits.is_empty()).then(|| Completion {
            head: String::new(),
            candidates: fits,
            after: " ".into(),
        });
    }
    if !line.starts_with('/') || line.starts_with("//") || line.contains(':') {
        return None;
    }
    let cut = line
        .rfind([',', '('])
        .into_iter()
        .chain(line.find(char::is_whitespace))
        .max()?
        + 1;
    let (head, fragment) = line.split_at(cut);
    let typed = fragment.trim_start();
    let mut head = format!("{head}{}", &fragment[..fragment.len() - typed.len()]);
    if head.ends_with(',') {
        head.push(' ');
    }
    let lower = typed.to_lowercase();
    let bare = bare_name(typed);
    let mut fits: Vec<String> = Vec::new();
    for w in words {
        let fits_whole = w.to_lowercase().starts_with(&lower);
        let fits_bare = !bare.is_empty() && bare_name(w).starts_with(&bare);
        if (fits_whole || fits_bare) && !fits.contains(w) {
            fits.push(w.clone());
        }
    }
    // Then the names a later word of which fits, so a surname finds the person too
    // ("sidd" finds Dr Ali Siddiqui), after those that fit from the start.
    if !bare.is_empty() {
        for w in words {
            let later = bare_name(w)
                .split_whitespace()
                .skip(1)
                .any(|part| part.starts_with(&bare));
            if later && !fits.contains(w) {
                fits.push(w.clone());
            }
        }
    }
    (!fits.is_empty()).then(|| Completion {
        head,
        candidates: fits,
        after: if line[..cut].ends_with('(') {
            ")".into()
        } else {
            String::new()
        },
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
                open: false,
                old: "Hart".to_string(),
                new: "Hunt".to_string()
            }
        );
        assert_eq!(
            parse("  s/ late/ early/  "),
            MinuteLine::Correct {
                open: false,
                old: " late".to_string(),
                new: " early".to_string()
            }
        );
        // NEW may be empty: delete the text.
        assert_eq!(
            parse("s/very //"),
            MinuteLine::Correct {
                open: false,
                old: "very ".to_string(),
                new: String::new()
            }
        );
        assert_eq!(parse("s/he was late"), note("s/he was late"));
        // Without the final slash: a correction the store allows only if OLD is there.
        assert_eq!(
            parse("s/Hart/Hunt"),
            MinuteLine::Correct {
                old: "Hart".to_string(),
                new: "Hunt".to_string(),
                open: true
            }
        );
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
                open: false,
                old: "and/or".to_string(),
                new: "or".to_string()
            }
        );
        assert_eq!(
            parse(r"s/12\/03/13\/03/"),
            MinuteLine::Correct {
                open: false,
                old: "12/03".to_string(),
                new: "13/03".to_string()
            }
        );
        assert_eq!(
            parse(r"s/a\\/b/"),
            MinuteLine::Correct {
                open: false,
                old: r"a\".to_string(),
                new: "b".to_string()
            }
        );
        // Any other backslash is kept as typed.
        assert_eq!(
            parse(r"s/C:\new/D:\x/"),
            MinuteLine::Correct {
                open: false,
                old: r"C:\new".to_string(),
                new: r"D:\x".to_string()
            }
        );
        // An escaped last slash leaves the correction open.
        assert_eq!(
            parse(r"s/a/b\/"),
            MinuteLine::Correct {
                old: "a".to_string(),
                new: "b/".to_string(),
                open: true
            }
        );
        assert_eq!(
            parse("s/two\nlines/one line/"),
            MinuteLine::Correct {
                open: false,
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

    #[test]
    fn names_match_without_titles_or_ranks() {
        assert_eq!(bare_name("DI Sarah Mensah"), "sarah mensah");
        assert_eq!(bare_name("Dr.  Ruth Okafor"), "ruth okafor");
        assert_eq!(bare_name("Det Supt Jo Hart"), "jo hart");
        assert_eq!(bare_name("Ch Insp Jo Hart"), "jo hart");
        assert_eq!(bare_name("DCI Mo Khan"), "mo khan");
        assert_eq!(
            bare_name("Dr"),
            "dr",
            "a name that is only a title keeps it"
        );
        let people = ["DI Sarah Mensah", "Simon Hart", "Dr Ruth Okafor", "Jo Hart"];
        assert_eq!(
            people_named("Sarah Mensah", people),
            vec!["DI Sarah Mensah"]
        );
        assert_eq!(
            people_named("sarah MENSAH", people),
            vec!["DI Sarah Mensah"]
        );
        assert_eq!(
            people_named("Ms Ruth Okafor", people),
            vec!["Dr Ruth Okafor"]
        );
        assert_eq!(people_named("simon hart", people), vec!["Simon Hart"]);
        assert_eq!(people_named("Okafor", people), vec!["Dr Ruth Okafor"]);
        assert_eq!(people_named("Hart", people), vec!["Simon Hart", "Jo Hart"]);
        assert!(people_named("Jo Bloggs", people).is_empty());
        // A name written exactly wins over one that only matches without the rank.
        assert_eq!(
            people_named("Sarah Mensah", ["DI Sarah Mensah", "Sarah Mensah"]),
            vec!["Sarah Mensah"]
        );
    }

    #[test]
    fn present_takes_brackets_and_commas_inside_them() {
        let present = |name: &str, agency: Option<&str>, role: Option<&str>| MinuteLine::Present {
            name: name.into(),
            agency: agency.map(Into::into),
            role: role.map(Into::into),
        };
        assert_eq!(
            parse("/present Jo Bloggs, Northgate CSP, Panel Secretary"),
            present("Jo Bloggs", Some("Northgate CSP"), Some("Panel Secretary"))
        );
        assert_eq!(
            parse("/present Sarah Mensah (Police)"),
            present("Sarah Mensah", Some("Police"), None)
        );
        assert_eq!(
            parse("/present Jo Bloggs (Northgate, CSP), Secretary"),
            present("Jo Bloggs", Some("Northgate, CSP"), Some("Secretary"))
        );
        assert_eq!(
            parse("/present Jo, Police, Lead (adults, children)"),
            present("Jo", Some("Police"), Some("Lead (adults, children)"))
        );
        assert!(error("/present Jo (Police), POLICE, Chair").contains("only a role"));
        assert!(error("/present (Police)").contains("needs a name"));
        assert_eq!(
            parse("/apologies Kate Rowe (Housing, East)"),
            MinuteLine::Apologies {
                name: "Kate Rowe".into(),
                agency: Some("Housing, East".into())
            }
        );
        assert!(error("/apologies Kate (Housing), Housing").contains("once"));
    }

    #[test]
    fn left_and_next_meeting() {
        assert_eq!(
            parse("/left Simon Hart"),
            MinuteLine::Left {
                name: "Simon Hart".into()
            }
        );
        assert_eq!(
            error("/left"),
            "/left needs the name of who left: /left NAME"
        );
        assert_eq!(
            parse("/next-meeting 13/01/2027 14:00 Town Hall, Room 2"),
            MinuteLine::NextMeeting {
                date: ymd(2027, 1, 13),
                time: Some("14:00".into()),
                place: Some("Town Hall, Room 2".into())
            }
        );
        assert_eq!(
            parse("/next-meeting 13 Jan 2027 Online"),
            MinuteLine::NextMeeting {
                date: ymd(2027, 1, 13),
                time: None,
                place: Some("Online".into())
            }
        );
        assert_eq!(
            parse("/next-meeting 10 Dec 9.30"),
            MinuteLine::NextMeeting {
                date: ymd(2026, 12, 10),
                time: Some("09:30".into()),
                place: None
            }
        );
        assert!(error("/next-meeting").contains("needs the date"));
        assert!(error("/next-meeting soon").contains("not a date"));
        assert!(error("/next-meeting 13/01/2027 25:00").contains("not a time"));
        assert!(error("/next-meeting 31/02/2027").contains("February 2027 has 28 days"));
    }

    #[test]
    fn an_unknown_command_suggests_the_nearest() {
        assert_eq!(
            error("/desicion the panel agreed"),
            "unknown command /desicion: did you mean /decision? (/decision TEXT; //TEXT is \
             a note that starts with /)"
        );
        assert!(error("/presnt Jo").contains("did you mean /present?"));
        assert!(error("/aplogies Jo").contains("did you mean /apologies?"));
        assert!(error("/nxt").contains("did you mean /next?"));
        assert!(error("/next-meting 10 Dec").contains("did you mean /next-meeting?"));
        // Nothing near: the list of commands.
        assert!(error("/banana").contains("the commands are"));
        assert_eq!(edit_distance("abc", "acb"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn tab_completes_commands_then_names_and_agencies() {
        let words: Vec<String> = [
            "DI Sarah Mensah",
            "Simon Hart",
            "Northgate Police",
            "POLICE",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let c = complete("/dec", &words).unwrap();
        assert_eq!(c.text(0), "/decision ");
        assert_eq!(c.text(1), "/declare ");
        assert_eq!(c.text(2), "/decision ", "round again");
        assert_eq!(complete("/pre", &words).unwrap().text(0), "/present ");
        let c = complete("/present Sarah M", &words).unwrap();
        assert_eq!(c.candidates, vec!["DI Sarah Mensah"]);
        assert_eq!(c.text(0), "/present DI Sarah Mensah");
        let c = complete("/present Si", &words).unwrap();
        assert_eq!(c.text(0), "/present Simon Hart");
        let c = complete("/present Jo Bloggs,nor", &words).unwrap();
        assert_eq!(c.text(0), "/present Jo Bloggs, Northgate Police");
        let c = complete("/a Simon Hart (pol", &words).unwrap();
        assert_eq!(c.candidates, vec!["POLICE", "Northgate Police"]);
        assert_eq!(c.text(0), "/a Simon Hart (POLICE)");
        let c = complete("/present Mens", &words).unwrap();
        assert_eq!(c.candidates, vec!["DI Sarah Mensah"], "a surname finds her");
        let c = complete("/present ", &words).unwrap();
        assert_eq!(c.candidates.len(), 4, "all, round");
        assert_eq!(complete("/present Zed", &words), None);
        assert_eq!(complete("a note", &words), None);
        assert_eq!(
            complete("/d Police: ag", &words),
            None,
            "text after a colon"
        );
        assert_eq!(complete("/zz", &words), None);
    }
}
