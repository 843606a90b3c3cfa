//! Issue 20, the exchange side, attacked again: one key for two members, the trusted comment, a
//! swapped card, "accepted" on a full disk, file names that forge lines, another member's return
//! in an administration's database, and `--out` on a fifo or a symlink.
#![cfg(feature = "demo")]

use crate::exchange::key;
use crate::feedback::{member_return, sec_key, secretariat_with};
use assert_cmd::cargo::CommandCargoExt;
use base64::Engine as _;
use cdf_assess::demo;
use cdf_assess::exchange::sign::{PublicKey, SigningKey};
use cdf_assess::exchange::{self, Rejection};
use cdf_assess::feedback::{CardChange, CardImportError, ImportError, import, import_card, views};
use cdf_assess::lang::Lang;
use cdf_assess::secretariat::consolidate::{consolidate, counting_for};
use cdf_assess::secretariat::import::{Outcome, Reason, import_bytes, import_many, resolve};
use cdf_assess::secretariat::keys::{self, PinError};
use cdf_assess::secretariat::review::{feedback_body, write_feedback};
use cdf_assess::store::Store;
use std::path::{Path, PathBuf};
use std::process::Command;

fn cli(db: &Path) -> Command {
    let mut c = Command::cargo_bin("cdf-assess").unwrap();
    c.arg("--db").arg(db).env("LANG", "en_US.UTF-8");
    c
}

/// A member's revision 1 (of `demo`'s cycle 2026) signed by `k`.
fn signed_by(member: &str, k: &SigningKey) -> Vec<u8> {
    let f = demo::generate(3, 2026, 1, 1).into_iter().find(|f| f.member == member).unwrap();
    exchange::write(exchange::read(&f.bytes, &[]).unwrap().body, k)
}

#[test]
fn one_key_for_two_members_is_a_conflict_keys_flags_it_and_pin_asks() {
    let mut sec = Store::open_in_memory().unwrap();
    let one = SigningKey::from_seed([9; 32], *b"one-key!");
    let r = import_bytes(&mut sec, "AS.ocoreturn", &signed_by("AS", &one), &[]).unwrap();
    assert_eq!(r.outcome, Outcome::Accepted);
    // FJ's return signed by AS's key: a conflict naming both members, counted nowhere.
    let r = import_bytes(&mut sec, "FJ.ocoreturn", &signed_by("FJ", &one), &[]).unwrap();
    assert_eq!(r.outcome, Outcome::Conflict);
    assert!(matches!(&r.reason, Reason::SharedKey { member, others, .. } if member == "FJ" && others == &["AS"]));
    for t in [Lang::En, Lang::Fr] {
        let m = r.reason.message(t);
        assert!(m.contains("AS") && m.contains("FJ") && m.contains(&one.public().fingerprint()), "{m}");
    }
    assert_eq!(counting_for(&sec, "FJ", 2026).unwrap(), None, "not counted");
    assert_eq!(counting_for(&sec, "AS", 2026).unwrap(), Some(1));
    assert!(sec.member_key("FJ").unwrap().is_none(), "nothing pinned for FJ");
    // Stored and read back as the same reason (the Secretariat's pages show it later).
    let stored = sec.received_files().unwrap().into_iter().find(|f| f.member == "FJ").unwrap();
    assert_eq!(Reason::from_stored(&stored.reason), r.reason);

    // pin-key: over a pinned key, or with another member's key, refused unless replace.
    let other = SigningKey::from_seed([10; 32], *b"otherkey");
    let e = keys::pin(&mut sec, "AS", &other.public().to_base64(), false).unwrap_err();
    assert!(matches!(e, PinError::AlreadyPinned { .. }), "{e}");
    assert!(e.message(Lang::Fr).contains(&one.public().fingerprint()), "names the key held");
    assert_eq!(sec.member_key("AS").unwrap().unwrap().public_key, one.public().to_base64(), "unchanged");
    let e = keys::pin(&mut sec, "TO", &one.public().to_base64(), false).unwrap_err();
    assert!(matches!(e, PinError::SharedKey { .. }), "{e}");
    assert!(sec.member_key("TO").unwrap().is_none());

    // A person settles FJ's conflict by using the file: then both hold the key, and `keys`
    // flags it on both.
    assert!(keys::list(&sec).unwrap().iter().all(|k| k.shared_with.is_empty()));
    resolve(&mut sec, stored.id, true, &[]).unwrap();
    assert_eq!(counting_for(&sec, "FJ", 2026).unwrap(), Some(1));
    let listed = keys::list(&sec).unwrap();
    let flag = |m: &str| listed.iter().find(|k| k.member == m && k.active).unwrap().shared_with.clone();
    assert_eq!((flag("AS"), flag("FJ")), (vec!["FJ".to_string()], vec!["AS".to_string()]));

    // With replace, pinning goes through.
    assert_eq!(keys::pin(&mut sec, "AS", &other.public().to_base64(), true).unwrap(), other.public().fingerprint());
    assert!(keys::list(&sec).unwrap().iter().filter(|k| k.active).all(|k| k.shared_with.is_empty()));
}

