//! PDF writer for a [`Doc`]: A4 portrait pages drawn with krilla.
//!
//! Two passes keep this plain: the layout pass turns blocks into drawing operations per page
//! (page breaks, repeated table headers and footers are then simple arithmetic on `y`), and the
//! paint pass writes those operations to krilla surfaces. Coordinates are points with the origin
//! at the top left of the page and `y` growing downwards, as krilla uses them.
//!
//! Fonts: Noto Sans Regular and Bold from the `notosans` crate, compiled into the binary because
//! the app runs offline. They cover French (é œ « » ’ …) and give a real bold for headings.
//! Text widths are measured by shaping with rustybuzz, the shaper krilla itself uses to draw, so
//! wrapped lines and right-aligned numbers end where they were measured to end.

use krilla::Document;
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{Path, PathBuilder, Point, Rect, Transform};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, LineJoin, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use rustybuzz::{Direction, Face, UnicodeBuffer};

use super::doc::{Block, Doc};

/// Why a PDF could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the bundled PDF font could not be read")]
    Font,
    #[error("the PDF page could not be set up")]
    Page,
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// Lays out `doc` on A4 pages and returns the PDF file's bytes.
pub fn render(doc: &Doc) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::load()?;
    let mut layout = Layout::new(&fonts);
    layout.title(&doc.title, &doc.subtitle);
    for block in &doc.blocks {
        layout.block(block);
    }
    layout.page_furniture(doc);
    paint(doc, &fonts, layout.pages, &layout.marks)
}

// ---------------------------------------------------------------------------------------------
// Page geometry, type sizes and colours.

const MM: f32 = 72.0 / 25.4;
const PAGE_W: f32 = 210.0 * MM;
const PAGE_H: f32 = 297.0 * MM;
const MARGIN: f32 = 18.0 * MM;
const LEFT: f32 = MARGIN;
const RIGHT: f32 = PAGE_W - MARGIN;
const WIDTH: f32 = RIGHT - LEFT;
const TOP: f32 = MARGIN;
const BOTTOM: f32 = PAGE_H - MARGIN;
/// Height available for content on every page.
const BODY_H: f32 = BOTTOM - TOP;

/// Table text: 9 pt keeps a five-column table readable on A4.
const TABLE_SIZE: f32 = 9.0;
const TABLE_LEAD: f32 = 11.5;
const CELL_PAD_X: f32 = 4.5;
const CELL_PAD_Y: f32 = 3.5;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rgb(u8, u8, u8);

const INK: Rgb = Rgb(0x1F, 0x29, 0x33);
const SOFT_INK: Rgb = Rgb(0x3E, 0x4C, 0x59);
const MUTED: Rgb = Rgb(0x62, 0x6E, 0x7B);
const WHITE: Rgb = Rgb(0xFF, 0xFF, 0xFF);
const ACCENT: Rgb = Rgb(0x0B, 0x5C, 0xAD);
const ORANGE: Rgb = Rgb(0xE0, 0x7B, 0x00);
const RULE: Rgb = Rgb(0xC9, 0xD3, 0xDD);
const GRID: Rgb = Rgb(0xB4, 0xBF, 0xCA);
const FAINT: Rgb = Rgb(0xE1, 0xE6, 0xEC);
const HEADER_BG: Rgb = Rgb(0xE2, 0xEB, 0xF5);
const ZEBRA: Rgb = Rgb(0xF5, 0xF7, 0xFA);
const NO_DATA: Rgb = Rgb(0xE8, 0xE8, 0xE8);
/// Radar series colours in order: the first (usually "current") is the accent blue, the second
/// (usually "target") orange, then further distinct hues.
const SERIES: [Rgb; 5] = [ACCENT, ORANGE, Rgb(0x2E, 0x8B, 0x57), Rgb(0x8E, 0x44, 0xAD), Rgb(0x55, 0x5F, 0x6B)];

// ---------------------------------------------------------------------------------------------
// Fonts and text measurement.

#[derive(Debug, Clone, Copy, PartialEq)]
enum Weight {
    Regular,
    Bold,
}

/// The two bundled faces, once for measuring (rustybuzz) and once for drawing (krilla).
struct Fonts {
    regular: Face<'static>,
    bold: Face<'static>,
    pdf_regular: Font,
    pdf_bold: Font,
}

