//! Middleware of every route: cross-site refusal (CSRF) and per-address rate limits.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::GovernorLayer;

use crate::server::state::AppState;

/// Limits a route's POSTs per client address: `burst` at once, then one every
/// `every_seconds`; more get 429 with Retry-After.
pub fn per_address(
    route: MethodRouter<AppState>,
    every_seconds: u64,
    burst: u32,
) -> MethodRouter<AppState> {
    let Some(config) = GovernorConfigBuilder::default()
        .per_second(every_seconds)
        .burst_size(burst)
        .methods(vec![axum::http::Method::POST])
        .finish()
    else {
        return route;
    };
    let config = std::sync::Arc::new(config);
    // Forget addresses that have not posted lately, so the limiter's memory stays small.
    let limiter = config.limiter().clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            tick.tick().await;
            limiter.retain_recent();
        }
    });
    route.layer(GovernorLayer::new(config))
}

/// Refuses state-changing requests from other sites (CSRF). Browsers say where a request comes
/// from in `Sec-Fetch-Site` (or at least `Origin`); forms of this app are always same-origin.
/// Requests with neither header (command-line tools, old browsers) carry no ambient cookie
/// risk from a third-party page and pass.
pub async fn same_origin_only(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::http::Method;
    let changes_state = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if changes_state && !from_this_site(request.headers()) {
        tracing::warn!("refused a cross-site request");
        return (
            StatusCode::FORBIDDEN,
            "Cross-site requests are not accepted.",
        )
            .into_response();
    }
    next.run(request).await
}

fn from_this_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .unwrap_or("");
    !host.is_empty() && origin_host == host
}

/// HSTS when the app is served over https, and `no-store` on redirects and JSON (a redirect
/// to a private link, or a save's reply, must not sit in a shared cache or the back-forward
/// cache of a shared device).
pub async fn security_headers(
    https: bool,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            header::HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if response.status().is_redirection() || json {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn same_origin_requests_pass_and_cross_site_ones_do_not() {
        assert!(from_this_site(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(from_this_site(&headers(&[("sec-fetch-site", "none")])));
        assert!(!from_this_site(&headers(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(!from_this_site(&headers(&[(
            "sec-fetch-site",
            "same-site"
        )])));
        assert!(from_this_site(&headers(&[
            ("origin", "http://a.example:3000"),
            ("host", "a.example:3000")
        ])));
        assert!(!from_this_site(&headers(&[
            ("origin", "https://evil.example"),
            ("host", "a.example")
        ])));
        assert!(!from_this_site(&headers(&[
            ("origin", "null"),
            ("host", "a.example")
        ])));
        assert!(from_this_site(&headers(&[])));
    }
}
