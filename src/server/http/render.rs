//! Turns a page view into an HTML response with the headers every page carries.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use leptos::nonce::{provide_nonce, use_nonce};
use leptos::prelude::*;
use leptos::reactive::owner::Owner;

use crate::server::state::AppState;
use crate::ui::layout::{Document, PageMeta};

/// A workspace page: like [`page`], without the clients' quick exit.
pub fn staff_page<V>(
    state: &AppState,
    status: StatusCode,
    title: &str,
    body: impl FnOnce() -> V + Send + 'static,
) -> Response
where
    V: IntoView + 'static,
{
    document(state, status, title, false, None, body)
}

/// A page for clients, with a quick exit to a neutral site.
pub fn page<V>(
    state: &AppState,
    status: StatusCode,
    title: &str,
    interactive: bool,
    body: impl FnOnce() -> V + Send + 'static,
) -> Response
where
    V: IntoView + 'static,
{
    let quick_exit = Some(state.config.quick_exit_url.clone());
    document(state, status, title, interactive, quick_exit, body)
}

/// Renders `body` inside the site's document.
///
/// Each response gets a fresh CSP nonce: only our own scripts (the island loader) run, nothing
/// from another origin can load, and no inline script an attacker injected would execute.
fn document<V>(
    state: &AppState,
    status: StatusCode,
    title: &str,
    interactive: bool,
    quick_exit: Option<String>,
    body: impl FnOnce() -> V + Send + 'static,
) -> Response
where
    V: IntoView + 'static,
{
    let meta = PageMeta {
        title: title.to_owned(),
        practice_name: state.config.practice_name.clone(),
        interactive,
        quick_exit,
        support: crate::ui::components::support::footer_lines(&state.config.support),
    };
    let options = state.leptos.clone();
    let owner = Owner::new();
    let (html, nonce) = owner.with(move || {
        provide_nonce();
        let nonce = use_nonce().map(|n| n.to_string()).unwrap_or_default();
        let html = view! { <Document options=options meta=meta>{body()}</Document> }.to_html();
        (html, nonce)
    });
    let csp = format!(
        "default-src 'none'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    );
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    // Pages can hold private answers: never keep them in a shared or back/forward cache.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}
