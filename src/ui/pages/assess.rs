//! Working through the indicators, one at a time, pillar by pillar.

use crate::app::SessionCmd;
use crate::app::{Command, Session, TextField};
use crate::assessment::{Answer, Commitment, Confidence, NeedCategory, ResponseChange};
use crate::framework::Framework;
use crate::ids::AssessmentId;
use crate::lang::Lang;
use crate::ui::widgets::theme;
use crate::ui::{Page, View};
use egui::text::LayoutJob;
use egui::{Key, RichText, TextFormat};

/// The indicator in view and the text being typed for it. Each keystroke goes to the worker,
/// which shows it in the session at once and writes it after a short pause.
#[derive(Debug, Default)]
pub struct AssessPage {
    pub current: usize,
    text: Option<TextBuffer>,
    /// The indicator drawn last frame: when it changes, the page scrolls to its top and the list
    /// to its row.
    shown: Option<usize>,
    /// "Start a revision" asked, waiting for its confirmation.
    revision_confirm: bool,
    /// Alt+E (or E) put the cursor in the evidence note: scroll it into view when drawn.
    reveal_evidence: bool,
}

/// The evidence note's field, so a shortcut can put the cursor there.
pub fn evidence_id() -> egui::Id {
    egui::Id::unique("assess_evidence")
}

/// The comment's field.
fn comment_id() -> egui::Id {
    egui::Id::unique("assess_comment")
}

#[derive(Debug)]
struct TextBuffer {
    id: AssessmentId,
    index: usize,
    evidence: String,
    comment: String,
}

