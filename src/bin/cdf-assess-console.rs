//! The console twin of the Windows program, shipped as `cdf-assess.com` beside `cdf-assess.exe`.
//!
//! `cdf-assess.exe` is a window program (GUI subsystem): double-clicked, it opens no console;
//! but `cmd` and PowerShell do not wait for such a program, so its output came after the next
//! prompt and `%ERRORLEVEL%` read 0 when a command failed. A console program is waited for, so
//! this small one runs the .exe beside it with the same arguments, its console's input and
//! output handed down, waits, and exits with its exit code. When a user types `cdf-assess …`,
//! `cmd` and PowerShell try `.COM` before `.EXE` (the `PATHEXT` order), so they pick this twin;
//! the same trick as Visual Studio's `devenv.com` and Inkscape's `inkscape.com`. It holds no
//! code of the application (a few hundred kilobytes: the download stays small).
//!
//! Ctrl+C (or closing the console) ends the program it started, as it would end a console program.
//! Built on other systems too, where it only says that the program itself is `cdf-assess`.

#[cfg(windows)]
fn main() {
    use std::os::windows::io::AsRawHandle;
    use std::sync::atomic::{AtomicIsize, Ordering};
    use windows_sys::Win32::Foundation::HANDLE;
    use windows_sys::Win32::System::Console::SetConsoleCtrlHandler;
    use windows_sys::Win32::System::Threading::TerminateProcess;

    /// The program started, for the Ctrl+C handler (0: none yet).
    static CHILD: AtomicIsize = AtomicIsize::new(0);
    /// Windows' own code for a program ended by Ctrl+C.
    const CONTROL_C_EXIT: u32 = 0xC000_013A;

    unsafe extern "system" fn on_ctrl(_event: u32) -> i32 {
        let child = CHILD.load(Ordering::SeqCst);
        if child != 0 {
            // SAFETY: the handle of a child this process started and still holds (it is
            // waited for, never closed, while the handler can run).
            unsafe { TerminateProcess(child as HANDLE, CONTROL_C_EXIT) };
        }
        // Handled: the wait below returns with the child's exit code.
        1
    }

    let here = std::env::current_exe().unwrap_or_default();
    let exe = here.with_file_name("cdf-assess.exe");
    let same = |a: &std::path::Path, b: &std::path::Path| {
        std::fs::canonicalize(a).ok().is_some_and(|a| std::fs::canonicalize(b).ok() == Some(a))
    };
    if !exe.is_file() || same(&here, &exe) {
        eprintln!("error: {} is not there: this console twin starts the program beside it", exe.display());
        std::process::exit(2);
    }
    let mut child = match std::process::Command::new(&exe).args(std::env::args_os().skip(1)).spawn() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: cannot start {}: {e}", exe.display());
            std::process::exit(2);
        }
    };
    CHILD.store(child.as_raw_handle() as isize, Ordering::SeqCst);
    // SAFETY: registers a plain function that lives as long as the program.
    unsafe { SetConsoleCtrlHandler(Some(on_ctrl), 1) };
    let code = match child.wait() {
        Ok(status) => status.code().unwrap_or(1),
        Err(e) => {
            eprintln!("error: lost {}: {e}", exe.display());
            2
        }
    };
    std::process::exit(code)
}

#[cfg(not(windows))]
fn main() {
    eprintln!("cdf-assess-console is the console twin of the Windows program; here, run cdf-assess itself.");
    std::process::exit(2)
}
