//! Sign-off by the head of administration; a finalised revision is read-only.

use crate::app::Command;
use crate::assessment::{Answer, Status};
use crate::ui::widgets::{fallback, short_time, text_field, theme};
use crate::ui::{Page, View};

/// The name of the head of administration signing off.
#[derive(Debug, Default)]
pub struct FinalisePage {
    pub approver: String,
    /// An unanswered indicator picked here, for the Assess page to show.
    pub go_to: Option<usize>,
    /// The sign-off summary is open, waiting for the head of administration to confirm.
    pub confirm: bool,
}

impl FinalisePage {
    /// What is being signed off, and the last chance to go back: afterwards the revision is
    /// read-only and the need categories can no longer change.
    fn confirm_ui(&mut self, ui: &mut egui::Ui, v: &mut View, s: &crate::app::Session) {
        if !self.confirm || s.read_only() {
            self.confirm = false;
            return;
        }
        let t = v.lang();
        let gaps = s.gaps.len();
        let classified = s.gaps.iter().filter(|g| g.need.is_some()).count();
        let requests = s.gaps.iter().filter(|g| g.need == Some(crate::assessment::NeedCategory::C)).count();
        let mut answer = None;
        crate::ui::widgets::dialog(t.t("finalise.confirm_title")).show(ui.ctx(), |ui| {
            ui.label(
                t.f("finalise.confirm_answered", &[("answered", &s.progress.answered), ("total", &s.progress.total)]),
            );
            let line =
                t.f("finalise.confirm_gaps", &[("classified", &classified), ("gaps", &gaps), ("requests", &requests)]);
            if classified < gaps {
                ui.label(egui::RichText::new(line).color(theme::WARN));
            } else {
                ui.label(line);
            }
            ui.label(t.f("finalise.confirm_who", &[("who", &self.approver.trim())]));
            ui.label(egui::RichText::new(t.t("finalise.confirm_warning")).strong());
            ui.horizontal(|ui| {
                if ui.button(t.t("finalise.confirm_yes")).clicked() {
                    answer = Some(true);
                }
                if ui.button(t.t("common.cancel")).clicked() {
                    answer = Some(false);
                }
            });
        });
        match answer {
            Some(true) => {
                v.send(Command::Finalise { id: s.id(), approver: self.approver.trim().to_string() });
                self.confirm = false;
            }
            Some(false) => self.confirm = false,
            None => {}
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, v: &mut View) {
        let t = v.lang();
        let Some(s) = v.snap.session.as_deref() else { return };
        self.confirm_ui(ui, v, s);
        let fw = s.framework();
        let header = s.data.header.clone();
        let progress = s.progress.clone();
        let unanswered: Vec<(usize, String)> = s
            .data
            .responses
            .iter()
            .enumerate()
            .filter(|(_, r)| r.answer == Answer::Unanswered)
            .map(|(i, r)| (i, r.indicator.clone()))
            .collect();
        let insufficient = s.data.responses.iter().filter(|r| r.answer == Answer::Insufficient).count();
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading(t.t("finalise.title"));
            if header.status == Status::Finalised {
                theme::card(ui, |ui| {
                    ui.label(t.f(
                        "finalise.already",
                        &[
                            ("who", &header.approved_by.clone().unwrap_or_default()),
                            ("when", &short_time(header.finalised_at.as_deref().unwrap_or(""))),
                        ],
                    ));
                    if !header.imported && !s.has_newer_revision && ui.button(t.t("assess.start_revision")).clicked() {
                        v.send(Command::StartRevision(s.id()));
                    }
                });
                if !header.imported {
                    ui.add_space(8.0);
                    export_return_ui(ui, v);
                }
                return;
            }
            ui.label(egui::RichText::new(t.t("finalise.intro")).weak());
            ui.add_space(8.0);
            theme::card(ui, |ui| {
                for (code, answered, total) in &progress.pillars {
                    let name = fw.pillar_name(code, t);
                    ui.label(
                        t.f("finalise.pillar_line", &[("pillar", &name), ("answered", answered), ("total", total)]),
                    );
                }
                if insufficient > 0 {
                    ui.label(
                        egui::RichText::new(t.f("finalise.insufficient", &[("n", &insufficient)])).color(theme::WARN),
                    );
                }
            });
            ui.add_space(8.0);
            if !unanswered.is_empty() {
                ui.label(
                    egui::RichText::new(t.f("finalise.unanswered", &[("n", &unanswered.len())]))
                        .color(theme::WARN)
                        .strong(),
                );
                let mut go = None;
                ui.horizontal_wrapped(|ui| {
                    for (i, code) in &unanswered {
                        if ui.small_button(code).clicked() {
                            go = Some(*i);
                        }
                    }
                });
                if let Some(i) = go {
                    self.go_to = Some(i);
                    v.go = Some(Page::Assess);
                }
                return;
            }
            if !s.problems.is_empty() {
                // What the Secretariat's import would refuse: fixed here, before signing off.
                theme::card(ui, |ui| {
                    ui.label(
                        egui::RichText::new(t.f("finalise.problems_title", &[("n", &s.problems.len())]))
                            .color(theme::BAD)
                            .strong(),
                    );
                    for p in s.problems.iter().take(10) {
                        ui.label(format!("• {}", p.message(t)));
                    }
                });
                ui.add_space(8.0);
            }
            theme::card(ui, |ui| {
                theme::section(ui, t.t("finalise.sign_off"));
                ui.label(t.t("finalise.sign_help"));
                text_field(ui, t.t("finalise.approver"), &mut self.approver, 300.0);
                let ok = !self.approver.trim().is_empty() && s.problems.is_empty();
                if ui.add_enabled(ok, egui::Button::new(t.t("finalise.button"))).clicked() {
                    self.confirm = true;
                }
            });
        });
    }
}

