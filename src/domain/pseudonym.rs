//! Anonymised export: the names a case knows, their replacement, and the
//! stricter leak scan that refuses a document still holding one.
//!
//! Replacement works on whole words in any letter case, possessives included ("Rebecca's"
//! becomes "Adult A's"): every real-name form in the pseudonym register becomes the
//! pseudonym, and every other person the case records becomes their role and agency,
//! also where the name is typed inside free text. For those people the full name, the
//! name without its title, and (when no one else shares it) the first name or surname
//! alone, written with a capital, are replaced; a title in front ("DI Hart") goes with
//! the name. One left-to-right pass takes the longest name at each word, so "Ellie
//! Thornley" is one name and a replacement is never itself replaced.
//!
//! The scan then reads the finished document for every known name and every word of
//! three or more letters in one (titles aside), in any case: parts of five letters or
//! more anywhere inside a word, of three or four at the start of a word, of two as a
//! whole word. Invisible characters and stand-ins inside a word do not hide a name.
//!
//! A part of three or four letters at the start of an ordinary English word ("marker"
//! for Mark, from the bundled word list in `wordlist/`) is a softer hit: a word like a
//! name, reported but not refused (the publication check asks for a decision on it). A
//! word that is only the part and "s" or "es" ("Marks") is not ordinary here: refused.
//!
//! Places of the register (schools, employers, addresses) are replaced like names, by
//! their replacement or their kind's generic words, and scanned for as whole phrases.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::markdown::Rewrite;
use super::model::{
    Agency, Attendance, Case, Challenge, Decision, Declaration, Meeting, PanelMember, Place,
    Recommendation, Subject,
};

/// Lower-case English words of five letters or more, one a line, sorted bytewise
/// (`wordlist/README.md` says where they come from and under what licence).
const WORDS: &str = include_str!("wordlist/words.txt");

/// Whether `word` (lower case) is an ordinary English word of the bundled list.
pub fn is_ordinary_word(word: &str) -> bool {
    static LIST: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| WORDS.lines().collect())
        .binary_search(&word)
        .is_ok()
}

/// Whether a word holding a name part of three or four letters at its start is an
/// ordinary word rather than the name with a suffix: in the word list, and not only the
/// part and "s" or "es" ("marks" for Mark stays a name).
fn word_like_name(word: &[char], part: &[char]) -> bool {
    let rest: String = word[part.len().min(word.len())..].iter().collect();
    if rest.is_empty() || rest == "s" || rest == "es" {
        return false;
    }
    let word: String = word.iter().collect();
    is_ordinary_word(&word)
}

/// Titles that are not part of a name: never scanned for, and taken away with a name
/// they stand before.
pub const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "rev",
    "revd",
    "sir",
    "dame",
    "lady",
    "lord",
    "di",
    "ds",
    "dc",
    "dci",
    "dsi",
    "dcs",
    "dsu",
    "pc",
    "ps",
    "sgt",
    "insp",
    "cllr",
    "cl",
];

/// Words that name a body or a role rather than a person, when they stand in a "decided
/// by" or "raised by" field.
const COLLECTIVE: &[&str] = &[
    "panel",
    "review panel",
    "the panel",
    "chair",
    "the chair",
    "independent chair",
    "members",
    "panel members",
    "all",
    "all members",
    "all agencies",
    "secretary",
    "minute taker",
    "overview author",
    "partnership",
    "csp",
];

fn is_title(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_lowercase();
    TITLES.contains(&w.as_str())
}

/// A person the case records (other than the subjects) and how they appear when
/// anonymised: their role and agency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownPerson {
    pub name: String,
    pub label: String,
}

/// Everything in a case that names people, all of whom anonymised output must hide.
#[derive(Debug, Clone, Copy)]
pub struct PeopleSources<'a> {
    pub case: &'a Case,
    pub agencies: &'a [Agency],
    pub members: &'a [PanelMember],
    pub meetings: &'a [Meeting],
    /// Attendance at every meeting of the case.
    pub attendance: &'a [Attendance],
    pub declarations: &'a [Declaration],
    pub challenges: &'a [Challenge],
    pub decisions: &'a [Decision],
    pub recommendations: &'a [Recommendation],
    /// People named in the review's process records, each with the words they appear as:
    /// advocates, who approached or contacted the family, the contacts of parallel
    /// proceedings, who asked for disclosure, who decided whether to review. Each text is
    /// cut at commas, brackets and "and" ("Lorna Baptiste, AAFDA"), each piece taken as a
    /// person only when it reads as a name (see [`names_in`]).
    pub named: &'a [(String, String)],
}

