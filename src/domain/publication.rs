//! The publication check: what an anonymised document still holds that could identify
//! someone besides names, and the decisions that settle each finding.
//!
//! Detectors (hand-written, no I/O) find system references (`HO/16/0391`; crime, log,
//! incident and STORM numbers with their keyword: "crime number 41/12345/19", "log 1234
//! of 12/03/2019", "STORM 0456"; a bare run of eight digits or more), NHS numbers (ten
//! digits, 3-3-4 spacing allowed, the modulus 11 check passing), National Insurance
//! numbers, dates of birth with their keyword ("born 3 March 1990", "DOB 03/03/1990"),
//! street addresses (a house number and a street word: "14 Acacia Avenue"), UK
//! postcodes, UK phone numbers, e-mail addresses, places of the register and exact times
//! ("14:32", "2.15pm"). The leak scan adds words like a name ("marker" for Mark).
//!
//! A ten-digit number failing the NHS check is no NHS number: starting with 0 it is a
//! phone number, otherwise a system reference (a bare run of eight digits or more).
//!
//! A decision is for one text (exactly as found) or for every finding of one kind: keep
//! it, generalise it (replace by the words given), or remove it, which leaves
//! "[removed]" so a reader sees that something was taken out. [`Publication`] applies
//! the decisions to every text of a document after the anonymiser, so Markdown and Word
//! carry the same text; [`findings`] reads the finished document for what is left.

use std::borrow::Cow;
use std::collections::HashMap;

use super::document::Rewrite;
use super::pseudonym::{Anonymiser, LeakHit};

/// What a removed finding leaves in the document.
pub const REMOVED: &str = "[removed]";

/// The kinds of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FindingKind {
    Reference,
    Nhs,
    NationalInsurance,
    DateOfBirth,
    Address,
    Postcode,
    Phone,
    Email,
    Place,
    Time,
    LikeName,
}

impl FindingKind {
    /// Every kind, in report order.
    pub const ALL: &'static [FindingKind] = &[
        FindingKind::Reference,
        FindingKind::Nhs,
        FindingKind::NationalInsurance,
        FindingKind::DateOfBirth,
        FindingKind::Address,
        FindingKind::Postcode,
        FindingKind::Phone,
        FindingKind::Email,
        FindingKind::Place,
        FindingKind::Time,
        FindingKind::LikeName,
    ];

    /// The code stored and typed on the command line (`--kind reference`).
    pub fn code(self) -> &'static str {
        match self {
            FindingKind::Reference => "reference",
            FindingKind::Nhs => "nhs",
            FindingKind::NationalInsurance => "ni",
            FindingKind::DateOfBirth => "dob",
            FindingKind::Address => "address",
            FindingKind::Postcode => "postcode",
            FindingKind::Phone => "phone",
            FindingKind::Email => "email",
            FindingKind::Place => "place",
            FindingKind::Time => "time",
            FindingKind::LikeName => "like-name",
        }
    }

    /// The words shown to a person.
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::Reference => "system reference",
            FindingKind::Nhs => "NHS number",
            FindingKind::NationalInsurance => "National Insurance number",
            FindingKind::DateOfBirth => "date of birth",
            FindingKind::Address => "street address",
            FindingKind::Postcode => "postcode",
            FindingKind::Phone => "phone number",
            FindingKind::Email => "e-mail address",
            FindingKind::Place => "place of the register",
            FindingKind::Time => "exact time",
            FindingKind::LikeName => "word like a name",
        }
    }

    /// The kind stored or typed as `code`.
    pub fn from_code(code: &str) -> Option<FindingKind> {
        FindingKind::ALL
            .iter()
            .copied()
            .find(|k| k.code() == code.trim().to_lowercase())
    }

    /// The codes, for a message: "reference, nhs, …".
    pub fn codes() -> String {
        FindingKind::ALL
            .iter()
            .map(|k| k.code())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl std::fmt::Display for FindingKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// What to do with a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Keep,
    /// Replace by these words.
    Generalise(String),
    /// Take out, leaving [`REMOVED`].
    Remove,
}

impl Verdict {
    /// "keep", "generalise", "remove", as stored.
    pub fn code(&self) -> &'static str {
        match self {
            Verdict::Keep => "keep",
            Verdict::Generalise(_) => "generalise",
            Verdict::Remove => "remove",
        }
    }

    /// The verdict stored as `code` with `replacement`; a generalise needs its words.
    pub fn from_parts(code: &str, replacement: &str) -> Result<Verdict, String> {
        match code.trim().to_lowercase().as_str() {
            "keep" => Ok(Verdict::Keep),
            "remove" => Ok(Verdict::Remove),
            "generalise" | "generalize" => {
                let r = replacement.trim();
                if r.is_empty() {
                    Err("a generalise decision needs the words to write instead (--as TEXT)".into())
                } else {
                    Ok(Verdict::Generalise(r.to_string()))
                }
            }
            other => Err(format!(
                "\"{other}\" is not a decision: write keep, generalise or remove"
            )),
        }
    }

    /// The replacement text ("" unless generalised).
    pub fn replacement(&self) -> &str {
        match self {
            Verdict::Generalise(r) => r,
            _ => "",
        }
    }

    /// "keep", "generalise as \"a school\"", "remove".
    pub fn describe(&self) -> String {
        match self {
            Verdict::Generalise(r) => format!("generalise as \"{r}\""),
            v => v.code().to_string(),
        }
    }
}

/// What a decision covers: one text exactly as found, or every finding of a kind.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    Text(String),
    Kind(FindingKind),
}

/// A recorded decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub id: i64,
    pub case_id: i64,
    pub scope: Scope,
    pub verdict: Verdict,
}

