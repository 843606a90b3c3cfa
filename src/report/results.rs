//! The results summary of one assessment as a printable document (1-3 pages).

use crate::assessment::{Assessment, Status};
use crate::framework::{self, Framework};
use crate::lang::Lang;
use crate::report::doc::{Block, Doc};
use crate::scoring::{self, Comparison, Quadrant, Scores};

fn score(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.0}")).unwrap_or_else(|| "–".into())
}

pub fn quadrant_text(q: Option<Quadrant>, t: Lang) -> (String, String) {
    let (title, help) = crate::scoring::words::quadrant(t, q);
    (title.to_string(), help.to_string())
}

/// Builds the results summary; `previous` is the comparison with the last cycle, if any.
pub fn results_doc(
    fw: &Framework,
    a: &Assessment,
    scores: &Scores,
    previous: Option<(i32, &Scores, &Comparison)>,
    t: Lang,
) -> Doc {
    let h = &a.header;
    let member = framework::member(&h.member).map(|m| m.name.get(t).to_string()).unwrap_or_else(|| h.member.clone());
    let status = match h.status {
        Status::Draft => t.t("status.draft"),
        Status::Finalised => t.t("status.finalised"),
    };
    let mut blocks = vec![Block::KeyValues(vec![
        (t.t("col.member").into(), member.clone()),
        (t.t("col.cycle").into(), h.cycle.to_string()),
        (t.t("col.revision").into(), h.revision.to_string()),
        (t.t("col.status").into(), status.into()),
        (
            t.t("new.assessor_name").into(),
            if h.assessor_role.trim().is_empty() {
                h.assessor_name.clone()
            } else {
                format!("{} ({})", h.assessor_name, h.assessor_role)
            },
        ),
        (t.t("finalise.approver").into(), h.approved_by.clone().unwrap_or_else(|| "–".into())),
        (
            t.t("pdf.framework").into(),
            format!(
                "{} · {}",
                fw.meta.name.get(t),
                t.f("framework.revision_label", &[("version", &fw.meta.version), ("revision", &fw.meta.revision)])
            ),
        ),
    ])];

    let (verdict, verdict_help) = quadrant_text(scores.readiness.quadrant, t);
    let verdict_help = if scores.readiness.quadrant.is_none() {
        crate::scoring::words::not_rated(t, &scores.readiness)
    } else {
        verdict_help
    };
    blocks.push(Block::Heading(t.t("results.verdict").into()));
    blocks.push(Block::Subheading(verdict));
    blocks.push(Block::Paragraph(format!(
        "{} {}",
        verdict_help,
        t.f(
            "results.ability_willingness",
            &[("ability", &score(scores.readiness.ability)), ("willingness", &score(scores.readiness.willingness))]
        )
    )));
    // The answers that decide it: the weakest on each side.
    let decided = crate::scoring::words::decided_by(t, &scores.readiness);
    if !decided.is_empty() {
        blocks.push(Block::Paragraph(decided.join(" · ")));
    }

    blocks.push(Block::Heading(t.t("pdf.scores").into()));
    let mut rows: Vec<Vec<String>> = scores
        .pillars
        .iter()
        .map(|p| {
            vec![
                fw.pillar_name(&p.code, t).to_string(),
                score(p.score),
                p.level
                    .map(|l| format!("{} · {}", scoring::level_label(p), fw.level_name(l.floor() as u8, t)))
                    .unwrap_or_else(|| "–".into()),
                score(p.target_score),
                t.t(match p.aggregation {
                    framework::Aggregation::Average => "results.method_average",
                    framework::Aggregation::WeakestLink => "results.method_weakest",
                })
                .into(),
                p.insufficient.to_string(),
            ]
        })
        .collect();
    rows.push(vec![
        t.t("results.overall").into(),
        score(scores.overall),
        String::new(),
        String::new(),
        String::new(),
        scores.insufficient.to_string(),
    ]);
    blocks.push(Block::Table {
        headers: vec![
            t.t("compare.pillar").into(),
            t.t("pdf.score").into(),
            t.t("pdf.level").into(),
            t.t("results.target").into(),
            t.t("pdf.method").into(),
            t.t("pdf.insufficient").into(),
        ],
        widths: vec![3.0, 1.2, 2.2, 1.2, 3.0, 2.0],
        rows,
    });
    if scores.insufficient > 0 {
        blocks.push(Block::Note(t.f("results.flag_insufficient", &[("n", &scores.insufficient)])));
    }
    if scores.unanswered > 0 {
        blocks.push(Block::Note(t.f("results.flag_unanswered", &[("n", &scores.unanswered)])));
    }
    blocks.push(Block::Note(t.t("pdf.method_note").into()));

    blocks.push(Block::Radar {
        title: t.t("results.radar").into(),
        axes: scores.pillars.iter().map(|p| fw.pillar_name(&p.code, t).to_string()).collect(),
        series: vec![
            (t.t("results.current").into(), scores.pillars.iter().map(|p| p.score.unwrap_or(0.0)).collect()),
            (t.t("results.target").into(), scores.pillars.iter().map(|p| p.target_score.unwrap_or(0.0)).collect()),
        ],
        max: 100.0,
    });

    let gaps = scoring::ranked_gaps(scores);
    let title = |code: &str| fw.indicator(code).map(|i| i.title.get(t).to_string()).unwrap_or_default();
    blocks.push(Block::Bars {
        title: t.t("results.top_gaps").into(),
        items: gaps.iter().take(10).map(|g| (format!("{} {}", g.code, title(&g.code)), g.priority as f64)).collect(),
        max: 12.0,
    });

    blocks.push(Block::Heading(t.t("results.gap_list").into()));
    if gaps.is_empty() {
        blocks.push(Block::Paragraph(t.t("results.no_gaps").into()));
    } else {
        blocks.push(Block::Table {
            headers: vec![
                "#".into(),
                t.t("gap.code").into(),
                t.t("gap.indicator").into(),
                t.t("gap.level").into(),
                t.t("gap.gap").into(),
                t.t("gap.priority").into(),
                t.t("gap.intervention").into(),
                t.t("gap.need").into(),
            ],
            widths: vec![0.6, 1.0, 5.0, 1.2, 0.8, 1.0, 2.6, 0.9],
            rows: gaps
                .iter()
                .enumerate()
                .map(|(i, g)| {
                    let level =
                        format!("{} / {}{}", g.value.unwrap_or(0), g.target, if g.insufficient { " (!)" } else { "" });
                    vec![
                        (i + 1).to_string(),
                        g.code.clone(),
                        title(&g.code),
                        level,
                        g.gap.to_string(),
                        g.priority.to_string(),
                        fw.intervention_name(&g.intervention, t).to_string(),
                        g.need.map(|n| n.code().to_string()).unwrap_or_else(|| "–".into()),
                    ]
                })
                .collect(),
        });
        blocks.push(Block::Note(t.t("results.need_help").into()));
    }

    blocks.push(Block::Heading(t.t("results.requests").into()));
    let requests: Vec<Vec<String>> = gaps
        .iter()
        .filter(|g| g.requests_assistance())
        .map(|g| {
            let comment = a.response(&g.code).map(|r| r.comment.clone()).unwrap_or_default();
            vec![g.code.clone(), title(&g.code), fw.intervention_name(&g.intervention, t).to_string(), comment]
        })
        .collect();
    if requests.is_empty() {
        blocks.push(Block::Paragraph(t.t("results.no_requests").into()));
    } else {
        blocks.push(Block::Table {
            headers: vec![
                t.t("gap.code").into(),
                t.t("gap.indicator").into(),
                t.t("gap.intervention").into(),
                t.t("assess.comment").into(),
            ],
            widths: vec![1.0, 4.0, 2.4, 4.0],
            rows: requests,
        });
    }

    let gap_codes: Vec<&str> = gaps.iter().map(|g| g.code.as_str()).collect();
    blocks.extend(crate::report::plans::pdf_blocks(fw, a, &gap_codes, t));

    if let Some((cycle, before, c)) = previous {
        blocks.push(Block::Heading(t.f("pdf.compare_title", &[("cycle", &cycle)])));
        let mut rows: Vec<Vec<String>> = c
            .pillars
            .iter()
            .map(|(code, d)| {
                let then = before.pillar_score(code);
                let now = scores.pillar_score(code);
                vec![
                    fw.pillar_name(code, t).to_string(),
                    score(then),
                    score(now),
                    d.map(|d| format!("{d:+.0}")).unwrap_or_else(|| "–".into()),
                ]
            })
            .collect();
        rows.push(vec![
            t.t("results.overall").into(),
            score(before.overall),
            score(scores.overall),
            c.overall.map(|d| format!("{d:+.0}")).unwrap_or_else(|| "–".into()),
        ]);
        blocks.push(Block::Table {
            headers: vec![
                t.t("compare.pillar").into(),
                t.f("compare.then", &[("cycle", &cycle)]),
                t.t("compare.now").into(),
                t.t("compare.change").into(),
            ],
            widths: vec![3.0, 1.5, 1.5, 1.5],
            rows,
        });
        if !c.closed.is_empty() {
            blocks.push(Block::Paragraph(t.f("compare.closed", &[("list", &c.closed.join(", "))])));
        }
        if !c.opened.is_empty() {
            blocks.push(Block::Paragraph(t.f("compare.opened", &[("list", &c.opened.join(", "))])));
        }
    }

    Doc {
        title: t.t("pdf.results_title").into(),
        subtitle: t.f("pdf.results_subtitle", &[("member", &member), ("cycle", &h.cycle), ("revision", &h.revision)]),
        footer: t.f(
            "pdf.footer",
            &[("version", &env!("CDF_BUILD_VERSION")), ("date", &chrono::Local::now().format("%Y-%m-%d").to_string())],
        ),
        page_label: t.t("pdf.page").into(),
        blocks,
    }
}