/// Words that make a phrase the name of a body, not a person ("Northgate Coroner's Court",
/// "Victim Support Service"): such a phrase is not taken for a person's name, so its
/// words are not hidden wherever they stand.
const BODIES: &[&str] = &[
    "agency",
    "authority",
    "board",
    "centre",
    "charity",
    "college",
    "commission",
    "constabulary",
    "council",
    "court",
    "department",
    "force",
    "foundation",
    "group",
    "hospital",
    "ministry",
    "network",
    "nhs",
    "office",
    "panel",
    "partnership",
    "police",
    "practice",
    "project",
    "school",
    "service",
    "services",
    "support",
    "team",
    "trust",
    "unit",
    "university",
];

/// The people's names in `text` ("Lorna Baptiste, AAFDA" gives "Lorna Baptiste"; "Chair of
/// the partnership (Ivor Quance and Rose Hill)" gives "Ivor Quance" and "Rose Hill"): the
/// text is cut at commas, brackets, semicolons, slashes, "&", " and ", " with " and
/// " or ", and each piece is kept when it reads as a person's name: one to five words,
/// each starting with a capital ("the chair", "Chair of the partnership" are roles), none
/// naming a body ("Coroner's Court"), and a single word only when it is no ordinary
/// English word and no acronym ("Coordinator", "AAFDA"). Two ordinary words together can
/// be a name ("Martin Greaves", "Rose Hill"): they are taken as one, as hiding a name
/// matters more than a word hidden by mistake.
pub fn names_in(text: &str) -> Vec<&str> {
    let mut pieces: Vec<&str> = vec![text];
    for cut in [" and ", " with ", " or "] {
        pieces = pieces.iter().flat_map(|p| p.split(cut)).collect();
    }
    pieces
        .iter()
        .flat_map(|p| p.split([',', '(', ')', ';', '/', '&', '[', ']']))
        .map(str::trim)
        .filter(|p| reads_as_name(p))
        .collect()
}

fn reads_as_name(part: &str) -> bool {
    let words: Vec<&str> = part.split_whitespace().collect();
    let bare: Vec<&&str> = words.iter().filter(|w| !is_title(w)).collect();
    let plain = |w: &str| {
        w.to_lowercase()
            .trim_end_matches("'s")
            .trim_end_matches('\u{2019}')
            .to_string()
    };
    let single_ok = |w: &str| !is_ordinary_word(&plain(w)) && w.chars().any(char::is_lowercase);
    !bare.is_empty()
        && words.len() <= 5
        && bare.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || "-'\u{2019}.".contains(c))
                && !BODIES.contains(&plain(w).as_str())
        })
        && (bare.len() > 1 || bare.iter().all(|w| single_ok(w)))
}

