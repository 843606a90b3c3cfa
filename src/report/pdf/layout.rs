//! Layout: blocks to drawing operations, page by page.

use super::fonts::{Fonts, Weight};
use super::*;
use crate::report::doc::{Block, Doc};

/// One drawing operation on a page.
#[derive(Debug, Clone)]
pub(super) enum Op {
    /// `y` is the baseline; `rotate` in degrees around (x, y), negative turns text upwards.
    Text {
        x: f32,
        y: f32,
        text: String,
        weight: Weight,
        size: f32,
        color: Rgb,
        rotate: f32,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: Rgb,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Rgb,
    },
    /// A closed polygon, filled (colour, opacity) and/or outlined (colour, width).
    Polygon {
        points: Vec<(f32, f32)>,
        fill: Option<(Rgb, f32)>,
        stroke: Option<(Rgb, f32)>,
    },
    Dot {
        x: f32,
        y: f32,
        r: f32,
        color: Rgb,
    },
}

/// A heading's place, for the PDF bookmarks.
pub(super) struct Mark {
    pub(super) level: u8,
    pub(super) title: String,
    pub(super) page: usize,
    pub(super) y: f32,
}

/// How a piece of text is set.
#[derive(Clone, Copy)]
pub(super) struct Style {
    pub(super) weight: Weight,
    pub(super) size: f32,
    pub(super) color: Rgb,
}

pub(super) const fn style(weight: Weight, size: f32, color: Rgb) -> Style {
    Style { weight, size, color }
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Align {
    Left,
    Right,
    Center,
}

/// The pages laid out so far and the position of the next line on the last page.
pub(super) struct Layout<'f> {
    pub(super) fonts: &'f Fonts,
    pub(super) pages: Vec<Vec<Op>>,
    pub(super) y: f32,
    pub(super) marks: Vec<Mark>,
    /// Where the last heading ended: a block straight under a heading gets no extra gap.
    pub(super) heading_end: f32,
}

/// A table row with each cell already wrapped.
pub(super) struct Row {
    pub(super) cells: Vec<Vec<String>>,
    pub(super) height: f32,
}

impl<'f> Layout<'f> {
    pub(super) fn new(fonts: &'f Fonts) -> Self {
        Self { fonts, pages: vec![Vec::new()], y: TOP, marks: Vec::new(), heading_end: f32::NAN }
    }

    pub(super) fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    pub(super) fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    pub(super) fn at_top(&self) -> bool {
        self.y <= TOP + 0.01
    }