#[test]
fn the_command_line_pin_key_asks_keys_flags_and_verify_db_checks_the_pinned_key() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("sec.sqlite3");
    let one = SigningKey::from_seed([9; 32], *b"one-key!");
    let (as_file, fj_file) = (tmp.path().join("AS.ocoreturn"), tmp.path().join("FJ.ocoreturn"));
    std::fs::write(&as_file, signed_by("AS", &one)).unwrap();
    std::fs::write(&fj_file, signed_by("FJ", &one)).unwrap();
    let o = cli(&db).arg("--new-database").arg("import").arg(&as_file).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // verify --db: FJ's file signed by AS's key is a conflict there, as at import; without
    // --db, only the file is checked.
    let o = cli(&db).arg("verify").arg(&fj_file).output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.starts_with("conflict\t") && out.contains("AS"), "{out}");
    assert_eq!(o.status.code(), Some(1));
    let o = Command::cargo_bin("cdf-assess").unwrap().arg("verify").arg(&fj_file).output().unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("ok\t"));
    // Another key for AS: a key conflict at verify --db.
    let forged = tmp.path().join("AS-forged.ocoreturn");
    std::fs::write(&forged, signed_by("AS", &SigningKey::from_seed([11; 32], *b"forgery!"))).unwrap();
    let o = cli(&db).arg("verify").arg(&forged).output().unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("conflict\t"));

    let other = SigningKey::from_seed([10; 32], *b"otherkey").public().to_base64();
    let o = cli(&db).args(["pin-key", "--member", "AS", "--key", &other]).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "refused without --replace");
    assert!(String::from_utf8_lossy(&o.stdout).contains("--replace"));
    let o = cli(&db).args(["pin-key", "--member", "FJ", "--key", &one.public().to_base64()]).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "AS's key for FJ: refused without --replace");
    let o = cli(&db).args(["pin-key", "--member", "FJ", "--key", &one.public().to_base64(), "--replace"]).output();
    assert!(o.unwrap().status.success());
    let o = cli(&db).arg("keys").output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(out.matches("the same key is pinned for").count(), 2, "{out}");
}

/// A return whose signature's trusted comment is `comment` (signed correctly, by `key()`).
fn with_comment(body: &exchange::ReturnBody, comment: &str) -> Vec<u8> {
    let text = exchange::canonical_body(body);
    let signature = base64::engine::general_purpose::STANDARD.encode(key().sign(&text, comment));
    format!(
        r#"{{"format":"{}","format_version":{},"digest":"{}","signer":"{}","signature":"{}","body":{}}}"#,
        exchange::FORMAT,
        exchange::version_of(body),
        exchange::sha256_hex(&text),
        key().public().to_base64(),
        signature,
        String::from_utf8(text.clone()).unwrap(),
    )
    .into_bytes()
}

