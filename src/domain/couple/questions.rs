//! The private check-in's questions and answers, per version: what each asks, the answers it
//! offers, and which answer is a concern.

use super::*;

/// Which set of questions a check-in asked. Stored with every check-in, so an answer is always
/// read against the questions it answered; version 1 check-ins stay readable as they were.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CheckInVersion {
    /// Five questions (fear, hurt, threats, control, being forced), until 2026-12.
    V1 = 1,
    /// Fourteen questions that separate what predicts serious harm, until 2026-12.
    V2 = 2,
    /// Seventeen: version 2 with the lethality markers it lacked (whether they think the partner
    /// might kill them, threats to kill a child, stalking, the partner's suicide threats) and
    /// rules for several concerns together and for leaving (`docs/safety.md`).
    V3 = 3,
}

impl CheckInVersion {
    /// The version every new check-in asks.
    pub const CURRENT: CheckInVersion = CheckInVersion::V3;

    pub fn number(self) -> i32 {
        self as i32
    }

    pub fn from_number(n: i64) -> Option<Self> {
        match n {
            1 => Some(CheckInVersion::V1),
            2 => Some(CheckInVersion::V2),
            3 => Some(CheckInVersion::V3),
            _ => None,
        }
    }

    /// Its questions, in the order shown: the same for everyone, whatever they answer.
    pub fn items(self) -> &'static [SafetyItem] {
        match self {
            CheckInVersion::V1 => &SafetyItem::V1,
            CheckInVersion::V2 => &SafetyItem::V2,
            CheckInVersion::V3 => &SafetyItem::V3,
        }
    }
}

/// One question of the private check-in (of either version; an id is never reused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SafetyItem {
    /// Fear of the partner (versions 1 and 2).
    Afraid,
    /// Being physically hurt, choking included (version 1).
    Hurt,
    /// Being threatened (version 1).
    Threatened,
    /// Being controlled or monitored (versions 1 and 2).
    Controlled,
    /// Being forced into anything, sexual or otherwise (version 1).
    Forced,
    /// Being put down or humiliated.
    PutDown,
    /// Being hit or physically hurt, the neck aside.
    Hit,
    /// Pressure on the neck, choking or strangling.
    Neck,
    /// Threats to hurt them, a child, someone else or a pet.
    Threat,
    /// Threats to kill them.
    Kill,
    /// Being threatened with a weapon.
    Weapon,
    /// The partner has or can get a gun.
    Gun,
    /// Things getting more frequent or more serious.
    Worse,
    /// Sexual pressure or force.
    Sex,
    /// Worry for a child's safety.
    Children,
    /// Their own use of violence or threats.
    Own,
    /// Whether they could speak freely with the partner in the room.
    JointSafe,
    /// Threats to kill them or their children (version 3; replaces `Kill`).
    KillAny,
    /// Whether they think the partner might seriously hurt or kill them (version 3).
    Capable,
    /// Following, tracking, turning up, threatening messages (version 3).
    Stalk,
    /// The partner has threatened or tried to kill themselves (version 3).
    Suicide,
}

/// The answers most questions offer.
const YES_NO: &[SafetyAnswer] = &[
    SafetyAnswer::Yes,
    SafetyAnswer::No,
    SafetyAnswer::RatherNotSay,
];

impl SafetyItem {
    /// Version 1's questions, in the order shown.
    pub const V1: [SafetyItem; 5] = [
        SafetyItem::Afraid,
        SafetyItem::Hurt,
        SafetyItem::Threatened,
        SafetyItem::Controlled,
        SafetyItem::Forced,
    ];

    /// Version 2's questions, in the order shown (`docs/safety.md`, "The questions").
    pub const V2: [SafetyItem; 14] = [
        SafetyItem::Afraid,
        SafetyItem::PutDown,
        SafetyItem::Controlled,
        SafetyItem::Hit,
        SafetyItem::Neck,
        SafetyItem::Threat,
        SafetyItem::Kill,
        SafetyItem::Weapon,
        SafetyItem::Gun,
        SafetyItem::Worse,
        SafetyItem::Sex,
        SafetyItem::Children,
        SafetyItem::Own,
        SafetyItem::JointSafe,
    ];

