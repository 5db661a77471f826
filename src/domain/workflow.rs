//! Where a submission is in the practice's work: the statuses a clinician moves it through,
//! and which moves make sense.

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
}
