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

const MOVE: &[Binding] = &[
    f("↑ ↓", "select", "↑ ↓", "select"),
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
        "0",
        "the case: details, stage, clock, extension, register, history",
        "0",
        "case",
    ),
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

const HELP: &[Binding] = &[
    f("↑ ↓  PgUp PgDn", "scroll", "↑ ↓", "scroll"),
    f("Esc  ?  q", "close help", "Esc", "close help"),
];

const TIMELINE: &[Binding] = &[
    f(
        "Enter",
        "the entry in full: risk, provenance, extra columns",
        "Enter",
        "detail",
    ),
    f("a", "add an entry", "a", "add"),
    b("e", "edit the entry"),
    b("x  Delete", "withdraw the entry (kept in the audit trail)"),
    f("k", "flag / unflag as a key event", "k", "key"),
    f("m", "flag / unflag as a missed opportunity", "m", "missed"),
    f(
        "f",
        "filter by agency, subject, flags, item, dates",
        "f",
        "filter",
    ),
    b("d", "go to a date"),
    f(
        "g",
        "silent periods: the longest stretches with no contact",
        "g",
        "gaps",
    ),
    f("i", "import an agency chronology (CSV)", "i", "import"),
];

const FORM: &[Binding] = &[
    f(
        "Tab  Shift+Tab",
        "next / previous field (Enter too, in a one-line field)",
        "Tab",
        "next field",
    ),
    f(
        "Ctrl+O",
        "save (Enter on the last field too)",
        "Ctrl+O",
        "save",
    ),
    b("Ctrl+J  Enter", "line break in a multi-line field"),
    f("Esc", "cancel: nothing is saved", "Esc", "cancel"),
];

const DETAIL: &[Binding] = &[
    f("↑ ↓  PgUp PgDn", "scroll", "↑ ↓", "scroll"),
    f("e", "edit (entry detail)", "e", "edit"),
    f("Esc  Enter", "close", "Esc", "close"),
];

const CONFIRM: &[Binding] = &[
    f("y", "yes, withdraw it", "y", "withdraw"),
    f("n  Esc", "no, keep it", "n", "keep"),
];

const SILENCES: &[Binding] = &[
    f(
        "← →",
        "all agencies, or one agency at a time",
        "← →",
        "agency",
    ),
    f("↑ ↓", "select", "↑ ↓", "select"),
    f(
        "Enter",
        "go to the entry that ends the silence",
        "Enter",
        "go to",
    ),
    f("Esc", "close", "Esc", "close"),
];

const CHOOSE: &[Binding] = &[
    f("↑ ↓", "select", "↑ ↓", "select"),
    f("Enter  1-9", "choose", "Enter", "choose"),
    f("Esc", "cancel: nothing changes", "Esc", "cancel"),
];

/// What a pane adds to the workspace bindings.
fn pane_bindings(pane: Pane) -> &'static [Binding] {
    match pane {
        Pane::Minutes => super::minutes::BINDINGS,
        Pane::Timeline => TIMELINE,
        Pane::Terms => super::terms::BINDINGS,
        Pane::Agencies => super::agencies::BINDINGS,
        Pane::Actions => super::plan::BINDINGS,
        Pane::Challenges => super::challenges::BINDINGS,
        Pane::Decisions => super::decisions::BINDINGS,
    }
}

/// The bindings that work at `place`, in the order help lists them.
pub fn bindings(place: Place) -> Vec<Binding> {
    match place {
        Place::Help => HELP.to_vec(),
        Place::Filter => FILTER.to_vec(),
        Place::Form => FORM.to_vec(),
        Place::Detail => DETAIL.to_vec(),
        Place::Confirm => CONFIRM.to_vec(),
        Place::Silences => SILENCES.to_vec(),
        Place::Choose => CHOOSE.to_vec(),
        Place::CaseView => super::cases::CASE_VIEW.to_vec(),
        Place::MinutesInput => super::minutes::INPUT.to_vec(),
        // The minuting view's help also lists the commands of the input.
        Place::Minuting => super::minutes::VIEW
            .iter()
            .chain(
                super::minutes::INPUT
                    .iter()
                    .filter(|b| b.keys.starts_with('/') || b.keys.starts_with("s/")),
            )
            .chain(WORKSPACE)
            .copied()
            .collect(),
        Place::CaseList => super::cases::BINDINGS
            .iter()
            .chain(MOVE)
            .chain(CASE_LIST)
            .copied()
            .collect(),
        // The pane's own keys first: the footer gives way from the end when narrow.
        Place::Pane(pane) => pane_bindings(pane)
            .iter()
            .chain(MOVE)
            .chain(WORKSPACE)
            .copied()
            .collect(),
    }
}
