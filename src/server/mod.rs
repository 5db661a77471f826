//! Server-only code: configuration, state, the database layer, HTTP handlers, start-up.

pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod email;
pub mod error;
pub mod http;
pub mod serve;
pub mod service;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod tokens;
