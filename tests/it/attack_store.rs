//! Issue 20, the store's side: a hostile schema is never opened nor restored, secrets are
//! readable by their owner only and stay out of exported backups, one key per database, and
//! backups while the window is open.

use crate::exchange::{finalised, key};
use cdf_assess::exchange::sign::SigningKey;
use cdf_assess::exchange::{self, ReturnBody, export};
use cdf_assess::lang::Lang;
use cdf_assess::secretariat::import::{Outcome, import_bytes};
use cdf_assess::store::{ObjectKind, SchemaDiff, Store, StoreError};
use std::path::Path;

const CYCLE: i32 = 2026;

/// FJ's revision 1, as a body, and its return file signed with FJ's key (`key()`).
fn fj_body() -> ReturnBody {
    let mut admin = Store::open_in_memory().unwrap();
    let id = finalised(&mut admin, "FJ", CYCLE);
    let e = export::export(&admin.revision_chain(id).unwrap(), None, &key()).unwrap();
    exchange::read(&e.bytes, &[]).unwrap().body
}

fn next(prev: &ReturnBody) -> ReturnBody {
    let mut b = prev.clone();
    b.revision += 1;
    b.previous_digest = Some(exchange::digest_of(prev));
    b.responses[0].comment = format!("revision {}", b.revision);
    b
}

/// A Secretariat database at `db` holding FJ's revision 1 (FJ's key pinned on first use).
fn secretariat(db: &Path) -> ReturnBody {
    let body = fj_body();
    let mut s = Store::open(db).unwrap();
    let r = import_bytes(&mut s, "FJ_2026_r1.ocoreturn", &exchange::write(body.clone(), &key()), &[]).unwrap();
    assert_eq!(r.outcome, Outcome::Accepted);
    body
}

/// A backup of `db` changed by an attacker with the plain SQLite library.
fn hostile_copy(db: &Path, out: &Path, sql: &str) {
    Store::open(db).unwrap().backup_to(out, false).unwrap();
    rusqlite::Connection::open(out).unwrap().execute_batch(sql).unwrap();
}

/// Rows of the tables an attack aims at, and FJ's pinned key.
fn counts(db: &Path) -> (i64, i64, String) {
    let s = Store::open(db).unwrap();
    let keys = s.member_keys().unwrap().len() as i64;
    let files = s.received_files().unwrap().len() as i64;
    (keys, files, s.member_key("FJ").unwrap().unwrap().public_key)
}

fn diffs(e: StoreError) -> Vec<SchemaDiff> {
    match e {
        StoreError::UnexpectedSchema { diffs, .. } => diffs,
        other => panic!("expected a refused schema, got {other:?}"),
    }
}

fn hostile_cases() -> Vec<(&'static str, &'static str, SchemaDiff)> {
    use SchemaDiff as D;
    vec![
        (
            "added trigger",
            "CREATE TRIGGER x AFTER INSERT ON settings BEGIN DELETE FROM settings; END;",
            D::Unexpected { kind: Some(ObjectKind::Trigger), name: "x".into() },
        ),
        (
            "view in place of member_key",
            "DROP TABLE member_key; CREATE VIEW member_key AS SELECT 1 AS id, 'FJ' AS member, '' AS public_key, \
             '' AS fingerprint, '' AS pinned_at, 'by_hand' AS how, 1 AS active, NULL AS retired_at;",
            D::OtherKind { name: "member_key".into(), found: Some(ObjectKind::View), expected: ObjectKind::Table },
        ),
        (
            "extra table",
            "CREATE TABLE loot (x TEXT);",
            D::Unexpected { kind: Some(ObjectKind::Table), name: "loot".into() },
        ),
        (
            "dropped trigger",
            "DROP TRIGGER response_read_only;",
            D::Missing { kind: ObjectKind::Trigger, name: "response_read_only".into() },
        ),
        (
            "changed trigger",
            "DROP TRIGGER response_read_only; CREATE TRIGGER response_read_only BEFORE UPDATE ON response \
             WHEN 0 BEGIN SELECT 1; END;",
            D::Changed { kind: ObjectKind::Trigger, name: "response_read_only".into() },
        ),
    ]
}

