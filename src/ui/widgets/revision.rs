//! "Start a revision", confirmed: the signed-off revision stays as it is, a new draft copies it.

use crate::app::Session;
use crate::app::SessionCmd;
use crate::ui::View;

/// The button, and its confirmation while `open`.
pub fn button(ui: &mut egui::Ui, v: &mut View, s: &Session, open: &mut bool) {
    let t = v.lang();
    if ui.button(t.t("assess.start_revision")).clicked() {
        *open = true;
    }
    if !*open {
        return;
    }
    let h = &s.data.header;
    let next = h.revision + 1;
    let mut answer = None;
    super::dialog(t.t("revision.title")).show(ui.ctx(), |ui| {
        ui.set_min_width(400.0_f32.min(ui.ctx().content_rect().width() - 60.0));
        ui.set_max_width(460.0);
        ui.label(t.f("revision.what", &[("cycle", &h.cycle), ("revision", &h.revision), ("next", &next)]));
        ui.label(t.f("revision.after", &[("revision", &h.revision)]));
        ui.horizontal(|ui| {
            if ui.button(t.f("revision.yes", &[("next", &next)])).clicked() {
                answer = Some(true);
            }
            if ui.button(t.t("common.cancel")).clicked() {
                answer = Some(false);
            }
        });
    });
    match answer {
        Some(true) => {
            v.send(SessionCmd::StartRevision(s.id()));
            *open = false;
        }
        Some(false) => *open = false,
        None => {}
    }
}
