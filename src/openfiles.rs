//! The databases this process has open, by file identity. While SQLite holds a database, this
//! process must not open and close the file through another handle: on Unix, closing any handle
//! on a file drops every POSIX lock the process holds on it, SQLite's included
//! (sqlite.org/howtocorrupt.html, 2.2), and another program opening the database could then
//! delete the `-wal` the window still writes into. Readers of files a user points at (an import,
//! a drop, a double-click) ask [`is_open_database`] first. At the bottom of the layers: the store
//! records, the readers ask, neither knows the other.

use std::path::Path;
use std::sync::Mutex;

/// A file's identity: device and inode (Unix; nothing elsewhere, where it is not needed).
pub type FileId = (u64, u64);

static HELD: Mutex<Vec<FileId>> = Mutex::new(Vec::new());

fn file_id(path: &Path) -> Option<FileId> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Records that the database at `file` is open in this process, until [`release`].
pub fn hold(file: &Path) -> Option<FileId> {
    let id = file_id(file)?;
    HELD.lock().unwrap_or_else(|e| e.into_inner()).push(id);
    Some(id)
}

/// The database is closed.
pub fn release(id: FileId) {
    let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(i) = held.iter().position(|h| *h == id) {
        held.swap_remove(i);
    }
}

/// True when `path` (by any name: a link, another path) is a database this process has open:
/// it must not be opened as a file to import or read.
pub fn is_open_database(path: &Path) -> bool {
    file_id(path).is_some_and(|id| HELD.lock().unwrap_or_else(|e| e.into_inner()).contains(&id))
}
