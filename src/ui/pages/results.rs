//! Results: scores per pillar, the readiness verdict, charts, the ranked gaps with their need
//! category, requests for assistance, and the comparison with the previous cycle.

use crate::app::{ExportCmd, SessionCmd};
use crate::app::{ExportKind, Session};
use crate::assessment::{NeedCategory, ResponseChange};
use crate::framework::Framework;
use crate::lang::Lang;
use crate::scoring::{self, IndicatorScore, PillarScore};
use crate::ui::View;
use crate::ui::widgets::{charts, theme};
use egui::{Color32, RichText};
use egui_extras::{Column, TableBuilder};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapSort {
    Priority,
    Gap,
    Code,
    Pillar,
}

/// Filters and sort of the gap list.
#[derive(Debug, Clone)]
pub struct ResultsPage {
    pub pillar: Option<String>,
    pub area: Option<String>,
    pub intervention: Option<String>,
    pub sort: GapSort,
}

impl Default for ResultsPage {
    fn default() -> Self {
        ResultsPage { pillar: None, area: None, intervention: None, sort: GapSort::Priority }
    }
}

impl ResultsPage {
    pub fn ui(&mut self, ui: &mut egui::Ui, v: &mut View) {
        results_ui(ui, v, self);
    }
}

fn results_ui(ui: &mut egui::Ui, v: &mut View, view: &mut ResultsPage) {
    let t = v.lang();
    let Some(s) = v.snap.session.as_deref() else {
        ui.label(t.t("assess.none"));
        return;
    };
    let fw = s.framework();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.heading(t.t("results.title"));
        // The buttons on their own line: on a small screen they never cover the heading.
        ui.horizontal_wrapped(|ui| export_ui(ui, v));
        export_folder_ui(ui, v);
        flags_ui(ui, s, t);
        ui.add_space(4.0);
        pillar_cards_ui(ui, s, fw, t);
        ui.add_space(8.0);
        if ui.available_width() >= 760.0 {
            ui.columns(2, |cols| {
                theme::card(&mut cols[0], |ui| verdict_ui(ui, s, fw, t));
                theme::card(&mut cols[1], |ui| radar_ui(ui, v, s, fw, t));
            });
        } else {
            theme::card(ui, |ui| verdict_ui(ui, s, fw, t));
            ui.add_space(8.0);
            theme::card(ui, |ui| radar_ui(ui, v, s, fw, t));
        }
        ui.add_space(8.0);
        theme::card(ui, |ui| top_gaps_ui(ui, s, fw, t));
        ui.add_space(8.0);
        if s.previous.is_some() {
            theme::card(ui, |ui| comparison_ui(ui, s, fw, t));
            ui.add_space(8.0);
        }
        gap_table_ui(ui, v, view, s, fw);
        ui.add_space(8.0);
        crate::ui::widgets::feedback::benchmarks_ui(ui, v);
        theme::card(ui, |ui| requests_ui(ui, s, fw, t));
        ui.add_space(8.0);
        theme::card(ui, |ui| summaries_ui(ui, s, fw, t));
        // Who answered (a member's return that names them, or this draft's contributors).
        if !s.data.contributors.is_empty() {
            ui.add_space(8.0);
            theme::card(ui, |ui| crate::ui::widgets::sections::contributors_ui(ui, s, t));
        }
    });
}

fn flags_ui(ui: &mut egui::Ui, s: &Session, t: Lang) {
    let sc = &s.scores;
    if sc.insufficient > 0 {
        ui.label(RichText::new(t.f("results.flag_insufficient", &[("n", &sc.insufficient)])).color(theme::WARN));
    }
    if sc.unanswered > 0 {
        ui.label(RichText::new(t.f("results.flag_unanswered", &[("n", &sc.unanswered)])).color(theme::WARN));
    }
}

pub fn pillar_level_text(fw: &Framework, p: &PillarScore, t: Lang) -> String {
    match p.level {
        None => t.t("results.no_score").to_string(),
        Some(l) => format!("{} · {}", t.decimal(&scoring::level_label(p)), fw.level_name(l.floor() as u8, t)),
    }
}

fn score_text(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.0}")).unwrap_or_else(|| "–".into())
}

