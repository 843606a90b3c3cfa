use cdf_assess::assessment::{Answer, Commitment, Confidence, NewAssessment, ResponseChange, Status};
use cdf_assess::framework;
use cdf_assess::store::{Store, StoreError, migrations};

pub fn new_assessment(member: &str, cycle: i32) -> NewAssessment {
    NewAssessment {
        member: member.into(),
        cycle,
        assessor_name: "Sela Tupou".into(),
        assessor_role: "Manager, Policy".into(),
        language: "en".into(),
    }
}

#[test]
fn migrations_are_valid_and_apply_from_empty() {
    migrations().validate().expect("migrations validate");
    let store = Store::open_in_memory().expect("open");
    assert_eq!(store.schema_version().unwrap(), cdf_assess::store::SCHEMA_VERSION);
    assert!(store.list().unwrap().is_empty());
}

#[test]
fn a_new_assessment_has_every_indicator_with_default_targets_and_the_baseline_profile() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store.create_assessment(&new_assessment("TO", 2026)).unwrap();
    let a = store.load(id).unwrap();
    let fw = framework::current();
    assert_eq!(a.responses.len(), fw.indicators.len());
    for (r, ind) in a.responses.iter().zip(&fw.indicators) {
        assert_eq!(r.indicator, ind.code);
        assert_eq!(r.target, ind.default_target);
        assert_eq!(r.answer, Answer::Unanswered);
    }
    assert_eq!(a.profile, framework::member("TO").unwrap().baseline);
    assert_eq!((a.header.revision, a.header.status), (1, Status::Draft));
    assert!(store.create_assessment(&new_assessment("XX", 2026)).is_err(), "unknown member refused");
}

#[test]
fn every_field_of_a_response_round_trips() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store.create_assessment(&new_assessment("FJ", 2026)).unwrap();
    let changes = [
        ResponseChange::Answer(Answer::Level(2)),
        ResponseChange::Target(4),
        ResponseChange::Confidence(Some(Confidence::High)),
        ResponseChange::Commitment(Some(Commitment::Partly)),
        ResponseChange::Evidence("Training plan 2025, signed".into()),
        ResponseChange::Comment("Budget pending — « accents » ok".into()),
    ];
    for c in &changes {
        store.update_response(id, "LP-03", c).unwrap();
    }
    store.update_response(id, "DC-01", &ResponseChange::Answer(Answer::NotApplicable)).unwrap();
    store.update_response(id, "DC-02", &ResponseChange::Answer(Answer::Insufficient)).unwrap();
    let a = store.load(id).unwrap();
    let r = a.response("LP-03").unwrap();
    assert_eq!(r.answer, Answer::Level(2));
    assert_eq!(r.target, 4);
    assert_eq!(r.confidence, Some(Confidence::High));
    assert_eq!(r.commitment, Some(Commitment::Partly));
    assert_eq!(r.evidence, "Training plan 2025, signed");
    assert_eq!(r.comment, "Budget pending — « accents » ok");
    assert_eq!(a.response("DC-01").unwrap().answer, Answer::NotApplicable);
    assert_eq!(a.response("DC-02").unwrap().answer, Answer::Insufficient);
    assert_eq!(a.answered(), 3);
    assert!(store.update_response(id, "ZZ-99", &ResponseChange::Target(1)).is_err());
    assert!(store.update_response(id, "LP-03", &ResponseChange::Target(5)).is_err());
}

#[test]
fn a_draft_survives_closing_and_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data").join("cdf.sqlite3");
    let id = {
        let mut store = Store::open(&path).unwrap();
        let id = store.create_assessment(&new_assessment("SB", 2025)).unwrap();
        store.update_response(id, "WF-01", &ResponseChange::Answer(Answer::Level(3))).unwrap();
        store.update_response(id, "WF-01", &ResponseChange::Comment("kept".into())).unwrap();
        store.set_setting("lang", "fr").unwrap();
        id
        // dropped here without any explicit save
    };
    let store = Store::open(&path).unwrap();
    let a = store.load(id).unwrap();
    assert_eq!(a.response("WF-01").unwrap().answer, Answer::Level(3));
    assert_eq!(a.response("WF-01").unwrap().comment, "kept");
    assert_eq!(store.setting("lang").unwrap().as_deref(), Some("fr"));
}

