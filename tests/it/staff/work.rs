//! The workspace's day-to-day: a clinician moves a submission along its workflow and keeps
//! private notes, and admins manage the clinicians' accounts while clinicians cannot. Against
//! SQLite and PostgreSQL.

use super::*;

async fn a_clinician_moves_a_submission_and_keeps_private_notes(app: TestApp) {
    let reference = submit_questionnaire(&app, "").await;
    let cookie = log_in_cookie(&app).await;
    let post = |path: String, form: Vec<(&'static str, &'static str)>| {
        let app = &app;
        let cookie = cookie.clone();
        async move {
            app.raw
                .post(app.url(&path))
                .header("cookie", cookie)
                .form(&form)
                .send()
                .await
                .expect("post")
        }
    };
    let status = format!("/staff/submissions/{reference}/status");
    let moved = post(status.clone(), vec![("from", "new"), ("to", "contacted")]).await;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    // A move that skips the workflow, or starts from a stale status, is refused.
    let skip = post(status.clone(), vec![("from", "contacted"), ("to", "new")]).await;
    assert_eq!(skip.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let stale = post(status.clone(), vec![("from", "new"), ("to", "closed")]).await;
    assert_eq!(stale.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let noted = post(
        format!("/staff/submissions/{reference}/notes"),
        vec![("body", "Left a voicemail <b>Tuesday</b>")],
    )
    .await;
    assert_eq!(noted.status(), StatusCode::SEE_OTHER);
    let empty = post(
        format!("/staff/submissions/{reference}/notes"),
        vec![("body", "   ")],
    )
    .await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let page = app
        .raw
        .get(app.url(&format!("/staff/submissions/{reference}")))
        .header("cookie", cookie.clone())
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    let html = Html::parse_document(&page);
    let items = Selector::parse("ol.history li").expect("selector");
    let history: Vec<String> = html.select(&items).map(|li| li.text().collect()).collect();
    assert_eq!(history.len(), 2, "{history:?}");
    assert!(history[0].contains("Ana Lima") && history[0].contains("Moved from New to Contacted"));
    assert!(history[1].contains("Note: Left a voicemail <b>Tuesday</b>"));
    assert!(!page.contains("<b>Tuesday</b>"), "notes are shown as text");

    // The list can be narrowed to a workflow status, and exported as CSV.
    let list = |query: &'static str| {
        let app = &app;
        let cookie = cookie.clone();
        async move {
            app.raw
                .get(app.url(&format!("/staff{query}")))
                .header("cookie", cookie)
                .send()
                .await
                .expect("get")
        }
    };
    let contacted = list("?workflow=contacted")
        .await
        .text()
        .await
        .expect("body");
    assert!(contacted.contains(&reference));
    let closed = list("?workflow=closed").await.text().await.expect("body");
    assert!(!closed.contains(&reference));
    let prefix = reference[..7].to_lowercase();
    let by_prefix = app
        .raw
        .get(app.url(&format!("/staff?q={prefix}")))
        .header("cookie", cookie.clone())
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(
        by_prefix.contains(&reference),
        "a reference prefix finds it, in any case"
    );
    let other = list("?q=TB-0000").await.text().await.expect("body");
    assert!(!other.contains(&reference));
    let today = chrono::Utc::now().date_naive().to_string();
    let since_today = app
        .raw
        .get(app.url(&format!("/staff?from={today}&to={today}")))
        .header("cookie", cookie.clone())
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(since_today.contains(&reference));
    let long_ago = list("?from=2001-01-01&to=2001-12-31")
        .await
        .text()
        .await
        .expect("body");
    assert!(!long_ago.contains(&reference));
    let bad_date = list("?from=yesterday").await.text().await.expect("body");
    assert!(bad_date.contains("Use a date like 2026-11-25."));
    let csv = list("/export.csv?workflow=contacted").await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .expect("header")
        .contains("attachment"));
    let body = csv.text().await.expect("body");
    let lines: Vec<&str> = body.lines().collect();
    // The list's columns, then one per question of the intake form.
    assert!(
        lines[0].starts_with(
            "reference,started_utc,submitted_utc,questionnaire,workflow,readiness,band,\
             instrument_version,leaning,"
        ),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("How would you like to meet?"));
    assert_eq!(lines.len(), 2, "{body}");
    assert!(lines[1].starts_with(&format!("{reference},")));
    assert!(lines[1].contains(",Submitted,Contacted,"));
    // Scores of different instrument versions are not alike: each row says which it is.
    assert_eq!(lines[1].split(',').nth(7), Some("2"), "{}", lines[1]);
}
on_both_databases!(
    workflow,
    a_clinician_moves_a_submission_and_keeps_private_notes
);