fn pillar_cards_ui(ui: &mut egui::Ui, s: &Session, fw: &Framework, t: Lang) {
    let n = s.scores.pillars.len() + 1;
    // As many cards a row as fit at 150 points each (all in one row on a wide screen).
    let per_row = ((ui.available_width() / 150.0).floor() as usize).clamp(1, n);
    let cards: Vec<Option<&PillarScore>> = std::iter::once(None).chain(s.scores.pillars.iter().map(Some)).collect();
    for (r, row) in cards.chunks(per_row).enumerate() {
        if r > 0 {
            ui.add_space(6.0);
        }
        ui.columns(per_row, |cols| {
            for (i, card) in row.iter().enumerate() {
                theme::card(&mut cols[i], |ui| match card {
                    None => overall_card_ui(ui, s, t),
                    Some(p) => pillar_card_ui(ui, p, fw, t),
                });
            }
        });
    }
}

fn overall_card_ui(ui: &mut egui::Ui, s: &Session, t: Lang) {
    ui.label(RichText::new(t.t("results.overall")).strong());
    ui.label(
        RichText::new(t.f("results.score_of_100", &[("score", &score_text(s.scores.overall))]))
            .size(24.0)
            .color(s.scores.overall.map(charts::score_color).unwrap_or(theme::MUTED)),
    );
}

fn pillar_card_ui(ui: &mut egui::Ui, p: &PillarScore, fw: &Framework, t: Lang) {
    let name = fw.pillar_name(&p.code, t);
    ui.label(RichText::new(name).strong());
    ui.label(
        RichText::new(t.f("results.score_of_100", &[("score", &score_text(p.score))]))
            .size(24.0)
            .color(p.score.map(charts::score_color).unwrap_or(theme::MUTED)),
    );
    ui.label(pillar_level_text(fw, p, t));
    let method = match p.aggregation {
        crate::framework::Aggregation::Average => "results.method_average",
        crate::framework::Aggregation::WeakestLink => "results.method_weakest",
    };
    ui.label(RichText::new(t.t(method)).small().weak());
    if p.insufficient > 0 {
        ui.label(
            RichText::new(t.f("results.pillar_insufficient", &[("n", &p.insufficient)])).small().color(theme::WARN),
        );
    }
}

fn verdict_ui(ui: &mut egui::Ui, s: &Session, fw: &Framework, t: Lang) {
    theme::section(ui, t.t("results.verdict"));
    let r = &s.scores.readiness;
    let Some(q) = r.quadrant else {
        ui.label(RichText::new(t.t("verdict.none")).size(20.0).strong());
        ui.label(RichText::new(crate::scoring::words::not_rated(t, r)).small().weak());
        return;
    };
    let (title, help) = crate::scoring::words::quadrant(t, Some(q));
    ui.label(RichText::new(title).size(20.0).strong());
    ui.label(help);
    ui.add_space(4.0);
    ui.label(t.f(
        "results.ability_willingness",
        &[("ability", &score_text(r.ability)), ("willingness", &score_text(r.willingness))],
    ));
    // The answers that decide it: the weakest on each side.
    for line in crate::scoring::words::decided_by(t, r) {
        ui.label(RichText::new(line).small());
    }
    if let Some(c) = r.stated_commitment {
        ui.label(RichText::new(t.f("verdict.stated_commitment", &[("value", &format!("{c:.0}"))])).small().weak());
    }
    // The four quadrants, with the administration's place.
    let size = egui::vec2(ui.available_width().min(260.0), 150.0);
    let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
    let p = ui.painter_at(rect);
    let th = fw.meta.readiness;
    let x_split = rect.left() + rect.width() * (th.ability_threshold / 100.0) as f32;
    let y_split = rect.bottom() - rect.height() * (th.willingness_threshold / 100.0) as f32;
    let fill = ui.visuals().faint_bg_color;
    p.rect_filled(rect, 4.0, fill);
    let stroke = egui::Stroke::new(1.0, ui.visuals().weak_text_color());
    p.line_segment([egui::pos2(x_split, rect.top()), egui::pos2(x_split, rect.bottom())], stroke);
    p.line_segment([egui::pos2(rect.left(), y_split), egui::pos2(rect.right(), y_split)], stroke);
    let small = egui::FontId::proportional(11.0);
    let c = ui.visuals().weak_text_color();
    p.text(
        rect.left_top() + egui::vec2(4.0, 4.0),
        egui::Align2::LEFT_TOP,
        t.t("verdict.short_willing_not_able"),
        small.clone(),
        c,
    );
    p.text(
        rect.right_top() + egui::vec2(-4.0, 4.0),
        egui::Align2::RIGHT_TOP,
        t.t("verdict.short_able_and_willing"),
        small.clone(),
        c,
    );
    p.text(
        rect.left_bottom() + egui::vec2(4.0, -4.0),
        egui::Align2::LEFT_BOTTOM,
        t.t("verdict.short_not_yet"),
        small.clone(),
        c,
    );
    p.text(
        rect.right_bottom() + egui::vec2(-4.0, -4.0),
        egui::Align2::RIGHT_BOTTOM,
        t.t("verdict.short_able_not_willing"),
        small,
        c,
    );
    if let (Some(a), Some(w)) = (r.ability, r.willingness) {
        let dot = egui::pos2(
            rect.left() + rect.width() * (a / 100.0) as f32,
            rect.bottom() - rect.height() * (w / 100.0) as f32,
        );
        p.circle_filled(dot, 6.0, theme::accent(ui));
    }
    ui.label(RichText::new(t.t("verdict.axes")).small().weak());
}

