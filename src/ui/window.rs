//! Where the window opens and how big: inside the screen's work area (the screen less the
//! taskbar), where it was last time if that still fits. A 1366x768 laptop with a taskbar has
//! 728 pixels of height: the old fixed 1280x760 put the bottom bar of the pages under the taskbar.

use crate::app::desktop::WindowState;
use egui::{Pos2, Rect, Vec2, pos2, vec2};

/// The size of the first window on a screen where it fits (logical pixels, inside the frame).
pub const DEFAULT_SIZE: Vec2 = vec2(1280.0, 760.0);
/// The smallest size the pages are laid out for (smaller when the screen itself is smaller).
pub const MIN_SIZE: Vec2 = vec2(900.0, 560.0);
/// What the system's frame adds around the inside of a window: Windows 10 and 11 draw a title
/// bar of about 31 pixels and borders of 8 (mostly invisible) on the other sides.
pub const DECORATIONS: Vec2 = vec2(16.0, 39.0);

/// The first window: its outer top-left corner (None: the system's choice), inner size,
/// smallest inner size, and whether it opens maximised.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    pub pos: Option<Pos2>,
    pub size: Vec2,
    pub min_size: Vec2,
    pub maximized: bool,
}

/// The first window for a screen whose work area is `work_area` (None when the system does not
/// say: the window manager places it) and the window as it was `saved` at the last close.
///
/// The inner size is the saved one (else [`DEFAULT_SIZE`]), shrunk to fit the work area with its
/// frame; the window is moved fully inside the work area (centred the first time). A first
/// start on a screen too small for the default size opens maximised, which fits exactly whatever
/// the taskbar's size and side.
pub fn initial_window(work_area: Option<Rect>, saved: Option<&WindowState>) -> Placement {
    let wanted = saved.map(|s| vec2(s.width, s.height)).filter(|s| s.x > 0.0 && s.y > 0.0).unwrap_or(DEFAULT_SIZE);
    let saved_pos = saved.map(|s| pos2(s.x, s.y));
    let Some(work) = work_area.filter(|w| w.width() > 0.0 && w.height() > 0.0) else {
        return Placement {
            pos: saved_pos,
            size: wanted.max(MIN_SIZE),
            min_size: MIN_SIZE,
            maximized: saved.is_some_and(|s| s.maximized),
        };
    };
    let room = (work.size() - DECORATIONS).max(vec2(1.0, 1.0));
    let min_size = MIN_SIZE.min(room);
    let size = wanted.max(min_size).min(room);
    let outer = size + DECORATIONS;
    let pos = match saved_pos {
        Some(p) => pos2(
            p.x.clamp(work.min.x, (work.max.x - outer.x).max(work.min.x)),
            p.y.clamp(work.min.y, (work.max.y - outer.y).max(work.min.y)),
        ),
        None => work.min + ((work.size() - outer) / 2.0).max(Vec2::ZERO),
    };
    let maximized = match saved {
        Some(s) => s.maximized,
        None => DEFAULT_SIZE.x > room.x || DEFAULT_SIZE.y > room.y,
    };
    Placement { pos: Some(pos), size, min_size, maximized }
}

/// The window as it is now, to be saved at the close: its last normal place and size (logical
/// pixels; egui's points times the zoom), and whether it is maximised. A minimised window
/// changes nothing.
pub fn observe(ctx: &egui::Context, last: &mut Option<WindowState>) {
    let zoom = ctx.zoom_factor();
    ctx.input(|i| {
        let v = i.viewport();
        if v.minimized == Some(true) {
            return;
        }
        let maximized = v.maximized == Some(true) || v.fullscreen == Some(true);
        if maximized && let Some(s) = last {
            // Its normal place and size stay the ones it had before.
            s.maximized = true;
            return;
        }
        // (Maximised from the start: its maximised place is the best there is.)
        if let (Some(outer), Some(inner)) = (v.outer_rect, v.inner_rect) {
            *last = Some(WindowState {
                x: outer.min.x * zoom,
                y: outer.min.y * zoom,
                width: inner.width() * zoom,
                height: inner.height() * zoom,
                maximized,
            });
        }
    });
}

/// The work area of the screen the window opens on (the one it was last on, else the primary
/// one), in logical pixels: the screen less the taskbar and docked bars.
#[cfg(windows)]
pub fn work_area(saved: Option<&WindowState>) -> Option<Rect> {
    use windows_sys::Win32::Foundation::POINT;
    use windows_sys::Win32::Graphics::Gdi::{GetMonitorInfoW, MONITOR_DEFAULTTOPRIMARY, MONITORINFO, MonitorFromPoint};
    use windows_sys::Win32::UI::HiDpi::{GetDpiForMonitor, MDT_EFFECTIVE_DPI};
    // The saved place is in logical pixels; the monitor under it is found well enough with it.
    let at = saved
        .map(|s| POINT { x: (s.x + s.width / 2.0) as i32, y: (s.y + 20.0) as i32 })
        .unwrap_or(POINT { x: 0, y: 0 });
    // SAFETY: plain Win32 calls with valid, initialised arguments; `info.cbSize` is set as the
    // API requires.
    unsafe {
        let monitor = MonitorFromPoint(at, MONITOR_DEFAULTTOPRIMARY);
        if monitor.is_null() {
            return None;
        }
        let mut info: MONITORINFO = std::mem::zeroed();
        info.cbSize = std::mem::size_of::<MONITORINFO>() as u32;
        if GetMonitorInfoW(monitor, &mut info) == 0 {
            return None;
        }
        let (mut dx, mut dy) = (96u32, 96u32);
        let scale = if GetDpiForMonitor(monitor, MDT_EFFECTIVE_DPI, &mut dx, &mut dy) == 0 && dx > 0 {
            dx as f32 / 96.0
        } else {
            1.0
        };
        let r = info.rcWork;
        Some(Rect::from_min_max(
            pos2(r.left as f32 / scale, r.top as f32 / scale),
            pos2(r.right as f32 / scale, r.bottom as f32 / scale),
        ))
    }
}