#[test]
fn a_hostile_schema_is_neither_restored_nor_opened_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sec.sqlite3");
    secretariat(&db);
    for (what, sql, expected) in hostile_cases() {
        let bad = dir.path().join(format!("{}.sqlite3", what.replace(' ', "-")));
        hostile_copy(&db, &bad, sql);
        let (db_bytes, bad_bytes) = (std::fs::read(&db).unwrap(), std::fs::read(&bad).unwrap());
        let backups = Store::backups_of(&db).len();

        // Restore: refused before anything is written, the difference named in both languages.
        let e = Store::restore_from(&bad, &db).unwrap_err();
        let (en, fr) = (e.message(Lang::En), e.message(Lang::Fr));
        let d = diffs(e);
        assert!(d.contains(&expected), "{what}: {d:?}");
        let name = match &expected {
            SchemaDiff::Unexpected { name, .. }
            | SchemaDiff::Missing { name, .. }
            | SchemaDiff::OtherKind { name, .. }
            | SchemaDiff::Changed { name, .. } => name.clone(),
        };
        assert!(en.contains(&name) && fr.contains(&name), "{what}: {en} / {fr}");
        assert_ne!(en, fr);
        assert_eq!(std::fs::read(&db).unwrap(), db_bytes, "{what}: the database is unchanged");
        assert_eq!(Store::backups_of(&db).len(), backups, "{what}: not even a before-restore backup");
        // Nor can it be looked into as a backup.
        assert!(matches!(Store::inspect_backup(&bad), Err(StoreError::UnexpectedSchema { .. })), "{what}");

        // Open: refused too, the file unchanged.
        assert!(diffs(Store::open(&bad).err().expect(what)).contains(&expected), "{what}");
        assert_eq!(std::fs::read(&bad).unwrap(), bad_bytes, "{what}: the hostile file is unchanged");
    }
    // The messages read as the issue names them.
    let e = Store::open(&dir.path().join("view-in-place-of-member_key.sqlite3")).err().unwrap();
    assert!(e.message(Lang::En).contains("member_key is a view, expected a table"), "{}", e.message(Lang::En));
    assert!(e.message(Lang::Fr).contains("member_key est une vue au lieu d'une table"), "{}", e.message(Lang::Fr));
    let e = Store::open(&dir.path().join("dropped-trigger.sqlite3")).err().unwrap();
    assert!(e.message(Lang::En).contains("missing trigger response_read_only"), "{}", e.message(Lang::En));
    // The unchanged copy restores and opens.
    let good = dir.path().join("good.sqlite3");
    Store::open(&db).unwrap().backup_to(&good, false).unwrap();
    Store::restore_from(&good, &db).unwrap();
    Store::open(&db).unwrap();
    // The private copy restored from is gone.
    let left: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(left.iter().all(|n| !n.contains(".restoring-")), "{left:?}");
}

#[test]
fn a_name_from_a_hostile_file_is_cleaned_and_capped() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sec.sqlite3");
    secretariat(&db);
    let bad = dir.path().join("bad.sqlite3");
    let long = format!("\"evil\x1b[2J\naccepted{}\"", "x".repeat(500));
    hostile_copy(&db, &bad, &format!("CREATE TABLE {long} (x);"));
    let e = Store::open(&bad).err().unwrap();
    for m in [e.message(Lang::En), e.message(Lang::Fr), e.to_string()] {
        assert!(!m.contains('\x1b') && !m.contains('\n'), "{m:?}");
        assert!(m.len() < 700, "{} characters", m.len());
    }
}

#[test]
fn a_trigger_repinning_fj_cannot_be_restored_so_another_key_never_counts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sec.sqlite3");
    let body = secretariat(&db);
    let attacker = SigningKey::generate().unwrap();
    let bad = dir.path().join("hostile.sqlite3");
    let trigger = format!(
        "CREATE TRIGGER keep_fresh AFTER INSERT ON return_file BEGIN \
         UPDATE member_key SET public_key = '{}' WHERE member = 'FJ'; END;",
        attacker.public().to_base64()
    );
    hostile_copy(&db, &bad, &trigger);
    // The fixture is potent: in a plain SQLite connection the next import repins FJ.
    {
        let scratch = dir.path().join("scratch.sqlite3");
        std::fs::copy(&bad, &scratch).unwrap();
        let c = rusqlite::Connection::open(&scratch).unwrap();
        c.execute(
            "INSERT INTO return_file (received_at, file_name, file_sha256, digest, uuid, member, cycle, revision, \
             outcome, bytes) VALUES ('', '', '', '', '', 'XX', 1, 1, 'held', x'')",
            [],
        )
        .unwrap();
        let pk: String =
            c.query_row("SELECT public_key FROM member_key WHERE member = 'FJ'", [], |r| r.get(0)).unwrap();
        assert_eq!(pk, attacker.public().to_base64());
    }
    let before = counts(&db);
    assert_eq!(before.2, key().public().to_base64());
    let e = Store::restore_from(&bad, &db).unwrap_err();
    assert!(diffs(e).contains(&SchemaDiff::Unexpected { kind: Some(ObjectKind::Trigger), name: "keep_fresh".into() }));
    assert_eq!(counts(&db), before);

    // The attacker's revisions of FJ's return, imported into the real database, never count.
    let mut s = Store::open(&db).unwrap();
    let r2 = next(&body);
    let r3 = next(&r2);
    for b in [r2, r3] {
        let r = import_bytes(&mut s, "f.ocoreturn", &exchange::write(b, &attacker), &[]).unwrap();
        assert_eq!(r.outcome, Outcome::Conflict, "{}", r.reason.message(Lang::En));
        assert_eq!(r.counts, Some(1));
    }
    assert_eq!(s.member_key("FJ").unwrap().unwrap().public_key, key().public().to_base64());
    let c = cdf_assess::secretariat::consolidate::consolidate(&s, CYCLE).unwrap();
    assert_eq!(c.members.iter().find(|m| m.member == "FJ").unwrap().revision(), Some(1));
}

