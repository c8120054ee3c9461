//! `pressroom diff OLD NEW`: which output files a deploy must upload and
//! which it must delete, from the manifests two builds wrote.

use super::{write_stdout, Context, EXIT_CONTENT, EXIT_OK};
use crate::cli::{DiffArgs, DiffFormat};
use crate::diag::{Diagnostics, Format};
use crate::output::manifest::{compare, Change, Manifest};
use anyhow::Result;

/// Prints the paths that differ between the two builds; exit status 1
/// when either manifest is missing or cannot be read.
pub fn diff(args: &DiffArgs, cx: &Context) -> Result<i32> {
    let old = if args.allow_missing_old && args.old.symlink_metadata().is_err() {
        Ok(Manifest::default())
    } else {
        Manifest::load(&args.old, "OLD")
    };
    let new = Manifest::load(&args.new, "NEW");
    let (old, new) = match (old, new) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            let mut problems = Diagnostics::default();
            problems.extend(old.err());
            problems.extend(new.err());
            cx.ui.problems(&problems, Format::or_default(None))?;
            return Ok(EXIT_CONTENT);
        }
    };
    let changes = compare(&old, &new);
    let text = match args.format {
        DiffFormat::Plain => plain(&changes),
        DiffFormat::Json => json(&changes),
    };
    write_stdout(text.as_bytes())?;
    Ok(EXIT_OK)
}

/// One line per path: `+ path`, `~ path` or `- path`.
fn plain(changes: &[(Change, &str)]) -> String {
    changes
        .iter()
        .map(|(c, path)| format!("{} {path}\n", c.sign()))
        .collect()
}

/// `{"added":[...],"changed":[...],"removed":[...]}` on one line.
fn json(changes: &[(Change, &str)]) -> String {
    let of = |kind: Change| -> Vec<&str> { changes.iter().filter(|c| c.0 == kind).map(|c| c.1).collect() };
    let value = serde_json::json!({
        "added": of(Change::Added),
        "changed": of(Change::Changed),
        "removed": of(Change::Removed),
    });
    format!("{value}\n")
}
