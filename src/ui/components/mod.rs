//! Reusable pieces of pages. `questionnaire_form` is the only island: the rest of the site is
//! plain server-rendered HTML and ships no code to the browser.

mod browser;
pub mod questionnaire_form;