impl Fonts {
    fn load() -> Result<Self, PdfError> {
        let face = |data: &'static [u8]| Face::from_slice(data, 0).ok_or(PdfError::Font);
        let font = |data: &'static [u8]| Font::new(data.into(), 0).ok_or(PdfError::Font);
        Ok(Self {
            regular: face(notosans::REGULAR_TTF)?,
            bold: face(notosans::BOLD_TTF)?,
            pdf_regular: font(notosans::REGULAR_TTF)?,
            pdf_bold: font(notosans::BOLD_TTF)?,
        })
    }

    fn face(&self, weight: Weight) -> &Face<'static> {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    fn pdf(&self, weight: Weight) -> Font {
        match weight {
            Weight::Regular => self.pdf_regular.clone(),
            Weight::Bold => self.pdf_bold.clone(),
        }
    }

    /// Width in points of one line, from the shaped glyph advances (kerning included).
    fn width(&self, text: &str, weight: Weight, size: f32) -> f32 {
        if text.is_empty() {
            return 0.0;
        }
        let face = self.face(weight);
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        buffer.set_direction(Direction::LeftToRight);
        let shaped = rustybuzz::shape(face, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / face.units_per_em().max(1) as f32
    }

    fn has(&self, c: char) -> bool {
        self.regular.glyph_index(c).is_some() && self.bold.glyph_index(c).is_some()
    }

    /// Replaces characters the fonts lack (they would print as empty boxes) with the closest
    /// character they have, and control characters other than newlines with spaces.
    fn clean(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if c == '\n' || (!c.is_control() && self.has(c)) {
                out.push(c);
                continue;
            }
            let substitute: &[char] = match c {
                '\u{202F}' | '\u{2009}' | '\u{2007}' | '\u{2008}' | '\u{200A}' => &['\u{00A0}', ' '],
                '\u{2018}' | '\u{2019}' | '\u{2032}' => &['\''],
                '\u{201C}' | '\u{201D}' | '\u{2033}' => &['"'],
                '\u{2013}' | '\u{2014}' | '\u{2212}' | '\u{2011}' => &['-'],
                '\u{2026}' => &['.'],
                c if c.is_control() || c.is_whitespace() => &[' '],
                _ => &['?'],
            };
            let pick = substitute.iter().copied().find(|s| self.has(*s)).unwrap_or(' ');
            if c == '\u{2026}' && pick == '.' {
                out.push_str("...");
            } else {
                out.push(pick);
            }
        }
        out
    }

    /// Breaks `text` into lines no wider than `max_w`: at spaces, keeping French closing marks
    /// (» : ; ! ? %) with the word before and « with the word after. Newlines are kept; a word
    /// wider than the line is cut between characters. Always returns at least one line.
    fn wrap(&self, text: &str, weight: Weight, size: f32, max_w: f32) -> Vec<String> {
        let text = self.clean(text);
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in words(paragraph) {
                let candidate = if line.is_empty() { word.clone() } else { format!("{line} {word}") };
                if self.width(&candidate, weight, size) <= max_w {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                if self.width(&word, weight, size) <= max_w {
                    line = word;
                } else {
                    let mut pieces = self.cut(&word, weight, size, max_w);
                    line = pieces.pop().unwrap_or_default();
                    lines.extend(pieces);
                }
            }
            lines.push(line);
        }
        lines
    }

    /// Cuts one over-long word into pieces that each fit `max_w` (at least one character each).
    fn cut(&self, word: &str, weight: Weight, size: f32, max_w: f32) -> Vec<String> {
        let mut pieces = Vec::new();
        let mut current = String::new();
        for c in word.chars() {
            current.push(c);
            if current.chars().count() > 1 && self.width(&current, weight, size) > max_w {
                current.pop();
                pieces.push(std::mem::replace(&mut current, c.to_string()));
            }
        }
        pieces.push(current);
        pieces
    }

    /// One line of at most `max_w`, shortened with an ellipsis when it is too long.
    fn ellipsize(&self, text: &str, weight: Weight, size: f32, max_w: f32) -> String {
        let text = self.clean(text).replace('\n', " ");
        if self.width(&text, weight, size) <= max_w {
            return text;
        }
        // Binary search for the longest prefix that fits with the ellipsis (widths grow with
        // the prefix), so long texts cost a few measurements rather than one per character.
        let chars: Vec<char> = text.chars().collect();
        let shortened = |n: usize| format!("{}…", chars[..n].iter().collect::<String>().trim_end());
        let (mut fits, mut too_long) = (0, chars.len());
        while too_long - fits > 1 {
            let mid = (fits + too_long) / 2;
            if self.width(&shortened(mid), weight, size) <= max_w {
                fits = mid;
            } else {
                too_long = mid;
            }
        }
        shortened(fits)
    }
}

