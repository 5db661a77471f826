//! Where a submission is in the practice's work: the statuses a clinician moves it through,
//! which moves make sense, and the clinician's private notes on it.

use serde::{Deserialize, Serialize};

/// The practice's workflow for one submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum WorkflowStatus {
    New,
    Contacted,
    ConsultBooked,
    InTherapy,
    ReferredOut,
    Closed,
}

impl WorkflowStatus {
    pub const ALL: [WorkflowStatus; 6] = [
        WorkflowStatus::New,
        WorkflowStatus::Contacted,
        WorkflowStatus::ConsultBooked,
        WorkflowStatus::InTherapy,
        WorkflowStatus::ReferredOut,
        WorkflowStatus::Closed,
    ];

    /// Stable key for storage and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            WorkflowStatus::New => "new",
            WorkflowStatus::Contacted => "contacted",
            WorkflowStatus::ConsultBooked => "consult_booked",
            WorkflowStatus::InTherapy => "in_therapy",
            WorkflowStatus::ReferredOut => "referred_out",
            WorkflowStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            WorkflowStatus::New => "New",
            WorkflowStatus::Contacted => "Contacted",
            WorkflowStatus::ConsultBooked => "Consult booked",
            WorkflowStatus::InTherapy => "In therapy",
            WorkflowStatus::ReferredOut => "Referred out",
            WorkflowStatus::Closed => "Closed",
        }
    }

    /// The statuses a clinician may move to from this one. Forward along
    /// new → contacted → consult booked → in therapy, with "referred out" and "closed" as
    /// exits; a booked consult can fall back to "contacted" (a cancellation), and a closed
    /// submission can be reopened as new.
    pub fn next(self) -> &'static [WorkflowStatus] {
        use WorkflowStatus::*;
        match self {
            New => &[Contacted, ReferredOut, Closed],
            Contacted => &[ConsultBooked, ReferredOut, Closed],
            ConsultBooked => &[InTherapy, Contacted, ReferredOut, Closed],
            InTherapy => &[ReferredOut, Closed],
            ReferredOut => &[Closed],
            Closed => &[New],
        }
    }

    pub fn can_move_to(self, to: WorkflowStatus) -> bool {
        self.next().contains(&to)
    }

    /// Where a consult being booked (online by the client, or for them by a clinician) or
    /// cancelled takes a submission at this status, if anywhere. `before_booking` is the status
    /// the booking moved it from, if it did.
    ///
    /// Booking moves a new or contacted submission to "consult booked"; a cancellation moves a
    /// booked one back where it was (contacted if that is not known). Every later status is the
    /// practice's own decision, and a booking never overrides it.
    pub fn after_booking(
        self,
        change: BookingChange,
        before_booking: Option<WorkflowStatus>,
    ) -> Option<WorkflowStatus> {
        use WorkflowStatus::*;
        match (change, self) {
            (BookingChange::Booked, New | Contacted) => Some(ConsultBooked),
            (BookingChange::Cancelled, ConsultBooked) => Some(match before_booking {
                Some(New) => New,
                _ => Contacted,
            }),
            _ => None,
        }
    }
}

/// What happened to a consult, as far as the practice's workflow is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingChange {
    Booked,
    Cancelled,
}

/// A move a clinician asked for, as the form named it: from the status the page showed, to
/// another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkflowMove {
    pub from: WorkflowStatus,
    pub to: WorkflowStatus,
}

impl WorkflowMove {
    /// `None` unless both ends are statuses.
    pub fn parse(from: &str, to: &str) -> Option<Self> {
        Some(WorkflowMove {
            from: WorkflowStatus::parse(from)?,
            to: WorkflowStatus::parse(to)?,
        })
    }

    /// Whether the move can be made now: the submission is still where the page showed it,
    /// and the workflow allows the step.
    pub fn applies_to(self, current: WorkflowStatus) -> bool {
        self.from == current && self.from.can_move_to(self.to)
    }
}

/// A clinician's private note on a submission: trimmed, 1 to [`ClinicianNote::MAX_CHARS`]
/// characters, line endings normalised and other control characters (NUL among them, which
/// PostgreSQL refuses) dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClinicianNote(String);

