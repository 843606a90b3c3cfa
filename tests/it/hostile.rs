//! Hostile files in an import folder, messages that echo a file, and a finalise that checks
//! what import checks.

use crate::exchange::finalised;
use crate::store::new_assessment;
use cdf_assess::assessment::limits::{COMMENT_MAX, EVIDENCE_MAX};
use cdf_assess::assessment::{Answer, Assessment, ResponseChange, RevisionChain, Status, StoredRevision};
use cdf_assess::exchange::{self, Rejection, export};
use cdf_assess::lang::Lang;
use cdf_assess::secretariat::import::{Outcome, Reason, import_bytes, import_path};
use cdf_assess::store::{Store, StoreError};
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::time::Duration;

fn good_return(member: &str) -> Vec<u8> {
    let mut store = Store::open_in_memory().unwrap();
    let id = finalised(&mut store, member, 2026);
    export::export(&store.revision_chain(id).unwrap(), None, &crate::exchange::key()).unwrap().bytes
}

fn code(r: &Reason) -> String {
    match r {
        Reason::Rejected(r) => r.code().to_string(),
        other => other.to_stored(),
    }
}

#[test]
fn every_hostile_file_in_a_folder_is_skipped_with_its_reason_and_nothing_hangs() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let good = good_return("TO");
    std::fs::write(inbox.join("TO_2026_r1.ocoreturn"), &good).unwrap();
    std::fs::create_dir(inbox.join("folder.ocoreturn")).unwrap();
    let mut expected: BTreeMap<&str, &str> = BTreeMap::from([
        ("TO_2026_r1.ocoreturn", "accepted"),
        ("folder.ocoreturn", "folder"),
        ("bom.ocoreturn", "byte_order_mark"),
        ("utf16.ocoreturn", "not_utf8"),
        ("packed.ocoreturn", "archive"),
        ("zipped.ocoreturn", "archive"),
        ("nan.ocoreturn", "not_a_number"),
    ]);
    let mut bom = b"\xef\xbb\xbf".to_vec();
    bom.extend_from_slice(&good);
    std::fs::write(inbox.join("bom.ocoreturn"), bom).unwrap();
    let mut utf16 = vec![0xff, 0xfe];
    for u in String::from_utf8(good.clone()).unwrap().encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(inbox.join("utf16.ocoreturn"), utf16).unwrap();
    std::fs::write(inbox.join("packed.ocoreturn"), [&[0x1f, 0x8b, 8, 0][..], &good[..100]].concat()).unwrap();
    std::fs::write(inbox.join("zipped.ocoreturn"), [&b"PK\x03\x04"[..], &good[..100]].concat()).unwrap();
    let text = String::from_utf8(good.clone()).unwrap();
    let at = text.find("\"overall\":").unwrap() + "\"overall\":".len();
    let end = at + text[at..].find(',').unwrap();
    std::fs::write(inbox.join("nan.ocoreturn"), format!("{}NaN{}", &text[..at], &text[end..])).unwrap();
    #[cfg(unix)]
    {
        let fifo = inbox.join("fifo.ocoreturn");
        if std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()) {
            expected.insert("fifo.ocoreturn", "special_file");
        }
        std::os::unix::fs::symlink("/dev/null", inbox.join("null.ocoreturn")).unwrap();
        expected.insert("null.ocoreturn", "special_file");
        use std::os::unix::fs::PermissionsExt;
        let locked = inbox.join("locked.ocoreturn");
        std::fs::write(&locked, &good).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        // Root reads it anyway: then it is simply another copy of the good return.
        let unreadable = std::fs::read(&locked).is_err();
        expected.insert("locked.ocoreturn", if unreadable { "unreadable" } else { "already_imported" });
    }
    let db = dir.path().join("sec.sqlite3");
    let files = cdf_assess::app::files::expand(vec![inbox.clone()]);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut store = Store::open(&db).unwrap();
        let results: Vec<_> = files.iter().map(|f| import_path(&mut store, f, &[]).unwrap()).collect();
        let _ = tx.send(results);
    });
    let results = rx.recv_timeout(Duration::from_secs(10)).expect("the import hung on a hostile file");
    let got: BTreeMap<String, String> = results
        .iter()
        .map(|r| {
            let c = if r.outcome == Outcome::Rejected { code(&r.reason) } else { r.outcome.code().to_string() };
            (r.file_name.clone(), c)
        })
        .collect();
    let want: BTreeMap<String, String> = expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    assert_eq!(got, want);
    for r in &results {
        for lang in Lang::ALL {
            let m = r.reason.message(lang);
            assert!(!m.contains('{'), "{m}");
        }
    }
}

#[test]
fn the_same_conflicting_file_twice_makes_one_conflict() {
    let good = good_return("WS");
    let v = exchange::read(&good, &[]).unwrap();
    let mut body = v.body.clone();
    body.approved_by = "Someone else".into();
    let other = exchange::write(body, &crate::exchange::key());
    let mut sec = Store::open_in_memory().unwrap();
    assert_eq!(import_bytes(&mut sec, "a.ocoreturn", &good, &[]).unwrap().outcome, Outcome::Accepted);
    for _ in 0..2 {
        assert_eq!(import_bytes(&mut sec, "b.ocoreturn", &other, &[]).unwrap().outcome, Outcome::Conflict);
    }
    let conflicts = sec.received_files().unwrap().into_iter().filter(|f| f.outcome == "conflict").count();
    assert_eq!(conflicts, 1);
    assert_eq!(sec.open_conflicts(2026).unwrap().len(), 1);
}

