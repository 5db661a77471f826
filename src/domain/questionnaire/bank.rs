//! The item banks, one per instrument version. A version's table is frozen once clients have
//! answered it: stored answers are read, and shown to clinicians, with the wording they were
//! given. An id always means one wording; a new wording takes a new id.

use super::{About, Dimension, Framing, Item, Section, SeedRef, SeedTopic};

pub(super) static SECTIONS_V1: [Section; 6] = [
    Section {
        number: 1,
        title: "Honesty and openness",
        intro: "These statements are about how openly you and your partner share what matters to you.",
    },
    Section {
        number: 2,
        title: "How we treat each other",
        intro: "These statements are about the everyday ways you and your partner speak to and treat each other.",
    },
    Section {
        number: 3,
        title: "Conflict and closeness",
        intro: "These statements are about how you and your partner handle disagreements and stay close.",
    },
    Section {
        number: 4,
        title: "Owning my part",
        intro: "These statements invite you to look gently at your own part, without blaming yourself or anyone else.",
    },
    Section {
        number: 5,
        title: "Skills for rebuilding",
        intro: "These statements are about skills that help trust grow again; it is fine if some feel new to you.",
    },
    Section {
        number: 6,
        title: "Willingness and support",
        intro: "These last statements are about where you are right now and what support might help.",
    },
];

/// Shorthand for the item tables below; keeps each row on one screen line.
const fn it(
    id: &'static str,
    section: u8,
    dimension: Dimension,
    reverse: bool,
    line: u32,
    topic: SeedTopic,
    text: &'static str,
) -> Item {
    Item {
        id,
        section,
        dimension,
        text,
        reverse,
        source: SeedRef { line, topic },
        about: About::Own,
        not_applicable: false,
        scored: true,
    }
}

use Dimension::{
    Accountability, Connection, Honesty, OpennessToHelp, OwnCommitment, PartnerCommitment,
    RepairSkills, Respect, Willingness,
};
use SeedTopic::{Foundation, GetHelp, RebuildWay, TrustBreaker};

