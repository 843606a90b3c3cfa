//! Charts: bars, radar and heat map, laid out as drawing operations.

use super::fonts::Weight;
use super::layout::{Align, Layout, Op, baseline, style};
use super::*;

pub(super) fn is_whole(v: f64) -> bool {
    (v - v.round()).abs() < 0.005
}

/// Numbers as printed on charts: whole numbers without decimals, others with one.
pub(super) fn fmt_num(v: f64) -> String {
    fmt_fixed(v, !is_whole(v))
}

/// A number with one decimal or none, so that the values of one chart line up alike.
pub(super) fn fmt_fixed(v: f64, decimal: bool) -> String {
    match (v.is_finite(), decimal) {
        (false, _) => "–".to_string(),
        (true, true) => format!("{v:.1}"),
        (true, false) => format!("{:.0}", v.round()),
    }
}

/// A usable chart maximum: the given one, or the largest value, or 1.
pub(super) fn chart_max(max: f64, values: impl Iterator<Item = f64>) -> f64 {
    if max.is_finite() && max > 0.0 {
        return max;
    }
    let largest = values.filter(|v| v.is_finite()).fold(0.0_f64, f64::max);
    if largest > 0.0 { largest } else { 1.0 }
}

/// Scale steps from 0 to `max`: one per unit for small whole scales (0..5), else quarters.
pub(super) fn ticks(max: f64) -> Vec<f64> {
    let steps = if max.fract() == 0.0 && (1.0..=10.0).contains(&max) { max as usize } else { 4 };
    (0..=steps).map(|i| max * i as f64 / steps as f64).collect()
}

/// Fraction of `max` clamped to 0..=1 (missing or broken values count as 0).
pub(super) fn fraction(v: f64, max: f64) -> f32 {
    if v.is_finite() { (v / max).clamp(0.0, 1.0) as f32 } else { 0.0 }
}

/// Heat-map colour for `t` in 0..=1: the window's scale (`crate::colour`).
pub(super) fn heat(t: f32) -> Rgb {
    let [r, g, b] = crate::colour::heat(t);
    Rgb(r, g, b)
}

/// Black text or white, whichever reads better on the cell (at least 4.58:1 on any colour; the
/// softer ink of the body text would fall to 3.9:1 on the middle greys).
pub(super) fn text_on(c: Rgb) -> Rgb {
    let [r, g, b] = crate::colour::text_on([c.0, c.1, c.2]);
    Rgb(r, g, b)
}