/// The database's signing key, as the application gets it.
fn key_of(s: &Store) -> cdf_assess::store::Result<SigningKey> {
    use cdf_assess::exchange::sign;
    s.signing_key_text(sign::new_key_text, sign::describe_key_text).map(|t| SigningKey::parse(&t).unwrap())
}

fn sfile(db: &Path) -> std::path::PathBuf {
    cdf_assess::store::signing_key_files(db).0
}

fn pfile(db: &Path) -> std::path::PathBuf {
    cdf_assess::store::signing_key_files(db).1
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())).permissions().mode() & 0o777
}

/// The secret key's line in a key file's text: what must never be found in a copy without it.
fn secret_line(k: &SigningKey) -> String {
    k.to_file_text().lines().nth(1).unwrap().to_string()
}

#[cfg(unix)]
#[test]
fn the_database_its_wal_and_every_backup_are_readable_by_the_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("admin.sqlite3");
    let mut s = Store::open(&db).unwrap();
    finalised(&mut s, "FJ", CYCLE);
    for p in [db.clone(), db.with_file_name("admin.sqlite3-wal"), db.with_file_name("admin.sqlite3-shm")] {
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
    let auto = s.backups();
    assert!(!auto.is_empty(), "the daily backup");
    s.backup_now("finalise").unwrap();
    for p in s.backups() {
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
    let out = dir.path().join("usb").join("copy.sqlite3");
    s.backup_to(&out, false).unwrap();
    assert_eq!(mode(&out), 0o600);
    drop(s);
    // A before-restore backup, and the restored database.
    Store::restore_from(&out, &db).unwrap();
    assert_eq!(mode(&db), 0o600);
    assert!(Store::backups_of(&db).iter().all(|b| mode(&b.path) == 0o600));

    // A database made by an earlier version (0644) is made private as it is opened.
    use std::os::unix::fs::PermissionsExt;
    let old = dir.path().join("old.sqlite3");
    drop(Store::open(&old).unwrap());
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert_eq!(mode(&old), 0o644);
    let s = Store::open(&old).unwrap();
    assert_eq!(mode(&old), 0o600);
    assert_eq!(mode(&old.with_file_name("old.sqlite3-wal")), 0o600);
    drop(s);
}

#[test]
fn an_exported_backup_holds_the_secret_key_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("admin.sqlite3");
    let k = SigningKey::generate().unwrap();
    let mut s = Store::open(&db).unwrap();
    s.set_setting("signing_key", &k.to_file_text()).unwrap();
    s.set_setting("lang", "fr").unwrap();
    finalised(&mut s, "FJ", CYCLE);
    let (without, with) = (dir.path().join("without.sqlite3"), dir.path().join("with.sqlite3"));
    s.backup_to(&without, false).unwrap();
    s.backup_to(&with, true).unwrap();
    // An automatic backup keeps it (restoring one brings the key back; see the README).
    let auto = s.backup_now("finalise").unwrap().unwrap();
    drop(s);
    let setting = |p: &Path, key: &str| -> Option<String> {
        let c = rusqlite::Connection::open_with_flags(p, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).ok()
    };
    let holds = |p: &Path| {
        let bytes = std::fs::read(p).unwrap();
        bytes.windows(secret_line(&k).len()).any(|w| w == secret_line(&k).as_bytes())
    };
    assert_eq!(setting(&without, "signing_key"), None);
    assert!(!holds(&without), "not a byte of the key left in the file");
    assert_eq!(setting(&without, "lang").as_deref(), Some("fr"), "the other settings stay");
    assert_eq!(Store::inspect_backup(&without).unwrap().members, ["FJ"]);
    assert_eq!(setting(&with, "signing_key"), Some(k.to_file_text()));
    assert!(holds(&with));
    assert_eq!(setting(&auto, "signing_key"), Some(k.to_file_text()));
    assert!(!without.with_file_name("without.sqlite3-journal").exists());
}

