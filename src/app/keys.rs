//! Key bindings as data. Each place the keyboard can be (the case list, a pane, the
//! minutes input, a form, a chooser…) has tables of rows: the key patterns, the action
//! they trigger, the label and help text, and whether the footer shows them. The
//! dispatcher looks a key up in the tables of the place and hands the handler an action,
//! never a raw key; the footer and the help overlay list the same rows. A test walks every
//! table (tests/workspace.rs), so a row that stops working or a key that works without a
//! row fails it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Pane, Place};

/// The words of one binding, as help and the footer show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub keys: &'static str,
    pub what: &'static str,
    /// The key and the words shown in the footer, when it is shown there.
    pub footer: Option<(&'static str, &'static str)>,
}

/// A binding listed only in help.
pub(crate) const fn b(keys: &'static str, what: &'static str) -> Binding {
    Binding {
        keys,
        what,
        footer: None,
    }
}

/// A binding also shown in the footer, as `key words`.
pub(crate) const fn f(
    keys: &'static str,
    what: &'static str,
    key: &'static str,
    words: &'static str,
) -> Binding {
    Binding {
        keys,
        what,
        footer: Some((key, words)),
    }
}

/// A key pattern that a row answers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// This character, typed without Ctrl (Shift is part of the character).
    Char(char),
    /// Ctrl and this letter.
    Ctrl(char),
    /// A named key (arrows, Enter, Esc, Tab…), whatever is held with it.
    Code(KeyCode),
    /// A named key with nothing held (the minutes input's Enter: Alt+Enter is a line break).
    Plain(KeyCode),
    /// Any character from the first to the last, without Ctrl (digits).
    Range(char, char),
    /// Any printable character without Ctrl or Alt: text typed into an input. (Alt+B and
    /// Alt+F are the text inputs' moves by word, for terminals such as PuTTY that send
    /// Ctrl+arrows as plain arrows.)
    Text,
    /// Any key at all: an editor that takes whatever the rows above it did not.
    Any,
}

impl Key {
    /// Whether a key press matches this pattern.
    pub fn matches(self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match (self, key.code) {
            (Key::Char(want), KeyCode::Char(c)) => !ctrl && c == want,
            (Key::Ctrl(want), KeyCode::Char(c)) => ctrl && c.to_ascii_lowercase() == want,
            (Key::Code(want), code) => code == want,
            (Key::Plain(want), code) => code == want && key.modifiers.is_empty(),
            (Key::Range(lo, hi), KeyCode::Char(c)) => !ctrl && (lo..=hi).contains(&c),
            (Key::Text, KeyCode::Char(c)) => {
                !ctrl && !key.modifiers.contains(KeyModifiers::ALT) && !c.is_control()
            }
            (Key::Any, _) => true,
            _ => false,
        }
    }
}

/// One row of a key table.
#[derive(Debug, Clone, Copy)]
pub struct KeyRow<A: 'static> {
    pub keys: &'static [Key],
    pub action: A,
    pub binding: Binding,
}

/// A row: these keys, this action, these words.
pub(crate) const fn row<A>(keys: &'static [Key], action: A, binding: Binding) -> KeyRow<A> {
    KeyRow {
        keys,
        action,
        binding,
    }
}

/// The action of the first row whose keys match, if any.
pub fn lookup<A: Copy>(table: &[KeyRow<A>], key: &KeyEvent) -> Option<A> {
    table
        .iter()
        .find(|r| r.keys.iter().any(|k| k.matches(key)))
        .map(|r| r.action)
}

/// The words of a table's rows, in order.
pub fn listed<A>(table: &[KeyRow<A>]) -> impl Iterator<Item = Binding> + '_ {
    table.iter().map(|r| r.binding)
}

/// A table as plain data for the keymap test and for tooling: keys, action and binding.
#[derive(Debug, Clone)]
pub struct TableRow {
    pub keys: Vec<Key>,
    pub action: String,
    pub binding: Binding,
}

/// Any table as plain rows (the action named by its `Debug` form).
pub fn describe<A: std::fmt::Debug>(table: &[KeyRow<A>]) -> Vec<TableRow> {
    table
        .iter()
        .map(|r| TableRow {
            keys: r.keys.to_vec(),
            action: format!("{:?}", r.action),
            binding: r.binding,
        })
        .collect()
}

use Key::{Char, Code, Ctrl, Range, Text};

