//! A small theme: readable type, one accent colour, light and dark.

use egui::{Color32, FontId, TextStyle};

pub const ACCENT: Color32 = Color32::from_rgb(0x0B, 0x5C, 0xAD);
pub const ACCENT_DARK: Color32 = Color32::from_rgb(0x5A, 0xA9, 0xF0);
pub const GOOD: Color32 = Color32::from_rgb(0x2E, 0x8B, 0x57);
pub const WARN: Color32 = Color32::from_rgb(0xC7, 0x7C, 0x02);
pub const BAD: Color32 = Color32::from_rgb(0xC0, 0x39, 0x2B);

/// Applies theme and scale; called only when they change, not every frame.
pub fn apply(ctx: &egui::Context, dark: bool, scale: f32) {
    ctx.set_theme(if dark { egui::Theme::Dark } else { egui::Theme::Light });
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
    ctx.style_mut_of(egui::Theme::Light, |s| {
        s.visuals.selection.bg_fill = Color32::from_rgb(0xB4, 0xD3, 0xF2);
        s.visuals.selection.stroke.color = ACCENT;
        s.visuals.hyperlink_color = ACCENT;
        s.visuals.panel_fill = Color32::from_rgb(0xF7, 0xF8, 0xFA);
        // Text fields must stand out on white cards.
        s.visuals.text_edit_bg_color = Some(Color32::from_rgb(0xEE, 0xF1, 0xF5));
        s.visuals.widgets.inactive.bg_stroke = egui::Stroke::new(1.0, Color32::from_rgb(0xC5, 0xCC, 0xD6));
    });
    ctx.style_mut_of(egui::Theme::Dark, |s| {
        s.visuals.selection.bg_fill = Color32::from_rgb(0x1D, 0x4E, 0x80);
        s.visuals.selection.stroke.color = ACCENT_DARK;
        s.visuals.hyperlink_color = ACCENT_DARK;
        s.visuals.text_edit_bg_color = Some(Color32::from_rgb(0x14, 0x16, 0x1A));
    });
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

/// A card: a framed group with some air.
pub fn card<R>(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    egui::Frame::group(ui.style())
        .fill(ui.visuals().extreme_bg_color)
        .corner_radius(6.0)
        .inner_margin(12.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            // Left-aligned, never justified (wrapped text in a justified column spreads out).
            ui.with_layout(egui::Layout::top_down(egui::Align::Min), add).inner
        })
        .inner
}
