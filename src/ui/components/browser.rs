//! The few browser calls the questionnaire island makes: posting a section with `fetch`,
//! updating the address bar, moving focus. On the server these compile but never run.

use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The server's answer to a section saved with JavaScript on (see the section handler).
#[derive(Debug, Clone, Deserialize)]
pub struct SaveReply {
    pub saved: bool,
    /// Where to go next: another section or the result page.
    #[serde(default)]
    pub next: Option<String>,
    /// Item ids the server found unanswered in this section.
    #[serde(default)]
    pub missing: Vec<String>,
    /// A message for the person, when something is wrong.
    #[serde(default)]
    pub message: Option<String>,
}

/// Percent-encodes one form value.
pub fn encode(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

/// POSTs a url-encoded form and reads the JSON reply.
pub async fn post_form(url: &str, body: String) -> Result<SaveReply, JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let headers = web_sys::Headers::new()?;
    headers.set("Content-Type", "application/x-www-form-urlencoded")?;
    headers.set("Accept", "application/json")?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&body));
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await?
        .dyn_into()?;
    let text = JsFuture::from(response.text()?).await?;
    let text = text.as_string().unwrap_or_default();
    serde_json::from_str(&text).map_err(|_| JsValue::from_str("unexpected reply"))
}

/// Records a section change in the address bar so a reload reopens the same section.
pub fn push_url(url: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(url));
    }
}

/// The section number in the current address (`…/s/3`), if any.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub fn section_in_url() -> Option<u8> {
    let path = web_sys::window()?.location().pathname().ok()?;
    path.rsplit_once("/s/")?.1.parse().ok()
}

pub fn go_to(url: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_href(url);
    }
}

/// Moves keyboard and screen-reader focus to the element with `id`.
pub fn focus(id: &str) {
    let element = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}

pub fn scroll_to_top() {
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// The `value` of the button that submitted a form (`back` or `next`).
pub fn submitter_value(ev: &web_sys::SubmitEvent) -> Option<String> {
    ev.submitter()?.get_attribute("value")
}
