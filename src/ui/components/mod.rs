//! Reusable pieces of pages. The questionnaire form is plain server-rendered HTML; its
//! enhancer is an island, and `enhance` is the code it runs in the browser; `zone_detect` is
//! the time picker's island; `fields` holds the form fields several pages share; `support` the
//! support panel every client sees.

#[cfg(feature = "hydrate")]
mod enhance;
pub mod fields;
pub mod questionnaire_form;
pub mod support;
pub mod zone_detect;
