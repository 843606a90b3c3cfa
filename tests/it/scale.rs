//! The Secretariat at scale: imports committed in batches, opening without reading everything.
#![cfg(feature = "demo")]

use cdf_assess::demo;
use cdf_assess::secretariat::consolidate;
use cdf_assess::secretariat::import::{self, Batch, Outcome};
use cdf_assess::store::{Store, StoreError};

/// A received file: name, cycle, revision, outcome, reason.
type Row = (String, i32, u32, String, String);

/// What the register shows, without the times of arrival.
fn register(s: &Store) -> (Vec<Row>, Vec<consolidate::Consolidation>) {
    let files = s
        .received_files()
        .unwrap()
        .into_iter()
        .map(|f| (f.file_name, f.cycle, f.revision, f.outcome, f.reason))
        .collect();
    let cons = s
        .imported_cycles()
        .unwrap()
        .into_iter()
        .map(|c| {
            let mut c = consolidate::consolidate(s, c).unwrap();
            for m in &mut c.members {
                m.received_at = None;
                // Returns imported before migration 008 have no content revision recorded.
                if let Some(a) = &mut m.assessment {
                    a.header.content_revision = None;
                    // Nor, before migration 9, which targets the member confirmed.
                    for r in &mut a.responses {
                        r.target_confirmed = false;
                    }
                }
            }
            c
        })
        .collect();
    (files, cons)
}

#[test]
fn a_batch_import_gives_the_same_register_as_one_file_at_a_time() {
    // Revision 2 before revision 1 for some: held, then released inside the batch.
    let mut files = demo::generate(5, 2026, 2, 3);
    files.reverse();
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<_> = files
        .iter()
        .map(|f| {
            let p = dir.path().join(&f.file_name);
            std::fs::write(&p, &f.bytes).unwrap();
            p
        })
        .collect();

    let mut one = Store::open(&dir.path().join("one.sqlite3")).unwrap();
    let singles: Vec<_> = paths.iter().map(|p| import::import_path(&mut one, p, &[]).unwrap()).collect();

    let db = dir.path().join("batch.sqlite3");
    let mut batch = Store::open(&db).unwrap();
    let mut results = Vec::new();
    import::import_many(&mut batch, &paths, &[], |_, r| {
        results.push(r.unwrap());
        true
    })
    .unwrap();
    assert_eq!(results, singles);
    assert!(results.iter().any(|r| r.outcome == Outcome::Held), "the order exercises held files");
    assert_eq!(register(&batch), register(&one));
    drop(batch);

    // Committed, and importing again changes nothing.
    let mut batch = Store::open(&db).unwrap();
    assert_eq!(register(&batch), register(&one));
    let before = register(&batch);
    import::import_many(&mut batch, &paths, &[], |_, r| {
        assert_eq!(r.unwrap().outcome, Outcome::AlreadyImported);
        true
    })
    .unwrap();
    assert_eq!(register(&batch), before);
}

