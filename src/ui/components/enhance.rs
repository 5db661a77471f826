//! Browser-side enhancement of the server-rendered questionnaire form (JavaScript on).
//!
//! - Instant check: "continue" with unanswered statements marks them at once, with the same
//!   words and markup the server uses, and moves focus to the first.
//! - Every answer is saved as it is chosen, so a reload or a lost connection loses nothing.
//! - Sections change without a full page load: the form is posted with `fetch` to the same URL
//!   a plain form uses; the server's redirect is followed and the new page's `<main>` is
//!   swapped in. The server stays the one place that validates and renders.
//!
//! Listeners hang on the document, so they keep working after `<main>` is swapped.

use std::cell::Cell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Document, Element, Event, HtmlElement, HtmlFormElement, Response};

use super::questionnaire_form::{FORM_ID, INTAKE_FORM_ID, MISSING_MESSAGE};

const SECTION_INCOMPLETE: &str =
    "A few statements still need an answer. They are marked below; everything else is saved.";
const OFFLINE: &str = "We couldn't reach the practice's server. Your answers on this page are \
                       still here: please check your connection and try again.";
const SAVED: &str = "Saved.";
const NOT_SAVED: &str = "Not saved yet: we'll try again when you continue.";

thread_local! {
    /// A section is being sent: ignore further submits (double clicks).
    static BUSY: Cell<bool> = const { Cell::new(false) };
}

/// Hooks the enhancer up. Called once, when the island hydrates.
pub fn install() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };
    mark_ready(&document);
    listen(&document, "change", on_change);
    listen(&document, "click", on_quick_exit);
    listen(&document, "submit", on_submit);
    listen(&window, "popstate", |_| {
        if let Some(url) = web_sys::window().and_then(|w| w.location().href().ok()) {
            spawn_local(open(url));
        }
    });
}

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

fn listen(target: &web_sys::EventTarget, event: &str, handler: fn(Event)) {
    let closure = Closure::<dyn FnMut(Event)>::new(move |e: Event| handler(e));
    let _ = target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    closure.forget();
}

fn mark_ready(document: &Document) {
    if let Some(form) = document.get_element_by_id(FORM_ID) {
        let _ = form.set_attribute("data-ready", "true");
    }
}

fn set_status(text: &str) {
    if let Some(status) = document().and_then(|d| d.get_element_by_id("save-status")) {
        status.set_text_content(Some(text));
    }
}

fn questionnaire_form(event: &Event) -> Option<HtmlFormElement> {
    form_with_id(event, FORM_ID)
}

fn form_with_id(event: &Event, id: &str) -> Option<HtmlFormElement> {
    let target: Element = event.target()?.dyn_into().ok()?;
    target.closest(&format!("form#{id}")).ok()??.dyn_into().ok()
}

/// "Quick exit": leave at once, replacing this page in the history so Back does not return.
fn on_quick_exit(event: Event) {
    let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    let Ok(Some(link)) = target.closest("a.quick-exit") else {
        return;
    };
    let Some(href) = link.get_attribute("href") else {
        return;
    };
    event.prevent_default();
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace(&href);
    }
}

/// An answer was chosen (or the note edited): clear its mark and save it.
fn on_change(event: Event) {
    let Some(form) = questionnaire_form(&event) else {
        return;
    };
    let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    let name = target.get_attribute("name").unwrap_or_default();
    let value = if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        input.value()
    } else if let Some(area) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        area.value()
    } else {
        return;
    };
    if name.starts_with("q_") {
        if let Ok(Some(fieldset)) = target.closest("fieldset") {
            clear_mark(&fieldset);
        }
    } else if name != "note" {
        return;
    }
    let body = format!("nav=save&{}={}", encode(&name), encode(&value));
    let url = form.action();
    spawn_local(async move {
        let saved = post(&url, body, true)
            .await
            .map(|r| r.ok())
            .unwrap_or(false);
        set_status(if saved { SAVED } else { NOT_SAVED });
    });
}

/// The button that sent a form: "next" unless it says otherwise.
fn submitter_value(event: &Event) -> String {
    event
        .dyn_ref::<web_sys::SubmitEvent>()
        .and_then(|e| e.submitter())
        .and_then(|b| b.get_attribute("value"))
        .unwrap_or_else(|| "next".to_owned())
}

/// "Continue" or "Back" on an intake page: post it as the plain form would and show the page
/// the server answers with in place of this one, in the history too, so that after a quick
/// exit Back does not return to the answers.
fn on_intake_submit(event: &Event) {
    let Some(form) = form_with_id(event, INTAKE_FORM_ID) else {
        return;
    };
    event.prevent_default();
    if BUSY.with(Cell::get) {
        return;
    }
    let Some(body) = form_body(&form, &submitter_value(event)) else {
        return;
    };
    let url = form.action();
    BUSY.with(|b| b.set(true));
    spawn_local(async move {
        let page = match post(&url, body, false).await {
            Ok(response) => read_page(response).await,
            Err(_) => None,
        };
        BUSY.with(|b| b.set(false));
        match page {
            Some((url, html)) => show(&url, &html, Entry::Replace),
            None => set_status(OFFLINE),
        }
    });
}

