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
    /// What the query picker's list is narrowed to (a code, or words of a title).
    pub query_search: String,
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
            // Set by a revision received after the queries, not by hand.
            if r.state == "answered" {
                ui.label(egui::RichText::new(t.t("review.state.answered")).strong().color(theme::GOOD));
            }
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
        for q in r.answers() {
            let title = fw.indicator(&q.indicator).map(|i| i.title.get(t)).unwrap_or_default();
            ui.horizontal_wrapped(|ui| {
                ui.label(egui::RichText::new(format!("{} · {title}", q.indicator)).strong());
                if ui.small_button(t.t("review.remove")).clicked() {
                    v.send(ReviewCmd::SetRemark {
                        member: member.clone(),
                        indicator: q.indicator.clone(),
                        kind: RemarkKind::Query,
                        text: String::new(),
                    });
                }
            });
            ui.label(&q.query);
            answer_ui(ui, t, &q);
            ui.add_space(6.0);
        }
        self.picker_ui(ui, v, r);
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

impl ReviewPage {
    /// The query picker: a search by code or words of the title narrows the list of indicators;
    /// beside it, the member's answer to the one chosen (level, target, need, evidence).
    fn picker_ui(&mut self, ui: &mut egui::Ui, v: &mut View, r: &crate::app::review::ReviewView) {
        let t = v.lang();
        let fw = framework::current();
        let matches = search(fw, &self.query_search, t);
        ui.columns(2, |cols| {
            let ui = &mut cols[0];
            let l = ui.label(t.t("review.search"));
            ui.add(egui::TextEdit::singleline(&mut self.query_search).desired_width(f32::INFINITY)).labelled_by(l.id);
            egui::ScrollArea::vertical().id_salt("query_picker").max_height(170.0).auto_shrink([false, true]).show(
                ui,
                |ui| {
                    if matches.is_empty() {
                        ui.label(egui::RichText::new(t.t("review.search_none")).weak());
                    }
                    for i in &matches {
                        let chosen = self.query_indicator.as_deref() == Some(i.code.as_str());
                        let label = format!("{} · {}", i.code, i.title.get(t));
                        if ui.selectable_label(chosen, label).clicked() {
                            self.query_indicator = Some(i.code.clone());
                        }
                    }
                },
            );
            let ui = &mut cols[1];
            let Some(ind) = self.query_indicator.as_deref().and_then(|c| fw.indicator(c)) else {
                ui.label(egui::RichText::new(t.t("review.choose_indicator")).weak());
                return;
            };
            ui.label(
                egui::RichText::new(
                    t.f("review.chosen", &[("indicator", &format!("{} · {}", ind.code, ind.title.get(t)))]),
                )
                .strong(),
            );
            match r.answer(&ind.code) {
                Some((revision, a)) => {
                    ui.label(egui::RichText::new(t.f("review.their_answer", &[("revision", &revision)])).weak());
                    answer_lines(ui, t, &a);
                }
                None => {
                    ui.label(egui::RichText::new(t.t("review.no_answer")).weak());
                }
            }
        });
    }
}

/// The indicators whose code holds the search, or whose title (in the language shown) holds
/// every word of it, in framework order; all of them for an empty search.
fn search<'a>(fw: &'a framework::Framework, query: &str, t: crate::lang::Lang) -> Vec<&'a framework::Indicator> {
    let key = |s: &str| crate::lang::sort_key(s);
    let words: Vec<String> = query.split_whitespace().map(key).collect();
    fw.indicators
        .iter()
        .filter(|i| {
            let code = i.code.to_lowercase();
            let title = key(i.title.get(t));
            words.is_empty()
                || code.contains(&query.trim().to_lowercase())
                || words.iter().all(|w| title.contains(w.as_str()))
        })
        .collect()
}

/// An answer as the Review shows it: level, target and need on one line, the evidence below.
fn answer_lines(ui: &mut egui::Ui, t: crate::lang::Lang, a: &crate::assessment::Response) {
    let need = a.need.map(|n| t.t(&format!("need.{}", n.code())).to_string()).unwrap_or_else(|| "–".into());
    ui.label(t.f(
        "review.answer_line",
        &[("level", &widgets::answer_short(a.answer, t)), ("target", &a.target), ("need", &need)],
    ));
    if !a.evidence.trim().is_empty() {
        ui.add(
            egui::Label::new(egui::RichText::new(t.f("review.evidence_line", &[("text", &a.evidence)])).weak()).wrap(),
        );
    }
}

/// A query's answer: "answer received" with the answer when asked and now side by side and the
/// member's reply, or "waiting" with the answer held.
fn answer_ui(ui: &mut egui::Ui, t: crate::lang::Lang, q: &crate::app::review::QueryAnswer) {
    if !q.received() {
        ui.label(egui::RichText::new(t.t("review.answer_waiting")).color(theme::WARN));
        return;
    }
    let (Some((was, before)), Some((is, now))) = (&q.before, &q.now) else { return };
    ui.label(egui::RichText::new(t.f("review.answer_received", &[("revision", is)])).color(theme::GOOD).strong());
    ui.columns(2, |cols| {
        cols[0].label(egui::RichText::new(t.f("review.answer_before", &[("revision", was)])).strong());
        answer_lines(&mut cols[0], t, before);
        cols[1].label(egui::RichText::new(t.f("review.answer_now", &[("revision", is)])).strong());
        answer_lines(&mut cols[1], t, now);
    });
    match &q.reply {
        Some(text) => ui.add(egui::Label::new(t.f("review.reply_line", &[("text", text)])).wrap()),
        None => ui.label(egui::RichText::new(t.t("review.no_reply")).weak()),
    };
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
