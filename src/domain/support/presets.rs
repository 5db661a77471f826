//! The built-in support lines per country. Each entry names the stored public page its
//! details were checked against; re-check them before a release (`PRESETS_CHECKED`).

use super::*;

// The presets. Each entry names the stored public page its details were checked against.

/// A line with the fields every entry sets; the rest are filled in with struct update syntax.
pub(super) fn line(kinds: &[SupportKind], name: &str) -> SupportLine {
    SupportLine {
        kinds: kinds.to_vec(),
        name: name.to_owned(),
        serves: None,
        phone: None,
        text_number: None,
        text_keyword: None,
        website: None,
        free: false,
        open_24_7: false,
        note: None,
    }
}

pub(super) fn some(s: &str) -> Option<String> {
    Some(s.to_owned())
}

use SupportKind::{Crisis, DomesticViolence, SexualAssault};

pub(super) fn us() -> Vec<SupportLine> {
    vec![
        // ovc.ojp.gov "National Domestic Violence Hotline Answers 6 Million Contacts" (phone, TTY,
        // START to 88788, 24/7/365); thehotline.org; "free, confidential" per
        // areachbeyondthesurface.org's overview of the Hotline.
        SupportLine {
            phone: some("1-800-799-7233"),
            text_number: some("88788"),
            text_keyword: some("START"),
            website: some("thehotline.org"),
            free: true,
            open_24_7: true,
            note: some("TTY 1-800-787-3224. You can also chat on the website."),
            ..line(&[DomesticViolence], "National Domestic Violence Hotline")
        },
        // rainn.org "National Sexual Assault Hotline - 1.800.656.HOPE"; "free, confidential live
        // help, 24/7" (RAINN's one-millionth-caller announcement, 2006); ohl.rainn.org (chat).
        SupportLine {
            phone: some("1-800-656-4673"),
            website: some("rainn.org"),
            free: true,
            open_24_7: true,
            note: some("You can also chat on the website."),
            ..line(&[SexualAssault], "RAINN National Sexual Assault Hotline")
        },
        // mcphs.edu "988 Suicide and Crisis Lifeline" (call or text 988, chat 988lifeline.org,
        // free and confidential, 24/7); health.wyo.gov likewise.
        SupportLine {
            phone: some("988"),
            text_number: some("988"),
            website: some("988lifeline.org"),
            free: true,
            open_24_7: true,
            ..line(&[Crisis], "988 Suicide & Crisis Lifeline")
        },
        // sfisd.net and alexproject.org "Crisis Text Line – Text HOME to 741741" (free, 24/7).
        SupportLine {
            text_number: some("741741"),
            text_keyword: some("HOME"),
            free: true,
            open_24_7: true,
            ..line(&[Crisis], "Crisis Text Line")
        },
    ]
}

pub(super) fn ca() -> Vec<SupportLine> {
    vec![
        // Canada has no single national domestic violence line. ihtoday.ca and cupe.on.ca on
        // ShelterSafe.ca (a map of shelters; shelters have 24-hour lines); endvaw.ca (shelter
        // crisis lines are staffed 24/7 and support is free, with no need to stay at a shelter).
        SupportLine {
            website: some("sheltersafe.ca"),
            free: true,
            note: some(
                "A map of women's shelters across Canada. Each has a 24-hour phone line, and \
                 you don't need to stay at a shelter to get support from one.",
            ),
            ..line(&[DomesticViolence], "ShelterSafe")
        },
        // unitedwaygt.org "#HelpStartsHere, for all Canadians" (2-1-1 anywhere in Canada, free,
        // confidential, 24/7 "in most of Canada"); burlingtongazette.ca (domestic violence
        // shelters among the needs 211 connects people to).
        SupportLine {
            phone: some("211"),
            free: true,
            note: some(
                "Help finding local services, including support for people living with \
                 violence at home. Open day and night in most of Canada.",
            ),
            ..line(&[DomesticViolence], "211")
        },
        // No national sexual assault line either. mtroyal.campuswell.ca "Getting help after
        // sexual assault" points to the centre finder on the Canadian Association of Sexual
        // Assault Centres website (casac.ca).
        SupportLine {
            website: some("casac.ca"),
            note: some("Find a sexual assault centre near you on their website."),
            ..line(
                &[SexualAssault],
                "Canadian Association of Sexual Assault Centres",
            )
        },
        // newswire.ca "9-8-8: Suicide Crisis Helpline available across Canada" (call or text,
        // 24/7); maplenow.ca (no cost); cmhasaskatoon.ca (988.ca).
        SupportLine {
            phone: some("9-8-8"),
            text_number: some("9-8-8"),
            website: some("988.ca"),
            free: true,
            open_24_7: true,
            ..line(&[Crisis], "9-8-8 Suicide Crisis Helpline")
        },
    ]
}

