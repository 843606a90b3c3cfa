//! The Secretariat's regional report on a cycle, for the Steering Committee: who has returned,
//! regional and sub-regional scores, the largest regional gaps, the demand for help, the M&E
//! indicators of the Strategic Plan, then one page per member that returned.

use crate::framework::{self, Framework};
use crate::lang::Lang;
use crate::report::doc::{Block, Doc};
use crate::report::results::quadrant_text;
use crate::report::tables::{member_name, status_text, subregion_name, when, yes_no};
use crate::scoring::{self, Quadrant, mean};
use crate::secretariat::consolidate::{Consolidation, MemberReturn, PillarAverage, ReturnStatus};

/// How many regional gaps the chart and table show.
const TOP_REGIONAL_GAPS: usize = 10;
/// How many gaps each member page lists.
const TOP_MEMBER_GAPS: usize = 5;

/// A score with one decimal, or a dash.
fn f1(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite()).map(|v| format!("{v:.1}")).unwrap_or_else(|| "–".into())
}

fn pillar_mean(avgs: &[PillarAverage], code: &str) -> Option<f64> {
    avgs.iter().find(|a| a.pillar == code).and_then(|a| a.mean)
}

fn in_subregion(m: &MemberReturn, region: &str) -> bool {
    framework::member(&m.member).is_some_and(|x| x.subregion == region)
}

/// The regional report of a consolidated cycle.
pub fn regional_doc(c: &Consolidation, t: Lang) -> Doc {
    // Members in the order the dashboard and the register show them: by name, in the reader's
    // language ("États fédérés" with the E's).
    let mut sorted = c.clone();
    sorted.members.sort_by_key(|m| crate::lang::sort_key(&member_name(&m.member, t)));
    let c = &sorted;
    let fw = framework::current();
    let total = c.members.len();
    let received = c.received();
    let mut blocks = Vec::new();

    summary(c, fw, t, &mut blocks);
    scores(c, fw, t, &mut blocks);
    gaps(c, fw, t, &mut blocks);
    demand(c, fw, t, &mut blocks);
    me(c, t, &mut blocks);
    effects(c, t, &mut blocks);
    missing(c, t, &mut blocks);
    member_pages(c, fw, t, &mut blocks);

    Doc {
        title: t.t("report.regional.title").into(),
        subtitle: t.f("report.regional.subtitle", &[("cycle", &c.cycle), ("received", &received), ("total", &total)]),
        footer: t.f(
            "pdf.footer",
            &[("version", &env!("CDF_BUILD_VERSION")), ("date", &chrono::Local::now().format("%Y-%m-%d").to_string())],
        ),
        page_label: t.t("pdf.page").into(),
        blocks,
    }
}

