//! Phase timings for profiling a build: with `SITPRESS_TIMINGS=1` in the environment, each
//! [`phase`] call prints to stderr how long it has been since the previous one. Costs one
//! relaxed atomic load when off.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Instant;

/// 0: not yet known, 1: off, 2: on.
static STATE: AtomicU8 = AtomicU8::new(0);
static LAST: Mutex<Option<Instant>> = Mutex::new(None);

fn on() -> bool {
    match STATE.load(Ordering::Relaxed) {
        0 => {
            let on = std::env::var_os("SITPRESS_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0");
            STATE.store(if on { 2 } else { 1 }, Ordering::Relaxed);
            on
        }
        s => s == 2,
    }
}

/// Marks the end of phase `name`.
pub fn phase(name: &str) {
    if !on() {
        return;
    }
    let now = Instant::now();
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(t) = *last {
        eprintln!("{:>8.1} ms  {name}", (now - t).as_secs_f64() * 1000.0);
    }
    *last = Some(now);
}