#[test]
fn files_checked_ahead_on_a_second_thread_give_the_results_of_one_at_a_time() {
    // The same file twice in one run (the second is "already imported" though it was not in the
    // database when the run began), a broken file, a missing one, a folder, and a stop midway.
    let files = demo::generate(7, 2026, 1, 2);
    let dir = tempfile::tempdir().unwrap();
    let mut paths: Vec<_> = files
        .iter()
        .map(|f| {
            let p = dir.path().join(&f.file_name);
            std::fs::write(&p, &f.bytes).unwrap();
            p
        })
        .collect();
    let broken = dir.path().join("broken.ocoreturn");
    std::fs::write(&broken, b"{ not a return").unwrap();
    paths.insert(2, paths[0].clone());
    paths.insert(3, broken);
    paths.insert(4, dir.path().join("gone.ocoreturn"));
    paths.insert(5, dir.path().to_path_buf());

    let mut one = Store::open(&dir.path().join("one.sqlite3")).unwrap();
    let singles: Vec<_> = paths.iter().map(|p| import::import_path(&mut one, p, &[]).unwrap()).collect();
    assert_eq!(singles[2].outcome, Outcome::AlreadyImported);
    assert!(singles[3..6].iter().all(|r| r.outcome == Outcome::Rejected));

    // Stopped at the 8th outcome: no file is started after it; every file imported before is
    // committed and handed out (an outcome comes only once its batch is committed), the rest
    // never imported.
    let db = dir.path().join("ahead.sqlite3");
    let mut s = Store::open(&db).unwrap();
    let mut seen = Vec::new();
    import::import_many(&mut s, &paths, &[], |f, r| {
        seen.push((f.to_path_buf(), r.unwrap()));
        seen.len() < 8
    })
    .unwrap();
    assert!(seen.len() >= 8);
    assert!(seen.iter().zip(&paths).all(|((f, _), p)| f == p), "in order");
    assert!(seen.iter().zip(&singles).all(|((_, r), single)| r == single));
    let kept = seen.len();
    drop(s);

    // The rest, after a reopen: those handed out are already held, the others as one at a time.
    let mut s = Store::open(&db).unwrap();
    let mut results = Vec::new();
    import::import_many(&mut s, &paths, &[], |_, r| {
        results.push(r.unwrap());
        true
    })
    .unwrap();
    for (i, (r, single)) in results.iter().zip(&singles).enumerate() {
        if i < kept && single.outcome != Outcome::Rejected {
            assert_eq!(r.outcome, Outcome::AlreadyImported, "file {i}");
        } else {
            assert_eq!(r, single, "file {i}");
        }
    }
    assert_eq!(register(&s).1, register(&one).1);
}

#[test]
fn a_rejected_or_failed_file_in_a_batch_changes_nothing_and_the_others_are_kept() {
    let files = demo::generate(6, 2026, 1, 1);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.sqlite3");
    let mut s = Store::open(&db).unwrap();
    let mut b = Batch::new();
    let (first, rest) = files.split_at(3);
    for f in first {
        assert!(b.import_bytes(&mut s, &f.file_name, &f.bytes, &[]).is_empty(), "handed out at the commit");
    }
    assert!(b.import_bytes(&mut s, "broken.ocoreturn", b"not a return", &[]).is_empty());
    // A file whose import fails half-way (here: after it was written) leaves nothing behind.
    let failed: Result<(), StoreError> = s.unit(|s| {
        import::import_bytes(s, &rest[0].file_name, &rest[0].bytes, &[])?;
        Err(StoreError::Invalid("disk trouble".into()))
    });
    assert!(failed.is_err());
    for f in &rest[1..3] {
        assert!(b.import_bytes(&mut s, &f.file_name, &f.bytes, &[]).is_empty());
    }
    let outcomes: Vec<Outcome> = b.finish(&mut s, &[]).into_iter().map(|r| r.result.unwrap().outcome).collect();
    use Outcome::{Accepted, Rejected};
    assert_eq!(outcomes, [Accepted, Accepted, Accepted, Rejected, Accepted, Accepted]);
    drop(s);

    let s = Store::open(&db).unwrap();
    let names: Vec<String> = s.received_files().unwrap().into_iter().rev().map(|f| f.file_name).collect();
    let want: Vec<String> = first.iter().chain(&rest[1..3]).map(|f| f.file_name.clone()).collect();
    assert_eq!(names, want);
    assert_eq!(s.imported_revisions(None).unwrap().len(), 5);
    assert!(s.member_key(&rest[0].member).unwrap().is_none(), "the failed file pinned no key");
}

#[test]
fn a_batch_not_committed_is_lost_whole_and_imports_again() {
    let files = demo::generate(8, 2026, 1, 1);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.sqlite3");
    {
        let mut s = Store::open(&db).unwrap();
        let mut b = Batch::new();
        for f in &files[..4] {
            assert!(b.import_bytes(&mut s, &f.file_name, &f.bytes, &[]).is_empty(), "nothing said yet");
        }
        s.rollback_batch(); // as a crash before the commit
    }
    let mut s = Store::open(&db).unwrap();
    assert!(s.received_files().unwrap().is_empty());
    let mut b = Batch::new();
    for f in &files[..4] {
        assert!(b.import_bytes(&mut s, &f.file_name, &f.bytes, &[]).is_empty());
    }
    for r in b.finish(&mut s, &[]) {
        assert_eq!(r.result.unwrap().outcome, Outcome::Accepted);
    }
    assert_eq!(s.received_files().unwrap().len(), 4);
}

