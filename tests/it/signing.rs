//! Signed returns: interop with the minisign reference tool, forged returns, key pinning,
//! verified revision chains, one assessment per member and cycle, and one rule for what counts
//! (import message = register = XLSX).
//!
//! The interop tests need the `minisign` command (Debian: `apt-get install -y minisign`); without
//! it they print a note and pass.

use crate::exchange::{finalised, key};
use cdf_assess::exchange::sign::{self, PublicKey, SigningKey};
use cdf_assess::exchange::{self, Rejection, ReturnBody, export};
use cdf_assess::lang::Lang;
use cdf_assess::report::tables;
use cdf_assess::secretariat::consolidate::{self, Consolidation};
use cdf_assess::secretariat::import::{FileResult, Outcome, Reason, import_bytes, resolve};
use cdf_assess::store::Store;
use std::path::Path;
use std::process::Command;

const CYCLE: i32 = 2026;

fn minisign() -> bool {
    let ok = Command::new("minisign").arg("-v").output().is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("note: `minisign` is not installed (apt-get install -y minisign); interop test skipped");
    }
    ok
}

/// Revision 1 of an FJ assessment, as a body.
fn base_body() -> ReturnBody {
    let mut admin = Store::open_in_memory().unwrap();
    let id = finalised(&mut admin, "FJ", CYCLE);
    let e = export::export(&admin.revision_chain(id).unwrap(), None, &key()).unwrap();
    exchange::read(&e.bytes, &[]).unwrap().body
}

/// The next revision of `prev`, chained to it, with a changed comment.
fn next(prev: &ReturnBody, note: &str) -> ReturnBody {
    let mut b = prev.clone();
    b.revision += 1;
    b.previous_digest = Some(exchange::digest_of(prev));
    b.responses[0].comment = format!("{note} (revision {})", b.revision);
    b
}

fn file(b: &ReturnBody) -> Vec<u8> {
    exchange::write(b.clone(), &key())
}

fn import(sec: &mut Store, b: &[u8]) -> FileResult {
    let r = import_bytes(sec, "f.ocoreturn", b, &[]).unwrap();
    eprintln!("{:?}: {}", r.outcome, r.reason.message(Lang::En));
    r
}

/// The revision that counts for FJ, as the register, the XLSX register sheet and the XLSX scores
/// sheet show it; they must agree with each other (and the caller checks the import message).
fn counted(sec: &Store) -> Option<u32> {
    let c: Consolidation = consolidate::consolidate(sec, CYCLE).unwrap();
    let register = c.members.iter().find(|m| m.member == "FJ").unwrap().revision();
    let sheets = tables::sheets(&c, Lang::En);
    let row = sheets[0].rows.iter().find(|r| r[0].display() == "FJ").unwrap();
    let xlsx = row[4].display();
    assert_eq!(xlsx, register.map(|r| r.to_string()).unwrap_or_default(), "register sheet = consolidation");
    // Every other sheet with a revision column shows the same revision for FJ's lines.
    for s in &sheets[1..] {
        let Some(col) = s.headers.iter().position(|h| h == "Revision") else { continue };
        for row in s.rows.iter().filter(|r| r[0].display() == "FJ") {
            assert_eq!(row[col].display(), xlsx, "sheet {} = register sheet", s.name);
        }
    }
    register
}

/// Regional figures (what a change must not touch until a person decides).
fn figures(sec: &Store) -> (Option<f64>, Vec<Option<f64>>) {
    let c = consolidate::consolidate(sec, CYCLE).unwrap();
    (c.overall, c.regional.iter().map(|p| p.mean).collect())
}

