//! Data at rest (issue 12, review F7): a client's name, email and phone, their note, their
//! private check-in and safe way to be reached, clinicians' notes and queued email are sealed
//! in the database with the practice's data key. Read straight from the database they show
//! nothing; through the app they read as written; a name search still finds the client.

use std::process::Stdio;
use std::time::Duration;

use reqwest::StatusCode;
use scraper::{Html, Selector};

use crate::common::{
    self, check_in_form, create_admin, db_count, db_execute, db_text, location, log_in_as,
    set_hours, start_questionnaire, Backend, TestApp,
};

const ADMIN: &str = "ana@harbour.example";
const PASSWORD: &str = "violet lantern gravel orbit";
const NAME: &str = "Quillon Marchetti";
const EMAIL: &str = "quillon.canary@example.org";
const PHONE: &str = "+1 555 014 7781";
const NOTE: &str = "CANARY-client-note-4f1";
const CLINICIAN_NOTE: &str = "CANARY-clinician-note-9d3";
const SAFE_EMAIL: &str = "canary-safe-51b@example.org";
const SAFE_PHONE: &str = "+1 555 014 9902";
const ASK_FOR: &str = "Canary Wren";
const SAFE_TIMES: &str = "CANARY weekday mornings";
const REFERRAL_MESSAGE: &str = "CANARY-referral-message-7c2";
const OUTCOME_NOTE: &str = "CANARY-outcome-note-e40";
const INTAKE_NAME: &str = "Orsolya Canarybrook";
const INTAKE_HOPES: &str = "CANARY-intake-hopes-a07";

/// Every canary, as the database would hold it in clear.
const CANARIES: [&str; 13] = [
    INTAKE_NAME,
    INTAKE_HOPES,
    REFERRAL_MESSAGE,
    OUTCOME_NOTE,
    NAME,
    EMAIL,
    PHONE,
    NOTE,
    CLINICIAN_NOTE,
    SAFE_EMAIL,
    SAFE_PHONE,
    ASK_FOR,
    SAFE_TIMES,
];

fn values(html: &str, css: &str, attr: &str) -> Vec<String> {
    Html::parse_document(html)
        .select(&Selector::parse(css).expect("selector"))
        .filter_map(|e| e.value().attr(attr).map(str::to_owned))
        .collect()
}

/// The rows of the workspace list for a name search.
async fn found_by_name(app: &TestApp, cookie: &str, name: &str) -> Vec<String> {
    listed(app, cookie, &format!("name={name}")).await
}

/// The rows of the workspace list for the filter `query`.
async fn listed(app: &TestApp, cookie: &str, query: &str) -> Vec<String> {
    let list = common::staff_html(app, cookie, &format!("/staff?{query}")).await;
    Html::parse_document(&list)
        .select(&Selector::parse("table.submissions tbody tr").expect("selector"))
        .map(|row| row.text().collect::<String>())
        .collect()
}

async fn body(app: &TestApp, path: &str) -> String {
    let response = app.raw.get(app.url(path)).send().await.expect("get");
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.expect("body")
}

