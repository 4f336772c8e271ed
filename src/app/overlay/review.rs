//! The publication check's review list: an export for publication from the workspace was
//! refused because findings have no decision, so this lists them (kind, text, where it
//! first is, how many times) and decides them from the keyboard: k keep, g generalise
//! (asks for the words in a small form), r remove, K G R the same for every finding of
//! the selected one's kind. Each decision is recorded at once through the store's typed
//! operation (audited); the rows show what the store now holds. Enter, once every row has
//! a decision, runs the same export again to the same file with the same options; Esc
//! closes, the decisions recorded staying. Keys: [`KEYS`].

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent};

use crate::app::keys::{Key, KeyRow, b, f, lookup, row};
use crate::app::{App, Effect};
use crate::domain::publication::{Decisions, Finding, FindingKind, Scope, Verdict, check_decision};
use crate::export::{ExportKind, ExportOptions};

use super::Overlay;

/// What a key does in the review list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewKey {
    Up,
    Down,
    PageUp,
    PageDown,
    Keep,
    Generalise,
    Remove,
    KeepKind,
    GeneraliseKind,
    RemoveKind,
    Export,
    Close,
}

pub const KEYS: &[KeyRow<ReviewKey>] = &[
    row(
        &[Key::Code(KeyCode::Up)],
        ReviewKey::Up,
        b("↑ ↓  PgUp PgDn", "select a finding"),
    ),
    row(&[Key::Code(KeyCode::Down)], ReviewKey::Down, b("↓", "")),
    row(
        &[Key::Code(KeyCode::PageUp)],
        ReviewKey::PageUp,
        b("PgUp", ""),
    ),
    row(
        &[Key::Code(KeyCode::PageDown)],
        ReviewKey::PageDown,
        b("PgDn", ""),
    ),
    row(
        &[Key::Char('k')],
        ReviewKey::Keep,
        f("k", "keep this text as it is", "k", "keep"),
    ),
    row(
        &[Key::Char('g')],
        ReviewKey::Generalise,
        f(
            "g",
            "generalise: write other words instead of this text (asks for them)",
            "g",
            "generalise",
        ),
    ),
    row(
        &[Key::Char('r')],
        ReviewKey::Remove,
        f("r", "remove: it becomes [removed]", "r", "remove"),
    ),
    row(
        &[Key::Code(KeyCode::Enter), Key::Char('e')],
        ReviewKey::Export,
        f(
            "Enter  e",
            "once every row has a decision: export again, to the same file with the same options",
            "Enter",
            "export",
        ),
    ),
    row(
        &[Key::Char('K')],
        ReviewKey::KeepKind,
        f(
            "K G R",
            "keep, generalise or remove every finding of this one's kind (a row's own decision stands over its kind's; words like a name can only all be kept)",
            "K G R",
            "whole kind",
        ),
    ),
    row(&[Key::Char('G')], ReviewKey::GeneraliseKind, b("G", "")),
    row(&[Key::Char('R')], ReviewKey::RemoveKind, b("R", "")),
    row(
        &[Key::Code(KeyCode::Esc)],
        ReviewKey::Close,
        f(
            "Esc",
            "close: the decisions recorded stay; nothing is written",
            "Esc",
            "close",
        ),
    ),
];

/// The export the review list runs again once every finding has a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rerun {
    pub kind: ExportKind,
    pub path: PathBuf,
    pub options: ExportOptions,
    /// The person already said the existing file may be replaced.
    pub replace: bool,
}

/// One finding and the decision the store holds for it (its text's, else its kind's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRow {
    pub finding: Finding,
    pub decision: Option<Verdict>,
}

/// The open review list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub case_id: i64,
    pub rows: Vec<ReviewRow>,
    pub selected: usize,
    pub rerun: Rerun,
}

impl Review {
    /// How many rows have a decision.
    pub fn decided(&self) -> usize {
        self.rows.iter().filter(|r| r.decision.is_some()).count()
    }

    /// The first row without a decision after the selected one (wrapping round).
    fn next_undecided(&self) -> Option<usize> {
        let n = self.rows.len();
        (1..=n)
            .map(|step| (self.selected + step) % n)
            .find(|&i| self.rows[i].decision.is_none())
    }
}

/// A row's decision in a few words: "kept", "→ a primary school", "removed".
pub fn decision_words(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Keep => "kept".to_string(),
        Verdict::Generalise(words) => format!("→ {words}"),
        Verdict::Remove => "removed".to_string(),
    }
}

/// The words a generalise form starts with for a finding of `kind`: a plain noun the
/// person edits (what the text is, in general words).
pub fn suggested_words(kind: FindingKind, text: &str) -> String {
    match kind {
        FindingKind::Reference => "a case reference",
        FindingKind::Nhs => "an NHS number",
        FindingKind::NationalInsurance => "a National Insurance number",
        FindingKind::DateOfBirth => "a date of birth",
        FindingKind::Address => "an address in the area",
        FindingKind::Postcode => "a local postcode",
        FindingKind::Phone => "a phone number",
        FindingKind::Email => "an e-mail address",
        FindingKind::Place => "a local place",
        FindingKind::Time => "a time of day",
        FindingKind::LikeName => text,
    }
    .to_string()
}

impl App {
    /// Opens the review list over the pane for the findings an export for publication was
    /// refused for, with the export to run again.
    pub(crate) fn open_review(&mut self, case_id: i64, findings: Vec<Finding>, rerun: Rerun) {
        let mut review = Review {
            case_id,
            rows: findings
                .into_iter()
                .map(|finding| ReviewRow {
                    finding,
                    decision: None,
                })
                .collect(),
            selected: 0,
            rerun,
        };
        self.refresh_review(&mut review);
        self.overlays.push(Overlay::Review(review));
    }

