//! Frame times of the heaviest pages, drawn headless through egui_kittest: `cargo bench --bench frames`.
//!
//! For each page: 20 warm-up frames, then 200 measured frames. Each frame is timed in CPU time of
//! the thread that draws it (the bench's main thread), in two parts:
//! - `frame`: one `Harness::step`, i.e. egui's pass over `CdfApp::ui_root` (layout, painting into
//!   shapes) plus kittest's update of its AccessKit tree (which the window only builds when a
//!   screen reader asks for it);
//! - `tessellate`: `Context::tessellate` of that frame's shapes into meshes, as eframe does before
//!   it hands them to the GPU. GPU upload and rendering are not measured (no renderer here).
//!
//! The budget (issue: "median CPU per frame < 4 ms") is checked on `frame + tessellate`.
//!
//! That nothing in a frame touches the store is checked, over the measured frames, by: no event
//! at all from the worker (a waker that counts them replaces the window's; every command is
//! answered by at least `Done`), the worker thread's on-CPU time unchanged, `client.busy()` false
//! after every frame, the page unchanged, and the database files' size and mtime unchanged.
//!
//! The database of 10,000 returns takes a while to build; it is kept under the system's temporary
//! folder (see [`CACHE_KEY`]) and reused by later runs.

use cdf_assess::app::{Client, Mode, Role, Settings};
use cdf_assess::app::{SecCmd, SessionCmd, SettingsCmd};
use cdf_assess::assessment::{Answer, Commitment, NewAssessment, ResponseChange};
use cdf_assess::lang::Lang;
use cdf_assess::secretariat::import;
use cdf_assess::store::{Store, StoreError};
use cdf_assess::ui::{CdfApp, Page};
use egui_kittest::Harness;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

const WARMUP: usize = 20;
const FRAMES: usize = 200;
/// The budget for the median frame, in µs.
const BUDGET_US: f64 = 4000.0;

/// 5 seeds x 87 cycles (2000..=2086) x 23 members, one revision each: 10,005 return files
/// received (seed 1 counts; the other seeds are other keys and second assessments, held as
/// conflicts), current cycle 2086 with 23 members.
const SEEDS: u64 = 5;
const LAST_CYCLE: i32 = 2086;
const CYCLES: u32 = 87;
const BIG: usize = SEEDS as usize * CYCLES as usize * 23;
/// Names the cached database: change it when the data above or the demo generator change.
const CACHE_KEY: &str = "v2-5x87x23-signed";

// ---------------------------------------------------------------------------------------------
// Clocks

/// CPU time of the calling thread, in ns.
///
/// `/proc/thread-self/schedstat` (first field) is only brought up to date at scheduler ticks and
/// context switches, so a running thread reads it up to a tick (1-4 ms) stale: useless for one
/// frame. `clock_gettime(CLOCK_THREAD_CPUTIME_ID)` brings it up to date; it is called straight
/// from the C library std already links (no new dependency). schedstat is still read over the
/// whole run of frames, as a cross-check, and for the worker thread.
#[cfg(target_os = "linux")]
fn thread_cpu_ns() -> u64 {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut ts = Timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec (64-bit Linux layout) for the call's duration.
    let rc = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// Elsewhere: wall time (the figures are then wall-clock, not CPU).
#[cfg(not(target_os = "linux"))]
fn thread_cpu_ns() -> u64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_nanos() as u64
}

/// On-CPU ns of a thread from its schedstat (first field); `None` off Linux.
fn schedstat_ns(path: &str) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.split_whitespace().next()?.parse().ok()
}

/// The thread id of the (one) worker thread alive, by its name.
fn worker_tid() -> Option<String> {
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc/self/task").ok()?.flatten() {
        let comm = std::fs::read_to_string(e.path().join("comm")).unwrap_or_default();
        if comm.trim() == "cdf-store" {
            found.push(e.file_name().to_string_lossy().to_string());
        }
    }
    if found.len() == 1 { found.pop() } else { None }
}

// ---------------------------------------------------------------------------------------------
// Apps

fn harness(app: CdfApp) -> Harness<'static, CdfApp> {
    Harness::builder().with_size(egui::vec2(1366.0, 768.0)).build_ui_state(|ui, app: &mut CdfApp| app.ui_root(ui), app)
}

/// The app over a store, in English; each command is handled before `send` returns.
fn app_over(store: Result<Store, StoreError>) -> CdfApp {
    let mut app = CdfApp::new(Client::over(store, Mode::Sync));
    let s = Settings { lang: Lang::En, ..app.snapshot().settings.clone() };
    app.send(SettingsCmd::Save(s));
    app
}

