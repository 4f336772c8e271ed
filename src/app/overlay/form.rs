//! A form of labelled fields edited with ratatui-textarea: Tab / Shift+Tab (or Enter in a
//! one-line field) move between fields, Ctrl+O saves, Esc cancels. Validation belongs to
//! whoever submits the form; it marks bad fields inline and nothing is saved meanwhile.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Style;
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

use crate::app::keys::{self, FormKey};
use crate::app::panes::{FieldId, FormTarget};
use crate::domain::text::sanitize;

/// One labelled field.
#[derive(Clone)]
pub struct Field {
    /// What the field holds, for the code that reads it back (the label is only words).
    pub id: Option<FieldId>,
    pub label: &'static str,
    pub hint: &'static str,
    pub multiline: bool,
    /// A yes / no field: y, n or space set it rather than type into it.
    pub yes_no: bool,
    pub editor: TextArea<'static>,
    /// What was loaded, as shown (sanitised), to tell an edit from an untouched field.
    pub original_shown: String,
    pub error: Option<String>,
}

impl Field {
    /// A field holding `value`; stored text is shown sanitised, so control characters
    /// appear as visible stand-ins even while editing.
    pub fn new(label: &'static str, hint: &'static str, multiline: bool, value: &str) -> Field {
        let shown = sanitize(value).into_owned();
        let lines: Vec<String> = if multiline {
            shown.split('\n').map(str::to_string).collect()
        } else {
            vec![shown.replace('\n', " ")]
        };
        let original_shown = lines.join("\n");
        let mut editor = TextArea::new(lines);
        editor.set_cursor_line_style(Style::default());
        editor.set_cursor_style(Style::default());
        editor.set_wrap_mode(WrapMode::WordOrGlyph);
        editor.move_cursor(CursorMove::Bottom);
        editor.move_cursor(CursorMove::End);
        Field {
            id: None,
            label,
            hint,
            multiline,
            yes_no: false,
            editor,
            original_shown,
            error: None,
        }
    }

    /// A field known by `id`, labelled `label`, holding `value`.
    pub fn with_id(
        id: impl Into<FieldId>,
        label: &'static str,
        hint: &'static str,
        multiline: bool,
        value: &str,
    ) -> Field {
        let mut field = Field::new(label, hint, multiline, value);
        field.id = Some(id.into());
        field
    }

    /// A yes / no field showing "y" or "n".
    pub fn yes_no(label: &'static str, value: bool) -> Field {
        let mut field = Field::new(
            label,
            "y or n; space toggles",
            false,
            if value { "y" } else { "n" },
        );
        field.yes_no = true;
        field
    }

    pub(crate) fn set_text(&mut self, text: &str) {
        self.editor.select_all();
        self.editor.cut();
        self.editor.insert_str(text);
    }

    /// The text as typed, lines joined with line breaks, trimmed at the ends.
    pub fn value(&self) -> String {
        self.editor.lines().join("\n").trim().to_string()
    }

    /// The value to store: the original when the field was not touched (so a stored
    /// control character is not replaced by its stand-in), else what was typed.
    pub fn value_or(&self, original: &str) -> String {
        if self.editor.lines().join("\n") == self.original_shown {
            original.to_string()
        } else {
            self.value()
        }
    }
}

/// A form over the pane and what it saves to.
pub struct FormOverlay {
    pub form: Form,
    pub target: FormTarget,
    /// The version of the record it edits that the form opened on (its latest audit
    /// row), which its save expects; `None` for a form that edits no existing record.
    pub base: Option<crate::store::stale::Base>,
}

/// What the workspace's own chooser over a form means: Esc in a form with changes asks
/// whether to keep editing, save or discard, in that order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormChoice {
    Leave,
}

/// The options of the question Esc asks in a form with changes, in order; the first (and
/// Esc) keeps editing, so a second Esc never loses text.
pub const LEAVE_OPTIONS: [&str; 3] = ["Keep editing", "Save (as Ctrl+O)", "Discard the changes"];

/// What a key did to a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    Continue,
    Submit,
    Cancel,
}

/// A titled list of fields with one focused.
#[derive(Clone)]
pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// A message about the form as a whole (shown above the keys).
    pub message: Option<String>,
    /// Text changed since the draft of this form was last saved.
    pub dirty: bool,
    /// Whether a saved draft has been looked for (and restored) already.
    pub draft_checked: bool,
}

