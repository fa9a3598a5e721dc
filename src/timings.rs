//! Phase timings for profiling a build: with `SITPRESS_TIMINGS=1` in the environment, each
//! [`phase`] call prints to stderr the wall time and the process's CPU time (all threads, from
//! `/proc/self/stat` where there is one) since the previous call, and the resident memory at
//! the end of the phase with its peak so far (`/proc/self/status`). CPU time is the steadier
//! figure on a busy machine. Costs one relaxed atomic load when off.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Instant;

/// 0: not yet known, 1: off, 2: on.
static STATE: AtomicU8 = AtomicU8::new(0);
static LAST: Mutex<Option<(Instant, Option<f64>)>> = Mutex::new(None);

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

/// User + system CPU seconds of the process so far (Linux), in clock ticks of 10 ms.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces; the fields after it are plain numbers.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split(' ').skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((user + system) / 100.0)
}

/// Resident memory now and at its peak so far, in MiB (Linux).
fn memory_mib() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib = |key: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(key))?;
        line[key.len()..].trim().trim_end_matches("kB").trim().parse().ok()
    };
    Some((kib("VmRSS:")? / 1024, kib("VmHWM:")? / 1024))
}

/// Marks the end of phase `name`.
pub fn phase(name: &str) {
    if !on() {
        return;
    }
    let now = (Instant::now(), cpu_seconds());
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((t, cpu)) = *last {
        let wall = (now.0 - t).as_secs_f64() * 1000.0;
        let cpu = match (cpu, now.1) {
            (Some(a), Some(b)) => format!(" {:>7.0} ms cpu", (b - a) * 1000.0),
            _ => String::new(),
        };
        let memory = memory_mib().map_or(String::new(), |(rss, peak)| format!(" {rss:>6} MiB rss ({peak} peak)"));
        eprintln!("{wall:>8.1} ms wall{cpu}{memory}  {name}");
    }
    *last = Some(now);
}

/// Reports work that ran beside the phases, on other threads (the search index is made while
/// the views are built): its wall time from `since`, without CPU or memory figures, which
/// are the whole process's.
pub fn beside(name: &str, since: Instant) {
    if on() {
        eprintln!("{:>8.1} ms wall (beside)  {name}", since.elapsed().as_secs_f64() * 1000.0);
    }
}
