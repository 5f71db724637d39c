//! The run's memory budget, shared by every worker (issue 16).
//!
//! Each file's budget of size and work bounds what one file may cost, but
//! eight workers each reading a file at its bounds would multiply that by
//! eight. So a worker reserves what its file may cost before it reads it
//! (an estimate from the file's size, and for a Word file the sizes its
//! parts inflate to), and waits while the other workers' files hold the
//! rest. A real report costs a few MB and never waits; hostile files at
//! their bounds are read one or two at a time.
//!
//! A reservation never deadlocks: one larger than the whole budget is cut
//! to the budget, and a worker that reserves more while it holds a
//! reservation (a Word file, once its parts' sizes are known) gives back
//! what it holds while it waits, so a waiting worker holds nothing.

use std::cell::Cell;
use std::sync::{Condvar, Mutex};

/// Bytes the files being read may hold at once, all workers together: with
/// the outputs, the sums and the program itself, the run stays under
/// 400 MB whatever the files and the number of threads.
pub const RUN_BYTES: usize = 192 << 20;

/// What the files being read hold, and the workers waiting for it to fall.
static USED: Mutex<usize> = Mutex::new(0);
static FREED: Condvar = Condvar::new();

thread_local! {
    /// What this thread's reservations hold.
    static HELD: Cell<usize> = const { Cell::new(0) };
}

/// A reservation: given back when dropped.
#[must_use = "the reservation is given back when dropped"]
#[derive(Debug)]
pub struct Reservation {
    bytes: usize,
}

impl Reservation {
    /// The bytes reserved (cut to what the budget can hold).
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

/// Reserve `bytes` of the run's budget, waiting until the other workers'
/// files leave room for it.
pub fn reserve(bytes: usize) -> Reservation {
    return_large_blocks();
    let held = HELD.get();
    let bytes = bytes.min(RUN_BYTES.saturating_sub(held));
    let mut used = USED.lock().unwrap_or_else(|e| e.into_inner());
    // While waiting, this thread holds nothing: another worker is never
    // kept waiting for a worker that waits.
    if held > 0 {
        *used -= held;
        FREED.notify_all();
    }
    while *used > 0 && *used + held + bytes > RUN_BYTES {
        used = FREED.wait(used).unwrap_or_else(|e| e.into_inner());
    }
    *used += held + bytes;
    HELD.set(held + bytes);
    Reservation { bytes }
}

/// Make glibc's malloc give large blocks back to the system when they are
/// freed. By default it raises its threshold for doing so to the largest
/// block freed (up to 32 MB), and from then on keeps such blocks in the
/// freeing thread's arena: eight workers that each read a PDF holding 56 MB
/// of 8 MB streams, one after another as the budget has them, kept 390 MB
/// between them (92 MB with the threshold fixed at 1 MB). A block of 1 MB
/// or more is then mapped for itself; a report's are a few KB.
fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        // SAFETY: mallopt only sets a malloc parameter; called once.
        ONCE.call_once(|| unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        });
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let mut used = USED.lock().unwrap_or_else(|e| e.into_inner());
        *used -= self.bytes;
        HELD.set(HELD.get() - self.bytes);
        FREED.notify_all();
    }
}

/// What the budget holds now (for tests).
pub fn used() -> usize {
    *USED.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

    #[test]
    fn workers_wait_for_room_and_never_hold_more_than_the_budget() {
        let peak = AtomicUsize::new(0);
        let now = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    for _ in 0..20 {
                        // A file's estimate, then (a Word file) its parts.
                        let outer = reserve(RUN_BYTES / 3);
                        let inner = reserve(RUN_BYTES / 2);
                        let mine = outer.bytes() + inner.bytes();
                        let n = now.fetch_add(mine, SeqCst) + mine;
                        peak.fetch_max(n, SeqCst);
                        std::thread::yield_now();
                        now.fetch_sub(mine, SeqCst);
                        drop(inner);
                        drop(outer);
                    }
                    // More than the whole budget is cut to it, not waited for forever.
                    assert_eq!(reserve(RUN_BYTES * 4).bytes(), RUN_BYTES);
                });
            }
        });
        assert!(peak.load(SeqCst) <= RUN_BYTES, "{} > {RUN_BYTES}", peak.load(SeqCst));
        assert_eq!(HELD.get(), 0);
    }
}
