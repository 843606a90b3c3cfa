//! What Windows needs and Linux can test: the database moved out of the roaming profile.

use crate::store::new_assessment;
use cdf_assess::assessment::{Answer, Assessment, ResponseChange};
use cdf_assess::store::{MOVED_SUFFIX, Store, StoreError, move_database};
use std::path::Path;

const COMPANIONS: [&str; 3] = ["signing-key.minisign", "signing-key.pub", "secretariat-identity.txt"];

fn all(store: &Store) -> Vec<Assessment> {
    store.list().unwrap().iter().map(|s| store.load(s.header.id).unwrap()).collect()
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| rd.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn the_roaming_database_moves_to_the_local_folder_with_its_keys() {
    let dir = tempfile::tempdir().unwrap();
    let roaming = dir.path().join("Roaming").join("OCO").join("cdf-assess").join("data");
    let local = dir.path().join("Local").join("OCO").join("cdf-assess").join("data");
    let (old, new) = (roaming.join("cdf-assess.sqlite3"), local.join("cdf-assess.sqlite3"));

    // Nothing to move: nothing happens, nothing is made.
    assert_eq!(move_database(&old, &new, &COMPANIONS).unwrap(), None);
    assert!(!local.exists());

    let mut s = Store::open(&old).unwrap();
    let id = s.create_assessment(&new_assessment("NC", 2026)).unwrap();
    s.update_response(id, "WF-01", &ResponseChange::Answer(Answer::Level(3))).unwrap();
    s.update_response(id, "WF-02", &ResponseChange::Comment("réponse « ok » 🚢".into())).unwrap();
    s.finalise(id, "Directeur").unwrap();
    for (name, text) in COMPANIONS.iter().zip(["secret key", "public key", "AGE-SECRET-KEY-1..."]) {
        std::fs::write(roaming.join(name), text).unwrap();
    }
    // While the old version's window holds it, it is not moved, and nothing changes.
    assert!(matches!(move_database(&old, &new, &COMPANIONS), Err(StoreError::Locked { .. })));
    assert!(old.exists() && !new.exists());

    // The latest changes are still in the `-wal` when the old version stopped (a crash): the
    // copy holds them.
    s.create_assessment(&new_assessment("PF", 2026)).unwrap();
    let wal = roaming.join("cdf-assess.sqlite3-wal");
    assert!(std::fs::metadata(&wal).unwrap().len() > 0, "the last change is in the -wal");
    let crashed = dir.path().join("crashed");
    std::fs::create_dir_all(&crashed).unwrap();
    for n in names(&roaming).iter().filter(|n| n.starts_with("cdf-assess.sqlite3") && !n.ends_with(".lock")) {
        std::fs::copy(roaming.join(n), crashed.join(n)).unwrap();
    }
    let want = all(&s);
    drop(s);
    std::fs::remove_file(&old).unwrap();
    for n in names(&crashed) {
        std::fs::rename(crashed.join(&n), roaming.join(&n)).unwrap();
    }
    assert!(wal.exists());

    let m = move_database(&old, &new, &COMPANIONS).unwrap().expect("moved");
    assert_eq!(m.to, new);
    assert_eq!(m.kept, roaming.join(format!("cdf-assess.sqlite3{MOVED_SUFFIX}")));
    assert_eq!(m.companions.len(), 3);
    assert!(m.backups >= 1, "the automatic backups are copied too");
    // The old file is kept, renamed, and still opens; the new one holds everything.
    assert!(!old.exists());
    assert_eq!(Store::inspect_backup(&m.kept).unwrap().assessments, 2);
    let s = Store::open(&new).unwrap();
    assert_eq!(all(&s), want);
    assert!(s.check().unwrap().is_ok());
    drop(s);
    for name in COMPANIONS {
        assert_eq!(
            std::fs::read(local.join(name)).unwrap(),
            std::fs::read(roaming.join(format!("{name}{MOVED_SUFFIX}"))).unwrap()
        );
        assert!(!roaming.join(name).exists(), "{name} no longer in the roaming folder");
    }
    assert!(!names(&local).iter().any(|n| n.ends_with(".moving")), "{:?}", names(&local));
    assert!(!names(&local.join("backups")).is_empty());

    // Once moved, never again (even if an old version made a new roaming database since).
    Store::open(&old).unwrap();
    assert_eq!(move_database(&old, &new, &COMPANIONS).unwrap(), None);
    assert_eq!(all(&Store::open(&new).unwrap()), want);
}

#[test]
fn a_damaged_roaming_database_stays_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) =
        (dir.path().join("roaming").join("cdf-assess.sqlite3"), dir.path().join("local").join("cdf-assess.sqlite3"));
    std::fs::create_dir_all(old.parent().unwrap()).unwrap();
    std::fs::write(&old, b"not a database, but someone's file").unwrap();
    std::fs::write(old.with_file_name("signing-key.minisign"), b"key").unwrap();
    assert!(matches!(move_database(&old, &new, &COMPANIONS), Err(StoreError::NotADatabase(_))));
    assert_eq!(std::fs::read(&old).unwrap(), b"not a database, but someone's file");
    assert!(old.with_file_name("signing-key.minisign").exists());
    assert!(!new.exists());
    assert!(names(new.parent().unwrap()).iter().all(|n| n.ends_with(".lock")), "{:?}", names(new.parent().unwrap()));
}