async fn admins_manage_clinicians_and_clinicians_cannot(app: TestApp) {
    let admin = log_in_cookie(&app).await;
    let added = post_with_cookie(
        &app,
        &admin,
        "/staff/clinicians",
        &[
            ("name", "Sam Okafor"),
            ("email", "Sam@Harbour.example"),
            ("password", "amber harbour kettle swing"),
            ("role", "clinician"),
        ],
    )
    .await;
    assert_eq!(added.status(), StatusCode::CREATED);
    assert!(added
        .text()
        .await
        .expect("body")
        .contains("Added Sam Okafor"));
    let weak = post_with_cookie(
        &app,
        &admin,
        "/staff/clinicians",
        &[
            ("name", "Lee"),
            ("email", "lee@harbour.example"),
            ("password", "password123456"),
            ("role", "clinician"),
        ],
    )
    .await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let sam = log_in_as(&app, "sam@harbour.example", "amber harbour kettle swing")
        .await
        .expect("the new clinician can log in");
    assert_eq!(
        with_cookie(&app, &sam, "/staff").await.status(),
        StatusCode::OK
    );
    for path in ["/staff/clinicians", "/staff/audit", "/staff/email"] {
        assert_eq!(
            with_cookie(&app, &sam, path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let sneaky = post_with_cookie(
        &app,
        &sam,
        "/staff/clinicians",
        &[
            ("name", "X"),
            ("email", "x@harbour.example"),
            ("password", "amber harbour kettle swing"),
            ("role", "admin"),
        ],
    )
    .await;
    assert_eq!(sneaky.status(), StatusCode::FORBIDDEN);
    // Only admins delete submissions, and only admins see the form.
    let reference = submit_questionnaire(&app, "").await;
    let path = format!("/staff/submissions/{reference}");
    let page = with_cookie(&app, &sam, &path)
        .await
        .text()
        .await
        .expect("body");
    assert!(!page.contains("Delete this submission"));
    let delete = post_with_cookie(
        &app,
        &sam,
        &format!("{path}/delete"),
        &[("confirm_reference", reference.as_str())],
    )
    .await;
    assert_eq!(delete.status(), StatusCode::FORBIDDEN);
    let page = with_cookie(&app, &admin, &path)
        .await
        .text()
        .await
        .expect("body");
    assert!(page.contains("Delete this submission"));

    // Deactivating Sam ends Sam's session at once and refuses new logins.
    let list = with_cookie(&app, &admin, "/staff/clinicians")
        .await
        .text()
        .await
        .expect("body");
    let html = Html::parse_document(&list);
    let forms = Selector::parse("form[action^='/staff/clinicians/']").expect("selector");
    let sam_form = html
        .select(&forms)
        .find(|f| f.html().contains("Deactivate Sam Okafor"))
        .and_then(|f| f.value().attr("action"))
        .expect("a deactivate button for Sam")
        .to_owned();
    let off = post_with_cookie(&app, &admin, &sam_form, &[("active", "0")]).await;
    assert_eq!(off.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        with_cookie(&app, &sam, "/staff").await.status(),
        StatusCode::SEE_OTHER
    );
    assert!(
        log_in_as(&app, "sam@harbour.example", "amber harbour kettle swing")
            .await
            .is_none()
    );

    // The audit log names who did what.
    let audit = with_cookie(&app, &admin, "/staff/audit")
        .await
        .text()
        .await
        .expect("body");
    assert!(audit.contains("create clinician"));
    assert!(audit.contains("deactivate clinician"));
}
on_both_databases!(
    admin_clinicians,
    admins_manage_clinicians_and_clinicians_cannot
);
