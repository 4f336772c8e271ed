//! Files in: an agency's chronology CSV read into a case. Uses `store` and
//! `domain`, never the terminal.

pub mod chronology_csv;
mod encoding;
mod headers;

pub use chronology_csv::{
    BadRow, ImportError, ImportOptions, ImportReport, SourceEncoding, import_chronology,
};