#[test]
fn a_finalised_revision_cannot_be_edited_and_a_revision_copies_it() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store.create_assessment(&new_assessment("VU", 2026)).unwrap();
    store.update_response(id, "RD-01", &ResponseChange::Answer(Answer::Level(1))).unwrap();
    assert!(store.finalise(id, "  ").is_err(), "a sign-off needs a name");
    store.finalise(id, "Collector of Customs").unwrap();
    let h = store.header(id).unwrap();
    assert_eq!(h.status, Status::Finalised);
    assert_eq!(h.approved_by.as_deref(), Some("Collector of Customs"));
    for change in [ResponseChange::Answer(Answer::Level(4)), ResponseChange::Comment("x".into())] {
        assert!(matches!(store.update_response(id, "RD-01", &change), Err(StoreError::Finalised)));
    }
    assert!(matches!(store.update_profile(id, &Default::default()), Err(StoreError::Finalised)));
    assert!(matches!(store.finalise(id, "Again"), Err(StoreError::Finalised)));

    let r2 = store.start_revision(id).unwrap();
    let a2 = store.load(r2).unwrap();
    assert_eq!((a2.header.revision, a2.header.status), (2, Status::Draft));
    assert_eq!(a2.header.uuid, h.uuid);
    assert_eq!(a2.response("RD-01").unwrap().answer, Answer::Level(1));
    store.update_response(r2, "RD-01", &ResponseChange::Answer(Answer::Level(3))).unwrap();
    assert_eq!(store.load(id).unwrap().response("RD-01").unwrap().answer, Answer::Level(1), "r1 unchanged");
    assert!(store.start_revision(r2).is_err(), "a draft cannot be revised");
    assert!(store.start_revision(id).is_err(), "r2 already exists");
}

#[test]
fn a_second_instance_on_the_same_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cdf.sqlite3");
    let first = Store::open(&path).unwrap();
    match Store::open(&path) {
        Err(StoreError::Locked { path: p, holder }) => {
            assert_eq!(p, path);
            assert_eq!(holder, Some(cdf_assess::store::Holder::Window));
        }
        Err(e) => panic!("expected Locked, got {e}"),
        Ok(_) => panic!("a second instance was allowed"),
    }
    drop(first);
    Store::open(&path).expect("free again once the first closes");
}

#[test]
fn a_corrupt_or_foreign_file_is_reported_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.sqlite3");
    let bytes: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&garbage, &bytes).unwrap();
    assert!(matches!(Store::open(&garbage), Err(StoreError::NotADatabase(_))));
    assert_eq!(std::fs::read(&garbage).unwrap(), bytes, "never overwritten");

    let foreign = dir.path().join("other-app.sqlite3");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute_batch(
            "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);",
        )
        .unwrap();
    }
    let before = std::fs::read(&foreign).unwrap();
    assert!(matches!(Store::open(&foreign), Err(StoreError::NotADatabase(_))));
    assert_eq!(std::fs::read(&foreign).unwrap(), before);

    // A real database whose middle pages were damaged.
    let damaged = dir.path().join("damaged.sqlite3");
    {
        let mut s = Store::open(&damaged).unwrap();
        for m in ["FJ", "TO", "WS", "PG"] {
            s.create_assessment(&new_assessment(m, 2026)).unwrap();
        }
    }
    let mut b = std::fs::read(&damaged).unwrap();
    let _ = std::fs::remove_file(dir.path().join("damaged.sqlite3-wal"));
    for x in b.iter_mut().skip(4096).take(8192) {
        *x = 0xA5;
    }
    std::fs::write(&damaged, &b).unwrap();
    let result = Store::open(&damaged);
    assert!(matches!(result, Err(StoreError::NotADatabase(_))), "damage detected: {:?}", result.err());
}

#[test]
fn a_database_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.sqlite3");
    drop(Store::open(&path).unwrap());
    rusqlite::Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
    assert!(matches!(Store::open(&path), Err(StoreError::TooNew { found: 99, .. })));
}

/// A draft started before a content revision added indicators (simulated by removing their rows)
/// gets them when the database is next opened, keeps its answers, and can answer the new ones.
#[test]
fn a_draft_started_before_new_indicators_gets_them_and_keeps_its_answers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cdf.sqlite3");
    let fw = framework::current();
    let added: Vec<&str> = fw.indicators.iter().filter(|i| i.since > 1).map(|i| i.code.as_str()).collect();
    let new_one = added.first().copied().unwrap_or("WF-01");
    let id = {
        let mut store = Store::open(&path).unwrap();
        let id = store.create_assessment(&new_assessment("FJ", 2026)).unwrap();
        store.update_response(id, "LP-03", &ResponseChange::Answer(Answer::Level(2))).unwrap();
        id
    };
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "DELETE FROM response WHERE assessment_id = ?1 AND indicator = ?2",
            rusqlite::params![id.0, new_one],
        )
        .unwrap();
        let left: i64 = conn.query_row("SELECT count(*) FROM response", [], |r| r.get(0)).unwrap();
        assert_eq!(left as usize, fw.indicators.len() - 1);
    }
    let mut store = Store::open(&path).unwrap();
    let a = store.load(id).unwrap();
    let codes: Vec<&str> = a.responses.iter().map(|r| r.indicator.as_str()).collect();
    let expected: Vec<&str> = fw.indicators.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes, expected, "every indicator, in the framework's order");
    assert_eq!(a.response("LP-03").unwrap().answer, Answer::Level(2), "the old answer is kept");
    store.update_response(id, new_one, &ResponseChange::Answer(Answer::Level(3))).unwrap();
    assert_eq!(store.load(id).unwrap().response(new_one).unwrap().answer, Answer::Level(3));
}