/// Checks a decision before it is recorded: a generalise has its words, a text is not
/// empty, and a decision for every word like a name can only keep them (replacing every
/// such word by one text would garble the document).
pub fn check_decision(scope: &Scope, verdict: &Verdict) -> Result<(), String> {
    match scope {
        Scope::Text(t) if t.trim().is_empty() => {
            return Err("the text of a decision is empty: give the finding's text".into());
        }
        Scope::Kind(FindingKind::LikeName) if *verdict != Verdict::Keep => {
            return Err(
                "every word like a name can only be kept at once; decide on the other words one by one"
                    .into(),
            );
        }
        _ => {}
    }
    if let Verdict::Generalise(r) = verdict
        && r.trim().is_empty()
    {
        return Err("a generalise decision needs the words to write instead".into());
    }
    Ok(())
}

/// The decisions of a case, ready to look up.
#[derive(Debug, Clone, Default)]
pub struct Decisions {
    by_text: HashMap<String, Verdict>,
    by_kind: HashMap<FindingKind, Verdict>,
}

impl Decisions {
    pub fn new(decisions: &[Decision]) -> Decisions {
        let mut d = Decisions::default();
        for x in decisions {
            match &x.scope {
                Scope::Text(t) => {
                    d.by_text.insert(t.clone(), x.verdict.clone());
                }
                Scope::Kind(k) => {
                    d.by_kind.insert(*k, x.verdict.clone());
                }
            }
        }
        d
    }

    /// The decision on a finding: for its text, else for its kind.
    pub fn verdict(&self, kind: FindingKind, text: &str) -> Option<&Verdict> {
        self.by_text.get(text).or_else(|| self.by_kind.get(&kind))
    }

    /// Whether `text` is (inside) a replacement a decision wrote, so not asked about again.
    fn is_replacement(&self, text: &str) -> bool {
        self.by_text
            .values()
            .chain(self.by_kind.values())
            .any(|v| match v {
                Verdict::Generalise(r) => r.contains(text),
                Verdict::Remove => REMOVED.contains(text),
                Verdict::Keep => false,
            })
    }
}

/// A stretch of a text a detector found: byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub kind: FindingKind,
    pub start: usize,
    pub end: usize,
}

/// What the detectors know beyond the text: the places of the register and texts never
/// to report (the review's own reference).
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// Places as written, matched as whole words in any letter case.
    pub places: Vec<String>,
    /// Exact texts that are no finding.
    pub ignore: Vec<String>,
}

/// One thing the check found in a document, where it first is and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    /// The text exactly as it appears.
    pub text: String,
    /// The heading it falls under ("" before the first) and its 1-based line.
    pub section: String,
    pub line: usize,
    /// How many times it appears.
    pub count: usize,
    /// For a word like a name: the name it is like.
    pub note: String,
}

impl Finding {
    /// `system reference "HO/16/0391": 5. Chronology, line 48 (and 2 more places)`.
    pub fn describe(&self) -> String {
        let section = if self.section.is_empty() {
            "start of the document".to_string()
        } else {
            self.section.clone()
        };
        let more = match self.count {
            0 | 1 => String::new(),
            2 => " (and 1 more place)".to_string(),
            n => format!(" (and {} more places)", n - 1),
        };
        let note = if self.note.is_empty() {
            String::new()
        } else {
            format!(" [{}]", self.note)
        };
        format!(
            "{} \"{}\"{note}: {section}, line {}{more}",
            self.kind.label(),
            self.text,
            self.line
        )
    }
}

// ---------------------------------------------------------------------------------
// Detectors

/// Every finding in `text`, left to right, without overlaps (the longer wins).
pub fn detect(text: &str, known: &Known) -> Vec<Span> {
    let mut spans = Vec::new();
    emails(text, &mut spans);
    keyword_references(text, &mut spans);
    dates_of_birth(text, &mut spans);
    numbers(text, &mut spans);
    slash_references(text, &mut spans);
    numbered_references(text, &mut spans);
    national_insurance(text, &mut spans);
    postcodes(text, &mut spans);
    addresses(text, &mut spans);
    times(text, &mut spans);
    places(text, known, &mut spans);
    spans.retain(|s| !known.ignore.iter().any(|i| i == &text[s.start..s.end]));
    // Longest first at each start, then drop what overlaps an earlier kept span.
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut kept: Vec<Span> = Vec::new();
    for s in spans {
        if kept.iter().any(|k| s.start < k.end && k.start < s.end) {
            // An overlapping longer span keeps its place.
            let longer = kept.iter().position(|k| {
                s.start < k.end && k.start < s.end && (s.end - s.start) > (k.end - k.start)
            });
            if let Some(i) = longer
                && kept
                    .iter()
                    .enumerate()
                    .all(|(j, k)| j == i || !(s.start < k.end && k.start < s.end))
            {
                kept[i] = s;
            }
            continue;
        }
        kept.push(s);
    }
    kept.sort_by_key(|s| s.start);
    kept
}

fn bytes_at(text: &str, i: usize) -> Option<u8> {
    text.as_bytes().get(i).copied()
}

