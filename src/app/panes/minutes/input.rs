//! The minutes input: every printable key is text (q, ?, / and digits too), Enter saves
//! the line, Ctrl+J breaks it, Esc leaves; other keys edit the line in the text area.
//! The words help shows for the input list the minuting grammar between its keys.

use crossterm::event::{KeyCode, KeyEvent};

use crate::app::keys::{self, Binding, Key, KeyRow, b, f, row};
use crate::app::{App, Effect};
use crate::domain::minuting::minute_usage;

/// What the input's keys do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKey {
    Save,
    LineBreak,
    Leave,
    /// Tab: complete the command, a name or an agency at the end of the line.
    Complete,
    /// PgUp / PgDn: scroll the minutes above while the input keeps the keyboard.
    ScrollUp,
    ScrollDown,
    /// A printable character: typed into the line.
    Type,
    /// Any other key: the text area edits the line with it (arrows, Backspace, Delete…).
    Edit,
}

const SAVE: Binding = f(
    "Enter",
    "save the line (in turn, if the database is busy)",
    "Enter",
    "save",
);
const LINE_BREAK: Binding = f("Ctrl+J", "line break inside a minute", "Ctrl-J", "new line");
const LEAVE: Binding = f(
    "Esc",
    "clear a refused line; else leave the input (arrows then move round the minutes)",
    "Esc",
    "leave",
);
const COMPLETE: Binding = f(
    "Tab",
    "complete the command, a name or an agency (several: listed below the input)",
    "Tab",
    "complete",
);
const SCROLL: Binding = f(
    "PgUp PgDn",
    "scroll the minutes above; the input keeps the keyboard",
    "PgUp",
    "scroll",
);
const TYPE: Binding = b("type", "the line: a minute, or one of the commands above");
const EDIT: Binding = b(
    "other keys",
    "edit the line: ← → ↑ ↓ Home End Backspace Delete, Alt+B Alt+F by word",
);

/// The input's keys, in the order they are tried. Enter with Alt (or any modifier) is a
/// line break, as the text area makes it.
pub const INPUT_KEYS: &[KeyRow<InputKey>] = &[
    row(&[Key::Plain(KeyCode::Enter)], InputKey::Save, SAVE),
    row(&[Key::Ctrl('j')], InputKey::LineBreak, LINE_BREAK),
    row(&[Key::Code(KeyCode::Esc)], InputKey::Leave, LEAVE),
    row(&[Key::Plain(KeyCode::Tab)], InputKey::Complete, COMPLETE),
    row(&[Key::Code(KeyCode::PageUp)], InputKey::ScrollUp, SCROLL),
    row(
        &[Key::Code(KeyCode::PageDown)],
        InputKey::ScrollDown,
        b("PgDn", ""),
    ),
    row(&[Key::Text], InputKey::Type, TYPE),
    row(&[Key::Any], InputKey::Edit, EDIT),
];

/// What help and the footer show while the input has the keyboard: the commands of the
/// minuting grammar (typed text), then its keys.
pub const INPUT: &[Binding] = &[
    // The grammar first: at 80x24 all of it is on the first page of help.
    b(
        concat!(minute_usage!(item), "  ", minute_usage!(next)),
        "go to agenda item N, or the next",
    ),
    b(
        minute_usage!(present),
        "attendance; a guest: organisation or independent",
    ),
    b(
        minute_usage!(apologies),
        "record apologies (a late /present moves them)",
    ),
    b(minute_usage!(left), "an early departure, with the time"),
    b(minute_usage!(declare), "a declaration of interest"),
    b(
        concat!(minute_usage!(decision), "  /d"),
        "a decision of the panel",
    ),
    b(concat!(minute_usage!(action), "  /a"), "an action"),
    b(
        concat!(minute_usage!(challenge), "  /c"),
        "a challenge to an agency",
    ),
    b(
        minute_usage!(approve),
        "approve closed meeting N's minutes as a true record",
    ),
    b(
        minute_usage!(amend),
        "an amendment to the approved minutes of meeting N",
    ),
    b(
        minute_usage!(next_meeting),
        "plan the next meeting (standard agenda)",
    ),
    b(
        "s/old/new/",
        "correct your last line (s/old/new: if old is in it)",
    ),
    b("//text", "a note that starts with /"),
    SAVE,
    LINE_BREAK,
    f(
        "/d /a /c",
        "decision, action, challenge (see above)",
        "/d /a /c",
        "records",
    ),
    f(
        "/undo",
        "withdraw your last line and what it created",
        "/undo",
        "undo",
    ),
    LEAVE,
    COMPLETE,
    SCROLL,
    TYPE,
    EDIT,
];

