//! The questionnaire form: one section at a time, as a plain HTML form that works with
//! JavaScript off, hydrated as an island when it is on.
//!
//! With JavaScript on, the island checks a section instantly (a message next to each
//! unanswered statement), saves every answer as it is chosen, and moves between sections
//! without reloading the page. It posts to the very same URL the plain form does, asking for
//! JSON instead of a redirect, so both paths share one server-side validation.

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::browser;

/// One statement as the form shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: String,
    pub text: String,
}

/// One section as the form shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SectionView {
    pub number: u8,
    pub title: String,
    pub intro: String,
    pub items: Vec<ItemView>,
}

/// Everything the form needs, rendered on the server and handed to the island as its props.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionnaireData {
    /// `/q/<token>`: the private base path of this questionnaire.
    pub base: String,
    pub sections: Vec<SectionView>,
    /// 1-based section shown first.
    pub current: u8,
    /// Saved answers, item id → 1..=5.
    pub answers: BTreeMap<String, u8>,
    /// Saved note for the practice (last section).
    pub note: String,
    pub note_max_chars: usize,
    /// Labels of the five answer choices, "Strongly disagree" first.
    pub scale: Vec<String>,
    /// Item ids to mark as unanswered when the page opens (after a failed "continue").
    pub missing: Vec<String>,
}

const MISSING_MESSAGE: &str = "Please choose an answer for this statement.";
const SECTION_INCOMPLETE: &str =
    "A few statements still need an answer. They are marked below; everything else is saved.";
const OFFLINE: &str = "We couldn't reach the practice's server. Your answers on this page are \
                       still here: please check your connection and try again.";

#[island]
pub fn QuestionnaireForm(data: QuestionnaireData) -> impl IntoView {
    let QuestionnaireData {
        base,
        sections,
        current,
        answers,
        note,
        note_max_chars,
        scale,
        missing,
    } = data;
    let total = u8::try_from(sections.len()).unwrap_or(u8::MAX);
    let sections = StoredValue::new(sections);
    let scale = StoredValue::new(scale);
    let base = StoredValue::new(base);
    let current = RwSignal::new(current);
    let answers = RwSignal::new(answers);
    let note = RwSignal::new(note);
    let missing = RwSignal::new(missing.into_iter().collect::<BTreeSet<String>>());
    let status = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    // Effects run only in the browser: this marks the form as hydrated (tests wait for it).
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));

    let section_url = move |n: u8| format!("{}/s/{n}", base.get_value());

    // The browser's back and forward buttons move between sections we pushed.
    // (Browser only: there is no window while rendering on the server.)
    #[cfg(feature = "hydrate")]
    let _ = window_event_listener(leptos::ev::popstate, move |_| {
        if let Some(n) = browser::section_in_url() {
            if (1..=total).contains(&n) {
                missing.set(BTreeSet::new());
                current.set(n);
            }
        }
    });

    // Encodes this section's answers (and the note on the last one) as the plain form would.
    let section_body = move |n: u8, nav: &str| {
        let mut body = format!("nav={nav}");
        let chosen = answers.get_untracked();
        sections.with_value(|all| {
            if let Some(section) = all.iter().find(|s| s.number == n) {
                for item in &section.items {
                    if let Some(v) = chosen.get(&item.id) {
                        body.push_str(&format!("&q_{}={v}", item.id));
                    }
                }
            }
        });
        if n == total {
            body.push_str("&note=");
            body.push_str(&browser::encode(&note.get_untracked()));
        }
        body
    };

    let autosave = move |body: String| {
        let url = section_url(current.get_untracked());
        leptos::task::spawn_local(async move {
            match browser::post_form(&url, body).await {
                Ok(reply) if reply.saved => status.set("Saved.".into()),
                Ok(reply) => status.set(reply.message.unwrap_or_default()),
                Err(_) => status.set("Not saved yet: we'll try again when you continue.".into()),
            }
        });
    };

    let show_section = move |n: u8| {
        missing.set(BTreeSet::new());
        current.set(n);
        browser::push_url(&section_url(n));
        browser::scroll_to_top();
        browser::focus("section-title");
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let n = current.get_untracked();
        let going_back = browser::submitter_value(&ev).as_deref() == Some("back");
        if !going_back {
            let chosen = answers.get_untracked();
            let unanswered: BTreeSet<String> = sections.with_value(|all| {
                all.iter()
                    .find(|s| s.number == n)
                    .map(|s| {
                        s.items
                            .iter()
                            .filter(|i| !chosen.contains_key(&i.id))
                            .map(|i| i.id.clone())
                            .collect()
                    })
                    .unwrap_or_default()
            });
            if let Some(first) = unanswered.iter().next() {
                browser::focus(&format!("q-{first}-1"));
                missing.set(unanswered);
                status.set(SECTION_INCOMPLETE.into());
                return;
            }
        }
        let body = section_body(n, if going_back { "back" } else { "next" });
        let url = section_url(n);
        busy.set(true);
        status.set("Saving…".into());
        leptos::task::spawn_local(async move {
            let reply = browser::post_form(&url, body).await;
            busy.set(false);
            match reply {
                Err(_) => status.set(OFFLINE.into()),
                Ok(reply) if !reply.missing.is_empty() => {
                    // Submitting can find an earlier section incomplete: go there first.
                    let at = reply.next.as_deref().and_then(browser_section);
                    if let Some(m) = at.filter(|m| *m != n && (1..=total).contains(m)) {
                        show_section(m);
                    }
                    missing.set(reply.missing.into_iter().collect());
                    status.set(reply.message.unwrap_or_else(|| SECTION_INCOMPLETE.into()));
                }
                Ok(reply) if !reply.saved => {
                    status.set(reply.message.unwrap_or_else(|| OFFLINE.into()));
                }
                Ok(reply) => {
                    status.set(String::new());
                    let next = reply.next.unwrap_or_default();
                    match browser_section(&next) {
                        Some(m) if (1..=total).contains(&m) => show_section(m),
                        _ => browser::go_to(&next),
                    }
                }
            }
        });
    };

    view! {
        <form
            class="questionnaire"
            method="post"
            action=move || section_url(current.get())
            novalidate
            data-ready=move || ready.get().then_some("true")
            on:submit=on_submit
        >
            {move || {
                let n = current.get();
                let chosen = answers.get_untracked();
                let section = sections
                    .with_value(|all| all.iter().find(|s| s.number == n).cloned());
                section
                    .map(|section| {
                        view! {
                            <SectionFields
                                section=section
                                total=total
                                chosen=chosen
                                scale=scale.get_value()
                                answers=answers
                                missing=missing
                                note=note
                                note_max_chars=note_max_chars
                                on_choice=Callback::new(move |(id, v): (String, u8)| {
                                    autosave(format!("nav=save&q_{id}={v}"));
                                })
                                on_note=Callback::new(move |()| {
                                    autosave(section_body(total, "save"));
                                })
                            />
                        }
                    })
            }}
            <p class="save-status" role="status" aria-live="polite">
                {move || status.get()}
            </p>
        </form>
    }
}