// Version 1, as clients answered it until 2026-12: never edit a row (stored answers are read
// with this wording). Reverse-keyed items (`true` in the fourth column) are there so that a
// respondent who agrees with everything does not look "ready": agreeing with
// them describes more difficulty. Kept as a one-row-per-item table on purpose.
#[rustfmt::skip]
pub(super) static ITEMS_V1: [Item; 42] = [
    // 1. Honesty and openness
    it("hon1", 1, Honesty, false, 15, TrustBreaker(1), "I am honest with my partner, even when the truth is uncomfortable."),
    it("hon2", 1, Honesty, true, 15, TrustBreaker(1), "I sometimes tell my partner small untruths to avoid an argument."),
    it("hon3", 1, Honesty, false, 16, TrustBreaker(2), "I have kept to what my partner and I agreed about closeness with other people."),
    it("hon4", 1, Honesty, true, 23, TrustBreaker(9), "I sometimes keep things from my partner that they would want to know."),
    it("hon5", 1, Honesty, false, 26, TrustBreaker(12), "When something matters to me, I say it clearly rather than hinting."),
    it("hon6", 1, Honesty, true, 26, TrustBreaker(12), "I often leave my partner guessing about what I really feel or need."),
    it("hon7", 1, Honesty, false, 30, TrustBreaker(16), "My partner and I have talked openly about what we expect from each other.").about(About::Relationship),
    // 2. How we treat each other
    it("res1", 2, Respect, true, 17, TrustBreaker(3), "When something goes wrong between us, my first thought is who is to blame."),
    it("res2", 2, Respect, false, 17, TrustBreaker(3), "When we have a problem, my partner and I look at it together instead of blaming each other.").about(About::Relationship),
    it("res3", 2, Respect, false, 18, TrustBreaker(4), "I can raise a concern without criticizing who my partner is as a person."),
    it("res4", 2, Respect, true, 22, TrustBreaker(8), "In arguments, I sometimes say things that make my partner feel ashamed."),
    it("res5", 2, Respect, true, 24, TrustBreaker(10), "I sometimes use guilt to get my partner to do what I want."),
    it("res6", 2, Respect, true, 25, TrustBreaker(11), "I sometimes react to my partner as if they were someone who hurt me before."),
    it("res7", 2, Respect, false, 28, TrustBreaker(14), "I accept my partner as they are, not only as I wish they were."),
    // 3. Conflict and closeness
    it("con1", 3, Connection, false, 19, TrustBreaker(5), "When we disagree, my partner and I can usually work it out in the end.").about(About::Relationship),
    it("con2", 3, Connection, true, 19, TrustBreaker(5), "Our arguments often go round in circles without being settled.").about(About::Relationship),
    it("con3", 3, Connection, true, 20, TrustBreaker(6), "Our disagreements often feel like a contest that one of us has to win.").about(About::Relationship),
    it("con4", 3, Connection, false, 21, TrustBreaker(7), "I can accept that my partner sees some things differently from me."),
    it("con5", 3, Connection, false, 27, TrustBreaker(13), "I feel genuinely close to my partner, emotionally and physically."),
    it("con6", 3, Connection, true, 29, TrustBreaker(15), "I put up walls so my partner can't see how I really feel."),
    it("con7", 3, Connection, false, 7, Foundation, "I feel safe being myself around my partner."),
    // 4. Owning my part
    it("acc1", 4, Accountability, false, 38, RebuildWay(1), "I can name things I did that hurt trust between us, even if I didn't mean to."),
    it("acc2", 4, Accountability, false, 38, RebuildWay(1), "I am willing to take responsibility for my part without making excuses."),
    it("acc3", 4, Accountability, true, 38, RebuildWay(1), "I find it hard to see any part I played in our trust problems."),
    it("acc4", 4, Accountability, false, 40, RebuildWay(2), "I want to understand the habits of mine that added to our trust problems."),
    it("acc5", 4, Accountability, false, 40, RebuildWay(2), "I can see patterns from my past that show up in how I act with my partner."),
    it("acc6", 4, Accountability, true, 40, RebuildWay(2), "I would rather move on than look at why things went wrong between us."),
    // 5. Skills for rebuilding
    it("rep1", 5, RepairSkills, false, 42, RebuildWay(3), "I know what makes my partner feel most loved and cared for."),
    it("rep2", 5, RepairSkills, false, 42, RebuildWay(3), "I make an effort to show care in the way my partner likes best."),
    it("rep3", 5, RepairSkills, false, 44, RebuildWay(4), "I can listen to my partner without interrupting or getting defensive."),
    it("rep4", 5, RepairSkills, false, 44, RebuildWay(4), "I can share a hard feeling with my partner calmly and clearly."),
    it("rep5", 5, RepairSkills, true, 46, RebuildWay(5), "Once an argument starts, I don't know how to calm it down."),
    it("rep6", 5, RepairSkills, false, 46, RebuildWay(5), "When we argue, I can take a break and come back to it calmly."),
    it("rep7", 5, RepairSkills, false, 46, RebuildWay(5), "My partner and I have ways to make up and repair things after a fight.").about(About::Relationship),
    // 6. Willingness and support
    it("wil1", 6, Willingness, false, 32, Foundation, "I want to try to rebuild trust in this relationship."),
    it("wil2", 6, Willingness, false, 50, GetHelp, "I feel able to work on rebuilding trust right now."),
    it("wil3", 6, Willingness, true, 50, GetHelp, "Right now, I'm not sure I'm willing to try to rebuild trust."),
    it("wil4", 6, Willingness, false, 50, GetHelp, "I believe my partner wants to rebuild trust with me.").about(About::Partner),
    it("wil5", 6, Willingness, true, 50, GetHelp, "I worry my partner may not be able to trust again, whatever we do.").about(About::Partner),
    it("wil6", 6, Willingness, false, 32, Foundation, "I am committed to this relationship, even while things are hard."),
    it("wil7", 6, Willingness, false, 50, GetHelp, "I am open to working with a couples therapist."),
    it("wil8", 6, Willingness, true, 50, GetHelp, "I would rather not involve a professional in our relationship."),
];

