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

/// A new message to open in the user's e-mail program, with files to attach
/// (`desktop::send_mail`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// Empty: the user fills it in.
    pub to: String,
    pub subject: String,
    pub body: String,
    pub files: Vec<std::path::PathBuf>,
}

impl Mail {
    /// The same message as a `mailto:` link: no attachment (RFC 6068 has none).
    pub fn mailto(&self) -> String {
        format!("mailto:{}?subject={}&body={}", self.to, percent_encode(&self.subject), percent_encode(&self.body))
    }
}

/// Opens a new message in the user's e-mail program with its files attached: Simple MAPI
/// (`MAPISendMailW`, which Outlook and Thunderbird answer) on Windows, `xdg-email --attach` on
/// Linux; else the `mailto:` link, which cannot attach. `Ok(true)`: the files were handed to the
/// program; `Ok(false)`: opened without them (the page says where the file is).
pub fn send_mail(mail: &Mail) -> std::io::Result<bool> {
    #[cfg(windows)]
    if let Ok(attached) = mapi::send(mail) {
        return Ok(attached);
    }
    #[cfg(not(any(windows, target_os = "macos")))]
    if on_path("xdg-email") && run_xdg_email(std::path::Path::new("xdg-email"), mail).is_ok() {
        return Ok(true);
    }
    open_with_system(std::ffi::OsStr::new(&mail.mailto())).map(|()| false)
}

/// The arguments of `xdg-email` for a message: subject, text, each file, the address.
pub fn xdg_email_args(mail: &Mail) -> Vec<std::ffi::OsString> {
    let mut a: Vec<std::ffi::OsString> = vec![
        "--utf8".into(),
        "--subject".into(),
        mail.subject.clone().into(),
        "--body".into(),
        mail.body.clone().into(),
    ];
    for f in &mail.files {
        a.push("--attach".into());
        a.push(f.clone().into_os_string());
    }
    if !mail.to.trim().is_empty() {
        a.push(mail.to.trim().into());
    }
    a
}

