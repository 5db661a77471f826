//! Matching inside the practice: which clinicians a consult may go to, from the
//! recommendation the couple's (or the client's) answers already produce and each clinician's
//! profile. See `docs/referral.md` ("Matching inside the practice").

use super::couple::Recommendation;

/// What a clinician is trained in or offers, as their profile says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Specialty {
    Discernment,
    IpvInformed,
    Gottman,
    Eft,
    Individual,
}

impl Specialty {
    pub const ALL: [Specialty; 5] = [
        Specialty::Discernment,
        Specialty::IpvInformed,
        Specialty::Gottman,
        Specialty::Eft,
        Specialty::Individual,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Specialty::Discernment => "discernment",
            Specialty::IpvInformed => "ipv_informed",
            Specialty::Gottman => "gottman",
            Specialty::Eft => "eft",
            Specialty::Individual => "individual",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Specialty::Discernment => "Discernment counseling",
            Specialty::IpvInformed => "IPV-informed (intimate partner violence)",
            Specialty::Gottman => "Gottman method",
            Specialty::Eft => "Emotionally focused therapy (EFT)",
            Specialty::Individual => "Individual therapy",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }

    /// Stored as `;`-wrapped keys.
    pub fn join(all: &[Specialty]) -> String {
        let keys: Vec<&str> = all.iter().map(|s| s.as_str()).collect();
        format!(";{};", keys.join(";"))
    }

    pub fn split(stored: &str) -> Vec<Specialty> {
        stored.split(';').filter_map(Specialty::parse).collect()
    }
}

/// How a clinician holds a first consult.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsultFormat {
    InPerson,
    Video,
}

impl ConsultFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsultFormat::InPerson => "in_person",
            ConsultFormat::Video => "video",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "in_person" => Some(ConsultFormat::InPerson),
            "video" => Some(ConsultFormat::Video),
            _ => None,
        }
    }
}

/// A clinician's profile. A clinician without one is a general couples clinician who is
/// accepting new couples: [`Profile::default`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub specialties: Vec<Specialty>,
    pub languages: String,
    pub accepting_couples: bool,
    pub format: ConsultFormat,
    /// An office address, or a video link the practice pastes in.
    pub place: String,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            specialties: Vec::new(),
            languages: String::new(),
            accepting_couples: true,
            format: ConsultFormat::InPerson,
            place: String::new(),
        }
    }
}

/// The training a recommendation asks of the clinician, if any. A judgement call written down:
/// a discernment-style consult goes to someone trained in discernment counseling, and an
/// individual consult first (a positive check-in) to someone IPV-informed.
pub fn needs(recommendation: Recommendation) -> Option<Specialty> {
    match recommendation {
        Recommendation::DiscernmentConsult => Some(Specialty::Discernment),
        Recommendation::IndividualConsultFirst => Some(Specialty::IpvInformed),
        Recommendation::CouplesConsult => None,
    }
}

/// Whether a clinician with `profile` fits a consult for this recommendation: they have the
/// training it needs and, for a couple's consult, are accepting new couples.
pub fn fits(recommendation: Recommendation, for_couple: bool, profile: &Profile) -> bool {
    (!for_couple || profile.accepting_couples)
        && needs(recommendation).is_none_or(|s| profile.specialties.contains(&s))
}

/// Why a consult went to the clinician it went to, as the practice reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Routing {
    /// A clinician who fits the recommendation.
    Matched,
    /// Nobody fits: the first free calendar, and the practice is told why.
    NoFit,
    /// The practice chose any free clinician, on purpose (audited).
    Override,
}

impl Routing {
    pub fn as_str(self) -> &'static str {
        match self {
            Routing::Matched => "matched",
            Routing::NoFit => "no_fit",
            Routing::Override => "override",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Routing::Matched, Routing::NoFit, Routing::Override]
            .into_iter()
            .find(|r| r.as_str() == raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(specialties: &[Specialty], accepting: bool) -> Profile {
        Profile {
            specialties: specialties.to_vec(),
            accepting_couples: accepting,
            ..Profile::default()
        }
    }

    #[test]
    fn a_discernment_consult_needs_a_discernment_trained_clinician() {
        let r = Recommendation::DiscernmentConsult;
        assert!(fits(r, true, &with(&[Specialty::Discernment], true)));
        assert!(!fits(r, true, &with(&[Specialty::Gottman], true)));
        assert!(!fits(r, true, &Profile::default()));
    }

    #[test]
    fn an_individual_consult_first_needs_an_ipv_informed_clinician() {
        let r = Recommendation::IndividualConsultFirst;
        assert!(fits(r, false, &with(&[Specialty::IpvInformed], false)));
        assert!(!fits(r, false, &with(&[Specialty::Individual], true)));
    }

    #[test]
    fn a_couples_consult_goes_to_anyone_accepting_couples() {
        let r = Recommendation::CouplesConsult;
        assert!(fits(r, true, &Profile::default()));
        assert!(!fits(r, true, &with(&[], false)));
        assert!(fits(r, false, &with(&[], false)), "an individual consult");
    }

    #[test]
    fn specialties_round_trip_through_their_stored_form() {
        let all = [Specialty::Discernment, Specialty::IpvInformed];
        assert_eq!(Specialty::split(&Specialty::join(&all)), all);
    }
}
