//! Opening a database: the locks, the checks before anything is written, the migrations.
//!
//! Only a path that does not exist becomes a new database. An existing file that holds no
//! cdf-assess data (0 bytes, or a SQLite file without tables: typically a copy of the main file
//! taken without its `-wal` while the app was open) is refused with
//! [`StoreError::NotInitialised`] and left as it is; [`Store::create_new`] starts over on purpose.
//!
//! One window per database, however it is reached: the lock file is named from the real path
//! (symlinks resolved), and on Unix the database file itself is also `flock`ed, which every hard
//! link to it shares. (On Windows `File::try_lock` locks the whole file, which would stop SQLite
//! reading it through its own handle, so there only the resolved name is locked.)

use super::disk::{
    Holder, Lock, canonical, classify, create_private, io, is_not_a_db, lock, lock_file_itself, make_private, sibling,
};
use super::schema::{harden, verify as verify_schema};
use super::{Result, SCHEMA_VERSION, Store, StoreError, migrations};
use rusqlite::{Connection, OpenFlags};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
fn is_cannot_open(e: &StoreError) -> bool {
    matches!(e, StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _)) if f.code == rusqlite::ErrorCode::CannotOpen)
}

impl Store {
    /// Opens the database at `path` for the window: a path that does not exist becomes a new
    /// database; anything else must already be one. Refuses a second instance (by any name), a
    /// damaged or foreign file, a file with no data ([`StoreError::NotInitialised`]) or one from a
    /// newer version, and never overwrites what it cannot read. Makes the automatic backups
    /// (before a migration, once a day); one that fails does not stop the opening
    /// ([`Store::last_backup_problem`]).
    pub fn open(path: &Path) -> Result<Store> {
        Self::open_as(path, Holder::Window)
    }

    /// [`Store::open`], saying who holds the database (the command line passes `Command`).
    pub fn open_as(path: &Path, holder: Holder) -> Result<Store> {
        Self::open_inner(path, holder, false)
    }

    /// Starts a new, empty database at `path` on purpose: the path may be absent, an empty file,
    /// or a SQLite file with no tables ([`StoreError::NotInitialised`]). Refuses a file that
    /// holds a cdf-assess database ([`StoreError::AlreadyExists`]) or anything else.
    pub fn create_new(path: &Path) -> Result<Store> {
        Self::create_new_as(path, Holder::Window)
    }

    /// [`Store::create_new`], saying who holds the database.
    pub fn create_new_as(path: &Path, holder: Holder) -> Result<Store> {
        Self::open_inner(path, holder, true)
    }

