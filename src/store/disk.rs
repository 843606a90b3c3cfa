//! The files around a database: who holds it (the lock file, and on Unix a lock on the file
//! itself), files created readable by their owner only, siblings and folder syncs, and what a
//! SQLite file holds. Shared by opening, backups, keys and the move out of the roaming profile;
//! it uses none of them.

use super::{Result, SCHEMA_VERSION, StoreError};
use rusqlite::Connection;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Who holds a database open: written into its lock file and named to a second opener.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    /// The application's window.
    Window,
    /// A command-line command (import, backup, restore, …).
    Command,
}

impl Holder {
    fn code(self) -> &'static str {
        match self {
            Holder::Window => "window",
            Holder::Command => "command",
        }
    }

    fn from_code(s: &str) -> Option<Holder> {
        match s {
            "window" => Some(Holder::Window),
            "command" => Some(Holder::Command),
            _ => None,
        }
    }
}

/// The locks held while a database is open (released when dropped, after the connection).
pub(crate) struct Lock {
    pub(super) _name: File,
    pub(super) _file: Option<File>,
    pub(super) held: Option<crate::openfiles::FileId>,
}

impl Drop for Lock {
    fn drop(&mut self) {
        if let Some(id) = self.held.take() {
            crate::openfiles::release(id);
        }
    }
}

pub(super) fn is_not_a_db(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if matches!(f.code, rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt))
}

pub(super) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io { path: path.into(), source }
}

/// What a SQLite file holds: its schema version if it is a cdf-assess database, otherwise why not.
pub(super) fn classify(conn: &Connection, path: &Path) -> Result<i64> {
    let not_db = |e: rusqlite::Error| if is_not_a_db(&e) { StoreError::NotADatabase(path.into()) } else { e.into() };
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).map_err(not_db)?;
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0)).map_err(not_db)?;
    match (version, tables) {
        (0, 0) => Err(StoreError::NotInitialised(path.into())),
        // Someone else's SQLite file: refuse rather than add our tables to it.
        (0, _) => Err(StoreError::NotADatabase(path.into())),
        (v, _) if v > SCHEMA_VERSION => Err(StoreError::TooNew { path: path.into(), found: v, known: SCHEMA_VERSION }),
        (v, _) => Ok(v),
    }
}

/// The real path of a database that may not exist yet: symlinks resolved.
pub(super) fn canonical(path: &Path) -> Result<PathBuf> {
    match std::fs::canonicalize(path) {
        Ok(p) => Ok(p),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
            let name = path.file_name().ok_or_else(|| StoreError::NotADatabase(path.into()))?;
            Ok(std::fs::canonicalize(dir).map_err(io(dir))?.join(name))
        }
        Err(source) => Err(StoreError::Io { path: path.into(), source }),
    }
}

/// `try_lock`, tried again for a quarter of a second: a lock held only for an instant is no
/// second instance. A process that forks (to start a program) holds a copy of every open file
/// until its child starts that program, and with it the lock of a database just closed.
fn try_lock_briefly(f: &File) -> std::result::Result<(), TryLockError> {
    let mut tries = 0;
    loop {
        match f.try_lock() {
            Err(TryLockError::WouldBlock) if tries < 10 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            other => return other,
        }
    }
}

/// Takes the name lock of the database at `path` (creating its folder if needed); returns the
/// path to give SQLite (the real one on Unix) and the held lock file.
pub(super) fn lock(path: &Path, holder: Holder) -> Result<(PathBuf, File)> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let real = canonical(path)?;
    let lock_path = lock_path(&real);
    let mut f = OpenOptions::new()
        .create(true)
        .truncate(false)
        .read(true)
        .write(true)
        .open(&lock_path)
        .map_err(io(&lock_path))?;
    match try_lock_briefly(&f) {
        Ok(()) => {
            // Who holds it, for the message a second opener gets. Best effort.
            let _ = f.set_len(0).and_then(|_| writeln!(f, "{} {}", holder.code(), std::process::id()));
        }
        Err(TryLockError::WouldBlock) => {
            let mut text = String::new();
            let _ = f.read_to_string(&mut text);
            let holder = text.split_whitespace().next().and_then(Holder::from_code);
            return Err(StoreError::Locked { path: path.into(), holder });
        }
        Err(TryLockError::Error(source)) => return Err(StoreError::Io { path: lock_path, source }),
    }
    let file = if cfg!(unix) { real } else { path.to_path_buf() };
    Ok((file, f))
}