fn radar_ui(ui: &mut egui::Ui, v: &View, s: &Session, fw: &Framework, t: Lang) {
    theme::section(ui, t.t("results.radar"));
    let labels: Vec<String> = s.scores.pillars.iter().map(|p| fw.pillar_name(&p.code, t).to_string()).collect();
    let current: Vec<f64> = s.scores.pillars.iter().map(|p| p.score.unwrap_or(0.0)).collect();
    let target: Vec<f64> = s.scores.pillars.iter().map(|p| p.target_score.unwrap_or(0.0)).collect();
    let codes: Vec<String> = s.scores.pillars.iter().map(|p| p.code.clone()).collect();
    // With the Secretariat's feedback: you, your sub-region, the region.
    let others = crate::ui::widgets::feedback::pillar_series(ui, v, &codes);
    ui.horizontal_wrapped(|ui| {
        charts::legend(ui, theme::accent(ui), t.t("results.current"));
        charts::legend(ui, charts::TARGET, t.t("results.target"));
        for (label, (color, _, _)) in &others {
            charts::legend(ui, *color, label);
        }
    });
    let series: Vec<charts::RadarSeries> = others.into_iter().map(|(_, s)| s).collect();
    charts::radar(ui, 260.0, &labels, &current, &target, &series, 100.0);
}

fn top_gaps_ui(ui: &mut egui::Ui, s: &Session, fw: &Framework, t: Lang) {
    theme::section(ui, t.t("results.top_gaps"));
    let gaps = &s.gaps;
    if gaps.is_empty() {
        ui.label(t.t("results.no_gaps"));
        return;
    }
    let items: Vec<(String, f64, Color32)> = gaps
        .iter()
        .take(10)
        .map(|g| {
            let color = if g.insufficient { theme::WARN.into() } else { theme::accent(ui) };
            (format!("{} {}", g.code, fw.indicator_title(&g.code, t)), g.priority as f64, color)
        })
        .collect();
    charts::bars(ui, &items, 12.0, 420.0);
    ui.label(RichText::new(t.t("results.top_gaps_help")).small().weak());
}

fn delta_text(ui: &mut egui::Ui, delta: Option<f64>, digits: usize, t: Lang) {
    match delta {
        None => {
            ui.label("–");
        }
        Some(d) if d > 0.0 => {
            ui.label(RichText::new(format!("+{d:.digits$} {}", t.t("compare.up"))).color(theme::GOOD));
        }
        Some(d) if d < 0.0 => {
            ui.label(RichText::new(format!("{d:.digits$} {}", t.t("compare.down"))).color(theme::BAD));
        }
        Some(_) => {
            ui.label(t.t("compare.same"));
        }
    }
}

