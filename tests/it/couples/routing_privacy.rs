//! Where a partner's own consult is must not say what the other partner answered. Two
//! clinicians offer the same hour: Ana (general, in person) and Dee (IPV-informed and
//! discernment-trained, by video). For every kind of answer partner A can give the routing
//! (check-in clear or positive; leaning in, unsure, out, decided or not said), partner B books the same hour on
//! their own and everything B meets is compared: the pages of the booking, the manage page, the
//! confirmation, the reminder and the calendar file. They must be the same, byte for byte, once
//! the per-person secrets are masked. Against SQLite and PostgreSQL.

use super::*;
use common::{mail, Mail};

const DEE: &str = "dee@harbour.example";
const ANA_PLACE: &str = "12 Quay Street, Room 3";
const DEE_ROOM: &str = "https://video.example/dee-room";

async fn post_form(app: &TestApp, cookie: &str, path: &str, form: &[(&str, &str)]) {
    let response = app
        .raw
        .post(app.url(path))
        .header("cookie", cookie)
        .form(form)
        .send()
        .await
        .expect("post");
    assert!(
        response.status().is_redirection() || response.status().is_success(),
        "{path}: {}",
        response.status()
    );
}

/// Ana (the admin, general, in person) and Dee (IPV-informed and discernment-trained, by
/// video) both offer 09:00–10:00 every day.
async fn two_clinicians_at_the_same_hour(app: &TestApp) {
    create_admin(app, ADMIN, "Ana Lima", PASSWORD).await;
    common::set_hours(app, ADMIN, "09:00-10:00").await;
    let cookie = log_in_as(app, ADMIN, PASSWORD).await.expect("login");
    post_form(
        app,
        &cookie,
        "/staff/clinicians",
        &[
            ("name", "Dee Park"),
            ("email", DEE),
            ("password", PASSWORD),
            ("role", "clinician"),
        ],
    )
    .await;
    common::set_hours(app, DEE, "09:00-10:00").await;
    let id =
        |email: &str| format!("select cast(id as text) from clinicians where email = '{email}'");
    let (ana, dee) = (
        common::db_text(app, &id(ADMIN)).await,
        common::db_text(app, &id(DEE)).await,
    );
    post_form(
        app,
        &cookie,
        &format!("/staff/clinicians/{ana}/profile"),
        &[
            ("accepting_couples", "yes"),
            ("consult_format", "in_person"),
            ("consult_place", ANA_PLACE),
        ],
    )
    .await;
    post_form(
        app,
        &cookie,
        &format!("/staff/clinicians/{dee}/profile"),
        &[
            ("specialties", "ipv_informed"),
            ("specialties", "discernment"),
            ("accepting_couples", "yes"),
            ("consult_format", "video"),
            ("consult_place", DEE_ROOM),
        ],
    )
    .await;
}

/// What partner A answers that the couple's routing could read.
#[derive(Debug, Clone, Copy)]
struct Partner {
    /// The private check-in: `"no"` clear, `"yes"` positive (A invites from the summary, which
    /// comes after the check-in, so A has always given one).
    check_in: &'static str,
    /// The leaning question's option ("1" wants to work on it … "4" has decided to end it).
    lean: &'static str,
}

const EVERY_A: [Partner; 6] = [
    Partner {
        check_in: "no",
        lean: "1",
    },
    Partner {
        check_in: "yes",
        lean: "1",
    },
    Partner {
        check_in: "no",
        lean: "4",
    },
    Partner {
        check_in: "yes",
        lean: "3",
    },
    Partner {
        check_in: "no",
        lean: "2",
    },
    Partner {
        check_in: "no",
        lean: "5",
    },
];

/// Everything partner B met while booking on their own, with B's secrets masked.
#[derive(Debug, PartialEq)]
struct Seen {
    picker: String,
    confirm: String,
    manage: String,
    mail: Vec<(String, String, String, String, Option<String>)>,
}

fn slot_values(html: &str) -> Vec<String> {
    Html::parse_document(html)
        .select(&Selector::parse("input[name=slot]").expect("css"))
        .filter_map(|e| e.value().attr("value").map(str::to_owned))
        .collect()
}

fn field_value(html: &str, name: &str) -> String {
    Html::parse_document(html)
        .select(&Selector::parse(&format!("input[name={name}]")).expect("css"))
        .find_map(|e| e.value().attr("value").map(str::to_owned))
        .unwrap_or_else(|| panic!("no {name} field"))
}

