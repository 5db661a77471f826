//! Pure domain layer: the intake questionnaire and its scoring, the practice's workflow, and
//! consult slots. No I/O, no async, no framework types, so it is tested without a server,
//! database or browser.
//!
//! `consent`, `questionnaire`, `scoring`, `support` and `workflow` use only `serde` and compile for wasm32
//! too.
//! `booking` needs `chrono` and `chrono-tz` (the time-zone database); the browser never computes
//! slots, so it is built with the server only.

#[cfg(feature = "ssr")]
pub mod booking;
pub mod consent;
pub mod contact;
pub mod couple;
pub mod form;
#[cfg(feature = "ssr")]
pub mod intake;
pub mod questionnaire;
#[cfg(feature = "ssr")]
pub mod referral;
#[cfg(feature = "ssr")]
pub mod report;
pub mod routing;
pub mod safe_contact;
pub mod scoring;
pub mod support;
pub mod workflow;
