//! Booking a consult: pick a time (in your own zone), give contact details, then see, move or
//! cancel the booking through a private link. Plain forms: everything works without JavaScript.

use leptos::prelude::*;

use crate::ui::components::fields::{error_for, CheckboxField, TextField};
use crate::ui::components::zone_detect::ZoneDetector;

/// One bookable time, as the picker shows it.
#[derive(Clone, Debug)]
pub struct SlotOption {
    /// The start as an RFC 3339 UTC instant: what the form sends.
    pub value: String,
    /// "16:00", in the viewer's zone.
    pub label: String,
}

/// One day of bookable times, in the viewer's zone.
#[derive(Clone, Debug)]
pub struct SlotDay {
    /// "Tuesday 1 December".
    pub label: String,
    pub slots: Vec<SlotOption>,
}

/// The viewer's zone and the list to change it.
#[derive(Clone, Debug)]
pub struct ZoneChoice {
    pub current: String,
    pub practice: String,
    pub options: Vec<String>,
}

/// The time picker, for a first booking or for moving one.
#[derive(Clone, Debug)]
pub struct SlotPicker {
    pub heading: String,
    /// Where the chosen slot goes (GET for a new booking's next step, POST to move one).
    pub action: String,
    pub method: &'static str,
    /// The page itself, for the zone form.
    pub here: String,
    pub zone: ZoneChoice,
    pub days: Vec<SlotDay>,
    pub length_minutes: u32,
    /// Shown at the top, e.g. "that time was just booked".
    pub alert: Option<String>,
    pub submit_label: &'static str,
    pub practice_email: String,
    /// Switch to the browser's zone (JavaScript on): only when the viewer has not chosen one.
    pub detect_zone: bool,
    /// For a partner's new booking, whom it is for (`couple` or `client`), kept through the
    /// zone form and the time form.
    pub for_whom: Option<String>,
}

#[component]
fn ZoneForm(here: String, zone: ZoneChoice, for_whom: Option<String>) -> impl IntoView {
    let ZoneChoice {
        current,
        practice,
        options,
    } = zone;
    let options = options
        .into_iter()
        .map(|name| {
            let selected = name == current;
            view! { <option value=name.clone() selected=selected>{name.replace('_', " ")}</option> }
        })
        .collect_view();
    view! {
        <form method="get" action=here class="zone-form">
            {for_whom.map(|v| view! { <input type="hidden" name="for" value=v /> })}
            <label for="tz">"Show times in"</label>
            <select id="tz" name="tz" data-zone-detect="">{options}</select>
            <button type="submit" class="button secondary small">"Show times"</button>
            <p class="hint">{format!("The practice works in {} time.", practice.replace('_', " "))}</p>
        </form>
    }
}

#[component]
pub fn SlotPickerPage(picker: SlotPicker) -> impl IntoView {
    let SlotPicker {
        heading,
        action,
        method,
        here,
        zone,
        days,
        length_minutes,
        alert,
        submit_label,
        practice_email,
        detect_zone,
        for_whom,
    } = picker;
    let tz = zone.current.clone();
    let alert = alert.map(|a| view! { <p class="form-alert" role="alert">{a}</p> });
    let body = if days.is_empty() {
        view! {
            <p>
                "No consult times are open at the moment. The practice will be glad to hear from you: "
                <a href=format!("mailto:{practice_email}")>{practice_email.clone()}</a>
            </p>
        }
        .into_any()
    } else {
        let days = days
            .into_iter()
            .map(|day| {
                let slots = day
                    .slots
                    .into_iter()
                    .map(|slot| {
                        let id = format!("slot-{}", slot.value.replace([':', '+'], "-"));
                        let label_for = id.clone();
                        view! {
                            <label class="choice slot" for=label_for>
                                <input type="radio" id=id name="slot" value=slot.value required />
                                <span>{slot.label}</span>
                            </label>
                        }
                    })
                    .collect_view();
                view! {
                    <fieldset class="slot-day">
                        <legend>{day.label}</legend>
                        <div class="slots">{slots}</div>
                    </fieldset>
                }
            })
            .collect_view();
        view! {
            <form method=method action=action class="slot-form">
                <input type="hidden" name="tz" value=tz />
                {for_whom.clone().map(|v| view! { <input type="hidden" name="for" value=v /> })}
                {days}
                <div class="form-nav">
                    <button type="submit" class="button primary">{submit_label}</button>
                </div>
            </form>
        }
        .into_any()
    };
    view! {
        <section class="card">
            <h1>{heading}</h1>
            {alert}
            <p class="lead">
                {format!("A first consult lasts {length_minutes} minutes. Pick a time that suits you; you can move or cancel it later.")}
            </p>
            <ZoneForm here zone for_whom />
            {detect_zone.then(|| view! { <ZoneDetector /> })}
            {body}
        </section>
    }
}

