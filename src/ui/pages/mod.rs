//! One module per page; each page is a struct owning its view state.

pub mod assess;
pub mod dashboard;
pub mod finalise;
pub mod home;
pub mod import;
pub mod monitoring;
pub mod plan;
pub mod profile;
pub mod programme;
pub mod register;
pub mod results;
pub mod review;
pub mod settings;
pub mod setup;

use super::View;
use super::widgets::theme;
use crate::app::{BackupCmd, SettingsCmd};

/// Shown instead of everything when the database cannot be opened: says why and what to do,
/// and touches nothing.
pub fn startup_error_ui(ui: &mut egui::Ui, v: &mut View, msg: &str) {
    let t = v.lang();
    egui::CentralPanel::default().frame(theme::unfilled(egui::Frame::central_panel(ui.style()))).show(ui, |ui| {
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
                        v.send(SettingsCmd::Save(s));
                    }
                }
            });
            backups_ui(ui, v);
        });
    });
    settings::restore_confirm_ui(ui, v);
}

/// The automatic backups of a damaged database, newest first, each with "Restore…" (what it
/// holds is shown and confirmed before anything changes).
fn backups_ui(ui: &mut egui::Ui, v: &mut View) {
    const SHOWN: usize = 8;
    let t = v.lang();
    let backups = v.snap.startup_backups.clone();
    if backups.is_empty() {
        return;
    }
    ui.add_space(24.0);
    ui.heading(t.t("startup.backups"));
    ui.label(t.t("startup.backups_advice"));
    ui.add_space(8.0);
    // Centred as the rest of the page (a grid lays out from the left).
    const WIDTH: f32 = 540.0;
    ui.horizontal(|ui| {
        ui.add_space(((ui.available_width() - WIDTH) / 2.0).max(0.0));
        ui.vertical(|ui| {
            egui::Grid::new("startup_backups").striped(true).spacing([16.0, 6.0]).show(ui, |ui| {
                for (i, b) in backups.iter().take(SHOWN).enumerate() {
                    ui.label(crate::ui::widgets::short_time(&b.at));
                    let why = match b.reason.as_str() {
                        "daily" => "backup.reason.daily",
                        "finalise" => "backup.reason.finalise",
                        "before-migration" => "backup.reason.before-migration",
                        "before-restore" => "backup.reason.before-restore",
                        _ => "",
                    };
                    ui.label(if why.is_empty() { "" } else { t.t(why) });
                    // A path found on disk: shown without control characters, capped.
                    let path: String =
                        b.path.display().to_string().chars().filter(|c| !c.is_control()).take(200).collect();
                    if ui.button(t.t("startup.restore_this")).on_hover_text(path).clicked() {
                        v.send(BackupCmd::Inspect(b.path.clone()));
                    }
                    if i == 0 {
                        ui.label(egui::RichText::new(t.t("startup.newest")).weak());
                    }
                    ui.end_row();
                }
            });
        });
    });
    if let Some(n) = v.snap.notice.as_ref().filter(|n| n.kind == crate::app::NoticeKind::Error) {
        ui.add_space(8.0);
        ui.label(egui::RichText::new(n.msg.text(t)).color(theme::BAD));
    }
}