#[test]
fn opening_reads_the_whole_file_only_when_needed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("o.sqlite3");
    drop(Store::open(&db).unwrap()); // new; its daily backup is made
    let s = Store::open(&db).unwrap();
    assert!(!s.checked_at_open(), "a cleanly closed database opens without reading it all");
    drop(s);
    assert!(!dir.path().join("o.sqlite3-wal").exists());

    // A session that did not close: its -wal is left with data in it.
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute("INSERT INTO settings (key, value) VALUES ('x', 'y')", []).unwrap();
    std::mem::forget(c);
    assert!(std::fs::metadata(dir.path().join("o.sqlite3-wal")).unwrap().len() > 0);
    let s = Store::open(&db).unwrap();
    assert!(s.checked_at_open(), "after an unclean shutdown the whole file is checked");
}

// ---------------------------------------------------------------------------------------------
// Stored scores and the counting query against the slow, obvious path.

use cdf_assess::assessment::Answer;
use cdf_assess::exchange;
use cdf_assess::store::{HeldRevision, Link};
use std::collections::BTreeMap;

/// The old, obvious rule over loaded rows: per member and cycle, the first received assessment
/// not set aside, and of its revisions the one `counting_revision` (the rule in Rust) gives;
/// with the number of revisions of the member held for the cycle.
fn obvious_counting(held: &[HeldRevision]) -> BTreeMap<(i32, String), (HeldRevision, usize)> {
    let mut groups: BTreeMap<(i32, String), Vec<&HeldRevision>> = BTreeMap::new();
    for h in held {
        groups.entry((h.cycle, h.member.clone())).or_default().push(h);
    }
    let mut out = BTreeMap::new();
    for (key, revs) in groups {
        let Some(uuid) = revs.iter().filter(|h| !h.retired).min_by_key(|h| h.id.0).map(|h| h.uuid.clone()) else {
            continue;
        };
        let mine: Vec<&HeldRevision> = revs.iter().copied().filter(|h| h.uuid == uuid).collect();
        let links: Vec<Link> = mine.iter().map(|h| h.link()).collect();
        if let Some(r) = consolidate::counting_revision(&links)
            && let Some(h) = mine.iter().find(|h| h.revision == r)
        {
            out.insert(key, ((*h).clone(), revs.len()));
        }
    }
    out
}

/// The trend computed the slow way: every counting revision of every cycle loaded and scored.
fn obvious_trend(s: &Store) -> consolidate::Trend {
    let fw = cdf_assess::framework::current();
    let mut cycles = s.imported_cycles().unwrap();
    cycles.sort_unstable();
    let counting = obvious_counting(&s.imported_revisions(None).unwrap());
    let pillars = fw
        .meta
        .pillars
        .iter()
        .map(|p| {
            let series = cycles
                .iter()
                .map(|c| {
                    let scores: Vec<f64> = counting
                        .iter()
                        .filter(|((cy, _), _)| cy == c)
                        .filter_map(|(_, (h, _))| {
                            let a = s.load(h.id).unwrap();
                            let afw = cdf_assess::framework::get(a.header.framework_version).unwrap();
                            cdf_assess::scoring::score(afw, &a.responses).pillar_score(&p.code)
                        })
                        .collect();
                    cdf_assess::scoring::mean(scores.into_iter())
                })
                .collect();
            (p.code.clone(), series)
        })
        .collect();
    consolidate::Trend { cycles, pillars }
}

/// What happens to the Secretariat's database, in order.
enum Step {
    Import(String, Vec<u8>),
    /// Settle the member's latest open conflict of the cycle: "use new" or not.
    Resolve(String, i32, bool),
}

