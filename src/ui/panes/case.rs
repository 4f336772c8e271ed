//! The case view (`0`): what the clock reads, the pseudonym register and the case's
//! history from the audit trail, which the view's state holds (read when it opens, after a
//! write or a refresh): drawing reads no store.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::panes::case::CaseView;
use crate::domain::clock::StatutoryClock;
use crate::domain::model::{AuditRow, Case, Subject};
use crate::ui::overlay::text_box;
use crate::ui::{Theme, safe};

/// Draws the case view over the workspace.
pub fn draw_view(app: &App, view: &CaseView, theme: &Theme, frame: &mut Frame<'_>, area: Rect) {
    let Some(ws) = &app.workspace else { return };
    let mut lines = case_lines(app, &ws.case, &ws.subjects, &ws.clock, &view.history, theme);
    // The register goes before the history (the view's last section, which can be long).
    let at = lines
        .iter()
        .rposition(|l| l.to_string().starts_with("History of the case"))
        .unwrap_or(lines.len());
    let mut register = register_lines(app, &view.exports, theme);
    // Then the decision, the QA rounds and the publication checklist.
    register.extend(super::case_process::process_lines(&view.process, theme));
    register.extend(characteristics_lines(&view.characteristics, theme));
    lines.splice(at..at, register);
    // The prompts (the Home Office told of the decision, the Commissioner's copy) first.
    let prompts = super::case_process::prompt_lines(&ws.case, &view.process, theme);
    lines.splice(0..0, prompts);
    text_box(
        frame,
        area,
        theme,
        format!("The case {}", safe(&ws.case.reference)),
        lines,
        view.scroll,
    );
}

/// Everything about the case the clock reads, the register and the case's history.
pub fn case_lines(
    app: &App,
    case: &Case,
    subjects: &[Subject],
    clock: &StatutoryClock,
    history: &[AuditRow],
    theme: &Theme,
) -> Vec<Line<'static>> {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%d %b %Y").to_string());
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut field = |label: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
            lines.push(Line::from(vec![
                Span::styled(format!("{label}: "), theme.dim()),
                Span::raw(safe(&value)),
            ]));
        }
    };
    field(
        "Review",
        Some(format!("{} {} · {}", case.kind, case.reference, case.title)),
    );
    field("Partnership", Some(case.partnership.clone()));
    field("Marking", Some(case.marking.clone()));
    field("Clock", Some(clock.headline()));
    let reason = if case.stage_reason.is_empty() {
        String::new()
    } else {
        format!(" ({})", case.stage_reason)
    };
    field("Stage", Some(format!("{}{reason}", case.stage)));
    field("Date of death", day(case.date_of_death));
    field("Notified", day(case.notified_on));
    field(
        "Review period",
        match (case.period_from, case.period_to) {
            (None, None) => None,
            (from, to) => Some(format!(
                "{} to {}",
                day(from).unwrap_or_else(|| "?".into()),
                day(to).unwrap_or_else(|| "?".into())
            )),
        },
    );
    field("Independent chair", Some(case.chair.clone()));
    field("Overview author", Some(case.overview_author.clone()));
    field("Review coordinator", Some(case.coordinator.clone()));
    if case.paused {
        field(
            "PAUSED",
            Some(format!(
                "since {} · {}",
                day(case.paused_on).unwrap_or_else(|| "?".into()),
                case.paused_reason
            )),
        );
    } else if !case.paused_reason.is_empty() {
        field("Last pause", Some(case.paused_reason.clone()));
    }
    if let Some(to) = day(case.extended_to) {
        field(
            "Extended to",
            Some(format!("{to} · {}", case.extension_reason)),
        );
    }
    field("Report completed", day(case.report_completed_on));
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "Pseudonym register (r to edit)".to_string(),
        theme.title(),
    )));
    if subjects.is_empty() {
        lines.push(Line::from("  No subjects yet."));
    }
    for s in subjects {
        let real = if s.real_names.is_empty() {
            String::new()
        } else {
            format!(" · real names: {}", s.real_names)
        };
        lines.push(Line::from(Span::raw(safe(&format!(
            "  {} ({}{}){real}",
            s.pseudonym,
            s.role,
            if s.relationship.is_empty() {
                String::new()
            } else {
                format!(", {}", s.relationship)
            }
        )))));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "History of the case (audit trail, newest first)".to_string(),
        theme.title(),
    )));
    // Newest first; the changes of one transaction to one kind of record read as one line.
    let mut groups: Vec<Vec<&AuditRow>> = Vec::new();
    for row in history.iter().rev() {
        // Twelve lines are shown: past the start of a thirteenth, stop going through.
        if groups.len() > 12 {
            break;
        }
        match groups.last_mut() {
            Some(group)
                if group.first().is_some_and(|g| {
                    g.at == row.at && g.login == row.login && g.table_name == row.table_name
                }) && row.table_name != "cases" =>
            {
                group.push(row)
            }
            _ => groups.push(vec![row]),
        }
    }
    for group in groups.iter().take(12) {
        let Some(first) = group.first() else { continue };
        let when = crate::time::parse_stamp(&first.at)
            .map(|t| app.clock.to_local(t).format("%d %b %Y %H:%M").to_string())
            .unwrap_or_else(|| first.at.clone());
        let words = crate::domain::review::CASE_RECORDS
            .iter()
            .find(|(table, _)| *table == first.table_name)
            .map(|(_, words)| *words);
        let described: Vec<String> = group
            .iter()
            .map(|row| describe_changes(&row.action, &row.changes))
            .collect();
        let text = match (words, group.len()) {
            (None, _) => described.join(" · "),
            (Some(words), 1) => format!("{words} {}: {}", first.row_id, described.join("")),
            (Some(words), n) => {
                let mut distinct = described.clone();
                distinct.dedup();
                format!("{words} ×{n}: {}", distinct.join(" · "))
            }
        };
        let text = safe(&text);
        lines.push(Line::from(vec![
            Span::styled(format!("  {when} {} ", safe(&first.login)), theme.dim()),
            Span::raw(if theme.ascii {
                text.replace('→', "->").replace('—', "-").replace('×', "x")
            } else {
                text
            }),
        ]));
    }
    lines
}

