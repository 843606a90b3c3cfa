//! The development plan's actions as the Plan page and the sign-off review show them.

use crate::app::Session;
use crate::lang::Lang;
use crate::plan::{Action, ActionStatus, words};
use crate::ui::widgets::theme;
use egui::RichText;

/// One action: its indicator and what, then who, when, resources and status; a carried action
/// says the plan it came from, and a done one the indicator's level change since last cycle.
pub fn action_lines(ui: &mut egui::Ui, s: &Session, a: &Action, t: Lang) {
    ui.label(RichText::new(format!("{} — {}", a.indicator, a.what)).strong());
    let mut line = format!(
        "{} · {} · {} · ",
        a.owner,
        t.f("plan.dates", &[("start", &a.start), ("end", &a.end)]),
        words::resources(a.resources, t)
    );
    line.push_str(words::status(a.status, t));
    if a.status.is_none() {
        ui.label(RichText::new(line).color(theme::WARN).small());
    } else {
        ui.label(RichText::new(line).small());
    }
    let mut notes = Vec::new();
    if a.is_request() && !a.request.is_empty() {
        notes.push(format!("{}: {}", t.t("plan.label.request"), a.request));
    }
    if !a.reason.is_empty() {
        notes.push(format!("{}: {}", t.t("plan.label.reason"), a.reason));
    }
    if !a.progress.is_empty() {
        notes.push(format!("{}: {}", t.t("plan.label.progress"), a.progress));
    }
    if let Some(c) = a.from_cycle {
        notes.push(t.f("plan.from_cycle", &[("cycle", &c)]));
    }
    if a.status == Some(ActionStatus::Done)
        && let Some(d) = s.level_change(&a.indicator)
    {
        notes.push(t.f("plan.level_change", &[("change", &format!("{d:+}"))]));
    }
    for n in notes {
        ui.label(RichText::new(n).weak().small());
    }
}

/// The plan as the head of administration signs it: every action (gap's priority order) with its
/// owner and dates.
pub fn signoff_list(ui: &mut egui::Ui, s: &Session, t: Lang) {
    theme::section(ui, &t.f("plan.signoff.title", &[("n", &s.data.plan.len())]));
    if s.data.plan.is_empty() {
        ui.label(RichText::new(t.t("plan.signoff.none")).color(theme::WARN));
        return;
    }
    egui::Grid::new("signoff_plan").num_columns(4).spacing([12.0, 2.0]).striped(true).show(ui, |ui| {
        for i in s.plan_order() {
            let a = &s.data.plan[i];
            ui.label(&a.indicator);
            ui.add(egui::Label::new(&a.what).wrap());
            ui.label(&a.owner);
            ui.label(t.f("plan.dates", &[("start", &a.start), ("end", &a.end)]));
            ui.end_row();
        }
    });
}
