//! Return files: round trip, tamper detection, the bad-file corpus, import outcomes.

use crate::store::new_assessment;
use cdf_assess::assessment::{Answer, Commitment, Confidence, NeedCategory, ResponseChange};
use cdf_assess::exchange::sign::SigningKey;
use cdf_assess::exchange::{self, Rejection, export, keys};
use cdf_assess::framework;
use cdf_assess::ids::AssessmentId;
use cdf_assess::lang::Lang;
use cdf_assess::secretariat::import::{Outcome, import_bytes, import_path};
use cdf_assess::store::Store;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// The signing key of the members' installations in these tests (fixed, so files are reproducible).
pub fn key() -> SigningKey {
    SigningKey::from_seed([7; 32], *b"cdf-test")
}

/// A finalised assessment with every field filled, long comments included.
pub fn finalised(store: &mut Store, member: &str, cycle: i32) -> AssessmentId {
    let id = store.create_assessment(&new_assessment(member, cycle)).unwrap();
    for (i, ind) in framework::current().indicators.iter().enumerate() {
        let answer = match i % 11 {
            3 => Answer::NotApplicable,
            7 => Answer::Insufficient,
            k => Answer::Level((k % 5) as u8),
        };
        for c in [
            ResponseChange::Answer(answer),
            ResponseChange::Confidence(Some(Confidence::ALL[i % 3])),
            ResponseChange::Commitment(Some(Commitment::ALL[i % 3])),
            ResponseChange::Need(Some(NeedCategory::ALL[i % 3])),
            ResponseChange::Evidence(
                format!("{}: plan, circulars and reports 2024-2026 reviewed by the team. ", ind.code).repeat(3),
            ),
            ResponseChange::Comment(
                format!("Commentaire détaillé sur {} — « progrès » notables, budget à confirmer. ", ind.code).repeat(3),
            ),
        ] {
            store.update_response(id, &ind.code, &c).unwrap();
        }
    }
    store.finalise(id, "Comptroller of Customs").unwrap();
    id
}

fn good_return() -> (Vec<u8>, String) {
    let mut store = Store::open_in_memory().unwrap();
    let id = finalised(&mut store, "TO", 2026);
    let e = export::export(&store.revision_chain(id).unwrap(), None, &key()).unwrap();
    (e.bytes, e.digest)
}

#[test]
fn round_trip_export_verify_import_export_gives_the_same_digest() {
    let mut admin = Store::open_in_memory().unwrap();
    let id = finalised(&mut admin, "WS", 2026);
    let e = export::export(&admin.revision_chain(id).unwrap(), None, &key()).unwrap();
    assert_eq!(e.file_name, "WS_2026_r1.ocoreturn");
    assert!(e.bytes.len() < 64 * 1024, "a full return is {} bytes", e.bytes.len());
    let v = exchange::read(&e.bytes, &[]).expect("verifies");
    assert_eq!(v.digest, e.digest);

    let mut sec = Store::open_in_memory().unwrap();
    let r = import_bytes(&mut sec, &e.file_name, &e.bytes, &[]).unwrap();
    assert_eq!(r.outcome, Outcome::Accepted, "{}", r.reason.message(Lang::En));
    let imported = sec.list().unwrap()[0].header.id;
    let again = export::export(&sec.revision_chain(imported).unwrap(), None, &key()).unwrap();
    assert_eq!(again.digest, e.digest);
    assert_eq!(again.bytes, e.bytes, "byte-identical");
    // The Secretariat holds what the administration answered.
    let (a, b) = (admin.load(id).unwrap(), sec.load(imported).unwrap());
    assert_eq!(a.responses, b.responses);
    assert_eq!(a.profile, b.profile);
    assert!(b.header.imported);
}

