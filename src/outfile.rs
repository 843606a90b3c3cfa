//! Writing a file the user named, respecting what is there (issue 20): a regular file is
//! replaced atomically, a fifo or a character device is written into, a symbolic link's target
//! is written and the link kept, anything else is refused. The one rule for every `--out`, every
//! save of the window and `backup --out` (which the store writes through [`Target`]).

use std::path::{Path, PathBuf};

/// Writes `bytes` to `path`, respecting what is there:
/// - a regular file, or a new path: written to a temporary file beside it, then renamed over it,
///   so a full disk never leaves half a file in place of a good one (the file's permissions are
///   kept);
/// - a symbolic link: its target (resolved, link after link) is written by the same rule; the
///   link itself stays a link;
/// - a fifo or a character device (`/dev/null`, a terminal): written into, never replaced by a
///   regular file;
/// - a block device, a socket or a folder: refused, nothing written.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let target = resolve_links(path)?;
    match Existing::of(&target)? {
        Existing::Nothing | Existing::File(_) => {}
        Existing::Stream => {
            // Opened without truncating or creating: what is there is written into, as `cat >`.
            let mut f = std::fs::OpenOptions::new().write(true).open(&target)?;
            return f.write_all(bytes).and_then(|()| f.flush());
        }
        Existing::Folder => return Err(std::io::Error::from(std::io::ErrorKind::IsADirectory)),
        Existing::Refused => {
            return Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "a block device or a socket: refused"));
        }
    }
    let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile_in(dir)?;
    let result = (|| {
        tmp.1.write_all(bytes)?;
        if let Existing::File(permissions) = Existing::of(&target)? {
            tmp.1.set_permissions(permissions)?;
        }
        tmp.1.sync_all()?;
        std::fs::rename(&tmp.0, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp.0);
    }
    result
}

/// What a path to be written is now.
pub enum Existing {
    Nothing,
    /// A regular file, with its permissions.
    File(std::fs::Permissions),
    /// A fifo or a character device: written into.
    Stream,
    Folder,
    /// A block device, a socket, anything else.
    Refused,
}

impl Existing {
    pub fn of(path: &Path) -> std::io::Result<Existing> {
        let m = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Existing::Nothing),
            Err(e) => return Err(e),
        };
        let kind = m.file_type();
        if kind.is_file() {
            return Ok(Existing::File(m.permissions()));
        }
        if kind.is_dir() {
            return Ok(Existing::Folder);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if kind.is_fifo() || kind.is_char_device() {
                return Ok(Existing::Stream);
            }
        }
        Ok(Existing::Refused)
    }
}

/// The file a path stands for: symbolic links followed one by one (a relative link from the
/// folder it is in), at most 40, as the system does.
pub fn resolve_links(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "too many levels of symbolic links"))
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

/// Where a file the store builds itself (a backup) goes: a path to replace atomically, or a
/// stream to copy it into.
pub enum Target {
    /// A regular file or a new path (links resolved): build beside it, then rename over it.
    Replace(PathBuf),
    /// A fifo or a character device: build elsewhere, then copy into it.
    Stream(PathBuf),
}

impl Target {
    /// What `path` stands for, links followed; a folder, a block device or a socket is refused.
    pub fn of(path: &Path) -> std::io::Result<Target> {
        let target = resolve_links(path)?;
        match Existing::of(&target)? {
            Existing::Nothing | Existing::File(_) => Ok(Target::Replace(target)),
            Existing::Stream => Ok(Target::Stream(target)),
            Existing::Folder => Err(std::io::Error::from(std::io::ErrorKind::IsADirectory)),
            Existing::Refused => {
                Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "a block device or a socket: refused"))
            }
        }
    }
}

/// Copies the file at `from` into the stream `to` (opened without creating or truncating).
pub fn copy_into(from: &Path, to: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let mut src = std::fs::File::open(from)?;
    let mut dst = std::fs::OpenOptions::new().write(true).open(to)?;
    std::io::copy(&mut src, &mut dst)?;
    dst.flush()
}
