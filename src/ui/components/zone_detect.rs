//! Shows consult times in the client's own time zone without asking, when the browser can tell.
//!
//! The time picker is server-rendered in the practice's zone with a zone menu (JavaScript off,
//! the client picks their zone from the menu). With JavaScript on, this island reads the
//! browser's zone once and, if the menu offers it, reloads the page with it chosen. It runs only
//! on a picker opened without a `tz` parameter, so it can never loop.

use leptos::prelude::*;

#[island]
pub fn ZoneDetector() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::detect();
}

#[cfg(feature = "hydrate")]
mod browser {
    use wasm_bindgen::JsValue;

    /// The browser's IANA zone, e.g. `Europe/Berlin`.
    fn browser_zone() -> Option<String> {
        let format =
            js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
        let options = format.resolved_options();
        js_sys::Reflect::get(&options, &JsValue::from_str("timeZone"))
            .ok()?
            .as_string()
    }

    pub fn detect() {
        let Some(window) = web_sys::window() else {
            return;
        };
        let Some(document) = window.document() else {
            return;
        };
        let Some(zone) = browser_zone() else {
            return;
        };
        // Only names the menu offers (and so the server knows), and only when it differs.
        let safe = zone
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/_+-".contains(&b));
        if !safe {
            return;
        }
        let offered = document
            .query_selector(&format!("#tz option[value=\"{zone}\"]"))
            .ok()
            .flatten()
            .is_some();
        let current = document
            .query_selector("#tz option[selected]")
            .ok()
            .flatten()
            .and_then(|o| o.get_attribute("value"));
        if !offered || current.as_deref() == Some(zone.as_str()) {
            return;
        }
        let location = window.location();
        if let Ok(path) = location.pathname() {
            let encoded: String = js_sys::encode_uri_component(&zone).into();
            let _ = location.replace(&format!("{path}?tz={encoded}"));
        }
    }
}