    /// Starts a new page unless `height` still fits (or the page is still empty, so that an
    /// over-tall item is drawn instead of producing endless blank pages).
    pub(super) fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM && !self.at_top() {
            self.new_page();
        }
    }

    /// Vertical space between blocks; none at the top of a page or right under a heading.
    pub(super) fn gap(&mut self, height: f32) {
        if !self.at_top() && self.y != self.heading_end {
            self.y += height;
        }
    }

    /// One line of text with its baseline at `y`, aligned on `x`.
    pub(super) fn text(&mut self, x: f32, y: f32, text: &str, style: Style, align: Align) {
        let Style { weight, size, color } = style;
        if text.trim().is_empty() {
            return;
        }
        let x = match align {
            Align::Left => x,
            Align::Right => x - self.fonts.width(text, weight, size),
            Align::Center => x - self.fonts.width(text, weight, size) / 2.0,
        };
        self.push(Op::Text { x, y, text: text.to_string(), weight, size, color, rotate: 0.0 });
    }

    pub(super) fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        self.push(Op::Rect { x, y, w, h, color });
    }

    pub(super) fn line(&mut self, (x1, y1): (f32, f32), (x2, y2): (f32, f32), width: f32, color: Rgb) {
        self.push(Op::Line { x1, y1, x2, y2, width, color });
    }

    /// Lines of running text, each moved to the next page when it does not fit.
    pub(super) fn lines(&mut self, lines: &[String], weight: Weight, size: f32, lead: f32, color: Rgb) {
        // Keep at least two lines together so a paragraph does not start on a page's last line.
        self.ensure(lead * lines.len().min(2) as f32);
        for line in lines {
            self.ensure(lead);
            let y = baseline(self.y, lead, size);
            self.text(LEFT, y, line, style(weight, size, color), Align::Left);
            self.y += lead;
        }
    }

    pub(super) fn block(&mut self, block: &Block) {
        match block {
            Block::Heading(text) => self.heading(text),
            Block::Subheading(text) => self.subheading(text),
            Block::Paragraph(text) => {
                let lines = self.fonts.wrap(text, Weight::Regular, 10.0, WIDTH);
                self.lines(&lines, Weight::Regular, 10.0, 14.5, INK);
                self.gap(7.0);
            }
            Block::Note(text) => {
                let lines = self.fonts.wrap(text, Weight::Regular, 8.5, WIDTH);
                self.lines(&lines, Weight::Regular, 8.5, 12.0, MUTED);
                self.gap(7.0);
            }
            Block::KeyValues(pairs) => self.key_values(pairs),
            Block::Table { headers, widths, rows } => self.table(headers, widths, rows),
            Block::Bars { title, items, max } => self.bars(title, items, *max),
            Block::Radar { title, axes, series, max } => self.radar(title, axes, series, *max),
            Block::HeatMap { title, rows, cols, values, max } => self.heat_map(title, rows, cols, values, *max),
            Block::PageBreak => {
                if !self.at_top() {
                    self.new_page();
                }
            }
        }
    }

    /// First-page title block: accent bar, title, subtitle and a rule.
    pub(super) fn title(&mut self, title: &str, subtitle: &str) {
        if title.trim().is_empty() && subtitle.trim().is_empty() {
            return;
        }
        self.rect(LEFT, TOP, WIDTH, 3.0, ACCENT);
        self.y = TOP + 16.0;
        for line in self.fonts.wrap(title, Weight::Bold, 22.0, WIDTH) {
            let y = baseline(self.y, 28.0, 22.0);
            self.text(LEFT, y, &line, style(Weight::Bold, 22.0, INK), Align::Left);
            self.y += 28.0;
        }
        if !subtitle.trim().is_empty() {
            self.y += 2.0;
            for line in self.fonts.wrap(subtitle, Weight::Regular, 12.5, WIDTH) {
                let y = baseline(self.y, 17.0, 12.5);
                self.text(LEFT, y, &line, style(Weight::Regular, 12.5, MUTED), Align::Left);
                self.y += 17.0;
            }
        }
        self.y += 10.0;
        self.line((LEFT, self.y), (RIGHT, self.y), 0.75, RULE);
        self.y += 14.0;
    }

    pub(super) fn heading(&mut self, text: &str) {
        let lines = self.fonts.wrap(text, Weight::Bold, 15.0, WIDTH);
        let height = lines.len() as f32 * 19.0 + 10.0;
        self.gap(16.0);
        // Keep the heading with a few lines of what follows.
        self.ensure(height + 60.0);
        self.marks.push(Mark { level: 1, title: text.to_string(), page: self.pages.len() - 1, y: self.y });
        for line in &lines {
            let y = baseline(self.y, 19.0, 15.0);
            self.text(LEFT, y, line, style(Weight::Bold, 15.0, ACCENT), Align::Left);
            self.y += 19.0;
        }
        self.y += 3.0;
        self.line((LEFT, self.y), (RIGHT, self.y), 0.75, RULE);
        self.y += 9.0;
        self.heading_end = self.y;
    }

    pub(super) fn subheading(&mut self, text: &str) {
        let lines = self.fonts.wrap(text, Weight::Bold, 11.5, WIDTH);
        let height = lines.len() as f32 * 15.0 + 4.0;
        self.gap(9.0);
        self.ensure(height + 45.0);
        self.marks.push(Mark { level: 2, title: text.to_string(), page: self.pages.len() - 1, y: self.y });
        for line in &lines {
            let y = baseline(self.y, 15.0, 11.5);
            self.text(LEFT, y, line, style(Weight::Bold, 11.5, INK), Align::Left);
            self.y += 15.0;
        }
        self.y += 6.0;
        self.heading_end = self.y;
    }

    /// Label: value rows, labels in a bold column sized to the longest label (within limits).
    pub(super) fn key_values(&mut self, pairs: &[(String, String)]) {
        const SIZE: f32 = 9.5;
        const LEAD: f32 = 13.0;
        const PAD: f32 = 3.0;
        let widest = pairs.iter().map(|(k, _)| self.fonts.width(k, Weight::Bold, SIZE)).fold(0.0, f32::max);
        let label_w = (widest + 16.0).clamp(WIDTH * 0.2, WIDTH * 0.4);
        for (key, value) in pairs {
            let keys = self.fonts.wrap(key, Weight::Bold, SIZE, label_w - 12.0);
            let values = self.fonts.wrap(value, Weight::Regular, SIZE, WIDTH - label_w);
            let height = keys.len().max(values.len()) as f32 * LEAD + 2.0 * PAD;
            self.ensure(height);
            let top = self.y + PAD;
            for (i, line) in keys.iter().enumerate() {
                let y = baseline(top + i as f32 * LEAD, LEAD, SIZE);
                self.text(LEFT, y, line, style(Weight::Bold, SIZE, SOFT_INK), Align::Left);
            }
            for (i, line) in values.iter().enumerate() {
                let y = baseline(top + i as f32 * LEAD, LEAD, SIZE);
                self.text(LEFT + label_w, y, line, style(Weight::Regular, SIZE, INK), Align::Left);
            }
            self.y += height;
            self.line((LEFT, self.y), (RIGHT, self.y), 0.5, FAINT);
        }
        self.gap(10.0);
    }

    /// Wraps each cell of a table row to its column; rows too tall for any page are cut short
    /// with an ellipsis rather than overflowing the page.
    pub(super) fn table_row(&self, cells: &[String], cols: &[f32], weight: Weight, max_height: f32) -> Row {
        let mut wrapped: Vec<Vec<String>> = cols
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let text = cells.get(i).map_or("", String::as_str);
                self.fonts.wrap(text, weight, TABLE_SIZE, w - 2.0 * CELL_PAD_X)
            })
            .collect();
        let max_lines = (((max_height - 2.0 * CELL_PAD_Y) / TABLE_LEAD).floor() as usize).max(1);
        for (i, lines) in wrapped.iter_mut().enumerate() {
            if lines.len() > max_lines {
                lines.truncate(max_lines);
                if let Some(last) = lines.last_mut() {
                    let width = cols[i] - 2.0 * CELL_PAD_X;
                    *last = self.fonts.ellipsize(&format!("{last} …"), weight, TABLE_SIZE, width);
                }
            }
        }
        let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        Row { cells: wrapped, height: lines as f32 * TABLE_LEAD + 2.0 * CELL_PAD_Y }
    }

    pub(super) fn draw_row(&mut self, row: &Row, cols: &[f32], right: &[bool], weight: Weight, fill: Option<Rgb>) {
        let top = self.y;
        let bottom = top + row.height;
        if let Some(color) = fill {
            self.rect(LEFT, top, WIDTH, row.height, color);
        }
        let mut x = LEFT;
        for (i, (lines, w)) in row.cells.iter().zip(cols).enumerate() {
            for (j, line) in lines.iter().enumerate() {
                let y = baseline(top + CELL_PAD_Y + j as f32 * TABLE_LEAD, TABLE_LEAD, TABLE_SIZE);
                if right.get(i).copied().unwrap_or(false) {
                    self.text(x + w - CELL_PAD_X, y, line, style(weight, TABLE_SIZE, INK), Align::Right);
                } else {
                    self.text(x + CELL_PAD_X, y, line, style(weight, TABLE_SIZE, INK), Align::Left);
                }
            }
            self.line((x, top), (x, bottom), 0.5, GRID);
            x += w;
        }
        self.line((RIGHT, top), (RIGHT, bottom), 0.5, GRID);
        self.line((LEFT, bottom), (RIGHT, bottom), 0.5, GRID);
        self.y = bottom;
    }

    pub(super) fn draw_table_header(&mut self, header: &Row, cols: &[f32], right: &[bool]) {
        let top = self.y;
        self.draw_row(header, cols, right, Weight::Bold, Some(HEADER_BG));
        self.line((LEFT, top), (RIGHT, top), 0.5, GRID);
        self.line((LEFT, self.y), (RIGHT, self.y), 0.9, SOFT_INK);
    }

    pub(super) fn table(&mut self, headers: &[String], widths: &[f32], rows: &[Vec<String>]) {
        let ncols = headers.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
        if ncols == 0 {
            return;
        }
        let mut cols = column_widths(widths, ncols);
        // No header word broken in two ("Priori/ty"): a column too narrow for its longest header
        // word takes the room from columns that have some to spare.
        let need: Vec<f32> = (0..ncols)
            .map(|c| {
                let header = headers.get(c).map_or("", String::as_str);
                let widest = super::fonts::words(header)
                    .iter()
                    .map(|w| self.fonts.width(w, Weight::Bold, TABLE_SIZE))
                    .fold(0.0_f32, f32::max);
                widest + 2.0 * CELL_PAD_X + 1.0
            })
            .collect();
        fit_columns(&mut cols, &need);
        let right: Vec<bool> = (0..ncols)
            .map(|c| {
                let cells: Vec<&String> = rows.iter().filter_map(|r| r.get(c)).filter(|s| !is_blank(s)).collect();
                !cells.is_empty() && cells.iter().all(|s| is_numeric(s))
            })
            .collect();
        let header = self.table_row(headers, &cols, Weight::Bold, BODY_H / 3.0);
        let max_row = BODY_H - header.height - 1.0;
        let rows: Vec<Row> = rows.iter().map(|r| self.table_row(r, &cols, Weight::Regular, max_row)).collect();

        self.gap(4.0);
        self.ensure(header.height + rows.first().map_or(0.0, |r| r.height));
        self.draw_table_header(&header, &cols, &right);
        for (i, row) in rows.iter().enumerate() {
            if self.y + row.height > BOTTOM {
                self.new_page();
                self.draw_table_header(&header, &cols, &right);
            }
            let fill = (i % 2 == 1).then_some(ZEBRA);
            self.draw_row(row, &cols, &right, Weight::Regular, fill);
        }
        self.gap(12.0);
    }

    /// A chart's title, bold above it.
    pub(super) fn caption(&mut self, title: &str) {
        for line in self.fonts.wrap(title, Weight::Bold, 10.5, WIDTH) {
            if line.is_empty() {
                continue;
            }
            let y = baseline(self.y, 14.0, 10.5);
            self.text(LEFT, y, &line, style(Weight::Bold, 10.5, INK), Align::Left);
            self.y += 14.0;
        }
        self.y += 4.0;
    }

    pub(super) fn caption_height(&self, title: &str) -> f32 {
        let lines = self.fonts.wrap(title, Weight::Bold, 10.5, WIDTH);
        lines.iter().filter(|l| !l.is_empty()).count() as f32 * 14.0 + 4.0
    }

    /// Running header (pages after the first), footer text and page label on every page.
    pub(super) fn page_furniture(&mut self, doc: &Doc) {
        const SIZE: f32 = 8.0;
        let fonts = self.fonts;
        for (i, page) in self.pages.iter_mut().enumerate() {
            let label = page_label(&doc.page_label, i + 1);
            let label = fonts.ellipsize(&label, Weight::Regular, SIZE, WIDTH / 3.0);
            let label_w = fonts.width(&label, Weight::Regular, SIZE);
            let footer = fonts.ellipsize(&doc.footer, Weight::Regular, SIZE, WIDTH - label_w - 20.0);
            let rule_y = BOTTOM + 12.0;
            let text_y = BOTTOM + 24.0;
            page.push(Op::Line { x1: LEFT, y1: rule_y, x2: RIGHT, y2: rule_y, width: 0.5, color: RULE });
            let text = |x: f32, y: f32, text: String| Op::Text {
                x,
                y,
                text,
                weight: Weight::Regular,
                size: SIZE,
                color: MUTED,
                rotate: 0.0,
            };
            if !footer.trim().is_empty() {
                page.push(text(LEFT, text_y, footer));
            }
            page.push(text(RIGHT - label_w, text_y, label));
            if i > 0 && !doc.title.trim().is_empty() {
                let title = fonts.ellipsize(&doc.title, Weight::Regular, SIZE, WIDTH);
                page.push(text(LEFT, TOP - 14.0, title));
                page.push(Op::Line { x1: LEFT, y1: TOP - 8.0, x2: RIGHT, y2: TOP - 8.0, width: 0.5, color: RULE });
            }
        }
    }
}