impl ClinicianNote {
    pub const MAX_CHARS: usize = 5000;

    /// `None` for an empty note or one over the limit.
    pub fn parse(s: &str) -> Option<Self> {
        let cleaned: String = s
            .replace("\r\n", "\n")
            .chars()
            .map(|c| if c == '\r' { '\n' } else { c })
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .collect();
        let trimmed = cleaned.trim();
        let chars = trimmed.chars().count();
        (1..=Self::MAX_CHARS)
            .contains(&chars)
            .then(|| ClinicianNote(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip() {
        for w in WorkflowStatus::ALL {
            assert_eq!(WorkflowStatus::parse(w.as_str()), Some(w));
        }
        assert_eq!(WorkflowStatus::parse("deleted"), None);
    }

    #[test]
    fn no_status_moves_to_itself() {
        for w in WorkflowStatus::ALL {
            assert!(!w.can_move_to(w), "{w:?}");
        }
    }

    #[test]
    fn every_status_is_reachable_from_new_and_can_reach_closed() {
        let mut seen = vec![WorkflowStatus::New];
        let mut i = 0;
        while i < seen.len() {
            for n in seen[i].next() {
                if !seen.contains(n) {
                    seen.push(*n);
                }
            }
            i += 1;
        }
        assert_eq!(seen.len(), WorkflowStatus::ALL.len());
        for w in WorkflowStatus::ALL {
            assert!(
                w == WorkflowStatus::Closed
                    || w.can_move_to(WorkflowStatus::Closed)
                    || w.next()
                        .iter()
                        .any(|n| n.can_move_to(WorkflowStatus::Closed))
            );
        }
    }

    #[test]
    fn a_booking_moves_only_early_statuses_and_a_cancellation_undoes_it() {
        use WorkflowStatus::*;
        for w in WorkflowStatus::ALL {
            let booked = w.after_booking(BookingChange::Booked, None);
            assert_eq!(booked.is_some(), matches!(w, New | Contacted), "{w:?}");
            if let Some(to) = booked {
                assert_eq!(to, ConsultBooked);
                assert_eq!(to.after_booking(BookingChange::Cancelled, Some(w)), Some(w));
            }
            let cancelled = w.after_booking(BookingChange::Cancelled, Some(New));
            assert_eq!(cancelled.is_some(), w == ConsultBooked, "{w:?}");
        }
        // Booked by phone by the practice, then cancelled online: "contacted" is the truth.
        assert_eq!(
            ConsultBooked.after_booking(BookingChange::Cancelled, None),
            Some(Contacted)
        );
        assert_eq!(
            ConsultBooked.after_booking(BookingChange::Cancelled, Some(InTherapy)),
            Some(Contacted)
        );
    }

    #[test]
    fn the_main_path_is_allowed() {
        use WorkflowStatus::*;
        assert!(New.can_move_to(Contacted));
        assert!(Contacted.can_move_to(ConsultBooked));
        assert!(ConsultBooked.can_move_to(InTherapy));
        assert!(!New.can_move_to(InTherapy));
    }

    #[test]
    fn a_move_applies_only_from_the_status_the_page_showed() {
        let step = WorkflowMove::parse("new", "contacted").expect("statuses");
        assert!(step.applies_to(WorkflowStatus::New));
        assert!(!step.applies_to(WorkflowStatus::Contacted));
        assert_eq!(WorkflowMove::parse("new", "nowhere"), None);
        let back = WorkflowMove::parse("new", "in_therapy").expect("statuses");
        assert!(!back.applies_to(WorkflowStatus::New));
    }

    #[test]
    fn a_note_is_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(ClinicianNote::parse("  \n "), None);
        assert_eq!(
            ClinicianNote::parse(" Called; left no message.\r\n").map(|n| n.as_str().to_owned()),
            Some("Called; left no message.".to_owned())
        );
        assert_eq!(
            ClinicianNote::parse("a\u{0}b").map(|n| n.as_str().to_owned()),
            Some("ab".to_owned())
        );
        assert!(ClinicianNote::parse(&"x".repeat(ClinicianNote::MAX_CHARS)).is_some());
        assert!(ClinicianNote::parse(&"x".repeat(ClinicianNote::MAX_CHARS + 1)).is_none());
    }
}
