//! Small file and system helpers shared by the worker and the command line.

use crate::lang::Lang;
use std::path::{Path, PathBuf};

/// French if the system says so (used before any setting can be read).
pub fn system_lang() -> Lang {
    let env = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
    match env {
        Some(v) if v.to_lowercase().starts_with("fr") => Lang::Fr,
        _ => Lang::En,
    }
}

/// Writes to a temporary file beside `path`, then renames it: a full disk never leaves half a file
/// in place of a good one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile_in(dir)?;
    let result = (|| {
        tmp.1.write_all(bytes)?;
        tmp.1.sync_all()?;
        std::fs::rename(&tmp.0, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp.0);
    }
    result
}

fn tempfile_in(dir: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    for i in 0..100u32 {
        let p = dir.join(format!(".cdf-assess-{}-{i}.tmp", std::process::id()));
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&p) {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("cannot create a temporary file"))
}

/// The return files in a folder (not recursive), sorted.
pub fn returns_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case(crate::exchange::EXTENSION)))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Files as given, with each folder replaced by the return files in it.
pub fn expand(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            files.extend(returns_in(&p));
        } else {
            files.push(p);
        }
    }
    files
}

/// The folder offered for saving files first: Documents, else the working folder.
pub fn default_export_dir() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|u| u.document_dir().map(|d| d.to_path_buf()))
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default()
}

/// Percent-encoding for a mailto: query value (RFC 6068).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The subject and text of the e-mail that sends a return just written.
pub fn mail_parts(e: &super::model::LastExport, t: Lang) -> (String, String) {
    let member = crate::framework::member(&e.member).map(|m| m.name.get(t)).unwrap_or(&e.member);
    let subject = t.f("email.subject", &[("member", &member), ("cycle", &e.cycle), ("revision", &e.revision)]);
    let file = e.path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
    let body = t.f("email.body", &[("member", &member), ("cycle", &e.cycle), ("file", &file)]);
    (subject, body)
}

/// A mailto: link with subject and body filled in for a return just written.
pub fn mailto(e: &super::model::LastExport, to: &str, t: Lang) -> String {
    let (subject, body) = mail_parts(e, t);
    format!("mailto:{}?subject={}&body={}", to, percent_encode(&subject), percent_encode(&body))
}

/// A system dialog that answered "nothing chosen" this quickly, on a system where it may be
/// missing, was most likely never shown: on Linux rfd asks the desktop portal, then `zenity`,
/// and answers "nothing" when neither is there (a person takes longer to cancel).
pub fn no_dialog_shown(elapsed: std::time::Duration) -> bool {
    if cfg!(any(windows, target_os = "macos")) {
        // The system's own dialogs are always there.
        return false;
    }
    elapsed < std::time::Duration::from_millis(700) && !on_path("zenity")
}

/// True if `program` is an executable file in one of the PATH folders.
pub fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
        .unwrap_or(false)
}

/// Opens a link (`mailto:`) or a folder with the system's program for it. An error when there
/// is none, or when the program says it failed within a few seconds; a program still running
/// then is taken as opened.
pub fn open_with_system(target: &std::ffi::OsStr) -> std::io::Result<()> {
    #[cfg(windows)]
    let mut cmd = {
        // `explorer` opens folders and hands links to their program.
        let mut c = std::process::Command::new("explorer");
        c.arg(target);
        c
    };
    #[cfg(target_os = "macos")]
    let mut cmd = {
        let mut c = std::process::Command::new("open");
        c.arg(target);
        c
    };
    #[cfg(not(any(windows, target_os = "macos")))]
    let mut cmd = {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(target);
        c
    };
    cmd.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    let mut child = cmd.spawn()?;
    let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while std::time::Instant::now() < until {
        if let Some(status) = child.try_wait()? {
            // `explorer` answers 1 even when it opened the folder.
            return if status.success() || cfg!(windows) {
                Ok(())
            } else {
                Err(std::io::Error::other("the program for this link or folder failed"))
            };
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // Still running (a mail program started in the foreground): opened. Its exit is collected
    // later so that it leaves no zombie.
    std::thread::spawn(move || child.wait());
    Ok(())
}