/// A new couple whose A answers as `a`, and whose B (ready, clear check-in, wants to work on
/// it) books `slot` on their own (the first time offered, when `slot` is `None`). Returns what
/// B saw, and the slot; B's consult is then cancelled so the next couple finds the same hour.
async fn b_books_alone(app: &TestApp, a: Partner, slot: Option<&str>) -> (Seen, String) {
    let ready = |i: &q::Item| if i.reverse { "1" } else { "5" };
    let a_token = start_questionnaire(app).await;
    common::answer_sections(app, &a_token, ready, &[("lean", a.lean)], "").await;
    check_in(app, &a_token, a.check_in).await;
    let b = join(app, &invite(app, &a_token).await).await;
    common::answer_sections(app, &b, ready, &[("lean", "1")], "").await;
    check_in(app, &b, "no").await;
    let b_ref = reference(app, &b).await;

    let (status, picker) = get(app, &format!("/q/{b}/book?for=client")).await;
    assert_eq!(status, StatusCode::OK, "{a:?}");
    let slot = slot
        .map(str::to_owned)
        .unwrap_or_else(|| slot_values(&picker).first().cloned().expect("a time"));
    assert!(
        slot_values(&picker).contains(&slot),
        "{a:?}: {slot} offered"
    );
    let confirm_path = format!(
        "/q/{b}/book/confirm?for=client&tz=Europe/Berlin&slot={}",
        slot.replace(':', "%3A").replace('+', "%2B")
    );
    let (status, confirm) = get(app, &confirm_path).await;
    assert_eq!(status, StatusCode::OK, "{a:?}");
    let key = field_value(&confirm, "request_key");
    let before = mail(app, "consult_confirmation").await.len();
    let booked = app
        .raw
        .post(app.url(&format!("/q/{b}/book")))
        .form(&[
            ("slot", slot.as_str()),
            ("tz", "Europe/Berlin"),
            ("request_key", key.as_str()),
            ("for", "client"),
            ("name", "Robin"),
            ("email", "robin@example.org"),
            ("phone", "+1 555 010 0300"),
            ("consent", "yes"),
        ])
        .send()
        .await
        .expect("book");
    assert_eq!(booked.status(), StatusCode::SEE_OTHER, "{a:?}");
    let manage_path = location(&booked);
    let manage_token = manage_path
        .strip_prefix("/b/")
        .and_then(|t| t.strip_suffix("?booked=1"))
        .unwrap_or_else(|| panic!("a manage link, not {manage_path}"))
        .to_owned();
    let (_, manage) = get(app, &manage_path).await;

    let mask = |text: &str| {
        let mut out = text
            .replace(&b, "B-TOKEN")
            .replace(&manage_token, "MANAGE-TOKEN")
            .replace(&key, "REQUEST-KEY")
            .replace(&b_ref, "B-REF");
        // A calendar file's stamp and id name the moment and the booking, not the answers.
        out = out
            .lines()
            .map(|l| match l.split_once(':') {
                Some(("DTSTAMP" | "UID", _)) => "MASKED",
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        out
    };
    let to_b: Vec<Mail> = common::all_mail(app)
        .await
        .into_iter()
        .filter(|m| m.recipient == "robin@example.org")
        .collect();
    assert!(
        mail(app, "consult_confirmation").await.len() > before,
        "{a:?}: a confirmation"
    );
    let seen = Seen {
        picker: mask(&main_text(&picker)),
        confirm: mask(&main_text(&confirm)),
        manage: mask(&main_text(&manage)),
        mail: to_b
            .iter()
            .map(|m| {
                (
                    m.kind.clone(),
                    mask(&m.subject),
                    mask(&m.text),
                    mask(&m.html),
                    m.calendar.as_deref().map(mask),
                )
            })
            .collect(),
    };
    // Free the hour for the next couple; B's messages are gone from the comparison with it.
    let cancelled = app
        .raw
        .post(app.url(&format!("/b/{manage_token}/cancel")))
        .send()
        .await
        .expect("cancel");
    assert_eq!(cancelled.status(), StatusCode::SEE_OTHER);
    db_execute(
        app,
        "delete from outbox where kind <> 'intake_needs_review'",
    )
    .await;
    (seen, slot)
}

async fn a_partners_own_consult_is_the_same_whatever_the_other_answered(app: TestApp) {
    two_clinicians_at_the_same_hour(&app).await;
    let (first, slot) = b_books_alone(&app, EVERY_A[0], None).await;
    // B's own clear check-in asks nothing of the clinician: the first calendar (Ana's) takes it.
    let confirmation = first
        .mail
        .iter()
        .find(|m| m.0 == "consult_confirmation")
        .expect("B's confirmation");
    assert!(
        confirmation
            .2
            .contains(&format!("Where: In person at {ANA_PLACE}")),
        "{}",
        confirmation.2
    );
    assert!(first.mail.iter().any(|m| m.0 == "consult_reminder"));
    for a in &EVERY_A[1..] {
        let (seen, _) = b_books_alone(&app, *a, Some(&slot)).await;
        assert_eq!(seen, first, "B's consult changed with A's answers: {a:?}");
    }
    // The same for B's own positive check-in works on B's own answers: B is routed to Dee.
    let ready = |i: &q::Item| if i.reverse { "1" } else { "5" };
    let a = start_questionnaire(&app).await;
    common::answer_every_section(&app, &a, ready, "").await;
    check_in(&app, &a, "no").await;
    let b = join(&app, &invite(&app, &a).await).await;
    common::answer_every_section(&app, &b, ready, "").await;
    check_in(&app, &b, "yes").await;
    let confirm_path = format!(
        "/q/{b}/book/confirm?for=client&tz=Europe/Berlin&slot={}",
        slot.replace(':', "%3A").replace('+', "%2B")
    );
    let (_, confirm) = get(&app, &confirm_path).await;
    let key = field_value(&confirm, "request_key");
    let booked = app
        .raw
        .post(app.url(&format!("/q/{b}/book")))
        .form(&[
            ("slot", slot.as_str()),
            ("tz", "Europe/Berlin"),
            ("request_key", key.as_str()),
            ("for", "client"),
            ("name", "Robin"),
            ("email", "robin@example.org"),
            ("phone", "+1 555 010 0300"),
            ("consent", "yes"),
        ])
        .send()
        .await
        .expect("book");
    assert_eq!(booked.status(), StatusCode::SEE_OTHER);
    let own = mail(&app, "consult_confirmation").await;
    assert!(
        own.iter()
            .any(|m| m.recipient == "robin@example.org" && m.text.contains(DEE_ROOM)),
        "B's own positive check-in routes B's own consult"
    );
}
on_both_databases!(
    routing_privacy,
    a_partners_own_consult_is_the_same_whatever_the_other_answered
);
