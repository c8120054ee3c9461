use clap::Parser;
use pressroom::cli::Cli;
use pressroom::cmd::{run, EXIT_USAGE};

// Rendering allocates many small strings from several threads; mimalloc
// handles that far better than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