#[test]
fn a_trusted_comment_naming_another_member_cycle_revision_or_digest_is_refused() {
    let (_, _, good) = member_return("FJ", 0);
    let v = exchange::read(&good, &[]).unwrap();
    let (b, d) = (&v.body, &v.digest);
    let right = exchange::trusted_comment(&b.member, b.cycle, b.revision, d);
    assert_eq!(exchange::read(&with_comment(b, &right), &[]).unwrap().body, v.body, "the writer's own comment");
    let zeros = "0".repeat(64);
    for comment in [
        format!("oco-cdf-return AS {} r{} sha256:{d}", b.cycle, b.revision),
        format!("oco-cdf-return FJ 2025 r{} sha256:{d}", b.revision),
        format!("oco-cdf-return FJ {} r2 sha256:{d}", b.cycle),
        format!("oco-cdf-return FJ {} r{} sha256:{zeros}", b.cycle, b.revision),
        "hello".to_string(),
        format!("{right} FJ"),
    ] {
        let file = with_comment(b, &comment);
        match exchange::read(&file, &[]) {
            Err(r @ Rejection::WrongComment(_)) => {
                assert!(r.message(Lang::Fr).contains("commentaire signé"));
                let start: String = comment.chars().take(40).collect();
                assert!(r.message(Lang::En).contains(start.trim()), "names what it says");
            }
            other => panic!("{comment}: {other:?}"),
        }
        let mut sec = Store::open_in_memory().unwrap();
        let r = import_bytes(&mut sec, "FJ.ocoreturn", &file, &[]).unwrap();
        assert_eq!(r.outcome, Outcome::Rejected, "{comment}");
        assert!(sec.received_files().unwrap().is_empty());
    }
}

/// The member's database with the real card held and the Secretariat's database.
fn member_with_card() -> (Store, Store) {
    let (sec, mut fiji, _) = secretariat_with(&["PG", "SB", "VU"]);
    fiji.set_setting("role", "administration").unwrap();
    fiji.set_setting("member", "FJ").unwrap();
    let real = cdf_assess::exchange::card::Card {
        signing_key: sec_key().public().clone(),
        age_recipient: cdf_assess::exchange::keys::generate().1,
        email: "cdf@oco.example".into(),
    };
    import_card(&mut fiji, &real.to_text(), false).unwrap();
    (fiji, sec)
}

fn card_key(s: &Store) -> Option<PublicKey> {
    s.setting("secretariat_signer").unwrap().and_then(|k| PublicKey::parse(&k).ok())
}

#[test]
fn a_swapped_card_is_refused_and_the_real_feedback_imports_after_the_real_card_is_back() {
    let (mut fiji, mut sec) = member_with_card();
    let real_text = cdf_assess::exchange::card::Card {
        signing_key: sec_key().public().clone(),
        age_recipient: fiji.setting("secretariat_key").unwrap().unwrap(),
        email: "cdf@oco.example".into(),
    }
    .to_text();
    let attacker = SigningKey::from_seed([66; 32], *b"attacker");
    let fake = cdf_assess::exchange::card::Card {
        signing_key: attacker.public().clone(),
        age_recipient: cdf_assess::exchange::keys::generate().1,
        email: "cdf@oco.example".into(),
    };
    // Refused without replace, naming both fingerprints; nothing changed.
    let e = import_card(&mut fiji, &fake.to_text(), false).unwrap_err();
    match &e {
        CardImportError::Changed(CardChange::SigningKey { old, new }) => {
            assert_eq!((old, new), (&sec_key().public().fingerprint(), &attacker.public().fingerprint()));
        }
        other => panic!("{other:?}"),
    }
    for t in [Lang::En, Lang::Fr] {
        let m = e.message(t);
        assert!(m.contains(&sec_key().public().fingerprint()) && m.contains(&attacker.public().fingerprint()), "{m}");
    }
    assert_eq!(card_key(&fiji).as_ref(), Some(sec_key().public()));
    // The same signing key with another encryption key: also a stop.
    let other_recipient = cdf_assess::exchange::card::Card { signing_key: sec_key().public().clone(), ..fake.clone() };
    assert!(matches!(
        import_card(&mut fiji, &other_recipient.to_text(), false),
        Err(CardImportError::Changed(CardChange::Recipient { .. }))
    ));

    // Replaced (a person confirmed); the attacker's feedback with the largest number imports.
    import_card(&mut fiji, &fake.to_text(), true).unwrap();
    let c = consolidate(&sec, 2026).unwrap();
    let issued = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut body = feedback_body(&sec, &c, "FJ", &issued).unwrap();
    body.sequence = u32::MAX;
    body.review_state = "accepted".into();
    let forged = exchange::feedback::write(body, &attacker);
    let held = card_key(&fiji);
    import(&mut fiji, &forged, held.as_ref(), "FJ").unwrap();
    assert_eq!(views(&fiji).unwrap()[0].body.sequence, u32::MAX);

    // The real card back (replace), then the Secretariat's real feedback (sequence 1) imports
    // and is the one shown.
    import_card(&mut fiji, &real_text, true).unwrap();
    assert!(views(&fiji).unwrap().is_empty(), "the attacker's feedback is not shown under the real card");
    let real = write_feedback(&mut sec, &c, "FJ", &sec_key()).unwrap();
    assert_eq!(real.sequence, 1);
    let held = card_key(&fiji);
    let body = import(&mut fiji, &real.bytes, held.as_ref(), "FJ").unwrap();
    assert_eq!(body.sequence, 1);
    assert_eq!(views(&fiji).unwrap()[0].body.sequence, 1);
    // Numbering still holds per key: the same real feedback again is "not newer".
    assert!(matches!(
        import(&mut fiji, &real.bytes, held.as_ref(), "FJ"),
        Err(ImportError::Refused(exchange::feedback::Refusal::Older(1, 1)))
    ));
}

