//! Partner A has the practice email the invitation to partner B: through the real SMTP sink,
//! a limited number a day, and not all of them used up from one device. Against SQLite and
//! PostgreSQL.

use super::*;

async fn partner_a_has_the_practice_email_the_invitation(backend: Backend) {
    let port = free_port();
    let dir = tempfile::tempdir().expect("temp dir");
    let sink = SmtpSink::start(port, &dir.path().join("maildir")).await;
    let app = common::spawn_app_with(backend, &smtp_env(port)).await;
    let token = common::start_questionnaire(&app).await;
    answer_everything(&app, &token).await;
    let made = app
        .raw
        .post(app.url(&format!("/q/{token}/invite")))
        .send()
        .await
        .expect("invite");
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let send = |to: &'static str| {
        app.raw
            .post(app.url(&format!("/q/{token}/invite/email")))
            .form(&[("email", to)])
            .send()
    };

    // A refused address is said next to the field, kept as typed, and announced at the top.
    for (typed, said) in [
        ("", "Please give your partner's email address."),
        ("jo at example", "That does not look like an email address"),
    ] {
        let refused = send(typed).await.expect("send");
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = scraper::Html::parse_document(&refused.text().await.expect("body"));
        let text = |css: &str| {
            let selector = scraper::Selector::parse(css).expect("selector");
            html.select(&selector)
                .map(|e| e.text().collect::<String>())
                .collect::<String>()
        };
        assert!(text("#email-error").contains(said), "{typed:?}");
        assert!(text("[role=alert]").contains(said), "{typed:?}");
        let input = scraper::Selector::parse("input#email").expect("selector");
        let input = html.select(&input).next().expect("the field");
        assert_eq!(input.value().attr("value"), Some(typed));
        assert_eq!(input.value().attr("aria-invalid"), Some("true"));
    }

    let sent = send("jo@example.net").await.expect("send");
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let back = common::location(&sent);
    assert_eq!(back, format!("/q/{token}/result?emailed=1#invite"));
    let page = app
        .client
        .get(app.url(&back))
        .send()
        .await
        .expect("result")
        .text()
        .await
        .expect("body");
    assert!(page.contains("The practice has emailed the link to your partner."));

    // Partner B gets the link, the practice's name and nothing else of A's.
    let messages = sink.wait_for(2, Duration::from_secs(30)).await;
    let to_b: Vec<&String> = messages
        .iter()
        .filter(|m| header(m, "To") == Some("jo@example.net"))
        .collect();
    assert_eq!(to_b.len(), 1, "{messages:?}");
    let invitation = to_b[0];
    assert_eq!(
        header(invitation, "Subject"),
        Some("An invitation to answer a few questions")
    );
    let text = decoded_part(invitation, "text/plain").expect("a text part");
    assert!(
        decoded_part(invitation, "text/html").is_some(),
        "an HTML part"
    );
    let link = text
        .split_whitespace()
        .find(|w| w.contains("/join/"))
        .expect("the invitation link")
        .to_owned();
    let path = &link[link.find("/join/").expect("a join path")..];
    let welcome = app.raw.get(app.url(path)).send().await.expect("welcome");
    assert_eq!(welcome.status(), StatusCode::OK, "the emailed link opens");
    assert!(!invitation.contains(CANARY), "A's note in B's email");
    for word in ["readiness", "Readiness", "/ 100", "TB-", "score"] {
        assert!(!invitation.contains(word), "{word} in the invitation");
    }

    // A few times at most, then a clear message instead of another email.
    for _ in 0..2 {
        let again = send("jo@example.net").await.expect("send");
        assert_eq!(again.status(), StatusCode::SEE_OTHER);
    }
    let refused = send("jo@example.net").await.expect("send");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.expect("body");
    assert!(body.contains("emailed this link 3 times already"), "{body}");
    sink.wait_for(4, Duration::from_secs(30)).await;
    // Time for a wrongly queued fourth invitation to arrive too.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(
        sink.messages()
            .iter()
            .filter(|m| header(m, "To") == Some("jo@example.net"))
            .count(),
        3
    );
    // Ten tries from one address, then one a minute.
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(send("jo@example.net").await.expect("send").status());
    }
    assert_eq!(statuses[..4], [StatusCode::UNPROCESSABLE_ENTITY; 4]);
    assert_eq!(statuses[4], StatusCode::TOO_MANY_REQUESTS);
    // B's address is not logged.
    assert!(!app.logs().contains("jo@example.net"));
}

