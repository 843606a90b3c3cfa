//! Data safety the hard way: a child process answers and types through the app layer (the same
//! commands the window sends) and is killed with SIGKILL at random moments. After each kill the
//! database must be intact, every change the child saw acknowledged must be in it, and at most
//! the last ~2 s of typing may be missing.

use cdf_assess::app::{Client, Command, Mode, Role, Settings, TextField};
use cdf_assess::app::{SessionCmd, SettingsCmd};
use cdf_assess::assessment::{Answer, NewAssessment, ResponseChange};
use cdf_assess::store::Store;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const CYCLES: u64 = 50;
/// Indicators in the framework.
fn indicators() -> usize {
    cdf_assess::framework::current().indicators.len()
}

fn now_ms() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis()
}

fn level(cycle: u64, n: u64) -> u8 {
    ((cycle + n) % 5) as u8
}

/// The text the child of `cycle` types, one character at a time (some outside ASCII).
fn typed(cycle: u64, len: usize) -> String {
    format!("cycle {cycle}: ").chars().chain("évidence HR plan · ".chars().cycle()).take(len).collect()
}

/// The child: runs only when the parent starts this test binary with CDF_CRASH_DB set.
#[test]
fn child() {
    let (Ok(db), Ok(log), Ok(cycle)) =
        (std::env::var("CDF_CRASH_DB"), std::env::var("CDF_CRASH_LOG"), std::env::var("CDF_CRASH_CYCLE"))
    else {
        return;
    };
    let cycle: u64 = cycle.parse().unwrap();
    let on_signal = std::env::var("CDF_CRASH_SIGNAL").is_ok();
    let mut log = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
    let mut c = Client::open(db.into(), Mode::Sync);
    assert!(c.snapshot().startup_error.is_none(), "{:?}", c.snapshot().startup_error);
    #[cfg(unix)]
    if on_signal {
        cdf_assess::app::write_text_on_signal(c.flusher().unwrap());
    }
    if c.snapshot().list.is_empty() {
        let s = Settings { role: Some(Role::Administration), member: Some("FJ".into()), ..Settings::default() };
        c.send(SettingsCmd::FinishSetup(s));
        c.send(SessionCmd::CreateAssessment(NewAssessment {
            member: "FJ".into(),
            cycle: 2026,
            assessor_name: "Crash test".into(),
            assessor_role: String::new(),
            language: "en".into(),
        }));
    } else {
        let id = c.snapshot().list[0].header.id;
        c.send(SessionCmd::Open(id));
    }
    let s = c.snapshot().session.clone().unwrap();
    let id = s.id();
    let n_ind = s.data.responses.len();
    let text_indicator = s.data.responses[(cycle as usize) % n_ind].indicator.clone();
    writeln!(log, "S {cycle} {}", now_ms()).unwrap();
    // Odd cycles only type, without a pause: the text must still be written every ~2 s.
    let answering = cycle.is_multiple_of(2);
    for n in 0.. {
        if answering {
            let i = (n as usize) % n_ind;
            let indicator = s.data.responses[i].indicator.clone();
            c.send(SessionCmd::Change {
                id,
                indicator,
                change: ResponseChange::Answer(Answer::Level(level(cycle, n))),
            });
            // Sync mode: the answer is committed when `send` returns.
            writeln!(log, "A {cycle} {n}").unwrap();
        }
        let len = n as usize + 1;
        c.send(Command::Text {
            id,
            indicator: text_indicator.clone(),
            field: TextField::Evidence,
            text: typed(cycle, len),
        });
        writeln!(log, "T {cycle} {len} {}", now_ms()).unwrap();
        std::thread::sleep(Duration::from_millis(if answering { 15 } else { 40 }));
    }
}

struct Cycle {
    acked: Vec<u64>,
    /// (length typed, when) in order.
    typed: Vec<(usize, u128)>,
}

