//! The development plan (issue 23): the ranked gaps on the left, the action being written and
//! the plan's actions (ordered by their gap's priority) on the right. Keyboard first: the page
//! opens in "What will be done" for the most urgent gap without an action; Tab moves on, Enter
//! adds the action and comes back for the next one.

use crate::app::{Session, SessionCmd};
use crate::ids::AssessmentId;
use crate::plan::{Action, ActionStatus, PlanEdit, Quarter, Resources, limits, words};
use crate::ui::View;
use crate::ui::widgets::{plan as plan_widgets, theme};
use egui::RichText;

/// The action being written (text as typed) and which one is edited.
#[derive(Debug, Default)]
pub struct PlanPage {
    form: Form,
    /// The index (in the order written) of the action being edited; None: a new one.
    editing: Option<usize>,
    /// The assessment the form belongs to (a new one resets the form).
    for_id: Option<AssessmentId>,
    /// Put the keyboard in "What will be done" on the next frame.
    focus_what: bool,
    /// What is wrong with the form, said under it.
    error: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Form {
    indicator: String,
    what: String,
    owner: String,
    start: String,
    end: String,
    resources: Option<Resources>,
    request: String,
    status: Option<ActionStatus>,
    reason: String,
    progress: String,
    from_cycle: Option<i32>,
}

impl Form {
    fn blank(s: &Session, indicator: &str) -> Form {
        let need = s.gaps.iter().find(|g| g.code == indicator).and_then(|g| g.need);
        let a = Action::new(indicator, s.data.header.cycle, need);
        Form::of(&a)
    }

    fn of(a: &Action) -> Form {
        Form {
            indicator: a.indicator.clone(),
            what: a.what.clone(),
            owner: a.owner.clone(),
            start: a.start.to_string(),
            end: a.end.to_string(),
            resources: Some(a.resources),
            request: a.request.clone(),
            status: a.status,
            reason: a.reason.clone(),
            progress: a.progress.clone(),
            from_cycle: a.from_cycle,
        }
    }

    /// The action, or what is wrong (its quarters read by the domain; the worker checks the rest
    /// again).
    fn action(&self, fw: &crate::framework::Framework) -> Result<Action, crate::plan::PlanError> {
        use crate::plan::PlanError;
        let start = Quarter::parse(&self.start).ok_or(PlanError::Quarter("start"))?;
        let end = Quarter::parse(&self.end).ok_or(PlanError::Quarter("end"))?;
        let a = Action {
            indicator: self.indicator.trim().to_ascii_uppercase(),
            what: self.what.clone(),
            owner: self.owner.clone(),
            start,
            end,
            resources: self.resources.unwrap_or(Resources::Own),
            request: self.request.clone(),
            status: self.status,
            reason: self.reason.clone(),
            progress: self.progress.clone(),
            from_cycle: self.from_cycle,
        }
        .sanitised();
        a.check(Some(fw))?;
        Ok(a)
    }
}

impl PlanPage {
    pub fn ui(&mut self, ui: &mut egui::Ui, v: &mut View) {
        let t = v.lang();
        let Some(s) = v.snap.session.clone() else {
            ui.label(t.t("assess.none"));
            return;
        };
        if self.for_id != Some(s.id()) {
            self.for_id = Some(s.id());
            self.editing = None;
            self.error = None;
            let first = s
                .gaps
                .iter()
                .find(|g| !s.data.plan.iter().any(|a| a.indicator == g.code))
                .or(s.gaps.first())
                .map(|g| g.code.clone())
                .unwrap_or_default();
            self.form = Form::blank(&s, &first);
            self.focus_what = !s.read_only();
        }
        ui.heading(t.t("plan.title"));
        ui.label(RichText::new(t.t("plan.intro")).weak().small());
        ui.add_space(4.0);
        let height = ui.available_height();
        ui.horizontal_top(|ui| {
            let left = (ui.available_width() * 0.34).clamp(220.0, 320.0);
            ui.allocate_ui_with_layout(egui::vec2(left, height), egui::Layout::top_down(egui::Align::Min), |ui| {
                ui.set_width(left);
                self.gaps_ui(ui, v, &s);
            });
            ui.separator();
            ui.vertical(|ui| {
                egui::ScrollArea::vertical().id_salt("plan_right").auto_shrink([false, false]).show(ui, |ui| {
                    if s.read_only() {
                        ui.label(RichText::new(t.t("plan.read_only")).color(theme::WARN));
                    } else {
                        theme::card(ui, |ui| self.form_ui(ui, v, &s));
                        ui.add_space(6.0);
                    }
                    self.actions_ui(ui, v, &s);
                });
            });
        });
    }

