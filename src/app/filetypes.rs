//! The file types this program opens with a double-click (issue 25): `.ocoreturn`,
//! `.ocofeedback`, `.ocoframework` and the Secretariat's card, each opening `cdf-assess open
//! FILE` (which says what the file is and asks before importing; `app::inbox` hands it to a
//! window already open). Registered for the current user only, no administrator needed: on
//! Windows under `HKCU\Software\Classes`, elsewhere as a desktop entry and MIME types in the
//! user's data folder (`$XDG_DATA_HOME`, else `~/.local/share`).

use crate::lang::Lang;
use std::path::Path;

/// (extension, the type's name for the system, the i18n key of its description).
pub const FILE_TYPES: [(&str, &str, &str); 6] = [
    ("ocoreturn", "OCO.CdfAssess.Return", "filetype.return"),
    ("ocofeedback", "OCO.CdfAssess.Feedback", "filetype.feedback"),
    ("ocoframework", "OCO.CdfAssess.Framework", "filetype.framework"),
    ("ococard", "OCO.CdfAssess.Card", "filetype.card"),
    // Issue 26: a section of an assessment, and a colleague's answers to it.
    ("ocosection", "OCO.CdfAssess.Section", "section.filetype"),
    ("ocosectionanswer", "OCO.CdfAssess.SectionAnswer", "section.filetype_answer"),
];

/// The MIME type of an extension (freedesktop).
pub fn mime_type(ext: &str) -> String {
    format!("application/x-oco-cdf-{}", ext.trim_start_matches("oco"))
}