/// Absolute column widths filling the text width, from relative `widths` (equal columns when
/// they are missing, the wrong length or not positive).
pub(super) fn column_widths(widths: &[f32], ncols: usize) -> Vec<f32> {
    let usable = widths.len() == ncols && widths.iter().all(|w| w.is_finite() && *w > 0.0);
    let relative: Vec<f32> = if usable { widths.to_vec() } else { vec![1.0; ncols] };
    let sum: f32 = relative.iter().sum();
    relative.iter().map(|w| w / sum * WIDTH).collect()
}

/// Widens the columns narrower than they `need`, taking the room from the others in proportion
/// to what they can spare; the total width stays the same. Nothing changes if it cannot fit.
pub(super) fn fit_columns(cols: &mut [f32], need: &[f32]) {
    let deficit: f32 = cols.iter().zip(need).map(|(c, n)| (n - c).max(0.0)).sum();
    let spare: f32 = cols.iter().zip(need).map(|(c, n)| (c - n).max(0.0)).sum();
    if deficit <= 0.0 || spare < deficit {
        return;
    }
    for (c, n) in cols.iter_mut().zip(need) {
        if *c < *n {
            *c = *n;
        } else {
            *c -= (*c - n) / spare * deficit;
        }
    }
}

/// "Page {n}" with the number filled in (appended when the label has no `{n}`).
pub(super) fn page_label(label: &str, n: usize) -> String {
    if label.contains("{n}") {
        label.replace("{n}", &n.to_string())
    } else if label.trim().is_empty() {
        n.to_string()
    } else {
        format!("{label} {n}")
    }
}