/// Splits a line into breakable words, gluing French punctuation to its neighbour so that
/// « and » never start or end a line on their own.
fn words(paragraph: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut glue_next = false;
    for token in paragraph.split(' ').filter(|t| !t.is_empty()) {
        let closing =
            token.chars().all(|c| matches!(c, '»' | '›' | ':' | ';' | '!' | '?' | '%' | '.' | ',' | ')' | '…'));
        match out.last_mut() {
            Some(last) if closing || glue_next => {
                last.push(' ');
                last.push_str(token);
            }
            _ => out.push(token.to_string()),
        }
        glue_next = token == "«" || token == "‹";
    }
    out
}

/// Baseline that centres the capitals of a line of `size` in a line box of height `lead`.
fn baseline(top: f32, lead: f32, size: f32) -> f32 {
    top + (lead + size * 0.7) / 2.0
}

fn is_whole(v: f64) -> bool {
    (v - v.round()).abs() < 0.005
}

/// Numbers as printed on charts: whole numbers without decimals, others with one.
fn fmt_num(v: f64) -> String {
    fmt_fixed(v, !is_whole(v))
}

/// A number with one decimal or none, so that the values of one chart line up alike.
fn fmt_fixed(v: f64, decimal: bool) -> String {
    match (v.is_finite(), decimal) {
        (false, _) => "–".to_string(),
        (true, true) => format!("{v:.1}"),
        (true, false) => format!("{:.0}", v.round()),
    }
}

/// A usable chart maximum: the given one, or the largest value, or 1.
fn chart_max(max: f64, values: impl Iterator<Item = f64>) -> f64 {
    if max.is_finite() && max > 0.0 {
        return max;
    }
    let largest = values.filter(|v| v.is_finite()).fold(0.0_f64, f64::max);
    if largest > 0.0 { largest } else { 1.0 }
}

/// Scale steps from 0 to `max`: one per unit for small whole scales (0..5), else quarters.
fn ticks(max: f64) -> Vec<f64> {
    let steps = if max.fract() == 0.0 && (1.0..=10.0).contains(&max) { max as usize } else { 4 };
    (0..=steps).map(|i| max * i as f64 / steps as f64).collect()
}

/// Fraction of `max` clamped to 0..=1 (missing or broken values count as 0).
fn fraction(v: f64, max: f64) -> f32 {
    if v.is_finite() { (v / max).clamp(0.0, 1.0) as f32 } else { 0.0 }
}

/// Heat-map colour for `t` in 0..=1: red, orange, amber, light green, green. Five stops, because
/// mixing amber straight into green passes through a muddy olive.
fn heat(t: f32) -> Rgb {
    const STOPS: [[f32; 3]; 5] =
        [[200.0, 60.0, 55.0], [232.0, 120.0, 60.0], [242.0, 185.0, 70.0], [150.0, 190.0, 90.0], [46.0, 140.0, 80.0]];
    let scaled = t.clamp(0.0, 1.0) * (STOPS.len() - 1) as f32;
    let i = (scaled.floor() as usize).min(STOPS.len() - 2);
    let u = scaled - i as f32;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    let mix = |k: usize| (a[k] + (b[k] - a[k]) * u).round() as u8;
    Rgb(mix(0), mix(1), mix(2))
}

/// Dark text on light cells, white text on dark ones.
fn text_on(c: Rgb) -> Rgb {
    let luminance = (0.299 * f32::from(c.0) + 0.587 * f32::from(c.1) + 0.114 * f32::from(c.2)) / 255.0;
    if luminance > 0.6 { INK } else { WHITE }
}

/// Whether a table cell reads as a number (then its column is right-aligned).
fn is_numeric(cell: &str) -> bool {
    let s = cell.trim().trim_end_matches('%').trim().replace(',', ".");
    !s.is_empty() && s.parse::<f64>().is_ok()
}

/// Placeholder cells that neither make a column numeric nor stop it being numeric.
fn is_blank(cell: &str) -> bool {
    matches!(cell.trim(), "" | "-" | "–" | "—" | "n/a" | "s.o.")
}

