use clap::Parser;
use pressroom::cli::Cli;
use pressroom::cmd::{run, Context, EXIT_USAGE};
use pressroom::content::Date;
use pressroom::ui::Ui;

// Rendering allocates many small strings from several threads; mimalloc
// handles that far better than the system allocator. Built without
// transparent huge pages (`no_thp`): the kernel zeroed 2 MiB at every first
// touch, and again after each purge, which cost about a third of the
// build's system time (docs/performance.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // Before any thread starts: the local offset is only readable then.
    let offset = time::UtcOffset::current_local_offset().unwrap_or(time::UtcOffset::UTC);
    let cli = Cli::parse();
    let ui = Ui::from_args(&cli.global);
    let cx = Context {
        ui,
        today: Date::today_at(offset),
    };
    let code = match run(cli, &cx) {
        Ok(code) => code,
        Err(e) => {
            ui.error(&format!("{e:#}"));
            EXIT_USAGE
        }
    };
    std::process::exit(code);
}