    /// Reads each row's decision again from the store (what the export will apply).
    fn refresh_review(&mut self, review: &mut Review) {
        match self.store.publication_decisions(review.case_id) {
            Ok(recorded) => {
                let decisions = Decisions::new(&recorded);
                for r in &mut review.rows {
                    r.decision = decisions.verdict(r.finding.kind, &r.finding.text).cloned();
                }
            }
            Err(e) => self.error(format!(
                "Could not read the decisions recorded: {e}. Press a key again, or Esc."
            )),
        }
    }

    /// Records one decision through the store (audited) and shows it on the rows, the
    /// selection moving on to the next finding without one. A refusal (the store's
    /// message) changes nothing.
    fn decide_in_review(
        &mut self,
        review: &mut Review,
        scope: Scope,
        verdict: Verdict,
    ) -> Result<(), String> {
        if let Some(case) = self.workspace.as_ref().map(|ws| ws.case.clone()) {
            crate::export::check_replacement(&self.store, &case, verdict.replacement())?;
        }
        self.store
            .decide_publication(review.case_id, &scope, &verdict)
            .map_err(|e| e.to_string())?;
        self.refresh_review(review);
        match review.next_undecided() {
            Some(next) => review.selected = next,
            None => self.info("Every finding has a decision: Enter writes the export."),
        }
        Ok(())
    }

    /// A key while the review list is on top (taken off the stack; put back unless it
    /// closes or hands over to a form or the export).
    pub(crate) fn on_review_key(&mut self, mut review: Review, key: &KeyEvent) -> Effect {
        let Some(action) = lookup(KEYS, key) else {
            self.overlays.push(Overlay::Review(review));
            return Effect::None;
        };
        let last = review.rows.len().saturating_sub(1);
        let selected = review.rows.get(review.selected).cloned();
        match action {
            ReviewKey::Up => review.selected = review.selected.saturating_sub(1),
            ReviewKey::Down => review.selected = (review.selected + 1).min(last),
            ReviewKey::PageUp => review.selected = review.selected.saturating_sub(10),
            ReviewKey::PageDown => review.selected = (review.selected + 10).min(last),
            ReviewKey::Keep | ReviewKey::Remove | ReviewKey::KeepKind | ReviewKey::RemoveKind => {
                if let Some(row) = selected {
                    let verdict = match action {
                        ReviewKey::Keep | ReviewKey::KeepKind => Verdict::Keep,
                        _ => Verdict::Remove,
                    };
                    let scope = match action {
                        ReviewKey::Keep | ReviewKey::Remove => Scope::Text(row.finding.text),
                        _ => Scope::Kind(row.finding.kind),
                    };
                    if let Err(e) = self.decide_in_review(&mut review, scope, verdict) {
                        self.error(format!("No decision recorded: {e}"));
                    }
                }
            }
            ReviewKey::Generalise | ReviewKey::GeneraliseKind => {
                if let Some(row) = selected {
                    let every_kind = action == ReviewKey::GeneraliseKind;
                    let scope = if every_kind {
                        Scope::Kind(row.finding.kind)
                    } else {
                        Scope::Text(row.finding.text.clone())
                    };
                    // The store's own rule, said before asking for words it would refuse.
                    if let Err(why) = check_decision(&scope, &Verdict::Generalise("-".into())) {
                        self.error(format!("No decision recorded: {why}"));
                    } else {
                        let index = review.selected;
                        self.overlays.push(Overlay::Review(review));
                        crate::app::panes::minutes::open_generalise(
                            self,
                            &row.finding,
                            index,
                            every_kind,
                        );
                        return Effect::Redraw;
                    }
                }
            }
            ReviewKey::Export => {
                let left = review.rows.len() - review.decided();
                if left > 0 {
                    if let Some(first) = review.rows.iter().position(|r| r.decision.is_none()) {
                        review.selected = first;
                    }
                    self.error(format!(
                        "{left} finding{} still without a decision: k, g or r on each (K G R for every one of a kind), then Enter.",
                        if left == 1 { "" } else { "s" }
                    ));
                } else {
                    let Rerun {
                        kind,
                        path,
                        options,
                        replace,
                    } = review.rerun;
                    crate::app::panes::minutes::export_again(self, kind, &path, options, replace);
                    return Effect::Redraw;
                }
            }
            ReviewKey::Close => {
                let decided = review.decided();
                self.info(format!(
                    "Nothing was written. The decisions recorded stay ({decided} of {} findings decided): export for publication again to go on.",
                    review.rows.len()
                ));
                return Effect::Redraw;
            }
        }
        self.overlays.push(Overlay::Review(review));
        Effect::Redraw
    }

    /// The words of a generalise form were saved: records them for the review list's row
    /// `index` (its text, or every finding of its kind). Returns the store's refusal.
    pub(crate) fn generalise_in_review(
        &mut self,
        index: usize,
        every_kind: bool,
        words: String,
    ) -> Result<(), String> {
        let Some(Overlay::Review(mut review)) = self.overlays.pop() else {
            return Err("the review list under the form has gone: nothing was recorded".into());
        };
        let Some(row) = review.rows.get(index).cloned() else {
            self.overlays.push(Overlay::Review(review));
            return Err("that finding is no longer in the list: nothing was recorded".into());
        };
        let scope = if every_kind {
            Scope::Kind(row.finding.kind)
        } else {
            Scope::Text(row.finding.text)
        };
        review.selected = index;
        let result = self.decide_in_review(&mut review, scope, Verdict::Generalise(words));
        self.overlays.push(Overlay::Review(review));
        result
    }
}