impl Form {
    pub fn new(title: impl Into<String>, fields: Vec<Field>) -> Form {
        Form {
            title: title.into(),
            fields,
            focus: 0,
            message: None,
            dirty: false,
            draft_checked: false,
        }
    }

    /// Whether any field holds other text than the form opened with (typed, pasted, or a
    /// draft put back): then Esc asks before closing.
    pub fn changed(&self) -> bool {
        self.fields
            .iter()
            .any(|f| f.editor.lines().join("\n") != f.original_shown)
    }

    /// The typed text of every field, as it reads (for the file of text not saved).
    pub fn readable(&self) -> String {
        self.fields
            .iter()
            .map(|f| format!("{}: {}", f.label, f.editor.lines().join("\n")))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The typed text of every field, as a draft to keep (label, text).
    pub fn draft(&self) -> String {
        let values: Vec<(&str, String)> = self
            .fields
            .iter()
            .map(|f| (f.label, f.editor.lines().join("\n")))
            .collect();
        serde_json::to_string(&values).unwrap_or_default()
    }

    /// Puts a saved draft's text back into the fields with the same labels.
    pub fn restore(&mut self, draft: &str) -> bool {
        let Ok(values) = serde_json::from_str::<Vec<(String, String)>>(draft) else {
            return false;
        };
        let mut restored = false;
        for (label, text) in values {
            if let Some(f) = self.fields.iter_mut().find(|f| f.label == label)
                && f.editor.lines().join("\n") != text
            {
                f.set_text(&text);
                restored = true;
            }
        }
        restored
    }

    /// The field known by `id`, if the form has it.
    pub fn field_by(&self, id: impl Into<FieldId>) -> Option<&Field> {
        let id = Some(id.into());
        self.fields.iter().find(|f| f.id == id)
    }

    /// The typed text of the field known by `id` ("" when the form has none).
    pub fn text(&self, id: impl Into<FieldId>) -> String {
        self.field_by(id).map(Field::value).unwrap_or_default()
    }

    /// Marks the field known by `id` as wrong and moves the focus to the first wrong field.
    pub fn mark(&mut self, id: impl Into<FieldId>, message: impl Into<String>) {
        let id = Some(id.into());
        if let Some(f) = self.fields.iter_mut().find(|f| f.id == id) {
            f.error = Some(message.into());
        }
        if let Some(first) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = first;
        }
    }

    pub fn field(&self, label: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.label == label)
    }

    /// The value of the field with this label ("" when there is none).
    pub fn value(&self, label: &str) -> String {
        self.field(label).map(Field::value).unwrap_or_default()
    }

    /// Marks a field as wrong and moves the focus to the first wrong field.
    pub fn set_error(&mut self, label: &str, message: impl Into<String>) {
        if let Some(i) = self.fields.iter().position(|f| f.label == label) {
            self.fields[i].error = Some(message.into());
        }
        if let Some(first) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = first;
        }
    }

    pub fn clear_errors(&mut self) {
        for f in &mut self.fields {
            f.error = None;
        }
        self.message = None;
    }

    pub fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }

    fn move_focus(&mut self, forward: bool) {
        let n = self.fields.len();
        if n == 0 {
            return;
        }
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
    }

    /// Applies a key; editing keys go to the focused field's editor.
    pub fn on_key(&mut self, key: KeyEvent) -> FormOutcome {
        let Some(action) = keys::lookup(keys::FORM, &key) else {
            return FormOutcome::Continue;
        };
        let one_line = !self.focused_multiline();
        match action {
            FormKey::Cancel => return FormOutcome::Cancel,
            FormKey::Save => return FormOutcome::Submit,
            FormKey::NextField => self.move_focus(true),
            FormKey::PreviousField => self.move_focus(false),
            FormKey::Enter if one_line => {
                if self.focus + 1 == self.fields.len() {
                    return FormOutcome::Submit;
                }
                self.move_focus(true);
            }
            FormKey::Down if one_line => self.move_focus(true),
            FormKey::Up if one_line => self.move_focus(false),
            // Ctrl+J is a line break in a multi-line field; in a one-line field nothing.
            FormKey::LineBreak => {
                if let Some(f) = self.fields.get_mut(self.focus).filter(|f| f.multiline) {
                    f.editor.insert_newline();
                    self.dirty = true;
                }
            }
            FormKey::Edit if self.fields.get(self.focus).is_some_and(|f| f.yes_no) => {
                if let (KeyCode::Char(c), false) =
                    (key.code, key.modifiers.contains(KeyModifiers::CONTROL))
                    && let Some(f) = self.fields.get_mut(self.focus)
                {
                    let now = match c {
                        'y' | 'Y' => Some(true),
                        'n' | 'N' => Some(false),
                        ' ' => Some(f.value() != "y"),
                        _ => None,
                    };
                    if let Some(on) = now {
                        f.error = None;
                        f.set_text(if on { "y" } else { "n" });
                        self.dirty = true;
                    }
                } else {
                    self.edit(key);
                }
            }
            FormKey::Enter | FormKey::Down | FormKey::Up | FormKey::Edit => self.edit(key),
        }
        FormOutcome::Continue
    }

    /// A key for the focused field's editor.
    fn edit(&mut self, key: KeyEvent) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.error = None;
            if f.editor.input(key) {
                self.dirty = true;
            }
        }
    }

    /// Pasted text goes into the focused field (line breaks kept only where allowed).
    pub fn paste(&mut self, text: &str) {
        if let Some(f) = self.fields.get_mut(self.focus) {
            let text = text.replace("\r\n", "\n").replace('\r', "\n");
            let text = if f.multiline {
                text
            } else {
                text.replace('\n', " ")
            };
            f.editor.insert_str(text);
            self.dirty = true;
        }
    }

    fn focused_multiline(&self) -> bool {
        self.fields.get(self.focus).is_some_and(|f| f.multiline)
    }
}

