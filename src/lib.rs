//! DHR Panel: a full-screen terminal workspace for Domestic Homicide Review panels.
//!
//! Layers, kept separate: `domain` (types and rules, no I/O) ← `store` (the only SQL) ←
//! `app` (state and update) ← `ui` (read-only drawing) ← `tui` (the terminal); `cli`
//! parses arguments and dispatches.
#![forbid(unsafe_code)]

pub mod app;
pub mod cli;
pub mod demo;
pub mod domain;
pub mod export;
pub mod import;
pub mod login;
pub mod manual;
pub mod screenshots;
pub mod seat;
pub mod store;
pub mod time;
pub mod tui;
pub mod ui;