/// Whether the byte before `i` ends a word (start of text, or not a letter or digit).
fn boundary_before(text: &str, i: usize) -> bool {
    i == 0
        || text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// Whether the text at `i` starts no word (end of text, or not a letter or digit).
fn boundary_after(text: &str, i: usize) -> bool {
    text[i..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric())
}

/// Words of a text: (start, end) of each run of letters, digits and the characters in
/// `extra`.
fn runs(text: &str, extra: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        let inside = c.is_alphanumeric() || extra.contains(&c);
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

fn emails(text: &str, spans: &mut Vec<Span>) {
    let local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let domain = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
    for (at, _) in text.match_indices('@') {
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|(_, c)| local(*c))
            .last()
            .map_or(at, |(i, _)| i);
        let mut end = at
            + 1
            + text[at + 1..]
                .chars()
                .take_while(|c| domain(*c))
                .map(char::len_utf8)
                .sum::<usize>();
        while end > at + 1 && text[..end].ends_with(['.', '-']) {
            end -= 1;
        }
        let dom = &text[at + 1..end];
        if start < at && dom.contains('.') && !dom.starts_with('.') {
            spans.push(Span {
                kind: FindingKind::Email,
                start,
                end,
            });
        }
    }
}

/// Whether `s` is a day, month and year with slashes, dots or hyphens ("12/03/2019").
fn is_numeric_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split(['/', '.', '-']).collect();
    if parts.len() != 3
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    let n = |p: &str| p.parse::<u32>().unwrap_or(0);
    (1..=31).contains(&n(parts[0]))
        && (1..=12).contains(&n(parts[1]))
        && parts[0].len() <= 2
        && parts[1].len() <= 2
        && (parts[2].len() == 2 || parts[2].len() == 4)
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// The end of a date starting at word `i` of `words`: "12/03/2019", "3 March 1990",
/// "3rd March 1990".
fn date_end(text: &str, words: &[(usize, usize)], i: usize) -> Option<usize> {
    let (s, e) = *words.get(i)?;
    let w = &text[s..e];
    if is_numeric_date(w) {
        return Some(e);
    }
    let day = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[day.len()..];
    if day.is_empty()
        || day.len() > 2
        || !day.bytes().all(|b| b.is_ascii_digit())
        || !["", "st", "nd", "rd", "th"].contains(&suffix.to_lowercase().as_str())
    {
        return None;
    }
    let (ms, me) = *words.get(i + 1)?;
    if !MONTHS.contains(&text[ms..me].to_lowercase().as_str()) {
        return None;
    }
    let (ys, ye) = *words.get(i + 2)?;
    let y = &text[ys..ye];
    (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit())).then_some(ye)
}

/// Words separated only by spaces (and, where `punct`, ':' or '.') from the one before.
fn joined(text: &str, words: &[(usize, usize)], i: usize) -> bool {
    i > 0 && {
        let gap = &text[words[i - 1].1..words[i].0];
        !gap.is_empty()
            && gap
                .chars()
                .all(|c| c == ' ' || c == ':' || c == '.' || c == '#')
            && gap.chars().filter(|c| !c.is_whitespace()).count() <= 1
    }
}

fn dates_of_birth(text: &str, spans: &mut Vec<Span>) {
    let words = runs(text, &['/']);
    let lower: Vec<String> = words
        .iter()
        .map(|(s, e)| text[*s..*e].to_lowercase())
        .collect();
    for i in 0..words.len() {
        // The keyword and where the date starts.
        let (start, mut j) = match lower[i].as_str() {
            "born" => (words[i].0, i + 1),
            "dob" | "d.o.b" => (words[i].0, i + 1),
            "date"
                if lower.get(i + 1).map(String::as_str) == Some("of")
                    && lower.get(i + 2).map(String::as_str) == Some("birth") =>
            {
                (words[i].0, i + 3)
            }
            _ => continue,
        };
        if lower.get(j).map(String::as_str) == Some("on") {
            j += 1;
        }
        if j >= words.len() || !joined(text, &words, j) {
            continue;
        }
        if let Some(end) = date_end(text, &words, j) {
            spans.push(Span {
                kind: FindingKind::DateOfBirth,
                start,
                end,
            });
        }
    }
}

/// Keywords of system references given with their number.
const REFERENCE_WORDS: &[&str] = &[
    "crime",
    "log",
    "incident",
    "storm",
    "occurrence",
    "ref",
    "reference",
    "urn",
    "niche",
];
/// Words that may stand between the keyword and its number.
const NUMBER_WORDS: &[&str] = &[
    "log",
    "number",
    "no",
    "num",
    "nr",
    "ref",
    "reference",
    "reference:",
];

fn keyword_references(text: &str, spans: &mut Vec<Span>) {
    let words = runs(text, &['/', '-']);
    let lower: Vec<String> = words
        .iter()
        .map(|(s, e)| text[*s..*e].to_lowercase())
        .collect();
    for i in 0..words.len() {
        if !REFERENCE_WORDS.contains(&lower[i].as_str()) {
            continue;
        }
        let mut j = i + 1;
        while j < words.len()
            && j <= i + 2
            && NUMBER_WORDS.contains(&lower[j].as_str())
            && joined(text, &words, j)
        {
            j += 1;
        }
        if j >= words.len() || !joined(text, &words, j) {
            continue;
        }
        let number = &lower[j];
        let digits = number.bytes().filter(u8::is_ascii_digit).count();
        let year = number.len() == 4 && (1900..2100).contains(&number.parse::<u32>().unwrap_or(0));
        if digits < 3 || is_numeric_date(number) || year {
            continue;
        }
        let mut end = words[j].1;
        // "log 1234 of 12/03/2019": the log's date goes with it.
        if lower.get(j + 1).map(String::as_str) == Some("of")
            && joined(text, &words, j + 1)
            && let Some(e) = date_end(text, &words, j + 2).filter(|_| joined(text, &words, j + 2))
        {
            end = e;
        }
        spans.push(Span {
            kind: FindingKind::Reference,
            start: words[i].0,
            end,
        });
    }
}

