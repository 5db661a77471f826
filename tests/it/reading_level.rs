//! Plain words where safety matters (clinical review 3, N15): the sentences a client reads in
//! the support panel, on their summary and in the privacy policy they agree to read at US school
//! grade 8 or below (Flesch–Kincaid, computed per sentence by Python's `textstat`), so a
//! frightened reader on a phone is not slowed down by the wording. The names of the services
//! in the panel are names, not sentences, and are left out.

use crate::common::{self, spawn_app_with, Backend};
use scraper::{Html, Selector};

/// The highest grade allowed for one sentence.
const MAX_GRADE: f64 = 8.0;

/// The text of `css` in `html`, without the elements matching `skip`.
fn text_of(html: &str, css: &str, skip: &str) -> String {
    let doc = Html::parse_document(html);
    let skip = Selector::parse(skip).expect("selector");
    let skipped: Vec<_> = doc.select(&skip).map(|e| e.id()).collect();
    let mut out = String::new();
    for root in doc.select(&Selector::parse(css).expect("selector")) {
        for node in root.descendants() {
            if node.ancestors().any(|a| skipped.contains(&a.id())) || skipped.contains(&node.id()) {
                continue;
            }
            if let Some(text) = node.value().as_text() {
                out.push_str(text);
                out.push(' ');
            }
            if node.value().as_element().is_some_and(|e| {
                matches!(
                    e.name(),
                    "p" | "li" | "h1" | "h2" | "h3" | "dt" | "dd" | "label"
                )
            }) {
                // A block ends a sentence even without a full stop.
                out.push_str(" .\n");
            }
        }
    }
    out
}

/// Each sentence of `text` above [`MAX_GRADE`], with its grade.
fn too_hard(text: &str) -> Vec<String> {
    let script = r#"
import re, sys, textstat
text = sys.stdin.read()
# An email address is read as one thing, and the practice's name is the practice's choice.
text = re.sub(r"\S+@\S+\.\w+", "us", text).replace("Harbour Couples Practice", "The practice")
for sentence in re.split(r'(?<=[.!?])\s+', text):
    sentence = " ".join(sentence.split()).strip(" .")
    if len(re.findall(r"[A-Za-z]+", sentence)) < 4:
        continue
    grade = textstat.flesch_kincaid_grade(sentence + ".")
    print(f"{grade}\t{sentence}")
"#;
    common::python(script, text)
        .lines()
        .filter(|l| {
            l.split('\t')
                .next()
                .and_then(|g| g.parse::<f64>().ok())
                .is_some_and(|g| g > MAX_GRADE)
        })
        .map(str::to_owned)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_a_client_reads_where_safety_matters_is_plain() {
    let app = spawn_app_with(Backend::Sqlite, &[("PRACTICE_COUNTRY", "US".into())]).await;
    let token = common::start_questionnaire(&app).await;
    let page = |path: String| {
        let app = &app;
        async move {
            app.raw
                .get(app.url(&path))
                .send()
                .await
                .expect("get")
                .text()
                .await
                .expect("body")
        }
    };
    let policy = page(format!("/q/{token}/consent")).await;
    common::answer_every_section(&app, &token, |_| "3", "").await;
    let check_in = page(format!("/q/{token}/private")).await;
    common::check_in(&app, &token, "no").await;
    let mut pages = vec![
        ("support panel", check_in, ".support-panel"),
        ("privacy policy", policy, "main"),
        ("summary", page(format!("/q/{token}/result")).await, "main"),
    ];
    // The summary's sentences depend on the answers: low and high ones too.
    for value in ["1", "5"] {
        let token = common::start_questionnaire(&app).await;
        common::answer_every_section(&app, &token, |_| value, "").await;
        common::check_in(&app, &token, "no").await;
        pages.push(("summary", page(format!("/q/{token}/result")).await, "main"));
    }
    let mut hard = Vec::new();
    for (name, html, css) in &pages {
        let text = text_of(
            html,
            css,
            ".support-lines, nav, form, .reference, table, .policy-version",
        );
        assert!(text.split_whitespace().count() > 20, "{name}: {text}");
        hard.extend(too_hard(&text).into_iter().map(|s| format!("{name}: {s}")));
    }
    assert!(
        hard.is_empty(),
        "sentences above grade {MAX_GRADE}:\n{}",
        hard.join("\n")
    );
}
