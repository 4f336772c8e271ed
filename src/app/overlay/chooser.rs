//! A short list to pick one option from (the statuses a return may move to, the stages,
//! the kinds of export): ↑ ↓ and Enter, or the option's number. The target says what the
//! options mean; the chooser only hands back which one was picked.

use crossterm::event::{KeyCode, KeyEvent};

use crate::app::keys::{self, ChooseKey};
use crate::app::panes::ChooseTarget;

/// An open chooser: its title, the options' words, the selection and its target.
#[derive(Debug, Clone)]
pub struct Chooser {
    pub title: String,
    pub options: Vec<String>,
    pub selected: usize,
    pub target: ChooseTarget,
}

/// What a key did to a chooser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picked {
    /// Still open (the selection may have moved).
    Open,
    /// Closed without a choice.
    Cancelled,
    /// This option (its index) was chosen.
    Chose(usize),
    /// Not one of the chooser's keys.
    Ignored,
}

impl Chooser {
    pub fn new(title: impl Into<String>, options: Vec<String>, target: ChooseTarget) -> Chooser {
        Chooser {
            title: title.into(),
            options,
            selected: 0,
            target,
        }
    }

    /// Applies a key of the chooser's table.
    pub fn on_key(&mut self, key: &KeyEvent) -> Picked {
        let last = self.options.len().saturating_sub(1);
        match keys::lookup(keys::CHOOSE, key) {
            Some(ChooseKey::Cancel) => Picked::Cancelled,
            Some(ChooseKey::Up) => {
                self.selected = self.selected.saturating_sub(1);
                Picked::Open
            }
            Some(ChooseKey::Down) => {
                self.selected = (self.selected + 1).min(last);
                Picked::Open
            }
            Some(ChooseKey::Choose) if self.selected < self.options.len() => {
                Picked::Chose(self.selected)
            }
            Some(ChooseKey::Choose) => Picked::Cancelled,
            Some(ChooseKey::Pick) => match key.code {
                KeyCode::Char(c) if (c as usize) >= ('1' as usize) => {
                    let index = (c as usize) - ('1' as usize);
                    if index < self.options.len() {
                        Picked::Chose(index)
                    } else {
                        Picked::Open
                    }
                }
                _ => Picked::Open,
            },
            None => Picked::Ignored,
        }
    }
}