pub(super) fn gb() -> Vec<SupportLine> {
    vec![
        // refuge.org.uk "Freephone 24-Hour National Domestic Abuse Helpline: 0808 2000 247";
        // refuge.org.uk on nationaldahelpline.org.uk and the safe-time callback form; the line is
        // run for women ("Any woman experiencing abuse should call").
        SupportLine {
            serves: some("Women"),
            phone: some("0808 2000 247"),
            website: some("nationaldahelpline.org.uk"),
            free: true,
            open_24_7: true,
            note: some(
                "On the website you can ask for a call back at a time that is safe for you.",
            ),
            ..line(&[DomesticViolence], "National Domestic Abuse Helpline")
        },
        // Respect's leaflet "Talk it over" on studylib.net (confidential freephone helpline for
        // men, calls welcome from everywhere in the UK); 0808 801 0327 per wired-gov.net and
        // scotsman.com. Hours have varied, so none are claimed.
        SupportLine {
            serves: some("Men"),
            phone: some("0808 801 0327"),
            free: true,
            ..line(&[DomesticViolence], "Men's Advice Line")
        },
        // safer.scot "Scotland's Domestic Abuse Helpline 0800 027 1234" (24/7);
        // news.stv.tv (free 24/7, sdafmh.org.uk).
        SupportLine {
            serves: some("Scotland"),
            phone: some("0800 027 1234"),
            website: some("sdafmh.org.uk"),
            free: true,
            open_24_7: true,
            ..line(
                &[DomesticViolence],
                "Scotland's Domestic Abuse and Forced Marriage Helpline",
            )
        },
        // gov.wales/live-fear-free/sexual-violence (call 0808 80 10 800, text 07860077333,
        // 24/7, sexual violence too); welshwomensaid.org.uk (free, confidential).
        SupportLine {
            serves: some("Wales"),
            phone: some("0808 80 10 800"),
            text_number: some("07860 077333"),
            website: some("gov.wales/live-fear-free"),
            free: true,
            open_24_7: true,
            ..line(
                &[DomesticViolence, SexualAssault],
                "Live Fear Free Helpline",
            )
        },
        // victimsupportni.com "Domestic violence" (DSA Helpline run by Nexus, 0808 802 1414,
        // 24/7, free and confidential); psni.police.uk likewise.
        SupportLine {
            serves: some("Northern Ireland"),
            phone: some("0808 802 1414"),
            free: true,
            open_24_7: true,
            ..line(
                &[DomesticViolence, SexualAssault],
                "Domestic and Sexual Abuse Helpline",
            )
        },
        // 247sexualabusesupport.org.uk FAQs (free phone and online chat, 24 hours, every day,
        // 16+ in England and Wales, run by Rape Crisis England & Wales). Its phone number was
        // not found on a stored page, so it is left out: the website has it.
        SupportLine {
            serves: some("England and Wales, aged 16 and over"),
            website: some("247sexualabusesupport.org.uk"),
            free: true,
            open_24_7: true,
            note: some("A free phone line and online chat. The phone number is on the website."),
            ..line(&[SexualAssault], "Rape and Sexual Abuse Support Line")
        },
        // rapecrisisscotland.org.uk (free helpline 08088 01 03 02). Opening hours on the stored
        // pages differ by year, so none are claimed.
        SupportLine {
            serves: some("Scotland"),
            phone: some("08088 01 03 02"),
            website: some("rapecrisisscotland.org.uk"),
            free: true,
            note: some("See the website for opening hours."),
            ..line(&[SexualAssault], "Rape Crisis Scotland Helpline")
        },
        // samaritans.org "Contact a Samaritan" (116 123 free from landlines and mobiles);
        // samaritans.org branch news (24 hours, every day); heraldscotland.com (calls do not
        // appear on phone bills).
        SupportLine {
            phone: some("116 123"),
            website: some("samaritans.org"),
            free: true,
            open_24_7: true,
            note: some("Calls to this number don't show on phone bills."),
            ..line(&[Crisis], "Samaritans")
        },
        // forres-gazette.co.uk and giveusashout.org (text SHOUT to 85258, free, 24/7);
        // Shout's information pack on readkong.com (does not appear on a mobile bill).
        SupportLine {
            text_number: some("85258"),
            text_keyword: some("SHOUT"),
            website: some("giveusashout.org"),
            free: true,
            open_24_7: true,
            note: some("Texts to this number don't show on phone bills."),
            ..line(&[Crisis], "Shout")
        },
    ]
}

