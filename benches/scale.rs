//! The Secretariat at scale (issue 12): `cargo bench --bench scale`.
//!
//! A corpus of 10,005 signed demo returns (87 cycles 2000..=2086 x 23 members x 5 chained
//! revisions, `demo-data --cycles 87 --last-cycle 2086 --revisions 5 --revised 100`) is generated
//! once into the system's temporary folder (named after the version and [`CORPUS_KEY`]) and reused.
//! Each figure is measured against an anchor in the same run, the two in turn (A B A B …), and
//! printed as min / median / max of each and of the ratio A/B pair by pair:
//!
//! - import of the 10,005 files into a new database (`import_many`, as the `import` command) vs a
//!   raw-insert anchor written here: rusqlite inserting the same rows (assessment, profile,
//!   responses) and the same file bytes into the same schema in one transaction, with the rows
//!   parsed beforehand (no parsing, no signature or digest check, no decision, no scoring);
//! - re-import of the same files (all "already imported") vs `verify` of the same files (read and
//!   check each file, as the `verify` command);
//! - reopening the database of 10,005 vs one of 23 returns;
//! - consolidation of the latest cycle (register, scores, M&E, trends) over 10,005 vs 23 returns,
//!   and the trend alone from the stored scores vs by scoring every counting revision again (as
//!   before the scores were stored);
//! - each report (`cdf-assess report`, a whole process: open, consolidate, render, write) over
//!   10,005 vs 23 returns;
//! - the window's first painted frame (`CDF_EXIT_AFTER_FIRST_FRAME=1`, the time from starting
//!   the process to the line the window prints once its first frame is on screen), Secretariat
//!   over 10,005 and over 23 returns, vs a bare eframe window doing the same (this bench binary
//!   with `CDF_BENCH_BARE_WINDOW=1`). Needs `Xvfb` (display :95, started and stopped here unless
//!   one is already running there);
//! - peak memory (`/usr/bin/time -v`, maximum resident set) of `cdf-assess import` of the 10,005
//!   files into a new database vs the bare window.

use cdf_assess::app::{Client, Mode, Role, Settings};
use cdf_assess::assessment::ImportedRevision;
use cdf_assess::lang::Lang;
use cdf_assess::secretariat::{consolidate, import};
use cdf_assess::store::Store;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SEED: u64 = 2017;
const LAST_CYCLE: i32 = 2086;
const CYCLES: u32 = 87;
const REVISIONS: u32 = 5;
/// Names the cached corpus: change it when the numbers above or the demo generator change.
const CORPUS_KEY: &str = "c1-87x23x5";
const DISPLAY: &str = ":95";

/// `CDF_BENCH_ONLY=window,memory` measures only those parts (import, reimport, reopen,
/// consolidate, programme, reports, window, memory); the database is still built.
fn wanted(part: &str) -> bool {
    std::env::var("CDF_BENCH_ONLY").map_or(true, |v| v.split(',').any(|p| p.trim() == part))
}