/// Baseline that centres the capitals of a line of `size` in a line box of height `lead`.
pub(super) fn baseline(top: f32, lead: f32, size: f32) -> f32 {
    top + (lead + size * 0.7) / 2.0
}

/// Whether a table cell reads as a number (then its column is right-aligned).
pub(super) fn is_numeric(cell: &str) -> bool {
    let s = cell.trim().trim_end_matches('%').trim().replace(',', ".");
    !s.is_empty() && s.parse::<f64>().is_ok()
}

/// Placeholder cells that neither make a column numeric nor stop it being numeric.
pub(super) fn is_blank(cell: &str) -> bool {
    matches!(cell.trim(), "" | "-" | "–" | "—" | "n/a" | "s.o.")
}

#[cfg(test)]
mod tests {
    use super::fit_columns;

    #[test]
    fn a_column_too_narrow_for_its_header_word_takes_room_from_the_others() {
        let mut cols = vec![30.0, 200.0, 40.0];
        fit_columns(&mut cols, &[45.0, 60.0, 20.0]);
        assert!(cols[0] >= 45.0, "{cols:?}");
        assert!((cols.iter().sum::<f32>() - 270.0).abs() < 0.01, "the total stays: {cols:?}");
        assert!(cols[1] >= 60.0 && cols[2] >= 20.0, "{cols:?}");
        // When it cannot fit, nothing changes.
        let mut cols = vec![10.0, 10.0];
        fit_columns(&mut cols, &[15.0, 15.0]);
        assert_eq!(cols, vec![10.0, 10.0]);
    }
}