pub(super) fn ie() -> Vec<SupportLine> {
    vec![
        // womensaid.ie "Minister ... launches Women's Aid 24hr National Freephone Helpline";
        // irishcentral.com (1800 341 900, 24 hours, seven days).
        SupportLine {
            serves: some("Women"),
            phone: some("1800 341 900"),
            website: some("womensaid.ie"),
            free: true,
            open_24_7: true,
            ..line(
                &[DomesticViolence],
                "Women's Aid National Freephone Helpline",
            )
        },
        // rte.ie "Contacts to Men's Aid increased by 37% during 2021" (Confidential National
        // Support Helpline 01 554 3811, weekdays 9am to 5pm); mensaid.ie.
        SupportLine {
            serves: some("Men"),
            phone: some("01 554 3811"),
            website: some("mensaid.ie"),
            note: some("Open on weekdays. See the website for hours."),
            ..line(&[DomesticViolence], "Men's Aid")
        },
        // drcc.ie "Christmas can be 'difficult and lonely time'" (National Rape Crisis Helpline
        // 1800 77 88 88); irishexaminer.com (freephone); thejournal.ie (24-hour helpline).
        SupportLine {
            phone: some("1800 77 88 88"),
            website: some("drcc.ie"),
            free: true,
            open_24_7: true,
            ..line(&[SexualAssault], "National Rape Crisis Helpline")
        },
        // irishhealthpro.com "Big jump in calls to Samaritans since 2014" (116 123 free, 24 hours
        // a day); newstalk.com (free to callers across the island of Ireland).
        SupportLine {
            phone: some("116 123"),
            website: some("samaritans.org"),
            free: true,
            open_24_7: true,
            ..line(&[Crisis], "Samaritans")
        },
    ]
}

pub(super) fn au() -> Vec<SupportLine> {
    vec![
        // 1800respect.org.au terms and conditions (call 1800 737 732, text 0458 737 732, webchat);
        // plan4womenssafety.dss.gov.au (national service, 24 hours a day, seven days a week).
        SupportLine {
            phone: some("1800 737 732"),
            text_number: some("0458 737 732"),
            website: some("1800respect.org.au"),
            open_24_7: true,
            note: some("You can also chat on the website."),
            ..line(&[DomesticViolence, SexualAssault], "1800RESPECT")
        },
        // lifeinmind.org.au "Lifeline's crisis text service now available 24/7" (call 13 11 14,
        // text 0477 13 11 14, chat); en.wikipedia.org "Lifeline (crisis support service)"
        // (free, 24-hour; lifeline.org.au).
        SupportLine {
            phone: some("13 11 14"),
            text_number: some("0477 13 11 14"),
            website: some("lifeline.org.au"),
            free: true,
            open_24_7: true,
            ..line(&[Crisis], "Lifeline")
        },
    ]
}

pub(super) fn nz() -> Vec<SupportLine> {
    vec![
        // govt.nz "Domestic and family violence" (0800 733 843, free from any phone, 24 hours);
        // womensrefuge.org.nz/get-help (crisis line, for women and children).
        SupportLine {
            serves: some("Women and children"),
            phone: some("0800 733 843"),
            website: some("womensrefuge.org.nz"),
            free: true,
            open_24_7: true,
            ..line(&[DomesticViolence], "Women's Refuge crisis line")
        },
        // govt.nz "Domestic and family violence" (Shine Helpline 0508 744 633, free, 9am to 11pm).
        SupportLine {
            phone: some("0508 744 633"),
            free: true,
            note: some("Open 9am to 11pm every day."),
            ..line(&[DomesticViolence], "Shine Helpline")
        },
        // msd.govt.nz "'Safe to talk' National Sexual Harm Helpline" (free, 24/7); nzherald via
        // pressreader.com (call 0800 044 334, text 4334, safetotalk.nz).
        SupportLine {
            phone: some("0800 044 334"),
            text_number: some("4334"),
            website: some("safetotalk.nz"),
            free: true,
            open_24_7: true,
            ..line(&[SexualAssault], "Safe to talk")
        },
        // scoop.co.nz "Single phone number to access support services" (1737, free to call or
        // text from any phone, 24 hours a day, 7 days a week).
        SupportLine {
            phone: some("1737"),
            text_number: some("1737"),
            free: true,
            open_24_7: true,
            ..line(&[Crisis], "Need to talk? 1737")
        },
    ]
}
