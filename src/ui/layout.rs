//! The HTML document around every page: head, header, footer.

use leptos::config::LeptosOptions;
use leptos::hydration::HydrationScripts;
use leptos::prelude::*;

/// What every page's chrome needs to know.
#[derive(Clone, Debug)]
pub struct PageMeta {
    /// The tab title. Kept neutral: a glance at the tab should not say "trust problems".
    pub title: String,
    pub practice_name: String,
    /// Load the browser bundle. Only pages with an island pay for it.
    pub interactive: bool,
    /// Where "Quick exit" goes: a neutral site. `None` on workspace pages.
    pub quick_exit: Option<String>,
    /// The footer's support lines (emergency number first), the same on every page.
    pub support: Vec<String>,
}

/// The whole HTML document. `options` locates the browser bundle.
#[component]
pub fn Document(options: LeptosOptions, meta: PageMeta, children: Children) -> impl IntoView {
    let css = format!("/{}/{}.css", options.site_pkg_dir, options.output_name);
    let scripts = meta
        .interactive
        .then(|| view! { <HydrationScripts options=options islands=true /> });
    // A real link, so it works without JavaScript; with it, the enhancer also replaces this
    // page in the history so Back does not return here.
    let quick_exit = meta.quick_exit.clone().map(|href| {
        view! {
            <a class="quick-exit" href=href rel="noreferrer" aria-describedby="quick-exit-note">
                "Quick exit"
            </a>
        }
    });
    let support = meta.support.clone();
    let quick_exit_note = meta.quick_exit.is_some().then(|| {
        view! {
            <p id="quick-exit-note">
                "Quick exit opens a neutral website at once. It cannot erase this site from your "
                "browser history; a private or incognito window leaves less behind."
            </p>
        }
    });
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="referrer" content="no-referrer" />
                <meta name="robots" content="noindex, nofollow" />
                <title>{format!("{} · {}", meta.title, meta.practice_name)}</title>
                // No favicon request, so no 404 in the logs for every page.
                <link rel="icon" href="data:," />
                <link rel="stylesheet" href=css />
                {scripts}
            </head>
            <body>
                <a class="skip-link" href="#main">"Skip to content"</a>
                <header class="site-header">
                    <a class="practice-name" href="/">{meta.practice_name.clone()}</a>
                    {quick_exit}
                </header>
                <main id="main" tabindex="-1">{children()}</main>
                <footer class="site-footer">
                    {quick_exit_note}
                    <p class="footer-support">
                        {support.into_iter().map(|line| view! { <span>{line}" "</span> }).collect_view()}
                    </p>
                    <p>
                        "This site loads nothing from other websites and uses no trackers. "
                        <a href="/contact">"Contact the practice"</a>
                    </p>
                </footer>
            </body>
        </html>
    }
}
