//! Server-only code: configuration, state, the database layer, HTTP handlers, start-up.

pub mod auth;
pub mod booking;
pub mod cli;
pub mod config;
pub mod couples;
pub mod db;
pub mod email;
pub mod http;
pub mod questionnaire;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod tokens;
