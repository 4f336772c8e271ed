//! Readers of typed form fields that several panes share: a field read, checked by a
//! domain rule, and marked on the form when the rule refuses it.

use chrono::NaiveDate;

use super::FieldId;
use crate::app::form::Form;
use crate::domain::date::parse_exact_day;

/// The one exact day typed into the field `id` (`None` when it is empty), marking the
/// field with the reason when it is not a single day.
pub(crate) fn exact_day(
    form: &mut Form,
    id: impl Into<FieldId>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let id = id.into();
    parse_exact_day(&form.text(id), today)
        .map_err(|e| form.mark(id, e))
        .ok()
        .flatten()
}
