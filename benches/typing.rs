//! What one keystroke costs the app layer: `cargo bench --bench typing`.
//!
//! An administration's 44-indicator assessment, every indicator answered with a page of evidence
//! (as a worked return holds); then 200 keystrokes typed into one evidence field, each sent as the
//! window sends it (`Command::Text` with the field's whole text) and folded into the snapshot
//! (`Client::poll`), as a frame does. Reported per keystroke, median and mean:
//! - the worker thread's CPU time (its schedstat over all the keystrokes, Linux: mean only);
//! - heap allocations and bytes allocated, in every thread of the process (a counting allocator);
//! - the round trip: send, the worker's answer, the fold into the snapshot.
//!
//! Nothing is asserted: the figures go to BENCHMARKS.md.

use cdf_assess::app::{Client, Command, Mode, Role, Settings, TextField};
use cdf_assess::app::{SessionCmd, SettingsCmd};
use cdf_assess::assessment::{Answer, NewAssessment, ResponseChange};
use cdf_assess::store::Store;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

struct Counting;
static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

// SAFETY: hands every request to the system allocator unchanged; only counts them.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(l.size() as u64, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(n as u64, Ordering::Relaxed);
        unsafe { System.realloc(p, l, n) }
    }
}

#[global_allocator]
static A: Counting = Counting;

/// On-CPU ns of the worker thread (named `cdf-store`), from its schedstat; `None` off Linux.
fn worker_ns() -> Option<u64> {
    for e in std::fs::read_dir("/proc/self/task").ok()? {
        let p = e.ok()?.path();
        if std::fs::read_to_string(p.join("comm")).ok()?.trim() == "cdf-store" {
            let s = std::fs::read_to_string(p.join("schedstat")).ok()?;
            return s.split_whitespace().next()?.parse().ok();
        }
    }
    None
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

const KEYS: usize = 200;

fn main() {
    let mut c = Client::over(Store::open_in_memory(), Mode::Sync);
    let s = Settings { role: Some(Role::Administration), member: Some("FJ".into()), ..c.snapshot().settings.clone() };
    c.send(SettingsCmd::FinishSetup(s));
    c.send(SessionCmd::CreateAssessment(NewAssessment {
        member: "FJ".into(),
        cycle: 2026,
        assessor_name: "Mere Naivalu".into(),
        assessor_role: String::new(),
        language: "en".into(),
    }));
    let session = c.snapshot().session.clone().expect("an open assessment");
    let id = session.id();
    let page = "Training records 2024-2026 held by HR; induction plan signed by the Comptroller. ".repeat(12);
    for r in &session.data.responses {
        c.send(SessionCmd::Change {
            id,
            indicator: r.indicator.clone(),
            change: ResponseChange::Answer(Answer::Level(2)),
        });
        c.send(SessionCmd::Change {
            id,
            indicator: r.indicator.clone(),
            change: ResponseChange::Evidence(page.clone()),
        });
    }
    c.poll();
    let indicator = session.data.responses[5].indicator.clone();
    let mut text = String::new();
    let (mut allocs, mut bytes, mut trip) = (Vec::new(), Vec::new(), Vec::new());
    // The worker's schedstat moves at scheduler ticks: read over all the keystrokes, not each.
    let worker_before = worker_ns();
    for k in 0..KEYS {
        text.push(if k % 6 == 5 { ' ' } else { (b'a' + (k % 26) as u8) as char });
        let (a0, b0, t0) = (ALLOCS.load(Ordering::Relaxed), BYTES.load(Ordering::Relaxed), Instant::now());
        c.send(Command::Text { id, indicator: indicator.clone(), field: TextField::Evidence, text: text.clone() });
        c.poll();
        trip.push(t0.elapsed().as_secs_f64() * 1e6);
        allocs.push((ALLOCS.load(Ordering::Relaxed) - a0) as f64);
        bytes.push((BYTES.load(Ordering::Relaxed) - b0) as f64);
    }
    let worker_cpu = worker_before.zip(worker_ns()).map(|(a, b)| (b - a) as f64 / 1e3 / KEYS as f64);
    let shown = c.snapshot().session.as_ref().unwrap();
    let r = shown.data.responses.iter().find(|r| r.indicator == indicator).unwrap();
    assert_eq!(r.evidence, text, "every keystroke is shown");
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    println!("typing: {KEYS} keystrokes into one evidence field of a 44-indicator assessment (44 pages of evidence)");
    println!("  per keystroke       median      mean");
    if let Some(w) = worker_cpu {
        println!("  worker CPU (µs)          -  {w:>8.1}");
    }
    println!("  allocations       {:>8.0}  {:>8.1}", median(&mut allocs.clone()), mean(&allocs));
    println!("  bytes allocated   {:>8.0}  {:>8.0}", median(&mut bytes.clone()), mean(&bytes));
    println!("  round trip (µs)   {:>8.1}  {:>8.1}", median(&mut trip.clone()), mean(&trip));
}
