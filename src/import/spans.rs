//! Where the parts of a Markdown link are written: pulldown-cmark gives a
//! link's whole range, the link pass needs its destination's.

use std::ops::Range;

/// A destination as Markdown needs it written: in `<...>` when it has spaces or parentheses.
pub fn wrap_dest(dest: &str) -> String {
    if dest.contains([' ', '(', ')', '<']) {
        format!("<{}>", dest.replace('>', "%3E").replace('<', "%3C"))
    } else {
        dest.to_string()
    }
}

/// Where `dest` is written inside `range` (a reference definition).
pub fn find_in(text: &str, range: Range<usize>, dest: &str) -> Option<Range<usize>> {
    let slice = &text[range.clone()];
    let colon = slice.find("]:")? + 2;
    let rest = &slice[colon..];
    let lead = rest.len() - rest.trim_start().len();
    let start = range.start + colon + lead;
    let token = dest_token_len(&text[start..range.end]);
    let _ = dest;
    Some(start..start + token)
}

fn dest_token_len(text: &str) -> usize {
    if text.starts_with('<') {
        return text.find('>').map_or(text.len(), |i| i + 1);
    }
    let mut depth = 0i32;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return i,
            ')' => depth -= 1,
            c if c.is_whitespace() => return i,
            _ => {}
        }
    }
    text.len()
}

/// Where the destination of an inline link `[text](dest "title")` is.
pub fn inline_dest_span(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let slice = &text[range.clone()];
    if !slice.ends_with(')') {
        return None;
    }
    for (i, _) in slice.rmatch_indices("](") {
        let inside = &slice[i + 2..slice.len() - 1];
        let lead = inside.len() - inside.trim_start().len();
        let rest = &inside[lead..];
        let len = dest_token_len(rest);
        let after = rest[len..].trim();
        if after.is_empty() || after.starts_with(['"', '\'', '(']) {
            let start = range.start + i + 2 + lead;
            return Some(start..start + len);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_destinations() {
        let text = "see [a [b]](/x/(y) \"t\") and [![i](/img.png)](/z/)";
        let first = text.find("[a").unwrap();
        let end = text.find(") and").unwrap() + 1;
        assert_eq!(&text[inline_dest_span(text, first..end).unwrap()], "/x/(y)");
        let start = text.find("[![").unwrap();
        assert_eq!(&text[inline_dest_span(text, start..text.len()).unwrap()], "/z/");
    }
}