impl Layout<'_> {
    /// Horizontal bars: wrapped labels on the left, bars on a 0..max scale with light grid
    /// lines, the value printed just after each bar and the scale underneath.
    pub(super) fn bars(&mut self, title: &str, items: &[(String, f64)], max: f64) {
        const SIZE: f32 = 9.0;
        const LEAD: f32 = 11.0;
        const BAR_H: f32 = 11.0;
        const ROW_GAP: f32 = 6.0;
        let max = chart_max(max, items.iter().map(|(_, v)| *v));
        let decimal = items.iter().any(|(_, v)| v.is_finite() && !is_whole(*v));
        let widest = items.iter().map(|(l, _)| self.fonts.width(l, Weight::Regular, SIZE)).fold(0.0, f32::max);
        let label_w = (widest + 14.0).clamp(WIDTH * 0.22, WIDTH * 0.4);
        let value_w = items
            .iter()
            .map(|(_, v)| self.fonts.width(&fmt_fixed(*v, decimal), Weight::Bold, 8.5))
            .fold(self.fonts.width(&fmt_num(max), Weight::Bold, 8.5), f32::max)
            + 10.0;
        let x0 = LEFT + label_w;
        let bar_w = (WIDTH - label_w - value_w).max(WIDTH * 0.25);
        let labels: Vec<Vec<String>> =
            items.iter().map(|(l, _)| self.fonts.wrap(l, Weight::Regular, SIZE, label_w - 12.0)).collect();
        let heights: Vec<f32> = labels.iter().map(|l| (l.len() as f32 * LEAD).max(BAR_H) + ROW_GAP).collect();
        let scale = ticks(max);
        let total = self.caption_height(title) + heights.iter().sum::<f32>() + 18.0;

        self.gap(10.0);
        self.ensure(total.min(BODY_H));
        self.caption(title);
        if items.is_empty() {
            return;
        }
        self.y += 2.0;
        for (((_, value), label), height) in items.iter().zip(&labels).zip(&heights) {
            self.ensure(*height);
            let top = self.y;
            let inner = height - ROW_GAP;
            for t in &scale {
                let x = x0 + bar_w * fraction(*t, max);
                self.line((x, top - ROW_GAP / 2.0), (x, top + height - ROW_GAP / 2.0), 0.5, FAINT);
            }
            self.line((x0, top - ROW_GAP / 2.0), (x0, top + height - ROW_GAP / 2.0), 0.8, GRID);
            let text_top = top + (inner - label.len() as f32 * LEAD) / 2.0;
            for (i, line) in label.iter().enumerate() {
                let y = baseline(text_top + i as f32 * LEAD, LEAD, SIZE);
                self.text(LEFT, y, line, style(Weight::Regular, SIZE, INK), Align::Left);
            }
            let bar_y = top + (inner - BAR_H) / 2.0;
            let len = bar_w * fraction(*value, max);
            if len > 0.0 {
                self.rect(x0, bar_y, len, BAR_H, ACCENT);
            }
            let y = baseline(bar_y, BAR_H, 8.5);
            self.text(x0 + len + 4.0, y, &fmt_fixed(*value, decimal), style(Weight::Bold, 8.5, INK), Align::Left);
            self.y += height;
        }
        self.ensure(14.0);
        let y = baseline(self.y - 2.0, 12.0, 7.5);
        for t in &scale {
            let x = x0 + bar_w * fraction(*t, max);
            self.text(x, y, &fmt_num(*t), style(Weight::Regular, 7.5, MUTED), Align::Center);
        }
        self.y += 12.0;
        self.gap(10.0);
    }

    /// Radar chart: rings at each scale step, one spoke per axis with its label outside the
    /// outer ring, the first series filled translucent and the others outlined, and a legend.
    pub(super) fn radar(&mut self, title: &str, axes: &[String], series: &[(String, Vec<f64>)], max: f64) {
        const RADIUS: f32 = 100.0;
        const SIZE: f32 = 8.5;
        const LEAD: f32 = 10.5;
        const LABEL_W: f32 = 118.0;
        const LABEL_GAP: f32 = 9.0;
        let max = chart_max(max, series.iter().flat_map(|(_, v)| v.iter().copied()));
        let n = axes.len();
        let caption_h = self.caption_height(title);
        if n == 0 {
            self.gap(10.0);
            self.ensure(caption_h);
            self.caption(title);
            return;
        }
        let angle = |i: usize| -std::f32::consts::FRAC_PI_2 + i as f32 * std::f32::consts::TAU / n as f32;
        let labels: Vec<Vec<String>> =
            axes.iter().map(|a| self.fonts.wrap(a, Weight::Regular, SIZE, LABEL_W)).collect();

        // Where each label block sits relative to the centre, to know the chart's full height.
        let blocks: Vec<(f32, f32, f32, Align)> = labels
            .iter()
            .enumerate()
            .map(|(i, lines)| {
                let (sin, cos) = angle(i).sin_cos();
                let ax = cos * (RADIUS + LABEL_GAP);
                let ay = sin * (RADIUS + LABEL_GAP);
                let h = lines.len() as f32 * LEAD;
                let top = if sin < -0.3 {
                    ay - h
                } else if sin > 0.3 {
                    ay
                } else {
                    ay - h / 2.0
                };
                let align = if cos > 0.3 {
                    Align::Left
                } else if cos < -0.3 {
                    Align::Right
                } else {
                    Align::Center
                };
                (ax, top, h, align)
            })
            .collect();
        let above = blocks.iter().map(|b| -b.1).fold(RADIUS, f32::max);
        let below = blocks.iter().map(|b| b.1 + b.2).fold(RADIUS, f32::max);
        let legend_h = if series.is_empty() { 0.0 } else { 22.0 };
        let total = caption_h + above + below + legend_h + 12.0;

        self.gap(10.0);
        self.ensure(total.min(BODY_H));
        self.caption(title);
        let cx = LEFT + WIDTH / 2.0;
        let cy = self.y + 6.0 + above;
        let point = |i: usize, r: f32| {
            let (sin, cos) = angle(i).sin_cos();
            (cx + cos * r, cy + sin * r)
        };

        let scale = ticks(max);
        for (k, t) in scale.iter().enumerate().skip(1) {
            let r = RADIUS * fraction(*t, max);
            let points: Vec<(f32, f32)> = (0..n).map(|i| point(i, r)).collect();
            let width = if k + 1 == scale.len() { 0.9 } else { 0.5 };
            self.push(Op::Polygon { points, fill: None, stroke: Some((GRID, width)) });
        }
        for i in 0..n {
            self.line((cx, cy), point(i, RADIUS), 0.5, GRID);
        }
        for t in scale.iter().skip(1) {
            let r = RADIUS * fraction(*t, max);
            self.text(cx + 3.0, cy - r + 7.5, &fmt_num(*t), style(Weight::Regular, 6.5, MUTED), Align::Left);
        }

        for (k, (_, values)) in series.iter().enumerate() {
            let color = SERIES[k % SERIES.len()];
            let points: Vec<(f32, f32)> =
                (0..n).map(|i| point(i, RADIUS * fraction(values.get(i).copied().unwrap_or(0.0), max))).collect();
            let fill = (k == 0).then_some((color, 0.22));
            self.push(Op::Polygon { points: points.clone(), fill, stroke: Some((color, 1.6)) });
            for (x, y) in points {
                self.push(Op::Dot { x, y, r: 2.2, color });
            }
        }

        for (lines, (ax, top, _, align)) in labels.iter().zip(&blocks) {
            for (j, line) in lines.iter().enumerate() {
                let y = baseline(cy + top + j as f32 * LEAD, LEAD, SIZE);
                self.text(cx + ax, y, line, style(Weight::Regular, SIZE, SOFT_INK), *align);
            }
        }
        self.y = cy + below + 10.0;

        let entries: Vec<(&str, Rgb, bool)> =
            series.iter().enumerate().map(|(k, (name, _))| (name.as_str(), SERIES[k % SERIES.len()], k == 0)).collect();
        self.legend(&entries);
        self.gap(10.0);
    }

    /// A centred row of swatches with series names: filled swatch for a filled series, outlined
    /// swatch for an outlined one.
    pub(super) fn legend(&mut self, entries: &[(&str, Rgb, bool)]) {
        const SIZE: f32 = 8.5;
        const SWATCH: f32 = 9.0;
        if entries.is_empty() {
            return;
        }
        let names: Vec<String> =
            entries.iter().map(|(name, _, _)| self.fonts.ellipsize(name, Weight::Regular, SIZE, 160.0)).collect();
        let widths: Vec<f32> =
            names.iter().map(|n| SWATCH + 5.0 + self.fonts.width(n, Weight::Regular, SIZE)).collect();
        let total = widths.iter().sum::<f32>() + 18.0 * (entries.len() - 1) as f32;
        let mut x = LEFT + ((WIDTH - total) / 2.0).max(0.0);
        let top = self.y;
        for ((name, width), (_, color, filled)) in names.iter().zip(&widths).zip(entries) {
            let (l, t, r, b) = (x, top + 2.0, x + SWATCH, top + 2.0 + SWATCH);
            let points = vec![(l, t), (r, t), (r, b), (l, b)];
            let fill = filled.then_some((*color, 0.22));
            self.push(Op::Polygon { points, fill, stroke: Some((*color, 1.6)) });
            let y = baseline(top, SWATCH + 4.0, SIZE);
            self.text(x + SWATCH + 5.0, y, name, style(Weight::Regular, SIZE, INK), Align::Left);
            x += width + 18.0;
        }
        self.y = top + SWATCH + 8.0;
    }

    /// Heat map: row labels on the left, column labels on top (turned upwards when columns are
    /// narrow), cells coloured red to amber to green with the value printed, blank grey for no
    /// value, and a colour scale underneath.
    pub(super) fn heat_map(
        &mut self,
        title: &str,
        rows: &[String],
        cols: &[String],
        values: &[Vec<Option<f64>>],
        max: f64,
    ) {
        const SIZE: f32 = 8.5;
        const LEAD: f32 = 10.5;
        const COL_SIZE: f32 = 7.5;
        const COL_LEAD: f32 = 9.0;
        const CELL_H: f32 = 18.0;
        let max = chart_max(max, values.iter().flatten().flatten().copied());
        let ncols = cols.len().max(values.iter().map(Vec::len).max().unwrap_or(0));
        let nrows = rows.len().max(values.len());
        let caption_h = self.caption_height(title);
        if ncols == 0 || nrows == 0 {
            self.gap(10.0);
            self.ensure(caption_h);
            self.caption(title);
            return;
        }
        let widest = rows.iter().map(|r| self.fonts.width(r, Weight::Regular, SIZE)).fold(0.0, f32::max);
        let label_w = (widest + 12.0).clamp(WIDTH * 0.18, WIDTH * 0.34);
        let cell_w = ((WIDTH - label_w) / ncols as f32).min(80.0);
        let x0 = LEFT + label_w;

        // Column labels: wrapped on up to three lines when every word fits the column, else
        // turned to read upwards (many or narrow columns).
        let col_text = |c: usize| cols.get(c).map_or("", String::as_str);
        let flat = (0..ncols).all(|c| {
            let text = col_text(c);
            let words_fit =
                text.split_whitespace().all(|w| self.fonts.width(w, Weight::Regular, COL_SIZE) <= cell_w - 4.0);
            words_fit && self.fonts.wrap(text, Weight::Regular, COL_SIZE, cell_w - 4.0).len() <= 3
        });
        let turned = !flat;
        let col_labels: Vec<Vec<String>> = (0..ncols)
            .map(|c| {
                if turned {
                    vec![self.fonts.ellipsize(col_text(c), Weight::Regular, COL_SIZE, 110.0)]
                } else {
                    self.fonts.wrap(col_text(c), Weight::Regular, COL_SIZE, cell_w - 4.0)
                }
            })
            .collect();
        let header_h = if turned {
            col_labels.iter().flatten().map(|l| self.fonts.width(l, Weight::Regular, COL_SIZE)).fold(0.0, f32::max)
                + 8.0
        } else {
            col_labels.iter().map(Vec::len).max().unwrap_or(1) as f32 * COL_LEAD + 5.0
        };
        let row_labels: Vec<Vec<String>> = (0..nrows)
            .map(|r| self.fonts.wrap(rows.get(r).map_or("", String::as_str), Weight::Regular, SIZE, label_w - 10.0))
            .collect();
        let heights: Vec<f32> = row_labels.iter().map(|l| (l.len() as f32 * LEAD + 4.0).max(CELL_H)).collect();
        let total = caption_h + header_h + heights.iter().sum::<f32>() + 28.0;

        self.gap(10.0);
        self.ensure(total.min(BODY_H));
        self.caption(title);
        let draw_header = |this: &mut Self| {
            let bottom = this.y + header_h;
            for (c, lines) in col_labels.iter().enumerate() {
                let centre = x0 + (c as f32 + 0.5) * cell_w;
                if turned {
                    if let Some(line) = lines.first().filter(|l| !l.is_empty()) {
                        let x = centre + COL_SIZE * 0.35;
                        let text = line.clone();
                        let (size, color) = (COL_SIZE, SOFT_INK);
                        this.push(Op::Text {
                            x,
                            y: bottom - 4.0,
                            text,
                            weight: Weight::Regular,
                            size,
                            color,
                            rotate: -90.0,
                        });
                    }
                } else {
                    let top = bottom - 3.0 - lines.len() as f32 * COL_LEAD;
                    for (j, line) in lines.iter().enumerate() {
                        let y = baseline(top + j as f32 * COL_LEAD, COL_LEAD, COL_SIZE);
                        this.text(centre, y, line, style(Weight::Regular, COL_SIZE, SOFT_INK), Align::Center);
                    }
                }
            }
            this.y = bottom;
        };
        draw_header(self);
        for (r, (label, height)) in row_labels.iter().zip(&heights).enumerate() {
            if self.y + height > BOTTOM {
                self.new_page();
                draw_header(self);
            }
            let top = self.y;
            let text_top = top + (height - label.len() as f32 * LEAD) / 2.0;
            for (j, line) in label.iter().enumerate() {
                let y = baseline(text_top + j as f32 * LEAD, LEAD, SIZE);
                self.text(LEFT, y, line, style(Weight::Regular, SIZE, INK), Align::Left);
            }
            for c in 0..ncols {
                let value = values.get(r).and_then(|row| row.get(c)).copied().flatten().filter(|v| v.is_finite());
                let x = x0 + c as f32 * cell_w;
                // Inset cells leave thin white gaps that read as a grid.
                let color = value.map_or(NO_DATA, |v| heat(fraction(v, max)));
                self.rect(x + 0.75, top + 0.75, cell_w - 1.5, height - 1.5, color);
                let y = baseline(top, *height, 8.0);
                match value {
                    Some(v) => {
                        let value_style = style(Weight::Regular, 8.0, text_on(color));
                        self.text(x + cell_w / 2.0, y, &format!("{v:.1}"), value_style, Align::Center);
                    }
                    // No value is marked, never left blank (a blank reads as a missing print).
                    None => self.text(x + cell_w / 2.0, y, "–", style(Weight::Regular, 8.0, INK), Align::Center),
                }
            }
            self.y += height;
        }

        // Colour scale: low to high in ten steps, with the end values.
        self.ensure(22.0);
        let top = self.y + 8.0;
        let y = baseline(top, 8.0, 7.5);
        self.text(x0, y, "0", style(Weight::Regular, 7.5, MUTED), Align::Left);
        let start = x0 + 10.0;
        for step in 0..10 {
            let x = start + step as f32 * 14.0;
            self.rect(x, top, 14.0, 8.0, heat(step as f32 / 9.0));
        }
        self.text(start + 144.0, y, &fmt_num(max), style(Weight::Regular, 7.5, MUTED), Align::Left);
        self.y = top + 8.0;
        self.gap(14.0);
    }
}

#[cfg(test)]
mod heat_tests {
    use super::*;

    fn luminance(c: Rgb) -> f64 {
        crate::colour::luminance([c.0, c.1, c.2])
    }

    fn contrast(a: Rgb, b: Rgb) -> f64 {
        crate::colour::contrast([a.0, a.1, a.2], [b.0, b.1, b.2])
    }

    #[test]
    fn the_printed_heat_scale_is_colour_blind_safe_and_its_numbers_read_at_aa() {
        let mut last = -1.0;
        for i in 0..=100 {
            let c = heat(i as f32 / 100.0);
            let l = luminance(c);
            assert!(l > last, "lightness rises with the value (readable in grey): {i}");
            last = l;
            assert!(contrast(text_on(c), c) >= 4.5, "{i}: {:.2}", contrast(text_on(c), c));
        }
        // Low is blue, high is yellow: never red against green.
        let (lo, hi) = (heat(0.0), heat(1.0));
        assert!(lo.2 > lo.0 && hi.0 > hi.2);
    }
}
