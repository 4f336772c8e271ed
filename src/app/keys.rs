//! The key bindings of each place in the workspace, in one table that the key handling,
//! the footer and the help overlay all read, so what is shown is what works.

use super::{Pane, Place};

/// One documented binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub keys: &'static str,
    pub what: &'static str,
    /// The key and the words shown in the footer, when it is shown there.
    pub footer: Option<(&'static str, &'static str)>,
}

/// A binding listed only in help.
const fn b(keys: &'static str, what: &'static str) -> Binding {
    Binding {
        keys,
        what,
        footer: None,
    }
}

/// A binding also shown in the footer, as `key words`.
const fn f(
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

const MOVE: &[Binding] = &[
    f("↑ ↓  k j", "select", "↑ ↓", "select"),
    b("PgUp PgDn", "page up / down"),
    b("Home End  g G", "first / last"),
];

const CASE_LIST: &[Binding] = &[
    f("Enter", "open case", "Enter", "open case"),
    f("d", "add the fictional demo case DEMO-1", "d", "demo case"),
    f("/", "filter", "/", "filter"),
    f("?", "help", "?", "help"),
    f("q  Ctrl+C", "quit", "q", "quit"),
];

const WORKSPACE: &[Binding] = &[
    f(
        "1-7",
        "go to a pane: Timeline, ToR, Agencies ... Minutes",
        "1-7",
        "panes",
    ),
    b("Tab  Shift+Tab", "next / previous pane"),
    f("/", "filter", "/", "filter"),
    f(
        "Esc",
        "clear the filter, else back to the case list",
        "Esc",
        "cases",
    ),
    f("?", "help", "?", "help"),
    f("q  Ctrl+C", "quit", "q", "quit"),
];

const FILTER: &[Binding] = &[
    f(
        "type",
        "narrow the list (every word must match)",
        "type",
        "to filter",
    ),
    f(
        "Enter",
        "keep the filter and go back to the list",
        "Enter",
        "keep",
    ),
    f("Esc", "clear the filter", "Esc", "clear"),
];

const HELP: &[Binding] = &[f("Esc  ?  q", "close help", "Esc", "close help")];

const MINUTES: &[Binding] = &[b("↑ ↓", "choose the meeting whose minutes show below")];

/// What a pane adds to the workspace bindings.
fn pane_bindings(pane: Pane) -> &'static [Binding] {
    match pane {
        Pane::Minutes => MINUTES,
        _ => &[],
    }
}

/// The bindings that work at `place`, in the order help lists them.
pub fn bindings(place: Place) -> Vec<Binding> {
    match place {
        Place::Help => HELP.to_vec(),
        Place::Filter => FILTER.to_vec(),
        Place::CaseList => MOVE.iter().chain(CASE_LIST).copied().collect(),
        Place::Pane(pane) => MOVE
            .iter()
            .chain(pane_bindings(pane))
            .chain(WORKSPACE)
            .copied()
            .collect(),
    }
}
