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
    state: &AppState,
    route: MethodRouter<AppState>,
    every_seconds: u64,
    burst: u32,
) -> MethodRouter<AppState> {
    let client = ClientAddress {
        trusted: std::sync::Arc::new(state.config.trusted_proxies.clone()),
    };
    let Some(config) = GovernorConfigBuilder::default()
        .per_second(every_seconds)
        .burst_size(burst)
        .methods(vec![axum::http::Method::POST])
        .key_extractor(client)
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
    route.layer(GovernorLayer::new(config).error_handler(too_many))
}

/// What someone limited reads: a calm page of our own (no internals), with `Retry-After`.
fn too_many(error: tower_governor::GovernorError) -> Response {
    let tower_governor::GovernorError::TooManyRequests { wait_time, headers } = error else {
        return error.into();
    };
    let page = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex, nofollow\">\
         <title>Please wait a moment</title>\
         <link rel=\"stylesheet\" href=\"/pkg/trustbridge.css\"></head>\
         <body><main><section class=\"card\"><h1>Please wait a moment</h1>\
         <p>There have been many tries from this connection just now. Please wait {wait_time} \
         seconds, then try again.</p><p><a href=\"/\">Go to the start page</a></p>\
         </section></main></body></html>"
    );
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        page,
    )
        .into_response();
    if let Some(headers) = headers {
        response.headers_mut().extend(headers);
    }
    response
}

/// The address a request comes from, for the per-address limits: the peer, or, when the peer
/// is one of `TRUSTED_PROXIES`, the nearest address in `X-Forwarded-For` that is not (a client
/// can write anything at the left of that header; only what the practice's own proxies added
/// counts).
#[derive(Debug, Clone)]
pub struct ClientAddress {
    pub trusted: std::sync::Arc<Vec<ipnet::IpNet>>,
}

impl ClientAddress {
    fn trusts(&self, address: std::net::IpAddr) -> bool {
        self.trusted.iter().any(|net| net.contains(&address))
    }

    /// The client's address, given the peer and the `X-Forwarded-For` values in order. An
    /// IPv4 client seen as IPv4-mapped IPv6 (`::ffff:a.b.c.d`, from a dual-stack listener or a
    /// proxy) is the IPv4 client it is, for the trusted proxies and for its own key.
    pub fn resolve<'a>(
        &self,
        peer: std::net::IpAddr,
        forwarded: impl Iterator<Item = &'a str>,
    ) -> std::net::IpAddr {
        self.resolve_canonical(peer.to_canonical(), forwarded)
    }

    fn resolve_canonical<'a>(
        &self,
        peer: std::net::IpAddr,
        forwarded: impl Iterator<Item = &'a str>,
    ) -> std::net::IpAddr {
        if !self.trusts(peer) {
            return peer;
        }
        let hops: Vec<&str> = forwarded
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect();
        let mut client = peer;
        for hop in hops.into_iter().rev() {
            match hop.parse::<std::net::IpAddr>().map(|a| a.to_canonical()) {
                Ok(address) => {
                    client = address;
                    if !self.trusts(address) {
                        break;
                    }
                }
                // Unreadable: stop at the last address that could be read.
                Err(_) => break,
            }
        }
        client
    }
}

impl tower_governor::key_extractor::KeyExtractor for ClientAddress {
    type Key = std::net::IpAddr;

    fn extract<T>(
        &self,
        req: &axum::http::Request<T>,
    ) -> Result<Self::Key, tower_governor::GovernorError> {
        let peer = req
            .extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip())
            .ok_or(tower_governor::GovernorError::UnableToExtractKey)?;
        let forwarded = req
            .headers()
            .get_all("x-forwarded-for")
            .into_iter()
            .filter_map(|v| v.to_str().ok());
        Ok(per_device(self.resolve(peer, forwarded)))
    }
}

/// The device a request comes from, as the rate limits count it (the client behind a trusted
/// proxy; an IPv6 /64).
pub fn client_device(
    state: &AppState,
    peer: std::net::IpAddr,
    headers: &HeaderMap,
) -> std::net::IpAddr {
    let client = ClientAddress {
        trusted: std::sync::Arc::new(state.config.trusted_proxies.clone()),
    };
    let forwarded = headers
        .get_all("x-forwarded-for")
        .into_iter()
        .filter_map(|v| v.to_str().ok());
    per_device(client.resolve(peer, forwarded))
}

/// The key one device is counted under: its IPv4 address, or its IPv6 /64 (a device may use
/// many addresses inside the /64 it is given).
pub(crate) fn per_device(address: std::net::IpAddr) -> std::net::IpAddr {
    match address.to_canonical() {
        std::net::IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            std::net::IpAddr::V6(std::net::Ipv6Addr::from(bits))
        }
        v4 => v4,
    }
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
    fn the_client_is_the_peer_unless_a_trusted_proxy_forwarded_it() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().expect("ip");
        let none = ClientAddress {
            trusted: std::sync::Arc::new(Vec::new()),
        };
        // Without trusted proxies the header is anyone's to write: ignored.
        assert_eq!(
            none.resolve(ip("198.51.100.7"), ["203.0.113.9"].into_iter()),
            ip("198.51.100.7")
        );
        let proxies = ClientAddress {
            trusted: std::sync::Arc::new(vec![
                "10.0.0.0/8".parse().expect("net"),
                "127.0.0.1/32".parse().expect("net"),
            ]),
        };
        // Behind the practice's proxies: the nearest address they did not add.
        assert_eq!(
            proxies.resolve(
                ip("127.0.0.1"),
                ["6.6.6.6, 203.0.113.9", "10.1.2.3"].into_iter()
            ),
            ip("203.0.113.9"),
            "what the client wrote further left does not count"
        );
        // A peer that is no proxy of ours: its header does not count.
        assert_eq!(
            proxies.resolve(ip("198.51.100.7"), ["203.0.113.9"].into_iter()),
            ip("198.51.100.7")
        );
        // A proxy that sent no header, or nonsense: the last address that could be read.
        assert_eq!(
            proxies.resolve(ip("10.0.0.2"), std::iter::empty()),
            ip("10.0.0.2")
        );
        assert_eq!(
            proxies.resolve(ip("10.0.0.2"), ["not-an-address"].into_iter()),
            ip("10.0.0.2")
        );
        // One device, many IPv6 addresses: one key.
        assert_eq!(
            per_device(ip("2001:db8:1:2:aaaa::1")),
            per_device(ip("2001:db8:1:2:bbbb::9"))
        );
        assert_ne!(
            per_device(ip("2001:db8:1:2::1")),
            per_device(ip("2001:db8:1:3::1"))
        );
        assert_eq!(per_device(ip("192.0.2.4")), ip("192.0.2.4"));
    }

    #[test]
    fn ipv4_clients_seen_as_ipv4_mapped_addresses_keep_keys_of_their_own() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().expect("ip");
        // Two IPv4 clients behind a dual-stack listener: two keys, not one "::".
        assert_eq!(per_device(ip("::ffff:203.0.113.1")), ip("203.0.113.1"));
        assert_ne!(
            per_device(ip("::ffff:203.0.113.1")),
            per_device(ip("::ffff:198.51.100.2"))
        );
        // A trusted proxy is trusted however its address is written, and so is the header.
        let proxies = ClientAddress {
            trusted: std::sync::Arc::new(vec!["127.0.0.1/32".parse().expect("net")]),
        };
        assert_eq!(
            proxies.resolve(ip("::ffff:127.0.0.1"), ["::ffff:203.0.113.1"].into_iter()),
            ip("203.0.113.1")
        );
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
