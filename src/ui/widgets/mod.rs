//! Pieces shared by several pages: pickers, time, badges, charts and the look. Pages import
//! these, never each other.

pub mod charts;
pub mod fallback;
pub mod feedback;
pub mod plan;
pub mod revision;
pub mod sections;
pub mod theme;

use crate::app::SecCmd;
use crate::app::{Command, Snapshot};
use crate::assessment::Status;
use crate::framework;
use crate::lang::Lang;

/// A labelled single-line text field whose label is its accessible name.
/// A long label (French) wraps onto a second line rather than being cut; the field is never
/// wider than the room left.
pub fn text_field(ui: &mut egui::Ui, label: &str, value: &mut String, width: f32) -> egui::Response {
    ui.horizontal(|ui| {
        let label_w = 230.0;
        let l = ui
            .allocate_ui_with_layout(
                egui::vec2(label_w, 24.0),
                egui::Layout::left_to_right(egui::Align::Center).with_main_wrap(true),
                |ui| {
                    ui.set_min_width(label_w);
                    ui.add(egui::Label::new(label).wrap())
                },
            )
            .inner;
        let max = crate::assessment::limits::NAME_MAX;
        let width = width.min(ui.available_width() - 8.0).max(120.0);
        ui.add(egui::TextEdit::singleline(value).desired_width(width).char_limit(max)).labelled_by(l.id)
    })
    .inner
}

/// A question the user must answer before going on, in the middle of the window: modal (the
/// page behind is dimmed and takes no click or key until the question is answered).
pub fn dialog(title: &str) -> Dialog<'_> {
    Dialog { title }
}

/// See [`dialog`].
pub struct Dialog<'a> {
    title: &'a str,
}

impl Dialog<'_> {
    pub fn show<R>(self, ctx: &egui::Context, add_contents: impl FnOnce(&mut egui::Ui) -> R) -> R {
        egui::Modal::new(egui::Id::unique(("dialog", self.title)))
            .show(ctx, |ui| {
                ui.label(egui::RichText::new(self.title).heading().strong());
                ui.separator();
                add_contents(ui)
            })
            .inner
    }
}

/// An answer in a few characters: its level ("3"), "Not applicable", "Insufficient
/// information", or "–" when unanswered.
pub fn answer_short(a: crate::assessment::Answer, t: Lang) -> String {
    use crate::assessment::Answer;
    match a {
        Answer::Level(n) => n.to_string(),
        Answer::NotApplicable => t.t("answer.na").to_string(),
        Answer::Insufficient => t.t("answer.insufficient").to_string(),
        Answer::Unanswered => "–".to_string(),
    }
}

/// A stored UTC timestamp as local "2026-11-23 10:04".
pub fn short_time(ts: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(ts)
        .map(|d| d.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| ts.to_string())
}

/// Draft, finalised or imported, as a coloured badge.
pub fn status_badge(ui: &mut egui::Ui, t: Lang, status: Status, imported: bool) {
    let (key, color) = match (status, imported) {
        (_, true) => ("status.imported", theme::ACCENT),
        (Status::Draft, _) => ("status.draft", theme::badge_fill(theme::WARN)),
        (Status::Finalised, _) => ("status.finalised", theme::badge_fill(theme::GOOD)),
    };
    egui::Frame::new().fill(color).corner_radius(8.0).inner_margin(egui::Margin::symmetric(8, 2)).show(ui, |ui| {
        ui.label(egui::RichText::new(t.t(key)).color(egui::Color32::WHITE).small().strong());
    });
}

/// A member's name in the user's language (the code if unknown).
pub fn member_name(code: &str, t: Lang) -> &str {
    framework::member(code).map(|m| m.name.get(t)).unwrap_or(code)
}

/// The 23 members by sub-region, as a combo box; changes `member`.
pub fn member_picker(ui: &mut egui::Ui, t: Lang, member: &mut Option<String>) {
    let current = member.as_deref().and_then(framework::member).map(|m| m.name.get(t).to_string());
    // The list opens below its selector: never taller than the room under it.
    let below = ui.ctx().content_rect().bottom() - ui.cursor().top() - 48.0;
    egui::ComboBox::new("member", t.t("setup.member_label"))
        .width(320.0_f32.min(ui.available_width() - 120.0).max(180.0))
        .height(below.clamp(140.0, 420.0))
        .selected_text(current.unwrap_or_else(|| t.t("setup.choose_member").to_string()))
        .show_ui(ui, |ui| {
            for region in framework::SUBREGIONS {
                ui.label(egui::RichText::new(t.t(&format!("subregion.{region}"))).strong().small());
                let mut members: Vec<_> = framework::members().iter().filter(|m| m.subregion == region).collect();
                members.sort_by_key(|m| sort_key(m.name.get(t)));
                for m in members {
                    let selected = member.as_deref() == Some(m.code.as_str());
                    if ui.selectable_label(selected, m.name.get(t)).clicked() {
                        *member = Some(m.code.clone());
                    }
                }
            }
        });
}

/// The Secretariat's cycle, as a combo box; a new choice is sent as a command.
pub fn cycle_picker(ui: &mut egui::Ui, snap: &Snapshot, out: &mut Vec<Command>) {
    let t = snap.lang();
    let mut chosen = snap.sec.cycle;
    let l = ui.label(t.t("sec.cycle"));
    egui::ComboBox::from_id_salt("sec_cycle")
        .selected_text(chosen.map(|c| c.to_string()).unwrap_or_else(|| "–".into()))
        .show_ui(ui, |ui| {
            for c in &snap.sec.cycles {
                ui.selectable_value(&mut chosen, Some(*c), c.to_string());
            }
        })
        .response
        .labelled_by(l.id);
    if let Some(c) = chosen
        && snap.sec.cycle != Some(c)
    {
        out.push(SecCmd::SetCycle(c).into());
    }
}

/// "No returns yet" when the Secretariat has nothing for the cycle; true if shown.
pub fn no_data_ui(ui: &mut egui::Ui, snap: &Snapshot) -> bool {
    if snap.sec.consolidation.is_none() {
        theme::card(ui, |ui| {
            ui.label(snap.lang().t("sec.no_data"));
        });
        return true;
    }
    false
}

/// A name folded for sorting, so "États" sorts with "E" and "Îles" with "I".
pub fn sort_key(name: &str) -> String {
    crate::lang::sort_key(name)
}

/// A wide table or grid that scrolls sideways when the window is narrower than it. Its width is
/// what is visible (the clip rect), not what the page's layout claims: a wide widget above can
/// widen the layout past the window's edge, and then nothing would scroll.
pub fn sideways<R>(ui: &mut egui::Ui, id: impl egui::AsIdSalt, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    let visible = (ui.clip_rect().right() - ui.cursor().left()).max(120.0);
    egui::ScrollArea::horizontal().id_salt(id).max_width(visible).show(ui, add).inner
}