impl AssessPage {
    /// Makes the text buffer follow the indicator in view.
    fn sync_text(&mut self, s: &Session) {
        let id = s.id();
        if self.text.as_ref().is_some_and(|b| b.id == id && b.index == self.current) {
            return;
        }
        let r = &s.data.responses[self.current];
        self.text =
            Some(TextBuffer { id, index: self.current, evidence: r.evidence.clone(), comment: r.comment.clone() });
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, v: &mut View) {
        let t = v.lang();
        let snap = v.snap;
        let Some(s) = snap.session.as_deref() else {
            ui.label(t.t("assess.none"));
            return;
        };
        self.current = self.current.min(s.data.responses.len().saturating_sub(1));
        let fw = s.framework();
        self.keyboard(ui, v, s);
        self.sync_text(s);
        if let Some(i) = crate::ui::widgets::feedback::member_panel(ui, v) {
            self.current = i;
        }
        crate::ui::widgets::sections::section_banner(ui, v, s);
        let queried = crate::ui::widgets::feedback::queried(snap);
        let moved = self.shown != Some(self.current);
        self.shown = Some(self.current);
        // The list keeps its width (it is never narrower than its labels need to be useful).
        let list_w = (ui.available_width() * 0.32).clamp(220.0, 320.0);
        egui::Panel::left("indicators")
            .frame(theme::unfilled(egui::Frame::side_top_panel(ui.style())))
            .resizable(false)
            .exact_size(list_w)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                    self.indicator_list_ui(ui, s, fw, t, moved, &queried);
                });
            });
        egui::Panel::bottom("step")
            .frame(theme::unfilled(egui::Frame::side_top_panel(ui.style())))
            .show(ui, |ui| self.step_bar_ui(ui, v, s));
        egui::CentralPanel::default().frame(theme::unfilled(egui::Frame::central_panel(ui.style()))).show(ui, |ui| {
            let mut area = egui::ScrollArea::vertical().id_salt("indicator").auto_shrink([false, false]);
            if moved {
                // A new indicator starts at its title.
                area = area.vertical_scroll_offset(0.0);
            }
            area.show(ui, |ui| self.indicator_ui(ui, v, s, fw));
        });
    }

    fn change(&self, v: &mut View, s: &Session, change: ResponseChange) {
        let indicator = s.data.responses[self.current].indicator.clone();
        v.send(SessionCmd::Change { id: s.id(), indicator, change });
    }

    /// The next (or previous) indicator to answer: every one, or in a colleague's section the
    /// next asked of them.
    fn next(&self, s: &Session, forward: bool) -> Option<usize> {
        let asked = |i: &usize| s.team.asks(&s.data.responses[*i].indicator);
        if forward {
            (self.current + 1..s.data.responses.len()).find(asked)
        } else {
            (0..self.current).rev().find(asked)
        }
    }

    fn step(&mut self, s: &Session, forward: bool) {
        if let Some(i) = self.next(s, forward) {
            self.current = i;
        }
    }

    fn go_to(&mut self, s: &Session, i: usize) {
        if i < s.data.responses.len() {
            self.current = i;
        }
    }

    /// Puts `typed` into the focused text field of the indicator in view, at its cursor, as the
    /// field itself would have, and sends the field's text. False if no field of this page has
    /// the focus (the characters are then left to whoever has it).
    fn type_into_focused(&mut self, ui: &egui::Ui, v: &mut View, s: &Session, typed: &str) -> bool {
        let Some(focused) = ui.memory(|m| m.focused()) else { return false };
        let field = if focused == evidence_id() {
            TextField::Evidence
        } else if focused == comment_id() {
            TextField::Comment
        } else {
            return false;
        };
        self.sync_text(s);
        let Some(buf) = self.text.as_mut() else { return false };
        let text = match field {
            TextField::Evidence => &mut buf.evidence,
            TextField::Comment => &mut buf.comment,
            // Typed in the feedback widget's own field.
            TextField::Reply => return false,
        };
        let chars = text.chars().count();
        let at = egui::TextEdit::load_state(ui.ctx(), focused)
            .and_then(|st| st.cursor.char_range())
            .map_or(chars, |r| r.primary.index.0.min(chars));
        let byte = text.char_indices().nth(at).map_or(text.len(), |(b, _)| b);
        text.insert_str(byte, typed);
        let text = text.clone();
        let indicator = s.data.responses[self.current].indicator.clone();
        v.send(Command::Text { id: s.id(), indicator, field, text });
        true
    }

    /// The keys of this frame, in the order they were pressed (read from the events, so a quick
    /// Alt+Right is never missed and two keys in one frame both count): 0-4 choose a level of the
    /// indicator in view unless a text field has focus; Alt+Right / Alt+Left leave any text field
    /// and move on or back; Alt+E (or E outside a text field) puts the cursor in the evidence note.
    fn keyboard(&mut self, ui: &mut egui::Ui, v: &mut View, s: &Session) {
        let mut typing = ui.ctx().text_edit_focused();
        let events = ui.input(|i| i.events.clone());
        let levels = s.framework().indicator(&s.data.responses[self.current].indicator).map_or(5, |i| i.levels.len());
        let mut used = vec![false; events.len()];
        let mut last_used = false;
        for (k, e) in events.iter().enumerate() {
            let egui::Event::Key { key, physical_key, pressed, modifiers, .. } = e else {
                // The character a used key typed is not typed again into a field.
                if last_used && matches!(e, egui::Event::Text(_)) {
                    used[k] = true;
                }
                continue;
            };
            last_used = false;
            if !pressed {
                continue;
            }
            let alt = modifiers.alt && !modifiers.ctrl && !modifiers.shift && !modifiers.command && !modifiers.mac_cmd;
            let plain = !modifiers.any();
            // A level by the key's place on the digit row, whatever the layout: AZERTY's row types
            // "à&é\"'" unshifted (its "4" key gives an apostrophe) and digits with Shift; the
            // keypad gives digits everywhere.
            let digit = |k: &Key| [Key::Num0, Key::Num1, Key::Num2, Key::Num3, Key::Num4].iter().position(|d| d == k);
            let level = physical_key.as_ref().and_then(digit).or_else(|| digit(key));
            let shift_only = modifiers.shift && !modifiers.alt && !modifiers.ctrl && !modifiers.command;
            let digit_keys = plain || shift_only;
            match key {
                Key::ArrowRight | Key::ArrowLeft if alt => {
                    if typing {
                        // Characters typed before the key in this same frame (a busy window
                        // batches them) go to their field before it is left (issue 20).
                        let before: String = events[..k]
                            .iter()
                            .zip(&used)
                            .filter_map(|(e, u)| match e {
                                egui::Event::Text(t) if !u => Some(t.as_str()),
                                _ => None,
                            })
                            .collect();
                        if !before.is_empty() && self.type_into_focused(ui, v, s, &before) {
                            for (e, u) in events[..k].iter().zip(used.iter_mut()) {
                                *u |= matches!(e, egui::Event::Text(_));
                            }
                        }
                        ui.memory_mut(|m| m.stop_text_input());
                        typing = false;
                    }
                    v.send(Command::SaveText);
                    if *key == Key::ArrowRight {
                        self.step(s, true);
                    } else if self.current > 0 {
                        self.step(s, false);
                    }
                    last_used = true;
                }
                Key::E if alt || (plain && !typing) => {
                    ui.memory_mut(|m| m.request_focus(evidence_id()));
                    self.reveal_evidence = true;
                    typing = true;
                    last_used = true;
                }
                // N: not applicable; I: insufficient information (the same letters in French:
                // "non applicable", "informations insuffisantes").
                Key::N | Key::I if plain && !typing => {
                    if !s.read_only() {
                        let a = if *key == Key::N { Answer::NotApplicable } else { Answer::Insufficient };
                        self.change(v, s, ResponseChange::Answer(a));
                    }
                    last_used = true;
                }
                _ if digit_keys && !typing && level.is_some_and(|l| l < levels) => {
                    if !s.read_only()
                        && let Some(l) = level
                    {
                        self.change(v, s, ResponseChange::Answer(Answer::Level(l as u8)));
                    }
                    last_used = true;
                }
                _ => {}
            }
            used[k] = last_used;
        }
        if used.iter().any(|u| *u) {
            let mut k = 0;
            ui.input_mut(|i| {
                i.events.retain(|_| {
                    k += 1;
                    !used.get(k - 1).copied().unwrap_or(false)
                })
            });
        }
    }

    fn indicator_list_ui(
        &mut self,
        ui: &mut egui::Ui,
        s: &Session,
        fw: &Framework,
        t: Lang,
        follow: bool,
        queried: &[String],
    ) {
        let mut go = None;
        let width = ui.available_width();
        for (pillar, answered, total) in &s.progress.pillars {
            let Some(p) = fw.pillar(pillar) else { continue };
            // A colleague's section: only the pillars and indicators asked of them.
            if !fw.indicators_of(pillar).any(|i| s.team.asks(&i.code)) {
                continue;
            }
            ui.add_space(6.0);
            ui.label(RichText::new(p.name.get(t)).strong().color(theme::accent(ui)));
            let f = if *total == 0 { 0.0 } else { *answered as f32 / *total as f32 };
            ui.add(egui::ProgressBar::new(f).desired_width(width - 8.0).text(
                t.f("assess.pillar_progress", &[("pillar", &p.name.get(t)), ("answered", answered), ("total", total)]),
            ));
            for (i, r) in s.data.responses.iter().enumerate() {
                let Some(ind) =
                    fw.indicator(&r.indicator).filter(|ind| &ind.pillar == pillar && s.team.asks(&ind.code))
                else {
                    continue;
                };
                let text = format!("{} {}", ind.code, ind.title.get(t));
                let full = ind.title.get(t);
                ui.horizontal(|ui| {
                    ui.spacing_mut().item_spacing.x = 4.0;
                    answer_dot(ui, r.answer);
                    crate::ui::widgets::feedback::badge(ui, t, queried, &r.indicator);
                    // Left-aligned, the full width; not a Tab stop (Alt+arrows move through the
                    // indicators, so Tab goes from the page's controls to the answer at once).
                    let b = egui::Button::selectable(i == self.current, text)
                        .truncate()
                        .right_text("")
                        .sense(egui::Sense::CLICK)
                        .min_size(egui::vec2((ui.available_width() - 8.0).max(60.0), 22.0));
                    let resp = ui.add(b).on_hover_text(full);
                    if resp.clicked() {
                        go = Some(i);
                    }
                    if follow && i == self.current {
                        resp.scroll_to_me(Some(egui::Align::Center));
                    }
                });
            }
        }
        if let Some(i) = go {
            self.go_to(s, i);
        }
    }

    fn indicator_ui(&mut self, ui: &mut egui::Ui, v: &mut View, s: &Session, fw: &Framework) {
        let t = v.lang();
        let n = s.data.responses.len();
        let idx = self.current;
        let r = s.data.responses[idx].clone();
        let Some(ind) = fw.indicator(&r.indicator) else { return };
        // In a colleague's section, what was not asked of them is shown, not answered.
        let read_only = s.read_only() || !s.team.asks(&ind.code);
        let pillar = fw.pillar_name(&ind.pillar, t);

        if read_only {
            read_only_banner(ui, v, s, &mut self.revision_confirm);
        }
        ui.label(
            RichText::new(t.f("assess.position", &[("pillar", &pillar), ("n", &(idx + 1)), ("total", &n)])).weak(),
        );
        ui.heading(RichText::new(format!("{} · {}", ind.code, ind.title.get(t))).strong());
        crate::ui::widgets::feedback::query_beside(ui, v, &ind.code);
        if !s.team.asks(&ind.code) {
            ui.label(RichText::new(t.t("section.not_asked")).color(theme::WARN));
        }
        crate::ui::widgets::sections::conflict_ui(ui, v, s, &r);
        if !read_only && s.recheck.contains(&ind.code) {
            ui.label(RichText::new(t.t("fwrecheck.assess")).color(theme::WARN).strong());
        }
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
        target_line(ui, &r, fw, t);
        let mut chosen = None;
        let mut target = None;
        ui.add_enabled_ui(!read_only, |ui| {
            // Each level with its target choice beside it: the target is in view with the level,
            // at 1024x700 too, and the officer chooses it (issue 25).
            let chip_w = 118.0;
            for (level, descriptor) in ind.levels.iter().enumerate() {
                let selected = r.answer == Answer::Level(level as u8);
                let title = t.f("assess.level_title", &[("n", &level), ("name", &fw.level_name(level as u8, t))]);
                let job = level_job(ui, &title, descriptor.get(t), selected);
                ui.horizontal(|ui| {
                    // Room kept on the right for the scroll bar, which is drawn over the content.
                    let w = (ui.available_width() - chip_w - ui.spacing().item_spacing.x - 12.0).max(120.0);
                    let b = egui::Button::selectable(selected, job).wrap().min_size(egui::vec2(w, 44.0));
                    if ui.add_sized(egui::vec2(w, 44.0), b).clicked() {
                        chosen = Some(Answer::Level(level as u8));
                    }
                    if let Some(x) = target_chip(ui, &r, level as u8, chip_w, t) {
                        target = Some(x);
                    }
                });
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
            self.change(v, s, ResponseChange::Answer(a));
        }
        if let Some(x) = target {
            self.change(v, s, ResponseChange::Target(x));
        }

        ui.add_space(6.0);
        self.details_ui(ui, v, s, read_only, t);
        ui.add_space(6.0);
        crate::ui::widgets::sections::team_panel(ui, v, s);
    }

    /// Previous / Next, always in view at the bottom.
    fn step_bar_ui(&mut self, ui: &mut egui::Ui, v: &mut View, s: &Session) {
        let t = v.lang();
        let (at_start, at_end) = (self.next(s, false).is_none(), self.next(s, true).is_none());
        ui.add_space(4.0);
        // Wrapped: the key help goes onto a second line rather than off the window's edge.
        ui.horizontal_wrapped(|ui| {
            if ui.add_enabled(!at_start, egui::Button::new(t.t("assess.previous"))).clicked() {
                self.step(s, false);
            }
            if at_end {
                if ui.button(t.t("assess.to_finalise")).clicked() {
                    v.go = Some(Page::Finalise);
                }
            } else if ui.button(t.t("assess.next")).clicked() {
                self.step(s, true);
            }
            ui.label(RichText::new(t.t("assess.keys_help")).small().weak());
        });
        ui.add_space(2.0);
    }

    fn details_ui(&mut self, ui: &mut egui::Ui, v: &mut View, s: &Session, read_only: bool, t: Lang) {
        let r = s.data.responses[self.current].clone();
        let Some(buf) = self.text.as_mut() else { return };
        let mut confidence = None;
        let mut commitment = None;
        let mut edited = None;
        let mut leave = false;
        let mut need = None;
        let gap = s.gaps.iter().find(|g| g.code == r.indicator);
        let unsaved = &v.snap.unsaved;
        let state_of = |field: TextField| {
            unsaved.iter().find(|u| u.id == buf.id && u.indicator == r.indicator && u.field == field).map(|u| u.failed)
        };
        ui.add_enabled_ui(!read_only, |ui| {
            egui::Grid::new("details").num_columns(2).spacing([16.0, 10.0]).show(ui, |ui| {
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
                if std::mem::take(&mut self.reveal_evidence) {
                    // Alt+E put the cursor here: the field comes into view with it.
                    ui.scroll_to_cursor(Some(egui::Align::Center));
                }
                let (changed, left) = text_area(
                    ui,
                    evidence_id(),
                    &mut buf.evidence,
                    t.t("assess.evidence_hint"),
                    l.id,
                    state_of(TextField::Evidence),
                    t,
                );
                if changed {
                    edited = Some(TextField::Evidence);
                }
                leave |= left;
                ui.end_row();

                let l = ui.label(t.t("assess.comment"));
                let (changed, left) = text_area(
                    ui,
                    comment_id(),
                    &mut buf.comment,
                    t.t("assess.comment_hint"),
                    l.id,
                    state_of(TextField::Comment),
                    t,
                );
                if changed {
                    edited = Some(TextField::Comment);
                }
                leave |= left;
                ui.end_row();
            });
        });
        ui.add_space(4.0);
        // The need for help to close this indicator's gap, set here as on Results. Always in its
        // place, greyed without a gap, and after the fields: a row that came and went above them
        // moved the Tab order under the officer's hand (issue 25). Wrapped: its French labels
        // are long.
        ui.add_enabled_ui(!read_only, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(t.t("gap.need"));
                ui.add_enabled_ui(gap.is_some(), |ui| {
                    for n in NeedCategory::ALL {
                        let selected = gap.is_some_and(|g| g.need == Some(*n));
                        if ui.selectable_label(selected, t.t(&format!("need.{}", n.code()))).clicked() {
                            need = Some(if selected { None } else { Some(*n) });
                        }
                    }
                });
                if gap.is_none() {
                    ui.label(RichText::new(t.t("assess.need_no_gap")).small().weak());
                }
            });
        });
        if let Some(field) = edited {
            let text = match field {
                TextField::Evidence => Some(buf.evidence.clone()),
                TextField::Comment => Some(buf.comment.clone()),
                TextField::Reply => None,
            };
            if let Some(text) = text {
                v.send(Command::Text { id: s.id(), indicator: r.indicator.clone(), field, text });
            }
        }
        if leave {
            v.send(Command::SaveText);
        }
        if let Some(x) = confidence {
            self.change(v, s, ResponseChange::Confidence(x));
        }
        if let Some(x) = commitment {
            self.change(v, s, ResponseChange::Commitment(x));
        }
        if let Some(x) = need {
            self.change(v, s, ResponseChange::Need(x));
        }
    }
}

