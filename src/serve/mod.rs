//! `pressroom serve`: the site rendered to memory, served over HTTP on a
//! loopback address, rebuilt file by file as it is edited, and reloaded in
//! the browser through server-sent events.

mod change;
mod fingerprint;
mod output;
mod preview;
mod rebuild;

pub use change::{classify, ChangeKind};
pub use output::Output;
pub use preview::{Preview, PreviewOptions, Update};
