//! The Timeline pane's own keys and overlays: entry detail, the add / edit form, flags,
//! withdrawal, combined filters, jumping to a date, silent periods and import.

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};

use super::form::{Field, Form, FormOutcome, yes_no};
use super::{App, Effect, Overlay, Pane};
use crate::domain::date::FuzzyDate;
use crate::domain::filter::TimelineFilter;
use crate::domain::model::{ChronologyEntry, agency_by_word};
use crate::store::chronology::{EntryFlag, TimelineRow};

/// Field labels of the entry form, used to read the values back.
pub mod label {
    pub const DATE: &str = "Date";
    pub const TIME: &str = "Time";
    pub const AGENCY: &str = "Agency";
    pub const SUBJECTS: &str = "Subjects";
    pub const EVENT: &str = "Event";
    pub const ACTION: &str = "Action / outcome";
    pub const SOURCE: &str = "Source reference";
    pub const DASH: &str = "Risk: DASH";
    pub const MARAC: &str = "Risk: MARAC";
    pub const COMMENT: &str = "Agency comment";
    pub const ANALYSIS: &str = "Panel analysis";
    pub const KEY: &str = "Key event";
    pub const MISSED: &str = "Missed opportunity";
    pub const TERMS: &str = "Terms of reference";
    pub const SUBJECT: &str = "Subject";
    pub const KEY_ONLY: &str = "Key events only";
    pub const MISSED_ONLY: &str = "Missed opportunities only";
    pub const TERM: &str = "Term of reference";
    pub const FROM: &str = "From";
    pub const TO: &str = "To";
    pub const FILE: &str = "File";
    pub const SKIP: &str = "Import the good rows even if some are bad";
    pub const DRY: &str = "Dry run: check and report, write nothing";
}
use label::*;

/// The entry form, filled from an entry (or empty for a new one).
pub fn entry_form(title: &str, e: Option<&TimelineRow>, term_numbers: &str) -> Form {
    let get = |f: fn(&ChronologyEntry) -> &str| e.map(|r| f(&r.entry)).unwrap_or("");
    let date = e.map(|r| r.entry.date.text.clone()).unwrap_or_default();
    Form::new(
        title,
        vec![
            Field::new(
                DATE,
                "03/02/2019, Feb 2019, c. 2015, Summer 2019, w/c 05/08/2019, Unknown …",
                false,
                &date,
            ),
            Field::new(
                TIME,
                "HH:MM, or empty",
                false,
                e.and_then(|r| r.entry.time.as_deref()).unwrap_or(""),
            ),
            Field::new(
                AGENCY,
                "short code or name",
                false,
                e.map(|r| r.agency_code.as_str()).unwrap_or(""),
            ),
            Field::new(SUBJECTS, "Adult A; Adult B", false, get(|e| &e.subjects)),
            Field::new(EVENT, "what happened (required)", true, get(|e| &e.event)),
            Field::new(ACTION, "", true, get(|e| &e.action_outcome)),
            Field::new(
                SOURCE,
                "document, record or IMR paragraph",
                false,
                get(|e| &e.source_ref),
            ),
            Field::new(
                DASH,
                "standard / medium / high",
                false,
                get(|e| &e.risk_dash),
            ),
            Field::new(MARAC, "", false, get(|e| &e.risk_marac)),
            Field::new(
                COMMENT,
                "the agency's own comment",
                true,
                get(|e| &e.agency_comment),
            ),
            Field::new(
                ANALYSIS,
                "the panel's analysis",
                true,
                get(|e| &e.panel_analysis),
            ),
            Field::yes_no(KEY, e.is_some_and(|r| r.entry.key_event)),
            Field::yes_no(MISSED, e.is_some_and(|r| r.entry.missed_opportunity)),
            Field::new(TERMS, "item numbers, e.g. 1, 5", false, term_numbers),
        ],
    )
}