/// Keys that work wherever the keyboard is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anywhere {
    /// Leave, keeping whatever was typed as a draft.
    Quit,
    /// Ctrl+C: leave, but during a meeting ask first (Windows users press it to copy).
    Interrupt,
    /// Stop for now, as other terminal programs do (`fg` brings it back).
    Suspend,
    /// The help of the place the keyboard is in (F1 works in text inputs too).
    Help,
    /// The messages of this session, newest last.
    Log,
}

pub const ANYWHERE: &[KeyRow<Anywhere>] = &[
    row(
        &[Ctrl('c')],
        Anywhere::Interrupt,
        b(
            "Ctrl+C",
            "quit from anywhere (what is typed is kept as a draft); asks during a meeting",
        ),
    ),
    row(
        &[Ctrl('q')],
        Anywhere::Quit,
        b(
            "Ctrl+Q",
            "quit from anywhere, without asking during a meeting",
        ),
    ),
    row(
        &[Ctrl('z')],
        Anywhere::Suspend,
        b(
            "Ctrl+Z",
            "stop for now (fg brings it back); asks first in an input",
        ),
    ),
    row(
        &[Code(KeyCode::F(1))],
        Anywhere::Help,
        b("F1", "help of the place you are in, also while typing"),
    ),
    row(
        &[Code(KeyCode::F(2))],
        Anywhere::Log,
        b("F2", "the messages of this session, newest last (L too)"),
    ),
];

/// Moving the selection of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
}

const MOVE_ROWS: [KeyRow<Move>; 4] = [
    row(
        &[Code(KeyCode::Up)],
        Move::Up,
        f("↑ ↓", "select", "↑ ↓", "select"),
    ),
    row(&[Code(KeyCode::Down)], Move::Down, b("↓", "")),
    row(
        &[Code(KeyCode::PageUp)],
        Move::PageUp,
        b("PgUp PgDn", "page up / down"),
    ),
    row(&[Code(KeyCode::PageDown)], Move::PageDown, b("PgDn", "")),
];

/// The list keys of every list but the timeline.
pub const MOVE: &[KeyRow<Move>] = &[
    MOVE_ROWS[0],
    MOVE_ROWS[1],
    MOVE_ROWS[2],
    MOVE_ROWS[3],
    row(
        &[Code(KeyCode::Home), Char('g')],
        Move::First,
        b("Home End  g G", "first / last"),
    ),
    row(&[Code(KeyCode::End), Char('G')], Move::Last, b("End G", "")),
];

/// The timeline's list keys: `g` is its silent periods there, so only Home goes first.
pub const MOVE_TIMELINE: &[KeyRow<Move>] = &[
    MOVE_ROWS[0],
    MOVE_ROWS[1],
    MOVE_ROWS[2],
    MOVE_ROWS[3],
    row(
        &[Code(KeyCode::Home)],
        Move::First,
        b("Home End  G", "first / last"),
    ),
    row(&[Code(KeyCode::End), Char('G')], Move::Last, b("End G", "")),
];

/// The case list's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseListKey {
    Open,
    Demo,
    Filter,
    Help,
    Quit,
    ClearFilter,
    Log,
}

pub const CASE_LIST: &[KeyRow<CaseListKey>] = &[
    row(
        &[Code(KeyCode::Enter)],
        CaseListKey::Open,
        f("Enter", "open case", "Enter", "open case"),
    ),
    row(
        &[Char('d')],
        CaseListKey::Demo,
        f(
            "d",
            "add the fictional demo cases DEMO-1 and DEMO-2",
            "d",
            "demo cases",
        ),
    ),
    row(
        &[Char('/')],
        CaseListKey::Filter,
        f("/", "filter", "/", "filter"),
    ),
    row(&[Char('?')], CaseListKey::Help, f("?", "help", "?", "help")),
    row(
        &[Char('q'), Ctrl('c'), Ctrl('q')],
        CaseListKey::Quit,
        f("q  Ctrl+C", "quit", "q", "quit"),
    ),
    row(
        &[Code(KeyCode::Esc)],
        CaseListKey::ClearFilter,
        b("Esc", "clear the filter"),
    ),
    row(
        &[Char('L')],
        CaseListKey::Log,
        b("L  F2", "the messages of this session"),
    ),
];

/// The workspace's keys, under every pane's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkspaceKey {
    CaseView,
    GoToPane,
    NextPane,
    PreviousPane,
    Filter,
    Back,
    Help,
    Quit,
    Log,
}