pub(super) static SECTIONS_V2: [Section; 6] = [
    Section {
        number: 1,
        title: "Honesty and openness",
        intro: "These statements are about how openly you and your partner share what matters to you.",
    },
    Section {
        number: 2,
        title: "How we treat each other",
        intro: "These statements are about the everyday ways you and your partner speak to and treat each other.",
    },
    Section {
        number: 3,
        title: "Conflict and closeness",
        intro: "These statements are about how you and your partner handle disagreements and stay close.",
    },
    Section {
        number: 4,
        title: "Your own part",
        intro: "These statements are about your own part, if you had one. If a statement does not fit what happened between you, choose “Doesn't apply to me”.",
    },
    Section {
        number: 5,
        title: "Skills for rebuilding",
        intro: "These statements are about skills that help trust grow again; it is fine if some feel new to you.",
    },
    Section {
        number: 6,
        title: "Where you are now",
        intro: "These last questions are about where you are right now and what support might help. There is no right answer.",
    },
];

/// The two questions of version 2 that are not rated: what has most affected trust (asked
/// first, so nothing after it assumes who broke trust) and where the person is about the
/// relationship (Doherty's leaning in or out, asked directly).
pub(super) static FRAMINGS_V2: [Framing; 2] = [
    Framing {
        id: "role",
        section: 1,
        text: "What has most affected trust between you?",
        options: &[
            "Mostly something I did",
            "Mostly something my partner did",
            "Things we both did",
            "Something else, or I'm not sure",
            "I'd rather not say",
        ],
        source: SeedRef {
            line: 38,
            topic: RebuildWay(1),
        },
    },
    Framing {
        id: "lean",
        section: 6,
        text: "Where are you right now about this relationship?",
        options: &[
            "I want to work on it",
            "I'm unsure",
            "I'm leaning toward ending it",
            "I have decided to end it",
            "I'd rather not say",
        ],
        source: SeedRef {
            line: 50,
            topic: GetHelp,
        },
    },
];