/// Demo data of four cycles with revisions, and conflicts of every kind, some settled each way.
fn eventful() -> Vec<Step> {
    let mut files = demo::generate(11, 2026, 4, 3);
    // One cycle arrives last revision first: revisions held, then released.
    let (a, b): (Vec<_>, Vec<_>) = files.drain(..).partition(|f| f.cycle != 2024);
    files = a.into_iter().chain(b.into_iter().rev()).collect();
    let mut steps: Vec<Step> = files.iter().map(|f| Step::Import(f.file_name.clone(), f.bytes.clone())).collect();
    let others = demo::generate(12, 2026, 1, 1);
    let code = |i: usize| cdf_assess::framework::members()[i].code.clone();
    let other = |i: usize| others.iter().find(|f| f.member == code(i)).unwrap();
    // Another key, settled "use new": then a second assessment, settled "use new" too.
    steps.push(Step::Import("other-key-0.ocoreturn".into(), other(0).bytes.clone()));
    steps.push(Step::Resolve(code(0), 2026, true));
    steps.push(Step::Resolve(code(0), 2026, true));
    // Another key, kept; another, left open.
    steps.push(Step::Import("other-key-1.ocoreturn".into(), other(1).bytes.clone()));
    steps.push(Step::Resolve(code(1), 2026, false));
    steps.push(Step::Import("other-key-2.ocoreturn".into(), other(2).bytes.clone()));
    // A revision 1 with other answers, signed by the member's key: settled "use new" for two
    // members (the one with revisions after it stops counting them), left open for a third.
    for (i, settle) in [(3, true), (4, true), (5, false)] {
        let f = files.iter().find(|f| f.cycle == 2025 && f.member == code(i) && f.revision == 1).unwrap();
        let mut body = exchange::read(&f.bytes, &[]).unwrap().body;
        for r in body.responses.iter_mut().take(6) {
            r.answer = Answer::Level(4);
        }
        let name = format!("fork-{i}.ocoreturn");
        steps.push(Step::Import(name.clone(), exchange::write(body, &demo::member_key(11, &code(i)))));
        if settle {
            steps.push(Step::Resolve(code(i), 2025, true));
        }
    }
    steps
}

/// Applies the steps: one file at a time (`batch` false), or in import batches.
fn apply(s: &mut Store, steps: &[Step], batch: bool) {
    let mut b: Option<Batch> = None;
    for step in steps {
        match step {
            Step::Import(name, bytes) if batch => {
                for r in b.get_or_insert_with(Batch::new).import_bytes(s, name, bytes, &[]) {
                    assert_ne!(r.result.unwrap().outcome, Outcome::Rejected, "{}", r.path.display());
                }
            }
            Step::Import(name, bytes) => {
                assert_ne!(import::import_bytes(s, name, bytes, &[]).unwrap().outcome, Outcome::Rejected, "{name}");
            }
            Step::Resolve(member, cycle, use_new) => {
                for r in b.take().map(|b| b.finish(s, &[])).unwrap_or_default() {
                    assert_ne!(r.result.unwrap().outcome, Outcome::Rejected, "{}", r.path.display());
                }
                // Newest first.
                let f = s
                    .received_files()
                    .unwrap()
                    .into_iter()
                    .find(|f| &f.member == member && f.cycle == *cycle && f.outcome == "conflict" && !f.resolved)
                    .unwrap_or_else(|| panic!("an open conflict for {member} {cycle}"));
                import::resolve(s, f.id, *use_new, &[]).unwrap();
            }
        }
    }
    for r in b.take().map(|b| b.finish(s, &[])).unwrap_or_default() {
        assert_ne!(r.result.unwrap().outcome, Outcome::Rejected, "{}", r.path.display());
    }
}

/// (cycle, member) -> (revision, revisions held), as the store's query gives it.
fn counted(s: &Store) -> BTreeMap<(i32, String), (u32, usize)> {
    s.counting_revisions(None)
        .unwrap()
        .into_iter()
        .map(|c| ((c.cycle, c.member), (c.revision, c.revisions_held)))
        .collect()
}

