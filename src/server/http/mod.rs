//! HTTP: the route table, handlers, page rendering and the one error-to-response mapping.

pub mod booking;
pub mod couples;
pub mod error;
pub mod form;
pub mod pages;
pub mod render;
pub mod routes;
pub mod staff;
pub mod staff_admin;
pub mod staff_availability;
