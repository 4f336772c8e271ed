//! The review's process in the case pack (issue 17): the decision whether to review,
//! every Home Office QA round with the points its letter raised, and the publication
//! checklist. Functions the case pack calls, writing through the `DocWriter` (so the
//! Markdown and the Word pack hold them alike, and the anonymiser applies to their text).

use super::{ExportError, day};
use crate::domain::document::DocWriter;
use crate::domain::model::Case;
use crate::domain::review::{PublicationItem, ReviewDecision};
use crate::store::Store;

/// "03 Sep 2026", or "not yet".
fn day_or_not_yet(date: Option<chrono::NaiveDate>) -> String {
    date.map_or_else(|| "not yet".to_string(), |d| day(Some(d)))
}

/// Text, or "not recorded" when there is none.
fn or_not_recorded(text: &str) -> &str {
    if text.trim().is_empty() {
        "not recorded"
    } else {
        text.trim()
    }
}

/// The decision's facts (the case pack's "Decision" section and the decision record
/// share them): outcome, criteria, reasons, who decided and when, the Home Office told
/// (a date or "not yet") and its reply.
pub(super) fn decision_facts(w: &mut DocWriter<'_>, d: &ReviewDecision) {
    w.fact("Outcome", d.outcome.label());
    w.fact("Decided by", or_not_recorded(&d.decided_by));
    w.fact(
        "Date decided",
        &d.decided_on
            .map_or_else(|| "not recorded".to_string(), |on| day(Some(on))),
    );
    w.fact(
        "Home Office notified",
        &day_or_not_yet(d.home_office_notified_on),
    );
    w.labelled("Criteria considered", or_not_recorded(&d.criteria));
    w.labelled("Reasons", or_not_recorded(&d.reasons));
    w.labelled(
        "The Home Office's reply",
        if d.home_office_reply.trim().is_empty() {
            "none recorded"
        } else {
            d.home_office_reply.trim()
        },
    );
}

/// "Decision": the decision record, or that none is recorded.
pub(super) fn decision(
    w: &mut DocWriter<'_>,
    store: &Store,
    case: &Case,
) -> Result<(), ExportError> {
    w.heading(2, "Decision");
    match store.decision(case.id)? {
        Some(d) => decision_facts(w, &d),
        None => w.paragraph("No decision whether to review is recorded."),
    }
    Ok(())
}

/// "Home Office quality assurance": every round, first first, each with its points.
pub(super) fn quality_assurance(
    w: &mut DocWriter<'_>,
    store: &Store,
    case: &Case,
) -> Result<(), ExportError> {
    w.heading(2, "Home Office quality assurance");
    let rounds = store.qa_rounds(case.id)?;
    let points = store.qa_points(case.id)?;
    if rounds.is_empty() {
        w.paragraph("The overview report has not been submitted to the Home Office yet.");
    }
    for r in &rounds {
        w.heading(3, &format!("Round {}", r.number));
        w.fact("Submitted", &day_or_not_yet(r.submitted_on));
        if !r.report_version.trim().is_empty() {
            w.fact("Report version", r.report_version.trim());
        }
        w.fact(
            "Outcome",
            &match r.outcome {
                Some(o) => format!("{}, letter of {}", o.label(), day_or_not_yet(r.letter_on)),
                None => "awaited".to_string(),
            },
        );
        w.paragraph(&r.notes);
        let rows: Vec<Vec<String>> = points
            .iter()
            .filter(|p| p.round_id == r.id)
            .map(|p| {
                vec![
                    p.number.to_string(),
                    p.point.clone(),
                    p.response.clone(),
                    p.status.label().to_string(),
                ]
            })
            .collect();
        w.table(
            &[
                "Point",
                "The letter raises",
                "The panel's response",
                "Status",
            ],
            &rows,
            "No points recorded for this round.",
        );
    }
    Ok(())
}

/// "Publication": each item of the checklist, done (with its date and detail) or not.
pub(super) fn publication(
    w: &mut DocWriter<'_>,
    store: &Store,
    case: &Case,
) -> Result<(), ExportError> {
    w.heading(2, "Publication");
    let items = store.publication_items(case.id)?;
    let rows: Vec<Vec<String>> = PublicationItem::ALL
        .iter()
        .map(|item| {
            let record = items.iter().find(|r| r.item == *item);
            vec![
                item.label().to_string(),
                day_or_not_yet(record.and_then(|r| r.done_on)),
                record.map(|r| r.detail.clone()).unwrap_or_default(),
            ]
        })
        .collect();
    w.table(&["Item", "Done", "Detail"], &rows, "");
    Ok(())
}
