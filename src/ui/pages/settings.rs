//! Language, role, member, look, and where the data lives.

use crate::app::{BackupCmd, KeysCmd, SettingsCmd};
use crate::app::{Role, Settings, ThemeChoice};
use crate::lang::Lang;
use crate::ui::View;
use crate::ui::widgets::{member_name, member_picker, short_time, text_field, theme};

/// Each change is sent as it is made (and shows at once); the scale only when the slider is
/// released, so the page does not jump under the pointer. Until then it lives here.
#[derive(Debug, Default)]
pub struct SettingsPage {
    pub scale: Option<f32>,
    /// A member's key being pinned by hand (Secretariat).
    pub pin_member: Option<String>,
    pub pin_key: String,
}

impl SettingsPage {
    pub fn ui(&mut self, ui: &mut egui::Ui, v: &mut View) {
        let mut d = v.snap.settings.clone();
        d.ui_scale = self.scale.unwrap_or(d.ui_scale);
        let scale_done = egui::ScrollArea::vertical()
            .show(ui, |ui| {
                let done = settings_ui(ui, v, &mut d);
                crate::ui::widgets::feedback::card_ui(ui, v);
                framework_ui(ui, v);
                if v.snap.settings.role == Some(Role::Secretariat) {
                    ui.add_space(8.0);
                    self.member_keys_ui(ui, v);
                }
                done
            })
            .inner;
        self.scale = (!scale_done && d.ui_scale != v.snap.settings.ui_scale).then_some(d.ui_scale);
    }
}

/// The framework's content revision in use, its change log, and importing a framework file.
fn framework_ui(ui: &mut egui::Ui, v: &mut View) {
    let t = v.lang();
    ui.add_space(8.0);
    theme::card(ui, |ui| {
        theme::section(ui, t.t("fwimport.title"));
        if let Some(f) = &v.snap.framework {
            let key = if f.imported { "fwimport.held" } else { "fwimport.builtin" };
            ui.label(t.f(key, &[("revision", &f.revision)]));
            for c in &f.change_log {
                ui.label(format!("• {}", c.get(t)));
            }
        }
        if v.snap.settings.role == Some(Role::Secretariat) {
            ui.label(egui::RichText::new(t.t("fwimport.export_help")).weak());
            ui.horizontal(|ui| {
                if ui.button(t.t("fwimport.export")).clicked() {
                    v.send(crate::app::FrameworkCmd::ExportBook { dest: v.ask_dest() });
                }
                if ui.button(t.t("fwimport.export_here")).clicked() {
                    v.send(crate::app::FrameworkCmd::ExportBook { dest: v.folder_dest() });
                }
            });
        }
        ui.label(egui::RichText::new(t.t("fwimport.help")).weak());
        if ui.button(t.t("fwimport.button")).clicked() {
            v.send(crate::app::FrameworkCmd::Pick);
        }
    });
}