/// The section number in a `…/s/N` URL, if it is one.
fn browser_section(url: &str) -> Option<u8> {
    url.rsplit_once("/s/")?.1.parse().ok()
}

#[component]
fn SectionFields(
    section: SectionView,
    total: u8,
    chosen: BTreeMap<String, u8>,
    scale: Vec<String>,
    answers: RwSignal<BTreeMap<String, u8>>,
    missing: RwSignal<BTreeSet<String>>,
    note: RwSignal<String>,
    note_max_chars: usize,
    on_choice: Callback<(String, u8)>,
    on_note: Callback<()>,
) -> impl IntoView {
    let n = section.number;
    let last = n == total;
    let first_number = 1;
    let questions = section
        .items
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            let saved = chosen.get(&item.id).copied();
            view! {
                <Question
                    number=first_number + index
                    item=item
                    saved=saved
                    scale=scale.clone()
                    answers=answers
                    missing=missing
                    on_choice=on_choice
                />
            }
        })
        .collect_view();
    let note_field = last.then(|| {
        view! {
            <div class="note-field">
                <label for="note">
                    "Anything you would like the practice to know before a consult? (optional)"
                </label>
                <p class="hint" id="note-hint">
                    "Only the practice's clinicians read this. Up to "
                    {note_max_chars}
                    " characters."
                </p>
                <textarea
                    id="note"
                    name="note"
                    rows="5"
                    maxlength=note_max_chars
                    aria-describedby="note-hint"
                    on:input=move |ev| note.set(event_target_value(&ev))
                    on:change=move |_| on_note.run(())
                >
                    {note.get_untracked()}
                </textarea>
            </div>
        }
    });
    view! {
        <div class="progress">
            <p id="progress-label">{format!("Section {n} of {total}")}</p>
            <progress max=total value=n aria-labelledby="progress-label"></progress>
        </div>
        <h1 id="section-title" tabindex="-1">{section.title}</h1>
        <p class="intro">{section.intro}</p>
        <p class="scale-hint">"How much do you agree with each statement? There are no right or wrong answers."</p>
        {questions}
        {note_field}
        <div class="form-nav">
            <button type="submit" name="nav" value="next" class="button primary">
                {if last { "Submit my answers" } else { "Save and continue" }}
            </button>
            {(n > 1)
                .then(|| {
                    view! {
                        <button type="submit" name="nav" value="back" class="button secondary">
                            "Back"
                        </button>
                    }
                })}
        </div>
    }
}

#[component]
fn Question(
    number: usize,
    item: ItemView,
    saved: Option<u8>,
    scale: Vec<String>,
    answers: RwSignal<BTreeMap<String, u8>>,
    missing: RwSignal<BTreeSet<String>>,
    on_choice: Callback<(String, u8)>,
) -> impl IntoView {
    let id = item.id;
    let error_id = format!("err-{id}");
    let is_missing = {
        let id = id.clone();
        Memo::new(move |_| missing.with(|m| m.contains(&id)))
    };
    let choices = scale
        .into_iter()
        .zip(1u8..)
        .map(|(label, v)| {
            let id = id.clone();
            let input_id = format!("q-{id}-{v}");
            view! {
                <label class="choice" for=input_id.clone()>
                    <input
                        type="radio"
                        id=input_id.clone()
                        name=format!("q_{id}")
                        value=v
                        checked=saved == Some(v)
                        on:change=move |_| {
                            answers.update(|a| {
                                a.insert(id.clone(), v);
                            });
                            missing.update(|m| {
                                m.remove(&id);
                            });
                            on_choice.run((id.clone(), v));
                        }
                    />
                    <span>{label}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset
            class="question"
            class:unanswered=move || is_missing.get()
            aria-describedby=move || is_missing.get().then(|| error_id.clone())
        >
            <legend>
                <span class="question-number">{format!("{number}.")}</span>
                " "
                {item.text}
            </legend>
            {move || {
                is_missing
                    .get()
                    .then(|| {
                        view! {
                            <p class="field-error" id=format!("err-{}", id)>
                                {MISSING_MESSAGE}
                            </p>
                        }
                    })
            }}
            <div class="scale">{choices}</div>
        </fieldset>
    }
}
