//! Report buttons of the Secretariat: workbook (XLSX), CSV tables, regional report (PDF).
//! The files are written off the UI thread.

use crate::report::regional_files::Format;
use crate::ui::state::AppState;

pub fn report_buttons_ui(ui: &mut egui::Ui, st: &mut AppState) {
    let t = st.lang();
    if st.sec.consolidation.is_none() {
        return;
    }
    if st.sec.report_job.is_some() {
        ui.spinner();
        ui.label(t.t("reports.writing"));
        return;
    }
    for (key, format) in [("reports.pdf", Format::Pdf), ("reports.csv", Format::Csv), ("reports.xlsx", Format::Xlsx)] {
        if ui.button(t.t(key)).clicked() {
            st.export_regional_with_dialog(format, ui.ctx());
        }
    }
}

/// For machines without a file dialog: save into a typed folder.
pub fn report_folder_ui(ui: &mut egui::Ui, st: &mut AppState) {
    let t = st.lang();
    egui::CollapsingHeader::new(t.t("export.no_dialog")).id_salt("report_folder").show(ui, |ui| {
        ui.horizontal(|ui| {
            let l = ui.label(t.t("export.folder"));
            ui.add(egui::TextEdit::singleline(&mut st.results.export_dir).desired_width(380.0)).labelled_by(l.id);
            for (key, format) in [
                ("reports.pdf_here", Format::Pdf),
                ("reports.csv_here", Format::Csv),
                ("reports.xlsx_here", Format::Xlsx),
            ] {
                if ui.add_enabled(st.sec.report_job.is_none(), egui::Button::new(t.t(key))).clicked() {
                    st.export_regional_to_folder(format, ui.ctx());
                }
            }
        });
    });
}