fn main() {
    if std::env::var_os("CDF_BENCH_BARE_WINDOW").is_some() {
        bare_window();
        return;
    }
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_cdf-assess"));
    let cache = std::env::temp_dir().join(format!("cdf-assess-scale-{}-{CORPUS_KEY}", env!("CARGO_PKG_VERSION")));
    let work = cache.join("runs");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("work folder");
    println!("cdf-assess {} — the Secretariat at scale; {} cores", env!("CARGO_PKG_VERSION"), cores());

    let big_files =
        corpus(&cache.join("returns"), || cdf_assess::demo::generate_revised(SEED, LAST_CYCLE, CYCLES, REVISIONS, 1.0));
    let small_files = corpus(&cache.join("returns-23"), || cdf_assess::demo::generate(SEED, LAST_CYCLE, 1, 1));
    let bytes: u64 = big_files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    println!(
        "corpus: {} returns ({} MB) and {} returns, in {}",
        big_files.len(),
        bytes >> 20,
        small_files.len(),
        cache.display()
    );
    let mut table = Vec::new();

    // --- Import into a new database vs the raw-insert anchor.
    let big = work.join("big").join("db.sqlite3");
    if wanted("import") {
        let parsed = parse_all(&big_files);
        let k = std::cell::Cell::new(0);
        let r = pairs(
            "import 10,005 into a new database",
            "raw-insert anchor (rusqlite, one transaction)",
            3,
            |first| {
                k.set(k.get() + 1);
                let db = if first { big.clone() } else { work.join(format!("i{}", k.get())).join("db.sqlite3") };
                let t = time(|| import_new(&db, &big_files));
                if !first {
                    remove_db(&db);
                }
                t
            },
            || {
                k.set(k.get() + 1);
                let db = work.join(format!("r{}", k.get())).join("db.sqlite3");
                let t = raw_insert(&db, &big_files, &parsed);
                remove_db(&db);
                t
            },
        );
        table.push(("import 10,005 into a new database, one call".to_string(), r));
        // The same anchor written as the import writes: foreign keys checked (the store's
        // setting), the responses of a return in multi-row INSERTs. Against it, the import's
        // ratio is what deciding, scoring and committing in batches cost beyond the writing.
        let r = pairs(
            "import 10,005 into a new database",
            "raw insert written as the import writes (multi-row, foreign keys on)",
            3,
            |_| {
                k.set(k.get() + 1);
                let db = work.join(format!("i{}", k.get())).join("db.sqlite3");
                let t = time(|| import_new(&db, &big_files));
                remove_db(&db);
                t
            },
            || {
                k.set(k.get() + 1);
                let db = work.join(format!("r{}", k.get())).join("db.sqlite3");
                let t = raw_insert_as_the_import(&db, &big_files, &parsed);
                remove_db(&db);
                t
            },
        );
        table.push(("import 10,005, vs a raw insert with the import's statements".to_string(), r));
        drop(parsed);
    } else {
        import_new(&big, &big_files);
    }
    let small = work.join("small").join("db.sqlite3");
    import_new(&small, &small_files);
    for db in [&big, &small] {
        secretariat_settings(db);
    }

    // --- Re-import vs verify.
    if wanted("reimport") {
        let r = pairs(
            "re-import the same 10,005 (already imported)",
            "verify the same files",
            3,
            |_| {
                time(|| {
                    let mut s = Store::open(&big).expect("open");
                    import::import_many(&mut s, &big_files, &[], |_, r| {
                        assert_eq!(r.expect("import").outcome, import::Outcome::AlreadyImported);
                        true
                    })
                    .expect("re-import");
                })
            },
            || {
                time(|| {
                    for f in &big_files {
                        let raw = cdf_assess::exchange::read_file_limited(f).expect("read");
                        cdf_assess::exchange::read(&raw, &[]).expect("verify");
                    }
                })
            },
        );
        table.push(("re-import the same 10,005 (all already imported)".to_string(), r));
    }

    // --- Reopen.
    if wanted("reopen") {
        let r = pairs(
            "reopen the database of 10,005",
            "reopen the database of 23",
            5,
            |_| time(|| drop(Store::open(&big).expect("open"))),
            || time(|| drop(Store::open(&small).expect("open"))),
        );
        table.push(("reopen the database of 10,005".to_string(), r));
    }

    // --- Consolidation.
    if wanted("consolidate") {
        {
            let sb = Store::open(&big).expect("open");
            let ss = Store::open(&small).expect("open");
            let r = pairs(
                "consolidate cycle 2086 over 10,005",
                "consolidate cycle 2086 over 23",
                20,
                |_| time(|| consolidate::consolidate(&sb, LAST_CYCLE).expect("consolidate")),
                || time(|| consolidate::consolidate(&ss, LAST_CYCLE).expect("consolidate")),
            );
            table.push(("consolidation of a cycle (dashboard, M&E, trends), 10,005".to_string(), r));
            let fw = cdf_assess::framework::current();
            let r = pairs(
                "trend over 87 cycles from stored scores",
                "trend by scoring every counting revision again",
                3,
                |_| time(|| consolidate::trend(&sb, fw).expect("trend")),
                || time(|| rescored_trend(&sb)),
            );
            table.push(("trend alone, stored scores vs scoring again (before)".to_string(), r));
        }
    }

    // --- The work programme (issue 24): the region's needs and proposals of a cycle, and whether
    // the interventions delivered for the cycle before helped, over 10,005 returns. Anchors: the
    // consolidation each is built on (the cycle's; the two cycles the effect compares).
    if wanted("programme") {
        let mut sb = Store::open(&big).expect("open");
        let answered = LAST_CYCLE - 1;
        cdf_assess::demo::interventions(&mut sb, answered).expect("demo interventions");
        let all = sb.interventions().expect("interventions");
        println!(
            "programme: {} interventions for cycle {answered} ({} delivered)",
            all.len(),
            all.iter().filter(|i| i.status == cdf_assess::store::InterventionStatus::Delivered).count()
        );
        let programme = cdf_assess::secretariat::programme::plan;
        let r = pairs(
            "needs and proposals of cycle 2086 over 10,005",
            "consolidation of cycle 2086 (what they are built on)",
            10,
            |_| time(|| programme(&sb, LAST_CYCLE, Lang::En).expect("plan")),
            || time(|| consolidate::consolidate_without_trend(&sb, LAST_CYCLE).expect("consolidate")),
        );
        table.push(("needs and proposals, 10,005 vs the consolidation".to_string(), r));
        let effects = cdf_assess::secretariat::effect::effects;
        let r = pairs(
            "did it help: the effect of every delivered intervention over 10,005",
            "consolidation of the two cycles compared",
            10,
            |_| time(|| assert!(!effects(&sb, &all).expect("effects").is_empty())),
            || {
                time(|| {
                    for c in [answered, LAST_CYCLE] {
                        consolidate::consolidate_without_trend(&sb, c).expect("consolidate");
                    }
                })
            },
        );
        table.push(("did it help, 10,005 vs two consolidations".to_string(), r));
    }

    // --- Reports, each a whole `cdf-assess report` process.
    if wanted("reports") {
        for format in ["csv", "xlsx", "pdf"] {
            let out = work.join(format!("report.{format}"));
            let run = |db: &Path| {
                time(|| {
                    let st = Command::new(&bin)
                        .arg("--db")
                        .arg(db)
                        .args(["report", "--format", format, "--out"])
                        .arg(&out)
                        .stdout(Stdio::null())
                        .status()
                        .expect("report");
                    assert!(st.success(), "report {format}");
                })
            };
            let r = pairs(
                &format!("report {format} over 10,005"),
                &format!("report {format} over 23"),
                3,
                |_| run(&big),
                || run(&small),
            );
            table.push((format!("report {format} over 10,005 (whole process)"), r));
        }
    }

    // --- The window's first frame, and peak memory.
    let mut x = Xvfb::start();
    let me = std::env::current_exe().expect("bench exe");
    if x.is_some() && first_frame_at(Command::new(&me).env("CDF_BENCH_BARE_WINDOW", "1")).is_none() {
        println!("\nno window could be opened on {DISPLAY}");
        x = None;
    }
    if x.is_some() && wanted("window") {
        let bare = || first_frame(Command::new(&me).env("CDF_BENCH_BARE_WINDOW", "1"));
        let window = |db: &Path| first_frame(Command::new(&bin).arg("--db").arg(db));
        let r = pairs("first frame, Secretariat, 10,005 returns", "bare eframe window", 5, |_| window(&big), bare);
        table.push(("window's first frame, Secretariat, 10,005 returns".to_string(), r));
        let r = pairs("first frame, Secretariat, 23 returns", "bare eframe window", 5, |_| window(&small), bare);
        table.push(("window's first frame, Secretariat, 23 returns".to_string(), r));
    }
    if x.is_some() && wanted("data") {
        // Time to data: until a frame with the dashboard's data (consolidation, register) is on
        // screen, vs the bare window's first frame; warm, then with the page cache dropped
        // before each run of both (when this process may: root on Linux).
        let bare = || first_frame(Command::new(&me).env("CDF_BENCH_BARE_WINDOW", "1"));
        let data = |db: &Path| shown_at(Command::new(&bin).arg("--db").arg(db), "data shown");
        let r = pairs("time to data, Secretariat, 10,005 returns", "bare eframe window", 5, |_| data(&big), bare);
        table.push(("window's time to data, Secretariat, 10,005 returns (warm)".to_string(), r));
        if drop_caches() {
            let bare_cold = || {
                drop_caches();
                bare()
            };
            let data_cold = |db: &Path| {
                drop_caches();
                data(db)
            };
            let r = pairs("time to data, cold cache", "bare eframe window, cold", 5, |_| data_cold(&big), bare_cold);
            table.push(("window's time to data, Secretariat, 10,005 returns (cold)".to_string(), r));
        } else {
            println!(
                "
the page cache cannot be dropped here (needs root): no cold figure"
            );
        }
    }
    if x.is_none() {
        println!("\nno Xvfb: the window's first frame is not measured (apt-get install xvfb)");
    }
    if wanted("memory") && Path::new("/usr/bin/time").exists() {
        let db = work.join("mem").join("db.sqlite3");
        let dir = big_files[0].parent().expect("corpus folder");
        let import_kb = peak_kb(Command::new(&bin).arg("--db").arg(&db).arg("import").arg(dir));
        remove_db(&db);
        let bare_kb = x.as_ref().and_then(|_| {
            peak_kb(Command::new(std::env::current_exe().expect("exe")).env("CDF_BENCH_BARE_WINDOW", "1"))
        });
        let window_kb = x.as_ref().and_then(|_| peak_kb(Command::new(&bin).arg("--db").arg(&big)));
        println!("\npeak memory (maximum resident set, /usr/bin/time -v)");
        let mb = |k: Option<u64>| k.map(|k| format!("{:.1} MB", k as f64 / 1024.0)).unwrap_or_else(|| "–".into());
        println!("  cdf-assess import of 10,005 into a new database  {}", mb(import_kb));
        println!("  bare eframe window                                {}", mb(bare_kb));
        println!("  window, Secretariat, 10,005 returns               {}", mb(window_kb));
        if let (Some(a), Some(b)) = (import_kb, bare_kb) {
            println!("  ratio import / bare window                        {:.2}", a as f64 / b as f64);
        }
    } else if wanted("memory") {
        println!("\nno /usr/bin/time: peak memory is not measured (apt-get install time)");
    }
    drop(x);

    println!("\nsummary (medians; ratio = median of the pairwise ratios)");
    for (name, (a, b, ratio)) in &table {
        println!("  {name:<62} {:>9}  anchor {:>9}  ratio {ratio:.2}", secs(*a), secs(*b));
    }
    let _ = std::fs::remove_dir_all(&work);
}

