//! The case pack's "Case characteristics" section: every characteristic of the Home
//! Office DHR library (`review::Characteristic`) with the value recorded, or "not
//! recorded". The panel's pack always has it; an anonymised pack only when asked for that
//! export (`--with-characteristics`, or "anonymised, with characteristics" in the case
//! view's export chooser), since age bands, sex and ethnicity together can point to a
//! person.

use super::ExportError;
use crate::domain::document::DocWriter;
use crate::domain::model::Case;
use crate::domain::review::Characteristic;
use crate::store::Store;

/// Writes the section.
pub(super) fn write(w: &mut DocWriter<'_>, store: &Store, case: &Case) -> Result<(), ExportError> {
    w.heading(2, "Case characteristics");
    let recorded = store.characteristics(case.id)?;
    if recorded.is_empty() {
        w.paragraph("No case characteristics recorded.");
        return Ok(());
    }
    w.paragraph(
        "In the terms of the Home Office Domestic Homicide Review library and its analyses, \
         as the panel has recorded them.",
    );
    let rows: Vec<Vec<String>> = Characteristic::ALL
        .iter()
        .map(|name| {
            let value = recorded
                .iter()
                .find(|c| c.name == *name)
                .map_or_else(|| "not recorded".to_string(), |c| c.value.clone());
            vec![capitalised(name.label()), value]
        })
        .collect();
    w.table(
        &["Characteristic", "Recorded"],
        &rows,
        "No case characteristics recorded.",
    );
    Ok(())
}

/// "type of death" as a table's first cell: "Type of death".
fn capitalised(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
