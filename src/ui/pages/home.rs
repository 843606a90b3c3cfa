//! The assessments of this administration, and starting a new one.

use crate::app::Role;
use crate::app::SessionCmd;
use crate::assessment::{NewAssessment, Status};
use crate::ids::AssessmentId;
use crate::ui::View;
use crate::ui::widgets::{member_name, short_time, status_badge, text_field, theme};
use egui_extras::{Column, TableBuilder};

/// The form that starts a new assessment, and the draft waiting for delete confirmation.
#[derive(Debug, Clone, Default)]
pub struct HomePage {
    pub form: Option<NewForm>,
    pub confirm_delete: Option<AssessmentId>,
}

#[derive(Debug, Clone, Default)]
pub struct NewForm {
    pub cycle: String,
    pub assessor_name: String,
    pub assessor_role: String,
    /// The form has put the cursor in its first empty field (once, as it opens).
    focused: bool,
}

impl NewForm {
    fn new() -> NewForm {
        let year = chrono::Datelike::year(&chrono::Local::now());
        NewForm { cycle: year.to_string(), ..NewForm::default() }
    }

    /// The message key of the first problem with the form, if any.
    pub fn problem(&self, member: Option<&String>) -> Option<&'static str> {
        match self.cycle.trim().parse::<i32>() {
            Ok(y) if crate::ids::CYCLES.contains(&y) => {}
            _ => return Some("new.bad_cycle"),
        }
        if self.assessor_name.trim().is_empty() {
            return Some("new.need_name");
        }
        if member.is_none() {
            return Some("new.need_member");
        }
        None
    }
}

