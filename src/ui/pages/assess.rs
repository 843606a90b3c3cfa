//! Working through the indicators, one at a time, pillar by pillar.

use crate::assessment::{Answer, Commitment, Confidence};
use crate::framework::Framework;
use crate::lang::Lang;
use crate::ui::state::{AppState, Page};
use crate::ui::theme;
use egui::text::LayoutJob;
use egui::{Key, RichText, TextFormat};

pub fn assess_ui(ui: &mut egui::Ui, st: &mut AppState) {
    let t = st.lang();
    let Some(s) = st.session.as_ref() else {
        ui.label(t.t("assess.none"));
        return;
    };
    let fw = s.framework();
    keyboard(ui, st);
    egui::Panel::left("indicators").resizable(true).default_size(340.0).show(ui, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| indicator_list_ui(ui, st, fw));
    });
    egui::Panel::bottom("step").show(ui, |ui| step_bar_ui(ui, st));
    egui::CentralPanel::default().show(ui, |ui| {
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| indicator_ui(ui, st, fw));
    });
}

/// Keys 0-4 pick a level, Alt+Right / Alt+Left move on and back (when no text field has focus
/// for the digits; the Alt arrows work everywhere).
fn keyboard(ui: &mut egui::Ui, st: &mut AppState) {
    let typing = ui.ctx().egui_wants_keyboard_input();
    let (level, next, prev) = ui.ctx().input(|i| {
        let digits = [Key::Num0, Key::Num1, Key::Num2, Key::Num3, Key::Num4];
        let level = if typing || i.modifiers.any() { None } else { digits.iter().position(|k| i.key_pressed(*k)) };
        (level, i.modifiers.alt && i.key_pressed(Key::ArrowRight), i.modifiers.alt && i.key_pressed(Key::ArrowLeft))
    });
    if let Some(l) = level {
        st.set_answer(Answer::Level(l as u8));
    }
    if next {
        st.next();
    }
    if prev {
        st.previous();
    }
}

fn indicator_list_ui(ui: &mut egui::Ui, st: &mut AppState, fw: &Framework) {
    let t = st.lang();
    let Some(s) = st.session.as_ref() else { return };
    let mut go = None;
    for (pillar, answered, total) in &s.progress.pillars {
        let Some(p) = fw.pillar(pillar) else { continue };
        ui.add_space(6.0);
        ui.label(RichText::new(p.name.get(t)).strong().color(theme::accent(ui)));
        let f = if *total == 0 { 0.0 } else { *answered as f32 / *total as f32 };
        ui.add(egui::ProgressBar::new(f).desired_width(ui.available_width() - 8.0).text(
            t.f("assess.pillar_progress", &[("pillar", &p.name.get(t)), ("answered", answered), ("total", total)]),
        ));
        for (i, r) in s.data.responses.iter().enumerate() {
            let Some(ind) = fw.indicator(&r.indicator).filter(|ind| &ind.pillar == pillar) else { continue };
            let text = format!("{} {}", ind.code, ind.title.get(t));
            let full = ind.title.get(t);
            ui.horizontal(|ui| {
                ui.spacing_mut().item_spacing.x = 4.0;
                answer_dot(ui, r.answer);
                let b = egui::Button::selectable(i == s.current, text).truncate();
                if ui.add_sized([ui.available_width() - 8.0, 22.0], b).on_hover_text(full).clicked() {
                    go = Some(i);
                }
            });
        }
    }
    if let Some(i) = go {
        st.go_to(i);
    }
}

/// A small mark of the answer: filled when answered, hollow when not, amber for insufficient.
fn answer_dot(ui: &mut egui::Ui, answer: Answer) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 22.0), egui::Sense::hover());
    let c = rect.center();
    let weak = ui.visuals().weak_text_color();
    match answer {
        Answer::Unanswered => {
            ui.painter().circle_stroke(c, 4.5, egui::Stroke::new(1.5, weak));
        }
        Answer::Level(_) => {
            ui.painter().circle_filled(c, 5.0, theme::GOOD);
        }
        Answer::NotApplicable => {
            ui.painter().circle_filled(c, 5.0, weak);
        }
        Answer::Insufficient => {
            ui.painter().circle_filled(c, 5.0, theme::WARN);
        }
    }
}