/// A name compared with others: lower case, titles and full stops gone, single spaces.
pub fn normal_name(name: &str) -> String {
    name.split(|c: char| c.is_whitespace() || c == '.')
        .filter(|w| !w.is_empty() && !is_title(w))
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// "Role (CODE)", or the role alone when there is no agency.
fn role_label(role: &str, agency: &str, fallback: &str) -> String {
    let role = role.trim();
    let role = if role.is_empty() { fallback } else { role };
    if agency.trim().is_empty() {
        role.to_string()
    } else {
        format!("{role} ({})", agency.trim())
    }
}

/// Every person the case records, each once, with the role and agency they appear as.
///
/// When a person holds several places the first of these gives the label: the case's
/// chair, overview author and coordinator; panel members; attendance (latest meeting first);
/// deputies; meeting chairs and minute takers; IMR authors; lead officers; and then
/// anyone else named in a declaration, as raising a challenge or as deciding (unless it
/// names a body, such as "Panel"). Action owners count only when they are one of these
/// (the minuting view stores a known person's name, or else free text taken as a role),
/// so they add no one.
pub fn known_people(src: &PeopleSources<'_>) -> Vec<KnownPerson> {
    let code = |id: Option<i64>| -> String {
        src.agencies
            .iter()
            .find(|a| Some(a.id) == id)
            .map(|a| a.code.clone())
            .unwrap_or_default()
    };
    let mut people: Vec<KnownPerson> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let mut add = |name: &str, label: String| {
        let key = normal_name(name);
        if key.chars().any(char::is_alphabetic) && seen.insert(key) {
            people.push(KnownPerson {
                name: name.trim().to_string(),
                label,
            });
        }
    };
    add(&src.case.chair, "Independent chair".into());
    add(&src.case.overview_author, "Overview author".into());
    add(&src.case.coordinator, "Review coordinator".into());
    for m in src.members {
        add(
            &m.name,
            role_label(&m.role, &code(Some(m.agency_id)), "Panel member"),
        );
    }
    let number = |meeting_id: i64| {
        src.meetings
            .iter()
            .find(|m| m.id == meeting_id)
            .map_or(0, |m| m.number)
    };
    let mut attendance: Vec<&Attendance> = src.attendance.iter().collect();
    attendance.sort_by_key(|a| (std::cmp::Reverse(number(a.meeting_id)), a.id));
    for a in attendance {
        let fallback = if a.guest { "Guest" } else { "Panel member" };
        add(&a.person, role_label(&a.role, &code(a.agency_id), fallback));
    }
    for m in src.members {
        let role = if m.role.trim().is_empty() {
            "Deputy panel member".to_string()
        } else {
            format!("Deputy for {}", m.role.trim())
        };
        add(&m.deputy, role_label(&role, &code(Some(m.agency_id)), ""));
    }
    for m in src.meetings {
        add(&m.chair, "Chair".into());
        add(&m.minute_taker, "Minute taker".into());
    }
    for a in src.agencies {
        let role = format!("{} author", a.return_type.label());
        add(&a.author, role_label(&role, &a.code, ""));
    }
    for r in src.recommendations {
        add(
            &r.lead_officer,
            role_label("Lead officer", &code(r.agency_id), ""),
        );
    }
    let collective = |name: &str| {
        let n = name.trim().to_lowercase();
        COLLECTIVE.contains(&n.as_str())
            || src
                .agencies
                .iter()
                .any(|a| a.code.eq_ignore_ascii_case(&n) || a.name.eq_ignore_ascii_case(&n))
    };
    for d in src.declarations {
        add(&d.person, "Panel member".into());
    }
    for c in src.challenges {
        if !collective(&c.raised_by) {
            add(&c.raised_by, "Panel member".into());
        }
    }
    for d in src.decisions {
        if !collective(&d.decided_by) {
            add(&d.decided_by, "Panel member".into());
        }
    }
    for (text, label) in src.named {
        for name in names_in(text).into_iter().filter(|n| !collective(n)) {
            add(name, label.clone());
        }
    }
    people
}

/// One name and what it becomes.
#[derive(Debug, Clone)]
struct Replacement {
    /// Lower case; a space stands for any run of white space.
    pattern: Vec<char>,
    by: String,
    /// A first name or surname alone: replaced only when written with a capital.
    capital_only: bool,
}

/// The parts of known names the scan looks for (module docs).
#[derive(Debug, Default)]
struct ScanParts {
    /// Two letters (or fewer): as a whole word.
    whole: HashSet<Vec<char>>,
    /// Three or four letters: at the start of a word.
    prefix: HashSet<Vec<char>>,
    /// Five letters or more: anywhere inside a word.
    anywhere: HashSet<Vec<char>>,
    anywhere_lengths: Vec<usize>,
    /// Names whose every word is shorter than three letters ("Li Na"), as phrases.
    phrases: Vec<Vec<char>>,
    /// The known name each part came from, for the report.
    origin: HashMap<Vec<char>, String>,
    /// Phrases that are places of the register, not names.
    places: HashSet<Vec<char>>,
}

/// One place where the scan found a known name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeakHit {
    /// 1-based line of the document.
    pub line: usize,
    /// The heading the line falls under ("" before the first heading).
    pub section: String,
    /// The word as it appears in the document.
    pub word: String,
    /// The part of a known name it holds.
    pub part: String,
    /// The known name that part comes from (or the place, when `place`).
    pub name: String,
    /// Whether the hit is a place of the register rather than a name.
    pub place: bool,
}

impl LeakHit {
    /// `5. Case outline, line 48: "Hartley" holds "hart" (from the known name Simon Hart)`.
    pub fn describe(&self) -> String {
        let section = if self.section.is_empty() {
            "start of the document".to_string()
        } else {
            self.section.clone()
        };
        if self.place {
            return format!(
                "{section}, line {}: \"{}\" is a place of the register",
                self.line, self.word
            );
        }
        format!(
            "{section}, line {}: \"{}\" holds \"{}\" (from the known name {})",
            self.line, self.word, self.part, self.name
        )
    }
}

/// What the scan found: hits that refuse the export, hits accepted by `--allow`, and
/// ordinary words that begin like a short name part ("marker" for Mark), reported but
/// not refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanReport {
    pub leaks: Vec<LeakHit>,
    pub allowed: Vec<LeakHit>,
    pub like_names: Vec<LeakHit>,
}

/// Replaces known names and scans for any left (module docs).
#[derive(Debug, Default)]
pub struct Anonymiser {
    /// By the first (lower-case) letter of the pattern, longest first.
    replacements: HashMap<char, Vec<Replacement>>,
    scan: ScanParts,
}