/// Runs `program` (xdg-email) for a message; an error if it fails within a few seconds.
pub fn run_xdg_email(program: &std::path::Path, mail: &Mail) -> std::io::Result<()> {
    let mut child = std::process::Command::new(program)
        .args(xdg_email_args(mail))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()?;
    let until = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while std::time::Instant::now() < until {
        if let Some(status) = child.try_wait()? {
            return if status.success() { Ok(()) } else { Err(std::io::Error::other("xdg-email failed")) };
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::spawn(move || child.wait());
    Ok(())
}

/// A NUL-terminated UTF-16 string, as Windows' `…W` functions take them.
#[cfg(windows)]
pub(crate) fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}

/// Simple MAPI, loaded from `mapi32.dll` at the moment of sending (no mail program: no DLL or
/// an error, and the caller falls back to the `mailto:` link).
#[cfg(windows)]
mod mapi {
    use windows_sys::Win32::System::LibraryLoader::{GetProcAddress, LoadLibraryW};
    use windows_sys::Win32::System::Mapi::{
        LPMAPISENDMAILW, MAPI_DIALOG, MAPI_LOGON_UI, MAPI_TO, MAPI_USER_ABORT, MapiFileDescW, MapiMessageW,
        MapiRecipDescW, SUCCESS_SUCCESS,
    };

    use super::wide;

    /// A string value of the registry (`None` for the key's default value), if set and not empty.
    fn reg_string(root: windows_sys::Win32::System::Registry::HKEY, key: &str, value: Option<&str>) -> Option<String> {
        use windows_sys::Win32::System::Registry::{RRF_RT_REG_SZ, RegGetValueW};
        let (key, value) = (wide(key), value.map(wide));
        let mut buf = [0u16; 520];
        let mut size = (buf.len() * 2) as u32;
        // SAFETY: NUL-terminated names; the buffer and its size in bytes match.
        let r = unsafe {
            RegGetValueW(
                root,
                key.as_ptr(),
                value.as_ref().map_or(std::ptr::null(), |v| v.as_ptr()),
                // REG_SZ only: asking for REG_EXPAND_SZ too, without RRF_NOEXPAND, is refused
                // (ERROR_INVALID_PARAMETER), which made every lookup fail.
                RRF_RT_REG_SZ,
                std::ptr::null_mut(),
                buf.as_mut_ptr().cast(),
                &mut size,
            )
        };
        let len = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
        let text = String::from_utf16_lossy(&buf[..len]);
        (r == 0 && !text.trim().is_empty()).then_some(text)
    }

    /// The default mail program Windows' Simple MAPI would call (the default value of
    /// `Software\Clients\Mail`, the user's then the machine's) and the DLL it names, if one is
    /// set. Without it, mapi32.dll shows its own "no e-mail program" box before failing: the
    /// `mailto:` link is tried instead, and then the page's fallback.
    fn default_client() -> Option<(String, Option<String>)> {
        use windows_sys::Win32::System::Registry::{HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE};
        [HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE].into_iter().find_map(|root| {
            let name = reg_string(root, "Software\\Clients\\Mail", None)?;
            let dll = reg_string(root, &format!("Software\\Clients\\Mail\\{name}"), Some("DLLPath"));
            Some((name, dll))
        })
    }

    /// Hands the message to Simple MAPI: `Ok(true)` with the files attached, `Ok(false)` when
    /// the mail program is Wine's own (winemapi.dll turns the message into a `mailto:` link and
    /// drops the files, though it answers SUCCESS), an error when there is no mail program or it
    /// refused.
    pub fn send(mail: &super::Mail) -> Result<bool, u32> {
        use std::os::windows::ffi::OsStrExt;
        let Some((_, dll)) = default_client() else { return Err(u32::MAX) };
        let attaches = !dll.is_some_and(|d| d.to_ascii_lowercase().ends_with("winemapi.dll"));
        let dll = wide("mapi32.dll");
        // SAFETY: a NUL-terminated wide string; the module stays loaded for the process.
        let module = unsafe { LoadLibraryW(dll.as_ptr()) };
        if module.is_null() {
            return Err(u32::MAX);
        }
        // SAFETY: a NUL-terminated name; the address is of the function LPMAPISENDMAILW types.
        let f: LPMAPISENDMAILW =
            unsafe { std::mem::transmute(GetProcAddress(module, c"MAPISendMailW".as_ptr().cast())) };
        let Some(f) = f else { return Err(u32::MAX) };
        let (mut subject, mut body) = (wide(&mail.subject), wide(&mail.body));
        let mut paths: Vec<Vec<u16>> =
            mail.files.iter().map(|p| p.as_os_str().encode_wide().chain(std::iter::once(0)).collect()).collect();
        let mut files: Vec<MapiFileDescW> = paths
            .iter_mut()
            .map(|p| MapiFileDescW { nPosition: u32::MAX, lpszPathName: p.as_mut_ptr(), ..Default::default() })
            .collect();
        let mut address = wide(&format!("SMTP:{}", mail.to.trim()));
        let mut name = wide(mail.to.trim());
        let mut recips = [MapiRecipDescW {
            ulRecipClass: MAPI_TO,
            lpszName: name.as_mut_ptr(),
            lpszAddress: address.as_mut_ptr(),
            ..Default::default()
        }];
        let message = MapiMessageW {
            lpszSubject: subject.as_mut_ptr(),
            lpszNoteText: body.as_mut_ptr(),
            nRecipCount: if mail.to.trim().is_empty() { 0 } else { 1 },
            lpRecips: recips.as_mut_ptr(),
            nFileCount: files.len() as u32,
            lpFiles: files.as_mut_ptr(),
            ..Default::default()
        };
        // SAFETY: every pointer is to a buffer alive until the call returns.
        let r = unsafe { f(0, 0, &message, MAPI_DIALOG | MAPI_LOGON_UI, 0) };
        if r == SUCCESS_SUCCESS || r == MAPI_USER_ABORT { Ok(attaches) } else { Err(r) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(files: Vec<std::path::PathBuf>) -> Mail {
        Mail {
            to: "returns@oco.example".into(),
            subject: "Retour CDF : Fidji 2026".into(),
            body: "Ci-joint « le retour ».".into(),
            files,
        }
    }

    #[test]
    fn xdg_email_gets_the_files_to_attach_subject_text_and_address() {
        let m = mail(vec!["/tmp/FJ 2026 r1.ocoreturn".into()]);
        let a: Vec<String> = xdg_email_args(&m).iter().map(|a| a.to_string_lossy().to_string()).collect();
        assert_eq!(
            a,
            [
                "--utf8",
                "--subject",
                "Retour CDF : Fidji 2026",
                "--body",
                "Ci-joint « le retour ».",
                "--attach",
                "/tmp/FJ 2026 r1.ocoreturn",
                "returns@oco.example"
            ]
        );
        assert!(m.mailto().starts_with("mailto:returns@oco.example?subject=Retour%20CDF"), "{}", m.mailto());
    }

    #[cfg(unix)]
    #[test]
    fn a_mail_program_that_fails_is_an_error_one_that_works_gets_the_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("args");
        let ok = dir.path().join("xdg-email");
        std::fs::write(&ok, format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n", log.display())).unwrap();
        let bad = dir.path().join("broken");
        std::fs::write(&bad, "#!/bin/sh\nexit 3\n").unwrap();
        for p in [&ok, &bad] {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let file = dir.path().join("FJ_2026_r1.ocoreturn");
        run_xdg_email(&ok, &mail(vec![file.clone()])).unwrap();
        let said = std::fs::read_to_string(&log).unwrap();
        assert!(said.contains(&format!("--attach\n{}\n", file.display())), "{said}");
        assert!(run_xdg_email(&bad, &mail(vec![file])).is_err());
    }

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
