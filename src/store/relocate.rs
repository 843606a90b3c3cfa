//! Moving the database out of Windows' *roaming* profile.
//!
//! Up to version 0.1 the default database lived in the roaming data folder (`%APPDATA%`), which
//! roaming profiles and folder redirection put on a network share: no place for SQLite's WAL nor
//! for a private key. The default is now the local one (`%LOCALAPPDATA%`); a database found at the
//! old place is moved once, the safe way:
//!
//! 1. both names are locked (a window of the old version still open refuses the move);
//! 2. a consistent copy is made with SQLite's backup API (whatever is in the `-wal`) beside the
//!    new place, and checked: sound (`integrity_check`), and holding the same schema version,
//!    assessments, members, cycles and latest changes as the original;
//! 3. the companion files (the signing key, the Secretariat's identity) are copied and compared
//!    byte for byte;
//! 4. only then is the old file renamed (`….moved-to-local`, never deleted) and the copy put in
//!    its new place; if the old file cannot be renamed, the copies are removed and nothing
//!    changed. The old companions are renamed the same way, and the automatic backups copied.
//!
//! On Linux and macOS both places are the same folder and nothing moves. The function takes
//! both paths, so the tests run it on temporary folders.

use super::backup::{backup_conn, backups_dir};
use super::disk::{Holder, classify, io, lock, sibling, sync_dir};
use super::keys::key_files;
use super::{Result, Store, StoreError};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// What the old files are renamed to (the suffix added to their names).
pub const MOVED_SUFFIX: &str = ".moved-to-local";

/// What [`move_database`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    /// The database's new place.
    pub to: PathBuf,
    /// The old file, renamed and kept.
    pub kept: PathBuf,
    /// Companion files moved (their new paths).
    pub companions: Vec<PathBuf>,
    /// Automatic backups copied into the new `backups` folder.
    pub backups: usize,
}

/// Moves the database at `old` to `new` with its `companions` (file names beside it), as the
/// module says. Nothing happens (`Ok(None)`) when there is no database at `old`, or when `new`
/// already exists (moved before, or started anew there). On an error nothing has changed at
/// `old`: the caller goes on using it.
pub fn move_database(old: &Path, new: &Path, companions: &[&str]) -> Result<Option<Moved>> {
    if !old.is_file() || new.exists() || sibling(new, "-wal").exists() {
        return Ok(None);
    }
    let (old_file, _old_lock) = lock(old, Holder::Command)?;
    let (new_file, _new_lock) = lock(new, Holder::Command)?;
    if new_file.exists() {
        return Ok(None);
    }
    let moving = sibling(&new_file, ".moving");
    let mut made: Vec<PathBuf> = vec![moving.clone()];
    let result = (|| -> Result<Moved> {
        // 2. The copy, through SQLite, then checked against the original.
        {
            let conn = Connection::open_with_flags(
                &old_file,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.busy_timeout(std::time::Duration::from_millis(2000))?;
            super::schema::harden(&conn)?;
            classify(&conn, old)?;
            backup_conn(&conn, &moving, true)?;
            let (was, copy) = (Store::inspect_backup(&old_file)?, Store::inspect_backup(&moving)?);
            let same = |i: &super::BackupInfo| {
                (i.schema_version, i.members.clone(), i.assessments, i.cycles.clone(), i.newest_update.clone())
            };
            if same(&was) != same(&copy) || was.newest_finalised != copy.newest_finalised {
                return Err(StoreError::Invalid(format!(
                    "the copy of {} in {} does not hold the same data",
                    old.display(),
                    moving.display()
                )));
            }
            // Closing the last connection writes the `-wal` back into the file and removes it.
        }
        // 3. The companions, copied and compared.
        let mut pairs = Vec::new();
        // The database's own key files (named after it) go with it, renamed after the new name.
        let ((old_sk, old_pk), (new_sk, new_pk)) = (key_files(&old_file), key_files(&new_file));
        let own = [(old_sk, new_sk), (old_pk, new_pk)];
        let named = companions.iter().map(|name| (old_file.with_file_name(name), new_file.with_file_name(name)));
        for (from, to) in named.chain(own) {
            if !from.is_file() || to.exists() {
                continue;
            }
            let tmp = sibling(&to, ".moving");
            made.push(tmp.clone());
            std::fs::copy(&from, &tmp).map_err(io(&tmp))?;
            let (a, b) = (std::fs::read(&from).map_err(io(&from))?, std::fs::read(&tmp).map_err(io(&tmp))?);
            if a != b {
                return Err(StoreError::Invalid(format!("the copy of {} differs", from.display())));
            }
            pairs.push((from, tmp, to));
        }
        // 4. The point of no return: the old database renamed (refused while anything holds it).
        let kept = free_name(&old_file);
        std::fs::rename(&old_file, &kept).map_err(io(&old_file))?;
        for ext in ["-wal", "-shm"] {
            let p = sibling(&old_file, ext);
            if p.exists() {
                let _ = std::fs::rename(&p, sibling(&kept, ext));
            }
        }
        if let Err(e) = std::fs::rename(&moving, &new_file) {
            // Put the old one back: the next start tries again.
            let _ = std::fs::rename(&kept, &old_file);
            return Err(StoreError::Io { path: new_file.clone(), source: e });
        }
        sync_dir(&new_file);
        let mut moved = Vec::new();
        for (from, tmp, to) in pairs {
            if std::fs::rename(&tmp, &to).is_ok() {
                let _ = std::fs::rename(&from, free_name(&from));
                moved.push(to);
            }
        }
        // The automatic backups, copied (the old folder is left as it is). Best effort: they are
        // copies already.
        let (from_dir, to_dir) = (backups_dir(&old_file), backups_dir(&new_file));
        let mut backups = 0;
        if let Ok(entries) = std::fs::read_dir(&from_dir) {
            let _ = std::fs::create_dir_all(&to_dir);
            for e in entries.flatten() {
                let to = to_dir.join(e.file_name());
                if e.path().is_file() && !to.exists() && std::fs::copy(e.path(), &to).is_ok() {
                    backups += 1;
                }
            }
        }
        Ok(Moved { to: new_file.clone(), kept, companions: moved, backups })
    })();
    if result.is_err() {
        for p in made {
            let _ = std::fs::remove_file(&p);
            for ext in ["-journal", "-wal", "-shm"] {
                let _ = std::fs::remove_file(sibling(&p, ext));
            }
        }
    }
    result.map(Some)
}

/// `file` with [`MOVED_SUFFIX`] (then `-2`, `-3`… if taken: an earlier copy is never replaced).
fn free_name(file: &Path) -> PathBuf {
    std::iter::once(sibling(file, MOVED_SUFFIX))
        .chain((2u32..).map(|n| sibling(file, &format!("{MOVED_SUFFIX}-{n}"))))
        .find(|p| !p.exists())
        .unwrap_or_else(|| sibling(file, MOVED_SUFFIX))
}