/// "Continue", "Back" or "Submit": check, post, and show whatever page the server answers with.
fn on_submit(event: Event) {
    let Some(form) = questionnaire_form(&event) else {
        on_intake_submit(&event);
        return;
    };
    event.prevent_default();
    if BUSY.with(Cell::get) {
        return;
    }
    let nav = submitter_value(&event);
    if nav != "back" && mark_unanswered(&form) > 0 {
        set_status(SECTION_INCOMPLETE);
        return;
    }
    let Some(body) = form_body(&form, &nav) else {
        return;
    };
    let url = form.action();
    BUSY.with(|b| b.set(true));
    set_status("Saving…");
    spawn_local(async move {
        let page = match post(&url, body, false).await {
            Ok(response) => read_page(response).await,
            Err(_) => None,
        };
        BUSY.with(|b| b.set(false));
        match page {
            Some((url, html)) => show(&url, &html, Entry::Push),
            None => set_status(OFFLINE),
        }
    });
}

/// Marks every unanswered statement as the server would, focuses the first; returns how many.
fn mark_unanswered(form: &HtmlFormElement) -> u32 {
    let Ok(fieldsets) = form.query_selector_all("fieldset.question") else {
        return 0;
    };
    let mut count = 0;
    for i in 0..fieldsets.length() {
        let Some(fieldset) = fieldsets.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        if matches!(fieldset.query_selector("input:checked"), Ok(Some(_))) {
            continue;
        }
        count += 1;
        let item = fieldset.get_attribute("data-item").unwrap_or_default();
        let error_id = format!("err-{item}");
        let _ = fieldset.class_list().add_1("unanswered");
        let _ = fieldset.set_attribute("aria-describedby", &error_id);
        if matches!(fieldset.query_selector(".field-error"), Ok(None)) {
            if let (Some(doc), Ok(Some(legend))) = (document(), fieldset.query_selector("legend")) {
                if let Ok(p) = doc.create_element("p") {
                    p.set_class_name("field-error");
                    p.set_id(&error_id);
                    p.set_text_content(Some(MISSING_MESSAGE));
                    let _ = legend.insert_adjacent_element("afterend", &p);
                }
            }
        }
        if count == 1 {
            focus(fieldset.query_selector("input").ok().flatten());
        }
    }
    count
}

fn clear_mark(fieldset: &Element) {
    let _ = fieldset.class_list().remove_1("unanswered");
    let _ = fieldset.remove_attribute("aria-describedby");
    if let Ok(Some(error)) = fieldset.query_selector(".field-error") {
        error.remove();
    }
}

/// The form's fields, url-encoded as the browser would send them, with the button pressed.
fn form_body(form: &HtmlFormElement, nav: &str) -> Option<String> {
    let data = web_sys::FormData::new_with_form(form).ok()?;
    let params = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
    params.set("nav", nav);
    Some(String::from(params.to_string()))
}

fn encode(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

async fn post(url: &str, body: String, json: bool) -> Result<Response, JsValue> {
    let headers = web_sys::Headers::new()?;
    headers.set("Content-Type", "application/x-www-form-urlencoded")?;
    if json {
        headers.set("Accept", "application/json")?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&body));
    fetch(url, &init).await
}

async fn fetch(url: &str, init: &web_sys::RequestInit) -> Result<Response, JsValue> {
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    JsFuture::from(window.fetch_with_str_and_init(url, init))
        .await?
        .dyn_into()
}

/// The final URL (after redirects) and HTML of a page response.
async fn read_page(response: Response) -> Option<(String, String)> {
    let url = response.url();
    let text = JsFuture::from(response.text().ok()?).await.ok()?;
    Some((url, text.as_string()?))
}

/// Back/forward: show the page for `url` without adding a history entry.
async fn open(url: String) {
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    let page = match fetch(&url, &init).await {
        Ok(response) => read_page(response).await,
        Err(_) => None,
    };
    match page {
        Some((url, html)) => show(&url, &html, Entry::Keep),
        None => set_status(OFFLINE),
    }
}

/// What a page shown in place does to the browser's history.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Entry {
    /// A new entry (the next section).
    Push,
    /// In place of the current one (leaving the intake).
    Replace,
    /// None (Back or Forward brought it).
    Keep,
}

/// Swaps in the `<main>` and title of a server-rendered page.
fn show(url: &str, html: &str, entry: Entry) {
    let Some(document) = document() else {
        return;
    };
    let parsed = web_sys::DomParser::new()
        .and_then(|p| p.parse_from_string(html, web_sys::SupportedType::TextHtml));
    let (Ok(parsed), Some(main)) = (parsed, document.get_element_by_id("main")) else {
        return;
    };
    let Some(new_main) = parsed.get_element_by_id("main") else {
        return;
    };
    main.set_inner_html(&new_main.inner_html());
    document.set_title(&parsed.title());
    mark_ready(&document);
    if let Some(window) = web_sys::window() {
        if let Ok(history) = window.history() {
            let _ = match entry {
                Entry::Push => history.push_state_with_url(&JsValue::NULL, "", Some(url)),
                Entry::Replace => history.replace_state_with_url(&JsValue::NULL, "", Some(url)),
                Entry::Keep => Ok(()),
            };
        }
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
    // Move focus to the new heading so screen readers announce the new section.
    let heading = document
        .get_element_by_id("section-title")
        .or_else(|| main.query_selector("h1").ok().flatten());
    focus(heading);
}

fn focus(element: Option<Element>) {
    if let Some(element) = element.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = element.focus();
    }
}
