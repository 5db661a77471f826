//! Two partners answer privately: partner A invites B, each sees only their own result and,
//! once both have finished, a joint summary; a positive private check-in holds joint booking
//! with wording the other partner cannot tell from the ordinary path. Every client route is
//! tried with B's link while holding A's secrets. Against SQLite and PostgreSQL. Arranging the
//! couple's first consult is tested in `booking.rs`.

use crate::common::{
    self, check_in, create_admin, db_count, db_execute, location, log_in_as, start_questionnaire,
    TestApp,
};
use reqwest::StatusCode;
use scraper::{Html, Selector};
use trustbridge::domain::questionnaire::{self as q, SECTION_COUNT};

const A_NOTE: &str = "CANARY-partner-a-private-note-91ce";
pub(crate) const ADMIN: &str = "ana@harbour.example";
pub(crate) const PASSWORD: &str = "violet lantern gravel orbit";

mod booking;
mod routing_privacy;

fn select(html: &str, css: &str) -> Vec<String> {
    let html = Html::parse_document(html);
    let selector = Selector::parse(css).expect("selector");
    html.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_owned())
        .collect()
}

async fn get(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = app.raw.get(app.url(path)).send().await.expect("get");
    (response.status(), response.text().await.expect("body"))
}

/// Answers every section from the first, with `note` on the last. `ready` gives every statement
/// its most ready answer, otherwise its least ready one (so willingness is 100 or 0).
pub(crate) async fn answer_all(app: &TestApp, token: &str, ready: bool, note: &str) {
    let value = |item: &q::Item| if ready != item.reverse { "5" } else { "1" };
    common::answer_every_section(app, token, value, note).await;
}

/// Partner A's invitation link (path), made from A's summary page.
pub(crate) async fn invite(app: &TestApp, a: &str) -> String {
    let made = app
        .raw
        .post(app.url(&format!("/q/{a}/invite")))
        .send()
        .await
        .expect("invite");
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let (_, html) = get(app, &format!("/q/{a}/result")).await;
    let url = select(&html, "#invite-link").concat();
    let path = url
        .split_once("/join/")
        .map(|(_, t)| format!("/join/{t}"))
        .expect("an invitation link");
    path
}

/// Partner B accepts; returns B's own token.
pub(crate) async fn join(app: &TestApp, invite: &str) -> String {
    let (status, html) = get(app, invite).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("You've been invited to answer privately"));
    let response = app.raw.post(app.url(invite)).send().await.expect("join");
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let token = common::token_of_consent_redirect(&response);
    common::agree_to_policy(app, &token).await;
    token
}

pub(crate) async fn practice_with_hours(app: &TestApp) {
    let created = create_admin(app, ADMIN, "Ana Lima", PASSWORD).await;
    assert!(created.status.success());
    common::set_hours(app, ADMIN, "09:00-12:00").await;
}

/// A's reference, as A's own summary shows it.
pub(crate) async fn reference(app: &TestApp, token: &str) -> String {
    let (_, html) = get(app, &format!("/q/{token}/result")).await;
    select(&html, ".reference strong").concat()
}

/// The main content of a page, without what differs per person (tokens, nonces).
fn main_text(html: &str) -> String {
    select(html, "main").concat()
}

