//! One module per page; each page is a struct owning its view state.

pub mod assess;
pub mod dashboard;
pub mod finalise;
pub mod home;
pub mod import;
pub mod monitoring;
pub mod profile;
pub mod register;
pub mod results;
pub mod review;
pub mod settings;
pub mod setup;

use super::View;
use super::widgets::theme;
use crate::app::Command;

/// Shown instead of everything when the database cannot be opened: says why and what to do,
/// and touches nothing.
pub fn startup_error_ui(ui: &mut egui::Ui, v: &mut View, msg: &str) {
    let t = v.lang();
    egui::CentralPanel::default().show(ui, |ui| {
        ui.vertical_centered(|ui| {
            ui.add_space(60.0);
            ui.heading(t.t("startup.title"));
            ui.add_space(12.0);
            ui.set_max_width(640.0);
            ui.label(egui::RichText::new(msg).color(theme::BAD).size(16.0));
            ui.add_space(12.0);
            ui.label(t.t("startup.advice"));
            ui.add_space(18.0);
            ui.horizontal(|ui| {
                ui.add_space((ui.available_width() - 180.0).max(0.0) / 2.0);
                for lang in crate::lang::Lang::ALL {
                    if ui.selectable_label(t == lang, lang.native_name()).clicked() {
                        let mut s = v.snap.settings.clone();
                        s.lang = lang;
                        v.send(Command::SaveSettings(s));
                    }
                }
            });
        });
    });
}
