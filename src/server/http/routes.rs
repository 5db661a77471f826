//! The route table and the form handlers.

use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Json, Redirect, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Form, Router};
use serde::Serialize;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use super::error::{AppError, Wants};
use super::{booking, couples, pages, staff, staff_admin, staff_availability};
use crate::server::auth::session_store::DbSessionStore;
use crate::server::questionnaire::{self as service, Outcome};
use crate::server::state::AppState;
use crate::server::telemetry;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::GovernorLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// Largest form body accepted: a full section plus a 2,000-character note fits many times over.
const MAX_FORM_BYTES: usize = 32 * 1024;

/// Limits a route's POSTs per client address: `burst` at once, then one every
/// `every_seconds`; more get 429 with Retry-After.
fn per_address(
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

/// Clinician pages: the only routes with a session (clients never get a cookie).
fn staff_routes(state: &AppState) -> Router<AppState> {
    let store = DbSessionStore(state.db.clone());
    let sessions = SessionManagerLayer::new(store)
        .with_name("tb_staff")
        .with_http_only(true)
        .with_secure(state.config.secure_cookies())
        .with_same_site(SameSite::Strict)
        .with_path("/staff")
        // Saving on every request is what makes the idle timeout count from the last request.
        .with_always_save(true)
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(
            state.config.session_idle_minutes,
        )));
    // Per address: 10 login attempts at once, then one every 6 seconds. (Per account, failed
    // logins also lock the account: see `auth::lockout`.)
    let login = per_address(get(staff::login_page).post(staff::login), 6, 10);
    Router::new()
        .route("/staff/login", login)
        .route("/staff/logout", post(staff::logout))
        .route("/staff", get(staff::submissions))
        .route("/staff/consults", get(staff::consults))
        .route("/staff/export.csv", get(staff::export_csv))
        .route(
            "/staff/clinicians",
            get(staff_admin::clinicians).post(staff_admin::create_clinician),
        )
        .route(
            "/staff/clinicians/{id}/active",
            post(staff_admin::set_active),
        )
        .route(
            "/staff/password",
            get(staff_admin::password_page).post(staff_admin::change_password),
        )
        .route("/staff/audit", get(staff_admin::audit_log))
        .route("/staff/availability", get(staff_availability::page))
        .route(
            "/staff/availability/rules",
            post(staff_availability::save_rules),
        )
        .route(
            "/staff/availability/hours",
            post(staff_availability::save_hours),
        )
        .route("/staff/email", get(staff_admin::outbox))
        .route("/staff/submissions/{reference}", get(staff::submission))
        .route(
            "/staff/submissions/{reference}/status",
            post(staff::move_status),
        )
        .route(
            "/staff/submissions/{reference}/notes",
            post(staff::add_note),
        )
        .route(
            "/staff/submissions/{reference}/book",
            post(staff::book_consult),
        )
        .route(
            "/staff/submissions/{reference}/consult/cancel",
            post(staff::cancel_consult),
        )
        .route(
            "/staff/submissions/{reference}/delete",
            post(staff::delete_submission),
        )
        .layer(sessions)
}

