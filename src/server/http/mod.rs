//! HTTP: the route table, middleware, handlers (one module per flow), page rendering and the
//! one error-to-response mapping. Handlers extract, call a use case (`server::service`) and
//! turn its outcome into a page or a redirect.

pub mod booking;
pub mod consent;
pub mod couples;
pub mod error;
pub mod extract;
pub mod guard;
pub mod intake;
pub mod middleware;
pub mod pages;
pub mod questionnaire;
pub mod referral;
pub mod render;
pub mod routes;
pub mod staff;
