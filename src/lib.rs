//! cdf-assess: self-assessment against the OCO Capability Development Framework.
//!
//! Layers (see docs/architecture.md): `framework` (assets) -> `store` (SQLite) and the pure
//! `scoring`, `exchange`, `secretariat`, `report` -> `app` (commands, events, the worker that owns
//! the store) -> `ui` (egui, only from the binary). `i18n` words every user-visible string.

pub mod app;
pub mod assessment;
pub mod cli;
pub mod colour;
#[cfg(feature = "demo")]
pub mod demo;
pub mod exchange;
pub mod feedback;
pub mod framework;
pub mod fwfiles;
pub mod i18n;
pub mod ids;
pub mod lang;
pub mod openfiles;
pub mod outfile;
pub mod plan;
pub mod report;
pub mod scoring;
pub mod secretariat;
pub mod sections;
pub mod store;
pub mod ui;
