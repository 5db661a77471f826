//! The route table: which handler answers which path, and the layers around them all.

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use super::middleware::{per_address, same_origin_only};
use super::{booking, consent, couples, intake, pages, questionnaire, referral, staff};
use crate::server::auth::session_store::DbSessionStore;
use crate::server::state::AppState;
use crate::server::telemetry;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

/// Largest form body accepted: a full section plus a 2,000-character note fits many times over.
const MAX_FORM_BYTES: usize = 32 * 1024;

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
    let login = per_address(state, get(staff::login_page).post(staff::login), 6, 10);
    Router::new()
        .route("/staff/login", login)
        .route(
            "/staff/login/code",
            per_address(
                state,
                get(staff::two_step::code_form).post(staff::two_step::check_code),
                6,
                10,
            ),
        )
        .route("/staff/logout", post(staff::logout))
        // Codes tried outside the login: a few, then one every 6 seconds per address (and
        // each wrong one counts toward the account's lock).
        .route(
            "/staff/two-step",
            per_address(
                state,
                get(staff::two_step::settings).post(staff::two_step::enable),
                6,
                10,
            ),
        )
        .route(
            "/staff/two-step/change",
            per_address(state, post(staff::two_step::change), 6, 10),
        )
        .route(
            "/staff/clinicians/{id}/two-step/off",
            post(staff::two_step::admin_off),
        )
        .route("/staff", get(staff::submissions))
        .route("/staff/consults", get(staff::consults))
        .route("/staff/export.csv", get(staff::export_csv))
        .route(
            "/staff/clinicians",
            get(staff::admin::clinicians).post(staff::admin::create_clinician),
        )
        .route(
            "/staff/clinicians/{id}/active",
            post(staff::admin::set_active),
        )
        .route("/staff/clinicians/{id}/unlock", post(staff::admin::unlock))
        .route(
            "/staff/clinicians/{id}/profile",
            get(staff::admin::profile_page).post(staff::admin::save_profile),
        )
        .route(
            "/staff/password",
            get(staff::admin::password_page).post(staff::admin::change_password),
        )
        .route("/staff/audit", get(staff::admin::audit_log))
        .route("/staff/availability", get(staff::availability::page))
        .route(
            "/staff/calendar-feed",
            get(staff::calendar_feed::settings).post(staff::calendar_feed::make),
        )
        .route(
            "/staff/calendar-feed/stop",
            post(staff::calendar_feed::stop),
        )
        .route(
            "/staff/availability/rules",
            post(staff::availability::save_rules),
        )
        .route(
            "/staff/availability/hours",
            post(staff::availability::save_hours),
        )
        .route("/staff/email", get(staff::admin::outbox))
        .route("/staff/submissions/{reference}", get(staff::submission))
        .route(
            "/staff/submissions/{reference}/status",
            post(staff::move_status),
        )
        .route(
            "/staff/submissions/{reference}/owner",
            post(staff::assign_owner),
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
            "/staff/submissions/{reference}/first-contact",
            post(staff::record_first_contact),
        )
        .route(
            "/staff/submissions/{reference}/referrals",
            post(staff::refer),
        )
        .route(
            "/staff/submissions/{reference}/referrals/{id}",
            post(staff::update_referral),
        )
        .route(
            "/staff/submissions/{reference}/referrals/{id}/print",
            get(staff::print_referral),
        )
        .route("/staff/report", get(staff::report::page))
        .route("/staff/report.csv", get(staff::report::export))
        .route("/staff/intake-form", get(staff::intake_form::page))
        .route("/staff/intake-form.json", get(staff::intake_form::export))
        .route(
            "/staff/intake-form/questions",
            post(staff::intake_form::add),
        )
        .route(
            "/staff/intake-form/change",
            post(staff::intake_form::change),
        )
        .route(
            "/staff/intake-form/import",
            post(staff::intake_form::import)
                .layer(DefaultBodyLimit::max(staff::intake_form::MAX_FILE_BYTES)),
        )
        .route("/staff/directory", get(staff::directory::page))
        .route(
            "/staff/directory/new",
            get(staff::directory::new_page).post(staff::directory::create),
        )
        .route("/staff/directory.csv", get(staff::directory::export))
        .route(
            "/staff/directory/import",
            post(staff::directory::import)
                .layer(DefaultBodyLimit::max(staff::directory::MAX_IMPORT_BYTES)),
        )
        .route(
            "/staff/directory/{id}",
            get(staff::directory::edit_page).post(staff::directory::update),
        )
        .route(
            "/staff/directory/{id}/retire",
            post(staff::directory::retire),
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

/// A client's private-link pages. Every page leads to the consent page until the client has
/// agreed to the practice's policy as it reads today (`consent::required`).
/// Booking, moving and cancelling mail the client and the practice: a burst per client
/// address, then one every 30 seconds (`BOOKING_BURST`; 0 turns it off). The database caps
/// per questionnaire and per booking hold across instances (`BOOKINGS_PER_DAY`,
/// `MOVES_PER_BOOKING`).
fn limit_booking(state: &AppState, route: MethodRouter<AppState>) -> MethodRouter<AppState> {
    match state.config.booking_burst {
        0 => route,
        burst => per_address(state, route, 30, burst),
    }
}

fn private_link_routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/q/{token}", get(questionnaire::resume))
        .route(
            "/q/{token}/s/{section}",
            get(questionnaire::section).post(questionnaire::save_section),
        )
        .route(
            "/q/{token}/about",
            get(intake::about).post(intake::save_about),
        )
        .route(
            "/q/{token}/about/more",
            get(intake::more).post(intake::save_more),
        )
        .route("/q/{token}/result", get(questionnaire::result))
        .route(
            "/q/{token}/reach",
            get(couples::reach).post(couples::save_reach),
        )
        .route("/q/{token}/end", post(questionnaire::end_link))
        .route(
            "/q/{token}/book",
            limit_booking(state, get(booking::choose).post(booking::book)),
        )
        .route("/q/{token}/book/confirm", get(booking::confirm))
        .route("/q/{token}/invite", post(couples::invite))
        .route("/q/{token}/invite/withdraw", post(couples::withdraw))
        // The practice's mail server must not become anyone's way to write to strangers: a
        // few invitations per address, then one a minute (and a few per invitation).
        .route(
            "/q/{token}/invite/email",
            per_address(state, post(couples::email_invite), 60, 10),
        )
        .route(
            "/q/{token}/private",
            get(couples::check_in).post(couples::save_check_in),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            consent::required,
        ))
        .route(
            "/q/{token}/consent",
            get(consent::page).post(consent::agree),
        )
}