    /// Version 3's questions, in the order shown (`docs/safety.md`, "The questions").
    pub const V3: [SafetyItem; 17] = [
        SafetyItem::Afraid,
        SafetyItem::PutDown,
        SafetyItem::Controlled,
        SafetyItem::Stalk,
        SafetyItem::Hit,
        SafetyItem::Neck,
        SafetyItem::Threat,
        SafetyItem::KillAny,
        SafetyItem::Capable,
        SafetyItem::Weapon,
        SafetyItem::Gun,
        SafetyItem::Suicide,
        SafetyItem::Worse,
        SafetyItem::Sex,
        SafetyItem::Children,
        SafetyItem::Own,
        SafetyItem::JointSafe,
    ];

    /// Version 1's questions (kept under their old name for the code that reads old check-ins).
    pub const ALL: [SafetyItem; 5] = SafetyItem::V1;

    /// Every id of every version.
    const EVERY: [SafetyItem; 21] = [
        SafetyItem::Afraid,
        SafetyItem::Hurt,
        SafetyItem::Threatened,
        SafetyItem::Controlled,
        SafetyItem::Forced,
        SafetyItem::PutDown,
        SafetyItem::Hit,
        SafetyItem::Neck,
        SafetyItem::Threat,
        SafetyItem::Kill,
        SafetyItem::Weapon,
        SafetyItem::Gun,
        SafetyItem::Worse,
        SafetyItem::Sex,
        SafetyItem::Children,
        SafetyItem::Own,
        SafetyItem::JointSafe,
        SafetyItem::KillAny,
        SafetyItem::Capable,
        SafetyItem::Stalk,
        SafetyItem::Suicide,
    ];

    /// Stable id (also the serde name and the storage key). Never reuse one.
    pub fn id(self) -> &'static str {
        match self {
            SafetyItem::Afraid => "afraid",
            SafetyItem::Hurt => "hurt",
            SafetyItem::Threatened => "threatened",
            SafetyItem::Controlled => "controlled",
            SafetyItem::Forced => "forced",
            SafetyItem::PutDown => "put_down",
            SafetyItem::Hit => "hit",
            SafetyItem::Neck => "neck",
            SafetyItem::Threat => "threat",
            SafetyItem::Kill => "kill",
            SafetyItem::Weapon => "weapon",
            SafetyItem::Gun => "gun",
            SafetyItem::Worse => "worse",
            SafetyItem::Sex => "sex",
            SafetyItem::Children => "children",
            SafetyItem::Own => "own",
            SafetyItem::JointSafe => "joint_safe",
            SafetyItem::KillAny => "kill_any",
            SafetyItem::Capable => "capable",
            SafetyItem::Stalk => "stalk",
            SafetyItem::Suicide => "suicide",
        }
    }

    /// Inverse of [`SafetyItem::id`].
    pub fn parse(id: &str) -> Option<Self> {
        Self::EVERY.into_iter().find(|i| i.id() == id)
    }

    /// The form field carrying this question's answer (`s_<id>`).
    pub fn field_name(self) -> String {
        format!("{SAFETY_FIELD_PREFIX}{}", self.id())
    }

    /// The question shown to the person, alone, on their own device.
    pub fn question(self) -> &'static str {
        match self {
            SafetyItem::Afraid => "In the past year, have you felt afraid of your partner?",
            SafetyItem::Hurt => "In the past year, has your partner hit, pushed, choked or otherwise physically hurt you?",
            SafetyItem::Threatened => "In the past year, has your partner threatened to hurt you, or someone or something you care about?",
            SafetyItem::Controlled => "Does your partner control or keep watch on where you go, who you see, your phone or messages, or your money?",
            SafetyItem::Forced => "In the past year, has your partner forced you into anything you did not want, sexual or otherwise?",
            SafetyItem::PutDown => "In the past year, has your partner often made you feel small, for example by insulting you, mocking you or calling you names?",
            SafetyItem::Hit => "In the past year, has your partner hit, slapped, kicked or pushed you, or physically hurt you in any other way?",
            SafetyItem::Neck => "Has your partner ever put their hands or anything else around your neck, choked you or strangled you?",
            SafetyItem::Threat => "In the past year, has your partner threatened to hurt you, a child, someone else you care about, or a pet?",
            SafetyItem::Kill => "Has your partner ever threatened to kill you?",
            SafetyItem::Weapon => "Has your partner ever threatened you with a gun, a knife or another weapon?",
            SafetyItem::Gun => "Does your partner own a gun, or could they easily get one?",
            SafetyItem::Worse => "In the past year, have the things your partner does that scare you been happening more often, or getting more serious?",
            SafetyItem::Sex => "In the past year, has your partner pressured or forced you into sexual activity you did not want?",
            SafetyItem::Children => "Are you worried about the safety of any child who lives with you or spends time in your home?",
            SafetyItem::Own => "In the past year, have you pushed, hit or physically hurt your partner, or threatened to?",
            SafetyItem::JointSafe => "If your partner were in the room, would you feel safe saying what you really think?",
            SafetyItem::KillAny => "Has your partner ever threatened to kill you or your children?",
            SafetyItem::Capable => "Do you think your partner might seriously hurt you or kill you?",
            SafetyItem::Stalk => "In the past year, has your partner followed you, tracked your phone, turned up where you are without being asked, or sent you threatening messages?",
            SafetyItem::Suicide => "Has your partner ever threatened or tried to kill themselves?",
        }
    }

    /// The answers offered, in the order shown. Every question offers "I'd rather not say".
    pub fn choices(self) -> &'static [SafetyAnswer] {
        use SafetyAnswer::*;
        match self {
            SafetyItem::Gun => &[Yes, No, DontKnow, RatherNotSay],
            SafetyItem::Worse => &[Yes, No, NotApplicable, RatherNotSay],
            SafetyItem::JointSafe | SafetyItem::Capable => &[Yes, No, NotSure, RatherNotSay],
            SafetyItem::Suicide => &[Yes, No, DontKnow, RatherNotSay],
            _ => YES_NO,
        }
    }

    /// Whether `answer` is a concern (something a clinician should hear about in private):
    /// "Yes", except for [`SafetyItem::JointSafe`], where "No" or "I'm not sure" is; and for
    /// [`SafetyItem::Capable`], where "I'm not sure" is too (not being sure whether a partner
    /// might kill you is reason enough to talk).
    pub fn is_concern(self, answer: SafetyAnswer) -> bool {
        match self {
            SafetyItem::JointSafe => matches!(answer, SafetyAnswer::No | SafetyAnswer::NotSure),
            SafetyItem::Capable => matches!(answer, SafetyAnswer::Yes | SafetyAnswer::NotSure),
            _ => answer == SafetyAnswer::Yes,
        }
    }
}