fn comparison_ui(ui: &mut egui::Ui, s: &Session, fw: &Framework, t: Lang) {
    let Some(prev) = &s.previous else { return };
    theme::section(ui, &t.f("compare.title", &[("cycle", &prev.cycle), ("revision", &prev.revision)]));
    let c = &prev.comparison;
    egui::Grid::new("compare_pillars").num_columns(4).spacing([18.0, 6.0]).show(ui, |ui| {
        ui.strong(t.t("compare.pillar"));
        ui.strong(t.f("compare.then", &[("cycle", &prev.cycle)]));
        ui.strong(t.t("compare.now"));
        ui.strong(t.t("compare.change"));
        ui.end_row();
        for (code, delta) in &c.pillars {
            ui.label(fw.pillar_name(code, t));
            let then = prev.scores.pillar_score(code);
            let now = s.scores.pillar_score(code);
            ui.label(score_text(then));
            ui.label(score_text(now));
            delta_text(ui, *delta, 0, t);
            ui.end_row();
        }
        ui.strong(t.t("results.overall"));
        ui.label(score_text(prev.scores.overall));
        ui.label(score_text(s.scores.overall));
        delta_text(ui, c.overall, 0, t);
        ui.end_row();
    });
    let list = |codes: &[String]| codes.join(", ");
    if !c.closed.is_empty() {
        ui.label(RichText::new(t.f("compare.closed", &[("list", &list(&c.closed))])).color(theme::GOOD));
    }
    if !c.opened.is_empty() {
        ui.label(RichText::new(t.f("compare.opened", &[("list", &list(&c.opened))])).color(theme::BAD));
    }
    egui::CollapsingHeader::new(t.t("compare.by_indicator")).show(ui, |ui| {
        egui::Grid::new("compare_ind").num_columns(3).striped(true).show(ui, |ui| {
            for (code, delta) in &c.indicators {
                ui.label(code);
                ui.label(fw.indicator_title(code, t));
                delta_text(ui, delta.map(|d| d as f64), 0, t);
                ui.end_row();
            }
        });
    });
}

fn filter_combo(
    ui: &mut egui::Ui,
    id: &str,
    label: &str,
    value: &mut Option<String>,
    options: &[(String, String)],
    all: &str,
) {
    let l = ui.label(label);
    let shown = value.as_ref().and_then(|v| options.iter().find(|(c, _)| c == v)).map(|(_, n)| n.clone());
    egui::ComboBox::from_id_salt(id)
        .selected_text(shown.unwrap_or_else(|| all.to_string()))
        .width(200.0)
        .show_ui(ui, |ui| {
            ui.selectable_value(value, None, all);
            for (code, name) in options {
                ui.selectable_value(value, Some(code.clone()), name);
            }
        })
        .response
        .labelled_by(l.id);
}