/// A client who writes a note, checks in with a safe way to be reached and books a consult;
/// a clinician who notes something. Returns the submission's reference and the staff cookie.
async fn a_practice_with_one_client(app: &TestApp) -> (String, String) {
    create_admin(app, ADMIN, "Ana Lima", PASSWORD).await;
    set_hours(app, ADMIN, "09:00-12:00").await;
    let token = start_questionnaire(app).await;
    // The intake's own words, and closed answers the workspace filters on.
    let about = app
        .raw
        .post(app.url(&format!("/q/{token}/about")))
        .form(&[
            ("in_about_name", INTAKE_NAME),
            ("in_about_hopes", INTAKE_HOPES),
            ("in_about_children", "yes"),
            ("in_about_format", "video"),
            ("nav", "next"),
        ])
        .send()
        .await
        .expect("about you");
    assert_eq!(about.status(), StatusCode::SEE_OTHER);
    common::answer_every_section(app, &token, |_| "4", NOTE).await;
    let mut form = check_in_form("yes");
    for (k, v) in [
        ("safe_email", SAFE_EMAIL),
        ("safe_phone", SAFE_PHONE),
        ("ask_for", ASK_FOR),
        ("safe_times", SAFE_TIMES),
        ("voicemail", "no"),
    ] {
        form.push((k.into(), v.into()));
    }
    let checked = app
        .raw
        .post(app.url(&format!("/q/{token}/private")))
        .form(&form)
        .send()
        .await
        .expect("check-in");
    assert_eq!(location(&checked), format!("/q/{token}/result"));

    let picker = body(app, &format!("/q/{token}/book")).await;
    let slot = values(&picker, "input[name=slot]", "value")
        .pop()
        .expect("an open time");
    let confirm = body(
        app,
        &format!(
            "/q/{token}/book/confirm?slot={}&tz=UTC",
            slot.replace(':', "%3A").replace('+', "%2B")
        ),
    )
    .await;
    let key = values(&confirm, "input[name=request_key]", "value")
        .pop()
        .expect("a request key");
    let booked = app
        .raw
        .post(app.url(&format!("/q/{token}/book")))
        .form(&[
            ("slot", slot.as_str()),
            ("tz", "UTC"),
            ("request_key", &key),
            ("name", NAME),
            ("email", EMAIL),
            ("phone", PHONE),
            ("consent", "yes"),
        ])
        .send()
        .await
        .expect("book");
    assert_eq!(booked.status(), StatusCode::SEE_OTHER);

    let reference = db_text(app, "select reference from submissions").await;
    let cookie = log_in_as(app, ADMIN, PASSWORD).await.expect("login");
    let noted = app
        .raw
        .post(app.url(&format!("/staff/submissions/{reference}/notes")))
        .header("cookie", &cookie)
        .form(&[("body", CLINICIAN_NOTE)])
        .send()
        .await
        .expect("note");
    assert_eq!(noted.status(), StatusCode::SEE_OTHER);

    // A referral with a message to the client, and a note on how it went.
    let post = |path: String, form: Vec<(&'static str, String)>| {
        let request = app.raw.post(app.url(&path)).header("cookie", &cookie);
        async move { request.form(&form).send().await.expect("post") }
    };
    let entry = common::directory_entry("Harbour Advocacy", "domestic_violence", "2026-11-20")
        .into_iter()
        .map(|(k, v)| (k, v.to_owned()))
        .collect();
    let saved = post("/staff/directory/new".into(), entry).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let listed = db_text(app, "select cast(id as text) from directory_entries").await;
    let referrals = format!("/staff/submissions/{reference}/referrals");
    let refer = vec![
        ("reason", "safety".to_owned()),
        ("entry", listed),
        ("message", REFERRAL_MESSAGE.to_owned()),
        ("keep_client", "yes".to_owned()),
        ("channel", "safe_email".to_owned()),
    ];
    assert_eq!(
        post(referrals.clone(), refer).await.status(),
        StatusCode::SEE_OTHER
    );
    let id = db_text(app, "select cast(id as text) from referrals").await;
    let outcome = vec![
        ("action", "outcome".to_owned()),
        ("outcome", "not_connected".to_owned()),
        ("outcome_note", OUTCOME_NOTE.to_owned()),
    ];
    let recorded = post(format!("{referrals}/{id}"), outcome).await;
    assert_eq!(recorded.status(), StatusCode::SEE_OTHER);
    (reference, cookie)
}