#[test]
fn a_backup_is_made_while_the_window_has_the_database_open() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("admin.sqlite3");
    let mut window = Store::open(&db).unwrap();
    finalised(&mut window, "FJ", CYCLE);
    finalised(&mut window, "TO", CYCLE);
    // The command line, another process, while the window holds the database.
    let out = dir.path().join("copy.sqlite3");
    let mut c = assert_cmd::Command::cargo_bin("cdf-assess").unwrap();
    let o = c.arg("--db").arg(&db).env("LANG", "en_US.UTF-8").arg("backup").arg("--out").arg(&out).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(Store::inspect_backup(&out).unwrap().members, ["FJ", "TO"]);
    // The window goes on writing; the read-only opening writes nothing and is refused a write.
    finalised(&mut window, "WS", CYCLE);
    let ro = Store::open_read_only(&db).unwrap();
    assert_eq!(ro.list().unwrap().len(), 3);
    assert!(ro.set_setting("x", "y").is_err());
    // A second window is still refused.
    assert!(matches!(Store::open(&db), Err(StoreError::Locked { .. })));
    // --with-key warns.
    let mut c = assert_cmd::Command::cargo_bin("cdf-assess").unwrap();
    let o = c
        .arg("--db")
        .arg(&db)
        .env("LANG", "en_US.UTF-8")
        .args(["backup", "--with-key", "--out"])
        .arg(dir.path().join("k.sqlite3"))
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("secret signing key"));
}

/// `info` and `check` in a read-only folder (a tmpfs mounted read-only: root would write through
/// a folder's modes; needs root to mount, skipped with a note otherwise).
#[cfg(target_os = "linux")]
#[test]
fn info_and_check_read_a_database_in_a_read_only_folder() {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("ro");
    std::fs::create_dir_all(&mnt).unwrap();
    let ok = |args: &[&str]| std::process::Command::new("mount").args(args).output().is_ok_and(|o| o.status.success());
    if !ok(&["-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt.to_str().unwrap()]) {
        eprintln!("skipped: cannot mount a small tmpfs here (not root?)");
        return;
    }
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mnt.clone());
    let db = mnt.join("admin.sqlite3");
    let mut s = Store::open(&db).unwrap();
    finalised(&mut s, "FJ", CYCLE);
    drop(s);
    let _ = std::fs::remove_file(mnt.join("admin.sqlite3.lock"));
    assert!(ok(&["-o", "remount,ro", mnt.to_str().unwrap()]));
    assert!(!db.with_file_name("admin.sqlite3-wal").exists());
    // Opening to work is refused (no lock file can be made); reading is not.
    assert!(Store::open(&db).is_err());
    let cli = |cmd: &str| {
        let mut c = assert_cmd::Command::cargo_bin("cdf-assess").unwrap();
        c.arg("--db").arg(&db).env("LANG", "en_US.UTF-8").arg(cmd).output().unwrap()
    };
    let o = cli("info");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("FJ 2026 r1 finalised"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let o = cli("check");
    assert!(o.status.success(), "{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_dir(&mnt).unwrap().filter(|e| e.as_ref().unwrap().path().is_file()).count(), 1);
}

#[test]
fn two_databases_in_one_folder_get_two_signing_keys() {
    use cdf_assess::exchange::sign;
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("secretariat.sqlite3"), dir.path().join("admin.sqlite3"));
    let (sa, sb) = (Store::open(&a).unwrap(), Store::open(&b).unwrap());
    let (ka, kb) = (key_of(&sa).unwrap(), key_of(&sb).unwrap());
    assert_ne!(ka.public(), kb.public());
    assert_eq!(key_of(&sa).unwrap().public(), ka.public(), "the same key each time");
    assert_eq!(sa.signing_key_file(), Some(dir.path().join("secretariat.sqlite3.signing-key")));
    assert_eq!(sign::load(&sfile(&a)).unwrap().public(), ka.public());
    assert_eq!(sign::load_public(&pfile(&b)).unwrap(), *kb.public());
    assert!(!sign::secret_key_path(dir.path()).exists(), "no key shared by the folder");
    #[cfg(unix)]
    assert_eq!(mode(&sfile(&b)), 0o600);
    drop((sa, sb));
    // From the command line too.
    let fingerprint = |db: &Path| {
        let mut c = assert_cmd::Command::cargo_bin("cdf-assess").unwrap();
        let o = c.arg("--db").arg(db).arg("signing-key").output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap().lines().next().unwrap().to_string()
    };
    assert_eq!(fingerprint(&a), format!("fingerprint\t{}", ka.public().fingerprint()));
    assert_eq!(fingerprint(&b), format!("fingerprint\t{}", kb.public().fingerprint()));
}

#[test]
fn a_key_file_made_for_another_database_is_refused_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.sqlite3"), dir.path().join("b.sqlite3"));
    let ka = key_of(&Store::open(&a).unwrap()).unwrap();
    let sb = Store::open(&b).unwrap();
    let kb = key_of(&sb).unwrap();
    // a's key file put in place of b's.
    std::fs::remove_file(sfile(&b)).unwrap();
    std::fs::copy(sfile(&a), sfile(&b)).unwrap();
    let e = key_of(&sb).unwrap_err();
    let (en, fr) = (e.message(Lang::En), e.message(Lang::Fr));
    assert!(matches!(e, StoreError::KeyFile { problem: cdf_assess::store::KeyProblem::OtherDatabase { .. }, .. }));
    for m in [&en, &fr] {
        assert!(m.contains(&ka.public().fingerprint()) && m.contains(&kb.public().fingerprint()), "{m}");
    }
    assert!(en.contains("another database") && fr.contains("une autre base"), "{en} / {fr}");
    // Nothing signs with it, and the database's key is unchanged.
    assert!(key_of(&sb).is_err());
    std::fs::write(sfile(&b), "not a key").unwrap();
    assert!(matches!(key_of(&sb), Err(StoreError::KeyFile { problem: cdf_assess::store::KeyProblem::Damaged, .. })));
}

