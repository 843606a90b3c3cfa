//! Backups, the SQLite way: never a copy of the file.
//!
//! A backup is made with SQLite's online backup API (rusqlite's `backup` feature) from the open
//! connection: a consistent snapshot of the database whatever is in its `-wal`, written to a
//! temporary file beside the target, switched to a single self-contained file
//! (`journal_mode=DELETE`), synced, then renamed into place. The same API restores: the pages of
//! the backup are written into the database inside one SQLite write transaction, so a crash
//! mid-restore leaves the old database intact (the journal rolls it back) or the new one complete.
//!
//! Automatic backups go into a `backups` folder beside the database, named
//! `<stem>-<UTC timestamp>-<reason>.sqlite3`; the newest [`MAX_AUTO_BACKUPS`] are kept.

use super::disk::{Holder, classify, create_private, io, is_not_a_db, lock, lock_file_itself, sibling, sync_dir};
use super::schema::{harden, verify as verify_schema};
use super::{Result, SCHEMA_VERSION, Store, StoreError};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// How many automatic backups are kept (all reasons together).
pub const MAX_AUTO_BACKUPS: usize = 10;

/// The reasons an automatic backup is made for (the last part of its name).
const AUTO_REASONS: [&str; 4] = ["daily", "before-migration", "finalise", "before-restore"];

/// An automatic backup beside a database ([`Store::backups_of`]).
#[derive(Debug, Clone, PartialEq)]
pub struct AutoBackup {
    pub path: PathBuf,
    /// When it was made (RFC 3339, UTC).
    pub at: String,
    /// Why: `daily`, `finalise`, `before-migration` or `before-restore`.
    pub reason: String,
}

/// What a backup file holds, read without changing it ([`Store::inspect_backup`]).
#[derive(Debug, Clone, PartialEq)]
pub struct BackupInfo {
    pub path: PathBuf,
    pub bytes: u64,
    pub schema_version: i64,
    /// Member codes with at least one assessment, sorted.
    pub members: Vec<String>,
    /// Revisions held (drafts, finalised and imported).
    pub assessments: usize,
    /// Cycles held, newest first.
    pub cycles: Vec<i32>,
    /// The newest `updated_at` of any revision (RFC 3339, UTC).
    pub newest_update: Option<String>,
    /// The newest `finalised_at`.
    pub newest_finalised: Option<String>,
}

/// The health of the open database ([`Store::check`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckReport {
    /// `PRAGMA integrity_check`: `["ok"]` when sound.
    pub integrity: Vec<String>,
    /// `PRAGMA foreign_key_check`: one line per row that points nowhere.
    pub foreign_keys: Vec<String>,
    pub schema_version: i64,
    /// The schema version this build writes.
    pub known_version: i64,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.integrity == ["ok"] && self.foreign_keys.is_empty() && self.schema_version == self.known_version
    }
}

/// What a restore did ([`Store::restore_from`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Restored {
    /// What was restored.
    pub info: BackupInfo,
    /// The backup of the database as it was before (None if there was no database).
    pub before: Option<PathBuf>,
}

/// The setting that holds the member's secret signing key (see `Store::signing_key`).
pub(super) const SIGNING_KEY_SETTING: &str = "signing_key";