/// A letter as names are compared: lower case, full-width forms ("Ｒ") as plain ones.
fn lower(c: char) -> char {
    let c = match c as u32 {
        // U+FF01..=U+FF5E mirror ASCII 0x21..=0x7E.
        u @ 0xFF01..=0xFF5E => char::from_u32(u - 0xFF01 + 0x21).unwrap_or(c),
        _ => c,
    };
    c.to_lowercase().next().unwrap_or(c)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Characters that draw nothing, combine with the letter before them, or stand in for a
/// control: skipped inside a word by the scan so they cannot split a name.
fn is_ignorable(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x0300..=0x036F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5
        | 0x180B..=0x180F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x206F | 0x20D0..=0x20FF | 0x2400..=0x2426
        | 0xFE00..=0xFE0F | 0xFE20..=0xFE2F | 0xFEFF | 0xFFFD)
}

/// Past an agency in brackets that the text repeats after a name replaced by a label
/// ending in the same one: "Simon Hart (POLICE)" reads "DI (POLICE)", not
/// "DI (POLICE) (POLICE)".
fn skip_repeated_agency(chars: &[char], end: usize, label: &str) -> usize {
    let Some(open) = label.rfind(" (").filter(|_| label.ends_with(')')) else {
        return end;
    };
    let suffix: Vec<char> = label[open + 1..].chars().map(lower).collect();
    let mut t = end;
    while t < chars.len() && chars[t].is_whitespace() {
        t += 1;
    }
    let repeated = t > end
        && chars.len() >= t + suffix.len()
        && chars[t..t + suffix.len()]
            .iter()
            .zip(&suffix)
            .all(|(c, s)| lower(*c) == *s);
    if repeated { t + suffix.len() } else { end }
}

/// Where `pattern` (lower case; a space stands for any run of white space) ends when it
/// is found at `i` and ends a word there.
fn word_match(chars: &[char], low: &[char], i: usize, pattern: &[char]) -> Option<usize> {
    let mut t = i;
    for &p in pattern {
        if p == ' ' {
            if t >= chars.len() || !chars[t].is_whitespace() {
                return None;
            }
            while t < chars.len() && chars[t].is_whitespace() {
                t += 1;
            }
        } else {
            if t >= low.len() || low[t] != p {
                return None;
            }
            t += 1;
        }
    }
    let ends_word =
        t == chars.len() || !is_word_char(chars[t]) || t == i || !is_word_char(chars[t - 1]);
    ends_word.then_some(t)
}

fn pattern_of(name: &str) -> Vec<char> {
    let collapsed = name.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.chars().map(lower).collect()
}

impl Anonymiser {
    /// The anonymiser for a case's pseudonym register and the people it records.
    pub fn new(subjects: &[Subject], people: &[KnownPerson]) -> Anonymiser {
        let mut a = Anonymiser::default();
        let mut taken: HashSet<Vec<char>> = HashSet::new();
        let mut all: Vec<Replacement> = Vec::new();
        let mut push = |all: &mut Vec<Replacement>, name: &str, by: &str, capital_only: bool| {
            let pattern = pattern_of(name);
            if pattern.iter().any(|c| c.is_alphabetic()) && taken.insert(pattern.clone()) {
                all.push(Replacement {
                    pattern,
                    by: by.to_string(),
                    capital_only,
                });
            }
        };
        for s in subjects {
            let pseudonym = s.pseudonym.trim();
            let by = if pseudonym.is_empty() {
                "a person the review is about"
            } else {
                pseudonym
            };
            for form in s.name_forms() {
                push(&mut all, form, by, false);
                a.scan.add_name(form);
            }
        }
        // A first name or surname counts alone only when no one else has it.
        let mut single_count: HashMap<String, usize> = HashMap::new();
        let singles = |name: &str| -> Vec<String> {
            let words: Vec<&str> = name.split_whitespace().filter(|w| !is_title(w)).collect();
            if words.len() < 2 {
                return Vec::new();
            }
            let mut out = vec![words[0].to_string()];
            if let Some(last) = words.last() {
                out.push(last.to_string());
            }
            out.into_iter()
                .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
                .collect()
        };
        for p in people {
            for w in singles(&p.name) {
                *single_count.entry(w.to_lowercase()).or_default() += 1;
            }
        }
        for p in people {
            let without_titles = p
                .name
                .split_whitespace()
                .filter(|w| !is_title(w))
                .collect::<Vec<_>>()
                .join(" ");
            push(&mut all, &p.name, &p.label, false);
            push(&mut all, &without_titles, &p.label, false);
            a.scan.add_name(&p.name);
        }
        for p in people {
            for w in singles(&p.name) {
                if single_count.get(&w.to_lowercase()) == Some(&1) {
                    push(&mut all, &w, &p.label, true);
                }
            }
        }
        for r in all {
            if let Some(&first) = r.pattern.first() {
                a.replacements.entry(first).or_default().push(r);
            }
        }
        for bucket in a.replacements.values_mut() {
            bucket.sort_by_key(|r| std::cmp::Reverse(r.pattern.len()));
        }
        a.scan.anywhere_lengths = a.scan.anywhere.iter().map(Vec::len).collect();
        a.scan.anywhere_lengths.sort_unstable();
        a.scan.anywhere_lengths.dedup();
        a
    }

