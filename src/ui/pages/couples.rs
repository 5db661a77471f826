//! Pages for doing the intake as a couple: the invitation (A's card, B's welcome), the private
//! check-in before booking, the joint summary, and "what happens next" when booking together
//! is not open. Wording never names a partner and never hints at the other's answers.

use leptos::prelude::*;

use crate::domain::support::Resources;
use crate::ui::components::fields::TextField;
use crate::ui::components::support::SupportPanel;

/// Partner A's invitation card on their summary page.
#[derive(Clone, Debug)]
pub enum InviteCard {
    /// Not invited yet: a button to make the link.
    Offer { action: String },
    /// The link to send, until B starts with it; it can be withdrawn until then.
    Link {
        url: String,
        expires: String,
        withdraw: String,
        email: InviteEmail,
    },
    /// B has started.
    Used,
    /// A consult is booked already, on one's own.
    BookedAlone,
}

/// The form that has the practice email partner A's link to partner B.
#[derive(Clone, Debug, Default)]
pub struct InviteEmail {
    pub action: String,
    /// What was typed, kept when it is refused.
    pub value: String,
    pub error: Option<String>,
    /// The link was just emailed.
    pub sent: bool,
}

impl InviteCard {
    /// Why emailing the link was refused, for the alert at the top of the page.
    pub fn email_error(&self) -> Option<String> {
        match self {
            InviteCard::Link { email, .. } => email.error.clone(),
            _ => None,
        }
    }
}

#[component]
pub fn InvitePartner(card: InviteCard) -> impl IntoView {
    let body = match card {
        InviteCard::Offer { action } => view! {
            <p>
                "Your partner answers the same questions on their own device. Neither of you "
                "sees the other's answers. Once you have both finished, you each see a short "
                "summary together."
            </p>
            <form method="post" action=action>
                <button type="submit" class="button secondary">"Make a link for my partner"</button>
            </form>
        }
        .into_any(),
        InviteCard::Link {
            url,
            expires,
            withdraw,
            email,
        } => view! {
            <p>"Send this link to your partner, in a way that is safe for you. It works once, until " {expires} "."</p>
            <p class="resume-link"><code id="invite-link">{url}</code></p>
            <form method="post" action=email.action class="stack" novalidate>
                <TextField id="email" label="Or have the practice email it to your partner" kind="email"
                    autocomplete="off" value=email.value error=email.error
                    hint=Some("The message gives the link and the practice's name, nothing about your answers.") />
                <button type="submit" class="button secondary small">"Email the link"</button>
            </form>
            {email.sent.then(|| view! { <p role="status" class="sent">"The practice has emailed the link to your partner."</p> })}
            <form method="post" action=withdraw>
                <button type="submit" class="button secondary small">"Withdraw this link"</button>
            </form>
            <p class="hint">"Until your partner starts, you can withdraw it and go on on your own."</p>
        }
        .into_any(),
        InviteCard::BookedAlone => view! {
            <p>"You have booked a consult. If your partner would like to take part, please write to the practice first."</p>
        }
        .into_any(),
        InviteCard::Used => view! {
            <p>"Your partner has started with your link. Once you have both finished, your summary together appears below."</p>
        }
        .into_any(),
    };
    view! {
        <section class="card invite" id="invite">
            <h2>"Invite your partner"</h2>
            {body}
        </section>
    }
}

/// What a couple's summary page shows about the joint summary.
#[derive(Clone, Debug)]
pub enum JointCard {
    /// The couple's summary is given by a clinician (`JOINT_SUMMARY=clinician`).
    WithClinician,
    /// One of you has not finished yet.
    Waiting,
    /// The sentences, first one the introduction.
    Ready(Vec<String>),
}

#[component]
pub fn JointSummaryCard(card: JointCard) -> impl IntoView {
    let body = match card {
        JointCard::WithClinician => view! {
            <p>"Your partner does not see your answers, and you do not see theirs."</p>
            <p>"A clinician talks with each of you first. Then, if it is right for you both, they go through what you share together."</p>
        }
        .into_any(),
        JointCard::Waiting => view! {
            <p>"Once you have both finished, you will each see a short summary together here."</p>
        }
        .into_any(),
        JointCard::Ready(sentences) => {
            let mut sentences = sentences.into_iter();
            let intro = sentences.next().unwrap_or_default();
            let items = sentences.map(|s| view! { <li>{s}</li> }).collect_view();
            view! {
                <p>{intro}</p>
                <ul class="joint">{items}</ul>
            }
            .into_any()
        }
    };
    view! {
        <section class="card joint-summary">
            <h2>"Your summary together"</h2>
            {body}
        </section>
    }
}