fn summary(c: &Consolidation, fw: &Framework, t: Lang, blocks: &mut Vec<Block>) {
    let total = c.members.len();
    let received = c.received();
    let scored: Vec<&MemberReturn> = c.members.iter().filter(|m| m.scores.is_some()).collect();
    blocks.push(Block::Heading(t.t("report.regional.summary").into()));
    blocks.push(Block::Paragraph(
        t.f("register.summary", &[("received", &received), ("total", &total), ("cycle", &c.cycle)]),
    ));
    let missing: Vec<String> = c.not_received().map(|m| member_name(&m.member, t)).collect();
    if !missing.is_empty() {
        blocks.push(Block::Paragraph(format!(
            "{}: {}.",
            t.f("register.chase", &[("n", &missing.len())]),
            missing.join(", ")
        )));
    }
    if let Some(revs) = c.content_revisions_text(t) {
        blocks.push(Block::Paragraph(revs));
    }
    if scored.is_empty() {
        blocks.push(Block::Paragraph(t.t("report.regional.summary_no_scores").into()));
        return;
    }
    let ranked: Vec<(&str, f64)> = {
        let mut v: Vec<(&str, f64)> =
            c.regional.iter().filter_map(|a| a.mean.map(|m| (a.pillar.as_str(), m))).collect();
        v.sort_by(|a, b| a.1.total_cmp(&b.1));
        v
    };
    if let (Some(weakest), Some(strongest)) = (ranked.first(), ranked.last()) {
        blocks.push(Block::Paragraph(t.f(
            "report.regional.summary_overall",
            &[
                ("score", &f1(c.overall)),
                ("weakest", &fw.pillar_name(weakest.0, t)),
                ("weakest_score", &f1(Some(weakest.1))),
                ("strongest", &fw.pillar_name(strongest.0, t)),
                ("strongest_score", &f1(Some(strongest.1))),
            ],
        )));
    }
    if let Some(g) = c.gaps.first() {
        blocks.push(Block::Paragraph(t.f(
            "report.regional.summary_gap",
            &[
                ("indicator", &format!("{} {}", g.indicator, fw.indicator_title(&g.indicator, t))),
                ("members", &g.members_with_gap),
                ("scored", &g.members_scored),
                ("gap", &format!("{:.1}", g.mean_gap)),
            ],
        )));
    }
    let requesting = {
        let mut m: Vec<&str> = c.requests.iter().map(|r| r.member.as_str()).collect();
        m.dedup();
        m.len()
    };
    let top_demand = c.demand.iter().filter(|d| d.gaps > 0).max_by_key(|d| (d.requests, d.gaps));
    match top_demand {
        Some(d) if !c.requests.is_empty() => blocks.push(Block::Paragraph(t.f(
            "report.regional.summary_requests",
            &[
                ("requests", &c.requests.len()),
                ("members", &requesting),
                ("intervention", &fw.intervention_name(&d.intervention, t)),
                ("n", &d.requests),
            ],
        ))),
        _ => blocks.push(Block::Paragraph(t.t("report.regional.summary_no_requests").into())),
    }
    let conflicts: Vec<String> =
        c.members.iter().filter(|m| m.status == ReturnStatus::Conflict).map(|m| member_name(&m.member, t)).collect();
    if !conflicts.is_empty() {
        blocks.push(Block::Note(
            t.f("report.regional.summary_conflicts", &[("n", &conflicts.len()), ("list", &conflicts.join(", "))]),
        ));
    }

    // Readiness: how many members in each quadrant, and who.
    let quadrants = [Quadrant::AbleAndWilling, Quadrant::WillingNotAble, Quadrant::AbleNotWilling, Quadrant::NotYet];
    let mut rows: Vec<Vec<String>> = quadrants
        .iter()
        .map(|q| {
            let who: Vec<String> = scored
                .iter()
                .filter(|m| m.scores.as_ref().and_then(|s| s.readiness.quadrant) == Some(*q))
                .map(|m| member_name(&m.member, t))
                .collect();
            vec![quadrant_text(Some(*q), t).0, who.len().to_string(), who.join(", ")]
        })
        .collect();
    let undecided: Vec<String> = scored
        .iter()
        .filter(|m| m.scores.as_ref().is_some_and(|s| s.readiness.quadrant.is_none()))
        .map(|m| member_name(&m.member, t))
        .collect();
    if !undecided.is_empty() {
        rows.push(vec![quadrant_text(None, t).0, undecided.len().to_string(), undecided.join(", ")]);
    }
    blocks.push(Block::Subheading(t.t("report.regional.readiness").into()));
    blocks.push(Block::Table {
        headers: vec![
            t.t("report.col.verdict").into(),
            t.t("report.col.count").into(),
            t.t("report.col.member_list").into(),
        ],
        widths: vec![2.6, 1.2, 7.0],
        rows,
    });
    let rule = fw.meta.readiness;
    let capability: Vec<&str> =
        fw.meta.pillars.iter().filter(|p| p.kind == framework::PillarKind::Capability).map(|p| p.name.get(t)).collect();
    blocks.push(Block::Note(t.f(
        "report.regional.readiness_note",
        &[
            ("pillars", &capability.join(", ")),
            ("ability", &rule.ability_threshold),
            ("willingness", &rule.willingness_threshold),
        ],
    )));
}

