//! Import returns: pick files, a folder, or drop them on the window; runs in the background.

use crate::app::Command;
use crate::secretariat::import::FileResult;
use crate::store::ReceivedFile;
use crate::ui::View;
use crate::ui::widgets::{short_time, theme};

/// The folder typed for machines without a file dialog.
#[derive(Debug, Default)]
pub struct ImportPage {
    pub folder: String,
}

impl ImportPage {
    pub fn ui(&mut self, ui: &mut egui::Ui, v: &mut View) {
        import_ui(ui, v, &mut self.folder);
    }
}
use crate::app::ImportCmd;
use egui::RichText;
use egui_extras::{Column, TableBuilder};

pub fn outcome_color(o: &str) -> theme::Tone {
    match o {
        "accepted" | "supersedes" => theme::GOOD,
        "already_imported" => theme::MUTED,
        "conflict" | "held" => theme::WARN,
        _ => theme::BAD,
    }
}

fn import_ui(ui: &mut egui::Ui, v: &mut View, folder: &mut String) {
    let t = v.lang();
    let snap = v.snap;
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.heading(t.t("import.title"));
        ui.label(RichText::new(t.t("import.intro")).weak());
        ui.add_space(6.0);
        if let Some(job) = &snap.import {
            let (done, total) = (job.done, job.total);
            theme::card(ui, |ui| {
                ui.label(t.f("import.progress", &[("done", &done), ("total", &total)]));
                ui.add(egui::ProgressBar::new(done as f32 / total.max(1) as f32).show_percentage());
                if ui.button(t.t("import.cancel")).clicked() {
                    v.send(Command::CancelImport);
                }
            });
        } else {
            theme::card(ui, |ui| {
                ui.horizontal(|ui| {
                    if ui.button(t.t("import.pick_files")).clicked() {
                        v.send(ImportCmd::Pick { folder: false });
                    }
                    if ui.button(t.t("import.pick_folder")).clicked() {
                        v.send(ImportCmd::Pick { folder: true });
                    }
                    ui.label(RichText::new(t.t("import.drop")).weak());
                });
                crate::ui::widgets::fallback::import_hint(ui, v);
                ui.horizontal(|ui| {
                    let l = ui.label(t.t("import.folder"));
                    ui.add(egui::TextEdit::singleline(folder).desired_width(380.0)).labelled_by(l.id);
                    if ui.button(t.t("import.folder_button")).clicked() {
                        v.send(ImportCmd::Files(vec![std::path::PathBuf::from(folder.trim())]));
                    }
                });
                if snap.own_public_key.is_none() {
                    ui.label(RichText::new(t.t("import.no_key")).weak().small());
                }
            });
        }
        if !snap.import_results.is_empty() {
            theme::section(ui, t.t("import.results"));
            let results = &snap.import_results;
            // Newest first.
            files_table(ui, t, "session", results.len(), &|i| &results[results.len() - 1 - i]);
        }
        theme::section(ui, t.t("import.history"));
        if snap.sec.received.is_empty() {
            ui.label(t.t("import.none_yet"));
        } else {
            let received = &snap.sec.received;
            files_table(ui, t, "history", received.len(), &|i| &received[i]);
        }
    });
}

/// What both file tables show of a line: this session's results and every file received.
trait FileLine {
    fn received_at(&self) -> Option<&str>;
    fn file_name(&self) -> &str;
    fn outcome(&self) -> &str;
    fn member(&self) -> Option<&str>;
    fn cycle(&self) -> Option<i32>;
    fn revision(&self) -> Option<u32>;
    fn reason(&self, t: crate::lang::Lang) -> String;
}