async fn partners_answer_privately_then_see_a_summary_together(app: TestApp) {
    practice_with_hours(&app).await;
    let a = start_questionnaire(&app).await;
    answer_all(&app, &a, true, A_NOTE).await;
    assert_eq!(
        check_in(&app, &a, "no").await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, html) = get(&app, &format!("/q/{a}/result")).await;
    assert_eq!(
        select(&html, "#invite button"),
        ["Make a link for my partner"]
    );
    let invite_path = invite(&app, &a).await;
    let b = join(&app, &invite_path).await;
    assert_ne!(a, b);

    // Used once: the link now says so, and makes no second partner.
    let (status, html) = get(&app, &invite_path).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(html.contains("This invitation has been used"));
    let again = app
        .raw
        .post(app.url(&invite_path))
        .send()
        .await
        .expect("post");
    assert_eq!(again.status(), StatusCode::GONE);
    assert_eq!(db_count(&app, "select count(*) from submissions").await, 2);

    // Nothing joint before both have finished (questionnaire and check-in).
    answer_all(&app, &b, false, "").await;
    let (_, html) = get(&app, &format!("/q/{a}/result")).await;
    assert!(select(&html, ".joint-summary")
        .concat()
        .contains("Once you have both finished"));
    let (_, book) = get(&app, &format!("/q/{a}/book")).await;
    assert!(main_text(&book)
        .contains("Once you have both finished, someone from the practice will contact you"));
    assert_eq!(
        check_in(&app, &b, "no").await.status(),
        StatusCode::SEE_OTHER
    );

    // Now both see the same summary together, and B has no invitation to make.
    let (_, a_page) = get(&app, &format!("/q/{a}/result")).await;
    let (_, b_page) = get(&app, &format!("/q/{b}/result")).await;
    let a_joint = select(&a_page, ".joint-summary li");
    assert!(!a_joint.is_empty());
    // Never honesty: its questions ask what one keeps from the other (clinical review 3, N4).
    assert!(a_joint.iter().all(|l| !l.contains("honest")), "{a_joint:?}");
    assert_eq!(a_joint, select(&b_page, ".joint-summary li"));
    assert!(select(&b_page, "#invite").is_empty());
    assert!(!b_page.contains(A_NOTE));
    // Each sees their own summary only, in words: A answered ready, B not.
    assert_ne!(
        select(&a_page, ".dimension-level"),
        select(&b_page, ".dimension-level")
    );
    // A willing, B not: a mixed agenda, so both are told the practice will be in touch.
    let (_, a_book) = get(&app, &format!("/q/{a}/book")).await;
    let (_, b_book) = get(&app, &format!("/q/{b}/book")).await;
    assert_eq!(main_text(&a_book), main_text(&b_book));
    assert!(main_text(&b_book).contains("Someone from the practice will contact you"));

    // The clinician sees both side by side, and the flag.
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    let a_ref = reference(&app, &a).await;
    let b_ref = reference(&app, &b).await;
    let staff = common::staff_html(&app, &cookie, &format!("/staff/submissions/{a_ref}")).await;
    let card = select(&staff, ".couple-card").concat();
    assert!(card.contains(&b_ref), "{card}");
    assert!(card.contains("Mixed agenda"), "{card}");
    assert!(card.contains("Discernment-style consult"), "{card}");
    assert!(card.contains("Side by side"), "{card}");
    // What each said most affected trust, side by side (both: something they did themselves).
    assert_eq!(
        select(&staff, ".couple-card .framing li"),
        ["A: Mostly something I did", "B: Mostly something I did"]
    );
    assert!(!card.contains("Each says it was mostly something the other did"));
    // The overall line and the eight dimensions of version 2.
    assert_eq!(select(&staff, ".couple-card tbody tr").len(), 9);
    let list = common::staff_html(&app, &cookie, "/staff?flag=mixed_agenda").await;
    let rows = select(&list, "table.submissions tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().all(|r| r.contains("Mixed agenda")));
}
on_both_databases_with!(
    together,
    partners_answer_privately_then_see_a_summary_together,
    &[("JOINT_SUMMARY", "shown".to_owned())]
);

/// By default the couple's summary is for a clinician to give: once both have finished, each
/// result page says so, in the same words for both, with no shared strength or topic on it.
/// With `JOINT_SUMMARY=off` the card is not there at all.
async fn the_summary_together_is_for_a_clinician_by_default(app: TestApp) {
    practice_with_hours(&app).await;
    let a = start_questionnaire(&app).await;
    answer_all(&app, &a, true, A_NOTE).await;
    check_in(&app, &a, "no").await;
    let b = join(&app, &invite(&app, &a).await).await;
    answer_all(&app, &b, false, "").await;
    check_in(&app, &b, "yes").await;
    let (_, a_page) = get(&app, &format!("/q/{a}/result")).await;
    let (_, b_page) = get(&app, &format!("/q/{b}/result")).await;
    let card = select(&a_page, ".joint-summary");
    assert_eq!(card, select(&b_page, ".joint-summary"));
    assert!(card
        .concat()
        .contains("A clinician talks with each of you first"));
    assert!(select(&a_page, ".joint-summary li").is_empty());
    assert!(!a_page.contains("You both describe") && !b_page.contains("You both describe"));

    let off = common::spawn_app_with(app.backend(), &[("JOINT_SUMMARY", "off".to_owned())]).await;
    practice_with_hours(&off).await;
    let a = start_questionnaire(&off).await;
    answer_all(&off, &a, true, "").await;
    check_in(&off, &a, "no").await;
    join(&off, &invite(&off, &a).await).await;
    let (_, a_page) = get(&off, &format!("/q/{a}/result")).await;
    assert!(select(&a_page, ".joint-summary").is_empty());
}
on_both_databases!(
    with_a_clinician,
    the_summary_together_is_for_a_clinician_by_default
);

async fn a_positive_check_in_holds_booking_and_the_other_partner_cannot_tell(app: TestApp) {
    practice_with_hours(&app).await;
    // A couple where A's private check-in is positive; both answered alike otherwise.
    let a = start_questionnaire(&app).await;
    answer_all(&app, &a, true, A_NOTE).await;
    assert_eq!(
        check_in(&app, &a, "yes").await.status(),
        StatusCode::SEE_OTHER
    );
    let b = join(&app, &invite(&app, &a).await).await;
    answer_all(&app, &b, true, "").await;
    assert_eq!(
        check_in(&app, &b, "no").await.status(),
        StatusCode::SEE_OTHER
    );

    // Both partners read the same booking page, word for word: a consult on their own, open to
    // each whatever they answered, and the couple's next step in the same words for every
    // reason.
    let (_, b_held) = get(&app, &format!("/q/{b}/book")).await;
    let (_, a_held) = get(&app, &format!("/q/{a}/book")).await;
    assert_eq!(
        main_text(&a_held),
        main_text(&b_held),
        "B cannot tell a hold"
    );
    assert_eq!(select(&a_held, "title"), select(&b_held, "title"));
    assert_eq!(select(&b_held, "h1"), ["Arrange a first consult"]);
    assert!(main_text(&b_held).contains("Choose a time on my own"));
    assert!(
        main_text(&b_held).contains("If you need support"),
        "the support panel, as on every next-step page"
    );
    assert!(main_text(&b_held).contains("Someone from the practice will contact you"));
    // Someone on their own, for the list below.
    let solo = start_questionnaire(&app).await;
    answer_all(&app, &solo, true, "").await;
    check_in(&app, &solo, "no").await;

    // B's pages never mention the check-in's outcome or A's note.
    for path in [format!("/q/{b}/result"), format!("/q/{b}/book")] {
        let (_, html) = get(&app, &path).await;
        let text = main_text(&html).to_lowercase();
        for word in [
            "safety",
            "positive",
            "hold",
            "afraid",
            &A_NOTE.to_lowercase(),
        ] {
            assert!(!text.contains(word), "{word} on {path}");
        }
    }
    // A direct booking post by B books nothing.
    let response = app
        .raw
        .post(app.url(&format!("/q/{b}/book")))
        .form(&[
            ("slot", "2030-01-07T14:00:00Z"),
            ("request_key", "0123456789abcdef0123456789abcdef"),
            ("name", "B"),
            ("email", "b@example.org"),
            ("phone", "555 0100"),
            ("consent", "yes"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(db_count(&app, "select count(*) from bookings").await, 0);

    // The clinician sees it, on both partners' pages.
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    for token in [&a, &b] {
        let r = reference(&app, token).await;
        let staff = common::staff_html(&app, &cookie, &format!("/staff/submissions/{r}")).await;
        let alert = select(&staff, ".safety-alert").concat();
        assert!(alert.contains("Partner A: positive"), "{alert}");
        assert!(select(&staff, ".couple-card")
            .concat()
            .contains("Individual consult first"));
    }
    // The list flags both partners, and filters on the flag.
    let flagged = common::staff_html(&app, &cookie, "/staff?flag=safety").await;
    let rows = select(&flagged, "table.submissions tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows
        .iter()
        .all(|r| r.contains("Safety") && r.contains("Couple")));
    let solo_ref = reference(&app, &solo).await;
    assert!(!flagged.contains(&solo_ref));
    assert!(common::staff_html(&app, &cookie, "/staff")
        .await
        .contains(&solo_ref));
}
on_both_databases!(
    hold,
    a_positive_check_in_holds_booking_and_the_other_partner_cannot_tell
);

async fn every_client_route_with_b_link_shows_nothing_of_a(app: TestApp) {
    practice_with_hours(&app).await;
    let a = start_questionnaire(&app).await;
    answer_all(&app, &a, true, A_NOTE).await;
    check_in(&app, &a, "rather_not_say").await;
    let a_ref = reference(&app, &a).await;
    let b = join(&app, &invite(&app, &a).await).await;

    // B half-way, then finished: every page B can reach, with every method it answers.
    let mut paths: Vec<String> = (1..=SECTION_COUNT)
        .map(|s| format!("/q/{b}/s/{s}"))
        .collect();
    paths.extend([
        format!("/q/{b}"),
        format!("/q/{b}/result"),
        format!("/q/{b}/book"),
        format!("/q/{b}/private"),
    ]);
    let secrets = [A_NOTE.to_owned(), a_ref.clone(), a.clone()];
    let check = |path: &str, body: &str| {
        for secret in &secrets {
            assert!(!body.contains(secret.as_str()), "{path} shows A's {secret}");
        }
    };
    for path in &paths {
        let response = app.client.get(app.url(path)).send().await.expect("get");
        assert!(!response.status().is_server_error(), "{path}");
        check(path, &response.text().await.expect("body"));
    }
    answer_all(&app, &b, true, "").await;
    check_in(&app, &b, "no").await;
    for path in &paths {
        let response = app.client.get(app.url(path)).send().await.expect("get");
        assert!(!response.status().is_server_error(), "{path}");
        check(path, &response.text().await.expect("body"));
    }
    // B cannot make invitations, and A's reference opens nothing on the client side.
    let response = app
        .raw
        .post(app.url(&format!("/q/{b}/invite")))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // Nor have A's invitation emailed: back to B's own summary, nothing queued.
    let response = app
        .raw
        .post(app.url(&format!("/q/{b}/invite/email")))
        .form(&[("email", "someone@example.net")])
        .send()
        .await
        .expect("post");
    assert_eq!(location(&response), format!("/q/{b}/result#invite"));
    let response = app
        .raw
        .post(app.url(&format!("/q/{b}/invite/email")))
        .form(&[("email", "")])
        .send()
        .await
        .expect("post");
    assert_eq!(location(&response), format!("/q/{b}/result#invite"));
    assert_eq!(
        db_count(
            &app,
            "select count(*) from outbox where kind = 'partner_invitation'"
        )
        .await,
        0
    );
    for path in [
        format!("/q/{a_ref}/result"),
        format!("/q/{a_ref}/book"),
        format!("/b/{a_ref}"),
        format!("/join/{a_ref}"),
    ] {
        let (status, body) = get(&app, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        check(&path, &body);
    }
    // A's own token is A's alone: B's summary never links to it.
    let (_, b_result) = get(&app, &format!("/q/{b}/result")).await;
    assert!(!b_result.contains(&a));
}
on_both_databases!(isolation, every_client_route_with_b_link_shows_nothing_of_a);

async fn invitations_expire_and_can_be_renewed(app: TestApp) {
    let a = start_questionnaire(&app).await;
    answer_all(&app, &a, true, "").await;
    check_in(&app, &a, "no").await;
    let invite_path = invite(&app, &a).await;
    db_execute(
        &app,
        "update invitations set expires_at = '2000-01-01T00:00:00+00:00'",
    )
    .await;
    let (status, html) = get(&app, &invite_path).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(html.contains("This invitation has ended"));
    let response = app
        .raw
        .post(app.url(&invite_path))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::GONE);
    // A sees the offer again, and a renewed link works.
    let (_, result) = get(&app, &format!("/q/{a}/result")).await;
    assert_eq!(
        select(&result, "#invite button"),
        ["Make a link for my partner"]
    );
    let renewed = invite(&app, &a).await;
    join(&app, &renewed).await;
    // Private links end: half a year after the start by default.
    db_execute(
        &app,
        "update submissions set created_at = '2000-01-01T00:00:00+00:00'",
    )
    .await;
    let (status, html) = get(&app, &format!("/q/{a}/result")).await;
    assert_eq!(status, StatusCode::GONE);
    assert!(html.contains("This private link has ended"));
    assert!(!html.contains(&a), "the page does not repeat the link");
    // A forged invitation gets the clear page.
    let (status, html) = get(&app, &format!("/join/{}", "Z".repeat(43))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("We couldn't open that link"));
}
on_both_databases!(expiry, invitations_expire_and_can_be_renewed);

async fn deleting_one_partner_leaves_the_other_on_their_own(app: TestApp) {
    practice_with_hours(&app).await;
    let a = start_questionnaire(&app).await;
    answer_all(&app, &a, true, "").await;
    check_in(&app, &a, "no").await;
    // A has the practice email the invitation to B's address.
    let invitation = invite(&app, &a).await;
    let emailed = app
        .raw
        .post(app.url(&format!("/q/{a}/invite/email")))
        .form(&[("email", "robin.b@example.net")])
        .send()
        .await
        .expect("email the invitation");
    assert_eq!(emailed.status(), StatusCode::SEE_OTHER);
    assert_eq!(common::mail(&app, "partner_invitation").await.len(), 1);
    let b = join(&app, &invitation).await;
    answer_all(&app, &b, true, "").await;
    check_in(&app, &b, "no").await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("logged in");
    let a_ref = reference(&app, &a).await;
    let b_ref = reference(&app, &b).await;
    let deleted = app
        .raw
        .post(app.url(&format!("/staff/submissions/{a_ref}/delete")))
        .header("cookie", &cookie)
        .form(&[("confirm_reference", a_ref.as_str())])
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status(), StatusCode::SEE_OTHER);
    assert_eq!(db_count(&app, "select count(*) from couples").await, 0);
    assert_eq!(db_count(&app, "select count(*) from invitations").await, 0);
    // Nothing sent on A's behalf is left, B's address included; B's own messages stay.
    let left = common::all_mail(&app).await;
    assert!(
        left.iter().all(|m| m.recipient != "robin.b@example.net"
            && !m.subject.contains(&a_ref)
            && !m.text.contains(&a_ref)),
        "{left:?}"
    );
    assert!(
        left.iter()
            .any(|m| m.subject.contains(&b_ref) || m.text.contains(&b_ref)),
        "{left:?}"
    );
    // B goes on alone: their own summary, and booking directly.
    let (status, html) = get(&app, &format!("/q/{b}/book")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        select(&html, "h1"),
        ["Choose a time for your first consult"]
    );
}
on_both_databases!(
    partner_deleted,
    deleting_one_partner_leaves_the_other_on_their_own
);

async fn an_unused_invitation_can_be_withdrawn(app: TestApp) {
    practice_with_hours(&app).await;
    let a = start_questionnaire(&app).await;
    answer_all(&app, &a, true, "").await;
    check_in(&app, &a, "no").await;
    let link = invite(&app, &a).await;
    // Waiting for a partner who may never come: the page says what will happen.
    let (_, html) = get(&app, &format!("/q/{a}/book")).await;
    assert!(main_text(&html).contains("Once you have both finished, someone from the practice"));

    let withdrawn = app
        .raw
        .post(app.url(&format!("/q/{a}/invite/withdraw")))
        .send()
        .await
        .expect("withdraw");
    assert_eq!(withdrawn.status(), StatusCode::SEE_OTHER);
    let (status, _) = get(&app, &link).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the old link opens nothing");
    // On their own again: no summary together to wait for, and booking is open.
    let (_, result) = get(&app, &format!("/q/{a}/result")).await;
    assert!(select(&result, ".joint-summary").is_empty());
    assert_eq!(
        select(&result, "#invite button"),
        ["Make a link for my partner"]
    );
    let (_, html) = get(&app, &format!("/q/{a}/book")).await;
    assert_eq!(
        select(&html, "h1"),
        ["Choose a time for your first consult"]
    );

    // Once a partner has started, there is nothing to withdraw.
    let b = join(&app, &invite(&app, &a).await).await;
    let refused = app
        .raw
        .post(app.url(&format!("/q/{a}/invite/withdraw")))
        .send()
        .await
        .expect("withdraw");
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let refused = app
        .raw
        .post(app.url(&format!("/q/{b}/invite/withdraw")))
        .send()
        .await
        .expect("withdraw");
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
}
on_both_databases!(withdraw, an_unused_invitation_can_be_withdrawn);