/// Export the return, then explain how to send it.
fn export_return_ui(ui: &mut egui::Ui, v: &mut View) {
    let t = v.lang();
    let snap = v.snap;
    theme::card(ui, |ui| {
        theme::section(ui, t.t("export.return_title"));
        ui.label(t.t("export.return_help"));
        if snap.settings.secretariat_key_valid() {
            ui.label(egui::RichText::new(t.t("export.will_encrypt")).color(theme::GOOD));
        } else {
            ui.label(egui::RichText::new(t.t("export.not_encrypted")).color(theme::WARN));
        }
        ui.horizontal(|ui| {
            if ui.button(t.t("export.return_button")).clicked() {
                v.send(Command::ExportReturn { dest: v.ask_dest() });
            }
        });
        if fallback::save_folder(ui, v, "return_folder", &[t.t("export.save_return_here")]).is_some() {
            v.send(Command::ExportReturn { dest: v.folder_dest() });
        }
    });
    let Some(e) = snap.last_export.clone() else { return };
    ui.add_space(8.0);
    theme::card(ui, |ui| {
        theme::section(ui, t.t("send.title"));
        ui.label(t.f("send.file", &[("path", &e.path.display()), ("kb", &format!("{:.1}", e.size as f64 / 1024.0))]));
        let email = snap.settings.secretariat_email.trim().to_string();
        if email.is_empty() {
            ui.label(egui::RichText::new(t.t("send.no_address")).color(theme::WARN));
        } else {
            ui.label(t.f("send.address", &[("email", &email)]));
        }
        ui.label(t.t("send.steps"));
        ui.horizontal(|ui| {
            if ui.button(t.t("send.open_mail")).clicked()
                && let Some(url) = snap.mailto()
            {
                v.send(Command::OpenMail(url));
            }
            if ui.button(t.t("send.open_folder")).clicked()
                && let Some(dir) = e.path.parent()
            {
                v.send(Command::OpenFolder(dir.to_path_buf()));
            }
        });
        fallback::send_by_hand(ui, v, &e);
    });
}