fn forget_scores(db: &std::path::Path) {
    let c = rusqlite::Connection::open(db).unwrap();
    c.execute_batch("DELETE FROM pillar_score; DELETE FROM revision_score;").unwrap();
}

#[test]
fn stored_scores_and_the_counting_query_give_what_rescoring_everything_gives() {
    let steps = eventful();
    let dir = tempfile::tempdir().unwrap();
    let slow_db = dir.path().join("slow.sqlite3");
    let mut slow = Store::open(&slow_db).unwrap();
    apply(&mut slow, &steps, false);
    drop(slow);
    forget_scores(&slow_db); // the slow path scores everything again
    let slow = Store::open(&slow_db).unwrap();
    let mut new = Store::open(&dir.path().join("new.sqlite3")).unwrap();
    apply(&mut new, &steps, true);
    assert_eq!(new.unscored_revisions(consolidate::SCORING, 10).unwrap(), vec![], "scores stored at import");

    // The data exercises what it should.
    let files = new.received_files().unwrap();
    let outcome = |o: &str| files.iter().filter(|f| f.outcome == o).count();
    assert!(outcome("conflict") >= 6 && files.iter().any(|f| f.outcome == "conflict" && !f.resolved));
    assert!(files.iter().any(|f| f.reason.starts_with("waiting:")), "files held, then released");
    assert!(new.imported_revisions(None).unwrap().iter().any(|h| h.retired), "an assessment set aside");
    assert!(new.imported_revisions(None).unwrap().iter().any(|h| h.confirmed), "a revision chosen by a person");
    let cycles = new.imported_cycles().unwrap();
    assert_eq!(cycles.len(), 4);

    // What counts: the query and the rule over loaded rows.
    let obvious: BTreeMap<(i32, String), (u32, usize)> = obvious_counting(&slow.imported_revisions(None).unwrap())
        .into_iter()
        .map(|(k, (h, n))| (k, (h.revision, n)))
        .collect();
    assert_eq!(counted(&new), obvious);
    assert!(obvious.values().any(|(r, _)| *r >= 2) && obvious.len() > 23 * 3);

    // The trend from stored scores, and by scoring every counting revision again.
    let fw = cdf_assess::framework::current();
    let trend = consolidate::trend(&new, fw).unwrap();
    assert_eq!(trend, obvious_trend(&slow));
    assert!(trend.pillars.iter().all(|(_, s)| s.len() == 4 && s.iter().all(Option::is_some)));

    // Every cycle: the same register, scores, requests, M&E and trends.
    assert_eq!(register(&new), register(&slow));
    for c in cycles {
        let a = consolidate::consolidate(&new, c).unwrap();
        assert!(a.members.iter().any(|m| m.status == consolidate::ReturnStatus::Conflict) || c != 2026);
        let b = consolidate::consolidate(&slow, c).unwrap();
        assert_eq!(a.trend, b.trend);
        assert_eq!(a.me, b.me);
    }

    // Importing every file again: a file accepted before is "already imported" without being read
    // again, with what reading it gives; one whose key or revision a person replaced since is
    // judged again (a conflict), as it always was.
    let code = |i: usize| cdf_assess::framework::members()[i].code.clone();
    for step in &steps {
        let Step::Import(name, bytes) = step else { continue };
        let v = exchange::read(bytes, &[]).unwrap();
        let r = import::import_bytes(&mut new, name, bytes, &[]).unwrap();
        // Member 0's key was replaced: all its earlier files are now signed by another key.
        let replaced = (v.body.member == code(0) && !name.starts_with("other"))
            || ((v.body.member == code(3) || v.body.member == code(4))
                && v.body.cycle == 2025
                && v.body.revision == 1
                && !name.starts_with("fork"));
        let was_conflict = name.starts_with("other-key-1")
            || name.starts_with("other-key-2")
            || name.starts_with("fork-5")
            || (name.starts_with("other") && v.body.member == code(1));
        if replaced || was_conflict {
            assert_eq!(r.outcome, Outcome::Conflict, "{name}: {:?}", r.reason);
            continue;
        }
        assert_eq!(r.outcome, Outcome::AlreadyImported, "{name}: {:?}", r.reason);
        assert_eq!(
            (r.member.as_deref(), r.cycle, r.revision, r.fingerprint.as_deref()),
            (Some(v.body.member.as_str()), Some(v.body.cycle), Some(v.body.revision), Some(v.fingerprint.as_str()))
        );
        assert_eq!(r.counts, consolidate::counting_for(&new, &v.body.member, v.body.cycle).unwrap());
    }
}

