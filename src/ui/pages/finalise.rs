//! Sign-off by the head of administration; a finalised revision is read-only.

use crate::app::{DesktopCmd, ExportCmd, SessionCmd};
use crate::app::{Session, Warning};
use crate::assessment::{Answer, Status};
use crate::ids::AssessmentId;
use crate::ui::widgets::{fallback, revision, short_time, text_field, theme};
use crate::ui::{Page, View};

/// The name of the head of administration signing off, and the review's warnings read.
#[derive(Debug, Default)]
pub struct FinalisePage {
    pub approver: String,
    /// An unanswered indicator picked here, for the Assess page to show.
    pub go_to: Option<usize>,
    /// The sign-off summary is open, waiting for the head of administration to confirm.
    pub confirm: bool,
    /// The warnings the head of administration has read and accepted, for which assessment:
    /// accepted warnings that change (another gap, one fewer answer) must be read again.
    pub acknowledged: Option<(AssessmentId, Vec<Warning>)>,
    /// "Start a revision" asked, waiting for its confirmation.
    pub revision_confirm: bool,
    /// The revision whose head's name was filled in from the revision signed before it (once:
    /// the name stays editable).
    prefilled: Option<AssessmentId>,
}

impl FinalisePage {
    /// What is being signed off, and the last chance to go back: afterwards the revision is
    /// read-only and the need categories can no longer change.
    fn confirm_ui(&mut self, ui: &mut egui::Ui, v: &mut View, s: &crate::app::Session) {
        if !self.confirm || s.read_only() {
            self.confirm = false;
            return;
        }
        let t = v.lang();
        let gaps = s.gaps.len();
        let classified = s.gaps.iter().filter(|g| g.need.is_some()).count();
        let requests = s.gaps.iter().filter(|g| g.requests_assistance()).count();
        let mut answer = None;
        crate::ui::widgets::dialog(t.t("finalise.confirm_title")).show(ui.ctx(), |ui| {
            ui.set_min_width(420.0_f32.min(ui.ctx().content_rect().width() - 60.0));
            ui.set_max_width(480.0);
            ui.label(
                t.f("finalise.confirm_answered", &[("answered", &s.progress.answered), ("total", &s.progress.total)]),
            );
            let line =
                t.f("finalise.confirm_gaps", &[("classified", &classified), ("gaps", &gaps), ("requests", &requests)]);
            if classified < gaps {
                ui.label(egui::RichText::new(line).color(theme::WARN));
            } else {
                ui.label(line);
            }
            ui.label(t.f("finalise.confirm_who", &[("who", &self.approver.trim())]));
            ui.label(egui::RichText::new(t.t("finalise.confirm_warning")).strong());
            ui.label(t.t("signoff.read_only_list"));
            ui.horizontal(|ui| {
                if ui.button(t.t("finalise.confirm_yes")).clicked() {
                    answer = Some(true);
                }
                if ui.button(t.t("common.cancel")).clicked() {
                    answer = Some(false);
                }
            });
        });
        match answer {
            Some(true) => {
                v.send(SessionCmd::Finalise { id: s.id(), approver: self.approver.trim().to_string() });
                self.confirm = false;
            }
            Some(false) => self.confirm = false,
            None => {}
        }
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, v: &mut View) {
        let t = v.lang();
        let Some(s) = v.snap.session.as_deref() else { return };
        self.confirm_ui(ui, v, s);
        let header = s.data.header.clone();
        let unanswered: Vec<(usize, String)> = s
            .data
            .responses
            .iter()
            .enumerate()
            .filter(|(_, r)| r.answer == Answer::Unanswered)
            .map(|(i, r)| (i, r.indicator.clone()))
            .collect();
        let insufficient = s.data.responses.iter().filter(|r| r.answer == Answer::Insufficient).count();
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading(t.t("finalise.title"));
            if header.status == Status::Finalised {
                theme::card(ui, |ui| {
                    ui.label(t.f(
                        "finalise.already",
                        &[
                            ("who", &header.approved_by.clone().unwrap_or_default()),
                            ("when", &short_time(header.finalised_at.as_deref().unwrap_or(""))),
                        ],
                    ));
                    if !header.imported && !s.has_newer_revision {
                        revision::button(ui, v, s, &mut self.revision_confirm);
                    }
                });
                if !header.imported {
                    ui.add_space(8.0);
                    export_return_ui(ui, v);
                }
                return;
            }
            if s.team.section.is_some() {
                // A colleague's section goes back as an answer file (the Assess page writes it).
                ui.label(egui::RichText::new(t.t("store.section_no_sign_off")).color(theme::WARN));
                if ui.button(t.t("section.write_answer")).clicked() {
                    v.send(crate::app::SectionsCmd::WriteAnswer { id: s.id(), dest: v.ask_dest() });
                }
                return;
            }
            ui.label(egui::RichText::new(t.t("finalise.intro")).weak());
            ui.add_space(8.0);
            // A revision keeps the head's name of the one signed before it (issue 25).
            if self.prefilled != Some(s.id()) {
                self.prefilled = Some(s.id());
                if let Some(name) = s.last_approver.clone()
                    && self.approver.trim().is_empty()
                {
                    self.approver = name;
                }
            }
            if s.last_sent.is_some() {
                theme::card(ui, |ui| self.go_to = changes_ui(ui, v, s).or(self.go_to.take()));
                ui.add_space(8.0);
            }
            if !unanswered.is_empty() {
                progress_card(ui, s, insufficient, t);
                ui.add_space(8.0);
                ui.label(
                    egui::RichText::new(t.f("finalise.unanswered", &[("n", &unanswered.len())]))
                        .color(theme::WARN)
                        .strong(),
                );
                let mut go = None;
                ui.horizontal_wrapped(|ui| {
                    for (i, code) in &unanswered {
                        if ui.small_button(code).clicked() {
                            go = Some(*i);
                        }
                    }
                });
                if let Some(i) = go {
                    self.go_to = Some(i);
                    v.go = Some(Page::Assess);
                }
                return;
            }
            if !s.problems.is_empty() {
                // What the Secretariat's import would refuse: fixed here, before signing off.
                theme::card(ui, |ui| {
                    ui.label(
                        egui::RichText::new(t.f("finalise.problems_title", &[("n", &s.problems.len())]))
                            .color(theme::BAD)
                            .strong(),
                    );
                    for p in s.problems.iter().take(10) {
                        ui.label(format!("• {}", p.message(t)));
                    }
                });
                ui.add_space(8.0);
            }
            let warnings = s.signoff_warnings();
            let acknowledged = warnings.is_empty()
                || self.acknowledged.as_ref().is_some_and(|(id, w)| *id == s.id() && *w == warnings);
            theme::card(ui, |ui| self.review_ui(ui, v, s, &warnings));
            ui.add_space(8.0);
            theme::card(ui, |ui| {
                theme::section(ui, t.t("finalise.sign_off"));
                ui.label(t.t("finalise.sign_help"));
                text_field(ui, t.t("finalise.approver"), &mut self.approver, 300.0);
                if s.last_approver.as_deref().map(str::trim) == Some(self.approver.trim()) {
                    let before = s.data.header.revision - 1;
                    ui.label(
                        egui::RichText::new(t.f("finalise.approver_kept", &[("revision", &before)])).weak().small(),
                    );
                }
                let mut ack = acknowledged;
                if !warnings.is_empty() {
                    let text = egui::RichText::new(t.t("signoff.acknowledge")).strong();
                    if ui.checkbox(&mut ack, text).changed() {
                        self.acknowledged = ack.then(|| (s.id(), warnings.clone()));
                    }
                }
                // Colleagues' answers that met ours wait for a person's choice (issue 26).
                let conflicts = s.team.conflicts.len();
                if conflicts > 0 {
                    ui.label(
                        egui::RichText::new(t.f("store.section_conflicts_open", &[("n", &conflicts)]))
                            .color(theme::WARN),
                    );
                }
                let blocked = warnings.iter().any(Warning::blocks);
                let ok = !self.approver.trim().is_empty() && s.problems.is_empty() && ack && !blocked && conflicts == 0;
                let b = ui.add_enabled(ok, egui::Button::new(t.t("finalise.button")));
                if b.clicked() {
                    self.confirm = true;
                }
                if !ok {
                    let why = if self.approver.trim().is_empty() {
                        "signoff.needs_name"
                    } else if blocked {
                        "readiness.signoff_needs_reason"
                    } else if !ack {
                        "signoff.needs_ack"
                    } else {
                        "signoff.needs_fixes"
                    };
                    ui.label(egui::RichText::new(t.t(why)).weak().small());
                }
            });
        });
    }

    /// What is being signed off: answers, scores, gaps and requests for help, and what to check.
    fn review_ui(&mut self, ui: &mut egui::Ui, v: &mut View, s: &Session, warnings: &[Warning]) {
        let t = v.lang();
        let fw = s.framework();
        theme::section(ui, t.t("signoff.review"));
        ui.label(t.f("finalise.confirm_answered", &[("answered", &s.progress.answered), ("total", &s.progress.total)]));
        let score = |x: Option<f64>| x.map(|x| format!("{x:.0}")).unwrap_or_else(|| "–".into());
        egui::Grid::new("review_pillars").num_columns(3).spacing([18.0, 4.0]).striped(true).show(ui, |ui| {
            ui.strong(t.t("compare.pillar"));
            ui.strong(t.t("signoff.answered"));
            ui.strong(t.t("signoff.score"));
            ui.end_row();
            for (code, answered, total) in &s.progress.pillars {
                ui.label(fw.pillar_name(code, t));
                ui.label(format!("{answered} / {total}"));
                ui.label(score(s.scores.pillar_score(code)));
                ui.end_row();
            }
            ui.strong(t.t("results.overall"));
            ui.label("");
            ui.strong(score(s.scores.overall));
            ui.end_row();
        });
        let count = |a: Answer| s.data.responses.iter().filter(|r| r.answer == a).count();
        let gaps = s.gaps.len();
        let classified = s.gaps.iter().filter(|g| g.need.is_some()).count();
        let requests: Vec<&str> = s.gaps.iter().filter(|g| g.requests_assistance()).map(|g| g.code.as_str()).collect();
        ui.label(t.f(
            "signoff.counts",
            &[("na", &count(Answer::NotApplicable)), ("insufficient", &count(Answer::Insufficient))],
        ));
        ui.label(t.f(
            "finalise.confirm_gaps",
            &[("classified", &classified), ("gaps", &gaps), ("requests", &requests.len())],
        ));
        if !requests.is_empty() {
            ui.label(t.f("signoff.requests", &[("list", &requests.join(", "))]));
        }
        ui.add_space(4.0);
        crate::ui::widgets::plan::signoff_list(ui, s, t);
        crate::ui::widgets::sections::contributors_ui(ui, s, t);
        if warnings.is_empty() {
            ui.label(egui::RichText::new(t.t("signoff.no_warnings")).color(theme::GOOD));
            return;
        }
        ui.add_space(4.0);
        theme::section(ui, t.t("signoff.warnings"));
        let mut go = None;
        for w in warnings {
            let (key, codes) = match w {
                Warning::Unclassified(c) => ("signoff.warn_unclassified", c),
                Warning::Insufficient(c) => ("signoff.warn_insufficient", c),
                Warning::NotApplicable(c) => ("signoff.warn_na", c),
                Warning::ReadinessNaWithoutReason(c) => ("readiness.signoff_warn_na", c),
                Warning::SuggestedTargets(c) => ("signoff.warn_suggested_targets", c),
                Warning::GapsWithoutAction(c) => ("plan.signoff.warn_gaps", c),
                Warning::CWithoutRequest(c) => ("plan.signoff.warn_requests", c),
                Warning::StatusAsked(c) => ("plan.signoff.warn_asked", c),
                Warning::Recheck(c) => ("fwrecheck.signoff", c),
            };
            let colour = if w.blocks() { theme::BAD } else { theme::WARN };
            ui.label(egui::RichText::new(t.f(key, &[("n", &codes.len())])).color(colour).strong());
            // The plan's warnings name their indicators in one line (the Plan page deals with
            // them); the others open each indicator on the Assess page, where its need is set.
            if matches!(w, Warning::GapsWithoutAction(_) | Warning::CWithoutRequest(_) | Warning::StatusAsked(_)) {
                let mut list = codes.iter().take(8).cloned().collect::<Vec<_>>().join(", ");
                if codes.len() > 8 {
                    list.push_str(", …");
                }
                ui.label(egui::RichText::new(list).small());
                continue;
            }
            ui.horizontal_wrapped(|ui| {
                for code in codes {
                    if ui.small_button(code).on_hover_text(fw.indicator_title(code, t)).clicked() {
                        go = s.data.responses.iter().position(|r| &r.indicator == code);
                    }
                }
            });
        }
        if let Some(i) = go {
            self.go_to = Some(i);
            v.go = Some(Page::Assess);
        }
    }
}

