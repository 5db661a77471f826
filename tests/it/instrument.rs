//! The trust questionnaire's versions, as clients and clinicians meet them: a questionnaire
//! started under version 1 is finished, scored and shown with version 1's wording; version 2
//! asks who broke trust and where the person is, offers "Doesn't apply to me", leaves ownership
//! unscored for an injured partner, and reads a couple's agenda from where each partner is.
//! Against SQLite and PostgreSQL.

use crate::common::{
    self, check_in, create_admin, db_count, db_execute, log_in_as, start_questionnaire, texts,
    TestApp,
};
use reqwest::StatusCode;
use trustbridge::domain::questionnaire::{Instrument, Item, SECTION_COUNT};

const ADMIN: &str = "ana@harbour.example";
const PASSWORD: &str = "violet lantern gravel orbit";

async fn html(app: &TestApp, path: &str) -> String {
    let response = app.raw.get(app.url(path)).send().await.expect("get");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("body")
}

async fn post(app: &TestApp, path: &str, form: &[(String, String)]) -> reqwest::Response {
    app.raw
        .post(app.url(path))
        .form(form)
        .send()
        .await
        .expect("post")
}

/// Every statement its most ready answer.
fn ready(item: &Item) -> &'static str {
    if item.reverse {
        "1"
    } else {
        "5"
    }
}

async fn admin(app: &TestApp) -> String {
    assert!(create_admin(app, ADMIN, "Ana Lima", PASSWORD)
        .await
        .status
        .success());
    log_in_as(app, ADMIN, PASSWORD).await.expect("login")
}

async fn reference(app: &TestApp, token: &str) -> String {
    texts(
        &html(app, &format!("/q/{token}/result")).await,
        ".reference strong",
    )
    .concat()
}

