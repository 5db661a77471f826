//! Whatever either partner answered at the private check-in (random answers), no page the
//! other partner can reach differs. Against SQLite and PostgreSQL.

use super::*;

/// A random check-in: one of each question's own choices, for every question.
fn random_check_in() -> impl proptest::strategy::Strategy<Value = Vec<(String, String)>> {
    use proptest::prelude::*;
    use trustbridge::domain::couple::CheckInVersion;
    CheckInVersion::CURRENT
        .items()
        .iter()
        .map(|&item| {
            let values: Vec<String> = item
                .choices()
                .iter()
                .map(|c| c.as_str().to_owned())
                .collect();
            proptest::sample::select(values).prop_map(move |v| (item.field_name(), v))
        })
        .collect::<Vec<_>>()
}

/// Every page a partner can open from their own link once both have answered, as text, with
/// the parts that are theirs alone taken out (their reference).
async fn partner_pages(app: &TestApp, token: &str) -> Vec<String> {
    let mut pages = Vec::new();
    for path in [
        format!("/q/{token}/result"),
        format!("/q/{token}/book"),
        format!("/q/{token}/book?for=client"),
        format!("/q/{token}/book?for=couple"),
        format!("/q/{token}/private"),
        format!("/q/{token}/consent"),
        format!("/q/{token}"),
    ] {
        let (status, to, html) = get(app, &path).await;
        let mut text = format!(
            "{status} {} {}",
            to.replace(token, "<token>"),
            main_text(&html)
        );
        for own in select(&html, ".reference") {
            text = text.replace(&own, "");
        }
        pages.push(text.replace(token, "<token>"));
    }
    pages
}

/// For any two check-ins, every page either partner can open reads exactly as it does for two
/// clear check-ins: nothing on any page tells what either partner answered. (Random pairs,
/// sampled rather than shrunk, plus the extremes; the questionnaire answers are the same in
/// every couple, so the scores are too.)
async fn no_page_differs_by_either_partners_check_in(app: TestApp) {
    use proptest::strategy::{Strategy, ValueTree};
    use proptest::test_runner::TestRunner;
    let uniform = |answer: &str| check_in_form(answer);
    let mut pairs = vec![
        (uniform("no"), uniform("no")),
        (uniform("yes"), uniform("no")),
        (uniform("no"), uniform("yes")),
        (uniform("rather_not_say"), uniform("rather_not_say")),
    ];
    let mut runner = TestRunner::deterministic();
    let strategy = (random_check_in(), random_check_in());
    for _ in 0..8 {
        pairs.push(strategy.new_tree(&mut runner).expect("a pair").current());
    }
    let mut baseline: Option<(Vec<String>, Vec<String>)> = None;
    for (a_form, b_form) in pairs {
        let a = finished(&app).await;
        let posted = app
            .raw
            .post(app.url(&format!("/q/{a}/private")))
            .form(&a_form)
            .send()
            .await
            .expect("check-in");
        assert_eq!(location(&posted), format!("/q/{a}/result"));
        let made = app
            .raw
            .post(app.url(&format!("/q/{a}/invite")))
            .send()
            .await
            .expect("invite");
        assert_eq!(made.status(), StatusCode::SEE_OTHER);
        let (_, _, html) = get(&app, &format!("/q/{a}/result")).await;
        let url = select(&html, "#invite-link").concat();
        let path = format!("/join/{}", url.split_once("/join/").expect("a link").1);
        let joined = app.raw.post(app.url(&path)).send().await.expect("join");
        let b = common::token_of_consent_redirect(&joined);
        common::agree_to_policy(&app, &b).await;
        common::answer_every_section(&app, &b, |_| "4", "").await;
        let posted = app
            .raw
            .post(app.url(&format!("/q/{b}/private")))
            .form(&b_form)
            .send()
            .await
            .expect("check-in");
        assert_eq!(location(&posted), format!("/q/{b}/result"));
        let seen = (partner_pages(&app, &a).await, partner_pages(&app, &b).await);
        match &baseline {
            None => baseline = Some(seen),
            Some(first) => {
                assert_eq!(&seen.0, &first.0, "A's pages for {a_form:?} / {b_form:?}");
                assert_eq!(&seen.1, &first.1, "B's pages for {a_form:?} / {b_form:?}");
            }
        }
    }
}
on_both_databases!(
    pairs_of_check_ins,
    no_page_differs_by_either_partners_check_in
);
