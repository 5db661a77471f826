//! The use cases: what a client or a clinician can do, between HTTP and the database.
//!
//! Each takes the app's state and typed input, applies the domain's rules, reads and writes
//! through `db` (queuing email in the same transaction) and returns an outcome the HTTP layer
//! turns into a page. Nothing here knows of HTTP: no `axum`, no `server::http`, no pages
//! (`scripts/test` fails if one appears).

pub mod booking;
pub mod couples;
pub mod intake;
pub mod questionnaire;
pub mod referral;
pub mod workspace;
