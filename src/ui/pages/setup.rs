//! First run: language, role, and (for an administration) which member it is.

use crate::app::SettingsCmd;
use crate::app::{Role, Settings};
use crate::lang::Lang;
use crate::ui::View;
use crate::ui::widgets::{member_picker, theme};

/// The choices being made, saved together by "Start".
#[derive(Default)]
pub struct SetupPage {
    pub draft: Settings,
}

impl SetupPage {
    pub fn ui(&mut self, ui: &mut egui::Ui, v: &mut View) {
        let d = &mut self.draft;
        let t = d.lang;
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(30.0);
                ui.heading(egui::RichText::new(t.t("setup.welcome")).size(26.0).color(theme::accent(ui)));
                ui.label(t.t("setup.intro"));
            });
            ui.add_space(16.0);
            let width = 620.0_f32.min(ui.available_width());
            let margin = ((ui.available_width() - width) / 2.0).max(0.0);
            ui.horizontal(|ui| {
                ui.add_space(margin);
                ui.vertical(|ui| {
                    ui.set_max_width(width);
                    theme::card(ui, |ui| {
                        theme::section(ui, t.t("setup.language"));
                        ui.horizontal(|ui| {
                            for lang in Lang::ALL {
                                if ui.radio(d.lang == lang, lang.native_name()).clicked() {
                                    d.lang = lang;
                                }
                            }
                        });
                        theme::section(ui, t.t("setup.role"));
                        for (role, key, help) in [
                            (Role::Administration, "role.administration", "setup.role_admin_help"),
                            (Role::Secretariat, "role.secretariat", "setup.role_secretariat_help"),
                        ] {
                            if ui.radio(d.role == Some(role), t.t(key)).clicked() {
                                d.role = Some(role);
                            }
                            ui.indent(key, |ui| ui.label(egui::RichText::new(t.t(help)).weak()));
                        }
                        if d.role == Some(Role::Administration) {
                            theme::section(ui, t.t("setup.member"));
                            member_picker(ui, t, &mut d.member);
                            crate::ui::widgets::feedback::setup_card_ui(ui, t, d);
                        }
                        ui.add_space(12.0);
                        let ready = d.setup_done();
                        if ui.add_enabled(ready, egui::Button::new(t.t("setup.start"))).clicked() {
                            v.send(SettingsCmd::FinishSetup(d.clone()));
                        }
                        if !ready {
                            ui.label(egui::RichText::new(t.t("setup.incomplete")).weak());
                        }
                    });
                });
            });
        });
        // The language chosen shows at once, before anything is saved.
        if v.snap.settings.lang != d.lang && v.out.is_empty() {
            let mut s = v.snap.settings.clone();
            s.lang = d.lang;
            v.send(SettingsCmd::Save(s));
        }
    }
}