#[test]
fn a_card_with_a_field_twice_or_missing_is_refused_and_changes_nothing() {
    let (mut fiji, _) = member_with_card();
    let before = ["secretariat_signer", "secretariat_key", "secretariat_email"].map(|k| fiji.setting(k).unwrap());
    let card = cdf_assess::exchange::card::Card {
        signing_key: sec_key().public().clone(),
        age_recipient: before[1].clone().unwrap(),
        email: "cdf@oco.example".into(),
    };
    let text = card.to_text();
    let attacker = SigningKey::from_seed([66; 32], *b"attacker");
    let twice = format!("{text}signing-key: {}\n", attacker.public().to_base64());
    let no_recipient: String =
        text.lines().filter(|l| !l.starts_with("age-recipient")).map(|l| l.to_string() + "\n").collect();
    let no_email: String = text.lines().filter(|l| !l.starts_with("email")).map(|l| l.to_string() + "\n").collect();
    for (bad, field) in [(twice, "signing-key"), (no_recipient, "age-recipient"), (no_email, "email")] {
        for replace in [false, true] {
            let e = import_card(&mut fiji, &bad, replace).unwrap_err();
            assert!(matches!(e, CardImportError::Refused(_)), "{field}: {e:?}");
            for t in [Lang::En, Lang::Fr] {
                assert!(e.message(t).contains(field), "{}", e.message(t));
            }
        }
    }
    let after = ["secretariat_signer", "secretariat_key", "secretariat_email"].map(|k| fiji.setting(k).unwrap());
    assert_eq!(after, before);
    // The command line says the same and exits 1.
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("fj.sqlite3");
    let bad = tmp.path().join("bad.ococard");
    std::fs::write(&bad, format!("{text}email: evil@attacker.example\n")).unwrap();
    let o = cli(&db).arg("--new-database").arg("import-card").arg(&bad).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("email"));
}

#[test]
fn an_administration_refuses_another_members_return() {
    let (mut fiji, _) = member_with_card();
    let (_, _, as_return) = member_return("AS", 3);
    let r = import_bytes(&mut fiji, "AS.ocoreturn", &as_return, &[]).unwrap();
    assert_eq!(r.outcome, Outcome::Rejected);
    assert_eq!(r.reason, Reason::OtherMember { member: "AS".into(), own: "FJ".into() });
    assert!(r.reason.message(Lang::Fr).contains("AS") && r.reason.message(Lang::En).contains("FJ"));
    assert!(fiji.received_files().unwrap().is_empty());
    // The Secretariat's database (another role) takes it.
    let mut sec = Store::open_in_memory().unwrap();
    sec.set_setting("role", "secretariat").unwrap();
    assert_eq!(import_bytes(&mut sec, "AS.ocoreturn", &as_return, &[]).unwrap().outcome, Outcome::Accepted);
}

