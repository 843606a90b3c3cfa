//! The regional dashboard of a cycle: heat map (drill down to indicators), averages, largest
//! regional gaps, demand for help, and trends across cycles.

use crate::app::SecCmd;
use crate::assessment::Answer;
use crate::framework::{self, Framework};
use crate::lang::Lang;
use crate::report::regional_files::Format;
use crate::secretariat::consolidate::MemberReturn;
use crate::secretariat::consolidate::{Consolidation, PillarAverage};
use crate::ui::View;
use crate::ui::widgets::charts::HeatCell;
use crate::ui::widgets::{charts, cycle_picker, no_data_ui, sort_key, theme};
use egui::{Color32, RichText, Sense, pos2, vec2};

fn avg_text(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.0}")).unwrap_or_else(|| "–".into())
}

/// The pillar drilled into, if any.
#[derive(Debug, Default)]
pub struct DashboardPage {
    pub drill: Option<String>,
}

impl DashboardPage {
    pub fn ui(&mut self, ui: &mut egui::Ui, v: &mut View) {
        dashboard_ui(ui, v, &mut self.drill);
    }
}

fn dashboard_ui(ui: &mut egui::Ui, v: &mut View, drill_state: &mut Option<String>) {
    let t = v.lang();
    let snap = v.snap;
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.heading(t.t("dash.title"));
            ui.add_space(20.0);
            cycle_picker(ui, snap, &mut v.out);
        });
        // The report buttons on their own line, never over the cycle picker.
        ui.horizontal_wrapped(|ui| report_buttons_ui(ui, v));
        if no_data_ui(ui, snap) {
            return;
        }
        report_folder_ui(ui, v);
        let Some(c) = snap.sec.consolidation.clone() else { return };
        let fw = framework::current();
        summary_ui(ui, &c, fw, t);
        ui.add_space(8.0);
        let mut open = None;
        let mut drill = drill_state.clone();
        theme::card(ui, |ui| match drill.clone() {
            None => {
                theme::section(ui, t.t("dash.heatmap"));
                ui.label(RichText::new(t.t("dash.heatmap_help")).small().weak());
                let cols: Vec<(String, String)> =
                    fw.meta.pillars.iter().map(|p| (p.code.clone(), p.name.get(t).to_string())).collect();
                let rows: Vec<(String, Vec<HeatCell>)> =
                    c.members.iter().map(|m| (m.member.clone(), pillar_cells(m, fw))).collect();
                let (member, col) = heatmap(ui, &rows, &cols, t, 150.0);
                charts::heat_legend(ui, t);
                open = member;
                if let Some(col) = col {
                    drill = Some(col);
                }
            }
            Some(pillar) => {
                ui.horizontal(|ui| {
                    if ui.button(t.t("dash.back")).clicked() {
                        drill = None;
                    }
                    let name = fw.pillar_name(&pillar, t);
                    theme::section(ui, &t.f("dash.drill", &[("pillar", &name)]));
                });
                let inds: Vec<_> = fw.indicators_of(&pillar).collect();
                let cols: Vec<(String, String)> =
                    inds.iter().map(|i| (i.code.clone(), format!("{} {}", i.code, i.title.get(t)))).collect();
                let rows: Vec<(String, Vec<HeatCell>)> = c
                    .members
                    .iter()
                    .map(|m| {
                        let vals = inds.iter().map(|i| indicator_cell(m, &i.code)).collect();
                        (m.member.clone(), vals)
                    })
                    .collect();
                let (member, _) = heatmap(ui, &rows, &cols, t, 62.0);
                charts::heat_legend(ui, t);
                open = member;
                ui.label(RichText::new(t.t("dash.drill_help")).small().weak());
            }
        });
        *drill_state = drill;
        if let Some(m) = open {
            v.send(SecCmd::OpenMember(m));
            return;
        }
        ui.add_space(8.0);
        theme::card(ui, |ui| averages_ui(ui, &c, fw, t));
        ui.add_space(8.0);
        theme::card(ui, |ui| demand_ui(ui, &c, fw, t));
        ui.add_space(8.0);
        theme::card(ui, |ui| gaps_ui(ui, &c, fw, t));
        ui.add_space(8.0);
        theme::card(ui, |ui| trend_ui(ui, &c, fw, t));
    });
}

