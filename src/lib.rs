//! TrustBridge: a self-hostable intake and referral tool for couples-therapy practices.
//!
//! - `domain`: the questionnaire and its scoring, pure Rust shared with the browser.
//! - `ui`: pages and the questionnaire island.
//! - `server` (feature `ssr`): configuration, database, HTTP.

// Deeply nested view types (the typed HTML of a page) need more than the default 128.
#![recursion_limit = "256"]

pub mod domain;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod server;

/// Browser entry point: hydrates the islands on the page, and nothing else.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
}