/// An answer to a check-in question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SafetyAnswer {
    Yes,
    No,
    /// "I'd rather not say": counts as positive (see [`SafetyAnswer::is_positive`]).
    RatherNotSay,
    /// "I don't know" (whether the partner has a gun).
    DontKnow,
    /// "I'm not sure" (whether it would feel safe to speak openly).
    NotSure,
    /// "This doesn't apply to me" (things getting worse, when nothing scares them).
    NotApplicable,
}

impl SafetyAnswer {
    /// Every answer; the first three are version 1's.
    pub const ALL: [SafetyAnswer; 6] = [
        SafetyAnswer::Yes,
        SafetyAnswer::No,
        SafetyAnswer::RatherNotSay,
        SafetyAnswer::DontKnow,
        SafetyAnswer::NotSure,
        SafetyAnswer::NotApplicable,
    ];

    /// Stable key: the form value, the serde name and the storage key.
    pub fn as_str(self) -> &'static str {
        match self {
            SafetyAnswer::Yes => "yes",
            SafetyAnswer::No => "no",
            SafetyAnswer::RatherNotSay => "rather_not_say",
            SafetyAnswer::DontKnow => "dont_know",
            SafetyAnswer::NotSure => "not_sure",
            SafetyAnswer::NotApplicable => "not_applicable",
        }
    }

    /// Inverse of [`SafetyAnswer::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The wording beside the option.
    pub fn label(self) -> &'static str {
        match self {
            SafetyAnswer::Yes => "Yes",
            SafetyAnswer::No => "No",
            SafetyAnswer::RatherNotSay => "I'd rather not say",
            SafetyAnswer::DontKnow => "I don't know",
            SafetyAnswer::NotSure => "I'm not sure",
            SafetyAnswer::NotApplicable => "This doesn't apply to me",
        }
    }

    /// Whether this answer, to a version 1 question, made the check-in positive: "Yes", and
    /// also "I'd rather not say".
    ///
    /// Someone who is afraid or watched may not feel safe answering, and a
    /// screen that reads their silence as "no" would open joint sessions in
    /// exactly the case where they are most dangerous. The cost of counting it
    /// is a private check-in by a clinician; the cost of not counting it can
    /// be harm. The clinician still sees which answers were "rather not say".
    pub fn is_positive(self) -> bool {
        matches!(self, SafetyAnswer::Yes | SafetyAnswer::RatherNotSay)
    }
}