// ---------------------------------------------------------------------------------------------
// Measuring

fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

fn time<T>(f: impl FnOnce() -> T) -> f64 {
    let t = Instant::now();
    std::hint::black_box(f());
    t.elapsed().as_secs_f64()
}

fn secs(s: f64) -> String {
    if s < 1.0 { format!("{:.1} ms", s * 1000.0) } else { format!("{s:.2} s") }
}

fn stats(v: &[f64]) -> (f64, f64, f64) {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    (v[0], v[v.len() / 2], v[v.len() - 1])
}

/// `a` and `b` in turn, `n` times each after one warm-up of each; prints min / median / max of
/// each and of the ratio a/b pair by pair. Returns the medians and the median ratio. `a` is told
/// whether it is the first (warm-up) run.
fn pairs(
    a_name: &str,
    b_name: &str,
    n: usize,
    mut a: impl FnMut(bool) -> f64,
    mut b: impl FnMut() -> f64,
) -> (f64, f64, f64) {
    a(true);
    b();
    let (mut ra, mut rb, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..n {
        let x = a(false);
        let y = b();
        ra.push(x);
        rb.push(y);
        ratio.push(x / y);
    }
    let (a0, a1, a2) = stats(&ra);
    let (b0, b1, b2) = stats(&rb);
    let (r0, r1, r2) = stats(&ratio);
    println!("\n{a_name}\n  vs {b_name}   ({n} pairs after a warm-up)");
    println!("  {:<10} min {:>10}  median {:>10}  max {:>10}", "A", secs(a0), secs(a1), secs(a2));
    println!("  {:<10} min {:>10}  median {:>10}  max {:>10}", "anchor", secs(b0), secs(b1), secs(b2));
    println!("  {:<10} min {r0:>10.2}  median {r1:>10.2}  max {r2:>10.2}", "ratio A/B");
    (a1, b1, r1)
}

// ---------------------------------------------------------------------------------------------
// Corpus and databases

/// The return files of a corpus, generated into `dir` the first time.
fn corpus(dir: &Path, make: impl FnOnce() -> Vec<cdf_assess::demo::DemoFile>) -> Vec<PathBuf> {
    let done = dir.join(".complete");
    if !done.exists() {
        let t = Instant::now();
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).expect("corpus folder");
        let files = make();
        for f in &files {
            std::fs::write(dir.join(&f.file_name), &f.bytes).expect("write a return");
        }
        std::fs::write(&done, files.len().to_string()).expect("marker");
        println!("generated {} returns into {} in {}", files.len(), dir.display(), secs(t.elapsed().as_secs_f64()));
    }
    cdf_assess::app::files::returns_in(dir)
}