/// Partner B's first page, from the invitation link.
#[component]
pub fn JoinPage(action: Option<String>, state: &'static str) -> impl IntoView {
    let body = match (state, action) {
        ("open", Some(action)) => view! {
            <h1>"You've been invited to answer privately"</h1>
            <p class="lead">
                "Your partner has started a short questionnaire about trust in your relationship, "
                "for a first consult with the practice. You answer the same questions on your own."
            </p>
            <ul class="facts">
                <li>"Your partner never sees your answers, and you never see theirs."</li>
                <li>"Once you have both finished, you each see your own summary and a short one together."</li>
                <li>"You get your own private link, so you can stop and come back."</li>
            </ul>
            <form method="post" action=action>
                <button type="submit" class="button primary">"Start my questionnaire"</button>
            </form>
        }
        .into_any(),
        ("used", _) => view! {
            <h1>"This invitation has been used"</h1>
            <p>
                "Someone has already started with this invitation. If that was you, please use "
                "your own private link to continue. Otherwise, please contact the practice."
            </p>
        }
        .into_any(),
        _ => view! {
            <h1>"This invitation has ended"</h1>
            <p>"Invitations work for two weeks. Your partner can make a new link from their summary page."</p>
        }
        .into_any(),
    };
    view! { <section class="card narrow">{body}</section> }
}

/// One question of the private check-in, as shown.
#[derive(Clone, Debug)]
pub struct CheckInQuestion {
    pub field: String,
    pub text: String,
    /// `(value, label)` choices.
    pub choices: Vec<(String, String)>,
    pub chosen: Option<String>,
    pub error: Option<String>,
}

/// The check-in's optional "how to reach you safely" part: what was typed, and refusals.
#[derive(Clone, Debug, Default)]
pub struct SafeContactForm {
    pub values: Vec<(String, String)>,
    /// `(field, message)` pairs.
    pub errors: Vec<(String, String)>,
}

impl SafeContactForm {
    fn value(&self, name: &str) -> String {
        crate::domain::form::value(&self.values, name).to_owned()
    }
}

