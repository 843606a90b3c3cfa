//! The assessments of this administration, and starting a new one.

use crate::assessment::Status;
use crate::framework;
use crate::ui::pages::text_field;
use crate::ui::state::{AppState, Role};
use crate::ui::{status_badge, theme};
use egui_extras::{Column, TableBuilder};

pub fn home_ui(ui: &mut egui::Ui, st: &mut AppState) {
    let t = st.lang();
    ui.heading(t.t("home.title"));
    ui.label(egui::RichText::new(t.t("home.intro")).weak());
    ui.add_space(8.0);

    if st.settings.role == Some(Role::Administration) {
        if !st.new_form.open {
            if ui.button(t.t("home.new")).clicked() {
                st.open_new_form();
            }
        } else {
            new_form_ui(ui, st);
        }
        ui.add_space(10.0);
    }

    let rows: Vec<_> = st.visible_list().cloned().collect();
    if rows.is_empty() {
        theme::card(ui, |ui| {
            ui.label(t.t("home.empty"));
        });
        return;
    }
    let mut open = None;
    let mut delete = None;
    TableBuilder::new(ui)
        .striped(true)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::auto().at_least(170.0))
        .column(Column::auto().at_least(60.0))
        .column(Column::auto().at_least(70.0))
        .column(Column::auto().at_least(100.0))
        .column(Column::auto().at_least(150.0))
        .column(Column::auto().at_least(150.0))
        .column(Column::remainder())
        .header(26.0, |mut h| {
            for key in
                ["col.member", "col.cycle", "col.revision", "col.status", "col.progress", "col.updated", "col.actions"]
            {
                h.col(|ui| {
                    ui.strong(t.t(key));
                });
            }
        })
        .body(|mut body| {
            for r in &rows {
                let h = &r.header;
                body.row(30.0, |mut row| {
                    row.col(|ui| {
                        ui.label(framework::member(&h.member).map(|m| m.name.get(t)).unwrap_or(&h.member));
                    });
                    row.col(|ui| {
                        ui.label(h.cycle.to_string());
                    });
                    row.col(|ui| {
                        ui.label(h.revision.to_string());
                    });
                    row.col(|ui| status_badge(ui, t, h.status, h.imported));
                    row.col(|ui| {
                        let f = if r.total == 0 { 0.0 } else { r.answered as f32 / r.total as f32 };
                        ui.add(
                            egui::ProgressBar::new(f)
                                .desired_width(140.0)
                                .text(format!("{} / {}", r.answered, r.total)),
                        );
                    });
                    row.col(|ui| {
                        ui.label(short_time(&h.updated_at));
                    });
                    row.col(|ui| {
                        let label = t.f("home.open", &[("cycle", &h.cycle), ("revision", &h.revision)]);
                        if ui.button(label).clicked() {
                            open = Some(h.id);
                        }
                        if h.status == Status::Draft && !h.imported && ui.small_button(t.t("home.delete")).clicked() {
                            delete = Some(h.id);
                        }
                    });
                });
            }
        });
    if let Some(id) = open {
        st.open(id);
    }
    if let Some(id) = delete {
        ui.ctx().data_mut(|d| d.insert_temp(egui::Id::unique("confirm_delete"), id));
    }
    confirm_delete_ui(ui, st);
}

fn confirm_delete_ui(ui: &mut egui::Ui, st: &mut AppState) {
    let t = st.lang();
    let key = egui::Id::unique("confirm_delete");
    let Some(id) = ui.ctx().data(|d| d.get_temp::<crate::ids::AssessmentId>(key)) else { return };
    let mut close = false;
    egui::Window::new(t.t("home.delete_title")).collapsible(false).resizable(false).show(ui.ctx(), |ui| {
        ui.label(t.t("home.delete_confirm"));
        ui.horizontal(|ui| {
            if ui.button(t.t("home.delete_yes")).clicked() {
                st.delete_draft(id);
                close = true;
            }
            if ui.button(t.t("common.cancel")).clicked() {
                close = true;
            }
        });
    });
    if close {
        ui.ctx().data_mut(|d| d.remove::<crate::ids::AssessmentId>(key));
    }
}

fn new_form_ui(ui: &mut egui::Ui, st: &mut AppState) {
    let t = st.lang();
    theme::card(ui, |ui| {
        theme::section(ui, t.t("new.title"));
        let member = st.settings.member.as_deref().and_then(framework::member).map(|m| m.name.get(t)).unwrap_or("-");
        ui.label(t.f("new.for_member", &[("member", &member)]));
        text_field(ui, t.t("new.cycle"), &mut st.new_form.cycle, 80.0);
        text_field(ui, t.t("new.assessor_name"), &mut st.new_form.assessor_name, 280.0);
        text_field(ui, t.t("new.assessor_role"), &mut st.new_form.assessor_role, 280.0);
        let problem = st.new_form_problem();
        ui.horizontal(|ui| {
            if ui.add_enabled(problem.is_none(), egui::Button::new(t.t("new.create"))).clicked() {
                st.create_assessment();
            }
            if ui.button(t.t("common.cancel")).clicked() {
                st.new_form.open = false;
            }
            if let Some(p) = problem {
                ui.label(egui::RichText::new(t.t(p)).color(theme::WARN));
            }
        });
    });
}

/// A stored UTC timestamp as local "2026-11-23 10:04".
pub fn short_time(ts: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(ts)
        .map(|d| d.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| ts.to_string())
}
