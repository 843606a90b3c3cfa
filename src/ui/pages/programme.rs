//! The Secretariat's work programme (issue 24): the region's needs grouped the way the
//! Secretariat acts, the proposals made from them, the interventions, and the Annual Work
//! Programme of a year. Every rule is `secretariat::programme`'s; this page draws and sends.

use crate::app::{ProgrammeCmd, SecCmd};
use crate::framework::{self, MemberKind, SUBREGIONS};
use crate::lang::Lang;
use crate::secretariat::programme::{
    self as prog, EXPERTS, FUNDING, GroupBy, Intervention, InterventionStatus, MODES, NeedFilter, SortBy, words,
};
use crate::ui::View;
use crate::ui::widgets::{cycle_picker, no_data_ui, theme};
use egui::RichText;
use egui_extras::{Column, TableBuilder};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Needs,
    Proposals,
    Interventions,
    Programme,
}

/// An intervention being edited, with the fields typed as text.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub item: Intervention,
    pub indicators: String,
    pub participants: String,
    pub started: String,
    pub ended: String,
}

impl Draft {
    fn of(i: Intervention) -> Draft {
        Draft {
            indicators: i.indicators.join(", "),
            participants: i.participants.map(|p| p.to_string()).unwrap_or_default(),
            started: i.started.clone().unwrap_or_default(),
            ended: i.ended.clone().unwrap_or_default(),
            item: i,
        }
    }
    fn done(&self) -> Intervention {
        let mut i = self.item.clone();
        i.indicators =
            self.indicators.split([',', ' ', ';']).map(|s| s.trim().to_uppercase()).filter(|s| !s.is_empty()).collect();
        i.participants = self.participants.trim().parse().ok();
        i.started = Some(self.started.trim().to_string()).filter(|s| !s.is_empty());
        i.ended = Some(self.ended.trim().to_string()).filter(|s| !s.is_empty());
        i
    }
}

#[derive(Debug, Default)]
pub struct ProgrammePage {
    pub tab: Tab,
    pub by: GroupBy,
    pub filter: NeedFilter,
    pub sort: SortBy,
    /// The group opened (drill-down).
    pub open: Option<String>,
    /// The year of the work programme shown (default: the cycle chosen).
    pub year: Option<i32>,
    /// What the data shown was asked for: (consolidation, year).
    seen: Option<(usize, i32)>,
    pub editing: Option<Draft>,
    /// The intervention chosen to merge each proposal into.
    merge_into: BTreeMap<String, i64>,
}

