//! A client answers the trust questionnaire without JavaScript (plain forms), and with the
//! island's JSON replies, against SQLite and PostgreSQL.

use crate::common::{self, TestApp};
use reqwest::StatusCode;
use scraper::{Html, Selector};
use trustbridge::domain::questionnaire::{self as q, Answers, Likert, SECTION_COUNT};
use trustbridge::domain::scoring;

const CANARY: &str = "CANARY-my-partner-reads-my-phone-4f9c2e";

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).expect("selector");
    html.select(&selector).collect()
}

fn text(el: &scraper::ElementRef<'_>) -> String {
    el.text().collect::<Vec<_>>().join("")
}

async fn start(app: &TestApp) -> String {
    common::start_questionnaire(app).await
}

const CURRENT: q::Instrument = q::Instrument::CURRENT;

/// The value a test client picks for a statement: varied, deterministic. The framing
/// questions get their first option ("Mostly something I did", "I want to work on it").
fn pick(question: q::Question, seed: u8) -> u8 {
    let q::Question::Item(item) = question else {
        return 1;
    };
    let sum: u32 = item.id.bytes().map(u32::from).sum::<u32>() + u32::from(seed);
    (sum % 5) as u8 + 1
}

fn section_form(section: u8, seed: u8, nav: &str) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = CURRENT
        .questions_in_section(section)
        .into_iter()
        .map(|question| (question.field_name(), pick(question, seed).to_string()))
        .collect();
    form.push(("nav".into(), nav.into()));
    form
}

async fn post_section(
    app: &TestApp,
    token: &str,
    section: u8,
    form: &[(String, String)],
) -> reqwest::Response {
    app.raw
        .post(app.url(&format!("/q/{token}/s/{section}")))
        .form(form)
        .send()
        .await
        .expect("post section")
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn get_html(app: &TestApp, path: &str) -> (StatusCode, Html) {
    let response = app.client.get(app.url(path)).send().await.expect("get");
    let status = response.status();
    let body = response.text().await.expect("body");
    (status, Html::parse_document(&body))
}

/// The level words a summary page shows, in order.
fn levels(html: &Html) -> Vec<String> {
    select(html, ".dimension-level").iter().map(text).collect()
}

/// The level words the client's summary should show for `result`.
fn client_levels(result: &scoring::ReadinessResult) -> Vec<String> {
    scoring::CLIENT_DIMENSIONS
        .iter()
        .filter_map(|d| result.dimension(*d))
        .map(|score| scoring::level_words(score).to_owned())
        .collect()
}

fn expected_result(seed: u8) -> scoring::ReadinessResult {
    let mut answers = Answers::new(CURRENT);
    for question in CURRENT.questions() {
        let v = i64::from(pick(question, seed));
        let response = match question {
            q::Question::Item(_) => q::Response::Rated(Likert::parse(v).expect("valid")),
            q::Question::Framing(_) => q::Response::Chose(1),
        };
        answers
            .respond(question.id(), response)
            .expect("known question");
    }
    scoring::score(&answers.complete().expect("complete"))
}

async fn landing_page_names_the_practice_and_offers_a_start(app: TestApp) {
    let (status, html) = get_html(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    let header = select(&html, ".practice-name");
    assert_eq!(text(&header[0]), "Harbour Couples Practice");
    let buttons = select(&html, "form[action='/start'] button");
    assert_eq!(text(&buttons[0]), "Start the questionnaire");
}
on_both_databases!(landing, landing_page_names_the_practice_and_offers_a_start);

async fn a_client_completes_the_questionnaire_without_javascript(app: TestApp) {
    let token = start(&app).await;
    for section in 1..=SECTION_COUNT {
        let (status, html) = get_html(&app, &format!("/q/{token}/s/{section}")).await;
        assert_eq!(status, StatusCode::OK);
        let progress = select(&html, "#progress-label");
        assert_eq!(
            text(&progress[0]),
            format!("Section {section} of {SECTION_COUNT}")
        );
        let questions = select(&html, "fieldset.question");
        assert_eq!(questions.len(), CURRENT.questions_in_section(section).len());
        let response = post_section(&app, &token, section, &section_form(section, 3, "next")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let expected = if section < SECTION_COUNT {
            format!("/q/{token}/s/{}", section + 1)
        } else {
            format!("/q/{token}/private")
        };
        assert_eq!(location(&response), expected);
    }
    // The summary waits for the private check-in: its address leads there until it is done.
    let early = app
        .raw
        .get(app.url(&format!("/q/{token}/result")))
        .send()
        .await
        .expect("result");
    assert_eq!(early.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&early), format!("/q/{token}/private"));
    let checked = common::check_in(&app, &token, "no").await;
    assert_eq!(location(&checked), format!("/q/{token}/result"));
    let (status, html) = get_html(&app, &format!("/q/{token}/result")).await;
    assert_eq!(status, StatusCode::OK);
    let expected = expected_result(3);
    let body = html.root_element().html();
    assert!(body.contains("This is not a diagnosis."));
    // Scores in words, never numbers: the four areas, then "Owning your part" for everyone.
    assert_eq!(levels(&html), client_levels(&expected));
    assert!(!body.contains("/ 100") && !body.contains(&format!(">{}<", expected.overall)));
    assert_eq!(select(&html, ".dimension").len(), 5);
    assert_eq!(select(&html, "ol.ways > li").len(), 5);
    let cta = select(&html, ".next-step a.button");
    let book = format!("/q/{token}/book");
    assert_eq!(cta[0].value().attr("href"), Some(book.as_str()));
    let reference = text(&select(&html, ".reference strong")[0]);
    assert!(reference.starts_with("TB-"));
}
on_both_databases!(
    complete_without_js,
    a_client_completes_the_questionnaire_without_javascript
);

async fn unanswered_statements_are_marked_and_nothing_is_lost(app: TestApp) {
    let token = start(&app).await;
    let mut form = section_form(1, 1, "next");
    let skipped = form.remove(0).0; // leave the first statement unanswered
    let response = post_section(&app, &token, 1, &form).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), format!("/q/{token}/s/1?check=1"));

    let (_, html) = get_html(&app, &format!("/q/{token}/s/1?check=1")).await;
    let marked = select(&html, "fieldset.question.unanswered");
    assert_eq!(marked.len(), 1, "only the skipped statement is marked");
    let marked_html = marked[0].html();
    assert!(marked_html.contains(&format!("name=\"{skipped}\"")));
    assert!(marked_html.contains("Please choose an answer for this statement."));
    // Every other answer is still there, checked.
    let checked = select(&html, "input[type=radio][checked]");
    assert_eq!(checked.len(), form.len() - 1);

    // A reload of the resume link goes back to the unfinished section.
    let response = app
        .raw
        .get(app.url(&format!("/q/{token}")))
        .send()
        .await
        .expect("get");
    assert_eq!(location(&response), format!("/q/{token}/s/1"));
}
on_both_databases!(
    incomplete_section,
    unanswered_statements_are_marked_and_nothing_is_lost
);

