//! The returns register of a cycle: who has returned, who to chase, conflicts to settle.

use crate::framework;
use crate::secretariat::consolidate::ReturnStatus;
use crate::ui::pages::home::short_time;
use crate::ui::state::AppState;
use crate::ui::theme;
use egui::RichText;
use egui_extras::{Column, TableBuilder};

pub fn cycle_picker(ui: &mut egui::Ui, st: &mut AppState) {
    let t = st.lang();
    let mut chosen = st.sec.cycle;
    let l = ui.label(t.t("sec.cycle"));
    egui::ComboBox::from_id_salt("sec_cycle")
        .selected_text(chosen.map(|c| c.to_string()).unwrap_or_else(|| "–".into()))
        .show_ui(ui, |ui| {
            for c in st.sec.cycles.clone() {
                ui.selectable_value(&mut chosen, Some(c), c.to_string());
            }
        })
        .response
        .labelled_by(l.id);
    if let Some(c) = chosen {
        st.set_cycle(c);
    }
}

pub fn no_data_ui(ui: &mut egui::Ui, st: &AppState) -> bool {
    if st.sec.consolidation.is_none() {
        theme::card(ui, |ui| {
            ui.label(st.lang().t("sec.no_data"));
        });
        return true;
    }
    false
}

pub fn register_ui(ui: &mut egui::Ui, st: &mut AppState) {
    let t = st.lang();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.heading(t.t("register.title"));
            ui.add_space(20.0);
            cycle_picker(ui, st);
        });
        if no_data_ui(ui, st) {
            return;
        }
        let Some(c) = st.sec.consolidation.clone() else { return };
        ui.label(t.f("register.summary", &[("received", &c.received()), ("total", &c.members.len())]));
        let chase: Vec<String> =
            c.not_received().filter_map(|m| framework::member(&m.member)).map(|m| m.name.get(t).to_string()).collect();
        if !chase.is_empty() {
            theme::card(ui, |ui| {
                theme::section(ui, &t.f("register.chase", &[("n", &chase.len())]));
                ui.label(chase.join(", "));
                if ui.button(t.t("register.copy_list")).clicked() {
                    ui.ctx().copy_text(chase.join("\n"));
                }
            });
        }
        ui.add_space(6.0);
        let mut open = None;
        let mut resolve = None;
        TableBuilder::new(ui)
            .id_salt("register")
            .striped(true)
            .vscroll(false)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(210.0))
            .column(Column::exact(170.0))
            .column(Column::exact(150.0))
            .column(Column::exact(70.0))
            .column(Column::exact(150.0))
            .column(Column::remainder())
            .header(26.0, |mut h| {
                for k in [
                    "col.member",
                    "register.subregion",
                    "col.status",
                    "col.revision",
                    "register.received",
                    "col.actions",
                ] {
                    h.col(|ui| {
                        ui.strong(t.t(k));
                    });
                }
            })
            .body(|mut body| {
                for m in &c.members {
                    let Some(fm) = framework::member(&m.member) else { continue };
                    body.row(30.0, |mut row| {
                        row.col(|ui| {
                            ui.label(fm.name.get(t));
                        });
                        row.col(|ui| {
                            ui.label(t.t(&format!("subregion.{}", fm.subregion)));
                        });
                        row.col(|ui| {
                            let (key, color) = match m.status {
                                ReturnStatus::NotReceived => ("register.not_received", theme::BAD),
                                ReturnStatus::Received => ("register.received_status", theme::GOOD),
                                ReturnStatus::Conflict => ("register.conflict", theme::WARN),
                            };
                            ui.label(RichText::new(t.t(key)).color(color).strong());
                        });
                        row.col(|ui| {
                            ui.label(m.revision().map(|r| format!("r{r}")).unwrap_or_default());
                        });
                        row.col(|ui| {
                            ui.label(m.received_at.as_deref().map(short_time).unwrap_or_default());
                        });
                        row.col(|ui| {
                            if m.assessment.is_some() && ui.button(t.t("register.open")).clicked() {
                                open = Some(m.member.clone());
                            }
                            for id in &m.conflicts {
                                if ui.button(t.t("register.keep")).on_hover_text(t.t("register.keep_help")).clicked() {
                                    resolve = Some((*id, false));
                                }
                                if ui
                                    .button(t.t("register.use_new"))
                                    .on_hover_text(t.t("register.use_new_help"))
                                    .clicked()
                                {
                                    resolve = Some((*id, true));
                                }
                            }
                        });
                    });
                }
            });
        if let Some(m) = open {
            st.open_member(&m);
        }
        if let Some((id, use_new)) = resolve {
            st.resolve_conflict(id, use_new);
        }
    });
}
