//! The intake form as clients, clinicians and admins meet it: "about you" before the
//! questionnaire, the practice's own questions with a condition, versions that keep old answers
//! in their old words, each partner's answers private, the list filters and the CSV export, and
//! the form as a file. Against SQLite and PostgreSQL.

use crate::common::{
    self, create_admin, db_count, location, log_in_as, staff_html, texts, TestApp,
};
use reqwest::StatusCode;

const ADMIN: &str = "ana@harbour.example";
const PASSWORD: &str = "correct horse battery staple";
const A_NAME: &str = "CANARY-A-NAME-71c";
const A_HOPES: &str = "=CANARY-A-HOPES-2be";
const B_NAME: &str = "CANARY-B-NAME-9d0";

async fn get(app: &TestApp, path: &str) -> (StatusCode, String, String) {
    let response = app.raw.get(app.url(path)).send().await.expect("get");
    let status = response.status();
    let to = location(&response);
    (status, to, response.text().await.expect("body"))
}

async fn post(app: &TestApp, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    app.raw
        .post(app.url(path))
        .form(form)
        .send()
        .await
        .expect("post")
}

async fn staff_post(
    app: &TestApp,
    cookie: &str,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    app.raw
        .post(app.url(path))
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .expect("post")
}

/// A new client on the intake's first page; their token.
async fn new_client(app: &TestApp) -> String {
    let started = post(app, "/start", &[("agree", "yes")]).await;
    let to = location(&started);
    to.strip_prefix("/q/")
        .and_then(|t| t.strip_suffix("/about"))
        .unwrap_or_else(|| panic!("the intake first, not {to:?}"))
        .to_owned()
}

async fn admin(app: &TestApp) -> String {
    create_admin(app, ADMIN, "Ana Lima", PASSWORD).await;
    log_in_as(app, ADMIN, PASSWORD).await.expect("log in")
}

/// The version the editor shows (its forms carry it).
async fn form_version(app: &TestApp, cookie: &str) -> String {
    let html = staff_html(app, cookie, "/staff/intake-form").await;
    let doc = scraper::Html::parse_document(&html);
    let selector = scraper::Selector::parse("input[name=version]").expect("selector");
    doc.select(&selector)
        .next()
        .and_then(|e| e.value().attr("value"))
        .expect("a version")
        .to_owned()
}

/// Adds "How old are the children?" (required), shown only to clients with children at home.
async fn add_conditional_question(app: &TestApp, cookie: &str) {
    let version = form_version(app, cookie).await;
    let added = staff_post(
        app,
        cookie,
        "/staff/intake-form/questions",
        &[
            ("version", &version),
            ("label", "How old are the children?"),
            ("kind", "short_text"),
            ("show_if", "about_children:yes"),
            ("required", "yes"),
        ],
    )
    .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
}

