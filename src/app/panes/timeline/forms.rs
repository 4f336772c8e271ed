//! The Timeline pane's forms: an entry (added or edited), the combined filter, going to a
//! date and importing an agency chronology, each with what it saves to and its fields
//! known by id.

use chrono::NaiveDate;

use super::TimelineRow;
use crate::app::form::{Field, Form, yes_no};
use crate::app::panes::{FieldId, FormTarget};
use crate::app::{App, Overlay};
use crate::domain::date::FuzzyDate;
use crate::domain::filter::TimelineFilter;
use crate::domain::model::{ChronologyEntry, agency_by_word};

/// The pane's forms, each with what it saves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineForm {
    /// A new entry.
    Add,
    /// The edit form of this entry.
    Edit { entry: i64 },
    /// The combined filter.
    Filter,
    /// Go to a date.
    GoToDate,
    /// Import an agency chronology (CSV).
    Import,
}

impl TimelineForm {
    /// The entry the form edits (0 for a new one, or a form that edits none).
    pub fn record(self) -> i64 {
        match self {
            TimelineForm::Edit { entry } => entry,
            TimelineForm::Add
            | TimelineForm::Filter
            | TimelineForm::GoToDate
            | TimelineForm::Import => 0,
        }
    }

    /// Whether what is typed is kept as a draft: an entry's text is; the filter, the date
    /// to go to and the import's options only set what is shown, and keep none.
    pub fn keeps_draft(self) -> bool {
        matches!(self, TimelineForm::Add | TimelineForm::Edit { .. })
    }
}

/// The fields of the pane's forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineField {
    Date,
    Time,
    Agency,
    Subjects,
    Event,
    Action,
    Source,
    Dash,
    Marac,
    Comment,
    Analysis,
    KeyEvent,
    Missed,
    Terms,
    Subject,
    KeyOnly,
    MissedOnly,
    Term,
    From,
    To,
    File,
    SkipInvalid,
    DryRun,
}

impl From<TimelineField> for FieldId {
    fn from(f: TimelineField) -> FieldId {
        FieldId::Timeline(f)
    }
}

use TimelineField::{
    Action as ACTION, Agency as AGENCY, Analysis as ANALYSIS, Comment as COMMENT, Dash as DASH,
    Date as DATE, DryRun as DRY, Event as EVENT, File as FILE, From as FROM, KeyEvent as KEY,
    KeyOnly as KEY_ONLY, Marac as MARAC, Missed as MISSED, MissedOnly as MISSED_ONLY,
    SkipInvalid as SKIP, Source as SOURCE, Subject as SUBJECT, Subjects as SUBJECTS, Term as TERM,
    Terms as TERMS, Time as TIME, To as TO,
};

/// A yes / no field known by `id`.
fn yes_no_field(id: TimelineField, label: &'static str, value: bool) -> Field {
    let mut field = Field::yes_no(label, value);
    field.id = Some(id.into());
    field
}

/// The entry form, filled from an entry (or empty for a new one).
pub fn entry_form(title: &str, e: Option<&TimelineRow>, term_numbers: &str) -> Form {
    let get = |f: fn(&ChronologyEntry) -> &str| e.map(|r| f(&r.entry)).unwrap_or("");
    let date = e.map(|r| r.entry.date.text.clone()).unwrap_or_default();
    Form::new(
        title,
        vec![
            Field::with_id(
                DATE,
                "Date",
                "03/02/2019, Feb 2019, c. 2015, Summer 2019, w/c 05/08/2019, Unknown …",
                false,
                &date,
            ),
            Field::with_id(
                TIME,
                "Time",
                "HH:MM, or empty",
                false,
                e.and_then(|r| r.entry.time.as_deref()).unwrap_or(""),
            ),
            Field::with_id(
                AGENCY,
                "Agency",
                "short code or name",
                false,
                e.map(|r| r.agency_code.as_str()).unwrap_or(""),
            ),
            Field::with_id(
                SUBJECTS,
                "Subjects",
                "Adult A; Adult B",
                false,
                get(|e| &e.subjects),
            ),
            Field::with_id(
                EVENT,
                "Event",
                "what happened (required)",
                true,
                get(|e| &e.event),
            ),
            Field::with_id(
                ACTION,
                "Action / outcome",
                "",
                true,
                get(|e| &e.action_outcome),
            ),
            Field::with_id(
                SOURCE,
                "Source reference",
                "document, record or IMR paragraph",
                false,
                get(|e| &e.source_ref),
            ),
            Field::with_id(
                DASH,
                "Risk: DASH",
                "standard / medium / high",
                false,
                get(|e| &e.risk_dash),
            ),
            Field::with_id(MARAC, "Risk: MARAC", "", false, get(|e| &e.risk_marac)),
            Field::with_id(
                COMMENT,
                "Agency comment",
                "the agency's own comment",
                true,
                get(|e| &e.agency_comment),
            ),
            Field::with_id(
                ANALYSIS,
                "Panel analysis",
                "the panel's analysis",
                true,
                get(|e| &e.panel_analysis),
            ),
            yes_no_field(KEY, "Key event", e.is_some_and(|r| r.entry.key_event)),
            yes_no_field(
                MISSED,
                "Missed opportunity",
                e.is_some_and(|r| r.entry.missed_opportunity),
            ),
            Field::with_id(
                TERMS,
                "Terms of reference",
                "item numbers, e.g. 1, 5",
                false,
                term_numbers,
            ),
        ],
    )
}