    /// The anonymiser with the places of the register too: each replaced (whole words,
    /// any letter case) by its replacement or its kind's generic words, and scanned for.
    pub fn with_places(mut self, places: &[Place]) -> Anonymiser {
        for p in places {
            let pattern = pattern_of(&p.text);
            let Some(&first) = pattern.first() else {
                continue;
            };
            if !pattern.iter().any(|c| c.is_alphanumeric()) {
                continue;
            }
            let bucket = self.replacements.entry(first).or_default();
            if bucket.iter().any(|r| r.pattern == pattern) {
                continue;
            }
            bucket.push(Replacement {
                pattern: pattern.clone(),
                by: p.replaced_by().to_string(),
                capital_only: false,
            });
            bucket.sort_by_key(|r| std::cmp::Reverse(r.pattern.len()));
            self.scan
                .origin
                .entry(pattern.clone())
                .or_insert_with(|| p.text.trim().to_string());
            self.scan.places.insert(pattern.clone());
            self.scan.phrases.push(pattern);
        }
        self
    }

    /// Whether the anonymiser knows no name at all.
    pub fn is_empty(&self) -> bool {
        self.replacements.is_empty()
            && self.scan.whole.is_empty()
            && self.scan.prefix.is_empty()
            && self.scan.anywhere.is_empty()
            && self.scan.phrases.is_empty()
    }

    /// The replacement whose name ends a word at `i` of `text`: (end, replacement).
    fn match_at(&self, chars: &[char], low: &[char], i: usize) -> Option<(usize, &str)> {
        let bucket = self.replacements.get(&low[i])?;
        bucket.iter().find_map(|r| {
            let end = word_match(chars, low, i, &r.pattern)?;
            (!r.capital_only || chars[i].is_uppercase()).then_some((end, r.by.as_str()))
        })
    }

    /// A title ("Dr", "DI.") at `i` followed by white space: where the next word starts.
    fn after_title(chars: &[char], i: usize) -> Option<usize> {
        let mut t = i;
        while t < chars.len() && chars[t].is_alphabetic() {
            t += 1;
        }
        let word: String = chars[i..t].iter().collect();
        if t == i || !is_title(&word) {
            return None;
        }
        if t < chars.len() && chars[t] == '.' {
            t += 1;
        }
        let spaces = t;
        while t < chars.len() && chars[t].is_whitespace() {
            t += 1;
        }
        (t > spaces && t < chars.len()).then_some(t)
    }

    /// `text` with every known name replaced (module docs).
    pub fn replace<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.replacements.is_empty() {
            return Cow::Borrowed(text);
        }
        let chars: Vec<char> = text.chars().collect();
        let low: Vec<char> = chars.iter().map(|&c| lower(c)).collect();
        let mut out = String::with_capacity(text.len() + 16);
        let mut changed = false;
        let mut i = 0;
        while i < chars.len() {
            let word_start = is_word_char(chars[i]) && (i == 0 || !is_word_char(chars[i - 1]));
            if word_start {
                let found = self.match_at(&chars, &low, i).or_else(|| {
                    Self::after_title(&chars, i).and_then(|j| self.match_at(&chars, &low, j))
                });
                if let Some((end, by)) = found {
                    out.push_str(by);
                    i = skip_repeated_agency(&chars, end, by);
                    changed = true;
                    continue;
                }
            }
            out.push(chars[i]);
            i += 1;
        }
        if changed {
            Cow::Owned(out)
        } else {
            Cow::Borrowed(text)
        }
    }

    /// Scans a finished Markdown document for known names; a hit whose word is in
    /// `allow` (any letter case) is accepted and reported as allowed.
    pub fn scan(&self, markdown: &str, allow: &[String]) -> ScanReport {
        let allow: HashSet<String> = allow.iter().map(|w| w.trim().to_lowercase()).collect();
        let mut report = ScanReport::default();
        let mut section = String::new();
        for (index, raw) in markdown.lines().enumerate() {
            let line = unescape(raw);
            if let Some(rest) = heading_text(raw) {
                section = unescape(rest);
            }
            for (word, part, soft) in self.scan.hits(&line) {
                let hit = LeakHit {
                    line: index + 1,
                    section: section.clone(),
                    name: self.scan.origin.get(&part).cloned().unwrap_or_default(),
                    place: self.scan.places.contains(&part),
                    part: part.iter().collect(),
                    word: word.clone(),
                };
                if allow.contains(&word.to_lowercase()) {
                    report.allowed.push(hit);
                } else if soft {
                    report.like_names.push(hit);
                } else {
                    report.leaks.push(hit);
                }
            }
        }
        report
    }
}

