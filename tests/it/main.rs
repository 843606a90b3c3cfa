//! One integration-test binary (each file in tests/ would link the whole app again).

mod app;
mod attack_exchange;
mod attack_store;
mod backup;
mod cli;
mod confirm;
mod crash;
mod exchange;
mod feedback;
mod framework;
mod hostile;
mod layers;
mod mne;
mod pdf;
mod report;
mod results;
mod rooms;
mod scale;
mod scoring;
mod screens;
mod secretariat;
mod signing;
mod store;
mod ui;
mod windows;
mod words;
