//! Import returns: pick files, a folder, or drop them on the window; runs in the background.

use crate::secretariat::import::Outcome;
use crate::ui::pages::home::short_time;
use crate::ui::state::AppState;
use crate::ui::theme;
use egui::RichText;
use egui_extras::{Column, TableBuilder};

pub fn outcome_color(o: &str) -> egui::Color32 {
    match o {
        "accepted" | "supersedes" => theme::GOOD,
        "already_imported" => egui::Color32::GRAY,
        "conflict" => theme::WARN,
        _ => theme::BAD,
    }
}

pub fn import_ui(ui: &mut egui::Ui, st: &mut AppState) {
    let t = st.lang();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.heading(t.t("import.title"));
        ui.label(RichText::new(t.t("import.intro")).weak());
        ui.add_space(6.0);
        if let Some(job) = &st.sec.job {
            let (done, total) = (job.done, job.total);
            theme::card(ui, |ui| {
                ui.label(t.f("import.progress", &[("done", &done), ("total", &total)]));
                ui.add(egui::ProgressBar::new(done as f32 / total.max(1) as f32).show_percentage());
                if ui.button(t.t("import.cancel")).clicked() {
                    st.cancel_import();
                }
            });
        } else {
            theme::card(ui, |ui| {
                ui.horizontal(|ui| {
                    if ui.button(t.t("import.pick_files")).clicked()
                        && let Some(files) =
                            rfd::FileDialog::new().add_filter("OCO return", &[crate::exchange::EXTENSION]).pick_files()
                    {
                        st.start_import(files, ui.ctx());
                    }
                    if ui.button(t.t("import.pick_folder")).clicked()
                        && let Some(dir) = rfd::FileDialog::new().pick_folder()
                    {
                        st.start_import(crate::ui::sec::returns_in(&dir), ui.ctx());
                    }
                    ui.label(RichText::new(t.t("import.drop")).weak());
                });
                ui.horizontal(|ui| {
                    let l = ui.label(t.t("import.folder"));
                    ui.add(egui::TextEdit::singleline(&mut st.sec.folder).desired_width(380.0)).labelled_by(l.id);
                    if ui.button(t.t("import.folder_button")).clicked() {
                        let files = crate::ui::sec::returns_in(std::path::Path::new(st.sec.folder.trim()));
                        if files.is_empty() {
                            st.info(t.t("import.folder_empty").to_string());
                        }
                        st.start_import(files, ui.ctx());
                    }
                });
                if st.own_public_key.is_none() {
                    ui.label(RichText::new(t.t("import.no_key")).weak().small());
                }
            });
        }
        if !st.sec.results.is_empty() {
            theme::section(ui, t.t("import.results"));
            results_table(ui, st, "session");
        }
        theme::section(ui, t.t("import.history"));
        history_table(ui, st);
    });
}

fn results_table(ui: &mut egui::Ui, st: &AppState, id: &str) {
    let t = st.lang();
    TableBuilder::new(ui)
        .id_salt(id)
        .striped(true)
        .vscroll(false)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::exact(230.0).clip(true))
        .column(Column::exact(120.0))
        .column(Column::exact(140.0))
        .column(Column::exact(60.0))
        .column(Column::exact(50.0))
        .column(Column::remainder().clip(true))
        .header(26.0, |mut h| {
            for k in [
                "import.col_file",
                "import.col_outcome",
                "col.member",
                "col.cycle",
                "col.revision",
                "import.col_reason",
            ] {
                h.col(|ui| {
                    ui.strong(t.t(k));
                });
            }
        })
        .body(|mut body| {
            for r in &st.sec.results {
                body.row(26.0, |mut row| {
                    row.col(|ui| {
                        ui.label(&r.file_name);
                    });
                    row.col(|ui| {
                        ui.label(
                            RichText::new(t.t(&format!("outcome.{}", r.outcome.code())))
                                .color(outcome_color(r.outcome.code()))
                                .strong(),
                        );
                    });
                    row.col(|ui| {
                        let name = r
                            .member
                            .as_deref()
                            .and_then(crate::framework::member)
                            .map(|m| m.name.get(t))
                            .unwrap_or("–");
                        ui.label(name);
                    });
                    row.col(|ui| {
                        ui.label(r.cycle.map(|c| c.to_string()).unwrap_or_default());
                    });
                    row.col(|ui| {
                        ui.label(r.revision.map(|c| c.to_string()).unwrap_or_default());
                    });
                    row.col(|ui| {
                        ui.label(&r.reason).on_hover_text(&r.reason);
                    });
                });
            }
        });
    let _ = Outcome::Accepted;
}

fn history_table(ui: &mut egui::Ui, st: &AppState) {
    let t = st.lang();
    if st.sec.received.is_empty() {
        ui.label(t.t("import.none_yet"));
        return;
    }
    TableBuilder::new(ui)
        .id_salt("history")
        .striped(true)
        .vscroll(false)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::exact(140.0))
        .column(Column::exact(230.0).clip(true))
        .column(Column::exact(120.0))
        .column(Column::exact(140.0))
        .column(Column::exact(60.0))
        .column(Column::exact(50.0))
        .column(Column::remainder().clip(true))
        .header(26.0, |mut h| {
            for k in [
                "import.col_received",
                "import.col_file",
                "import.col_outcome",
                "col.member",
                "col.cycle",
                "col.revision",
                "import.col_reason",
            ] {
                h.col(|ui| {
                    ui.strong(t.t(k));
                });
            }
        })
        .body(|body| {
            body.rows(26.0, st.sec.received.len(), |mut row| {
                let r = &st.sec.received[row.index()];
                row.col(|ui| {
                    ui.label(short_time(&r.received_at));
                });
                row.col(|ui| {
                    ui.label(&r.file_name);
                });
                row.col(|ui| {
                    ui.label(RichText::new(t.t(&format!("outcome.{}", r.outcome))).color(outcome_color(&r.outcome)));
                });
                row.col(|ui| {
                    ui.label(crate::framework::member(&r.member).map(|m| m.name.get(t)).unwrap_or(&r.member));
                });
                row.col(|ui| {
                    ui.label(r.cycle.to_string());
                });
                row.col(|ui| {
                    ui.label(r.revision.to_string());
                });
                row.col(|ui| {
                    let reason = if r.outcome == "conflict" && r.resolved {
                        t.t("register.resolved_short")
                    } else {
                        r.reason.as_str()
                    };
                    ui.label(reason).on_hover_text(reason);
                });
            });
        });
}