#[test]
fn encrypted_returns_open_only_with_the_secretariat_key() {
    let (identity_text, public) = keys::generate();
    let ids = keys::parse_identities(&identity_text).unwrap();
    let mut admin = Store::open_in_memory().unwrap();
    let id = finalised(&mut admin, "NC", 2026);
    let e = export::export(&admin.revision_chain(id).unwrap(), Some(&public), &key()).unwrap();
    assert!(e.encrypted && e.bytes.starts_with(b"age-encryption.org/v1"));
    assert!(!String::from_utf8_lossy(&e.bytes).contains("Comptroller"), "nothing readable");
    assert_eq!(exchange::read(&e.bytes, &ids).unwrap().digest, e.digest);
    assert_eq!(exchange::read(&e.bytes, &[]), Err(Rejection::EncryptedNoKey));
    let other = keys::parse_identities(&keys::generate().0).unwrap();
    assert_eq!(exchange::read(&e.bytes, &other), Err(Rejection::EncryptedWrongKey));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn flipping_any_single_byte_is_detected(pos in any::<prop::sample::Index>(), mask in 1u8..=255) {
        thread_local!(static GOOD: (Vec<u8>, String) = good_return());
        let (mut bytes, digest) = GOOD.with(|g| g.clone());
        let i = pos.index(bytes.len());
        bytes[i] ^= mask;
        match exchange::read(&bytes, &[]) {
            Err(_) => {}
            // minisign's "untrusted comment" line is outside the signature by design: a flip there
            // may pass, but then nothing that is read may differ from the signed return.
            Ok(v) => {
                let good = GOOD.with(|g| exchange::read(&g.0, &[]).unwrap());
                prop_assert!(
                    v.digest == digest && v.body == good.body && v.fingerprint == good.fingerprint,
                    "flip at {} with {:#x} changed what is read", i, mask
                );
            }
        }
    }
}

#[test]
fn flipping_each_byte_of_the_envelope_and_digest_is_detected() {
    let (good, _) = good_return();
    // Exhaustively over the first 200 bytes (format, version, digest) and the last 50.
    let n = good.len();
    for i in (0..200).chain(n - 50..n) {
        for mask in [0x01, 0x20, 0x80] {
            let mut b = good.clone();
            b[i] ^= mask;
            assert!(exchange::read(&b, &[]).is_err(), "flip at {i} with {mask:#x} went unnoticed");
        }
    }
}

// ----- the corpus of bad files -----

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// (file in tests/corpus, expected rejection code)
const CORPUS: &[(&str, &str)] = &[
    ("empty.ocoreturn", "empty"),
    ("truncated.ocoreturn", "not_json"),
    ("not-json.ocoreturn", "not_json"),
    ("not-a-return.ocoreturn", "not_a_return"),
    ("wrong-types.ocoreturn", "malformed"),
    ("huge-numbers.ocoreturn", "malformed"),
    ("unknown-member.ocoreturn", "unknown_member"),
    ("unknown-framework-version.ocoreturn", "unknown_framework"),
    ("unknown-format-version.ocoreturn", "unknown_format_version"),
    ("unknown-indicator.ocoreturn", "unknown_indicator"),
    ("level-9.ocoreturn", "invalid_value"),
    ("duplicated-indicator.ocoreturn", "duplicate_indicator"),
    ("missing-indicator.ocoreturn", "missing_indicator"),
    ("tampered-comment.ocoreturn", "digest_mismatch"),
    ("pretty-printed.ocoreturn", "not_canonical"),
    ("not-signed-off.ocoreturn", "not_finalised"),
    ("encrypted-to-another-key.ocoreturn", "encrypted_wrong_key"),
    ("format-1.ocoreturn", "not_signed"),
    ("unsigned.ocoreturn", "not_signed"),
    ("forged-member.ocoreturn", "bad_signature"),
];

fn db_bytes(path: &Path) -> Vec<Vec<u8>> {
    ["", "-wal"].iter().map(|suffix| std::fs::read(format!("{}{suffix}", path.display())).unwrap_or_default()).collect()
}

#[test]
fn every_bad_file_is_rejected_with_its_own_reason_and_the_database_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sec.sqlite3");
    let ids = keys::load_identities(&corpus_dir().join("secretariat-test.key")).unwrap();
    let mut store = Store::open(&db).unwrap();
    // Something already held, so "unchanged" means something.
    let (good, _) = good_return();
    assert_eq!(import_bytes(&mut store, "good", &good, &ids).unwrap().outcome, Outcome::Accepted);
    let before = db_bytes(&db);

    let mut seen_reasons = std::collections::BTreeSet::new();
    for (name, code) in CORPUS {
        let path = corpus_dir().join(name);
        let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let got = exchange::read(&raw, &ids).expect_err(name);
        assert_eq!(got.code(), *code, "{name}: {got}");
        let r = import_path(&mut store, &path, &ids).unwrap();
        assert_eq!(r.outcome, Outcome::Rejected, "{name}");
        let reason = r.reason.message(Lang::En);
        assert!(!reason.is_empty() && !reason.contains('{'), "{name}: {reason}");
        seen_reasons.insert(reason);
    }
    // Encrypted and no key given.
    let enc = std::fs::read(corpus_dir().join("encrypted-to-secretariat.ocoreturn")).unwrap();
    assert_eq!(exchange::read(&enc, &[]), Err(Rejection::EncryptedNoKey));
    assert!(exchange::read(&enc, &ids).is_ok(), "the same file opens with the key");
    // 50 MB: refused before reading.
    let big = dir.path().join("big.ocoreturn");
    std::fs::File::create(&big).unwrap().set_len(50 * 1024 * 1024).unwrap();
    let r = import_path(&mut store, &big, &ids).unwrap();
    assert_eq!(r.outcome, Outcome::Rejected);
    assert!(r.reason.message(Lang::En).contains("too large"), "{}", r.reason.message(Lang::En));
    assert!(matches!(exchange::read_file_limited(&big), Err(Rejection::TooLarge(_))));

    assert_eq!(db_bytes(&db), before, "the database is byte-for-byte unchanged");
    assert!(seen_reasons.len() >= 12, "reasons are specific: {seen_reasons:?}");
    // In French too.
    let fr = Rejection::UnknownMember("XX".into()).message(Lang::Fr);
    assert!(fr.contains("n'est pas membre"), "{fr}");
}

