//! The desktop around the app: the system's language, the folder offered for saving, the
//! window's place between runs, the system's dialogs and programs.

use crate::lang::Lang;
use std::path::PathBuf;

/// The system's language (used before any setting can be read): on Windows the display
/// language, elsewhere `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`.
pub fn system_lang() -> Lang {
    pick_lang(sys_locale::get_locales())
}

/// The first of the user's languages (BCP 47 tags such as `fr-FR`, or POSIX names such as
/// `fr_FR.UTF-8`, most preferred first) that the app speaks; English when none is.
pub fn pick_lang<S: AsRef<str>>(tags: impl IntoIterator<Item = S>) -> Lang {
    tags.into_iter()
        .find_map(|tag| {
            let primary = tag.as_ref().split(['-', '_', '.', '@']).next().unwrap_or("").to_ascii_lowercase();
            Lang::from_code(&primary)
        })
        .unwrap_or(Lang::En)
}

/// The folder offered for saving files first: Documents, else the working folder.
pub fn default_export_dir() -> PathBuf {
    directories::UserDirs::new()
        .and_then(|u| u.document_dir().map(|d| d.to_path_buf()))
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default()
}

/// The window's place and size at the last close, in logical pixels (`window.json` in the
/// local configuration folder). It belongs to this computer and its screen, not to a database:
/// a database restored elsewhere or opened with `--db` does not carry a window off the screen.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WindowState {
    /// The outer top-left corner.
    pub x: f32,
    pub y: f32,
    /// The inner size.
    pub width: f32,
    pub height: f32,
    pub maximized: bool,
}

fn window_state_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "OCO", "cdf-assess").map(|d| d.config_local_dir().join("window.json"))
}

/// The window as it was last closed (None the first time, or if the file is unreadable).
pub fn load_window_state() -> Option<WindowState> {
    let bytes = std::fs::read(window_state_path()?).ok()?;
    serde_json::from_slice::<WindowState>(&bytes)
        .ok()
        .filter(|s| [s.x, s.y, s.width, s.height].iter().all(|v| v.is_finite()))
}

/// Remembers the window for the next start (best effort: a failure only forgets it).
pub fn save_window_state(state: &WindowState) {
    if let Some(p) = window_state_path()
        && let Some(dir) = p.parent()
        && std::fs::create_dir_all(dir).is_ok()
        && let Ok(bytes) = serde_json::to_vec(state)
    {
        let _ = super::files::write_atomically(&p, &bytes);
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_is_the_first_one_the_app_speaks() {
        assert_eq!(pick_lang(["fr-FR"]), Lang::Fr);
        assert_eq!(pick_lang(["fr-CA"]), Lang::Fr);
        assert_eq!(pick_lang(["fr"]), Lang::Fr);
        assert_eq!(pick_lang(["FR-nc"]), Lang::Fr);
        assert_eq!(pick_lang(["fr_FR.UTF-8"]), Lang::Fr);
        assert_eq!(pick_lang(["en-US"]), Lang::En);
        assert_eq!(pick_lang(["en-US", "fr-FR"]), Lang::En);
        assert_eq!(pick_lang(["de-DE", "fr-FR"]), Lang::Fr, "a German first, French second: French");
        // Unknown, empty or odd: English.
        assert_eq!(pick_lang(["de-DE"]), Lang::En);
        assert_eq!(pick_lang(["C"]), Lang::En);
        assert_eq!(pick_lang(["french"]), Lang::En);
        assert_eq!(pick_lang([""]), Lang::En);
        assert_eq!(pick_lang(Vec::<String>::new()), Lang::En);
    }
}