fn read_log(log: &Path, cycle: u64) -> Cycle {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let mut c = Cycle { acked: Vec::new(), typed: Vec::new() };
    for line in text.lines() {
        let f: Vec<&str> = line.split(' ').collect();
        // A line cut by the kill has fewer fields: it was not acknowledged.
        match f.as_slice() {
            ["A", cy, n] if cy.parse() == Ok(cycle) => c.acked.push(n.parse().unwrap()),
            ["T", cy, len, at] if cy.parse() == Ok(cycle) && !at.is_empty() => {
                if let (Ok(len), Ok(at)) = (len.parse(), at.parse()) {
                    c.typed.push((len, at));
                }
            }
            _ => {}
        }
    }
    c
}

#[cfg(unix)]
#[test]
fn sigkill_while_answering_and_typing_loses_nothing_acknowledged() {
    if std::env::var("CDF_CRASH_DB").is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.sqlite3");
    let log = dir.path().join("acks.log");
    let exe = std::env::current_exe().unwrap();
    // A small deterministic generator for the kill moments (no new dependency).
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let (mut lost_answers, mut worst_window, mut answers_checked) = (0usize, 0u128, 0usize);
    for cycle in 0..CYCLES {
        let mut child = std::process::Command::new(&exe)
            .args(["crash::child", "--exact", "--nocapture", "--test-threads=1"])
            .env("CDF_CRASH_DB", &db)
            .env("CDF_CRASH_LOG", &log)
            .env("CDF_CRASH_CYCLE", cycle.to_string())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Most kills within a second; a third of the typing-only ones after the 2 s limit.
        let ms = if cycle % 6 == 1 { 2500 + next() % 2000 } else { 150 + next() % 700 };
        std::thread::sleep(Duration::from_millis(ms));
        child.kill().unwrap(); // SIGKILL
        let killed_at = now_ms();
        child.wait().unwrap();

        let store = Store::open(&db).expect("the database opens after a kill");
        let check: String =
            rusqlite::Connection::open(&db).unwrap().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok", "integrity after cycle {cycle}");
        let Some(summary) = store.list().unwrap().into_iter().next() else { continue };
        let a = store.load(summary.header.id).unwrap();
        let run = read_log(&log, cycle);
        // Every acknowledged answer is there (or a later one of the same indicator).
        let n_ind = indicators() as u64;
        for &n in &run.acked {
            let i = (n % n_ind) as usize;
            let later = run.acked.iter().any(|&m| m > n && m % n_ind == n % n_ind);
            let next_unacked = run.acked.last().map(|l| l + 1).unwrap_or(0);
            let allowed: Vec<Answer> = std::iter::once(n)
                .chain((next_unacked % n_ind == n % n_ind).then_some(next_unacked))
                .map(|k| Answer::Level(level(cycle, k)))
                .collect();
            answers_checked += 1;
            if !later && !allowed.contains(&a.responses[i].answer) {
                lost_answers += 1;
            }
        }
        // Typed text: what is stored is what was typed, up to some length; what is missing was
        // typed in the last moments before the kill.
        let ti = (cycle as usize) % indicators();
        let stored = &a.responses[ti].evidence;
        let final_len = run.typed.last().map(|t| t.0).unwrap_or(0);
        let k = if stored.is_empty() || typed(cycle, final_len).starts_with(stored.as_str()) {
            stored.chars().count()
        } else {
            0 // text of an earlier cycle: nothing of this one was written yet
        };
        if k < final_len
            && let Some(&(_, first_unsaved_at)) = run.typed.iter().find(|t| t.0 == k + 1)
        {
            worst_window = worst_window.max(killed_at.saturating_sub(first_unsaved_at));
        }
        drop(store);
    }
    eprintln!(
        "crash test: {CYCLES} SIGKILLs, {answers_checked} acknowledged answers checked, {lost_answers} lost; \
         largest typing lost: {worst_window} ms"
    );
    assert_eq!(lost_answers, 0);
    assert!(worst_window <= 3000, "typed text older than ~2 s was lost: {worst_window} ms");
}