fn slash_references(text: &str, spans: &mut Vec<Span>) {
    for (s, e) in runs(text, &['/']) {
        let w = text[s..e].trim_matches('/');
        let s = s + text[s..e].find(w).unwrap_or(0);
        let e = s + w.len();
        let parts: Vec<&str> = w.split('/').collect();
        if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) || !w.is_ascii() {
            continue;
        }
        let digits = w.bytes().filter(u8::is_ascii_digit).count();
        let letters = w.bytes().any(|b| b.is_ascii_alphabetic());
        let all_numeric = !letters;
        // Dates, fractions and years ("12/03/2019", "1/2", "2019/20") are no reference;
        // nor are words ("and/or").
        if digits < 3 || is_numeric_date(w) || (all_numeric && parts.len() < 3) {
            continue;
        }
        if letters
            && parts
                .iter()
                .all(|p| p.bytes().all(|b| b.is_ascii_alphabetic()))
        {
            continue;
        }
        spans.push(Span {
            kind: FindingKind::Reference,
            start: s,
            end: e,
        });
    }
}

/// A bare reference of two numbers joined by one `/` or `-` ("PPN 18/4471",
/// "Referral 1806-22", "Assessment 19/0114"): six digits or more, two to five on each
/// side. A year range ("2016-17", "2019/2020") and a date (two separators) are not.
fn numbered_references(text: &str, spans: &mut Vec<Span>) {
    for (s, e) in runs(text, &['/', '-']) {
        let w = &text[s..e];
        let Some(sep) = w.find(['/', '-']) else {
            continue;
        };
        let (left, right) = (&w[..sep], &w[sep + 1..]);
        let numeric = |p: &str| (2..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
        if !numeric(left) || !numeric(right) || left.len() + right.len() < 6 {
            continue;
        }
        let year = |p: &str| p.len() == 4 && (1900..2100).contains(&p.parse::<u32>().unwrap_or(0));
        let range = year(left)
            && (right.len() == 2 || year(right))
            && right.parse::<u32>().unwrap_or(0) % 100
                == (left.parse::<u32>().unwrap_or(0) + 1) % 100;
        if range || year(left) && year(right) {
            continue;
        }
        spans.push(Span {
            kind: FindingKind::Reference,
            start: s,
            end: e,
        });
    }
}

/// Whether ten digits pass the NHS number's modulus 11 check.
pub fn nhs_check(digits: &[u8]) -> bool {
    if digits.len() != 10 {
        return false;
    }
    let sum: u32 = digits[..9]
        .iter()
        .enumerate()
        .map(|(i, d)| u32::from(*d) * (10 - i as u32))
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return false,
        c => c,
    };
    check == u32::from(digits[9])
}

/// Numbers: NHS numbers, phone numbers and long bare numbers.
fn numbers(text: &str, spans: &mut Vec<Span>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let plus = b[i] == b'+' && text[i..].starts_with("+44");
        if !(plus || b[i].is_ascii_digit())
            || !boundary_before(text, i)
            || (i > 0 && b[i - 1] == b'/')
        {
            i += 1;
            continue;
        }
        // Groups of digits separated by one space or hyphen, "(0)" after +44.
        let mut j = if plus { i + 3 } else { i };
        if plus && text[j..].starts_with(' ') && !text[j..].starts_with(" (") {
            j += 1;
        }
        let mut digits: Vec<u8> = Vec::new();
        let mut best: Option<(usize, Vec<u8>)> = None;
        let mut ends: Vec<(usize, Vec<u8>)> = Vec::new();
        loop {
            if plus && text[j..].starts_with(" (0)") {
                j += 4;
            } else if plus && text[j..].starts_with("(0)") {
                j += 3;
            }
            let start = j;
            while j < b.len() && b[j].is_ascii_digit() {
                digits.push(b[j] - b'0');
                j += 1;
            }
            if j == start {
                break;
            }
            if !boundary_after(text, j)
                && bytes_at(text, j) != Some(b' ')
                && bytes_at(text, j) != Some(b'-')
            {
                break;
            }
            ends.push((j, digits.clone()));
            if digits.len() > 11 {
                break;
            }
            match (bytes_at(text, j), bytes_at(text, j + 1)) {
                (Some(b' ' | b'-'), Some(d)) if d.is_ascii_digit() => j += 1,
                (Some(b' '), Some(b'(')) if plus => {}
                _ => break,
            }
        }
        for (end, d) in ends.iter().rev() {
            if !boundary_after(text, *end) {
                continue;
            }
            let t = &text.as_bytes()[i..*end];
            let nhs_shape = d.len() == 10
                && (t.len() == 10
                    || (t.len() == 12 && t[3] == t[7] && matches!(t[3], b' ' | b'-')));
            let phone = d.first() == Some(&0)
                && matches!(d.get(1), Some(1 | 2 | 3 | 7 | 8))
                && (d.len() == 10 || d.len() == 11);
            let kind = if plus {
                (d.len() == 9 || d.len() == 10).then_some(FindingKind::Phone)
            } else if nhs_shape && nhs_check(d) {
                Some(FindingKind::Nhs)
            } else if phone {
                Some(FindingKind::Phone)
            } else if d.len() >= 8 && t.len() == d.len() {
                Some(FindingKind::Reference)
            } else {
                None
            };
            if let Some(kind) = kind {
                best = Some((*end, d.clone()));
                spans.push(Span {
                    kind,
                    start: i,
                    end: *end,
                });
                break;
            }
        }
        i = match best {
            Some((end, _)) => end,
            None => i + 1,
        };
        while i < b.len() && !text.is_char_boundary(i) {
            i += 1;
        }
    }
}

