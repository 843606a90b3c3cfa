//! The command line, run as a user would: the built binary.

use assert_cmd::Command;
use std::path::Path;

fn cli(db: &Path) -> Command {
    let mut c = Command::cargo_bin("cdf-assess").unwrap();
    c.arg("--db").arg(db).env("LANG", "en_US.UTF-8");
    c
}

#[cfg(feature = "demo")]
fn files_in(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

#[test]
#[cfg(feature = "demo")]
fn demo_data_verify_import_and_import_again() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("sec.sqlite3");
    let out = tmp.path().join("returns");
    let o = cli(&db).args(["demo-data", "--cycles", "2", "--revisions", "2", "--out"]).arg(&out).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let files = files_in(&out);
    assert!(files.len() >= 46, "23 members x 2 cycles at least: {}", files.len());
    assert!(files.iter().all(|f| f.extension().unwrap() == "ocoreturn"));

    let o = cli(&db).arg("verify").args(&files).output().unwrap();
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(text.lines().filter(|l| l.starts_with("ok\t")).count(), files.len());

    let o = cli(&db).arg("import").args(&files).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(text.lines().count(), files.len(), "one line per file");
    assert!(text.lines().all(|l| l.starts_with("accepted\t") || l.starts_with("supersedes\t")), "{text}");
    assert!(text.contains("supersedes\t"), "demo data has revisions");

    let o = cli(&db).arg("import").args(&files).output().unwrap();
    assert!(o.status.success());
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.lines().all(|l| l.starts_with("already_imported\t")), "{text}");

    // A folder stands for the returns in it (Windows shells expand no wildcards).
    let fresh = tmp.path().join("fresh.sqlite3");
    let o = cli(&fresh).arg("import").arg(&out).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    assert_eq!(String::from_utf8(o.stdout).unwrap().lines().count(), files.len(), "one line per file of the folder");

    // A pattern reaches the program as it was typed (Windows shells expand none): it expands it.
    let patterned = tmp.path().join("patterned.sqlite3");
    let o = cli(&patterned).arg("verify").arg(out.join("*_r1.ocoreturn")).output().unwrap();
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(o.status.success(), "{text}");
    let first_revisions = files.iter().filter(|f| f.to_string_lossy().ends_with("_r1.ocoreturn")).count();
    assert_eq!(text.lines().count(), first_revisions, "{text}");
    // A pattern that matches nothing is named with its reason, and counts as rejected.
    let nothing = out.join("XX_*.ocoreturn");
    let o = cli(&patterned).arg("import").arg(&nothing).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(text.trim_end(), format!("rejected\t{}\tno file matches this pattern", nothing.display()));

    // Deterministic: the same seed writes the same bytes.
    let again = tmp.path().join("again");
    cli(&db).args(["demo-data", "--cycles", "2", "--revisions", "2", "--out"]).arg(&again).assert().success();
    for f in &files {
        assert_eq!(std::fs::read(f).unwrap(), std::fs::read(again.join(f.file_name().unwrap())).unwrap());
    }
}

#[test]
fn a_rejected_file_makes_import_exit_1_with_its_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("sec.sqlite3");
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let o = cli(&db)
        .arg("import")
        .arg(corpus.join("level-9.ocoreturn"))
        .arg(corpus.join("empty.ocoreturn"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("rejected\t") && lines[0].contains("invalid value"), "{text}");
    assert!(lines[1].starts_with("rejected\t") && lines[1].contains("empty"), "{text}");
    let o = cli(&db).arg("verify").arg(corpus.join("tampered-comment.ocoreturn")).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("changed after it was written"));
}