pub fn router(state: AppState) -> Router {
    let pkg_dir = format!("{}/{}", state.leptos.site_root, state.leptos.site_pkg_dir);
    let pkg_route = format!("/{}", state.leptos.site_pkg_dir);
    let assets = Router::new()
        .nest_service(
            &pkg_route,
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        ));
    Router::new()
        .route("/", get(pages::landing))
        .route("/contact", get(pages::contact))
        .route("/start", post(start))
        .route("/q/{token}", get(pages::resume))
        .route(
            "/q/{token}/s/{section}",
            get(pages::section).post(save_section),
        )
        .route("/q/{token}/result", get(pages::result))
        .route("/q/{token}/book", get(booking::choose).post(booking::book))
        .route("/q/{token}/book/confirm", get(booking::confirm))
        .route("/q/{token}/invite", post(couples::invite))
        .route("/q/{token}/invite/withdraw", post(couples::withdraw))
        // The practice's mail server must not become anyone's way to write to strangers: a
        // few invitations per address, then one a minute (and a few per invitation).
        .route(
            "/q/{token}/invite/email",
            per_address(post(couples::email_invite), 60, 10),
        )
        .route(
            "/q/{token}/private",
            get(couples::check_in).post(couples::save_check_in),
        )
        .route("/join/{invite}", get(couples::welcome).post(couples::join))
        .route("/b/{token}", get(booking::manage))
        .route(
            "/b/{token}/cancel",
            get(booking::cancel_page).post(booking::cancel),
        )
        .route(
            "/b/{token}/reschedule",
            get(booking::reschedule_page).post(booking::reschedule),
        )
        .route("/healthz", get(health))
        .merge(staff_routes(&state))
        .merge(assets)
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(same_origin_only))
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
        // brotli or gzip for pages and the browser bundle, as the client accepts.
        .layer(CompressionLayer::new())
        .layer(telemetry::trace_layer())
        // A bug must cost one request a plain 500, never the connection or the process.
        .layer(CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                tracing::error!("handler panicked");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on our side.",
                )
                    .into_response()
            },
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        ))
        .with_state(state)
}

async fn health(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => "ok".into_response(),
        Err(e) => AppError::from(e).into_response(),
    }
}

/// `POST /start`: begin a questionnaire and go to its first section.
async fn start(State(state): State<AppState>) -> Response {
    match service::start(&state).await {
        Ok(token) => Redirect::to(&format!("/q/{}/s/1", token.as_str())).into_response(),
        Err(e) => e.into_response_for(Wants::Html, &state),
    }
}

/// The island's view of a saved section (see `ui::components::browser::SaveReply`).
#[derive(Serialize)]
struct SaveReply {
    saved: bool,
    next: Option<String>,
    missing: Vec<String>,
    message: Option<&'static str>,
}

/// `POST /q/<token>/s/<n>`: save a section. A plain form gets a redirect (303, so a reload
/// never re-posts); the island, asking for JSON, gets where to go next.
async fn save_section(
    State(state): State<AppState>,
    Path((token, section)): Path<(String, String)>,
    headers: HeaderMap,
    form: Result<Form<Vec<(String, String)>>, axum::extract::rejection::FormRejection>,
) -> Response {
    let wants = Wants::from_headers(&headers);
    let outcome = async {
        let section = service::section_number(&section)?;
        let form = super::form::read(form)?;
        service::save_section(&state, &token, section, form).await
    }
    .await;
    let outcome = match outcome {
        Ok(outcome) => outcome,
        Err(e) => return e.into_response_for(wants, &state),
    };
    let base = format!("/q/{token}");
    let (next, missing, message) = match outcome {
        Outcome::Saved => (None, Vec::new(), None),
        Outcome::Section(n) => (Some(format!("{base}/s/{n}")), Vec::new(), None),
        Outcome::Submitted => (Some(format!("{base}/result")), Vec::new(), None),
        Outcome::Incomplete { section, missing } => (
            Some(format!("{base}/s/{section}")),
            missing,
            Some("A few statements still need an answer. They are marked below; everything else is saved."),
        ),
    };
    match wants {
        Wants::Json => (
            StatusCode::OK,
            Json(SaveReply {
                saved: true,
                next,
                missing,
                message,
            }),
        )
            .into_response(),
        Wants::Html => {
            let target = match (next, missing.is_empty()) {
                (Some(url), true) => url,
                (Some(url), false) => format!("{url}?check=1"),
                (None, _) => format!("{base}/s/{section}"),
            };
            Redirect::to(&target).into_response()
        }
    }
}

/// Refuses state-changing requests from other sites (CSRF). Browsers say where a request comes
/// from in `Sec-Fetch-Site` (or at least `Origin`); forms of this app are always same-origin.
/// Requests with neither header (command-line tools, old browsers) carry no ambient cookie
/// risk from a third-party page and pass.
async fn same_origin_only(
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

#[cfg(test)]
mod tests {
    use super::*;

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