// ---------------------------------------------------------------------------------------------
// Layout: blocks to drawing operations.

/// One drawing operation on a page.
#[derive(Debug, Clone)]
enum Op {
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
struct Mark {
    level: u8,
    title: String,
    page: usize,
    y: f32,
}

/// How a piece of text is set.
#[derive(Clone, Copy)]
struct Style {
    weight: Weight,
    size: f32,
    color: Rgb,
}

const fn style(weight: Weight, size: f32, color: Rgb) -> Style {
    Style { weight, size, color }
}

#[derive(Clone, Copy, PartialEq)]
enum Align {
    Left,
    Right,
    Center,
}

/// The pages laid out so far and the position of the next line on the last page.
struct Layout<'f> {
    fonts: &'f Fonts,
    pages: Vec<Vec<Op>>,
    y: f32,
    marks: Vec<Mark>,
    /// Where the last heading ended: a block straight under a heading gets no extra gap.
    heading_end: f32,
}

/// A table row with each cell already wrapped.
struct Row {
    cells: Vec<Vec<String>>,
    height: f32,
}

impl<'f> Layout<'f> {
    fn new(fonts: &'f Fonts) -> Self {
        Self { fonts, pages: vec![Vec::new()], y: TOP, marks: Vec::new(), heading_end: f32::NAN }
    }

    fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    fn at_top(&self) -> bool {
        self.y <= TOP + 0.01
    }