#[test]
fn keygen_export_encrypted_and_import_with_the_identity() {
    let tmp = tempfile::tempdir().unwrap();
    let admin_db = tmp.path().join("admin.sqlite3");
    let sec_db = tmp.path().join("sec.sqlite3");
    let key = tmp.path().join("secretariat.key");
    let o = cli(&sec_db).arg("keygen").arg("--out").arg(&key).output().unwrap();
    assert!(o.status.success());
    let public = String::from_utf8(o.stdout).unwrap().trim().to_string();
    assert!(public.starts_with("age1"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let pubfile = tmp.path().join("secretariat.pub");
    std::fs::write(&pubfile, format!("{public}\n")).unwrap();

    let id = {
        let mut store = cdf_assess::store::Store::open(&admin_db).unwrap();
        crate::exchange::finalised(&mut store, "PF", 2026)
    };
    let out = tmp.path().join("PF_2026_r1.ocoreturn");
    let o = cli(&admin_db)
        .args(["export", "--assessment", &id.to_string(), "--out"])
        .arg(&out)
        .arg("--encrypt-to")
        .arg(&pubfile)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read(&out).unwrap().starts_with(b"age-encryption.org/v1"));

    // Without the key: rejected; with it: accepted.
    let o = cli(&sec_db).arg("import").arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("encrypted"));
    let o = cli(&sec_db).arg("import").arg(&out).arg("--identity").arg(&key).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("accepted\t"));
}

#[test]
fn a_second_instance_and_a_corrupt_database_get_clear_messages() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("x.sqlite3");
    std::fs::write(&db, b"this is not a database at all, it is a note").unwrap();
    let o = cli(&db).arg("info").output().unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a cdf-assess database"));
    assert_eq!(std::fs::read(&db).unwrap(), b"this is not a database at all, it is a note");

    let good = tmp.path().join("good.sqlite3");
    let _held = cdf_assess::store::Store::open(&good).unwrap();
    let o = cli(&good).arg("info").output().unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("already open"));
}

#[test]
fn backup_restore_and_check_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("admin.sqlite3");
    let out = tmp.path().join("usb").join("admin-backup.sqlite3");
    let id = {
        let mut store = cdf_assess::store::Store::open(&db).unwrap();
        crate::exchange::finalised(&mut store, "FJ", 2026)
    };
    let o = cli(&db).arg("backup").arg("--out").arg(&out).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("FJ"));
    // A later change, undone by the restore.
    cdf_assess::store::Store::open(&db).unwrap().start_revision(id).unwrap();

    let o = cli(&db).arg("restore").arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "no terminal and no --yes: nothing restored");
    assert_eq!(cdf_assess::store::Store::open(&db).unwrap().list().unwrap().len(), 2);
    {
        let _held = cdf_assess::store::Store::open(&db).unwrap();
        let o = cli(&db).args(["restore", "--yes"]).arg(&out).output().unwrap();
        assert!(!o.status.success());
        assert!(String::from_utf8_lossy(&o.stderr).contains("already open in another cdf-assess window"));
    }
    let o = cli(&db).args(["restore", "--yes"]).arg(&out).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("before-restore"));
    assert_eq!(cdf_assess::store::Store::open(&db).unwrap().list().unwrap().len(), 1);

    let o = cli(&db).arg("check").output().unwrap();
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(
        text.contains("integrity: ok") && text.contains("foreign keys: ok") && text.contains("schema version"),
        "{text}"
    );

    let empty = tmp.path().join("empty.sqlite3");
    std::fs::write(&empty, b"").unwrap();
    let o = cli(&empty).arg("check").output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("backups"));
    let o = cli(&empty).arg("info").output().unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("holds no cdf-assess data"));
    assert_eq!(std::fs::read(&empty).unwrap(), b"");
    cli(&empty).args(["--new-database", "info"]).assert().success();
}