fn level_job(ui: &egui::Ui, title: &str, body: &str, selected: bool) -> LayoutJob {
    let mut job = LayoutJob::default();
    let color = if selected { ui.visuals().strong_text_color() } else { ui.visuals().text_color() };
    job.append(
        title,
        0.0,
        TextFormat { font_id: egui::FontId::proportional(15.0), color: theme::accent(ui), ..Default::default() },
    );
    job.append("\n", 0.0, TextFormat::default());
    job.append(body, 0.0, TextFormat { font_id: egui::FontId::proportional(14.0), color, ..Default::default() });
    job
}

fn indicator_ui(ui: &mut egui::Ui, st: &mut AppState, fw: &Framework) {
    let t = st.lang();
    let Some(s) = st.session.as_ref() else { return };
    let read_only = s.read_only();
    let n = s.data.responses.len();
    let idx = s.current;
    let r = s.data.responses[idx].clone();
    let Some(ind) = fw.indicator(&r.indicator) else { return };
    let pillar = fw.pillar(&ind.pillar).map(|p| p.name.get(t)).unwrap_or_default();

    if read_only {
        read_only_banner(ui, st);
    }
    ui.label(RichText::new(t.f("assess.position", &[("pillar", &pillar), ("n", &(idx + 1)), ("total", &n)])).weak());
    ui.heading(RichText::new(format!("{} · {}", ind.code, ind.title.get(t))).strong());
    ui.add_space(2.0);
    ui.label(ind.guidance.get(t));
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(t.t("assess.priority_areas")).small().weak());
        for p in &ind.priority_areas {
            let name = fw.priority_area(p).map(|a| a.name.get(t)).unwrap_or(p);
            ui.label(RichText::new(format!("{p} {name}")).small());
        }
        ui.label(RichText::new("·").small().weak());
        ui.label(RichText::new(t.t("assess.intervention")).small().weak());
        ui.label(RichText::new(fw.intervention_name(&ind.intervention, t)).small());
    });
    egui::CollapsingHeader::new(t.t("assess.evidence_examples")).id_salt(("ev", idx)).show(ui, |ui| {
        for e in ind.evidence.get(t) {
            ui.label(format!("• {e}"));
        }
    });

    theme::section(ui, t.t("assess.level"));
    let mut chosen = None;
    ui.add_enabled_ui(!read_only, |ui| {
        for (level, descriptor) in ind.levels.iter().enumerate() {
            let selected = r.answer == Answer::Level(level as u8);
            let title = t.f("assess.level_title", &[("n", &level), ("name", &fw.level_name(level as u8, t))]);
            let job = level_job(ui, &title, descriptor.get(t), selected);
            let b = egui::Button::selectable(selected, job).wrap().min_size(egui::vec2(ui.available_width(), 44.0));
            if ui.add(b).clicked() {
                chosen = Some(Answer::Level(level as u8));
            }
        }
        ui.horizontal(|ui| {
            if ui.selectable_label(r.answer == Answer::NotApplicable, t.t("answer.na")).clicked() {
                chosen = Some(Answer::NotApplicable);
            }
            if ui.selectable_label(r.answer == Answer::Insufficient, t.t("answer.insufficient")).clicked() {
                chosen = Some(Answer::Insufficient);
            }
            if r.answer.is_answered() && ui.small_button(t.t("answer.clear")).clicked() {
                chosen = Some(Answer::Unanswered);
            }
        });
        if r.answer == Answer::Insufficient {
            ui.label(RichText::new(t.t("answer.insufficient_help")).color(theme::WARN).small());
        }
        if r.answer == Answer::NotApplicable {
            ui.label(RichText::new(t.t("answer.na_help")).weak().small());
        }
    });
    if let Some(a) = chosen {
        st.set_answer(a);
    }

    ui.add_space(6.0);
    details_ui(ui, st, fw, read_only, t);
}

