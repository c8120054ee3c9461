//! The bookkeeping behind the connection cap of `serve`: which open
//! connections may be closed to make room for a new one, and how many
//! connection threads are still alive. A connection is closed for a newcomer
//! only while it waits on its client (for a request, or for the client to
//! read a response), never while the server works on its request, so a full
//! house of clients that send nothing, or that send requests and never read
//! the answers, cannot lock a browser out.

use std::collections::HashMap;
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// What an open connection is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    /// Waiting for its (next) request.
    Waiting,
    /// Its request is being answered.
    Busy,
    /// Writing a response, at the pace the client reads it.
    Writing,
}

/// The open connections, what each is doing and since when.
#[derive(Default)]
pub(super) struct Open {
    slots: Mutex<HashMap<u64, Slot>>,
    next: AtomicU64,
}

struct Slot {
    state: State,
    since: Instant,
    /// A handle to close it with.
    stream: TcpStream,
}

impl Slot {
    /// How readily it is closed for a newcomer (lower first); `None`: never.
    fn eviction_rank(&self) -> Option<(u8, Instant)> {
        match self.state {
            State::Waiting => Some((0, self.since)),
            State::Writing => Some((1, self.since)),
            State::Busy => None,
        }
    }
}

impl Open {
    /// A slot for a new connection. When all `max` are taken, one is closed
    /// for it: the one waiting longest for a request, else the one writing a
    /// response longest. `None` if every one is busy.
    pub(super) fn admit(&self, stream: &TcpStream, max: usize) -> Option<u64> {
        let handle = stream.try_clone().ok()?;
        let mut slots = self.lock();
        if slots.len() >= max {
            let (_, victim) = slots
                .iter()
                .filter_map(|(id, slot)| Some((slot.eviction_rank()?, *id)))
                .min()?;
            if let Some(slot) = slots.remove(&victim) {
                // Also wakes its thread if it is blocked writing.
                let _ = slot.stream.shutdown(Shutdown::Both);
            }
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let slot = Slot {
            state: State::Waiting,
            since: Instant::now(),
            stream: handle,
        };
        slots.insert(id, slot);
        Some(id)
    }

    /// Records what a connection does from now on.
    pub(super) fn set(&self, id: u64, state: State) {
        if let Some(slot) = self.lock().get_mut(&id) {
            slot.state = state;
            slot.since = Instant::now();
        }
    }

    pub(super) fn release(&self, id: u64) {
        self.lock().remove(&id);
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<u64, Slot>> {
        self.slots.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Connection threads alive, counting those of connections already closed
/// that have not ended yet, so the total stays bounded under churn.
#[derive(Default)]
pub(super) struct Threads {
    alive: Mutex<usize>,
    ended: Condvar,
}

impl Threads {
    /// Counts a new thread; if `cap` are alive, waits up to `wait` for one
    /// to end. `false`: none did.
    pub(super) fn start(&self, cap: usize, wait: Duration) -> bool {
        let alive = self.alive.lock().unwrap_or_else(|e| e.into_inner());
        let (mut alive, _) = self
            .ended
            .wait_timeout_while(alive, wait, |n| *n >= cap)
            .unwrap_or_else(|e| e.into_inner());
        if *alive >= cap {
            return false;
        }
        *alive += 1;
        true
    }

    pub(super) fn end(&self) {
        let mut alive = self.alive.lock().unwrap_or_else(|e| e.into_inner());
        *alive = alive.saturating_sub(1);
        self.ended.notify_one();
    }
}

/// Ends a thread's count however the thread ends.
pub(super) struct ThreadGuard<'a>(pub(super) &'a Threads);

impl Drop for ThreadGuard<'_> {
    fn drop(&mut self) {
        self.0.end();
    }
}