#[test]
fn signing_key_pin_key_and_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("sec.sqlite3");
    let o = cli(&db).arg("signing-key").output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    let public = text.lines().find_map(|l| l.strip_prefix("public key\t")).unwrap().to_string();
    let fp = text.lines().find_map(|l| l.strip_prefix("fingerprint\t")).unwrap().to_string();
    // Named after the database (issue 20: one key per database).
    assert!(
        tmp.path().join("sec.sqlite3.signing-key").exists() && tmp.path().join("sec.sqlite3.signing-key.pub").exists()
    );
    assert!(text.contains("sec.sqlite3.signing-key"), "{text}");
    let o = cli(&db)
        .args(["pin-key", "--member", "FJ", "--key"])
        .arg(tmp.path().join("sec.sqlite3.signing-key.pub"))
        .output();
    let o = o.unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8(o.stdout).unwrap().trim(), format!("FJ\t{fp}"));
    let o = cli(&db).arg("keys").output().unwrap();
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains(&fp) && text.contains(&public) && text.contains("by_hand"), "{text}");
    let o = cli(&db).args(["pin-key", "--member", "FJ", "--key", "RWnotakey"]).output().unwrap();
    assert!(!o.status.success());
}

/// `cdf-assess info | head -1`: the reader goes, the command ends quietly (no panic, no
/// backtrace), ended by SIGPIPE as any Unix tool would be.
#[cfg(unix)]
#[test]
fn output_into_a_closed_pipe_ends_the_command_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("p.sqlite3");
    cli(&db).arg("info").assert().success();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("cdf-assess"))
        .arg("--db")
        .arg(&db)
        .arg("info")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader is gone before the first line
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{stderr}");
    assert_eq!(out.status.signal(), Some(13), "ended by SIGPIPE (13): {:?}", out.status);
}

#[test]
fn help_and_usage_errors_speak_the_language_of_the_database_then_of_the_system() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("fr.sqlite3");
    {
        let store = cdf_assess::store::Store::open(&db).unwrap();
        store.set_setting("lang", "fr").unwrap();
    }
    // The database says French; the system (LANG) says English: the user's choice wins.
    let o = cli(&db).arg("--help").output().unwrap();
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(o.status.success(), "{text}");
    assert!(text.contains("Utilisation : cdf-assess") && text.contains("Commandes :"), "{text}");
    assert!(!text.contains("Usage") && !text.contains("Print help"), "{text}");
    let o = cli(&db).args(["help", "import"]).output().unwrap();
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(o.status.success() && text.contains("Importer des fichiers de retour"), "{text}");
    let o = cli(&db).args(["import", "--identiy", "k.txt", "x.ocoreturn"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.starts_with("erreur : --identiy") && err.contains("--identity ?"), "{err}");
    assert!(o.stdout.is_empty());
    // The commands' own words too.
    let info = String::from_utf8(cli(&db).arg("info").output().unwrap().stdout).unwrap();
    assert!(info.starts_with("base de données : ") && info.contains("version du schéma : "), "{info}");
    let key = String::from_utf8(cli(&db).arg("signing-key").output().unwrap().stdout).unwrap();
    assert!(key.starts_with("empreinte\t") && key.contains("clé publique\t"), "{key}");

    // Without a database, the system's language; French from LANG.
    let none = tmp.path().join("none.sqlite3");
    let o = cli(&none)
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .arg("-h")
        .output()
        .unwrap();
    assert!(String::from_utf8(o.stdout).unwrap().contains("Utilisation :"));
    assert!(!none.exists(), "asking for help makes no database");
    let o = cli(&none).arg("--help").output().unwrap();
    assert!(String::from_utf8(o.stdout).unwrap().contains("Usage: cdf-assess"));
}

#[cfg(unix)]
#[test]
fn help_with_a_fifo_or_a_stranger_file_as_database_neither_hangs_nor_fails() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("fifo.sqlite3");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let junk = tmp.path().join("junk.sqlite3");
    std::fs::write(&junk, b"SQLite format 3\0 but not really").unwrap();
    for db in [&fifo, &junk] {
        let o = cli(db).arg("--help").timeout(std::time::Duration::from_secs(20)).output().unwrap();
        assert!(o.status.success(), "{}: {}", db.display(), String::from_utf8_lossy(&o.stderr));
        assert!(String::from_utf8(o.stdout).unwrap().contains("Usage: cdf-assess"));
    }
    assert_eq!(std::fs::read(&junk).unwrap(), b"SQLite format 3\0 but not really", "the file is not touched");
    // Another program's SQLite file with a settings table of its own: an odd value is not taken.
    let other = tmp.path().join("other.sqlite3");
    let c = rusqlite::Connection::open(&other).unwrap();
    c.execute_batch("CREATE TABLE settings (key TEXT, value TEXT)").unwrap();
    c.execute("INSERT INTO settings VALUES ('lang', ?1)", [format!("fr{}", "\u{1b}[31m".repeat(5000))]).unwrap();
    drop(c);
    let o = cli(&other).arg("--help").output().unwrap();
    assert!(o.status.success() && String::from_utf8(o.stdout).unwrap().contains("Usage: cdf-assess"));
}

