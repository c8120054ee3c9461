//! `pressroom serve`: incremental rebuilds compared with clean builds, and
//! the server as a browser sees it.

mod every_edit;
mod exact;
mod hardening;
mod http;
mod watch;