fn scores(c: &Consolidation, fw: &Framework, t: Lang, blocks: &mut Vec<Block>) {
    // The heat map takes most of a page: start it on its own.
    blocks.push(Block::PageBreak);
    blocks.push(Block::Heading(t.t("report.regional.scores").into()));
    let mut cols: Vec<String> = fw.meta.pillars.iter().map(|p| p.name.get(t).to_string()).collect();
    cols.push(t.t("results.overall").into());
    blocks.push(Block::HeatMap {
        title: t.t("dash.heatmap").into(),
        rows: c.members.iter().map(|m| member_name(&m.member, t)).collect(),
        cols,
        values: c
            .members
            .iter()
            .map(|m| {
                let mut row = m.pillar_scores(fw);
                row.push(m.scores.as_ref().and_then(|s| s.overall));
                row
            })
            .collect(),
        max: 100.0,
    });
    blocks.push(Block::Note(t.t("pdf.method_note").into()));

    // Regional and sub-regional averages: pillars down, regions across.
    blocks.push(Block::Subheading(t.t("dash.averages").into()));
    let returned = |region: Option<&str>| {
        c.members.iter().filter(|m| m.scores.is_some() && region.is_none_or(|r| in_subregion(m, r))).count()
    };
    let mut headers = vec![
        t.t("compare.pillar").to_string(),
        t.f("report.regional.col_n", &[("name", &t.t("dash.region")), ("n", &returned(None))]),
    ];
    for (r, _) in &c.subregional {
        headers.push(t.f(
            "report.regional.col_n",
            &[("name", &t.t(&format!("subregion.{r}"))), ("n", &returned(Some(r.as_str())))],
        ));
    }
    let mut rows: Vec<Vec<String>> = fw
        .meta
        .pillars
        .iter()
        .map(|p| {
            let mut row = vec![p.name.get(t).to_string(), f1(pillar_mean(&c.regional, &p.code))];
            row.extend(c.subregional.iter().map(|(_, a)| f1(pillar_mean(a, &p.code))));
            row
        })
        .collect();
    let mut overall = vec![t.t("results.overall").to_string(), f1(c.overall)];
    for (r, _) in &c.subregional {
        overall.push(f1(mean(
            c.members.iter().filter(|m| in_subregion(m, r)).filter_map(|m| m.scores.as_ref().and_then(|s| s.overall)),
        )));
    }
    rows.push(overall);
    let mut widths = vec![3.2, 1.6];
    widths.extend(std::iter::repeat_n(1.6, c.subregional.len()));
    blocks.push(Block::Table { headers, widths, rows });
    blocks.push(Block::Note(t.t("report.regional.averages_note").into()));

    // Trend, when more than one cycle is held.
    if c.trend.cycles.len() > 1 {
        blocks.push(Block::Subheading(t.t("dash.trend").into()));
        let mut headers = vec![t.t("compare.pillar").to_string()];
        headers.extend(c.trend.cycles.iter().map(|y| y.to_string()));
        headers.push(t.t("compare.change").into());
        let rows = c
            .trend
            .pillars
            .iter()
            .map(|(code, series)| {
                let mut row = vec![fw.pillar_name(code, t).to_string()];
                row.extend(series.iter().map(|v| f1(*v)));
                let first = series.iter().flatten().next();
                let last = series.iter().rev().flatten().next();
                let change = match (first, last) {
                    (Some(a), Some(b)) if series.iter().flatten().count() > 1 => format!("{:+.1}", b - a),
                    _ => "–".into(),
                };
                row.push(change);
                row
            })
            .collect();
        let mut widths = vec![3.2];
        widths.extend(std::iter::repeat_n(1.4, c.trend.cycles.len() + 1));
        blocks.push(Block::Table { headers, widths, rows });
    }
}

