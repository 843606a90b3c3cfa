//! The Secretariat's side: importing returns and consolidating them. Rendering the consolidation
//! is `report`'s job (`report::regional_files`); nothing here depends on `report`.

pub mod consolidate;
pub mod effect;
pub mod import;
pub mod keys;
pub mod programme;
pub mod review;