    /// The ranked gaps, most urgent first: one button each (Tab, Enter) that starts an action.
    fn gaps_ui(&mut self, ui: &mut egui::Ui, v: &mut View, s: &Session) {
        let t = v.lang();
        let fw = s.framework();
        theme::section(ui, t.t("plan.gaps"));
        if s.gaps.is_empty() {
            ui.label(RichText::new(t.t("plan.no_gaps")).weak());
            return;
        }
        ui.label(RichText::new(t.t("plan.gaps_help")).weak().small());
        egui::ScrollArea::vertical().id_salt("plan_gaps").auto_shrink([false, false]).show(ui, |ui| {
            for g in &s.gaps {
                let n = s.data.plan.iter().filter(|a| a.indicator == g.code).count();
                let need = g.need.map(|n| n.code()).unwrap_or("–");
                let text = format!("{} · {} · {} ({n})", g.code, need, fw.indicator_title(&g.code, t));
                let selected = self.form.indicator == g.code && self.editing.is_none();
                let b = egui::Button::selectable(selected, text).wrap();
                if ui.add_sized([ui.available_width(), 0.0], b).clicked() && !s.read_only() {
                    self.form = Form::blank(s, &g.code);
                    self.editing = None;
                    self.error = None;
                    self.focus_what = true;
                }
            }
        });
    }