impl FileLine for FileResult {
    fn received_at(&self) -> Option<&str> {
        None
    }
    fn file_name(&self) -> &str {
        &self.file_name
    }
    fn outcome(&self) -> &str {
        self.outcome.code()
    }
    fn member(&self) -> Option<&str> {
        self.member.as_deref()
    }
    fn cycle(&self) -> Option<i32> {
        self.cycle
    }
    fn revision(&self) -> Option<u32> {
        self.revision
    }
    fn reason(&self, t: crate::lang::Lang) -> String {
        self.reason.message(t)
    }
}

impl FileLine for ReceivedFile {
    fn received_at(&self) -> Option<&str> {
        Some(&self.received_at)
    }
    fn file_name(&self) -> &str {
        &self.file_name
    }
    fn outcome(&self) -> &str {
        &self.outcome
    }
    fn member(&self) -> Option<&str> {
        Some(&self.member)
    }
    fn cycle(&self) -> Option<i32> {
        Some(self.cycle)
    }
    fn revision(&self) -> Option<u32> {
        Some(self.revision)
    }
    fn reason(&self, t: crate::lang::Lang) -> String {
        if self.outcome == "conflict" && self.resolved {
            t.t("register.resolved_short").to_string()
        } else {
            crate::secretariat::import::Reason::from_stored(&self.reason).message(t)
        }
    }
}

/// One table for both lists; the "received" column shows when the lines have a date.
/// A table of `n` files, the `i`th drawn from `line(i)`.
fn files_table<'a, L: FileLine + 'a>(
    ui: &mut egui::Ui,
    t: crate::lang::Lang,
    id: &str,
    n: usize,
    line: &dyn Fn(usize) -> &'a L,
) {
    // Sideways on a small screen rather than cut.
    crate::ui::widgets::sideways(ui, (id, "scroll"), |ui| files_table_inner(ui, t, id, n, line));
}

fn files_table_inner<'a, L: FileLine + 'a>(
    ui: &mut egui::Ui,
    t: crate::lang::Lang,
    id: &str,
    n: usize,
    line: &dyn Fn(usize) -> &'a L,
) {
    let dated = n > 0 && line(0).received_at().is_some();
    let mut table = TableBuilder::new(ui)
        .id_salt(id)
        .striped(true)
        .vscroll(false)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
    if dated {
        table = table.column(Column::exact(140.0));
    }
    let mut keys =
        vec!["import.col_file", "import.col_outcome", "col.member", "col.cycle", "col.revision", "import.col_reason"];
    if dated {
        keys.insert(0, "import.col_received");
    }
    table
        .column(Column::exact(230.0).clip(true))
        .column(Column::exact(120.0))
        .column(Column::exact(140.0))
        .column(Column::exact(60.0))
        .column(Column::exact(80.0))
        .column(Column::remainder().clip(true))
        .header(26.0, |mut h| {
            for k in &keys {
                h.col(|ui| {
                    ui.strong(t.t(k));
                });
            }
        })
        .body(|body| {
            body.rows(26.0, n, |mut row| {
                let r = line(row.index());
                if let Some(at) = r.received_at() {
                    row.col(|ui| {
                        ui.label(short_time(at));
                    });
                }
                row.col(|ui| {
                    ui.add(egui::Label::new(r.file_name()).truncate());
                });
                row.col(|ui| {
                    let outcome = r.outcome();
                    ui.label(RichText::new(t.t(&format!("outcome.{outcome}"))).color(outcome_color(outcome)).strong());
                });
                row.col(|ui| {
                    let name = r.member().and_then(crate::framework::member).map(|m| m.name.get(t));
                    ui.label(name.or(r.member()).unwrap_or("–"));
                });
                row.col(|ui| {
                    ui.label(r.cycle().map(|c| c.to_string()).unwrap_or_default());
                });
                row.col(|ui| {
                    ui.label(r.revision().map(|c| c.to_string()).unwrap_or_default());
                });
                row.col(|ui| {
                    let reason = r.reason(t);
                    // One tooltip: egui's own, with the whole reason, when the column cuts it.
                    ui.add(egui::Label::new(reason.as_str()).truncate());
                });
            });
        });
}
