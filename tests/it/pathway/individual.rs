//! Both partners of a held couple need a conversation on their own, whichever check-in asked for
//! it (clinical review 3, N7): a partner who uses violence may answer "No" throughout. Each
//! partner's safety card shows whether it was held and offers the form to record it; only the
//! positive one is on the needs-review queue. Against SQLite and PostgreSQL.

use super::*;

async fn both_partners_of_a_held_couple_show_an_open_individual_conversation(app: TestApp) {
    create_admin(&app, ADMIN, "Ana Lima", PASSWORD).await;
    common::set_hours(&app, ADMIN, "09:00-12:00").await;
    // A's check-in asks for review; B's does not.
    let (a, b) = couple(&app, "yes", &[]).await;
    let (a_ref, b_ref) = (reference(&app, &a).await, reference(&app, &b).await);
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("login");
    let card = |html: &str| select(html, ".safety-pathway").concat();
    let status = |html: &str| select(html, ".individual-conversation").concat();
    for r in [&a_ref, &b_ref] {
        let page = common::staff_html(&app, &cookie, &format!("/staff/submissions/{r}")).await;
        assert!(
            status(&page).contains("not recorded yet"),
            "{r}: {}",
            card(&page)
        );
    }
    let b_path = format!("/staff/submissions/{b_ref}");
    let b_page = common::staff_html(&app, &cookie, &b_path).await;
    assert!(
        select(&b_page, ".safety-pathway h3").contains(&"Individual conversation".to_owned()),
        "{}",
        card(&b_page)
    );

    // The clinician records speaking with B alone: B's card says so, A's item stays open.
    let recorded = app
        .raw
        .post(app.url(&format!("{b_path}/first-contact")))
        .header("cookie", &cookie)
        .form(&[
            ("contact_channel", "in_person"),
            ("contact_outcome", "spoke"),
            ("contacted_at", ""),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(recorded.status(), StatusCode::SEE_OTHER);
    let b_page = common::staff_html(&app, &cookie, &b_path).await;
    assert!(
        status(&b_page).contains("spoke with them privately"),
        "{}",
        card(&b_page)
    );
    let a_page = common::staff_html(&app, &cookie, &format!("/staff/submissions/{a_ref}")).await;
    assert!(status(&a_page).contains("not recorded yet"));
    // The needs-review queue is A's alone.
    let list = common::staff_html(&app, &cookie, "/staff").await;
    let queue = select(&list, "table.review tbody tr").concat();
    assert!(queue.contains(&a_ref) && !queue.contains(&b_ref), "{queue}");
}
on_both_databases!(
    individual_conversation,
    both_partners_of_a_held_couple_show_an_open_individual_conversation
);