pub const WORKSPACE: &[KeyRow<WorkspaceKey>] = &[
    row(
        &[Char('0')],
        WorkspaceKey::CaseView,
        f(
            "0",
            "the case: details, stage, clock, extension, register, history",
            "0",
            "case",
        ),
    ),
    row(
        &[Range('1', '8')],
        WorkspaceKey::GoToPane,
        f(
            "1-8",
            "go to a pane: Timeline, ToR, Agencies ... Minutes, Family",
            "1-8",
            "panes",
        ),
    ),
    row(
        &[Code(KeyCode::Tab)],
        WorkspaceKey::NextPane,
        b("Tab  Shift+Tab", "next / previous pane"),
    ),
    row(
        &[Code(KeyCode::BackTab)],
        WorkspaceKey::PreviousPane,
        b("Shift+Tab", ""),
    ),
    row(
        &[Char('/')],
        WorkspaceKey::Filter,
        f("/", "filter", "/", "filter"),
    ),
    row(
        &[Code(KeyCode::Esc)],
        WorkspaceKey::Back,
        f(
            "Esc",
            "clear the filter, else back to the case list",
            "Esc",
            "cases",
        ),
    ),
    row(
        &[Char('?')],
        WorkspaceKey::Help,
        f("?", "help", "?", "help"),
    ),
    row(
        &[Char('q'), Ctrl('c'), Ctrl('q')],
        WorkspaceKey::Quit,
        f("q  Ctrl+C", "quit", "q", "quit"),
    ),
    row(
        &[Char('L')],
        WorkspaceKey::Log,
        b("L  F2", "the messages of this session"),
    ),
];

/// The keys of a list's filter line while it is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterKey {
    Type,
    Keep,
    Clear,
    Erase,
}

pub const FILTER: &[KeyRow<FilterKey>] = &[
    row(
        &[Text],
        FilterKey::Type,
        f(
            "type",
            "narrow the list (every word must match)",
            "type",
            "to filter",
        ),
    ),
    row(
        &[Code(KeyCode::Enter)],
        FilterKey::Keep,
        f(
            "Enter",
            "keep the filter and go back to the list",
            "Enter",
            "keep",
        ),
    ),
    row(
        &[Code(KeyCode::Esc)],
        FilterKey::Clear,
        f("Esc", "clear the filter", "Esc", "clear"),
    ),
    row(
        &[Code(KeyCode::Backspace)],
        FilterKey::Erase,
        b("Backspace", "rub out the last character"),
    ),
];

/// The help overlay's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpKey {
    LineDown,
    LineUp,
    PageDown,
    PageUp,
    Close,
}

pub const HELP: &[KeyRow<HelpKey>] = &[
    row(
        &[Code(KeyCode::Up)],
        HelpKey::LineUp,
        f("↑ ↓  PgUp PgDn", "scroll", "↑ ↓", "scroll"),
    ),
    row(&[Code(KeyCode::Down)], HelpKey::LineDown, b("↓", "")),
    row(&[Code(KeyCode::PageUp)], HelpKey::PageUp, b("PgUp", "")),
    row(&[Code(KeyCode::PageDown)], HelpKey::PageDown, b("PgDn", "")),
    row(
        &[
            Code(KeyCode::Esc),
            Char('?'),
            Char('q'),
            Code(KeyCode::Enter),
        ],
        HelpKey::Close,
        f("Esc  ?  q", "close help", "Esc", "close help"),
    ),
];

/// A chooser's keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChooseKey {
    Up,
    Down,
    Choose,
    Pick,
    Cancel,
}

pub const CHOOSE: &[KeyRow<ChooseKey>] = &[
    row(
        &[Code(KeyCode::Up)],
        ChooseKey::Up,
        f("↑ ↓", "select", "↑ ↓", "select"),
    ),
    row(&[Code(KeyCode::Down)], ChooseKey::Down, b("↓", "")),
    row(
        &[Code(KeyCode::Enter)],
        ChooseKey::Choose,
        f("Enter  1-9", "choose", "Enter", "choose"),
    ),
    row(&[Range('1', '9')], ChooseKey::Pick, b("1-9", "")),
    row(
        &[Code(KeyCode::Esc)],
        ChooseKey::Cancel,
        f("Esc", "cancel: nothing changes", "Esc", "cancel"),
    ),
];

/// What a key does to the question a stale edit asks (another seat changed the record
/// while the form was open).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictKey {
    KeepYours,
    TakeTheirs,
    Merge,
    Back,
}

