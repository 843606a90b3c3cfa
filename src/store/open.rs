//! Opening a database: the lock, the checks before anything is written, the migrations.

use super::{Result, SCHEMA_VERSION, Store, StoreError, migrations};
use rusqlite::{Connection, OpenFlags};
use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

fn is_not_a_db(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if matches!(f.code, rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt))
}

impl Store {
    /// Opens (or creates) the database at `path`, refusing a second instance, a damaged or
    /// foreign file, or one from a newer version. Never overwrites anything it cannot read.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io { path: dir.into(), source })?;
        }
        let lock_path = lock_path(path);
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|source| StoreError::Io { path: lock_path.clone(), source })?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(StoreError::Locked(path.into())),
            Err(TryLockError::Error(source)) => return Err(StoreError::Io { path: lock_path, source }),
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        Self::init(conn, path.into(), Some(lock))
    }

    /// A private in-memory database (tests, previews).
    pub fn open_in_memory() -> Result<Store> {
        Self::init(Connection::open_in_memory()?, PathBuf::from(":memory:"), None)
    }

    fn init(mut conn: Connection, path: PathBuf, lock: Option<File>) -> Result<Store> {
        // Read before writing anything: a file that isn't a database must stay untouched.
        let version: i64 = match conn.query_row("PRAGMA user_version", [], |r| r.get(0)) {
            Ok(v) => v,
            Err(e) if is_not_a_db(&e) => return Err(StoreError::NotADatabase(path)),
            Err(e) => return Err(e.into()),
        };
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(|e| if is_not_a_db(&e) { StoreError::NotADatabase(path.clone()) } else { e.into() })?;
        if version == 0 && tables > 0 {
            // Someone else's SQLite file: refuse rather than add our tables to it.
            return Err(StoreError::NotADatabase(path));
        }
        if version > SCHEMA_VERSION {
            return Err(StoreError::TooNew { path, found: version, known: SCHEMA_VERSION });
        }
        if version > 0 {
            let check: String = conn
                .query_row("PRAGMA quick_check", [], |r| r.get(0))
                .map_err(|e| if is_not_a_db(&e) { StoreError::NotADatabase(path.clone()) } else { e.into() })?;
            if check != "ok" {
                return Err(StoreError::NotADatabase(path));
            }
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: a committed answer survives a power cut, not just a crash.
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_millis(2000))?;
        migrations().to_latest(&mut conn).map_err(|e| match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => StoreError::Sqlite(err),
            other => StoreError::Invalid(other.to_string()),
        })?;
        Ok(Store { conn, path, _lock: lock })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    db.with_file_name(name)
}
