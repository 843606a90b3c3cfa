//! Key-value settings.

use super::{Result, Store};
use rusqlite::{OptionalExtension, params};

impl Store {
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(read(&self.conn, key)?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }
}

/// A setting read from the database at `path` without opening it for work: read-only, no
/// migration, no lock held. For choices made before a command opens the database (the language
/// of `--help`). Anything that is not a readable database holding the setting (no file, a fifo,
/// another program's file, a damaged one) is `None`.
pub fn peek_setting(path: &std::path::Path, key: &str) -> Option<String> {
    use rusqlite::OpenFlags;
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let conn =
        rusqlite::Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .ok()?;
    // A file given by name is not trusted: nothing in it runs (as at every open), and only a
    // short value is taken.
    super::schema::harden(&conn).ok()?;
    conn.busy_timeout(std::time::Duration::from_millis(200)).ok()?;
    read(&conn, key).ok().flatten().filter(|v| v.len() <= 64)
}

fn read(conn: &rusqlite::Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0)).optional()
}
