//! Report writers: CSV, XLSX and PDF. Each takes plain values and returns bytes.

pub mod doc;
pub mod pdf;
