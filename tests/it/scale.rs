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
fn a_rejected_or_failed_file_in_a_batch_changes_nothing_and_the_others_are_kept() {
    let files = demo::generate(6, 2026, 1, 1);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.sqlite3");
    let mut s = Store::open(&db).unwrap();
    let mut b = Batch::new();
    let (first, rest) = files.split_at(3);
    for f in first {
        assert_eq!(b.import_bytes(&mut s, &f.file_name, &f.bytes, &[]).unwrap().outcome, Outcome::Accepted);
    }
    let r = b.import_bytes(&mut s, "broken.ocoreturn", b"not a return", &[]).unwrap();
    assert_eq!(r.outcome, Outcome::Rejected);
    // A file whose import fails half-way (here: after it was written) leaves nothing behind.
    let failed: Result<(), StoreError> = s.unit(|s| {
        import::import_bytes(s, &rest[0].file_name, &rest[0].bytes, &[])?;
        Err(StoreError::Invalid("disk trouble".into()))
    });
    assert!(failed.is_err());
    for f in &rest[1..3] {
        assert_eq!(b.import_bytes(&mut s, &f.file_name, &f.bytes, &[]).unwrap().outcome, Outcome::Accepted);
    }
    b.finish(&mut s).unwrap();
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
            b.import_bytes(&mut s, &f.file_name, &f.bytes, &[]).unwrap();
        }
        s.rollback_batch(); // as a crash before the commit
    }
    let mut s = Store::open(&db).unwrap();
    assert!(s.received_files().unwrap().is_empty());
    let mut b = Batch::new();
    for f in &files[..4] {
        assert_eq!(b.import_bytes(&mut s, &f.file_name, &f.bytes, &[]).unwrap().outcome, Outcome::Accepted);
    }
    b.finish(&mut s).unwrap();
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
