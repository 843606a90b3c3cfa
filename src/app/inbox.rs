//! Files opened from outside while the window is open (issue 25, "double-click opens it"): a
//! second `cdf-assess FILE` over the same database cannot open it (one instance per database),
//! so it leaves the file's path in the database's inbox folder and ends; the window's watcher
//! takes it from there and offers it, saying what it is and asking before importing.
//!
//! The inbox is `<database>.inbox/` beside the database: one small file per path handed over
//! (`<nanoseconds>-<n>.open`, the path as UTF-8), written under a temporary name and renamed, so
//! the watcher never reads half a path. Anything else in the folder (another name, a link, a
//! fifo, a file over [`MAX_ENTRY`] bytes) is removed unread.

use std::path::{Path, PathBuf};

/// Longest entry read (a path).
pub const MAX_ENTRY: u64 = 4096;
/// Most paths taken at once.
pub const MAX_TAKEN: usize = 50;
/// How often the window's watcher looks.
pub const EVERY: std::time::Duration = std::time::Duration::from_millis(700);

/// The inbox folder of a database.
pub fn dir(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".inbox");
    db.with_file_name(name)
}

/// Hands paths to the window that has `db` open. Each is made absolute first (the window runs
/// in another folder).
pub fn hand_over(db: &Path, files: &[PathBuf]) -> std::io::Result<()> {
    let dir = dir(db);
    std::fs::create_dir_all(&dir)?;
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos();
    for (n, f) in files.iter().enumerate() {
        let abs = std::path::absolute(f)?;
        let Some(text) = abs.to_str() else {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path is not UTF-8"));
        };
        let tmp = dir.join(format!("{stamp}-{n}.tmp"));
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, dir.join(format!("{stamp}-{n}.open")))?;
    }
    Ok(())
}

/// Takes what was handed over, oldest first, emptying the inbox of it. Never fails: an inbox
/// that cannot be read is empty.
pub fn take(db: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir(db)) else { return Vec::new() };
    let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    names.sort();
    let mut out = Vec::new();
    for p in names {
        let is_entry = p.extension().is_some_and(|x| x == "open");
        if !is_entry && p.extension().is_some_and(|x| x == "tmp") {
            continue; // being written
        }
        let meta = std::fs::symlink_metadata(&p);
        let plain = meta.as_ref().is_ok_and(|m| m.file_type().is_file() && m.len() <= MAX_ENTRY);
        if is_entry && plain && out.len() < MAX_TAKEN {
            if let Ok(text) = std::fs::read_to_string(&p) {
                let path = PathBuf::from(text.trim_end_matches(['\n', '\r']));
                if path.is_absolute() {
                    out.push(path);
                }
            }
        } else if is_entry && plain {
            continue; // taken next time
        }
        let _ = if meta.is_ok_and(|m| m.is_dir()) { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_handed_over_are_taken_once_in_order_and_strangers_are_removed() {
        let d = tempfile::tempdir().unwrap();
        let db = d.path().join("cdf.sqlite3");
        assert!(take(&db).is_empty(), "no inbox yet");
        let a = d.path().join("FJ_2026_feedback_1.ocofeedback");
        let b = d.path().join("dossier avec espaces/oco-cdf_v1_r4.ocoframework");
        hand_over(&db, &[a.clone(), b.clone()]).unwrap();
        std::fs::write(dir(&db).join("note.txt"), "not ours").unwrap();
        std::fs::write(dir(&db).join("0-0.open"), "relative/path").unwrap();
        std::fs::write(dir(&db).join("1-0.open"), "x".repeat(MAX_ENTRY as usize + 1)).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("/etc/passwd", dir(&db).join("2-0.open")).unwrap();
        assert_eq!(take(&db), vec![a, b]);
        assert!(take(&db).is_empty(), "taken once");
        assert_eq!(std::fs::read_dir(dir(&db)).unwrap().count(), 0, "the strangers are gone");
    }
}
