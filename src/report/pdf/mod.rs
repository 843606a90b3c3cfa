//! PDF writer for a [`Doc`]: A4 portrait pages drawn with krilla.
//!
//! `fonts` (faces, measuring, wrapping), `layout` (blocks to drawing operations per page),
//! `charts` (bar, radar and heat-map blocks) and `paint` (drawing operations to krilla).
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

mod charts;
mod fonts;
mod layout;
mod paint;

use super::doc::Doc;
use fonts::Fonts;
use layout::Layout;

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
    paint::paint(doc, &fonts, layout.pages, &layout.marks)
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

#[cfg(test)]
mod tests {
    use super::fonts::{Fonts, Weight};
    use super::layout::page_label;

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