/// Answered per pillar, while some are still to answer.
fn progress_card(ui: &mut egui::Ui, s: &Session, insufficient: usize, t: crate::lang::Lang) {
    let progress = &s.progress;
    let fw = s.framework();
    theme::card(ui, |ui| {
        for (code, answered, total) in &progress.pillars {
            let name = fw.pillar_name(code, t);
            ui.label(t.f("finalise.pillar_line", &[("pillar", &name), ("answered", answered), ("total", total)]));
        }
        if insufficient > 0 {
            ui.label(egui::RichText::new(t.f("finalise.insufficient", &[("n", &insufficient)])).color(theme::WARN));
        }
    });
}

/// Export the return, then explain how to send it.
fn export_return_ui(ui: &mut egui::Ui, v: &mut View) {
    let t = v.lang();
    let snap = v.snap;
    theme::card(ui, |ui| {
        theme::section(ui, t.t("export.return_title"));
        ui.label(t.t("export.return_help"));
        if snap.settings.secretariat_key_valid() {
            ui.label(egui::RichText::new(t.t("export.will_encrypt")).color(theme::GOOD));
        } else {
            ui.label(egui::RichText::new(t.t("export.not_encrypted")).color(theme::WARN));
        }
        ui.horizontal(|ui| {
            if ui.button(t.t("export.return_button")).clicked() {
                v.send(ExportCmd::Return { dest: v.ask_dest() });
            }
        });
        if fallback::save_folder(ui, v, "return_folder", &[t.t("export.save_return_here")]).is_some() {
            v.send(ExportCmd::Return { dest: v.folder_dest() });
        }
    });
    let Some(e) = snap.last_export.clone() else { return };
    ui.add_space(8.0);
    theme::card(ui, |ui| {
        theme::section(ui, t.t("send.title"));
        ui.label(t.f(
            "send.file",
            &[("path", &e.path.display()), ("kb", &t.decimal(&format!("{:.1}", e.size as f64 / 1024.0)))],
        ));
        let email = snap.settings.secretariat_email.trim().to_string();
        if email.is_empty() {
            ui.label(egui::RichText::new(t.t("send.no_address")).color(theme::WARN));
        } else {
            ui.label(t.f("send.address", &[("email", &email)]));
        }
        ui.label(t.t("send.steps"));
        ui.horizontal(|ui| {
            if ui.button(t.t("send.open_mail")).clicked()
                && let Some(mail) = snap.mail()
            {
                v.send(DesktopCmd::Mail(mail));
            }
            if ui.button(t.t("send.open_folder")).clicked()
                && let Some(dir) = e.path.parent()
            {
                v.send(DesktopCmd::Folder(dir.to_path_buf()));
            }
        });
        fallback::send_by_hand(ui, v, &e);
        crate::ui::widgets::feedback::sent_ui(ui, v, &e.path);
    });
}

