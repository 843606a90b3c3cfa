//! cdf-assess: self-assessment against the OCO Capability Development Framework.
//!
//! Layers (see DESIGN.md): `framework` (assets) -> `store` (SQLite) -> `ui` (egui), with
//! `i18n` for every user-visible string. Pure logic takes values and returns values.

pub mod app;
pub mod assessment;
pub mod cli;
pub mod demo;
pub mod exchange;
pub mod framework;
pub mod i18n;
pub mod ids;
pub mod lang;
pub mod report;
pub mod scoring;
pub mod secretariat;
pub mod store;
pub mod ui;
