// On Windows the release build is a window program: double-clicked, it opens no console. Its
// console twin, `cdf-assess.com` (src/bin/cdf-assess-console.rs), is what `cmd` and PowerShell
// run for `cdf-assess …`: it waits for this program and returns its exit code.
#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    #[cfg(all(windows, not(debug_assertions)))]
    console::attach_if_needed();
    cdf_assess::cli::main(window)
}

/// Opens the window; on Windows, a window that cannot open says why in a message box when
/// there is no console to read it in.
fn window(db: std::path::PathBuf, files: Vec<std::path::PathBuf>) -> anyhow::Result<()> {
    let result = cdf_assess::ui::run(db, files);
    #[cfg(all(windows, not(debug_assertions)))]
    if let Err(e) = &result {
        console::message_box_if_alone(&format!("{e:#}"));
    }
    result
}

#[cfg(all(windows, not(debug_assertions)))]
mod console {
    use windows_sys::Win32::System::Console::{ATTACH_PARENT_PROCESS, AttachConsole, GetStdHandle, STD_ERROR_HANDLE};

    /// True when the program has somewhere to print: the console twin, a redirection or a
    /// pipe handed it standard handles.
    fn has_output() -> bool {
        // SAFETY: plain Win32 call with a constant argument.
        let h = unsafe { GetStdHandle(STD_ERROR_HANDLE) };
        !h.is_null() && h as isize != -1
    }

    /// Run straight from a terminal as `cdf-assess.exe COMMAND` (not through the twin), the
    /// program has no standard handles: it attaches to the terminal so that its output shows
    /// (the terminal does not wait for it, though: the twin does).
    pub fn attach_if_needed() {
        if std::env::args_os().len() > 1 && !has_output() {
            // SAFETY: plain Win32 call with a constant argument; failure means no console.
            unsafe { AttachConsole(ATTACH_PARENT_PROCESS) };
        }
    }

    /// A message box with `detail` when no console shows the error (double-clicked).
    pub fn message_box_if_alone(detail: &str) {
        use windows_sys::Win32::UI::WindowsAndMessaging::{MB_ICONERROR, MB_OK, MessageBoxW};
        if has_output() {
            return;
        }
        let t = cdf_assess::app::desktop::system_lang();
        let text = format!("{}\n\n{detail}", t.t("windows.no_window"));
        let wide = |s: &str| s.encode_utf16().chain(Some(0)).collect::<Vec<u16>>();
        let (text, title) = (wide(&text), wide(t.t("app.title")));
        // SAFETY: both strings are NUL-terminated UTF-16 that outlive the call; no owner window.
        unsafe { MessageBoxW(std::ptr::null_mut(), text.as_ptr(), title.as_ptr(), MB_OK | MB_ICONERROR) };
    }
}