pub const CONFLICT: &[KeyRow<ConflictKey>] = &[
    row(
        &[Char('k'), Char('K')],
        ConflictKey::KeepYours,
        f(
            "k",
            "keep yours: save it over theirs (theirs stays in the audit trail)",
            "k",
            "keep yours",
        ),
    ),
    row(
        &[Char('t'), Char('T')],
        ConflictKey::TakeTheirs,
        f(
            "t",
            "take theirs: close the form; your text is kept as its draft",
            "t",
            "take theirs",
        ),
    ),
    row(
        &[Char('m'), Char('M')],
        ConflictKey::Merge,
        f(
            "m",
            "merge by hand: back to your text, theirs in the form's message",
            "m",
            "merge",
        ),
    ),
    row(
        &[Code(KeyCode::Esc)],
        ConflictKey::Back,
        f("Esc", "back to the form, unchanged", "Esc", "back"),
    ),
];

/// A form's keys; every other key edits the focused field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKey {
    NextField,
    PreviousField,
    Save,
    LineBreak,
    Enter,
    Down,
    Up,
    Cancel,
    Edit,
}

pub const FORM: &[KeyRow<FormKey>] = &[
    row(
        &[Code(KeyCode::Tab)],
        FormKey::NextField,
        f(
            "Tab  Shift+Tab",
            "next / previous field (Enter too, in a one-line field)",
            "Tab",
            "next field",
        ),
    ),
    row(
        &[Code(KeyCode::BackTab)],
        FormKey::PreviousField,
        b("Shift+Tab", ""),
    ),
    row(
        &[Ctrl('o')],
        FormKey::Save,
        f(
            "Ctrl+O",
            "save (Enter on the last field too)",
            "Ctrl+O",
            "save",
        ),
    ),
    row(
        &[Ctrl('j')],
        FormKey::LineBreak,
        b("Ctrl+J  Enter", "line break in a multi-line field"),
    ),
    row(&[Code(KeyCode::Enter)], FormKey::Enter, b("Enter", "")),
    row(&[Code(KeyCode::Down)], FormKey::Down, b("↓", "")),
    row(&[Code(KeyCode::Up)], FormKey::Up, b("↑", "")),
    row(
        &[Code(KeyCode::Esc)],
        FormKey::Cancel,
        f(
            "Esc",
            "close; if anything was typed, asks: keep editing, save or discard",
            "Esc",
            "cancel",
        ),
    ),
    row(
        &[Key::Any],
        FormKey::Edit,
        b(
            "other keys",
            "edit the field: ← → Home End Backspace Delete, Alt+B Alt+F by word, text",
        ),
    ),
];

/// Whether a row's words are a continuation of the row before (a second key of the same
/// binding, such as `↓` after `↑ ↓`): it works, and help lists it with the first.
pub fn continues(binding: &Binding) -> bool {
    binding.what.is_empty()
}

/// What a pane adds to the workspace bindings.
fn pane_bindings(pane: Pane) -> Vec<Binding> {
    match pane {
        Pane::Minutes => listed(super::panes::minutes::KEYS).collect(),
        Pane::Timeline => listed(super::panes::timeline::KEYS).collect(),
        Pane::Actions => listed(super::panes::actions::KEYS).collect(),
        Pane::Challenges => listed(super::panes::challenges::KEYS).collect(),
        Pane::Terms => listed(super::panes::terms::KEYS).collect(),
        Pane::Agencies => listed(super::panes::agencies::KEYS).collect(),
        Pane::Decisions => listed(super::panes::decisions::KEYS).collect(),
        Pane::Family => listed(super::panes::family::KEYS).collect(),
    }
}

