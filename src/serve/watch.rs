//! Watching the site folder. Events are gathered until the folder has
//! been quiet for a moment, so a save made of several steps (a temporary
//! file renamed over the original, or the original moved to a backup and
//! a new file written) arrives as one batch of paths.

use crate::content::INPUT_FOLDERS;
use anyhow::{Context, Result};
use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecursiveMode, Watcher as _};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// A batch ends once no event came for this long...
const QUIET: Duration = Duration::from_millis(10);
/// ...or once it is this old, during a long stream of events.
const LONGEST: Duration = Duration::from_millis(300);

/// Changed paths under a site folder, in batches.
pub(super) struct Watcher {
    root: PathBuf,
    watcher: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    watched: BTreeSet<&'static str>,
}

impl Watcher {
    /// Watches `site.yaml` and the source folders of `root`.
    pub(super) fn start(root: &Path) -> Result<Watcher> {
        let root = std::fs::canonicalize(root).with_context(|| format!("could not open {}", root.display()))?;
        let (tx, events) = channel();
        let mut watcher = notify::recommended_watcher(tx).context("could not start watching files")?;
        watcher
            .watch(&root, RecursiveMode::NonRecursive)
            .with_context(|| format!("could not watch {}", root.display()))?;
        let mut w = Watcher {
            root,
            watcher,
            events,
            watched: BTreeSet::new(),
        };
        w.watch_new_dirs();
        Ok(w)
    }

    /// Input folders (the build's own list, watched with everything under
    /// them) that exist and are not watched yet get watched (a site may
    /// create `topics/` while it is served).
    fn watch_new_dirs(&mut self) {
        for dir in INPUT_FOLDERS {
            let path = self.root.join(dir);
            if !self.watched.contains(dir)
                && path.is_dir()
                && self.watcher.watch(&path, RecursiveMode::Recursive).is_ok()
            {
                self.watched.insert(dir);
            }
        }
    }

    /// Waits for the next batch of changed paths, relative to the root.
    pub(super) fn next_batch(&mut self) -> Result<Vec<PathBuf>> {
        let mut paths = BTreeSet::new();
        let first = self.events.recv().context("the file watcher stopped")?;
        self.collect(first, &mut paths);
        let start = Instant::now();
        while start.elapsed() < LONGEST {
            match self.events.recv_timeout(QUIET) {
                Ok(event) => self.collect(event, &mut paths),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => anyhow::bail!("the file watcher stopped"),
            }
        }
        self.watch_new_dirs();
        Ok(paths.into_iter().collect())
    }

    fn collect(&self, event: notify::Result<notify::Event>, paths: &mut BTreeSet<PathBuf>) {
        let Ok(event) = event else { return };
        // Reading a file is not a change (and the rebuild reads files).
        if matches!(event.kind, EventKind::Access(a) if a != AccessKind::Close(AccessMode::Write)) {
            return;
        }
        for path in event.paths {
            if let Ok(rel) = path.strip_prefix(&self.root) {
                paths.insert(rel.to_path_buf());
            }
        }
    }
}
