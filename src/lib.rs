//! pressroom: a static-site generator for archives of policy commentary.

pub mod import;
