//! Integration tests: the `pressroom` binary run as a user runs it.

mod bad_input;
mod cache;
mod cache_outputs;
mod cache_search;
mod cache_store;
mod cli;
mod common;
mod content_rules;
mod conventions;
mod deploy_examples;
mod diagnostics;
mod fixture_site;
mod fuzz_inputs;
mod import;
mod import_built;
mod links;
mod manifest;
mod messages;
mod newcomer;
mod output;
mod output_kill;
mod output_rights;
mod reader;
mod serve;
mod spare;
mod theme;
