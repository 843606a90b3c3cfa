//! Backups, restores, checks, and the database that must never start over silently.

use crate::store::new_assessment;
use cdf_assess::assessment::{Answer, Assessment, ResponseChange};
use cdf_assess::lang::Lang;
use cdf_assess::store::{MAX_AUTO_BACKUPS, Store, StoreError};
use std::path::{Path, PathBuf};

fn backups(db: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(db.parent().unwrap().join("backups"))
        .map(|rd| rd.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn all(store: &Store) -> Vec<Assessment> {
    store.list().unwrap().iter().map(|s| store.load(s.header.id).unwrap()).collect()
}

#[test]
fn a_backup_made_while_open_restores_the_same_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("admin.sqlite3");
    let out = dir.path().join("usb").join("copy.sqlite3");
    let mut s = Store::open(&db).unwrap();
    for (m, level) in [("FJ", 2), ("TO", 3)] {
        let id = s.create_assessment(&new_assessment(m, 2026)).unwrap();
        s.update_response(id, "WF-01", &ResponseChange::Answer(Answer::Level(level))).unwrap();
        s.update_response(id, "WF-01", &ResponseChange::Comment(format!("{m} « ok » 🚢"))).unwrap();
    }
    let id = s.list().unwrap()[0].header.id;
    s.finalise(id, "Collector").unwrap();
    let before = all(&s);
    s.backup_to(&out, false).unwrap();
    // The backup is one self-contained file in rollback-journal mode (header bytes 18-19 = 1).
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!((bytes[18], bytes[19]), (1, 1));
    assert!(!out.with_file_name("copy.sqlite3-wal").exists());
    // A change made after the backup, which the restore undoes.
    s.create_assessment(&new_assessment("WS", 2026)).unwrap();
    let after = all(&s);

    let info = Store::inspect_backup(&out).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), bytes, "inspecting never changes the file");
    assert_eq!(info.members, ["FJ", "TO"]);
    assert_eq!((info.assessments, info.cycles.clone()), (2, vec![2026]));
    assert!(info.newest_finalised.is_some() && info.newest_update.is_some());

    // Not while the database is open.
    assert!(matches!(Store::restore_from(&out, &db), Err(StoreError::Locked { .. })));
    drop(s);
    let r = Store::restore_from(&out, &db).unwrap();
    let kept = r.before.expect("the database as it was is backed up first");
    assert!(kept.file_name().unwrap().to_string_lossy().contains("-before-restore"));
    let s = Store::open(&db).unwrap();
    assert_eq!(all(&s), before);
    assert!(s.check().unwrap().is_ok());
    drop(s);
    // And the before-restore backup holds what was replaced.
    assert_eq!(Store::inspect_backup(&kept).unwrap().assessments, after.len());
}

#[test]
fn a_restore_replaces_a_database_that_is_not_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.sqlite3");
    let good = dir.path().join("good.sqlite3");
    {
        let mut s = Store::open(&good).unwrap();
        s.create_assessment(&new_assessment("PG", 2025)).unwrap();
    }
    std::fs::write(&db, b"garbage, not a database").unwrap();
    Store::restore_from(&good, &db).unwrap();
    let s = Store::open(&db).unwrap();
    assert_eq!(s.list().unwrap().len(), 1);
    let kept = s.backups().into_iter().find(|p| p.to_string_lossy().contains("before-restore")).unwrap();
    assert_eq!(std::fs::read(kept).unwrap(), b"garbage, not a database", "the raw bytes are kept");
    // A damaged or empty backup is refused before anything changes.
    let empty = dir.path().join("empty.sqlite3");
    std::fs::write(&empty, b"").unwrap();
    drop(s);
    assert!(matches!(Store::restore_from(&empty, &db), Err(StoreError::NotInitialised(_))));
}

#[test]
fn a_copy_without_its_wal_is_refused_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("live.sqlite3");
    let copy = dir.path().join("copy.sqlite3");
    let mut s = Store::open(&db).unwrap();
    s.create_assessment(&new_assessment("FJ", 2026)).unwrap();
    std::fs::copy(&db, &copy).unwrap();
    let bytes = std::fs::read(&copy).unwrap();
    match Store::open(&copy) {
        Err(e @ StoreError::NotInitialised(_)) => {
            let m = e.message(Lang::En);
            assert!(m.contains("backups") && m.contains("copy"), "{m}");
            assert_ne!(e.message(Lang::Fr), m);
        }
        other => panic!("expected NotInitialised, got {:?}", other.err()),
    }
    assert_eq!(std::fs::read(&copy).unwrap(), bytes, "left byte-identical");
    drop(s);

    let empty = dir.path().join("empty.sqlite3");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(Store::open(&empty), Err(StoreError::NotInitialised(_))));
    assert_eq!(std::fs::read(&empty).unwrap(), b"");
    // On purpose, it becomes a new database; a real one is never overwritten that way.
    let s = Store::create_new(&empty).unwrap();
    assert!(s.list().unwrap().is_empty());
    drop(s);
    assert!(matches!(Store::create_new(&empty), Err(StoreError::AlreadyExists(_))));
    assert!(matches!(Store::create_new(&db), Err(StoreError::AlreadyExists(_))));
}

