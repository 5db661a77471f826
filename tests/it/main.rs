//! Every integration test, in one binary: each starts the real server binary with a fresh
//! database (SQLite or PostgreSQL) and talks to it over HTTP, and the email tests run a real SMTP
//! server on loopback. One binary instead of one per file links the app once, which keeps a
//! clean build's disk use and time down.

#[macro_use]
mod common;

mod at_rest;
mod audit;
mod backup;
mod booking;
mod connections;
mod couples;
mod email;
mod hardening;
mod instances;
mod instrument;
mod intake;
mod owners;
mod pathway;
mod pg_tls;
mod questionnaire;
mod reading_level;
mod referral;
mod report;
mod retention;
mod safety;
mod safety_filter;
mod sessions;
mod staff;
mod startup;
mod two_step;
mod upgrade;
