//! A small theme: readable type, one accent colour, light and dark. Every colour text is drawn
//! in reaches WCAG AA (4.5:1) against every background it is drawn on, in both themes: the
//! tests below compute the ratio for each pair.

use egui::{Color32, FontId, TextStyle};
use std::cell::Cell;

pub const ACCENT: Color32 = Color32::from_rgb(0x0B, 0x5C, 0xAD);
pub const ACCENT_DARK: Color32 = Color32::from_rgb(0x5A, 0xA9, 0xF0);

/// A colour with a meaning (good, warning, bad, muted), used for text and marks. It is put into
/// a colour for the theme being drawn when it is used (`RichText::color(theme::WARN)`), so one
/// name reads well on a light and a dark background alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Warn,
    Bad,
    /// Secondary text ("–", already imported): the theme's weak text colour.
    Muted,
}

pub const GOOD: Tone = Tone::Good;
pub const WARN: Tone = Tone::Warn;
pub const BAD: Tone = Tone::Bad;
pub const MUTED: Tone = Tone::Muted;

/// The colours of one theme.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Palette {
    pub dark: bool,
    pub text: Color32,
    pub weak: Color32,
    pub link: Color32,
    pub accent: Color32,
    pub good: Color32,
    pub warn: Color32,
    pub bad: Color32,
    /// Behind the pages.
    pub panel: Color32,
    /// Behind dialogs and menus.
    pub window: Color32,
    /// Cards and tables (egui's `extreme_bg_color`).
    pub card: Color32,
    /// Text fields.
    pub field: Color32,
    /// Selected items, the filled part of a progress bar.
    pub selection_bg: Color32,
    /// Text on a selected item and on a progress bar.
    pub selection_text: Color32,
}

pub const LIGHT: Palette = Palette {
    dark: false,
    text: Color32::from_gray(0x2A),
    weak: Color32::from_gray(0x66),
    link: ACCENT,
    accent: ACCENT,
    good: Color32::from_rgb(0x1B, 0x73, 0x40),
    warn: Color32::from_rgb(0x8F, 0x52, 0x00),
    bad: Color32::from_rgb(0xB3, 0x26, 0x1E),
    panel: Color32::from_rgb(0xF7, 0xF8, 0xFA),
    window: Color32::from_gray(0xF8),
    card: Color32::WHITE,
    field: Color32::from_rgb(0xEE, 0xF1, 0xF5),
    selection_bg: Color32::from_rgb(0xC9, 0xE0, 0xF7),
    selection_text: Color32::from_rgb(0x08, 0x4A, 0x8C),
};

pub const DARK: Palette = Palette {
    dark: true,
    text: Color32::from_gray(0xC8),
    weak: Color32::from_gray(0x96),
    link: ACCENT_DARK,
    accent: ACCENT_DARK,
    good: Color32::from_rgb(0x5C, 0xC9, 0x8A),
    warn: Color32::from_rgb(0xF0, 0xB4, 0x4C),
    bad: Color32::from_rgb(0xFF, 0x7B, 0x72),
    panel: Color32::from_gray(0x1B),
    window: Color32::from_gray(0x1B),
    card: Color32::from_gray(0x0A),
    field: Color32::from_rgb(0x14, 0x16, 0x1A),
    selection_bg: Color32::from_rgb(0x1A, 0x45, 0x70),
    selection_text: Color32::from_rgb(0xD0, 0xE6, 0xFF),
};

impl Palette {
    pub fn of(dark: bool) -> &'static Palette {
        if dark { &DARK } else { &LIGHT }
    }

    pub fn tone(&self, t: Tone) -> Color32 {
        match t {
            Tone::Good => self.good,
            Tone::Warn => self.warn,
            Tone::Bad => self.bad,
            Tone::Muted => self.weak,
        }
    }

    /// The backgrounds text is drawn on: pages, dialogs, cards, striped table rows.
    pub fn backgrounds(&self) -> [(&'static str, Color32); 4] {
        [("panel", self.panel), ("window", self.window), ("card", self.card), ("stripe", stripe(self))]
    }
}

/// A striped table row: egui adds a faint light over the card.
fn stripe(p: &Palette) -> Color32 {
    let f = |c: u8| c.saturating_add(5);
    Color32::from_rgb(f(p.card.r()), f(p.card.g()), f(p.card.b()))
}

/// Badge fills (status, outcome) under white text: the same in both themes.
pub fn badge_fill(t: Tone) -> Color32 {
    match t {
        Tone::Good => LIGHT.good,
        Tone::Warn => LIGHT.warn,
        Tone::Bad => LIGHT.bad,
        Tone::Muted => Color32::from_gray(0x5A),
    }
}