/// Logout or shutdown (SIGTERM, SIGHUP) while typing without a pause: the text is written.
#[cfg(unix)]
#[test]
fn sigterm_and_sighup_while_typing_write_the_text() {
    if std::env::var("CDF_CRASH_DB").is_ok() {
        return;
    }
    for (cycle, signal) in [(1u64, "TERM"), (3, "HUP")] {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("sig.sqlite3");
        let log = dir.path().join("acks.log");
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["crash::child", "--exact", "--nocapture", "--test-threads=1"])
            .env("CDF_CRASH_DB", &db)
            .env("CDF_CRASH_LOG", &log)
            .env("CDF_CRASH_CYCLE", cycle.to_string())
            .env("CDF_CRASH_SIGNAL", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(1200));
        let ok = std::process::Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status();
        assert!(ok.unwrap().success());
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "SIG{signal}: the text was written and the process ended cleanly");
        let run = read_log(&log, cycle);
        let final_len = run.typed.last().expect("the child typed").0;
        let store = Store::open(&db).unwrap();
        let a = store.load(store.list().unwrap()[0].header.id).unwrap();
        let stored = a.responses[(cycle as usize) % indicators()].evidence.chars().count();
        assert!(stored >= final_len, "SIG{signal}: {stored} of {final_len} typed characters written");
    }
}

/// What the Secretariat holds, without the times of arrival: every file received (name, outcome,
/// reason), what counts per member and cycle, and the consolidation of each cycle.
#[cfg(feature = "demo")]
fn secretariat_state(s: &Store) -> String {
    use cdf_assess::secretariat::consolidate;
    let files: Vec<_> = s.received_files().unwrap().into_iter().map(|f| (f.file_name, f.outcome, f.reason)).collect();
    let counting: Vec<_> = s
        .counting_revisions(None)
        .unwrap()
        .into_iter()
        .map(|c| (c.cycle, c.member, c.revision, c.revisions_held))
        .collect();
    let cons: Vec<_> = s
        .imported_cycles()
        .unwrap()
        .into_iter()
        .map(|c| {
            let mut c = consolidate::consolidate(s, c).unwrap();
            c.members.iter_mut().for_each(|m| m.received_at = None);
            c
        })
        .collect();
    format!("{files:?}\n{counting:?}\n{cons:?}")
}

/// A large import (the `import` command, one process) killed with SIGKILL part-way: the database
/// is intact, holds only whole batches, and importing the same files again gives what an
/// uninterrupted import gives.
#[cfg(all(unix, feature = "demo"))]
#[test]
fn sigkill_during_a_large_import_leaves_an_intact_database_and_importing_again_finishes_it() {
    use cdf_assess::secretariat::import;
    use std::io::BufRead;
    if std::env::var("CDF_CRASH_DB").is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let returns = dir.path().join("returns");
    std::fs::create_dir(&returns).unwrap();
    // Enough files for several batches: outcomes are printed once their batch is committed, so
    // the kill must come while later batches are being written.
    for f in cdf_assess::demo::generate(21, 2026, 20, 3) {
        std::fs::write(returns.join(&f.file_name), &f.bytes).unwrap();
    }
    let paths = cdf_assess::app::files::returns_in(&returns);
    let reimport = |s: &mut Store| import::import_many(s, &paths, &[], |_, r| r.is_ok()).unwrap();
    let mut whole = Store::open(&dir.path().join("whole.sqlite3")).unwrap();
    reimport(&mut whole);
    let want = secretariat_state(&whole);
    drop(whole);

    for (k, after) in [(0, paths.len() / 5), (1, paths.len() * 3 / 5)] {
        let db = dir.path().join(format!("killed{k}.sqlite3"));
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cdf-assess"))
            .arg("--db")
            .arg(&db)
            .arg("import")
            .arg(&returns)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // One line per file, printed once its batch is committed.
        let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
        let (mut line, mut seen) = (String::new(), 0);
        while seen < after && out.read_line(&mut line).unwrap() > 0 {
            seen += 1;
        }
        assert_eq!(seen, after, "the import was still running");
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        drop(out);

        let check: String =
            rusqlite::Connection::open(&db).unwrap().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok");
        let mut s = Store::open(&db).unwrap();
        let kept = s.received_files().unwrap().len();
        assert!(kept < paths.len(), "killed part-way ({kept} of {} files kept)", paths.len());
        assert!(kept >= after, "every file printed is kept ({after} printed, {kept} kept)");
        // Whole files only: each file kept has its revision, its responses and its scores.
        assert_eq!(s.imported_revisions(None).unwrap().len(), kept);
        assert!(s.unscored_revisions(cdf_assess::secretariat::consolidate::SCORING, 1).unwrap().is_empty());
        reimport(&mut s);
        assert_eq!(secretariat_state(&s), want, "importing again after the kill at file {after}");
    }
}