impl App {
    /// A key while the input has the keyboard: the input's table, then the text area.
    /// A refused line stays in the input, marked: a typed character replaces it, the
    /// editing keys edit it, Esc clears it.
    pub(crate) fn on_minutes_input_key(&mut self, key: KeyEvent) -> Effect {
        let action = keys::lookup(INPUT_KEYS, &key);
        let page = self.minutes_page();
        let Some(m) = self.minuting_mut() else {
            return Effect::None;
        };
        match action {
            Some(InputKey::Leave) if m.refused => {
                m.input = super::new_input("");
                m.refused = false;
                m.draft_dirty = true;
                m.message = None;
                return Effect::Redraw;
            }
            Some(InputKey::Leave) => {
                m.focused = false;
                return Effect::Redraw;
            }
            Some(InputKey::ScrollUp) => {
                m.scroll_back = m.scroll_back.saturating_add(page);
                return Effect::Redraw;
            }
            Some(InputKey::ScrollDown) => {
                if m.scroll_back == 0 {
                    return Effect::None;
                }
                m.scroll_back = m.scroll_back.saturating_sub(page);
                return Effect::Redraw;
            }
            // Ctrl+J is a line break: handled before the text area, whose own binding
            // for it deletes to the start of the line.
            Some(InputKey::LineBreak) => {
                m.refused = false;
                m.input.insert_newline();
            }
            Some(InputKey::Complete) => {
                m.refused = false;
                self.complete_input();
                return Effect::Redraw;
            }
            Some(InputKey::Save) => {
                // A line the database would not take stays in the input; the next tick keeps
                // it as a draft (or, if that fails too, in the file of unsaved text).
                self.commit_input();
                return Effect::Redraw;
            }
            // The text area types a character, or moves and deletes (Alt+B, Ctrl+K…).
            // A character typed over a refused line replaces it: nothing is glued to it.
            Some(InputKey::Type | InputKey::Edit) => {
                let was_refused = m.refused;
                if action == Some(InputKey::Type) && m.refused {
                    m.input = super::new_input("");
                }
                m.refused = false;
                // A key that only moves the cursor changes no text but must still be
                // drawn: the terminal's cursor is where the next character goes.
                let cursor = m.input.cursor();
                let changed = m.input.input(key);
                if !changed && !was_refused {
                    return if m.input.cursor() == cursor {
                        Effect::None
                    } else {
                        Effect::Redraw
                    };
                }
                if !changed {
                    return Effect::Redraw;
                }
                m.scroll_back = 0;
            }
            None => return Effect::None,
        }
        m.draft_dirty = true;
        // An error goes with the first key; a confirmation ("Action A4 recorded…") stays
        // while the next line is typed, until that line is saved: the secretary can still
        // read it, and the screen does not shift under the typing (a long one takes two rows).
        if m.message.as_ref().is_some_and(|(_, error)| *error) {
            m.message = None;
        }
        m.tab = None;
        Effect::Redraw
    }

    /// Rows PgUp / PgDn scroll the minutes by: most of the minutes box.
    fn minutes_page(&self) -> usize {
        usize::from(self.size.1.saturating_sub(14).max(3))
    }

    /// Pasted text goes into the minutes input, line breaks normalised: they stay line
    /// breaks inside the one minute, and nothing is committed until a separate Enter
    /// (keys that arrive in the same burst as a paste come here as part of it, see
    /// `tui::read_paste`).
    pub(crate) fn paste_into_minutes(&mut self, text: &str) -> bool {
        let Some(m) = self.minuting_mut().filter(|m| m.focused) else {
            return false;
        };
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        // Pasted over a refused line, the paste replaces it, as a typed character does.
        if m.refused && !text.is_empty() {
            m.input = super::new_input("");
            m.refused = false;
            m.message = None;
        }
        m.input.insert_str(text);
        m.draft_dirty = true;
        true
    }

    /// Tab: completes the end of the line — the command word, else a name on the
    /// meeting's list, one of the case's people, or an agency's name or code. The first
    /// fit is written in; Tab again puts the next in its place (round), and the fits are
    /// listed below the input.
    fn complete_input(&mut self) {
        let Some(m) = self.minuting() else { return };
        let text = m.input_text();
        if text.contains('\n') {
            return;
        }
        let words = super::commands::completion_words(self, &m.attendance);
        let Some(m) = self.minuting_mut() else { return };
        let next = match m.tab.take() {
            Some((done, shown)) if done.text(shown) == text => Some((done, shown + 1)),
            _ => crate::domain::minuting::complete(&text, &words).map(|done| (done, 0)),
        };
        let Some((done, shown)) = next else {
            m.message = Some((
                if text.starts_with('/') {
                    "Tab: nothing fits what is typed".to_string()
                } else {
                    "Tab completes commands (type / first), then names and agencies".to_string()
                },
                false,
            ));
            return;
        };
        let count = done.candidates.len();
        m.input = super::new_input(&done.text(shown));
        m.draft_dirty = true;
        m.message = (count > 1).then(|| {
            let i = shown % count;
            let listed: Vec<String> = done
                .candidates
                .iter()
                .enumerate()
                .map(|(n, c)| if n == i { format!("[{c}]") } else { c.clone() })
                .collect();
            (
                format!(
                    "Tab {}/{count} (Tab again for the next): {}",
                    i + 1,
                    listed.join(", ")
                ),
                false,
            )
        });
        m.tab = Some((done, shown));
    }
}
