//! The rest of the safety pathway, as clients and clinicians meet it: consent to the practice's
//! policy before the first question (asked again when it changes), a safe way to be reached
//! that only clinicians see and that decides how messages go, one booking path whatever the
//! check-in said, the clinicians' first contact, and booking together during a hold only with
//! a stated reason. Against SQLite and PostgreSQL. That no page differs by what either partner
//! answered at the check-in is tested in `unseen.rs`.

use crate::common::{
    self, check_in_form, create_admin, db_count, db_text, location, log_in_as, TestApp,
};
use reqwest::StatusCode;
use scraper::{Html, Selector};

const ADMIN: &str = "ana@harbour.example";
const PASSWORD: &str = "correct horse battery staple";
/// Safe-contact details no page or message of anyone else may ever show.
const SAFE_EMAIL: &str = "canary-safe-7c1e@example.org";
const SAFE_PHONE: &str = "+1 555 010 7777";
const ASK_FOR: &str = "Canary Robin";

mod check_in_missing;
mod individual;
mod tampered;
mod unseen;

fn select(html: &str, css: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let selector = Selector::parse(css).expect("selector");
    doc.select(&selector)
        .map(|e| {
            e.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn main_text(html: &str) -> String {
    select(html, "main").concat()
}

async fn get(app: &TestApp, path: &str) -> (StatusCode, String, String) {
    let response = app.raw.get(app.url(path)).send().await.expect("get");
    let status = response.status();
    let to = location(&response);
    (status, to, response.text().await.expect("body"))
}

/// A finished questionnaire, before its check-in.
async fn finished(app: &TestApp) -> String {
    let token = common::start_questionnaire(app).await;
    common::answer_every_section(app, &token, |_| "4", "").await;
    token
}

/// The check-in with `answer` throughout and these safe-contact fields.
async fn check_in_with(
    app: &TestApp,
    token: &str,
    answer: &str,
    contact: &[(&str, &str)],
) -> reqwest::Response {
    let mut form = check_in_form(answer);
    form.extend(contact.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    app.raw
        .post(app.url(&format!("/q/{token}/private")))
        .form(&form)
        .send()
        .await
        .expect("check-in")
}

async fn reference(app: &TestApp, token: &str) -> String {
    let (_, _, html) = get(app, &format!("/q/{token}/result")).await;
    select(&html, ".reference strong").concat()
}

async fn consent_comes_first_and_a_changed_policy_asks_again(mut app: TestApp) {
    // "Start the questionnaire" opens the policy; nothing is kept until it is agreed to.
    let (status, _, html) = get(&app, "/start").await;
    assert_eq!(status, StatusCode::OK);
    let headings = select(&html, "main h2");
    assert!(
        headings.contains(&"Between partners".to_owned()),
        "{headings:?}"
    );
    assert!(headings.contains(&"When the practice must share information".to_owned()));
    assert!(main_text(&html).contains("Anyone who has your private link can open your answers"));
    // Not ticked: said at the box, nothing made or recorded.
    let refused = app
        .raw
        .post(app.url("/start"))
        .form(&[("agree", "")])
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("body");
    assert!(select(&html, "#agree-error")
        .concat()
        .contains("Please tick the box"));
    assert_eq!(db_count(&app, "select count(*) from submissions").await, 0);
    assert_eq!(db_count(&app, "select count(*) from consents").await, 0);
    let token = common::start_questionnaire(&app).await;
    let version = db_text(&app, "select policy_version from consents").await;
    assert_eq!(version.len(), 12, "{version}");
    let (_, to, _) = get(&app, &format!("/q/{token}")).await;
    assert_eq!(to, format!("/q/{token}/s/1"));

    // The practice changes its policy: the next page asks again, says why, and a section
    // posted meanwhile is still saved.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("policy.txt");
    std::fs::write(
        &path,
        "# Our policy\nCANARY-POLICY-TEXT we keep what you say private.\n",
    )
    .expect("write policy");
    app.stop().await;
    app.restart(&[("CONSENT_POLICY_FILE", path.display().to_string())])
        .await;
    let (_, to, _) = get(&app, &format!("/q/{token}/s/1")).await;
    assert_eq!(to, format!("/q/{token}/consent"));
    let (_, _, html) = get(&app, &format!("/q/{token}/consent")).await;
    assert!(main_text(&html).contains("CANARY-POLICY-TEXT"));
    assert!(main_text(&html).contains("The practice has changed this since you last agreed"));
    let questions = trustbridge::domain::questionnaire::Instrument::CURRENT.questions_in_section(1);
    let form: Vec<(String, String)> = questions
        .into_iter()
        .map(|q| (q.field_name(), "2".to_owned()))
        .chain([("nav".to_owned(), "next".to_owned())])
        .collect();
    let saved = app
        .raw
        .post(app.url(&format!("/q/{token}/s/1")))
        .form(&form)
        .send()
        .await
        .expect("post section");
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert!(db_count(&app, "select count(*) from answers").await > 0);
    common::agree_to_policy(&app, &token).await;
    assert_eq!(db_count(&app, "select count(*) from consents").await, 2);
    let (_, to, _) = get(&app, &format!("/q/{token}")).await;
    assert_eq!(to, format!("/q/{token}/s/2"), "on where they left off");

    // The clinician sees what was agreed to, and when.
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    let r = db_text(&app, "select reference from submissions").await;
    let html = common::staff_html(&app, &cookie, &format!("/staff/submissions/{r}")).await;
    assert!(select(&html, ".safety-pathway")
        .concat()
        .contains("Agreed to the practice's policy (version"));
}
on_both_databases!(consent, consent_comes_first_and_a_changed_policy_asks_again);

async fn a_safe_way_to_be_reached_is_kept_for_clinicians_only(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    common::set_hours(&app, ADMIN, "09:00-12:00").await;
    let token = finished(&app).await;
    // A detail that cannot be used: said at its field, every answer and detail kept, nothing
    // stored.
    let refused = check_in_with(
        &app,
        &token,
        "yes",
        &[("safe_email", "not an address"), ("ask_for", ASK_FOR)],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("body");
    assert!(select(&html, "#safe_email-error")
        .concat()
        .contains("does not look like an email address"));
    let doc = Html::parse_document(&html);
    let kept = |css: &str| {
        doc.select(&Selector::parse(css).expect("selector"))
            .next()
            .and_then(|e| e.value().attr("value").map(str::to_owned))
    };
    assert_eq!(kept("#ask_for").as_deref(), Some(ASK_FOR));
    assert_eq!(kept("#safe_email").as_deref(), Some("not an address"));
    assert!(html.contains("checked"), "the check-in answers are kept");
    assert_eq!(
        db_count(&app, "select count(*) from safety_screens").await,
        0
    );

    let saved = check_in_with(
        &app,
        &token,
        "yes",
        &[
            ("safe_email", SAFE_EMAIL),
            ("safe_phone", SAFE_PHONE),
            ("voicemail", "no"),
            ("ask_for", ASK_FOR),
            ("calendar", "no"),
        ],
    )
    .await;
    assert_eq!(location(&saved), format!("/q/{token}/result"));
    // The client's own pages never show it back (a screen can be seen by others).
    let (_, _, result) = get(&app, &format!("/q/{token}/result")).await;
    for canary in [SAFE_EMAIL, SAFE_PHONE, ASK_FOR] {
        assert!(!result.contains(canary), "{canary} on the summary");
    }
    // Clinicians see it on the submission, with how to make first contact safely.
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    let r = reference(&app, &token).await;
    let html = common::staff_html(&app, &cookie, &format!("/staff/submissions/{r}")).await;
    let card = select(&html, ".safety-pathway").concat();
    for line in [
        format!("Safe email: {SAFE_EMAIL}"),
        format!("Ask for: {ASK_FOR}"),
        "Do not leave a voicemail".to_owned(),
        "No calendar file with emails".to_owned(),
        "whether they are somewhere private".to_owned(),
    ] {
        assert!(card.contains(&line), "{line} in {card}");
    }

    // The confirmation form never shows the safe address or phone back (whoever holds the link
    // could read them there); with "no calendar file" none goes with the confirmation.
    let (_, _, picker) = get(&app, &format!("/q/{token}/book")).await;
    let slot = Html::parse_document(&picker)
        .select(&Selector::parse("input[name=slot]").expect("selector"))
        .next()
        .and_then(|e| e.value().attr("value").map(str::to_owned))
        .expect("an open time: the same picker whatever the check-in said");
    let (_, _, confirm) = get(&app, &format!("/q/{token}/book/confirm?slot={slot}&tz=UTC")).await;
    let value = |css: &str| {
        Html::parse_document(&confirm)
            .select(&Selector::parse(css).expect("selector"))
            .next()
            .and_then(|e| e.value().attr("value").map(str::to_owned))
    };
    assert_eq!(value("#email").as_deref(), Some(""));
    assert_eq!(value("#phone").as_deref(), Some(""));
    assert!(!confirm.contains(SAFE_EMAIL) && !confirm.contains(SAFE_PHONE));
    let booked = book(&app, &token, &slot).await;
    assert_eq!(booked.status(), StatusCode::SEE_OTHER);
    let without_calendar = common::mail(&app, "consult_confirmation")
        .await
        .into_iter()
        .filter(|m| m.recipient == SAFE_EMAIL && m.calendar.is_none())
        .count();
    assert_eq!(
        without_calendar, 1,
        "a confirmation without a calendar file"
    );
    let (_, _, manage) = get(&app, &location(&booked)).await;
    assert!(main_text(&manage).contains("A confirmation is on its way"));
    assert!(!main_text(&manage).contains("calendar file"));
}
on_both_databases!(
    safe_contact,
    a_safe_way_to_be_reached_is_kept_for_clinicians_only
);

/// The booking page with its times taken out (they move with the clock).
async fn booking_page_without_times(app: &TestApp, token: &str) -> String {
    let (status, _, html) = get(app, &format!("/q/{token}/book")).await;
    assert_eq!(status, StatusCode::OK);
    let mut text = main_text(&html);
    for day in select(&html, "fieldset.slot-day") {
        text = text.replace(&day, "");
    }
    text
}

async fn everyone_on_their_own_gets_the_same_booking_page(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    common::set_hours(&app, ADMIN, "09:00-12:00").await;
    let mut pages = Vec::new();
    for answer in ["no", "yes", "rather_not_say"] {
        let token = finished(&app).await;
        common::check_in(&app, &token, answer).await;
        let page = booking_page_without_times(&app, &token).await;
        assert!(
            page.contains("Choose a time for your first consult"),
            "{page}"
        );
        pages.push(page);
    }
    assert_eq!(
        pages[0], pages[1],
        "a positive check-in looks like a clear one"
    );
    assert_eq!(pages[0], pages[2]);
}
on_both_databases!(one_path, everyone_on_their_own_gets_the_same_booking_page);

async fn first_contact_is_recorded_and_clears_the_queue(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    let token = finished(&app).await;
    common::check_in(&app, &token, "yes").await;
    let r = reference(&app, &token).await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    let queue = |html: &str| select(html, ".review-queue tbody tr");
    let list = common::staff_html(&app, &cookie, "/staff").await;
    assert_eq!(queue(&list).len(), 1);
    assert!(queue(&list)[0].contains("None yet"));
    let record = |fields: Vec<(&'static str, &'static str)>| {
        let app = &app;
        let cookie = cookie.clone();
        let path = format!("/staff/submissions/{r}/first-contact");
        async move {
            app.raw
                .post(app.url(&path))
                .header("cookie", cookie)
                .form(&fields)
                .send()
                .await
                .expect("record")
        }
    };
    // Nothing chosen: each field says what it needs.
    let refused = record(vec![("contacted_at", "yesterday")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("body");
    assert_eq!(
        select(&html, "#contact_channel-error"),
        ["Choose how you tried to reach them."]
    );
    assert_eq!(
        select(&html, "#contact_outcome-error"),
        ["Choose what happened."]
    );
    assert!(select(&html, "#contacted_at-error")
        .concat()
        .contains("Give a date and time"));
    // A try that did not reach them keeps it in the queue, counted.
    let tried = record(vec![
        ("contact_channel", "safe_phone"),
        ("contact_outcome", "no_answer"),
        ("contacted_at", ""),
    ])
    .await;
    assert_eq!(tried.status(), StatusCode::SEE_OTHER);
    let list = common::staff_html(&app, &cookie, "/staff").await;
    assert!(queue(&list)[0].contains("1 try"), "{:?}", queue(&list));
    // Speaking with them privately clears it; both tries are on the submission, audited.
    let spoke = record(vec![
        ("contact_channel", "safe_phone"),
        ("contact_outcome", "spoke"),
        ("contacted_at", "2026-01-05T10:30"),
    ])
    .await;
    assert_eq!(spoke.status(), StatusCode::SEE_OTHER);
    let list = common::staff_html(&app, &cookie, "/staff").await;
    assert!(queue(&list).is_empty(), "{:?}", queue(&list));
    let html = common::staff_html(&app, &cookie, &format!("/staff/submissions/{r}")).await;
    let tries = select(&html, ".first-contacts li");
    assert_eq!(tries.len(), 2, "{tries:?}");
    assert!(
        tries[0].contains("Spoke with them privately"),
        "oldest first: {tries:?}"
    );
    assert_eq!(
        db_count(
            &app,
            "select count(*) from audit_events where action = 'record_first_contact'"
        )
        .await,
        2
    );
}
on_both_databases!(
    first_contact,
    first_contact_is_recorded_and_clears_the_queue
);

/// A clinician books `slot` for the couple from a partner's submission page `path`, with
/// `extra` fields (the hold override's tick box and reason).
fn book_together(
    app: &TestApp,
    cookie: &str,
    path: &str,
    slot: &str,
    extra: Vec<(&'static str, &'static str)>,
) -> impl std::future::Future<Output = reqwest::Result<reqwest::Response>> {
    let mut form = vec![
        ("slot", slot.to_owned()),
        ("request_key", "00112233445566778899aabbccddeeff".to_owned()),
        ("for", "couple".to_owned()),
        ("name", "Alex".to_owned()),
        ("email", "alex@example.org".to_owned()),
        ("phone", "+1 555 010 0600".to_owned()),
        ("consent", "yes".to_owned()),
    ];
    form.extend(extra.into_iter().map(|(k, v)| (k, v.to_owned())));
    app.raw
        .post(app.url(&format!("{path}/book")))
        .header("cookie", cookie)
        .form(&form)
        .send()
}

async fn couple(app: &TestApp, a_answer: &str, b_contact: &[(&str, &str)]) -> (String, String) {
    let a = finished(app).await;
    common::check_in(app, &a, a_answer).await;
    let made = app
        .raw
        .post(app.url(&format!("/q/{a}/invite")))
        .send()
        .await
        .expect("invite");
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let (_, _, html) = get(app, &format!("/q/{a}/result")).await;
    let url = select(&html, "#invite-link").concat();
    let path = format!("/join/{}", url.split_once("/join/").expect("a link").1);
    let joined = app.raw.post(app.url(&path)).send().await.expect("join");
    // Partner B agrees on their own link's consent page before the first question.
    let b = common::token_of_consent_redirect(&joined);
    let (_, to, _) = get(app, &format!("/q/{b}/s/1")).await;
    assert_eq!(to, format!("/q/{b}/consent"));
    common::agree_to_policy(app, &b).await;
    common::answer_every_section(app, &b, |_| "4", "").await;
    let checked = check_in_with(app, &b, "no", b_contact).await;
    assert_eq!(checked.status(), StatusCode::SEE_OTHER);
    (a, b)
}

async fn booking_together_during_a_hold_needs_a_reason_and_each_partner_hears_privately(
    app: TestApp,
) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    common::set_hours(&app, ADMIN, "09:00-12:00").await;
    let b_contact = [
        ("safe_email", SAFE_EMAIL),
        ("ask_for", ASK_FOR),
        ("safe_phone", SAFE_PHONE),
    ];
    let (a, b) = couple(&app, "yes", &b_contact).await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    let a_ref = reference(&app, &a).await;
    let a_path = format!("/staff/submissions/{a_ref}");
    let page = common::staff_html(&app, &cookie, &a_path).await;
    assert!(select(&page, ".safety-pathway")
        .concat()
        .contains("Both partners need an individual conversation before any joint work"));
    // A gave no safe contact: the clinician is warned not to go through B (clinical N8).
    assert!(select(&page, ".safety-pathway")
        .concat()
        .contains("No private way to reach this partner was given"));
    let b_page = common::staff_html(
        &app,
        &cookie,
        &format!("/staff/submissions/{}", reference(&app, &b).await),
    )
    .await;
    assert!(!select(&b_page, ".safety-pathway")
        .concat()
        .contains("No private way to reach this partner"));
    let slot = Html::parse_document(&page)
        .select(&Selector::parse("select#slot option[value^='2']").expect("selector"))
        .find_map(|o| o.value().attr("value").map(str::to_owned))
        .expect("an open time");
    let book = |extra: Vec<(&'static str, &'static str)>| {
        book_together(&app, &cookie, &a_path, &slot, extra)
    };
    // Without saying that safety was assessed, and why: refused at the fields, nothing booked.
    let refused = book(vec![]).await.expect("post");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("body");
    assert!(select(&html, "#safety_assessed-error")
        .concat()
        .contains("Tick the box"));
    let refused = book(vec![("safety_assessed", "yes")]).await.expect("post");
    let html = refused.text().await.expect("body");
    assert!(select(&html, "#override_reason-error")
        .concat()
        .contains("why booking together"));
    assert_eq!(db_count(&app, "select count(*) from bookings").await, 0);
    let reason = "Spoke with each partner alone; both want a joint consult, safety plan in place.";
    let booked = book(vec![
        ("safety_assessed", "yes"),
        ("override_reason", reason),
    ])
    .await
    .expect("post");
    assert_eq!(booked.status(), StatusCode::SEE_OTHER);
    let stored = db_text(&app, "select reason from hold_overrides").await;
    assert!(
        stored.starts_with("tb1:") && !stored.contains("safety plan"),
        "the reason is sealed at rest: {stored}"
    );
    assert_eq!(
        db_count(
            &app,
            "select count(*) from audit_events where action = 'override_safety_hold'"
        )
        .await,
        1
    );
    let page = common::staff_html(&app, &cookie, &a_path).await;
    assert!(select(&page, ".safety-pathway").concat().contains(reason));

    // Each partner hears through their own channel: A at the booking's address, B at the safe
    // address B gave; neither message names the other's details.
    let confirmations = common::mail(&app, "consult_confirmation").await;
    let body = |to: &str| {
        let m = confirmations
            .iter()
            .find(|m| m.recipient == to)
            .unwrap_or_else(|| panic!("a confirmation to {to}"));
        format!("{} {}", m.subject, m.text)
    };
    let to_a = body("alex@example.org");
    let to_b = body(SAFE_EMAIL);
    assert!(to_b.contains(&format!("Hello {ASK_FOR}")), "{to_b}");
    for canary in [SAFE_EMAIL, SAFE_PHONE, ASK_FOR] {
        assert!(!to_a.contains(canary), "{canary} in A's message");
    }
    for detail in ["alex@example.org", "Alex", "+1 555 010 0600", "/b/"] {
        assert!(!to_b.contains(detail), "{detail} in B's message");
    }
    // B's details never reach A's pages.
    for path in [format!("/q/{a}/result"), format!("/q/{a}/book")] {
        let (_, _, html) = get(&app, &path).await;
        for canary in [SAFE_EMAIL, SAFE_PHONE, ASK_FOR] {
            assert!(!html.contains(canary), "{canary} on {path}");
        }
    }
    let _ = b;
}
on_both_databases!(
    hold_override,
    booking_together_during_a_hold_needs_a_reason_and_each_partner_hears_privately
);

/// A client whose situation changed tells the practice a new way to reach them, or takes back
/// what they gave, from their private link: the same empty page for everyone, nothing shown
/// back; a bad field is said at the field and nothing changes; a saved change moves the
/// consult reminder not yet sent to the new address, removing
/// it all means the reminder is not sent there; each change is audited; clinicians see the
/// new details.
async fn a_client_changes_how_the_practice_can_reach_them(app: TestApp) {
    let created = create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    assert!(created.status.success());
    common::set_hours(&app, ADMIN, "09:00-12:00").await;
    let token = finished(&app).await;
    // Before the check-in there is nothing to change: the link leads on to the questions.
    let (status, to, _) = get(&app, &format!("/q/{token}/reach")).await;
    assert_eq!((status, to), (StatusCode::SEE_OTHER, format!("/q/{token}")));
    let saved = check_in_with(
        &app,
        &token,
        "no",
        &[("safe_email", SAFE_EMAIL), ("calendar", "yes")],
    )
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let other = finished(&app).await;
    check_in_with(&app, &other, "no", &[]).await;

    // The same page whether or not anything was given, and nothing of it shown back.
    let (_, _, result) = get(&app, &format!("/q/{token}/result")).await;
    assert!(select(&result, "a").contains(&"Change how the practice can reach you".to_owned()));
    let (status, _, page) = get(&app, &format!("/q/{token}/reach")).await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, other_page) = get(&app, &format!("/q/{other}/reach")).await;
    assert_eq!(main_text(&page), main_text(&other_page));
    assert!(!page.contains(SAFE_EMAIL));

    // A booking at the safe address: its reminder waits to be sent.
    let slot = first_time(&app, &token).await;
    let booked = book(&app, &token, &slot).await;
    assert_eq!(booked.status(), StatusCode::SEE_OTHER);
    assert_eq!(reminder(&app).await, [SAFE_EMAIL]);

    let post = |form: Vec<(&'static str, &'static str)>| {
        let app = &app;
        let token = token.clone();
        async move {
            app.raw
                .post(app.url(&format!("/q/{token}/reach")))
                .form(&form)
                .send()
                .await
                .expect("post")
        }
    };
    let refused = post(vec![("safe_email", "not an address"), ("action", "save")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("body");
    assert!(
        select(&html, ".field-error").concat().contains("email"),
        "{html}"
    );
    assert!(html.contains("not an address"), "what was typed is kept");
    assert_eq!(reminder(&app).await, [SAFE_EMAIL]);

    const NEW_EMAIL: &str = "canary-new-4d2a@example.org";
    let changed = post(vec![
        ("safe_email", NEW_EMAIL),
        ("calendar", "no"),
        ("action", "save"),
    ])
    .await;
    let status = changed.status();
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&changed), format!("/q/{token}/reach?saved=yes"));
    let (_, _, page) = get(&app, &location(&changed)).await;
    assert!(main_text(&page).contains("Saved."));
    assert_eq!(reminder(&app).await, [NEW_EMAIL]);
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    let r = reference(&app, &token).await;
    let staff = common::staff_html(&app, &cookie, &format!("/staff/submissions/{r}")).await;
    let card = select(&staff, ".safety-pathway").concat();
    assert!(card.contains(&format!("Safe email: {NEW_EMAIL}")), "{card}");
    assert!(!card.contains(SAFE_EMAIL));

    let cleared = post(vec![("action", "clear")]).await;
    assert_eq!(
        location(&cleared),
        format!("/q/{token}/reach?saved=cleared")
    );
    assert!(
        reminder(&app).await.is_empty(),
        "not sent to a removed address"
    );
    assert_eq!(
        db_count(&app, "select count(*) from safe_contacts").await,
        0
    );
    let audited = "select count(*) from audit_events \
                   where action = 'safe_contact_changed' and clinician_id is null";
    assert_eq!(db_count(&app, audited).await, 2);
}
on_both_databases!(reach, a_client_changes_how_the_practice_can_reach_them);

/// The first time the picker offers this client.
async fn first_time(app: &TestApp, token: &str) -> String {
    let (_, _, picker) = get(app, &format!("/q/{token}/book")).await;
    Html::parse_document(&picker)
        .select(&Selector::parse("input[name=slot]").expect("selector"))
        .next()
        .and_then(|e| e.value().attr("value").map(str::to_owned))
        .expect("an open time")
}

/// Books `slot` for this client at the safe address, as the confirm form sends it.
async fn book(app: &TestApp, token: &str, slot: &str) -> reqwest::Response {
    app.raw
        .post(app.url(&format!("/q/{token}/book")))
        .form(&[
            ("slot", slot),
            ("tz", "UTC"),
            ("request_key", "0123456789abcdef0123456789abcdef"),
            ("name", "Robin"),
            ("email", SAFE_EMAIL),
            ("phone", SAFE_PHONE),
            ("consent", "yes"),
        ])
        .send()
        .await
        .expect("book")
}

/// To whom the consult reminders still waiting to be sent go.
async fn reminder(app: &TestApp) -> Vec<String> {
    common::mail(app, "consult_reminder")
        .await
        .into_iter()
        .filter(|m| m.status == "pending")
        .map(|m| m.recipient)
        .collect()
}