fn national_insurance(text: &str, spans: &mut Vec<Span>) {
    const BAD_PAIRS: &[&str] = &["BG", "GB", "NK", "KN", "TN", "NT", "ZZ"];
    let b = text.as_bytes();
    for i in 0..b.len() {
        if !boundary_before(text, i) || i + 8 > b.len() {
            continue;
        }
        let (p, q) = (b[i], b[i + 1]);
        if !p.is_ascii_uppercase() || !q.is_ascii_uppercase() {
            continue;
        }
        if b"DFIQUV".contains(&p) || b"DFIOQUV".contains(&q) {
            continue;
        }
        if BAD_PAIRS.contains(&&text[i..i + 2]) {
            continue;
        }
        // Six digits, in pairs that may be spaced.
        let mut j = i + 2;
        let mut digits = 0;
        while digits < 6 {
            if bytes_at(text, j) == Some(b' ') && digits % 2 == 0 {
                j += 1;
            }
            match bytes_at(text, j) {
                Some(d) if d.is_ascii_digit() => {
                    digits += 1;
                    j += 1;
                }
                _ => break,
            }
        }
        if digits != 6 {
            continue;
        }
        let mut end = j;
        let suffix = if bytes_at(text, j) == Some(b' ') {
            j + 1
        } else {
            j
        };
        if matches!(bytes_at(text, suffix), Some(b'A'..=b'D')) && boundary_after(text, suffix + 1) {
            end = suffix + 1;
        }
        if boundary_after(text, end) {
            spans.push(Span {
                kind: FindingKind::NationalInsurance,
                start: i,
                end,
            });
        }
    }
}

fn postcodes(text: &str, spans: &mut Vec<Span>) {
    let words = runs(text, &[]);
    for (k, &(s, e)) in words.iter().enumerate() {
        let out = &text[s..e];
        // The outward code: A9, A99, AA9, AA99, A9A, AA9A.
        let ob = out.as_bytes();
        let letters = ob.iter().take_while(|c| c.is_ascii_uppercase()).count();
        let rest = &ob[letters..];
        let outward = (1..=2).contains(&letters)
            && !rest.is_empty()
            && rest[0].is_ascii_digit()
            && rest.len() <= 2
            && rest[1..]
                .iter()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
        // The inward code, after one space or none: 9AA.
        let inward = |t: &str| {
            let t = t.as_bytes();
            t.len() == 3
                && t[0].is_ascii_digit()
                && t[1].is_ascii_uppercase()
                && t[2].is_ascii_uppercase()
        };
        if outward
            && let Some(&(s2, e2)) = words.get(k + 1)
            && &text[e..s2] == " "
            && inward(&text[s2..e2])
        {
            spans.push(Span {
                kind: FindingKind::Postcode,
                start: s,
                end: e2,
            });
            continue;
        }
        // Written without the space: "NG71AB".
        if out.len() >= 5 && out.len() <= 7 {
            let (o, i) = out.split_at(out.len() - 3);
            let ob = o.as_bytes();
            let letters = ob.iter().take_while(|c| c.is_ascii_uppercase()).count();
            let rest = &ob[letters..];
            if (1..=2).contains(&letters)
                && !rest.is_empty()
                && rest[0].is_ascii_digit()
                && rest.len() <= 2
                && inward(i)
            {
                spans.push(Span {
                    kind: FindingKind::Postcode,
                    start: s,
                    end: e,
                });
            }
        }
    }
}

/// Street words that end an address after a house number and a name.
const STREET_WORDS: &[&str] = &[
    "Road", "Rd", "Street", "St", "Avenue", "Ave", "Lane", "Close", "Drive", "Way", "Crescent",
    "Court", "Gardens", "Place", "Terrace", "Grove", "Walk", "Mews", "Square", "Rise", "Parade",
    "Row", "Hill", "View", "Green",
];

fn addresses(text: &str, spans: &mut Vec<Span>) {
    let words = runs(text, &['\'']);
    for i in 0..words.len() {
        let (s, e) = words[i];
        let number = &text[s..e];
        let digits = number.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 4 || number.len() > digits + 1 {
            continue;
        }
        // One to three capitalised words and then a street word (the longest).
        let mut found = None;
        for n in 1..=3 {
            let Some(&(ls, le)) = words.get(i + n + 1) else {
                break;
            };
            let names_ok = (1..=n).all(|k| {
                let (ws, we) = words[i + k];
                joined_by_space(text, &words, i + k)
                    && text[ws..we].starts_with(|c: char| c.is_uppercase())
            });
            if !names_ok {
                break;
            }
            if joined_by_space(text, &words, i + n + 1) && STREET_WORDS.contains(&&text[ls..le]) {
                found = Some(le);
            }
        }
        if let Some(end) = found {
            spans.push(Span {
                kind: FindingKind::Address,
                start: s,
                end,
            });
        }
    }
}

fn joined_by_space(text: &str, words: &[(usize, usize)], i: usize) -> bool {
    i > 0 && i < words.len() && text[words[i - 1].1..words[i].0] == *" "
}

