//! Small charts drawn with egui's painter: a radar of the pillars and horizontal bars.

use super::theme;
use crate::lang::Lang;
use egui::{Color32, Pos2, Shape, Stroke, Vec2, pos2, vec2};

pub const TARGET: Color32 = Color32::from_rgb(0xE0, 0x7B, 0x10);
/// The sub-region's outline on the radar (purple: apart from the accent blue and target orange).
pub const SUBREGION: Color32 = Color32::from_rgb(0x9B, 0x59, 0xB6);

/// A radar chart: one axis per label, `current` filled, `target` outlined; values in 0..=max.
/// Comparison series drawn as dashed outlines (e.g. the sub-region and the region from the
/// Secretariat's feedback): colour, values (one per axis), dash length.
pub type RadarSeries = (Color32, Vec<f64>, f32);

pub fn radar(
    ui: &mut egui::Ui,
    size: f32,
    labels: &[String],
    current: &[f64],
    target: &[f64],
    others: &[RadarSeries],
    max: f64,
) {
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
    for (color, values, dash) in others {
        if values.len() == n {
            let mut pts = poly(values);
            pts.push(pts[0]);
            painter.extend(Shape::dashed_line(&pts, Stroke::new(2.0, *color), *dash, 4.0));
        }
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
    // The labels never run into the bars: on a narrow screen they take at most half the width,
    // cut with "…" (the whole label shows on hover).
    let label_width = label_width.min(width * 0.5);
    for (label, value, color) in items {
        let (rect, resp) = ui.allocate_exact_size(vec2(width, 22.0), egui::Sense::hover());
        let painter = ui.painter_at(rect);
        let mut job = egui::text::LayoutJob::simple_singleline(
            label.clone(),
            egui::FontId::proportional(13.0),
            ui.visuals().text_color(),
        );
        job.wrap = egui::text::TextWrapping::truncate_at_width(label_width - 10.0);
        let galley = painter.layout_job(job);
        let at = pos2(rect.left(), rect.center().y - galley.size().y / 2.0);
        painter.galley(at, galley, ui.visuals().text_color());
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

/// The colour of a 0-100 score shown as text: bad below 40, warning below 70, good from 70 (a
/// [`theme::Tone`], so it reads at 4.5:1 or better in either theme; the number says the rest).
pub fn score_color(score: f64) -> theme::Tone {
    if score < 40.0 {
        theme::BAD
    } else if score < 70.0 {
        theme::WARN
    } else {
        theme::GOOD
    }
}

pub use crate::colour::HEAT_STOPS;

/// The heat-map colour of `t` in 0..=1 (`crate::colour`, shared with the printed reports).
pub fn heat(t: f32) -> Color32 {
    let [r, g, b] = crate::colour::heat(t);
    Color32::from_rgb(r, g, b)
}

/// One cell of a heat map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HeatCell {
    /// A score, 0-100.
    Score(f64),
    /// Answered "insufficient information" (scored 0, but not a measured 0).
    Insufficient,
    /// Not applicable to this member.
    NotApplicable,
    /// No return (or nothing answered).
    Missing,
}

/// Draws one cell: a colour and its value, or a distinct mark for the other cases. Returns the
/// cell's words for its tooltip.
pub fn heat_cell(ui: &egui::Ui, painter: &egui::Painter, r: egui::Rect, cell: HeatCell, t: Lang) -> String {
    let font = egui::FontId::proportional(12.0);
    let v = ui.visuals();
    match cell {
        HeatCell::Score(s) => {
            let fill = heat((s / 100.0) as f32);
            painter.rect_filled(r, 2.0, fill);
            painter.text(r.center(), egui::Align2::CENTER_CENTER, format!("{s:.0}"), font, theme::text_on(fill));
            format!("{s:.0}")
        }
        HeatCell::Insufficient => {
            // Hatched, with a question mark: never a plain 0.
            painter.rect_filled(r, 2.0, v.extreme_bg_color);
            let hatch = egui::Stroke::new(1.0, Color32::from(theme::WARN).gamma_multiply(0.6));
            let clip = painter.with_clip_rect(r);
            let mut x = r.left() - r.height();
            while x < r.right() {
                clip.line_segment([pos2(x, r.bottom()), pos2(x + r.height(), r.top())], hatch);
                x += 6.0;
            }
            painter.rect_stroke(r, 2.0, egui::Stroke::new(1.0, theme::WARN), egui::StrokeKind::Inside);
            // The mark sits on a plain patch so that it reads at full contrast over the hatching.
            painter.rect_filled(egui::Rect::from_center_size(r.center(), vec2(14.0, 15.0)), 2.0, v.extreme_bg_color);
            painter.text(
                r.center(),
                egui::Align2::CENTER_CENTER,
                "?",
                egui::FontId::proportional(14.0),
                Color32::from(theme::WARN),
            );
            t.t("heat.insufficient").to_string()
        }
        HeatCell::NotApplicable => {
            painter.rect_stroke(
                r.shrink(1.0),
                2.0,
                egui::Stroke::new(1.0, v.weak_text_color()),
                egui::StrokeKind::Inside,
            );
            painter.text(r.center(), egui::Align2::CENTER_CENTER, t.t("heat.na"), font, v.weak_text_color());
            t.t("heat.na_long").to_string()
        }
        HeatCell::Missing => {
            painter.text(r.center(), egui::Align2::CENTER_CENTER, "–", font, v.weak_text_color());
            t.t("heat.missing").to_string()
        }
    }
}

/// The heat map's legend: the scale from 0 to 100, then the marks for the other cells.
pub fn heat_legend(ui: &mut egui::Ui, t: Lang) {
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new(t.t("heat.scale")).small());
        ui.label(egui::RichText::new("0").small());
        let (rect, _) = ui.allocate_exact_size(vec2(160.0, 14.0), egui::Sense::hover());
        let painter = ui.painter_at(rect);
        let steps = 32;
        let w = rect.width() / steps as f32;
        for i in 0..steps {
            let r = egui::Rect::from_min_size(pos2(rect.left() + i as f32 * w, rect.top()), vec2(w + 0.5, 14.0));
            painter.rect_filled(r, 0.0, heat(i as f32 / (steps - 1) as f32));
        }
        ui.label(egui::RichText::new("100").small());
        ui.add_space(12.0);
        for (cell, key) in [
            (HeatCell::Insufficient, "heat.insufficient"),
            (HeatCell::NotApplicable, "heat.na_long"),
            (HeatCell::Missing, "heat.missing"),
        ] {
            let (rect, _) = ui.allocate_exact_size(vec2(34.0, 20.0), egui::Sense::hover());
            let painter = ui.painter_at(rect.expand(1.0));
            heat_cell(ui, &painter, rect, cell, t);
            ui.label(egui::RichText::new(t.t(key)).small());
            ui.add_space(8.0);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heat_scale_is_ordered_by_lightness_and_its_numbers_read_at_aa() {
        let mut last = -1.0;
        for i in 0..=100 {
            let fill = heat(i as f32 / 100.0);
            let l = theme::luminance(fill);
            assert!(l > last, "lightness must rise with the score (a scale read without hue): {i}");
            last = l;
            let ratio = theme::contrast(theme::text_on(fill), fill);
            assert!(ratio >= 4.5, "score {i}: {ratio:.2}:1");
        }
    }

    #[test]
    fn the_heat_scale_has_no_red_or_green_end() {
        for t in [0.0, 1.0] {
            let c = heat(t);
            // Low is blue, high is yellow: the two ends differ in blue, not in red against green.
            assert!(c.r().abs_diff(c.g()) < 0x50, "{c:?}");
        }
        assert!(heat(0.0).b() > heat(0.0).r() && heat(1.0).b() < heat(1.0).r());
    }

    #[test]
    fn score_text_colours_reach_aa_in_both_themes() {
        for dark in [false, true] {
            let p = theme::Palette::of(dark);
            for s in [0.0, 39.0, 40.0, 69.0, 70.0, 100.0] {
                for (_, bg) in p.backgrounds() {
                    assert!(theme::contrast(p.tone(score_color(s)), bg) >= 4.5, "{s} dark={dark}");
                }
            }
        }
    }
}