fn summary_ui(ui: &mut egui::Ui, c: &Consolidation, fw: &Framework, t: Lang) {
    // Returns on different content revisions: each scored against its own (said once here).
    if let Some(revs) = c.content_revisions_text(t) {
        ui.label(RichText::new(revs).color(theme::MUTED)).on_hover_text(t.t("dash.content_revisions_help"));
    }
    ui.columns(3, |cols| {
        theme::card(&mut cols[0], |ui| {
            ui.label(RichText::new(t.t("dash.returns")).strong());
            ui.label(RichText::new(format!("{} / {}", c.received(), c.members.len())).size(24.0));
        });
        theme::card(&mut cols[1], |ui| {
            ui.label(RichText::new(t.t("dash.regional_overall")).strong());
            ui.label(
                RichText::new(t.f("results.score_of_100", &[("score", &avg_text(c.overall))]))
                    .size(24.0)
                    .color(c.overall.map(charts::score_color).unwrap_or(theme::MUTED)),
            );
        });
        theme::card(&mut cols[2], |ui| {
            ui.label(RichText::new(t.t("dash.weakest")).strong());
            let weakest = c
                .regional
                .iter()
                .filter(|p| p.mean.is_some())
                .min_by(|a, b| a.mean.unwrap_or(0.0).total_cmp(&b.mean.unwrap_or(0.0)));
            let text = weakest
                .map(|p| format!("{} ({})", fw.pillar_name(&p.pillar, t), avg_text(p.mean)))
                .unwrap_or_else(|| "–".into());
            ui.label(RichText::new(text).size(18.0));
        });
    });
}

/// A member's pillar scores as heat-map cells: N/A when a returned pillar has no score.
fn pillar_cells(m: &MemberReturn, fw: &Framework) -> Vec<HeatCell> {
    let Some(s) = &m.scores else { return vec![HeatCell::Missing; fw.meta.pillars.len()] };
    fw.meta
        .pillars
        .iter()
        .map(|p| match s.pillar_score(&p.code) {
            Some(v) => HeatCell::Score(v),
            None if s.pillars.iter().any(|x| x.code == p.code && x.not_applicable > 0) => HeatCell::NotApplicable,
            None => HeatCell::Missing,
        })
        .collect()
}

/// A member's answer to one indicator as a heat-map cell (level 0-4 shown as 0-100).
fn indicator_cell(m: &MemberReturn, code: &str) -> HeatCell {
    let Some(x) = m.scores.as_ref().and_then(|s| s.indicators.iter().find(|x| x.code == code)) else {
        return HeatCell::Missing;
    };
    match x.answer {
        Answer::NotApplicable => HeatCell::NotApplicable,
        Answer::Insufficient => HeatCell::Insufficient,
        _ => x.value.map_or(HeatCell::Missing, |v| HeatCell::Score(crate::scoring::to_score(f64::from(v)))),
    }
}