fn gaps(c: &Consolidation, fw: &Framework, t: Lang, blocks: &mut Vec<Block>) {
    blocks.push(Block::Heading(t.t("report.regional.gaps").into()));
    if c.gaps.is_empty() {
        blocks.push(Block::Paragraph(t.t("report.regional.no_gaps").into()));
        return;
    }
    let top: Vec<_> = c.gaps.iter().take(TOP_REGIONAL_GAPS).collect();
    blocks.push(Block::Bars {
        title: t.t("report.regional.gaps_chart").into(),
        items: top
            .iter()
            .map(|g| {
                let v = (g.mean_priority * 10.0).round() / 10.0;
                (format!("{} {}", g.indicator, fw.indicator_title(&g.indicator, t)), v)
            })
            .collect(),
        // The scale ends at the largest value shown (a mean priority rarely nears the maximum of 12).
        max: top.iter().map(|g| g.mean_priority).fold(1.0, f64::max).ceil(),
    });
    blocks.push(Block::Table {
        headers: vec![
            "#".into(),
            t.t("gap.code").into(),
            t.t("gap.indicator").into(),
            t.t("report.col.mean_level").into(),
            t.t("report.col.mean_gap").into(),
            t.t("report.col.mean_priority").into(),
            t.t("report.col.members_with_gap").into(),
            t.t("gap.intervention").into(),
        ],
        widths: vec![0.5, 1.1, 3.6, 1.2, 1.1, 1.5, 1.5, 2.2],
        rows: top
            .iter()
            .enumerate()
            .map(|(i, g)| {
                let intervention = fw.indicator(&g.indicator).map(|x| x.intervention.as_str()).unwrap_or("");
                vec![
                    (i + 1).to_string(),
                    g.indicator.clone(),
                    fw.indicator_title(&g.indicator, t).to_string(),
                    format!("{:.1}", g.mean_level),
                    format!("{:.1}", g.mean_gap),
                    format!("{:.1}", g.mean_priority),
                    format!("{} / {}", g.members_with_gap, g.members_scored),
                    fw.intervention_name(intervention, t).to_string(),
                ]
            })
            .collect(),
    });
    blocks.push(Block::Note(t.t("dash.gaps_help").into()));
}

fn demand(c: &Consolidation, fw: &Framework, t: Lang, blocks: &mut Vec<Block>) {
    blocks.push(Block::Heading(t.t("dash.demand").into()));
    blocks.push(Block::Table {
        headers: vec![
            t.t("gap.intervention").into(),
            t.t("dash.members_needing").into(),
            t.t("report.col.gaps").into(),
            t.t("dash.requests_c").into(),
            t.t("report.col.members_requesting").into(),
        ],
        widths: vec![3.6, 1.6, 1.2, 1.6, 1.8],
        rows: c
            .demand
            .iter()
            .map(|d| {
                vec![
                    fw.intervention_name(&d.intervention, t).to_string(),
                    d.members.to_string(),
                    d.gaps.to_string(),
                    d.requests.to_string(),
                    d.members_requesting.to_string(),
                ]
            })
            .collect(),
    });
    blocks.push(Block::Note(t.t("dash.demand_help").into()));
}

fn me(c: &Consolidation, t: Lang, blocks: &mut Vec<Block>) {
    blocks.push(Block::Heading(t.t("me.title").into()));
    blocks.push(Block::Paragraph(t.t("me.intro").into()));
    blocks.push(Block::Table {
        headers: vec![
            t.t("me.col_indicator").into(),
            t.t("me.col_key_actions").into(),
            t.t("me.col_kind").into(),
            t.t("me.col_baseline").into(),
            t.t("me.col_latest").into(),
            t.t("me.col_target").into(),
            t.t("report.col.met").into(),
        ],
        widths: vec![3.6, 1.3, 1.5, 1.6, 1.6, 1.8, 1.0],
        rows: c
            .me
            .iter()
            .map(|m| {
                let met = yes_no(m.met, t);
                vec![
                    m.name_text(t),
                    m.key_actions.clone(),
                    m.kind_text(t).to_string(),
                    m.baseline_text(),
                    m.latest_text(),
                    m.target_text(t).unwrap_or_else(|| "–".into()),
                    if met.is_empty() { "–".into() } else { met.to_string() },
                ]
            })
            .collect(),
    });
    for note in crate::secretariat::consolidate::me_notes(&c.me, t) {
        blocks.push(Block::Note(note));
    }
    blocks.push(Block::Subheading(t.t("me.col_method").into()));
    for m in &c.me {
        blocks.push(Block::Note(format!("{} [{}]: {}", m.name_text(t), m.kind_text(t), m.method_text(t))));
    }
}