/// "Case characteristics": the recorded ones in one wrapped line, in the vocabulary's
/// order ("type of death: homicide · relationship: intimate partner · …").
fn characteristics_lines(
    recorded: &[crate::domain::review::CaseCharacteristic],
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(Span::styled(
        "Case characteristics (c to edit; not in anonymised exports unless asked)".to_string(),
        theme.title(),
    ))];
    if recorded.is_empty() {
        lines.push(Line::from("  None recorded yet."));
    } else {
        let sep = theme.sep();
        let mut spans = vec![Span::raw("  ")];
        for (i, c) in recorded.iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled(sep.to_string(), theme.dim()));
            }
            spans.push(Span::styled(format!("{}: ", c.name.label()), theme.dim()));
            let value = safe(&c.value);
            spans.push(Span::raw(if theme.ascii {
                value.replace('–', "-")
            } else {
                value
            }));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(""));
    lines
}

/// How many rows of the export register the view shows; the rest are counted.
const REGISTER_SHOWN: usize = 6;

/// "Documents that left the panel": the latest exports, newest first (date, what, format,
/// anonymised, by whom), then how many earlier ones there are.
fn register_lines(
    app: &App,
    exports: &[crate::domain::register::RegisteredExport],
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(Span::styled(
        "Documents that left the panel (export register, newest first)".to_string(),
        theme.title(),
    ))];
    if exports.is_empty() {
        lines.push(Line::from("  None exported yet."));
    }
    for e in exports.iter().take(REGISTER_SHOWN) {
        let when = crate::time::parse_stamp(&e.at)
            .map(|t| app.clock.to_local(t).format("%d %b %Y %H:%M").to_string())
            .unwrap_or_else(|| e.at.clone());
        let r = &e.record;
        let how = if r.anonymised { "anonymised" } else { "panel" };
        lines.push(Line::from(vec![
            Span::styled(format!("  {when} "), theme.dim()),
            Span::raw(safe(&format!(
                "{} · {} · {how} · {}",
                r.document.describe(),
                r.format,
                e.by()
            ))),
        ]));
    }
    if exports.len() > REGISTER_SHOWN {
        let more = exports.len() - REGISTER_SHOWN;
        lines.push(Line::from(Span::styled(
            format!(
                "  and {more} earlier export{} ({} in all)",
                if more == 1 { "" } else { "s" },
                exports.len()
            ),
            theme.dim(),
        )));
    }
    lines.push(Line::from(""));
    lines
}

/// An audit row's changes in words: "stage: panel → drafting; stage_reason: … ".
fn describe_changes(action: &str, changes: &str) -> String {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(changes)
    else {
        return action.to_string();
    };
    if action == "insert" {
        return "created".to_string();
    }
    let show = |v: &serde_json::Value| match v {
        serde_json::Value::Null => "—".to_string(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    map.iter()
        .map(|(field, pair)| match pair.as_array().map(Vec::as_slice) {
            Some([old, new]) => format!("{field}: {} → {}", show(old), show(new)),
            _ => field.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}
