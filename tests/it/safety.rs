//! The safety pathway as a client meets it: the private check-in before the summary, the same
//! pages after it whatever was answered, and the support panel with the practice country's
//! lines on every page of the way. Against SQLite and PostgreSQL.

use crate::common::{self, location, Backend, TestApp};
use reqwest::StatusCode;
use scraper::{Html, Selector};

/// The UK's National Domestic Abuse Helpline, from the GB preset.
const GB_DV_LINE: &str = "0808 2000 247";
/// Samaritans, from the GB preset (crisis).
const GB_CRISIS_LINE: &str = "116 123";

fn main_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    let selector = Selector::parse("main").expect("selector");
    doc.select(&selector)
        .map(|e| e.text().collect::<Vec<_>>().join(" "))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Posts the private check-in with `answer` throughout, but "Yes" to each question in `yes`
/// (by id).
async fn check_in_saying(
    app: &TestApp,
    token: &str,
    answer: &str,
    yes: &[&str],
) -> reqwest::Response {
    let mut form = common::check_in_form(answer);
    for (name, value) in &mut form {
        if yes.iter().any(|id| name.strip_prefix("s_") == Some(*id)) {
            *value = "yes".into();
        }
    }
    app.raw
        .post(app.url(&format!("/q/{token}/private")))
        .form(&form)
        .send()
        .await
        .expect("check-in")
}

async fn page(app: &TestApp, path: &str) -> (StatusCode, String) {
    let response = app.raw.get(app.url(path)).send().await.expect("get");
    let status = response.status();
    (status, response.text().await.expect("body"))
}

