//! `serve --open`: hand the preview's address to the system's opener
//! (`xdg-open`, `open`, `start`), found on `PATH` like any command, so a
//! test can put a fake one there instead of starting a browser.

use std::process::{Command, Stdio};

/// Asks the system to open `url`; says so when it cannot, never fails.
pub(super) fn open_in_browser(url: &str) {
    let mut command = opener(url);
    command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    match command.spawn() {
        Ok(mut child) => {
            // Reaped in the background so no zombie stays behind.
            std::thread::spawn(move || child.wait());
        }
        Err(e) => eprintln!(
            "warning: could not open a browser ({}: {e}); open {url} yourself",
            command.get_program().to_string_lossy()
        ),
    }
}

fn opener(url: &str) -> Command {
    if cfg!(target_os = "macos") {
        let mut c = Command::new("open");
        c.arg(url);
        c
    } else if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", "", url]);
        c
    } else {
        let mut c = Command::new("xdg-open");
        c.arg(url);
        c
    }
}