fn setup(app: &mut CdfApp, role: Role, member: Option<&str>) {
    let s = Settings { role: Some(role), member: member.map(String::from), ..app.snapshot().settings.clone() };
    app.send(SettingsCmd::FinishSetup(s));
}

/// (a) An administration's Results page of a fully answered assessment (as `filled()` in the tests).
fn results_app() -> CdfApp {
    let mut app = app_over(Store::open_in_memory());
    setup(&mut app, Role::Administration, Some("FJ"));
    app.send(SessionCmd::CreateAssessment(NewAssessment {
        member: "FJ".into(),
        cycle: chrono::Datelike::year(&chrono::Local::now()),
        assessor_name: "Mere Naivalu".into(),
        assessor_role: String::new(),
        language: "en".into(),
    }));
    let n = app.session().expect("an open assessment").data.responses.len();
    for i in 0..n {
        let a = match i {
            5 => Answer::NotApplicable,
            7 | 20 => Answer::Insufficient,
            _ => Answer::Level(((i * 7) % 5) as u8),
        };
        for change in [ResponseChange::Answer(a), ResponseChange::Commitment(Some(Commitment::ALL[i % 3]))] {
            let s = app.session().expect("open");
            let (id, indicator) = (s.id(), s.data.responses[i].indicator.clone());
            app.send(SessionCmd::Change { id, indicator, change });
        }
    }
    app.go(Page::Results);
    app
}

/// A Secretariat over `store`, on `page`. A database already set up for the Secretariat is not
/// set up again (that would consolidate everything a second time).
fn secretariat_app(store: Result<Store, StoreError>, page: Page) -> CdfApp {
    let mut app = app_over(store);
    if app.snapshot().settings.role != Some(Role::Secretariat) {
        setup(&mut app, Role::Secretariat, None);
    }
    app.go(page);
    app
}

/// (b) 23 returns of one cycle, in memory.
fn small_store() -> Store {
    let mut store = Store::open_in_memory().expect("store");
    for f in cdf_assess::demo::generate(7, 2026, 1, 1) {
        import::import_bytes(&mut store, &f.file_name, &f.bytes, &[]).expect("import");
    }
    store
}

fn big_db_path() -> PathBuf {
    std::env::temp_dir().join(format!("cdf-assess-bench-frames-{CACHE_KEY}.sqlite3"))
}

fn held_files(path: &Path) -> Option<usize> {
    Store::open(path).ok()?.received_files().ok().map(|f| f.len())
}

/// The database of [`BIG`] returns: reused if present and complete, else built (and kept).
fn big_db() -> PathBuf {
    let path = big_db_path();
    if path.exists() {
        match held_files(&path) {
            Some(n) if n == BIG => {
                println!("10k database: reusing {} ({n} received files)", path.display());
                return path;
            }
            n => println!("10k database: {} holds {n:?} files, not {BIG}: building it again", path.display()),
        }
    }
    let start = Instant::now();
    let building = path.with_extension(format!("building-{}", std::process::id()));
    let side = |p: &Path, ext: &str| PathBuf::from(format!("{}{ext}", p.display()));
    for p in [&building, &side(&building, "-wal"), &side(&building, "-shm"), &side(&building, ".lock")] {
        let _ = std::fs::remove_file(p);
    }
    let (mut generating, mut importing) = (Duration::ZERO, Duration::ZERO);
    {
        let mut store = Store::open(&building).expect("open the database being built");
        for seed in 1..=SEEDS {
            let t = Instant::now();
            let files = cdf_assess::demo::generate(seed, LAST_CYCLE, CYCLES, 1);
            generating += t.elapsed();
            let t = Instant::now();
            for f in &files {
                let r = import::import_bytes(&mut store, &f.file_name, &f.bytes, &[]).expect("import");
                // Seeds 2-5 sign with other keys and are second assessments of the same member and
                // cycle: held as conflicts for a person, but received and stored all the same.
                assert_ne!(r.outcome, import::Outcome::Rejected, "{}", f.file_name);
            }
            importing += t.elapsed();
        }
    } // closing the store checkpoints the WAL into the file
    for p in [&path, &side(&path, "-wal"), &side(&path, "-shm")] {
        let _ = std::fs::remove_file(p);
    }
    std::fs::rename(&building, &path).expect("keep the database");
    let _ = std::fs::remove_file(side(&building, ".lock"));
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "10k database: built {} in {:.1} s (generating {:.1} s, importing {:.1} s; {BIG} files, {} MB)",
        path.display(),
        start.elapsed().as_secs_f64(),
        generating.as_secs_f64(),
        importing.as_secs_f64(),
        size / 1_000_000
    );
    path
}

// ---------------------------------------------------------------------------------------------
// Measuring