async fn a_client_answers_about_themselves_and_bad_input_loses_nothing(app: TestApp) {
    let token = new_client(&app).await;
    // The questionnaire waits until the intake is through.
    let (_, to, _) = get(&app, &format!("/q/{token}/s/1")).await;
    assert_eq!(to, format!("/q/{token}/about"));
    let (status, _, html) = get(&app, &format!("/q/{token}/about")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(texts(&html, "h1"), vec!["About you".to_owned()]);
    let labels = texts(&html, ".intake-question > label, .intake-question > legend");
    assert_eq!(labels.len(), 13, "{labels:?}");
    assert!(
        labels.iter().all(|l| l.ends_with("(optional)")),
        "{labels:?}"
    );

    // A name too long and a made-up choice: refused at their fields, everything kept.
    let long_name = "N".repeat(201);
    let refused = post(
        &app,
        &format!("/q/{token}/about"),
        &[
            ("in_about_name", &long_name),
            ("in_about_format", "by carrier pigeon"),
            ("in_about_hopes", "CANARY-KEPT-WORDS"),
            ("in_about_times", "weekends"),
            ("nav", "next"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("body");
    assert_eq!(
        texts(&html, "#in_about_name-error"),
        vec!["Please keep this under 200 characters.".to_owned()]
    );
    assert_eq!(
        texts(&html, "#in_about_format-error"),
        vec!["Please choose from the options shown.".to_owned()]
    );
    assert!(html.contains("CANARY-KEPT-WORDS"));
    assert!(html.contains(&long_name));
    assert!(
        html.contains(r#"value="weekends" checked"#),
        "the ticked box stays ticked"
    );
    assert_eq!(
        db_count(&app, "select count(*) from intake_answers").await,
        0
    );

    // A NUL byte in free text (PostgreSQL cannot store one): a message at its field, not a
    // failed save, and the other answers kept.
    let refused = post(
        &app,
        &format!("/q/{token}/about"),
        &[
            ("in_about_name", "Sam"),
            ("in_about_hopes", "to talk\0 again"),
            ("nav", "next"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("body");
    assert!(
        texts(&html, "#in_about_hopes-error")
            .concat()
            .contains("hidden character"),
        "{:?}",
        texts(&html, ".field-error")
    );
    assert!(html.contains(r#"value="Sam""#));
    assert_eq!(
        db_count(&app, "select count(*) from intake_answers").await,
        0
    );

    // Fixed: saved, and on to the questionnaire.
    let saved = post(
        &app,
        &format!("/q/{token}/about"),
        &[
            ("in_about_name", "Sam"),
            ("in_about_format", "video"),
            ("in_about_times", "weekends"),
            ("in_about_times", "weekday_evenings"),
            ("nav", "next"),
        ],
    )
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&saved), format!("/q/{token}"));
    let (_, to, _) = get(&app, &format!("/q/{token}")).await;
    assert_eq!(to, format!("/q/{token}/s/1"));
    // Coming back shows what was saved.
    let (_, _, html) = get(&app, &format!("/q/{token}/about")).await;
    assert!(html.contains(r#"value="Sam""#));
    assert!(html.contains(r#"value="video" checked"#));
    assert_eq!(
        db_count(&app, "select count(*) from intake_answers").await,
        3
    );
}
on_both_databases!(
    about_you,
    a_client_answers_about_themselves_and_bad_input_loses_nothing
);

async fn a_practice_question_follows_its_condition_and_old_answers_keep_their_words(app: TestApp) {
    let cookie = admin(&app).await;
    add_conditional_question(&app, &cookie).await;
    let html = staff_html(&app, &cookie, "/staff/intake-form").await;
    assert!(html.contains("Shown only if “Are there children living in your home?” is “Yes”."));

    // Children at home: the practice's page follows, and its required question is required.
    let with = new_client(&app).await;
    let next = post(
        &app,
        &format!("/q/{with}/about"),
        &[("in_about_children", "yes"), ("nav", "next")],
    )
    .await;
    assert_eq!(location(&next), format!("/q/{with}/about/more"));
    let (_, _, html) = get(&app, &format!("/q/{with}/about/more")).await;
    assert!(texts(&html, "label").contains(&"How old are the children?".to_owned()));
    let missing = post(&app, &format!("/q/{with}/about/more"), &[("nav", "next")]).await;
    assert_eq!(missing.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = missing.text().await.expect("body");
    assert_eq!(
        texts(&html, "#in_p1-error"),
        vec!["Please answer this question.".to_owned()]
    );
    // Back is always possible, and loses nothing.
    let back = post(&app, &format!("/q/{with}/about/more"), &[("nav", "back")]).await;
    assert_eq!(location(&back), format!("/q/{with}/about"));
    let done = post(
        &app,
        &format!("/q/{with}/about/more"),
        &[("in_p1", "CANARY-AGES 4 and 7"), ("nav", "next")],
    )
    .await;
    assert_eq!(location(&done), format!("/q/{with}"));

    // No children at home: straight on to the questionnaire; the practice's page is not theirs.
    let without = new_client(&app).await;
    let next = post(
        &app,
        &format!("/q/{without}/about"),
        &[("in_about_children", "no"), ("nav", "next")],
    )
    .await;
    assert_eq!(location(&next), format!("/q/{without}"));
    let (_, to, _) = get(&app, &format!("/q/{without}/about/more")).await;
    assert_eq!(to, format!("/q/{without}/about"));

    // The question is retired: a new version, and the answer still reads in its own words.
    let version = form_version(&app, &cookie).await;
    let retired = staff_post(
        &app,
        &cookie,
        "/staff/intake-form/change",
        &[("version", &version), ("key", "p1"), ("action", "retire")],
    )
    .await;
    assert_eq!(retired.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        db_count(&app, "select count(*) from intake_forms").await,
        3,
        "the first version, the one that added it, the one that retired it"
    );
    let reference = common::db_text(
        &app,
        "select s.reference from submissions s join intake_answers a \
         on a.submission_id = s.id where a.question_key = 'p1'",
    )
    .await;
    let page = staff_html(&app, &cookie, &format!("/staff/submissions/{reference}")).await;
    let rows = texts(&page, ".intake-card tbody tr");
    assert!(
        rows.contains(&"How old are the children? CANARY-AGES 4 and 7".to_owned()),
        "{rows:?}"
    );
    assert!(rows.contains(&"Are there children living in your home? Yes".to_owned()));

    // The practice words its own list of where people heard of it.
    let version = form_version(&app, &cookie).await;
    let worded = staff_post(
        &app,
        &cookie,
        "/staff/intake-form/change",
        &[
            ("version", &version),
            ("key", "about_source"),
            ("action", "choices"),
            ("choices", "A web search\nOur newsletter, or a flyer"),
        ],
    )
    .await;
    assert_eq!(worded.status(), StatusCode::SEE_OTHER);
    let fresh = new_client(&app).await;
    let (_, _, html) = get(&app, &format!("/q/{fresh}/about")).await;
    let sources = texts(&html, "label[for^=in_about_source-]");
    assert_eq!(
        sources,
        vec![
            "A web search",
            "Our newsletter, or a flyer",
            "I'd rather not say"
        ]
    );

    // A change made on a page opened before another admin's is refused, not applied.
    let stale = staff_post(
        &app,
        &cookie,
        "/staff/intake-form/change",
        &[
            ("version", &version),
            ("key", "about_name"),
            ("action", "required"),
        ],
    )
    .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    assert!(stale
        .text()
        .await
        .expect("body")
        .contains("Nothing was saved"));
    // A question nobody can answer is refused at its field.
    let version = form_version(&app, &cookie).await;
    let refused = staff_post(
        &app,
        &cookie,
        "/staff/intake-form/questions",
        &[
            ("version", &version),
            ("label", "Pick one"),
            ("kind", "one_choice"),
            ("choices", "Only"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("body");
    assert!(texts(&html, "#choices-error")[0].contains("between 2 and 20 options"));
    assert!(html.contains(r#"value="Pick one""#), "what was typed stays");
}
on_both_databases!(
    practice_questions,
    a_practice_question_follows_its_condition_and_old_answers_keep_their_words
);

async fn partners_see_only_their_own_answers_and_clinicians_see_both(app: TestApp) {
    let cookie = admin(&app).await;
    let a = new_client(&app).await;
    post(
        &app,
        &format!("/q/{a}/about"),
        &[
            ("in_about_name", A_NAME),
            ("in_about_hopes", A_HOPES),
            ("in_about_format", "video"),
            ("nav", "next"),
        ],
    )
    .await;
    common::answer_every_section(&app, &a, |_| "3", "").await;
    common::check_in(&app, &a, "no").await;
    let made = post(&app, &format!("/q/{a}/invite"), &[]).await;
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let (_, _, html) = get(&app, &format!("/q/{a}/result")).await;
    let url = texts(&html, "#invite-link").concat();
    let join = format!("/join/{}", url.split_once("/join/").expect("a link").1);
    let joined = app.raw.post(app.url(&join)).send().await.expect("join");
    let b = common::token_of_consent_redirect(&joined);
    let agreed = post(&app, &format!("/q/{b}/consent"), &[("agree", "yes")]).await;
    assert_eq!(location(&agreed), format!("/q/{b}"));
    let (_, to, _) = get(&app, &format!("/q/{b}")).await;
    assert_eq!(
        to,
        format!("/q/{b}/about"),
        "partner B answers for themselves too"
    );
    // Partner B's intake starts empty: nothing of A's.
    let (_, _, html) = get(&app, &format!("/q/{b}/about")).await;
    assert!(!html.contains(A_NAME) && !html.contains("CANARY-A-HOPES"));
    post(
        &app,
        &format!("/q/{b}/about"),
        &[
            ("in_about_name", B_NAME),
            ("in_about_format", "in_person"),
            ("nav", "next"),
        ],
    )
    .await;
    common::answer_every_section(&app, &b, |_| "4", "").await;
    common::check_in(&app, &b, "no").await;
    for (token, other) in [(&a, B_NAME), (&b, A_NAME)] {
        for page in ["", "/about", "/result", "/book", "/s/1"] {
            let (_, _, html) = get(&app, &format!("/q/{token}{page}")).await;
            assert!(!html.contains(other), "{page} shows the partner's answer");
        }
    }
    // The clinician sees both, side by side, each column labelled by whose answers they are.
    let reference = common::db_text(
        &app,
        "select reference from submissions where partner = 'a'",
    )
    .await;
    let page = staff_html(&app, &cookie, &format!("/staff/submissions/{reference}")).await;
    let heads = texts(&page, ".intake-card thead th");
    assert_eq!(heads[1], "Partner A (this submission)");
    assert!(heads[2].starts_with("Partner B (TB-"), "{heads:?}");
    let rows = texts(&page, ".intake-card tbody tr");
    assert!(
        rows.contains(&format!(
            "The name you would like us to use {A_NAME} {B_NAME}"
        )),
        "{rows:?}"
    );
    assert!(rows.contains(&"How would you like to meet? By video In person".to_owned()));

    // The list narrows to those who would meet by video; "either" counts for both.
    let list = staff_html(&app, &cookie, "/staff?meet=video").await;
    assert!(list.contains(&reference));
    let in_person = staff_html(&app, &cookie, "/staff?meet=in_person").await;
    assert!(!in_person.contains(&reference));
    // The CSV: a column per question, formulas neutralised, own words only when asked.
    let csv = staff_html(&app, &cookie, "/staff/export.csv").await;
    assert!(csv
        .lines()
        .next()
        .expect("header")
        .contains("How would you like to meet?"));
    assert!(csv.contains("By video"));
    assert!(!csv.contains("CANARY-A-HOPES"), "free text only when asked");
    let csv = staff_html(&app, &cookie, "/staff/export.csv?free_text=yes").await;
    assert!(csv.contains(&format!("'{A_HOPES}")), "{csv}");
    assert!(csv.contains(A_NAME));
}
on_both_databases!(
    partners,
    partners_see_only_their_own_answers_and_clinicians_see_both
);

async fn the_form_moves_between_installations_as_a_file(app: TestApp) {
    let cookie = admin(&app).await;
    add_conditional_question(&app, &cookie).await;
    let file = staff_html(&app, &cookie, "/staff/intake-form.json").await;
    assert!(file.contains("trustbridge-intake-form"));
    assert!(file.contains("How old are the children?"));
    // Another installation (a fresh database) imports it: one new version, conditions intact.
    let backend = if app.database_url.starts_with("sqlite:") {
        common::Backend::Sqlite
    } else {
        common::Backend::Postgres
    };
    let there = common::spawn_app(backend).await;
    let there_cookie = admin(&there).await;
    let version = form_version(&there, &there_cookie).await;
    let import = |body: String, version: String| {
        let form = reqwest::multipart::Form::new()
            .text("version", version)
            .part(
                "file",
                reqwest::multipart::Part::text(body).file_name("intake-form.json"),
            );
        there
            .raw
            .post(there.url("/staff/intake-form/import"))
            .header("cookie", there_cookie.clone())
            .multipart(form)
            .send()
    };
    let refused = import("{\"format\":\"a spreadsheet\"}".into(), version.clone())
        .await
        .expect("import");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("body");
    assert!(texts(&html, "#file-error")
        .concat()
        .contains("not a form file"));
    let imported = import(file, version).await.expect("import");
    assert_eq!(imported.status(), StatusCode::SEE_OTHER);
    let html = staff_html(&there, &there_cookie, "/staff/intake-form").await;
    assert!(html.contains("Shown only if “Are there children living in your home?” is “Yes”."));
    assert_eq!(
        db_count(&there, "select count(*) from intake_forms").await,
        2
    );
    // Only admins edit the form.
    let (status, _, _) = get(&there, "/staff/intake-form").await;
    assert_ne!(status, StatusCode::OK);
}
on_both_databases!(form_file, the_form_moves_between_installations_as_a_file);

async fn an_upgrade_adds_a_new_built_in_question_as_a_new_version(app: TestApp) {
    // A form stored by an earlier version of the product, before "How did you hear about the
    // practice?" existed, with a wording of its own.
    let old = trustbridge::domain::intake::Form {
        questions: trustbridge::domain::intake::about_you()
            .into_iter()
            .filter(|q| q.key != "about_source")
            .map(|mut q| {
                if q.key == "about_name" {
                    q.label = "What should we call you?".into();
                }
                q
            })
            .collect(),
        next_key: 1,
    };
    let json = serde_json::to_string(&old)
        .expect("json")
        .replace('\'', "''");
    common::db_execute(
        &app,
        &format!("update intake_forms set definition = '{json}' where version = 1"),
    )
    .await;
    let mut app = app;
    app.stop().await;
    app.restart(&[]).await;
    assert_eq!(db_count(&app, "select count(*) from intake_forms").await, 2);
    let token = new_client(&app).await;
    let (_, _, html) = get(&app, &format!("/q/{token}/about")).await;
    let labels = texts(&html, ".intake-question > label, .intake-question > legend");
    assert_eq!(labels.len(), 13, "{labels:?}");
    assert_eq!(
        labels[0], "What should we call you? (optional)",
        "stored wording kept"
    );
    assert_eq!(
        labels[12],
        "How did you hear about the practice? (optional)"
    );
    // Starting again changes nothing more.
    app.stop().await;
    app.restart(&[]).await;
    assert_eq!(db_count(&app, "select count(*) from intake_forms").await, 2);
}
on_both_databases!(
    upgrade,
    an_upgrade_adds_a_new_built_in_question_as_a_new_version
);
