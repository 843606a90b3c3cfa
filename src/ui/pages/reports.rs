//! Report buttons of the Secretariat (workbook, CSV, regional PDF).

use crate::ui::state::AppState;

pub fn report_buttons_ui(ui: &mut egui::Ui, st: &mut AppState) {
    let _ = (ui, st);
}
