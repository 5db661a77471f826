//! The support panel every client sees on the private check-in, the summary and the next step,
//! whatever they answered (so its presence says nothing about anyone): the emergency number,
//! lines for domestic violence, sexual assault and crisis, and a word about safer devices. The
//! lines come from `domain::support` (`PRACTICE_COUNTRY` or the practice's own file). Links are
//! `tel:`, `sms:` or the service's own site: nothing is loaded from another site.

use leptos::prelude::*;

use crate::domain::support::{
    Resources, SupportKind, SupportLine, PANEL_HEADING, PANEL_INTRO, SAFER_DEVICE,
};

fn line_view(line: SupportLine) -> impl IntoView {
    let phone = line
        .phone_href()
        .zip(line.phone.clone())
        .map(|(href, number)| {
            view! { <a href=href>{format!("Call {number}")}</a> }
        });
    let text = line
        .text_href()
        .zip(line.text_instruction())
        .map(|(href, said)| view! { <a href=href>{said}</a> });
    let site = line
        .website_href()
        .zip(line.website.clone())
        .map(|(href, shown)| {
            view! { <a href=href rel="noreferrer">{shown}</a> }
        });
    let ways = [
        phone.map(IntoAny::into_any),
        text.map(IntoAny::into_any),
        site.map(IntoAny::into_any),
    ]
    .into_iter()
    .flatten()
    .map(|link| view! { <span class="support-way">{link}</span> })
    .collect_view();
    view! {
        <li>
            <strong>{line.name.clone()}</strong>
            {line.serves.clone().map(|s| view! { <span class="support-serves">{format!(" ({s})")}</span> })}
            <span class="support-ways">{ways}</span>
            {line.availability().map(|a| view! { <span class="support-when">{a}</span> })}
            {line.note.clone().map(|n| view! { <span class="support-note">{n}</span> })}
        </li>
    }
}

#[component]
pub fn SupportPanel(resources: Resources) -> impl IntoView {
    let groups = SupportKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let lines: Vec<SupportLine> = resources.lines_for(kind).cloned().collect();
            (!lines.is_empty()).then(|| {
                view! {
                    <div class="support-group">
                        <h3>{kind.label()}</h3>
                        <p class="hint">{kind.description()}</p>
                        <ul class="support-lines">
                            {lines.into_iter().map(line_view).collect_view()}
                        </ul>
                    </div>
                }
            })
        })
        .collect_view();
    view! {
        <aside class="card support-panel" aria-labelledby="support-heading">
            <h2 id="support-heading">{PANEL_HEADING}</h2>
            <p>{PANEL_INTRO}</p>
            <p class="support-emergency"><strong>{resources.emergency_sentence()}</strong></p>
            {groups}
            <p class="hint">{SAFER_DEVICE}</p>
        </aside>
    }
}

/// The footer's short version: the emergency sentence, then the first domestic-violence line and
/// the first crisis line, each with its quickest way to reach it, and who it is for when that
/// is narrower than everyone. A first line for some people only ("Women") brings the next
/// ones for others ("Men"), so nobody reads that there is no line for them.
pub fn footer_lines(resources: &Resources) -> Vec<String> {
    let mut lines = vec![resources.emergency_sentence()];
    for kind in [SupportKind::DomesticViolence, SupportKind::Crisis] {
        let mut of_kind = resources.lines_for(kind).peekable();
        let narrow = of_kind.peek().is_some_and(|l| l.serves.is_some());
        let shown: Vec<_> = if narrow {
            of_kind.take_while(|l| l.serves.is_some()).take(3).collect()
        } else {
            of_kind.take(1).collect()
        };
        for line in shown {
            let reach = line
                .phone
                .clone()
                .or_else(|| line.text_instruction())
                .or_else(|| line.website.clone());
            if let Some(reach) = reach {
                // Who it is for, when narrower than everyone: a women's line is not for all.
                let name = match &line.serves {
                    Some(serves) => format!("{} ({serves})", line.name),
                    None => line.name.clone(),
                };
                lines.push(format!("{name}: {reach}."));
            }
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::support::Country;

    #[test]
    fn the_footer_says_who_a_line_is_for_and_leaves_nobody_out() {
        let gb = footer_lines(&Resources::preset(Country::Gb));
        assert_eq!(gb[0], "If you are in danger now, call 999.");
        assert!(gb[1].starts_with("National Domestic Abuse Helpline (Women): 0808 2000 247"));
        assert!(
            gb[2].starts_with("Men's Advice Line (Men): 0808 801 0327"),
            "{gb:?}"
        );
        // A line for everyone comes alone.
        let us = footer_lines(&Resources::preset(Country::Us));
        assert_eq!(us.len(), 3, "{us:?}");
        assert!(!us[1].contains('('), "{us:?}");
    }
}