thread_local! {
    /// The theme of the frame being drawn on this thread (set by [`apply`] and [`follow`]).
    static DARK_NOW: Cell<bool> = const { Cell::new(false) };
}

/// The palette of the frame being drawn.
pub fn current() -> &'static Palette {
    Palette::of(DARK_NOW.with(Cell::get))
}

impl From<Tone> for Color32 {
    fn from(t: Tone) -> Color32 {
        current().tone(t)
    }
}

/// Notes the theme of the frame about to be drawn (cheap: one flag), so that tones resolve for it.
pub fn follow(ctx: &egui::Context) {
    let dark = ctx.theme() == egui::Theme::Dark;
    DARK_NOW.with(|d| d.set(dark));
}

/// Applies theme and scale; called only when they change, not every frame.
pub fn apply(ctx: &egui::Context, dark: bool, scale: f32) {
    ctx.set_theme(if dark { egui::Theme::Dark } else { egui::Theme::Light });
    DARK_NOW.with(|d| d.set(dark));
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (TextStyle::Heading, FontId::proportional(22.0)),
            (TextStyle::Body, FontId::proportional(15.0)),
            (TextStyle::Monospace, FontId::monospace(14.0)),
            (TextStyle::Button, FontId::proportional(15.0)),
            (TextStyle::Small, FontId::proportional(12.5)),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 7.0);
        style.spacing.button_padding = egui::vec2(10.0, 5.0);
        style.spacing.interact_size.y = 26.0;
    });
    for (theme, p) in [(egui::Theme::Light, &LIGHT), (egui::Theme::Dark, &DARK)] {
        ctx.style_mut_of(theme, |s| {
            let v = &mut s.visuals;
            v.widgets.noninteractive.fg_stroke.color = p.text;
            v.weak_text_color = Some(p.weak);
            v.hyperlink_color = p.link;
            v.panel_fill = p.panel;
            v.window_fill = p.window;
            v.extreme_bg_color = p.card;
            v.text_edit_bg_color = Some(p.field);
            v.selection.bg_fill = p.selection_bg;
            v.selection.stroke.color = p.selection_text;
            v.warn_fg_color = p.warn;
            v.error_fg_color = p.bad;
            if !p.dark {
                // Text fields must stand out on white cards.
                v.widgets.inactive.bg_stroke = egui::Stroke::new(1.0, Color32::from_rgb(0xC5, 0xCC, 0xD6));
            }
        });
    }
    ctx.set_zoom_factor(scale);
}

pub fn accent(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode { ACCENT_DARK } else { ACCENT }
}

/// A section heading in the accent colour.
pub fn section(ui: &mut egui::Ui, text: &str) {
    ui.add_space(6.0);
    ui.label(egui::RichText::new(text).strong().size(16.0).color(accent(ui)));
}

/// A panel's frame without its fill. The window is cleared to the panel colour
/// ([`clear_color`]), so the fill would only paint the same colour again over the whole window,
/// and a software renderer (an old laptop's basic display driver, a remote desktop, Xvfb) blends
/// every pixel it paints: a full-window fill is about a third of such a frame's time.
pub fn unfilled(frame: egui::Frame) -> egui::Frame {
    frame.fill(Color32::TRANSPARENT)
}

/// The colour the window is cleared to: the panels' colour (see [`unfilled`]).
pub fn clear_color(v: &egui::Visuals) -> [f32; 4] {
    v.panel_fill.to_normalized_gamma_f32()
}

/// A card: a framed group with some air. Its border sets it apart; it has no fill of its own
/// (the panel's colour shows through), for the same reason as [`unfilled`].
pub fn card<R>(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    egui::Frame::group(ui.style())
        .fill(Color32::TRANSPARENT)
        .corner_radius(6.0)
        .inner_margin(12.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            // Left-aligned, never justified (wrapped text in a justified column spreads out).
            ui.with_layout(egui::Layout::top_down(egui::Align::Min), add).inner
        })
        .inner
}

fn rgb(c: Color32) -> [u8; 3] {
    [c.r(), c.g(), c.b()]
}

/// WCAG 2 relative luminance of an opaque colour (sRGB).
pub fn luminance(c: Color32) -> f64 {
    crate::colour::luminance(rgb(c))
}

/// WCAG 2 contrast ratio of two opaque colours: 1.0 (none) to 21.0 (black on white).
pub fn contrast(a: Color32, b: Color32) -> f64 {
    crate::colour::contrast(rgb(a), rgb(b))
}

