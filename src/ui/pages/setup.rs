//! First run: language, role, and (for an administration) which member it is.

use crate::framework;
use crate::lang::Lang;
use crate::ui::state::{AppState, Role};
use crate::ui::theme;

pub fn setup_ui(ui: &mut egui::Ui, st: &mut AppState) {
    let t = st.lang();
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
                            if ui.radio(st.settings.lang == lang, lang.native_name()).clicked() {
                                st.settings.lang = lang;
                            }
                        }
                    });
                    theme::section(ui, t.t("setup.role"));
                    for (role, key, help) in [
                        (Role::Administration, "role.administration", "setup.role_admin_help"),
                        (Role::Secretariat, "role.secretariat", "setup.role_secretariat_help"),
                    ] {
                        if ui.radio(st.settings.role == Some(role), t.t(key)).clicked() {
                            st.settings.role = Some(role);
                        }
                        ui.indent(key, |ui| ui.label(egui::RichText::new(t.t(help)).weak()));
                    }
                    if st.settings.role == Some(Role::Administration) {
                        theme::section(ui, t.t("setup.member"));
                        member_picker(ui, st);
                    }
                    ui.add_space(12.0);
                    let ready = st.setup_done();
                    if ui.add_enabled(ready, egui::Button::new(t.t("setup.start"))).clicked() {
                        st.finish_setup();
                    }
                    if !ready {
                        ui.label(egui::RichText::new(t.t("setup.incomplete")).weak());
                    }
                });
            });
        });
    });
}

/// The 23 members by sub-region, as a combo box.
pub fn member_picker(ui: &mut egui::Ui, st: &mut AppState) {
    let t = st.lang();
    let current = st.settings.member.as_deref().and_then(framework::member).map(|m| m.name.get(t).to_string());
    egui::ComboBox::new("member", t.t("setup.member_label"))
        .width(320.0)
        .height(420.0)
        .selected_text(current.unwrap_or_else(|| t.t("setup.choose_member").to_string()))
        .show_ui(ui, |ui| {
            for region in framework::SUBREGIONS {
                ui.label(egui::RichText::new(t.t(&format!("subregion.{region}"))).strong().small());
                let mut members: Vec<_> = framework::members().iter().filter(|m| m.subregion == region).collect();
                members.sort_by_key(|m| crate::ui::pages::dashboard::sort_key(m.name.get(t)));
                for m in members {
                    let selected = st.settings.member.as_deref() == Some(m.code.as_str());
                    if ui.selectable_label(selected, m.name.get(t)).clicked() {
                        st.settings.member = Some(m.code.clone());
                    }
                }
            }
        });
}