/// A canonical return with the right digest whose body text is `edit`ed: what a writer with
/// other ideas about the values would produce.
fn with_body_text(body: &exchange::ReturnBody, edit: impl Fn(&str) -> String) -> Vec<u8> {
    use base64::Engine;
    let text = edit(&String::from_utf8(exchange::canonical_body(body)).unwrap());
    let k = key();
    // Signed as a writer signs: the trusted comment names the return.
    let comment =
        exchange::trusted_comment(&body.member, body.cycle, body.revision, &exchange::sha256_hex(text.as_bytes()));
    let signature = base64::engine::general_purpose::STANDARD.encode(k.sign(text.as_bytes(), &comment));
    format!(
        r#"{{"format":"{}","format_version":{},"digest":"{}","signer":"{}","signature":"{}","body":{text}}}"#,
        exchange::FORMAT,
        exchange::version_of(body),
        exchange::sha256_hex(text.as_bytes()),
        k.public().to_base64(),
        signature,
    )
    .into_bytes()
}

#[test]
fn an_unknown_code_in_a_well_formed_file_is_named() {
    let (good, _) = good_return();
    let body = exchange::read(&good, &[]).unwrap().body;
    assert_eq!(exchange::read(&with_body_text(&body, str::to_string), &[]).map(|v| v.body), Ok(body.clone()));
    for (field, bogus) in [("answer", "5"), ("confidence", "sure"), ("commitment", "maybe"), ("need", "D")] {
        let forged = with_body_text(&body, |text| {
            let at = text.find(&format!("\"{field}\":\"")).unwrap();
            let value = at + field.len() + 4;
            let end = value + text[value..].find('"').unwrap();
            format!("{}{bogus}{}", &text[..value], &text[end..])
        });
        match exchange::read(&forged, &[]) {
            Err(Rejection::InvalidValue { value, .. }) => assert_eq!(value, bogus, "{field}"),
            other => panic!("{field}: {other:?}"),
        }
    }
}

