//! The publication checklist (issue 17, item 6): each item a dated, audited record, one
//! live per item and case (`Writer::set_publication_item`), saved by the case view's
//! publication form (`u`).

use chrono::NaiveDate;

use super::review::publication_item_in;
use super::{Result, Store, StoreError};
use crate::domain::review::PublicationItem;

impl Store {
    /// Records the date an item of the publication checklist was done (`None`: not yet)
    /// and its detail (where it was published, who was told, the library reference).
    /// `editing` is the live record the form was opened on (`None` for an item never
    /// recorded); one recorded meanwhile by someone else is not overwritten.
    pub fn save_publication_item(
        &mut self,
        case_id: i64,
        item: PublicationItem,
        editing: Option<i64>,
        done_on: Option<NaiveDate>,
        detail: &str,
    ) -> Result<()> {
        self.write(|w| {
            let live = publication_item_in(w.tx(), case_id, item)?.map(|r| r.id);
            if live != editing {
                return Err(StoreError::Rule(format!(
                    "\"{item}\" was recorded by someone else while the form was open: press u again to see it"
                )));
            }
            w.set_publication_item(case_id, item, done_on, Some(detail.trim()))
        })
    }
}
