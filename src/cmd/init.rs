//! `pressroom init [DIR]`: a small site that builds as it is, so a newcomer
//! starts from something that works and changes it a piece at a time. The
//! starter files live in `src/cmd/starter/` and are compiled in.

use super::theme::{report, write_file, write_theme, Written};
use super::{Context, EXIT_OK};
use crate::cli::InitArgs;
use anyhow::{bail, Context as _, Result};
use std::path::{Path, PathBuf};

/// The starter site: path in the new site, text (`{date}` becomes today).
const STARTER: &[(&str, &str)] = &[
    ("site.yaml", include_str!("starter/site.yaml")),
    (".gitignore", include_str!("starter/gitignore")),
    (
        "authors/jordan-lee.yaml",
        include_str!("starter/authors/jordan-lee.yaml"),
    ),
    ("topics/housing.yaml", include_str!("starter/topics/housing.yaml")),
    (
        "articles/starter-homes.md",
        include_str!("starter/articles/starter-homes.md"),
    ),
    (
        "articles/three-fixes.md",
        include_str!("starter/articles/three-fixes.md"),
    ),
];

/// Writes the starter site into the folder, creating it if needed.
pub fn init(args: &InitArgs, cx: &Context) -> Result<i32> {
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let shown = dir.display();
    if dir.exists() && !dir.is_dir() {
        bail!("{shown} is a file, not a folder: give init a new or empty folder");
    }
    let present = entries(&dir)?;
    if !present.is_empty() && !args.force {
        bail!(
            "{shown} is not empty (it holds {}): give init a new or empty folder, or pass --force \
             to add the starter files beside what is there (existing files are kept)",
            list_some(&present)
        );
    }
    let mut written = Written::default();
    let date = cx.today.iso_day();
    for (rel, text) in STARTER {
        write_file(&dir, rel, text.replace("{date}", &date).as_bytes(), &mut written)?;
    }
    if args.theme {
        let theme = write_theme(&dir)?;
        written.created.extend(theme.created);
        written.kept.extend(theme.kept);
    }
    report(&written, cx);
    cx.ui.done(
        "Created",
        &format!("a new site in {shown} ({} files)", written.created.len()),
    );
    if cx.ui.verbosity >= crate::ui::Verbosity::Normal {
        let cd = if dir == Path::new(".") {
            String::new()
        } else {
            format!("cd {} && ", shell_word(&dir))
        };
        eprintln!("Next: {cd}pressroom serve");
    }
    Ok(EXIT_OK)
}

/// `dir` as one word for a POSIX shell: quoted when it holds spaces or
/// other special characters, and never read as an option.
fn shell_word(dir: &Path) -> String {
    let text = dir.to_string_lossy();
    let text = if text.starts_with('-') {
        format!("./{text}")
    } else {
        text.into_owned()
    };
    // Only a NUL cannot be quoted, and no path holds one.
    shlex::try_quote(&text).map_or(text.clone(), |quoted| quoted.into_owned())
}

/// The names in `dir` that make it non-empty (a `.git` alone does not).
fn entries(dir: &Path) -> Result<Vec<String>> {
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("could not read folder {}", dir.display()))? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name != ".git" {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// Up to three names, then how many more.
fn list_some(names: &[String]) -> String {
    let shown = names.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    match names.len() {
        0..=3 => shown,
        n => format!("{shown} and {} more", n - 3),
    }
}

#[cfg(test)]
mod tests {
    use super::shell_word;
    use std::path::Path;

    /// What a POSIX shell reads `word` as.
    fn as_the_shell_reads(word: &str) -> String {
        let out = std::process::Command::new("sh")
            .args(["-c", &format!("printf %s {word}")])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn folders_are_quoted_for_the_shell() {
        assert_eq!(shell_word(Path::new("blog")), "blog");
        assert_eq!(shell_word(Path::new("my site")), "'my site'");
        for name in ["my site", "it's $HOME", "a\"b`c`;d&e", "tab\there", "new\nline"] {
            assert_eq!(as_the_shell_reads(&shell_word(Path::new(name))), name);
        }
        assert_eq!(as_the_shell_reads(&shell_word(Path::new("-site"))), "./-site");
    }
}
