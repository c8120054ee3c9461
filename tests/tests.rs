//! Integration tests: the `pressroom` binary run as a user runs it.

mod bad_input;
mod cli;
mod common;
mod fixture_site;
mod fuzz_inputs;
mod import;
mod links;
mod output;
mod output_kill;
mod serve;
