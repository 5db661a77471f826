//! The unique constraints the app turns into outcomes (a double click, a slot taken a moment
//! earlier), recognised by name on each backend: PostgreSQL reports the constraint or index,
//! SQLite the columns. Any other error stays an error.

use sqlx::error::ErrorKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unique {
    /// `bookings.request_key`: this request was booked already.
    BookingRequestKey,
    /// `bookings_one_per_submission`: the questionnaire has a live booking.
    OneBookingPerSubmission,
    /// `bookings_one_per_slot`: the clinician is booked at that time.
    OneBookingPerSlot,
    /// `clinicians.email`: an account with that email exists.
    ClinicianEmail,
}

impl Unique {
    const ALL: [Unique; 4] = [
        Unique::BookingRequestKey,
        Unique::OneBookingPerSubmission,
        Unique::OneBookingPerSlot,
        Unique::ClinicianEmail,
    ];

    /// The name PostgreSQL gives it (migrations/postgres).
    fn postgres(self) -> &'static str {
        match self {
            Unique::BookingRequestKey => "bookings_request_key_key",
            Unique::OneBookingPerSubmission => "bookings_one_per_submission",
            Unique::OneBookingPerSlot => "bookings_one_per_slot",
            Unique::ClinicianEmail => "clinicians_email_key",
        }
    }

    /// The columns SQLite names in "UNIQUE constraint failed: …" (migrations/sqlite).
    fn sqlite(self) -> &'static str {
        match self {
            Unique::BookingRequestKey => "bookings.request_key",
            Unique::OneBookingPerSubmission => "bookings.submission_id",
            Unique::OneBookingPerSlot => "bookings.clinician_id, bookings.starts_at",
            Unique::ClinicianEmail => "clinicians.email",
        }
    }

    /// Which of these `e` violated; `None` for every other error.
    pub fn violated_by(e: &sqlx::Error) -> Option<Unique> {
        let sqlx::Error::Database(db) = e else {
            return None;
        };
        if !matches!(db.kind(), ErrorKind::UniqueViolation) {
            return None;
        }
        if let Some(name) = db.constraint() {
            return Self::ALL.into_iter().find(|u| u.postgres() == name);
        }
        let columns = db.message().strip_prefix("UNIQUE constraint failed: ")?;
        Self::ALL.into_iter().find(|u| u.sqlite() == columns)
    }
}
