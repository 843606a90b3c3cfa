//! The M&E indicators of the Strategic Plan, computed from the returns and profiles.

use crate::ui::View;
use crate::ui::widgets::{cycle_picker, no_data_ui, theme};

#[derive(Debug, Default)]
pub struct MonitoringPage {
    /// The targets as typed, by cycle and line id.
    inputs: std::collections::HashMap<String, String>,
    /// The record being written: indicator, member, note.
    record: (usize, usize, String),
}

impl MonitoringPage {
    pub fn ui(&mut self, ui: &mut egui::Ui, v: &mut View) {
        monitoring_ui(ui, v, &mut self.inputs, &mut self.record);
    }
}

/// The Secretariat's own records for the M&E indicators no return measures (3.4.1, 4.1.1).
fn records_ui(
    ui: &mut egui::Ui,
    v: &mut View,
    c: &crate::secretariat::consolidate::Consolidation,
    (ind, member, note): &mut (usize, usize, String),
) {
    use crate::secretariat::consolidate::RECORDED;
    let t = v.lang();
    let fw = crate::framework::current();
    let name = |id: &str| {
        fw.meta.me_indicators.iter().find(|d| d.id == id).map(|d| d.name.get(t).to_string()).unwrap_or_default()
    };
    ui.strong(t.t("me.records_title"));
    ui.label(RichText::new(t.f("me.records_intro", &[("year", &c.cycle)])).small().weak());
    let members = crate::framework::members();
    ui.horizontal_wrapped(|ui| {
        egui::ComboBox::new("me_record_indicator", t.t("me.record_indicator"))
            .selected_text(name(RECORDED[*ind]))
            .show_ui(ui, |ui| {
                for (n, id) in RECORDED.iter().enumerate() {
                    ui.selectable_value(ind, n, name(id));
                }
            });
        egui::ComboBox::new("me_record_member", t.t("me.record_member"))
            .selected_text(members[*member].name.get(t))
            .show_ui(ui, |ui| {
                for (n, m) in members.iter().enumerate() {
                    ui.selectable_value(member, n, m.name.get(t));
                }
            });
        let r = ui.add(egui::TextEdit::singleline(note).desired_width(240.0).hint_text(t.t("me.record_note")));
        let label = t.t("me.record_note").to_string();
        r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, &label));
        if ui.button(t.t("me.record_add")).clicked() {
            v.send(crate::app::SecCmd::RecordMe {
                indicator: RECORDED[*ind].to_string(),
                member: members[*member].code.clone(),
                note: std::mem::take(note),
            });
        }
    });
    if c.records.is_empty() {
        ui.label(RichText::new(t.t("me.records_none")).weak());
    }
    for r in &c.records {
        ui.horizontal_wrapped(|ui| {
            let who = crate::framework::member(&r.member).map(|m| m.name.get(t).to_string()).unwrap_or_default();
            ui.label(format!("{} · {} · {}", r.year, name(&r.indicator), who));
            if !r.note.is_empty() {
                ui.label(RichText::new(&r.note).weak());
            }
            if ui.small_button(t.t("me.record_remove")).clicked() {
                v.send(crate::app::SecCmd::RemoveMeRecord(r.id));
            }
        });
    }
}

use egui::RichText;
use egui_extras::{Column, TableBuilder};

