//! The consolidated tables as one Excel workbook (one worksheet per [`Sheet`]), written in
//! memory with rust_xlsxwriter.
//!
//! Every worksheet has a bold, shaded header row that stays in view (frozen) and carries an
//! autofilter; numbers are stored as numbers (one decimal for scores, percent for shares), and
//! long text columns wrap.

use super::tables::{Cell, Sheet};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, XlsxError};

/// Columns at least this wide (characters) hold long text and wrap.
const WRAP_FROM: f64 = 40.0;
/// Excel's limit on the length of a cell's text (UTF-16 units).
const MAX_CELL: usize = 32_767;
const MAX_NAME: usize = 31;

/// The workbook's bytes.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xE2EBF5))
        .set_border_bottom(FormatBorder::Thin)
        .set_border_bottom_color(Color::RGB(0x9FB3C8))
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let body = Format::new().set_align(FormatAlign::Top);
    let wrapped = Format::new().set_align(FormatAlign::Top).set_text_wrap();
    let decimal = Format::new().set_align(FormatAlign::Top).set_num_format("0.0");
    let percent = Format::new().set_align(FormatAlign::Top).set_num_format("0%");

    let names = sheet_names(sheets);
    let mut wb = Workbook::new();
    for (sheet, name) in sheets.iter().zip(names) {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        let ncols = sheet.headers.len().max(sheet.rows.iter().map(Vec::len).max().unwrap_or(0));
        let Ok(last_col) = u16::try_from(ncols.saturating_sub(1)) else {
            return Err(XlsxError::ParameterError("too many columns".into()));
        };
        let Ok(last_row) = u32::try_from(sheet.rows.len()) else {
            return Err(XlsxError::ParameterError("too many rows".into()));
        };
        for c in 0..=last_col {
            let width = sheet.widths.get(c as usize).copied().filter(|w| w.is_finite() && *w > 0.0).unwrap_or(12.0);
            ws.set_column_width(c, width.min(255.0))?;
        }
        for (c, h) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, clip(h), &header)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                let long = sheet.widths.get(c as usize).is_some_and(|w| *w >= WRAP_FROM);
                match cell {
                    Cell::Text(s) => {
                        ws.write_string_with_format(r, c, clip(s), if long { &wrapped } else { &body })?;
                    }
                    Cell::Int(n) => {
                        ws.write_number_with_format(r, c, *n as f64, &body)?;
                    }
                    Cell::Num(v) if v.is_finite() => {
                        ws.write_number_with_format(r, c, *v, &decimal)?;
                    }
                    Cell::Pct(v) if v.is_finite() => {
                        ws.write_number_with_format(r, c, *v, &percent)?;
                    }
                    Cell::Num(_) | Cell::Pct(_) | Cell::Empty => {}
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        if ncols > 0 {
            ws.autofilter(0, 0, last_row, last_col)?;
        }
    }
    if sheets.is_empty() {
        wb.add_worksheet();
    }
    wb.save_to_buffer()
}

/// The text cut to Excel's limit of a cell (at a character boundary).
fn clip(s: &str) -> &str {
    let mut units = 0;
    for (i, ch) in s.char_indices() {
        units += ch.len_utf16();
        if units > MAX_CELL {
            return &s[..i];
        }
    }
    s
}

/// Valid, distinct worksheet names: at most 31 characters, none of `[]:*?/\`, no apostrophe at
/// either end, not "History" (reserved by Excel), unique ignoring case.
pub fn sheet_names(sheets: &[Sheet]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, s) in sheets.iter().enumerate() {
        let cleaned: String = s
            .name
            .chars()
            .map(|c| if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() { '-' } else { c })
            .collect();
        let mut base = shorten(cleaned.trim().trim_matches('\''), MAX_NAME).trim().trim_matches('\'').to_string();
        if base.is_empty() || base.eq_ignore_ascii_case("history") {
            base = format!("{} {}", if base.is_empty() { "Sheet" } else { &base }, i + 1);
        }
        let mut name = base.clone();
        let mut n = 2;
        while out.iter().any(|o| o.to_lowercase() == name.to_lowercase()) {
            let suffix = format!(" ({n})");
            name = format!("{}{suffix}", shorten(&base, MAX_NAME - suffix.len()).trim_end());
            n += 1;
        }
        out.push(name);
    }
    out
}

/// At most `max` UTF-16 units of `s`, cut at a character boundary.
fn shorten(s: &str, max: usize) -> &str {
    let mut units = 0;
    for (i, ch) in s.char_indices() {
        units += ch.len_utf16();
        if units > max {
            return &s[..i];
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> Sheet {
        Sheet { name: name.into(), headers: vec!["a".into()], widths: vec![10.0], rows: vec![] }
    }

    #[test]
    fn sheet_names_are_valid_and_distinct() {
        let sheets: Vec<Sheet> = [
            "Écarts et plans d'action pour chaque administration membre",
            "Écarts et plans d'action pour chaque administration membre",
            "a/b [c]: d?",
            "'quoted'",
            "",
            "History",
        ]
        .iter()
        .map(|n| named(n))
        .collect();
        let names = sheet_names(&sheets);
        for n in &names {
            rust_xlsxwriter::utility::check_sheet_name(n).unwrap_or_else(|e| panic!("{n}: {e}"));
        }
        let lower: std::collections::BTreeSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
        assert_eq!(lower.len(), names.len(), "{names:?}");
        assert!(workbook(&sheets).is_ok());
    }

    #[test]
    fn clip_keeps_char_boundaries() {
        let long = "é".repeat(40_000);
        assert_eq!(clip(&long).chars().count(), MAX_CELL);
        assert_eq!(shorten("Écarts", 3), "Éca");
    }
}