/// Every row of every table, as text, straight from the database (and, for SQLite, the bytes
/// of its files, write-ahead log included).
async fn everything_stored(app: &TestApp) -> String {
    let mut all = String::new();
    if let Some(path) = app.database_url.strip_prefix("sqlite://") {
        for suffix in ["", "-wal"] {
            if let Ok(bytes) = std::fs::read(format!("{path}{suffix}")) {
                all.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
        let tables = "select group_concat(name, ',') from sqlite_master where type = 'table' \
                      and substr(name, 1, 5) <> '_sqlx'";
        for table in db_text(app, tables).await.split(',') {
            // Each row's columns, joined: a quote of every value of the table.
            let columns = db_text(
                app,
                &format!(
                    "select group_concat('coalesce(cast(\"' || name || '\" as text), '''')', \
                     ' || '' '' || ') from pragma_table_info('{table}')"
                ),
            )
            .await;
            let sql = format!("select coalesce(group_concat({columns}, ' '), '') from \"{table}\"");
            all.push_str(&db_text(app, &sql).await);
        }
    } else {
        let tables = "select string_agg(table_name, ',') from information_schema.tables \
                      where table_schema = 'public'";
        for table in db_text(app, tables).await.split(',') {
            let sql = format!("select coalesce(string_agg(t::text, ' '), '') from \"{table}\" t");
            all.push_str(&db_text(app, &sql).await);
        }
    }
    all
}

async fn what_a_copy_of_the_database_holds_is_sealed(app: TestApp) {
    let (reference, cookie) = a_practice_with_one_client(&app).await;
    // The confirmation is delivered (opened from the outbox) to the address the client gave.
    let mail = app.dir().join("mail");
    let mut delivered = String::new();
    for _ in 0..100 {
        delivered = std::fs::read_dir(&mail)
            .map(|files| {
                files
                    .filter_map(Result::ok)
                    .filter_map(|f| std::fs::read_to_string(f.path()).ok())
                    .collect()
            })
            .unwrap_or_default();
        if delivered.contains(EMAIL) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(delivered.contains(EMAIL), "the confirmation was delivered");

    let stored = everything_stored(&app).await;
    assert!(stored.len() > 1000, "the dump read the tables");
    for canary in CANARIES {
        assert!(!stored.contains(canary), "{canary} is stored in clear");
        assert!(
            !stored.to_lowercase().contains(&canary.to_lowercase()),
            "{canary} is stored in clear (another case)"
        );
    }
    for word in ["Quillon", "Marchetti", "quillon", "marchetti"] {
        assert!(!stored.contains(word), "the name's word {word} is stored");
    }
    // The check-in's answers are sealed too, not only its free text, and so are the closed
    // intake answers, the referral's reason (here "safety") and the sealed values' lengths
    // say nothing of which answer was given.
    let answers = db_text(&app, "select answers from safety_screens").await;
    assert!(answers.starts_with("tb1:"), "{answers}");
    for sql in [
        "select value from intake_answers where question_key = 'about_children'",
        "select value from intake_answers where question_key = 'about_format'",
        "select reason from referrals",
    ] {
        let stored = db_text(&app, sql).await;
        assert!(stored.starts_with("tb1:"), "{sql}: {stored}");
    }
    assert_eq!(
        db_count(
            &app,
            "select count(distinct length(value)) from intake_answers \
             where question_key in ('about_children', 'about_format')"
        )
        .await,
        1,
        "\"yes\" and \"video\" seal to the same length"
    );

    // Through the app, everything reads as it was written.
    let page = common::staff_html(&app, &cookie, &format!("/staff/submissions/{reference}")).await;
    for canary in [
        INTAKE_NAME,
        INTAKE_HOPES,
        NAME,
        EMAIL,
        PHONE,
        NOTE,
        CLINICIAN_NOTE,
        SAFE_EMAIL,
        ASK_FOR,
        OUTCOME_NOTE,
    ] {
        assert!(page.contains(canary), "{canary} on the submission page");
    }
    // The referral's message, on the client's own page (its link is in their email).
    let list = common::mail(&app, "referral_list").await;
    let link = list[0]
        .text
        .split_whitespace()
        .find(|w| w.contains("/r/") && w.ends_with("/connected"))
        .expect("the client's link")
        .to_owned();
    let path = &link[link.find("/r/").expect("path")..link.len() - "/connected".len()];
    assert!(body(&app, path).await.contains(REFERRAL_MESSAGE));
    // A name search finds the client by the start of any word of their name.
    for query in ["quil", "Marchetti", "quillon march"] {
        let rows = found_by_name(&app, &cookie, query).await;
        assert!(
            rows.len() == 1 && rows[0].contains(&reference),
            "{query} finds {reference}: {rows:?}"
        );
    }
    for query in ["illon", "quillonx", "wren"] {
        let rows = found_by_name(&app, &cookie, query).await;
        assert!(rows.is_empty(), "{query} finds nothing: {rows:?}");
    }
    // Thousands of words typed are a search like any other (the first five are read, N16).
    let many: String = (0..8_000).map(|i| format!("w{i}+")).collect();
    let searched = app
        .raw
        .get(app.url(&format!("/staff?name={many}")))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("search");
    assert_eq!(searched.status(), StatusCode::OK);
    assert!(found_by_name(&app, &cookie, &many).await.is_empty());
    let rows = found_by_name(&app, &cookie, "quillon+marchetti+w1+w2+w3+w4+w5").await;
    assert!(
        rows.is_empty(),
        "the first five words are all read: {rows:?}"
    );
    // The workspace still filters on the sealed intake answers.
    for (query, rows) in [
        ("children=yes", 1),
        ("children=no", 0),
        ("meet=video", 1),
        ("meet=in_person", 0),
    ] {
        assert_eq!(listed(&app, &cookie, query).await.len(), rows, "{query}");
    }
    // The report still counts the referral by its reason.
    let report = common::staff_html(&app, &cookie, "/staff/report").await;
    assert!(report.contains("Safety 1"), "the report counts the reason");
}
on_both_databases!(sealed, what_a_copy_of_the_database_holds_is_sealed);

/// Runs a command of the binary on `app`'s database with exactly `env` for its key.
async fn run(app: &TestApp, args: &[&str], env: &[(&str, &str)]) -> (bool, String) {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_trustbridge"));
    command
        .args(args)
        .env("DATABASE_URL", &app.database_url)
        .env("BIND_ADDR", "127.0.0.1:0")
        .env("SITE_ROOT", app.dir())
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let output = tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .expect("finished in time")
        .expect("run");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), said)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_is_required_checked_and_can_be_changed() {
    let mut app = common::spawn_app(Backend::Sqlite).await;
    let (reference, _) = a_practice_with_one_client(&app).await;
    app.stop().await;
    let path = app
        .database_url
        .strip_prefix("sqlite://")
        .expect("sqlite")
        .to_owned();
    let key_file = format!("{path}.key");
    let first_key = std::fs::read_to_string(&key_file).expect("made on first run");
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&key_file)
            .expect("key")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "only its owner reads the key");
    }

    // Without its key, or with another, the server does not start, and says why.
    std::fs::rename(&key_file, format!("{key_file}.away")).expect("move the key");
    let (started, said) = run(&app, &[], &[]).await;
    assert!(!started);
    assert!(said.contains("the data key is missing"), "{said}");
    assert!(
        !std::path::Path::new(&key_file).exists(),
        "no new key was made"
    );
    let other = "b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktISE=";
    let (started, said) = run(&app, &[], &[("DATA_KEY", other)]).await;
    assert!(!started);
    assert!(
        said.contains("not the one this database was sealed with"),
        "{said}"
    );
    std::fs::rename(format!("{key_file}.away"), &key_file).expect("put the key back");

    // A value stored before this version (in clear) is sealed at the next start.
    db_execute(
        &app,
        "delete from data_key; update clinician_notes set body = 'PLAIN-legacy-note-11'",
    )
    .await;

    // rotate-key makes the new key file and seals everything again with it.
    let new_key = app.dir().join("new.key");
    let new_key = new_key.to_str().expect("path");
    let (rotated, said) = run(&app, &["rotate-key", "--new-key-file", new_key], &[]).await;
    assert!(rotated, "{said}");
    assert!(said.contains(&format!("DATA_KEY_FILE={new_key}")), "{said}");
    assert_ne!(
        std::fs::read_to_string(new_key).expect("new key"),
        first_key
    );
    let legacy = db_text(&app, "select body from clinician_notes").await;
    assert!(legacy.starts_with("tb1:"), "sealed at start: {legacy}");
    // The old key opens nothing now; the new one opens everything.
    let (started, said) = run(&app, &["purge"], &[]).await;
    assert!(!started && said.contains("not the one"), "{said}");
    app.restart(&[("DATA_KEY_FILE", new_key.to_owned())]).await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    let page = common::staff_html(&app, &cookie, &format!("/staff/submissions/{reference}")).await;
    for canary in [NAME, EMAIL, NOTE, SAFE_EMAIL, "PLAIN-legacy-note-11"] {
        assert!(page.contains(canary), "{canary} after the rotation");
    }
    let rows = found_by_name(&app, &cookie, "marchetti").await;
    assert!(
        rows.len() == 1 && rows[0].contains(&reference),
        "the name index was rebuilt: {rows:?}"
    );
    assert_eq!(
        db_count(&app, "select count(*) from data_key").await,
        1,
        "one key on record"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgresql_needs_a_key_given_to_every_instance() {
    let app = common::spawn_app(Backend::Postgres).await;
    let (started, said) = run(&app, &[], &[]).await;
    assert!(!started);
    assert!(
        said.contains("DATA_KEY or DATA_KEY_FILE must be set"),
        "{said}"
    );
    let other = "b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktISE=";
    let (started, said) = run(&app, &[], &[("DATA_KEY", other)]).await;
    assert!(!started);
    assert!(
        said.contains("not the one this database was sealed with"),
        "{said}"
    );
}