/// The bindings that work at `place`, in the order help lists them (second keys of a
/// binding, which help shows with the first, left out).
pub fn bindings(place: Place) -> Vec<Binding> {
    let all: Vec<Binding> = match place {
        Place::Help => listed(HELP).collect(),
        Place::Filter => listed(FILTER).collect(),
        Place::Form => listed(FORM).collect(),
        Place::Conflict => listed(CONFLICT).collect(),
        Place::Review => listed(super::overlay::review::KEYS).collect(),
        // A report is listed with the entry detail's keys (its `e` does nothing there).
        Place::Detail => listed(super::panes::timeline::detail::KEYS).collect(),
        Place::Report => listed(super::overlay::report::KEYS).collect(),
        Place::Confirm => super::overlay::confirm::bindings(),
        Place::Silences => listed(super::panes::timeline::silences::KEYS).collect(),
        Place::Choose => listed(CHOOSE).collect(),
        Place::CaseView => listed(super::panes::case::VIEW_KEYS).collect(),
        Place::MinutesInput => super::panes::minutes::INPUT.to_vec(),
        // The minuting view's help also lists the commands of the input.
        Place::Minuting => listed(super::panes::minutes::VIEW_KEYS)
            .chain(
                super::panes::minutes::INPUT
                    .iter()
                    .filter(|b| b.keys.starts_with('/') || b.keys.starts_with("s/"))
                    .copied(),
            )
            .chain(listed(WORKSPACE))
            .collect(),
        Place::CaseList => listed(super::panes::case::LIST_KEYS)
            .chain(listed(MOVE))
            .chain(listed(CASE_LIST))
            .collect(),
        // The pane's own keys first: the footer gives way from the end when narrow.
        Place::Pane(pane) => pane_bindings(pane)
            .into_iter()
            .chain(listed(if pane == Pane::Timeline {
                MOVE_TIMELINE
            } else {
                MOVE
            }))
            .chain(listed(WORKSPACE))
            .collect(),
    };
    // Ctrl+Z, F1 and F2 work everywhere but in help; listed last, as the keys of the
    // whole program.
    let everywhere = (place != Place::Help)
        .then(|| listed(ANYWHERE).filter(|b| matches!(b.keys, "Ctrl+Z" | "F1" | "F2")))
        .into_iter()
        .flatten();
    all.into_iter()
        .chain(everywhere)
        .filter(|b| !continues(b))
        .collect()
}

/// Every key table, named, as plain rows: what the keymap test walks and help is made of.
pub fn all_tables() -> Vec<(&'static str, Vec<TableRow>)> {
    let mut tables = vec![
        ("anywhere", describe(ANYWHERE)),
        ("list moves", describe(MOVE)),
        ("timeline list moves", describe(MOVE_TIMELINE)),
        ("case list", describe(CASE_LIST)),
        ("workspace", describe(WORKSPACE)),
        ("filter line", describe(FILTER)),
        ("help", describe(HELP)),
        ("chooser", describe(CHOOSE)),
        ("form", describe(FORM)),
        ("stale edit", describe(CONFLICT)),
        ("question", describe(super::overlay::confirm::KEYS)),
        ("report", describe(super::overlay::report::KEYS)),
        (
            "publication review list",
            describe(super::overlay::review::KEYS),
        ),
    ];
    tables.extend(super::panes::key_tables());
    tables
}

/// The key tables that dispatch at `place`, in the order they are tried.
pub fn tables_at(place: Place) -> Vec<Vec<TableRow>> {
    let anywhere = describe(ANYWHERE);
    match place {
        Place::CaseList => vec![
            anywhere,
            describe(super::panes::case::LIST_KEYS),
            describe(MOVE),
            describe(CASE_LIST),
        ],
        Place::CaseView => vec![anywhere, describe(super::panes::case::VIEW_KEYS)],
        Place::Help => vec![anywhere, describe(HELP)],
        Place::Filter => vec![anywhere, describe(FILTER)],
        Place::Form => vec![anywhere, describe(FORM)],
        Place::Conflict => vec![anywhere, describe(CONFLICT)],
        Place::Review => vec![anywhere, describe(super::overlay::review::KEYS)],
        Place::Choose => vec![anywhere, describe(CHOOSE)],
        Place::Silences => vec![anywhere, describe(super::panes::timeline::silences::KEYS)],
        Place::Detail => vec![anywhere, describe(super::panes::timeline::detail::KEYS)],
        Place::Report => vec![anywhere, describe(super::overlay::report::KEYS)],
        Place::Confirm => vec![anywhere, describe(super::overlay::confirm::KEYS)],
        Place::MinutesInput => vec![anywhere, describe(super::panes::minutes::INPUT_KEYS)],
        Place::Minuting => vec![
            anywhere,
            describe(super::panes::minutes::VIEW_KEYS),
            describe(MOVE),
            describe(WORKSPACE),
        ],
        Place::Pane(pane) => {
            let own = super::panes::pane_keys(pane);
            let moves = if pane == Pane::Timeline {
                MOVE_TIMELINE
            } else {
                MOVE
            };
            vec![anywhere, own, describe(moves), describe(WORKSPACE)]
        }
    }
}
