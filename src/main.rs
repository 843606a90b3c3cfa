#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    // A release build on Windows has no console of its own; commands run from a terminal
    // attach to it so their output shows.
    #[cfg(all(windows, not(debug_assertions)))]
    if std::env::args_os().len() > 1 {
        // SAFETY: plain Win32 call with a constant argument; failure just means no console.
        unsafe {
            windows_sys::Win32::System::Console::AttachConsole(
                windows_sys::Win32::System::Console::ATTACH_PARENT_PROCESS,
            );
        }
    }
    cdf_assess::cli::main(cdf_assess::ui::run)
}