#[test]
fn automatic_backups_daily_on_finalise_rotated_and_never_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cdf-assess.sqlite3");
    let mut s = Store::open(&db).unwrap();
    let daily = backups(&db);
    assert_eq!(daily.len(), 1, "one daily backup on open");
    assert!(daily[0].file_name().unwrap().to_string_lossy().ends_with("-daily.sqlite3"));
    drop(s);
    s = Store::open(&db).unwrap();
    assert_eq!(backups(&db).len(), 1, "not twice a day");
    for (i, m) in ["FJ", "TO", "WS", "PG", "SB", "VU", "KI", "NR", "TV", "CK", "NU", "PW"].iter().enumerate() {
        let id = s.create_assessment(&new_assessment(m, 2026)).unwrap();
        s.finalise(id, "Head").unwrap();
        assert!(s.last_backup_problem().is_none());
        assert_eq!(backups(&db).len(), (i + 2).min(MAX_AUTO_BACKUPS));
    }
    let names = s.backups();
    assert_eq!(names.len(), MAX_AUTO_BACKUPS);
    assert!(names.iter().all(|p| p.to_string_lossy().contains("-finalise")), "the oldest went first");
    assert_eq!(Store::inspect_backup(&names[0]).unwrap().assessments, 12, "newest first");
    assert_eq!(Store::inspect_backup(&names[9]).unwrap().assessments, 3);

    // A backups folder that cannot be written does not stop a sign-off.
    std::fs::remove_dir_all(dir.path().join("backups")).unwrap();
    std::fs::write(dir.path().join("backups"), b"in the way").unwrap();
    let id = s.create_assessment(&new_assessment("FM", 2026)).unwrap();
    s.finalise(id, "Head").unwrap();
    let problem = s.last_backup_problem().expect("the failure is kept for the app to show");
    assert!(problem.backup_message(Lang::En).contains("backup"));
    assert_eq!(s.header(id).unwrap().status, cdf_assess::assessment::Status::Finalised);
}

#[test]
fn an_older_schema_is_backed_up_before_it_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.sqlite3");
    {
        let mut c = rusqlite::Connection::open(&db).unwrap();
        cdf_assess::store::migrations().to_version(&mut c, 1).unwrap();
        c.execute_batch(
            "INSERT INTO assessment (uuid, member, cycle, revision, framework_version, status, assessor_name,
                assessor_role, language, created_at, updated_at)
             VALUES ('u', 'FJ', 2024, 1, 1, 'draft', 'A', 'B', 'en', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z')",
        )
        .unwrap();
    }
    let s = Store::open(&db).unwrap();
    assert_eq!(s.schema_version().unwrap(), cdf_assess::store::SCHEMA_VERSION);
    let kept = backups(&db).into_iter().find(|p| p.to_string_lossy().contains("before-migration")).unwrap();
    let info = Store::inspect_backup(&kept).unwrap();
    assert_eq!((info.schema_version, info.assessments), (1, 1));
}

#[test]
fn check_reports_a_sound_database() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("c.sqlite3")).unwrap();
    let r = s.check().unwrap();
    assert_eq!(r.integrity, ["ok"]);
    assert!(r.foreign_keys.is_empty() && r.is_ok());
}

#[cfg(unix)]
#[test]
fn a_symlink_or_a_hard_link_to_an_open_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("real.sqlite3");
    let held = Store::open(&db).unwrap();
    let sym = dir.path().join("sym.sqlite3");
    std::os::unix::fs::symlink(&db, &sym).unwrap();
    let other = dir.path().join("elsewhere");
    std::fs::create_dir(&other).unwrap();
    let hard = other.join("hard.sqlite3");
    std::fs::hard_link(&db, &hard).unwrap();
    for p in [&sym, &hard] {
        match Store::open(p) {
            Err(e @ StoreError::Locked { .. }) => assert!(e.message(Lang::En).contains("already open")),
            other => panic!("{} was let in: {:?}", p.display(), other.err()),
        }
    }
    drop(held);
    drop(Store::open(&hard).expect("free once the first closes"));
}