fn gap_table_ui(ui: &mut egui::Ui, v: &mut View, view: &mut ResultsPage, s: &Session, fw: &Framework) {
    let t = v.lang();
    theme::section(ui, t.t("results.gap_list"));
    ui.label(RichText::new(t.t("results.need_help")).small().weak());
    let pillars: Vec<(String, String)> =
        fw.meta.pillars.iter().map(|p| (p.code.clone(), p.name.get(t).to_string())).collect();
    let areas: Vec<(String, String)> =
        fw.meta.priority_areas.iter().map(|p| (p.code.clone(), format!("{} {}", p.code, p.name.get(t)))).collect();
    let interventions: Vec<(String, String)> =
        fw.meta.interventions.iter().map(|p| (p.code.clone(), p.name.get(t).to_string())).collect();
    let all = t.t("results.all");
    ui.horizontal_wrapped(|ui| {
        filter_combo(ui, "f_pillar", t.t("results.filter_pillar"), &mut view.pillar, &pillars, all);
        filter_combo(ui, "f_area", t.t("results.filter_area"), &mut view.area, &areas, all);
        filter_combo(ui, "f_int", t.t("results.filter_intervention"), &mut view.intervention, &interventions, all);
    });
    let read_only = s.read_only();
    let f = &*view;
    let mut gaps: Vec<(usize, &IndicatorScore)> = s.gaps.iter().enumerate().collect();
    gaps.retain(|(_, g)| {
        f.pillar.as_ref().is_none_or(|p| &g.pillar == p)
            && f.area.as_ref().is_none_or(|a| g.priority_areas.contains(a))
            && f.intervention.as_ref().is_none_or(|i| &g.intervention == i)
    });
    match f.sort {
        GapSort::Priority => {}
        GapSort::Gap => gaps.sort_by(|a, b| b.1.gap.cmp(&a.1.gap).then(a.0.cmp(&b.0))),
        GapSort::Code => gaps.sort_by_key(|g| g.1.position),
        GapSort::Pillar => gaps.sort_by(|a, b| a.1.pillar.cmp(&b.1.pillar).then(a.0.cmp(&b.0))),
    }
    let rows = gaps;
    if rows.is_empty() {
        ui.label(t.t("results.no_gaps"));
        return;
    }
    let mut sort = None;
    let mut need_change = None;
    // On a small screen the table scrolls sideways; the need (what the officer sets here) comes
    // right after the indicator, so it is in view without scrolling.
    let bench = crate::ui::widgets::feedback::has_benchmarks(v);
    let bench_cells: Vec<String> = if bench {
        rows.iter()
            .map(|(_, g)| crate::ui::widgets::feedback::indicator_benchmark(v, &g.code).unwrap_or_default())
            .collect()
    } else {
        Vec::new()
    };
    crate::ui::widgets::sideways(ui, "gaps_scroll", |ui| {
        let mut table = TableBuilder::new(ui)
            .id_salt("gaps")
            .striped(true)
            .vscroll(false)
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::auto().at_least(40.0))
            .column(Column::auto().at_least(56.0))
            .column(Column::remainder().at_least(200.0).clip(true))
            .column(Column::auto().at_least(120.0))
            .column(Column::auto().at_least(70.0))
            .column(Column::auto().at_least(44.0))
            .column(Column::auto().at_least(56.0))
            .column(Column::auto().at_least(64.0))
            .column(Column::initial(170.0).at_least(120.0).clip(true));
        if bench {
            // The Secretariat's benchmarks (mean level of the sub-region and of the region).
            table = table.column(Column::auto().at_least(90.0));
        }
        table
            .header(28.0, |mut h| {
                let mut head = |h: &mut egui_extras::TableRow, key: &str, by: Option<GapSort>| {
                    h.col(|ui| match by {
                        Some(by) => {
                            let mut label = RichText::new(t.t(key)).strong();
                            if view.sort == by {
                                label = label.underline();
                            }
                            let b = egui::Button::new(label).frame(false);
                            if ui.add(b).on_hover_text(t.t("gap.sort_help")).clicked() {
                                sort = Some(by);
                            }
                        }
                        None => {
                            ui.strong(t.t(key));
                        }
                    });
                };
                head(&mut h, "gap.rank", Some(GapSort::Priority));
                head(&mut h, "gap.code", Some(GapSort::Code));
                head(&mut h, "gap.indicator", None);
                head(&mut h, "gap.need", None);
                head(&mut h, "gap.level", None);
                head(&mut h, "gap.gap", Some(GapSort::Gap));
                head(&mut h, "gap.priority", Some(GapSort::Priority));
                head(&mut h, "gap.pillar", Some(GapSort::Pillar));
                head(&mut h, "gap.intervention", None);
                if bench {
                    h.col(|ui| {
                        ui.strong(t.t("benchmark.gap_column")).on_hover_text(t.t("benchmark.gap_column_help"));
                    });
                }
            })
            .body(|mut body| {
                for (k, (rank, g)) in rows.iter().enumerate() {
                    body.row(30.0, |mut row| {
                        row.col(|ui| {
                            ui.label((rank + 1).to_string());
                        });
                        row.col(|ui| {
                            ui.label(&g.code);
                        });
                        row.col(|ui| {
                            let title = fw.indicator_title(&g.code, t);
                            // Cut to the column; egui shows the whole title on hover.
                            ui.add(egui::Label::new(title).truncate());
                        });
                        row.col(|ui| {
                            ui.add_enabled_ui(!read_only, |ui| {
                                ui.horizontal(|ui| {
                                    for n in NeedCategory::ALL {
                                        let selected = g.need == Some(*n);
                                        let b = ui
                                            .selectable_label(selected, n.code())
                                            .on_hover_text(t.t(&format!("need.{}", n.code())));
                                        if b.clicked() {
                                            need_change =
                                                Some((g.code.clone(), if selected { None } else { Some(*n) }));
                                        }
                                    }
                                });
                            });
                        });
                        row.col(|ui| {
                            let text = format!("{} / {}", g.value.unwrap_or(0), g.target);
                            if g.insufficient {
                                ui.label(RichText::new(format!("{text} (!)")).color(theme::WARN))
                                    .on_hover_text(t.t("answer.insufficient_help"));
                            } else {
                                ui.label(text);
                            }
                        });
                        row.col(|ui| {
                            ui.label(g.gap.to_string());
                        });
                        row.col(|ui| {
                            ui.label(g.priority.to_string());
                        });
                        row.col(|ui| {
                            ui.label(&g.pillar);
                        });
                        row.col(|ui| match crate::ui::widgets::feedback::planned_cell(v, &g.code) {
                            // What the Secretariat planned for this gap, in place of the type.
                            Some((title, all)) => {
                                let text = RichText::new(format!("• {title}")).color(theme::GOOD);
                                ui.add(egui::Label::new(text).truncate()).on_hover_text(all);
                            }
                            None => {
                                let name = fw.intervention_name(&g.intervention, t);
                                ui.add(egui::Label::new(name).truncate());
                            }
                        });
                        if let Some(cell) = bench_cells.get(k) {
                            row.col(|ui| {
                                ui.label(cell);
                            });
                        }
                    });
                }
            });
    });
    if let Some(by) = sort {
        view.sort = by;
    }
    if let Some((indicator, need)) = need_change {
        v.send(SessionCmd::Change { id: s.id(), indicator, change: ResponseChange::Need(need) });
    }
}