    /// The action being written.
    fn form_ui(&mut self, ui: &mut egui::Ui, v: &mut View, s: &Session) {
        let t = v.lang();
        let fw = s.framework();
        let title = match self.editing {
            Some(_) => t.t("plan.edit").to_string(),
            None => t.f("plan.form_for", &[("code", &self.form.indicator)]),
        };
        theme::section(ui, &title);
        let mut submit = false;
        // The labels' column is up to about 230 points wide in French: the fields take the rest.
        let width = (ui.available_width() - 250.0).max(160.0);
        // Three grids with one label column, the choices between them on their own lines: a
        // wrapped row of choices inside a grid cell ran over the next row.
        let label_w = (ui.available_width() - width - 16.0).max(120.0);
        let mut field = |ui: &mut egui::Ui, key: &str, value: &mut String, max: usize, focus: bool| {
            let l = ui.label(t.t(key));
            let r = ui.add(egui::TextEdit::singleline(value).desired_width(width).char_limit(max)).labelled_by(l.id);
            if focus {
                r.request_focus();
            }
            if r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                submit = true;
            }
            ui.end_row();
        };
        let grid = |id: &str| egui::Grid::new(id).num_columns(2).spacing([8.0, 4.0]).min_col_width(label_w);
        let focus = std::mem::take(&mut self.focus_what);
        grid("plan_form").show(ui, |ui| {
            field(ui, "plan.indicator", &mut self.form.indicator, 12, false);
            field(ui, "plan.label.what", &mut self.form.what, limits::WHAT_MAX, focus);
            field(ui, "plan.label.owner", &mut self.form.owner, limits::OWNER_MAX, false);
            field(ui, "plan.label.start", &mut self.form.start, 12, false);
            field(ui, "plan.label.end", &mut self.form.end, 12, false);
        });
        choices_row(ui, t.t("plan.label.resources"), label_w, width, |ui| {
            for r in Resources::ALL {
                if ui.selectable_label(self.form.resources == Some(*r), words::resources(*r, t)).clicked() {
                    self.form.resources = Some(*r);
                }
            }
        });
        grid("plan_form_request").show(ui, |ui| {
            field(ui, "plan.label.request", &mut self.form.request, limits::REQUEST_MAX, false);
        });
        choices_row(ui, t.t("plan.label.status"), label_w, width, |ui| {
            if self.form.status.is_none() {
                ui.label(RichText::new(words::status(None, t)).color(theme::WARN));
            }
            for st in ActionStatus::ALL {
                if ui.selectable_label(self.form.status == Some(*st), words::status(Some(*st), t)).clicked() {
                    self.form.status = Some(*st);
                }
            }
        });
        grid("plan_form_after").show(ui, |ui| {
            field(ui, "plan.label.reason", &mut self.form.reason, limits::REASON_MAX, false);
            field(ui, "plan.label.progress", &mut self.form.progress, limits::PROGRESS_MAX, false);
        });
        ui.horizontal_wrapped(|ui| {
            let label = if self.editing.is_some() { t.t("plan.save") } else { t.t("plan.add") };
            if ui.button(label).clicked() {
                submit = true;
            }
            if self.editing.is_some() && ui.button(t.t("plan.cancel")).clicked() {
                self.editing = None;
                self.form = Form::blank(s, &self.form.indicator.clone());
            }
            ui.label(RichText::new(t.t("plan.keys_help")).weak().small());
        });
        if let Some(e) = &self.error {
            ui.label(RichText::new(e).color(theme::BAD));
        }
        if submit {
            match self.form.action(fw) {
                Ok(a) => {
                    let edit = match self.editing.take() {
                        Some(i) => PlanEdit::Update(i, a),
                        None => PlanEdit::Add(a),
                    };
                    v.send(SessionCmd::Plan { id: s.id(), edit });
                    self.form = Form::blank(s, &self.form.indicator.trim().to_ascii_uppercase());
                    self.error = None;
                    self.focus_what = true;
                }
                Err(e) => self.error = Some(words::error(&e, t)),
            }
        }
    }

    /// The plan's actions in the order of their gaps' priority, each with Edit and Remove.
    fn actions_ui(&mut self, ui: &mut egui::Ui, v: &mut View, s: &Session) {
        let t = v.lang();
        theme::section(ui, &t.f("plan.actions", &[("n", &s.data.plan.len())]));
        if s.data.plan.is_empty() {
            ui.label(RichText::new(t.t("plan.no_actions")).weak());
            return;
        }
        for i in s.plan_order() {
            let a = &s.data.plan[i];
            ui.push_id(("plan_action", i), |ui| {
                plan_widgets::action_lines(ui, s, a, t);
                if !s.read_only() {
                    ui.horizontal(|ui| {
                        if ui.small_button(t.t("plan.edit")).clicked() {
                            self.form = Form::of(a);
                            self.editing = Some(i);
                            self.error = None;
                            self.focus_what = true;
                        }
                        if ui.small_button(t.t("plan.remove")).clicked() {
                            v.send(SessionCmd::Plan { id: s.id(), edit: PlanEdit::Remove(i) });
                            // The indexes after it move: whatever was being edited is left.
                            self.editing = None;
                        }
                    });
                }
                ui.add_space(4.0);
            });
        }
    }
}

/// A label in the form's label column, and choices that wrap within the fields' column.
fn choices_row(ui: &mut egui::Ui, label: &str, label_w: f32, width: f32, add: impl FnOnce(&mut egui::Ui)) {
    ui.horizontal_top(|ui| {
        ui.allocate_ui_with_layout(egui::vec2(label_w, 22.0), egui::Layout::left_to_right(egui::Align::Center), |ui| {
            ui.set_min_width(label_w);
            ui.label(label);
        });
        ui.allocate_ui_with_layout(
            egui::vec2(width, 22.0),
            egui::Layout::left_to_right(egui::Align::Min).with_main_wrap(true),
            add,
        );
    });
}
