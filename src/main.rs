use clap::Parser;
use pressroom::cli::Cli;
use pressroom::cmd::{run, EXIT_USAGE};

fn main() {
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            EXIT_USAGE
        }
    };
    std::process::exit(code);
}