#[cfg(unix)]
#[test]
fn a_file_name_with_a_new_line_or_an_escape_sequence_is_never_printed_raw() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("sec.sqlite3");
    let name = "x\naccepted\tFJ_2026_r1.ocoreturn\t\x1b[32mok\x1b[0m.ocoreturn";
    let path = tmp.path().join(name);
    std::fs::write(&path, b"not a return").unwrap();
    for cmd in ["import", "verify"] {
        let o = cli(&db).arg("--new-database").arg(cmd).arg(&path).output().unwrap();
        let _ = std::fs::remove_file(&db);
        let out = String::from_utf8(o.stdout).unwrap();
        assert_eq!(out.lines().count(), 1, "{cmd}: {out:?}");
        assert!(out.starts_with("rejected\t") && !out.contains('\x1b'), "{cmd}: {out:?}");
        assert_eq!(out.matches('\t').count(), 2, "{cmd}: no forged column: {out:?}");
    }
}

#[test]
fn card_holds_the_encryption_key_after_keygen() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("sec.sqlite3");
    let o = cli(&db).arg("--new-database").arg("card").output().unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("age-recipient: none"));
    assert!(String::from_utf8_lossy(&o.stderr).contains("keygen"), "says how to add one");
    let id = tmp.path().join("secretariat-identity.txt");
    let o = cli(&db).arg("keygen").arg("--out").arg(&id).output().unwrap();
    let public = String::from_utf8(o.stdout).unwrap().trim().to_string();
    assert!(public.starts_with("age1"));
    let o = cli(&db).arg("card").output().unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("age-recipient: {public}")));
    // Kept elsewhere: named with --identity.
    let elsewhere = tmp.path().join("keys").join("id.txt");
    let o = cli(&db).arg("keygen").arg("--out").arg(&elsewhere).output().unwrap();
    let other = String::from_utf8(o.stdout).unwrap().trim().to_string();
    let o = cli(&db).arg("card").arg("--identity").arg(&elsewhere).output().unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("age-recipient: {other}")));
}

/// A small tmpfs mounted for the test, unmounted when dropped; None if it cannot be mounted
/// (not root, or no `mount`).
#[cfg(target_os = "linux")]
struct Tmpfs(PathBuf, #[allow(dead_code)] tempfile::TempDir);

#[cfg(target_os = "linux")]
impl Tmpfs {
    fn mount(size: &str) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        ok.then(|| Tmpfs(dir.path().to_path_buf(), dir))
    }
}

#[cfg(target_os = "linux")]
impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// The names of the files a database holds, read from a copy of its files (what is on disk).
#[cfg(target_os = "linux")]
fn names_on_disk(db: &Path) -> std::collections::BTreeSet<String> {
    let copy = tempfile::tempdir().unwrap();
    for suffix in ["", "-wal"] {
        let from = PathBuf::from(format!("{}{suffix}", db.display()));
        if from.exists() {
            std::fs::copy(&from, copy.path().join(format!("db{suffix}"))).unwrap();
        }
    }
    let c = rusqlite::Connection::open(copy.path().join("db")).unwrap();
    let mut stmt = c.prepare("SELECT file_name FROM return_file").unwrap();
    stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap).collect()
}

#[cfg(target_os = "linux")]
#[test]
fn on_a_full_disk_every_file_said_accepted_is_in_the_database() {
    let Some(disk) = Tmpfs::mount("3m") else {
        println!("skipped: a tmpfs cannot be mounted here (needs root)");
        return;
    };
    let files = demo::generate(5, 2026, 12, 1);
    let src = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|f| {
            let p = src.path().join(&f.file_name);
            std::fs::write(&p, &f.bytes).unwrap();
            p
        })
        .collect();
    let db = disk.0.join("sec.sqlite3");
    let mut s = Store::open(&db).unwrap();
    let (mut kept, mut failed, mut rejected) = (Vec::new(), 0, 0);
    import_many(&mut s, &paths, &[], |f, r| {
        match r {
            Ok(r) if r.outcome == Outcome::Rejected => rejected += 1,
            Ok(r) => kept.push((f.file_name().unwrap().to_string_lossy().to_string(), r.outcome)),
            Err(_) => failed += 1,
        }
        true
    })
    .unwrap();
    drop(s);
    let on_disk = names_on_disk(&db);
    println!(
        "full disk: {} files, {} said kept ({} accepted), {} failed, {} rejected; {} in the database",
        paths.len(),
        kept.len(),
        kept.iter().filter(|(_, o)| *o == Outcome::Accepted).count(),
        failed,
        rejected,
        on_disk.len()
    );
    assert!(failed > 0, "the disk filled up during the import");
    assert!(!kept.is_empty(), "some files were kept before it did");
    assert_eq!(rejected, 0);
    for (name, outcome) in &kept {
        assert!(on_disk.contains(name), "{name} was said {outcome:?} but is not in the database");
    }
    assert_eq!(on_disk.len(), kept.len(), "nothing kept that was not said");
    assert_eq!(kept.len() + failed, paths.len(), "every file has one outcome");
}