fn monitoring_ui(
    ui: &mut egui::Ui,
    v: &mut View,
    inputs: &mut std::collections::HashMap<String, String>,
    record: &mut (usize, usize, String),
) {
    let t = v.lang();
    let snap = v.snap;
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.heading(t.t("me.title"));
            ui.add_space(20.0);
            cycle_picker(ui, snap, &mut v.out);
        });
        ui.label(RichText::new(t.t("me.intro")).weak());
        if no_data_ui(ui, snap) {
            return;
        }
        let Some(c) = snap.sec.consolidation.clone() else { return };
        ui.label(RichText::new(t.f("me.target_hint", &[("year", &c.cycle)])).small().weak());
        let mut set: Option<(String, String)> = None;
        // Sideways on a small screen rather than cut.
        crate::ui::widgets::sideways(ui, "me_scroll", |ui| {
            TableBuilder::new(ui)
                .id_salt("me")
                .striped(true)
                .vscroll(false)
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .column(Column::exact(260.0).clip(true))
                .column(Column::auto().at_least(80.0))
                .column(Column::exact(110.0).clip(true))
                .column(Column::exact(110.0))
                .column(Column::exact(110.0))
                .column(Column::exact(220.0).clip(true))
                .column(Column::exact(90.0))
                .column(Column::remainder().at_least(200.0).clip(true))
                .header(26.0, |mut h| {
                    for k in [
                        "me.col_indicator",
                        "me.col_key_actions",
                        "me.col_kind",
                        "me.col_baseline",
                        "me.col_latest",
                        "me.col_target",
                        "me.col_met",
                        "me.col_method",
                    ] {
                        h.col(|ui| {
                            ui.strong(t.t(k));
                        });
                    }
                })
                .body(|mut body| {
                    for m in &c.me {
                        body.row(58.0, |mut row| {
                            row.col(|ui| {
                                ui.add(egui::Label::new(m.name_text(t)).wrap());
                            });
                            row.col(|ui| {
                                ui.label(&m.key_actions);
                            });
                            row.col(|ui| {
                                let kind = RichText::new(m.kind_text(t));
                                ui.add(
                                    egui::Label::new(if m.kind.is_none() && !m.from_records {
                                        kind.weak()
                                    } else {
                                        kind
                                    })
                                    .wrap(),
                                );
                            });
                            row.col(|ui| {
                                ui.label(m.baseline_text());
                            });
                            row.col(|ui| {
                                let text = RichText::new(m.latest_text()).strong();
                                let text = match m.met {
                                    Some(true) => text.color(theme::GOOD),
                                    Some(false) => text.color(theme::WARN),
                                    None => text,
                                };
                                ui.label(text);
                            });
                            row.col(|ui| {
                                ui.vertical(|ui| {
                                    ui.add(
                                        egui::Label::new(
                                            RichText::new(m.target_text(t).unwrap_or_else(|| "–".into())).small(),
                                        )
                                        .wrap(),
                                    );
                                    if m.target_kind().is_some() {
                                        ui.horizontal(|ui| {
                                            let key = format!("{}:{}", c.cycle, m.id);
                                            let text = inputs.entry(key).or_insert_with(|| m.target_input());
                                            let edit = egui::TextEdit::singleline(text).desired_width(50.0);
                                            let r = ui.add(edit.id_salt(("me_target", &m.id)));
                                            let name = t.f("me.target_for", &[("name", &m.name.get(t))]);
                                            r.widget_info(|| {
                                                egui::WidgetInfo::labeled(egui::Role::TextInput, true, &name)
                                            });
                                            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                                            if ui.small_button(t.t("me.target_set")).clicked() || enter {
                                                set = Some((m.id.clone(), text.clone()));
                                            }
                                        });
                                    }
                                });
                            });
                            row.col(|ui| {
                                let text = match m.met {
                                    Some(true) => RichText::new(t.t("me.met")).color(theme::GOOD),
                                    Some(false) => RichText::new(t.t("me.not_met")).color(theme::WARN),
                                    None => RichText::new("–").weak(),
                                };
                                ui.label(text);
                            });
                            row.col(|ui| {
                                let method = m.method_text(t);
                                ui.add(egui::Label::new(RichText::new(&method).small()).wrap()).on_hover_text(method);
                            });
                        });
                    }
                });
        });
        if let Some((measure, text)) = set {
            v.send(crate::app::SecCmd::SetMeTarget { measure, text });
        }
        for note in crate::secretariat::consolidate::me_notes(&c.me, t) {
            ui.label(RichText::new(note).small().weak());
        }
        ui.add_space(6.0);
        ui.label(RichText::new(t.t("me.note")).small().weak());
        ui.separator();
        records_ui(ui, v, &c, record);
    });
}