// Version 2 (clinical review P7, P8, P12): no item assumes who broke trust, the ownership items
// offer "Doesn't apply to me", willingness is three dimensions, and double-barrelled,
// double-negative and "sometimes/often" wordings are gone. Unchanged rows keep their v1 id.
#[rustfmt::skip]
pub(super) static ITEMS_V2: [Item; 46] = [
    // 1. Honesty and openness
    it("hon1", 1, Honesty, false, 15, TrustBreaker(1), "I am honest with my partner, even when the truth is uncomfortable."),
    it("hon8", 1, Honesty, true, 15, TrustBreaker(1), "I have hidden or lied about things that matter to my partner."),
    it("hon9", 1, Honesty, true, 16, TrustBreaker(2), "Trust between us has been hurt by closeness with someone outside our relationship.").about(About::Relationship).unscored(),
    it("hon10", 1, Honesty, true, 23, TrustBreaker(9), "There are things my partner would want to know that I keep from them."),
    it("hon5", 1, Honesty, false, 26, TrustBreaker(12), "When something matters to me, I say it clearly rather than hinting."),
    it("hon11", 1, Honesty, true, 26, TrustBreaker(12), "My partner has to guess what I really feel."),
    it("hon12", 1, Honesty, false, 30, TrustBreaker(16), "My partner and I are clear about what we expect from each other.").about(About::Relationship),
    // 2. How we treat each other
    it("res1", 2, Respect, true, 17, TrustBreaker(3), "When something goes wrong between us, my first thought is who is to blame."),
    it("res8", 2, Respect, false, 17, TrustBreaker(3), "When we have a problem, we work on it together.").about(About::Relationship),
    it("res3", 2, Respect, false, 18, TrustBreaker(4), "I can raise a concern without criticizing who my partner is as a person."),
    it("res9", 2, Respect, true, 22, TrustBreaker(8), "In arguments, I say things that put my partner down."),
    it("res10", 2, Respect, true, 24, TrustBreaker(10), "I use guilt to get my partner to do what I want."),
    it("res11", 2, Respect, false, 25, TrustBreaker(11), "When I am upset with my partner, I can tell whether it is really about them or about something in me."),
    it("res7", 2, Respect, false, 28, TrustBreaker(14), "I accept my partner as they are, not only as I wish they were."),
    // 3. Conflict and closeness
    it("con1", 3, Connection, false, 19, TrustBreaker(5), "When we disagree, my partner and I can usually work it out in the end.").about(About::Relationship),
    it("con8", 3, Connection, true, 19, TrustBreaker(5), "We have the same arguments again and again without settling them.").about(About::Relationship),
    it("con9", 3, Connection, true, 20, TrustBreaker(6), "Our disagreements feel like a contest that one of us has to win.").about(About::Relationship),
    it("con10", 3, Connection, false, 21, TrustBreaker(7), "When we disagree about something important, I can respect my partner's view even if it never changes."),
    it("con11", 3, Connection, false, 27, TrustBreaker(13), "I feel emotionally close to my partner."),
    it("con12", 3, Connection, false, 27, TrustBreaker(13), "I am satisfied with the physical closeness between us."),
    it("con6", 3, Connection, true, 29, TrustBreaker(15), "I put up walls so my partner can't see how I really feel."),
    it("con7", 3, Connection, false, 7, Foundation, "I feel safe being myself around my partner."),
    // 4. Your own part
    it("acc7", 4, Accountability, false, 38, RebuildWay(1), "If I did things that hurt trust between us, I can name them.").or_not_applicable(),
    it("acc8", 4, Accountability, false, 38, RebuildWay(1), "I can own my part without making excuses.").or_not_applicable(),
    it("acc11", 4, Accountability, true, 38, RebuildWay(1), "When my partner tells me how I have hurt trust, I get defensive.").or_not_applicable(),
    it("acc9", 4, Accountability, false, 40, RebuildWay(2), "I want to understand my own habits that affect trust between us."),
    it("acc5", 4, Accountability, false, 40, RebuildWay(2), "I can see patterns from my past that show up in how I act with my partner."),
    it("acc10", 4, Accountability, true, 40, RebuildWay(2), "I avoid looking at why things went wrong between us."),
    // 5. Skills for rebuilding
    it("rep1", 5, RepairSkills, false, 42, RebuildWay(3), "I know what makes my partner feel most loved and cared for."),
    it("rep2", 5, RepairSkills, false, 42, RebuildWay(3), "I make an effort to show care in the way my partner likes best."),
    it("rep12", 5, RepairSkills, true, 42, RebuildWay(3), "I tend to show care in my own way, whether or not it reaches my partner."),
    it("rep8", 5, RepairSkills, false, 44, RebuildWay(4), "I can listen to my partner's complaint without getting defensive."),
    it("rep9", 5, RepairSkills, false, 44, RebuildWay(4), "I can tell my partner about a hard feeling calmly."),
    it("rep13", 5, RepairSkills, true, 44, RebuildWay(4), "When my partner raises a problem, I argue back before I have heard it all."),
    it("rep10", 5, RepairSkills, true, 46, RebuildWay(5), "Once an argument starts, I find it hard to calm it down."),
    it("rep11", 5, RepairSkills, false, 46, RebuildWay(5), "When an argument gets heated, I can take a break."),
    it("rep7", 5, RepairSkills, false, 46, RebuildWay(5), "My partner and I have ways to make up and repair things after a fight.").about(About::Relationship),
    // 6. Where you are now: own commitment, the partner's as seen, openness to help
    it("wil1", 6, OwnCommitment, false, 32, Foundation, "I want to try to rebuild trust in this relationship."),
    it("wil2", 6, OwnCommitment, false, 50, GetHelp, "I feel able to work on rebuilding trust right now."),
    it("wil9", 6, OwnCommitment, true, 50, GetHelp, "Right now, I am unsure whether I want to rebuild trust."),
    it("wil6", 6, OwnCommitment, false, 32, Foundation, "I am committed to this relationship, even while things are hard."),
    it("wil10", 6, OwnCommitment, true, 50, GetHelp, "I have been thinking seriously about ending this relationship."),
    it("wil4", 6, PartnerCommitment, false, 50, GetHelp, "I believe my partner wants to rebuild trust with me.").about(About::Partner),
    it("wil11", 6, PartnerCommitment, true, 50, GetHelp, "I doubt that my partner really wants to work on our relationship.").about(About::Partner),
    it("wil7", 6, OpennessToHelp, false, 50, GetHelp, "I am open to working with a couples therapist."),
    it("wil12", 6, OpennessToHelp, true, 50, GetHelp, "I have doubts about involving a professional in our relationship."),
];