#[cfg(unix)]
fn mkfifo(p: &Path) {
    assert!(Command::new("mkfifo").arg(p).status().unwrap().success());
}

#[cfg(unix)]
fn reader(p: &Path) -> std::thread::JoinHandle<Vec<u8>> {
    let p = p.to_path_buf();
    std::thread::spawn(move || std::fs::read(p).unwrap())
}

#[cfg(unix)]
#[test]
fn writing_out_respects_a_fifo_and_a_symlink() {
    use cdf_assess::app::files::write_atomically;
    use std::os::unix::fs::FileTypeExt;
    let tmp = tempfile::tempdir().unwrap();
    // A fifo stays a fifo; its reader gets the bytes.
    let fifo = tmp.path().join("out.fifo");
    mkfifo(&fifo);
    let r = reader(&fifo);
    write_atomically(&fifo, b"through the pipe").unwrap();
    assert_eq!(r.join().unwrap(), b"through the pipe");
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    // A symlink stays a link; its target holds the bytes (relative links too, and chains).
    let target = tmp.path().join("target.txt");
    std::fs::write(&target, b"old").unwrap();
    std::os::unix::fs::symlink("target.txt", tmp.path().join("link1")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("link1"), tmp.path().join("link2")).unwrap();
    write_atomically(&tmp.path().join("link2"), b"new").unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), b"new");
    for l in ["link1", "link2"] {
        assert!(std::fs::symlink_metadata(tmp.path().join(l)).unwrap().file_type().is_symlink(), "{l}");
    }
    // A link to a file not there yet: the file is made, the link stays.
    std::os::unix::fs::symlink("later.txt", tmp.path().join("dangling")).unwrap();
    write_atomically(&tmp.path().join("dangling"), b"made").unwrap();
    assert_eq!(std::fs::read(tmp.path().join("later.txt")).unwrap(), b"made");
    assert!(std::fs::symlink_metadata(tmp.path().join("dangling")).unwrap().file_type().is_symlink());
    // A character device is written into, not replaced.
    write_atomically(Path::new("/dev/null"), b"nothing").unwrap();
    assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device());
    // A regular file is replaced, keeping its permissions.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
    write_atomically(&target, b"again").unwrap();
    assert_eq!(std::fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o600);
    // A socket (as a block device) is refused: never replaced by a regular file.
    let socket = tmp.path().join("s.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    assert!(write_atomically(&socket, b"x").is_err());
    assert!(std::fs::symlink_metadata(&socket).unwrap().file_type().is_socket());
    // A symlink loop is refused, nothing written.
    std::os::unix::fs::symlink("loop-b", tmp.path().join("loop-a")).unwrap();
    std::os::unix::fs::symlink("loop-a", tmp.path().join("loop-b")).unwrap();
    assert!(write_atomically(&tmp.path().join("loop-a"), b"x").is_err());
}

#[cfg(unix)]
#[test]
fn command_line_out_into_a_fifo_and_a_symlink_and_keygen_refuses_both() {
    use std::os::unix::fs::FileTypeExt;
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("sec.sqlite3");
    drop(Store::create_new(&db).unwrap());
    let fifo = tmp.path().join("card.fifo");
    mkfifo(&fifo);
    let r = reader(&fifo);
    let o = cli(&db).arg("card").arg("--out").arg(&fifo).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8(r.join().unwrap()).unwrap().contains("format: oco-cdf-card 1"));
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    let target = tmp.path().join("card.txt");
    let link = tmp.path().join("card-link.ococard");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    assert!(cli(&db).arg("card").arg("--out").arg(&link).output().unwrap().status.success());
    assert!(std::fs::read_to_string(&target).unwrap().contains("signing-key: RW"));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    // keygen writes a secret: it never writes into or over anything already there.
    for existing in [&fifo, &link] {
        let o = cli(&db).arg("keygen").arg("--out").arg(existing).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "refused");
    }
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(std::fs::read_to_string(&target).unwrap().contains("signing-key: RW"), "the link's target unchanged");
}

