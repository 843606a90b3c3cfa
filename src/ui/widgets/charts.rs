//! Small charts drawn with egui's painter: a radar of the pillars and horizontal bars.

use super::theme;
use egui::{Color32, Pos2, Shape, Stroke, Vec2, pos2, vec2};

pub const TARGET: Color32 = Color32::from_rgb(0xE0, 0x7B, 0x10);

/// A radar chart: one axis per label, `current` filled, `target` outlined; values in 0..=max.
pub fn radar(ui: &mut egui::Ui, size: f32, labels: &[String], current: &[f64], target: &[f64], max: f64) {
    let width = ui.available_width().max(size);
    let (rect, _) = ui.allocate_exact_size(vec2(width, size), egui::Sense::hover());
    let painter = ui.painter_at(rect);
    let center = rect.center();
    // Leave room for the axis labels on either side.
    let label_w = (width * 0.28).clamp(80.0, 170.0);
    let radius = (size * 0.36).min(width / 2.0 - label_w - 8.0).max(40.0);
    let n = labels.len().max(3);
    let grid = ui.visuals().widgets.noninteractive.bg_stroke.color;
    let point = |i: usize, v: f64| -> Pos2 {
        let angle = -std::f32::consts::FRAC_PI_2 + i as f32 * std::f32::consts::TAU / n as f32;
        let r = radius * (v / max).clamp(0.0, 1.0) as f32;
        center + Vec2::angled(angle) * r
    };
    for ring in 1..=4 {
        let pts: Vec<Pos2> = (0..n).map(|i| point(i, max * ring as f64 / 4.0)).collect();
        painter.add(Shape::closed_line(pts, Stroke::new(1.0, grid)));
    }
    for (i, label) in labels.iter().enumerate() {
        painter.line_segment([center, point(i, max)], Stroke::new(1.0, grid));
        let p = point(i, max * 1.12);
        let galley =
            painter.layout(label.clone(), egui::FontId::proportional(13.0), ui.visuals().text_color(), label_w);
        let sz = galley.size();
        let pos = if (p.x - center.x).abs() < 4.0 {
            // Above or below the chart.
            if p.y < center.y { p - vec2(sz.x / 2.0, sz.y) } else { p - vec2(sz.x / 2.0, 0.0) }
        } else if p.x > center.x {
            p - vec2(0.0, sz.y / 2.0)
        } else {
            p - vec2(sz.x, sz.y / 2.0)
        };
        painter.galley(pos, galley, ui.visuals().text_color());
    }
    let accent = theme::accent(ui);
    let poly = |values: &[f64]| -> Vec<Pos2> { values.iter().enumerate().map(|(i, v)| point(i, *v)).collect() };
    if target.len() == n {
        painter.add(Shape::closed_line(poly(target), Stroke::new(2.0, TARGET)));
    }
    if current.len() == n {
        let pts = poly(current);
        painter.add(Shape::convex_polygon(pts.clone(), accent.gamma_multiply(0.25), Stroke::NONE));
        painter.add(Shape::closed_line(pts.clone(), Stroke::new(2.5, accent)));
        for p in pts {
            painter.circle_filled(p, 3.5, accent);
        }
    }
}

/// A legend swatch followed by its label.
pub fn legend(ui: &mut egui::Ui, color: Color32, label: &str) {
    ui.horizontal(|ui| {
        let (r, _) = ui.allocate_exact_size(vec2(14.0, 14.0), egui::Sense::hover());
        ui.painter().rect_filled(r.shrink(2.0), 2.0, color);
        ui.label(egui::RichText::new(label).small());
    });
}

/// Horizontal bars: label, bar scaled to `max`, value text.
pub fn bars(ui: &mut egui::Ui, items: &[(String, f64, Color32)], max: f64, label_width: f32) {
    let width = ui.available_width();
    for (label, value, color) in items {
        let (rect, resp) = ui.allocate_exact_size(vec2(width, 22.0), egui::Sense::hover());
        let painter = ui.painter_at(rect);
        painter.text(
            pos2(rect.left(), rect.center().y),
            egui::Align2::LEFT_CENTER,
            label,
            egui::FontId::proportional(13.0),
            ui.visuals().text_color(),
        );
        let bar_left = rect.left() + label_width;
        let bar_max = (rect.right() - bar_left - 40.0).max(10.0);
        let w = bar_max * (value / max).clamp(0.0, 1.0) as f32;
        let bar = egui::Rect::from_min_size(pos2(bar_left, rect.top() + 4.0), vec2(w.max(2.0), 14.0));
        painter.rect_filled(bar, 3.0, *color);
        painter.text(
            pos2(bar.right() + 6.0, rect.center().y),
            egui::Align2::LEFT_CENTER,
            format!("{value:.0}"),
            egui::FontId::proportional(13.0),
            ui.visuals().text_color(),
        );
        resp.on_hover_text(label);
    }
}

/// Red (low) to amber to green (high) for a 0-100 score.
pub fn score_color(score: f64) -> Color32 {
    let t = (score / 100.0).clamp(0.0, 1.0) as f32;
    let lerp = |a: Color32, b: Color32, t: f32| {
        Color32::from_rgb(
            (a.r() as f32 + (b.r() as f32 - a.r() as f32) * t) as u8,
            (a.g() as f32 + (b.g() as f32 - a.g() as f32) * t) as u8,
            (a.b() as f32 + (b.b() as f32 - a.b() as f32) * t) as u8,
        )
    };
    let (red, amber, green) =
        (Color32::from_rgb(0xD9, 0x53, 0x4F), Color32::from_rgb(0xF0, 0xAD, 0x4E), Color32::from_rgb(0x3C, 0x9D, 0x5D));
    if t < 0.5 { lerp(red, amber, t * 2.0) } else { lerp(amber, green, (t - 0.5) * 2.0) }
}