/// A clickable heat map; returns (member clicked, column clicked).
fn heatmap(
    ui: &mut egui::Ui,
    rows: &[(String, Vec<HeatCell>)],
    cols: &[(String, String)],
    t: Lang,
    col_width: f32,
) -> (Option<String>, Option<String>) {
    let label_w = 190.0;
    let cell_h = 22.0;
    // Wide columns share the available width; narrow ones (indicators) scroll.
    let col_width = if col_width >= 100.0 {
        ((ui.available_width() - label_w - 20.0) / cols.len().max(1) as f32).clamp(100.0, 240.0)
    } else {
        col_width
    };
    let header_h = 38.0;
    // Alphabetical in the user's language.
    let mut rows: Vec<&(String, Vec<HeatCell>)> = rows.iter().collect();
    rows.sort_by_key(|(m, _)| framework::member(m).map(|x| sort_key(x.name.get(t))).unwrap_or_default());
    let mut clicked_member = None;
    let mut clicked_col = None;
    egui::ScrollArea::horizontal().id_salt(("heat", cols.len())).show(ui, |ui| {
        let width = label_w + col_width * cols.len() as f32;
        let (rect, _) = ui.allocate_exact_size(vec2(width, header_h + cell_h * rows.len() as f32), Sense::hover());
        let painter = ui.painter_at(rect);
        let text_color = ui.visuals().text_color();
        for (j, (code, name)) in cols.iter().enumerate() {
            let r = egui::Rect::from_min_size(
                pos2(rect.left() + label_w + j as f32 * col_width, rect.top()),
                vec2(col_width, header_h),
            );
            let resp = ui.interact(r, ui.scope_id().with(("col", code)), Sense::click());
            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
            let shown = if col_width < 100.0 { code.clone() } else { name.clone() };
            let galley = painter.layout(shown, egui::FontId::proportional(12.5), theme::accent(ui), col_width - 8.0);
            let pos = r.center() - galley.size() / 2.0;
            painter.galley(pos, galley, theme::accent(ui));
            if resp.on_hover_text(name).clicked() {
                clicked_col = Some(code.clone());
            }
        }
        for (i, (member, vals)) in rows.iter().map(|r| (&r.0, &r.1)).enumerate() {
            let y = rect.top() + header_h + i as f32 * cell_h;
            let name = framework::member(member).map(|m| m.name.get(t)).unwrap_or(member);
            let lr = egui::Rect::from_min_size(pos2(rect.left(), y), vec2(label_w, cell_h));
            let has_data = vals.iter().any(|v| *v != HeatCell::Missing);
            let resp = ui.interact(
                lr,
                ui.scope_id().with(("member", member)),
                if has_data { Sense::click() } else { Sense::hover() },
            );
            // Painted text has no accessible name: give the cell its member's name.
            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, has_data, name));
            let color = if has_data && resp.hovered() { theme::accent(ui) } else { text_color };
            painter.text(
                pos2(lr.left() + 2.0, lr.center().y),
                egui::Align2::LEFT_CENTER,
                name,
                egui::FontId::proportional(13.0),
                color,
            );
            if has_data && resp.on_hover_text(t.t("dash.open_member")).clicked() {
                clicked_member = Some(member.clone());
            }
            for (j, v) in vals.iter().enumerate() {
                let r = egui::Rect::from_min_size(
                    pos2(rect.left() + label_w + j as f32 * col_width, y),
                    vec2(col_width, cell_h),
                )
                .shrink(1.0);
                let words = charts::heat_cell(ui, &painter, r, *v, t);
                let id = ui.scope_id().with(("cell", member, j));
                let resp = ui.interact(r, id, Sense::hover());
                resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &words));
                resp.on_hover_text(format!("{name} · {}: {words}", cols.get(j).map_or("", |c| c.1.as_str())));
            }
        }
    });
    (clicked_member, clicked_col)
}

fn averages_table(ui: &mut egui::Ui, id: &str, fw: &Framework, t: Lang, rows: &[(String, &[PillarAverage])]) {
    crate::ui::widgets::sideways(ui, (id, "scroll"), |ui| averages_grid(ui, id, fw, t, rows));
}

fn averages_grid(ui: &mut egui::Ui, id: &str, fw: &Framework, t: Lang, rows: &[(String, &[PillarAverage])]) {
    egui::Grid::new(id).striped(true).num_columns(fw.meta.pillars.len() + 1).show(ui, |ui| {
        ui.label("");
        for p in &fw.meta.pillars {
            ui.strong(p.name.get(t));
        }
        ui.end_row();
        for (label, avgs) in rows {
            ui.label(label);
            for a in *avgs {
                ui.label(avg_text(a.mean)).on_hover_text(t.f("dash.n_members", &[("n", &a.members)]));
            }
            ui.end_row();
        }
    });
}

fn averages_ui(ui: &mut egui::Ui, c: &Consolidation, fw: &Framework, t: Lang) {
    theme::section(ui, t.t("dash.averages"));
    let mut rows: Vec<(String, &[PillarAverage])> = vec![(t.t("dash.region").to_string(), &c.regional[..])];
    for (r, avgs) in &c.subregional {
        rows.push((t.t(&format!("subregion.{r}")).to_string(), &avgs[..]));
    }
    averages_table(ui, "averages", fw, t, &rows);
}

fn demand_ui(ui: &mut egui::Ui, c: &Consolidation, fw: &Framework, t: Lang) {
    theme::section(ui, t.t("dash.demand"));
    ui.label(RichText::new(t.t("dash.demand_help")).small().weak());
    crate::ui::widgets::sideways(ui, "demand_scroll", |ui| demand_grid(ui, c, fw, t));
}

