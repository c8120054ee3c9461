//! What the commands tell the person at the terminal, in one place: how
//! much (`--quiet`, `--verbose`) and in what colour (`--color`, `NO_COLOR`).
//! Messages are written with ANSI styles through `anstream`, which drops
//! the styles when colour is off or standard error is not a terminal, so
//! logs and tests see plain text.

use crate::cli::{ColorWhen, GlobalArgs};
use crate::diag::{Diagnostics, Format};
use anstyle::{AnsiColor, Style};
use std::io::IsTerminal;

/// How much the commands print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// Problems only.
    Quiet,
    /// Problems, the summary and notes.
    Normal,
    /// Also each phase and each file skipped or written.
    Verbose,
}

/// Style of `error:`.
pub const ERROR: Style = AnsiColor::Red.on_default().bold();
/// Style of `warning:`.
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
/// Style of the first word of a summary line (`Built`, `Created`).
pub const DONE: Style = AnsiColor::Green.on_default().bold();
/// Style of `note:`.
pub const NOTE: Style = AnsiColor::Cyan.on_default().bold();

/// The terminal as the commands see it.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    pub verbosity: Verbosity,
}

impl Ui {
    /// Reads the global options and sets the colour choice for the process.
    pub fn from_args(args: &GlobalArgs) -> Ui {
        let choice = match args.color {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        };
        choice.write_global();
        let verbosity = if args.quiet {
            Verbosity::Quiet
        } else if args.verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        };
        Ui { verbosity }
    }

    /// A terminal that prints the usual amount; for tests and library use.
    pub fn normal() -> Ui {
        Ui {
            verbosity: Verbosity::Normal,
        }
    }

    /// Prints every problem and the `N errors, M warnings` line, always;
    /// an error if standard output cannot be written.
    pub fn problems(&self, diagnostics: &Diagnostics, format: Format) -> anyhow::Result<()> {
        use anyhow::Context as _;
        crate::diag::print::try_print(diagnostics, format).context("could not write to standard output")
    }

    /// `error: message`, always.
    pub fn error(&self, message: &str) {
        anstream::eprintln!("{ERROR}error:{ERROR:#} {message}");
    }

    /// `warning: message`, always (warnings are problems).
    pub fn warning(&self, message: &str) {
        anstream::eprintln!("{WARNING}warning:{WARNING:#} {message}");
    }

    /// `note: message`, unless quiet.
    pub fn note(&self, message: &str) {
        if self.verbosity >= Verbosity::Normal {
            anstream::eprintln!("{NOTE}note:{NOTE:#} {message}");
        }
    }

    /// A summary line with its first word styled, unless quiet.
    pub fn done(&self, word: &str, rest: &str) {
        if self.verbosity >= Verbosity::Normal {
            anstream::eprintln!("{DONE}{word}{DONE:#} {rest}");
        }
    }

    /// A line printed only with `--verbose`.
    pub fn detail(&self, message: &str) {
        if self.verbosity >= Verbosity::Verbose {
            anstream::eprintln!("{message}");
        }
    }

    /// Is a progress display wanted: not quiet, and standard error a terminal
    /// (never in CI logs or pipes)?
    pub fn wants_progress(&self) -> bool {
        self.verbosity >= Verbosity::Normal && std::io::stderr().is_terminal()
    }
}
