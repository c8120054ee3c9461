//! A progress bar for long builds, on a terminal only. It stays hidden for
//! the first second, so a quick build prints just its summary, and it is
//! never drawn when standard error is not a terminal (CI logs, pipes).

use crate::output::Writer;
use crate::ui::Ui;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::Path;
use std::time::Duration;

/// How long a build runs before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

/// The bar of one build; does nothing when no bar is wanted.
#[derive(Clone)]
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Starts timing; the bar shows itself after a second if `ui` wants one.
    pub fn start(ui: &Ui) -> Progress {
        if !ui.wants_progress() {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(style("{spinner} {msg} ({elapsed})"));
        bar.set_message("loading");
        let shown = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(DELAY);
            if !shown.is_finished() {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                shown.enable_steady_tick(Duration::from_millis(100));
            }
        });
        Progress { bar: Some(bar) }
    }

    /// Names the phase that starts now, after the phase `ended`.
    pub fn phase_ended(&self, ended: &str) {
        let next = match ended {
            "load" => "reading templates",
            "templates" => "indexing",
            "index" => "rendering Markdown",
            "markdown" => "linking",
            "link" => "writing",
            _ => return,
        };
        if let Some(bar) = &self.bar {
            bar.set_message(next);
        }
    }

    /// Counts `files` files to write from now on.
    pub fn expect_files(&self, files: usize) {
        if let Some(bar) = &self.bar {
            bar.set_style(style("{spinner} {msg} {wide_bar} {pos}/{len} files"));
            bar.set_length(files as u64);
            bar.set_position(0);
        }
    }

    /// A writer that counts each file written on the bar.
    pub fn counting<'a>(&'a self, inner: &'a dyn Writer) -> Counting<'a> {
        Counting { inner, progress: self }
    }

    /// Runs `print` with the bar out of the way, so lines never mix with it.
    pub fn suspend(&self, print: impl FnOnce()) {
        match &self.bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    /// Removes the bar before the summary is printed.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_spinner())
}

/// A `Writer` that moves the bar on by one for each file.
pub struct Counting<'a> {
    inner: &'a dyn Writer,
    progress: &'a Progress,
}

impl Writer for Counting<'_> {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.inner.write(path, bytes)?;
        if let Some(bar) = &self.progress.bar {
            bar.inc(1);
        }
        Ok(())
    }

    fn expect_more(&self, files: usize) {
        if let Some(bar) = &self.progress.bar {
            bar.inc_length(files as u64);
        }
    }

    fn copy(&self, from: &Path, path: &str) -> Result<()> {
        self.inner.copy(from, path)?;
        if let Some(bar) = &self.progress.bar {
            bar.inc(1);
        }
        Ok(())
    }

    fn keep(&self, path: &str, entry: crate::output::manifest::Entry) -> Result<bool> {
        let kept = self.inner.keep(path, entry)?;
        if let (true, Some(bar)) = (kept, &self.progress.bar) {
            bar.inc(1);
        }
        Ok(kept)
    }
}