fn requests_ui(ui: &mut egui::Ui, s: &Session, fw: &Framework, t: Lang) {
    theme::section(ui, t.t("results.requests"));
    ui.label(RichText::new(t.t("results.requests_help")).small().weak());
    let requests: Vec<&IndicatorScore> = s.gaps.iter().filter(|g| g.requests_assistance()).collect();
    if requests.is_empty() {
        ui.label(t.t("results.no_requests"));
        return;
    }
    for g in requests {
        ui.label(format!(
            "{} {} · {} · {}",
            g.code,
            fw.indicator_title(&g.code, t),
            fw.intervention_name(&g.intervention, t),
            t.f("results.gap_short", &[("gap", &g.gap), ("priority", &g.priority)])
        ));
    }
}

fn summaries_ui(ui: &mut egui::Ui, s: &Session, fw: &Framework, t: Lang) {
    theme::section(ui, t.t("results.summaries"));
    // Side by side when both fit, one under the other otherwise (French names are long).
    let cols_n = if ui.available_width() >= 980.0 { 2 } else { 1 };
    let stacked = |ui: &mut egui::Ui, add: &mut dyn FnMut(&mut egui::Ui, usize)| {
        if cols_n == 2 {
            ui.columns(2, |cols| {
                add(&mut cols[0], 0);
                add(&mut cols[1], 1);
            });
        } else {
            add(ui, 0);
            ui.add_space(8.0);
            add(ui, 1);
        }
    };
    stacked(ui, &mut |ui, k| if k == 0 { by_intervention_ui(ui, s, fw, t) } else { by_area_ui(ui, s, fw, t) });
}

fn by_intervention_ui(ui: &mut egui::Ui, s: &Session, fw: &Framework, t: Lang) {
    {
        let by_int = scoring::by_intervention(fw, &s.scores);
        egui::Grid::new("by_int").striped(true).num_columns(3).show(ui, |ui| {
            ui.strong(t.t("gap.intervention"));
            ui.strong(t.t("results.gaps_count"));
            ui.strong(t.t("gap.priority"));
            ui.end_row();
            for g in by_int {
                ui.label(fw.intervention_name(&g.key, t));
                ui.label(g.gaps.to_string());
                ui.label(g.priority.to_string());
                ui.end_row();
            }
        });
    }
}

fn by_area_ui(ui: &mut egui::Ui, s: &Session, fw: &Framework, t: Lang) {
    {
        let by_area = scoring::by_priority_area(fw, &s.scores);
        egui::Grid::new("by_area").striped(true).num_columns(3).show(ui, |ui| {
            ui.strong(t.t("results.filter_area"));
            ui.strong(t.t("results.gaps_count"));
            ui.strong(t.t("gap.priority"));
            ui.end_row();
            for g in by_area {
                let name = fw.priority_area(&g.key).map(|p| p.name.get(t)).unwrap_or("");
                ui.label(format!("{} {}", g.key, name));
                ui.label(g.gaps.to_string());
                ui.label(g.priority.to_string());
                ui.end_row();
            }
        });
    }
}

fn export_ui(ui: &mut egui::Ui, v: &mut View) {
    let t = v.lang();
    if ui.button(t.t("results.save_csv")).clicked() {
        v.send(ExportCmd::Results { kind: ExportKind::Csv, dest: v.ask_dest() });
    }
    if ui.button(t.t("results.save_pdf")).clicked() {
        v.send(ExportCmd::Results { kind: ExportKind::Pdf, dest: v.ask_dest() });
    }
}

/// When no file dialog is available (some Linux desktops), files can be saved to a typed folder.
fn export_folder_ui(ui: &mut egui::Ui, v: &mut View) {
    let t = v.lang();
    let buttons = [t.t("export.save_pdf_here"), t.t("export.save_csv_here")];
    match crate::ui::widgets::fallback::save_folder(ui, v, "export_folder", &buttons) {
        Some(0) => v.send(ExportCmd::Results { kind: ExportKind::Pdf, dest: v.folder_dest() }),
        Some(_) => v.send(ExportCmd::Results { kind: ExportKind::Csv, dest: v.folder_dest() }),
        None => {}
    }
}