/// A text area that cannot exceed what a return accepts, with its count ("1,240 / 5,000") and,
/// while its text is not yet written, "saving…" or, after a failed write, "not saved yet".
/// (the text changed, the field was left with text not yet written).
fn text_area(
    ui: &mut egui::Ui,
    id: egui::Id,
    text: &mut String,
    hint: &str,
    label: egui::Id,
    unsaved: Option<bool>,
    t: Lang,
) -> (bool, bool) {
    let max = crate::exchange::MAX_TEXT_CHARS;
    let mut leave = false;
    ui.vertical(|ui| {
        let resp = ui.add(
            egui::TextEdit::multiline(text)
                .id(id)
                .desired_rows(3)
                .desired_width(f32::INFINITY)
                .hint_text(hint)
                .char_limit(max),
        );
        let resp = resp.labelled_by(label);
        let changed = resp.changed();
        ui.horizontal(|ui| {
            let n = text.chars().count();
            let count = t.f("text.count", &[("n", &group(n, t)), ("max", &group(max, t))]);
            let color = if n >= max { theme::WARN.into() } else { ui.visuals().weak_text_color() };
            ui.label(RichText::new(count).small().color(color));
            if resp.lost_focus() && unsaved.is_some() {
                leave = true;
            }
            match unsaved {
                Some(true) => {
                    ui.label(RichText::new(t.t("text.unsaved")).small().strong().color(theme::BAD));
                }
                Some(false) => {
                    ui.label(RichText::new(t.t("text.saving")).small().weak());
                }
                None => {}
            }
        });
        (changed, leave)
    })
    .inner
}