async fn going_back_keeps_answers_and_the_resume_link_continues(app: TestApp) {
    let token = start(&app).await;
    post_section(&app, &token, 1, &section_form(1, 2, "next")).await;
    let mut partial = section_form(2, 2, "back");
    partial.truncate(2);
    partial.push(("nav".into(), "back".into()));
    let response = post_section(&app, &token, 2, &partial).await;
    assert_eq!(location(&response), format!("/q/{token}/s/1"));

    let (_, html) = get_html(&app, &format!("/q/{token}/s/1")).await;
    assert_eq!(
        select(&html, "input[type=radio][checked]").len(),
        CURRENT.questions_in_section(1).len()
    );
    let (_, html) = get_html(&app, &format!("/q/{token}/s/2")).await;
    assert_eq!(select(&html, "input[type=radio][checked]").len(), 2);

    // Reopening the private link continues at the first unfinished section.
    let response = app
        .raw
        .get(app.url(&format!("/q/{token}")))
        .send()
        .await
        .expect("get");
    assert_eq!(location(&response), format!("/q/{token}/s/2"));
    let (_, html) = get_html(&app, &format!("/q/{token}/s/2")).await;
    let resume = text(&select(&html, ".resume-link code")[0]);
    assert!(resume.ends_with(&format!("/q/{token}")));
}
on_both_databases!(
    back_and_resume,
    going_back_keeps_answers_and_the_resume_link_continues
);

