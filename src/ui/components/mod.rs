//! Reusable pieces of pages. The questionnaire form is plain server-rendered HTML; its
//! enhancer is the site's only island, and `enhance` is the code it runs in the browser.

#[cfg(feature = "hydrate")]
mod enhance;
pub mod questionnaire_form;