#[test]
fn an_older_database_gets_its_scores_filled_and_an_interrupted_fill_carries_on() {
    let files = demo::generate(13, 2026, 3, 2);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.sqlite3");
    let mut s = Store::open(&db).unwrap();
    for f in &files {
        import::import_bytes(&mut s, &f.file_name, &f.bytes, &[]).unwrap();
    }
    let mut want = register(&s);
    // A database of schema 5 had no plans (issue 23): they go with the downgrade below.
    for m in want.1.iter_mut().flat_map(|c| c.members.iter_mut()) {
        if let Some(a) = m.assessment.as_mut() {
            a.plan.clear();
        }
    }
    let total = s.imported_revisions(None).unwrap().len();
    drop(s);
    // As a database before the scores were stored (schema 5, with the feedback tables) was.
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch(
        "DROP TABLE pillar_score; DROP TABLE revision_score; DROP INDEX assessment_imported_cycle;
         DROP INDEX return_file_open; DROP INDEX return_file_sha256; DROP INDEX return_file_list;
         DROP INDEX response_answered; DROP INDEX assessment_draft;
         ALTER TABLE response DROP COLUMN target_confirmed;
         DROP TABLE proposal_decision; DROP TABLE intervention_member; DROP TABLE intervention_indicator;
         DROP TABLE intervention;
         DROP TABLE plan_action;
         DROP TABLE framework_file; DROP TABLE response_recheck; DROP TABLE return_waiting_content;
         DROP TABLE query_reply; DROP TABLE return_export; ALTER TABLE review DROP COLUMN queried_revision;
         ALTER TABLE assessment DROP COLUMN content_revision;
         DROP TABLE me_target; DROP TABLE me_record;
         DROP TABLE section_out; DROP TABLE colleague_key; DROP TABLE attribution; DROP TABLE section_conflict;
         DROP TABLE contributor_current; DROP TABLE section_in;
         PRAGMA user_version = 5;",
    )
    .unwrap();
    drop(c);

    let mut s = Store::open(&db).unwrap();
    assert_eq!(s.schema_version().unwrap(), cdf_assess::store::SCHEMA_VERSION);
    assert_eq!(s.unscored_revisions(consolidate::SCORING, usize::MAX).unwrap().len(), total);
    assert_eq!(register(&s), want, "without stored scores, the same figures");
    // Interrupted after two steps of 10: those are kept.
    let interrupted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        consolidate::fill_scores_in_steps(&mut s, 10, |done| assert!(done < 20, "interrupted"))
    }));
    assert!(interrupted.is_err());
    drop(s);
    let mut s = Store::open(&db).unwrap();
    assert_eq!(s.unscored_revisions(consolidate::SCORING, usize::MAX).unwrap().len(), total - 20);
    assert_eq!(consolidate::fill_scores(&mut s, |_| {}).unwrap(), total - 20);
    assert!(s.unscored_revisions(consolidate::SCORING, 1).unwrap().is_empty());
    assert_eq!(register(&s), want);
    // Scores of an older version of the rules are computed again.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("UPDATE revision_score SET scoring = 0 WHERE assessment_id % 2 = 0", [])
        .unwrap();
    assert!(!s.unscored_revisions(consolidate::SCORING, 1).unwrap().is_empty());
    consolidate::fill_scores(&mut s, |_| {}).unwrap();
    assert_eq!(register(&s), want);
}