/// The contact-details step of a new booking.
#[derive(Clone, Debug)]
pub struct ConfirmBooking {
    pub action: String,
    /// Back to the picker, keeping the zone.
    pub back: String,
    pub slot: String,
    pub tz: String,
    pub request_key: String,
    /// The time in the viewer's zone, and in the practice's when it differs.
    pub when: String,
    pub when_practice: Option<String>,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub consent: bool,
    /// For a partner: `couple` (together) or `client` (on their own).
    pub for_whom: Option<String>,
    /// `(field, message)` pairs, shown next to their fields.
    pub errors: Vec<(String, String)>,
}

#[component]
pub fn ConfirmBookingPage(form: ConfirmBooking) -> impl IntoView {
    let ConfirmBooking {
        action,
        back,
        slot,
        tz,
        request_key,
        when,
        when_practice,
        name,
        email,
        phone,
        consent,
        for_whom,
        errors,
    } = form;
    let whom = for_whom.as_deref().map(|w| match w {
        "couple" => "A consult for you both, together.",
        _ => "A consult for you on your own. Your partner is not told about it.",
    });
    // A problem with the form itself (not one field) is said in the alert.
    let alert_text = error_for(&errors, "form").unwrap_or_else(|| {
        "Please check the fields marked below. Nothing is booked yet, and your time is not held."
            .to_owned()
    });
    let alert =
        (!errors.is_empty()).then(|| view! { <p class="form-alert" role="alert">{alert_text}</p> });
    view! {
        <section class="card narrow">
            <h1>"Confirm your consult"</h1>
            {alert}
            <p class="chosen-time">
                <strong>{when}</strong>
                {when_practice.map(|p| view! { <br /><span class="hint">{format!("At the practice: {p}")}</span> })}
            </p>
            {whom.map(|w| view! { <p>{w}</p> })}
            <p><a href=back>"Choose a different time"</a></p>
            <form method="post" action=action class="stack booking-form" novalidate>
                {for_whom.map(|v| view! { <input type="hidden" name="for" value=v /> })}
                <input type="hidden" name="slot" value=slot />
                <input type="hidden" name="tz" value=tz />
                <input type="hidden" name="request_key" value=request_key />
                <TextField id="name" label="Your name" kind="text" autocomplete="name" value=name
                    error=error_for(&errors, "name") hint=Some("What the practice should call you.") />
                <TextField id="email" label="Email" kind="email" autocomplete="email" value=email
                    error=error_for(&errors, "email") hint=Some("Use an address only you read. Your confirmation goes here. It says only the time, never your answers. For your privacy, a safe address you gave earlier is not shown here: type it again to use it.") />
                <TextField id="phone" label="Phone" kind="tel" autocomplete="tel" value=phone
                    error=error_for(&errors, "phone") hint=None />
                <CheckboxField id="consent" name="consent" checked=consent error=error_for(&errors, "consent")
                    label=" The practice may use these details to contact me about this consult." />
                <button type="submit" class="button primary">"Book this consult"</button>
            </form>
        </section>
    }
}

/// A booking seen through its private link.
#[derive(Clone, Debug)]
pub struct ManageBooking {
    pub base: String,
    pub tz: String,
    pub reference: String,
    pub when: String,
    pub when_practice: Option<String>,
    pub length_minutes: i64,
    pub cancelled: bool,
    pub changeable: bool,
    pub just_booked: bool,
    pub cutoff_hours: i64,
    pub manage_url: String,
    pub email: String,
    /// A calendar file goes with the confirmation (not when the client said it is unsafe).
    pub calendar: bool,
    pub practice_email: String,
    pub notice: Option<String>,
}