/// Unix: an exclusive `flock` on the database file itself, which every name of it (hard links
/// included) shares. SQLite's own locks are POSIX record locks, independent of `flock` on Linux.
#[cfg(unix)]
pub(super) fn lock_file_itself(file: &Path, shown: &Path) -> Result<Option<File>> {
    let f = File::open(file).map_err(io(file))?;
    match try_lock_briefly(&f) {
        Ok(()) => Ok(Some(f)),
        Err(TryLockError::WouldBlock) => Err(StoreError::Locked { path: shown.into(), holder: None }),
        // A file system without flock: the name lock is what there is.
        Err(TryLockError::Error(_)) => Ok(None),
    }
}

/// Windows: a lock named after the file's identity (volume serial number and file index), which
/// every name of it (hard links included) shares. Locking the database file itself would stop
/// SQLite reading it, so the lock lives in the user's temporary folder.
#[cfg(windows)]
pub(super) fn lock_file_itself(file: &Path, shown: &Path) -> Result<Option<File>> {
    use std::os::windows::io::AsRawHandle;
    use windows_sys::Win32::Storage::FileSystem::{BY_HANDLE_FILE_INFORMATION, GetFileInformationByHandle};
    let f = File::open(file).map_err(io(file))?;
    // SAFETY: a zeroed plain-data struct, filled by the call from a handle this function owns.
    let info = unsafe {
        let mut info: BY_HANDLE_FILE_INFORMATION = std::mem::zeroed();
        if GetFileInformationByHandle(f.as_raw_handle() as _, &mut info) == 0 {
            return Ok(None);
        }
        info
    };
    let name = format!(
        "cdf-assess-{:08x}-{:08x}{:08x}.lock",
        info.dwVolumeSerialNumber, info.nFileIndexHigh, info.nFileIndexLow
    );
    let path = std::env::temp_dir().join(name);
    let lock = OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(io(&path))?;
    match try_lock_briefly(&lock) {
        Ok(()) => Ok(Some(lock)),
        Err(TryLockError::WouldBlock) => Err(StoreError::Locked { path: shown.into(), holder: None }),
        Err(TryLockError::Error(_)) => Ok(None),
    }
}

#[cfg(not(any(unix, windows)))]
pub(super) fn lock_file_itself(_file: &Path, _shown: &Path) -> Result<Option<File>> {
    Ok(None)
}

/// A new file readable by its owner only (0600 on Unix), made before anything is written into
/// it: a database, its backups and the raw copies of it hold the member's secret signing key.
/// Fails if `path` exists.
pub(super) fn create_private(path: &Path) -> std::io::Result<File> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

/// Makes an existing file readable by its owner only (Unix; best effort: a file of another
/// owner, or on a file system without modes, stays as it is).
pub(super) fn make_private(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(m) = std::fs::metadata(path)
            && m.is_file()
            && m.permissions().mode() & 0o077 != 0
        {
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(m.permissions().mode() & 0o700));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// `file` with `suffix` added to its name.
pub(super) fn sibling(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    file.with_file_name(name)
}

/// Makes a rename in `file`'s folder durable (Unix; elsewhere the rename is what there is).
pub(super) fn sync_dir(file: &Path) {
    #[cfg(unix)]
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = File::open(dir).and_then(|d| d.sync_all());
    }
    #[cfg(not(unix))]
    let _ = file;
}

pub(super) fn lock_path(db: &Path) -> PathBuf {
    sibling(db, ".lock")
}
