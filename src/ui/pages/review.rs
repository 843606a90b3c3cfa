//! The Secretariat's review of each return: its state, queries on indicators, notes on requests
//! for assistance, and the feedback files written back to members (issue 10).

use crate::app::{ReviewCmd, SecCmd};
use crate::exchange::feedback::REMARK_MAX;
use crate::framework;
use crate::ids::{RemarkKind, ReviewState};
use crate::ui::View;
use crate::ui::widgets::{self, cycle_picker, member_name, short_time, theme};
use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct ReviewPage {
    /// The member whose review is open.
    pub member: Option<String>,
    /// The indicator of the query being written.
    pub query_indicator: Option<String>,
    pub query_text: String,
    /// Notes being written, per indicator (the member's requests).
    pub notes: HashMap<String, String>,
    /// A member was just chosen: its review scrolls into view (it opens below the list).
    reveal: bool,
}

impl ReviewPage {
    pub fn ui(&mut self, ui: &mut egui::Ui, v: &mut View) {
        let t = v.lang();
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading(t.t("review.title"));
                ui.add_space(16.0);
                cycle_picker(ui, v.snap, &mut v.out);
            });
            ui.label(egui::RichText::new(t.t("review.help")).weak());
            if widgets::no_data_ui(ui, v.snap) {
                return;
            }
            ui.add_space(6.0);
            theme::card(ui, |ui| self.members_ui(ui, v));
            ui.add_space(8.0);
            theme::card(ui, |ui| write_ui(ui, v, None));
            widgets::feedback::written_ui(ui, v);
            let open = v.snap.feedback.review.clone().filter(|r| Some(&r.member) == self.member.as_ref());
            if let Some(r) = open {
                ui.add_space(8.0);
                theme::card(ui, |ui| self.review_ui(ui, v, &r));
            }
        });
    }

    fn members_ui(&mut self, ui: &mut egui::Ui, v: &mut View) {
        let t = v.lang();
        theme::section(ui, t.t("review.members"));
        // By name in the user's language, as every list of members (issue 25: it was by code).
        let all = v.snap.feedback.reviews.clone();
        let mut rows: Vec<_> = all.iter().collect();
        rows.sort_by_key(|r| crate::lang::sort_key(member_name(&r.member, t)));
        if rows.is_empty() {
            ui.label(t.t("review.nobody"));
            return;
        }
        egui::Grid::new("reviews").striped(true).num_columns(5).show(ui, |ui| {
            for h in ["review.member", "review.state", "review.queries", "review.notes", "review.written"] {
                ui.label(egui::RichText::new(t.t(h)).strong());
            }
            ui.end_row();
            for r in rows.iter() {
                let name = member_name(&r.member, t);
                if ui.link(name).on_hover_text(t.t("review.open")).clicked() {
                    self.member = Some(r.member.clone());
                    self.notes.clear();
                    self.reveal = true;
                    v.send(ReviewCmd::Open(r.member.clone()));
                }
                ui.label(t.t(&format!("review.state.{}", r.state)));
                ui.label(r.queries.to_string());
                ui.label(r.notes.to_string());
                ui.label(r.feedback_written.to_string());
                ui.end_row();
            }
        });
    }

    fn review_ui(&mut self, ui: &mut egui::Ui, v: &mut View, r: &crate::app::review::ReviewView) {
        let t = v.lang();
        let fw = framework::current();
        let member = r.member.clone();
        if std::mem::take(&mut self.reveal) {
            ui.scroll_to_cursor(Some(egui::Align::TOP));
        }
        theme::section(ui, &t.f("review.of", &[("member", &member_name(&member, t)), ("cycle", &r.cycle)]));
        if ui.button(t.t("review.open_return")).clicked() {
            v.send(SecCmd::OpenMember(member.clone()));
        }
        for rc in &r.receipts {
            ui.label(t.f(
                "review.receipt",
                &[
                    ("revision", &rc.revision),
                    ("date", &short_time(&rc.received_at)),
                    ("outcome", &t.t(&format!("feedback.outcome.{}", rc.outcome))),
                ],
            ));
        }
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(t.t("review.state")).strong());
            for &state in ReviewState::ALL {
                let s = state.code();
                if ui.selectable_label(r.state == s, t.t(&format!("review.state.{s}"))).clicked() && r.state != s {
                    v.send(ReviewCmd::SetState { member: member.clone(), state });
                }
            }
        });

        theme::section(ui, t.t("review.queries_title"));
        if r.queries.is_empty() {
            ui.label(egui::RichText::new(t.t("review.no_queries")).weak());
        }
        for (ind, text) in &r.queries {
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(ind).strong());
                ui.label(text);
                if ui.small_button(t.t("review.remove")).clicked() {
                    v.send(ReviewCmd::SetRemark {
                        member: member.clone(),
                        indicator: ind.clone(),
                        kind: RemarkKind::Query,
                        text: String::new(),
                    });
                }
            });
        }
        ui.horizontal(|ui| {
            let current = self
                .query_indicator
                .as_deref()
                .and_then(|c| fw.indicator(c))
                .map(|i| format!("{} {}", i.code, i.title.get(t)))
                .unwrap_or_else(|| t.t("review.choose_indicator").to_string());
            let l = ui.label(t.t("review.indicator"));
            egui::ComboBox::from_id_salt("query_indicator")
                .selected_text(current)
                .width(320.0)
                .height(400.0)
                .show_ui(ui, |ui| {
                    for i in &fw.indicators {
                        let label = format!("{} {}", i.code, i.title.get(t));
                        ui.selectable_value(&mut self.query_indicator, Some(i.code.clone()), label);
                    }
                })
                .response
                .labelled_by(l.id);
        });
        let l = ui.label(t.t("review.query_text"));
        ui.add(
            egui::TextEdit::multiline(&mut self.query_text)
                .desired_rows(2)
                .desired_width(f32::INFINITY)
                .char_limit(REMARK_MAX),
        )
        .labelled_by(l.id);
        let ready = self.query_indicator.is_some() && !self.query_text.trim().is_empty();
        if ui.add_enabled(ready, egui::Button::new(t.t("review.add_query"))).clicked()
            && let Some(ind) = self.query_indicator.take()
        {
            v.send(ReviewCmd::SetRemark {
                member: member.clone(),
                indicator: ind,
                kind: RemarkKind::Query,
                text: std::mem::take(&mut self.query_text),
            });
        }

        theme::section(ui, t.t("review.requests_title"));
        if r.requests.is_empty() {
            ui.label(egui::RichText::new(t.t("review.no_requests")).weak());
        }
        for q in &r.requests {
            let saved = r.notes.iter().find(|(i, _)| *i == q.indicator).map(|(_, n)| n.clone()).unwrap_or_default();
            let title = fw.indicator(&q.indicator).map(|i| i.title.get(t).to_string()).unwrap_or_default();
            ui.label(egui::RichText::new(format!("{} · {title}", q.indicator)).strong());
            ui.horizontal(|ui| {
                let buf = self.notes.entry(q.indicator.clone()).or_insert_with(|| saved.clone());
                let l = ui.label(t.f("review.note_for", &[("indicator", &q.indicator)]));
                ui.add(egui::TextEdit::singleline(buf).desired_width(480.0).char_limit(REMARK_MAX)).labelled_by(l.id);
                let changed = buf.trim() != saved.trim();
                if ui.add_enabled(changed, egui::Button::new(t.t("review.save_note"))).clicked() {
                    v.send(ReviewCmd::SetRemark {
                        member: member.clone(),
                        indicator: q.indicator.clone(),
                        kind: RemarkKind::Note,
                        text: buf.clone(),
                    });
                }
            });
        }
        ui.add_space(8.0);
        write_ui(ui, v, Some(&member));
    }
}

/// "Write feedback" for one member or every member of the cycle, into the folder shown.
fn write_ui(ui: &mut egui::Ui, v: &mut View, member: Option<&str>) {
    let t = v.lang();
    if member.is_none() {
        theme::section(ui, t.t("review.write_title"));
        ui.horizontal(|ui| {
            let l = ui.label(t.t("export.folder"));
            ui.add(egui::TextEdit::singleline(v.export_dir).desired_width(380.0)).labelled_by(l.id);
        });
    }
    let label = match member {
        Some(m) => t.f("review.write_one", &[("member", &member_name(m, t))]),
        None => t.t("review.write_all").to_string(),
    };
    if ui.button(label).clicked() {
        v.send(ReviewCmd::WriteFeedback { member: member.map(String::from), dest: v.folder_dest() });
    }
}
