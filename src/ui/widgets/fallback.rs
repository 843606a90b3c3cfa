//! What a page shows when the computer has no system dialog or no program to open a link or a
//! folder with: a folder field in sight and what to do by hand, never nothing.

use super::theme;
use crate::app::{Dialog, LastExport, Program};
use crate::ui::View;
use egui::RichText;

/// The folder field for saving without a dialog, with one button per kind of file: folded away
/// while dialogs work, open with a message once one could not be shown. Returns the index of the
/// button pressed.
pub fn save_folder(ui: &mut egui::Ui, v: &mut View, id: &str, buttons: &[&str]) -> Option<usize> {
    let t = v.lang();
    let mut pressed = None;
    let mut fields = |ui: &mut egui::Ui, v: &mut View| {
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(t.t("export.folder"));
            ui.add(egui::TextEdit::singleline(v.export_dir).desired_width(380.0)).labelled_by(l.id);
            for (i, b) in buttons.iter().enumerate() {
                if ui.add_enabled(!v.snap.writing, egui::Button::new(*b)).clicked() {
                    pressed = Some(i);
                }
            }
        });
    };
    if v.snap.no_dialog {
        ui.label(RichText::new(t.t("dialog.none_save")).color(theme::WARN));
        fields(ui, v);
    } else {
        egui::CollapsingHeader::new(t.t("export.no_dialog")).id_salt(id).show(ui, |ui| fields(ui, v));
    }
    pressed
}

/// On the import page: why the folder field is the way in, once no dialog could be shown.
pub fn import_hint(ui: &mut egui::Ui, v: &View) {
    if v.snap.no_dialog {
        ui.label(RichText::new(v.lang().t("dialog.none_import")).color(theme::WARN));
    }
}

/// A backup file typed by hand, once no dialog could be shown.
pub fn backup_path(ui: &mut egui::Ui, v: &mut View) {
    path_field(ui, v, Dialog::Backup);
}

/// The file a choice asked for, typed by hand, once its dialog could not be shown: each kind of
/// file (a backup, the Secretariat's card, a feedback file) with its own field and words, under
/// the button that asked (issue 25: they all opened the backup's).
pub fn path_field(ui: &mut egui::Ui, v: &mut View, kind: Dialog) {
    if !v.snap.no_dialog_for.contains(&kind) {
        return;
    }
    let (why, label, button) = match kind {
        Dialog::Backup => ("dialog.none_backup", "fallback.backup_path", "fallback.read_backup"),
        Dialog::Card => ("dialog.none_card", "fallback.card_path", "fallback.import_card"),
        Dialog::Feedback => ("dialog.none_feedback", "fallback.feedback_path", "fallback.import_feedback"),
        Dialog::Section => ("section.dialog_none", "section.fallback_path", "section.fallback_import"),
        Dialog::Save | Dialog::Import => return,
    };
    let t = v.lang();
    let id = ui.scope_id().with(("path_field", why));
    let mut path: String = ui.data_mut(|d| d.get_temp(id)).unwrap_or_default();
    ui.label(RichText::new(t.t(why)).color(theme::WARN));
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(t.t(label));
        ui.add(egui::TextEdit::singleline(&mut path).desired_width(380.0)).labelled_by(l.id);
        let ok = !path.trim().is_empty();
        if ui.add_enabled(ok, egui::Button::new(t.t(button))).clicked() {
            let p = std::path::PathBuf::from(path.trim());
            match kind {
                Dialog::Backup => v.send(crate::app::BackupCmd::Inspect(p)),
                Dialog::Card => v.send(crate::app::FeedbackCmd::ImportCardFile(p)),
                Dialog::Section => v.send(crate::app::SectionsCmd::Import(vec![p])),
                _ => v.send(crate::app::FeedbackCmd::Import(vec![p])),
            }
        }
    });
    ui.data_mut(|d| d.insert_temp(id, path));
}

/// When no e-mail program or file manager could be opened: the address, subject, text and file,
/// each ready to copy.
pub fn send_by_hand(ui: &mut egui::Ui, v: &View, e: &LastExport) {
    let Some(program) = v.snap.no_program else { return };
    let t = v.lang();
    let (subject, body) = crate::app::mail::mail_parts(e, t);
    let file = e.path.display().to_string();
    let email = v.snap.settings.secretariat_email.trim().to_string();
    let mut lines = vec![("fallback.file", file)];
    if program == Program::Mail {
        lines = vec![("fallback.to", email), ("fallback.subject", subject), ("fallback.body", body), lines.remove(0)];
    }
    // Stacked, each field the full width with its Copy button on its label's line: in a grid
    // beside the labels, at 1024 px, the fields were 45 px wide (issue 25).
    for (key, text) in lines {
        let l = ui
            .horizontal(|ui| {
                let l = ui.label(RichText::new(t.t(key)).strong());
                if ui.small_button(t.t("fallback.copy")).clicked() {
                    ui.ctx().copy_text(text.clone());
                }
                l
            })
            .inner;
        let mut shown = text.as_str();
        let rows = if key == "fallback.body" { 4 } else { 1 };
        ui.add(egui::TextEdit::multiline(&mut shown).desired_rows(rows).desired_width(f32::INFINITY)).labelled_by(l.id);
        ui.add_space(4.0);
    }
}