/// Copies the database of `conn` into `out` consistently (see the module's notes), readable by
/// its owner only. Without `with_key` the member's secret signing key is left out, its bytes
/// overwritten (`secure_delete`), so the copy cannot sign as the member.
pub(super) fn backup_conn(conn: &Connection, out: &Path, with_key: bool) -> Result<()> {
    // What is at `out` is respected (`crate::outfile`): a link's target is written, a fifo or a
    // character device is written into (the backup made in the system's temporary folder first),
    // never replaced by a regular file; a folder, block device or socket is refused.
    let (out, stream) = match crate::outfile::Target::of(out).map_err(io(out))? {
        crate::outfile::Target::Replace(p) => (p, None),
        crate::outfile::Target::Stream(p) => {
            let tmp = std::env::temp_dir().join(format!("cdf-assess-backup-{}.sqlite3", std::process::id()));
            (tmp, Some(p))
        }
    };
    let out = out.as_path();
    let tmp = sibling(out, &format!(".partial-{}", std::process::id()));
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let _ = std::fs::remove_file(&tmp);
    let result = (|| -> Result<()> {
        {
            // Owner-only before SQLite writes a page (its journal takes the file's mode).
            drop(create_private(&tmp).map_err(io(&tmp))?);
            let mut dst = Connection::open(&tmp)?;
            harden(&dst)?;
            copy_pages(conn, &mut dst)?;
            // The copied header says WAL when the source is in WAL mode: make the backup one
            // self-contained file.
            dst.pragma_update(None, "journal_mode", "DELETE")?;
            if !with_key {
                // Journal in memory: the page with the key is never written to a journal file.
                dst.pragma_update(None, "journal_mode", "MEMORY")?;
                dst.pragma_update(None, "secure_delete", true)?;
                dst.execute("DELETE FROM settings WHERE key = ?1", [SIGNING_KEY_SETTING])?;
            }
        }
        sync_file(&tmp)?;
        std::fs::rename(&tmp, out).map_err(io(out))?;
        sync_dir(out);
        if let Some(stream) = &stream {
            let copied = crate::outfile::copy_into(out, stream).map_err(io(stream));
            let _ = std::fs::remove_file(out);
            copied?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
        for ext in ["-journal", "-wal", "-shm"] {
            let _ = std::fs::remove_file(sibling(&tmp, ext));
        }
    }
    result
}

/// Flushes a file to the disk. Opened for writing: Windows refuses to flush a read-only handle
/// ("Access denied"), which made every backup fail there.
fn sync_file(path: &Path) -> Result<()> {
    std::fs::OpenOptions::new().write(true).open(path).and_then(|f| f.sync_all()).map_err(io(path))
}

/// Every page of `src` into `dst`, in one step (one read snapshot, one write transaction).
fn copy_pages(src: &Connection, dst: &mut Connection) -> Result<()> {
    let b = Backup::new(src, dst)?;
    let mut waits = 0;
    loop {
        match b.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            StepResult::Busy | StepResult::Locked => {
                waits += 1;
                if waits > 100 {
                    return Err(StoreError::Busy);
                }
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            _ => {}
        }
    }
}

pub(super) fn backups_dir(file: &Path) -> PathBuf {
    file.parent().unwrap_or(Path::new(".")).join("backups")
}

fn stem(file: &Path) -> String {
    file.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "cdf-assess".into())
}

/// The automatic backups of the database `file`, oldest first: (timestamp, path, reason).
fn automatic_backups(file: &Path) -> Vec<(String, PathBuf, &'static str)> {
    let prefix = format!("{}-", stem(file));
    // Within one second, `x-finalise`, `x-finalise-2`, `x-finalise-3`… in that order.
    let counter = |p: &PathBuf| -> u32 {
        let name = p.file_stem().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        name.rsplit_once('-').and_then(|(_, n)| n.parse().ok()).unwrap_or(1)
    };
    let mut v: Vec<(String, PathBuf, &'static str)> = std::fs::read_dir(backups_dir(file))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().to_string();
                    let rest = name.strip_prefix(&prefix)?.strip_suffix(".sqlite3")?;
                    let (ts, reason) = (rest.get(..16)?, rest.get(16..)?.strip_prefix('-')?);
                    let ts_ok = chrono::NaiveDateTime::parse_from_str(ts, "%Y%m%dT%H%M%SZ").is_ok();
                    let reason = reason.trim_end_matches(|c: char| c.is_ascii_digit() || c == '-');
                    let reason = AUTO_REASONS.iter().find(|r| **r == reason).filter(|_| ts_ok)?;
                    Some((ts.to_string(), e.path(), *reason))
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort_by_cached_key(|(ts, p, _)| (ts.clone(), counter(p)));
    v
}

/// Whether the daily backup of the database `file` is due: the newest is more than 24 hours old
/// (or there is none, or it is dated in the future).
pub(super) fn daily_backup_due(file: &Path) -> bool {
    let newest = automatic_backups(file)
        .into_iter()
        .filter(|(_, _, reason)| *reason == "daily")
        .filter_map(|(ts, _, _)| chrono::NaiveDateTime::parse_from_str(&ts, "%Y%m%dT%H%M%SZ").ok())
        .max();
    let now = chrono::Utc::now().naive_utc();
    match newest {
        None => true,
        Some(t) => now - t >= chrono::Duration::hours(24) || t > now + chrono::Duration::hours(1),
    }
}

/// A new automatic backup of `conn` (the database `file`) for `reason`, then the rotation.
pub(super) fn auto_backup_conn(conn: &Connection, file: &Path, reason: &str) -> Result<PathBuf> {
    let out = auto_name(file, reason);
    // The automatic backups are whole: restoring one brings the member's key back.
    backup_conn(conn, &out, true)?;
    rotate(file);
    Ok(out)
}

fn auto_name(file: &Path, reason: &str) -> PathBuf {
    let ts = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let dir = backups_dir(file);
    let base = format!("{}-{ts}-{reason}", stem(file));
    // Within one second, after the highest counter used (a rotated name is never reused: it
    // would sort as the oldest).
    let used = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| {
                    let name = e.file_name().to_string_lossy().to_string();
                    let rest = name.strip_prefix(&base)?.strip_suffix(".sqlite3")?;
                    if rest.is_empty() { Some(1) } else { rest.strip_prefix('-')?.parse::<u32>().ok() }
                })
                .max()
        })
        .ok()
        .flatten();
    match used {
        None => dir.join(format!("{base}.sqlite3")),
        Some(n) => dir.join(format!("{base}-{}.sqlite3", n + 1)),
    }
}

