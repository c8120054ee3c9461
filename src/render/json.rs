//! Long texts as JSON strings (search excerpts, feed bodies): escaped
//! sixteen bytes at a time where serde_json looks at each byte, with the
//! same output. At 10,000 articles these are about 130 MB of text, and
//! escaping it byte by byte was about 4% of a build's instructions.

use serde_json::value::RawValue;

/// `text` as a JSON string, escaped exactly as serde_json escapes it, to
/// put in a serialized value as is.
pub(super) fn json_str(text: &str) -> Box<RawValue> {
    // serde_json checks the quoted text again, at memory speed; a quoted,
    // escaped string always passes.
    RawValue::from_string(quote(text)).expect("an escaped string in quotes is JSON")
}

/// Whether serde_json escapes byte `b`.
#[inline]
fn escaped(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// `text` in quotes, escaped as serde_json does: `"` and `\` with a
/// backslash, the usual control characters by letter, the others as
/// `\u00xx`.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16 + 2);
    push_quoted(&mut out, text);
    out
}

/// Appends `text` in quotes, escaped as [`json_str`] escapes it.
pub(super) fn push_quoted(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    out.reserve(text.len() + text.len() / 16 + 2);
    out.push('"');
    let mut copied = 0;
    for (n, run) in bytes.chunks(16).enumerate() {
        // No early exit inside the run, so the check is vectorized.
        if !run.iter().fold(false, |any, &b| any | escaped(b)) {
            continue;
        }
        for (i, &b) in (n * 16..).zip(run).filter(|(_, &b)| escaped(b)) {
            // Only ASCII bytes are escaped, so both ends are character boundaries.
            out.push_str(&text[copied..i]);
            match b {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                b'\n' => out.push_str("\\n"),
                b'\r' => out.push_str("\\r"),
                b'\t' => out.push_str("\\t"),
                0x08 => out.push_str("\\b"),
                0x0c => out.push_str("\\f"),
                _ => {
                    out.push_str("\\u00");
                    out.push(char::from(HEX[usize::from(b >> 4)]));
                    out.push(char::from(HEX[usize::from(b & 0xf)]));
                }
            }
            copied = i + 1;
        }
    }
    out.push_str(&text[copied..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_serde_json_does() {
        let every_ascii: String = (0u8..0x80).map(char::from).collect();
        let long = "plain text of some length, ".repeat(5);
        let texts = [
            String::new(),
            every_ascii.clone(),
            format!("{long}\"{long}\\{long}\n"),
            format!("{long}é—ü日本\u{2028}\u{7f}{every_ascii}{long}"),
            "a\"b".into(),
            format!("{}\u{1}", "x".repeat(15)),
            format!("{}\u{1f}", "x".repeat(16)),
            format!("{}\"", "ß".repeat(40)),
        ];
        for text in texts {
            let expected = serde_json::to_string(&text).unwrap();
            assert_eq!(quote(&text), expected, "{text:?}");
            assert_eq!(json_str(&text).get(), expected);
        }
    }
}
