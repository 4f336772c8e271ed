//! What the log panes (Challenges, Decisions, and the Actions pane's plan) share: days as
//! forms take them and details show them, the lines of a record's detail (its fields,
//! its terms of reference, the meeting and minute it came from), reading a meeting or an
//! agency of the case from a form, and keeping a record selected after a write.

use chrono::NaiveDate;

use crate::app::{App, Pane, Workspace};

use crate::domain::model::Agency;
use crate::store::logs::RecordSource;

impl Workspace {
    /// The name of an agency of the case, for details ("" when unknown).
    pub(crate) fn agency_name(&self, agency_id: Option<i64>) -> String {
        agency_id
            .and_then(|id| self.agencies.all.iter().find(|a| a.agency.id == id))
            .map(|a| a.agency.name.clone())
            .unwrap_or_default()
    }

    /// The short code of an agency of the case ("" for none).
    pub(crate) fn agency_code(&self, agency_id: Option<i64>) -> String {
        agency_id
            .and_then(|id| self.agencies.all.iter().find(|a| a.agency.id == id))
            .map(|a| a.agency.code.clone())
            .unwrap_or_default()
    }

    /// Terms of reference by id, as "number. heading", for details.
    pub(crate) fn term_titles(&self, ids: &[i64]) -> Vec<String> {
        ids.iter()
            .filter_map(|id| self.terms.all.iter().find(|t| t.id == *id))
            .map(|t| format!("{}. {}", t.position, t.heading))
            .collect()
    }

    /// An agency of the case by short code or name, any letter case ("" is none).
    pub(crate) fn agency_by_word(&self, word: &str) -> Result<Option<&Agency>, String> {
        let word = word.trim();
        if word.is_empty() {
            return Ok(None);
        }
        crate::domain::model::agency_by_word(self.agencies.all.iter().map(|a| &a.agency), word)
            .map(Some)
            .ok_or_else(|| {
                let known: Vec<&str> = self
                    .agencies
                    .all
                    .iter()
                    .map(|a| a.agency.code.as_str())
                    .collect();
                format!(
                    "no agency \"{word}\" in this case: use one of {}",
                    known.join(", ")
                )
            })
    }
}

/// A day as typed into forms.
pub(crate) fn uk_day(day: Option<NaiveDate>) -> String {
    day.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

/// A day as shown in details, or `none`.
pub(crate) fn long_day_or(day: Option<NaiveDate>, none: &str) -> String {
    day.map(|d| d.format("%d %b %Y").to_string())
        .unwrap_or_else(|| none.to_string())
}

/// The start of a text for a title: its first line, cut to about forty characters.
pub(crate) fn first_words(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    if line.chars().count() <= 40 {
        line.to_string()
    } else {
        let cut: String = line.chars().take(39).collect();
        format!("{cut}...")
    }
}

/// "Label: value", continuation lines of a multi-line value indented under the value.
pub(crate) fn push_field(out: &mut String, label: &str, value: &str) {
    let indent = " ".repeat(label.chars().count() + 2);
    for (i, line) in value.split('\n').enumerate() {
        if i == 0 {
            out.push_str(&format!("{label}: {line}\n"));
        } else {
            out.push_str(&format!("{indent}{line}\n"));
        }
    }
}

/// The "Terms of reference" line of a detail: the record's terms, or `none`.
pub(crate) fn push_terms(out: &mut String, ws: &Workspace, ids: &[i64], none: &str) {
    let terms = ws.term_titles(ids);
    push_field(
        out,
        "Terms of reference",
        &if terms.is_empty() {
            none.to_string()
        } else {
            terms.join("; ")
        },
    );
}

/// Whether a record's source could be read and is minutes already approved.
pub(crate) fn source_locked(source: &crate::store::Result<Option<RecordSource>>) -> bool {
    source
        .as_ref()
        .is_ok_and(|s| s.as_ref().is_some_and(RecordSource::locked))
}

/// Where a record came from, in words: "meeting 2 (14 Jun 2026, minutes approved),
/// agenda item 8 "Scoping", minute at 10:57:" and the minute's text below it.
pub(crate) fn push_source(
    app: &App,
    out: &mut String,
    label: &str,
    source: &crate::store::Result<Option<RecordSource>>,
) {
    let source = match source {
        Ok(Some(source)) => source,
        Ok(None) => {
            push_field(out, label, "no meeting: it was not minuted");
            return;
        }
        Err(e) => {
            push_field(
                out,
                label,
                &format!("cannot be read ({e}): try again, or run `dhr check`"),
            );
            return;
        }
    };
    let when = source
        .meeting_date
        .map(|d| format!("{}, ", d.format("%d %b %Y")))
        .unwrap_or_default();
    let state = if source.locked() {
        "minutes approved".to_string()
    } else {
        format!("minutes {}", source.meeting_status)
    };
    let mut head = format!("meeting {} ({when}{state})", source.meeting_number);
    match &source.minute {
        Some(m) => {
            let time = crate::time::parse_stamp(&m.minuted_at)
                .map(|t| app.clock.to_local(t).format("%H:%M").to_string())
                .unwrap_or_else(|| "an unknown time".to_string());
            head.push_str(&format!(
                ", agenda item {} \"{}\", minute at {time}:",
                m.item_number, m.item_title
            ));
            push_field(out, label, &head);
            for line in m.text.split('\n') {
                out.push_str(&format!("  {line}\n"));
            }
        }
        None => {
            head.push_str(", not from a line of its minutes");
            push_field(out, label, &head);
        }
    }
}

/// Reads a meeting number of the case from a form ("" is none).
pub(crate) fn meeting_number(ws: &Workspace, text: &str) -> Result<Option<i64>, String> {
    let text = text.trim().trim_start_matches(['m', 'M']).trim();
    if text.is_empty() {
        return Ok(None);
    }
    let numbers: Vec<i64> = ws
        .minutes
        .meetings
        .iter()
        .map(|m| m.meeting.number)
        .collect();
    match text.parse::<i64>() {
        Ok(n) if numbers.contains(&n) => Ok(Some(n)),
        _ => {
            let known = if numbers.is_empty() {
                "the case has no meetings yet".to_string()
            } else {
                let list: Vec<String> = numbers.iter().map(i64::to_string).collect();
                format!("give one of {}", list.join(", "))
            };
            Err(format!(
                "there is no meeting \"{text}\" in this case: {known}"
            ))
        }
    }
}

/// After a write to a log: reads the case again and, while `pane` is in front, selects
/// the row `position` finds, or says the filter hides it; then `message`, unless the
/// reading failed.
pub(crate) fn after_log_write(
    app: &mut App,
    pane: Pane,
    position: impl Fn(&Workspace) -> Option<usize>,
    message: String,
) {
    let mut message = message;
    app.reload_workspace();
    if let Some(ws) = &mut app.workspace
        && ws.pane == pane
    {
        match position(ws) {
            Some(i) => ws.cursor_mut().selected = i,
            None => message.push_str(" The filter hides it now: Esc clears the filter."),
        }
    }
    if app.status.as_ref().is_none_or(|s| !s.is_error) {
        app.info(message);
    }
}
