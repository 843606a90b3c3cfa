//! Report writers: CSV, XLSX and PDF. Each takes plain values and returns bytes.

pub mod csv;
pub mod doc;
pub mod pdf;
pub mod plans;
pub mod programme;
pub mod regional;
pub mod regional_files;
pub mod results;
pub mod tables;
pub mod xlsx;
