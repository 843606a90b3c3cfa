//! One integration-test binary (each file in tests/ would link the whole app again).

mod framework;
mod scoring;
mod store;
mod ui;
