//! Wall time per build phase, printed by `build --timings`.

use std::time::{Duration, Instant};

/// Laps of a stopwatch, one per phase.
pub struct Timings {
    last: Instant,
    pub phases: Vec<(&'static str, Duration)>,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            last: Instant::now(),
            phases: Vec::new(),
        }
    }
}

impl Timings {
    /// Ends the current phase under `name`.
    pub fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.phases.push((name, now - self.last));
        self.last = now;
    }

    /// The table printed by `--timings`.
    pub fn report(&self) -> String {
        let total: Duration = self.phases.iter().map(|(_, d)| *d).sum();
        let mut out = String::new();
        for (name, d) in &self.phases {
            out.push_str(&format!("{name:>10}  {:>8.1} ms\n", d.as_secs_f64() * 1000.0));
        }
        out.push_str(&format!("{:>10}  {:>8.1} ms\n", "total", total.as_secs_f64() * 1000.0));
        out
    }
}