impl SettingsPage {
    /// The members' keys the Secretariat trusts, and pinning one by hand before any return.
    fn member_keys_ui(&mut self, ui: &mut egui::Ui, v: &mut View) {
        let t = v.lang();
        theme::card(ui, |ui| {
            theme::section(ui, t.t("keys.members_title"));
            ui.label(egui::RichText::new(t.t("keys.members_help")).weak());
            let active: Vec<_> = v.snap.member_keys.iter().filter(|k| k.active).collect();
            if active.is_empty() {
                ui.label(t.t("keys.none_pinned"));
            }
            egui::Grid::new("member_keys").striped(true).num_columns(3).show(ui, |ui| {
                for k in active {
                    ui.label(member_name(&k.member, t));
                    ui.monospace(&k.fingerprint);
                    let how = match k.how {
                        crate::store::PinHow::FirstUse => t.t("keys.pinned_first_use"),
                        crate::store::PinHow::ByHand => t.t("keys.pinned_by_hand"),
                    };
                    ui.label(format!("{how} · {}", short_time(&k.pinned_at)));
                    ui.end_row();
                    if !k.shared_with.is_empty() {
                        ui.label("");
                        let names: Vec<&str> = k.shared_with.iter().map(|m| member_name(m, t)).collect();
                        let warn = t.f("keys.shared_with", &[("members", &names.join(", "))]);
                        ui.label(egui::RichText::new(warn).color(theme::WARN));
                        ui.end_row();
                    }
                }
            });
            ui.add_space(6.0);
            member_picker(ui, t, &mut self.pin_member);
            text_field(ui, t.t("keys.pin_key"), &mut self.pin_key, 420.0);
            let ready = self.pin_member.is_some() && !self.pin_key.trim().is_empty();
            if ui.add_enabled(ready, egui::Button::new(t.t("keys.pin_button"))).clicked()
                && let Some(member) = self.pin_member.clone()
            {
                v.send(KeysCmd::Pin { member, key: self.pin_key.trim().to_string(), replace: false });
                self.pin_key.clear();
            }
            // A key that replaces another, or that another member has: a loud stop, both named.
            if let Some(p) = v.snap.pin_conflict.clone() {
                ui.add_space(4.0);
                ui.label(egui::RichText::new(p.why.text(t)).color(theme::WARN));
                ui.horizontal(|ui| {
                    if ui.button(t.t("keys.pin_replace")).clicked() {
                        v.send(KeysCmd::Pin { member: p.member.clone(), key: p.key.clone(), replace: true });
                    }
                    if ui.button(t.t("keys.pin_keep")).clicked() {
                        v.send(KeysCmd::KeepPinned);
                    }
                });
            }
        });
    }
}

/// Draws the settings; true when the scale slider was released.
fn settings_ui(ui: &mut egui::Ui, v: &mut View, d: &mut Settings) -> bool {
    let t = v.lang();
    let snap = v.snap;
    let before = d.clone();
    let mut scale_done = false;
    ui.scope(|ui| {
        ui.heading(t.t("settings.title"));
        ui.add_space(6.0);
        theme::card(ui, |ui| {
            theme::section(ui, t.t("setup.language"));
            ui.horizontal(|ui| {
                for lang in Lang::ALL {
                    ui.radio_value(&mut d.lang, lang, lang.native_name());
                }
            });
            theme::section(ui, t.t("setup.role"));
            ui.horizontal(|ui| {
                ui.radio_value(&mut d.role, Some(Role::Administration), t.t("role.administration"));
                ui.radio_value(&mut d.role, Some(Role::Secretariat), t.t("role.secretariat"));
            });
            if d.role == Some(Role::Administration) {
                theme::section(ui, t.t("setup.member"));
                member_picker(ui, t, &mut d.member);
            }
        });
        ui.add_space(8.0);
        theme::card(ui, |ui| {
            theme::section(ui, t.t("settings.look"));
            ui.horizontal(|ui| {
                ui.radio_value(&mut d.theme, ThemeChoice::Light, t.t("settings.light"));
                ui.radio_value(&mut d.theme, ThemeChoice::Dark, t.t("settings.dark"));
            });
            ui.horizontal(|ui| {
                let l = ui.label(t.t("settings.scale"));
                let r = ui
                    .add(egui::Slider::new(&mut d.ui_scale, 0.8..=1.6).step_by(0.05).fixed_decimals(2))
                    .labelled_by(l.id);
                // Applied when the pointer is released (a new scale while the button is still down
                // moves the slider under the pointer, which ran it to its maximum); the arrow keys
                // apply at once.
                let pointer_down = ui.input(|i| i.pointer.any_down());
                scale_done = r.drag_stopped() || r.clicked() || (r.changed() && !pointer_down);
            });
        });
        ui.add_space(8.0);
        theme::card(ui, |ui| {
            theme::section(ui, t.t("settings.secretariat"));
            text_field(ui, t.t("settings.secretariat_email"), &mut d.secretariat_email, 300.0);
            if d.role == Some(Role::Administration) {
                text_field(ui, t.t("settings.secretariat_key"), &mut d.secretariat_key, 480.0);
                let key = d.secretariat_key.trim();
                if key.is_empty() {
                    ui.label(egui::RichText::new(t.t("settings.key_empty")).weak());
                } else if d.secretariat_key_valid() {
                    ui.label(egui::RichText::new(t.t("settings.key_ok")).color(theme::GOOD));
                } else {
                    ui.label(egui::RichText::new(t.t("settings.key_bad")).color(theme::BAD));
                }
            }
        });
        if d.role == Some(Role::Secretariat) {
            ui.add_space(8.0);
            theme::card(ui, |ui| {
                theme::section(ui, t.t("keys.title"));
                match snap.own_public_key.clone() {
                    Some(public) => {
                        ui.label(t.t("keys.share"));
                        ui.horizontal(|ui| {
                            ui.code(&public);
                            if ui.button(t.t("keys.copy")).clicked() {
                                ui.ctx().copy_text(public.clone());
                            }
                        });
                        if let Some(p) = &snap.identity_path {
                            ui.label(egui::RichText::new(t.f("keys.private_at", &[("path", &p.display())])).weak());
                        }
                    }
                    None => {
                        ui.label(t.t("keys.none"));
                        if ui.button(t.t("keys.generate")).clicked() {
                            v.send(KeysCmd::GenerateKeypair);
                        }
                    }
                }
            });
        }
        if let Some((fingerprint, public)) = &snap.signing {
            ui.add_space(8.0);
            theme::card(ui, |ui| {
                theme::section(ui, t.t("keys.signing_title"));
                ui.label(
                    egui::RichText::new(t.f("keys.fingerprint", &[("fingerprint", fingerprint)])).strong().size(18.0),
                );
                ui.label(egui::RichText::new(t.t("keys.signing_help")).weak());
                ui.horizontal(|ui| {
                    ui.code(public);
                    if ui.button(t.t("keys.copy")).clicked() {
                        ui.ctx().copy_text(public.clone());
                    }
                });
            });
        }
        ui.add_space(8.0);
        theme::card(ui, |ui| {
            theme::section(ui, t.t("settings.data"));
            if let Some(path) = snap.db_path.as_ref().map(|p| p.display()) {
                ui.label(t.f("settings.db_path", &[("path", &path)]));
            }
            ui.label(egui::RichText::new(t.t("settings.backup_help")).weak());
            ui.horizontal(|ui| {
                if ui.button(t.t("settings.backup_now")).clicked() {
                    v.send(BackupCmd::Now);
                }
                if ui.button(t.t("settings.restore")).clicked() {
                    v.send(BackupCmd::Pick);
                }
            });
            crate::ui::widgets::fallback::backup_path(ui, v);
        });
    });
    restore_confirm_ui(ui, v);
    let mut others = d.clone();
    others.ui_scale = before.ui_scale;
    if (others != before || scale_done) && d.setup_done() {
        let mut s = d.clone();
        if !scale_done {
            s.ui_scale = snap.settings.ui_scale;
        }
        v.send(SettingsCmd::Save(s));
    }
    scale_done
}