/// Someone on their own finishes, answers the check-in with `answer`, and reads each page a
/// client can open from their link: the summary (reference and scores taken out, being their
/// own) and the next step.
async fn pages_after_check_in(app: &TestApp, answer: &str) -> Vec<String> {
    let token = common::start_questionnaire(app).await;
    common::answer_every_section(app, &token, |_| "4", "").await;
    // Before the check-in, the summary's address leads to it.
    let early = app
        .raw
        .get(app.url(&format!("/q/{token}/result")))
        .send()
        .await
        .expect("result");
    assert_eq!(location(&early), format!("/q/{token}/private"));
    let (status, check_in) = page(app, &format!("/q/{token}/private")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        main_text(&check_in).contains(GB_DV_LINE),
        "support on the check-in"
    );
    let checked = common::check_in(app, &token, answer).await;
    assert_eq!(location(&checked), format!("/q/{token}/result"));
    let mut seen = Vec::new();
    for path in [format!("/q/{token}/result"), format!("/q/{token}/book")] {
        let (status, html) = page(app, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let doc = Html::parse_document(&html);
        let own = Selector::parse(".reference, .dimensions, .ways").expect("css");
        let mut text = main_text(&html);
        for part in doc.select(&own) {
            let part: String = part.text().collect::<Vec<_>>().join(" ");
            let part = part.split_whitespace().collect::<Vec<_>>().join(" ");
            text = text.replace(&part, "");
        }
        assert!(
            html.contains(GB_DV_LINE),
            "{path}: the domestic-violence line"
        );
        assert!(html.contains(GB_CRISIS_LINE), "{path}: the crisis line");
        seen.push(text);
    }
    seen
}

async fn every_client_sees_support_and_the_same_pages_whatever_they_answered(backend: Backend) {
    let env = [("PRACTICE_COUNTRY", "gb".to_owned())];
    let app = common::spawn_app_with(backend, &env).await;
    // Nobody offers consults, so every next step is the practice's: the pages must then read
    // the same for "no", "yes" and "I'd rather not say".
    let clear = pages_after_check_in(&app, "no").await;
    let disclosed = pages_after_check_in(&app, "yes").await;
    let declined = pages_after_check_in(&app, "rather_not_say").await;
    assert_eq!(clear, disclosed);
    assert_eq!(clear, declined);
    // The footer of every page names the emergency number and the lines too.
    let (_, landing) = page(&app, "/").await;
    assert!(landing.contains("If you are in danger now, call 999."));
    assert!(landing.contains(GB_DV_LINE));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_and_same_pages_sqlite() {
    every_client_sees_support_and_the_same_pages_whatever_they_answered(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_and_same_pages_postgres() {
    every_client_sees_support_and_the_same_pages_whatever_they_answered(Backend::Postgres).await;
}

async fn without_a_country_the_panel_says_to_call_the_local_emergency_number(app: TestApp) {
    let token = common::start_questionnaire(&app).await;
    common::answer_every_section(&app, &token, |_| "3", "").await;
    let (_, check_in) = page(&app, &format!("/q/{token}/private")).await;
    assert!(check_in.contains("If you are in danger now, call your local emergency number."));
    assert!(!check_in.contains(GB_DV_LINE));
    // The operator is told at start-up what to set.
    assert!(app.logs().contains("PRACTICE_COUNTRY=none"));
}
on_both_databases!(
    no_country,
    without_a_country_the_panel_says_to_call_the_local_emergency_number
);

/// The practice is told of a positive check-in by a message that says nothing of it, written in
/// the check-in's own transaction: no message without the check-in, no check-in without it.
async fn a_positive_check_in_tells_the_practice_without_saying_why(app: TestApp) {
    let review = "select count(*) from outbox where kind = 'intake_needs_review'";
    // A clear check-in: nothing to review.
    let clear = common::start_questionnaire(&app).await;
    common::answer_every_section(&app, &clear, |_| "4", "").await;
    common::check_in(&app, &clear, "no").await;
    assert_eq!(common::db_count(&app, review).await, 0);

    // A positive one while the outbox refuses the message: the check-in is not kept either,
    // and the client meets the plain error page.
    let token = common::start_questionnaire(&app).await;
    common::answer_every_section(&app, &token, |_| "4", "").await;
    let refuse = if app.database_url.starts_with("sqlite:") {
        "create trigger refuse_review before insert on outbox \
         when new.kind = 'intake_needs_review' \
         begin select raise(abort, 'refused by the test'); end;"
    } else {
        "create or replace function refuse_review() returns trigger language plpgsql as $$ \
         begin if new.kind = 'intake_needs_review' then raise exception 'refused'; end if; \
         return new; end $$; \
         create trigger refuse_review before insert on outbox \
         for each row execute function refuse_review();"
    };
    common::db_execute(&app, refuse).await;
    let failed = common::check_in(&app, &token, "rather_not_say").await;
    assert_eq!(failed.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let screens = "select count(*) from safety_screens";
    assert_eq!(
        common::db_count(&app, screens).await,
        1,
        "only the clear one"
    );
    let drop = if app.database_url.starts_with("sqlite:") {
        "drop trigger refuse_review"
    } else {
        "drop trigger refuse_review on outbox"
    };
    common::db_execute(&app, drop).await;

    // Accepted now: the check-in and one message, naming only the reference and a link.
    let checked = common::check_in(&app, &token, "rather_not_say").await;
    assert_eq!(location(&checked), format!("/q/{token}/result"));
    assert_eq!(common::db_count(&app, screens).await, 2);
    assert_eq!(common::db_count(&app, review).await, 1);
    let reference = common::db_text(
        &app,
        "select reference from submissions order by id desc limit 1",
    )
    .await;
    let review_mail = common::mail(&app, "intake_needs_review").await;
    let [message] = review_mail.as_slice() else {
        panic!("one review message: {review_mail:?}");
    };
    let subject = message.subject.clone();
    assert_eq!(subject, format!("An intake needs review ({reference})"));
    let body = format!("{}{}", message.text, message.html).to_lowercase();
    assert!(body.contains(&format!("/staff/submissions/{}", reference.to_lowercase())));
    for word in [
        "safety", "safe", "afraid", "hurt", "check-in", "positive", "violence",
    ] {
        assert!(!body.contains(word), "{word} in the message");
        assert!(
            !subject.to_lowercase().contains(word),
            "{word} in the subject"
        );
    }
    // Answering again (a second tab) tells the practice nothing more.
    common::check_in(&app, &token, "yes").await;
    assert_eq!(common::db_count(&app, review).await, 1);

    // An urgent check-in has its own subject, for the same-day target, and says no more.
    let urgent = common::start_questionnaire(&app).await;
    common::answer_every_section(&app, &urgent, |_| "4", "").await;
    common::check_in(&app, &urgent, "yes").await;
    let reference = common::db_text(
        &app,
        "select reference from submissions order by id desc limit 1",
    )
    .await;
    let message = common::mail(&app, "intake_needs_review")
        .await
        .into_iter()
        .find(|m| m.subject.contains(&reference))
        .map(|m| format!("{} {}", m.subject, m.text))
        .expect("the urgent review message");
    assert!(
        message.starts_with(&format!("An intake needs review today ({reference})")),
        "{message}"
    );
    assert!(message.contains("needs a clinician's review today."));
}
on_both_databases!(
    review_message,
    a_positive_check_in_tells_the_practice_without_saying_why
);

/// Version 2's tiers are stored with the check-in, and an older version 1 check-in still reads
/// as it was answered, on the clinician's page.
async fn tiers_are_stored_and_old_check_ins_stay_readable(app: TestApp) {
    let admin = "ana@harbour.example";
    let password = "violet lantern gravel orbit";
    let created = common::create_admin(&app, admin, "Ana Lima", password).await;
    assert!(created.status.success(), "{created:?}");
    let cookie = common::log_in_as(&app, admin, password)
        .await
        .expect("logged in");

    // Pressure on the neck: urgent, whatever else was answered.
    let urgent = common::start_questionnaire(&app).await;
    common::answer_every_section(&app, &urgent, |_| "4", "").await;
    let checked = check_in_saying(&app, &urgent, "no", &["neck"]).await;
    assert_eq!(location(&checked), format!("/q/{urgent}/result"));
    let stored = "select count(*) from safety_screens where version = 3 and urgent = 1";
    assert_eq!(common::db_count(&app, stored).await, 1);
    let reference = common::db_text(
        &app,
        "select reference from submissions order by id desc limit 1",
    )
    .await;
    let staff = common::staff_html(&app, &cookie, &format!("/staff/submissions/{reference}")).await;
    assert!(staff.contains("positive, urgent: review today"), "{staff}");
    assert!(staff.contains("choked you or strangled you"));
    // With a prompt for what the strangulation calls for, beside the urgent one.
    let prompts = Html::parse_document(&staff)
        .select(&Selector::parse(".disclosure-prompts li").expect("css"))
        .map(|li| li.text().collect::<String>())
        .collect::<Vec<_>>();
    assert_eq!(prompts.len(), 2, "{prompts:?}");
    assert!(prompts[0].contains("structured risk assessment"));
    assert!(
        prompts[1].contains("Strangulation was disclosed") && prompts[1].contains("medical check")
    );

    // A version 2 check-in: read with its own fourteen questions and its own rules.
    let two = common::start_questionnaire(&app).await;
    common::answer_every_section(&app, &two, |_| "4", "").await;
    let two_reference = common::db_text(
        &app,
        "select reference from submissions order by id desc limit 1",
    )
    .await;
    let answers: Vec<String> = trustbridge::domain::couple::CheckInVersion::V2
        .items()
        .iter()
        .map(|i| {
            let answer = match i.id() {
                "kill" | "joint_safe" => "yes",
                _ => "no",
            };
            format!("\"{}\":\"{answer}\"", i.id())
        })
        .collect();
    let insert = format!(
        "insert into safety_screens (submission_id, answers, positive, created_at, version, urgent) \
         select id, '{{{}}}', 1, created_at, 2, 1 from submissions where reference = '{two_reference}'",
        answers.join(",")
    );
    common::db_execute(&app, &insert).await;
    let staff = common::staff_html(
        &app,
        &cookie,
        &format!("/staff/submissions/{two_reference}"),
    )
    .await;
    assert!(staff.contains("positive, urgent: review today"), "{staff}");
    assert!(staff.contains("Has your partner ever threatened to kill you?"));
    assert!(!staff.contains("followed you, tracked your phone"));

    // A version 1 check-in, as stored before versions: read with its own five questions.
    let old = common::start_questionnaire(&app).await;
    common::answer_every_section(&app, &old, |_| "4", "").await;
    let old_reference = common::db_text(
        &app,
        "select reference from submissions order by id desc limit 1",
    )
    .await;
    let insert = format!(
        "insert into safety_screens (submission_id, answers, positive, created_at) \
         select id, '{{\"afraid\":\"no\",\"hurt\":\"yes\",\"threatened\":\"no\",\
         \"controlled\":\"no\",\"forced\":\"no\"}}', 1, created_at from submissions \
         where reference = '{old_reference}'"
    );
    common::db_execute(&app, &insert).await;
    let staff = common::staff_html(
        &app,
        &cookie,
        &format!("/staff/submissions/{old_reference}"),
    )
    .await;
    assert!(staff.contains("positive."), "{staff}");
    assert!(staff.contains("hit, pushed, choked or otherwise physically hurt you"));
    assert!(!staff.contains("urgent"));
    // Its client still reaches the summary: the check-in is done.
    let (status, _) = page(&app, &format!("/q/{old}/result")).await;
    assert_eq!(status, StatusCode::OK);
}
on_both_databases!(
    tiers_and_versions,
    tiers_are_stored_and_old_check_ins_stay_readable
);

/// The workspace opens with the intakes waiting for a clinician's first contact: urgent first,
/// how long each has waited, marked overdue past its target, and gone once the practice moves
/// it on from "New".
async fn the_workspace_leads_with_the_intakes_that_need_review(app: TestApp) {
    let admin = "ana@harbour.example";
    let password = "violet lantern gravel orbit";
    let created = common::create_admin(&app, admin, "Ana Lima", password).await;
    assert!(created.status.success(), "{created:?}");
    let cookie = common::log_in_as(&app, admin, password)
        .await
        .expect("logged in");
    let latest = "select reference from submissions order by id desc limit 1";
    let finish = |answer: &'static str, neck: bool| {
        let app = &app;
        async move {
            let token = common::start_questionnaire(app).await;
            common::answer_every_section(app, &token, |_| "4", "").await;
            let yes: &[&str] = if neck { &["neck"] } else { &[] };
            check_in_saying(app, &token, answer, yes).await;
            common::db_text(app, latest).await
        }
    };
    let clear = finish("no", false).await;
    let declined = finish("rather_not_say", false).await;
    let urgent = finish("no", true).await;
    // The declined one has waited two days: past the 24-hour target.
    common::db_execute(
        &app,
        &format!(
            "update safety_screens set created_at = created_at - interval_placeholder \
             where submission_id = (select id from submissions where reference = '{declined}')"
        )
        .replace(
            "created_at - interval_placeholder",
            if app.database_url.starts_with("sqlite:") {
                "datetime(created_at, '-2 days')"
            } else {
                "created_at - interval '2 days'"
            },
        ),
    )
    .await;

    let html = Html::parse_document(&common::staff_html(&app, &cookie, "/staff").await);
    let rows: Vec<String> = html
        .select(&Selector::parse("table.review tbody tr").expect("css"))
        .map(|r| r.text().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].contains(&urgent) && rows[0].contains("Urgent: today"),
        "{rows:?}"
    );
    assert!(!rows[0].contains("Overdue"), "{rows:?}");
    assert!(
        rows[1].contains(&declined) && rows[1].contains("2 d"),
        "{rows:?}"
    );
    assert!(rows[1].contains("Overdue"), "{rows:?}");
    assert!(!rows.iter().any(|r| r.contains(&clear)));

    // Moving the workflow on is not first contact: it stays in the queue.
    let moved = app
        .raw
        .post(app.url(&format!("/staff/submissions/{urgent}/status")))
        .header("cookie", &cookie)
        .form(&[("from", "new"), ("to", "contacted")])
        .send()
        .await
        .expect("move");
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    let html = common::staff_html(&app, &cookie, "/staff").await;
    assert!(html.contains(&urgent));
    // A clinician records that they spoke with the client privately: it leaves the queue.
    let spoke = app
        .raw
        .post(app.url(&format!("/staff/submissions/{urgent}/first-contact")))
        .header("cookie", &cookie)
        .form(&[
            ("contact_channel", "booking_phone"),
            ("contact_outcome", "spoke"),
            ("contacted_at", ""),
        ])
        .send()
        .await
        .expect("record");
    assert_eq!(spoke.status(), StatusCode::SEE_OTHER);
    let html = common::staff_html(&app, &cookie, "/staff").await;
    let queue = Html::parse_document(&html);
    let left: Vec<String> = queue
        .select(&Selector::parse("table.review tbody tr").expect("css"))
        .map(|r| r.text().collect::<String>())
        .collect();
    assert_eq!(left.len(), 1);
    assert!(left[0].contains(&declined));
}
on_both_databases!(
    review_queue,
    the_workspace_leads_with_the_intakes_that_need_review
);

/// Every client reads, before the private questions, when a clinician reads them and that the
/// site is not watched around the clock. An urgent check-in that passes its target with no
/// clinician having spoken with the client sends one message to the on-call address: once, with
/// two instances looking, and saying nothing of why. A non-urgent one, and an urgent one still
/// inside its target, send none.
async fn an_overdue_urgent_review_goes_to_the_on_call_address_once(backend: Backend) {
    let env = [
        ("PRACTICE_COUNTRY", "US".to_owned()),
        ("PRACTICE_HOURS", "mon-sun 00:00-23:59".to_owned()),
        (
            "REVIEW_ESCALATION_EMAIL",
            "oncall@harbour.example".to_owned(),
        ),
        ("REVIEW_ESCALATION_CHECK_SECONDS", "1".to_owned()),
    ];
    let app = common::spawn_app_with(backend, &env).await;
    let second = common::spawn_app_on(app.database_url.clone(), &env).await;
    let latest = "select reference from submissions order by id desc limit 1";
    let finish = |answer: &'static str, neck: bool| {
        let app = &app;
        async move {
            let token = common::start_questionnaire(app).await;
            common::answer_every_section(app, &token, |_| "4", "").await;
            let (_, html) = page(app, &format!("/q/{token}/private")).await;
            assert!(
                main_text(&html).contains(
                    "A clinician reads what you send during the practice's working hours \
                     (Monday to Sunday, 00:00–23:59, America/New_York time). This site is not \
                     watched around the clock. If you are in danger now, call 911."
                ),
                "{}",
                main_text(&html)
            );
            let yes: &[&str] = if neck { &["neck"] } else { &[] };
            let saved = check_in_saying(app, &token, answer, yes).await;
            assert_eq!(saved.status(), StatusCode::SEE_OTHER);
            common::db_text(app, latest).await
        }
    };
    let overdue = finish("no", true).await;
    let not_urgent = finish("rather_not_say", false).await;
    let fresh = finish("no", true).await;
    let backdate = |reference: &str| {
        let ago = if app.database_url.starts_with("sqlite:") {
            "datetime(created_at, '-2 days')"
        } else {
            "created_at - interval '2 days'"
        };
        format!(
            "update safety_screens set created_at = {ago} \
             where submission_id = (select id from submissions where reference = '{reference}')"
        )
    };
    common::db_execute(&app, &backdate(&not_urgent)).await;
    common::db_execute(&app, &backdate(&overdue)).await;

    let sql = "select count(*) from outbox where kind = 'review_overdue'";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while common::db_count(&app, sql).await == 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    // Both instances look every second; a few more looks add nothing.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(common::db_count(&app, sql).await, 1);
    let mail = common::mail(&app, "review_overdue").await;
    assert_eq!(mail.len(), 1);
    let message = &mail[0];
    assert_eq!(message.recipient, "oncall@harbour.example");
    assert!(message.subject.contains(&overdue), "{}", message.subject);
    assert!(!message.subject.contains(&fresh) && !message.subject.contains(&not_urgent));
    let words = format!("{} {}", message.subject, message.text).to_lowercase();
    for word in ["strangl", "neck", "safety", "violence", "afraid"] {
        assert!(!words.contains(word), "{word} in the escalation");
    }
    drop(second);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escalation_sqlite() {
    an_overdue_urgent_review_goes_to_the_on_call_address_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn escalation_postgres() {
    an_overdue_urgent_review_goes_to_the_on_call_address_once(Backend::Postgres).await;
}

/// Leaving is a time of higher risk: a fear disclosed by someone whose own questionnaire says
/// they have decided to end the relationship is reviewed the same day; the same answer from
/// someone working on it is an ordinary review. Nobody's pages differ.
async fn a_concern_while_leaving_is_urgent(app: TestApp) {
    let admin = "ana@harbour.example";
    let password = "violet lantern gravel orbit";
    let created = common::create_admin(&app, admin, "Ana Lima", password).await;
    assert!(created.status.success(), "{created:?}");
    let cookie = common::log_in_as(&app, admin, password)
        .await
        .expect("logged in");
    let finish = |lean: &'static str| {
        let app = &app;
        async move {
            let token = common::start_questionnaire(app).await;
            common::answer_sections(app, &token, |_| "4", &[("lean", lean)], "").await;
            let saved = check_in_saying(app, &token, "no", &["afraid"]).await;
            assert_eq!(saved.status(), StatusCode::SEE_OTHER);
            let (_, result) = page(app, &format!("/q/{token}/result")).await;
            let reference = common::db_text(
                app,
                "select reference from submissions order by id desc limit 1",
            )
            .await;
            let shown = main_text(&result).replace(&reference, "TB-…");
            (reference, shown)
        }
    };
    let (working, working_page) = finish("1").await;
    let (leaving, leaving_page) = finish("4").await;
    assert_eq!(
        working_page.split("private link").next(),
        leaving_page.split("private link").next()
    );
    let html = Html::parse_document(&common::staff_html(&app, &cookie, "/staff").await);
    let rows: Vec<String> = html
        .select(&Selector::parse("table.review tbody tr").expect("css"))
        .map(|r| r.text().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(
        rows[0].contains(&leaving) && rows[0].contains("Urgent: today"),
        "{rows:?}"
    );
    assert!(
        rows[1].contains(&working) && !rows[1].contains("Urgent"),
        "{rows:?}"
    );
    let subjects: Vec<String> = common::mail(&app, "intake_needs_review")
        .await
        .into_iter()
        .map(|m| m.subject)
        .collect();
    assert!(subjects.contains(&format!("An intake needs review today ({leaving})")));
    assert!(subjects.contains(&format!("An intake needs review ({working})")));
}
on_both_databases!(leaving, a_concern_while_leaving_is_urgent);