/// Registers the file types for the program at `exe`, in the user's language. Errors are the
/// system's; nothing is changed outside the current user's own settings.
pub fn register(exe: &Path, t: Lang) -> std::io::Result<()> {
    #[cfg(windows)]
    return windows::register(exe, t);
    #[cfg(not(windows))]
    {
        let home = std::env::var_os("XDG_DATA_HOME")
            .map(std::path::PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/share")))
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no home folder"))?;
        register_in(&home, exe, t)?;
        // The system's caches, where its tools are installed (else they are read at next login).
        for (tool, dir) in [("update-mime-database", "mime"), ("update-desktop-database", "applications")] {
            if super::desktop::on_path(tool) {
                let _ = std::process::Command::new(tool)
                    .arg(home.join(dir))
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .status();
            }
        }
        Ok(())
    }
}

/// A desktop entry's `Exec` argument, quoted as the Desktop Entry Specification says.
pub fn exec_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if matches!(c, '"' | '`' | '$' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// The desktop entry, the MIME types and the icon under `data_home` (`~/.local/share`),
/// each written only when it differs from what is there.
pub fn register_in(data_home: &Path, exe: &Path, t: Lang) -> std::io::Result<()> {
    let mimes: Vec<String> = FILE_TYPES.iter().map(|(ext, _, _)| mime_type(ext)).collect();
    let exe = exe.to_str().ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not UTF-8"))?;
    let entry = format!(
        "[Desktop Entry]\nType=Application\nName={}\nComment={}\nExec={} open %F\nIcon=cdf-assess\nTerminal=false\nCategories=Office;\nMimeType={};\n",
        t.t("app.title"),
        t.t("filetype.comment"),
        exec_quoted(exe),
        mimes.join(";")
    );
    let xml_escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mime-info xmlns=\"http://www.freedesktop.org/standards/shared-mime-info\">\n",
    );
    for ((ext, _, key), mime) in FILE_TYPES.iter().zip(&mimes) {
        xml.push_str(&format!(
            "  <mime-type type=\"{mime}\">\n    <comment>{}</comment>\n    <glob pattern=\"*.{ext}\"/>\n  </mime-type>\n",
            xml_escape(t.t(key))
        ));
    }
    xml.push_str("</mime-info>\n");
    let icon: &[u8] = include_bytes!("../../assets/icon.png");
    for (path, bytes) in [
        (data_home.join("applications/cdf-assess.desktop"), entry.as_bytes()),
        (data_home.join("mime/packages/cdf-assess.xml"), xml.as_bytes()),
        (data_home.join("icons/hicolor/256x256/apps/cdf-assess.png"), icon),
    ] {
        if std::fs::read(&path).ok().as_deref() != Some(bytes) {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            super::files::write_atomically(&path, bytes)?;
        }
    }
    Ok(())
}

#[cfg(windows)]
mod windows {
    use super::FILE_TYPES;
    use crate::lang::Lang;
    use std::path::Path;
    use windows_sys::Win32::System::Registry::{HKEY_CURRENT_USER, REG_SZ, RegSetKeyValueW};
    use windows_sys::Win32::UI::Shell::{SHCNE_ASSOCCHANGED, SHCNF_IDLIST, SHChangeNotify};

    use crate::app::desktop::wide;

    /// Sets the default value of `HKCU\Software\Classes\<key>`, making the key if needed.
    fn set(key: &str, value: &str) -> std::io::Result<()> {
        let (k, v) = (wide(&format!("Software\\Classes\\{key}")), wide(value));
        // SAFETY: NUL-terminated UTF-16 strings alive for the call; the size is in bytes.
        let r = unsafe {
            RegSetKeyValueW(
                HKEY_CURRENT_USER,
                k.as_ptr(),
                std::ptr::null(),
                REG_SZ,
                v.as_ptr().cast(),
                (v.len() * 2) as u32,
            )
        };
        if r == 0 { Ok(()) } else { Err(std::io::Error::from_raw_os_error(r as i32)) }
    }

    pub fn register(exe: &Path, t: Lang) -> std::io::Result<()> {
        let exe = exe.display().to_string();
        for (ext, prog, key) in FILE_TYPES {
            set(&format!(".{ext}"), prog)?;
            set(prog, t.t(key))?;
            set(&format!("{prog}\\DefaultIcon"), &format!("\"{exe}\",0"))?;
            set(&format!("{prog}\\shell\\open\\command"), &format!("\"{exe}\" open \"%1\""))?;
        }
        // SAFETY: a documented notification without items.
        unsafe { SHChangeNotify(SHCNE_ASSOCCHANGED as i32, SHCNF_IDLIST, std::ptr::null(), std::ptr::null()) };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_desktop_entry_and_mime_types_open_each_kind_with_this_program() {
        let d = tempfile::tempdir().unwrap();
        let exe = Path::new("/opt/CDF \"test\"/cdf-assess");
        register_in(d.path(), exe, Lang::Fr).unwrap();
        let entry = std::fs::read_to_string(d.path().join("applications/cdf-assess.desktop")).unwrap();
        assert!(entry.contains("Exec=\"/opt/CDF \\\"test\\\"/cdf-assess\" open %F\n"), "{entry}");
        assert!(entry.contains("MimeType=application/x-oco-cdf-return;application/x-oco-cdf-feedback;"), "{entry}");
        let xml = std::fs::read_to_string(d.path().join("mime/packages/cdf-assess.xml")).unwrap();
        for (ext, _, _) in FILE_TYPES {
            assert!(xml.contains(&format!("<glob pattern=\"*.{ext}\"/>")), "{xml}");
        }
        assert!(xml.contains("Secrétariat"), "in the user's language: {xml}");
        assert!(d.path().join("icons/hicolor/256x256/apps/cdf-assess.png").is_file());
        // Again: nothing to change, nothing written.
        let before = std::fs::metadata(d.path().join("applications/cdf-assess.desktop")).unwrap().modified().unwrap();
        register_in(d.path(), exe, Lang::Fr).unwrap();
        let after = std::fs::metadata(d.path().join("applications/cdf-assess.desktop")).unwrap().modified().unwrap();
        assert_eq!(before, after);
    }
}