#[test]
fn interop_with_the_minisign_tool_both_ways() {
    if !minisign() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Ours -> minisign: extract the body and the signature as docs/return-format.md says.
    let body = base_body();
    let path = d.join("FJ_2026_r1.ocoreturn");
    std::fs::write(&path, file(&body)).unwrap();
    let signer = key().public().to_base64();
    let script = r#"set -e
sed -e 's/^{[^{]*"body"://' -e 's/}$//' FJ_2026_r1.ocoreturn > body.json
sed -e 's/.*"signature":"\([^"]*\)".*/\1/' FJ_2026_r1.ocoreturn | base64 -d > body.json.minisig
minisign -Vm body.json -P "$1""#;
    let out = Command::new("sh").args(["-c", script, "sh", &signer]).current_dir(d).output().unwrap();
    assert!(out.status.success(), "minisign -V: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read(d.join("body.json")).unwrap(), exchange::canonical_body(&body));
    // A byte changed: minisign refuses too.
    std::fs::write(d.join("body.json"), exchange::canonical_body(&next(&body, "x"))).unwrap();
    let bad = Command::new("minisign").args(["-Vm", "body.json", "-P", &signer]).current_dir(d).output().unwrap();
    assert!(!bad.status.success());

    // Our secret key file signs with minisign; we verify.
    let mine = SigningKey::generate().unwrap();
    sign::write(&d.join("mine"), &mine).unwrap();
    std::fs::write(d.join("m.txt"), b"bytes").unwrap();
    let s = Command::new("minisign")
        .args(["-S", "-s", "mine/signing-key.minisign", "-m", "m.txt", "-t", "ok"])
        .current_dir(d)
        .output()
        .unwrap();
    assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
    sign::verify(mine.public(), b"bytes", &std::fs::read_to_string(d.join("m.txt.minisig")).unwrap()).unwrap();

    // minisign -> us: a key made by the tool, a return body signed by the tool, imported.
    let g = Command::new("minisign").args(["-G", "-W", "-p", "cli.pub", "-s", "cli.key"]).current_dir(d).output();
    assert!(g.unwrap().status.success());
    let cli_pub = PublicKey::parse(&std::fs::read_to_string(d.join("cli.pub")).unwrap()).unwrap();
    let cli_key = sign::load(&d.join("cli.key")).unwrap();
    assert_eq!(cli_key.public(), &cli_pub, "we read the tool's secret key too");
    std::fs::write(d.join("b.json"), exchange::canonical_body(&body)).unwrap();
    use base64::Engine;
    let ours = String::from_utf8(file(&body)).unwrap();
    let v: serde_json::Value = serde_json::from_str(&ours).unwrap();
    // Signed by the tool with the trusted comment the format documents (read and checked), and,
    // for contrast, with the tool's own default comment (refused: it names no member).
    let signed_with = |comment: Option<&str>| {
        let mut args = vec!["-S", "-s", "cli.key", "-m", "b.json"];
        if let Some(c) = comment {
            args.extend(["-t", c]);
        }
        let s = Command::new("minisign").args(&args).current_dir(d).output().unwrap();
        assert!(s.status.success());
        let sig = std::fs::read_to_string(d.join("b.json.minisig")).unwrap();
        ours.replace(v["signer"].as_str().unwrap(), &cli_pub.to_base64())
            .replace(v["signature"].as_str().unwrap(), &base64::engine::general_purpose::STANDARD.encode(sig))
    };
    let digest = v["digest"].as_str().unwrap();
    let comment = format!("oco-cdf-return {} {} r{} sha256:{digest}", body.member, body.cycle, body.revision);
    let default = signed_with(None);
    assert!(exchange::read(default.as_bytes(), &[]).is_err(), "the tool's own comment names no member");
    let theirs = signed_with(Some(&comment));
    let read = exchange::read(theirs.as_bytes(), &[]).expect("a return signed by the minisign tool reads");
    assert_eq!(read.signer, cli_pub);
    assert_eq!(read.fingerprint, cli_pub.fingerprint());
    let mut sec = Store::open_in_memory().unwrap();
    assert_eq!(import(&mut sec, theirs.as_bytes()).outcome, Outcome::Accepted);
}

#[test]
fn a_forged_member_is_rejected_or_held_and_counts_nowhere() {
    let body = base_body();
    let genuine = String::from_utf8(file(&body)).unwrap();
    let v: serde_json::Value = serde_json::from_str(&genuine).unwrap();
    // Member and assessment changed, digest recomputed, the genuine signature kept.
    let mut forged = body.clone();
    forged.member = "WS".into();
    forged.assessment_uuid = uuid::Uuid::new_v4().to_string();
    let resigned = String::from_utf8(file(&forged)).unwrap();
    let w: serde_json::Value = serde_json::from_str(&resigned).unwrap();
    let kept_sig = resigned.replace(w["signature"].as_str().unwrap(), v["signature"].as_str().unwrap());
    assert_eq!(exchange::read(kept_sig.as_bytes(), &[]).unwrap_err(), Rejection::BadSignature);
    // Without a signature at all.
    let unsigned = resigned.replace(&format!(r#""signature":{},"#, w["signature"]), "");
    assert_eq!(exchange::read(unsigned.as_bytes(), &[]).unwrap_err(), Rejection::NotSigned);
    assert!(Rejection::NotSigned.message(Lang::En).contains("not signed"));
    assert!(Rejection::BadSignature.message(Lang::Fr).contains("signature"));

    // Signed with the forger's own key: once the member's key is pinned, it is held.
    let mut sec = Store::open_in_memory().unwrap();
    assert_eq!(import(&mut sec, genuine.as_bytes()).outcome, Outcome::Accepted);
    let pinned = sec.member_key("FJ").unwrap().unwrap();
    assert_eq!(pinned.public_key, key().public().to_base64());
    let before = (counted(&sec), figures(&sec));
    let forger = SigningKey::generate().unwrap();
    let r = import(&mut sec, &exchange::write(next(&body, "forged"), &forger));
    assert_eq!(r.outcome, Outcome::Conflict);
    assert_eq!(
        r.reason,
        Reason::DifferentKey { pinned: key().public().fingerprint(), new: forger.public().fingerprint() }
    );
    assert!(r.reason.message(Lang::En).contains(&forger.public().fingerprint()));
    assert_eq!(r.counts, Some(1));
    assert_eq!((counted(&sec), figures(&sec)), before, "nothing counted");

    // Keeping the pinned key changes nothing; using the new one pins it and imports the file.
    let file_id = sec.open_conflicts(CYCLE).unwrap()[0].1;
    assert_eq!(resolve(&mut sec, file_id, false, &[]).unwrap(), None);
    assert_eq!((counted(&sec), figures(&sec)), before);
    assert_eq!(sec.member_key("FJ").unwrap().unwrap().public_key, key().public().to_base64());
    let mut sec2 = Store::open_in_memory().unwrap();
    import(&mut sec2, genuine.as_bytes());
    import(&mut sec2, &exchange::write(next(&body, "forged"), &forger));
    let file_id = sec2.open_conflicts(CYCLE).unwrap()[0].1;
    let again = resolve(&mut sec2, file_id, true, &[]).unwrap().unwrap();
    assert_eq!(again.outcome, Outcome::Supersedes);
    assert_eq!(again.counts, Some(2));
    assert_eq!(counted(&sec2), Some(2));
    let keys = sec2.member_keys().unwrap();
    assert_eq!(keys.len(), 2, "the old key stays in the history");
    assert_eq!(keys.iter().filter(|k| k.active).count(), 1);
    assert_eq!(sec2.member_key("FJ").unwrap().unwrap().fingerprint, forger.public().fingerprint());
}

#[test]
fn a_key_pinned_by_hand_holds_a_first_return_signed_by_another() {
    let body = base_body();
    let mut sec = Store::open_in_memory().unwrap();
    let fp = cdf_assess::secretariat::keys::pin(&mut sec, "FJ", &key().public().to_file_text(), false).unwrap();
    assert_eq!(fp, key().public().fingerprint());
    let forger = SigningKey::generate().unwrap();
    let r = import(&mut sec, &exchange::write(body.clone(), &forger));
    assert_eq!(r.outcome, Outcome::Conflict);
    assert_eq!(counted(&sec), None);
    assert_eq!(import(&mut sec, &file(&body)).outcome, Outcome::Accepted);
    assert!(cdf_assess::secretariat::keys::pin(&mut sec, "FJ", "not a key", false).is_err());
    assert!(cdf_assess::secretariat::keys::pin(&mut sec, "XX", &key().public().to_base64(), false).is_err());
}

#[test]
fn revision_chains_are_verified_and_one_rule_decides_what_counts() {
    let r1 = base_body();
    let r2 = next(&r1, "genuine");
    let r3 = next(&r2, "genuine");
    let mut sec = Store::open_in_memory().unwrap();
    assert_eq!(import(&mut sec, &file(&r1)).counts, Some(1));
    let base = figures(&sec);

    // A forged revision 1000 (previous digest matching nothing): held waiting, counts nowhere.
    let mut r1000 = next(&r1, "forged");
    r1000.revision = 1000;
    r1000.previous_digest = Some("ab".repeat(32));
    let r = import(&mut sec, &file(&r1000));
    assert_eq!(r.outcome, Outcome::Held);
    assert_eq!(r.reason, Reason::Waiting { missing: 999 });
    assert_eq!((r.counts, counted(&sec)), (Some(1), Some(1)));
    assert_eq!(figures(&sec), base);

    // Revision 3 before 2: waits, then is released when 2 arrives; message = register = XLSX.
    let r = import(&mut sec, &file(&r3));
    assert_eq!((r.outcome, r.counts), (Outcome::Held, Some(1)));
    let r = import(&mut sec, &file(&r2));
    assert_eq!(r.outcome, Outcome::Supersedes);
    assert_eq!(r.released.len(), 1);
    assert_eq!(r.released[0].reason, Reason::Supersedes { old: 2, new: 3 });
    assert_eq!(r.counts, Some(3));
    assert_eq!(counted(&sec), Some(3));
    let at3 = figures(&sec);

    // A jump: revision 4 whose previous digest is not revision 3's.
    let mut jump = next(&r3, "jump");
    jump.previous_digest = Some(exchange::digest_of(&r1));
    let r = import(&mut sec, &file(&jump));
    assert_eq!((r.outcome, r.reason.clone()), (Outcome::Conflict, Reason::Jump { revision: 4 }));
    assert_eq!((r.counts, counted(&sec)), (Some(3), Some(3)));
    // A fork: a second, different revision 3 chaining to 2.
    let fork = next(&r2, "fork");
    let r = import(&mut sec, &file(&fork));
    assert_eq!((r.outcome, r.reason.clone()), (Outcome::Conflict, Reason::Conflict { revision: 3 }));
    // A rewind: another revision 2 with another history.
    let mut rewind = next(&r1, "rewind");
    rewind.previous_digest = Some("cd".repeat(32));
    let r = import(&mut sec, &file(&rewind));
    assert_eq!((r.outcome, r.reason.clone()), (Outcome::Conflict, Reason::Rewind { revision: 2, latest: 3 }));
    assert_eq!(counted(&sec), Some(3));
    assert_eq!(figures(&sec), at3, "no conflict changed a regional figure");

    // Settling: keeping changes nothing; using the jump makes exactly revision 4 count.
    let conflicts = sec.open_conflicts(CYCLE).unwrap();
    assert_eq!(conflicts.len(), 3);
    let (jump_id, fork_id) = (conflicts[0].1, conflicts[1].1);
    resolve(&mut sec, fork_id, false, &[]).unwrap();
    assert_eq!((counted(&sec), figures(&sec)), (Some(3), at3.clone()));
    resolve(&mut sec, jump_id, true, &[]).unwrap();
    assert_eq!(counted(&sec), Some(4));
    let held = sec.imported_revisions(Some(CYCLE)).unwrap();
    assert_eq!(held.iter().filter(|h| h.revision == 3).count(), 1, "revision 3 untouched");

    // The receipts a feedback file would carry say where each file stands now.
    let receipts = sec.receipts(&r1.member, CYCLE).unwrap();
    let outcome = |body: &exchange::ReturnBody| {
        let d = exchange::digest_of(body);
        receipts.iter().find(|r| r.digest == d).map(|r| r.outcome.clone()).unwrap()
    };
    assert_eq!(outcome(&jump), "accepted", "a conflict settled by using the file");
    assert_eq!(outcome(&fork), "conflict", "a conflict settled by keeping what was held");
    assert_eq!(outcome(&rewind), "conflict", "a conflict not settled");
    assert_eq!(outcome(&r3), "supersedes", "held, then released");
    assert_eq!(outcome(&r1000), "held");
}

#[test]
fn assessment_ids_are_canonical_and_a_second_assessment_is_held_for_a_person() {
    let r1 = base_body();
    let mut sec = Store::open_in_memory().unwrap();
    import(&mut sec, &file(&r1));
    // The same assessment id in upper case, then as urn:uuid: : the same assessment.
    let mut r2 = next(&r1, "upper");
    r2.assessment_uuid = r1.assessment_uuid.to_uppercase();
    let r = import(&mut sec, &file(&r2));
    assert_eq!((r.outcome, r.counts), (Outcome::Supersedes, Some(2)));
    let mut r3 = next(&r2, "urn");
    r3.assessment_uuid = format!("urn:uuid:{}", r1.assessment_uuid);
    let r = import(&mut sec, &file(&r3));
    assert_eq!((r.outcome, r.counts), (Outcome::Supersedes, Some(3)));
    assert_eq!(counted(&sec), Some(3));
    let uuids: std::collections::BTreeSet<String> =
        sec.imported_revisions(None).unwrap().into_iter().map(|h| h.uuid).collect();
    assert_eq!(uuids.len(), 1);
    assert_eq!(exchange::canonical_uuid(&r3.assessment_uuid).as_deref(), Some(r1.assessment_uuid.as_str()));

    // A second assessment for FJ 2026, finalised later: held, counted nowhere.
    let at3 = figures(&sec);
    let mut other = r1.clone();
    other.assessment_uuid = uuid::Uuid::new_v4().to_string();
    other.finalised_at = "2026-12-31T00:00:00Z".into();
    other.responses[1].answer = cdf_assess::assessment::Answer::Level(4);
    other.responses[2].answer = cdf_assess::assessment::Answer::Level(4);
    let r = import(&mut sec, &file(&other));
    assert_eq!(r.outcome, Outcome::Conflict);
    assert_eq!(r.reason, Reason::SecondAssessment { member: "FJ".into(), cycle: CYCLE });
    assert_eq!((r.counts, counted(&sec)), (Some(3), Some(3)));
    assert_eq!(figures(&sec), at3);
    let id = sec.open_conflicts(CYCLE).unwrap()[0].1;
    // Keep: nothing changes.
    let mut keep = clone_db(&sec);
    let keep_id = keep.open_conflicts(CYCLE).unwrap()[0].1;
    resolve(&mut keep, keep_id, false, &[]).unwrap();
    assert_eq!((counted(&keep), figures(&keep)), (Some(3), at3.clone()));
    // Use the other: it counts, the first is set aside (kept in history).
    let r = resolve(&mut sec, id, true, &[]).unwrap().unwrap();
    assert_eq!((r.outcome, r.counts), (Outcome::Accepted, Some(1)));
    assert_eq!(counted(&sec), Some(1));
    assert_ne!(figures(&sec), at3);
    assert_eq!(sec.imported_revisions(Some(CYCLE)).unwrap().iter().filter(|h| h.retired).count(), 3);
    // A later revision of the set-aside assessment is held again.
    let r = import(&mut sec, &file(&next(&r3, "late")));
    assert_eq!((r.outcome, r.counts), (Outcome::Conflict, Some(1)));
}

/// A copy of an in-memory store, by replaying its received files.
fn clone_db(sec: &Store) -> Store {
    let mut out = Store::open_in_memory().unwrap();
    let mut files = sec.received_files().unwrap();
    files.reverse();
    for f in files {
        import_bytes(&mut out, &f.file_name, &sec.received_bytes(f.id).unwrap(), &[]).unwrap();
    }
    out
}

#[test]
fn the_key_is_made_once_beside_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let k = sign::ensure_key(dir.path()).unwrap();
    assert_eq!(sign::ensure_key(dir.path()).unwrap().public(), k.public());
    assert!(Path::new(&dir.path().join(sign::PUBLIC_KEY_FILE)).exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join(sign::SECRET_KEY_FILE)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let fp = k.public().fingerprint();
    assert!(fp.len() == 19 && fp.split(' ').all(|g| g.len() == 4), "{fp}");
}