/// Did the delivered interventions help (issue 24, item 5): one line each, and the caveat.
fn effects(c: &Consolidation, t: Lang, blocks: &mut Vec<Block>) {
    if c.effects.is_empty() {
        return;
    }
    blocks.push(Block::Heading(t.t("report.regional.effects").into()));
    blocks.push(Block::Table {
        headers: vec![
            t.t("programme.col_title").into(),
            t.t("programme.col_indicators").into(),
            t.t("report.regional.effect_col").into(),
        ],
        widths: vec![0.3, 0.15, 0.55],
        rows: c
            .effects
            .iter()
            .map(|e| vec![crate::exchange::clean_text(&e.title), e.indicators.join(", "), e.effect.words(t)])
            .collect(),
    });
    blocks.push(Block::Note(t.t("programme.effect_caveat").into()));
}

fn missing(c: &Consolidation, t: Lang, blocks: &mut Vec<Block>) {
    blocks.push(Block::Heading(t.t("report.regional.not_returned").into()));
    let missing: Vec<&MemberReturn> = c.not_received().collect();
    if missing.is_empty() {
        blocks.push(Block::Paragraph(t.t("report.regional.all_returned").into()));
        return;
    }
    blocks.push(Block::Table {
        headers: vec![
            t.t("report.col.code").into(),
            t.t("col.member").into(),
            t.t("register.subregion").into(),
            t.t("col.status").into(),
        ],
        widths: vec![1.0, 4.0, 3.0, 2.5],
        rows: missing
            .iter()
            .map(|m| {
                vec![
                    m.member.clone(),
                    member_name(&m.member, t),
                    subregion_name(&m.member, t),
                    status_text(m.status, t).to_string(),
                ]
            })
            .collect(),
    });
}

