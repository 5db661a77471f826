//! A couple arranges its first consult: one consult booked together, the practice contacting
//! every couple by default, and an individual consult that stays with that partner. Against
//! SQLite and PostgreSQL.

use super::*;

async fn a_couple_books_one_consult_together(mut app: TestApp) {
    // Couples pick a time themselves only when the practice opens joint booking.
    app.stop().await;
    app.restart(&[("JOINT_BOOKING", "open".to_owned())]).await;
    practice_with_hours(&app).await;
    let a = start_questionnaire(&app).await;
    answer_all(&app, &a, true, "").await;
    check_in(&app, &a, "no").await;
    let b = join(&app, &invite(&app, &a).await).await;
    answer_all(&app, &b, true, "").await;
    check_in(&app, &b, "no").await;
    // No flag: booking together is open for both; A books it.
    let (_, choice) = get(&app, &format!("/q/{a}/book")).await;
    assert!(main_text(&choice).contains("Choose a time together"));
    let (_, picker) = get(&app, &format!("/q/{a}/book?for=couple")).await;
    assert_eq!(
        select(&picker, "h1"),
        ["Choose a time for your consult together"]
    );
    let slot = Html::parse_document(&picker)
        .select(&Selector::parse("input[name=slot]").expect("selector"))
        .next()
        .and_then(|e| e.value().attr("value").map(str::to_owned))
        .expect("an open time");
    let form = |key: &'static str| {
        vec![
            ("slot", slot.clone()),
            ("request_key", key.to_owned()),
            ("name", "Sam".to_owned()),
            ("email", "sam@example.org".to_owned()),
            ("phone", "555 0100".to_owned()),
            ("consent", "yes".to_owned()),
            ("for", "couple".to_owned()),
        ]
    };
    let booked = app
        .raw
        .post(app.url(&format!("/q/{a}/book")))
        .form(&form("0123456789abcdef0123456789abcdef"))
        .send()
        .await
        .expect("book");
    assert_eq!(booked.status(), StatusCode::SEE_OTHER);
    // B sees that consult, and cannot book a second one for the couple.
    let (status, html) = get(&app, &format!("/q/{b}/book")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(select(&html, "h1"), ["Your consult together is booked"]);
    let second = app
        .raw
        .post(app.url(&format!("/q/{b}/book")))
        .form(&form("fedcba9876543210fedcba9876543210"))
        .send()
        .await
        .expect("book");
    assert_eq!(second.status(), StatusCode::OK);
    assert_eq!(db_count(&app, "select count(*) from bookings").await, 1);
}
on_both_databases!(one_consult, a_couple_books_one_consult_together);