async fn invalid_answers_are_refused_whole_with_a_clear_message(app: TestApp) {
    let token = start(&app).await;
    let mut form = section_form(1, 1, "next");
    form[1].1 = "9".into();
    form.push(("q_nosuchitem".into(), "3".into()));
    let response = app
        .raw
        .post(app.url(&format!("/q/{token}/s/1")))
        .header("accept", "application/json")
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["saved"], false);
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert!(fields.contains(&form[1].0.as_str()), "{body}");
    assert!(fields.contains(&"q_nosuchitem"), "{body}");

    // Nothing of that post was stored, not even its valid answers.
    let (_, html) = get_html(&app, &format!("/q/{token}/s/1")).await;
    assert!(select(&html, "input[type=radio][checked]").is_empty());

    // The same post from a plain form gets a readable page, not internals.
    let response = post_section(&app, &token, 1, &form).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = response.text().await.expect("body");
    assert!(body.contains("Some answers could not be saved"));
    assert!(!body.to_lowercase().contains("sqlx"));

    // An answer for another section's statement is refused too.
    let other: Vec<(String, String)> = vec![
        (
            CURRENT
                .items_in_section(2)
                .next()
                .expect("item")
                .field_name(),
            "3".into(),
        ),
        ("nav".into(), "save".into()),
    ];
    let response = post_section(&app, &token, 1, &other).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
on_both_databases!(
    invalid_answers,
    invalid_answers_are_refused_whole_with_a_clear_message
);

async fn the_island_gets_json_replies(app: TestApp) {
    let token = start(&app).await;
    let post_json = |section: u8, form: Vec<(String, String)>| {
        let app = &app;
        let token = token.clone();
        async move {
            app.raw
                .post(app.url(&format!("/q/{token}/s/{section}")))
                .header("accept", "application/json")
                .form(&form)
                .send()
                .await
                .expect("post")
        }
    };
    let mut one = section_form(1, 4, "save");
    one.truncate(1);
    one.push(("nav".into(), "save".into()));
    let response = post_json(1, one).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["saved"], true);

    let response = post_json(1, vec![("nav".into(), "next".into())]).await;
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(
        body["missing"].as_array().map(Vec::len),
        Some(CURRENT.questions_in_section(1).len() - 1)
    );

    let response = post_json(1, section_form(1, 4, "next")).await;
    let body: serde_json::Value = response.json().await.expect("json");
    assert_eq!(body["next"], format!("/q/{token}/s/2"));
}
on_both_databases!(json_replies, the_island_gets_json_replies);

async fn submitting_twice_stores_one_result_and_locks_the_answers(app: TestApp) {
    let token = start(&app).await;
    for section in 1..=SECTION_COUNT {
        post_section(&app, &token, section, &section_form(section, 5, "next")).await;
    }
    common::check_in(&app, &token, "no").await;
    let first = get_html(&app, &format!("/q/{token}/result"))
        .await
        .1
        .root_element()
        .html();
    // A double click on "Submit" and a later attempt to change an answer.
    let again = post_section(
        &app,
        &token,
        SECTION_COUNT,
        &section_form(SECTION_COUNT, 0, "next"),
    )
    .await;
    assert_eq!(location(&again), format!("/q/{token}/private"));
    let change = post_section(&app, &token, 1, &section_form(1, 0, "next")).await;
    assert_eq!(location(&change), format!("/q/{token}/private"));
    let (_, html) = get_html(&app, &format!("/q/{token}/result")).await;
    assert_eq!(levels(&html), client_levels(&expected_result(5)));
    assert_eq!(first, html.root_element().html());
    // A submitted questionnaire's sections lead to the result.
    let response = app
        .raw
        .get(app.url(&format!("/q/{token}/s/2")))
        .send()
        .await
        .expect("get");
    assert_eq!(location(&response), format!("/q/{token}/result"));
}
on_both_databases!(
    duplicate_submit,
    submitting_twice_stores_one_result_and_locks_the_answers
);

