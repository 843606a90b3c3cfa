//! The bundled fonts and text measurement: shaping widths, cleaning, wrapping, ellipsizing.

use super::PdfError;
use krilla::text::Font;
use rustybuzz::{Direction, Face, UnicodeBuffer};

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Weight {
    Regular,
    Bold,
}

/// The two bundled faces, once for measuring (rustybuzz) and once for drawing (krilla).
pub(super) struct Fonts {
    regular: Face<'static>,
    bold: Face<'static>,
    pdf_regular: Font,
    pdf_bold: Font,
}

impl Fonts {
    pub(super) fn load() -> Result<Self, PdfError> {
        let face = |data: &'static [u8]| Face::from_slice(data, 0).ok_or(PdfError::Font);
        let font = |data: &'static [u8]| Font::new(data.into(), 0).ok_or(PdfError::Font);
        Ok(Self {
            regular: face(notosans::REGULAR_TTF)?,
            bold: face(notosans::BOLD_TTF)?,
            pdf_regular: font(notosans::REGULAR_TTF)?,
            pdf_bold: font(notosans::BOLD_TTF)?,
        })
    }

    pub(super) fn face(&self, weight: Weight) -> &Face<'static> {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    pub(super) fn pdf(&self, weight: Weight) -> Font {
        match weight {
            Weight::Regular => self.pdf_regular.clone(),
            Weight::Bold => self.pdf_bold.clone(),
        }
    }

    /// Width in points of one line, from the shaped glyph advances (kerning included).
    pub(super) fn width(&self, text: &str, weight: Weight, size: f32) -> f32 {
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

    pub(super) fn has(&self, c: char) -> bool {
        self.regular.glyph_index(c).is_some() && self.bold.glyph_index(c).is_some()
    }

    /// Replaces characters the fonts lack (they would print as empty boxes) with the closest
    /// character they have, and control characters other than newlines with spaces.
    pub(super) fn clean(&self, text: &str) -> String {
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
    pub(super) fn wrap(&self, text: &str, weight: Weight, size: f32, max_w: f32) -> Vec<String> {
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
    pub(super) fn cut(&self, word: &str, weight: Weight, size: f32, max_w: f32) -> Vec<String> {
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
    pub(super) fn ellipsize(&self, text: &str, weight: Weight, size: f32, max_w: f32) -> String {
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
pub(super) fn words(paragraph: &str) -> Vec<String> {
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