/// Imports `files` into a new database at `db`, as the `import` command does.
fn import_new(db: &Path, files: &[PathBuf]) {
    let mut s = Store::open(db).expect("open");
    import::import_many(&mut s, files, &[], |_, r| {
        assert_ne!(r.expect("import").outcome, import::Outcome::Rejected);
        true
    })
    .expect("import");
}

fn remove_db(db: &Path) {
    if let Some(dir) = db.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// The settings of a Secretariat (the window opens on the dashboard), through the app.
fn secretariat_settings(db: &Path) {
    let mut c = Client::open(db.to_path_buf(), Mode::Sync);
    let s = Settings { role: Some(Role::Secretariat), lang: Lang::En, ..c.snapshot().settings.clone() };
    c.send(cdf_assess::app::SettingsCmd::FinishSetup(s));
    c.shutdown();
}

/// A file as the raw-insert anchor needs it, parsed beforehand.
struct Parsed {
    rev: ImportedRevision,
    file_sha256: String,
    signer: String,
    fingerprint: String,
    /// Framework position of each response.
    positions: Vec<i64>,
}

fn parse_all(files: &[PathBuf]) -> Vec<Parsed> {
    let fw = cdf_assess::framework::current();
    files
        .iter()
        .map(|f| {
            let raw = std::fs::read(f).expect("read");
            let v = cdf_assess::exchange::read(&raw, &[]).expect("a valid return");
            let rev = v.imported();
            let positions = rev
                .responses
                .iter()
                .map(|r| fw.indicators.iter().position(|i| i.code == r.indicator).unwrap_or(0) as i64)
                .collect();
            Parsed {
                file_sha256: cdf_assess::exchange::sha256_hex(&raw),
                signer: v.signer.to_base64(),
                fingerprint: v.fingerprint.clone(),
                rev,
                positions,
            }
        })
        .collect()
}

/// The anchor: the same rows and file bytes inserted with rusqlite into the same schema (made
/// by the app, not timed), one transaction, the store's settings (WAL, synchronous FULL).
/// Reading each file from disk is timed, as the import reads it.
fn raw_insert(db: &Path, files: &[PathBuf], parsed: &[Parsed]) -> f64 {
    raw_insert_with(db, files, parsed, false)
}

/// The anchor as the import writes: foreign keys on, up to 32 responses an INSERT statement.
fn raw_insert_as_the_import(db: &Path, files: &[PathBuf], parsed: &[Parsed]) -> f64 {
    raw_insert_with(db, files, parsed, true)
}

fn raw_insert_with(db: &Path, files: &[PathBuf], parsed: &[Parsed], as_the_import: bool) -> f64 {
    drop(Store::open(db).expect("schema"));
    time(|| {
        let mut c = rusqlite::Connection::open(db).expect("open");
        c.pragma_update(None, "journal_mode", "WAL").expect("wal");
        c.pragma_update(None, "synchronous", "FULL").expect("sync");
        if as_the_import {
            c.pragma_update(None, "foreign_keys", "ON").expect("foreign keys");
        }
        let tx = c.transaction().expect("tx");
        {
            let mut ins_a = tx
                .prepare(
                    "INSERT INTO assessment (uuid, member, cycle, revision, framework_version, status, assessor_name,
                        assessor_role, language, created_at, updated_at, finalised_at, approved_by, imported,
                        app_version, previous_digest, digest)
                     VALUES (?1, ?2, ?3, ?4, ?5, 'finalised', ?6, ?7, ?8, ?9, ?10, ?10, ?11, 1, ?12, ?13, ?14)",
                )
                .expect("prepare");
            let mut ins_p = tx
                .prepare(
                    "INSERT INTO profile (assessment_id, hs_version, rkc, wto_valuation, risk_management, automation,
                        arusha, pca) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .expect("prepare");
            let mut ins_r = tx
                .prepare(
                    "INSERT INTO response (assessment_id, indicator, position, answer, target, confidence, commitment,
                        evidence, comment, need, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )
                .expect("prepare");
            let mut ins_f = tx
                .prepare(
                    "INSERT INTO return_file (received_at, file_name, file_sha256, digest, uuid, member, cycle,
                        revision, outcome, reason, assessment_id, bytes, kind, signer, fingerprint)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'accepted', '', ?9, ?10, '', ?11, ?12)",
                )
                .expect("prepare");
            for (f, p) in files.iter().zip(parsed) {
                let raw = std::fs::read(f).expect("read");
                let b = &p.rev;
                ins_a
                    .execute(rusqlite::params![
                        b.uuid,
                        b.member,
                        b.cycle,
                        b.revision,
                        b.framework_version,
                        b.assessor_name,
                        b.assessor_role,
                        b.language,
                        b.created_at,
                        b.finalised_at,
                        b.approved_by,
                        b.app_version,
                        b.previous_digest,
                        b.digest
                    ])
                    .expect("assessment");
                let id = tx.last_insert_rowid();
                let pr = &b.profile;
                ins_p
                    .execute(rusqlite::params![
                        id,
                        pr.hs_version,
                        pr.rkc,
                        pr.wto_valuation,
                        pr.risk_management,
                        pr.automation,
                        pr.arusha,
                        pr.pca
                    ])
                    .expect("profile");
                if as_the_import {
                    let rows: Vec<_> = b.responses.iter().zip(&p.positions).collect();
                    for chunk in rows.chunks(32) {
                        let sql = format!(
                            "INSERT INTO response (assessment_id, indicator, position, answer, target, confidence,
                                commitment, evidence, comment, need, updated_at) VALUES {}",
                            vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ")
                        );
                        let mut stmt = tx.prepare_cached(&sql).expect("prepare");
                        let answers: Vec<_> = chunk.iter().map(|(r, _)| r.answer.code()).collect();
                        let codes: Vec<_> = chunk
                            .iter()
                            .map(|(r, _)| {
                                [
                                    r.confidence.map(|c| c.code()),
                                    r.commitment.map(|c| c.code()),
                                    r.need.map(|n| n.code()),
                                ]
                            })
                            .collect();
                        let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(chunk.len() * 11);
                        for (((r, pos), answer), [confidence, commitment, need]) in
                            chunk.iter().zip(&answers).map(|((r, p), a)| ((*r, *p), a)).zip(&codes)
                        {
                            values.extend([
                                &id as &dyn rusqlite::ToSql,
                                &r.indicator,
                                pos,
                                answer,
                                &r.target,
                                confidence,
                                commitment,
                                &r.evidence,
                                &r.comment,
                                need,
                                &r.updated_at,
                            ]);
                        }
                        stmt.execute(rusqlite::params_from_iter(values)).expect("responses");
                    }
                } else {
                    for (r, pos) in b.responses.iter().zip(&p.positions) {
                        ins_r
                            .execute(rusqlite::params![
                                id,
                                r.indicator,
                                pos,
                                r.answer.code(),
                                r.target,
                                r.confidence.map(|c| c.code()),
                                r.commitment.map(|c| c.code()),
                                r.evidence,
                                r.comment,
                                r.need.map(|n| n.code()),
                                r.updated_at
                            ])
                            .expect("response");
                    }
                }
                ins_f
                    .execute(rusqlite::params![
                        "2026-11-26T00:00:00Z",
                        f.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(),
                        p.file_sha256,
                        b.digest,
                        b.uuid,
                        b.member,
                        b.cycle,
                        b.revision,
                        id,
                        raw,
                        p.signer,
                        p.fingerprint
                    ])
                    .expect("file");
            }
        }
        tx.commit().expect("commit");
    })
}

