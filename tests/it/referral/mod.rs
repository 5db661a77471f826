//! Referral as the practice and a client meet it: referring one partner out through their own
//! safe channel with nothing reaching the other, the three answers that need no login, and the
//! follow-ups that fall due. Against SQLite and PostgreSQL. The directory is tested in
//! `directory.rs`.

use crate::common::{
    self, check_in_form, create_admin, db_count, db_execute, db_text, location, log_in_as, TestApp,
};
use reqwest::StatusCode;
use scraper::{Html, Selector};

const ADMIN: &str = "ana@harbour.example";
const CLINICIAN: &str = "ben@harbour.example";
const PASSWORD: &str = "correct horse battery staple";
const SAFE_EMAIL: &str = "canary-a-safe-3f9@example.org";
const DV_SERVICE: &str = "Canary Harbour Women's Aid";

mod directory;

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

async fn post(app: &TestApp, cookie: &str, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    app.raw
        .post(app.url(path))
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .expect("post")
}

async fn get(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = app.raw.get(app.url(path)).send().await.expect("get");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

async fn upload(app: &TestApp, cookie: &str, csv: &str) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(csv.as_bytes().to_vec())
        .file_name("directory.csv")
        .mime_str("text/csv")
        .expect("mime");
    app.raw
        .post(app.url("/staff/directory/import"))
        .header("cookie", cookie)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("import")
}