/// A stand-in `xdg-email` in `bin` that writes its arguments, one a line, to `log`.
#[cfg(unix)]
fn mail_program(bin: &Path, log: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::create_dir_all(bin).unwrap();
    let p = bin.join("xdg-email");
    std::fs::write(&p, format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n", log.display())).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[cfg(unix)]
#[test]
fn export_and_feedback_with_send_open_an_email_with_the_files_attached() {
    let tmp = tempfile::tempdir().unwrap();
    let (bin, log) = (tmp.path().join("bin"), tmp.path().join("mail.log"));
    mail_program(&bin, &log);
    let admin = tmp.path().join("admin.sqlite3");
    let id = {
        let mut store = cdf_assess::store::Store::open(&admin).unwrap();
        store.set_setting("lang", "fr").unwrap();
        store.set_setting("secretariat_email", "returns@oco.example").unwrap();
        crate::exchange::finalised(&mut store, "PF", 2026)
    };
    let ret = tmp.path().join("PF_2026_r1.ocoreturn");
    let o = cli(&admin)
        .env("PATH", &bin)
        .args(["export", "--send", "--assessment", &id.to_string(), "--out"])
        .arg(&ret)
        .output()
        .unwrap();
    let said = String::from_utf8(o.stdout).unwrap();
    assert!(o.status.success(), "{said}{}", String::from_utf8_lossy(&o.stderr));
    assert!(said.contains("en pièce jointe"), "said in the database's language: {said}");
    let args = std::fs::read_to_string(&log).unwrap();
    let abs = std::path::absolute(&ret).unwrap();
    assert!(args.contains(&format!("--attach\n{}\n", abs.display())), "{args}");
    assert!(args.ends_with("returns@oco.example\n"), "to the Secretariat's address held: {args}");
    assert!(args.contains("Polynésie française") || args.contains("PF"), "{args}");

    // The Secretariat answers: its feedback file, sent to the address given.
    let sec = tmp.path().join("sec.sqlite3");
    cli(&sec).arg("import").arg(&ret).assert().success();
    let fb = tmp.path().join("PF.ocofeedback");
    std::fs::remove_file(&log).unwrap();
    let o = cli(&sec)
        .env("PATH", &bin)
        .args(["feedback", "--member", "PF", "--send", "--to", "douane@pf.example", "--out"])
        .arg(&fb)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8(o.stdout).unwrap().contains("attached"));
    let args = std::fs::read_to_string(&log).unwrap();
    assert!(args.contains(&format!("--attach\n{}\n", std::path::absolute(&fb).unwrap().display())), "{args}");
    assert!(args.ends_with("douane@pf.example\n"), "{args}");

    // No e-mail program at all: the file is written and the officer is told to send it.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let again = tmp.path().join("again.ocoreturn");
    let o = cli(&admin)
        .env("PATH", &empty)
        .args(["export", "--send", "--assessment", &id.to_string(), "--out"])
        .arg(&again)
        .output()
        .unwrap();
    assert!(o.status.success(), "the file is written: not an error");
    assert!(again.exists());
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(err.contains("again.ocoreturn") && err.contains("messagerie"), "{err}");

    // --to without --send is refused at the edge.
    let o = cli(&admin).args(["export", "--to", "x@y", "--assessment", "1", "--out", "z"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}
