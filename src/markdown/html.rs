//! An article's rendered HTML, held in memory or read when first asked
//! for. The build cache keeps every article's HTML on disk and hands the
//! engine a handle per article: only what shows a body (its pages, the
//! search index) reads it, so a build after one edit reads one article's
//! HTML, not the archive's.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

/// Where HTML kept elsewhere is read from.
pub trait HtmlSource: Send + Sync {
    /// The HTML, or none when it cannot be read whole (the source notes why).
    fn load(&self) -> Option<String>;
    /// The hash the HTML is stored under.
    fn key(&self) -> u128;
}

/// HTML text, possibly not read yet.
#[derive(Default)]
pub struct Html {
    text: OnceLock<String>,
    source: Option<Arc<dyn HtmlSource>>,
}

impl Html {
    /// HTML read on first use from `source`; empty if it cannot be read.
    pub fn stored(source: Arc<dyn HtmlSource>) -> Html {
        Html {
            text: OnceLock::new(),
            source: Some(source),
        }
    }

    /// The text, reading it if it was not yet.
    pub fn as_str(&self) -> &str {
        self.text
            .get_or_init(|| self.source.as_ref().and_then(|s| s.load()).unwrap_or_default())
    }

    /// The source it is read from, if it was stored.
    pub fn source(&self) -> Option<&Arc<dyn HtmlSource>> {
        self.source.as_ref()
    }

    /// The text if it is in memory, without reading it.
    pub fn loaded(&self) -> Option<&str> {
        self.text.get().map(String::as_str)
    }
}

impl From<String> for Html {
    fn from(text: String) -> Html {
        Html {
            text: OnceLock::from(text),
            source: None,
        }
    }
}

impl Deref for Html {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl Clone for Html {
    fn clone(&self) -> Html {
        Html {
            text: self.text.clone(),
            source: self.source.clone(),
        }
    }
}

/// Hashes as the text does (`String`'s hash), so a value keyed by HTML
/// does not depend on where it is held.
impl Hash for Html {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Html {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Html {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