/// Black or white, whichever reads better on `fill` (at least 4.58:1 on any colour).
pub fn text_on(fill: Color32) -> Color32 {
    let [r, g, b] = crate::colour::text_on(rgb(fill));
    Color32::from_rgb(r, g, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AA: f64 = 4.5;

    /// Every text colour the theme draws, with the backgrounds it is drawn on, read back from
    /// egui's style after [`apply`] (so a colour egui picks itself is checked too).
    fn pairs(dark: bool) -> Vec<(String, Color32, Color32)> {
        let ctx = egui::Context::default();
        apply(&ctx, dark, 1.0);
        let theme = if dark { egui::Theme::Dark } else { egui::Theme::Light };
        let style = ctx.style_of(theme);
        let v = &style.visuals;
        let p = Palette::of(dark);
        assert_eq!(v.dark_mode, dark);
        let mut out = Vec::new();
        let mut texts: Vec<(String, Color32)> = vec![
            ("text".into(), v.text_color()),
            ("weak text".into(), v.weak_text_color()),
            ("strong text".into(), v.strong_text_color()),
            ("link".into(), v.hyperlink_color),
            ("accent".into(), if dark { ACCENT_DARK } else { ACCENT }),
            ("warning".into(), v.warn_fg_color),
            ("error".into(), v.error_fg_color),
        ];
        for t in [Tone::Good, Tone::Warn, Tone::Bad, Tone::Muted] {
            texts.push((format!("{t:?}"), p.tone(t)));
        }
        for (name, fg) in &texts {
            for (bg_name, bg) in p.backgrounds() {
                out.push((format!("{name} on {bg_name}"), *fg, bg));
            }
        }
        // Typed and hint text in fields.
        for (name, fg) in [("text", v.text_color()), ("weak text", v.weak_text_color())] {
            out.push((format!("{name} in a field"), fg, v.text_edit_bg_color()));
        }
        // Selected items and progress bars (their text is the selection colour, on the filled
        // and the empty part of the bar).
        out.push(("selected text".into(), v.selection.stroke.color, v.selection.bg_fill));
        out.push(("progress text on the empty bar".into(), v.selection.stroke.color, v.extreme_bg_color));
        out.push(("text on a selection".into(), v.text_color(), v.selection.bg_fill));
        // Buttons in each state.
        for (name, w) in [
            ("button", &v.widgets.inactive),
            ("hovered button", &v.widgets.hovered),
            ("pressed button", &v.widgets.active),
            ("open menu button", &v.widgets.open),
        ] {
            out.push((name.into(), w.text_color(), w.weak_bg_fill));
        }
        // Badges: white on their fill.
        for t in [Tone::Good, Tone::Warn, Tone::Bad, Tone::Muted] {
            out.push((format!("badge {t:?}"), Color32::WHITE, badge_fill(t)));
        }
        out.push(("badge imported".into(), Color32::WHITE, ACCENT));
        out
    }

    #[test]
    fn every_text_colour_reaches_aa_on_its_backgrounds_in_both_themes() {
        let mut failures = Vec::new();
        for dark in [false, true] {
            for (name, fg, bg) in pairs(dark) {
                assert_eq!((fg.a(), bg.a()), (255, 255), "{name}: colours must be opaque to be measured");
                let ratio = contrast(fg, bg);
                if ratio < AA {
                    failures.push(format!("{} {name}: {ratio:.2}:1", if dark { "dark" } else { "light" }));
                }
            }
        }
        assert!(failures.is_empty(), "below 4.5:1: {failures:#?}");
    }

    #[test]
    fn the_old_colours_fail_and_the_ratio_is_computed_as_wcag_does() {
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast(Color32::WHITE, Color32::WHITE) - 1.0).abs() < 1e-9);
        // The colours the issue measured: pale orange scores, amber warnings, dark progress text.
        assert!(contrast(Color32::from_rgb(0xF0, 0xAD, 0x4E), Color32::WHITE) < 2.2);
        assert!(contrast(Color32::from_rgb(0xC7, 0x7C, 0x02), Color32::from_rgb(0xF7, 0xF8, 0xFA)) < 3.5);
        assert!(contrast(Color32::from_rgb(0x5A, 0xA9, 0xF0), Color32::from_rgb(0x1D, 0x4E, 0x80)) < 3.6);
    }

    #[test]
    fn tones_follow_the_theme_being_drawn() {
        let ctx = egui::Context::default();
        apply(&ctx, true, 1.0);
        assert_eq!(Color32::from(WARN), DARK.warn);
        apply(&ctx, false, 1.0);
        follow(&ctx);
        assert_eq!(Color32::from(WARN), LIGHT.warn);
        assert_ne!(LIGHT.warn, DARK.warn);
    }

    #[test]
    fn text_on_any_fill_reaches_aa() {
        for r in (0..=255).step_by(17) {
            for g in (0..=255).step_by(17) {
                for b in (0..=255).step_by(17) {
                    let fill = Color32::from_rgb(r as u8, g as u8, b as u8);
                    assert!(contrast(text_on(fill), fill) >= AA, "{fill:?}");
                }
            }
        }
    }
}
