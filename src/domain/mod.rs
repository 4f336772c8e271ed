//! Plain types and rules of a review, with no I/O: fuzzy dates, the statutory clock,
//! return rules and the display sanitiser.

pub mod challenge;
pub mod characteristics;
pub mod clock;
pub mod coverage;
pub mod date;
pub mod document;
pub mod family;
pub mod filter;
pub mod fingerprint;
pub mod gaps;
pub mod imr;
pub mod markdown;
pub mod minuting;
pub mod model;
pub mod plan;
pub mod prompts;
pub mod pseudonym;
pub mod publication;
pub mod record;
pub mod register;
pub mod review;
pub mod stage;
pub mod text;