/// Previous / Next, always in view at the bottom.
fn step_bar_ui(ui: &mut egui::Ui, st: &mut AppState) {
    let t = st.lang();
    let Some(s) = st.session.as_ref() else { return };
    let (at_start, at_end) = (s.current == 0, s.current + 1 >= s.data.responses.len());
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        if ui.add_enabled(!at_start, egui::Button::new(t.t("assess.previous"))).clicked() {
            st.previous();
        }
        if at_end {
            if ui.button(t.t("assess.to_finalise")).clicked() {
                st.go(Page::Finalise);
            }
        } else if ui.button(t.t("assess.next")).clicked() {
            st.next();
        }
        ui.label(RichText::new(t.t("assess.keys_help")).small().weak());
    });
    ui.add_space(2.0);
}

fn read_only_banner(ui: &mut egui::Ui, st: &mut AppState) {
    let t = st.lang();
    let imported = st.session.as_ref().map(|s| s.data.header.imported).unwrap_or(false);
    let newer = st.has_newer_revision();
    egui::Frame::new().fill(ui.visuals().faint_bg_color).corner_radius(6.0).inner_margin(8.0).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(t.t(if imported { "assess.imported" } else { "assess.read_only" })).strong());
            if !imported && !newer && ui.button(t.t("assess.start_revision")).clicked() {
                st.start_revision();
            }
        });
    });
    ui.add_space(6.0);
}

fn details_ui(ui: &mut egui::Ui, st: &mut AppState, fw: &Framework, read_only: bool, t: Lang) {
    let Some(s) = st.session.as_mut() else { return };
    let r = s.data.responses[s.current].clone();
    let mut target = None;
    let mut confidence = None;
    let mut commitment = None;
    let mut edited = false;
    ui.add_enabled_ui(!read_only, |ui| {
        egui::Grid::new("details").num_columns(2).spacing([16.0, 10.0]).show(ui, |ui| {
            let l = ui.label(t.t("assess.target"));
            let mut cur = r.target;
            egui::ComboBox::from_id_salt("target")
                .selected_text(t.f("assess.level_title", &[("n", &cur), ("name", &fw.level_name(cur, t))]))
                .width(260.0)
                .show_ui(ui, |ui| {
                    for lv in 0..=4u8 {
                        let txt = t.f("assess.level_title", &[("n", &lv), ("name", &fw.level_name(lv, t))]);
                        ui.selectable_value(&mut cur, lv, txt);
                    }
                })
                .response
                .labelled_by(l.id);
            if cur != r.target {
                target = Some(cur);
            }
            ui.end_row();

            ui.label(t.t("assess.confidence"));
            ui.horizontal(|ui| {
                for c in Confidence::ALL {
                    if ui.radio(r.confidence == Some(*c), t.t(&format!("confidence.{}", c.code()))).clicked() {
                        confidence = Some(Some(*c));
                    }
                }
            });
            ui.end_row();

            ui.label(t.t("assess.commitment"));
            ui.horizontal(|ui| {
                for c in Commitment::ALL {
                    if ui.radio(r.commitment == Some(*c), t.t(&format!("commitment.{}", c.code()))).clicked() {
                        commitment = Some(Some(*c));
                    }
                }
            });
            ui.end_row();

            let l = ui.label(t.t("assess.evidence_note"));
            let resp = ui.add(
                egui::TextEdit::multiline(&mut s.evidence)
                    .desired_rows(3)
                    .desired_width(f32::INFINITY)
                    .hint_text(t.t("assess.evidence_hint")),
            );
            edited |= resp.labelled_by(l.id).changed();
            ui.end_row();

            let l = ui.label(t.t("assess.comment"));
            let resp = ui.add(
                egui::TextEdit::multiline(&mut s.comment)
                    .desired_rows(3)
                    .desired_width(f32::INFINITY)
                    .hint_text(t.t("assess.comment_hint")),
            );
            edited |= resp.labelled_by(l.id).changed();
            ui.end_row();
        });
    });
    if edited {
        st.text_edited();
    }
    if let Some(v) = target {
        st.set_target(v);
    }
    if let Some(v) = confidence {
        st.set_confidence(v);
    }
    if let Some(v) = commitment {
        st.set_commitment(v);
    }
}