/// Size and modification time of the database and its WAL.
fn file_stamps(db: Option<&Path>) -> Vec<(PathBuf, Option<(u64, SystemTime)>)> {
    let Some(db) = db else { return Vec::new() };
    ["", "-wal"]
        .iter()
        .map(|ext| {
            let p = PathBuf::from(format!("{}{ext}", db.display()));
            let m = std::fs::metadata(&p).ok().and_then(|m| Some((m.len(), m.modified().ok()?)));
            (p, m)
        })
        .collect()
}

struct Stats {
    median: f64,
    p90: f64,
    max: f64,
}

/// Median, 90th percentile and maximum, in µs.
fn stats(ns: &[u64]) -> Stats {
    let mut v: Vec<f64> = ns.iter().map(|n| *n as f64 / 1000.0).collect();
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    Stats { median: at(0.5), p90: at(0.9), max: v[v.len() - 1] }
}

struct Measured {
    name: String,
    total: Stats,
}

fn measure(name: &str, setup_time: Duration, h: &mut Harness<'static, CdfApp>, db: Option<&Path>) -> Measured {
    let page = h.state().page;
    for _ in 0..WARMUP {
        h.step();
    }
    assert!(!h.state().client.busy(), "{name}: the worker is still busy after warm-up");
    // Every event the worker sends from now on is counted (every command gets at least `Done`).
    let events = Arc::new(AtomicUsize::new(0));
    let counter = events.clone();
    h.state().client.set_waker(move || {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    let worker = worker_tid().map(|tid| format!("/proc/self/task/{tid}/schedstat"));
    let worker_before = worker.as_deref().and_then(schedstat_ns);
    let stamps_before = file_stamps(db);
    let sched_before = schedstat_ns("/proc/thread-self/schedstat");
    let wall = Instant::now();

    let (mut frame, mut tess, mut total) = (Vec::new(), Vec::new(), Vec::new());
    let (mut primitives, mut vertices) = (0, 0);
    for i in 0..FRAMES {
        let c0 = thread_cpu_ns();
        h.step();
        let c1 = thread_cpu_ns();
        let (shapes, ppp) = (h.output().shapes.clone(), h.output().pixels_per_point);
        let c2 = thread_cpu_ns();
        let meshes = h.ctx.tessellate(shapes, ppp);
        let c3 = thread_cpu_ns();
        primitives = meshes.len();
        vertices = meshes
            .iter()
            .map(|p| match &p.primitive {
                egui::epaint::Primitive::Mesh(m) => m.vertices.len(),
                egui::epaint::Primitive::Callback(_) => 0,
            })
            .sum::<usize>();
        drop(std::hint::black_box(meshes));
        frame.push(c1 - c0);
        tess.push(c3 - c2);
        total.push(c1 - c0 + c3 - c2);
        let st = h.state();
        assert!(!st.client.busy(), "{name}: frame {i} left work for the worker");
        assert_eq!(st.page, page, "{name}: frame {i} changed the page");
    }

    let wall = wall.elapsed();
    let sched = sched_before.zip(schedstat_ns("/proc/thread-self/schedstat")).map(|(a, b)| b - a);

    // The same frames on the same context with AccessKit off, as the window draws them when no
    // assistive technology asks for the tree (kittest's `step` insists on it, so this goes
    // around the harness).
    let ctx = h.ctx.clone();
    let input = h.input().clone();
    ctx.disable_accesskit();
    let mut bare = Vec::new();
    for i in 0..FRAMES {
        let app = h.state_mut();
        let c0 = thread_cpu_ns();
        let out = ctx.run_ui(input.clone(), |ui| app.ui_root(ui));
        let c1 = thread_cpu_ns();
        drop(std::hint::black_box(out));
        bare.push(c1 - c0);
        assert!(!app.client.busy(), "{name}: bare frame {i} left work for the worker");
        assert_eq!(app.page, page, "{name}: bare frame {i} changed the page");
    }
    ctx.enable_accesskit();
    h.step();
    // An event sent in the last frame would reach the waker right after `Done`.
    std::thread::sleep(Duration::from_millis(50));
    let worker_cpu = worker_before.zip(worker.as_deref().and_then(schedstat_ns)).map(|(a, b)| b - a);
    let events = events.load(Ordering::Relaxed);
    let stamps_after = file_stamps(db);

    let (f, t, s, b) = (stats(&frame), stats(&tess), stats(&total), stats(&bare));
    println!();
    println!("== {name} ==");
    println!(
        "setup (app, commands, worker answers) {:.2} s; {WARMUP} warm-up frames, then {FRAMES} measured in {:.2} s wall; last frame: {primitives} clipped meshes, {vertices} vertices",
        setup_time.as_secs_f64(),
        wall.as_secs_f64(),
    );
    println!("{:<46} {:>7} {:>11} {:>11} {:>11}", "CPU per frame (µs)", "frames", "median", "p90", "max");
    for (label, x) in [
        ("frame: kittest step (egui pass + AccessKit)", &f),
        ("tessellate (shapes to meshes)", &t),
        ("frame + tessellate", &s),
        ("egui pass alone, AccessKit off (no kittest)", &b),
    ] {
        println!("{label:<46} {FRAMES:>7} {:>11.0} {:>11.0} {:>11.0}", x.median, x.p90, x.max);
    }
    if let Some(sched) = sched {
        let sum: u64 = total.iter().sum();
        println!(
            "cross-check, schedstat over all {FRAMES} frames: mean {:.0} µs/frame (the timed parts: mean {:.0} µs)",
            sched as f64 / FRAMES as f64 / 1000.0,
            sum as f64 / FRAMES as f64 / 1000.0
        );
    }
    let verdict = if s.median < BUDGET_US { "yes" } else { "NO" };
    println!("median frame + tessellate < 4 ms: {verdict}");
    let files = match db {
        None => "in-memory database".to_string(),
        Some(_) if stamps_before == stamps_after => {
            let (len, _) = stamps_after.first().and_then(|s| s.1).unwrap_or((0, SystemTime::UNIX_EPOCH));
            format!("database file size ({} MB) and mtime unchanged, WAL too", len / 1_000_000)
        }
        Some(_) => format!("database files CHANGED: {stamps_before:?} -> {stamps_after:?}"),
    };
    let worker_cpu = worker_cpu.map(|n| format!("{} µs", n / 1000)).unwrap_or_else(|| "n/a".into());
    println!(
        "store untouched: {events} worker events, worker thread CPU {worker_cpu}, never busy after a frame, page kept; {files}"
    );
    assert_eq!(events, 0, "{name}: the worker answered something during the measured frames");
    assert!(stamps_before == stamps_after, "{name}: the database files changed during the measured frames");
    Measured { name: name.to_string(), total: s }
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let x = f();
    (x, t.elapsed())
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this with no such flag: do a
    // quick smoke run there instead of the whole thing.
    if !std::env::args().any(|a| a == "--bench") {
        println!("frames: run with `cargo bench --bench frames`");
        return;
    }
    println!("frames: {FRAMES} measured frames per page at 1366x768, after {WARMUP} warm-up; CPU time of this thread");
    let mut out = Vec::new();

    let (mut h, t) = timed(|| harness(results_app()));
    let gaps = h.state().session().map_or(0, |s| s.gaps.len());
    out.push(measure(&format!("(a) Results, administration, fully answered, {gaps} gaps"), t, &mut h, None));
    drop(h);

    let (mut h, t) = timed(|| harness(secretariat_app(Ok(small_store()), Page::Dashboard)));
    let n = h.state().snapshot().sec.received.len();
    out.push(measure(&format!("(b) Dashboard, Secretariat, {n} returns"), t, &mut h, None));
    drop(h);

    // (c), (d) and (e) share one app: its worker's start-up over 10,000 returns is slow (see
    // the setup time printed), and switching pages sends nothing to the worker.
    let db = big_db();
    let (mut h, t) = timed(|| harness(secretariat_app(Store::open(&db), Page::Dashboard)));
    let n = h.state().snapshot().sec.received.len();
    let cycle = h.state().snapshot().sec.cycle.unwrap_or_default();
    out.push(measure(&format!("(c) Dashboard, Secretariat, {n} returns (cycle {cycle})"), t, &mut h, Some(&db)));

    let (_, t) = timed(|| h.state_mut().go(Page::Import));
    out.push(measure(&format!("(d) Import, Secretariat, history of {n} received files"), t, &mut h, Some(&db)));

    let (_, t) = timed(|| {
        let app = h.state_mut();
        app.send(SecCmd::OpenMember("FJ".into()));
        assert_eq!(app.page, Page::Results, "the member's return opens on Results");
        assert!(app.session().is_some_and(|s| s.previous.is_some()), "with a previous cycle");
    });
    let gaps = h.state().session().map_or(0, |s| s.gaps.len());
    let name = format!("(e) Results, Secretariat, FJ's return, {gaps} gaps, previous cycle (10k db)");
    out.push(measure(&name, t, &mut h, Some(&db)));
    drop(h);

    println!();
    println!("== Summary: CPU per frame, frame + tessellate (µs) ==");
    println!("{:<72} {:>7} {:>8} {:>8} {:>8}  < 4 ms", "page", "frames", "median", "p90", "max");
    for o in &out {
        let ok = if o.total.median < BUDGET_US { "yes" } else { "NO" };
        println!("{:<72} {FRAMES:>7} {:>8.0} {:>8.0} {:>8.0}  {ok}", o.name, o.total.median, o.total.p90, o.total.max);
    }
}