/// Parses "HH:MM" (or "H:MM").
fn parse_time(text: &str) -> Result<Option<String>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    chrono::NaiveTime::parse_from_str(t, "%H:%M")
        .map(|time| Some(time.format("%H:%M").to_string()))
        .map_err(|_| {
            format!("\"{t}\" is not a time: write it as HH:MM (24-hour), or leave it empty")
        })
}

impl App {
    /// Finds an agency of the open case by short code or name, any letter case.
    fn agency_by_word(&self, word: &str) -> Result<Option<i64>, String> {
        let word = word.trim();
        if word.is_empty() {
            return Ok(None);
        }
        let Some(ws) = &self.workspace else {
            return Ok(None);
        };
        agency_by_word(ws.agencies.iter().map(|a| &a.agency), word)
            .map(|a| Some(a.id))
            .ok_or_else(|| {
                let known: Vec<String> =
                    ws.agencies.iter().map(|a| a.agency.code.clone()).collect();
                format!(
                    "no agency \"{word}\" in this case: use one of {}",
                    known.join(", ")
                )
            })
    }

    /// Reads item numbers ("1, 5") into term ids.
    fn terms_by_numbers(&self, text: &str) -> Result<Vec<i64>, String> {
        let Some(ws) = &self.workspace else {
            return Ok(Vec::new());
        };
        let mut ids = Vec::new();
        for part in text
            .split([',', ' ', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let number: i64 = part
                .parse()
                .map_err(|_| format!("\"{part}\" is not an item number"))?;
            let term = ws
                .terms
                .iter()
                .find(|t| t.position == number)
                .ok_or_else(|| {
                    format!(
                        "there is no item {number}: the terms of reference run 1 to {}",
                        ws.terms.len()
                    )
                })?;
            if !ids.contains(&term.id) {
                ids.push(term.id);
            }
        }
        Ok(ids)
    }

    /// Keys of the Timeline pane itself; `None` when the key is not one of them.
    pub(super) fn on_timeline_key(&mut self, key: KeyEvent) -> Option<Effect> {
        let selected = self
            .workspace
            .as_ref()
            .and_then(|ws| ws.selected_timeline_row().cloned());
        match key.code {
            KeyCode::Enter => {
                let row = selected?;
                let terms = self.term_labels(row.entry.id);
                self.overlay = Some(Overlay::EntryDetail {
                    row: Box::new(row),
                    terms,
                    scroll: 0,
                });
            }
            KeyCode::Char('a') => {
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.overlay = Some(Overlay::EntryForm {
                    entry_id: None,
                    form: entry_form("New chronology entry", None, ""),
                });
            }
            KeyCode::Char('e') => {
                let row = selected?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.open_edit_form(&row);
            }
            KeyCode::Char('x') | KeyCode::Delete => {
                let row = selected?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                let summary = format!(
                    "{} {}: {}",
                    row.entry.date.display(),
                    row.agency_code,
                    row.entry.event
                );
                self.overlay = Some(Overlay::ConfirmWithdraw {
                    entry_id: row.entry.id,
                    summary,
                });
            }
            KeyCode::Char('k') | KeyCode::Char('m') => {
                let row = selected?;
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                let (flag, now, name) = if key.code == KeyCode::Char('k') {
                    (EntryFlag::KeyEvent, !row.entry.key_event, "key event")
                } else {
                    (
                        EntryFlag::MissedOpportunity,
                        !row.entry.missed_opportunity,
                        "missed opportunity",
                    )
                };
                match self.store.set_entry_flag(row.entry.id, flag, now) {
                    Ok(()) => {
                        self.reload_timeline();
                        self.info(format!(
                            "{} {name}",
                            if now {
                                "Marked as"
                            } else {
                                "No longer marked as"
                            }
                        ));
                    }
                    Err(e) => self.error(e.to_string()),
                }
            }
            KeyCode::Char('f') => self.overlay = Some(Overlay::TimelineFilter(self.filter_form())),
            KeyCode::Char('d') => {
                self.overlay = Some(Overlay::JumpToDate(Form::new(
                    "Go to a date",
                    vec![Field::new(DATE, "03/02/2019, Feb 2019, 2018 …", false, "")],
                )))
            }
            KeyCode::Char('g') => self.open_silences(None),
            KeyCode::Char('i') => {
                if self.refuse_in_reading_seat() {
                    return Some(Effect::Redraw);
                }
                self.overlay = Some(Overlay::Import(Form::new(
                    "Import an agency chronology (CSV)",
                    vec![
                        Field::new(FILE, "path to the .csv file", false, ""),
                        Field::new(
                            AGENCY,
                            "every row is this agency's; empty: the file's agency column",
                            false,
                            "",
                        ),
                        Field::yes_no(SKIP, false),
                        Field::yes_no(DRY, false),
                    ],
                )));
            }
            _ => return None,
        }
        Some(Effect::Redraw)
    }

    fn term_labels(&self, entry_id: i64) -> Vec<String> {
        let Some(ws) = &self.workspace else {
            return Vec::new();
        };
        let ids = self.store.entry_term_ids(entry_id).unwrap_or_default();
        ws.terms
            .iter()
            .filter(|t| ids.contains(&t.id))
            .map(|t| format!("{}. {}", t.position, t.heading))
            .collect()
    }

    fn open_edit_form(&mut self, row: &TimelineRow) {
        let Some(ws) = &self.workspace else { return };
        let ids = self.store.entry_term_ids(row.entry.id).unwrap_or_default();
        let numbers: Vec<String> = ws
            .terms
            .iter()
            .filter(|t| ids.contains(&t.id))
            .map(|t| t.position.to_string())
            .collect();
        self.overlay = Some(Overlay::EntryForm {
            entry_id: Some(row.entry.id),
            form: entry_form("Edit chronology entry", Some(row), &numbers.join(", ")),
        });
    }

    fn filter_form(&self) -> Form {
        let Some(ws) = &self.workspace else {
            return Form::new("Filter", Vec::new());
        };
        let f = &ws.timeline_filter;
        let agency = f
            .agency_id
            .and_then(|id| ws.agencies.iter().find(|a| a.agency.id == id))
            .map(|a| a.agency.code.clone())
            .unwrap_or_default();
        let term = f
            .term_id
            .and_then(|id| ws.terms.iter().find(|t| t.id == id))
            .map(|t| t.position.to_string())
            .unwrap_or_default();
        let day = |d: Option<NaiveDate>| {
            d.map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default()
        };
        Form::new(
            "Filter the chronology (all that are set must hold; empty = any)",
            vec![
                Field::new(AGENCY, "short code or name", false, &agency),
                Field::new(SUBJECT, "part of a name as written", false, &f.subject),
                Field::yes_no(KEY_ONLY, f.key_only),
                Field::yes_no(MISSED_ONLY, f.missed_only),
                Field::new(TERM, "item number", false, &term),
                Field::new(
                    FROM,
                    "a date; entries that could fall on or after it",
                    false,
                    &day(f.from),
                ),
                Field::new(
                    TO,
                    "a date; entries that could fall on or before it",
                    false,
                    &day(f.to),
                ),
            ],
        )
    }

    /// Keys while an overlay of the Timeline pane is open.
    pub(super) fn on_timeline_overlay_key(&mut self, key: KeyEvent) -> Effect {
        let Some(overlay) = self.overlay.take() else {
            return Effect::None;
        };
        match overlay {
            Overlay::EntryDetail { row, terms, scroll } => match key.code {
                KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => {}
                KeyCode::Char('e') if !self.options.read_only => self.open_edit_form(&row),
                KeyCode::Down | KeyCode::PageDown => {
                    self.overlay = Some(Overlay::EntryDetail {
                        row,
                        terms,
                        scroll: scroll.saturating_add(3),
                    })
                }
                KeyCode::Up | KeyCode::PageUp => {
                    self.overlay = Some(Overlay::EntryDetail {
                        row,
                        terms,
                        scroll: scroll.saturating_sub(3),
                    })
                }
                _ => {
                    self.overlay = Some(Overlay::EntryDetail { row, terms, scroll });
                    return Effect::None;
                }
            },
            Overlay::EntryForm { entry_id, mut form } => match form.on_key(key) {
                FormOutcome::Cancel => self.info("Nothing was saved."),
                FormOutcome::Continue => {
                    // Say at once when the date just typed is not a date.
                    self.check_date_on_leave(&mut form, DATE);
                    self.overlay = Some(Overlay::EntryForm { entry_id, form });
                }
                FormOutcome::Submit => self.save_entry(entry_id, form),
            },
            Overlay::TimelineFilter(mut form) => match form.on_key(key) {
                FormOutcome::Cancel => {}
                FormOutcome::Continue => self.overlay = Some(Overlay::TimelineFilter(form)),
                FormOutcome::Submit => self.apply_filter_form(form),
            },
            Overlay::JumpToDate(mut form) => match form.on_key(key) {
                FormOutcome::Cancel => {}
                FormOutcome::Continue => self.overlay = Some(Overlay::JumpToDate(form)),
                FormOutcome::Submit => self.jump_to_date(form),
            },
            Overlay::ConfirmWithdraw { entry_id, summary } => match key.code {
                KeyCode::Char('y') | KeyCode::Char('Y') => {
                    match self.store.withdraw_chronology_entry(entry_id) {
                        Ok(()) => {
                            self.reload_timeline();
                            self.info("Entry withdrawn; it stays in the audit trail.");
                        }
                        Err(e) => self.error(e.to_string()),
                    }
                }
                KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => {
                    self.info("Nothing was withdrawn.")
                }
                _ => {
                    self.overlay = Some(Overlay::ConfirmWithdraw { entry_id, summary });
                    return Effect::None;
                }
            },
            Overlay::Silences {
                agency_index,
                selected,
            } => return self.on_silences_key(key, agency_index, selected),
            Overlay::Import(mut form) => match form.on_key(key) {
                FormOutcome::Cancel => {}
                FormOutcome::Continue => self.overlay = Some(Overlay::Import(form)),
                FormOutcome::Submit => self.run_import(form),
            },
            other @ (Overlay::Form { .. }
            | Overlay::PaneForm(_)
            | Overlay::Chooser(_)
            | Overlay::Confirm(_)
            | Overlay::Choose { .. }
            | Overlay::View(_)) => {
                // Handled before pane overlays; kept as they are if they ever reach here.
                self.overlay = Some(other);
                return Effect::None;
            }
            Overlay::Report {
                title,
                text,
                scroll,
            } => match key.code {
                KeyCode::Down | KeyCode::PageDown => {
                    self.overlay = Some(Overlay::Report {
                        title,
                        text,
                        scroll: scroll.saturating_add(3),
                    })
                }
                KeyCode::Up | KeyCode::PageUp => {
                    self.overlay = Some(Overlay::Report {
                        title,
                        text,
                        scroll: scroll.saturating_sub(3),
                    })
                }
                KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => {}
                _ => {
                    self.overlay = Some(Overlay::Report {
                        title,
                        text,
                        scroll,
                    });
                    return Effect::None;
                }
            },
        }
        Effect::Redraw
    }

    /// Validates a date field as soon as the focus has left it.
    fn check_date_on_leave(&self, form: &mut Form, date_label: &str) {
        let Some(index) = form.fields.iter().position(|f| f.label == date_label) else {
            return;
        };
        if form.focus == index {
            return;
        }
        let value = form.fields[index].value();
        if value.is_empty() {
            return;
        }
        if let Err(e) = FuzzyDate::parse_uk(&value, self.today) {
            form.fields[index].error = Some(e.to_string());
        }
    }

    fn save_entry(&mut self, entry_id: Option<i64>, mut form: Form) {
        form.clear_errors();
        let original = entry_id.and_then(|id| self.store.chronology_entry(id).ok().flatten());
        let date_text = form.value(DATE);
        let date = if date_text.is_empty() {
            form.set_error(
                DATE,
                "the date is empty: write \"Unknown\" if it is not known",
            );
            None
        } else {
            match FuzzyDate::parse_uk(&date_text, self.today) {
                Ok(d) => Some(d),
                Err(e) => {
                    form.set_error(DATE, e.to_string());
                    None
                }
            }
        };
        let time = parse_time(&form.value(TIME))
            .map_err(|e| form.set_error(TIME, e))
            .ok()
            .flatten();
        let agency_id = self
            .agency_by_word(&form.value(AGENCY))
            .map_err(|e| form.set_error(AGENCY, e))
            .ok()
            .flatten();
        if form.value(EVENT).is_empty() {
            form.set_error(EVENT, "say what happened: the event is required");
        }
        let key_event = yes_no(&form.value(KEY))
            .map_err(|e| form.set_error(KEY, e))
            .unwrap_or(false);
        let missed = yes_no(&form.value(MISSED))
            .map_err(|e| form.set_error(MISSED, e))
            .unwrap_or(false);
        let terms = self
            .terms_by_numbers(&form.value(TERMS))
            .map_err(|e| form.set_error(TERMS, e))
            .unwrap_or_default();
        let (Some(date), false) = (date, form.has_errors()) else {
            form.message = Some("Not saved: correct the marked fields.".into());
            self.overlay = Some(Overlay::EntryForm { entry_id, form });
            return;
        };
        let case_id = self.workspace.as_ref().map_or(0, |ws| ws.case.id);
        let base = original.as_ref().map(|r| r.entry.clone());
        let mut entry = base
            .clone()
            .unwrap_or_else(|| ChronologyEntry::new(date.clone(), ""));
        let keep = |label: &str, old: Option<&str>| -> String {
            form.field(label)
                .map(|f| f.value_or(old.unwrap_or("")))
                .unwrap_or_default()
        };
        entry.case_id = case_id;
        // An untouched date keeps exactly what was written.
        if base.as_ref().is_none_or(|b| b.date.text != date_text) {
            entry.date = date;
        }
        entry.time = time;
        entry.agency_id = agency_id;
        entry.subjects = keep(SUBJECTS, base.as_ref().map(|b| b.subjects.as_str()));
        entry.event = keep(EVENT, base.as_ref().map(|b| b.event.as_str()));
        entry.action_outcome = keep(ACTION, base.as_ref().map(|b| b.action_outcome.as_str()));
        entry.source_ref = keep(SOURCE, base.as_ref().map(|b| b.source_ref.as_str()));
        entry.risk_dash = keep(DASH, base.as_ref().map(|b| b.risk_dash.as_str()));
        entry.risk_marac = keep(MARAC, base.as_ref().map(|b| b.risk_marac.as_str()));
        entry.agency_comment = keep(COMMENT, base.as_ref().map(|b| b.agency_comment.as_str()));
        entry.panel_analysis = keep(ANALYSIS, base.as_ref().map(|b| b.panel_analysis.as_str()));
        entry.key_event = key_event;
        entry.missed_opportunity = missed;
        let result = match entry_id {
            Some(_) => self
                .store
                .update_chronology_entry(&entry, &terms)
                .map(|()| entry.id),
            None => self.store.add_chronology_entry(&entry, &terms),
        };
        match result {
            Ok(id) => {
                self.reload_timeline();
                self.select_entry(id, &entry.date);
                self.info(if entry_id.is_some() {
                    "Entry saved."
                } else {
                    "Entry added."
                });
            }
            Err(e) => {
                form.message = Some(format!("Not saved: {e}"));
                self.overlay = Some(Overlay::EntryForm { entry_id, form });
            }
        }
    }

    fn apply_filter_form(&mut self, mut form: Form) {
        form.clear_errors();
        let mut filter = TimelineFilter {
            text: self
                .workspace
                .as_ref()
                .map(|ws| ws.cursor_of(Pane::Timeline).filter.clone())
                .unwrap_or_default(),
            ..TimelineFilter::default()
        };
        filter.agency_id = self
            .agency_by_word(&form.value(AGENCY))
            .map_err(|e| form.set_error(AGENCY, e))
            .ok()
            .flatten();
        filter.subject = form.value(SUBJECT);
        filter.key_only = yes_no(&form.value(KEY_ONLY))
            .map_err(|e| form.set_error(KEY_ONLY, e))
            .unwrap_or(false);
        filter.missed_only = yes_no(&form.value(MISSED_ONLY))
            .map_err(|e| form.set_error(MISSED_ONLY, e))
            .unwrap_or(false);
        filter.term_id = self
            .terms_by_numbers(&form.value(TERM))
            .map_err(|e| form.set_error(TERM, e))
            .ok()
            .and_then(|ids| ids.first().copied());
        let mut bound = |label: &str, latest: bool| -> Option<NaiveDate> {
            let text = form.value(label);
            if text.is_empty() {
                return None;
            }
            match FuzzyDate::parse_uk(&text, self.today) {
                Ok(d) if latest => d.latest.or(d.earliest),
                Ok(d) => d.earliest.or(d.latest),
                Err(e) => {
                    form.set_error(label, e.to_string());
                    None
                }
            }
        };
        filter.from = bound(FROM, false);
        filter.to = bound(TO, true);
        if form.has_errors() {
            form.message = Some("Not applied: correct the marked fields.".into());
            self.overlay = Some(Overlay::TimelineFilter(form));
            return;
        }
        if let Some(ws) = &mut self.workspace {
            ws.timeline_filter = filter;
            let result = ws.after_filter_change(&self.store);
            if let Err(e) = result {
                self.error(e.to_string());
            }
        }
    }

    fn jump_to_date(&mut self, mut form: Form) {
        let text = form.value(DATE);
        let day = match FuzzyDate::parse_uk(&text, self.today) {
            Ok(d) => d.earliest.or(d.latest),
            Err(e) => {
                form.set_error(DATE, e.to_string());
                self.overlay = Some(Overlay::JumpToDate(form));
                return;
            }
        };
        let Some(day) = day else {
            if let Some(ws) = &mut self.workspace {
                let last = ws.len(Pane::Timeline) as i64;
                let _ = ws.step(&self.store, last);
            }
            return;
        };
        self.go_to_day(day);
    }

    /// Selects the first entry dated on or after `day` (within the current filter).
    pub(super) fn go_to_day(&mut self, day: NaiveDate) {
        let Some(ws) = &mut self.workspace else {
            return;
        };
        let filter = ws.effective_filter();
        let result = self
            .store
            .chronology_position_of(ws.case.id, &filter, day)
            .and_then(|position| ws.select_timeline(&self.store, position));
        if let Err(e) = result {
            self.error(e.to_string());
        }
    }

    fn select_entry(&mut self, entry_id: i64, date: &FuzzyDate) {
        match date.earliest.or(date.latest) {
            Some(day) => self.go_to_day(day),
            None => {
                if let Some(ws) = &mut self.workspace {
                    let last = ws.len(Pane::Timeline) as i64;
                    let _ = ws.step(&self.store, last);
                }
            }
        }
        // Several entries can share a day: step on to the one just saved.
        if let Some(ws) = &mut self.workspace {
            for _ in 0..50 {
                if ws
                    .selected_timeline_row()
                    .is_some_and(|r| r.entry.id == entry_id)
                {
                    break;
                }
                let before = ws.cursor().selected;
                let _ = ws.step(&self.store, 1);
                if ws.cursor().selected == before {
                    break;
                }
            }
        }
    }

    fn reload_timeline(&mut self) {
        if let Some(ws) = &mut self.workspace {
            let result = ws.reload_timeline(&self.store);
            if let Err(e) = result {
                self.error(e.to_string());
            }
        }
    }

    fn open_silences(&mut self, agency: Option<usize>) {
        let index = agency.unwrap_or(0);
        if let Some(ws) = &mut self.workspace {
            let agency_id = index
                .checked_sub(1)
                .and_then(|i| ws.agencies.get(i))
                .map(|a| a.agency.id);
            if let Err(e) = ws.compute_silences(&self.store, agency_id) {
                self.error(e.to_string());
                return;
            }
        }
        self.overlay = Some(Overlay::Silences {
            agency_index: index,
            selected: 0,
        });
    }

    fn on_silences_key(&mut self, key: KeyEvent, agency_index: usize, selected: usize) -> Effect {
        let agencies = self.workspace.as_ref().map_or(0, |ws| ws.agencies.len());
        let count = self
            .workspace
            .as_ref()
            .and_then(|ws| ws.silences.as_ref())
            .map_or(0, |(_, r)| r.periods.len());
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('g') => {}
            KeyCode::Right | KeyCode::Left => {
                let n = agencies + 1;
                let next = if key.code == KeyCode::Right {
                    (agency_index + 1) % n
                } else {
                    (agency_index + n - 1) % n
                };
                self.open_silences(Some(next));
            }
            KeyCode::Down => {
                self.overlay = Some(Overlay::Silences {
                    agency_index,
                    selected: (selected + 1).min(count.saturating_sub(1)),
                })
            }
            KeyCode::Up => {
                self.overlay = Some(Overlay::Silences {
                    agency_index,
                    selected: selected.saturating_sub(1),
                })
            }
            KeyCode::Enter => {
                let start = self
                    .workspace
                    .as_ref()
                    .and_then(|ws| ws.silences.as_ref())
                    .and_then(|(_, r)| r.periods.get(selected))
                    // The entry that ends the silence, with the marker just above it.
                    .and_then(|p| p.to.succ_opt());
                if let Some(day) = start {
                    self.go_to_day(day);
                }
            }
            _ => {
                self.overlay = Some(Overlay::Silences {
                    agency_index,
                    selected,
                });
                return Effect::None;
            }
        }
        Effect::Redraw
    }

