//! A report as plain data (blocks in reading order), so the same content can be written as
//! PDF (and checked in tests) without knowing how it is drawn.

/// A whole printable document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    /// Shown large on the first page and in the PDF metadata.
    pub title: String,
    pub subtitle: String,
    /// Small text at the bottom of every page (e.g. "cdf-assess 0.1.0 · 2026-11-23").
    pub footer: String,
    /// "Page {n}" in the document's language, with `{n}` replaced by the page number.
    pub page_label: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(String),
    Subheading(String),
    Paragraph(String),
    /// Small, grey explanatory text.
    Note(String),
    /// A two-column list of label: value.
    KeyValues(Vec<(String, String)>),
    /// A table; `widths` are relative column widths (same length as `headers`). Long cells wrap;
    /// the header row repeats when the table continues on the next page.
    Table {
        headers: Vec<String>,
        widths: Vec<f32>,
        rows: Vec<Vec<String>>,
    },
    /// Horizontal bars, one per item, scaled to `max`; the value is printed after each bar.
    Bars {
        title: String,
        items: Vec<(String, f64)>,
        max: f64,
    },
    /// A radar (spider) chart: one axis per label, each series a closed polygon of values in 0..=max.
    Radar {
        title: String,
        axes: Vec<String>,
        series: Vec<(String, Vec<f64>)>,
        max: f64,
    },
    /// A grid of coloured cells (rows x cols), values in 0..=max, None drawn as blank/hatched.
    HeatMap {
        title: String,
        rows: Vec<String>,
        cols: Vec<String>,
        values: Vec<Vec<Option<f64>>>,
        max: f64,
    },
    PageBreak,
}
