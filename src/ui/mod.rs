//! Everything a person sees: the document shell, pages (rendered on the server only) and the
//! one island that hydrates in the browser, the questionnaire form.

pub mod components;
pub mod layout;
pub mod pages;
