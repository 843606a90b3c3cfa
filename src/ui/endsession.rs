//! Windows ends a session (logoff, shutdown, restart) with WM_QUERYENDSESSION then
//! WM_ENDSESSION to each top-level window, and ends the process soon after; winit does not pass
//! these on. The window is subclassed to hear them: the worker writes every typed text first.

use std::sync::OnceLock;
use std::time::Duration;
use windows_sys::Win32::Foundation::{HWND, LPARAM, LRESULT, WPARAM};
use windows_sys::Win32::UI::Shell::{DefSubclassProc, SetWindowSubclass};
use windows_sys::Win32::UI::WindowsAndMessaging::{WM_ENDSESSION, WM_QUERYENDSESSION};

type Flush = Box<dyn Fn(Duration, bool) -> bool + Send + Sync>;
static FLUSH: OnceLock<Flush> = OnceLock::new();

/// Hooks the window of `cc` so that the end of the session writes typed text first.
pub fn write_text_at_end_session(
    cc: &eframe::CreationContext<'_>,
    flush: impl Fn(Duration, bool) -> bool + Send + Sync + 'static,
) {
    use raw_window_handle::{HasWindowHandle, RawWindowHandle};
    let Ok(handle) = cc.window_handle() else { return };
    let RawWindowHandle::Win32(w) = handle.as_raw() else { return };
    if FLUSH.set(Box::new(flush)).is_err() {
        return;
    }
    let hwnd = w.hwnd.get() as HWND;
    // SAFETY: `hwnd` is this process's own live top-level window, on the thread that owns it;
    // `end_session` is a plain function that lives as long as the program.
    unsafe {
        SetWindowSubclass(hwnd, Some(end_session), 0xCDF, 0);
    }
}

unsafe extern "system" fn end_session(
    hwnd: HWND,
    msg: u32,
    wparam: WPARAM,
    lparam: LPARAM,
    _id: usize,
    _data: usize,
) -> LRESULT {
    if (msg == WM_QUERYENDSESSION || (msg == WM_ENDSESSION && wparam != 0))
        && let Some(flush) = FLUSH.get()
    {
        // At WM_ENDSESSION the session ends: the last flush. (After WM_QUERYENDSESSION another
        // program may still cancel it, and the app goes on.)
        flush(Duration::from_secs(4), msg == WM_ENDSESSION);
    }
    // SAFETY: the arguments are the ones Windows gave this subclass procedure.
    unsafe { DefSubclassProc(hwnd, msg, wparam, lparam) }
}