/// The trend as it was computed before the scores were stored: every counting revision of every
/// cycle loaded and scored again.
fn rescored_trend(store: &Store) -> usize {
    let mut n = 0;
    for c in store.counting_revisions(None).expect("counting") {
        let a = store.load(c.id).expect("load");
        let fw = cdf_assess::framework::get(a.header.framework_version).expect("framework");
        n += cdf_assess::scoring::score(fw, &a.responses).pillars.len();
    }
    n
}

// ---------------------------------------------------------------------------------------------
// Windows

/// The anchor window: eframe with nothing in it, the renderers tried in the app's order, closed
/// by the same hook once its first frame is painted.
fn bare_window() {
    struct Bare;
    impl eframe::App for Bare {
        fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
            egui::CentralPanel::default().show(ui, |ui| ui.label("bare"));
            cdf_assess::ui::exit_after_first_frame(ui.ctx());
        }
    }
    // SAFETY: set before any thread is started.
    unsafe { std::env::set_var("CDF_EXIT_AFTER_FIRST_FRAME", "1") };
    let options = |renderer| eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_title("bare").with_inner_size([1280.0, 760.0]),
        renderer,
        ..Default::default()
    };
    if eframe::run_native("bare", options(eframe::Renderer::Wgpu), Box::new(|_| Ok(Box::new(Bare)))).is_err() {
        let _ = eframe::run_native("bare", options(eframe::Renderer::Glow), Box::new(|_| Ok(Box::new(Bare))));
    }
}