/// An optional yes / no question (nothing chosen is an answer too).
#[component]
fn YesNo(name: &'static str, legend: &'static str, chosen: String) -> impl IntoView {
    let choices = [("yes", "Yes"), ("no", "No")]
        .into_iter()
        .map(|(value, label)| {
            let id = format!("{name}-{value}");
            let label_for = id.clone();
            let checked = chosen == value;
            view! {
                <label class="choice" for=label_for>
                    <input type="radio" id=id name=name value=value checked=checked />
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="question optional-question">
            <legend>{legend}" (optional)"</legend>
            <div class="scale check-in">{choices}</div>
        </fieldset>
    }
}

#[component]
fn SafeContactFields(form: SafeContactForm) -> impl IntoView {
    let error = |field: &str| crate::ui::components::fields::error_for(&form.errors, field);
    view! {
        <section class="safe-contact" aria-labelledby="safe-contact-heading">
            <h2 id="safe-contact-heading">"How the practice can reach you safely"</h2>
            <p class="hint">
                "Everyone is asked this, and all of it is optional. Only the practice's clinicians "
                "and intake staff see it, and it decides how the practice contacts you. It is "
                "never shown or sent to a partner."
            </p>
            <TextField id="safe_phone" label="A phone number that is safe to call" kind="tel"
                autocomplete="off" value=form.value("safe_phone") error=error("safe_phone")
                hint=None optional=true />
            <YesNo name="voicemail" legend="Is it OK to leave a voicemail?" chosen=form.value("voicemail") />
            <YesNo name="texts" legend="Is it OK to send a text message?" chosen=form.value("texts") />
            <TextField id="safe_email" label="An email address that is safe to use" kind="email"
                autocomplete="off" value=form.value("safe_email") error=error("safe_email")
                hint=Some("If you book a consult, its confirmation goes here unless you choose another address.")
                optional=true />
            <TextField id="safe_times" label="Times when it is safe to contact you" kind="text"
                autocomplete="off" value=form.value("safe_times") error=error("safe_times")
                hint=Some("For example: weekdays between 10 and 12.") optional=true />
            <TextField id="ask_for" label="A name to ask for, if not your own" kind="text"
                autocomplete="off" value=form.value("ask_for") error=error("ask_for")
                hint=None optional=true />
            <YesNo name="calendar" legend="Is it safe to receive a calendar file with a confirmation? If you share a calendar with your partner, choose No." chosen=form.value("calendar") />
        </section>
    }
}

#[component]
pub fn CheckInPage(
    action: String,
    questions: Vec<CheckInQuestion>,
    alert: bool,
    contact: SafeContactForm,
    support: Resources,
    /// When a clinician reads the answers, and what to do in danger now: the same for all.
    reading_notice: String,
) -> impl IntoView {
    let questions = questions
        .into_iter()
        .enumerate()
        .map(|(n, q)| {
            let error_id = format!("{}-error", q.field);
            let described = q.error.is_some().then(|| error_id.clone());
            let unanswered = q.error.is_some();
            let choices = q
                .choices
                .into_iter()
                .map(|(value, label)| {
                    let id = format!("{}-{value}", q.field);
                    let checked = q.chosen.as_deref() == Some(value.as_str());
                    let label_for = id.clone();
                    view! {
                        <label class="choice" for=label_for>
                            <input type="radio" id=id name=q.field.clone() value=value checked=checked required />
                            <span>{label}</span>
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="question" class:unanswered=unanswered aria-describedby=described>
                    <legend><span class="question-number">{format!("{}. ", n + 1)}</span>{q.text}</legend>
                    {q.error.map(|e| view! { <p class="field-error" id=error_id>{e}</p> })}
                    <div class="scale check-in">{choices}</div>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <section class="card">
            <h1>"A few private questions"</h1>
            {alert.then(|| view! {
                <p class="form-alert" role="alert">"Please check the questions marked below: each needs an answer (\"I'd rather not say\" is always fine), and a contact detail, if you give one, needs to be one the practice can use. Everything you chose is kept."</p>
            })}
            <p class="lead">
                "The practice asks everyone these, before the summary. Your answers go only to "
                "the practice's clinicians and intake staff: your partner never sees them, on any "
                "page or in any email, and the summary you see next is the same whatever you answer."
            </p>
            <p class="reading-notice"><strong>{reading_notice}</strong></p>
            <p class="hint">
                "If you are not alone right now, you can use Quick exit at the top and come back "
                "later with your private link."
            </p>
            <form method="post" action=action novalidate>
                {questions}
                <SafeContactFields form=contact />
                <div class="form-nav">
                    <button type="submit" class="button primary">"Continue"</button>
                </div>
            </form>
        </section>
        <SupportPanel resources=support />
    }
}

/// Change how the practice can reach you: the same empty form for everyone (nothing given
/// before is shown back), saving replaces all of it, and one button removes it all.
/// `saved`: `Some(false)` after saving, `Some(true)` after removing.
#[component]
pub fn ReachPage(
    action: String,
    back: String,
    contact: SafeContactForm,
    saved: Option<bool>,
    support: Resources,
) -> impl IntoView {
    let alert = (!contact.errors.is_empty()).then(|| {
        view! { <p class="form-alert" role="alert">"Please check the fields marked below. Nothing has changed yet, and everything you typed is kept."</p> }
    });
    let notice = saved.map(|cleared| {
        let text = if cleared {
            "Done. The practice no longer has the details you gave here, and no message waiting to go to that email will be sent there."
        } else {
            "Saved. The practice uses these details from now on, for messages not sent yet too."
        };
        view! { <p class="form-ok" role="status">{text}</p> }
    });
    view! {
        <section class="card">
            <h1>"How the practice can reach you"</h1>
            {notice}
            {alert}
            <p class="lead">
                "If your situation has changed (a new number, a phone someone else can see), tell "
                "the practice here. What you save replaces everything you gave before. For your "
                "privacy, what you gave before is not shown."
            </p>
            <form method="post" action=action.clone() novalidate>
                <SafeContactFields form=contact />
                <div class="form-nav">
                    <button type="submit" class="button primary" name="action" value="save">"Save these details"</button>
                </div>
            </form>
            <form method="post" action=action class="stack">
                <p class="hint">"Or remove every detail you gave, so the practice contacts you only as you arranged a consult."</p>
                <button type="submit" class="button" name="action" value="clear">"Remove what I gave"</button>
            </form>
            <p><a href=back>"Back to your summary"</a></p>
        </section>
        <SupportPanel resources=support />
    }
}

/// When booking is not open here: a calm next step, the same words whatever the reason.
#[component]
pub fn NextStepPage(
    message: &'static str,
    private_offer: &'static str,
    practice_email: String,
    support: Resources,
) -> impl IntoView {
    view! {
        <section class="card narrow next-step-page">
            <h1>"Your next step"</h1>
            <p class="lead">{message}</p>
            <p>{private_offer}</p>
            <p>
                "You can also write to the practice: "
                <a href=format!("mailto:{practice_email}")>{practice_email.clone()}</a>
            </p>
        </section>
        <SupportPanel resources=support />
    }
}
