//! The administration's profile (prefilled from Appendix 1 of the plan) and the assessment's details.

use crate::app::SessionCmd;
use crate::framework::{self, ProfileField};
use crate::ui::View;
use crate::ui::widgets::{short_time, text_field, theme};

/// The choices offered for each profile field; stored as these codes.
pub const CHOICES: [(ProfileField, &[&str]); 7] = [
    // The HS editions come from the framework (current_hs_edition): see `choices`.
    (ProfileField::HsVersion, &["not_implemented", "unknown"]),
    (ProfileField::Rkc, &["yes", "partial", "no", "unknown"]),
    (ProfileField::WtoValuation, &["yes", "no", "unknown"]),
    (ProfileField::RiskManagement, &["yes", "no", "not_implemented", "unknown"]),
    (
        ProfileField::Automation,
        &["ASYCUDA World", "ASYCUDA", "CusMOD", "PC Trade", "CIS", "CMS", "other", "none", "unknown"],
    ),
    (ProfileField::Arusha, &["yes", "no", "unknown"]),
    (ProfileField::Pca, &["yes", "no", "not_implemented", "unknown"]),
];

/// The choices offered for each profile field, the HS editions first from the current framework's
/// `current_hs_edition` (newest first), so that a new edition is a data change.
pub fn choices() -> Vec<(ProfileField, Vec<String>)> {
    CHOICES
        .iter()
        .map(|(field, fixed)| {
            let mut options: Vec<String> = match field {
                ProfileField::HsVersion => framework::current().meta.hs_editions(),
                _ => Vec::new(),
            };
            options.extend(fixed.iter().map(|s| s.to_string()));
            (*field, options)
        })
        .collect()
}

/// The user's words for a stored profile value.
pub fn value_label(t: crate::lang::Lang, value: &str) -> String {
    match value {
        "yes" | "no" | "partial" | "unknown" | "not_implemented" | "none" | "other" => {
            t.t(&format!("value.{value}")).to_string()
        }
        v if v.chars().all(|c| c.is_ascii_digit()) => format!("HS {v}"),
        v => v.to_string(),
    }
}

/// The assessor's name and role being typed, for the assessment they belong to.
#[derive(Debug, Default)]
pub struct ProfilePage {
    assessor: Option<(crate::ids::AssessmentId, String, String)>,
}

impl ProfilePage {
    pub fn ui(&mut self, ui: &mut egui::Ui, v: &mut View) {
        let t = v.lang();
        let Some(s) = v.snap.session.as_deref() else { return };
        let read_only = s.read_only();
        let header = s.data.header.clone();
        let mut profile = s.data.profile.clone();
        let baseline = framework::member(&header.member).map(|m| m.baseline.clone()).unwrap_or_default();
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading(t.t("profile.title"));
            ui.label(egui::RichText::new(t.t("profile.intro")).weak());
            ui.add_space(8.0);
            let mut changed = false;
            ui.add_enabled_ui(!read_only, |ui| {
                theme::card(ui, |ui| {
                    egui::Grid::new("profile").num_columns(3).spacing([18.0, 10.0]).striped(true).show(ui, |ui| {
                        ui.strong(t.t("profile.field"));
                        ui.strong(t.t("profile.current"));
                        ui.strong(t.t("profile.baseline"));
                        ui.end_row();
                        for (field, options) in choices() {
                            let l = ui.label(t.t(&format!("profile.{}", field.code())));
                            let before = field.get(&profile).clone();
                            let value = field.get_mut(&mut profile);
                            egui::ComboBox::from_id_salt(field.code())
                                .width(200.0)
                                .selected_text(value_label(t, value))
                                .show_ui(ui, |ui| {
                                    for o in options.iter() {
                                        ui.selectable_value(value, o.to_string(), value_label(t, o));
                                    }
                                })
                                .response
                                .labelled_by(l.id);
                            changed |= *value != before;
                            let base = field.get(&baseline).clone();
                            ui.label(egui::RichText::new(value_label(t, &base)).weak());
                            ui.end_row();
                        }
                    });
                });
            });
            if changed {
                v.send(SessionCmd::UpdateProfile { id: s.id(), profile });
            }

            ui.add_space(12.0);
            ui.heading(t.t("profile.details"));
            // The names being typed stay here until written (a blank name is never written).
            if self.assessor.as_ref().is_none_or(|(id, _, _)| *id != s.id()) {
                self.assessor = Some((s.id(), header.assessor_name.clone(), header.assessor_role.clone()));
            }
            let Some((_, name, role)) = self.assessor.as_mut() else { return };
            ui.add_enabled_ui(!read_only, |ui| {
                let a = text_field(ui, t.t("new.assessor_name"), name, 300.0).changed();
                let b = text_field(ui, t.t("new.assessor_role"), role, 300.0).changed();
                if (a || b) && !name.trim().is_empty() {
                    v.send(SessionCmd::UpdateAssessor { id: s.id(), name: name.clone(), role: role.clone() });
                }
            });
            ui.label(t.f("profile.created", &[("when", &short_time(&header.created_at))]));
            if let (Some(by), Some(when)) = (&header.approved_by, &header.finalised_at) {
                ui.label(t.f("profile.finalised_by", &[("who", by), ("when", &short_time(when))]));
            }
        });
    }
}