/// Seconds from starting `cmd` to its "first frame painted" line; then waits for it to close.
fn first_frame(cmd: &mut Command) -> f64 {
    first_frame_at(cmd).expect("the window printed its first frame")
}

fn first_frame_at(cmd: &mut Command) -> Option<f64> {
    shown_at_line(cmd.env("CDF_EXIT_AFTER_FIRST_FRAME", "1"), "first frame painted")
}

/// Seconds from starting `cmd` to its stderr line `what` (`CDF_EXIT_AFTER_DATA`).
fn shown_at(cmd: &mut Command, what: &str) -> f64 {
    shown_at_line(cmd.env("CDF_EXIT_AFTER_DATA", "1"), what).expect("the window showed its data")
}

/// Drops the system's page cache (Linux, as root): true if it could.
fn drop_caches() -> bool {
    let _ = Command::new("sync").status();
    std::fs::write("/proc/sys/vm/drop_caches", "3").is_ok()
}

fn shown_at_line(cmd: &mut Command, what: &str) -> Option<f64> {
    let start = Instant::now();
    let mut child = cmd
        .env("DISPLAY", DISPLAY)
        .env_remove("WAYLAND_DISPLAY")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start a window");
    let mut at = None;
    for line in BufReader::new(child.stderr.take().expect("stderr")).lines() {
        let Ok(line) = line else { break };
        if line.contains(what) {
            at = Some(start.elapsed().as_secs_f64());
            break;
        }
    }
    wait_or_kill(&mut child, Duration::from_secs(60));
    at
}