impl HomePage {
    pub fn ui(&mut self, ui: &mut egui::Ui, v: &mut View) {
        let t = v.lang();
        let snap = v.snap;
        ui.heading(t.t("home.title"));
        ui.label(egui::RichText::new(t.t("home.intro")).weak());
        ui.add_space(8.0);

        if snap.settings.role == Some(Role::Administration) {
            if self.form.is_none() {
                ui.horizontal_wrapped(|ui| {
                    if ui.button(t.t("home.new")).clicked() {
                        self.form = Some(NewForm::new());
                    }
                    // A colleague's first step: the section a coordinator sent them (issue 26).
                    if ui.button(t.t("section.open_file")).clicked() {
                        v.send(crate::app::SectionsCmd::Pick);
                    }
                });
                crate::ui::widgets::fallback::path_field(ui, v, crate::app::Dialog::Section);
            } else {
                self.new_form_ui(ui, v);
            }
            ui.add_space(10.0);
            crate::ui::widgets::feedback::outbox_ui(ui, v);
        }

        let rows: Vec<_> = snap.visible_list().collect();
        if rows.is_empty() {
            theme::card(ui, |ui| {
                ui.label(t.t("home.empty"));
            });
            return;
        }
        let mut open = None;
        let mut delete = None;
        // Actions first after the member, so "Open" and "Delete draft" are in view on a small
        // screen; the cycle and revision are on the "Open" button. At 1024 px every column is in
        // view, in French too; on a smaller screen the rest scrolls sideways.
        crate::ui::widgets::sideways(ui, "home_scroll", |ui| {
            TableBuilder::new(ui)
                .striped(true)
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .column(Column::auto().at_least(150.0))
                .column(Column::auto().at_least(100.0))
                .column(Column::auto().at_least(110.0))
                .column(Column::auto().at_least(110.0))
                .column(Column::auto().at_least(120.0))
                .header(26.0, |mut h| {
                    for key in ["col.member", "col.actions", "col.status", "col.progress", "col.updated"] {
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
                                ui.label(member_name(&h.member, t));
                            });
                            row.col(|ui| {
                                let label = t.f("home.open", &[("cycle", &h.cycle), ("revision", &h.revision)]);
                                if ui.button(label).clicked() {
                                    open = Some(h.id);
                                }
                                if h.status == Status::Draft
                                    && !h.imported
                                    && ui.small_button(t.t("home.delete")).clicked()
                                {
                                    delete = Some(h.id);
                                }
                            });
                            row.col(|ui| status_badge(ui, t, h.status, h.imported));
                            row.col(|ui| {
                                let f = if r.total == 0 { 0.0 } else { r.answered as f32 / r.total as f32 };
                                ui.add(
                                    egui::ProgressBar::new(f)
                                        .desired_width(100.0)
                                        .text(format!("{} / {}", r.answered, r.total)),
                                );
                            });
                            row.col(|ui| {
                                ui.label(short_time(&h.updated_at));
                            });
                        });
                    }
                });
        });
        if let Some(id) = open {
            v.send(SessionCmd::Open(id));
        }
        if delete.is_some() {
            self.confirm_delete = delete;
        }
        self.confirm_delete_ui(ui, v);
    }

    fn confirm_delete_ui(&mut self, ui: &mut egui::Ui, v: &mut View) {
        let t = v.lang();
        let Some(id) = self.confirm_delete else { return };
        let mut close = false;
        let draft = v.snap.list.iter().find(|r| r.header.id == id);
        crate::ui::widgets::dialog(t.t("home.delete_title")).show(ui.ctx(), |ui| {
            ui.set_max_width(460.0);
            if let Some(r) = draft {
                let h = &r.header;
                ui.label(
                    egui::RichText::new(t.f(
                        "home.delete_which",
                        &[
                            ("member", &member_name(&h.member, t)),
                            ("cycle", &h.cycle),
                            ("revision", &h.revision),
                            ("answered", &r.answered),
                            ("total", &r.total),
                            ("when", &short_time(&h.updated_at)),
                        ],
                    ))
                    .strong(),
                );
            }
            ui.label(t.t("home.delete_confirm"));
            ui.horizontal(|ui| {
                if ui.button(t.t("home.delete_yes")).clicked() {
                    v.send(SessionCmd::DeleteDraft(id));
                    close = true;
                }
                if ui.button(t.t("common.cancel")).clicked() {
                    close = true;
                }
            });
        });
        if close {
            self.confirm_delete = None;
        }
    }

    fn new_form_ui(&mut self, ui: &mut egui::Ui, v: &mut View) {
        let t = v.lang();
        let member = v.snap.settings.member.clone();
        let Some(f) = self.form.as_mut() else { return };
        let mut close = false;
        theme::card(ui, |ui| {
            theme::section(ui, t.t("new.title"));
            let name = member.as_deref().map(|m| member_name(m, t)).unwrap_or("-");
            ui.label(t.f("new.for_member", &[("member", &name)]));
            let fields = [
                text_field(ui, t.t("new.cycle"), &mut f.cycle, 80.0),
                text_field(ui, t.t("new.assessor_name"), &mut f.assessor_name, 280.0),
                text_field(ui, t.t("new.assessor_role"), &mut f.assessor_role, 280.0),
            ];
            // The cursor starts in the first field to fill (issue 25: the form had no focus).
            if !std::mem::replace(&mut f.focused, true) {
                let empty =
                    [f.cycle.trim().is_empty(), f.assessor_name.trim().is_empty(), f.assessor_role.trim().is_empty()];
                let first = empty.iter().position(|e| *e).unwrap_or(1);
                fields[first].request_focus();
            }
            // Enter in a field submits the form, as it would anywhere else.
            let entered = fields.iter().any(|r| r.lost_focus()) && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let problem = f.problem(member.as_ref());
            ui.horizontal(|ui| {
                let create = ui.add_enabled(problem.is_none(), egui::Button::new(t.t("new.create"))).clicked();
                if (create || (entered && problem.is_none()))
                    && let Some(member) = member.clone()
                {
                    v.send(SessionCmd::CreateAssessment(NewAssessment {
                        member,
                        cycle: f.cycle.trim().parse().unwrap_or_default(),
                        assessor_name: f.assessor_name.trim().to_string(),
                        assessor_role: f.assessor_role.trim().to_string(),
                        language: t.code().to_string(),
                    }));
                    // The form closes when the new assessment opens; on failure it stays filled.
                }
                if ui.button(t.t("common.cancel")).clicked() {
                    close = true;
                }
                if let Some(p) = problem {
                    ui.label(egui::RichText::new(t.t(p)).color(theme::WARN));
                }
            });
        });
        if close {
            self.form = None;
        }
    }
}