fn times(text: &str, spans: &mut Vec<Span>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit()
            || !boundary_before(text, i)
            || (i > 0 && matches!(b[i - 1], b':' | b'.' | b'/'))
        {
            i += 1;
            continue;
        }
        let h_len = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let j = i + h_len;
        let hour: u32 = text[i..j].parse().unwrap_or(99);
        let mut end = None;
        if (1..=2).contains(&h_len) && matches!(bytes_at(text, j), Some(b':' | b'.')) {
            let m_len = b[j + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            let minute: u32 = text[j + 1..j + 1 + m_len].parse().unwrap_or(99);
            if m_len == 2 && minute < 60 {
                let mut k = j + 3;
                let sep = bytes_at(text, j) == Some(b':');
                // Seconds.
                if sep
                    && bytes_at(text, k) == Some(b':')
                    && b.len() >= k + 3
                    && b[k + 1..k + 3].iter().all(u8::is_ascii_digit)
                {
                    k += 3;
                }
                let ampm = ampm_end(text, k);
                match (sep, ampm) {
                    (_, Some(e)) if (1..=12).contains(&hour) => end = Some(e),
                    (true, None)
                        if hour < 24
                            && boundary_after(text, k)
                            && bytes_at(text, k) != Some(b':') =>
                    {
                        end = Some(k)
                    }
                    _ => {}
                }
            }
        } else if h_len == 4 && hour / 100 < 24 && hour % 100 < 60 {
            // "1430hrs", "1430 hours".
            for suffix in ["hrs", " hrs", "hours", " hours", "h"] {
                if text[j..].starts_with(suffix) && boundary_after(text, j + suffix.len()) {
                    end = Some(j + suffix.len());
                    break;
                }
            }
        } else if (1..=2).contains(&h_len) && (1..=12).contains(&hour) {
            // "2pm" is an hour, not an exact time: not reported.
        }
        match end {
            Some(e) => {
                spans.push(Span {
                    kind: FindingKind::Time,
                    start: i,
                    end: e,
                });
                i = e;
            }
            None => i = j.max(i + 1),
        }
    }
}

/// The end of "am"/"pm" (with an optional space, any case) at `i`, if there.
fn ampm_end(text: &str, i: usize) -> Option<usize> {
    let at = if text[i..].starts_with(' ') { i + 1 } else { i };
    let two = text.get(at..at + 2)?.to_lowercase();
    ((two == "am" || two == "pm") && boundary_after(text, at + 2)).then_some(at + 2)
}

fn places(text: &str, known: &Known, spans: &mut Vec<Span>) {
    if known.places.is_empty() {
        return;
    }
    let lower = text.to_lowercase();
    if lower.len() != text.len() {
        // Letters whose lower case differs in length: compare word by word instead.
        return places_slow(text, known, spans);
    }
    for p in &known.places {
        let p = p
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if p.is_empty() {
            continue;
        }
        let mut from = 0;
        while let Some(k) = lower[from..].find(&p) {
            let s = from + k;
            let e = s + p.len();
            if boundary_before(text, s) && boundary_after(text, e) {
                spans.push(Span {
                    kind: FindingKind::Place,
                    start: s,
                    end: e,
                });
            }
            from = e;
        }
    }
}

fn places_slow(text: &str, known: &Known, spans: &mut Vec<Span>) {
    let words = runs(text, &[]);
    for p in &known.places {
        let pw: Vec<String> = p.split_whitespace().map(str::to_lowercase).collect();
        if pw.is_empty() {
            continue;
        }
        for i in 0..words.len() {
            if i + pw.len() > words.len() {
                break;
            }
            let all = (0..pw.len()).all(|k| {
                let (s, e) = words[i + k];
                text[s..e].to_lowercase() == pw[k]
                    && (k == 0 || joined_by_space(text, &words, i + k))
            });
            if all {
                spans.push(Span {
                    kind: FindingKind::Place,
                    start: words[i].0,
                    end: words[i + pw.len() - 1].1,
                });
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Applying decisions, and the findings of a finished document

/// `text` with the decisions applied: a text decision wherever its text stands as whole
/// words, a kind decision wherever a detector finds one of its kind.
pub fn apply<'t>(text: &'t str, decisions: &Decisions, known: &Known) -> Cow<'t, str> {
    if decisions.by_text.is_empty() && decisions.by_kind.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out: Cow<'t, str> = Cow::Borrowed(text);
    // Text decisions, longest text first so "log 1234 of 12/03/2019" goes before "1234".
    let mut texts: Vec<(&String, &Verdict)> = decisions
        .by_text
        .iter()
        .filter(|(_, v)| **v != Verdict::Keep)
        .collect();
    texts.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
    for (t, v) in texts {
        if t.is_empty() || !out.contains(t.as_str()) {
            continue;
        }
        let by = match v {
            Verdict::Generalise(r) => r.as_str(),
            _ => REMOVED,
        };
        let mut s = String::with_capacity(out.len());
        let mut rest = 0;
        let cur: &str = &out;
        let mut from = 0;
        while let Some(k) = cur[from..].find(t.as_str()) {
            let a = from + k;
            let b = a + t.len();
            if boundary_before(cur, a) && boundary_after(cur, b) {
                s.push_str(&cur[rest..a]);
                s.push_str(by);
                rest = b;
            }
            from = b;
        }
        if rest > 0 {
            s.push_str(&cur[rest..]);
            out = Cow::Owned(s);
        }
    }
    if decisions.by_kind.values().any(|v| *v != Verdict::Keep) {
        let cur: &str = &out;
        let spans = detect(cur, known);
        let mut s = String::with_capacity(cur.len());
        let mut rest = 0;
        for sp in spans {
            let found = &cur[sp.start..sp.end];
            if decisions.by_text.contains_key(found) || decisions.is_replacement(found) {
                continue;
            }
            let by = match decisions.by_kind.get(&sp.kind) {
                Some(Verdict::Generalise(r)) => r.as_str(),
                Some(Verdict::Remove) => REMOVED,
                _ => continue,
            };
            s.push_str(&cur[rest..sp.start]);
            s.push_str(by);
            rest = sp.end;
        }
        if rest > 0 {
            s.push_str(&cur[rest..]);
            out = Cow::Owned(s);
        }
    }
    out
}

/// The rewrite of a document for publication: the anonymiser, then the decisions.
pub struct Publication<'a> {
    pub anonymiser: &'a Anonymiser,
    pub decisions: &'a Decisions,
    pub known: &'a Known,
}

impl Rewrite for Publication<'_> {
    fn rewrite<'t>(&self, text: &'t str) -> Cow<'t, str> {
        match self.anonymiser.replace(text) {
            Cow::Borrowed(t) => apply(t, self.decisions, self.known),
            Cow::Owned(t) => Cow::Owned(apply(&t, self.decisions, self.known).into_owned()),
        }
    }
}