/// Keeps the newest [`MAX_AUTO_BACKUPS`] automatic backups.
fn rotate(file: &Path) {
    let all = automatic_backups(file);
    let excess = all.len().saturating_sub(MAX_AUTO_BACKUPS);
    for (_, p, _) in all.into_iter().take(excess) {
        let _ = std::fs::remove_file(p);
    }
}

impl Store {
    /// A consistent backup of the open database into `out` (any name), made while it is in use.
    /// Written beside `out` under a temporary name (readable by its owner only), synced, then
    /// renamed: `out` is either the old file or the complete backup. The member's secret signing
    /// key is left out unless `with_key`: whoever holds a copy with the key can sign as the member.
    pub fn backup_to(&self, out: &Path, with_key: bool) -> Result<()> {
        backup_conn(&self.conn, out, with_key)
    }

    /// Makes an automatic backup now (in the `backups` folder, rotated), returning its path.
    /// Unlike the automatic ones this returns its error; it is also remembered (or cleared) as
    /// [`Store::last_backup_problem`]. Nothing for an in-memory database.
    pub fn backup_now(&mut self, reason: &str) -> Result<Option<PathBuf>> {
        let Some(file) = self.file.clone() else { return Ok(None) };
        let p = auto_backup_conn(&self.conn, &file, reason)?;
        self.backup_problem = None;
        Ok(Some(p))
    }

    /// An automatic backup that must never stop the user's work: a failure is logged and kept
    /// for [`Store::last_backup_problem`].
    pub(super) fn auto_backup(&mut self, reason: &str) {
        if let Err(e) = self.backup_now(reason) {
            eprintln!("cdf-assess: automatic backup ({reason}) failed: {e}");
            self.backup_problem = Some(e);
        }
    }

    /// The daily backup, if the newest one is more than 24 hours old (or there is none).
    pub(super) fn daily_backup_if_due(&mut self) {
        if self.file.as_deref().is_some_and(daily_backup_due) {
            self.auto_backup("daily");
        }
    }

    /// The last automatic backup that failed, if the latest attempt failed: the app shows it.
    pub fn last_backup_problem(&self) -> Option<&StoreError> {
        self.backup_problem.as_ref()
    }

    /// The automatic backups of this database, newest first.
    pub fn backups(&self) -> Vec<PathBuf> {
        let Some(file) = &self.file else { return Vec::new() };
        automatic_backups(file).into_iter().rev().map(|(_, p, _)| p).collect()
    }