async fn the_practice_emails_a_limited_number_of_invitations_a_day(backend: Backend) {
    let port = free_port();
    let dir = tempfile::tempdir().expect("temp dir");
    let _sink = SmtpSink::start(port, &dir.path().join("maildir")).await;
    let mut env = smtp_env(port);
    env.push(("INVITE_EMAILS_PER_DAY", "1".into()));
    let app = common::spawn_app_with(backend, &env).await;
    let mut statuses = Vec::new();
    for _ in 0..2 {
        let token = common::start_questionnaire(&app).await;
        answer_everything(&app, &token).await;
        app.raw
            .post(app.url(&format!("/q/{token}/invite")))
            .send()
            .await
            .expect("invite");
        let sent = app
            .raw
            .post(app.url(&format!("/q/{token}/invite/email")))
            .form(&[("email", "jo@example.net")])
            .send()
            .await
            .expect("send");
        statuses.push((sent.status(), sent.text().await.expect("body")));
    }
    assert_eq!(statuses[0].0, StatusCode::SEE_OTHER);
    assert_eq!(statuses[1].0, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(statuses[1]
        .1
        .contains("The practice cannot email more invitations today"));
    assert_eq!(
        common::db_count(
            &app,
            "select count(*) from outbox where kind = 'partner_invitation'"
        )
        .await,
        1
    );
}

/// One device (one client behind the proxy) gets a share of the day's invitations, so it
/// cannot use up everyone's.
async fn one_device_cannot_use_up_the_days_invitations(backend: Backend) {
    let port = free_port();
    let dir = tempfile::tempdir().expect("temp dir");
    let _sink = SmtpSink::start(port, &dir.path().join("maildir")).await;
    let mut env = smtp_env(port);
    env.push(("INVITE_EMAILS_PER_DAY", "10".into()));
    env.push(("TRUSTED_PROXIES", "127.0.0.1".into()));
    let app = common::spawn_app_with(backend, &env).await;
    let send_from = |device: &'static str| {
        let app = &app;
        async move {
            let token = common::start_questionnaire(app).await;
            answer_everything(app, &token).await;
            app.raw
                .post(app.url(&format!("/q/{token}/invite")))
                .send()
                .await
                .expect("invite");
            let sent = app
                .raw
                .post(app.url(&format!("/q/{token}/invite/email")))
                .header("x-forwarded-for", device)
                .form(&[("email", "jo@example.net")])
                .send()
                .await
                .expect("send");
            (sent.status(), sent.text().await.expect("body"))
        }
    };
    for n in 0..5 {
        let (status, _) = send_from("203.0.113.5").await;
        assert_eq!(status, StatusCode::SEE_OTHER, "invitation {n}");
    }
    let (status, body) = send_from("203.0.113.5").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("The practice cannot email more invitations today"));
    // Another device still can: the practice's own cap (10) is not used up.
    let (status, _) = send_from("198.51.100.7").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(common::mail(&app, "partner_invitation").await.len(), 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitation_device_share_sqlite() {
    one_device_cannot_use_up_the_days_invitations(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitation_device_share_postgres() {
    one_device_cannot_use_up_the_days_invitations(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitation_day_cap_sqlite() {
    the_practice_emails_a_limited_number_of_invitations_a_day(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitation_day_cap_postgres() {
    the_practice_emails_a_limited_number_of_invitations_a_day(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitation_mail_sqlite() {
    partner_a_has_the_practice_email_the_invitation(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitation_mail_postgres() {
    partner_a_has_the_practice_email_the_invitation(Backend::Postgres).await;
}