/// Reads a yes/no field: "y", "yes", "n", "no", or empty for no.
pub fn yes_no(value: &str) -> Result<bool, String> {
    match value.trim().to_lowercase().as_str() {
        "" | "n" | "no" => Ok(false),
        "y" | "yes" => Ok(true),
        other => Err(format!("\"{other}\" is not yes or no: write y or n")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn typing_goes_to_the_focused_field_and_tab_moves_on() {
        let mut form = Form::new(
            "t",
            vec![
                Field::new("A", "", false, ""),
                Field::new("B", "", true, "x"),
            ],
        );
        form.on_key(key(KeyCode::Char('h')));
        form.on_key(key(KeyCode::Char('i')));
        form.on_key(key(KeyCode::Tab));
        form.on_key(key(KeyCode::Enter));
        form.on_key(key(KeyCode::Char('y')));
        assert_eq!(form.value("A"), "hi");
        assert_eq!(
            form.value("B"),
            "x\ny",
            "Enter is a line break in a multi-line field"
        );
        assert_eq!(
            form.on_key(KeyEvent::new(KeyCode::Char('o'), KeyModifiers::CONTROL)),
            FormOutcome::Submit
        );
        assert_eq!(form.on_key(key(KeyCode::Esc)), FormOutcome::Cancel);
        assert!(form.changed());
        let untouched = Form::new("t", vec![Field::new("A", "", false, "kept")]);
        assert!(!untouched.changed());
    }

    #[test]
    fn an_untouched_field_keeps_its_stored_text_even_with_controls() {
        let stored = "bell\u{7}here";
        let field = Field::new("A", "", false, stored);
        assert_eq!(field.value_or(stored), stored);
        assert!(!field.value().contains('\u{7}'), "shown sanitised");
    }

    #[test]
    fn a_yes_no_field_is_set_by_y_n_and_space_not_typed_into() {
        let mut form = Form::new("t", vec![Field::yes_no("K", false)]);
        form.on_key(key(KeyCode::Char('y')));
        assert_eq!(form.value("K"), "y");
        form.on_key(key(KeyCode::Char(' ')));
        assert_eq!(form.value("K"), "n");
        form.on_key(key(KeyCode::Char('x')));
        assert_eq!(form.value("K"), "n");
    }

    #[test]
    fn yes_no_reads_words_and_refuses_others() {
        assert_eq!(yes_no("Y"), Ok(true));
        assert_eq!(yes_no(""), Ok(false));
        assert!(yes_no("maybe").is_err());
    }
}
