//! The decision record (`ExportKind::Decision`, `dhr export decision`): the short
//! document of the decision whether to hold a review (the case reference, the outcome,
//! the criteria considered, the reasons, who decided and when, the Home Office told or
//! "not yet", its reply), which closes a case not reviewed and goes with the Home
//! Office's notification. For the panel (no anonymised form).

use super::{ExportError, process};
use crate::domain::document::DocWriter;
use crate::domain::model::Case;
use crate::store::Store;

/// Writes the decision record; with no decision recorded it says so (and warns).
pub(super) fn write(
    w: &mut DocWriter<'_>,
    store: &Store,
    case: &Case,
) -> Result<Vec<String>, ExportError> {
    w.heading(
        1,
        &format!(
            "Decision whether to hold a review: {}, {}",
            case.reference, case.title
        ),
    );
    w.fact("Case reference", &case.reference);
    if !case.partnership.trim().is_empty() {
        w.fact("Partnership", &case.partnership);
    }
    match store.decision(case.id)? {
        Some(d) => {
            process::decision_facts(w, &d);
            Ok(Vec::new())
        }
        None => {
            w.paragraph("No decision whether to review is recorded for this case.");
            Ok(vec![
                "no decision is recorded for this case: record it in the case view (v)".to_string(),
            ])
        }
    }
}