async fn forged_and_malformed_links_get_a_clear_page(app: TestApp) {
    let forged = "A".repeat(43);
    for path in [
        format!("/q/{forged}"),
        format!("/q/{forged}/s/1"),
        format!("/q/{forged}/result"),
        "/q/short/s/1".to_owned(),
        "/q/%3Cscript%3E/result".to_owned(),
    ] {
        let (status, html) = get_html(&app, &path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            text(&select(&html, "h1")[0]),
            "We couldn't open that link",
            "{path}"
        );
    }
    let token = start(&app).await;
    let (status, _) = get_html(&app, &format!("/q/{token}/s/7")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, html) = get_html(&app, "/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(text(&select(&html, "h1")[0]), "Page not found");
}
on_both_databases!(bad_links, forged_and_malformed_links_get_a_clear_page);

async fn oversized_bodies_are_refused(app: TestApp) {
    let token = start(&app).await;
    let huge = vec![
        // Over the 32 KiB limit, yet small enough to be fully written before the server
        // answers: a much larger body races the early 413 and can see the connection close.
        ("note".to_owned(), "x".repeat(40_000)),
        ("nav".into(), "save".into()),
    ];
    let response = post_section(&app, &token, SECTION_COUNT, &huge).await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let mut long_note = section_form(SECTION_COUNT, 1, "save");
    long_note.push(("note".into(), "é".repeat(2001)));
    let response = post_section(&app, &token, SECTION_COUNT, &long_note).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
on_both_databases!(oversized, oversized_bodies_are_refused);

async fn nothing_personal_reaches_the_logs(mut app: TestApp) {
    let token = start(&app).await;
    for section in 1..SECTION_COUNT {
        post_section(&app, &token, section, &section_form(section, 1, "next")).await;
    }
    let mut last = section_form(SECTION_COUNT, 1, "next");
    last.push(("note".into(), format!("{CANARY} please call after 6pm")));
    let response = post_section(&app, &token, SECTION_COUNT, &last).await;
    assert_eq!(location(&response), format!("/q/{token}/private"));
    common::check_in(&app, &token, "yes").await;
    let (status, _) = get_html(&app, &format!("/q/{token}/result")).await;
    assert_eq!(status, StatusCode::OK);
    app.stop().await;
    let logs = app.logs();
    // The logs did capture the requests (so this test can fail)…
    assert!(
        logs.contains("/q/{token}/s/{section}"),
        "route templates are logged:\n{logs}"
    );
    assert!(logs.contains("questionnaire submitted"));
    // …but never the note, the private token, or an answer.
    assert!(!logs.contains(CANARY), "the note leaked into the logs");
    assert!(
        !logs.contains(&token),
        "the resume token leaked into the logs"
    );
    assert!(!logs.contains("q_hon"), "form fields leaked into the logs");
}
on_both_databases!(private_logs, nothing_personal_reaches_the_logs);

async fn pages_load_nothing_from_other_sites(app: TestApp) {
    let token = start(&app).await;
    for path in [
        "/".to_owned(),
        format!("/q/{token}/s/1"),
        "/contact".to_owned(),
    ] {
        let response = app.client.get(app.url(&path)).send().await.expect("get");
        let csp = response
            .headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        assert!(csp.contains("script-src 'self' 'nonce-"), "{path}: {csp}");
        assert_eq!(
            response
                .headers()
                .get("referrer-policy")
                .and_then(|v| v.to_str().ok()),
            Some("no-referrer")
        );
        let html = Html::parse_document(&response.text().await.expect("body"));
        for el in select(&html, "[src], link[href], script") {
            for attr in ["src", "href"] {
                if let Some(url) = el.value().attr(attr) {
                    let own = url.starts_with('/') && !url.starts_with("//");
                    assert!(own || url == "data:,", "{path}: external resource {url}");
                }
            }
        }
    }
}
on_both_databases!(no_third_parties, pages_load_nothing_from_other_sites);

async fn a_database_failure_shows_a_calm_page_and_logs_the_cause(mut app: TestApp) {
    let token = start(&app).await;
    // Break the database under the running app.
    common::db_execute(
        &app,
        "drop table result_dimensions; drop table results; drop table answers",
    )
    .await;
    let response = app
        .client
        .get(app.url(&format!("/q/{token}/s/1")))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body = response.text().await.expect("body");
    assert!(body.contains("Something went wrong on our side"));
    assert!(body.contains("Your saved answers are safe"));
    for internal in [
        "no such table",
        "does not exist",
        "sqlx",
        "select ",
        "relation",
        "database",
    ] {
        assert!(
            !body.contains(internal),
            "the page shows internals ({internal}):\n{body}"
        );
    }
    let response = post_section(&app, &token, 1, &section_form(1, 1, "save")).await;
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    app.stop().await;
    // The cause is logged once, server-side, for whoever runs the practice's server.
    let logs = app.logs();
    assert!(logs.contains("request failed"), "{logs}");
    assert!(
        logs.contains("answers"),
        "the cause names the missing table:\n{logs}"
    );
}
on_both_databases!(
    database_failure,
    a_database_failure_shows_a_calm_page_and_logs_the_cause
);

async fn every_client_page_offers_a_quick_exit_with_an_honest_note(app: TestApp) {
    let token = start(&app).await;
    for path in [
        "/".to_owned(),
        format!("/q/{token}/s/1"),
        "/contact".to_owned(),
    ] {
        let (_, html) = get_html(&app, &path).await;
        let exits = select(&html, "header a.quick-exit");
        assert_eq!(exits.len(), 1, "{path}");
        assert_eq!(
            exits[0].value().attr("href"),
            Some("https://www.bbc.com/weather")
        );
        assert_eq!(text(&exits[0]).trim(), "Quick exit");
        let note = text(&select(&html, "#quick-exit-note")[0]);
        assert!(
            note.contains("cannot erase this site from your browser history"),
            "{note}"
        );
    }
    // Clinicians at a desk get no quick exit.
    let (_, html) = get_html(&app, "/staff/login").await;
    assert!(select(&html, "a.quick-exit").is_empty());
}
on_both_databases!(
    quick_exit,
    every_client_page_offers_a_quick_exit_with_an_honest_note
);

async fn a_client_can_end_their_private_link_on_every_device(app: TestApp) {
    let token = start(&app).await;
    let response = post_section(&app, &token, 1, &section_form(1, 2, "save")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (_, html) = get_html(&app, &format!("/q/{token}/s/1")).await;
    let end = format!("form.end-link[action='/q/{token}/end'] button");
    assert_eq!(select(&html, &end).len(), 1, "offered under Continue later");

    let ended = app
        .raw
        .post(app.url(&format!("/q/{token}/end")))
        .send()
        .await
        .expect("end");
    assert_eq!(ended.status(), StatusCode::OK);
    let clear = ended.headers()["clear-site-data"]
        .to_str()
        .expect("header")
        .to_owned();
    assert!(
        clear.contains("\"storage\"") && clear.contains("\"cache\""),
        "{clear}"
    );
    assert!(ended
        .text()
        .await
        .expect("body")
        .contains("Your private link has ended"));
    // The link opens nothing any more, whichever page it names.
    for path in ["", "/s/1", "/about", "/result"] {
        let (status, _) = get_html(&app, &format!("/q/{token}{path}")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let again = app
        .raw
        .post(app.url(&format!("/q/{token}/end")))
        .send()
        .await
        .expect("end");
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    // What was sent stays with the practice.
    assert_eq!(
        common::db_count(&app, "select count(*) from submissions").await,
        1
    );
    assert!(common::db_count(&app, "select count(*) from answers").await > 0);

    // A finished client is offered it on their summary too.
    let done = start(&app).await;
    common::answer_every_section(&app, &done, |_| "3", "").await;
    common::check_in(&app, &done, "no").await;
    let (_, summary) = get_html(&app, &format!("/q/{done}/result")).await;
    let end = format!("form.end-link[action='/q/{done}/end'] button");
    assert_eq!(select(&summary, &end).len(), 1);
}
on_both_databases!(
    end_link,
    a_client_can_end_their_private_link_on_every_device
);

async fn the_summary_is_shown_for_a_while_after_the_check_in_only(app: TestApp) {
    let token = start(&app).await;
    common::answer_every_section(&app, &token, |_| "4", "").await;
    common::check_in(&app, &token, "no").await;
    let result = format!("/q/{token}/result");
    let (status, html) = get_html(&app, &result).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        text(&select(&html, ".keep-private")[0]).contains("14 days after your private check-in")
    );
    // Fifteen days on, whoever opens the link reads nothing of it; booking still opens.
    common::db_execute(
        &app,
        &format!(
            "update safety_screens set created_at = '{}'",
            (chrono::Utc::now() - chrono::Duration::days(15)).to_rfc3339()
        ),
    )
    .await;
    let (status, html) = get_html(&app, &result).await;
    assert_eq!(status, StatusCode::GONE);
    let main = text(&select(&html, "main")[0]);
    assert!(main.contains("Your summary is no longer shown"), "{main}");
    assert!(select(&html, ".dimension").is_empty() && select(&html, ".ways").is_empty());
    let (status, _) = get_html(&app, &format!("/q/{token}/book")).await;
    assert_eq!(status, StatusCode::OK);
}
on_both_databases!(
    summary_ends,
    the_summary_is_shown_for_a_while_after_the_check_in_only
);