/// The findings of a finished document (readable lines from
/// [`super::pseudonym::readable_lines`]) and the words like names of its leak scan that
/// no decision settles, each text once with its first place, in order of appearance.
pub fn findings(
    lines: &[(usize, String, String)],
    like_names: &[LeakHit],
    decisions: &Decisions,
    known: &Known,
) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    let mut add = |kind: FindingKind, text: &str, section: &str, line: usize, note: String| {
        if decisions.verdict(kind, text).is_some() || decisions.is_replacement(text) {
            return;
        }
        if let Some(f) = out.iter_mut().find(|f| f.kind == kind && f.text == text) {
            f.count += 1;
            return;
        }
        out.push(Finding {
            kind,
            text: text.to_string(),
            section: section.to_string(),
            line,
            count: 1,
            note,
        });
    };
    let mut hits: Vec<&LeakHit> = like_names.iter().collect();
    hits.sort_by_key(|h| h.line);
    let mut next_hit = 0;
    for (line, section, text) in lines {
        for sp in detect(text, known) {
            add(
                sp.kind,
                &text[sp.start..sp.end],
                section,
                *line,
                String::new(),
            );
        }
        while next_hit < hits.len() && hits[next_hit].line <= *line {
            let h = hits[next_hit];
            add(
                FindingKind::LikeName,
                &h.word,
                &h.section,
                h.line,
                format!("begins like {}", h.name),
            );
            next_hit += 1;
        }
    }
    for h in &hits[next_hit..] {
        add(
            FindingKind::LikeName,
            &h.word,
            &h.section,
            h.line,
            format!("begins like {}", h.name),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(FindingKind, String)> {
        let known = Known {
            places: vec!["Northfield Primary School".into()],
            ignore: vec!["DHR/2024/07".into()],
        };
        detect(text, &known)
            .into_iter()
            .map(|s| (s.kind, text[s.start..s.end].to_string()))
            .collect()
    }

    fn kinds(text: &str) -> Vec<FindingKind> {
        found(text).into_iter().map(|(k, _)| k).collect()
    }

    use FindingKind as K;

    #[test]
    fn system_references() {
        assert_eq!(
            found("Home Office ref HO/16/0391."),
            [(K::Reference, "ref HO/16/0391".to_string())]
        );
        assert_eq!(
            found("see HO/16/0391 and"),
            [(K::Reference, "HO/16/0391".to_string())]
        );
        assert_eq!(
            found("crime number 41/12345/19 was"),
            [(K::Reference, "crime number 41/12345/19".to_string())]
        );
        assert_eq!(
            found("police log 1234 of 12/03/2019 says"),
            [(K::Reference, "log 1234 of 12/03/2019".to_string())]
        );
        assert_eq!(
            found("STORM 0456 opened"),
            [(K::Reference, "STORM 0456".to_string())]
        );
        assert_eq!(
            found("Incident no. 20190312"),
            [(K::Reference, "Incident no. 20190312".to_string())]
        );
        for none in [
            "Page 2 of 5",
            "on 12/03/2019 and 1/2 of them in 2019/20",
            "and/or",
            "the incident 2 days later",
            "a log of calls",
            "the review DHR/2024/07",
        ] {
            assert!(kinds(none).is_empty(), "{none}: {:?}", found(none));
        }
    }

    #[test]
    fn references_of_two_numbers_without_a_keyword() {
        for (text, want) in [
            ("Niche PPN 18/4471 was raised", "18/4471"),
            ("Referral 1806-22 received", "1806-22"),
            ("Assessment 19/0114 opened", "19/0114"),
        ] {
            assert_eq!(found(text), [(K::Reference, want.to_string())], "{text}");
        }
        for text in [
            "in 2016-17 and 2019/20",
            "from 2016-2017",
            "on 12/03/2019",
            "pages 10-15",
            "a 24/7 service",
        ] {
            assert!(
                !kinds(text).contains(&K::Reference),
                "{text}: {:?}",
                found(text)
            );
        }
    }

    #[test]
    fn nhs_numbers_pass_the_check_and_others_do_not() {
        // 943 476 5919 is a valid NHS number; 943 476 5918 fails the check.
        assert_eq!(
            found("NHS 943 476 5919."),
            [(K::Nhs, "943 476 5919".to_string())]
        );
        assert_eq!(
            found("NHS 9434765919"),
            [(K::Nhs, "9434765919".to_string())]
        );
        assert_eq!(
            kinds("9434765918"),
            [K::Reference],
            "a bare number, not NHS"
        );
        assert!(
            kinds("943 476 5918").is_empty(),
            "spaced and failing: nothing"
        );
        assert!(nhs_check(&[9, 4, 3, 4, 7, 6, 5, 9, 1, 9]));
        assert!(!nhs_check(&[9, 4, 3, 4, 7, 6, 5, 9, 1, 8]));
    }

    #[test]
    fn national_insurance_numbers() {
        assert_eq!(
            found("NI QQ123456C"),
            Vec::<(K, String)>::new(),
            "Q is never a first letter"
        );
        assert_eq!(
            found("NI AB123456C."),
            [(K::NationalInsurance, "AB123456C".to_string())]
        );
        assert_eq!(
            found("NI AB 12 34 56 C."),
            [(K::NationalInsurance, "AB 12 34 56 C".to_string())]
        );
        assert!(kinds("GB123456A").is_empty(), "GB is no prefix");
        assert!(kinds("AB12345C").is_empty(), "five digits");
    }

    #[test]
    fn dates_of_birth() {
        assert_eq!(
            found("she was born 3 March 1990 in"),
            [(K::DateOfBirth, "born 3 March 1990".to_string())]
        );
        assert_eq!(
            found("born on 3rd March 1990"),
            [(K::DateOfBirth, "born on 3rd March 1990".to_string())]
        );
        assert_eq!(
            found("DOB 03/03/1990"),
            [(K::DateOfBirth, "DOB 03/03/1990".to_string())]
        );
        assert_eq!(
            found("Date of birth: 3 March 1990"),
            [(K::DateOfBirth, "Date of birth: 3 March 1990".to_string())]
        );
        assert!(kinds("born in 1990").is_empty());
        assert!(
            kinds("the visit on 3 March 1990").is_empty(),
            "a date alone is no birth date"
        );
    }

    #[test]
    fn street_addresses_postcodes_and_places() {
        assert_eq!(
            found("lived at 14 Acacia Avenue with"),
            [(K::Address, "14 Acacia Avenue".to_string())]
        );
        assert_eq!(
            found("at 3a Mill Hill Road"),
            [(K::Address, "3a Mill Hill Road".to_string())]
        );
        assert!(kinds("on 2 occasions; 12 Road closures").is_empty());
        assert_eq!(found("NG7 1AB"), [(K::Postcode, "NG7 1AB".to_string())]);
        assert_eq!(found("SW1A 2AA."), [(K::Postcode, "SW1A 2AA".to_string())]);
        assert!(kinds("M1 motorway; ng7 1ab").is_empty());
        assert_eq!(
            found("attended northfield primary school daily"),
            [(K::Place, "northfield primary school".to_string())]
        );
    }

    #[test]
    fn phones_and_emails() {
        assert_eq!(
            found("call 07700 900123"),
            [(K::Phone, "07700 900123".to_string())]
        );
        assert_eq!(
            found("call 0161 496 0000."),
            [(K::Phone, "0161 496 0000".to_string())]
        );
        assert_eq!(
            found("+44 7700 900123"),
            [(K::Phone, "+44 7700 900123".to_string())]
        );
        assert_eq!(
            found("+44 (0)20 7946 0000"),
            [(K::Phone, "+44 (0)20 7946 0000".to_string())]
        );
        assert!(kinds("in 2019 2020").is_empty());
        assert_eq!(
            found("mail a.b@example.org."),
            [(K::Email, "a.b@example.org".to_string())]
        );
        assert!(kinds("at @home and x@y").is_empty());
    }

    #[test]
    fn exact_times() {
        assert_eq!(found("at 14:32 she"), [(K::Time, "14:32".to_string())]);
        assert_eq!(found("at 2.15pm"), [(K::Time, "2.15pm".to_string())]);
        assert_eq!(found("at 9:05 am"), [(K::Time, "9:05 am".to_string())]);
        assert_eq!(found("at 1430hrs"), [(K::Time, "1430hrs".to_string())]);
        for none in ["2pm", "version 2.15", "25:10", "ratio 3:1", "12/03/2019"] {
            assert!(kinds(none).is_empty(), "{none}: {:?}", found(none));
        }
    }

    fn decisions(list: &[(Scope, Verdict)]) -> Decisions {
        Decisions::new(
            &list
                .iter()
                .enumerate()
                .map(|(i, (s, v))| Decision {
                    id: i as i64 + 1,
                    case_id: 1,
                    scope: s.clone(),
                    verdict: v.clone(),
                })
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn decisions_apply_by_text_then_by_kind() {
        let known = Known::default();
        let d = decisions(&[
            (
                Scope::Text("HO/16/0391".into()),
                Verdict::Generalise("a Home Office reference".into()),
            ),
            (Scope::Kind(K::Time), Verdict::Remove),
            (Scope::Text("14:32".into()), Verdict::Keep),
        ]);
        assert_eq!(
            apply("HO/16/0391 at 14:32 and 09:10", &d, &known),
            "a Home Office reference at 14:32 and [removed]"
        );
        let lines = vec![(
            3,
            "Chronology".to_string(),
            "HO/16/0391 at 14:32; STORM 0456 and STORM 0456".to_string(),
        )];
        let left = findings(&lines, &[], &d, &known);
        assert_eq!(left.len(), 1, "{left:?}");
        assert_eq!(left[0].text, "STORM 0456");
        assert_eq!(left[0].count, 2);
        assert!(
            left[0]
                .describe()
                .contains("Chronology, line 3 (and 1 more place)")
        );
    }

    #[test]
    fn decisions_are_checked() {
        assert!(Verdict::from_parts("generalise", " ").is_err());
        assert_eq!(Verdict::from_parts("Remove", "").unwrap(), Verdict::Remove);
        assert!(check_decision(&Scope::Kind(K::LikeName), &Verdict::Remove).is_err());
        assert!(check_decision(&Scope::Kind(K::LikeName), &Verdict::Keep).is_ok());
        assert!(check_decision(&Scope::Text(" ".into()), &Verdict::Keep).is_err());
        assert_eq!(FindingKind::from_code("Reference"), Some(K::Reference));
    }
}
