//! Whoever saw a client's private link (a shared phone's history) must get nothing more once the
//! client ends it: not the consult's manage page, not the invitation they made for a partner.
//! And each booking, and each invitation, is a secret of its own: a withdrawn invitation never
//! opens again, and a cancelled consult's link never opens the next one. Against SQLite and
//! PostgreSQL.

use super::*;

async fn get_status(app: &TestApp, path: &str) -> StatusCode {
    app.raw
        .get(app.url(path))
        .send()
        .await
        .expect("get")
        .status()
}

async fn post(app: &TestApp, path: &str) -> reqwest::Response {
    app.raw.post(app.url(path)).send().await.expect("post")
}

/// The invitation link partner A's summary shows, as a path.
async fn invitation(app: &TestApp, token: &str) -> String {
    let (_, html) = page(app, &format!("/q/{token}/result")).await;
    let url = select(&html, "#invite-link").concat();
    let (_, secret) = url.split_once("/join/").expect("an invitation link");
    format!("/join/{}", secret.trim())
}

async fn ending_the_private_link_ends_the_links_made_from_it(app: TestApp) {
    practice_with_hours(&app, "09:00-12:00").await;
    // A client books, and makes a link for a partner who has not used it yet.
    let token = finished_client(&app).await;
    assert_eq!(
        post(&app, &format!("/q/{token}/invite")).await.status(),
        StatusCode::SEE_OTHER
    );
    let join = invitation(&app, &token).await;
    assert_eq!(get_status(&app, &join).await, StatusCode::OK);
    // A partner may book on their own before the other has started.
    let (_, picker) = page(&app, &format!("/q/{token}/book?for=client")).await;
    let slot = attrs(&picker, "input[name=slot]", "value")
        .first()
        .cloned()
        .expect("a time");
    let (_, confirm) = page(
        &app,
        &format!(
            "/q/{token}/book/confirm?for=client&tz=Europe/Berlin&slot={}",
            urlencode(&slot)
        ),
    )
    .await;
    let key = attrs(&confirm, "input[name=request_key]", "value")
        .pop()
        .expect("a request key");
    let mut form = booking_form(&slot, &key, "Sam");
    form.push(("for", "client".to_owned()));
    let booked = post_booking(&app, &token, &form).await;
    assert_eq!(booked.status(), StatusCode::SEE_OTHER);
    let manage = location(&booked).trim_end_matches("?booked=1").to_owned();
    assert_eq!(get_status(&app, &manage).await, StatusCode::OK);
    // The private link finds its own consult's manage page again.
    let again = app
        .raw
        .get(app.url(&format!("/q/{token}/book")))
        .send()
        .await
        .expect("get");
    assert_eq!(location(&again), manage);

    // The client ends the link: the page says what ended with it.
    let ended = post(&app, &format!("/q/{token}/end")).await;
    assert!(ended.status().is_success(), "{}", ended.status());
    let text = ended.text().await.expect("body");
    assert!(text.contains("A consult you booked stays booked"), "{text}");
    assert_eq!(
        get_status(&app, &format!("/q/{token}")).await,
        StatusCode::NOT_FOUND
    );
    // Nothing made from it opens or acts any more.
    assert_eq!(get_status(&app, &manage).await, StatusCode::NOT_FOUND);
    let cancel = post(&app, &format!("{manage}/cancel")).await;
    assert_eq!(cancel.status(), StatusCode::NOT_FOUND);
    assert_eq!(get_status(&app, &join).await, StatusCode::NOT_FOUND);
    assert_eq!(
        post(&app, &join).await.status(),
        StatusCode::NOT_FOUND,
        "nobody can join as partner B"
    );
    // The consult stays booked for the practice, and the client is on their own again.
    assert_eq!(
        db_count(
            &app,
            "select count(*) from bookings where status = 'booked'"
        )
        .await,
        1
    );
    assert_eq!(db_count(&app, "select count(*) from couples").await, 0);
    assert_eq!(db_count(&app, "select count(*) from invitations").await, 0);
}
on_both_databases!(
    ended_links,
    ending_the_private_link_ends_the_links_made_from_it
);

async fn a_withdrawn_invitation_never_opens_again(app: TestApp) {
    practice_with_hours(&app, "09:00-12:00").await;
    let token = finished_client(&app).await;
    post(&app, &format!("/q/{token}/invite")).await;
    let first = invitation(&app, &token).await;
    assert_eq!(get_status(&app, &first).await, StatusCode::OK);
    // Shown again while open: the same link.
    post(&app, &format!("/q/{token}/invite")).await;
    assert_eq!(invitation(&app, &token).await, first);
    let withdrawn = post(&app, &format!("/q/{token}/invite/withdraw")).await;
    assert_eq!(withdrawn.status(), StatusCode::SEE_OTHER);
    assert_eq!(get_status(&app, &first).await, StatusCode::NOT_FOUND);
    // A new invitation is a new secret: the one sent before stays closed.
    post(&app, &format!("/q/{token}/invite")).await;
    let second = invitation(&app, &token).await;
    assert_ne!(second, first);
    assert_eq!(get_status(&app, &first).await, StatusCode::NOT_FOUND);
    assert_eq!(post(&app, &first).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(get_status(&app, &second).await, StatusCode::OK);
}
on_both_databases!(
    withdrawn_invitation,
    a_withdrawn_invitation_never_opens_again
);

async fn a_cancelled_consults_link_does_not_open_the_next_one(app: TestApp) {
    practice_with_hours(&app, "09:00-12:00").await;
    let token = finished_client(&app).await;
    let (first, _) = book_first(&app, &token, "Sam").await;
    let cancelled = post(&app, &format!("{first}/cancel")).await;
    assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
    let (second, _) = book_first(&app, &token, "Sam").await;
    assert_ne!(second, first);
    // The old link still shows what it was for, a cancelled consult, and never the new one.
    let (_, old) = page(&app, &first).await;
    assert_eq!(select(&old, "h1"), ["Your consult is cancelled"]);
    let (status, html) = page(&app, &second).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(select(&html, "h1"), ["Your consult"]);
}
on_both_databases!(
    next_booking,
    a_cancelled_consults_link_does_not_open_the_next_one
);
