//! Server-rendered pages. Each takes plain data; the handlers in `server::http` load it.

pub mod booking;
pub mod consent;
pub mod contact;
pub mod couples;
pub mod errors;
pub mod intake;
pub mod landing;
pub mod questionnaire;
pub mod referral;
pub mod result;
pub mod staff;
