//! Language, role, member, look, and where the data lives.

use crate::lang::Lang;
use crate::ui::pages::{setup::member_picker, text_field};
use crate::ui::state::{AppState, Role, ThemeChoice};
use crate::ui::theme;

pub fn settings_ui(ui: &mut egui::Ui, st: &mut AppState) {
    let t = st.lang();
    let before = st.settings.clone();
    let mut scale_done = false;
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.heading(t.t("settings.title"));
        ui.add_space(6.0);
        theme::card(ui, |ui| {
            theme::section(ui, t.t("setup.language"));
            ui.horizontal(|ui| {
                for lang in Lang::ALL {
                    ui.radio_value(&mut st.settings.lang, lang, lang.native_name());
                }
            });
            theme::section(ui, t.t("setup.role"));
            ui.horizontal(|ui| {
                ui.radio_value(&mut st.settings.role, Some(Role::Administration), t.t("role.administration"));
                ui.radio_value(&mut st.settings.role, Some(Role::Secretariat), t.t("role.secretariat"));
            });
            if st.settings.role == Some(Role::Administration) {
                theme::section(ui, t.t("setup.member"));
                member_picker(ui, st);
            }
        });
        ui.add_space(8.0);
        theme::card(ui, |ui| {
            theme::section(ui, t.t("settings.look"));
            ui.horizontal(|ui| {
                ui.radio_value(&mut st.settings.theme, ThemeChoice::Light, t.t("settings.light"));
                ui.radio_value(&mut st.settings.theme, ThemeChoice::Dark, t.t("settings.dark"));
            });
            ui.horizontal(|ui| {
                let l = ui.label(t.t("settings.scale"));
                let r = ui
                    .add(egui::Slider::new(&mut st.settings.ui_scale, 0.8..=1.6).step_by(0.05).fixed_decimals(2))
                    .labelled_by(l.id);
                // Applied when the slider is released, so the UI doesn't jump under the pointer.
                scale_done = r.drag_stopped() || (r.changed() && !r.dragged());
            });
        });
        ui.add_space(8.0);
        theme::card(ui, |ui| {
            theme::section(ui, t.t("settings.secretariat"));
            text_field(ui, t.t("settings.secretariat_email"), &mut st.settings.secretariat_email, 300.0);
            if st.settings.role == Some(Role::Administration) {
                text_field(ui, t.t("settings.secretariat_key"), &mut st.settings.secretariat_key, 480.0);
                let key = st.settings.secretariat_key.trim();
                if key.is_empty() {
                    ui.label(egui::RichText::new(t.t("settings.key_empty")).weak());
                } else if st.secretariat_key_valid() {
                    ui.label(egui::RichText::new(t.t("settings.key_ok")).color(theme::GOOD));
                } else {
                    ui.label(egui::RichText::new(t.t("settings.key_bad")).color(theme::BAD));
                }
            }
        });
        if st.settings.role == Some(Role::Secretariat) {
            ui.add_space(8.0);
            theme::card(ui, |ui| {
                theme::section(ui, t.t("keys.title"));
                match st.own_public_key.clone() {
                    Some(public) => {
                        ui.label(t.t("keys.share"));
                        ui.horizontal(|ui| {
                            ui.code(&public);
                            if ui.button(t.t("keys.copy")).clicked() {
                                ui.ctx().copy_text(public.clone());
                            }
                        });
                        if let Some(p) = st.identity_path() {
                            ui.label(egui::RichText::new(t.f("keys.private_at", &[("path", &p.display())])).weak());
                        }
                    }
                    None => {
                        ui.label(t.t("keys.none"));
                        if ui.button(t.t("keys.generate")).clicked() {
                            st.generate_keypair();
                        }
                    }
                }
            });
        }
        ui.add_space(8.0);
        theme::card(ui, |ui| {
            theme::section(ui, t.t("settings.data"));
            if let Some(path) = st.db_path() {
                ui.label(t.f("settings.db_path", &[("path", &path)]));
            }
            ui.label(egui::RichText::new(t.t("settings.backup_help")).weak());
        });
    });
    let mut others = st.settings.clone();
    others.ui_scale = before.ui_scale;
    if (others != before || scale_done) && st.setup_done() {
        st.save_settings();
    }
}