impl Rewrite for Anonymiser {
    fn rewrite<'t>(&self, text: &'t str) -> Cow<'t, str> {
        self.replace(text)
    }
}

/// The lines of a finished Markdown document as a reader sees them: (1-based line, the
/// heading it falls under, the text without its backslash escapes).
pub fn readable_lines(markdown: &str) -> Vec<(usize, String, String)> {
    let mut section = String::new();
    let mut out = Vec::new();
    for (index, raw) in markdown.lines().enumerate() {
        if let Some(rest) = heading_text(raw) {
            section = unescape(rest);
        }
        out.push((index + 1, section.clone(), unescape(raw)));
    }
    out
}

/// The text of an ATX heading line, if it is one.
fn heading_text(line: &str) -> Option<&str> {
    let hashes = line.bytes().take_while(|b| *b == b'#').count();
    ((1..=6).contains(&hashes) && line[hashes..].starts_with(' ')).then(|| line[hashes..].trim())
}

/// A Markdown line without its backslash escapes, as a reader sees it.
fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

impl ScanParts {
    /// Adds a known name: the name itself when it is one word, and each of its words of
    /// three or more letters, titles aside.
    fn add_name(&mut self, name: &str) {
        let words: Vec<Vec<char>> = name
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty() && !is_title(w))
            .map(|w| w.chars().map(lower).collect())
            .collect();
        let long: Vec<&Vec<char>> = words.iter().filter(|w| w.len() >= 3).collect();
        if long.is_empty() {
            match words.as_slice() {
                [] => {}
                [one] if one.len() >= 2 => self.add_part(one.clone(), name),
                [_] => {}
                several => {
                    let phrase: Vec<char> = several.join(&' ');
                    self.origin.insert(phrase.clone(), name.trim().to_string());
                    self.phrases.push(phrase);
                }
            }
        } else {
            for w in long {
                self.add_part(w.clone(), name);
            }
        }
    }

    fn add_part(&mut self, part: Vec<char>, name: &str) {
        self.origin
            .entry(part.clone())
            .or_insert_with(|| name.trim().to_string());
        match part.len() {
            0..=2 => self.whole.insert(part),
            3 | 4 => self.prefix.insert(part),
            _ => self.anywhere.insert(part),
        };
    }

    /// The words of a line holding a known name part: (word as written, part, whether
    /// the word is an ordinary word like a name rather than a name).
    fn hits(&self, line: &str) -> Vec<(String, Vec<char>, bool)> {
        let mut hits = Vec::new();
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if !is_word_char(chars[i]) {
                i += 1;
                continue;
            }
            let mut written = String::new();
            let mut word: Vec<char> = Vec::new();
            while i < chars.len() && (is_word_char(chars[i]) || is_ignorable(chars[i])) {
                if is_word_char(chars[i]) {
                    written.push(chars[i]);
                    word.push(lower(chars[i]));
                }
                i += 1;
            }
            if let Some((part, soft)) = self.part_in(&word) {
                hits.push((written, part, soft));
            }
        }
        if !self.phrases.is_empty() {
            let low: Vec<char> = chars.iter().map(|&c| lower(c)).collect();
            for phrase in &self.phrases {
                for start in 0..low.len() {
                    if start > 0 && is_word_char(low[start - 1]) {
                        continue;
                    }
                    if let Some(end) = word_match(&chars, &low, start, phrase) {
                        hits.push((chars[start..end].iter().collect(), phrase.clone(), false));
                    }
                }
            }
        }
        hits
    }

    /// The first known part a word holds under the rules for its length, and whether
    /// the word is only like a name: a part of three or four letters at the start of an
    /// ordinary word (module docs). A whole or long part is always a name.
    fn part_in(&self, word: &[char]) -> Option<(Vec<char>, bool)> {
        if self.whole.contains(word) {
            return Some((word.to_vec(), false));
        }
        for &len in &self.anywhere_lengths {
            if len > word.len() {
                break;
            }
            for start in 0..=word.len() - len {
                let piece = &word[start..start + len];
                if self.anywhere.contains(piece) {
                    return Some((piece.to_vec(), false));
                }
            }
        }
        let mut soft = None;
        for k in [3, 4] {
            if word.len() >= k && self.prefix.contains(&word[..k]) {
                let part = word[..k].to_vec();
                if !word_like_name(word, &part) {
                    return Some((part, false));
                }
                soft.get_or_insert((part, true));
            }
        }
        soft
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::SubjectRole;

    fn subject(names: &str, pseudonym: &str) -> Subject {
        Subject {
            id: 1,
            case_id: 1,
            role: SubjectRole::Victim,
            real_names: names.into(),
            pseudonym: pseudonym.into(),
            relationship: String::new(),
            notes: String::new(),
        }
    }

    fn person(name: &str, label: &str) -> KnownPerson {
        KnownPerson {
            name: name.into(),
            label: label.into(),
        }
    }

    fn demo() -> Anonymiser {
        Anonymiser::new(
            &[
                subject(
                    "Rebecca Thornley; Rebecca; Becky; Ms Thornley; Thornley",
                    "Adult A",
                ),
                subject("Ellie Thornley; Ellie", "Child C"),
                subject("Joanne Marsh; Jo", "Adult D"),
            ],
            &[
                person("Simon Hart", "Detective Inspector (POLICE)"),
                person("Dr Nadia Qureshi", "Overview author"),
                person("Dan Li", "IDVA (IDVA)"),
            ],
        )
    }

    #[test]
    fn register_forms_become_pseudonyms_in_any_case_with_possessives() {
        let a = demo();
        assert_eq!(
            a.replace("REBECCA's sister; rebecca thornley; Becky."),
            "Adult A's sister; Adult A; Adult A."
        );
        assert_eq!(
            a.replace("Ellie Thornley and Ms Thornley"),
            "Child C and Adult A"
        );
        assert_eq!(
            a.replace("Mrs Thornley"),
            "Adult A",
            "a title goes with the name"
        );
        assert_eq!(
            a.replace("Jo said; Joanne; jolly"),
            "Adult D said; Joanne; jolly"
        );
        assert_eq!(a.replace("Rebeccas"), "Rebeccas", "whole words only");
    }

    #[test]
    fn other_people_become_their_role_and_agency_including_inside_text() {
        let a = demo();
        assert_eq!(
            a.replace("Simon  Hart outlined; DI Hart agreed; Simon said"),
            "Detective Inspector (POLICE) outlined; Detective Inspector (POLICE) agreed; Detective Inspector (POLICE) said"
        );
        assert_eq!(
            a.replace("Dr Nadia Qureshi and Dr Qureshi"),
            "Overview author and Overview author"
        );
        assert_eq!(
            a.replace("a hart of gold"),
            "a hart of gold",
            "a lone part needs its capital"
        );
        assert_eq!(
            a.replace("Simon Hart (police), due"),
            "Detective Inspector (POLICE), due",
            "the agency is not repeated"
        );
    }

    #[test]
    fn a_replacement_is_not_replaced_again() {
        let a = Anonymiser::new(&[subject("Adult", "Adult A")], &[]);
        assert_eq!(a.replace("Adult"), "Adult A");
    }

    fn words(report: &ScanReport) -> Vec<String> {
        report.leaks.iter().map(|h| h.word.clone()).collect()
    }

    #[test]
    fn the_scan_follows_the_length_rules() {
        let a = Anonymiser::new(
            &[subject("Jane Smith; Jo", "Adult A")],
            &[person("Dan Li", "IDVA"), person("Li", "Guest")],
        );
        let r = a.scan(
            "# Notes\n\nSmithson met Danny about guidance.\nMr Li and JO; Lima jolly",
            &[],
        );
        assert_eq!(words(&r), ["Smithson", "Danny", "Li", "JO"]);
        assert_eq!(r.leaks[0].line, 3);
        assert_eq!(r.leaks[0].section, "Notes");
        assert_eq!(r.leaks[0].name, "Jane Smith");
        let titled = Anonymiser::new(&[], &[person("Miss Dana Lee", "Guest")]);
        assert_eq!(
            words(&titled.scan("Miss Mississippi; Leeds", &[])),
            ["Leeds"],
            "titles aside"
        );
    }

    #[test]
    fn invisible_characters_and_escapes_do_not_hide_a_name() {
        let a = Anonymiser::new(&[subject("Rebecca Thornley", "Adult A")], &[]);
        let r = a.scan(
            "Reb\u{200b}ecca and Thorn\u{fffd}ley and Thornley\\_x and Rebe\u{301}cca and \u{ff34}hornley",
            &[],
        );
        assert_eq!(
            words(&r),
            [
                "Rebecca",
                "Thornley",
                "Thornley",
                "Rebecca",
                "\u{ff34}hornley"
            ]
        );
    }

    #[test]
    fn allowed_words_are_reported_not_refused() {
        let a = Anonymiser::new(&[subject("Dan Smith", "Adult A")], &[]);
        let r = a.scan("Danube and Smith", &["danube".into()]);
        assert_eq!(words(&r), ["Smith"]);
        assert_eq!(r.allowed.len(), 1);
        assert_eq!(r.allowed[0].word, "Danube");
        assert!(r.allowed[0].describe().contains("Danube"));
    }

    #[test]
    fn ordinary_words_like_a_short_name_are_reported_not_refused() {
        let a = Anonymiser::new(
            &[subject("Jane Smith", "Adult A")],
            &[
                person("Mark Ellison", "Housing officer (HOUSING)"),
                person("Dan Li", "IDVA"),
            ],
        );
        let r = a.scan(
            "# Notes\nA marker and the market; Marks and Mark's; Danny; Smithsons; Dante",
            &[],
        );
        assert_eq!(words(&r), ["Marks", "Mark", "Danny", "Smithsons", "Dante"]);
        let like: Vec<&str> = r.like_names.iter().map(|h| h.word.as_str()).collect();
        assert_eq!(like, ["marker", "market"]);
        assert_eq!(r.like_names[0].name, "Mark Ellison");
        assert!(is_ordinary_word("marker") && !is_ordinary_word("danny"));
    }

    #[test]
    fn places_are_replaced_like_names_and_scanned_as_phrases() {
        use crate::domain::model::PlaceKind;
        let place = |kind, text: &str, replacement: &str| Place {
            id: 1,
            case_id: 1,
            kind,
            text: text.into(),
            replacement: replacement.into(),
        };
        let a = Anonymiser::new(&[], &[]).with_places(&[
            place(
                PlaceKind::School,
                "Northfield Primary School",
                "a primary school",
            ),
            place(PlaceKind::Employer, "Brightwater Logistics", ""),
        ]);
        assert_eq!(
            a.replace(
                "Ellie attended northfield primary  school; worked at Brightwater Logistics."
            ),
            "Ellie attended a primary school; worked at [an employer]."
        );
        let r = a.scan(
            "Northfield Primary\u{200b} School; Northfield Primary School's gate",
            &[],
        );
        assert_eq!(r.leaks.len(), 1, "{r:?}");
        assert!(r.leaks[0].place);
        assert!(r.leaks[0].describe().contains("is a place of the register"));
    }

    #[test]
    fn short_multi_word_names_are_scanned_as_phrases() {
        let a = Anonymiser::new(&[subject("Li Na", "Adult A")], &[]);
        assert_eq!(
            words(&a.scan("met li  na; Lina; LI NA.", &[])),
            ["li  na", "LI NA"]
        );
    }
}

