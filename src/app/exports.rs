//! The export chooser's old entry point, kept while the case view still calls it: the
//! exports live with the Minutes pane (`panes/minutes/export.rs`). The case view opens
//! the case-pack chooser with `App::open_case_pack_export`.

use super::App;

/// Opens the chooser of case-pack exports (from the case view).
pub(crate) fn choose_case_export(app: &mut App) {
    app.open_case_pack_export();
}
