//! The stable code of every kind of problem pressroom reports. A code names
//! the kind, not the wording: CI rules, editors' notes and
//! docs/diagnostics.md refer to it, so a code is never renamed or reused.

use std::fmt;

macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal,)*) => {
        /// The kind of a problem, printed as its stable name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code (each has its section in docs/diagnostics.md).
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable name, such as `broken-cross-reference`.
            pub fn name(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }
        }
    };
}

codes! {
    /// A file could not be read.
    UnreadableFile = "unreadable-file",
    /// A file is not valid UTF-8.
    NotUtf8 = "not-utf8",
    /// A file starts with a byte-order mark.
    ByteOrderMark = "byte-order-mark",
    /// An invisible control character in a file's text or in a YAML value.
    ControlCharacter = "control-character",
    /// A file name that is not UTF-8 or holds a `\\`.
    UnusableFileName = "unusable-file-name",
    /// A symbolic link in the site, which is skipped.
    SymbolicLink = "symbolic-link",
    /// An article, author or topic file is empty.
    EmptyFile = "empty-file",
    /// An article does not start with `---`.
    MissingFrontMatter = "missing-front-matter",
    /// Front matter is opened but never closed.
    UnclosedFrontMatter = "unclosed-front-matter",
    /// YAML that does not parse, or a value of the wrong type.
    InvalidYaml = "invalid-yaml",
    /// A key pressroom does not know (often a typo).
    UnknownKey = "unknown-key",
    /// A required key is missing.
    MissingKey = "missing-key",
    /// A `slug:` with characters other than `a-z`, `0-9` and `-`.
    InvalidSlug = "invalid-slug",
    /// A file name with no letters or digits to make a slug from.
    EmptySlug = "empty-slug",
    /// Two articles, authors or topics with the same slug.
    DuplicateSlug = "duplicate-slug",
    /// An article's slug was taken, so its URL got the date added.
    SlugTaken = "slug-taken",
    /// An explicit `slug:` that would take an older article's URL.
    SlugTakesUrl = "slug-takes-url",
    /// A `canonical:` that is not an absolute http(s) URL.
    InvalidCanonical = "invalid-canonical",
    /// An alias that is not a path from the site root.
    InvalidAlias = "invalid-alias",
    /// An alias that would overwrite a page or another alias.
    AliasConflict = "alias-conflict",
    /// A file in `static/` at the path of a generated page.
    StaticConflict = "static-conflict",
    /// An image without alt text.
    MissingAltText = "missing-alt-text",
    /// A local image path that is missing from `static/` or leaves the site.
    BadImagePath = "bad-image-path",
    /// An author slug with no file under `authors/`.
    UnknownAuthor = "unknown-author",
    /// A topic name with no letters or digits.
    InvalidTopic = "invalid-topic",
    /// A link to an article or heading that does not exist.
    BrokenCrossReference = "broken-cross-reference",
    /// An author link with a scheme a sanitized site does not allow.
    UnsafeLink = "unsafe-link",
    /// A footnote defined but never cited.
    UnusedFootnote = "unused-footnote",
    /// A file changed while the build read it.
    FileChanged = "file-changed",
    /// No `base_url` in `site.yaml`, so absolute links point at localhost.
    MissingBaseUrl = "missing-base-url",
    /// A base URL that is not an absolute http(s) URL.
    InvalidBaseUrl = "invalid-base-url",
    /// A `site.yaml` setting with a value it cannot take.
    InvalidSetting = "invalid-setting",
    /// A template that does not compile.
    TemplateSyntax = "template-syntax",
    /// A template or macro that uses itself, directly or through others.
    TemplateRecursion = "template-recursion",
    /// A template that fails while a page is rendered.
    TemplateRender = "template-render",
    /// No theme strings for the site's language.
    MissingThemeStrings = "missing-theme-strings",
    /// A theme string in `i18n/` that is unknown or has the wrong form.
    InvalidThemeString = "invalid-theme-string",
    /// `diff`: a path that is no manifest and no output folder with one.
    MissingManifest = "missing-manifest",
    /// `diff`: a manifest that does not parse or has an unknown format.
    InvalidManifest = "invalid-manifest",
    /// `build`: the cache is damaged, cut short or not a cache; it is ignored.
    UnusableCache = "unusable-cache",
    /// An import source with no posts.
    ImportNoPosts = "import-no-posts",
    /// Import: front matter needed repair.
    ImportFrontMatter = "import-front-matter",
    /// Import: a date was odd or missing.
    ImportDate = "import-date",
    /// Import: HTML entities or tags in a title or summary were decoded.
    ImportEntities = "import-entities",
    /// Import: an article without a byline got the fallback author.
    ImportFallbackAuthor = "import-fallback-author",
    /// Import: a byline named nobody known, so an author file was made.
    ImportAuthorCreated = "import-author-created",
    /// Import: a slug was invalid or taken and was changed.
    ImportSlug = "import-slug",
    /// Import: an image could not be found in the source.
    ImportImage = "import-image",
    /// Import: a link to another post could not be resolved.
    ImportUnresolvedLink = "import-unresolved-link",
    /// Import: a link's `#anchor` did not resolve and was dropped.
    ImportAnchorDropped = "import-anchor-dropped",
    /// Import: a shortcode or Liquid tag was removed.
    ImportRemoved = "import-removed",
    /// Import: a shortcode or Liquid tag was converted approximately.
    ImportConverted = "import-converted",
    /// Import: a draft or expired post was imported as a draft.
    ImportDraft = "import-draft",
    /// Import: something about the whole site was guessed.
    ImportSite = "import-site",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    /// Every code has its own section in docs/diagnostics.md, with an
    /// example and the fix, so a user can look up any code printed.
    #[test]
    fn every_code_is_documented() {
        let docs = include_str!("../../docs/diagnostics.md");
        for code in Code::ALL {
            let heading = format!("\n### `{}`\n", code.name());
            let start = docs
                .find(&heading)
                .unwrap_or_else(|| panic!("{} is not in docs/diagnostics.md", code.name()));
            let section = &docs[start + heading.len()..];
            let section = &section[..section.find("\n### ").unwrap_or(section.len())];
            assert!(section.contains("```"), "{}: no example", code.name());
            assert!(section.contains("Fix:"), "{}: no fix", code.name());
        }
    }

    #[test]
    fn names_are_unique_and_kebab_case() {
        let mut names: Vec<&str> = Code::ALL.iter().map(|c| c.name()).collect();
        assert!(names.iter().all(|n| n
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len());
    }
}