/// What changed since the revision signed off before this one: indicator, code and title, and
/// each change (levels, targets, needs from and to; texts and replies named).
/// Returns the indicator clicked, for the Assess page to show.
fn changes_ui(ui: &mut egui::Ui, v: &mut View, s: &Session) -> Option<usize> {
    use crate::app::Changed;
    let t = v.lang();
    let before = s.last_sent.as_ref()?;
    let revision = before.header.revision;
    theme::section(ui, &t.f("changes.title", &[("revision", &revision)]));
    let changes = s.changes();
    if changes.is_empty() {
        ui.label(t.f("changes.none", &[("revision", &revision)]));
        return None;
    }
    let fw = s.framework();
    let level = |a: Answer| crate::ui::widgets::answer_short(a, t);
    let need = |n: Option<crate::assessment::NeedCategory>| match n {
        Some(n) => t.t(&format!("need.{}", n.code())).to_string(),
        None => t.t("changes.nothing").to_string(),
    };
    let mut go = None;
    egui::Grid::new("changes").num_columns(2).spacing([12.0, 4.0]).striped(true).show(ui, |ui| {
        for (code, what) in &changes {
            let title = fw.indicator(code).map(|i| i.title.get(t)).unwrap_or_default();
            if ui.link(format!("{code} · {title}")).clicked() {
                go = s.data.responses.iter().position(|r| &r.indicator == code);
            }
            let words: Vec<String> = what
                .iter()
                .map(|c| match c {
                    Changed::Level(a, b) => t.f("changes.level", &[("from", &level(*a)), ("to", &level(*b))]),
                    Changed::Target(a, b) => t.f("changes.target", &[("from", a), ("to", b)]),
                    Changed::Need(a, b) => t.f("changes.need", &[("from", &need(*a)), ("to", &need(*b))]),
                    Changed::Evidence => t.t("changes.evidence").to_string(),
                    Changed::Comment => t.t("changes.comment").to_string(),
                    Changed::Reply => t.t("changes.reply").to_string(),
                })
                .collect();
            ui.add(egui::Label::new(words.join(" · ")).wrap());
            ui.end_row();
        }
    });
    if go.is_some() {
        v.go = Some(Page::Assess);
    }
    go
}