#[test]
fn a_copy_opened_elsewhere_writes_no_key_file_and_earlier_installations_keep_their_key() {
    use cdf_assess::exchange::sign;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("admin.sqlite3");
    let s = Store::open(&db).unwrap();
    let k = key_of(&s).unwrap();
    // A whole copy (with its key) opened on another laptop: the same key, no key file there.
    let other = dir.path().join("laptop");
    let copy = other.join("admin.sqlite3");
    s.backup_to(&copy, true).unwrap();
    drop(s);
    let c = Store::open(&copy).unwrap();
    assert_eq!(key_of(&c).unwrap().public(), k.public());
    assert_eq!(c.signing_key_file(), None);
    let files: Vec<String> =
        std::fs::read_dir(&other).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(files.iter().all(|f| !f.contains("signing-key")), "{files:?}");
    drop(c);
    // A copy without the key (the default export) cannot sign as the member: it gets its own.
    let plain = dir.path().join("usb").join("admin.sqlite3");
    Store::open(&db).unwrap().backup_to(&plain, false).unwrap();
    assert_ne!(key_of(&Store::open(&plain).unwrap()).unwrap().public(), k.public());

    // An earlier version's folder: one fixed-name key, held by the database too.
    let old = tempfile::tempdir().unwrap();
    let old_db = old.path().join("cdf-assess.sqlite3");
    let legacy = SigningKey::generate().unwrap();
    sign::write(old.path(), &legacy).unwrap();
    let s = Store::open(&old_db).unwrap();
    s.set_setting("signing_key", &legacy.to_file_text()).unwrap();
    assert_eq!(key_of(&s).unwrap().public(), legacy.public(), "the installation keeps its key");
    assert!(!sign::secret_key_path(old.path()).exists(), "adopted: renamed after its database");
    assert_eq!(sign::load(&sfile(&old_db)).unwrap().public(), legacy.public());
    #[cfg(unix)]
    assert_eq!(mode(&sfile(&old_db)), 0o600);
    // A second database beside it gets its own key, not that one.
    let second = Store::open(&old.path().join("second.sqlite3")).unwrap();
    assert_ne!(key_of(&second).unwrap().public(), legacy.public());
    // A fixed-name key of another database is left alone.
    let third = tempfile::tempdir().unwrap();
    let mine = SigningKey::generate().unwrap();
    let theirs = SigningKey::generate().unwrap();
    sign::write(third.path(), &theirs).unwrap();
    let s = Store::open(&third.path().join("x.sqlite3")).unwrap();
    s.set_setting("signing_key", &mine.to_file_text()).unwrap();
    assert_eq!(key_of(&s).unwrap().public(), mine.public());
    assert_eq!(sign::load(&sign::secret_key_path(third.path())).unwrap().public(), theirs.public());
}