fn wait_or_kill(child: &mut Child, limit: Duration) {
    let until = Instant::now() + limit;
    while Instant::now() < until {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Peak resident memory (KB) of `cmd`, by `/usr/bin/time -v`.
fn peak_kb(cmd: &mut Command) -> Option<u64> {
    let prog = cmd.get_program().to_owned();
    let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
    let mut t = Command::new("/usr/bin/time");
    t.arg("-v").arg(prog).args(args);
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            t.env(k, v);
        }
    }
    let out = t
        .env("DISPLAY", DISPLAY)
        .env("CDF_EXIT_AFTER_FIRST_FRAME", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stderr);
    text.lines()
        .find(|l| l.contains("Maximum resident set size"))
        .and_then(|l| l.rsplit(':').next())
        .and_then(|n| n.trim().parse().ok())
}

/// Xvfb on display :95, started here unless one runs there already (then it is left alone).
struct Xvfb(Option<Child>);

impl Xvfb {
    fn start() -> Option<Xvfb> {
        let socket = Path::new("/tmp/.X11-unix/X95");
        let lock = Path::new("/tmp/.X95-lock");
        let holder = std::fs::read_to_string(lock).ok().and_then(|t| t.trim().parse::<u32>().ok());
        if holder.is_some_and(|pid| Path::new(&format!("/proc/{pid}")).exists()) && socket.exists() {
            return Some(Xvfb(None));
        }
        let child = Command::new("Xvfb")
            .args([DISPLAY, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let x = Xvfb(Some(child));
        let until = Instant::now() + Duration::from_secs(10);
        while !(socket.exists() && lock.exists()) {
            if Instant::now() > until {
                return None;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(300));
        Some(x)
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        if let Some(c) = &mut self.0 {
            // SIGTERM, so that it removes its lock and socket.
            let _ = Command::new("kill").arg("-TERM").arg(c.id().to_string()).status();
            wait_or_kill(c, Duration::from_secs(5));
        }
    }
}
