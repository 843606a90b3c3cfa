//! The Secretariat's side: importing returns (and, later, consolidating them).

pub mod consolidate;
pub mod import;
pub mod reports;