/// How long one request may take before it is answered 503: far above any page (milliseconds),
/// so only a stuck request meets it.
const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// How long a request's body may take to arrive (a form is a few kilobytes; the largest upload
/// is a few megabytes): a client trickling one is answered before `REQUEST_TIMEOUT`.
const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

pub fn router(state: AppState) -> Router {
    let https = state.config.secure_cookies();
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
        // Each start creates a submission: a burst (a waiting room's shared Wi-Fi), then one
        // every 30 seconds per address (`START_BURST`; 0 turns it off).
        .route("/start", {
            let start = get(consent::before_start).post(consent::start);
            match state.config.start_burst {
                0 => start,
                burst => per_address(&state, start, 30, burst),
            }
        })
        .merge(private_link_routes(&state))
        .route("/join/{invite}", get(couples::welcome).post(couples::join))
        .route("/r/{token}", get(referral::page))
        .route(
            "/r/{token}/{answer}",
            get(referral::confirm).post(referral::answer),
        )
        .route("/b/{token}", get(booking::manage))
        .route(
            "/b/{token}/cancel",
            limit_booking(&state, get(booking::cancel_page).post(booking::cancel)),
        )
        .route(
            "/b/{token}/reschedule",
            limit_booking(
                &state,
                get(booking::reschedule_page).post(booking::reschedule),
            ),
        )
        // A clinician's calendar app reads their consults here (the secret is the address).
        .route("/calendar/{file}", get(staff::calendar_feed::feed))
        .route("/healthz", get(pages::health))
        .merge(staff_routes(&state))
        .merge(assets)
        .fallback(pages::not_found)
        // Every error a handler returns becomes its page (or JSON) here, in one place.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::error::render_error_pages,
        ))
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
        // Nothing here needs a camera, a microphone, the location or payment.
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(
                "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        // Behind https, browsers must never come back over plain http.
        .layer(axum::middleware::from_fn(move |request, next| {
            super::middleware::security_headers(https, request, next)
        }))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            BODY_TIMEOUT,
        ))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .with_state(state)
}