/// Rewrites tests/corpus from a fresh good return: `cargo test -- --ignored write_corpus`.
#[test]
#[ignore]
fn write_corpus() {
    let dir = corpus_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let (good, _) = good_return();
    let v: serde_json::Value = serde_json::from_slice(&good).unwrap();
    let body: exchange::ReturnBody = serde_json::from_value(v["body"].clone()).unwrap();
    let put = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    let with = |f: &dyn Fn(&mut exchange::ReturnBody)| {
        let mut b = body.clone();
        f(&mut b);
        exchange::write(b, &key())
    };
    let raw_with = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut x = v.clone();
        f(&mut x);
        serde_json::to_vec(&x).unwrap()
    };
    put("empty.ocoreturn", b"");
    put("truncated.ocoreturn", &good[..good.len() / 2]);
    put("not-json.ocoreturn", b"From: customs@example.gov\r\nSubject: our return\r\n\r\nPlease find attached.\r\n");
    put("not-a-return.ocoreturn", br#"{"invoice": 42, "total": 9.5}"#);
    put("wrong-types.ocoreturn", &raw_with(&|x| x["body"]["cycle"] = serde_json::json!("twenty twenty-six")));
    let huge = String::from_utf8(raw_with(&|x| x["body"]["revision"] = serde_json::json!(7))).unwrap();
    put(
        "huge-numbers.ocoreturn",
        huge.replacen("\"revision\":7", "\"revision\":184467440737095516150000", 1).as_bytes(),
    );
    put("unknown-member.ocoreturn", &with(&|b| b.member = "XX".into()));
    put("unknown-framework-version.ocoreturn", &with(&|b| b.framework_version = 9));
    put("unknown-format-version.ocoreturn", &raw_with(&|x| x["format_version"] = serde_json::json!(99)));
    // A return as version 1 wrote it: no signature.
    put(
        "format-1.ocoreturn",
        &raw_with(&|x| {
            let o = x.as_object_mut().unwrap();
            o.remove("signer");
            o.remove("signature");
            o["format_version"] = serde_json::json!(1);
        }),
    );
    put(
        "unsigned.ocoreturn",
        &raw_with(&|x| {
            x.as_object_mut().unwrap().remove("signature");
        }),
    );
    // Another member and a recomputed digest, under the genuine file's signature.
    let forged = String::from_utf8(with(&|b| b.member = "FJ".into())).unwrap();
    let sig = |x: &serde_json::Value| x["signature"].as_str().unwrap().to_string();
    let forged_sig = sig(&serde_json::from_str(&forged).unwrap());
    put("forged-member.ocoreturn", forged.replace(&forged_sig, &sig(&v)).as_bytes());
    put("unknown-indicator.ocoreturn", &with(&|b| b.responses[0].indicator = "ZZ-99".into()));
    // A well-formed file (canonical, right digest) whose third answer is "9".
    let level_9 = with_body_text(&body, |text| {
        let at = text.match_indices("\"answer\":").nth(2).unwrap().0;
        let end = at + text[at..].find(',').unwrap();
        format!("{}\"answer\":\"9\"{}", &text[..at], &text[end..])
    });
    put("level-9.ocoreturn", &level_9);
    put("duplicated-indicator.ocoreturn", &with(&|b| b.responses[1] = b.responses[0].clone()));
    put(
        "missing-indicator.ocoreturn",
        &with(&|b| {
            b.responses.pop();
        }),
    );
    let tampered = String::from_utf8(good.clone()).unwrap().replacen("budget", "BUDGET", 1);
    put("tampered-comment.ocoreturn", tampered.as_bytes());
    put("pretty-printed.ocoreturn", &serde_json::to_vec_pretty(&v).unwrap());
    put("not-signed-off.ocoreturn", &with(&|b| b.approved_by = " ".into()));
    let (key_text, public) = keys::generate();
    std::fs::write(dir.join("secretariat-test.key"), &key_text).unwrap();
    put("encrypted-to-secretariat.ocoreturn", &exchange::encrypt(&good, &public).unwrap());
    let (_, other) = keys::generate();
    put("encrypted-to-another-key.ocoreturn", &exchange::encrypt(&good, &other).unwrap());
}

// ----- import outcomes -----

#[test]
fn importing_twice_changes_nothing_a_revision_supersedes_and_a_different_same_revision_conflicts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sec.sqlite3");
    let mut admin = Store::open_in_memory().unwrap();
    let r1 = finalised(&mut admin, "KI", 2026);
    let e1 = export::export(&admin.revision_chain(r1).unwrap(), None, &key()).unwrap();
    let mut sec = Store::open(&db).unwrap();

    assert_eq!(import_bytes(&mut sec, "a", &e1.bytes, &[]).unwrap().outcome, Outcome::Accepted);
    let before = db_bytes(&db);
    let again = import_bytes(&mut sec, "a", &e1.bytes, &[]).unwrap();
    assert_eq!(again.outcome, Outcome::AlreadyImported);
    assert_eq!(db_bytes(&db), before, "a second import changes nothing");

    // Revision 2 supersedes; revision 1 stays in the history.
    let r2 = admin.start_revision(r1).unwrap();
    admin.update_response(r2, "WF-01", &ResponseChange::Answer(Answer::Level(4))).unwrap();
    admin.finalise(r2, "Comptroller of Customs").unwrap();
    let e2 = export::export(&admin.revision_chain(r2).unwrap(), None, &key()).unwrap();
    assert_eq!(e2.file_name, "KI_2026_r2.ocoreturn");
    let v2 = exchange::read(&e2.bytes, &[]).unwrap();
    assert_eq!(v2.body.previous_digest.as_deref(), Some(e1.digest.as_str()), "revisions are chained");
    let r = import_bytes(&mut sec, "b", &e2.bytes, &[]).unwrap();
    assert_eq!(r.outcome, Outcome::Supersedes, "{}", r.reason.message(Lang::En));
    let held: Vec<u32> = sec.list().unwrap().iter().map(|s| s.header.revision).collect();
    assert_eq!(held.len(), 2);
    assert!(held.contains(&1) && held.contains(&2));

    // Same revision, different content: conflict, both files kept.
    let mut body = exchange::read(&e1.bytes, &[]).unwrap().body;
    body.responses[0].comment = "A different comment".into();
    let forged = exchange::write(body, &key());
    let c = import_bytes(&mut sec, "c", &forged, &[]).unwrap();
    assert_eq!(c.outcome, Outcome::Conflict, "{}", c.reason.message(Lang::En));
    let files = sec.received_files().unwrap();
    assert_eq!(files.iter().filter(|f| f.revision == 1).count(), 2);
    let conflict = files.iter().find(|f| f.outcome == "conflict").unwrap();
    assert_eq!(sec.received_bytes(conflict.id).unwrap(), forged, "original bytes kept");
    // And importing the conflicting file again is still a conflict, not a new row each time? It is kept once per arrival.
    assert_eq!(sec.list().unwrap().len(), 2, "the conflict did not replace anything");

    // The same assessment cannot move to another member.
    let mut body = exchange::read(&e1.bytes, &[]).unwrap().body;
    body.member = "FJ".into();
    body.revision = 5;
    let moved = exchange::write(body, &key());
    let before = db_bytes(&db);
    let m = import_bytes(&mut sec, "d", &moved, &[]).unwrap();
    assert_eq!(m.outcome, Outcome::Rejected);
    assert!(m.reason.message(Lang::En).contains("cannot change member"), "{}", m.reason.message(Lang::En));
    assert_eq!(db_bytes(&db), before);
}