async fn by_default_the_practice_contacts_every_couple(app: TestApp) {
    // No flag at all, and still the same page as a hold: nothing to infer from it.
    practice_with_hours(&app).await;
    let a = start_questionnaire(&app).await;
    answer_all(&app, &a, true, "").await;
    check_in(&app, &a, "no").await;
    let b = join(&app, &invite(&app, &a).await).await;
    answer_all(&app, &b, true, "").await;
    check_in(&app, &b, "no").await;
    for token in [&a, &b] {
        let (status, html) = get(&app, &format!("/q/{token}/book")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(select(&html, "h1"), ["Arrange a first consult"]);
        assert!(main_text(&html).contains("Someone from the practice will contact you"));
        assert!(!main_text(&html).contains("Choose a time together"));
        // Asking for the picker together anyway gets the same page.
        let (_, asked) = get(&app, &format!("/q/{token}/book?for=couple")).await;
        assert_eq!(main_text(&asked), main_text(&html));
    }
    // The practice calls and books the couple's consult, on A's submission: B's page shows it
    // too, offers no second one, and both partners' workflows follow.
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("logged in");
    let (a_ref, b_ref) = (reference(&app, &a).await, reference(&app, &b).await);
    let a_page = common::staff_html(&app, &cookie, &format!("/staff/submissions/{a_ref}")).await;
    let slot = Html::parse_document(&a_page)
        .select(&Selector::parse("select#slot option[value^='2']").expect("selector"))
        .find_map(|o| o.value().attr("value").map(str::to_owned))
        .expect("an open time");
    let booked = app
        .raw
        .post(app.url(&format!("/staff/submissions/{a_ref}/book")))
        .header("cookie", &cookie)
        .form(&[
            ("slot", slot.as_str()),
            ("request_key", "00112233445566778899aabbccddeeff"),
            ("for", "couple"),
            ("name", "Alex"),
            ("email", "alex@example.org"),
            ("phone", "+1 555 010 0600"),
            ("consent", "yes"),
        ])
        .send()
        .await
        .expect("book");
    assert_eq!(booked.status(), StatusCode::SEE_OTHER);
    let b_page = common::staff_html(&app, &cookie, &format!("/staff/submissions/{b_ref}")).await;
    let card = select(&b_page, ".booking-card").concat();
    assert!(
        card.contains("booked on the partner's submission") && card.contains(&a_ref),
        "{card}"
    );
    assert!(select(&b_page, "form.arrange-form").is_empty());
    for r in [&a_ref, &b_ref] {
        let html = common::staff_html(&app, &cookie, &format!("/staff/submissions/{r}")).await;
        assert!(select(&html, "section.card p").contains(&"Now: Consult booked".to_owned()));
    }
    let (_, html) = get(&app, &format!("/q/{a}/book")).await;
    assert_eq!(select(&html, "h1"), ["Your consult is booked"]);
    // B was not on the phone: B's own page shows the consult they are both booked for.
    let (_, html) = get(&app, &format!("/q/{b}/book")).await;
    assert_eq!(select(&html, "h1"), ["Your consult together is booked"]);
    assert!(
        !html.contains("alex@example.org"),
        "not A's contact details"
    );

    // Someone on their own still books directly.
    let solo = start_questionnaire(&app).await;
    answer_all(&app, &solo, true, "").await;
    check_in(&app, &solo, "no").await;
    let (_, html) = get(&app, &format!("/q/{solo}/book")).await;
    assert_eq!(
        select(&html, "h1"),
        ["Choose a time for your first consult"]
    );
}
on_both_databases!(
    default_policy,
    by_default_the_practice_contacts_every_couple
);

/// The arrange form's field values on a submission page: (name, value, checked).
fn arrange_radios(html: &str) -> Vec<(String, bool)> {
    let html = Html::parse_document(html);
    let selector = Selector::parse("form.arrange-form input[name=for]").expect("selector");
    html.select(&selector)
        .map(|i| {
            (
                i.value().attr("value").unwrap_or_default().to_owned(),
                i.value().attr("checked").is_some(),
            )
        })
        .collect()
}

async fn an_individual_consult_stays_with_that_partner(app: TestApp) {
    practice_with_hours(&app).await;
    let a = start_questionnaire(&app).await;
    answer_all(&app, &a, true, "").await;
    check_in(&app, &a, "yes").await;
    let b = join(&app, &invite(&app, &a).await).await;
    answer_all(&app, &b, true, "").await;
    check_in(&app, &b, "no").await;
    let cookie = log_in_as(&app, ADMIN, PASSWORD).await.expect("logged in");
    let (a_ref, b_ref) = (reference(&app, &a).await, reference(&app, &b).await);
    let a_path = format!("/staff/submissions/{a_ref}");
    let a_page = common::staff_html(&app, &cookie, &a_path).await;
    // A positive check-in in the couple: "this client only" comes first.
    assert_eq!(
        arrange_radios(&a_page),
        [("client".to_owned(), true), ("couple".to_owned(), false)]
    );
    let slot = Html::parse_document(&a_page)
        .select(&Selector::parse("select#slot option[value^='2']").expect("selector"))
        .find_map(|o| o.value().attr("value").map(str::to_owned))
        .expect("an open time");
    let book = |path: String, scope: Option<&'static str>| {
        let mut form = vec![
            ("slot", slot.clone()),
            ("request_key", "ffeeddccbbaa99887766554433221100".to_owned()),
            ("name", "Alex".to_owned()),
            ("email", "alex@example.org".to_owned()),
            ("phone", "+1 555 010 0700".to_owned()),
            ("consent", "yes".to_owned()),
        ];
        form.extend(scope.map(|s| ("for", s.to_owned())));
        app.raw
            .post(app.url(&format!("{path}/book")))
            .header("cookie", &cookie)
            .form(&form)
            .send()
    };
    // Whose consult it is must be said for a partner.
    let unsaid = book(a_path.clone(), None).await.expect("post");
    assert_eq!(unsaid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = unsaid.text().await.expect("body");
    assert_eq!(
        select(&html, "#for-error"),
        ["Please choose who this consult is for."]
    );
    let booked = book(a_path.clone(), Some("client")).await.expect("post");
    assert_eq!(booked.status(), StatusCode::SEE_OTHER);
    let a_page = common::staff_html(&app, &cookie, &a_path).await;
    assert!(select(&a_page, ".booking-card")
        .concat()
        .contains("This client only"));

    // Nothing of it reaches B: not B's client pages, not B's submission, not B's workflow.
    let b_page = common::staff_html(&app, &cookie, &format!("/staff/submissions/{b_ref}")).await;
    let card = select(&b_page, ".booking-card").concat();
    assert!(
        card.contains("No consult booked yet") && !card.contains("alex@example.org"),
        "{card}"
    );
    assert!(!arrange_radios(&b_page).is_empty(), "B can still be booked");
    assert!(select(&b_page, "section.card p").contains(&"Now: New".to_owned()));
    assert!(select(&a_page, "section.card p").contains(&"Now: Consult booked".to_owned()));
    for path in [format!("/q/{b}/book"), format!("/q/{b}/result")] {
        let (_, html) = get(&app, &path).await;
        assert!(
            !html.contains("alex@example.org") && !main_text(&html).contains("is booked"),
            "{path}"
        );
    }
}
on_both_databases!(
    individual_consult,
    an_individual_consult_stays_with_that_partner
);