impl ProgrammePage {
    pub fn ui(&mut self, ui: &mut egui::Ui, v: &mut View) {
        let t = v.lang();
        let snap = v.snap;
        let year = *self.year.get_or_insert_with(|| snap.sec.cycle.unwrap_or(2026));
        let now = (snap.sec.consolidation.as_ref().map_or(0, |c| std::sync::Arc::as_ptr(c) as usize), year);
        if self.seen != Some(now) {
            self.seen = Some(now);
            v.send(ProgrammeCmd::Refresh { year });
        }
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.heading(t.t("programme.title"));
                ui.add_space(20.0);
                cycle_picker(ui, snap, &mut v.out);
            });
            ui.label(RichText::new(t.t("programme.intro")).weak());
            ui.horizontal(|ui| {
                for (tab, key) in [
                    (Tab::Needs, "programme.tab_needs"),
                    (Tab::Proposals, "programme.tab_proposals"),
                    (Tab::Interventions, "programme.tab_interventions"),
                    (Tab::Programme, "programme.tab_programme"),
                ] {
                    if ui.selectable_label(self.tab == tab, t.t(key)).clicked() {
                        self.tab = tab;
                    }
                }
            });
            ui.separator();
            match self.tab {
                Tab::Needs => {
                    if !no_data_ui(ui, snap) {
                        self.needs_ui(ui, v, t);
                    }
                }
                Tab::Proposals => self.proposals_ui(ui, v, t),
                Tab::Interventions => self.interventions_ui(ui, v, t),
                Tab::Programme => self.programme_ui(ui, v, t),
            }
        });
    }

    fn needs_ui(&mut self, ui: &mut egui::Ui, v: &mut View, t: Lang) {
        let view = v.snap.programme.clone();
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(t.t("programme.group_by"));
            egui::ComboBox::from_id_salt("prog_by")
                .selected_text(by_name(self.by, t))
                .show_ui(ui, |ui| {
                    for b in GroupBy::ALL {
                        if ui.selectable_value(&mut self.by, b, by_name(b, t)).clicked() {
                            self.open = None;
                        }
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label(t.t("programme.subregion"));
            let shown = self.filter.subregion.as_ref().map(|s| t.t(&format!("subregion.{s}")).to_string());
            egui::ComboBox::from_id_salt("prog_sub")
                .selected_text(shown.unwrap_or_else(|| t.t("programme.all").into()))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.subregion, None, t.t("programme.all"));
                    for s in SUBREGIONS {
                        ui.selectable_value(
                            &mut self.filter.subregion,
                            Some(s.to_string()),
                            t.t(&format!("subregion.{s}")),
                        );
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label(t.t("programme.kind"));
            egui::ComboBox::from_id_salt("prog_kind")
                .selected_text(self.filter.kind.map_or_else(|| t.t("programme.all").into(), |k| words::kind(k, t)))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.filter.kind, None, t.t("programme.all"));
                    for k in MemberKind::ALL {
                        ui.selectable_value(&mut self.filter.kind, Some(k), words::kind(k, t));
                    }
                })
                .response
                .labelled_by(l.id);
            ui.checkbox(&mut self.filter.requests_only, t.t("programme.requests_only"));
            let l = ui.label(t.t("programme.sort"));
            egui::ComboBox::from_id_salt("prog_sort")
                .selected_text(sort_name(self.sort, t))
                .show_ui(ui, |ui| {
                    for s in [SortBy::Requests, SortBy::Members, SortBy::Code] {
                        ui.selectable_value(&mut self.sort, s, sort_name(s, t));
                    }
                })
                .response
                .labelled_by(l.id);
        });
        let groups = prog::groups(&view.needs, self.by, &self.filter, self.sort);
        let requests = view.needs.iter().filter(|n| n.request).count();
        ui.label(t.f("programme.needs_summary", &[("gaps", &view.needs.len()), ("requests", &requests)]));
        crate::ui::widgets::sideways(ui, "prog_needs_scroll", |ui| {
            TableBuilder::new(ui)
                .id_salt("prog_needs")
                .striped(true)
                .vscroll(false)
                .column(Column::exact(380.0).clip(true))
                .column(Column::exact(90.0))
                .column(Column::exact(110.0))
                .column(Column::exact(70.0))
                .column(Column::exact(80.0))
                .header(24.0, |mut h| {
                    for k in [
                        "programme.col_group",
                        "programme.col_members_n",
                        "programme.col_requesting",
                        "programme.col_gaps",
                        "programme.col_requests",
                    ] {
                        h.col(|ui| {
                            ui.strong(t.t(k));
                        });
                    }
                })
                .body(|mut body| {
                    for g in &groups {
                        body.row(24.0, |mut row| {
                            row.col(|ui| {
                                let open = self.open.as_deref() == Some(g.key.as_str());
                                if ui.selectable_label(open, words::group_key(self.by, &g.key, t)).clicked() {
                                    self.open = if open { None } else { Some(g.key.clone()) };
                                }
                            });
                            row.col(|ui| {
                                ui.label(g.members.len().to_string());
                            });
                            row.col(|ui| {
                                ui.label(g.requesting.len().to_string());
                            });
                            row.col(|ui| {
                                ui.label(g.gaps.to_string());
                            });
                            row.col(|ui| {
                                ui.label(g.requests.to_string());
                            });
                        });
                    }
                });
        });
        let Some(key) = self.open.clone() else { return };
        ui.add_space(8.0);
        theme::card(ui, |ui| {
            ui.strong(words::group_key(self.by, &key, t));
            for n in prog::group_needs(&view.needs, self.by, &key, &self.filter) {
                ui.horizontal_wrapped(|ui| {
                    if ui.link(words::member(&n.member, t)).on_hover_text(t.t("programme.open_member")).clicked() {
                        v.send(SecCmd::OpenMember(n.member.clone()));
                    }
                    ui.label(RichText::new(format!(
                        "{} · {} · {}",
                        t.t(&format!("subregion.{}", n.subregion)),
                        words::kind(n.kind, t),
                        n.indicator
                    )));
                    ui.label(t.f("programme.level_target", &[("level", &n.level), ("target", &n.target)]));
                    if n.request {
                        ui.label(RichText::new(t.t("programme.request_c")).strong().color(theme::WARN));
                    }
                    if !n.text.is_empty() {
                        ui.label(RichText::new(&n.text).small().weak());
                    }
                });
            }
        });
    }

    fn proposals_ui(&mut self, ui: &mut egui::Ui, v: &mut View, t: Lang) {
        let view = v.snap.programme.clone();
        ui.label(RichText::new(t.f("programme.rule", &[("at", &prog::REGIONAL_AT)])).weak());
        if view.proposals.is_empty() {
            ui.label(t.t("programme.no_proposals"));
        }
        let live: Vec<&Intervention> = view.interventions.iter().filter(|i| prog::live(i)).collect();
        for p in &view.proposals {
            theme::card(ui, |ui| {
                ui.strong(format!(
                    "{} {} · {}",
                    p.indicator,
                    framework::current().indicator_title(&p.indicator, t),
                    words::mode(&p.draft.mode, t)
                ));
                ui.label(words::why(p, t));
                ui.horizontal_wrapped(|ui| {
                    if ui.button(t.t("programme.accept")).clicked() {
                        v.send(ProgrammeCmd::Accept(p.key.clone()));
                    }
                    if ui.button(t.t("programme.dismiss")).clicked() {
                        v.send(ProgrammeCmd::Dismiss(p.key.clone()));
                    }
                    if !live.is_empty() {
                        let merge_label = ui.label(t.t("programme.merge"));
                        let chosen = self.merge_into.get(&p.key).copied();
                        let name = |id: Option<i64>| {
                            live.iter()
                                .find(|i| i.id == id)
                                .map(|i| i.title.clone())
                                .unwrap_or_else(|| t.t("programme.merge_pick").into())
                        };
                        egui::ComboBox::from_id_salt(("merge", &p.key))
                            .selected_text(name(chosen))
                            .width(260.0)
                            .show_ui(ui, |ui| {
                                for i in &live {
                                    if ui.selectable_label(chosen == i.id, &i.title).clicked()
                                        && let Some(id) = i.id
                                    {
                                        self.merge_into.insert(p.key.clone(), id);
                                    }
                                }
                            })
                            .response
                            .labelled_by(merge_label.id);
                        if ui.add_enabled(chosen.is_some(), egui::Button::new(t.t("programme.merge_do"))).clicked()
                            && let Some(into) = chosen
                        {
                            v.send(ProgrammeCmd::Merge { key: p.key.clone(), into });
                        }
                    }
                });
            });
        }
    }

    fn interventions_ui(&mut self, ui: &mut egui::Ui, v: &mut View, t: Lang) {
        let view = v.snap.programme.clone();
        if let Some(d) = self.editing.as_mut() {
            let mut close = false;
            theme::card(ui, |ui| {
                if editor_ui(ui, d, t) {
                    v.send(ProgrammeCmd::Save(Box::new(d.done())));
                    close = true;
                }
                if ui.button(t.t("programme.cancel")).clicked() {
                    close = true;
                }
            });
            if close {
                self.editing = None;
            }
            return;
        }
        if ui.button(t.t("programme.new")).clicked() {
            let year = self.year.unwrap_or(2026);
            self.editing = Some(Draft::of(Intervention {
                kind: framework::INTERVENTIONS[0].into(),
                mode: MODES[0].into(),
                funding: FUNDING[0].into(),
                year,
                cycle: v.snap.sec.cycle,
                status: InterventionStatus::Planned,
                ..Intervention::default()
            }));
        }
        if view.interventions.is_empty() {
            ui.label(t.t("programme.no_interventions"));
        }
        for i in &view.interventions {
            ui.horizontal_wrapped(|ui| {
                let title = RichText::new(&i.title).strong();
                ui.label(if i.retired { title.weak().strikethrough() } else { title });
                ui.label(format!(
                    "{} · {} {} · {} · {}",
                    words::intervention_type(&i.kind, t),
                    i.year,
                    words::quarter(i.quarter, t),
                    words::status(i.status, t),
                    words::members(&i.members, t)
                ));
                if ui.small_button(t.t("programme.edit")).clicked() {
                    self.editing = Some(Draft::of(i.clone()));
                }
                let (key, retired) = if i.retired { ("programme.restore", false) } else { ("programme.retire", true) };
                if ui.small_button(t.t(key)).clicked()
                    && let Some(id) = i.id
                {
                    v.send(ProgrammeCmd::Retire { id, retired });
                }
            });
            if let Some(e) = i.id.and_then(|id| view.effects.get(&id)) {
                ui.indent(("effect", i.id), |ui| {
                    ui.label(e.words(t));
                    ui.label(RichText::new(t.t("programme.effect_caveat")).weak().italics());
                });
            }
        }
    }

    fn programme_ui(&mut self, ui: &mut egui::Ui, v: &mut View, t: Lang) {
        let view = v.snap.programme.clone();
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(t.t("programme.year"));
            let mut y = self.year.unwrap_or(2026);
            if ui.add(egui::DragValue::new(&mut y).range(2000..=2100)).labelled_by(l.id).changed() {
                self.year = Some(y);
            }
            if ui.button(t.t("programme.save_xlsx")).clicked() {
                v.send(ProgrammeCmd::Write { pdf: false, dest: v.ask_dest() });
            }
            if ui.button(t.t("programme.save_pdf")).clicked() {
                v.send(ProgrammeCmd::Write { pdf: true, dest: v.ask_dest() });
            }
        });
        let Some(wp) = view.programme.as_ref() else { return };
        let cycle = wp.cycle.map(|c| c.to_string()).unwrap_or_else(|| "–".into());
        ui.label(t.f(
            "programme.summary",
            &[
                ("year", &wp.year),
                ("n", &wp.items.len()),
                ("cycle", &cycle),
                ("requests", &wp.requests),
                ("unanswered", &wp.unanswered.len()),
            ],
        ));
        let mut area: Option<&str> = None;
        for (a, i) in &wp.items {
            if area != Some(a.as_str()) {
                ui.add_space(6.0);
                ui.strong(words::area(a, t));
                area = Some(a.as_str());
            }
            ui.label(format!(
                "{} · {} · {} · {} · {}",
                words::quarter(i.quarter, t),
                i.title,
                words::mode(&i.mode, t),
                words::members(&i.members, t),
                words::status(i.status, t)
            ));
        }
        ui.add_space(8.0);
        ui.strong(t.t("programme.sheet_unanswered"));
        if wp.unanswered.is_empty() {
            ui.label(t.t("programme.nothing"));
        }
        for r in &wp.unanswered {
            ui.label(format!(
                "{} · {} {}",
                words::member(&r.member, t),
                r.indicator,
                framework::current().indicator_title(&r.indicator, t)
            ));
        }
        ui.add_space(8.0);
        ui.strong(t.t("programme.sheet_partners"));
        for p in &wp.partners {
            ui.label(t.f(
                "programme.partner_line",
                &[
                    ("partner", &words::partner(&p.partner, t)),
                    ("n", &p.interventions),
                    ("members", &p.members),
                    ("funded", &p.funded),
                ],
            ));
        }
    }
}

