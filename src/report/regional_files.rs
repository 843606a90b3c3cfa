//! The Secretariat's consolidated exports: an XLSX workbook, the same tables as CSV files, and
//! the regional PDF report, rendered from a consolidation it is given.

use crate::lang::Lang;
use crate::report;
use crate::secretariat::consolidate::Consolidation;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Xlsx,
    Pdf,
}

/// Stable file-name parts of the CSV tables, in sheet order.
pub const CSV_PARTS: [&str; 7] = ["register", "scores", "responses", "gaps", "requests", "me", "plans"];

/// The files to write for `out`: one file for XLSX and PDF; for CSV one file per table, named
/// `<stem>_<table>.csv` beside `out`.
pub fn files(c: &Consolidation, lang: Lang, format: Format, out: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    match format {
        Format::Pdf => {
            let doc = report::regional::regional_doc(c, lang);
            Ok(vec![(out.to_path_buf(), report::pdf::render(&doc).map_err(|e| e.to_string())?)])
        }
        Format::Xlsx => {
            let sheets = all_sheets(c, lang);
            Ok(vec![(out.to_path_buf(), report::xlsx::workbook(&sheets).map_err(|e| e.to_string())?)])
        }
        Format::Csv => {
            let sheets = all_sheets(c, lang);
            let stem = out.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "oco".into());
            let dir = out.parent().unwrap_or(Path::new("."));
            Ok(sheets
                .iter()
                .zip(CSV_PARTS)
                .map(|(s, part)| (dir.join(format!("{stem}_{part}.csv")), report::tables::sheet_csv(s)))
                .collect())
        }
    }
}

/// The consolidation's tables, then the members' plans (issue 23).
pub fn all_sheets(c: &Consolidation, lang: Lang) -> Vec<report::tables::Sheet> {
    let mut sheets = report::tables::sheets(c, lang);
    sheets.push(report::plans::sheet(c, lang));
    sheets
}

/// Default file name for a cycle's report.
pub fn default_name(cycle: i32, format: Format) -> String {
    match format {
        Format::Pdf => format!("OCO_CDF_{cycle}_regional_report.pdf"),
        Format::Xlsx => format!("OCO_CDF_{cycle}.xlsx"),
        Format::Csv => format!("OCO_CDF_{cycle}.csv"),
    }
}
