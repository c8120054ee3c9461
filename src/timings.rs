//! Wall time per build phase, printed by `build --timings`.

use std::time::{Duration, Instant};

/// Laps of a stopwatch, one per phase.
pub struct Timings {
    last: Instant,
    pub phases: Vec<(&'static str, Duration)>,
    /// Told the name of each phase as it ends (a progress display).
    observer: Option<Box<dyn FnMut(&'static str)>>,
}

impl Default for Timings {
    fn default() -> Self {
        Timings {
            last: Instant::now(),
            phases: Vec::new(),
            observer: None,
        }
    }
}

impl Timings {
    /// A stopwatch that also tells `observer` each phase that ends.
    pub fn observed(observer: impl FnMut(&'static str) + 'static) -> Timings {
        Timings {
            observer: Some(Box::new(observer)),
            ..Timings::default()
        }
    }

    /// Ends the current phase under `name`.
    pub fn lap(&mut self, name: &'static str) {
        let now = Instant::now();
        self.phases.push((name, now - self.last));
        self.last = now;
        if let Some(observer) = &mut self.observer {
            observer(name);
        }
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