fn member_pages(c: &Consolidation, fw: &Framework, t: Lang, blocks: &mut Vec<Block>) {
    let returned: Vec<&MemberReturn> = c.members.iter().filter(|m| m.assessment.is_some()).collect();
    if returned.is_empty() {
        return;
    }
    blocks.push(Block::PageBreak);
    blocks.push(Block::Heading(t.t("report.regional.members").into()));
    blocks.push(Block::Note(t.t("report.regional.members_note").into()));
    for (i, m) in returned.iter().enumerate() {
        let (Some(a), Some(s)) = (&m.assessment, &m.scores) else { continue };
        if i > 0 {
            blocks.push(Block::PageBreak);
        }
        let h = &a.header;
        blocks.push(Block::Subheading(format!("{} ({})", member_name(&m.member, t), m.member)));
        let (verdict, _) = quadrant_text(s.readiness.quadrant, t);
        let mut kv = vec![
            (t.t("register.subregion").to_string(), subregion_name(&m.member, t)),
            (
                t.t("col.revision").to_string(),
                t.f("report.regional.revision_of", &[("revision", &h.revision), ("held", &m.revisions_held)]),
            ),
            (
                t.t("report.col.finalised").to_string(),
                h.finalised_at.as_deref().map(when).unwrap_or_else(|| "–".into()),
            ),
            (t.t("report.col.approved_by").to_string(), h.approved_by.clone().unwrap_or_else(|| "–".into())),
            (t.t("new.assessor_name").to_string(), format!("{} ({})", h.assessor_name, h.assessor_role)),
            (t.t("results.overall").to_string(), f1(s.overall)),
            (
                t.t("report.col.verdict").to_string(),
                format!(
                    "{verdict} · {}",
                    t.f(
                        "results.ability_willingness",
                        &[("ability", &f1(s.readiness.ability)), ("willingness", &f1(s.readiness.willingness))]
                    )
                ),
            ),
        ];
        if m.status == ReturnStatus::Conflict {
            kv.push((t.t("col.status").to_string(), status_text(m.status, t).to_string()));
        }
        if let Some(note) = framework::member(&m.member).and_then(|x| x.note.as_ref()) {
            kv.push((t.t("member.note").to_string(), note.get(t).to_string()));
        }
        blocks.push(Block::KeyValues(kv));

        let rows: Vec<Vec<String>> = s
            .pillars
            .iter()
            .map(|p| {
                vec![
                    fw.pillar_name(&p.code, t).to_string(),
                    f1(p.score),
                    scoring::level_label(p),
                    f1(p.target_score),
                    f1(pillar_mean(&c.regional, &p.code)),
                    p.insufficient.to_string(),
                ]
            })
            .collect();
        blocks.push(Block::Table {
            headers: vec![
                t.t("compare.pillar").into(),
                t.t("pdf.score").into(),
                t.t("report.col.level").into(),
                t.t("results.target").into(),
                t.t("report.col.regional_mean").into(),
                t.t("pdf.insufficient").into(),
            ],
            widths: vec![3.2, 1.3, 1.0, 1.2, 1.5, 1.5],
            rows,
        });

        let ranked = scoring::ranked_gaps(s);
        blocks.push(Block::Subheading(t.f("report.regional.top_gaps", &[("n", &ranked.len().min(TOP_MEMBER_GAPS))])));
        if ranked.is_empty() {
            blocks.push(Block::Paragraph(t.t("report.regional.member_no_gaps").into()));
        } else {
            blocks.push(Block::Table {
                headers: vec![
                    t.t("gap.code").into(),
                    t.t("gap.indicator").into(),
                    t.t("gap.level").into(),
                    t.t("gap.gap").into(),
                    t.t("gap.priority").into(),
                    t.t("gap.intervention").into(),
                    t.t("gap.need").into(),
                ],
                widths: vec![1.1, 3.8, 1.2, 0.8, 1.1, 2.4, 1.1],
                rows: ranked
                    .iter()
                    .take(TOP_MEMBER_GAPS)
                    .map(|g| {
                        vec![
                            g.code.clone(),
                            fw.indicator_title(&g.code, t).to_string(),
                            format!(
                                "{} / {}{}",
                                g.value.unwrap_or(0),
                                g.target,
                                if g.insufficient { " (!)" } else { "" }
                            ),
                            g.gap.to_string(),
                            g.priority.to_string(),
                            fw.intervention_name(&g.intervention, t).to_string(),
                            g.need.map(|n| n.code().to_string()).unwrap_or_else(|| "–".into()),
                        ]
                    })
                    .collect(),
            });
        }

        blocks.push(Block::Subheading(t.t("results.requests").into()));
        // The most pressing requests; the workbook lists them all.
        const SHOWN: usize = 8;
        let all_requests: Vec<_> = ranked.iter().filter(|g| g.requests_assistance()).collect();
        let requests: Vec<Vec<String>> = all_requests
            .iter()
            .take(SHOWN)
            .map(|g| {
                vec![
                    g.code.clone(),
                    fw.indicator_title(&g.code, t).to_string(),
                    fw.intervention_name(&g.intervention, t).to_string(),
                    a.response(&g.code).map(|r| r.comment.clone()).unwrap_or_default(),
                ]
            })
            .collect();
        if requests.is_empty() {
            blocks.push(Block::Paragraph(t.t("report.regional.member_no_requests").into()));
        } else {
            blocks.push(Block::Table {
                headers: vec![
                    t.t("gap.code").into(),
                    t.t("gap.indicator").into(),
                    t.t("gap.intervention").into(),
                    t.t("assess.comment").into(),
                ],
                widths: vec![1.1, 3.5, 2.2, 4.5],
                rows: requests,
            });
            if all_requests.len() > SHOWN {
                blocks.push(Block::Note(t.f("report.regional.more_requests", &[("n", &(all_requests.len() - SHOWN))])));
            }
        }
    }
}