fn by_name(b: GroupBy, t: Lang) -> &'static str {
    t.t(match b {
        GroupBy::Indicator => "programme.by_indicator",
        GroupBy::Intervention => "programme.by_intervention",
        GroupBy::Competency => "programme.by_competency",
        GroupBy::Capability => "programme.by_capability",
    })
}

fn sort_name(s: SortBy, t: Lang) -> &'static str {
    t.t(match s {
        SortBy::Requests => "programme.sort_requests",
        SortBy::Members => "programme.sort_members",
        SortBy::Code => "programme.sort_code",
    })
}

/// The intervention's fields; true when "Save" is clicked.
fn editor_ui(ui: &mut egui::Ui, d: &mut Draft, t: Lang) -> bool {
    let fw = framework::current();
    let i = &mut d.item;
    egui::Grid::new("prog_editor").num_columns(2).spacing([12.0, 6.0]).show(ui, |ui| {
        ui.label(t.t("programme.col_title"));
        ui.add(egui::TextEdit::singleline(&mut i.title).desired_width(420.0));
        ui.end_row();
        let l = ui.label(t.t("programme.col_type"));
        egui::ComboBox::from_id_salt("ed_type")
            .selected_text(words::intervention_type(&i.kind, t))
            .show_ui(ui, |ui| {
                for c in framework::INTERVENTIONS {
                    ui.selectable_value(&mut i.kind, c.to_string(), words::intervention_type(c, t));
                }
            })
            .response
            .labelled_by(l.id);
        ui.end_row();
        let l = ui.label(t.t("programme.col_competency"));
        egui::ComboBox::from_id_salt("ed_comp")
            .selected_text(words::competency(i.competency.as_deref(), t))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut i.competency, None, words::competency(None, t));
                for c in &fw.meta.competencies {
                    ui.selectable_value(&mut i.competency, Some(c.code.clone()), c.name.get(t));
                }
            })
            .response
            .labelled_by(l.id);
        ui.end_row();
        let l = ui.label(t.t("programme.col_mode"));
        egui::ComboBox::from_id_salt("ed_mode")
            .selected_text(words::mode(&i.mode, t))
            .show_ui(ui, |ui| {
                for c in MODES {
                    ui.selectable_value(&mut i.mode, c.to_string(), words::mode(c, t));
                }
            })
            .response
            .labelled_by(l.id);
        ui.end_row();
        let l = ui.label(t.t("programme.col_expert"));
        egui::ComboBox::from_id_salt("ed_expert")
            .selected_text(words::expert(i.expert.as_deref(), t))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut i.expert, None, "–");
                for c in EXPERTS {
                    ui.selectable_value(&mut i.expert, Some(c.to_string()), words::expert(Some(c), t));
                }
            })
            .response
            .labelled_by(l.id);
        ui.end_row();
        ui.label(t.t("programme.col_partner"));
        ui.add(egui::TextEdit::singleline(&mut i.partner).desired_width(300.0));
        ui.end_row();
        let l = ui.label(t.t("programme.col_funding"));
        egui::ComboBox::from_id_salt("ed_funding")
            .selected_text(words::funding(&i.funding, t))
            .show_ui(ui, |ui| {
                for c in FUNDING {
                    ui.selectable_value(&mut i.funding, c.to_string(), words::funding(c, t));
                }
            })
            .response
            .labelled_by(l.id);
        ui.end_row();
        let l = ui.label(t.t("programme.year"));
        ui.horizontal(|ui| {
            ui.add(egui::DragValue::new(&mut i.year).range(2000..=2100)).labelled_by(l.id);
            let q = ui.label(t.t("programme.col_quarter"));
            egui::ComboBox::from_id_salt("ed_quarter")
                .selected_text(words::quarter(i.quarter, t))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut i.quarter, None, words::quarter(None, t));
                    for q in 1..=4u8 {
                        ui.selectable_value(&mut i.quarter, Some(q), words::quarter(Some(q), t));
                    }
                })
                .response
                .labelled_by(q.id);
        });
        ui.end_row();
        let l = ui.label(t.t("programme.col_status"));
        egui::ComboBox::from_id_salt("ed_status")
            .selected_text(words::status(i.status, t))
            .show_ui(ui, |ui| {
                for s in InterventionStatus::ALL {
                    ui.selectable_value(&mut i.status, s, words::status(s, t));
                }
            })
            .response
            .labelled_by(l.id);
        ui.end_row();
        ui.label(t.t("programme.col_indicators"));
        ui.add(egui::TextEdit::singleline(&mut d.indicators).desired_width(300.0).hint_text("WF-01, LP-02"));
        ui.end_row();
        ui.label(t.t("programme.col_members"));
        ui.horizontal_wrapped(|ui| {
            ui.set_max_width(520.0);
            for m in framework::members() {
                let mut on = i.members.contains(&m.code);
                if ui.checkbox(&mut on, &m.code).on_hover_text(m.name.get(t)).changed() {
                    if on {
                        i.members.push(m.code.clone());
                    } else {
                        i.members.retain(|x| x != &m.code);
                    }
                }
            }
        });
        ui.end_row();
        ui.label(t.t("programme.delivered_dates"));
        ui.horizontal(|ui| {
            ui.add(egui::TextEdit::singleline(&mut d.started).desired_width(100.0).hint_text("YYYY-MM-DD"));
            ui.add(egui::TextEdit::singleline(&mut d.ended).desired_width(100.0).hint_text("YYYY-MM-DD"));
        });
        ui.end_row();
        ui.label(t.t("programme.participants"));
        ui.add(egui::TextEdit::singleline(&mut d.participants).desired_width(80.0));
        ui.end_row();
        ui.label(t.t("programme.report"));
        ui.add(egui::TextEdit::multiline(&mut i.report).desired_width(420.0).desired_rows(3));
        ui.end_row();
    });
    ui.button(t.t("programme.save")).clicked()
}
