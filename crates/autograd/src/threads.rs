//! The one thread pool: every kernel that splits its work (the GEMM, and elementwise maps,
//! reductions and optimiser updates above a size threshold) runs its parts on it.
//!
//! The thread count is one setting: [`set_num_threads`], or else the environment variable
//! `LEARNGRAD_NUM_THREADS`, or else the cores the process may use
//! ([`std::thread::available_parallelism`]). The calling thread runs the first part itself and
//! the pool's `threads − 1` workers the rest; a worker that finds no work spins briefly and
//! then sleeps (rayon's scheduler), so no core is kept busy between steps.
//!
//! ```
//! autograd::set_num_threads(1); // everything on the calling thread
//! assert_eq!(autograd::num_threads(), 1);
//! autograd::set_num_threads(0); // back to the default
//! assert!(autograd::num_threads() >= 1);
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock, RwLock};

/// 0: not set, use the environment or the core count.
static SETTING: AtomicUsize = AtomicUsize::new(0);

/// Sets how many threads the kernels use (1: the calling thread only). 0 returns to the
/// default: `LEARNGRAD_NUM_THREADS` if set, else the cores this process may use. Takes
/// effect at the next kernel call; may be called at any time.
///
/// ```
/// autograd::set_num_threads(2);
/// assert_eq!(autograd::num_threads(), 2);
/// # autograd::set_num_threads(0);
/// ```
pub fn set_num_threads(threads: usize) {
    SETTING.store(threads, Ordering::Relaxed);
}

/// How many threads the kernels use now (see [`set_num_threads`]).
///
/// ```
/// assert!(autograd::num_threads() >= 1);
/// ```
pub fn num_threads() -> usize {
    match SETTING.load(Ordering::Relaxed) {
        0 => default_threads(),
        n => n,
    }
}

/// `LEARNGRAD_NUM_THREADS`, or the cores this process may use; read once. A value that is
/// not a positive whole number is reported on stderr and ignored.
fn default_threads() -> usize {
    static DEFAULT: OnceLock<usize> = OnceLock::new();
    *DEFAULT.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        match std::env::var("LEARNGRAD_NUM_THREADS") {
            Ok(text) => match text.trim().parse::<usize>() {
                Ok(n) if n > 0 => n,
                _ => {
                    eprintln!(
                        "learngrad: LEARNGRAD_NUM_THREADS={text:?} is not a positive whole \
                         number; using {cores} threads"
                    );
                    cores
                }
            },
            Err(_) => cores,
        }
    })
}

/// The pool for `threads` threads (`threads − 1` workers; none for 1), rebuilt when the
/// setting changes. `None` runs everything on the caller (also if the workers cannot be
/// started, which is reported once).
fn pool(threads: usize) -> Option<Arc<rayon::ThreadPool>> {
    static POOL: RwLock<Option<(usize, Arc<rayon::ThreadPool>)>> = RwLock::new(None);
    if threads <= 1 {
        return None;
    }
    if let Some((built, pool)) = &*POOL.read().unwrap_or_else(|e| e.into_inner())
        && *built == threads
    {
        return Some(Arc::clone(pool));
    }
    let mut slot = POOL.write().unwrap_or_else(|e| e.into_inner());
    if let Some((built, pool)) = &*slot
        && *built == threads
    {
        return Some(Arc::clone(pool));
    }
    match rayon::ThreadPoolBuilder::new()
        .num_threads(threads - 1)
        .thread_name(|i| format!("learngrad-{}", i + 1))
        .build()
    {
        Ok(pool) => {
            let pool = Arc::new(pool);
            *slot = Some((threads, Arc::clone(&pool)));
            Some(pool)
        }
        Err(error) => {
            static REPORTED: OnceLock<()> = OnceLock::new();
            REPORTED.get_or_init(|| {
                eprintln!("learngrad: cannot start worker threads ({error}); running on one")
            });
            None
        }
    }
}

/// Runs `part(0)`, …, `part(parts − 1)`, at most [`num_threads`] at once, and returns when all
/// have: the caller runs part 0, the pool's workers the others. A panic in a part is raised
/// here once every part has finished.
pub(crate) fn run_parts(parts: usize, part: impl Fn(usize) + Sync) {
    run_chunks(0..parts, part);
}

/// Runs `f` on every item, the caller on the first, the pool's workers on the others (one
/// item: no worker is woken). Returns when all have run; a panic in one is raised here once
/// every item has finished.
pub(crate) fn run_chunks<I>(items: I, f: impl Fn(I::Item) + Sync)
where
    I: Iterator,
    I::Item: Send,
{
    let mut items = items;
    let Some(first) = items.next() else { return };
    let Some(second) = items.next() else {
        return f(first);
    };
    // (the pool for the setting, whatever the item count: a pool per count would be rebuilt,
    // new threads and all, whenever two kernels split into different numbers of parts)
    match pool(num_threads()) {
        None => [first, second].into_iter().chain(items).for_each(f),
        Some(pool) => pool.in_place_scope(|scope| {
            let f = &f;
            for item in std::iter::once(second).chain(items) {
                scope.spawn(move |_| f(item));
            }
            f(first);
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn every_part_runs_once_and_panics_reach_the_caller() {
        let seen = Mutex::new(Vec::new());
        run_parts(5, |t| seen.lock().unwrap().push(t));
        let mut seen = seen.into_inner().unwrap();
        seen.sort_unstable();
        assert_eq!(seen, vec![0, 1, 2, 3, 4]);
        let caught = std::panic::catch_unwind(|| {
            run_parts(3, |t| assert_ne!(t, 2, "part two fails"));
        });
        assert!(caught.is_err());
    }
}