/// 5000 as "5,000" (English) or "5 000" (French).
fn group(n: usize, t: Lang) -> String {
    let sep = if t == Lang::Fr { '\u{202f}' } else { ',' };
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
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

fn read_only_banner(ui: &mut egui::Ui, v: &mut View, s: &Session, confirm: &mut bool) {
    let t = v.lang();
    let imported = s.data.header.imported;
    let newer = s.has_newer_revision;
    egui::Frame::new().fill(ui.visuals().faint_bg_color).corner_radius(6.0).inner_margin(8.0).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(t.t(if imported { "assess.imported" } else { "assess.read_only" })).strong());
            if !imported && !newer {
                crate::ui::widgets::revision::button(ui, v, s, confirm);
            }
        });
    });
    ui.add_space(6.0);
}

/// The target, said above the levels: "Target: 3 · Established, suggested by the framework…".
fn target_line(ui: &mut egui::Ui, r: &crate::assessment::Response, fw: &Framework, t: Lang) {
    let key = if r.target_confirmed { "assess.target_is" } else { "assess.target_suggested_is" };
    let text = RichText::new(t.f(key, &[("n", &r.target), ("name", &fw.level_name(r.target, t))])).small();
    ui.label(if r.target_confirmed { text.weak() } else { text.color(theme::WARN) });
}

/// The target choice beside one level: the target's row is marked ("Target", or "Suggested"
/// while the framework's suggestion is not yet confirmed); a click makes that level the target.
fn target_chip(ui: &mut egui::Ui, r: &crate::assessment::Response, level: u8, width: f32, t: Lang) -> Option<u8> {
    let is_target = r.target == level;
    let label = match (is_target, r.target_confirmed) {
        (true, true) => t.t("assess.target_chip"),
        (true, false) => t.t("assess.target_chip_suggested"),
        (false, _) => t.t("assess.target_chip_set"),
    };
    let text = if is_target { RichText::new(label).strong() } else { RichText::new(label).small().weak() };
    // Wrapped inside its width: a long French label never widens the page.
    let b = egui::Button::selectable(is_target, text).wrap().min_size(egui::vec2(width, 44.0));
    let hover = t.f("assess.target_chip_help", &[("n", &level)]);
    let resp = ui.add_sized(egui::vec2(width, 44.0), b).on_hover_text(hover);
    // The suggested target's own chip confirms it.
    (resp.clicked() && !(is_target && r.target_confirmed)).then_some(level)
}
