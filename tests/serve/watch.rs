//! What the preview watches: every folder a build reads, from the one list
//! the build cache scans too.

use super::http::Served;
use crate::common::write;

/// `i18n/` was read by every build but not watched by `serve`, so an edit
/// to a theme string showed only once something else changed.
#[test]
fn an_edit_to_theme_strings_reaches_the_preview() {
    let site = Served::start_with("full", &[], |root| {
        write(&root.join("i18n/en.yaml"), b"related: More on this\n");
    });
    let mut events = site.events();
    assert_eq!(events.next().0, "ok");
    let page = "/articles/zoning-reform/";
    assert!(site.get(page).body.contains("More on this"));
    site.replace("i18n/en.yaml", "More on this", "Further reading");
    let changed = events.until("reload");
    assert!(changed.contains("articles/zoning-reform/index.html"), "{changed}");
    let body = site.get(page).body;
    assert!(body.contains("Further reading") && !body.contains("More on this"));
}