/// What the chosen backup holds, and the confirmation before it replaces the database.
pub(crate) fn restore_confirm_ui(ui: &mut egui::Ui, v: &mut View) {
    let Some(info) = &v.snap.backup_info else { return };
    let t = v.lang();
    let mut answer = None;
    crate::ui::widgets::dialog(t.t("restore.title")).show(ui.ctx(), |ui| {
        let members: Vec<&str> = info.members.iter().map(|m| member_name(m, t)).collect();
        let cycles: Vec<String> = info.cycles.iter().map(|c| c.to_string()).collect();
        ui.label(t.f("restore.file", &[("path", &info.path.display())]));
        ui.label(t.f(
            "restore.holds",
            &[("n", &info.assessments), ("members", &members.join(", ")), ("cycles", &cycles.join(", "))],
        ));
        if let Some(when) = &info.newest_update {
            ui.label(t.f("restore.newest", &[("when", &short_time(when))]));
        }
        ui.label(egui::RichText::new(t.t("restore.warning")).color(theme::WARN));
        ui.horizontal(|ui| {
            if ui.button(t.t("restore.yes")).clicked() {
                answer = Some(true);
            }
            if ui.button(t.t("common.cancel")).clicked() {
                answer = Some(false);
            }
        });
    });
    match answer {
        Some(true) => v.send(BackupCmd::Restore(info.path.clone())),
        Some(false) => v.send(BackupCmd::Cancel),
        None => {}
    }
}