async fn a_partner_is_referred_privately_and_closes_the_loop(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    post(
        &app,
        &cookie,
        "/staff/directory/new",
        &common::directory_entry(DV_SERVICE, "domestic_violence", "2026-11-20"),
    )
    .await;
    let dv = db_text(&app, "select cast(id as text) from directory_entries").await;
    // A couple: A's check-in is positive and gives a safe email; B's is clear.
    let a = common::start_questionnaire(&app).await;
    common::answer_every_section(&app, &a, |_| "4", "").await;
    let mut form = check_in_form("yes");
    form.push(("safe_email".into(), SAFE_EMAIL.into()));
    let checked = app
        .raw
        .post(app.url(&format!("/q/{a}/private")))
        .form(&form)
        .send()
        .await
        .expect("check-in");
    assert_eq!(checked.status(), StatusCode::SEE_OTHER);
    app.raw
        .post(app.url(&format!("/q/{a}/invite")))
        .send()
        .await
        .expect("invite");
    let (_, html) = get(&app, &format!("/q/{a}/result")).await;
    let url = select(&html, "#invite-link").concat();
    let join = format!("/join/{}", url.split_once("/join/").expect("link").1);
    let joined = app.raw.post(app.url(&join)).send().await.expect("join");
    let b = common::token_of_consent_redirect(&joined);
    common::agree_to_policy(&app, &b).await;
    common::answer_every_section(&app, &b, |_| "4", "").await;
    common::check_in(&app, &b, "no").await;
    let a_ref = db_text(
        &app,
        "select reference from submissions where partner = 'a'",
    )
    .await;
    let b_ref = db_text(
        &app,
        "select reference from submissions where partner = 'b'",
    )
    .await;
    let a_path = format!("/staff/submissions/{a_ref}");

    // The form offers the safe address, chosen, and print; refusals are said at their fields.
    let page = common::staff_html(&app, &cookie, &a_path).await;
    assert!(select(&page, ".refer-form").concat().contains(SAFE_EMAIL));
    assert_eq!(checked_way(&page), ["safe_email"]);
    let refused = post(
        &app,
        &cookie,
        &format!("{a_path}/referrals"),
        &[("message", "Hi")],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("body");
    assert!(select(&html, "#reason-error")
        .concat()
        .contains("Choose why"));
    assert!(select(&html, "#entry-error")
        .concat()
        .contains("at least one"));
    assert!(select(&html, "#channel-error")
        .concat()
        .contains("Choose how"));
    // A has no booking: there is no booking address to send to.
    let refused = post(
        &app,
        &cookie,
        &format!("{a_path}/referrals"),
        &[
            ("reason", "safety"),
            ("entry", &dv),
            ("channel", "booking_email"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("body");
    assert!(select(&html, "#channel-error")
        .concat()
        .contains("no such address"));
    let sent = post(
        &app,
        &cookie,
        &format!("{a_path}/referrals"),
        &[
            ("reason", "safety"),
            ("entry", &dv),
            ("message", "These people are kind."),
            ("channel", "safe_email"),
        ],
    )
    .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);

    // A's message: through A's safe address, a neutral subject, no reason, no scores.
    let message = common::mail(&app, "referral_list")
        .await
        .into_iter()
        .find(|m| m.recipient == SAFE_EMAIL)
        .map(|m| format!("{} {}", m.subject, m.text))
        .expect("the list went to the safe address");
    assert!(message.contains(DV_SERVICE) && message.contains("These people are kind."));
    for word in ["safety", "Safety", "/ 100", "check-in", "partner"] {
        assert!(!message.contains(word), "{word} in {message}");
    }
    let link = message
        .split_whitespace()
        .find(|w| w.contains("/r/") && w.ends_with("/connected"))
        .expect("an I've-connected link")
        .to_owned();
    let path = &link[link.find("/r/").expect("path")..];
    // Opening the link records nothing (a mail program may open it); the button does.
    let (status, html) = get(&app, path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(select(&html, "button").concat().contains("I've connected"));
    assert_eq!(
        db_count(
            &app,
            "select count(*) from referrals where outcome is not null"
        )
        .await,
        0
    );
    let answered = app.raw.post(app.url(path)).send().await.expect("answer");
    assert_eq!(answered.status(), StatusCode::SEE_OTHER);
    let list_page = location(&answered);
    let (_, html) = get(&app, &list_page).await;
    assert!(select(&html, "main").concat().contains(DV_SERVICE));
    assert!(html.contains("The practice has been told"));
    // The answer is kept beside the practice's record, never in it, and audited as the app's.
    let page = common::staff_html(&app, &cookie, &a_path).await;
    let card = select(&page, ".referrals-card").concat();
    assert!(
        card.contains("Sent, no answer yet") && card.contains(DV_SERVICE),
        "{card}"
    );
    let said = select(&page, ".client-said").concat();
    assert!(
        said.contains("From the client's link") && said.contains("I've connected"),
        "{said}"
    );
    let by_app = "select count(*) from audit_events \
                  where action = 'referral_client_answer' and clinician_id is null";
    assert_eq!(db_count(&app, by_app).await, 1);
    // Whoever holds the link (it travels by email) cannot rewrite what the clinician recorded.
    let first_id = db_text(&app, "select cast(id as text) from referrals").await;
    let first_path = format!("{a_path}/referrals/{first_id}");
    let recorded = post(
        &app,
        &cookie,
        &first_path,
        &[
            ("action", "outcome"),
            ("outcome", "not_connected"),
            ("outcome_note", "CANARY-NOTE line busy"),
        ],
    )
    .await;
    assert_eq!(recorded.status(), StatusCode::SEE_OTHER);
    for _ in 0..3 {
        let again = app.raw.post(app.url(path)).send().await.expect("answer");
        assert_eq!(again.status(), StatusCode::SEE_OTHER);
    }
    let page = common::staff_html(&app, &cookie, &a_path).await;
    assert!(
        select(&page, ".referrals-card")
            .concat()
            .contains("Not connected: CANARY-NOTE line busy"),
        "the clinician's note stays"
    );
    assert_eq!(db_count(&app, by_app).await, 4);
    // The clinician hears from them and records it.
    let confirmed = post(
        &app,
        &cookie,
        &first_path,
        &[("action", "outcome"), ("outcome", "connected")],
    )
    .await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    let page = common::staff_html(&app, &cookie, &a_path).await;
    let card = select(&page, ".referrals-card").concat();
    assert!(
        card.contains("Connected") && card.contains(DV_SERVICE),
        "{card}"
    );
    assert!(select(&page, "section.card p").contains(&"Now: Referred out".to_owned()));

    // Nothing of it reaches B: not B's pages, B's submission, B's workflow or B's email.
    for path in [
        format!("/q/{b}/result"),
        format!("/q/{b}/book"),
        format!("/q/{b}/book?for=client"),
    ] {
        let (_, html) = get(&app, &path).await;
        assert!(
            !html.contains(DV_SERVICE) && !html.contains("/r/"),
            "{path}"
        );
    }
    let b_page = common::staff_html(&app, &cookie, &format!("/staff/submissions/{b_ref}")).await;
    assert!(select(&b_page, ".referrals-card")
        .concat()
        .contains("Not referred out."));
    assert!(select(&b_page, "section.card p").contains(&"Now: New".to_owned()));
    assert_eq!(
        db_count(
            &app,
            "select count(*) from outbox where kind = 'referral_list'"
        )
        .await,
        1
    );

    // Follow-ups: a referral nobody has heard back on falls due after 7 days, until recorded.
    let second = post(
        &app,
        &cookie,
        &format!("{a_path}/referrals"),
        &[
            ("reason", "level_of_care"),
            ("entry", &dv),
            ("keep_client", "yes"),
            ("channel", "print"),
        ],
    )
    .await;
    assert_eq!(second.status(), StatusCode::SEE_OTHER);
    let eight_days_ago = (chrono::Utc::now() - chrono::Duration::days(8)).to_rfc3339();
    let back_date = if app.database_url.starts_with("sqlite:") {
        format!("update referrals set sent_at = '{eight_days_ago}' where outcome is null")
    } else {
        format!(
            "update referrals set sent_at = '{eight_days_ago}'::timestamptz where outcome is null"
        )
    };
    db_execute(&app, &back_date).await;
    let list = common::staff_html(&app, &cookie, "/staff").await;
    let due = select(&list, "table.follow-ups tbody tr");
    assert_eq!(due.len(), 1, "{due:?}");
    assert!(
        due[0].contains(&a_ref) && due[0].contains("7-day"),
        "{due:?}"
    );
    let second_id = db_text(
        &app,
        "select cast(id as text) from referrals where outcome is null",
    )
    .await;
    let followed = post(
        &app,
        &cookie,
        &format!("{a_path}/referrals/{second_id}"),
        &[("action", "follow_up")],
    )
    .await;
    assert_eq!(followed.status(), StatusCode::SEE_OTHER);
    let list = common::staff_html(&app, &cookie, "/staff").await;
    assert!(select(&list, "table.follow-ups tbody tr").is_empty());
    // "Not connected" needs a reason; closing keeps the outcome it closed on.
    let refused = post(
        &app,
        &cookie,
        &format!("{a_path}/referrals/{second_id}"),
        &[("action", "outcome"), ("outcome", "not_connected")],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("body");
    assert!(
        select(&html, "#outcome-error")
            .concat()
            .contains("Say why not"),
        "{html}"
    );
    assert!(
        !html.contains("Nothing is sent yet"),
        "the refer form is not blamed"
    );
    post(
        &app,
        &cookie,
        &format!("{a_path}/referrals/{second_id}"),
        &[
            ("action", "outcome"),
            ("outcome", "not_connected"),
            ("outcome_note", "Waitlist full"),
        ],
    )
    .await;
    post(
        &app,
        &cookie,
        &format!("{a_path}/referrals/{second_id}"),
        &[("action", "close")],
    )
    .await;
    let page = common::staff_html(&app, &cookie, &a_path).await;
    assert!(select(&page, ".referrals-card")
        .concat()
        .contains("(Not connected: Waitlist full)"));
    assert_eq!(
        db_count(
            &app,
            "select count(*) from audit_events where action in ('refer_client', 'update_referral')"
        )
        .await,
        7
    );
    // The list does not stay readable for good: it ends REFERRAL_LINK_DAYS after it was sent.
    assert_eq!(get(&app, &list_page).await.0, StatusCode::OK);
    let long_ago = (chrono::Utc::now() - chrono::Duration::days(31)).to_rfc3339();
    let back_date = if app.database_url.starts_with("sqlite:") {
        format!("update referrals set sent_at = '{long_ago}' where id = {first_id}")
    } else {
        format!("update referrals set sent_at = '{long_ago}'::timestamptz where id = {first_id}")
    };
    db_execute(&app, &back_date).await;
    let (status, html) = get(&app, &list_page).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(!html.contains(DV_SERVICE));
    let late = app.raw.post(app.url(path)).send().await.expect("answer");
    assert_eq!(late.status(), StatusCode::GONE);

    // Deleting the submission deletes its referrals.
    post(
        &app,
        &cookie,
        &format!("{a_path}/delete"),
        &[("confirm_reference", &a_ref)],
    )
    .await;
    assert_eq!(db_count(&app, "select count(*) from referrals").await, 0);
    let (status, _) = get(&app, &list_page).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
on_both_databases!(
    refer_partner,
    a_partner_is_referred_privately_and_closes_the_loop
);

async fn a_client_without_email_gets_a_printed_list(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    post(
        &app,
        &cookie,
        "/staff/directory/new",
        &common::directory_entry(DV_SERVICE, "shelter", "2026-11-20"),
    )
    .await;
    let dv = db_text(&app, "select cast(id as text) from directory_entries").await;
    let token = common::start_questionnaire(&app).await;
    common::answer_every_section(&app, &token, |_| "3", "").await;
    common::check_in(&app, &token, "no").await;
    let r = db_text(&app, "select reference from submissions").await;
    let path = format!("/staff/submissions/{r}");
    let page = common::staff_html(&app, &cookie, &path).await;
    assert_eq!(checked_way(&page), ["print"]);
    post(
        &app,
        &cookie,
        &format!("{path}/referrals"),
        &[
            ("reason", "client_preference"),
            ("entry", &dv),
            ("channel", "print"),
        ],
    )
    .await;
    assert_eq!(
        db_count(
            &app,
            "select count(*) from outbox where kind = 'referral_list'"
        )
        .await,
        0
    );
    let page = common::staff_html(&app, &cookie, &path).await;
    let id = db_text(&app, "select cast(id as text) from referrals").await;
    assert!(select(&page, ".referrals-card a").contains(&"Printable list".to_owned()));
    let print = common::staff_html(&app, &cookie, &format!("{path}/referrals/{id}/print")).await;
    let text = select(&print, "main").concat();
    assert!(text.contains(DV_SERVICE) && text.contains("+1 555 010 0100"));
    assert!(!text.contains("Client preference") && !text.contains(&r));

    // The client books with an address nobody said is safe (it may be a family inbox): the
    // form offers it, marked so, but still chooses print; only a clinician's choice emails it.
    common::set_hours(&app, ADMIN, "09:00-12:00").await;
    let picker = app
        .raw
        .get(app.url(&format!("/q/{token}/book")))
        .send()
        .await
        .expect("picker")
        .text()
        .await
        .expect("body");
    let slot = picker
        .split("name=\"slot\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a time")
        .to_owned();
    let booked = app
        .raw
        .post(app.url(&format!("/q/{token}/book")))
        .form(&[
            ("slot", slot.as_str()),
            ("tz", "America/New_York"),
            ("request_key", "0123456789abcdef0123456789abcdef"),
            ("name", "Sam Rivera"),
            ("email", "family@example.org"),
            ("phone", "+1 555 010 0200"),
            ("consent", "yes"),
        ])
        .send()
        .await
        .expect("book");
    assert_eq!(booked.status(), StatusCode::SEE_OTHER);
    let page = common::staff_html(&app, &cookie, &path).await;
    let form = select(&page, ".refer-form").concat();
    assert!(
        form.contains("family@example.org") && form.contains("not confirmed safe"),
        "{form}"
    );
    assert_eq!(checked_way(&page), ["print"]);
    let sent = post(
        &app,
        &cookie,
        &format!("{path}/referrals"),
        &[
            ("reason", "client_preference"),
            ("entry", &dv),
            ("channel", "booking_email"),
        ],
    )
    .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let lists = common::mail(&app, "referral_list").await;
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].recipient, "family@example.org");
}
on_both_databases!(printed, a_client_without_email_gets_a_printed_list);

/// The way the referral form has chosen (the checked `channel` radio).
fn checked_way(html: &str) -> Vec<String> {
    Html::parse_document(html)
        .select(&Selector::parse("input[name=channel][checked]").expect("css"))
        .filter_map(|i| i.value().attr("value").map(str::to_owned))
        .collect()
}

/// The staff form's time options whose label (practice time) starts with `hour`.
fn slot_at(html: &str, hour: &str) -> Option<String> {
    Html::parse_document(html)
        .select(&Selector::parse("select#slot option").expect("css"))
        .find(|o| o.text().collect::<String>().starts_with(hour))
        .and_then(|o| o.value().attr("value").map(str::to_owned))
}

async fn a_couples_consult_goes_to_a_clinician_who_fits_their_recommendation(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    common::set_hours(&app, ADMIN, "09:00-10:00").await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    let made = post(
        &app,
        &cookie,
        "/staff/clinicians",
        &[
            ("name", "Dee Park"),
            ("email", CLINICIAN),
            ("password", PASSWORD),
            ("role", "clinician"),
        ],
    )
    .await;
    assert!(made.status().is_success() || made.status().is_redirection());
    common::set_hours(&app, CLINICIAN, "14:00-15:00").await;
    let dee = db_text(
        &app,
        &format!("select cast(id as text) from clinicians where email = '{CLINICIAN}'"),
    )
    .await;
    let saved = post(
        &app,
        &cookie,
        &format!("/staff/clinicians/{dee}/profile"),
        &[
            ("specialties", "discernment"),
            ("accepting_couples", "yes"),
            ("consult_format", "video"),
            ("consult_place", "https://video.example/room-7"),
        ],
    )
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    // A couple with a mixed agenda (A ready to rebuild, B not): a discernment-style consult.
    let a = common::start_questionnaire(&app).await;
    common::answer_every_section(&app, &a, |i| if i.reverse { "1" } else { "5" }, "").await;
    common::check_in(&app, &a, "no").await;
    app.raw
        .post(app.url(&format!("/q/{a}/invite")))
        .send()
        .await
        .expect("invite");
    let (_, html) = get(&app, &format!("/q/{a}/result")).await;
    let url = select(&html, "#invite-link").concat();
    let join = format!("/join/{}", url.split_once("/join/").expect("link").1);
    let joined = app.raw.post(app.url(&join)).send().await.expect("join");
    let b = common::token_of_consent_redirect(&joined);
    common::agree_to_policy(&app, &b).await;
    common::answer_every_section(&app, &b, |i| if i.reverse { "5" } else { "1" }, "").await;
    common::check_in(&app, &b, "no").await;
    let a_ref = db_text(
        &app,
        "select reference from submissions where partner = 'a'",
    )
    .await;
    let path = format!("/staff/submissions/{a_ref}");
    let page = common::staff_html(&app, &cookie, &path).await;
    assert!(page.contains("Discernment-style consult"));
    let (ana_slot, dee_slot) = (
        slot_at(&page, "09:").expect("Ana's time"),
        slot_at(&page, "14:").expect("Dee's time"),
    );
    let book = |slot: String, key: &'static str, any: bool| {
        let mut form = vec![
            ("slot", slot),
            ("request_key", key.to_owned()),
            ("for", "couple".to_owned()),
            ("name", "Alex".to_owned()),
            ("email", "alex@example.org".to_owned()),
            ("phone", "+1 555 010 0600".to_owned()),
            ("consent", "yes".to_owned()),
        ];
        if any {
            form.push(("any_clinician", "yes".to_owned()));
        }
        app.raw
            .post(app.url(&format!("{path}/book")))
            .header("cookie", &cookie)
            .form(&form)
            .send()
    };
    // Ana is not discernment-trained: her time is refused, and the form says why.
    let refused = book(ana_slot.clone(), "00112233445566778899aabbccddeeff", false)
        .await
        .expect("post");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("body");
    assert!(
        select(&html, "#slot-error")
            .concat()
            .contains("Discernment counseling"),
        "{html}"
    );
    assert_eq!(db_count(&app, "select count(*) from bookings").await, 0);
    // Dee's time: booked with Dee, and the card says it fits.
    let booked = book(dee_slot, "00112233445566778899aabbccddeef0", false)
        .await
        .expect("post");
    assert_eq!(booked.status(), StatusCode::SEE_OTHER);
    let page = common::staff_html(&app, &cookie, &path).await;
    let card = select(&page, ".booking-card").concat();
    assert!(
        card.contains("Dee Park") && card.contains("Fits the recommendation"),
        "{card}"
    );
    // The confirmation says where, Dee's video room; a calendar file never does.
    let confirmation = common::mail(&app, "consult_confirmation")
        .await
        .into_iter()
        .find(|m| m.recipient == "alex@example.org")
        .map(|m| format!("{} {}", m.text, m.calendar.unwrap_or_default()))
        .expect("a confirmation to Alex");
    assert!(
        confirmation.contains("Where: By video: https://video.example/room-7"),
        "{confirmation}"
    );
    assert!(!confirmation.contains("LOCATION"), "{confirmation}");
    // Cancelled, then booked at Ana's time on purpose: allowed, and audited as an override.
    let (id, sequence) = (
        db_text(&app, "select cast(id as text) from bookings").await,
        db_text(&app, "select cast(sequence as text) from bookings").await,
    );
    let cancelled = post(
        &app,
        &cookie,
        &format!("{path}/consult/cancel"),
        &[
            ("confirm", "yes"),
            ("booking", &id),
            ("sequence", &sequence),
        ],
    )
    .await;
    assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
    let overridden = book(ana_slot, "00112233445566778899aabbccddeef1", true)
        .await
        .expect("post");
    assert_eq!(overridden.status(), StatusCode::SEE_OTHER);
    let page = common::staff_html(&app, &cookie, &path).await;
    let card = select(&page, ".booking-card").concat();
    assert!(
        card.contains("Ana Lima") && card.contains("any free clinician"),
        "{card}"
    );
    assert_eq!(
        db_count(
            &app,
            "select count(*) from audit_events where action = 'override_routing'"
        )
        .await,
        1
    );
}
on_both_databases!(
    routing,
    a_couples_consult_goes_to_a_clinician_who_fits_their_recommendation
);