#[cfg(test)]
mod process_names {
    use super::names_in;

    #[test]
    fn the_names_in_a_field_are_read_between_its_separators_and_roles_are_not_names() {
        assert_eq!(names_in("Lorna Baptiste, AAFDA"), ["Lorna Baptiste"]);
        assert_eq!(names_in("DI Tom Whitfield (SIO)"), ["DI Tom Whitfield"]);
        assert_eq!(names_in("Helen Ashworth (chair)"), ["Helen Ashworth"]);
        assert_eq!(names_in("Mary O'Neill-Jones"), ["Mary O'Neill-Jones"]);
        assert_eq!(
            names_in(
                "Chair of the Northgate Community Safety Partnership, on the recommendation \
                 of its DHR standing group (Ivor Quance and Rose Hill)"
            ),
            ["Ivor Quance", "Rose Hill"]
        );
        assert_eq!(
            names_in("by letter through the prison and Wendy Oakes"),
            ["Wendy Oakes"]
        );
        assert_eq!(
            names_in("Independent chair with Lorna Baptiste (AAFDA)"),
            ["Lorna Baptiste"]
        );
        assert!(names_in("the panel").is_empty());
        assert!(names_in("").is_empty());
        assert!(names_in("Coordinator").is_empty());
        // Names made of ordinary words are names all the same.
        assert_eq!(names_in("Martin Greaves"), ["Martin Greaves"]);
        assert_eq!(names_in("Rose Hill (coroner's officer)"), ["Rose Hill"]);
        // Bodies are not people.
        assert!(names_in("Eastbrook Coroner's Court").is_empty());
        assert!(names_in("Victim Support").is_empty());
    }
}