/// The same when the row is missing at the moment of answering (a database opened read-only
/// earlier, say): the answer is kept, not refused.
#[test]
fn answering_an_indicator_a_draft_lacks_adds_its_row() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store.create_assessment(&new_assessment("TO", 2026)).unwrap();
    store.update_response(id, "WF-01", &ResponseChange::Answer(Answer::Level(1))).unwrap();
    // No public way to remove a row: a revision of a finalised return shows that revisions get
    // every indicator; an unknown code is still refused.
    assert!(store.update_response(id, "ZZ-99", &ResponseChange::Answer(Answer::Level(1))).is_err());
    assert_eq!(store.load(id).unwrap().response("WF-01").unwrap().answer, Answer::Level(1));
}

/// The window (this process) holds the database. Another program that opens it (a SQLite
/// browser) deletes the `-wal` when it closes if it can take an exclusive lock on the file, that
/// is if no one holds SQLite's shared lock on it; the window would go on writing into a deleted
/// `-wal` and lose every answer since at a crash or a power cut. The window's lock was dropped at
/// open by a second handle on the file closed in the same process (the header check: closing
/// any handle drops all the process's POSIX locks on a file). Checked from another process with
/// `F_GETLK` on SQLite's shared-lock bytes, after opening and after each answer.
#[cfg(unix)]
#[test]
fn while_the_window_has_the_database_another_program_cannot_take_it_over() {
    if let Ok(db) = std::env::var("CDF_FOREIGN_DB") {
        // The other program: is there a lock that stops an exclusive one (SQLite's lock bytes)?
        let f = std::fs::OpenOptions::new().read(true).write(true).open(&db).unwrap();
        // SAFETY: a zeroed plain struct filled in; the descriptor is open for the call.
        let mut lock: libc::flock = unsafe { std::mem::zeroed() };
        lock.l_type = libc::F_WRLCK as _;
        lock.l_whence = libc::SEEK_SET as _;
        lock.l_start = 1_073_741_824 + 2; // SQLite's SHARED_FIRST
        lock.l_len = 510;
        let r = unsafe { libc::fcntl(std::os::unix::io::AsRawFd::as_raw_fd(&f), libc::F_GETLK, &mut lock) };
        assert_eq!(r, 0);
        println!("FOREIGN {}", if i32::from(lock.l_type) == libc::F_UNLCK { "free" } else { "held" });
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("open.sqlite3");
    Store::create_new(&db).unwrap();
    let foreign = || {
        let o = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "store::while_the_window_has_the_database_another_program_cannot_take_it_over",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("CDF_FOREIGN_DB", &db)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&o.stdout).to_string();
        assert!(o.status.success() && said.contains("FOREIGN "), "{said}");
        said.contains("FOREIGN held")
    };
    // Opened as the window opens an existing database (the header check runs then).
    let mut store = Store::open(&db).unwrap();
    assert!(foreign(), "after opening, another program could take the database over");
    let id = store.create_assessment(&new_assessment("FJ", 2026)).unwrap();
    let codes: Vec<String> = store.load(id).unwrap().responses.iter().map(|r| r.indicator.clone()).collect();
    for (i, code) in codes.iter().take(6).enumerate() {
        store.update_response(id, code, &ResponseChange::Answer(Answer::Level((i % 5) as u8))).unwrap();
        assert!(foreign(), "after answer {}, another program could take the database over", i + 1);
    }
    // A file the user points at that is the database itself (any name of it) is refused
    // unopened: opening and closing it here would drop the lock too.
    let again = dir.path().join("again.ocoreturn");
    std::fs::hard_link(&db, &again).unwrap();
    assert_eq!(cdf_assess::exchange::read_file_limited(&again), Err(cdf_assess::exchange::Rejection::OwnDatabase));
    assert!(!cdf_assess::app::ops::is_feedback_file(&again));
    assert!(!cdf_assess::fwfiles::is_framework_file(&again));
    assert!(foreign(), "after the refusals, another program could take the database over");
    drop(store);
    assert!(!cdf_assess::openfiles::is_open_database(&db), "forgotten once closed");
    assert!(!foreign(), "once closed, the database is free");
}