    fn run_import(&mut self, mut form: Form) {
        form.clear_errors();
        let path = form.value(FILE);
        if path.is_empty() {
            form.set_error(FILE, "give the path of the CSV file");
        }
        let skip_invalid = yes_no(&form.value(SKIP))
            .map_err(|e| form.set_error(SKIP, e))
            .unwrap_or(false);
        let dry_run = yes_no(&form.value(DRY))
            .map_err(|e| form.set_error(DRY, e))
            .unwrap_or(false);
        let agency = form.value(AGENCY);
        if form.has_errors() {
            self.overlay = Some(Overlay::Import(form));
            return;
        }
        let Some(case_id) = self.workspace.as_ref().map(|ws| ws.case.id) else {
            return;
        };
        let options = crate::import::chronology_csv::ImportOptions {
            agency: if agency.is_empty() {
                None
            } else {
                Some(agency)
            },
            skip_invalid,
            dry_run,
        };
        let result = crate::import::chronology_csv::import_chronology(
            &mut self.store,
            case_id,
            std::path::Path::new(&path),
            &options,
            self.today,
        );
        let (title, text) = match result {
            Ok(report) => ("Import report".to_string(), report.summary()),
            Err(e) => ("Import refused".to_string(), e.to_string()),
        };
        self.reload_timeline();
        self.overlay = Some(Overlay::Report {
            title,
            text,
            scroll: 0,
        });
    }
}