/// The form to go to a date.
pub(super) fn go_to_date_form() -> Form {
    Form::new(
        "Go to a date",
        vec![Field::with_id(
            DATE,
            "Date",
            "03/02/2019, Feb 2019, 2018 …",
            false,
            "",
        )],
    )
}

/// The form to import an agency chronology.
pub(super) fn import_form() -> Form {
    Form::new(
        "Import an agency chronology (CSV)",
        vec![
            Field::with_id(FILE, "File", "path to the .csv file", false, ""),
            Field::with_id(
                AGENCY,
                "Agency",
                "every row is this agency's; empty: the file's agency column",
                false,
                "",
            ),
            yes_no_field(SKIP, "Import the good rows even if some are bad", false),
            yes_no_field(DRY, "Dry run: check and report, write nothing", false),
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

/// After a key that left a form open: the entry form says at once when the date just
/// typed is not a date.
pub(crate) fn edited(app: &App, form: &mut Form, target: TimelineForm) {
    if matches!(target, TimelineForm::Add | TimelineForm::Edit { .. }) {
        check_date_on_leave(form, app.today);
    }
}

/// Esc on a form: an entry's form says nothing was saved; the others close quietly.
pub(crate) fn cancelled(app: &mut App, target: TimelineForm) {
    if matches!(target, TimelineForm::Add | TimelineForm::Edit { .. }) {
        app.info("Nothing was saved.");
    }
}

/// Validates the date field as soon as the focus has left it.
fn check_date_on_leave(form: &mut Form, today: NaiveDate) {
    let id = Some(FieldId::from(DATE));
    let Some(index) = form.fields.iter().position(|f| f.id == id) else {
        return;
    };
    if form.focus == index {
        return;
    }
    let value = form.fields[index].value();
    if value.is_empty() {
        return;
    }
    if let Err(e) = FuzzyDate::parse_uk(&value, today) {
        form.fields[index].error = Some(e.to_string());
    }
}

/// Saves one of the pane's forms.
pub(crate) fn submit(app: &mut App, form: Form, target: TimelineForm) {
    match target {
        TimelineForm::Add => app.save_entry(None, form),
        TimelineForm::Edit { entry } => app.save_entry(Some(entry), form),
        TimelineForm::Filter => app.apply_filter_form(form),
        TimelineForm::GoToDate => app.jump_to_date(form),
        TimelineForm::Import => app.run_import(form),
    }
}

impl App {
    pub(super) fn open_timeline_form(&mut self, form: Form, target: TimelineForm) {
        self.open_form(form, FormTarget::Timeline(target));
    }

    /// Finds an agency of the open case by short code or name, any letter case.
    fn agency_by_word(&self, word: &str) -> Result<Option<i64>, String> {
        let word = word.trim();
        if word.is_empty() {
            return Ok(None);
        }
        let Some(ws) = &self.workspace else {
            return Ok(None);
        };
        agency_by_word(ws.agencies.all.iter().map(|a| &a.agency), word)
            .map(|a| Some(a.id))
            .ok_or_else(|| {
                let known: Vec<String> = ws
                    .agencies
                    .all
                    .iter()
                    .map(|a| a.agency.code.clone())
                    .collect();
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
                .all
                .iter()
                .find(|t| t.position == number)
                .ok_or_else(|| {
                    format!(
                        "there is no item {number}: the terms of reference run 1 to {}",
                        ws.terms.all.len()
                    )
                })?;
            if !ids.contains(&term.id) {
                ids.push(term.id);
            }
        }
        Ok(ids)
    }

    /// The edit form of an entry, with the item numbers of its terms of reference.
    pub(super) fn open_edit_form(&mut self, row: &TimelineRow) {
        let Some(ws) = &self.workspace else { return };
        let ids = self.store.entry_term_ids(row.entry.id).unwrap_or_default();
        let numbers: Vec<String> = ws
            .terms
            .all
            .iter()
            .filter(|t| ids.contains(&t.id))
            .map(|t| t.position.to_string())
            .collect();
        self.open_timeline_form(
            entry_form("Edit chronology entry", Some(row), &numbers.join(", ")),
            TimelineForm::Edit {
                entry: row.entry.id,
            },
        );
    }

    /// The combined filter's form, filled with the filters in force.
    pub(super) fn filter_form(&self) -> Form {
        let Some(ws) = &self.workspace else {
            return Form::new("Filter", Vec::new());
        };
        let f = &ws.timeline.filter;
        let agency = f
            .agency_id
            .and_then(|id| ws.agencies.all.iter().find(|a| a.agency.id == id))
            .map(|a| a.agency.code.clone())
            .unwrap_or_default();
        let term = f
            .term_id
            .and_then(|id| ws.terms.all.iter().find(|t| t.id == id))
            .map(|t| t.position.to_string())
            .unwrap_or_default();
        let day = |d: Option<NaiveDate>| {
            d.map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default()
        };
        Form::new(
            "Filter the chronology (all that are set must hold; empty = any)",
            vec![
                Field::with_id(AGENCY, "Agency", "short code or name", false, &agency),
                Field::with_id(
                    SUBJECT,
                    "Subject",
                    "part of a name as written",
                    false,
                    &f.subject,
                ),
                yes_no_field(KEY_ONLY, "Key events only", f.key_only),
                yes_no_field(MISSED_ONLY, "Missed opportunities only", f.missed_only),
                Field::with_id(TERM, "Term of reference", "item number", false, &term),
                Field::with_id(
                    FROM,
                    "From",
                    "a date; entries that could fall on or after it",
                    false,
                    &day(f.from),
                ),
                Field::with_id(
                    TO,
                    "To",
                    "a date; entries that could fall on or before it",
                    false,
                    &day(f.to),
                ),
            ],
        )
    }

    fn save_entry(&mut self, entry_id: Option<i64>, mut form: Form) {
        let target = FormTarget::Timeline(match entry_id {
            Some(entry) => TimelineForm::Edit { entry },
            None => TimelineForm::Add,
        });
        form.clear_errors();
        let original = entry_id.and_then(|id| self.store.chronology_entry(id).ok().flatten());
        let date_text = form.text(DATE);
        let date = if date_text.is_empty() {
            form.mark(
                DATE,
                "the date is empty: write \"Unknown\" if it is not known",
            );
            None
        } else {
            match FuzzyDate::parse_uk(&date_text, self.today) {
                Ok(d) => Some(d),
                Err(e) => {
                    form.mark(DATE, e.to_string());
                    None
                }
            }
        };
        let time = parse_time(&form.text(TIME))
            .map_err(|e| form.mark(TIME, e))
            .ok()
            .flatten();
        let agency_id = self
            .agency_by_word(&form.text(AGENCY))
            .map_err(|e| form.mark(AGENCY, e))
            .ok()
            .flatten();
        if form.text(EVENT).is_empty() {
            form.mark(EVENT, "say what happened: the event is required");
        }
        let key_event = yes_no(&form.text(KEY))
            .map_err(|e| form.mark(KEY, e))
            .unwrap_or(false);
        let missed = yes_no(&form.text(MISSED))
            .map_err(|e| form.mark(MISSED, e))
            .unwrap_or(false);
        let terms = self
            .terms_by_numbers(&form.text(TERMS))
            .map_err(|e| form.mark(TERMS, e))
            .unwrap_or_default();
        let (Some(date), false) = (date, form.has_errors()) else {
            self.form_back(form, target, "Not saved: correct the marked fields.");
            return;
        };
        let case_id = self.workspace.as_ref().map_or(0, |ws| ws.case.id);
        let base = original.as_ref().map(|r| r.entry.clone());
        let mut entry = base
            .clone()
            .unwrap_or_else(|| ChronologyEntry::new(date.clone(), ""));
        let keep = |id: TimelineField, old: Option<&str>| -> String {
            form.field_by(id)
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
            Err(e) => self.form_back(form, target, format!("Not saved: {e}")),
        }
    }

    fn apply_filter_form(&mut self, mut form: Form) {
        form.clear_errors();
        let mut filter = TimelineFilter {
            text: self
                .workspace
                .as_ref()
                .map(|ws| ws.timeline.cursor.filter.clone())
                .unwrap_or_default(),
            ..TimelineFilter::default()
        };
        filter.agency_id = self
            .agency_by_word(&form.text(AGENCY))
            .map_err(|e| form.mark(AGENCY, e))
            .ok()
            .flatten();
        filter.subject = form.text(SUBJECT);
        filter.key_only = yes_no(&form.text(KEY_ONLY))
            .map_err(|e| form.mark(KEY_ONLY, e))
            .unwrap_or(false);
        filter.missed_only = yes_no(&form.text(MISSED_ONLY))
            .map_err(|e| form.mark(MISSED_ONLY, e))
            .unwrap_or(false);
        filter.term_id = self
            .terms_by_numbers(&form.text(TERM))
            .map_err(|e| form.mark(TERM, e))
            .ok()
            .and_then(|ids| ids.first().copied());
        let today = self.today;
        let mut bound = |id: TimelineField, latest: bool| -> Option<NaiveDate> {
            let text = form.text(id);
            if text.is_empty() {
                return None;
            }
            match FuzzyDate::parse_uk(&text, today) {
                Ok(d) if latest => d.latest.or(d.earliest),
                Ok(d) => d.earliest.or(d.latest),
                Err(e) => {
                    form.mark(id, e.to_string());
                    None
                }
            }
        };
        filter.from = bound(FROM, false);
        filter.to = bound(TO, true);
        if form.has_errors() {
            self.form_back(
                form,
                FormTarget::Timeline(TimelineForm::Filter),
                "Not applied: correct the marked fields.",
            );
            return;
        }
        if let Some(ws) = &mut self.workspace {
            ws.timeline.filter = filter;
            let result = ws.after_filter_change(&self.store);
            if let Err(e) = result {
                self.error(e.to_string());
            }
        }
    }

    fn jump_to_date(&mut self, mut form: Form) {
        let text = form.text(DATE);
        let day = match FuzzyDate::parse_uk(&text, self.today) {
            Ok(d) => d.earliest.or(d.latest),
            Err(e) => {
                form.mark(DATE, e.to_string());
                self.open_timeline_form(form, TimelineForm::GoToDate);
                return;
            }
        };
        let Some(day) = day else {
            self.select_last();
            return;
        };
        self.go_to_day(day);
    }

    /// Selects the last entry listed (where undated entries sort).
    fn select_last(&mut self) {
        if let Some(ws) = &mut self.workspace {
            let last = ws.len(crate::app::Pane::Timeline) as i64;
            let _ = ws.step(&self.store, last);
        }
    }

    /// Selects the entry just saved, dated `date`.
    fn select_entry(&mut self, entry_id: i64, date: &FuzzyDate) {
        match date.earliest.or(date.latest) {
            Some(day) => self.go_to_day(day),
            None => self.select_last(),
        }
        // Several entries can share a day: step on to the one just saved.
        if let Some(ws) = &mut self.workspace {
            for _ in 0..50 {
                if ws
                    .timeline
                    .selected_row()
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

    fn run_import(&mut self, mut form: Form) {
        form.clear_errors();
        let path = form.text(FILE);
        if path.is_empty() {
            form.mark(FILE, "give the path of the CSV file");
        }
        let skip_invalid = yes_no(&form.text(SKIP))
            .map_err(|e| form.mark(SKIP, e))
            .unwrap_or(false);
        let dry_run = yes_no(&form.text(DRY))
            .map_err(|e| form.mark(DRY, e))
            .unwrap_or(false);
        let agency = form.text(AGENCY);
        if form.has_errors() {
            self.open_timeline_form(form, TimelineForm::Import);
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
        self.overlays
            .push(Overlay::Report(crate::app::overlay::Report::new(
                title, text,
            )));
    }
}
