//! The case view's process sections (issue 17): the prompts at its top (the Home Office
//! told of the decision, the copy to the Domestic Abuse Commissioner: `domain::prompts`),
//! the decision record, the Home Office QA rounds with their points, and the publication
//! checklist. Drawn from the view's copy of the records (`ProcessFacts`), every stored
//! text through the display sanitiser.

use chrono::NaiveDate;
use ratatui::text::{Line, Span};

use crate::app::panes::case::process::ProcessFacts;
use crate::domain::model::Case;
use crate::domain::prompts::prompts;
use crate::domain::review::PublicationItem;
use crate::ui::{Theme, safe};

fn day(d: Option<NaiveDate>) -> String {
    d.map_or_else(
        || "no date".to_string(),
        |d| d.format("%d %b %Y").to_string(),
    )
}

/// The prompts, one line each ("! Tell the Home Office…"), then an empty line; none when
/// nothing is prompted.
pub fn prompt_lines(case: &Case, facts: &ProcessFacts, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = prompts(case, facts.decision.as_ref(), &facts.publication)
        .into_iter()
        .map(|p| Line::from(Span::styled(format!("! {}", safe(&p)), theme.overdue())))
        .collect();
    if !lines.is_empty() {
        lines.push(Line::from(""));
    }
    lines
}

fn labelled(theme: &Theme, label: &str, value: &str) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("  {label}: "), theme.dim()),
        Span::raw(safe(value)),
    ])
}

/// The decision, the QA rounds and the publication checklist, each under its heading,
/// ending with an empty line.
pub fn process_lines(facts: &ProcessFacts, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let heading = |text: &str| Line::from(Span::styled(text.to_string(), theme.title()));

    lines.push(heading("Decision whether to review (v to record)"));
    match &facts.decision {
        None => lines.push(Line::from("  No decision recorded yet.")),
        Some(d) => {
            let by = if d.decided_by.trim().is_empty() {
                String::new()
            } else {
                format!(" by {}", d.decided_by.trim())
            };
            lines.push(labelled(
                theme,
                "Outcome",
                &format!("{}, decided{by} on {}", d.outcome, day(d.decided_on)),
            ));
            for (label, text) in [("Criteria", &d.criteria), ("Reasons", &d.reasons)] {
                if !text.trim().is_empty() {
                    lines.push(labelled(theme, label, text));
                }
            }
            let told = match d.home_office_notified_on {
                Some(on) => day(Some(on)),
                None => "not yet".to_string(),
            };
            lines.push(labelled(theme, "Home Office notified", &told));
            if !d.home_office_reply.trim().is_empty() {
                lines.push(labelled(theme, "Home Office reply", &d.home_office_reply));
            }
        }
    }
    lines.push(Line::from(""));

    lines.push(heading(
        "Home Office quality assurance (h: rounds and points)",
    ));
    if facts.rounds.is_empty() {
        lines.push(Line::from("  Not submitted yet."));
    }
    for r in &facts.rounds {
        let version = if r.report_version.trim().is_empty() {
            String::new()
        } else {
            format!(", version {}", r.report_version.trim())
        };
        let outcome = match r.outcome {
            Some(o) => format!("{o} (letter {})", day(r.letter_on)),
            None => "no outcome yet".to_string(),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("  Round {}: ", r.number), theme.dim()),
            Span::raw(safe(&format!(
                "submitted {}{version} · {outcome}",
                day(r.submitted_on)
            ))),
        ]));
        if !r.notes.trim().is_empty() {
            lines.push(Line::from(Span::raw(format!("    {}", safe(&r.notes)))));
        }
        for p in facts.points_of(r.id) {
            let response = if p.response.trim().is_empty() {
                String::new()
            } else {
                format!(" → {}", p.response.trim())
            };
            let text = safe(&format!(
                "{}. [{}] {}{response}",
                p.number,
                p.status,
                p.point.trim()
            ));
            let text = if theme.ascii {
                text.replace('→', "->")
            } else {
                text
            };
            lines.push(Line::from(format!("    {text}")));
        }
    }
    lines.push(Line::from(""));

    lines.push(heading("Publication checklist (u to record)"));
    for item in PublicationItem::ALL {
        let record = facts.item(*item);
        let (mark, when) = match record.and_then(|r| r.done_on) {
            Some(d) => (if theme.ascii { "[x]" } else { "[✓]" }, day(Some(d))),
            None => ("[ ]", "not yet".to_string()),
        };
        let detail = record
            .map(|r| r.detail.trim())
            .filter(|d| !d.is_empty())
            .map(|d| format!(" · {d}"))
            .unwrap_or_default();
        lines.push(Line::from(format!(
            "  {mark} {}: {}",
            item.label(),
            safe(&format!("{when}{detail}"))
        )));
    }
    lines.push(Line::from(""));
    lines
}