/// A merge of a colleague's answers killed (SIGKILL) half-way, inside its transaction: the
/// coordinator's database is intact and holds nothing of it; merging the same file again then
/// gives what an uninterrupted merge gives.
#[cfg(unix)]
#[test]
fn sigkill_during_a_section_merge_is_all_or_nothing() {
    use crate::sections::{answer_all, codes, dump, pair};
    use std::os::unix::process::ExitStatusExt;
    if std::env::var("CDF_CRASH_DB").is_ok() {
        return;
    }
    let wf = codes("WF-");
    let asked: Vec<&str> = wf.iter().map(String::as_str).collect();
    let p = pair(&asked);
    let mid = answer_all(&p.mele, 4, "Mele");
    let answer = p.dir.join("answer.ocosectionanswer");
    let m = Store::open(&p.mele).unwrap();
    std::fs::write(&answer, cdf_assess::app::ops::write_section_answer(&m, mid).unwrap().bytes).unwrap();
    drop(m);
    let before = dump(&p.coord);
    let merge = |db: &Path, kill_after: Option<usize>| {
        let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_cdf-assess"));
        c.arg("--db").arg(db).arg("import-section").arg(&answer).stdout(std::process::Stdio::null());
        if let Some(n) = kill_after {
            c.env("CDF_TEST_KILL_IN_MERGE", n.to_string());
        }
        c.status().unwrap()
    };
    // What the merge gives, uninterrupted (on a copy).
    let whole = p.dir.join("whole.sqlite3");
    std::fs::copy(&p.coord, &whole).unwrap();
    assert!(merge(&whole, None).success());
    let merged = |db: &Path| {
        let s = Store::open(db).unwrap();
        let a = s.load(p.id).unwrap();
        let answers: Vec<_> = wf.iter().map(|i| a.response(i).unwrap().answer).collect();
        (answers, a.contributors, s.section_conflicts(p.id).unwrap().len())
    };
    let want = merged(&whole);
    assert!(want.0.iter().all(|a| *a == cdf_assess::assessment::Answer::Level(4)), "{want:?}");

    for n in [0, wf.len() / 2, wf.len() - 1] {
        let db = p.dir.join(format!("killed{n}.sqlite3"));
        std::fs::copy(&p.coord, &db).unwrap();
        let status = merge(&db, Some(n));
        assert_eq!(status.signal(), Some(9), "killed (SIGKILL) inside the merge after {n} answers");
        let check: String =
            rusqlite::Connection::open(&db).unwrap().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(check, "ok");
        assert_eq!(dump(&db), before, "nothing of a merge killed after {n} answers");
        assert!(merge(&db, None).success(), "merged again");
        assert_eq!(merged(&db), want, "the same as uninterrupted, after a kill at {n}");
    }
}