    /// Starts a new page unless `height` still fits (or the page is still empty, so that an
    /// over-tall item is drawn instead of producing endless blank pages).
    fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM && !self.at_top() {
            self.new_page();
        }
    }

    /// Vertical space between blocks; none at the top of a page or right under a heading.
    fn gap(&mut self, height: f32) {
        if !self.at_top() && self.y != self.heading_end {
            self.y += height;
        }
    }

    /// One line of text with its baseline at `y`, aligned on `x`.
    fn text(&mut self, x: f32, y: f32, text: &str, style: Style, align: Align) {
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

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
        self.push(Op::Rect { x, y, w, h, color });
    }

    fn line(&mut self, (x1, y1): (f32, f32), (x2, y2): (f32, f32), width: f32, color: Rgb) {
        self.push(Op::Line { x1, y1, x2, y2, width, color });
    }

    /// Lines of running text, each moved to the next page when it does not fit.
    fn lines(&mut self, lines: &[String], weight: Weight, size: f32, lead: f32, color: Rgb) {
        // Keep at least two lines together so a paragraph does not start on a page's last line.
        self.ensure(lead * lines.len().min(2) as f32);
        for line in lines {
            self.ensure(lead);
            let y = baseline(self.y, lead, size);
            self.text(LEFT, y, line, style(weight, size, color), Align::Left);
            self.y += lead;
        }
    }

    fn block(&mut self, block: &Block) {
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
    fn title(&mut self, title: &str, subtitle: &str) {
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

    fn heading(&mut self, text: &str) {
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

    fn subheading(&mut self, text: &str) {
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
    fn key_values(&mut self, pairs: &[(String, String)]) {
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
    fn table_row(&self, cells: &[String], cols: &[f32], weight: Weight, max_height: f32) -> Row {
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

    fn draw_row(&mut self, row: &Row, cols: &[f32], right: &[bool], weight: Weight, fill: Option<Rgb>) {
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

    fn draw_table_header(&mut self, header: &Row, cols: &[f32], right: &[bool]) {
        let top = self.y;
        self.draw_row(header, cols, right, Weight::Bold, Some(HEADER_BG));
        self.line((LEFT, top), (RIGHT, top), 0.5, GRID);
        self.line((LEFT, self.y), (RIGHT, self.y), 0.9, SOFT_INK);
    }

    fn table(&mut self, headers: &[String], widths: &[f32], rows: &[Vec<String>]) {
        let ncols = headers.len().max(rows.iter().map(Vec::len).max().unwrap_or(0));
        if ncols == 0 {
            return;
        }
        let cols = column_widths(widths, ncols);
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
    fn caption(&mut self, title: &str) {
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

    fn caption_height(&self, title: &str) -> f32 {
        let lines = self.fonts.wrap(title, Weight::Bold, 10.5, WIDTH);
        lines.iter().filter(|l| !l.is_empty()).count() as f32 * 14.0 + 4.0
    }

    /// Horizontal bars: wrapped labels on the left, bars on a 0..max scale with light grid
    /// lines, the value printed just after each bar and the scale underneath.
    fn bars(&mut self, title: &str, items: &[(String, f64)], max: f64) {
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
    fn radar(&mut self, title: &str, axes: &[String], series: &[(String, Vec<f64>)], max: f64) {
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
    fn legend(&mut self, entries: &[(&str, Rgb, bool)]) {
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
    fn heat_map(&mut self, title: &str, rows: &[String], cols: &[String], values: &[Vec<Option<f64>>], max: f64) {
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
                if let Some(v) = value {
                    let y = baseline(top, *height, 8.0);
                    let value_style = style(Weight::Regular, 8.0, text_on(color));
                    self.text(x + cell_w / 2.0, y, &format!("{v:.1}"), value_style, Align::Center);
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

    /// Running header (pages after the first), footer text and page label on every page.
    fn page_furniture(&mut self, doc: &Doc) {
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
fn column_widths(widths: &[f32], ncols: usize) -> Vec<f32> {
    let usable = widths.len() == ncols && widths.iter().all(|w| w.is_finite() && *w > 0.0);
    let relative: Vec<f32> = if usable { widths.to_vec() } else { vec![1.0; ncols] };
    let sum: f32 = relative.iter().sum();
    relative.iter().map(|w| w / sum * WIDTH).collect()
}

/// "Page {n}" with the number filled in (appended when the label has no `{n}`).
fn page_label(label: &str, n: usize) -> String {
    if label.contains("{n}") {
        label.replace("{n}", &n.to_string())
    } else if label.trim().is_empty() {
        n.to_string()
    } else {
        format!("{label} {n}")
    }
}

// ---------------------------------------------------------------------------------------------
// Painting: drawing operations to krilla.

fn paint(doc: &Doc, fonts: &Fonts, pages: Vec<Vec<Op>>, marks: &[Mark]) -> Result<Vec<u8>, PdfError> {
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).ok_or(PdfError::Page)?;
    let mut document = Document::new();
    for ops in &pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            draw(&mut surface, fonts, op);
        }
        surface.finish();
        page.finish();
    }
    document.set_outline(outline(marks));
    let mut metadata = Metadata::new().creator("cdf-assess".to_string());
    if !doc.title.trim().is_empty() {
        metadata = metadata.title(doc.title.clone());
    }
    if !doc.subtitle.trim().is_empty() {
        metadata = metadata.description(doc.subtitle.clone());
    }
    document.set_metadata(metadata);
    document.finish().map_err(|e| PdfError::Write(e.to_string()))
}

/// PDF bookmarks: headings at the top level, subheadings under the heading before them.
fn outline(marks: &[Mark]) -> Outline {
    let mut outline = Outline::new();
    let mut current: Option<OutlineNode> = None;
    for mark in marks {
        let node = OutlineNode::new(mark.title.clone(), XyzDestination::new(mark.page, Point::from_xy(LEFT, mark.y)));
        match (mark.level, current.as_mut()) {
            (1, _) => {
                if let Some(done) = current.replace(node) {
                    outline.push_child(done);
                }
            }
            (_, Some(parent)) => parent.push_child(node),
            (_, None) => outline.push_child(node),
        }
    }
    if let Some(done) = current {
        outline.push_child(done);
    }
    outline
}

fn color(c: Rgb) -> rgb::Color {
    rgb::Color::new(c.0, c.1, c.2)
}

fn fill(c: Rgb, opacity: f32) -> Fill {
    Fill {
        paint: color(c).into(),
        opacity: NormalizedF32::new(opacity.clamp(0.0, 1.0)).unwrap_or(NormalizedF32::ONE),
        rule: FillRule::NonZero,
    }
}

fn stroke(c: Rgb, width: f32) -> Stroke {
    Stroke { paint: color(c).into(), width, line_cap: LineCap::Butt, line_join: LineJoin::Round, ..Stroke::default() }
}

fn polygon(points: &[(f32, f32)], close: bool) -> Option<Path> {
    let (first, rest) = points.split_first()?;
    let mut pb = PathBuilder::new();
    pb.move_to(first.0, first.1);
    for (x, y) in rest {
        pb.line_to(*x, *y);
    }
    if close {
        pb.close();
    }
    pb.finish()
}

/// A circle from four cubic curves (krilla's path builder has no arcs).
fn circle(x: f32, y: f32, r: f32) -> Option<Path> {
    const K: f32 = 0.552_284_8;
    let k = K * r;
    let mut pb = PathBuilder::new();
    pb.move_to(x + r, y);
    pb.cubic_to(x + r, y + k, x + k, y + r, x, y + r);
    pb.cubic_to(x - k, y + r, x - r, y + k, x - r, y);
    pb.cubic_to(x - r, y - k, x - k, y - r, x, y - r);
    pb.cubic_to(x + k, y - r, x + r, y - k, x + r, y);
    pb.close();
    pb.finish()
}

fn draw(surface: &mut Surface, fonts: &Fonts, op: &Op) {
    match op {
        Op::Text { x, y, text, weight, size, color, rotate } => {
            surface.set_stroke(None);
            surface.set_fill(Some(fill(*color, 1.0)));
            let turned = *rotate != 0.0;
            if turned {
                surface.push_transform(&Transform::from_rotate_at(*rotate, *x, *y));
            }
            let start = Point::from_xy(*x, *y);
            surface.draw_text(start, fonts.pdf(*weight), *size, text, false, TextDirection::LeftToRight);
            if turned {
                surface.pop();
            }
        }
        Op::Rect { x, y, w, h, color } => {
            let mut pb = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                pb.push_rect(rect);
            }
            if let Some(path) = pb.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(fill(*color, 1.0)));
                surface.draw_path(&path);
            }
        }
        Op::Line { x1, y1, x2, y2, width, color } => {
            if let Some(path) = polygon(&[(*x1, *y1), (*x2, *y2)], false) {
                surface.set_fill(None);
                surface.set_stroke(Some(stroke(*color, *width)));
                surface.draw_path(&path);
            }
        }
        Op::Polygon { points, fill: inside, stroke: outline } => {
            if inside.is_none() && outline.is_none() {
                return;
            }
            if let Some(path) = polygon(points, true) {
                surface.set_fill(inside.map(|(c, opacity)| fill(c, opacity)));
                surface.set_stroke(outline.map(|(c, width)| stroke(c, width)));
                surface.draw_path(&path);
            }
        }
        Op::Dot { x, y, r, color } => {
            if let Some(path) = circle(*x, *y, *r) {
                surface.set_stroke(None);
                surface.set_fill(Some(fill(*color, 1.0)));
                surface.draw_path(&path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_fit_and_keep_all_words() {
        let fonts = Fonts::load().expect("bundled fonts load");
        let text = "Législation et procédures : l’administration « douanière » applique – déjà – \
                    les procédures simplifiées… Anticonstitutionnellementextraordinairement";
        for max_w in [40.0, 90.0, 200.0] {
            let lines = fonts.wrap(text, Weight::Regular, 10.0, max_w);
            for line in &lines {
                assert!(fonts.width(line, Weight::Regular, 10.0) <= max_w + 0.01, "{line:?} > {max_w}");
                assert!(!line.starts_with('»') && !line.starts_with(':'), "{line:?}");
            }
            let joined: String = lines.concat().split_whitespace().collect();
            let expected: String = text.split_whitespace().collect();
            assert_eq!(joined, expected);
        }
    }

    #[test]
    fn french_characters_are_in_the_fonts() {
        let fonts = Fonts::load().expect("bundled fonts load");
        let text = "éèêàâçœŒ«»–—’…ÉÀÇîïôûù€ ·";
        assert_eq!(fonts.clean(text), text);
        assert_eq!(fonts.clean("a\tb"), "a b");
    }

    #[test]
    fn ellipsized_text_fits() {
        let fonts = Fonts::load().expect("bundled fonts load");
        let long = "Recettes et facilitation des échanges ".repeat(200);
        let short = fonts.ellipsize(&long, Weight::Bold, 9.0, 120.0);
        assert!(short.ends_with('…') && short.starts_with("Recettes"), "{short}");
        assert!(fonts.width(&short, Weight::Bold, 9.0) <= 120.0);
        assert_eq!(fonts.ellipsize("Tonga", Weight::Regular, 9.0, 120.0), "Tonga");
    }

    #[test]
    fn page_labels_number_pages() {
        assert_eq!(page_label("Page {n}", 3), "Page 3");
        assert_eq!(page_label("", 2), "2");
        assert_eq!(page_label("p.", 4), "p. 4");
    }
}
