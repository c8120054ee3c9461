//! Old URLs an article answers to (`aliases:`), in one spelling per output
//! file: `/a/b`, `/a/b/`, `/a//b/index.html` and `/a/%62/` all name the
//! file `a/b/index.html`, so the check that no alias replaces a page or
//! another alias compares like with like.

/// The alias in its one spelling: percent-decoded, single slashes, no
/// final `index.html`, and a final `/` unless its last part names a file
/// (has a `.`): `/2015/old-post/` or `/old.html`. The error says what is wrong.
pub fn normalize_alias(alias: &str) -> Result<String, String> {
    let shape =
        || format!("alias `{alias}` must be a path from the site root such as /2015/03/old-post/, without `..`");
    if !alias.starts_with('/') {
        return Err(shape());
    }
    let decoded = percent_encoding::percent_decode_str(alias)
        .decode_utf8()
        .map_err(|_| format!("alias `{alias}` is not UTF-8 once its %-escapes are decoded"))?;
    if decoded.contains(['\\', '?', '#']) || crate::diag::unfit_for_output(&decoded) {
        return Err(format!(
            "alias `{alias}` names an output file, so it cannot hold `?`, `#`, `\\`, control characters or line separators"
        ));
    }
    let mut parts: Vec<&str> = decoded.split('/').filter(|p| !p.is_empty()).collect();
    if parts.iter().any(|p| *p == "." || *p == "..") {
        return Err(shape());
    }
    let folder = decoded.ends_with('/') || parts.last() == Some(&"index.html");
    if parts.last() == Some(&"index.html") {
        parts.pop();
    }
    let file = !folder && parts.last().is_some_and(|p| p.contains('.'));
    let mut out = format!("/{}", parts.join("/"));
    if !file && !parts.is_empty() {
        out.push('/');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_file_become_one() {
        for same in [
            "/a/b",
            "/a/b/",
            "//a//b/",
            "/a/b/index.html",
            "/a/%62/",
            "/a/%62/index.html",
        ] {
            assert_eq!(normalize_alias(same).unwrap(), "/a/b/", "{same}");
        }
        for home in ["/", "/index.html", "//", "/%69ndex.html"] {
            assert_eq!(normalize_alias(home).unwrap(), "/", "{home}");
        }
        assert_eq!(normalize_alias("/old.html").unwrap(), "/old.html");
        assert_eq!(normalize_alias("/v1.2/").unwrap(), "/v1.2/");
        assert_eq!(normalize_alias("/caf%C3%A9").unwrap(), "/café/");
    }

    #[test]
    fn paths_that_are_no_file_are_refused() {
        for bad in [
            "a/b",
            "/a/../b",
            "/a/%2e%2e/b",
            "/a/./b",
            "/a?b=1",
            "/a#b",
            "/a%5Cb",
            "/a%0Ab",
            "/a%E2%80%A8b",
            "/a%E2%80%A9b",
            "/%FF",
        ] {
            assert!(normalize_alias(bad).is_err(), "{bad}");
        }
    }
}
