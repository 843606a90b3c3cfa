//! One module per page.

pub mod assess;
pub mod dashboard;
pub mod finalise;
pub mod home;
pub mod import;
pub mod monitoring;
pub mod profile;
pub mod register;
pub mod reports;
pub mod results;
pub mod settings;
pub mod setup;

use super::state::AppState;
use super::theme;

/// Shown instead of everything when the database cannot be opened: says why and what to do,
/// and touches nothing.
pub fn startup_error_ui(ui: &mut egui::Ui, st: &mut AppState, msg: &str) {
    let t = st.lang();
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
                    if ui.selectable_label(st.settings.lang == lang, lang.native_name()).clicked() {
                        st.settings.lang = lang;
                    }
                }
            });
        });
    });
}

/// A labelled single-line text field whose label is its accessible name.
pub fn text_field(ui: &mut egui::Ui, label: &str, value: &mut String, width: f32) -> egui::Response {
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(230.0, 24.0), egui::Sense::hover());
        let l = ui.put(rect, egui::Label::new(label).halign(egui::Align::Min).truncate());
        ui.add(egui::TextEdit::singleline(value).desired_width(width)).labelled_by(l.id)
    })
    .inner
}