#[test]
fn a_feedback_file_whose_trusted_comment_is_not_its_own_is_refused() {
    let (mut sec, _, _) = secretariat_with(&["PG", "SB", "VU"]);
    let c = consolidate(&sec, 2026).unwrap();
    let written = write_feedback(&mut sec, &c, "FJ", &sec_key()).unwrap();
    let text = String::from_utf8(written.bytes.clone()).unwrap();
    assert!(exchange::feedback::read(&written.bytes).is_ok());
    // The body is last in the canonical file: its bytes are what is signed.
    let body = &text[text.find("\"body\":").unwrap() + 7..text.len() - 1];
    let old_signature = text.split("\"signature\":\"").nth(1).unwrap().split('"').next().unwrap();
    let digest = exchange::sha256_hex(body.as_bytes());
    // The control: signed again with its own comment, the file is byte for byte the same.
    let own = format!("oco-cdf-feedback FJ 2026 n{} sha256:{digest}", written.sequence);
    let again = base64::engine::general_purpose::STANDARD.encode(sec_key().sign(body.as_bytes(), &own));
    assert_eq!(again, old_signature);
    for comment in [
        format!("oco-cdf-feedback AS 2026 n{} sha256:{digest}", written.sequence),
        format!("oco-cdf-feedback FJ 2026 n99 sha256:{digest}"),
        "hello".to_string(),
    ] {
        let signature = base64::engine::general_purpose::STANDARD.encode(sec_key().sign(body.as_bytes(), &comment));
        let forged = text.replace(old_signature, &signature);
        assert_eq!(
            exchange::feedback::read(forged.as_bytes()).unwrap_err(),
            exchange::feedback::Refusal::BadSignature,
            "{comment}"
        );
    }
}

/// `backup --out` follows the same rule as every other `--out` (issue 20, point 10): a fifo is
/// written into and stays a fifo, a symlink's target gets the backup and the link stays.
#[cfg(unix)]
#[test]
fn backup_out_into_a_fifo_or_a_symlink_replaces_neither() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.sqlite3");
    cli(&db).args(["--new-database", "info"]).status().unwrap().success().then_some(()).expect("the command succeeds");
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let got = reader(&fifo);
    cli(&db)
        .args(["backup", "--out"])
        .arg(&fifo)
        .status()
        .unwrap()
        .success()
        .then_some(())
        .expect("the command succeeds");
    let bytes = got.join().unwrap();
    assert!(bytes.starts_with(b"SQLite format 3\0"), "the reader got the backup ({} bytes)", bytes.len());
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "still a fifo");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    let target = dir.path().join("real.sqlite3");
    let link = dir.path().join("link.sqlite3");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    cli(&db)
        .args(["backup", "--out"])
        .arg(&link)
        .status()
        .unwrap()
        .success()
        .then_some(())
        .expect("the command succeeds");
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "still a link");
    assert!(std::fs::read(&target).unwrap().starts_with(b"SQLite format 3\0"));
}

/// Telling a file's kind by how it starts (a feedback or framework file renamed) reads it as an
/// import does: a pipe named like anything else is not opened, so it cannot hang the window.
#[cfg(unix)]
#[test]
fn a_pipe_given_a_plain_name_is_not_read_to_tell_its_kind() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("notes.txt");
    mkfifo(&fifo);
    let (tx, rx) = std::sync::mpsc::channel();
    let f = fifo.clone();
    std::thread::spawn(move || {
        let kinds = (cdf_assess::app::ops::is_feedback_file(&f), cdf_assess::fwfiles::is_framework_file(&f));
        let _ = tx.send(kinds);
    });
    let kinds = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("reading a pipe's first bytes hung");
    assert_eq!(kinds, (false, false));
}