/// Elsewhere the window manager keeps new windows inside the work area itself.
#[cfg(not(windows))]
pub fn work_area(_saved: Option<&WindowState>) -> Option<Rect> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(p: &Placement, work: Rect) -> bool {
        let outer = Rect::from_min_size(p.pos.unwrap(), p.size + DECORATIONS);
        work.contains_rect(outer)
    }

    fn saved(x: f32, y: f32, width: f32, height: f32, maximized: bool) -> WindowState {
        WindowState { x, y, width, height, maximized }
    }

    #[test]
    fn the_first_window_fits_a_1366x768_laptop_with_a_40_pixel_taskbar() {
        let work = Rect::from_min_max(pos2(0.0, 0.0), pos2(1366.0, 728.0));
        let p = initial_window(Some(work), None);
        assert!(inside(&p, work), "{p:?}");
        assert!(p.size.y <= 728.0 - 39.0 && p.size.y >= 560.0, "{p:?}");
        assert!(p.maximized, "too small for the default size: maximised");
        assert!(p.min_size.y <= p.size.y);
        // The taskbar on the left (or at the top) moves the work area: still inside.
        let left = Rect::from_min_max(pos2(62.0, 0.0), pos2(1366.0, 768.0));
        assert!(inside(&initial_window(Some(left), None), left));
    }

    #[test]
    fn the_first_window_fits_1024x768() {
        for work in [
            Rect::from_min_max(pos2(0.0, 0.0), pos2(1024.0, 768.0)),
            Rect::from_min_max(pos2(0.0, 0.0), pos2(1024.0, 728.0)),
            // 1366x768 at 125 %: 1093x582 logical pixels, less a 32-pixel taskbar.
            Rect::from_min_max(pos2(0.0, 0.0), pos2(1092.8, 582.4 - 32.0)),
        ] {
            let p = initial_window(Some(work), None);
            assert!(inside(&p, work), "{work:?}: {p:?}");
            assert!(p.min_size.x <= p.size.x && p.min_size.y <= p.size.y, "{p:?}");
        }
    }

    #[test]
    fn a_large_screen_gets_the_default_size_centred() {
        let work = Rect::from_min_max(pos2(0.0, 0.0), pos2(1920.0, 1040.0));
        let p = initial_window(Some(work), None);
        assert_eq!((p.size, p.maximized), (DEFAULT_SIZE, false));
        assert!(inside(&p, work));
        let outer = Rect::from_min_size(p.pos.unwrap(), p.size + DECORATIONS);
        assert!((outer.center() - work.center()).length() < 1.0);
    }

    #[test]
    fn the_saved_window_comes_back_inside_the_screen() {
        let work = Rect::from_min_max(pos2(0.0, 0.0), pos2(1366.0, 728.0));
        // As it was, when it fits.
        let s = saved(100.0, 50.0, 1000.0, 600.0, false);
        let p = initial_window(Some(work), Some(&s));
        assert_eq!((p.pos, p.size, p.maximized), (Some(pos2(100.0, 50.0)), vec2(1000.0, 600.0), false));
        // Saved on a bigger monitor, or off to the side of one now unplugged: shrunk and moved in.
        for s in [saved(2500.0, 900.0, 1800.0, 1000.0, false), saved(-3000.0, -50.0, 1000.0, 600.0, false)] {
            let p = initial_window(Some(work), Some(&s));
            assert!(inside(&p, work), "{s:?}: {p:?}");
        }
        // Maximised stays maximised, not forced on a window the user made small.
        assert!(initial_window(Some(work), Some(&saved(10.0, 10.0, 1000.0, 600.0, true))).maximized);
        assert!(!initial_window(Some(work), Some(&saved(10.0, 10.0, 1000.0, 600.0, false))).maximized);
        // Nonsense saved sizes are ignored.
        let p = initial_window(Some(work), Some(&saved(0.0, 0.0, 0.0, -5.0, false)));
        assert!(inside(&p, work));
    }

    #[test]
    fn without_a_work_area_the_system_places_it() {
        let p = initial_window(None, None);
        assert_eq!((p.pos, p.size, p.min_size, p.maximized), (None, DEFAULT_SIZE, MIN_SIZE, false));
        let s = saved(40.0, 30.0, 1000.0, 700.0, true);
        let p = initial_window(None, Some(&s));
        assert_eq!((p.pos, p.size, p.maximized), (Some(pos2(40.0, 30.0)), vec2(1000.0, 700.0), true));
    }
}