#[component]
pub fn ManageBookingPage(booking: ManageBooking) -> impl IntoView {
    let ManageBooking {
        base,
        tz,
        reference,
        when,
        when_practice,
        length_minutes,
        cancelled,
        changeable,
        just_booked,
        cutoff_hours,
        manage_url,
        email,
        calendar,
        practice_email,
        notice,
    } = booking;
    let heading = match (cancelled, just_booked) {
        (true, _) => "Your consult is cancelled",
        (false, true) => "Your consult is booked",
        (false, false) => "Your consult",
    };
    let notice = notice.map(|n| view! { <p class="form-ok" role="status">{n}</p> });
    let sent = (just_booked && !cancelled).then(|| {
        let with = if calendar {
            "A confirmation with a calendar file"
        } else {
            "A confirmation"
        };
        view! { <p>{format!("{with} is on its way to {email}.")}</p> }
    });
    let actions = if cancelled {
        view! {
            <p>{format!("To book a new time, open the private link to your summary again, or write to {practice_email}.")}</p>
        }
        .into_any()
    } else if changeable {
        view! {
            <div class="form-nav">
                <a class="button secondary" href=format!("{base}/reschedule?tz={tz}")>"Move to another time"</a>
                <a class="button secondary" href=format!("{base}/cancel?tz={tz}")>"Cancel this consult"</a>
            </div>
            <p class="hint">{format!("You can move or cancel online until {cutoff_hours} hours before it starts.")}</p>
        }
        .into_any()
    } else {
        view! {
            <p>{format!("It is too close to the consult to change it online. Please write to {practice_email} or call the practice.")}</p>
        }
        .into_any()
    };
    let link = (!cancelled).then(|| {
        view! {
            <details class="resume">
                <summary>"Your private link to this booking"</summary>
                <p>"Anyone with this link can move or cancel the consult. It is also in your confirmation email."</p>
                <p class="resume-link"><code>{manage_url}</code></p>
            </details>
        }
    });
    view! {
        <section class="card narrow">
            <h1>{heading}</h1>
            {notice}
            <p class="chosen-time">
                <strong>{when}</strong>
                {format!(", {length_minutes} minutes")}
                {when_practice.map(|p| view! { <br /><span class="hint">{format!("At the practice: {p}")}</span> })}
            </p>
            <p class="reference">"Reference: " <strong>{reference}</strong></p>
            {sent}
            {actions}
            {link}
        </section>
    }
}

/// "Cancel your consult on …?" — one more step, so a stray tap cancels nothing.
#[component]
pub fn CancelBookingPage(action: String, back: String, when: String) -> impl IntoView {
    view! {
        <section class="card narrow">
            <h1>"Cancel this consult?"</h1>
            <p class="chosen-time"><strong>{when}</strong></p>
            <p>"The time becomes free for someone else at once."</p>
            <form method="post" action=action class="form-nav">
                <button type="submit" class="button primary">"Yes, cancel it"</button>
                <a class="button secondary" href=back>"No, keep it"</a>
            </form>
        </section>
    }
}

/// Who booked a consult that the client did not book from this page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BookedBy {
    /// On the other partner's questionnaire, for them both (one consult per couple): by that
    /// partner or by the practice, which this page does not say.
    Partner,
    /// The practice, with the client (by phone, say).
    Practice,
}

/// A consult booked some other way: what the client sees instead of the time picker.
#[component]
pub fn BookedElsewherePage(when: String, by: BookedBy, practice_email: String) -> impl IntoView {
    let (heading, who) = match by {
        BookedBy::Partner => (
            "Your consult together is booked",
            "This consult is for you both. The confirmation sent when it was booked has the link to move or cancel it.",
        ),
        BookedBy::Practice => (
            "Your consult is booked",
            "The practice booked this time with you; your confirmation email has the link to move or cancel it.",
        ),
    };
    view! {
        <section class="card narrow">
            <h1>{heading}</h1>
            <p class="chosen-time"><strong>{when}</strong></p>
            <p>
                {who} " Questions? Write to "
                <a href=format!("mailto:{practice_email}")>{practice_email.clone()}</a>
                "."
            </p>
        </section>
    }
}

/// A partner's booking page: a consult on their own is always open; together, the couple's
/// offer, in the same words for both partners whatever the reason.
#[derive(Clone, Debug)]
pub struct ConsultChoice {
    /// The couple's offer, as `JointBookingOffer::message` words it.
    pub together: &'static str,
    /// Where to choose a time together, when the couple can book it themselves.
    pub together_url: Option<String>,
    pub own_url: String,
    pub practice_email: String,
    /// The support panel every next-step page shows, the same for everyone.
    pub support: crate::domain::support::Resources,
}

#[component]
pub fn ConsultChoicePage(choice: ConsultChoice) -> impl IntoView {
    let ConsultChoice {
        together,
        together_url,
        own_url,
        practice_email,
        support,
    } = choice;
    view! {
        <section class="card narrow">
            <h1>"Arrange a first consult"</h1>
            <p class="lead">"You can meet a clinician together, or on your own first. Many people start on their own."</p>
            <h2>"On your own"</h2>
            <p>"A private conversation with a clinician, just you. Your partner is not told about it, on any page or in any email."</p>
            <p><a class="button primary" href=own_url>"Choose a time on my own"</a></p>
            <h2>"Together"</h2>
            <p>{together}</p>
            {together_url.map(|url| view! { <p><a class="button secondary" href=url>"Choose a time together"</a></p> })}
            <p class="hint">
                "Questions? Write to "
                <a href=format!("mailto:{practice_email}")>{practice_email.clone()}</a>
                "."
            </p>
        </section>
        <crate::ui::components::support::SupportPanel resources=support />
    }
}
