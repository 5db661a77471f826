//! The referral directory: kept by admins, read by everyone, imported whole or not at all.
//! Against SQLite and PostgreSQL.

use super::*;

async fn admins_keep_the_directory_and_everyone_reads_it(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    // Refused: each field says what it needs, nothing is saved.
    let refused = post(&app, &cookie, "/staff/directory/new", &[("name", "")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("body");
    assert!(select(&html, "#name-error")
        .concat()
        .contains("Give the service's"));
    assert!(select(&html, "#categories-error")
        .concat()
        .contains("at least one category"));
    assert_eq!(
        db_count(&app, "select count(*) from directory_entries").await,
        0
    );
    let saved = post(
        &app,
        &cookie,
        "/staff/directory/new",
        &common::directory_entry(DV_SERVICE, "domestic_violence", "2026-11-20"),
    )
    .await;
    assert_eq!(location(&saved), "/staff/directory");
    let old = post(
        &app,
        &cookie,
        "/staff/directory/new",
        &common::directory_entry("Lantern Counselling", "individual_therapy", "2020-01-01"),
    )
    .await;
    assert_eq!(old.status(), StatusCode::SEE_OTHER);
    let list = common::staff_html(&app, &cookie, "/staff/directory").await;
    let rows = select(&list, "table.directory tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0].contains("Canary Harbour") && !rows[0].contains("Check again"));
    assert!(
        rows[1].contains("Lantern") && rows[1].contains("Check again"),
        "stale"
    );
    // Filters: category, language, needs checking.
    let dv = common::staff_html(&app, &cookie, "/staff/directory?category=domestic_violence").await;
    assert_eq!(select(&dv, "table.directory tbody tr").len(), 1);
    let stale = common::staff_html(&app, &cookie, "/staff/directory?stale=1").await;
    assert_eq!(select(&stale, "table.directory tbody tr").len(), 1);
    assert!(select(&stale, "table.directory")
        .concat()
        .contains("Lantern"));
    let spanish = common::staff_html(&app, &cookie, "/staff/directory?language=spanish").await;
    assert_eq!(select(&spanish, "table.directory tbody tr").len(), 2);
    let french = common::staff_html(&app, &cookie, "/staff/directory?language=French").await;
    assert!(select(&french, "table.directory tbody tr").is_empty());

    // Retired, never deleted: it leaves the list and stays on record.
    let id = db_text(
        &app,
        "select cast(id as text) from directory_entries where name like 'Lantern%'",
    )
    .await;
    let retired = post(
        &app,
        &cookie,
        &format!("/staff/directory/{id}/retire"),
        &[("retire", "1")],
    )
    .await;
    assert_eq!(retired.status(), StatusCode::SEE_OTHER);
    let list = common::staff_html(&app, &cookie, "/staff/directory").await;
    assert_eq!(select(&list, "table.directory tbody tr").len(), 1);
    let all = common::staff_html(&app, &cookie, "/staff/directory?retired=1").await;
    assert!(select(&all, "table.directory")
        .concat()
        .contains("Lantern Counselling (retired)"));
    assert_eq!(
        db_count(&app, "select count(*) from directory_entries").await,
        2
    );

    // A CSV with one bad row imports nothing and names the line; fixed, it imports whole.
    let csv = "name,kind,categories,delivery,phone,assured_date,sliding_scale,accepting_new_clients,languages\n\
               Bay Legal Aid,organisation,legal_aid,in_person,555 0100,2026-11-02,yes,yes,English\n\
               Oops,organisation,astrology,both,555 0101,2026-11-02,no,yes,English\n";
    let refused = upload(&app, &cookie, csv).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.expect("body");
    let errors = select(&html, "#import-errors li");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("Line 3: categories:"), "{errors:?}");
    assert_eq!(
        db_count(&app, "select count(*) from directory_entries").await,
        2
    );
    let imported = upload(&app, &cookie, &csv.replace("astrology", "financial")).await;
    assert_eq!(imported.status(), StatusCode::OK);
    assert!(imported
        .text()
        .await
        .expect("body")
        .contains("Imported 2 entries."));
    assert_eq!(
        db_count(&app, "select count(*) from directory_entries").await,
        4
    );
    // The export is the import's format: importing it again adds the same entries.
    let export = app
        .raw
        .get(app.url("/staff/directory.csv"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("export")
        .text()
        .await
        .expect("csv");
    assert!(export.starts_with("name,kind,categories,"), "{export}");
    assert!(
        export.contains("'+1 555 010 0100"),
        "formula-safe: {export}"
    );
    let again = upload(&app, &cookie, &export).await;
    assert_eq!(
        again.status(),
        StatusCode::OK,
        "{}",
        again.text().await.unwrap_or_default()
    );
    assert_eq!(
        db_count(&app, "select count(*) from directory_entries").await,
        7
    );
    assert_eq!(
        db_count(
            &app,
            "select count(*) from directory_entries where phone = '+1 555 010 0100' and retired_at is null"
        )
        .await,
        2
    );
    // Every change is audited, with counts or ids only.
    assert_eq!(
        db_count(
            &app,
            "select count(*) from audit_events where action like 'import_directory%'"
        )
        .await,
        2
    );

    // A clinician reads it but cannot change it.
    let made = post(
        &app,
        &cookie,
        "/staff/clinicians",
        &[
            ("name", "Ben Ode"),
            ("email", CLINICIAN),
            ("password", PASSWORD),
            ("role", "clinician"),
        ],
    )
    .await;
    assert!(
        made.status().is_success() || made.status().is_redirection(),
        "{}",
        made.status()
    );
    let theirs = log_in_as(&app, CLINICIAN, PASSWORD).await.expect("login");
    let list = common::staff_html(&app, &theirs, "/staff/directory").await;
    assert!(!select(&list, "table.directory tbody tr").is_empty());
    assert!(select(&list, "a[href='/staff/directory/new']").is_empty());
    let refused = post(
        &app,
        &theirs,
        "/staff/directory/new",
        &common::directory_entry("X", "shelter", "2026-11-01"),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}
on_both_databases!(directory, admins_keep_the_directory_and_everyone_reads_it);