fn demand_grid(ui: &mut egui::Ui, c: &Consolidation, fw: &Framework, t: Lang) {
    egui::Grid::new("demand").striped(true).num_columns(4).show(ui, |ui| {
        ui.strong(t.t("gap.intervention"));
        ui.strong(t.t("dash.members_needing"));
        ui.strong(t.t("results.gaps_count"));
        ui.strong(t.t("dash.requests_c"));
        ui.end_row();
        for d in &c.demand {
            ui.label(fw.intervention_name(&d.intervention, t));
            ui.label(d.members.to_string());
            ui.label(d.gaps.to_string());
            ui.label(t.f("dash.requests_from", &[("n", &d.requests), ("members", &d.members_requesting)]));
            ui.end_row();
        }
    });
}

fn gaps_ui(ui: &mut egui::Ui, c: &Consolidation, fw: &Framework, t: Lang) {
    theme::section(ui, t.t("dash.gaps"));
    let items: Vec<(String, f64, Color32)> = c
        .gaps
        .iter()
        .take(10)
        .map(|g| {
            let title = fw.indicator_title(&g.indicator, t);
            (
                format!("{} {} ({}/{})", g.indicator, title, g.members_with_gap, g.members_scored),
                g.mean_priority,
                theme::accent(ui),
            )
        })
        .collect();
    charts::bars(ui, &items, 12.0, 520.0);
    ui.label(RichText::new(t.t("dash.gaps_help")).small().weak());
}

fn trend_ui(ui: &mut egui::Ui, c: &Consolidation, fw: &Framework, t: Lang) {
    theme::section(ui, t.t("dash.trend"));
    if c.trend.cycles.len() < 2 {
        ui.label(t.t("dash.trend_one"));
    }
    let palette = [theme::accent(ui), charts::TARGET, theme::GOOD.into(), Color32::from_rgb(0x8E, 0x44, 0xAD)];
    // The legend above the plot, so it never covers the latest cycle's points.
    ui.horizontal_wrapped(|ui| {
        for (k, (code, _)) in c.trend.pillars.iter().enumerate() {
            charts::legend(ui, palette[k % 4], fw.pillar_name(code, t));
        }
    });
    let (first, last) = (c.trend.cycles.first().copied(), c.trend.cycles.last().copied());
    let mut plot = egui_plot::Plot::new("trend")
        .height(220.0)
        .include_y(0.0)
        .include_y(100.0)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false);
    if let (Some(a), Some(b)) = (first, last) {
        // Half a cycle of air on either side: the first and last points are whole.
        plot = plot.include_x(a as f64 - 0.5).include_x(b as f64 + 0.5);
    }
    plot.show(ui, |plot| {
        for (k, (code, series)) in c.trend.pillars.iter().enumerate() {
            let pts: Vec<[f64; 2]> =
                c.trend.cycles.iter().zip(series).filter_map(|(cy, v)| v.map(|v| [*cy as f64, v])).collect();
            let name = fw.pillar_name(code, t).to_string();
            plot.line(
                egui_plot::Line::new(name.clone(), egui_plot::PlotPoints::from(pts.clone()))
                    .color(palette[k % 4])
                    .width(2.5),
            );
            plot.points(
                egui_plot::Points::new(name, egui_plot::PlotPoints::from(pts)).color(palette[k % 4]).radius(4.0),
            );
        }
    });
}

/// Report buttons: workbook (XLSX), CSV tables, regional report (PDF), written off the UI thread.
fn report_buttons_ui(ui: &mut egui::Ui, v: &mut View) {
    let t = v.lang();
    if v.snap.sec.consolidation.is_none() {
        return;
    }
    if v.snap.writing {
        ui.spinner();
        ui.label(t.t("reports.writing"));
        return;
    }
    for (key, format) in [("reports.pdf", Format::Pdf), ("reports.csv", Format::Csv), ("reports.xlsx", Format::Xlsx)] {
        if ui.button(t.t(key)).clicked() {
            v.send(SecCmd::WriteReport { format, dest: v.ask_dest() });
        }
    }
}

/// For machines without a file dialog: save into a typed folder.
fn report_folder_ui(ui: &mut egui::Ui, v: &mut View) {
    let t = v.lang();
    let formats = [Format::Pdf, Format::Csv, Format::Xlsx];
    let buttons = [t.t("reports.pdf_here"), t.t("reports.csv_here"), t.t("reports.xlsx_here")];
    if let Some(i) = crate::ui::widgets::fallback::save_folder(ui, v, "report_folder", &buttons) {
        v.send(SecCmd::WriteReport { format: formats[i], dest: v.folder_dest() });
    }
}
