//! The returns register of a cycle: who has returned, who to chase, conflicts to settle.

use crate::framework;
use crate::secretariat::consolidate::ReturnStatus;
use crate::ui::View;
use crate::ui::widgets::{cycle_picker, no_data_ui, short_time, sort_key, theme};

#[derive(Debug, Default)]
pub struct RegisterPage;

impl RegisterPage {
    pub fn ui(&mut self, ui: &mut egui::Ui, v: &mut View) {
        register_ui(ui, v);
    }
}

use crate::app::{ImportCmd, SecCmd};
use egui::RichText;
use egui_extras::{Column, TableBuilder};

fn register_ui(ui: &mut egui::Ui, v: &mut View) {
    let t = v.lang();
    let snap = v.snap;
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.heading(t.t("register.title"));
            ui.add_space(20.0);
            cycle_picker(ui, snap, &mut v.out);
        });
        if no_data_ui(ui, snap) {
            return;
        }
        let Some(c) = snap.sec.consolidation.clone() else { return };
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
        // Each conflict with its reason, for a person to settle: until then it counts nowhere.
        let conflicts: Vec<_> = c.members.iter().flat_map(|m| m.conflicts.iter().map(move |id| (m, *id))).collect();
        if !conflicts.is_empty() {
            theme::card(ui, |ui| {
                theme::section(ui, &t.f("register.conflicts", &[("n", &conflicts.len())]));
                for (m, id) in conflicts {
                    let file = snap.sec.received.iter().find(|f| f.id == id);
                    let reason = file
                        .map(|f| crate::secretariat::import::Reason::from_stored(&f.reason).message(t))
                        .unwrap_or_default();
                    let name = framework::member(&m.member).map(|x| x.name.get(t)).unwrap_or(&m.member);
                    let what = file.map(|f| format!("{name} · r{} · {}", f.revision, f.file_name)).unwrap_or_default();
                    ui.label(egui::RichText::new(what).strong());
                    ui.label(reason);
                    ui.horizontal(|ui| {
                        if ui.button(t.t("register.keep")).on_hover_text(t.t("register.keep_help")).clicked() {
                            resolve = Some((id, false));
                        }
                        if ui.button(t.t("register.use_new")).on_hover_text(t.t("register.use_new_help")).clicked() {
                            resolve = Some((id, true));
                        }
                    });
                    ui.separator();
                }
            });
            ui.add_space(6.0);
        }
        // In the dashboard's order: by name, in the user's language.
        let mut members: Vec<_> =
            c.members.iter().filter_map(|m| framework::member(&m.member).map(|f| (m, f))).collect();
        members.sort_by_key(|(_, f)| sort_key(f.name.get(t)));
        // What the "*" after a name means (issue 25: it was not said).
        if members.iter().any(|(_, f)| f.note.is_some()) {
            ui.label(egui::RichText::new(t.t("register.star")).small().weak());
        }
        crate::ui::widgets::sideways(ui, "register_scroll", |ui| {
            TableBuilder::new(ui)
                .id_salt("register")
                .striped(true)
                .vscroll(false)
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .column(Column::auto().at_least(180.0))
                .column(Column::auto().at_least(130.0))
                .column(Column::auto().at_least(120.0))
                .column(Column::auto().at_least(60.0))
                .column(Column::auto().at_least(130.0))
                .column(Column::auto().at_least(120.0))
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
                    for (m, fm) in &members {
                        body.row(30.0, |mut row| {
                            row.col(|ui| {
                                match &fm.note {
                                    // A remark on the registry data (a blank or unclear cell of Appendix 1).
                                    Some(note) => {
                                        ui.label(format!("{} *", fm.name.get(t))).on_hover_text(format!(
                                            "{}: {}",
                                            t.t("member.note"),
                                            note.get(t)
                                        ));
                                    }
                                    None => {
                                        ui.label(fm.name.get(t));
                                    }
                                }
                            });
                            row.col(|ui| {
                                ui.label(t.t(&format!("subregion.{}", fm.subregion)));
                            });
                            row.col(|ui| {
                                let (key, color) = match m.status {
                                    ReturnStatus::NotReceived => ("register.not_received", theme::BAD),
                                    ReturnStatus::Received => ("register.received_status", theme::GOOD),
                                    ReturnStatus::Conflict => ("register.conflict", theme::WARN),
                                    ReturnStatus::Waiting => ("register.waiting", theme::WARN),
                                };
                                ui.label(RichText::new(t.t(key)).color(color).strong());
                            });
                            row.col(|ui| {
                                // The revision, and the framework's content revision it was written under.
                                let content = m.assessment.as_ref().and_then(|a| a.header.content_revision);
                                let text = match (m.revision(), content) {
                                    (Some(r), Some(c)) => {
                                        t.f("fwregister.revision", &[("revision", &r), ("content", &c)])
                                    }
                                    (Some(r), None) => format!("r{r}"),
                                    _ => String::new(),
                                };
                                ui.label(text).on_hover_text(t.t("fwregister.help"));
                            });
                            row.col(|ui| {
                                ui.label(m.received_at.as_deref().map(short_time).unwrap_or_default());
                            });
                            row.col(|ui| {
                                if m.assessment.is_some() && ui.button(t.t("register.open")).clicked() {
                                    open = Some(m.member.clone());
                                }
                            });
                        });
                    }
                });
        });
        if let Some(m) = open {
            v.send(SecCmd::OpenMember(m));
        }
        if let Some((file, use_new)) = resolve {
            v.send(ImportCmd::ResolveConflict { file, use_new });
        }
    });
}