async fn a_questionnaire_started_under_version_1_stays_version_1(app: TestApp) {
    let token = start_questionnaire(&app).await;
    // Started before version 2 shipped: as a database upgraded from then holds it.
    db_execute(&app, "update submissions set instrument_version = 1").await;
    let first = html(&app, &format!("/q/{token}/s/1")).await;
    let statements = texts(&first, "fieldset.question legend");
    assert_eq!(statements.len(), Instrument::V1.items_in_section(1).count());
    assert!(first.contains("I sometimes tell my partner small untruths to avoid an argument."));
    assert!(!first.contains("What has most affected trust between you?"));
    for section in 1..=SECTION_COUNT {
        let mut form: Vec<(String, String)> = Instrument::V1
            .items_in_section(section)
            // One version 1 statement a trauma response answers "Strongly agree" to.
            .map(|i| {
                let v = if i.id == "res6" { "5" } else { ready(i) };
                (i.field_name(), v.to_owned())
            })
            .collect();
        form.push(("nav".into(), "next".into()));
        let response = post(&app, &format!("/q/{token}/s/{section}"), &form).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    check_in(&app, &token, "no").await;
    let result = html(&app, &format!("/q/{token}/result")).await;
    // The client's summary is the same four areas in words under either version, and says
    // nothing of willingness (the clinician reads that).
    assert_eq!(texts(&result, ".dimension").len(), 5);
    assert_eq!(texts(&result, ".dimension-level").len(), 4);
    assert!(!result.contains("Willingness and support"));
    assert_eq!(texts(&result, "ol.ways > li").len(), 5);
    assert_eq!(
        db_count(
            &app,
            "select count(*) from results where instrument_version = 1"
        )
        .await,
        1
    );

    // The clinician reads every answer in the words it was given.
    let cookie = admin(&app).await;
    let reference = reference(&app, &token).await;
    let page = common::staff_html(&app, &cookie, &format!("/staff/submissions/{reference}")).await;
    let rows = texts(&page, "table.answers tbody tr");
    assert_eq!(rows.len(), 42);
    assert!(rows
        .iter()
        .any(|r| r.contains("I sometimes tell my partner small untruths")));
    assert!(texts(&page, ".overall-line")
        .concat()
        .contains("instrument v1"));
    let notes = texts(&page, ".readiness-notes li").join(" | ");
    assert!(notes.contains("can be a trauma response"), "{notes}");
}
on_both_databases!(
    stays_v1,
    a_questionnaire_started_under_version_1_stays_version_1
);

async fn doesnt_apply_and_who_broke_trust_shape_what_is_scored(app: TestApp) {
    let token = start_questionnaire(&app).await;
    let first = html(&app, &format!("/q/{token}/s/1")).await;
    let legends = texts(&first, "fieldset.question legend");
    assert!(
        legends[0].contains("What has most affected trust between you?"),
        "{legends:?}"
    );
    assert_eq!(texts(&first, "fieldset.question.framing").len(), 1);

    // Section 4 offers "Doesn't apply to me" only where it fits.
    let fourth = html(&app, &format!("/q/{token}/s/4")).await;
    assert_eq!(texts(&fourth, "input[name=q_acc7][value='0']").len(), 1);
    assert!(texts(&fourth, "input[name=q_acc9][value='0']").is_empty());
    assert!(fourth.contains("Doesn&#x27;t apply to me") || fourth.contains("Doesn't apply to me"));

    // "Doesn't apply" is saved and shown again on return.
    let saved = post(
        &app,
        &format!("/q/{token}/s/4"),
        &[("q_acc7".into(), "0".into()), ("nav".into(), "save".into())],
    )
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let again = html(&app, &format!("/q/{token}/s/4")).await;
    assert_eq!(
        texts(&again, "input[name=q_acc7][value='0'][checked]").len(),
        1
    );
    // A "Doesn't apply" where it is not offered is refused, with the statement named.
    let refused = post(
        &app,
        &format!("/q/{token}/s/4"),
        &[("q_acc9".into(), "0".into()), ("nav".into(), "save".into())],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = refused.text().await.expect("body");
    assert!(body.contains("I want to understand my own habits that affect trust between us"));

    // Mostly something my partner did; everything else at its most ready.
    common::answer_sections(&app, &token, ready, &[("role", "2")], "").await;
    check_in(&app, &token, "no").await;
    let result = html(&app, &format!("/q/{token}/result")).await;
    // The client's page is the one everyone gets, in words: the same rows and ways whatever
    // they said about who broke trust, since a partner may see it (clinical review 3, N1).
    let dimensions = texts(&result, ".dimension");
    assert_eq!(dimensions.len(), 5, "{dimensions:?}");
    assert!(
        dimensions[4].contains("Owning your part")
            && dimensions[4].contains("talk through with a clinician"),
        "{dimensions:?}"
    );
    let ways = texts(&result, "ol.ways > li h3");
    assert_eq!(ways.len(), 5, "{ways:?}");
    assert!(!texts(&result, "main").concat().contains("100"));

    let cookie = admin(&app).await;
    let reference = reference(&app, &token).await;
    let page = common::staff_html(&app, &cookie, &format!("/staff/submissions/{reference}")).await;
    let notes = texts(&page, ".readiness-notes li").join(" | ");
    assert!(notes.contains("Mostly something my partner did"), "{notes}");
    assert!(
        notes.contains("Ownership (section 4) is not scored"),
        "{notes}"
    );
    // The clinician keeps the numbers.
    assert!(
        texts(&page, ".overall-line").concat().contains("100 / 100"),
        "{:?}",
        texts(&page, ".overall-line")
    );
    assert!(
        notes.contains("Where they are: wants to work on it"),
        "{notes}"
    );
    let rows = texts(&page, "table.answers tbody tr");
    assert_eq!(rows.len(), Instrument::V2.questions().len());
    assert!(rows
        .iter()
        .any(|r| r.contains("If I did things that hurt trust between us, I can name them.")));
}
on_both_databases!(
    doesnt_apply,
    doesnt_apply_and_who_broke_trust_shape_what_is_scored
);

async fn invite(app: &TestApp, a: &str) -> String {
    let made = app
        .raw
        .post(app.url(&format!("/q/{a}/invite")))
        .send()
        .await
        .expect("invite");
    assert_eq!(made.status(), StatusCode::SEE_OTHER);
    let page = html(app, &format!("/q/{a}/result")).await;
    let url = texts(&page, "#invite-link").concat();
    let (_, token) = url.split_once("/join/").expect("an invitation link");
    let joined = app
        .raw
        .post(app.url(&format!("/join/{token}")))
        .send()
        .await
        .expect("join");
    assert_eq!(joined.status(), StatusCode::SEE_OTHER);
    let b = common::token_of_consent_redirect(&joined);
    common::agree_to_policy(app, &b).await;
    b
}

async fn an_unsure_partner_beside_one_leaning_in_is_a_mixed_agenda(app: TestApp) {
    let cookie = admin(&app).await;
    let a = start_questionnaire(&app).await;
    common::answer_sections(&app, &a, ready, &[("lean", "1")], "").await;
    check_in(&app, &a, "no").await;
    let b = invite(&app, &a).await;
    // B is as ready as A but for "I'm unsure", and does not feel safe being themselves.
    let unsafe_b = |i: &Item| match i.id {
        "con7" => "1",
        "con6" => "5",
        _ => ready(i),
    };
    common::answer_sections(&app, &b, unsafe_b, &[("lean", "2")], "").await;
    check_in(&app, &b, "no").await;

    let list = common::staff_html(&app, &cookie, "/staff?flag=mixed_agenda").await;
    let rows = texts(&list, "table.submissions tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    let a_ref = reference(&app, &a).await;
    let page = common::staff_html(&app, &cookie, &format!("/staff/submissions/{a_ref}")).await;
    let card = texts(&page, ".couple-card").concat();
    assert!(
        card.contains("Mixed agenda: Partner A wants to work on it; Partner B is unsure."),
        "{card}"
    );
    // The clinician sees B's soft safety sign on B's page only.
    let b_ref = reference(&app, &b).await;
    let b_page = common::staff_html(&app, &cookie, &format!("/staff/submissions/{b_ref}")).await;
    let b_notes = texts(&b_page, ".readiness-notes li").join(" | ");
    assert!(b_notes.contains("Soft safety sign"), "{b_notes}");
    assert!(b_notes.contains("put up walls"), "{b_notes}");
    assert!(b_notes.contains("Where they are: is unsure"), "{b_notes}");
    assert!(!texts(&page, ".readiness-notes li")
        .concat()
        .contains("Soft safety sign"));
    // Neither partner's summary says where they are about the relationship: the same next
    // step for the one leaning in and the one unsure, and nothing of the other.
    let b_result = html(&app, &format!("/q/{b}/result")).await;
    let a_result = html(&app, &format!("/q/{a}/result")).await;
    assert_eq!(
        texts(&a_result, ".next-step"),
        texts(&b_result, ".next-step")
    );
    // The same headings (A alone can invite a partner).
    let headings = |page: &str| {
        let mut all = texts(page, "h2, h3");
        all.retain(|h| h != "Invite your partner");
        all
    };
    assert_eq!(headings(&a_result), headings(&b_result));
    for page in [&a_result, &b_result] {
        assert!(!page.contains("Mixed agenda") && !page.contains("is unsure"));
    }
    assert_eq!(
        texts(&a_result, ".joint-summary li"),
        texts(&b_result, ".joint-summary li")
    );
}
on_both_databases!(
    mixed_agenda,
    an_unsure_partner_beside_one_leaning_in_is_a_mixed_agenda
);

async fn a_couple_on_two_versions_is_read_each_by_its_own(app: TestApp) {
    let cookie = admin(&app).await;
    // A started before version 2 shipped and answers version 1; B joins under version 2.
    let a = start_questionnaire(&app).await;
    db_execute(&app, "update submissions set instrument_version = 1").await;
    for section in 1..=SECTION_COUNT {
        let mut form: Vec<(String, String)> = Instrument::V1
            .items_in_section(section)
            .map(|i| (i.field_name(), ready(i).to_owned()))
            .collect();
        form.push(("nav".into(), "next".into()));
        post(&app, &format!("/q/{a}/s/{section}"), &form).await;
    }
    check_in(&app, &a, "no").await;
    let b = invite(&app, &a).await;
    let b_first = html(&app, &format!("/q/{b}/s/1")).await;
    assert!(b_first.contains("What has most affected trust between you?"));
    common::answer_sections(&app, &b, ready, &[("lean", "4")], "").await;
    check_in(&app, &b, "no").await;

    let a_ref = reference(&app, &a).await;
    let page = common::staff_html(&app, &cookie, &format!("/staff/submissions/{a_ref}")).await;
    let card = texts(&page, ".couple-card").concat();
    assert!(
        card.contains("Partner A answered version 1 of the questionnaire and Partner B version 2"),
        "{card}"
    );
    assert!(
        card.contains("Mixed agenda: Partner A wants to work on it; Partner B has decided to end the relationship."),
        "{card}"
    );
    assert!(card.contains("separation-focused"), "{card}");
    let list = common::staff_html(&app, &cookie, "/staff?flag=mixed_agenda").await;
    assert_eq!(texts(&list, "table.submissions tbody tr").len(), 2);
}
on_both_databases!(
    two_versions,
    a_couple_on_two_versions_is_read_each_by_its_own
);