    fn open_inner(path: &Path, holder: Holder, create: bool) -> Result<Store> {
        let (file, lock) = lock(path, holder)?;
        let fresh = match std::fs::metadata(&file) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
            Err(source) => return Err(StoreError::Io { path: file, source }),
            Ok(m) if !m.is_file() => return Err(StoreError::NotADatabase(path.into())),
            Ok(m) if create => {
                if m.len() > 0 {
                    let conn = Connection::open_with_flags(&file, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
                    harden(&conn)?;
                    match classify(&conn, path) {
                        Err(StoreError::NotInitialised(_)) => {}
                        Err(e) => return Err(e),
                        Ok(_) => return Err(StoreError::AlreadyExists(path.into())),
                    }
                }
                true
            }
            Ok(m) if m.len() == 0 => return Err(StoreError::NotInitialised(path.into())),
            Ok(_) => false,
        };
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if fresh {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        // Before SQLite touches it: a `-wal` left with data in it means the last session did not
        // close (a crash, a power cut, a kill). A clean close checkpoints and removes it.
        let unclean = std::fs::metadata(sibling(&file, "-wal")).is_ok_and(|m| m.len() > 0);
        // Readable by its owner only, before any data goes in; SQLite gives its `-wal` and `-shm`
        // the database's mode. An older database (0644) is made private as it is opened.
        if fresh && !file.exists() {
            create_private(&file).map_err(io(&file))?;
        }
        for f in [file.clone(), sibling(&file, "-wal"), sibling(&file, "-shm")] {
            make_private(&f);
        }
        // Read before SQLite opens the file: see `read_header`.
        let header = read_header(&file);
        let conn = Connection::open_with_flags(&file, flags)?;
        let file_lock = lock_file_itself(&file, path)?;
        let lock = Some(Lock { _name: lock, _file: file_lock, held: crate::openfiles::hold(&file) });
        Self::init(conn, path.into(), Some((file, header)), lock, fresh, unclean)
    }

    /// Opens the database at `path` to read it only, without its lock: for a backup made while
    /// the window has it open (SQLite's own locks give a consistent snapshot), and for `info` and
    /// `check` in a read-only folder, where no lock file can be made. Nothing is written: no
    /// migration, no automatic backup; a write is refused by SQLite. The schema is checked as
    /// at every opening. A database in WAL mode whose `-wal` cannot be made (a read-only folder,
    /// so no writer either) is read as immutable.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        let file = if cfg!(unix) { canonical(path)? } else { path.to_path_buf() };
        let meta = std::fs::metadata(&file).map_err(io(path))?;
        if !meta.is_file() {
            return Err(StoreError::NotADatabase(path.into()));
        }
        if meta.len() == 0 {
            return Err(StoreError::NotInitialised(path.into()));
        }
        let attempt = |immutable: bool| -> Result<(Connection, i64)> {
            let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
            let conn = if immutable {
                let name = file.to_string_lossy().replace('%', "%25").replace('?', "%3f").replace('#', "%23");
                Connection::open_with_flags(format!("file:{name}?immutable=1"), flags)?
            } else {
                Connection::open_with_flags(&file, flags - OpenFlags::SQLITE_OPEN_URI)?
            };
            harden(&conn)?;
            let version = classify(&conn, path)?;
            Ok((conn, version))
        };
        let (conn, version) = match attempt(false) {
            Err(StoreError::Sqlite(_)) if !sibling(&file, "-wal").exists() => attempt(true)?,
            other => other?,
        };
        verify_schema(&conn, path, version)?;
        conn.busy_timeout(std::time::Duration::from_millis(2000))?;
        Ok(Store {
            conn,
            path: path.into(),
            file: Some(file),
            backup_problem: None,
            checked_at_open: false,
            batch: None,
            _lock: None,
        })
    }

    /// Opens the database for a command that only reads it (`info`, `check`): as
    /// [`Store::open_as`] when it can; in a read-only folder, where no lock file can be made (nor
    /// anything else written), [`Store::open_read_only`]. A database the window holds is still
    /// refused ([`StoreError::Locked`]): what it shows may be about to change.
    pub fn open_for_reading(path: &Path) -> Result<Store> {
        match Self::open_as(path, Holder::Command) {
            Err(e) if e.is_disk_problem() || is_cannot_open(&e) => Self::open_read_only(path).map_err(|_| e),
            other => other,
        }
    }

    /// A private in-memory database (tests, previews).
    pub fn open_in_memory() -> Result<Store> {
        Self::init(Connection::open_in_memory()?, PathBuf::from(":memory:"), None, None, true, false)
    }

