//! Pure domain layer shared by server and browser: the intake questionnaire
//! and its scoring. No I/O, no async, no framework types — only `serde`, so it
//! compiles for wasm32 and is tested without a server, database or browser.

pub mod questionnaire;
pub mod scoring;
pub mod workflow;