    /// The automatic backups of the database at `db`, newest first, without opening it (for a
    /// database that cannot be opened: the window offers to restore one).
    pub fn backups_of(db: &Path) -> Vec<AutoBackup> {
        automatic_backups(db)
            .into_iter()
            .rev()
            .map(|(ts, path, reason)| {
                let at = chrono::NaiveDateTime::parse_from_str(&ts, "%Y%m%dT%H%M%SZ")
                    .map(|t| t.and_utc().to_rfc3339())
                    .unwrap_or(ts);
                AutoBackup { path, at, reason: reason.to_string() }
            })
            .collect()
    }

    /// The folder automatic backups go to (None in memory).
    pub fn backups_folder(&self) -> Option<PathBuf> {
        self.file.as_deref().map(backups_dir)
    }

    /// Integrity, foreign keys and schema version of the open database.
    pub fn check(&self) -> Result<CheckReport> {
        let integrity = {
            let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
            stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?
        };
        let foreign_keys = {
            let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
            stmt.query_map([], |r| {
                let table: String = r.get(0)?;
                let rowid: Option<i64> = r.get(1)?;
                let parent: String = r.get(2)?;
                Ok(format!("{table} row {} -> {parent}", rowid.map(|x| x.to_string()).unwrap_or_default()))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?
        };
        Ok(CheckReport {
            integrity,
            foreign_keys,
            schema_version: self.schema_version()?,
            known_version: SCHEMA_VERSION,
        })
    }

    /// What a backup (or any database file) holds, read-only: it is never changed nor migrated.
    /// Refuses a damaged file, one with no data, or one from a newer version.
    pub fn inspect_backup(path: &Path) -> Result<BackupInfo> {
        let meta = std::fs::metadata(path).map_err(io(path))?;
        if !meta.is_file() {
            return Err(StoreError::NotADatabase(path.into()));
        }
        if meta.len() == 0 {
            return Err(StoreError::NotInitialised(path.into()));
        }
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        let not_db =
            |e: rusqlite::Error| if is_not_a_db(&e) { StoreError::NotADatabase(path.into()) } else { e.into() };
        harden(&conn)?;
        let schema_version = classify(&conn, path)?;
        let integrity: String = conn.query_row("PRAGMA integrity_check(1)", [], |r| r.get(0)).map_err(not_db)?;
        if integrity != "ok" {
            return Err(StoreError::NotADatabase(path.into()));
        }
        // Nothing of the file's schema is trusted (it would be restored with the data).
        verify_schema(&conn, path, schema_version)?;
        let members = {
            let mut stmt = conn.prepare("SELECT DISTINCT member FROM assessment ORDER BY member")?;
            stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?
        };
        let cycles = {
            let mut stmt = conn.prepare("SELECT DISTINCT cycle FROM assessment ORDER BY cycle DESC")?;
            stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i32>>>()?
        };
        let (assessments, newest_update, newest_finalised) =
            conn.query_row("SELECT count(*), max(updated_at), max(finalised_at) FROM assessment", [], |r| {
                Ok((r.get::<_, i64>(0)? as usize, r.get(1)?, r.get(2)?))
            })?;
        Ok(BackupInfo {
            path: path.into(),
            bytes: meta.len(),
            schema_version,
            members,
            assessments,
            cycles,
            newest_update,
            newest_finalised,
        })
    }

    /// Replaces the database at `db` (which must not be open: the lock refuses it otherwise)
    /// with the backup at `backup`:
    ///
    /// 1. the backup is inspected ([`Store::inspect_backup`]: readable, whole, and its schema
    ///    exactly its version's); nothing happens if it is refused. A private copy of it is then
    ///    made beside the database and checked again (schema, `quick_check`): that copy is what is
    ///    restored, so a backup changed after its inspection is not;
    /// 2. the database as it is is backed up (reason `before-restore`; if SQLite cannot read it,
    ///    its raw bytes are kept under that name instead);
    /// 3. the backup's pages are written into the database with SQLite's backup API, in one write
    ///    transaction: a crash leaves the old database or the restored one, never a mix. If the
    ///    current file is not a database SQLite can write into, a consistent copy of the backup is
    ///    built beside it and renamed over it (its stale `-wal`/`-shm` removed first).
    ///
    /// A restored database from an older version is migrated the next time it is opened.
    pub fn restore_from(backup: &Path, db: &Path) -> Result<Restored> {
        let info = Self::inspect_backup(backup)?;
        let (file, name_lock) = lock(db, Holder::Command)?;
        if std::fs::canonicalize(backup).ok() == std::fs::canonicalize(&file).ok() {
            return Err(StoreError::Refused("store.backup_is_database", Vec::new()));
        }
        let exists = file.exists();
        let file_lock = if exists { lock_file_itself(&file, db)? } else { None };
        // What is restored is a private copy of the backup, checked again: the backup itself could
        // change after its inspection (a removable disk, a folder others write to).
        let staged = RemoveOnDrop(sibling(&file, &format!(".restoring-{}", std::process::id())));
        {
            let _ = std::fs::remove_file(&staged.0);
            let raw = Connection::open_with_flags(
                backup,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            harden(&raw)?;
            backup_conn(&raw, &staged.0, true)?;
        }
        let src =
            Connection::open_with_flags(&staged.0, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        harden(&src)?;
        verify_schema(&src, backup, classify(&src, backup)?)?;
        let check: String = src.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(StoreError::NotADatabase(backup.into()));
        }
        let before = if exists { Some(keep_before_restore(&file)?) } else { None };
        let in_place = exists
            && (|| -> Result<()> {
                let mut dst = Connection::open_with_flags(
                    &file,
                    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                dst.busy_timeout(std::time::Duration::from_millis(2000))?;
                harden(&dst)?;
                classify(&dst, db).or_else(|e| match e {
                    StoreError::NotInitialised(_) => Ok(0),
                    e => Err(e),
                })?;
                copy_pages(&src, &mut dst)?;
                let check: String = dst.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
                if check != "ok" {
                    return Err(StoreError::NotADatabase(db.into()));
                }
                Ok(())
            })()
            .is_ok();
        if !in_place {
            for ext in ["-wal", "-shm", "-journal"] {
                let p = sibling(&file, ext);
                match std::fs::remove_file(&p) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(source) => return Err(StoreError::Io { path: p, source }),
                }
            }
            backup_conn(&src, &file, true)?;
        }
        drop(src);
        drop(staged);
        drop(file_lock);
        drop(name_lock);
        Ok(Restored { info, before })
    }
}

/// A temporary file (and its journal) removed when dropped.
struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        let _ = std::fs::remove_file(sibling(&self.0, "-journal"));
    }
}

/// The `before-restore` backup of the database at `file`: through SQLite when it can read it,
/// else the raw bytes (and its `-wal`), so nothing is lost either way.
fn keep_before_restore(file: &Path) -> Result<PathBuf> {
    let through_sqlite = (|| -> Result<PathBuf> {
        let conn =
            Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        harden(&conn)?;
        classify(&conn, file)?;
        auto_backup_conn(&conn, file, "before-restore")
    })();
    if let Ok(p) = through_sqlite {
        return Ok(p);
    }
    let out = auto_name(file, "before-restore");
    std::fs::create_dir_all(backups_dir(file)).map_err(io(&backups_dir(file)))?;
    copy_private(file, &out)?;
    let wal = sibling(file, "-wal");
    if wal.exists() {
        copy_private(&wal, &sibling(&out, "-wal"))?;
    }
    sync_file(&out)?;
    rotate(file);
    Ok(out)
}

/// Copies the bytes of `from` into a new file `to`, readable by its owner only from the start.
fn copy_private(from: &Path, to: &Path) -> Result<()> {
    let mut src = std::fs::File::open(from).map_err(io(from))?;
    let mut dst = create_private(to).map_err(io(to))?;
    std::io::copy(&mut src, &mut dst).map_err(io(to))?;
    Ok(())
}