#[test]
fn a_revision_arriving_before_the_one_it_follows_waits_for_it() {
    let mut admin = Store::open_in_memory().unwrap();
    let r1 = finalised(&mut admin, "PW", 2025);
    let r2 = admin.start_revision(r1).unwrap();
    admin.finalise(r2, "Director").unwrap();
    let (e1, e2) = (
        export::export(&admin.revision_chain(r1).unwrap(), None, &key()).unwrap(),
        export::export(&admin.revision_chain(r2).unwrap(), None, &key()).unwrap(),
    );
    let mut sec = Store::open_in_memory().unwrap();
    let early = import_bytes(&mut sec, "2", &e2.bytes, &[]).unwrap();
    assert_eq!(early.outcome, Outcome::Held, "{}", early.reason.message(Lang::En));
    assert_eq!(early.counts, None);
    assert!(sec.list().unwrap().is_empty(), "counted nowhere");
    let late = import_bytes(&mut sec, "1", &e1.bytes, &[]).unwrap();
    assert_eq!(late.outcome, Outcome::Accepted);
    assert_eq!(late.released.len(), 1, "revision 2 is released");
    assert_eq!(late.released[0].outcome, Outcome::Supersedes, "{}", late.released[0].reason.message(Lang::En));
    assert_eq!(late.counts, Some(2));
}

#[test]
fn a_draft_cannot_be_exported() {
    let mut s = Store::open_in_memory().unwrap();
    let id = s.create_assessment(&new_assessment("NU", 2026)).unwrap();
    assert!(export::export(&s.revision_chain(id).unwrap(), None, &key()).is_err());
}

#[test]
fn a_conflict_is_settled_by_keeping_the_held_revision_or_using_the_new_file() {
    let mut admin = Store::open_in_memory().unwrap();
    let id = finalised(&mut admin, "VU", 2026);
    let e = export::export(&admin.revision_chain(id).unwrap(), None, &key()).unwrap();
    let mut body = exchange::read(&e.bytes, &[]).unwrap().body;
    body.responses[0].comment = "Corrected by the Collector".into();
    let forged = exchange::write(body, &key());
    for use_new in [false, true] {
        let mut sec = Store::open_in_memory().unwrap();
        import_bytes(&mut sec, "a", &e.bytes, &[]).unwrap();
        assert_eq!(import_bytes(&mut sec, "b", &forged, &[]).unwrap().outcome, Outcome::Conflict);
        let conflicts = sec.open_conflicts(2026).unwrap();
        assert_eq!(conflicts.len(), 1);
        let file_id = conflicts[0].1;
        let replacement = if use_new { Some(exchange::read(&forged, &[]).unwrap()) } else { None };
        sec.resolve_conflict(file_id, replacement.map(|v| v.imported()).as_ref()).unwrap();
        assert!(sec.open_conflicts(2026).unwrap().is_empty(), "settled");
        let held = sec.list().unwrap();
        assert_eq!(held.len(), 1, "still one revision 1");
        let a = sec.load(held[0].header.id).unwrap();
        let expected: String = if use_new {
            "Corrected by the Collector".into()
        } else {
            admin.load(id).unwrap().responses[0].comment.clone()
        };
        assert_eq!(a.responses[0].comment, expected);
        assert_eq!(sec.received_files().unwrap().len(), 2, "both files kept");
    }
}