fn assert_clean(m: &str) {
    assert!(!m.chars().any(|c| c.is_control()), "control characters in {m:?}");
    assert!(m.chars().count() < 400, "not capped: {} chars", m.chars().count());
}

#[test]
fn messages_echoing_a_file_are_clean_and_capped() {
    let v = exchange::read(&good_return("FJ"), &[]).unwrap();
    let mut body = v.body.clone();
    body.member = format!("\x1b[31m\x1b]0;owned\x07{}\u{202e}", "X".repeat(300_000));
    let bytes = exchange::write(body, &crate::exchange::key());
    let r = exchange::read(&bytes, &[]).unwrap_err();
    assert!(matches!(r, Rejection::UnknownMember(_)), "{r:?}");
    for lang in Lang::ALL {
        let m = r.message(lang);
        assert_clean(&m);
        assert!(m.contains('…') && m.contains("[31m"), "{m}");
    }
    let inconsistent = Reason::Inconsistent { member: format!("\x1b[2J{}", "Y".repeat(5000)), cycle: 2026 };
    assert_clean(&inconsistent.message(Lang::En));
    for r in [
        Rejection::Malformed(format!("unknown field `\x1b[1m{}`", "z".repeat(10_000))),
        Rejection::InvalidValue { indicator: "\x07WF-01".into(), value: "\n".repeat(1000) },
        Rejection::TooLong { field: "\x1bx".repeat(500), max: 5000 },
    ] {
        assert_clean(&r.message(Lang::Fr));
    }
}

#[test]
fn the_store_keeps_no_text_longer_than_a_return_carries() {
    let mut s = Store::open_in_memory().unwrap();
    let id = s.create_assessment(&new_assessment("FJ", 2026)).unwrap();
    let ok = "é".repeat(COMMENT_MAX);
    s.update_response(id, "WF-01", &ResponseChange::Comment(ok.clone())).unwrap();
    s.update_response(id, "WF-01", &ResponseChange::Evidence("🚢".repeat(EVIDENCE_MAX))).unwrap();
    for c in [ResponseChange::Comment(format!("{ok}x")), ResponseChange::Evidence("e".repeat(EVIDENCE_MAX + 1))] {
        assert!(matches!(s.update_response(id, "WF-01", &c), Err(StoreError::Invalid(_))));
    }
    assert_eq!(s.load(id).unwrap().response("WF-01").unwrap().comment, ok);
}

/// The return export would write for `a` signed off by `approved_by`, read back.
fn exported_and_read(a: &Assessment, approved_by: &str) -> Result<exchange::Verified, Rejection> {
    let mut a = a.clone();
    a.header.status = Status::Finalised;
    a.header.approved_by = Some(approved_by.trim().to_string());
    a.header.finalised_at = Some("2026-11-26T10:15:00Z".into());
    let chain = RevisionChain {
        revision: StoredRevision { assessment: a, app_version: None, previous_digest: None, digest: None },
        earlier: vec![],
    };
    let body = export::body_of(&chain).expect("a finalised revision has a body");
    exchange::read(&exchange::write(body, &crate::exchange::key()), &[])
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::collection::vec(any::<char>(), 0..24).prop_map(|v| v.into_iter().collect()),
        1 => Just("\u{202e}Arabic مرحبا e\u{301}\u{301} 🚢🇫🇯 \x1b[0m\0".to_string()),
        2 => (4990usize..5010, any::<char>()).prop_map(|(n, c)| std::iter::repeat_n(c, n).collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn what_finalise_accepts_import_accepts(
        answers in proptest::collection::vec(0u8..7, 80),
        blank in proptest::option::weighted(0.2, 0usize..80),
        texts in proptest::collection::vec((0usize..80, text(), text()), 0..4),
        approved_by in prop_oneof![4 => "[A-Za-z ]{1,30}", 1 => text()],
    ) {
        let mut s = Store::open_in_memory().unwrap();
        let id = s.create_assessment(&new_assessment("KI", 2026)).unwrap();
        let mut a = s.load(id).unwrap();
        let n = a.responses.len();
        for (i, r) in a.responses.iter_mut().enumerate() {
            r.answer = match answers[i % answers.len()] {
                5 => Answer::NotApplicable,
                6 => Answer::Insufficient,
                l => Answer::Level(l),
            };
        }
        if let Some(b) = blank {
            a.responses[b % n].answer = Answer::Unanswered;
        }
        for (i, evidence, comment) in texts {
            a.responses[i % n].evidence = evidence;
            a.responses[i % n].comment = comment;
        }
        let problems = exchange::finalise_problems(&a, &approved_by);
        let read = exported_and_read(&a, &approved_by);
        prop_assert_eq!(problems.is_empty(), read.is_ok(), "problems {:?}, read {:?}", problems, read.err());
        for p in &problems {
            prop_assert!(!p.message(Lang::En).chars().any(|c| c.is_control()));
        }
    }
}