#[test]
fn the_counting_query_and_the_counting_rule_agree_on_random_histories() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite3");
    drop(Store::open(&db).unwrap());
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let members = cdf_assess::framework::members();
    let mut c = rusqlite::Connection::open(&db).unwrap();
    let tx = c.transaction().unwrap();
    let mut rows = Vec::new();
    for g in 0..400usize {
        let (member, cycle) = (&members[g % members.len()].code, 2000 + (g / members.len()) as i32);
        for u in 0..1 + next(3) {
            let uuid = format!("{g}-{u}");
            let retired = next(4) == 0;
            let mut prev_digest: Option<String> = None;
            for rev in 1..=5u32 {
                let held = next(10) < 7;
                let digest = if next(10) == 0 { String::new() } else { format!("d-{uuid}-{rev}-{}", next(2)) };
                let previous = match next(10) {
                    0..=6 => prev_digest.clone(),
                    7 => Some("elsewhere".to_string()),
                    _ => None,
                };
                prev_digest = Some(digest.clone());
                if held {
                    rows.push((member.clone(), cycle, uuid.clone(), rev, digest, previous, next(5) == 0, retired));
                }
            }
        }
    }
    // Arrivals in a shuffled order (which assessment came first matters).
    for i in (1..rows.len()).rev() {
        rows.swap(i, next(i as u64 + 1) as usize);
    }
    for (member, cycle, uuid, rev, digest, previous, confirmed, retired) in &rows {
        tx.execute(
            "INSERT INTO assessment (uuid, member, cycle, revision, framework_version, status, assessor_name,
                assessor_role, language, created_at, updated_at, imported, digest, previous_digest, confirmed, retired)
             VALUES (?1, ?2, ?3, ?4, 1, 'finalised', 'x', 'x', 'en', 't', 't', 1, ?5, ?6, ?7, ?8)",
            rusqlite::params![uuid, member, cycle, rev, digest, previous, confirmed, retired],
        )
        .unwrap();
    }
    tx.commit().unwrap();
    drop(c);
    let s = Store::open(&db).unwrap();
    let obvious: BTreeMap<(i32, String), (u32, usize)> = obvious_counting(&s.imported_revisions(None).unwrap())
        .into_iter()
        .map(|(k, (h, n))| (k, (h.revision, n)))
        .collect();
    assert_eq!(counted(&s), obvious);
    // Some count, some do not, some count beyond revision 1.
    assert!(obvious.len() > 100 && obvious.len() < 400 && obvious.values().any(|(r, _)| *r >= 3));
    for g in (0..400usize).step_by(7) {
        let (member, cycle) = (&members[g % members.len()].code, 2000 + (g / members.len()) as i32);
        assert_eq!(
            consolidate::counting_for(&s, member, cycle).unwrap(),
            obvious.get(&(cycle, member.clone())).map(|(r, _)| *r)
        );
    }
}

#[test]
fn the_csv_and_workbook_tables_are_the_same_without_the_trend() {
    // The `report` command leaves the trend out for csv and xlsx: nothing in their tables uses it.
    let files = demo::generate(8, 2026, 3, 2);
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(&dir.path().join("t.sqlite3")).unwrap();
    for f in &files {
        import::import_bytes(&mut s, &f.file_name, &f.bytes, &[]).unwrap();
    }
    let cycle = s.imported_cycles().unwrap()[0];
    let full = consolidate::consolidate(&s, cycle).unwrap();
    let lean = consolidate::consolidate_without_trend(&s, cycle).unwrap();
    assert!(full.trend.cycles.len() > 1, "the trend is computed where it is shown");
    assert!(lean.trend.cycles.is_empty());
    for lang in [cdf_assess::lang::Lang::En, cdf_assess::lang::Lang::Fr] {
        let (a, b) = (cdf_assess::report::tables::sheets(&full, lang), cdf_assess::report::tables::sheets(&lean, lang));
        assert_eq!(
            a.iter().map(cdf_assess::report::tables::sheet_csv).collect::<Vec<_>>(),
            b.iter().map(cdf_assess::report::tables::sheet_csv).collect::<Vec<_>>()
        );
    }
}