    /// `fresh`: a new database is wanted (the file was absent, or `create_new`). `unclean`: the
    /// last session did not close cleanly (its `-wal` was left with data).
    ///
    /// The whole file is read (`PRAGMA quick_check`, 1.5–2 s on a 250 MB database) only when it is
    /// needed: after an unclean shutdown, before a migration (and its backup) and before the daily
    /// backup (a damaged copy must not push a good one out of the rotation). Otherwise a cheap
    /// check reads the header and the first page of every table and index: a file that is not a
    /// database, is truncated, or has damaged root pages is still refused before anything is
    /// written. [`Store::check`] reads everything, on demand.
    fn init(
        mut conn: Connection,
        path: PathBuf,
        opened: Option<(PathBuf, Option<[u8; 100]>)>,
        lock: Option<Lock>,
        fresh: bool,
        unclean: bool,
    ) -> Result<Store> {
        let (file, header) = opened.map_or((None, None), |(f, h)| (Some(f), h));
        harden(&conn)?;
        // Read before writing anything: a file that isn't ours must stay untouched.
        let version = match classify(&conn, &path) {
            Err(StoreError::NotInitialised(_)) if fresh => 0,
            other => other?,
        };
        // Nothing of the file's schema is trusted: it must be exactly its version's.
        if version > 0 {
            verify_schema(&conn, &path, version)?;
        }
        let mut checked = false;
        if version > 0 {
            let full = unclean
                || version < SCHEMA_VERSION
                || file.as_deref().is_some_and(super::backup::daily_backup_due)
                || !light_check(&conn, file.as_deref(), header);
            if full {
                let check: String = conn
                    .query_row("PRAGMA quick_check", [], |r| r.get(0))
                    .map_err(|e| if is_not_a_db(&e) { StoreError::NotADatabase(path.clone()) } else { e.into() })?;
                if check != "ok" {
                    return Err(StoreError::NotADatabase(path));
                }
                checked = true;
            }
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a committed answer survives a power cut, not just a crash.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_millis(2000))?;
        // The statements run per file and per assessment are cached (`prepare_cached`).
        conn.set_prepared_statement_cache_capacity(64);
        let mut backup_problem = None;
        if let Some(f) = &file
            && version > 0
            && version < SCHEMA_VERSION
        {
            // An older schema is about to change: keep it as it was first.
            if let Err(e) = super::backup::auto_backup_conn(&conn, f, "before-migration") {
                eprintln!("cdf-assess: automatic backup before migration failed: {e}");
                backup_problem = Some(e);
            }
        }
        migrations().to_latest(&mut conn).map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::Sqlite(err),
            other => StoreError::Invalid(other.to_string()),
        })?;
        let mut store = Store { conn, path, file, backup_problem, checked_at_open: checked, batch: None, _lock: lock };
        store.daily_backup_if_due();
        // Best effort: a read-only database still opens, and an answer to a new indicator adds
        // its row anyway (`update_response`).
        if let Err(e) = store.complete_drafts() {
            eprintln!("cdf-assess: could not add new indicators to drafts: {e}");
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether opening read the whole file (`PRAGMA quick_check`): after an unclean shutdown,
    /// before a migration or a daily backup, or when the cheap check found something wrong.
    pub fn checked_at_open(&self) -> bool {
        self.checked_at_open
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

/// The database file's first 100 bytes, read before SQLite opens it. Once SQLite holds its
/// POSIX locks on the file, closing any other handle on it in this process silently drops them
/// (sqlite.org/howtocorrupt.html, 2.2): another program opening the database (a SQLite browser)
/// would then take the window for gone and delete the `-wal` the window still writes into,
/// losing every answer given after it.
fn read_header(file: &Path) -> Option<[u8; 100]> {
    let mut h = [0u8; 100];
    File::open(file).ok()?.read_exact(&mut h).ok()?;
    Some(h)
}

/// The cheap check made at every open: the header agrees with the file's length (when no `-wal`
/// holds pages), and the first page of every table and index reads. False: read everything.
fn light_check(conn: &Connection, file: Option<&Path>, header: Option<[u8; 100]>) -> bool {
    let Some(file) = file else { return true };
    let header_ok = (|| -> Option<bool> {
        let h = header?;
        let len = std::fs::metadata(file).ok()?.len();
        let page_size = match u16::from_be_bytes([h[16], h[17]]) {
            1 => 65536,
            n => u64::from(n),
        };
        let pages = u64::from(u32::from_be_bytes([h[28], h[29], h[30], h[31]]));
        // The page count in the header is valid when its "valid for" matches the change counter.
        let valid = h[24..28] == h[92..96];
        Some(
            h.starts_with(b"SQLite format 3\0")
                && page_size.is_power_of_two()
                && (512..=65536).contains(&page_size)
                && len % page_size == 0
                && (!valid || pages * page_size <= len),
        )
    })()
    .unwrap_or(false);
    if !header_ok {
        return false;
    }
    let objects: Vec<(String, String, String)> = match conn
        .prepare("SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index') AND rootpage > 0")
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect())
    {
        Ok(v) => v,
        Err(_) => return false,
    };
    let q = |s: &str| s.replace('"', "\"\"");
    objects.iter().all(|(kind, name, table)| {
        let sql = if kind == "table" {
            format!("SELECT 1 FROM \"{}\" LIMIT 1", q(name))
        } else {
            format!("SELECT 1 FROM \"{}\" INDEXED BY \"{}\" LIMIT 1", q(table), q(name))
        };
        // Only damage counts: an index SQLite will not use this way is simply not probed.
        !matches!(conn.prepare(&sql).and_then(|mut s| s.query([])?.next().map(|_| ())), Err(e) if is_not_a_db(&e))
    })
}
